/* SPDX-License-Identifier: MIT */
/* ARP (RFC 826): IPv4 neighbour resolution on Ethernet-like devices.
 * Mirrors linux/include/net/arp.h and net/ipv4/arp.c (3.10): arp_tbl, arp_init, arp_rcv,
 * arp_send, arp_create, arp_xmit, arp_ifdown, arp_mc_map, __ipv4_neigh_lookup_noref. */
#ifndef _NET_ARP_H
#define _NET_ARP_H
#include "linux/netdevice.h"
#include "linux/skbuff.h"
#include "net/neighbour.h"
#include "uapi/linux/if_arp.h"

/* ARP protocol opcodes and header (linux/if_arp.h). */
#ifndef ARPOP_REQUEST
#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2
#define ARPOP_RREQUEST	3
#define ARPOP_RREPLY	4
#endif

/* The fixed part; the addresses follow (sha[hln], sip[4], tha[hln], tip[4]). */
struct arphdr {
	__be16 ar_hrd;		/* format of hardware address (ARPHRD_*) */
	__be16 ar_pro;		/* format of protocol address (ETH_P_IP) */
	unsigned char ar_hln;	/* length of hardware address */
	unsigned char ar_pln;	/* length of protocol address */
	__be16 ar_op;		/* ARPOP_* */
};

static inline struct arphdr *arp_hdr(const struct sk_buff *skb)
{
	return (struct arphdr *)skb_network_header(skb);
}
/* Bytes of an ARP packet for @dev's address length. */
static inline int arp_hdr_len(const struct net_device *dev)
{
	return (int)sizeof(struct arphdr) + (dev->addr_len + (int)sizeof(u32)) * 2;
}

extern struct neigh_table arp_tbl;

/* Hash of an IPv4 key on @dev (arp_hashfn). */
static inline u32 arp_hashfn(u32 key, const struct net_device *dev, u32 hash_rnd)
{
	u32 val = key ^ (u32)(uintptr_t)dev ^ (u32)((uintptr_t)dev >> 32);

	val *= hash_rnd | 1;
	return val ^ (val >> 16);
}

/* ip_finish_output2's lookup: the entry for @key (the nexthop, network order) on @dev,
 * unreferenced (valid until the caller leaves softirq context). NULL if none. Point-to-point
 * and loopback devices use key 0 (one entry per device), as 3.10. */
struct neighbour *__ipv4_neigh_lookup_noref(struct net_device *dev, u32 key);
/* The same, referenced. */
struct neighbour *__ipv4_neigh_lookup(struct net_device *dev, u32 key);

/* Boot: arp_tbl, ETH_P_ARP handler, netdevice + inetaddr notifiers, /proc/net/arp. */
void arp_init(void);
void arp_fini(void);
/* ETH_P_ARP packet_type handler. Consumes @skb. Context: softirq. */
int arp_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
	    struct net_device *orig_dev);
/* Build and transmit an ARP packet (@dest_hw NULL: broadcast; @src_hw NULL: dev_addr;
 * @target_hw NULL: zeros). Context: any. */
void arp_send(int type, int ptype, __be32 dest_ip, struct net_device *dev, __be32 src_ip,
	      const unsigned char *dest_hw, const unsigned char *src_hw,
	      const unsigned char *target_hw);
struct sk_buff *arp_create(int type, int ptype, __be32 dest_ip, struct net_device *dev,
			   __be32 src_ip, const unsigned char *dest_hw,
			   const unsigned char *src_hw, const unsigned char *target_hw);
/* Send an skb from arp_create (NF_ARP_OUT, then dev_queue_xmit). Consumes @skb. */
void arp_xmit(struct sk_buff *skb);
/* The IPv4 part of @dev goes: flush its ARP entries. */
int arp_ifdown(struct net_device *dev);
/* Multicast/broadcast IPv4 address -> link address. 0 or -EINVAL. */
int arp_mc_map(__be32 addr, u8 *haddr, struct net_device *dev, int dir);
/* Announce @ip on @dev (gratuitous ARP request, target = sender = @ip). */
void arp_send_gratuitous(struct net_device *dev, __be32 ip);

#endif
