// SPDX-License-Identifier: GPL-2.0
/*
 * EXCLUSIVE / CHECK_EXCLUSIVE / RELEASE / EVENTS: the device takes pages
 * for exclusive (atomic) access the way lib/test_hmm's dmirror does, and an
 * MMU interval notifier over the opener's whole address space tells it
 * when it must let go.
 *
 * The device holds no reference on an exclusive page: like test_hmm, it
 * relies on the notifier, which runs before the kernel may free or move
 * the page, to drop the page from mf->excl. So mf->excl_lock, which the
 * notifier takes, guards every use of those pages, and is never held
 * across anything that can fault, reclaim or call the notifier (GUP,
 * make_device_exclusive(), user copies, GFP_KERNEL allocations).
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "mmrepro.h"

/* Holds given back to the CPU per round of RELEASE (bounded memory). */
#define MMREPRO_RELEASE_BATCH	512

#if IS_ENABLED(CONFIG_MMU_NOTIFIER)
static unsigned int mmrepro_event_index(enum mmu_notifier_event event)
{
	switch (event) {
	case MMU_NOTIFY_UNMAP:
		return MMREPRO_EV_UNMAP;
	case MMU_NOTIFY_CLEAR:
		return MMREPRO_EV_CLEAR;
	case MMU_NOTIFY_PROTECTION_VMA:
		return MMREPRO_EV_PROTECTION_VMA;
	case MMU_NOTIFY_PROTECTION_PAGE:
		return MMREPRO_EV_PROTECTION_PAGE;
	case MMU_NOTIFY_SOFT_DIRTY:
		return MMREPRO_EV_SOFT_DIRTY;
	case MMU_NOTIFY_RELEASE:
		return MMREPRO_EV_RELEASE;
	case MMU_NOTIFY_MIGRATE:
		return MMREPRO_EV_MIGRATE;
	case MMU_NOTIFY_EXCLUSIVE:
		return MMREPRO_EV_EXCLUSIVE;
	default:
		return MMREPRO_EV_OTHER;
	}
}

static bool mmrepro_invalidate(struct mmu_interval_notifier *mni,
			       const struct mmu_notifier_range *range,
			       unsigned long cur_seq)
{
	struct mmrepro_file *mf = container_of(mni, struct mmrepro_file, notifier);
	unsigned long index;
	struct page *page;

	if (mmu_notifier_range_blockable(range))
		mutex_lock(&mf->excl_lock);
	else if (!mutex_trylock(&mf->excl_lock))
		return false;

	mmu_interval_set_seq(mni, cur_seq);
	/*
	 * Our own EXCLUSIVE call announcing the entry it is about to install:
	 * the kernel asks the caller to filter it out, else the device would
	 * drop what it is being given.
	 */
	if (range->event == MMU_NOTIFY_EXCLUSIVE && range->owner == mf) {
		mf->own_exclusive++;
		goto out;
	}
	mf->events[mmrepro_event_index(range->event)]++;
	xa_for_each_range(&mf->excl, index, page, range->start >> PAGE_SHIFT,
			  (range->end - 1) >> PAGE_SHIFT) {
		xa_erase(&mf->excl, index);
		mf->nr_excl--;
		mf->dropped++;
	}
out:
	mutex_unlock(&mf->excl_lock);
	return true;
}

static const struct mmu_interval_notifier_ops mmrepro_notifier_ops = {
	.invalidate = mmrepro_invalidate,
};

int mmrepro_excl_init(struct mmrepro_file *mf)
{
	return mmu_interval_notifier_insert(&mf->notifier, mf->mm, 0, ULONG_MAX & PAGE_MASK,
					    &mmrepro_notifier_ops);
}
#else
int mmrepro_excl_init(struct mmrepro_file *mf)
{
	return 0;
}
#endif /* CONFIG_MMU_NOTIFIER */

/*
 * Drop the holds of [first, last] and, while the mm is alive, fault each
 * of those pages back in for the CPU: a read fault on a device-exclusive
 * entry restores the ordinary PTE (remove_device_exclusive_entry()).
 */
