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
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmds.h"
#include "lib/dev.h"
#include "lib/knobs.h"
#include "harness/runner.h"

unsigned int run_timeout(const struct scenario *s, unsigned int cli_timeout_s)
{
	if (cli_timeout_s)
		return cli_timeout_s;
	if (s->timeout_s)
		return s->timeout_s;
	return RUN_DEFAULT_TIMEOUT_S;
}

void run_judge_control(struct result *res)
{
	char orig[RESULT_REASON_MAX];

	if (res->verdict != VERDICT_OK)
		return;
	memcpy(orig, res->reason, sizeof(orig));
	orig[sizeof(orig) - 1] = '\0';
	result_set(res, VERDICT_ERROR, "negative control not detected: %s", orig);
}

bool run_as_expected(bool control, enum verdict v)
{
	if (v == VERDICT_SKIP)
		return true;
	return v == (control ? VERDICT_BUG : VERDICT_OK);
}

const char *signal_name(int sig)
{
	static const struct { int sig; const char *name; } names[] = {
		{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
		{ SIGILL, "SIGILL" }, { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
		{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" },
		{ SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
		{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
		{ SIGSYS, "SIGSYS" }, { SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].sig == sig)
			return names[i].name;
	return NULL;
}

void run_tally_add(struct run_tally *t, bool control, const struct run_outcome *o)
{
	enum verdict v = o->res.verdict;

	t->runs++;
	if (o->dev_errno == EACCES || o->dev_errno == EPERM)
		t->not_permitted++;
	else if (o->dev_errno)
		t->unavailable++;
	if (v == VERDICT_SKIP) {
		t->skipped++;
		return;
	}
	if (v == VERDICT_ERROR || (control && !run_as_expected(true, v)))
		t->errors++;
	else if (!control && (v == VERDICT_BUG || v == VERDICT_HANG || v == VERDICT_SPLAT))
		t->failed++;
}

int run_exit_code(const struct run_tally *t)
{
	unsigned int attempted = t->runs - t->skipped;

	if (t->runs && (!attempted || run_device_unusable(t)))
		return KSFT_SKIP;
	if (t->errors || t->failed)
		return KSFT_FAIL;
	return KSFT_PASS;
}

bool run_device_unusable(const struct run_tally *t)
{
	unsigned int attempted = t->runs - t->skipped;

	return attempted && t->unavailable + t->not_permitted == attempted;
}

int run_plan(char *const *names, int nnames, enum control_mode controls,
	     const struct scenario *const *reg, unsigned int nreg,
	     struct run_item **items, char *err, size_t errlen)
{
	const struct scenario **sel;
	unsigned int nsel = 0, i, k;
	struct run_item *it;
	int n = 0;

	sel = calloc(nnames ? (size_t)nnames : nreg ? nreg : 1, sizeof(*sel));
	if (!sel) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!nnames) {
		for (i = 0; i < nreg; i++)
			sel[nsel++] = reg[i];
	}
	for (k = 0; k < (unsigned int)nnames; k++) {
		const struct scenario *s = NULL;

		for (i = 0; i < nreg && !s; i++)
			if (!strcmp(reg[i]->name, names[k]))
				s = reg[i];
		if (!s) {
			size_t used = (size_t)snprintf(err, errlen,
				"unknown scenario '%s'; valid names:", names[k]);

			for (i = 0; i < nreg && used < errlen; i++)
				used += (size_t)snprintf(err + used, errlen - used, " %s",
							 reg[i]->name);
			if (used < errlen)
				snprintf(err + used, errlen - used, " all (see `mmrepro list`)");
			free(sel);
			return -1;
		}
		for (i = 0; i < nsel; i++) {
			if (sel[i] == s) {
				snprintf(err, errlen, "scenario '%s' is named twice", s->name);
				free(sel);
				return -1;
			}
		}
		sel[nsel++] = s;
	}

	it = calloc(2 * (size_t)nsel + 1, sizeof(*it));
	if (!it) {
		free(sel);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < nsel; i++) {
		if (controls != CONTROLS_ONLY) {
			it[n].s = sel[i];
			snprintf(it[n].name, sizeof(it[n].name), "%s", sel[i]->name);
			n++;
		}
		if (controls != CONTROLS_NONE) {
			it[n].s = sel[i];
			it[n].control = true;
			snprintf(it[n].name, sizeof(it[n].name), "%s.control", sel[i]->name);
			n++;
		}
	}
	free(sel);
	*items = it;
	return n;
}

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

static void write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t r = write(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		p += r;
		len -= (size_t)r;
	}
}

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
	if (s->flags & SCEN_NEEDS_DEVICE) {
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
	write_all(resfd, &res, sizeof(res));
	_exit(0);
}

/* ---- the parent ---- */

struct collector {
	struct run_outcome *out;
	size_t cap;
	size_t dropped;
	char line[RUN_LOG_LINE_MAX];
	size_t llen;
	struct result res;
	size_t rlen;
};

/* Keep the line gathered in c->line; beyond the limit only with force. */
static void keep_line(struct collector *c, bool force)
{
	struct run_outcome *o = c->out;

	c->line[c->llen] = '\0';
	c->llen = 0;
	if (o->nlog >= RUN_LOG_MAX_LINES && !force) {
		c->dropped++;
		return;
	}
	if (o->nlog == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		char **n = realloc(o->log, cap * sizeof(*n));

		if (!n) {
			c->dropped++;
			return;
		}
		o->log = n;
		c->cap = cap;
	}
	o->log[o->nlog] = strdup(c->line);
	if (o->log[o->nlog])
		o->nlog++;
	else
		c->dropped++;
}

/* Read what is there. Returns false at EOF or on an error. */
static bool drain_log(struct collector *c, int fd)
{
	char buf[4096];

	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf)), i;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == EAGAIN;
		if (!r)
			return false;
		for (i = 0; i < r; i++) {
			if (buf[i] == '\n') {
				keep_line(c, false);
				continue;
			}
			c->line[c->llen++] = buf[i];
			if (c->llen == sizeof(c->line) - 1)
				keep_line(c, false);
		}
	}
}

