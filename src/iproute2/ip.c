/* SPDX-License-Identifier: MIT */
/* `ip`: its options and objects, links, addresses and namespaces (routes are in
 * iproute.c, neighbours in ipneigh.c), with iproute2's syntax and output (the format of
 * iproute2 5.x run against a 3.10 kernel: no "uid" in `ip route get`, no "qlen" for
 * queue-less devices).
 * Mirrors no kernel file: iproute2's ip/ip.c, ipaddress.c, iplink.c, ipnetns.c over the
 * kernel calls that rtnetlink makes (rtnl_newlink, do_setlink, inet_rtm_newaddr,
 * inet_rtm_deladdr...). See docs/ip.md.
 * Context: process (takes rtnl_lock around configuration). */
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

/* ---- links ---- */

static const char *const oper_states[] = {
	"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP",
};

void print_link_flags(struct ul_buf *out, unsigned int flags)
{
	static const struct { unsigned int bit; const char *name; } names[] = {
		{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_BROADCAST, "BROADCAST" },
		{ IFF_POINTOPOINT, "POINTOPOINT" }, { IFF_MULTICAST, "MULTICAST" },
		{ IFF_NOARP, "NOARP" }, { IFF_ALLMULTI, "ALLMULTI" }, { IFF_PROMISC, "PROMISC" },
		{ IFF_MASTER, "MASTER" }, { IFF_SLAVE, "SLAVE" }, { IFF_DEBUG, "DEBUG" },
		{ IFF_DYNAMIC, "DYNAMIC" }, { IFF_AUTOMEDIA, "AUTOMEDIA" },
		{ IFF_PORTSEL, "PORTSEL" }, { IFF_NOTRAILERS, "NOTRAILERS" }, { IFF_UP, "UP" },
		{ IFF_LOWER_UP, "LOWER_UP" }, { IFF_DORMANT, "DORMANT" }, { IFF_ECHO, "ECHO" },
	};
	bool first = true;
	size_t i;

	ul_bputs(out, "<");
	if ((flags & IFF_UP) && !(flags & IFF_RUNNING)) {
		ul_bputs(out, "NO-CARRIER");
		first = false;
	}
	flags &= ~IFF_RUNNING;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!(flags & names[i].bit))
			continue;
		ul_bprintf(out, "%s%s", first ? "" : ",", names[i].name);
		first = false;
		flags &= ~names[i].bit;
	}
	if (flags)
		ul_bprintf(out, "%s%x", first ? "" : ",", flags);
	ul_bputs(out, ">");
}

static const char *ll_type_n2a(unsigned short type)
{
	switch (type) {
	case ARPHRD_ETHER:
		return "ether";
	case ARPHRD_LOOPBACK:
		return "loopback";
	case ARPHRD_NONE:
		return "none";
	case ARPHRD_IEEE802:
		return "ieee802";
	default:
		return "generic";
	}
}

static void print_link_stats(struct ul_buf *out, struct net_device *dev)
{
	struct rtnl_link_stats64 s;

	memset(&s, 0, sizeof(s));
	dev_get_stats(dev, &s);
	ul_bputs(out, "    RX: bytes  packets  errors  dropped overrun mcast   \n");
	ul_bprintf(out, "    %-10llu %-8llu %-7llu %-7llu %-7llu %-7llu\n",
		   (unsigned long long)s.rx_bytes, (unsigned long long)s.rx_packets,
		   (unsigned long long)s.rx_errors, (unsigned long long)s.rx_dropped,
		   (unsigned long long)s.rx_over_errors, (unsigned long long)s.multicast);
	ul_bputs(out, "    TX: bytes  packets  errors  dropped carrier collsns \n");
	ul_bprintf(out, "    %-10llu %-8llu %-7llu %-7llu %-7llu %-7llu\n",
		   (unsigned long long)s.tx_bytes, (unsigned long long)s.tx_packets,
		   (unsigned long long)s.tx_errors, (unsigned long long)s.tx_dropped,
		   (unsigned long long)s.tx_carrier_errors, (unsigned long long)s.collisions);
}

