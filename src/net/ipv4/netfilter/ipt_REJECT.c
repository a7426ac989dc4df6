/* SPDX-License-Identifier: MIT */
/* The REJECT target's answer: the ICMP destination-unreachable error that --reject-with
 * names (port unreachable by default), or a TCP RST (tcp-reset), sent back to the
 * packet's source.
 * Mirrors linux/net/ipv4/netfilter/ipt_REJECT.c (3.10): reject_tg, send_unreach,
 * send_reset (reject_tg_check's "TCP_RESET invalid for non-tcp" is in the iptables
 * command, src/iproute2/iptables.c).
 * Context: the hook's (softirq, or the sender for OUTPUT). */
#include <stddef.h>
#include <string.h>
#include "linux/in.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/tcp.h"
#include "net/ipv4/netfilter/ip_tables.h"
#include "trace/path.h"
#include "uapi/linux/icmp.h"

/* The RST answering @oldskb (a TCP segment), built here rather than by TCP: the segment
 * may be for another host (FORWARD) and no socket is involved. RFC 793's reset rule:
 * an ACK gets <SEQ=SEG.ACK><CTL=RST>, anything else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
 * with SYN and FIN counting one each. Never a RST for a RST, a fragment, a broadcast or
 * a segment with a bad checksum. */
static void send_reset(struct sk_buff *oldskb, unsigned int hook)
{
	const struct iphdr *oiph = ip_hdr(oldskb);
	unsigned int thoff = (unsigned int)skb_network_offset(oldskb) + ip_hdrlen(oldskb);
	struct tcphdr _otcph;
	const struct tcphdr *oth = &_otcph;
	struct sk_buff *nskb;
	struct iphdr *niph;
	struct tcphdr *tcph;

	if (oiph->frag_off & htons(IP_OFFSET))
		return;
	if (skb_copy_bits(oldskb, (int)thoff, &_otcph, sizeof(_otcph)) < 0)
		return;
	if (oth->rst)
		return;
	if (!skb_dst(oldskb) ||
	    (skb_rtable(oldskb)->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)))
		return;
	if (nf_ip_checksum(oldskb, hook, thoff, IPPROTO_TCP))
		return;
	oiph = ip_hdr(oldskb);

	nskb = alloc_skb(sizeof(struct iphdr) + sizeof(struct tcphdr) + LL_MAX_HEADER,
			 GFP_ATOMIC);
	if (!nskb)
		return;
	skb_reserve(nskb, LL_MAX_HEADER);
	skb_reset_network_header(nskb);
	niph = (struct iphdr *)skb_put(nskb, sizeof(struct iphdr));
	niph->version = 4;
	niph->ihl = sizeof(struct iphdr) / 4;
	niph->tos = 0;
	niph->id = 0;
	niph->frag_off = htons(IP_DF);
	niph->protocol = IPPROTO_TCP;
	niph->check = 0;
	niph->saddr = oiph->daddr;
	niph->daddr = oiph->saddr;

	skb_reset_transport_header(nskb);
	tcph = (struct tcphdr *)skb_put(nskb, sizeof(struct tcphdr));
	memset(tcph, 0, sizeof(*tcph));
	tcph->source = oth->dest;
	tcph->dest = oth->source;
	tcph->doff = sizeof(struct tcphdr) / 4;
	if (oth->ack) {
		tcph->seq = oth->ack_seq;
	} else {
		tcph->ack_seq = htonl(ntohl(oth->seq) + oth->syn + oth->fin + oldskb->len -
				      thoff - (oth->doff << 2));
		tcph->ack = 1;
	}
	tcph->rst = 1;
	/* The pseudo-header sum now, the rest at transmit (CHECKSUM_PARTIAL). */
	tcph->check = ~tcp_v4_check(sizeof(struct tcphdr), niph->saddr, niph->daddr, 0);
	nskb->ip_summed = CHECKSUM_PARTIAL;
	nskb->csum_start = (u16)((unsigned char *)tcph - nskb->head);
	nskb->csum_offset = offsetof(struct tcphdr, check);

	/* ip_route_me_harder finds the namespace through the old route. */
	skb_dst_set_noref(nskb, skb_dst(oldskb));
	nskb->protocol = htons(ETH_P_IP);
	if (ip_route_me_harder(nskb, RTN_UNSPEC))
		goto free_nskb;
	niph->ttl = (u8)ip4_dst_hoplimit(skb_dst(nskb));
	/* "Never happens" */
	if (nskb->len > dst_mtu(skb_dst(nskb)))
		goto free_nskb;
	nf_ct_attach(nskb, oldskb);
	ip_local_out(nskb);
	return;

free_nskb:
	kfree_skb(nskb);
}

static void send_unreach(struct sk_buff *skb_in, int code)
{
	icmp_send(skb_in, ICMP_DEST_UNREACH, code, 0);
}

void ipt_reject_send(struct sk_buff *skb, enum ipt_reject_with with, unsigned int hook)
{
	UL_TRACE(skb);
	switch (with) {
	case IPT_ICMP_NET_UNREACHABLE:
		send_unreach(skb, ICMP_NET_UNREACH);
		break;
	case IPT_ICMP_HOST_UNREACHABLE:
		send_unreach(skb, ICMP_HOST_UNREACH);
		break;
	case IPT_ICMP_PROT_UNREACHABLE:
		send_unreach(skb, ICMP_PROT_UNREACH);
		break;
	case IPT_ICMP_PORT_UNREACHABLE:
		send_unreach(skb, ICMP_PORT_UNREACH);
		break;
	case IPT_ICMP_NET_PROHIBITED:
		send_unreach(skb, ICMP_NET_ANO);
		break;
	case IPT_ICMP_HOST_PROHIBITED:
		send_unreach(skb, ICMP_HOST_ANO);
		break;
	case IPT_ICMP_ADMIN_PROHIBITED:
		send_unreach(skb, ICMP_PKT_FILTERED);
		break;
	case IPT_TCP_RESET:
		/* Only -p tcp rules get here (the rule's check). */
		if (ip_hdr(skb)->protocol == IPPROTO_TCP)
			send_reset(skb, hook);
		break;
	case IPT_ICMP_ECHOREPLY:
		/* Refused when the rule was added (3.10: no longer supported). */
		break;
	}
}
