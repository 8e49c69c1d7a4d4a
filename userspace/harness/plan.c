// SPDX-License-Identifier: GPL-2.0
/*
 * The runner's policy (runner.h): which runs a command makes, the deadline
 * each gets, how a run's verdict is judged (a control's, the thread it
 * cites), and the tally that makes the exit code. The mechanism that runs
 * one (fork, pipes, deadline, reaping) is runner.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/exit_codes.h"
#include "harness/runner.h"

unsigned int run_timeout(const struct scenario *s, unsigned int cli_timeout_s)
{
	if (cli_timeout_s)
		return cli_timeout_s;
	if (s->timeout_s)
		return s->timeout_s;
	return RUN_DEFAULT_TIMEOUT_S;
}

void run_judge_control(struct result *res)
{
	char orig[RESULT_REASON_MAX];

	if (res->verdict != VERDICT_OK)
		return;
	memcpy(orig, res->reason, sizeof(orig));
	orig[sizeof(orig) - 1] = '\0';
	result_set(res, VERDICT_ERROR, "negative control not detected: %s", orig);
}

void run_cite_thread(const struct scenario *s, struct result *res)
{
	char cite[128];
	size_t room, len;

	if (res->verdict != VERDICT_BUG || !s->thread || strstr(res->reason, s->thread))
		return;
	snprintf(cite, sizeof(cite), " (thread %s)", s->thread);
	room = sizeof(res->reason) - 1 - strlen(cite);
	len = strlen(res->reason);
	if (len > room)
		len = room;
	memcpy(res->reason + len, cite, strlen(cite) + 1);
}

void run_judge(const struct scenario *s, bool control, struct result *res)
{
	run_cite_thread(s, res);
	if (control)
		run_judge_control(res);
}

bool run_as_expected(bool control, enum verdict v)
{
	if (v == VERDICT_SKIP)
		return true;
	return v == (control ? VERDICT_BUG : VERDICT_OK);
}

void run_tally_add(struct run_tally *t, bool control, const struct run_outcome *o)
{
	enum verdict v = o->res.verdict;

	t->runs++;
	if (o->dev_errno == EACCES || o->dev_errno == EPERM)
		t->not_permitted++;
	else if (o->dev_errno)
		t->unavailable++;
	if (v == VERDICT_SKIP) {
		t->skipped++;
		return;
	}
	if (v == VERDICT_ERROR || (control && !run_as_expected(true, v)))
		t->errors++;
	else if (!control && (v == VERDICT_BUG || v == VERDICT_HANG || v == VERDICT_SPLAT))
		t->failed++;
}

int run_exit_code(const struct run_tally *t)
{
	unsigned int attempted = t->runs - t->skipped;

	if (t->runs && (!attempted || run_device_unusable(t)))
		return KSFT_SKIP;
	if (t->errors || t->failed)
		return KSFT_FAIL;
	return KSFT_PASS;
}

bool run_device_unusable(const struct run_tally *t)
{
	unsigned int attempted = t->runs - t->skipped;

	return attempted && t->unavailable + t->not_permitted == attempted;
}

int run_plan(char *const *names, int nnames, enum control_mode controls,
	     const struct scenario *const *reg, unsigned int nreg,
	     struct run_item **items, char *err, size_t errlen)
{
	const struct scenario **sel;
	unsigned int nsel = 0, i, k;
	struct run_item *it;
	int n = 0;

	sel = calloc(nnames ? (size_t)nnames : nreg ? nreg : 1, sizeof(*sel));
	if (!sel) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!nnames) {
		for (i = 0; i < nreg; i++)
			sel[nsel++] = reg[i];
	}
	for (k = 0; k < (unsigned int)nnames; k++) {
		const struct scenario *s = NULL;

		for (i = 0; i < nreg && !s; i++)
			if (!strcmp(reg[i]->name, names[k]))
				s = reg[i];
		if (!s) {
			size_t used = (size_t)snprintf(err, errlen,
				"unknown scenario '%s'; valid names:", names[k]);

			for (i = 0; i < nreg && used < errlen; i++)
				used += (size_t)snprintf(err + used, errlen - used, " %s",
							 reg[i]->name);
			if (used < errlen)
				snprintf(err + used, errlen - used, " all (see `mmrepro list`)");
			free(sel);
			return -1;
		}
		for (i = 0; i < nsel; i++) {
			if (sel[i] == s) {
				snprintf(err, errlen, "scenario '%s' is named twice", s->name);
				free(sel);
				return -1;
			}
		}
		sel[nsel++] = s;
	}

	it = calloc(2 * (size_t)nsel + 1, sizeof(*it));
	if (!it) {
		free(sel);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < nsel; i++) {
		if (controls != CONTROLS_ONLY) {
			it[n].s = sel[i];
			snprintf(it[n].name, sizeof(it[n].name), "%s", sel[i]->name);
			n++;
		}
		if (controls != CONTROLS_NONE) {
			it[n].s = sel[i];
			it[n].control = true;
			snprintf(it[n].name, sizeof(it[n].name), "%s.control", sel[i]->name);
			n++;
		}
	}
	free(sel);
	*items = it;
	return n;
}
