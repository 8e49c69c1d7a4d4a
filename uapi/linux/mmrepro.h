/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mmrepro: ABI between the mmrepro module (/dev/mmrepro) and its users.
 *
 * Each open file of /dev/mmrepro is a "device" bound to the opener's mm.
 * Pages it pins stay held by the file until MMREPRO_IOC_UNPIN or until
 * the file is released (close, or exit of the last process holding it).
 *
 * All structures have fixed layout on 32- and 64-bit (only __u32/__u64,
 * explicit padding). Reserved and padding fields must be zero: a non-zero
 * value fails with EINVAL, so later ABI versions can give them meaning.
 *
 * Errors common to all ioctls (docs/hostile-inputs.md lists every hostile
 * input the scenario ioctl-abi tries, with its errno):
 *   ENOTTY      unknown ioctl number (the argument size is part of it)
 *   EFAULT      the argument pointer (or a buffer it names) is not readable
 *               or writable; when only the struct's output fields cannot be
 *               written, what the call did stays done (UNPIN, EXCLUSIVE,
 *               RELEASE, FORCE_PROTNONE), except for PIN, which keeps
 *               nothing
 *   EINVAL      a reserved or padding field is non-zero, or an unknown flag
 *   EPERM       the caller's mm is not the mm that opened the file (for
 *               example a child that inherited the descriptor across fork);
 *               only MMREPRO_IOC_INFO, DEV_READ, DEV_WRITE, CHECK_EXCLUSIVE
 *               and EVENTS may be used from another mm
 */
#ifndef _UAPI_LINUX_MMREPRO_H
#define _UAPI_LINUX_MMREPRO_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define MMREPRO_DEVICE		"/dev/mmrepro"
/*
 * 2: pins are bounded (MMREPRO_MAX_HELD_PAGES, ENOSPC) and charged to
 * RLIMIT_MEMLOCK (ENOMEM); INFO reports max_held_pages.
 */
#define MMREPRO_ABI_VERSION	2

/* Most pages one MMREPRO_IOC_PIN call takes: 1 GiB of 4 KiB pages. */
#define MMREPRO_MAX_PIN_PAGES	262144

/*
 * Most pages all open files together hold pinned: 4 GiB of 4 KiB pages.
 * Also what keeps pins from overflowing a page's refcount (the shared zero
 * page, pinned read-only over untouched memory, before 6.5).
 */
#define MMREPRO_MAX_HELD_PAGES	1048576
/* Most bytes one DEV_READ / DEV_WRITE call copies. */
#define MMREPRO_MAX_IO_BYTES	(16U << 20)

/* struct mmrepro_info.caps */
#define MMREPRO_CAP_HONOR_NUMA_FAULT	_BITULL(0) /* FOLL_HONOR_NUMA_FAULT exists */
#define MMREPRO_CAP_DEVICE_EXCLUSIVE	_BITULL(1) /* a make_device_exclusive API exists */
#define MMREPRO_CAP_PIN_LONGTERM	_BITULL(2) /* FOLL_LONGTERM accepted by pin_user_pages() */
#define MMREPRO_CAP_FORCE_PROTNONE	_BITULL(3) /* MMREPRO_IOC_FORCE_PROTNONE works on PTEs */
#define MMREPRO_CAP_FORCE_PROTNONE_PMD	_BITULL(4) /* ... and on PMD-mapped THPs */
#define MMREPRO_CAP_PROTNONE_NOTIFIERS	_BITULL(5) /* ... and tells MMU notifiers */
#define MMREPRO_CAP_NOTIFIER_EVENTS	_BITULL(6) /* MMREPRO_IOC_EVENTS counts invalidations */
/*
 * The kernel has CONFIG_NUMA_BALANCING: its own scanner (task_numa_work(),
 * paced by kernel.numa_balancing and /sys/kernel/debug/sched/numa_balancing)
 * makes NUMA-hinting PROT_NONE entries, with or without FORCE_PROTNONE.
 */
#define MMREPRO_CAP_NUMA_BALANCING	_BITULL(7)

/* struct mmrepro_info.pin_api: the pin_user_pages() form the module was built with */
#define MMREPRO_PIN_API_VMAS		1 /* pin_user_pages(start, n, flags, pages, vmas): < 6.5 */
#define MMREPRO_PIN_API_NO_VMAS		2 /* pin_user_pages(start, n, flags, pages): >= 6.5 */

