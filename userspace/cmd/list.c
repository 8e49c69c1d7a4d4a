// SPDX-License-Identifier: GPL-2.0
/* `mmrepro list`: the scenarios, in the order `run all` runs them. */
#include <stdio.h>
#include <string.h>

#include "scenarios/abi/abi_check.h"
#include "cmd/cli_args.h"
#include "cmd/cmds.h"
#include "harness/runner.h"
#include "harness/scenario.h"

const char usage_list[] =
"Usage: mmrepro list [--verbose]\n"
"       mmrepro list --abi\n"
"\n"
"List the scenarios, in the order `mmrepro run all` runs them: name, the\n"
"thread file it reproduces (or -), and what an `ok` verdict proves.\n"
"\n"
"Options:\n"
"  --abi           instead, the hostile-input table of /dev/mmrepro as\n"
"                  Markdown: every ioctl, every bad input the scenario\n"
"                  ioctl-abi tries, the errno the ABI documents for it\n"
"                  (docs/hostile-inputs.md is this output)\n"
"  -v, --verbose   also what each negative control does, what the\n"
"                  scenario needs (checked before it runs; unmet, it is a\n"
"                  skip that names the need), whether one run() serves\n"
"                  several scenarios, and the deadline. Needs: device (the\n"
"                  module loaded), guest (changes global state: the QEMU\n"
"                  guest only unless `run --allow-destructive`),\n"
"                  device-exclusive, thp, swap, numa-nodes (two), ksm,\n"
"                  numa-balancing, hugetlb (a 2 MiB pool)\n";

int cmd_list(int argc, char **argv)
{
	int nw = 8, tw = 6;
	char err[CLI_ERR_MAX];
	struct list_opts o;
	unsigned int i;

	if (parse_list_args(argc, argv, &o, err, sizeof(err)) || o.help)
		return usage_or_error("list", usage_list, o.help, err);
	if (o.abi) {
		abi_write_markdown(stdout);
		return fflush(stdout) ? EXIT_ERROR : EXIT_OK;
	}
	for (i = 0; i < nr_scenarios; i++) {
		const struct scenario *s = scenarios[i];

		if ((int)strlen(s->name) > nw)
			nw = (int)strlen(s->name);
		if (s->thread && (int)strlen(s->thread) > tw)
			tw = (int)strlen(s->thread);
	}
	printf("%-*s  %-*s  %s\n", nw, "SCENARIO", tw, "THREAD", "SUMMARY");
	for (i = 0; i < nr_scenarios; i++) {
		const struct scenario *s = scenarios[i];
		char needs[160];

		printf("%-*s  %-*s  %s\n", nw, s->name, tw, s->thread ? s->thread : "-",
		       s->summary ? s->summary : "");
		if (!o.verbose)
			continue;
		needs_text(s->needs, needs, sizeof(needs));
		printf("%-*s  control:  %s\n", nw, "", s->control ? s->control : "-");
		printf("%-*s  needs:    %s\n", nw, "", needs);
		printf("%-*s  deadline: %u s%s%s\n", nw, "", run_timeout(s, 0),
		       s->flags & SCEN_SLOW ? "; slow (the mutant pass runs it for its own thread only)" : "",
		       s->variant ? "; a variant (its run() serves others too)" : "");
	}
	return EXIT_OK;
}
