/* SPDX-License-Identifier: MIT */
/* `ip`: links, addresses, routes, neighbours and namespaces, with iproute2's syntax and
 * output (the format of iproute2 5.x run against a 3.10 kernel: no "uid" in `ip route get`,
 * no "qlen" for queue-less devices).
 * Mirrors no kernel file: iproute2's ip/ipaddress.c, iplink.c, iproute.c, ipneigh.c,
 * ipnetns.c over the kernel calls that rtnetlink makes (rtnl_newlink, do_setlink,
 * inet_rtm_newaddr, inet_rtm_newroute, inet_rtm_getroute, neigh_add...). See docs/ip.md.
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

#define NEXT_ARG() do { if (++i >= argc) return incomplete(ctx, argv[i - 1]); } while (0)

static int incomplete(struct ip_ctx *ctx, const char *after)
{
	ul_bputs(ctx->out, "Command line is not complete. Try option \"help\"\n");
	return -EINVAL;
}

static int invarg(struct ip_ctx *ctx, const char *msg, const char *arg)
{
	ul_bprintf(ctx->out, "Error: argument \"%s\" is wrong: %s\n", arg, msg);
	return -EINVAL;
}

/* What iproute2 prints when the kernel refuses. */
static int rtnl_answer(struct ip_ctx *ctx, int err)
{
	ul_bprintf(ctx->out, "RTNETLINK answers: %s\n", strerror(-err));
	return err;
}

static int no_device(struct ip_ctx *ctx, const char *name)
{
	ul_bprintf(ctx->out, "Cannot find device \"%s\"\n", name);
	return -ENODEV;
}

static int get_unsigned(const char *s, unsigned int *v)
{
	char *end;
	unsigned long x;

	if (!*s)
		return -1;
	errno = 0;
	x = strtoul(s, &end, 0);
	if (*end || errno || x > UINT_MAX || s[0] == '-')
		return -1;
	*v = (unsigned int)x;
	return 0;
}

static int get_addr(const char *s, __be32 *addr)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*addr = a.s_addr;
	return 0;
}

/* "a.b.c.d[/len]", "default", "any", "all" -> address and length (32 without /len). */
static int get_prefix(const char *s, __be32 *addr, int *plen, bool *has_len)
{
	char buf[64];
	char *slash;
	unsigned int len = 32;

	*has_len = false;
	if (!strcmp(s, "default") || !strcmp(s, "any") || !strcmp(s, "all")) {
		*addr = 0;
		*plen = 0;
		*has_len = true;
		return 0;
	}
	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (get_unsigned(slash + 1, &len) || len > 32)
			return -1;
		*has_len = true;
	}
	if (get_addr(buf, addr))
		return -1;
	*plen = (int)len;
	return 0;
}

static const char *fmt_addr(__be32 a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void fmt_ll(const unsigned char *addr, int len, char *buf)
{
	int i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < len; i++)
		n += sprintf(buf + n, i ? ":%02x" : "%02x", addr[i]);
}

static int get_lladdr(const char *s, unsigned char *mac, int maxlen)
{
	int n = 0;

	while (*s && n < maxlen) {
		unsigned int byte;
		char *end;

		byte = (unsigned int)strtoul(s, &end, 16);
		if (end == s || end - s > 2 || byte > 255)
			return -1;
		mac[n++] = (unsigned char)byte;
		s = end;
		if (*s == ':')
			s++;
		else if (*s)
			return -1;
	}
	return *s ? -1 : n;
}

static const char *const scope_names[] = {
	[RT_SCOPE_UNIVERSE] = "global", [RT_SCOPE_SITE] = "site", [RT_SCOPE_LINK] = "link",
	[RT_SCOPE_HOST] = "host", [RT_SCOPE_NOWHERE] = "nowhere",
};

static const char *scope_n2a(unsigned int scope, char *buf)
{
	if (scope < ARRAY_SIZE(scope_names) && scope_names[scope])
		return scope_names[scope];
	sprintf(buf, "%u", scope);
	return buf;
}

static int scope_a2n(const char *s, unsigned int *scope)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(scope_names); i++)
		if (scope_names[i] && !strcmp(s, scope_names[i])) {
			*scope = i;
			return 0;
		}
	return get_unsigned(s, scope) || *scope > 255 ? -1 : 0;
}

