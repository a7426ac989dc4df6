/* SPDX-License-Identifier: MIT */
/* IPv4 routes as packets use them: struct rtable and the input/output route lookups.
 * Mirrors linux/include/net/route.h and net/ipv4/route.c (3.10, after the routing cache was
 * removed): struct rtable, ip_route_input_noref, ip_route_output_key, ip_route_output_flow,
 * __ip_route_output_key, ip_route_output_ports, ip_rt_put, ipv4_mtu, rt_cache_flush,
 * RTCF_*, RT_TOS, rt_cache_stat (/proc/net/stat/rt_cache).
 *
 * Every lookup goes to the FIB (fib_lookup: local table, then main). The rtable built for a
 * nexthop is cached in it (fib_nh: nh_rth_input, one nh_pcpu_rth_output per CPU) and shared
 * by every flow using that nexthop; routes that cannot be cached (broadcast, error routes,
 * flows with a non-default source) are DST_NOCACHE and freed by their last user.
 * A local destination (127.0.0.1 or any of the host's own addresses) is found in the local
 * table: the output device becomes the loopback device (book ch5). */
#ifndef _NET_ROUTE_H
#define _NET_ROUTE_H
#include "linux/netdevice.h"
#include "linux/skbuff.h"
#include "net/dst.h"
#include "net/flow.h"
#include "uapi/linux/ip.h"

struct fib_result;
struct fib_nh;
struct sock;

/* Route types (linux/rtnetlink.h RTN_*). */
enum {
	RTN_UNSPEC,
	RTN_UNICAST,		/* gateway or direct route */
	RTN_LOCAL,		/* accept locally */
	RTN_BROADCAST,		/* accept locally as broadcast, send as broadcast */
	RTN_ANYCAST,		/* accept locally as broadcast, but send as unicast */
	RTN_MULTICAST,		/* multicast route */
	RTN_BLACKHOLE,		/* drop */
	RTN_UNREACHABLE,	/* destination is unreachable */
	RTN_PROHIBIT,		/* administratively prohibited */
	RTN_THROW,		/* not in this table */
	RTN_NAT,		/* translate this address */
	RTN_XRESOLVE,		/* use external resolver */
	__RTN_MAX
};
#define RTN_MAX (__RTN_MAX - 1)

/* Route scopes (linux/rtnetlink.h). */
enum rt_scope_t {
	RT_SCOPE_UNIVERSE = 0,
	RT_SCOPE_SITE = 200,
	RT_SCOPE_LINK = 253,
	RT_SCOPE_HOST = 254,
	RT_SCOPE_NOWHERE = 255
};

/* Route protocols (who installed it: `proto kernel`, `proto boot`, `proto static`). */
#define RTPROT_UNSPEC	0
#define RTPROT_REDIRECT	1
#define RTPROT_KERNEL	2	/* by the kernel (fib_add_ifaddr) */
#define RTPROT_BOOT	3	/* by `ip route add` without proto */
#define RTPROT_STATIC	4

/* Reserved table ids. */
enum rt_class_t {
	RT_TABLE_UNSPEC = 0,
	RT_TABLE_COMPAT = 252,
	RT_TABLE_DEFAULT = 253,
	RT_TABLE_MAIN = 254,
	RT_TABLE_LOCAL = 255,
	RT_TABLE_MAX = 0xFFFFFFFF
};

/* rtm_flags */
#define RTM_F_NOTIFY	0x100
#define RTM_F_CLONED	0x200

/* rt_flags (linux/in_route.h) */
#define RTCF_DEAD	RTNH_F_DEAD
#define RTCF_ONLINK	RTNH_F_ONLINK
#define RTCF_NOTIFY	0x00010000
#define RTCF_DIRECTDST	0x00020000
#define RTCF_REDIRECTED	0x00040000
#define RTCF_TPROXY	0x00080000
#define RTCF_FAST	0x00200000
#define RTCF_MASQ	0x00400000
#define RTCF_SNAT	0x00800000
#define RTCF_DOREDIRECT	0x01000000
#define RTCF_DIRECTSRC	0x04000000
#define RTCF_DNAT	0x08000000
#define RTCF_BROADCAST	0x10000000
#define RTCF_MULTICAST	0x20000000
#define RTCF_REJECT	0x40000000
#define RTCF_LOCAL	0x80000000

