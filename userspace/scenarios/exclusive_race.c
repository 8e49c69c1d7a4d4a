// SPDX-License-Identifier: GPL-2.0
/*
 * exclusive-race (the module's own protocol, no thread): EXCLUSIVE raced
 * against MADV_DONTNEED and CPU writes on the same page must never leave
 * the device holding a page that is no longer its device-exclusive entry.
 *
 * The device holds device-exclusive pages without a reference; only the
 * MMU notifier protocol (mmu_interval_read_begin() before
 * make_device_exclusive(), mmu_interval_read_retry() under the lock the
 * invalidation takes, before the page is recorded) keeps it from recording
 * a page that a concurrent zap has already unmapped and freed. Without it,
 * a thread looping EXCLUSIVE on a page while another loops MADV_DONTNEED
 * and a write on it leaves CHECK_EXCLUSIVE saying "held" while SNAPSHOT
 * shows an ordinary PTE (or none) within a few rounds, and DEV_READ then
 * reads a freed page: under KASAN, a use-after-free report.
 *
 * Each round runs both threads for a number of EXCLUSIVE calls, stops
 * them, and checks the invariant "held => the PTE is device-exclusive";
 * a held page is also read through DEV_READ (the read KASAN checks). The
 * other thread only zaps (MADV_DONTNEED); EXCLUSIVE faults the page in.
 *
 * Negative control: no race; the page is made exclusive, CHECK_EXCLUSIVE
 * read, then MADV_DONTNEED zaps it. The judge is given that stale count
 * with the SNAPSHOT taken after the zap: it must report the page held
 * while not device-exclusive.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "lib/dev.h"
#include "scenarios/excl_util.h"
#include "lib/numa_sys.h"
#include "scenarios/scenarios.h"

#define ER_ROUNDS		200
#define ER_CALLS_PER_ROUND	8
#define ER_SECONDS_MAX		20

struct er_race {
	int devfd;
	char *page;
	size_t psz;
	pthread_barrier_t start, stop;
	atomic_bool racing;	/* the zapper loops while set */
	atomic_bool quit;
	unsigned long zaps;
	int cpu;		/* the zapper's, or -1 */
};

struct er_evidence {
	unsigned int rounds;		/* rounds checked */
	unsigned long calls, failed;	/* EXCLUSIVE calls, and failed ones */
	unsigned long zaps;		/* MADV_DONTNEED + write by the other thread */
	unsigned int held_rounds;	/* rounds that ended with the page held */
	unsigned int bad_round;		/* first round breaking the invariant, 0: none */
	uint64_t bad_held;		/* what CHECK_EXCLUSIVE said then */
	uint32_t bad_flags;		/* ... and SNAPSHOT */
	int cpus[2];			/* the race's CPU and the other one (or -1) */
};

/* This thread on that CPU alone; false when not possible. */
static bool run_on(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return !sched_setaffinity(0, sizeof(set), &set);
}

/* The first two CPUs this process may run on (-1: none). */
static void two_cpus(int cpus[2])
{
	cpu_set_t set;
	int i, n = 0;

	cpus[0] = cpus[1] = -1;
	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (i = 0; i < CPU_SETSIZE && n < 2; i++)
		if (CPU_ISSET(i, &set))
			cpus[n++] = i;
}

/* The zapping thread: between the barriers, MADV_DONTNEED again and again. */
static void *er_zapper(void *arg)
{
	struct er_race *r = arg;

	if (r->cpu >= 0)
		run_on(r->cpu);
	for (;;) {
		pthread_barrier_wait(&r->start);
		if (atomic_load(&r->quit))
			return NULL;
		/*
		 * Only zaps: a write would fault in a new page, most likely the
		 * one just freed, and the device's stale hold would point at
		 * live memory again.
		 */
		while (atomic_load(&r->racing)) {
			madvise(r->page, r->psz, MADV_DONTNEED);
			r->zaps++;
		}
		pthread_barrier_wait(&r->stop);
	}
}

/* held => the page's PTE is the device's device-exclusive entry. */
static bool er_consistent(uint64_t held, uint32_t flags)
{
	return !held || (flags & MMREPRO_PS_DEVICE_EXCLUSIVE);
}

static void er_judge(const struct er_evidence *ev, struct result *res)
{
	if (ev->bad_round) {
		result_set(res, VERDICT_BUG,
			   "round %u of %u: the device holds the page (CHECK_EXCLUSIVE %llu) but SNAPSHOT shows %s (flags 0x%x): it kept a page a concurrent zap took away; %lu EXCLUSIVE calls, %lu zaps",
			   ev->bad_round, ev->rounds, (unsigned long long)ev->bad_held,
			   ev->bad_flags & MMREPRO_PS_PRESENT ? "an ordinary PTE" :
			   ev->bad_flags ? "another entry" : "no entry",
			   ev->bad_flags, ev->calls, ev->zaps);
		return;
	}
	result_set(res, VERDICT_OK,
		   "%u rounds of EXCLUSIVE against MADV_DONTNEED: the device held the page at %u round ends, each time as its device-exclusive entry; %lu EXCLUSIVE calls (%lu failed), %lu zaps",
		   ev->rounds, ev->held_rounds, ev->calls, ev->failed, ev->zaps);
}

/*
 * A new anonymous page stays referenced from a per-CPU LRU batch until the
 * batch is drained, so a page the zap took away may not be free yet.
 * move_pages(2) with a target node drains every CPU's batches first
 * (lru_cache_disable()): moving one page of our own to the node it is on.
 * The freed page then sits first on the per-CPU free list of the CPU the
 * race ran on: the read is made from the other CPU, so that the module's
 * own allocations for it do not take that very page.
 */
