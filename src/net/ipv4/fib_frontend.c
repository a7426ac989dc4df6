/* SPDX-License-Identifier: MIT */
/* The FIB's face to the rest of the stack: the tables of each namespace, the lookups other
 * code uses (fib_lookup, inet_addr_type, fib_validate_source), and the routes that follow
 * addresses and devices (fib_inetaddr_event, fib_netdev_event).
 * Mirrors linux/net/ipv4/fib_frontend.c (3.10): fib_lookup (without policy rules),
 * fib_get_table, fib_new_table, inet_addr_type, inet_dev_addr_type, fib_validate_source,
 * fib_compute_spec_dst, fib_magic, fib_add_ifaddr, fib_del_ifaddr, fib_disable_ip,
 * fib_inetaddr_event, fib_netdev_event, fib_flush, ip_fib_net_init/exit, ip_fib_init.
 *
 * Book ch5: adding an address puts it in the local table (RTN_LOCAL, scope host), so any
 * packet to it (127.0.0.1 or the host's eth0 address alike) is routed through lo.
 *
 * Context: notifiers and route changes under rtnl_lock; lookups in any context. */
#include "linux/errno.h"
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/rtnetlink.h"
#include "linux/seq_file.h"
#include "linux/slab.h"
#include "net/arp.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/route.h"
#include "trace/path.h"
#include "fib_lookup.h"

struct fib_table *fib_get_table(struct net *net, u32 id)
{
	if (!net)
		return NULL;
	return id == RT_TABLE_LOCAL ? net->ipv4.fib_local : net->ipv4.fib_main;
}

int fib_lookup(struct net *net, struct flowi4 *flp, struct fib_result *res)
{
	struct fib_table *table;
	int err;

	table = fib_get_table(net, RT_TABLE_LOCAL);
	if (!table)
		return -ENETUNREACH;
	err = fib_table_lookup(table, flp, res, FIB_LOOKUP_NOREF);
	if (err > 0) {
		table = fib_get_table(net, RT_TABLE_MAIN);
		err = fib_table_lookup(table, flp, res, FIB_LOOKUP_NOREF);
	}
	if (unlikely(ul_trace_on))
		__ul_tracef(__func__, 0, "%s %s", err ? "miss" : table->tb_id == RT_TABLE_LOCAL ?
			    "local" : "main", err ? "" : res->type == RTN_LOCAL ? "RTN_LOCAL" :
			    res->type == RTN_BROADCAST ? "RTN_BROADCAST" : "RTN_UNICAST");
	if (err <= 0)
		return err;
	return -ENETUNREACH;
}

/* Type of @addr as if only @dev existed (NULL: any device). */
static unsigned int __inet_dev_addr_type(struct net *net, const struct net_device *dev,
					 __be32 addr)
{
	struct flowi4 fl4 = { .daddr = addr };
	unsigned int ret = RTN_BROADCAST;
	struct fib_table *local_table;
	struct fib_result res;

	if (ipv4_is_zeronet(addr) || ipv4_is_lbcast(addr))
		return RTN_BROADCAST;
	if (ipv4_is_multicast(addr))
		return RTN_MULTICAST;
	local_table = fib_get_table(net, RT_TABLE_LOCAL);
	if (local_table) {
		ret = RTN_UNICAST;
		if (!fib_table_lookup(local_table, &fl4, &res, FIB_LOOKUP_NOREF)) {
			if (!dev || dev == res.fi->fib_dev)
				ret = res.type;
		}
	}
	return ret;
}

unsigned int inet_addr_type(struct net *net, __be32 addr)
{
	return __inet_dev_addr_type(net, NULL, addr);
}

unsigned int inet_dev_addr_type(struct net *net, const struct net_device *dev, __be32 addr)
{
	return __inet_dev_addr_type(net, dev, addr);
}

__be32 fib_compute_spec_dst(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct rtable *rt = skb_rtable(skb);
	struct in_device *in_dev;
	struct fib_result res;
	struct flowi4 fl4;
	struct net *net;
	int scope;

	if (rt && (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST | RTCF_LOCAL)) == RTCF_LOCAL)
		return ip_hdr(skb)->daddr;
	in_dev = dev ? __in_dev_get_rcu(dev) : NULL;
	if (!in_dev)
		return 0;
	net = dev_net(dev);
	scope = RT_SCOPE_UNIVERSE;
	if (!ipv4_is_zeronet(ip_hdr(skb)->saddr)) {
		memset(&fl4, 0, sizeof(fl4));
		fl4.flowi4_iif = LOOPBACK_IFINDEX;
		fl4.daddr = ip_hdr(skb)->saddr;
		fl4.flowi4_tos = RT_TOS(ip_hdr(skb)->tos);
		fl4.flowi4_scope = (u8)scope;
		fl4.flowi4_mark = IN_DEV_SRC_VMARK(in_dev) ? skb->mark : 0;
		if (!fib_lookup(net, &fl4, &res))
			return FIB_RES_PREFSRC(net, res);
	} else {
		scope = RT_SCOPE_LINK;
	}
	return inet_select_addr(dev, ip_hdr(skb)->saddr, scope);
}

