// SPDX-License-Identifier: GPL-2.0
/* The environment parsers of `mmrepro info`, and a probe of a fake /proc + /sys. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/memutil.h"
#include "lib/sysinfo.h"
#include "unit.h"

TEST(thp_mode)
{
	char m[16];

	CHECK_INT(text_selected_word("always [madvise] never\n", m, sizeof(m)), 0);
	CHECK_STR(m, "madvise");
	CHECK_INT(text_selected_word("[always] madvise never", m, sizeof(m)), 0);
	CHECK_STR(m, "always");
	CHECK_INT(text_selected_word("always madvise never", m, sizeof(m)), -1);
	CHECK_INT(text_selected_word("[]", m, sizeof(m)), -1);
	CHECK_INT(text_selected_word("[unterminated", m, sizeof(m)), -1);
	CHECK_INT(text_selected_word("[averyveryverylongword]", m, 5), 0);
	CHECK_STR(m, "aver");
}

TEST(node_count)
{
	CHECK_INT(sysinfo_node_count("0\n"), 1);
	CHECK_INT(sysinfo_node_count("0-1"), 2);
	CHECK_INT(sysinfo_node_count("0-3,8,10-11\n"), 7);
	CHECK_INT(sysinfo_node_count(""), 0);
	CHECK_INT(sysinfo_node_count("\n"), 0);
	CHECK_INT(sysinfo_node_count("3-1"), -1);
	CHECK_INT(sysinfo_node_count("a"), -1);
	CHECK_INT(sysinfo_node_count("1,"), -1);
	CHECK_INT(sysinfo_node_count("1 2"), -1);
}

TEST(kv_values)
{
	const char *meminfo = "MemTotal:       16318504 kB\nHugePages_Total:       4\n"
			      "HugePages_Free:        3\nHugepagesize:       2048 kB\n";
	const char *vmstat = "nr_free_pages 12\nnr_foll_pin_acquired 100\n"
			     "nr_foll_pin_released 98\n";
	long long v;

	CHECK_INT(sysinfo_kv_value(meminfo, "HugePages_Total", &v), 0);
	CHECK_INT(v, 4);
	CHECK_INT(sysinfo_kv_value(meminfo, "Hugepagesize", &v), 0);
	CHECK_INT(v, 2048);
	CHECK_INT(sysinfo_kv_value(meminfo, "HugePages", &v), -1);
	CHECK_INT(sysinfo_kv_value(vmstat, "nr_foll_pin_released", &v), 0);
	CHECK_INT(v, 98);
	CHECK_INT(sysinfo_kv_value(vmstat, "nr_foll_pin", &v), -1);
	CHECK_INT(sysinfo_kv_value("", "x", &v), -1);
}

TEST(swaps_mounts_zones_cmdline)
{
	char first[64], mnt[64];

	CHECK_INT(sysinfo_swap_count("Filename\tType\tSize\tUsed\tPriority\n", first,
				     sizeof(first)), 0);
	CHECK_INT(sysinfo_swap_count("Filename Type Size Used Priority\n"
				     "/dev/vda2 partition 1048572 0 -2\n"
				     "/swapfile file 1024 0 -3\n", first, sizeof(first)), 2);
	CHECK_STR(first, "/dev/vda2");
	CHECK(sysinfo_mount_find("proc /proc proc rw 0 0\n"
				 "debugfs /sys/kernel/debug debugfs rw 0 0\n", "debugfs",
				 mnt, sizeof(mnt)));
	CHECK_STR(mnt, "/sys/kernel/debug");
	CHECK(!sysinfo_mount_find("proc /proc proc rw 0 0\n", "debugfs", mnt, sizeof(mnt)));
	CHECK(sysinfo_zones_movable("Movable\n"));
	CHECK(sysinfo_zones_movable("Normal Movable"));
	CHECK(!sysinfo_zones_movable("Normal\n"));
	CHECK(!sysinfo_zones_movable("MovableX"));
	CHECK(cmdline_has_token("console=ttyS0 mmrepro.guest=1 quiet\n", "mmrepro.guest=1"));
	CHECK(cmdline_has_token("mmrepro.guest=1", "mmrepro.guest=1"));
	CHECK(!cmdline_has_token("mmrepro.guest=10", "mmrepro.guest=1"));
	CHECK(!cmdline_has_token("xmmrepro.guest=1", "mmrepro.guest=1"));
}

TEST(format_ranges)
{
	int v[] = { 1, 2, 3, 7, 9, 10 };
	char buf[64], small[8];

	sysinfo_format_ranges(v, 6, buf, sizeof(buf));
	CHECK_STR(buf, "1-3,7,9-10");
	sysinfo_format_ranges(v, 0, buf, sizeof(buf));
	CHECK_STR(buf, "");
	sysinfo_format_ranges(v, 6, small, sizeof(small));
	CHECK_STR(small, "1-3,...");
}

static void put(const char *root, const char *path, const char *text)
{
	char full[512], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	for (slash = full + strlen(root) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(full, 0755);
		*slash = '/';
	}
	f = fopen(full, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

TEST(probe_fake_tree)
{
	char root[] = "/tmp/mmrepro-unit-XXXXXX", cmd[128];
	const struct sysfact *f;
	struct sysinfo si;

	static const struct { const char *path, *text; } tree[] = {
		{ "/proc/cmdline", "console=ttyS0 mmrepro.guest=1\n" },
		{ "/sys/devices/system/node/online", "0-1\n" },
		{ "/sys/devices/system/memory/block_size_bytes", "8000000\n" },
		{ "/sys/devices/system/memory/memory0/state", "online\n" },
		{ "/sys/devices/system/memory/memory0/valid_zones", "DMA32\n" },
		{ "/sys/devices/system/memory/memory8/state", "online\n" },
		{ "/sys/devices/system/memory/memory8/valid_zones", "Movable\n" },
		{ "/sys/devices/system/memory/memory9/state", "online\n" },
		{ "/sys/devices/system/memory/memory9/valid_zones", "Movable\n" },
		{ "/sys/devices/system/memory/memory10/state", "offline\n" },
		{ "/proc/swaps", "Filename Type Size Used Priority\n" },
		{ "/proc/mounts", "debugfs /sys/kernel/debug debugfs rw 0 0\n" },
		{ "/sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n" },
		{ "/proc/meminfo", "HugePages_Total: 0\nHugePages_Free: 0\nHugepagesize: 2048 kB\n" },
		{ "/proc/sys/kernel/numa_balancing", "1\n" },
		{ "/proc/vmstat", "nr_foll_pin_acquired 10\nnr_foll_pin_released 10\n" },
	};
	size_t i;

	REQUIRE(mkdtemp(root));
	for (i = 0; i < sizeof(tree) / sizeof(tree[0]); i++)
		put(root, tree[i].path, tree[i].text);

	sysinfo_probe(&si, root);
	CHECK_STR(sysinfo_get(&si, "guest")->value, "yes");
	CHECK_STR(sysinfo_get(&si, "numa_nodes_online")->value, "2 (0-1)");
	CHECK_STR(sysinfo_get(&si, "numa_nodes_online")->source,
		  "/sys/devices/system/node/online");
	CHECK_STR(sysinfo_get(&si, "memory_blocks")->value,
		  "3 online, 1 offline; 2 online_movable: memory8-9; 128 MiB each");
	CHECK_STR(sysinfo_get(&si, "swap")->value, "no");
	CHECK_STR(sysinfo_get(&si, "debugfs")->value, "yes: /sys/kernel/debug");
	CHECK_STR(sysinfo_get(&si, "thp")->value, "madvise");
	CHECK_HAS(sysinfo_get(&si, "hugetlb")->value, "no: total 0, free 0, 2048 kB each");
	f = sysinfo_get(&si, "ksm");
	REQUIRE(f);
	CHECK_STR(f->value, "no");
	CHECK_STR(sysinfo_get(&si, "numa_balancing")->value, "yes (1)");
	CHECK_STR(sysinfo_get(&si, "foll_pin")->value, "acquired 10, released 10 (0 held)");

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	CHECK_INT(system(cmd), 0);
}
