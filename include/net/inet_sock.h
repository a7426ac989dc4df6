/* SPDX-License-Identifier: MIT */
/* The IPv4 socket: struct inet_sock on top of struct sock, and the cork.
 * (struct ip_options lives in net/ip.h, which this header includes.)
 * Mirrors linux/include/net/inet_sock.h (3.10): inet_cork, inet_cork_full, inet_sock
 * (inet_saddr, inet_sport, uc_ttl, tos, pmtudisc, recverr, hdrincl, mc_*), inet_sk.
 *
 * Addresses and ports: inet_rcv_saddr (bound address), inet_saddr (source used when
 * sending), inet_daddr/inet_dport (connected peer) are in network order; inet_num is the
 * local port in host order and inet_sport the same in network order. */
#ifndef _NET_INET_SOCK_H
#define _NET_INET_SOCK_H
#include "linux/types.h"
#include "net/flow.h"
#include "net/ip.h"
#include "net/sock.h"

/* Per-socket state while building a datagram (ip_append_data, ip_make_skb). */
struct inet_cork {
	unsigned int flags;
	__be32 addr;
	struct ip_options *opt;
	unsigned int fragsize;
	int length;			/* total length of all frames */
	struct dst_entry *dst;
	u8 tx_flags;
	__u8 ttl;
	s16 tos;
	char priority;
};

/* 3.10's cork with its flow. DIVERGES: no sock embeds it in ulnet (see struct
 * inet_dgram); kept as 3.10's type for the datagram corking to come (udp_sendmsg returns
 * -EOPNOTSUPP for UDP_CORK / MSG_MORE). */
struct inet_cork_full {
	struct inet_cork base;
	struct {
		union {
			struct flowi4 ip4;
		} u;
	} fl;
};

/* The state only inet datagram sockets (UDP, ping) use: the receive state generic code
 * reads (first: sk_dgram() finds it through proto.dgram_offset), the datagram cork of
 * ip_append_data (ping sockets: a few per host) allocated on the first corked send and freed
 * with the sock (ip_cork_free from inet_sock_destruct), and the multicast output interface.
 * DIVERGES: 3.10 embeds a struct inet_cork_full in every inet_sock and has mc_index
 * there. TCP uses only the cork's flow (cork.fl), and ulnet builds it on the stack where
 * TCP needs it (tcp_v4_connect, tcp_transmit_skb, inet_csk_update_pmtu): every value it
 * holds follows from the sock's addresses and IP options. TCP never reads mc_index (3.10
 * writes it on an accepted child, tcp_v4_syn_recv_sock; no option reads it back). */
struct inet_dgram {
	struct sock_dgram sk;		/* has to be first (inet_dgram()) */
	struct inet_cork *cork;		/* 3.10: inet->cork.base */
	int mc_index;			/* multicast output interface (IP_MULTICAST_IF) */
};

struct ip_mc_socklist;
struct ipv6_pinfo;

struct inet_sock {
	/* sk has to be the first member of inet_sock */
	struct sock sk;
	/* DIVERGES: no pinet6 (ulnet has no IPv6) and no mc_list (no multicast memberships
	 * yet): 16 B less in every inet sock. Add them back with their users. */
	/* Socket demultiplex comparisons on incoming packets. */
#define inet_daddr	sk.__sk_common.skc_daddr
#define inet_rcv_saddr	sk.__sk_common.skc_rcv_saddr
#define inet_dport	sk.__sk_common.skc_dport
#define inet_num	sk.__sk_common.skc_num
	__be32 inet_saddr;
	s16 uc_ttl;			/* IP_TTL, -1: net.ipv4.ip_default_ttl */
	/* DIVERGES: u8, not __u16: the IP_CMSG_* flags are 7 bits. */
	__u8 cmsg_flags;
	__u8 tos;			/* IP_TOS */
	__be16 inet_sport;
	__u16 inet_id;			/* IP id counter of connected sockets */
	int rx_dst_ifindex;
	/* (inet_opt: in struct sock_rare, read by inet_sk_opt.) */
	__u8 min_ttl;
	__u8 mc_ttl;
	__u8 pmtudisc;			/* IP_PMTUDISC_* (IP_MTU_DISCOVER) */
	__u8 recverr:1,
	     is_icsk:1,
	     freebind:1,
	     hdrincl:1,
	     mc_loop:1,
	     transparent:1,
	     mc_all:1,
	     nodefrag:1;
	/* (DIVERGES: no uc_index; ulnet does not implement IP_UNICAST_IF, so unconnected
	 * sends pick no output interface from it. No rcv_tos either: nothing read the TOS a
	 * child's SYN came with.) */
	/* (DIVERGES: mc_index and cork are in struct inet_dgram, embedded by the datagram
	 * kinds only: see there.) */
	/* (DIVERGES: no mc_addr; ulnet does not implement IP_MULTICAST_IF, which is the only
	 * setter, so a multicast send's source address never comes from it (3.10's value
	 * without the option: 0).) */
};

