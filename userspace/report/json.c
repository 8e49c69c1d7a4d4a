// SPDX-License-Identifier: GPL-2.0
/*
 * JSON output, streamed:
 *
 *	{"abi":1,"release":"6.1.0","results":[
 *	{"name":"fork-pin","thread":"001_....txt","control":false,"verdict":"ok",
 *	 "reason":"...","log":["..."]}
 *	,{...}
 *	],"totals":{"ok":1,"bug":0,...}}
 */
#include <stdio.h>
#include <string.h>

#include "host/expect.h"
#include "report/report.h"

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static int utf8_len(const unsigned char *s)
{
	unsigned int cp;
	int n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		int n;

		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s, 1, (size_t)n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

static void json_begin(FILE *f, const struct report_header *h)
{
	fprintf(f, "{\"abi\":%d,\"release\":", MMREPRO_ABI_VERSION);
	json_write_string(f, h->release ? h->release : "");
	fputs(",\"results\":[\n", f);
}

static void json_entry(FILE *f, const struct report_header *h, const struct report_entry *e)
{
	size_t i;

	(void)h;
	fputs(e->index > 1 ? ",{\"name\":" : "{\"name\":", f);
	json_write_string(f, e->name);
	fputs(",\"thread\":", f);
	json_write_string_or_null(f, e->thread);
	fprintf(f, ",\"control\":%s,\"verdict\":", e->control ? "true" : "false");
	json_write_string(f, verdict_name(e->res->verdict));
	fputs(",\"reason\":", f);
	json_write_string(f, e->res->reason);
	fputs(",\"log\":[", f);
	for (i = 0; i < e->nlog; i++) {
		if (i)
			fputc(',', f);
		json_write_string(f, e->log[i]);
	}
	fputs("]}\n", f);
}

static void json_end(FILE *f, const struct report_header *h, const struct report_totals *t)
{
	int v;

	(void)h;
	fputs("],\"totals\":{", f);
	for (v = VERDICT_OK; v < VERDICT_NONE; v++)
		fprintf(f, "%s\"%s\":%u", v ? "," : "", verdict_name((enum verdict)v),
			t->count[v]);
	fputs("}}\n", f);
}

const struct report_writer report_json = {
	.begin = json_begin,
	.entry = json_entry,
	.end = json_end,
};

void json_write_string_or_null(FILE *f, const char *s)
{
	if (s)
		json_write_string(f, s);
	else
		fputs("null", f);
}

void json_write_compare_row(FILE *f, const struct compare_row *r, bool first,
			    bool null_unexpected)
{
	fputs(first ? "{\"name\":" : ",{\"name\":", f);
	json_write_string(f, r->name);
	fputs(",\"expected\":", f);
	json_write_string_or_null(f, null_unexpected && !r->exp ? NULL : verdict_name(r->expected));
	fputs(",\"observed\":", f);
	json_write_string(f, verdict_name(r->observed));
	fprintf(f, ",\"match\":%s", r->match ? "true" : "false");
}

void json_write_lines(FILE *f, const char *excerpt)
{
	const char *s = excerpt;
	char line[1024];
	bool first = true;

	fputc('[', f);
	while (s && *s) {
		size_t n = strcspn(s, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)n, s);
		if (!first)
			fputc(',', f);
		first = false;
		json_write_string(f, line);
		s += n + (s[n] == '\n');
	}
	fputc(']', f);
}
