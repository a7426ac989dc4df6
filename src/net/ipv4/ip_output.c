/* SPDX-License-Identifier: MIT */
/* IPv4 transmit: LOCAL_OUT, POST_ROUTING, fragmentation, the neighbour, the device.
 * Mirrors linux/net/ipv4/ip_output.c (3.10): __ip_local_out, ip_local_out, ip_output,
 * ip_mc_output, ip_finish_output, ip_finish_output2, ip_fragment, ip_copy_metadata; and
 * route.c's __ip_select_ident / ip_select_fb_ident, net/ip.h's ip_select_ident and
 * ip4_dst_hoplimit. The socket half of 3.10's ip_output.c (ip_queue_xmit, ip_append_data,
 * ip_make_skb, ...) is ip_output_sk.c.
 *
 * Book ch4: ip_queue_xmit -> ip_local_out -> __ip_local_out -> NF_HOOK(LOCAL_OUT) ->
 * dst_output = ip_output -> NF_HOOK(POST_ROUTING) -> ip_finish_output (ip_fragment when
 * longer than the path MTU) -> ip_finish_output2 -> __ipv4_neigh_lookup_noref /
 * __neigh_create -> neigh_output -> dev_queue_xmit.
 * Context: process (a sending task) or softirq (forwarding, ICMP, TCP timers). */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/netdevice.h"
#include "linux/netfilter.h"
#include "linux/random.h"
#include "linux/skbuff.h"
#include "net/arp.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/inet_sock.h"
#include "net/inetpeer.h"
#include "net/ip.h"
#include "net/neighbour.h"
#include "net/route.h"
#include "net/sock.h"
#include "trace/path.h"


/* Link-layer headroom a device wants, in 16-byte units (linux/netdevice.h). */
#ifndef LL_RESERVED_SPACE
#define HH_DATA_MOD 16
#define LL_RESERVED_SPACE(dev) \
	((((dev)->hard_header_len + (dev)->needed_headroom) & ~(HH_DATA_MOD - 1)) + HH_DATA_MOD)
#endif

int sysctl_ip_default_ttl = IPDEFTTL;

int ip4_dst_hoplimit(const struct dst_entry *dst)
{
	int hoplimit = (int)dst_metric_raw(dst, RTAX_HOPLIMIT);

	if (hoplimit == 0)
		hoplimit = sysctl_ip_default_ttl;
	return hoplimit;
}

/* ---- IP ID ---- */

/* No peer for the destination (out of memory): a global salted counter. */
static void ip_select_fb_ident(struct iphdr *iph)
{
	static DEFINE_SPINLOCK(ip_fb_id_lock);
	static u32 ip_fallback_id;
	u32 salt;

	spin_lock_bh(&ip_fb_id_lock);
	salt = (ip_fallback_id ^ (u32)iph->daddr) * 0x9e3779b1u + prandom_u32();
	iph->id = htons(salt & 0xFFFF);
	ip_fallback_id = salt;
	spin_unlock_bh(&ip_fb_id_lock);
}

/* One counter per destination (inet_peer), so that IDs to one host are sequential and
 * unrelated across hosts (3.10 route.c). */
void __ip_select_ident(struct iphdr *iph, struct dst_entry *dst, int more)
{
	struct net *net = dev_net(dst->dev);
	struct inet_peer *peer;

	peer = inet_getpeer_v4(net->ipv4.peers, iph->daddr, 1);
	if (peer) {
		iph->id = htons(inet_getid(peer, more));
		inet_putpeer(peer);
		return;
	}
	ip_select_fb_ident(iph);
}

/* ---- LOCAL_OUT ---- */

int __ip_local_out(struct sk_buff *skb)
{
	struct iphdr *iph = ip_hdr(skb);

	UL_TRACE(skb);
	iph->tot_len = htons(skb->len);
	ip_send_check(iph);
	return nf_hook(NFPROTO_IPV4, NF_INET_LOCAL_OUT, skb, NULL, skb_dst(skb)->dev,
		       dst_output);
}

int ip_local_out(struct sk_buff *skb)
{
	int err;

	UL_TRACE(skb);
	err = __ip_local_out(skb);
	if (likely(err == 1))
		err = dst_output(skb);
	return err;
}

