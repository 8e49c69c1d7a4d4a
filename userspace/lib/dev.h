/* SPDX-License-Identifier: GPL-2.0 */
/* Thin wrappers around the /dev/mmrepro ioctls: 0 or -errno. */
#ifndef MMREPRO_DEV_H
#define MMREPRO_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/linux/mmrepro.h"

int dev_info(int fd, struct mmrepro_info *info);
/*
 * Open the device at path and check it is mmrepro's with this CLI's ABI:
 * the fd, or -errno of open() (ENOENT and friends: not loaded; EACCES,
 * EPERM: not root), or -EPROTO (INFO failed or another ABI); err says what
 * to do next. The one open for the runner, `mmrepro info` and `repro`.
 */
int dev_open_checked(const char *path, struct mmrepro_info *info, char *err, size_t errlen);
int dev_pin(int fd, void *addr, size_t npages, unsigned int flags);
int dev_unpin(int fd, void *addr, size_t npages, uint64_t *unpinned);
int dev_unpin_all(int fd, uint64_t *unpinned);
int dev_read(int fd, const void *addr, void *buf, size_t len);
int dev_write(int fd, void *addr, const void *buf, size_t len);
int dev_force_protnone(int fd, void *addr, size_t npages, uint64_t *changed);
int dev_snapshot(int fd, const void *addr, size_t npages, struct mmrepro_page_state *states);
/* EXCLUSIVE: *done is set on failure too (pages made exclusive before it). */
int dev_exclusive(int fd, void *addr, size_t npages, void *buf, uint64_t *done);
int dev_check_exclusive(int fd, const void *addr, size_t npages, uint64_t *held);
/* RELEASE of a range, or of everything when addr is NULL. */
int dev_release(int fd, void *addr, size_t npages, uint64_t *released);
int dev_events(int fd, struct mmrepro_events *ev, bool reset);

struct pin_balance;
struct result;
struct scenario_ctx;

/*
 * End of a scenario that pinned: UNPIN everything, then check that
 * nr_foll_pin_acquired and nr_foll_pin_released moved by the same amount
 * since pin_balance_start(pb). A failure of either turns a verdict that is
 * not already error into error; a balance is logged.
 */
void dev_release_checked(struct scenario_ctx *ctx, const struct pin_balance *pb,
			 struct result *res);

/* How many of states[0..n) have all of the MMREPRO_PS_* bits in mask. */
size_t states_count(const struct mmrepro_page_state *states, size_t n, uint32_t mask);

#endif /* MMREPRO_DEV_H */
