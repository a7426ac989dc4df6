/* SPDX-License-Identifier: MIT */
/* `bridge fdb` and `bridge link`: the bridge's forwarding database and ports, printed as
 * iproute2's bridge(8) prints them.
 * Mirrors no kernel file: iproute2's bridge/fdb.c (print_fdb) and bridge/link.c
 * (print_linkinfo) over net/bridge's state (3.10 fdb_fill_info, fdb_to_nud, br_fill_ifinfo).
 *
 * `bridge fdb show [br BR] [brport DEV | dev DEV]`, `bridge [-s] fdb ...` (adds
 * "used U/A" in seconds), `bridge fdb add ADDR dev DEV [master] [static|permanent]`,
 * `bridge fdb del ADDR dev DEV`, `bridge link [show] [dev DEV]`.
 * DIVERGES: `bridge fdb show` lists the bridges' entries only, not the multicast addresses
 * of each device's own address lists (the "33:33:00:00:00:01 dev X self permanent" lines).
 * Context: process (takes rtnl_lock). */
#include <errno.h>
#include <string.h>
#include "linux/jiffies.h"
#include "linux/rtnetlink.h"
#include "net/bridge/br_private.h"
#include "net/net_namespace.h"
#include "iproute2/iproute2.h"

struct fdb_dump {
	struct ip_ctx *ctx;
	struct net_bridge *br;
	struct net_device *brport;	/* filter, or NULL */
};

/* 3.10 fdb_to_nud: local -> permanent, static -> static (NUD_NOARP), aged -> stale. */
static void fdb_print_one(const struct net_bridge_fdb_entry *f, void *arg)
{
	struct fdb_dump *d = arg;
	struct net_device *dev = f->dst ? f->dst->dev : d->br->dev;
	char mac[3 * ETH_ALEN + 1];

	if (d->brport && dev != d->brport)
		return;
	fmt_ll(f->addr, ETH_ALEN, mac);
	ul_bprintf(d->ctx->out, "%s dev %s ", mac, dev->name);
	if (d->ctx->stats)
		ul_bprintf(d->ctx->out, "used %lu/%lu ", (jiffies - f->used) / HZ,
			   (jiffies - f->updated) / HZ);
	ul_bprintf(d->ctx->out, "master %s ", d->br->dev->name);
	if (f->is_local)
		ul_bputs(d->ctx->out, "permanent");
	else if (f->is_static)
		ul_bputs(d->ctx->out, "static");
	else if (br_fdb_has_expired(d->br, f))
		ul_bputs(d->ctx->out, "stale");
	/* iproute2 ends each entry with "\n" after the last word (its trailing space kept). */
	ul_bputs(d->ctx->out, "\n");
}

static int fdb_show(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	struct net_device *brdev = NULL, *brport = NULL, *dev;

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "br")) {
			NEXT_ARG();
			brdev = __dev_get_by_name(ctx->net, argv[i]);
			if (!brdev) {
				ul_bprintf(ctx->out, "Cannot find bridge device \"%s\"\n", argv[i]);
				return -ENODEV;
			}
		} else if (!strcmp(argv[i], "brport") || !strcmp(argv[i], "dev")) {
			NEXT_ARG();
			brport = __dev_get_by_name(ctx->net, argv[i]);
			if (!brport) {
				ul_bprintf(ctx->out, "Cannot find bridge port device \"%s\"\n",
					   argv[i]);
				return -ENODEV;
			}
		} else {
			ul_bprintf(ctx->out, "bridge: unknown fdb show option \"%s\"\n", argv[i]);
			return -EINVAL;
		}
	}
	for_each_netdev(ctx->net, dev) {
		struct fdb_dump d = { .ctx = ctx, .brport = brport };

		if (!netif_is_bridge_master(dev) || (brdev && dev != brdev))
			continue;
		d.br = netdev_priv(dev);
		spin_lock_bh(&d.br->hash_lock);
		br_fdb_for_each(d.br, fdb_print_one, &d);
		spin_unlock_bh(&d.br->hash_lock);
	}
	return 0;
}