/*
 * struct mmrepro_info.protnone_method: how MMREPRO_IOC_FORCE_PROTNONE
 * reaches the state change_prot_numa() leaves. No stock kernel exports a
 * function that does it: change_prot_numa() is not exported, and what a
 * module would need to do it by hand (pte_modify()'s cc_mask on x86, a TLB
 * flush, the MMU notifier entry points) is not exported either.
 */
#define MMREPRO_PROTNONE_NONE		0 /* no way on this kernel: scenarios skip */
/*
 * PATCHED: the kernel carries mmrepro's patch (tests/kernel/patches), which
 * exports change_prot_numa_force(): change_protection(MM_CP_PROT_NUMA)
 * without the placement heuristics, so MMU notifiers, TLB flushing and THP
 * handling are the kernel's own.
 */
#define MMREPRO_PROTNONE_PATCHED	1

/* struct mmrepro_info.exclusive_api */
#define MMREPRO_EXCL_API_NONE		0 /* no CONFIG_DEVICE_PRIVATE, or no such function */
#define MMREPRO_EXCL_API_RANGE		1 /* make_device_exclusive_range(): <= 6.14 */
#define MMREPRO_EXCL_API_SINGLE		2 /* make_device_exclusive(): >= 6.15 */

struct mmrepro_info {
	__u32 abi_version;	/* out: MMREPRO_ABI_VERSION of the module */
	__u32 page_size;	/* out: PAGE_SIZE */
	__u64 caps;		/* out: MMREPRO_CAP_* */
	__u32 pin_api;		/* out: MMREPRO_PIN_API_* */
	__u32 exclusive_api;	/* out: MMREPRO_EXCL_API_* */
	__u32 max_pin_pages;	/* out: MMREPRO_MAX_PIN_PAGES */
	__u32 max_io_bytes;	/* out: MMREPRO_MAX_IO_BYTES */
	__u64 pinned_pages;	/* out: pages this file holds pinned now */
	char release[65];	/* out: utsname()->release of the running kernel */
	char module_version[31]; /* out: the module's version string */
	__u32 protnone_method;	/* out: MMREPRO_PROTNONE_* */
	__u32 pad;		/* out: zero */
	__u64 exclusive_pages;	/* out: pages this file holds device-exclusive now */
	__u64 max_held_pages;	/* out: MMREPRO_MAX_HELD_PAGES */
	__u64 reserved;		/* out: zero */
};

/* struct mmrepro_pin.flags */
#define MMREPRO_PIN_WRITE		_BITUL(0) /* FOLL_WRITE */
#define MMREPRO_PIN_LONGTERM		_BITUL(1) /* FOLL_LONGTERM */
#define MMREPRO_PIN_HONOR_NUMA_FAULT	_BITUL(2) /* FOLL_HONOR_NUMA_FAULT */
#define MMREPRO_PIN_FLAGS_ALL		(MMREPRO_PIN_WRITE | MMREPRO_PIN_LONGTERM | \
					 MMREPRO_PIN_HONOR_NUMA_FAULT)

/*
 * MMREPRO_IOC_PIN: pin_user_pages() on [addr, addr + npages * page_size)
 * of the caller's mm; the pages stay held by the file. They are charged to
 * the mm's pinned_vm (as RDMA charges the pages a device holds) against
 * RLIMIT_MEMLOCK, unless the caller has CAP_IPC_LOCK, and count towards
 * MMREPRO_MAX_HELD_PAGES. On any error nothing stays pinned and pinned is 0.
 *
 *   EINVAL      addr not page aligned, npages 0, or an unknown flag
 *   E2BIG       npages > MMREPRO_MAX_PIN_PAGES
 *   EOVERFLOW   the range wraps around the end of the address space (or,
 *               on a 32-bit kernel, ends above 4 GiB)
 *   EFAULT      part of the range is not mapped, or not writable with
 *               MMREPRO_PIN_WRITE; or the struct is not writable
 *   EBUSY       part of the range is already held by this file
 *   EOPNOTSUPP  MMREPRO_PIN_HONOR_NUMA_FAULT on a kernel without it
 *   ENOSPC      the files would hold more than MMREPRO_MAX_HELD_PAGES
 *   ENOMEM      over RLIMIT_MEMLOCK without CAP_IPC_LOCK, or out of memory
 *   EINTR       a fatal signal came while pinning
 *   other       as returned by pin_user_pages()
 */
