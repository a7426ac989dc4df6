/* SPDX-License-Identifier: MIT */
/* NAT on top of connection tracking: the first packet of a connection picks its new
 * tuple (SNAT/MASQUERADE: the source, DNAT: the destination), unique among the
 * namespace's connections (a clashing port is remapped); every later packet of either
 * direction is rewritten from the connection's tuples, checksums updated incrementally.
 * Mirrors linux/net/netfilter/nf_nat_core.c, nf_nat_proto_common.c (3.10):
 * nf_nat_used_tuple, get_unique_tuple, nf_nat_l4proto_unique_tuple, nf_nat_setup_info,
 * nf_nat_alloc_null_binding, nf_nat_packet, in_range, find_best_ips_proto, hash_by_src,
 * same_src, find_appropriate_src, nf_nat_cleanup_conntrack;
 * net/ipv4/netfilter/nf_nat_l3proto_ipv4.c: nf_nat_ipv4_manip_pkt, nf_nat_ipv4_fn,
 * nf_nat_ipv4_in, nf_nat_ipv4_local_fn (re-routing with ip_route_me_harder);
 * nf_nat_proto_tcp/udp/icmp.c manip_pkt, nf_nat_icmp_reply_translation; iptable_nat.c's hooks; ipt_MASQUERADE.c's
 * source choice.
 *
 * DIVERGES: no NAT helpers.
 * Context: the hooks' (softirq for RX/forwarding, the sender for OUTPUT). */
#include "linux/in.h"
#include "linux/jhash.h"
#include "linux/netdevice.h"
#include "linux/random.h"
#include "linux/slab.h"
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

/* The per-protocol rovers of 3.10 (tcp_port_rover, udp_port_rover, icmp's id): where the
 * next search for a free port starts. Reset when NAT unloads, so that a new stack picks
 * the same ports. */
static u16 tcp_port_rover, udp_port_rover, icmp_id_rover;
static u32 nf_nat_port_rnd;

/* The port (or ICMP id) that @maniptype rewrites. */
static __be16 *manip_port(struct nf_conntrack_tuple *tuple, enum nf_nat_manip_type maniptype)
{
	if (tuple->dst.protonum == IPPROTO_ICMP)
		return &tuple->src.u.icmp.id;
	return maniptype == NF_NAT_MANIP_SRC ? &tuple->src.u.all : &tuple->dst.u.all;
}

/* 3.10 in_range / l4proto->in_range: does @tuple already lie in @range? */
static bool nf_nat_in_range(const struct nf_conntrack_tuple *tuple,
			    const struct nf_nat_range *range, enum nf_nat_manip_type maniptype)
{
	struct nf_conntrack_tuple t = *tuple;
	__be32 ip = maniptype == NF_NAT_MANIP_SRC ? t.src.ip : t.dst.ip;
	u16 port;

	if ((range->flags & NF_NAT_RANGE_MAP_IPS) &&
	    (ntohl(ip) < ntohl(range->min_ip) || ntohl(ip) > ntohl(range->max_ip)))
		return false;
	if (!(range->flags & NF_NAT_RANGE_PROTO_SPECIFIED))
		return true;
	if (t.dst.protonum != IPPROTO_TCP && t.dst.protonum != IPPROTO_UDP &&
	    t.dst.protonum != IPPROTO_ICMP)
		return true;
	port = ntohs(*manip_port(&t, maniptype));
	return port >= range->min_port && port <= range->max_port;
}

/* 3.10 find_best_ips_proto: the address within [min_ip, max_ip], by a hash of the
 * connection's source (and destination, unless --persistent), so that a client keeps
 * its address across connections. */
static void find_best_ips_proto(struct nf_conntrack_tuple *tuple,
				const struct nf_nat_range *range,
				enum nf_nat_manip_type maniptype)
{
	__be32 *var_ipp = maniptype == NF_NAT_MANIP_SRC ? &tuple->src.ip : &tuple->dst.ip;
	u32 minip, dist, j;

	if (!(range->flags & NF_NAT_RANGE_MAP_IPS))
		return;
	if (range->min_ip == range->max_ip) {
		*var_ipp = range->min_ip;
		return;
	}
	/* jhash2 over the source address as 3.10 hashes its 16-byte nf_inet_addr. */
	j = jhash_3words((u32)tuple->src.ip, 0, 0,
			 (range->flags & NF_NAT_RANGE_PERSISTENT) ? 0 : (u32)tuple->dst.ip);
	minip = ntohl(range->min_ip);
	dist = ntohl(range->max_ip) - minip + 1;
	*var_ipp = htonl(minip + (u32)(((u64)j * dist) >> 32));
}

