// SPDX-License-Identifier: GPL-2.0
/* The getopt_long() walk every subcommand's parser uses; see cli_walk.h. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli_args.h"
#include "cmd/cli_walk.h"

int cli_fail(struct cli_walk *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->err, w->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

void cli_walk_start(struct cli_walk *w, int argc, char **argv, char *err, size_t errlen)
{
	*w = (struct cli_walk){ .argc = argc, .argv = argv, .err = err, .errlen = errlen };
	if (errlen)
		err[0] = '\0';
	optind = 0;	/* glibc: start afresh, forget the previous walk */
	opterr = 0;
}

int cli_walk_next(struct cli_walk *w, const char *shortopts, const struct option *longopts)
{
	char optstring[32];

	snprintf(optstring, sizeof(optstring), CLI_OPTSTRING_PREFIX "%s", shortopts);
	return getopt_long(w->argc, w->argv, optstring, longopts, NULL);
}

/* What getopt_long() refused ('?' or ':'), as a message. */
int cli_walk_refused(struct cli_walk *w, int c)
{
	char shortname[3] = { '-', (char)optopt, 0 };
	/* a short option's letter is in optopt; a long one is argv[optind - 1] */
	const char *what = optopt > 0 && optopt < OPT_KTAP ? shortname : w->argv[optind - 1];

	if (c == ':')
		return cli_fail(w, "%s needs a value", what);
	return cli_fail(w, "unknown option '%s'", what);
}

/* An option's value; "--opt=" is refused as a missing one. */
int cli_value(struct cli_walk *w, const char *opt, const char **val)
{
	if (!optarg[0])
		return cli_fail(w, "%s needs a value", opt);
	*val = optarg;
	return 0;
}

/* Operands after "--", which getopt_long() leaves at argv[optind...]. */
const char *cli_operand_after_dashes(struct cli_walk *w)
{
	return optind < w->argc ? w->argv[optind++] : NULL;
}

int cli_extra_argument(struct cli_walk *w, const char *arg)
{
	return cli_fail(w, "unexpected argument '%s'", arg);
}

/* No operands anywhere (before or after "--"). */
int cli_walk_no_operands(struct cli_walk *w)
{
	const char *a = cli_operand_after_dashes(w);

	return a ? cli_extra_argument(w, a) : 0;
}

int cli_seconds(struct cli_walk *w, const char *opt, const char *s, unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	if (s[0] < '0' || s[0] > '9')
		goto bad;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > CLI_TIMEOUT_MAX_S)
		goto bad;
	*out = (unsigned int)v;
	return 0;
bad:
	return cli_fail(w, "%s needs a number of seconds from 1 to %u, not '%s'",
		    opt, CLI_TIMEOUT_MAX_S, s);
}

bool args_want_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	}
	return false;
}


void cli_keep_operand(char **argv, int *n, char *arg)
{
	argv[1 + (*n)++] = arg;
}

/* A subcommand whose only options are --help and flags in longopts. */
int cli_parse_flags(int argc, char **argv, const char *shortopts,
		       const struct option *longopts, bool *help, bool *const *flags,
		       char *err, size_t errlen)
{
	struct cli_walk w;
	int c, i;

	cli_walk_start(&w, argc, argv, err, errlen);
	while ((c = cli_walk_next(&w, shortopts, longopts)) != -1) {
		if (c == 1)
			return cli_extra_argument(&w, optarg);
		if (c == 'h') {
			*help = true;
			return 0;
		}
		for (i = 0; longopts[i].name && longopts[i].val != c; i++)
			;
		if (!longopts[i].name || i == 0)
			return cli_walk_refused(&w, c);
		*flags[i - 1] = true;	/* flags[] follows longopts[1...] */
	}
	return cli_walk_no_operands(&w);
}

int parse_size(const char *s, unsigned long long *bytes)
{
	unsigned long long v, mult = 1;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K':
		mult = 1ULL << 10;
		end++;
		break;
	case 'm': case 'M':
		mult = 1ULL << 20;
		end++;
		break;
	case 'g': case 'G':
		mult = 1ULL << 30;
		end++;
		break;
	}
	if (*end || !v || v > ~0ULL / mult)
		return -1;
	*bytes = v * mult;
	return 0;
}

