/* SPDX-License-Identifier: GPL-2.0 */
/* The exit codes of mmrepro, shared by every layer that decides one. */
#ifndef MMREPRO_EXIT_CODES_H
#define MMREPRO_EXIT_CODES_H

/* Exit codes (documented in `mmrepro --help`) */
#define EXIT_OK			0
#define EXIT_FAILED		1	/* run: bug/hang/splat; console, matrix: mismatch */
#define EXIT_ERROR		2	/* an error verdict, or the operation failed */
#define EXIT_USAGE		64	/* EX_USAGE */
#define EXIT_UNAVAILABLE	69	/* EX_UNAVAILABLE: module or /dev/mmrepro missing */
#define EXIT_NOPERM		77	/* EX_NOPERM: run as root */

/* `mmrepro run` exits as a kselftest does (kselftest.h KSFT_*). */
#define KSFT_PASS		0
#define KSFT_FAIL		1
#define KSFT_SKIP		4

#endif /* MMREPRO_EXIT_CODES_H */
