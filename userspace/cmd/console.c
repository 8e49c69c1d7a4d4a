// SPDX-License-Identifier: GPL-2.0
/* `mmrepro console`: a guest's serial console log -> verdicts, compared with expectations. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli_args.h"
#include "cmd/cmds.h"
#include "host/console_parse.h"
#include "host/expect.h"
#include "lib/memutil.h"
#include "report/report.h"

const char usage_console[] =
"Usage: mmrepro console [--expect FILE] [--lane NAME] [--json FILE]\n"
"                       [--markdown FILE] LOG\n"
"\n"
"Host side: read the serial console log of one guest boot (LOG, or - for\n"
"stdin) and print the verdict observed for each scenario. Verdicts come from\n"
"the KTAP lines of `mmrepro run --ktap`; a kernel splat (WARN, BUG, Oops,\n"
"KASAN, lockdep, soft lockup, RCU stall, panic, ...) between the scenario's\n"
"`mmrepro: begin NAME` and `mmrepro: end NAME` markers makes it `splat`; a\n"
"splat outside every scenario is reported as `boot`, one while the module\n"
"loads as `load`. A scenario that began in a log that ends without the\n"
"guest's " CONSOLE_GUEST_END " line is `hang`.\n"
"\n"
"Options:\n"
"  --expect FILE    compare with an expectation file: lines `NAME VERDICT\n"
"                   [# comment]`; prints `NAME expected X observed Y` per\n"
"                   scenario, mismatches marked with `<-- MISMATCH`\n"
"  --lane NAME      the lane's name (e.g. the kernel) for the output\n"
"  --json FILE      also write the observations (and comparison) as JSON\n"
"  --markdown FILE  also write them as a Markdown table\n"
"\n"
"Exit status: 0 parsed (and, with --expect, every verdict as expected);\n"
"1 a verdict differs from the expectation; 2 the log or the expectation file\n"
"cannot be read or parsed, or an output file cannot be written; 64 usage.\n";

/* The whole file (or stdin for "-"), NUL-terminated. NULL with errno set. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *buf;
	int e;

	if (!f)
		return NULL;
	buf = stream_read_all(f, len);
	e = errno;
	if (f != stdin)
		fclose(f);
	errno = e;
	return buf;
}

static const char *lane_state(const struct console_result *r)
{
	if (r->panic)
		return "kernel panic";
	if (r->incomplete)
		return "incomplete: the log ends without " CONSOLE_GUEST_END
		       " (the guest did not finish)";
	return "complete";
}

void console_print_observed(FILE *f, const struct console_result *r, int width)
{
	size_t i;

	for (i = 0; i < r->nobs; i++) {
		const struct observed *o = &r->obs[i];

		fprintf(f, "%-*s %-6s %s\n", width, o->name, verdict_name(o->verdict), o->reason);
		if (o->verdict == VERDICT_SPLAT || o->verdict == VERDICT_HANG)
			report_write_lines(f, o->excerpt, "    | ", 0, false);
	}
}

void console_print_compare(FILE *f, const struct compare_row *rows, size_t n, int width)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct compare_row *r = &rows[i];

		fprintf(f, "%-*s expected %-5s observed %-5s", width, r->name,
			verdict_name(r->expected), verdict_name(r->observed));
		if (r->match) {
			fputc('\n', f);
			continue;
		}
		fprintf(f, " <-- MISMATCH: %s\n", r->note);
		if (r->obs && r->obs->excerpt)
			report_write_lines(f, r->obs->excerpt, "    | ", 0, false);
	}
}


void console_write_json(FILE *f, const char *lane, const struct console_result *r,
			const struct compare_row *rows, size_t nrows, bool compared,
			int mismatches)
{
	size_t i;

	fputs("{\"lane\":", f);
	json_write_string(f, lane ? lane : "");
	fprintf(f, ",\"panic\":%s,\"incomplete\":%s,\"guest_end\":%s,\"observed\":[",
		r->panic ? "true" : "false", r->incomplete ? "true" : "false",
		r->guest_end ? "true" : "false");
	for (i = 0; i < r->nobs; i++) {
		const struct observed *o = &r->obs[i];

		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		json_write_string(f, o->name);
		fputs(",\"verdict\":", f);
		json_write_string(f, verdict_name(o->verdict));
		fputs(",\"reason\":", f);
		json_write_string(f, o->reason);
		fputs(",\"excerpt\":", f);
		json_write_lines(f, o->excerpt);
		fputc('}', f);
	}
	fputc(']', f);
	if (compared) {
		fputs(",\"comparison\":[", f);
		for (i = 0; i < nrows; i++) {
			json_write_compare_row(f, &rows[i], !i, false);
			fputs(",\"note\":", f);
			json_write_string(f, rows[i].note);
			fputc('}', f);
		}
		fprintf(f, "],\"mismatches\":%d", mismatches);
	}
	fputs("}\n", f);
}

void console_write_markdown(FILE *f, const char *lane, const struct console_result *r,
			    const struct compare_row *rows, size_t nrows, bool compared)
{
	size_t i;

	fputs("### ", f);
	md_write_text(f, lane ? lane : "console");
	fprintf(f, "\n\nLog: %s.\n\n", lane_state(r));
	if (compared) {
		fputs("| scenario | expected | observed | |\n|---|---|---|---|\n", f);
		for (i = 0; i < nrows; i++) {
			fputs("| ", f);
			md_write_text(f, rows[i].name);
			fprintf(f, " | %s | %s | ", verdict_name(rows[i].expected),
				verdict_name(rows[i].observed));
			if (!rows[i].match) {
				fputs("**mismatch**: ", f);
				md_write_text(f, rows[i].note);
			}
			fputs(" |\n", f);
		}
	} else {
		fputs("| scenario | verdict | reason |\n|---|---|---|\n", f);
		for (i = 0; i < r->nobs; i++) {
			fputs("| ", f);
			md_write_text(f, r->obs[i].name);
			fprintf(f, " | %s | ", verdict_name(r->obs[i].verdict));
			md_write_text(f, r->obs[i].reason);
			fputs(" |\n", f);
		}
	}
	for (i = 0; i < r->nobs; i++) {
		if (!r->obs[i].excerpt)
			continue;
		fputs("\n<details><summary>", f);
		md_write_text(f, r->obs[i].name);
		fprintf(f, ": %s</summary>\n\n```\n%s\n```\n</details>\n",
			verdict_name(r->obs[i].verdict), r->obs[i].excerpt);
	}
}

/* What the output files are written from. */
struct console_out {
	const char *lane;
	const struct console_result *r;
	const struct compare_row *rows;
	size_t nrows;
	bool compared;
	int mismatches;
};