static bool drain_result(struct collector *c, int fd)
{
	char *dst = (char *)&c->res;

	for (;;) {
		char sink[512];
		ssize_t r;

		if (c->rlen < sizeof(c->res))
			r = read(fd, dst + c->rlen, sizeof(c->res) - c->rlen);
		else
			r = read(fd, sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == EAGAIN;
		if (!r)
			return false;
		if (c->rlen < sizeof(c->res))
			c->rlen += (size_t)r;
	}
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child exited (it stays a zombie: its process group id stays ours). */
static bool exited_nowait(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT))
		return errno == ECHILD;
	return si.si_pid == pid;
}

static bool reap_within(pid_t pid, int *status, long long ms)
{
	long long end = now_ms() + ms;

	do {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD))
			return r == pid;
		usleep(20000);
	} while (now_ms() < end);
	return false;
}

static void describe_death(struct result *res, int status)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		const char *name = signal_name(sig);

		result_set(res, VERDICT_ERROR, "scenario process died: signal %d (%s)", sig,
			   name ? name : strsignal(sig));
	} else if (WIFEXITED(status)) {
		result_set(res, VERDICT_ERROR, "scenario process exited with status %d "
			   "without sending a verdict", WEXITSTATUS(status));
	} else {
		result_set(res, VERDICT_ERROR, "scenario process ended without a verdict "
			   "(wait status 0x%x)", status);
	}
}

static void collect(pid_t pid, int logfd, int resfd, unsigned int timeout_s,
		    struct run_outcome *out)
{
	struct collector *c = calloc(1, sizeof(*c));
	long long deadline = now_ms() + (long long)timeout_s * 1000;
	bool log_open = true, res_open = true, exited = false;
	int status = 0;

