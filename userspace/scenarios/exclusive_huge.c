// SPDX-License-Identifier: GPL-2.0
/*
 * Device-exclusive entries and huge pages (thread 003_27842e3df9a709f6.txt).
 *
 * exclusive-thp (patch 04 "implement make_device_exclusive() using
 * folio_walk instead of rmap walk"): every page of a PMD-mapped THP can be
 * made exclusive (the PMD is split into PTEs first) and the CPU gets the
 * data back. Before the series, make_device_exclusive_range() refused THP
 * tail pages (PageTail), so hmm-tests failed with THP enabled.
 * Negative control: the THP is made read-only first; exclusive access
 * needs a writable mapping, so the same check must say bug.
 *
 * exclusive-hugetlb (patches 01 "reject FOLL_SPLIT_PMD with hugetlb VMAs"
 * and 02/03): a hugetlb page must be refused with EOPNOTSUPP. Before the
 * fix GUP split the hugetlb PMD as if it were a THP, and page_table_check
 * BUG()ed: that shows up as a splat of this scenario.
 * Negative control: an ordinary anonymous page, which is not refused; the
 * same check must say bug.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/dev.h"
#include "scenarios/excl_util.h"
#include "lib/memutil.h"
#include "scenarios/scenarios.h"

#define SEED_THP	0x91
#define SEED_HUGETLB	0x92

static void exclusive_thp_run(struct scenario_ctx *ctx, struct result *res)
{
	size_t psz = ctx->info.page_size, npages = SZ_2M / psz, view_ok = 0, intact;
	struct excl_states st;
	uint64_t done = 0;
	char text[160], *buf;
	long thp_kb;
	int ret;

	buf = map_anon_aligned(SZ_2M, SZ_2M);
	if (!buf) {
		result_set(res, VERDICT_ERROR, "cannot map 2 MiB");
		return;
	}
	madvise(buf, SZ_2M, MADV_HUGEPAGE);
	pattern_fill_pages(buf, npages, psz, SEED_THP);
	thp_kb = smaps_field_kb(buf, "AnonHugePages");
	if (thp_kb < (long)(SZ_2M >> 10)) {
		result_set(res, VERDICT_SKIP, "range not THP-backed after MADV_HUGEPAGE (AnonHugePages %ld kB)", thp_kb);
		goto out;
	}
	/*
	 * The THP is in place: keep khugepaged off the range. Once EXCLUSIVE
	 * has split the PMD, khugepaged may collapse it again and fault the
	 * device-exclusive entries in to do so (up to max_ptes_swap of them,
	 * 64), which takes them from the device: allowed, but not what is
	 * tested here (seen once on the debug lane).
	 */
	madvise(buf, SZ_2M, MADV_NOHUGEPAGE);
	if (ctx->control)
		mprotect(buf, SZ_2M, PROT_READ);
	ret = excl_take(ctx, buf, npages, SEED_THP, &done, &view_ok);
	excl_snapshot(ctx->devfd, buf, npages, &st);
	excl_states_text(&st, text, sizeof(text));
	scen_log(ctx, "THP (AnonHugePages %ld kB%s): EXCLUSIVE %s after %llu of %zu pages; %s", thp_kb,
		 ctx->control ? ", made read-only: control" : "", ret ? strerror(-ret) : "done",
		 (unsigned long long)done, npages, text);
	dev_release(ctx->devfd, NULL, 0, NULL);
	intact = pattern_count_pages(buf, npages, psz, SEED_THP);
	if (ret || done != npages || st.exclusive != npages || view_ok != npages)
		result_set(res, VERDICT_BUG,
			   "%llu of %zu pages of a THP made device-exclusive (%s at page %llu%s); %zu device-exclusive entries, device view right on %zu",
			   (unsigned long long)done, npages, ret ? strerror(-ret) : "no error",
			   (unsigned long long)done, done % npages ? ": a tail page" : "", st.exclusive,
			   view_ok);
	else if (excl_judge_intact(res, intact, npages, "a THP made device-exclusive"))
		result_set(res, VERDICT_OK,
			   "all %zu pages of a PMD-mapped THP made device-exclusive with the right device view; the CPU read them back intact",
			   npages);
out:
	munmap(buf, SZ_2M);
}

static void exclusive_hugetlb_run(struct scenario_ctx *ctx, struct result *res)
{
	size_t psz = ctx->info.page_size;
	uint64_t done = 0;
	char *buf;
	int ret;

	if (ctx->control)
		buf = map_anon_aligned(SZ_2M, SZ_2M);
	else
		buf = mmap(NULL, SZ_2M, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (!buf || buf == MAP_FAILED) {
		result_set(res, VERDICT_SKIP, "no 2 MiB hugetlb page (%s): reserve some with hugepages=N",
			   strerror(errno));
		return;
	}
	pattern_fill_pages(buf, SZ_2M / psz, psz, SEED_HUGETLB);
	ret = dev_exclusive(ctx->devfd, buf + 3 * psz, 1, NULL, &done);
	scen_log(ctx, "EXCLUSIVE of sub-page 3 of a %s: %s", ctx->control ? "normal page (control)" : "hugetlb page",
		 ret ? strerror(-ret) : "done");
	dev_release(ctx->devfd, NULL, 0, NULL);
	if (ret == -EOPNOTSUPP)
		result_set(res, VERDICT_OK, "a hugetlb page is refused with EOPNOTSUPP");
	else if (!ret)
		result_set(res, VERDICT_BUG, "a %s was made device-exclusive: hugetlb is not fenced",
			   ctx->control ? "normal page (control)" : "hugetlb page");
	else
		result_set(res, VERDICT_BUG, "a hugetlb page was refused with %s, not EOPNOTSUPP",
			   strerror(-ret));
	munmap(buf, SZ_2M);
}

SCENARIO(exclusive_thp, "exclusive-thp", EXCL_THREAD,
	 NEED_DEVICE | NEED_EXCLUSIVE | NEED_THP, exclusive_thp_run,
	 "every page of a PMD-mapped THP can be made device-exclusive and read back (before patch 04 tail pages were refused)",
	 "the THP is made read-only first; exclusive access needs write access, so the same check must say bug");

SCENARIO(exclusive_hugetlb, "exclusive-hugetlb", EXCL_THREAD,
	 NEED_DEVICE | NEED_EXCLUSIVE | NEED_HUGETLB, exclusive_hugetlb_run,
	 "a hugetlb page is refused with EOPNOTSUPP (before patch 01 GUP split its PMD and page_table_check BUG()ed)",
	 "an ordinary anonymous page, which is not refused; the same check must say bug");
