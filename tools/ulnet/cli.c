/* SPDX-License-Identifier: MIT */
/* The `ulnet` command's top level: finds the subcommand and parses shared value types.
 * Mirrors the structure of iproute2's ip/ip.c (a command table and do_cmd), not its code.
 * New subcommands (`lab`, `run`, `up`, `pkt`) add a cmd_*.c file and a line in cmds[]. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define ULNET_VERSION "0.1 (Linux 3.10 network stack in user space)"

static const struct ulnet_cmd *const cmds[] = {
	&ulnet_cmd_demo,
	&ulnet_cmd_lab,
	&ulnet_cmd_run,
	&ulnet_cmd_view,
	&ulnet_cmd_pkt,
	&ulnet_cmd_up,
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: ulnet [--help] [--version] COMMAND [ARGS...]\n\n"
		   "The Linux 3.10 network stack in user space: labs, scenarios and views.\n\n"
		   "Commands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i]->name, cmds[i]->summary);
	fprintf(f, "\n`ulnet COMMAND --help` describes a command's options.\n");
}

static const struct ulnet_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmds[i]->name, name))
			return cmds[i];
	return NULL;
}

int ulnet_cli_main(int argc, char **argv)
{
	const struct ulnet_cmd *cmd;

	if (argc < 2) {
		usage(stderr);
		return ULNET_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		if (argc > 2 && (cmd = find_cmd(argv[2]))) {
			cmd->usage(stdout);
			return ULNET_EXIT_OK;
		}
		usage(stdout);
		return ULNET_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("ulnet %s\n", ULNET_VERSION);
		return ULNET_EXIT_OK;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "ulnet: unknown option '%s' (try 'ulnet --help')\n", argv[1]);
		return ULNET_EXIT_USAGE;
	}
	cmd = find_cmd(argv[1]);
	if (!cmd) {
		fprintf(stderr, "ulnet: unknown command '%s' (try 'ulnet --help')\n", argv[1]);
		return ULNET_EXIT_USAGE;
	}
	return cmd->main(argc - 1, argv + 1);
}

bool ulnet_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	/* strtoull accepts "-1" (as ULLONG_MAX): reject a sign explicitly. */
	if (!s || !*s || *s == '-' || *s == '+')
		goto bad;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		goto bad;
	*out = v;
	return true;
bad:
	fprintf(stderr, "ulnet %s: bad value for %s: '%s' (expected an unsigned number)\n", cmd,
		opt, s ? s : "");
	return false;
}

bool ulnet_parse_int(const char *cmd, const char *opt, const char *s, int min, int max,
		     int *out)
{
	char *end;
	long v;

	errno = 0;
	if (!s || !*s)
		goto bad;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		goto bad;
	*out = (int)v;
	return true;
bad:
	fprintf(stderr, "ulnet %s: bad value for %s: '%s' (expected %d..%d)\n", cmd, opt,
		s ? s : "", min, max);
	return false;
}

int ulnet_usage_error(const struct ulnet_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ulnet %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'ulnet %s --help')\n", cmd->name);
	return ULNET_EXIT_USAGE;
}

int ulnet_sim_opt(const struct ulnet_cmd *cmd, int c, char **argv, uint64_t *seed, int *ncpus)
{
	switch (c) {
	case 's':
		return ulnet_parse_u64(cmd->name, "--seed", optarg, seed) ? ULNET_OPT_NEXT
									 : ULNET_EXIT_USAGE;
	case 'c':
		return ulnet_parse_int(cmd->name, "--cpus", optarg, 1, 64, ncpus) ? ULNET_OPT_NEXT
										   : ULNET_EXIT_USAGE;
	case 'h':
		cmd->usage(stdout);
		return ULNET_EXIT_OK;
	case ':':
		return ulnet_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
	default:
		return ulnet_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
	}
}
