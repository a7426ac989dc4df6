/* SPDX-License-Identifier: MIT */
/* `ip neigh`: show, add/change/replace/del, flush.
 * Mirrors no kernel file: iproute2's ip/ipneigh.c over neigh_add, neigh_delete and a walk
 * of the namespace's ARP table (neigh_dump_table). See docs/ip.md.
 * Context: process (takes rtnl_lock). */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux/etherdevice.h"
#include "linux/in.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "net/arp.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/neighbour.h"
#include "net/net_namespace.h"
#include "net/route.h"
#include "net/rtnetlink.h"
#include "net/sch_generic.h"
#include "iproute2/iproute2.h"

/* ---- neighbours ---- */

static int nud_a2n(const char *s, u8 *state)
{
	static const struct { const char *name; u8 state; } tbl[] = {
		{ "permanent", NUD_PERMANENT }, { "reachable", NUD_REACHABLE },
		{ "noarp", NUD_NOARP }, { "none", NUD_NONE }, { "stale", NUD_STALE },
		{ "incomplete", NUD_INCOMPLETE }, { "delay", NUD_DELAY },
		{ "probe", NUD_PROBE }, { "failed", NUD_FAILED },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tbl); i++)
		if (!strcmp(s, tbl[i].name)) {
			*state = tbl[i].state;
			return 0;
		}
	return -1;
}

struct neigh_print {
	struct ip_ctx *ctx;
	struct net_device *dev;	/* filter */
	unsigned int states;	/* NUD mask to show */
	__be32 prefix;		/* to PREFIX filter */
	__be32 mask;
};

static bool neigh_matches(const struct neigh_print *np, const struct neighbour *n)
{
	unsigned int state = n->nud_state;

	if (np->dev && n->dev != np->dev)
		return false;
	if ((*(const __be32 *)n->primary_key & np->mask) != np->prefix)
		return false;
	return state ? (state & np->states) : (np->states & 0x100);
}

static int print_neigh_one(struct neighbour *n, void *arg)
{
	struct neigh_print *np = arg;
	struct ul_buf *out = np->ctx->out;
	char a[INET_ADDRSTRLEN], ll[3 * MAX_ADDR_LEN + 1];
	unsigned int state = n->nud_state;

	if (!neigh_matches(np, n))
		return 0;
	ul_bprintf(out, "%s ", fmt_addr(*(const __be32 *)n->primary_key, a));
	if (!np->dev)
		ul_bprintf(out, "dev %s ", n->dev->name);
	if ((state & NUD_VALID) && n->dev->addr_len) {
		fmt_ll(n->ha, n->dev->addr_len, ll);
		ul_bprintf(out, "lladdr %s ", ll);
	}
	if (n->flags & NTF_ROUTER)
		ul_bputs(out, "router ");
	if (np->ctx->stats)
		ul_bprintf(out, "ref %d used %lu/%lu/%lu probes %d ", atomic_read(&n->refcnt),
			   (jiffies - n->used) / HZ, (jiffies - n->confirmed) / HZ,
			   (jiffies - n->updated) / HZ, atomic_read(&n->probes));
	ul_bprintf(out, "%s\n", neigh_state_name(n->nud_state));
	return 0;
}

struct neigh_flush_list {
	const struct neigh_print *np;
	struct {
		__be32 key;
		struct net_device *dev;
	} *e;
	int n, cap;
	bool oom;
};

static int collect_neigh_one(struct neighbour *n, void *arg)
{
	struct neigh_flush_list *fl = arg;

	if (!neigh_matches(fl->np, n))
		return 0;
	if (fl->n == fl->cap) {
		int cap = fl->cap ? 2 * fl->cap : 32;
		void *e = realloc(fl->e, (size_t)cap * sizeof(*fl->e));

		if (!e) {
			fl->oom = true;
			return 1;
		}
		fl->e = e;
		fl->cap = cap;
	}
	memcpy(&fl->e[fl->n].key, n->primary_key, sizeof(__be32));
	fl->e[fl->n].dev = n->dev;
	dev_hold(n->dev);
	fl->n++;
	return 0;
}

