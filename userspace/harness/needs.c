// SPDX-License-Identifier: GPL-2.0
/* The needs a scenario declares, and their checks; see needs.h. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/needs.h"
#include "lib/memutil.h"
#include "lib/numa_sys.h"

#define THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"
#define KSM_RUN		"/sys/kernel/mm/ksm/run"
#define HUGETLB_2M	"/sys/kernel/mm/hugepages/hugepages-2048kB"

/* Each check: true when met, else why (without the "needs NAME: "). */
typedef bool (*need_check_fn)(const struct mmrepro_info *info, char *why, size_t len);

static bool need_exclusive(const struct mmrepro_info *info, char *why, size_t len)
{
	if (info && (info->caps & MMREPRO_CAP_DEVICE_EXCLUSIVE))
		return true;
	snprintf(why, len, "no device-exclusive API in this kernel (INFO exclusive_api none: it needs CONFIG_DEVICE_PRIVATE, off in Debian's stock 6.1 and 6.12 kernels; the src-* lanes have it)");
	return false;
}

static bool need_thp(const struct mmrepro_info *info, char *why, size_t len)
{
	char mode[32];

	(void)info;
	if (sysfs_mode(THP_ENABLED, mode, sizeof(mode))) {
		snprintf(why, len, "no transparent hugepages on this kernel (no " THP_ENABLED ")");
		return false;
	}
	if (!strcmp(mode, "never")) {
		snprintf(why, len, "THP is disabled (transparent_hugepage/enabled is [never])");
		return false;
	}
	return true;
}

static bool need_swap(const struct mmrepro_info *info, char *why, size_t len)
{
	(void)info;
	if (swap_total_kb() > 0)
		return true;
	snprintf(why, len, "no swap device (/proc/swaps): reclaim cannot swap anonymous pages out");
	return false;
}

static bool need_nodes(const struct mmrepro_info *info, char *why, size_t len)
{
	(void)info;
	if (numa_nodes_online() >= 2)
		return true;
	snprintf(why, len, "one NUMA node: nowhere to move pages to (boot with two, e.g. QEMU -numa)");
	return false;
}

static bool need_ksm(const struct mmrepro_info *info, char *why, size_t len)
{
	(void)info;
	if (access(KSM_RUN, F_OK)) {
		snprintf(why, len, "no KSM on this kernel (no " KSM_RUN ": CONFIG_KSM)");
		return false;
	}
	if (access("/proc/self/pagemap", F_OK) || access("/proc/kpageflags", F_OK)) {
		snprintf(why, len, "no /proc/self/pagemap or /proc/kpageflags (CONFIG_PROC_PAGE_MONITOR)");
		return false;
	}
	return true;
}

static bool need_numa_balancing(const struct mmrepro_info *info, char *why, size_t len)
{
	unsigned long long v;

	(void)info;
	if (!vmstat_read("numa_hint_faults", &v))
		return true;
	snprintf(why, len, "no numa_hint_faults in /proc/vmstat (CONFIG_NUMA_BALANCING off)");
	return false;
}

static bool need_hugetlb(const struct mmrepro_info *info, char *why, size_t len)
{
	(void)info;
	if (!access(HUGETLB_2M, F_OK))
		return true;
	snprintf(why, len, "this kernel has no 2 MiB hugetlb pool (no " HUGETLB_2M ": CONFIG_HUGETLBFS)");
	return false;
}

static const struct need_desc {
	unsigned int need;
	const char *name;
	need_check_fn check;	/* NULL: the runner's own (device, guest) */
} need_descs[] = {
	{ NEED_DEVICE, "device", NULL },
	{ NEED_GUEST, "guest", NULL },
	{ NEED_EXCLUSIVE, "device-exclusive", need_exclusive },
	{ NEED_THP, "thp", need_thp },
	{ NEED_SWAP, "swap", need_swap },
	{ NEED_NODES, "numa-nodes", need_nodes },
	{ NEED_KSM, "ksm", need_ksm },
	{ NEED_NUMA_BALANCING, "numa-balancing", need_numa_balancing },
	{ NEED_HUGETLB, "hugetlb", need_hugetlb },
};

#define NR_NEEDS (sizeof(need_descs) / sizeof(need_descs[0]))

void needs_text(unsigned int needs, char *buf, size_t len)
{
	size_t used = 0, i;

	if (len)
		snprintf(buf, len, "-");
	for (i = 0; i < NR_NEEDS && used < len; i++)
		if (needs & need_descs[i].need)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? ", " : "", need_descs[i].name);
}

unsigned int needs_unmet(unsigned int needs, const struct mmrepro_info *info,
			 char *why, size_t len)
{
	char detail[400];
	size_t i;

	for (i = 0; i < NR_NEEDS; i++) {
		const struct need_desc *d = &need_descs[i];

		if (!(needs & d->need) || !d->check || d->check(info, detail, sizeof(detail)))
			continue;
		snprintf(why, len, "needs %s: %s", d->name, detail);
		return d->need;
	}
	return 0;
}
