// SPDX-License-Identifier: GPL-2.0
/* `mmrepro matrix`: several lanes' console logs as one table, against expectations. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd/cli_args.h"
#include "cmd/cmds.h"
#include "host/console_parse.h"
#include "host/expect.h"
#include "host/matrix.h"
#include "lib/memutil.h"
#include "report/report.h"

const char usage_matrix[] =
"Usage: mmrepro matrix [--results DIR]... [--expect-dir DIR] [--markdown FILE]\n"
"                      [--json FILE] [--kcidb FILE [--run-id ID]] LANE...\n"
"\n"
"Host side: one table of the verdicts of several lanes (guest boots, one per\n"
"kernel), scenarios by lanes, each cell compared with the lane's expectation\n"
"file. For each LANE it reads, under DIR/LANE/:\n"
"  console.log  the guest's serial console, parsed as `mmrepro console` does\n"
"               (missing: the lane did not boot; every expected scenario is\n"
"               observed `none`)\n"
"  status       one word from the host: done, hang (the guest was killed at\n"
"               its deadline), qemu-N (QEMU exited with N), ...\n"
"  oracle       optional: one line from another test suite (e.g. `hmm-tests:\n"
"               31 passed, 2 failed, 1 skipped`): its first line, verbatim\n"
"  kernel       optional: the Debian version of the kernel the lane ran,\n"
"               shown under the lane's name; krel: its uname -r\n"
"  reason       optional: why the lane did not run (e.g. its pinned kernel\n"
"               left the archive)\n"
"and compares with the expectation file EXPECTDIR/LANE (lines `NAME VERDICT\n"
"[# comment]`, see `mmrepro console --help`); without one, every cell of the\n"
"lane is a mismatch. When the file's `# recorded-on: VERSION` differs from\n"
"the lane's kernel, each differing cell's reason starts \"changed on KERNEL\n"
"(recorded on VERSION)\": Debian changed the kernel's behaviour.\n"
"\n"
"Rows are the scenarios in the order of `mmrepro list`, NAME.control right\n"
"after NAME, then load, unload and boot, then any other name. A cell is the\n"
"verdict observed; one that differs from the expectation reads\n"
"`*OBSERVED (exp EXPECTED)` (`?`: the file has no line for it); `-`: the lane\n"
"neither expected nor observed the scenario. Under the table: one line per\n"
"lane (status, state of the log, oracle), then each mismatch with its reason\n"
"and up to 5 lines of the console log.\n"
"\n"
"Options:\n"
"  --results DIR     where the lanes' directories are (default: results); given\n"
"                    more than once (lanes run on several machines, e.g. one\n"
"                    CI job each), a lane is read from the first DIR that has\n"
"                    it\n"
"  --expect-dir DIR  where the expectation files are (default: tests/expect)\n"
"  --markdown FILE   also write the table and the mismatches as Markdown\n"
"                    (mismatched cells in bold, with the expectation)\n"
"  --json FILE       also write them as JSON: {\"lanes\":[{\"name\",\"kernel\",\n"
"                    \"krel\",\"recorded_on\",\"status\",\"reason\",\"oracle\",\n"
"                    \"incomplete\",\"panic\",\"note\",\"results\":[{\"name\",\n"
"                    \"expected\",\"observed\",\"match\",\"reason\",\"excerpt\"}]}],\n"
"                    \"mismatches\":N}; the lane's strings and expected are\n"
"                    null when absent\n"
"  --kcidb FILE      also write them as KCIDB I/O schema v5 JSON (what\n"
"                    KernelCI's aggregators exchange): a checkout and a\n"
"                    build per lane, a test per cell (path mmrepro.NAME; a\n"
"                    scenario's ok PASS, bug FAIL, skip SKIP, error ERROR,\n"
"                    splat FAIL, hang ERROR; a control or mutant row PASS\n"
"                    when as expected, else ERROR), an issue per thread and\n"
"                    an incident where a scenario observed its thread's bug\n"
"  --run-id ID       the run's part of every KCIDB ID (default: the UTC time)\n"
"\n"
"Exit status: 0 every cell of every lane as expected; 1 a cell differs (or a\n"
"lane has no console log or no expectation file); 2 a file cannot be read,\n"
"an expectation file has an error (reported as FILE:LINE), or an output file\n"
"cannot be written; 64 usage.\n";

/* What was read for one lane; the struct matrix_lane points into it. */
struct lane_data {
	char *dir;		/* RESULTS/LANE */
	char *expect_path;	/* EXPECTDIR/LANE */
	char *status;		/* or NULL */
	char *reason;		/* or NULL */
	char *kernel;		/* or NULL */
	char *krel;		/* or NULL */
	char *oracle;		/* or NULL */
	bool have_con, have_exp;
	struct console_result con;
	struct expect_set exp;
};

