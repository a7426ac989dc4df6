/* SPDX-License-Identifier: MIT */
/* Receiving TCP segments on a socket: options, the handshake's SYN_SENT and SYN_RECV
 * transitions, sequence, PAWS and RST/SYN validation (RFC 793, RFC 1323, RFC 5961), ACK
 * processing (send window, retransmission queue, RTT, congestion window, NewReno fast
 * retransmit and recovery, the Loss state), the data path (header prediction, in-order
 * and out-of-order queues, SACK and D-SACK blocks to send, receive memory and pruning,
 * delayed ACKs, receive-window growth and receive-buffer autotuning) and FIN.
 * Mirrors linux/net/ipv4/tcp_input.c (3.10): tcp_measure_rcv_mss, tcp_incr_quickack,
 * tcp_enter_quickack_mode, tcp_in_quickack_mode, tcp_grow_window, tcp_fixup_rcvbuf,
 * tcp_fixup_sndbuf, tcp_init_buffer_space, tcp_clamp_window, tcp_rcv_rtt_update,
 * tcp_rcv_rtt_measure, tcp_rcv_rtt_measure_ts, tcp_rcv_space_adjust, tcp_event_data_recv,
 * tcp_rtt_estimator, tcp_set_rto, tcp_init_metrics (tcp_metrics.c), tcp_parse_options,
 * tcp_reset, tcp_sequence, tcp_paws_discard, tcp_send_challenge_ack, tcp_validate_incoming,
 * tcp_may_update_window, tcp_ack_update_window, tcp_valid_rtt_meas, tcp_ack_update_rtt,
 * tcp_update_reordering, tcp_check_reno_reordering, tcp_tso_acked, tcp_clean_rtx_queue,
 * tcp_add_reno_sack,
 * tcp_remove_reno_sacks, tcp_enter_loss, tcp_simple_retransmit, tcp_enter_recovery, tcp_cwnd_reduction, tcp_undo_cwr, tcp_try_undo_recovery,
 * tcp_try_undo_partial, tcp_try_undo_dsack, tcp_try_undo_loss, tcp_mark_head_lost,
 * tcp_update_scoreboard, tcp_is_sackblock_valid, tcp_check_dsack, tcp_match_skb_to_sack,
 * tcp_sacktag_write_queue,
 * tcp_fastretrans_alert, tcp_ack_probe, tcp_ack,
 * tcp_sack_new_ofo_skb, tcp_sack_remove, tcp_dsack_set, tcp_dsack_extend, tcp_ofo_queue,
 * tcp_prune_ofo_queue, tcp_collapse_one, tcp_collapse, tcp_collapse_ofo_queue,
 * tcp_prune_queue, tcp_try_rmem_schedule, tcp_try_coalesce, tcp_queue_rcv, tcp_check_urg,
 * tcp_urg, tcp_data_queue_ofo, tcp_data_queue, tcp_new_space, tcp_check_space, tcp_data_snd_check,
 * __tcp_ack_snd_check, tcp_ack_snd_check, tcp_fin, tcp_finish_connect,
 * tcp_rcv_synsent_state_process, tcp_rcv_state_process, tcp_copy_to_iovec,
 * tcp_rcv_established; loss-recovery
 * extras: tcp_rearm_rto, tcp_pause_early_retransmit, tcp_resume_early_retransmit,
 * tcp_time_to_recover, tcp_mark_lost_retrans, tcp_highest_sack_seq (tcp.h),
 * tcp_any_retrans_done, tcp_try_keep_open, tcp_try_to_open, tcp_process_loss,
 * tcp_process_tlp_ack; simultaneous open in tcp_rcv_synsent_state_process.
 *
 * Book ch4/ch6: tcp_v4_rcv -> tcp_v4_do_rcv -> tcp_rcv_established: header prediction
 * (the next in-order segment with the expected flags and window) queues the data and
 * wakes the reader (sk_data_ready); anything else takes the RFC 793 slow path.
 * Loss recovery: NewReno (dupacks) without SACK, the SACK scoreboard with FACK with it
 * (tcp_sacktag_write_queue, tcp_update_scoreboard), PRR, undo, reordering detection.
 * DIVERGES (issue #5 continues): SACK blocks mark whole segments only; no F-RTO, early
 * retransmit, tail loss probe, forward retransmission or lost-retransmit detection;
 * no ECN; no simultaneous open. Urgent data and receive-queue collapsing as 3.10 (no
 * SIGURG: ulnet has no signals).
 * Context: softirq (receive) or process (backlog at release_sock), socket locked. */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/sched.h"
#include "linux/skbuff.h"
#include "linux/slab.h"
#include "net/dst.h"
#include "net/inet_connection_sock.h"
#include "net/ip.h"
#include "net/tcp.h"
#include "trace/path.h"

int sysctl_tcp_timestamps = 1;
int sysctl_tcp_window_scaling = 1;
int sysctl_tcp_sack = 1;
int sysctl_tcp_reordering = TCP_FASTRETRANS_THRESH;
int sysctl_tcp_adv_win_scale = 1;
int sysctl_tcp_challenge_ack_limit = 100;
int sysctl_tcp_max_orphans;
int sysctl_tcp_app_win = 31;
int sysctl_tcp_moderate_rcvbuf = 1;
int sysctl_tcp_dsack = 1;
int sysctl_tcp_fack = 1;
int sysctl_tcp_early_retrans = 3;
int sysctl_tcp_frto = 2;
int sysctl_tcp_stdurg;		/* 0: BSD's urgent pointer (one past the byte) */

#define FLAG_DATA		0x01	/* Incoming frame contained data. */
#define FLAG_WIN_UPDATE		0x02	/* Incoming ACK was a window update. */
#define FLAG_DATA_ACKED		0x04	/* This ACK acknowledged new data. */
#define FLAG_RETRANS_DATA_ACKED	0x08	/* "" "" some of which was retransmitted. */
#define FLAG_SYN_ACKED		0x10	/* This ACK acknowledged SYN. */
#define FLAG_DATA_SACKED	0x20	/* New SACK. */
#define FLAG_ECE		0x40	/* ECE in this ACK */
#define FLAG_SLOWPATH		0x100	/* Do not skip RFC checks for window update. */
#define FLAG_ORIG_SACK_ACKED	0x200	/* Never retransmitted data are (s)acked	*/
#define FLAG_SND_UNA_ADVANCED	0x400	/* Snd_una was changed (!= FLAG_DATA_ACKED) */
#define FLAG_DSACKING_ACK	0x800	/* SACK blocks contained D-SACK info */
#define FLAG_UPDATE_TS_RECENT	0x4000	/* tcp_replace_ts_recent() */

#define FLAG_ACKED		(FLAG_DATA_ACKED | FLAG_SYN_ACKED)
#define FLAG_NOT_DUP		(FLAG_DATA | FLAG_WIN_UPDATE | FLAG_ACKED)
#define FLAG_CA_ALERT		(FLAG_DATA_SACKED | FLAG_ECE)
#define FLAG_FORWARD_PROGRESS	(FLAG_ACKED | FLAG_DATA_SACKED)

#define TCP_REMNANT (TCP_FLAG_FIN | TCP_FLAG_URG | TCP_FLAG_SYN | TCP_FLAG_PSH)
#define TCP_HP_BITS (~(TCP_RESERVED_BITS | TCP_FLAG_PSH))

/* tcp_flag_word through memcpy: the header may sit at a 2-byte boundary (see
 * tcp_parse_aligned_timestamp). */
static inline __be32 tcp_flag_word_get(const struct tcphdr *th)
{
	__be32 w;

	memcpy(&w, (const u8 *)th + 12, sizeof(w));
	return w;
}

/* Without SACK the sender counts duplicate ACKs (NewReno, sacked_out emulates SACKs);
 * with it, the SACK scoreboard (tcp_sacktag_write_queue) and FACK. */
static inline bool tcp_sender_is_reno(const struct tcp_sock *tp)
{
	return !tcp_is_sack(tp);
}

static inline bool tcp_is_fack(const struct tcp_sock *tp)
{
	return tp->rx_opt.sack_ok & 2;	/* TCP_FACK_ENABLED */
}

/* tcp_fackets_out (include/net/tcp.h in 3.10): segments up to the forward-most SACK. */
static inline unsigned int tcp_fackets_out(const struct tcp_sock *tp)
{
	return tcp_sender_is_reno(tp) ? tcp_rec(tp)->sacked_out + 1 : tcp_rec(tp)->fackets_out;
}

static void tcp_dsack_set(struct sock *sk, u32 seq, u32 end_seq);
static inline bool tcp_may_update_window(const struct tcp_sock *tp, const u32 ack,
					 const u32 ack_seq, const u32 nwin);

/* ------------------------------------------------------------------------------------------
 * Receiver side: the delayed-ACK engine, the window and the buffers (facts.md §3.9). */

/* Adapt the MSS value used to make delayed ack decision to the real world. */
static __always_inline void tcp_measure_rcv_mss(struct sock *sk, const struct sk_buff *skb)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	const unsigned int lss = icsk->icsk_ack.last_seg_size;
	unsigned int len;

	icsk->icsk_ack.last_seg_size = 0;

	/* skb->len may jitter because of SACKs, even if peer sends good full-sized frames. */
	len = skb_shinfo(skb)->gso_size ? : skb->len;
	if (len >= icsk->icsk_ack.rcv_mss) {
		icsk->icsk_ack.rcv_mss = (u16)min(len, 65535U);
	} else {
		/* Otherwise, we make more careful check taking into account, that SACKs block
		 * is variable. "len" is invariant segment length, including TCP header. */
		len += (unsigned int)(skb->data - skb_transport_header(skb));
		if (len >= TCP_MSS_DEFAULT + sizeof(struct tcphdr) ||
		    /* If PSH is not set, packet should be full sized, provided peer TCP is not
		     * badly broken. This observation (if it is correct 8)) allows to handle
		     * super-low mtu links fairly. */
		    (len >= TCP_MIN_MSS + sizeof(struct tcphdr) &&
		     !(tcp_flag_word_get(tcp_hdr(skb)) & TCP_REMNANT))) {
			/* Subtract also invariant (if peer is RFC compliant), tcp header plus
			 * fixed timestamp option length. Resulting "len" is MSS free of SACK
			 * jitter. */
			len -= tcp_sk(sk)->tcp_header_len;
			icsk->icsk_ack.last_seg_size = (u16)len;
			if (len == lss) {
				icsk->icsk_ack.rcv_mss = (u16)len;
				return;
			}
		}
		if (icsk->icsk_ack.pending & ICSK_ACK_PUSHED)
			icsk->icsk_ack.pending |= ICSK_ACK_PUSHED2;
		icsk->icsk_ack.pending |= ICSK_ACK_PUSHED;
	}
}

static void tcp_incr_quickack(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	unsigned int quickacks = tcp_sk(sk)->rcv_wnd / (2U * max_t(u32, icsk->icsk_ack.rcv_mss, 1));

	if (quickacks == 0)
		quickacks = 2;
	if (quickacks > icsk->icsk_ack.quick)
		icsk->icsk_ack.quick = (u8)min(quickacks, TCP_MAX_QUICKACKS);
}

static void tcp_enter_quickack_mode(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	tcp_incr_quickack(sk);
	icsk->icsk_ack.pingpong = 0;
	icsk->icsk_ack.ato = TCP_ATO_MIN;
}

/* Send ACKs quickly, if "quick" count is not exhausted and the session is not
 * interactive. */
static inline bool tcp_in_quickack_mode(const struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);

	return icsk->icsk_ack.quick && !icsk->icsk_ack.pingpong;
}

/* Buffer size and advertised window tuning. 1. Tuning sk->sk_sndbuf, when connection
 * enters established state. */
static void tcp_fixup_sndbuf(struct sock *sk)
{
	int sndmem = (int)SKB_TRUESIZE(tcp_sk(sk)->rx_opt.mss_clamp + MAX_TCP_HEADER);

	sndmem *= TCP_INIT_CWND;
	if (sk->sk_sndbuf < sndmem)
		sk->sk_sndbuf = min(sndmem, sysctl_tcp_wmem[2]);
}

/* 2. Tuning advertised window (window_clamp, rcv_ssthresh): the window grows while the
 * segments that come in are small in truesize for their payload (rcv_ssthresh follows,
 * tcp_grow_window). */
static int __tcp_grow_window(const struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	/* Optimize this! */
	int truesize = tcp_win_from_space((int)skb->truesize) >> 1;
	int window = tcp_win_from_space(sysctl_tcp_rmem[2]) >> 1;
	int guard = 0;

	while ((int)tp->rcv_ssthresh <= window && ++guard < 64) {
		if (truesize <= (int)skb->len)
			return 2 * inet_csk(sk)->icsk_ack.rcv_mss;
		truesize >>= 1;
		window >>= 1;
	}
	return 0;
}

static __always_inline void tcp_grow_window(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	/* Check #1 */
	if (tp->rcv_ssthresh < tp->window_clamp && (int)tp->rcv_ssthresh < tcp_space(sk) &&
	    !sk_stream_under_memory_pressure(sk)) {
		int incr;

		/* Check #2. Increase window, if skb with such overhead will fit to rcvbuf in
		 * future. */
		if (tcp_win_from_space((int)skb->truesize) <= (int)skb->len)
			incr = 2 * tp->advmss;
		else
			incr = __tcp_grow_window(sk, skb);

		if (incr) {
			incr = max_t(int, incr, 2 * (int)skb->len);
			tp->rcv_ssthresh = min(tp->rcv_ssthresh + (u32)incr, tp->window_clamp);
			inet_csk(sk)->icsk_ack.quick |= 1;
		}
	}
}

/* 3. Tuning rcvbuf, when connection enters established state. */
static void tcp_fixup_rcvbuf(struct sock *sk)
{
	u32 mss = tcp_sk(sk)->advmss;
	u32 icwnd = TCP_DEFAULT_INIT_RCVWND;
	int rcvmem;
	int guard = 0;

	/* Limit to 10 segments if mss <= 1460, or 14600/mss segments, with a minimum of two
	 * segments. */
	if (mss > 1460)
		icwnd = max_t(u32, (1460 * TCP_DEFAULT_INIT_RCVWND) / mss, 2);

	rcvmem = (int)SKB_TRUESIZE(mss + MAX_TCP_HEADER);
	while (tcp_win_from_space(rcvmem) < (int)mss && ++guard < 100000)
		rcvmem += 128;
	rcvmem *= (int)icwnd;

	if (sk->sk_rcvbuf < rcvmem)
		sk->sk_rcvbuf = min(rcvmem, sysctl_tcp_rmem[2]);
}

/* 4. Try to fixup all. It is made immediately after connection enters established
 * state. */
void tcp_init_buffer_space(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int maxwin;

	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK))
		tcp_fixup_rcvbuf(sk);
	if (!(sk->sk_userlocks & SOCK_SNDBUF_LOCK))
		tcp_fixup_sndbuf(sk);

	tp->rcvq_space.space = (int)tp->rcv_wnd;
	tp->rcvq_space.time = 0;
	tp->rcvq_space.seq = tp->copied_seq;

	maxwin = tcp_full_space(sk);

	if (tp->window_clamp >= (u32)maxwin) {
		tp->window_clamp = (u32)maxwin;
		if (sysctl_tcp_app_win && maxwin > 4 * tp->advmss)
			tp->window_clamp = (u32)max(maxwin - (maxwin >> sysctl_tcp_app_win),
						    4 * tp->advmss);
	}

	/* Force reservation of one segment. */
	if (sysctl_tcp_app_win && tp->window_clamp > 2U * tp->advmss &&
	    tp->window_clamp + tp->advmss > (u32)maxwin)
		tp->window_clamp = (u32)max(2 * tp->advmss, maxwin - tp->advmss);

	tp->rcv_ssthresh = min(tp->rcv_ssthresh, tp->window_clamp);
	tp->snd_cwnd_stamp = tcp_time_stamp;
}

/* 5. Recalculate window clamp after socket hit its memory bounds. */
static void tcp_clamp_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);

	icsk->icsk_ack.quick = 0;

	if (sk->sk_rcvbuf < sysctl_tcp_rmem[2] && !(sk->sk_userlocks & SOCK_RCVBUF_LOCK) &&
	    !sk_stream_under_memory_pressure(sk) &&
	    sk_memory_allocated(sk) < sysctl_tcp_mem[0]) {
		sk->sk_rcvbuf = min(atomic_read(&sk->sk_rmem_alloc), sysctl_tcp_rmem[2]);
	}
	if (atomic_read(&sk->sk_rmem_alloc) > sk->sk_rcvbuf)
		tp->rcv_ssthresh = min(tp->window_clamp, 2U * tp->advmss);
}

/* Receiver "autotuning" code. The algorithm for RTT estimation w/o timestamps is based on
 * Dynamic Right-Sizing (DRS) by Wu Feng and Mike Fisk of LANL. */
static void tcp_rcv_rtt_update(struct tcp_sock *tp, u32 sample, int win_dep)
{
	u32 new_sample = tp->rcv_rtt_est.rtt;
	long m = sample;

	if (m == 0)
		m = 1;

	if (new_sample != 0) {
		/* If we sample in larger samples in the non-timestamp case, we could grossly
		 * overestimate the RTT especially with chatty applications or bulk transfer
		 * apps which are stalled on filesystem I/O. Also, since we are only going for
		 * a minimum in the non-timestamp case, we do not smooth things out else with
		 * timestamps disabled convergence takes too long. */
		if (!win_dep) {
			m -= (new_sample >> 3);
			new_sample += (u32)m;
		} else {
			m <<= 3;
			if (m < (long)new_sample)
				new_sample = (u32)m;
		}
	} else {
		/* No previous measure. */
		new_sample = (u32)(m << 3);
	}
	tp->rcv_rtt_est.rtt = new_sample;
}

static inline void tcp_rcv_rtt_measure(struct tcp_sock *tp)
{
	if (tp->rcv_rtt_est.time == 0)
		goto new_measure;
	if (before(tp->rcv_nxt, tp->rcv_rtt_est.seq))
		return;
	tcp_rcv_rtt_update(tp, tcp_time_stamp - tp->rcv_rtt_est.time, 1);

new_measure:
	tp->rcv_rtt_est.seq = tp->rcv_nxt + tp->rcv_wnd;
	tp->rcv_rtt_est.time = tcp_time_stamp;
}

static inline void tcp_rcv_rtt_measure_ts(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->rx_opt.rcv_tsecr &&
	    (TCP_SKB_CB(skb)->end_seq - TCP_SKB_CB(skb)->seq >= inet_csk(sk)->icsk_ack.rcv_mss))
		tcp_rcv_rtt_update(tp, tcp_time_stamp - tp->rx_opt.rcv_tsecr, 0);
}

/* This function should be called every time data is copied to user space. It calculates
 * the appropriate TCP receive buffer space. */
void tcp_rcv_space_adjust(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int time;
	int space;

	if (tp->rcvq_space.time == 0)
		goto new_measure;

	time = (int)(tcp_time_stamp - tp->rcvq_space.time);
	if (time < (int)(tp->rcv_rtt_est.rtt >> 3) || tp->rcv_rtt_est.rtt == 0)
		return;

	space = 2 * (int)(tp->copied_seq - tp->rcvq_space.seq);
	space = max(tp->rcvq_space.space, space);

	if (tp->rcvq_space.space != space) {
		int rcvmem;
		int guard = 0;

		tp->rcvq_space.space = space;

		if (sysctl_tcp_moderate_rcvbuf && !(sk->sk_userlocks & SOCK_RCVBUF_LOCK)) {
			int new_clamp = space;

			/* Receive space grows, normalize in order to take into account packet
			 * headers and sk_buff structure overhead. */
			space /= tp->advmss ? tp->advmss : 1;
			if (!space)
				space = 1;
			rcvmem = (int)SKB_TRUESIZE(tp->advmss + MAX_TCP_HEADER);
			while (tcp_win_from_space(rcvmem) < tp->advmss && ++guard < 100000)
				rcvmem += 128;
			if (space > sysctl_tcp_rmem[2] / rcvmem + 1)
				space = sysctl_tcp_rmem[2] / rcvmem + 1;
			space *= rcvmem;
			space = min(space, sysctl_tcp_rmem[2]);
			if (space > sk->sk_rcvbuf) {
				sk->sk_rcvbuf = space;
				/* Make the window clamp follow along. */
				tp->window_clamp = (u32)new_clamp;
			}
		}
	}

new_measure:
	tp->rcvq_space.seq = tp->copied_seq;
	tp->rcvq_space.time = tcp_time_stamp;
}

/* There is something which you must keep in mind when you analyze the behavior of the
 * tp->ato delayed ack timeout interval. When a connection starts up, we want to ack as
 * quickly as possible. The problem is that "good" TCP's do slow start at the beginning of
 * data transmission. The means that until we send the first few ACK's the sender will
 * sit on his end and only queue most of his data, because he can only send snd_cwnd
 * unacked packets at any given time. For each ACK we send, he increments snd_cwnd and
 * transmits more of his queue. -DaveM */
