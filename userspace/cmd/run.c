// SPDX-License-Identifier: GPL-2.0
/* `mmrepro run`: run scenarios and their negative controls, stream the results. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

#include "cmd/cli_args.h"
#include "cmd/cmds.h"
#include "report/report.h"
#include "harness/runner.h"
#include "harness/scenario.h"
#include "lib/sysinfo.h"

const char usage_run[] =
"Usage: mmrepro run [--ktap|--json] [--with-controls|--controls-only]\n"
"                   [--allow-destructive] [--timeout S] [--size SIZE] [--verbose]\n"
"                   [SCENARIO...|all]\n"
"\n"
"Run scenarios (all of them when none or `all` is named; see `mmrepro list`).\n"
"Each runs in a child process of its own with its own open /dev/mmrepro, and\n"
"ends in a verdict: ok, bug (the misbehaviour of its thread was observed),\n"
"skip (the kernel lacks what it needs), error (the harness could not decide)\n"
"or hang (no verdict before the deadline). Results print as each run ends.\n"
"\n"
"Options:\n"
"  --ktap               KTAP output, as kselftest prints it\n"
"  --json               one JSON object: {\"abi\":..,\"release\":..,\"results\":[...]}\n"
"                       (default: a table; log lines shown for runs that did not\n"
"                       end as expected)\n"
"  --with-controls      after each scenario, run its negative control as\n"
"                       NAME.control: the same check on a case known to show the\n"
"                       misbehaviour. A control must end `bug`; one that ends `ok`\n"
"                       is reported as error (\"negative control not detected\")\n"
"  --controls-only      run only the negative controls\n"
"  --allow-destructive  also run scenarios that change global state (memory\n"
"                       hotplug, sysctls, ...) outside the QEMU guest; in the\n"
"                       guest (mmrepro.guest=1 on the kernel command line) they\n"
"                       always run\n"
"  --timeout S          deadline of each run in seconds (default: the scenario's\n"
"                       own, else 120); past it the run's process group is killed\n"
"                       and the verdict is hang\n"
"  --size SIZE          the memory of scenarios whose size is a parameter\n"
"                       (`mmrepro list -v`): hmm-swap runs the cover letter's\n"
"                       reproducer on 64M by default, --size 1G as the letter;\n"
"                       a multiple of 2M. Other scenarios ignore it\n"
"  -v, --verbose        scenarios log more; the table shows every run's log\n"
"\n"
"Markers `mmrepro: begin NAME` and `mmrepro: end NAME VERDICT` go to /dev/kmsg\n"
"around each run, so `mmrepro console` can tie kernel splats to the scenario.\n"
"\n"
"KTAP (--ktap) is kselftest's: a control's expected bug is `ok ... # XFAIL`,\n"
"an error `not ok ... # error`, a hang `not ok ... # TIMEOUT`, and the last\n"
"line `# Totals: pass:N fail:N xfail:N xpass:N skip:N error:N`.\n"
"\n"
"Exit status, as a kselftest's: 0 (KSFT_PASS) every scenario ok or skip and\n"
"every control bug or skip; 1 (KSFT_FAIL) a run ended bug, hang, splat or\n"
"error, or a control did not end bug; 4 (KSFT_SKIP) every run was skipped,\n"
"or /dev/mmrepro could not be opened for any (stderr says why: load the\n"
"module with `mmrepro load`, or run as root); 64 usage error.\n";

/* "<5>mmrepro: begin NAME" or "<5>mmrepro: end NAME VERDICT" (verdict != NULL) */
void run_kmsg_marker(const char *name, const char *verdict)
{
	char buf[256];
	int fd, n;

	/*
	 * What was printed goes out first: on a serial console the kernel
	 * writes its messages at once while the tty still drains ours, and a
	 * marker landing inside a KTAP line breaks it for every parser.
	 */
	fflush(stdout);
	tcdrain(STDOUT_FILENO);
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "<5>mmrepro: %s %s%s%s\n", verdict ? "end" : "begin",
		     name, verdict ? " " : "", verdict ? verdict : "");
	if (n > 0 && write(fd, buf, (size_t)n) < 0) {
		/* a marker is a convenience: ignore failure */
	}
	close(fd);
}

