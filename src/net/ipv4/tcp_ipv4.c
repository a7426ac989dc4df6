/* SPDX-License-Identifier: MIT */
/* TCP over IPv4: connect, the receive entry point and its socket lookup, the passive open
 * (SYN to a listener, the child socket), resets and ACKs sent without a socket, and the
 * protocol tables.
 * Mirrors linux/net/ipv4/tcp_ipv4.c (3.10): tcp_v4_connect, tcp_v4_send_reset,
 * tcp_v4_send_ack, tcp_v4_reqsk_send_ack, tcp_v4_send_synack, tcp_v4_rtx_synack,
 * tcp_v4_reqsk_destructor, tcp_syn_flood_action, tcp_v4_conn_request, tcp_v4_syn_recv_sock,
 * tcp_v4_hnd_req (with cookie_v4_check for ACKs that match no request),
 * tcp_v4_do_rcv, tcp_prequeue (include/net/tcp.h in 3.10), tcp_v4_rcv, tcp_twsk_unique,
 * tcp_v4_init_sock, tcp_v4_destroy_sock,
 * tcp_v4_init_sequence, ipv4_specific, tcp_request_sock_ops, tcp_timewait_sock_ops,
 * tcp_prot, tcp4_seq_show (/proc/net/tcp); ICMP errors and PMTU discovery: tcp_v4_err,
 * tcp_v4_mtu_reduced, with inet_csk_update_pmtu and inet_csk_rebuild_route
 * (inet_connection_sock.c in 3.10); the checksum: __tcp_v4_send_check, tcp_v4_send_check;
 * early demux: tcp_v4_early_demux, inet_sk_rx_dst_set (the established socket and its
 * cached input route found before routing, net.ipv4.ip_early_demux).
 *
 * Book ch6: SYN -> tcp_v4_rcv -> tcp_v4_do_rcv -> tcp_rcv_state_process (LISTEN) ->
 * tcp_v4_conn_request (request sock in the SYN table, SYN-ACK out); final ACK ->
 * tcp_v4_hnd_req -> tcp_check_req -> tcp_v4_syn_recv_sock (child, accept queue).
 * Context: softirq (receive) or process (connect), socket locked. */
#include "linux/errno.h"
#include "linux/icmp.h"
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/netdevice.h"
#include "linux/poll.h"
#include "linux/seq_file.h"
#include "linux/skbuff.h"
#include "linux/slab.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/inet_common.h"
#include "net/inet_connection_sock.h"
#include "net/inet_hashtables.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/tcp.h"
#include "trace/path.h"

int sysctl_tcp_tw_reuse;
int sysctl_tcp_low_latency;

struct inet_hashinfo tcp_hashinfo;

static inline __u32 tcp_v4_init_sequence(const struct sk_buff *skb)
{
	return secure_tcp_sequence_number(ip_hdr(skb)->daddr, ip_hdr(skb)->saddr,
					  tcp_hdr(skb)->dest, tcp_hdr(skb)->source);
}

/* May @sk take the 4-tuple of TIME_WAIT @sktw? facts.md §3.5. */
static int tcp_twsk_unique(struct sock *sk, struct sock *sktw, void *twp)
{
	const struct tcp_timewait_sock *tcptw = tcp_twsk(sktw);
	struct tcp_sock *tp = tcp_sk(sk);

	/* With PAWS, it is safe from the viewpoint of data integrity. Even without PAWS it
	 * is safe provided sequence spaces do not overlap i.e. at data rates <= 80Mbit/sec.
	 * Actually, the idea is close to VJ's one, only timestamp cache is held not per
	 * host, but per port pair and TW bucket is used as state holder. If TW bucket has
	 * been already destroyed we fall back to VJ's scheme and use initial timestamp
	 * retrieved from peer table. */
	if (tcptw->tw_ts_recent_stamp &&
	    (twp == NULL ||
	     (sysctl_tcp_tw_reuse && get_seconds() - tcptw->tw_ts_recent_stamp > 1))) {
		tp->write_seq = tcptw->tw_snd_nxt + 65535 + 2;
		if (tp->write_seq == 0)
			tp->write_seq = 1;
		tp->rx_opt.ts_recent = tcptw->tw_ts_recent;
		tp->rx_opt.ts_recent_stamp = (u32)tcptw->tw_ts_recent_stamp;
		sock_hold(sktw);
		return 1;
	}
	return 0;
}

/* This will initiate an outgoing connection. */
int tcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	__be16 orig_sport, orig_dport;
	__be32 daddr, nexthop;
	/* DIVERGES: 3.10 looks up into inet->cork.fl; here a flow on the stack (see struct
	 * inet_dgram; tcp_transmit_skb rebuilds it from the addresses committed below). */
	struct flowi4 fl4_stack;
	struct flowi4 *fl4 = &fl4_stack;
	struct rtable *rt;
	int err;

	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;

	nexthop = daddr = usin->sin_addr.s_addr;
	orig_sport = inet->inet_sport;
	orig_dport = usin->sin_port;
	rt = ip_route_output_ports(sock_net(sk), fl4, sk, nexthop, inet->inet_saddr, orig_dport,
				   orig_sport, IPPROTO_TCP, RT_TOS(inet->tos),
				   sk->sk_bound_dev_if);
	if (IS_ERR(rt)) {
		err = (int)PTR_ERR(rt);
		if (err == -ENETUNREACH)
			IP_INC_STATS_BH(sock_net(sk), IPSTATS_MIB_OUTNOROUTES);
		return err;
	}
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	daddr = fl4->daddr;
	if (!inet->inet_saddr)
		inet->inet_saddr = fl4->saddr;
	inet->inet_rcv_saddr = inet->inet_saddr;

	if (tp->rx_opt.ts_recent_stamp && inet->inet_daddr != daddr) {
		/* Reset inherited state */
		tp->rx_opt.ts_recent = 0;
		tp->rx_opt.ts_recent_stamp = 0;
		if (likely(!tp->repair))
			tp->write_seq = 0;
	}
	inet->inet_dport = usin->sin_port;
	inet->inet_daddr = daddr;
	inet_csk(sk)->icsk_ext_hdr_len = 0;
	tp->rx_opt.mss_clamp = TCP_MSS_DEFAULT;

	/* Socket identity is still unknown (sport may be zero). However we set state to
	 * SYN-SENT and not releasing socket lock select source port, enter ourselves into
	 * the hash tables and complete initialization after this. */
	tcp_set_state(sk, TCP_SYN_SENT);
	err = inet_hash_connect(&tcp_death_row, sk);
	if (err)
		goto failure;

	if (inet->inet_sport != orig_sport) {
		/* ip_route_newports: the port is chosen, look the route up again with it. */
		ip_rt_put(rt);
		rt = ip_route_output_ports(sock_net(sk), fl4, sk, daddr, inet->inet_saddr,
					   inet->inet_dport, inet->inet_sport, IPPROTO_TCP,
					   RT_TOS(inet->tos), sk->sk_bound_dev_if);
		if (IS_ERR(rt)) {
			err = (int)PTR_ERR(rt);
			rt = NULL;
			goto failure;
		}
	}
	/* OK, now commit destination to socket. */
	sk->sk_gso_type = SKB_GSO_TCPV4;
	sk_setup_caps(sk, &rt->dst);

	if (!tp->write_seq && likely(!tp->repair))
		tp->write_seq = secure_tcp_sequence_number(inet->inet_saddr, inet->inet_daddr,
							   inet->inet_sport, usin->sin_port);
	inet->inet_id = (__u16)(tp->write_seq ^ jiffies);

	err = tcp_connect(sk);
	rt = NULL;
	if (err)
		goto failure;
	return 0;

failure:
	/* This unhashes the socket and releases the local port, if necessary. */
	tcp_set_state(sk, TCP_CLOSE);
	if (rt)
		ip_rt_put(rt);
	sk->sk_route_caps = 0;
	inet->inet_dport = 0;
	return err;
}

/* ------------------------------------------------------------------------------------------
 * ICMP errors (RFC 1122 4.2.3.9) and path MTU discovery (RFC 1191). */

/* The socket's route looked up again (its cached one went stale), cached on the socket.
 * (3.10: inet_csk_rebuild_route in inet_connection_sock.c, on a struct flowi.) */
static struct dst_entry *inet_csk_rebuild_route(struct sock *sk, struct flowi4 *fl4)
{
	const struct inet_sock *inet = inet_sk(sk);
	const struct ip_options_rcu *inet_opt = inet_sk_opt(sk);
	__be32 daddr = inet->inet_daddr;
	struct rtable *rt;

