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
 *
 * Recording a page follows the mmu_interval_notifier protocol, as
 * nouveau_atomic_range_fault() and test_hmm's dmirror do:
 * mmu_interval_read_begin() on the device's notifier before
 * make_device_exclusive(), and mmu_interval_read_retry() under excl_lock
 * before the page is stored. The notifier's callback drops holds and moves
 * the sequence count in one critical section under that lock, so a zap of
 * the new entry (MADV_DONTNEED runs under the mmap read lock and takes no
 * folio lock) either comes before the check, which then says retry, or
 * after the store, which it then drops. Without it the device kept pages
 * that were already freed (scenario exclusive-race). One notifier it must
 * be: a second one over the page, whose callback ran after the first had
 * found nothing to drop, let a store slip in between.
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
/* How long one page may keep losing the race before EXCLUSIVE says EBUSY. */
#define MMREPRO_EXCL_TIMEOUT_MS	1000

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
	bool blockable = mmu_notifier_range_blockable(range);
	unsigned long index;
	struct page *page;

	if (blockable)
		mutex_lock(&mf->excl_lock);
	else if (!mutex_trylock(&mf->excl_lock))
		return false;

	/*
	 * Our own EXCLUSIVE call announcing the entry it is about to install:
	 * the kernel asks the caller to filter it out, else the device would
	 * drop what it is being given.
	 */
	if (range->event == MMU_NOTIFY_EXCLUSIVE && range->owner == mf) {
		mf->own_exclusive++;
		goto out;
	}
	mmu_interval_set_seq(mni, cur_seq);
	mf->events[mmrepro_event_index(range->event)]++;
	xa_for_each_range(&mf->excl, index, page, range->start >> PAGE_SHIFT,
			  (range->end - 1) >> PAGE_SHIFT) {
		xa_erase(&mf->excl, index);
		mf->nr_excl--;
		/* MMU_NOTIFY_RELEASE covers every hold: let others run */
		if (!(++mf->dropped % MMREPRO_RELEASE_BATCH) && blockable)
			cond_resched();
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
		/*
		 * Without memory for the batch, or when the caller is being
		 * killed, holds are dropped, not restored: the CPU's next
		 * access restores a device-exclusive entry anyway.
		 */
		if (batch && mmget_not_zero(mf->mm)) {
			if (!mmap_read_lock_killable(mf->mm)) {
				for (i = 0; i < n && !fatal_signal_pending(current); i++)
					fixup_user_fault(mf->mm, batch[i] << PAGE_SHIFT, 0, NULL);
				mmap_read_unlock(mf->mm);
			}
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
/*
 * A try that lost the race left a device-exclusive entry nobody holds:
 * give it back to the CPU (a read fault restores the PTE), so the next try
 * starts from an ordinary PTE and does not invalidate itself by faulting
 * it back.
 */
static void mmrepro_excl_undo(struct mm_struct *mm, unsigned long addr)
{
	if (mmap_read_lock_killable(mm))
		return;
	if (mmrepro_addr_device_exclusive(mm, addr))
		fixup_user_fault(mm, addr, 0, NULL);
	mmap_read_unlock(mm);
}

/*
 * Make one page exclusive and record it. Called with excl_op_lock held, so
 * the slot reserved here is this call's alone.
 */
static int mmrepro_excl_one(struct mmrepro_file *mf, unsigned long addr)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(MMREPRO_EXCL_TIMEOUT_MS);
	unsigned long index = addr >> PAGE_SHIFT, seq;
	struct folio *folio;
	struct page *page;
	bool held;
	int ret;

	lockdep_assert_held(&mf->excl_op_lock);
	/*
	 * Already the device's: nothing to do. Making it exclusive again would
	 * fault it back first, which drops the hold.
	 */
	mutex_lock(&mf->excl_lock);
	held = xa_load(&mf->excl, index);
	mutex_unlock(&mf->excl_lock);
	if (held)
		return 0;

	/* Allocate the slot now: no allocation under excl_lock. */
	ret = xa_reserve(&mf->excl, index, GFP_KERNEL_ACCOUNT);
	if (ret)
		return ret;

	for (;;) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (time_after(jiffies, timeout)) {
			ret = -EBUSY;
			break;
		}
		seq = mmu_interval_read_begin(&mf->notifier);
		if (mmap_read_lock_killable(mf->mm)) {
			ret = -EINTR;
			break;
		}
		page = mmrepro_make_device_exclusive(mf->mm, addr, mf, &folio);
		/*
		 * Up to 6.14 the kernel refuses a page that is not anonymous
		 * without saying why: say EOPNOTSUPP, as 6.15 on does.
		 */
		if (MMREPRO_EXCL_REFUSES_SILENTLY && PTR_ERR_OR_ZERO(page) == -EBUSY &&
		    mmrepro_addr_not_anon(mf->mm, addr))
			page = ERR_PTR(-EOPNOTSUPP);
		mmap_read_unlock(mf->mm);
		if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			break;
		}

		mutex_lock(&mf->excl_lock);
		if (!mmu_interval_read_retry(&mf->notifier, seq)) {
			/*
			 * No invalidation since read_begin: the entry is in
			 * place, and any later one takes excl_lock first and
			 * drops what is stored here.
			 */
			xa_store(&mf->excl, index, page, GFP_NOWAIT);
			mf->nr_excl++;
			mutex_unlock(&mf->excl_lock);
			folio_unlock(folio);
			folio_put(folio);
			ret = 0;
			break;
		}
		mutex_unlock(&mf->excl_lock);
		folio_unlock(folio);
		folio_put(folio);
		mmrepro_excl_undo(mf->mm, addr);
		cond_resched();
	}
	if (ret)
		xa_release(&mf->excl, index);
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
			mmrepro_copy_page(page, 0, bounce + j * PAGE_SIZE, PAGE_SIZE, false);
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

	if (mutex_lock_killable(&mf->excl_op_lock))
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
	mutex_unlock(&mf->excl_op_lock);
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

