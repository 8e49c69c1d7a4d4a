// SPDX-License-Identifier: GPL-2.0
/* Finding the cgroup v2 mount the reclaim scenarios use. */
#include "lib/memcg.h"
#include "unit.h"

TEST(memcg_mount_found)
{
	char out[64] = "";

	CHECK_INT(memcg_find_mount("proc /proc proc rw 0 0\n"
				   "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid 0 0\n", out, sizeof(out)), 0);
	CHECK_STR(out, "/sys/fs/cgroup");
}

TEST(memcg_mount_absent)
{
	char out[64] = "";

	CHECK_INT(memcg_find_mount("cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n", out,
				   sizeof(out)), -1);
	CHECK_INT(memcg_find_mount("", out, sizeof(out)), -1);
}
