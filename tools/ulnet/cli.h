/* SPDX-License-Identifier: MIT */
/* The `ulnet` command: subcommand table and argument-parsing helpers.
 * Mirrors no kernel file: it plays the part of iproute2's ip.c (a table of objects, each with
 * its own parser). A subcommand is a cmd_*.c file with a `struct ulnet_cmd` listed in cli.c.
 *
 * Exit codes of every subcommand: 0 success, 1 the command ran and something failed (a check,
 * an operation), 2 usage error (unknown subcommand or option, bad value). */
#ifndef ULNET_TOOL_CLI_H
#define ULNET_TOOL_CLI_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define ULNET_EXIT_OK	 0
#define ULNET_EXIT_FAIL	 1
#define ULNET_EXIT_USAGE 2

struct ulnet_cmd {
	const char *name;
	const char *summary;			/* one line for `ulnet --help` */
	int (*main)(int argc, char **argv);	/* argv[0] is the subcommand's name */
	void (*usage)(FILE *f);
};

extern const struct ulnet_cmd ulnet_cmd_demo;
extern const struct ulnet_cmd ulnet_cmd_lab;
extern const struct ulnet_cmd ulnet_cmd_run;
extern const struct ulnet_cmd ulnet_cmd_view;
extern const struct ulnet_cmd ulnet_cmd_pkt;
extern const struct ulnet_cmd ulnet_cmd_up;

/* Entry point: `ulnet [--help|--version] SUBCOMMAND ARGS...`. */
int ulnet_cli_main(int argc, char **argv);

/* Value parsers for options: print "ulnet CMD: bad value for --OPT: VALUE" and return false
 * when @s is not a number in [@min, @max]. */
bool ulnet_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t *out);
bool ulnet_parse_int(const char *cmd, const char *opt, const char *s, int min, int max,
		     int *out);
/* Report an unknown option or missing argument and return ULNET_EXIT_USAGE. */
int ulnet_usage_error(const struct ulnet_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ulnet_sim_opt() consumed the option: go on parsing. */
#define ULNET_OPT_NEXT (-1)
/* The options every simulating subcommand (demo, lab) shares, for the getopt_long result @c
 * (optarg, optind as getopt left them): --seed N ('s'), --cpus N ('c', 1..64), --help ('h'),
 * a missing value (':') and any other option (unknown). Returns ULNET_OPT_NEXT, or the exit
 * code the subcommand returns now. */
int ulnet_sim_opt(const struct ulnet_cmd *cmd, int c, char **argv, uint64_t *seed, int *ncpus);

#endif