static const char *const rtntype_names[] = {
	"unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole",
	"unreachable", "prohibit", "throw", "nat", "xresolve",
};

static int rtntype_a2n(const char *s)
{
	unsigned int i;

	for (i = 1; i < ARRAY_SIZE(rtntype_names); i++)
		if (!strcmp(s, rtntype_names[i]))
			return (int)i;
	return -1;
}

static const char *const rtprot_names[] = {
	"unspec", "redirect", "kernel", "boot", "static",
};

static const char *rtprot_n2a(unsigned int p, char *buf)
{
	if (p < ARRAY_SIZE(rtprot_names))
		return rtprot_names[p];
	sprintf(buf, "%u", p);
	return buf;
}

static int rtprot_a2n(const char *s, unsigned int *p)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rtprot_names); i++)
		if (!strcmp(s, rtprot_names[i])) {
			*p = i;
			return 0;
		}
	return get_unsigned(s, p) || *p > 255 ? -1 : 0;
}

static int table_a2n(const char *s, u32 *id)
{
	unsigned int v;

	if (!strcmp(s, "main"))
		*id = RT_TABLE_MAIN;
	else if (!strcmp(s, "local"))
		*id = RT_TABLE_LOCAL;
	else if (!strcmp(s, "default"))
		*id = RT_TABLE_DEFAULT;
	else if (!strcmp(s, "all"))
		*id = 0;
	else if (!get_unsigned(s, &v))
		*id = v;
	else
		return -1;
	return 0;
}

static const char *table_n2a(u32 id, char *buf)
{
	if (id == RT_TABLE_MAIN)
		return "main";
	if (id == RT_TABLE_LOCAL)
		return "local";
	sprintf(buf, "%u", id);
	return buf;
}

/* ---- links ---- */

static const char *const oper_states[] = {
	"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP",
};

static void print_link_flags(struct ul_buf *out, unsigned int flags)
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
	ul_bprintf(out, " mtu %u qdisc %s state %s ", dev->mtu, qdisc,
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

static int iplink_del(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	const char *name = NULL;
	struct net_device *dev;
	int err;

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "dev")) {
			NEXT_ARG();
			name = argv[i];
		} else if (!strcmp(argv[i], "type")) {
			NEXT_ARG();
		} else {
			name = argv[i];
		}
	}
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

	for (; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "up")) {
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
			ul_bputs(ctx->out, "RTNETLINK answers: Operation not supported\n");
			return -EOPNOTSUPP;
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
	/* do_setlink's order: address, mtu, name, flags. */
	if (maclen) {
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

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "dev")) {
			NEXT_ARG();
			name = argv[i];
		} else {
			name = argv[i];
		}
	}
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

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "dev")) {
			NEXT_ARG();
			dname = argv[i];
		} else {
			dname = argv[i];
		}
	}
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

/* ---- routes ---- */

struct route_print {
	struct ip_ctx *ctx;
	u32 table;		/* the table being dumped */
	bool show_table;	/* "table all" */
	int oif;		/* dev filter (0: all) */
};

static int print_route_one(__be32 dst, int plen, u8 tos, u8 type, struct fib_info *fi, void *arg)
{
	struct route_print *rp = arg;
	struct ul_buf *out = rp->ctx->out;
	char a[INET_ADDRSTRLEN], buf[16];
	const struct fib_nh *nh = fi ? &fi->fib_nh[0] : NULL;

	if (rp->oif && (!nh || nh->nh_oif != rp->oif))
		return 0;
	if (type != RTN_UNICAST)
		ul_bprintf(out, "%s ", type <= RTN_MAX ? rtntype_names[type] : "unknown");
	if (plen == 0)
		ul_bputs(out, "default ");
	else if (plen == 32)
		ul_bprintf(out, "%s ", fmt_addr(dst, a));
	else
		ul_bprintf(out, "%s/%d ", fmt_addr(dst, a), plen);
	if (tos)
		ul_bprintf(out, "tos 0x%02x ", tos);
	if (nh && nh->nh_gw)
		ul_bprintf(out, "via %s ", fmt_addr(nh->nh_gw, a));
	if (nh && nh->nh_dev)
		ul_bprintf(out, "dev %s ", nh->nh_dev->name);
	if (rp->show_table && rp->table != RT_TABLE_MAIN)
		ul_bprintf(out, "table %s ", table_n2a(rp->table, buf));
	if (fi && fi->fib_protocol != RTPROT_BOOT)
		ul_bprintf(out, "proto %s ", rtprot_n2a(fi->fib_protocol, buf));
	if (fi && fi->fib_scope != RT_SCOPE_UNIVERSE)
		ul_bprintf(out, "scope %s ", scope_n2a(fi->fib_scope, buf));
	if (fi && fi->fib_prefsrc)
		ul_bprintf(out, "src %s ", fmt_addr(fi->fib_prefsrc, a));
	if (fi && fi->fib_priority)
		ul_bprintf(out, "metric %u ", fi->fib_priority);
	if (nh && (nh->nh_flags & RTNH_F_DEAD))
		ul_bputs(out, "dead ");
	if (nh && (nh->nh_flags & RTNH_F_ONLINK))
		ul_bputs(out, "onlink ");
	if (fi && fi->fib_mtu)
		ul_bprintf(out, "mtu %s%u ",
			   (fi->fib_metrics[RTAX_LOCK - 1] & (1 << RTAX_MTU)) ? "lock " : "",
			   fi->fib_mtu);
	if (fi && fi->fib_advmss)
		ul_bprintf(out, "advmss %u ", fi->fib_advmss);
	ul_bputs(out, "\n");
	return 0;
}