/* Send a complete datagram (ICMP, UDP): LOCAL_OUT and on. A qdisc's congestion notice is
 * not an error; a drop counts OutDiscards. */
int ip_send_skb(struct net *net, struct sk_buff *skb)
{
	int err;

	UL_TRACE(skb);
	err = ip_local_out(skb);
	if (err) {
		if (err > 0)
			err = net_xmit_errno(err);
		if (err)
			IP_INC_STATS(net, IPSTATS_MIB_OUTDISCARDS);
	}
	return err;
}

/* ---- POST_ROUTING and the neighbour ---- */

static int ip_finish_output2(struct sk_buff *skb)
{
	struct dst_entry *dst = skb_dst(skb);
	struct rtable *rt = (struct rtable *)dst;
	struct net_device *dev = dst->dev;
	unsigned int hh_len = LL_RESERVED_SPACE(dev);
	struct neighbour *neigh;
	u32 nexthop;

	UL_TRACE(skb);
	if (rt->rt_type == RTN_MULTICAST)
		IP_UPD_PO_STATS(dev_net(dev), IPSTATS_MIB_OUTMCAST, skb->len);
	else if (rt->rt_type == RTN_BROADCAST)
		IP_UPD_PO_STATS(dev_net(dev), IPSTATS_MIB_OUTBCAST, skb->len);

	/* Be paranoid, rather than too clever: make room for the link header. */
	if (unlikely(skb_headroom(skb) < hh_len && dev->header_ops)) {
		struct sk_buff *skb2;

		skb2 = skb_realloc_headroom(skb, LL_RESERVED_SPACE(dev));
		if (!skb2) {
			kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
			return -ENOMEM;
		}
		if (skb->sk)
			skb_set_owner_w(skb2, skb->sk);
		consume_skb(skb);
		skb = skb2;
	}

	rcu_read_lock_bh();
	nexthop = (u32)rt_nexthop(rt, ip_hdr(skb)->daddr);
	neigh = __ipv4_neigh_lookup_noref(dev, nexthop);
	if (unlikely(!neigh))
		neigh = __neigh_create(&arp_tbl, &nexthop, dev, false);
	if (!IS_ERR_OR_NULL(neigh)) {
		int res;

		res = dst_neigh_output(dst, neigh, skb);
		rcu_read_unlock_bh();
		return res;
	}
	rcu_read_unlock_bh();

	net_dbg_ratelimited("%s: No header cache and no neighbour!\n", __func__);
	kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_CREATEFAIL);
	return -EINVAL;
}

/* The MTU that applies to @skb: the device's for IP_PMTUDISC_PROBE sockets, else the
 * route's path MTU (net/ip.h ip_skb_dst_mtu). */
static inline unsigned int ip_skb_dst_mtu(const struct sk_buff *skb)
{
	struct inet_sock *inet = skb->sk ? inet_sk(skb->sk) : NULL;

	return (inet && inet->pmtudisc == IP_PMTUDISC_PROBE) ? skb_dst(skb)->dev->mtu :
							       dst_mtu(skb_dst(skb));
}

static int ip_finish_output(struct sk_buff *skb)
{
	UL_TRACE(skb);
	if (skb->len > ip_skb_dst_mtu(skb) && !skb_is_gso(skb))
		return ip_fragment(skb, ip_finish_output2);
	return ip_finish_output2(skb);
}

int ip_output(struct sk_buff *skb)
{
	struct net_device *dev = skb_dst(skb)->dev;

	UL_TRACE(skb);
	IP_UPD_PO_STATS(dev_net(dev), IPSTATS_MIB_OUT, skb->len);

	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);

	return NF_HOOK_COND(NFPROTO_IPV4, NF_INET_POST_ROUTING, skb, NULL, dev, ip_finish_output,
			    !(IPCB(skb)->flags & IPSKB_REROUTED));
}

/* DIVERGES: no multicast routing and no multicast loopback copies yet (3.10 loops a copy of
 * multicast and broadcast packets back to local listeners with dev_loopback_xmit). The
 * packet is sent like a unicast one; the OutMcast/OutBcast counters are kept. */
int ip_mc_output(struct sk_buff *skb)
{
	UL_TRACE(skb);
	return ip_output(skb);
}

/* ---- fragmentation ---- */

