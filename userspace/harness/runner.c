// SPDX-License-Identifier: GPL-2.0
/*
 * Running one scenario in a child process; see runner.h.
 *
 * The child is the leader of a new process group (so a deadline kills what
 * it forked too), opens /dev/mmrepro itself (a file is bound to its opener's
 * mm: an inherited one could not pin), sends its log lines on one pipe and
 * its struct result on another, and _exit()s. Its exit releases the file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/dev.h"
#include "lib/fdio.h"
#include "lib/knobs.h"
#include "harness/runner_impl.h"

/* ---- interruption ---- */

/*
 * The child leads a process group of its own, so ^C on the terminal does not
 * reach it: while one runs, SIGINT/SIGTERM/SIGHUP kill its group, then end
 * mmrepro as the signal would have. The one piece of global state here.
 */
static volatile sig_atomic_t running_pgid;

static const int forwarded_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NR_FORWARDED (sizeof(forwarded_signals) / sizeof(forwarded_signals[0]))

static void on_interrupt(int sig)
{
	if (running_pgid > 0)
		kill(-(pid_t)running_pgid, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void forwarded_set(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	for (i = 0; i < NR_FORWARDED; i++)
		sigaddset(set, forwarded_signals[i]);
}

/* Install the handlers, with the signals blocked until running_pgid is set. */
static void forward_signals(struct sigaction *old, sigset_t *oldmask)
{
	struct sigaction sa = { .sa_handler = on_interrupt };
	sigset_t set;
	size_t i;

	forwarded_set(&set);
	sigprocmask(SIG_BLOCK, &set, oldmask);
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NR_FORWARDED; i++)
		sigaction(forwarded_signals[i], &sa, &old[i]);
}

static void restore_signals(const struct sigaction *old)
{
	size_t i;

	for (i = 0; i < NR_FORWARDED; i++)
		sigaction(forwarded_signals[i], &old[i], NULL);
}

/* ---- the child ---- */

static void __attribute__((noreturn))
child(const struct scenario *s, const struct run_params *p, int logfd, int resfd,
	const sigset_t *oldmask)
{
	struct scenario_ctx ctx = { .devfd = -1, .control = p->control, .verbose = p->verbose };
	static char outbuf[RUN_LOG_LINE_MAX], knobs[RUN_LOG_LINE_MAX - 32];
	struct result res;

	setpgid(0, 0);
	for (size_t i = 0; i < NR_FORWARDED; i++)
		signal(forwarded_signals[i], SIG_DFL);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	/* Stray printf()s of a scenario become log lines, not broken output. */
	dup2(logfd, STDOUT_FILENO);
	/* A buffer of our own: glibc resets a used stream's pointers only then. */
	setvbuf(stdout, outbuf, _IOLBF, sizeof(outbuf));
	ctx.log = fdopen(logfd, "w");
	if (ctx.log)
		setvbuf(ctx.log, NULL, _IOLBF, 0);

	result_set(&res, VERDICT_ERROR, "the scenario returned without setting a verdict");
	ctx.variant = s->variant;
	ctx.size = p->size;
	if (s->needs & NEED_DEVICE) {
		int fd = dev_open_checked(p->device, &ctx.info, res.reason, sizeof(res.reason));

		if (fd < 0)
			goto send;
		ctx.devfd = fd;
	}
	s->run(&ctx, &res);
	/* A scenario that returned with knobs still changed: put them back. */
	if (knob_restore_all(knobs, sizeof(knobs)) > 0)
		scen_log(&ctx, "runner: restored %s", knobs);
send:
	if (ctx.log)
		fflush(ctx.log);
	fflush(stdout);
	fd_write_full(resfd, &res, sizeof(res));	/* a short one: the runner says so */
	_exit(0);
}

/* Append one line to the outcome's log (the runner's own notes). */
static void outcome_note(struct run_outcome *out, const char *fmt, ...)
{
	char line[RUN_LOG_LINE_MAX], **n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = realloc(out->log, (out->nlog + 1) * sizeof(*n));
	if (!n)
		return;
	out->log = n;
	out->log[out->nlog] = strdup(line);
	if (out->log[out->nlog])
		out->nlog++;
}

/*
 * What a killed scenario left changed (knobs.h): the journal is shared with
 * the child, so what it recorded and did not restore is restored here.
 */
static void restore_after_child(struct run_outcome *out)
{
	char report[RUN_LOG_LINE_MAX - 64];
	int n = knob_restore_all(report, sizeof(report));

	if (n > 0)
		outcome_note(out, "runner: the scenario ended with %d global setting%s changed; restored %s",
			     n, n == 1 ? "" : "s", report);
	else if (n < 0)
		outcome_note(out, "runner: restoring what the scenario changed failed (%s): %s",
			     strerror(-n), report);
}

static void run_forked(const struct scenario *s, const struct run_params *p,
		       struct run_outcome *out)
{
	struct sigaction old[NR_FORWARDED];
	sigset_t oldmask;
	int logp[2], resp[2];
	pid_t pid;

	if (pipe2(logp, O_CLOEXEC)) {
		result_set(&out->res, VERDICT_ERROR, "pipe: %s", strerror(errno));
		return;
	}
	if (pipe2(resp, O_CLOEXEC)) {
		result_set(&out->res, VERDICT_ERROR, "pipe: %s", strerror(errno));
		close(logp[0]);
		close(logp[1]);
		return;
	}
	fflush(NULL);	/* or the child's exit would print our buffers again */
	if (knob_journal_map())
		outcome_note(out, "runner: no shared journal (mmap failed): a killed scenario's settings stay changed");
	forward_signals(old, &oldmask);
	pid = fork();
	if (pid < 0) {
		result_set(&out->res, VERDICT_ERROR, "fork: %s", strerror(errno));
		restore_signals(old);
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
		close(logp[0]);
		close(logp[1]);
		close(resp[0]);
		close(resp[1]);
		return;
	}
	if (!pid) {
		close(logp[0]);
		close(resp[0]);
		child(s, p, logp[1], resp[1], &oldmask);
	}
	setpgid(pid, pid);	/* the child does it too: no race either way */
	running_pgid = pid;
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	close(logp[1]);
	close(resp[1]);
	run_collect(pid, logp[0], resp[0], p->timeout_s, out);
	running_pgid = 0;
	restore_after_child(out);
	restore_signals(old);
	close(logp[0]);
	close(resp[0]);
}

void run_scenario(const struct scenario *s, const struct run_params *p,
		  struct run_outcome *out)
{
	struct mmrepro_info info;

	memset(out, 0, sizeof(*out));
	if ((s->needs & NEED_GUEST) && !p->allow_destructive && !p->guest) {
		result_set(&out->res, VERDICT_SKIP, "needs guest: changes global state; run it in "
			   "the QEMU guest or pass --allow-destructive");
		return;
	}
	if (s->needs & NEED_DEVICE) {
		/* Probe here to tell "no device" from a scenario's error; the
		 * child opens its own file. */
		int fd = dev_open_checked(p->device, &info, out->res.reason,
					  sizeof(out->res.reason));

		if (fd < 0) {
			out->res.verdict = VERDICT_ERROR;
			if (fd != -EPROTO)
				out->dev_errno = -fd;
			return;
		}
		close(fd);
	}
	if (needs_unmet(s->needs, s->needs & NEED_DEVICE ? &info : NULL, out->res.reason,
			sizeof(out->res.reason))) {
		out->res.verdict = VERDICT_SKIP;
		return;
	}
	run_forked(s, p, out);
	run_judge(s, p->control, &out->res);
}

void run_outcome_free(struct run_outcome *o)
{
	size_t i;

	for (i = 0; i < o->nlog; i++)
		free(o->log[i]);
	free(o->log);
	o->log = NULL;
	o->nlog = 0;
}
