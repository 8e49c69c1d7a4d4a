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
 * The entries come from the project's kernel patch (FORCE_PROTNONE) where
 * the kernel has it, else from the kernel's own NUMA-balancing scanner
 * (protnone_method.h); the "-scanner" variants use the scanner on a patched
 * kernel too, so both methods are compared on one kernel. The scanner never
 * makes maybe-pinned pages of private mappings PROT_NONE, so the pinned case
 * pins after the scan, with a read-only pin that follows PROT_NONE without a
 * fault (6.6 on); where no pin can (before 6.6 GUP honours hinting faults
 * unless FOLL_FORCE), it pins a shared (shmem) mapping first, which the
 * scanner does make PROT_NONE when its policy asks for balancing
 * (MPOL_F_NUMA_BALANCING), and says so in its reason.
 *
 * Negative control: the range is NOT made PROT_NONE; the same check must
 * say that the access did not go through the hinting fault path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/dev.h"
#include "lib/memutil.h"
#include "lib/numa_sys.h"
#include "scenarios/protnone_method.h"
#include "scenarios/scenarios.h"

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
		     unsigned long long min_faults, const char *method, struct result *res)
{
	size_t n = ev->npages;

	if (ev->protnone_before != n || ev->faults < min_faults || ev->protnone_after) {
		result_set(res, VERDICT_BUG,
			   "%s: access did not go through the NUMA-hinting fault path: %zu of %zu PROT_NONE before, %llu hinting faults (want >= %llu), %zu PROT_NONE after",
			   what, ev->protnone_before, n, ev->faults, min_faults, ev->protnone_after);
		return;
	}
	if (ev->intact != n || ev->written != n || (pinned && ev->device_sees != n)) {
		result_set(res, VERDICT_BUG,
			   "%s: data not intact across the NUMA-hinting fault: %zu of %zu read back, %zu of %zu took the write%s",
			   what, ev->intact, n, ev->written, n,
			   pinned ? ", device view checked too" : "");
		return;
	}
	result_set(res, VERDICT_OK,
		   "%s: %zu of %zu PROT_NONE (by %s), %llu NUMA-hinting faults on access, none PROT_NONE after, data intact%s",
		   what, n, n, method, ev->faults, pinned ? ", device sees the CPU's writes" : "");
}

struct pf_variant {
	enum pf_kind kind;
	bool scanner;	/* the scanner even where the patch exists */
	const char *base;
};

/*
 * Pinned pages: the pin the method allows (see the top of the file). The
 * pin after the scan is read-only and not FOLL_LONGTERM: a long-term pin
 * may migrate a page out of ZONE_MOVABLE first, and the new page's PTE is
 * not PROT_NONE.
 */
static unsigned int pf_pin_flags(const struct scenario_ctx *ctx, enum pn_method m, bool *after)
{
	*after = m == PN_METHOD_SCANNER && (ctx->info.caps & MMREPRO_CAP_HONOR_NUMA_FAULT);
	return *after ? 0 : MMREPRO_PIN_WRITE | MMREPRO_PIN_LONGTERM;
}

/* Shared memory the scanner balances, for pins it must not skip; NULL on error. */
static char *pf_map_shared(size_t len, struct result *res)
{
	char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int ret;

	if (buf == MAP_FAILED) {
		result_set(res, VERDICT_ERROR, "mmap(MAP_SHARED) of %zu bytes: %s", len, strerror(errno));
		return NULL;
	}
	ret = mbind_balanced(buf, len, numa_nodes_online());
	if (ret) {
		result_set(res, VERDICT_SKIP, "mbind(MPOL_BIND | MPOL_F_NUMA_BALANCING): %s: no policy lets the scanner reach pinned shared pages",
			   strerror(-ret));
		munmap(buf, len);
		return NULL;
	}
	return buf;
}