/* Given (packet source, input interface) and optional (dst, oif, tos): is the source
 * acceptable (reverse path, local addresses)? (3.10 __fib_validate_source) */
static int __fib_validate_source(struct sk_buff *skb, __be32 src, __be32 dst, u8 tos, int oif,
				 struct net_device *dev, int rpf, struct in_device *idev,
				 u32 *itag)
{
	struct net *net = dev_net(dev);
	struct fib_result res;
	struct flowi4 fl4;
	int ret, no_addr, accept_local;

	memset(&fl4, 0, sizeof(fl4));
	fl4.flowi4_oif = 0;
	fl4.flowi4_iif = oif;
	fl4.daddr = src;
	fl4.saddr = dst;
	fl4.flowi4_tos = tos;
	fl4.flowi4_scope = RT_SCOPE_UNIVERSE;
	no_addr = idev->ifa_list == NULL;
	accept_local = IN_DEV_ACCEPT_LOCAL(idev);
	fl4.flowi4_mark = IN_DEV_SRC_VMARK(idev) ? skb->mark : 0;

	if (fib_lookup(net, &fl4, &res))
		goto last_resort;
	if (res.type != RTN_UNICAST) {
		/* A source that is one of our addresses (or broadcast) is martian. */
		if (res.type != RTN_LOCAL || !accept_local)
			return -EINVAL;
	}
	*itag = 0;
	if (FIB_RES_DEV(res) == dev)
		return FIB_RES_NH(res).nh_scope >= RT_SCOPE_HOST;
	if (no_addr)
		goto last_resort;
	if (rpf == 1)
		return -EXDEV;
	fl4.flowi4_oif = dev->ifindex;
	ret = 0;
	if (fib_lookup(net, &fl4, &res) == 0) {
		if (res.type == RTN_UNICAST)
			ret = FIB_RES_NH(res).nh_scope >= RT_SCOPE_HOST;
	}
	return ret;

last_resort:
	if (rpf)
		return -EXDEV;
	*itag = 0;
	return 0;
}

int fib_validate_source(struct sk_buff *skb, __be32 src, __be32 dst, u8 tos, int oif,
			struct net_device *dev, struct in_device *idev, u32 *itag)
{
	int r = IN_DEV_RPFILTER(idev);

	/* rp_filter off and no redirect to consider: nothing to check (3.10's fast path, so
	 * a local source seen on input is only checked when rp_filter is on). */
	if (!r && (dev->ifindex != oif || !IN_DEV_TX_REDIRECTS(idev))) {
		*itag = 0;
		return 0;
	}
	return __fib_validate_source(skb, src, dst, tos, oif, dev, r, idev, itag);
}

void fib_flush(struct net *net)
{
	int flushed = 0;

	if (net->ipv4.fib_local)
		flushed += fib_table_flush(net->ipv4.fib_local);
	if (net->ipv4.fib_main)
		flushed += fib_table_flush(net->ipv4.fib_main);
	if (flushed)
		rt_cache_flush(net);
}

int ip_fib_route_add(struct net *net, struct fib_config *cfg)
{
	struct fib_table *tb;

	cfg->fc_nlinfo_nl_net = net;
	tb = fib_new_table(net, cfg->fc_table);
	if (!tb)
		return -ENOBUFS;
	return fib_table_insert(tb, cfg);
}

int ip_fib_route_del(struct net *net, struct fib_config *cfg)
{
	struct fib_table *tb;

	cfg->fc_nlinfo_nl_net = net;
	tb = fib_get_table(net, cfg->fc_table);
	if (!tb)
		return -ESRCH;
	return fib_table_delete(tb, cfg);
}

/* ---- routes that follow addresses ---- */

#define RTM_NEWROUTE	24
#define RTM_DELROUTE	25

/* Add or remove a kernel route (proto kernel) for @ifa: RTN_UNICAST goes in main, the rest
 * (local, broadcast) in local. */
