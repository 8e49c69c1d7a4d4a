// SPDX-License-Identifier: GPL-2.0
/*
 * exclusive-basic (thread 003_27842e3df9a709f6.txt; patches 04 "implement
 * make_device_exclusive() using folio_walk" and 05 "detect writability in
 * restore_exclusive_pte()"): pages made device-exclusive must show the
 * CPU's data to the device, become device-exclusive entries, and come back
 * to the CPU on its next access (a fault that restores the PTE and
 * invalidates the device's mapping: MMU_NOTIFY_EXCLUSIVE up to 6.14,
 * MMU_NOTIFY_CLEAR since; either drops the device's hold) with the data
 * intact, including what the device wrote meanwhile.
 *
 * Evidence: EXCLUSIVE's device view; SNAPSHOT before and after the CPU's
 * access; CHECK_EXCLUSIVE; the holds the notifier dropped; the
 * bytes the CPU reads (device writes on the first half, the old data on
 * the rest) and writes.
 *
 * Negative control: the CPU does not touch the pages; the same check must
 * say they are still the device's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/dev.h"
#include "scenarios/excl_util.h"
#include "lib/memutil.h"
#include "scenarios/scenarios.h"

#define EB_PAGES	64
#define SEED_CPU	0x51
#define SEED_DEVICE	0x52
#define SEED_AFTER	0x53

struct eb_evidence {
	uint64_t done;			/* pages made exclusive */
	size_t view_ok;			/* ... whose device view was the CPU's data */
	struct excl_states before, after;
	uint64_t held_after;		/* CHECK_EXCLUSIVE after the access */
	struct mmrepro_events events;	/* the notifier's, since EXCLUSIVE */
	size_t cpu_sees_device;		/* first half: CPU reads the device's write */
	size_t cpu_sees_old;		/* second half: CPU reads its own old data */
	size_t cpu_wrote;		/* pages that took the CPU's new write */
};

static void eb_judge(const struct eb_evidence *ev, struct result *res)
{
	size_t n = EB_PAGES, half = n / 2;
	char a[160];

	excl_states_text(&ev->after, a, sizeof(a));
	if (ev->done != n || ev->view_ok != n || ev->before.exclusive != n) {
		result_set(res, VERDICT_BUG,
			   "EXCLUSIVE made %llu of %zu pages exclusive, device view right on %zu, SNAPSHOT %zu device-exclusive",
			   (unsigned long long)ev->done, n, ev->view_ok, ev->before.exclusive);
		return;
	}
	if (ev->after.exclusive || ev->held_after || ev->events.dropped < n) {
		result_set(res, VERDICT_BUG,
			   "the CPU's access did not take the pages back: after it %s; device still holds %llu; %llu holds dropped by invalidations (want %zu)",
			   a, (unsigned long long)ev->held_after, (unsigned long long)ev->events.dropped, n);
		return;
	}
	if (ev->cpu_sees_device != half || ev->cpu_sees_old != n - half || ev->cpu_wrote != n) {
		result_set(res, VERDICT_BUG,
			   "data not intact through device-exclusive access: CPU read %zu of %zu device writes and %zu of %zu untouched pages, %zu of %zu took its write",
			   ev->cpu_sees_device, half, ev->cpu_sees_old, n - half, ev->cpu_wrote, n);
		return;
	}
	result_set(res, VERDICT_OK,
		   "%zu of %zu pages device-exclusive with the CPU's data; the CPU took all back (holds dropped on %llu MMU_NOTIFY_EXCLUSIVE, %llu MMU_NOTIFY_CLEAR), read the device's writes and its own data, wrote",
		   n, n, (unsigned long long)ev->events.count[MMREPRO_EV_EXCLUSIVE],
		   (unsigned long long)ev->events.count[MMREPRO_EV_CLEAR]);
}

static void exclusive_basic_run(struct scenario_ctx *ctx, struct result *res)
{
	size_t psz = ctx->info.page_size, len = EB_PAGES * psz, half = EB_PAGES / 2, i;
	struct eb_evidence ev = { 0 };
	char text[160], *buf, *dbuf;
	int ret;

	buf = map_anon_aligned(len, psz);
	dbuf = map_anon_aligned(half * psz, psz);
	if (!buf || !dbuf) {
		result_set(res, VERDICT_ERROR, "cannot map %zu bytes", len);
		goto out;
	}
	madvise(buf, len, MADV_NOHUGEPAGE);
	pattern_fill_pages(buf, EB_PAGES, psz, SEED_CPU);
	pattern_fill_pages(dbuf, half, psz, SEED_DEVICE);
	dev_events(ctx->devfd, &ev.events, true);

	ret = excl_take(ctx, buf, EB_PAGES, SEED_CPU, &ev.done, &ev.view_ok);
	if (ret && ret != -EBUSY) {
		result_set(res, VERDICT_ERROR, "EXCLUSIVE: %s", strerror(-ret));
		goto out;
	}
	excl_snapshot(ctx->devfd, buf, EB_PAGES, &ev.before);
	excl_states_text(&ev.before, text, sizeof(text));
	scen_log(ctx, "after EXCLUSIVE (%llu done): %s", (unsigned long long)ev.done, text);
	/* The device writes the first half while it holds the pages. */
	ret = ev.done == EB_PAGES ? dev_write(ctx->devfd, buf, dbuf, half * psz) : 0;
	if (ret) {
		result_set(res, VERDICT_ERROR, "DEV_WRITE to exclusive pages: %s", strerror(-ret));
		goto out;
	}

	if (!ctx->control) {
		ev.cpu_sees_device = pattern_count_pages(buf, half, psz, SEED_DEVICE);
		for (i = half; i < EB_PAGES; i++)
			ev.cpu_sees_old += pattern_is(buf + i * psz, psz, SEED_CPU, i);
		pattern_fill_pages(buf, EB_PAGES, psz, SEED_AFTER);
		ev.cpu_wrote = pattern_count_pages(buf, EB_PAGES, psz, SEED_AFTER);
	}
	excl_snapshot(ctx->devfd, buf, EB_PAGES, &ev.after);
	dev_check_exclusive(ctx->devfd, buf, EB_PAGES, &ev.held_after);
	dev_events(ctx->devfd, &ev.events, false);
	excl_states_text(&ev.after, text, sizeof(text));
	scen_log(ctx, "after the CPU's access%s: %s; device holds %llu", ctx->control ? " (skipped: control)" : "",
		 text, (unsigned long long)ev.held_after);
	excl_log_events(ctx, "end");
	eb_judge(&ev, res);
out:
	dev_release(ctx->devfd, NULL, 0, NULL);
	if (buf)
		munmap(buf, len);
	if (dbuf)
		munmap(dbuf, half * psz);
}

SCENARIO(exclusive_basic, "exclusive-basic", EXCL_THREAD,
	 NEED_DEVICE | NEED_EXCLUSIVE, exclusive_basic_run,
	 "pages made device-exclusive show the device the CPU's data, and the CPU's next access takes them back (MMU_NOTIFY_EXCLUSIVE) with the data, device writes included, intact",
	 "the CPU does not touch the pages; the same check must say the device still holds them");
