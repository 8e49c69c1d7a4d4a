// SPDX-License-Identifier: GPL-2.0
/*
 * `mmrepro matrix` as text: the table (stdout), and what the Markdown
 * writer shares with it (report/matrix_out.h).
 */
#include <stdio.h>
#include <string.h>

#include "host/matrix.h"
#include "report/matrix_out.h"
#include "report/report.h"

static const char *log_state(const struct matrix_lane *l)
{
	if (l->con->panic)
		return "kernel panic";
	if (l->con->incomplete)
		return "log incomplete (no " CONSOLE_GUEST_END ")";
	return "log complete";
}

void matrix_lane_line(FILE *f, const struct matrix_lane *l)
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

const char *matrix_excerpt_start(const struct compare_row *r)
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

void matrix_print_excerpt(FILE *f, const struct compare_row *r, const char *prefix)
{
	report_write_lines(f, matrix_excerpt_start(r), prefix, MATRIX_EXCERPT_LINES, true);
}

const char *matrix_expected_name(const struct compare_row *r)
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

enum header_line { HEADER_NONE, HEADER_LANE, HEADER_KERNEL };

/* One line of the table: the row's name, then one cell per lane. */
static void table_line(FILE *f, const struct matrix *m, int nw, const char *first,
		       const char *row, enum header_line header)
{
	char cell[MATRIX_CELL_MAX];
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
			matrix_cell_text(matrix_cell(l, row), cell, sizeof(cell));
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
		matrix_expected_name(r), verdict_name(r->observed));
	report_sanitize(line, sizeof(line), r->note, false);
	fprintf(f, "    reason: %s\n", line);
	if (r->exp && r->exp->comment[0])
		fprintf(f, "    expectation (%s:%u): %s\n", l->expect_path, r->exp->line,
			r->exp->comment);
	matrix_print_excerpt(f, r, "    | ");
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

void matrix_print(FILE *f, const struct matrix *m)
{
	int nw = name_width(m);
	size_t i;

	table_line(f, m, nw, "scenario", NULL, HEADER_LANE);
	if (matrix_any_kernel(m))
		table_line(f, m, nw, "kernel", NULL, HEADER_KERNEL);
	table_rule(f, m, nw);
	for (i = 0; i < m->nrows; i++) {
		if (i == matrix_first_mutant_row(m)) {
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
		matrix_lane_line(f, &m->lanes[i]);
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
