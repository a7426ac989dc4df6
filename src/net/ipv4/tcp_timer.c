/* SPDX-License-Identifier: MIT */
/* TCP's timers: retransmission (SYN and data, RTO backoff, the Loss state), the persist
 * timer (zero-window probes), delayed ACK, keepalive, and the listener's SYN-ACK timer
 * (shared with keepalive); all events of one timer per socket (tcp_timer_dispatch).
 * Mirrors linux/net/ipv4/tcp_timer.c (3.10): tcp_write_err, tcp_out_of_resources,
 * tcp_orphan_retries, retransmits_timed_out, tcp_write_timeout, tcp_delack_timer, tcp_probe_timer,
 * tcp_retransmit_timer, tcp_write_timer_handler, tcp_write_timer, tcp_syn_ack_timeout,
 * tcp_set_keepalive, tcp_synack_timer, tcp_keepalive_timer, tcp_init_xmit_timers; and
 * tcp_release_cb (tcp_output.c in 3.10, here beside the timer handlers it runs); and
 * tcp_timer_dispatch (ulnet's: the one timer's callback).
 *
 * Facts (facts.md §2, §3.3, §3.7, §3.10): SYNs at 0, 1, 3, 7, 15, 31, 63 s, ETIMEDOUT at
 * 127 s (tcp_syn_retries 6); SYN-ACKs at 0, 1, 3, 7, 15, 31 s, the request dropped at ~63 s;
 * data: RTO doubles up to 120 s, ETIMEDOUT after tcp_retries2 (15, ~924.6 s from RTO_MIN).
 * A write or delayed-ACK timer that finds the socket owned by a task leaves its work to
 * release_sock: a bit in tp->tsq_flags (TCP_WRITE_TIMER_DEFERRED, TCP_DELACK_TIMER_DEFERRED,
 * with a reference held) that tcp_release_cb turns into the handler's call, as 3.10. (The
 * keepalive timer retries 50 ms later, as 3.10 too.) The write timer also carries the
 * early-retransmit and tail-loss-probe timers (ICSK_TIME_EARLY_RETRANS, _LOSS_PROBE).
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

/* Do not allow orphaned sockets to eat all our resources. This is direct violation of TCP
 * specs, but it is required to prevent DoS attacks. It is called when a retransmission
 * timeout or zero probe timeout occurs on orphaned socket. Criteria is still not confirmed
 * experimentally and may change. We kill the socket, if: 1. If number of orphaned sockets
 * exceeds an administratively configured limit. 2. If we have strong memory pressure. */
static int tcp_out_of_resources(struct sock *sk, int do_reset)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int shift = 0;

	/* If peer does not open window for long time, or did not transmit anything for long
	 * time, penalize it. */
	if ((s32)(tcp_time_stamp - tp->lsndtime) > 2 * (s32)TCP_RTO_MAX || !do_reset)
		shift++;

	/* If some dubious ICMP arrived, penalize even more. */
	if (sk->sk_err_soft)
		shift++;

	if (tcp_check_oom(sk, shift)) {
		/* Catch exceptional cases, when connection requires reset. 1. Last segment was
		 * sent recently. */
		if ((s32)(tcp_time_stamp - tp->lsndtime) <= TCP_TIMEWAIT_LEN ||
		    /* 2. Window is closed. */
		    (!tp->snd_wnd && !tp->packets_out))
			do_reset = 1;
		if (do_reset)
			tcp_send_active_reset(sk, GFP_ATOMIC);
		tcp_done(sk);
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPABORTONMEMORY);
		return 1;
	}
	return 0;
}

