/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The writers: of `mmrepro run` results (KTAP, JSON and a human table), of
 * `mmrepro matrix` (host/matrix.h's model as a text table, Markdown, JSON
 * and KCIDB), and the helpers they and `mmrepro console` share. They are
 * pure (results in, text out to a FILE *); the run writers stream: begin()
 * once, entry() as soon as each run ends, end() once.
 */
#ifndef MMREPRO_REPORT_H
#define MMREPRO_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "harness/scenario.h"

struct report_header {
	unsigned int total;	/* runs to come, controls included */
	const char *release;	/* kernel release (uname -r) */
	unsigned int name_width; /* longest run name, for the table */
	bool verbose;		/* table: print every run's log, not only failures' */
};

struct report_entry {
	unsigned int index;	/* 1-based */
	const char *name;	/* "fork-pin" or "fork-pin.control" */
	const char *thread;	/* or NULL */
	bool control;
	bool passed;		/* as expected: ok/skip, or bug/skip for a control */
	const struct result *res;
	char *const *log;	/* the run's log lines, without newlines */
	size_t nlog;
};

/* kselftest's counters (kselftest.h, ksft_print_cnts()). */
enum ksft_count {
	KSFT_COUNT_PASS,	/* ok, as expected */
	KSFT_COUNT_FAIL,	/* not as expected: bug, hang, splat; a blind control */
	KSFT_COUNT_XFAIL,	/* bug where bug was expected (a control, a mutant) */
	KSFT_COUNT_XPASS,	/* never: a control that says ok is a failure */
	KSFT_COUNT_SKIP,
	KSFT_COUNT_ERROR,	/* the harness could not decide */
	KSFT_COUNT_NR,
};

struct report_totals {
	unsigned int count[VERDICT_NONE + 1];	/* per verdict */
	unsigned int ksft[KSFT_COUNT_NR];	/* as kselftest counts them */
};

/* Count one entry in both ways. */
void report_totals_add(struct report_totals *t, const struct report_entry *e);

/*
 * The KTAP directive of a result, as kselftest writes it: SKIP, XFAIL
 * (a bug that was expected), error, TIMEOUT (hang); else the verdict in
 * capitals (OK, BUG, SPLAT).
 */
const char *ktap_directive(enum verdict v, bool passed);
/* The verdict a directive stands for; -1 if it is none of ours. */
int ktap_directive_parse(const char *word, enum verdict *v);

struct report_writer {
	void (*begin)(FILE *f, const struct report_header *h);
	void (*entry)(FILE *f, const struct report_header *h, const struct report_entry *e);
	void (*end)(FILE *f, const struct report_header *h, const struct report_totals *t);
};

extern const struct report_writer report_ktap;
extern const struct report_writer report_json;
extern const struct report_writer report_table;

/*
 * Copy s into buf (always terminated) for a one-line text field: control
 * characters become spaces, and with hash_too '#' becomes '_' (a KTAP
 * directive must not gain a second " # ").
 */
void report_sanitize(char *buf, size_t len, const char *s, bool hash_too);
/* One character as report_sanitize() copies it. */
char report_sanitize_char(char c, bool hash_too);

/*
 * Each line of text (lines joined by '\n'; NULL: none) after prefix and
 * with a newline, up to max lines (0: every one); with sanitize, as
 * report_sanitize() would copy it.
 */
void report_write_lines(FILE *f, const char *text, const char *prefix, size_t max,
			bool sanitize);

/* Write s as a JSON string with its quotes; invalid UTF-8 becomes U+FFFD. */
void json_write_string(FILE *f, const char *s);
/* s as a JSON string, or null when s is NULL. */
void json_write_string_or_null(FILE *f, const char *s);
/* A JSON array of strings, one per line of text (may be NULL: []). */
void json_write_lines(FILE *f, const char *text);

/*
 * A row of a comparison with the expectations (host/expect.h), as console
 * and matrix both open its JSON object: `{"name":..,"expected":..,
 * "observed":..,"match":..` (after a ',' unless first), left open for the
 * caller's fields. expected is the verdict's name, or with null_unexpected
 * null when the row has no expectation line.
 */
struct compare_row;
void json_write_compare_row(FILE *f, const struct compare_row *r, bool first,
			    bool null_unexpected);

/* Text for a Markdown table cell or list item: '|' escaped, newlines as spaces. */
void md_write_text(FILE *f, const char *s);

/*
 * An output file: write(f, arg) into path, created or truncated. 0, or -1
 * with "mmrepro CMD: cannot write WHAT PATH: ..." or "mmrepro CMD: writing
 * WHAT PATH failed" on stderr.
 */
int report_write_file(const char *cmd, const char *what, const char *path,
		      void (*write)(FILE *f, const void *arg), const void *arg);

/* `mmrepro matrix` (report/matrix_text.c, matrix_md.c, matrix_json.c, kcidb.c) */
struct matrix;

/* The text table, lane lines and mismatch blocks (what stdout gets). */
void matrix_print(FILE *f, const struct matrix *m);
void matrix_write_markdown(FILE *f, const struct matrix *m);
void matrix_write_json(FILE *f, const struct matrix *m);
/* KCIDB I/O schema v5; run: unique per matrix run. */
void matrix_write_kcidb(FILE *f, const struct matrix *m, const char *run);

#endif /* MMREPRO_REPORT_H */
