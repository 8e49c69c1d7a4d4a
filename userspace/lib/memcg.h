/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A temporary cgroup v2 memory cgroup holding just this process, so that
 * its own memory can be reclaimed on demand through memory.reclaim: the
 * one user-driven reclaim that goes through the LRU lists and the rmap, as
 * memory pressure does. (MADV_PAGEOUT walks the page tables instead and
 * skips every non-present PTE, device-exclusive entries included.)
 *
 * memcg_enter() must come before the memory is touched: pages are charged
 * to the cgroup of the task that faults them in. It enables the memory
 * controller in the root's cgroup.subtree_control if it is off, and
 * memcg_leave() turns it off again. Both steps are recorded in the knobs
 * journal first (knob_undo_write(), knob_undo_rmdir()), so a scenario killed
 * at its deadline leaves no cgroup and no +memory behind: the runner undoes
 * them after reaping it.
 */
#ifndef MMREPRO_MEMCG_H
#define MMREPRO_MEMCG_H

#include <stdbool.h>
#include <stddef.h>

struct memcg_scope {
	char root[128];		/* the cgroup2 mount */
	char dir[192];		/* root/mmrepro-<pid> */
	char subtree_control[160];	/* root/cgroup.subtree_control */
	bool enabled_memory;	/* we turned +memory on in root's subtree_control */
	bool entered;
};

/* 0, or -errno with err saying what is missing (a skip, not an error). */
int memcg_enter(struct memcg_scope *m, char *err, size_t errlen);
/* Ask the kernel to reclaim bytes from the cgroup: 0, -EAGAIN (less was
 * reclaimable), or another -errno. */
int memcg_reclaim(struct memcg_scope *m, unsigned long long bytes);
/* Back to the root cgroup, remove the directory, restore subtree_control. */
void memcg_leave(struct memcg_scope *m);

/* The cgroup2 mount point from a /proc/mounts-format text; pure. 0 or -1. */
int memcg_find_mount(const char *mounts, char *out, size_t outlen);

#endif /* MMREPRO_MEMCG_H */