static int iproute_show(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	struct route_print rp = { .ctx = ctx };
	u32 table = RT_TABLE_MAIN;

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "table")) {
			NEXT_ARG();
			if (table_a2n(argv[i], &table))
				return invarg(ctx, "table id value is invalid", argv[i]);
		} else if (!strcmp(argv[i], "dev") || !strcmp(argv[i], "oif")) {
			struct net_device *dev;

			NEXT_ARG();
			dev = __dev_get_by_name(ctx->net, argv[i]);
			if (!dev)
				return no_device(ctx, argv[i]);
			rp.oif = dev->ifindex;
		} else {
			ul_bprintf(ctx->out, "Error: \"%s\" is not supported by ulnet's ip route show.\n",
				   argv[i]);
			return -EOPNOTSUPP;
		}
	}
	rtnl_lock();
	if (table == 0) {
		rp.show_table = true;
		rp.table = RT_TABLE_MAIN;
		fib_table_walk(ctx->net->ipv4.fib_main, print_route_one, &rp);
		rp.table = RT_TABLE_LOCAL;
		fib_table_walk(ctx->net->ipv4.fib_local, print_route_one, &rp);
	} else {
		rp.table = table == RT_TABLE_LOCAL ? RT_TABLE_LOCAL : RT_TABLE_MAIN;
		fib_table_walk(fib_get_table(ctx->net, table), print_route_one, &rp);
	}
	rtnl_unlock();
	return 0;
}