/*
 * The whole file, NUL-terminated, in *text. 0; 1 when it does not exist;
 * -1 (errno set) when it cannot be read.
 */
static int read_text(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "re");
	int e;

	*text = NULL;
	if (!f)
		return errno == ENOENT ? 1 : -1;
	*text = stream_read_all(f, len);
	e = errno;
	fclose(f);
	errno = e;
	return *text ? 0 : -1;
}

/* DIR/NAME, malloc()ed; NULL (reported) when out of memory. */
static char *path_join(const char *dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) >= 0)
		return path;
	fprintf(stderr, "mmrepro matrix: out of memory\n");
	return NULL;
}

static int cannot_read(const char *what, const char *path)
{
	fprintf(stderr, "mmrepro matrix: cannot read %s %s: %s\n", what, path, strerror(errno));
	return -1;
}

/* The first line of a one-line file, trimmed; NULL when the file does not exist. */
static int read_line(const char *dir, const char *name, char **out)
{
	char *path, *text, *s;
	size_t n;
	int r;

	*out = NULL;
	path = path_join(dir, name);
	if (!path)
		return -1;
	r = read_text(path, &text, NULL);
	if (r < 0)
		cannot_read("the file", path);
	free(path);
	if (r)
		return r < 0 ? -1 : 0;
	for (s = text; *s == ' ' || *s == '\t'; s++)
		;
	n = strcspn(s, "\r\n");
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	memmove(text, s, n);
	text[n] = '\0';
	*out = text;
	return 0;
}

/* An empty one-line file says nothing. */
static void drop_empty(char **s)
{
	if (*s && !**s) {
		free(*s);
		*s = NULL;
	}
}

static int load_log(struct lane_data *d)
{
	char *path, *text;
	size_t len;
	int r;

	path = path_join(d->dir, "console.log");
	if (!path)
		return -1;
	r = read_text(path, &text, &len);
	if (r < 0)
		cannot_read("the console log", path);
	free(path);
	if (r)
		return r < 0 ? -1 : 0;
	r = console_parse(text, len, &d->con);
	free(text);
	if (r) {
		fprintf(stderr, "mmrepro matrix: out of memory parsing %s/console.log\n", d->dir);
		return -1;
	}
	d->have_con = true;
	return 0;
}

static int load_expect(struct lane_data *d)
{
	char err[CLI_ERR_MAX], *text;
	int r = read_text(d->expect_path, &text, NULL);

	if (r)
		return r < 0 ? cannot_read("the expectation file", d->expect_path) : 0;
	r = expect_parse(text, d->expect_path, &d->exp, err, sizeof(err));
	free(text);
	if (r) {
		fprintf(stderr, "mmrepro matrix: %s\n", err);
		return -1;
	}
	d->have_exp = true;
	return 0;
}

/* The first --results DIR with a LANE directory in it, else the first one. */
static const char *results_dir_of(const struct matrix_opts *o, const char *lane)
{
	struct stat st;
	char *p;
	int i;

	for (i = 0; i < o->nresults; i++) {
		p = path_join(o->results[i], lane);
		if (p && !stat(p, &st) && S_ISDIR(st.st_mode)) {
			free(p);
			return o->results[i];
		}
		free(p);
	}
	return o->results[0];
}

static int load_lane(const struct matrix_opts *o, const char *lane, struct lane_data *d,
		     struct matrix_lane *l)
{
	d->dir = path_join(results_dir_of(o, lane), lane);
	d->expect_path = path_join(o->expect_dir, lane);
	if (!d->dir || !d->expect_path)
		return -1;
	if (read_line(d->dir, "status", &d->status) || read_line(d->dir, "oracle", &d->oracle) ||
	    read_line(d->dir, "reason", &d->reason) || read_line(d->dir, "kernel", &d->kernel) ||
	    read_line(d->dir, "krel", &d->krel) || load_log(d) || load_expect(d))
		return -1;
	drop_empty(&d->oracle);
	drop_empty(&d->reason);
	drop_empty(&d->kernel);
	drop_empty(&d->krel);
	memset(l, 0, sizeof(*l));
	l->name = lane;
	l->status = d->status;
	l->reason = d->reason;
	l->kernel = d->kernel;
	l->krel = d->krel;
	l->oracle = d->oracle;
	l->con = d->have_con ? &d->con : NULL;
	l->exp = d->have_exp ? &d->exp : NULL;
	l->dir = d->dir;
	l->expect_path = d->expect_path;
	return 0;
}

