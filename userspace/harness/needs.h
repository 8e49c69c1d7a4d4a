/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a scenario needs from the kernel and the machine (struct
 * scenario.needs), checked by the runner before it forks: an unmet need
 * makes the run a skip, worded the same way for every scenario
 * ("needs NAME: why"), as kselftest_harness.h's SKIP() in a fixture's
 * setup. `mmrepro list -v` prints them.
 */
#ifndef MMREPRO_NEEDS_H
#define MMREPRO_NEEDS_H

#include <stdbool.h>
#include <stddef.h>

#include "uapi/linux/mmrepro.h"

enum scenario_need {
	NEED_DEVICE		= 1U << 0,	/* /dev/mmrepro (the module loaded) */
	NEED_GUEST		= 1U << 1,	/* changes global state: guest or --allow-destructive */
	NEED_EXCLUSIVE		= 1U << 2,	/* INFO: MMREPRO_CAP_DEVICE_EXCLUSIVE */
	NEED_THP		= 1U << 3,	/* transparent hugepages, not [never] */
	NEED_SWAP		= 1U << 4,	/* an active swap device */
	NEED_NODES		= 1U << 5,	/* two NUMA nodes online */
	NEED_KSM		= 1U << 6,	/* CONFIG_KSM, and pagemap + kpageflags */
	NEED_NUMA_BALANCING	= 1U << 7,	/* numa_hint_faults in /proc/vmstat */
	NEED_HUGETLB		= 1U << 8,	/* a 2 MiB hugetlb pool (may be empty now) */
	NEED_ALL		= (1U << 9) - 1,
};

/* "device, thp, ..." (every need set, in the order above) or "-". */
void needs_text(unsigned int needs, char *buf, size_t len);

/*
 * The first need of `needs` this kernel or machine does not meet, with
 * "needs NAME: why" in why; 0 when all are met. NEED_DEVICE and NEED_GUEST
 * are the runner's (they depend on how it runs): they are not checked here.
 * info is INFO's answer (NULL when the scenario does not need the device).
 */
unsigned int needs_unmet(unsigned int needs, const struct mmrepro_info *info,
			 char *why, size_t len);

#endif /* MMREPRO_NEEDS_H */
