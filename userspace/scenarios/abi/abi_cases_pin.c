// SPDX-License-Identifier: GPL-2.0
/* Hostile inputs of PIN and UNPIN (see abi_check.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "scenarios/abi/abi_check.h"
#include "lib/dev.h"

static int pin_raw(struct abi_env *e, uint64_t addr, uint64_t npages, uint32_t flags,
		   uint32_t pad)
{
	struct mmrepro_pin arg = { .addr = addr, .npages = npages, .flags = flags, .pad = pad };
	int ret = raw_ioctl(e->fd, MMREPRO_IOC_PIN, &arg);

	dev_unpin_all(e->fd, NULL);
	return ret;
}

ABI_RUN(pin_max)
{
	return pin_raw(e, (uintptr_t)e->big, MMREPRO_MAX_PIN_PAGES, 0, 0);
}

ABI_RUN(pin_hole)
{
	return pin_raw(e, (uintptr_t)e->hole, 1, 0, 0);
}

/* The first page mapped, the second not: EFAULT, and the first not kept. */
ABI_RUN(pin_part)
{
	struct mmrepro_pin arg = { .addr = (uintptr_t)e->part, .npages = 2 };
	long long held;
	int ret = raw_ioctl(e->fd, MMREPRO_IOC_PIN, &arg);

	held = abi_pinned_now(e);
	dev_unpin_all(e->fd, NULL);
	if (ret == -EFAULT && (held != 0 || arg.pinned != 0)) {
		scen_log(e->ctx, "PIN of a partly mapped range: %lld pages held after, pinned %llu",
			 held, (unsigned long long)arg.pinned);
		return ABI_WRONG_STATE;
	}
	return ret;
}

ABI_RUN(pin_prot_none)
{
	return pin_raw(e, (uintptr_t)e->none, 1, 0, 0);
}

ABI_RUN(pin_vvar)
{
	return e->vvar ? pin_raw(e, (uintptr_t)e->vvar, 1, 0, 0) : ABI_SKIP;
}

ABI_RUN(pin_write_ro)
{
	return pin_raw(e, (uintptr_t)e->ro, 1, MMREPRO_PIN_WRITE, 0);
}

ABI_RUN(pin_overlap)
{
	int ret;

	if (dev_pin(e->fd, e->buf, 4, MMREPRO_PIN_WRITE))
		return ABI_SETUP;
	ret = dev_pin(e->fd, e->buf + 2 * e->psz, 4, 0);
	dev_unpin_all(e->fd, NULL);
	return ret;
}

ABI_RUN(pin_honor)
{
	return pin_raw(e, (uintptr_t)e->buf, 1, MMREPRO_PIN_HONOR_NUMA_FAULT, 0);
}

ABI_RUN(unpin_not_held)
{
	struct mmrepro_unpin arg = { .addr = (uintptr_t)e->buf, .npages = 4 };
	int ret = raw_ioctl(e->fd, MMREPRO_IOC_UNPIN, &arg);

	if (!ret && arg.unpinned) {
		scen_log(e->ctx, "UNPIN of pages not held said %llu unpinned",
			 (unsigned long long)arg.unpinned);
		return ABI_WRONG_STATE;
	}
	return ret;
}

static const struct abi_case rows[] = {
	{ "PIN", 0, "exactly MMREPRO_MAX_PIN_PAGES pages (read-only, untouched memory)", 0, 0, 0,
	  pin_max },
	{ "PIN", 0, "unmapped range", EFAULT, 0, 0, pin_hole },
	{ "PIN", 0, "range mapped only in part: nothing stays pinned, pinned 0", EFAULT, 0, 0,
	  pin_part },
	{ "PIN", 0, "PROT_NONE range", EFAULT, 0, 0, pin_prot_none },
	{ "PIN", 0, "VM_IO / VM_PFNMAP mapping (such as [vvar])", EFAULT, 0, 0, pin_vvar },
	{ "PIN", 0, "MMREPRO_PIN_WRITE of a read-only mapping", EFAULT, 0, 0, pin_write_ro },
	{ "PIN", 0, "range overlapping pages the file holds", EBUSY, 0, 0, pin_overlap },
	{ "PIN", 0, "MMREPRO_PIN_HONOR_NUMA_FAULT", 0, MMREPRO_CAP_HONOR_NUMA_FAULT, EOPNOTSUPP,
	  pin_honor },
	{ "UNPIN", 0, "pages not held: unpinned 0", 0, 0, 0, unpin_not_held },
};

ABI_TABLE(abi_cases_pin, "PIN, UNPIN", rows);