	if (inet_opt && inet_opt->opt.srr)
		daddr = inet_opt->opt.faddr;
	/* The TOS of RT_CONN_FLAGS (a static inline of ip_output_sk.c and datagram.c). */
	rt = ip_route_output_ports(sock_net(sk), fl4, sk, daddr, inet->inet_saddr,
				   inet->inet_dport, inet->inet_sport, (u8)sk->sk_protocol,
				   (u8)(RT_TOS(inet->tos) |
					(sock_flag(sk, SOCK_LOCALROUTE) ? RTO_ONLINK : 0)),
				   sk->sk_bound_dev_if);
	if (IS_ERR(rt))
		return NULL;
	sk_setup_caps(sk, &rt->dst);
	return &rt->dst;
}

/* Tell the socket's route that the path takes at most @mtu bytes; the route the socket
 * uses afterwards (rebuilt if the update made it stale), or NULL without one.
 * (3.10: inet_csk_update_pmtu in inet_connection_sock.c.) */
static struct dst_entry *inet_csk_update_pmtu(struct sock *sk, u32 mtu)
{
	struct dst_entry *dst = __sk_dst_check(sk, 0);
	/* DIVERGES: 3.10 looks up into inet->cork.fl (see struct inet_dgram). */
	struct flowi4 fl4;

	if (!dst) {
		dst = inet_csk_rebuild_route(sk, &fl4);
		if (!dst)
			return NULL;
	}
	dst->ops->update_pmtu(dst, sk, NULL, mtu);

	dst = __sk_dst_check(sk, 0);
	if (!dst)
		dst = inet_csk_rebuild_route(sk, &fl4);
	return dst;
}

/* RFC 1191: a router could not forward a segment of ours (DF set) and said how much fits,
 * tp->mtu_info. Lower the route's PMTU; if the socket's MSS was computed for a larger one,
 * shrink it and resend at once what was sent too big ("fast" PMTU discovery) instead of
 * waiting for the RTO. Called from tcp_v4_err, or from tcp_release_cb when the ICMP found
 * the socket owned (TCP_MTU_REDUCED_DEFERRED). Context: socket locked. */
void tcp_v4_mtu_reduced(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	u32 mtu = tcp_sk(sk)->mtu_info;
	struct dst_entry *dst;
	bool dont_fragment;

	/* Deferred, the socket may have closed meanwhile (later kernels check this too). */
	if ((1 << sk->sk_state) & (TCPF_LISTEN | TCPF_CLOSE))
		return;
	dst = inet_csk_update_pmtu(sk, mtu);
	if (!dst)
		return;

	/* ip_dont_fragment (ip_output_sk.c): DF goes on our packets for IP_PMTUDISC_DO, and
	 * for IP_PMTUDISC_WANT (TCP's default) unless the route's MTU is locked. */
	dont_fragment = inet->pmtudisc == IP_PMTUDISC_DO ||
			(inet->pmtudisc == IP_PMTUDISC_WANT && !dst_metric_locked(dst, RTAX_MTU));
	/* The route refused the MTU (below min_pmtu, or locked): the path may not carry our
	 * segments at all. Remember it as a soft error, reported if the connection times out. */
	if (mtu < dst_mtu(dst) && dont_fragment)
		sk->sk_err_soft = EMSGSIZE;

	mtu = dst_mtu(dst);
	if (inet->pmtudisc != IP_PMTUDISC_DONT && inet_csk(sk)->icsk_pmtu_cookie > mtu) {
		tcp_sync_mss(sk, mtu);
		/* The router dropped the big segments: resend them now, at the new size. */
		tcp_simple_retransmit(sk);
	} /* else the retransmission timer will do it */
}

/* RFC 6069 (draft-zimmermann-tcp-lcd): a host or net unreachable quoting the segment at
 * snd_una while the RTO backs off means the path is down, not congested: take back one
 * doubling of the RTO, and retransmit now if the reverted RTO is already over.
 * Context: softirq, socket spinlock held, not owned. */
static void tcp_v4_err_revert_rto(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = tcp_write_queue_head(sk);
	u32 remaining;

	if (!skb)
		return;
	icsk->icsk_backoff--;
	icsk->icsk_rto = (tp->srtt ? __tcp_set_rto(tp) : TCP_TIMEOUT_INIT) << icsk->icsk_backoff;
	tcp_bound_rto(sk);

	remaining = icsk->icsk_rto - min(icsk->icsk_rto,
					 (u32)(tcp_time_stamp - TCP_SKB_CB(skb)->when));
	if (remaining)
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, remaining, TCP_RTO_MAX);
	else
		tcp_retransmit_timer(sk);	/* the reverted RTO is already over */
}

/* An ICMP error about a SYN-ACK of listener @sk: the request it answers goes, silently
 * (accept() must not return network errors, POSIX). Context: softirq, not owned. */
static void tcp_v4_err_request(struct sock *sk, const struct iphdr *iph,
			       const struct tcphdr *th, u32 seq)
{
	struct request_sock *req, **prev;
	struct net *net = sock_net(sk);

	req = inet_csk_search_req(sk, &prev, th->dest, iph->daddr, iph->saddr);
	if (!req)
		return;
	if (seq != tcp_rsk(req)->snt_isn) {
		NET_INC_STATS_BH(net, LINUX_MIB_OUTOFWINDOWICMPS);
		return;
	}
	inet_csk_reqsk_queue_drop(sk, req, prev);
	NET_INC_STATS_BH(net, LINUX_MIB_LISTENDROPS);
}

/* An ICMP error quotes the IP header and the first 8 bytes of a segment we sent (ports and
 * sequence number): find its socket and apply the error. @icmp_skb->data is the quoted IP
 * header (icmp_socket_deliver pulled the 8 bytes after it); @info is the next-hop MTU of a
 * frag-needed.
 *
 * What each error does (3.10): frag-needed is PMTU discovery (above); a port or protocol
 * unreachable (or any error) aborts a connection still opening (SYN_SENT, SYN_RECV:
 * sk_err, tcp_done) and kills the request of a SYN-ACK; on an established connection
 * RFC 1122 4.2.3.9 lets only PROTO_UNREACH and PORT_UNREACH be hard errors, and Linux
 * treats every error as soft (sk_err_soft, reported on timeout) unless IP_RECVERR asks for
 * it at once. An ICMP quoting a sequence outside snd_una..snd_nxt is forged or stale
 * (OutOfWindowIcmps). Context: softirq (icmp_unreach, icmp_redirect). */
