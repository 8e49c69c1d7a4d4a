/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running one scenario (or its negative control) in a child process with a
 * deadline, and judging the outcome. Used by `mmrepro run`.
 */
#ifndef MMREPRO_RUNNER_H
#define MMREPRO_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/scenario.h"

/* Which runs run_plan() makes of each scenario named. */
enum control_mode {
	CONTROLS_NONE,	/* only the scenarios (default) */
	CONTROLS_WITH,	/* each scenario, then its negative control */
	CONTROLS_ONLY,	/* only the negative controls */
};

#define RUN_DEFAULT_TIMEOUT_S	120
#define RUN_LOG_MAX_LINES	2000	/* more are counted, not kept */
#define RUN_LOG_LINE_MAX	1024	/* longer lines are split */
#define RUN_REAP_GRACE_MS	5000	/* after SIGKILL on a hang */

struct run_params {
	bool control;		/* run the negative control */
	bool verbose;
	bool allow_destructive;	/* --allow-destructive */
	bool guest;		/* /proc/cmdline has mmrepro.guest=1 */
	unsigned int timeout_s;	/* the deadline: see run_timeout() */
	size_t size;		/* run --size, passed as ctx->size; 0: not given */
	const char *device;	/* MMREPRO_DEVICE, or another path for tests */
};

struct run_outcome {
	struct result res;
	char **log;		/* the scenario's log lines */
	size_t nlog;
	int dev_errno;		/* the device could not be opened: errno */
};

/* One run, start to verdict. Never fails: problems become the verdict. */
void run_scenario(const struct scenario *s, const struct run_params *p,
		  struct run_outcome *out);
void run_outcome_free(struct run_outcome *o);

/* --timeout when given, else the scenario's own, else the default. */
unsigned int run_timeout(const struct scenario *s, unsigned int cli_timeout_s);

/*
 * A negative control that ends `ok` ran a check that is blind to the
 * misbehaviour it was shown: make it an error. The one place this happens.
 */
void run_judge_control(struct result *res);

/* A bug's reason ends "(thread FILE)" when its scenario reproduces one. */
void run_cite_thread(const struct scenario *s, struct result *res);
/* What the runner makes of a run's verdict: the two above, in order. */
void run_judge(const struct scenario *s, bool control, struct result *res);

/* ok/skip for a scenario; bug/skip for a control. */
bool run_as_expected(bool control, enum verdict v);

/* "SIGSEGV" etc, or NULL. */
const char *signal_name(int sig);

/* The run-wide tally that decides the exit code (see run_exit_code()). */
struct run_tally {
	unsigned int runs;
	unsigned int skipped;
	unsigned int failed;		/* a scenario ended bug, hang or splat */
	unsigned int errors;		/* ended error, or a control not as expected */
	unsigned int unavailable;	/* device missing (ENOENT, ENODEV, ...) */
	unsigned int not_permitted;	/* device: EACCES or EPERM */
};

void run_tally_add(struct run_tally *t, bool control, const struct run_outcome *o);
/*
 * As kselftest: KSFT_SKIP when every run was skipped or the device was
 * unusable for every run that was not, else KSFT_FAIL on a failure or an
 * error, else KSFT_PASS.
 */
int run_exit_code(const struct run_tally *t);
/* /dev/mmrepro could not be opened for any run that was not skipped. */
bool run_device_unusable(const struct run_tally *t);

/*
 * The runs of `mmrepro run`: the selected scenarios (all when nnames is 0),
 * each followed by its control, or controls only. Returns the number of
 * runs, or -1 with err set (unknown or repeated name).
 */
struct run_item {
	const struct scenario *s;
	bool control;
	char name[96];		/* "NAME" or "NAME.control" */
};


int run_plan(char *const *names, int nnames, enum control_mode controls,
	     const struct scenario *const *reg, unsigned int nreg,
	     struct run_item **items, char *err, size_t errlen);

#endif /* MMREPRO_RUNNER_H */
