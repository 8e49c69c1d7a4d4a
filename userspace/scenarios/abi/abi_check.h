/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hostile-input table of /dev/mmrepro: every ioctl against every kind of
 * bad input, each row with the errno uapi/linux/mmrepro.h documents. The
 * scenario ioctl-abi runs every row against the loaded module;
 * `mmrepro list --abi` prints the table (docs/hostile-inputs.md is that
 * output, and a unit test keeps the two the same).
 *
 * A row's run() makes the one hostile call (setting up and cleaning up
 * around it) and returns what the call returned: 0 or -errno. A row that
 * checks more than an errno (nothing stays pinned, done counts the pages
 * before a hole, ...) returns ABI_WRONG_STATE, after a scen_log() line
 * saying what was wrong, when the call's errno was right but the rest not.
 */
#ifndef MMREPRO_ABI_CHECK_H
#define MMREPRO_ABI_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/scenario.h"

/* What run() may return besides 0 and -errno. */
#define ABI_SETUP	1	/* the case could not be set up: counted as a failure */
#define ABI_SKIP	2	/* this system lacks what the case needs (not counted) */
#define ABI_WRONG_STATE	3	/* right errno, wrong effect (logged) */

#define ABI_BUF_PAGES	32

/* What the rows share, set up once by ioctl-abi. */
struct abi_env {
	struct scenario_ctx *ctx;
	int fd;
	size_t psz;
	char *buf;	/* ABI_BUF_PAGES pages, read-write, populated */
	char *ro;	/* one read-only page, populated */
	char *none;	/* one PROT_NONE page */
	char *hole;	/* a page-aligned address with nothing mapped */
	char *part;	/* two pages: the first mapped read-write, the second not */
	char *rostruct;	/* one page that rows fill, then make read-only */
	char *big;	/* MMREPRO_MAX_PIN_PAGES pages, read-only, never written, THP-aligned */
	char *shared;	/* one MAP_SHARED anonymous page, populated */
	char *vvar;	/* a VM_IO or VM_PFNMAP mapping (such as [vvar]), or NULL */
};

struct abi_case {
	const char *ioctl;	/* "PIN", ... */
	unsigned long req;	/* MMREPRO_IOC_* (for rows that only need the number) */
	const char *input;	/* the hostile input, in words */
	int want;		/* the errno documented for it, or 0 */
	uint64_t cap;		/* when not 0: without this MMREPRO_CAP_* ... */
	int want_without;	/* ... the errno is this */
	int (*run)(struct abi_env *e, const struct abi_case *c);
};

/* A row's run(), c unused by most. */
#define ABI_RUN(fn) \
	static int fn(struct abi_env *e, const struct abi_case *c __attribute__((unused)))

/* What abi_in_child() runs in the child. */
#define ABI_CHILD(fn) \
	static int fn(struct abi_env *e, const struct abi_case *c __attribute__((unused)), \
		      int fd __attribute__((unused)))

struct abi_table {
	const char *title;
	const struct abi_case *cases;
	size_t n;
};

#define ABI_TABLE(name, t, rows) \
	const struct abi_table name = { t, rows, sizeof(rows) / sizeof(rows[0]) }

/* abi_cases_*.c */
extern const struct abi_table abi_cases_any;		/* every ioctl: pointers, other mm */
extern const struct abi_table abi_cases_range;		/* the range ioctls' arguments */
extern const struct abi_table abi_cases_pin;		/* PIN, UNPIN */
extern const struct abi_table abi_cases_io;		/* DEV_READ, DEV_WRITE */
extern const struct abi_table abi_cases_pgtable;	/* SNAPSHOT, FORCE_PROTNONE */
extern const struct abi_table abi_cases_excl;		/* EXCLUSIVE ... EVENTS */
extern const struct abi_table abi_cases_limits;		/* RLIMIT_MEMLOCK, caps, kills, races */

/* Every table, in the order ioctl-abi runs them. */
extern const struct abi_table *const abi_tables[];
extern const size_t nr_abi_tables;

struct abi_tally {
	struct scenario_ctx *ctx;
	unsigned int checks, failed, skipped;
	char first[160];
};

/* One check: got (0 or -errno, as the dev_* wrappers return) against want (an errno or 0). */
void expect_errno(struct abi_tally *t, const char *what, int got, int want);
/* A failed check that is not an errno comparison. */
void abi_fail(struct abi_tally *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ioctl(2): 0 or -errno. */
int raw_ioctl(int fd, unsigned long req, void *arg);

/* The errno a row wants on this module (want, or want_without without cap). */
int abi_case_want(const struct abi_case *c, uint64_t caps);
/* A row that takes this long is logged with its time. */
#define ABI_SLOW_ROW_S	1.0

/* Run every row of a table, counting into t. */
void abi_run_table(struct abi_tally *t, struct abi_env *e, const struct abi_table *tab);
/* Every table as Markdown: the hostile-input table of the README's docs. */
void abi_write_markdown(FILE *f);

/* For rows: pages this file holds pinned now (INFO), or -1. */
long long abi_pinned_now(struct abi_env *e);
/*
 * Run fn(e, c, fd) in a forked child (another mm) with this file's
 * descriptor fd; returns what fn returned (0 or -errno; ABI_SETUP when the
 * child could not run).
 */
int abi_in_child(struct abi_env *e, const struct abi_case *c, int fd,
		 int (*fn)(struct abi_env *e, const struct abi_case *c, int fd));

#endif /* MMREPRO_ABI_CHECK_H */
