// SPDX-License-Identifier: GPL-2.0
/*
 * hmm-swap (thread 003_27842e3df9a709f6.txt, the cover letter's
 * reproducer; fixed by patch 12): 1 GiB of order-0 anonymous memory made
 * device-exclusive in 2 MiB chunks must be reclaimable: "/proc/$pid/
 * smaps_rollup will always indicate 1 GiB RSS no matter how much one
 * forces memory reclaim" was the bug. Reclaim is forced through
 * memory.reclaim of a temporary memory cgroup, after MADV_PAGEOUT, which
 * cannot reach these pages on any kernel (repro_hmm_swap.c; `mmrepro repro
 * hmm-swap` runs the same steps by hand).
 *
 * Verdict: bug when more than 1% of the pages are still resident (device-
 * exclusive or present) after memory.reclaim, with the RSS before and after.
 *
 * Negative control: the chunks are pinned instead; pinned pages stay
 * resident, so the same check must say bug.
 */
#define _GNU_SOURCE
#include <string.h>

#include "scenarios/excl_util.h"
#include "lib/memutil.h"
#include "scenarios/repro_hmm_swap.h"
#include "scenarios/scenarios.h"

static void hmm_swap_scenario(struct scenario_ctx *ctx, struct result *res)
{
	const char *what = ctx->control ? "pinned (control)" : "device-exclusive";
	struct hmm_swap_report r;
	long swap_kb = swap_total_kb();
	char reason[RESULT_REASON_MAX];
	enum verdict v;
	int ret;

	if (swap_kb < (long)(HMM_SWAP_SIZE >> 10)) {
		result_set(res, VERDICT_SKIP, "swap of %ld kB cannot take the reproducer's 1 GiB", swap_kb);
		return;
	}
	ret = hmm_swap_run(ctx->devfd, ctx->info.page_size, HMM_SWAP_SIZE, ctx->control, ctx->log, &r);
	if (ret) {
		result_set(res, VERDICT_ERROR, "%s", r.error);
		return;
	}
	v = hmm_swap_judge(&r, what, reason, sizeof(reason));
	result_set(res, v, "%s", reason);
}

SCENARIO(hmm_swap, "hmm-swap", EXCL_THREAD,
	 NEED_DEVICE | NEED_GUEST | NEED_EXCLUSIVE | NEED_SWAP, hmm_swap_scenario,
	 "the cover letter's reproducer: 1 GiB made device-exclusive in 2 MiB chunks is reclaimed when reclaim is forced (memory.reclaim; RSS falls)",
	 "the chunks are pinned instead; pinned memory stays resident, so the same check must say bug", .flags = SCEN_SLOW, .timeout_s = 600);