void tcp_v4_err(struct sk_buff *icmp_skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)icmp_skb->data;
	const struct tcphdr *th = (const struct tcphdr *)(icmp_skb->data + (iph->ihl << 2));
	const int type = icmp_hdr(icmp_skb)->type;
	const int code = icmp_hdr(icmp_skb)->code;
	struct net *net = dev_net(icmp_skb->dev);
	struct inet_connection_sock *icsk;
	struct tcp_sock *tp;
	struct sock *sk;
	u32 seq;
	int err;

	UL_TRACE(icmp_skb);
	if (icmp_skb->len < (unsigned int)(iph->ihl << 2) + 8) {
		ICMP_INC_STATS_BH(net, ICMP_MIB_INERRORS);
		return;
	}
	/* The quoted segment went from us: its source is our end. */
	sk = __inet_lookup(net, &tcp_hashinfo, iph->daddr, th->dest, iph->saddr, th->source,
			   inet_iif(icmp_skb));
	if (!sk) {
		ICMP_INC_STATS_BH(net, ICMP_MIB_INERRORS);
		return;
	}
	if (sk->sk_state == TCP_TIME_WAIT) {
		inet_twsk_put(inet_twsk(sk));
		return;
	}

	bh_lock_sock(sk);
	/* A task owns the socket: the error is dropped (the one exception, frag-needed, is
	 * deferred to release_sock below: PMTU discovery must not be lost to a busy socket,
	 * and a locally generated frag-needed can arrive while the sender holds it). */
	if (sock_owned_by_user(sk) && !(type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED))
		NET_INC_STATS_BH(net, LINUX_MIB_LOCKDROPPEDICMPS);
	if (sk->sk_state == TCP_CLOSE)
		goto out;
	if (unlikely(iph->ttl < inet_sk(sk)->min_ttl)) {
		NET_INC_STATS_BH(net, LINUX_MIB_TCPMINTTLDROP);
		goto out;
	}

	icsk = inet_csk(sk);
	tp = tcp_sk(sk);
	seq = ntohl(th->seq);
	if (sk->sk_state != TCP_LISTEN && !between(seq, tp->snd_una, tp->snd_nxt)) {
		NET_INC_STATS_BH(net, LINUX_MIB_OUTOFWINDOWICMPS);
		goto out;
	}

	switch (type) {
	case ICMP_REDIRECT:
		/* DIVERGES: 3.10 hands the redirect to the socket's route (do_redirect ->
		 * dst->ops->redirect, ipv4_redirect); ulnet's routes take no redirects (as
		 * udp_err), so it is ignored. */
		goto out;
	case ICMP_SOURCE_QUENCH:
		/* Deprecated by RFC 6633: ignored. */
		goto out;
	case ICMP_PARAMETERPROB:
		err = EPROTO;
		break;
	case ICMP_DEST_UNREACH:
		if (code > NR_ICMP_UNREACH)
			goto out;
		if (code == ICMP_FRAG_NEEDED) { /* PMTU discovery (RFC1191) */
			/* Not for a listener and its requests: a SYN-ACK is short enough to go
			 * through unfragmented. */
			if (sk->sk_state == TCP_LISTEN)
				goto out;
			tp->mtu_info = (u16)info;
			if (!sock_owned_by_user(sk))
				tcp_v4_mtu_reduced(sk);
			else if (!tcp_tsq_test_and_set(tp, TCP_MTU_REDUCED_DEFERRED))
				sock_hold(sk);	/* dropped by tcp_release_cb */
			goto out;
		}
		err = icmp_err_convert[code].errno_;
		/* RFC 6069: may this error revert the RTO backoff? */
		if ((code == ICMP_NET_UNREACH || code == ICMP_HOST_UNREACH) &&
		    seq == tp->snd_una && icsk->icsk_retransmits && icsk->icsk_backoff &&
		    !sock_owned_by_user(sk))
			tcp_v4_err_revert_rto(sk);
		break;
	case ICMP_TIME_EXCEEDED:
		err = EHOSTUNREACH;
		break;
	default:
		goto out;
	}

	switch (sk->sk_state) {
	case TCP_LISTEN:
		/* ICMPs are not backlogged: with the listener owned, drop it. */
		if (!sock_owned_by_user(sk))
			tcp_v4_err_request(sk, iph, th, seq);
		goto out;
	case TCP_SYN_SENT:
	case TCP_SYN_RECV:
		/* The connection is not open yet: the error is fatal (connect() returns it). */
		if (!sock_owned_by_user(sk)) {
			sk->sk_err = err;
			sk->sk_error_report(sk);
			tcp_done(sk);
		} else {
			sk->sk_err_soft = err;
		}
		goto out;
	}

	/* Connected: keep trying until the retransmissions time out or the user gives up.
	 * IP_RECVERR asks for the error now; otherwise it waits in sk_err_soft and becomes
	 * the connection's error only on timeout (tcp_write_err). */
	if (!sock_owned_by_user(sk) && inet_sk(sk)->recverr) {
		sk->sk_err = err;
		sk->sk_error_report(sk);
	} else {
		sk->sk_err_soft = err;
	}
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

/* ------------------------------------------------------------------------------------------
 * Replies without a socket. */

/* DIVERGES: 3.10 sends RSTs and TIME_WAIT/request ACKs through a per-namespace control
 * socket (ip_send_unicast_reply on net->ipv4.tcp_sock); ulnet builds the IP header here
 * with the same fields (TTL from the route, DF, no options) and sends it with ip_local_out.
 * Consumes nothing: @skb is the segment being answered. */
static void tcp_v4_send_reply(struct net *net, struct sk_buff *skb, const void *rep,
			      unsigned int len, u8 tos)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct sk_buff *nskb;
	struct flowi4 fl4;
	struct rtable *rt;
	struct iphdr *niph;
	struct tcphdr *th;

	flowi4_init_output(&fl4, inet_iif(skb), 0, RT_TOS(tos), RT_SCOPE_UNIVERSE, IPPROTO_TCP,
			   0, iph->saddr, iph->daddr, tcp_hdr(skb)->source, tcp_hdr(skb)->dest);
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return;
	nskb = alloc_skb(MAX_TCP_HEADER + len, GFP_ATOMIC);
	if (!nskb) {
		ip_rt_put(rt);
		return;
	}
	skb_reserve(nskb, MAX_TCP_HEADER);
	th = (struct tcphdr *)skb_put(nskb, len);
	memcpy(th, rep, len);
	skb_reset_transport_header(nskb);
	th->check = 0;
	th->check = tcp_v4_check((int)len, iph->daddr, iph->saddr,
				 csum_partial(th, (int)len, 0));
	skb_dst_set(nskb, &rt->dst);

	skb_push(nskb, sizeof(struct iphdr));
	skb_reset_network_header(nskb);
	niph = ip_hdr(nskb);
	niph->version = 4;
	niph->ihl = 5;
	niph->tos = tos;
	niph->frag_off = htons(IP_DF);
	niph->ttl = (u8)ip4_dst_hoplimit(&rt->dst);
	niph->protocol = IPPROTO_TCP;
	niph->saddr = iph->daddr;
	niph->daddr = iph->saddr;
	ip_select_ident(nskb, &rt->dst, NULL);
	nskb->protocol = htons(ETH_P_IP);
	ip_local_out(nskb);
	TCP_INC_STATS_BH(net, TCP_MIB_OUTSEGS);
}

/* This routine will send an RST to the other tcp.
 * Someone asks: why I NEVER use socket parameters (TOS, TTL etc.) for reset. Answer: if a
 * packet caused RST, it is not for a socket existing in our system, if it is matched to a
 * socket, it is just duplicate segment or bug in other side's TCP. So that we build reply
 * only basing on parameters arrived with segment. Exception: precedence violation. We do
 * not implement it in any case. */
static void tcp_v4_send_reset(struct sock *sk, struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);
	struct tcphdr rep;
	struct net *net;

	/* Never send a reset in response to a reset. */
	if (th->rst)
		return;
	if (skb_rtable(skb)->rt_type != RTN_LOCAL)
		return;

	/* Swap the send and the receive. */
	memset(&rep, 0, sizeof(rep));
	rep.dest = th->source;
	rep.source = th->dest;
	rep.doff = sizeof(struct tcphdr) / 4;
	rep.rst = 1;

	/* RFC 793 p. 36-37: an ACK gets <SEQ=SEG.ACK><CTL=RST>; otherwise
	 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, SYN and FIN counting one each. */
	if (th->ack) {
		rep.seq = th->ack_seq;
	} else {
		rep.ack = 1;
		rep.ack_seq = htonl(ntohl(th->seq) + th->syn + th->fin + skb->len -
				    (th->doff << 2));
	}
	net = sk ? sock_net(sk) : dev_net(skb_dst(skb)->dev);
	tcp_v4_send_reply(net, skb, &rep, sizeof(rep), ip_hdr(skb)->tos);
	TCP_INC_STATS_BH(net, TCP_MIB_OUTRSTS);
}

/* The code following below sending ACKs in SYN-RECV and TIME-WAIT states outside socket
 * context is ugly, certainly. What can I do? */
static void tcp_v4_send_ack(struct net *net, struct sk_buff *skb, u32 seq, u32 ack, u32 win,
			    u32 tsval, u32 tsecr, int tos)
{
	const struct tcphdr *th = tcp_hdr(skb);
	struct {
		struct tcphdr th;
		__be32 opt[TCPOLEN_TSTAMP_ALIGNED >> 2];
	} rep;
	unsigned int len = sizeof(struct tcphdr);

	memset(&rep.th, 0, sizeof(struct tcphdr));
	if (tsecr) {
		rep.opt[0] = htonl((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) |
				   (TCPOPT_TIMESTAMP << 8) | TCPOLEN_TIMESTAMP);
		rep.opt[1] = htonl(tsval);
		rep.opt[2] = htonl(tsecr);
		len += TCPOLEN_TSTAMP_ALIGNED;
	}
	/* Swap the send and the receive. */
	rep.th.dest = th->source;
	rep.th.source = th->dest;
	rep.th.doff = (u16)(len / 4) & 0xf;
	rep.th.seq = htonl(seq);
	rep.th.ack_seq = htonl(ack);
	rep.th.ack = 1;
	rep.th.window = htons((u16)win);
	tcp_v4_send_reply(net, skb, &rep, len, (u8)tos);
}

