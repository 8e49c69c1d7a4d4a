// SPDX-License-Identifier: GPL-2.0
/* `mmrepro matrix`: rows, marking, missing files, the outputs, the exit code. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli_args.h"
#include "host/matrix.h"
#include "report/report.h"
#include "unit.h"

static struct observed obs(const char *name, enum verdict v, const char *reason)
{
	struct observed o = { .verdict = v };

	snprintf(o.name, sizeof(o.name), "%s", name);
	snprintf(o.reason, sizeof(o.reason), "%s", reason);
	return o;
}

static struct matrix_lane lane(const char *name, const struct console_result *con,
			       const struct expect_set *exp)
{
	static char dir[8][64], path[8][64];
	static unsigned int n;
	struct matrix_lane l = { .name = name, .status = "done", .con = con, .exp = exp };

	n = (n + 1) % 8;
	snprintf(dir[n], sizeof(dir[n]), "R/%s", name);
	snprintf(path[n], sizeof(path[n]), "E/%s", name);
	l.dir = dir[n];
	l.expect_path = path[n];
	return l;
}

static bool parse_exp(const char *text, struct expect_set *e)
{
	char err[256];

	return !expect_parse(text, "E/x", e, err, sizeof(err));
}

typedef void (*writer_fn)(FILE *f, const struct matrix *m);

static char *render(writer_fn w, const struct matrix *m)
{
	return CAPTURE(f, w(f, m));
}

TEST(matrix_row_order)
{
	const char *first = scenarios[0]->name, *last = scenarios[nr_scenarios - 1]->name;
	char first_c[CONSOLE_NAME_MAX], last_c[CONSOLE_NAME_MAX];
	struct observed o1[5], o2[5];
	struct console_result c1 = { .obs = o1, .nobs = 5 }, c2 = { .obs = o2, .nobs = 5 };
	struct matrix_lane l[2];
	struct matrix m;

	REQUIRE(nr_scenarios >= 2);
	snprintf(first_c, sizeof(first_c), "%s.control", first);
	snprintf(last_c, sizeof(last_c), "%s.control", last);
	/* every name in the wrong order, spread over two lanes */
	o1[0] = obs("zzz", VERDICT_OK, "");
	o1[1] = obs("boot", VERDICT_SPLAT, "");
	o1[2] = obs(last_c, VERDICT_BUG, "");
	o1[3] = obs("other.control", VERDICT_BUG, "");
	o1[4] = obs("load", VERDICT_OK, "");
	o2[0] = obs("unload", VERDICT_OK, "");
	o2[1] = obs(first_c, VERDICT_BUG, "");
	o2[2] = obs("other", VERDICT_OK, "");
	o2[3] = obs(last, VERDICT_OK, "");
	o2[4] = obs(first, VERDICT_OK, "");
	l[0] = lane("a", &c1, NULL);
	l[1] = lane("b", &c2, NULL);
	REQUIRE(matrix_build(&m, l, 2) == 0);
	REQUIRE(m.nrows == 10);
	CHECK_STR(m.rows[0], first);
	CHECK_STR(m.rows[1], first_c);
	CHECK_STR(m.rows[2], last);
	CHECK_STR(m.rows[3], last_c);
	CHECK_STR(m.rows[4], "load");
	CHECK_STR(m.rows[5], "unload");
	CHECK_STR(m.rows[6], "boot");
	/* other names in order of first appearance, NAME.control after NAME */
	CHECK_STR(m.rows[7], "zzz");
	CHECK_STR(m.rows[8], "other");
	CHECK_STR(m.rows[9], "other.control");
	/* a cell a lane neither expected nor observed */
	CHECK(matrix_cell(&l[0], first) == NULL);
	CHECK(matrix_cell(&l[1], first) != NULL);
	matrix_free(&m);
}

