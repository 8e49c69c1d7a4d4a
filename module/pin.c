// SPDX-License-Identifier: GPL-2.0
/*
 * PIN / UNPIN: the device holds user pages with pin_user_pages(), the way
 * a DMA engine would, independently of the CPU page tables (module/io.c
 * reads and writes them).
 */
#include <linux/capability.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "compat.h"
#include "mmrepro.h"

/*
 * Pages unpinned per round, each kind (dirty, clean) in one
 * unpin_user_pages*() call; the two arrays live on the stack.
 */
#define MMREPRO_UNPIN_BATCH	32
/* Pins stored per hold of the xarray's lock. */
#define MMREPRO_STORE_BATCH	1024

/*
 * Pages every file holds pinned, together: at most MMREPRO_MAX_HELD_PAGES,
 * so pins cannot pile up without bound (nor, before 6.5, overflow the
 * shared zero page's refcount: each pin adds GUP_PIN_COUNTING_BIAS).
 */
static atomic_long_t mmrepro_held_total = ATOMIC_LONG_INIT(0);

/*
 * Check a user range of @npages pages at @addr and turn it into the first
 * and last page number.
 */
int mmrepro_page_range(u64 addr, u64 npages, u64 max_pages, unsigned long *first,
		       unsigned long *last)
{
	u64 bytes, end;

	if (!npages || offset_in_page(addr))
		return -EINVAL;
	if (npages > max_pages)
		return -E2BIG;
	if (check_mul_overflow(npages, (u64)PAGE_SIZE, &bytes) ||
	    check_add_overflow(addr, bytes, &end) || end - 1 > ULONG_MAX)
		return -EOVERFLOW;
	*first = addr >> PAGE_SHIFT;
	*last = *first + npages - 1;
	return 0;
}

/*
 * What every range ioctl checks first: flags and padding zero (no flags are
 * defined for them yet), then the range as mmrepro_page_range() does.
 */
int mmrepro_range_args(u64 addr, u64 npages, u32 flags, u32 pad, unsigned long *first,
		       unsigned long *last)
{
	if (flags || pad)
		return -EINVAL;
	return mmrepro_page_range(addr, npages, MMREPRO_MAX_PIN_PAGES, first, last);
}

/* Does the device hold any page in [first, last]? Called with mf->lock. */
static bool mmrepro_range_held(struct mmrepro_file *mf, unsigned long first,
			       unsigned long last)
{
	unsigned long index = first;

	lockdep_assert_held(&mf->lock);
	return xa_find(&mf->pins, &index, last, XA_PRESENT);
}

/*
 * Charge @n pinned pages to @mm's pinned_vm against RLIMIT_MEMLOCK, as RDMA
 * (ib_umem_get()) does for pages a device holds: -ENOMEM over the limit
 * without CAP_IPC_LOCK. And to the module-wide count: -ENOSPC over
 * MMREPRO_MAX_HELD_PAGES.
 */
static int mmrepro_charge(struct mm_struct *mm, unsigned long n)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;

	if (atomic_long_add_return(n, &mmrepro_held_total) > MMREPRO_MAX_HELD_PAGES) {
		atomic_long_sub(n, &mmrepro_held_total);
		return -ENOSPC;
	}
	if (atomic64_add_return(n, &mm->pinned_vm) > limit && !capable(CAP_IPC_LOCK)) {
		atomic64_sub(n, &mm->pinned_vm);
		atomic_long_sub(n, &mmrepro_held_total);
		return -ENOMEM;
	}
	return 0;
}

static void mmrepro_uncharge(struct mm_struct *mm, unsigned long n)
{
	atomic64_sub(n, &mm->pinned_vm);
	atomic_long_sub(n, &mmrepro_held_total);
}

/*
 * Drop the held pages in [first, last]; returns how many. In rounds: the
 * entries of a round are taken out of the xarray under its lock, then
 * unpinned in two calls (a page the device could write to may have been
 * written: it is dirtied), so that unpinning a million pages neither hogs
 * the CPU nor holds a lock long, and THPs are unpinned a folio at a time.
 */
