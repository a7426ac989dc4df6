/* SPDX-License-Identifier: MIT */
/* NAT on top of connection tracking: the first packet of a connection picks its new
 * tuple (SNAT/MASQUERADE: the source, DNAT: the destination), unique among the
 * namespace's connections (a clashing port is remapped); every later packet of either
 * direction is rewritten from the connection's tuples, checksums updated incrementally.
 * Mirrors linux/net/netfilter/nf_nat_core.c, nf_nat_proto_common.c (3.10):
 * nf_nat_used_tuple, get_unique_tuple, nf_nat_l4proto_unique_tuple, nf_nat_setup_info,
 * nf_nat_alloc_null_binding, nf_nat_packet; net/ipv4/netfilter/nf_nat_l3proto_ipv4.c:
 * nf_nat_ipv4_manip_pkt, nf_nat_ipv4_fn/in/out/local_fn; nf_nat_proto_tcp/udp/icmp.c
 * manip_pkt, nf_nat_icmp_reply_translation; iptable_nat.c's hooks; ipt_MASQUERADE.c's
 * source choice.
 *
 * DIVERGES: no NAT helpers; OUTPUT DNAT does not re-route (ip_route_me_harder); one address per
 * --to-source/--to-destination (no address ranges).
 * Context: the hooks' (softirq for RX/forwarding, the sender for OUTPUT). */
#include "linux/in.h"
#include "linux/netdevice.h"
#include "net/checksum.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/route.h"
#include "uapi/linux/icmp.h"
#include "uapi/linux/udp.h"
#include "net/netfilter/nf_conntrack.h"
#include "net/ipv4/netfilter/ip_tables.h"
#include "trace/path.h"

enum nf_nat_manip_type { NF_NAT_MANIP_SRC, NF_NAT_MANIP_DST };

#define HOOK2MANIP(hooknum) ((hooknum) != NF_INET_POST_ROUTING && \
			     (hooknum) != NF_INET_LOCAL_IN)

static bool nf_nat_initialized(const struct nf_conn *ct, enum nf_nat_manip_type m)
{
	return ct->status & (m == NF_NAT_MANIP_SRC ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE);
}

/* Is @tuple (an original-direction tuple) in use, i.e. its reply taken by another? */
static int nf_nat_used_tuple(const struct nf_conntrack_tuple *tuple, const struct nf_conn *ct)
{
	struct nf_conntrack_tuple reply;

	nf_ct_invert_tuple(&reply, tuple, __nf_ct_l4proto_find(tuple->dst.protonum));
	return nf_conntrack_tuple_taken(&reply, ct);
}

/* nf_nat_l4proto_unique_tuple: a port in [min, max] (or the port's class range) that no
 * other connection uses, searching from a rover as 3.10. */
static void unique_port(struct nf_conntrack_tuple *tuple, const struct nf_nat_range *range,
			enum nf_nat_manip_type maniptype, const struct nf_conn *ct)
{
	static u16 rover;
	__be16 *portptr = maniptype == NF_NAT_MANIP_SRC ? &tuple->src.u.all : &tuple->dst.u.all;
	unsigned int range_size, min, i;
	u16 off;

	if (tuple->dst.protonum == IPPROTO_ICMP)
		portptr = &tuple->src.u.icmp.id;
	if (!range->min_port) {
		u16 port = ntohs(*portptr);

		/* Keep the port's class: below 512, below 1024, or above. */
		if (maniptype == NF_NAT_MANIP_DST)
			return;
		if (port < 512) {
			min = 1;
			range_size = 511;
		} else if (port < 1024) {
			min = 600;
			range_size = 1023 - min + 1;
		} else {
			min = 1024;
			range_size = 65535 - 1024 + 1;
		}
	} else {
		min = range->min_port;
		range_size = (unsigned int)range->max_port - min + 1;
	}
	off = rover;
	for (i = 0; ; ++off) {
		*portptr = htons((u16)(min + off % range_size));
		if (++i != range_size && nf_nat_used_tuple(tuple, ct))
			continue;
		rover = off;
		return;
	}
}

