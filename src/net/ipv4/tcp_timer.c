/* SPDX-License-Identifier: MIT */
/* TCP's timers: retransmission (SYN and data), delayed ACK, and the listener's SYN-ACK
 * timer (sk_timer, shared with keepalive).
 * Mirrors linux/net/ipv4/tcp_timer.c (3.10): tcp_write_err, retransmits_timed_out,
 * tcp_write_timeout, tcp_retransmit_timer, tcp_write_timer_handler, tcp_write_timer,
 * tcp_delack_timer, tcp_syn_ack_timeout, tcp_synack_timer, tcp_keepalive_timer,
 * tcp_init_xmit_timers.
 *
 * Facts (facts.md §2, §3.3): SYNs at 0, 1, 3, 7, 15, 31, 63 s, ETIMEDOUT at 127 s
 * (tcp_syn_retries 6); SYN-ACKs at 0, 1, 3, 7, 15, 31 s, the request dropped at ~63 s.
 * DIVERGES: a timer that finds the socket owned by a task retries in 50 ms (3.10 defers
 * the work to release_sock through tcp_release_cb); keepalive probes and the FIN_WAIT2
 * timer are not implemented yet.
 * Context: softirq (timer). */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "net/dst.h"
#include "net/inet_connection_sock.h"
#include "net/tcp.h"

int sysctl_tcp_syn_retries = TCP_SYN_RETRIES;
int sysctl_tcp_synack_retries = TCP_SYNACK_RETRIES;
int sysctl_tcp_keepalive_time = TCP_KEEPALIVE_TIME;
int sysctl_tcp_keepalive_probes = TCP_KEEPALIVE_PROBES;
int sysctl_tcp_keepalive_intvl = TCP_KEEPALIVE_INTVL;
int sysctl_tcp_retries1 = TCP_RETR1;
int sysctl_tcp_retries2 = TCP_RETR2;
int sysctl_tcp_orphan_retries;
int sysctl_tcp_fin_timeout = TCP_FIN_TIMEOUT;

static void tcp_write_err(struct sock *sk)
{
	sk->sk_err = sk->sk_err_soft ? : ETIMEDOUT;
	sk->sk_error_report(sk);
	tcp_done(sk);
	NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPABORTONTIMEOUT);
}

static unsigned int ilog2_u(unsigned int v)
{
	unsigned int r = 0;

	while (v >>= 1)
		r++;
	return r;
}

/* The time a series of @boundary exponential retransmits takes from @rto_base, capped at
 * TCP_RTO_MAX each (facts.md §2 "derived retry times"). */
static bool retransmits_timed_out(struct sock *sk, unsigned int boundary, unsigned int timeout,
				  bool syn_set)
{
	unsigned int linear_backoff_thresh, start_ts;
	unsigned int rto_base = syn_set ? TCP_TIMEOUT_INIT : TCP_RTO_MIN;
	struct sk_buff *head;

	if (!inet_csk(sk)->icsk_retransmits)
		return false;
	head = skb_peek(&sk->sk_write_queue);
	if (unlikely(!tcp_sk(sk)->retrans_stamp))
		start_ts = head ? TCP_SKB_CB(head)->when : tcp_time_stamp;
	else
		start_ts = tcp_sk(sk)->retrans_stamp;

	if (likely(timeout == 0)) {
		linear_backoff_thresh = ilog2_u(TCP_RTO_MAX / rto_base);
		if (boundary <= linear_backoff_thresh)
			timeout = ((2U << boundary) - 1) * rto_base;
		else
			timeout = ((2U << linear_backoff_thresh) - 1) * rto_base +
				  (boundary - linear_backoff_thresh) * TCP_RTO_MAX;
	}
	return (tcp_time_stamp - start_ts) >= timeout;
}

/* A write timeout has occurred. Process the after effects. */
static int tcp_write_timeout(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	int retry_until;
	bool syn_set = false;

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		if (icsk->icsk_retransmits)
			__sk_dst_reset(sk);	/* dst_negative_advice */
		retry_until = icsk->icsk_syn_retries ? : sysctl_tcp_syn_retries;
		syn_set = true;
	} else {
		if (retransmits_timed_out(sk, (unsigned int)sysctl_tcp_retries1, 0, 0))
			__sk_dst_reset(sk);
		retry_until = sysctl_tcp_retries2;
		if (sock_flag(sk, SOCK_DEAD))
			retry_until = sysctl_tcp_orphan_retries ? : 8;
	}
	if (retransmits_timed_out(sk, (unsigned int)retry_until,
				  syn_set ? 0 : icsk->icsk_user_timeout, syn_set)) {
		/* Has it gone just too far? */
		tcp_write_err(sk);
		return 1;
	}
	return 0;
}

