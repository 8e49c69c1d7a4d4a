// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing a guest's serial console log; see console_parse.h.
 *
 * A scenario's verdict comes from its KTAP result line (or, failing that,
 * its end marker). Kernel splats are tied to the scenario whose begin marker
 * came last and whose end marker has not come yet; one outside every
 * scenario goes to the pseudo-scenario "boot". KTAP lines may come after the
 * end marker (stdout and the kernel console interleave), so verdicts are
 * matched by name, not position.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/console_parse.h"
#include "report/report.h"

struct entry {
	char name[CONSOLE_NAME_MAX];
	bool began, ended, have_ktap, splat;
	enum verdict ktap_verdict, end_verdict;
	char ktap_reason[RESULT_REASON_MAX];
	char splat_reason[RESULT_REASON_MAX];
	const char *cut_line;	/* the "cut here" line, until a better reason comes */
	size_t splat_line;	/* where the excerpt starts */
};

struct parser {
	char **lines;
	size_t nlines;
	struct entry *e;
	size_t n, cap;
	bool oom;
};

static struct entry *entry_get(struct parser *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->e[i].name, name))
			return &p->e[i];
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		struct entry *n = realloc(p->e, cap * sizeof(*n));

		if (!n) {
			p->oom = true;
			return NULL;
		}
		p->e = n;
		p->cap = cap;
	}
	memset(&p->e[p->n], 0, sizeof(p->e[0]));
	snprintf(p->e[p->n].name, sizeof(p->e[0].name), "%s", name);
	return &p->e[p->n++];
}

static int split_lines(struct parser *p, char *buf, size_t len)
{
	char *s = buf, *end = buf + len;
	size_t i, cap = 1;

	for (i = 0; i < len; i++) {
		if (!buf[i])
			buf[i] = ' ';
		if (buf[i] == '\n')
			cap++;
	}
	*end = '\0';
	p->lines = malloc(cap * sizeof(*p->lines));
	if (!p->lines)
		return -1;
	for (;;) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t l;

		if (nl)
			*nl = '\0';
		l = strlen(s);
		while (l && s[l - 1] == '\r')
			s[--l] = '\0';
		p->lines[p->nlines++] = s;
		if (!nl || nl + 1 == end)
			break;
		s = nl + 1;
	}
	return 0;
}

static bool is_ktap_text(const char *s)
{
	return s[0] == '#' || !strncmp(s, "ok ", 3) || !strncmp(s, "not ok ", 7) ||
	       !strncmp(s, "KTAP version", 12) || !strncmp(s, "1..", 3);
}

static char *join_lines(char **lines, size_t from, size_t count)
{
	size_t i, len = 1;
	char *out, *o;

	for (i = from; i < from + count; i++)
		len += strlen(lines[i]) + 1;
	out = malloc(len);
	if (!out)
		return NULL;
	o = out;
	for (i = from; i < from + count; i++) {
		size_t l = strlen(lines[i]);

		memcpy(o, lines[i], l);
		o += l;
		*o++ = '\n';
	}
	if (o > out)
		o--;
	*o = '\0';
	return out;
}

static char *excerpt(struct parser *p, size_t from)
{
	size_t count = p->nlines - from;

	if (count > CONSOLE_EXCERPT_LINES)
		count = CONSOLE_EXCERPT_LINES;
	return join_lines(p->lines, from, count);
}

static void on_splat(struct parser *p, long cur, const char *pattern, const char *s,
		     size_t idx)
{
	bool cut = !strcmp(pattern, CONSOLE_CUT_HERE);
	struct entry *e = cur >= 0 ? &p->e[cur] : entry_get(p, "boot");

	if (!e)
		return;
	if (!e->splat) {
		e->splat = true;
		e->splat_line = idx;
		if (cut)
			e->cut_line = s;
		else
			console_copy_trimmed(e->splat_reason, sizeof(e->splat_reason), s);
	} else if (!e->splat_reason[0] && !cut) {
		console_copy_trimmed(e->splat_reason, sizeof(e->splat_reason), s);
	}
}