static void fib_magic(int cmd, int type, __be32 dst, int dst_len, struct in_ifaddr *ifa)
{
	struct net *net = dev_net(ifa->ifa_dev->dev);
	struct fib_config cfg = {
		.fc_protocol = RTPROT_KERNEL,
		.fc_type = (u8)type,
		.fc_dst = dst,
		.fc_dst_len = (u8)dst_len,
		.fc_prefsrc = ifa->ifa_local,
		.fc_oif = ifa->ifa_dev->dev->ifindex,
		.fc_nlflags = NLM_F_CREATE | NLM_F_APPEND,
		.fc_nlinfo_nl_net = net,
	};
	struct fib_table *tb;

	if (type == RTN_UNICAST)
		tb = fib_new_table(net, RT_TABLE_MAIN);
	else
		tb = fib_new_table(net, RT_TABLE_LOCAL);
	if (!tb)
		return;
	cfg.fc_table = tb->tb_id;
	cfg.fc_scope = type != RTN_LOCAL ? RT_SCOPE_LINK : RT_SCOPE_HOST;
	if (cmd == RTM_NEWROUTE)
		fib_table_insert(tb, &cfg);
	else
		fib_table_delete(tb, &cfg);
}

void fib_add_ifaddr(struct in_ifaddr *ifa)
{
	struct in_device *in_dev = ifa->ifa_dev;
	struct net_device *dev = in_dev->dev;
	struct in_ifaddr *prim = ifa;
	__be32 mask = ifa->ifa_mask;
	__be32 addr = ifa->ifa_local;
	__be32 prefix = ifa->ifa_address & mask;

	if (ifa->ifa_flags & IFA_F_SECONDARY) {
		prim = inet_ifa_byprefix(in_dev, prefix, mask);
		if (!prim) {
			pr_warn("%s: bug: prim == NULL\n", __func__);
			return;
		}
	}
	/* The address itself: local table, scope host. */
	fib_magic(RTM_NEWROUTE, RTN_LOCAL, addr, 32, prim);

	if (!(dev->flags & IFF_UP))
		return;
	/* Explicitly assigned broadcast address. */
	if (ifa->ifa_broadcast && ifa->ifa_broadcast != htonl(0xFFFFFFFF))
		fib_magic(RTM_NEWROUTE, RTN_BROADCAST, ifa->ifa_broadcast, 32, prim);

	if (!ipv4_is_zeronet(prefix) && !(ifa->ifa_flags & IFA_F_SECONDARY) &&
	    (prefix != addr || ifa->ifa_prefixlen < 32)) {
		/* The subnet: main table (lo's 127/8 is local). */
		fib_magic(RTM_NEWROUTE, dev->flags & IFF_LOOPBACK ? RTN_LOCAL : RTN_UNICAST,
			  prefix, ifa->ifa_prefixlen, prim);
		/* Network-specific broadcasts, when they make sense. */
		if (ifa->ifa_prefixlen < 31) {
			fib_magic(RTM_NEWROUTE, RTN_BROADCAST, prefix, 32, prim);
			fib_magic(RTM_NEWROUTE, RTN_BROADCAST, prefix | ~mask, 32, prim);
		}
	}
}

/* Remove the routes of @ifa that no other address still needs. @iprim: when a secondary is
 * promoted, the primary being deleted (its subnet's routes are handled by the caller). */
