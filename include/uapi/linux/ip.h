/* SPDX-License-Identifier: MIT */
/* The IPv4 header on the wire, its option codes and TOS bits, and the per-interface
 * configuration indices (net.ipv4.conf.*).
 * Mirrors linux/include/uapi/linux/ip.h: struct iphdr, IPTOS_*, IPOPT_*, IPVERSION, MAXTTL,
 * IPDEFTTL, enum IPV4_DEVCONF_*. */
#ifndef _UAPI_LINUX_IP_H
#define _UAPI_LINUX_IP_H
#include "linux/compiler.h"
#include "linux/types.h"

#define IPTOS_TOS_MASK		0x1E
#define IPTOS_TOS(tos)		((tos) & IPTOS_TOS_MASK)
#define IPTOS_LOWDELAY		0x10
#define IPTOS_THROUGHPUT	0x08
#define IPTOS_RELIABILITY	0x04
#define IPTOS_MINCOST		0x02

#define IPTOS_PREC_MASK		0xE0
#define IPTOS_PREC(tos)		((tos) & IPTOS_PREC_MASK)
#define IPTOS_PREC_NETCONTROL	0xe0
#define IPTOS_PREC_INTERNETCONTROL 0xc0
#define IPTOS_PREC_CRITIC_ECP	0xa0
#define IPTOS_PREC_FLASHOVERRIDE 0x80
#define IPTOS_PREC_FLASH	0x60
#define IPTOS_PREC_IMMEDIATE	0x40
#define IPTOS_PREC_PRIORITY	0x20
#define IPTOS_PREC_ROUTINE	0x00

/* IP options (RFC 791 3.1). */
#define IPOPT_COPY		0x80
#define IPOPT_CLASS_MASK	0x60
#define IPOPT_NUMBER_MASK	0x1f
#define IPOPT_COPIED(o)		((o) & IPOPT_COPY)
#define IPOPT_CLASS(o)		((o) & IPOPT_CLASS_MASK)
#define IPOPT_NUMBER(o)		((o) & IPOPT_NUMBER_MASK)
#define IPOPT_CONTROL		0x00
#define IPOPT_RESERVED1		0x20
#define IPOPT_MEASUREMENT	0x40
#define IPOPT_RESERVED2		0x60

#define IPOPT_END	(0 | IPOPT_CONTROL)
#define IPOPT_NOOP	(1 | IPOPT_CONTROL)
#define IPOPT_SEC	(2 | IPOPT_CONTROL | IPOPT_COPY)
#define IPOPT_LSRR	(3 | IPOPT_CONTROL | IPOPT_COPY)
#define IPOPT_TIMESTAMP	(4 | IPOPT_MEASUREMENT)
#define IPOPT_CIPSO	(6 | IPOPT_CONTROL | IPOPT_COPY)
#define IPOPT_RR	(7 | IPOPT_CONTROL)
#define IPOPT_SID	(8 | IPOPT_CONTROL | IPOPT_COPY)
#define IPOPT_SSRR	(9 | IPOPT_CONTROL | IPOPT_COPY)
#define IPOPT_RA	(20 | IPOPT_CONTROL | IPOPT_COPY)

#define IPVERSION	4
#define MAXTTL		255
#define IPDEFTTL	64

#define IPOPT_OPTVAL	0
#define IPOPT_OLEN	1
#define IPOPT_OFFSET	2
#define IPOPT_MINOFF	4
#define MAX_IPOPTLEN	40
#define IPOPT_NOP	IPOPT_NOOP
#define IPOPT_EOL	IPOPT_END
#define IPOPT_TS	IPOPT_TIMESTAMP

#define IPOPT_TS_TSONLY		0	/* timestamps only */
#define IPOPT_TS_TSANDADDR	1	/* timestamps and addresses */
#define IPOPT_TS_PRESPEC	3	/* specified modules only */

#define IPV4_BEET_PHMAXLEN	8

/* RFC 791 header. Multi-byte fields are in network order: read them with ntohs/ntohl,
 * never byte-swap in place. (Bit-field order for a little-endian host, as x86.)
 * DIVERGES: packed with 2-byte alignment. Behind a 14-byte Ethernet header the IP header
 * sits at 2 mod 4 (NET_IP_ALIGN is 0 on x86, as 3.10); the kernel reads it there because x86
 * allows it, and so does ulnet, without undefined behaviour (UBSan checks alignment). */
struct __attribute__((packed, aligned(2))) iphdr {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	__u8 ihl:4,
	     version:4;
#else
	__u8 version:4,
	     ihl:4;
#endif
	__u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;
	__u8 ttl;
	__u8 protocol;
	__sum16 check;
	__be32 saddr;
	__be32 daddr;
	/* The options start here. */
};

/* Indices of struct ipv4_devconf data[] (net.ipv4.conf.{all,default,DEV}.*), 3.10 order. */
enum {
	IPV4_DEVCONF_FORWARDING = 1,
	IPV4_DEVCONF_MC_FORWARDING,
	IPV4_DEVCONF_PROXY_ARP,
	IPV4_DEVCONF_ACCEPT_REDIRECTS,
	IPV4_DEVCONF_SECURE_REDIRECTS,
	IPV4_DEVCONF_SEND_REDIRECTS,
	IPV4_DEVCONF_SHARED_MEDIA,
	IPV4_DEVCONF_RP_FILTER,
	IPV4_DEVCONF_ACCEPT_SOURCE_ROUTE,
	IPV4_DEVCONF_BOOTP_RELAY,
	IPV4_DEVCONF_LOG_MARTIANS,
	IPV4_DEVCONF_TAG,
	IPV4_DEVCONF_ARPFILTER,
	IPV4_DEVCONF_MEDIUM_ID,
	IPV4_DEVCONF_NOXFRM,
	IPV4_DEVCONF_NOPOLICY,
	IPV4_DEVCONF_FORCE_IGMP_VERSION,
	IPV4_DEVCONF_ARP_ANNOUNCE,
	IPV4_DEVCONF_ARP_IGNORE,
	IPV4_DEVCONF_PROMOTE_SECONDARIES,
	IPV4_DEVCONF_ARP_ACCEPT,
	IPV4_DEVCONF_ARP_NOTIFY,
	IPV4_DEVCONF_ACCEPT_LOCAL,
	IPV4_DEVCONF_SRC_VMARK,
	IPV4_DEVCONF_PROXY_ARP_PVLAN,
	IPV4_DEVCONF_ROUTE_LOCALNET,
	__IPV4_DEVCONF_MAX
};
#define IPV4_DEVCONF_MAX (__IPV4_DEVCONF_MAX - 1)

#endif
