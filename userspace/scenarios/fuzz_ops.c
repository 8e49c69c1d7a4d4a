// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer's operations (fuzz_impl.h): ioctls with drawn arguments, CPU
 * accesses, mprotect/munmap/mremap/madvise on the regions, fork and
 * reopening the device. The window and its regions: see fuzz.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lib/dev.h"
#include "scenarios/fuzz_impl.h"
#include "lib/memutil.h"

static __thread sigjmp_buf *fault_jmp;

void fuzz_on_fault(int sig)
{
	(void)sig;
	if (fault_jmp)
		siglongjmp(*fault_jmp, 1);
	_exit(3);
}


static char *region(struct fuzz_shared *sh, unsigned int r)
{
	return sh->window + r * sh->slot;
}

/* A page address in a region, or now and then a hostile one. */
static uint64_t pick_addr(struct fuzz_thread *t, uint64_t *npages)
{
	struct fuzz_shared *sh = t->sh;
	uint64_t r = fuzz_below(&t->rng, FUZZ_REGIONS), off = fuzz_below(&t->rng, FUZZ_PAGES);
	uint64_t addr = (uintptr_t)region(sh, r) + off * sh->psz;

	*npages = 1 + fuzz_below(&t->rng, FUZZ_PAGES - off);
	/* Half the time the hot page, alone: the threads collide on it. */
	if (fuzz_below(&t->rng, 2)) {
		addr = (uintptr_t)sh->window;
		*npages = 1;
	}
	switch (fuzz_below(&t->rng, 16)) {
	case 0:
		return addr + 1 + fuzz_below(&t->rng, sh->psz - 1);	/* unaligned */
	case 1:
		*npages = 0;
		return addr;
	case 2:
		*npages = MMREPRO_MAX_PIN_PAGES + 1 + fuzz_below(&t->rng, 4);
		return addr;
	case 3:
		*npages = 2;
		return UINT64_MAX & ~(uint64_t)(sh->psz - 1);		/* wraps */
	case 4:
		*npages = 1 + fuzz_below(&t->rng, 2 * FUZZ_PAGES);	/* past the region */
		return addr;
	default:
		return addr;
	}
}

/* Mostly 0, sometimes the valid bits, now and then garbage. */
static uint32_t pick_flags(struct fuzz_thread *t, uint32_t valid)
{
	switch (fuzz_below(&t->rng, 8)) {
	case 0:
		return (uint32_t)fuzz_next(&t->rng);
	case 1:
	case 2:
	case 3:
		return (uint32_t)fuzz_next(&t->rng) & valid;
	default:
		return 0;
	}
}

/* The thread's buffer, or now and then a pointer that is not one. */
static uint64_t pick_buf(struct fuzz_thread *t)
{
	switch (fuzz_below(&t->rng, 16)) {
	case 0:
		return 0;
	case 1:
		return 8;
	case 2:
		return (uintptr_t)region(t->sh, fuzz_below(&t->rng, FUZZ_REGIONS));
	default:
		return (uintptr_t)t->buf;
	}
}

static void do_ioctl(struct fuzz_thread *t, unsigned long req, void *arg)
{
	struct fuzz_shared *sh = t->sh;

	sh->ioctls++;
	if (!ioctl(atomic_load(&sh->fd), req, arg))
		sh->ioctl_ok++;
}

void fuzz_op_ioctl(struct fuzz_thread *t)
{
	uint64_t n, addr = pick_addr(t, &n);
	union {
		struct mmrepro_info info;
		struct mmrepro_pin pin;
		struct mmrepro_unpin unpin;
		struct mmrepro_io io;
		struct mmrepro_protnone pn;
		struct mmrepro_snapshot snap;
		struct mmrepro_exclusive ex;
		struct mmrepro_check_exclusive chk;
		struct mmrepro_release rel;
		struct mmrepro_events ev;
	} a;

	memset(&a, 0, sizeof(a));
	switch (fuzz_below(&t->rng, 13)) {
	case 0:
		a.pin = (struct mmrepro_pin){ .addr = addr, .npages = n,
			.flags = pick_flags(t, MMREPRO_PIN_FLAGS_ALL), .pad = !fuzz_below(&t->rng, 32) };
		do_ioctl(t, MMREPRO_IOC_PIN, &a);
		break;
	case 1:
		a.unpin = (struct mmrepro_unpin){ .addr = addr, .npages = n,
			.flags = pick_flags(t, MMREPRO_UNPIN_ALL) };
		do_ioctl(t, MMREPRO_IOC_UNPIN, &a);
		break;
	case 2:
	case 3:
		a.io = (struct mmrepro_io){ .addr = addr + fuzz_below(&t->rng, t->sh->psz),
			.len = fuzz_below(&t->rng, 2 * t->sh->psz + 1), .buf = pick_buf(t) };
		if (!fuzz_below(&t->rng, 32))
			a.io.len = MMREPRO_MAX_IO_BYTES + 1;
		do_ioctl(t, fuzz_below(&t->rng, 2) ? MMREPRO_IOC_DEV_WRITE : MMREPRO_IOC_DEV_READ, &a);
		break;
	case 4:
		a.snap = (struct mmrepro_snapshot){ .addr = addr, .npages = n,
			.states = pick_buf(t), .flags = pick_flags(t, 0) };
		do_ioctl(t, MMREPRO_IOC_SNAPSHOT, &a);
		break;
	case 5:
	case 6:
	case 11:
		a.ex = (struct mmrepro_exclusive){ .addr = addr, .npages = n,
			.buf = fuzz_below(&t->rng, 2) ? 0 : pick_buf(t), .flags = pick_flags(t, 0) };
		do_ioctl(t, MMREPRO_IOC_EXCLUSIVE, &a);
		break;
	case 7:
		a.chk = (struct mmrepro_check_exclusive){ .addr = addr, .npages = n };
		do_ioctl(t, MMREPRO_IOC_CHECK_EXCLUSIVE, &a);
		break;
	case 8:
		a.rel = (struct mmrepro_release){ .addr = addr, .npages = n,
			.flags = pick_flags(t, MMREPRO_RELEASE_ALL) };
		do_ioctl(t, MMREPRO_IOC_RELEASE, &a);
		break;
	case 9:
		a.ev.flags = pick_flags(t, MMREPRO_EVENTS_RESET);
		do_ioctl(t, MMREPRO_IOC_EVENTS, &a);
		break;
	case 10:
		a.pn = (struct mmrepro_protnone){ .addr = addr, .npages = n };
		do_ioctl(t, MMREPRO_IOC_FORCE_PROTNONE, &a);
		break;
	default:
		/* an ioctl number of ours with another size, or INFO */
		do_ioctl(t, fuzz_below(&t->rng, 4) ? MMREPRO_IOC_INFO :
			 _IOC(_IOC_READ | _IOC_WRITE, MMREPRO_IOC_MAGIC, fuzz_below(&t->rng, 16),
			      fuzz_below(&t->rng, 256)), &a);
		break;
	}
}