/* Calculate maximal number or retries on an orphaned socket. */
static int tcp_orphan_retries(struct sock *sk, int alive)
{
	int retries = sysctl_tcp_orphan_retries; /* May be zero. */

	/* We know from an ICMP that something is wrong. */
	if (sk->sk_err_soft && !alive)
		retries = 0;

	/* However, if socket sent something recently, select some safe number of retries. 8
	 * corresponds to >100 seconds with minimal RTO of 200msec. */
	if (retries == 0 && alive)
		retries = 8;
	return retries;
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
	start_ts = tcp_rec(tcp_sk(sk))->retrans_stamp;
	if (unlikely(!start_ts))
		start_ts = head ? TCP_SKB_CB(head)->when : tcp_time_stamp;

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
		if (sock_flag(sk, SOCK_DEAD)) {
			const int alive = (icsk->icsk_rto < TCP_RTO_MAX);
			int do_reset;

			retry_until = tcp_orphan_retries(sk, alive);
			do_reset = alive ||
				   !retransmits_timed_out(sk, (unsigned int)retry_until, 0, 0);
			if (tcp_out_of_resources(sk, do_reset))
				return 1;
		}
	}
	if (retransmits_timed_out(sk, (unsigned int)retry_until,
				  syn_set ? 0 : inet_csk_user_timeout(sk), syn_set)) {
		/* Has it gone just too far? */
		tcp_write_err(sk);
		return 1;
	}
	return 0;
}

/* The persist timer: the peer's window is zero and data waits. */
static void tcp_probe_timer(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	int max_probes;

	if (tp->packets_out || !tcp_send_head(sk)) {
		icsk->icsk_probes_out = 0;
		return;
	}

	/* *WARNING* RFC 1122 forbids this. It doesn't AFAIK, because we kill the retransmit
	 * timer _only_ when the peer announces zero window and no data is in flight (the
	 * window stays closed): time out the connection after tcp_retries2 probes without an
	 * answer. (An ACK resets icsk_probes_out, so a peer that keeps answering with a zero
	 * window is never timed out: facts.md §3.10.) */
	max_probes = sysctl_tcp_retries2;

	if (sock_flag(sk, SOCK_DEAD)) {
		const int alive = ((icsk->icsk_rto << icsk->icsk_backoff) < TCP_RTO_MAX);

		max_probes = tcp_orphan_retries(sk, alive);
		if (tcp_out_of_resources(sk, alive || icsk->icsk_probes_out <= max_probes))
			return;
	}

	if (icsk->icsk_probes_out > max_probes)
		tcp_write_err(sk);
	else
		/* Only send another probe if we didn't close things up. */
		tcp_send_probe0(sk);
}

/* The TCP retransmit timer (also run by tcp_v4_err when RFC 6069 reverts the RTO to a
 * time already past). */
void tcp_retransmit_timer(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (!tp->packets_out || !tcp_write_queue_head(sk))
		goto out;

	if (tp->ofo)
		tp->ofo->tlp_high_seq = 0;

	if (!tp->snd_wnd && !sock_flag(sk, SOCK_DEAD) &&
	    !((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))) {
		/* Receiver dastardly shrinks window. Our retransmits become zero probes, but we
		 * should not timeout this connection. If the socket is an orphan, time it out,
		 * we cannot allow such beasts to hang infinitely. */
		if (tcp_time_stamp - tp->rcv_tstamp > TCP_RTO_MAX) {
			tcp_write_err(sk);
			goto out;
		}
		/* (Without memory for the loss-recovery state: a retransmission that failed,
		 * see below.) */
		if (likely(tcp_ofo_state_get(tp))) {
			tcp_enter_loss(sk, 0);
			tcp_retransmit_skb(sk, tcp_write_queue_head(sk));
		} else {
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPRETRANSFAIL);
		}
		__sk_dst_reset(sk);
		goto out_reset_timer;
	}

	if (tcp_write_timeout(sk))
		goto out;

	if (icsk->icsk_retransmits == 0) {
		int mib_idx;

		if (icsk->icsk_ca_state == TCP_CA_Recovery || icsk->icsk_ca_state == TCP_CA_Disorder ||
		    (icsk->icsk_ca_state != TCP_CA_Loss && tcp_rec(tp)->sacked_out))
			mib_idx = tcp_is_sack(tp) ? LINUX_MIB_TCPSACKFAILURES
						  : LINUX_MIB_TCPRENOFAILURES;
		else if (icsk->icsk_ca_state == TCP_CA_Loss)
			mib_idx = LINUX_MIB_TCPLOSSFAILURES;
		else
			mib_idx = LINUX_MIB_TCPTIMEOUTS;
		NET_INC_STATS_BH(sock_net(sk), mib_idx);
	}

	/* DIVERGES: entering Loss needs the loss-recovery state, which the first RTO may
	 * allocate; without memory for it the state stays Open and the retransmission fails
	 * as one without memory (tcp_retransmit_skb: -ENOMEM, TCPRetransFail), which 3.10
	 * backs off as any failure but local congestion: the next RTO tries again. */
	if (unlikely(!tcp_ofo_state_get(tp))) {
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPRETRANSFAIL);
		goto backoff;
	}
	tcp_enter_loss(sk, 0);

	if (tcp_retransmit_skb(sk, tcp_write_queue_head(sk)) > 0) {
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
	 * 88) suggests that doubling rto each time is the least we can get away with. In
	 * KA9Q, Karn uses this for the first few times, and then goes to quadratic. netBSD
	 * doubles, but only goes up to *64, and clamps at 1 to 64 sec afterwards. Note that
	 * 120 sec is defined in the protocol as the maximum possible RTT. I guess we'll have
	 * to use something other than TCP to talk to the University of Mars. PAWS allows us
	 * longer timeouts and large windows, so once implemented ftp to mars will work nicely.
	 * We will have to fix the 120 second clamps though! */
