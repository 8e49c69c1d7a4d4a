// SPDX-License-Identifier: GPL-2.0
/*
 * protnone-fault (thread 002_0abdb91a76a97e3f.txt, review of "arch fault on
 * access"): PTEs made NUMA-hinting PROT_NONE (MMREPRO_IOC_FORCE_PROTNONE,
 * the state change_prot_numa() leaves) must send the next CPU access
 * through the NUMA-hinting fault path (do_numa_page / do_huge_pmd_numa_page)
 * and leave the data intact: for 4 KiB pages, for a PMD-mapped THP, and for
 * pages the device holds pinned (whose data the device must still see).
 *
 * Evidence: SNAPSHOT shows every page PROT_NONE before the access and none
 * after; /proc/vmstat numa_hint_faults rises (by at least one per 4 KiB
 * page, one per THP); every page reads back what was written before and
 * takes the new write; for pinned pages DEV_READ sees the CPU's write.
 *
 * Negative control: the range is NOT forced PROT_NONE; the same check must
 * say that the access did not go through the hinting fault path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dev.h"
#include "memutil.h"
#include "scenarios.h"

#define SEED_BEFORE	0x61
#define SEED_AFTER	0x62

enum pf_kind { PF_4K, PF_THP, PF_PINNED };

struct pf_evidence {
	size_t npages;
	size_t protnone_before;		/* PROT_NONE entries before the access */
	size_t protnone_after;		/* ... after it */
	unsigned long long faults;	/* numa_hint_faults delta */
	size_t intact;			/* pages that read back the old data */
	size_t written;			/* pages that show the new write */
	size_t device_sees;		/* pinned only: DEV_READ sees the new write */
};

static void pf_judge(const struct pf_evidence *ev, const char *what, bool pinned,
		     unsigned long long min_faults, struct result *res)
{
	size_t n = ev->npages;

	if (ev->protnone_before != n || ev->faults < min_faults || ev->protnone_after) {
		result_set(res, VERDICT_BUG,
			   "%s: access did not go through the NUMA-hinting fault path: %zu of %zu PROT_NONE before, %llu hinting faults (want >= %llu), %zu PROT_NONE after (thread 002_0abdb91a76a97e3f.txt)",
			   what, ev->protnone_before, n, ev->faults, min_faults, ev->protnone_after);
		return;
	}
	if (ev->intact != n || ev->written != n || (pinned && ev->device_sees != n)) {
		result_set(res, VERDICT_BUG,
			   "%s: data not intact across the NUMA-hinting fault: %zu of %zu read back, %zu of %zu took the write%s (thread 002_0abdb91a76a97e3f.txt)",
			   what, ev->intact, n, ev->written, n,
			   pinned ? ", device view checked too" : "");
		return;
	}
	result_set(res, VERDICT_OK,
		   "%s: %zu of %zu PROT_NONE, %llu NUMA-hinting faults on access, none PROT_NONE after, data intact%s",
		   what, n, n, ev->faults, pinned ? ", device sees the CPU's writes" : "");
}

