// SPDX-License-Identifier: GPL-2.0
/* The lanes-by-scenarios matrix, its model; see matrix.h (the writers: report/matrix_*.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/matrix.h"

#define CONTROL_SUFFIX	".control"

/* The pseudo-scenarios of the console log, after the registry's scenarios. */
static const char *const pseudo_scenarios[] = { "load", "unload", "boot" };

#define NR_PSEUDO (sizeof(pseudo_scenarios) / sizeof(pseudo_scenarios[0]))

/* ---- building ---- */

static void note_add(struct matrix_lane *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note_add(struct matrix_lane *l, const char *fmt, ...)
{
	size_t n = strlen(l->note);
	va_list ap;

	if (n && n + 2 < sizeof(l->note)) {
		strcpy(l->note + n, "; ");
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(l->note + n, sizeof(l->note) - n, fmt, ap);
	va_end(ap);
}

static void no_log_note(const struct matrix_lane *l, char *buf, size_t len)
{
	if (l->reason)
		snprintf(buf, len, "no console log: the lane did not boot: %s", l->reason);
	else
		snprintf(buf, len, "no console log: the lane did not boot (see %s)", l->dir);
}

/* The kernel changed since the expectations were recorded: say so first. */
static void changed_kernel_notes(struct matrix_lane *l)
{
	char note[sizeof(l->rows[0].note)];
	size_t i;

	if (!l->kernel || !l->exp || !l->exp->recorded_on[0] ||
	    !strcmp(l->kernel, l->exp->recorded_on))
		return;
	for (i = 0; i < l->nrows; i++) {
		struct compare_row *r = &l->rows[i];

		if (r->match || !r->exp || !r->obs)
			continue;
		/* a long reason is cut short, not the news that the kernel changed */
		if (snprintf(note, sizeof(note), "changed on %s (recorded on %s): %s", l->kernel,
			     l->exp->recorded_on, r->note) < 0)
			continue;
		memcpy(r->note, note, sizeof(note));
	}
}

/* Why a cell differs when the lane lacks its log or its expectation file. */
static void lane_cell_notes(struct matrix_lane *l)
{
	size_t i;

	for (i = 0; i < l->nrows; i++) {
		struct compare_row *r = &l->rows[i];

		if (r->match)
			continue;
		if (!l->exp)
			snprintf(r->note, sizeof(r->note), "no expectation file %s",
				 l->expect_path);
		else if (!l->con)
			no_log_note(l, r->note, sizeof(r->note));
		else if (!r->obs && (l->con->incomplete || l->con->panic))
			snprintf(r->note, sizeof(r->note), "not in the log, which ends early "
				 "(%s; status %s)", l->con->panic ? "kernel panic" :
				 "no " CONSOLE_GUEST_END, l->status ? l->status : "unknown");
	}
}

static int lane_build(struct matrix_lane *l)
{
	static const struct expect_set no_expectations;
	const struct expect_set *e = l->exp ? l->exp : &no_expectations;
	int n;

	l->rows = NULL;
	l->nrows = 0;
	l->note[0] = '\0';
	l->lane_mismatch = false;
	if (!l->con) {
		char why[MATRIX_NOTE_MAX];

		no_log_note(l, why, sizeof(why));
		note_add(l, "%s", why);
	}
	if (!l->exp)
		note_add(l, "no expectation file %s", l->expect_path);
	n = expect_compare(e, l->con ? l->con->obs : NULL, l->con ? l->con->nobs : 0,
			   l->expect_path, &l->rows, &l->nrows);
	if (n < 0)
		return -1;
	lane_cell_notes(l);
	changed_kernel_notes(l);
	if (l->note[0] && !n) {
		l->lane_mismatch = true;
		n = 1;
	}
	l->mismatches = n;
	return 0;
}

static bool has_row(const struct matrix *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nrows; i++)
		if (!strcmp(m->rows[i], name))
			return true;
	return false;
}

/* The union of the lanes' cells' names, in order of first appearance. */
static int collect_rows(struct matrix *m)
{
	size_t i, j, cap = 1;

	for (i = 0; i < m->nlanes; i++)
		cap += m->lanes[i].nrows;
	m->rows = calloc(cap, sizeof(*m->rows));
	if (!m->rows)
		return -1;
	for (i = 0; i < m->nlanes; i++) {
		const struct matrix_lane *l = &m->lanes[i];

		for (j = 0; j < l->nrows; j++)
			if (!has_row(m, l->rows[j].name))
				memcpy(m->rows[m->nrows++], l->rows[j].name, CONSOLE_NAME_MAX);
	}
	return 0;
}

struct row_key {
	const char *name;
	unsigned int group;	/* 0 registry, 1 pseudo-scenario, 2 other, 3 mutant pass */
	size_t index;		/* in the registry, the pseudo list, or first seen */
	bool control;		/* NAME.control */
	size_t seen;		/* first appearance of the name itself */
};

/* The length of name without its ".control" suffix, and whether it had one. */
static size_t base_len(const char *name, bool *control)
{
	size_t n = strlen(name), s = strlen(CONTROL_SUFFIX);

	*control = n > s && !strcmp(name + n - s, CONTROL_SUFFIX);
	return *control ? n - s : n;
}

bool matrix_is_control_row(const char *name)
{
	bool control;

	base_len(name, &control);
	return control;
}

bool matrix_is_mutant_row(const char *name)
{
	return !strncmp(name, MATRIX_MUTANT_PREFIX, strlen(MATRIX_MUTANT_PREFIX));
}

static bool same_base(const char *a, const char *b)
{
	bool ca, cb;
	size_t n = base_len(a, &ca);

	return base_len(b, &cb) == n && !strncmp(a, b, n);
}

static bool find_in(const char *const *names, size_t n, const char *base, size_t len,
		    size_t *index)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strlen(names[i]) == len && !strncmp(names[i], base, len)) {
			*index = i;
			return true;
		}
	}
	return false;
}