/* cmsg_flags (IP_PKTINFO & co. for recvmsg). */
#define IP_CMSG_PKTINFO		1
#define IP_CMSG_TTL		2
#define IP_CMSG_TOS		4
#define IP_CMSG_RECVOPTS	8
#define IP_CMSG_RETOPTS		16
#define IP_CMSG_PASSSEC		32
#define IP_CMSG_ORIGDSTADDR	64

/* inet_cork->flags */
#define IPCORK_OPT	1	/* ip-options has been held in ipcork.opt */
#define IPCORK_ALLFRAG	2	/* always fragment (for ipv6 for now) */

/* ---- net/ipv4/ip_sockglue.c (declared in net/ip.h in 3.10) ---- */
struct ipcm_cookie;
int ip_setsockopt(struct sock *sk, int level, int optname, char *optval, unsigned int optlen);
int ip_getsockopt(struct sock *sk, int level, int optname, char *optval, int *optlen);
/* IP_PKTINFO control message of a send: the source address and interface. 0 or -EINVAL. */
int ip_cmsg_send(struct net *net, struct msghdr *msg, struct ipcm_cookie *ipc);
/* Control messages the socket asked for (IP_PKTINFO, IP_RECVTTL, IP_RECVTOS). */
void ip_cmsg_recv(struct msghdr *msg, struct sk_buff *skb);
/* Save IP_PKTINFO data in skb->cb and drop the route, before queueing on a socket. */
void ipv4_pktinfo_prepare(struct sk_buff *skb);

static inline struct inet_sock *inet_sk(const struct sock *sk)
{
	return (struct inet_sock *)sk;
}

/* 3.10's inet->inet_opt (IP_OPTIONS, or a child's options from its SYN; NULL without). */
static inline struct ip_options_rcu *inet_sk_opt(const struct sock *sk)
{
	const struct sock_rare *r = READ_ONCE(sk->sk_rare);

	return r ? rcu_dereference(r->inet_opt) : NULL;
}

/* The addresses of a connected sock's flow (for ip_queue_xmit): the source address, and
 * the destination or, with a source route, its first hop. These are what 3.10's
 * inet->cork.fl holds after the route lookups of connect (tcp_v4_connect), of accept
 * (inet_csk_route_child_sock, cookie_v4_check) and of a re-route (ip_queue_xmit,
 * inet_csk_rebuild_route), all made from these addresses. DIVERGES: read from the sock
 * each time instead of kept (see struct inet_dgram); one case differs: IP options with a
 * source route set on a connected sock take effect at the next segment, not at the next
 * route lookup. Context: socket locked (inet_opt stable). */
static inline void inet_sk_flowi4_addrs(const struct sock *sk, struct flowi4 *fl4)
{
	const struct inet_sock *inet = inet_sk(sk);
	const struct ip_options_rcu *inet_opt = inet_sk_opt(sk);

	fl4->saddr = inet->inet_saddr;
	fl4->daddr = (inet_opt && inet_opt->opt.srr) ? inet_opt->opt.faddr : inet->inet_daddr;
}

/* The datagram state of a UDP or ping sock; NULL for TCP (see struct inet_dgram). */
static inline struct inet_dgram *inet_dgram(const struct sock *sk)
{
	_Static_assert(offsetof(struct inet_dgram, sk) == 0, "sock_dgram first");
	return (struct inet_dgram *)sk_dgram(sk);
}

/* Choose the IP ID (inet_peer per destination; the socket's counter for DF packets). Inline,
 * as 3.10: it runs for every packet a socket sends. */
static inline void ip_select_ident_more(struct sk_buff *skb, struct dst_entry *dst,
					struct sock *sk, int more)
{
	struct iphdr *iph = ip_hdr(skb);

	if ((iph->frag_off & htons(IP_DF)) && !skb->local_df) {
		/* A DF packet is never fragmented: its ID only has to change for buggy VJ
		 * header compression (Windows 95/2000), so connected sockets count. */
		if (sk && inet_sk(sk)->inet_daddr) {
			iph->id = htons(inet_sk(sk)->inet_id);
			inet_sk(sk)->inet_id += 1 + more;
		} else {
			iph->id = 0;
		}
	} else {
		__ip_select_ident(iph, dst, more);
	}
}
static inline void ip_select_ident(struct sk_buff *skb, struct dst_entry *dst, struct sock *sk)
{
	ip_select_ident_more(skb, dst, sk, 0);
}

/* An IPv4 connection request (TCP): the 4-tuple and the options the SYN carried. */
struct inet_request_sock {
	struct request_sock req;
#define ir_loc_addr	loc_addr
	__be32 loc_addr;
	__be32 rmt_addr;
	__be16 rmt_port;
	u16 loc_port;			/* host order, as inet_num */
	u16 snd_wscale : 4,
	    rcv_wscale : 4,
	    tstamp_ok  : 1,
	    sack_ok    : 1,
	    wscale_ok  : 1,
	    ecn_ok     : 1,
	    acked      : 1,		/* the final ACK came but the accept queue was full */
	    no_srccheck: 1;
	struct ip_options_rcu *opt;
};

static inline struct inet_request_sock *inet_rsk(const struct request_sock *sk)
{
	return (struct inet_request_sock *)sk;
}

#endif
