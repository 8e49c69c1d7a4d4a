// SPDX-License-Identifier: GPL-2.0
/* The host-side subcommands' command lines: console and matrix (cli_args.h). */
#include <string.h>

#include "cmd/cli_args.h"
#include "cmd/cli_walk.h"

int parse_console_args(int argc, char **argv, struct console_opts *o,
		       char *err, size_t errlen)
{
	const struct cli_opt opts[] = {
		CLI_OPT("expect", 0, CLI_STRING, &o->expect),
		CLI_OPT("lane", 0, CLI_STRING, &o->lane),
		CLI_OPT("json", 0, CLI_STRING, &o->json),
		CLI_OPT("markdown", 0, CLI_STRING, &o->markdown),
		CLI_OPT_END,
	};
	const struct cli_spec spec = {
		.opts = opts, .help = &o->help, .operands = CLI_ONE_OPERAND,
		.one = &o->log, .one_twice = "one LOG at a time ('%s' and '%s')" };

	memset(o, 0, sizeof(*o));
	if (cli_parse(argc, argv, &spec, err, errlen))
		return -1;
	if (!o->help && !o->log)
		return cli_error(err, errlen, "missing LOG: the guest's serial console log to parse");
	return 0;
}

/* A lane is a directory name under --results: not a path, not "." or "..". */
static int check_lanes(char **lanes, int n, char *err, size_t errlen)
{
	int i, j;

	if (!n)
		return cli_error(err, errlen, "missing LANE: the lanes (directories under --results) to show");
	for (i = 0; i < n; i++) {
		if (strchr(lanes[i], '/') || !strcmp(lanes[i], ".") || !strcmp(lanes[i], ".."))
			return cli_error(err, errlen, "'%s' is not a lane name: give the directory's "
					 "name under --results, not a path", lanes[i]);
		for (j = 0; j < i; j++)
			if (!strcmp(lanes[i], lanes[j]))
				return cli_error(err, errlen, "lane '%s' given twice", lanes[i]);
	}
	return 0;
}

int parse_matrix_args(int argc, char **argv, struct matrix_opts *o,
		      char *err, size_t errlen)
{
	const struct cli_opt opts[] = {
		{ .name = "results", .kind = CLI_STRINGS, .dst = o->results,
		  .count = &o->nresults, .max = MATRIX_MAX_RESULTS },
		CLI_OPT("expect-dir", 0, CLI_STRING, &o->expect_dir),
		CLI_OPT("markdown", 0, CLI_STRING, &o->markdown),
		CLI_OPT("json", 0, CLI_STRING, &o->json),
		CLI_OPT("kcidb", 0, CLI_STRING, &o->kcidb),
		CLI_OPT("run-id", 0, CLI_STRING, &o->run_id),
		CLI_OPT_END,
	};
	const struct cli_spec spec = {
		.opts = opts, .help = &o->help, .operands = CLI_OPERANDS,
		.many = &o->lanes, .nmany = &o->nlanes };

	memset(o, 0, sizeof(*o));
	o->expect_dir = "tests/expect";
	if (cli_parse(argc, argv, &spec, err, errlen) || o->help)
		return o->help ? 0 : -1;
	if (!o->nresults)
		o->results[o->nresults++] = "results";	/* the default */
	return check_lanes(o->lanes, o->nlanes, err, errlen);
}