/* The header lines of a device (ip link / ip addr). */
static void print_link(struct ip_ctx *ctx, struct net_device *dev, bool do_link)
{
	struct ul_buf *out = ctx->out;
	unsigned int flags = dev_get_flags(dev);
	const char *qdisc = dev->qdisc && dev->qdisc->ops ? dev->qdisc->ops->id : "noop";
	char ll[3 * MAX_ADDR_LEN + 1], brd[3 * MAX_ADDR_LEN + 1];
	/* rtnl_fill_ifinfo reports DOWN for a device that is not running. */
	unsigned int operstate = netif_running(dev) ? dev->operstate : IF_OPER_DOWN;

	ul_bprintf(out, "%d: %s: ", dev->ifindex, dev->name);
	print_link_flags(out, flags);
	ul_bprintf(out, " mtu %u qdisc %s ", dev->mtu, qdisc);
	if (dev->master)	/* a bridge port (i11) */
		ul_bprintf(out, "master %s ", dev->master->name);
	ul_bprintf(out, "state %s ",
		   operstate < ARRAY_SIZE(oper_states) ? oper_states[operstate] : "UNKNOWN");
	if (do_link)
		ul_bprintf(out, "mode %s ", dev->link_mode ? "DORMANT" : "DEFAULT");
	ul_bputs(out, "group default ");
	if (dev->tx_queue_len)
		ul_bprintf(out, "qlen %lu", dev->tx_queue_len);
	ul_bputs(out, "\n");
	fmt_ll(dev->dev_addr, dev->addr_len, ll);
	fmt_ll(dev->broadcast, dev->addr_len, brd);
	if (dev->addr_len)
		ul_bprintf(out, "    link/%s %s brd %s\n", ll_type_n2a(dev->type), ll, brd);
	else
		ul_bprintf(out, "    link/%s \n", ll_type_n2a(dev->type));
	if (ctx->details && dev->rtnl_link_ops)
		ul_bprintf(out, "    %s \n", dev->rtnl_link_ops->kind);
	if (do_link && ctx->stats)
		print_link_stats(out, dev);
}

static int iplink_show(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	const char *name = NULL;
	struct net_device *dev;

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "dev")) {
			NEXT_ARG();
			name = argv[i];
		} else if (!strcmp(argv[i], "up") || !strcmp(argv[i], "down")) {
			continue;
		} else {
			name = argv[i];
		}
	}
	if (name) {
		dev = __dev_get_by_name(ctx->net, name);
		if (!dev) {
			ul_bprintf(ctx->out, "Device \"%s\" does not exist.\n", name);
			return -ENODEV;
		}
		print_link(ctx, dev, true);
		return 0;
	}
	for_each_netdev(ctx->net, dev)
		print_link(ctx, dev, true);
	return 0;
}