/* nf_nat_l4proto_unique_tuple (and icmp_unique_tuple): a port in the range (or in the
 * original port's class: 1-511, 600-1023, 1024-65535) that no other connection uses,
 * from the protocol's rover (or, --random, from a hash of the tuple). A DNAT without a
 * port range keeps the port. */
static void nf_nat_unique_port(struct nf_conntrack_tuple *tuple,
			       const struct nf_nat_range *range,
			       enum nf_nat_manip_type maniptype, const struct nf_conn *ct)
{
	__be16 *portptr = manip_port(tuple, maniptype);
	unsigned int range_size, min, i;
	u16 *rover, off;

	if (tuple->dst.protonum == IPPROTO_ICMP) {
		rover = &icmp_id_rover;
		if (range->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
			min = range->min_port;
			range_size = (unsigned int)range->max_port - min + 1;
		} else {
			min = 0;
			range_size = 0xffff;
		}
	} else {
		rover = tuple->dst.protonum == IPPROTO_TCP ? &tcp_port_rover : &udp_port_rover;
		if (!(range->flags & NF_NAT_RANGE_PROTO_SPECIFIED)) {
			u16 port = ntohs(*portptr);

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
	}
	if (range->flags & NF_NAT_RANGE_PROTO_RANDOM)
		/* secure_ipv4_port_ephemeral's role: unpredictable, stable per flow. */
		off = (u16)jhash_3words((u32)tuple->src.ip, (u32)tuple->dst.ip,
					maniptype == NF_NAT_MANIP_SRC ? tuple->dst.u.all :
									tuple->src.u.all,
					nf_nat_port_rnd);
	else
		off = *rover;
	/* Bounded: at most range_size (<= 65535) candidates. */
	for (i = 0; ; ++off) {
		*portptr = htons((u16)(min + off % range_size));
		if (++i != range_size && nf_nat_used_tuple(tuple, ct))
			continue;
		if (!(range->flags & NF_NAT_RANGE_PROTO_RANDOM))
			*rover = off;
		return;
	}
}

/* ---- the bysource hash: connections by original source (address, port, protocol) ---- */

/* DIVERGES: 256 buckets per namespace, allocated at its first source manip (3.10 sizes
 * it as the conntrack hash). */
#define NAT_BYSOURCE_BUCKETS 256
static u32 nf_nat_hash_rnd;

static unsigned int hash_by_src(const struct nf_conntrack_tuple *tuple)
{
	u32 h = jhash_3words((u32)tuple->src.ip, (u32)tuple->src.u.all, tuple->dst.protonum,
			     nf_nat_hash_rnd);

	return (unsigned int)(((u64)h * NAT_BYSOURCE_BUCKETS) >> 32);
}

static bool same_src(const struct nf_conn *ct, const struct nf_conntrack_tuple *tuple)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;

	return t->dst.protonum == tuple->dst.protonum && t->src.ip == tuple->src.ip &&
	       t->src.u.all == tuple->src.u.all;
}

/* 3.10 find_appropriate_src: the mapping another connection from the same source got,
 * if it lies in @range: *@result is @tuple with that source. Context: SRC manip only. */
static bool find_appropriate_src(struct netns_ct *nct, const struct nf_conntrack_tuple *tuple,
				 struct nf_conntrack_tuple *result,
				 const struct nf_nat_range *range)
{
	const struct nf_conn *ct;
	bool found = false;

	spin_lock_bh(&nf_conntrack_lock);
	if (nct->nat_bysource) {
		hlist_for_each_entry(ct, &nct->nat_bysource[hash_by_src(tuple)], nat_bysource) {
			if (!same_src(ct, tuple))
				continue;
			/* The source part from the reply tuple. */
			nf_ct_invert_tuple(result, &ct->tuplehash[IP_CT_DIR_REPLY].tuple,
					   __nf_ct_l4proto_find(tuple->dst.protonum));
			result->dst = tuple->dst;
			if (nf_nat_in_range(result, range, NF_NAT_MANIP_SRC)) {
				found = true;
				break;
			}
		}
	}
	spin_unlock_bh(&nf_conntrack_lock);
	return found;
}

/* Hash @ct by its original source once its source manip is decided (3.10 does it for
 * every connection, null bindings included). */
