// SPDX-License-Identifier: GPL-2.0
/* Parsing guest console logs: KTAP lines, markers, splats, hangs. */
#include <stdlib.h>

#include "host/console_parse.h"
#include "unit.h"

TEST(strip_time_prefix)
{
	CHECK_STR(console_strip_time("[   12.345678] mmrepro: hi"), "mmrepro: hi");
	CHECK_STR(console_strip_time("[    1.000000][    T1] ok 1 x"), "ok 1 x");
	CHECK_STR(console_strip_time("ok 1 x"), "ok 1 x");
	CHECK_STR(console_strip_time("[ cut here ] x"), "[ cut here ] x");
	CHECK_STR(console_strip_time("[] x"), "[] x");
}

TEST(ktap_result_lines)
{
	static const struct {
		const char *line;
		bool ok;
		int number;
		const char *name;
		enum verdict v;
		const char *reason;
	} lines[] = {
		{ "ok 1 fork-pin # OK parent keeps pages", true, 1, "fork-pin", VERDICT_OK,
		  "parent keeps pages" },
		{ "not ok 12 fork-pin.control # BUG 3 pages # odd", false, 12, "fork-pin.control",
		  VERDICT_BUG, "3 pages # odd" },
		{ "ok 3 x # SKIP no THP", true, 3, "x", VERDICT_SKIP, "no THP" },
		{ "not ok 4 y # HANG", false, 4, "y", VERDICT_HANG, "" },
		/* kselftest's directives, as the KTAP writer prints them now */
		{ "ok 8 fork-pin.control # XFAIL left the parent", true, 8, "fork-pin.control",
		  VERDICT_BUG, "left the parent" },
		{ "not ok 9 z # TIMEOUT no verdict within 2 s", false, 9, "z", VERDICT_HANG,
		  "no verdict within 2 s" },
		{ "not ok 10 z # error no device", false, 10, "z", VERDICT_ERROR, "no device" },
		{ "ok 5 plain", true, 5, "plain", VERDICT_OK, "" },
		{ "not ok 6 plain", false, 6, "plain", VERDICT_BUG, "" },
		{ "not ok 7 t # TODO later", false, 7, "t", VERDICT_BUG, "TODO later" },
	};
	static const char *const not_results[] = { "ok", "ok x name", "ok 1", "# ok 1 x", "okay 1 x", "1..4" };
	struct ktap_result r;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		REQUIRE(ktap_parse_result(lines[i].line, &r) == 0);
		CHECK(r.ok == lines[i].ok);
		CHECK_INT(r.number, lines[i].number);
		CHECK_STR(r.name, lines[i].name);
		CHECK_INT(r.verdict, lines[i].v);
		CHECK_STR(r.reason, lines[i].reason);
	}
	for (i = 0; i < sizeof(not_results) / sizeof(not_results[0]); i++)
		CHECK_INT(ktap_parse_result(not_results[i], &r), -1);
}

TEST(marker_lines)
{
	char name[CONSOLE_NAME_MAX];
	enum verdict v;

	CHECK_INT(marker_parse("[    3.1] mmrepro: begin fork-pin", name, sizeof(name), &v),
		  MARKER_BEGIN);
	CHECK_STR(name, "fork-pin");
	CHECK_INT(marker_parse("[    3.2] mmrepro: end fork-pin.control bug", name,
			       sizeof(name), &v), MARKER_END);
	CHECK_STR(name, "fork-pin.control");
	CHECK_INT(v, VERDICT_BUG);
	CHECK_INT(marker_parse("mmrepro: end load error", name, sizeof(name), &v), MARKER_END);
	CHECK_STR(name, "load");
	CHECK_INT(v, VERDICT_ERROR);
	CHECK_INT(marker_parse("mmrepro: end load", name, sizeof(name), &v), MARKER_END);
	CHECK_INT(v, VERDICT_NONE);
	CHECK_INT(marker_parse("mmrepro: pinned 3 pages", name, sizeof(name), &v), MARKER_NONE);
	CHECK_INT(marker_parse("mmrepro: begin ", name, sizeof(name), &v), MARKER_NONE);
	CHECK_INT(marker_parse("mmrepro: begin a/b", name, sizeof(name), &v), MARKER_NONE);
}

