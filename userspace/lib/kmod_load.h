/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `mmrepro load` and `mmrepro unload` through libkmod; the decisions they
 * make are pure functions here so unit tests can call them without root.
 */
#ifndef MMREPRO_KMOD_LOAD_H
#define MMREPRO_KMOD_LOAD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define MODULE_NAME		"mmrepro"
#define MODULE_FILE		"mmrepro.ko"
#define MODULE_ENV		"MMREPRO_MODULE"
#define MODULE_MAX_CANDIDATES	3
#define DEVICE_WAIT_MS		3000

/*
 * Does the module's vermagic ("6.1.0-18-amd64 SMP preempt mod_unload ...")
 * name the running release? 0 if so; else -1 with a message naming both
 * releases and how to rebuild.
 */
int module_vermagic_check(const char *vermagic, const char *release,
			  char *err, size_t errlen);

/*
 * The module files to try when no --module is given, in order: $MMREPRO_MODULE
 * (env, when set and not empty; then it is the only one), then next to the
 * executable, then one directory up (the kbuild output, for userspace/mmrepro).
 * Returns how many were written to out.
 */
int module_candidates(const char *env, const char *exe_path,
		      char out[][PATH_MAX], int max);

/* Message and exit code for a failed insert (err: a positive errno). */
int module_insert_error(int err, const char *path, char *msg, size_t len);
/* Message and exit code for a failed remove (err: a positive errno). */
int module_remove_error(int err, char *msg, size_t len);

/* libkmod's side, for `mmrepro load` and `unload` (cmd/load.c). */
struct kmod_ctx;
struct kmod_module;
struct utsname;
bool module_is_root(void);
/* uname -r, or "unknown". */
const char *module_running_release(struct utsname *u);
/* /dev/mmrepro appeared within DEVICE_WAIT_MS. */
bool module_wait_for_device(void);
/* The vermagic of mod, or NULL. The caller frees it. */
char *module_vermagic(struct kmod_module *mod);
/* The module to insert (given, or the candidates, or the installed one);
 * NULL with a message printed and *code set if none. */
struct kmod_module *module_find(struct kmod_ctx *ctx, const char *given, int *code);

#endif /* MMREPRO_KMOD_LOAD_H */