TEST(matrix_marks_mismatches)
{
	struct observed o[] = {
		obs("a", VERDICT_OK, "fine"),
		obs("b", VERDICT_BUG, "child data"),
		obs("c", VERDICT_OK, "unlisted"),
	};
	struct console_result c = { .obs = o, .nobs = 3 };
	struct expect_set e;
	struct matrix_lane l;
	struct matrix m;
	const struct compare_row *r;
	char *out;

	REQUIRE(parse_exp("a ok\nb ok\nd skip\n", &e));
	l = lane("L", &c, &e);
	REQUIRE(matrix_build(&m, &l, 1) == 0);
	CHECK_INT(m.mismatches, 3);
	CHECK_INT(l.mismatches, 3);
	CHECK(!l.lane_mismatch);
	CHECK_STR(l.note, "");
	r = matrix_cell(&l, "a");
	REQUIRE(r);
	CHECK(r->match);
	r = matrix_cell(&l, "b");
	REQUIRE(r);
	CHECK(!r->match);
	CHECK_STR(r->note, "child data");
	r = matrix_cell(&l, "d");
	REQUIRE(r);
	CHECK_INT(r->observed, VERDICT_NONE);
	CHECK_STR(r->note, "not in the log");
	out = render(matrix_print, &m);
	CHECK_HAS(out, "\nb         *bug (exp ok)\n");
	CHECK_HAS(out, "\nc         *ok (exp ?)\n");
	CHECK_HAS(out, "\nd         *none (exp skip)\n");
	CHECK_HAS(out, "\na         ok\n");
	CHECK_HAS(out, "MISMATCH L b: expected ok, observed bug\n    reason: child data\n");
	CHECK_HAS(out, "MISMATCH L c: expected (no expectation), observed ok\n");
	CHECK_HAS(out, "\n3 mismatches\n");
	free(out);
	CHECK_INT(matrix_exit_code(&m), 1);
	matrix_free(&m);
	expect_free(&e);
}

TEST(matrix_missing_log)
{
	struct expect_set e;
	struct matrix_lane l[2];
	struct matrix m;
	const struct compare_row *r;

	REQUIRE(parse_exp("a ok\nboot none\n", &e));
	l[0] = lane("L", NULL, &e);
	l[1] = lane("M", NULL, NULL);
	REQUIRE(matrix_build(&m, l, 2) == 0);
	CHECK_STR(l[0].note, "no console log: the lane did not boot (see R/L)");
	r = matrix_cell(&l[0], "a");
	REQUIRE(r);
	CHECK(!r->match);
	CHECK_INT(r->observed, VERDICT_NONE);
	CHECK_STR(r->note, "no console log: the lane did not boot (see R/L)");
	r = matrix_cell(&l[0], "boot");
	REQUIRE(r);
	CHECK(r->match);
	CHECK(!l[0].lane_mismatch);
	CHECK_INT(l[0].mismatches, 1);
	/* no log, no expectations: no cell, still a mismatch */
	CHECK_INT(l[1].nrows, 0);
	CHECK(l[1].lane_mismatch);
	CHECK_STR(l[1].note, "no console log: the lane did not boot (see R/M); "
		  "no expectation file E/M");
	CHECK_INT(m.mismatches, 2);
	CHECK_INT(matrix_exit_code(&m), 1);
	matrix_free(&m);

	/* every expectation `none`: a lane that was not meant to boot */
	expect_free(&e);
	REQUIRE(parse_exp("boot none\n", &e));
	l[0] = lane("L", NULL, &e);
	REQUIRE(matrix_build(&m, l, 1) == 0);
	CHECK(l[0].lane_mismatch);
	CHECK_INT(matrix_exit_code(&m), 1);
	matrix_free(&m);
	expect_free(&e);
}

