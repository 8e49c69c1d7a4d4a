// SPDX-License-Identifier: GPL-2.0
/*
 * exclusive-swapout (thread 003_27842e3df9a709f6.txt; patch 12 "keep
 * mapcount untouched for device-exclusive entries", with 08 "handle
 * device-exclusive entries correctly in try_to_unmap_one()"): anonymous
 * pages with device-exclusive entries must be reclaimable. Before the
 * series, making a page exclusive dropped its mapcount to 0, the rmap walk
 * of reclaim stopped early, and the pages stayed resident whatever reclaim
 * was forced.
 *
 * Steps: inside a temporary memory cgroup (memcg.h), N pages made
 * exclusive; MADV_PAGEOUT on them, for the record: it walks the page
 * tables and skips non-present PTEs, so it cannot reach device-exclusive
 * entries on any kernel; then memory.reclaim of the cgroup, which goes
 * through the LRU and the rmap as memory pressure does. SNAPSHOT counts
 * swap entries against entries still resident (device-exclusive or
 * present), smaps Rss before and after; the CPU then reads every page back
 * (data intact).
 *
 * Negative control: the pages are pinned (FOLL_PIN) instead of made
 * exclusive; reclaim must leave pinned anonymous pages alone, so the same
 * check must say they stayed resident.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/dev.h"
#include "scenarios/excl_util.h"
#include "lib/memcg.h"
#include "lib/memutil.h"
#include "scenarios/scenarios.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

#define ES_PAGES	256
#define SEED_DATA	0x61

static void exclusive_swapout_run(struct scenario_ctx *ctx, struct result *res)
{
	size_t psz = ctx->info.page_size, len = ES_PAGES * psz, resident, intact;
	const char *what = excl_what(ctx);
	struct excl_states before, paged, after;
	long rss_before, rss_after;
	struct memcg_scope mcg;
	char text[160], why[160];
	char *buf = NULL;
	int ret, rec;

	if (memcg_enter(&mcg, why, sizeof(why))) {
		result_set(res, VERDICT_SKIP, "cannot force reclaim of chosen pages: %s", why);
		return;
	}
	buf = map_anon_aligned(len, psz);
	if (!buf) {
		result_set(res, VERDICT_ERROR, "cannot map %zu bytes", len);
		goto out;
	}
	madvise(buf, len, MADV_NOHUGEPAGE);
	pattern_fill_pages(buf, ES_PAGES, psz, SEED_DATA);
	ret = excl_take_or_pin(ctx, buf, ES_PAGES, SEED_DATA);
	if (ret) {
		result_set(res, VERDICT_ERROR, "%s: %s", ctx->control ? "PIN" : "EXCLUSIVE",
			   strerror(-ret));
		goto out;
	}
	excl_snapshot(ctx->devfd, buf, ES_PAGES, &before);
	rss_before = smaps_field_kb(buf, "Rss");
	excl_states_text(&before, text, sizeof(text));
	scen_log(ctx, "before reclaim: %s; Rss %ld kB", text, rss_before);

	madvise(buf, len, MADV_PAGEOUT);
	excl_snapshot(ctx->devfd, buf, ES_PAGES, &paged);
	excl_states_text(&paged, text, sizeof(text));
	scen_log(ctx, "after MADV_PAGEOUT (walks page tables, skips non-present PTEs): %s", text);

	rec = memcg_reclaim(&mcg, len);
	excl_snapshot(ctx->devfd, buf, ES_PAGES, &after);
	rss_after = smaps_field_kb(buf, "Rss");
	excl_states_text(&after, text, sizeof(text));
	scen_log(ctx, "after memory.reclaim of %zu kB (%s): %s; Rss %ld kB", len >> 10,
		 rec ? strerror(-rec) : "done", text, rss_after);
	excl_log_events(ctx, "after reclaim");

	resident = after.exclusive + after.present;
	intact = pattern_count_pages(buf, ES_PAGES, psz, SEED_DATA);
	if (resident)
		result_set(res, VERDICT_BUG,
			   "%zu of %d %s pages still resident after forced reclaim (memory.reclaim: %s; %zu device-exclusive, %zu present, %zu swapped; VMA Rss %ld -> %ld kB)",
			   resident, ES_PAGES, what, rec ? strerror(-rec) : "done", after.exclusive,
			   after.present, after.swap, rss_before, rss_after);
	else if (excl_judge_intact(res, intact, ES_PAGES, "%s pages swapped out", what))
		result_set(res, VERDICT_OK,
			   "%d of %d %s pages swapped out by forced reclaim (VMA Rss %ld -> %ld kB), all read back intact",
			   ES_PAGES, ES_PAGES, what, rss_before, rss_after);
out:
	excl_let_go(ctx);
	if (buf)
		munmap(buf, len);
	memcg_leave(&mcg);
}

SCENARIO(exclusive_swapout, "exclusive-swapout", EXCL_THREAD,
	 NEED_DEVICE | NEED_GUEST | NEED_EXCLUSIVE | NEED_SWAP, exclusive_swapout_run,
	 "forced reclaim (memory.reclaim) swaps out anonymous pages that have device-exclusive entries (before patch 12 they stayed resident)",
	 "the pages are pinned instead; reclaim leaves pinned pages resident, so the same check must say `still resident`");