static __always_inline void tcp_event_data_recv(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	u32 now;

	inet_csk_schedule_ack(sk);

	tcp_measure_rcv_mss(sk, skb);

	tcp_rcv_rtt_measure(tp);

	now = tcp_time_stamp;

	if (!icsk->icsk_ack.ato) {
		/* The _first_ data packet received, initialize delayed ACK engine. */
		tcp_incr_quickack(sk);
		icsk->icsk_ack.ato = TCP_ATO_MIN;
	} else {
		int m = (int)(now - icsk->icsk_ack.lrcvtime);

		if (m <= (int)TCP_ATO_MIN / 2) {
			/* The fastest case is the first. */
			icsk->icsk_ack.ato = (icsk->icsk_ack.ato >> 1) + TCP_ATO_MIN / 2;
		} else if (m < (int)icsk->icsk_ack.ato) {
			icsk->icsk_ack.ato = (icsk->icsk_ack.ato >> 1) + (u32)m;
			if (icsk->icsk_ack.ato > icsk->icsk_rto)
				icsk->icsk_ack.ato = icsk->icsk_rto;
		} else if (m > (int)icsk->icsk_rto) {
			/* Too long gap. Apparently sender failed to restart window, so that we
			 * send ACKs quickly. */
			tcp_incr_quickack(sk);
			sk_mem_reclaim(sk);
		}
	}
	icsk->icsk_ack.lrcvtime = now;

	if (skb->len >= 128)
		tcp_grow_window(sk, skb);
}

/* ------------------------------------------------------------------------------------------
 * RTT and RTO (facts.md §3.7, RFC 6298). */

/* Called to compute a smoothed rtt estimate. The data fed to this routine either comes
 * from timestamps, or from segments that were known _not_ to have been retransmitted
 * [see Karn/Partridge Proceedings SIGCOMM 87]. The algorithm is from the SIGCOMM 88 piece
 * by Van Jacobson. NOTE: the next three routines used to be one big routine. To save
 * cycles in the RFC 1323 implementation it was better to break it up into three
 * procedures. -- erics */
static void tcp_rtt_estimator(struct sock *sk, const __u32 mrtt)
{
	struct tcp_sock *tp = tcp_sk(sk);
	long m = mrtt; /* RTT */

	/* The following amusing code comes from Jacobson's article in SIGCOMM '88. Note
	 * that rtt and mdev are scaled versions of rtt and mean deviation. This is designed
	 * to be as fast as possible m stands for "measurement". On a 1990 paper the rto
	 * value is changed to: RTO = rtt + 4 * mdev. Funny. This algorithm seems to be very
	 * broken. These formulae increase RTO, when it should be decreased, increase too
	 * slowly, when it should be increased quickly, decrease too quickly etc. I guess in
	 * BSD RTO takes ONE value, so that it is absolutely does not matter how to
	 * _calculate_ it. Seems, it was trap that VJ failed to avoid. 8) */
	if (m == 0)
		m = 1;
	if (tp->srtt != 0) {
		m -= (tp->srtt >> 3);	/* m is now error in rtt est */
		tp->srtt += (u32)m;	/* rtt = 7/8 rtt + 1/8 new */
		if (m < 0) {
			m = -m;		/* m is now abs(error) */
			m -= (tp->mdev >> 2);	/* similar update on mdev */
			/* This is similar to one of Eifel findings. Eifel blocks mdev updates
			 * when rtt decreases. This solution is a bit different: we use finer gain
			 * for mdev in this case (alpha*beta). Like Eifel it also prevents growth
			 * of rto, but also it limits too fast rto decreases, happening in pure
			 * Eifel. */
			if (m > 0)
				m >>= 3;
		} else {
			m -= (tp->mdev >> 2);	/* similar update on mdev */
		}
		tp->mdev += (u32)m;	/* mdev = 3/4 mdev + 1/4 new */
		if (tp->mdev > tp->mdev_max) {
			tp->mdev_max = tp->mdev;
			if (tp->mdev_max > tp->rttvar)
				tp->rttvar = tp->mdev_max;
		}
		if (after(tp->snd_una, tp->rtt_seq)) {
			if (tp->mdev_max < tp->rttvar)
				tp->rttvar -= (tp->rttvar - tp->mdev_max) >> 2;
			tp->rtt_seq = tp->snd_nxt;
			tp->mdev_max = TCP_RTO_MIN;
		}
	} else {
		/* no previous measure. */
		tp->srtt = (u32)(m << 3);	/* take the measured time to be rtt */
		tp->mdev = (u32)(m << 1);	/* make sure rto = 3*rtt */
		tp->mdev_max = tp->rttvar = max(tp->mdev, TCP_RTO_MIN);
		tp->rtt_seq = tp->snd_nxt;
	}
}

/* Calculate rto without backoff. This is the second half of Van Jacobson's routine
 * referred to above. */
static void tcp_set_rto(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	/* 1. If rtt variance happened to be less 50msec, it is hallucination. It cannot be
	 * less due to utterly erratic ACK generation made at least by solaris and freebsd.
	 * "Erratic ACKs" has _nothing_ to do with delayed acks, because at cwnd>2 true
	 * delack timeout is invisible. Actually, Linux-2.4 also generates erratic ACKs in
	 * some circumstances. */
	inet_csk(sk)->icsk_rto = __tcp_set_rto(tp);

	/* 2. Fixups made earlier cannot be right. If we do not estimate RTO correctly
	 * without them, all the algo is pure shit and should be replaced with correct one.
	 * It is exactly, which we pretend to do. */

	/* NOTE: clamping at TCP_RTO_MIN is not required, current algo guarantees that rto
	 * is higher. */
	tcp_bound_rto(sk);
}

static void tcp_valid_rtt_meas(struct sock *sk, u32 seq_rtt)
{
	tcp_rtt_estimator(sk, seq_rtt);
	tcp_set_rto(sk);
	inet_csk(sk)->icsk_backoff = 0;
}

/* Read draft-ietf-tcplw-high-performance before mucking with this code. (Supersedes RFC
 * 1323 and RFC 7323.) */
static void tcp_ack_saw_tstamp(struct sock *sk, int flag)
{
	/* RTTM Rule: A TSecr value received in a segment is used to update the averaged RTT
	 * measurement only if the segment acknowledges some new data, i.e., only if it
	 * advances the left edge of the send window. See draft-ietf-tcplw-high-performance-00,
	 * section 3.3. Changed: reset backoff as soon as we see the first valid sample. If
	 * we do not, we get strongly overestimated rto. With timestamps samples are
	 * accepted even from very old segments: f.e., when rtt=1 increases to 8, we
	 * retransmit 5 times and after 8 seconds delayed answer arrives rto becomes 120
	 * seconds! If at least one of segments in window is lost... Voila. --ANK (010210) */
	struct tcp_sock *tp = tcp_sk(sk);

	(void)flag;
	tcp_valid_rtt_meas(sk, tcp_time_stamp - tp->rx_opt.rcv_tsecr);
}

static void tcp_ack_no_tstamp(struct sock *sk, u32 seq_rtt, int flag)
{
	/* We don't have a timestamp. Can only use packets that are not retransmitted to
	 * determine rtt estimates. Also, we must not reset the backoff for rto until we get a
	 * non-retransmitted packet. This allows us to deal with a situation where the network
	 * delay has increased suddenly. I.e. Karn's algorithm. (SIGCOMM '87, p5.) */
	if (flag & FLAG_RETRANS_DATA_ACKED)
		return;
	tcp_valid_rtt_meas(sk, seq_rtt);
}

static inline void tcp_ack_update_rtt(struct sock *sk, const int flag, const s32 seq_rtt)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	/* Note that peer MAY send zero echo. In this case it is ignored. (rfc1323) */
	if (tp->rx_opt.saw_tstamp && tp->rx_opt.rcv_tsecr)
		tcp_ack_saw_tstamp(sk, flag);
	else if (seq_rtt >= 0)
		tcp_ack_no_tstamp(sk, (u32)seq_rtt, flag);
}

/* ------------------------------------------------------------------------------------------
 * Congestion control: through icsk_ca_ops (include/net/tcp_cong.h), or Reno written here
 * while none is attached (the handshake, or before tcp_cong.c is linked in). */

u32 tcp_ca_ssthresh(struct sock *sk)
{
	const struct tcp_congestion_ops *ca_ops = inet_csk_ca_ops(sk);
	const struct tcp_sock *tp = tcp_sk(sk);

	if (ca_ops && ca_ops->ssthresh)
		return ca_ops->ssthresh(sk);
	return max(tp->snd_cwnd >> 1U, 2U);	/* tcp_reno_ssthresh */
}

static bool tcp_fallback_cwnd_limited(const struct tcp_sock *tp, u32 in_flight)
{
	if (in_flight >= tp->snd_cwnd)
		return true;
	/* tcp_max_tso_deferred_mss: 3 segments of slack still count as limited. */
	return tp->snd_cwnd - in_flight <= 3;
}

static void tcp_cong_avoid(struct sock *sk, u32 ack, u32 in_flight)
{
	const struct tcp_congestion_ops *ca_ops = inet_csk_ca_ops(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	if (ca_ops && ca_ops->cong_avoid) {
		ca_ops->cong_avoid(sk, ack, in_flight);
	} else if (tcp_fallback_cwnd_limited(tp, in_flight)) {
		/* Reno: slow start below ssthresh (+1 per ACK), else +1 per cwnd ACKs. */
		if (tp->snd_cwnd <= tp->snd_ssthresh) {
			if (tp->snd_cwnd < tp->snd_cwnd_clamp)
				tp->snd_cwnd++;
		} else if (tp->snd_cwnd_cnt >= tp->snd_cwnd) {
			if (tp->snd_cwnd < tp->snd_cwnd_clamp)
				tp->snd_cwnd++;
			tp->snd_cwnd_cnt = 0;
		} else {
			tp->snd_cwnd_cnt++;
		}
	}
	tp->snd_cwnd_stamp = tcp_time_stamp;
}

/* The socket entered ESTABLISHED: no cached metrics in ulnet (tcp_metrics), so 3.10's
 * "reset" branch: without an RTT sample from the handshake the RTO falls back to 3 s
 * (RFC 6298 5.7); cwnd is 1 after a retransmitted SYN or SYN-ACK, else the initial
 * window (10). */
void tcp_init_metrics(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->srtt == 0) {
		tp->mdev = tp->mdev_max = tp->rttvar = TCP_TIMEOUT_FALLBACK;
		inet_csk(sk)->icsk_rto = TCP_TIMEOUT_FALLBACK;
	}
	if (tcp_rec(tp)->total_retrans > 1)
		tp->snd_cwnd = 1;
	else
		tp->snd_cwnd = tcp_init_cwnd(tp, __sk_dst_get(sk));
	tp->snd_cwnd_stamp = tcp_time_stamp;
}

/* Look for tcp options. Normally only called on SYN and SYNACK packets. But, this can also
 * be called on packets in the established flow when the fast version below fails.
 * Malformed options (length 0 or 1, or overrunning the header) end the parse: what was
 * read before stays, as 3.10. */
void tcp_parse_options(const struct sk_buff *skb, struct tcp_options_received *opt_rx,
		       int estab)
{
	const unsigned char *ptr;
	const struct tcphdr *th = tcp_hdr(skb);
	int length = (th->doff * 4) - (int)sizeof(struct tcphdr);

	ptr = (const unsigned char *)(th + 1);
	opt_rx->saw_tstamp = 0;

	while (length > 0) {
		int opcode = *ptr++;
		int opsize;

		switch (opcode) {
		case TCPOPT_EOL:
			return;
		case TCPOPT_NOP: /* Ref: RFC 793 section 3.1 */
			length--;
			continue;
		default:
			opsize = *ptr++;
			if (opsize < 2) /* "silly options" */
				return;
			if (opsize > length)
				return; /* don't parse partial options */
			switch (opcode) {
			case TCPOPT_MSS:
				if (opsize == TCPOLEN_MSS && th->syn && !estab) {
					u16 in_mss = (u16)((ptr[0] << 8) | ptr[1]);

					if (in_mss) {
						if (opt_rx->user_mss && opt_rx->user_mss < in_mss)
							in_mss = opt_rx->user_mss;
						opt_rx->mss_clamp = in_mss;
					}
				}
				break;
			case TCPOPT_WINDOW:
				if (opsize == TCPOLEN_WINDOW && th->syn && !estab &&
				    sysctl_tcp_window_scaling) {
					__u8 snd_wscale = *(const __u8 *)ptr;

					opt_rx->wscale_ok = 1;
					if (snd_wscale > 14) {
						net_info_ratelimited("%s: Illegal window scaling value %d >14 received\n",
								     __func__, snd_wscale);
						snd_wscale = 14;
					}
					opt_rx->snd_wscale = snd_wscale & 0xf;
				}
				break;
			case TCPOPT_TIMESTAMP:
				if ((opsize == TCPOLEN_TIMESTAMP) &&
				    ((estab && opt_rx->tstamp_ok) ||
				     (!estab && sysctl_tcp_timestamps))) {
					opt_rx->saw_tstamp = 1;
					opt_rx->rcv_tsval = ((u32)ptr[0] << 24) | ((u32)ptr[1] << 16) |
							    ((u32)ptr[2] << 8) | ptr[3];
					opt_rx->rcv_tsecr = ((u32)ptr[4] << 24) | ((u32)ptr[5] << 16) |
							    ((u32)ptr[6] << 8) | ptr[7];
				}
				break;
			case TCPOPT_SACK_PERM:
				if (opsize == TCPOLEN_SACK_PERM && th->syn && !estab &&
				    sysctl_tcp_sack) {
					opt_rx->sack_ok = 1;	/* TCP_SACK_SEEN */
				}
				break;
			case TCPOPT_SACK:
				if ((opsize >= (TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK)) &&
				    !((opsize - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK) &&
				    opt_rx->sack_ok) {
					/* The offset of the option in the header, for
					 * tcp_sacktag_write_queue (3.10 writes the cb of a const
					 * skb the same way). */
					TCP_SKB_CB((struct sk_buff *)skb)->sacked =
						(__u8)((ptr - 2) - (const unsigned char *)th);
				}
				break;
			default:
				break;
			}
			ptr += opsize - 2;
			length -= opsize;
		}
	}
}

/* We get here when a connection is reset by the peer (RFC 793 p. 37). */
void tcp_reset(struct sock *sk)
{
	/* We want the right error as BSD sees it (and indeed as we do). */
	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		sk->sk_err = ECONNREFUSED;
		break;
	case TCP_CLOSE_WAIT:
		sk->sk_err = EPIPE;
		break;
	case TCP_CLOSE:
		return;
	default:
		sk->sk_err = ECONNRESET;
	}
	/* This barrier is coupled with smp_rmb() in tcp_poll() */
	smp_wmb();
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_error_report(sk);
	tcp_done(sk);
}

/* Check segment sequence number for validity. Segment controls are considered valid, if
 * the segment fits to the window after truncation to the window. Acceptability of data
 * (and SYN, FIN, of course) is checked separately. See tcp_data_queue(), for example. Also,
 * controls (RST is main one) are accepted using RCV.WUP instead of RCV.NXT. Peer still did
 * not advance his SND.UNA when we delayed ACK, so that hisSND.UNA<=ourRCV.WUP. (borrowed
 * from freebsd) */
static inline bool tcp_sequence(const struct tcp_sock *tp, u32 seq, u32 end_seq)
{
	return !before(end_seq, tp->rcv_wup) && !after(seq, tp->rcv_nxt + tcp_receive_window(tp));
}

/* RFC 5961 7 [ACK Throttling] */
static void tcp_send_challenge_ack(struct sock *sk)
{
	/* unprotected vars, we dont care of overwrites */
	static u32 challenge_timestamp;
	static unsigned int challenge_count;
	u32 now = jiffies / HZ;

	if (now != challenge_timestamp) {
		challenge_timestamp = now;
		challenge_count = 0;
	}
	if (++challenge_count <= (unsigned int)sysctl_tcp_challenge_ack_limit) {
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPCHALLENGEACK);
		tcp_send_ack(sk);
	}
}

/* Fast parse options. This hopes to only see timestamps. If it is wrong it falls back on
 * tcp_parse_options(). */
static bool tcp_parse_aligned_timestamp(struct tcp_sock *tp, const struct tcphdr *th)
{
	__be32 w[3];

	/* DIVERGES: read through memcpy: a header behind a 14-byte Ethernet header without
	 * NET_IP_ALIGN is not 4-byte aligned here (3.10 dereferences the words). */
	memcpy(w, th + 1, sizeof(w));
	if (w[0] == htonl((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) | (TCPOPT_TIMESTAMP << 8) |
			  TCPOLEN_TIMESTAMP)) {
		tp->rx_opt.saw_tstamp = 1;
		tp->rx_opt.rcv_tsval = ntohl(w[1]);
		tp->rx_opt.rcv_tsecr = ntohl(w[2]);
		return true;
	}
	return false;
}

static bool tcp_fast_parse_options(const struct sk_buff *skb, const struct tcphdr *th,
				   struct tcp_sock *tp)
{
	/* In the spirit of fast parsing, compare doff directly to constant values. Because
	 * equality is used, short doff can be ignored here. */
	if (th->doff == (sizeof(*th) / 4)) {
		tp->rx_opt.saw_tstamp = 0;
		return false;
	} else if (tp->rx_opt.tstamp_ok &&
		   th->doff == ((sizeof(*th) + TCPOLEN_TSTAMP_ALIGNED) / 4)) {
		if (tcp_parse_aligned_timestamp(tp, th))
			return true;
	}
	tcp_parse_options(skb, &tp->rx_opt, 1);
	return true;
}

/* PAWS (RFC 1323 4.2): a segment whose timestamp is older than ts_recent is an old
 * duplicate, unless ts_recent is 24 days old. */
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

/* Sorry, PAWS as specified is broken wrt. pure-ACKs -DaveM. It is not fatal. If this ACK
 * does _not_ change critical state (seqs, window) it can pass through stack. So, the
 * following predicate verifies that this segment is not used for anything but congestion
 * avoidance or fast retransmit. Moreover, we even are able to eliminate most of such
 * second order effects, if we apply some small "replay" window (~RTO) to timestamp
 * space. */
static int tcp_disordered_ack(const struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct tcphdr *th = tcp_hdr(skb);
	u32 seq = TCP_SKB_CB(skb)->seq;
	u32 ack = TCP_SKB_CB(skb)->ack_seq;

	return (/* 1. Pure ACK with correct sequence number. */
		(th->ack && seq == TCP_SKB_CB(skb)->end_seq && seq == tp->rcv_nxt) &&
		/* 2. ... and duplicate ACK. */
		ack == tp->snd_una &&
		/* 3. ... and does not update window. */
		!tcp_may_update_window(tp, ack, seq, (u32)ntohs(th->window) << tp->rx_opt.snd_wscale) &&
		/* 4. ... and sits in replay window. */
		(s32)(tp->rx_opt.ts_recent - tp->rx_opt.rcv_tsval) <=
			(s32)((inet_csk(sk)->icsk_rto * 1024) / HZ));
}

static inline bool tcp_paws_discard(const struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return !tcp_paws_check(&tp->rx_opt, TCP_PAWS_WINDOW) && !tcp_disordered_ack(sk, skb);
}

/* An out-of-window or old segment: ACK what we have, at once (and D-SACK the duplicate). */
static void tcp_send_dupack(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (TCP_SKB_CB(skb)->end_seq != TCP_SKB_CB(skb)->seq &&
	    before(TCP_SKB_CB(skb)->seq, tp->rcv_nxt)) {
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_DELAYEDACKLOST);
		tcp_enter_quickack_mode(sk);

		if (tcp_is_sack(tp) && sysctl_tcp_dsack) {
			u32 end_seq = TCP_SKB_CB(skb)->end_seq;

			if (after(end_seq, tp->rcv_nxt))
				end_seq = tp->rcv_nxt;
			tcp_dsack_set(sk, TCP_SKB_CB(skb)->seq, end_seq);
		}
	}
	tcp_send_ack(sk);
}

/* Does PAWS and seqno based validation of an incoming segment, flags will play significant
 * role here. Consumes @skb when it answers false. */
static bool tcp_validate_incoming(struct sock *sk, struct sk_buff *skb, const struct tcphdr *th,
				  int syn_inerr)
{
	struct tcp_sock *tp = tcp_sk(sk);

	/* RFC1323: H1. Apply PAWS check first. */
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;

	if (tcp_fast_parse_options(skb, th, tp) && tp->rx_opt.saw_tstamp &&
	    tcp_paws_discard(sk, skb)) {
		if (!th->rst) {
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_PAWSESTABREJECTED);
			tcp_send_dupack(sk, skb);
			reason = SKB_DROP_REASON_TCP_RFC7323_PAWS;
			goto discard;
		}
		/* Reset is accepted even if it did not pass PAWS. */
	}

	/* Step 1: check sequence number */
	if (!tcp_sequence(tp, TCP_SKB_CB(skb)->seq, TCP_SKB_CB(skb)->end_seq)) {
		/* RFC793, page 37: "In all states except SYN-SENT, all reset (RST) segments
		 * are validated by checking their SEQ-fields." And page 69: "If an incoming
		 * segment is not acceptable, an acknowledgment should be sent in reply (unless
		 * the RST bit is set, if so drop the segment and return)". */
		if (!th->rst) {
			if (th->syn)
				goto syn_challenge;
			tcp_send_dupack(sk, skb);
		}
		reason = SKB_DROP_REASON_TCP_INVALID_SEQUENCE;
		goto discard;
	}

	/* Step 2: check RST bit */
	if (th->rst) {
		/* RFC 5961 3.2: If sequence number exactly matches RCV.NXT, then RESET the
		 * connection. Otherwise send a challenge ACK. */
		if (TCP_SKB_CB(skb)->seq == tp->rcv_nxt)
			tcp_reset(sk);
		else
			tcp_send_challenge_ack(sk);
		reason = SKB_DROP_REASON_TCP_RESET;
		goto discard;
	}

	/* step 3: check security and precedence [ignored] */

	/* step 4: Check for a SYN RFC 5691 4.2 : Send a challenge ack */
	if (th->syn) {
syn_challenge:
		if (syn_inerr)
			TCP_INC_STATS_BH(sock_net(sk), TCP_MIB_INERRS);
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPSYNCHALLENGE);
		tcp_send_challenge_ack(sk);
		reason = SKB_DROP_REASON_TCP_INVALID_SYN;
		goto discard;
	}
	return true;

