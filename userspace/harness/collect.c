// SPDX-License-Identifier: GPL-2.0
/*
 * The parent's side of a run (runner_impl.h): gather the child's log lines
 * and its struct result until it exits or the deadline passes, then make
 * the outcome of what arrived (a verdict, a hang, or how it died).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "harness/runner_impl.h"

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

/*
 * One read() from a non-blocking pipe, retried on EINTR: 1 with *got bytes,
 * 0 when nothing is there now (EAGAIN), -1 at EOF or on an error.
 */
static int read_chunk(int fd, void *buf, size_t len, size_t *got)
{
	ssize_t r;

	do
		r = read(fd, buf, len);
	while (r < 0 && errno == EINTR);
	if (r > 0) {
		*got = (size_t)r;
		return 1;
	}
	return r < 0 && errno == EAGAIN ? 0 : -1;
}

/* Read what is there. Returns false at EOF or on an error. */
static bool drain_log(struct collector *c, int fd)
{
	char buf[4096];
	size_t n, i;
	int k;

	while ((k = read_chunk(fd, buf, sizeof(buf), &n)) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				keep_line(c, false);
				continue;
			}
			c->line[c->llen++] = buf[i];
			if (c->llen == sizeof(c->line) - 1)
				keep_line(c, false);
		}
	}
	return k == 0;
}

/* The struct result, then anything more into a sink. As drain_log(). */
static bool drain_result(struct collector *c, int fd)
{
	char sink[512], *dst = (char *)&c->res;
	size_t n;
	int k;

	do {
		if (c->rlen < sizeof(c->res)) {
			k = read_chunk(fd, dst + c->rlen, sizeof(c->res) - c->rlen, &n);
			c->rlen += k > 0 ? n : 0;
		} else {
			k = read_chunk(fd, sink, sizeof(sink), &n);
		}
	} while (k > 0);
	return k == 0;
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
	long long end = clock_mono_ms() + ms;

	do {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD))
			return r == pid;
		usleep(20000);
	} while (clock_mono_ms() < end);
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

void run_collect(pid_t pid, int logfd, int resfd, unsigned int timeout_s,
		    struct run_outcome *out)
{
	struct collector *c = calloc(1, sizeof(*c));
	long long deadline = clock_mono_ms() + (long long)timeout_s * 1000;
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
		long long left = deadline - clock_mono_ms();
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
