/* SPDX-License-Identifier: MIT */
/* Ethernet: building and parsing the 14-byte header, classifying received frames, and the
 * defaults every Ethernet device starts from.
 * Mirrors linux/net/ethernet/eth.c (3.10): eth_header, eth_header_parse, eth_type_trans,
 * eth_header_cache, eth_header_cache_update, eth_header_ops, eth_mac_addr, eth_change_mtu, eth_validate_addr, ether_setup,
 * alloc_etherdev_mqs; and linux/etherdevice.h's eth_random_addr, eth_hw_addr_random. */
#include "linux/etherdevice.h"
#include "linux/errno.h"
#include "linux/random.h"
#include "net/neighbour.h"
#include "trace/path.h"

/* Push the header. Without @daddr the destination is unknown (-ETH_HLEN: neighbour
 * resolution completes it), except on loopback/NOARP devices where it is zero. */
int eth_header(struct sk_buff *skb, struct net_device *dev, unsigned short type,
	       const void *daddr, const void *saddr, unsigned int len)
{
	struct ethhdr *eth;

	UL_TRACE(skb);
	if (unlikely(skb_headroom(skb) < ETH_HLEN)) {
		net_warn_ratelimited("eth_header: %s: %u bytes of headroom, need %d\n", dev->name,
				     skb_headroom(skb), ETH_HLEN);
		return -ETH_HLEN;
	}
	eth = (struct ethhdr *)skb_push(skb, ETH_HLEN);
	if (type != ETH_P_802_3 && type != ETH_P_802_2)
		eth->h_proto = htons(type);
	else
		eth->h_proto = htons((u16)len);
	/* Set the source hardware address. */
	if (!saddr)
		saddr = dev->dev_addr;
	memcpy(eth->h_source, saddr, ETH_ALEN);
	if (daddr) {
		memcpy(eth->h_dest, daddr, ETH_ALEN);
		return ETH_HLEN;
	}
	/* Anyway, the loopback device should never use this function... */
	if (dev->flags & (IFF_LOOPBACK | IFF_NOARP)) {
		memset(eth->h_dest, 0, ETH_ALEN);
		return ETH_HLEN;
	}
	return -ETH_HLEN;
}

int eth_header_parse(const struct sk_buff *skb, unsigned char *haddr)
{
	const struct ethhdr *eth = eth_hdr(skb);

	memcpy(haddr, eth->h_source, ETH_ALEN);
	return ETH_ALEN;
}

/* Consumes the 14-byte header. pkt_type: broadcast/multicast from the destination's group
 * bit, OTHERHOST when a unicast frame is not for dev_addr (lo's address is all zeros, and so
 * are the destinations eth_header writes for it: PACKET_HOST). Context: any. */
__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	struct ethhdr *eth;

	UL_TRACE(skb);
	skb->dev = dev;
	skb_reset_mac_header(skb);
	if (unlikely(skb_headlen(skb) < ETH_HLEN)) {
		/* A runt: leave it for the protocol layer to drop (no protocol matches). */
		skb->pkt_type = PACKET_OTHERHOST;
		return htons(ETH_P_802_2);
	}
	__skb_pull(skb, ETH_HLEN);
	eth = eth_hdr(skb);
	if (unlikely(is_multicast_ether_addr(eth->h_dest))) {
		if (ether_addr_equal(eth->h_dest, dev->broadcast))
			skb->pkt_type = PACKET_BROADCAST;
		else
			skb->pkt_type = PACKET_MULTICAST;
	} else if (unlikely(!ether_addr_equal(eth->h_dest, dev->dev_addr))) {
		skb->pkt_type = PACKET_OTHERHOST;
	}
	if (ntohs(eth->h_proto) >= ETH_P_802_3_MIN)
		return eth->h_proto;
	/* Novell's raw 802.3 IPX: FFFF is not a used 802.2 SSAP/DSAP. */
	if (skb->len >= 2 && skb->data[0] == 0xFF && skb->data[1] == 0xFF)
		return htons(ETH_P_802_3);
	/* Real 802.2 LLC */
	return htons(ETH_P_802_2);
}

