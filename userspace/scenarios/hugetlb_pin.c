// SPDX-License-Identifier: GPL-2.0
/*
 * hugetlb-pin (thread 004_3dfd61d89e055495.txt, review of "hugetlb:
 * enlighten follow_hugetlb_page to support HGM"): GUP on a hugetlb
 * mapping must hand out, for every address, the 4 KiB sub-page of the
 * huge page that backs that address. follow_hugetlb_page() computes it as
 * the head page plus the offset of the address in the huge page
 * (pfn_offset, nth_page()); the thread reworks exactly that arithmetic,
 * which goes wrong for ranges that do not start on a huge page boundary
 * or that cross one.
 *
 * Steps: a 4 MiB MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB mapping of 2 MiB
 * pages, each 4 KiB sub-page i filled with a pattern naming i. For ranges
 * starting inside a huge page, crossing the boundary, and covering all of
 * it: PIN WRITE|LONGTERM, the device reads the range (DEV_READ) and every
 * page must hold the sub-page of its address; the device writes one
 * sub-page in the middle (DEV_WRITE) and the CPU must see it at exactly
 * that sub-page, its neighbours unchanged; UNPIN. The FOLL_PIN counters
 * must balance.
 *
 * Negative control: both checks compare against the sub-page after the
 * right one (a deliberately wrong sub-page); they must report mismatches.
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
#include <unistd.h>

#include "lib/dev.h"
#include "lib/memutil.h"
#include "scenarios/scenarios.h"
#include "lib/sysinfo.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB	(21 << MAP_HUGE_SHIFT)
#endif

#define HP_LEN		(2 * SZ_2M)
#define HP_SUBPAGE	4096UL
#define HP_NSUB		(HP_LEN / HP_SUBPAGE)
#define HP_SEED		0x51	/* what the CPU wrote */
#define HP_SEED_DEV	0x62	/* what the device writes */

struct hp_case {
	size_t off, count;	/* in 4 KiB sub-pages of the mapping */
};

/* Inside the first huge page, crossing into the second, and all of it. */
static const struct hp_case hp_cases[] = {
	{ 1, 1 }, { 7, 9 }, { 100, 300 }, { 511, 2 }, { 513, 511 }, { 0, 1024 },
};
#define HP_NR_CASES	(sizeof(hp_cases) / sizeof(hp_cases[0]))

struct hp_tally {
	size_t pages, wrong;		/* pinned sub-pages read, those not at their address */
	char first_wrong[128];
	unsigned int writes, writes_wrong;
	char first_write[128];
};

/* Free 2 MiB hugetlb pages; -1 if this kernel has none. */
static long hp_free_2m(struct scenario_ctx *ctx)
{
	char text[8192];
	long long size_kb = 0, free_pages = -1;
	ssize_t n;
	int fd;

	fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
		text[n > 0 ? n : 0] = '\0';
		sysinfo_kv_value(text, "Hugepagesize", &size_kb);
		sysinfo_kv_value(text, "HugePages_Free", &free_pages);
	}
	scen_log(ctx, "/proc/meminfo: Hugepagesize %lld kB, HugePages_Free %lld", size_kb,
		 free_pages);
	if (size_kb == 2048)
		return (long)free_pages;
	/* Another default size: ask the 2 MiB pool itself. */
	fd = open("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	free_pages = n > 0 ? strtoll(text, NULL, 10) : -1;
	scen_log(ctx, "hugepages-2048kB/free_hugepages %lld", free_pages);
	return (long)free_pages;
}

/* The sub-page index page holds with seed, or -1 if it holds none. */
static long hp_which(const char *page, uint8_t seed)
{
	size_t k;

	for (k = 0; k < HP_NSUB; k++)
		if (pattern_is(page, HP_SUBPAGE, seed, k))
			return (long)k;
	return -1;
}

static void hp_describe(const char *page, char *buf, size_t len)
{
	long k = hp_which(page, HP_SEED);

	if (k >= 0) {
		snprintf(buf, len, "sub-page %ld", k);
		return;
	}
	k = hp_which(page, HP_SEED_DEV);
	if (k >= 0)
		snprintf(buf, len, "the device's write to sub-page %ld", k);
	else
		snprintf(buf, len, "no sub-page's data");
}

/* The device view of a pinned case against what each address should hold. */
static void hp_check_read(const struct hp_case *c, const char *scratch, size_t shift,
			  struct hp_tally *t)
{
	char what[64];
	size_t j;

