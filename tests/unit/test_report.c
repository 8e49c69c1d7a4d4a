// SPDX-License-Identifier: GPL-2.0
/* The KTAP, JSON and table writers: exact output; the helpers console and matrix share. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "host/expect.h"
#include "report/report.h"
#include "unit.h"

struct sample {
	struct result res[4];
	struct report_entry e[4];
	struct report_totals t;
	struct report_header h;
};

static char *log0[] = { "pinned 16 pages", "child wrote 0x5a" };

static void sample_init(struct sample *s)
{
	memset(s, 0, sizeof(*s));
	result_set(&s->res[0], VERDICT_OK, "device sees the parent's writes");
	result_set(&s->res[1], VERDICT_BUG, "3 of 16 pages: device # sees\nthe child's data");
	result_set(&s->res[2], VERDICT_SKIP, "no THP");
	result_set(&s->res[3], VERDICT_HANG, "no verdict within 2 s");
	s->e[0] = (struct report_entry){ .index = 1, .name = "fork-pin",
		.thread = "001_48dee553a5526d60.txt", .passed = true, .res = &s->res[0],
		.log = log0, .nlog = 2 };
	s->e[1] = (struct report_entry){ .index = 2, .name = "fork-pin.control",
		.thread = "001_48dee553a5526d60.txt", .control = true, .passed = true,
		.res = &s->res[1] };
	s->e[2] = (struct report_entry){ .index = 3, .name = "fork-pin-thp", .passed = true,
		.res = &s->res[2] };
	s->e[3] = (struct report_entry){ .index = 4, .name = "x", .res = &s->res[3] };
	for (size_t i = 0; i < 4; i++)
		report_totals_add(&s->t, &s->e[i]);
	s->h = (struct report_header){ .total = 4, .release = "6.1.0-18-amd64",
		.name_width = 16 };
}

static char *render(const struct report_writer *w, struct sample *s)
{
	return CAPTURE(f, w->begin(f, &s->h);
		       for (size_t i = 0; i < 4; i++)
				w->entry(f, &s->h, &s->e[i]);
		       w->end(f, &s->h, &s->t));
}

TEST(ktap_writer_exact)
{
	struct sample s;
	char *out;

	sample_init(&s);
	out = render(&report_ktap, &s);
	CHECK_STR(out,
		"KTAP version 1\n"
		"1..4\n"
		"# fork-pin: thread 001_48dee553a5526d60.txt\n"
		"# pinned 16 pages\n"
		"# child wrote 0x5a\n"
		"ok 1 fork-pin # OK device sees the parent's writes\n"
		"# fork-pin.control: thread 001_48dee553a5526d60.txt\n"
		"ok 2 fork-pin.control # XFAIL 3 of 16 pages: device _ sees the child's data\n"
		"ok 3 fork-pin-thp # SKIP no THP\n"
		"not ok 4 x # TIMEOUT no verdict within 2 s\n"
		"# verdicts: ok 1, bug 1, skip 1, error 0, hang 1\n"
		"# Totals: pass:1 fail:1 xfail:1 xpass:0 skip:1 error:0\n");
	free(out);
}

TEST(ktap_writer_sanitizes)
{
	struct report_header h = { .total = 1 };
	struct result r;
	char *buf = NULL, *log[] = { "a\tb\rc # d" };
	size_t len = 0;
	struct report_entry e = { .index = 7, .name = "we ird#", .res = &r, .log = log,
				  .nlog = 1 };
	FILE *f = open_memstream(&buf, &len);

	REQUIRE(f);
	result_set(&r, VERDICT_ERROR, "line1\nline2 # not a directive\x1b[0m");
	report_ktap.entry(f, &h, &e);
	fclose(f);
	CHECK_STR(buf, "# a b c # d\n"
		       "not ok 7 we_ird_ # error line1 line2 _ not a directive [0m\n");
	free(buf);

	result_set(&r, VERDICT_OK, "%s", "");
	e.passed = true;
	e.nlog = 0;
	buf = NULL;
	f = open_memstream(&buf, &len);
	REQUIRE(f);
	report_ktap.entry(f, &h, &e);
	fclose(f);
	CHECK_STR(buf, "ok 7 we_ird_ # OK\n");
	free(buf);
}

TEST(json_writer_exact)
{
	struct sample s;
	char *out;

	sample_init(&s);
	s.e[0].nlog = 1;
	out = render(&report_json, &s);
	CHECK_STR(out,
		"{\"abi\":2,\"release\":\"6.1.0-18-amd64\",\"results\":[\n"
		"{\"name\":\"fork-pin\",\"thread\":\"001_48dee553a5526d60.txt\",\"control\":false,"
		"\"verdict\":\"ok\",\"reason\":\"device sees the parent's writes\","
		"\"log\":[\"pinned 16 pages\"]}\n"
		",{\"name\":\"fork-pin.control\",\"thread\":\"001_48dee553a5526d60.txt\","
		"\"control\":true,\"verdict\":\"bug\",\"reason\":\"3 of 16 pages: device # sees\\n"
		"the child's data\",\"log\":[]}\n"
		",{\"name\":\"fork-pin-thp\",\"thread\":null,\"control\":false,"
		"\"verdict\":\"skip\",\"reason\":\"no THP\",\"log\":[]}\n"
		",{\"name\":\"x\",\"thread\":null,\"control\":false,\"verdict\":\"hang\","
		"\"reason\":\"no verdict within 2 s\",\"log\":[]}\n"
		"],\"totals\":{\"ok\":1,\"bug\":1,\"skip\":1,\"error\":0,\"splat\":0,"
		"\"hang\":1}}\n");
	free(out);
}

static char *json_of(const char *s)
{
	return CAPTURE(f, json_write_string(f, s));
}

TEST(json_string_escaping)
{
	char *out;

	out = json_of("q\"b\\s/n\nr\rt\tc\x01\x1f\x7f");
	CHECK_STR(out, "\"q\\\"b\\\\s/n\\nr\\rt\\tc\\u0001\\u001f\\u007f\"");
	free(out);
	out = json_of("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");	/* valid UTF-8 */
	CHECK_STR(out, "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	free(out);
	out = json_of("bad \xff \xc3 \xe0\x80\x80 \xed\xa0\x80!");	/* invalid */
	CHECK_STR(out, "\"bad \\ufffd \\ufffd \\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\\ufffd!\"");
	free(out);
	out = json_of("");
	CHECK_STR(out, "\"\"");
	free(out);
}

