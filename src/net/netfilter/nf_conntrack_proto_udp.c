/* SPDX-License-Identifier: MIT */
/* UDP "connections": a flow of datagrams between two ports, 30 s until a reply is seen,
 * then 180 s (and assured) while both directions talk.
 * Mirrors linux/net/netfilter/nf_conntrack_proto_udp.c (3.10): udp_pkt_to_tuple,
 * udp_invert_tuple, udp_packet, udp_new, udp_timeouts (UDP_CT_UNREPLIED 30 s,
 * UDP_CT_REPLIED 180 s); and nf_conntrack_proto_generic.c (600 s) for other protocols.
 * Context: the hook's. */
#include "linux/in.h"
#include "net/netfilter/nf_conntrack.h"

unsigned int nf_ct_udp_timeout = 30 * HZ;
unsigned int nf_ct_udp_timeout_stream = 180 * HZ;
static unsigned int nf_ct_generic_timeout = 600 * HZ;

static bool udp_pkt_to_tuple(const struct sk_buff *skb, unsigned int dataoff,
			     struct nf_conntrack_tuple *tuple)
{
	__be16 ports[2];

	if (skb_copy_bits(skb, (int)dataoff, ports, sizeof(ports)) < 0)
		return false;
	tuple->src.u.udp.port = ports[0];
	tuple->dst.u.udp.port = ports[1];
	return true;
}

static bool udp_invert_tuple(struct nf_conntrack_tuple *tuple,
			     const struct nf_conntrack_tuple *orig)
{
	tuple->src.u.udp.port = orig->dst.u.udp.port;
	tuple->dst.u.udp.port = orig->src.u.udp.port;
	return true;
}

static int udp_packet(struct nf_conn *ct, const struct sk_buff *skb, unsigned int dataoff,
		      enum ip_conntrack_info ctinfo)
{
	(void)dataoff;
	/* Seen both ways: a stream; 3.10 also sets ASSURED here. */
	if ((ct->status & IPS_SEEN_REPLY) || ctinfo >= IP_CT_IS_REPLY) {
		nf_ct_refresh_acct(ct, ctinfo, skb, nf_ct_udp_timeout_stream);
		ct->status |= IPS_ASSURED;
	} else {
		nf_ct_refresh_acct(ct, ctinfo, skb, nf_ct_udp_timeout);
	}
	return NF_ACCEPT;
}

static bool udp_new(struct nf_conn *ct, const struct sk_buff *skb, unsigned int dataoff)
{
	(void)ct;
	(void)skb;
	(void)dataoff;
	return true;
}

const struct nf_conntrack_l4proto nf_conntrack_l4proto_udp4 = {
	.l4proto = IPPROTO_UDP,
	.name = "udp",
	.pkt_to_tuple = udp_pkt_to_tuple,
	.invert_tuple = udp_invert_tuple,
	.packet = udp_packet,
	.new = udp_new,
};

/* ---- generic (any other protocol: addresses only) ---- */

static bool generic_pkt_to_tuple(const struct sk_buff *skb, unsigned int dataoff,
				 struct nf_conntrack_tuple *tuple)
{
	(void)skb;
	(void)dataoff;
	tuple->src.u.all = 0;
	tuple->dst.u.all = 0;
	return true;
}

static bool generic_invert_tuple(struct nf_conntrack_tuple *tuple,
				 const struct nf_conntrack_tuple *orig)
{
	(void)orig;
	tuple->src.u.all = 0;
	tuple->dst.u.all = 0;
	return true;
}

static int generic_packet(struct nf_conn *ct, const struct sk_buff *skb, unsigned int dataoff,
			  enum ip_conntrack_info ctinfo)
{
	(void)dataoff;
	nf_ct_refresh_acct(ct, ctinfo, skb, nf_ct_generic_timeout);
	return NF_ACCEPT;
}

const struct nf_conntrack_l4proto nf_conntrack_l4proto_generic = {
	.l4proto = 255,
	.name = "unknown",
	.pkt_to_tuple = generic_pkt_to_tuple,
	.invert_tuple = generic_invert_tuple,
	.packet = generic_packet,
	.new = udp_new,
};

const struct nf_conntrack_l4proto *__nf_ct_l4proto_find(u_int8_t l4proto)
{
	switch (l4proto) {
	case IPPROTO_TCP:
		return &nf_conntrack_l4proto_tcp4;
	case IPPROTO_UDP:
		return &nf_conntrack_l4proto_udp4;
	case IPPROTO_ICMP:
		return &nf_conntrack_l4proto_icmp;
	default:
		return &nf_conntrack_l4proto_generic;
	}
}