static void get_unique_tuple(struct nf_conntrack_tuple *tuple,
			     const struct nf_conntrack_tuple *orig_tuple,
			     const struct nf_nat_range *range, struct nf_conn *ct,
			     enum nf_nat_manip_type maniptype)
{
	*tuple = *orig_tuple;
	if (maniptype == NF_NAT_MANIP_SRC) {
		if (range->min_ip)
			tuple->src.ip = range->min_ip;
	} else if (range->min_ip) {
		tuple->dst.ip = range->min_ip;
	}
	if (range->min_port && maniptype == NF_NAT_MANIP_DST &&
	    tuple->dst.protonum != IPPROTO_ICMP) {
		tuple->dst.u.all = htons(range->min_port);
		return;
	}
	/* The port asked for, or the original one, if nobody uses it. */
	if (range->min_port && maniptype == NF_NAT_MANIP_SRC)
		tuple->src.u.all = htons(range->min_port);
	if (!nf_nat_used_tuple(tuple, ct))
		return;
	if (tuple->dst.protonum == IPPROTO_TCP || tuple->dst.protonum == IPPROTO_UDP ||
	    tuple->dst.protonum == IPPROTO_ICMP)
		unique_port(tuple, range, maniptype, ct);
}

unsigned int nf_nat_setup_info(struct nf_conn *ct, const struct nf_nat_range *range,
			       unsigned int hooknum)
{
	enum nf_nat_manip_type maniptype = HOOK2MANIP(hooknum);
	const struct nf_conntrack_l4proto *l4 = __nf_ct_l4proto_find(nf_ct_protonum(ct));
	struct nf_conntrack_tuple curr_tuple, new_tuple;

	if (nf_nat_initialized(ct, maniptype))
		return NF_ACCEPT;
	/* What the original packet looks like now (after earlier manips). */
	nf_ct_invert_tuple(&curr_tuple, &ct->tuplehash[IP_CT_DIR_REPLY].tuple, l4);
	curr_tuple.dst.dir = IP_CT_DIR_ORIGINAL;
	get_unique_tuple(&new_tuple, &curr_tuple, range, ct, maniptype);
	if (!nf_ct_tuple_equal(&new_tuple, &curr_tuple)) {
		struct nf_conntrack_tuple reply;

		/* Unconfirmed: the reply tuple changes before the entry is hashed. */
		nf_ct_invert_tuple(&reply, &new_tuple, l4);
		reply.dst.dir = IP_CT_DIR_REPLY;
		ct->tuplehash[IP_CT_DIR_REPLY].tuple = reply;
		ct->status |= maniptype == NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;
	}
	ct->status |= maniptype == NF_NAT_MANIP_SRC ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE;
	return NF_ACCEPT;
}

/* inet_proto_csum_replace4/2 (net/core/utils.c). */
static void proto_csum_replace4(__sum16 *sum, struct sk_buff *skb, __be32 from, __be32 to,
				bool pseudohdr)
{
	__be32 diff[] = { ~from, to };

	if (skb->ip_summed != CHECKSUM_PARTIAL) {
		*sum = csum_fold(csum_partial(diff, sizeof(diff), ~csum_unfold(*sum)));
		if (skb->ip_summed == CHECKSUM_COMPLETE && pseudohdr)
			skb->csum = ~csum_partial(diff, sizeof(diff), ~skb->csum);
	} else if (pseudohdr) {
		*sum = ~csum_fold(csum_partial(diff, sizeof(diff), csum_unfold(*sum)));
	}
}

static void proto_csum_replace2(__sum16 *sum, struct sk_buff *skb, __be16 from, __be16 to,
				bool pseudohdr)
{
	proto_csum_replace4(sum, skb, (__be32)from, (__be32)to, pseudohdr);
}

/* Rewrite the IP header at @iphdroff (from skb->data) and, if @l4, its transport header
 * to @target's addresses and ports (the source or the destination). The header may be
 * the one quoted inside an ICMP error, of which only 8 transport bytes are guaranteed: a
 * TCP checksum beyond them is left alone (3.10 tcp_manip_pkt). */