static unsigned long mmrepro_excl_release(struct mmrepro_file *mf, unsigned long first,
					  unsigned long last)
{
	unsigned long *batch, index, next = first, released = 0;
	unsigned int n, i;
	struct page *page;

	batch = kmalloc_array(MMREPRO_RELEASE_BATCH, sizeof(*batch), GFP_KERNEL);
	for (;;) {
		n = 0;
		mutex_lock(&mf->excl_lock);
		xa_for_each_range(&mf->excl, index, page, next, last) {
			xa_erase(&mf->excl, index);
			mf->nr_excl--;
			if (batch)
				batch[n] = index;
			if (++n == MMREPRO_RELEASE_BATCH)
				break;
		}
		mutex_unlock(&mf->excl_lock);
		if (!n)
			break;
		released += n;
		/* Without memory for the batch, holds are dropped, not restored. */
		if (batch && mmget_not_zero(mf->mm)) {
			mmap_read_lock(mf->mm);
			for (i = 0; i < n; i++)
				fixup_user_fault(mf->mm, batch[i] << PAGE_SHIFT, 0, NULL);
			mmap_read_unlock(mf->mm);
			mmput(mf->mm);
		}
		cond_resched();
	}
	kfree(batch);
	return released;
}

void mmrepro_excl_fini(struct mmrepro_file *mf)
{
	mmrepro_excl_release(mf, 0, ULONG_MAX);
#if IS_ENABLED(CONFIG_MMU_NOTIFIER)
	mmu_interval_notifier_remove(&mf->notifier);
#endif
	xa_destroy(&mf->excl);
}

#if MMREPRO_EXCL_API != MMREPRO_EXCL_API_NONE
/* Make one page exclusive and record it; mmap_lock held for read. */
static int mmrepro_excl_one(struct mmrepro_file *mf, unsigned long addr)
{
	unsigned long index = addr >> PAGE_SHIFT;
	struct folio *folio;
	struct page *page;
	void *old;
	int ret;

	/* Allocate the slot now: no allocation under excl_lock. */
	ret = xa_reserve(&mf->excl, index, GFP_KERNEL);
	if (ret)
		return ret;
	page = mmrepro_make_device_exclusive(mf->mm, addr, mf, &folio);
	if (IS_ERR(page)) {
		xa_release(&mf->excl, index);
		return PTR_ERR(page);
	}
	/* The folio lock keeps the CPU from taking the page back until stored. */
	mutex_lock(&mf->excl_lock);
	old = xa_store(&mf->excl, index, page, GFP_NOWAIT);
	if (xa_is_err(old))
		ret = xa_err(old);
	else if (!old)
		mf->nr_excl++;
	mutex_unlock(&mf->excl_lock);
	folio_unlock(folio);
	folio_put(folio);
	return ret;
}

