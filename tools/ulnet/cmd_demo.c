/* SPDX-License-Identifier: MIT */
/* `ulnet demo`: the loopback demonstration (labs/lo_frame.c) with its options. */
#include <getopt.h>
#include <string.h>
#include "cli.h"
#include "ulnet/labs.h"

static void demo_usage(FILE *f)
{
	fprintf(f,
		"Usage: ulnet demo [--pcap FILE] [--trace-json FILE] [--trace-text FILE]\n"
		"                  [--seed N] [--cpus N]\n\n"
		"Boots a simulated stack, sends one Ethernet frame (ethertype 0x88B5, IEEE local\n"
		"experimental) from a task on CPU 0 through lo to a protocol handler, and shows the\n"
		"kernel functions it went through in each context, the /proc/softirqs and\n"
		"/proc/net/softnet_stat deltas and the capture.\n\n"
		"  --pcap FILE        write the capture of lo (tcpdump -r FILE reads it)\n"
		"  --trace-json FILE  write the function trace as Chrome trace-event JSON (Perfetto)\n"
		"  --trace-text FILE  write the function trace as text\n"
		"  --seed N           seed of the simulated run (default 1)\n"
		"  --cpus N           simulated CPUs, 1..64 (default 2)\n\n"
		"Exit status: 0 when the handler got the exact bytes and the pcap holds the frame,\n"
		"1 when a check failed (named in the output), 2 on a usage error.\n");
}

static int demo_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pcap", required_argument, NULL, 'p' },
		{ "trace-json", required_argument, NULL, 'j' },
		{ "trace-text", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ul_lab_opts o = { .seed = 1, .ncpus = 2 };
	int c, err;

	opterr = 0;	/* our own messages, with the exit code 2 */
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o.pcap_path = optarg;
			break;
		case 'j':
			o.trace_json = optarg;
			break;
		case 't':
			o.trace_text = optarg;
			break;
		default:
			c = ulnet_sim_opt(&ulnet_cmd_demo, c, argv, &o.seed, &o.ncpus);
			if (c != ULNET_OPT_NEXT)
				return c;
			break;
		}
	}
	if (optind < argc)
		return ulnet_usage_error(&ulnet_cmd_demo, "unexpected argument '%s'",
					 argv[optind]);
	err = ul_lab_lo_frame(&o);
	if (err < 0) {
		fprintf(stderr, "ulnet demo: could not run: %s\n", strerror(-err));
		return ULNET_EXIT_FAIL;
	}
	return err ? ULNET_EXIT_FAIL : ULNET_EXIT_OK;
}

const struct ulnet_cmd ulnet_cmd_demo = {
	.name = "demo",
	.summary = "send one frame through lo and show its path (softirq, trace, pcap)",
	.main = demo_main,
	.usage = demo_usage,
};
