// SPDX-License-Identifier: GPL-2.0
/* The runner: control judgement, exit codes, the plan, and real forked runs. */
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd/cmds.h"
#include "harness/runner.h"
#include "unit.h"

TEST(control_ok_becomes_error)
{
	struct result r;

	result_set(&r, VERDICT_OK, "device view equals the parent's");
	run_judge_control(&r);
	CHECK_INT(r.verdict, VERDICT_ERROR);
	CHECK_STR(r.reason, "negative control not detected: device view equals the parent's");

	result_set(&r, VERDICT_BUG, "saw it");
	run_judge_control(&r);
	CHECK_INT(r.verdict, VERDICT_BUG);
	CHECK_STR(r.reason, "saw it");

	memset(r.reason, 'x', sizeof(r.reason) - 1);
	r.reason[sizeof(r.reason) - 1] = '\0';
	r.verdict = VERDICT_OK;
	run_judge_control(&r);
	CHECK_INT(strlen(r.reason), RESULT_REASON_MAX - 1);
	CHECK(!strncmp(r.reason, "negative control not detected: xxx", 34));
}

TEST(as_expected)
{
	CHECK(run_as_expected(false, VERDICT_OK));
	CHECK(run_as_expected(false, VERDICT_SKIP));
	CHECK(!run_as_expected(false, VERDICT_BUG));
	CHECK(!run_as_expected(false, VERDICT_ERROR));
	CHECK(run_as_expected(true, VERDICT_BUG));
	CHECK(run_as_expected(true, VERDICT_SKIP));
	CHECK(!run_as_expected(true, VERDICT_OK));
	CHECK(!run_as_expected(true, VERDICT_HANG));
}

static int code_of(const enum verdict *v, const bool *control, const int *dev_errno, int n)
{
	struct run_tally t = { 0 };
	int i;

	for (i = 0; i < n; i++) {
		struct run_outcome o = { .dev_errno = dev_errno ? dev_errno[i] : 0 };

		o.res.verdict = v[i];
		run_tally_add(&t, control ? control[i] : false, &o);
	}
	return run_exit_code(&t);
}

TEST(exit_codes)
{
	enum verdict ok_skip[] = { VERDICT_OK, VERDICT_SKIP };
	enum verdict with_bug[] = { VERDICT_OK, VERDICT_BUG };
	enum verdict with_hang[] = { VERDICT_HANG, VERDICT_OK };
	enum verdict bug_err[] = { VERDICT_BUG, VERDICT_ERROR };
	enum verdict ctl[] = { VERDICT_OK, VERDICT_BUG };
	enum verdict ctl_bad[] = { VERDICT_OK, VERDICT_HANG };
	bool is_ctl[] = { false, true };
	enum verdict errs[] = { VERDICT_ERROR, VERDICT_ERROR, VERDICT_SKIP };
	int enoent[] = { ENOENT, ENOENT, 0 }, eacces[] = { EACCES, EACCES, 0 };
	int mixed[] = { ENOENT, 0, 0 };

	enum verdict skips[] = { VERDICT_SKIP, VERDICT_SKIP };

	CHECK_INT(code_of(ok_skip, NULL, NULL, 2), KSFT_PASS);
	CHECK_INT(code_of(with_bug, NULL, NULL, 2), KSFT_FAIL);
	CHECK_INT(code_of(with_hang, NULL, NULL, 2), KSFT_FAIL);
	CHECK_INT(code_of(bug_err, NULL, NULL, 2), KSFT_FAIL);
	CHECK_INT(code_of(ctl, is_ctl, NULL, 2), KSFT_PASS);	/* a control's bug is fine */
	CHECK_INT(code_of(ctl_bad, is_ctl, NULL, 2), KSFT_FAIL);
	CHECK_INT(code_of(skips, NULL, NULL, 2), KSFT_SKIP);
	CHECK_INT(code_of(errs, NULL, enoent, 3), KSFT_SKIP);
	CHECK_INT(code_of(errs, NULL, eacces, 3), KSFT_SKIP);
	CHECK_INT(code_of(errs, NULL, mixed, 3), KSFT_FAIL);
	CHECK_INT(code_of(errs, NULL, NULL, 0), KSFT_PASS);
}