static unsigned long mmrepro_unpin_range(struct mmrepro_file *mf, unsigned long first,
					 unsigned long last)
{
	struct page *dirty[MMREPRO_UNPIN_BATCH], *clean[MMREPRO_UNPIN_BATCH];
	XA_STATE(xas, &mf->pins, first);
	unsigned long count = 0, nd, nc;
	struct page *page;

	do {
		nd = 0;
		nc = 0;
		mutex_lock(&mf->lock);
		xas_set(&xas, first);
		xas_lock(&xas);
		xas_for_each(&xas, page, last) {
			if (xas_get_mark(&xas, MMREPRO_MARK_WRITE))
				dirty[nd++] = page;
			else
				clean[nc++] = page;
			xas_store(&xas, NULL);
			if (nd == MMREPRO_UNPIN_BATCH || nc == MMREPRO_UNPIN_BATCH)
				break;
		}
		xas_unlock(&xas);
		mf->nr_pinned -= nd + nc;
		mutex_unlock(&mf->lock);
		unpin_user_pages_dirty_lock(dirty, nd, true);
		unpin_user_pages(clean, nc);
		mmrepro_uncharge(mf->mm, nd + nc);
		count += nd + nc;
		cond_resched();
	} while (nd == MMREPRO_UNPIN_BATCH || nc == MMREPRO_UNPIN_BATCH);
	return count;
}

/*
 * The device holds pages[0..n) at page numbers first.. (marked writable
 * if write). Called with mf->lock, the range not held. In rounds of
 * MMREPRO_STORE_BATCH under the xarray's lock, allocating nodes outside it
 * (xas_nomem()). 0, or -ENOMEM with nothing stored.
 */
static int mmrepro_store_pins(struct mmrepro_file *mf, unsigned long first,
			      struct page **pages, unsigned long n, bool write)
{
	XA_STATE(xas, &mf->pins, first);
	unsigned long i = 0, stop;
	int ret;

	lockdep_assert_held(&mf->lock);
	while (i < n) {
		stop = min(n, i + MMREPRO_STORE_BATCH);
		xas_set(&xas, first + i);
		xas_lock(&xas);
		for (; i < stop; i++, xas_next(&xas)) {
			xas_store(&xas, pages[i]);
			if (xas_error(&xas))
				break;
			if (write)
				xas_set_mark(&xas, MMREPRO_MARK_WRITE);
		}
		xas_unlock(&xas);
		if (xas_nomem(&xas, GFP_KERNEL_ACCOUNT))
			continue;
		ret = xas_error(&xas);
		if (ret) {
			while (i--)
				xa_erase(&mf->pins, first + i);
			return ret;
		}
		cond_resched();
	}
	return 0;
}

/*
 * Drop every held page (UNPIN_ALL, and the file's release); returns how
 * many. With mf->lock held throughout, the entries are only read and their
 * pages unpinned in rounds as in mmrepro_unpin_range(), and the xarray is
 * emptied once at the end, node by node (xa_destroy()), not entry by entry:
 * UNPIN_ALL of a million pages took 8.6 s under KASAN and TCG, erasing.
 * No page is used between its unpin and the xa_destroy(): whatever touches
 * a pinned page (DEV_READ, DEV_WRITE) holds mf->lock, and SNAPSHOT only
 * asks whether an index is present.
 */
unsigned long mmrepro_unpin_all(struct mmrepro_file *mf)
{
	struct page *dirty[MMREPRO_UNPIN_BATCH], *clean[MMREPRO_UNPIN_BATCH];
	XA_STATE(xas, &mf->pins, 0);
	unsigned long count = 0, nd, nc;
	struct page *page;

	mutex_lock(&mf->lock);
	do {
		nd = 0;
		nc = 0;
		xas_lock(&xas);
		xas_for_each(&xas, page, ULONG_MAX) {
			if (xas_get_mark(&xas, MMREPRO_MARK_WRITE))
				dirty[nd++] = page;
			else
				clean[nc++] = page;
			if (nd == MMREPRO_UNPIN_BATCH || nc == MMREPRO_UNPIN_BATCH)
				break;
		}
		xas_pause(&xas);
		xas_unlock(&xas);
		unpin_user_pages_dirty_lock(dirty, nd, true);
		unpin_user_pages(clean, nc);
		count += nd + nc;
		cond_resched();
	} while (nd == MMREPRO_UNPIN_BATCH || nc == MMREPRO_UNPIN_BATCH);
	xa_destroy(&mf->pins);
	mf->nr_pinned = 0;
	mutex_unlock(&mf->lock);
	mmrepro_uncharge(mf->mm, count);
	return count;
}

/* Pin nr_pages at addr into pages[]; all or nothing. */
static long mmrepro_pin_all(struct mm_struct *mm, unsigned long addr, unsigned long nr_pages,
			    unsigned int gup_flags, struct page **pages)
{
	unsigned long done = 0;
	long ret;

	while (done < nr_pages) {
		mmap_read_lock(mm);
		ret = mmrepro_pin_user_pages(addr + done * PAGE_SIZE, nr_pages - done,
					     gup_flags, pages + done);
		mmap_read_unlock(mm);
		if (ret == 0)
			ret = -EFAULT;
		if (ret < 0)
			goto undo;
		done += ret;
		if (done < nr_pages && fatal_signal_pending(current)) {
			ret = -EINTR;
			goto undo;
		}
		cond_resched();
	}
	return 0;

undo:
	unpin_user_pages(pages, done);
	return ret;
}

