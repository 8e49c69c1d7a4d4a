// SPDX-License-Identifier: GPL-2.0
/*
 * protnone-pin (thread 000_1874d232a7d1bcda.txt, "mm/gup: reintroduce
 * FOLL_NUMA as FOLL_HONOR_NUMA_FAULT"): GUP on NUMA-hinting PROT_NONE PTEs.
 * With FOLL_HONOR_NUMA_FAULT the pin must take NUMA-hinting faults (the
 * PTEs are accessible afterwards; numa_hint_faults is reported); without it
 * the pin must follow the PROT_NONE PTEs without a fault (they stay
 * PROT_NONE, numa_hint_faults does not move). Read-only pins: FOLL_WRITE
 * honours hinting faults anyway.
 *
 * The entries come from the project's kernel patch or from the kernel's
 * own NUMA-balancing scanner (protnone_method.h); "protnone-pin-scanner"
 * uses the scanner on a patched kernel too.
 *
 * Before 6.6 (no FOLL_HONOR_NUMA_FAULT) there is no flag to ask with: GUP
 * honours NUMA-hinting faults unless FOLL_FORCE (FOLL_NUMA; after
 * 474098edac26 gup_can_follow_protnone() returning FOLL_FORCE), which is
 * what the thread restores as the default and what KVM depends on
 * ("removing the pte_protnone()/pmd_protnone() handling in GUP code
 * completely is not really an option"). There the scenario checks that a
 * driver's pin (no FOLL_FORCE) takes the hinting faults: a pin that
 * follows the PROT_NONE entries without them is the bug.
 *
 * Negative control: the honouring pin's check is applied to a range that
 * was not made PROT_NONE: no hinting fault can happen, so it must fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/dev.h"
#include "lib/memutil.h"
#include "scenarios/protnone_method.h"
#include "scenarios/scenarios.h"

#define PP_PAGES 32

struct pp_pin_evidence {
	unsigned long long faults;	/* numa_hint_faults delta over the pin */
	size_t before, after;		/* PROT_NONE entries before / after the pin */
};

/* Make PROT_NONE (unless skipped), pin with flags, report faults and PROT_NONE left. */
static int pp_pin(struct scenario_ctx *ctx, char *buf, unsigned int flags, enum pn_method m,
		  bool make, struct pp_pin_evidence *ev, struct result *res)
{
	struct mmrepro_page_state st[PP_PAGES];
	unsigned long long f0, f1;
	struct pn_outcome pn;
	char how[160];
	int ret;

	if (make) {
		ret = pn_make_protnone(ctx, m, buf, PP_PAGES, &pn);
		pn_describe(m, &pn, how, sizeof(how));
		scen_log(ctx, "%s", how);
		if (ret) {
			result_set(res, VERDICT_ERROR, "making PROT_NONE (%s): %s", pn_method_name(m),
				   strerror(-ret));
			return ret;
		}
		if (m == PN_METHOD_SCANNER && pn.protnone != PP_PAGES) {
			result_set(res, VERDICT_SKIP, "the NUMA-balancing scanner did not reach the range: %s", how);
			return -EAGAIN;
		}
	}
	if ((ret = dev_snapshot(ctx->devfd, buf, PP_PAGES, st))) {
		result_set(res, VERDICT_ERROR, "SNAPSHOT: %s", strerror(-ret));
		return ret;
	}
	ev->before = states_count(st, PP_PAGES, MMREPRO_PS_PROTNONE);
	vmstat_read("numa_hint_faults", &f0);
	ret = dev_pin(ctx->devfd, buf, PP_PAGES, flags);
	vmstat_read("numa_hint_faults", &f1);
	if (ret) {
		result_set(res, VERDICT_ERROR, "PIN: %s", strerror(-ret));
		return ret;
	}
	ev->faults = f1 - f0;
	ret = dev_snapshot(ctx->devfd, buf, PP_PAGES, st);
	ev->after = ret ? 0 : states_count(st, PP_PAGES, MMREPRO_PS_PROTNONE);
	dev_unpin_all(ctx->devfd, NULL);
	return 0;
}

/*
 * A pin that must honour the hinting fault of every PROT_NONE entry; false
 * with a bug set. GUP can only make a PROT_NONE entry accessible by faulting
 * it in, so "none left PROT_NONE" is the evidence; numa_hint_faults is
 * reported but not required: whether the fault path counts its faults is
 * thread 002's question (protnone-fault), not this thread's.
 */
static bool pp_honoured(const struct pp_pin_evidence *ev, const char *what, struct result *res)
{
	if (ev->before == PP_PAGES && !ev->after)
		return true;
	result_set(res, VERDICT_BUG,
		   "%s: %zu of %d PROT_NONE before, %llu hinting faults, %zu still PROT_NONE after",
		   what, ev->before, PP_PAGES, ev->faults, ev->after);
	return false;
}

