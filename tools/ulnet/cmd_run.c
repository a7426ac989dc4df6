/* SPDX-License-Identifier: MIT */
/* `ulnet run FILE`: a scenario file (docs/scenarios.md) on a simulated stack. */
#include <getopt.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "ulnet/lab.h"
#include "up.h"

static void run_usage(FILE *f)
{
	const char *prog;
	size_t i;

	fprintf(f,
		"Usage: ulnet run [--seed N] [--cpus N] [--quiet] FILE\n\n"
		"Runs a scenario: shell-like lines of ip, sysctl, tcpdump, exec, sleep, the views\n"
		"(cat, netstat, nstat, ethtool, top, slabtop, ss) and expect, on a simulated stack\n"
		"booted for the run (docs/scenarios.md). FILE '-' reads standard input.\n\n"
		"  --seed N   seed of the simulated run (default 1)\n"
		"  --cpus N   simulated CPUs, 1..64 (default 2)\n"
		"  --quiet    no progress line (it is shown only on a terminal anyway)\n\n"
		"Exit status: 0 when every line ran and every expect held; 1 when a line failed or\n"
		"an expect did not hold (FILE:LINE: 'WORD': why, on stderr); 2 on a usage error.\n\n"
		"Built-in programs (exec [-n NS] [-c CPU] PROGRAM ARGS):\n");
	up_programs_register();
	for (i = 0; (prog = ul_scenario_program(i)); i++)
		fprintf(f, "  %s\n", prog);
}

static int run_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ul_scenario_opts o = { .seed = 1, .ncpus = 2 };
	bool quiet = false;
	int c, err;

	/* ulnet up's TCP servers and clients are programs of scenarios too. */
	err = up_programs_register();
	if (err) {
		fprintf(stderr, "ulnet run: cannot register the TCP programs: %s\n",
			strerror(-err));
		return ULNET_EXIT_FAIL;
	}
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!ulnet_parse_u64("run", "--seed", optarg, &o.seed))
				return ULNET_EXIT_USAGE;
			break;
		case 'c':
			if (!ulnet_parse_int("run", "--cpus", optarg, 1, 64, &o.ncpus))
				return ULNET_EXIT_USAGE;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			run_usage(stdout);
			return ULNET_EXIT_OK;
		case ':':
			return ulnet_usage_error(&ulnet_cmd_run, "option '%s' needs a value",
						 argv[optind - 1]);
		default:
			return ulnet_usage_error(&ulnet_cmd_run, "unknown option '%s'",
						 argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return ulnet_usage_error(&ulnet_cmd_run, optind >= argc ? "missing FILE%s" :
					 "one FILE only ('%s')", optind >= argc ? "" :
					 argv[optind + 1]);
	o.progress = !quiet && isatty(STDERR_FILENO) && isatty(STDOUT_FILENO);
	err = !strcmp(argv[optind], "-") ? ul_scenario_run_file("/dev/stdin", &o) :
	      ul_scenario_run_file(argv[optind], &o);
	if (err < 0) {
		fprintf(stderr, "ulnet run: %s: %s\n", argv[optind], strerror(-err));
		return ULNET_EXIT_FAIL;
	}
	return err ? ULNET_EXIT_FAIL : ULNET_EXIT_OK;
}

const struct ulnet_cmd ulnet_cmd_run = {
	.name = "run",
	.summary = "run a scenario file (ip, sysctl, tcpdump, exec, sleep, views, expect)",
	.main = run_main,
	.usage = run_usage,
};
