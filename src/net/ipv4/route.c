/* SPDX-License-Identifier: MIT */
/* IPv4 routes for packets: what a received packet does (deliver, forward, drop with an ICMP
 * error) and which way a locally sent one leaves, both decided by the FIB.
 * Mirrors linux/net/ipv4/route.c (3.10, after the routing cache's removal in 3.6):
 * ip_route_input_noref, ip_route_input_slow, ip_mkroute_input/__mkroute_input,
 * ip_handle_martian_source, ip_error, __ip_route_output_key, __mkroute_output,
 * ip_route_output_flow, rt_dst_alloc, rt_set_nexthop, rt_cache_route, rt_cache_valid,
 * rt_cache_flush (rt_genid), rt_flush_dev, ipv4_dst_ops (ipv4_mtu, ipv4_dst_check,
 * ipv4_default_advmss, ipv4_link_failure, ipv4_neigh_lookup, ip_rt_update_pmtu),
 * ipv4_update_pmtu, ip_rt_get_source, ip_rt_init, /proc/net/stat/rt_cache.
 *
 * Route cache, 3.10 style: no hash of flows. The rtable a nexthop produces is cached in the
 * fib_nh (nh_rth_input; one nh_pcpu_rth_output per CPU) and handed to every flow through
 * it; rt_cache_flush bumps the namespace's rt_genid so that cached entries are rebuilt on
 * their next use. Routes that cannot be shared (broadcast, errors, redirects, no fib_info)
 * are DST_NOCACHE, listed on rt_uncached_list and freed by their last user.
 *
 * DIVERGES: a cached route nobody uses is freed by an idle-route gc (every
 * net.ipv4.route.gc_min_interval_ms, 500 ms, while routes are cached; a route unused that
 * long goes). 3.10 keeps it until the nexthop changes; ulnet frees idle memory so that an
 * idle stack holds no route objects (and a test's leak check sees none).
 * DIVERGES: no per-destination nexthop exceptions (fib_nh_exception): a learnt PMTU
 * (ICMP frag needed) is stored on the route itself, so it applies to every destination
 * sharing the nexthop's cached route until ip_rt_mtu_expires. No multicast input routes (no
 * IGMP): multicast destinations are refused (-EINVAL). No ICMP redirects are sent.
 *
 * Context: input routing in softirq (ip_rcv_finish, arp_process); output routing in any
 * context. Locking: lookups take no lock; rt_uncached_lock guards the uncached list. */
#include "net/route.h"
#include <stdlib.h>
#include "linux/errno.h"
#include "linux/etherdevice.h"
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/percpu.h"
#include "linux/random.h"
#include "linux/rtnetlink.h"
#include "linux/seq_file.h"
#include "linux/slab.h"
#include "linux/sysctl.h"
#include "net/arp.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/inetdevice.h"
#include "net/inetpeer.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/net_namespace.h"
#include "trace/path.h"
#include "fib_lookup.h"

/* net.ipv4.route.* (facts.md §1.4) */
int ip_rt_min_pmtu = 512 + 20 + 20;
int ip_rt_mtu_expires = 10 * 60 * HZ;
int ip_rt_min_advmss = 256;
int ip_rt_error_cost = HZ;
int ip_rt_error_burst = 5 * HZ;
int ip_rt_gc_timeout = 300 * HZ;
int ip_rt_gc_interval = 60 * HZ;
int ip_rt_redirect_number = 9;
int ip_rt_redirect_load = HZ / 50;
int ip_rt_redirect_silence = ((HZ / 50) << (9 + 1));
int ip_rt_gc_min_interval = HZ / 2;

static struct dst_ops ipv4_dst_ops;
static LIST_HEAD(rt_uncached_list);
static LIST_HEAD(rt_cached_list);	/* routes held in a fib_nh slot */
static DEFINE_SPINLOCK(rt_uncached_lock);	/* both lists */
static struct timer_list rt_cache_gc_timer;

static inline int rt_genid(struct net *net)
{
	return atomic_read(&net->ipv4.rt_genid);
}

void rt_cache_flush(struct net *net)
{
	if (net)
		atomic_inc(&net->ipv4.rt_genid);
}

static inline bool rt_is_expired(const struct rtable *rth)
{
	return !rth->dst.dev || rth->rt_genid != rt_genid(dev_net(rth->dst.dev));
}

/* ---- dst_ops ---- */

static struct dst_entry *ipv4_dst_check(struct dst_entry *dst, u32 cookie)
{
	struct rtable *rt = (struct rtable *)dst;

	/* All IPv4 dsts are created with ->obsolete set to DST_OBSOLETE_FORCE_CHK so that
	 * sockets come here; a flushed or freed route is not valid any more. */
	if (dst->obsolete != DST_OBSOLETE_FORCE_CHK || rt_is_expired(rt))
		return NULL;
	return dst;
}

static unsigned int ipv4_default_advmss(const struct dst_entry *dst)
{
	unsigned int advmss = dst->dev ? dst->dev->mtu - 40 : 0;

	advmss = max_t(unsigned int, advmss, (unsigned int)ip_rt_min_advmss);
	if (advmss > 65535 - 40)
		advmss = 65535 - 40;
	return advmss;
}

unsigned int ipv4_mtu(const struct dst_entry *dst)
{
	const struct rtable *rt = (const struct rtable *)dst;
	unsigned int mtu = rt->rt_pmtu;

	if (!mtu || time_after_eq(jiffies, rt->dst.expires))
		mtu = dst_metric_raw(dst, RTAX_MTU);
	if (mtu)
		return mtu;
	mtu = dst->dev ? dst->dev->mtu : 576;
	if (unlikely(dst_metric_locked(dst, RTAX_MTU))) {
		if (rt->rt_uses_gateway && mtu > 576)
			mtu = 576;
	}
	if (mtu > IP_MAX_MTU)
		mtu = IP_MAX_MTU;
	return mtu;
}

