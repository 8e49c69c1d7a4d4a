// SPDX-License-Identifier: GPL-2.0
/* Expectation files and their comparison with a console log; see expect.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/expect.h"

static bool valid_name(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return n > 0;
}

#define RECORDED_ON "recorded-on:"

/*
 * A comment line "# recorded-on: VERSION" (s at the '#'): 1 with the version
 * in out, 0 when it is another comment, -1 (why says) when malformed.
 */
static int parse_recorded_on(const char *s, const char *end, char *out, size_t outlen,
			     char *why, size_t whylen)
{
	const char *v, *rest;
	size_t n, i;

	for (s++; s < end && isspace((unsigned char)*s); s++)
		;
	if ((size_t)(end - s) < strlen(RECORDED_ON) || strncmp(s, RECORDED_ON, strlen(RECORDED_ON)))
		return 0;
	for (v = s + strlen(RECORDED_ON); v < end && isspace((unsigned char)*v); v++)
		;
	for (n = 0; v + n < end && !isspace((unsigned char)v[n]); n++)
		;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)v[i]) && !strchr(".+~:_-", v[i]))
			break;
	for (rest = v + n; rest < end && isspace((unsigned char)*rest); rest++)
		;
	if (!n || i < n || n >= outlen || rest < end) {
		snprintf(why, whylen, "write `# " RECORDED_ON " VERSION`, VERSION the kernel "
			 "package's Debian version (e.g. 6.1.176-1)");
		return -1;
	}
	snprintf(out, outlen, "%.*s", (int)n, v);
	return 1;
}

/* One line (without its newline, len bytes). 0 ok or blank, 1 an entry, -1 error. */
static int parse_line(const char *s, size_t len, struct expectation *x, char *why,
		      size_t whylen)
{
	const char *end = s + len, *hash, *w;
	size_t n;

	hash = memchr(s, '#', len);
	while (s < end && isspace((unsigned char)*s))
		s++;
	if (s == end || *s == '#')
		return 0;
	memset(x, 0, sizeof(*x));
	if (hash) {
		const char *c = hash + 1;
		size_t cl;

		while (c < end && isspace((unsigned char)*c))
			c++;
		cl = (size_t)(end - c);
		while (cl && isspace((unsigned char)c[cl - 1]))
			cl--;
		snprintf(x->comment, sizeof(x->comment), "%.*s", (int)cl, c);
		end = hash;
	}
	n = 0;
	while (s + n < end && !isspace((unsigned char)s[n]))
		n++;
	if (!valid_name(s, n) || n >= sizeof(x->name)) {
		snprintf(why, whylen, "'%.*s' is not a scenario name ([a-z0-9._-], at most %zu "
			 "characters)", (int)(n > 60 ? 60 : n), s, sizeof(x->name) - 1);
		return -1;
	}
	memcpy(x->name, s, n);
	x->name[n] = '\0';
	w = s + n;
	while (w < end && isspace((unsigned char)*w))
		w++;
	n = 0;
	while (w + n < end && !isspace((unsigned char)w[n]))
		n++;
	if (!n) {
		snprintf(why, whylen, "no verdict after '%s': write `NAME VERDICT [# comment]`",
			 x->name);
		return -1;
	}
	{
		char word[16];

		snprintf(word, sizeof(word), "%.*s", (int)(n < 15 ? n : 15), w);
		if (n >= sizeof(word) || verdict_parse(word, &x->verdict)) {
			snprintf(why, whylen, "unknown verdict '%.*s' (one of ok bug skip error "
				 "splat hang none)", (int)(n > 30 ? 30 : n), w);
			return -1;
		}
	}
	w += n;
	while (w < end && isspace((unsigned char)*w))
		w++;
	if (w < end) {
		snprintf(why, whylen, "unexpected '%.*s' after the verdict: comments start "
			 "with '#'", (int)(end - w > 30 ? 30 : end - w), w);
		return -1;
	}
	return 1;
}

static bool listed(const struct expect_set *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (!strcmp(e->v[i].name, name))
			return true;
	return false;
}

/*
 * The one place of the rule every control follows unless its file says
 * otherwise: NAME.control must say bug where NAME runs (its check is not
 * blind), and skips where NAME skips. It is added after NAME's line.
 */
