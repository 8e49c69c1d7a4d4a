/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Global settings a scenario changes (sysctls, debugfs and sysfs knobs,
 * KSM's, a memory cgroup and the root's +memory), put back even when the
 * scenario is killed at its deadline.
 *
 * Before it writes a knob, knob_set() records the knob's path and its
 * current value in a journal that lives in shared memory, mapped by the
 * runner before it forks the scenario. The scenario restores its knobs
 * itself (knob_restore_all()) when it ends normally; the runner calls
 * knob_restore_all() again after reaping the child, which finds an empty
 * journal then, or, if the child was killed, the knobs it left changed.
 * Without a journal (knob_journal_map() never called) the entries live in
 * the process's own memory: restored on a normal end only.
 */
#ifndef MMREPRO_KNOBS_H
#define MMREPRO_KNOBS_H

#include <stddef.h>

#define KNOB_MAX	16	/* knobs one scenario may change */
#define KNOB_PATH_MAX	128
#define KNOB_VALUE_MAX	64

/* Map the shared journal (idempotent). 0 or -errno. */
int knob_journal_map(void);

/*
 * Write value to the knob at path, first recording its current value (once:
 * a second set keeps the first saved value). 0 or -errno (-ENOSPC: journal
 * full, -ENAMETOOLONG: path or value too long; nothing written then).
 */
int knob_set(const char *path, const char *value);
int knob_set_ulong(const char *path, unsigned long value);

/*
 * Undo steps for changes that are not "put the old value back": write
 * value to path on restore (e.g. "-memory" to a cgroup.subtree_control the
 * scenario wrote "+memory" to), or remove the directory path (a cgroup the
 * scenario made; one already gone is fine). Recorded before the change is
 * made. 0, -ENOSPC or -ENAMETOOLONG.
 */
int knob_undo_write(const char *path, const char *value);
int knob_undo_rmdir(const char *path);
/* Drop what was recorded for path: its owner has undone it itself. */
void knob_forget(const char *path);

/*
 * Write every recorded value back, newest first, and empty the journal.
 * report (may be NULL) gets "path=value ..." of what was restored. Returns
 * how many knobs were restored, or -errno of the first write that failed
 * (the others are still tried).
 */
int knob_restore_all(char *report, size_t len);

#endif /* MMREPRO_KNOBS_H */
