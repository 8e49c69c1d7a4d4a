/* SPDX-License-Identifier: GPL-2.0 */
/* Between the fuzzer's engine (fuzz.c) and its operations (fuzz_ops.c). */
#ifndef MMREPRO_FUZZ_IMPL_H
#define MMREPRO_FUZZ_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "scenarios/fuzz.h"

#define FUZZ_REGIONS	4
#define FUZZ_PAGES	8
#define FUZZ_EPOCH_MS	250
#define FUZZ_BUF	(64 << 10)

struct fuzz_shared {
	char *window;		/* FUZZ_REGIONS + 1 slots of FUZZ_PAGES pages */
	size_t psz, slot;	/* page size, slot size in bytes */
	pthread_mutex_t remap_lock;	/* one mremap at a time: they share the spare slot */
	atomic_int fd;		/* the device; another thread may close and reopen it */
	atomic_bool stop;
	atomic_ullong ops, ioctls, ioctl_ok, forks, reopens;
	/* Epochs: the threads stop together, the invariant is checked, they go on. */
	atomic_llong epoch_end_ms;
	pthread_barrier_t pause, resume;
	unsigned long long checks, violations;
	char first_violation[96];
};

struct fuzz_thread {
	struct fuzz_shared *sh;
	uint64_t rng;
	unsigned int id;
	char buf[FUZZ_BUF];	/* the thread's user buffer for the ioctls */
};

/* SIGSEGV/SIGBUS during a CPU access the thread expected might fault. */
void fuzz_on_fault(int sig);

/* One operation each, drawn by the thread's loop. */
void fuzz_op_ioctl(struct fuzz_thread *t);
void fuzz_op_touch(struct fuzz_thread *t);
void fuzz_op_mm(struct fuzz_thread *t, bool in_child);
void fuzz_op_fork(struct fuzz_thread *t);
void fuzz_op_reopen(struct fuzz_thread *t);

#endif /* MMREPRO_FUZZ_IMPL_H */