static bool nf_nat_ipv4_manip_pkt(struct sk_buff *skb, unsigned int iphdroff, bool l4,
				  const struct nf_conntrack_tuple *target,
				  enum nf_nat_manip_type maniptype)
{
	struct iphdr *iph;
	unsigned int hdroff;
	__be32 oldip, newip;

	if (skb_cloned(skb) && pskb_expand_head(skb, 0, 0, GFP_ATOMIC))
		return false;
	if (skb_headlen(skb) < iphdroff + sizeof(*iph))
		return false;
	iph = (struct iphdr *)(skb->data + iphdroff);
	hdroff = iphdroff + iph->ihl * 4u;
	if (maniptype == NF_NAT_MANIP_SRC) {
		oldip = iph->saddr;
		newip = target->src.ip;
	} else {
		oldip = iph->daddr;
		newip = target->dst.ip;
	}
	/* Non-first fragments carry no L4 header. */
	if (l4 && !(ntohs(iph->frag_off) & IP_OFFSET)) {
		switch (iph->protocol) {
		case IPPROTO_UDP: {
			struct udphdr *uh;
			__be16 *portptr, newport;

			if (skb_headlen(skb) < hdroff + sizeof(*uh))
				return false;
			uh = (struct udphdr *)(skb->data + hdroff);
			portptr = maniptype == NF_NAT_MANIP_SRC ? &uh->source : &uh->dest;
			newport = maniptype == NF_NAT_MANIP_SRC ? target->src.u.udp.port :
								  target->dst.u.udp.port;
			if (uh->check || skb->ip_summed == CHECKSUM_PARTIAL) {
				proto_csum_replace4(&uh->check, skb, oldip, newip, true);
				proto_csum_replace2(&uh->check, skb, *portptr, newport, false);
				if (!uh->check)
					uh->check = CSUM_MANGLED_0;
			}
			*portptr = newport;
			break;
		}
		case IPPROTO_TCP: {
			u8 *th;
			__be16 *portptr, newport;
			__sum16 *check;

			if (skb_headlen(skb) < hdroff + 8)
				return false;
			th = skb->data + hdroff;
			portptr = (__be16 *)(th + (maniptype == NF_NAT_MANIP_SRC ? 0 : 2));
			newport = maniptype == NF_NAT_MANIP_SRC ? target->src.u.tcp.port :
								  target->dst.u.tcp.port;
			/* The check field is at 16: present unless this is a quoted header. */
			if (skb->len >= hdroff + 20 && skb_headlen(skb) >= hdroff + 18) {
				check = (__sum16 *)(th + 16);
				proto_csum_replace4(check, skb, oldip, newip, true);
				proto_csum_replace2(check, skb, *portptr, newport, false);
			}
			*portptr = newport;
			break;
		}
		case IPPROTO_ICMP: {
			u8 *ih;
			__be16 *idptr;

			if (skb_headlen(skb) < hdroff + 8)
				return false;
			ih = skb->data + hdroff;
			idptr = (__be16 *)(ih + 4);
			proto_csum_replace2((__sum16 *)(ih + 2), skb, *idptr,
					    target->src.u.icmp.id, false);
			*idptr = target->src.u.icmp.id;
			break;
		}
		}
	}
	iph = (struct iphdr *)(skb->data + iphdroff);
	if (maniptype == NF_NAT_MANIP_SRC) {
		csum_replace4(&iph->check, iph->saddr, newip);
		iph->saddr = newip;
	} else {
		csum_replace4(&iph->check, iph->daddr, newip);
		iph->daddr = newip;
	}
	return true;
}

