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

#include "lib/clock.h"
#include "lib/dev.h"
#include "scenarios/fuzz_impl.h"
#include "lib/memutil.h"

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

static void *fuzz_thread_main(void *arg)
{
	struct fuzz_thread *t = arg;
	uint64_t k;

	for (;;) {
		while (clock_mono_ms() < atomic_load(&t->sh->epoch_end_ms)) {
			k = fuzz_below(&t->rng, 1000);
			if (k < 500)
				fuzz_op_ioctl(t);
			else if (k < 700)
				fuzz_op_touch(t);
			else if (k < 975)
				fuzz_op_mm(t, false);
			else if (k < 995)
				fuzz_op_fork(t);
			else
				fuzz_op_reopen(t);
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
	struct sigaction sa = { .sa_handler = fuzz_on_fault };
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
	end = clock_mono_ms() + o->seconds * 1000LL;
	atomic_init(&sh.epoch_end_ms, clock_mono_ms() + FUZZ_EPOCH_MS);
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
		atomic_store(&sh.epoch_end_ms, clock_mono_ms() + FUZZ_EPOCH_MS);
		if (clock_mono_ms() >= end)
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