static void run_nop(struct scenario_ctx *ctx, struct result *res)
{
	(void)ctx;
	(void)res;
}

static const struct scenario fake_a = { .name = "a", .run = run_nop };
static const struct scenario fake_b = { .name = "b", .run = run_nop };
static const struct scenario *const fake_reg[] = { &fake_a, &fake_b };

TEST(plan_runs)
{
	char err[256], *names[] = { "b", "a" }, *bad[] = { "a", "zz" }, *twice[] = { "a", "a" };
	struct run_item *it;

	CHECK_INT(run_plan(NULL, 0, CONTROLS_NONE, fake_reg, 2, &it, err, sizeof(err)), 2);
	CHECK_STR(it[0].name, "a");
	CHECK(!it[0].control);
	free(it);
	CHECK_INT(run_plan(names, 2, CONTROLS_WITH, fake_reg, 2, &it, err, sizeof(err)), 4);
	CHECK_STR(it[0].name, "b");
	CHECK_STR(it[1].name, "b.control");
	CHECK(it[1].control && it[1].s == &fake_b);
	CHECK_STR(it[3].name, "a.control");
	free(it);
	CHECK_INT(run_plan(NULL, 0, CONTROLS_ONLY, fake_reg, 2, &it, err, sizeof(err)), 2);
	CHECK_STR(it[0].name, "a.control");
	CHECK_STR(it[1].name, "b.control");
	free(it);
	CHECK_INT(run_plan(bad, 2, CONTROLS_NONE, fake_reg, 2, &it, err, sizeof(err)), -1);
	CHECK_STR(err, "unknown scenario 'zz'; valid names: a b all (see `mmrepro list`)");
	CHECK_INT(run_plan(twice, 2, CONTROLS_NONE, fake_reg, 2, &it, err, sizeof(err)), -1);
	CHECK_HAS(err, "named twice");
}

TEST(timeouts)
{
	struct scenario s = { .name = "t" };

	CHECK_INT(run_timeout(&s, 0), RUN_DEFAULT_TIMEOUT_S);
	s.timeout_s = 30;
	CHECK_INT(run_timeout(&s, 0), 30);
	CHECK_INT(run_timeout(&s, 5), 5);
	CHECK_STR(signal_name(SIGSEGV), "SIGSEGV");
	CHECK(signal_name(0) == NULL);
}

/* ---- real runs in a child process ---- */

static void run_logs_and_bugs(struct scenario_ctx *ctx, struct result *res)
{
	scen_log(ctx, "control=%d devfd=%d", ctx->control, ctx->devfd);
	printf("a stray printf\n");
	scen_log(ctx, "no newline at the end");
	result_set(res, ctx->control ? VERDICT_BUG : VERDICT_OK, "checked %d pages", 16);
}

static void run_segv(struct scenario_ctx *ctx, struct result *res)
{
	(void)ctx;
	(void)res;
	raise(SIGSEGV);
}

static void run_exit(struct scenario_ctx *ctx, struct result *res)
{
	(void)ctx;
	(void)res;
	exit(3);
}

static void run_hang_with_grandchild(struct scenario_ctx *ctx, struct result *res)
{
	(void)res;
	scen_log(ctx, "about to hang");
	if (!fork())
		for (;;)
			pause();
	for (;;)
		pause();
}

static void run_leave_grandchild(struct scenario_ctx *ctx, struct result *res)
{
	(void)ctx;
	if (!fork())
		for (;;)
			pause();	/* holds the pipes: must not delay the verdict */
	result_set(res, VERDICT_OK, "left a grandchild");
}

static void run_many_lines(struct scenario_ctx *ctx, struct result *res)
{
	int i;

	for (i = 0; i < RUN_LOG_MAX_LINES + 10; i++)
		scen_log(ctx, "line %d", i);
	result_set(res, VERDICT_OK, "many");
}

static struct run_params params(bool control, unsigned int timeout_s)
{
	return (struct run_params){ .control = control, .timeout_s = timeout_s,
				    .device = "/nonexistent/mmrepro" };
}

