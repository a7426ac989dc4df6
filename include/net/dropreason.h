/* SPDX-License-Identifier: MIT */
/* Why an skb was dropped: one reason per drop site, counted per reason by drop_monitor.c and
 * readable as /proc/net/drop_monitor and ul_drop_count().
 * Mirrors linux/include/net/dropreason-core.h (Linux 5.17+): enum skb_drop_reason.
 * DIVERGES: Linux 3.10 has no drop reasons (kfree_skb only fired a tracepoint). ulnet takes
 * modern Linux's SKB_DROP_REASON_* names, and adds names (FRAG_*, TCP_LISTEN_OVERFLOW,
 * TCP_SYN_QUEUE_FULL, IP_INADDRERRORS...) for drops that 3.10 only counts in a MIB. */
#ifndef _NET_DROPREASON_H
#define _NET_DROPREASON_H

/* FN(name) for each reason, in enum order; the name table is generated from this list. */
#define DEFINE_DROP_REASON(FN, FNe)		\
	FN(NOT_SPECIFIED)			\
	FN(NO_SOCKET)				\
	FN(PKT_TOO_SMALL)			\
	FN(TCP_CSUM)				\
	FN(SOCKET_FILTER)			\
	FN(UDP_CSUM)				\
	FN(NETFILTER_DROP)			\
	FN(OTHERHOST)				\
	FN(IP_CSUM)				\
	FN(IP_INHDR)				\
	FN(IP_RPFILTER)				\
	FN(UNICAST_IN_L2_MULTICAST)		\
	FN(XFRM_POLICY)				\
	FN(IP_NOPROTO)				\
	FN(SOCKET_RCVBUFF)			\
	FN(PROTO_MEM)				\
	FN(TCP_MD5NOTFOUND)			\
	FN(TCP_MD5UNEXPECTED)			\
	FN(TCP_MD5FAILURE)			\
	FN(SOCKET_BACKLOG)			\
	FN(TCP_FLAGS)				\
	FN(TCP_ZEROWINDOW)			\
	FN(TCP_OLD_DATA)			\
	FN(TCP_OVERWINDOW)			\
	FN(TCP_OFOMERGE)			\
	FN(TCP_RFC7323_PAWS)			\
	FN(TCP_INVALID_SEQUENCE)		\
	FN(TCP_RESET)				\
	FN(TCP_INVALID_SYN)			\
	FN(TCP_CLOSE)				\
	FN(TCP_FASTOPEN)			\
	FN(TCP_OLD_ACK)				\
	FN(TCP_TOO_OLD_ACK)			\
	FN(TCP_ACK_UNSENT_DATA)			\
	FN(TCP_OFO_QUEUE_PRUNE)			\
	FN(TCP_OFO_DROP)			\
	FN(IP_OUTNOROUTES)			\
	FN(BPF_CGROUP_EGRESS)			\
	FN(IPV6DISABLED)			\
	FN(NEIGH_CREATEFAIL)			\
	FN(NEIGH_FAILED)			\
	FN(NEIGH_QUEUEFULL)			\
	FN(NEIGH_DEAD)				\
	FN(TC_EGRESS)				\
	FN(QDISC_DROP)				\
	FN(CPU_BACKLOG)				\
	FN(XDP)					\
	FN(TC_INGRESS)				\
	FN(UNHANDLED_PROTO)			\
	FN(SKB_CSUM)				\
	FN(SKB_GSO_SEG)				\
	FN(SKB_UCOPY_FAULT)			\
	FN(DEV_HDR)				\
	FN(DEV_READY)				\
	FN(FULL_RING)				\
	FN(NOMEM)				\
	FN(HDR_TRUNC)				\
	FN(TAP_FILTER)				\
	FN(TAP_TXFILTER)			\
	FN(ICMP_CSUM)				\
	FN(INVALID_PROTO)			\
	FN(IP_INADDRERRORS)			\
	FN(IP_INNOROUTES)			\
	FN(PKT_TOO_BIG)				\
	FN(DUP_FRAG)				\
	FN(FRAG_REASM_TIMEOUT)			\
	FN(FRAG_TOO_FAR)			\
	FN(TCP_MINTTL)				\
	FN(IPV6_BAD_EXTHDR)			\
	FN(TCP_LISTEN_OVERFLOW)			\
	FN(TCP_SYN_QUEUE_FULL)			\
	FN(QUEUE_PURGE)				\
	FNe(MAX)

#define __DROP_REASON_ENUM(x) SKB_DROP_REASON_##x,

/* SKB_CONSUMED is not a drop: consume_skb() frees a packet that did its job. */
enum skb_drop_reason {
	SKB_NOT_DROPPED_YET = 0,
	SKB_CONSUMED,
	DEFINE_DROP_REASON(__DROP_REASON_ENUM, __DROP_REASON_ENUM)
};
#undef __DROP_REASON_ENUM

/* "NOT_SPECIFIED", "NO_SOCKET", ... indexed by enum value ("NOT_DROPPED_YET", "CONSUMED"
 * for the first two). */
extern const char *const drop_reasons[SKB_DROP_REASON_MAX + 1];
/* The name of @reason, or "UNKNOWN" for a value out of range. */
const char *skb_drop_reason_name(enum skb_drop_reason reason);

/* drop_monitor.c: counts per reason, global, atomic. Context: any. */
void ul_drop_record(enum skb_drop_reason reason);
unsigned long ul_drop_count(enum skb_drop_reason reason);
void drop_monitor_init(void);	/* /proc/net/drop_monitor */
void drop_monitor_fini(void);	/* removes the file and zeroes the counts */

#endif
