/* SPDX-License-Identifier: MIT */
/* IPv4 forwarding: a packet routed through this host (net.ipv4.ip_forward = 1).
 * Mirrors linux/net/ipv4/ip_forward.c (3.10): ip_forward, ip_forward_finish; and route.c's
 * ip_tos2prio (rt_tos2priority) and ip_rt_send_redirect (here ip_forward_send_redirect: the
 * routing code flags the route RTCF_DOREDIRECT, forwarding sends the redirect).
 *
 * RFC 1812 5.2.1/5.3.1: decrement the TTL and, when it would reach zero, drop the packet
 * and send an ICMP time exceeded (counted as InHdrErrors, as 3.10). A packet too big for the
 * next hop with DF set gets ICMP fragmentation needed with the next hop's MTU (RFC 1191).
 * Context: softirq (dst->input of a forwarding route). */
#include "linux/kernel.h"
#include "linux/netdevice.h"
#include "linux/netfilter.h"
#include "linux/skbuff.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/inetdevice.h"
#include "net/inetpeer.h"
#include "net/ip.h"
#include "net/pkt_sched.h"
#include "net/route.h"
#include "trace/path.h"


#ifndef LL_RESERVED_SPACE
#define HH_DATA_MOD 16
#define LL_RESERVED_SPACE(dev) \
	((((dev)->hard_header_len + (dev)->needed_headroom) & ~(HH_DATA_MOD - 1)) + HH_DATA_MOD)
#endif

/* TOS -> queueing priority (pfifo_fast band), RFC 1349 classes. */
#define ECN_OR_COST(class) TC_PRIO_##class
const __u8 ip_tos2prio[16] = {
	TC_PRIO_BESTEFFORT,
	ECN_OR_COST(BESTEFFORT),
	TC_PRIO_BESTEFFORT,
	ECN_OR_COST(BESTEFFORT),
	TC_PRIO_BULK,
	ECN_OR_COST(BULK),
	TC_PRIO_BULK,
	ECN_OR_COST(BULK),
	TC_PRIO_INTERACTIVE,
	ECN_OR_COST(INTERACTIVE),
	TC_PRIO_INTERACTIVE,
	ECN_OR_COST(INTERACTIVE),
	TC_PRIO_INTERACTIVE_BULK,
	ECN_OR_COST(INTERACTIVE_BULK),
	TC_PRIO_INTERACTIVE_BULK,
	ECN_OR_COST(INTERACTIVE_BULK)
};

/* RFC 1812 5.2.7.2: a router that forwards a packet back out of the interface it came in on,
 * to a next hop on the sender's subnet, sends the sender a host redirect. Rate-limited per
 * sender with the inet_peer token count: at most ip_rt_redirect_number, spaced by
 * ip_rt_redirect_load << tokens, forgiven after ip_rt_redirect_silence without redirected
 * packets (3.10 ip_rt_send_redirect). */
static void ip_forward_send_redirect(struct sk_buff *skb)
{
	struct rtable *rt = skb_rtable(skb);
	struct in_device *in_dev;
	struct inet_peer *peer;
	struct net *net;

	rcu_read_lock();
	in_dev = __in_dev_get_rcu(rt->dst.dev);
	if (!in_dev || !IN_DEV_TX_REDIRECTS(in_dev)) {
		rcu_read_unlock();
		return;
	}
	rcu_read_unlock();

	net = dev_net(rt->dst.dev);
	peer = inet_getpeer_v4(net->ipv4.peers, ip_hdr(skb)->saddr, 1);
	if (!peer) {
		icmp_send(skb, ICMP_REDIRECT, ICMP_REDIR_HOST, rt_nexthop(rt, ip_hdr(skb)->daddr));
		return;
	}

	/* No redirected packets during ip_rt_redirect_silence; reset the algorithm. */
	if (time_after(jiffies, peer->rate_last + (unsigned long)ip_rt_redirect_silence))
		peer->rate_tokens = 0;

	/* Too many ignored redirects; do not send anything set dst.rate_last to the last
	 * seen redirected packet. */
	if (peer->rate_tokens >= (u32)ip_rt_redirect_number) {
		peer->rate_last = jiffies;
		goto out_put_peer;
	}

	/* Check for load limit; set rate_last to the latest sent redirect. */
	if (peer->rate_tokens == 0 ||
	    time_after(jiffies, peer->rate_last +
				((unsigned long)ip_rt_redirect_load << peer->rate_tokens))) {
		icmp_send(skb, ICMP_REDIRECT, ICMP_REDIR_HOST, rt_nexthop(rt, ip_hdr(skb)->daddr));
		peer->rate_last = jiffies;
		++peer->rate_tokens;
	}
out_put_peer:
	inet_putpeer(peer);
}