static void tcp_v4_reqsk_send_ack(struct sock *sk, struct sk_buff *skb,
				  struct request_sock *req)
{
	tcp_v4_send_ack(sock_net(sk), skb, tcp_rsk(req)->snt_isn + 1,
			tcp_rsk(req)->rcv_isn + 1, req->rcv_wnd, tcp_time_stamp, req->ts_recent,
			ip_hdr(skb)->tos);
}

/* The TCP checksum of an outgoing segment. CHECKSUM_PARTIAL (the route's device sums, set
 * by tcp_sendmsg when sk_route_caps has NETIF_F_ALL_CSUM, and on every skb without data by
 * tcp_init_nondata_skb): only the pseudo-header sum goes in th->check, with csum_start and
 * csum_offset for whoever completes it (the device, skb_checksum_help in
 * dev_hard_start_xmit, skb_gso_segment per segment, a TAP's vnet header).
 * DIVERGES: otherwise the whole segment is summed here; 3.10 sums the payload while
 * copying it from the user (skb->csum) and only the header here. */
static void __tcp_v4_send_check(struct sk_buff *skb, __be32 saddr, __be32 daddr)
{
	struct tcphdr *th = tcp_hdr(skb);
	const int off = skb_transport_offset(skb);
	const int len = (int)skb->len - off;

	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		th->check = ~tcp_v4_check(len, saddr, daddr, 0);
		skb->csum_start = (u16)(skb_transport_header(skb) - skb->head);
		skb->csum_offset = (u16)offsetof(struct tcphdr, check);
	} else {
		th->check = 0;
		th->check = tcp_v4_check(len, saddr, daddr, skb_checksum(skb, off, len, 0));
		skb->ip_summed = CHECKSUM_NONE;
	}
}

/* This routine computes an IPv4 TCP checksum (icsk_af_ops->send_check). */
void tcp_v4_send_check(struct sock *sk, struct sk_buff *skb)
{
	const struct inet_sock *inet = inet_sk(sk);

	__tcp_v4_send_check(skb, inet->inet_saddr, inet->inet_daddr);
}

/* Cache the input route of @skb in the socket (sk_rx_dst, with the interface it came in
 * on): early demux hands it to the next segments, which skip the route lookup. Set at the
 * handshake (tcp_finish_connect, tcp_v4_syn_recv_sock) and by tcp_rcv_established when
 * tcp_v4_do_rcv dropped a stale one. Context: softirq, socket locked. */
void inet_sk_rx_dst_set(struct sock *sk, const struct sk_buff *skb)
{
	struct dst_entry *dst = skb_dst(skb);

	if (!dst)	/* not routed (cannot happen from ip_rcv_finish): nothing to cache */
		return;
	dst_hold(dst);
	dst_release(sk->sk_rx_dst);
	sk->sk_rx_dst = dst;
	inet_sk(sk)->rx_dst_ifindex = skb->skb_iif;
}

/* Send a SYN-ACK after having received a SYN. This still operates on a request_sock only,
 * not on a big socket. */
static int tcp_v4_send_synack(struct sock *sk, struct dst_entry *dst, struct request_sock *req)
{
	const struct inet_request_sock *ireq = inet_rsk(req);
	struct flowi4 fl4;
	int err = -1;
	struct sk_buff *skb;

	/* First, grab a route. */
	if (!dst && (dst = inet_csk_route_req(sk, &fl4, req)) == NULL)
		return -1;

	skb = tcp_make_synack(sk, dst, req);
	if (skb) {
		__tcp_v4_send_check(skb, ireq->loc_addr, ireq->rmt_addr);
		err = ip_build_and_send_pkt(skb, sk, ireq->loc_addr, ireq->rmt_addr, ireq->opt);
		err = net_xmit_eval(err);
	}
	return err;
}

static int tcp_v4_rtx_synack(struct sock *sk, struct request_sock *req)
{
	int res = tcp_v4_send_synack(sk, NULL, req);

	if (!res)
		TCP_INC_STATS_BH(sock_net(sk), TCP_MIB_RETRANSSEGS);
	return res;
}

static void tcp_v4_reqsk_destructor(struct request_sock *req)
{
	kfree(inet_rsk(req)->opt);
}

struct request_sock_ops tcp_request_sock_ops = {
	.family = PF_INET,
	.obj_size = sizeof(struct tcp_request_sock),
	.rtx_syn_ack = tcp_v4_rtx_synack,
	.send_ack = tcp_v4_reqsk_send_ack,
	.destructor = tcp_v4_reqsk_destructor,
	.send_reset = tcp_v4_send_reset,
	.syn_ack_timeout = tcp_syn_ack_timeout,
};

/* SYN queue full (facts.md §3.2 step 2). With tcp_syncookies (3.10: 0 or 1; "2, always"
 * came in 3.12) the SYN is answered with a cookie, otherwise dropped. The message is
 * printed once per listener (listen_sock.synflood_warned). */
bool tcp_syn_flood_action(struct sock *sk, const struct sk_buff *skb, const char *proto)
{
	const char *msg = "Dropping request";
	bool want_cookie = false;
	struct listen_sock *lopt;

	if (sysctl_tcp_syncookies) {
		msg = "Sending cookies";
		want_cookie = true;
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPREQQFULLDOCOOKIES);
	} else {
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPREQQFULLDROP);
	}

	lopt = inet_csk(sk)->icsk_accept_queue.listen_opt;
	if (!lopt->synflood_warned) {
		lopt->synflood_warned = 1;
		pr_info("%s: Possible SYN flooding on port %d. %s.  Check SNMP counters.\n",
			proto, ntohs(tcp_hdr(skb)->dest), msg);
	}
	return want_cookie;
}

/* facts.md §3.2, in 3.10's order. */
int tcp_v4_conn_request(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_options_received tmp_opt;
	struct request_sock *req;
	struct inet_request_sock *ireq;
	struct tcp_sock *tp = tcp_sk(sk);
	struct dst_entry *dst = NULL;
	__be32 saddr = ip_hdr(skb)->saddr;
	__be32 daddr = ip_hdr(skb)->daddr;
	__u32 isn = TCP_SKB_CB(skb)->when;
	bool want_cookie = false;
	struct flowi4 fl4;

	/* Never answer to SYNs send to broadcast or multicast */
	if (skb_rtable(skb)->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST))
		goto drop;

	/* TW buckets are converted to open requests without limitations, they conserve
	 * resources and peer is evidently real one. */
	if (inet_csk_reqsk_queue_is_full(sk) && !isn) {
		want_cookie = tcp_syn_flood_action(sk, skb, "TCP");
		if (!want_cookie)
			goto drop;
	}

	/* Accept backlog is full. If we have already queued enough of warm entries in syn
	 * queue, drop request. It is better than clogging syn queue with openreqs with
	 * exponentially increasing timeout. */
	if (sk_acceptq_is_full(sk) && inet_csk_reqsk_queue_young(sk) > 1) {
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_LISTENOVERFLOWS);
		goto drop;
	}

	req = reqsk_alloc(&tcp_request_sock_ops);
	if (!req)
		goto drop;

	tcp_clear_options(&tmp_opt);
	tmp_opt.mss_clamp = TCP_MSS_DEFAULT;
	tmp_opt.user_mss = tp->rx_opt.user_mss;
	tcp_parse_options(skb, &tmp_opt, 0);

	/* A cookie without timestamps has no room for the options: the SYN-ACK offers none
	 * (no window scaling, no SACK). */
	if (want_cookie && !tmp_opt.saw_tstamp)
		tcp_clear_options(&tmp_opt);

	tmp_opt.tstamp_ok = tmp_opt.saw_tstamp;
	tcp_openreq_init(req, &tmp_opt, skb);

	ireq = inet_rsk(req);
	ireq->loc_addr = daddr;
	ireq->rmt_addr = saddr;
	ireq->no_srccheck = inet_sk(sk)->transparent;
	ireq->opt = NULL;

	if (want_cookie) {
		isn = cookie_v4_init_sequence(sk, skb, &req->mss);
		req->cookie_ts = tmp_opt.tstamp_ok;
	} else if (!isn) {
		/* Kill the following clause, if you dislike this way. (tcp_tw_recycle's PAWS
		 * check needs tcp_metrics: not in ulnet, and tw_recycle defaults to 0.) */
		if (!sysctl_tcp_syncookies &&
		    (sysctl_max_syn_backlog - inet_csk_reqsk_queue_len(sk) <
		     (sysctl_max_syn_backlog >> 2))) {
			/* Without syncookies last quarter of backlog is filled with destinations,
			 * proven to be alive. It means that we continue to communicate to
			 * destinations, already remembered to the moment of synflood.
			 * DIVERGES: no tcp_metrics, so no destination counts as proven. */
			goto drop_and_release;
		}
		isn = tcp_v4_init_sequence(skb);
	}
	tcp_rsk(req)->snt_isn = isn;

	if (dst == NULL) {
		dst = inet_csk_route_req(sk, &fl4, req);
		if (dst == NULL)
			goto drop_and_free;
	}
	tcp_rsk(req)->snt_synack = tcp_time_stamp;

	/* A cookie's request is not kept: the ACK will rebuild it (cookie_v4_check). As in
	 * 3.10, that path ends at drop_and_free, so every cookie SYN also counts ListenDrops. */
	if (tcp_v4_send_synack(sk, dst, req) || want_cookie)
		goto drop_and_free;

	inet_csk_reqsk_queue_hash_add(sk, req, TCP_TIMEOUT_INIT);
	return 0;

