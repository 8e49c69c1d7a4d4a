// SPDX-License-Identifier: GPL-2.0
/*
 * ksm-protnone (thread 000_1874d232a7d1bcda.txt, "mm/gup: reintroduce
 * FOLL_NUMA as FOLL_HONOR_NUMA_FAULT"): KSM must merge identical pages of
 * a MADV_MERGEABLE VMA even when the VMA was made inaccessible with
 * mprotect(PROT_NONE). Commit 474098edac26 made follow_page(), which
 * ksmd uses to find the page at an address, refuse PROT_NONE-mapped pages
 * (pte_protnone() is also true in inaccessible VMAs on x86-64), so ksmd
 * silently skipped such VMAs; FOLL_HONOR_NUMA_FAULT (6.6, Cc stable)
 * restored the old behaviour.
 *
 * Steps: two anonymous regions of 64 pages in separate VMAs, every page of
 * one region identical: P (0xA5, then PROT_NONE) and A (0x5A, stays
 * accessible: the positive control that KSM works here at all). Both
 * MADV_MERGEABLE. ksmd runs fast (pages_to_scan 1000, sleep 10 ms) for at
 * least 3 full scans. Evidence per page from /proc/self/pagemap (present,
 * PFN: needs root) and /proc/kpageflags (KPF_KSM). A must be merged on all
 * 64 pages, else KSM cannot be judged here; P must be too.
 *
 * Changes /sys/kernel/mm/ksm (destructive): run, pages_to_scan and
 * sleep_millisecs are saved and restored on every path, with an unmerge
 * (run=2) first when run was not 1 before.
 *
 * Negative control: P is not made MADV_MERGEABLE, so KSM is known not to
 * merge it; the same check must report P unmerged next to a merged A.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/knobs.h"
#include "lib/memutil.h"
#include "lib/pagemap.h"
#include "scenarios/scenarios.h"

#define KSM_DIR			"/sys/kernel/mm/ksm/"
#define KSM_PAGES		64
#define KSM_BYTE_PROTNONE	0xA5
#define KSM_BYTE_ACCESSIBLE	0x5A
#define KSM_MIN_SCANS		3	/* a partial scan, then checksum, then merge */
#define KSM_MAX_SCANS		6	/* more, only while A is not fully merged yet */
#define KSM_DEADLINE_MS		60000	/* TCG guests are slow */
#define KSM_POLL_MS		50

enum { KSM_RUN, KSM_PAGES_TO_SCAN, KSM_SLEEP_MS, KSM_NR_KNOBS };

static const char *const ksm_knobs[KSM_NR_KNOBS] = {
	[KSM_RUN] = "run",
	[KSM_PAGES_TO_SCAN] = "pages_to_scan",
	[KSM_SLEEP_MS] = "sleep_millisecs",
};

struct ksm_saved {
	unsigned long val[KSM_NR_KNOBS];
	bool saved[KSM_NR_KNOBS];
	bool changed;		/* we wrote any knob */
};

/* A knob or counter of KSM_DIR: 0, -errno, -EINVAL when not a number. */
static int ksm_read(const char *name, unsigned long *val)
{
	char path[96];

	snprintf(path, sizeof(path), KSM_DIR "%s", name);
	return file_read_ulong(path, val);
}

static int ksm_write(const char *name, unsigned long val)
{
	char path[96];

	snprintf(path, sizeof(path), KSM_DIR "%s", name);
	return file_write_ulong(path, val);
}

static int ksm_save(struct ksm_saved *s, struct result *res)
{
	int i, ret;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < KSM_NR_KNOBS; i++) {
		ret = ksm_read(ksm_knobs[i], &s->val[i]);
		if (ret) {
			result_set(res, VERDICT_ERROR, "read " KSM_DIR "%s: %s", ksm_knobs[i],
				   strerror(-ret));
			return ret;
		}
		s->saved[i] = true;
	}
	return 0;
}

static int ksm_set(struct scenario_ctx *ctx, struct ksm_saved *s, int knob, unsigned long val,
		   struct result *res)
{
	char path[96];
	int ret;

