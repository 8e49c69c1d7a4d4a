// SPDX-License-Identifier: GPL-2.0
/*
 * The limits on pins, and calls that are killed or raced (see abi_check.h):
 *
 * - RLIMIT_MEMLOCK: a child drops CAP_IPC_LOCK, lowers its RLIMIT_MEMLOCK
 *   to LIMIT_PAGES pages, opens its own /dev/mmrepro file and pins.
 * - MMREPRO_MAX_HELD_PAGES: read-only pins of untouched anonymous memory
 *   (the shared zero page: no RAM needed) up to the cap, and over it.
 * - SIGKILL in the middle of a long PIN or EXCLUSIVE: afterwards the FOLL_PIN
 *   counters balance and nothing is left device-exclusive.
 * - Two threads PIN (EXCLUSIVE) one range at once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scenarios/abi/abi_check.h"
#include "lib/dev.h"
#include "lib/memutil.h"

#define LIMIT_PAGES	16
#define KILL_AFTER_MS	30
#define RACE_PAGES	8

static int drop_cap_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_IPC_LOCK / 32].effective &= ~(1U << (CAP_IPC_LOCK % 32));
	data[CAP_IPC_LOCK / 32].permitted &= ~(1U << (CAP_IPC_LOCK % 32));
	return syscall(SYS_capset, &hdr, data) ? -1 : 0;
}

/*
 * In a child without CAP_IPC_LOCK and with RLIMIT_MEMLOCK of LIMIT_PAGES,
 * with a file of its own: first pin `first` pages, then `then` more.
 * Returns what the second PIN returned. With unpin, everything is unpinned
 * in between.
 */
static int memlock_child(size_t psz, size_t first, size_t then, bool unpin)
{
	struct rlimit rl = { LIMIT_PAGES * psz, LIMIT_PAGES * psz };
	char *buf;
	int fd;

	buf = mmap(NULL, 2 * LIMIT_PAGES * psz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED || setrlimit(RLIMIT_MEMLOCK, &rl) || drop_cap_ipc_lock())
		return ABI_SETUP;
	fd = open(MMREPRO_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return ABI_SETUP;
	if (first && dev_pin(fd, buf, first, MMREPRO_PIN_WRITE))
		return ABI_SETUP;
	if (unpin && dev_unpin_all(fd, NULL))
		return ABI_SETUP;
	return dev_pin(fd, buf + LIMIT_PAGES * psz, then, MMREPRO_PIN_WRITE);
}

ABI_CHILD(fn_up_to)
{
	return memlock_child(e->psz, 0, LIMIT_PAGES, false);
}

ABI_CHILD(fn_over)
{
	return memlock_child(e->psz, LIMIT_PAGES, 1, false);
}

ABI_CHILD(fn_after_unpin)
{
	return memlock_child(e->psz, LIMIT_PAGES, LIMIT_PAGES, true);
}

ABI_RUN(memlock_up_to)
{
	return abi_in_child(e, c, -1, fn_up_to);
}

ABI_RUN(memlock_over)
{
	return abi_in_child(e, c, -1, fn_over);
}

ABI_RUN(memlock_after_unpin)
{
	return abi_in_child(e, c, -1, fn_after_unpin);
}

/*
 * The three rows of the module-wide cap run in order on one area of
 * untouched, read-only memory (the zero page: no RAM needed): cap - 1 pages
 * pinned, then two more refused, then one more taken; the last row lets go.
 * The area is THP-aligned and MADV_HUGEPAGE, so that where THP is on the
 * read faults map the huge zero page, one fault per 2 MiB instead of one
 * per page (a million faults took 10 s under TCG); the module's cap is
 * counted in pages either way.
 */
static char *cap_area;
static size_t cap_len;

ABI_RUN(cap_minus_one)
{
	size_t cap = e->ctx->info.max_held_pages, done = 0, n;
	int ret = 0;

	if (!cap)
		return ABI_SETUP;
	cap_len = (cap + 2) * e->psz;
	cap_area = map_anon_aligned_prot(cap_len, SZ_2M, PROT_READ, MAP_NORESERVE);
	if (!cap_area)
		return ABI_SETUP;
	madvise(cap_area, cap_len, MADV_HUGEPAGE);
	while (!ret && done < cap - 1) {
		n = cap - 1 - done;
		if (n > MMREPRO_MAX_PIN_PAGES)
			n = MMREPRO_MAX_PIN_PAGES;
		ret = dev_pin(e->fd, cap_area + done * e->psz, n, 0);
		done += ret ? 0 : n;
	}
	return ret;
}

ABI_RUN(cap_over)
{
	size_t cap = e->ctx->info.max_held_pages;

	return cap_area ? dev_pin(e->fd, cap_area + (cap - 1) * e->psz, 2, 0) : ABI_SETUP;
}

ABI_RUN(cap_exact)
{
	size_t cap = e->ctx->info.max_held_pages;
	int ret;

	if (!cap_area)
		return ABI_SETUP;
	ret = dev_pin(e->fd, cap_area + (cap - 1) * e->psz, 1, 0);
	dev_unpin_all(e->fd, NULL);
	munmap(cap_area, cap_len);
	cap_area = NULL;
	return ret;
}

/* A child that opens its own file and loops long calls, killed midway. */
static int kill_midway(struct abi_env *e, bool exclusive)
{
	struct timespec nap = { 0, KILL_AFTER_MS * 1000000L };
	struct pin_balance pb;
	long long d_acq, d_rel;
	int status, fd;
	pid_t pid;
	char *mem;

	pin_balance_start(&pb);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		fd = open(MMREPRO_DEVICE, O_RDWR | O_CLOEXEC);
		mem = mmap(NULL, 4096 * e->psz, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (fd < 0 || mem == MAP_FAILED)
			_exit(1);
		for (;;) {
			if (exclusive) {
				dev_exclusive(fd, mem, 4096, NULL, NULL);
				dev_release(fd, NULL, 0, NULL);
			} else {
				dev_pin(fd, e->big, MMREPRO_MAX_PIN_PAGES, 0);
				dev_unpin_all(fd, NULL);
			}
		}
	}
	if (pid < 0)
		return ABI_SETUP;
	nanosleep(&nap, NULL);
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status))
		return ABI_SETUP;
	if (!pin_balance_check(&pb, &d_acq, &d_rel)) {
		scen_log(e->ctx, "after SIGKILL in %s: nr_foll_pin_acquired +%lld, released +%lld",
			 exclusive ? "EXCLUSIVE" : "PIN", d_acq, d_rel);
		return ABI_WRONG_STATE;
	}
	return -EINTR;	/* what the killed call saw, as far as anyone can tell */
}

