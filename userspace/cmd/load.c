// SPDX-License-Identifier: GPL-2.0
/* `mmrepro load` and `mmrepro unload` (lib/kmod_load.c does the work). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <libkmod.h>

#include "cmd/cli_args.h"
#include "cmd/cmds.h"
#include "lib/kmod_load.h"
#include "harness/scenario.h"

const char usage_load[] =
"Usage: mmrepro load [--module PATH]\n"
"\n"
"Insert the mmrepro module (as root) and wait up to 3 s for /dev/mmrepro.\n"
"Without --module the first that exists of:\n"
"  $" MODULE_ENV "\n"
"  <directory of the mmrepro executable>/" MODULE_FILE "\n"
"  <directory of the mmrepro executable>/../" MODULE_FILE "   (the kbuild output)\n"
"  the installed module (`make modules_install`), found by name\n"
"The module must be built for the running kernel (its vermagic is checked).\n"
"Already loaded is not an error.\n"
"\n"
"Options:\n"
"  --module PATH   the " MODULE_FILE " to insert\n"
"\n"
"Exit status: 0 loaded (or already loaded); 2 the insert failed; 69 no module\n"
"file found; 77 not root or not permitted; 64 usage error.\n";

const char usage_unload[] =
"Usage: mmrepro unload\n"
"\n"
"Remove the mmrepro module (as root). Not loaded is not an error. Fails while\n"
"a process holds /dev/mmrepro open (find it with `fuser -v /dev/mmrepro`).\n"
"\n"
"Exit status: 0 removed (or not loaded); 2 the removal failed (in use);\n"
"77 not root or not permitted; 64 usage error.\n";

int cmd_load(int argc, char **argv)
{
	char err[CLI_ERR_MAX], *vermagic;
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	struct load_opts o;
	struct utsname u;
	const char *path;
	int code, r;

	if (parse_load_args(argc, argv, &o, err, sizeof(err)) || o.help)
		return usage_or_error("load", usage_load, o.help, err);
	if (!module_is_root()) {
		fprintf(stderr, "mmrepro load: inserting a module needs root: run `sudo mmrepro "
			"load` (or as root in the guest)\n");
		return EXIT_NOPERM;
	}
	ctx = kmod_new(NULL, NULL);
	if (!ctx) {
		fprintf(stderr, "mmrepro load: libkmod could not start (out of memory?)\n");
		return EXIT_ERROR;
	}
	mod = module_find(ctx, o.module, &code);
	if (!mod) {
		kmod_unref(ctx);
		return code;
	}
	path = kmod_module_get_path(mod);
	code = EXIT_ERROR;
	if (kmod_module_get_initstate(mod) >= 0) {
		printf("mmrepro is already loaded (to load %s instead: mmrepro unload && mmrepro "
		       "load)\n", path);
		code = module_wait_for_device() ? EXIT_OK : EXIT_ERROR;
		if (code)
			fprintf(stderr, "mmrepro load: but %s is missing: is devtmpfs mounted on "
				"/dev? see dmesg\n", MMREPRO_DEVICE);
		goto out;
	}
	vermagic = module_vermagic(mod);
	r = module_vermagic_check(vermagic, module_running_release(&u), err, sizeof(err));
	free(vermagic);
	if (r) {
		fprintf(stderr, "mmrepro load: %s: %s\n", path, err);
		goto out;
	}
	r = kmod_module_insert_module(mod, 0, NULL);
	if (r == -EEXIST) {
		printf("mmrepro is already loaded\n");
	} else if (r < 0) {
		code = module_insert_error(-r, path, err, sizeof(err));
		fprintf(stderr, "mmrepro load: %s\n", err);
		goto out;
	}
	if (!module_wait_for_device()) {
		fprintf(stderr, "mmrepro load: %s is loaded but %s did not appear within %d s: "
			"is devtmpfs mounted on /dev (mount -t devtmpfs devtmpfs /dev)? "
			"see dmesg\n", path, MMREPRO_DEVICE, DEVICE_WAIT_MS / 1000);
		goto out;
	}
	if (r >= 0)
		printf("loaded %s; %s is ready\n", path, MMREPRO_DEVICE);
	code = EXIT_OK;
out:
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return code;
}

int cmd_unload(int argc, char **argv)
{
	char err[CLI_ERR_MAX];
	struct kmod_module *mod;
	struct unload_opts o;
	struct kmod_ctx *ctx;
	int code = EXIT_ERROR, r;

	if (parse_unload_args(argc, argv, &o, err, sizeof(err)) || o.help)
		return usage_or_error("unload", usage_unload, o.help, err);
	ctx = kmod_new(NULL, NULL);
	if (!ctx) {
		fprintf(stderr, "mmrepro unload: libkmod could not start (out of memory?)\n");
		return EXIT_ERROR;
	}
	r = kmod_module_new_from_name(ctx, MODULE_NAME, &mod);
	if (r < 0) {
		fprintf(stderr, "mmrepro unload: libkmod: %s\n", strerror(-r));
		kmod_unref(ctx);
		return EXIT_ERROR;
	}
	if (kmod_module_get_initstate(mod) < 0) {
		printf("mmrepro is not loaded\n");
		code = EXIT_OK;
		goto out;
	}
	if (!module_is_root()) {
		fprintf(stderr, "mmrepro unload: removing a module needs root: run `sudo mmrepro "
			"unload`\n");
		code = EXIT_NOPERM;
		goto out;
	}
	r = kmod_module_remove_module(mod, 0);
	if (r == -ENOENT) {
		printf("mmrepro is not loaded\n");
		code = EXIT_OK;
	} else if (r < 0) {
		code = module_remove_error(-r, err, sizeof(err));
		fprintf(stderr, "mmrepro unload: %s\n", err);
	} else {
		printf("unloaded mmrepro\n");
		code = EXIT_OK;
	}
out:
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return code;
}
