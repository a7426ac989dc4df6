/* SPDX-License-Identifier: MIT */
/* Ethernet wire format: lengths, EtherTypes and the 14-byte header.
 * Mirrors linux/include/uapi/linux/if_ether.h: ETH_*, ETH_P_*, struct ethhdr. */
#ifndef _UAPI_LINUX_IF_ETHER_H
#define _UAPI_LINUX_IF_ETHER_H
#include "linux/compiler.h"
#include "linux/types.h"

#define ETH_ALEN	6	/* octets in one ethernet address */
#define ETH_HLEN	14	/* total octets in header */
#define ETH_ZLEN	60	/* min. octets in frame sans FCS */
#define ETH_DATA_LEN	1500	/* max. octets in payload */
#define ETH_FRAME_LEN	1514	/* max. octets in frame sans FCS */
#define ETH_FCS_LEN	4	/* octets in the FCS */

/* EtherTypes (host order; compare with ntohs(skb->protocol) or use htons()). */
#define ETH_P_LOOP	0x0060	/* Ethernet loopback packet */
#define ETH_P_IP	0x0800	/* Internet Protocol packet */
#define ETH_P_ARP	0x0806	/* Address Resolution packet */
#define ETH_P_8021Q	0x8100	/* 802.1Q VLAN extended header */
#define ETH_P_IPV6	0x86DD	/* IPv6 over bluebook */
#define ETH_P_PAUSE	0x8808	/* IEEE pause frames */
#define ETH_P_802_EX1	0x88B5	/* Local experimental ethertype (tests use it) */
#define ETH_P_8021AD	0x88A8	/* 802.1ad service VLAN */
#define ETH_P_802_3_MIN	0x0600	/* values below are 802.3 lengths, not types */

/* Non-DIX types, never on the wire (kernel-internal protocol values). */
#define ETH_P_802_3	0x0001	/* dummy type for 802.3 frames */
#define ETH_P_AX25	0x0002
#define ETH_P_ALL	0x0003	/* every packet: the ptype_all taps (tcpdump) */
#define ETH_P_802_2	0x0004	/* 802.2 frames */

struct ethhdr {
	unsigned char h_dest[ETH_ALEN];
	unsigned char h_source[ETH_ALEN];
	__be16 h_proto;
} __packed;

#endif
