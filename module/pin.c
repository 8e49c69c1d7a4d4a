// SPDX-License-Identifier: GPL-2.0
/*
 * PIN / UNPIN: the device holds user pages with pin_user_pages(), the way
 * a DMA engine would, independently of the CPU page tables (module/io.c
 * reads and writes them).
 */
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "compat.h"
#include "mmrepro.h"

/* Pages unpinned per round under mf->lock before others get a turn. */
#define MMREPRO_UNPIN_BATCH	512

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

static void mmrepro_release_page(struct page *page, bool write)
{
	/* A page the device could write to may have been written: dirty it. */
	if (write)
		unpin_user_pages_dirty_lock(&page, 1, true);
	else
		unpin_user_page(page);
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
 * Drop the held pages in [first, last]; returns how many. In rounds, so that
 * unpinning a million pages neither hogs the CPU nor holds mf->lock long.
 */
static unsigned long mmrepro_unpin_range(struct mmrepro_file *mf, unsigned long first,
					 unsigned long last)
{
	unsigned long index, count = 0, n;
	struct page *page;
	bool write;

	do {
		n = 0;
		mutex_lock(&mf->lock);
		xa_for_each_range(&mf->pins, index, page, first, last) {
			write = xa_get_mark(&mf->pins, index, MMREPRO_MARK_WRITE);
			xa_erase(&mf->pins, index);
			mmrepro_release_page(page, write);
			if (++n == MMREPRO_UNPIN_BATCH)
				break;
		}
		mf->nr_pinned -= n;
		mutex_unlock(&mf->lock);
		mmrepro_uncharge(mf->mm, n);
		count += n;
		cond_resched();
	} while (n == MMREPRO_UNPIN_BATCH);
	return count;
}

void mmrepro_unpin_all(struct mmrepro_file *mf)
{
	mmrepro_unpin_range(mf, 0, ULONG_MAX);
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
	unsigned long i;
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
	for (i = 0; i < arg->npages; i++) {
		ret = xa_err(xa_store(&mf->pins, first + i, pages[i], GFP_KERNEL_ACCOUNT));
		if (ret) {
			while (i--)
				xa_erase(&mf->pins, first + i);
			goto out_unlock;
		}
		if (arg->flags & MMREPRO_PIN_WRITE)
			xa_set_mark(&mf->pins, first + i, MMREPRO_MARK_WRITE);
	}
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
	unsigned long first = 0, last = ULONG_MAX;
	struct mmrepro_unpin *arg = data;
	long ret;

	if (arg->pad || (arg->flags & ~MMREPRO_UNPIN_ALL))
		return -EINVAL;
	if (!(arg->flags & MMREPRO_UNPIN_ALL)) {
		ret = mmrepro_page_range(arg->addr, arg->npages, U64_MAX, &first, &last);
		if (ret)
			return ret;
	}
	arg->unpinned = mmrepro_unpin_range(mf, first, last);
	return 0;
}
