// SPDX-License-Identifier: GPL-2.0
/* Expectation files: parsing and comparison with observations. */
#include <stdlib.h>

#include "host/expect.h"
#include "unit.h"

static const char sample[] =
	"# lane debian-12: the fork/pin bug is there\n"
	"  #  recorded-on:   6.1.176-1  \n"
	"\n"
	"load              ok\n"
	"fork-pin          bug    # thread 001: device sees the child's data\n"
	"fork-pin.control  bug\n"
	"   fork-pin-thp   skip   #no THP in this config   \n"
	"boot none\n";

TEST(expect_parse_ok)
{
	struct expect_set e;
	char err[256];

	REQUIRE(expect_parse(sample, "lane.expect", &e, err, sizeof(err)) == 0);
	REQUIRE(e.n == 6);
	CHECK_STR(e.v[0].name, "load");
	CHECK_INT(e.v[0].verdict, VERDICT_OK);
	CHECK_INT(e.v[0].line, 4);
	CHECK_STR(e.recorded_on, "6.1.176-1");
	CHECK_STR(e.v[1].name, "fork-pin");
	CHECK_INT(e.v[1].verdict, VERDICT_BUG);
	CHECK_STR(e.v[1].comment, "thread 001: device sees the child's data");
	CHECK_STR(e.v[2].name, "fork-pin.control");
	CHECK_STR(e.v[2].comment, "");
	CHECK_STR(e.v[3].name, "fork-pin-thp");
	CHECK_INT(e.v[3].verdict, VERDICT_SKIP);
	CHECK_STR(e.v[3].comment, "no THP in this config");
	/* the default control after its scenario: skip where the scenario skips */
	CHECK_STR(e.v[4].name, "fork-pin-thp.control");
	CHECK_INT(e.v[4].verdict, VERDICT_SKIP);
	CHECK_HAS(e.v[4].comment, "default: ");
	CHECK_INT(e.v[4].line, 7);
	CHECK_INT(e.v[5].verdict, VERDICT_NONE);
	expect_free(&e);

	CHECK_INT(expect_parse("", "empty", &e, err, sizeof(err)), 0);
	CHECK_INT(e.n, 0);
	CHECK_STR(e.recorded_on, "");
	CHECK_INT(expect_parse("a ok", "no-newline", &e, err, sizeof(err)), 0);
	CHECK_INT(e.n, 1);
	expect_free(&e);
}

TEST(expect_parse_errors)
{
	static const struct { const char *text, *fname, *err; } bad[] = {
		{ "a ok\nb good\n", "f.expect", "f.expect:2: unknown verdict 'good'" },
		{ "a ok\n\nc bug\na bug\n", "f.expect", "f.expect:4: 'a' again (first on line 1)" },
		{ "# recorded-on:\n", "f", "f:1: write `# recorded-on: VERSION`" },
		{ "# recorded-on: 6.1 and more\n", "f", "f:1: write `# recorded-on: VERSION`" },
		{ "# recorded-on: 6.1/x\n", "f", "f:1: " },
		{ "# recorded-on: 1\n# recorded-on: 2\n", "f", "f:2: a second recorded-on line" },
		{ "lonely\n", "f", "f:1: no verdict after 'lonely'" },
		{ "a ok trailing\n", "f", "f:1: unexpected 'trailing'" },
		{ "a/b ok\n", "f", "f:1: 'a/b' is not a scenario name" },
		{ "a verylongverdictword\n", "f", "unknown verdict" },
	};
	struct expect_set e;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK_INT(expect_parse(bad[i].text, bad[i].fname, &e, err, sizeof(err)), -1);
		CHECK_HAS(err, bad[i].err);
	}
}

static struct observed obs(const char *name, enum verdict v, const char *reason)
{
	struct observed o = { .verdict = v };

	snprintf(o.name, sizeof(o.name), "%s", name);
	snprintf(o.reason, sizeof(o.reason), "%s", reason);
	return o;
}

TEST(expect_compare_rows)
{
	struct observed o[] = {
		obs("load", VERDICT_OK, ""),
		obs("fork-pin", VERDICT_BUG, "child data"),
		obs("fork-pin.control", VERDICT_ERROR, "negative control not detected: x"),
		obs("extra", VERDICT_OK, "fine"),
	};
	struct compare_row *rows;
	struct expect_set e;
	size_t n;
	char err[256];

	REQUIRE(expect_parse(sample, "lane.expect", &e, err, sizeof(err)) == 0);
	CHECK_INT(expect_compare(&e, o, 4, "lane.expect", &rows, &n), 4);
	REQUIRE(n == 7);
	/* match */
	CHECK_STR(rows[0].name, "load");
	CHECK(rows[0].match);
	CHECK_STR(rows[0].note, "");
	CHECK(rows[1].match);
	/* mismatch */
	CHECK_STR(rows[2].name, "fork-pin.control");
	CHECK(!rows[2].match);
	CHECK_INT(rows[2].expected, VERDICT_BUG);
	CHECK_INT(rows[2].observed, VERDICT_ERROR);
	CHECK_STR(rows[2].note, "negative control not detected: x");
	/* missing */
	CHECK_STR(rows[3].name, "fork-pin-thp");
	CHECK(!rows[3].match);
	CHECK_INT(rows[3].observed, VERDICT_NONE);
	CHECK_STR(rows[3].note, "not in the log");
	/* its default control, missing too */
	CHECK_STR(rows[4].name, "fork-pin-thp.control");
	CHECK_INT(rows[4].expected, VERDICT_SKIP);
	CHECK(!rows[4].match);
	/* expected none, not observed: a match */
	CHECK_STR(rows[5].name, "boot");
	CHECK(rows[5].match);
	/* unexpected */
	CHECK_STR(rows[6].name, "extra");
	CHECK(!rows[6].match);
	CHECK_INT(rows[6].expected, VERDICT_NONE);
	CHECK_STR(rows[6].note, "no expectation: add a line to lane.expect");
	free(rows);
	expect_free(&e);
}

TEST(expect_compare_all_match)
{
	struct observed o[] = { obs("a", VERDICT_SPLAT, "WARNING: CPU: 0") };
	struct compare_row *rows;
	struct expect_set e;
	size_t n;
	char err[64];

	REQUIRE(expect_parse("a splat # thread 002\n", "f", &e, err, sizeof(err)) == 0);
	CHECK_INT(expect_compare(&e, o, 1, "f", &rows, &n), 0);
	CHECK_INT(n, 1);
	free(rows);
	expect_free(&e);
}