void fib_del_ifaddr(struct in_ifaddr *ifa, struct in_ifaddr *iprim)
{
	struct in_device *in_dev = ifa->ifa_dev;
	struct net_device *dev = in_dev->dev;
	struct in_ifaddr *ifa1;
	struct in_ifaddr *prim = ifa, *prim1 = NULL;
	__be32 brd = ifa->ifa_address | ~ifa->ifa_mask;
	__be32 any = ifa->ifa_address & ifa->ifa_mask;
#define LOCAL_OK	1
#define BRD_OK		2
#define BRD0_OK		4
#define BRD1_OK		8
	unsigned int ok = 0;
	int subnet = 0;		/* primary network */
	int gone = 1;		/* the address is missing */
	int same_prefsrc = 0;	/* another primary with the same IP */

	if (ifa->ifa_flags & IFA_F_SECONDARY) {
		prim = inet_ifa_byprefix(in_dev, any, ifa->ifa_mask);
		if (!prim) {
			pr_warn("%s: bug: prim == NULL\n", __func__);
			return;
		}
		if (iprim && iprim != prim) {
			pr_warn("%s: bug: iprim != prim\n", __func__);
			return;
		}
	} else if (!ipv4_is_zeronet(any) && (any != ifa->ifa_local || ifa->ifa_prefixlen < 32)) {
		fib_magic(RTM_DELROUTE, dev->flags & IFF_LOOPBACK ? RTN_LOCAL : RTN_UNICAST, any,
			  ifa->ifa_prefixlen, prim);
		subnet = 1;
	}

	/* Deleting is harder than adding: the other addresses may still need a route. */
	for (ifa1 = in_dev->ifa_list; ifa1; ifa1 = ifa1->ifa_next) {
		if (ifa1 == ifa) {
			/* promotion, keep the IP */
			gone = 0;
			continue;
		}
		/* Ignore the addresses of our subnet. */
		if (iprim && ifa1->ifa_mask == iprim->ifa_mask &&
		    inet_ifa_match(ifa1->ifa_address, iprim))
			continue;
		/* Ignore those that use another primary IP (prefsrc). */
		if (ifa1->ifa_flags & IFA_F_SECONDARY) {
			/* Another address of our subnet? */
			if (ifa1->ifa_mask == prim->ifa_mask &&
			    inet_ifa_match(ifa1->ifa_address, prim)) {
				prim1 = prim;
			} else {
				/* We reached the secondaries: same_prefsrc is known. */
				if (!same_prefsrc)
					continue;
				/* A new prim1 if ifa1 does not use the current one. */
				if (!prim1 || ifa1->ifa_mask != prim1->ifa_mask ||
				    !inet_ifa_match(ifa1->ifa_address, prim1))
					prim1 = inet_ifa_byprefix(in_dev, ifa1->ifa_address,
								  ifa1->ifa_mask);
				if (!prim1)
					continue;
				if (prim1->ifa_local != prim->ifa_local)
					continue;
			}
		} else {
			if (prim->ifa_local != ifa1->ifa_local)
				continue;
			prim1 = ifa1;
			if (prim != prim1)
				same_prefsrc = 1;
		}
		if (ifa->ifa_local == ifa1->ifa_local)
			ok |= LOCAL_OK;
		if (ifa->ifa_broadcast == ifa1->ifa_broadcast)
			ok |= BRD_OK;
		if (brd == ifa1->ifa_broadcast)
			ok |= BRD1_OK;
		if (any == ifa1->ifa_broadcast)
			ok |= BRD0_OK;
		/* The primary has network-specific broadcasts. */
		if (prim1 == ifa1 && ifa1->ifa_prefixlen < 31) {
			__be32 brd1 = ifa1->ifa_address | ~ifa1->ifa_mask;
			__be32 any1 = ifa1->ifa_address & ifa1->ifa_mask;

			if (!ipv4_is_zeronet(any1)) {
				if (ifa->ifa_broadcast == brd1 || ifa->ifa_broadcast == any1)
					ok |= BRD_OK;
				if (brd == brd1 || brd == any1)
					ok |= BRD1_OK;
				if (any == brd1 || any == any1)
					ok |= BRD0_OK;
			}
		}
	}

	if (!(ok & BRD_OK))
		fib_magic(RTM_DELROUTE, RTN_BROADCAST, ifa->ifa_broadcast, 32, prim);
	if (subnet && ifa->ifa_prefixlen < 31) {
		if (!(ok & BRD1_OK))
			fib_magic(RTM_DELROUTE, RTN_BROADCAST, brd, 32, prim);
		if (!(ok & BRD0_OK))
			fib_magic(RTM_DELROUTE, RTN_BROADCAST, any, 32, prim);
	}
	if (!(ok & LOCAL_OK)) {
		fib_magic(RTM_DELROUTE, RTN_LOCAL, ifa->ifa_local, 32, prim);
		/* Is the local address finally gone? Then routes using it as prefsrc die. */
		if (gone && inet_addr_type(dev_net(dev), ifa->ifa_local) != RTN_LOCAL) {
			if (fib_sync_down_addr(dev_net(dev), ifa->ifa_local))
				fib_flush(dev_net(dev));
		}
	}
#undef LOCAL_OK
#undef BRD_OK
#undef BRD0_OK
#undef BRD1_OK
}

void fib_disable_ip(struct net_device *dev, int force)
{
	if (fib_sync_down_dev(dev, force))
		fib_flush(dev_net(dev));
	rt_cache_flush(dev_net(dev));
	arp_ifdown(dev);
}