static int ip_forward_finish(struct sk_buff *skb)
{
	struct ip_options *opt = &(IPCB(skb)->opt);

	UL_TRACE(skb);
	IP_INC_STATS_BH(dev_net(skb_dst(skb)->dev), IPSTATS_MIB_OUTFORWDATAGRAMS);

	if (unlikely(opt->optlen))
		ip_forward_options(skb);

	return dst_output(skb);
}

/* Consumes @skb. */
int ip_forward(struct sk_buff *skb)
{
	struct ip_options *opt = &(IPCB(skb)->opt);
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;
	struct iphdr *iph;	/* Our header */
	struct rtable *rt;	/* Route we use */

	UL_TRACE(skb);
	/* (Router alert: no ip_ra_chain listeners exist.) */

	if (skb->pkt_type != PACKET_HOST) {
		reason = SKB_DROP_REASON_OTHERHOST;
		goto drop;
	}

	/* skb_forward_csum: a receive checksum is meaningless once the header changes. */
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;

	/* According to the RFC, we must first decrease the TTL field. If that reaches zero,
	 * we must reply an ICMP control message telling that the packet's lifetime
	 * expired. */
	if (ip_hdr(skb)->ttl <= 1)
		goto too_many_hops;

	rt = skb_rtable(skb);

	if (opt->is_strictroute && rt->rt_uses_gateway)
		goto sr_failed;

	if (unlikely(skb->len > dst_mtu(&rt->dst) && !skb_is_gso(skb) &&
		     (ip_hdr(skb)->frag_off & htons(IP_DF))) && !skb->local_df) {
		IP_INC_STATS(dev_net(rt->dst.dev), IPSTATS_MIB_FRAGFAILS);
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(dst_mtu(&rt->dst)));
		reason = SKB_DROP_REASON_PKT_TOO_BIG;
		goto drop;
	}

	/* We are about to mangle packet. Copy it! */
	if (skb_cow(skb, LL_RESERVED_SPACE(rt->dst.dev) + rt->dst.header_len)) {
		reason = SKB_DROP_REASON_NOMEM;
		goto drop;
	}
	iph = ip_hdr(skb);

	/* Decrease ttl after skb cow done */
	ip_decrease_ttl(iph);

	/* We now generate an ICMP HOST REDIRECT giving the route we calculated. */
	if ((rt->rt_flags & RTCF_DOREDIRECT) && !opt->srr)
		ip_forward_send_redirect(skb);

	skb->priority = rt_tos2priority(iph->tos);

	return NF_HOOK(NFPROTO_IPV4, NF_INET_FORWARD, skb, skb->dev, rt->dst.dev,
		       ip_forward_finish);

sr_failed:
	/* Strict routing permits no gatewaying. */
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_SR_FAILED, 0);
	goto drop;

too_many_hops:
	/* Tell the sender its packet died... */
	IP_INC_STATS_BH(dev_net(skb_dst(skb)->dev), IPSTATS_MIB_INHDRERRORS);
	icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
	reason = SKB_DROP_REASON_IP_INHDR;
drop:
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}
