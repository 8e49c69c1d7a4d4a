// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-abi: every row of the hostile-input table (abi_check.h, printed by
 * `mmrepro list --abi`, kept in docs/hostile-inputs.md) against the loaded
 * module: every ioctl with bad pointers, unwritable outputs, calls from
 * another mm, bad alignment, zero, exactly-maximum and oversized counts,
 * ranges that wrap, unmapped, partly mapped, PROT_NONE, read-only, shared and
 * VM_IO/VM_PFNMAP ranges, unknown flags, non-zero padding, I/O on pages not
 * held, writes through read-only pins, the limits on pins (RLIMIT_MEMLOCK,
 * MMREPRO_MAX_HELD_PAGES), calls killed midway and raced from two threads;
 * and the FOLL_PIN counters balancing afterwards.
 *
 * Negative control: one valid PIN is checked as if it had to fail with
 * EINVAL; the same comparison (expect_errno(), then the pin counters and
 * the verdict) must report it. The control runs that row alone: the
 * table's rows are the scenario's, and running them again showed nothing
 * about the control and took as long as the scenario (17 s under KASAN).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "scenarios/abi/abi_check.h"
#include "lib/dev.h"
#include "lib/memutil.h"
#include "scenarios/scenarios.h"

/*
 * A mapping of this process that GUP must refuse: VM_IO or VM_PFNMAP
 * ("io" or "pf" in smaps' VmFlags), such as [vvar] on most kernels; NULL
 * when there is none (7.3's [vvar] is neither).
 */
static char *find_io_mapping(void)
{
	unsigned long start = 0, lo, hi;
	char line[512], *at = NULL;
	FILE *f = fopen("/proc/self/smaps", "re");

	if (!f)
		return NULL;
	while (!at && fgets(line, sizeof(line), f)) {
		/* a header line; sscanf() would also take "FilePmdMapped" as 0xf */
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			start = lo;
			continue;
		}
		if (strncmp(line, "VmFlags:", 8))
			continue;
		if (strstr(line, " io") || strstr(line, " pf"))
			at = (char *)start;
	}
	fclose(f);
	return at;
}

static void *map(size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Everything the rows share. The holes are punched last: no mapping made
 * after them is a single page that could fill one.
 */
static int env_setup(struct abi_env *e, struct scenario_ctx *ctx)
{
	size_t psz = ctx->info.page_size;
	char *holes;

	memset(e, 0, sizeof(*e));
	e->ctx = ctx;
	e->fd = ctx->devfd;
	e->psz = psz;
	e->buf = map_anon_aligned(ABI_BUF_PAGES * psz, psz);
	e->ro = map(psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE);
	e->none = map(psz, PROT_NONE, MAP_PRIVATE);
	e->rostruct = map(psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE);
	e->shared = map(psz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE);
	/*
	 * THP-aligned and MADV_HUGEPAGE, as the cap rows' area: where THP is
	 * on, the read faults of the rows that pin it map the huge zero page,
	 * one fault per 2 MiB instead of one per page (the first PIN of it
	 * took 5-6.5 s of faults under TCG on the source lanes).
	 */
	e->big = map_anon_aligned_prot(MMREPRO_MAX_PIN_PAGES * psz, SZ_2M, PROT_READ,
				       MAP_NORESERVE);
	if (e->big)
		madvise(e->big, MMREPRO_MAX_PIN_PAGES * psz, MADV_HUGEPAGE);
	holes = map(4 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE);
	if (!e->buf || !e->ro || !e->none || !e->rostruct || !e->shared || !e->big || !holes)
		return -1;
	memset(e->buf, 0x5a, ABI_BUF_PAGES * psz);
	if (mprotect(e->ro, psz, PROT_READ))
		return -1;
	e->vvar = find_io_mapping();
	/* [page][hole][page][hole]: part is the first two, hole the last */
	e->part = holes;
	e->hole = holes + 3 * psz;
	if (munmap(holes + psz, psz) || munmap(e->hole, psz))
		return -1;
	return 0;
}

static void env_teardown(struct abi_env *e)
{
	size_t psz = e->psz;

	dev_release(e->fd, NULL, 0, NULL);
	dev_unpin_all(e->fd, NULL);
	if (e->buf)
		munmap(e->buf, ABI_BUF_PAGES * psz);
	if (e->part) {
		munmap(e->part, psz);
		munmap(e->part + 2 * psz, psz);
	}
	if (e->ro)
		munmap(e->ro, psz);
	if (e->none)
		munmap(e->none, psz);
	if (e->rostruct)
		munmap(e->rostruct, psz);
	if (e->shared)
		munmap(e->shared, psz);
	if (e->big)
		munmap(e->big, MMREPRO_MAX_PIN_PAGES * psz);
}

static void ioctl_abi_run(struct scenario_ctx *ctx, struct result *res)
{
	struct abi_tally t = { .ctx = ctx };
	long long d_acq = 0, d_rel = 0;
	struct pin_balance pb;
	struct abi_env e;
	size_t i;

	if (env_setup(&e, ctx)) {
		result_set(res, VERDICT_ERROR, "cannot set up the mappings of the hostile inputs: %s",
			   strerror(errno));
		env_teardown(&e);
		return;
	}
	pin_balance_start(&pb);
	for (i = 0; !ctx->control && i < nr_abi_tables; i++)
		abi_run_table(&t, &e, abi_tables[i]);
	if (ctx->control)	/* a valid PIN, checked as if it had to fail */
		expect_errno(&t, "control: valid PIN checked as invalid",
			     dev_pin(ctx->devfd, e.buf + 10 * e.psz, 1, 0), EINVAL);
	env_teardown(&e);
	if (!pin_balance_check(&pb, &d_acq, &d_rel))
		abi_fail(&t, "pin counters: acquired +%lld, released +%lld", d_acq, d_rel);

	if (t.failed)
		result_set(res, VERDICT_BUG,
			   "mmrepro ABI: %u of %u hostile-input checks failed; first: %s",
			   t.failed, t.checks, t.first);
	else
		result_set(res, VERDICT_OK,
			   "mmrepro ABI: all %u hostile-input checks as documented (%u not on this system); pins balance (+%lld/+%lld)",
			   t.checks, t.skipped, d_acq, d_rel);
}

SCENARIO(ioctl_abi, "ioctl-abi", NULL,
	 NEED_DEVICE, ioctl_abi_run,
	 "every row of the hostile-input table (docs/hostile-inputs.md): each ioctl refuses bad input with the errno uapi/linux/mmrepro.h documents, pins are bounded and charged, killed and raced calls leave nothing behind, and pins balance",
	 "a valid PIN (alone, without the table) is checked as if it had to fail with EINVAL; the comparison must report it");
