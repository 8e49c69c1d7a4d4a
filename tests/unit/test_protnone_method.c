// SPDX-License-Identifier: GPL-2.0
/* Which way a protnone scenario gets its NUMA-hinting PROT_NONE entries. */
#include <string.h>

#include "scenarios/protnone_method.h"
#include "unit.h"

TEST(protnone_method_patch_first)
{
	struct mmrepro_info info = { .caps = MMREPRO_CAP_FORCE_PROTNONE };
	char why[200];

	CHECK_INT(pn_method_best(&info, why, sizeof(why)), PN_METHOD_PATCH);
	CHECK(strstr(why, "change_prot_numa_force()"));
	CHECK_STR(pn_method_name(PN_METHOD_PATCH), "patch");
	CHECK_STR(pn_method_name(PN_METHOD_SCANNER), "scanner");
	CHECK_STR(pn_method_name(PN_METHOD_NONE), "none");
}

TEST(protnone_method_none_says_why)
{
	struct mmrepro_info info = { .caps = 0 };
	char why[200];

	/* No patch, no CONFIG_NUMA_BALANCING: nothing, and both reasons. */
	CHECK_INT(pn_method_best(&info, why, sizeof(why)), PN_METHOD_NONE);
	CHECK(strstr(why, "without the project's patch") && strstr(why, "CONFIG_NUMA_BALANCING off"));
	CHECK(!pn_scanner_available(&info, why, sizeof(why)));
}

TEST(protnone_method_scanner_variant)
{
	struct mmrepro_info info = { .caps = MMREPRO_CAP_NUMA_BALANCING };
	char why[200];

	/* Where the scanner is the only method, the -scanner variant defers to the base row. */
	CHECK_INT(pn_method_pick(&info, true, "protnone-pin", why, sizeof(why)), PN_METHOD_NONE);
	CHECK(strstr(why, "only method") && strstr(why, "protnone-pin uses it"));
	/* A patched kernel without balancing: the variant cannot run. */
	info.caps = MMREPRO_CAP_FORCE_PROTNONE;
	CHECK_INT(pn_method_pick(&info, true, "protnone-pin", why, sizeof(why)), PN_METHOD_NONE);
	CHECK(strstr(why, "CONFIG_NUMA_BALANCING off"));
	/* The base scenario takes the patch. */
	CHECK_INT(pn_method_pick(&info, false, "protnone-pin", why, sizeof(why)), PN_METHOD_PATCH);
}
