// SPDX-License-Identifier: GPL-2.0
/* `mmrepro fuzz`: the device under random, racing, hostile use; see fuzz.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmds.h"
#include "scenarios/fuzz.h"

const char usage_fuzz[] =
"Usage: mmrepro fuzz [--seconds N] [--seed S] [--threads T]\n"
"\n"
"Seeded random sequences of every /dev/mmrepro ioctl, with valid and\n"
"invalid arguments, from T threads, racing with munmap, mprotect (PROT_NONE\n"
"too), madvise (DONTNEED, PAGEOUT, COLD), mremap, fork and exit on the same\n"
"ranges, and with the device closed and opened again by another thread.\n"
"Once a second the threads stop together: every page the device holds\n"
"exclusive must be its device-exclusive entry, and the device reads it. At\n"
"the end the FOLL_PIN counters (nr_foll_pin_acquired/released) must\n"
"balance; a CPU read must give back the pages that mprotect or mremap left\n"
"device-exclusive after the device had let go of them (the kernel keeps\n"
"such entries until the CPU touches them); and the device takes every page\n"
"it can, is closed, and must leave none device-exclusive.\n"
"The module must be loaded; run it in a guest or\n"
"on a kernel you can afford to crash: it is meant to find the module's\n"
"bugs, under KASAN, KFENCE, kmemleak and lockdep (the src-7.2-debug lane).\n"
"\n"
"The seed is printed first: --seed replays the same operations (not the\n"
"same interleaving of the threads).\n"
"\n"
"Options:\n"
"  -s, --seconds N   how long (default 60)\n"
"  -S, --seed S      the seed (decimal or 0x...; default: from the clock)\n"
"  -t, --threads T   threads, 1 to 16 (default 4)\n"
"\n"
"Exit status: 0 balanced, consistent and nothing left; 1 the counters do not\n"
"balance, a hold was not the device's entry, or pages were left\n"
"device-exclusive; 2 it could not run (module not loaded, ...); 64 usage.\n";

int cmd_fuzz(int argc, char **argv)
{
	struct fuzz_cli_opts a;
	struct fuzz_opts o;
	struct fuzz_stats s;
	struct timespec now;
	char err[CLI_ERR_MAX];

	if (parse_fuzz_args(argc, argv, &a, err, sizeof(err)) || a.help)
		return usage_or_error("fuzz", usage_fuzz, a.help, err);
	clock_gettime(CLOCK_REALTIME, &now);
	o = (struct fuzz_opts){
		.seconds = (unsigned int)a.seconds,
		.threads = (unsigned int)a.threads,
		.seed = a.seed_given ? a.seed : (uint64_t)now.tv_sec * 1000000007ULL ^
			(uint64_t)now.tv_nsec ^ (uint64_t)getpid(),
	};
	printf("# fuzz: seed 0x%016" PRIx64 ", %u s, %u threads (replay: mmrepro fuzz --seconds %u --seed 0x%016" PRIx64 " --threads %u)\n",
	       o.seed, o.seconds, o.threads, o.seconds, o.seed, o.threads);
	fflush(stdout);
	if (fuzz_run(&o, &s)) {
		fprintf(stderr, "mmrepro fuzz: %s (is the module loaded? `mmrepro load`)\n", s.error);
		return EXIT_ERROR;
	}
	printf("# fuzz: %llu operations (%llu ioctls, %llu succeeded), %llu forks, %llu reopens; %llu holds checked at epoch ends, %llu not device-exclusive; FOLL_PIN +%lld/+%lld; %llu pages device-exclusive but not held (left by mprotect or mremap), %llu of them not restored by a CPU read; %llu held at the close, %llu left device-exclusive after it\n",
	       s.ops, s.ioctls, s.ioctl_ok, s.forks, s.reopens, s.held_checked, s.violations,
	       s.pin_acquired, s.pin_released, s.orphaned, s.unrestored, s.held_at_close,
	       s.left_exclusive);
	if (!s.balanced || s.left_exclusive || s.unrestored || s.violations) {
		printf("fuzz: FAILED:%s%s%s%s%s (seed 0x%016" PRIx64 ")\n",
		       s.balanced ? "" : " the pin counters do not balance;",
		       s.left_exclusive ? " pages left device-exclusive after the close;" : "",
		       s.unrestored ? " a CPU read did not restore device-exclusive entries;" : "",
		       s.violations ? " the device held pages that were not its entries, first: " : "",
		       s.violations ? s.first_violation : "", o.seed);
		return EXIT_FAILED;
	}
	printf("fuzz: ok\n");
	return EXIT_OK;
}
