/* SPDX-License-Identifier: MIT */
/* `ulnet view NAME ARGS`: one view (netstat -s, nstat, sysctl, ethtool, top, slabtop, cat,
 * ss) of a freshly booted simulated stack, in the real tool's format (src/views/). */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include "cli.h"
#include "ulnet/lab.h"

static void view_usage(FILE *f)
{
	const char *summary, *usage, *name;
	size_t i;

	fprintf(f,
		"Usage: ulnet view [--netns NS] [--cpus N] NAME [ARGS...]\n\n"
		"Prints a view of a freshly booted simulated stack in the real tool's format. In a\n"
		"scenario (ulnet run) the same views are commands of their own, showing the\n"
		"scenario's stack. Views:\n\n");
	for (i = 0; (name = ul_view_name(i, &summary, &usage)); i++)
		fprintf(f, "  %-9s %s\n  %-9s   %s\n", name, summary, "", usage);
	fprintf(f, "\nExit status: 0, 1 when the view failed (why on stderr), 2 on a usage "
		   "error.\n");
}

static int view_main(int argc, char **argv)
{
	struct ul_config cfg = { .runtime = UL_RUNTIME_SIM, .ncpus = 2, .seed = 1 };
	const char *netns = NULL, *name;
	int i = 1, err;
	size_t v;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			view_usage(stdout);
			return ULNET_EXIT_OK;
		} else if (!strcmp(argv[i], "--netns") && i + 1 < argc) {
			netns = argv[++i];
		} else if (!strcmp(argv[i], "--cpus") && i + 1 < argc) {
			if (!ulnet_parse_int("view", "--cpus", argv[++i], 1, 64, &cfg.ncpus))
				return ULNET_EXIT_USAGE;
		} else {
			return ulnet_usage_error(&ulnet_cmd_view, "unknown option '%s'", argv[i]);
		}
	}
	if (i >= argc)
		return ulnet_usage_error(&ulnet_cmd_view, "missing view name");
	for (v = 0; (name = ul_view_name(v, NULL, NULL)) && strcmp(name, argv[i]); v++)
		;
	if (!name)
		return ulnet_usage_error(&ulnet_cmd_view, "no view named '%s'", argv[i]);
	err = ul_stack_create(&cfg);
	if (err) {
		fprintf(stderr, "ulnet view: cannot boot a stack: %s\n", strerror(-err));
		return ULNET_EXIT_FAIL;
	}
	if (netns && (err = ul_netns_add(netns))) {
		fprintf(stderr, "ulnet view: netns %s: %s\n", netns, strerror(-err));
		ul_stack_destroy();
		return ULNET_EXIT_FAIL;
	}
	err = ul_view_run(netns, argc - i, argv + i, stdout, stderr);
	ul_stack_destroy();
	return err ? ULNET_EXIT_FAIL : ULNET_EXIT_OK;
}

const struct ulnet_cmd ulnet_cmd_view = {
	.name = "view",
	.summary = "print a view (netstat -s, nstat, sysctl, ethtool -S, top, slabtop, cat)",
	.main = view_main,
	.usage = view_usage,
};
