// SPDX-License-Identifier: GPL-2.0
/* The lanes-by-scenarios matrix; see matrix.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/matrix.h"
#include "report/report.h"

#define CONTROL_SUFFIX	".control"
#define CELL_MAX	64

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

/* The mutant pass's rows (mmrepro mutants): "mutant.MUTANT.SCENARIO". */
#define MUTANT_PREFIX "mutant."

bool matrix_is_mutant_row(const char *name)
{
	return !strncmp(name, MUTANT_PREFIX, strlen(MUTANT_PREFIX));
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

static void cell_text(const struct compare_row *r, char *buf, size_t len)
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
	char cell[CELL_MAX];
	size_t i;

	l->width = (int)strlen(l->name);
	if (l->kernel && (int)strlen(l->kernel) > l->width)
		l->width = (int)strlen(l->kernel);
	for (i = 0; i < m->nrows; i++) {
		cell_text(matrix_cell(l, m->rows[i]), cell, sizeof(cell));
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

/* ---- what the outputs share ---- */

static const char *log_state(const struct matrix_lane *l)
{
	if (l->con->panic)
		return "kernel panic";
	if (l->con->incomplete)
		return "log incomplete (no " CONSOLE_GUEST_END ")";
	return "log complete";
}

static void lane_line(FILE *f, const struct matrix_lane *l)
{
	char line[MATRIX_NOTE_MAX];

	if (l->kernel)
		fprintf(f, "kernel %s%s%s%s; ", l->kernel, l->krel ? " (" : "",
			l->krel ? l->krel : "", l->krel ? ")" : "");
	if (l->kernel && l->exp && l->exp->recorded_on[0] &&
	    strcmp(l->kernel, l->exp->recorded_on))
		fprintf(f, "expectations recorded on %s; ", l->exp->recorded_on);
	fprintf(f, "status %s", l->status ? l->status : "(no status file)");
	if (l->con)	/* else the note says so */
		fprintf(f, "; %s", log_state(l));
	if (l->note[0]) {
		report_sanitize(line, sizeof(line), l->note, false);
		fprintf(f, "; %s", line);
	}
	if (l->oracle) {
		report_sanitize(line, sizeof(line), l->oracle, false);
		fprintf(f, "; oracle: %s", line);
	}
}

/*
 * The excerpt lines a text output shows: the first ones (a splat starts
 * there), or for a hang the last ones (where the guest stopped).
 */
static const char *excerpt_start(const struct compare_row *r)
{
	const char *s = r->obs ? r->obs->excerpt : NULL;
	size_t lines = 1;
	const char *p;

	if (!s || r->observed != VERDICT_HANG)
		return s;
	for (p = s; *p; p++)
		lines += *p == '\n';
	for (; lines > MATRIX_EXCERPT_LINES; lines--)
		s = strchr(s, '\n') + 1;
	return s;
}

static void print_excerpt(FILE *f, const struct compare_row *r, const char *prefix)
{
	const char *s = excerpt_start(r);
	int shown;

	for (shown = 0; s && *s && shown < MATRIX_EXCERPT_LINES; shown++) {
		size_t n = strcspn(s, "\n"), i;

		fputs(prefix, f);
		for (i = 0; i < n; i++)
			fputc((unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i], f);
		fputc('\n', f);
		s += n + (s[n] == '\n');
	}
}

static const char *expected_name(const struct compare_row *r)
{
	return r->exp ? verdict_name(r->expected) : "(no expectation)";
}

/* ---- the text table ---- */

static int name_width(const struct matrix *m)
{
	int w = (int)strlen("scenario");
	size_t i;

	for (i = 0; i < m->nrows; i++)
		if ((int)strlen(m->rows[i]) > w)
			w = (int)strlen(m->rows[i]);
	return w;
}

static bool any_kernel(const struct matrix *m)
{
	size_t i;

	for (i = 0; i < m->nlanes; i++)
		if (m->lanes[i].kernel)
			return true;
	return false;
}

enum header_line { HEADER_NONE, HEADER_LANE, HEADER_KERNEL };

/* One line of the table: the row's name, then one cell per lane. */
static void table_line(FILE *f, const struct matrix *m, int nw, const char *first,
		       const char *row, enum header_line header)
{
	char cell[CELL_MAX];
	size_t i;

	fprintf(f, "%-*s", nw, first);
	for (i = 0; i < m->nlanes; i++) {
		const struct matrix_lane *l = &m->lanes[i];
		bool last = i + 1 == m->nlanes;

		if (header == HEADER_LANE)
			snprintf(cell, sizeof(cell), "%s", l->name);
		else if (header == HEADER_KERNEL)
			snprintf(cell, sizeof(cell), "%s", l->kernel ? l->kernel : "?");
		else
			cell_text(matrix_cell(l, row), cell, sizeof(cell));
		fprintf(f, "  %-*s", last ? 0 : l->width, cell);
	}
	fputc('\n', f);
}

static void table_rule(FILE *f, const struct matrix *m, int nw)
{
	size_t i;
	int j;

	for (j = 0; j < nw; j++)
		fputc('-', f);
	for (i = 0; i < m->nlanes; i++) {
		fputs("  ", f);
		for (j = 0; j < m->lanes[i].width; j++)
			fputc('-', f);
	}
	fputc('\n', f);
}

static void print_mismatch(FILE *f, const struct matrix_lane *l, const struct compare_row *r)
{
	char line[MATRIX_NOTE_MAX];

	fprintf(f, "MISMATCH %s %s: expected %s, observed %s\n", l->name, r->name,
		expected_name(r), verdict_name(r->observed));
	report_sanitize(line, sizeof(line), r->note, false);
	fprintf(f, "    reason: %s\n", line);
	if (r->exp && r->exp->comment[0])
		fprintf(f, "    expectation (%s:%u): %s\n", l->expect_path, r->exp->line,
			r->exp->comment);
	print_excerpt(f, r, "    | ");
}

static void print_mismatches(FILE *f, const struct matrix *m)
{
	size_t i, j;

	for (i = 0; i < m->nlanes; i++) {
		const struct matrix_lane *l = &m->lanes[i];

		if (l->lane_mismatch)
			fprintf(f, "MISMATCH %s: %s\n", l->name, l->note);
		for (j = 0; j < m->nrows; j++) {
			const struct compare_row *r = matrix_cell(l, m->rows[j]);

			if (r && !r->match)
				print_mismatch(f, l, r);
		}
	}
}

/*
 * The mutant pass's rows sort after every other row; the tables put a
 * heading above them.
 */

/* The index of the first mutant row, or m->nrows. */
static size_t first_mutant_row(const struct matrix *m)
{
	size_t i;

	for (i = 0; i < m->nrows && !matrix_is_mutant_row(m->rows[i]); i++)
		;
	return i;
}

void matrix_print(FILE *f, const struct matrix *m)
{
	int nw = name_width(m);
	size_t i;

	table_line(f, m, nw, "scenario", NULL, HEADER_LANE);
	if (any_kernel(m))
		table_line(f, m, nw, "kernel", NULL, HEADER_KERNEL);
	table_rule(f, m, nw);
	for (i = 0; i < m->nrows; i++) {
		if (i == first_mutant_row(m)) {
			table_rule(f, m, nw);
			fprintf(f, "mutants: mutant.MUTANT.SCENARIO, each kernel mutant on in turn; its scenarios must say bug (caught), the others ok or skip\n");
			table_rule(f, m, nw);
		}
		table_line(f, m, nw, m->rows[i], m->rows[i], HEADER_NONE);
	}
	fputs("*X (exp Y): observed X, expected Y (? = no expectation); "
	      "-: neither expected nor observed\n\n", f);
	for (i = 0; i < m->nlanes; i++) {
		fprintf(f, "lane %s: ", m->lanes[i].name);
		lane_line(f, &m->lanes[i]);
		fputc('\n', f);
	}
	if (m->mismatches)
		fputc('\n', f);
	print_mismatches(f, m);
	if (m->mismatches)
		fprintf(f, "\n%d mismatch%s\n", m->mismatches, m->mismatches == 1 ? "" : "es");
	else
		fprintf(f, "\nevery cell as expected\n");
}

/* ---- Markdown ---- */

static void md_cell(FILE *f, const struct compare_row *r)
{
	if (!r)
		fputs("-", f);
	else if (r->match)
		fputs(verdict_name(r->observed), f);
	else
		fprintf(f, "**%s (exp %s)**", verdict_name(r->observed),
			r->exp ? verdict_name(r->expected) : "?");
}

static void md_table(FILE *f, const struct matrix *m)
{
	size_t i, j;

	fputs("| scenario |", f);
	for (i = 0; i < m->nlanes; i++) {
		fputc(' ', f);
		md_write_text(f, m->lanes[i].name);
		fputs(" |", f);
	}
	fputs("\n|---|", f);
	for (i = 0; i < m->nlanes; i++)
		fputs("---|", f);
	fputc('\n', f);
	if (any_kernel(m)) {
		fputs("| *kernel* |", f);
		for (i = 0; i < m->nlanes; i++) {
			fputc(' ', f);
			md_write_text(f, m->lanes[i].kernel ? m->lanes[i].kernel : "?");
			fputs(" |", f);
		}
		fputc('\n', f);
	}
	for (j = 0; j < m->nrows; j++) {
		if (j == first_mutant_row(m)) {
			fputs("| **mutants** |", f);
			for (i = 0; i < m->nlanes; i++)
				fputs(" |", f);
			fputc('\n', f);
		}
		fputs("| ", f);
		md_write_text(f, m->rows[j]);
		fputs(" |", f);
		for (i = 0; i < m->nlanes; i++) {
			fputc(' ', f);
			md_cell(f, matrix_cell(&m->lanes[i], m->rows[j]));
			fputs(" |", f);
		}
		fputc('\n', f);
	}
}

static void md_mismatch(FILE *f, const struct matrix_lane *l, const struct compare_row *r)
{
	fputs("- ", f);
	md_write_text(f, l->name);
	fprintf(f, " `%s`: expected %s, observed %s: ", r->name, expected_name(r),
		verdict_name(r->observed));
	md_write_text(f, r->note);
	fputc('\n', f);
	if (!excerpt_start(r))
		return;
	fputs("\n  ```\n", f);
	print_excerpt(f, r, "  ");
	fputs("  ```\n\n", f);
}

static void md_mismatches(FILE *f, const struct matrix *m)
{
	size_t i, j;

	fprintf(f, "\n%d mismatch%s%s\n\n", m->mismatches, m->mismatches == 1 ? "" : "es",
		m->mismatches ? ":" : ".");
	for (i = 0; i < m->nlanes; i++) {
		const struct matrix_lane *l = &m->lanes[i];

		if (l->lane_mismatch) {
			fputs("- ", f);
			md_write_text(f, l->name);
			fputs(": ", f);
			md_write_text(f, l->note);
			fputc('\n', f);
		}
		for (j = 0; j < m->nrows; j++) {
			const struct compare_row *r = matrix_cell(l, m->rows[j]);

			if (r && !r->match)
				md_mismatch(f, l, r);
		}
	}
}

void matrix_write_markdown(FILE *f, const struct matrix *m)
{
	size_t i;

	md_table(f, m);
	fputs("\n`**X (exp Y)**`: observed X, expected Y (? = no expectation); "
	      "`-`: neither expected nor observed.\n\n", f);
	for (i = 0; i < m->nlanes; i++) {
		fputs("- lane ", f);
		md_write_text(f, m->lanes[i].name);
		fputs(": ", f);
		lane_line(f, &m->lanes[i]);
		fputc('\n', f);
	}
	md_mismatches(f, m);
}

/* ---- JSON ---- */

static void json_string_or_null(FILE *f, const char *s)
{
	if (s)
		json_write_string(f, s);
	else
		fputs("null", f);
}


static void json_result(FILE *f, const struct compare_row *r, bool first)
{
	fputs(first ? "{\"name\":" : ",{\"name\":", f);
	json_write_string(f, r->name);
	fputs(",\"expected\":", f);
	json_string_or_null(f, r->exp ? verdict_name(r->expected) : NULL);
	fputs(",\"observed\":", f);
	json_write_string(f, verdict_name(r->observed));
	fprintf(f, ",\"match\":%s,\"reason\":", r->match ? "true" : "false");
	json_write_string(f, r->match ? (r->obs ? r->obs->reason : "") : r->note);
	fputs(",\"excerpt\":", f);
	json_write_lines(f, r->obs ? r->obs->excerpt : NULL);
	if (matrix_is_mutant_row(r->name)) {
		/* "mutant.001-fork-pinned-pte.fork-pin": the mutant has no dot */
		const char *mut = r->name + strlen(MUTANT_PREFIX), *dot = strchr(mut, '.');

		if (dot) {
			fprintf(f, ",\"mutant\":{\"name\":\"%.*s\",\"scenario\":", (int)(dot - mut), mut);
			json_write_string(f, dot + 1);
			fputc('}', f);
		}
	}
	fputc('}', f);
}

static void json_lane(FILE *f, const struct matrix *m, const struct matrix_lane *l)
{
	bool first = true;
	size_t j;

	fputs("{\"name\":", f);
	json_write_string(f, l->name);
	fputs(",\"kernel\":", f);
	json_string_or_null(f, l->kernel);
	fputs(",\"krel\":", f);
	json_string_or_null(f, l->krel);
	fputs(",\"recorded_on\":", f);
	json_string_or_null(f, l->exp && l->exp->recorded_on[0] ? l->exp->recorded_on : NULL);
	fputs(",\"status\":", f);
	json_string_or_null(f, l->status);
	fputs(",\"reason\":", f);
	json_string_or_null(f, l->reason);
	fputs(",\"oracle\":", f);
	json_string_or_null(f, l->oracle);
	fprintf(f, ",\"incomplete\":%s,\"panic\":%s,\"note\":",
		!l->con || l->con->incomplete ? "true" : "false",
		l->con && l->con->panic ? "true" : "false");
	json_string_or_null(f, l->note[0] ? l->note : NULL);
	fputs(",\"results\":[", f);
	for (j = 0; j < m->nrows; j++) {
		const struct compare_row *r = matrix_cell(l, m->rows[j]);

		if (!r)
			continue;
		json_result(f, r, first);
		first = false;
	}
	fputs("]}", f);
}

void matrix_write_json(FILE *f, const struct matrix *m)
{
	size_t i;

	fputs("{\"lanes\":[", f);
	for (i = 0; i < m->nlanes; i++) {
		if (i)
			fputc(',', f);
		json_lane(f, m, &m->lanes[i]);
	}
	fprintf(f, "],\"mismatches\":%d}\n", m->mismatches);
}