TEST(matrix_missing_expectation_file)
{
	struct observed o[] = { obs("a", VERDICT_OK, "fine"), obs("boot", VERDICT_NONE, "") };
	struct console_result c = { .obs = o, .nobs = 2 };
	struct matrix_lane l;
	struct matrix m;
	size_t i;

	l = lane("L", &c, NULL);
	REQUIRE(matrix_build(&m, &l, 1) == 0);
	REQUIRE(l.nrows == 2);
	for (i = 0; i < l.nrows; i++) {
		CHECK(!l.rows[i].match);
		CHECK_STR(l.rows[i].note, "no expectation file E/L");
	}
	CHECK_INT(m.mismatches, 2);
	CHECK(!l.lane_mismatch);
	CHECK_STR(l.note, "no expectation file E/L");
	matrix_free(&m);

	c.nobs = 0;	/* nothing observed either: the lane itself mismatches */
	REQUIRE(matrix_build(&m, &l, 1) == 0);
	CHECK(l.lane_mismatch);
	CHECK_INT(m.mismatches, 1);
	matrix_free(&m);
}

TEST(matrix_exit_code_all_match)
{
	struct observed o[] = { obs("a", VERDICT_SPLAT, "WARNING: x"), obs("b", VERDICT_OK, "") };
	struct console_result c = { .obs = o, .nobs = 2 };
	struct expect_set e;
	struct matrix_lane l[2];
	struct matrix m;
	char *out;

	REQUIRE(parse_exp("a splat\nb ok\nc none\n", &e));
	l[0] = lane("L", &c, &e);
	l[1] = lane("M", &c, &e);
	REQUIRE(matrix_build(&m, l, 2) == 0);
	CHECK_INT(m.mismatches, 0);
	CHECK_INT(matrix_exit_code(&m), 0);
	out = render(matrix_print, &m);
	CHECK_HAS(out, "\nevery cell as expected\n");
	CHECK(!strstr(out, "MISMATCH"));
	free(out);
	matrix_free(&m);
	expect_free(&e);
}

/* Two lanes: one booted (a boot splat where none was expected), one did not. */
struct small {
	char excerpt[128];
	struct observed o[3];
	struct console_result c;
	struct expect_set e1, e2;
	struct matrix_lane l[2];
	struct matrix m;
};

static bool small_init(struct small *s)
{
	snprintf(s->excerpt, sizeof(s->excerpt), "[ 0.1] WARNING: CPU: 1 at x.c:4\n"
		 "[ 0.1] \"RIP\"\tfoo|bar\n[ 0.1] Call Trace:");
	s->o[0] = obs("fork-pin", VERDICT_OK, "4 KiB: fine");
	s->o[1] = obs("fork-pin.control", VERDICT_BUG, "saw it");
	s->o[2] = obs("boot", VERDICT_SPLAT, "WARNING: CPU: 1 at x.c:4");
	s->o[2].excerpt = s->excerpt;
	s->c = (struct console_result){ .obs = s->o, .nobs = 3, .guest_end = true };
	if (!parse_exp("fork-pin ok\nboot none # clean boot\n", &s->e1) ||
	    !parse_exp("fork-pin bug # thread 001\n", &s->e2))
		return false;
	s->l[0] = lane("6.1", &s->c, &s->e1);
	s->l[0].oracle = "hmm-tests: 31 passed, 2 failed, 1 skipped";
	s->l[1] = lane("7.2", NULL, &s->e2);
	s->l[1].status = "qemu-1";
	return !matrix_build(&s->m, s->l, 2);
}

static void small_free(struct small *s)
{
	matrix_free(&s->m);
	expect_free(&s->e1);
	expect_free(&s->e2);
}

/* The small matrix written by w must be want, to the byte. */
static void check_small(writer_fn w, const char *want)
{
	struct small s;
	char *out;

	REQUIRE(small_init(&s));
	out = render(w, &s.m);
	CHECK_STR(out, want);
	free(out);
	small_free(&s);
}