static void ipv4_dst_destroy(struct dst_entry *dst)
{
	struct rtable *rt = (struct rtable *)dst;

	if (!list_empty(&rt->rt_uncached)) {
		spin_lock_bh(&rt_uncached_lock);
		list_del(&rt->rt_uncached);
		spin_unlock_bh(&rt_uncached_lock);
	}
}

static struct dst_entry *ipv4_negative_advice(struct dst_entry *dst)
{
	struct rtable *rt = (struct rtable *)dst;

	if (rt && (dst->obsolete > 0 || (rt->rt_flags & RTCF_REDIRECTED) || rt->dst.expires)) {
		ip_rt_put(rt);
		return NULL;
	}
	return dst;
}

/* A queued packet could not be resolved (neighbour failed): tell its sender. */
static void ipv4_link_failure(struct sk_buff *skb)
{
	struct rtable *rt;

	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	rt = skb_rtable(skb);
	if (rt)
		dst_set_expires(&rt->dst, 0);
}

static void __ip_rt_update_pmtu(struct rtable *rt, u32 mtu)
{
	struct dst_entry *dst = &rt->dst;

	if (dst_metric_locked(dst, RTAX_MTU))
		return;
	if (dst->dev && dst->dev->mtu < mtu)
		return;
	if (mtu < (u32)ip_rt_min_pmtu)
		mtu = (u32)ip_rt_min_pmtu;
	if (rt->rt_pmtu == mtu && time_before(jiffies, dst->expires - ip_rt_mtu_expires / 2))
		return;
	rt->rt_pmtu = mtu;
	dst->expires = 0;
	dst_set_expires(dst, ip_rt_mtu_expires);
}

static void ip_rt_update_pmtu(struct dst_entry *dst, struct sock *sk, struct sk_buff *skb,
			      u32 mtu)
{
	__ip_rt_update_pmtu((struct rtable *)dst, mtu);
}

void ipv4_update_pmtu(struct sk_buff *skb, struct net *net, u32 mtu, int oif, u32 mark,
		      u8 protocol, int flow_flags)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	struct flowi4 fl4;
	struct rtable *rt;

	/* @skb->data is the header quoted by the ICMP error: the flow we sent. */
	flowi4_init_output(&fl4, oif, mark, RT_TOS(iph->tos), RT_SCOPE_UNIVERSE, protocol,
			   (u8)flow_flags, iph->daddr, iph->saddr, 0, 0);
	rt = __ip_route_output_key(net, &fl4);
	if (!IS_ERR(rt)) {
		__ip_rt_update_pmtu(rt, mtu);
		ip_rt_put(rt);
	}
}

static struct neighbour *ipv4_neigh_lookup(const struct dst_entry *dst, struct sk_buff *skb,
					   const void *daddr)
{
	const struct rtable *rt = (const struct rtable *)dst;
	struct net_device *dev = dst->dev;
	struct neighbour *n;
	__be32 key = 0;

	if (!dev)
		return NULL;
	if (rt->rt_gateway)
		key = rt->rt_gateway;
	else if (skb)
		key = ip_hdr(skb)->daddr;
	else if (daddr)
		memcpy(&key, daddr, sizeof(key));
	n = __ipv4_neigh_lookup(dev, key);
	if (n)
		return n;
	n = neigh_create(&arp_tbl, &key, dev);
	return IS_ERR(n) ? NULL : n;
}

static int ip_rt_bug(struct sk_buff *skb)
{
	pr_debug("ip_rt_bug: an input route used for output\n");
	kfree_skb(skb);
	WARN_ON(1);
	return 0;
}

static struct dst_ops ipv4_dst_ops = {
	.family = AF_INET,
	.check = ipv4_dst_check,
	.default_advmss = ipv4_default_advmss,
	.mtu = ipv4_mtu,
	.destroy = ipv4_dst_destroy,
	.negative_advice = ipv4_negative_advice,
	.link_failure = ipv4_link_failure,
	.update_pmtu = ip_rt_update_pmtu,
	.neigh_lookup = ipv4_neigh_lookup,
};

/* ---- building routes ---- */

static struct rtable *rt_dst_alloc(struct net_device *dev, bool nopolicy, bool noxfrm,
				   bool will_cache)
{
	struct rtable *rt;

	rt = dst_alloc(&ipv4_dst_ops, dev, 1, (unsigned short)DST_OBSOLETE_FORCE_CHK,
		       (unsigned short)((will_cache ? 0 : (DST_HOST | DST_NOCACHE)) |
					(nopolicy ? DST_NOPOLICY : 0) |
					(noxfrm ? DST_NOXFRM : 0)));
	if (rt)
		INIT_LIST_HEAD(&rt->rt_uncached);
	return rt;
}

static void rt_add_uncached_list(struct rtable *rt)
{
	spin_lock_bh(&rt_uncached_lock);
	list_add_tail(&rt->rt_uncached, &rt_uncached_list);
	spin_unlock_bh(&rt_uncached_lock);
}

/* The slot lets go of @rt (replaced, nexthop gone, idle): it dies with its last user. */
static void rt_slot_release(struct rtable *rt)
{
	spin_lock_bh(&rt_uncached_lock);
	list_del_init(&rt->rt_uncached);
	rt->rt_cache_slot = NULL;
	spin_unlock_bh(&rt_uncached_lock);
	dst_free(&rt->dst);
}

/* The nexthop's cache slot for @rt: the input one or this CPU's output one. False when
 * another CPU filled the slot meanwhile (3.10's cmpxchg): the caller keeps @rt uncached. The
 * input slot is shared by the CPUs; on posix, two threads of one CPU (two tasks connecting
 * at once) also race for its output slot. A plain store there let the second route
 * overwrite the first, which then had no slot: nothing but rt_cache_gc freed it, and a
 * namespace's teardown found it still holding lo. */
