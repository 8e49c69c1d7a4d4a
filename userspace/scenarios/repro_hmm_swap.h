/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reproducer of thread 003's cover letter ("hmm-swap"), against
 * /dev/mmrepro instead of test_hmm's /dev/hmm_dmirror1: map `size` bytes
 * of anonymous memory without THP, fill it, make it device-exclusive in
 * 2 MiB chunks, force reclaim, and compare the RSS of /proc/self/smaps_rollup
 * before and after. Reclaim is forced twice: MADV_PAGEOUT (which walks the
 * page tables and so never reaches device-exclusive entries, on any
 * kernel: recorded for the record), then memory.reclaim of a temporary
 * memory cgroup holding the process (memcg.h), which goes through the LRU
 * and the rmap as memory pressure does. Used by `mmrepro repro hmm-swap`
 * and by the hmm-swap scenario.
 */
#ifndef MMREPRO_REPRO_HMM_SWAP_H
#define MMREPRO_REPRO_HMM_SWAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenarios/excl_util.h"
#include "harness/scenario.h"

#define HMM_SWAP_SIZE	(1UL << 30)	/* the cover letter's 1 GiB (repro's default) */
#define HMM_SWAP_SCENARIO_SIZE	(64UL << 20)	/* the scenario's: see hmm_swap.c */
#define HMM_SWAP_CHUNK	(2UL << 20)	/* ... in 2 MiB chunks */
#define HMM_SWAP_CONTROL_PIN_EVERY	32	/* the control pins 1 page in 32: see hmm_swap.c */

struct hmm_swap_report {
	size_t size, npages;
	uint64_t held;			/* pages made exclusive (or pinned) */
	long rss_before_kb;		/* smaps_rollup Rss after taking them */
	long rss_pageout_kb;		/* ... after MADV_PAGEOUT */
	struct excl_states pageout;	/* SNAPSHOT after MADV_PAGEOUT */
	bool memcg;			/* memory.reclaim was available */
	char memcg_why[160];		/* ... why not */
	int reclaim_ret;		/* what writing memory.reclaim returned */
	long rss_after_kb;		/* smaps_rollup Rss after the last reclaim */
	struct excl_states after;	/* SNAPSHOT after the last reclaim */
	double take_s, reclaim_s;	/* seconds taking the pages, reclaiming */
	char error[160];		/* set when the run could not be done */
};

/*
 * Run it on devfd (page size psz). pin_every: 0 makes the chunks
 * device-exclusive; N pins (FOLL_PIN) one page in every N of each chunk
 * instead, and leaves the others as they are: a case whose answer is known
 * (1 pins them all). log: progress lines, or NULL. 0, or -errno with
 * r->error set.
 */
int hmm_swap_run(int devfd, size_t psz, size_t size, unsigned int pin_every, FILE *log,
		 struct hmm_swap_report *r);

/* Pages still resident after the last reclaim: device-exclusive or present. */
static inline size_t hmm_swap_resident(const struct hmm_swap_report *r)
{
	return r->after.exclusive + r->after.present;
}

/*
 * The one judgement of a run, for the scenario and for `mmrepro repro`:
 * skip when reclaim could not be forced (no memory.reclaim: MADV_PAGEOUT
 * alone never reaches device-exclusive entries, on any kernel), bug when
 * more than 1% of the pages are still resident after memory.reclaim, else
 * ok. what: "device-exclusive" or "pinned (control)". The reason goes to
 * buf; the caller adds the thread.
 */
enum verdict hmm_swap_judge(const struct hmm_swap_report *r, const char *what, char *buf,
			    size_t len);

#endif /* MMREPRO_REPRO_HMM_SWAP_H */