static int iproute_modify(struct ip_ctx *ctx, const char *cmd, int argc, char **argv, int i)
{
	struct fib_config cfg;
	bool is_del = !strcmp(cmd, "del");
	bool dst_ok = false, gw_ok = false, scope_ok = false, table_ok = false, type_ok = false;
	bool has_len;
	int plen;
	unsigned int v;
	struct net_device *dev = NULL;
	int err;

	memset(&cfg, 0, sizeof(cfg));
	cfg.fc_table = RT_TABLE_MAIN;
	if (!is_del) {
		cfg.fc_protocol = RTPROT_BOOT;
		cfg.fc_scope = RT_SCOPE_UNIVERSE;
		cfg.fc_type = RTN_UNICAST;
	} else {
		cfg.fc_scope = RT_SCOPE_NOWHERE;
	}
	if (!strcmp(cmd, "add"))
		cfg.fc_nlflags = NLM_F_CREATE | NLM_F_EXCL;
	else if (!strcmp(cmd, "change"))
		cfg.fc_nlflags = NLM_F_REPLACE;
	else if (!strcmp(cmd, "replace"))
		cfg.fc_nlflags = NLM_F_CREATE | NLM_F_REPLACE;
	else if (!strcmp(cmd, "prepend"))
		cfg.fc_nlflags = NLM_F_CREATE;
	else if (!strcmp(cmd, "append"))
		cfg.fc_nlflags = NLM_F_CREATE | NLM_F_APPEND;

	for (; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "via")) {
			NEXT_ARG();
			if (get_addr(argv[i], &cfg.fc_gw))
				return invarg(ctx, "invalid gateway address", argv[i]);
			gw_ok = true;
		} else if (!strcmp(a, "src")) {
			NEXT_ARG();
			if (get_addr(argv[i], &cfg.fc_prefsrc))
				return invarg(ctx, "invalid source address", argv[i]);
		} else if (!strcmp(a, "dev") || !strcmp(a, "oif")) {
			NEXT_ARG();
			dev = __dev_get_by_name(ctx->net, argv[i]);
			if (!dev)
				return no_device(ctx, argv[i]);
			cfg.fc_oif = dev->ifindex;
		} else if (!strcmp(a, "metric") || !strcmp(a, "priority") ||
			   !strcmp(a, "preference")) {
			NEXT_ARG();
			if (get_unsigned(argv[i], &v))
				return invarg(ctx, "\"metric\" value is invalid", argv[i]);
			cfg.fc_priority = v;
		} else if (!strcmp(a, "mtu") || !strcmp(a, "advmss")) {
			int metric = !strcmp(a, "mtu") ? RTAX_MTU : RTAX_ADVMSS;

			NEXT_ARG();
			if (!strcmp(argv[i], "lock")) {
				cfg.fc_metrics[RTAX_LOCK - 1] |= 1U << metric;
				NEXT_ARG();
			}
			if (get_unsigned(argv[i], &v))
				return invarg(ctx, metric == RTAX_MTU ? "\"mtu\" value is invalid" :
					      "\"mss\" value is invalid", argv[i]);
			cfg.fc_metrics[metric - 1] = v;
		} else if (!strcmp(a, "table")) {
			NEXT_ARG();
			if (table_a2n(argv[i], &cfg.fc_table) || !cfg.fc_table)
				return invarg(ctx, "\"table\" value is invalid", argv[i]);
			table_ok = true;
		} else if (!strcmp(a, "proto") || !strcmp(a, "protocol")) {
			NEXT_ARG();
			if (rtprot_a2n(argv[i], &v))
				return invarg(ctx, "\"protocol\" value is invalid", argv[i]);
			cfg.fc_protocol = (u8)v;
		} else if (!strcmp(a, "scope")) {
			NEXT_ARG();
			if (scope_a2n(argv[i], &v))
				return invarg(ctx, "invalid \"scope\" value", argv[i]);
			cfg.fc_scope = (u8)v;
			scope_ok = true;
		} else if (!strcmp(a, "tos") || !strcmp(a, "dsfield")) {
			NEXT_ARG();
			if (get_unsigned(argv[i], &v) || v > 255)
				return invarg(ctx, "TOS value is invalid", argv[i]);
			cfg.fc_tos = (u8)v;
		} else if (!strcmp(a, "onlink")) {
			cfg.fc_flags |= RTNH_F_ONLINK;
		} else {
			int type;

			if (!strcmp(a, "to"))
				NEXT_ARG();
			type = rtntype_a2n(argv[i]);
			if (type > 0 && !dst_ok && !type_ok) {
				cfg.fc_type = (u8)type;
				type_ok = true;
				continue;
			}
			if (dst_ok) {
				ul_bprintf(ctx->out, "Error: either \"to\" is duplicate, or \"%s\" is a garbage.\n",
					   argv[i]);
				return -EINVAL;
			}
			if (get_prefix(argv[i], &cfg.fc_dst, &plen, &has_len))
				return invarg(ctx, "invalid prefix", argv[i]);
			cfg.fc_dst_len = (u8)plen;
			dst_ok = true;
		}
	}
	if (!dst_ok) {
		ul_bputs(ctx->out, "Error: destination prefix is required.\n");
		return -EINVAL;
	}
	/* iproute2's defaults for scope and table by route type. */
	if (!scope_ok) {
		if (cfg.fc_type == RTN_LOCAL || cfg.fc_type == RTN_NAT)
			cfg.fc_scope = RT_SCOPE_HOST;
		else if (cfg.fc_type == RTN_BROADCAST || cfg.fc_type == RTN_MULTICAST ||
			 cfg.fc_type == RTN_ANYCAST)
			cfg.fc_scope = RT_SCOPE_LINK;
		else if (cfg.fc_type == RTN_UNICAST || cfg.fc_type == RTN_UNSPEC) {
			if (is_del)
				cfg.fc_scope = RT_SCOPE_NOWHERE;
			else if (!gw_ok)
				cfg.fc_scope = RT_SCOPE_LINK;
		}
	}
	if (!table_ok && (cfg.fc_type == RTN_LOCAL || cfg.fc_type == RTN_BROADCAST ||
			  cfg.fc_type == RTN_NAT || cfg.fc_type == RTN_ANYCAST))
		cfg.fc_table = RT_TABLE_LOCAL;
	if (!is_del && cfg.fc_table != RT_TABLE_LOCAL && cfg.fc_table != RT_TABLE_MAIN)
		cfg.fc_table = RT_TABLE_MAIN;	/* no policy routing: other tables are main */
	rtnl_lock();
	err = is_del ? ip_fib_route_del(ctx->net, &cfg) : ip_fib_route_add(ctx->net, &cfg);
	rtnl_unlock();
	return err ? rtnl_answer(ctx, err) : 0;
}