static void nf_nat_bysource_add(struct nf_conn *ct)
{
	struct netns_ct *nct = nf_ct_pernet(ct->ct_net);
	struct hlist_head *h = NULL;
	unsigned int i;

	if (!nct)
		return;
	if (!nct->nat_bysource) {
		h = kcalloc(NAT_BYSOURCE_BUCKETS, sizeof(*h), GFP_ATOMIC);
		if (!h)
			return;		/* no consistency of mappings, nothing worse */
		for (i = 0; i < NAT_BYSOURCE_BUCKETS; i++)
			INIT_HLIST_HEAD(&h[i]);
	}
	spin_lock_bh(&nf_conntrack_lock);
	if (!nct->nat_bysource) {
		nct->nat_bysource = h;
		h = NULL;
	}
	if (hlist_unhashed(&ct->nat_bysource))
		hlist_add_head(&ct->nat_bysource,
			       &nct->nat_bysource[hash_by_src(&ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple)]);
	spin_unlock_bh(&nf_conntrack_lock);
	kfree(h);
}

void nf_nat_cleanup_conntrack(struct nf_conn *ct)
{
	if (!hlist_unhashed(&ct->nat_bysource))
		hlist_del_init(&ct->nat_bysource);
}

void nf_nat_net_exit(struct netns_ct *nct)
{
	unsigned int i;

	if (!nct->nat_bysource)
		return;
	/* Entries still held by packets outlive the namespace: unhash them now. */
	for (i = 0; i < NAT_BYSOURCE_BUCKETS; i++)
		while (!hlist_empty(&nct->nat_bysource[i]))
			hlist_del_init(nct->nat_bysource[i].first);
	kfree(nct->nat_bysource);
	nct->nat_bysource = NULL;
}

/* 3.10 get_unique_tuple: for a source manip (not --random), the original tuple if it
 * is already in range and unused, or the mapping an earlier connection from the same
 * source got (find_appropriate_src) if it is unused with this destination; else the
 * address the range's hash picks and a port that makes the tuple unique. */
static void get_unique_tuple(struct nf_conntrack_tuple *tuple,
			     const struct nf_conntrack_tuple *orig_tuple,
			     const struct nf_nat_range *range, struct nf_conn *ct,
			     enum nf_nat_manip_type maniptype)
{
	struct netns_ct *nct = nf_ct_pernet(ct->ct_net);

	if (maniptype == NF_NAT_MANIP_SRC && !(range->flags & NF_NAT_RANGE_PROTO_RANDOM)) {
		if (nf_nat_in_range(orig_tuple, range, maniptype)) {
			if (!nf_nat_used_tuple(orig_tuple, ct)) {
				*tuple = *orig_tuple;
				return;
			}
		} else if (nct && find_appropriate_src(nct, orig_tuple, tuple, range)) {
			if (!nf_nat_used_tuple(tuple, ct))
				return;
		}
	}
	*tuple = *orig_tuple;
	find_best_ips_proto(tuple, range, maniptype);
	if (!(range->flags & NF_NAT_RANGE_PROTO_RANDOM)) {
		if (range->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
			if (nf_nat_in_range(tuple, range, maniptype) &&
			    (range->min_port == range->max_port || !nf_nat_used_tuple(tuple, ct)))
				return;
		} else if (!nf_nat_used_tuple(tuple, ct)) {
			return;
		}
	}
	if (tuple->dst.protonum == IPPROTO_TCP || tuple->dst.protonum == IPPROTO_UDP ||
	    tuple->dst.protonum == IPPROTO_ICMP)
		nf_nat_unique_port(tuple, range, maniptype, ct);
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
	if (maniptype == NF_NAT_MANIP_SRC)
		nf_nat_bysource_add(ct);
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
	/* 3.10 skb_make_writable: the bytes written are pulled into the (private) head, so a
	 * paged skb is mangled as a linear one. Pointers are taken after each pull. */
	if (!pskb_may_pull(skb, iphdroff + sizeof(*iph)))
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

			if (!pskb_may_pull(skb, hdroff + sizeof(*uh)))
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
			/* A whole header, unless only the 8 quoted bytes are there (3.10
			 * tcp_manip_pkt's hdrsize). */
			unsigned int hdrsize = skb->len >= hdroff + 20 ? 20 : 8;

