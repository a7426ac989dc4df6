/* SPDX-License-Identifier: MIT */
/* Verify a packet's L4 (or ICMP) checksum for conntrack, NAT and REJECT before they trust
 * or answer it. Mirrors linux/net/ipv4/netfilter.c (3.10): nf_ip_checksum (ulnet keeps it
 * apart from ip_route_me_harder, in nf_ipv4.c, so that code needing only the checksum does
 * not pull the routing code and its boot hooks into a program).
 * Context: the hook's (softirq, or the sender for LOCAL_OUT). */
#include "linux/in.h"
#include "net/checksum.h"
#include "net/ip.h"
#include "net/ipv4/netfilter/ip_tables.h"

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
		if (csum_fold(skb_checksum(skb, (int)dataoff, len, csum)))
			return 1;
		/* Verified: the protocol need not sum it again (__skb_checksum_complete). */
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		return 0;
	}
	/* CHECKSUM_UNNECESSARY, or PARTIAL (ours, filled in at transmit). */
	return 0;
}