struct mmrepro_pin {
	__u64 addr;		/* in: first byte, page aligned */
	__u64 npages;		/* in: pages to pin */
	__u32 flags;		/* in: MMREPRO_PIN_* */
	__u32 pad;		/* in: zero */
	__u64 pinned;		/* out: pages pinned (== npages on success) */
};

/* struct mmrepro_unpin.flags */
#define MMREPRO_UNPIN_ALL		_BITUL(0) /* ignore addr/npages: unpin everything */

/*
 * MMREPRO_IOC_UNPIN: release the held pages of a range (pages of the range
 * that are not held are skipped), or all of them with MMREPRO_UNPIN_ALL.
 *
 *   EINVAL      addr not page aligned, npages 0 (without UNPIN_ALL),
 *               or an unknown flag
 *   EOVERFLOW   the range wraps
 */
struct mmrepro_unpin {
	__u64 addr;		/* in */
	__u64 npages;		/* in */
	__u32 flags;		/* in: MMREPRO_UNPIN_* */
	__u32 pad;		/* in: zero */
	__u64 unpinned;		/* out: pages released */
};

/*
 * MMREPRO_IOC_DEV_READ / MMREPRO_IOC_DEV_WRITE: copy bytes between a user
 * buffer and the pages the file holds for [addr, addr + len), the device's
 * view of that memory. DEV_WRITE marks the pages dirty.
 *
 *   EINVAL      len 0
 *   E2BIG       len > MMREPRO_MAX_IO_BYTES
 *   EOVERFLOW   the range wraps
 *   ENOENT      a page of the range is not held by this file (pinned, or
 *               device-exclusive); checked before anything is copied, except
 *               that a device-exclusive page the CPU takes back during the
 *               copy ends it there (DEV_WRITE: the bytes before it landed)
 *   EACCES      DEV_WRITE to a page pinned without MMREPRO_PIN_WRITE
 *   EFAULT      buf is not accessible
 */
struct mmrepro_io {
	__u64 addr;		/* in: user address the device holds; any alignment */
	__u64 len;		/* in: bytes */
	__u64 buf;		/* in: user buffer (pointer cast to __u64) */
};

/*
 * MMREPRO_IOC_FORCE_PROTNONE: turn the present PTEs (and PMD-mapped THPs,
 * with MMREPRO_CAP_FORCE_PROTNONE_PMD) of [addr, addr + npages * page_size)
 * in the caller's mm into NUMA-hinting PROT_NONE entries, as
 * change_prot_numa() would but without its heuristics: pinned pages, pages
 * on the local node and shared pages are changed too. The next CPU access
 * takes a NUMA-hinting fault. Entries already PROT_NONE or not present are
 * left alone.
 *
 *   EINVAL      addr not page aligned, npages 0, non-zero flags or pad
 *   E2BIG       npages > MMREPRO_MAX_PIN_PAGES
 *   EOVERFLOW   the range wraps
 *   EFAULT      part of the range is not covered by a VMA
 *   EACCES      a VMA of the range is inaccessible (PROT_NONE): NUMA hinting
 *               does not apply there
 *   EOPNOTSUPP  no method on this kernel (see protnone_method), a hugetlb,
 *               VM_PFNMAP or VM_IO VMA, or a PMD-mapped THP without
 *               MMREPRO_CAP_FORCE_PROTNONE_PMD
 */
struct mmrepro_protnone {
	__u64 addr;		/* in */
	__u64 npages;		/* in */
	__u32 flags;		/* in: zero */
	__u32 pad;		/* in: zero */
	__u64 changed;		/* out: pages whose mapping became PROT_NONE */
};