/* Nexthop flags (RTNH_F_*). */
#define RTNH_F_DEAD	1	/* the nexthop is dead (device down) */
#define RTNH_F_PERVASIVE 2
#define RTNH_F_ONLINK	4	/* gateway is forced on link */

#define RTO_ONLINK	0x01
#define IPTOS_RT_MASK	(IPTOS_TOS_MASK & ~3)
#define RT_TOS(tos)	((tos) & IPTOS_RT_MASK)

#define IP_MAX_MTU	0xFFF0

struct rtable {
	struct dst_entry dst;		/* first: a dst_entry * is a struct rtable * */
	int rt_genid;			/* net->ipv4.rt_genid when built (rt_cache_flush) */
	unsigned int rt_flags;		/* RTCF_* */
	__u16 rt_type;			/* RTN_* */
	__u8 rt_is_input;		/* built by ip_route_input */
	__u8 rt_uses_gateway;		/* rt_gateway is a router, not the destination */
	int rt_iif;			/* input ifindex, 0 for output routes */
	__be32 rt_gateway;		/* nexthop router, or 0: the destination is on link */
	u32 rt_pmtu;			/* learnt path MTU (frag needed), 0 = none */
	/* On rt_uncached_list (DST_NOCACHE), or on the list of nexthop-cached routes that
	 * the idle-route gc walks (see DIVERGES in route.c). */
	struct list_head rt_uncached;
	struct rtable **rt_cache_slot;	/* the fib_nh slot caching this route, or NULL */
	/* The route's metrics (mtu, advmss...), copied from its fib_info when it has any:
	 * the fib_info may go while sockets still hold the route. dst._metrics points here
	 * or at dst_default_metrics. */
	u32 rt_metrics[RTAX_MAX];
};

static inline struct rtable *skb_rtable(const struct sk_buff *skb)
{
	return (struct rtable *)skb_dst(skb);
}
static inline bool rt_is_input_route(const struct rtable *rt)
{
	return rt->rt_is_input != 0;
}
static inline bool rt_is_output_route(const struct rtable *rt)
{
	return rt->rt_is_input == 0;
}
/* The link-layer nexthop of @rt for @daddr: the gateway if any, else @daddr. */
static inline __be32 rt_nexthop(const struct rtable *rt, __be32 daddr)
{
	if (rt->rt_gateway)
		return rt->rt_gateway;
	return daddr;
}
static inline void ip_rt_put(struct rtable *rt)
{
	if (rt)
		dst_release(&rt->dst);
}
/* ifindex the skb arrived on (inet_iif). */
static inline int inet_iif(const struct sk_buff *skb)
{
	struct rtable *rt = skb_rtable(skb);

	if (rt && rt->rt_iif)
		return rt->rt_iif;
	return skb->skb_iif;
}

/* Route statistics (/proc/net/stat/rt_cache; 3.10 keeps counting some of them). */
struct rt_cache_stat {
	unsigned int in_hit;
	unsigned int in_slow_tot;	/* ip_route_input_slow runs */
	unsigned int in_slow_mc;
	unsigned int in_no_route;	/* no route: ip_error or local unreachable */
	unsigned int in_brd;		/* input broadcast routes */
	unsigned int in_martian_dst;	/* martian destinations */
	unsigned int in_martian_src;	/* martian sources */
	unsigned int out_hit;
	unsigned int out_slow_tot;	/* __ip_route_output_key runs */
	unsigned int out_slow_mc;
	unsigned int gc_total;
	unsigned int gc_ignored;
	unsigned int gc_goal_miss;
	unsigned int gc_dst_overflow;
	unsigned int in_hlist_search;
	unsigned int out_hlist_search;
};
/* Per-CPU in Linux; ulnet sums are the same numbers: one set per namespace. */
#define RT_CACHE_STAT_INC(net, field) ((net)->ipv4.rt_stat->field++)

/* ---- input ---- */
/* Route a received packet: sets skb's dst (noref when cached) with ->input = ip_local_deliver
 * (local/broadcast), ip_forward (forwarding enabled), ip_error (no route / unreachable /
 * prohibit / forwarding disabled) or dst_discard (blackhole). Returns 0, or -EINVAL for a
 * martian source/destination (counted in_martian_*; logged with log_martians), -EHOSTUNREACH
 * / -ENETUNREACH / -EINVAL with no dst set. @daddr/@saddr network order. Context: softirq. */
