/* SPDX-License-Identifier: MIT */
/* IPv4 helpers the netfilter targets share: re-route a packet netfilter built or changed,
 * and verify a packet's L4 (or ICMP) checksum before answering it.
 * Mirrors linux/net/ipv4/netfilter.c (3.10): ip_route_me_harder, nf_ip_checksum.
 * Context: the hook's (softirq, or the sender for LOCAL_OUT). */
#include "linux/in.h"
#include "net/checksum.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/route.h"
#include "net/sock.h"
#include "net/ipv4/netfilter/ip_tables.h"

int ip_route_me_harder(struct sk_buff *skb, unsigned int addr_type)
{
	struct net *net = dev_net(skb_dst(skb)->dev);
	const struct iphdr *iph = ip_hdr(skb);
	__be32 saddr = iph->saddr;
	__u8 flags = 0;
	struct flowi4 fl4;
	struct rtable *rt;

	/* A source that is ours or a unicast address (a forwarded packet's, answered on its
	 * sender's behalf) is kept as is; anything else lets the route pick one. */
	if (addr_type == RTN_UNSPEC)
		addr_type = inet_addr_type(net, saddr);
	if (addr_type == RTN_LOCAL || addr_type == RTN_UNICAST)
		flags |= FLOWI_FLAG_ANYSRC;
	else
		saddr = 0;
	flowi4_init_output(&fl4, skb->sk ? skb->sk->sk_bound_dev_if : 0, skb->mark,
			   RT_TOS(iph->tos), RT_SCOPE_UNIVERSE, iph->protocol, flags, iph->daddr,
			   saddr, 0, 0);
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return (int)PTR_ERR(rt);
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	if (skb_dst(skb)->error)
		return skb_dst(skb)->error;
	return 0;
}

__sum16 nf_ip_checksum(struct sk_buff *skb, unsigned int hook, unsigned int dataoff,
		       u_int8_t protocol)
{
	const struct iphdr *iph = ip_hdr(skb);
	int len = (int)(skb->len - dataoff);
	__wsum csum;

	switch (skb->ip_summed) {
	case CHECKSUM_COMPLETE:
		/* The device's sum is only about the packet as received. */
		if (hook != NF_INET_PRE_ROUTING && hook != NF_INET_LOCAL_IN)
			break;
		if ((protocol == 0 && !csum_fold(skb->csum)) ||
		    !csum_tcpudp_magic(iph->saddr, iph->daddr, (unsigned short)len, protocol,
				       skb->csum)) {
			skb->ip_summed = CHECKSUM_UNNECESSARY;
			break;
		}
		/* fall through */
	case CHECKSUM_NONE:
		csum = protocol ? csum_tcpudp_nofold(iph->saddr, iph->daddr, (unsigned short)len,
						     protocol, 0) : 0;
		return csum_fold(skb_checksum(skb, (int)dataoff, len, csum));
	}
	/* CHECKSUM_UNNECESSARY, or PARTIAL (ours, filled in at transmit). */
	return 0;
}