static bool rt_cache_route(struct fib_nh *nh, struct rtable *rt)
{
	struct rtable *orig, **p;

	if (rt_is_input_route(rt))
		p = &nh->nh_rth_input;
	else
		p = &nh->nh_pcpu_rth_output[smp_processor_id()];
	orig = __atomic_load_n(p, __ATOMIC_RELAXED);
	if (!__atomic_compare_exchange_n(p, &orig, rt, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		return false;
	spin_lock_bh(&rt_uncached_lock);
	rt->rt_cache_slot = p;
	list_add_tail(&rt->rt_uncached, &rt_cached_list);
	if (!timer_pending(&rt_cache_gc_timer))
		mod_timer(&rt_cache_gc_timer, jiffies + (unsigned long)ip_rt_gc_min_interval);
	spin_unlock_bh(&rt_uncached_lock);
	if (orig)
		rt_slot_release(orig);
	return true;
}

/* Free the cached routes nobody used for ip_rt_gc_min_interval. Context: TIMER_SOFTIRQ. */
static void rt_cache_gc(struct timer_list *t)
{
	struct rtable *rt, *tmp;
	LIST_HEAD(dead);

	spin_lock_bh(&rt_uncached_lock);
	list_for_each_entry_safe(rt, tmp, &rt_cached_list, rt_uncached) {
		if (dst_refcnt(&rt->dst) ||
		    time_before(jiffies, rt->dst.lastuse + (unsigned long)ip_rt_gc_min_interval))
			continue;
		if (rt->rt_cache_slot && *rt->rt_cache_slot == rt)
			*rt->rt_cache_slot = NULL;
		rt->rt_cache_slot = NULL;
		list_move_tail(&rt->rt_uncached, &dead);
	}
	if (!list_empty(&rt_cached_list))
		mod_timer(&rt_cache_gc_timer, jiffies + (unsigned long)ip_rt_gc_min_interval);
	spin_unlock_bh(&rt_uncached_lock);
	list_for_each_entry_safe(rt, tmp, &dead, rt_uncached) {
		list_del_init(&rt->rt_uncached);
		dst_free(&rt->dst);
	}
}

static bool rt_cache_valid(const struct rtable *rt)
{
	return rt && rt->dst.obsolete == DST_OBSOLETE_FORCE_CHK && !rt_is_expired(rt);
}

static void rt_fibinfo_free(struct rtable **rtp)
{
	struct rtable *rt = *rtp;

	if (!rt)
		return;
	*rtp = NULL;
	rt_slot_release(rt);
}

void rt_nexthop_cache_free(struct fib_nh *nh)
{
	int cpu;

	rt_fibinfo_free(&nh->nh_rth_input);
	if (nh->nh_pcpu_rth_output)
		for_each_possible_cpu(cpu)
			rt_fibinfo_free(&nh->nh_pcpu_rth_output[cpu]);
}

void rt_flush_dev(struct net_device *dev)
{
	struct rtable *rt;

	spin_lock_bh(&rt_uncached_lock);
	list_for_each_entry(rt, &rt_uncached_list, rt_uncached) {
		if (rt->dst.dev != dev)
			continue;
		rt->dst.dev = dev_net(dev)->loopback_dev;
		if (rt->dst.dev == dev)
			rt->dst.dev = NULL;	/* lo itself goes: the namespace is dying */
		if (rt->dst.dev)
			dev_hold(rt->dst.dev);
		dev_put(dev);
	}
	spin_unlock_bh(&rt_uncached_lock);
}

static void rt_init_metrics(struct rtable *rt, const struct fib_info *fi)
{
	if (memcmp(fi->fib_metrics, dst_default_metrics, sizeof(fi->fib_metrics))) {
		memcpy(rt->rt_metrics, fi->fib_metrics, sizeof(rt->rt_metrics));
		rt->dst._metrics = rt->rt_metrics;
	}
}

static void rt_set_nexthop(struct rtable *rt, __be32 daddr, const struct fib_result *res,
			   struct fib_info *fi, u16 type)
{
	bool cached = false;

	if (fi) {
		struct fib_nh *nh = &FIB_RES_NH(*res);

		if (nh->nh_gw && nh->nh_scope == RT_SCOPE_LINK) {
			rt->rt_gateway = nh->nh_gw;
			rt->rt_uses_gateway = 1;
		}
		rt_init_metrics(rt, fi);
		if (!(rt->dst.flags & DST_NOCACHE))
			cached = rt_cache_route(nh, rt);
		if (unlikely(!cached)) {
			/* Not shared: it is this destination's own route. */
			rt->dst.flags |= DST_NOCACHE;
			if (!rt->rt_gateway)
				rt->rt_gateway = daddr;
			rt_add_uncached_list(rt);
		}
	} else {
		rt_add_uncached_list(rt);
	}
}

/* ---- input ---- */

static void ip_handle_martian_source(struct net_device *dev, struct in_device *in_dev,
				     struct sk_buff *skb, __be32 daddr, __be32 saddr)
{
	RT_CACHE_STAT_INC(dev_net(dev), in_martian_src);
	if (IN_DEV_LOG_MARTIANS(in_dev) && net_ratelimit()) {
		char d[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];

		/* RFC 1812: if the source is martian, the only hint is the MAC header. */
		inet_ntop(AF_INET, &daddr, d, sizeof(d));
		inet_ntop(AF_INET, &saddr, s, sizeof(s));
		pr_warn("martian source %s from %s, on dev %s\n", d, s, dev->name);
	}
}

/* The dst ->input of routes to nowhere: ICMP unreachable to the sender (rate limited by
 * ip_rt_error_cost/burst per source), counted. Consumes @skb. */
int ip_error(struct sk_buff *skb)
{
	struct in_device *in_dev = __in_dev_get_rcu(skb->dev);
	struct rtable *rt = skb_rtable(skb);
	struct inet_peer *peer;
	struct net *net;
	bool send;
	int code;

	UL_TRACE(skb);
	if (!in_dev || !rt)
		goto out;
	net = dev_net(skb->dev);
	if (!IN_DEV_FORWARD(in_dev)) {
		switch (rt->dst.error) {
		case EHOSTUNREACH:
			IP_INC_STATS_BH(net, IPSTATS_MIB_INADDRERRORS);
			kfree_skb_reason(skb, SKB_DROP_REASON_IP_INADDRERRORS);
			return 0;
		case ENETUNREACH:
			IP_INC_STATS_BH(net, IPSTATS_MIB_INNOROUTES);
			kfree_skb_reason(skb, SKB_DROP_REASON_IP_INNOROUTES);
			return 0;
		}
		goto out;
	}
	switch (rt->dst.error) {
	case EINVAL:
	default:
		goto out;
	case EHOSTUNREACH:
		code = ICMP_HOST_UNREACH;
		break;
	case ENETUNREACH:
		code = ICMP_NET_UNREACH;
		IP_INC_STATS_BH(net, IPSTATS_MIB_INNOROUTES);
		break;
	case EACCES:
		code = ICMP_PKT_FILTERED;
		break;
	}
	send = true;
	peer = inet_getpeer_v4(net->ipv4.peers, ip_hdr(skb)->saddr, 1);
	if (peer) {
		unsigned long now = jiffies;

		peer->rate_tokens += (u32)(now - peer->rate_last);
		if (peer->rate_tokens > (u32)ip_rt_error_burst)
			peer->rate_tokens = (u32)ip_rt_error_burst;
		peer->rate_last = now;
		if (peer->rate_tokens >= (u32)ip_rt_error_cost)
			peer->rate_tokens -= (u32)ip_rt_error_cost;
		else
			send = false;
		inet_putpeer(peer);
	}
	if (send)
		icmp_send(skb, ICMP_DEST_UNREACH, code, 0);
out:
	kfree_skb_reason(skb, SKB_DROP_REASON_IP_INNOROUTES);
	return 0;
}

/* A forwarding route (ip_forward) for @skb through the nexthop of @res. */
static int __mkroute_input(struct sk_buff *skb, const struct fib_result *res,
			   struct in_device *in_dev, __be32 daddr, __be32 saddr, u32 tos)
{
	struct in_device *out_dev;
	unsigned int flags = 0;
	struct rtable *rth;
	bool do_cache;
	u32 itag = 0;
	int err;

	out_dev = __in_dev_get_rcu(FIB_RES_DEV(*res));
	if (!out_dev) {
		net_crit_ratelimited("Bug in ip_route_input_slow(). Please report.\n");
		return -EINVAL;
	}
	err = fib_validate_source(skb, saddr, daddr, (u8)tos, FIB_RES_OIF(*res), in_dev->dev,
				  in_dev, &itag);
	if (err < 0) {
		ip_handle_martian_source(in_dev->dev, in_dev, skb, daddr, saddr);
		return err;
	}
	do_cache = res->fi && !itag;
	if (out_dev == in_dev && err && IN_DEV_TX_REDIRECTS(out_dev) &&
	    (IN_DEV_SHARED_MEDIA(out_dev) || inet_addr_onlink(out_dev, saddr, FIB_RES_GW(*res)))) {
		flags |= RTCF_DOREDIRECT;
		do_cache = false;
	}
	if (skb->protocol != htons(ETH_P_IP)) {
		/* Not IP (ARP): no route back out of the same interface (no proxy ARP). */
		if (out_dev == in_dev && IN_DEV_PROXY_ARP_PVLAN(in_dev) == 0)
			return -EINVAL;
	}
	if (do_cache) {
		rth = FIB_RES_NH(*res).nh_rth_input;
		if (rt_cache_valid(rth)) {
			rth->dst.lastuse = jiffies;
			skb_dst_set_noref(skb, &rth->dst);
			return 0;
		}
	}
	rth = rt_dst_alloc(out_dev->dev, IN_DEV_CONF_GET(in_dev, NOPOLICY),
			   IN_DEV_CONF_GET(out_dev, NOXFRM), do_cache);
	if (!rth)
		return -ENOBUFS;
	rth->rt_genid = rt_genid(dev_net(rth->dst.dev));
	rth->rt_flags = flags;
	rth->rt_type = res->type;
	rth->rt_is_input = 1;
	rth->rt_iif = 0;
	rth->rt_pmtu = 0;
	rth->rt_gateway = 0;
	rth->rt_uses_gateway = 0;
	rth->dst.input = ip_forward;
	rth->dst.output = ip_output;
	rt_set_nexthop(rth, daddr, res, res->fi, res->type);
	skb_dst_set(skb, &rth->dst);
	return 0;
}

/* NOTE: the flow key is (daddr, saddr, tos, iif). Context: softirq. */
static int ip_route_input_slow(struct sk_buff *skb, __be32 daddr, __be32 saddr, u8 tos,
			       struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get_rcu(dev);
	struct net *net = dev_net(dev);
	struct fib_result res;
	struct flowi4 fl4;
	unsigned int flags = 0;
	struct rtable *rth;
	bool do_cache;
	u32 itag = 0;
	int err = -EINVAL;

	UL_TRACE(skb);
	/* IP on this device is disabled. */
	if (!in_dev)
		goto out;

	/* Martians that fib_lookup cannot detect. */
	if (ipv4_is_multicast(saddr) || ipv4_is_lbcast(saddr))
		goto martian_source;

	res.fi = NULL;
	res.table = NULL;
	if (ipv4_is_lbcast(daddr) || (saddr == 0 && daddr == 0))
		goto brd_input;

	/* Zero addresses are accepted only towards the limited broadcast. */
	if (ipv4_is_zeronet(saddr))
		goto martian_source;
	if (ipv4_is_zeronet(daddr))
		goto martian_destination;

	/* 127/8 on the wire is martian unless route_localnet. */
	if (ipv4_is_loopback(daddr)) {
		if (!IN_DEV_NET_ROUTE_LOCALNET(in_dev, net))
			goto martian_destination;
	} else if (ipv4_is_loopback(saddr)) {
		if (!IN_DEV_NET_ROUTE_LOCALNET(in_dev, net))
			goto martian_source;
	}

	/* Now we are ready to route the packet. */
	memset(&fl4, 0, sizeof(fl4));
	fl4.flowi4_oif = 0;
	fl4.flowi4_iif = dev->ifindex;
	fl4.flowi4_mark = skb->mark;
	fl4.flowi4_tos = tos;
	fl4.flowi4_scope = RT_SCOPE_UNIVERSE;
	fl4.daddr = daddr;
	fl4.saddr = saddr;
	err = fib_lookup(net, &fl4, &res);
	if (err != 0)
		goto no_route;

	RT_CACHE_STAT_INC(net, in_slow_tot);

	if (res.type == RTN_BROADCAST)
		goto brd_input;

	if (res.type == RTN_LOCAL) {
		err = fib_validate_source(skb, saddr, daddr, tos, LOOPBACK_IFINDEX, dev, in_dev,
					  &itag);
		if (err < 0)
			goto martian_source_keep_err;
		goto local_input;
	}

	/* Not ours: forward only if this interface forwards (net.ipv4.ip_forward). */
	if (!IN_DEV_FORWARD(in_dev)) {
		err = -EHOSTUNREACH;
		goto no_route;
	}
	if (res.type != RTN_UNICAST)
		goto martian_destination;

	err = __mkroute_input(skb, &res, in_dev, daddr, saddr, tos);
out:
	return err;

brd_input:
	if (skb->protocol != htons(ETH_P_IP))
		goto e_inval;
	if (!ipv4_is_zeronet(saddr)) {
		err = fib_validate_source(skb, saddr, 0, tos, 0, dev, in_dev, &itag);
		if (err < 0)
			goto martian_source_keep_err;
	}
	flags |= RTCF_BROADCAST;
	res.type = RTN_BROADCAST;
	RT_CACHE_STAT_INC(net, in_brd);

local_input:
	do_cache = false;
	if (res.fi) {
		if (!itag) {
			rth = FIB_RES_NH(res).nh_rth_input;
			if (rt_cache_valid(rth)) {
				rth->dst.lastuse = jiffies;
				skb_dst_set_noref(skb, &rth->dst);
				err = 0;
				goto out;
			}
			do_cache = true;
		}
	}
	rth = rt_dst_alloc(net->loopback_dev, IN_DEV_CONF_GET(in_dev, NOPOLICY), false, do_cache);
	if (!rth)
		goto e_nobufs;
	rth->dst.input = ip_local_deliver;
	rth->dst.output = ip_rt_bug;
	rth->rt_genid = rt_genid(net);
	rth->rt_flags = flags | RTCF_LOCAL;
	rth->rt_type = res.type;
	rth->rt_is_input = 1;
	rth->rt_iif = 0;
	rth->rt_pmtu = 0;
	rth->rt_gateway = 0;
	rth->rt_uses_gateway = 0;
	if (res.type == RTN_UNREACHABLE) {
		rth->dst.input = ip_error;
		rth->dst.error = (short)-err;
		rth->rt_flags &= ~RTCF_LOCAL;
	}
	if (!do_cache || unlikely(!rt_cache_route(&FIB_RES_NH(res), rth))) {
		rth->dst.flags |= DST_NOCACHE;
		rt_add_uncached_list(rth);
	}
	skb_dst_set(skb, &rth->dst);
	err = 0;
	goto out;

no_route:
	RT_CACHE_STAT_INC(net, in_no_route);
	res.type = RTN_UNREACHABLE;
	if (err == -ESRCH)
		err = -ENETUNREACH;
	res.fi = NULL;
	goto local_input;

	/* Martian addresses are not cached: they should be logged (RFC 1812). */
martian_destination:
	RT_CACHE_STAT_INC(net, in_martian_dst);
	if (IN_DEV_LOG_MARTIANS(in_dev) && net_ratelimit()) {
		char d[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &daddr, d, sizeof(d));
		inet_ntop(AF_INET, &saddr, s, sizeof(s));
		pr_warn("martian destination %s from %s, dev %s\n", d, s, dev->name);
	}
e_inval:
	err = -EINVAL;
	goto out;

e_nobufs:
	err = -ENOBUFS;
	goto out;

martian_source:
	err = -EINVAL;
martian_source_keep_err:
	ip_handle_martian_source(dev, in_dev, skb, daddr, saddr);
	goto out;
}

int ip_route_input_noref(struct sk_buff *skb, __be32 daddr, __be32 saddr, u8 tos,
			 struct net_device *dev)
{
	if (!skb || !dev)
		return -EINVAL;
	tos &= IPTOS_RT_MASK;
	/* DIVERGES: no multicast routing or IGMP membership: multicast is refused here. */
	if (ipv4_is_multicast(daddr))
		return -EINVAL;
	return ip_route_input_slow(skb, daddr, saddr, tos, dev);
}

int ip_route_input(struct sk_buff *skb, __be32 daddr, __be32 saddr, u8 tos,
		   struct net_device *dev)
{
	int err = ip_route_input_noref(skb, daddr, saddr, tos, dev);

	if (!err)
		skb_dst_force(skb);
	return err;
}

/* ---- output ---- */

static struct rtable *__mkroute_output(const struct fib_result *res, const struct flowi4 *fl4,
				       int orig_oif, struct net_device *dev_out,
				       unsigned int flags)
{
	struct fib_info *fi = res->fi;
	struct in_device *in_dev;
	u16 type = res->type;
	struct rtable *rth;
	bool do_cache;

	in_dev = __in_dev_get_rcu(dev_out);
	if (!in_dev)
		return ERR_PTR(-EINVAL);
	if (likely(!IN_DEV_ROUTE_LOCALNET(in_dev)))
		if (ipv4_is_loopback(fl4->saddr) && !(dev_out->flags & IFF_LOOPBACK))
			return ERR_PTR(-EINVAL);

	if (ipv4_is_lbcast(fl4->daddr))
		type = RTN_BROADCAST;
	else if (ipv4_is_multicast(fl4->daddr))
		type = RTN_MULTICAST;
	else if (ipv4_is_zeronet(fl4->daddr))
		return ERR_PTR(-EINVAL);

	if (dev_out->flags & IFF_LOOPBACK)
		flags |= RTCF_LOCAL;

	do_cache = true;
	if (type == RTN_BROADCAST) {
		flags |= RTCF_BROADCAST | RTCF_LOCAL;
		fi = NULL;
	} else if (type == RTN_MULTICAST) {
		/* No group membership (no IGMP): never looped back locally. */
		flags |= RTCF_MULTICAST;
		/* A multicast route that does not exist uses the default one, without its
		 * gateway (3.10's "Yes, it is hack"). */
		if (fi && res->prefixlen < 4)
			fi = NULL;
	}

	do_cache &= fi != NULL;
	if (do_cache) {
		struct fib_nh *nh = &FIB_RES_NH(*res);

		if (unlikely((fl4->flowi4_flags & FLOWI_FLAG_KNOWN_NH) &&
			     !(nh->nh_gw && nh->nh_scope == RT_SCOPE_LINK))) {
			do_cache = false;
		} else {
			rth = nh->nh_pcpu_rth_output[smp_processor_id()];
			if (rt_cache_valid(rth)) {
				dst_use(&rth->dst, jiffies);
				return rth;
			}
		}
	}
	rth = rt_dst_alloc(dev_out, IN_DEV_CONF_GET(in_dev, NOPOLICY),
			   IN_DEV_CONF_GET(in_dev, NOXFRM), do_cache);
	if (!rth)
		return ERR_PTR(-ENOBUFS);
	rth->dst.output = ip_output;
	rth->rt_genid = rt_genid(dev_net(dev_out));
	rth->rt_flags = flags;
	rth->rt_type = type;
	rth->rt_is_input = 0;
	rth->rt_iif = orig_oif ? orig_oif : 0;
	rth->rt_pmtu = 0;
	rth->rt_gateway = 0;
	rth->rt_uses_gateway = 0;

	RT_CACHE_STAT_INC(dev_net(dev_out), out_slow_tot);
	if (flags & RTCF_LOCAL)
		rth->dst.input = ip_local_deliver;
	if (flags & (RTCF_BROADCAST | RTCF_MULTICAST)) {
		if ((flags & RTCF_LOCAL) && !(dev_out->flags & IFF_LOOPBACK)) {
			rth->dst.output = ip_mc_output;
			RT_CACHE_STAT_INC(dev_net(dev_out), out_slow_mc);
		}
	}
	rt_set_nexthop(rth, fl4->daddr, res, fi, type);
	return rth;
}

struct rtable *__ip_route_output_key(struct net *net, struct flowi4 *fl4)
{
	struct net_device *dev_out = NULL;
	u8 tos = fl4->flowi4_tos & (IPTOS_RT_MASK | RTO_ONLINK);
	unsigned int flags = 0;
	struct fib_result res;
	struct rtable *rth;
	int orig_oif;

	if (!net || !fl4)
		return ERR_PTR(-EINVAL);
	memset(&res, 0, sizeof(res));
	orig_oif = fl4->flowi4_oif;
	fl4->flowi4_iif = LOOPBACK_IFINDEX;
	fl4->flowi4_tos = tos & IPTOS_RT_MASK;
	fl4->flowi4_scope = (tos & RTO_ONLINK) ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;

	if (fl4->saddr) {
		rth = ERR_PTR(-EINVAL);
		if (ipv4_is_multicast(fl4->saddr) || ipv4_is_lbcast(fl4->saddr) ||
		    ipv4_is_zeronet(fl4->saddr))
			goto out;
		/* Multicast and limited broadcast leave by the interface owning saddr. */
		if (fl4->flowi4_oif == 0 &&
		    (ipv4_is_multicast(fl4->daddr) || ipv4_is_lbcast(fl4->daddr))) {
			dev_out = __ip_dev_find(net, fl4->saddr, false);
			if (!dev_out)
				goto out;
			fl4->flowi4_oif = dev_out->ifindex;
			goto make_route;
		}
		if (!(fl4->flowi4_flags & FLOWI_FLAG_ANYSRC)) {
			/* The source must be one of ours. */
			if (!__ip_dev_find(net, fl4->saddr, false))
				goto out;
		}
	}

	if (fl4->flowi4_oif) {
		dev_out = dev_get_by_index_rcu(net, fl4->flowi4_oif);
		rth = ERR_PTR(-ENODEV);
		if (!dev_out)
			goto out;
		if (!(dev_out->flags & IFF_UP) || !__in_dev_get_rcu(dev_out)) {
			rth = ERR_PTR(-ENETUNREACH);
			goto out;
		}
		if (ipv4_is_local_multicast(fl4->daddr) || ipv4_is_lbcast(fl4->daddr)) {
			if (!fl4->saddr)
				fl4->saddr = inet_select_addr(dev_out, 0, RT_SCOPE_LINK);
			goto make_route;
		}
		if (!fl4->saddr) {
			if (ipv4_is_multicast(fl4->daddr))
				fl4->saddr = inet_select_addr(dev_out, 0, fl4->flowi4_scope);
			else if (!fl4->daddr)
				fl4->saddr = inet_select_addr(dev_out, 0, RT_SCOPE_HOST);
		}
	}

	if (!fl4->daddr) {
		/* Sending to 0.0.0.0 means sending to ourselves. */
		fl4->daddr = fl4->saddr;
		if (!fl4->daddr)
			fl4->daddr = fl4->saddr = htonl(INADDR_LOOPBACK);
		dev_out = net->loopback_dev;
		fl4->flowi4_oif = LOOPBACK_IFINDEX;
		res.type = RTN_LOCAL;
		flags |= RTCF_LOCAL;
		goto make_route;
	}

	if (fib_lookup(net, fl4, &res)) {
		res.fi = NULL;
		res.table = NULL;
		if (fl4->flowi4_oif) {
			/* No route, but the caller named an interface: assume the destination
			 * is on link (we may send to an interface with no routes at all). */
			if (fl4->saddr == 0)
				fl4->saddr = inet_select_addr(dev_out, 0, RT_SCOPE_LINK);
			res.type = RTN_UNICAST;
			goto make_route;
		}
		rth = ERR_PTR(-ENETUNREACH);
		goto out;
	}

	if (res.type == RTN_LOCAL) {
		/* One of our addresses (127.0.0.1 or eth0's own): out through lo (book ch5). */
		if (!fl4->saddr) {
			if (res.fi->fib_prefsrc)
				fl4->saddr = res.fi->fib_prefsrc;
			else
				fl4->saddr = fl4->daddr;
		}
		dev_out = net->loopback_dev;
		fl4->flowi4_oif = dev_out->ifindex;
		flags |= RTCF_LOCAL;
		goto make_route;
	}

	/* DIVERGES: with several default routes 3.10 picks by neighbour state
	 * (fib_select_default); ulnet uses the first (lowest metric). */
	if (!fl4->saddr)
		fl4->saddr = FIB_RES_PREFSRC(net, res);
	dev_out = FIB_RES_DEV(res);
	fl4->flowi4_oif = dev_out->ifindex;

make_route:
	rth = __mkroute_output(&res, fl4, orig_oif, dev_out, flags);
	if (unlikely(ul_trace_on) && !IS_ERR(rth))
		__ul_tracef(__func__, 0, "type=%u dev=%s", rth->rt_type,
			    rth->dst.dev ? rth->dst.dev->name : "-");
out:
	return rth;
}

struct rtable *ip_route_output_flow(struct net *net, struct flowi4 *flp4, struct sock *sk)
{
	/* No xfrm (IPsec) policies: the plain lookup. */
	return __ip_route_output_key(net, flp4);
}

/* ---- misc ---- */

void ip_rt_get_source(u8 *addr, struct sk_buff *skb, struct rtable *rt)
{
	__be32 src;

	if (rt_is_output_route(rt)) {
		src = ip_hdr(skb)->saddr;
	} else {
		struct fib_result res;
		struct flowi4 fl4;
		const struct iphdr *iph = ip_hdr(skb);

		memset(&fl4, 0, sizeof(fl4));
		fl4.daddr = iph->daddr;
		fl4.saddr = iph->saddr;
		fl4.flowi4_tos = RT_TOS(iph->tos);
		fl4.flowi4_oif = rt->dst.dev ? rt->dst.dev->ifindex : 0;
		fl4.flowi4_iif = skb->dev ? skb->dev->ifindex : 0;
		fl4.flowi4_mark = skb->mark;
		if (rt->dst.dev && fib_lookup(dev_net(rt->dst.dev), &fl4, &res) == 0)
			src = FIB_RES_PREFSRC(dev_net(rt->dst.dev), res);
		else
			src = rt->dst.dev ? inet_select_addr(rt->dst.dev,
							     rt_nexthop(rt, iph->daddr),
							     RT_SCOPE_UNIVERSE) : 0;
	}
	memcpy(addr, &src, 4);
}

struct dst_entry *ipv4_blackhole_route(struct net *net, struct dst_entry *dst_orig)
{
	struct rtable *ort = (struct rtable *)dst_orig, *rt;

	rt = dst_alloc(&ipv4_dst_ops, NULL, 1, DST_OBSOLETE_NONE, DST_NOCACHE);
	if (!rt) {
		dst_release(dst_orig);
		return ERR_PTR(-ENOMEM);
	}
	INIT_LIST_HEAD(&rt->rt_uncached);
	rt->dst.input = dst_discard;
	rt->dst.output = dst_discard;
	rt->dst.dev = ort->dst.dev;
	if (rt->dst.dev)
		dev_hold(rt->dst.dev);
	rt->rt_is_input = ort->rt_is_input;
	rt->rt_iif = ort->rt_iif;
	rt->rt_pmtu = ort->rt_pmtu;
	rt->rt_genid = net ? rt_genid(net) : 0;
	rt->rt_flags = ort->rt_flags;
	rt->rt_type = ort->rt_type;
	rt->rt_gateway = ort->rt_gateway;
	rt->rt_uses_gateway = ort->rt_uses_gateway;
	dst_release(dst_orig);
	return &rt->dst;
}

struct rtable *ip_route_get(struct net *net, __be32 daddr, __be32 saddr, int iif, int oif,
			    u8 tos, struct flowi4 *fl4)
{
	struct rtable *rt;

	memset(fl4, 0, sizeof(*fl4));
	fl4->daddr = daddr;
	fl4->saddr = saddr;
	fl4->flowi4_tos = tos;
	fl4->flowi4_oif = oif;
	if (iif) {
		/* As inet_rtm_getroute: a fake packet arriving on @iif. */
		struct net_device *dev = __dev_get_by_index(net, iif);
		struct sk_buff *skb;
		int err;

		if (!dev)
			return ERR_PTR(-ENODEV);
		skb = alloc_skb(256, GFP_KERNEL);
		if (!skb)
			return ERR_PTR(-ENOBUFS);
		skb_reset_mac_header(skb);
		skb_reset_network_header(skb);
		skb->protocol = htons(ETH_P_IP);
		skb->dev = dev;
		{
			struct iphdr *iph = (struct iphdr *)skb_put(skb, sizeof(struct iphdr));

			memset(iph, 0, sizeof(*iph));
			iph->version = 4;
			iph->ihl = 5;
			iph->protocol = IPPROTO_ICMP;
			iph->saddr = saddr;
			iph->daddr = daddr;
		}
		local_bh_disable();
		err = ip_route_input(skb, daddr, saddr, tos, dev);
		local_bh_enable();
		rt = skb_rtable(skb);
		if (err == 0 && rt->dst.error)
			err = -rt->dst.error;
		if (err) {
			kfree_skb(skb);
			return ERR_PTR(err);
		}
		dst_hold(&rt->dst);
		kfree_skb(skb);
		fl4->flowi4_iif = iif;
		fl4->flowi4_oif = rt->dst.dev ? rt->dst.dev->ifindex : 0;
		return rt;
	}
	return ip_route_output_key(net, fl4);
}

/* ---- per-namespace state, /proc/net/stat/rt_cache, boot ---- */

static int rt_cache_stat_show(struct seq_file *seq, void *v)
{
	struct rt_cache_stat *st = seq->net ? seq->net->ipv4.rt_stat : NULL;
	int cpu;

	seq_puts(seq, "entries  in_hit in_slow_tot in_slow_mc in_no_route in_brd "
		 "in_martian_dst in_martian_src  out_hit out_slow_tot out_slow_mc  "
		 "gc_total gc_ignored gc_goal_miss gc_dst_overflow in_hlist_search "
		 "out_hlist_search\n");
	if (!st)
		return 0;
	/* DIVERGES: the counters are per namespace, not per CPU: they are all on the first
	 * row (Linux prints one row per CPU). */
	for_each_possible_cpu(cpu) {
		const struct rt_cache_stat zero = { 0 }, *s = cpu ? &zero : st;

		seq_printf(seq, "%08x  %08x %08x %08x %08x %08x %08x %08x  %08x %08x %08x "
			   "%08x %08x %08x %08x %08x %08x \n",
			   (unsigned int)dst_entries_get_slow(&ipv4_dst_ops), s->in_hit,
			   s->in_slow_tot, s->in_slow_mc, s->in_no_route, s->in_brd,
			   s->in_martian_dst, s->in_martian_src, s->out_hit, s->out_slow_tot,
			   s->out_slow_mc, s->gc_total, s->gc_ignored, s->gc_goal_miss,
			   s->gc_dst_overflow, s->in_hlist_search, s->out_hlist_search);
	}
	return 0;
}

static int rt_net_init(struct net *net)
{
	net->ipv4.rt_stat = kzalloc(sizeof(struct rt_cache_stat), GFP_KERNEL);
	if (!net->ipv4.rt_stat)
		return -ENOMEM;
	atomic_set(&net->ipv4.rt_genid, (int)(prandom_u32() & 0xffff));
	return 0;
}

static void rt_net_exit(struct net *net)
{
	kfree(net->ipv4.rt_stat);
	net->ipv4.rt_stat = NULL;
}

static struct pernet_operations rt_net_ops = {
	.init = rt_net_init,
	.exit = rt_net_exit,
};

static struct ctl_table ipv4_route_table[] = {
	{ .procname = "min_pmtu", .data = &ip_rt_min_pmtu, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "mtu_expires", .data = &ip_rt_mtu_expires, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	{ .procname = "min_adv_mss", .data = &ip_rt_min_advmss, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "gc_timeout", .data = &ip_rt_gc_timeout, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	{ .procname = "gc_interval", .data = &ip_rt_gc_interval, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	{ .procname = "gc_min_interval", .data = &ip_rt_gc_min_interval, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	{ .procname = "gc_min_interval_ms", .data = &ip_rt_gc_min_interval,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_ms_jiffies },
	{ .procname = "redirect_number", .data = &ip_rt_redirect_number, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "redirect_load", .data = &ip_rt_redirect_load, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "redirect_silence", .data = &ip_rt_redirect_silence, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "error_cost", .data = &ip_rt_error_cost, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "error_burst", .data = &ip_rt_error_burst, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ 0 }
};

static bool ip_rt_inited;

int ip_rt_init(void)
{
	int err;

	if (ip_rt_inited)
		return -EBUSY;
	ipv4_dst_ops.kmem_cachep = kmem_cache_create("ip_dst_cache", sizeof(struct rtable), 0,
						     SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL);
	if (!ipv4_dst_ops.kmem_cachep)
		return -ENOMEM;
	atomic_set(&ipv4_dst_ops.entries, 0);
	INIT_LIST_HEAD(&rt_uncached_list);
	INIT_LIST_HEAD(&rt_cached_list);
	timer_setup(&rt_cache_gc_timer, rt_cache_gc, 0);
	dst_init();
	err = register_pernet_subsys(&rt_net_ops);
	if (err)
		goto out_dst;
	err = ip_fib_init();
	if (err)
		goto out_pernet;
	proc_create_single("net/stat/rt_cache", rt_cache_stat_show, NULL);
	register_sysctl_table_path("net/ipv4/route", ipv4_route_table);
	ip_rt_inited = true;
	return 0;

out_pernet:
	unregister_pernet_subsys(&rt_net_ops);
out_dst:
	dst_fini();
	kmem_cache_destroy(ipv4_dst_ops.kmem_cachep);
	ipv4_dst_ops.kmem_cachep = NULL;
	return err;
}

void ip_rt_fini(void)
{
	if (!ip_rt_inited)
		return;
	unregister_sysctl_path("net/ipv4/route");
	proc_remove_path("net/stat/rt_cache");
	ip_fib_fini();
	unregister_pernet_subsys(&rt_net_ops);
	del_timer_sync(&rt_cache_gc_timer);
	INIT_LIST_HEAD(&rt_cached_list);
	dst_fini();
	if (!list_empty(&rt_uncached_list))
		pr_warn("route: uncached routes still referenced at teardown\n");
	INIT_LIST_HEAD(&rt_uncached_list);
	kmem_cache_destroy(ipv4_dst_ops.kmem_cachep);
	ipv4_dst_ops.kmem_cachep = NULL;
	ip_rt_inited = false;
}
