// SPDX-License-Identifier: GPL-2.0
/*
 * `mmrepro mutants`: the mutant pass. A kernel built with the project's
 * mutant patches (tests/kernel/patches/7.2) has one switch per reintroduced
 * bug under /sys/kernel/debug/mmrepro-mutants/, named after the thread whose
 * bug it puts back ("001-fork-pinned-pte": thread 001). For each switch:
 * on, the scenarios of that thread that reach the code it changes (each
 * must say bug: it caught the mutant), the other scenarios of that thread,
 * every quick scenario of the other threads (each must say ok or skip: a
 * bug there is cross-talk, a check that is not specific), off.
 *
 * Which scenarios of a thread reach a mutant's code is declared below for
 * the mutants this project carries, with the reason the others do not; a
 * mutant not listed (one built elsewhere) must be caught by every scenario
 * of its thread.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cmd/cmds.h"
#include "lib/memutil.h"
#include "report/report.h"
#include "harness/runner.h"
#include "harness/scenario.h"

#define MUTANTS_DIR	"/sys/kernel/debug/mmrepro-mutants"
#define MUTANTS_MAX	32
#define MUTANT_NAME_MAX	48

const char usage_mutants[] =
"Usage: mmrepro mutants [--ktap|--json] [--list] [--allow-destructive] [MUTANT...]\n"
"\n"
"The mutant pass, for a kernel built with the project's mutant patches\n"
"(tests/kernel/patches/7.2): each switch under " MUTANTS_DIR "/\n"
"puts one thread's bug back at the code the thread changed (its name starts\n"
"with the thread's number). For each (or each MUTANT named): switch it on,\n"
"run the scenarios of its thread, then every scenario of the other threads\n"
"that is not marked slow, switch it off. Rows are named\n"
"mutant.MUTANT.SCENARIO.\n"
"\n"
"A scenario that reaches the code the mutant changes must end bug: it\n"
"caught the mutant; one that ends ok is blind to it. Which do is declared\n"
"for this project's mutants (with the reason the others of the thread do\n"
"not); for any other switch, every scenario of its thread. A scenario of\n"
"another thread must end ok or skip: a bug there is cross-talk (its check\n"
"is not specific to its thread).\n"
"\n"
"Scenarios that change global state run only in the QEMU guest\n"
"(mmrepro.guest=1) or with --allow-destructive; elsewhere they say skip.\n"
"\n"
"Options:\n"
"  --ktap     KTAP output (ok = caught, or no cross-talk)\n"
"  --json     one JSON object, as `mmrepro run --json`\n"
"  --list     print the switches and exit\n"
"  --allow-destructive  also run scenarios that change global state outside\n"
"             the guest (a kernel with mutants on is a test kernel anyway)\n"
"\n"
"Exit status: 0 every mutant caught by every scenario that reaches it and no\n"
"cross-talk; 1 a blind or cross-talking scenario; 2 an error verdict, or the\n"
"switches could not be set; 4 this kernel has no mutants; 64 usage.\n";

#define EXIT_NO_MUTANTS	4

static int by_name(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* The switches, sorted. Returns how many, or -errno. */
static int mutants_list(char names[][MUTANT_NAME_MAX], int max)
{
	DIR *d = opendir(MUTANTS_DIR);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= MUTANT_NAME_MAX)
			continue;
		snprintf(names[n++], MUTANT_NAME_MAX, "%s", de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, MUTANT_NAME_MAX, by_name);
	return n;
}

static int mutant_set(const char *name, bool on)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%.47s", MUTANTS_DIR, name);
	return file_write_str(path, on ? "1" : "0");
}

/* "001-fork-pinned-pte" belongs to thread file "001_...". */
static bool same_thread(const char *mutant, const struct scenario *s)
{
	return s->thread && !strncmp(s->thread, mutant, 3) && s->thread[3] == '_';
}

static const struct mutant_targets {
	const char *mutant;
	const char *targets[8];	/* the scenarios that reach the changed code */
	const char *others;	/* why the thread's other scenarios do not */
} known_targets[] = {
	{ "001-fork-pinned-pte", { "fork-pin" },
	  "fork-pin-thp pins a THP: the -thp switch covers large folios" },
	{ "001-fork-pinned-thp", { "fork-pin-thp" },
	  "fork-pin pins 4 KiB pages: the -pte switch covers small folios" },
	{ "003-exclusive-mapcount", { "exclusive-swapout", "exclusive-offline", "hmm-swap" },
	  "the others never reclaim the device-exclusive pages or migrate them by PFN, where the mapcount decides; move_pages finds no page behind such an entry" },
	{ "003-exclusive-thp-tail", { "exclusive-thp" },
	  "the others make only 4 KiB pages or hugetlb device-exclusive, no THP tail page" },
};

