/* SPDX-License-Identifier: MIT */
/* ICMP tracking: an echo request and its reply form a connection (by id, 30 s); an ICMP
 * error carrying the header of a tracked packet is RELATED to that connection.
 * Mirrors linux/net/ipv4/netfilter/nf_conntrack_proto_icmp.c (3.10): icmp_pkt_to_tuple,
 * icmp_invert_tuple (invmap), icmp_packet, icmp_new (valid_new), icmp_error_message,
 * icmp_error; nf_ct_icmp_timeout 30 s.
 * Context: the hook's. */
#include "linux/in.h"
#include "net/ip.h"
#include "net/netfilter/nf_conntrack.h"
#include "uapi/linux/icmp.h"

unsigned int nf_ct_icmp_timeout = 30 * HZ;

/* request <-> reply; 0 + 1 so that 0 means "no inverse" */
static const u_int8_t invmap[] = {
	[ICMP_ECHO] = ICMP_ECHOREPLY + 1,
	[ICMP_ECHOREPLY] = ICMP_ECHO + 1,
	[ICMP_TIMESTAMP] = ICMP_TIMESTAMPREPLY + 1,
	[ICMP_TIMESTAMPREPLY] = ICMP_TIMESTAMP + 1,
	[ICMP_INFO_REQUEST] = ICMP_INFO_REPLY + 1,
	[ICMP_INFO_REPLY] = ICMP_INFO_REQUEST + 1,
	[ICMP_ADDRESS] = ICMP_ADDRESSREPLY + 1,
	[ICMP_ADDRESSREPLY] = ICMP_ADDRESS + 1,
};

static bool icmp_pkt_to_tuple(const struct sk_buff *skb, unsigned int dataoff,
			      struct nf_conntrack_tuple *tuple)
{
	u8 hdr[8];

	if (skb_copy_bits(skb, (int)dataoff, hdr, sizeof(hdr)) < 0)
		return false;
	tuple->dst.u.icmp.type = hdr[0];
	tuple->dst.u.icmp.code = hdr[1];
	memcpy(&tuple->src.u.icmp.id, hdr + 4, 2);
	return true;
}

static bool icmp_invert_tuple(struct nf_conntrack_tuple *tuple,
			      const struct nf_conntrack_tuple *orig)
{
	u8 type = orig->dst.u.icmp.type;

	if (type >= sizeof(invmap) || !invmap[type])
		return false;
	tuple->src.u.icmp.id = orig->src.u.icmp.id;
	tuple->dst.u.icmp.type = (u8)(invmap[type] - 1);
	tuple->dst.u.icmp.code = orig->dst.u.icmp.code;
	return true;
}

static int icmp_packet(struct nf_conn *ct, const struct sk_buff *skb, unsigned int dataoff,
		       enum ip_conntrack_info ctinfo)
{
	(void)dataoff;
	nf_ct_refresh_acct(ct, ctinfo, skb, nf_ct_icmp_timeout);
	return NF_ACCEPT;
}

/* Only requests open a connection. */
static bool icmp_new(struct nf_conn *ct, const struct sk_buff *skb, unsigned int dataoff)
{
	u8 type = ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.u.icmp.type;

	(void)skb;
	(void)dataoff;
	return type == ICMP_ECHO || type == ICMP_TIMESTAMP || type == ICMP_INFO_REQUEST ||
	       type == ICMP_ADDRESS;
}

/* An error about a packet we track: find its connection (RELATED). */
static int icmp_error_message(struct net *net, struct sk_buff *skb, unsigned int dataoff,
			      enum ip_conntrack_info *ctinfo)
{
	struct nf_conntrack_tuple origtuple, innertuple;
	const struct nf_conntrack_l4proto *innerproto;
	struct nf_conntrack_tuple_hash *h;
	unsigned int inner_nhoff = dataoff + 8;
	struct iphdr inner;
	struct nf_conn *ct;

	if (skb_copy_bits(skb, (int)inner_nhoff, &inner, sizeof(inner)) < 0)
		return -NF_ACCEPT;
	innerproto = __nf_ct_l4proto_find(inner.protocol);
	if (!nf_ct_get_tuple(skb, inner_nhoff, inner_nhoff + inner.ihl * 4u, inner.protocol,
			     &origtuple, innerproto))
		return -NF_ACCEPT;
	/* The inner packet went the other way: look up its inverse. */
	if (!nf_ct_invert_tuple(&innertuple, &origtuple, innerproto))
		return -NF_ACCEPT;
	*ctinfo = IP_CT_RELATED;
	h = nf_conntrack_find_get(net, &innertuple);
	if (!h)
		return -NF_ACCEPT;
	if (h->tuple.dst.dir == IP_CT_DIR_REPLY)
		*ctinfo = (enum ip_conntrack_info)(*ctinfo + IP_CT_IS_REPLY);
	ct = nf_ct_tuplehash_to_ctrack(h);
	skb->nfct = &ct->ct_general;
	skb->nfctinfo = (u8)*ctinfo;
	return NF_ACCEPT;
}

static int icmp_error(struct net *net, struct sk_buff *skb, unsigned int dataoff,
		      enum ip_conntrack_info *ctinfo, unsigned int hooknum)
{
	u8 hdr[2];

	(void)hooknum;
	if (skb_copy_bits(skb, (int)dataoff, hdr, sizeof(hdr)) < 0)
		return -NF_ACCEPT;	/* short packet: invalid */
	if (hdr[0] > NR_ICMP_TYPES)
		return -NF_ACCEPT;
	if (hdr[0] != ICMP_DEST_UNREACH && hdr[0] != ICMP_SOURCE_QUENCH &&
	    hdr[0] != ICMP_TIME_EXCEEDED && hdr[0] != ICMP_PARAMETERPROB &&
	    hdr[0] != ICMP_REDIRECT)
		return NF_ACCEPT;
	return icmp_error_message(net, skb, dataoff, ctinfo);
}

static void icmp_print(char *buf, size_t len, const struct nf_conn *ct)
{
	(void)ct;
	if (len)
		buf[0] = '\0';
}

const struct nf_conntrack_l4proto nf_conntrack_l4proto_icmp = {
	.l4proto = IPPROTO_ICMP,
	.name = "icmp",
	.pkt_to_tuple = icmp_pkt_to_tuple,
	.invert_tuple = icmp_invert_tuple,
	.packet = icmp_packet,
	.new = icmp_new,
	.error = icmp_error,
	.print_conntrack = icmp_print,
};
