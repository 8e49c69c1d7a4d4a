// SPDX-License-Identifier: GPL-2.0
/* Hostile inputs of DEV_READ and DEV_WRITE (see abi_check.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "scenarios/abi/abi_check.h"
#include "lib/dev.h"

/* DEV_READ or DEV_WRITE, by the row's ioctl. */
static int io(struct abi_env *e, const struct abi_case *c, uint64_t addr, uint64_t len,
	      uint64_t buf)
{
	struct mmrepro_io arg = { .addr = addr, .len = len, .buf = buf };

	return raw_ioctl(e->fd, c->req, &arg);
}

/* Pages 0 and 1 of buf pinned writable, page 2 read-only, around the call. */
static int held(struct abi_env *e)
{
	if (dev_pin(e->fd, e->buf, 2, MMREPRO_PIN_WRITE) || dev_pin(e->fd, e->buf + 2 * e->psz, 1, 0)) {
		dev_unpin_all(e->fd, NULL);
		return ABI_SETUP;
	}
	return 0;
}

static int done(struct abi_env *e, int ret)
{
	dev_unpin_all(e->fd, NULL);
	return ret;
}

ABI_RUN(io_zero)
{
	char tmp[16];

	return held(e) ?: done(e, io(e, c, (uintptr_t)e->buf, 0, (uintptr_t)tmp));
}

ABI_RUN(io_too_many)
{
	return io(e, c, (uintptr_t)e->buf, MMREPRO_MAX_IO_BYTES + 1ULL, (uintptr_t)e->big);
}

/* Exactly MMREPRO_MAX_IO_BYTES: that many bytes pinned writable, and a buffer. */
ABI_RUN(io_max)
{
	size_t len = MMREPRO_MAX_IO_BYTES;
	char *mem, *tmp;
	int ret = ABI_SETUP;

	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		   -1, 0);
	tmp = malloc(len);
	if (mem != MAP_FAILED && tmp) {
		memset(tmp, 0x3c, len);
		if (!dev_pin(e->fd, mem, len / e->psz, MMREPRO_PIN_WRITE))
			ret = io(e, c, (uintptr_t)mem, len, (uintptr_t)tmp);
		dev_unpin_all(e->fd, NULL);
	}
	free(tmp);
	if (mem != MAP_FAILED)
		munmap(mem, len);
	return ret;
}

ABI_RUN(io_wrap)
{
	char tmp[64];

	return io(e, c, UINT64_MAX - 8, sizeof(tmp), (uintptr_t)tmp);
}

ABI_RUN(io_not_held)
{
	char tmp[64];

	return io(e, c, (uintptr_t)e->buf + 8 * e->psz, sizeof(tmp), (uintptr_t)tmp);
}

/*
 * DEV_READ: from the end of page 2 (held) into page 3 (not held).
 * DEV_WRITE: from the end of page 1 (pinned writable) into page 2 (pinned
 * read-only).
 */
ABI_RUN(io_straddle)
{
	size_t page = c->req == MMREPRO_IOC_DEV_WRITE ? 2 : 3;
	char tmp[64] = { 0 };

	if (held(e))
		return ABI_SETUP;
	return done(e, io(e, c, (uintptr_t)e->buf + page * e->psz - 16, 32, (uintptr_t)tmp));
}

ABI_RUN(io_bad_buf)
{
	return held(e) ?: done(e, io(e, c, (uintptr_t)e->buf, 16, (uintptr_t)e->hole));
}

ABI_RUN(io_ro_buf)
{
	return held(e) ?: done(e, io(e, c, (uintptr_t)e->buf, 16, (uintptr_t)e->ro));
}

ABI_RUN(io_ro_pin)
{
	char tmp[8] = { 0 };

	return held(e) ?: done(e, io(e, c, (uintptr_t)e->buf + 2 * e->psz, sizeof(tmp),
				     (uintptr_t)tmp));
}

ABI_RUN(io_across)
{
	char tmp[16] = { 0 };

	return held(e) ?: done(e, io(e, c, (uintptr_t)e->buf + e->psz - 8, sizeof(tmp),
				     (uintptr_t)tmp));
}

#define IO_ROWS(name, nr) \
	{ name, nr, "zero bytes", EINVAL, 0, 0, io_zero }, \
	{ name, nr, "MMREPRO_MAX_IO_BYTES + 1 bytes", E2BIG, 0, 0, io_too_many }, \
	{ name, nr, "exactly MMREPRO_MAX_IO_BYTES bytes, all held", 0, 0, 0, io_max }, \
	{ name, nr, "range wrapping past the end of the address space", EOVERFLOW, 0, 0, \
	  io_wrap }, \
	{ name, nr, "pages not held", ENOENT, 0, 0, io_not_held }, \
	{ name, nr, "unaligned, across two held pages", 0, 0, 0, io_across }, \
	{ name, nr, "buf unmapped", EFAULT, 0, 0, io_bad_buf }

static const struct abi_case rows[] = {
	IO_ROWS("DEV_READ", MMREPRO_IOC_DEV_READ),
	{ "DEV_READ", MMREPRO_IOC_DEV_READ, "range straddling held and not held pages", ENOENT,
	  0, 0, io_straddle },
	{ "DEV_READ", MMREPRO_IOC_DEV_READ, "buf in a read-only page", EFAULT, 0, 0, io_ro_buf },
	IO_ROWS("DEV_WRITE", MMREPRO_IOC_DEV_WRITE),
	{ "DEV_WRITE", MMREPRO_IOC_DEV_WRITE,
	  "range straddling a writable and a read-only pin", EACCES, 0, 0, io_straddle },
	{ "DEV_WRITE", MMREPRO_IOC_DEV_WRITE, "through a read-only pin", EACCES, 0, 0,
	  io_ro_pin },
};

ABI_TABLE(abi_cases_io, "DEV_READ, DEV_WRITE", rows);
