// SPDX-License-Identifier: GPL-2.0
/*
 * fork-pin (thread 001_48dee553a5526d60.txt, "mm: Break COW for pinned
 * pages during fork()"): a page pinned with FOLL_PIN|FOLL_LONGTERM before
 * fork() must stay the parent's page. Before that series, the parent's
 * first write after fork() broke COW the wrong way: the parent got a fresh
 * copy and the pinned page - the one the device DMAs to - went on as the
 * child's.
 *
 * Steps: pin N pages WRITE|LONGTERM; fork; the parent writes first (the
 * order that broke), then the child; the device reads the pages
 * (DEV_READ) and must see the parent's data; the device writes
 * (DEV_WRITE) and the parent, not the child, must see it.
 *
 * Negative control: instead of fork, the parent drops the pinned pages
 * from its page tables (MADV_DONTNEED) and writes fresh ones. The device
 * keeps the old pages, so the same check must report that the device view
 * left the parent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/fdio.h"
#include "lib/dev.h"
#include "scenarios/fork_pin.h"
#include "lib/memutil.h"
#include "scenarios/scenarios.h"

#define SEED_INITIAL	0x11
#define SEED_PARENT	0x22
#define SEED_CHILD	0x33
#define SEED_DEVICE	0x44

#define FORK_PIN_4K_PAGES	64

void fork_pin_judge(const struct fork_pin_evidence *ev, const char *what, struct result *res)
{
	size_t n = ev->npages;

	if (ev->dev_parent == n && ev->parent_sees_dev == n && !ev->child_sees_dev) {
		result_set(res, VERDICT_OK,
			   "%s: device view is the parent's on %zu of %zu pinned pages; parent sees %zu of %zu device writes, child %zu",
			   what, ev->dev_parent, n, ev->parent_sees_dev, n, ev->child_sees_dev);
		return;
	}
	result_set(res, VERDICT_BUG,
		   "%s: device view left the parent on %zu of %zu pinned pages (%zu follow the child); parent sees %zu of %zu device writes, child %zu",
		   what, n - ev->dev_parent, n, ev->dev_child, ev->parent_sees_dev, n,
		   ev->child_sees_dev);
}

/*
 * The child's side: wait for the parent's first write, write the child's
 * pattern, report, wait for the device write, report what it sees, exit.
 */
static void __attribute__((noreturn))
fork_pin_child(char *buf, size_t npages, size_t psz, int rfd, int wfd)
{
	size_t counts[2];
	char go;

	if (fd_read_full(rfd, &go, 1))
		_exit(2);
	pattern_fill_pages(buf, npages, psz, SEED_CHILD);
	counts[0] = pattern_count_pages(buf, npages, psz, SEED_CHILD);
	if (fd_write_full(wfd, &counts[0], sizeof(counts[0])))
		_exit(2);
	if (fd_read_full(rfd, &go, 1))
		_exit(2);
	counts[1] = pattern_count_pages(buf, npages, psz, SEED_DEVICE);
	if (fd_write_full(wfd, &counts[1], sizeof(counts[1])))
		_exit(2);
	_exit(0);
}

/* Read the device view and compare with the parent's and child's seeds. */
static int device_view(struct scenario_ctx *ctx, char *buf, char *scratch, size_t npages,
		       size_t psz, struct fork_pin_evidence *ev, struct result *res)
{
	int ret = dev_read(ctx->devfd, buf, scratch, npages * psz);

	if (ret) {
		result_set(res, VERDICT_ERROR, "DEV_READ failed: %s", strerror(-ret));
		return ret;
	}
	ev->dev_parent = pattern_count_pages(scratch, npages, psz, SEED_PARENT);
	ev->dev_child = pattern_count_pages(scratch, npages, psz, SEED_CHILD);
	return 0;
}

