// SPDX-License-Identifier: GPL-2.0
/* Hostile inputs of EXCLUSIVE, CHECK_EXCLUSIVE, RELEASE and EVENTS (see abi_check.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "scenarios/abi/abi_check.h"
#include "lib/dev.h"

#define X	MMREPRO_CAP_DEVICE_EXCLUSIVE
#define EV	MMREPRO_CAP_NOTIFIER_EVENTS
/* The pages of buf these rows make exclusive. */
#define EXCL_PAGE	24

static int excl(struct abi_env *e, uint64_t addr, uint64_t npages, uint64_t buf, uint32_t flags,
		uint32_t pad, uint64_t *done)
{
	struct mmrepro_exclusive arg = {
		.addr = addr, .npages = npages, .buf = buf, .flags = flags, .pad = pad,
	};
	int ret = raw_ioctl(e->fd, MMREPRO_IOC_EXCLUSIVE, &arg);

	if (done)
		*done = arg.done;
	dev_release(e->fd, NULL, 0, NULL);
	return ret;
}

static char *page(const struct abi_env *e)
{
	return e->buf + EXCL_PAGE * e->psz;
}

ABI_RUN(x_one)
{
	return excl(e, (uintptr_t)page(e), 1, 0, 0, 0, NULL);
}

/* A page the file already holds exclusive: counted done, and still held. */
ABI_RUN(x_again)
{
	uint64_t done = 0, held = 0;
	int ret;

	ret = dev_exclusive(e->fd, page(e), 1, NULL, &done);
	if (ret)
		return ret;
	ret = dev_exclusive(e->fd, page(e), 1, NULL, &done);
	dev_check_exclusive(e->fd, page(e), 1, &held);
	dev_release(e->fd, NULL, 0, NULL);
	if (!ret && (done != 1 || held != 1)) {
		scen_log(e->ctx, "EXCLUSIVE of a held page: done %llu, held after %llu",
			 (unsigned long long)done, (unsigned long long)held);
		return ABI_WRONG_STATE;
	}
	return ret;
}

ABI_RUN(x_hole)
{
	return excl(e, (uintptr_t)e->hole, 1, 0, 0, 0, NULL);
}

/* The first page made exclusive, the hole after it not: done says 1. */
ABI_RUN(x_part)
{
	uint64_t done = 0;
	int ret = excl(e, (uintptr_t)e->part, 2, 0, 0, 0, &done);

	if (ret == -EFAULT && done != 1) {
		scen_log(e->ctx, "EXCLUSIVE of a page and a hole: done %llu, want 1",
			 (unsigned long long)done);
		return ABI_WRONG_STATE;
	}
	return ret;
}

ABI_RUN(x_prot_none)
{
	return excl(e, (uintptr_t)e->none, 1, 0, 0, 0, NULL);
}

ABI_RUN(x_ro)
{
	return excl(e, (uintptr_t)e->ro, 1, 0, 0, 0, NULL);
}

ABI_RUN(x_vvar)
{
	return e->vvar ? excl(e, (uintptr_t)e->vvar, 1, 0, 0, 0, NULL) : ABI_SKIP;
}

/* A MAP_SHARED page: not anonymous. */
ABI_RUN(x_shared)
{
	return excl(e, (uintptr_t)e->shared, 1, 0, 0, 0, NULL);
}

ABI_RUN(x_bad_buf)
{
	return excl(e, (uintptr_t)page(e), 1, (uintptr_t)e->ro, 0, 0, NULL);
}

static int chk(struct abi_env *e, uint64_t addr, uint64_t npages, uint32_t flags, uint32_t pad)
{
	struct mmrepro_check_exclusive arg = {
		.addr = addr, .npages = npages, .flags = flags, .pad = pad,
	};

	return raw_ioctl(e->fd, MMREPRO_IOC_CHECK_EXCLUSIVE, &arg);
}

ABI_RUN(c_max)
{
	return chk(e, (uintptr_t)e->big, MMREPRO_MAX_PIN_PAGES, 0, 0);
}

static int rel(struct abi_env *e, uint64_t addr, uint64_t npages, uint32_t flags, uint32_t pad,
	       uint64_t *released)
{
	struct mmrepro_release arg = { .addr = addr, .npages = npages, .flags = flags, .pad = pad };
	int ret = raw_ioctl(e->fd, MMREPRO_IOC_RELEASE, &arg);

	if (released)
		*released = arg.released;
	return ret;
}

ABI_RUN(r_not_held)
{
	uint64_t released = 1;
	int ret = rel(e, (uintptr_t)e->buf, 4, 0, 0, &released);

	if (!ret && released) {
		scen_log(e->ctx, "RELEASE of pages not held said %llu released",
			 (unsigned long long)released);
		return ABI_WRONG_STATE;
	}
	return ret;
}

static int ev(struct abi_env *e, uint32_t flags, uint32_t pad)
{
	struct mmrepro_events arg = { .flags = flags, .pad = pad };

	return raw_ioctl(e->fd, MMREPRO_IOC_EVENTS, &arg);
}

ABI_RUN(ev_flag)
{
	return ev(e, 1U << 31, 0);
}

ABI_RUN(ev_pad)
{
	return ev(e, 0, 1);
}

ABI_RUN(ev_reset)
{
	return ev(e, MMREPRO_EVENTS_RESET, 0);
}

static const struct abi_case rows[] = {
	{ "EXCLUSIVE", 0, "one anonymous page", 0, X, EOPNOTSUPP, x_one },
	{ "EXCLUSIVE", 0, "a page the file already holds exclusive: done 1, still held", 0, X,
	  EOPNOTSUPP, x_again },
	{ "EXCLUSIVE", 0, "unmapped range", EFAULT, X, EOPNOTSUPP, x_hole },
	{ "EXCLUSIVE", 0, "range mapped only in part: done counts the pages before the hole",
	  EFAULT, X, EOPNOTSUPP, x_part },
	{ "EXCLUSIVE", 0, "PROT_NONE range", EFAULT, X, EOPNOTSUPP, x_prot_none },
	{ "EXCLUSIVE", 0, "read-only mapping", EFAULT, X, EOPNOTSUPP, x_ro },
	{ "EXCLUSIVE", 0, "VM_IO / VM_PFNMAP mapping (such as [vvar])", EFAULT, X, EOPNOTSUPP, x_vvar },
	{ "EXCLUSIVE", 0, "MAP_SHARED page (not anonymous)", EOPNOTSUPP, 0, 0, x_shared },
	{ "EXCLUSIVE", 0, "buf in a read-only page", EFAULT, X, EOPNOTSUPP, x_bad_buf },
	{ "CHECK_EXCLUSIVE", 0, "exactly MMREPRO_MAX_PIN_PAGES pages", 0, 0, 0, c_max },
	{ "RELEASE", 0, "pages not held: released 0", 0, 0, 0, r_not_held },
	{ "EVENTS", 0, "unknown flag", EINVAL, 0, 0, ev_flag },
	{ "EVENTS", 0, "non-zero pad", EINVAL, 0, 0, ev_pad },
	{ "EVENTS", 0, "MMREPRO_EVENTS_RESET", 0, EV, EOPNOTSUPP, ev_reset },
};

ABI_TABLE(abi_cases_excl, "EXCLUSIVE, CHECK_EXCLUSIVE, RELEASE, EVENTS", rows);
