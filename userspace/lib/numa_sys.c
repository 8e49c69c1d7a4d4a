// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/memutil.h"
#include "lib/numa_sys.h"
#include "lib/sysinfo.h"

#define MPOL_BIND_	2
#define MPOL_MF_MOVE_	(1 << 1)
#define MPOL_F_NUMA_BALANCING_	(1 << 13)

/* A one-line sysfs value without its newline. */
static int read_small(const char *path, char *buf, size_t len)
{
	int ret = file_read_str(path, buf, len);

	if (!ret)
		buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

int numa_nodes_online(void)
{
	char buf[128];
	int n;

	if (read_small("/sys/devices/system/node/online", buf, sizeof(buf)))
		return 1;
	n = sysinfo_node_count(buf);
	return n > 0 ? n : 1;
}

int move_pages_self(size_t count, void **pages, const int *nodes, int *status)
{
	return syscall(SYS_move_pages, 0, (unsigned long)count, pages, nodes, status,
		       MPOL_MF_MOVE_) < 0 ? -errno : 0;
}

int mbind_node(void *addr, size_t len, int node)
{
	unsigned long mask[4] = { 0 };

	if (node < 0 || node >= (int)(8 * sizeof(mask)))
		return -EINVAL;
	mask[node / (8 * sizeof(mask[0]))] = 1UL << (node % (8 * sizeof(mask[0])));
	return syscall(SYS_mbind, addr, len, MPOL_BIND_, mask, 8 * sizeof(mask) + 1, 0) < 0 ?
	       -errno : 0;
}

int mbind_balanced(void *addr, size_t len, int nodes)
{
	unsigned long mask[4] = { 0 };
	int node;

	if (nodes < 1 || nodes > (int)(8 * sizeof(mask)))
		return -EINVAL;
	for (node = 0; node < nodes; node++)
		mask[node / (8 * sizeof(mask[0]))] |= 1UL << (node % (8 * sizeof(mask[0])));
	return syscall(SYS_mbind, addr, len, MPOL_BIND_ | MPOL_F_NUMA_BALANCING_, mask,
		       8 * sizeof(mask) + 1, 0) < 0 ? -errno : 0;
}

long long memory_block_size(void)
{
	char buf[64];
	int ret = read_small("/sys/devices/system/memory/block_size_bytes", buf, sizeof(buf));

	return ret ? ret : strtoll(buf, NULL, 16);
}

int memory_block_state(long nr, bool *online, char *zones, size_t zlen, int *node)
{
	char path[128], buf[64];
	struct dirent *de;
	DIR *d;
	int ret;

	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%ld/online", nr);
	ret = read_small(path, buf, sizeof(buf));
	if (ret)
		return ret;
	*online = buf[0] == '1';
	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%ld/valid_zones", nr);
	if (read_small(path, zones, zlen))
		zones[0] = '\0';
	*node = -1;
	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%ld", nr);
	d = opendir(path);
	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, "node", 4) && de->d_name[4] >= '0' && de->d_name[4] <= '9')
			*node = atoi(de->d_name + 4);
	if (d)
		closedir(d);
	return 0;
}

int memory_block_set(long nr, const char *state)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%ld/state", nr);
	return file_write_str(path, state);
}
