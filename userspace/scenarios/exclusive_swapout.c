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
 * through the LRU and the rmap as memory pressure does (written again, up
 * to ES_RECLAIM_TRIES times, while it says done with pages of the range
 * still resident: see reclaim_range()). SNAPSHOT counts
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
#define ES_RECLAIM_TRIES	4

/*
 * memory.reclaim of the range's size, written again while it says done and
 * some of the pages are still resident: the cgroup also holds the pages
 * this process touched since it entered (heap, stack), and reclaim may
 * meet its target with one of them first. Once, on a fixed 7.3, it left
 * 1 of 256 device-exclusive pages resident and said done. Reclaim that
 * cannot take the pages (the bug, the control's pins) fails with EAGAIN
 * instead, on the first write. Returns what the last write returned.
 */
static int reclaim_range(struct scenario_ctx *ctx, struct memcg_scope *mcg, char *buf,
			 size_t len, struct excl_states *after, int *writes)
{
	int rec = 0;

	for (*writes = 1; ; ++*writes) {
		rec = memcg_reclaim(mcg, len);
		excl_snapshot(ctx->devfd, buf, ES_PAGES, after);
		if (rec || !(after->exclusive + after->present) || *writes == ES_RECLAIM_TRIES)
			return rec;
	}
}

static void exclusive_swapout_run(struct scenario_ctx *ctx, struct result *res)
{
	size_t psz = ctx->info.page_size, len = ES_PAGES * psz, resident, intact;
	const char *what = excl_what(ctx);
	struct excl_states before, paged, after;
	long rss_before, rss_after;
	struct memcg_scope mcg;
	char text[160], why[160];
	char *buf = NULL;
	int ret, rec, writes;

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

	rec = reclaim_range(ctx, &mcg, buf, len, &after, &writes);
	rss_after = smaps_field_kb(buf, "Rss");
	excl_states_text(&after, text, sizeof(text));
	scen_log(ctx, "after memory.reclaim of %zu kB, written %d time(s) (%s): %s; Rss %ld kB",
		 len >> 10, writes, rec ? strerror(-rec) : "done", text, rss_after);
	excl_log_events(ctx, "after reclaim");

	resident = after.exclusive + after.present;
	intact = pattern_count_pages(buf, ES_PAGES, psz, SEED_DATA);
	if (resident)
		result_set(res, VERDICT_BUG,
			   "%zu of %d %s pages still resident after forced reclaim (memory.reclaim, %d write(s): %s; %zu device-exclusive, %zu present, %zu swapped; VMA Rss %ld -> %ld kB)",
			   resident, ES_PAGES, what, writes, rec ? strerror(-rec) : "done", after.exclusive,
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
