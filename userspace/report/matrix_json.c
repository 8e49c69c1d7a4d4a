// SPDX-License-Identifier: GPL-2.0
/* `mmrepro matrix --json`: the lanes and their cells (the format: cmd/matrix.c's usage). */
#include <stdio.h>
#include <string.h>

#include "host/matrix.h"
#include "report/report.h"

static void json_result(FILE *f, const struct compare_row *r, bool first)
{
	json_write_compare_row(f, r, first, true);
	fputs(",\"reason\":", f);
	json_write_string(f, r->match ? (r->obs ? r->obs->reason : "") : r->note);
	fputs(",\"excerpt\":", f);
	json_write_lines(f, r->obs ? r->obs->excerpt : NULL);
	if (matrix_is_mutant_row(r->name)) {
		/* "mutant.001-fork-pinned-pte.fork-pin": the mutant has no dot */
		const char *mut = r->name + strlen(MATRIX_MUTANT_PREFIX), *dot = strchr(mut, '.');

		if (dot) {
			fprintf(f, ",\"mutant\":{\"name\":\"%.*s\",\"scenario\":", (int)(dot - mut), mut);
			json_write_string(f, dot + 1);
			fputc('}', f);
		}
	}
	fputc('}', f);
}

static void json_lane(FILE *f, const struct matrix *m, const struct matrix_lane *l)
{
	/* the lane's strings, in this order; null when absent */
	const struct {
		const char *key, *value;
	} field[] = {
		{ "kernel", l->kernel },
		{ "krel", l->krel },
		{ "recorded_on", l->exp && l->exp->recorded_on[0] ? l->exp->recorded_on : NULL },
		{ "status", l->status },
		{ "reason", l->reason },
		{ "oracle", l->oracle },
	};
	bool first = true;
	size_t j;

	fputs("{\"name\":", f);
	json_write_string(f, l->name);
	for (j = 0; j < sizeof(field) / sizeof(field[0]); j++) {
		fprintf(f, ",\"%s\":", field[j].key);
		json_write_string_or_null(f, field[j].value);
	}
	fprintf(f, ",\"incomplete\":%s,\"panic\":%s,\"note\":",
		!l->con || l->con->incomplete ? "true" : "false",
		l->con && l->con->panic ? "true" : "false");
	json_write_string_or_null(f, l->note[0] ? l->note : NULL);
	fputs(",\"results\":[", f);
	for (j = 0; j < m->nrows; j++) {
		const struct compare_row *r = matrix_cell(l, m->rows[j]);

		if (!r)
			continue;
		json_result(f, r, first);
		first = false;
	}
	fputs("]}", f);
}

void matrix_write_json(FILE *f, const struct matrix *m)
{
	size_t i;

	fputs("{\"lanes\":[", f);
	for (i = 0; i < m->nlanes; i++) {
		if (i)
			fputc(',', f);
		json_lane(f, m, &m->lanes[i]);
	}
	fprintf(f, "],\"mismatches\":%d}\n", m->mismatches);
}
