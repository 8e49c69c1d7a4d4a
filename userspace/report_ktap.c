// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP output, as kselftest prints it:
 *
 *	KTAP version 1
 *	1..N
 *	# NAME: thread FILE
 *	# a log line
 *	ok 1 NAME # OK reason
 *	not ok 2 NAME # BUG reason
 *	# totals: ok 1, bug 1, skip 0, error 0, hang 0
 *
 * "ok" means the run ended as expected: ok or skip for a scenario, bug or
 * skip for a negative control. The directive is always the verdict.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

void report_sanitize(char *buf, size_t len, const char *s, bool hash_too)
{
	size_t i;

	if (!len)
		return;
	for (i = 0; s[i] && i + 1 < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			c = ' ';
		else if (hash_too && c == '#')
			c = '_';
		buf[i] = (char)c;
	}
	buf[i] = '\0';
}

static void ktap_begin(FILE *f, const struct report_header *h)
{
	fprintf(f, "KTAP version 1\n1..%u\n", h->total);
}

static void ktap_entry(FILE *f, const struct report_header *h, const struct report_entry *e)
{
	char name[128], line[1024], upper[16];
	const char *v = verdict_name(e->res->verdict);
	size_t i;

	(void)h;
	report_sanitize(name, sizeof(name), e->name, true);
	for (i = 0; name[i]; i++)
		if (name[i] == ' ')
			name[i] = '_';
	if (e->thread) {
		report_sanitize(line, sizeof(line), e->thread, false);
		fprintf(f, "# %s: thread %s\n", name, line);
	}
	for (i = 0; i < e->nlog; i++) {
		report_sanitize(line, sizeof(line), e->log[i], false);
		fprintf(f, "# %s\n", line);
	}
	for (i = 0; v[i] && i + 1 < sizeof(upper); i++)
		upper[i] = (char)toupper((unsigned char)v[i]);
	upper[i] = '\0';
	report_sanitize(line, sizeof(line), e->res->reason, true);
	fprintf(f, "%s %u %s # %s%s%s\n", e->passed ? "ok" : "not ok", e->index, name,
		upper, line[0] ? " " : "", line);
}

static void ktap_end(FILE *f, const struct report_header *h, const struct report_totals *t)
{
	(void)h;
	fprintf(f, "# totals: ok %u, bug %u, skip %u, error %u, hang %u",
		t->count[VERDICT_OK], t->count[VERDICT_BUG], t->count[VERDICT_SKIP],
		t->count[VERDICT_ERROR], t->count[VERDICT_HANG]);
	if (t->count[VERDICT_SPLAT])
		fprintf(f, ", splat %u", t->count[VERDICT_SPLAT]);
	fputc('\n', f);
}

const struct report_writer report_ktap = {
	.begin = ktap_begin,
	.entry = ktap_entry,
	.end = ktap_end,
};
