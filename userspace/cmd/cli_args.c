// SPDX-License-Identifier: GPL-2.0
/* Command-line parsing into structs; see cli_args.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli_args.h"

/* The state of one walk over a subcommand's argv. */
struct argwalk {
	int argc;
	char **argv;
	int i;			/* index of the argument being looked at */
	bool options_done;	/* "--" seen */
	char *err;
	size_t errlen;
};

static int fail(struct argwalk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct argwalk *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->err, w->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static void walk_init(struct argwalk *w, int argc, char **argv, char *err, size_t errlen)
{
	w->argc = argc;
	w->argv = argv;
	w->i = 0;
	w->options_done = false;
	w->err = err;
	w->errlen = errlen;
	if (errlen)
		err[0] = '\0';
}

/*
 * Advance to the next argument. Returns false at the end. Sets *is_opt when
 * it is an option (starts with '-', is not "-" alone, and "--" was not seen).
 */
static bool walk_next(struct argwalk *w, bool *is_opt)
{
	for (;;) {
		const char *a;

		if (++w->i >= w->argc)
			return false;
		a = w->argv[w->i];
		if (!w->options_done && !strcmp(a, "--")) {
			w->options_done = true;
			continue;
		}
		*is_opt = !w->options_done && a[0] == '-' && a[1];
		return true;
	}
}

static const char *cur(const struct argwalk *w)
{
	return w->argv[w->i];
}

/* The current argument is the flag --lng (or -shrt when shrt != 0). */
static bool is_flag(const struct argwalk *w, const char *lng, char shrt)
{
	const char *a = cur(w);

	if (!strcmp(a, lng))
		return true;
	return shrt && a[0] == '-' && a[1] == shrt && !a[2];
}

/*
 * The current argument is the option --lng taking a value ("--lng V" or
 * "--lng=V"). Returns 1 and sets *val, 0 when it is another option, -1 when
 * the value is missing.
 */
static int is_valued(struct argwalk *w, const char *lng, const char **val)
{
	const char *a = cur(w);
	size_t n = strlen(lng);

	if (strncmp(a, lng, n))
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		if (!**val)
			return fail(w, "%s needs a value", lng);
		return 1;
	}
	if (a[n])
		return 0;
	if (w->i + 1 >= w->argc)
		return fail(w, "%s needs a value", lng);
	*val = w->argv[++w->i];
	return 1;
}

static int unknown_option(struct argwalk *w)
{
	return fail(w, "unknown option '%s'", cur(w));
}

static int extra_argument(struct argwalk *w)
{
	return fail(w, "unexpected argument '%s'", cur(w));
}

