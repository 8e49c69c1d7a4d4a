// SPDX-License-Identifier: GPL-2.0
/* Environment facts for `mmrepro info`; see sysinfo.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lib/memutil.h"
#include "report/report.h"
#include "lib/sysinfo.h"

#define SYSFILE_MAX (256 << 10)

/* ---- probing ---- */

struct prober {
	struct sysinfo *si;
	const char *root;
	char *buf;		/* SYSFILE_MAX bytes */
};

/* Read root+path into p->buf. 0, or -errno. */
static int read_file(struct prober *p, const char *path)
{
	char full[4096];
	ssize_t r;
	size_t used = 0;
	int fd;

	snprintf(full, sizeof(full), "%s%s", p->root, path);
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (used < SYSFILE_MAX - 1) {
		r = read(fd, p->buf + used, SYSFILE_MAX - 1 - used);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			close(fd);
			return (int)r;
		}
		if (!r)
			break;
		used += (size_t)r;
	}
	close(fd);
	p->buf[used] = '\0';
	return 0;
}

static struct sysfact *add(struct prober *p, const char *key, const char *label,
			   const char *source)
{
	struct sysfact *f = &p->si->facts[p->si->n++];

	f->key = key;
	f->label = label;
	snprintf(f->source, sizeof(f->source), "%s", source);
	f->value[0] = '\0';
	return f;
}

