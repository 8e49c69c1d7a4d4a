/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `mmrepro matrix`: the verdicts of several lanes (one guest boot each) as
 * one table, scenarios by lanes, each cell compared with the lane's
 * expectation file. Pure functions on already parsed logs and expectation
 * files; the caller (cmd/matrix.c) reads the files, and the writers
 * (report/matrix_*.c, declared in report/report.h) turn it into text.
 *
 * A lane whose kernel differs from the one its expectation file was
 * recorded on ("# recorded-on:") says so in the note of each cell that
 * differs: "changed on NEW (recorded on OLD)".
 *
 * Rows: the scenarios of the registry in its order, each NAME.control right
 * after NAME, then the pseudo-scenarios (load, unload, boot), then any other
 * name in order of first appearance (lane by lane).
 */
#ifndef MMREPRO_MATRIX_H
#define MMREPRO_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#include "host/console_parse.h"
#include "host/expect.h"

#define MATRIX_NOTE_MAX		1024
#define MATRIX_CELL_MAX		64	/* a cell's text, matrix_cell_text() */
#define MATRIX_EXCERPT_LINES	5	/* console lines per mismatch in the text outputs */

struct matrix_lane {
	/* Input, filled by the caller; not owned by the matrix */
	const char *name;
	const char *status;	/* "done", "hang", "qemu-N", ...; NULL: no status file */
	const char *reason;	/* why the lane did not run (the host's line), or NULL */
	const char *kernel;	/* the kernel's Debian package version, or NULL */
	const char *krel;	/* its release (uname -r), or NULL */
	const char *oracle;	/* the oracle's line, or NULL */
	const struct console_result *con;	/* NULL: no console log */
	const struct expect_set *exp;		/* NULL: no expectation file */
	const char *dir;	/* RESULTS/LANE, for notes */
	const char *expect_path; /* EXPECTDIR/LANE, for notes */

	/* Output of matrix_build() */
	struct compare_row *rows;	/* the lane's cells (as expect_compare()) */
	size_t nrows;
	char note[MATRIX_NOTE_MAX];	/* what is wrong with the lane as a whole, or "" */
	bool lane_mismatch;	/* note != "" and no cell says so: counts as a mismatch */
	int mismatches;		/* cells that differ, + lane_mismatch */
	int width;		/* of its column in the text table */
};

struct matrix {
	struct matrix_lane *lanes;	/* the caller's */
	size_t nlanes;
	char (*rows)[CONSOLE_NAME_MAX];	/* the row names, in order */
	size_t nrows;
	int mismatches;			/* over every lane */
};

/*
 * Compare each lane with its expectations and build the rows. 0, or -1 when
 * out of memory (nothing to free then).
 */
int matrix_build(struct matrix *m, struct matrix_lane *lanes, size_t nlanes);
void matrix_free(struct matrix *m);

/* NAME.control, a negative control's row. */
bool matrix_is_control_row(const char *name);
/* mutant.MUTANT.SCENARIO, a row of the mutant pass (mmrepro mutants). */
#define MATRIX_MUTANT_PREFIX	"mutant."
bool matrix_is_mutant_row(const char *name);

/* The cell of lane l for scenario name, or NULL when it has none (`-`). */
const struct compare_row *matrix_cell(const struct matrix_lane *l, const char *name);

/*
 * A cell as the text table shows it: the verdict observed, or
 * "*OBSERVED (exp EXPECTED)" when it differs ('?': no expectation), or "-"
 * when r is NULL. The column widths are made of these.
 */
void matrix_cell_text(const struct compare_row *r, char *buf, size_t len);

/* Whether any lane names its kernel (the tables then have a kernel line). */
bool matrix_any_kernel(const struct matrix *m);

/*
 * The index of the first of the mutant pass's rows, which sort after every
 * other row (the tables put a heading above them), or m->nrows.
 */
size_t matrix_first_mutant_row(const struct matrix *m);

/* 0 when every cell of every lane matches its expectation, else 1. */
int matrix_exit_code(const struct matrix *m);

#endif /* MMREPRO_MATRIX_H */