static void pf_run(struct scenario_ctx *ctx, struct result *res)
{
	const struct pf_variant *v = ctx->variant;
	enum pf_kind kind = v->kind;
	size_t psz = ctx->info.page_size, npages = kind == PF_THP ? SZ_2M / psz : 64;
	const char *what = kind == PF_THP ? "THP" : kind == PF_PINNED ? "4 KiB pinned" : "4 KiB";
	struct mmrepro_page_state *st = NULL;
	struct pf_evidence ev = { .npages = npages };
	struct pn_outcome pn = { .npages = npages };
	unsigned long long f0, f1;
	size_t len = npages * psz, i;
	char *buf = NULL, *scratch = NULL;
	char why[200], how[160];
	unsigned int pin_flags = 0;
	bool pinned = kind == PF_PINNED, pin_after = false, shared = false;
	enum pn_method m;
	int ret;

	m = pn_method_pick(&ctx->info, v->scanner, v->base, why, sizeof(why));
	if (m == PN_METHOD_NONE) {
		result_set(res, VERDICT_SKIP, "no way to make NUMA-hinting PROT_NONE entries: %s", why);
		return;
	}
	if (kind == PF_THP && m == PN_METHOD_PATCH && !(ctx->info.caps & MMREPRO_CAP_FORCE_PROTNONE_PMD)) {
		result_set(res, VERDICT_SKIP, "FORCE_PROTNONE cannot change PMD-mapped THPs on this kernel");
		return;
	}
	scen_log(ctx, "%s: PROT_NONE by %s (%s)", what, pn_method_name(m), why);
	if (pinned)
		pin_flags = pf_pin_flags(ctx, m, &pin_after);
	shared = pinned && !pin_after && m == PN_METHOD_SCANNER;
	if (shared) {
		what = "4 KiB pinned shmem";
		buf = pf_map_shared(len, res);
		if (!buf)
			goto out;
	} else {
		buf = map_anon_aligned(len, kind == PF_THP ? SZ_2M : psz);
	}
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
	if (pinned && !pin_after) {
		ret = dev_pin(ctx->devfd, buf, npages, pin_flags);
		if (ret) {
			result_set(res, VERDICT_ERROR, "PIN: %s", strerror(-ret));
			goto out;
		}
	}
	if (!ctx->control) {
		ret = pn_make_protnone(ctx, m, buf, npages, &pn);
		pn_describe(m, &pn, how, sizeof(how));
		scen_log(ctx, "%s: %s", what, how);
		if (ret) {
			result_set(res, VERDICT_ERROR, "%s: %s", m == PN_METHOD_PATCH ? "FORCE_PROTNONE" :
				   "NUMA-balancing scanner", strerror(-ret));
			goto out;
		}
		if (m == PN_METHOD_SCANNER && pn.protnone != npages) {
			result_set(res, VERDICT_SKIP, "the NUMA-balancing scanner did not reach the range: %s", how);
			goto out;
		}
	}
	if (pinned && pin_after) {
		ret = dev_pin(ctx->devfd, buf, npages, pin_flags);
		if (ret) {
			result_set(res, VERDICT_ERROR, "PIN (read-only, short-term, after the scan): %s", strerror(-ret));
			goto out;
		}
	}
	ret = dev_snapshot(ctx->devfd, buf, npages, st);
	if (ret) {
		result_set(res, VERDICT_ERROR, "SNAPSHOT: %s", strerror(-ret));
		goto out;
	}
	ev.protnone_before = states_count(st, npages, MMREPRO_PS_PROTNONE);
	/*
	 * The pin after the scan must leave the entries alone (a pin without
	 * FOLL_HONOR_NUMA_FAULT follows PROT_NONE). If it faulted them in,
	 * that is thread 000's misbehaviour (protnone-pin's to judge), and this
	 * scenario has nothing to look at.
	 */
	if (pin_after && !ctx->control && ev.protnone_before != npages) {
		result_set(res, VERDICT_SKIP,
			   "set-up failed: the read-only pin without FOLL_HONOR_NUMA_FAULT left %zu of %zu entries PROT_NONE (it must follow them without a fault: thread 000, see protnone-pin)",
			   ev.protnone_before, npages);
		goto out;
	}
	scen_log(ctx, "%s: SNAPSHOT: %zu present, %zu PROT_NONE, %zu PMD-mapped, %zu maybe-pinned, node of page 0: %d",
		 what, states_count(st, npages, MMREPRO_PS_PRESENT),
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
	}
	scen_log(ctx, "%s: numa_hint_faults +%llu; after access %zu PROT_NONE, node of page 0: %d",
		 what, ev.faults, ev.protnone_after, st[0].nid);
	snprintf(how, sizeof(how), "%s%s", m == PN_METHOD_PATCH ? "the patch" : "the NUMA-balancing scanner",
		 pin_after ? ", read-only short-term pin after it" :
		 shared ? ", shared memory pinned before it: no FOLL_HONOR_NUMA_FAULT here" : "");
	pf_judge(&ev, what, kind == PF_PINNED, kind == PF_THP ? 1 : npages, how, res);
out:
	if (pinned)
		dev_unpin_all(ctx->devfd, NULL);
	pn_restore(ctx);
	if (buf)
		munmap(buf, len);
	free(st);
	free(scratch);
}

