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

#define CLI_MAX_OPTS	16
#define CLI_OPT_BASE	256	/* getopt_long() codes of the table: above any character */

int cli_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
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

/* A number in base (0: decimal or 0x...) from min to max. 0 or -1. */
static int parse_number(const char *s, int base, unsigned long long min, unsigned long long max,
			unsigned long long *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (s[0] < '0' || s[0] > '9')
		return -1;
	v = strtoull(s, &end, base);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_seconds(const char *s, unsigned int *out)
{
	unsigned long long v;

	if (parse_number(s, 10, 1, CLI_TIMEOUT_MAX_S, &v))
		return -1;
	*out = (unsigned int)v;
	return 0;
}

/* Store optarg as opt says. 0, or -1 with err set. */
static int store(const struct cli_opt *opt, const char *val, char *err, size_t errlen)
{
	const char **strings = opt->dst;

	if (opt->seen)
		*opt->seen = true;
	switch (opt->kind) {
	case CLI_FLAG:
		*(bool *)opt->dst = true;
		return 0;
	case CLI_STRING:
	case CLI_STRINGS:
		if (!val[0])
			return cli_error(err, errlen, "--%s needs a value", opt->name);
		if (opt->kind == CLI_STRING) {
			*strings = val;
			return 0;
		}
		if (*opt->count == opt->max)
			return cli_error(err, errlen, "more than %d --%s", opt->max, opt->name);
		strings[(*opt->count)++] = val;
		return 0;
	case CLI_SECONDS:
		if (!parse_seconds(val, opt->dst))
			return 0;
		return cli_error(err, errlen, "--%s needs a number of seconds from 1 to %u, not '%s'",
				 opt->name, CLI_TIMEOUT_MAX_S, val);
	case CLI_SIZE:
		if (!parse_size(val, opt->dst))
			return 0;
		return cli_error(err, errlen, "--%s wants a size such as 1G, 512M or 4096, not '%s'",
				 opt->name, val);
	case CLI_NUMBER:
		if (!parse_number(val, 0, opt->min, opt->max_value, opt->dst))
			return 0;
		return cli_error(err, errlen, "--%s wants a number from %llu to %llu (decimal or 0x...), not '%s'",
				 opt->name, opt->min, opt->max_value, val);
	}
	return cli_error(err, errlen, "--%s: unknown kind of option", opt->name);
}

/* An operand (before or after "--"). 0, or -1 with err set. */
static int operand(const struct cli_spec *spec, char **argv, char *arg, char *err, size_t errlen)
{
	switch (spec->operands) {
	case CLI_ONE_OPERAND:
		if (!*spec->one) {
			*spec->one = arg;
			return 0;
		}
		if (spec->one_twice)
			return cli_error(err, errlen, spec->one_twice, *spec->one, arg);
		break;
	case CLI_OPERANDS:
		/* argv[1 + n] is a slot getopt_long() has passed: gather in place */
		argv[1 + (*spec->nmany)++] = arg;
		*spec->many = argv + 1;
		return 0;
	case CLI_NO_OPERANDS:
		break;
	}
	return cli_error(err, errlen, "unexpected argument '%s'", arg);
}

/* What getopt_long() refused ('?' or ':'), as a message. */
static int refused(int c, char **argv, char *err, size_t errlen)
{
	char shortname[3] = { '-', (char)optopt, 0 };
	/* a short option's letter is in optopt; a long one is argv[optind - 1] */
	const char *what = optopt > 0 && optopt < CLI_OPT_BASE ? shortname : argv[optind - 1];

	if (c == ':')
		return cli_error(err, errlen, "%s needs a value", what);
	return cli_error(err, errlen, "unknown option '%s'", what);
}

int cli_parse(int argc, char **argv, const struct cli_spec *spec, char *err, size_t errlen)
{
	struct option longopts[CLI_MAX_OPTS + 2] = { { "help", no_argument, NULL, 'h' } };
	char optstring[2 * CLI_MAX_OPTS + 8] = "-:h";
	size_t n, len = strlen(optstring);
	int c;

	if (errlen)
		err[0] = '\0';
	if (spec->operands == CLI_OPERANDS) {
		*spec->nmany = 0;
		*spec->many = argv + 1;
	}
	for (n = 0; spec->opts[n].name; n++) {
		const struct cli_opt *o = &spec->opts[n];

		if (n == CLI_MAX_OPTS)
			return cli_error(err, errlen, "internal: more than %d options", CLI_MAX_OPTS);
		longopts[n + 1] = (struct option){ o->name,
			o->kind == CLI_FLAG ? no_argument : required_argument, NULL, o->shortname ? o->shortname : CLI_OPT_BASE + (int)n };
		if (o->shortname) {
			optstring[len++] = o->shortname;
			if (o->kind != CLI_FLAG)
				optstring[len++] = ':';
		}
	}
	optstring[len] = '\0';
	optind = 0;	/* glibc: start afresh, forget the previous walk */
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		const struct cli_opt *o = NULL;
		size_t i;

		if (c == 1) {
			if (operand(spec, argv, optarg, err, errlen))
				return -1;
			continue;
		}
		if (c == 'h') {
			*spec->help = true;
			return 0;
		}
		for (i = 0; i < n && !o; i++)
			if (c == (spec->opts[i].shortname ? spec->opts[i].shortname : CLI_OPT_BASE + (int)i))
				o = &spec->opts[i];
		if (!o)
			return refused(c, argv, err, errlen);
		if (store(o, optarg, err, errlen))
			return -1;
	}
	for (; optind < argc; optind++)		/* after "--" */
		if (operand(spec, argv, argv[optind], err, errlen))
			return -1;
	return 0;
}
