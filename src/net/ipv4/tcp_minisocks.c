/* SPDX-License-Identifier: MIT */
/* The minimal sockets of TCP: request socks answering the third packet of the handshake
 * (tcp_check_req), the child socket they become, and TIME_WAIT socks.
 * Mirrors linux/net/ipv4/tcp_minisocks.c (3.10): tcp_death_row, tcp_paws_check and
 * tcp_paws_reject (of include/net/tcp.h), tcp_timewait_state_process, tcp_time_wait,
 * tcp_create_openreq_child, tcp_check_req, tcp_child_process.
 * Context: softirq, listener locked. */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/skbuff.h"
#include "net/inet_connection_sock.h"
#include "net/tcp.h"

int sysctl_tcp_syncookies = 1;
int sysctl_tcp_abort_on_overflow;

struct inet_timewait_death_row tcp_death_row = {
	.sysctl_max_tw_buckets = 65536 / 2,	/* ehash/2, set again by tcp_init */
	.hashinfo = &tcp_hashinfo,
};

static bool tcp_in_window(u32 seq, u32 end_seq, u32 s_win, u32 e_win)
{
	if (seq == s_win)
		return true;
	if (after(end_seq, s_win) && before(seq, e_win))
		return true;
	return seq == e_win && seq == end_seq;
}

/* RFC 1323 PAWS (3.10's tcp_paws_check/tcp_paws_reject of include/net/tcp.h; a copy here
 * because tcp_input.c keeps its own static tcp_paws_check): is the timestamp of a segment
 * older than ts_recent, so that the segment is an old duplicate? */
static inline bool tcp_paws_check(const struct tcp_options_received *rx_opt, int paws_win)
{
	if ((s32)(rx_opt->ts_recent - rx_opt->rcv_tsval) <= paws_win)
		return true;
	if (unlikely(get_seconds() >= (unsigned long)rx_opt->ts_recent_stamp + TCP_PAWS_24DAYS))
		return true;
	/* Some OSes send SYN and SYNACK messages with tsval=0 tsecr=0, then following tcp
	 * messages have valid values. Ignore 0 value, or else 'negative' tsval might forbid
	 * us to accept their packets. */
	if (!rx_opt->ts_recent)
		return true;
	return false;
}

static inline bool tcp_paws_reject(const struct tcp_options_received *rx_opt, int rst)
{
	if (tcp_paws_check(rx_opt, 0))
		return false;
	/* RST segments are not recommended to carry timestamp, and, if they do, it is
	 * recommended to ignore PAWS because "their cleanup function should take precedence
	 * over timestamps." We relax the time bounds for RST segments to MSL. */
	if (rst && get_seconds() >= (unsigned long)rx_opt->ts_recent_stamp + TCP_PAWS_MSL)
		return false;
	return true;
}

/* TIME_WAIT (RFC 793 p. 73): what to do with a segment for a TIME_WAIT sock, with RFC 1323
 * PAWS against the last timestamp the connection saw (tw_ts_recent): an old duplicate is
 * ACKed (PAWSEstabRejected) and never kills or reopens the sock. The lookup's reference on
 * @tw is dropped here, except for TCP_TW_ACK (tcp_v4_timewait_ack drops it) and TCP_TW_SYN
 * (the caller deschedules and drops it; TCP_SKB_CB(skb)->when is the ISN to answer with).
 * DIVERGES: no tcp_tw_recycle (tcp_tw_remember_stamp): the sock always lasts
 * TCP_TIMEWAIT_LEN; tcp_rfc1337 is 0 (an in-window RST kills it). */
enum tcp_tw_status tcp_timewait_state_process(struct inet_timewait_sock *tw,
					      struct sk_buff *skb, const struct tcphdr *th)
{
	struct tcp_options_received tmp_opt;
	struct tcp_timewait_sock *tcptw = tcp_twsk((struct sock *)tw);
	bool paws_reject = false;

