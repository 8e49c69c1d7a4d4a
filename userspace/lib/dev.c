// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/dev.h"
#include "lib/memutil.h"
#include "harness/scenario.h"

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

int dev_info(int fd, struct mmrepro_info *info)
{
	memset(info, 0, sizeof(*info));
	return xioctl(fd, MMREPRO_IOC_INFO, info);
}

int dev_open_checked(const char *path, struct mmrepro_info *info, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR | O_CLOEXEC), e;

	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "cannot open %s (%s): %s", path, strerror(e),
			 e == EACCES || e == EPERM ? "run as root" : "run `mmrepro load` first");
		return -e;
	}
	if (dev_info(fd, info)) {
		e = errno;
		snprintf(err, errlen, "MMREPRO_IOC_INFO on %s failed (%s): is %s the mmrepro "
			 "module's device?", path, strerror(e), path);
		close(fd);
		return -EPROTO;
	}
	if (info->abi_version != MMREPRO_ABI_VERSION) {
		snprintf(err, errlen, "the module speaks ABI %u, this mmrepro ABI %d: "
			 "rebuild both from the same tree", info->abi_version, MMREPRO_ABI_VERSION);
		close(fd);
		return -EPROTO;
	}
	info->release[sizeof(info->release) - 1] = '\0';
	info->module_version[sizeof(info->module_version) - 1] = '\0';
	return fd;
}

int dev_pin(int fd, void *addr, size_t npages, unsigned int flags)
{
	struct mmrepro_pin arg = {
		.addr = (uintptr_t)addr,
		.npages = npages,
		.flags = flags,
	};

	return xioctl(fd, MMREPRO_IOC_PIN, &arg);
}

static int unpin(int fd, struct mmrepro_unpin *arg, uint64_t *unpinned)
{
	int ret = xioctl(fd, MMREPRO_IOC_UNPIN, arg);

	if (!ret && unpinned)
		*unpinned = arg->unpinned;
	return ret;
}

int dev_unpin(int fd, void *addr, size_t npages, uint64_t *unpinned)
{
	struct mmrepro_unpin arg = { .addr = (uintptr_t)addr, .npages = npages };

	return unpin(fd, &arg, unpinned);
}

int dev_unpin_all(int fd, uint64_t *unpinned)
{
	struct mmrepro_unpin arg = { .flags = MMREPRO_UNPIN_ALL };

	return unpin(fd, &arg, unpinned);
}

int dev_read(int fd, const void *addr, void *buf, size_t len)
{
	struct mmrepro_io arg = {
		.addr = (uintptr_t)addr, .len = len, .buf = (uintptr_t)buf,
	};

	return xioctl(fd, MMREPRO_IOC_DEV_READ, &arg);
}

int dev_write(int fd, void *addr, const void *buf, size_t len)
{
	struct mmrepro_io arg = {
		.addr = (uintptr_t)addr, .len = len, .buf = (uintptr_t)buf,
	};

	return xioctl(fd, MMREPRO_IOC_DEV_WRITE, &arg);
}

int dev_force_protnone(int fd, void *addr, size_t npages, uint64_t *changed)
{
	struct mmrepro_protnone arg = { .addr = (uintptr_t)addr, .npages = npages };
	int ret = xioctl(fd, MMREPRO_IOC_FORCE_PROTNONE, &arg);

	if (!ret && changed)
		*changed = arg.changed;
	return ret;
}

int dev_snapshot(int fd, const void *addr, size_t npages, struct mmrepro_page_state *states)
{
	struct mmrepro_snapshot arg = {
		.addr = (uintptr_t)addr, .npages = npages, .states = (uintptr_t)states,
	};

	return xioctl(fd, MMREPRO_IOC_SNAPSHOT, &arg);
}

int dev_exclusive(int fd, void *addr, size_t npages, void *buf, uint64_t *done)
{
	struct mmrepro_exclusive arg = {
		.addr = (uintptr_t)addr, .npages = npages, .buf = (uintptr_t)buf,
	};
	int ret = xioctl(fd, MMREPRO_IOC_EXCLUSIVE, &arg);

	if (done)
		*done = arg.done;
	return ret;
}

int dev_check_exclusive(int fd, const void *addr, size_t npages, uint64_t *held)
{
	struct mmrepro_check_exclusive arg = { .addr = (uintptr_t)addr, .npages = npages };
	int ret = xioctl(fd, MMREPRO_IOC_CHECK_EXCLUSIVE, &arg);

	if (!ret && held)
		*held = arg.held;
	return ret;
}

int dev_release(int fd, void *addr, size_t npages, uint64_t *released)
{
	struct mmrepro_release arg = { .addr = (uintptr_t)addr, .npages = npages };
	int ret;

	if (!addr)
		arg.flags = MMREPRO_RELEASE_ALL;
	ret = xioctl(fd, MMREPRO_IOC_RELEASE, &arg);
	if (!ret && released)
		*released = arg.released;
	return ret;
}

int dev_events(int fd, struct mmrepro_events *ev, bool reset)
{
	memset(ev, 0, sizeof(*ev));
	ev->flags = reset ? MMREPRO_EVENTS_RESET : 0;
	return xioctl(fd, MMREPRO_IOC_EVENTS, ev);
}

size_t states_count(const struct mmrepro_page_state *states, size_t n, uint32_t mask)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += (states[i].flags & mask) == mask;
	return c;
}

void dev_release_checked(struct scenario_ctx *ctx, const struct pin_balance *pb,
			 struct result *res)
{
	long long d_acq, d_rel;
	int ret;

	ret = dev_unpin_all(ctx->devfd, NULL);
	if (ret && res->verdict != VERDICT_ERROR)
		result_set(res, VERDICT_ERROR, "UNPIN failed: %s", strerror(-ret));
	if (!pin_balance_check(pb, &d_acq, &d_rel) && res->verdict != VERDICT_ERROR)
		result_set(res, VERDICT_ERROR,
			   "pin counters do not balance: nr_foll_pin_acquired +%lld, nr_foll_pin_released +%lld",
			   d_acq, d_rel);
	else
		scen_log(ctx, "pin balance: acquired +%lld, released +%lld", d_acq, d_rel);
}
