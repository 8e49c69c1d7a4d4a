// SPDX-License-Identifier: GPL-2.0
/*
 * DEV_READ / DEV_WRITE: the device reads and writes the pages it holds
 * (pinned, or device-exclusive) through the kernel mapping, the way a DMA
 * engine or a device atomic would, independently of the CPU page tables.
 *
 * User memory is copied through a bounce buffer outside the locks: a user
 * copy can fault, and a fault can invalidate, and the invalidation takes
 * excl_lock (module/exclusive.c).
 */
#include <linux/highmem.h>
#include <linux/instrumented.h>
#include <linux/mm.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "mmrepro.h"

/*
 * The page the device holds at user page number @index, pinned first, or
 * an ERR_PTR: -ENOENT, or -EACCES for a write to a read-only pin. Called
 * with mf->lock and mf->excl_lock.
 */
static struct page *mmrepro_held_page(struct mmrepro_file *mf, unsigned long index, bool write)
{
	struct page *page;

	page = xa_load(&mf->pins, index);
	if (page) {
		if (write && !xa_get_mark(&mf->pins, index, MMREPRO_MARK_WRITE))
			return ERR_PTR(-EACCES);
		return page;
	}
	/* Exclusive pages were made so with FOLL_WRITE: writable. */
	page = xa_load(&mf->excl, index);
	return page ? page : ERR_PTR(-ENOENT);
}

/*
 * The device's access to a page it holds: len bytes at off, to or from p.
 * The access is announced to KASAN (and KCSAN) explicitly: with gcc < 13
 * and the generic entry code (x86), the compiler leaves memcpy()
 * unchecked, and the device touching a page it should no longer hold is
 * exactly what the debug lane must catch.
 */
void mmrepro_copy_page(struct page *page, unsigned long off, char *p, unsigned long len,
		       bool write)
{
	char *kaddr = kmap_local_page(page);

	if (write) {
		instrument_write(kaddr + off, len);
		memcpy(kaddr + off, p, len);
		flush_dcache_page(page);
	} else {
		instrument_read(kaddr + off, len);
		memcpy(p, kaddr + off, len);
	}
	kunmap_local(kaddr);
}

static long mmrepro_ioc_io(struct mmrepro_file *mf, const struct mmrepro_io *arg, bool write)
{
	unsigned long first, last, index, off, chunk;
	struct page *page;
	char *bounce, *p;
	u64 end, pos;
	long ret = 0;

	if (!arg->len)
		return -EINVAL;
	if (arg->len > MMREPRO_MAX_IO_BYTES)
		return -E2BIG;
	if (check_add_overflow(arg->addr, arg->len, &end))
		return -EOVERFLOW;
	first = arg->addr >> PAGE_SHIFT;
	last = (end - 1) >> PAGE_SHIFT;

	bounce = kvmalloc(arg->len, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	if (write && copy_from_user(bounce, u64_to_user_ptr(arg->buf), arg->len)) {
		ret = -EFAULT;
		goto out_free;
	}

	mutex_lock(&mf->lock);
	mutex_lock(&mf->excl_lock);
	/* Refuse before copying anything: the whole range must be held. */
	for (index = first; index <= last; index++) {
		page = mmrepro_held_page(mf, index, write);
		if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			break;
		}
	}
	mutex_unlock(&mf->excl_lock);
	if (ret)
		goto out_unlock;
	/*
	 * Pinned pages cannot go while mf->lock is held. An exclusive page is
	 * copied under excl_lock, one page at a time, so that invalidations
	 * of the mm wait for one page's copy at most; one taken back by the
	 * CPU meanwhile ends the copy with ENOENT.
	 */
	for (pos = arg->addr, p = bounce; pos < end; pos += chunk, p += chunk) {
		index = pos >> PAGE_SHIFT;
		off = offset_in_page(pos);
		chunk = min_t(u64, PAGE_SIZE - off, end - pos);
		page = xa_load(&mf->pins, index);
		if (page) {
			mmrepro_copy_page(page, off, p, chunk, write);
		} else {
			mutex_lock(&mf->excl_lock);
			page = xa_load(&mf->excl, index);
			if (page)
				mmrepro_copy_page(page, off, p, chunk, write);
			mutex_unlock(&mf->excl_lock);
			if (!page) {
				ret = -ENOENT;
				break;
			}
		}
		if (!((index - first) % 64))
			cond_resched();
	}
out_unlock:
	mutex_unlock(&mf->lock);
	if (!ret && !write && copy_to_user(u64_to_user_ptr(arg->buf), bounce, arg->len))
		ret = -EFAULT;
out_free:
	kvfree(bounce);
	return ret;
}

long mmrepro_ioc_dev_read(struct mmrepro_file *mf, void *data)
{
	return mmrepro_ioc_io(mf, data, false);
}

long mmrepro_ioc_dev_write(struct mmrepro_file *mf, void *data)
{
	return mmrepro_ioc_io(mf, data, true);
}