static int iplink_add(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	const char *name = NULL, *kind = NULL;
	unsigned int mtu = 0, txqlen = 0;
	bool have_mtu = false, have_txqlen = false;
	unsigned char mac[MAX_ADDR_LEN];
	int maclen = 0, err, kind_at = argc;
	char msg[256] = "";

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "type")) {
			NEXT_ARG();
			kind = argv[i];
			kind_at = i + 1;
			break;
		} else if (!strcmp(argv[i], "name") || !strcmp(argv[i], "dev")) {
			NEXT_ARG();
			name = argv[i];
		} else if (!strcmp(argv[i], "mtu")) {
			NEXT_ARG();
			if (get_unsigned(argv[i], &mtu))
				return invarg(ctx, "Invalid \"mtu\" value", argv[i]);
			have_mtu = true;
		} else if (!strcmp(argv[i], "txqueuelen") || !strcmp(argv[i], "txqlen")) {
			NEXT_ARG();
			if (get_unsigned(argv[i], &txqlen))
				return invarg(ctx, "Invalid \"txqueuelen\" value", argv[i]);
			have_txqlen = true;
		} else if (!strcmp(argv[i], "address")) {
			NEXT_ARG();
			maclen = get_lladdr(argv[i], mac, MAX_ADDR_LEN);
			if (maclen <= 0)
				return invarg(ctx, "invalid address", argv[i]);
		} else if (!name) {
			name = argv[i];
		} else {
			ul_bprintf(ctx->out, "Error: either \"dev\" is duplicate, or \"%s\" is a garbage.\n",
				   argv[i]);
			return -EINVAL;
		}
	}
	if (!kind) {
		ul_bputs(ctx->out, "Not enough information: \"type\" argument is required\n");
		return -EINVAL;
	}
	if (name && strlen(name) >= IFNAMSIZ)
		return invarg(ctx, "\"name\" not a valid ifname", name);
	err = rtnl_newlink(ctx->net, kind, name, argc - kind_at, argv + kind_at, msg, sizeof(msg));
	if (err) {
		ul_bprintf(ctx->out, "%s\n", msg[0] ? msg : "RTNETLINK answers: failed");
		return err;
	}
	if (name && (have_mtu || have_txqlen || maclen)) {
		struct net_device *dev;

		rtnl_lock();
		dev = __dev_get_by_name(ctx->net, name);
		if (dev && have_mtu)
			err = dev_set_mtu(dev, (int)mtu);
		if (dev && !err && have_txqlen)
			dev->tx_queue_len = txqlen;
		if (dev && !err && maclen) {
			struct sockaddr sa;

			memset(&sa, 0, sizeof(sa));
			sa.sa_family = dev->type;
			memcpy(sa.sa_data, mac, (size_t)min(maclen, (int)sizeof(sa.sa_data)));
			err = dev_set_mac_address(dev, &sa);
		}
		rtnl_unlock();
		if (err)
			return rtnl_answer(ctx, err);
	}
	return 0;
}

/* The device argument of `ip link del`, `ip addr show` and `ip addr flush`: "dev NAME" or a
 * bare NAME (the last one wins) into *@name, left alone when absent; with @skip_type, "type
 * KIND" is accepted and ignored. 0, or the "Command line is not complete" error. */
static int ip_dev_name_arg(struct ip_ctx *ctx, int argc, char **argv, int i, bool skip_type,
			   const char **name)
{
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "dev")) {
			NEXT_ARG();
			*name = argv[i];
		} else if (skip_type && !strcmp(argv[i], "type")) {
			NEXT_ARG();
		} else {
			*name = argv[i];
		}
	}
	return 0;
}

static int iplink_del(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	const char *name = NULL;
	struct net_device *dev;
	int err;

	err = ip_dev_name_arg(ctx, argc, argv, i, true, &name);
	if (err)
		return err;
	if (!name) {
		ul_bputs(ctx->out, "Not enough information: \"dev\" argument is required.\n");
		return -EINVAL;
	}
	dev = __dev_get_by_name(ctx->net, name);
	if (!dev)
		return no_device(ctx, name);
	err = rtnl_dellink(dev);
	return err ? rtnl_answer(ctx, err) : 0;
}

