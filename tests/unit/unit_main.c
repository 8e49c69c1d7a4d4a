// SPDX-License-Identifier: GPL-2.0
/* The unit test runner: see unit.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

static struct unit_test *tests;
static unsigned int ntests;
static const struct unit_test *running;
static unsigned int running_failures;

void unit_register(struct unit_test *t)
{
	t->next = tests;
	tests = t;
	ntests++;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: %s: ", file, line, running ? running->name : "?");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	running_failures++;
}

static int by_place(const void *a, const void *b)
{
	const struct unit_test *x = *(struct unit_test *const *)a;
	const struct unit_test *y = *(struct unit_test *const *)b;
	int c = strcmp(x->file, y->file);

	return c ? c : x->line - y->line;
}

struct unit_capture *unit_capture_open(void)
{
	struct unit_capture *c = calloc(1, sizeof(*c));

	if (c)
		c->f = open_memstream(&c->buf, &c->len);
	if (c && !c->f) {
		free(c);
		c = NULL;
	}
	return c;
}

char *unit_capture_close(struct unit_capture *c)
{
	char *buf;

	if (!c)
		return NULL;
	fclose(c->f);
	buf = c->buf;
	free(c);
	return buf;
}

char *unit_slurp(const char *path)
{
	char *buf = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return NULL;
	if (getdelim(&buf, &cap, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/*
 * One test in a child of its own, as kselftest_harness.h runs them: a crash
 * or a hang fails that test alone, and what one test leaves behind (a
 * signal handler, an rlimit, a changed cwd) cannot reach the next. 0 when
 * it passed.
 */
static int run_one(const struct unit_test *t)
{
	int status;
	pid_t pid;

	running = t;
	running_failures = 0;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (!pid) {
		alarm(UNIT_TIMEOUT_S);
		t->fn();
		fflush(stdout);
		fflush(stderr);
		_exit(running_failures ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("waitpid");
			return -1;
		}
	}
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "%s:%d: %s: killed by signal %d (%s)%s\n", t->file, t->line,
			t->name, WTERMSIG(status), strsignal(WTERMSIG(status)),
			WTERMSIG(status) == SIGALRM ? ": over the time a unit test may take" : "");
		return -1;
	}
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct unit_test **all = calloc(ntests + 1, sizeof(*all)), *t;
	unsigned int i = 0, passed = 0, failed = 0;
	const char *filter = argc > 1 ? argv[1] : NULL;

	if (!all) {
		fprintf(stderr, "out of memory\n");
		return 2;
	}
	for (t = tests; t; t = t->next)
		all[i++] = t;
	qsort(all, ntests, sizeof(*all), by_place);
	for (i = 0; i < ntests; i++) {
		if (filter && !strstr(all[i]->name, filter))
			continue;
		if (run_one(all[i])) {
			failed++;
			printf("FAIL %s\n", all[i]->name);
		} else {
			passed++;
			printf("ok   %s\n", all[i]->name);
		}
	}
	free(all);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
