// SPDX-License-Identifier: GPL-2.0
/*
 * One line of a guest's serial console at a time (console_parse.h): which
 * splat it starts, its time prefix, a KTAP result, a kmsg marker.
 * console_parse.c puts the lines of a whole log together.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/console_parse.h"
#include "report/report.h"

static const char *const splat_patterns[] = {
	CONSOLE_CUT_HERE,
	"WARNING: CPU:",
	"WARNING: at",
	"kernel BUG at",
	"BUG:",
	"Oops:",
	"general protection fault",
	CONSOLE_PANIC,
	"KASAN:",
	"UBSAN:",
	"watchdog: BUG: soft lockup",
	"rcu: INFO: rcu_sched detected stalls",
	"rcu: INFO: rcu_preempt detected stalls",
	"possible circular locking dependency",
	/* lockdep's other reports */
	"WARNING: possible recursive locking detected",
	"WARNING: possible irq lock inversion dependency",
	"WARNING: inconsistent lock state",
	"WARNING: suspicious RCU usage",
	"WARNING: bad unlock balance detected",
	"WARNING: held lock freed",
	"WARNING: lock held when returning to user space",
	"page_table_check",
	/* kmemleak's report, which the guest prints after a scan */
	"unreferenced object 0x",
};

const char *splat_match(const char *line)
{
	size_t i;

	for (i = 0; i < sizeof(splat_patterns) / sizeof(splat_patterns[0]); i++)
		if (strstr(line, splat_patterns[i]))
			return splat_patterns[i];
	if (strstr(line, "INFO: task ") && strstr(line, "blocked for more than"))
		return "INFO: task blocked for more than";
	return NULL;
}

/* One "[   12.345678]" or "[    T1]" (CONFIG_PRINTK_CALLER) group, or 0. */
static size_t time_group_len(const char *s)
{
	size_t i = 1;
	bool digit = false;

	if (s[0] != '[')
		return 0;
	for (; s[i] && s[i] != ']'; i++) {
		if (isdigit((unsigned char)s[i]))
			digit = true;
		else if (s[i] != ' ' && s[i] != '.' && s[i] != 'T' && s[i] != 'C')
			return 0;
	}
	return s[i] == ']' && digit ? i + 1 : 0;
}

const char *console_strip_time(const char *line)
{
	size_t n;

	while ((n = time_group_len(line)))
		line += n;
	if (line[0] == ' ')
		line++;
	return line;
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

/* Copy the name at s; returns its length, 0 if there is none or it is too long. */
static size_t take_name(const char *s, char *name, size_t namelen)
{
	size_t n = 0;

	while (name_char(s[n]))
		n++;
	if (!n || n >= namelen || (s[n] && !isspace((unsigned char)s[n])))
		return 0;
	memcpy(name, s, n);
	name[n] = '\0';
	return n;
}

void console_copy_trimmed(char *dst, size_t len, const char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

int ktap_parse_result(const char *line, struct ktap_result *r)
{
	const char *p = line;
	char word[16];
	size_t n;

	memset(r, 0, sizeof(*r));
	if (!strncmp(p, "ok ", 3)) {
		r->ok = true;
		p += 3;
	} else if (!strncmp(p, "not ok ", 7)) {
		p += 7;
	} else {
		return -1;
	}
	if (!isdigit((unsigned char)*p))
		return -1;
	r->number = (unsigned int)strtoul(p, (char **)&p, 10);
	if (*p != ' ')
		return -1;
	p++;
	n = take_name(p, r->name, sizeof(r->name));
	if (!n)
		return -1;
	p += n;
	r->verdict = r->ok ? VERDICT_OK : VERDICT_BUG;
	while (*p == ' ')
		p++;
	if (*p != '#')
		return 0;
	p++;
	while (*p == ' ')
		p++;
	n = strcspn(p, " \t");
	if (n < sizeof(word)) {
		memcpy(word, p, n);
		word[n] = '\0';
		if (!ktap_directive_parse(word, &r->verdict)) {
			console_copy_trimmed(r->reason, sizeof(r->reason), p + n);
			return 0;
		}
		r->verdict = r->ok ? VERDICT_OK : VERDICT_BUG;
	}
	console_copy_trimmed(r->reason, sizeof(r->reason), p);	/* TODO, XFAIL, ... */
	return 0;
}

enum marker_kind marker_parse(const char *line, char *name, size_t namelen, enum verdict *v)
{
	const char *p;
	char word[16];
	size_t n;

	*v = VERDICT_NONE;
	p = strstr(line, "mmrepro: begin ");
	if (p) {
		return take_name(p + 15, name, namelen) ? MARKER_BEGIN : MARKER_NONE;
	}
	p = strstr(line, "mmrepro: end ");
	if (!p)
		return MARKER_NONE;
	p += 13;
	n = take_name(p, name, namelen);
	if (!n)
		return MARKER_NONE;
	p += n;
	while (*p == ' ')
		p++;
	n = strcspn(p, " \t");
	if (n && n < sizeof(word)) {
		memcpy(word, p, n);
		word[n] = '\0';
		if (verdict_parse(word, v))
			*v = VERDICT_NONE;
	}
	return MARKER_END;
}