	tmp_opt.saw_tstamp = 0;
	if (th->doff > (sizeof(*th) >> 2) && tcptw->tw_ts_recent_stamp) {
		tcp_clear_options(&tmp_opt);
		tcp_parse_options(skb, &tmp_opt, 0);
		if (tmp_opt.saw_tstamp) {
			tmp_opt.ts_recent = tcptw->tw_ts_recent;
			tmp_opt.ts_recent_stamp = (u32)tcptw->tw_ts_recent_stamp;
			paws_reject = tcp_paws_reject(&tmp_opt, th->rst);
		}
	}

	if (tw->tw_substate == TCP_FIN_WAIT2) {
		/* Just repeat all the checks of tcp_rcv_state_process() */

		/* Out of window, send ACK */
		if (paws_reject ||
		    !tcp_in_window(TCP_SKB_CB(skb)->seq, TCP_SKB_CB(skb)->end_seq,
				   tcptw->tw_rcv_nxt, tcptw->tw_rcv_nxt + tcptw->tw_rcv_wnd))
			return TCP_TW_ACK;
		if (th->rst)
			goto kill;
		if (th->syn && !before(TCP_SKB_CB(skb)->seq, tcptw->tw_rcv_nxt))
			goto kill_with_rst;
		/* Dup ACK? */
		if (!th->ack || !after(TCP_SKB_CB(skb)->end_seq, tcptw->tw_rcv_nxt) ||
		    TCP_SKB_CB(skb)->end_seq == TCP_SKB_CB(skb)->seq) {
			inet_twsk_put(tw);
			return TCP_TW_SUCCESS;
		}
		/* New data or FIN. If new data arrive after half-duplex close, reset. */
		if (!th->fin || TCP_SKB_CB(skb)->end_seq != tcptw->tw_rcv_nxt + 1) {
kill_with_rst:
			inet_twsk_deschedule(tw, &tcp_death_row);
			inet_twsk_put(tw);
			return TCP_TW_RST;
		}
		/* FIN arrived, enter true time-wait state. */
		tw->tw_substate = TCP_TIME_WAIT;
		tcptw->tw_rcv_nxt = TCP_SKB_CB(skb)->end_seq;
		if (tmp_opt.saw_tstamp) {
			tcptw->tw_ts_recent_stamp = (long)get_seconds();
			tcptw->tw_ts_recent = tmp_opt.rcv_tsval;
		}
		inet_twsk_schedule(tw, &tcp_death_row, TCP_TIMEWAIT_LEN);
		return TCP_TW_ACK;
	}

	/* Now real TIME-WAIT state. RFC 1122: "When a connection is [...] on TIME-WAIT
	 * state [...] a TCP MAY accept a new SYN from the remote TCP to reopen the
	 * connection directly, if it: (1) assigns its initial sequence number for the new
	 * connection to be larger than the largest sequence number it used on the previous
	 * connection incarnation, and (2) returns to TIME-WAIT state if the SYN turns out
	 * to be an old duplicate". */
	if (!paws_reject &&
	    (TCP_SKB_CB(skb)->seq == tcptw->tw_rcv_nxt &&
	     (TCP_SKB_CB(skb)->seq == TCP_SKB_CB(skb)->end_seq || th->rst))) {
		/* In window segment, it may be only reset or bare ack. */
		if (th->rst) {
			/* This is TIME_WAIT assassination, in two flavors. Oh well... nobody
			 * has a sufficient solution to this protocol bug yet (RFC 1337 with
			 * tcp_rfc1337 = 0, the default: the RST kills the TIME_WAIT sock). */
			NET_INC_STATS_BH(twsk_net(tw), LINUX_MIB_TIMEWAITKILLED);
			goto kill;
		}
		inet_twsk_schedule(tw, &tcp_death_row, TCP_TIMEWAIT_LEN);
		if (tmp_opt.saw_tstamp) {
			tcptw->tw_ts_recent = tmp_opt.rcv_tsval;
			tcptw->tw_ts_recent_stamp = (long)get_seconds();
		}
		inet_twsk_put(tw);
		return TCP_TW_SUCCESS;
	}

