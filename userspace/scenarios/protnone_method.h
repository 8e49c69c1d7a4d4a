/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two ways to get NUMA-hinting PROT_NONE entries for the protnone
 * scenarios (threads 000 and 002):
 *
 *   patch    MMREPRO_IOC_FORCE_PROTNONE, which calls change_prot_numa_force()
 *            from the project's kernel patch (tests/kernel/patches): at once,
 *            on exactly the range.
 *   scanner  the kernel's own NUMA balancing: task_numa_work() turns the
 *            task's mappings into the same entries through change_prot_numa()
 *            while the task runs. Every distribution kernel with
 *            CONFIG_NUMA_BALANCING and two nodes does it; the scenario sets
 *            kernel.numa_balancing=1 and the scanner's pace in
 *            /sys/kernel/debug/sched/numa_balancing (journalled in knobs.h,
 *            so restored also if the scenario is killed) and waits until
 *            SNAPSHOT shows the range PROT_NONE.
 *
 * What the scanner skips, from kernel/sched/fair.c and mm/mprotect.c
 * (6.1 to 7.2), and how pn_make_protnone() sets the range up for it:
 *   - VMAs that are hugetlb, VM_MIXEDMAP, not migratable, without the
 *     MPOL_F_MOF policy flag, inaccessible, or read-only file mappings: the
 *     range is private anonymous RW memory with the default policy;
 *   - pages on the node a single-threaded task runs on (target_node in
 *     change_prot_numa's walk): the thread that drives the scanner (below)
 *     keeps mm_users above one while it runs, so no node is skipped;
 *   - pages of COW mappings that may be DMA-pinned or are shared
 *     (folio_maybe_dma_pinned() from 6.x on, page_count() != 1 before):
 *     pinned pages are never made PROT_NONE by the scanner; a scenario
 *     that needs pinned PROT_NONE pages pins after the scan where the kernel
 *     lets a pin follow PROT_NONE without a fault (6.6 on, a pin without
 *     FOLL_HONOR_NUMA_FAULT), and says skip where it cannot; before 6.x
 *     a page still in a CPU's LRU cache has a count of two: a move_pages(2)
 *     of the range onto the nodes it is on empties those caches first;
 *   - new VMAs for scan_delay_ms, and (6.7 on) VMAs the task did not fault
 *     on, except on the first two passes after the VMA is first seen: the
 *     scenario waits, bounded, and says how far the scanner got;
 *   - the whole mm until scan_delay_ms after the fork that made it, and a
 *     task until it has run numa_scan_period (scan_delay_ms when it was
 *     created): both took the boot value, 1000 ms, and made every first
 *     scan wait a second. After setting the pace, pn_scan() has the mm's
 *     time set again (a vfork(), see init_numa_balancing()) and a new
 *     thread runs on the CPU to drive the scan; it starts within 50 ms.
 * While the scenario measures, balancing is switched off, so that the
 * scanner does not make other memory (the task's stack) PROT_NONE under
 * the measurement; fault counters come from the kernel either way.
 */
#ifndef MMREPRO_PROTNONE_METHOD_H
#define MMREPRO_PROTNONE_METHOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/scenario.h"

enum pn_method {
	PN_METHOD_NONE,
	PN_METHOD_PATCH,
	PN_METHOD_SCANNER,
};

#define PN_SYSCTL	"/proc/sys/kernel/numa_balancing"
#define PN_DEBUGFS	"/sys/kernel/debug/sched/numa_balancing"
#define PN_SCAN_WAIT_MS	30000	/* longest wait for the scanner per range */

const char *pn_method_name(enum pn_method m);	/* "patch", "scanner", "none" */

/* Can the scanner make PROT_NONE entries here? If not, why (in why). */
bool pn_scanner_available(const struct mmrepro_info *info, char *why, size_t len);

/*
 * The method a scenario uses when not told: the patch where the kernel has
 * it, else the scanner, else none with the reason in why.
 */
enum pn_method pn_method_best(const struct mmrepro_info *info, char *why, size_t len);

/*
 * The method of a scenario: pn_method_best(), or, for its "-scanner"
 * variant, the scanner on a kernel that has the patch too (so the two are
 * compared on one kernel). NONE when it cannot run, with the skip reason.
 */
/* The summary of base's "-scanner" variant. */
#define PN_SCANNER_SUMMARY(base) \
	"as " base ", with the entries made by the kernel's NUMA-balancing scanner (on a kernel with the patch too)"

enum pn_method pn_method_pick(const struct mmrepro_info *info, bool scanner_variant,
			      const char *base_name, char *why, size_t len);

struct pn_outcome {
	size_t npages;
	size_t protnone;		/* PROT_NONE entries in the range at the end */
	uint64_t changed;		/* patch: pages FORCE_PROTNONE changed */
	long long waited_ms;		/* scanner: wall time waited */
	unsigned long long pte_updates;	/* scanner: numa_pte_updates delta */
	bool knobs;			/* scanner: its debugfs pace was set */
};

/*
 * Make the npages pages at buf NUMA-hinting PROT_NONE by method m. Returns
 * 0 (then out->protnone says how many are; the scanner stops at the
 * deadline with fewer) or -errno of what failed. With the scanner, balancing
 * is left switched off; pn_restore() puts every knob back.
 */
int pn_make_protnone(struct scenario_ctx *ctx, enum pn_method m, void *buf, size_t npages,
		     struct pn_outcome *out);

/* "scanner: 64 of 64 PROT_NONE after 2310 ms, numa_pte_updates +1571" etc. */
void pn_describe(enum pn_method m, const struct pn_outcome *o, char *buf, size_t len);

/* Put back the knobs the scanner changed (knob_restore_all()), and log it. */
void pn_restore(struct scenario_ctx *ctx);

#endif /* MMREPRO_PROTNONE_METHOD_H */
