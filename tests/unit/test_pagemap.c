// SPDX-License-Identifier: GPL-2.0
/* pagemap / kpageflags decoding and tallying (userspace/pagemap.c). */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/pagemap.h"
#include "unit.h"

TEST(pagemap_decode_entries)
{
	struct page_info pi;

	pagemap_decode(PM_PRESENT | PM_MMAP_EXCLUSIVE | 0x12345, &pi);
	CHECK(pi.present);
	CHECK(!pi.swapped);
	CHECK(pi.exclusive);
	CHECK_INT(pi.pfn, 0x12345);
	CHECK(!pi.kflags_valid);

	/* Soft-dirty and file bits are not part of the PFN. */
	pagemap_decode(PM_PRESENT | PM_SOFT_DIRTY | PM_FILE | PM_PFN_MASK, &pi);
	CHECK(pi.present);
	CHECK(!pi.exclusive);
	CHECK_INT(pi.pfn, PM_PFN_MASK);

	/* Swapped: bits 0-54 are the swap entry, not a PFN. */
	pagemap_decode(PM_SWAP | 0x3f01, &pi);
	CHECK(!pi.present);
	CHECK(pi.swapped);
	CHECK_INT(pi.pfn, 0);

	/* Present with the PFN hidden (no CAP_SYS_ADMIN). */
	pagemap_decode(PM_PRESENT, &pi);
	CHECK(pi.present);
	CHECK_INT(pi.pfn, 0);

	pagemap_decode(0, &pi);
	CHECK(!pi.present);
	CHECK(!pi.swapped);
}

TEST(pagemap_parse_buffer)
{
	uint64_t words[3] = { PM_PRESENT | 7, 0, PM_PRESENT | 9 };
	unsigned char buf[sizeof(words) + 5];
	struct page_info pi[4];

	memset(buf, 0xff, sizeof(buf));
	memcpy(buf, words, sizeof(words));
	memset(pi, 0xee, sizeof(pi));
	/* The trailing partial word is ignored. */
	CHECK_INT(pagemap_parse(buf, sizeof(buf), pi, 4), 3);
	CHECK(pi[0].present);
	CHECK_INT(pi[0].pfn, 7);
	CHECK(!pi[1].present);
	CHECK_INT(pi[2].pfn, 9);
	/* At most max entries; unaligned source works too. */
	memmove(buf + 1, buf, sizeof(words));
	CHECK_INT(pagemap_parse(buf + 1, sizeof(words), pi, 2), 2);
	CHECK_INT(pi[1].pfn, 0);
	CHECK_INT(pi[0].pfn, 7);
	CHECK_INT(pagemap_parse(buf, 7, pi, 4), 0);
}

static void mk(struct page_info *pi, bool present, uint64_t pfn, bool valid, uint64_t kflags)
{
	memset(pi, 0, sizeof(*pi));
	pi->present = present;
	pi->pfn = pfn;
	pi->kflags_valid = valid;
	pi->kflags = kflags;
}

TEST(page_tally_counts)
{
	const uint64_t ksm = 1ULL << KPF_KSM, anon = 1ULL << KPF_ANON;
	struct page_info pi[7];
	struct page_tally t;

	mk(&pi[0], true, 100, true, ksm | anon);
	mk(&pi[1], true, 100, true, ksm | anon);	/* same KSM page */
	mk(&pi[2], true, 101, true, anon);		/* not merged */
	mk(&pi[3], false, 0, false, 0);			/* not present */
	mk(&pi[4], true, 0, false, 0);			/* PFN hidden */
	mk(&pi[5], true, 102, false, ksm);		/* flags not read */
	mk(&pi[6], false, 0, false, 0);
	pi[6].swapped = true;

	page_tally(pi, 7, ksm, &t);
	CHECK_INT(t.pages, 7);
	CHECK_INT(t.present, 5);
	CHECK_INT(t.swapped, 1);
	CHECK_INT(t.pfn_hidden, 1);
	CHECK_INT(t.flagged, 2);
	CHECK_INT(t.distinct_pfns, 3);

	page_tally(pi, 7, ksm | anon, &t);
	CHECK_INT(t.flagged, 2);
	page_tally(pi, 7, anon, &t);
	CHECK_INT(t.flagged, 3);
	page_tally(pi, 0, ksm, &t);
	CHECK_INT(t.pages, 0);
	CHECK_INT(t.present, 0);
}

/* The real file: a touched page is present, an untouched one is not. */
TEST(pagemap_read_self)
{
	size_t psz = (size_t)sysconf(_SC_PAGESIZE);
	struct page_info pi[3];
	char *p;

	if (access("/proc/self/pagemap", R_OK))
		return;		/* no CONFIG_PROC_PAGE_MONITOR here */
	p = mmap(NULL, 3 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	p[0] = 1;
	p[2 * psz] = 1;
	CHECK_INT(pagemap_read(p, 3, psz, pi), 0);
	CHECK(pi[0].present);
	CHECK(!pi[1].present);
	CHECK(pi[2].present);
	munmap(p, 3 * psz);
}

TEST(page_tally_flagged_shared)
{
	struct page_info pi[4];
	struct page_tally t;

	memset(pi, 0, sizeof(pi));
	for (int i = 0; i < 4; i++) {
		pi[i].present = true;
		pi[i].kflags_valid = true;
		pi[i].kflags = 1ULL << 21;
		pi[i].pfn = 100 + (uint64_t)i;
	}
	page_tally(pi, 4, 1ULL << 21, &t);
	CHECK_INT(t.flagged, 4);
	CHECK_INT(t.flagged_shared, 0);	/* KSM-flagged, but nothing shares a PFN */
	pi[1].pfn = pi[2].pfn = pi[3].pfn = 100;
	page_tally(pi, 4, 1ULL << 21, &t);
	CHECK_INT(t.flagged_shared, 4);
	CHECK_INT(t.distinct_pfns, 1);
}
