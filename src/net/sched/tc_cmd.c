/* SPDX-License-Identifier: MIT */
/* tc(8)'s qdisc verbs on a device's root: add/replace/change/del and show, in tc's syntax
 * and output format.
 * Mirrors iproute2's tc/tc_qdisc.c (tc_qdisc_modify, tc_qdisc_list, print_qdisc) over
 * net/sched/sch_api.c's qdisc_replace_root (tc_modify_qdisc, qdisc_graft).
 * DIVERGES: only the root qdisc of a device (no classes, filters, handles or parents); tc's
 * netlink request is a direct call. Context: process; takes rtnl. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "net/net_namespace.h"
#include "net/pkt_sched.h"

static void tc_outf(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tc_outf(char **out, const char *fmt, ...)
{
	size_t old = *out ? strlen(*out) : 0;
	va_list ap;
	int n;
	char *p;

	if (!out)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	p = realloc(*out, old + (size_t)n + 1);
	if (!p)
		return;
	va_start(ap, fmt);
	vsnprintf(p + old, (size_t)n + 1, fmt, ap);
	va_end(ap);
	*out = p;
}

static void tc_show_one(struct net_device *dev, bool stats, char **out)
{
	struct Qdisc *q = dev->qdisc;
	char params[256] = "";

	if (!q || !q->ops)
		return;
	if (q->ops->dump && q->ops->dump(q, params, sizeof(params)))
		params[0] = 0;
	tc_outf(out, "qdisc %s %x: root refcnt %d %s\n", q->ops->id, q->handle >> 16,
		atomic_read(&q->refcnt) + 1, params);
	if (stats)
		tc_outf(out, " Sent %llu bytes %u pkt (dropped %u, overlimits %u requeues %u) \n"
			     " backlog %ub %up requeues %u \n",
			(unsigned long long)q->bstats.bytes, q->bstats.packets, q->qstats.drops,
			q->qstats.overlimits, q->qstats.requeues, q->qstats.backlog,
			(unsigned int)qdisc_qlen(q), q->qstats.requeues);
}

int ul_tc_cmd(const char *netns, const char *line, char **out)
{
	struct net *net = ul_net_by_name(netns);

	if (out)
		*out = NULL;
	if (!net)
		return -ENODEV;
	return tc_cmd_net(net, line, out);
}

int tc_cmd_net(struct net *net, const char *line, char **out)
{
	char buf[512], *argv[48], *save = NULL, *tok, opts[512] = "";
	struct net_device *dev = NULL;
	const char *verb, *kind = NULL;
	bool stats = false;
	int argc = 0, i = 1, err;

	if (out)
		*out = NULL;
	if (!net)
		return -ENODEV;
	if (!line || strlen(line) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (argc == ARRAY_SIZE(argv))
			return -E2BIG;
		argv[argc++] = tok;
	}
	if (argc < 2 || strcmp(argv[0], "tc"))
		goto usage;
	if (!strcmp(argv[i], "-s")) {
		stats = true;
		i++;
	}
	if (i >= argc || strcmp(argv[i], "qdisc"))
		goto usage;
	i++;
	verb = i < argc ? argv[i++] : "show";
	if (i + 1 < argc && !strcmp(argv[i], "dev")) {
		dev = __dev_get_by_name(net, argv[i + 1]);
		if (!dev) {
			tc_outf(out, "Cannot find device \"%s\"\n", argv[i + 1]);
			return -ENODEV;
		}
		i += 2;
	}
	if (!strcmp(verb, "show") || !strcmp(verb, "list") || !strcmp(verb, "ls")) {
		if (dev) {
			tc_show_one(dev, stats, out);
		} else {
			for_each_netdev(net, dev)
				tc_show_one(dev, stats, out);
		}
		return 0;
	}
	if (!dev)
		goto usage;
	if (i < argc && !strcmp(argv[i], "root")) {
		i++;
	} else {
		tc_outf(out, "ulnet: only the root qdisc is supported\n");
		return -EOPNOTSUPP;
	}
	if (i < argc && !strcmp(argv[i], "handle"))
		i += 2;	/* accepted and ignored: the root is 8001: */
	if (i < argc)
		kind = argv[i++];
	for (; i < argc; i++) {
		size_t l = strlen(opts);

		snprintf(opts + l, sizeof(opts) - l, "%s%s", l ? " " : "", argv[i]);
	}
	rtnl_lock();
	if (!strcmp(verb, "add") || !strcmp(verb, "replace")) {
		err = kind ? qdisc_replace_root(dev, kind, opts[0] ? opts : NULL) : -EINVAL;
	} else if (!strcmp(verb, "change")) {
		struct Qdisc *q = dev->qdisc;

		if (!kind || !q || !q->ops || strcmp(q->ops->id, kind) || !q->ops->change)
			err = -EINVAL;
		else
			err = q->ops->change(q, opts);
	} else if (!strcmp(verb, "del") || !strcmp(verb, "delete")) {
		/* Back to the default: pfifo_fast, or noqueue without a queue length. */
		err = qdisc_replace_root(dev, dev->tx_queue_len ? "pfifo_fast" : "noqueue", NULL);
	} else {
		err = -EINVAL;
	}
	rtnl_unlock();
	if (err == -ENOENT)
		tc_outf(out, "Unknown qdisc \"%s\", hence option \"%s\" is unparsable\n",
			kind ? kind : "", opts);
	else if (err == -EOPNOTSUPP)
		tc_outf(out, "ulnet: an option of \"%s\" is not supported\n", kind ? kind : "");
	else if (err)
		tc_outf(out, "RTNETLINK answers: Invalid argument\n");
	return err;

usage:
	tc_outf(out, "Usage: tc [-s] qdisc [ add | del | replace | change | show ] dev STRING root "
		     "[ QDISC_KIND [ OPTIONS ] ]\n");
	return -EINVAL;
}
