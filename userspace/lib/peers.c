// SPDX-License-Identifier: GPL-2.0
/* Calls into the in-tree test drivers; see peers.h. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "lib/peers.h"

int peer_gup_test(int fd, unsigned long cmd, void *addr, size_t npages, size_t psz,
		  unsigned int gup_flags, double *get_ns, double *put_ns)
{
	struct gup_test g;

	memset(&g, 0, sizeof(g));
	g.addr = (uintptr_t)addr;
	g.size = npages * psz;
	g.nr_pages_per_call = (__u32)npages;
	g.gup_flags = gup_flags;
	if (ioctl(fd, cmd, &g) < 0)
		return -errno;
	if (g.size != npages * psz)	/* shortened: not every page was pinned */
		return -EFAULT;
	*get_ns = g.get_delta_usec * 1e3;
	*put_ns = g.put_delta_usec * 1e3;
	return 0;
}

int peer_dmirror(int fd, unsigned long cmd, void *addr, size_t npages, void *buf)
{
	struct hmm_dmirror_cmd c = {
		.addr = (uintptr_t)addr, .ptr = (uintptr_t)buf, .npages = npages,
	};

	return ioctl(fd, cmd, &c) < 0 ? -errno : 0;
}
