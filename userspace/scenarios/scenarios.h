/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MMREPRO_SCENARIOS_H
#define MMREPRO_SCENARIOS_H

#include "harness/scenario.h"

/* scenarios/ioctl_abi.c: the module's ABI, no thread */
extern const struct scenario scenario_ioctl_abi;

/* scenarios/fork_pin.c: thread 001 */
extern const struct scenario scenario_fork_pin;
extern const struct scenario scenario_fork_pin_thp;

/* scenarios/hugetlb_pin.c: thread 004 */
extern const struct scenario scenario_hugetlb_pin;

/* scenarios/ksm_protnone.c, scenarios/smaps_protnone.c: thread 000 */
extern const struct scenario scenario_ksm_protnone;
extern const struct scenario scenario_smaps_protnone;

/* scenarios/protnone_pin.c: thread 000 */
extern const struct scenario scenario_protnone_pin;
extern const struct scenario scenario_protnone_pin_scanner;

/* scenarios/protnone_fault.c: thread 002 */
extern const struct scenario scenario_protnone_fault;
extern const struct scenario scenario_protnone_fault_thp;
extern const struct scenario scenario_protnone_fault_pinned;
extern const struct scenario scenario_protnone_fault_scanner;
extern const struct scenario scenario_protnone_fault_thp_scanner;
extern const struct scenario scenario_protnone_fault_pinned_scanner;

/* scenarios/exclusive_*.c, scenarios/hmm_swap.c: thread 003 */
extern const struct scenario scenario_exclusive_basic;
extern const struct scenario scenario_exclusive_swapout;
extern const struct scenario scenario_exclusive_migrate;
extern const struct scenario scenario_exclusive_offline;
extern const struct scenario scenario_exclusive_thp;
extern const struct scenario scenario_exclusive_fork;
extern const struct scenario scenario_exclusive_hugetlb;
extern const struct scenario scenario_hmm_swap;

/* scenarios/exclusive_race.c: the module's notifier protocol, no thread */
extern const struct scenario scenario_exclusive_race;

#endif /* MMREPRO_SCENARIOS_H */