static void write_json(FILE *f, const void *arg)
{
	const struct console_out *o = arg;

	console_write_json(f, o->lane, o->r, o->rows, o->nrows, o->compared, o->mismatches);
}

static void write_markdown(FILE *f, const void *arg)
{
	const struct console_out *o = arg;

	console_write_markdown(f, o->lane, o->r, o->rows, o->nrows, o->compared);
}

int cmd_console(int argc, char **argv)
{
	struct compare_row *rows = NULL;
	struct console_out out;
	struct console_opts o;
	struct console_result r;
	struct expect_set exp = { 0 };
	char err[CLI_ERR_MAX], *text, *etext;
	int mismatches = 0, code = EXIT_OK, width = 24;
	size_t loglen, len, nrows = 0, i;

	if (parse_console_args(argc, argv, &o, err, sizeof(err)) || o.help)
		return usage_or_error("console", usage_console, o.help, err);
	text = read_all(o.log, &loglen);
	if (!text) {
		fprintf(stderr, "mmrepro console: cannot read the log %s: %s\n", o.log,
			strerror(errno));
		return EXIT_ERROR;
	}
	if (o.expect) {
		etext = read_all(o.expect, &len);
		if (!etext) {
			fprintf(stderr, "mmrepro console: cannot read the expectation file "
				"%s: %s\n", o.expect, strerror(errno));
			free(text);
			return EXIT_ERROR;
		}
		i = (size_t)expect_parse(etext, o.expect, &exp, err, sizeof(err));
		free(etext);
		if (i) {
			fprintf(stderr, "mmrepro console: %s\n", err);
			free(text);
			return EXIT_ERROR;
		}
	}
	if (console_parse(text, loglen, &r)) {
		fprintf(stderr, "mmrepro console: out of memory parsing %s\n", o.log);
		free(text);
		expect_free(&exp);
		return EXIT_ERROR;
	}
	free(text);

	for (i = 0; i < r.nobs; i++)
		if ((int)strlen(r.obs[i].name) > width)
			width = (int)strlen(r.obs[i].name);
	for (i = 0; i < exp.n; i++)
		if ((int)strlen(exp.v[i].name) > width)
			width = (int)strlen(exp.v[i].name);

	printf("lane %s: %zu lines, %zu scenarios observed; %s\n", o.lane ? o.lane : o.log,
	       r.lines, r.nobs, lane_state(&r));
	if (o.expect) {
		mismatches = expect_compare(&exp, r.obs, r.nobs, o.expect, &rows, &nrows);
		if (mismatches < 0) {
			fprintf(stderr, "mmrepro console: out of memory\n");
			code = EXIT_ERROR;
			goto out;
		}
		console_print_compare(stdout, rows, nrows, width);
		printf("%d mismatch%s against %s\n", mismatches, mismatches == 1 ? "" : "es",
		       o.expect);
		code = mismatches ? EXIT_FAILED : EXIT_OK;
	} else {
		console_print_observed(stdout, &r, width);
	}
	out = (struct console_out){ o.lane, &r, rows, nrows, o.expect != NULL, mismatches };
	if (o.json && report_write_file("console", "JSON", o.json, write_json, &out))
		code = EXIT_ERROR;
	if (o.markdown &&
	    report_write_file("console", "Markdown", o.markdown, write_markdown, &out))
		code = EXIT_ERROR;
out:
	free(rows);
	expect_free(&exp);
	console_result_free(&r);
	return code;
}
