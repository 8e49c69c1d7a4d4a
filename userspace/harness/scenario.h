/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface between the mmrepro CLI's runner and its scenarios.
 *
 * A scenario runs in a child process of its own (a crash or a hang costs
 * that scenario, not the run). It sets up memory, drives /dev/mmrepro and
 * the kernel, reads the evidence and ends in one verdict with a one-line
 * reason. Every scenario also has a negative control: the same evidence
 * check applied to a case whose answer is known to be "the misbehaviour is
 * there", run with ctx->control set; a check that cannot say `bug` on its
 * control is blind, and the control's run shows that it is not.
 */
#ifndef MMREPRO_SCENARIO_H
#define MMREPRO_SCENARIO_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "harness/needs.h"
#include "uapi/linux/mmrepro.h"

enum verdict {
	VERDICT_OK,	/* the kernel behaved correctly */
	VERDICT_BUG,	/* the misbehaviour of a thread was observed */
	VERDICT_SKIP,	/* the kernel lacks what the scenario needs */
	VERDICT_ERROR,	/* the harness could not decide */
	VERDICT_SPLAT,	/* console analysis only: WARN/BUG/Oops/... during it */
	VERDICT_HANG,	/* no verdict before the deadline */
	VERDICT_NONE,	/* not run / not observed (comparison only) */
};

#define RESULT_REASON_MAX 480

struct result {
	enum verdict verdict;
	char reason[RESULT_REASON_MAX];
};

/* struct scenario.flags */
#define SCEN_SLOW		(1U << 0) /* slow at full size (hmm-swap --size 1G): the mutant pass runs it for its own thread only */

struct scenario_ctx {
	int devfd;			/* open /dev/mmrepro, or -1 */
	struct mmrepro_info info;	/* valid when devfd >= 0 */
	bool control;			/* run the negative control */
	bool verbose;
	const void *variant;		/* the scenario's .variant */
	size_t size;			/* run --size SIZE, or 0: the scenario's own */
	FILE *log;			/* diagnostics, one line per call of scen_log() */
};

struct scenario {
	const char *name;	/* [a-z0-9-]+ */
	const char *thread;	/* file in shared/threads it reproduces, or NULL */
	const char *summary;	/* what an `ok` proves, one line */
	const char *control;	/* what the negative control does and must show */
	unsigned int needs;	/* NEED_* (needs.h): unmet, the runner skips it */
	unsigned int flags;	/* SCEN_* */
	unsigned int timeout_s;	/* deadline inside the guest; 0: the default */
	/*
	 * Sets up, gathers the evidence and judges it. A `bug` verdict's
	 * reason need not name the thread: the runner adds "(thread FILE)".
	 * Global state it changes goes through knobs.h, whose journal the
	 * runner replays after reaping the child, killed or not.
	 */
	void (*run)(struct scenario_ctx *ctx, struct result *res);
	/* Passed to run() as ctx->variant: one run() for several scenarios. */
	const void *variant;
};

/*
 * Define const struct scenario scenario_<id> (declared in scenarios.h,
 * listed in registry.c): the fields every scenario has, in this order,
 * then any of .flags, .timeout_s, .variant as designated initialisers.
 */
#define SCENARIO(id, nm, thr, nds, fn, sum, ctl, ...)				\
	const struct scenario scenario_##id = {					\
		.name = (nm), .thread = (thr), .needs = (nds), .run = (fn),	\
		.summary = (sum), .control = (ctl), __VA_ARGS__			\
	}

/* Set the verdict and its reason (printf-style, truncated to fit). */
void result_set(struct result *res, enum verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One diagnostic line (no trailing newline needed). */
void scen_log(struct scenario_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

const char *verdict_name(enum verdict v);	/* "ok", "bug", ... */
int verdict_parse(const char *s, enum verdict *v); /* 0, or -1 if unknown */

/* The registry: every scenario, in the order `run all` runs them. */
extern const struct scenario *const scenarios[];
extern const unsigned int nr_scenarios;
const struct scenario *scenario_find(const char *name);

#endif /* MMREPRO_SCENARIO_H */
