/* SPDX-License-Identifier: MIT */
/* Generic segmentation offload: a TCP/IPv4 packet bigger than the MSS (built once by TCP as
 * a "super packet") is cut into MSS-sized segments in software, just before the driver, when
 * the device cannot do TSO (ethtool -K DEV tso off).
 * Mirrors linux/net/core/dev.c (3.10): skb_gso_segment (__skb_gso_segment),
 * dev_gso_segment and the GSO branch of dev_hard_start_xmit; net/ipv4/af_inet.c's
 * inet_gso_segment and net/ipv4/tcp_offload.c's tcp_tso_segment (net/core/skbuff.c's
 * skb_segment builds the segments).
 * Each segment gets a copy of the headers and its payload as in skb_segment: the bytes of
 * the super packet's page frags are shared (a page reference per frag, no copy); bytes in
 * its linear part, or anywhere in a packet with a frag_list, are copied.
 * DIVERGES: only SKB_GSO_TCPV4.
 * Context: BH off (dev_hard_start_xmit). */
#include <string.h>
#include "linux/netdevice.h"
#include "net/checksum.h"
#include "net/gro.h"
#include "trace/path.h"
#include "uapi/linux/in.h"
#include "uapi/linux/ip.h"
#include "uapi/linux/tcp.h"

static void gso_free_list(struct sk_buff *segs)
{
	while (segs) {
		struct sk_buff *next = segs->next;

		segs->next = NULL;
		kfree_skb(segs);
		segs = next;
	}
}

/* Frags of @skb covering [@off, @off + @len) (offsets in the packet), or -1 when more than
 * MAX_SKB_FRAGS would be needed or the range is not in the head + frags. */
static int gso_frags_needed(const struct sk_buff *skb, unsigned int off, unsigned int len)
{
	unsigned int start = skb_headlen(skb), end = off + len;
	int i, n = 0;

	if (end > skb_pagelen(skb))
		return -1;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		unsigned int fend = start + skb_frag_size(&skb_shinfo(skb)->frags[i]);

		if (fend > off && start < end)
			n++;
		start = fend;
	}
	return n > MAX_SKB_FRAGS ? -1 : n;
}

/* Attach the paged bytes of [@off, @off + @len) of @skb (all at or beyond its head) to
 * @nskb: each piece holds its own page reference. */
static void gso_share_frags(struct sk_buff *nskb, const struct sk_buff *skb, unsigned int off,
			    unsigned int len)
{
	unsigned int start = skb_headlen(skb), end = off + len;
	int i;

	for (i = 0; i < skb_shinfo(skb)->nr_frags && start < end; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];
		unsigned int fend = start + skb_frag_size(f);

		if (fend > off) {
			unsigned int from = max(start, off), to = min(fend, end);
			int k = skb_shinfo(nskb)->nr_frags;

			get_page(skb_frag_page(f));
			skb_fill_page_desc(nskb, k, skb_frag_page(f),
					   (int)(f->page_offset + (from - start)), (int)(to - from));
			nskb->len += to - from;
			nskb->data_len += to - from;
			nskb->truesize += to - from;
		}
		start = fend;
	}
}

struct sk_buff *skb_gso_segment(struct sk_buff *skb, netdev_features_t features)
{
	struct sk_buff *segs = NULL, **tail = &segs;
	unsigned int mac_off, nh_off, th_off, hdr_len, mss, off, seg = 0;
	struct iphdr iph0;
	struct tcphdr th0;
	u32 seq0;
	bool csum_hw = features & (NETIF_F_IP_CSUM | NETIF_F_HW_CSUM);

