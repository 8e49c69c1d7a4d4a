// SPDX-License-Identifier: GPL-2.0
/* The journal of changed global settings; see knobs.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/knobs.h"
#include "lib/memutil.h"

enum knob_undo {
	KNOB_UNDO_NONE,		/* forgotten: its owner undid it */
	KNOB_UNDO_WRITE,	/* write value to path */
	KNOB_UNDO_RMDIR,	/* remove the directory path (gone already: fine) */
};

struct knob_entry {
	char path[KNOB_PATH_MAX];
	char value[KNOB_VALUE_MAX];	/* the value before the first knob_set() */
	unsigned char undo;		/* enum knob_undo */
};

struct knob_journal {
	unsigned int n;
	struct knob_entry e[KNOB_MAX];
};

static struct knob_journal local_journal;
static struct knob_journal *journal = &local_journal;

int knob_journal_map(void)
{
	struct knob_journal *j;

	if (journal != &local_journal)
		return 0;
	j = mmap(NULL, sizeof(*j), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (j == MAP_FAILED)
		return -errno;
	*j = local_journal;
	journal = j;
	return 0;
}

static struct knob_entry *knob_find(const char *path)
{
	unsigned int i;

	for (i = 0; i < journal->n; i++)
		if (journal->e[i].undo != KNOB_UNDO_NONE && !strcmp(journal->e[i].path, path))
			return &journal->e[i];
	return NULL;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/* Append an undo step; published only when whole: a kill before leaves nothing to undo. */
static int knob_record(const char *path, const char *value, enum knob_undo undo)
{
	struct knob_entry *e;

	if (strlen(path) >= KNOB_PATH_MAX || strlen(value) >= KNOB_VALUE_MAX)
		return -ENAMETOOLONG;
	if (journal->n == KNOB_MAX)
		return -ENOSPC;
	e = &journal->e[journal->n];
	strcpy(e->path, path);
	strcpy(e->value, value);
	e->undo = undo;
	__atomic_store_n(&journal->n, journal->n + 1, __ATOMIC_RELEASE);
	return 0;
}

int knob_set(const char *path, const char *value)
{
	struct knob_entry *e = knob_find(path);
	int ret;

	if (strlen(path) >= KNOB_PATH_MAX || strlen(value) >= KNOB_VALUE_MAX)
		return -ENAMETOOLONG;
	if (!e) {
		char old[KNOB_VALUE_MAX];

		ret = file_read_str(path, old, sizeof(old));
		if (ret)
			return ret;
		chomp(old);
		ret = knob_record(path, old, KNOB_UNDO_WRITE);
		if (ret)
			return ret;
	}
	return file_write_str(path, value);
}

int knob_undo_write(const char *path, const char *value)
{
	return knob_record(path, value, KNOB_UNDO_WRITE);
}

int knob_undo_rmdir(const char *path)
{
	return knob_record(path, "", KNOB_UNDO_RMDIR);
}

void knob_forget(const char *path)
{
	unsigned int i;

	for (i = 0; i < journal->n; i++)
		if (!strcmp(journal->e[i].path, path))
			__atomic_store_n(&journal->e[i].undo, KNOB_UNDO_NONE, __ATOMIC_RELEASE);
}

int knob_set_ulong(const char *path, unsigned long value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lu", value);
	return knob_set(path, buf);
}

int knob_restore_all(char *report, size_t len)
{
	int restored = 0, err = 0, ret;
	size_t used = 0;

	if (report && len)
		report[0] = '\0';
	while (journal->n) {
		struct knob_entry *e = &journal->e[journal->n - 1];
		int w = 0;

		if (e->undo == KNOB_UNDO_NONE) {
			journal->n--;
			continue;
		}
		if (e->undo == KNOB_UNDO_RMDIR) {
			ret = rmdir(e->path) ? -errno : 0;
			if (ret == -ENOENT) {	/* its owner removed it */
				journal->n--;
				continue;
			}
		} else {
			ret = file_write_str(e->path, e->value);
		}
		if (ret && !err)
			err = ret;
		if (!ret)
			restored++;
		if (report && used < len) {
			if (e->undo == KNOB_UNDO_RMDIR)
				w = snprintf(report + used, len - used, "%srmdir %s%s", used ? " " : "",
					     e->path, ret ? " (failed)" : "");
			else
				w = snprintf(report + used, len - used, "%s%s=%s%s", used ? " " : "",
					     e->path, e->value, ret ? " (failed)" : "");
			used += w > 0 ? (size_t)w : 0;
		}
		journal->n--;
	}
	return err ? err : restored;
}
