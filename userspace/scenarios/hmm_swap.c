// SPDX-License-Identifier: GPL-2.0
/*
 * hmm-swap (thread 003_27842e3df9a709f6.txt, the cover letter's
 * reproducer; fixed by patch 12): order-0 anonymous memory made
 * device-exclusive in 2 MiB chunks must be reclaimable: "/proc/$pid/
 * smaps_rollup will always indicate 1 GiB RSS no matter how much one
 * forces memory reclaim" was the bug.
 *
 * Size: 64 MiB (32 chunks) unless `run --size` says otherwise; the
 * letter's 1 GiB is `run --size 1G hmm-swap` or `mmrepro repro hmm-swap`.
 * Nothing in the bug depends on the size: every chunk goes through the same
 * EXCLUSIVE and the same reclaim path, and the verdict is a proportion (more
 * than 1% still resident). What the size costs is time under TCG: a 1 GiB
 * negative control spends about three minutes in memory.reclaim's retries
 * over 262144 pinned pages before it gives up with EAGAIN, 16 times what
 * 64 MiB takes. Reclaim is forced through
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
	size_t size = ctx->size ? ctx->size : HMM_SWAP_SCENARIO_SIZE;
	long swap_kb = swap_total_kb();
	char reason[RESULT_REASON_MAX];
	enum verdict v;
	int ret;

	if (size % HMM_SWAP_CHUNK) {
		result_set(res, VERDICT_ERROR, "--size %zu is not a multiple of 2 MiB chunks", size);
		return;
	}
	if (swap_kb < (long)(size >> 10)) {
		result_set(res, VERDICT_SKIP, "swap of %ld kB cannot take the reproducer's %zu MiB",
			   swap_kb, size >> 20);
		return;
	}
	ret = hmm_swap_run(ctx->devfd, ctx->info.page_size, size, ctx->control, ctx->log, &r);
	if (ret) {
		result_set(res, VERDICT_ERROR, "%s", r.error);
		return;
	}
	v = hmm_swap_judge(&r, what, reason, sizeof(reason));
	result_set(res, v, "%s", reason);
}

SCENARIO(hmm_swap, "hmm-swap", EXCL_THREAD,
	 NEED_DEVICE | NEED_GUEST | NEED_EXCLUSIVE | NEED_SWAP, hmm_swap_scenario,
	 "the cover letter's reproducer (64 MiB; --size 1G as the letter): memory made device-exclusive in 2 MiB chunks is reclaimed when reclaim is forced (memory.reclaim; RSS falls)",
	 "the chunks are pinned instead; pinned memory stays resident, so the same check must say bug", .flags = SCEN_SLOW, .timeout_s = 600);
