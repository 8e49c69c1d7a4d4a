// SPDX-License-Identifier: GPL-2.0
/* The host-side subcommands' command lines: console and matrix (cli_args.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cli_args.h"
#include "cmd/cli_walk.h"

int parse_console_args(int argc, char **argv, struct console_opts *o,
		       char *err, size_t errlen)
{
	static const struct option longopts[] = {
		OPT_HELP_ENTRY,
		{ "expect", required_argument, NULL, OPT_EXPECT },
		{ "lane", required_argument, NULL, OPT_LANE },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "markdown", required_argument, NULL, OPT_MARKDOWN },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_walk w;
	const char *arg;
	int c;

	memset(o, 0, sizeof(*o));
	cli_walk_start(&w, argc, argv, err, errlen);
	while ((c = cli_walk_next(&w, "h", longopts)) != -1) {
		switch (c) {
		case 1:
			if (o->log)
				return cli_fail(&w, "one LOG at a time ('%s' and '%s')", o->log, optarg);
			o->log = optarg;
			break;
		case 'h':
			o->help = true;
			return 0;
		case OPT_EXPECT:
			if (cli_value(&w, "--expect", &o->expect))
				return -1;
			break;
		case OPT_LANE:
			if (cli_value(&w, "--lane", &o->lane))
				return -1;
			break;
		case OPT_JSON:
			if (cli_value(&w, "--json", &o->json))
				return -1;
			break;
		case OPT_MARKDOWN:
			if (cli_value(&w, "--markdown", &o->markdown))
				return -1;
			break;
		default:
			return cli_walk_refused(&w, c);
		}
	}
	while ((arg = cli_operand_after_dashes(&w))) {
		if (o->log)
			return cli_fail(&w, "one LOG at a time ('%s' and '%s')", o->log, arg);
		o->log = arg;
	}
	if (!o->log)
		return cli_fail(&w, "missing LOG: the guest's serial console log to parse");
	return 0;
}

/* A lane is a directory name under --results: not a path, not "." or "..". */
static int check_lanes(struct cli_walk *w, char **lanes, int n)
{
	int i, j;

	if (!n)
		return cli_fail(w, "missing LANE: the lanes (directories under --results) to show");
	for (i = 0; i < n; i++) {
		if (strchr(lanes[i], '/') || !strcmp(lanes[i], ".") || !strcmp(lanes[i], ".."))
			return cli_fail(w, "'%s' is not a lane name: give the directory's name "
				    "under --results, not a path", lanes[i]);
		for (j = 0; j < i; j++)
			if (!strcmp(lanes[i], lanes[j]))
				return cli_fail(w, "lane '%s' given twice", lanes[i]);
	}
	return 0;
}

int parse_matrix_args(int argc, char **argv, struct matrix_opts *o,
		      char *err, size_t errlen)
{
	static const struct option longopts[] = {
		OPT_HELP_ENTRY,
		{ "results", required_argument, NULL, OPT_RESULTS },
		{ "expect-dir", required_argument, NULL, OPT_EXPECT_DIR },
		{ "markdown", required_argument, NULL, OPT_MARKDOWN },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "kcidb", required_argument, NULL, OPT_KCIDB },
		{ "run-id", required_argument, NULL, OPT_RUN_ID },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_walk w;
	const char *arg;
	int c, r = 0;

	memset(o, 0, sizeof(*o));
	o->results[0] = "results";
	o->expect_dir = "tests/expect";
	cli_walk_start(&w, argc, argv, err, errlen);
	o->lanes = argv + 1;
	while (!r && (c = cli_walk_next(&w, "h", longopts)) != -1) {
		switch (c) {
		case 1:
			cli_keep_operand(argv, &o->nlanes, optarg);
			break;
		case 'h':
			o->help = true;
			return 0;
		case OPT_RESULTS:
			if (o->nresults == MATRIX_MAX_RESULTS)
				return cli_fail(&w, "more than %d --results", MATRIX_MAX_RESULTS);
			r = cli_value(&w, "--results", &o->results[o->nresults++]);
			break;
		case OPT_EXPECT_DIR:
			r = cli_value(&w, "--expect-dir", &o->expect_dir);
			break;
		case OPT_MARKDOWN:
			r = cli_value(&w, "--markdown", &o->markdown);
			break;
		case OPT_JSON:
			r = cli_value(&w, "--json", &o->json);
			break;
		case OPT_KCIDB:
			r = cli_value(&w, "--kcidb", &o->kcidb);
			break;
		case OPT_RUN_ID:
			r = cli_value(&w, "--run-id", &o->run_id);
			break;
		default:
			return cli_walk_refused(&w, c);
		}
	}
	if (r)
		return -1;
	while ((arg = cli_operand_after_dashes(&w)))
		cli_keep_operand(argv, &o->nlanes, (char *)arg);
	if (!o->nresults)
		o->nresults = 1;	/* the default */
	return check_lanes(&w, o->lanes, o->nlanes);
}
