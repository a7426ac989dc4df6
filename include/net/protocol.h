/* SPDX-License-Identifier: MIT */
/* The table of IPv4 transport protocols: who gets a packet after ip_local_deliver.
 * Mirrors linux/include/net/protocol.h and net/ipv4/protocol.c (3.10): struct net_protocol,
 * inet_protos[], inet_add_protocol, inet_del_protocol, MAX_INET_PROTOS. */
#ifndef _NET_PROTOCOL_H
#define _NET_PROTOCOL_H
#include "linux/types.h"

struct sk_buff;

#define MAX_INET_PROTOS	256

/* A transport protocol's entry points (udp_protocol, icmp_protocol, tcp_protocol). */
struct net_protocol {
	/* Before routing (ip_rcv_finish with ip_early_demux): find the socket and its cached
	 * route. Optional. */
	void (*early_demux)(struct sk_buff *skb);
	/* Receive. Consumes @skb. Returns 0, or -IPPROTO_x to resubmit the packet to protocol
	 * x (encapsulation). Context: softirq. */
	int (*handler)(struct sk_buff *skb);
	/* An ICMP error about a packet of this protocol we sent: @skb->data points at the
	 * quoted IP header, @info is the ICMP info (MTU for frag needed). Does not consume. */
	void (*err_handler)(struct sk_buff *skb, u32 info);
	unsigned int no_policy:1,	/* no IPsec policy check */
		     netns_ok:1;	/* may receive in namespaces other than init_net */
};

extern const struct net_protocol *inet_protos[MAX_INET_PROTOS];

/* 0, or -1 if @prot is already taken (3.10: cmpxchg on the slot). Context: boot. */
int inet_add_protocol(const struct net_protocol *prot, unsigned char num);
/* 0, or -1 if @prot was not registered at @num. */
int inet_del_protocol(const struct net_protocol *prot, unsigned char num);

#endif
