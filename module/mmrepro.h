/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MMREPRO_INTERNAL_H
#define MMREPRO_INTERNAL_H

#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/xarray.h>

#include "../uapi/linux/mmrepro.h"

/* A page in mmrepro_file.pins was pinned with FOLL_WRITE. */
#define MMREPRO_MARK_WRITE	XA_MARK_0

/*
 * One open file of /dev/mmrepro: the "device", bound to the opener's mm.
 *
 * @mm:		the opener's mm, held with mmgrab() (not mmget(): holding the
 *		file must not keep the address space alive).
 * @lock:	serialises changes to @pins and @nr_pinned. Never held across
 *		GUP, which may run MMU notifiers.
 * @pins:	user page number (address >> PAGE_SHIFT) -> struct page * the
 *		device holds pinned there.
 * @notifier:	MMU interval notifier over all of @mm (module/exclusive.c).
 * @excl_op_lock: one EXCLUSIVE at a time: the slot it reserves in @excl is
 *		its own until it stores or releases it.
 * @excl_lock:	serialises @excl, @nr_excl and the event counters; the
 *		notifier takes it, so it is never held across anything that
 *		may fault, reclaim or invalidate. Taken after @lock.
 * @excl:	user page number -> struct page * the device holds
 *		device-exclusive there, without a reference: the notifier
 *		drops it before the page can go away.
 * @events:	invalidations received, by MMREPRO_EV_*.
 * @own_exclusive: MMU_NOTIFY_EXCLUSIVE sent for our own EXCLUSIVE calls.
 * @dropped:	holds of @excl dropped by invalidations.
 */
struct mmrepro_file {
	struct mm_struct *mm;
	struct mutex lock;		/* protects pins and nr_pinned */
	struct xarray pins;
	unsigned long nr_pinned;	/* entries in pins */
#if IS_ENABLED(CONFIG_MMU_NOTIFIER)
	struct mmu_interval_notifier notifier;
#endif
	struct mutex excl_op_lock;	/* one EXCLUSIVE at a time */
	struct mutex excl_lock;		/* protects excl to dropped */
	struct xarray excl;
	unsigned long nr_excl;		/* entries in excl */
	u64 events[MMREPRO_EV_MAX];
	u64 own_exclusive;
	u64 dropped;
};

int mmrepro_page_range(u64 addr, u64 npages, u64 max_pages, unsigned long *first,
		       unsigned long *last);
int mmrepro_range_args(u64 addr, u64 npages, u32 flags, u32 pad, unsigned long *first,
		       unsigned long *last);
void mmrepro_copy_page(struct page *page, unsigned long off, char *p, unsigned long len,
		       bool write);
unsigned long mmrepro_unpin_all(struct mmrepro_file *mf);
bool mmrepro_addr_device_exclusive(struct mm_struct *mm, unsigned long addr);
bool mmrepro_addr_not_anon(struct mm_struct *mm, unsigned long addr);
int mmrepro_excl_init(struct mmrepro_file *mf);
void mmrepro_excl_fini(struct mmrepro_file *mf);

/*
 * The ioctl handlers, called by mmrepro_ioctl() (module/main.c), whose
 * table says which command each serves. @data is the dispatcher's kernel
 * copy of the command's argument struct (struct mmrepro_pin for PIN, ...):
 * the dispatcher copies it in and writes its output fields back; a handler
 * only fills them in. Buffers the struct points to (DEV_READ's buf,
 * SNAPSHOT's states, ...) are the handler's to copy.
 */
long mmrepro_ioc_pin_check(struct mmrepro_file *mf, void *data);
long mmrepro_ioc_pin(struct mmrepro_file *mf, void *data);
void mmrepro_ioc_pin_undo(struct mmrepro_file *mf, void *data);
long mmrepro_ioc_unpin(struct mmrepro_file *mf, void *data);
long mmrepro_ioc_dev_read(struct mmrepro_file *mf, void *data);
long mmrepro_ioc_dev_write(struct mmrepro_file *mf, void *data);
long mmrepro_ioc_snapshot(struct mmrepro_file *mf, void *data);
long mmrepro_ioc_force_protnone(struct mmrepro_file *mf, void *data);
long mmrepro_ioc_exclusive_check(struct mmrepro_file *mf, void *data);
long mmrepro_ioc_exclusive(struct mmrepro_file *mf, void *data);
long mmrepro_ioc_check_exclusive(struct mmrepro_file *mf, void *data);
long mmrepro_ioc_release(struct mmrepro_file *mf, void *data);
long mmrepro_ioc_events(struct mmrepro_file *mf, void *data);

#endif /* MMREPRO_INTERNAL_H */
