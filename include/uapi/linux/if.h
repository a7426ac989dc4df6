/* SPDX-License-Identifier: MIT */
/* Interface flags (what `ip link` shows), private flags, operstates and IFNAMSIZ.
 * Mirrors linux/include/uapi/linux/if.h (3.10): IFF_*, IF_OPER_*, IF_LINK_MODE_*. */
#ifndef _UAPI_LINUX_IF_H
#define _UAPI_LINUX_IF_H

#define IFNAMSIZ	16
#define IFALIASZ	256

/* dev->flags: the user-visible ones (SIOCGIFFLAGS). */
#define IFF_UP		0x1	/* interface is up (administratively) */
#define IFF_BROADCAST	0x2	/* broadcast address valid */
#define IFF_DEBUG	0x4
#define IFF_LOOPBACK	0x8	/* is a loopback net */
#define IFF_POINTOPOINT	0x10
#define IFF_NOTRAILERS	0x20
#define IFF_RUNNING	0x40	/* operstate up (RFC 2863); derived, see dev_get_flags */
#define IFF_NOARP	0x80
#define IFF_PROMISC	0x100
#define IFF_ALLMULTI	0x200
#define IFF_MASTER	0x400
#define IFF_SLAVE	0x800
#define IFF_MULTICAST	0x1000
#define IFF_PORTSEL	0x2000
#define IFF_AUTOMEDIA	0x4000
#define IFF_DYNAMIC	0x8000
#define IFF_LOWER_UP	0x10000	/* driver signals L1 up */
#define IFF_DORMANT	0x20000
#define IFF_ECHO	0x40000
#define IFF_VOLATILE	(IFF_LOOPBACK | IFF_POINTOPOINT | IFF_BROADCAST | IFF_ECHO | \
			 IFF_MASTER | IFF_SLAVE | IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT)

/* dev->priv_flags: kernel-private (3.10 keeps them in this uapi header too). */
#define IFF_802_1Q_VLAN		0x1
#define IFF_EBRIDGE		0x2	/* ethernet bridging device */
#define IFF_SLAVE_INACTIVE	0x4
#define IFF_MASTER_8023AD	0x8
#define IFF_MASTER_ALB		0x10
#define IFF_BONDING		0x20
#define IFF_SLAVE_NEEDARP	0x40
#define IFF_ISATAP		0x80
#define IFF_MASTER_ARPMON	0x100
#define IFF_WAN_HDLC		0x200
#define IFF_XMIT_DST_RELEASE	0x400	/* dev_hard_start_xmit may drop the skb's dst */
#define IFF_DONT_BRIDGE		0x800
#define IFF_DISABLE_NETPOLL	0x1000
#define IFF_MACVLAN_PORT	0x2000
#define IFF_BRIDGE_PORT		0x4000	/* device is a bridge port */
#define IFF_OVS_DATAPATH	0x8000
#define IFF_TX_SKB_SHARING	0x10000	/* the driver may transmit a shared skb */
#define IFF_UNICAST_FLT		0x20000
#define IFF_TEAM_PORT		0x40000
#define IFF_SUPP_NOFCS		0x80000
#define IFF_LIVE_ADDR_CHANGE	0x100000
#define IFF_MACVLAN		0x200000

/* RFC 2863 operational status (dev->operstate). */
enum {
	IF_OPER_UNKNOWN,
	IF_OPER_NOTPRESENT,
	IF_OPER_DOWN,
	IF_OPER_LOWERLAYERDOWN,
	IF_OPER_TESTING,
	IF_OPER_DORMANT,
	IF_OPER_UP,
};

/* dev->link_mode */
enum {
	IF_LINK_MODE_DEFAULT,
	IF_LINK_MODE_DORMANT,
};

#endif