enum row_kind {
	ROW_TARGET,	/* must say bug: it caught the mutant */
	ROW_SIBLING,	/* the mutant's thread, not reaching its code: anything but error */
	ROW_CROSS,	/* another thread: must say ok or skip */
};

struct mutant_row {
	const struct scenario *s;
	char name[96];		/* "mutant.MUTANT.SCENARIO" */
	enum row_kind kind;
	const char *why;	/* ROW_SIBLING: why it does not reach the code */
};

static const struct mutant_targets *targets_of(const char *mutant)
{
	size_t i;

	for (i = 0; i < sizeof(known_targets) / sizeof(known_targets[0]); i++)
		if (!strcmp(known_targets[i].mutant, mutant))
			return &known_targets[i];
	return NULL;
}

static enum row_kind row_kind_of(const char *mutant, const struct scenario *s, const char **why)
{
	const struct mutant_targets *t = targets_of(mutant);
	size_t i;

	*why = NULL;
	if (!same_thread(mutant, s))
		return ROW_CROSS;
	if (!t)
		return ROW_TARGET;
	for (i = 0; i < sizeof(t->targets) / sizeof(t->targets[0]) && t->targets[i]; i++)
		if (!strcmp(t->targets[i], s->name))
			return ROW_TARGET;
	*why = t->others;
	return ROW_SIBLING;
}

/* The rows of one mutant: its thread's scenarios, then the quick others. */
static int mutant_rows(const char *mutant, struct mutant_row *rows, int max)
{
	unsigned int i;
	int n = 0, pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < nr_scenarios && n < max; i++) {
			const struct scenario *s = scenarios[i];
			bool own = same_thread(mutant, s);

			if (!s->thread || own != !pass || (!own && (s->flags & SCEN_SLOW)))
				continue;
			rows[n].s = s;
			rows[n].kind = row_kind_of(mutant, s, &rows[n].why);
			if (rows[n].kind == ROW_SIBLING && (s->flags & SCEN_SLOW))
				continue;
			snprintf(rows[n].name, sizeof(rows[n].name), "mutant.%.40s.%.40s", mutant, s->name);
			n++;
		}
	}
	return n;
}

static bool row_passed(enum row_kind kind, enum verdict v)
{
	switch (kind) {
	case ROW_TARGET:
		return v == VERDICT_BUG || v == VERDICT_SKIP;
	case ROW_SIBLING:
		return v == VERDICT_OK || v == VERDICT_BUG || v == VERDICT_SKIP;
	default:
		return v == VERDICT_OK || v == VERDICT_SKIP;
	}
}

/* A row's reason says what its verdict means for the mutant. */
static void row_explain(struct result *res, const struct mutant_row *r, const char *mutant)
{
	char orig[RESULT_REASON_MAX];

	memcpy(orig, res->reason, sizeof(orig));
	if (r->kind == ROW_TARGET && res->verdict == VERDICT_BUG)
		result_set(res, res->verdict, "caught %s: %s", mutant, orig);
	else if (r->kind == ROW_TARGET && res->verdict == VERDICT_OK)
		result_set(res, res->verdict, "BLIND to %s: %s", mutant, orig);
	else if (r->kind == ROW_SIBLING)
		result_set(res, res->verdict, "does not reach %s's code (%s): %s", mutant, r->why,
			   orig);
	else if (r->kind == ROW_CROSS && res->verdict == VERDICT_BUG)
		result_set(res, res->verdict, "CROSS-TALK with %s: %s", mutant, orig);
}

