// SPDX-License-Identifier: GPL-2.0
/* Verdict names and the helpers scenarios report through. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness/scenario.h"
#include "scenarios/excl_util.h"
#include "unit.h"

TEST(verdict_names_round_trip)
{
	const char *names[] = { "ok", "bug", "skip", "error", "splat", "hang", "none" };
	enum verdict v;
	int i;

	for (i = VERDICT_OK; i <= VERDICT_NONE; i++) {
		CHECK_STR(verdict_name((enum verdict)i), names[i]);
		CHECK_INT(verdict_parse(names[i], &v), 0);
		CHECK_INT(v, i);
	}
	CHECK_INT(verdict_parse("BUG", &v), 0);
	CHECK_INT(v, VERDICT_BUG);
	CHECK_INT(verdict_parse("pass", &v), -1);
	CHECK_INT(verdict_parse("", &v), -1);
	CHECK_STR(verdict_name((enum verdict)42), "invalid");
}

TEST(result_set_formats_and_truncates)
{
	struct result r;
	char big[1000];

	result_set(&r, VERDICT_BUG, "page %d of %s", 3, "x");
	CHECK_INT(r.verdict, VERDICT_BUG);
	CHECK_STR(r.reason, "page 3 of x");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	result_set(&r, VERDICT_OK, "%s", big);
	CHECK_INT(strlen(r.reason), RESULT_REASON_MAX - 1);
}

TEST(excl_judge_intact_says_how_many)
{
	struct result res = { .verdict = VERDICT_ERROR, .reason = "untouched" };

	CHECK(excl_judge_intact(&res, 64, 64, "memory%d went offline", 7));
	CHECK_INT(res.verdict, VERDICT_ERROR);	/* all intact: the caller decides */
	CHECK_STR(res.reason, "untouched");
	CHECK(!excl_judge_intact(&res, 63, 64, "memory%d went offline", 7));
	CHECK_INT(res.verdict, VERDICT_BUG);
	CHECK_STR(res.reason, "memory7 went offline, but only 63 of 64 pages read back intact");
}

TEST(scen_log_one_line_per_call)
{
	struct scenario_ctx ctx = { .devfd = -1 };
	char *buf = NULL;
	size_t len = 0;

	ctx.log = open_memstream(&buf, &len);
	REQUIRE(ctx.log);
	scen_log(&ctx, "first %d", 1);
	scen_log(&ctx, "second\n");
	fclose(ctx.log);
	CHECK_STR(buf, "first 1\nsecond\n");
	free(buf);
}

/*
 * The harness itself: with MMREPRO_UNIT_CRASH set this test crashes, and
 * the run must go on and end "N passed, 1 failed" (each test runs in a
 * child of its own). Without it, nothing happens.
 */
TEST(unit_harness_survives_a_crash)
{
	if (getenv("MMREPRO_UNIT_CRASH"))
		raise(SIGSEGV);
	CHECK(1);
}