/* Copy the device's view of [start, start + npages pages) to buf. */
static int mmrepro_excl_copy_out(struct mmrepro_file *mf, unsigned long start,
				 unsigned long npages, char __user *buf)
{
	unsigned long i, j, n, chunk = min_t(unsigned long, npages, 64);
	struct page *page;
	void *bounce;
	int ret = 0;

	bounce = kvmalloc_array(chunk, PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	for (i = 0; !ret && i < npages; i += n) {
		n = min(chunk, npages - i);
		mutex_lock(&mf->excl_lock);
		for (j = 0; j < n; j++) {
			page = xa_load(&mf->excl, (start >> PAGE_SHIFT) + i + j);
			if (!page) {
				ret = -ENOENT;	/* taken back meanwhile */
				break;
			}
			memcpy_from_page(bounce + j * PAGE_SIZE, page, 0, PAGE_SIZE);
		}
		mutex_unlock(&mf->excl_lock);
		if (!ret && copy_to_user(buf + i * PAGE_SIZE, bounce, n * PAGE_SIZE))
			ret = -EFAULT;
	}
	kvfree(bounce);
	return ret;
}

/* Make [start, start + npages pages) exclusive, in order; *done: how many. */
static long mmrepro_excl_range(struct mmrepro_file *mf, unsigned long start, u64 npages,
			       u64 *done)
{
	long ret = 0;

	if (mmap_read_lock_killable(mf->mm))
		return -EINTR;
	while (*done < npages) {
		ret = mmrepro_excl_one(mf, start + *done * PAGE_SIZE);
		if (ret)
			break;
		(*done)++;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	mmap_read_unlock(mf->mm);
	return ret;
}
#else
static long mmrepro_excl_range(struct mmrepro_file *mf, unsigned long start, u64 npages,
			       u64 *done)
{
	return -EOPNOTSUPP;
}

static int mmrepro_excl_copy_out(struct mmrepro_file *mf, unsigned long start,
				 unsigned long npages, char __user *buf)
{
	return 0;
}
#endif /* MMREPRO_EXCL_API */

/* Arguments are checked first, so a kernel without the API still says EINVAL. */
long mmrepro_ioc_exclusive(struct mmrepro_file *mf, struct mmrepro_exclusive __user *uarg)
{
	struct mmrepro_exclusive arg;
	unsigned long first, last;
	u64 done = 0;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	ret = mmrepro_range_args(arg.addr, arg.npages, arg.flags, arg.pad, &first, &last);
	if (ret)
		return ret;
	ret = mmrepro_excl_range(mf, arg.addr, arg.npages, &done);
	/* The view of what was made exclusive, also when a later page failed. */
	if (arg.buf && done) {
		long cret = mmrepro_excl_copy_out(mf, arg.addr, done, u64_to_user_ptr(arg.buf));

		if (!ret)
			ret = cret;
	}
	if (put_user(done, &uarg->done))
		return -EFAULT;
	return ret;
}

long mmrepro_ioc_check_exclusive(struct mmrepro_file *mf,
				 struct mmrepro_check_exclusive __user *uarg)
{
	struct mmrepro_check_exclusive arg;
	unsigned long first, last, index;
	struct page *page;
	u64 held = 0;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	ret = mmrepro_range_args(arg.addr, arg.npages, arg.flags, arg.pad, &first, &last);
	if (ret)
		return ret;
	mutex_lock(&mf->excl_lock);
	xa_for_each_range(&mf->excl, index, page, first, last)
		held++;
	mutex_unlock(&mf->excl_lock);
	if (put_user(held, &uarg->held))
		return -EFAULT;
	return 0;
}

long mmrepro_ioc_release(struct mmrepro_file *mf, struct mmrepro_release __user *uarg)
{
	unsigned long first = 0, last = ULONG_MAX;
	struct mmrepro_release arg;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.pad || (arg.flags & ~MMREPRO_RELEASE_ALL))
		return -EINVAL;
	if (!(arg.flags & MMREPRO_RELEASE_ALL)) {
		ret = mmrepro_page_range(arg.addr, arg.npages, U64_MAX, &first, &last);
		if (ret)
			return ret;
	}
	arg.released = mmrepro_excl_release(mf, first, last);
	if (put_user(arg.released, &uarg->released))
		return -EFAULT;
	return 0;
}

long mmrepro_ioc_events(struct mmrepro_file *mf, struct mmrepro_events __user *uarg)
{
	struct mmrepro_events arg;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.pad || (arg.flags & ~MMREPRO_EVENTS_RESET))
		return -EINVAL;
	if (!IS_ENABLED(CONFIG_MMU_NOTIFIER))
		return -EOPNOTSUPP;

	mutex_lock(&mf->excl_lock);
	memcpy(arg.count, mf->events, sizeof(arg.count));
	arg.own_exclusive = mf->own_exclusive;
	arg.dropped = mf->dropped;
	if (arg.flags & MMREPRO_EVENTS_RESET) {
		memset(mf->events, 0, sizeof(mf->events));
		mf->own_exclusive = 0;
		mf->dropped = 0;
	}
	mutex_unlock(&mf->excl_lock);

	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}