/* struct mmrepro_page_state.flags */
#define MMREPRO_PS_PRESENT	_BITUL(0)  /* mapped (includes PROT_NONE-mapped) */
#define MMREPRO_PS_WRITE	_BITUL(1)  /* mapped writable */
#define MMREPRO_PS_PROTNONE	_BITUL(2)  /* PROT_NONE entry (NUMA hinting or PROT_NONE VMA) */
#define MMREPRO_PS_PMD		_BITUL(3)  /* mapped by a PMD (THP) */
#define MMREPRO_PS_HUGETLB	_BITUL(4)  /* in a hugetlb VMA */
#define MMREPRO_PS_SWAP		_BITUL(5)  /* swap entry */
#define MMREPRO_PS_MIGRATION	_BITUL(6)  /* migration entry */
#define MMREPRO_PS_DEVICE_EXCLUSIVE _BITUL(7) /* device-exclusive entry */
#define MMREPRO_PS_MAYBE_PINNED	_BITUL(8)  /* folio_maybe_dma_pinned() */
#define MMREPRO_PS_HELD		_BITUL(9)  /* pinned by this file */
#define MMREPRO_PS_ANON		_BITUL(10) /* anonymous page */
#define MMREPRO_PS_KSM		_BITUL(11) /* KSM page */
#define MMREPRO_PS_OTHER	_BITUL(12) /* another non-present entry */
#define MMREPRO_PS_NO_VMA	_BITUL(13) /* no VMA at this address */

struct mmrepro_page_state {
	__u32 flags;		/* MMREPRO_PS_*; 0: nothing mapped */
	__s32 nid;		/* NUMA node of the page, or -1 */
};

/*
 * MMREPRO_IOC_SNAPSHOT: the state of each page of [addr, addr + npages *
 * page_size) in the file's mm as its page tables say, into the array of
 * npages struct mmrepro_page_state at states. A snapshot, not a lock:
 * entries may change right after.
 *
 *   EINVAL      addr not page aligned, npages 0, non-zero flags or pad
 *   E2BIG       npages > MMREPRO_MAX_PIN_PAGES
 *   EOVERFLOW   the range wraps
 *   EFAULT      states is not writable
 */
struct mmrepro_snapshot {
	__u64 addr;		/* in */
	__u64 npages;		/* in */
	__u64 states;		/* in: user pointer to npages entries */
	__u32 flags;		/* in: zero */
	__u32 pad;		/* in: zero */
};

/*
 * MMREPRO_IOC_EXCLUSIVE: make each page of [addr, addr + npages * page_size)
 * device-exclusive for this file, as lib/test_hmm's HMM_DMIRROR_EXCLUSIVE
 * does: make_device_exclusive() (or make_device_exclusive_range()) page by
 * page, in order, stopping at the first page that fails. The file then
 * holds those pages (without a reference: the MMU notifier drops a page's
 * hold on any invalidation of it, the CPU taking it back among them) and
 * DEV_READ / DEV_WRITE reach them. If buf is not 0, the device's view of
 * the pages made exclusive is copied there (npages * page_size bytes).
 *
 *   EINVAL      addr not page aligned, npages 0, non-zero flags or pad
 *   E2BIG       npages > MMREPRO_MAX_PIN_PAGES
 *   EOVERFLOW   the range wraps
 *   EOPNOTSUPP  no device-exclusive API on this kernel (see exclusive_api),
 *               or the kernel refused a page (hugetlb, not anonymous)
 *   EBUSY       the kernel could not make a page exclusive (a THP tail page
 *               before 6.15, a folio it could not lock), or the page kept
 *               being invalidated while the device tried for 1 s
 *   EFAULT      a page is not mapped writable, or buf is not writable
 *   ENOENT      a page made exclusive was taken back by the CPU before its
 *               view could be copied to buf
 *   EINTR       a fatal signal came
 *   other       as returned by the kernel's function
 * A page this file already holds exclusive counts as made exclusive (it
 * is not taken again).
 * On error, done says how many pages (from addr on) were made exclusive
 * before the failure; the file holds those, and buf has their view.
 */
struct mmrepro_exclusive {
	__u64 addr;		/* in */
	__u64 npages;		/* in */
	__u64 buf;		/* in: user buffer for the device's view, or 0 */
	__u32 flags;		/* in: zero */
	__u32 pad;		/* in: zero */
	__u64 done;		/* out: pages made exclusive */
};

/*
 * MMREPRO_IOC_CHECK_EXCLUSIVE: how many pages of the range this file still
 * holds device-exclusive. lib/test_hmm's HMM_DMIRROR_CHECK_EXCLUSIVE fails
 * with EPERM exactly when this count is not 0.
 *
 *   EINVAL / E2BIG / EOVERFLOW as for MMREPRO_IOC_EXCLUSIVE
 */
struct mmrepro_check_exclusive {
	__u64 addr;		/* in */
	__u64 npages;		/* in */
	__u32 flags;		/* in: zero */
	__u32 pad;		/* in: zero */
	__u64 held;		/* out */
};