static void drain_lru_batches(void *anchor)
{
	int node = -1, status;

	if (!move_pages_self(1, &anchor, NULL, &status) && status >= 0)
		node = status;
	if (node >= 0)
		move_pages_self(1, &anchor, &node, &status);
}

/*
 * Check one quiet moment; false when the invariant is broken. Then, when
 * the device holds the page, it reads a little of it: a correct module
 * holds a live page; one that kept a page a zap took away reads freed
 * memory, which KASAN reports in the debug lane. Nothing here allocates a
 * page before that read (the buffer is static, the read too small for the
 * module's bounce buffer to need a new page), so the freed page is still
 * free when it is read.
 */
static bool er_check(struct scenario_ctx *ctx, void *page, void *anchor, unsigned int round,
		     struct er_evidence *ev)
{
	static char peek[64];
	struct mmrepro_page_state st = { 0 };
	uint64_t held = 0;
	bool ok;

	if (dev_check_exclusive(ctx->devfd, page, 1, &held) ||
	    dev_snapshot(ctx->devfd, page, 1, &st))
		return true;	/* counted as no evidence */
	if (held) {
		ev->held_rounds++;
		if (ev->cpus[1] >= 0)
			run_on(ev->cpus[1]);
		drain_lru_batches(anchor);
		dev_read(ctx->devfd, page, peek, sizeof(peek));
		if (ev->cpus[0] >= 0)
			run_on(ev->cpus[0]);
	}
	ok = er_consistent(held, st.flags);
	if (!ok) {
		ev->bad_round = round;
		ev->bad_held = held;
		ev->bad_flags = st.flags;
	}
	return ok;
}

static void er_control(struct scenario_ctx *ctx, char *page, struct er_evidence *ev)
{
	struct mmrepro_page_state st = { 0 };
	uint64_t done = 0, held = 0;

	page[0] = 1;
	ev->rounds = 1;
	ev->calls = 1;
	if (dev_exclusive(ctx->devfd, page, 1, NULL, &done) || !done ||
	    dev_check_exclusive(ctx->devfd, page, 1, &held)) {
		ev->failed = 1;
		return;
	}
	madvise(page, ctx->info.page_size, MADV_DONTNEED);
	ev->zaps = 1;
	dev_snapshot(ctx->devfd, page, 1, &st);
	/* the stale count, judged as if it were read now */
	if (!er_consistent(held, st.flags)) {
		ev->bad_round = 1;
		ev->bad_held = held;
		ev->bad_flags = st.flags;
	}
}

static void exclusive_race_run(struct scenario_ctx *ctx, struct result *res)
{
	struct er_evidence ev = { 0 };
	struct er_race r = { .devfd = ctx->devfd, .psz = ctx->info.page_size };
	struct timespec t0, t;
	pthread_t zapper;
	unsigned int round, i;
	static char anchor[64];	/* a page of ours for move_pages(2), touched below */
	cpu_set_t all;
	uint64_t done;
	char *page;

	page = mmap(NULL, r.psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		result_set(res, VERDICT_ERROR, "mmap: %s", strerror(errno));
		return;
	}
	if (ctx->control) {
		er_control(ctx, page, &ev);
		if (ev.failed)
			result_set(res, VERDICT_ERROR, "control: EXCLUSIVE of one page failed");
		else
			er_judge(&ev, res);
		goto out;
	}
	r.page = page;
	anchor[0] = 1;
	sched_getaffinity(0, sizeof(all), &all);
	/* EXCLUSIVE on one CPU, the zaps on the other */
	two_cpus(ev.cpus);
	r.cpu = ev.cpus[1];
	if (ev.cpus[0] >= 0)
		run_on(ev.cpus[0]);
	if (pthread_barrier_init(&r.start, NULL, 2) || pthread_barrier_init(&r.stop, NULL, 2) ||
	    pthread_create(&zapper, NULL, er_zapper, &r)) {
		result_set(res, VERDICT_ERROR, "cannot start the zapping thread");
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (round = 1; round <= ER_ROUNDS; round++) {
		atomic_store(&r.racing, true);
		pthread_barrier_wait(&r.start);
		for (i = 0; i < ER_CALLS_PER_ROUND; i++) {
			ev.calls++;
			if (dev_exclusive(ctx->devfd, page, 1, NULL, &done))
				ev.failed++;
		}
		atomic_store(&r.racing, false);
		pthread_barrier_wait(&r.stop);
		ev.rounds = round;
		ev.zaps = r.zaps;
		if (!er_check(ctx, page, anchor, round, &ev))
			break;
		dev_release(ctx->devfd, NULL, 0, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > ER_SECONDS_MAX)
			break;
	}
	atomic_store(&r.quit, true);
	pthread_barrier_wait(&r.start);
	pthread_join(zapper, NULL);
	sched_setaffinity(0, sizeof(all), &all);
	scen_log(ctx, "%u rounds, %lu EXCLUSIVE calls (%lu failed), %lu zaps, held at %u round ends",
		 ev.rounds, ev.calls, ev.failed, ev.zaps, ev.held_rounds);
	er_judge(&ev, res);
out:
	dev_release(ctx->devfd, NULL, 0, NULL);
	munmap(page, ctx->info.page_size);
}

SCENARIO(exclusive_race, "exclusive-race", NULL,
	 NEED_DEVICE | NEED_EXCLUSIVE, exclusive_race_run,
	 "EXCLUSIVE raced against MADV_DONTNEED on one page: the device never holds a page that is not its device-exclusive entry (CHECK_EXCLUSIVE vs SNAPSHOT); a held page is read through DEV_READ (KASAN's check in the debug lane)",
	 "no race: a stale CHECK_EXCLUSIVE from before a MADV_DONTNEED, judged with the SNAPSHOT after it, must be reported");