backoff:
	icsk->icsk_backoff++;
	icsk->icsk_retransmits++;

out_reset_timer:
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
	if (time_after(inet_csk_deadline(icsk->icsk_timeout), jiffies)) {
		inet_csk_timer_event_arm(sk, ICSK_TIMER_WRITE, inet_csk_deadline(icsk->icsk_timeout));
		return;
	}
	event = icsk->icsk_pending;
	switch (event) {
	case ICSK_TIME_EARLY_RETRANS:
		/* (these two re-arm the RTO themselves) */
		tcp_resume_early_retransmit(sk);
		break;
	case ICSK_TIME_LOSS_PROBE:
		tcp_send_loss_probe(sk);
		break;
	case ICSK_TIME_RETRANS:
		icsk->icsk_pending = 0;
		tcp_retransmit_timer(sk);
		break;
	case ICSK_TIME_PROBE0:
		icsk->icsk_pending = 0;
		tcp_probe_timer(sk);
		break;
	default:
		icsk->icsk_pending = 0;
		break;
	}
	sk_mem_reclaim(sk);
}

/* The write timer's event is due. (3.10: the callback of icsk_retransmit_timer, which
 * takes the spinlock and drops the timer's reference; the dispatcher does both here.)
 * Context: timer, socket spinlock held. */
static void tcp_write_timer(struct sock *sk)
{
	if (!sock_owned_by_user(sk)) {
		tcp_write_timer_handler(sk);
	} else {
		/* release_sock will run the handler (tcp_release_cb) */
		if (!tcp_tsq_test_and_set(tcp_sk(sk), TCP_WRITE_TIMER_DEFERRED))
			sock_hold(sk);
	}
}

static void tcp_delack_timer_handler(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_ucopy *ucopy;

	sk_mem_reclaim_partial(sk);

	if (sk->sk_state == TCP_CLOSE || !(icsk->icsk_ack.pending & ICSK_ACK_TIMER))
		return;

	if (time_after(inet_csk_deadline(icsk->icsk_ack.timeout), jiffies)) {
		inet_csk_timer_event_arm(sk, ICSK_TIMER_DACK,
					 inet_csk_deadline(icsk->icsk_ack.timeout));
		return;
	}
	icsk->icsk_ack.pending &= (__u8)~ICSK_ACK_TIMER;

	/* The reader woken by tcp_prequeue has not run yet: process its prequeue here.
	 * The socket is not owned, so tcp_ucopy(sk)'s reader is asleep in tcp_recvmsg. */
	ucopy = tcp_ucopy(sk);
	if (ucopy && !skb_queue_empty(&ucopy->prequeue)) {
		struct sk_buff *skb;

		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPSCHEDULERFAILED);

		while ((skb = __skb_dequeue(&ucopy->prequeue)) != NULL)
			sk_backlog_rcv(sk, skb);

		ucopy->memory = 0;
	}

	if (inet_csk_ack_scheduled(sk)) {
		if (!icsk->icsk_ack.pingpong) {
			/* Delayed ACK missed: inflate ATO. */
			icsk->icsk_ack.ato = min(icsk->icsk_ack.ato << 1, icsk->icsk_rto);
		} else {
			/* Delayed ACK missed: leave pingpong mode and deflate ATO. */
			icsk->icsk_ack.pingpong = 0;
			icsk->icsk_ack.ato = TCP_ATO_MIN;
		}
		tcp_send_ack(sk);
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_DELAYEDACKS);
	}
}

