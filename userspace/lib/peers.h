/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-tree test drivers mmrepro is measured against (`mmrepro bench`):
 * mm/gup_test.c (CONFIG_GUP_TEST, /sys/kernel/debug/gup_test) and
 * lib/test_hmm.c (CONFIG_TEST_HMM, /dev/hmm_dmirror0). Their ioctl ABIs
 * are test interfaces, not UAPI headers a distribution installs; the
 * layouts below are those of mm/gup_test.h and lib/test_hmm_uapi.h, the
 * same in 6.1, 6.12 and 7.2.
 */
#ifndef MMREPRO_PEERS_H
#define MMREPRO_PEERS_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <stddef.h>

#define GUP_TEST_PATH		"/sys/kernel/debug/gup_test"
#define HMM_DMIRROR_PATH	"/dev/hmm_dmirror0"

/* mm/gup_test.h */
#define GUP_TEST_MAX_PAGES_TO_DUMP	8
struct gup_test {
	__u64 get_delta_usec;	/* out: time the get/pin loop took (kernel-timed) */
	__u64 put_delta_usec;	/* out: time the put/unpin took */
	__u64 addr;
	__u64 size;
	__u32 nr_pages_per_call;
	__u32 gup_flags;
	__u32 test_flags;
	__u32 which_pages[GUP_TEST_MAX_PAGES_TO_DUMP];
};
#define PIN_LONGTERM_BENCHMARK	_IOWR('g', 3, struct gup_test)
#define PIN_BASIC_TEST		_IOWR('g', 5, struct gup_test)
#define GUP_TEST_FOLL_WRITE	0x01	/* FOLL_WRITE in include/linux/mm_types.h */

/* lib/test_hmm_uapi.h */
struct hmm_dmirror_cmd {
	__u64 addr;
	__u64 ptr;
	__u64 npages;
	__u64 cpages;
	__u64 faults;
};
#define HMM_DMIRROR_SNAPSHOT	_IOWR('H', 0x04, struct hmm_dmirror_cmd)
#define HMM_DMIRROR_EXCLUSIVE	_IOWR('H', 0x05, struct hmm_dmirror_cmd)

/*
 * One gup_test call (cmd: PIN_BASIC_TEST or PIN_LONGTERM_BENCHMARK) over
 * npages at addr, all in one pin_user_pages() call; the kernel's own
 * get/put times in ns. 0 or -errno.
 */
int peer_gup_test(int fd, unsigned long cmd, void *addr, size_t npages, size_t psz,
		  unsigned int gup_flags, double *get_ns, double *put_ns);

/* One test_hmm call (HMM_DMIRROR_EXCLUSIVE, ...) over npages; 0 or -errno. */
int peer_dmirror(int fd, unsigned long cmd, void *addr, size_t npages, void *buf);

#endif /* MMREPRO_PEERS_H */
