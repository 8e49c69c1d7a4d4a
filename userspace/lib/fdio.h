/* SPDX-License-Identifier: GPL-2.0 */
/* Whole reads and writes on pipes and files, retried on EINTR and short counts. */
#ifndef MMREPRO_FDIO_H
#define MMREPRO_FDIO_H

#include <stddef.h>

/* 0 when all len bytes were read; -1 at EOF or on an error (errno). */
int fd_read_full(int fd, void *buf, size_t len);
/* 0 when all len bytes were written; -1 on an error (errno). */
int fd_write_full(int fd, const void *buf, size_t len);

#endif /* MMREPRO_FDIO_H */