/* `bridge fdb add|del ADDR dev DEV [master] [static|permanent]`. */
static int fdb_modify(struct ip_ctx *ctx, bool add, int argc, char **argv, int i)
{
	const char *addr = NULL, *devname = NULL;
	unsigned char mac[ETH_ALEN];
	struct net_bridge_port *p;
	struct net_device *dev;
	int err;

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "dev")) {
			NEXT_ARG();
			devname = argv[i];
		} else if (!strcmp(argv[i], "master") || !strcmp(argv[i], "static") ||
			   !strcmp(argv[i], "permanent") || !strcmp(argv[i], "temp")) {
			continue;
		} else if (!addr) {
			addr = argv[i];
		} else {
			ul_bprintf(ctx->out, "bridge: unknown fdb option \"%s\"\n", argv[i]);
			return -EINVAL;
		}
	}
	if (!addr || !devname) {
		ul_bputs(ctx->out, "Device and address are required arguments.\n");
		return -EINVAL;
	}
	if (get_lladdr(addr, mac, ETH_ALEN) != ETH_ALEN) {
		ul_bprintf(ctx->out, "Invalid mac address %s\n", addr);
		return -EINVAL;
	}
	rtnl_lock();
	dev = __dev_get_by_name(ctx->net, devname);
	if (!dev) {
		rtnl_unlock();
		ul_bprintf(ctx->out, "Cannot find device \"%s\"\n", devname);
		return -ENODEV;
	}
	p = br_port_get_rtnl(dev);
	if (!p) {
		rtnl_unlock();
		ul_bputs(ctx->out, "RTNETLINK answers: Operation not supported\n");
		return -EOPNOTSUPP;
	}
	err = add ? br_fdb_add_static(p->br, p, mac) : br_fdb_delete(p->br, mac);
	rtnl_unlock();
	return err ? rtnl_answer(ctx, err) : 0;
}

static int do_fdb(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	int err;

	if (i >= argc || matches(argv[i], "show") || matches(argv[i], "list")) {
		rtnl_lock();
		err = fdb_show(ctx, argc, argv, i < argc ? i + 1 : i);
		rtnl_unlock();
		return err;
	}
	if (matches(argv[i], "add") || matches(argv[i], "append"))
		return fdb_modify(ctx, true, argc, argv, i + 1);
	if (matches(argv[i], "delete"))
		return fdb_modify(ctx, false, argc, argv, i + 1);
	ul_bprintf(ctx->out, "Command \"%s\" is unknown, try \"bridge fdb help\".\n", argv[i]);
	return -EINVAL;
}

/* One port, as bridge/link.c prints it. */
static void link_print_one(struct ip_ctx *ctx, struct net_bridge_port *p)
{
	struct net_device *dev = p->dev;

	ul_bprintf(ctx->out, "%d: %s: ", dev->ifindex, dev->name);
	print_link_flags(ctx->out, dev_get_flags(dev));
	ul_bprintf(ctx->out, " mtu %u master %s state %s priority %u cost %u \n", dev->mtu,
		   p->br->dev->name, br_port_state_name(p->state), p->priority, p->path_cost);
}

static int do_link(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	struct net_device *dev, *only = NULL;

	if (i < argc && (matches(argv[i], "show") || matches(argv[i], "list")))
		i++;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "dev")) {
			NEXT_ARG();
			only = __dev_get_by_name(ctx->net, argv[i]);
			if (!only)
				return no_device(ctx, argv[i]);
		} else {
			ul_bprintf(ctx->out, "Command \"%s\" is unknown, try \"bridge link help\".\n",
				   argv[i]);
			return -EINVAL;
		}
	}
	rtnl_lock();
	for_each_netdev(ctx->net, dev) {
		struct net_bridge_port *p = br_port_get_rtnl(dev);

		if (p && (!only || only == dev))
			link_print_one(ctx, p);
	}
	rtnl_unlock();
	return 0;
}

int do_bridge(struct net *net, int argc, char **argv, struct ul_buf *out)
{
	struct ip_ctx ctx = { .net = net, .out = out };
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (matches(argv[i], "-statistics") || matches(argv[i], "-stats"))
			ctx.stats++;
		else if (matches(argv[i], "-details"))
			ctx.details++;
		else {
			ul_bprintf(out, "Option \"%s\" is unknown, try \"bridge help\".\n", argv[i]);
			return -EINVAL;
		}
	}
	if (i >= argc) {
		ul_bputs(out, "Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\n"
			      "where  OBJECT := { link | fdb }\n");
		return -EINVAL;
	}
	if (matches(argv[i], "fdb"))
		return do_fdb(&ctx, argc, argv, i + 1);
	if (matches(argv[i], "link"))
		return do_link(&ctx, argc, argv, i + 1);
	ul_bprintf(out, "Object \"%s\" is unknown, try \"bridge help\".\n", argv[i]);
	return -EINVAL;
}
