// SPDX-License-Identifier: GPL-2.0
/* An output file (--json FILE, --markdown FILE, ...): open, write, check. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"

int report_write_file(const char *cmd, const char *what, const char *path,
		      void (*write)(FILE *f, const void *arg), const void *arg)
{
	FILE *f = fopen(path, "we");
	int bad;

	if (!f) {
		fprintf(stderr, "mmrepro %s: cannot write %s %s: %s\n", cmd, what, path,
			strerror(errno));
		return -1;
	}
	write(f, arg);
	bad = ferror(f);
	if (fclose(f) || bad) {
		fprintf(stderr, "mmrepro %s: writing %s %s failed\n", cmd, what, path);
		return -1;
	}
	return 0;
}