	UL_TRACE(skb);
	if (!(skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4))
		return ERR_PTR(-EPROTONOSUPPORT);
	if (!skb_mac_header_was_set(skb) || !skb_transport_header_was_set(skb))
		return ERR_PTR(-EINVAL);
	mss = skb_shinfo(skb)->gso_size;
	mac_off = (unsigned int)(skb_mac_header(skb) - skb->data);
	if (skb_mac_header(skb) < skb->data || mac_off != 0)
		return ERR_PTR(-EINVAL);	/* data must start at the MAC header */
	nh_off = (unsigned int)skb_network_offset(skb);
	th_off = (unsigned int)skb_transport_offset(skb);
	if (skb_copy_bits(skb, (int)nh_off, &iph0, sizeof(iph0)) ||
	    skb_copy_bits(skb, (int)th_off, &th0, sizeof(th0)))
		return ERR_PTR(-EINVAL);
	hdr_len = th_off + th0.doff * 4u;
	if (!mss || iph0.version != 4 || th_off != nh_off + iph0.ihl * 4u || th0.doff < 5 ||
	    hdr_len > skb_headlen(skb) || skb->len <= hdr_len)
		return ERR_PTR(-EINVAL);
	seq0 = ntohl(th0.seq);
	for (off = hdr_len; off < skb->len; off += mss, seg++) {
		unsigned int chunk = min(mss, skb->len - off);
		bool last = off + chunk >= skb->len;
		struct sk_buff *nskb;
		struct iphdr *iph;
		struct tcphdr *th;
		unsigned int headroom = skb_headroom(skb);

		/* Linear bytes of this segment are copied; paged ones shared, unless the
		 * packet has a frag_list or the segment would need too many frags. */
		unsigned int lin = off < skb_headlen(skb) ? min(chunk, skb_headlen(skb) - off) : 0;
		bool share = !skb_has_frag_list(skb) && gso_frags_needed(skb, off, chunk) >= 0;

		if (!share)
			lin = chunk;
		nskb = alloc_skb(headroom + hdr_len + lin, GFP_ATOMIC);
		if (!nskb) {
			gso_free_list(segs);
			return ERR_PTR(-ENOMEM);
		}
		skb_reserve(nskb, (int)headroom);
		memcpy(skb_put(nskb, hdr_len), skb->data, hdr_len);
		if (lin && skb_copy_bits(skb, (int)off, skb_put(nskb, lin), (int)lin)) {
			kfree_skb(nskb);
			gso_free_list(segs);
			return ERR_PTR(-EINVAL);
		}
		if (lin < chunk)
			gso_share_frags(nskb, skb, off + lin, chunk - lin);
		nskb->dev = skb->dev;
		nskb->protocol = skb->protocol;
		nskb->priority = skb->priority;
		nskb->mark = skb->mark;
		nskb->queue_mapping = skb->queue_mapping;
		nskb->rxhash = skb->rxhash;
		skb_reset_mac_header(nskb);
		skb_set_network_header(nskb, (int)nh_off);
		skb_set_transport_header(nskb, (int)th_off);
		nskb->mac_len = skb->mac_len;
		iph = (struct iphdr *)skb_network_header(nskb);
		th = (struct tcphdr *)skb_transport_header(nskb);
		/* inet_gso_segment: each segment its own length, id and header checksum. */
		iph->tot_len = htons((u16)(nskb->len - nh_off));
		iph->id = htons((u16)(ntohs(iph0.id) + seg));
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
		/* tcp_tso_segment: sequence numbers advance; FIN and PSH only on the last
		 * segment, CWR only on the first. */
		th->seq = htonl(seq0 + (off - hdr_len));
		if (!last)
			th->fin = th->psh = 0;
		if (seg)
			th->cwr = 0;
		th->check = 0;
		if (csum_hw) {
			th->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr,
						       (unsigned short)(nskb->len - th_off),
						       IPPROTO_TCP, 0);
			nskb->ip_summed = CHECKSUM_PARTIAL;
			nskb->csum_start = (u16)(skb_transport_header(nskb) - nskb->head);
			nskb->csum_offset = offsetof(struct tcphdr, check);
		} else {
			__wsum sum = skb_checksum(nskb, (int)th_off, (int)(nskb->len - th_off), 0);

			th->check = csum_tcpudp_magic(iph->saddr, iph->daddr,
						      (unsigned short)(nskb->len - th_off),
						      IPPROTO_TCP, sum);
			nskb->ip_summed = CHECKSUM_NONE;
		}
		*tail = nskb;
		tail = &nskb->next;
	}
	return segs;
}

int dev_gso_xmit(struct sk_buff *skb, struct net_device *dev, struct netdev_queue *txq,
		 netdev_features_t features)
{
	struct sk_buff *segs;

	UL_TRACE(skb);
	segs = skb_gso_segment(skb, features);
	if (IS_ERR(segs)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_SKB_GSO_SEG);
		return NETDEV_TX_OK;
	}
	consume_skb(skb);
	while (segs) {
		struct sk_buff *nskb = segs;
		int rc;

		segs = segs->next;
		nskb->next = NULL;
		if (!list_empty(&ptype_all))
			dev_queue_xmit_nit(nskb, dev);
		rc = dev->netdev_ops->ndo_start_xmit(nskb, dev);
		if (unlikely(rc != NETDEV_TX_OK)) {
			kfree_skb_reason(nskb, SKB_DROP_REASON_SKB_GSO_SEG);
			atomic_long_inc(&dev->tx_dropped);
			gso_free_list(segs);
			break;
		}
		txq_trans_update(txq);
	}
	return NETDEV_TX_OK;
}
