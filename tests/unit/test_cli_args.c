// SPDX-License-Identifier: GPL-2.0
/* Argument parsing of the subcommands. */
#include <stdlib.h>

#include "cmd/cli_args.h"
#include "unit.h"

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(fn, o, ...) fn(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), o, err, sizeof(err))

TEST(run_args_defaults)
{
	char err[CLI_ERR_MAX];
	struct run_opts o;

	CHECK_INT(PARSE(parse_run_args, &o, "run"), 0);
	CHECK_INT(o.format, OUT_TABLE);
	CHECK_INT(o.controls, CONTROLS_NONE);
	CHECK_INT(o.nnames, 0);
	CHECK_INT(o.timeout_s, 0);
	CHECK(!o.allow_destructive && !o.help && !o.verbose);
}

TEST(run_args_everything)
{
	char err[CLI_ERR_MAX];
	struct run_opts o;
	int r;

	/* not inside CHECK_INT: o.names points into the argv compound literal */
	r = PARSE(parse_run_args, &o, "run", "--ktap", "fork-pin", "--with-controls",
		  "--timeout", "30", "--allow-destructive", "fork-pin-thp", "-v");
	CHECK_INT(r, 0);
	CHECK_INT(o.format, OUT_KTAP);
	CHECK_INT(o.controls, CONTROLS_WITH);
	CHECK_INT(o.timeout_s, 30);
	CHECK(o.allow_destructive && o.verbose);
	REQUIRE(o.nnames == 2);
	CHECK_STR(o.names[0], "fork-pin");
	CHECK_STR(o.names[1], "fork-pin-thp");

	r = PARSE(parse_run_args, &o, "run", "--json", "--controls-only", "--timeout=5",
		  "--", "--odd-name");
	CHECK_INT(r, 0);
	CHECK_INT(o.format, OUT_JSON);
	CHECK_INT(o.controls, CONTROLS_ONLY);
	CHECK_INT(o.timeout_s, 5);
	REQUIRE(o.nnames == 1);
	CHECK_STR(o.names[0], "--odd-name");
	CHECK_INT(o.size, 0);

	CHECK_INT(PARSE(parse_run_args, &o, "run", "--size", "1G", "hmm-swap"), 0);
	CHECK_INT(o.size, 1ULL << 30);
	CHECK_STR(o.names[0], "hmm-swap");

	CHECK_INT(PARSE(parse_run_args, &o, "run", "all"), 0);
	CHECK_INT(o.nnames, 0);
	CHECK_INT(PARSE(parse_run_args, &o, "run", "--help", "--bogus"), 0);
	CHECK(o.help);
}

TEST(run_args_errors)
{
	char err[CLI_ERR_MAX];
	struct run_opts o;

	CHECK_INT(PARSE(parse_run_args, &o, "run", "--ktap", "--json"), -1);
	CHECK_HAS(err, "exclude each other");
	CHECK_INT(PARSE(parse_run_args, &o, "run", "--with-controls", "--controls-only"), -1);
	CHECK_HAS(err, "--controls-only");
	CHECK_INT(PARSE(parse_run_args, &o, "run", "--timeout"), -1);
	CHECK_HAS(err, "--timeout needs a value");
	CHECK_INT(PARSE(parse_run_args, &o, "run", "--timeout", "abc"), -1);
	CHECK_HAS(err, "'abc'");
	CHECK_INT(PARSE(parse_run_args, &o, "run", "--timeout", "0"), -1);
	CHECK_INT(PARSE(parse_run_args, &o, "run", "--timeout", "-3"), -1);
	CHECK_INT(PARSE(parse_run_args, &o, "run", "--timeout", "99999999999"), -1);
	CHECK_INT(PARSE(parse_run_args, &o, "run", "--timeout=", "x"), -1);
	CHECK_INT(PARSE(parse_run_args, &o, "run", "--frobnicate"), -1);
	CHECK_STR(err, "unknown option '--frobnicate'");
	CHECK_INT(PARSE(parse_run_args, &o, "run", "--ktapx"), -1);
	CHECK_INT(PARSE(parse_run_args, &o, "run", "all", "fork-pin"), -1);
	CHECK_HAS(err, "'all'");
}

