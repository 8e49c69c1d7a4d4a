// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP output, as kselftest prints it (tools/testing/selftests/kselftest.h),
 * so that the kernel's own parsers (kunit.py parse, the kselftest runner)
 * count it as mmrepro does:
 *
 *	KTAP version 1
 *	1..N
 *	# NAME: thread FILE
 *	# a log line
 *	ok 1 NAME # OK reason
 *	ok 2 NAME.control # XFAIL reason
 *	not ok 3 NAME # BUG reason
 *	ok 4 NAME # SKIP reason
 *	not ok 5 NAME # error reason
 *	not ok 6 NAME # TIMEOUT reason
 *	# verdicts: ok 1, bug 2, skip 1, error 1, hang 1
 *	# Totals: pass:1 fail:2 xfail:1 xpass:0 skip:1 error:1
 *
 * "ok" means the run ended as expected: ok or skip for a scenario, bug or
 * skip for a negative control. The directive names the verdict: XFAIL is a
 * bug that was expected, TIMEOUT a hang.
 */
#include <stdio.h>
#include <string.h>

#include "report/report.h"

char report_sanitize_char(char c, bool hash_too)
{
	if ((unsigned char)c < 0x20 || c == 0x7f)
		return ' ';
	if (hash_too && c == '#')
		return '_';
	return c;
}

void report_sanitize(char *buf, size_t len, const char *s, bool hash_too)
{
	size_t i;

	if (!len)
		return;
	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = report_sanitize_char(s[i], hash_too);
	buf[i] = '\0';
}

static void ktap_begin(FILE *f, const struct report_header *h)
{
	fprintf(f, "KTAP version 1\n1..%u\n", h->total);
}

static void ktap_entry(FILE *f, const struct report_header *h, const struct report_entry *e)
{
	char name[128], line[1024];
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
	report_sanitize(line, sizeof(line), e->res->reason, true);
	fprintf(f, "%s %u %s # %s%s%s\n", e->passed ? "ok" : "not ok", e->index, name,
		ktap_directive(e->res->verdict, e->passed), line[0] ? " " : "", line);
}

static void ktap_end(FILE *f, const struct report_header *h, const struct report_totals *t)
{
	(void)h;
	fprintf(f, "# verdicts: ok %u, bug %u, skip %u, error %u, hang %u",
		t->count[VERDICT_OK], t->count[VERDICT_BUG], t->count[VERDICT_SKIP],
		t->count[VERDICT_ERROR], t->count[VERDICT_HANG]);
	if (t->count[VERDICT_SPLAT])
		fprintf(f, ", splat %u", t->count[VERDICT_SPLAT]);
	fprintf(f, "\n# Totals: pass:%u fail:%u xfail:%u xpass:%u skip:%u error:%u\n",
		t->ksft[KSFT_COUNT_PASS], t->ksft[KSFT_COUNT_FAIL], t->ksft[KSFT_COUNT_XFAIL],
		t->ksft[KSFT_COUNT_XPASS], t->ksft[KSFT_COUNT_SKIP], t->ksft[KSFT_COUNT_ERROR]);
}

void report_totals_add(struct report_totals *t, const struct report_entry *e)
{
	enum verdict v = e->res->verdict;

	if ((unsigned int)v <= VERDICT_NONE)
		t->count[v]++;
	if (v == VERDICT_SKIP)
		t->ksft[KSFT_COUNT_SKIP]++;
	else if (v == VERDICT_ERROR)
		t->ksft[KSFT_COUNT_ERROR]++;
	else if (!e->passed)
		t->ksft[KSFT_COUNT_FAIL]++;
	else if (v == VERDICT_BUG)
		t->ksft[KSFT_COUNT_XFAIL]++;
	else
		t->ksft[KSFT_COUNT_PASS]++;
}

const char *ktap_directive(enum verdict v, bool passed)
{
	switch (v) {
	case VERDICT_OK:
		return "OK";
	case VERDICT_BUG:
		return passed ? "XFAIL" : "BUG";
	case VERDICT_SKIP:
		return "SKIP";
	case VERDICT_ERROR:
		return "error";
	case VERDICT_SPLAT:
		return "SPLAT";
	case VERDICT_HANG:
		return "TIMEOUT";
	default:
		return "NONE";
	}
}

int ktap_directive_parse(const char *word, enum verdict *v)
{
	if (!strcmp(word, "XFAIL")) {
		*v = VERDICT_BUG;
		return 0;
	}
	if (!strcmp(word, "TIMEOUT")) {
		*v = VERDICT_HANG;
		return 0;
	}
	/* OK, BUG, SKIP, error, SPLAT; and HANG, ERROR of older consoles */
	if (verdict_parse(word, v) || *v == VERDICT_NONE)
		return -1;
	return 0;
}

const struct report_writer report_ktap = {
	.begin = ktap_begin,
	.entry = ktap_entry,
	.end = ktap_end,
};