/* One run of a scenario whose run() is fn (run_outcome_free() it). */
static struct run_outcome run_one(void (*fn)(struct scenario_ctx *, struct result *),
				  bool control, unsigned int timeout_s)
{
	const struct scenario s = { .name = "one", .run = fn };
	struct run_params p = params(control, timeout_s);
	struct run_outcome o;

	run_scenario(&s, &p, &o);
	return o;
}

/*
 * A scenario running fn ends with verdict v, exactly this reason and, if
 * log is not NULL, exactly these log lines (log is NULL-terminated).
 */
static void check_run_log(void (*fn)(struct scenario_ctx *, struct result *), bool control,
			  unsigned int timeout_s, enum verdict v, const char *reason,
			  const char *const *log)
{
	struct run_outcome o = run_one(fn, control, timeout_s);
	size_t i;

	CHECK_INT(o.res.verdict, v);
	CHECK_STR(o.res.reason, reason);
	for (i = 0; log && log[i]; i++) {
		REQUIRE(i < o.nlog);
		CHECK_STR(o.log[i], log[i]);
	}
	if (log)
		CHECK_INT(o.nlog, i);
	run_outcome_free(&o);
}

static void check_run(void (*fn)(struct scenario_ctx *, struct result *), bool control,
		      enum verdict v, const char *reason)
{
	check_run_log(fn, control, 10, v, reason, NULL);
}

TEST(forked_run_collects_log_and_result)
{
	static const char *const log[] = {
		"control=0 devfd=-1", "a stray printf", "no newline at the end", NULL
	};
	struct run_outcome o;

	check_run_log(run_logs_and_bugs, false, 10, VERDICT_OK, "checked 16 pages", log);
	o = run_one(run_logs_and_bugs, true, 10);	/* a control's bug stays bug */
	CHECK_INT(o.res.verdict, VERDICT_BUG);
	CHECK_STR(o.log[0], "control=1 devfd=-1");
	run_outcome_free(&o);
}

TEST(forked_run_blind_control)
{
	/* run_nop sets nothing: error, not converted */
	check_run(run_nop, true, VERDICT_ERROR, "the scenario returned without setting a verdict");
}

TEST(forked_run_crash_and_exit)
{
	check_run(run_segv, false, VERDICT_ERROR, "scenario process died: signal 11 (SIGSEGV)");
	check_run(run_exit, false, VERDICT_ERROR,
		  "scenario process exited with status 3 without sending a verdict");
}

TEST(forked_run_hang_kills_the_group)
{
	static const char *const log[] = { "about to hang", NULL };

	check_run_log(run_hang_with_grandchild, false, 1, VERDICT_HANG, "no verdict within 1 s", log);
}

TEST(forked_run_grandchild_does_not_delay)
{
	struct run_outcome o = run_one(run_leave_grandchild, false, 20);
	time_t t0 = time(NULL);

	CHECK_INT(o.res.verdict, VERDICT_OK);
	CHECK(time(NULL) - t0 < 5);
	run_outcome_free(&o);
}

TEST(forked_run_log_limit)
{
	struct run_outcome o = run_one(run_many_lines, false, 20);

	CHECK_INT(o.res.verdict, VERDICT_OK);
	REQUIRE(o.nlog == RUN_LOG_MAX_LINES + 1);
	CHECK_STR(o.log[0], "line 0");
	CHECK_STR(o.log[RUN_LOG_MAX_LINES], "(10 more log lines dropped)");
	run_outcome_free(&o);
}

TEST(device_missing_and_destructive)
{
	const struct scenario dev = { .name = "dev", .needs = NEED_DEVICE, .run = run_nop };
	const struct scenario des = { .name = "des", .needs = NEED_GUEST, .run = run_nop };
	struct run_params p = params(false, 10);
	struct run_outcome o;

	run_scenario(&dev, &p, &o);
	CHECK_INT(o.res.verdict, VERDICT_ERROR);
	CHECK_STR(o.res.reason, "cannot open /nonexistent/mmrepro (No such file or directory): "
		  "run `mmrepro load` first");
	CHECK_INT(o.dev_errno, ENOENT);
	run_outcome_free(&o);

	run_scenario(&des, &p, &o);
	CHECK_INT(o.res.verdict, VERDICT_SKIP);
	CHECK_STR(o.res.reason, "needs guest: changes global state; run it in the QEMU guest "
		  "or pass --allow-destructive");
	run_outcome_free(&o);

	p.guest = true;		/* in the guest it runs (and run_nop sets nothing) */
	run_scenario(&des, &p, &o);
	CHECK_INT(o.res.verdict, VERDICT_ERROR);
	run_outcome_free(&o);
	p.guest = false;
	p.allow_destructive = true;
	run_scenario(&des, &p, &o);
	CHECK_INT(o.res.verdict, VERDICT_ERROR);
	run_outcome_free(&o);
}

