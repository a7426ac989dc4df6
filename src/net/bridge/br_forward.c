/* SPDX-License-Identifier: MIT */
/* Sending a frame out of bridge ports: to the one port its destination was learned on, or
 * flooded to every forwarding port when the destination is unknown or broadcast.
 * Mirrors linux/net/bridge/br_forward.c (3.10): should_deliver, br_dev_queue_push_xmit,
 * br_forward_finish, __br_deliver, __br_forward, br_deliver, br_forward, br_flood,
 * br_flood_deliver, br_flood_forward.
 *
 * Path: br_forward -> NF_HOOK(BRIDGE, FORWARD) -> br_forward_finish
 * -> NF_HOOK(BRIDGE, POST_ROUTING) -> br_dev_queue_push_xmit -> dev_queue_xmit on the port.
 * Context: softirq (frames entering a port), or the bridge device's sender (BH off). */
#include "linux/netfilter.h"
#include "net/bridge/br_private.h"
#include "trace/path.h"

/* Never back out of the port the frame came in on; only forwarding ports send. */
static inline bool should_deliver(const struct net_bridge_port *p, const struct sk_buff *skb)
{
	return skb->dev != p->dev && p->state == BR_STATE_FORWARDING;
}

/* Consumes @skb. */
int br_dev_queue_push_xmit(struct sk_buff *skb)
{
	UL_TRACE(skb);
	/* The frame leaves with the Ethernet header it came in with. */
	skb_push(skb, ETH_HLEN);
	dev_queue_xmit(skb);
	return 0;
}

static int br_forward_finish(struct sk_buff *skb)
{
	UL_TRACE(skb);
	return NF_HOOK(NFPROTO_BRIDGE, NF_BR_POST_ROUTING, skb, NULL, skb->dev,
		       br_dev_queue_push_xmit);
}

/* A frame the bridge device itself sends (br_dev_xmit). */
static void __br_deliver(const struct net_bridge_port *to, struct sk_buff *skb)
{
	UL_TRACE(skb);
	skb->dev = to->dev;
	NF_HOOK(NFPROTO_BRIDGE, NF_BR_LOCAL_OUT, skb, NULL, skb->dev, br_forward_finish);
}

/* A frame that came in on another port. */
static void __br_forward(const struct net_bridge_port *to, struct sk_buff *skb)
{
	struct net_device *indev = skb->dev;

	UL_TRACE(skb);
	skb->dev = to->dev;
	skb->ip_summed = skb->ip_summed == CHECKSUM_COMPLETE ? CHECKSUM_NONE : skb->ip_summed;
	NF_HOOK(NFPROTO_BRIDGE, NF_BR_FORWARD, skb, indev, skb->dev, br_forward_finish);
}

void br_deliver(const struct net_bridge_port *to, struct sk_buff *skb)
{
	if (to && should_deliver(to, skb)) {
		__br_deliver(to, skb);
		return;
	}
	kfree_skb(skb);
}

/* Forward @skb to @to; @skb0 (a copy kept for local delivery) decides whether @skb may be
 * consumed (3.10 keeps the skb when it is still needed: here the caller passes a clone). */
void br_forward(const struct net_bridge_port *to, struct sk_buff *skb, struct sk_buff *skb0)
{
	(void)skb0;
	if (should_deliver(to, skb)) {
		__br_forward(to, skb);
		return;
	}
	kfree_skb(skb);
}

/* Send @skb out of every port that should get it: clones for all but the last, which gets
 * @skb itself. Consumes @skb. */
static void br_flood(struct net_bridge *br, struct sk_buff *skb,
		     void (*__packet_hook)(const struct net_bridge_port *p, struct sk_buff *skb))
{
	struct net_bridge_port *p, *prev = NULL;

	list_for_each_entry(p, &br->port_list, list) {
		if (!should_deliver(p, skb))
			continue;
		if (prev) {
			struct sk_buff *skb2 = skb_clone(skb, GFP_ATOMIC);

			if (!skb2) {
				br->dev->stats.tx_dropped++;
				kfree_skb(skb);
				return;
			}
			__packet_hook(prev, skb2);
		}
		prev = p;
	}
	if (prev) {
		__packet_hook(prev, skb);
		return;
	}
	kfree_skb(skb);
}

void br_flood_deliver(struct net_bridge *br, struct sk_buff *skb)
{
	UL_TRACE(skb);
	br_flood(br, skb, __br_deliver);
}

/* @skb2 is the copy going up to the bridge device (or NULL); unused here. */
void br_flood_forward(struct net_bridge *br, struct sk_buff *skb, struct sk_buff *skb2)
{
	(void)skb2;
	UL_TRACE(skb);
	br_flood(br, skb, __br_forward);
}
