// SPDX-License-Identifier: GPL-2.0
/*
 * The human table `mmrepro run` prints by default: one row per run, and
 * below a row the run's log when it did not end as expected (or always,
 * with --verbose).
 */
#include <stdio.h>
#include <string.h>

#include "report/report.h"

static int width(const struct report_header *h)
{
	return h->name_width > 8 ? (int)h->name_width : 8;
}

static void table_begin(FILE *f, const struct report_header *h)
{
	fprintf(f, "%-*s  %-7s  %s\n", width(h), "SCENARIO", "VERDICT", "REASON");
}

static void table_entry(FILE *f, const struct report_header *h, const struct report_entry *e)
{
	char line[1024];
	size_t i;

	report_sanitize(line, sizeof(line), e->res->reason, false);
	fprintf(f, "%-*s  %-7s  %s%s\n", width(h), e->name, verdict_name(e->res->verdict),
		line, e->control && e->passed && e->res->verdict == VERDICT_BUG ?
		" [negative control: detected, as expected]" : "");
	if (e->passed && !h->verbose)
		return;
	if (e->thread && h->verbose)
		fprintf(f, "%*s  | thread %s\n", width(h), "", e->thread);
	for (i = 0; i < e->nlog; i++) {
		report_sanitize(line, sizeof(line), e->log[i], false);
		fprintf(f, "%*s  | %s\n", width(h), "", line);
	}
}

static void table_end(FILE *f, const struct report_header *h, const struct report_totals *t)
{
	int v;

	(void)h;
	fputs("totals:", f);
	for (v = VERDICT_OK; v < VERDICT_NONE; v++)
		if (t->count[v] || v <= VERDICT_ERROR || v == VERDICT_HANG)
			fprintf(f, "%s %s %u", v ? "," : "", verdict_name((enum verdict)v),
				t->count[v]);
	fputc('\n', f);
}

const struct report_writer report_table = {
	.begin = table_begin,
	.entry = table_entry,
	.end = table_end,
};

void report_write_lines(FILE *f, const char *text, const char *prefix, size_t max,
			bool sanitize)
{
	const char *s = text;
	size_t shown, i;

	for (shown = 0; s && *s && (!max || shown < max); shown++) {
		size_t n = strcspn(s, "\n");

		fputs(prefix, f);
		for (i = 0; i < n; i++)
			fputc(sanitize ? report_sanitize_char(s[i], false) : s[i], f);
		fputc('\n', f);
		s += n + (s[n] == '\n');
	}
}

void md_write_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
}