void run_between_markers(const struct scenario *s, const char *name,
			 const struct run_params *p, struct run_outcome *out)
{
	run_kmsg_marker(name, NULL);
	run_scenario(s, p, out);
	run_kmsg_marker(name, verdict_name(out->res.verdict));
}

void run_report(const struct run_report *r, unsigned int index, const char *name,
		const struct scenario *s, bool control, bool passed,
		const struct run_outcome *out)
{
	const struct report_entry e = {
		.index = index,
		.name = name,
		.thread = s->thread,
		.control = control,
		.passed = passed,
		.res = &out->res,
		.log = out->log,
		.nlog = out->nlog,
	};

	r->w->entry(stdout, r->hdr, &e);
	fflush(stdout);
	report_totals_add(r->totals, &e);
}

bool run_in_guest(void)
{
	char buf[4096];
	FILE *f = fopen("/proc/cmdline", "re");
	bool yes = false;

	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f))
		yes = cmdline_has_token(buf, "mmrepro.guest=1");
	fclose(f);
	return yes;
}

const struct report_writer *run_writer_for(enum out_format fmt)
{
	switch (fmt) {
	case OUT_KTAP:
		return &report_ktap;
	case OUT_JSON:
		return &report_json;
	default:
		return &report_table;
	}
}

int cmd_run(int argc, char **argv)
{
	struct report_header hdr = { 0 };
	struct report_totals totals = { { 0 }, { 0 } };
	struct run_tally tally = { 0 };
	const struct report_writer *w;
	struct run_report rep;
	struct run_item *items;
	struct run_params params;
	char err[CLI_ERR_MAX];
	struct run_opts o;
	struct utsname u;
	int n, i;

	if (parse_run_args(argc, argv, &o, err, sizeof(err)) || o.help)
		return usage_or_error("run", usage_run, o.help, err);
	n = run_plan(o.names, o.nnames, o.controls, scenarios, nr_scenarios, &items,
		     err, sizeof(err));
	if (n < 0)
		return usage_error("run", err);

	params = (struct run_params){
		.verbose = o.verbose,
		.allow_destructive = o.allow_destructive,
		.guest = run_in_guest(),
		.size = (size_t)o.size,
		.device = MMREPRO_DEVICE,
	};
	hdr.total = (unsigned int)n;
	hdr.release = uname(&u) ? "unknown" : u.release;
	hdr.verbose = o.verbose;
	for (i = 0; i < n; i++)
		if (strlen(items[i].name) > hdr.name_width)
			hdr.name_width = (unsigned int)strlen(items[i].name);

	w = run_writer_for(o.format);
	rep = (struct run_report){ w, &hdr, &totals };
	w->begin(stdout, &hdr);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		const struct scenario *s = items[i].s;
		struct run_outcome out;

		params.control = items[i].control;
		params.timeout_s = run_timeout(s, o.timeout_s);
		run_between_markers(s, items[i].name, &params, &out);
		run_report(&rep, (unsigned int)i + 1, items[i].name, s, items[i].control,
			   run_as_expected(items[i].control, out.res.verdict), &out);
		run_tally_add(&tally, items[i].control, &out);
		run_outcome_free(&out);
	}
	w->end(stdout, &hdr, &totals);
	fflush(stdout);
	free(items);

	if (run_device_unusable(&tally) && tally.not_permitted < tally.runs - tally.skipped)
		fprintf(stderr, "mmrepro run: %s is not available: load the module with "
			"`mmrepro load` (as root), then retry\n", MMREPRO_DEVICE);
	else if (run_device_unusable(&tally))
		fprintf(stderr, "mmrepro run: no permission to open %s: run as root\n",
			MMREPRO_DEVICE);
	return run_exit_code(&tally);
}