discard:
	kfree_skb_reason(skb, reason);
	return false;
}

/* Check that window update is acceptable. The function assumes that snd_una<=ack<=snd_next. */
static inline bool tcp_may_update_window(const struct tcp_sock *tp, const u32 ack,
					 const u32 ack_seq, const u32 nwin)
{
	return after(ack, tp->snd_una) || after(ack_seq, tp->snd_wl1) ||
	       (ack_seq == tp->snd_wl1 && nwin > tp->snd_wnd);
}

/* Update our send window. Window update algorithm, described in RFC793/RFC1122 (used in
 * linux-2.2 and in FreeBSD. NetBSD's one is even worse.) is wrong. */
static int tcp_ack_update_window(struct sock *sk, const struct sk_buff *skb, u32 ack,
				 u32 ack_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int flag = 0;
	u32 nwin = ntohs(tcp_hdr(skb)->window);

	if (likely(!tcp_hdr(skb)->syn))
		nwin <<= tp->rx_opt.snd_wscale;

	if (tcp_may_update_window(tp, ack, ack_seq, nwin)) {
		flag |= FLAG_WIN_UPDATE;
		tcp_init_wl(tp, ack_seq);

		if (tp->snd_wnd != nwin) {
			tp->snd_wnd = nwin;

			/* Note, it is the only place, where fast path is recovered for sending
			 * TCP. */
			tp->pred_flags = 0;
			tcp_fast_path_check(sk);

			if (nwin > tp->max_window) {
				tp->max_window = nwin;
				tcp_sync_mss(sk, inet_csk(sk)->icsk_pmtu_cookie);
			}
		}
	}
	tp->snd_una = ack;
	return flag;
}

/* Restart the RTO. When an early-retransmit or loss-probe timer is pending in its place,
 * the RTO keeps counting from the head's last transmission (facts.md §3.8). */
void tcp_rearm_rto(struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->packets_out) {
		inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
	} else {
		u32 rto = icsk->icsk_rto;

		if ((icsk->icsk_pending == ICSK_TIME_EARLY_RETRANS ||
		     icsk->icsk_pending == ICSK_TIME_LOSS_PROBE) && tcp_write_queue_head(sk)) {
			const u32 rto_time_stamp = TCP_SKB_CB(tcp_write_queue_head(sk))->when + rto;
			s32 delta = (s32)(rto_time_stamp - tcp_time_stamp);

			/* delta may not be positive if the socket is locked when the retrans
			 * timer fires and is rescheduled. */
			if (delta > 0)
				rto = (u32)delta;
		}
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, rto, TCP_RTO_MAX);
	}
}

#define TCP_MAX_REORDERING	127

/* Reordering seen (a hole filled by an original transmission, or more dupacks than
 * packets): raise tp->reordering, the dupack threshold of tcp_time_to_recover, and leave
 * FACK (it assumes no reordering). */
static void tcp_update_reordering(struct sock *sk, const int metric, const int ts)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (metric > tp->reordering) {
		int mib_idx;

		tp->reordering = (u8)min(TCP_MAX_REORDERING, metric);

		/* This exciting event is worth to be remembered. 8) */
		if (ts)
			mib_idx = LINUX_MIB_TCPTSREORDER;
		else if (!tcp_is_sack(tp))
			mib_idx = LINUX_MIB_TCPRENOREORDER;
		else if (tp->rx_opt.sack_ok & 2)
			mib_idx = LINUX_MIB_TCPFACKREORDER;
		else
			mib_idx = LINUX_MIB_TCPSACKREORDER;
		NET_INC_STATS_BH(sock_net(sk), mib_idx);
		/* tcp_disable_fack */
		tp->rx_opt.sack_ok &= (u8)~2;
	}
	/* RFC 5827 assumes no reordering. */
	if (metric > 0)
		tcp_disable_early_retrans(tp);
}

/* ---- NewReno duplicate-ACK accounting (RFC 6582): sacked_out counts dupacks ---- */

/* Limits sacked_out so that sum with lost_out isn't ever larger than packets_out.
 * Returns true if the limit was hit (reordering). */
static bool tcp_limit_reno_sacked(struct tcp_sock *tp)
{
	struct tcp_ofo_state *rec = tp->ofo;
	u32 holes;

	/* (Without the state sacked_out is 0 and holes <= packets_out: no limit to hit.) */
	if (!rec)
		return false;
	holes = max(rec->lost_out, 1U);
	holes = min(holes, tp->packets_out);

	if ((rec->sacked_out + holes) > tp->packets_out) {
		rec->sacked_out = tp->packets_out - holes;
		return true;
	}
	return false;
}

/* Emulate SACKs for SACKless connection: account for a new dupack. */
/* If we receive more dupacks than we expected counting segments in assumption of absent
 * reordering, interpret this as reordering. The only another reason could be bug in
 * receiver TCP. */
static void tcp_check_reno_reordering(struct sock *sk, const int addend)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcp_limit_reno_sacked(tp))
		tcp_update_reordering(sk, (int)tp->packets_out + addend, 0);
}

static void tcp_add_reno_sack(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_ofo_state *rec = tcp_ofo_state_get(tp);

	/* DIVERGES: the first counted duplicate ACK allocates the loss-recovery state; without
	 * memory for it the duplicate ACK is not counted (TCPSACKDiscard, as a SACK that
	 * cannot be recorded): recovery then waits for more duplicate ACKs or the RTO. */
	if (unlikely(!rec)) {
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPSACKDISCARD);
		return;
	}
	rec->sacked_out++;
	tcp_check_reno_reordering(sk, 0);
}

/* Account for ACK, ACKing some data in Reno Recovery phase. */
static void tcp_remove_reno_sacks(struct sock *sk, int acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (acked > 0 && tp->ofo) {
		struct tcp_ofo_state *rec = tp->ofo;

		/* One ACK acked hole. The rest eat duplicate ACKs. */
		if ((u32)(acked - 1) >= rec->sacked_out)
			rec->sacked_out = 0;
		else
			rec->sacked_out -= (u32)(acked - 1);
	}
	tcp_check_reno_reordering(sk, acked);
}

static inline void tcp_reset_reno_sack(struct tcp_sock *tp)
{
	if (tp->ofo)
		tp->ofo->sacked_out = 0;
}

/* If we get here, the whole TSO packet has not been acked: trim its acked head and
 * return how many of its segments that was. */
static u32 tcp_tso_acked(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 packets_acked;

	if (WARN_ON(!after(TCP_SKB_CB(skb)->end_seq, tp->snd_una)))
		return 0;

	packets_acked = tcp_skb_pcount(skb);
	if (tcp_trim_head(sk, skb, tp->snd_una - TCP_SKB_CB(skb)->seq))
		return 0;
	packets_acked -= tcp_skb_pcount(skb);

	if (packets_acked)
		WARN_ON(!before(TCP_SKB_CB(skb)->seq, TCP_SKB_CB(skb)->end_seq));

	return packets_acked;
}

/* Remove acknowledged frames from the retransmission queue. If our packet is before the
 * ack sequence we can discard it as it's confirmed to have arrived at the other end. */
static int tcp_clean_rtx_queue(struct sock *sk, u32 prior_fackets, u32 prior_snd_una)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	u32 now = tcp_time_stamp;
	int flag = 0;
	u32 pkts_acked = 0;
	s32 seq_rtt = -1;
	s32 ca_seq_rtt = -1;
	int guard = 0;
	u32 reord = tp->packets_out;
	/* Any SACK, loss or retransmission mark on an skb means the state exists; nothing
	 * here allocates it. */
	struct tcp_ofo_state *rec = tp->ofo;

	while ((skb = tcp_write_queue_head(sk)) && skb != tcp_send_head(sk) &&
	       ++guard < 1000000) {
		struct tcp_skb_cb *scb = TCP_SKB_CB(skb);
		u8 sacked = scb->sacked;
		u32 acked_pcount;
		bool fully_acked = true;

		/* Determine how many packets and what bytes were acked, tso and else */
		if (after(scb->end_seq, tp->snd_una)) {
			if (tcp_skb_pcount(skb) == 1 || !after(tp->snd_una, scb->seq))
				break;

			acked_pcount = tcp_tso_acked(sk, skb);
			if (!acked_pcount)
				break;

			fully_acked = false;
		} else {
			acked_pcount = tcp_skb_pcount(skb);
		}

		if (sacked & TCPCB_SACKED_RETRANS) {
			if (rec)
				rec->retrans_out -= min(acked_pcount, rec->retrans_out);
			flag |= FLAG_RETRANS_DATA_ACKED;
			ca_seq_rtt = -1;
			seq_rtt = -1;
		} else {
			ca_seq_rtt = (s32)(now - scb->when);
			if (seq_rtt < 0)
				seq_rtt = ca_seq_rtt;
			if (!(sacked & (TCPCB_SACKED_ACKED | TCPCB_EVER_RETRANS)))
				reord = min(pkts_acked, reord);
			if (!(sacked & TCPCB_EVER_RETRANS) &&
			    !after(scb->end_seq, tcp_rec(tp)->high_seq))
				flag |= FLAG_ORIG_SACK_ACKED;
		}
		if (sacked & TCPCB_EVER_RETRANS)
			flag |= FLAG_RETRANS_DATA_ACKED;
		if ((sacked & TCPCB_SACKED_ACKED) && rec)
			rec->sacked_out -= min(acked_pcount, rec->sacked_out);
		if ((sacked & TCPCB_LOST) && rec)
			rec->lost_out -= min(acked_pcount, rec->lost_out);

		tp->packets_out -= min(acked_pcount, tp->packets_out);
		pkts_acked += acked_pcount;

		/* Initial outgoing SYN's get put onto the write_queue just like anything else
		 * we transmit. It is not true data, and if we misinform our callers that this
		 * ACK acks real data, we will erroneously exit connection startup slow start
		 * one packet too quickly. This is severely frowned upon behavior. */
		if (!(scb->tcp_flags & TCPHDR_SYN)) {
			flag |= FLAG_DATA_ACKED;
		} else {
			flag |= FLAG_SYN_ACKED;
			if (rec)
				rec->retrans_stamp = 0;
		}
		if (!fully_acked)
			break;

		/* sk_wmem_free_skb: the writer may be waiting for this room. */
		__skb_unlink(skb, &sk->sk_write_queue);
		sock_set_flag(sk, SOCK_QUEUE_SHRUNK);
		sk->sk_wmem_queued -= (int)skb->truesize;
		sk_mem_uncharge(sk, (int)skb->truesize);
		consume_skb(skb);
	}

	/* The urgent data is acknowledged: out of urgent mode (tcp_urg_mode). (Without an
	 * sk_rare block snd_up reads as snd_una: nothing to move.) */
	if (unlikely(sk->sk_rare) && likely(between(sk->sk_rare->snd_up, prior_snd_una,
						      tp->snd_una)))
		sk->sk_rare->snd_up = tp->snd_una;

	if (flag & FLAG_ACKED) {
		const struct tcp_congestion_ops *ca_ops = inet_csk_ca_ops(sk);

		tcp_ack_update_rtt(sk, flag, seq_rtt);
		tcp_rearm_rto(sk);

		if (tcp_sender_is_reno(tp)) {
			tcp_remove_reno_sacks(sk, (int)pkts_acked);
		} else if (rec) {
			/* Non-retransmitted hole got filled? That's reordering */
			if (reord < prior_fackets)
				tcp_update_reordering(sk, (int)(rec->fackets_out - reord), 0);
			rec->fackets_out -= min(pkts_acked, rec->fackets_out);
		}

		if (ca_ops && ca_ops->pkts_acked) {
			s32 rtt_us = -1;

			/* Is the ACK triggering packet unambiguous? */
			if (!(flag & FLAG_RETRANS_DATA_ACKED) && ca_seq_rtt >= 0)
				rtt_us = (s32)jiffies_to_usecs((unsigned long)ca_seq_rtt);
			ca_ops->pkts_acked(sk, pkts_acked, rtt_us);
		}
		inet_csk(sk)->icsk_retransmits = 0;
	}
	if (rec) {
		if (rec->sacked_out > tp->packets_out)
			rec->sacked_out = tp->packets_out;
		if (rec->lost_out > tp->packets_out)
			rec->lost_out = tp->packets_out;
	}
	return flag;
}

/* ---- Loss recovery (RFC 5681, RFC 6582 NewReno, RFC 6937 PRR) ---- */

/* Enter Loss state after RTO (RFC 5681 3.1: ssthresh, cwnd 1, everything in flight is
 * lost and goes again in slow start). The caller (tcp_retransmit_timer) has allocated the
 * loss-recovery state; without it nothing changes. */
void tcp_enter_loss(struct sock *sk, int how)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_ofo_state *rec = tcp_ofo_state_get(tp);
	struct sk_buff *skb;
	unsigned int guard = 0;
	bool new_recovery = false;

	if (unlikely(!rec))
		return;
	/* Reduce ssthresh if it has not yet been made inside this window. */
	if (icsk->icsk_ca_state <= TCP_CA_Disorder || !after(rec->high_seq, tp->snd_una) ||
	    (icsk->icsk_ca_state == TCP_CA_Loss && !icsk->icsk_retransmits)) {
		new_recovery = true;
		rec->prior_ssthresh = tcp_current_ssthresh(sk);
		tp->snd_ssthresh = tcp_ca_ssthresh(sk);
		tcp_ca_event(sk, CA_EVENT_LOSS);
	}
	tp->snd_cwnd = 1;
	tp->snd_cwnd_cnt = 0;
	tp->snd_cwnd_stamp = tcp_time_stamp;

	rec->retrans_out = 0;	/* 3.10's tcp_clear_retrans_partial */
	rec->lost_out = 0;
	rec->undo_retrans = 0;
	if (tcp_sender_is_reno(tp))
		tcp_reset_reno_sack(tp);

	rec->undo_marker = tp->snd_una;
	if (how) {
		rec->sacked_out = 0;
		rec->fackets_out = 0;
	}

	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == tcp_send_head(sk) || ++guard > 1000000)
			break;
		if (TCP_SKB_CB(skb)->sacked & (TCPCB_SACKED_RETRANS | TCPCB_EVER_RETRANS))
			rec->undo_marker = 0;
		TCP_SKB_CB(skb)->sacked &= (u8)((~TCPCB_TAGBITS) | TCPCB_SACKED_ACKED);
		if (!(TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED) || how) {
			TCP_SKB_CB(skb)->sacked &= (u8)~TCPCB_SACKED_ACKED;
			TCP_SKB_CB(skb)->sacked |= TCPCB_LOST;
			rec->lost_out += tcp_skb_pcount(skb);
			rec->retransmit_high = TCP_SKB_CB(skb)->end_seq;
		}
	}
	tp->reordering = (u8)min_t(unsigned int, tp->reordering, (unsigned int)sysctl_tcp_reordering);
	tcp_set_ca_state(sk, TCP_CA_Loss);
	rec->high_seq = tp->snd_nxt;

	/* F-RTO RFC 5682 sec 3.1 step 1: retransmit SND.UNA if no previous loss recovery is
	 * underway except recurring timeout(s) on the same SND.UNA (sec 3.2). (3.10 also
	 * disables it while an MTU probe is out; ulnet does not probe.) */
	tp->frto = sysctl_tcp_frto && (new_recovery || icsk->icsk_retransmits);
}

/* PMTU discovery lowered the MSS (tcp_v4_mtu_reduced): a router dropped every sent segment
 * longer than the new MSS, so mark those lost (unless SACKed; a retransmission of one is
 * lost too) and retransmit them now, cut to the new MSS by tcp_retransmit_skb. The
 * congestion window stays: the data in flight did not grow, only its unit shrank. A new
 * episode enters Loss with ssthresh kept at 3/4 cwnd and no undo. Context: socket locked. */
void tcp_simple_retransmit(struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int mss = tcp_current_mss(sk);
	struct tcp_ofo_state *rec = tp->ofo;
	u32 prior_lost = tcp_rec(tp)->lost_out;
	struct sk_buff *skb;
	unsigned int guard = 0;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		u8 *sacked = &TCP_SKB_CB(skb)->sacked;
		/* tcp_skb_seglen: the size of one of its segments on the wire */
		unsigned int seglen = tcp_skb_pcount(skb) == 1 ? skb->len : tcp_skb_mss(skb);

		if (skb == tcp_send_head(sk) || ++guard > 1000000)
			break;
		if (seglen <= mss || (*sacked & TCPCB_SACKED_ACKED))
			continue;
		/* DIVERGES: marking a segment lost needs the loss-recovery state; without
		 * memory for it (nothing marked yet) nothing is resent now, a failed
		 * retransmission (TCPRetransFail), and the RTO resends the segments. */
		if (unlikely(!rec)) {
			rec = tcp_ofo_state_get(tp);
			if (!rec) {
				NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPRETRANSFAIL);
				return;
			}
		}
		if (*sacked & TCPCB_SACKED_RETRANS) {
			*sacked &= (u8)~TCPCB_SACKED_RETRANS;
			rec->retrans_out -= tcp_skb_pcount(skb);
		}
		/* tcp_skb_mark_lost_uncond_verify */
		if (!(*sacked & TCPCB_LOST)) {
			if (!rec->lost_out || after(TCP_SKB_CB(skb)->end_seq, rec->retransmit_high))
				rec->retransmit_high = TCP_SKB_CB(skb)->end_seq;
			rec->lost_out += tcp_skb_pcount(skb);
			*sacked |= TCPCB_LOST;
		}
	}
	if (!rec || prior_lost == rec->lost_out)
		return;
	if (tcp_is_reno(tp))
		tcp_limit_reno_sacked(tp);

	if (icsk->icsk_ca_state != TCP_CA_Loss) {
		rec->high_seq = tp->snd_nxt;
		tp->snd_ssthresh = tcp_current_ssthresh(sk);
		rec->prior_ssthresh = 0;
		rec->undo_marker = 0;
		tcp_set_ca_state(sk, TCP_CA_Loss);
	}
	tcp_xmit_retransmit_queue(sk);
}

/* Nothing was retransmitted or returned timestamp is less than timestamp of the first
 * retransmission. */
static inline bool tcp_packet_delayed(const struct tcp_sock *tp)
{
	const struct tcp_ofo_state *rec = tcp_rec(tp);

	return !rec->retrans_stamp ||
	       (tp->rx_opt.saw_tstamp && tp->rx_opt.rcv_tsecr &&
		before(tp->rx_opt.rcv_tsecr, rec->retrans_stamp));
}

static inline bool tcp_may_undo(const struct tcp_sock *tp)
{
	const struct tcp_ofo_state *rec = tcp_rec(tp);

	return rec->undo_marker && (!rec->undo_retrans || tcp_packet_delayed(tp));
}

static void tcp_undo_cwr(struct sock *sk, const bool undo_ssthresh)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 prior_ssthresh = tcp_rec(tp)->prior_ssthresh;

	if (prior_ssthresh) {
		const struct tcp_congestion_ops *ca_ops = inet_csk_ca_ops(sk);

		if (ca_ops && ca_ops->undo_cwnd)
			tp->snd_cwnd = ca_ops->undo_cwnd(sk);
		else
			tp->snd_cwnd = max(tp->snd_cwnd, tp->snd_ssthresh << 1);
		if (undo_ssthresh && prior_ssthresh > tp->snd_ssthresh)
			tp->snd_ssthresh = prior_ssthresh;
	} else {
		tp->snd_cwnd = max(tp->snd_cwnd, tp->snd_ssthresh);
	}
	tp->snd_cwnd_stamp = tcp_time_stamp;
}

static void tcp_moderate_cwnd(struct tcp_sock *tp)
{
	tp->snd_cwnd = min(tp->snd_cwnd, tcp_packets_in_flight(tp) + 3U);
	tp->snd_cwnd_stamp = tcp_time_stamp;
}

/* People celebrate: "We love our President!" */
static bool tcp_try_undo_recovery(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcp_may_undo(tp)) {
		int mib_idx;

		/* Happy end! We did not retransmit anything or our original transmission
		 * succeeded. */
		tcp_undo_cwr(sk, true);
		if (inet_csk(sk)->icsk_ca_state == TCP_CA_Loss)
			mib_idx = LINUX_MIB_TCPLOSSUNDO;
		else
			mib_idx = LINUX_MIB_TCPFULLUNDO;
		NET_INC_STATS_BH(sock_net(sk), mib_idx);
		tp->ofo->undo_marker = 0;	/* (tcp_may_undo: it was set) */
	}
	if (tp->snd_una == tcp_rec(tp)->high_seq && tcp_sender_is_reno(tp)) {
		/* Hold old state until something *above* high_seq is ACKed. For Reno it is MUST
		 * to prevent false fast retransmits (RFC2582). SACK TCP is safe. */
		tcp_moderate_cwnd(tp);
		return true;
	}
	tcp_set_ca_state(sk, TCP_CA_Open);
	return false;
}

