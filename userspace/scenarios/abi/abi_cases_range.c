// SPDX-License-Identifier: GPL-2.0
/*
 * The argument checks every range ioctl shares (see abi_check.h): PIN,
 * UNPIN, FORCE_PROTNONE, SNAPSHOT, EXCLUSIVE, CHECK_EXCLUSIVE and RELEASE
 * take an address and a page count, flags and padding, and refuse the same
 * bad ones the same way, before they do anything.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "scenarios/abi/abi_check.h"
#include "lib/dev.h"

static struct mmrepro_page_state states[2];

/* The row's ioctl on (addr, npages, flags, pad); what it took is given back. */
static int range_call(struct abi_env *e, unsigned long req, uint64_t addr, uint64_t npages,
		      uint32_t flags, uint32_t pad)
{
	union {
		struct mmrepro_pin pin;
		struct mmrepro_unpin unpin;
		struct mmrepro_protnone pn;
		struct mmrepro_snapshot snap;
		struct mmrepro_exclusive ex;
		struct mmrepro_check_exclusive chk;
		struct mmrepro_release rel;
	} a;
	int ret;

	memset(&a, 0, sizeof(a));
	switch (req) {
	case MMREPRO_IOC_PIN:
		a.pin = (struct mmrepro_pin){ addr, npages, flags, pad, 0 };
		break;
	case MMREPRO_IOC_UNPIN:
		a.unpin = (struct mmrepro_unpin){ addr, npages, flags, pad, 0 };
		break;
	case MMREPRO_IOC_FORCE_PROTNONE:
		a.pn = (struct mmrepro_protnone){ addr, npages, flags, pad, 0 };
		break;
	case MMREPRO_IOC_SNAPSHOT:
		a.snap = (struct mmrepro_snapshot){ addr, npages, (uintptr_t)states, flags, pad };
		break;
	case MMREPRO_IOC_EXCLUSIVE:
		a.ex = (struct mmrepro_exclusive){ addr, npages, 0, flags, pad, 0 };
		break;
	case MMREPRO_IOC_CHECK_EXCLUSIVE:
		a.chk = (struct mmrepro_check_exclusive){ addr, npages, flags, pad, 0 };
		break;
	case MMREPRO_IOC_RELEASE:
		a.rel = (struct mmrepro_release){ addr, npages, flags, pad, 0 };
		break;
	default:
		return ABI_SETUP;
	}
	ret = raw_ioctl(e->fd, req, &a);
	dev_release(e->fd, NULL, 0, NULL);
	dev_unpin_all(e->fd, NULL);
	return ret;
}

ABI_RUN(unaligned)
{
	return range_call(e, c->req, (uintptr_t)e->buf + 1, 1, 0, 0);
}

ABI_RUN(zero_pages)
{
	return range_call(e, c->req, (uintptr_t)e->buf, 0, 0, 0);
}

ABI_RUN(too_many)
{
	return range_call(e, c->req, (uintptr_t)e->big, MMREPRO_MAX_PIN_PAGES + 1ULL, 0, 0);
}

/* From the highest page-aligned address: a range of two pages wraps. */
ABI_RUN(wraps)
{
	return range_call(e, c->req, UINT64_MAX & ~(uint64_t)(e->psz - 1), 2, 0, 0);
}

ABI_RUN(unknown_flag)
{
	return range_call(e, c->req, (uintptr_t)e->buf, 1, 1U << 31, 0);
}

ABI_RUN(pad)
{
	return range_call(e, c->req, (uintptr_t)e->buf, 1, 0, 1);
}

#define RANGE_ROWS(name, nr) \
	{ name, nr, "address not page aligned", EINVAL, 0, 0, unaligned }, \
	{ name, nr, "range wrapping past the end of the address space", EOVERFLOW, 0, 0, wraps }, \
	{ name, nr, "unknown flag", EINVAL, 0, 0, unknown_flag }, \
	{ name, nr, "non-zero pad", EINVAL, 0, 0, pad }

/* Those with a page limit: zero pages and one too many. */
#define LIMITED_ROWS(name, nr) \
	RANGE_ROWS(name, nr), \
	{ name, nr, "zero pages", EINVAL, 0, 0, zero_pages }, \
	{ name, nr, "MMREPRO_MAX_PIN_PAGES + 1 pages", E2BIG, 0, 0, too_many }

static const struct abi_case rows[] = {
	LIMITED_ROWS("PIN", MMREPRO_IOC_PIN),
	RANGE_ROWS("UNPIN", MMREPRO_IOC_UNPIN),
	{ "UNPIN", MMREPRO_IOC_UNPIN, "zero pages without MMREPRO_UNPIN_ALL", EINVAL, 0, 0,
	  zero_pages },
	LIMITED_ROWS("FORCE_PROTNONE", MMREPRO_IOC_FORCE_PROTNONE),
	LIMITED_ROWS("SNAPSHOT", MMREPRO_IOC_SNAPSHOT),
	LIMITED_ROWS("EXCLUSIVE", MMREPRO_IOC_EXCLUSIVE),
	LIMITED_ROWS("CHECK_EXCLUSIVE", MMREPRO_IOC_CHECK_EXCLUSIVE),
	RANGE_ROWS("RELEASE", MMREPRO_IOC_RELEASE),
	{ "RELEASE", MMREPRO_IOC_RELEASE, "zero pages without MMREPRO_RELEASE_ALL", EINVAL, 0, 0,
	  zero_pages },
};

ABI_TABLE(abi_cases_range, "the range ioctls' arguments", rows);
