/* SPDX-License-Identifier: GPL-2.0 */
/* fork-pin's evidence and its judgement, apart so unit tests can call it. */
#ifndef MMREPRO_FORK_PIN_H
#define MMREPRO_FORK_PIN_H

#include <stddef.h>

#include "harness/scenario.h"

struct fork_pin_evidence {
	size_t npages;		/* pages pinned */
	size_t dev_parent;	/* device view equals the parent's data */
	size_t dev_child;	/* device view equals the child's data */
	size_t parent_sees_dev;	/* a device write is visible to the parent */
	size_t child_sees_dev;	/* a device write is visible to the child */
};

/*
 * ok when the device view is the parent's on every page and device writes
 * reach the parent and never the child; bug otherwise. what names the case
 * ("4 KiB", "THP") in the reason.
 */
void fork_pin_judge(const struct fork_pin_evidence *ev, const char *what, struct result *res);

#endif /* MMREPRO_FORK_PIN_H */