	/* Out of window segment. All the segments are ACKed immediately. The only exception
	 * is new SYN. We accept it, if it is not old duplicate and we are not in danger to be
	 * killed by delayed old duplicates. RFC check is that it has newer sequence number
	 * works at rates <40Mbit/sec. However, if paws works, it is reliable AND even more,
	 * we even may relax silly seq space cutoff. */
	if (th->syn && !th->rst && !th->ack && !paws_reject &&
	    (after(TCP_SKB_CB(skb)->seq, tcptw->tw_rcv_nxt) ||
	     (tmp_opt.saw_tstamp && (s32)(tcptw->tw_ts_recent - tmp_opt.rcv_tsval) < 0))) {
		u32 isn = tcptw->tw_snd_nxt + 65535 + 2;

		if (isn == 0)
			isn++;
		TCP_SKB_CB(skb)->when = isn;
		return TCP_TW_SYN;
	}

	if (paws_reject)
		NET_INC_STATS_BH(twsk_net(tw), LINUX_MIB_PAWSESTABREJECTED);

	if (!th->rst) {
		/* In this case we must reset the TIMEWAIT timer. If it is ACKless SYN it may
		 * be both old duplicate and new good SYN with random sequence number <rcv_nxt.
		 * Do not reschedule in the last case. */
		if (paws_reject || th->ack)
			inet_twsk_schedule(tw, &tcp_death_row, TCP_TIMEWAIT_LEN);
		return TCP_TW_ACK;
	}
	inet_twsk_put(tw);
	return TCP_TW_SUCCESS;

kill:
	inet_twsk_deschedule(tw, &tcp_death_row);
	inet_twsk_put(tw);
	return TCP_TW_SUCCESS;
}

/* Move a socket to time-wait or dead fin-wait-2 state: a tw_sock_TCP object takes its
 * place in the hashes for @timeo (TCP_TIMEWAIT_LEN in TIME_WAIT) and @sk is done.
 * Context: softirq or process, sk locked. */
void tcp_time_wait(struct sock *sk, int state, int timeo)
{
	struct inet_timewait_sock *tw = NULL;
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);

	if (atomic_read(&tcp_death_row.tw_count) < tcp_death_row.sysctl_max_tw_buckets)
		tw = inet_twsk_alloc(sk, state);

	if (tw) {
		struct tcp_timewait_sock *tcptw = tcp_twsk((struct sock *)tw);
		const int rto = (int)((icsk->icsk_rto << 2) - (icsk->icsk_rto >> 1));

		tw->tw_rcv_wscale = tp->rx_opt.rcv_wscale;
		tcptw->tw_rcv_nxt = tp->rcv_nxt;
		tcptw->tw_snd_nxt = tp->snd_nxt;
		tcptw->tw_rcv_wnd = tcp_receive_window(tp);
		tcptw->tw_ts_recent = tp->rx_opt.ts_recent;
		tcptw->tw_ts_recent_stamp = tp->rx_opt.ts_recent_stamp;

		/* Linkage updates. */
		__inet_twsk_hashdance(tw, sk, &tcp_hashinfo);

		/* Get the TIME_WAIT timeout firing. */
		if (timeo < rto)
			timeo = rto;
		if (state == TCP_TIME_WAIT)
			timeo = TCP_TIMEWAIT_LEN;
		inet_twsk_schedule(tw, &tcp_death_row, timeo);
		inet_twsk_put(tw);
	} else {
		/* Sorry, if we're out of memory, just CLOSE this socket up. We've got bigger
		 * problems than this. */
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPTIMEWAITOVERFLOW);
	}
	tcp_done(sk);
}

/* This is not only more efficient than what we used to do, it eliminates a lot of code
 * duplication between IPv4/IPv6 SYN recv processing. -DaveM
 * Actually, we could lots of memory writes here. tp of listening socket contains all
 * necessary default parameters. */
struct sock *tcp_create_openreq_child(struct sock *sk, struct request_sock *req,
				      struct sk_buff *skb)
{
	struct sock *newsk = inet_csk_clone_lock(sk, req, GFP_ATOMIC);
	const struct inet_request_sock *ireq = inet_rsk(req);
	struct tcp_request_sock *treq = tcp_rsk(req);
	struct inet_connection_sock *newicsk;
	struct tcp_sock *oldtp, *newtp;

