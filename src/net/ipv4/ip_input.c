/* SPDX-License-Identifier: MIT */
/* IPv4 receive: header validation, PRE_ROUTING, the input route, local delivery.
 * Mirrors linux/net/ipv4/ip_input.c (3.10): ip_rcv, ip_rcv_finish, ip_rcv_options,
 * ip_local_deliver, ip_local_deliver_finish; sysctl_ip_early_demux.
 *
 * Book ch2: __netif_receive_skb_core -> ip_rcv -> NF_HOOK(PRE_ROUTING) -> ip_rcv_finish ->
 * ip_route_input_noref -> dst_input: ip_local_deliver -> NF_HOOK(LOCAL_IN) ->
 * ip_local_deliver_finish -> udp_rcv / tcp_v4_rcv / icmp_rcv.
 * Every drop bumps the counter 3.10 bumps at that place (RFC 1122 3.2.1: MUST silently
 * discard a datagram with a bad version, header length or checksum). Context: softirq. */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/netdevice.h"
#include "linux/netfilter.h"
#include "linux/skbuff.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/protocol.h"
#include "net/route.h"
#include "trace/path.h"

/* net.ipv4.ip_early_demux (1): let the transport find its socket (and cached route)
 * before the route lookup. */
int sysctl_ip_early_demux = 1;

/* Deliver to the transport protocol: the IP header is pulled, transport_header points at
 * the protocol header. Context: softirq, after LOCAL_IN. */
static __always_inline int ip_local_deliver_finish(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	const struct net_protocol *ipprot;
	int protocol, resubmits = 0;

	UL_TRACE(skb);
	__skb_pull(skb, skb_network_header_len(skb));

	rcu_read_lock();
	protocol = ip_hdr(skb)->protocol;
resubmit:
	/* (raw_local_deliver: there are no raw sockets yet, so raw is always 0.) */
	ipprot = rcu_dereference(inet_protos[protocol]);
	if (ipprot) {
		int ret;

		if (!net_eq(net, &init_net) && !ipprot->netns_ok) {
			net_info_ratelimited("%s: proto %d isn't netns-ready\n", __func__, protocol);
			kfree_skb_reason(skb, SKB_DROP_REASON_IP_NOPROTO);
			goto out;
		}
		if (!ipprot->no_policy)
			nf_reset(skb);
		ret = ipprot->handler(skb);
		if (ret < 0) {
			/* A tunnel handed back an inner protocol (-IPPROTO_x). */
			protocol = -ret;
			if (protocol < MAX_INET_PROTOS && ++resubmits < 8)
				goto resubmit;
			goto out;
		}
		IP_INC_STATS_BH(net, IPSTATS_MIB_INDELIVERS);
	} else {
		/* RFC 1122 3.2.2.1: a protocol we do not speak gets a protocol unreachable. */
		IP_INC_STATS_BH(net, IPSTATS_MIB_INUNKNOWNPROTOS);
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_NOPROTO);
	}
out:
	rcu_read_unlock();
	return 0;
}

/* dst->input of local routes: reassemble, then LOCAL_IN. Consumes @skb. */
int ip_local_deliver(struct sk_buff *skb)
{
	UL_TRACE(skb);
	if (ip_is_fragment(ip_hdr(skb))) {
		if (ip_defrag(skb, IP_DEFRAG_LOCAL_DELIVER))
			return 0;
	}
	return NF_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_IN, skb, skb->dev, NULL,
		       ip_local_deliver_finish);
}

/* Packets with options: compile them into IPCB and honour source routes (3.10:
 * ip_rcv_options, after the route lookup since RR/TS need the route). Returns 0 to go on,
 * or the reason to drop. */
static enum skb_drop_reason ip_rcv_options(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct ip_options *opt;
	const struct iphdr *iph;

	/* The options may be mangled (record route, timestamps): make the header ours. */
	if (skb_cow(skb, skb_headroom(skb))) {
		IP_INC_STATS_BH(dev_net(dev), IPSTATS_MIB_INDISCARDS);
		return SKB_DROP_REASON_NOMEM;
	}
	iph = ip_hdr(skb);
	opt = &(IPCB(skb)->opt);
	opt->optlen = (unsigned char)(iph->ihl * 4 - sizeof(struct iphdr));

	if (ip_options_compile(dev_net(dev), opt, skb)) {
		IP_INC_STATS_BH(dev_net(dev), IPSTATS_MIB_INHDRERRORS);
		return SKB_DROP_REASON_IP_INHDR;
	}

	if (unlikely(opt->srr)) {
		struct in_device *in_dev = __in_dev_get_rcu(dev);

		if (in_dev && !IN_DEV_SOURCE_ROUTE(in_dev)) {
			/* (3.10 counts no MIB here: source routing is refused by policy,
			 * accept_source_route.) */
			if (IN_DEV_LOG_MARTIANS(in_dev))
				net_info_ratelimited("source route option %08x -> %08x\n",
						     ntohl(iph->saddr), ntohl(iph->daddr));
			return SKB_DROP_REASON_NOT_SPECIFIED;
		}
		if (ip_options_rcv_srr(skb))
			return SKB_DROP_REASON_NOT_SPECIFIED;
	}
	return SKB_NOT_DROPPED_YET;
}

static enum skb_drop_reason ip_route_input_reason(int err)
{
	switch (err) {
	case -EXDEV:
		return SKB_DROP_REASON_IP_RPFILTER;
	case -EINVAL:
		return SKB_DROP_REASON_IP_INADDRERRORS;	/* martian source/destination */
	case -ENETUNREACH:
	case -EHOSTUNREACH:
		return SKB_DROP_REASON_IP_INNOROUTES;
	default:
		return SKB_DROP_REASON_NOT_SPECIFIED;
	}
}