			if (!pskb_may_pull(skb, hdroff + hdrsize))
				return false;
			th = skb->data + hdroff;
			portptr = (__be16 *)(th + (maniptype == NF_NAT_MANIP_SRC ? 0 : 2));
			newport = maniptype == NF_NAT_MANIP_SRC ? target->src.u.tcp.port :
								  target->dst.u.tcp.port;
			/* The check field is at 16: present unless this is a quoted header. */
			if (hdrsize == 20) {
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

			if (!pskb_may_pull(skb, hdroff + 8))
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
		range.max_ip = range.min_ip;
		range.flags |= NF_NAT_RANGE_MAP_IPS;
		if (!range.min_ip) {
			net_info_ratelimited("MASQUERADE: %s ate my IP address\n", out->name);
			return NF_DROP;
		}
	}
	(void)hook;
	return nf_nat_setup_info(ct, &range, hook);
}

/* PRE_ROUTING: a packet whose destination DNAT changed must be routed from scratch (it
 * has no route yet on the IP path; one that came with a dst loses it). 3.10 nf_nat_ipv4_in. */
static unsigned int nf_nat_ipv4_in(unsigned int hooknum, struct sk_buff *skb,
				   const struct net_device *in, const struct net_device *out,
				   int (*okfn)(struct sk_buff *))
{
	__be32 daddr = ip_hdr(skb)->daddr;
	unsigned int ret = nf_nat_ipv4_fn(hooknum, skb, in, out, okfn);

	if (ret != NF_DROP && ret != NF_STOLEN && daddr != ip_hdr(skb)->daddr)
		skb_dst_drop(skb);
	return ret;
}

/* LOCAL_OUT: the socket routed the packet to its original destination; if the
 * connection's tuples say the destination is another (OUTPUT DNAT: host:8080 -> a
 * container), route it again so that it leaves by the right device
 * (3.10 nf_nat_ipv4_local_fn -> ip_route_me_harder). Context: the sender. */
static unsigned int nf_nat_ipv4_local_fn(unsigned int hooknum, struct sk_buff *skb,
					 const struct net_device *in,
					 const struct net_device *out,
					 int (*okfn)(struct sk_buff *))
{
	enum ip_conntrack_info ctinfo;
	unsigned int ret;
	struct nf_conn *ct;

	/* root is playing with raw sockets. */
	if (skb->len < sizeof(struct iphdr) || ip_hdrlen(skb) < sizeof(struct iphdr))
		return NF_ACCEPT;
	ret = nf_nat_ipv4_fn(hooknum, skb, in, out, okfn);
	if (ret != NF_DROP && ret != NF_STOLEN && (ct = nf_ct_get(skb, &ctinfo)) != NULL) {
		unsigned int dir = ctinfo >= IP_CT_IS_REPLY ? IP_CT_DIR_REPLY :
							      IP_CT_DIR_ORIGINAL;

		if (ct->tuplehash[dir].tuple.dst.ip != ct->tuplehash[!dir].tuple.src.ip &&
		    skb_dst(skb) && ip_route_me_harder(skb, RTN_UNSPEC))
			ret = NF_DROP;
	}
	return ret;
}

static struct nf_hook_ops nf_nat_ipv4_ops[] = {
	{ .hook = nf_nat_ipv4_in, .pf = NFPROTO_IPV4, .hooknum = NF_INET_PRE_ROUTING,
	  .priority = NF_IP_PRI_NAT_DST },
	{ .hook = nf_nat_ipv4_fn, .pf = NFPROTO_IPV4, .hooknum = NF_INET_POST_ROUTING,
	  .priority = NF_IP_PRI_NAT_SRC },
	{ .hook = nf_nat_ipv4_local_fn, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_OUT,
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
	get_random_bytes(&nf_nat_port_rnd, sizeof(nf_nat_port_rnd));
	get_random_bytes(&nf_nat_hash_rnd, sizeof(nf_nat_hash_rnd));
	/* Kept after nf_nat_fini: the bysource hashes of live namespaces still need them. */
	nf_nat_cleanup_conntrack_hook = nf_nat_cleanup_conntrack;
	nf_nat_net_exit_hook = nf_nat_net_exit;
	nat_loaded = true;
	return 0;
}

void nf_nat_fini(void)
{
	if (!nat_loaded)
		return;
	nf_unregister_hooks(nf_nat_ipv4_ops, ARRAY_SIZE(nf_nat_ipv4_ops));
	nat_loaded = false;
	tcp_port_rover = udp_port_rover = icmp_id_rover = 0;
}