/* Prebuild @neigh's header into @hh (right-aligned in its first HH_DATA_MOD block, as
 * neigh_hh_output copies it). 802.3 frames carry their length: not cacheable. Caller holds
 * neigh->lock. */
int eth_header_cache(const struct neighbour *neigh, struct hh_cache *hh, __be16 type)
{
	const struct net_device *dev = neigh->dev;
	struct ethhdr *eth;

	eth = (struct ethhdr *)(((u8 *)hh->hh_data) + HH_DATA_OFF(sizeof(*eth)));
	if (type == htons(ETH_P_802_3))
		return -1;
	eth->h_proto = type;
	memcpy(eth->h_source, dev->dev_addr, ETH_ALEN);
	memcpy(eth->h_dest, neigh->ha, ETH_ALEN);
	hh->hh_len = ETH_HLEN;
	return 0;
}

/* The neighbour's address is now @haddr: rewrite the destination of the cached header.
 * Caller holds hh->hh_lock for writing. */
void eth_header_cache_update(struct hh_cache *hh, const struct net_device *dev,
			     const unsigned char *haddr)
{
	(void)dev;
	memcpy(((u8 *)hh->hh_data) + HH_DATA_OFF(sizeof(struct ethhdr)), haddr, ETH_ALEN);
}

const struct header_ops eth_header_ops = {
	.create = eth_header,
	.parse = eth_header_parse,
	.cache = eth_header_cache,
	.cache_update = eth_header_cache_update,
};

/* ndo_set_mac_address for Ethernet: only while down (unless the driver allows live
 * changes), and only a valid unicast address. */
int eth_mac_addr(struct net_device *dev, void *p)
{
	struct sockaddr *addr = p;

	if (!(dev->priv_flags & IFF_LIVE_ADDR_CHANGE) && netif_running(dev))
		return -EBUSY;
	if (!is_valid_ether_addr((const u8 *)addr->sa_data))
		return -EADDRNOTAVAIL;
	memcpy(dev->dev_addr, addr->sa_data, ETH_ALEN);
	/* if device marked as NET_ADDR_RANDOM, reset it */
	dev->addr_assign_type &= ~NET_ADDR_RANDOM;
	return 0;
}

int eth_change_mtu(struct net_device *dev, int new_mtu)
{
	if (new_mtu < 68 || new_mtu > ETH_DATA_LEN)
		return -EINVAL;
	dev->mtu = (unsigned int)new_mtu;
	return 0;
}

int eth_validate_addr(struct net_device *dev)
{
	if (!is_valid_ether_addr(dev->dev_addr))
		return -EADDRNOTAVAIL;
	return 0;
}

void ether_setup(struct net_device *dev)
{
	dev->header_ops = &eth_header_ops;
	dev->type = ARPHRD_ETHER;
	dev->hard_header_len = ETH_HLEN;
	dev->mtu = ETH_DATA_LEN;
	dev->addr_len = ETH_ALEN;
	dev->tx_queue_len = 1000;	/* Ethernet wants good queues */
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	dev->priv_flags |= IFF_TX_SKB_SHARING;
	memset(dev->broadcast, 0xFF, ETH_ALEN);
}

struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs, unsigned int rxqs)
{
	return alloc_netdev_mqs(sizeof_priv, "eth%d", ether_setup, txqs, rxqs);
}

/* Random, locally administered, unicast; from the stack's seeded RNG (same seed, same
 * addresses). */
void eth_random_addr(u8 *addr)
{
	get_random_bytes(addr, ETH_ALEN);
	addr[0] &= 0xfe;	/* clear multicast bit */
	addr[0] |= 0x02;	/* set local assignment bit (IEEE802) */
}

void eth_hw_addr_random(struct net_device *dev)
{
	dev->addr_assign_type = NET_ADDR_RANDOM;
	eth_random_addr(dev->dev_addr);
}