static unsigned int nf_nat_packet(struct nf_conn *ct, enum ip_conntrack_info ctinfo,
				  unsigned int hooknum, struct sk_buff *skb)
{
	enum nf_nat_manip_type mtype = HOOK2MANIP(hooknum);
	unsigned int dir = ctinfo >= IP_CT_IS_REPLY ? IP_CT_DIR_REPLY : IP_CT_DIR_ORIGINAL;
	unsigned long statusbit = mtype == NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;

	if (dir == IP_CT_DIR_REPLY)
		statusbit ^= IPS_NAT_MASK;
	if (ct->status & statusbit) {
		struct nf_conntrack_tuple target;

		/* What the other direction's reply would look like: our new tuple. */
		nf_ct_invert_tuple(&target, &ct->tuplehash[!dir].tuple,
				   __nf_ct_l4proto_find(nf_ct_protonum(ct)));
		if (!nf_nat_ipv4_manip_pkt(skb, (unsigned int)skb_network_offset(skb), true,
					   &target, mtype))
			return NF_DROP;
	}
	return NF_ACCEPT;
}

/* An ICMP error about a NATed connection (RELATED): the header it quotes is a packet of
 * the connection going the other way, so it gets the opposite manip from the tuple of
 * its own direction; the ICMP checksum is recomputed; then the outer header is rewritten
 * like the connection's replies (addresses only). 1 done, 0 drop.
 * (3.10 nf_nat_icmp_reply_translation.) */
static int nf_nat_icmp_reply_translation(struct sk_buff *skb, struct nf_conn *ct,
					 enum ip_conntrack_info ctinfo, unsigned int hooknum)
{
	unsigned int dir = ctinfo >= IP_CT_IS_REPLY ? IP_CT_DIR_REPLY : IP_CT_DIR_ORIGINAL;
	enum nf_nat_manip_type manip = HOOK2MANIP(hooknum);
	unsigned int hdrlen = (unsigned int)skb_network_offset(skb) + ip_hdrlen(skb);
	struct nf_conntrack_tuple target;
	unsigned long statusbit;
	u8 *icmph;

	/* The ICMP header and the quoted IP header, in the linear part and ours. */
	if (skb_headlen(skb) < hdrlen + 8 + sizeof(struct iphdr))
		return 0;
	if (skb_cloned(skb) && pskb_expand_head(skb, 0, 0, GFP_ATOMIC))
		return 0;
	if (nf_ip_checksum(skb, hooknum, hdrlen, 0))
		return 0;
	icmph = skb->data + hdrlen;
	if (icmph[0] == ICMP_REDIRECT) {
		/* A redirect about a NATed connection would send the host astray. */
		if ((ct->status & IPS_NAT_DONE_MASK) != IPS_NAT_DONE_MASK)
			return 0;
		if (ct->status & IPS_NAT_MASK)
			return 0;
	}
	statusbit = manip == NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;
	if (dir == IP_CT_DIR_REPLY)
		statusbit ^= IPS_NAT_MASK;
	if (!(ct->status & statusbit))
		return 1;
	if (!nf_nat_ipv4_manip_pkt(skb, hdrlen + 8, true, &ct->tuplehash[!dir].tuple,
				   manip == NF_NAT_MANIP_SRC ? NF_NAT_MANIP_DST : NF_NAT_MANIP_SRC))
		return 0;
	if (skb->ip_summed != CHECKSUM_PARTIAL) {
		__sum16 *check;

		icmph = skb->data + hdrlen;
		check = (__sum16 *)(icmph + 2);
		*check = 0;
		*check = csum_fold(skb_checksum(skb, (int)hdrlen, (int)(skb->len - hdrlen), 0));
		/* A device's sum of the packet as received no longer holds. */
		if (skb->ip_summed == CHECKSUM_COMPLETE)
			skb->ip_summed = CHECKSUM_NONE;
	}
	/* The outer header: as a reply to the packet it quotes. */
	nf_ct_invert_tuple(&target, &ct->tuplehash[!dir].tuple,
			   __nf_ct_l4proto_find(nf_ct_protonum(ct)));
	if (!nf_nat_ipv4_manip_pkt(skb, (unsigned int)skb_network_offset(skb), false, &target,
				   manip))
		return 0;
	return 1;
}

