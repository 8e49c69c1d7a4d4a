// SPDX-License-Identifier: GPL-2.0
/* mmrepro: subcommand dispatch and help. */
#include <stdio.h>
#include <string.h>

#include "cmd/cli_args.h"
#include "cmd/cmds.h"
#include "harness/scenario.h"

struct command {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "load", "insert the mmrepro module (root)", usage_load, cmd_load },
	{ "unload", "remove the mmrepro module (root)", usage_unload, cmd_unload },
	{ "info", "what the module and the kernel offer", usage_info, cmd_info },
	{ "list", "list the scenarios", usage_list, cmd_list },
	{ "run", "run scenarios (and their negative controls)", usage_run, cmd_run },
	{ "repro", "run a bug report's own reproducer program (hmm-swap)", usage_repro, cmd_repro },
	{ "bench", "ns per page of the ioctls, beside gup_test and test_hmm", usage_bench, cmd_bench },
	{ "fuzz", "random, racing, hostile use of the device (seeded)", usage_fuzz, cmd_fuzz },
	{ "mutants", "guest: each kernel mutant on, the scenarios must catch it", usage_mutants,
	  cmd_mutants },
	{ "console", "host: verdicts from a guest's console log, vs expectations",
	  usage_console, cmd_console },
	{ "matrix", "host: the verdicts of several lanes as one table, vs expectations",
	  usage_matrix, cmd_matrix },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *f)
{
	size_t i;

	fprintf(f,
"Usage: mmrepro COMMAND [OPTIONS...]\n"
"       mmrepro help COMMAND | mmrepro COMMAND --help | mmrepro --version\n"
"\n"
"Reproduce Linux memory-management bugs with the mmrepro kernel module\n"
"(/dev/mmrepro): each scenario ends in a verdict ok, bug, skip, error or hang.\n"
"\n"
"Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
"\n"
"A typical session, as root, in the QEMU guest or on a test machine:\n"
"  mmrepro load && mmrepro info && mmrepro run --with-controls\n"
"\n"
"Exit status (`mmrepro run` exits as a kselftest does: 0 KSFT_PASS,\n"
"1 KSFT_FAIL, 4 KSFT_SKIP; see `mmrepro run --help`):\n"
"  0   success\n"
"  1   run: a run ended bug, hang, splat or error, or a control did not end\n"
"      bug; console, matrix: a verdict differs from the expectation file\n"
"  2   an error: an operation failed, a file could not be read\n"
"  4   run: every scenario skipped, or /dev/mmrepro unusable for every one;\n"
"      mutants: this kernel has no mutant switches\n"
"  64  usage error: unknown command, option or scenario\n"
"  69  the module or /dev/mmrepro is not available; load it with\n"
"      `mmrepro load`\n"
"  77  not permitted: run as root\n"
"\n"
"Environment:\n"
"  MMREPRO_MODULE   the mmrepro.ko `mmrepro load` inserts\n");
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	fprintf(stderr, "mmrepro: unknown command '%s'; the commands are:", name);
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(stderr, " %s", commands[i].name);
	fprintf(stderr, "\nTry `mmrepro --help`.\n");
	return EXIT_USAGE;
}

static int help(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (argc > 2) {
		fprintf(stderr, "mmrepro help: one COMMAND at a time\n");
		return EXIT_USAGE;
	}
	c = find_command(argv[1]);
	if (!c)
		return unknown_command(argv[1]);
	fputs(c->usage, stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
		return help(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("mmrepro %s (ABI %d)\n", MMREPRO_CLI_VERSION, MMREPRO_ABI_VERSION);
		return EXIT_OK;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "mmrepro: unknown option '%s': options go after the COMMAND\n"
			"Try `mmrepro --help`.\n", argv[1]);
		return EXIT_USAGE;
	}
	c = find_command(argv[1]);
	if (!c)
		return unknown_command(argv[1]);
	if (args_want_help(argc - 1, argv + 1)) {
		fputs(c->usage, stdout);
		return EXIT_OK;
	}
	return c->run(argc - 1, argv + 1);
}