/* A comparison row's object as console (expected "none") and matrix (null) open it. */
TEST(json_compare_row)
{
	struct compare_row r = { .name = "fork-pin", .expected = VERDICT_NONE,
				 .observed = VERDICT_BUG };
	struct expectation e = { .verdict = VERDICT_OK };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	REQUIRE(f);
	json_write_compare_row(f, &r, true, false);
	fputc('|', f);
	json_write_compare_row(f, &r, false, true);
	fputc('|', f);
	r.exp = &e;
	r.expected = VERDICT_BUG;
	r.match = true;
	json_write_compare_row(f, &r, true, true);
	fclose(f);
	CHECK_STR(buf,
		"{\"name\":\"fork-pin\",\"expected\":\"none\",\"observed\":\"bug\",\"match\":false|"
		",{\"name\":\"fork-pin\",\"expected\":null,\"observed\":\"bug\",\"match\":false|"
		"{\"name\":\"fork-pin\",\"expected\":\"bug\",\"observed\":\"bug\",\"match\":true");
	free(buf);
}

static void write_hello(FILE *f, const void *arg)
{
	fprintf(f, "hello %s\n", (const char *)arg);
}

/* The output files of console and matrix: written whole, or -1 when they cannot be. */
TEST(write_file)
{
	char path[] = "/tmp/mmrepro-unit-XXXXXX", buf[64] = "";
	int fd = mkstemp(path);
	FILE *f;

	REQUIRE(fd >= 0);
	close(fd);
	CHECK_INT(report_write_file("unit", "text", path, write_hello, "file"), 0);
	f = fopen(path, "r");
	REQUIRE(f);
	CHECK(fgets(buf, sizeof(buf), f) != NULL);
	fclose(f);
	unlink(path);
	CHECK_STR(buf, "hello file\n");
	REQUIRE(freopen("/dev/null", "w", stderr));	/* its complaints; the test runs in a child */
	CHECK_INT(report_write_file("unit", "text", "/nonexistent/dir/x", write_hello, "x"), -1);
	CHECK_INT(report_write_file("unit", "text", "/dev/full", write_hello, "x"), -1);
}

