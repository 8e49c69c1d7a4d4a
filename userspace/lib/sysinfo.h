/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment part of `mmrepro info`: facts about the running kernel's
 * memory management read from /proc and /sys, each with where it came from.
 * The parsers are pure functions on strings.
 */
#ifndef MMREPRO_SYSINFO_H
#define MMREPRO_SYSINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SYSINFO_MAX_FACTS 16

struct sysfact {
	const char *key;	/* JSON key: "thp" */
	const char *label;	/* human label: "THP mode" */
	char value[256];	/* "yes: ...", "no: ...", or a value */
	char source[128];	/* file it was read from */
};

struct sysinfo {
	struct sysfact facts[SYSINFO_MAX_FACTS];
	unsigned int n;
};

/* Probe everything; root prefixes every path ("" or NULL: the real one). */
void sysinfo_probe(struct sysinfo *si, const char *root);
const struct sysfact *sysinfo_get(const struct sysinfo *si, const char *key);
void sysinfo_print_text(FILE *f, const struct sysinfo *si);
/* A JSON object {"key":{"value":"...","source":"..."},...} */
void sysinfo_print_json(FILE *f, const struct sysinfo *si);

/* Pure parsers */

/* "0-1,3" -> 3. -1 on malformed input. "" (no node) -> 0. */
int sysinfo_node_count(const char *list);
/* Value of "Key: 123 kB" or "key 123" lines. 0, or -1 if missing. */
int sysinfo_kv_value(const char *text, const char *key, long long *val);
/* Devices in /proc/swaps text (header skipped); copies the first one's name. */
int sysinfo_swap_count(const char *text, char *first, size_t firstlen);
/* Mount point of the first mount of fstype in /proc/mounts text. */
bool sysinfo_mount_find(const char *text, const char *fstype, char *mnt, size_t mntlen);
/* valid_zones contains the word Movable. */
bool sysinfo_zones_movable(const char *valid_zones);
/* The kernel command line has the whitespace-separated token tok. */
bool cmdline_has_token(const char *cmdline, const char *tok);
/* Sorted numbers -> "1-3,7". Truncates (ending "...") if buf is short. */
void sysinfo_format_ranges(const int *v, size_t n, char *buf, size_t len);

#endif /* MMREPRO_SYSINFO_H */
