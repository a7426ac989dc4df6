/* SPDX-License-Identifier: MIT */
/* IPv4 helper the netfilter targets and NAT share: re-route a packet netfilter built or
 * changed. Mirrors linux/net/ipv4/netfilter.c (3.10): ip_route_me_harder (nf_ip_checksum,
 * the same file's other half, is in nf_ip_checksum.c so that conntrack's users do not link
 * the routing code).
 * Context: the hook's (softirq, or the sender for LOCAL_OUT). */
#include "linux/in.h"
#include "net/checksum.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/route.h"
#include "net/sock.h"
#include "net/ipv4/netfilter/ip_tables.h"

/* linux/netdevice.h's link-header alignment (16 bytes). */
#ifndef HH_DATA_ALIGN
#define HH_DATA_MOD 16
#define HH_DATA_ALIGN(len) (((len) + (HH_DATA_MOD - 1)) & ~(HH_DATA_MOD - 1))
#endif

int ip_route_me_harder(struct sk_buff *skb, unsigned int addr_type)
{
	struct net *net = dev_net(skb_dst(skb)->dev);
	const struct iphdr *iph = ip_hdr(skb);
	__be32 saddr = iph->saddr;
	unsigned int hh_len;
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
	/* The new device may need more room for its link-layer header. */
	hh_len = skb_dst(skb)->dev->hard_header_len;
	if (skb_headroom(skb) < hh_len &&
	    pskb_expand_head(skb, (int)HH_DATA_ALIGN(hh_len - skb_headroom(skb)), 0, GFP_ATOMIC))
		return -ENOMEM;
	return 0;
}
