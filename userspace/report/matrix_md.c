// SPDX-License-Identifier: GPL-2.0
/* `mmrepro matrix --markdown`: the table, the lane lines and the mismatches. */
#include <stdio.h>

#include "host/matrix.h"
#include "report/matrix_out.h"
#include "report/report.h"

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
	if (matrix_any_kernel(m)) {
		fputs("| *kernel* |", f);
		for (i = 0; i < m->nlanes; i++) {
			fputc(' ', f);
			md_write_text(f, m->lanes[i].kernel ? m->lanes[i].kernel : "?");
			fputs(" |", f);
		}
		fputc('\n', f);
	}
	for (j = 0; j < m->nrows; j++) {
		if (j == matrix_first_mutant_row(m)) {
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
	fprintf(f, " `%s`: expected %s, observed %s: ", r->name, matrix_expected_name(r),
		verdict_name(r->observed));
	md_write_text(f, r->note);
	fputc('\n', f);
	if (!matrix_excerpt_start(r))
		return;
	fputs("\n  ```\n", f);
	matrix_print_excerpt(f, r, "  ");
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
		matrix_lane_line(f, &m->lanes[i]);
		fputc('\n', f);
	}
	md_mismatches(f, m);
}