TEST(matrix_text_exact)
{
	check_small(matrix_print,
"scenario          6.1                7.2\n"
"----------------  -----------------  ---------------\n"
"fork-pin          ok                 *none (exp bug)\n"
"fork-pin.control  bug                *none (exp bug)\n"
"boot              *splat (exp none)  -\n"
"*X (exp Y): observed X, expected Y (? = no expectation); -: neither expected nor observed\n"
"\n"
"lane 6.1: status done; log complete; oracle: hmm-tests: 31 passed, 2 failed, 1 skipped\n"
"lane 7.2: status qemu-1; no console log: the lane did not boot (see R/7.2)\n"
"\n"
"MISMATCH 6.1 boot: expected none, observed splat\n"
"    reason: WARNING: CPU: 1 at x.c:4\n"
"    expectation (E/6.1:2): clean boot\n"
"    | [ 0.1] WARNING: CPU: 1 at x.c:4\n"
"    | [ 0.1] \"RIP\" foo|bar\n"
"    | [ 0.1] Call Trace:\n"
"MISMATCH 7.2 fork-pin: expected bug, observed none\n"
"    reason: no console log: the lane did not boot (see R/7.2)\n"
"    expectation (E/7.2:1): thread 001\n"
"MISMATCH 7.2 fork-pin.control: expected bug, observed none\n"
"    reason: no console log: the lane did not boot (see R/7.2)\n"
"    expectation (E/7.2:1): default: its scenario runs, so its check must see the "
"misbehaviour it is shown\n"
"\n"
"3 mismatches\n");
}

TEST(matrix_markdown_exact)
{
	check_small(matrix_write_markdown,
"| scenario | 6.1 | 7.2 |\n"
"|---|---|---|\n"
"| fork-pin | ok | **none (exp bug)** |\n"
"| fork-pin.control | bug | **none (exp bug)** |\n"
"| boot | **splat (exp none)** | - |\n"
"\n"
"`**X (exp Y)**`: observed X, expected Y (? = no expectation); "
"`-`: neither expected nor observed.\n"
"\n"
"- lane 6.1: status done; log complete; oracle: hmm-tests: 31 passed, 2 failed, 1 skipped\n"
"- lane 7.2: status qemu-1; no console log: the lane did not boot "
"(see R/7.2)\n"
"\n"
"3 mismatches:\n"
"\n"
"- 6.1 `boot`: expected none, observed splat: WARNING: CPU: 1 at x.c:4\n"
"\n"
"  ```\n"
"  [ 0.1] WARNING: CPU: 1 at x.c:4\n"
"  [ 0.1] \"RIP\" foo|bar\n"
"  [ 0.1] Call Trace:\n"
"  ```\n"
"\n"
"- 7.2 `fork-pin`: expected bug, observed none: no console log: the lane did not boot "
"(see R/7.2)\n"
"- 7.2 `fork-pin.control`: expected bug, observed none: no console log: the lane did not "
"boot (see R/7.2)\n");
}

TEST(matrix_json_exact)
{
	check_small(matrix_write_json,
"{\"lanes\":["
"{\"name\":\"6.1\",\"kernel\":null,\"krel\":null,\"recorded_on\":null,"
"\"status\":\"done\",\"reason\":null,"
"\"oracle\":\"hmm-tests: 31 passed, 2 failed, 1 skipped\","
"\"incomplete\":false,\"panic\":false,\"note\":null,\"results\":["
"{\"name\":\"fork-pin\",\"expected\":\"ok\",\"observed\":\"ok\",\"match\":true,"
"\"reason\":\"4 KiB: fine\",\"excerpt\":[]},"
"{\"name\":\"fork-pin.control\",\"expected\":\"bug\",\"observed\":\"bug\",\"match\":true,"
"\"reason\":\"saw it\",\"excerpt\":[]},"
"{\"name\":\"boot\",\"expected\":\"none\",\"observed\":\"splat\",\"match\":false,"
"\"reason\":\"WARNING: CPU: 1 at x.c:4\",\"excerpt\":[\"[ 0.1] WARNING: CPU: 1 at x.c:4\","
"\"[ 0.1] \\\"RIP\\\"\\tfoo|bar\",\"[ 0.1] Call Trace:\"]}]},"
"{\"name\":\"7.2\",\"kernel\":null,\"krel\":null,\"recorded_on\":null,"
"\"status\":\"qemu-1\",\"reason\":null,\"oracle\":null,"
"\"incomplete\":true,\"panic\":false,"
"\"note\":\"no console log: the lane did not boot (see R/7.2)\",\"results\":["
"{\"name\":\"fork-pin\",\"expected\":\"bug\",\"observed\":\"none\",\"match\":false,"
"\"reason\":\"no console log: the lane did not boot (see R/7.2)\",\"excerpt\":[]},"
"{\"name\":\"fork-pin.control\",\"expected\":\"bug\",\"observed\":\"none\",\"match\":false,"
"\"reason\":\"no console log: the lane did not boot (see R/7.2)\",\"excerpt\":[]}]}"
"],\"mismatches\":3}\n");
}

