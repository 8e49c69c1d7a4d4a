// SPDX-License-Identifier: GPL-2.0
/*
 * exclusive-fork (thread 003_27842e3df9a709f6.txt; patch 05 "detect
 * writability in restore_exclusive_pte()", whose log says that fork()
 * first turns device-exclusive entries back into ordinary PTEs): fork
 * while pages are device-exclusive; the child must read the parent's data
 * and its writes must stay its own; the parent must keep its data; the
 * device's hold must be gone (fork write-protects the parent's range, an
 * invalidation).
 *
 * Negative control: a MAP_SHARED anonymous region (which cannot be made
 * exclusive) goes through the same fork; the child's writes are the
 * parent's too, so the same check must say bug.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/dev.h"
#include "scenarios/excl_util.h"
#include "lib/memutil.h"
#include "scenarios/scenarios.h"

#define EF_PAGES	64
#define SEED_PARENT	0xa1
#define SEED_CHILD	0xa2

static void exclusive_fork_run(struct scenario_ctx *ctx, struct result *res)
{
	size_t psz = ctx->info.page_size, len = EF_PAGES * psz, view_ok = 0, parent_ok, child_ok;
	struct excl_states st;
	uint64_t done = 0, held = 0;
	char text[160], *buf;
	int status, ret;
	pid_t pid;

	if (ctx->control)
		buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	else
		buf = map_anon_aligned(len, psz);
	if (!buf || buf == MAP_FAILED) {
		result_set(res, VERDICT_ERROR, "cannot map %zu bytes", len);
		return;
	}
	madvise(buf, len, MADV_NOHUGEPAGE);
	pattern_fill_pages(buf, EF_PAGES, psz, SEED_PARENT);
	if (!ctx->control) {
		ret = excl_take(ctx, buf, EF_PAGES, SEED_PARENT, &done, &view_ok);
		if (ret) {
			result_set(res, VERDICT_ERROR, "EXCLUSIVE: %s", strerror(-ret));
			goto out;
		}
	}
	fflush(ctx->log);
	pid = fork();
	if (pid < 0) {
		result_set(res, VERDICT_ERROR, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		/* Exit status: pages that read the parent's data (at most 64). */
		size_t seen = pattern_count_pages(buf, EF_PAGES, psz, SEED_PARENT);

		pattern_fill_pages(buf, EF_PAGES, psz, SEED_CHILD);
		_exit(pattern_count_pages(buf, EF_PAGES, psz, SEED_CHILD) == EF_PAGES ? (int)seen : 255);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) == 255) {
		result_set(res, VERDICT_ERROR, "the child did not finish its reads and writes");
		goto out;
	}
	child_ok = WEXITSTATUS(status);
	excl_snapshot(ctx->devfd, buf, EF_PAGES, &st);
	dev_check_exclusive(ctx->devfd, buf, EF_PAGES, &held);
	parent_ok = pattern_count_pages(buf, EF_PAGES, psz, SEED_PARENT);
	excl_states_text(&st, text, sizeof(text));
	scen_log(ctx, "%s: after fork: %s; device holds %llu; child read the parent's data on %zu of %d pages; parent kept its data on %zu",
		 ctx->control ? "MAP_SHARED (control)" : "device-exclusive", text,
		 (unsigned long long)held, child_ok, EF_PAGES, parent_ok);
	excl_log_events(ctx, "after fork");
	if (child_ok != EF_PAGES || parent_ok != EF_PAGES)
		result_set(res, VERDICT_BUG,
			   "fork with %s pages: the child read the parent's data on %zu of %d pages; the parent kept its data on %zu of %d after the child wrote",
			   ctx->control ? "MAP_SHARED (control)" : "device-exclusive", child_ok, EF_PAGES,
			   parent_ok, EF_PAGES);
	else if (held || st.exclusive)
		result_set(res, VERDICT_BUG,
			   "fork left %zu device-exclusive entries in the parent and the device holding %llu pages",
			   st.exclusive, (unsigned long long)held);
	else
		result_set(res, VERDICT_OK,
			   "fork with %d device-exclusive pages: the child read the parent's data on all and its writes stayed its own; the parent kept its data; the device's hold was dropped",
			   EF_PAGES);
out:
	dev_release(ctx->devfd, NULL, 0, NULL);
	munmap(buf, len);
}

SCENARIO(exclusive_fork, "exclusive-fork", EXCL_THREAD,
	 NEED_DEVICE | NEED_EXCLUSIVE, exclusive_fork_run,
	 "fork with device-exclusive pages: the child reads the parent's data, its writes stay its own, the parent keeps its data",
	 "a MAP_SHARED region goes through the same fork: the child's writes are the parent's too, so the same check must say bug");
