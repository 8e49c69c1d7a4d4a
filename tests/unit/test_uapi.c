// SPDX-License-Identifier: GPL-2.0
/* The /dev/mmrepro ABI layout: the same on 32- and 64-bit, as the module expects. */
#include <stddef.h>

#include "harness/scenario.h"
#include "unit.h"

_Static_assert(sizeof(struct mmrepro_info) == 168, "struct mmrepro_info is 168 bytes");
_Static_assert(offsetof(struct mmrepro_info, release) == 40, "mmrepro_info.release at 40");
_Static_assert(offsetof(struct mmrepro_info, exclusive_pages) == 144, "mmrepro_info.exclusive_pages at 144");
_Static_assert(offsetof(struct mmrepro_info, max_held_pages) == 152, "mmrepro_info.max_held_pages at 152");
_Static_assert(offsetof(struct mmrepro_info, reserved) == 160, "mmrepro_info.reserved at 160");
_Static_assert(sizeof(struct mmrepro_pin) == 32, "struct mmrepro_pin is 32 bytes");
_Static_assert(sizeof(struct mmrepro_unpin) == 32, "struct mmrepro_unpin is 32 bytes");
_Static_assert(sizeof(struct mmrepro_io) == 24, "struct mmrepro_io is 24 bytes");

TEST(uapi_struct_layout)
{
	CHECK_INT(sizeof(struct mmrepro_info), 168);
	CHECK_INT(offsetof(struct mmrepro_info, release), 40);
	CHECK_INT(offsetof(struct mmrepro_info, module_version), 105);
	CHECK_INT(offsetof(struct mmrepro_info, exclusive_pages), 144);
	CHECK_INT(offsetof(struct mmrepro_info, max_held_pages), 152);
	CHECK_INT(offsetof(struct mmrepro_info, reserved), 160);
	CHECK_INT(offsetof(struct mmrepro_info, protnone_method), 136);
	CHECK_INT(sizeof(struct mmrepro_protnone), 32);
	CHECK_INT(sizeof(struct mmrepro_snapshot), 32);
	CHECK_INT(sizeof(struct mmrepro_page_state), 8);
	CHECK_INT(sizeof(struct mmrepro_pin), 32);
	CHECK_INT(offsetof(struct mmrepro_pin, pinned), 24);
	CHECK_INT(sizeof(struct mmrepro_unpin), 32);
	CHECK_INT(offsetof(struct mmrepro_unpin, unpinned), 24);
	CHECK_INT(sizeof(struct mmrepro_io), 24);
	CHECK_INT(sizeof(struct mmrepro_exclusive), 40);
	CHECK_INT(offsetof(struct mmrepro_exclusive, done), 32);
	CHECK_INT(sizeof(struct mmrepro_check_exclusive), 32);
	CHECK_INT(sizeof(struct mmrepro_release), 32);
	CHECK_INT(sizeof(struct mmrepro_events), 8 + 8 * MMREPRO_EV_MAX + 16);
}

TEST(uapi_ioctl_numbers_distinct)
{
	const unsigned long nr[] = {
		MMREPRO_IOC_INFO, MMREPRO_IOC_PIN, MMREPRO_IOC_UNPIN,
		MMREPRO_IOC_DEV_READ, MMREPRO_IOC_DEV_WRITE, MMREPRO_IOC_FORCE_PROTNONE,
		MMREPRO_IOC_SNAPSHOT, MMREPRO_IOC_EXCLUSIVE, MMREPRO_IOC_CHECK_EXCLUSIVE,
		MMREPRO_IOC_RELEASE, MMREPRO_IOC_EVENTS,
	};
	size_t i, j;

	for (i = 0; i < sizeof(nr) / sizeof(nr[0]); i++) {
		CHECK_INT(_IOC_TYPE(nr[i]), MMREPRO_IOC_MAGIC);
		for (j = i + 1; j < sizeof(nr) / sizeof(nr[0]); j++)
			CHECK(nr[i] != nr[j]);
	}
	CHECK_INT(_IOC_SIZE(MMREPRO_IOC_INFO), sizeof(struct mmrepro_info));
	CHECK_INT(_IOC_DIR(MMREPRO_IOC_INFO), _IOC_READ);
	CHECK_INT(_IOC_DIR(MMREPRO_IOC_PIN), _IOC_READ | _IOC_WRITE);
}