/* Undo during fast recovery after partial ACK. */
static bool tcp_try_undo_partial(struct sock *sk, int acked)
{
	struct tcp_sock *tp = tcp_sk(sk);
	/* Partial ACK arrived. Force Hoe's retransmit. */
	bool failed = tcp_sender_is_reno(tp) || (tcp_rec(tp)->fackets_out > tp->reordering);

	(void)acked;
	if (tcp_may_undo(tp)) {
		/* Plain luck! Hole if filled with delayed packet, rather than with a
		 * retransmit. (tcp_may_undo: the state exists.) */
		if (!tp->ofo->retrans_out)
			tp->ofo->retrans_stamp = 0;
		tcp_undo_cwr(sk, false);
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPPARTIALUNDO);
		/* So... Do not make Hoe's retransmit yet. If the first packet was delayed, the
		 * rest ones are most probably delayed as well. */
		failed = false;
	}
	return failed;
}

/* Try to undo cwnd reduction, because D-SACKs acked all retransmitted data */
static void tcp_try_undo_dsack(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcp_rec(tp)->undo_marker && !tcp_rec(tp)->undo_retrans) {
		tcp_undo_cwr(sk, true);
		tp->ofo->undo_marker = 0;
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPDSACKUNDO);
	}
}

/* Undo during loss recovery after partial ACK or using F-RTO (@frto_undo: the RTO was
 * spurious, TCPSpuriousRTOs). */
static bool tcp_try_undo_loss(struct sock *sk, bool frto_undo)
{
	struct tcp_sock *tp = tcp_sk(sk);

	/* (Loss state: the state exists.) */
	if (tp->ofo && (frto_undo || tcp_may_undo(tp))) {
		struct sk_buff *skb;
		unsigned int guard = 0;

		skb_queue_walk(&sk->sk_write_queue, skb) {
			if (skb == tcp_send_head(sk) || ++guard > 1000000)
				break;
			TCP_SKB_CB(skb)->sacked &= (u8)~TCPCB_LOST;
		}
		tp->ofo->lost_out = 0;
		tcp_undo_cwr(sk, true);
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPLOSSUNDO);
		if (frto_undo)
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPSPURIOUSRTOS);
		inet_csk(sk)->icsk_retransmits = 0;
		tp->ofo->undo_marker = 0;
		if (frto_undo || tcp_is_sack(tp))
			tcp_set_ca_state(sk, TCP_CA_Open);
		return true;
	}
	return false;
}

/* The cwnd reduction in CWR and Recovery use the PRR algorithm (RFC 6937). The caller
 * has the loss-recovery state (tcp_enter_recovery, or a TLP episode's); without it nothing
 * changes and false is returned. */
static bool tcp_init_cwnd_reduction(struct sock *sk, const bool set_ssthresh)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_ofo_state *rec = tp->ofo;

	if (WARN_ON_ONCE(!rec))
		return false;
	rec->high_seq = tp->snd_nxt;
	rec->tlp_high_seq = 0;
	tp->snd_cwnd_cnt = 0;
	rec->prior_cwnd = tp->snd_cwnd;
	rec->prr_delivered = 0;
	rec->prr_out = 0;
	if (set_ssthresh)
		tp->snd_ssthresh = tcp_ca_ssthresh(sk);
	return true;
}

/* Context: CWR or Recovery, so the loss-recovery state exists. */
static void tcp_cwnd_reduction(struct sock *sk, int newly_acked_sacked, int fast_rexmit)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_ofo_state *rec = tp->ofo;
	int sndcnt = 0;
	int delta = (int)tp->snd_ssthresh - (int)tcp_packets_in_flight(tp);

	if (WARN_ON_ONCE(!rec))
		return;
	rec->prr_delivered += (u32)newly_acked_sacked;
	if (tcp_packets_in_flight(tp) > tp->snd_ssthresh) {
		u64 dividend = (u64)tp->snd_ssthresh * rec->prr_delivered + rec->prior_cwnd - 1;

		sndcnt = (int)(dividend / (rec->prior_cwnd ? rec->prior_cwnd : 1)) -
			 (int)rec->prr_out;
	} else {
		sndcnt = min_t(int, delta,
			       max_t(int, (int)rec->prr_delivered - (int)rec->prr_out,
				     newly_acked_sacked) + 1);
	}
	sndcnt = max(sndcnt, (fast_rexmit ? 1 : 0));
	tp->snd_cwnd = tcp_packets_in_flight(tp) + (u32)max(sndcnt, 0);
}

static inline void tcp_end_cwnd_reduction(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	/* Reset cwnd to ssthresh in CWR or Recovery (unless it's undone) */
	if (inet_csk(sk)->icsk_ca_state == TCP_CA_CWR ||
	    (tcp_rec(tp)->undo_marker && tp->snd_ssthresh < TCP_INFINITE_SSTHRESH)) {
		tp->snd_cwnd = tp->snd_ssthresh;
		tp->snd_cwnd_stamp = tcp_time_stamp;
	}
	tcp_ca_event(sk, CA_EVENT_COMPLETE_CWR);
}

/* Returns false, and stays in its state, without memory for the loss-recovery state
 * (which the duplicate ACKs or SACKs that lead here have normally allocated already). */
static bool tcp_enter_recovery(struct sock *sk, bool ece_ack)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_ofo_state *rec = tcp_ofo_state_get(tp);

	if (unlikely(!rec))
		return false;
	NET_INC_STATS_BH(sock_net(sk), tcp_sender_is_reno(tp) ? LINUX_MIB_TCPRENORECOVERY
							      : LINUX_MIB_TCPSACKRECOVERY);
	rec->prior_ssthresh = 0;
	rec->undo_marker = tp->snd_una;
	rec->undo_retrans = rec->retrans_out;

	if (inet_csk(sk)->icsk_ca_state < TCP_CA_CWR) {
		if (!ece_ack)
			rec->prior_ssthresh = tcp_current_ssthresh(sk);
		tcp_init_cwnd_reduction(sk, true);
	}
	tcp_set_ca_state(sk, TCP_CA_Recovery);
	return true;
}

/* Linux NewReno/SACK/FACK/ECN state machine: Open -> (dupacks or SACKs) Disorder ->
 * (3 dupacks, or FACK beyond reordering) Recovery -> (high_seq ACKed) Open; RTO -> Loss ->
 * (high_seq ACKed) Open. */

/* Heurestics to calculate number of duplicate ACKs. There's no dupACKs counter when SACK
 * is enabled (without SACK, sacked_out is used for that purpose). */
static inline int tcp_dupack_heuristics(const struct tcp_sock *tp)
{
	return (int)(tcp_is_fack(tp) ? tcp_rec(tp)->fackets_out : tcp_rec(tp)->sacked_out + 1);
}

/* Delay early retransmit and entering fast recovery for max(RTT/4, 2 ms) when the
 * receiver shows no reordering (RFC 5827 mitigation A.3; facts.md §3.8): only for
 * tcp_early_retrans 2 and 3, with an RTT sample, and when the RTO fires later. */
static bool tcp_pause_early_retransmit(struct sock *sk, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned long delay;

	if (sysctl_tcp_early_retrans < 2 || sysctl_tcp_early_retrans > 3 ||
	    (flag & FLAG_ECE) || !tp->srtt)
		return false;

	delay = max_t(unsigned long, (tp->srtt >> 5), msecs_to_jiffies(2));
	if (!time_after(inet_csk_deadline(inet_csk(sk)->icsk_timeout), (jiffies + delay)))
		return false;

	inet_csk_reset_xmit_timer(sk, ICSK_TIME_EARLY_RETRANS, delay, TCP_RTO_MAX);
	return true;
}

static bool tcp_time_to_recover(struct sock *sk, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const struct tcp_ofo_state *rec = tcp_rec(tp);
	u32 packets_out;

	/* Trick#1: The loss is proven. */
	if (rec->lost_out)
		return true;
	/* Not-A-Trick#2 : Classic rule... */
	if (tcp_dupack_heuristics(tp) > (int)tp->reordering)
		return true;

	/* Trick#4: It is still not OK... But will it be useful to delay recovery more? */
	packets_out = tp->packets_out;
	if (packets_out <= tp->reordering &&
	    rec->sacked_out >= max_t(u32, packets_out / 2, (u32)sysctl_tcp_reordering) &&
	    !tcp_may_send_now(sk)) {
		/* We have nothing to send. This connection is limited either by receiver
		 * window or by application. */
		return true;
	}

	/* Trick#6: TCP early retransmit, per RFC 5827. To avoid spurious retransmissions
	 * due to small network reorderings, mitigation A.3 delays the retransmission for a
	 * short interval if appropriate. (No thin-stream rule: tcp_thin_dupack is 0 and
	 * ulnet has no TCP_THIN_DUPACK.) */
	if (tp->do_early_retrans && !rec->retrans_out && rec->sacked_out &&
	    (tp->packets_out >= (rec->sacked_out + 1) && tp->packets_out < 4) &&
	    !tcp_may_send_now(sk))
		return !tcp_pause_early_retransmit(sk, flag);
	return false;
}

/* Mark the head of the queue lost: up to @packets segments (counted from the head,
 * SACKed ones included as FACK counts them), only the head when @mark_head. Without SACK
 * (NewReno) the hole a dupack points at is the head. */
static void tcp_mark_head_lost(struct sock *sk, int packets, int mark_head)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_ofo_state *rec = tp->ofo;
	struct sk_buff *skb;
	int cnt = 0, oldcnt;
	unsigned int guard = 0;
	/* Use SACK to deduce losses of new sequences sent during recovery */
	const u32 loss_high = tcp_is_sack(tp) ? tp->snd_nxt : tcp_rec(tp)->high_seq;

	/* Context: Recovery (or entering it), so the loss-recovery state exists. */
	if (WARN_ON_ONCE(!rec))
		return;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == tcp_send_head(sk) || ++guard > 1000000)
			break;
		if (after(TCP_SKB_CB(skb)->end_seq, loss_high))
			break;
		oldcnt = cnt;
		if (tcp_is_fack(tp) || tcp_sender_is_reno(tp) ||
		    (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED))
			cnt += (int)tcp_skb_pcount(skb);
		if (cnt > packets) {
			unsigned int mss;

			/* Only part of a TSO skb is lost: split it at the count. */
			if ((tcp_is_sack(tp) && !tcp_is_fack(tp)) ||
			    (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED) || oldcnt >= packets)
				break;
			mss = skb_shinfo(skb)->gso_size;
			if (!mss ||
			    tcp_fragment(sk, skb, (u32)(packets - oldcnt) * mss, mss) < 0)
				break;
			cnt = packets;
		}
		if (!(TCP_SKB_CB(skb)->sacked & (TCPCB_SACKED_ACKED | TCPCB_LOST))) {
			/* tcp_verify_retransmit_hint: lost marks may go up to here. */
			if (!rec->lost_out || after(TCP_SKB_CB(skb)->end_seq, rec->retransmit_high))
				rec->retransmit_high = TCP_SKB_CB(skb)->end_seq;
			rec->lost_out += tcp_skb_pcount(skb);
			TCP_SKB_CB(skb)->sacked |= TCPCB_LOST;
		}
		if (mark_head)
			break;
	}
}

/* Account newly detected lost packet(s) */
static void tcp_update_scoreboard(struct sock *sk, int fast_rexmit)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcp_sender_is_reno(tp)) {
		tcp_mark_head_lost(sk, 1, 1);
	} else if (tcp_is_fack(tp)) {
		int lost = (int)tcp_rec(tp)->fackets_out - (int)tp->reordering;

		if (lost <= 0)
			lost = 1;
		tcp_mark_head_lost(sk, lost, 0);
	} else {
		int sacked_upto = (int)tcp_rec(tp)->sacked_out - (int)tp->reordering;

		if (sacked_upto >= 0)
			tcp_mark_head_lost(sk, sacked_upto, 0);
		else if (fast_rexmit)
			tcp_mark_head_lost(sk, 1, 1);
	}
}

/* The early-retransmit timer fired (Context: timer, socket not owned): the delayed
 * fast retransmit of RFC 5827, unless ER was disabled meanwhile (reordering seen). */
void tcp_resume_early_retransmit(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tcp_rearm_rto(sk);

	/* Stop if ER is disabled after the delayed ER timer is scheduled */
	if (!tp->do_early_retrans)
		return;

	if (!tcp_enter_recovery(sk, false))
		return;
	tcp_update_scoreboard(sk, 1);
	tcp_xmit_retransmit_queue(sk);
}

/* ---- the SACK scoreboard (RFC 2018, RFC 2883 D-SACK) ---- */

/* SACK block range validation checks that the received SACK block fits to the expected
 * sequence limits, i.e., it is between SND.UNA and SND.NXT. */
static bool tcp_is_sackblock_valid(const struct tcp_sock *tp, bool is_dsack, u32 start_seq,
				   u32 end_seq)
{
	/* Too far in future, or reversed (interpretation is ambiguous) */
	if (after(end_seq, tp->snd_nxt) || !before(start_seq, end_seq))
		return false;
	/* Nasty start_seq wrap-around check (see comments above) */
	if (!before(start_seq, tp->snd_nxt))
		return false;
	/* In outstanding window? ...This is valid exit for D-SACKs too. start_seq == snd_una
	 * is non-sensical (see comments above) */
	if (after(start_seq, tp->snd_una))
		return true;
	if (!is_dsack || !tcp_rec(tp)->undo_marker)
		return false;
	/* ...Then it's D-SACK, and must reside below snd_una completely */
	if (after(end_seq, tp->snd_una))
		return false;
	if (!before(start_seq, tcp_rec(tp)->undo_marker))
		return true;
	/* Too old */
	if (!after(end_seq, tcp_rec(tp)->undo_marker))
		return false;
	/* Undo_marker boundary crossing (overestimates a lot). Known already: start_seq <
	 * undo_marker and end_seq >= undo_marker. */
	return true;
}

static bool tcp_check_dsack(struct sock *sk, const struct tcp_sack_block *sp, int num_sacks,
			    u32 prior_snd_una)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 start_seq_0 = sp[0].start_seq;
	u32 end_seq_0 = sp[0].end_seq;
	bool dup_sack = false;

	if (before(start_seq_0, tp->snd_una)) {
		dup_sack = true;
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPDSACKRECV);
	} else if (num_sacks > 1) {
		u32 end_seq_1 = sp[1].end_seq;
		u32 start_seq_1 = sp[1].start_seq;

		if (!after(end_seq_0, end_seq_1) && !before(start_seq_0, start_seq_1)) {
			dup_sack = true;
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPDSACKOFORECV);
		}
	}

	/* D-SACK for already forgotten data... Do dumb counting. (undo_marker set: the
	 * state exists.) */
	if (dup_sack && tcp_rec(tp)->undo_marker && tcp_rec(tp)->undo_retrans &&
	    !after(end_seq_0, prior_snd_una) && after(end_seq_0, tcp_rec(tp)->undo_marker))
		tp->ofo->undo_retrans--;
	return dup_sack;
}

/* Check if the skb is fully within the SACK block. In that case it is simply tagged; a TSO
 * skb only partly covered is split at a segment boundary first, so that SACKs cover only
 * full MSSes and/or the remaining small portion. Returns 1 in the block, 0 not, <0 error. */
static int tcp_match_skb_to_sack(struct sock *sk, struct sk_buff *skb, u32 start_seq,
				 u32 end_seq)
{
	int err;
	bool in_sack;
	unsigned int pkt_len;
	unsigned int mss;

	in_sack = !after(start_seq, TCP_SKB_CB(skb)->seq) &&
		  !before(end_seq, TCP_SKB_CB(skb)->end_seq);

	if (tcp_skb_pcount(skb) > 1 && !in_sack &&
	    after(TCP_SKB_CB(skb)->end_seq, start_seq)) {
		mss = tcp_skb_mss(skb);
		in_sack = !after(start_seq, TCP_SKB_CB(skb)->seq);

		if (!in_sack) {
			pkt_len = start_seq - TCP_SKB_CB(skb)->seq;
			if (pkt_len < mss)
				pkt_len = mss;
		} else {
			pkt_len = end_seq - TCP_SKB_CB(skb)->seq;
			if (pkt_len < mss)
				return -EINVAL;
		}

		/* Round if necessary so that SACKs cover only full MSSes and/or the remaining
		 * small portion (if present) */
		if (pkt_len > mss) {
			unsigned int new_len = (pkt_len / mss) * mss;

			if (!in_sack && new_len < pkt_len) {
				new_len += mss;
				if (new_len >= skb->len)
					return 0;
			}
			pkt_len = new_len;
		}
		if (pkt_len >= skb->len)
			return in_sack;
		err = tcp_fragment(sk, skb, pkt_len, mss);
		if (err < 0)
			return err;
	}

	return in_sack;
}

/* Mark the segments of the write queue that @sp covers as SACKed; a TSO skb partly covered
 * is split first (tcp_match_skb_to_sack). DIVERGES: no shifting or merging of SACKed skbs
 * (tcp_shift_skb_data, TCPSACKShifted/Merged): split skbs stay split. */
static int tcp_sacktag_one_block(struct sock *sk, const struct tcp_sack_block *sp,
				 bool dup_sack, u32 *fack_count_out, u32 prior_fackets, u32 *reord)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_ofo_state *rec = tp->ofo;	/* tcp_sacktag_write_queue allocated it */
	struct sk_buff *skb;
	int flag = 0, in_sack;
	u32 fack_count = 0;
	unsigned int guard = 0;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct tcp_skb_cb *scb = TCP_SKB_CB(skb);
		u8 sacked = scb->sacked;

		if (skb == tcp_send_head(sk) || ++guard > 1000000)
			break;
		/* Walk only the affected range. */
		if (!after(scb->end_seq, sp->start_seq)) {
			fack_count += tcp_skb_pcount(skb);
			continue;
		}
		if (!before(scb->seq, sp->end_seq))
			break;
		in_sack = tcp_match_skb_to_sack(sk, skb, sp->start_seq, sp->end_seq);
		if (in_sack < 0)
			break;
		/* The split may have cut this skb: count what is left of it. */
		fack_count += tcp_skb_pcount(skb);
		sacked = scb->sacked;
		if (!in_sack)
			continue;	/* partial */

		if (dup_sack && (sacked & TCPCB_SACKED_RETRANS)) {
			if (rec->undo_marker && rec->undo_retrans &&
			    after(scb->end_seq, rec->undo_marker))
				rec->undo_retrans--;
		}
		if (sacked & TCPCB_SACKED_ACKED)
			continue;

		if (sacked & TCPCB_SACKED_RETRANS) {
			/* If the segment is not tagged as lost, we do not clear RETRANS,
			 * believing that retransmission is still in flight. */
			if (sacked & TCPCB_LOST) {
				scb->sacked &= (u8)~(TCPCB_LOST | TCPCB_SACKED_RETRANS);
				rec->lost_out -= tcp_skb_pcount(skb);
				rec->retrans_out -= tcp_skb_pcount(skb);
			}
		} else if (sacked & TCPCB_LOST) {
			scb->sacked &= (u8)~TCPCB_LOST;
			rec->lost_out -= tcp_skb_pcount(skb);
		}
		/* New SACK for a never retransmitted segment below the highest SACKed one: it
		 * was in a hole, that is reordering. */
		if (!(sacked & (TCPCB_SACKED_RETRANS | TCPCB_EVER_RETRANS)) &&
		    fack_count < prior_fackets)
			*reord = min(fack_count, *reord);
		/* F-RTO: never retransmitted data below high_seq reached the peer. */
		if (!(sacked & (TCPCB_SACKED_RETRANS | TCPCB_EVER_RETRANS)) &&
		    !after(scb->end_seq, rec->high_seq))
			flag |= FLAG_ORIG_SACK_ACKED;
		scb->sacked |= TCPCB_SACKED_ACKED;
		flag |= FLAG_DATA_SACKED;
		rec->sacked_out += tcp_skb_pcount(skb);
		if (fack_count > *fack_count_out)
			*fack_count_out = fack_count;
	}
	return flag;
}

/* The end of the highest SACKed segment (snd_una when nothing is SACKed).
 * DIVERGES: 3.10 keeps tp->highest_sack; ulnet walks the write queue. */
u32 tcp_highest_sack_seq(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	u32 seq = tp->snd_una;
	unsigned int guard = 0;

	if (!tcp_rec(tp)->sacked_out)
		return seq;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == tcp_send_head(sk) || ++guard > 1000000)
			break;
		if (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED)
			seq = TCP_SKB_CB(skb)->end_seq;
	}
	return seq;
}

/* Check for lost retransmit. A retransmission is known lost when the receiver SACKs data
 * sent after it (its ack_seq holds snd_nxt at the time of the retransmission): mark it
 * lost again so that it goes once more (TCPLostRetransmit). FACK and Recovery only, as
 * 3.10. */