	s->changed = true;
	/* journaled: the runner puts it back if this scenario is killed (knobs.h) */
	snprintf(path, sizeof(path), KSM_DIR "%s", ksm_knobs[knob]);
	ret = knob_set_ulong(path, val);
	if (ret)
		result_set(res, VERDICT_ERROR, "write %lu to " KSM_DIR "%s: %s", val,
			   ksm_knobs[knob], strerror(-ret));
	else
		scen_log(ctx, "ksm: %s = %lu (was %lu)", ksm_knobs[knob], val, s->val[knob]);
	return ret;
}

/*
 * Put back what ksm_save() read. If ksmd was not running before, unmerge
 * what it merged meanwhile (run=2) before stopping it again. A failure
 * turns the verdict into an error that keeps the original reason.
 */
static void ksm_restore(struct scenario_ctx *ctx, const struct ksm_saved *s, struct result *res)
{
	static const int order[] = { KSM_PAGES_TO_SCAN, KSM_SLEEP_MS, KSM_RUN };
	char orig[RESULT_REASON_MAX];
	const char *failed = NULL;
	int ret, err = 0;
	size_t i;

	if (!s->changed)
		return;
	if (s->saved[KSM_RUN] && s->val[KSM_RUN] != 1) {
		ret = ksm_write("run", 2);
		if (ret) {
			failed = "run=2 (unmerge)";
			err = ret;
		}
	}
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		char path[96];

		if (!s->saved[order[i]])
			continue;
		ret = ksm_write(ksm_knobs[order[i]], s->val[order[i]]);
		snprintf(path, sizeof(path), KSM_DIR "%s", ksm_knobs[order[i]]);
		knob_forget(path);	/* put back here, in this order */
		if (ret && !failed) {
			failed = ksm_knobs[order[i]];
			err = ret;
		}
	}
	if (!failed) {
		scen_log(ctx, "ksm: restored run=%lu pages_to_scan=%lu sleep_millisecs=%lu",
			 s->val[KSM_RUN], s->val[KSM_PAGES_TO_SCAN], s->val[KSM_SLEEP_MS]);
		return;
	}
	scen_log(ctx, "ksm: restoring %s failed: %s", failed, strerror(-err));
	if (res->verdict == VERDICT_ERROR)
		return;
	memcpy(orig, res->reason, sizeof(orig));
	orig[sizeof(orig) - 1] = '\0';
	result_set(res, VERDICT_ERROR, "restoring " KSM_DIR "%s failed (%s) after: %s: %s", failed,
		   strerror(-err), verdict_name(res->verdict), orig);
}

/*
 * Wait until full_scans has reached target or the deadline passed.
 * 0, -ETIMEDOUT, or -errno of reading full_scans.
 */
static int ksm_wait_scans(unsigned long target, long long deadline, unsigned long *now)
{
	int ret;

	for (;;) {
		ret = ksm_read("full_scans", now);
		if (ret)
			return ret;
		if (*now >= target)
			return 0;
		if (clock_mono_ms() >= deadline)
			return -ETIMEDOUT;
		sleep_ms(KSM_POLL_MS);
	}
}

/* Pages of a region that are present and KSM pages; the tally is logged. */
static int ksm_region_merged(struct scenario_ctx *ctx, const char *what, const char *buf,
			     size_t psz, size_t *merged, struct result *res)
{
	struct page_info pi[KSM_PAGES];
	struct page_tally t;
	int ret;

	ret = pagemap_read(buf, KSM_PAGES, psz, pi);
	if (ret) {
		result_set(res, VERDICT_ERROR, "read /proc/self/pagemap: %s", strerror(-ret));
		return ret;
	}
	ret = kpageflags_fill(pi, KSM_PAGES);
	if (ret) {
		result_set(res, VERDICT_ERROR, "read /proc/kpageflags: %s", strerror(-ret));
		return ret;
	}
	page_tally(pi, KSM_PAGES, 1ULL << KPF_KSM, &t);
	scen_log(ctx, "%s: %zu of %d pages present, %zu KPF_KSM (%zu sharing their PFN), %zu distinct PFNs, %zu swapped, %zu with hidden PFN",
		 what, t.present, KSM_PAGES, t.flagged, t.flagged_shared, t.distinct_pfns, t.swapped,
		 t.pfn_hidden);
	if (t.pfn_hidden) {
		result_set(res, VERDICT_ERROR,
			   "/proc/self/pagemap hides the PFNs of %zu present pages of %s: not CAP_SYS_ADMIN?",
			   t.pfn_hidden, what);
		return -EPERM;
	}
	/*
	 * Merged: a KSM page that another page of the region maps too. KPF_KSM
	 * alone is not enough: Debian's 6.12 showed it on 64 distinct PFNs of a
	 * region that was never MADV_MERGEABLE.
	 */
	*merged = t.flagged_shared;
	return 0;
}