/* The inetaddr chain: an address came (NETDEV_UP) or went (NETDEV_DOWN). rtnl held. */
static int fib_inetaddr_event(struct notifier_block *this, unsigned long event, void *ptr)
{
	struct in_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->ifa_dev->dev;
	struct net *net = dev_net(dev);

	switch (event) {
	case NETDEV_UP:
		fib_add_ifaddr(ifa);
		atomic_inc(&net->ipv4.dev_addr_genid);
		rt_cache_flush(net);
		/* DIVERGES: announce the new address (gratuitous ARP request). 3.10 does it
		 * only with arp_notify=1 on link events; on Linux systems the tools that add
		 * addresses (ifup's arping -U, NetworkManager) send it, and `ip addr add` in
		 * ulnet does, so that a lab sees it on the wire. The local route exists now. */
		arp_send_gratuitous(dev, ifa->ifa_local);
		break;
	case NETDEV_DOWN:
		fib_del_ifaddr(ifa, NULL);
		atomic_inc(&net->ipv4.dev_addr_genid);
		if (!ifa->ifa_dev->ifa_list) {
			/* The last address went: IP is off on this device. */
			fib_disable_ip(dev, 1);
		} else {
			rt_cache_flush(net);
		}
		break;
	}
	return NOTIFY_DONE;
}

/* The netdevice chain: link up re-adds the address routes, link down kills the routes
 * through the device (and its neighbours), unregister removes everything. rtnl held. */
static int fib_netdev_event(struct notifier_block *this, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct in_device *in_dev;

	if (event == NETDEV_UNREGISTER) {
		fib_disable_ip(dev, 2);
		rt_flush_dev(dev);
		return NOTIFY_DONE;
	}
	in_dev = __in_dev_get_rtnl(dev);
	if (!in_dev)
		return NOTIFY_DONE;
	switch (event) {
	case NETDEV_UP:
		for_ifa(in_dev) {
			fib_add_ifaddr(ifa);
		} endfor_ifa(in_dev);
		rt_cache_flush(dev_net(dev));
		break;
	case NETDEV_DOWN:
		fib_disable_ip(dev, 0);
		break;
	case NETDEV_CHANGEMTU:
	case NETDEV_CHANGE:
		rt_cache_flush(dev_net(dev));
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block fib_inetaddr_notifier = {
	.notifier_call = fib_inetaddr_event,
};

static struct notifier_block fib_netdev_notifier = {
	.notifier_call = fib_netdev_event,
};

/* ---- per-namespace tables ---- */

static int ip_fib_net_init(struct net *net)
{
	net->ipv4.fib_local = fib_trie_table(RT_TABLE_LOCAL, net);
	net->ipv4.fib_main = fib_trie_table(RT_TABLE_MAIN, net);
	if (!net->ipv4.fib_local || !net->ipv4.fib_main) {
		fib_free_table(net->ipv4.fib_local);
		fib_free_table(net->ipv4.fib_main);
		net->ipv4.fib_local = net->ipv4.fib_main = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void ip_fib_net_exit(struct net *net)
{
	/* Devices are gone; what is left are user routes without a device (unreachable...)
	 * and routes of devices that left without notifying. */
	fib_free_table(net->ipv4.fib_local);
	fib_free_table(net->ipv4.fib_main);
	net->ipv4.fib_local = net->ipv4.fib_main = NULL;
}

static struct pernet_operations fib_net_ops = {
	.init = ip_fib_net_init,
	.exit = ip_fib_net_exit,
};

/* Boot (from ip_rt_init). devinet is already up: registering the netdevice notifier replays
 * NETDEV_UP for every device, which adds the routes of addresses that exist (lo's
 * 127.0.0.1), as in Linux. */
int ip_fib_init(void)
{
	int err;

	err = fib_semantics_init();
	if (err)
		return err;
	err = fib_trie_init();
	if (err)
		goto out_sem;
	err = register_pernet_subsys(&fib_net_ops);
	if (err)
		goto out_trie;
	proc_create_single("net/route", fib_proc_show, NULL);
	rtnl_lock();
	register_inetaddr_notifier(&fib_inetaddr_notifier);
	rtnl_unlock();
	register_netdevice_notifier(&fib_netdev_notifier);
	return 0;

out_trie:
	fib_trie_fini();
out_sem:
	fib_semantics_fini();
	return err;
}

void ip_fib_fini(void)
{
	unregister_netdevice_notifier(&fib_netdev_notifier);
	rtnl_lock();
	unregister_inetaddr_notifier(&fib_inetaddr_notifier);
	rtnl_unlock();
	proc_remove_path("net/route");
	unregister_pernet_subsys(&fib_net_ops);
	fib_trie_fini();
	fib_semantics_fini();
}