int cmd_mutants(int argc, char **argv)
{
	static char names[MUTANTS_MAX][MUTANT_NAME_MAX];
	static struct mutant_row rows[MUTANTS_MAX][64];
	int nrows[MUTANTS_MAX], nm, i, k, own, cross, total = 0, index = 0;
	char err[CLI_ERR_MAX];
	struct mutants_opts o;
	struct report_totals totals = { { 0 }, { 0 } };
	struct report_header hdr = { 0 };
	const struct report_writer *w;
	struct run_report rep;
	struct run_params params;
	bool failed = false, errored = false, stop = false;
	int phase;
	struct utsname u;

	if (parse_mutants_args(argc, argv, &o, err, sizeof(err)) || o.help)
		return usage_or_error("mutants", usage_mutants, o.help, err);
	nm = mutants_list(names, MUTANTS_MAX);
	if (nm <= 0) {
		fprintf(stderr, "mmrepro mutants: no %s (%s): this kernel has no mutant switches; they come with tests/kernel/patches/7.2 (the src-7.2 lane), and need debugfs mounted\n",
			MUTANTS_DIR, nm ? strerror(-nm) : "empty");
		return EXIT_NO_MUTANTS;
	}
	if (o.list) {
		for (i = 0; i < nm; i++)
			printf("%s\n", names[i]);
		return EXIT_OK;
	}
	if (o.nnames) {
		/* Keep only the named ones, in the order named. */
		static char sel[MUTANTS_MAX][MUTANT_NAME_MAX];
		int ns = 0;

		for (k = 0; k < o.nnames; k++) {
			for (i = 0; i < nm && strcmp(names[i], o.names[k]); i++)
				;
			if (i == nm || ns == MUTANTS_MAX) {
				fprintf(stderr, "mmrepro mutants: no mutant '%s' (see `mmrepro mutants --list`)\n",
					o.names[k]);
				return EXIT_USAGE;
			}
			snprintf(sel[ns++], MUTANT_NAME_MAX, "%s", o.names[k]);
		}
		memcpy(names, sel, sizeof(sel));
		nm = ns;
	}
	/* All off first: a pass killed earlier may have left one on. */
	for (i = 0; i < nm; i++)
		mutant_set(names[i], false);
	for (i = 0; i < nm; i++) {
		nrows[i] = mutant_rows(names[i], rows[i], 64);
		total += nrows[i];
		for (k = 0; k < nrows[i]; k++)
			if (strlen(rows[i][k].name) > hdr.name_width)
				hdr.name_width = (unsigned int)strlen(rows[i][k].name);
	}
	params = (struct run_params){ .allow_destructive = o.allow_destructive, .guest = run_in_guest(),
				      .device = MMREPRO_DEVICE };
	hdr.total = (unsigned int)total;
	hdr.release = uname(&u) ? "unknown" : u.release;
	w = run_writer_for(o.format);
	rep = (struct run_report){ w, &hdr, &totals };
	w->begin(stdout, &hdr);
	fflush(stdout);
	/*
	 * Two phases: every mutant's quick rows, then the slow ones (hmm-swap's
	 * 1 GiB). A mutant that makes memory leak when its slow row catches it
	 * (003-exclusive-mapcount) would otherwise leave the next mutants'
	 * rows no movable memory to place their pages in.
	 */
	for (phase = 0; phase < 2 && !stop; phase++) {
		for (i = 0; i < nm && !stop; i++) {
			int ret, nphase = 0;

			for (k = 0, own = 0, cross = 0; k < nrows[i]; k++) {
				own += rows[i][k].kind == ROW_TARGET;
				cross += rows[i][k].kind == ROW_CROSS;
				nphase += !(rows[i][k].s->flags & SCEN_SLOW) == !phase;
			}
			if (!nphase)
				continue;
			ret = mutant_set(names[i], true);
			if (ret) {
				fprintf(stderr, "mmrepro mutants: cannot switch %s on: %s\n", names[i],
					strerror(-ret));
				errored = true;
				continue;
			}
			if (!phase)
				printf("# mutant %s on: %d scenarios must catch it, %d of other threads must not notice, %d more of its thread run\n",
				       names[i], own, cross, nrows[i] - own - cross);
			else
				printf("# mutant %s on again: its slow rows, after every mutant's quick ones\n",
				       names[i]);
			for (k = 0; k < nrows[i]; k++) {
				const struct mutant_row *r = &rows[i][k];
				struct run_outcome out;
				bool passed;

				if (!(r->s->flags & SCEN_SLOW) != !phase)
					continue;
				params.timeout_s = run_timeout(r->s, 0);
				run_between_markers(r->s, r->name, &params, &out);
				row_explain(&out.res, r, names[i]);
				passed = row_passed(r->kind, out.res.verdict);
				run_report(&rep, (unsigned int)++index, r->name, r->s, false, passed, &out);
				failed |= !passed && out.res.verdict != VERDICT_ERROR;
				errored |= out.res.verdict == VERDICT_ERROR;
				run_outcome_free(&out);
			}
			ret = mutant_set(names[i], false);
			if (ret) {
				fprintf(stderr, "mmrepro mutants: cannot switch %s off: %s\n", names[i],
					strerror(-ret));
				errored = stop = true;
			}
		}
	}
	w->end(stdout, &hdr, &totals);
	fflush(stdout);
	return errored ? EXIT_ERROR : failed ? EXIT_FAILED : EXIT_OK;
}