drop_and_release:
	dst_release(dst);
drop_and_free:
	reqsk_free(req);
drop:
	NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_LISTENDROPS);
	return 0;
}

/* The three way handshake has completed - we got a valid synack - now create the new
 * socket. */
struct sock *tcp_v4_syn_recv_sock(struct sock *sk, struct sk_buff *skb,
				  struct request_sock *req, struct dst_entry *dst)
{
	struct inet_request_sock *ireq;
	struct inet_sock *newinet;
	struct tcp_sock *newtp;
	struct sock *newsk;

	if (sk_acceptq_is_full(sk))
		goto exit_overflow;

	newsk = tcp_create_openreq_child(sk, req, skb);
	if (!newsk)
		goto exit_nonewsk;

	newsk->sk_gso_type = SKB_GSO_TCPV4;
	newtp = tcp_sk(newsk);
	newinet = inet_sk(newsk);
	ireq = inet_rsk(req);
	newinet->inet_daddr = ireq->rmt_addr;
	newinet->inet_rcv_saddr = ireq->loc_addr;
	newinet->inet_saddr = ireq->loc_addr;
	if (ireq->opt) {
		/* The SYN's IP options go in the child's sk_rare block (GFP_ATOMIC); no
		 * memory: the child dies as when its route cannot be had. */
		struct sock_rare *r = sk_rare_alloc(newsk, GFP_ATOMIC);

		if (!r)
			goto put_and_exit;
		r->inet_opt = ireq->opt;
		ireq->opt = NULL;
	}
	/* (3.10 also sets mc_index = inet_iif(skb), which TCP never reads: see struct
	 * inet_dgram. mc_ttl is read back by getsockopt(IP_MULTICAST_TTL).) */
	newinet->mc_ttl = ip_hdr(skb)->ttl;
	inet_csk(newsk)->icsk_ext_hdr_len = 0;
	newinet->inet_id = (__u16)(newtp->write_seq ^ jiffies);
	inet_sk_rx_dst_set(newsk, skb);
	/* (No cork.fl to fill: tcp_transmit_skb builds the flow, inet_sk_flowi4_addrs.) */

	if (!dst) {
		dst = inet_csk_route_child_sock(sk, newsk, req);
		if (!dst)
			goto put_and_exit;
	}
	sk_setup_caps(newsk, dst);

	tcp_sync_mss(newsk, dst_mtu(dst));
	newtp->advmss = (u16)dst_metric_advmss(dst);
	if (tcp_sk(sk)->rx_opt.user_mss && tcp_sk(sk)->rx_opt.user_mss < newtp->advmss)
		newtp->advmss = tcp_sk(sk)->rx_opt.user_mss;
	/* tcp_initialize_rcv_mss */
	inet_csk(newsk)->icsk_ack.rcv_mss =
		(u16)max_t(u32, min_t(u32, newtp->advmss, newtp->mss_cache), TCP_MIN_MSS);
	if (inet_csk(newsk)->icsk_ack.rcv_mss > TCP_MSS_DEFAULT)
		inet_csk(newsk)->icsk_ack.rcv_mss = TCP_MSS_DEFAULT;

	/* No memory for the total_retrans of a retransmitted SYN-ACK (tcp_create_openreq_child) */
	if (req->num_retrans && !newtp->ofo)
		goto put_and_exit;
	if (__inet_inherit_port(sk, newsk) < 0)
		goto put_and_exit;
	__inet_hash_nolisten(newsk, NULL);
	return newsk;

exit_overflow:
	NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_LISTENOVERFLOWS);
exit_nonewsk:
	dst_release(dst);
exit:
	NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_LISTENDROPS);
	return NULL;
put_and_exit:
	/* inet_csk_prepare_forced_close: the child dies before anyone saw it. */
	bh_unlock_sock(newsk);
	sock_put(newsk);
	sock_orphan(newsk);
	atomic_long_inc(newsk->sk_prot->orphan_count);
	tcp_done(newsk);
	goto exit;
}

static struct sock *tcp_v4_hnd_req(struct sock *sk, struct sk_buff *skb)
{
	struct tcphdr *th = tcp_hdr(skb);
	const struct iphdr *iph = ip_hdr(skb);
	struct sock *nsk;
	struct request_sock **prev;
	/* Find possible connection requests. */
	struct request_sock *req = inet_csk_search_req(sk, &prev, th->source, iph->saddr,
						       iph->daddr);

	if (req)
		return tcp_check_req(sk, skb, req, prev);

	nsk = __inet_lookup_established(sock_net(sk), &tcp_hashinfo, iph->saddr, th->source,
					iph->daddr, ntohs(th->dest), inet_iif(skb));
	if (nsk) {
		if (nsk->sk_state != TCP_TIME_WAIT) {
			bh_lock_sock(nsk);
			return nsk;
		}
		inet_twsk_put(inet_twsk(nsk));
		return NULL;
	}
	/* No request, no connection: an ACK may carry a SYN cookie. */
	if (!th->syn)
		sk = cookie_v4_check(sk, skb);
	return sk;
}

/* The socket must have it's spinlock held when we get here.
 * We have a potential double-lock case here, so even when doing backlog processing we use
 * the BH locking scheme. This is because we cannot sleep with the original spinlock held. */
__always_inline int tcp_v4_do_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct sock *rsk;

	UL_TRACE(skb);
	if (sk->sk_state == TCP_ESTABLISHED) { /* Fast path */
		struct dst_entry *dst = sk->sk_rx_dst;

		/* The cached input route is good for segments from the same interface while
		 * the route lives (no flush, device still there); tcp_rcv_established caches
		 * this segment's route if it is dropped here.
		 * DIVERGES: 3.10 calls dst->ops->check every time. ulnet skips it when the
		 * segment carries that very route as its noref dst: this receive pass has just
		 * validated it (tcp_v4_early_demux's dst_check or ip_route_input_noref's
		 * rt_cache_valid), and even a stale one dropped here would come back at once
		 * (tcp_rcv_established caches the segment's route). A backlogged or prequeued
		 * segment holds a reference (skb_dst_force) instead and is checked. */
		if (dst) {
			if (inet_sk(sk)->rx_dst_ifindex != skb->skb_iif ||
			    (skb->_skb_refdst != ((unsigned long)dst | SKB_DST_NOREF) &&
			     dst->ops->check(dst, 0) == NULL)) {
				dst_release(dst);
				sk->sk_rx_dst = NULL;
			}
		}
		if (tcp_rcv_established(sk, skb, tcp_hdr(skb), skb->len)) {
			rsk = sk;
			goto reset;
		}
		return 0;
	}

	if (sk->sk_state == TCP_LISTEN) {
		struct sock *nsk = tcp_v4_hnd_req(sk, skb);

		if (!nsk)
			goto discard;
		if (nsk != sk) {
			if (tcp_child_process(sk, nsk, skb)) {
				rsk = nsk;
				goto reset;
			}
			return 0;
		}
	}
	if (tcp_rcv_state_process(sk, skb, tcp_hdr(skb), skb->len)) {
		rsk = sk;
		goto reset;
	}
	return 0;

reset:
	tcp_v4_send_reset(rsk, skb);