int ip_route_input_noref(struct sk_buff *skb, __be32 daddr, __be32 saddr, u8 tos,
			 struct net_device *dev);
/* The same, with a referenced dst. */
int ip_route_input(struct sk_buff *skb, __be32 daddr, __be32 saddr, u8 tos,
		   struct net_device *dev);

/* ---- output ---- */
/* Route a locally generated packet described by @flp (daddr, saddr or 0, oif or 0, tos,
 * scope): fills flp->saddr (inet_select_addr) and returns a referenced rtable, or
 * ERR_PTR(-ENETUNREACH / -EHOSTUNREACH / -EINVAL / -ENODEV...). Context: process/softirq. */
struct rtable *__ip_route_output_key(struct net *net, struct flowi4 *flp);
static inline struct rtable *ip_route_output_key(struct net *net, struct flowi4 *flp)
{
	return __ip_route_output_key(net, flp);
}
/* With a socket (xfrm hook in Linux; the same lookup here). */
struct rtable *ip_route_output_flow(struct net *net, struct flowi4 *flp, struct sock *sk);
static inline struct rtable *ip_route_output_ports(struct net *net, struct flowi4 *fl4,
						   struct sock *sk, __be32 daddr, __be32 saddr,
						   __be16 dport, __be16 sport, __u8 proto,
						   __u8 tos, int oif)
{
	flowi4_init_output(fl4, oif, 0, RT_TOS(tos), RT_SCOPE_UNIVERSE, proto, 0, daddr, saddr,
			   dport, sport);
	return ip_route_output_flow(net, fl4, sk);
}

/* ---- misc ---- */
/* The MTU of an IPv4 route: learnt PMTU if not expired, else the metric, else the device's
 * (capped at IP_MAX_MTU). */
unsigned int ipv4_mtu(const struct dst_entry *dst);
/* Invalidate every cached route of @net (they are rebuilt on next use). */
void rt_cache_flush(struct net *net);
/* ICMP frag needed seen for @skb's flow: remember @mtu on the route (ipv4_update_pmtu). */
void ipv4_update_pmtu(struct sk_buff *skb, struct net *net, u32 mtu, int oif, u32 mark,
		      u8 protocol, int flow_flags);
/* The dst ->input for unroutable packets: ICMP unreachable (rate limited), counted,
 * consumes @skb. */
int ip_error(struct sk_buff *skb);
/* Source address for an ICMP error about @skb (ip_rt_get_source). */
void ip_rt_get_source(u8 *addr, struct sk_buff *skb, struct rtable *rt);
/* Route @skb (a transmitted packet whose dst is dead) again. */
struct dst_entry *ipv4_blackhole_route(struct net *net, struct dst_entry *dst_orig);

/* Boot (ip_init calls it): ip_dst_cache, the FIB, /proc/net/route, rt_cache stats. */
int ip_rt_init(void);
void ip_rt_fini(void);

/* sysctl net.ipv4.route.* (jiffies or bytes; per-namespace in later kernels, global here as
 * in 3.10). */
extern int ip_rt_min_pmtu;		/* 552 */
extern int ip_rt_mtu_expires;		/* 600 s */
extern int ip_rt_min_advmss;		/* 256 */
extern int ip_rt_error_cost;		/* HZ */
extern int ip_rt_error_burst;		/* 5 * HZ */
extern int ip_rt_gc_timeout;		/* 300 s */
extern int ip_rt_gc_interval;		/* 60 s */
extern int ip_rt_redirect_number;	/* 9 */
extern int ip_rt_redirect_load;		/* HZ / 50 */
extern int ip_rt_redirect_silence;	/* (HZ / 50) << 10 */
extern int ip_rt_gc_min_interval;	/* HZ / 2 */

/* The lookup of `ip route get ADDR [from SRC] [iif DEV] [oif DEV] [tos T]` (inet_rtm_getroute):
 * an input route (as a packet from @saddr arriving on @iif would get) when @iif is set,
 * else an output route; @fl4 receives the flow (with the chosen source). Returns a
 * referenced rtable or ERR_PTR(-errno). */
struct rtable *ip_route_get(struct net *net, __be32 daddr, __be32 saddr, int iif, int oif,
			    u8 tos, struct flowi4 *fl4);

#endif
