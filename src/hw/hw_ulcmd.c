/* SPDX-License-Identifier: MIT */
/* Entry points of the hw and tc verbs in the shape of src/iproute2/'s do_ip/do_sysctl, so that
 * ul_cmd() can dispatch "hw ..." and "tc ..." lines with one line each.
 * Mirrors no Linux file. */
#include <stdlib.h>
#include <string.h>
#include "iproute2/iproute2.h"
#include "linux/errno.h"
#include "net/hw.h"
#include "net/pkt_sched.h"

/* Rebuild the line (the verbs' arguments have no spaces of their own). */
static char *ulcmd_join(int argc, char **argv)
{
	size_t len = 1;
	char *line;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	line = calloc(1, len);
	if (!line)
		return NULL;
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(line, " ");
		strcat(line, argv[i]);
	}
	return line;
}

/* `hw ...` (argv[0] is "hw"). Hardware is not per namespace: "netns NS" and "NS/DEV" name
 * them, @net is not used. */
int do_hw(struct net *net, int argc, char **argv, struct ul_buf *out)
{
	char *line = ulcmd_join(argc, argv), *text = NULL;
	int err;

	(void)net;
	if (!line)
		return -ENOMEM;
	err = hw_cmd(line, &text);
	if (text)
		ul_bputs(out, text);
	free(text);
	free(line);
	return err;
}

/* `tc ...` (argv[0] is "tc") in namespace @net. */
int do_tc(struct net *net, int argc, char **argv, struct ul_buf *out)
{
	char *line = ulcmd_join(argc, argv), *text = NULL;
	int err;

	if (!line)
		return -ENOMEM;
	err = tc_cmd_net(net, line, &text);
	if (text)
		ul_bputs(out, text);
	free(text);
	free(line);
	return err;
}

/* `ethtool ...` (argv[0] is "ethtool") in namespace @net. */
int do_ethtool(struct net *net, int argc, char **argv, struct ul_buf *out)
{
	char *line = ulcmd_join(argc, argv), *text = NULL;
	int err;

	if (!line)
		return -ENOMEM;
	err = ethtool_cmd_net(net, line, &text);
	if (text)
		ul_bputs(out, text);
	free(text);
	free(line);
	return err;
}
