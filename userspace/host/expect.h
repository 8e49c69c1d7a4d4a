/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Expectation files: the verdict each scenario should have on one lane
 * (kernel), and the comparison with what a console log showed.
 *
 *	# comment
 *	# recorded-on: 6.1.176-1
 *	fork-pin        bug   # thread 001: <evidence>
 *	load            ok
 *
 * A scenario's control (NAME.control) needs a line only where it differs
 * from the rule expect_parse() applies: bug where NAME runs, skip where
 * NAME skips.
 *
 * "# recorded-on: VERSION" names the kernel (Debian package version) the
 * verdicts were recorded on, so that a verdict that changes with a new
 * kernel from the archive is reported as such.
 *
 * Pure functions on strings and structs.
 */
#ifndef MMREPRO_EXPECT_H
#define MMREPRO_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "host/console_parse.h"
#include "harness/scenario.h"

struct expectation {
	char name[CONSOLE_NAME_MAX];
	enum verdict verdict;
	char comment[256];	/* after '#', trimmed; may be empty */
	unsigned int line;
};

#define EXPECT_VERSION_MAX	64

struct expect_set {
	struct expectation *v;
	size_t n;
	char recorded_on[EXPECT_VERSION_MAX];	/* "" when the file does not say */
};

/*
 * Parse the text of an expectation file (fname is only for messages).
 * 0, or -1 with "FILE:LINE: what is wrong" in err.
 */
int expect_parse(const char *text, const char *fname, struct expect_set *out,
		 char *err, size_t errlen);
void expect_free(struct expect_set *e);

struct compare_row {
	char name[CONSOLE_NAME_MAX];
	enum verdict expected;	/* VERDICT_NONE: no expectation */
	enum verdict observed;	/* VERDICT_NONE: not observed */
	bool match;
	const struct expectation *exp;	/* or NULL */
	const struct observed *obs;	/* or NULL */
	char note[RESULT_REASON_MAX + 64]; /* why it is a mismatch; empty on a match */
};

/*
 * Compare: expected names in file order, then observed names without an
 * expectation in log order. Returns the number of mismatches (>= 0) and the
 * rows in *rows (free()), or -1 when out of memory.
 */
int expect_compare(const struct expect_set *e, const struct observed *obs, size_t nobs,
		   const char *fname, struct compare_row **rows, size_t *nrows);

#endif /* MMREPRO_EXPECT_H */
