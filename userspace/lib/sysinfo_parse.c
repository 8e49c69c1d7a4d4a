// SPDX-License-Identifier: GPL-2.0
/*
 * The pure parsers behind `mmrepro info` (sysinfo.h): text in, facts out,
 * no I/O, so unit tests feed them captured /proc and /sys text.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/memutil.h"
#include "lib/sysinfo.h"

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	return s;
}

static int parse_uint(const char **s, long *out)
{
	char *end;

	if (!isdigit((unsigned char)**s))
		return -1;
	errno = 0;
	*out = strtol(*s, &end, 10);
	if (errno)
		return -1;
	*s = end;
	return 0;
}

int sysinfo_node_count(const char *list)
{
	const char *s = skip_space(list);
	int count = 0;

	if (!*s)
		return 0;
	for (;;) {
		long a, b;

		if (parse_uint(&s, &a))
			return -1;
		b = a;
		if (*s == '-') {
			s++;
			if (parse_uint(&s, &b) || b < a)
				return -1;
		}
		if (b - a + 1 > 65536 - count)
			return -1;
		count += (int)(b - a + 1);
		if (*s != ',')
			break;
		s++;
	}
	return *skip_space(s) ? -1 : count;
}

int sysinfo_kv_value(const char *text, const char *key, long long *val)
{
	size_t klen = strlen(key);
	const char *line = text;

	while (line && *line) {
		if (!strncmp(line, key, klen) &&
		    (line[klen] == ':' || line[klen] == ' ' || line[klen] == '\t')) {
			const char *p = line + klen + (line[klen] == ':');
			char *end;

			p = skip_space(p);
			errno = 0;
			*val = strtoll(p, &end, 10);
			if (end == p || errno)
				return -1;
			return 0;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

int sysinfo_swap_count(const char *text, char *first, size_t firstlen)
{
	const char *line = strchr(text, '\n');	/* skip the header */
	int n = 0;

	if (firstlen)
		first[0] = '\0';
	while (line && *++line) {
		const char *p = line;
		size_t len = strcspn(p, " \t\n");

		if (len) {
			if (!n && firstlen) {
				if (len >= firstlen)
					len = firstlen - 1;
				memcpy(first, p, len);
				first[len] = '\0';
			}
			n++;
		}
		line = strchr(line, '\n');
	}
	return n;
}

bool sysinfo_mount_find(const char *text, const char *fstype, char *mnt, size_t mntlen)
{
	const char *line = text;

	while (line && *line) {
		char dev[256], dir[512], type[64];

		if (sscanf(line, "%255s %511s %63s", dev, dir, type) == 3 &&
		    !strcmp(type, fstype)) {
			snprintf(mnt, mntlen, "%s", dir);
			return true;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return false;
}

bool sysinfo_zones_movable(const char *valid_zones)
{
	return text_has_word(valid_zones, "Movable");
}

bool cmdline_has_token(const char *cmdline, const char *tok)
{
	return text_has_word(cmdline, tok);
}

void sysinfo_format_ranges(const int *v, size_t n, char *buf, size_t len)
{
	size_t i = 0, used = 0;

	if (!len)
		return;
	buf[0] = '\0';
	while (i < n) {
		size_t j = i;
		char item[32];
		int w;

		while (j + 1 < n && v[j + 1] == v[j] + 1)
			j++;
		if (j == i)
			w = snprintf(item, sizeof(item), "%s%d", i ? "," : "", v[i]);
		else
			w = snprintf(item, sizeof(item), "%s%d-%d", i ? "," : "", v[i], v[j]);
		if (used + (size_t)w + 4 >= len) {
			snprintf(buf + used, len - used, "%s", len - used > 4 ? ",..." : "");
			return;
		}
		memcpy(buf + used, item, (size_t)w + 1);
		used += (size_t)w;
		i = j + 1;
	}
}