discard:
	kfree_skb(skb);
	/* Be careful here. If this function gets more complicated and gcc suffers from
	 * register pressure on the x86, sk (in %ebx) might be destroyed here. This current
	 * version compiles correctly, but you have been warned. */
	return 0;
}

/* RFC 793 checksum over pseudo header and segment: 0 when good (3.10 checks short
 * segments here and long ones while copying; ulnet checks all of them here). */
static __sum16 tcp_v4_checksum_init(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (skb->ip_summed == CHECKSUM_COMPLETE) {
		if (!tcp_v4_check((int)skb->len, iph->saddr, iph->daddr, skb->csum)) {
			skb->ip_summed = CHECKSUM_UNNECESSARY;
			return 0;
		}
	}
	/* As 3.10's tcp_v4_rcv (skb_csum_unnecessary): CHECKSUM_PARTIAL counts as verified;
	 * GRO gives merged segments that state after checking each one (gro.c). */
	if (skb_csum_unnecessary(skb))
		return 0;
	skb->csum = csum_tcpudp_nofold(iph->saddr, iph->daddr, (unsigned short)skb->len,
				       IPPROTO_TCP, 0);
	return __skb_checksum_complete(skb);
}

/* net_protocol.early_demux, from ip_rcv_finish before routing (net.ipv4.ip_early_demux):
 * find the established (or TIME_WAIT) socket of @skb and hand it on in skb->sk, with a
 * reference dropped by sock_edemux if the skb dies first; if the socket cached the input
 * route of its flow (sk_rx_dst) for this interface and it is still valid, it becomes the
 * skb's dst and ip_rcv_finish skips ip_route_input_noref. A segment that fails a check here
 * is left alone: tcp_v4_rcv judges it. Context: softirq. */
void tcp_v4_early_demux(struct sk_buff *skb)
{
	const struct iphdr *iph;
	const struct tcphdr *th;
	struct sock *sk;

	if (skb->pkt_type != PACKET_HOST)
		return;
	if (!pskb_may_pull(skb, (unsigned int)skb_transport_offset(skb) + sizeof(struct tcphdr)))
		return;
	iph = ip_hdr(skb);
	th = tcp_hdr(skb);
	if (th->doff < sizeof(struct tcphdr) / 4)
		return;

	/* (__inet_lookup_established, inlined: this runs for every segment.) */
	sk = __inet_lookup_established_inline(dev_net(skb->dev), &tcp_hashinfo, iph->saddr,
					      th->source, iph->daddr, ntohs(th->dest),
					      skb->skb_iif);
	if (!sk)
		return;
	skb->sk = sk;
	skb->destructor = sock_edemux;
	if (sk->sk_state != TCP_TIME_WAIT) {
		struct dst_entry *dst = sk->sk_rx_dst;

		if (dst)
			dst = dst_check(dst, 0);
		if (dst && inet_sk(sk)->rx_dst_ifindex == skb->skb_iif)
			skb_dst_set_noref(skb, dst);
	}
}

/* The socket of @skb: the one early demux found, or a lookup (3.10: inet_hashtables.h;
 * @net is dev_net(skb->dev), the same namespace as 3.10's dev_net(skb_dst(skb)->dev)). */
static inline struct sock *__inet_lookup_skb(struct net *net, struct inet_hashinfo *hashinfo,
					     struct sk_buff *skb, const __be16 sport,
					     const __be16 dport)
{
	struct sock *sk = skb_steal_sock(skb);
	const struct iphdr *iph = ip_hdr(skb);

	if (sk)
		return sk;
	return __inet_lookup(net, hashinfo, iph->saddr, sport, iph->daddr, dport,
			     inet_iif(skb));
}

/* The waiting readers' tcp_ucopy, hashed by sock (see tcp_sock.ucopy_waiting): 256 lists
 * each under its own lock, since a list is shared by socks whose owners and softirqs do not
 * exclude each other. A reader is in the table only while it blocks in tcp_recvmsg. */
#define TCP_UCOPY_HASH_BITS	8
static struct {
	spinlock_t lock;
	struct hlist_head chain;
} tcp_ucopy_hash[1 << TCP_UCOPY_HASH_BITS];

unsigned int tcp_ucopy_hashfn(const struct sock *sk)
{
	/* hash_ptr: the top bits of the address times GOLDEN_RATIO_PRIME_64. */
	return (unsigned int)(((u64)(uintptr_t)sk * 0x9e37fffffffc0001ULL) >>
			      (64 - TCP_UCOPY_HASH_BITS));
}

struct tcp_ucopy *__tcp_ucopy_find(const struct sock *sk)
{
	unsigned int h = tcp_ucopy_hashfn(sk);
	struct tcp_ucopy *u, *found = NULL;

	spin_lock_bh(&tcp_ucopy_hash[h].lock);
	hlist_for_each_entry(u, &tcp_ucopy_hash[h].chain, hash_node)
		if (u->sk == sk) {
			found = u;
			break;
		}
	spin_unlock_bh(&tcp_ucopy_hash[h].lock);
	return found;
}

void tcp_ucopy_attach(struct sock *sk, struct tcp_ucopy *ucopy)
{
	unsigned int h = tcp_ucopy_hashfn(sk);

	ucopy->sk = sk;
	spin_lock_bh(&tcp_ucopy_hash[h].lock);
	hlist_add_head(&ucopy->hash_node, &tcp_ucopy_hash[h].chain);
	spin_unlock_bh(&tcp_ucopy_hash[h].lock);
	if (current)
		current->tcp_ucopy = ucopy;
	tcp_sk(sk)->ucopy_waiting = 1;
}

void tcp_ucopy_detach(struct sock *sk)
{
	struct tcp_ucopy *u = tcp_ucopy(sk);
	unsigned int h = tcp_ucopy_hashfn(sk);

	if (!u)
		return;
	if (current && current->tcp_ucopy == u)
		current->tcp_ucopy = NULL;
	tcp_sk(sk)->ucopy_waiting = 0;
	spin_lock_bh(&tcp_ucopy_hash[h].lock);
	hlist_del(&u->hash_node);
	spin_unlock_bh(&tcp_ucopy_hash[h].lock);
}

/* Packet is added to VJ-style prequeue for processing in process context, if a reader
 * task is waiting (3.10: inline in include/net/tcp.h). The reader is woken for the first
 * segment only; the rest wait for it, with the delayed-ACK timer armed as a fallback in
 * case it is scheduled late (tcp_delack_timer_handler then runs the queue). Past
 * sk_rcvbuf the whole queue is processed here (TCPPrequeueDropped per segment).
 * Context: softirq, bh_lock_sock held, socket not owned by a user: tcp_ucopy(sk), when
 * set, points into the stack of the reader sleeping in tcp_recvmsg (see struct tcp_sock). */
bool tcp_prequeue(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_ucopy *ucopy = tcp_ucopy(sk);

	if (sysctl_tcp_low_latency || !ucopy || !ucopy->task)
		return false;

	UL_TRACE(skb);
	/* The skb outlives this softirq's RCU section: a noref route must become a ref. */
	skb_dst_force(skb);
	__skb_queue_tail(&ucopy->prequeue, skb);
	ucopy->memory += (int)skb->truesize;
	if (ucopy->memory > sk->sk_rcvbuf) {
		struct sk_buff *skb1;

		BUG_ON(sock_owned_by_user(sk));

		while ((skb1 = __skb_dequeue(&ucopy->prequeue)) != NULL) {
			sk_backlog_rcv(sk, skb1);
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPPREQUEUEDROPPED);
		}

		ucopy->memory = 0;
	} else if (skb_queue_len(&ucopy->prequeue) == 1) {
		wake_up_interruptible_sync_poll(sk_sleep(sk), POLLIN | POLLRDNORM | POLLRDBAND);
		/* 3.10: 3 * tcp_rto_min(sk) / 4; ulnet's routes carry no RTAX_RTO_MIN, so
		 * tcp_rto_min is TCP_RTO_MIN (150 ms here). */
		if (!inet_csk_ack_scheduled(sk))
			inet_csk_reset_xmit_timer(sk, ICSK_TIME_DACK, (3 * TCP_RTO_MIN) / 4,
						  TCP_RTO_MAX);
	}
	return true;
}

