// SPDX-License-Identifier: GPL-2.0
/* mmrepro repro: a thread's own reproducer program, step by step, by hand. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli_args.h"
#include "cmd/cmds.h"
#include "scenarios/repro_hmm_swap.h"

const char usage_repro[] =
"Usage: mmrepro repro NAME [--size SIZE] [--pin]\n"
"\n"
"Run a bug report's own reproducer against /dev/mmrepro and print what it\n"
"measures, with a verdict line. Root; the module must be loaded.\n"
"\n"
"Reproducers:\n"
"  hmm-swap   thread 003_27842e3df9a709f6.txt, the cover letter of \"mm: fixes\n"
"             for device-exclusive entries (hmm)\": SIZE (default 1G) of\n"
"             anonymous memory without THP, filled, made device-exclusive in\n"
"             2 MiB chunks; then reclaim is forced: MADV_PAGEOUT (which walks\n"
"             the page tables and never reaches device-exclusive entries),\n"
"             then memory.reclaim of a temporary memory cgroup (cgroup v2)\n"
"             holding the process, which goes through the LRU and the rmap\n"
"             as memory pressure does. Prints /proc/self/smaps_rollup Rss\n"
"             before and after, and where the pages are (SNAPSHOT). Needs\n"
"             swap of at least SIZE.\n"
"\n"
"Options:\n"
"  --size SIZE  how much memory (1G, 512M, ...)\n"
"  --pin        pin the chunks instead of making them exclusive: pinned\n"
"               memory is never reclaimed, so this shows what `bug` looks like\n"
"\n"
"The verdict line is the hmm-swap scenario's own judgement (ok, bug, or\n"
"skip when memory.reclaim is not available to force reclaim).\n"
"\n"
"Exit status: 0 the memory was reclaimed, 1 the bug reproduced (more than 1%\n"
"of the pages still resident after memory.reclaim), 2 the run failed,\n"
"64 usage, 69 no module, or no memory.reclaim to force reclaim with,\n"
"77 not root.\n";

static int repro_hmm_swap(int fd, const struct mmrepro_info *info, const struct repro_opts *o)
{
	size_t size = o->size ? o->size : HMM_SWAP_SIZE;
	char reason[RESULT_REASON_MAX];
	struct hmm_swap_report r;
	enum verdict v;

	if (size % HMM_SWAP_CHUNK) {
		fprintf(stderr, "mmrepro repro hmm-swap: --size must be a multiple of 2M\n");
		return EXIT_USAGE;
	}
	if (!(info->caps & MMREPRO_CAP_DEVICE_EXCLUSIVE) && !o->pin) {
		fprintf(stderr, "mmrepro repro hmm-swap: this kernel has no device-exclusive API "
			"(CONFIG_DEVICE_PRIVATE off); try a kernel with it, or --pin\n");
		return EXIT_UNAVAILABLE;
	}
	printf("hmm-swap: %zu MiB, %s in 2 MiB chunks, then MADV_PAGEOUT and memory.reclaim (thread 003_27842e3df9a709f6.txt)\n",
	       size >> 20, o->pin ? "pinned" : "made device-exclusive");
	fflush(stdout);
	if (hmm_swap_run(fd, info->page_size, size, o->pin ? 1 : 0, stdout, &r)) {
		fprintf(stderr, "mmrepro repro hmm-swap: %s\n", r.error);
		return EXIT_ERROR;
	}
	printf("RSS before reclaim: %ld kB\nRSS after MADV_PAGEOUT: %ld kB\nRSS after memory.reclaim: %ld kB\n",
	       r.rss_before_kb, r.rss_pageout_kb, r.rss_after_kb);
	/* the scenario's judgement, word for word */
	v = hmm_swap_judge(&r, o->pin ? "pinned" : "device-exclusive", reason, sizeof(reason));
	printf("%s: %s\n", verdict_name(v), reason);
	if (v == VERDICT_SKIP)
		return EXIT_UNAVAILABLE;
	return v == VERDICT_BUG ? EXIT_FAILED : EXIT_OK;
}

int cmd_repro(int argc, char **argv)
{
	struct mmrepro_info info;
	struct repro_opts o;
	char err[256];
	int fd, code;

	if (parse_repro_args(argc, argv, &o, err, sizeof(err)) || o.help)
		return usage_or_error("repro", usage_repro, o.help, err);
	if (strcmp(o.name, "hmm-swap"))
		return usage_error("repro", "unknown reproducer (there is: hmm-swap)");
	fd = module_open(&info, &code, err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "mmrepro repro: %s\n", err);
		return code;
	}
	code = repro_hmm_swap(fd, &info, &o);
	close(fd);
	return code;
}
