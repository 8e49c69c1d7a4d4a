/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one getopt_long() walk behind every subcommand's parser (cli_args.c):
 * a parser describes its options in a table of struct cli_opt, where each
 * value goes and how it is checked; cli_parse() builds getopt_long()'s
 * struct option table from it and walks argv.
 *
 * The optstring starts with "-" (operands come back in order, whatever
 * POSIXLY_CORRECT says) and ":" (a missing value is reported, not printed);
 * opterr is 0: every message is ours, in err. optind is reset at each
 * start, so parsers can be called one after another (unit tests).
 */
#ifndef MMREPRO_CLI_WALK_H
#define MMREPRO_CLI_WALK_H

#include <stdbool.h>
#include <stddef.h>

enum cli_kind {
	CLI_FLAG,	/* bool *dst = true */
	CLI_STRING,	/* const char **dst = VALUE ("" refused) */
	CLI_STRINGS,	/* const char *dst[max], *count: repeatable */
	CLI_SECONDS,	/* unsigned int *dst: 1..CLI_TIMEOUT_MAX_S */
	CLI_SIZE,	/* unsigned long long *dst: parse_size() */
	CLI_NUMBER,	/* unsigned long long *dst: decimal or 0x..., min..max */
};

struct cli_opt {
	const char *name;	/* long name, without "--" */
	char shortname;		/* or 0 */
	enum cli_kind kind;
	void *dst;
	int *count;		/* CLI_STRINGS */
	int max;		/* CLI_STRINGS */
	unsigned long long min, max_value;	/* CLI_NUMBER */
	bool *seen;		/* or NULL: set when the option is given */
};

#define CLI_OPT(lng, shrt, knd, dest) \
	{ .name = (lng), .shortname = (shrt), .kind = (knd), .dst = (dest) }
#define CLI_NUM(lng, shrt, dest, lo, hi, given) \
	{ .name = (lng), .shortname = (shrt), .kind = CLI_NUMBER, .dst = (dest), \
	  .min = (lo), .max_value = (hi), .seen = (given) }
#define CLI_OPT_END	{ .name = NULL }

enum cli_operands {
	CLI_NO_OPERANDS,	/* any is "unexpected argument" */
	CLI_ONE_OPERAND,	/* into *one; a second is an error (one_twice) */
	CLI_OPERANDS,		/* gathered in order at argv[1...]: *many, *nmany */
};

struct cli_spec {
	const struct cli_opt *opts;	/* ends with { NULL } */
	bool *help;			/* --help/-h: set, and stop */
	enum cli_operands operands;
	const char **one;
	const char *one_twice;		/* printf format of two %s, or NULL: "unexpected argument" */
	char ***many;
	int *nmany;
};

/* 0, or -1 with a one-line message in err. */
int cli_parse(int argc, char **argv, const struct cli_spec *spec, char *err, size_t errlen);

/* printf into err; returns -1 (for checks after cli_parse()). */
int cli_error(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif /* MMREPRO_CLI_WALK_H */
