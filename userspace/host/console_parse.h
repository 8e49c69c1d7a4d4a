/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing a guest's serial console log (host side): the KTAP lines of
 * `mmrepro run --ktap`, the begin/end markers it writes to /dev/kmsg, and
 * kernel splats, into one observed verdict per scenario. Pure functions.
 */
#ifndef MMREPRO_CONSOLE_PARSE_H
#define MMREPRO_CONSOLE_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/scenario.h"

#define CONSOLE_NAME_MAX	96
#define CONSOLE_EXCERPT_LINES	25
#define CONSOLE_GUEST_END	"MMREPRO-GUEST-END"

struct observed {
	char name[CONSOLE_NAME_MAX];
	enum verdict verdict;
	char reason[RESULT_REASON_MAX];
	char *excerpt;		/* console lines joined by '\n', or NULL */
};

struct console_result {
	struct observed *obs;	/* in order of first appearance */
	size_t nobs;
	bool panic;		/* "Kernel panic - not syncing" seen */
	bool guest_end;		/* the MMREPRO-GUEST-END line was seen */
	bool incomplete;	/* no guest end line and no panic: the log was cut */
	size_t lines;		/* lines parsed */
};

/* Parse a whole console log. 0, or -1 when out of memory. */
int console_parse(const char *text, size_t len, struct console_result *out);
void console_result_free(struct console_result *r);
const struct observed *console_find(const struct console_result *r, const char *name);

/* The pieces, for tests */

/* The line without a leading "[   12.345678] " kernel timestamp. */
const char *console_strip_time(const char *line);

struct ktap_result {
	bool ok;		/* "ok" rather than "not ok" */
	unsigned int number;
	char name[CONSOLE_NAME_MAX];
	enum verdict verdict;	/* the directive's, else ok / bug for plain ok / not ok */
	char reason[RESULT_REASON_MAX];
};

/* A KTAP result line ("ok 1 name # OK reason")? 0 if so, -1 if not. */
int ktap_parse_result(const char *line, struct ktap_result *r);

enum marker_kind {
	MARKER_NONE,
	MARKER_BEGIN,	/* "mmrepro: begin NAME" */
	MARKER_END,	/* "mmrepro: end NAME VERDICT"; *v = VERDICT_NONE if unknown */
};

enum marker_kind marker_parse(const char *line, char *name, size_t namelen, enum verdict *v);

/* The splat pattern the line matches, or NULL. */
const char *splat_match(const char *line);
/* The two splat patterns the log parser treats specially. */
#define CONSOLE_CUT_HERE	"------------[ cut here ]------------"
#define CONSOLE_PANIC		"Kernel panic - not syncing"

/* s without leading and trailing blanks, truncated to fit dst (len bytes). */
void console_copy_trimmed(char *dst, size_t len, const char *s);

#endif /* MMREPRO_CONSOLE_PARSE_H */