/* The TCP retransmit timer. */
static void tcp_retransmit_timer(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	if (!tp->packets_out || !head)
		goto out;

	if (tcp_write_timeout(sk))
		goto out;

	if (icsk->icsk_retransmits == 0)
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPTIMEOUTS);

	if (tcp_retransmit_skb(sk, head) > 0) {
		/* Retransmission failed because of local congestion, do not backoff. */
		if (!icsk->icsk_retransmits)
			icsk->icsk_retransmits = 1;
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS,
					  min(icsk->icsk_rto, TCP_RESOURCE_PROBE_INTERVAL),
					  TCP_RTO_MAX);
		goto out;
	}

	/* Increase the timeout each time we retransmit. Note that we do not increase the
	 * rtt estimate. rto is initialized from rtt, but increases here. Jacobson (SIGCOMM
	 * 88) suggests doubling rto each time we retransmit (RFC 6298 5.5). */
	icsk->icsk_backoff++;
	icsk->icsk_retransmits++;
	icsk->icsk_rto = min(icsk->icsk_rto << 1, TCP_RTO_MAX);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, icsk->icsk_rto, TCP_RTO_MAX);
	if (retransmits_timed_out(sk, (unsigned int)sysctl_tcp_retries1 + 1, 0, 0))
		__sk_dst_reset(sk);
out:;
}

static void tcp_write_timer_handler(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	int event;

	if (sk->sk_state == TCP_CLOSE || !icsk->icsk_pending)
		return;
	if (time_after(icsk->icsk_timeout, jiffies)) {
		if (!mod_timer(&icsk->icsk_retransmit_timer, icsk->icsk_timeout))
			sock_hold(sk);
		return;
	}
	event = icsk->icsk_pending;
	switch (event) {
	case ICSK_TIME_RETRANS:
		icsk->icsk_pending = 0;
		tcp_retransmit_timer(sk);
		break;
	default:
		icsk->icsk_pending = 0;
		break;
	}
}

static void tcp_write_timer(struct timer_list *t)
{
	struct sock *sk = &from_timer((struct inet_connection_sock *)NULL, t,
				      icsk_retransmit_timer)->icsk_inet.sk;

	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk)) {
		tcp_write_timer_handler(sk);
	} else {
		/* DIVERGES: see the file comment. */
		if (!mod_timer(&inet_csk(sk)->icsk_retransmit_timer, jiffies + HZ / 20))
			sock_hold(sk);
	}
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void tcp_delack_timer(struct timer_list *t)
{
	struct sock *sk = &from_timer((struct inet_connection_sock *)NULL, t,
				      icsk_delack_timer)->icsk_inet.sk;
	struct inet_connection_sock *icsk = inet_csk(sk);

	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk)) {
		if (sk->sk_state != TCP_CLOSE && (icsk->icsk_ack.pending & ICSK_ACK_TIMER)) {
			icsk->icsk_ack.pending &= (__u8)~ICSK_ACK_TIMER;
			if (inet_csk_ack_scheduled(sk))
				tcp_send_ack(sk);
		}
	} else {
		icsk->icsk_ack.blocked = 1;
		if (!mod_timer(&icsk->icsk_delack_timer, jiffies + TCP_DELACK_MIN))
			sock_hold(sk);
	}
	bh_unlock_sock(sk);
	sock_put(sk);
}

void tcp_syn_ack_timeout(struct sock *sk, struct request_sock *req)
{
	(void)req;
	NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPTIMEOUTS);
}

/* Timer for listening sockets. */
static void tcp_synack_timer(struct sock *sk)
{
	inet_csk_reqsk_queue_prune(sk, TCP_SYNQ_INTERVAL, TCP_TIMEOUT_INIT, TCP_RTO_MAX);
}

static void tcp_keepalive_timer(struct timer_list *t)
{
	struct sock *sk = from_timer(sk, t, sk_timer);

	/* Only process if socket is not in use. */
	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		/* Try again later. */
		inet_csk_reset_keepalive_timer(sk, HZ / 20);
		goto out;
	}
	if (sk->sk_state == TCP_LISTEN) {
		tcp_synack_timer(sk);
		goto out;
	}
	/* An orphaned FIN_WAIT2 whose tcp_fin_time is over 60 s (or whose FIN raced the
	 * close): what is left of the timeout goes to a TIME_WAIT sock. */
	if (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD)) {
		if (tcp_sk(sk)->linger2 >= 0) {
			const int tmo = tcp_fin_time(sk) - TCP_TIMEWAIT_LEN;

			if (tmo > 0) {
				tcp_time_wait(sk, TCP_FIN_WAIT2, tmo);
				goto out;
			}
		}
		tcp_send_active_reset(sk, GFP_ATOMIC);
		tcp_done(sk);
		goto out;
	}
	/* DIVERGES: keepalive probes are not implemented yet (SO_KEEPALIVE is accepted and
	 * arms nothing). */
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

void tcp_init_xmit_timers(struct sock *sk)
{
	inet_csk_init_xmit_timers(sk, &tcp_write_timer, &tcp_delack_timer, &tcp_keepalive_timer);
}

