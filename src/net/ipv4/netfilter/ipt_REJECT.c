/* SPDX-License-Identifier: MIT */
/* The REJECT target's answer: the ICMP destination-unreachable error that --reject-with
 * names (port unreachable by default), sent back to the packet's source.
 * Mirrors linux/net/ipv4/netfilter/ipt_REJECT.c (3.10): reject_tg, send_unreach.
 * DIVERGES: --reject-with tcp-reset (send_reset) is refused by the iptables command until
 * TCP lands; the rule walker never sees it.
 * Context: the hook's (softirq, or the sender for OUTPUT). */
#include "net/icmp.h"
#include "net/ipv4/netfilter/ip_tables.h"
#include "trace/path.h"
#include "uapi/linux/icmp.h"

static void send_unreach(struct sk_buff *skb_in, int code)
{
	icmp_send(skb_in, ICMP_DEST_UNREACH, code, 0);
}

void ipt_reject_send(struct sk_buff *skb, enum ipt_reject_with with, unsigned int hook)
{
	(void)hook;
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
	case IPT_ICMP_ECHOREPLY:
	case IPT_TCP_RESET:
		/* Refused when the rule was added (see the file comment). */
		break;
	}
}