TEST(splat_patterns)
{
	CHECK(splat_match("------------[ cut here ]------------") != NULL);
	CHECK(splat_match("WARNING: CPU: 0 PID: 1 at mm/gup.c:12 f+0x1/0x2") != NULL);
	CHECK(splat_match("BUG: KASAN: use-after-free in foo") != NULL);
	CHECK(splat_match("kernel BUG at mm/rmap.c:1234!") != NULL);
	CHECK(splat_match("Oops: 0000 [#1] SMP") != NULL);
	CHECK(splat_match("general protection fault, probably for non-canonical") != NULL);
	CHECK(splat_match("Kernel panic - not syncing: Fatal exception") != NULL);
	CHECK(splat_match("UBSAN: shift-out-of-bounds in mm/x.c") != NULL);
	CHECK(splat_match("INFO: task a.out:12 blocked for more than 120 seconds.") != NULL);
	CHECK(splat_match("INFO: task a.out:12 was fine") == NULL);
	CHECK(splat_match("watchdog: BUG: soft lockup - CPU#0 stuck for 22s!") != NULL);
	CHECK(splat_match("rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:") != NULL);
	CHECK(splat_match("WARNING: possible circular locking dependency detected") != NULL);
	CHECK(splat_match("page_table_check: bad") != NULL);
	CHECK(splat_match("mmrepro: pinned 16 pages") == NULL);
	CHECK(splat_match("Run /init as init process") == NULL);
}

static struct console_result parse(const char *log)
{
	struct console_result r;

	if (console_parse(log, strlen(log), &r))
		memset(&r, 0, sizeof(r));
	return r;
}

/* The observation named name, with verdict v; the test ends without one. */
#define FIND_OBS(o, r, nm, v)							\
	do {									\
		(o) = console_find((r), (nm));					\
		REQUIRE(o);							\
		CHECK_INT((o)->verdict, (v));					\
	} while (0)

/* The observation name of r has verdict v, this reason, and an excerpt with has. */
static void check_obs(const struct console_result *r, const char *name, enum verdict v,
		      const char *reason, const char *has)
{
	const struct observed *o;

	FIND_OBS(o, r, name, v);
	CHECK_STR(o->reason, reason);
	CHECK_HAS(o->excerpt ? o->excerpt : "", has);
}

/* The three flags that say how the log ended. */
enum log_end { GUEST_END = 1, PANIC = 2, INCOMPLETE = 4 };

/* The log ended exactly as flags say; frees r. */
static void check_end(struct console_result *r, unsigned int flags)
{
	CHECK(r->guest_end == !!(flags & GUEST_END));
	CHECK(r->panic == !!(flags & PANIC));
	CHECK(r->incomplete == !!(flags & INCOMPLETE));
	console_result_free(r);
}

#define BOOT \
	"[    0.000000] Linux version 6.1.0 (gcc 12)\r\n" \
	"[    1.000000] Run /init as init process\r\n" \
	"[    1.100000] mmrepro: begin load\r\n" \
	"[    1.200000] mmrepro: mmrepro 0.1 ABI 1 ready\r\n" \
	"[    1.300000] mmrepro: end load ok\r\n"

TEST(console_clean_run)
{
	struct console_result r = parse(BOOT
		"KTAP version 1\r\n"
		"1..2\r\n"
		"[    2.000000] mmrepro: begin fork-pin\r\n"
		"# fork-pin: thread 001_48dee553a5526d60.txt\r\n"
		"# BUG: this scenario log line is not a splat\r\n"
		"[    2.500000] mmrepro: end fork-pin ok\r\n"
		"ok 1 fork-pin # OK device sees the parent's writes\r\n"
		"[    2.600000] mmrepro: begin fork-pin.control\r\n"
		"[    2.700000] mmrepro: end fork-pin.control bug\r\n"
		"[    2.710000] mmrepro: begin fork-pin-thp\r\n"
		"ok 2 fork-pin.control # XFAIL device view left the parent\r\n"
		"[    2.800000] mmrepro: end fork-pin-thp skip\r\n"
		"ok 3 fork-pin-thp # SKIP no THP\r\n"
		"# verdicts: ok 1, bug 1, skip 1, error 0, hang 0\r\n"
		"# Totals: pass:1 fail:0 xfail:1 xpass:0 skip:1 error:0\r\n"
		"MMREPRO-GUEST-END\r\n"
		"[    3.000000] reboot: Power down\r\n");

	static const struct { const char *name; enum verdict v; } want[] = {
		{ "load", VERDICT_OK }, { "fork-pin", VERDICT_OK },
		{ "fork-pin.control", VERDICT_BUG }, { "fork-pin-thp", VERDICT_SKIP },
	};
	size_t i;

	REQUIRE(r.nobs == 4);
	for (i = 0; i < 4; i++) {
		CHECK_STR(r.obs[i].name, want[i].name);
		CHECK_INT(r.obs[i].verdict, want[i].v);
	}
	CHECK_STR(r.obs[1].reason, "device sees the parent's writes");
	CHECK(r.obs[1].excerpt == NULL);
	check_end(&r, GUEST_END);
}