/* The delayed-ACK timer's event is due. (3.10: the callback of icsk_delack_timer.)
 * Context: timer, socket spinlock held. */
static void tcp_delack_timer(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (!sock_owned_by_user(sk)) {
		tcp_delack_timer_handler(sk);
	} else {
		icsk->icsk_ack.blocked = 1;
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_DELAYEDACKLOCKED);
		/* release_sock will run the handler (tcp_release_cb) */
		if (!tcp_tsq_test_and_set(tcp_sk(sk), TCP_DELACK_TIMER_DEFERRED))
			sock_hold(sk);
	}
}

#define TCP_DEFERRED_ALL ((1UL << TCP_TSQ_DEFERRED) | (1UL << TCP_WRITE_TIMER_DEFERRED) | \
			  (1UL << TCP_DELACK_TIMER_DEFERRED) | (1UL << TCP_MTU_REDUCED_DEFERRED))

/* release_sock runs this before the task lets go of the socket: the timers that fired
 * while the task owned it, and a frag-needed tcp_v4_err could not handle. Each deferred
 * bit came with a reference (sock_hold), dropped here. Context: process, socket owned, its
 * spinlock held with bottom halves off. */
void tcp_release_cb(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u16 flags;

	/* Take every deferred bit at once (an atomic operation only when one is set). A timer
	 * firing meanwhile waits for the spinlock and then finds the socket free. (3.10 loops
	 * on cmpxchg; one fetch-and does the same.) */
	if (!(__atomic_load_n(&tp->tsq_flags, __ATOMIC_RELAXED) & TCP_DEFERRED_ALL))
		return;
	flags = __atomic_fetch_and(&tp->tsq_flags, (u16)~TCP_DEFERRED_ALL, __ATOMIC_SEQ_CST);

	/* (TCP_TSQ_DEFERRED: TCP small queues, not in ulnet; never set.) */
	if (flags & (1UL << TCP_WRITE_TIMER_DEFERRED)) {
		tcp_write_timer_handler(sk);
		__sock_put(sk);
	}
	if (flags & (1UL << TCP_DELACK_TIMER_DEFERRED)) {
		tcp_delack_timer_handler(sk);
		__sock_put(sk);
	}
	if (flags & (1UL << TCP_MTU_REDUCED_DEFERRED)) {
		sk->sk_prot->mtu_reduced(sk);
		__sock_put(sk);
	}
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

/* The keepalive timer's event is due: keepalive probes, the orphaned FIN_WAIT2 timeout, or
 * a listener's SYN-ACK timer. (3.10: the callback of sk->sk_timer.)
 * Context: timer, socket spinlock held. */
static void tcp_keepalive_timer(struct sock *sk)
{
	/* Only process if socket is not in use. */
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
		if (tcp_linger2(tcp_sk(sk)) >= 0) {
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
	if (!sock_flag(sk, SOCK_KEEPOPEN) || sk->sk_state == TCP_CLOSE)
		goto out;
	{
		struct inet_connection_sock *icsk = inet_csk(sk);
		struct tcp_sock *tp = tcp_sk(sk);
		u32 elapsed = (u32)keepalive_time_when(tp);
		u32 lrcv = icsk->icsk_ack.lrcvtime, rack = tp->rcv_tstamp;

		/* It is alive without keepalive 8) */
		if (tp->packets_out || tcp_send_head(sk))
			goto resched;

		/* keepalive_time_elapsed: since the last data or ACK we received. */
		elapsed = min_t(u32, tcp_time_stamp - lrcv, tcp_time_stamp - rack);

		if (elapsed >= (u32)keepalive_time_when(tp)) {
			int probes = keepalive_probes(tp);

			/* If the TCP_USER_TIMEOUT option is enabled, use that to determine when
			 * to kill the connection. */
			if ((inet_csk_user_timeout(sk) != 0 && elapsed >= inet_csk_user_timeout(sk) &&
			     icsk->icsk_probes_out > 0) ||
			    (inet_csk_user_timeout(sk) == 0 && icsk->icsk_probes_out >= probes)) {
				tcp_send_active_reset(sk, GFP_ATOMIC);
				tcp_write_err(sk);
				goto out;
			}
			if (tcp_write_wakeup(sk) <= 0) {
				icsk->icsk_probes_out++;
				elapsed = (u32)keepalive_intvl_when(tp);
			} else {
				/* If keepalive was lost due to local congestion, try harder. */
				elapsed = TCP_RESOURCE_PROBE_INTERVAL;
			}
		} else {
			/* It is tp->rcv_tstamp + keepalive_time_when(tp) */
			elapsed = (u32)keepalive_time_when(tp) - elapsed;
		}
		sk_mem_reclaim(sk);
resched:
		inet_csk_reset_keepalive_timer(sk, elapsed);
	}
out:;
}

/* The callback of the one connection timer: runs the events that are due, then re-arms
 * the timer at the earliest deadline left.
 * DIVERGES: 3.10 has three timers whose callbacks are tcp_write_timer, tcp_delack_timer and
 * tcp_keepalive_timer (80 B per connection, see struct inet_connection_sock); here they
 * are events of one timer, each run at the jiffy its own timer would fire. When several
 * are due at the same jiffy (3.10 runs them in the order they reached the wheel slot,
 * which depends on when each was last armed), the order is fixed: delayed ACK, then
 * write timer, then keepalive. The delayed ACK first: it acknowledges data already
 * received whatever the write timer then does (a retransmission that fails on local
 * congestion, or tcp_write_err closing the socket). The keepalive last: it decides from
 * the state the others leave (packets in flight after a retransmission: no probe; a socket
 * closed by the write timer: nothing), and it may itself end the socket (tcp_done,
 * tcp_time_wait), after which nothing else may run. An event is taken only if still
 * pending and due when its turn comes (an earlier one may have moved or stopped it, as
 * mod_timer/del_timer of a timer not yet run does in 3.10).
 * Context: timer (softirq). */
static void tcp_timer_dispatch(struct timer_list *t)
{
	struct inet_connection_sock *icsk = from_timer(icsk, t, icsk_timer);
	struct sock *sk = &icsk->icsk_inet.sk;
	unsigned long now;

	bh_lock_sock(sk);
	now = jiffies;
	if (inet_csk_timer_event_take(sk, ICSK_TIMER_DACK, now))
		tcp_delack_timer(sk);
	if (inet_csk_timer_event_take(sk, ICSK_TIMER_WRITE, now))
		tcp_write_timer(sk);
	if (inet_csk_timer_event_take(sk, ICSK_TIMER_KEEPALIVE, now))
		tcp_keepalive_timer(sk);
	inet_csk_timer_rearm(sk);
	bh_unlock_sock(sk);
	sock_put(sk);	/* the reference the pending timer held */
}

/* SO_KEEPALIVE: arm the keepalive timer for keepalive_time, or stop it. */
void tcp_set_keepalive(struct sock *sk, int val)
{
	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))
		return;
	if (val && !sock_flag(sk, SOCK_KEEPOPEN))
		inet_csk_reset_keepalive_timer(sk, (unsigned long)keepalive_time_when(tcp_sk(sk)));
	else if (!val)
		inet_csk_delete_keepalive_timer(sk);
}

void tcp_init_xmit_timers(struct sock *sk)
{
	inet_csk_init_xmit_timers(sk, &tcp_timer_dispatch);
}

