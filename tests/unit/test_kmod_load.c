// SPDX-License-Identifier: GPL-2.0
/* The decisions of `mmrepro load` / `unload` (never loads anything). */
#include <errno.h>

#include "cmd/cmds.h"
#include "lib/kmod_load.h"
#include "harness/scenario.h"
#include "unit.h"

TEST(vermagic_compare)
{
	char err[512];

	CHECK_INT(module_vermagic_check("6.1.0-18-amd64 SMP preempt mod_unload modversions ",
					"6.1.0-18-amd64", err, sizeof(err)), 0);
	CHECK_INT(module_vermagic_check("6.1.0-18-amd64", "6.1.0-18-amd64", err, sizeof(err)), 0);
	CHECK_INT(module_vermagic_check("6.1.0-18-amd64 SMP", "6.1.0-18", err, sizeof(err)), -1);
	CHECK_INT(module_vermagic_check("6.1.0 SMP", "6.1.0-18-amd64", err, sizeof(err)), -1);
	CHECK_INT(module_vermagic_check("6.12.3 SMP preempt", "6.1.0-18-amd64", err,
					sizeof(err)), -1);
	CHECK_HAS(err, "built for kernel 6.12.3 but the running kernel is 6.1.0-18-amd64");
	CHECK_HAS(err, "make KDIR=/lib/modules/6.1.0-18-amd64/build");
	CHECK_HAS(err, "build tree of the kernel under test");
	CHECK_INT(module_vermagic_check(NULL, "6.1.0", err, sizeof(err)), -1);
	CHECK_HAS(err, "no vermagic");
	CHECK_INT(module_vermagic_check("", "6.1.0", err, sizeof(err)), -1);
}

TEST(module_lookup_order)
{
	char c[MODULE_MAX_CANDIDATES][PATH_MAX];

	CHECK_INT(module_candidates(NULL, "/src/mmrepro/userspace/mmrepro", c, 3), 2);
	CHECK_STR(c[0], "/src/mmrepro/userspace/mmrepro.ko");
	CHECK_STR(c[1], "/src/mmrepro/userspace/../mmrepro.ko");
	CHECK_INT(module_candidates("", "/bin/mmrepro", c, 3), 2);
	CHECK_STR(c[0], "/bin/mmrepro.ko");
	CHECK_INT(module_candidates("/tmp/m.ko", "/bin/mmrepro", c, 3), 1);
	CHECK_STR(c[0], "/tmp/m.ko");
	CHECK_INT(module_candidates(NULL, "", c, 3), 0);
	CHECK_INT(module_candidates(NULL, "/bin/mmrepro", c, 1), 1);
}

TEST(insert_and_remove_errors)
{
	char msg[512];

	CHECK_INT(module_insert_error(ENOEXEC, "/x.ko", msg, sizeof(msg)), EXIT_ERROR);
	CHECK_HAS(msg, "see dmesg");
	CHECK_INT(module_insert_error(EINVAL, "/x.ko", msg, sizeof(msg)), EXIT_ERROR);
	CHECK_HAS(msg, "see dmesg");
	CHECK_INT(module_insert_error(EPERM, "/x.ko", msg, sizeof(msg)), EXIT_NOPERM);
	CHECK_INT(module_insert_error(ENOKEY, "/x.ko", msg, sizeof(msg)), EXIT_ERROR);
	CHECK_HAS(msg, "signature");
	CHECK_INT(module_insert_error(ENOMEM, "/x.ko", msg, sizeof(msg)), EXIT_ERROR);
	CHECK_HAS(msg, "Cannot allocate memory");
	CHECK_INT(module_remove_error(EBUSY, msg, sizeof(msg)), EXIT_ERROR);
	CHECK_STR(msg, "mmrepro is in use: a process holds /dev/mmrepro open "
		       "(fuser -v /dev/mmrepro); close it and retry");
	CHECK_INT(module_remove_error(EAGAIN, msg, sizeof(msg)), EXIT_ERROR);
	CHECK_HAS(msg, "in use");
	CHECK_INT(module_remove_error(EPERM, msg, sizeof(msg)), EXIT_NOPERM);
}

TEST(info_names)
{
	char caps[128];

	CHECK_HAS(info_pin_api_name(MMREPRO_PIN_API_NO_VMAS), ">= 6.5");
	CHECK_HAS(info_pin_api_name(MMREPRO_PIN_API_VMAS), "< 6.5");
	CHECK_STR(info_pin_api_name(0), "unknown");
	CHECK_HAS(info_excl_api_name(MMREPRO_EXCL_API_SINGLE), "make_device_exclusive()");
	info_caps_text(0, caps, sizeof(caps));
	CHECK_STR(caps, "none");
	info_caps_text(MMREPRO_CAP_HONOR_NUMA_FAULT | MMREPRO_CAP_PIN_LONGTERM | (1ULL << 40),
		       caps, sizeof(caps));
	CHECK_STR(caps, "honor-numa-fault, pin-longterm, unknown 0x10000000000");
}