TEST(console_warn_during_scenario)
{
	struct console_result r = parse(BOOT
		"[    2.000000] mmrepro: begin fork-pin\n"
		"[    2.100000] ------------[ cut here ]------------\n"
		"[    2.100001] WARNING: CPU: 1 PID: 77 at mm/gup.c:123 try_grab_folio+0x1/0x2\n"
		"[    2.100002] Modules linked in: mmrepro(O)\n"
		"[    2.100003] ---[ end trace 0000000000000000 ]---\n"
		"[    2.500000] mmrepro: end fork-pin ok\n"
		"ok 1 fork-pin # OK fine\n"
		"[    2.600000] mmrepro: begin fork-pin-thp\n"
		"[    2.700000] mmrepro: end fork-pin-thp ok\n"
		"ok 2 fork-pin-thp # OK fine\n"
		"MMREPRO-GUEST-END\n");
	const struct observed *o;

	FIND_OBS(o, &r, "fork-pin", VERDICT_SPLAT);
	CHECK_STR(o->reason, "WARNING: CPU: 1 PID: 77 at mm/gup.c:123 try_grab_folio+0x1/0x2");
	REQUIRE(o->excerpt);
	CHECK(!strncmp(o->excerpt, "[    2.100000] ------------[ cut here ]", 39));
	CHECK_HAS(o->excerpt, "Modules linked in");
	FIND_OBS(o, &r, "fork-pin-thp", VERDICT_OK);
	CHECK(console_find(&r, "boot") == NULL);
	check_end(&r, GUEST_END);
}

TEST(console_panic)
{
	struct console_result r = parse(BOOT
		"[    2.000000] mmrepro: begin fork-pin\n"
		"[    2.100000] BUG: unable to handle page fault for address: 0000000000000008\n"
		"[    2.100001] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
		"[    2.200000] Kernel panic - not syncing: Fatal exception\n"
		"[    2.200001] ---[ end Kernel panic - not syncing: Fatal exception ]---\n");

	check_obs(&r, "fork-pin", VERDICT_SPLAT,
		  "BUG: unable to handle page fault for address: 0000000000000008", "Kernel panic");
	check_end(&r, PANIC);
}

TEST(console_hang_incomplete)
{
	struct console_result r = parse(BOOT
		"[    2.000000] mmrepro: begin fork-pin\n"
		"[    2.500000] mmrepro: end fork-pin ok\n"
		"ok 1 fork-pin # OK fine\n"
		"[    2.600000] mmrepro: begin fork-pin-thp\n"
		"# fork-pin-thp: thread 001\n");

	/* the excerpt is the last 25 lines: the whole log */
	check_obs(&r, "fork-pin-thp", VERDICT_HANG, "guest stopped making progress during fork-pin-thp",
		  "Linux version");
	CHECK_HAS(console_find(&r, "fork-pin-thp")->excerpt, "# fork-pin-thp: thread 001");
	CHECK_INT(console_find(&r, "fork-pin")->verdict, VERDICT_OK);
	check_end(&r, INCOMPLETE);
}

TEST(console_begun_but_guest_ended)
{
	struct console_result r = parse(
		"mmrepro: begin fork-pin\n"
		"MMREPRO-GUEST-END\n");

	REQUIRE(r.nobs == 1);
	CHECK_INT(r.obs[0].verdict, VERDICT_ERROR);
	check_end(&r, GUEST_END);
}