static int device_write(struct scenario_ctx *ctx, char *buf, char *scratch, size_t npages,
			size_t psz, struct result *res)
{
	int ret;

	pattern_fill_pages(scratch, npages, psz, SEED_DEVICE);
	ret = dev_write(ctx->devfd, buf, scratch, npages * psz);
	if (ret)
		result_set(res, VERDICT_ERROR, "DEV_WRITE failed: %s", strerror(-ret));
	return ret;
}

/* The negative control: the parent's pages are replaced, no fork. */
static void fork_pin_control(struct scenario_ctx *ctx, char *buf, char *scratch,
			     size_t npages, size_t psz, const char *what, struct result *res)
{
	struct fork_pin_evidence ev = { .npages = npages };

	if (madvise(buf, npages * psz, MADV_DONTNEED)) {
		result_set(res, VERDICT_ERROR, "MADV_DONTNEED: %s", strerror(errno));
		return;
	}
	pattern_fill_pages(buf, npages, psz, SEED_PARENT);
	scen_log(ctx, "control: pinned pages dropped with MADV_DONTNEED, parent wrote fresh ones");
	if (device_view(ctx, buf, scratch, npages, psz, &ev, res))
		return;
	if (device_write(ctx, buf, scratch, npages, psz, res))
		return;
	ev.parent_sees_dev = pattern_count_pages(buf, npages, psz, SEED_DEVICE);
	fork_pin_judge(&ev, what, res);
}

static void fork_pin_fork(struct scenario_ctx *ctx, char *buf, char *scratch, size_t npages,
			  size_t psz, const char *what, bool thp, struct result *res)
{
	struct fork_pin_evidence ev = { .npages = npages };
	int to_child[2], to_parent[2], status;
	size_t child_own, child_dev;
	pid_t pid;

	if (pipe2(to_child, O_CLOEXEC)) {
		result_set(res, VERDICT_ERROR, "pipe: %s", strerror(errno));
		return;
	}
	if (pipe2(to_parent, O_CLOEXEC)) {
		result_set(res, VERDICT_ERROR, "pipe: %s", strerror(errno));
		close(to_child[0]);
		close(to_child[1]);
		return;
	}
	fflush(ctx->log);
	pid = fork();
	if (pid < 0) {
		result_set(res, VERDICT_ERROR, "fork: %s", strerror(errno));
		close(to_child[0]);
		close(to_child[1]);
		close(to_parent[0]);
		close(to_parent[1]);
		return;
	}
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		fork_pin_child(buf, npages, psz, to_child[0], to_parent[1]);
	}
	close(to_child[0]);
	close(to_parent[1]);

	/* The parent writes first: the order in which COW used to go wrong. */
	pattern_fill_pages(buf, npages, psz, SEED_PARENT);
	if (thp)
		scen_log(ctx, "after fork: parent AnonHugePages %ld kB", smaps_field_kb(buf, "AnonHugePages"));
	if (fd_write_full(to_child[1], "w", 1) || fd_read_full(to_parent[0], &child_own, sizeof(child_own))) {
		result_set(res, VERDICT_ERROR, "child did not answer after writing");
		goto out;
	}
	scen_log(ctx, "child wrote its pattern and reads it back on %zu of %zu pages", child_own, npages);
	if (device_view(ctx, buf, scratch, npages, psz, &ev, res))
		goto out;
	if (device_write(ctx, buf, scratch, npages, psz, res))
		goto out;
	ev.parent_sees_dev = pattern_count_pages(buf, npages, psz, SEED_DEVICE);
	if (fd_write_full(to_child[1], "r", 1) || fd_read_full(to_parent[0], &child_dev, sizeof(child_dev))) {
		result_set(res, VERDICT_ERROR, "child did not answer after the device write");
		goto out;
	}
	ev.child_sees_dev = child_dev;
	fork_pin_judge(&ev, what, res);