/* The CPU touches a region: reads, writes; faults on what it may not touch are survived. */
void fuzz_op_touch(struct fuzz_thread *t)
{
	struct fuzz_shared *sh = t->sh;
	char *r = region(sh, fuzz_below(&t->rng, FUZZ_REGIONS));
	volatile char *p = r + fuzz_below(&t->rng, FUZZ_PAGES) * sh->psz;
	sigjmp_buf jb;

	if (sigsetjmp(jb, 1)) {
		fault_jmp = NULL;
		return;
	}
	fault_jmp = &jb;
	if (fuzz_below(&t->rng, 2))
		p[fuzz_below(&t->rng, sh->psz)] = (char)fuzz_next(&t->rng);
	else
		(void)p[fuzz_below(&t->rng, sh->psz)];
	fault_jmp = NULL;
}

void fuzz_op_mm(struct fuzz_thread *t, bool in_child)
{
	static const int prots[] = { PROT_READ | PROT_WRITE, PROT_READ, PROT_NONE };
	static const int advice[] = { MADV_DONTNEED, MADV_PAGEOUT, MADV_COLD };
	struct fuzz_shared *sh = t->sh;
	unsigned int ri = fuzz_below(&t->rng, FUZZ_REGIONS);
	uint64_t off = fuzz_below(&t->rng, FUZZ_PAGES);
	uint64_t n = 1 + fuzz_below(&t->rng, FUZZ_PAGES - off);
	char *r = region(sh, ri), *at = r + off * sh->psz;

	if (fuzz_below(&t->rng, 2)) {	/* the hot page (see pick_addr()) */
		at = sh->window;
		n = 1;
	}
	char *spare = region(sh, FUZZ_REGIONS);

	switch (fuzz_below(&t->rng, 8)) {
	case 0:
		mprotect(at, n * sh->psz, prots[fuzz_below(&t->rng, 3)]);
		break;
	case 1:
		madvise(at, n * sh->psz, advice[fuzz_below(&t->rng, 3)]);
		break;
	case 5:
	case 6:
	case 7:
		/* one page zapped: the race with EXCLUSIVE that matters most */
		madvise(at, sh->psz, MADV_DONTNEED);
		break;
	case 2:
		/* "munmap": a fresh PROT_NONE mapping in its place */
		mmap(at, n * sh->psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		break;
	case 3:
		/* and a fresh read-write one */
		mmap(at, n * sh->psz, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		break;
	default:
		/*
		 * mremap to the spare slot and back. MREMAP_DONTUNMAP leaves
		 * an empty mapping behind each time: never a hole. A forked
		 * child skips it (the lock may be held by a thread it lacks).
		 */
		if (in_child)
			break;
		pthread_mutex_lock(&sh->remap_lock);
		if (mremap(r, sh->slot, sh->slot, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
			   spare) != MAP_FAILED)
			mremap(spare, sh->slot, sh->slot,
			       MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, r);
		pthread_mutex_unlock(&sh->remap_lock);
		break;
	}
}

/* fork: the child (another mm, the same file) tries a few things and exits. */
void fuzz_op_fork(struct fuzz_thread *t)
{
	pid_t pid = fork();
	int i;

	if (pid == 0) {
		for (i = 0; i < 8; i++) {
			switch (fuzz_below(&t->rng, 3)) {
			case 0:
				fuzz_op_ioctl(t);
				break;
			case 1:
				fuzz_op_touch(t);
				break;
			default:
				fuzz_op_mm(t, true);
				break;
			}
		}
		_exit(0);
	}
	if (pid > 0) {
		t->sh->forks++;
		waitpid(pid, NULL, 0);
	}
}

/* The device closed under the other threads' feet, and opened again. */
void fuzz_op_reopen(struct fuzz_thread *t)
{
	int fd = open(MMREPRO_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	fd = atomic_exchange(&t->sh->fd, fd);
	close(fd);
	t->sh->reopens++;
}