static void ksm_log_counters(struct scenario_ctx *ctx)
{
	unsigned long sharing = 0, shared = 0, mine = 0;
	bool have_mine;
	FILE *f;

	ksm_read("pages_sharing", &sharing);
	ksm_read("pages_shared", &shared);
	f = fopen("/proc/self/ksm_merging_pages", "re");
	have_mine = f && fscanf(f, "%lu", &mine) == 1;
	if (f)
		fclose(f);
	if (have_mine)
		scen_log(ctx, "ksm: pages_sharing %lu, pages_shared %lu; /proc/self/ksm_merging_pages %lu",
			 sharing, shared, mine);
	else
		scen_log(ctx, "ksm: pages_sharing %lu, pages_shared %lu (no /proc/self/ksm_merging_pages)",
			 sharing, shared);
}

static void ksm_judge(size_t merged_p, size_t merged_a, struct result *res)
{
	if (merged_a < KSM_PAGES) {
		result_set(res, VERDICT_ERROR,
			   "KSM did not merge the accessible control region (%zu of %d): KSM not working here, cannot judge",
			   merged_a, KSM_PAGES);
		return;
	}
	if (merged_p == KSM_PAGES) {
		result_set(res, VERDICT_OK,
			   "KSM merged %zu of %d identical pages in a PROT_NONE VMA, as in the accessible VMA (%zu of %d)",
			   merged_p, KSM_PAGES, merged_a, KSM_PAGES);
		return;
	}
	result_set(res, VERDICT_BUG,
		   "KSM merged %zu of %d identical pages in a PROT_NONE VMA but %zu of %d in an accessible one: follow_page() refuses PROT_NONE-mapped pages",
		   merged_p, KSM_PAGES, merged_a, KSM_PAGES);
}

/* Map, fill, MADV_MERGEABLE (P not in control mode), then P PROT_NONE. */
static int ksm_setup(struct scenario_ctx *ctx, char **p, char **a, size_t len,
		     struct result *res)
{
	*p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*p == MAP_FAILED || *a == MAP_FAILED) {
		result_set(res, VERDICT_ERROR, "mmap of %zu bytes: %s", len, strerror(errno));
		return -1;
	}
	memset(*p, KSM_BYTE_PROTNONE, len);
	memset(*a, KSM_BYTE_ACCESSIBLE, len);
	if (madvise(*a, len, MADV_MERGEABLE)) {
		result_set(res, VERDICT_ERROR, "madvise(MADV_MERGEABLE): %s", strerror(errno));
		return -1;
	}
	if (ctx->control)
		scen_log(ctx, "control: the PROT_NONE region is not made MADV_MERGEABLE");
	else if (madvise(*p, len, MADV_MERGEABLE)) {
		result_set(res, VERDICT_ERROR, "madvise(MADV_MERGEABLE): %s", strerror(errno));
		return -1;
	}
	if (mprotect(*p, len, PROT_NONE)) {
		result_set(res, VERDICT_ERROR, "mprotect(PROT_NONE): %s", strerror(errno));
		return -1;
	}
	scen_log(ctx, "P (PROT_NONE, 0x%02x) at %p, A (accessible, 0x%02x) at %p, %d pages each",
		 KSM_BYTE_PROTNONE, (void *)*p, KSM_BYTE_ACCESSIBLE, (void *)*a, KSM_PAGES);
	return 0;
}

