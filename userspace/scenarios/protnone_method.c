// SPDX-License-Identifier: GPL-2.0
/* NUMA-hinting PROT_NONE entries by patch or by the kernel's scanner; see protnone_method.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "lib/clock.h"
#include "lib/dev.h"
#include "lib/knobs.h"
#include "lib/memutil.h"
#include "lib/numa_sys.h"
#include "scenarios/protnone_method.h"

/* The scanner's pace while a scenario waits for it (boot values: 1000, 1000, 60000, 256). */
static const struct {
	const char *knob;
	unsigned long value;
} pn_fast[] = {
	{ "scan_delay_ms", 0 },		/* new VMAs and mms are scanned at once */
	{ "scan_period_min_ms", 10 },
	{ "scan_period_max_ms", 100 },
	{ "scan_size_mb", 16 },		/* task_scan_min()'s floor: 1000 / (2560 / 16) ms */
};

const char *pn_method_name(enum pn_method m)
{
	switch (m) {
	case PN_METHOD_PATCH:
		return "patch";
	case PN_METHOD_SCANNER:
		return "scanner";
	default:
		return "none";
	}
}

bool pn_scanner_available(const struct mmrepro_info *info, char *why, size_t len)
{
	unsigned long long v;
	int nodes;

	if (!(info->caps & MMREPRO_CAP_NUMA_BALANCING)) {
		snprintf(why, len, "no NUMA balancing on this kernel (CONFIG_NUMA_BALANCING off)");
		return false;
	}
	nodes = numa_nodes_online();
	if (nodes < 2) {
		snprintf(why, len, "NUMA balancing needs two online nodes, this machine has %d", nodes);
		return false;
	}
	if (access(PN_SYSCTL, W_OK)) {
		snprintf(why, len, "cannot write %s: %s (run as root)", PN_SYSCTL, strerror(errno));
		return false;
	}
	if (vmstat_read("numa_hint_faults", &v)) {
		snprintf(why, len, "no numa_hint_faults in /proc/vmstat");
		return false;
	}
	snprintf(why, len, "kernel.numa_balancing scanner on %d nodes%s", nodes,
		 access(PN_DEBUGFS, W_OK) ? " (no " PN_DEBUGFS ": at its boot pace)" : "");
	return true;
}

enum pn_method pn_method_best(const struct mmrepro_info *info, char *why, size_t len)
{
	char scan_why[160];

	if (info->caps & MMREPRO_CAP_FORCE_PROTNONE) {
		snprintf(why, len, "change_prot_numa_force() from the project's kernel patch");
		return PN_METHOD_PATCH;
	}
	if (pn_scanner_available(info, scan_why, sizeof(scan_why))) {
		snprintf(why, len, "%s", scan_why);
		return PN_METHOD_SCANNER;
	}
	snprintf(why, len, "no change_prot_numa_force() (kernel without the project's patch) and %s",
		 scan_why);
	return PN_METHOD_NONE;
}

enum pn_method pn_method_pick(const struct mmrepro_info *info, bool scanner_variant,
			      const char *base_name, char *why, size_t len)
{
	char scan_why[160];

	if (!scanner_variant)
		return pn_method_best(info, why, len);
	if (!(info->caps & MMREPRO_CAP_FORCE_PROTNONE)) {
		snprintf(why, len, "the scanner is this kernel's only method (no change_prot_numa_force()): %s uses it",
			 base_name);
		return PN_METHOD_NONE;
	}
	if (!pn_scanner_available(info, scan_why, sizeof(scan_why))) {
		snprintf(why, len, "%s", scan_why);
		return PN_METHOD_NONE;
	}
	snprintf(why, len, "%s", scan_why);
	return PN_METHOD_SCANNER;
}

static long long mono_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run on the CPU for ms of this thread's CPU time: the scanner is paced by it. */
static void burn_cpu_ms(long long ms)
{
	long long end = mono_ms(CLOCK_THREAD_CPUTIME_ID) + ms;

	while (mono_ms(CLOCK_THREAD_CPUTIME_ID) < end)
		;
}

/* Fault in the stack the measurement will use, after the scanner may have hit it. */
static void __attribute__((noinline)) touch_stack(void)
{
	volatile char area[64 << 10];
	size_t i;

	for (i = 0; i < sizeof(area); i += 256)
		area[i] = (char)i;
}

/*
 * The thread that drives the scanner: task_tick_numa() queues a scan only
 * for a task that has been on the CPU for numa_scan_period since its last
 * one, and a thread created after the pace knobs are set starts with the
 * new scan_delay_ms (0) as that period. The scenario's own thread was
 * forked by the runner with the boot value (1000 ms of CPU time); it only
 * polls. The thread also keeps mm_users above one (see the header).
 */
static void *scan_driver(void *arg)
{
	atomic_bool *stop = arg;

	while (!atomic_load_explicit(stop, memory_order_relaxed))
		burn_cpu_ms(5);
	return NULL;
}

/*
 * The mm's gate: task_numa_work() scans no earlier than mm->numa_next_scan,
 * which the fork that made this process set scan_delay_ms (1000) ahead.
 * init_numa_balancing() sets it again, with the pace now set (0), when a
 * single-threaded task forks; a vfork() child that exits at once does that
 * without copying or write-protecting a page table. With other threads
 * nothing changes, and the scan comes after the old delay as before.
 */