static void run_variant_bug(struct scenario_ctx *ctx, struct result *res)
{
	result_set(res, VERDICT_BUG, "variant %s", ctx->variant ? (const char *)ctx->variant : "none");
}

TEST(variant_reaches_run_and_thread_is_cited)
{
	const struct scenario s = { .name = "v", .thread = "009_feed.txt", .run = run_variant_bug,
				    .variant = "thp" };
	const struct scenario plain = { .name = "p", .run = run_variant_bug };
	struct run_params p = params(false, 10);
	struct run_outcome o;

	run_scenario(&s, &p, &o);
	CHECK_INT(o.res.verdict, VERDICT_BUG);
	CHECK_STR(o.res.reason, "variant thp (thread 009_feed.txt)");
	run_outcome_free(&o);

	run_scenario(&plain, &p, &o);	/* no thread: nothing added */
	CHECK_STR(o.res.reason, "variant none");
	run_outcome_free(&o);
}

TEST(thread_citation_fits_and_is_not_repeated)
{
	const struct scenario s = { .name = "v", .thread = "009_feed.txt" };
	struct result r;

	result_set(&r, VERDICT_BUG, "seen (thread 009_feed.txt: why)");
	run_cite_thread(&s, &r);
	CHECK_STR(r.reason, "seen (thread 009_feed.txt: why)");

	result_set(&r, VERDICT_OK, "fine");
	run_cite_thread(&s, &r);
	CHECK_STR(r.reason, "fine");

	memset(r.reason, 'x', sizeof(r.reason) - 1);
	r.reason[sizeof(r.reason) - 1] = '\0';
	r.verdict = VERDICT_BUG;
	run_cite_thread(&s, &r);	/* a full reason is cut to make room */
	CHECK_INT(strlen(r.reason), RESULT_REASON_MAX - 1);
	CHECK(strstr(r.reason, "x (thread 009_feed.txt)") != NULL);
}

TEST(needs_unmet_skip_before_the_fork)
{
	const struct scenario excl = { .name = "e", .needs = NEED_EXCLUSIVE, .run = run_nop };
	struct mmrepro_info info = { .caps = MMREPRO_CAP_PIN_LONGTERM };
	struct run_params p = params(false, 10);
	struct run_outcome o;
	char why[RESULT_REASON_MAX], text[128];

	CHECK_INT(needs_unmet(NEED_EXCLUSIVE, &info, why, sizeof(why)), NEED_EXCLUSIVE);
	CHECK(!strncmp(why, "needs device-exclusive: no device-exclusive API", 47));
	info.caps |= MMREPRO_CAP_DEVICE_EXCLUSIVE;
	CHECK_INT(needs_unmet(NEED_EXCLUSIVE, &info, why, sizeof(why)), 0);
	/* device and guest are the runner's: never unmet here */
	CHECK_INT(needs_unmet(NEED_DEVICE | NEED_GUEST, NULL, why, sizeof(why)), 0);

	run_scenario(&excl, &p, &o);	/* no device, so no INFO: skipped, run_nop not run */
	CHECK_INT(o.res.verdict, VERDICT_SKIP);
	CHECK(!strncmp(o.res.reason, "needs device-exclusive: ", 24));
	CHECK_INT(o.nlog, 0);
	run_outcome_free(&o);

	needs_text(NEED_DEVICE | NEED_GUEST | NEED_THP | NEED_HUGETLB, text, sizeof(text));
	CHECK_STR(text, "device, guest, thp, hugetlb");
	needs_text(0, text, sizeof(text));
	CHECK_STR(text, "-");
}