/*
 * Let ksmd scan at least KSM_MIN_SCANS full times; while A is not fully
 * merged yet, allow up to KSM_MAX_SCANS (a scan covers the whole mm, so P
 * has had every chance A had). Then count.
 */
static int ksm_scan_and_count(struct scenario_ctx *ctx, const char *p, const char *a,
			      size_t psz, size_t *merged_p, size_t *merged_a, struct result *res)
{
	long long start = clock_mono_ms(), deadline = start + KSM_DEADLINE_MS;
	unsigned long scans0, scans, target;
	int ret;

	ret = ksm_read("full_scans", &scans0);
	if (ret) {
		result_set(res, VERDICT_ERROR, "read " KSM_DIR "full_scans: %s", strerror(-ret));
		return ret;
	}
	for (target = scans0 + KSM_MIN_SCANS; ; target++) {
		ret = ksm_wait_scans(target, deadline, &scans);
		if (ret == -ETIMEDOUT && target > scans0 + KSM_MIN_SCANS)
			break;	/* judge with the counts of the last full scan */
		if (ret == -ETIMEDOUT) {
			result_set(res, VERDICT_ERROR,
				   "ksmd did %lu of %d full scans in %d s (full_scans %lu -> %lu)",
				   scans - scans0, KSM_MIN_SCANS, KSM_DEADLINE_MS / 1000, scans0,
				   scans);
			return ret;
		}
		if (ret) {
			result_set(res, VERDICT_ERROR, "read " KSM_DIR "full_scans: %s",
				   strerror(-ret));
			return ret;
		}
		if (ksm_region_merged(ctx, "P (PROT_NONE)", p, psz, merged_p, res) ||
		    ksm_region_merged(ctx, "A (accessible)", a, psz, merged_a, res))
			return -1;
		if (*merged_a == KSM_PAGES || scans - scans0 >= KSM_MAX_SCANS)
			break;
		target = scans;
	}
	scen_log(ctx, "ksm: %lu full scans in %lld ms", scans - scans0, clock_mono_ms() - start);
	return 0;
}

static void ksm_protnone_run(struct scenario_ctx *ctx, struct result *res)
{
	size_t psz = (size_t)sysconf(_SC_PAGESIZE), len = KSM_PAGES * psz;
	size_t merged_p = 0, merged_a = 0;
	char *p = MAP_FAILED, *a = MAP_FAILED;
	struct ksm_saved saved = { 0 };

	if (ksm_setup(ctx, &p, &a, len, res))
		goto out;
	if (ksm_save(&saved, res))
		goto out;
	scen_log(ctx, "ksm: was run=%lu pages_to_scan=%lu sleep_millisecs=%lu",
		 saved.val[KSM_RUN], saved.val[KSM_PAGES_TO_SCAN], saved.val[KSM_SLEEP_MS]);
	if (ksm_set(ctx, &saved, KSM_PAGES_TO_SCAN, 1000, res) ||
	    ksm_set(ctx, &saved, KSM_SLEEP_MS, 10, res) ||
	    ksm_set(ctx, &saved, KSM_RUN, 1, res))
		goto out;
	if (ksm_scan_and_count(ctx, p, a, psz, &merged_p, &merged_a, res))
		goto out;
	ksm_log_counters(ctx);
	ksm_judge(merged_p, merged_a, res);
out:
	/* Unmap first: our merged pages go without an unmerge pass. */
	if (p != MAP_FAILED)
		munmap(p, len);
	if (a != MAP_FAILED)
		munmap(a, len);
	ksm_restore(ctx, &saved, res);
}

SCENARIO(ksm_protnone, "ksm-protnone", "000_1874d232a7d1bcda.txt",
	 NEED_GUEST | NEED_KSM, ksm_protnone_run,
	 "KSM merges identical pages of a MADV_MERGEABLE VMA made PROT_NONE, as it does in an accessible VMA (pagemap + kpageflags KPF_KSM; changes /sys/kernel/mm/ksm, restored)",
	 "the PROT_NONE region is not made MADV_MERGEABLE, so it cannot merge; the same check must report it unmerged next to the merged accessible region", .timeout_s = 120);