/* Seen on debian-13-backports (7.3, threaded printk): two writers, one line. */
TEST(console_end_marker_on_the_guest_end_line)
{
	struct console_result r = parse(
		"[ 31.07] mmrepro: begin unload\n"
		"unloaded mmrepro\n"
		"MMREPRO-GUEST-END[   31.178364] mmrepro: end unload ok\n");

	REQUIRE(r.nobs == 1);
	CHECK_INT(r.obs[0].verdict, VERDICT_OK);
	check_end(&r, GUEST_END);
}

TEST(console_end_marker_without_ktap)
{
	struct console_result r = parse(
		"[ 1.0] mmrepro: begin fork-pin\n"
		"[ 1.1] mmrepro: end fork-pin bug\n"
		"MMREPRO-GUEST-END\n");

	REQUIRE(r.nobs == 1);
	CHECK_INT(r.obs[0].verdict, VERDICT_BUG);
	CHECK_HAS(r.obs[0].reason, "end marker");
	check_end(&r, GUEST_END);
}

TEST(console_splat_during_load_and_boot)
{
	struct console_result r = parse(
		"[    0.500000] BUG: KASAN: slab-out-of-bounds in early_thing+0x1/0x2\n"
		"[    1.100000] mmrepro: begin load\n"
		"[    1.150000] mmrepro: loading out-of-tree module taints kernel.\n"
		"[    1.200000] WARNING: CPU: 0 PID: 50 at kernel/module/main.c:1 load+0x1/0x2\n"
		"[    1.300000] mmrepro: end load ok\n"
		"[    1.400000] UBSAN: array-index-out-of-bounds in mm/x.c:1:2\n"
		"MMREPRO-GUEST-END\n");
	const struct observed *o;

	REQUIRE(r.nobs == 2);
	FIND_OBS(o, &r, "boot", VERDICT_SPLAT);
	CHECK_STR(o->reason, "BUG: KASAN: slab-out-of-bounds in early_thing+0x1/0x2");
	FIND_OBS(o, &r, "load", VERDICT_SPLAT);
	CHECK_HAS(o->reason, "WARNING: CPU: 0 PID: 50");
	CHECK(!strncmp(o->excerpt, "[    1.200000] WARNING", 22));
	check_end(&r, GUEST_END);
}

TEST(console_splat_until_next_begin)
{
	/* no end marker for a: the splat before b's begin is a's, after it b's */
	struct console_result r = parse(
		"mmrepro: begin a\n"
		"ok 1 a # OK\n"
		"mmrepro: begin b\n"
		"watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [x:1]\n"
		"MMREPRO-GUEST-END\n");

	CHECK_INT(console_find(&r, "a")->verdict, VERDICT_OK);
	CHECK_INT(console_find(&r, "b")->verdict, VERDICT_SPLAT);
	check_end(&r, GUEST_END);
}

TEST(console_excerpt_is_25_lines)
{
	char log[8192] = "mmrepro: begin a\n------------[ cut here ]------------\n";
	struct console_result r;
	const struct observed *o;
	int i, lines = 0;
	const char *p;

	for (i = 0; i < 40; i++)
		snprintf(log + strlen(log), sizeof(log) - strlen(log), "trace line %d\n", i);
	r = parse(log);
	o = console_find(&r, "a");
	REQUIRE(o && o->excerpt);
	CHECK_INT(o->verdict, VERDICT_SPLAT);
	CHECK_STR(o->reason, "------------[ cut here ]------------");	/* nothing better */
	for (p = o->excerpt; *p; p++)
		lines += *p == '\n';
	CHECK_INT(lines + 1, CONSOLE_EXCERPT_LINES);
	check_end(&r, INCOMPLETE);
}

TEST(console_empty_and_nul)
{
	static const char nul[] = "ok 1 a\0junk\nMMREPRO-GUEST-END\n";
	struct console_result r;

	CHECK_INT(console_parse("", 0, &r), 0);
	CHECK_INT(r.nobs, 0);
	check_end(&r, INCOMPLETE);
	CHECK_INT(console_parse(nul, sizeof(nul) - 1, &r), 0);
	REQUIRE(r.nobs == 1);
	CHECK_INT(r.obs[0].verdict, VERDICT_OK);
	check_end(&r, GUEST_END);
}