static void print_cache_flags(struct ul_buf *out, u32 flags)
{
	static const struct { u32 bit; const char *name; } fl[] = {
		{ RTCF_LOCAL, "local" }, { RTCF_REJECT, "reject" }, { RTCF_MULTICAST, "mc" },
		{ RTCF_BROADCAST, "brd" }, { RTCF_DNAT, "dst-nat" }, { RTCF_SNAT, "src-nat" },
		{ RTCF_MASQ, "masq" }, { RTCF_DIRECTDST, "dst-direct" },
		{ RTCF_DIRECTSRC, "src-direct" }, { RTCF_REDIRECTED, "redirected" },
		{ RTCF_DOREDIRECT, "redirect" }, { RTCF_FAST, "fastroute" },
		{ RTCF_NOTIFY, "notify" }, { RTCF_TPROXY, "proxy" },
	};
	bool first = true;
	size_t i;

	flags &= ~0xFFFFU;
	ul_bputs(out, "\n    cache ");
	if (!flags)
		return;
	ul_bputs(out, "<");
	for (i = 0; i < ARRAY_SIZE(fl); i++) {
		if (!(flags & fl[i].bit))
			continue;
		ul_bprintf(out, "%s%s", first ? "" : ",", fl[i].name);
		first = false;
		flags &= ~fl[i].bit;
	}
	if (flags)
		ul_bprintf(out, "%s%x", first ? "" : ",", flags);
	ul_bputs(out, "> ");
}

static int iproute_get(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	__be32 dst = 0, src = 0;
	int iif = 0, oif = 0, plen;
	unsigned int tos = 0;
	bool dst_ok = false, has_len;
	struct flowi4 fl4;
	struct rtable *rt;
	char a[INET_ADDRSTRLEN];
	struct ul_buf *out = ctx->out;

	for (; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "from")) {
			NEXT_ARG();
			if (get_prefix(argv[i], &src, &plen, &has_len))
				return invarg(ctx, "invalid from address", argv[i]);
		} else if (!strcmp(k, "iif") || !strcmp(k, "oif") || !strcmp(k, "dev")) {
			struct net_device *dev;

			NEXT_ARG();
			dev = __dev_get_by_name(ctx->net, argv[i]);
			if (!dev)
				return no_device(ctx, argv[i]);
			if (!strcmp(k, "iif"))
				iif = dev->ifindex;
			else
				oif = dev->ifindex;
		} else if (!strcmp(k, "tos") || !strcmp(k, "dsfield")) {
			NEXT_ARG();
			if (get_unsigned(argv[i], &tos) || tos > 255)
				return invarg(ctx, "TOS value is invalid", argv[i]);
		} else {
			if (!strcmp(k, "to"))
				NEXT_ARG();
			if (get_prefix(argv[i], &dst, &plen, &has_len))
				return invarg(ctx, "invalid address", argv[i]);
			dst_ok = true;
		}
	}
	if (!dst_ok) {
		ul_bputs(out, "need at least a destination address\n");
		return -EINVAL;
	}
	rtnl_lock();
	rt = ip_route_get(ctx->net, dst, src, iif, oif, (u8)tos, &fl4);
	if (IS_ERR(rt)) {
		rtnl_unlock();
		return rtnl_answer(ctx, (int)PTR_ERR(rt));
	}
	/* rt_fill_info's view of the route, as iproute2 prints it. */
	if (rt->rt_type != RTN_UNICAST)
		ul_bprintf(out, "%s ", rt->rt_type <= RTN_MAX ? rtntype_names[rt->rt_type] : "unknown");
	ul_bprintf(out, "%s ", fmt_addr(dst, a));
	if (src)
		ul_bprintf(out, "from %s ", fmt_addr(src, a));
	if (rt->rt_uses_gateway)
		ul_bprintf(out, "via %s ", fmt_addr(rt->rt_gateway, a));
	if (rt->dst.dev)
		ul_bprintf(out, "dev %s ", rt->dst.dev->name);
	if (!iif && fl4.saddr != src)
		ul_bprintf(out, "src %s ", fmt_addr(fl4.saddr, a));
	print_cache_flags(out, rt->rt_flags);
	if (iif) {
		struct net_device *idev = __dev_get_by_index(ctx->net, iif);

		ul_bprintf(out, "iif %s ", idev ? idev->name : "?");
	}
	if (dst_metric_raw(&rt->dst, RTAX_MTU) || (rt->rt_pmtu && rt->dst.expires))
		ul_bprintf(out, "mtu %u ", rt->rt_pmtu && rt->dst.expires ? rt->rt_pmtu :
			   dst_metric_raw(&rt->dst, RTAX_MTU));
	ul_bputs(out, "\n");
	ip_rt_put(rt);
	rtnl_unlock();
	return 0;
}