static int parse_seconds(struct argwalk *w, const char *opt, const char *s, unsigned int *out)
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
	return fail(w, "%s needs a number of seconds from 1 to %u, not '%s'",
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

int parse_run_args(int argc, char **argv, struct run_opts *o, char *err, size_t errlen)
{
	bool ktap = false, json = false, with = false, only = false;
	struct argwalk w;
	bool is_opt;
	int r, i;

	memset(o, 0, sizeof(*o));
	walk_init(&w, argc, argv, err, errlen);
	o->names = argv + 1;
	while (walk_next(&w, &is_opt)) {
		const char *val;

		if (!is_opt) {
			/*
			 * Gather the names at argv[1...] in order. The slot
			 * written was already consumed, so the walk is intact.
			 */
			argv[1 + o->nnames++] = argv[w.i];
			continue;
		}
		if (is_flag(&w, "--help", 'h')) {
			o->help = true;
			return 0;
		} else if (is_flag(&w, "--ktap", 0)) {
			ktap = true;
		} else if (is_flag(&w, "--json", 0)) {
			json = true;
		} else if (is_flag(&w, "--with-controls", 0)) {
			with = true;
		} else if (is_flag(&w, "--controls-only", 0)) {
			only = true;
		} else if (is_flag(&w, "--allow-destructive", 0)) {
			o->allow_destructive = true;
		} else if (is_flag(&w, "--verbose", 'v')) {
			o->verbose = true;
		} else if ((r = is_valued(&w, "--timeout", &val))) {
			if (r < 0 || parse_seconds(&w, "--timeout", val, &o->timeout_s))
				return -1;
		} else {
			return unknown_option(&w);
		}
	}
	if (ktap && json)
		return fail(&w, "--ktap and --json exclude each other: pick one output format");
	if (with && only)
		return fail(&w, "--with-controls and --controls-only exclude each other");
	o->format = ktap ? OUT_KTAP : json ? OUT_JSON : OUT_TABLE;
	o->controls = with ? CONTROLS_WITH : only ? CONTROLS_ONLY : CONTROLS_NONE;

	for (i = 0; i < o->nnames; i++) {
		if (!strcmp(o->names[i], "all") && o->nnames > 1)
			return fail(&w, "'all' runs every scenario: do not combine it with names");
	}
	if (o->nnames == 1 && !strcmp(o->names[0], "all"))
		o->nnames = 0;
	return 0;
}

int parse_load_args(int argc, char **argv, struct load_opts *o, char *err, size_t errlen)
{
	struct argwalk w;
	bool is_opt;
	int r;

	memset(o, 0, sizeof(*o));
	walk_init(&w, argc, argv, err, errlen);
	while (walk_next(&w, &is_opt)) {
		const char *val;

		if (!is_opt)
			return extra_argument(&w);
		if (is_flag(&w, "--help", 'h')) {
			o->help = true;
			return 0;
		} else if ((r = is_valued(&w, "--module", &val))) {
			if (r < 0)
				return -1;
			o->module = val;
		} else {
			return unknown_option(&w);
		}
	}
	return 0;
}

int parse_unload_args(int argc, char **argv, struct unload_opts *o, char *err, size_t errlen)
{
	struct argwalk w;
	bool is_opt;

	memset(o, 0, sizeof(*o));
	walk_init(&w, argc, argv, err, errlen);
	while (walk_next(&w, &is_opt)) {
		if (!is_opt)
			return extra_argument(&w);
		if (!is_flag(&w, "--help", 'h'))
			return unknown_option(&w);
		o->help = true;
		return 0;
	}
	return 0;
}

int parse_info_args(int argc, char **argv, struct info_opts *o, char *err, size_t errlen)
{
	struct argwalk w;
	bool is_opt;

	memset(o, 0, sizeof(*o));
	walk_init(&w, argc, argv, err, errlen);
	while (walk_next(&w, &is_opt)) {
		if (!is_opt)
			return extra_argument(&w);
		if (is_flag(&w, "--help", 'h')) {
			o->help = true;
			return 0;
		} else if (is_flag(&w, "--json", 0)) {
			o->json = true;
		} else {
			return unknown_option(&w);
		}
	}
	return 0;
}

int parse_list_args(int argc, char **argv, struct list_opts *o, char *err, size_t errlen)
{
	struct argwalk w;
	bool is_opt;

	memset(o, 0, sizeof(*o));
	walk_init(&w, argc, argv, err, errlen);
	while (walk_next(&w, &is_opt)) {
		if (!is_opt)
			return extra_argument(&w);
		if (is_flag(&w, "--help", 'h')) {
			o->help = true;
			return 0;
		} else if (is_flag(&w, "--verbose", 'v')) {
			o->verbose = true;
		} else if (is_flag(&w, "--abi", 0)) {
			o->abi = true;
		} else {
			return unknown_option(&w);
		}
	}
	return 0;
}

int parse_console_args(int argc, char **argv, struct console_opts *o,
		       char *err, size_t errlen)
{
	struct argwalk w;
	bool is_opt;
	int r;

	memset(o, 0, sizeof(*o));
	walk_init(&w, argc, argv, err, errlen);
	while (walk_next(&w, &is_opt)) {
		const char *val;

		if (!is_opt) {
			if (o->log)
				return fail(&w, "one LOG at a time ('%s' and '%s')",
					    o->log, cur(&w));
			o->log = cur(&w);
			continue;
		}
		if (is_flag(&w, "--help", 'h')) {
			o->help = true;
			return 0;
		} else if ((r = is_valued(&w, "--expect", &val))) {
			if (r < 0)
				return -1;
			o->expect = val;
		} else if ((r = is_valued(&w, "--lane", &val))) {
			if (r < 0)
				return -1;
			o->lane = val;
		} else if ((r = is_valued(&w, "--json", &val))) {
			if (r < 0)
				return -1;
			o->json = val;
		} else if ((r = is_valued(&w, "--markdown", &val))) {
			if (r < 0)
				return -1;
			o->markdown = val;
		} else {
			return unknown_option(&w);
		}
	}
	if (!o->log)
		return fail(&w, "missing LOG: the guest's serial console log to parse");
	return 0;
}

/* A lane is a directory name under --results: not a path, not "." or "..". */
static int check_lanes(struct argwalk *w, char **lanes, int n)
{
	int i, j;

	if (!n)
		return fail(w, "missing LANE: the lanes (directories under --results) to show");
	for (i = 0; i < n; i++) {
		if (strchr(lanes[i], '/') || !strcmp(lanes[i], ".") || !strcmp(lanes[i], ".."))
			return fail(w, "'%s' is not a lane name: give the directory's name "
				    "under --results, not a path", lanes[i]);
		for (j = 0; j < i; j++)
			if (!strcmp(lanes[i], lanes[j]))
				return fail(w, "lane '%s' given twice", lanes[i]);
	}
	return 0;
}

int parse_matrix_args(int argc, char **argv, struct matrix_opts *o,
		      char *err, size_t errlen)
{
	struct argwalk w;
	bool is_opt;
	int r;

	memset(o, 0, sizeof(*o));
	o->results[0] = "results";
	o->expect_dir = "tests/expect";
	walk_init(&w, argc, argv, err, errlen);
	o->lanes = argv + 1;
	while (walk_next(&w, &is_opt)) {
		const char *val;

		if (!is_opt) {
			argv[1 + o->nlanes++] = argv[w.i];	/* as parse_run_args() */
			continue;
		}
		if (is_flag(&w, "--help", 'h')) {
			o->help = true;
			return 0;
		} else if ((r = is_valued(&w, "--results", &val))) {
			if (r < 0)
				return -1;
			if (o->nresults == MATRIX_MAX_RESULTS) {
				snprintf(err, errlen, "more than %d --results", MATRIX_MAX_RESULTS);
				return -1;
			}
			o->results[o->nresults++] = val;
		} else if ((r = is_valued(&w, "--expect-dir", &val))) {
			if (r < 0)
				return -1;
			o->expect_dir = val;
		} else if ((r = is_valued(&w, "--markdown", &val))) {
			if (r < 0)
				return -1;
			o->markdown = val;
		} else if ((r = is_valued(&w, "--json", &val))) {
			if (r < 0)
				return -1;
			o->json = val;
		} else if ((r = is_valued(&w, "--kcidb", &val))) {
			if (r < 0)
				return -1;
			o->kcidb = val;
		} else if ((r = is_valued(&w, "--run-id", &val))) {
			if (r < 0)
				return -1;
			o->run_id = val;
		} else {
			return unknown_option(&w);
		}
	}
	if (!o->nresults)
		o->nresults = 1;	/* the default */
	return check_lanes(&w, o->lanes, o->nlanes);
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

int parse_repro_args(int argc, char **argv, struct repro_opts *o, char *err, size_t errlen)
{
	struct argwalk w;
	const char *val;
	bool is_opt;
	int r;

	memset(o, 0, sizeof(*o));
	walk_init(&w, argc, argv, err, errlen);
	while (walk_next(&w, &is_opt)) {
		if (!is_opt) {
			if (o->name)
				return extra_argument(&w);
			o->name = cur(&w);
		} else if (is_flag(&w, "--help", 'h')) {
			o->help = true;
			return 0;
		} else if (is_flag(&w, "--pin", 0)) {
			o->pin = true;
		} else if ((r = is_valued(&w, "--size", &val)) != 0) {
			if (r < 0)
				return -1;
			if (parse_size(val, &o->size))
				return fail(&w, "--size wants a size such as 1G, 512M or 4096, not '%s'", val);
		} else {
			return unknown_option(&w);
		}
	}
	if (!o->name)
		return fail(&w, "which reproducer? (hmm-swap)");
	return 0;
}
