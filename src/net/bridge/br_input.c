/* SPDX-License-Identifier: MIT */
/* Frames entering a bridge port: learn the source, then deliver to the bridge device,
 * forward to the one port the destination lives on, or flood.
 * Mirrors linux/net/bridge/br_input.c (3.10): br_pass_frame_up, br_handle_frame_finish,
 * br_handle_local_finish, br_handle_frame.
 *
 * Path (book ch10): veth_xmit -> netif_rx on the port -> __netif_receive_skb_core ->
 * rx_handler = br_handle_frame -> NF_HOOK(BRIDGE, PRE_ROUTING) -> br_handle_frame_finish
 * -> br_forward / br_flood_forward, and/or br_pass_frame_up -> NF_HOOK(BRIDGE, LOCAL_IN)
 * -> netif_receive_skb with skb->dev = the bridge (-> ip_rcv of the host).
 * Context: softirq (NET_RX). */
#include "linux/netfilter.h"
#include "net/bridge/br_private.h"
#include "trace/path.h"

/* Bridge group address (STP, 802.1D): 01:80:c2:00:00:00..0f are link-local. */
static const u8 br_group_address[ETH_ALEN] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };

static inline bool is_link_local_ether_addr(const u8 *addr)
{
	return !memcmp(addr, br_group_address, 5) && (addr[5] & 0xf0) == 0;
}

static int br_netif_receive_skb(struct sk_buff *skb)
{
	return netif_receive_skb(skb);
}

/* Hand @skb to the host as if the bridge device had received it. Consumes @skb. */
static int br_pass_frame_up(struct sk_buff *skb)
{
	struct net_device *indev, *brdev = br_port_get_rcu(skb->dev)->br->dev;
	struct net_bridge *br = netdev_priv(brdev);

	UL_TRACE(skb);
	br->rx_packets++;
	br->rx_bytes += skb->len;
	indev = skb->dev;
	skb->dev = brdev;
	return NF_HOOK(NFPROTO_BRIDGE, NF_BR_LOCAL_IN, skb, indev, NULL, br_netif_receive_skb);
}

/* After PRE_ROUTING: learn, then decide where the frame goes. Consumes @skb. */
int br_handle_frame_finish(struct sk_buff *skb)
{
	const unsigned char *dest = eth_hdr(skb)->h_dest;
	struct net_bridge_port *p = br_port_get_rcu(skb->dev);
	struct net_bridge_fdb_entry *dst;
	struct sk_buff *skb2;
	struct net_bridge *br;

	UL_TRACE(skb);
	if (!p || p->state == BR_STATE_DISABLED)
		goto drop;
	br = p->br;
	br_fdb_update(br, p, eth_hdr(skb)->h_source);
	if (p->state == BR_STATE_LEARNING)
		goto drop;

	/* The bridge device sees what is for it, and everything when promiscuous. */
	skb2 = (br->dev->flags & IFF_PROMISC) ? skb : NULL;
	dst = NULL;

	if (is_broadcast_ether_addr(dest) || is_multicast_ether_addr(dest)) {
		/* DIVERGES: no IGMP snooping: multicast is flooded like broadcast. */
		skb2 = skb;
		br->dev->stats.multicast++;
	} else if ((dst = __br_fdb_get(br, dest)) && dst->is_local) {
		skb2 = skb;
		/* Do not forward a frame for the bridge itself. */
		skb = NULL;
	}

	if (skb) {
		/* Going both up and out: the forwarded copy is a clone. */
		if (skb2 == skb) {
			skb = skb_clone(skb, GFP_ATOMIC);
			if (!skb)
				br->dev->stats.rx_dropped++;
		}
		if (skb && dst) {
			dst->used = jiffies;
			br_forward(dst->dst, skb, skb2);
		} else if (skb) {
			/* Unknown unicast and broadcast are flooded. */
			br_flood_forward(br, skb, skb2);
		}
	}

	if (skb2)
		return br_pass_frame_up(skb2);
	return 0;
drop:
	kfree_skb(skb);
	return 0;
}

/* The rx_handler of every port. Returns RX_HANDLER_CONSUMED when the bridge took the frame,
 * RX_HANDLER_PASS to let the port's own protocols see it. Context: softirq. */
rx_handler_result_t br_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	const unsigned char *dest = eth_hdr(skb)->h_dest;
	struct net_bridge_port *p;

	UL_TRACE(skb);
	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;
	if (!is_valid_ether_addr(eth_hdr(skb)->h_source))
		goto drop;

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	*pskb = skb;

	p = br_port_get_rcu(skb->dev);
	if (!p)
		goto drop;

	if (unlikely(is_link_local_ether_addr(dest))) {
		/* DIVERGES: no STP: BPDUs and other link-local frames (pause, LACP, 802.1X) are
		 * left to the port as 3.10 does for BPDUs when STP is off... except that 3.10
		 * then forwards 01:80:c2:00:00:00; here every link-local frame goes to the port. */
		return RX_HANDLER_PASS;
	}

	switch (p->state) {
	case BR_STATE_FORWARDING:
	case BR_STATE_LEARNING:
		if (ether_addr_equal(p->br->dev->dev_addr, dest))
			skb->pkt_type = PACKET_HOST;
		NF_HOOK(NFPROTO_BRIDGE, NF_BR_PRE_ROUTING, skb, skb->dev, NULL,
			br_handle_frame_finish);
		break;
	default:
drop:
		kfree_skb(skb);
	}
	return RX_HANDLER_CONSUMED;
}
