// SPDX-License-Identifier: GPL-2.0
/* See fdio.h. */
#include <errno.h>
#include <stdbool.h>
#include <sys/types.h>
#include <unistd.h>

#include "lib/fdio.h"

static int fd_full(int fd, char *buf, size_t len, bool write_it)
{
	while (len) {
		ssize_t r = write_it ? write(fd, buf, len) : read(fd, buf, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

int fd_read_full(int fd, void *buf, size_t len)
{
	return fd_full(fd, buf, len, false);
}

int fd_write_full(int fd, const void *buf, size_t len)
{
	return fd_full(fd, (char *)buf, len, true);
}
