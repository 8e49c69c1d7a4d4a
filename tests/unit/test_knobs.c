// SPDX-License-Identifier: GPL-2.0
/*
 * The journal of changed global settings (knobs.h): restored by the
 * scenario itself, and by the runner when the scenario was killed at its
 * deadline. Temporary files stand in for sysctls and debugfs knobs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/knobs.h"
#include "lib/memutil.h"
#include "harness/runner.h"
#include "unit.h"

static char knob_a[64], knob_b[64];

static void make_knob(char *path, const char *value)
{
	int fd;

	strcpy(path, "/tmp/mmrepro-knob-XXXXXX");
	fd = mkstemp(path);
	if (fd >= 0) {
		if (write(fd, value, strlen(value)) < 0)
			perror("write");
		close(fd);
	}
}

/* Like a sysctl read: the value without its newline. */
static void read_knob(const char *path, char *buf, size_t len)
{
	if (file_read_str(path, buf, len))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

TEST(knob_set_and_restore_in_order)
{
	char v[64], report[256];

	make_knob(knob_a, "1\n");
	make_knob(knob_b, "256\n");
	CHECK_INT(knob_set(knob_a, "0"), 0);
	CHECK_INT(knob_set_ulong(knob_b, 16), 0);
	CHECK_INT(knob_set(knob_a, "2"), 0);	/* the first saved value stays */
	read_knob(knob_a, v, sizeof(v));
	CHECK_STR(v, "2");
	CHECK_INT(knob_restore_all(report, sizeof(report)), 2);
	read_knob(knob_a, v, sizeof(v));
	CHECK_STR(v, "1");
	read_knob(knob_b, v, sizeof(v));
	CHECK_STR(v, "256");
	CHECK(strstr(report, "=256") && strstr(report, "=1"));
	CHECK_INT(knob_restore_all(NULL, 0), 0);	/* empty now */
	CHECK_INT(knob_set("/nonexistent/knob", "1"), -ENOENT);
	CHECK_INT(knob_restore_all(NULL, 0), 0);	/* nothing recorded for it */
	unlink(knob_a);
	unlink(knob_b);
}

static void run_change_and_hang(struct scenario_ctx *ctx, struct result *res)
{
	(void)res;
	knob_set(knob_a, "1");
	knob_set_ulong(knob_b, 0);
	scen_log(ctx, "changed two knobs");
	for (;;)
		pause();
}

static void run_change_and_return(struct scenario_ctx *ctx, struct result *res)
{
	(void)ctx;
	knob_set(knob_a, "7");
	result_set(res, VERDICT_OK, "left a knob changed");
}

/* run() as a scenario killed at a 1 s deadline: a hang, then the runner's note. */
static void run_killed(void (*run)(struct scenario_ctx *, struct result *), const char *note)
{
	const struct scenario s = { .name = "killed", .run = run };
	struct run_params p = { .timeout_s = 1, .device = "/nonexistent/mmrepro" };
	struct run_outcome o;

	run_scenario(&s, &p, &o);
	CHECK_INT(o.res.verdict, VERDICT_HANG);
	if (o.nlog == 2)
		CHECK(strstr(o.log[1], note));
	else
		unit_fail(__FILE__, __LINE__, "%zu log lines, want 2 (the scenario's, the runner's)",
			  o.nlog);
	run_outcome_free(&o);
}

TEST(killed_scenario_knobs_restored_by_runner)
{
	char v[64];

	make_knob(knob_a, "0\n");
	make_knob(knob_b, "1000\n");
	run_killed(run_change_and_hang, "ended with 2 global settings changed; restored");
	read_knob(knob_a, v, sizeof(v));
	CHECK_STR(v, "0");
	read_knob(knob_b, v, sizeof(v));
	CHECK_STR(v, "1000");
	unlink(knob_a);
	unlink(knob_b);
}

TEST(returned_scenario_knobs_restored_in_child)
{
	const struct scenario s = { .name = "knobs", .run = run_change_and_return };
	struct run_params p = { .timeout_s = 10, .device = "/nonexistent/mmrepro" };
	struct run_outcome o;
	char v[64];

	make_knob(knob_a, "3\n");
	run_scenario(&s, &p, &o);
	CHECK_INT(o.res.verdict, VERDICT_OK);
	read_knob(knob_a, v, sizeof(v));
	CHECK_STR(v, "3");
	REQUIRE(o.nlog == 1);
	CHECK(!strncmp(o.log[0], "runner: restored ", 17));
	run_outcome_free(&o);
	unlink(knob_a);
}

/*
 * What memcg_enter() records (memcg.c): a directory made (a cgroup) and a
 * write that undoes another ("-memory" after "+memory"), the same way, in
 * temporary files. Killed at its deadline, the scenario leaves both to the
 * runner, which removes the directory and writes the undo.
 */
static char scratch_dir[80], scratch_ctl[64];

static void run_cgroup_and_hang(struct scenario_ctx *ctx, struct result *res)
{
	(void)res;
	knob_undo_write(scratch_ctl, "-memory");
	if (file_write_str(scratch_ctl, "+memory"))
		perror("write");
	knob_undo_rmdir(scratch_dir);
	if (mkdir(scratch_dir, 0755))
		perror("mkdir");
	scen_log(ctx, "made a cgroup");
	for (;;)
		pause();
}

TEST(killed_scenario_cgroup_removed_by_runner)
{
	struct stat st;
	char v[64];

	make_knob(scratch_ctl, "");
	snprintf(scratch_dir, sizeof(scratch_dir), "%s.d", scratch_ctl);
	run_killed(run_cgroup_and_hang, "restored rmdir ");
	CHECK(stat(scratch_dir, &st) && errno == ENOENT);	/* removed */
	read_knob(scratch_ctl, v, sizeof(v));
	CHECK_STR(v, "-memory");
	rmdir(scratch_dir);
	unlink(scratch_ctl);
}

/* An owner that undid its change itself: nothing is done twice. */
TEST(forgotten_undo_is_not_redone)
{
	char v[64];

	make_knob(scratch_ctl, "x");
	snprintf(scratch_dir, sizeof(scratch_dir), "%s.d", scratch_ctl);
	CHECK_INT(knob_undo_write(scratch_ctl, "-memory"), 0);
	CHECK_INT(knob_undo_rmdir(scratch_dir), 0);
	knob_forget(scratch_ctl);
	CHECK_INT(knob_restore_all(NULL, 0), 0);	/* the dir never existed: fine */
	read_knob(scratch_ctl, v, sizeof(v));
	CHECK_STR(v, "x");
	unlink(scratch_ctl);
}