	for (j = 0; j < c->count; j++) {
		t->pages++;
		if (pattern_is(scratch + j * HP_SUBPAGE, HP_SUBPAGE, HP_SEED, c->off + j + shift))
			continue;
		if (!t->wrong++) {
			hp_describe(scratch + j * HP_SUBPAGE, what, sizeof(what));
			snprintf(t->first_wrong, sizeof(t->first_wrong),
				 "offset %zu page %zu holds %s", c->off, j, what);
		}
	}
}

/*
 * The device writes sub-page mid; the CPU must see it there (mid + shift
 * in the control) and the neighbours of that sub-page unchanged.
 */
static int hp_check_write(struct scenario_ctx *ctx, char *buf, size_t mid, size_t shift,
			  struct hp_tally *t, struct result *res)
{
	size_t want = mid + shift, k;
	char page[HP_SUBPAGE];
	long landed;
	bool ok;
	int ret;

	pattern_fill(page, HP_SUBPAGE, HP_SEED_DEV, mid);
	ret = dev_write(ctx->devfd, buf + mid * HP_SUBPAGE, page, HP_SUBPAGE);
	if (ret) {
		result_set(res, VERDICT_ERROR, "DEV_WRITE of sub-page %zu failed: %s", mid,
			   strerror(-ret));
		return ret;
	}
	ok = want < HP_NSUB && pattern_is(buf + want * HP_SUBPAGE, HP_SUBPAGE, HP_SEED_DEV, mid);
	if (want > 0 && want - 1 < HP_NSUB)
		ok &= pattern_is(buf + (want - 1) * HP_SUBPAGE, HP_SUBPAGE, HP_SEED, want - 1);
	if (want + 1 < HP_NSUB)
		ok &= pattern_is(buf + (want + 1) * HP_SUBPAGE, HP_SUBPAGE, HP_SEED, want + 1);
	t->writes++;
	if (!ok && !t->writes_wrong++) {
		for (landed = -1, k = 0; k < HP_NSUB && landed < 0; k++)
			if (pattern_is(buf + k * HP_SUBPAGE, HP_SUBPAGE, HP_SEED_DEV, mid))
				landed = (long)k;
		snprintf(t->first_write, sizeof(t->first_write),
			 "DEV_WRITE to sub-page %zu: CPU sees it at sub-page %ld, checked at %zu and its neighbours",
			 mid, landed, want);
	}
	/* Put the CPU's pattern back wherever it is gone, for the next case. */
	for (k = 0; k < HP_NSUB; k++)
		if (!pattern_is(buf + k * HP_SUBPAGE, HP_SUBPAGE, HP_SEED, k))
			pattern_fill(buf + k * HP_SUBPAGE, HP_SUBPAGE, HP_SEED, k);
	return 0;
}

static int hp_run_case(struct scenario_ctx *ctx, char *buf, char *scratch, const struct hp_case *c,
		       unsigned int flags, struct hp_tally *t, struct result *res)
{
	size_t shift = ctx->control ? 1 : 0, wrong0 = t->wrong;
	char *addr = buf + c->off * HP_SUBPAGE;
	uint64_t unpinned = 0;
	int ret;

	ret = dev_pin(ctx->devfd, addr, c->count, flags);
	if (ret) {
		result_set(res, VERDICT_ERROR, "PIN of sub-pages %zu..%zu failed: %s", c->off,
			   c->off + c->count - 1, strerror(-ret));
		return ret;
	}
	ret = dev_read(ctx->devfd, addr, scratch, c->count * HP_SUBPAGE);
	if (ret) {
		result_set(res, VERDICT_ERROR, "DEV_READ of sub-pages %zu..%zu failed: %s",
			   c->off, c->off + c->count - 1, strerror(-ret));
		return ret;
	}
	hp_check_read(c, scratch, shift, t);
	ret = hp_check_write(ctx, buf, c->off + c->count / 2, shift, t, res);
	if (ret)
		return ret;
	scen_log(ctx, "sub-pages %zu..%zu: %zu of %zu not at their address (device view)",
		 c->off, c->off + c->count - 1, t->wrong - wrong0, c->count);
	ret = dev_unpin(ctx->devfd, addr, c->count, &unpinned);
	if (ret || unpinned != c->count) {
		result_set(res, VERDICT_ERROR, "UNPIN of sub-pages %zu..%zu: %s, %llu of %zu released",
			   c->off, c->off + c->count - 1, ret ? strerror(-ret) : "ok",
			   (unsigned long long)unpinned, c->count);
		return ret ? ret : -EIO;
	}
	return 0;
}