	if (!c) {
		result_set(&out->res, VERDICT_ERROR, "out of memory");
		kill(-pid, SIGKILL);
		reap_within(pid, &status, RUN_REAP_GRACE_MS);
		return;
	}
	c->out = out;
	fcntl(logfd, F_SETFL, O_NONBLOCK);
	fcntl(resfd, F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd pfd[2];
		long long left = deadline - now_ms();
		nfds_t n = 0;

		if (left <= 0)
			break;
		if (log_open)
			pfd[n++] = (struct pollfd){ .fd = logfd, .events = POLLIN };
		if (res_open)
			pfd[n++] = (struct pollfd){ .fd = resfd, .events = POLLIN };
		/* Wake up now and then to notice the child's exit while a
		 * grandchild still holds the pipes. */
		poll(pfd, n, left < 100 ? (int)left : 100);
		exited = exited_nowait(pid);
		if (log_open)
			log_open = drain_log(c, logfd);
		if (res_open)
			res_open = drain_result(c, resfd);
		if (exited)
			break;
	}
	if (!exited && exited_nowait(pid)) {	/* just at the deadline: not a hang */
		exited = true;
		if (log_open)
			drain_log(c, logfd);
		if (res_open)
			drain_result(c, resfd);
	}
	if (c->llen)
		keep_line(c, false);
	if (c->dropped) {
		snprintf(c->line, sizeof(c->line), "(%zu more log lines dropped)", c->dropped);
		c->llen = strlen(c->line);
		keep_line(c, true);
	}

	/* Leftover grandchildren die with the group; they might hold the file. */
	kill(-pid, SIGKILL);
	if (!exited) {
		kill(pid, SIGKILL);
		if (c->rlen == sizeof(c->res))
			result_set(&out->res, VERDICT_HANG, "sent verdict %s but did not exit "
				   "within %u s (stuck releasing /dev/mmrepro?)",
				   verdict_name(c->res.verdict), timeout_s);
		else
			result_set(&out->res, VERDICT_HANG, "no verdict within %u s", timeout_s);
		if (!reap_within(pid, &status, RUN_REAP_GRACE_MS))
			fprintf(stderr, "mmrepro: scenario process %d did not die on SIGKILL "
				"(stuck in the kernel?); not waiting for it\n", (int)pid);
	} else {
		waitpid(pid, &status, 0);
		if (c->rlen == sizeof(c->res) && c->res.verdict >= VERDICT_OK &&
		    c->res.verdict < VERDICT_NONE) {
			out->res = c->res;
			out->res.reason[sizeof(out->res.reason) - 1] = '\0';
		} else if (c->rlen == sizeof(c->res)) {
			result_set(&out->res, VERDICT_ERROR, "the scenario set an invalid "
				   "verdict %d", (int)c->res.verdict);
		} else {
			describe_death(&out->res, status);
		}
	}
	free(c);
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
	collect(pid, logp[0], resp[0], p->timeout_s, out);
	running_pgid = 0;
	restore_after_child(out);
	restore_signals(old);
	close(logp[0]);
	close(resp[0]);
}

void run_scenario(const struct scenario *s, const struct run_params *p,
		  struct run_outcome *out)
{
	memset(out, 0, sizeof(*out));
	if ((s->flags & SCEN_DESTRUCTIVE) && !p->allow_destructive && !p->guest) {
		result_set(&out->res, VERDICT_SKIP, "changes global state; run it in the QEMU "
			   "guest or pass --allow-destructive");
		return;
	}
	if (s->flags & SCEN_NEEDS_DEVICE) {
		/* Probe here to tell "no device" from a scenario's error; the
		 * child opens its own file. */
		struct mmrepro_info info;
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
	run_forked(s, p, out);
	if (p->control)
		run_judge_control(&out->res);
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
