/* SPDX-License-Identifier: MIT */
/* Generic receive offload: in-order TCP/IPv4 segments of one flow, received in one NAPI
 * poll, are merged into one skb (a frag_list) before the stack sees them, so IP and TCP run
 * once per merged packet instead of once per segment.
 * Mirrors linux/net/core/dev.c (3.10): napi_gro_receive, dev_gro_receive, napi_skb_finish,
 * napi_gro_complete, napi_gro_flush, skb_gro_receive (net/core/skbuff.c); and the IPv4/TCP
 * callbacks inet_gro_receive, inet_gro_complete (net/ipv4/af_inet.c), tcp_gro_receive,
 * tcp4_gro_receive, tcp_gro_complete, tcp4_gro_complete (net/ipv4/tcp_offload.c).
 *
 * DIVERGES: only IPv4/TCP is merged (no ptype offload table: other protocols go up as they
 * came); a segment whose payload is in page frags (igb) gives them to the held packet, any
 * other is appended whole to the frag_list (3.10 also steals page-fragment heads here). The held packets are flushed by napi_complete (end of
 * the poll) and, for packets older than a jiffy, when a poll used its whole weight.
 * Context: softirq (the driver's NAPI poll). */
#include <string.h>
#include "linux/jiffies.h"
#include "linux/netdevice.h"
#include "net/checksum.h"
#include "net/gro.h"
#include "trace/path.h"
#include "uapi/linux/if_ether.h"
#include "uapi/linux/in.h"
#include "uapi/linux/ip.h"
#include "uapi/linux/tcp.h"

static struct gro_stats gro_stats;

void gro_get_stats(struct gro_stats *st)
{
	*st = gro_stats;
}

void gro_reset_stats(void)
{
	memset(&gro_stats, 0, sizeof(gro_stats));
}

/* Parse @skb (data at the IP header) as an unfragmented IPv4/TCP segment whose checksums
 * are good. Returns the TCP payload length, or -1 when it cannot take part in GRO. */
