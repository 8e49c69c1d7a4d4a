// SPDX-License-Identifier: GPL-2.0
/* The scenario registry: `mmrepro list` and `run all` go in this order. */
#include <string.h>

#include "harness/scenario.h"
#include "scenarios/scenarios.h"

const struct scenario *const scenarios[] = {
	&scenario_ioctl_abi,
	&scenario_fork_pin,
	&scenario_fork_pin_thp,
	&scenario_hugetlb_pin,
	&scenario_ksm_protnone,
	&scenario_smaps_protnone,
	&scenario_protnone_pin,
	&scenario_protnone_fault,
	&scenario_protnone_fault_thp,
	&scenario_protnone_fault_pinned,
	&scenario_protnone_pin_scanner,
	&scenario_protnone_fault_scanner,
	&scenario_protnone_fault_thp_scanner,
	&scenario_protnone_fault_pinned_scanner,
	&scenario_exclusive_basic,
	&scenario_exclusive_swapout,
	&scenario_exclusive_migrate,
	&scenario_exclusive_offline,
	&scenario_exclusive_thp,
	&scenario_exclusive_fork,
	&scenario_hmm_swap,
	&scenario_exclusive_race,
	/* Last: before patch 01 it BUG()s the kernel (page_table_check). */
	&scenario_exclusive_hugetlb,
};

const unsigned int nr_scenarios = sizeof(scenarios) / sizeof(scenarios[0]);

const struct scenario *scenario_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_scenarios; i++)
		if (!strcmp(scenarios[i]->name, name))
			return scenarios[i];
	return NULL;
}
