// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dev.h"
#include "scenarios/excl_util.h"
#include "lib/memutil.h"

int excl_snapshot(int devfd, const void *buf, size_t npages, struct excl_states *st)
{
	struct mmrepro_page_state *ps = calloc(npages, sizeof(*ps));
	size_t i;
	int ret;

	memset(st, 0, sizeof(*st));
	st->npages = npages;
	st->nid0 = -1;
	if (!ps)
		return -ENOMEM;
	ret = dev_snapshot(devfd, buf, npages, ps);
	for (i = 0; !ret && i < npages; i++) {
		if (ps[i].flags & MMREPRO_PS_DEVICE_EXCLUSIVE)
			st->exclusive++;
		else if (ps[i].flags & MMREPRO_PS_PRESENT)
			st->present++;
		else if (ps[i].flags & MMREPRO_PS_SWAP)
			st->swap++;
		else if (ps[i].flags & MMREPRO_PS_MIGRATION)
			st->migration++;
		else if (ps[i].flags & MMREPRO_PS_OTHER)
			st->other++;
		if (st->nid0 < 0 && (ps[i].flags & MMREPRO_PS_PRESENT))
			st->nid0 = ps[i].nid;
	}
	free(ps);
	return ret;
}

void excl_states_text(const struct excl_states *st, char *buf, size_t len)
{
	snprintf(buf, len, "%zu device-exclusive, %zu present, %zu swap, %zu migration, %zu other of %zu; node %d",
		 st->exclusive, st->present, st->swap, st->migration, st->other, st->npages,
		 st->nid0);
}

int excl_take(struct scenario_ctx *ctx, char *buf, size_t npages, uint8_t seed,
	      uint64_t *done, size_t *view_ok)
{
	size_t psz = ctx->info.page_size;
	char *view = malloc(npages * psz);
	uint64_t step;
	int ret = 0, tries;

	*done = 0;
	*view_ok = 0;
	if (!view)
		return -ENOMEM;
	for (tries = 0; tries < 4 && *done < npages; tries++) {
		step = 0;
		ret = dev_exclusive(ctx->devfd, buf + *done * psz, npages - *done, view + *done * psz,
				    &step);
		*done += step;
		if (ret == -ENOENT) {
			/*
			 * The kernel took a page back (an invalidation: khugepaged
			 * faulting entries in to collapse, reclaim, ...) before its
			 * view was copied. Allowed: take the whole range again
			 * (pages still held are not taken twice).
			 */
			scen_log(ctx, "EXCLUSIVE: a page was taken back before its view was copied; taking the range again");
			*done = 0;
			continue;
		}
		if (ret != -EBUSY)
			break;
		scen_log(ctx, "EXCLUSIVE: EBUSY at page %llu of %zu; retrying", (unsigned long long)*done,
			 npages);
	}
	*view_ok = pattern_count_pages(view, *done, psz, seed);
	free(view);
	return ret;
}

int excl_take_or_pin(struct scenario_ctx *ctx, char *buf, size_t npages, uint8_t seed)
{
	uint64_t done;
	size_t view_ok;

	if (ctx->control)
		return dev_pin(ctx->devfd, buf, npages, MMREPRO_PIN_WRITE);
	return excl_take(ctx, buf, npages, seed, &done, &view_ok);
}

const char *excl_what(const struct scenario_ctx *ctx)
{
	return ctx->control ? "pinned (control)" : "device-exclusive";
}

void excl_let_go(struct scenario_ctx *ctx)
{
	dev_release(ctx->devfd, NULL, 0, NULL);
	dev_unpin_all(ctx->devfd, NULL);
}

void excl_log_events(struct scenario_ctx *ctx, const char *when)
{
	struct mmrepro_events ev;

	if (dev_events(ctx->devfd, &ev, false))
		return;
	scen_log(ctx, "%s: notifier events: unmap %llu, clear %llu, protection-vma %llu, protection-page %llu, migrate %llu, exclusive %llu (own %llu); holds dropped %llu",
		 when, (unsigned long long)ev.count[MMREPRO_EV_UNMAP],
		 (unsigned long long)ev.count[MMREPRO_EV_CLEAR],
		 (unsigned long long)ev.count[MMREPRO_EV_PROTECTION_VMA],
		 (unsigned long long)ev.count[MMREPRO_EV_PROTECTION_PAGE],
		 (unsigned long long)ev.count[MMREPRO_EV_MIGRATE],
		 (unsigned long long)ev.count[MMREPRO_EV_EXCLUSIVE],
		 (unsigned long long)ev.own_exclusive, (unsigned long long)ev.dropped);
}

bool excl_judge_intact(struct result *res, size_t intact, size_t npages, const char *fmt, ...)
{
	char what[RESULT_REASON_MAX / 2];
	va_list ap;

	if (intact == npages)
		return true;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	result_set(res, VERDICT_BUG, "%s, but only %zu of %zu pages read back intact",
		   what, intact, npages);
	return false;
}