static int iplink_set(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	const char *name = NULL, *newname = NULL;
	int up = -1, noarp = -1, multicast = -1, promisc = -1;
	unsigned int mtu = 0, txqlen = 0;
	bool have_mtu = false, have_txqlen = false;
	unsigned char mac[MAX_ADDR_LEN];
	int maclen = 0, err = 0;
	struct net_device *dev;
	const char *master = NULL;	/* "": nomaster (i11: bridge ports) */
	struct net *netns = NULL;	/* netns NAME: dev_change_net_namespace */

	for (; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "master")) {
			NEXT_ARG();
			master = argv[i];
		} else if (!strcmp(a, "nomaster")) {
			master = "";
		} else if (!strcmp(a, "up")) {
			up = 1;
		} else if (!strcmp(a, "down")) {
			up = 0;
		} else if (!strcmp(a, "dev")) {
			NEXT_ARG();
			name = argv[i];
		} else if (!strcmp(a, "name")) {
			NEXT_ARG();
			newname = argv[i];
		} else if (!strcmp(a, "mtu")) {
			NEXT_ARG();
			if (get_unsigned(argv[i], &mtu))
				return invarg(ctx, "Invalid \"mtu\" value", argv[i]);
			have_mtu = true;
		} else if (!strcmp(a, "txqueuelen") || !strcmp(a, "txqlen") || !strcmp(a, "qlen")) {
			NEXT_ARG();
			if (get_unsigned(argv[i], &txqlen))
				return invarg(ctx, "Invalid \"txqueuelen\" value", argv[i]);
			have_txqlen = true;
		} else if (!strcmp(a, "address")) {
			NEXT_ARG();
			maclen = get_lladdr(argv[i], mac, MAX_ADDR_LEN);
			if (maclen <= 0)
				return invarg(ctx, "invalid address", argv[i]);
		} else if (!strcmp(a, "arp") || !strcmp(a, "multicast") || !strcmp(a, "promisc")) {
			int on;

			NEXT_ARG();
			if (!strcmp(argv[i], "on"))
				on = 1;
			else if (!strcmp(argv[i], "off"))
				on = 0;
			else
				return invarg(ctx, "must be \"on\" or \"off\"", argv[i]);
			if (!strcmp(a, "arp"))
				noarp = !on;
			else if (!strcmp(a, "multicast"))
				multicast = on;
			else
				promisc = on;
		} else if (!strcmp(a, "netns")) {
			NEXT_ARG();
			/* iproute2 also takes a PID; ulnet namespaces have names only. */
			netns = ul_net_by_name(argv[i]);
			if (!netns)
				return invarg(ctx, "Invalid \"netns\" value", argv[i]);
		} else if (!name) {
			name = a;
		} else {
			ul_bprintf(ctx->out, "Error: either \"dev\" is duplicate, or \"%s\" is a garbage.\n",
				   a);
			return -EINVAL;
		}
	}
	if (!name) {
		ul_bputs(ctx->out, "Not enough of information: \"dev\" argument is required.\n");
		return -EINVAL;
	}
	rtnl_lock();
	dev = __dev_get_by_name(ctx->net, name);
	if (!dev) {
		rtnl_unlock();
		return no_device(ctx, name);
	}
	/* do_setlink's order: namespace, master, address, mtu, name, flags; what follows the
	 * move applies in the new namespace (a taken name is replaced by "name NEW"). */
	if (netns)
		err = dev_change_net_namespace(dev, netns, newname);
	if (!err && netns && newname && !strcmp(dev->name, newname))
		newname = NULL;
	if (!err && master) {
		struct net_device *upper = *master ? __dev_get_by_name(dev_net(dev), master) : NULL;

		if (*master && !upper) {
			rtnl_unlock();
			return invarg(ctx, "Device does not exist", master);
		}
		err = do_set_master(dev, upper);
	}
	if (!err && maclen) {
		struct sockaddr sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_family = dev->type;
		if (maclen != dev->addr_len) {
			rtnl_unlock();
			return rtnl_answer(ctx, -EINVAL);
		}
		memcpy(sa.sa_data, mac, (size_t)min(maclen, (int)sizeof(sa.sa_data)));
		err = dev_set_mac_address(dev, &sa);
	}
	if (!err && have_mtu)
		err = dev_set_mtu(dev, (int)mtu);
	if (!err && have_txqlen)
		dev->tx_queue_len = txqlen;
	if (!err && newname)
		err = dev_change_name(dev, newname);
	if (!err && (up >= 0 || noarp >= 0 || multicast >= 0 || promisc >= 0)) {
		unsigned int flags = dev->flags;

		if (up >= 0)
			flags = up ? flags | IFF_UP : flags & ~IFF_UP;
		if (noarp >= 0)
			flags = noarp ? flags | IFF_NOARP : flags & ~IFF_NOARP;
		if (multicast >= 0)
			flags = multicast ? flags | IFF_MULTICAST : flags & ~IFF_MULTICAST;
		if (promisc >= 0)
			flags = promisc ? flags | IFF_PROMISC : flags & ~IFF_PROMISC;
		err = dev_change_flags(dev, flags);
	}
	rtnl_unlock();
	return err ? rtnl_answer(ctx, err) : 0;
}