/* struct mmrepro_release.flags */
#define MMREPRO_RELEASE_ALL		_BITUL(0) /* ignore addr/npages: everything */

/*
 * MMREPRO_IOC_RELEASE: the device gives the exclusive pages of a range (or
 * all, with MMREPRO_RELEASE_ALL) back to the CPU: the file drops its hold
 * and, while the mm is alive, faults each page in so that its
 * device-exclusive entry becomes an ordinary PTE again. Closing the file
 * does the same.
 *
 *   EINVAL      addr not page aligned, npages 0 (without RELEASE_ALL), or
 *               an unknown flag
 *   EOVERFLOW   the range wraps
 */
struct mmrepro_release {
	__u64 addr;		/* in */
	__u64 npages;		/* in */
	__u32 flags;		/* in: MMREPRO_RELEASE_* */
	__u32 pad;		/* in: zero */
	__u64 released;		/* out: holds dropped */
};

/* Indexes of struct mmrepro_events.count: enum mmu_notifier_event */
#define MMREPRO_EV_UNMAP		0
#define MMREPRO_EV_CLEAR		1
#define MMREPRO_EV_PROTECTION_VMA	2
#define MMREPRO_EV_PROTECTION_PAGE	3
#define MMREPRO_EV_SOFT_DIRTY		4
#define MMREPRO_EV_RELEASE		5
#define MMREPRO_EV_MIGRATE		6
#define MMREPRO_EV_EXCLUSIVE		7 /* not counting this file's own EXCLUSIVE calls */
#define MMREPRO_EV_OTHER		8 /* an event this module does not know */
#define MMREPRO_EV_MAX			12

/* struct mmrepro_events.flags */
#define MMREPRO_EVENTS_RESET		_BITUL(0) /* zero the counters after reading */

/*
 * MMREPRO_IOC_EVENTS: the invalidations this file's MMU interval notifier
 * (over the whole of the opener's address space) has received since open
 * or the last reset, by event. Needs MMREPRO_CAP_NOTIFIER_EVENTS.
 *
 *   EINVAL      an unknown flag, non-zero pad
 *   EOPNOTSUPP  no MMU notifiers in this kernel
 */
struct mmrepro_events {
	__u32 flags;		/* in: MMREPRO_EVENTS_* */
	__u32 pad;		/* in: zero */
	__u64 count[MMREPRO_EV_MAX]; /* out: by MMREPRO_EV_* */
	/* out: MMU_NOTIFY_EXCLUSIVE sent for this file's own EXCLUSIVE calls */
	__u64 own_exclusive;
	__u64 dropped;		/* out: exclusive holds dropped by invalidations */
};

#define MMREPRO_IOC_MAGIC	0xB7

#define MMREPRO_IOC_INFO	_IOR(MMREPRO_IOC_MAGIC, 0x00, struct mmrepro_info)
#define MMREPRO_IOC_PIN		_IOWR(MMREPRO_IOC_MAGIC, 0x01, struct mmrepro_pin)
#define MMREPRO_IOC_UNPIN	_IOWR(MMREPRO_IOC_MAGIC, 0x02, struct mmrepro_unpin)
#define MMREPRO_IOC_DEV_READ	_IOW(MMREPRO_IOC_MAGIC, 0x03, struct mmrepro_io)
#define MMREPRO_IOC_DEV_WRITE	_IOW(MMREPRO_IOC_MAGIC, 0x04, struct mmrepro_io)
#define MMREPRO_IOC_FORCE_PROTNONE _IOWR(MMREPRO_IOC_MAGIC, 0x05, struct mmrepro_protnone)
#define MMREPRO_IOC_SNAPSHOT	_IOW(MMREPRO_IOC_MAGIC, 0x06, struct mmrepro_snapshot)
#define MMREPRO_IOC_EXCLUSIVE	_IOWR(MMREPRO_IOC_MAGIC, 0x07, struct mmrepro_exclusive)
#define MMREPRO_IOC_CHECK_EXCLUSIVE _IOWR(MMREPRO_IOC_MAGIC, 0x08, struct mmrepro_check_exclusive)
#define MMREPRO_IOC_RELEASE	_IOWR(MMREPRO_IOC_MAGIC, 0x09, struct mmrepro_release)
#define MMREPRO_IOC_EVENTS	_IOWR(MMREPRO_IOC_MAGIC, 0x0a, struct mmrepro_events)

#endif /* _UAPI_LINUX_MMREPRO_H */