/* After PRE_ROUTING: early demux, the input route, options, then dst->input. */
static __always_inline int ip_rcv_finish(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;
	struct net *net = dev_net(skb->dev);
	struct rtable *rt;

	UL_TRACE(skb);
	if (sysctl_ip_early_demux && !skb_dst(skb) && !skb->sk) {
		const struct net_protocol *ipprot = rcu_dereference(inet_protos[iph->protocol]);

		if (ipprot && ipprot->early_demux) {
			ipprot->early_demux(skb);
			/* must reload iph, skb->head might have changed */
			iph = ip_hdr(skb);
		}
	}

	/* Initialise the virtual path cache for the packet: how it travels inside the stack
	 * (local, forward, error). */
	if (!skb_dst(skb)) {
		int err;

		err = ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos, skb->dev);
		if (unlikely(err)) {
			if (err == -EXDEV)
				NET_INC_STATS_BH(net, LINUX_MIB_IPRPFILTER);
			reason = ip_route_input_reason(err);
			goto drop;
		}
	}

	if (iph->ihl > 5) {
		reason = ip_rcv_options(skb);
		if (reason != SKB_NOT_DROPPED_YET)
			goto drop;
		reason = SKB_DROP_REASON_NOT_SPECIFIED;
	}

	rt = skb_rtable(skb);
	if (rt->rt_type == RTN_MULTICAST)
		IP_UPD_PO_STATS_BH(net, IPSTATS_MIB_INMCAST, skb->len);
	else if (rt->rt_type == RTN_BROADCAST)
		IP_UPD_PO_STATS_BH(net, IPSTATS_MIB_INBCAST, skb->len);

	return dst_input(skb);

drop:
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}

/* The validating half of ip_rcv (3.10 order). Guarantees on success: the whole header
 * with its options is linear at skb->data, version 4, ihl >= 5, the checksum verifies and
 * ihl*4 <= tot_len <= skb->len. Changes nothing but linearising the header. */
__always_inline int ip_rcv_core(struct sk_buff *skb)
{
	const struct iphdr *iph;
	u32 len;

	if (!pskb_may_pull(skb, sizeof(struct iphdr)))
		return IPSTATS_MIB_INHDRERRORS;
	iph = (const struct iphdr *)skb->data;

	/* RFC 1122 3.2.1.2: a datagram with a bad version MUST be silently discarded;
	 * RFC 791: IHL of at least 5 words. */
	if (iph->ihl < 5 || iph->version != 4)
		return IPSTATS_MIB_INHDRERRORS;
	if (!pskb_may_pull(skb, iph->ihl * 4))
		return IPSTATS_MIB_INHDRERRORS;
	iph = (const struct iphdr *)skb->data;

	/* RFC 1122 3.2.1.2: MUST verify the header checksum and silently discard a datagram
	 * that fails. */
	if (unlikely(ip_fast_csum((const u8 *)iph, iph->ihl)))
		return IPSTATS_MIB_CSUMERRORS;

	len = ntohs(iph->tot_len);
	if (skb->len < len)
		return IPSTATS_MIB_INTRUNCATEDPKTS;
	if (len < (u32)(iph->ihl * 4))
		return IPSTATS_MIB_INHDRERRORS;
	return 0;
}

/* ETH_P_IP handler. Consumes @skb. Context: softirq. */
int ip_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
	   struct net_device *orig_dev)
{
	struct net *net = dev_net(dev);
	enum skb_drop_reason reason;
	const struct iphdr *iph;
	int mib;

	UL_TRACE(skb);
	/* When the interface is in promisc mode, drop all the crap that it receives, do not
	 * try to analyse it. */
	if (skb->pkt_type == PACKET_OTHERHOST) {
		reason = SKB_DROP_REASON_OTHERHOST;
		goto drop;
	}

	IP_UPD_PO_STATS_BH(net, IPSTATS_MIB_IN, skb->len);

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb) {
		IP_INC_STATS_BH(net, IPSTATS_MIB_INDISCARDS);
		goto out;
	}

	mib = ip_rcv_core(skb);
	switch (mib) {
	case 0:
		break;
	case IPSTATS_MIB_INTRUNCATEDPKTS:
		IP_INC_STATS_BH(net, IPSTATS_MIB_INTRUNCATEDPKTS);
		reason = SKB_DROP_REASON_PKT_TOO_SMALL;
		goto drop;
	case IPSTATS_MIB_CSUMERRORS:
		IP_INC_STATS_BH(net, IPSTATS_MIB_CSUMERRORS);
		IP_INC_STATS_BH(net, IPSTATS_MIB_INHDRERRORS);
		reason = SKB_DROP_REASON_IP_CSUM;
		goto drop;
	default:
		IP_INC_STATS_BH(net, IPSTATS_MIB_INHDRERRORS);
		reason = SKB_DROP_REASON_IP_INHDR;
		goto drop;
	}

	iph = ip_hdr(skb);
	/* Our transport medium may have padded the buffer out: trim to the IP length. */
	if (pskb_trim_rcsum(skb, ntohs(iph->tot_len))) {
		IP_INC_STATS_BH(net, IPSTATS_MIB_INDISCARDS);
		reason = SKB_DROP_REASON_NOMEM;
		goto drop;
	}
	iph = ip_hdr(skb);
	skb->transport_header = skb->network_header + iph->ihl * 4;

	/* Remove any debris in the socket control block. */
	memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));

	/* Must drop socket now because of tproxy. */
	skb_orphan(skb);

	return NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, skb, dev, NULL, ip_rcv_finish);

drop:
	kfree_skb_reason(skb, reason);
out:
	return NET_RX_DROP;
}