static void ip_copy_metadata(struct sk_buff *to, struct sk_buff *from)
{
	to->pkt_type = from->pkt_type;
	to->priority = from->priority;
	to->protocol = from->protocol;
	skb_dst_drop(to);
	skb_dst_copy(to, from);
	to->dev = from->dev;
	to->mark = from->mark;
	/* Copy the flags to each fragment. */
	IPCB(to)->flags = IPCB(from)->flags;
}

/* RFC 791 2.3 / RFC 1122 3.3.3: cut the datagram in pieces of at most the path MTU whose
 * data lengths are multiples of 8 (except the last), each with a copy of the header (the
 * non-copied options stripped after the first) and MF on all but the last.
 * A datagram built with its fragments on frag_list (ip_append_data) is sent as is when the
 * geometry is right (the fast path); otherwise the data is copied into new skbs. */
int ip_fragment(struct sk_buff *skb, int (*output)(struct sk_buff *))
{
	struct iphdr *iph;
	int ptr;
	struct net_device *dev;
	struct sk_buff *skb2;
	unsigned int mtu, hlen, left, len, ll_rs;
	int offset;
	__be16 not_last_frag;
	struct rtable *rt = skb_rtable(skb);
	int err = 0;

	UL_TRACE(skb);
	dev = rt->dst.dev;
	iph = ip_hdr(skb);

	if (unlikely(((iph->frag_off & htons(IP_DF)) && !skb->local_df) ||
		     (IPCB(skb)->frag_max_size &&
		      IPCB(skb)->frag_max_size > dst_mtu(&rt->dst)))) {
		/* RFC 1191: tell the sender the next-hop MTU. */
		IP_INC_STATS(dev_net(dev), IPSTATS_MIB_FRAGFAILS);
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(ip_skb_dst_mtu(skb)));
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
		return -EMSGSIZE;
	}

	hlen = iph->ihl * 4;
	if (dst_mtu(&rt->dst) < hlen + 8) {
		/* Not even one 8-byte block fits (an MTU below 68 is refused elsewhere). */
		IP_INC_STATS(dev_net(dev), IPSTATS_MIB_FRAGFAILS);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
		return -EMSGSIZE;
	}
	mtu = dst_mtu(&rt->dst) - hlen;	/* Size of data space */
	IPCB(skb)->flags |= IPSKB_FRAG_COMPLETE;

	/* When frag_list is given, use it. First, check its validity: some transformers
	 * could create wrong frag_list or break existing one, it is not prohibited. In this
	 * case fall back to copying. */
	if (skb_has_frag_list(skb)) {
		struct sk_buff *frag, *frag2;
		/* The head skb's own data: linear part and page frags (3.10 skb_pagelen); its
		 * frags go out with it as the first fragment. */
		unsigned int first_len = skb_pagelen(skb);

		if (first_len - hlen > mtu || ((first_len - hlen) & 7) || ip_is_fragment(iph) ||
		    skb_cloned(skb))
			goto slow_path;

		skb_walk_frags(skb, frag) {
			/* Correct geometry. */
			if (frag->len > mtu || ((frag->len & 7) && frag->next) ||
			    skb_headroom(frag) < hlen)
				goto slow_path_clean;
			/* Partially cloned skb? */
			if (skb_shared(frag))
				goto slow_path_clean;
			BUG_ON(frag->sk);
			if (skb->sk) {
				frag->sk = skb->sk;
				frag->destructor = sock_wfree;
			}
			skb->truesize -= frag->truesize;
		}

		/* Everything is OK. Generate! */
		err = 0;
		offset = 0;
		frag = skb_shinfo(skb)->frag_list;
		skb_shinfo(skb)->frag_list = NULL;
		skb->data_len = first_len - skb_headlen(skb);
		skb->len = first_len;
		iph->tot_len = htons(first_len);
		iph->frag_off = htons(IP_MF);
		ip_send_check(iph);

		for (;;) {
			/* Prepare the header of the next frame before the previous one went
			 * down. */
			if (frag) {
				frag->ip_summed = CHECKSUM_NONE;
				skb_reset_transport_header(frag);
				__skb_push(frag, hlen);
				skb_reset_network_header(frag);
				memcpy(skb_network_header(frag), iph, hlen);
				iph = ip_hdr(frag);
				iph->tot_len = htons(frag->len);
				ip_copy_metadata(frag, skb);
				if (offset == 0)
					ip_options_fragment(frag);
				offset += skb->len - hlen;
				iph->frag_off = htons(offset >> 3);
				if (frag->next)
					iph->frag_off |= htons(IP_MF);
				/* Ready, complete checksum */
				ip_send_check(iph);
			}

			err = output(skb);
			if (!err)
				IP_INC_STATS(dev_net(dev), IPSTATS_MIB_FRAGCREATES);
			if (err || !frag)
				break;

			skb = frag;
			frag = skb->next;
			skb->next = NULL;
		}

		if (err == 0) {
			IP_INC_STATS(dev_net(dev), IPSTATS_MIB_FRAGOKS);
			return 0;
		}

		while (frag) {
			skb = frag->next;
			kfree_skb(frag);
			frag = skb;
		}
		IP_INC_STATS(dev_net(dev), IPSTATS_MIB_FRAGFAILS);
		return err;

slow_path_clean:
		skb_walk_frags(skb, frag2) {
			if (frag2 == frag)
				break;
			frag2->sk = NULL;
			frag2->destructor = NULL;
			skb->truesize += frag2->truesize;
		}
	}

