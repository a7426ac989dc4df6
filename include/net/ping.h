/* SPDX-License-Identifier: MIT */
/* ICMP echo ("ping") sockets: socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP).
 * Mirrors linux/include/net/ping.h (3.10): ping_prot, ping_rcv, ping_err, ping_init,
 * PING_HTABLE_SIZE.
 *
 * The echo identifier of a ping socket is its bound "port" (inet_num): ping_sendmsg
 * overwrites the id of the user's ICMP header with it, and ping_rcv delivers an echo reply
 * to the socket whose inet_num equals the reply's id. Who may create one is
 * net.ipv4.ping_group_range (per namespace). */
#ifndef _NET_PING_H
#define _NET_PING_H
#include "linux/skbuff.h"
#include "linux/types.h"

#define PING_HTABLE_SIZE	64
#define PING_HTABLE_MASK	(PING_HTABLE_SIZE - 1)

struct proto;
extern struct proto ping_prot;

/* icmp_pointers[ICMP_ECHOREPLY].handler (icmp_rcv). Context: softirq. Does not consume
 * @skb (icmp_rcv does); the socket gets a reference. */
void ping_rcv(struct sk_buff *skb);
/* The err_handler of icmp_protocol: an ICMP error quoting one of our echo requests.
 * Context: softirq. */
void ping_err(struct sk_buff *skb, u32 info);
/* Boot (inet_init, after icmp_init): the hash table and net.ipv4.ping_group_range. */
int ping_init(void);
void ping_fini(void);

#endif
