/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands of mmrepro and their help texts. */
#ifndef MMREPRO_CMDS_H
#define MMREPRO_CMDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cmd/cli_args.h"
#include "lib/exit_codes.h"

#define MMREPRO_CLI_VERSION	"0.1.0"

/* Each takes the subcommand's argv (argv[0] = "run", ...) and returns the exit code. */
int cmd_load(int argc, char **argv);
int cmd_unload(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_repro(int argc, char **argv);
int cmd_fuzz(int argc, char **argv);
int cmd_mutants(int argc, char **argv);
int cmd_bench(int argc, char **argv);

extern const char usage_load[];
extern const char usage_unload[];
extern const char usage_info[];
extern const char usage_list[];
extern const char usage_run[];
extern const char usage_console[];
extern const char usage_matrix[];
extern const char usage_repro[];
extern const char usage_fuzz[];
extern const char usage_mutants[];
extern const char usage_bench[];

/* cmd/run.c, shared with cmd/mutants.c */
/* The writer of an output format. */
struct report_writer;
const struct report_writer *run_writer_for(enum out_format fmt);
/* "<5>mmrepro: begin NAME" or "<5>mmrepro: end NAME VERDICT" (verdict != NULL) to /dev/kmsg */
void run_kmsg_marker(const char *name, const char *verdict);
/* One run of s, named name, between its begin and end markers. */
struct scenario;
struct run_params;
struct run_outcome;
void run_between_markers(const struct scenario *s, const char *name,
			 const struct run_params *p, struct run_outcome *out);
/* Where runs are reported: the writer, its header, the totals to add to. */
struct run_report {
	const struct report_writer *w;
	const struct report_header *hdr;
	struct report_totals *totals;
};
/* A finished run as entry number index: written, flushed, added up. */
void run_report(const struct run_report *r, unsigned int index, const char *name,
		const struct scenario *s, bool control, bool passed,
		const struct run_outcome *out);
/* /proc/cmdline has mmrepro.guest=1 */
bool run_in_guest(void);

/* cmd/info.c: names of struct mmrepro_info fields' values */
const char *info_pin_api_name(unsigned int api);
const char *info_excl_api_name(unsigned int api);
const char *info_protnone_name(uint32_t method);
void info_caps_text(uint64_t caps, char *buf, size_t len);
/*
 * Open /dev/mmrepro and read its INFO: the fd, or -1 with *code an exit
 * code and err what to do about it (load the module, run as root, ...).
 */
struct mmrepro_info;
int module_open(struct mmrepro_info *info, int *code, char *err, size_t errlen);

/* cmd/console.c: its output, for tests */
struct console_result;
struct compare_row;
void console_print_observed(FILE *f, const struct console_result *r, int width);
void console_print_compare(FILE *f, const struct compare_row *rows, size_t n, int width);
void console_write_json(FILE *f, const char *lane, const struct console_result *r,
			const struct compare_row *rows, size_t nrows, bool compared,
			int mismatches);
void console_write_markdown(FILE *f, const char *lane, const struct console_result *r,
			    const struct compare_row *rows, size_t nrows, bool compared);

/* "mmrepro CMD: <err>" and a pointer to --help, on stderr; returns EXIT_USAGE. */
static inline int usage_error(const char *cmd, const char *err)
{
	fprintf(stderr, "mmrepro %s: %s\nTry `mmrepro %s --help`.\n", cmd, err, cmd);
	return EXIT_USAGE;
}

/* After a parser: the usage on --help (EXIT_OK), else usage_error(). */
static inline int usage_or_error(const char *cmd, const char *usage, bool help, const char *err)
{
	if (!help)
		return usage_error(cmd, err);
	fputs(usage, stdout);
	return EXIT_OK;
}

#endif /* MMREPRO_CMDS_H */