static void set(struct sysfact *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set(struct sysfact *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->value, sizeof(f->value), fmt, ap);
	va_end(ap);
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

static void probe_release(struct prober *p)
{
	struct sysfact *f = add(p, "kernel_release", "kernel release", "uname(2)");
	struct utsname u;

	if (uname(&u))
		set(f, "unknown: %s", strerror(errno));
	else
		set(f, "%s", u.release);
}

static void probe_guest(struct prober *p)
{
	struct sysfact *f = add(p, "guest", "mmrepro guest", "/proc/cmdline mmrepro.guest=1");
	int err = read_file(p, "/proc/cmdline");

	if (err)
		set(f, "unknown: %s", strerror(-err));
	else
		set(f, cmdline_has_token(p->buf, "mmrepro.guest=1") ? "yes" : "no");
}

static void probe_nodes(struct prober *p)
{
	const char *path = "/sys/devices/system/node/online";
	struct sysfact *f = add(p, "numa_nodes_online", "NUMA nodes online", path);
	int err = read_file(p, path), n;

	if (err) {
		set(f, "unknown: %s (kernel without CONFIG_NUMA?)", strerror(-err));
		return;
	}
	chomp(p->buf);
	n = sysinfo_node_count(p->buf);
	if (n < 0)
		set(f, "unknown: cannot parse '%.64s'", p->buf);
	else
		set(f, "%d (%s)", n, p->buf);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void probe_memory_blocks(struct prober *p)
{
	const char *dirpath = "/sys/devices/system/memory";
	struct sysfact *f = add(p, "memory_blocks", "memory blocks", dirpath);
	int *movable = NULL, nmov = 0, online = 0, offline = 0, removable = 0;
	int capm = 0;
	bool have_removable = false;
	char full[4096], ranges[96];
	long long bsize = 0;
	struct dirent *d;
	DIR *dir;

	snprintf(full, sizeof(full), "%s%s", p->root, dirpath);
	dir = opendir(full);
	if (!dir) {
		set(f, "unknown: %s (kernel without CONFIG_MEMORY_HOTPLUG?)", strerror(errno));
		return;
	}
	while ((d = readdir(dir))) {
		char path[512];
		int num;

		if (sscanf(d->d_name, "memory%d", &num) != 1)
			continue;
		snprintf(path, sizeof(path), "%s/%s/state", dirpath, d->d_name);
		if (read_file(p, path))
			continue;
		if (strncmp(p->buf, "online", 6)) {
			offline++;
			continue;
		}
		online++;
		snprintf(path, sizeof(path), "%s/%s/removable", dirpath, d->d_name);
		if (!read_file(p, path)) {
			have_removable = true;
			removable += atoi(p->buf) == 1;
		}
		snprintf(path, sizeof(path), "%s/%s/valid_zones", dirpath, d->d_name);
		if (read_file(p, path) || !sysinfo_zones_movable(p->buf))
			continue;
		if (nmov == capm) {
			int *n;

			capm = capm ? 2 * capm : 64;
			n = realloc(movable, sizeof(*n) * (size_t)capm);
			if (!n)
				break;
			movable = n;
		}
		movable[nmov++] = num;
	}
	closedir(dir);
	qsort(movable, (size_t)nmov, sizeof(*movable), cmp_int);
	sysinfo_format_ranges(movable, (size_t)nmov, ranges, sizeof(ranges));
	free(movable);

	if (!read_file(p, "/sys/devices/system/memory/block_size_bytes"))
		bsize = strtoll(p->buf, NULL, 16);
	set(f, "%d online, %d offline; %d online_movable%s%s; %lld MiB each", online, offline,
	    nmov, nmov ? ": memory" : "", ranges, bsize >> 20);
	if (have_removable) {
		size_t used = strlen(f->value);

		snprintf(f->value + used, sizeof(f->value) - used, "; %d removable", removable);
	}
	snprintf(f->source, sizeof(f->source), "%s/memory*/{state,valid_zones,removable}",
		 dirpath);
}

static void probe_swap(struct prober *p)
{
	struct sysfact *f = add(p, "swap", "swap devices", "/proc/swaps");
	char first[128];
	int err = read_file(p, "/proc/swaps"), n;

	if (err) {
		set(f, "no: %s (kernel without CONFIG_SWAP?)", strerror(-err));
		return;
	}
	n = sysinfo_swap_count(p->buf, first, sizeof(first));
	if (!n)
		set(f, "no");
	else
		set(f, "yes: %d (%s%s)", n, first, n > 1 ? ", ..." : "");
}

static void probe_debugfs(struct prober *p)
{
	struct sysfact *f = add(p, "debugfs", "debugfs mounted", "/proc/mounts");
	char mnt[200];
	int err = read_file(p, "/proc/mounts");

	if (err)
		set(f, "unknown: %s", strerror(-err));
	else if (sysinfo_mount_find(p->buf, "debugfs", mnt, sizeof(mnt)))
		set(f, "yes: %s", mnt);
	else
		set(f, "no (mount -t debugfs none /sys/kernel/debug)");
}

static void probe_thp(struct prober *p)
{
	const char *path = "/sys/kernel/mm/transparent_hugepage/enabled";
	struct sysfact *f = add(p, "thp", "THP mode", path);
	char mode[32];
	int err = read_file(p, path);

	if (err)
		set(f, "no: %s (kernel without CONFIG_TRANSPARENT_HUGEPAGE?)", strerror(-err));
	else if (text_selected_word(p->buf, mode, sizeof(mode)))
		set(f, "unknown: no [mode] in '%.64s'", p->buf);
	else
		set(f, "%s", mode);
}

/*
 * Two "Key value" numbers of one /proc file for fact f: 0, or -1 with f
 * set to what went wrong (missing: why the keys may be absent).
 */
static int read_two(struct prober *p, struct sysfact *f, const char *path, const char *k1,
		    long long *v1, const char *k2, long long *v2, const char *missing)
{
	int err = read_file(p, path);

	if (err) {
		set(f, "unknown: %s", strerror(-err));
		return -1;
	}
	if (sysinfo_kv_value(p->buf, k1, v1) || sysinfo_kv_value(p->buf, k2, v2)) {
		set(f, "no: %s", missing);
		return -1;
	}
	return 0;
}

static void probe_hugetlb(struct prober *p)
{
	struct sysfact *f = add(p, "hugetlb", "hugetlb pages", "/proc/meminfo");
	long long total, hfree, size;

	if (read_two(p, f, "/proc/meminfo", "HugePages_Total", &total, "HugePages_Free", &hfree,
		     "no HugePages_Total (kernel without CONFIG_HUGETLBFS?)"))
		return;
	if (sysinfo_kv_value(p->buf, "Hugepagesize", &size))
		size = 0;
	set(f, "%s: total %lld, free %lld, %lld kB each%s", total ? "yes" : "no", total, hfree,
	    size, total ? "" : " (echo N > /proc/sys/vm/nr_hugepages)");
}

static void probe_ksm(struct prober *p)
{
	const char *path = "/sys/kernel/mm/ksm/run";
	struct sysfact *f = add(p, "ksm", "KSM available", path);

	if (read_file(p, path)) {
		set(f, "no");
		return;
	}
	chomp(p->buf);
	set(f, "yes (run=%.16s)", p->buf);
}

static void probe_numa_balancing(struct prober *p)
{
	const char *path = "/proc/sys/kernel/numa_balancing";
	struct sysfact *f = add(p, "numa_balancing", "NUMA balancing", path);
	int err = read_file(p, path);

	if (err) {
		set(f, "no: %s (kernel without CONFIG_NUMA_BALANCING?)", strerror(-err));
		return;
	}
	chomp(p->buf);
	set(f, "%s (%.16s)", strcmp(p->buf, "0") ? "yes" : "no", p->buf);
}

static void probe_foll_pin(struct prober *p)
{
	struct sysfact *f = add(p, "foll_pin", "FOLL_PIN counters", "/proc/vmstat");
	long long acq, rel;

	if (read_two(p, f, "/proc/vmstat", "nr_foll_pin_acquired", &acq, "nr_foll_pin_released", &rel,
		     "nr_foll_pin_acquired/released missing (kernel < 5.9?)"))
		return;
	set(f, "acquired %lld, released %lld (%lld held)", acq, rel, acq - rel);
}

void sysinfo_probe(struct sysinfo *si, const char *root)
{
	struct prober p = { .si = si, .root = root ? root : "" };

	si->n = 0;
	p.buf = malloc(SYSFILE_MAX);
	if (!p.buf)
		return;
	probe_release(&p);
	probe_guest(&p);
	probe_nodes(&p);
	probe_memory_blocks(&p);
	probe_swap(&p);
	probe_debugfs(&p);
	probe_thp(&p);
	probe_hugetlb(&p);
	probe_ksm(&p);
	probe_numa_balancing(&p);
	probe_foll_pin(&p);
	free(p.buf);
}

const struct sysfact *sysinfo_get(const struct sysinfo *si, const char *key)
{
	unsigned int i;

	for (i = 0; i < si->n; i++)
		if (!strcmp(si->facts[i].key, key))
			return &si->facts[i];
	return NULL;
}

void sysinfo_print_text(FILE *f, const struct sysinfo *si)
{
	unsigned int i;

	for (i = 0; i < si->n; i++)
		fprintf(f, "  %-18s %s  [%s]\n", si->facts[i].label, si->facts[i].value,
			si->facts[i].source);
}

void sysinfo_print_json(FILE *f, const struct sysinfo *si)
{
	unsigned int i;

	fputc('{', f);
	for (i = 0; i < si->n; i++) {
		if (i)
			fputc(',', f);
		json_write_string(f, si->facts[i].key);
		fputs(":{\"value\":", f);
		json_write_string(f, si->facts[i].value);
		fputs(",\"source\":", f);
		json_write_string(f, si->facts[i].source);
		fputc('}', f);
	}
	fputc('}', f);
}
