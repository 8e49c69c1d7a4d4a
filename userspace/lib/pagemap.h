/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel says backs a range of our own address space:
 * /proc/self/pagemap (present? swapped? which PFN?) and, for a PFN,
 * /proc/kpageflags (KSM? THP? anonymous?). Both need
 * CONFIG_PROC_PAGE_MONITOR; PFNs read as 0 without CAP_SYS_ADMIN and
 * /proc/kpageflags is root-only. Documentation/admin-guide/mm/pagemap.rst.
 *
 * The decoding and tallying functions are pure (tests/unit/test_pagemap.c).
 */
#ifndef MMREPRO_PAGEMAP_H
#define MMREPRO_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A /proc/<pid>/pagemap entry, one 64-bit word per virtual page. */
#define PM_PFN_MASK		((1ULL << 55) - 1)	/* bits 0-54, when present */
#define PM_SOFT_DIRTY		(1ULL << 55)
#define PM_MMAP_EXCLUSIVE	(1ULL << 56)
#define PM_FILE			(1ULL << 61)	/* file page or shared anon */
#define PM_SWAP			(1ULL << 62)
#define PM_PRESENT		(1ULL << 63)

/* /proc/kpageflags bit numbers (include/uapi/linux/kernel-page-flags.h). */
#define KPF_ANON		12
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_HUGE		17
#define KPF_KSM			21
#define KPF_THP			22
#define KPF_ZERO_PAGE		24

struct page_info {
	bool present;		/* PM_PRESENT */
	bool swapped;		/* PM_SWAP */
	bool exclusive;		/* PM_MMAP_EXCLUSIVE */
	uint64_t pfn;		/* 0 when not present, or hidden from us */
	bool kflags_valid;	/* kflags was read from /proc/kpageflags */
	uint64_t kflags;	/* 1ULL << KPF_* */
};

/* Decode one pagemap entry (kflags left unknown). */
void pagemap_decode(uint64_t entry, struct page_info *pi);

/*
 * Decode a buffer as read from a pagemap file (native-endian 64-bit
 * words) into at most max entries; a trailing partial word is ignored.
 * Returns the number of entries decoded.
 */
size_t pagemap_parse(const void *buf, size_t len, struct page_info *out, size_t max);

/*
 * The pagemap entries of npages pages of page_size bytes from addr (page
 * aligned) in /proc/self/pagemap. 0, or -errno (-ENOENT: no pagemap).
 */
int pagemap_read(const void *addr, size_t npages, size_t page_size, struct page_info *out);

/*
 * Look up the /proc/kpageflags word of every present page with a known
 * PFN and set kflags_valid. 0, or -errno of opening or reading the file.
 */
int kpageflags_fill(struct page_info *pi, size_t n);

struct page_tally {
	size_t pages;		/* pages looked at */
	size_t present;
	size_t swapped;
	size_t pfn_hidden;	/* present, but PFN reads as 0 */
	size_t flagged;		/* present, kflags read, all bits of the mask set */
	size_t distinct_pfns;	/* among present pages with a known PFN */
	size_t flagged_shared;	/* flagged, and its PFN is another page's too */
};

/*
 * Count over n pages; kpf_mask is a set of 1ULL << KPF_* bits that a page
 * must all have to count as flagged. Quadratic in n for distinct_pfns:
 * meant for the few hundred pages a scenario looks at.
 */
void page_tally(const struct page_info *pi, size_t n, uint64_t kpf_mask, struct page_tally *t);

#endif /* MMREPRO_PAGEMAP_H */