TEST(load_args)
{
	char err[CLI_ERR_MAX];
	struct load_opts o;

	CHECK_INT(PARSE(parse_load_args, &o, "load"), 0);
	CHECK(o.module == NULL);
	CHECK_INT(PARSE(parse_load_args, &o, "load", "--module", "/x/mmrepro.ko"), 0);
	CHECK_STR(o.module, "/x/mmrepro.ko");
	CHECK_INT(PARSE(parse_load_args, &o, "load", "--module=y.ko"), 0);
	CHECK_STR(o.module, "y.ko");
	CHECK_INT(PARSE(parse_load_args, &o, "load", "--module"), -1);
	CHECK_HAS(err, "--module needs a value");
	CHECK_INT(PARSE(parse_load_args, &o, "load", "mmrepro.ko"), -1);
	CHECK_HAS(err, "unexpected argument");
	CHECK_INT(PARSE(parse_load_args, &o, "load", "-x"), -1);
	CHECK_INT(PARSE(parse_load_args, &o, "load", "-h"), 0);
	CHECK(o.help);
}

TEST(console_args)
{
	char err[CLI_ERR_MAX];
	struct console_opts o;

	CHECK_INT(PARSE(parse_console_args, &o, "console", "--expect", "e.txt", "--lane",
			"debian-6.1", "--json", "o.json", "--markdown=o.md", "serial.log"), 0);
	CHECK_STR(o.expect, "e.txt");
	CHECK_STR(o.lane, "debian-6.1");
	CHECK_STR(o.json, "o.json");
	CHECK_STR(o.markdown, "o.md");
	CHECK_STR(o.log, "serial.log");
	CHECK_INT(PARSE(parse_console_args, &o, "console", "-"), 0);
	CHECK_STR(o.log, "-");
	CHECK_INT(PARSE(parse_console_args, &o, "console"), -1);
	CHECK_HAS(err, "missing LOG");
	CHECK_INT(PARSE(parse_console_args, &o, "console", "a.log", "b.log"), -1);
	CHECK_HAS(err, "one LOG");
	CHECK_INT(PARSE(parse_console_args, &o, "console", "--expect"), -1);
	CHECK_INT(PARSE(parse_console_args, &o, "console", "--bogus", "a.log"), -1);
}

TEST(other_args)
{
	char err[CLI_ERR_MAX];
	struct unload_opts u;
	struct info_opts i;
	struct list_opts l;

	CHECK_INT(PARSE(parse_unload_args, &u, "unload"), 0);
	CHECK_INT(PARSE(parse_unload_args, &u, "unload", "now"), -1);
	CHECK_INT(PARSE(parse_info_args, &i, "info", "--json"), 0);
	CHECK(i.json);
	CHECK_INT(PARSE(parse_info_args, &i, "info", "--xml"), -1);
	CHECK_INT(PARSE(parse_list_args, &l, "list", "--verbose"), 0);
	CHECK(l.verbose);
	CHECK_INT(PARSE(parse_list_args, &l, "list", "x"), -1);
	CHECK(args_want_help(3, ARGV("run", "x", "--help")));
	CHECK(!args_want_help(3, ARGV("run", "--", "--help")));
	CHECK(!args_want_help(2, ARGV("run", "x")));
}

TEST(repro_args)
{
	char err[CLI_ERR_MAX];
	struct repro_opts o;

	CHECK_INT(PARSE(parse_repro_args, &o, "repro", "hmm-swap"), 0);
	CHECK_STR(o.name, "hmm-swap");
	CHECK(!o.pin && !o.size);
	CHECK_INT(PARSE(parse_repro_args, &o, "repro", "--size", "512M", "--pin", "hmm-swap"), 0);
	CHECK(o.size == 512ULL << 20 && o.pin);
	CHECK_INT(PARSE(parse_repro_args, &o, "repro", "--size=1G", "hmm-swap"), 0);
	CHECK(o.size == 1ULL << 30);
	CHECK_INT(PARSE(parse_repro_args, &o, "repro"), -1);
	CHECK_HAS(err, "which reproducer");
	CHECK_INT(PARSE(parse_repro_args, &o, "repro", "--size", "lots", "hmm-swap"), -1);
	CHECK_HAS(err, "--size");
	CHECK_INT(PARSE(parse_repro_args, &o, "repro", "a", "b"), -1);
}

TEST(size_parsing)
{
	static const struct { const char *text; unsigned long long bytes; } good[] = {
		{ "4096", 4096 }, { "64k", 65536 }, { "2M", 2ULL << 20 }, { "1G", 1ULL << 30 },
	};
	static const char *const bad[] = { "0", "1T", "-1M", "", "99999999999999999999G" };
	unsigned long long b;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		b = 0;
		CHECK_INT(parse_size(good[i].text, &b), 0);
		CHECK(b == good[i].bytes);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(parse_size(bad[i], &b), -1);
}

