/* SPDX-License-Identifier: MIT */
/* The MIB counters of one network namespace (struct net's mib member).
 * Mirrors linux/include/net/netns/mib.h: struct netns_mib. Allocated and freed by
 * ipv4_mib_init_net / ipv4_mib_exit_net (net/ipv4/af_inet.c), read by net/ipv4/proc.c. */
#ifndef _NET_NETNS_MIB_H
#define _NET_NETNS_MIB_H
#include "net/snmp.h"

struct netns_mib {
	DEFINE_SNMP_STAT(struct tcp_mib, tcp_statistics);		/* Tcp: */
	DEFINE_SNMP_STAT(struct ipstats_mib, ip_statistics);		/* Ip:, IpExt: */
	DEFINE_SNMP_STAT(struct linux_mib, net_statistics);		/* TcpExt: */
	DEFINE_SNMP_STAT(struct udp_mib, udp_statistics);		/* Udp: */
	DEFINE_SNMP_STAT(struct udp_mib, udplite_statistics);		/* UdpLite: */
	DEFINE_SNMP_STAT(struct icmp_mib, icmp_statistics);		/* Icmp: */
	DEFINE_SNMP_STAT_ATOMIC(struct icmpmsg_mib, icmpmsg_statistics); /* IcmpMsg: (one block) */
};

#endif