static void tcp_mark_lost_retrans(struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_ofo_state *rec = tp->ofo;
	struct sk_buff *skb;
	u32 cnt = 0;
	u32 new_low_seq = tp->snd_nxt;
	u32 received_upto;
	unsigned int guard = 0;

	if (!rec || !tcp_is_fack(tp) || !rec->retrans_out ||
	    icsk->icsk_ca_state != TCP_CA_Recovery)
		return;
	received_upto = tcp_highest_sack_seq(sk);
	if (!after(received_upto, rec->lost_retrans_low))
		return;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		u32 ack_seq = TCP_SKB_CB(skb)->ack_seq;

		if (skb == tcp_send_head(sk) || ++guard > 1000000)
			break;
		if (cnt == rec->retrans_out)
			break;
		if (!after(TCP_SKB_CB(skb)->end_seq, tp->snd_una))
			continue;
		if (!(TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_RETRANS))
			continue;

		if (after(received_upto, ack_seq)) {
			TCP_SKB_CB(skb)->sacked &= (u8)~TCPCB_SACKED_RETRANS;
			rec->retrans_out -= tcp_skb_pcount(skb);
			/* tcp_skb_mark_lost_uncond_verify */
			if (!(TCP_SKB_CB(skb)->sacked & (TCPCB_LOST | TCPCB_SACKED_ACKED))) {
				if (!rec->lost_out ||
				    after(TCP_SKB_CB(skb)->end_seq, rec->retransmit_high))
					rec->retransmit_high = TCP_SKB_CB(skb)->end_seq;
				rec->lost_out += tcp_skb_pcount(skb);
				TCP_SKB_CB(skb)->sacked |= TCPCB_LOST;
			}
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPLOSTRETRANSMIT);
		} else {
			if (before(ack_seq, new_low_seq))
				new_low_seq = ack_seq;
			cnt += tcp_skb_pcount(skb);
		}
	}

	if (rec->retrans_out)
		rec->lost_retrans_low = new_low_seq;
}

/* Process the SACK blocks of an ACK: at most TCP_NUM_SACKS, each checked against
 * snd_una..snd_nxt (a D-SACK may sit below snd_una), then tagged on the write queue. */
static int tcp_sacktag_write_queue(struct sock *sk, const struct sk_buff *ack_skb,
				   u32 prior_snd_una)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const unsigned char *ptr = (skb_transport_header(ack_skb) + TCP_SKB_CB(ack_skb)->sacked);
	struct tcp_sack_block sp[TCP_NUM_SACKS];
	int num_sacks = min(TCP_NUM_SACKS, (ptr[1] - TCPOLEN_SACK_BASE) >> 3);
	bool found_dup_sack;
	int i, flag = 0;
	u32 fack = 0;
	const u32 prior_fackets = tcp_rec(tp)->fackets_out;
	u32 reord = tp->packets_out;
	struct tcp_ofo_state *rec;

	for (i = 0; i < num_sacks; i++) {
		__be32 w[2];

		memcpy(w, ptr + 2 + i * TCPOLEN_SACK_PERBLOCK, sizeof(w));
		sp[i].start_seq = ntohl(w[0]);
		sp[i].end_seq = ntohl(w[1]);
	}
	if (num_sacks <= 0)
		return 0;

	found_dup_sack = tcp_check_dsack(sk, sp, num_sacks, prior_snd_una);
	if (found_dup_sack)
		flag |= FLAG_DSACKING_ACK;

	if (!tp->packets_out)
		return flag;

	for (i = 0; i < num_sacks; i++) {
		bool dup_sack = !i && found_dup_sack;

		if (!tcp_is_sackblock_valid(tp, dup_sack, sp[i].start_seq, sp[i].end_seq)) {
			int mib_idx;

			if (dup_sack) {
				if (!tcp_rec(tp)->undo_marker)
					mib_idx = LINUX_MIB_TCPDSACKIGNOREDNOUNDO;
				else
					mib_idx = LINUX_MIB_TCPDSACKIGNOREDOLD;
			} else {
				/* Don't count olds caused by ACK reordering */
				if ((TCP_SKB_CB(ack_skb)->ack_seq != tp->snd_una) &&
				    !after(sp[i].end_seq, tp->snd_una))
					continue;
				mib_idx = LINUX_MIB_TCPSACKDISCARD;
			}
			NET_INC_STATS_BH(sock_net(sk), mib_idx);
			continue;
		}
		/* Ignore very old stuff early */
		if (!after(sp[i].end_seq, prior_snd_una))
			continue;
		/* DIVERGES: the scoreboard lives in the loss-recovery state, allocated by the
		 * first SACK block to record; without memory for it the block is discarded
		 * (TCPSACKDiscard) and the ACK counts as a plain cumulative one: the sender
		 * falls back to duplicate ACK counting and the RTO, as without SACK. */
		if (unlikely(!tcp_ofo_state_get(tp))) {
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPSACKDISCARD);
			continue;
		}
		flag |= tcp_sacktag_one_block(sk, &sp[i], dup_sack, &fack, prior_fackets, &reord);
	}
	rec = tp->ofo;
	if (!rec)
		return flag;
	if (fack > rec->fackets_out)
		rec->fackets_out = fack;
	if (reord < rec->fackets_out &&
	    (inet_csk(sk)->icsk_ca_state != TCP_CA_Loss || rec->undo_marker))
		tcp_update_reordering(sk, (int)(rec->fackets_out - reord), 0);
	tcp_mark_lost_retrans(sk);
	if (rec->sacked_out > tp->packets_out)
		rec->sacked_out = tp->packets_out;
	return flag;
}

/* Anything retransmitted still in flight, or a retransmitted head? */
static bool tcp_any_retrans_done(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	if (tcp_rec(tp)->retrans_out)
		return true;
	skb = tcp_write_queue_head(sk);
	if (unlikely(skb && skb != tcp_send_head(sk) &&
		     (TCP_SKB_CB(skb)->sacked & TCPCB_EVER_RETRANS)))
		return true;
	return false;
}

/* tcp_try_keep_open: Disorder while SACKed/lost segments or retransmissions remain. */
static void tcp_try_keep_open(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int state = TCP_CA_Open;

	if (tcp_rec(tp)->sacked_out || tcp_rec(tp)->lost_out || tcp_any_retrans_done(sk))
		state = TCP_CA_Disorder;

	/* (Disorder needs a SACK, a loss or a retransmission, and the state it left was not
	 * Open: either way the loss-recovery state exists.) */
	if (inet_csk(sk)->icsk_ca_state != state && tp->ofo) {
		tcp_set_ca_state(sk, (u8)state);
		tp->ofo->high_seq = tp->snd_nxt;
	}
}

static void tcp_try_to_open(struct sock *sk, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);

	(void)flag;	/* (FLAG_ECE: ulnet negotiates no ECN) */
	if (!tcp_any_retrans_done(sk) && tp->ofo)
		tp->ofo->retrans_stamp = 0;
	if (inet_csk(sk)->icsk_ca_state != TCP_CA_CWR) {
		tcp_try_keep_open(sk);
		if (inet_csk(sk)->icsk_ca_state != TCP_CA_Open)
			tcp_moderate_cwnd(tp);
	}
}

/* Process an ACK in CA_Loss state. Move to CA_Open if lost data are recovered or
 * spurious. Otherwise retransmits more on partial ACKs. With tp->frto (tcp_frto, set by
 * tcp_enter_loss) this is RFC 5682's SACK-enhanced F-RTO: the first ACK after the RTO
 * that advances snd_una sends new data instead of retransmitting (step 2.b); an ACK or
 * SACK of never-retransmitted data then proves the timeout spurious (step 3.b: undo,
 * TCPSpuriousRTOs), a duplicate ACK or SACK above high_seq proves the loss (3.a). */
static void tcp_process_loss(struct sock *sk, int flag, bool is_dupack)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	/* Loss state: tcp_enter_loss had the loss-recovery state. */
	struct tcp_ofo_state *rec = tp->ofo;
	bool recovered;

	if (WARN_ON_ONCE(!rec))
		return;
	recovered = !before(tp->snd_una, rec->high_seq);
	if (tp->frto) { /* F-RTO RFC5682 sec 3.1 (sack enhanced version). */
		if (flag & FLAG_ORIG_SACK_ACKED) {
			/* Step 3.b. A timeout is spurious if not all data are lost, i.e.,
			 * never-retransmitted data are (s)acked. */
			tcp_try_undo_loss(sk, true);
			return;
		}
		if (after(tp->snd_nxt, rec->high_seq) &&
		    ((flag & FLAG_DATA_SACKED) || is_dupack)) {
			tp->frto = 0; /* Loss was real: 2nd part of step 3.a */
		} else if ((flag & FLAG_SND_UNA_ADVANCED) && !recovered) {
			rec->high_seq = tp->snd_nxt;
			__tcp_push_pending_frames(sk, tcp_current_mss(sk), TCP_NAGLE_OFF);
			if (after(tp->snd_nxt, rec->high_seq))
				return; /* Step 2.b */
			tp->frto = 0;
		}
	}

	if (recovered) {
		/* F-RTO RFC5682 sec 3.1 step 2.a and 1st part of step 3.a */
		icsk->icsk_retransmits = 0;
		tcp_try_undo_recovery(sk);
		return;
	}
	if (flag & FLAG_DATA_ACKED)
		icsk->icsk_retransmits = 0;
	if (tcp_sender_is_reno(tp)) {
		/* A Reno DUPACK means new data in F-RTO step 2.b above are delivered. Lower
		 * inflight to clock out (re)tranmissions. */
		if (after(tp->snd_nxt, rec->high_seq) && is_dupack)
			tcp_add_reno_sack(sk);
		else if (flag & FLAG_SND_UNA_ADVANCED)
			tcp_reset_reno_sack(tp);
	}
	if (tcp_try_undo_loss(sk, false))
		return;
	tcp_xmit_retransmit_queue(sk);
}

/* Process an event, which can update packets-in-flight not trivially. Main goal of this
 * function is to calculate new estimate for left_out, taking into account both packets
 * sitting in receiver's buffer and packets lost by network. Besides that it does CWND
 * reduction, when packet loss is detected and changes state of machine. It does _not_
 * decide what to send, it is made in function tcp_xmit_retransmit_queue(). */
static void tcp_fastretrans_alert(struct sock *sk, int pkts_acked, int prior_sacked,
				  bool is_dupack, int flag)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	/* As 3.10: a SACK that brings the forward-most SACKed segment beyond the
	 * reordering degree also runs the loss marking, not only a duplicate ACK (a
	 * partial ACK carrying new SACK blocks). */
	bool do_lost = is_dupack || ((flag & FLAG_DATA_SACKED) &&
				     (tcp_fackets_out(tp) > tp->reordering));
	int fast_rexmit = 0;
	int newly_acked_sacked = pkts_acked + (int)tcp_rec(tp)->sacked_out - prior_sacked;

	/* (Writes of 0 need no loss-recovery state: without it the fields are 0. Every state
	 * but Open has it.) */
	if (!tp->packets_out && tp->ofo)
		tp->ofo->sacked_out = 0;
	if ((flag & FLAG_ECE) && tp->ofo)
		tp->ofo->prior_ssthresh = 0;

	/* D. Check state exit conditions. State can be terminated when high_seq is ACKed. */
	if (icsk->icsk_ca_state == TCP_CA_Open) {
		if (!tcp_rec(tp)->retrans_out && tp->ofo)
			tp->ofo->retrans_stamp = 0;
	} else if (!before(tp->snd_una, tcp_rec(tp)->high_seq)) {
		switch (icsk->icsk_ca_state) {
		case TCP_CA_CWR:
			/* CWR is to be held something *above* high_seq is ACKed for CWR bit to
			 * reach receiver. */
			if (tp->snd_una != tcp_rec(tp)->high_seq) {
				tcp_end_cwnd_reduction(sk);
				tcp_set_ca_state(sk, TCP_CA_Open);
			}
			break;
		case TCP_CA_Recovery:
			if (tcp_sender_is_reno(tp))
				tcp_reset_reno_sack(tp);
			if (tcp_try_undo_recovery(sk))
				return;
			tcp_end_cwnd_reduction(sk);
			break;
		}
	}

	/* E. Process state. */
	switch (icsk->icsk_ca_state) {
	case TCP_CA_Recovery:
		if (!(flag & FLAG_SND_UNA_ADVANCED)) {
			if (tcp_sender_is_reno(tp) && is_dupack)
				tcp_add_reno_sack(sk);
		} else {
			do_lost = tcp_try_undo_partial(sk, pkts_acked);
		}
		break;
	case TCP_CA_Loss:
		tcp_process_loss(sk, flag, is_dupack);
		if (icsk->icsk_ca_state != TCP_CA_Open)
			return;
		/* Fall through to processing in Open state. */
		/* fall through */
	default:
		if (tcp_sender_is_reno(tp)) {
			if (flag & FLAG_SND_UNA_ADVANCED)
				tcp_reset_reno_sack(tp);
			if (is_dupack)
				tcp_add_reno_sack(sk);
		}
		if (icsk->icsk_ca_state <= TCP_CA_Disorder)
			tcp_try_undo_dsack(sk);

		if (!tcp_time_to_recover(sk, flag)) {
			tcp_try_to_open(sk, flag);
			return;
		}
		/* Otherwise enter Recovery state */
		if (!tcp_enter_recovery(sk, (flag & FLAG_ECE)))
			return;
		fast_rexmit = 1;
	}

	if (do_lost)
		tcp_update_scoreboard(sk, fast_rexmit);
	tcp_cwnd_reduction(sk, newly_acked_sacked, fast_rexmit);
	tcp_xmit_retransmit_queue(sk);
}

/* The ACK opened a zero window: stop or re-arm the persist timer. */
static void tcp_ack_probe(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);

	/* Was it a usable window open? */
	if (!after(TCP_SKB_CB(tcp_send_head(sk))->end_seq, tcp_wnd_end(tp))) {
		icsk->icsk_backoff = 0;
		inet_csk_clear_xmit_timer(sk, ICSK_TIME_PROBE0);
		/* Socket must be waked up by subsequent tcp_data_snd_check(). This function is
		 * not for random using! */
	} else {
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0,
					  min((unsigned long)icsk->icsk_rto << icsk->icsk_backoff,
					      (unsigned long)TCP_RTO_MAX),
					  TCP_RTO_MAX);
	}
}

static inline bool tcp_ack_is_dubious(const struct sock *sk, const int flag)
{
	return !(flag & FLAG_NOT_DUP) || (flag & FLAG_CA_ALERT) ||
	       inet_csk(sk)->icsk_ca_state != TCP_CA_Open;
}

static inline bool tcp_may_raise_cwnd(const struct sock *sk, const int flag)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return (!(flag & FLAG_ECE) || tp->snd_cwnd < tp->snd_ssthresh) &&
	       !tcp_in_cwnd_reduction(sk);
}

/* PAWS (RFC 1323): the timestamp the peer sent last, when it is in window. */
static inline void tcp_store_ts_recent(struct tcp_sock *tp)
{
	tp->rx_opt.ts_recent = tp->rx_opt.rcv_tsval;
	tp->rx_opt.ts_recent_stamp = (u32)get_seconds();
}

static inline void tcp_replace_ts_recent(struct tcp_sock *tp, u32 seq)
{
	if (tp->rx_opt.saw_tstamp && !after(seq, tp->rcv_wup)) {
		/* PAWS bug workaround wrt. ACK frames, the PAWS discard extra check below
		 * makes sure this can only happen for pure ACK frames. -DaveM Not only, also it
		 * occurs for expired timestamps. */
		if ((s32)(tp->rx_opt.rcv_tsval - tp->rx_opt.ts_recent) >= 0 ||
		    get_seconds() >= (unsigned long)tp->rx_opt.ts_recent_stamp + TCP_PAWS_24DAYS)
			tcp_store_ts_recent(tp);
	}
}

/* An ACK during a tail-loss-probe episode (draft-dukkipati-tcpm-tcp-loss-probe): a
 * duplicate ACK of exactly tlp_high_seq means the probe only repaired nothing (the
 * original and the probe both arrived); an ACK beyond it, without a D-SACK for the
 * probe, means the probe repaired a real loss: reduce cwnd once (CWR), count
 * TCPLossProbeRecovery. */
static void tcp_process_tlp_ack(struct sock *sk, u32 ack, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	/* A TLP episode (tlp_high_seq set): the loss-recovery state exists. */
	struct tcp_ofo_state *rec = tp->ofo;
	bool is_tlp_dupack = (ack == rec->tlp_high_seq) &&
			     !(flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP | FLAG_DATA_SACKED));

	/* Mark the end of TLP episode on receiving TLP dupack or when ack is after
	 * tlp_high_seq. */
	if (is_tlp_dupack) {
		rec->tlp_high_seq = 0;
		return;
	}

	if (after(ack, rec->tlp_high_seq)) {
		rec->tlp_high_seq = 0;
		/* Don't reduce cwnd if DSACK arrives for TLP retrans. */
		if (!(flag & FLAG_DSACKING_ACK) && tcp_init_cwnd_reduction(sk, true)) {
			tcp_set_ca_state(sk, TCP_CA_CWR);
			tcp_end_cwnd_reduction(sk);
			tcp_set_ca_state(sk, TCP_CA_Open);
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPLOSSPROBERECOVERY);
		}
	}
}

/* This routine deals with incoming acks, but not outgoing ones. Returns > 0 for an
 * acceptable ACK, 0 for an old one, < 0 for one that acks what was never sent. */
static int tcp_ack(struct sock *sk, const struct sk_buff *skb, int flag)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 prior_snd_una = tp->snd_una;
	u32 ack_seq = TCP_SKB_CB(skb)->seq;
	u32 ack = TCP_SKB_CB(skb)->ack_seq;
	bool is_dupack = false;
	u32 prior_in_flight;
	u32 prior_packets = tp->packets_out;
	/* Sampled before this ACK's SACK blocks move it: a hole filled below the SACKs
	 * that were already known is reordering, one below new SACKs is not. */
	u32 prior_fackets = tcp_rec(tp)->fackets_out;
	int prior_sacked = (int)tcp_rec(tp)->sacked_out;
	int pkts_acked = 0;
	u32 previous_packets_out;

	/* If the ack is older than previous acks then we can probably ignore it. */
	if (before(ack, prior_snd_una)) {
		/* If data was SACKed, tag it and see if we should send more data. */
		if (TCP_SKB_CB(skb)->sacked && tcp_is_sack(tp)) {
			/* (also with nothing in flight: a D-SACK below snd_una may undo the
			 * last reduction, TCPDSACKUndo, as 3.10) */
			flag |= tcp_sacktag_write_queue(sk, skb, prior_snd_una);
			tcp_fastretrans_alert(sk, 0, prior_sacked, false, flag);
		}
		return 0;
	}

	/* If the ack includes data we haven't sent yet, discard this segment (RFC793
	 * Section 3.9). */
	if (after(ack, tp->snd_nxt))
		return -1;

	/* Any ACK cancels a pending early retransmit or loss probe: the RTO comes back
	 * (and the ER / probe may be scheduled again below). */
	if (icsk->icsk_pending == ICSK_TIME_EARLY_RETRANS ||
	    icsk->icsk_pending == ICSK_TIME_LOSS_PROBE)
		tcp_rearm_rto(sk);

	if (after(ack, prior_snd_una))
		flag |= FLAG_SND_UNA_ADVANCED;

	prior_in_flight = tcp_packets_in_flight(tp);

	/* ts_recent update must be made after we are sure that the packet is in window. */
	if (flag & FLAG_UPDATE_TS_RECENT)
		tcp_replace_ts_recent(tp, TCP_SKB_CB(skb)->seq);

	if (!(flag & FLAG_SLOWPATH) && after(ack, prior_snd_una)) {
		/* Window is constant, pure forward advance. No more checks are required. Note,
		 * we use the fact that SND.UNA>=SND.WL2. */
		tcp_init_wl(tp, ack_seq);
		tp->snd_una = ack;
		flag |= FLAG_WIN_UPDATE;
		tcp_ca_event(sk, CA_EVENT_FAST_ACK);
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPHPACKS);
	} else {
		if (ack_seq != TCP_SKB_CB(skb)->end_seq)
			flag |= FLAG_DATA;
		else
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPPUREACKS);

		flag |= tcp_ack_update_window(sk, skb, ack, ack_seq);

		if (TCP_SKB_CB(skb)->sacked)
			flag |= tcp_sacktag_write_queue(sk, skb, prior_snd_una);

		tcp_ca_event(sk, CA_EVENT_SLOW_ACK);
	}

	/* We passed data and got it acked, remove any soft error log. Something worked... */
	sk->sk_err_soft = 0;
	icsk->icsk_probes_out = 0;
	tp->rcv_tstamp = tcp_time_stamp;
	if (!prior_packets)
		goto no_queue;

	/* See if we can take anything off of the retransmit queue. */
	previous_packets_out = tp->packets_out;
	flag |= tcp_clean_rtx_queue(sk, prior_fackets, prior_snd_una);
	pkts_acked = (int)(previous_packets_out - tp->packets_out);

	if (tcp_ack_is_dubious(sk, flag)) {
		/* Advance CWND, if state allows this. */
		if ((flag & FLAG_DATA_ACKED) && tcp_may_raise_cwnd(sk, flag))
			tcp_cong_avoid(sk, ack, prior_in_flight);
		is_dupack = !(flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP));
		tcp_fastretrans_alert(sk, pkts_acked, prior_sacked, is_dupack, flag);
	} else {
		if (flag & FLAG_DATA_ACKED)
			tcp_cong_avoid(sk, ack, prior_in_flight);
	}
	if (tcp_rec(tp)->tlp_high_seq)
		tcp_process_tlp_ack(sk, ack, flag);
	if (icsk->icsk_pending == ICSK_TIME_RETRANS)
		tcp_schedule_loss_probe(sk);
	return 1;

no_queue:
	/* If this ack opens up a zero window, clear backoff. It was being used to time the
	 * probes, and is probably far higher than it needs to be for normal
	 * retransmission. */
	if (tcp_send_head(sk))
		tcp_ack_probe(sk);
	if (tcp_rec(tp)->tlp_high_seq)
		tcp_process_tlp_ack(sk, ack, flag);
	return 1;
}