TEST(getopt_long_conventions)
{
	char err[CLI_ERR_MAX];
	struct run_opts o;
	struct list_opts l;
	int r;

	/* an unambiguous prefix, as getopt_long() allows */
	r = PARSE(parse_run_args, &o, "run", "--with", "fork-pin");
	CHECK_INT(r, 0);
	CHECK_INT(o.controls, CONTROLS_WITH);
	/* names keep their order, options between them, even with POSIXLY_CORRECT */
	setenv("POSIXLY_CORRECT", "1", 1);
	r = PARSE(parse_run_args, &o, "run", "b", "--ktap", "a");
	unsetenv("POSIXLY_CORRECT");
	CHECK_INT(r, 0);
	CHECK_INT(o.format, OUT_KTAP);
	REQUIRE(o.nnames == 2);
	CHECK_STR(o.names[0], "b");
	CHECK_STR(o.names[1], "a");
	/* messages are ours, naming what was refused */
	CHECK_INT(PARSE(parse_run_args, &o, "run", "-x"), -1);
	CHECK_STR(err, "unknown option '-x'");
	CHECK_INT(PARSE(parse_list_args, &l, "list", "-v", "--", "x"), -1);
	CHECK_STR(err, "unexpected argument 'x'");
	CHECK_INT(PARSE(parse_list_args, &l, "list", "-hv"), 0);
	CHECK(l.help);
}

TEST(fuzz_and_mutants_args)
{
	char err[CLI_ERR_MAX];
	struct fuzz_cli_opts f;
	struct mutants_opts m;
	int r;

	CHECK_INT(PARSE(parse_fuzz_args, &f, "fuzz"), 0);
	CHECK(f.seconds == 60 && f.threads == 4 && !f.seed_given);
	CHECK_INT(PARSE(parse_fuzz_args, &f, "fuzz", "-s", "5", "--seed=0x18ebb6a66fbf6e85", "-t2"), 0);
	CHECK(f.seconds == 5 && f.threads == 2 && f.seed_given && f.seed == 0x18ebb6a66fbf6e85ULL);
	CHECK_INT(PARSE(parse_fuzz_args, &f, "fuzz", "--threads", "17"), -1);
	CHECK_HAS(err, "--threads wants a number from 1 to 16");
	CHECK_INT(PARSE(parse_fuzz_args, &f, "fuzz", "--seconds", "0"), -1);
	CHECK_INT(PARSE(parse_fuzz_args, &f, "fuzz", "-s"), -1);
	CHECK_STR(err, "-s needs a value");

	r = PARSE(parse_mutants_args, &m, "mutants", "-k", "003-x", "-D", "000-y");
	CHECK_INT(r, 0);
	CHECK(m.format == OUT_KTAP && m.allow_destructive && !m.list);
	REQUIRE(m.nnames == 2);
	CHECK_STR(m.names[1], "000-y");
	CHECK_INT(PARSE(parse_mutants_args, &m, "mutants", "--ktap", "--json"), -1);
}

TEST(bench_args)
{
	char err[CLI_ERR_MAX];
	struct bench_opts o;

	CHECK_INT(PARSE(parse_bench_args, &o, "bench"), 0);
	CHECK_INT(o.size, 16ULL << 20);
	CHECK_INT(o.repeat, 5);
	CHECK(!o.json);
	CHECK_INT(PARSE(parse_bench_args, &o, "bench", "--size", "2M", "--repeat", "1", "--json"), 0);
	CHECK_INT(o.size, 2ULL << 20);
	CHECK_INT(o.repeat, 1);
	CHECK(o.json);
	CHECK_INT(PARSE(parse_bench_args, &o, "bench", "--size", "3M"), -1);
	CHECK_HAS(err, "multiple of 2M");
	CHECK_INT(PARSE(parse_bench_args, &o, "bench", "--size", "2G"), -1);
	CHECK_INT(PARSE(parse_bench_args, &o, "bench", "--repeat", "0"), -1);
	CHECK_INT(PARSE(parse_bench_args, &o, "bench", "--repeat", "102"), -1);
	CHECK_INT(PARSE(parse_bench_args, &o, "bench", "extra"), -1);
}
