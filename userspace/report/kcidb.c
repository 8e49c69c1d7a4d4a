// SPDX-License-Identifier: GPL-2.0
/*
 * The matrix as KCIDB I/O schema v5 (kernelci/kcidb-io, kcidb_io/schema
 * v05_03), the JSON KernelCI and other aggregators exchange:
 *
 *	checkouts  one per lane: the kernel's source (Debian's package, or the
 *	           linux-source tree with mmrepro's patches)
 *	builds     one per lane: that kernel as booted
 *	tests      one per row the lane observed, path "mmrepro.NAME"
 *	issues     one per bug-report thread a scenario reproduces
 *	incidents  one per scenario that observed its thread's bug
 *
 * Status: a scenario's ok is PASS, bug FAIL, skip SKIP, error ERROR, splat
 * FAIL (its console lines in log_excerpt), hang ERROR, not observed MISS.
 * A negative control or a mutant row tests mmrepro, not the kernel: PASS
 * when it ended as its expectation says, SKIP on skip, else ERROR (the
 * tool, not the kernel, failed). The raw verdict is in misc.
 *
 * IDs are "mmrepro:RUN:LANE[:NAME]", RUN the run's identifier (the
 * caller's, e.g. the matrix run's start time), unique per object.
 */
#include <stdio.h>
#include <string.h>

#include "host/matrix.h"
#include "report/report.h"
#include "harness/scenario.h"

#define KCIDB_ORIGIN	"mmrepro"

/* A test path component: [A-Za-z0-9_-], everything else '_'. */
static void write_path(FILE *f, const char *name)
{
	const char *p;

	fputs("\"mmrepro", f);
	fputc('.', f);
	for (p = name; *p; p++) {
		char c = *p;

		if (c == '.' && p[1] && p != name && p[-1] != '.')
			fputc('.', f);
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '_' || c == '-')
			fputc(c, f);
		else
			fputc('_', f);
	}
	fputc('"', f);
}

static void write_id(FILE *f, const char *run, const char *lane, const char *name)
{
	char buf[512];

	snprintf(buf, sizeof(buf), KCIDB_ORIGIN ":%s:%s%s%s", run, lane, name ? ":" : "",
		 name ? name : "");
	json_write_string(f, buf);
}

/* A row that tests mmrepro rather than the kernel. */
static bool is_meta_row(const char *name)
{
	return matrix_is_control_row(name) || matrix_is_mutant_row(name);
}

/* The thread a row's scenario reproduces, or NULL. */
static const char *row_thread(const char *name)
{
	const struct scenario *s = scenario_find(name);

	return s ? s->thread : NULL;
}

static const char *test_status(const struct compare_row *r)
{
	if (is_meta_row(r->name)) {
		if (r->observed == VERDICT_SKIP)
			return "SKIP";
		if (r->observed == VERDICT_NONE)
			return "MISS";
		return r->match ? "PASS" : "ERROR";
	}
	switch (r->observed) {
	case VERDICT_OK:
		return "PASS";
	case VERDICT_BUG:
	case VERDICT_SPLAT:
		return "FAIL";
	case VERDICT_SKIP:
		return "SKIP";
	case VERDICT_ERROR:
	case VERDICT_HANG:
		return "ERROR";
	default:
		return "MISS";
	}
}

/* The thread's issue ID: "mmrepro:thread-003_27842e3df9a709f6". */
static void write_issue_id(FILE *f, const char *thread)
{
	char buf[256];
	size_t n;

	snprintf(buf, sizeof(buf), KCIDB_ORIGIN ":thread-%s", thread);
	n = strlen(buf);
	if (n > 4 && !strcmp(buf + n - 4, ".txt"))
		buf[n - 4] = '\0';
	json_write_string(f, buf);
}

static void write_checkouts_builds(FILE *f, const struct matrix *m, const char *run)
{
	size_t i;

	fputs(",\"checkouts\":[", f);
	for (i = 0; i < m->nlanes; i++) {
		const struct matrix_lane *l = &m->lanes[i];
		char comment[256];

		snprintf(comment, sizeof(comment), "lane %s: kernel %s", l->name,
			 l->kernel ? l->kernel : "unknown");
		fputs(i ? ",{\"id\":" : "{\"id\":", f);
		write_id(f, run, l->name, NULL);
		fputs(",\"origin\":\"" KCIDB_ORIGIN "\",\"tree_name\":", f);
		json_write_string(f, l->name);
		fputs(",\"comment\":", f);
		json_write_string(f, comment);
		fprintf(f, ",\"valid\":%s}", l->kernel ? "true" : "false");
	}
	fputs("],\"builds\":[", f);
	for (i = 0; i < m->nlanes; i++) {
		const struct matrix_lane *l = &m->lanes[i];

		fputs(i ? ",{\"id\":" : "{\"id\":", f);
		write_id(f, run, l->name, NULL);
		fputs(",\"checkout_id\":", f);
		write_id(f, run, l->name, NULL);
		fputs(",\"origin\":\"" KCIDB_ORIGIN "\",\"architecture\":\"x86_64\",\"config_name\":",
		      f);
		json_write_string(f, l->name);
		if (l->krel) {
			fputs(",\"comment\":", f);
			json_write_string(f, l->krel);
		}
		/* the kernel was there to boot: its build is not ours to judge */
		fprintf(f, ",\"status\":\"%s\"", l->con ? "PASS" : "MISS");
		fputs(",\"misc\":{\"status\":", f);
		json_write_string(f, l->status ? l->status : "none");
		if (l->reason) {
			fputs(",\"reason\":", f);
			json_write_string(f, l->reason);
		}
		fputs("}}", f);
	}
	fputc(']', f);
}