/* From tcp_input.c */
int tcp_v4_rcv(struct sk_buff *skb)
{
	const struct iphdr *iph;
	const struct tcphdr *th;
	struct sock *sk;
	int ret;
	struct net *net = dev_net(skb->dev);

	UL_TRACE(skb);
	if (skb->pkt_type != PACKET_HOST)
		goto discard_it;

	/* Count it even if it's bad */
	TCP_INC_STATS_BH(net, TCP_MIB_INSEGS);

	if (!pskb_may_pull(skb, sizeof(struct tcphdr)))
		goto discard_it;

	th = tcp_hdr(skb);

	if (th->doff < sizeof(struct tcphdr) / 4)
		goto bad_packet;
	if (!pskb_may_pull(skb, th->doff * 4))
		goto discard_it;

	/* An explanation is required here, I think. Packet length and doff are validated by
	 * header prediction, provided case of th->doff==0 is eliminated. So, we defer the
	 * checks. */
	if (tcp_v4_checksum_init(skb))
		goto csum_error;

	th = tcp_hdr(skb);
	iph = ip_hdr(skb);
	TCP_SKB_CB(skb)->seq = ntohl(th->seq);
	TCP_SKB_CB(skb)->end_seq = (TCP_SKB_CB(skb)->seq + th->syn + th->fin + skb->len -
				    th->doff * 4);
	TCP_SKB_CB(skb)->ack_seq = ntohl(th->ack_seq);
	TCP_SKB_CB(skb)->when = 0;
	TCP_SKB_CB(skb)->tcp_flags = ((u8 *)th)[13];
	TCP_SKB_CB(skb)->ip_dsfield = iph->tos;
	TCP_SKB_CB(skb)->sacked = 0;

	sk = __inet_lookup_skb(net, &tcp_hashinfo, skb, th->source, th->dest);
	if (!sk)
		goto no_tcp_socket;

process:
	if (sk->sk_state == TCP_TIME_WAIT)
		goto do_time_wait;

	if (unlikely(iph->ttl < inet_sk(sk)->min_ttl)) {
		NET_INC_STATS_BH(net, LINUX_MIB_TCPMINTTLDROP);
		goto discard_and_relse;
	}

	skb->dev = NULL;

	bh_lock_sock_nested(sk);
	ret = 0;
	if (!sock_owned_by_user(sk)) {
		/* (No reader waiting, ucopy_waiting clear: the test is here, as 3.10's
		 * tcp_prequeue is inline.) */
		if (!tcp_sk(sk)->ucopy_waiting || !tcp_prequeue(sk, skb))
			ret = tcp_v4_do_rcv(sk, skb);
	} else if (unlikely(sk_add_backlog(sk, skb,
					   (unsigned int)(sk->sk_rcvbuf + sk->sk_sndbuf)))) {
		bh_unlock_sock(sk);
		NET_INC_STATS_BH(net, LINUX_MIB_TCPBACKLOGDROP);
		goto discard_and_relse;
	}
	bh_unlock_sock(sk);

	sock_put(sk);
	return ret;

no_tcp_socket:
	if (skb->len < (th->doff << 2) || tcp_checksum_complete(skb)) {
csum_error:
		TCP_INC_STATS_BH(net, TCP_MIB_CSUMERRORS);
bad_packet:
		TCP_INC_STATS_BH(net, TCP_MIB_INERRS);
	} else {
		tcp_v4_send_reset(NULL, skb);
	}

discard_it:
	/* Discard frame. */
	kfree_skb(skb);
	return 0;

discard_and_relse:
	sock_put(sk);
	goto discard_it;

do_time_wait:
	if (skb->len < (th->doff << 2) || tcp_checksum_complete(skb)) {
		inet_twsk_put(inet_twsk(sk));
		goto bad_packet;
	}
	switch (tcp_timewait_state_process(inet_twsk(sk), skb, th)) {
	case TCP_TW_SYN: {
		struct sock *sk2 = __inet_lookup_listener(net, &tcp_hashinfo, iph->saddr,
							  th->source, iph->daddr,
							  ntohs(th->dest), inet_iif(skb));

		if (sk2) {
			inet_twsk_deschedule(inet_twsk(sk), &tcp_death_row);
			inet_twsk_put(inet_twsk(sk));
			sk = sk2;
			goto process;
		}
		/* Fall through to ACK */
	}
		/* fall through */
	case TCP_TW_ACK:
		tcp_v4_timewait_ack(sk, skb);
		break;
	case TCP_TW_RST:
		goto no_tcp_socket;
	case TCP_TW_SUCCESS:;
	}
	goto discard_it;
}

/* The ACK a TIME_WAIT sock owes (an old duplicate, or a retransmitted FIN). */
void tcp_v4_timewait_ack(struct sock *sk, struct sk_buff *skb)
{
	struct inet_timewait_sock *tw = inet_twsk(sk);
	struct tcp_timewait_sock *tcptw = tcp_twsk(sk);

	tcp_v4_send_ack(twsk_net(tw), skb, tcptw->tw_snd_nxt, tcptw->tw_rcv_nxt,
			tcptw->tw_rcv_wnd >> tw->tw_rcv_wscale, tcp_time_stamp,
			tcptw->tw_ts_recent, tw->tw_tos);
	inet_twsk_put(tw);
}

const struct inet_connection_sock_af_ops ipv4_specific = {
	.queue_xmit = ip_queue_xmit,
	.send_check = tcp_v4_send_check,
	.rebuild_header = NULL,
	.conn_request = tcp_v4_conn_request,
	.syn_recv_sock = tcp_v4_syn_recv_sock,
	.net_header_len = sizeof(struct iphdr),
	.sockaddr_len = sizeof(struct sockaddr_in),
	.sk_rx_dst_set = inet_sk_rx_dst_set,
};

/* NOTE: A lot of things set to zero explicitly by call to sk_alloc() so need not be done
 * here. */
static int tcp_v4_init_sock(struct sock *sk)
{
	tcp_init_sock(sk);
	/* (icsk_af_ops is tcp_prot.af_ops, ipv4_specific: see inet_connection_sock.) */
	return 0;
}

void tcp_v4_destroy_sock(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tcp_clear_xmit_timers(sk);
	tcp_cleanup_congestion_control(sk);
	/* Cleanup up the write buffer. */
	tcp_write_queue_purge(sk);
	/* Cleans up our, hopefully empty, out_of_order_queue. */
	tcp_ofo_state_free(tp);
	/* Clean prequeue, it must be empty really: a reader in tcp_recvmsg holds the
	 * socket (and drains and detaches its prequeue before it returns). */
	if (WARN_ON(tcp_ucopy(sk))) {
		__skb_queue_purge(&tcp_ucopy(sk)->prequeue);
		tcp_ucopy_detach(sk);
	}
	if (inet_csk(sk)->icsk_bind_hash)
		inet_put_port(sk);
	atomic_long_dec(&tcp_sockets_allocated);
}

/* The machine powers off (ul_stack_destroy, after every fd was closed): the orphans still
 * finishing their close (FIN_WAIT1, CLOSING, LAST_ACK, unacked data) go at once, without
 * a segment, as on a host that loses power. Context: process, sim or posix runtime with
 * no task left using sockets.
 * DIVERGES: Linux has no such step; its sockets die with the machine. Without it the
 * stack's teardown would find their socks, skbs and routes still allocated. */
void tcp_v4_abort_all(void)
{
	unsigned int slot;

	if (!tcp_hashinfo.ehash)
		return;
	for (slot = 0; slot <= tcp_hashinfo.ehash_mask; slot++) {
		struct inet_ehash_bucket *head = &tcp_hashinfo.ehash[slot];
		int guard = 0;

		while (!hlist_empty(&head->chain) && ++guard < 100000) {
			struct sock *sk, *found = NULL;

			spin_lock_bh(&tcp_hashinfo.ehash_lock);
			sk_for_each(sk, &head->chain) {
				if (sk->sk_state != TCP_TIME_WAIT && sock_flag(sk, SOCK_DEAD)) {
					sock_hold(sk);
					found = sk;
					break;
				}
			}
			spin_unlock_bh(&tcp_hashinfo.ehash_lock);
			if (!found)
				break;
			local_bh_disable();
			bh_lock_sock(found);
			tcp_done(found);
			bh_unlock_sock(found);
			local_bh_enable();
			sock_put(found);
		}
	}
}

static struct timewait_sock_ops tcp_timewait_sock_ops = {
	.twsk_obj_size = sizeof(struct tcp_timewait_sock),
	.twsk_unique = tcp_twsk_unique,
};

