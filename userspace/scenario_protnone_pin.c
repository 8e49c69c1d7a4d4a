// SPDX-License-Identifier: GPL-2.0
/*
 * protnone-pin (thread 000_1874d232a7d1bcda.txt, "mm/gup: reintroduce
 * FOLL_NUMA as FOLL_HONOR_NUMA_FAULT"): GUP on NUMA-hinting PROT_NONE PTEs.
 * With FOLL_HONOR_NUMA_FAULT the pin must take NUMA-hinting faults
 * (numa_hint_faults rises, the PTEs are accessible afterwards); without it
 * the pin must follow the PROT_NONE PTEs without a fault (they stay
 * PROT_NONE). Read-only pins: FOLL_WRITE honours hinting faults anyway.
 *
 * Negative control: the honouring pin's check is applied to a range that
 * was not forced PROT_NONE: no hinting fault can happen, so it must fail.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dev.h"
#include "memutil.h"
#include "scenarios.h"

#define PP_PAGES 32

/* Force (unless skipped), pin with flags, and report faults and PROT_NONE left. */
static int pp_pin(struct scenario_ctx *ctx, char *buf, unsigned int flags, bool force,
		  unsigned long long *faults, size_t *protnone_before, size_t *protnone_after,
		  struct result *res)
{
	struct mmrepro_page_state st[PP_PAGES];
	unsigned long long f0, f1;
	int ret;

	if (force) {
		ret = dev_force_protnone(ctx->devfd, buf, PP_PAGES, NULL);
		if (ret) {
			result_set(res, VERDICT_ERROR, "FORCE_PROTNONE: %s", strerror(-ret));
			return ret;
		}
	}
	if ((ret = dev_snapshot(ctx->devfd, buf, PP_PAGES, st))) {
		result_set(res, VERDICT_ERROR, "SNAPSHOT: %s", strerror(-ret));
		return ret;
	}
	*protnone_before = states_count(st, PP_PAGES, MMREPRO_PS_PROTNONE);
	vmstat_read("numa_hint_faults", &f0);
	ret = dev_pin(ctx->devfd, buf, PP_PAGES, flags);
	vmstat_read("numa_hint_faults", &f1);
	if (ret) {
		result_set(res, VERDICT_ERROR, "PIN: %s", strerror(-ret));
		return ret;
	}
	*faults = f1 - f0;
	ret = dev_snapshot(ctx->devfd, buf, PP_PAGES, st);
	*protnone_after = ret ? 0 : states_count(st, PP_PAGES, MMREPRO_PS_PROTNONE);
	dev_unpin_all(ctx->devfd, NULL);
	return 0;
}

static void protnone_pin_run(struct scenario_ctx *ctx, struct result *res)
{
	size_t psz = ctx->info.page_size, hb, ha, nb, na;
	unsigned long long hf, nf;
	char *buf;

	if (!(ctx->info.caps & MMREPRO_CAP_HONOR_NUMA_FAULT)) {
		result_set(res, VERDICT_SKIP, "no FOLL_HONOR_NUMA_FAULT on this kernel (before 6.6: GUP decides by FOLL_FORCE)");
		return;
	}
	if (!(ctx->info.caps & MMREPRO_CAP_FORCE_PROTNONE)) {
		result_set(res, VERDICT_SKIP, "no way to force NUMA-hinting PROT_NONE on this kernel (INFO protnone_method none)");
		return;
	}
	buf = map_anon_aligned(PP_PAGES * psz, psz);
	if (!buf) {
		result_set(res, VERDICT_ERROR, "cannot map %d pages", PP_PAGES);
		return;
	}
	madvise(buf, PP_PAGES * psz, MADV_NOHUGEPAGE);
	memset(buf, 0x3c, PP_PAGES * psz);

	if (pp_pin(ctx, buf, MMREPRO_PIN_HONOR_NUMA_FAULT, !ctx->control, &hf, &hb, &ha, res))
		goto out;
	scen_log(ctx, "honouring pin: %zu PROT_NONE before, %llu hinting faults, %zu PROT_NONE after", hb, hf, ha);
	if (hb != PP_PAGES || hf < PP_PAGES || ha) {
		result_set(res, VERDICT_BUG,
			   "FOLL_HONOR_NUMA_FAULT pin: %zu of %d PROT_NONE before, %llu hinting faults, %zu still PROT_NONE after (thread 000_1874d232a7d1bcda.txt)",
			   hb, PP_PAGES, hf, ha);
		goto out;
	}
	if (pp_pin(ctx, buf, 0, true, &nf, &nb, &na, res))
		goto out;
	scen_log(ctx, "plain pin: %zu PROT_NONE before, %llu hinting faults, %zu PROT_NONE after", nb, nf, na);
	if (nb != PP_PAGES || nf || na != PP_PAGES) {
		result_set(res, VERDICT_BUG,
			   "pin without FOLL_HONOR_NUMA_FAULT: %zu of %d PROT_NONE before, %llu hinting faults (want 0), %zu PROT_NONE after (thread 000_1874d232a7d1bcda.txt)",
			   nb, PP_PAGES, nf, na);
		goto out;
	}
	result_set(res, VERDICT_OK,
		   "honouring pin took %llu hinting faults and left 0 PROT_NONE; plain pin took 0 and left %zu of %d PROT_NONE",
		   hf, na, PP_PAGES);
out:
	munmap(buf, PP_PAGES * psz);
}

const struct scenario scenario_protnone_pin = {
	.name = "protnone-pin",
	.thread = "000_1874d232a7d1bcda.txt",
	.summary = "pinning NUMA-hinting PROT_NONE PTEs takes hinting faults with FOLL_HONOR_NUMA_FAULT and none without",
	.control = "the honouring pin's check on a range not forced PROT_NONE: it must fail",
	.flags = SCEN_NEEDS_DEVICE,
	.run = protnone_pin_run,
};