/* The nat table's hooks (iptable_nat.c nf_nat_ipv4_fn). */
static unsigned int nf_nat_ipv4_fn(unsigned int hooknum, struct sk_buff *skb,
				   const struct net_device *in, const struct net_device *out,
				   int (*okfn)(struct sk_buff *))
{
	const struct net_device *dev = in ? in : out;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	struct ipt_net *ipn;

	(void)okfn;
	UL_TRACE(skb);
	if (!ct)
		return NF_ACCEPT;
	if (ctinfo == IP_CT_NEW) {
		if (!nf_nat_initialized(ct, HOOK2MANIP(hooknum))) {
			unsigned int ret = NF_ACCEPT;

			ipn = dev ? ipt_pernet(dev_net(dev)) : NULL;
			if (ipn && ipn->nat)
				ret = ipt_do_table(skb, hooknum, in, out, ipn->nat);
			if (ret != NF_ACCEPT)
				return ret;
			/* No rule bound it: the null binding (nf_nat_alloc_null_binding). */
			if (!nf_nat_initialized(ct, HOOK2MANIP(hooknum))) {
				struct nf_nat_range none = { 0 };

				nf_nat_setup_info(ct, &none, hooknum);
			}
		}
	} else if ((ctinfo == IP_CT_RELATED || ctinfo == IP_CT_RELATED_REPLY) &&
		   ip_hdr(skb)->protocol == IPPROTO_ICMP) {
		return nf_nat_icmp_reply_translation(skb, ct, ctinfo, hooknum) ? NF_ACCEPT :
										   NF_DROP;
	}
	/* Anything else RELATED (a RST REJECT sent, nf_ct_attach) is translated like the
	 * connection's packets. */
	return nf_nat_packet(ct, ctinfo, hooknum, skb);
}

/* The target of an SNAT/DNAT/MASQUERADE rule. Context: the nat hook. */
unsigned int ipt_nat_target(struct sk_buff *skb, const struct ipt_entry *e, unsigned int hook,
			    const struct net_device *out)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	struct nf_nat_range range = e->nat_range;

	if (!ct)
		return NF_ACCEPT;
	if (e->kind == IPT_T_MASQUERADE) {
		/* ipt_MASQUERADE: the outgoing device's address towards the next hop. */
		if (!out)
			return NF_DROP;
		range.min_ip = inet_select_addr(out, ip_hdr(skb)->daddr, RT_SCOPE_UNIVERSE);
		if (!range.min_ip) {
			net_info_ratelimited("MASQUERADE: %s ate my IP address\n", out->name);
			return NF_DROP;
		}
	}
	(void)hook;
	return nf_nat_setup_info(ct, &range, hook);
}

static struct nf_hook_ops nf_nat_ipv4_ops[] = {
	{ .hook = nf_nat_ipv4_fn, .pf = NFPROTO_IPV4, .hooknum = NF_INET_PRE_ROUTING,
	  .priority = NF_IP_PRI_NAT_DST },
	{ .hook = nf_nat_ipv4_fn, .pf = NFPROTO_IPV4, .hooknum = NF_INET_POST_ROUTING,
	  .priority = NF_IP_PRI_NAT_SRC },
	{ .hook = nf_nat_ipv4_fn, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_OUT,
	  .priority = NF_IP_PRI_NAT_DST },
	{ .hook = nf_nat_ipv4_fn, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_IN,
	  .priority = NF_IP_PRI_NAT_SRC },
};

static bool nat_loaded;

/* modprobe iptable_nat (loads conntrack). Idempotent. Context: process. */
int nf_nat_init(void)
{
	int err;

	if (nat_loaded)
		return 0;
	err = nf_conntrack_init();
	if (err)
		return err;
	err = nf_register_hooks(nf_nat_ipv4_ops, ARRAY_SIZE(nf_nat_ipv4_ops));
	if (err)
		return err;
	nat_loaded = true;
	return 0;
}

void nf_nat_fini(void)
{
	if (!nat_loaded)
		return;
	nf_unregister_hooks(nf_nat_ipv4_ops, ARRAY_SIZE(nf_nat_ipv4_ops));
	nat_loaded = false;
}
