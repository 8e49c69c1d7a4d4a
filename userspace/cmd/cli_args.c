// SPDX-License-Identifier: GPL-2.0
/* Command-line parsing into structs; see cli_args.h. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli_args.h"
#include "cmd/cli_walk.h"

int parse_run_args(int argc, char **argv, struct run_opts *o, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		OPT_HELP_ENTRY,
		{ "ktap", no_argument, NULL, OPT_KTAP },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "with-controls", no_argument, NULL, OPT_WITH_CONTROLS },
		{ "controls-only", no_argument, NULL, OPT_CONTROLS_ONLY },
		{ "allow-destructive", no_argument, NULL, OPT_ALLOW_DESTRUCTIVE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ NULL, 0, NULL, 0 },
	};
	bool ktap = false, json = false, with = false, only = false;
	struct cli_walk w;
	const char *arg;
	int c, i;

	memset(o, 0, sizeof(*o));
	cli_walk_start(&w, argc, argv, err, errlen);
	o->names = argv + 1;
	while ((c = cli_walk_next(&w, "hv", longopts)) != -1) {
		switch (c) {
		case 1:
			cli_keep_operand(argv, &o->nnames, optarg);
			break;
		case 'h':
			o->help = true;
			return 0;
		case OPT_KTAP:
			ktap = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_WITH_CONTROLS:
			with = true;
			break;
		case OPT_CONTROLS_ONLY:
			only = true;
			break;
		case OPT_ALLOW_DESTRUCTIVE:
			o->allow_destructive = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case OPT_TIMEOUT:
			if (cli_seconds(&w, "--timeout", optarg, &o->timeout_s))
				return -1;
			break;
		default:
			return cli_walk_refused(&w, c);
		}
	}
	while ((arg = cli_operand_after_dashes(&w)))
		cli_keep_operand(argv, &o->nnames, (char *)arg);
	if (ktap && json)
		return cli_fail(&w, "--ktap and --json exclude each other: pick one output format");
	if (with && only)
		return cli_fail(&w, "--with-controls and --controls-only exclude each other");
	o->format = ktap ? OUT_KTAP : json ? OUT_JSON : OUT_TABLE;
	o->controls = with ? CONTROLS_WITH : only ? CONTROLS_ONLY : CONTROLS_NONE;

	for (i = 0; i < o->nnames; i++) {
		if (!strcmp(o->names[i], "all") && o->nnames > 1)
			return cli_fail(&w, "'all' runs every scenario: do not combine it with names");
	}
	if (o->nnames == 1 && !strcmp(o->names[0], "all"))
		o->nnames = 0;
	return 0;
}

int parse_load_args(int argc, char **argv, struct load_opts *o, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		OPT_HELP_ENTRY,
		{ "module", required_argument, NULL, OPT_MODULE },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_walk w;
	int c;

	memset(o, 0, sizeof(*o));
	cli_walk_start(&w, argc, argv, err, errlen);
	while ((c = cli_walk_next(&w, "h", longopts)) != -1) {
		switch (c) {
		case 1:
			return cli_extra_argument(&w, optarg);
		case 'h':
			o->help = true;
			return 0;
		case OPT_MODULE:
			if (cli_value(&w, "--module", &o->module))
				return -1;
			break;
		default:
			return cli_walk_refused(&w, c);
		}
	}
	return cli_walk_no_operands(&w);
}

int parse_unload_args(int argc, char **argv, struct unload_opts *o, char *err, size_t errlen)
{
	static const struct option longopts[] = { OPT_HELP_ENTRY, { NULL, 0, NULL, 0 } };

	memset(o, 0, sizeof(*o));
	return cli_parse_flags(argc, argv, "h", longopts, &o->help, NULL, err, errlen);
}

int parse_info_args(int argc, char **argv, struct info_opts *o, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		OPT_HELP_ENTRY,
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	bool *const flags[] = { &o->json };

	memset(o, 0, sizeof(*o));
	return cli_parse_flags(argc, argv, "h", longopts, &o->help, flags, err, errlen);
}

int parse_list_args(int argc, char **argv, struct list_opts *o, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		OPT_HELP_ENTRY,
		{ "verbose", no_argument, NULL, 'v' },
		{ "abi", no_argument, NULL, OPT_ABI },
		{ NULL, 0, NULL, 0 },
	};
	bool *const flags[] = { &o->verbose, &o->abi };

	memset(o, 0, sizeof(*o));
	return cli_parse_flags(argc, argv, "hv", longopts, &o->help, flags, err, errlen);
}

int parse_repro_args(int argc, char **argv, struct repro_opts *o, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		OPT_HELP_ENTRY,
		{ "pin", no_argument, NULL, OPT_PIN },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_walk w;
	const char *arg;
	int c;

	memset(o, 0, sizeof(*o));
	cli_walk_start(&w, argc, argv, err, errlen);
	while ((c = cli_walk_next(&w, "h", longopts)) != -1) {
		switch (c) {
		case 1:
			if (o->name)
				return cli_extra_argument(&w, optarg);
			o->name = optarg;
			break;
		case 'h':
			o->help = true;
			return 0;
		case OPT_PIN:
			o->pin = true;
			break;
		case OPT_SIZE:
			if (parse_size(optarg, &o->size))
				return cli_fail(&w, "--size wants a size such as 1G, 512M or 4096, not '%s'",
					    optarg);
			break;
		default:
			return cli_walk_refused(&w, c);
		}
	}
	while ((arg = cli_operand_after_dashes(&w))) {
		if (o->name)
			return cli_extra_argument(&w, arg);
		o->name = arg;
	}
	if (!o->name)
		return cli_fail(&w, "which reproducer? (hmm-swap)");
	return 0;
}
