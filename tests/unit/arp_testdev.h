/* SPDX-License-Identifier: MIT */
/* Helpers for the neighbour and ARP tests: the capturing test device of ip_testdev.h with
 * ARP on, ARP frame builders and parsers, and an IPv4 packet sent through a neighbour.
 * Included by tests/unit/test_neigh.c and test_arp.c. */
#ifndef ULNET_TEST_ARP_TESTDEV_H
#define ULNET_TEST_ARP_TESTDEV_H
#include "ip_testdev.h"
#include "net/arp.h"
#include "net/dropreason.h"
#include "net/neighbour.h"

/* ipt_dev_new's device with ARP (IFF_NOARP cleared). */
static inline struct net_device *arp_dev_new(struct net *net, const char *name, int id)
{
	struct net_device *dev = ipt_dev_new(net, name, id, 1500);

	rtnl_lock();
	assert_int_equal(dev_change_flags(dev, dev->flags & ~IFF_NOARP), 0);
	rtnl_unlock();
	assert_false(dev->flags & IFF_NOARP);
	return dev;
}

struct arp_pkt {
	u8 eth_dst[ETH_ALEN], eth_src[ETH_ALEN];
	u16 proto;
	u16 hrd, pro, op;
	u8 hln, pln;
	u8 sha[ETH_ALEN], tha[ETH_ALEN];
	__be32 sip, tip;
};

/* Parse a captured frame; false if it is not an Ethernet ARP packet. */
static inline bool arp_parse(struct sk_buff *skb, struct arp_pkt *a)
{
	u8 b[ETH_HLEN + 28];

	if (skb->len < sizeof(b) || skb_copy_bits(skb, 0, b, sizeof(b)))
		return false;
	memcpy(a->eth_dst, b, ETH_ALEN);
	memcpy(a->eth_src, b + 6, ETH_ALEN);
	a->proto = (u16)(b[12] << 8 | b[13]);
	if (a->proto != ETH_P_ARP)
		return false;
	a->hrd = (u16)(b[14] << 8 | b[15]);
	a->pro = (u16)(b[16] << 8 | b[17]);
	a->hln = b[18];
	a->pln = b[19];
	a->op = (u16)(b[20] << 8 | b[21]);
	memcpy(a->sha, b + 22, ETH_ALEN);
	memcpy(&a->sip, b + 28, 4);
	memcpy(a->tha, b + 32, ETH_ALEN);
	memcpy(&a->tip, b + 38, 4);
	return true;
}

/* Count (and free) the captured ARP frames of @dev; the last one is left in *@last. */
static inline int arp_pop_all(struct net_device *dev, struct arp_pkt *last)
{
	struct sk_buff *skb;
	int n = 0, guard = 0;

	while ((skb = ipt_pop(dev)) != NULL && guard++ < 10000) {
		struct arp_pkt a;

		if (arp_parse(skb, &a)) {
			n++;
			if (last)
				*last = a;
		}
		consume_skb(skb);
	}
	return n;
}

/* An ARP frame from @sha/@sip to @dev, Ethernet destination @eth_dst (NULL: broadcast).
 * @len_cut shortens it (runt tests). */
static inline struct sk_buff *arp_frame(struct net_device *dev, const u8 *eth_dst, u16 op,
					const u8 *sha, const char *sip, const u8 *tha,
					const char *tip, unsigned int len_cut)
{
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	u8 b[ETH_HLEN + 28];
	struct sk_buff *skb;
	__be32 s = sip ? ipt_addr(sip) : 0, t = ipt_addr(tip);

	memcpy(b, eth_dst ? eth_dst : bcast, ETH_ALEN);
	memcpy(b + 6, sha, ETH_ALEN);
	b[12] = ETH_P_ARP >> 8;
	b[13] = ETH_P_ARP & 0xff;
	b[14] = 0;
	b[15] = ARPHRD_ETHER;
	b[16] = 0x08;
	b[17] = 0x00;
	b[18] = ETH_ALEN;
	b[19] = 4;
	b[20] = (u8)(op >> 8);
	b[21] = (u8)op;
	memcpy(b + 22, sha, ETH_ALEN);
	memcpy(b + 28, &s, 4);
	if (tha)
		memcpy(b + 32, tha, ETH_ALEN);
	else
		memset(b + 32, 0, ETH_ALEN);
	memcpy(b + 38, &t, 4);
	skb = netdev_alloc_skb(dev, sizeof(b));
	assert_non_null(skb);
	memcpy(skb_put(skb, sizeof(b) - len_cut), b, sizeof(b) - len_cut);
	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

/* An IPv4 packet from 10.0.0.1 to @daddr routed (output route, reference in the skb),
 * ready for the neighbour layer (data at the network header). */
static inline struct sk_buff *ip_out_skb(struct net *net, const char *daddr)
{
	struct flowi4 fl4;
	struct rtable *rt;
	struct sk_buff *skb;
	u8 pkt[64];
	unsigned int len;

	flowi4_init_output(&fl4, 0, 0, 0, RT_SCOPE_UNIVERSE, 0, 0, ipt_addr(daddr), 0, 0, 0);
	rt = ip_route_output_key(net, &fl4);
	assert_false(IS_ERR(rt));
	len = ipt_build_ip(pkt, fl4.saddr, fl4.daddr, 253, 64, 7, 0, 5, NULL, "payload", 7);
	skb = alloc_skb(LL_MAX_HEADER + len, GFP_KERNEL);
	assert_non_null(skb);
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	memcpy(skb_put(skb, len), pkt, len);
	skb->protocol = htons(ETH_P_IP);
	skb->dev = rt->dst.dev;
	skb_dst_set(skb, &rt->dst);
	return skb;
}

/* Send @skb through the neighbour of its route's nexthop (ip_finish_output2's steps). */
static inline int neigh_send(struct sk_buff *skb)
{
	struct rtable *rt = skb_rtable(skb);
	struct net_device *dev = rt->dst.dev;
	u32 nexthop = rt_nexthop(rt, ip_hdr(skb)->daddr);
	struct neighbour *n;
	int ret;

	local_bh_disable();
	n = __ipv4_neigh_lookup_noref(dev, nexthop);
	if (!n)
		n = __neigh_create(&arp_tbl, &nexthop, dev, false);
	assert_false(IS_ERR(n));
	ret = dst_neigh_output(&rt->dst, n, skb);
	local_bh_enable();
	return ret;
}

static inline struct neighbour *neigh_get(struct net_device *dev, const char *ip)
{
	__be32 key = ipt_addr(ip);

	return __neigh_lookup_noref(&arp_tbl, &key, dev);
}

#endif