static int do_iplink(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	if (i >= argc)
		return iplink_show(ctx, argc, argv, i);
	if (matches(argv[i], "add") || !strcmp(argv[i], "create"))
		return iplink_add(ctx, argc, argv, i + 1);
	if (matches(argv[i], "delete"))
		return iplink_del(ctx, argc, argv, i + 1);
	if (matches(argv[i], "set") || matches(argv[i], "change"))
		return iplink_set(ctx, argc, argv, i + 1);
	if (matches(argv[i], "show") || matches(argv[i], "lst") || matches(argv[i], "list"))
		return iplink_show(ctx, argc, argv, i + 1);
	ul_bprintf(ctx->out, "Command \"%s\" is unknown, try \"ip link help\".\n", argv[i]);
	return -EINVAL;
}

/* ---- addresses ---- */

static void print_addrs(struct ip_ctx *ctx, struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get_rtnl(dev);
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], sbuf[8];

	if (!in_dev)
		return;
	for_ifa(in_dev) {
		if (ifa->ifa_address != ifa->ifa_local)
			ul_bprintf(ctx->out, "    inet %s peer %s/%d ", fmt_addr(ifa->ifa_local, a),
				   fmt_addr(ifa->ifa_address, b), ifa->ifa_prefixlen);
		else
			ul_bprintf(ctx->out, "    inet %s/%d ", fmt_addr(ifa->ifa_local, a),
				   ifa->ifa_prefixlen);
		if (ifa->ifa_broadcast)
			ul_bprintf(ctx->out, "brd %s ", fmt_addr(ifa->ifa_broadcast, a));
		ul_bprintf(ctx->out, "scope %s ", scope_n2a(ifa->ifa_scope, sbuf));
		if (ifa->ifa_flags & IFA_F_SECONDARY)
			ul_bputs(ctx->out, "secondary ");
		ul_bprintf(ctx->out, "%s\n", ifa->ifa_label);
		ul_bputs(ctx->out, "       valid_lft forever preferred_lft forever\n");
	} endfor_ifa(in_dev);
}

static int ipaddr_show(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	const char *name = NULL;
	struct net_device *dev;
	int err;

	err = ip_dev_name_arg(ctx, argc, argv, i, false, &name);
	if (err)
		return err;
	rtnl_lock();
	if (name) {
		dev = __dev_get_by_name(ctx->net, name);
		if (!dev) {
			rtnl_unlock();
			ul_bprintf(ctx->out, "Device \"%s\" does not exist.\n", name);
			return -ENODEV;
		}
		print_link(ctx, dev, false);
		print_addrs(ctx, dev);
	} else {
		for_each_netdev(ctx->net, dev) {
			print_link(ctx, dev, false);
			print_addrs(ctx, dev);
		}
	}
	rtnl_unlock();
	return 0;
}

