/* SPDX-License-Identifier: MIT */
/* `ip route`: show, add/del/change/replace/append/prepend, get, flush.
 * Mirrors no kernel file: iproute2's ip/iproute.c over the kernel calls of
 * inet_rtm_newroute / inet_rtm_delroute / inet_rtm_getroute (fib_table_insert,
 * fib_table_delete, ip_route_output_key / ip_route_input, rt_fill_info). See docs/ip.md.
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

/* The selectors `ip route show` and `ip route flush` share: "table ID" into *@table and
 * "dev|oif NAME" into *@oif (left alone when absent). 0, or the error printed. */
static int iproute_filter_args(struct ip_ctx *ctx, const char *cmd, int argc, char **argv,
			       int i, u32 *table, int *oif)
{
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "table")) {
			NEXT_ARG();
			if (table_a2n(argv[i], table))
				return invarg(ctx, "table id value is invalid", argv[i]);
		} else if (!strcmp(argv[i], "dev") || !strcmp(argv[i], "oif")) {
			struct net_device *dev;

			NEXT_ARG();
			dev = __dev_get_by_name(ctx->net, argv[i]);
			if (!dev)
				return no_device(ctx, argv[i]);
			*oif = dev->ifindex;
		} else {
			ul_bprintf(ctx->out, "Error: \"%s\" is not supported by ulnet's ip route %s.\n",
				   argv[i], cmd);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

static int iproute_show(struct ip_ctx *ctx, int argc, char **argv, int i)
{
	struct route_print rp = { .ctx = ctx };
	u32 table = RT_TABLE_MAIN;
	int err;

	err = iproute_filter_args(ctx, "show", argc, argv, i, &table, &rp.oif);
	if (err)
		return err;
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
		ul_bprintf(out, "%s ",
			   rt->rt_type <= RTN_MAX ? rtntype_names[rt->rt_type] : "unknown");
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
	int err;

	err = iproute_filter_args(ctx, "flush", argc, argv, i, &table, &f.oif);
	if (err)
		return err;
	f.all = !f.oif;
	rtnl_lock();
	if (table == 0 || table == RT_TABLE_MAIN)
		fib_table_flush_all(ctx->net->ipv4.fib_main, route_flush_match, &f);
	if (table == 0 || table == RT_TABLE_LOCAL)
		fib_table_flush_all(ctx->net->ipv4.fib_local, route_flush_match, &f);
	rtnl_unlock();
	return 0;
}

int do_iproute(struct ip_ctx *ctx, int argc, char **argv, int i)
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