static int add_default_controls(struct expect_set *e)
{
	struct expectation *v;
	size_t i, n = 0;

	v = calloc(2 * e->n + 1, sizeof(*v));
	if (!v)
		return -1;
	for (i = 0; i < e->n; i++) {
		const struct expectation *x = &e->v[i];
		struct expectation *c;

		v[n++] = *x;
		if (!scenario_find(x->name))
			continue;
		c = &v[n];
		if (snprintf(c->name, sizeof(c->name), "%s.control", x->name) >= (int)sizeof(c->name) ||
		    listed(e, c->name))
			continue;
		c->verdict = x->verdict == VERDICT_SKIP ? VERDICT_SKIP : VERDICT_BUG;
		snprintf(c->comment, sizeof(c->comment), "default: %s",
			 c->verdict == VERDICT_SKIP ? "skips where its scenario skips" :
			 "its scenario runs, so its check must see the misbehaviour it is shown");
		c->line = x->line;
		n++;
	}
	free(e->v);
	e->v = v;
	e->n = n;
	return 0;
}

int expect_parse(const char *text, const char *fname, struct expect_set *out,
		 char *err, size_t errlen)
{
	const char *line = text;
	unsigned int lineno = 0;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		struct expectation x;
		char why[200];
		size_t i;
		int r;

		lineno++;
		r = parse_line(line, len, &x, why, sizeof(why));
		if (!r) {
			const char *s = line, *end = line + len;

			while (s < end && isspace((unsigned char)*s))
				s++;
			if (s < end && *s == '#') {
				char v[EXPECT_VERSION_MAX];

				r = parse_recorded_on(s, end, v, sizeof(v), why, sizeof(why));
				if (r > 0 && out->recorded_on[0]) {
					snprintf(why, sizeof(why), "a second recorded-on line");
					r = -1;
				}
				if (r > 0) {
					memcpy(out->recorded_on, v, sizeof(v));
					r = 0;
				}
			}
		}
		if (r < 0) {
			snprintf(err, errlen, "%s:%u: %s", fname, lineno, why);
			goto fail;
		}
		if (r > 0) {
			for (i = 0; i < out->n; i++) {
				if (!strcmp(out->v[i].name, x.name)) {
					snprintf(err, errlen, "%s:%u: '%s' again (first on "
						 "line %u): one line per scenario", fname,
						 lineno, x.name, out->v[i].line);
					goto fail;
				}
			}
			if (out->n == cap) {
				struct expectation *v;

				cap = cap ? 2 * cap : 16;
				v = realloc(out->v, cap * sizeof(*v));
				if (!v) {
					snprintf(err, errlen, "%s: out of memory", fname);
					goto fail;
				}
				out->v = v;
			}
			x.line = lineno;
			out->v[out->n++] = x;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	if (add_default_controls(out)) {
		snprintf(err, errlen, "%s: out of memory", fname);
		goto fail;
	}
	return 0;
fail:
	expect_free(out);
	return -1;
}

void expect_free(struct expect_set *e)
{
	free(e->v);
	e->v = NULL;
	e->n = 0;
	e->recorded_on[0] = '\0';
}

int expect_compare(const struct expect_set *e, const struct observed *obs, size_t nobs,
		   const char *fname, struct compare_row **rows, size_t *nrows)
{
	struct compare_row *r = calloc(e->n + nobs + 1, sizeof(*r));
	size_t n = 0, i, j;
	int mismatches = 0;

	if (!r)
		return -1;
	for (i = 0; i < e->n; i++) {
		const struct observed *o = NULL;
		struct compare_row *row = &r[n++];

		for (j = 0; j < nobs && !o; j++)
			if (!strcmp(obs[j].name, e->v[i].name))
				o = &obs[j];
		snprintf(row->name, sizeof(row->name), "%s", e->v[i].name);
		row->exp = &e->v[i];
		row->obs = o;
		row->expected = e->v[i].verdict;
		row->observed = o ? o->verdict : VERDICT_NONE;
		row->match = row->expected == row->observed;
		if (row->match)
			continue;
		mismatches++;
		if (!o)
			snprintf(row->note, sizeof(row->note), "not in the log");
		else
			snprintf(row->note, sizeof(row->note), "%s", o->reason);
	}
	for (j = 0; j < nobs; j++) {
		struct compare_row *row;

		for (i = 0; i < e->n; i++)
			if (!strcmp(obs[j].name, e->v[i].name))
				break;
		if (i < e->n)
			continue;
		row = &r[n++];
		snprintf(row->name, sizeof(row->name), "%s", obs[j].name);
		row->obs = &obs[j];
		row->expected = VERDICT_NONE;
		row->observed = obs[j].verdict;
		snprintf(row->note, sizeof(row->note), "no expectation: add a line to %s", fname);
		mismatches++;
	}
	*rows = r;
	*nrows = n;
	return mismatches;
}