/*
 * A lane that follows its suite ran a newer kernel than its expectations
 * were recorded on: a differing cell says so; the header names the kernels.
 */
TEST(matrix_kernel_changed)
{
	struct observed o[2];
	struct console_result c = { .obs = o, .nobs = 2, .guest_end = true };
	struct expect_set e1, e2;
	struct matrix_lane l[2];
	struct matrix m;
	char *out;

	o[0] = obs("fork-pin", VERDICT_BUG, "device view left the parent");
	o[1] = obs("load", VERDICT_OK, "");
	REQUIRE(parse_exp("# recorded-on: 6.1.176-1\nfork-pin ok\nload ok\n", &e1));
	REQUIRE(parse_exp("# recorded-on: 6.1.176-1\nfork-pin ok\n", &e2));
	l[0] = lane("debian-12", &c, &e1);
	l[0].kernel = "6.1.180-1";
	l[0].krel = "6.1.0-51-amd64";
	l[1] = lane("debian-12-security", NULL, &e2);
	l[1].status = "unavailable";
	l[1].reason = "linux-headers-amd64 6.1.1-1 is not in bookworm-security any more";
	REQUIRE(!matrix_build(&m, l, 2));
	CHECK_STR(matrix_cell(&l[0], "fork-pin")->note,
		  "changed on 6.1.180-1 (recorded on 6.1.176-1): device view left the parent");
	CHECK(matrix_cell(&l[0], "load")->match);
	out = render(matrix_print, &m);
	CHECK_HAS(out, "scenario          debian-12        debian-12-security\n"
		  "kernel            6.1.180-1        ?\n"
		  "----------------  ---------------  ------------------\n");
	CHECK_HAS(out, "lane debian-12: kernel 6.1.180-1 (6.1.0-51-amd64); expectations recorded "
		  "on 6.1.176-1; status done; log complete\n");
	CHECK_HAS(out, "lane debian-12-security: status unavailable; no console log: the lane did "
		  "not boot: linux-headers-amd64 6.1.1-1 is not in bookworm-security any more\n");
	free(out);
	out = render(matrix_write_markdown, &m);
	CHECK_HAS(out, "|---|---|---|\n| *kernel* | 6.1.180-1 | ? |\n");
	free(out);
	out = render(matrix_write_json, &m);
	CHECK_HAS(out, "{\"name\":\"debian-12\",\"kernel\":\"6.1.180-1\",\"krel\":"
		  "\"6.1.0-51-amd64\",\"recorded_on\":\"6.1.176-1\",\"status\":\"done\"");
	CHECK_HAS(out, "\"status\":\"unavailable\",\"reason\":\"linux-headers-amd64 6.1.1-1");
	free(out);
	matrix_free(&m);

	/* the same kernel as recorded: a plain mismatch */
	l[0].kernel = "6.1.176-1";
	REQUIRE(!matrix_build(&m, l, 2));
	CHECK_STR(matrix_cell(&l[0], "fork-pin")->note, "device view left the parent");
	matrix_free(&m);
	expect_free(&e1);
	expect_free(&e2);
}

