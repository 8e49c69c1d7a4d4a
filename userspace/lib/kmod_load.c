// SPDX-License-Identifier: GPL-2.0
/* Finding, checking and inserting the module through libkmod; see kmod_load.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <libkmod.h>

#include "lib/exit_codes.h"
#include "lib/kmod_load.h"
#include "harness/scenario.h"

int module_vermagic_check(const char *vermagic, const char *release,
			  char *err, size_t errlen)
{
	size_t n;

	if (!vermagic || !*vermagic) {
		snprintf(err, errlen, "the module has no vermagic: is it a kernel module "
			 "built by kbuild? rebuild it with `make KDIR=/lib/modules/%s/build`",
			 release);
		return -1;
	}
	vermagic += strspn(vermagic, " \t");
	n = strcspn(vermagic, " \t\n");
	if (n == strlen(release) && !strncmp(vermagic, release, n))
		return 0;
	snprintf(err, errlen, "the module was built for kernel %.*s but the running kernel is "
		 "%s: rebuild it with `make KDIR=/lib/modules/%s/build` (or the build tree of "
		 "the kernel under test)", (int)n, vermagic, release, release);
	return -1;
}

int module_candidates(const char *env, const char *exe_path, char out[][PATH_MAX], int max)
{
	const char *slash;
	int n = 0, dirlen;

	if (max <= 0)
		return 0;
	if (env && *env) {
		snprintf(out[n++], PATH_MAX, "%s", env);
		return n;
	}
	if (!exe_path || !(slash = strrchr(exe_path, '/')))
		return n;
	dirlen = (int)(slash - exe_path);
	if (n < max)
		snprintf(out[n++], PATH_MAX, "%.*s/%s", dirlen, exe_path, MODULE_FILE);
	if (n < max)
		snprintf(out[n++], PATH_MAX, "%.*s/../%s", dirlen, exe_path, MODULE_FILE);
	return n;
}

int module_insert_error(int err, const char *path, char *msg, size_t len)
{
	switch (err) {
	case EPERM:
		snprintf(msg, len, "inserting %s is not permitted (%s): module loading may be "
			 "disabled (kernel.modules_disabled) or locked down (Secure Boot needs "
			 "signed modules); see dmesg", path, strerror(err));
		return EXIT_NOPERM;
	case ENOKEY:
	case EKEYREJECTED:
	case EBADMSG:
		snprintf(msg, len, "the kernel rejected the signature of %s (%s): sign it or boot "
			 "without module signature enforcement; see dmesg", path, strerror(err));
		return EXIT_ERROR;
	case ENOEXEC:
	case EINVAL:
		snprintf(msg, len, "the kernel rejected %s (%s): see dmesg (a module for another "
			 "kernel build, or unknown symbols)", path, strerror(err));
		return EXIT_ERROR;
	case ENOENT:
		snprintf(msg, len, "cannot read %s (%s): build it with `make`, or pass --module "
			 "PATH", path, strerror(err));
		return EXIT_UNAVAILABLE;
	default:
		snprintf(msg, len, "inserting %s failed (%s): see dmesg", path, strerror(err));
		return EXIT_ERROR;
	}
}

int module_remove_error(int err, char *msg, size_t len)
{
	switch (err) {
	case EBUSY:
	case EAGAIN:
		snprintf(msg, len, "mmrepro is in use: a process holds %s open (fuser -v %s); "
			 "close it and retry", MMREPRO_DEVICE, MMREPRO_DEVICE);
		return EXIT_ERROR;
	case EPERM:
		snprintf(msg, len, "removing mmrepro is not permitted (%s): run as root",
			 strerror(err));
		return EXIT_NOPERM;
	default:
		snprintf(msg, len, "removing mmrepro failed (%s): see dmesg", strerror(err));
		return EXIT_ERROR;
	}
}

bool module_is_root(void)
{
	return geteuid() == 0;
}

const char *module_running_release(struct utsname *u)
{
	return uname(u) ? "unknown" : u->release;
}

bool module_wait_for_device(void)
{
	struct timespec tick = { .tv_nsec = 50 * 1000 * 1000 };
	struct stat st;
	int waited;

	for (waited = 0; waited <= DEVICE_WAIT_MS; waited += 50) {
		if (!stat(MMREPRO_DEVICE, &st))
			return true;
		nanosleep(&tick, NULL);
	}
	return false;
}

/* The vermagic of mod, or NULL. The caller frees it. */
char *module_vermagic(struct kmod_module *mod)
{
	struct kmod_list *list = NULL, *l;
	char *vm = NULL;

	if (kmod_module_get_info(mod, &list) < 0)
		return NULL;
	kmod_list_foreach(l, list) {
		if (!strcmp(kmod_module_info_get_key(l), "vermagic")) {
			vm = strdup(kmod_module_info_get_value(l));
			break;
		}
	}
	kmod_module_info_free_list(list);
	return vm;
}

/* The installed module, found by name. NULL if none. */
static struct kmod_module *lookup_installed(struct kmod_ctx *ctx)
{
	struct kmod_list *list = NULL;
	struct kmod_module *mod = NULL;

	if (kmod_module_new_from_lookup(ctx, MODULE_NAME, &list) < 0 || !list)
		return NULL;
	mod = kmod_module_get_module(list);
	kmod_module_unref_list(list);
	if (mod && !kmod_module_get_path(mod)) {
		kmod_module_unref(mod);
		mod = NULL;
	}
	return mod;
}

/* Find the module to insert. NULL (with a message printed) if none. */
struct kmod_module *module_find(struct kmod_ctx *ctx, const char *given, int *code)
{
	char cand[MODULE_MAX_CANDIDATES][PATH_MAX], exe[PATH_MAX];
	const char *env = getenv(MODULE_ENV);
	struct kmod_module *mod = NULL;
	const char *rel;
	struct utsname u;
	int n, i, err, e = ENOENT;
	ssize_t len;

	*code = EXIT_UNAVAILABLE;
	if (given) {
		n = 1;
		snprintf(cand[0], PATH_MAX, "%s", given);
	} else {
		len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		exe[len > 0 ? len : 0] = '\0';
		n = module_candidates(env, exe, cand, MODULE_MAX_CANDIDATES);
	}
	for (i = 0; i < n; i++) {
		if (access(cand[i], R_OK)) {
			if (!i)
				e = errno;
			continue;
		}
		err = kmod_module_new_from_path(ctx, cand[i], &mod);
		if (err < 0) {
			fprintf(stderr, "mmrepro load: cannot use %s (%s)\n", cand[i],
				strerror(-err));
			*code = EXIT_ERROR;
			return NULL;
		}
		return mod;
	}
	if (given || (env && *env)) {
		fprintf(stderr, "mmrepro load: %s%s: %s: build the module with `make`, or give "
			"the path of mmrepro.ko\n", given ? "" : MODULE_ENV "=", cand[0],
			strerror(e));
		return NULL;
	}
	mod = lookup_installed(ctx);
	if (mod)
		return mod;
	fprintf(stderr, "mmrepro load: %s not found; tried:\n", MODULE_FILE);
	for (i = 0; i < n; i++)
		fprintf(stderr, "  %s\n", cand[i]);
	rel = module_running_release(&u);
	fprintf(stderr, "  the installed modules of %s (/lib/modules/%s)\n"
		"Build it with `make` (at the top of the mmrepro tree), or pass --module PATH, "
		"or set " MODULE_ENV ".\n", rel, rel);
	return NULL;
}
