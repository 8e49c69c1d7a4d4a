/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One getopt_long() walk over a subcommand's argv, shared by the parsers of
 * cli_args.c and cli_args_host.c. The optstring starts with "-" (operands
 * come back in order as code 1, whatever POSIXLY_CORRECT says) and ":" (a
 * missing value is ':', not a message on stderr); opterr is 0: every
 * message is ours, in err. optind is reset at each start, so the parsers
 * stay callable one after another (unit tests).
 */
#ifndef MMREPRO_CLI_WALK_H
#define MMREPRO_CLI_WALK_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#define CLI_OPTSTRING_PREFIX	"-:"

/* Long options without a short one: codes above any character. */
enum {
	OPT_KTAP = 256, OPT_JSON, OPT_WITH_CONTROLS, OPT_CONTROLS_ONLY, OPT_ALLOW_DESTRUCTIVE,
	OPT_TIMEOUT, OPT_MODULE, OPT_ABI, OPT_EXPECT, OPT_LANE, OPT_MARKDOWN, OPT_RESULTS,
	OPT_EXPECT_DIR, OPT_KCIDB, OPT_RUN_ID, OPT_PIN, OPT_SIZE,
};

#define OPT_HELP_ENTRY	{ "help", no_argument, NULL, 'h' }

struct cli_walk {
	int argc;
	char **argv;
	char *err;
	size_t errlen;
};

void cli_walk_start(struct cli_walk *w, int argc, char **argv, char *err, size_t errlen);
/* getopt_long()'s next code: 1 (operand in optarg), an option's, '?', ':', -1. */
int cli_walk_next(struct cli_walk *w, const char *shortopts, const struct option *longopts);
/* What getopt_long() refused ('?' or ':') as a message; returns -1. */
int cli_walk_refused(struct cli_walk *w, int c);
/* The operands after "--", which getopt_long() leaves at argv[optind...]. */
const char *cli_operand_after_dashes(struct cli_walk *w);
/* -1 with "unexpected argument" unless no operand follows "--". */
int cli_walk_no_operands(struct cli_walk *w);

/* A one-line message in err; returns -1. */
int cli_fail(struct cli_walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_extra_argument(struct cli_walk *w, const char *arg);
/* optarg as *val; "--opt=" is refused as a missing value. 0 or -1. */
int cli_value(struct cli_walk *w, const char *opt, const char **val);
/* 1..CLI_TIMEOUT_MAX_S seconds. 0 or -1. */
int cli_seconds(struct cli_walk *w, const char *opt, const char *s, unsigned int *out);
/* Gather operand arg at argv[1 + *n], a slot getopt_long() has passed. */
void cli_keep_operand(char **argv, int *n, char *arg);
/*
 * A subcommand whose options are --help and boolean flags: longopts[0] is
 * OPT_HELP_ENTRY, flags[i] is set by longopts[i + 1].
 */
int cli_parse_flags(int argc, char **argv, const char *shortopts,
		    const struct option *longopts, bool *help, bool *const *flags,
		    char *err, size_t errlen);

#endif /* MMREPRO_CLI_WALK_H */