struct proto tcp_prot = {
	.name = "TCP",
	.close = tcp_close,
	.connect = tcp_v4_connect,
	.disconnect = tcp_disconnect,
	.accept = inet_csk_accept,
	.init = tcp_v4_init_sock,
	.destroy = tcp_v4_destroy_sock,
	.shutdown = tcp_shutdown,
	.setsockopt = tcp_setsockopt,
	.getsockopt = tcp_getsockopt,
	.ioctl = tcp_ioctl,
	.recvmsg = tcp_recvmsg,
	.sendmsg = tcp_sendmsg,
	.backlog_rcv = tcp_v4_do_rcv,
	.af_ops = &ipv4_specific,
	.release_cb = tcp_release_cb,
	.mtu_reduced = tcp_v4_mtu_reduced,
	.hash = inet_hash,
	.unhash = inet_unhash,
	.get_port = inet_csk_get_port,
	.sockets_allocated = &tcp_sockets_allocated,
	.orphan_count = &tcp_orphan_count,
	.memory_allocated = &tcp_memory_allocated,
	.memory_pressure = &tcp_memory_pressure,
	.enter_memory_pressure = tcp_enter_memory_pressure,
	.sysctl_mem = sysctl_tcp_mem,
	.sysctl_wmem = sysctl_tcp_wmem,
	.sysctl_rmem = sysctl_tcp_rmem,
	.max_header = MAX_TCP_HEADER,
	.obj_size = sizeof(struct tcp_sock),
	.slab_flags = SLAB_DESTROY_BY_RCU,
	.twsk_prot = &tcp_timewait_sock_ops,
	.rsk_prot = &tcp_request_sock_ops,
	.h.hashinfo = &tcp_hashinfo,
};

/* ------------------------------------------------------------------------------------------
 * /proc/net/tcp (facts.md §4.5): listeners first (with their SYN_RECV requests), then the
 * established hash. DIVERGES: the pointer column (%pK) prints 0000000000000000, as Linux
 * does for a reader without CAP_SYSLOG under kptr_restrict, so the file is the same every
 * run. */

#define TMPSZ 150

static long tcp_clock_delta(unsigned long expires)
{
	long delta = (long)(expires - jiffies);

	return delta <= 0 ? 0 : (long)jiffies_to_clock_t((unsigned long)delta);
}

static void get_openreq4(const struct sock *sk, const struct request_sock *req,
			 struct seq_file *f, int i)
{
	const struct inet_request_sock *ireq = inet_rsk(req);

	seq_printf(f, "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %u %d %016lx",
		   i, (unsigned int)ireq->loc_addr, ireq->loc_port, (unsigned int)ireq->rmt_addr,
		   ntohs(ireq->rmt_port), TCP_SYN_RECV, 0, 0, 1,
		   (unsigned long)tcp_clock_delta(req->expires), req->num_timeout,
		   (unsigned int)sock_i_uid((struct sock *)sk), 0, 0U,
		   atomic_read(&sk->sk_refcnt), 0UL);
}

static void get_tcp4_sock(struct sock *sk, struct seq_file *f, int i)
{
	int timer_active;
	unsigned long timer_expires;
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct inet_sock *inet = inet_sk(sk);
	__be32 dest = inet->inet_daddr;
	__be32 src = inet->inet_rcv_saddr;
	__u16 destp = ntohs(inet->inet_dport);
	__u16 srcp = ntohs(inet->inet_sport);
	int rx_queue;

	if (icsk->icsk_pending == ICSK_TIME_RETRANS ||
	    icsk->icsk_pending == ICSK_TIME_EARLY_RETRANS ||
	    icsk->icsk_pending == ICSK_TIME_LOSS_PROBE) {
		timer_active = 1;
		timer_expires = inet_csk_deadline(icsk->icsk_timeout);
	} else if (icsk->icsk_pending == ICSK_TIME_PROBE0) {
		timer_active = 4;
		timer_expires = inet_csk_deadline(icsk->icsk_timeout);
	} else if (inet_csk_timer_event_pending(sk, ICSK_TIMER_KEEPALIVE)) {
		/* 3.10's timer_pending(&sk->sk_timer), sk->sk_timer.expires */
		timer_active = 2;
		timer_expires = inet_csk_keepalive_expires(sk);
	} else {
		timer_active = 0;
		timer_expires = jiffies;
	}

	if (sk->sk_state == TCP_LISTEN)
		rx_queue = sk->sk_ack_backlog;
	else
		/* because we dont lock socket, we might find a transient negative value */
		rx_queue = max_t(int, (int)(tp->rcv_nxt - tp->copied_seq), 0);

	seq_printf(f, "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %016lx %lu %lu %u %u %d",
		   i, (unsigned int)src, srcp, (unsigned int)dest, destp, sk->sk_state,
		   tp->write_seq - tp->snd_una, rx_queue, timer_active,
		   (unsigned long)tcp_clock_delta(timer_expires), icsk->icsk_retransmits,
		   (unsigned int)sock_i_uid(sk), icsk->icsk_probes_out, sock_i_ino(sk),
		   atomic_read(&sk->sk_refcnt), 0UL, jiffies_to_clock_t(icsk->icsk_rto),
		   jiffies_to_clock_t(icsk->icsk_ack.ato),
		   (unsigned int)(icsk->icsk_ack.quick << 1) | icsk->icsk_ack.pingpong,
		   tp->snd_cwnd,
		   sk->sk_state == TCP_LISTEN ? 0
		   : (tp->snd_ssthresh >= TCP_INFINITE_SSTHRESH ? -1 : (int)tp->snd_ssthresh));
}

static void get_timewait4_sock(const struct inet_timewait_sock *tw, struct seq_file *f, int i)
{
	long delta = (long)(tw->tw_timer.expires - jiffies);

	seq_printf(f, "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5d %8d %d %d %016lx",
		   i, (unsigned int)tw->tw_rcv_saddr, ntohs(tw->tw_sport),
		   (unsigned int)tw->tw_daddr, ntohs(tw->tw_dport), tw->tw_substate, 0, 0, 3,
		   (unsigned long)(delta > 0 ? jiffies_to_clock_t((unsigned long)delta) : 0), 0, 0,
		   0, 0, atomic_read(&tw->tw_refcnt), 0UL);
}

static int tcp4_seq_show(struct seq_file *seq, void *v)
{
	struct net *net = seq->net;
	struct inet_hashinfo *h = &tcp_hashinfo;
	unsigned int b;
	int num = 0;
	struct sock *sk;

	(void)v;
	seq_setwidth(seq, TMPSZ - 1);
	seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
		      "retrnsmt   uid  timeout inode");
	seq_pad(seq, '\n');
	if (!h->ehash)
		return 0;
	for (b = 0; b < INET_LHTABLE_SIZE; b++) {
		spin_lock_bh(&h->listening_hash[b].lock);
		sk_for_each(sk, &h->listening_hash[b].head) {
			struct listen_sock *lopt;
			unsigned int j;

			if (!net_eq(sock_net(sk), net) || sk->sk_family != AF_INET)
				continue;
			seq_setwidth(seq, TMPSZ - 1);
			get_tcp4_sock(sk, seq, num++);
			seq_pad(seq, '\n');
			lopt = inet_csk(sk)->icsk_accept_queue.listen_opt;
			if (!lopt || !lopt->qlen)
				continue;
			for (j = 0; j < lopt->nr_table_entries; j++) {
				struct request_sock *req;

				for (req = lopt->syn_table[j]; req; req = req->dl_next) {
					seq_setwidth(seq, TMPSZ - 1);
					get_openreq4(sk, req, seq, num++);
					seq_pad(seq, '\n');
				}
			}
		}
		spin_unlock_bh(&h->listening_hash[b].lock);
	}
	spin_lock_bh(&h->ehash_lock);
	for (b = 0; b <= h->ehash_mask; b++) {
		sk_for_each(sk, &h->ehash[b].chain) {
			if (!net_eq(sock_net(sk), net) || sk->sk_family != AF_INET)
				continue;
			seq_setwidth(seq, TMPSZ - 1);
			if (sk->sk_state == TCP_TIME_WAIT)
				get_timewait4_sock(inet_twsk(sk), seq, num++);
			else
				get_tcp4_sock(sk, seq, num++);
			seq_pad(seq, '\n');
		}
	}
	spin_unlock_bh(&h->ehash_lock);
	return 0;
}

int tcp4_proc_init(void)
{
	return proc_create_single("net/tcp", tcp4_seq_show, NULL);
}

void tcp4_proc_exit(void)
{
	proc_remove_path("net/tcp");
}