static void finish(struct parser *p, struct console_result *out)
{
	size_t i, last = p->nlines > CONSOLE_EXCERPT_LINES ?
			 p->nlines - CONSOLE_EXCERPT_LINES : 0;

	for (i = 0; i < p->n; i++) {
		struct entry *e = &p->e[i];
		struct observed *o = &out->obs[i];

		snprintf(o->name, sizeof(o->name), "%s", e->name);
		if (e->splat) {
			o->verdict = VERDICT_SPLAT;
			if (e->splat_reason[0])
				snprintf(o->reason, sizeof(o->reason), "%s", e->splat_reason);
			else
				console_copy_trimmed(o->reason, sizeof(o->reason), e->cut_line);
			o->excerpt = excerpt(p, e->splat_line);
		} else if (e->have_ktap) {
			o->verdict = e->ktap_verdict;
			snprintf(o->reason, sizeof(o->reason), "%s", e->ktap_reason);
		} else if (e->ended && e->end_verdict != VERDICT_NONE) {
			o->verdict = e->end_verdict;
			snprintf(o->reason, sizeof(o->reason), "from the end marker (no KTAP "
				 "result line)");
		} else if (e->began && !out->guest_end) {
			o->verdict = VERDICT_HANG;
			snprintf(o->reason, sizeof(o->reason), "guest stopped making progress "
				 "during %s", e->name);
			o->excerpt = join_lines(p->lines, last, p->nlines - last);
		} else if (e->began) {
			o->verdict = VERDICT_ERROR;
			snprintf(o->reason, sizeof(o->reason), "%s began but the log has no "
				 "verdict for it", e->name);
		} else {
			o->verdict = VERDICT_ERROR;
			snprintf(o->reason, sizeof(o->reason), "end marker without a known "
				 "verdict");
		}
	}
	out->nobs = p->n;
}

int console_parse(const char *text, size_t len, struct console_result *out)
{
	struct parser p = { 0 };
	long cur = -1;		/* index of the scenario running, or -1 */
	char *buf;
	size_t i;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	buf = malloc(len + 1);
	if (!buf)
		return -1;
	memcpy(buf, text, len);
	if (split_lines(&p, buf, len))
		goto out;

	for (i = 0; i < p.nlines && !p.oom; i++) {
		const char *line = p.lines[i], *s = console_strip_time(line), *pat;
		char name[CONSOLE_NAME_MAX];
		struct ktap_result kr;
		enum marker_kind kind;
		struct entry *e;
		enum verdict v;

		kind = marker_parse(line, name, sizeof(name), &v);
		if (strstr(line, CONSOLE_GUEST_END)) {
			out->guest_end = true;
			cur = -1;
			/*
			 * With threaded console printing (7.3) the kernel's
			 * marker may land on the guest's line:
			 * "MMREPRO-GUEST-END[ 31.17] mmrepro: end unload ok".
			 */
			if (kind == MARKER_NONE)
				continue;
		}
		switch (kind) {
		case MARKER_BEGIN:
			/* the splat patterns do not match markers: done with the line */
			e = entry_get(&p, name);
			if (e) {
				e->began = true;
				cur = e - p.e;
			}
			continue;
		case MARKER_END:
			e = entry_get(&p, name);
			if (!e)
				continue;
			e->ended = true;
			e->end_verdict = v;
			if (cur == e - p.e)
				cur = -1;
			continue;
		case MARKER_NONE:
			break;
		}
		if (!ktap_parse_result(s, &kr)) {
			e = entry_get(&p, kr.name);
			if (e) {
				e->have_ktap = true;
				e->ktap_verdict = kr.verdict;
				snprintf(e->ktap_reason, sizeof(e->ktap_reason), "%s", kr.reason);
			}
			continue;
		}
		if (is_ktap_text(s))
			continue;	/* a scenario's own words, not the kernel's */
		pat = splat_match(s);
		if (!pat)
			continue;
		if (!strcmp(pat, CONSOLE_PANIC))
			out->panic = true;
		on_splat(&p, cur, pat, s, i);
	}
	if (p.oom)
		goto out;
	out->incomplete = !out->guest_end && !out->panic;
	out->lines = p.nlines;
	out->obs = calloc(p.n ? p.n : 1, sizeof(*out->obs));
	if (!out->obs)
		goto out;
	finish(&p, out);
	ret = 0;
out:
	free(p.e);
	free(p.lines);
	free(buf);
	if (ret)
		console_result_free(out);
	return ret;
}

void console_result_free(struct console_result *r)
{
	size_t i;

	for (i = 0; i < r->nobs; i++)
		free(r->obs[i].excerpt);
	free(r->obs);
	r->obs = NULL;
	r->nobs = 0;
}

const struct observed *console_find(const struct console_result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nobs; i++)
		if (!strcmp(r->obs[i].name, name))
			return &r->obs[i];
	return NULL;
}
