/* SPDX-License-Identifier: MIT */
/* connect() for IPv4 datagram sockets: route to the peer once and remember it.
 * Mirrors linux/net/ipv4/datagram.c (3.10): ip4_datagram_connect, ip4_datagram_release_cb;
 * and include/net/route.h's ip_route_connect / RT_CONN_FLAGS; the ICMP error handling that
 * 3.10 writes twice (__udp4_lib_err, ping_err) as ip4_datagram_icmp_errno and
 * ip4_datagram_report_err. */
#include "linux/errno.h"
#include "linux/icmp.h"
#include "linux/in.h"
#include "linux/kernel.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/inet_sock.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/sock.h"
#include "net/tcp_states.h"
#include "net/udp.h"
#include "uapi/linux/icmp.h"

/* The TOS of a connection's routes, with RTO_ONLINK for SO_DONTROUTE. */
static inline u8 RT_CONN_FLAGS(const struct sock *sk)
{
	return (u8)(RT_TOS(inet_sk(sk)->tos) | (sock_flag(sk, SOCK_LOCALROUTE) ? RTO_ONLINK : 0));
}

/* Route for a connecting socket: when the source is not known yet, a first lookup picks
 * it, then the flow is looked up again with both ends (3.10 ip_route_connect). */
static struct rtable *ip_route_connect(struct flowi4 *fl4, __be32 dst, __be32 src, u8 tos,
				       int oif, u8 protocol, __be16 sport, __be16 dport,
				       struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct rtable *rt;

	flowi4_init_output(fl4, oif, sk->sk_mark, tos, RT_SCOPE_UNIVERSE, protocol,
			   (inet_sk(sk)->transparent ? FLOWI_FLAG_ANYSRC : 0) |
				   FLOWI_FLAG_CAN_SLEEP,
			   dst, src, dport, sport);
	if (!dst || !src) {
		rt = __ip_route_output_key(net, fl4);
		if (IS_ERR(rt))
			return rt;
		ip_rt_put(rt);
		flowi4_update_output(fl4, oif, tos, fl4->daddr, fl4->saddr);
	}
	return ip_route_output_flow(net, fl4, sk);
}

int ip4_datagram_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct inet_sock *inet = inet_sk(sk);
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct flowi4 fl4;
	struct rtable *rt;
	__be32 saddr;
	int oif;
	int err;

	if (addr_len < (int)sizeof(*usin))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;

	sk_dst_reset(sk);
	lock_sock(sk);

	oif = sk->sk_bound_dev_if;
	saddr = inet->inet_saddr;
	if (ipv4_is_multicast(usin->sin_addr.s_addr)) {
		if (!oif && inet_dgram(sk))
			oif = inet_dgram(sk)->mc_index;
		/* (No inet->mc_addr: see struct inet_sock.) */
	}
	rt = ip_route_connect(&fl4, usin->sin_addr.s_addr, saddr, RT_CONN_FLAGS(sk), oif,
			      (u8)sk->sk_protocol, inet->inet_sport, usin->sin_port, sk);
	if (IS_ERR(rt)) {
		err = (int)PTR_ERR(rt);
		if (err == -ENETUNREACH)
			IP_INC_STATS_BH(sock_net(sk), IPSTATS_MIB_OUTNOROUTES);
		goto out;
	}

	if ((rt->rt_flags & RTCF_BROADCAST) && !sock_flag(sk, SOCK_BROADCAST)) {
		ip_rt_put(rt);
		err = -EACCES;
		goto out;
	}
	if (!inet->inet_saddr)
		inet->inet_saddr = fl4.saddr; /* Update source address */
	if (!inet->inet_rcv_saddr) {
		inet->inet_rcv_saddr = fl4.saddr;
		if (sk->sk_prot->rehash)
			sk->sk_prot->rehash(sk);
	}
	inet->inet_daddr = fl4.daddr;
	inet->inet_dport = usin->sin_port;
	sk->sk_state = TCP_ESTABLISHED;
	inet->inet_id = (u16)jiffies;

	sk_dst_set(sk, &rt->dst);
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* After the socket lock: a cached route that went stale (PMTU, device change) is looked up
 * again, so that the next send uses a valid one. */
void ip4_datagram_release_cb(struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);
	const struct ip_options_rcu *inet_opt;
	__be32 daddr = inet->inet_daddr;
	struct flowi4 fl4;
	struct rtable *rt;

	if (!__sk_dst_get(sk) || __sk_dst_check(sk, 0))
		return;
	inet_opt = inet_sk_opt(sk);
	if (inet_opt && inet_opt->opt.srr)
		daddr = inet_opt->opt.faddr;
	rt = ip_route_output_ports(sock_net(sk), &fl4, sk, daddr, inet->inet_saddr,
				   inet->inet_dport, inet->inet_sport, (u8)sk->sk_protocol,
				   RT_CONN_FLAGS(sk), sk->sk_bound_dev_if);
	if (!IS_ERR(rt))
		__sk_dst_set(sk, &rt->dst);
}

/* DIVERGES: 3.10 repeats this switch in __udp4_lib_err and ping_err; ulnet writes it once. */
int ip4_datagram_icmp_errno(struct sock *sk, struct sk_buff *skb, int type, int code, u32 info,
			    int *harderr)
{
	*harderr = 0;
	switch (type) {
	default:
	case ICMP_TIME_EXCEEDED:
		return EHOSTUNREACH;
	case ICMP_PARAMETERPROB:
		*harderr = 1;
		return EPROTO;
	case ICMP_DEST_UNREACH:
		if (code == ICMP_FRAG_NEEDED) { /* Path MTU discovery */
			ipv4_update_pmtu(skb, dev_net(skb->dev), info, sk->sk_bound_dev_if,
					 sk->sk_mark, (u8)sk->sk_protocol, 0);
			if (inet_sk(sk)->pmtudisc != IP_PMTUDISC_DONT) {
				*harderr = 1;
				return EMSGSIZE;
			}
			return 0;
		}
		if (code <= NR_ICMP_UNREACH) {
			*harderr = icmp_err_convert[code].fatal;
			return icmp_err_convert[code].errno_;
		}
		return EHOSTUNREACH;
	}
}

/* DIVERGES: with IP_RECVERR 3.10 also queues the error on the error queue (ip_icmp_error,
 * read with MSG_ERRQUEUE); ulnet only reports it in sk_err. */
void ip4_datagram_report_err(struct sock *sk, int err, int harderr)
{
	if (!inet_sk(sk)->recverr && (!harderr || sk->sk_state != TCP_ESTABLISHED))
		return;
	sk->sk_err = err;
	sk->sk_error_report(sk);
}