void tcp_finish_connect(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tcp_set_state(sk, TCP_ESTABLISHED);
	if (skb)	/* the SYN-ACK: its input route serves early demux from now on */
		inet_csk(sk)->icsk_af_ops->sk_rx_dst_set(sk, skb);
	tcp_init_metrics(sk);
	tcp_init_congestion_control(sk);

	/* Prevent spurious tcp_cwnd_restart() on first data packet. */
	tp->lsndtime = tcp_time_stamp;
	tcp_init_buffer_space(sk);

	if (sock_flag(sk, SOCK_KEEPOPEN))
		inet_csk_reset_keepalive_timer(sk, (unsigned long)keepalive_time_when(tp));

	if (!tp->rx_opt.snd_wscale)
		__tcp_fast_path_on(tp, tp->snd_wnd);
	else
		tp->pred_flags = 0;

	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
	}
}

/* The time the first SYN went out, in SYN-SENT (3.10: tp->retrans_stamp, set by
 * tcp_connect). DIVERGES: ulnet stores it in the loss-recovery state only when that
 * exists (a reused socket, or a retransmitted SYN, whose first retransmission records the
 * first SYN's stamp); while it is 0 the SYN at the head of the write queue still carries it
 * (its when changes only when it is sent again). */
static u32 tcp_syn_stamp(const struct sock *sk)
{
	const struct sk_buff *skb = tcp_write_queue_head(sk);
	u32 stamp = tcp_rec(tcp_sk(sk))->retrans_stamp;

	if (!stamp && skb)
		stamp = TCP_SKB_CB(skb)->when;
	return stamp;
}

static int tcp_rcv_synsent_state_process(struct sock *sk, struct sk_buff *skb,
					 const struct tcphdr *th, unsigned int len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int saved_clamp = tp->rx_opt.mss_clamp;

	(void)len;
	tcp_parse_options(skb, &tp->rx_opt, 0);

	if (th->ack) {
		/* rfc793: "If the state is SYN-SENT then first check the ACK bit If the ACK
		 * bit is set If SEG.ACK =< ISS, or SEG.ACK > SND.NXT, send a reset (unless the
		 * RST bit is set, if so drop the segment and return)" */
		if (!after(TCP_SKB_CB(skb)->ack_seq, tp->snd_una) ||
		    after(TCP_SKB_CB(skb)->ack_seq, tp->snd_nxt))
			goto reset_and_undo;

		if (tp->rx_opt.saw_tstamp && tp->rx_opt.rcv_tsecr &&
		    !between(tp->rx_opt.rcv_tsecr, tcp_syn_stamp(sk), tcp_time_stamp)) {
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_PAWSACTIVEREJECTED);
			goto reset_and_undo;
		}

		/* Now ACK is acceptable. "If the RST bit is set If the ACK was acceptable then
		 * signal the user "error: connection reset", drop the segment, enter CLOSED
		 * state, delete TCB, and return." */
		if (th->rst) {
			tcp_reset(sk);
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_RESET);
			return 0;
		}

		/* rfc793: "fifth, if neither of the SYN or RST bits is set then drop the
		 * segment and return." */
		if (!th->syn)
			goto discard_and_undo;

		/* rfc793: "If the SYN bit is on ... are acceptable then ... (our SYN has been
		 * ACKed), change the connection state to ESTABLISHED..." */
		tcp_init_wl(tp, TCP_SKB_CB(skb)->seq);
		tcp_ack(sk, skb, FLAG_SLOWPATH);

		/* Ok.. it's good. Set up sequence numbers and move to established. */
		tp->rcv_nxt = TCP_SKB_CB(skb)->seq + 1;
		tp->rcv_wup = TCP_SKB_CB(skb)->seq + 1;

		/* RFC1323: The window in SYN & SYN/ACK segments is never scaled. */
		tp->snd_wnd = ntohs(th->window);
		if (tp->snd_wnd > tp->max_window)
			tp->max_window = tp->snd_wnd;

		if (!tp->rx_opt.wscale_ok) {
			tp->rx_opt.snd_wscale = tp->rx_opt.rcv_wscale = 0;
			tp->window_clamp = min(tp->window_clamp, 65535U);
		}

		/* tcp_enable_fack, when net.ipv4.tcp_fack is on (3.10 default 1) */
		if (tcp_is_sack(tp) && sysctl_tcp_fack)
			tp->rx_opt.sack_ok |= 2;

		if (tp->rx_opt.saw_tstamp) {
			tp->rx_opt.tstamp_ok = 1;
			tp->tcp_header_len = sizeof(struct tcphdr) + TCPOLEN_TSTAMP_ALIGNED;
			tp->advmss -= TCPOLEN_TSTAMP_ALIGNED;
			tcp_store_ts_recent(tp);
		} else {
			tp->tcp_header_len = sizeof(struct tcphdr);
		}

		tcp_sync_mss(sk, inet_csk(sk)->icsk_pmtu_cookie);
		/* tcp_initialize_rcv_mss */
		inet_csk(sk)->icsk_ack.rcv_mss =
			(u16)max_t(u32, min_t(u32, tp->advmss, tp->mss_cache), TCP_MIN_MSS);
		if (inet_csk(sk)->icsk_ack.rcv_mss > TCP_MSS_DEFAULT)
			inet_csk(sk)->icsk_ack.rcv_mss = TCP_MSS_DEFAULT;

		/* Remember, tcp_poll() does not lock socket! Change state from SYN-SENT only
		 * after copied_seq is initialized. */
		tp->copied_seq = tp->rcv_nxt;
		smp_mb();
		tcp_finish_connect(sk, skb);

		if (sk->sk_write_pending || inet_csk(sk)->icsk_defer_accept ||
		    inet_csk(sk)->icsk_ack.pingpong) {
			/* Save one ACK. Data will be ready after several ticks, if write_pending
			 * is set (facts.md §3.9): quick-ack mode, the ACK delayed up to 200 ms
			 * so that it rides on the first data. */
			inet_csk_schedule_ack(sk);
			inet_csk(sk)->icsk_ack.lrcvtime = tcp_time_stamp;
			tcp_enter_quickack_mode(sk);
			inet_csk_reset_xmit_timer(sk, ICSK_TIME_DACK, TCP_DELACK_MAX, TCP_RTO_MAX);
			consume_skb(skb);
			return 0;
		}
		tcp_send_ack(sk);
		return -1;
	}

	/* No ACK in the segment */
	if (th->rst) {
		/* rfc793: "If the RST bit is set Otherwise (no ACK) drop the segment and
		 * return." */
		goto discard_and_undo;
	}

	/* PAWS check (tcp_paws_reject without RST): a timestamp remembered from an earlier
	 * incarnation (TIME_WAIT reuse) rejects an older SYN. */
	if (tp->rx_opt.ts_recent_stamp && tp->rx_opt.saw_tstamp && !tcp_paws_check(&tp->rx_opt, 0))
		goto discard_and_undo;

	if (th->syn) {
		/* We see SYN without ACK. It is attempt of simultaneous connect with crossed
		 * SYNs (RFC 793 figure 8), or a connect to self: SYN_RECV, and our SYN goes
		 * again as a SYN-ACK. The peer's SYN-ACK then meets RFC 5961's SYN check in
		 * tcp_validate_incoming (a challenge ACK, TCPSYNChallenge, as 3.10) and that
		 * ACK, or the peer's, acknowledges our SYN: ESTABLISHED. */
		tcp_set_state(sk, TCP_SYN_RECV);

		if (tp->rx_opt.saw_tstamp) {
			tp->rx_opt.tstamp_ok = 1;
			tcp_store_ts_recent(tp);
			tp->tcp_header_len = sizeof(struct tcphdr) + TCPOLEN_TSTAMP_ALIGNED;
		} else {
			tp->tcp_header_len = sizeof(struct tcphdr);
		}

		tp->rcv_nxt = TCP_SKB_CB(skb)->seq + 1;
		tp->rcv_wup = TCP_SKB_CB(skb)->seq + 1;

		/* RFC1323: The window in SYN & SYN/ACK segments is never scaled. */
		tp->snd_wnd = ntohs(th->window);
		tp->snd_wl1 = TCP_SKB_CB(skb)->seq;
		tp->max_window = tp->snd_wnd;

		tcp_sync_mss(sk, inet_csk(sk)->icsk_pmtu_cookie);
		/* tcp_initialize_rcv_mss */
		inet_csk(sk)->icsk_ack.rcv_mss =
			(u16)max_t(u32, min_t(u32, tp->advmss, tp->mss_cache), TCP_MIN_MSS);
		if (inet_csk(sk)->icsk_ack.rcv_mss > TCP_MSS_DEFAULT)
			inet_csk(sk)->icsk_ack.rcv_mss = TCP_MSS_DEFAULT;

		tcp_send_synack(sk);
		/* Note, we could accept data and URG from this segment. There are no
		 * obstacles to make this (3.10 does not either). */
		goto discard;
	}
	/* "fifth, if neither of the SYN or RST bits is set then drop the segment and
	 * return." */

discard_and_undo:
	tcp_clear_options(&tp->rx_opt);
	tp->rx_opt.mss_clamp = (u16)saved_clamp;
	goto discard;

reset_and_undo:
	tcp_clear_options(&tp->rx_opt);
	tp->rx_opt.mss_clamp = (u16)saved_clamp;
	return 1;

discard:
	kfree_skb_reason(skb, SKB_DROP_REASON_TCP_FLAGS);
	return 0;
}

static void tcp_fin(struct sock *sk);
/* ------------------------------------------------------------------------------------------
 * The data path of the receiver: SACK/D-SACK blocks to send, the queues, memory. */

static inline bool tcp_sack_extend(struct tcp_sack_block *sp, u32 seq, u32 end_seq)
{
	if (!after(seq, sp->end_seq) && !after(sp->start_seq, end_seq)) {
		if (before(seq, sp->start_seq))
			sp->start_seq = seq;
		if (after(end_seq, sp->end_seq))
			sp->end_seq = end_seq;
		return true;
	}
	return false;
}

const struct tcp_ofo_state tcp_ofo_state_none;

/* The out-of-order and loss-recovery state (queue, D-SACK and SACK blocks, the recovery
 * scalars, all starting at 0 as tcp_rec read them before) on first use: returns it, or
 * NULL if it cannot be allocated. Context: softirq, timer or process, socket locked. */
struct tcp_ofo_state *tcp_ofo_state_get(struct tcp_sock *tp)
{
	struct tcp_ofo_state *ofo = tp->ofo;

	if (likely(ofo))
		return ofo;
	ofo = kzalloc(sizeof(*ofo), GFP_ATOMIC);
	if (!ofo)
		return NULL;
	skb_queue_head_init(&ofo->out_of_order_queue);
	tp->ofo = ofo;
	return ofo;
}

/* Drops the queued out-of-order segments and frees the state (tcp_v4_destroy_sock,
 * tcp_disconnect). The SACK state goes with it. Context: socket locked or dying. */
void tcp_ofo_state_free(struct tcp_sock *tp)
{
	struct tcp_ofo_state *ofo = tp->ofo;

	if (!ofo)
		return;
	__skb_queue_purge(&ofo->out_of_order_queue);
	tp->ofo = NULL;
	tp->rx_opt.num_sacks = 0;
	tp->rx_opt.dsack = 0;
	kfree(ofo);
}

/* RFC 2883: report the duplicate segment [seq, end_seq) in the first SACK block. */
static void tcp_dsack_set(struct sock *sk, u32 seq, u32 end_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcp_is_sack(tp) && sysctl_tcp_dsack) {
		int mib_idx;

		/* DIVERGES: the D-SACK block lives in the out-of-order state allocated on
		 * first use (tcp_sock.ofo); without memory for it no D-SACK is sent (nor
		 * counted). 3.10 always has the block. */
		if (!tcp_ofo_state_get(tp))
			return;
		if (before(seq, tp->rcv_nxt))
			mib_idx = LINUX_MIB_TCPDSACKOLDSENT;
		else
			mib_idx = LINUX_MIB_TCPDSACKOFOSENT;
		NET_INC_STATS_BH(sock_net(sk), mib_idx);

		tp->rx_opt.dsack = 1;
		tp->ofo->duplicate_sack[0].start_seq = seq;
		tp->ofo->duplicate_sack[0].end_seq = end_seq;
	}
}

static void tcp_dsack_extend(struct sock *sk, u32 seq, u32 end_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->rx_opt.dsack)
		tcp_dsack_set(sk, seq, end_seq);
	else
		tcp_sack_extend(tp->ofo->duplicate_sack, seq, end_seq);
}

/* These routines update the SACK block as out-of-order packets arrive or in-order packets
 * close up the sequence space. */
static void tcp_sack_maybe_coalesce(struct tcp_sock *tp)
{
	int this_sack;
	struct tcp_sack_block *sp = &tp->ofo->selective_acks[0];
	struct tcp_sack_block *swalk = sp + 1;

	/* See if the recent change to the first SACK eats into or hits the sequence space
	 * of other SACK blocks, if so coalesce. */
	for (this_sack = 1; this_sack < tp->rx_opt.num_sacks;) {
		if (tcp_sack_extend(sp, swalk->start_seq, swalk->end_seq)) {
			int i;

			/* Zap SWALK, by moving every further SACK up by one slot. Decrease
			 * num_sacks. */
			tp->rx_opt.num_sacks--;
			for (i = this_sack; i < tp->rx_opt.num_sacks; i++)
				sp[i] = sp[i + 1];
			continue;
		}
		this_sack++, swalk++;
	}
}

static void tcp_sack_new_ofo_skb(struct sock *sk, u32 seq, u32 end_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_sack_block *sp = &tp->ofo->selective_acks[0];
	int cur_sacks = tp->rx_opt.num_sacks;
	int this_sack;

	if (!cur_sacks)
		goto new_sack;

	for (this_sack = 0; this_sack < cur_sacks; this_sack++, sp++) {
		if (tcp_sack_extend(sp, seq, end_seq)) {
			/* Rotate this_sack to the first one. */
			for (; this_sack > 0; this_sack--, sp--) {
				struct tcp_sack_block tmp = *sp;

				*sp = *(sp - 1);
				*(sp - 1) = tmp;
			}
			if (cur_sacks > 1)
				tcp_sack_maybe_coalesce(tp);
			return;
		}
	}

	/* Could not find an adjacent existing SACK, build a new one, put it at the front,
	 * and shift everyone else down. We always know there is at least one SACK present
	 * already here. If we've run out of space, we have to discard the last one. */
	if (this_sack >= TCP_NUM_SACKS) {
		this_sack--;
		tp->rx_opt.num_sacks--;
		sp--;
	}
	for (; this_sack > 0; this_sack--, sp--)
		*sp = *(sp - 1);

new_sack:
	/* Build the new head SACK, and we're done. */
	sp->start_seq = seq;
	sp->end_seq = end_seq;
	tp->rx_opt.num_sacks++;
}

/* RCV.NXT advances, some SACKs should be eaten. */
static void tcp_sack_remove(struct tcp_sock *tp)
{
	struct tcp_sack_block *sp = &tp->ofo->selective_acks[0];
	int num_sacks = tp->rx_opt.num_sacks;
	int this_sack;

	/* Empty ofo queue, hence, all the SACKs are eaten. Clear. */
	if (tcp_ofo_queue_empty(tp)) {
		tp->rx_opt.num_sacks = 0;
		return;
	}

	for (this_sack = 0; this_sack < num_sacks;) {
		/* Check if the start of the sack is covered by RCV.NXT. */
		if (!before(tp->rcv_nxt, sp->start_seq)) {
			int i;

			/* RCV.NXT must cover all the block! */
			WARN_ON(before(tp->rcv_nxt, sp->end_seq));

			/* Zap this SACK, by moving forward any other SACKS. */
			for (i = this_sack + 1; i < num_sacks; i++)
				tp->ofo->selective_acks[i - 1] = tp->ofo->selective_acks[i];
			num_sacks--;
			continue;
		}
		this_sack++;
		sp++;
	}
	tp->rx_opt.num_sacks = (u8)num_sacks;
}

/* This one checks to see if we can put data from the out_of_order queue into the
 * receive_queue. */
static void tcp_ofo_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	__u32 dsack_high = tp->rcv_nxt;
	struct sk_buff *skb;
	unsigned int guard = 0;

	while ((skb = skb_peek(&tp->ofo->out_of_order_queue)) != NULL && ++guard < 1000000) {
		if (after(TCP_SKB_CB(skb)->seq, tp->rcv_nxt))
			break;

		if (before(TCP_SKB_CB(skb)->seq, dsack_high)) {
			__u32 dsack = dsack_high;

			if (before(TCP_SKB_CB(skb)->end_seq, dsack_high))
				dsack_high = TCP_SKB_CB(skb)->end_seq;
			tcp_dsack_extend(sk, TCP_SKB_CB(skb)->seq, dsack);
		}

		__skb_unlink(skb, &tp->ofo->out_of_order_queue);
		if (!after(TCP_SKB_CB(skb)->end_seq, tp->rcv_nxt)) {
			/* ofo packet was already received */
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OFO_DROP);
			continue;
		}
		__skb_queue_tail(&sk->sk_receive_queue, skb);
		tp->rcv_nxt = TCP_SKB_CB(skb)->end_seq;
		if (tcp_hdr(skb)->fin)
			tcp_fin(sk);
	}
}

/* Purge the out-of-order queue: the receive buffer is overcommitted. Returns true if
 * anything was freed. */
static bool tcp_prune_ofo_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool res = false;

	if (!tcp_ofo_queue_empty(tp)) {
		struct sk_buff *skb;

		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_OFOPRUNED);
		while ((skb = __skb_dequeue(&tp->ofo->out_of_order_queue)) != NULL)
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE);

		/* Reset SACK state. A conforming SACK implementation will do the same at a
		 * timeout based retransmit. When a connection is in a sad state like this, we
		 * care only about integrity of the connection not performance. */
		if (tp->rx_opt.sack_ok)
			tp->rx_opt.num_sacks = 0;
		sk_mem_reclaim(sk);
		res = true;
	}
	return res;
}

/* Unlinks and frees @skb, a run member tcp_collapse copied out (TCPRcvCollapsed); returns
 * the skb that followed it on @list, or NULL at the end. */
static struct sk_buff *tcp_collapse_one(struct sock *sk, struct sk_buff *skb,
					struct sk_buff_head *list)
{
	struct sk_buff *next = NULL;

	if (!skb_queue_is_last(list, skb))
		next = skb->next;

	__skb_unlink(skb, list);
	consume_skb(skb);
	NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPRCVCOLLAPSED);
	return next;
}

/* Copies the sequence range [@start, @end) of the run of skbs from @head up to (not
 * including) @tail on @list into new, tightly packed skbs of at most one page of data
 * each, and frees the originals. The leading skbs that already hold their data tightly
 * (truesize at most twice the data, as tcp_win_from_space counts it) and touch the next
 * one are left alone; a SYN or FIN skb ends the work (its
 * flag lives in its header). The new skbs carry the first original's headers (copied
 * with its headroom) and control block. Data is read with skb_copy_bits, never through
 * skb->data, so paged skbs collapse too. Context: softirq, socket locked. */
static void tcp_collapse(struct sock *sk, struct sk_buff_head *list, struct sk_buff *head,
			 struct sk_buff *tail, u32 start, u32 end)
{
	struct sk_buff *skb, *n;
	bool end_of_skbs;
	unsigned int guard = 0;

	/* First, check that the queue is collapsible and find the point where collapsing
	 * can be useful. */
	skb = head;
restart:
	end_of_skbs = true;
	for (; skb != (struct sk_buff *)list && ++guard < 1000000; skb = n) {
		n = skb->next;
		if (skb == tail)
			break;
		/* No new bits? Possible on the out-of-order queue. */
		if (!before(start, TCP_SKB_CB(skb)->end_seq)) {
			skb = tcp_collapse_one(sk, skb, list);
			if (!skb)
				break;
			goto restart;
		}

		/* The first skb to collapse is not SYN/FIN and is bloated, or holds data
		 * before @start, or does not meet the next one. */
		if (!tcp_hdr(skb)->syn && !tcp_hdr(skb)->fin &&
		    (tcp_win_from_space((int)skb->truesize) > (int)skb->len ||
		     before(TCP_SKB_CB(skb)->seq, start))) {
			end_of_skbs = false;
			break;
		}

		if (!skb_queue_is_last(list, skb)) {
			struct sk_buff *next = skb->next;

			if (next != tail && TCP_SKB_CB(skb)->end_seq != TCP_SKB_CB(next)->seq) {
				end_of_skbs = false;
				break;
			}
		}

		/* Decided to skip this one: advance @start. */
		start = TCP_SKB_CB(skb)->end_seq;
	}
	if (end_of_skbs || skb == (struct sk_buff *)list || tcp_hdr(skb)->syn ||
	    tcp_hdr(skb)->fin)
		return;

