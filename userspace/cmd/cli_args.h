/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line parsing of every subcommand into a struct, with a
 * getopt_long() table each (cli_walk.h). No I/O and no messages on stderr
 * (optind is reset at each call), so unit tests call them directly.
 *
 * Each parser takes the subcommand's argv (argv[0] is the subcommand name,
 * options start at argv[1]), fills *o and returns 0; on a usage error it
 * writes a one-line message to err and returns -1. "--help"/"-h" sets
 * o->help and stops parsing. "--opt VALUE" and "--opt=VALUE" are both
 * accepted, and so is an unambiguous prefix ("--with"); "--" ends the
 * options. parse_run_args() gathers the scenario
 * names at argv[1...] (options and names may be mixed), like getopt does.
 */
#ifndef MMREPRO_CLI_ARGS_H
#define MMREPRO_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/runner.h"

#define CLI_ERR_MAX		1024
#define CLI_TIMEOUT_MAX_S	86400

enum out_format {
	OUT_TABLE,	/* human table (default) */
	OUT_KTAP,
	OUT_JSON,
};

struct run_opts {
	bool help;
	enum out_format format;
	enum control_mode controls;
	bool allow_destructive;
	bool verbose;
	unsigned int timeout_s;	/* 0: not given */
	unsigned long long size;	/* --size: 0 not given */
	char **names;		/* scenario names (argv[1...], reordered) */
	int nnames;		/* 0: all */
};

struct load_opts {
	bool help;
	const char *module;	/* --module PATH, or NULL */
};

struct unload_opts {
	bool help;
};

struct info_opts {
	bool help;
	bool json;
};

struct list_opts {
	bool help;
	bool verbose;
	bool abi;	/* the hostile-input table instead */
};

struct console_opts {
	bool help;
	const char *expect;	/* --expect FILE */
	const char *lane;	/* --lane NAME */
	const char *json;	/* --json FILE */
	const char *markdown;	/* --markdown FILE */
	const char *log;	/* LOG */
};

#define MATRIX_MAX_RESULTS	32	/* --results, e.g. one per CI job's artifact */

struct matrix_opts {
	bool help;
	const char *results[MATRIX_MAX_RESULTS]; /* --results DIR..., (default "results") */
	int nresults;		/* a lane is read from the first DIR that has it */
	const char *expect_dir;	/* --expect-dir DIR (default "tests/expect") */
	const char *markdown;	/* --markdown FILE */
	const char *json;	/* --json FILE */
	const char *kcidb;	/* --kcidb FILE */
	const char *run_id;	/* --run-id ID (KCIDB object IDs), or NULL */
	char **lanes;		/* LANE... (argv[1...], reordered) */
	int nlanes;
};

#define BENCH_MAX_REPEAT	101	/* bench --repeat */

struct bench_opts {
	bool help;
	unsigned long long size;	/* --size, default 16M */
	unsigned long long repeat;	/* --repeat, default 5 */
	bool json;
};

struct repro_opts {
	bool help;
	const char *name;	/* the reproducer: "hmm-swap" */
	unsigned long long size; /* --size (bytes); 0: the reproducer's own */
	bool pin;		/* --pin: pin instead of exclusive (known answer) */
};

int parse_run_args(int argc, char **argv, struct run_opts *o, char *err, size_t errlen);
int parse_load_args(int argc, char **argv, struct load_opts *o, char *err, size_t errlen);
int parse_unload_args(int argc, char **argv, struct unload_opts *o, char *err, size_t errlen);
int parse_info_args(int argc, char **argv, struct info_opts *o, char *err, size_t errlen);
int parse_list_args(int argc, char **argv, struct list_opts *o, char *err, size_t errlen);
int parse_console_args(int argc, char **argv, struct console_opts *o,
		       char *err, size_t errlen);
int parse_matrix_args(int argc, char **argv, struct matrix_opts *o,
		      char *err, size_t errlen);

struct fuzz_cli_opts {
	bool help;
	unsigned long long seconds;	/* --seconds, default 60 */
	unsigned long long seed;	/* --seed, when seed_given */
	bool seed_given;
	unsigned long long threads;	/* --threads, default 4 */
};

struct mutants_opts {
	bool help;
	enum out_format format;	/* --ktap, --json */
	bool list;		/* --list */
	bool allow_destructive;
	char **names;		/* MUTANT... (argv[1...], reordered); none: all */
	int nnames;
};

int parse_fuzz_args(int argc, char **argv, struct fuzz_cli_opts *o, char *err, size_t errlen);
int parse_mutants_args(int argc, char **argv, struct mutants_opts *o, char *err, size_t errlen);
int parse_repro_args(int argc, char **argv, struct repro_opts *o, char *err, size_t errlen);
int parse_bench_args(int argc, char **argv, struct bench_opts *o, char *err, size_t errlen);

/* "1G", "512M", "64k", "4096" -> bytes. 0, or -1 when malformed or 0. */
int parse_size(const char *s, unsigned long long *bytes);

/* "--help"/"-h" anywhere before "--"? (for `mmrepro CMD --help` of any CMD) */
bool args_want_help(int argc, char **argv);

#endif /* MMREPRO_CLI_ARGS_H */