static void __attribute__((noinline)) pn_open_mm_gate(void)
{
	pid_t pid = vfork();

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static int pn_count(struct scenario_ctx *ctx, void *buf, size_t npages,
		    struct mmrepro_page_state *st, size_t *protnone)
{
	int ret = dev_snapshot(ctx->devfd, buf, npages, st);

	*protnone = ret ? 0 : states_count(st, npages, MMREPRO_PS_PROTNONE);
	return ret;
}

/*
 * Empty every CPU's LRU caches of these pages: a page still in one holds an
 * extra reference, and up to 6.1 change_prot_numa() skips a page whose
 * count is not 1 ("shared copy-on-write"), so a few freshly faulted pages
 * could stay accessible for the whole wait (59 of 64 after 30 s once on
 * debian-12). move_pages(2) of the pages to the nodes they are on moves
 * nothing and drains those caches on every CPU first (lru_cache_disable()).
 */
static void pn_drain_lru_caches(void *buf, size_t npages, size_t psz)
{
	void **pages = calloc(npages, sizeof(*pages));
	int *nodes = calloc(npages, sizeof(*nodes));
	int *status = calloc(npages, sizeof(*status));
	size_t i, n = 0;

	if (!pages || !nodes || !status)
		goto out;
	for (i = 0; i < npages; i++)
		pages[i] = (char *)buf + i * psz;
	if (move_pages_self(npages, pages, NULL, status))
		goto out;
	for (i = 0; i < npages; i++) {
		if (status[i] < 0)
			continue;	/* not present: nothing to drain */
		pages[n] = pages[i];
		nodes[n++] = status[i];
	}
	if (n)
		move_pages_self(n, pages, nodes, status);
out:
	free(pages);
	free(nodes);
	free(status);
}

static int pn_scan(struct scenario_ctx *ctx, void *buf, size_t npages, struct pn_outcome *out)
{
	struct mmrepro_page_state *st = calloc(npages, sizeof(*st));
	unsigned long long u0 = 0, u1 = 0;
	long long start, deadline;
	atomic_bool stop = false;
	pthread_t driver;
	bool driver_up = false;
	int ret;
	char path[160];
	size_t i;

	if (!st)
		return -ENOMEM;
	ret = knob_set(PN_SYSCTL, "1");
	if (ret) {
		scen_log(ctx, "scanner: writing 1 to %s: %s", PN_SYSCTL, strerror(-ret));
		goto out;
	}
	out->knobs = !access(PN_DEBUGFS, W_OK);
	for (i = 0; out->knobs && i < sizeof(pn_fast) / sizeof(pn_fast[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", PN_DEBUGFS, pn_fast[i].knob);
		ret = knob_set_ulong(path, pn_fast[i].value);
		if (ret) {
			scen_log(ctx, "scanner: writing %lu to %s: %s", pn_fast[i].value, path,
				 strerror(-ret));
			goto out;
		}
	}
	pn_drain_lru_caches(buf, npages, ctx->info.page_size);
	vmstat_read("numa_pte_updates", &u0);
	start = mono_ms(CLOCK_MONOTONIC);
	deadline = start + PN_SCAN_WAIT_MS;
	/* Both after the knobs: they take scan_delay_ms as it is now. */
	pn_open_mm_gate();
	if (!pthread_create(&driver, NULL, scan_driver, &stop))
		driver_up = true;
	else
		scen_log(ctx, "scanner: no driver thread: pages on this CPU's node stay accessible");
	for (;;) {
		ret = pn_count(ctx, buf, npages, st, &out->protnone);
		if (ret || out->protnone == npages || mono_ms(CLOCK_MONOTONIC) >= deadline)
			break;
		if (driver_up)
			sleep_ms(10);
		else
			burn_cpu_ms(20);
	}
	out->waited_ms = mono_ms(CLOCK_MONOTONIC) - start;
	vmstat_read("numa_pte_updates", &u1);
	out->pte_updates = u1 - u0;
	/* Stop the scanner before measuring; pn_restore() restores the boot value. */
	knob_set(PN_SYSCTL, "0");
	if (driver_up) {
		atomic_store(&stop, true);
		pthread_join(driver, NULL);
	}
	touch_stack();
	if (!ret)
		ret = pn_count(ctx, buf, npages, st, &out->protnone);
out:
	free(st);
	return ret;
}

int pn_make_protnone(struct scenario_ctx *ctx, enum pn_method m, void *buf, size_t npages,
		     struct pn_outcome *out)
{
	struct mmrepro_page_state *st;
	int ret;

	memset(out, 0, sizeof(*out));
	out->npages = npages;
	switch (m) {
	case PN_METHOD_PATCH:
		ret = dev_force_protnone(ctx->devfd, buf, npages, &out->changed);
		if (ret)
			return ret;
		st = calloc(npages, sizeof(*st));
		if (!st)
			return -ENOMEM;
		ret = pn_count(ctx, buf, npages, st, &out->protnone);
		free(st);
		return ret;
	case PN_METHOD_SCANNER:
		return pn_scan(ctx, buf, npages, out);
	default:
		return -EOPNOTSUPP;
	}
}

void pn_describe(enum pn_method m, const struct pn_outcome *o, char *buf, size_t len)
{
	if (m == PN_METHOD_PATCH)
		snprintf(buf, len, "patch: FORCE_PROTNONE changed %llu, %zu of %zu PROT_NONE",
			 (unsigned long long)o->changed, o->protnone, o->npages);
	else
		snprintf(buf, len, "scanner: %zu of %zu PROT_NONE after %lld ms, numa_pte_updates +%llu%s",
			 o->protnone, o->npages, o->waited_ms, o->pte_updates,
			 o->knobs ? "" : ", at the boot pace");
}

void pn_restore(struct scenario_ctx *ctx)
{
	char report[512];
	int n = knob_restore_all(report, sizeof(report));

	if (n > 0)
		scen_log(ctx, "scanner: restored %s", report);
	else if (n < 0)
		scen_log(ctx, "scanner: restoring failed (%s): %s", strerror(-n), report);
}