	while (before(start, end) && ++guard < 2000000) {
		struct sk_buff *nskb;
		unsigned int header = skb_headroom(skb);
		int copy = (int)SKB_MAX_ORDER(header, 0);

		/* Too big a header? (IPv6 with options, in 3.10.) */
		if (copy < 0)
			return;
		if ((int)(end - start) < copy)
			copy = (int)(end - start);
		nskb = alloc_skb((unsigned int)copy + header, GFP_ATOMIC);
		if (!nskb)
			return;

		/* The same header offsets from head, the headers' bytes copied with the
		 * headroom (tcp_recvmsg reads tcp_hdr(skb)->fin and ->syn). */
		nskb->mac_header = skb->mac_header;
		nskb->network_header = skb->network_header;
		nskb->transport_header = skb->transport_header;
		skb_reserve(nskb, (int)header);
		memcpy(nskb->head, skb->head, header);
		memcpy(nskb->cb, skb->cb, sizeof(skb->cb));
		TCP_SKB_CB(nskb)->seq = TCP_SKB_CB(nskb)->end_seq = start;
		__skb_queue_before(list, skb, nskb);
		skb_set_owner_r(nskb, sk);

		/* Copy data, releasing collapsed skbs. */
		while (copy > 0 && ++guard < 2000000) {
			int offset = (int)(start - TCP_SKB_CB(skb)->seq);
			int size = (int)(TCP_SKB_CB(skb)->end_seq - start);

			if (WARN_ON(offset < 0))
				return;
			if (size > 0) {
				size = min(copy, size);
				if (WARN_ON(skb_copy_bits(skb, offset,
							  skb_put(nskb, (unsigned int)size),
							  size)))
					return;
				TCP_SKB_CB(nskb)->end_seq += (u32)size;
				copy -= size;
				start += (u32)size;
			}
			if (!before(start, TCP_SKB_CB(skb)->end_seq)) {
				skb = tcp_collapse_one(sk, skb, list);
				if (!skb || skb == tail || tcp_hdr(skb)->syn || tcp_hdr(skb)->fin)
					return;
			}
		}
	}
}

/* Collapses the out-of-order queue: each run of overlapping or touching skbs (a block of
 * sequence space without a gap) goes through tcp_collapse. Context: softirq, socket
 * locked. */
static void tcp_collapse_ofo_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = tcp_ofo_peek(tp);
	struct sk_buff *head;
	u32 start, end;
	unsigned int guard = 0;

	if (!skb)
		return;

	start = TCP_SKB_CB(skb)->seq;
	end = TCP_SKB_CB(skb)->end_seq;
	head = skb;

	while (++guard < 1000000) {
		struct sk_buff *next = NULL;

		if (!skb_queue_is_last(&tp->ofo->out_of_order_queue, skb))
			next = skb->next;
		skb = next;

		/* A run ends at a gap or at the end of the queue. */
		if (!skb || after(TCP_SKB_CB(skb)->seq, end) ||
		    before(TCP_SKB_CB(skb)->end_seq, start)) {
			tcp_collapse(sk, &tp->ofo->out_of_order_queue, head, skb, start, end);
			head = skb;
			if (!skb)
				break;
			/* Start a new run. */
			start = TCP_SKB_CB(skb)->seq;
			end = TCP_SKB_CB(skb)->end_seq;
		} else {
			if (before(TCP_SKB_CB(skb)->seq, start))
				start = TCP_SKB_CB(skb)->seq;
			if (after(TCP_SKB_CB(skb)->end_seq, end))
				end = TCP_SKB_CB(skb)->end_seq;
		}
	}
}

/* Reduce allocated memory if we can, trying to get the socket within its memory limits
 * again. Return less than zero if we should start dropping frames until the socket owning
 * process reads some of the data to stabilize the situation. 3.10's order: PruneCalled,
 * clamp the window (or, under tcp_mem pressure, rcv_ssthresh), collapse the out-of-order
 * queue then the receive queue (from copied_seq: bytes already read go), and only if
 * that is not enough drop the whole out-of-order queue (OfoPruned), then RcvPruned. */
static int tcp_prune_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_PRUNECALLED);

	if (atomic_read(&sk->sk_rmem_alloc) >= sk->sk_rcvbuf)
		tcp_clamp_window(sk);
	else if (sk_stream_under_memory_pressure(sk))
		tp->rcv_ssthresh = min(tp->rcv_ssthresh, 4U * tp->advmss);

	tcp_collapse_ofo_queue(sk);
	if (!skb_queue_empty(&sk->sk_receive_queue))
		tcp_collapse(sk, &sk->sk_receive_queue, skb_peek(&sk->sk_receive_queue), NULL,
			     tp->copied_seq, tp->rcv_nxt);
	sk_mem_reclaim(sk);

	if (atomic_read(&sk->sk_rmem_alloc) <= sk->sk_rcvbuf)
		return 0;

	/* Collapsing did not help, destructive actions follow. This must not ever occur. */
	tcp_prune_ofo_queue(sk);

	if (atomic_read(&sk->sk_rmem_alloc) <= sk->sk_rcvbuf)
		return 0;

	/* If we are really being abused, tell the caller to silently drop receive data on the
	 * floor. It will get retransmitted and hopefully then we'll have sufficient space. */
	NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_RCVPRUNED);

	/* Massive buffer overcommit. */
	tp->pred_flags = 0;
	return -1;
}

static int tcp_try_rmem_schedule(struct sock *sk, struct sk_buff *skb, unsigned int size)
{
	if (atomic_read(&sk->sk_rmem_alloc) > sk->sk_rcvbuf ||
	    !sk_rmem_schedule(sk, skb, (int)size)) {
		if (tcp_prune_queue(sk) < 0)
			return -1;

		if (!sk_rmem_schedule(sk, skb, (int)size)) {
			if (!tcp_prune_ofo_queue(sk))
				return -1;
			if (!sk_rmem_schedule(sk, skb, (int)size))
				return -1;
		}
	}
	return 0;
}

/* tcp_try_coalesce - merge @from (in sequence right after @to) into @to, a queued skb.
 * Its data moves (skb_try_coalesce) and @to's end_seq grows; what the data cost is charged
 * to the socket (@to is owned, @from not yet). FIN segments stay apart (tcp_recvmsg and
 * tcp_collapse read the FIN from the skb's header). True: the caller frees @from with
 * kfree_skb_partial(from, *@fragstolen). Context: softirq, socket locked. */
static __always_inline bool tcp_try_coalesce(struct sock *sk, struct sk_buff *to,
					     struct sk_buff *from, bool *fragstolen)
{
	int delta;

	*fragstolen = false;
	if (tcp_hdr(from)->fin)
		return false;

	/* Its possible this segment overlaps with prior segment in queue */
	if (TCP_SKB_CB(from)->seq != TCP_SKB_CB(to)->end_seq)
		return false;

	if (!skb_try_coalesce(to, from, fragstolen, &delta))
		return false;

	atomic_add(delta, &sk->sk_rmem_alloc);
	sk_mem_charge(sk, delta);
	NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPRCVCOALESCE);
	TCP_SKB_CB(to)->end_seq = TCP_SKB_CB(from)->end_seq;
	TCP_SKB_CB(to)->ack_seq = TCP_SKB_CB(from)->ack_seq;
	return true;
}

static void tcp_data_queue_ofo(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb1;
	u32 seq, end_seq;
	unsigned int guard = 0;

	if (unlikely(tcp_try_rmem_schedule(sk, skb, skb->truesize))) {
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPOFODROP);
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OFO_DROP);
		return;
	}
	/* DIVERGES: the queue and SACK blocks are allocated with the first out-of-order
	 * segment (GFP_ATOMIC); if that fails the segment is dropped and counted as 3.10
	 * drops one it has no memory for (OFODrop). */
	if (unlikely(!tcp_ofo_state_get(tp))) {
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPOFODROP);
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OFO_DROP);
		return;
	}

	/* Disable header prediction. */
	tp->pred_flags = 0;
	inet_csk_schedule_ack(sk);

	NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPOFOQUEUE);

	skb1 = skb_peek_tail(&tp->ofo->out_of_order_queue);
	if (!skb1) {
		/* Initial out of order segment, build 1 SACK. */
		if (tcp_is_sack(tp)) {
			tp->rx_opt.num_sacks = 1;
			tp->ofo->selective_acks[0].start_seq = TCP_SKB_CB(skb)->seq;
			tp->ofo->selective_acks[0].end_seq = TCP_SKB_CB(skb)->end_seq;
		}
		__skb_queue_head(&tp->ofo->out_of_order_queue, skb);
		goto end;
	}

	seq = TCP_SKB_CB(skb)->seq;
	end_seq = TCP_SKB_CB(skb)->end_seq;

	if (seq == TCP_SKB_CB(skb1)->end_seq) {
		bool fragstolen;

		/* Continues the last run: merge into its tail skb when it fits. */
		if (!tcp_try_coalesce(sk, skb1, skb, &fragstolen)) {
			__skb_queue_after(&tp->ofo->out_of_order_queue, skb1, skb);
		} else {
			kfree_skb_partial(skb, fragstolen);
			skb = NULL;
		}

		if (!tp->rx_opt.num_sacks || tp->ofo->selective_acks[0].end_seq != seq)
			goto add_sack;

		/* Common case: data arrive in order after hole. */
		tp->ofo->selective_acks[0].end_seq = end_seq;
		goto end;
	}

	/* Find place to insert this segment. */
	while (++guard < 1000000) {
		if (!after(TCP_SKB_CB(skb1)->seq, seq))
			break;
		if (skb_queue_is_first(&tp->ofo->out_of_order_queue, skb1)) {
			skb1 = NULL;
			break;
		}
		skb1 = skb1->prev;
	}

	/* Do skb overlap to previous one? */
	if (skb1 && before(seq, TCP_SKB_CB(skb1)->end_seq)) {
		if (!after(end_seq, TCP_SKB_CB(skb1)->end_seq)) {
			/* All the bits are present. Drop. */
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPOFOMERGE);
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OFOMERGE);
			skb = NULL;
			tcp_dsack_set(sk, seq, end_seq);
			goto add_sack;
		}
		if (after(seq, TCP_SKB_CB(skb1)->seq)) {
			/* Partial overlap. */
			tcp_dsack_set(sk, seq, TCP_SKB_CB(skb1)->end_seq);
		} else {
			if (skb_queue_is_first(&tp->ofo->out_of_order_queue, skb1))
				skb1 = NULL;
			else
				skb1 = skb1->prev;
		}
	}
	if (!skb1)
		__skb_queue_head(&tp->ofo->out_of_order_queue, skb);
	else
		__skb_queue_after(&tp->ofo->out_of_order_queue, skb1, skb);

	/* And clean segments covered by new one as whole. */
	guard = 0;
	while (!skb_queue_is_last(&tp->ofo->out_of_order_queue, skb) && ++guard < 1000000) {
		skb1 = skb->next;

		if (!after(end_seq, TCP_SKB_CB(skb1)->seq))
			break;
		if (before(end_seq, TCP_SKB_CB(skb1)->end_seq)) {
			tcp_dsack_extend(sk, TCP_SKB_CB(skb1)->seq, end_seq);
			break;
		}
		__skb_unlink(skb1, &tp->ofo->out_of_order_queue);
		tcp_dsack_extend(sk, TCP_SKB_CB(skb1)->seq, TCP_SKB_CB(skb1)->end_seq);
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPOFOMERGE);
		kfree_skb_reason(skb1, SKB_DROP_REASON_TCP_OFOMERGE);
	}

add_sack:
	if (tcp_is_sack(tp))
		tcp_sack_new_ofo_skb(sk, seq, end_seq);
end:
	if (skb)
		skb_set_owner_r(skb, sk);
}

/* Queue in-order data on the receive queue, after pulling @hdrlen bytes of header: merged
 * into the tail skb when it can be (tcp_try_coalesce), else queued and charged. Returns 1
 * when merged ("eaten": the caller frees @skb with kfree_skb_partial once done reading its
 * header and cb), 0 when queued. */
static __always_inline int tcp_queue_rcv(struct sock *sk, struct sk_buff *skb, int hdrlen,
					 bool *fragstolen)
{
	int eaten;
	struct sk_buff *tail = skb_peek_tail(&sk->sk_receive_queue);

	__skb_pull(skb, (unsigned int)hdrlen);
	eaten = (tail && tcp_try_coalesce(sk, tail, skb, fragstolen)) ? 1 : 0;
	tcp_sk(sk)->rcv_nxt = TCP_SKB_CB(skb)->end_seq;
	if (!eaten) {
		__skb_queue_tail(&sk->sk_receive_queue, skb);
		skb_set_owner_r(skb, sk);
	}
	return eaten;
}

/* Queue the data or FIN of @skb: in order to the receive queue, ahead of rcv_nxt to the
 * out-of-order queue; duplicates and out-of-window data are dropped with an immediate ACK.
 * Consumes @skb. */
static void tcp_data_queue(struct sock *sk, struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);
	struct tcp_sock *tp = tcp_sk(sk);
	enum skb_drop_reason reason;
	bool fragstolen = false;
	int eaten = -1;

	if (TCP_SKB_CB(skb)->seq == TCP_SKB_CB(skb)->end_seq) {
		/* Nothing to queue: the ACK part was the job. */
		consume_skb(skb);
		return;
	}

	skb_dst_drop(skb);
	__skb_pull(skb, th->doff * 4U);

	tp->rx_opt.dsack = 0;

	/* Queue data for delivery to the user. Packets in sequence go to the receive queue.
	 * Out of sequence packets to the out_of_order_queue. */
	if (TCP_SKB_CB(skb)->seq == tp->rcv_nxt) {
		if (tcp_receive_window(tp) == 0) {
			reason = SKB_DROP_REASON_TCP_ZEROWINDOW;
			goto out_of_window;
		}

		/* Ok. In sequence. In window. The reader waiting in tcp_recvmsg runs this:
		 * straight into its buffer, as much as it wants. */
		struct tcp_ucopy *ucopy = tcp_ucopy(sk);

		if (ucopy && ucopy->task == current && tp->copied_seq == tp->rcv_nxt &&
		    ucopy->len && sock_owned_by_user(sk) && !tcp_urg_data(tp)) {
			int chunk = min_t(int, (int)skb->len, ucopy->len);

			__set_current_state(TASK_RUNNING);

			local_bh_enable();
			if (!skb_copy_datagram_iovec(skb, 0, ucopy->iov, chunk)) {
				ucopy->len -= chunk;
				tp->copied_seq += (u32)chunk;
				eaten = (chunk == (int)skb->len);
				tcp_rcv_space_adjust(sk);
			}
			local_bh_disable();
		}

		if (eaten <= 0) {
queue_and_out:
			/* A partly copied skb is queued without a new charge check, as 3.10. */
			if (eaten < 0 && tcp_try_rmem_schedule(sk, skb, skb->truesize)) {
				reason = SKB_DROP_REASON_PROTO_MEM;
				goto drop;
			}
			eaten = tcp_queue_rcv(sk, skb, 0, &fragstolen);
		}
		tp->rcv_nxt = TCP_SKB_CB(skb)->end_seq;
		if (skb->len)
			tcp_event_data_recv(sk, skb);
		if (th->fin)
			tcp_fin(sk);

		if (!tcp_ofo_queue_empty(tp)) {
			tcp_ofo_queue(sk);

			/* RFC2581. 4.2. SHOULD send immediate ACK, when gap in queue is filled. */
			if (skb_queue_empty(&tp->ofo->out_of_order_queue))
				inet_csk(sk)->icsk_ack.pingpong = 0;
		}

		if (tp->rx_opt.num_sacks)
			tcp_sack_remove(tp);

		tcp_fast_path_check(sk);

		/* Merged into the tail: its header (th) was read above, now it can go. */
		if (eaten > 0)
			kfree_skb_partial(skb, fragstolen);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_data_ready(sk, 0);
		return;
	}

	if (!after(TCP_SKB_CB(skb)->end_seq, tp->rcv_nxt)) {
		/* A retransmit, 2nd most common case. Force an immediate ack. */
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_DELAYEDACKLOST);
		tcp_dsack_set(sk, TCP_SKB_CB(skb)->seq, TCP_SKB_CB(skb)->end_seq);
		reason = SKB_DROP_REASON_TCP_OLD_DATA;

out_of_window:
		tcp_enter_quickack_mode(sk);
		inet_csk_schedule_ack(sk);
drop:
		kfree_skb_reason(skb, reason);
		return;
	}

	/* Out of window. F.e. zero window probe. */
	if (!before(TCP_SKB_CB(skb)->seq, tp->rcv_nxt + tcp_receive_window(tp))) {
		reason = SKB_DROP_REASON_TCP_OVERWINDOW;
		goto out_of_window;
	}

	tcp_enter_quickack_mode(sk);

	if (before(TCP_SKB_CB(skb)->seq, tp->rcv_nxt)) {
		/* Partial packet, seq < rcv_next < end_seq */
		tcp_dsack_set(sk, TCP_SKB_CB(skb)->seq, tp->rcv_nxt);

		/* If window is closed, drop tail of packet. But after remembering D-SACK for
		 * its head made in previous line. */
		if (!tcp_receive_window(tp)) {
			reason = SKB_DROP_REASON_TCP_ZEROWINDOW;
			goto out_of_window;
		}
		goto queue_and_out;
	}

	tcp_data_queue_ofo(sk, skb);
}

/* When incoming ACK allowed to free some skb from write_queue, we remember this event in
 * flag SOCK_QUEUE_SHRUNK and wake up socket on the exit from tcp input handler. */
static bool tcp_should_expand_sndbuf(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	/* If the user specified a specific send buffer setting, do not modify it. */
	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		return false;
	/* If we are under global TCP memory pressure, do not expand. */
	if (sk_stream_under_memory_pressure(sk))
		return false;
	/* If we are under soft global TCP memory pressure, do not expand. */
	if (sk_memory_allocated(sk) >= sysctl_tcp_mem[0])
		return false;
	/* If we filled the congestion window, do not expand. */
	if (tp->packets_out >= tp->snd_cwnd)
		return false;
	return true;
}

/* When incoming ACK allowed to free some skb from write_queue, we remember this event in
 * flag SOCK_QUEUE_SHRUNK and wake up socket on the exit from tcp input handler. */
static void tcp_new_space(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcp_should_expand_sndbuf(sk)) {
		int sndmem = (int)SKB_TRUESIZE(max_t(u32, tp->rx_opt.mss_clamp, tp->mss_cache) +
					       MAX_TCP_HEADER);
		int demanded = (int)max_t(unsigned int, tp->snd_cwnd, tp->reordering + 1);

		sndmem *= 2 * demanded;
		if (sndmem > sk->sk_sndbuf)
			sk->sk_sndbuf = min(sndmem, sysctl_tcp_wmem[2]);
		tp->snd_cwnd_stamp = tcp_time_stamp;
	}
	sk->sk_write_space(sk);
}

static void tcp_check_space(struct sock *sk)
{
	if (sock_flag(sk, SOCK_QUEUE_SHRUNK)) {
		sock_reset_flag(sk, SOCK_QUEUE_SHRUNK);
		if (sk->sk_socket && test_bit(SOCK_NOSPACE, &sk->sk_socket->flags))
			tcp_new_space(sk);
	}
}

static inline void tcp_data_snd_check(struct sock *sk)
{
	tcp_push_pending_frames(sk);
	tcp_check_space(sk);
}

/* Check if sending an ack is needed. */
static __always_inline void __tcp_ack_snd_check(struct sock *sk, int ofo_possible)
{
	struct tcp_sock *tp = tcp_sk(sk);

	/* More than one full frame received... */
	if (((tp->rcv_nxt - tp->rcv_wup) > inet_csk(sk)->icsk_ack.rcv_mss &&
	     /* ... and right edge of window advances far enough. (tcp_recvmsg() will send
	      * ACK otherwise). Or... */
	     __tcp_select_window(sk) >= tp->rcv_wnd) ||
	    /* We ACK each frame or... */
	    tcp_in_quickack_mode(sk) ||
	    /* We have out of order data. */
	    (ofo_possible && tcp_ofo_peek(tp))) {
		/* Then ack it now */
		tcp_send_ack(sk);
	} else {
		/* Else, send delayed ack. */
		tcp_send_delayed_ack(sk);
	}
}

static inline void tcp_ack_snd_check(struct sock *sk)
{
	if (!inet_csk_ack_scheduled(sk)) {
		/* We sent a data segment already. */
		return;
	}
	__tcp_ack_snd_check(sk, 1);
}

/* Process the FIN bit. This now behaves as it is supposed to work and the FIN takes
 * effect when it is validly part of sequence space. Not before when we get holes.
 * If we are ESTABLISHED, a received fin moves us to CLOSE-WAIT (and thus we then need to
 * go to LAST-ACK later). If we are in FIN-WAIT-1, a received FIN indicates simultaneous
 * close and we go into CLOSING (and later onto TIME-WAIT). If we are in FIN-WAIT-2, a
 * received FIN moves us to TIME-WAIT. Context: softirq, sk locked. */
static void tcp_fin(struct sock *sk)
{
	inet_csk_schedule_ack(sk);
	sk->sk_shutdown |= RCV_SHUTDOWN;
	sock_set_flag(sk, SOCK_DONE);

	switch (sk->sk_state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		/* Move to CLOSE_WAIT */
		tcp_set_state(sk, TCP_CLOSE_WAIT);
		/* The ACK waits (tcp_ack_snd_check: delayed), hoping to ride on our FIN. */
		inet_csk(sk)->icsk_ack.pingpong = 1;
		break;
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
		/* Received a retransmission of the FIN, do nothing. */
		break;
	case TCP_LAST_ACK:
		/* RFC793: Remain in the LAST-ACK state. */
		break;
	case TCP_FIN_WAIT1:
		/* This case occurs when a simultaneous close happens, we must ack the
		 * received FIN and enter the CLOSING state. */
		tcp_send_ack(sk);
		tcp_set_state(sk, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		/* Received a FIN -- send ACK and enter TIME_WAIT. */
		tcp_send_ack(sk);
		tcp_time_wait(sk, TCP_TIME_WAIT, 0);
		return;
	default:
		/* Only TCP_LISTEN and TCP_CLOSE are left, in these cases we should never
		 * reach this piece of code. */
		pr_err("%s: Impossible, sk->sk_state=%d\n", __func__, sk->sk_state);
		break;
	}

	/* It _is_ possible, that we have something out-of-order _after_ FIN. Probably, we
	 * should reset in this case. For now drop them. */
	if (tcp_sk(sk)->ofo)
		__skb_queue_purge(&tcp_sk(sk)->ofo->out_of_order_queue);

	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		/* Do not send POLL_HUP for half duplex close. */
		if (sk->sk_shutdown == SHUTDOWN_MASK || sk->sk_state == TCP_CLOSE)
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
		else
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_IN);
	}
}

