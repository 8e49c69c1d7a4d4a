// SPDX-License-Identifier: GPL-2.0
/*
 * exclusive-offline (thread 003_27842e3df9a709f6.txt, cover letter; fixed
 * by patch 12 "keep mapcount untouched for device-exclusive entries" with
 * 09): a memory block onlined to ZONE_MOVABLE that holds pages with
 * device-exclusive entries must go offline. Before the series, offlining
 * "will loop forever and complain about failed migration of a page that
 * should be movable" (page dumped because: migration failure,
 * refcount:2 mapcount:0).
 *
 * Steps: pages bound to the node of a movable, online memory block (the
 * guest's hotplugged DIMM) are placed, their PFNs read from pagemap, the
 * block holding most of them chosen; they are made exclusive; a thread
 * writes "offline" to the block's state while the kernel's messages are
 * read. offline_pages() retries until a signal stops it; the thread gets
 * one as soon as the kernel's own evidence says it is looping (it reported
 * "migrating pfn P failed" for the same P twice, EO_STUCK_S or more
 * apart: a later pass of the retry loop failed on the same page), or at
 * OFFLINE_DEADLINE_S, a safety net. A fixed kernel offlines the block in
 * about 0.1 s under TCG with no such message; one with the bug repeats a pfn
 * about 5 s in (the messages are ratelimited, 10 every 5 s). A thread, not a child: fork() turns
 * device-exclusive entries back into ordinary PTEs (copy_nonpresent_pte()),
 * which would hide the bug. While an offlined block is still
 * offline, the CPU reads every page back (restoring any device-exclusive
 * entry) and pagemap must show no page still mapping a PFN inside the
 * block: an entry left pointing there would be a mapping of memory the
 * kernel has taken away. Then the block is onlined again (online_movable).
 *
 * Negative control: the pages are pinned instead (FOLL_PIN, not
 * LONGTERM: they stay in the movable zone); offlining a block with pinned
 * pages retries until interrupted, so the same check must say bug.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "lib/dev.h"
#include "lib/knobs.h"
#include "scenarios/excl_util.h"
#include "lib/memutil.h"
#include "lib/numa_sys.h"
#include "lib/pagemap.h"
#include "scenarios/scenarios.h"

#define EO_PAGES		512
#define SEED_DATA		0x81
#define OFFLINE_DEADLINE_S	30
#define EO_STUCK_S		3.0	/* same pfn failing this far apart: looping */
#define EO_SEEN_MAX		64

struct eo_kmsg {
	int fd;
	unsigned int migration_failures;	/* "page dumped because: migration failure" */
	char first[200];			/* first such line, or the offline failure */
	struct { unsigned long pfn; double t; } seen[EO_SEEN_MAX];	/* first failures */
	unsigned int nseen;
	bool stuck;				/* a pfn failed again EO_STUCK_S later */
	unsigned long stuck_pfn;
	double stuck_s;				/* ... this long after its first failure */
};

static void kmsg_start(struct eo_kmsg *k)
{
	memset(k, 0, sizeof(*k));
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd >= 0)
		lseek(k->fd, 0, SEEK_END);
}

/* "migrating pfn P failed ret:E" at usec: has P failed before, long enough ago? */
static void note_failed_pfn(struct eo_kmsg *k, unsigned long pfn, unsigned long long usec)
{
	double t = usec / 1e6;
	unsigned int i;

	for (i = 0; i < k->nseen; i++) {
		if (k->seen[i].pfn != pfn)
			continue;
		if (!k->stuck && t - k->seen[i].t >= EO_STUCK_S) {
			k->stuck = true;
			k->stuck_pfn = pfn;
			k->stuck_s = t - k->seen[i].t;
		}
		return;
	}
	if (k->nseen < EO_SEEN_MAX) {
		k->seen[k->nseen].pfn = pfn;
		k->seen[k->nseen++].t = t;
	}
}