static void protnone_pin_run(struct scenario_ctx *ctx, struct result *res)
{
	bool scanner = *(const bool *)ctx->variant;
	size_t psz = ctx->info.page_size;
	struct pp_pin_evidence h, p;
	bool honor = ctx->info.caps & MMREPRO_CAP_HONOR_NUMA_FAULT;
	enum pn_method m;
	char why[200];
	char *buf;

	m = pn_method_pick(&ctx->info, scanner, "protnone-pin", why, sizeof(why));
	if (m == PN_METHOD_NONE) {
		result_set(res, VERDICT_SKIP, "no way to make NUMA-hinting PROT_NONE entries: %s", why);
		return;
	}
	scen_log(ctx, "PROT_NONE by %s (%s)", pn_method_name(m), why);
	buf = map_anon_aligned(PP_PAGES * psz, psz);
	if (!buf) {
		result_set(res, VERDICT_ERROR, "cannot map %d pages", PP_PAGES);
		return;
	}
	madvise(buf, PP_PAGES * psz, MADV_NOHUGEPAGE);
	memset(buf, 0x3c, PP_PAGES * psz);

	if (!honor) {
		/* Before FOLL_HONOR_NUMA_FAULT: every pin without FOLL_FORCE honours. */
		if (pp_pin(ctx, buf, 0, m, !ctx->control, &h, res))
			goto out;
		scen_log(ctx, "pin (no FOLL_FORCE): %zu PROT_NONE before, %llu hinting faults, %zu PROT_NONE after",
			 h.before, h.faults, h.after);
		if (!pp_honoured(&h, "pin without FOLL_FORCE on a kernel before FOLL_HONOR_NUMA_FAULT (GUP must honour NUMA hinting there)", res))
			goto out;
		result_set(res, VERDICT_OK,
			   "no FOLL_HONOR_NUMA_FAULT here: a pin without FOLL_FORCE took %llu hinting faults and left 0 of %d PROT_NONE, as GUP honoured them before 6.6 (entries by %s)",
			   h.faults, PP_PAGES, pn_method_name(m));
		goto out;
	}
	if (pp_pin(ctx, buf, MMREPRO_PIN_HONOR_NUMA_FAULT, m, !ctx->control, &h, res))
		goto out;
	scen_log(ctx, "honouring pin: %zu PROT_NONE before, %llu hinting faults, %zu PROT_NONE after",
		 h.before, h.faults, h.after);
	if (!pp_honoured(&h, "FOLL_HONOR_NUMA_FAULT pin", res))
		goto out;
	if (pp_pin(ctx, buf, 0, m, true, &p, res))
		goto out;
	scen_log(ctx, "plain pin: %zu PROT_NONE before, %llu hinting faults, %zu PROT_NONE after",
		 p.before, p.faults, p.after);
	if (p.before != PP_PAGES || p.faults || p.after != PP_PAGES) {
		result_set(res, VERDICT_BUG,
			   "pin without FOLL_HONOR_NUMA_FAULT: %zu of %d PROT_NONE before, %llu hinting faults (want 0), %zu PROT_NONE after",
			   p.before, PP_PAGES, p.faults, p.after);
		goto out;
	}
	result_set(res, VERDICT_OK,
		   "honouring pin took %llu hinting faults and left 0 PROT_NONE; plain pin took 0 and left %zu of %d PROT_NONE (entries by %s)",
		   h.faults, p.after, PP_PAGES, pn_method_name(m));
out:
	pn_restore(ctx);
	munmap(buf, PP_PAGES * psz);
}

/* .variant: use the scanner even where the patch exists. */
static const bool pp_best, pp_scanner = true;

#define PP_CONTROL "the honouring pin's check on a range not made PROT_NONE: it must fail"

SCENARIO(protnone_pin, "protnone-pin", "000_1874d232a7d1bcda.txt",
	 NEED_DEVICE | NEED_GUEST, protnone_pin_run,
	 "pinning NUMA-hinting PROT_NONE PTEs takes hinting faults with FOLL_HONOR_NUMA_FAULT and none without (before 6.6: takes them, no FOLL_FORCE)",
	 PP_CONTROL, .variant = &pp_best);

SCENARIO(protnone_pin_scanner, "protnone-pin-scanner", "000_1874d232a7d1bcda.txt",
	 NEED_DEVICE | NEED_GUEST, protnone_pin_run,
	 PN_SCANNER_SUMMARY("protnone-pin"),
	 PP_CONTROL, .variant = &pp_scanner);
