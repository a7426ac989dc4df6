/* SPDX-License-Identifier: MIT */
/* The UDP socket and the UDP header of an skb.
 * Mirrors linux/include/linux/udp.h (3.10): udp_hdr, struct udp_sock, udp_sk,
 * udp_hashfn. */
#ifndef _LINUX_UDP_H
#define _LINUX_UDP_H
#include "linux/skbuff.h"
#include "net/inet_sock.h"
#include "net/netns/hash.h"
#include "uapi/linux/udp.h"

static inline struct udphdr *udp_hdr(const struct sk_buff *skb)
{
	return (struct udphdr *)skb_transport_header(skb);
}

/* The primary UDP hash: local port, mixed with the namespace. */
static inline u32 udp_hashfn(struct net *net, u32 num, u32 mask)
{
	return (num + net_hash_mix(net)) & mask;
}

struct udp_sock {
	/* inet_sock has to be the first member */
	struct inet_sock inet;
	/* DIVERGES: the datagram-only state 3.10 keeps in struct sock / inet_sock (see
	 * struct inet_dgram). */
	struct inet_dgram dgram;
#define udp_port_hash		inet.sk.__sk_common.skc_u16hashes[0]
#define udp_portaddr_hash	inet.sk.__sk_common.skc_u16hashes[1]
#define udp_portaddr_node	inet.sk.__sk_common.skc_portaddr_node
	int pending;			/* any pending frames? (corking) */
	unsigned int corkflag;		/* cork is required */
	__u16 encap_type;		/* is this an encapsulation socket? */
	/* Following member retains the information to create a UDP header when the socket is
	 * uncorked. */
	__u16 len;			/* total length of pending frames */
	/* UDP-Lite checksum coverage (3.10 fields; UDP-Lite itself is not implemented). */
	__u16 pcslen;
	__u16 pcrlen;
	__u8 pcflag;
	__u8 unused[3];
	int (*encap_rcv)(struct sock *sk, struct sk_buff *skb);
};

static inline struct udp_sock *udp_sk(const struct sock *sk)
{
	return (struct udp_sock *)sk;
}

#endif