struct flush_filter {
	int oif;
	bool all;
};

static bool route_flush_match(const struct fib_info *fi, u8 type, void *arg)
{
	struct flush_filter *f = arg;

	if (f->all)
		return true;
	return fi && fi->fib_nh[0].nh_oif == f->oif;
}

static int iproute_flush(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	struct flush_filter f = { .all = true };
	u32 table = RT_TABLE_MAIN;

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "table")) {
			NEXT_ARG();
			if (table_a2n(argv[i], &table))
				return invarg(ctx, "table id value is invalid", argv[i]);
		} else if (!strcmp(argv[i], "dev") || !strcmp(argv[i], "oif")) {
			struct net_device *dev;

			NEXT_ARG();
			dev = __dev_get_by_name(ctx->net, argv[i]);
			if (!dev)
				return no_device(ctx, argv[i]);
			f.oif = dev->ifindex;
			f.all = false;
		} else {
			ul_bprintf(ctx->out, "Error: \"%s\" is not supported by ulnet's ip route flush.\n",
				   argv[i]);
			return -EOPNOTSUPP;
		}
	}
	rtnl_lock();
	if (table == 0 || table == RT_TABLE_MAIN)
		fib_table_flush_all(ctx->net->ipv4.fib_main, route_flush_match, &f);
	if (table == 0 || table == RT_TABLE_LOCAL)
		fib_table_flush_all(ctx->net->ipv4.fib_local, route_flush_match, &f);
	rtnl_unlock();
	return 0;
}

static int do_iproute(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	if (i >= argc)
		return iproute_show(ctx, argc, argv, i);
	if (matches(argv[i], "add"))
		return iproute_modify(ctx, "add", argc, argv, i + 1);
	if (matches(argv[i], "change") || !strcmp(argv[i], "chg"))
		return iproute_modify(ctx, "change", argc, argv, i + 1);
	if (matches(argv[i], "replace"))
		return iproute_modify(ctx, "replace", argc, argv, i + 1);
	if (matches(argv[i], "prepend"))
		return iproute_modify(ctx, "prepend", argc, argv, i + 1);
	if (matches(argv[i], "append"))
		return iproute_modify(ctx, "append", argc, argv, i + 1);
	if (matches(argv[i], "delete"))
		return iproute_modify(ctx, "del", argc, argv, i + 1);
	if (matches(argv[i], "list") || matches(argv[i], "show") || matches(argv[i], "lst"))
		return iproute_show(ctx, argc, argv, i + 1);
	if (matches(argv[i], "get"))
		return iproute_get(ctx, argc, argv, i + 1);
	if (matches(argv[i], "flush"))
		return iproute_flush(ctx, argc, argv, i + 1);
	ul_bprintf(ctx->out, "Command \"%s\" is unknown, try \"ip route help\".\n", argv[i]);
	return -EINVAL;
}

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

static int do_ipneigh(struct ip_ctx *ctx, int argc, char **argv, int i)
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
