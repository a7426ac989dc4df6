/* SPDX-License-Identifier: MIT */
/* Ethernet devices: header ops, eth_type_trans, setup and MAC address helpers.
 * Mirrors linux/include/linux/etherdevice.h and linux/if_ether.h (3.10): eth_header,
 * eth_header_parse, eth_type_trans, ether_setup, alloc_etherdev_mqs, is_valid_ether_addr,
 * eth_random_addr, eth_hdr. */
#ifndef _LINUX_ETHERDEVICE_H
#define _LINUX_ETHERDEVICE_H
#include "linux/netdevice.h"
#include "linux/skbuff.h"
#include "uapi/linux/if_ether.h"

static inline struct ethhdr *eth_hdr(const struct sk_buff *skb)
{
	return (struct ethhdr *)skb_mac_header(skb);
}

int eth_header(struct sk_buff *skb, struct net_device *dev, unsigned short type,
	       const void *daddr, const void *saddr, unsigned int len);
int eth_header_parse(const struct sk_buff *skb, unsigned char *haddr);
int eth_header_cache(const struct neighbour *neigh, struct hh_cache *hh, __be16 type);
void eth_header_cache_update(struct hh_cache *hh, const struct net_device *dev,
			     const unsigned char *haddr);
extern const struct header_ops eth_header_ops;

/* Pull the Ethernet header, set skb->dev, mac_header and pkt_type (from the destination
 * address against dev->broadcast and dev->dev_addr); returns the protocol for
 * skb->protocol. Context: any (driver RX). */
__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev);

/* Ethernet defaults: ARPHRD_ETHER, MTU 1500, txqueuelen 1000, broadcast ff:ff:ff:ff:ff:ff,
 * IFF_BROADCAST|IFF_MULTICAST. */
void ether_setup(struct net_device *dev);
struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs, unsigned int rxqs);
#define alloc_etherdev(sizeof_priv) alloc_etherdev_mqs(sizeof_priv, 1, 1)
#define alloc_etherdev_mq(sizeof_priv, count) alloc_etherdev_mqs(sizeof_priv, count, count)

int eth_change_mtu(struct net_device *dev, int new_mtu);	/* 68..1500 */
int eth_mac_addr(struct net_device *dev, void *p);	/* ndo_set_mac_address */
int eth_validate_addr(struct net_device *dev);		/* ndo_validate_addr */
/* A random locally administered unicast address, from the stack's seeded RNG. */
void eth_random_addr(u8 *addr);
void eth_hw_addr_random(struct net_device *dev);	/* and NET_ADDR_RANDOM */

static inline bool is_zero_ether_addr(const u8 *addr)
{
	return (addr[0] | addr[1] | addr[2] | addr[3] | addr[4] | addr[5]) == 0;
}
static inline bool is_multicast_ether_addr(const u8 *addr)
{
	return 0x01 & addr[0];
}
static inline bool is_local_ether_addr(const u8 *addr)
{
	return 0x02 & addr[0];
}
static inline bool is_broadcast_ether_addr(const u8 *addr)
{
	return (addr[0] & addr[1] & addr[2] & addr[3] & addr[4] & addr[5]) == 0xff;
}
static inline bool is_unicast_ether_addr(const u8 *addr)
{
	return !is_multicast_ether_addr(addr);
}
/* Not multicast, not 00:00:00:00:00:00: usable as a device address. */
static inline bool is_valid_ether_addr(const u8 *addr)
{
	return !is_multicast_ether_addr(addr) && !is_zero_ether_addr(addr);
}
static inline bool ether_addr_equal(const u8 *addr1, const u8 *addr2)
{
	return memcmp(addr1, addr2, ETH_ALEN) == 0;
}
static inline void eth_broadcast_addr(u8 *addr)
{
	memset(addr, 0xff, ETH_ALEN);
}
static inline void eth_zero_addr(u8 *addr)
{
	memset(addr, 0x00, ETH_ALEN);
}

#endif