static int ipneigh_show(struct ip_ctx *ctx, bool flush, int argc, char **argv, int i)
{
	struct neigh_print np = { .ctx = ctx, .states = 0xFF & ~NUD_NOARP };
	bool any_filter = false;

	if (flush)
		np.states = ~(NUD_PERMANENT | NUD_NOARP) & 0xFF;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "dev")) {
			NEXT_ARG();
			np.dev = __dev_get_by_name(ctx->net, argv[i]);
			if (!np.dev)
				return no_device(ctx, argv[i]);
			any_filter = true;
		} else if (!strcmp(argv[i], "nud")) {
			u8 state;

			NEXT_ARG();
			if (!strcmp(argv[i], "all")) {
				np.states = ~0U;
			} else if (nud_a2n(argv[i], &state)) {
				return invarg(ctx, "nud state is bad", argv[i]);
			} else {
				if (!any_filter || np.states == (0xFF & ~NUD_NOARP))
					np.states = 0;
				np.states |= state ? state : 0x100;
			}
			any_filter = true;
		} else {
			int plen;
			bool has_len;

			if (!strcmp(argv[i], "to"))
				NEXT_ARG();
			if (get_prefix(argv[i], &np.prefix, &plen, &has_len))
				return invarg(ctx, "to value is invalid", argv[i]);
			np.mask = inet_make_mask(plen);
			np.prefix &= np.mask;
			any_filter = true;
		}
	}
	if (flush) {
		struct neigh_flush_list fl = { .np = &np };
		int k;

		if (!any_filter) {
			ul_bputs(ctx->out, "Flush requires arguments.\n");
			return -EINVAL;
		}
		/* Collect first: deleting takes the table lock that the walk holds. */
		neigh_for_each(&arp_tbl, ctx->net, collect_neigh_one, &fl);
		for (k = 0; k < fl.n; k++) {
			neigh_delete(ctx->net, &arp_tbl, &fl.e[k].key, fl.e[k].dev);
			dev_put(fl.e[k].dev);
		}
		free(fl.e);
		return fl.oom ? -ENOMEM : 0;
	}
	neigh_for_each(&arp_tbl, ctx->net, print_neigh_one, &np);
	return 0;
}

static int ipneigh_modify(struct ip_ctx *ctx, const char *cmd, int argc, char **argv, int i)
{
	bool is_del = !strcmp(cmd, "del");
	bool replace = strcmp(cmd, "add") != 0;
	u8 state = NUD_PERMANENT;
	unsigned char ll[MAX_ADDR_LEN];
	int lllen = 0, plen, err;
	bool have_dst = false, has_len;
	struct net_device *dev = NULL;
	__be32 dst = 0;

	for (; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "lladdr")) {
			NEXT_ARG();
			lllen = get_lladdr(argv[i], ll, MAX_ADDR_LEN);
			if (lllen <= 0)
				return invarg(ctx, "invalid lladdr", argv[i]);
		} else if (!strcmp(a, "nud")) {
			NEXT_ARG();
			if (nud_a2n(argv[i], &state))
				return invarg(ctx, "nud state is bad", argv[i]);
		} else if (!strcmp(a, "dev")) {
			NEXT_ARG();
			dev = __dev_get_by_name(ctx->net, argv[i]);
			if (!dev)
				return no_device(ctx, argv[i]);
		} else if (!strcmp(a, "router") || !strcmp(a, "proxy")) {
			continue;
		} else {
			if (!strcmp(a, "to"))
				NEXT_ARG();
			if (have_dst) {
				ul_bprintf(ctx->out, "Error: either \"to\" is duplicate, or \"%s\" is a garbage.\n",
					   argv[i]);
				return -EINVAL;
			}
			if (get_prefix(argv[i], &dst, &plen, &has_len) || plen != 32)
				return invarg(ctx, "invalid address", argv[i]);
			have_dst = true;
		}
	}
	if (!have_dst || !dev) {
		ul_bputs(ctx->out, "Device and destination are required arguments.\n");
		return -EINVAL;
	}
	if (lllen && lllen != dev->addr_len) {
		ul_bputs(ctx->out, "RTNETLINK answers: Invalid argument\n");
		return -EINVAL;
	}
	rtnl_lock();
	if (is_del)
		err = neigh_delete(ctx->net, &arp_tbl, &dst, dev);
	else
		err = neigh_add(ctx->net, &arp_tbl, &dst, dev, lllen ? ll : NULL, state, replace);
	rtnl_unlock();
	return err ? rtnl_answer(ctx, err) : 0;
}

int do_ipneigh(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	if (i >= argc)
		return ipneigh_show(ctx, false, argc, argv, i);
	if (matches(argv[i], "add"))
		return ipneigh_modify(ctx, "add", argc, argv, i + 1);
	if (matches(argv[i], "change") || !strcmp(argv[i], "chg"))
		return ipneigh_modify(ctx, "change", argc, argv, i + 1);
	if (matches(argv[i], "replace"))
		return ipneigh_modify(ctx, "replace", argc, argv, i + 1);
	if (matches(argv[i], "delete"))
		return ipneigh_modify(ctx, "del", argc, argv, i + 1);
	if (matches(argv[i], "list") || matches(argv[i], "show") || matches(argv[i], "lst"))
		return ipneigh_show(ctx, false, argc, argv, i + 1);
	if (matches(argv[i], "flush"))
		return ipneigh_show(ctx, true, argc, argv, i + 1);
	ul_bprintf(ctx->out, "Command \"%s\" is unknown, try \"ip neigh help\".\n", argv[i]);
	return -EINVAL;
}