static const struct pf_variant pf_4k = { PF_4K, false, "protnone-fault" };
static const struct pf_variant pf_thp = { PF_THP, false, "protnone-fault-thp" };
static const struct pf_variant pf_pinned = { PF_PINNED, false, "protnone-fault-pinned" };
static const struct pf_variant pf_4k_scanner = { PF_4K, true, "protnone-fault" };
static const struct pf_variant pf_thp_scanner = { PF_THP, true, "protnone-fault-thp" };
static const struct pf_variant pf_pinned_scanner = { PF_PINNED, true, "protnone-fault-pinned" };

#define PF_THREAD "002_0abdb91a76a97e3f.txt"
#define PF_CONTROL "the range is not made PROT_NONE; the same check must say the access missed the hinting fault path"

SCENARIO(protnone_fault, "protnone-fault", PF_THREAD,
	 NEED_DEVICE | NEED_GUEST | NEED_NUMA_BALANCING, pf_run,
	 "CPU access to NUMA-hinting PROT_NONE 4 KiB PTEs takes do_numa_page (numa_hint_faults, SNAPSHOT) and keeps the data",
	 PF_CONTROL, .variant = &pf_4k);

SCENARIO(protnone_fault_thp, "protnone-fault-thp", PF_THREAD,
	 NEED_DEVICE | NEED_GUEST | NEED_NUMA_BALANCING | NEED_THP, pf_run,
	 "as protnone-fault, on a PMD-mapped THP (do_huge_pmd_numa_page)",
	 PF_CONTROL, .variant = &pf_thp);

SCENARIO(protnone_fault_pinned, "protnone-fault-pinned", PF_THREAD,
	 NEED_DEVICE | NEED_GUEST | NEED_NUMA_BALANCING, pf_run,
	 "as protnone-fault, on pages the device holds pinned: the device still sees the CPU's writes",
	 PF_CONTROL, .variant = &pf_pinned);

SCENARIO(protnone_fault_scanner, "protnone-fault-scanner", PF_THREAD,
	 NEED_DEVICE | NEED_GUEST | NEED_NUMA_BALANCING, pf_run,
	 PN_SCANNER_SUMMARY("protnone-fault"),
	 PF_CONTROL, .variant = &pf_4k_scanner);

SCENARIO(protnone_fault_thp_scanner, "protnone-fault-thp-scanner", PF_THREAD,
	 NEED_DEVICE | NEED_GUEST | NEED_NUMA_BALANCING | NEED_THP, pf_run,
	 PN_SCANNER_SUMMARY("protnone-fault-thp"),
	 PF_CONTROL, .variant = &pf_thp_scanner);

SCENARIO(protnone_fault_pinned_scanner, "protnone-fault-pinned-scanner", PF_THREAD,
	 NEED_DEVICE | NEED_GUEST | NEED_NUMA_BALANCING, pf_run,
	 PN_SCANNER_SUMMARY("protnone-fault-pinned"),
	 PF_CONTROL, .variant = &pf_pinned_scanner);
