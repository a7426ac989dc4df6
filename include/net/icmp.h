/* SPDX-License-Identifier: MIT */
/* ICMP: errors for other protocols, echo, and the Icmp/IcmpMsg counters.
 * Mirrors linux/include/net/icmp.h (3.10): icmp_err_convert, ICMP_INC_STATS,
 * ICMPMSGOUT_INC_STATS, ICMPMSGIN_INC_STATS_BH, icmp_send, icmp_rcv, icmp_init,
 * icmp_out_count.
 *
 * Error rules (RFC 1122 3.2.2, RFC 1812 4.3.2.7, as 3.10's icmp_send): never about an ICMP
 * error, a fragment other than the first, a broadcast/multicast (link or IP) or a packet
 * whose source is not a unicast host; the quote is the offending IP header plus as much of
 * its data as fits in 576 bytes (at least 8 bytes of it); rate-limited per destination by
 * icmp_ratelimit/icmp_ratemask (icmpv4_xrlim_allow). */
#ifndef _NET_ICMP_H
#define _NET_ICMP_H
#include "linux/types.h"
#include "net/net_namespace.h"
#include "net/snmp.h"
#include "uapi/linux/icmp.h"

struct sk_buff;
struct dst_entry;
struct flowi4;

/* errno of an ICMP_DEST_UNREACH code for sockets (ECONNREFUSED for port unreachable...). */
struct icmp_err {
	int errno_;		/* (3.10: errno; renamed because errno is a libc macro) */
	unsigned int fatal:1;
};
extern const struct icmp_err icmp_err_convert[];

#define ICMP_INC_STATS(net, field)	SNMP_INC_STATS((net)->mib.icmp_statistics, field)
#define ICMP_INC_STATS_BH(net, field)	SNMP_INC_STATS_BH((net)->mib.icmp_statistics, field)
#define ICMPMSGOUT_INC_STATS(net, field) \
	atomic_long_inc(&(net)->mib.icmpmsg_statistics->mibs[(field) + 256])
#define ICMPMSGIN_INC_STATS_BH(net, field) \
	atomic_long_inc(&(net)->mib.icmpmsg_statistics->mibs[(field)])

/* Send an ICMP error (or redirect) about @skb_in, which the caller still owns (it needs a
 * route: skb_rtable). @info goes as is into the 4 bytes after the checksum: htonl(mtu) for
 * ICMP_FRAG_NEEDED, htonl(pointer << 24) for ICMP_PARAMETERPROB, the gateway for a redirect,
 * 0 otherwise. Context: softirq, or a task (bottom halves are disabled inside). */
void icmp_send(struct sk_buff *skb_in, int type, int code, __be32 info);
/* inet_protos[IPPROTO_ICMP] handler. Consumes @skb. Context: softirq. */
int icmp_rcv(struct sk_buff *skb);
/* OutMsgs and OutType<type>. */
void icmp_out_count(struct net *net, unsigned char type);
/* May an ICMP of @type/@code go to fl4->daddr now? (rate limit, facts.md §1.5) */
bool icmpv4_xrlim_allow(struct net *net, struct dst_entry *dst, struct flowi4 *fl4, int type,
			int code);
int icmp_init(void);		/* boot: the per-namespace ICMP sysctls */
void icmp_fini(void);

/* Summed counters (tests, nstat-style views). */
unsigned long icmp_mib_read(struct net *net, int field);
unsigned long icmpmsg_mib_read(struct net *net, int index);	/* type, or 0x100|type out */

#endif
