// SPDX-License-Identifier: GPL-2.0
/* The guest-side subcommands' command lines, as option tables; see cli_args.h. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cmd/cli_args.h"
#include "cmd/cli_walk.h"
#include "scenarios/fuzz.h"

int parse_run_args(int argc, char **argv, struct run_opts *o, char *err, size_t errlen)
{
	bool ktap = false, json = false, with = false, only = false;
	const struct cli_opt opts[] = {
		CLI_OPT("ktap", 0, CLI_FLAG, &ktap),
		CLI_OPT("json", 0, CLI_FLAG, &json),
		CLI_OPT("with-controls", 0, CLI_FLAG, &with),
		CLI_OPT("controls-only", 0, CLI_FLAG, &only),
		CLI_OPT("allow-destructive", 0, CLI_FLAG, &o->allow_destructive),
		CLI_OPT("verbose", 'v', CLI_FLAG, &o->verbose),
		CLI_OPT("timeout", 0, CLI_SECONDS, &o->timeout_s),
		CLI_OPT("size", 0, CLI_SIZE, &o->size),
		CLI_OPT_END,
	};
	const struct cli_spec spec = {
		.opts = opts, .help = &o->help, .operands = CLI_OPERANDS,
		.many = &o->names, .nmany = &o->nnames };
	int i;

	memset(o, 0, sizeof(*o));
	if (cli_parse(argc, argv, &spec, err, errlen) || o->help)
		return o->help ? 0 : -1;
	if (ktap && json)
		return cli_error(err, errlen, "--ktap and --json exclude each other: pick one output format");
	if (with && only)
		return cli_error(err, errlen, "--with-controls and --controls-only exclude each other");
	o->format = ktap ? OUT_KTAP : json ? OUT_JSON : OUT_TABLE;
	o->controls = with ? CONTROLS_WITH : only ? CONTROLS_ONLY : CONTROLS_NONE;
	for (i = 0; i < o->nnames; i++) {
		if (!strcmp(o->names[i], "all") && o->nnames > 1)
			return cli_error(err, errlen, "'all' runs every scenario: do not combine it with names");
	}
	if (o->nnames == 1 && !strcmp(o->names[0], "all"))
		o->nnames = 0;
	return 0;
}

int parse_load_args(int argc, char **argv, struct load_opts *o, char *err, size_t errlen)
{
	const struct cli_opt opts[] = {
		CLI_OPT("module", 0, CLI_STRING, &o->module),
		CLI_OPT_END,
	};
	const struct cli_spec spec = {
		.opts = opts, .help = &o->help, .operands = CLI_NO_OPERANDS };

	memset(o, 0, sizeof(*o));
	return cli_parse(argc, argv, &spec, err, errlen);
}

int parse_unload_args(int argc, char **argv, struct unload_opts *o, char *err, size_t errlen)
{
	const struct cli_opt opts[] = { CLI_OPT_END };
	const struct cli_spec spec = {
		.opts = opts, .help = &o->help, .operands = CLI_NO_OPERANDS };

	memset(o, 0, sizeof(*o));
	return cli_parse(argc, argv, &spec, err, errlen);
}

int parse_info_args(int argc, char **argv, struct info_opts *o, char *err, size_t errlen)
{
	const struct cli_opt opts[] = {
		CLI_OPT("json", 0, CLI_FLAG, &o->json),
		CLI_OPT_END,
	};
	const struct cli_spec spec = {
		.opts = opts, .help = &o->help, .operands = CLI_NO_OPERANDS };

	memset(o, 0, sizeof(*o));
	return cli_parse(argc, argv, &spec, err, errlen);
}

int parse_list_args(int argc, char **argv, struct list_opts *o, char *err, size_t errlen)
{
	const struct cli_opt opts[] = {
		CLI_OPT("verbose", 'v', CLI_FLAG, &o->verbose),
		CLI_OPT("abi", 0, CLI_FLAG, &o->abi),
		CLI_OPT_END,
	};
	const struct cli_spec spec = {
		.opts = opts, .help = &o->help, .operands = CLI_NO_OPERANDS };

	memset(o, 0, sizeof(*o));
	return cli_parse(argc, argv, &spec, err, errlen);
}

int parse_bench_args(int argc, char **argv, struct bench_opts *o, char *err, size_t errlen)
{
	const struct cli_opt opts[] = {
		CLI_OPT("size", 0, CLI_SIZE, &o->size),
		CLI_NUM("repeat", 0, &o->repeat, 1, BENCH_MAX_REPEAT, NULL),
		CLI_OPT("json", 0, CLI_FLAG, &o->json),
		CLI_OPT_END,
	};
	const struct cli_spec spec = {
		.opts = opts, .help = &o->help, .operands = CLI_NO_OPERANDS };

	memset(o, 0, sizeof(*o));
	o->size = 16ULL << 20;
	o->repeat = 5;
	if (cli_parse(argc, argv, &spec, err, errlen))
		return -1;
	if (o->size % (2ULL << 20) || o->size > (1ULL << 30))
		return cli_error(err, errlen, "--size must be a multiple of 2M, at most 1G");
	return 0;
}

int parse_repro_args(int argc, char **argv, struct repro_opts *o, char *err, size_t errlen)
{
	const struct cli_opt opts[] = {
		CLI_OPT("pin", 0, CLI_FLAG, &o->pin),
		CLI_OPT("size", 0, CLI_SIZE, &o->size),
		CLI_OPT_END,
	};
	const struct cli_spec spec = {
		.opts = opts, .help = &o->help, .operands = CLI_ONE_OPERAND,
		.one = &o->name };

	memset(o, 0, sizeof(*o));
	if (cli_parse(argc, argv, &spec, err, errlen))
		return -1;
	if (!o->help && !o->name)
		return cli_error(err, errlen, "which reproducer? (hmm-swap)");
	return 0;
}

int parse_fuzz_args(int argc, char **argv, struct fuzz_cli_opts *o, char *err, size_t errlen)
{
	const struct cli_opt opts[] = {
		CLI_NUM("seconds", 's', &o->seconds, 1, CLI_TIMEOUT_MAX_S, NULL),
		CLI_NUM("seed", 'S', &o->seed, 0, UINT64_MAX, &o->seed_given),
		CLI_NUM("threads", 't', &o->threads, 1, FUZZ_MAX_THREADS, NULL),
		CLI_OPT_END,
	};
	const struct cli_spec spec = {
		.opts = opts, .help = &o->help, .operands = CLI_NO_OPERANDS };

	*o = (struct fuzz_cli_opts){ .seconds = 60, .threads = 4 };
	return cli_parse(argc, argv, &spec, err, errlen);
}

int parse_mutants_args(int argc, char **argv, struct mutants_opts *o, char *err, size_t errlen)
{
	bool ktap = false, json = false;
	const struct cli_opt opts[] = {
		CLI_OPT("ktap", 'k', CLI_FLAG, &ktap),
		CLI_OPT("json", 'j', CLI_FLAG, &json),
		CLI_OPT("list", 'l', CLI_FLAG, &o->list),
		CLI_OPT("allow-destructive", 'D', CLI_FLAG, &o->allow_destructive),
		CLI_OPT_END,
	};
	const struct cli_spec spec = {
		.opts = opts, .help = &o->help, .operands = CLI_OPERANDS,
		.many = &o->names, .nmany = &o->nnames };

	memset(o, 0, sizeof(*o));
	if (cli_parse(argc, argv, &spec, err, errlen))
		return -1;
	if (ktap && json)
		return cli_error(err, errlen, "--ktap and --json exclude each other: pick one output format");
	o->format = ktap ? OUT_KTAP : json ? OUT_JSON : OUT_TABLE;
	return 0;
}
