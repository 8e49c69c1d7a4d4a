/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the device-exclusive scenarios (thread 003) share: the skip when the
 * kernel has no device-exclusive API, taking pages exclusive with the
 * device's view checked, and the evidence (SNAPSHOT tallies, notifier
 * events).
 */
#ifndef MMREPRO_EXCL_UTIL_H
#define MMREPRO_EXCL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/scenario.h"

#define EXCL_THREAD "003_27842e3df9a709f6.txt"

/* What SNAPSHOT says of a range, page by page, tallied. */
struct excl_states {
	size_t npages;
	size_t exclusive;	/* device-exclusive entries */
	size_t present;		/* mapped (PROT_NONE included) */
	size_t swap;		/* swap entries */
	size_t migration;	/* migration entries */
	size_t other;		/* other non-present entries */
	int nid0;		/* node of the first present page, or -1 */
};

/* SNAPSHOT npages at buf through devfd and tally them; 0 or -errno. */
int excl_snapshot(int devfd, const void *buf, size_t npages, struct excl_states *st);
/* "64 exclusive, 0 present, 0 swap, 0 migration, node 0" */
void excl_states_text(const struct excl_states *st, char *buf, size_t len);

/*
 * EXCLUSIVE on npages pages at buf, retrying the rest up to three times on
 * EBUSY (the kernel may race, thread 003's cover letter). *done: pages made
 * exclusive; *view_ok: pages whose device view shows pattern seed. 0 or
 * the last -errno.
 */
int excl_take(struct scenario_ctx *ctx, char *buf, size_t npages, uint8_t seed,
	      uint64_t *done, size_t *view_ok);

/*
 * The pages of a scenario whose negative control uses pinned pages (which
 * reclaim, migration and offline cannot move): pinned (FOLL_PIN, writable)
 * when ctx->control, else taken exclusive with excl_take(). 0 or -errno;
 * excl_what() names the case for verdicts: "pinned (control)" or
 * "device-exclusive".
 */
int excl_take_or_pin(struct scenario_ctx *ctx, char *buf, size_t npages, uint8_t seed);
const char *excl_what(const struct scenario_ctx *ctx);

/* The device lets go of everything: RELEASE of all exclusive holds, UNPIN all. */
void excl_let_go(struct scenario_ctx *ctx);

/*
 * The last check of a device-exclusive scenario: did the CPU read back all
 * npages intact? True if so; else a bug verdict "<fmt...>, but only I of N
 * pages read back intact" and false.
 */
bool excl_judge_intact(struct result *res, size_t intact, size_t npages, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Log the notifier's event counts (EVENTS), prefixed with when. */
void excl_log_events(struct scenario_ctx *ctx, const char *when);

#endif /* MMREPRO_EXCL_UTIL_H */
