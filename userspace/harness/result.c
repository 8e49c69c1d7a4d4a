// SPDX-License-Identifier: GPL-2.0
/* Verdicts and the two helpers scenarios report through (scenario.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "harness/scenario.h"

static const char *const verdict_names[] = {
	[VERDICT_OK]	= "ok",
	[VERDICT_BUG]	= "bug",
	[VERDICT_SKIP]	= "skip",
	[VERDICT_ERROR]	= "error",
	[VERDICT_SPLAT]	= "splat",
	[VERDICT_HANG]	= "hang",
	[VERDICT_NONE]	= "none",
};

const char *verdict_name(enum verdict v)
{
	if ((unsigned int)v >= sizeof(verdict_names) / sizeof(verdict_names[0]))
		return "invalid";
	return verdict_names[v];
}

/* Case-insensitive, so KTAP directives ("BUG") parse too. */
int verdict_parse(const char *s, enum verdict *v)
{
	unsigned int i;

	for (i = 0; i < sizeof(verdict_names) / sizeof(verdict_names[0]); i++) {
		if (!strcasecmp(s, verdict_names[i])) {
			*v = (enum verdict)i;
			return 0;
		}
	}
	return -1;
}

void result_set(struct result *res, enum verdict v, const char *fmt, ...)
{
	va_list ap;

	res->verdict = v;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
}

void scen_log(struct scenario_ctx *ctx, const char *fmt, ...)
{
	FILE *f = ctx->log ? ctx->log : stderr;
	char line[1024];
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	len = strlen(line);
	while (len && line[len - 1] == '\n')
		line[--len] = '\0';
	fprintf(f, "%s\n", line);
	fflush(f);
}