static int ipaddr_modify(struct ip_ctx *ctx, bool add, int argc, char **argv, int i)
{
	const char *dname = NULL, *label = NULL;
	__be32 local = 0, peer = 0, brd = 0;
	int plen = 32, peer_len = 0;
	bool have_local = false, has_len = false, set_brd = false;
	unsigned int scope = RT_SCOPE_UNIVERSE;
	struct net_device *dev;
	int err;

	for (; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "peer") || !strcmp(a, "remote")) {
			bool pl;

			NEXT_ARG();
			if (get_prefix(argv[i], &peer, &peer_len, &pl))
				return invarg(ctx, "invalid peer address", argv[i]);
			if (pl)
				plen = peer_len;
		} else if (matches(a, "broadcast") || !strcmp(a, "brd")) {
			NEXT_ARG();
			if (!strcmp(argv[i], "+")) {
				set_brd = true;
			} else if (!strcmp(argv[i], "-")) {
				set_brd = false;
			} else if (get_addr(argv[i], &brd)) {
				return invarg(ctx, "invalid broadcast address", argv[i]);
			}
		} else if (!strcmp(a, "scope")) {
			NEXT_ARG();
			if (scope_a2n(argv[i], &scope))
				return invarg(ctx, "invalid scope value.", argv[i]);
		} else if (!strcmp(a, "dev")) {
			NEXT_ARG();
			dname = argv[i];
		} else if (!strcmp(a, "label")) {
			NEXT_ARG();
			label = argv[i];
		} else if (!strcmp(a, "valid_lft") || !strcmp(a, "preferred_lft")) {
			NEXT_ARG();	/* addresses are forever in ulnet */
		} else {
			if (!strcmp(a, "local"))
				NEXT_ARG();
			if (have_local) {
				ul_bprintf(ctx->out, "Error: either \"local\" is duplicate, or \"%s\" is a garbage.\n",
					   argv[i]);
				return -EINVAL;
			}
			if (get_prefix(argv[i], &local, &plen, &has_len))
				return invarg(ctx, "invalid address", argv[i]);
			have_local = true;
		}
	}
	if (!dname) {
		ul_bputs(ctx->out, "Not enough information: \"dev\" argument is required.\n");
		return -EINVAL;
	}
	if (!have_local) {
		ul_bputs(ctx->out, "Not enough information: address is required.\n");
		return -EINVAL;
	}
	if (label && strncmp(label, dname, strlen(dname))) {
		ul_bprintf(ctx->out, "\"label\" (%s) must match \"dev\" (%s) or be prefixed by \"dev\" with a colon.\n",
			   label, dname);
		return -EINVAL;
	}
	dev = __dev_get_by_name(ctx->net, dname);
	if (!dev)
		return no_device(ctx, dname);
	if (add) {
		err = devinet_addr_add(dev, local, plen, peer, brd, set_brd, (unsigned char)scope,
				       label);
	} else {
		if (!has_len) {
			/* No prefix length: the first address with this local part (iproute2's
			 * "wildcard deletion"). */
			struct in_device *in_dev;

			rtnl_lock();
			in_dev = __in_dev_get_rtnl(dev);
			if (in_dev) {
				for_ifa(in_dev) {
					if (ifa->ifa_local == local) {
						plen = ifa->ifa_prefixlen;
						break;
					}
				} endfor_ifa(in_dev);
			}
			rtnl_unlock();
		}
		err = devinet_addr_del(dev, local, plen);
	}
	return err ? rtnl_answer(ctx, err) : 0;
}

static int ipaddr_flush(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	const char *dname = NULL;
	struct net_device *dev;
	int err;

	err = ip_dev_name_arg(ctx, argc, argv, i, false, &dname);
	if (err)
		return err;
	if (!dname) {
		ul_bputs(ctx->out, "Flush requires arguments.\n");
		return -EINVAL;
	}
	dev = __dev_get_by_name(ctx->net, dname);
	if (!dev)
		return no_device(ctx, dname);
	for (int guard = 0; guard < 100000; guard++) {
		struct in_device *in_dev;
		__be32 local = 0;
		int plen = 0;
		bool found = false;

		rtnl_lock();
		in_dev = __in_dev_get_rtnl(dev);
		/* Secondaries last to first, then primaries (removing a primary would remove
		 * its secondaries anyway). */
		if (in_dev && in_dev->ifa_list) {
			struct in_ifaddr *last = in_dev->ifa_list;

			while (last->ifa_next)
				last = last->ifa_next;
			local = last->ifa_local;
			plen = last->ifa_prefixlen;
			found = true;
		}
		rtnl_unlock();
		if (!found)
			break;
		if (devinet_addr_del(dev, local, plen))
			break;
	}
	return 0;
}

static int do_ipaddr(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	if (i >= argc)
		return ipaddr_show(ctx, argc, argv, i);
	if (matches(argv[i], "add"))
		return ipaddr_modify(ctx, true, argc, argv, i + 1);
	if (matches(argv[i], "delete"))
		return ipaddr_modify(ctx, false, argc, argv, i + 1);
	if (matches(argv[i], "show") || matches(argv[i], "lst") || matches(argv[i], "list"))
		return ipaddr_show(ctx, argc, argv, i + 1);
	if (matches(argv[i], "flush"))
		return ipaddr_flush(ctx, argc, argv, i + 1);
	ul_bprintf(ctx->out, "Command \"%s\" is unknown, try \"ip addr help\".\n", argv[i]);
	return -EINVAL;
}

/* ---- namespaces ---- */

