/* SPDX-License-Identifier: MIT */
/* ARP hardware types (dev->type, shown as link/ether, link/loopback by `ip link`).
 * Mirrors linux/include/uapi/linux/if_arp.h: ARPHRD_* only (the ARP header comes with ARP). */
#ifndef _UAPI_LINUX_IF_ARP_H
#define _UAPI_LINUX_IF_ARP_H

#define ARPHRD_NETROM	0	/* from KA9Q: NET/ROM pseudo */
#define ARPHRD_ETHER	1	/* Ethernet 10Mbps */
#define ARPHRD_EETHER	2
#define ARPHRD_IEEE802	6
#define ARPHRD_NONE	0xFFFE	/* zero header length */
#define ARPHRD_VOID	0xFFFF	/* void type, nothing is known */
#define ARPHRD_TUNNEL	768	/* IPIP tunnel */
#define ARPHRD_LOOPBACK	772	/* loopback device */
#define ARPHRD_SIT	776	/* sit0 device: IPv6-in-IPv4 */
#define ARPHRD_IPGRE	778	/* GRE over IP */

#endif