slow_path:
	/* Offloaded checksums are computed before the data is cut. */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		err = -ENOMEM;
		goto fail;
	}
	iph = ip_hdr(skb);

	left = skb->len - hlen;		/* Space per frame */
	ptr = (int)hlen;		/* Where to start from */
	ll_rs = LL_RESERVED_SPACE(rt->dst.dev);

	offset = (ntohs(iph->frag_off) & IP_OFFSET) << 3;
	not_last_frag = iph->frag_off & htons(IP_MF);

	/* Keep copying data until we run out. */
	while (left > 0) {
		len = left;
		/* IF: it doesn't fit, use 'mtu' - the data space left */
		if (len > mtu)
			len = mtu;
		/* IF: we are not sending up to and including the packet end then align the
		 * next start on an eight byte boundary */
		if (len < left)
			len &= ~7U;

		skb2 = alloc_skb(len + hlen + ll_rs, GFP_ATOMIC);
		if (!skb2) {
			net_dbg_ratelimited("IP: frag: no memory for new fragment!\n");
			err = -ENOMEM;
			goto fail;
		}

		/* Set up data on packet. */
		ip_copy_metadata(skb2, skb);
		skb_reserve(skb2, (int)ll_rs);
		skb_put(skb2, len + hlen);
		skb_reset_network_header(skb2);
		skb2->transport_header = skb2->network_header + hlen;

		/* Charge the memory for the fragment to any owner it might possess. */
		if (skb->sk)
			skb_set_owner_w(skb2, skb->sk);

		/* Copy the packet header into the new buffer. */
		skb_copy_from_linear_data(skb, skb_network_header(skb2), hlen);

		/* Copy a block of the IP datagram. */
		if (skb_copy_bits(skb, ptr, skb_transport_header(skb2), (int)len)) {
			kfree_skb(skb2);
			err = -EFAULT;
			goto fail;
		}
		left -= len;

		/* Fill in the new header fields. */
		iph = ip_hdr(skb2);
		iph->frag_off = htons((u16)(offset >> 3));

		/* ANK: dirty, but effective trick. Upgrade options only if the segment to be
		 * fragmented was THE FIRST (otherwise, options are already fixed) and make it
		 * ONCE on the initial skb, so that all the following fragments will inherit
		 * fixed options. */
		if (offset == 0)
			ip_options_fragment(skb);

		/* Added AC : If we are fragmenting a fragment that's not the last fragment
		 * then keep MF on each bit */
		if (left > 0 || not_last_frag)
			iph->frag_off |= htons(IP_MF);
		ptr += (int)len;
		offset += (int)len;

		/* Put this fragment into the sending queue. */
		iph->tot_len = htons(len + hlen);
		ip_send_check(iph);

		err = output(skb2);
		if (err)
			goto fail;

		IP_INC_STATS(dev_net(dev), IPSTATS_MIB_FRAGCREATES);
	}
	consume_skb(skb);
	IP_INC_STATS(dev_net(dev), IPSTATS_MIB_FRAGOKS);
	return err;

fail:
	kfree_skb(skb);
	IP_INC_STATS(dev_net(dev), IPSTATS_MIB_FRAGFAILS);
	return err;
}
