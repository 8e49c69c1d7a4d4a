/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `mmrepro fuzz`: seeded random sequences of every /dev/mmrepro ioctl, with
 * valid and invalid arguments, from several threads, racing with munmap,
 * mprotect (PROT_NONE among them), madvise (DONTNEED, PAGEOUT, COLD),
 * mremap, fork and exit on the same ranges, and with the device being
 * closed and opened again by another thread. At the end everything is
 * closed, and the FOLL_PIN counters must balance; a CPU read must give back
 * every page an invalidation left device-exclusive (mprotect() and mremap()
 * make the device drop its hold but keep the entry); and, the device having
 * taken every page it can, closing it must leave none device-exclusive. Once a second the threads stop together and
 * every page the device holds exclusive must be its device-exclusive entry
 * (and is read through DEV_READ, which KASAN checks in the debug lane).
 *
 * The sequence each thread draws depends on the seed alone; what the
 * kernel makes of the interleaving does not, so a seed replays the same
 * operations, not always the same outcome.
 */
#ifndef MMREPRO_FUZZ_H
#define MMREPRO_FUZZ_H

#include <stdbool.h>
#include <stdint.h>

#define FUZZ_MAX_THREADS	16

struct fuzz_opts {
	unsigned int seconds;
	uint64_t seed;
	unsigned int threads;
};

struct fuzz_stats {
	unsigned long long ops;		/* operations done, all threads */
	unsigned long long ioctls;	/* of them, ioctls on /dev/mmrepro */
	unsigned long long ioctl_ok;	/* ... that succeeded */
	unsigned long long forks;
	unsigned long long reopens;	/* the device closed and opened again */
	long long pin_acquired, pin_released;	/* vmstat deltas, -1: unknown */
	unsigned long long orphaned;	/* device-exclusive at the end, not held */
	unsigned long long unrestored;	/* ... and still so after a CPU read */
	unsigned long long held_at_close;	/* pages the device held at the close */
	unsigned long long left_exclusive;	/* device-exclusive after the close */
	unsigned long long held_checked;	/* holds checked at epoch ends */
	unsigned long long violations;		/* ... that were not device-exclusive */
	char first_violation[96];
	bool balanced;			/* pin counters equal (or unknown) */
	char error[160];		/* why it could not run, or "" */
};

/* The splitmix64 generator every thread draws from. */
uint64_t fuzz_next(uint64_t *state);
/* A number in [0, n) from *state; n > 0. */
uint64_t fuzz_below(uint64_t *state, uint64_t n);

/* Run it; 0 when it ran (look at stats), -1 when it could not (stats->error). */
int fuzz_run(const struct fuzz_opts *o, struct fuzz_stats *stats);

#endif /* MMREPRO_FUZZ_H */