static void write_tests(FILE *f, const struct matrix *m, const char *run)
{
	bool first = true;
	size_t i, k;

	fputs(",\"tests\":[", f);
	for (i = 0; i < m->nlanes; i++) {
		const struct matrix_lane *l = &m->lanes[i];

		for (k = 0; k < l->nrows; k++) {
			const struct compare_row *r = &l->rows[k];

			if (r->observed == VERDICT_NONE && r->expected == VERDICT_NONE)
				continue;
			fputs(first ? "{\"id\":" : ",{\"id\":", f);
			first = false;
			write_id(f, run, l->name, r->name);
			fputs(",\"build_id\":", f);
			write_id(f, run, l->name, NULL);
			fputs(",\"origin\":\"" KCIDB_ORIGIN "\",\"path\":", f);
			write_path(f, r->name);
			fprintf(f, ",\"status\":\"%s\"", test_status(r));
			if (r->obs && r->obs->reason[0]) {
				fputs(",\"comment\":", f);
				json_write_string(f, r->obs->reason);
			}
			if (r->obs && r->obs->excerpt && r->observed == VERDICT_SPLAT) {
				char excerpt[16384];

				snprintf(excerpt, sizeof(excerpt), "%s", r->obs->excerpt);
				fputs(",\"log_excerpt\":", f);
				json_write_string(f, excerpt);
			}
			fputs(",\"misc\":{\"verdict\":", f);
			json_write_string(f, verdict_name(r->observed));
			fputs(",\"expected\":", f);
			json_write_string(f, verdict_name(r->expected));
			fputs("}}", f);
		}
	}
	fputc(']', f);
}

static void write_issues_incidents(FILE *f, const struct matrix *m, const char *run)
{
	const char *seen[64];
	size_t nseen = 0, i, k, j;
	bool first = true;

	fputs(",\"issues\":[", f);
	for (i = 0; i < nr_scenarios; i++) {
		const char *t = scenarios[i]->thread;

		if (!t)
			continue;
		for (j = 0; j < nseen && strcmp(seen[j], t); j++)
			;
		if (j < nseen || nseen == sizeof(seen) / sizeof(seen[0]))
			continue;
		seen[nseen++] = t;
		fputs(first ? "{\"id\":" : ",{\"id\":", f);
		first = false;
		write_issue_id(f, t);
		fputs(",\"version\":1,\"origin\":\"" KCIDB_ORIGIN "\",\"culprit\":{\"code\":true}",
		      f);
		fputs(",\"comment\":", f);
		{
			char c[256];

			snprintf(c, sizeof(c), "the misbehaviour of bug-report thread %s", t);
			json_write_string(f, c);
		}
		fputc('}', f);
	}
	fputs("],\"incidents\":[", f);
	first = true;
	for (i = 0; i < m->nlanes; i++) {
		const struct matrix_lane *l = &m->lanes[i];

		for (k = 0; k < l->nrows; k++) {
			const struct compare_row *r = &l->rows[k];
			const char *t = row_thread(r->name);
			char name[CONSOLE_NAME_MAX + 16];

			if (!t || is_meta_row(r->name) || r->observed != VERDICT_BUG)
				continue;
			snprintf(name, sizeof(name), "%s:incident", r->name);
			fputs(first ? "{\"id\":" : ",{\"id\":", f);
			first = false;
			write_id(f, run, l->name, name);
			fputs(",\"origin\":\"" KCIDB_ORIGIN "\",\"issue_id\":", f);
			write_issue_id(f, t);
			fputs(",\"issue_version\":1,\"build_id\":", f);
			write_id(f, run, l->name, NULL);
			fputs(",\"test_id\":", f);
			write_id(f, run, l->name, r->name);
			fputs(",\"present\":true", f);
			if (r->obs && r->obs->reason[0]) {
				fputs(",\"comment\":", f);
				json_write_string(f, r->obs->reason);
			}
			fputc('}', f);
		}
	}
	fputc(']', f);
}

void matrix_write_kcidb(FILE *f, const struct matrix *m, const char *run)
{
	fputs("{\"version\":{\"major\":5,\"minor\":3}", f);
	write_checkouts_builds(f, m, run);
	write_tests(f, m, run);
	write_issues_incidents(f, m, run);
	fputs("}\n", f);
}