static void free_lanes(struct lane_data *d, size_t n)
{
	size_t i;

	for (i = 0; d && i < n; i++) {
		free(d[i].dir);
		free(d[i].expect_path);
		free(d[i].status);
		free(d[i].reason);
		free(d[i].kernel);
		free(d[i].krel);
		free(d[i].oracle);
		if (d[i].have_con)
			console_result_free(&d[i].con);
		expect_free(&d[i].exp);
	}
	free(d);
}

static int check_dir(const char *opt, const char *dir)
{
	struct stat st;

	if (stat(dir, &st))
		fprintf(stderr, "mmrepro matrix: %s %s: %s\n", opt, dir, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		fprintf(stderr, "mmrepro matrix: %s %s: not a directory\n", opt, dir);
	else
		return 0;
	return -1;
}

/* What the output files are written from. */
struct matrix_out {
	const struct matrix *m;
	char run[64];	/* --kcidb's run ID */
};

static void write_markdown(FILE *f, const void *arg)
{
	matrix_write_markdown(f, ((const struct matrix_out *)arg)->m);
}

static void write_json(FILE *f, const void *arg)
{
	matrix_write_json(f, ((const struct matrix_out *)arg)->m);
}

static void write_kcidb(FILE *f, const void *arg)
{
	const struct matrix_out *out = arg;

	matrix_write_kcidb(f, out->m, out->run);
}

static int show(const struct matrix_opts *o, const struct matrix *m)
{
	int code = matrix_exit_code(m) ? EXIT_FAILED : EXIT_OK;
	struct matrix_out out = { .m = m };

	matrix_print(stdout, m);
	if (o->markdown && report_write_file("matrix", "Markdown", o->markdown, write_markdown, &out))
		code = EXIT_ERROR;
	if (o->json && report_write_file("matrix", "JSON", o->json, write_json, &out))
		code = EXIT_ERROR;
	if (o->kcidb) {
		if (o->run_id) {
			snprintf(out.run, sizeof(out.run), "%s", o->run_id);
		} else {
			time_t now = time(NULL);

			strftime(out.run, sizeof(out.run), "%Y%m%dT%H%M%SZ", gmtime(&now));
		}
		if (report_write_file("matrix", "KCIDB", o->kcidb, write_kcidb, &out))
			code = EXIT_ERROR;
	}
	if (fflush(stdout))
		code = EXIT_ERROR;
	return code;
}

int cmd_matrix(int argc, char **argv)
{
	struct matrix_lane *lanes = NULL;
	struct lane_data *data = NULL;
	char err[CLI_ERR_MAX];
	struct matrix_opts o;
	struct matrix m;
	int code = EXIT_ERROR, i;

	if (parse_matrix_args(argc, argv, &o, err, sizeof(err)) || o.help)
		return usage_or_error("matrix", usage_matrix, o.help, err);
	for (i = 0; i < o.nresults; i++)
		if (check_dir("--results", o.results[i]))
			return EXIT_ERROR;
	if (check_dir("--expect-dir", o.expect_dir))
		return EXIT_ERROR;
	data = calloc((size_t)o.nlanes, sizeof(*data));
	lanes = calloc((size_t)o.nlanes, sizeof(*lanes));
	if (!data || !lanes)
		goto oom;
	for (i = 0; i < o.nlanes; i++)
		if (load_lane(&o, o.lanes[i], &data[i], &lanes[i]))
			goto out;
	if (matrix_build(&m, lanes, (size_t)o.nlanes))
		goto oom;
	code = show(&o, &m);
	matrix_free(&m);
	goto out;
oom:
	fprintf(stderr, "mmrepro matrix: out of memory\n");
out:
	free_lanes(data, (size_t)o.nlanes);
	free(lanes);
	return code;
}