/* ---- Urgent data (RFC 793 3.7, RFC 1122 4.2.2.4, RFC 6093) ---- */

/* A new urgent pointer in @th. 3.10 reads the pointer BSD-style by default: it points one
 * past the urgent byte, so the byte is at seq + urg_ptr - 1; net.ipv4.tcp_stdurg = 1
 * takes RFC 1122's reading (the pointer is the urgent byte itself). An old pointer (data
 * already read, or behind rcv_nxt: we cannot fetch the byte any more) and one not newer
 * than the pending one are ignored. Context: softirq, socket locked. */
static int tcp_check_urg(struct sock *sk, const struct tcphdr *th)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 ptr = ntohs(th->urg_ptr);
	struct sock_rare *r;

	if (ptr && !sysctl_tcp_stdurg)
		ptr--;
	ptr += ntohl(th->seq);

	/* Urgent data the reader already went past. */
	if (after(tp->copied_seq, ptr))
		return 0;

	/* Do not replay an urgent pointer into data already received in order: the byte
	 * could not be taken out of band any more. (A sender pointing into what sits in
	 * our out-of-order queue leaves us in NOTYET until the reader passes the mark, as
	 * 3.10.) */
	if (before(ptr, tp->rcv_nxt))
		return 0;

	/* A newer (or the same) pointer is already pending. */
	if (tcp_urg_data(tp) && !after(ptr, tcp_urg_seq(tp)))
		return 0;

	/* DIVERGES: the urgent state is in the sk_rare block, allocated here the first time;
	 * without memory the segment is dropped (tcp_urg's callers) and the peer, still in
	 * urgent mode, retransmits it with the pointer. */
	r = sk_rare_alloc(sk, GFP_ATOMIC);
	if (!r)
		return -ENOMEM;

	/* sk_send_sigurg. DIVERGES: ulnet has no signals, no SIGURG is sent (nor the
	 * SOCK_WAKE_URG async notice that goes with it); a reader learns of urgent data
	 * through POLLPRI/EPOLLPRI and SIOCATMARK. */

	/* A new mark while the previous urgent byte sits unread right at the read point
	 * (the reader is at the mark): that byte is out of band, so step over it now, or
	 * it would be read again as normal data once urg_seq moves on. */
	if (r->urg_seq == tp->copied_seq && r->urg_data && !sock_flag(sk, SOCK_URGINLINE) &&
	    tp->copied_seq != tp->rcv_nxt) {
		struct sk_buff *skb = skb_peek(&sk->sk_receive_queue);

		tp->copied_seq++;
		if (skb && !before(tp->copied_seq, TCP_SKB_CB(skb)->end_seq)) {
			__skb_unlink(skb, &sk->sk_receive_queue);
			consume_skb(skb);
		}
	}

	r->urg_data = TCP_URG_NOTYET;
	r->urg_seq = ptr;

	/* Disable header prediction. */
	tp->pred_flags = 0;
	return 0;
}

/* Step 6 of RFC 793's segment processing: the URG bit. Records a new urgent pointer and,
 * once the segment holding the urgent byte is here, saves that byte in urg_data (VALID)
 * and wakes the reader (POLLPRI). @skb still starts at the TCP header. -ENOMEM: no memory
 * to record the pointer (the caller drops @skb, SKB_DROP_REASON_NOMEM). Context: softirq,
 * socket locked. */
static int tcp_urg(struct sock *sk, struct sk_buff *skb, const struct tcphdr *th)
{
	struct tcp_sock *tp = tcp_sk(sk);

	/* A new urgent pointer? Normally not. */
	if (th->urg && tcp_check_urg(sk, th))
		return -ENOMEM;

	/* Waiting for the urgent byte? */
	if (tcp_urg_data(tp) == TCP_URG_NOTYET) {
		u32 ptr = tcp_urg_seq(tp) - ntohl(th->seq) + th->doff * 4U - th->syn;

		/* Does the urgent pointer point into this packet? (Read through
		 * skb_copy_bits: the byte may sit in a page fragment.) */
		if (ptr < skb->len) {
			u8 tmp;

			if (skb_copy_bits(skb, (int)ptr, &tmp, 1) == 0) {
				sk->sk_rare->urg_data = (u16)(TCP_URG_VALID | tmp);
				if (!sock_flag(sk, SOCK_DEAD))
					sk->sk_data_ready(sk, 0);
			}
		}
	}
	return 0;
}

/* This function implements the receiving procedure of RFC 793 for all states except
 * ESTABLISHED and TIME_WAIT. It's called from both tcp_v4_rcv and tcp_v6_rcv and should be
 * address independent. Returns non-zero when the caller must send a reset (and free @skb);
 * 0 when @skb was consumed. */
int tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb, const struct tcphdr *th,
			  unsigned int len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	int queued = 0;

	switch (sk->sk_state) {
	case TCP_CLOSE:
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_CLOSE);
		return 0;

	case TCP_LISTEN:
		if (th->ack)
			return 1;
		if (th->rst || !th->syn || th->fin) {
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_FLAGS);
			return 0;
		}
		if (icsk->icsk_af_ops->conn_request(sk, skb) < 0)
			return 1;
		consume_skb(skb);
		return 0;

	case TCP_SYN_SENT:
		queued = tcp_rcv_synsent_state_process(sk, skb, th, len);
		if (queued >= 0)
			return queued;
		/* Do step 6 onward by hand. */
		if (tcp_urg(sk, skb, th))
			kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		else
			consume_skb(skb);
		return 0;
	}

	if (!tcp_validate_incoming(sk, skb, th, 0))
		return 0;

	/* step 5: check the ACK field */
	if (!th->ack) {
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_FLAGS);
		return 0;
	}
	{
		int acceptable = tcp_ack(sk, skb, FLAG_SLOWPATH | FLAG_UPDATE_TS_RECENT) > 0;

		switch (sk->sk_state) {
		case TCP_SYN_RECV:
			if (!acceptable)
				return 1;
			tp->copied_seq = tp->rcv_nxt;
			smp_mb();
			tcp_set_state(sk, TCP_ESTABLISHED);
			sk->sk_state_change(sk);
			/* Note, that this wakeup is only for marginal crossed SYN case. Passively
			 * open sockets are not waked up, because sk->sk_sleep == NULL and
			 * sk->sk_socket == NULL. */
			if (sk->sk_socket)
				sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
			tp->snd_una = TCP_SKB_CB(skb)->ack_seq;
			tp->snd_wnd = (u32)ntohs(th->window) << tp->rx_opt.snd_wscale;
			tcp_init_wl(tp, TCP_SKB_CB(skb)->seq);
			if (tp->snd_wnd > tp->max_window) {
				tp->max_window = tp->snd_wnd;
				tcp_sync_mss(sk, inet_csk(sk)->icsk_pmtu_cookie);
			}
			if (tp->rx_opt.tstamp_ok)
				tp->advmss -= TCPOLEN_TSTAMP_ALIGNED;
			/* tcp_synack_rtt_meas: the handshake's RTT from the echoed timestamp,
			 * else from the SYN-ACK's send time when it was not retransmitted. */
			if (tp->rx_opt.saw_tstamp && tp->rx_opt.rcv_tsecr)
				tcp_valid_rtt_meas(sk, tcp_time_stamp - tp->rx_opt.rcv_tsecr);
			else if (!tcp_rec(tp)->total_retrans)
				tcp_valid_rtt_meas(sk, tcp_time_stamp - tp->lsndtime);
			tcp_init_metrics(sk);
			tcp_init_congestion_control(sk);
			/* Prevent spurious tcp_cwnd_restart() on first data packet. */
			tp->lsndtime = tcp_time_stamp;
			/* tcp_initialize_rcv_mss */
			icsk->icsk_ack.rcv_mss = (u16)max_t(u32, min_t(u32, tp->advmss, tp->mss_cache),
							    TCP_MIN_MSS);
			if (icsk->icsk_ack.rcv_mss > TCP_MSS_DEFAULT)
				icsk->icsk_ack.rcv_mss = TCP_MSS_DEFAULT;
			tcp_init_buffer_space(sk);
			tcp_fast_path_on(tp);
			break;
		case TCP_FIN_WAIT1:
			if (tp->snd_una == tp->write_seq) {
				tcp_set_state(sk, TCP_FIN_WAIT2);
				sk->sk_shutdown |= SEND_SHUTDOWN;
				if (!sock_flag(sk, SOCK_DEAD)) {
					/* Wake up lingering close() */
					sk->sk_state_change(sk);
				} else {
					int tmo;

					if (tcp_linger2(tp) < 0 ||
					    (TCP_SKB_CB(skb)->end_seq != TCP_SKB_CB(skb)->seq &&
					     after(TCP_SKB_CB(skb)->end_seq - th->fin, tp->rcv_nxt))) {
						tcp_done(sk);
						NET_INC_STATS_BH(sock_net(sk),
								 LINUX_MIB_TCPABORTONDATA);
						return 1;
					}
					tmo = tcp_fin_time(sk);
					if (tmo > TCP_TIMEWAIT_LEN) {
						inet_csk_reset_keepalive_timer(
							sk, (unsigned long)(tmo - TCP_TIMEWAIT_LEN));
					} else if (th->fin || sock_owned_by_user(sk)) {
						/* Bad case. We could lose such FIN otherwise. It is
						 * not a big problem, but it looks confusing and not so
						 * rare event. We still can lose it now, if it spins in
						 * bh_lock_sock(), but it is really marginal case. */
						inet_csk_reset_keepalive_timer(sk, (unsigned long)tmo);
					} else {
						tcp_time_wait(sk, TCP_FIN_WAIT2, tmo);
						goto discard;
					}
				}
			}
			break;
		case TCP_CLOSING:
			if (tp->snd_una == tp->write_seq) {
				tcp_time_wait(sk, TCP_TIME_WAIT, 0);
				goto discard;
			}
			break;
		case TCP_LAST_ACK:
			if (tp->snd_una == tp->write_seq) {
				tcp_done(sk);
				goto discard;
			}
			break;
		default:
			if (!acceptable && after(TCP_SKB_CB(skb)->ack_seq, tp->snd_nxt)) {
				kfree_skb_reason(skb, SKB_DROP_REASON_TCP_ACK_UNSENT_DATA);
				return 0;
			}
			break;
		}
	}

	/* step 6: check the URG bit */
	if (unlikely(tcp_urg(sk, skb, th))) {
		/* (DIVERGES: see tcp_check_urg: no memory for the urgent pointer.) */
		if (sk->sk_state != TCP_CLOSE)
			tcp_data_snd_check(sk);
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return 0;
	}

	/* step 7: process the segment text */
	switch (sk->sk_state) {
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		if (!before(TCP_SKB_CB(skb)->seq, tp->rcv_nxt))
			break;
		/* fall through */
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		/* RFC 793 says to queue data in these states, RFC 1122 says we MUST send a
		 * reset. BSD 4.4 also does reset. */
		if (sk->sk_shutdown & RCV_SHUTDOWN) {
			if (TCP_SKB_CB(skb)->end_seq != TCP_SKB_CB(skb)->seq &&
			    after(TCP_SKB_CB(skb)->end_seq - th->fin, tp->rcv_nxt)) {
				NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPABORTONDATA);
				tcp_reset(sk);
				return 1;
			}
		}
		/* fall through */
	case TCP_ESTABLISHED:
		tcp_data_queue(sk, skb);
		queued = 1;
		break;
	default:
		break;
	}

	/* tcp_data could move socket to TIME-WAIT */
	if (sk->sk_state != TCP_CLOSE) {
		tcp_data_snd_check(sk);
		tcp_ack_snd_check(sk);
	}
discard:
	/* The segment did its job (an ACK, a state change). */
	if (!queued)
		consume_skb(skb);
	return 0;
}

/* Copy the payload of @skb (after @hlen bytes of header) into the buffer of the reader
 * waiting in tcp_recvmsg (tcp_ucopy(sk)), whose task runs this. Bottom halves are back on for
 * the copy, as 3.10. The checksum was verified on entry (tcp_v4_checksum_init), so no
 * copy-and-checksum variant is needed. Returns 0 or -EFAULT. Context: process, socket
 * owned by that reader. */
static noinline int tcp_copy_to_iovec(struct sock *sk, struct sk_buff *skb, int hlen)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_ucopy *ucopy = tcp_ucopy(sk);
	int chunk = (int)skb->len - hlen;
	int err;

	local_bh_enable();
	err = skb_copy_datagram_iovec(skb, hlen, ucopy->iov, chunk);
	if (!err) {
		ucopy->len -= chunk;
		tp->copied_seq += (u32)chunk;
		tcp_rcv_space_adjust(sk);
	}
	local_bh_disable();
	return err;
}

/* TCP receive function for the ESTABLISHED state. It is split into a fast path and a slow
 * path. The fast path is disabled when:
 * - A zero window was announced from us - zero window probing is only handled properly
 *   in the slow path.
 * - Out of order segments arrived.
 * - Urgent data is expected.
 * - There is no buffer space left
 * - Unexpected TCP flags/window values/header lengths are received (detected by checking
 *   the TCP header against pred_flags)
 * - Data is sent in both directions. Fast path only supports pure senders or pure
 *   receivers (this means either the sequence number or the ack value must stay
 *   constant)
 * - Unexpected TCP option.
 * When these conditions are not satisfied it drops into a standard receive procedure
 * patterned after RFC793 to handle all cases. The first three cases are guaranteed by
 * proper pred_flags setting, the rest is checked inline. Fast processing is turned on in
 * tcp_data_queue when everything is OK. Consumes @skb; returns 0 (ulnet never asks the
 * caller for a reset from here). */
int tcp_rcv_established(struct sock *sk, struct sk_buff *skb, const struct tcphdr *th,
			unsigned int len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	enum skb_drop_reason reason;
	bool fragstolen = false;
	int eaten;

	UL_TRACE(skb);
	if (unlikely(!sk->sk_rx_dst))	/* none yet, or tcp_v4_do_rcv dropped a stale one */
		inet_csk(sk)->icsk_af_ops->sk_rx_dst_set(sk, skb);
	tp->rx_opt.saw_tstamp = 0;

	/* pred_flags is 0xS?10 << 16 + snd_wnd if header_prediction is to be made 'S' will
	 * always be tp->tcp_header_len >> 2 '?' will be 0 for the fast path, otherwise
	 * pred_flags is 0 to always take the slow path. The PSH flag is ignored. */
	if ((tcp_flag_word_get(th) & TCP_HP_BITS) == tp->pred_flags &&
	    TCP_SKB_CB(skb)->seq == tp->rcv_nxt && !after(TCP_SKB_CB(skb)->ack_seq, tp->snd_nxt)) {
		int tcp_header_len = tp->tcp_header_len;

		/* Timestamp header prediction: tcp_header_len is automatically equal to
		 * th->doff*4 due to pred_flags match. */

		/* Check timestamp */
		if (tcp_header_len == sizeof(struct tcphdr) + TCPOLEN_TSTAMP_ALIGNED) {
			/* No? Slow path! */
			if (!tcp_parse_aligned_timestamp(tp, th))
				goto slow_path;
			/* If PAWS failed, check it more carefully in slow path */
			if ((s32)(tp->rx_opt.rcv_tsval - tp->rx_opt.ts_recent) < 0)
				goto slow_path;
			/* DO NOT update ts_recent here, if checksum fails and timestamp was
			 * corrupted part, it will result in a hung connection since we will drop
			 * all future packets due to the PAWS test. */
		}

		if (len <= (unsigned int)tcp_header_len) {
			/* Bulk data transfer: sender */
			if (len == (unsigned int)tcp_header_len) {
				/* Predicted packet is in window by definition. seq == rcv_nxt and
				 * rcv_wup <= rcv_nxt. Hence, check seq<=rcv_wup reduces to: */
				if (tcp_header_len == (int)(sizeof(struct tcphdr) + TCPOLEN_TSTAMP_ALIGNED) &&
				    tp->rcv_nxt == tp->rcv_wup)
					tcp_store_ts_recent(tp);

				/* We know that such packets are checksummed on entry. */
				tcp_ack(sk, skb, 0);
				consume_skb(skb);
				tcp_data_snd_check(sk);
				return 0;
			} else { /* Header too small */
				TCP_INC_STATS_BH(sock_net(sk), TCP_MIB_INERRS);
				reason = SKB_DROP_REASON_PKT_TOO_SMALL;
				goto discard;
			}
		} else {
			eaten = 0;
			/* The reader waiting in tcp_recvmsg runs this (prequeue or backlog):
			 * straight into its buffer. (3.10 tests copied_seq and the length
			 * before the task; the order only matters for tcp_ucopy's NULL.) */
			struct tcp_ucopy *ucopy = tcp_ucopy(sk);

			if (unlikely(ucopy) && ucopy->task == current &&
			    sock_owned_by_user(sk) && tp->copied_seq == tp->rcv_nxt &&
			    len - (unsigned int)tcp_header_len <= (unsigned int)ucopy->len) {
				__set_current_state(TASK_RUNNING);

				if (!tcp_copy_to_iovec(sk, skb, tcp_header_len))
					eaten = 1;
			}
			if (eaten) {
				/* Predicted packet is in window by definition. seq == rcv_nxt
				 * and rcv_wup <= rcv_nxt. Hence, check seq<=rcv_wup reduces
				 * to: */
				if (tcp_header_len ==
				    (int)(sizeof(struct tcphdr) + TCPOLEN_TSTAMP_ALIGNED) &&
				    tp->rcv_nxt == tp->rcv_wup)
					tcp_store_ts_recent(tp);

				tcp_rcv_rtt_measure_ts(sk, skb);

				__skb_pull(skb, (unsigned int)tcp_header_len);
				tp->rcv_nxt = TCP_SKB_CB(skb)->end_seq;
				NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPHPHITSTOUSER);
				goto eaten_to_user;
			}

			if ((int)skb->truesize > sk->sk_forward_alloc)
				goto step5;

			/* Predicted packet is in window by definition. seq == rcv_nxt and
			 * rcv_wup <= rcv_nxt. Hence, check seq<=rcv_wup reduces to: */
			if (tcp_header_len == (int)(sizeof(struct tcphdr) + TCPOLEN_TSTAMP_ALIGNED) &&
			    tp->rcv_nxt == tp->rcv_wup)
				tcp_store_ts_recent(tp);

			tcp_rcv_rtt_measure_ts(sk, skb);

			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPHPHITS);

			/* Bulk data transfer: receiver */
			skb_dst_drop(skb);
			eaten = tcp_queue_rcv(sk, skb, tcp_header_len, &fragstolen);
eaten_to_user:

			tcp_event_data_recv(sk, skb);

			if (TCP_SKB_CB(skb)->ack_seq != tp->snd_una) {
				/* Well, only one small jumplet in fast path... */
				tcp_ack(sk, skb, FLAG_DATA);
				tcp_data_snd_check(sk);
				if (!inet_csk_ack_scheduled(sk))
					goto no_ack;
			}

			__tcp_ack_snd_check(sk, 0);
no_ack:
			/* A merged skb was still read above (len, cb, header): freed last. */
			if (eaten)
				kfree_skb_partial(skb, fragstolen);
			sk->sk_data_ready(sk, 0);
			return 0;
		}
	}

slow_path:
	if (len < (unsigned int)(th->doff << 2)) {
		TCP_INC_STATS_BH(sock_net(sk), TCP_MIB_INERRS);
		reason = SKB_DROP_REASON_PKT_TOO_SMALL;
		goto discard;
	}

	if (!th->ack && !th->rst) {
		reason = SKB_DROP_REASON_TCP_FLAGS;
		goto discard;
	}

	/* Standard slow path. */
	if (!tcp_validate_incoming(sk, skb, th, 1))
		return 0;

step5:
	if (tcp_ack(sk, skb, FLAG_SLOWPATH | FLAG_UPDATE_TS_RECENT) < 0) {
		reason = SKB_DROP_REASON_TCP_ACK_UNSENT_DATA;
		goto discard;
	}

	tcp_rcv_rtt_measure_ts(sk, skb);

	/* Process urgent data. (No memory for a new urgent pointer: the segment is dropped
	 * after its ACK was processed, see tcp_check_urg.) */
	if (unlikely(tcp_urg(sk, skb, th))) {
		tcp_data_snd_check(sk);
		reason = SKB_DROP_REASON_NOMEM;
		goto discard;
	}

	/* step 7: process the segment text */
	tcp_data_queue(sk, skb);

	if (sk->sk_state != TCP_CLOSE) {
		tcp_data_snd_check(sk);
		tcp_ack_snd_check(sk);
	}
	return 0;

discard:
	kfree_skb_reason(skb, reason);
	return 0;
}
