// SPDX-License-Identifier: GPL-2.0
/* The unit test runner: see unit.h. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		running = all[i];
		running_failures = 0;
		fflush(stdout);
		all[i]->fn();
		fflush(stdout);
		if (running_failures) {
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