static void row_key_init(struct row_key *k, const struct matrix *m, size_t i)
{
	const char *name = m->rows[i];
	size_t len = base_len(name, &k->control), j;

	k->name = name;
	k->seen = i;
	for (j = 0; j < nr_scenarios; j++) {
		if (strlen(scenarios[j]->name) == len && !strncmp(scenarios[j]->name, name, len)) {
			k->group = 0;
			k->index = j;
			return;
		}
	}
	if (find_in(pseudo_scenarios, NR_PSEUDO, name, len, &k->index)) {
		k->group = 1;
		return;
	}
	k->group = matrix_is_mutant_row(name) ? 3 : 2;
	for (j = 0; j <= i; j++) {
		if (same_base(m->rows[j], name)) {
			k->index = j;
			return;
		}
	}
}

static int cmp_size(size_t a, size_t b)
{
	return a < b ? -1 : a > b;
}

static int row_key_cmp(const void *pa, const void *pb)
{
	const struct row_key *a = pa, *b = pb;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->index != b->index)
		return cmp_size(a->index, b->index);
	if (a->control != b->control)
		return a->control ? 1 : -1;
	return cmp_size(a->seen, b->seen);
}

static int sort_rows(struct matrix *m)
{
	char (*sorted)[CONSOLE_NAME_MAX] = calloc(m->nrows + 1, sizeof(*sorted));
	struct row_key *k = calloc(m->nrows + 1, sizeof(*k));
	size_t i;

	if (!sorted || !k) {
		free(sorted);
		free(k);
		return -1;
	}
	for (i = 0; i < m->nrows; i++)
		row_key_init(&k[i], m, i);
	qsort(k, m->nrows, sizeof(*k), row_key_cmp);
	for (i = 0; i < m->nrows; i++)
		memcpy(sorted[i], k[i].name, CONSOLE_NAME_MAX);
	free(k);
	free(m->rows);
	m->rows = sorted;
	return 0;
}

void matrix_cell_text(const struct compare_row *r, char *buf, size_t len)
{
	if (!r)
		snprintf(buf, len, "-");
	else if (r->match)
		snprintf(buf, len, "%s", verdict_name(r->observed));
	else
		snprintf(buf, len, "*%s (exp %s)", verdict_name(r->observed),
			 r->exp ? verdict_name(r->expected) : "?");
}

static void lane_width(const struct matrix *m, struct matrix_lane *l)
{
	char cell[MATRIX_CELL_MAX];
	size_t i;

	l->width = (int)strlen(l->name);
	if (l->kernel && (int)strlen(l->kernel) > l->width)
		l->width = (int)strlen(l->kernel);
	for (i = 0; i < m->nrows; i++) {
		matrix_cell_text(matrix_cell(l, m->rows[i]), cell, sizeof(cell));
		if ((int)strlen(cell) > l->width)
			l->width = (int)strlen(cell);
	}
}

int matrix_build(struct matrix *m, struct matrix_lane *lanes, size_t nlanes)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->lanes = lanes;
	m->nlanes = nlanes;
	for (i = 0; i < nlanes; i++)
		lanes[i].rows = NULL;
	for (i = 0; i < nlanes; i++) {
		if (lane_build(&lanes[i]))
			goto oom;
		m->mismatches += lanes[i].mismatches;
	}
	if (collect_rows(m) || sort_rows(m))
		goto oom;
	for (i = 0; i < nlanes; i++)
		lane_width(m, &lanes[i]);
	return 0;
oom:
	matrix_free(m);
	return -1;
}

void matrix_free(struct matrix *m)
{
	size_t i;

	for (i = 0; i < m->nlanes; i++) {
		free(m->lanes[i].rows);
		m->lanes[i].rows = NULL;
		m->lanes[i].nrows = 0;
	}
	free(m->rows);
	m->rows = NULL;
	m->nrows = 0;
}

const struct compare_row *matrix_cell(const struct matrix_lane *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->nrows; i++)
		if (!strcmp(l->rows[i].name, name))
			return &l->rows[i];
	return NULL;
}

int matrix_exit_code(const struct matrix *m)
{
	return m->mismatches ? 1 : 0;
}

bool matrix_any_kernel(const struct matrix *m)
{
	size_t i;

	for (i = 0; i < m->nlanes; i++)
		if (m->lanes[i].kernel)
			return true;
	return false;
}

size_t matrix_first_mutant_row(const struct matrix *m)
{
	size_t i;

	for (i = 0; i < m->nrows && !matrix_is_mutant_row(m->rows[i]); i++)
		;
	return i;
}
