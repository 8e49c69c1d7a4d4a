/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where kernel API differences are handled. The answers come
 * from module/conftest.sh, which compiles probes against the kernel being
 * built for (compat_gen.h); nothing here tests LINUX_VERSION_CODE.
 */
#ifndef MMREPRO_COMPAT_H
#define MMREPRO_COMPAT_H

#include <linux/mm.h>
#include <linux/slab.h>

#include "compat_gen.h"
#include "../uapi/linux/mmrepro.h"

#if defined(MMREPRO_HAVE_SOFTLEAF_HELPERS)
#include <linux/swap.h>
#include <linux/leafops.h>
#elif defined(MMREPRO_HAVE_SWP_ENTRY_HELPERS)
#include <linux/swap.h>
#include <linux/swapops.h>
#endif

/* kzalloc_obj() (7.0 on) allocates one object of a type; before it, kzalloc(). */
#ifndef kzalloc_obj
#define kzalloc_obj(P, GFP)	kzalloc(sizeof(P), GFP)
#endif

#ifdef MMREPRO_HAVE_PIN_USER_PAGES_VMAS
#define MMREPRO_PIN_API	MMREPRO_PIN_API_VMAS
#else
#define MMREPRO_PIN_API	MMREPRO_PIN_API_NO_VMAS
#endif

static inline long mmrepro_pin_user_pages(unsigned long start, unsigned long nr_pages,
					  unsigned int gup_flags, struct page **pages)
{
#ifdef MMREPRO_HAVE_PIN_USER_PAGES_VMAS
	return pin_user_pages(start, nr_pages, gup_flags, pages, NULL);
#else
	return pin_user_pages(start, nr_pages, gup_flags, pages);
#endif
}

#ifdef MMREPRO_HAVE_FOLL_HONOR_NUMA_FAULT
#define MMREPRO_FOLL_HONOR_NUMA_FAULT	FOLL_HONOR_NUMA_FAULT
#else
#define MMREPRO_FOLL_HONOR_NUMA_FAULT	0
#endif

/*
 * Device-exclusive entries need the MMU interval notifier too: the device
 * holds no reference and must drop a page when it is invalidated.
 */
#if !IS_ENABLED(CONFIG_MMU_NOTIFIER)
#define MMREPRO_EXCL_API	MMREPRO_EXCL_API_NONE
#elif defined(MMREPRO_HAVE_LINK_MAKE_DEVICE_EXCLUSIVE)
#define MMREPRO_EXCL_API	MMREPRO_EXCL_API_SINGLE
#elif defined(MMREPRO_HAVE_LINK_MAKE_DEVICE_EXCLUSIVE_RANGE)
#define MMREPRO_EXCL_API	MMREPRO_EXCL_API_RANGE
#else
#define MMREPRO_EXCL_API	MMREPRO_EXCL_API_NONE
#endif

/*
 * make_device_exclusive_range() (up to 6.14) refuses a page that is not
 * anonymous by handing back no page, without a reason.
 */
#if MMREPRO_EXCL_API == MMREPRO_EXCL_API_RANGE
#define MMREPRO_EXCL_REFUSES_SILENTLY	1
#else
#define MMREPRO_EXCL_REFUSES_SILENTLY	0
#endif

#if MMREPRO_EXCL_API != MMREPRO_EXCL_API_NONE
#include <linux/rmap.h>

/*
 * Make the page at @addr of @mm device-exclusive for @owner; mmap_lock held
 * for read. On success the page's folio comes back locked and referenced
 * in *@foliop: record the page, then folio_unlock() and folio_put().
 */
static inline struct page *mmrepro_make_device_exclusive(struct mm_struct *mm,
							 unsigned long addr, void *owner,
							 struct folio **foliop)
{
#if MMREPRO_EXCL_API == MMREPRO_EXCL_API_SINGLE
	return make_device_exclusive(mm, addr, owner, foliop);
#else
	struct page *page = NULL;
	int ret;

	/* Up to 6.14: a range; a NULL page means "not made exclusive". */
	ret = make_device_exclusive_range(mm, addr, addr + PAGE_SIZE, &page, owner);
	if (ret < 0)
		return ERR_PTR(ret);
	if (ret == 0)
		return ERR_PTR(-EFAULT);
	if (!page)
		return ERR_PTR(-EBUSY);
	*foliop = page_folio(page);
	return page;
#endif
}
#endif

#ifdef MMREPRO_HAVE_LINK_CHANGE_PROT_NUMA_FORCE
#define MMREPRO_PROTNONE_METHOD	MMREPRO_PROTNONE_PATCHED
#define MMREPRO_PROTNONE_CAPS	(MMREPRO_CAP_FORCE_PROTNONE | MMREPRO_CAP_FORCE_PROTNONE_PMD | \
				 MMREPRO_CAP_PROTNONE_NOTIFIERS)
#else
#define MMREPRO_PROTNONE_METHOD	MMREPRO_PROTNONE_NONE
#define MMREPRO_PROTNONE_CAPS	0
#endif

/* A PMD entry read without its lock (one word on 64-bit). */
static inline pmd_t mmrepro_pmdp_get(pmd_t *pmdp)
{
#ifdef pmdp_get_lockless
	return pmdp_get_lockless(pmdp);
#else
	return READ_ONCE(*pmdp);
#endif
}

/* What a non-none, non-present PTE holds, as MMREPRO_PS_* bits. */
static inline u32 mmrepro_nonpresent_pte_state(pte_t pte)
{
#if defined(MMREPRO_HAVE_SOFTLEAF_HELPERS)
	softleaf_t e = softleaf_from_pte(pte);

	if (softleaf_is_swap(e))
		return MMREPRO_PS_SWAP;
	if (softleaf_is_migration(e))
		return MMREPRO_PS_MIGRATION;
	if (softleaf_is_device_exclusive(e))
		return MMREPRO_PS_DEVICE_EXCLUSIVE;
#elif defined(MMREPRO_HAVE_SWP_ENTRY_HELPERS)
	swp_entry_t e = pte_to_swp_entry(pte);

	if (!non_swap_entry(e))
		return MMREPRO_PS_SWAP;
	if (is_migration_entry(e))
		return MMREPRO_PS_MIGRATION;
	if (is_device_exclusive_entry(e))
		return MMREPRO_PS_DEVICE_EXCLUSIVE;
#endif
	return MMREPRO_PS_OTHER;
}

#endif /* MMREPRO_COMPAT_H */
