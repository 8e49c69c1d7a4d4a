/* SPDX-License-Identifier: GPL-2.0 */
/* Thin wrappers around the /dev/mmrepro ioctls: 0 or -errno. */
#ifndef MMREPRO_DEV_H
#define MMREPRO_DEV_H

#include <stddef.h>
#include <stdint.h>

#include "../uapi/linux/mmrepro.h"

int dev_info(int fd, struct mmrepro_info *info);
int dev_pin(int fd, void *addr, size_t npages, unsigned int flags);
int dev_unpin(int fd, void *addr, size_t npages, uint64_t *unpinned);
int dev_unpin_all(int fd, uint64_t *unpinned);
int dev_read(int fd, const void *addr, void *buf, size_t len);
int dev_write(int fd, void *addr, const void *buf, size_t len);

#endif /* MMREPRO_DEV_H */