TEST(table_writer)
{
	struct sample s;
	char *out;

	sample_init(&s);
	out = render(&report_table, &s);
	CHECK_STR(out,
		"SCENARIO          VERDICT  REASON\n"
		"fork-pin          ok       device sees the parent's writes\n"
		"fork-pin.control  bug      3 of 16 pages: device # sees the child's data"
		" [negative control: detected, as expected]\n"
		"fork-pin-thp      skip     no THP\n"
		"x                 hang     no verdict within 2 s\n"
		"totals: ok 1, bug 1, skip 1, error 0, hang 1\n");
	free(out);
	s.h.verbose = true;
	out = render(&report_table, &s);
	CHECK_HAS(out, "                  | pinned 16 pages\n");
	CHECK_HAS(out, "                  | thread 001_48dee553a5526d60.txt\n");
	free(out);
}

static char *lines_of(const char *text, size_t max, bool sanitize)
{
	return CAPTURE(f, report_write_lines(f, text, "  | ", max, sanitize));
}

/* The excerpt lines of console and matrix: all or the first max, raw or sanitized. */
TEST(write_lines)
{
	char *out;

	out = lines_of("one\ntw\x1bo\tx\x7f\n\nfour\n", 0, false);
	CHECK_STR(out, "  | one\n  | tw\x1bo\tx\x7f\n  | \n  | four\n");
	free(out);
	out = lines_of("one\ntw\x1bo\tx\x7f #\nthree", 2, true);
	CHECK_STR(out, "  | one\n  | tw o x  #\n");
	free(out);
	out = lines_of(NULL, 0, false);
	CHECK_STR(out, "");
	free(out);
	out = lines_of("", 3, true);
	CHECK_STR(out, "");
	free(out);
}

/* Each result counts as kselftest would, and its directive parses back. */
TEST(ksft_totals_and_directives)
{
	static const struct {
		enum verdict v;
		bool passed;
		const char *directive;
		enum ksft_count counted;
	} cases[] = {
		{ VERDICT_OK, true, "OK", KSFT_COUNT_PASS },
		{ VERDICT_OK, false, "OK", KSFT_COUNT_FAIL },	/* a blind control */
		{ VERDICT_BUG, true, "XFAIL", KSFT_COUNT_XFAIL },	/* a control's bug */
		{ VERDICT_BUG, false, "BUG", KSFT_COUNT_FAIL },
		{ VERDICT_SKIP, true, "SKIP", KSFT_COUNT_SKIP },
		{ VERDICT_ERROR, false, "error", KSFT_COUNT_ERROR },
		{ VERDICT_SPLAT, false, "SPLAT", KSFT_COUNT_FAIL },
		{ VERDICT_HANG, false, "TIMEOUT", KSFT_COUNT_FAIL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct report_totals t = { { 0 }, { 0 } };
		struct result r = { .verdict = cases[i].v };
		struct report_entry e = { .passed = cases[i].passed, .res = &r };
		enum verdict back = VERDICT_NONE;
		int k, sum = 0;

		report_totals_add(&t, &e);
		CHECK_INT(t.count[cases[i].v], 1);
		CHECK_INT(t.ksft[cases[i].counted], 1);
		for (k = 0; k < KSFT_COUNT_NR; k++)
			sum += t.ksft[k];
		CHECK_INT(sum, 1);
		CHECK_STR(ktap_directive(cases[i].v, cases[i].passed), cases[i].directive);
		CHECK_INT(ktap_directive_parse(cases[i].directive, &back), 0);
		CHECK_INT(back, cases[i].v);
	}
	/* consoles written before kselftest's directives */
	{
		enum verdict v;

		CHECK_INT(ktap_directive_parse("HANG", &v), 0);
		CHECK_INT(v, VERDICT_HANG);
		CHECK_INT(ktap_directive_parse("ERROR", &v), 0);
		CHECK_INT(v, VERDICT_ERROR);
		CHECK_INT(ktap_directive_parse("TODO", &v), -1);
		CHECK_INT(ktap_directive_parse("none", &v), -1);
	}
}