static void hp_judge(const struct hp_tally *t, bool control, struct result *res)
{
	const char *ctl = control ? " [control: checked against the next sub-page]" : "";
	char offs[64];
	size_t i, used = 0;

	offs[0] = '\0';
	for (i = 0; i < HP_NR_CASES && used < sizeof(offs); i++)
		used += (size_t)snprintf(offs + used, sizeof(offs) - used, "%s%zu", i ? "," : "",
					 hp_cases[i].off);
	if (!t->wrong && !t->writes_wrong) {
		result_set(res, VERDICT_OK,
			   "all %zu pinned sub-pages at offsets %s are the right ones (DEV_READ), DEV_WRITE lands on the right sub-page (%u of %u)%s",
			   t->pages, offs, t->writes, t->writes, ctl);
		return;
	}
	if (!t->wrong) {
		result_set(res, VERDICT_BUG,
			   "all %zu pinned hugetlb sub-pages read right, but %u of %u device writes did not land on their sub-page (first: %s)%s",
			   t->pages, t->writes_wrong, t->writes, t->first_write, ctl);
		return;
	}
	result_set(res, VERDICT_BUG,
		   "%zu of %zu pinned hugetlb sub-pages are not the sub-page at their address (first: %s); %u of %u device writes missed%s",
		   t->wrong, t->pages, t->first_wrong, t->writes_wrong, t->writes, ctl);
}

static char *hp_map(struct scenario_ctx *ctx, struct result *res)
{
	long nfree = hp_free_2m(ctx);
	char *buf;
	size_t i;

	if (nfree < 2) {
		result_set(res, VERDICT_SKIP, "needs 2 free 2 MiB hugetlb pages, %s", nfree < 0 ?
			   "this kernel has no 2 MiB hugetlb pool" : nfree ? "1 is free" : "none is free");
		return NULL;
	}
	buf = mmap(NULL, HP_LEN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB, -1, 0);
	if (buf == MAP_FAILED) {
		result_set(res, errno == ENOMEM ? VERDICT_SKIP : VERDICT_ERROR,
			   "mmap of 4 MiB MAP_HUGETLB|MAP_HUGE_2MB (%ld free): %s", nfree,
			   strerror(errno));
		return NULL;
	}
	for (i = 0; i < HP_NSUB; i++)
		pattern_fill(buf + i * HP_SUBPAGE, HP_SUBPAGE, HP_SEED, i);
	scen_log(ctx, "4 MiB of 2 MiB hugetlb pages at %p, %lu sub-pages filled", (void *)buf,
		 HP_NSUB);
	return buf;
}

static void hugetlb_pin_run(struct scenario_ctx *ctx, struct result *res)
{
	unsigned int flags = MMREPRO_PIN_WRITE | MMREPRO_PIN_LONGTERM;
	struct hp_tally t = { 0 };
	struct pin_balance pb;
	char *buf, *scratch;
	size_t i;

	if (ctx->info.page_size != HP_SUBPAGE) {
		result_set(res, VERDICT_SKIP, "the cases are laid out for 4 KiB pages, PAGE_SIZE is %u",
			   ctx->info.page_size);
		return;
	}
	if (!(ctx->info.caps & MMREPRO_CAP_PIN_LONGTERM)) {
		flags &= ~MMREPRO_PIN_LONGTERM;
		scen_log(ctx, "module without FOLL_LONGTERM: pinning WRITE only");
	}
	buf = hp_map(ctx, res);
	if (!buf)
		return;
	scratch = malloc(HP_LEN);
	if (!scratch) {
		result_set(res, VERDICT_ERROR, "cannot allocate %lu bytes", HP_LEN);
		goto out;
	}
	if (ctx->control)
		scen_log(ctx, "control: checking against the sub-page after the right one");

	pin_balance_start(&pb);
	for (i = 0; i < HP_NR_CASES; i++)
		if (hp_run_case(ctx, buf, scratch, &hp_cases[i], flags, &t, res))
			break;
	if (i == HP_NR_CASES)
		hp_judge(&t, ctx->control, res);

	dev_release_checked(ctx, &pb, res);
out:
	munmap(buf, HP_LEN);
	free(scratch);
}

SCENARIO(hugetlb_pin, "hugetlb-pin", "004_3dfd61d89e055495.txt",
	 NEED_DEVICE | NEED_HUGETLB, hugetlb_pin_run,
	 "PIN WRITE|LONGTERM of 2 MiB hugetlb ranges starting inside a huge page or crossing one gives the sub-page of each address (DEV_READ), and DEV_WRITE lands on it",
	 "the device view and the device write are checked against the sub-page after the right one; the same check must report mismatches");
