/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `mmrepro matrix`: the verdicts of several lanes (one guest boot each) as
 * one table, scenarios by lanes, each cell compared with the lane's
 * expectation file. Pure functions on already parsed logs and expectation
 * files; the caller (cmd/matrix.c) reads the files.
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
#include <stdio.h>

#include "host/console_parse.h"
#include "host/expect.h"

#define MATRIX_NOTE_MAX		1024
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
/* mutant.MUTANT.SCENARIO, a row of the mutant pass. */
bool matrix_is_mutant_row(const char *name);

/* The cell of lane l for scenario name, or NULL when it has none (`-`). */
const struct compare_row *matrix_cell(const struct matrix_lane *l, const char *name);

/* 0 when every cell of every lane matches its expectation, else 1. */
int matrix_exit_code(const struct matrix *m);

/* The text table, lane lines and mismatch blocks (what stdout gets). */
void matrix_print(FILE *f, const struct matrix *m);
void matrix_write_markdown(FILE *f, const struct matrix *m);
void matrix_write_json(FILE *f, const struct matrix *m);
/* KCIDB I/O schema v5 (report/kcidb.c); run: unique per matrix run. */
void matrix_write_kcidb(FILE *f, const struct matrix *m, const char *run);

#endif /* MMREPRO_MATRIX_H */