static int gro_tcp4_parse(struct sk_buff *skb, struct iphdr **iphp, struct tcphdr **thp)
{
	struct iphdr *iph;
	struct tcphdr *th;
	unsigned int thlen, tot;

	/* The headers must be linear (a paged skb from igb has them pulled: igb_pull_tail). */
	if (skb->protocol != htons(ETH_P_IP) || !pskb_may_pull(skb, sizeof(struct iphdr)))
		return -1;
	iph = (struct iphdr *)skb->data;
	/* inet_gro_receive: no options, version 4, a good header checksum. */
	if (*(u8 *)iph != 0x45 || ip_fast_csum(iph, 5))
		return -1;
	tot = ntohs(iph->tot_len);
	if (iph->protocol != IPPROTO_TCP || tot != skb->len ||
	    (iph->frag_off & htons(0x3fff)))	/* MF or an offset: a fragment */
		return -1;
	if (skb->len < sizeof(*iph) + sizeof(*th))
		return -1;
	th = (struct tcphdr *)(skb->data + sizeof(*iph));
	thlen = th->doff * 4u;
	if (thlen < sizeof(*th) || skb->len < sizeof(*iph) + thlen ||
	    skb_headlen(skb) < sizeof(*iph) + thlen)
		return -1;
	/* tcp4_gro_receive: a checksum the NIC did not verify is verified here. */
	if (!skb_csum_unnecessary(skb)) {
		__wsum sum = skb_checksum(skb, sizeof(*iph), (int)(tot - sizeof(*iph)), 0);

		if (csum_tcpudp_magic(iph->saddr, iph->daddr, (unsigned short)(tot - sizeof(*iph)),
				      IPPROTO_TCP, sum))
			return -1;	/* let TCP count InCsumErrors */
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	*iphp = iph;
	*thp = th;
	NAPI_GRO_CB(skb)->data_offset = sizeof(*iph) + thlen;
	return (int)(tot - sizeof(*iph) - thlen);
}

/* Same flow: the same device, MAC header, addresses and ports. */
static bool gro_same_flow(const struct sk_buff *p, const struct sk_buff *skb,
			  const struct iphdr *iph, const struct tcphdr *th)
{
	const struct iphdr *iph2 = (const struct iphdr *)p->data;
	const struct tcphdr *th2 = (const struct tcphdr *)(p->data + sizeof(*iph2));

	if (p->dev != skb->dev || memcmp(skb_mac_header(p), skb_mac_header(skb), ETH_HLEN))
		return false;
	return iph->saddr == iph2->saddr && iph->daddr == iph2->daddr &&
	       th->source == th2->source && th->dest == th2->dest;
}

/* Append @skb's payload to @p (skb_gro_receive). When @skb's payload is all in page frags
 * (igb: headers pulled into the head), the frags move to @p (at most MAX_SKB_FRAGS in
 * all, and not after a frag_list) and @skb is left empty: 1, the caller frees it
 * (NAPI_GRO_FREE). Else @skb joins @p's frag_list: 0. -E2BIG when @p would outgrow an IP
 * datagram or its frags. */
static int skb_gro_receive(struct sk_buff *p, struct sk_buff *skb, unsigned int payload)
{
	struct skb_shared_info *pinfo = skb_shinfo(p), *skbinfo = skb_shinfo(skb);
	unsigned int offset = NAPI_GRO_CB(skb)->data_offset, headlen = skb_headlen(skb);

	if (p->len + payload >= GRO_MAX_SIZE)
		return -E2BIG;
	if (headlen <= offset && skbinfo->nr_frags && !skb_has_frag_list(skb) &&
	    !skb_has_frag_list(p)) {
		unsigned int i, first = pinfo->nr_frags;
		int delta_truesize;

		if (first + skbinfo->nr_frags > MAX_SKB_FRAGS)
			return -E2BIG;
		for (i = 0; i < skbinfo->nr_frags; i++)
			pinfo->frags[first + i] = skbinfo->frags[i];
		pinfo->nr_frags = (unsigned char)(first + i);
		skbinfo->nr_frags = 0;
		/* Headers that reach into the first frag are not payload. */
		pinfo->frags[first].page_offset += offset - headlen;
		skb_frag_size_sub(&pinfo->frags[first], (int)(offset - headlen));
		/* All the frags' truesize moves: @skb keeps its head and sk_buff. */
		delta_truesize = (int)skb->truesize - (int)SKB_TRUESIZE(skb_end_offset(skb));
		skb->truesize -= skb->data_len;
		skb->len -= skb->data_len;
		skb->data_len = 0;
		p->data_len += payload;
		p->len += payload;
		p->truesize += (unsigned int)delta_truesize;
		NAPI_GRO_CB(p)->count++;
		return 1;
	}
	__skb_pull(skb, NAPI_GRO_CB(skb)->data_offset);
	skb->next = NULL;
	if (!skb_shinfo(p)->frag_list)
		skb_shinfo(p)->frag_list = skb;
	else
		NAPI_GRO_CB(p)->last->next = skb;
	NAPI_GRO_CB(p)->last = skb;
	p->data_len += skb->len;
	p->len += skb->len;
	p->truesize += skb->truesize;
	NAPI_GRO_CB(p)->count++;
	return 0;
}

/* Make a held packet whole again: IP length and checksum, TCP checksum left to be
 * finished (CHECKSUM_PARTIAL counts as verified on receive), GSO fields as a TSO packet
 * would carry. (inet_gro_complete + tcp4_gro_complete + tcp_gro_complete) */
static int napi_gro_complete(struct sk_buff *skb)
{
	struct iphdr *iph = (struct iphdr *)skb->data;
	struct tcphdr *th = (struct tcphdr *)(skb->data + sizeof(*iph));
	unsigned int tlen;

	UL_TRACE(skb);
	gro_stats.flushed++;
	if (NAPI_GRO_CB(skb)->count > 1) {
		iph->tot_len = htons((u16)skb->len);
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
		tlen = skb->len - sizeof(*iph);
		th->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, (unsigned short)tlen,
					       IPPROTO_TCP, 0);
		skb->csum_start = (u16)((unsigned char *)th - skb->head);
		skb->csum_offset = offsetof(struct tcphdr, check);
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4 | (th->cwr ? SKB_GSO_TCP_ECN : 0);
		skb_shinfo(skb)->gso_segs = NAPI_GRO_CB(skb)->count;
	} else {
		skb_shinfo(skb)->gso_size = 0;
	}
	return netif_receive_skb(skb);
}

/* Pass up the held packets, oldest first; with @flush_old only those held since an
 * earlier jiffy. */
void napi_gro_flush(struct napi_struct *napi, bool flush_old)
{
	struct sk_buff *skb, *prev = NULL;

	/* gro_list is newest first: reverse it to flush in arrival order. */
	for (skb = napi->gro_list; skb; ) {
		struct sk_buff *next = skb->next;

		skb->prev = prev;
		prev = skb;
		skb = next;
	}
	for (skb = prev; skb; skb = prev) {
		struct sk_buff **pp;

		prev = skb->prev;
		if (flush_old && NAPI_GRO_CB(skb)->age == jiffies)
			return;
		for (pp = &napi->gro_list; *pp != skb; pp = &(*pp)->next)
			;
		*pp = skb->next;
		skb->next = NULL;
		skb->prev = NULL;
		napi->gro_count--;
		napi_gro_complete(skb);
	}
	napi->gro_count = 0;
}

void napi_gro_discard(struct napi_struct *napi)
{
	struct sk_buff *skb = napi->gro_list;

	while (skb) {
		struct sk_buff *next = skb->next;

		skb->next = NULL;
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		skb = next;
	}
	napi->gro_list = NULL;
	napi->gro_count = 0;
}

