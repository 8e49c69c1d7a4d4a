// SPDX-License-Identifier: GPL-2.0
/* The hostile-input table: docs/hostile-inputs.md is what the code runs. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/abi/abi_check.h"
#include "unit.h"

#define DOC "docs/hostile-inputs.md"

TEST(abi_table_is_documented)
{
	char *table = CAPTURE(f, abi_write_markdown(f)), *doc;

	REQUIRE(table);
	doc = unit_slurp(DOC);
	REQUIRE(doc);
	if (!strstr(doc, table))
		unit_fail(__FILE__, __LINE__, "%s is not `mmrepro list --abi`: regenerate it", DOC);
	free(doc);
	free(table);
}

TEST(abi_rows_are_whole)
{
	size_t i, j, rows = 0;

	for (i = 0; i < nr_abi_tables; i++) {
		for (j = 0; j < abi_tables[i]->n; j++) {
			const struct abi_case *c = &abi_tables[i]->cases[j];

			CHECK(c->ioctl && c->input && c->run);
			CHECK(!c->cap || c->want_without);
			rows++;
		}
	}
	CHECK(rows >= 100);
}

TEST(abi_case_want_by_caps)
{
	const struct abi_case c = { "X", 0, "y", 0, MMREPRO_CAP_DEVICE_EXCLUSIVE, 95, NULL };

	CHECK_INT(abi_case_want(&c, MMREPRO_CAP_DEVICE_EXCLUSIVE), 0);
	CHECK_INT(abi_case_want(&c, 0), 95);
}