	if (newsk == NULL)
		return NULL;
	newicsk = inet_csk(newsk);
	newtp = tcp_sk(newsk);
	oldtp = tcp_sk(sk);

	/* Now setup tcp_sock */
	newtp->rcv_wup = newtp->copied_seq = newtp->rcv_nxt = treq->rcv_isn + 1;
	newtp->snd_sml = newtp->snd_una = newtp->snd_nxt = treq->snt_isn + 1;
	/* (urg_data and urg_seq of a block copied from the listener are 0: sk_rare_clone.) */
	if (newsk->sk_rare)
		newsk->sk_rare->snd_up = newtp->snd_una;
	newtp->pushed_seq = newtp->write_seq = newtp->snd_nxt;
	tcp_init_wl(newtp, treq->rcv_isn);

	newtp->srtt = 0;
	newtp->mdev = TCP_TIMEOUT_INIT;
	newicsk->icsk_rto = TCP_TIMEOUT_INIT;

	newtp->packets_out = 0;
	/* retrans_out, sacked_out, fackets_out, tlp_high_seq start at 0: the child has no
	 * loss-recovery state (tcp_sock.ofo) yet. */
	newtp->ofo = NULL; /* not the listener's: the child allocates its own on first use */
	newtp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	newtp->lsndtime = treq->snt_synack;
	/* The SYN-ACK's retransmissions count (3.10: total_retrans = num_retrans): a child
	 * whose SYN-ACK went again gets the state now; without memory for it
	 * tcp_v4_syn_recv_sock drops the child (ListenDrops) as 3.10 drops one it cannot
	 * allocate, and the peer's next ACK tries again. */
	if (req->num_retrans && tcp_ofo_state_get(newtp))
		newtp->ofo->total_retrans = (int)req->num_retrans;

	/* So many TCP implementations out there (incorrectly) count the initial SYN frame
	 * in their delayed-ACK and congestion control algorithms that we must have the
	 * following bandaid to talk efficiently to them. -DaveM */
	newtp->snd_cwnd = TCP_INIT_CWND;
	newtp->snd_cwnd_cnt = 0;

	newtp->ucopy_waiting = 0; /* tcp_prequeue_init */
	skb_queue_head_init(&newsk->sk_write_queue);
	tcp_init_xmit_timers(newsk);
	newtp->write_seq = newtp->pushed_seq = treq->snt_isn + 1;

	newtp->rx_opt.saw_tstamp = 0;
	newtp->rx_opt.dsack = 0;
	newtp->rx_opt.num_sacks = 0;

	if (sock_flag(newsk, SOCK_KEEPOPEN))
		inet_csk_reset_keepalive_timer(newsk, (unsigned long)keepalive_time_when(newtp));

	newtp->rx_opt.tstamp_ok = ireq->tstamp_ok;
	if ((newtp->rx_opt.sack_ok = ireq->sack_ok) != 0 && sysctl_tcp_fack)
		newtp->rx_opt.sack_ok |= 2;	/* tcp_enable_fack: TCP_FACK_ENABLED */
	newtp->window_clamp = req->window_clamp;
	newtp->rcv_ssthresh = req->rcv_wnd;
	newtp->rcv_wnd = req->rcv_wnd;
	newtp->rx_opt.wscale_ok = ireq->wscale_ok;
	if (newtp->rx_opt.wscale_ok) {
		newtp->rx_opt.snd_wscale = ireq->snd_wscale;
		newtp->rx_opt.rcv_wscale = ireq->rcv_wscale;
	} else {
		newtp->rx_opt.snd_wscale = newtp->rx_opt.rcv_wscale = 0;
		newtp->window_clamp = min(newtp->window_clamp, 65535U);
	}
	newtp->snd_wnd = (u32)ntohs(tcp_hdr(skb)->window) << newtp->rx_opt.snd_wscale;
	newtp->max_window = newtp->snd_wnd;

