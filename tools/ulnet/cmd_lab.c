/* SPDX-License-Identifier: MIT */
/* `ulnet lab list` and `ulnet lab NAME [--trace] [--pcap FILE] [--json] [--seed N] ...`: the
 * book's experiments (src/lab/lab.c, docs/labs.md). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "ulnet/lab.h"

/* --conns: 20 client addresses x 60,001 ports (ip_local_port_range 5000 65000). */
#define LAB_CONNS_MAX 1200020L

static void lab_usage(FILE *f)
{
	fprintf(f,
		"Usage: ulnet lab list\n"
		"       ulnet lab NAME [--trace] [--pcap FILE] [--trace-json FILE] [--json]\n"
		"                      [--seed N] [--cpus N] [--plot DIR] [--conns N]\n"
		"       ulnet lab tour    (five labs in a row: what make run shows)\n\n"
		"Runs one experiment of the book on a simulated stack and prints the question, the\n"
		"setup, the evidence (function path by context, counters before and after) and the\n"
		"checks. `ulnet lab list` prints one lab per line: NAME chN question.\n\n"
		"  --trace            print the full function trace in the report\n"
		"  --pcap FILE        keep the lab's capture (tcpdump -r FILE reads it)\n"
		"  --trace-json FILE  write the trace as Chrome trace-event JSON (ui.perfetto.dev)\n"
		"  --plot DIR         write the lab's SVG plots (if it draws any) into DIR\n"
		"  --json             print one JSON object: checks, evidence and the report\n"
		"  --seed N           seed of the simulated run (default 1)\n"
		"  --cpus N           simulated CPUs, 1..64 (default: the lab's)\n"
		"  --conns N          max-conns only: the book's ch8.5 experiment with N connections\n"
		"                     (1..1200020; 20 client addresses above 60001; 1000000 takes\n"
		"                     about 70 s of CPU and 5 GiB)\n\n"
		"Exit status: 0 when every check held, 1 when one failed (named in the output) or\n"
		"the lab could not run, 2 on a usage error or an unknown lab.\n");
}

/* `ulnet lab tour` (make run): five labs of the book in a row, each with its report. */
static int lab_tour(const struct ul_lab_run_opts *o)
{
	static const char *const tour[] = { "loopback", "rx-path", "ringbuffer", "irq-shares",
					    "tcpdump-netfilter" };
	int failed = 0, rc[sizeof(tour) / sizeof(tour[0])];
	size_t i, n = sizeof(tour) / sizeof(tour[0]);

	printf("ulnet lab tour: %zu labs of the book, each on its own simulated stack "
	       "(ulnet lab list shows them all)\n\n", n);
	for (i = 0; i < n; i++) {
		const struct ul_lab *lab = ul_lab_find(tour[i]);

		printf("==================================================================="
		       "=============\n");
		fflush(stdout);
		rc[i] = lab ? ul_lab_run(lab, o) : -ENOENT;
		failed |= rc[i] != 0;
		printf("\n");
	}
	printf("Tour summary:\n");
	for (i = 0; i < n; i++)
		printf("  %-20s %s\n", tour[i], rc[i] == 0 ? "all checks passed"
					 : rc[i] > 0 ? "FAILED (see its report)" : strerror(-rc[i]));
	return failed ? ULNET_EXIT_FAIL : ULNET_EXIT_OK;
}

static int lab_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "trace", no_argument, NULL, 't' },
		{ "pcap", required_argument, NULL, 'p' },
		{ "trace-json", required_argument, NULL, 'j' },
		{ "json", no_argument, NULL, 'J' },
		{ "seed", required_argument, NULL, 's' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "plot", required_argument, NULL, 'P' },
		{ "conns", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ul_lab_run_opts o = { .seed = 1 };
	const struct ul_lab *lab;
	int c, err;

	opterr = 0;
	optind = 1;
	/* GNU getopt permutes: options may come before or after the lab's name. */
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			o.trace = true;
			break;
		case 'p':
			o.pcap_path = optarg;
			break;
		case 'j':
			o.trace_json = optarg;
			break;
		case 'J':
			o.json = true;
			break;
		case 'P':
			o.plot_dir = optarg;
			break;
		case 'n': {
			char *end;

			errno = 0;
			o.conns = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || o.conns < 1 ||
			    o.conns > LAB_CONNS_MAX)
				return ulnet_usage_error(&ulnet_cmd_lab, "--conns wants 1..%ld, not '%s'",
							 LAB_CONNS_MAX, optarg);
			break;
		}
		default:
			c = ulnet_sim_opt(&ulnet_cmd_lab, c, argv, &o.seed, &o.ncpus);
			if (c != ULNET_OPT_NEXT)
				return c;
			break;
		}
	}
	if (optind >= argc)
		return ulnet_usage_error(&ulnet_cmd_lab, "missing lab name or 'list'");
	if (!strcmp(argv[optind], "list")) {
		if (optind + 1 < argc)
			return ulnet_usage_error(&ulnet_cmd_lab, "unexpected argument '%s'",
						 argv[optind + 1]);
		ul_lab_list(stdout);
		return ULNET_EXIT_OK;
	}
	if (!strcmp(argv[optind], "tour")) {
		if (optind + 1 < argc)
			return ulnet_usage_error(&ulnet_cmd_lab, "unexpected argument '%s'",
						 argv[optind + 1]);
		if (o.json)
			return ulnet_usage_error(&ulnet_cmd_lab, "--json does not apply to the tour");
		if (o.conns)
			return ulnet_usage_error(&ulnet_cmd_lab, "--conns applies to max-conns only");
		return lab_tour(&o);
	}
	lab = ul_lab_find(argv[optind]);
	if (!lab)
		return ulnet_usage_error(&ulnet_cmd_lab, "no lab named '%s' (ulnet lab list)",
					 argv[optind]);
	if (optind + 1 < argc)
		return ulnet_usage_error(&ulnet_cmd_lab, "unexpected argument '%s'",
					 argv[optind + 1]);
	if (o.conns && strcmp(lab->name, "max-conns"))
		return ulnet_usage_error(&ulnet_cmd_lab, "--conns applies to max-conns only");
	err = ul_lab_run(lab, &o);
	if (err < 0) {
		fprintf(stderr, "ulnet lab %s: could not run: %s\n", lab->name, strerror(-err));
		return ULNET_EXIT_FAIL;
	}
	return err ? ULNET_EXIT_FAIL : ULNET_EXIT_OK;
}

const struct ulnet_cmd ulnet_cmd_lab = {
	.name = "lab",
	.summary = "list the book's experiments, or run one and check its outcome",
	.main = lab_main,
	.usage = lab_usage,
};
