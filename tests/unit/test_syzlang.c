// SPDX-License-Identifier: GPL-2.0
/*
 * tests/syzkaller/dev_mmrepro.txt describes every ioctl and every struct
 * field of uapi/linux/mmrepro.h: an ABI change without its syzlang fails.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define UAPI "uapi/linux/mmrepro.h"
#define SYZ "tests/syzkaller/dev_mmrepro.txt"

/* Does a syzlang struct block named name, or name_<variant>, have a field line "\tfield\t"? */
static int syz_has_field(const char *syz, const char *name, const char *field)
{
	size_t nl = strlen(name);
	const char *p = syz;
	char want[96];
	int blocks = 0;

	snprintf(want, sizeof(want), "\n\t%s\t", field);
	while ((p = strstr(p, name))) {
		const char *q = p + nl, *end;

		if (p != syz && p[-1] != '\n') {
			p = q;
			continue;
		}
		while (*q == '_' || isalnum((unsigned char)*q))	/* a variant: name_read */
			q++;
		if ((q != p + nl && p[nl] != '_') || strncmp(q, " {\n", 3)) {
			p = q;
			continue;
		}
		end = strstr(q, "\n}");
		blocks++;
		if (!end)
			return 0;
		{
			char *block = strndup(q, (size_t)(end - q) + 1);
			int found = block && strstr(block, want);

			free(block);
			if (!found)
				return 0;
		}
		p = end;
	}
	return blocks > 0;
}

TEST(syzlang_describes_every_ioctl_and_field)
{
	char *uapi = unit_slurp(UAPI), *syz = unit_slurp(SYZ), *line, *save = NULL;
	char sname[64] = "", word[96];
	int ioctls = 0, fields = 0;

	REQUIRE(uapi && syz);
	for (line = strtok_r(uapi, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char ty[16], f[64];

		if (sscanf(line, "#define %63s", f) == 1 && !strncmp(f, "MMREPRO_IOC_", 12) &&
		    strstr(line + strlen("#define ") + strlen(f), "_IO")) {
			snprintf(word, sizeof(word), "ioctl$%s(", f);
			if (!strstr(syz, word))
				unit_fail(__FILE__, __LINE__, "%s has no %s", SYZ, word);
			ioctls++;
			continue;
		}
		if (sscanf(line, "struct %63[a-z_] {", f) == 1) {
			snprintf(sname, sizeof(sname), "%s", f);
			continue;
		}
		if (line[0] == '}') {
			sname[0] = '\0';
			continue;
		}
		if (sname[0] && sscanf(line, " %15s %63[a-z_]", ty, f) == 2 &&
		    (!strcmp(ty, "__u32") || !strcmp(ty, "__u64") || !strcmp(ty, "__s32") ||
		     !strcmp(ty, "char"))) {
			if (!syz_has_field(syz, sname, f))
				unit_fail(__FILE__, __LINE__, "%s: %s.%s is not described", SYZ,
					  sname, f);
			fields++;
		}
	}
	CHECK(ioctls == 11);
	CHECK(fields > 50);
	free(uapi);
	free(syz);
}
