/* SPDX-License-Identifier: MIT */
/* The key of an output route lookup: who sends what to whom, on which interface.
 * Mirrors linux/include/net/flow.h (3.10): struct flowi_common, struct flowi4, flowi4_init_output,
 * FLOWI_FLAG_*.
 * DIVERGES: only the IPv4 member of Linux's union flowi exists; struct flowi is flowi4's
 * common part plus the IPv4 keys (flowi4_to_flowi is the identity). */
#ifndef _NET_FLOW_H
#define _NET_FLOW_H
#include "linux/types.h"

#define LOOPBACK_IFINDEX	1	/* lo is always ifindex 1 in every namespace */

#define FLOWI_FLAG_ANYSRC		0x01	/* saddr need not be local (nonlocal bind) */
#define FLOWI_FLAG_CAN_SLEEP		0x02
#define FLOWI_FLAG_KNOWN_NH		0x04	/* the nexthop is given (not the daddr) */

struct flowi_common {
	int flowic_oif;		/* output interface (SO_BINDTODEVICE) or 0 */
	int flowic_iif;		/* input interface: LOOPBACK_IFINDEX for output lookups */
	__u32 flowic_mark;
	__u8 flowic_tos;	/* RT_TOS()ed TOS, RTO_ONLINK may be set */
	__u8 flowic_scope;	/* RT_SCOPE_* the route must be within */
	__u8 flowic_proto;	/* IPPROTO_* */
	__u8 flowic_flags;	/* FLOWI_FLAG_* */
	__u32 flowic_secid;
};

union flowi_uli {
	struct {
		__be16 dport;
		__be16 sport;
	} ports;
	struct {
		__u8 type;
		__u8 code;
	} icmpt;
	__be32 spi;
};

struct flowi4 {
	struct flowi_common __fl_common;
#define flowi4_oif		__fl_common.flowic_oif
#define flowi4_iif		__fl_common.flowic_iif
#define flowi4_mark		__fl_common.flowic_mark
#define flowi4_tos		__fl_common.flowic_tos
#define flowi4_scope		__fl_common.flowic_scope
#define flowi4_proto		__fl_common.flowic_proto
#define flowi4_flags		__fl_common.flowic_flags
#define flowi4_secid		__fl_common.flowic_secid
	/* (saddr, daddr) in network order. On return from an output lookup, saddr holds the
	 * chosen source address and daddr the destination (unchanged). */
	__be32 saddr;
	__be32 daddr;
	union flowi_uli uli;
#define fl4_sport		uli.ports.sport
#define fl4_dport		uli.ports.dport
#define fl4_icmp_type		uli.icmpt.type
#define fl4_icmp_code		uli.icmpt.code
};

#define flowi flowi4
#define flowi_oif	flowi4_oif
#define flowi_iif	flowi4_iif
#define flowi_mark	flowi4_mark
#define flowi_tos	flowi4_tos
#define flowi_scope	flowi4_scope
#define flowi_proto	flowi4_proto
#define flowi_flags	flowi4_flags
static inline struct flowi *flowi4_to_flowi(struct flowi4 *fl4)
{
	return fl4;
}

/* Fill a whole flowi4 (every other byte zeroed). Ports in network order. */
static inline void flowi4_init_output(struct flowi4 *fl4, int oif, __u32 mark, __u8 tos,
				      __u8 scope, __u8 proto, __u8 flags, __be32 daddr,
				      __be32 saddr, __be16 dport, __be16 sport)
{
	*fl4 = (struct flowi4){ 0 };
	fl4->flowi4_oif = oif;
	fl4->flowi4_iif = LOOPBACK_IFINDEX;
	fl4->flowi4_mark = mark;
	fl4->flowi4_tos = tos;
	fl4->flowi4_scope = scope;
	fl4->flowi4_proto = proto;
	fl4->flowi4_flags = flags;
	fl4->daddr = daddr;
	fl4->saddr = saddr;
	fl4->fl4_dport = dport;
	fl4->fl4_sport = sport;
}

/* Update the addresses after routing chose them (ip_route_connect). */
static inline void flowi4_update_output(struct flowi4 *fl4, int oif, __u8 tos, __be32 daddr,
					__be32 saddr)
{
	fl4->flowi4_oif = oif;
	fl4->flowi4_tos = tos;
	fl4->daddr = daddr;
	fl4->saddr = saddr;
}

#endif
