/* SPDX-License-Identifier: GPL-2.0 */
/* Between runner.c (fork, signals) and collect.c (the parent's side). */
#ifndef MMREPRO_RUNNER_IMPL_H
#define MMREPRO_RUNNER_IMPL_H

#include <sys/types.h>

#include "harness/runner.h"

/*
 * Read the child's log (logfd) and result (resfd) until it exits or
 * timeout_s passes; kill its process group; set out->res.
 */
void run_collect(pid_t pid, int logfd, int resfd, unsigned int timeout_s,
		 struct run_outcome *out);

#endif /* MMREPRO_RUNNER_IMPL_H */
