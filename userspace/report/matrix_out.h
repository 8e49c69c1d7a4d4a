/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the matrix's text and Markdown writers share (report/matrix_text.c,
 * report/matrix_md.c); not for other callers: report/report.h has the
 * writers.
 */
#ifndef MMREPRO_MATRIX_OUT_H
#define MMREPRO_MATRIX_OUT_H

#include <stdio.h>

#include "host/matrix.h"

/* A lane's line under the table: kernel, status, state of the log, note, oracle. */
void matrix_lane_line(FILE *f, const struct matrix_lane *l);

/*
 * The excerpt lines a text output shows: the first ones (a splat starts
 * there), or for a hang the last ones (where the guest stopped). NULL when
 * the cell has none.
 */
const char *matrix_excerpt_start(const struct compare_row *r);
/* Up to MATRIX_EXCERPT_LINES of them, each after prefix, control characters as spaces. */
void matrix_print_excerpt(FILE *f, const struct compare_row *r, const char *prefix);

/* The verdict expected, or "(no expectation)". */
const char *matrix_expected_name(const struct compare_row *r);

#endif /* MMREPRO_MATRIX_OUT_H */
