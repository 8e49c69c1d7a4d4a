// SPDX-License-Identifier: GPL-2.0
/*
 * The engine of `mmrepro fuzz`; see fuzz.h.
 *
 * The ranges the threads work on are FUZZ_REGIONS regions of FUZZ_PAGES
 * pages at fixed places inside one reserved window of address space, so
 * that unmapping (a region replaced by a fresh PROT_NONE mapping, with
 * MAP_FIXED: its pages unmapped as by munmap, without a hole another
 * mapping could fill) and mremap (a region moved to the window's spare
 * slot and back) never touch memory outside the window. The threads do
 * not allocate after they start. CPU accesses to a region that is
 * PROT_NONE, read-only or gone are survived with a SIGSEGV/SIGBUS handler
 * that jumps back to the thread's loop.
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
#include "scenarios/fuzz.h"
#include "lib/memutil.h"

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

static __thread sigjmp_buf *fault_jmp;

static void on_fault(int sig)
{
	(void)sig;
	if (fault_jmp)
		siglongjmp(*fault_jmp, 1);
	_exit(3);
}

uint64_t fuzz_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t fuzz_below(uint64_t *state, uint64_t n)
{
	return fuzz_next(state) % n;
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

static void op_ioctl(struct fuzz_thread *t)
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
static void op_touch(struct fuzz_thread *t)
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

static void op_mm(struct fuzz_thread *t, bool in_child)
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
static void op_fork(struct fuzz_thread *t)
{
	pid_t pid = fork();
	int i;

	if (pid == 0) {
		for (i = 0; i < 8; i++) {
			switch (fuzz_below(&t->rng, 3)) {
			case 0:
				op_ioctl(t);
				break;
			case 1:
				op_touch(t);
				break;
			default:
				op_mm(t, true);
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
static void op_reopen(struct fuzz_thread *t)
{
	int fd = open(MMREPRO_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	fd = atomic_exchange(&t->sh->fd, fd);
	close(fd);
	t->sh->reopens++;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void *fuzz_thread_main(void *arg)
{
	struct fuzz_thread *t = arg;
	uint64_t k;

	for (;;) {
		while (now_ms() < atomic_load(&t->sh->epoch_end_ms)) {
			k = fuzz_below(&t->rng, 1000);
			if (k < 500)
				op_ioctl(t);
			else if (k < 700)
				op_touch(t);
			else if (k < 975)
				op_mm(t, false);
			else if (k < 995)
				op_fork(t);
			else
				op_reopen(t);
			t->sh->ops++;
		}
		pthread_barrier_wait(&t->sh->pause);
		pthread_barrier_wait(&t->sh->resume);
		if (atomic_load(&t->sh->stop))
			return NULL;
	}
}

/*
 * With every thread stopped: each page the device holds exclusive must be
 * its device-exclusive entry (a hold the notifier should have dropped is
 * a page the device may touch after it was freed), and the device reads
 * each page it holds (KASAN's check, in the debug lane).
 */
static void check_epoch(struct fuzz_shared *sh)
{
	size_t n = (FUZZ_REGIONS + 1) * FUZZ_PAGES, i;
	struct mmrepro_page_state st[(FUZZ_REGIONS + 1) * FUZZ_PAGES];
	int fd = atomic_load(&sh->fd);
	char peek[64];
	uint64_t held;

	if (dev_snapshot(fd, sh->window, n, st))
		return;
	for (i = 0; i < n; i++) {
		char *page = sh->window + i * sh->psz;

		if (dev_check_exclusive(fd, page, 1, &held) || !held)
			continue;
		sh->checks++;
		dev_read(fd, page, peek, sizeof(peek));
		if (st[i].flags & MMREPRO_PS_DEVICE_EXCLUSIVE)
			continue;
		if (!sh->violations++)
			snprintf(sh->first_violation, sizeof(sh->first_violation),
				 "page %zu held but SNAPSHOT flags 0x%x", i, st[i].flags);
	}
}

static void stats_error(struct fuzz_stats *s, const char *what)
{
	snprintf(s->error, sizeof(s->error), "%s: %s", what, strerror(errno));
}

/*
 * The end, with the threads gone. A page device-exclusive that the device
 * does not hold is the kernel's design, not a leak: mprotect() and
 * mremap() invalidate (the device drops its hold) but keep or move the
 * entry, which stays until the CPU's next access restores it. So: make
 * the window accessible, count those (orphaned), read them, and none may
 * stay device-exclusive (unrestored). Then the device takes every page it
 * can, and closing it must give each back (left_exclusive): the release
 * path runs over whatever state the race left behind.
 */