/* Unlink @p from the list and pass it up. */
static void gro_flush_one(struct napi_struct *napi, struct sk_buff *p)
{
	struct sk_buff **pp;

	for (pp = &napi->gro_list; *pp && *pp != p; pp = &(*pp)->next)
		;
	if (!*pp)
		return;
	*pp = p->next;
	p->next = NULL;
	napi->gro_count--;
	napi_gro_complete(p);
}

static gro_result_t dev_gro_receive(struct napi_struct *napi, struct sk_buff *skb)
{
	struct iphdr *iph;
	struct tcphdr *th;
	struct sk_buff *p;
	u32 flags;
	int len;

	if (!(skb->dev->features & NETIF_F_GRO))
		return GRO_NORMAL;
	len = gro_tcp4_parse(skb, &iph, &th);
	if (len < 0)
		return GRO_NORMAL;
	flags = ntohl(tcp_flag_word(th));
	NAPI_GRO_CB(skb)->flush = 0;
	NAPI_GRO_CB(skb)->count = 1;
	NAPI_GRO_CB(skb)->same_flow = 0;
	for (p = napi->gro_list; p; p = p->next) {
		struct iphdr *iph2;
		struct tcphdr *th2;
		unsigned int thlen = th->doff * 4u, i, mss;
		u32 flush = 0;
		int merged = 0;

		if (!gro_same_flow(p, skb, iph, th))
			continue;
		NAPI_GRO_CB(skb)->same_flow = 1;
		iph2 = (struct iphdr *)p->data;
		th2 = (struct tcphdr *)(p->data + sizeof(*iph2));
		/* inet_gro_receive: the same TTL and TOS, consecutive IP ids. */
		flush |= (iph->ttl ^ iph2->ttl) | (iph->tos ^ iph2->tos);
		flush |= (u16)(ntohs(iph2->id) + NAPI_GRO_CB(p)->count) ^ ntohs(iph->id);
		/* tcp_gro_receive: flags equal but for CWR/FIN/PSH, no CWR here, the same ack
		 * and options, no bigger than the first segment, and exactly in order. */
		flush |= flags & 0x00800000;
		flush |= (flags ^ ntohl(tcp_flag_word(th2))) & ~0x00890000u;
		flush |= th->ack_seq ^ th2->ack_seq;
		flush |= th->doff ^ th2->doff;
		/* The options (timestamps) must be the same. */
		for (i = sizeof(*th); !flush && i < thlen; i += 4)
			flush |= memcmp((u8 *)th + i, (u8 *)th2 + i, 4) != 0;
		mss = skb_shinfo(p)->gso_size;
		flush |= (u32)(len - 1) >= mss;
		flush |= (ntohl(th2->seq) + (p->len - NAPI_GRO_CB(p)->data_offset)) ^
			 ntohl(th->seq);
		if (!flush)
			merged = skb_gro_receive(p, skb, (unsigned int)len);
		if (flush || merged < 0) {
			/* Not mergeable: the held packet goes up first, order is kept. */
			gro_flush_one(napi, p);
			break;
		}
		gro_stats.merged++;
		tcp_flag_word(th2) |= tcp_flag_word(th) & (TCP_FLAG_FIN | TCP_FLAG_PSH);
		/* A short segment or one with PSH/URG/RST/SYN/FIN ends the merged packet. */
		if ((unsigned int)len < mss || (flags & 0x002f0000))
			gro_flush_one(napi, p);
		return merged ? GRO_MERGED_FREE : GRO_MERGED;
	}
	/* A new flow (or one just flushed): hold it unless it must go up now. */
	if ((flags & 0x002f0000) || len == 0 || napi->gro_count >= MAX_GRO_SKBS)
		return GRO_NORMAL;
	napi->gro_count++;
	NAPI_GRO_CB(skb)->age = jiffies;
	NAPI_GRO_CB(skb)->last = NULL;
	skb_shinfo(skb)->gso_size = (unsigned short)len;
	skb->next = napi->gro_list;
	napi->gro_list = skb;
	gro_stats.held++;
	return GRO_HELD;
}

static gro_result_t napi_skb_finish(gro_result_t ret, struct sk_buff *skb)
{
	switch (ret) {
	case GRO_NORMAL:
		gro_stats.normal++;
		if (netif_receive_skb(skb) == NET_RX_DROP)
			ret = GRO_DROP;
		break;
	case GRO_DROP:
		kfree_skb(skb);
		break;
	case GRO_MERGED_FREE:
		consume_skb(skb);
		break;
	case GRO_HELD:
	case GRO_MERGED:
		break;
	}
	return ret;
}

/* Context: softirq (NAPI poll). Consumes @skb (passed up, held, or merged). */
gro_result_t napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb)
{
	UL_TRACE(skb);
	gro_stats.received++;
	return napi_skb_finish(dev_gro_receive(napi, skb), skb);
}