	if (newtp->rx_opt.tstamp_ok) {
		newtp->rx_opt.ts_recent = req->ts_recent;
		newtp->rx_opt.ts_recent_stamp = (u32)get_seconds();
		newtp->tcp_header_len = sizeof(struct tcphdr) + TCPOLEN_TSTAMP_ALIGNED;
	} else {
		newtp->rx_opt.ts_recent_stamp = 0;
		newtp->tcp_header_len = sizeof(struct tcphdr);
	}
	if (skb->len >= TCP_MSS_DEFAULT + newtp->tcp_header_len)
		newicsk->icsk_ack.last_seg_size = (u16)(skb->len - newtp->tcp_header_len);
	newtp->rx_opt.mss_clamp = req->mss;
	(void)oldtp;

	TCP_INC_STATS_BH(sock_net(sk), TCP_MIB_PASSIVEOPENS);
	atomic_long_inc(&tcp_sockets_allocated);
	return newsk;
}

/* Process an incoming packet for SYN_RECV sockets represented as a request_sock.
 * (facts.md §3.2 for the accept-queue-full case.) */
struct sock *tcp_check_req(struct sock *sk, struct sk_buff *skb, struct request_sock *req,
			   struct request_sock **prev)
{
	struct tcp_options_received tmp_opt;
	struct sock *child;
	const struct tcphdr *th = tcp_hdr(skb);
	__be32 flg = tcp_flag_word(th) & (TCP_FLAG_RST | TCP_FLAG_SYN | TCP_FLAG_ACK);
	bool paws_reject = false;

	tmp_opt.saw_tstamp = 0;
	if (th->doff > (sizeof(struct tcphdr) >> 2)) {
		tcp_clear_options(&tmp_opt);
		tcp_parse_options(skb, &tmp_opt, 0);
		if (tmp_opt.saw_tstamp) {
			tmp_opt.ts_recent = req->ts_recent;
			/* We do not store true stamp, but it is not required, it can be
			 * estimated (approximately) from another data. */
			tmp_opt.ts_recent_stamp = (u32)(get_seconds() -
						  ((TCP_TIMEOUT_INIT / HZ) << req->num_timeout));
			paws_reject = tcp_paws_reject(&tmp_opt, th->rst);
		}
	}

	/* Check for pure retransmitted SYN. */
	if (TCP_SKB_CB(skb)->seq == tcp_rsk(req)->rcv_isn && flg == TCP_FLAG_SYN &&
	    !paws_reject) {
		/* RFC793 draws (Incorrectly! It was fixed in RFC1122) this case on figure 6
		 * and figure 8, but formal protocol description says NOTHING. To be more
		 * exact, it says that we should send ACK, because this segment (at least, if
		 * it has no data) is out of window. Enforce "SYN-ACK" according to figure 8,
		 * figure 6 of RFC793, fixed by RFC1122. Note that even if there is new data in
		 * the SYN packet they will be thrown away too. Reset timer after
		 * retransmitting SYNACK, similar to the idea of fast retransmit in recovery. */
		if (!inet_rtx_syn_ack(sk, req))
			req->expires = min(TCP_TIMEOUT_INIT << req->num_timeout, TCP_RTO_MAX) +
				       jiffies;
		return NULL;
	}

	/* Further reproduces section "SEGMENT ARRIVES" for state SYN-RECEIVED of RFC793.
	 * It has been cracked, so that it processes only ACK and RST (and pure SYN above). */

	/* RFC793 page 36: "If the connection is in any non-synchronized state ... and the
	 * incoming segment acknowledges something not yet sent (the segment carries an
	 * unacceptable ACK) ... a reset is sent." Invalid ACK: reset will be sent by
	 * listening socket. */
	if ((flg & TCP_FLAG_ACK) &&
	    (TCP_SKB_CB(skb)->ack_seq != tcp_rsk(req)->snt_isn + 1))
		return sk;

