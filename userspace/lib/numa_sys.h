/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NUMA system calls without libnuma (move_pages(2), mbind(2)) and the
 * memory-block sysfs files memory offline works with.
 */
#ifndef MMREPRO_NUMA_SYS_H
#define MMREPRO_NUMA_SYS_H

#include <stdbool.h>
#include <stddef.h>

/* Online NUMA nodes (/sys/devices/system/node/online); 1 when unknown. */
int numa_nodes_online(void);

/*
 * move_pages(2) of our own process: with nodes NULL, status[i] gets the
 * node of pages[i] (or -errno); else the pages are moved to nodes[i] and
 * status[i] says where each ended up (or why not). 0 or -errno.
 */
int move_pages_self(size_t count, void **pages, const int *nodes, int *status);

/* mbind(MPOL_BIND) of [addr, addr + len) to one node. 0 or -errno. */
int mbind_node(void *addr, size_t len, int node);

/*
 * mbind(MPOL_BIND | MPOL_F_NUMA_BALANCING) of [addr, addr + len) to nodes
 * 0..nodes-1 (5.12 on): the policy NUMA balancing's scanner needs on a
 * shared mapping (vma_policy_mof()). 0 or -errno.
 */
int mbind_balanced(void *addr, size_t len, int nodes);

/* Memory blocks (/sys/devices/system/memory). */
long long memory_block_size(void);		/* bytes, or -errno */
/* Block nr: online? zone string of valid_zones, node; 0 or -errno. */
int memory_block_state(long nr, bool *online, char *zones, size_t zlen, int *node);
/* Write "offline" / "online_movable" to memoryNR/state. 0 or -errno. */
int memory_block_set(long nr, const char *state);

#endif /* MMREPRO_NUMA_SYS_H */
