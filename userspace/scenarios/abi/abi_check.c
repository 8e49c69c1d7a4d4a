// SPDX-License-Identifier: GPL-2.0
/* Running and printing the hostile-input table; see abi_check.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenarios/abi/abi_check.h"
#include "lib/clock.h"
#include "lib/dev.h"

const struct abi_table *const abi_tables[] = {
	&abi_cases_any,
	&abi_cases_range,
	&abi_cases_pin,
	&abi_cases_io,
	&abi_cases_pgtable,
	&abi_cases_excl,
	&abi_cases_limits,
};

const size_t nr_abi_tables = sizeof(abi_tables) / sizeof(abi_tables[0]);

static const char *errno_name(int e)
{
	switch (e) {
	case 0: return "0 (success)";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case E2BIG: return "E2BIG";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case ENOSPC: return "ENOSPC";
	case EOVERFLOW: return "EOVERFLOW";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return "?";
	}
}

static const char *cap_name(uint64_t cap)
{
	switch (cap) {
	case MMREPRO_CAP_HONOR_NUMA_FAULT: return "MMREPRO_CAP_HONOR_NUMA_FAULT";
	case MMREPRO_CAP_DEVICE_EXCLUSIVE: return "MMREPRO_CAP_DEVICE_EXCLUSIVE";
	case MMREPRO_CAP_FORCE_PROTNONE: return "MMREPRO_CAP_FORCE_PROTNONE";
	case MMREPRO_CAP_NOTIFIER_EVENTS: return "MMREPRO_CAP_NOTIFIER_EVENTS";
	case MMREPRO_CAP_NUMA_BALANCING: return "MMREPRO_CAP_NUMA_BALANCING";
	default: return "a capability";
	}
}

static const char *got_text(int got, char *buf, size_t len)
{
	switch (got) {
	case 0: return "success";
	case ABI_SETUP: return "set-up failed";
	case ABI_WRONG_STATE: return "right errno, wrong effect (see the log)";
	default:
		snprintf(buf, len, "%s", got < 0 ? strerror(-got) : "?");
		return buf;
	}
}

void abi_fail(struct abi_tally *t, const char *fmt, ...)
{
	char line[sizeof(t->first) * 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	t->checks++;
	t->failed++;
	scen_log(t->ctx, "MISMATCH %s", line);
	if (!t->first[0])
		snprintf(t->first, sizeof(t->first), "%.*s", (int)sizeof(t->first) - 1, line);
}

void expect_errno(struct abi_tally *t, const char *what, int got, int want)
{
	char b1[64];

	if (got == -want) {
		t->checks++;
		return;
	}
	abi_fail(t, "%s: got %s, want %s", what, got_text(got, b1, sizeof(b1)),
		 want ? strerror(want) : "success");
}

int raw_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

int abi_case_want(const struct abi_case *c, uint64_t caps)
{
	return c->cap && !(caps & c->cap) ? c->want_without : c->want;
}

void abi_run_table(struct abi_tally *t, struct abi_env *e, const struct abi_table *tab)
{
	char what[160];
	double t0, secs;
	size_t i;
	int got;

	for (i = 0; i < tab->n; i++) {
		const struct abi_case *c = &tab->cases[i];

		snprintf(what, sizeof(what), "%s %s", c->ioctl, c->input);
		t0 = clock_mono_s();
		got = c->run(e, c);
		secs = clock_mono_s() - t0;
		if (secs >= ABI_SLOW_ROW_S)	/* where the scenario's time goes */
			scen_log(t->ctx, "%.1f s: %s", secs, what);
		if (got == ABI_SKIP) {
			t->skipped++;
			scen_log(t->ctx, "skipped: %s (not on this system)", what);
			continue;
		}
		expect_errno(t, what, got, abi_case_want(c, e->ctx->info.caps));
	}
}

void abi_write_markdown(FILE *f)
{
	size_t i, j;

	fputs("| ioctl | hostile input | errno |\n|---|---|---|\n", f);
	for (i = 0; i < nr_abi_tables; i++) {
		for (j = 0; j < abi_tables[i]->n; j++) {
			const struct abi_case *c = &abi_tables[i]->cases[j];

			fprintf(f, "| %s | %s | %s", c->ioctl, c->input, errno_name(c->want));
			if (c->cap)
				fprintf(f, "; %s without %s", errno_name(c->want_without),
					cap_name(c->cap));
			fputs(" |\n", f);
		}
	}
}

long long abi_pinned_now(struct abi_env *e)
{
	struct mmrepro_info info;

	return dev_info(e->fd, &info) ? -1 : (long long)info.pinned_pages;
}

int abi_in_child(struct abi_env *e, const struct abi_case *c, int fd,
		 int (*fn)(struct abi_env *e, const struct abi_case *c, int fd))
{
	int status, ret;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		ret = fn(e, c, fd);
		/* 0..255 through the exit status: -errno as its absolute value */
		_exit(ret <= 0 ? -ret : 200 + ret);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return ABI_SETUP;
	status = WEXITSTATUS(status);
	return status >= 200 ? status - 200 : -status;
}