static void pf_run(struct scenario_ctx *ctx, struct result *res, enum pf_kind kind)
{
	size_t psz = ctx->info.page_size, npages = kind == PF_THP ? SZ_2M / psz : 64;
	const char *what = kind == PF_THP ? "THP" : kind == PF_PINNED ? "4 KiB pinned" : "4 KiB";
	struct mmrepro_page_state *st = NULL;
	struct pf_evidence ev = { .npages = npages };
	unsigned long long f0, f1;
	size_t len = npages * psz, i;
	uint64_t changed = 0;
	char *buf, *scratch = NULL;
	char mode[32];
	int ret;

	if (!(ctx->info.caps & MMREPRO_CAP_FORCE_PROTNONE)) {
		result_set(res, VERDICT_SKIP,
			   "no way to force NUMA-hinting PROT_NONE on this kernel (INFO protnone_method none: change_prot_numa_force() comes with the project's kernel patch, tests/kernel/patches; lanes src-6.12 and src-7.2 carry it)");
		return;
	}
	if (kind == PF_THP && !(ctx->info.caps & MMREPRO_CAP_FORCE_PROTNONE_PMD)) {
		result_set(res, VERDICT_SKIP, "FORCE_PROTNONE cannot change PMD-mapped THPs on this kernel");
		return;
	}
	if (kind == PF_THP && (sysfs_mode("/sys/kernel/mm/transparent_hugepage/enabled", mode, sizeof(mode)) ||
			       !strcmp(mode, "never"))) {
		result_set(res, VERDICT_SKIP, "THP unavailable or [never]");
		return;
	}
	if (vmstat_read("numa_hint_faults", &f0)) {
		result_set(res, VERDICT_SKIP, "no numa_hint_faults in /proc/vmstat (CONFIG_NUMA_BALANCING off)");
		return;
	}
	buf = map_anon_aligned(len, kind == PF_THP ? SZ_2M : psz);
	st = calloc(npages, sizeof(*st));
	scratch = malloc(len);
	if (!buf || !st || !scratch) {
		result_set(res, VERDICT_ERROR, "cannot allocate %zu bytes", len);
		goto out;
	}
	madvise(buf, len, kind == PF_THP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	for (i = 0; i < npages; i++)
		pattern_fill(buf + i * psz, psz, SEED_BEFORE, i);
	if (kind == PF_THP && smaps_field_kb(buf, "AnonHugePages") < (long)(SZ_2M >> 10)) {
		result_set(res, VERDICT_SKIP, "range not THP-backed after MADV_HUGEPAGE (AnonHugePages %ld kB)",
			   smaps_field_kb(buf, "AnonHugePages"));
		goto out;
	}
	if (kind == PF_PINNED) {
		ret = dev_pin(ctx->devfd, buf, npages, MMREPRO_PIN_WRITE | MMREPRO_PIN_LONGTERM);
		if (ret) {
			result_set(res, VERDICT_ERROR, "PIN: %s", strerror(-ret));
			goto out;
		}
	}
	if (!ctx->control) {
		ret = dev_force_protnone(ctx->devfd, buf, npages, &changed);
		if (ret) {
			result_set(res, VERDICT_ERROR, "FORCE_PROTNONE: %s", strerror(-ret));
			goto out;
		}
	}
	ret = dev_snapshot(ctx->devfd, buf, npages, st);
	if (ret) {
		result_set(res, VERDICT_ERROR, "SNAPSHOT: %s", strerror(-ret));
		goto out;
	}
	ev.protnone_before = states_count(st, npages, MMREPRO_PS_PROTNONE);
	scen_log(ctx, "%s: FORCE_PROTNONE changed %llu pages; SNAPSHOT: %zu present, %zu PROT_NONE, %zu PMD-mapped, %zu maybe-pinned, node of page 0: %d",
		 what, (unsigned long long)changed, states_count(st, npages, MMREPRO_PS_PRESENT),
		 ev.protnone_before, states_count(st, npages, MMREPRO_PS_PMD),
		 states_count(st, npages, MMREPRO_PS_MAYBE_PINNED), st[0].nid);

	vmstat_read("numa_hint_faults", &f0);
	for (i = 0; i < npages; i++)
		ev.intact += pattern_is(buf + i * psz, psz, SEED_BEFORE, i);
	for (i = 0; i < npages; i++)
		pattern_fill(buf + i * psz, psz, SEED_AFTER, i);
	vmstat_read("numa_hint_faults", &f1);
	ev.faults = f1 - f0;
	for (i = 0; i < npages; i++)
		ev.written += pattern_is(buf + i * psz, psz, SEED_AFTER, i);
	if (!dev_snapshot(ctx->devfd, buf, npages, st))
		ev.protnone_after = states_count(st, npages, MMREPRO_PS_PROTNONE);
	if (kind == PF_PINNED) {
		ret = dev_read(ctx->devfd, buf, scratch, len);
		for (i = 0; !ret && i < npages; i++)
			ev.device_sees += pattern_is(scratch + i * psz, psz, SEED_AFTER, i);
		dev_unpin_all(ctx->devfd, NULL);
	}
	scen_log(ctx, "%s: numa_hint_faults +%llu; after access %zu PROT_NONE, node of page 0: %d",
		 what, ev.faults, ev.protnone_after, st[0].nid);
	pf_judge(&ev, what, kind == PF_PINNED, kind == PF_THP ? 1 : npages, res);
out:
	if (buf)
		munmap(buf, len);
	free(st);
	free(scratch);
}

static void pf_4k(struct scenario_ctx *ctx, struct result *res)
{
	pf_run(ctx, res, PF_4K);
}

static void pf_thp(struct scenario_ctx *ctx, struct result *res)
{
	pf_run(ctx, res, PF_THP);
}

static void pf_pinned(struct scenario_ctx *ctx, struct result *res)
{
	pf_run(ctx, res, PF_PINNED);
}

#define PF_CONTROL "the range is not forced PROT_NONE; the same check must say the access missed the hinting fault path"

const struct scenario scenario_protnone_fault = {
	.name = "protnone-fault",
	.thread = "002_0abdb91a76a97e3f.txt",
	.summary = "CPU access to NUMA-hinting PROT_NONE 4 KiB PTEs takes do_numa_page (numa_hint_faults, SNAPSHOT) and keeps the data",
	.control = PF_CONTROL,
	.flags = SCEN_NEEDS_DEVICE,
	.run = pf_4k,
};

const struct scenario scenario_protnone_fault_thp = {
	.name = "protnone-fault-thp",
	.thread = "002_0abdb91a76a97e3f.txt",
	.summary = "as protnone-fault, on a PMD-mapped THP (do_huge_pmd_numa_page)",
	.control = PF_CONTROL,
	.flags = SCEN_NEEDS_DEVICE,
	.run = pf_thp,
};

const struct scenario scenario_protnone_fault_pinned = {
	.name = "protnone-fault-pinned",
	.thread = "002_0abdb91a76a97e3f.txt",
	.summary = "as protnone-fault, on pages the device holds pinned: the device still sees the CPU's writes",
	.control = PF_CONTROL,
	.flags = SCEN_NEEDS_DEVICE,
	.run = pf_pinned,
};