/* Read the kernel's messages so far (non-blocking). */
static void kmsg_poll(struct eo_kmsg *k)
{
	char rec[1024], *msg;
	unsigned long long usec;
	unsigned long pfn;
	ssize_t n;

	if (k->fd < 0)
		return;
	while ((n = read(k->fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = '\0';
		if (sscanf(rec, "%*u,%*u,%llu", &usec) != 1)
			usec = 0;
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		msg[strcspn(msg, "\n")] = '\0';
		if (sscanf(msg, "migrating pfn %lx failed", &pfn) == 1) {
			note_failed_pfn(k, pfn, usec);
		} else if (strstr(msg, "migration failure")) {
			k->migration_failures++;
			if (!k->first[0])
				snprintf(k->first, sizeof(k->first), "%.199s", msg);
		} else if (strstr(msg, "offlining") && strstr(msg, "failed") && !k->first[0]) {
			snprintf(k->first, sizeof(k->first), "%.199s", msg);
		}
	}
}

static void kmsg_collect(struct eo_kmsg *k)
{
	kmsg_poll(k);
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

/* Pages of buf whose PFN lies in memory block nr. */
static size_t pages_in_block(char *buf, size_t npages, size_t psz, long nr)
{
	struct page_info *pi = calloc(npages, sizeof(*pi));
	long long bs = memory_block_size();
	size_t i, n = 0;

	if (!pi || bs <= 0 || pagemap_read(buf, npages, psz, pi)) {
		free(pi);
		return 0;
	}
	for (i = 0; i < npages; i++)
		n += pi[i].pfn && (long)(pi[i].pfn * psz / (unsigned long long)bs) == nr;
	free(pi);
	return n;
}

/* The movable, online block holding most of the pages; -1 if none. */
static long pick_block(char *buf, size_t npages, size_t psz, size_t *in_block)
{
	struct page_info *pi = calloc(npages, sizeof(*pi));
	long long bs = memory_block_size();
	long best = -1, nr;
	size_t i, j, count, best_count = 0;
	char zones[64];
	bool online;
	int node;

	*in_block = 0;
	if (!pi || bs <= 0 || pagemap_read(buf, npages, psz, pi)) {
		free(pi);
		return -1;
	}
	for (i = 0; i < npages; i++) {
		if (!pi[i].pfn)
			continue;
		nr = (long)(pi[i].pfn * psz / (unsigned long long)bs);
		for (count = 0, j = 0; j < npages; j++)
			count += pi[j].pfn && (long)(pi[j].pfn * psz / (unsigned long long)bs) == nr;
		if (count <= best_count || memory_block_state(nr, &online, zones, sizeof(zones), &node) ||
		    !online || !strstr(zones, "Movable"))
			continue;
		best = nr;
		best_count = count;
	}
	free(pi);
	*in_block = best_count;
	return best;
}

struct eo_offline {
	long nr;
	volatile int ret;		/* 1 while running */
};

static void *offline_thread(void *arg)
{
	struct eo_offline *o = arg;

	o->ret = memory_block_set(o->nr, "offline");
	return NULL;
}

static void eo_wake(int sig)
{
	(void)sig;	/* only to interrupt the write: offline_pages() checks signals */
}

/*
 * Offline block nr in a thread, reading the kernel's messages into km
 * meanwhile; 0, -errno, or -ETIMEDOUT when interrupted: at km->stuck, or
 * at the deadline.
 */
static int offline_with_deadline(long nr, struct eo_kmsg *km, double *secs)
{
	struct timespec t0, t1, pause = { 0, 100 * 1000 * 1000 };
	struct eo_offline o = { .nr = nr, .ret = 1 };
	struct sigaction sa = { .sa_handler = eo_wake };
	bool signalled;
	pthread_t th;
	int waited, ret;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = pthread_create(&th, NULL, offline_thread, &o);
	if (ret)
		return -ret;
	for (waited = 0; o.ret == 1 && !km->stuck && waited < OFFLINE_DEADLINE_S * 10; waited++) {
		nanosleep(&pause, NULL);
		kmsg_poll(km);
	}
	signalled = o.ret == 1;
	while (o.ret == 1) {
		pthread_kill(th, SIGUSR1);
		nanosleep(&pause, NULL);
	}
	pthread_join(th, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	return signalled && o.ret == -EINTR ? -ETIMEDOUT : o.ret;
}

static void exclusive_offline_run(struct scenario_ctx *ctx, struct result *res)
{
	size_t psz = ctx->info.page_size, len = EO_PAGES * psz, in_block = 0, intact = 0;
	size_t stale = 0;
	const char *what = excl_what(ctx);
	char zones[64], text[160], state[96], *buf;
	struct excl_states before, offlined;
	struct eo_kmsg km;
	bool online;
	double secs = 0;
	int node, ret, off;
	long nr;

	buf = map_anon_aligned(len, psz);
	if (!buf) {
		result_set(res, VERDICT_ERROR, "cannot map %zu bytes", len);
		return;
	}
	madvise(buf, len, MADV_NOHUGEPAGE);
	/* The hotplugged DIMM is node 1's movable zone, which user pages bound
	 * to node 1 get first. */
	if (numa_nodes_online() > 1)
		mbind_node(buf, len, 1);
	pattern_fill_pages(buf, EO_PAGES, psz, SEED_DATA);
	nr = pick_block(buf, EO_PAGES, psz, &in_block);
	if (nr < 0) {
		result_set(res, VERDICT_SKIP, "none of the pages is in an online ZONE_MOVABLE memory block (boot with a movable hotplugged DIMM: memhp_default_state=online_movable)");
		goto out;
	}
	memory_block_state(nr, &online, zones, sizeof(zones), &node);
	ret = excl_take_or_pin(ctx, buf, EO_PAGES, SEED_DATA);
	if (ret) {
		result_set(res, VERDICT_ERROR, "%s: %s", ctx->control ? "PIN" : "EXCLUSIVE", strerror(-ret));
		goto out;
	}
	excl_snapshot(ctx->devfd, buf, EO_PAGES, &before);
	excl_states_text(&before, text, sizeof(text));
	scen_log(ctx, "memory%ld (node %d, %s) holds %zu of %d %s pages; %s", nr, node, zones, in_block,
		 EO_PAGES, what, text);

	dev_events(ctx->devfd, &(struct mmrepro_events){ 0 }, true);
	/* Killed with the block offline, the runner onlines it again (knobs.h). */
	snprintf(state, sizeof(state), "/sys/devices/system/memory/memory%ld/state", nr);
	knob_undo_write(state, "online_movable");
	kmsg_start(&km);
	off = offline_with_deadline(nr, &km, &secs);
	kmsg_collect(&km);
	scen_log(ctx, "offline memory%ld: %s after %.1f s; kernel: %u 'migration failure' page dumps%s%s",
		 nr, off == -ETIMEDOUT ? "interrupted" : off ? strerror(-off) : "done", secs,
		 km.migration_failures, km.first[0] ? "; first: " : "", km.first);
	excl_log_events(ctx, "after offline");
	if (!off) {
		excl_snapshot(ctx->devfd, buf, EO_PAGES, &offlined);
		excl_states_text(&offlined, text, sizeof(text));
		/* Read back while the block is offline, then look where pages are. */
		intact = pattern_count_pages(buf, EO_PAGES, psz, SEED_DATA);
		stale = pages_in_block(buf, EO_PAGES, psz, nr);
		scen_log(ctx, "with memory%ld offline: %s; after the CPU read them, %zu pages map PFNs inside it",
			 nr, text, stale);
		ret = memory_block_set(nr, "online_movable");
		if (ret)
			scen_log(ctx, "onlining memory%ld again: %s", nr, strerror(-ret));
	}
	knob_forget(state);
	excl_let_go(ctx);
	if (off)
		intact = pattern_count_pages(buf, EO_PAGES, psz, SEED_DATA);

	if (off == -ETIMEDOUT && km.stuck)
		result_set(res, VERDICT_BUG,
			   "offlining memory%ld (ZONE_MOVABLE, %zu of its pages %s) looped: the kernel failed to migrate pfn %#lx again %.1f s after it first failed; interrupted after %.1f s, %u 'migration failure' page dumps",
			   nr, in_block, what, km.stuck_pfn, km.stuck_s, secs, km.migration_failures);
	else if (off == -ETIMEDOUT)
		result_set(res, VERDICT_BUG,
			   "offlining memory%ld (ZONE_MOVABLE, %zu of its pages %s) did not finish in %d s: interrupted; kernel printed %u 'migration failure' page dumps%s%s",
			   nr, in_block, what, OFFLINE_DEADLINE_S, km.migration_failures,
			   km.first[0] ? ": " : "", km.first);
	else if (off)
		result_set(res, VERDICT_BUG, "offlining memory%ld (%zu %s pages in it) failed: %s%s%s",
			   nr, in_block, what, strerror(-off), km.first[0] ? "; kernel: " : "", km.first);
	else if (stale)
		result_set(res, VERDICT_BUG,
			   "memory%ld went offline while %zu of its %zu %s pages still mapped PFNs inside it (entries left on the old pages)",
			   nr, stale, in_block, what);
	else if (excl_judge_intact(res, intact, EO_PAGES, "memory%ld went offline", nr))
		result_set(res, VERDICT_OK,
			   "memory%ld (ZONE_MOVABLE) went offline in %.1f s with %zu %s pages in it, and online again; data intact",
			   nr, secs, in_block, what);
out:
	excl_let_go(ctx);
	munmap(buf, len);
}

SCENARIO(exclusive_offline, "exclusive-offline", EXCL_THREAD,
	 NEED_DEVICE | NEED_GUEST | NEED_EXCLUSIVE, exclusive_offline_run,
	 "a ZONE_MOVABLE memory block holding device-exclusive pages goes offline (before patch 12 offlining looped forever on 'migration failure')",
	 "the pages are pinned instead; offlining a block with pinned pages retries until interrupted, so the same check must say bug", .timeout_s = 120);