ABI_RUN(kill_pin)
{
	return kill_midway(e, false);
}

ABI_RUN(kill_excl)
{
	if (!(e->ctx->info.caps & MMREPRO_CAP_DEVICE_EXCLUSIVE))
		return -EOPNOTSUPP;
	return kill_midway(e, true);
}

struct racer {
	struct abi_env *e;
	bool exclusive;
	pthread_barrier_t *go;
	int ret;
};

static void *race_one(void *arg)
{
	struct racer *r = arg;
	char *at = r->e->buf + 8 * r->e->psz;

	pthread_barrier_wait(r->go);
	r->ret = r->exclusive ? dev_exclusive(r->e->fd, at, RACE_PAGES, NULL, NULL) :
				dev_pin(r->e->fd, at, RACE_PAGES, MMREPRO_PIN_WRITE);
	return NULL;
}

/*
 * Two threads, one range. PIN: one gets it, the other EBUSY. EXCLUSIVE:
 * both succeed (the second finds the pages held), and all are held.
 */
static int race(struct abi_env *e, bool exclusive)
{
	pthread_barrier_t go;
	struct racer r[2];
	pthread_t t[2];
	uint64_t held = 0;
	int i, ok = 0, busy = 0;

	if (exclusive && !(e->ctx->info.caps & MMREPRO_CAP_DEVICE_EXCLUSIVE))
		return -EOPNOTSUPP;
	if (pthread_barrier_init(&go, NULL, 2))
		return ABI_SETUP;
	for (i = 0; i < 2; i++) {
		r[i] = (struct racer){ .e = e, .exclusive = exclusive, .go = &go };
		if (pthread_create(&t[i], NULL, race_one, &r[i]))
			return ABI_SETUP;	/* a barrier wait would never end: give up */
	}
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		ok += !r[i].ret;
		busy += r[i].ret == -EBUSY;
	}
	pthread_barrier_destroy(&go);
	if (exclusive)
		dev_check_exclusive(e->fd, e->buf + 8 * e->psz, RACE_PAGES, &held);
	dev_release(e->fd, NULL, 0, NULL);
	dev_unpin_all(e->fd, NULL);
	if (exclusive ? ok == 2 && held == RACE_PAGES : ok == 1 && busy == 1)
		return exclusive ? 0 : -EBUSY;
	scen_log(e->ctx, "%s of one range from two threads: %d succeeded, %d EBUSY, %llu held",
		 exclusive ? "EXCLUSIVE" : "PIN", ok, busy, (unsigned long long)held);
	return ABI_WRONG_STATE;
}

ABI_RUN(race_pin)
{
	return race(e, false);
}

ABI_RUN(race_excl)
{
	return race(e, true);
}

static const struct abi_case rows[] = {
	{ "PIN", 0, "up to RLIMIT_MEMLOCK, without CAP_IPC_LOCK", 0, 0, 0, memlock_up_to },
	{ "PIN", 0, "one page over RLIMIT_MEMLOCK, without CAP_IPC_LOCK", ENOMEM, 0, 0,
	  memlock_over },
	{ "PIN", 0, "up to RLIMIT_MEMLOCK again after UNPIN (the charge was given back)", 0, 0, 0,
	  memlock_after_unpin },
	{ "PIN", 0, "up to MMREPRO_MAX_HELD_PAGES - 1 pages held in all (read-only, untouched memory)",
	  0, 0, 0, cap_minus_one },
	{ "PIN", 0, "two pages over MMREPRO_MAX_HELD_PAGES - 1", ENOSPC, 0, 0, cap_over },
	{ "PIN", 0, "the last page up to MMREPRO_MAX_HELD_PAGES", 0, 0, 0, cap_exact },
	{ "PIN", 0, "SIGKILL during a PIN of MMREPRO_MAX_PIN_PAGES pages: the FOLL_PIN counters "
	  "balance after", EINTR, 0, 0, kill_pin },
	{ "EXCLUSIVE", 0, "SIGKILL during an EXCLUSIVE of 4096 pages: the FOLL_PIN counters "
	  "balance after", EINTR, MMREPRO_CAP_DEVICE_EXCLUSIVE, EOPNOTSUPP, kill_excl },
	{ "PIN", 0, "one range from two threads at once: one gets it", EBUSY, 0, 0, race_pin },
	{ "EXCLUSIVE", 0, "one range from two threads at once: both succeed, every page held", 0,
	  MMREPRO_CAP_DEVICE_EXCLUSIVE, EOPNOTSUPP, race_excl },
};

ABI_TABLE(abi_cases_limits, "limits, kills and races", rows);
