// SPDX-License-Identifier: GPL-2.0
/*
 * exclusive-migrate (thread 003_27842e3df9a709f6.txt; patch 09 "handle
 * device-exclusive entries correctly in try_to_migrate_one()" and 12):
 * move_pages(2) of pages the device holds exclusive, to the other node.
 *
 * move_pages finds each page through the CPU's page tables (folio_walk),
 * where a device-exclusive entry is not present: on every kernel it
 * answers -ENOENT for such a page and leaves it alone, device-exclusive,
 * before and after the fix. So this checks that the answer is clean, not
 * the migration bug itself (memory offline migrates by PFN, through the
 * rmap: exclusive-offline is where patch 09/12's migration is seen):
 *
 *   ok   every page either moved to the target node (the device's hold
 *        then dropped) or reported -ENOENT and still device-exclusive; the
 *        device holds exactly the pages still exclusive; data intact;
 *   bug  move_pages tried and failed on a page (-EBUSY, -EAGAIN, ...), the
 *        device holds a page that moved, or data changed.
 *
 * Negative control: the pages are pinned instead; move_pages tries them
 * and cannot move pinned pages, so the same check must say bug.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/dev.h"
#include "scenarios/excl_util.h"
#include "lib/memutil.h"
#include "lib/numa_sys.h"
#include "scenarios/scenarios.h"

#define EM_PAGES	64
#define SEED_DATA	0x71

static void exclusive_migrate_run(struct scenario_ctx *ctx, struct result *res)
{
	size_t psz = ctx->info.page_size, len = EM_PAGES * psz, i;
	size_t moved = 0, absent = 0, failed = 0, intact;
	const char *what = excl_what(ctx);
	int status[EM_PAGES], nodes[EM_PAGES], first_err = 0, src, target, ret;
	void *pages[EM_PAGES];
	struct excl_states after;
	uint64_t held = 0;
	char text[160], *buf;

	buf = map_anon_aligned(len, psz);
	if (!buf) {
		result_set(res, VERDICT_ERROR, "cannot map %zu bytes", len);
		return;
	}
	madvise(buf, len, MADV_NOHUGEPAGE);
	pattern_fill_pages(buf, EM_PAGES, psz, SEED_DATA);
	for (i = 0; i < EM_PAGES; i++)
		pages[i] = buf + i * psz;
	ret = move_pages_self(EM_PAGES, pages, NULL, status);
	if (ret || status[0] < 0) {
		result_set(res, VERDICT_ERROR, "move_pages (query): %s", strerror(ret ? -ret : -status[0]));
		goto out;
	}
	src = status[0];
	target = src == 0 ? 1 : 0;
	for (i = 0; i < EM_PAGES; i++)
		nodes[i] = target;

	ret = excl_take_or_pin(ctx, buf, EM_PAGES, SEED_DATA);
	if (ret) {
		result_set(res, VERDICT_ERROR, "%s: %s", ctx->control ? "PIN" : "EXCLUSIVE", strerror(-ret));
		goto out;
	}
	ret = move_pages_self(EM_PAGES, pages, nodes, status);
	if (ret < 0 && ret != -ENOENT && ret != -EBUSY) {
		result_set(res, VERDICT_ERROR, "move_pages: %s", strerror(-ret));
		goto out;
	}
	for (i = 0; i < EM_PAGES; i++) {
		if (status[i] == target) {
			moved++;
		} else if (status[i] == -ENOENT) {
			absent++;
		} else {
			if (!failed++)
				first_err = status[i];
		}
	}
	excl_snapshot(ctx->devfd, buf, EM_PAGES, &after);
	dev_check_exclusive(ctx->devfd, buf, EM_PAGES, &held);
	excl_states_text(&after, text, sizeof(text));
	scen_log(ctx, "move_pages node %d -> %d of %d %s pages: %zu moved, %zu -ENOENT, %zu failed; after: %s; device holds %llu",
		 src, target, EM_PAGES, what, moved, absent, failed, text, (unsigned long long)held);
	excl_log_events(ctx, "after move_pages");
	intact = pattern_count_pages(buf, EM_PAGES, psz, SEED_DATA);

	if (failed)
		result_set(res, VERDICT_BUG,
			   "move_pages failed on %zu of %d %s pages (first status %d: %s); %zu moved, %zu not present",
			   failed, EM_PAGES, what, first_err,
			   first_err < 0 ? strerror(-first_err) : "still on that node", moved, absent);
	else if (held != after.exclusive || absent != after.exclusive)
		result_set(res, VERDICT_BUG,
			   "device holds %llu pages, %zu are device-exclusive, move_pages said %zu not present: a stale device mapping",
			   (unsigned long long)held, after.exclusive, absent);
	else if (excl_judge_intact(res, intact, EM_PAGES, "move_pages answered"))
		result_set(res, VERDICT_OK,
			   "move_pages node %d -> %d: %zu of %d %s pages moved, %zu reported not present (-ENOENT: not mapped for the CPU) and stayed device-exclusive; data intact",
			   src, target, moved, EM_PAGES, what, absent);
out:
	excl_let_go(ctx);
	munmap(buf, len);
}

SCENARIO(exclusive_migrate, "exclusive-migrate", EXCL_THREAD,
	 NEED_DEVICE | NEED_EXCLUSIVE | NEED_NODES, exclusive_migrate_run,
	 "move_pages of device-exclusive pages to the other node answers cleanly (moved, or -ENOENT: not mapped for the CPU) and leaves no stale device mapping",
	 "the pages are pinned instead; move_pages cannot move pinned pages, so the same check must say bug");