static void check_end(struct fuzz_shared *sh, struct fuzz_stats *s)
{
	size_t n = (FUZZ_REGIONS + 1) * FUZZ_PAGES, i;
	struct mmrepro_page_state st[(FUZZ_REGIONS + 1) * FUZZ_PAGES];
	bool held[(FUZZ_REGIONS + 1) * FUZZ_PAGES] = { false };
	int fd = atomic_load(&sh->fd);
	uint64_t h, done;
	char *page;

	/* Holds live only in writable VMAs: this mprotect() drops none. */
	if (mprotect(sh->window, n * sh->psz, PROT_READ | PROT_WRITE)) {
		stats_error(s, "mprotect of the window");
		goto out;
	}
	for (i = 0; i < n; i++)
		held[i] = !dev_check_exclusive(fd, sh->window + i * sh->psz, 1, &h) && h;
	if (dev_snapshot(fd, sh->window, n, st))
		goto no_snapshot;
	for (i = 0; i < n; i++) {
		if (held[i] || !(st[i].flags & MMREPRO_PS_DEVICE_EXCLUSIVE))
			continue;
		s->orphaned++;
		(void)*(volatile char *)(sh->window + i * sh->psz);
	}
	if (dev_snapshot(fd, sh->window, n, st))
		goto no_snapshot;
	for (i = 0; i < n; i++)
		if (!held[i] && (st[i].flags & MMREPRO_PS_DEVICE_EXCLUSIVE))
			s->unrestored++;

	for (i = 0; i < n; i++) {
		page = sh->window + i * sh->psz;
		if (!held[i] && !dev_exclusive(fd, page, 1, NULL, &done) && done)
			held[i] = true;
		s->held_at_close += held[i];
	}
	close(fd);	/* gives back everything the device held */
	fd = open(MMREPRO_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0 || dev_snapshot(fd, sh->window, n, st))
		goto no_snapshot;
	s->left_exclusive = states_count(st, n, MMREPRO_PS_DEVICE_EXCLUSIVE);
	goto out;
no_snapshot:
	snprintf(s->error, sizeof(s->error), "SNAPSHOT of the window at the end failed");
out:
	if (fd >= 0)
		close(fd);
}

int fuzz_run(const struct fuzz_opts *o, struct fuzz_stats *s)
{
	static struct fuzz_thread threads[FUZZ_MAX_THREADS];
	struct fuzz_shared sh = { .psz = (size_t)sysconf(_SC_PAGESIZE) };
	pthread_t tid[FUZZ_MAX_THREADS];
	struct sigaction sa = { .sa_handler = on_fault };
	struct pin_balance pb;
	long long d_acq, d_rel;
	uint64_t seed = o->seed;
	long long end;
	unsigned int i;
	int fd;

	memset(s, 0, sizeof(*s));
	sh.slot = FUZZ_PAGES * sh.psz;
	sh.window = mmap(NULL, (FUZZ_REGIONS + 1) * sh.slot, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sh.window == MAP_FAILED) {
		stats_error(s, "mmap");
		return -1;
	}
	fd = open(MMREPRO_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		stats_error(s, "open " MMREPRO_DEVICE);
		munmap(sh.window, (FUZZ_REGIONS + 1) * sh.slot);
		return -1;
	}
	atomic_init(&sh.fd, fd);
	pthread_mutex_init(&sh.remap_lock, NULL);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	if (pthread_barrier_init(&sh.pause, NULL, o->threads + 1) ||
	    pthread_barrier_init(&sh.resume, NULL, o->threads + 1)) {
		stats_error(s, "pthread_barrier_init");
		close(fd);
		munmap(sh.window, (FUZZ_REGIONS + 1) * sh.slot);
		return -1;
	}
	pin_balance_start(&pb);
	end = now_ms() + o->seconds * 1000LL;
	atomic_init(&sh.epoch_end_ms, now_ms() + FUZZ_EPOCH_MS);
	for (i = 0; i < o->threads; i++) {
		threads[i].sh = &sh;
		threads[i].id = i;
		threads[i].rng = seed ^ (0x9e3779b97f4a7c15ULL * (i + 1));
		/* a thread that cannot start would leave the barriers short: give up */
		if (pthread_create(&tid[i], NULL, fuzz_thread_main, &threads[i])) {
			fprintf(stderr, "mmrepro fuzz: cannot start thread %u\n", i);
			_exit(2);	/* EXIT_ERROR */
		}
	}
	do {
		pthread_barrier_wait(&sh.pause);
		check_epoch(&sh);
		atomic_store(&sh.epoch_end_ms, now_ms() + FUZZ_EPOCH_MS);
		if (now_ms() >= end)
			atomic_store(&sh.stop, true);
		pthread_barrier_wait(&sh.resume);
	} while (!atomic_load(&sh.stop));
	for (i = 0; i < o->threads; i++)
		pthread_join(tid[i], NULL);
	check_end(&sh, s);
	s->ops = sh.ops;
	s->ioctls = sh.ioctls;
	s->ioctl_ok = sh.ioctl_ok;
	s->forks = sh.forks;
	s->reopens = sh.reopens;
	s->held_checked = sh.checks;
	s->violations = sh.violations;
	snprintf(s->first_violation, sizeof(s->first_violation), "%s", sh.first_violation);
	s->balanced = pin_balance_check(&pb, &d_acq, &d_rel);
	s->pin_acquired = pb.valid ? d_acq : -1;
	s->pin_released = pb.valid ? d_rel : -1;
	munmap(sh.window, (FUZZ_REGIONS + 1) * sh.slot);
	return s->error[0] ? -1 : 0;
}