TEST(matrix_hang_excerpt_tail)
{
	char ex[] = "l1\nl2\nl3\nl4\nl5\nl6\nl7";
	struct observed o[] = { obs("a", VERDICT_HANG, "guest stopped") };
	struct console_result c = { .obs = o, .nobs = 1, .incomplete = true };
	struct expect_set e;
	struct matrix_lane l;
	struct matrix m;
	char *out;

	o[0].excerpt = ex;
	REQUIRE(parse_exp("a ok\n", &e));
	l = lane("L", &c, &e);
	l.status = NULL;
	REQUIRE(matrix_build(&m, &l, 1) == 0);
	out = render(matrix_print, &m);
	CHECK_HAS(out, "lane L: status (no status file); log incomplete (no "
		  CONSOLE_GUEST_END ")\n");
	CHECK_HAS(out, "    reason: guest stopped\n    | l3\n    | l4\n    | l5\n    | l6\n"
		  "    | l7\n\n1 mismatch\n");
	free(out);
	out = render(matrix_write_json, &m);
	CHECK_HAS(out, "\"status\":null,");
	CHECK_HAS(out, "\"incomplete\":true,");
	free(out);
	matrix_free(&m);
	expect_free(&e);
}

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, ...) parse_matrix_args(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), o, err, sizeof(err))

TEST(matrix_args)
{
	char err[CLI_ERR_MAX];
	struct matrix_opts o;
	int r;

	r = PARSE(&o, "matrix", "debian-6.1");
	CHECK_INT(r, 0);
	REQUIRE(o.nresults == 1);
	CHECK_STR(o.results[0], "results");
	CHECK_STR(o.expect_dir, "tests/expect");
	CHECK(!o.markdown && !o.json && !o.help);
	REQUIRE(o.nlanes == 1);
	CHECK_STR(o.lanes[0], "debian-6.1");

	r = PARSE(&o, "matrix", "a", "--results", "R", "b", "--expect-dir=E", "--json", "j",
		  "--markdown", "m", "--", "-c");
	CHECK_INT(r, 0);
	REQUIRE(o.nresults == 1);
	CHECK_STR(o.results[0], "R");
	CHECK_STR(o.expect_dir, "E");
	CHECK_STR(o.json, "j");
	CHECK_STR(o.markdown, "m");
	REQUIRE(o.nlanes == 3);
	CHECK_STR(o.lanes[0], "a");
	CHECK_STR(o.lanes[1], "b");
	CHECK_STR(o.lanes[2], "-c");

	/* several result directories: one per CI job's artifact */
	r = PARSE(&o, "matrix", "--results", "A", "a", "--results=B", "b");
	CHECK_INT(r, 0);
	REQUIRE(o.nresults == 2);
	CHECK_STR(o.results[0], "A");
	CHECK_STR(o.results[1], "B");

	CHECK_INT(PARSE(&o, "matrix", "--help", "--bogus"), 0);
	CHECK(o.help);
	CHECK_INT(PARSE(&o, "matrix"), -1);
	CHECK_HAS(err, "missing LANE");
	CHECK_INT(PARSE(&o, "matrix", "results/a"), -1);
	CHECK_HAS(err, "not a lane name");
	CHECK_INT(PARSE(&o, "matrix", "a", "a"), -1);
	CHECK_HAS(err, "given twice");
	CHECK_INT(PARSE(&o, "matrix", "a", "--json"), -1);
	CHECK_HAS(err, "--json needs a value");
	CHECK_INT(PARSE(&o, "matrix", "a", "--bogus"), -1);
	CHECK_HAS(err, "unknown option '--bogus'");
}