out:
	close(to_child[1]);
	close(to_parent[0]);
	if (waitpid(pid, &status, 0) == pid && !(WIFEXITED(status) && !WEXITSTATUS(status)) &&
	    res->verdict == VERDICT_OK)
		result_set(res, VERDICT_ERROR, "child process failed (status 0x%x)", status);
}

static void fork_pin_run(struct scenario_ctx *ctx, struct result *res)
{
	bool thp = *(const bool *)ctx->variant;
	size_t psz = ctx->info.page_size ? ctx->info.page_size : (size_t)sysconf(_SC_PAGESIZE);
	size_t npages = thp ? SZ_2M / psz : FORK_PIN_4K_PAGES;
	const char *what = thp ? "THP" : "4 KiB";
	size_t len = npages * psz;
	struct pin_balance pb;
	char *buf, *scratch;
	char mode[32];
	long kb;
	int ret;

	/* NEED_THP: the runner checked that THP is there and not [never]. */
	if (thp && sysfs_mode("/sys/kernel/mm/transparent_hugepage/enabled", mode, sizeof(mode)))
		snprintf(mode, sizeof(mode), "?");

	buf = map_anon_aligned(len, thp ? SZ_2M : psz);
	scratch = malloc(len);
	if (!buf || !scratch) {
		result_set(res, VERDICT_ERROR, "cannot allocate %zu bytes", len);
		goto out;
	}
	if (madvise(buf, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE)) {
		result_set(res, VERDICT_ERROR, "madvise(%s): %s",
			   thp ? "MADV_HUGEPAGE" : "MADV_NOHUGEPAGE", strerror(errno));
		goto out;
	}
	pattern_fill_pages(buf, npages, psz, SEED_INITIAL);
	kb = smaps_field_kb(buf, "AnonHugePages");
	scen_log(ctx, "%zu pages at %p, AnonHugePages %ld kB before pinning", npages, (void *)buf, kb);
	if (thp && kb < (long)(SZ_2M >> 10)) {
		result_set(res, VERDICT_SKIP,
			   "range is not THP-backed after MADV_HUGEPAGE (AnonHugePages %ld kB, THP mode [%s]): no free huge page?",
			   kb, mode);
		goto out;
	}

	pin_balance_start(&pb);
	ret = dev_pin(ctx->devfd, buf, npages, MMREPRO_PIN_WRITE | MMREPRO_PIN_LONGTERM);
	if (ret) {
		result_set(res, VERDICT_ERROR, "PIN WRITE|LONGTERM of %zu pages failed: %s", npages, strerror(-ret));
		goto out;
	}
	scen_log(ctx, "pinned %zu pages WRITE|LONGTERM", npages);

	if (ctx->control)
		fork_pin_control(ctx, buf, scratch, npages, psz, what, res);
	else
		fork_pin_fork(ctx, buf, scratch, npages, psz, what, thp, res);

	dev_release_checked(ctx, &pb, res);
out:
	if (buf)
		unmap_anon_aligned(buf, len);
	free(scratch);
}

/* .variant: THP-backed or 4 KiB pages. */
static const bool fork_pin_small, fork_pin_huge = true;

#define FORK_PIN_CONTROL \
	"the pinned pages are dropped from the parent with MADV_DONTNEED and rewritten; the same check must say the device view left the parent"

SCENARIO(fork_pin, "fork-pin", "001_48dee553a5526d60.txt",
	 NEED_DEVICE, fork_pin_run,
	 "pages pinned WRITE|LONGTERM before fork() stay the parent's: the device sees the parent's writes, the parent sees the device's (4 KiB pages)",
	 FORK_PIN_CONTROL, .variant = &fork_pin_small);

SCENARIO(fork_pin_thp, "fork-pin-thp", "001_48dee553a5526d60.txt",
	 NEED_DEVICE | NEED_THP, fork_pin_run,
	 "as fork-pin, on a THP-backed range (shown THP-backed in smaps before pinning; fork splits the PMD)",
	 FORK_PIN_CONTROL, .variant = &fork_pin_huge);
