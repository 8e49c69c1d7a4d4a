// SPDX-License-Identifier: GPL-2.0
/* Hostile inputs of SNAPSHOT and FORCE_PROTNONE (see abi_check.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "scenarios/abi/abi_check.h"
#include "lib/dev.h"

static int snap(struct abi_env *e, uint64_t addr, uint64_t npages, uint64_t states,
		uint32_t flags, uint32_t pad)
{
	struct mmrepro_snapshot arg = {
		.addr = addr, .npages = npages, .states = states, .flags = flags, .pad = pad,
	};

	return raw_ioctl(e->fd, MMREPRO_IOC_SNAPSHOT, &arg);
}

static struct mmrepro_page_state st[2];

ABI_RUN(snap_max)
{
	struct mmrepro_page_state *all = calloc(MMREPRO_MAX_PIN_PAGES, sizeof(*all));
	int ret;

	if (!all)
		return ABI_SETUP;
	ret = snap(e, (uintptr_t)e->big, MMREPRO_MAX_PIN_PAGES, (uintptr_t)all, 0, 0);
	free(all);
	return ret;
}

ABI_RUN(snap_null_states)
{
	return snap(e, (uintptr_t)e->buf, 1, 0, 0, 0);
}

ABI_RUN(snap_ro_states)
{
	return snap(e, (uintptr_t)e->buf, 1, (uintptr_t)e->ro, 0, 0);
}

/* The mapped page is described, the hole after it says MMREPRO_PS_NO_VMA. */
ABI_RUN(snap_part)
{
	int ret = snap(e, (uintptr_t)e->part, 2, (uintptr_t)st, 0, 0);

	if (!ret && (!(st[1].flags & MMREPRO_PS_NO_VMA) || (st[0].flags & MMREPRO_PS_NO_VMA))) {
		scen_log(e->ctx, "SNAPSHOT of a page and a hole: flags 0x%x, 0x%x", st[0].flags,
			 st[1].flags);
		return ABI_WRONG_STATE;
	}
	return ret;
}

ABI_RUN(snap_prot_none)
{
	return snap(e, (uintptr_t)e->none, 1, (uintptr_t)st, 0, 0);
}

ABI_RUN(snap_vvar)
{
	return e->vvar ? snap(e, (uintptr_t)e->vvar, 1, (uintptr_t)st, 0, 0) : ABI_SKIP;
}

static int pn(struct abi_env *e, uint64_t addr, uint64_t npages, uint32_t flags, uint32_t pad)
{
	struct mmrepro_protnone arg = { .addr = addr, .npages = npages, .flags = flags, .pad = pad };

	return raw_ioctl(e->fd, MMREPRO_IOC_FORCE_PROTNONE, &arg);
}

ABI_RUN(pn_max)
{
	return pn(e, (uintptr_t)e->big, MMREPRO_MAX_PIN_PAGES, 0, 0);
}

ABI_RUN(pn_hole)
{
	return pn(e, (uintptr_t)e->hole, 1, 0, 0);
}

ABI_RUN(pn_part)
{
	return pn(e, (uintptr_t)e->part, 2, 0, 0);
}

ABI_RUN(pn_prot_none)
{
	return pn(e, (uintptr_t)e->none, 1, 0, 0);
}

ABI_RUN(pn_vvar)
{
	return e->vvar ? pn(e, (uintptr_t)e->vvar, 1, 0, 0) : ABI_SKIP;
}

#define PN	MMREPRO_CAP_FORCE_PROTNONE

static const struct abi_case rows[] = {
	{ "SNAPSHOT", 0, "exactly MMREPRO_MAX_PIN_PAGES pages", 0, 0, 0, snap_max },
	{ "SNAPSHOT", 0, "states NULL", EFAULT, 0, 0, snap_null_states },
	{ "SNAPSHOT", 0, "states in a read-only page", EFAULT, 0, 0, snap_ro_states },
	{ "SNAPSHOT", 0, "range mapped only in part: the hole says MMREPRO_PS_NO_VMA", 0, 0, 0,
	  snap_part },
	{ "SNAPSHOT", 0, "PROT_NONE range", 0, 0, 0, snap_prot_none },
	{ "SNAPSHOT", 0, "VM_IO / VM_PFNMAP mapping (such as [vvar])", 0, 0, 0, snap_vvar },
	{ "FORCE_PROTNONE", 0, "exactly MMREPRO_MAX_PIN_PAGES pages (nothing present)", 0, PN,
	  EOPNOTSUPP, pn_max },
	{ "FORCE_PROTNONE", 0, "unmapped range", EFAULT, PN, EOPNOTSUPP, pn_hole },
	{ "FORCE_PROTNONE", 0, "range mapped only in part", EFAULT, PN, EOPNOTSUPP, pn_part },
	{ "FORCE_PROTNONE", 0, "PROT_NONE range", EACCES, PN, EOPNOTSUPP, pn_prot_none },
	{ "FORCE_PROTNONE", 0, "VM_IO / VM_PFNMAP mapping (such as [vvar])", EOPNOTSUPP, 0, 0, pn_vvar },
};

ABI_TABLE(abi_cases_pgtable, "SNAPSHOT, FORCE_PROTNONE", rows);