static int do_ipnetns(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	struct net *net;
	int err;

	if (i >= argc || matches(argv[i], "list") || matches(argv[i], "show")) {
		for_each_net(net) {
			if (net != &init_net && net->name[0])
				ul_bprintf(ctx->out, "%s\n", net->name);
		}
		return 0;
	}
	if (matches(argv[i], "add")) {
		NEXT_ARG();
		net = ul_netns_create(argv[i]);
		if (IS_ERR(net)) {
			err = (int)PTR_ERR(net);
			if (err == -EINVAL)
				ul_bprintf(ctx->out, "Invalid netns name \"%s\"\n", argv[i]);
			else
				ul_bprintf(ctx->out, "Cannot create namespace file \"/var/run/netns/%s\": %s\n",
					   argv[i], strerror(-err));
			return err;
		}
		return 0;
	}
	if (matches(argv[i], "delete")) {
		NEXT_ARG();
		net = ul_net_by_name(argv[i]);
		if (!net || net == &init_net || !argv[i][0]) {
			ul_bprintf(ctx->out, "Cannot remove namespace file \"/var/run/netns/%s\": No such file or directory\n",
				   argv[i]);
			return -ENOENT;
		}
		return ul_netns_destroy(net);
	}
	if (matches(argv[i], "exec")) {
		NEXT_ARG();
		net = ul_net_by_name(argv[i]);
		if (!net || !argv[i][0]) {
			ul_bprintf(ctx->out, "Cannot open network namespace \"%s\": No such file or directory\n",
				   argv[i]);
			return -ENOENT;
		}
		if (i + 1 >= argc) {
			ul_bputs(ctx->out, "No command specified\n");
			return -EINVAL;
		}
		if (!strcmp(argv[i + 1], "ip"))
			return do_ip(net, argc - i - 1, argv + i + 1, ctx->out);
		if (!strcmp(argv[i + 1], "sysctl"))
			return do_sysctl(net, argc - i - 1, argv + i + 1, ctx->out);
		ul_bprintf(ctx->out, "ulnet: unknown command '%s' (ul_cmd knows: ip, sysctl)\n",
			   argv[i + 1]);
		return -EOPNOTSUPP;
	}
	ul_bprintf(ctx->out, "Command \"%s\" is unknown, try \"ip netns help\".\n", argv[i]);
	return -EINVAL;
}

/* ---- ip ---- */

int do_ip(struct net *net, int argc, char **argv, struct ul_buf *out)
{
	struct ip_ctx c = { .net = net, .out = out };
	struct ip_ctx *ctx = &c;
	const char *obj;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i] + 1;

		if (opt[0] == '-')
			opt++;
		if (matches(opt, "statistics") || !strcmp(opt, "s")) {
			c.stats++;
		} else if (matches(opt, "details")) {
			c.details++;
		} else if (!strcmp(opt, "4") || !strcmp(opt, "family")) {
			if (!strcmp(opt, "family"))
				NEXT_ARG();
		} else if (!strcmp(opt, "n") || matches(opt, "netns")) {
			NEXT_ARG();
			c.net = ul_net_by_name(argv[i]);
			if (!c.net || !argv[i][0]) {
				ul_bprintf(out, "Cannot open network namespace \"%s\": No such file or directory\n",
					   argv[i]);
				return -ENOENT;
			}
		} else {
			ul_bprintf(out, "Option \"%s\" is unknown, try \"ip -help\".\n", argv[i]);
			return -EINVAL;
		}
	}
	if (i >= argc) {
		ul_bputs(out, "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n"
			 "where  OBJECT := { link | address | route | neigh | netns }\n"
			 "       OPTIONS := { -s[tatistics] | -d[etails] | -n[etns] name }\n");
		return -EINVAL;
	}
	obj = argv[i++];
	if (matches(obj, "address"))
		return do_ipaddr(ctx, argc, argv, i);
	if (matches(obj, "link"))
		return do_iplink(ctx, argc, argv, i);
	if (matches(obj, "route"))
		return do_iproute(ctx, argc, argv, i);
	if (matches(obj, "neighbor") || matches(obj, "neighbour"))
		return do_ipneigh(ctx, argc, argv, i);
	if (matches(obj, "netns"))
		return do_ipnetns(ctx, argc, argv, i);
	ul_bprintf(out, "Object \"%s\" is unknown, try \"ip help\".\n", obj);
	return -EINVAL;
}