	/* RFC793: "first check sequence number". */
	if (paws_reject ||
	    !tcp_in_window(TCP_SKB_CB(skb)->seq, TCP_SKB_CB(skb)->end_seq,
			   tcp_rsk(req)->rcv_isn + 1, tcp_rsk(req)->rcv_isn + 1 + req->rcv_wnd)) {
		/* Out of window: send ACK and drop. */
		if (!(flg & TCP_FLAG_RST))
			req->rsk_ops->send_ack(sk, skb, req);
		if (paws_reject)
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_PAWSESTABREJECTED);
		return NULL;
	}

	/* In sequence, PAWS is OK. */
	if (tmp_opt.saw_tstamp && !after(TCP_SKB_CB(skb)->seq, tcp_rsk(req)->rcv_isn + 1))
		req->ts_recent = tmp_opt.rcv_tsval;

	if (TCP_SKB_CB(skb)->seq == tcp_rsk(req)->rcv_isn) {
		/* Truncate SYN, it is out of window starting at tcp_rsk(req)->rcv_isn + 1. */
		flg &= ~TCP_FLAG_SYN;
	}

	/* RFC793: "second check the RST bit" and "fourth, check the SYN bit" */
	if (flg & (TCP_FLAG_RST | TCP_FLAG_SYN)) {
		TCP_INC_STATS_BH(sock_net(sk), TCP_MIB_ATTEMPTFAILS);
		goto embryonic_reset;
	}

	/* ACK sequence verified above, just make sure ACK is set. If ACK not set, just
	 * silently drop the packet. */
	if (!(flg & TCP_FLAG_ACK))
		return NULL;

	/* While TCP_DEFER_ACCEPT is active, drop bare ACK. */
	if (req->num_timeout < inet_csk(sk)->icsk_defer_accept &&
	    TCP_SKB_CB(skb)->end_seq == tcp_rsk(req)->rcv_isn + 1) {
		inet_rsk(req)->acked = 1;
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPDEFERACCEPTDROP);
		return NULL;
	}

	/* OK, ACK is valid, create big socket and feed this segment to it. It will repeat
	 * all the tests. THIS SEGMENT MUST MOVE SOCKET TO ESTABLISHED STATE. If it will be
	 * dropped after socket is created, wait for troubles. */
	child = inet_csk(sk)->icsk_af_ops->syn_recv_sock(sk, skb, req, NULL);
	if (child == NULL)
		goto listen_overflow;

	reqsk_queue_unlink(&inet_csk(sk)->icsk_accept_queue, req, prev);
	inet_csk_reqsk_queue_removed(sk, req);
	inet_csk_reqsk_queue_add(sk, req, child);
	return child;

listen_overflow:
	if (!sysctl_tcp_abort_on_overflow) {
		inet_rsk(req)->acked = 1;
		return NULL;
	}

embryonic_reset:
	if (!(flg & TCP_FLAG_RST)) {
		/* Received a bad SYN pkt - for TFO We try not to reset the local connection
		 * unless it's really necessary to avoid becoming vulnerable to outside
		 * attack aiming at resetting legit local connections. */
		req->rsk_ops->send_reset(sk, skb);
	}
	inet_csk_reqsk_queue_drop(sk, req, prev);
	NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_EMBRYONICRSTS);
	return NULL;
}

/* Queue segment on the new socket if the new socket is active, otherwise we just
 * shortcircuit this and continue with the new socket. For the vast majority of cases
 * child->sk_state will be TCP_SYN_RECV when entering. But other states are possible due to
 * a race condition where after __inet_lookup_established() fails but before the listener
 * locked is obtained, other packets cause the same connection to be created. */
int tcp_child_process(struct sock *parent, struct sock *child, struct sk_buff *skb)
{
	int ret = 0;
	int state = child->sk_state;

	if (!sock_owned_by_user(child)) {
		ret = tcp_rcv_state_process(child, skb, tcp_hdr(skb), skb->len);
		/* Wakeup parent, send SIGIO */
		if (state == TCP_SYN_RECV && child->sk_state != state)
			parent->sk_data_ready(parent, 0);
	} else {
		/* Alas, it is possible again, because we do lookup in main socket hash table
		 * and lock on listening socket does not protect us more. */
		__sk_add_backlog(child, skb);
	}
	bh_unlock_sock(child);
	sock_put(child);
	return ret;
}