TEST(matrix_mutant_rows_block)
{
	struct observed o[3];
	struct console_result con = { .obs = o, .nobs = 3, .guest_end = true };
	struct expect_set e = { 0 };
	struct matrix_lane l;
	struct matrix m;
	char *txt, *md, *js;

	o[0] = obs("mutant.001-fork-pinned-pte.fork-pin", VERDICT_BUG, "caught 001-fork-pinned-pte: x");
	o[1] = obs(scenarios[0]->name, VERDICT_OK, "fine");
	o[2] = obs("mutant-pass", VERDICT_OK, "from the end marker");
	REQUIRE(parse_exp("mutant.001-fork-pinned-pte.fork-pin bug # caught\n", &e));
	l = lane("src", &con, &e);
	REQUIRE(matrix_build(&m, &l, 1) == 0);
	/* the registry's rows first, the mutant rows last, under a heading */
	CHECK_STR(m.rows[0], scenarios[0]->name);
	CHECK_STR(m.rows[m.nrows - 1], "mutant.001-fork-pinned-pte.fork-pin");
	txt = render(matrix_print, &m);
	md = render(matrix_write_markdown, &m);
	js = render(matrix_write_json, &m);
	REQUIRE(txt && md && js);
	CHECK(strstr(txt, "\nmutants: mutant.MUTANT.SCENARIO") &&
	      strstr(txt, "\nmutants: ") < strstr(txt, "\nmutant.001-fork-pinned-pte.fork-pin"));
	CHECK(strstr(md, "| **mutants** |"));
	CHECK(strstr(js, "\"mutant\":{\"name\":\"001-fork-pinned-pte\",\"scenario\":\"fork-pin\"}"));
	free(txt);
	free(md);
	free(js);
	matrix_free(&m);
	expect_free(&e);
}

/* KCIDB: statuses, paths, the splat's excerpt, issues and incidents. */
TEST(matrix_kcidb_objects)
{
	struct observed o[4];
	struct console_result c;
	struct expect_set e;
	struct matrix_lane l[1];
	struct matrix m;
	char excerpt[] = "[ 0.1] WARNING: CPU: 1 at x.c:4";
	char *buf;

	o[0] = obs("fork-pin", VERDICT_BUG, "left the parent");
	o[1] = obs("fork-pin.control", VERDICT_BUG, "control saw it");
	o[2] = obs("hugetlb-pin.control", VERDICT_OK, "blind");
	o[3] = obs("boot", VERDICT_SPLAT, "WARNING");
	o[3].excerpt = excerpt;
	c = (struct console_result){ .obs = o, .nobs = 4, .guest_end = true };
	REQUIRE(parse_exp("fork-pin bug\nfork-pin.control bug\nhugetlb-pin.control bug\n"
			  "boot none\n", &e));
	l[0] = lane("src-6.12", &c, &e);
	l[0].kernel = "6.12.95-1";
	l[0].krel = "6.12.95-mmrepro";
	REQUIRE(matrix_build(&m, l, 1) == 0);
	buf = CAPTURE(f, matrix_write_kcidb(f, &m, "R1"));
	REQUIRE(buf);
	CHECK_HAS(buf, "{\"version\":{\"major\":5,\"minor\":3},\"checkouts\":[{\"id\":\"mmrepro:R1:src-6.12\"");
	/* a scenario's bug fails the kernel; its thread's issue has an incident */
	CHECK_HAS(buf, "\"id\":\"mmrepro:R1:src-6.12:fork-pin\",\"build_id\":\"mmrepro:R1:src-6.12\","
		       "\"origin\":\"mmrepro\",\"path\":\"mmrepro.fork-pin\",\"status\":\"FAIL\"");
	CHECK_HAS(buf, "\"issue_id\":\"mmrepro:thread-001_48dee553a5526d60\",\"issue_version\":1,"
		       "\"build_id\":\"mmrepro:R1:src-6.12\",\"test_id\":\"mmrepro:R1:src-6.12:fork-pin\"");
	/* a control that saw its bug passes; a blind one is the tool's error */
	CHECK_HAS(buf, "\"path\":\"mmrepro.fork-pin.control\",\"status\":\"PASS\"");
	CHECK_HAS(buf, "\"path\":\"mmrepro.hugetlb-pin.control\",\"status\":\"ERROR\"");
	CHECK_HAS(buf, "\"path\":\"mmrepro.boot\",\"status\":\"FAIL\",\"comment\":\"WARNING\","
		       "\"log_excerpt\":\"[ 0.1] WARNING: CPU: 1 at x.c:4\"");
	/* one incident only: controls are not the kernel's */
	CHECK(!strstr(buf, "fork-pin.control:incident"));
	free(buf);
	matrix_free(&m);
	expect_free(&e);
}