/*
 * PIN is all or nothing, also when its struct cannot be written: the
 * dispatcher (MMREPRO_OUT_ALL_OR_NOTHING) writes pinned, 0, back between
 * these checks and mmrepro_ioc_pin(), so that a struct that cannot be
 * written fails with EFAULT before anything is charged or pinned; and if
 * writing it fails after mmrepro_ioc_pin() succeeded, mmrepro_ioc_pin_undo()
 * takes the pages back.
 */
long mmrepro_ioc_pin_check(struct mmrepro_file *mf, void *data)
{
	struct mmrepro_pin *arg = data;
	unsigned long first, last;
	long ret;

	if (arg->pad || (arg->flags & ~MMREPRO_PIN_FLAGS_ALL))
		return -EINVAL;
	ret = mmrepro_page_range(arg->addr, arg->npages, MMREPRO_MAX_PIN_PAGES, &first, &last);
	if (ret)
		return ret;
	if ((arg->flags & MMREPRO_PIN_HONOR_NUMA_FAULT) && !MMREPRO_FOLL_HONOR_NUMA_FAULT)
		return -EOPNOTSUPP;

	/* Fail early on overlap; checked again in mmrepro_ioc_pin(), GUP runs unlocked. */
	mutex_lock(&mf->lock);
	ret = mmrepro_range_held(mf, first, last) ? -EBUSY : 0;
	mutex_unlock(&mf->lock);
	if (ret)
		return ret;

	/* pinned says 0 until the pages are the file's. */
	arg->pinned = 0;
	return 0;
}

/* After mmrepro_ioc_pin_check(): the range is valid. */
long mmrepro_ioc_pin(struct mmrepro_file *mf, void *data)
{
	struct mmrepro_pin *arg = data;
	unsigned long first = arg->addr >> PAGE_SHIFT;
	unsigned long last = first + arg->npages - 1;
	unsigned int gup_flags = 0;
	struct page **pages;
	long ret;

	if (arg->flags & MMREPRO_PIN_WRITE)
		gup_flags |= FOLL_WRITE;
	if (arg->flags & MMREPRO_PIN_LONGTERM)
		gup_flags |= FOLL_LONGTERM;
	if (arg->flags & MMREPRO_PIN_HONOR_NUMA_FAULT)
		gup_flags |= MMREPRO_FOLL_HONOR_NUMA_FAULT;

	ret = mmrepro_charge(mf->mm, arg->npages);
	if (ret)
		return ret;
	pages = kvmalloc_array(arg->npages, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	if (!pages) {
		ret = -ENOMEM;
		goto out_uncharge;
	}

	ret = mmrepro_pin_all(mf->mm, arg->addr, arg->npages, gup_flags, pages);
	if (ret)
		goto out_free;

	mutex_lock(&mf->lock);
	if (mmrepro_range_held(mf, first, last)) {
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = mmrepro_store_pins(mf, first, pages, arg->npages, arg->flags & MMREPRO_PIN_WRITE);
	if (ret)
		goto out_unlock;
	mf->nr_pinned += arg->npages;
	mutex_unlock(&mf->lock);
	kvfree(pages);
	arg->pinned = arg->npages;
	return 0;

out_unlock:
	mutex_unlock(&mf->lock);
	unpin_user_pages(pages, arg->npages);
out_free:
	kvfree(pages);
out_uncharge:
	mmrepro_uncharge(mf->mm, arg->npages);
	return ret;
}

/* The struct became unwritable meanwhile: nothing stays pinned. */
void mmrepro_ioc_pin_undo(struct mmrepro_file *mf, void *data)
{
	struct mmrepro_pin *arg = data;
	unsigned long first = arg->addr >> PAGE_SHIFT;

	mmrepro_unpin_range(mf, first, first + arg->npages - 1);
}

long mmrepro_ioc_unpin(struct mmrepro_file *mf, void *data)
{
	struct mmrepro_unpin *arg = data;
	unsigned long first, last;
	long ret;

	if (arg->pad || (arg->flags & ~MMREPRO_UNPIN_ALL))
		return -EINVAL;
	if (arg->flags & MMREPRO_UNPIN_ALL) {
		arg->unpinned = mmrepro_unpin_all(mf);
		return 0;
	}
	ret = mmrepro_page_range(arg->addr, arg->npages, U64_MAX, &first, &last);
	if (ret)
		return ret;
	arg->unpinned = mmrepro_unpin_range(mf, first, last);
	return 0;
}