/*
 * EXCLUSIVE's argument checks, first, so that a kernel without the API
 * still says EINVAL. Once they pass, done is written back whatever
 * mmrepro_ioc_exclusive() returns (MMREPRO_OUT_ALWAYS): on failure it says
 * how many pages were made exclusive before it.
 */
long mmrepro_ioc_exclusive_check(struct mmrepro_file *mf, void *data)
{
	struct mmrepro_exclusive *arg = data;
	unsigned long first, last;

	return mmrepro_range_args(arg->addr, arg->npages, arg->flags, arg->pad, &first, &last);
}

long mmrepro_ioc_exclusive(struct mmrepro_file *mf, void *data)
{
	struct mmrepro_exclusive *arg = data;
	long ret;

	arg->done = 0;
	ret = mmrepro_excl_range(mf, arg->addr, arg->npages, &arg->done);
	/* The view of what was made exclusive, also when a later page failed. */
	if (arg->buf && arg->done) {
		long cret = mmrepro_excl_copy_out(mf, arg->addr, arg->done,
						  u64_to_user_ptr(arg->buf));

		if (!ret)
			ret = cret;
	}
	return ret;
}

long mmrepro_ioc_check_exclusive(struct mmrepro_file *mf, void *data)
{
	struct mmrepro_check_exclusive *arg = data;
	unsigned long first, last, index;
	struct page *page;
	u64 held = 0;
	long ret;

	ret = mmrepro_range_args(arg->addr, arg->npages, arg->flags, arg->pad, &first, &last);
	if (ret)
		return ret;
	mutex_lock(&mf->excl_lock);
	xa_for_each_range(&mf->excl, index, page, first, last)
		held++;
	mutex_unlock(&mf->excl_lock);
	arg->held = held;
	return 0;
}

long mmrepro_ioc_release(struct mmrepro_file *mf, void *data)
{
	unsigned long first = 0, last = ULONG_MAX;
	struct mmrepro_release *arg = data;
	long ret;

	if (arg->pad || (arg->flags & ~MMREPRO_RELEASE_ALL))
		return -EINVAL;
	if (!(arg->flags & MMREPRO_RELEASE_ALL)) {
		ret = mmrepro_page_range(arg->addr, arg->npages, U64_MAX, &first, &last);
		if (ret)
			return ret;
	}
	arg->released = mmrepro_excl_release(mf, first, last);
	return 0;
}

long mmrepro_ioc_events(struct mmrepro_file *mf, void *data)
{
	struct mmrepro_events *arg = data;

	if (arg->pad || (arg->flags & ~MMREPRO_EVENTS_RESET))
		return -EINVAL;
	if (!IS_ENABLED(CONFIG_MMU_NOTIFIER))
		return -EOPNOTSUPP;

	mutex_lock(&mf->excl_lock);
	memcpy(arg->count, mf->events, sizeof(arg->count));
	arg->own_exclusive = mf->own_exclusive;
	arg->dropped = mf->dropped;
	if (arg->flags & MMREPRO_EVENTS_RESET) {
		memset(mf->events, 0, sizeof(mf->events));
		mf->own_exclusive = 0;
		mf->dropped = 0;
	}
	mutex_unlock(&mf->excl_lock);
	return 0;
}
