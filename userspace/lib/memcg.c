// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/knobs.h"
#include "lib/memcg.h"
#include "lib/memutil.h"
#include "lib/sysinfo.h"

int memcg_find_mount(const char *mounts, char *out, size_t outlen)
{
	return sysinfo_mount_find(mounts, "cgroup2", out, outlen) ? 0 : -1;
}

static int write_str(const char *dir, const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return file_write_str(path, val);
}

static int read_str(const char *dir, const char *file, char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return file_read_str(path, buf, len);
}

int memcg_enter(struct memcg_scope *m, char *err, size_t errlen)
{
	char mounts[8192] = "", buf[256], pid[32];
	int ret;

	memset(m, 0, sizeof(*m));
	if (read_str("/proc", "mounts", mounts, sizeof(mounts)) ||
	    memcg_find_mount(mounts, m->root, sizeof(m->root))) {
		snprintf(err, errlen, "no cgroup v2 mounted (mount -t cgroup2 none /sys/fs/cgroup)");
		return -ENOENT;
	}
	if (read_str(m->root, "cgroup.controllers", buf, sizeof(buf)) || !text_has_word(buf, "memory")) {
		snprintf(err, errlen, "no memory controller in %s (CONFIG_MEMCG off?)", m->root);
		return -ENOENT;
	}
	snprintf(m->subtree_control, sizeof(m->subtree_control), "%s/cgroup.subtree_control",
		 m->root);
	if (!read_str(m->root, "cgroup.subtree_control", buf, sizeof(buf)) && !text_has_word(buf, "memory")) {
		/* undone by the runner (knobs.h) if this process is killed */
		knob_undo_write(m->subtree_control, "-memory");
		ret = write_str(m->root, "cgroup.subtree_control", "+memory");
		if (ret) {
			knob_forget(m->subtree_control);
			snprintf(err, errlen, "cannot enable the memory controller in %s: %s", m->root,
				 strerror(-ret));
			return ret;
		}
		m->enabled_memory = true;
	}
	snprintf(m->dir, sizeof(m->dir), "%s/mmrepro-%d", m->root, (int)getpid());
	knob_undo_rmdir(m->dir);
	if (mkdir(m->dir, 0755) && errno != EEXIST) {
		ret = -errno;
		snprintf(err, errlen, "mkdir %s: %s", m->dir, strerror(errno));
		memcg_leave(m);
		return ret;
	}
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	ret = write_str(m->dir, "cgroup.procs", pid);
	if (ret) {
		snprintf(err, errlen, "cannot move into %s: %s", m->dir, strerror(-ret));
		memcg_leave(m);
		return ret;
	}
	m->entered = true;
	return 0;
}

int memcg_reclaim(struct memcg_scope *m, unsigned long long bytes)
{
	char val[32];

	snprintf(val, sizeof(val), "%llu", bytes);
	return write_str(m->dir, "memory.reclaim", val);
}

void memcg_leave(struct memcg_scope *m)
{
	char pid[32];

	if (m->entered) {
		snprintf(pid, sizeof(pid), "%d", (int)getpid());
		write_str(m->root, "cgroup.procs", pid);
		m->entered = false;
	}
	if (m->dir[0]) {
		rmdir(m->dir);
		knob_forget(m->dir);
		m->dir[0] = '\0';
	}
	if (m->enabled_memory) {
		write_str(m->root, "cgroup.subtree_control", "-memory");
		knob_forget(m->subtree_control);
		m->enabled_memory = false;
	}
}
