/* SPDX-License-Identifier: MIT */
/* Building and sending TCP segments: the header and options, the send path from the write
 * queue (windows, Nagle, cork), SYN, SYN-ACK, ACKs (immediate and delayed), FIN, resets,
 * retransmissions, window probes, the initial window and the MSS.
 * Mirrors linux/net/ipv4/tcp_output.c (3.10): tcp_select_initial_window,
 * __tcp_select_window, tcp_select_window, tcp_syn_options, tcp_synack_options,
 * tcp_established_options, tcp_options_write, tcp_event_data_sent, tcp_event_ack_sent,
 * tcp_cwnd_restart, tcp_transmit_skb, tcp_queue_skb, tcp_fragment, tcp_trim_head,
 * tcp_init_nondata_skb, tcp_mtu_to_mss, tcp_sync_mss, tcp_current_mss, tcp_cwnd_validate,
 * tcp_cwnd_test, tcp_snd_wnd_test, tcp_nagle_test, tcp_minshall_update, tcp_write_xmit,
 * __tcp_push_pending_frames, tcp_push_one, tcp_connect_init, tcp_connect, tcp_make_synack,
 * tcp_send_ack, tcp_send_delayed_ack, tcp_send_fin, tcp_send_active_reset,
 * __tcp_retransmit_skb, tcp_retransmit_skb, tcp_xmit_retransmit_queue, tcp_xmit_probe_skb,
 * tcp_write_wakeup, tcp_send_probe0; TSO: tcp_set_skb_tso_segs, tcp_init_tso_segs,
 * tcp_adjust_fackets_out, tcp_adjust_pcount, tcp_mss_split_point, tso_fragment,
 * tcp_tso_should_defer; tcp_snd_test, tcp_may_send_now, tcp_schedule_loss_probe,
 * tcp_send_loss_probe, tcp_can_forward_retransmit, tcp_send_synack.
 *
 * Book ch4: send() = tcp_sendmsg -> tcp_push -> __tcp_push_pending_frames -> tcp_write_xmit
 * -> tcp_transmit_skb, which clones the queued skb (the original stays for retransmission),
 * pushes the TCP header and calls icsk_af_ops->queue_xmit = ip_queue_xmit.
 * TSO: skbs up to the size goal (tcp.c's tcp_xmit_size_goal) count tcp_skb_pcount
 * segments, are cut to the windows in tcp_write_xmit and segmented by the device or by
 * skb_gso_segment (net/core/gso.c).
 * Write-queue skbs carry their payload in page frags on a scatter-gather route
 * (tcp_sendmsg, tcp_sendpage): tcp_fragment/tso_fragment split them with skb_split and
 * tcp_trim_head with __pskb_trim_head, without copying.
 * DIVERGES: no TCP small queues, no MTU probing.
 * Context: process (connect, send, close) or softirq (ACK processing, timers), socket
 * locked. */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/skbuff.h"
#include "net/dst.h"
#include "net/inet_connection_sock.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/tcp.h"
#include "trace/path.h"

int sysctl_tcp_workaround_signed_windows;
int sysctl_tcp_base_mss = TCP_BASE_MSS;
int sysctl_tcp_slow_start_after_idle = 1;

#define OPTION_SACK_ADVERTISE	(1 << 0)
#define OPTION_TS		(1 << 1)
#define OPTION_MD5		(1 << 2)
#define OPTION_WSCALE		(1 << 3)

struct tcp_out_options {
	u16 options;		/* bit field of OPTION_* */
	u16 mss;		/* 0 to disable */
	u8 ws;			/* window scale, 0 to disable */
	u8 num_sack_blocks;	/* number of SACK blocks to include */
	u32 tsval, tsecr;	/* need to include OPTION_TS */
};

static void tcp_queue_skb(struct sock *sk, struct sk_buff *skb);
static void tcp_adjust_pcount(struct sock *sk, const struct sk_buff *skb, int decr);

/* facts.md §3.4. */
void tcp_select_initial_window(int __space, __u32 mss, __u32 *rcv_wnd, __u32 *window_clamp,
			       int wscale_ok, __u8 *rcv_wscale, __u32 init_rcv_wnd)
{
	unsigned int space = (unsigned int)(__space < 0 ? 0 : __space);

	/* If no clamp set the clamp to the max possible scaled window */
	if (*window_clamp == 0)
		(*window_clamp) = (65535U << 14);
	space = min(*window_clamp, space);

	/* Quantize space offering to a multiple of mss if possible. */
	if (space > mss)
		space = (space / mss) * mss;

	/* NOTE: offering an initial window larger than 32767 will break some buggy TCP
	 * stacks. If the admin tells us it is likely we could be speaking with such a buggy
	 * stack we will truncate our initial window offering to 32K-1 unless the remote
	 * has sent us a window scaling option, which we interpret as a sign the remote TCP
	 * is not misinterpreting the window field as a signed quantity. */
	if (sysctl_tcp_workaround_signed_windows)
		(*rcv_wnd) = min(space, MAX_TCP_WINDOW);
	else
		(*rcv_wnd) = space;

	(*rcv_wscale) = 0;
	if (wscale_ok) {
		/* Set window scaling on max possible window. See RFC1323 for an explanation
		 * of the limit to 14. */
		space = (unsigned int)max_t(u32, (u32)sysctl_tcp_rmem[2], (u32)SK_RMEM_MAX);
		space = min(*window_clamp, space);
		while (space > 65535 && (*rcv_wscale) < 14) {
			space >>= 1;
			(*rcv_wscale)++;
		}
	}

	/* Set initial window to a value enough for senders starting with initial congestion
	 * window of TCP_DEFAULT_INIT_RCVWND. Place a limit on the initial window when mss
	 * is larger than 1460. */
	if (mss > (1U << *rcv_wscale)) {
		int init_cwnd = TCP_DEFAULT_INIT_RCVWND;

		if (mss > 1460)
			init_cwnd = (int)max_t(u32, (1460 * TCP_DEFAULT_INIT_RCVWND) / mss, 2);
		/* when initializing use the value from init_rcv_wnd rather than the default
		 * from above */
		if (init_rcv_wnd)
			*rcv_wnd = min(*rcv_wnd, init_rcv_wnd * mss);
		else
			*rcv_wnd = min(*rcv_wnd, (u32)init_cwnd * mss);
	}

	/* Set the clamp no higher than max representable value */
	(*window_clamp) = min(65535U << (*rcv_wscale), *window_clamp);
}

/* This function returns the amount that we can raise the usable window based on the
 * following constraints:
 * 1. The window can never be shrunk once it is offered (RFC 793)
 * 2. We limit memory per socket
 * RFC 1122: "the suggested [SWS] avoidance algorithm for the receiver is to keep RECV.NEXT +
 * RCV.WIN fixed until: RCV.BUFF - RCV.USER - RCV.WINDOW >= min(1/2 RCV.BUFF, MSS)" i.e.
 * don't raise the right edge of the window until you can raise it at least MSS bytes.
 * Unfortunately, the recommended algorithm breaks header prediction, since header
 * prediction assumes th->window stays fixed. So ulnet, as Linux, offers free space rounded
 * down to whole MSS without window scaling, and rounded up to the scale unit with it. */
u32 __tcp_select_window(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	/* MSS for the peer's data. Previous versions used mss_clamp here. I don't know if
	 * the value based on our guesses of peer's MSS is better for the performance. It's
	 * more correct but may be worse for the performance because of rcv_mss fluctuations.
	 * --SAW 1998/11/1 */
	int mss = icsk->icsk_ack.rcv_mss;
	int free_space = tcp_space(sk);
	int full_space = min_t(int, (int)tp->window_clamp, tcp_full_space(sk));
	int window;

	if (mss > full_space)
		mss = full_space;

	if (free_space < (full_space >> 1)) {
		icsk->icsk_ack.quick = 0;
		if (sk_stream_under_memory_pressure(sk))
			tp->rcv_ssthresh = min(tp->rcv_ssthresh, 4U * tp->advmss);
		if (free_space < mss)
			return 0;
	}

	if (free_space > (int)tp->rcv_ssthresh)
		free_space = (int)tp->rcv_ssthresh;

	/* Don't do rounding if we are using window scaling, since the scaled window will not
	 * line up with the MSS boundary anyway. */
	window = (int)tp->rcv_wnd;
	if (tp->rx_opt.rcv_wscale) {
		window = free_space;
		/* Advertise enough space so that it won't get scaled away. Import case: prevent
		 * zero window announcement if 1<<rcv_wscale > mss. */
		if (((window >> tp->rx_opt.rcv_wscale) << tp->rx_opt.rcv_wscale) != window)
			window = (((window >> tp->rx_opt.rcv_wscale) + 1) << tp->rx_opt.rcv_wscale);
	} else {
		/* Get the largest window that is a nice multiple of mss. Window clamp already
		 * applied above. If our current window offering is within 1 mss of the free
		 * space we just keep it. This prevents the divide and multiply. */
		if (mss <= 0)
			mss = 1;
		if (window <= free_space - mss || window > free_space)
			window = (free_space / mss) * mss;
		else if (mss == full_space && free_space > window + (full_space >> 1))
			window = free_space;
	}
	return (u32)window;
}

/* Chose a new window to advertise, update state in tcp_sock for the socket, and return
 * result with RFC1323 scaling applied. The return value can be stuffed directly into
 * th->window for an outgoing frame. Inlined into tcp_transmit_skb, its only caller (static
 * in 3.10; ulnet also declares it in net/tcp.h). */
__always_inline u16 tcp_select_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 cur_win = tcp_receive_window(tp);
	u32 new_win = __tcp_select_window(sk);

	/* Never shrink the offered window */
	if (new_win < cur_win) {
		/* Danger Will Robinson! Don't update the window while we are using window
		 * scaling, as the scaled window will not line up. (RFC 793: never shrink.) */
		new_win = ALIGN(cur_win, 1U << tp->rx_opt.rcv_wscale);
	}
	tp->rcv_wnd = new_win;
	tp->rcv_wup = tp->rcv_nxt;

	/* Make sure we do not exceed the maximum possible scaled window. */
	if (!tp->rx_opt.rcv_wscale && sysctl_tcp_workaround_signed_windows)
		new_win = min(new_win, MAX_TCP_WINDOW);
	else
		new_win = min(new_win, (65535U << tp->rx_opt.rcv_wscale));

	/* RFC1323 scaling applied */
	new_win >>= tp->rx_opt.rcv_wscale;

	/* If we advertise zero window, disable fast path. */
	if (new_win == 0)
		tp->pred_flags = 0;
	return (u16)new_win;
}

/* Write previously computed TCP options to the packet. Beware: Something in the Internet
 * is very sensitive to the ordering of TCP options, we learned this through the hard way,
 * so be careful here! Luckily we can at least blame others for their non-compliance but
 * from inter-operability perspective it seems that we're somewhat stuck with the ordering
 * which we have been using if we want to keep working with those broken things (not that
 * it currently hurts anybody as there isn't particular reason why the ordering would need
 * to be changed). */
static inline void tcp_options_write(__be32 *ptr, struct tcp_sock *tp, struct tcp_out_options *opts)
{
	u16 options = opts->options;

	if (unlikely(opts->mss))
		*ptr++ = htonl((TCPOPT_MSS << 24) | (TCPOLEN_MSS << 16) | opts->mss);
	if (likely(OPTION_TS & options)) {
		if (unlikely(OPTION_SACK_ADVERTISE & options)) {
			*ptr++ = htonl((TCPOPT_SACK_PERM << 24) | (TCPOLEN_SACK_PERM << 16) |
				       (TCPOPT_TIMESTAMP << 8) | TCPOLEN_TIMESTAMP);
			options &= ~OPTION_SACK_ADVERTISE;
		} else {
			*ptr++ = htonl((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) |
				       (TCPOPT_TIMESTAMP << 8) | TCPOLEN_TIMESTAMP);
		}
		*ptr++ = htonl(opts->tsval);
		*ptr++ = htonl(opts->tsecr);
	}
	if (unlikely(OPTION_SACK_ADVERTISE & options))
		*ptr++ = htonl((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) | (TCPOPT_SACK_PERM << 8) |
			       TCPOLEN_SACK_PERM);
	if (unlikely(OPTION_WSCALE & options))
		*ptr++ = htonl((TCPOPT_NOP << 24) | (TCPOPT_WINDOW << 16) |
			       (TCPOLEN_WINDOW << 8) | opts->ws);
	if (unlikely(opts->num_sack_blocks)) {
		int this_sack;

		*ptr++ = htonl((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) | (TCPOPT_SACK << 8) |
			       (TCPOLEN_SACK_BASE + (opts->num_sack_blocks * TCPOLEN_SACK_PERBLOCK)));
		/* The D-SACK block first (RFC 2883), then the SACK blocks, most recent first.
		 * (3.10 reads past duplicate_sack[] into selective_acks[]; same order.) */
		for (this_sack = 0; this_sack < opts->num_sack_blocks; ++this_sack) {
			const struct tcp_sack_block *sp;

			if (tp->rx_opt.dsack)
				sp = this_sack ? &tp->ofo->selective_acks[this_sack - 1]
					       : &tp->ofo->duplicate_sack[0];
			else
				sp = &tp->ofo->selective_acks[this_sack];
			*ptr++ = htonl(sp->start_seq);
			*ptr++ = htonl(sp->end_seq);
		}
		tp->rx_opt.dsack = 0;
	}
}

/* Compute TCP options for SYN packets. This is not the final network wire format yet. */
static unsigned int tcp_syn_options(struct sock *sk, struct sk_buff *skb,
				    struct tcp_out_options *opts)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int remaining = MAX_TCP_OPTION_SPACE;

	/* We always get an MSS option. The option bytes which will be seen in normal data
	 * packets should timestamps be used, must be in the MSS advertised. But we subtract
	 * them from tp->mss_cache so that calculations in tcp_sendmsg are simple etc. So
	 * account for this fact here if necessary. If we don't do this correctly, as a
	 * receiver we won't recognize data packets as being full sized when we should, and
	 * thus we won't abide by the delayed ACK rules correctly. SACKs don't matter, we
	 * never delay an ACK when we have any of those going out. */
	opts->mss = tp->advmss;
	remaining -= TCPOLEN_MSS_ALIGNED;

	if (likely(sysctl_tcp_timestamps)) {
		opts->options |= OPTION_TS;
		opts->tsval = TCP_SKB_CB(skb)->when;
		opts->tsecr = tp->rx_opt.ts_recent;
		remaining -= TCPOLEN_TSTAMP_ALIGNED;
	}
	if (likely(sysctl_tcp_window_scaling)) {
		opts->ws = tp->rx_opt.rcv_wscale;
		opts->options |= OPTION_WSCALE;
		remaining -= TCPOLEN_WSCALE_ALIGNED;
	}
	if (likely(sysctl_tcp_sack)) {
		opts->options |= OPTION_SACK_ADVERTISE;
		if (unlikely(!(OPTION_TS & opts->options)))
			remaining -= TCPOLEN_SACKPERM_ALIGNED;
	}
	return MAX_TCP_OPTION_SPACE - remaining;
}

/* Set up TCP options for SYN-ACKs. */
static unsigned int tcp_synack_options(struct sock *sk, struct request_sock *req,
				       unsigned int mss, struct sk_buff *skb,
				       struct tcp_out_options *opts)
{
	struct inet_request_sock *ireq = inet_rsk(req);
	unsigned int remaining = MAX_TCP_OPTION_SPACE;

	(void)sk;
	/* We always send an MSS option. */
	opts->mss = (u16)mss;
	remaining -= TCPOLEN_MSS_ALIGNED;

	if (likely(ireq->wscale_ok)) {
		opts->ws = ireq->rcv_wscale;
		opts->options |= OPTION_WSCALE;
		remaining -= TCPOLEN_WSCALE_ALIGNED;
	}
	if (likely(ireq->tstamp_ok)) {
		opts->options |= OPTION_TS;
		opts->tsval = TCP_SKB_CB(skb)->when;
		opts->tsecr = req->ts_recent;
		remaining -= TCPOLEN_TSTAMP_ALIGNED;
	}
	if (likely(ireq->sack_ok)) {
		opts->options |= OPTION_SACK_ADVERTISE;
		if (unlikely(!ireq->tstamp_ok))
			remaining -= TCPOLEN_SACKPERM_ALIGNED;
	}
	return MAX_TCP_OPTION_SPACE - remaining;
}

/* Compute TCP options for ESTABLISHED sockets. This is not the final wire format yet. */
static inline unsigned int tcp_established_options(struct sock *sk, struct sk_buff *skb,
					    struct tcp_out_options *opts)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int size = 0;

	unsigned int eff_sacks;

	opts->options = 0;
	if (likely(tp->rx_opt.tstamp_ok)) {
		opts->options |= OPTION_TS;
		opts->tsval = skb ? TCP_SKB_CB(skb)->when : tcp_time_stamp;
		opts->tsecr = tp->rx_opt.ts_recent;
		size += TCPOLEN_TSTAMP_ALIGNED;
	}
	/* The SACK blocks (RFC 2018) and the D-SACK block (RFC 2883) we owe the peer. */
	eff_sacks = tp->rx_opt.num_sacks + tp->rx_opt.dsack;
	if (unlikely(eff_sacks)) {
		const unsigned int remaining = MAX_TCP_OPTION_SPACE - size;

		opts->num_sack_blocks = (u8)min_t(unsigned int, eff_sacks,
						  (remaining - TCPOLEN_SACK_BASE_ALIGNED) /
							  TCPOLEN_SACK_PERBLOCK);
		size += TCPOLEN_SACK_BASE_ALIGNED + opts->num_sack_blocks * TCPOLEN_SACK_PERBLOCK;
	}
	return size;
}

/* Congestion state accounting after a packet has been sent. */
static void tcp_event_ack_sent(struct sock *sk, unsigned int pkts)
{
	tcp_dec_quickack_mode(sk, pkts);
	inet_csk_clear_xmit_timer(sk, ICSK_TIME_DACK);
}

u32 tcp_init_cwnd(const struct tcp_sock *tp, const struct dst_entry *dst)
{
	u32 cwnd = dst ? dst_metric(dst, RTAX_INITCWND) : 0;

	if (!cwnd)
		cwnd = TCP_INIT_CWND;
	return min_t(u32, cwnd, tp->snd_cwnd_clamp);
}

/* RFC2861. Reset CWND after idle period longer RTO to "restart window". This is the first
 * part of cwnd validation mechanism. */
void tcp_cwnd_restart(struct sock *sk, const struct dst_entry *dst)
{
	struct tcp_sock *tp = tcp_sk(sk);
	s32 delta = (s32)(tcp_time_stamp - tp->lsndtime);
	u32 restart_cwnd = tcp_init_cwnd(tp, dst);
	u32 cwnd = tp->snd_cwnd;

	tcp_ca_event(sk, CA_EVENT_CWND_RESTART);
	tp->snd_ssthresh = tcp_current_ssthresh(sk);
	restart_cwnd = min(restart_cwnd, cwnd);

	while ((delta -= (s32)inet_csk(sk)->icsk_rto) > 0 && cwnd > restart_cwnd)
		cwnd >>= 1;
	tp->snd_cwnd = max(cwnd, restart_cwnd);
	tp->snd_cwnd_stamp = tcp_time_stamp;
	tp->snd_cwnd_used = 0;
}

/* Congestion state accounting after a packet has been sent. */
static void tcp_event_data_sent(struct tcp_sock *tp, struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	const u32 now = tcp_time_stamp;

	if (sysctl_tcp_slow_start_after_idle &&
	    (!tp->packets_out && (s32)(now - tp->lsndtime) > (s32)icsk->icsk_rto))
		tcp_cwnd_restart(sk, __sk_dst_get(sk));

	tp->lsndtime = now;

	/* If it is a reply for ato after last received packet, enter pingpong mode. */
	if ((u32)(now - icsk->icsk_ack.lrcvtime) < icsk->icsk_ack.ato)
		icsk->icsk_ack.pingpong = 1;
}

/* This routine actually transmits TCP packets queued in by tcp_do_sendmsg(). This is used
 * by both the initial transmission and possible later retransmissions. All SKB's seen
 * here are completely headerless. It is our job to build the TCP header, and pass the
 * packet down to IP so it can do the same plus pass the packet off to the device. We are
 * working here with either a clone of the original SKB, or a fresh unique copy made by the
 * retransmit engine. */
static int tcp_transmit_skb(struct sock *sk, struct sk_buff *skb, int clone_it, gfp_t gfp_mask)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	struct inet_sock *inet;
	struct tcp_sock *tp;
	struct tcp_skb_cb *tcb;
	struct tcp_out_options opts;
	unsigned int tcp_options_size, tcp_header_size;
	/* DIVERGES: 3.10 passes &inet->cork.fl; ulnet's TCP socks have no cork (see struct
	 * inet_dgram): the flow is rebuilt from the sock's addresses. */
	struct flowi4 fl4 = { 0 };
	struct tcphdr *th;
	int err;

	UL_TRACE(skb);

	if (clone_it) {
		skb = skb_clone(skb, gfp_mask);
		if (unlikely(!skb))
			return -ENOBUFS;
	}

	inet = inet_sk(sk);
	tp = tcp_sk(sk);
	tcb = TCP_SKB_CB(skb);
	memset(&opts, 0, sizeof(opts));

	if (unlikely(tcb->tcp_flags & TCPHDR_SYN))
		tcp_options_size = tcp_syn_options(sk, skb, &opts);
	else
		tcp_options_size = tcp_established_options(sk, skb, &opts);
	tcp_header_size = tcp_options_size + (unsigned int)sizeof(struct tcphdr);

	skb_push(skb, tcp_header_size);
	skb_reset_transport_header(skb);
	skb_set_owner_w(skb, sk);

	/* Build TCP header and checksum it. */
	th = tcp_hdr(skb);
	th->source = inet->inet_sport;
	th->dest = inet->inet_dport;
	th->seq = htonl(tcb->seq);
	th->ack_seq = htonl(tp->rcv_nxt);
	*(((__be16 *)th) + 6) = htons((u16)(((tcp_header_size >> 2) << 12) | tcb->tcp_flags));

	if (unlikely(tcb->tcp_flags & TCPHDR_SYN)) {
		/* RFC1323: The window in SYN & SYN/ACK segments is never scaled. */
		th->window = htons((u16)min(tp->rcv_wnd, 65535U));
	} else {
		th->window = htons(tcp_select_window(sk));
	}
	th->check = 0;
	th->urg_ptr = 0;

	/* The urgent pointer, while the urgent data is ahead of this segment's start: the
	 * offset from seq when it fits in 16 bits, else 0xFFFF ("further on") as long as
	 * seq + 0xFFFF is beyond snd_nxt (RFC 6093 4.1 lets a pointer beyond the segment
	 * stand). */
	if (unlikely(tcp_urg_mode(tp) && before(tcb->seq, tcp_snd_up(tp)))) {
		if (before(tcp_snd_up(tp), tcb->seq + 0x10000)) {
			th->urg_ptr = htons((u16)(tcp_snd_up(tp) - tcb->seq));
			th->urg = 1;
		} else if (after(tcb->seq + 0xFFFF, tp->snd_nxt)) {
			th->urg_ptr = htons(0xFFFF);
			th->urg = 1;
		}
	}

	tcp_options_write((__be32 *)(th + 1), tp, &opts);
	icsk->icsk_af_ops->send_check(sk, skb);

	if (likely(tcb->tcp_flags & TCPHDR_ACK))
		tcp_event_ack_sent(sk, tcp_skb_pcount(skb));
	if (skb->len != tcp_header_size)
		tcp_event_data_sent(tp, sk);

	/* RFC 1213 tcpOutSegs "excluding those containing only retransmitted octets". */
	if (after(tcb->end_seq, tp->snd_nxt) || tcb->seq == tcb->end_seq)
		TCP_ADD_STATS(sock_net(sk), TCP_MIB_OUTSEGS, tcp_skb_pcount(skb));

	inet_sk_flowi4_addrs(sk, &fl4);
	err = icsk->icsk_af_ops->queue_xmit(skb, &fl4);
	if (likely(err <= 0))
		return err;
	return net_xmit_eval(err);
}

/* Constructs common control bits of non-data skb. If SYN/FIN is present, auto increment
 * end seqno. */
static void tcp_init_nondata_skb(struct sk_buff *skb, u32 seq, u8 flags)
{
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum = 0;
	TCP_SKB_CB(skb)->tcp_flags = flags;
	TCP_SKB_CB(skb)->sacked = 0;
	skb_shinfo(skb)->gso_segs = 1;
	skb_shinfo(skb)->gso_size = 0;
	skb_shinfo(skb)->gso_type = 0;
	TCP_SKB_CB(skb)->seq = seq;
	if (flags & (TCPHDR_SYN | TCPHDR_FIN))
		seq++;
	TCP_SKB_CB(skb)->end_seq = seq;
}

/* Calculate MSS not accounting any TCP options. */
static inline int __tcp_mtu_to_mss(struct sock *sk, int pmtu)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct inet_connection_sock *icsk = inet_csk(sk);
	int mss_now;

	/* Calculate base mss without TCP options: It is MMS_S - sizeof(tcphdr) of rfc1122 */
	mss_now = pmtu - icsk->icsk_af_ops->net_header_len - (int)sizeof(struct tcphdr);
	/* Clamp it (mss_clamp does not include tcp options) */
	if (mss_now > tp->rx_opt.mss_clamp)
		mss_now = tp->rx_opt.mss_clamp;
	/* Now subtract optional transport overhead */
	mss_now -= icsk->icsk_ext_hdr_len;
	/* Then reserve room for full set of TCP options and 8 bytes of data */
	if (mss_now < 48)
		mss_now = 48;
	return mss_now;
}

/* Calculate MSS. Not accounting for SACKs here. */
int tcp_mtu_to_mss(struct sock *sk, int pmtu)
{
	/* Subtract TCP options size, not including SACKs */
	return __tcp_mtu_to_mss(sk, pmtu) - (tcp_sk(sk)->tcp_header_len -
					     (int)sizeof(struct tcphdr));
}

/* This function synchronize snd mss to current pmtu/exthdr set. tp->rx_opt.user_mss is
 * mss set by user by TCP_MAXSEG. It does NOT counts for TCP options, but includes only
 * bare TCP header. tp->rx_opt.mss_clamp is mss negotiated at connection setup. It is
 * minimum of user_mss and mss received with SYN. It also does not include TCP options.
 * tp->mss_cache is current effective sending mss, including all tcp options except for
 * SACKs. */
unsigned int tcp_sync_mss(struct sock *sk, u32 pmtu)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	int mss_now;

	mss_now = tcp_mtu_to_mss(sk, (int)pmtu);
	/* tcp_bound_to_half_wnd */
	if (tp->max_window && (unsigned int)mss_now > (tp->max_window >> 1)) {
		int cutoff = (int)(tp->max_window >> 1);

		mss_now = max(cutoff, 68 - tp->tcp_header_len);
	}
	/* And store cached results */
	icsk->icsk_pmtu_cookie = pmtu;
	tp->mss_cache = (u32)mss_now;
	return (unsigned int)mss_now;
}

/* Compute the current effective MSS, taking SACKs and IP options, and even PMTU discovery
 * events into account. */
unsigned int tcp_current_mss(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct dst_entry *dst = __sk_dst_get(sk);
	u32 mss_now = tp->mss_cache;
	struct tcp_out_options opts;
	unsigned int header_len;

	if (dst) {
		u32 mtu = dst_mtu(dst);

		if (mtu != inet_csk(sk)->icsk_pmtu_cookie)
			mss_now = tcp_sync_mss(sk, mtu);
	}
	header_len = tcp_established_options(sk, NULL, &opts) + (unsigned int)sizeof(struct tcphdr);
	/* The mss_cache is sized based on tp->tcp_header_len, which assumes some common
	 * options. If this is an odd packet (because we have SACK blocks etc) then our
	 * calculated header_len will be different, and we have to adjust mss_now
	 * correspondingly */
	if (header_len != tp->tcp_header_len) {
		int delta = (int)header_len - tp->tcp_header_len;

		mss_now -= (u32)delta;
	}
	return mss_now;
}

/* Do all connect socket setups that can be done AF independent. */
static void tcp_connect_init(struct sock *sk)
{
	const struct dst_entry *dst = __sk_dst_get(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	__u8 rcv_wscale;

	/* We'll fix this up when we get a response from the other end. See
	 * tcp_input.c:tcp_rcv_state_process case TCP_SYN_SENT. */
	tp->tcp_header_len = sizeof(struct tcphdr) +
			     (sysctl_tcp_timestamps ? TCPOLEN_TSTAMP_ALIGNED : 0);

	/* If user gave his TCP_MAXSEG, record it to clamp */
	if (tp->rx_opt.user_mss)
		tp->rx_opt.mss_clamp = tp->rx_opt.user_mss;
	tp->max_window = 0;
	tcp_sync_mss(sk, dst_mtu(dst));

	if (!tp->window_clamp)
		tp->window_clamp = dst_metric(dst, RTAX_WINDOW);
	tp->advmss = (u16)dst_metric_advmss(dst);
	if (tp->rx_opt.user_mss && tp->rx_opt.user_mss < tp->advmss)
		tp->advmss = tp->rx_opt.user_mss;

	/* tcp_initialize_rcv_mss */
	inet_csk(sk)->icsk_ack.rcv_mss = (u16)max_t(u32, min_t(u32, tp->advmss, tp->mss_cache),
						    TCP_MIN_MSS);
	if (inet_csk(sk)->icsk_ack.rcv_mss > TCP_MSS_DEFAULT)
		inet_csk(sk)->icsk_ack.rcv_mss = TCP_MSS_DEFAULT;

	/* limit the window selection if the user enforce a smaller rx buffer */
	if (sk->sk_userlocks & SOCK_RCVBUF_LOCK &&
	    (tp->window_clamp > (u32)tcp_full_space(sk) || tp->window_clamp == 0))
		tp->window_clamp = (u32)tcp_full_space(sk);

	tcp_select_initial_window(tcp_full_space(sk),
				  tp->advmss - (tp->rx_opt.ts_recent_stamp ?
						tp->tcp_header_len - sizeof(struct tcphdr) : 0),
				  &tp->rcv_wnd, &tp->window_clamp, sysctl_tcp_window_scaling,
				  &rcv_wscale, dst_metric(dst, RTAX_INITRWND));

	tp->rx_opt.rcv_wscale = rcv_wscale;
	tp->rcv_ssthresh = tp->rcv_wnd;

	sk->sk_err = 0;
	sock_reset_flag(sk, SOCK_DONE);
	tp->snd_wnd = 0;
	tcp_init_wl(tp, 0);
	tp->snd_una = tp->write_seq;
	tp->snd_sml = tp->write_seq;
	if (sk->sk_rare)	/* else snd_up reads as snd_una (tcp_snd_up) */
		sk->sk_rare->snd_up = tp->write_seq;
	tp->snd_nxt = tp->write_seq;

	if (likely(!tp->repair))
		tp->rcv_nxt = 0;
	tp->rcv_wup = tp->rcv_nxt;
	tp->copied_seq = tp->rcv_nxt;

	inet_csk(sk)->icsk_rto = TCP_TIMEOUT_INIT;
	inet_csk(sk)->icsk_retransmits = 0;
	tcp_clear_retrans(tp);	/* (a reused socket's loss-recovery state) */
}

/* The SYN stays on the write queue until it is acknowledged (retransmission). */
static void tcp_connect_queue_skb(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);

	tcb->end_seq += skb->len;
	__skb_queue_tail(&sk->sk_write_queue, skb);
	sk->sk_wmem_queued += (int)skb->truesize;
	sk_mem_charge(sk, (int)skb->truesize);
	tp->write_seq = tcb->end_seq;
	tp->packets_out += 1;
}

/* Build a SYN and send it off. */
/* Simultaneous open (tcp_rcv_synsent_state_process): the SYN at the head of the write
 * queue gains ACK and goes again. A clone of it still held below (the first SYN's) makes
 * us send a private copy, as __tcp_retransmit_skb does. DIVERGES: 3.10 replaces the
 * queued skb by the copy; the segment on the wire is the same. */
int tcp_send_synack(struct sock *sk)
{
	struct sk_buff *skb = tcp_write_queue_head(sk);

	if (!skb || !(TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN)) {
		pr_debug("%s: wrong queue state\n", __func__);
		return -EFAULT;
	}
	/* The SYN's when changes here: the first SYN's stamp (tcp_syn_stamp) goes to the
	 * loss-recovery state first, which a simultaneous open allocates (3.10 returns
	 * -ENOMEM from here without memory too). */
	if (!tcp_rec(tcp_sk(sk))->retrans_stamp) {
		struct tcp_ofo_state *rec = tcp_ofo_state_get(tcp_sk(sk));

		if (!rec)
			return -ENOMEM;
		rec->retrans_stamp = TCP_SKB_CB(skb)->when;
	}
	TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_ACK;
	TCP_SKB_CB(skb)->when = tcp_time_stamp;
	if (unlikely(skb_cloned(skb))) {
		struct sk_buff *nskb = __pskb_copy(skb, MAX_TCP_HEADER, GFP_ATOMIC);

		return nskb ? tcp_transmit_skb(sk, nskb, 0, GFP_ATOMIC) : -ENOBUFS;
	}
	return tcp_transmit_skb(sk, skb, 1, GFP_ATOMIC);
}

int tcp_connect(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *buff;
	int err;

	tcp_connect_init(sk);

	buff = alloc_skb(MAX_TCP_HEADER + 15, sk->sk_allocation);
	if (unlikely(buff == NULL))
		return -ENOBUFS;

	/* Reserve space for headers. */
	skb_reserve(buff, MAX_TCP_HEADER);

	tcp_init_nondata_skb(buff, tp->write_seq++, TCPHDR_SYN);
	TCP_SKB_CB(buff)->when = tcp_time_stamp;
	/* DIVERGES: 3.10 stores the first SYN's stamp in tp->retrans_stamp; ulnet has it in
	 * the loss-recovery state, allocated only by a loss: without the state the SYN's own
	 * when keeps it (tcp_syn_stamp, and the SYN's first retransmission records it). */
	if (tp->ofo)
		tp->ofo->retrans_stamp = TCP_SKB_CB(buff)->when;
	tcp_connect_queue_skb(sk, buff);

	/* Send off SYN; include data in Fast Open. */
	err = tcp_transmit_skb(sk, buff, 1, sk->sk_allocation);
	if (err == -ECONNREFUSED)
		return err;

	/* We change tp->snd_nxt after the tcp_transmit_skb() call in order to make this
	 * packet get counted in tcpOutSegs. */
	tp->snd_nxt = tp->write_seq;
	tp->pushed_seq = tp->write_seq;
	TCP_INC_STATS(sock_net(sk), TCP_MIB_ACTIVEOPENS);

	/* Timer for repeating the SYN until an answer. */
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, inet_csk(sk)->icsk_rto, TCP_RTO_MAX);
	return 0;
}

/* Prepare a SYN-ACK. */
struct sk_buff *tcp_make_synack(struct sock *sk, struct dst_entry *dst,
				struct request_sock *req)
{
	struct inet_request_sock *ireq = inet_rsk(req);
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcphdr *th;
	struct sk_buff *skb;
	struct tcp_out_options opts;
	unsigned int tcp_header_size;
	int mss;

	skb = alloc_skb(MAX_TCP_HEADER + 15, GFP_ATOMIC);
	if (unlikely(!skb)) {
		dst_release(dst);
		return NULL;
	}
	/* Reserve space for headers. */
	skb_reserve(skb, MAX_TCP_HEADER);
	skb_dst_set(skb, dst);

	mss = (int)dst_metric_advmss(dst);
	if (tp->rx_opt.user_mss && tp->rx_opt.user_mss < mss)
		mss = tp->rx_opt.user_mss;

	if (req->rcv_wnd == 0) { /* ignored for retransmitted syns */
		__u8 rcv_wscale;

		/* Set this up on the first call only */
		req->window_clamp = tp->window_clamp ? : dst_metric(dst, RTAX_WINDOW);
		/* limit the window selection if the user enforce a smaller rx buffer */
		if (sk->sk_userlocks & SOCK_RCVBUF_LOCK &&
		    (req->window_clamp > (u32)tcp_full_space(sk) || req->window_clamp == 0))
			req->window_clamp = (u32)tcp_full_space(sk);

		/* tcp_full_space because it is guaranteed to be the first packet */
		tcp_select_initial_window(tcp_full_space(sk),
					  (__u32)mss - (ireq->tstamp_ok ? TCPOLEN_TSTAMP_ALIGNED : 0),
					  &req->rcv_wnd, &req->window_clamp, ireq->wscale_ok,
					  &rcv_wscale, dst_metric(dst, RTAX_INITRWND));
		ireq->rcv_wscale = rcv_wscale;
	}

	memset(&opts, 0, sizeof(opts));
	/* A SYN cookie with timestamps: the tsval carries the options (syncookies.c). */
	if (unlikely(req->cookie_ts))
		TCP_SKB_CB(skb)->when = cookie_init_timestamp(req);
	else
		TCP_SKB_CB(skb)->when = tcp_time_stamp;
	tcp_header_size = tcp_synack_options(sk, req, (unsigned int)mss, skb, &opts) +
			  (unsigned int)sizeof(*th);

	skb_push(skb, tcp_header_size);
	skb_reset_transport_header(skb);

	th = tcp_hdr(skb);
	memset(th, 0, sizeof(struct tcphdr));
	th->syn = 1;
	th->ack = 1;
	th->source = htons(ireq->loc_port);
	th->dest = ireq->rmt_port;
	/* Setting of flags are superfluous here for callers (and ECE is not even correctly
	 * set) */
	tcp_init_nondata_skb(skb, tcp_rsk(req)->snt_isn, TCPHDR_SYN | TCPHDR_ACK);
	th->seq = htonl(TCP_SKB_CB(skb)->seq);
	th->ack_seq = htonl(tcp_rsk(req)->rcv_isn + 1);

	/* RFC1323: The window in SYN & SYN/ACK segments is never scaled. */
	th->window = htons((u16)min(req->rcv_wnd, 65535U));
	tcp_options_write((__be32 *)(th + 1), tp, &opts);
	th->doff = (u16)(tcp_header_size >> 2) & 0xf;
	TCP_INC_STATS(sock_net(sk), TCP_MIB_OUTSEGS);
	return skb;
}

/* This routine sends an ack and also updates the window. */
void tcp_send_ack(struct sock *sk)
{
	struct sk_buff *buff;

	/* If we have been reset, we may not send again. */
	if (sk->sk_state == TCP_CLOSE)
		return;

	/* We are not putting this on the write queue, so tcp_transmit_skb() will set the
	 * ownership to this sock. */
	buff = alloc_skb(MAX_TCP_HEADER, GFP_ATOMIC);
	if (buff == NULL) {
		inet_csk_schedule_ack(sk);
		inet_csk(sk)->icsk_ack.ato = TCP_ATO_MIN;
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_DACK, TCP_DELACK_MAX, TCP_RTO_MAX);
		return;
	}

	/* Reserve space for headers and prepare control bits. */
	skb_reserve(buff, MAX_TCP_HEADER);
	tcp_init_nondata_skb(buff, tcp_sk(sk)->snd_nxt, TCPHDR_ACK);

	/* Send it off, this clears delayed acks for us. */
	TCP_SKB_CB(buff)->when = tcp_time_stamp;
	tcp_transmit_skb(sk, buff, 0, GFP_ATOMIC);
}

/* Send a FIN. The caller locks the socket for us. We should try to send a FIN packet
 * really hard, so it goes on the write queue (retransmitted by the RTO timer until ACKed).
 * Optimization: tack the FIN on the last unsent data segment when there is one. */
void tcp_send_fin(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = tcp_write_queue_tail(sk);
	unsigned int mss_now;
	int guard = 0;

	mss_now = tcp_current_mss(sk);

	if (tcp_send_head(sk) != NULL) {
		TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_FIN;
		TCP_SKB_CB(skb)->end_seq++;
		tp->write_seq++;
	} else {
		/* Socket is locked, keep trying until memory is available. */
		for (;;) {
			skb = alloc_skb_fclone(MAX_TCP_HEADER, sk->sk_allocation);
			if (skb || ++guard > 100)
				break;
			yield();
		}
		if (!skb) {
			NET_INC_STATS(sock_net(sk), LINUX_MIB_TCPABORTFAILED);
			return;
		}
		/* Reserve space for headers and prepare control bits. */
		skb_reserve(skb, MAX_TCP_HEADER);
		/* FIN eats a sequence byte, write_seq advanced by tcp_queue_skb(). */
		tcp_init_nondata_skb(skb, tp->write_seq, TCPHDR_ACK | TCPHDR_FIN);
		tcp_queue_skb(sk, skb);
	}
	__tcp_push_pending_frames(sk, mss_now, TCP_NAGLE_OFF);
}

/* We get here when a process closes a file descriptor (either due to an explicit close()
 * or as a byproduct of exit()'ing) and there was unread data in the receive queue. This
 * behavior is recommended by RFC 2525, section 2.17. -DaveM */
void tcp_send_active_reset(struct sock *sk, gfp_t priority)
{
	struct sk_buff *skb;

	/* NOTE: No TCP options attached and we never retransmit this. */
	skb = alloc_skb(MAX_TCP_HEADER, priority);
	if (!skb) {
		NET_INC_STATS(sock_net(sk), LINUX_MIB_TCPABORTFAILED);
		return;
	}

	/* Reserve space for headers and prepare control bits. */
	skb_reserve(skb, MAX_TCP_HEADER);
	tcp_init_nondata_skb(skb, tcp_sk(sk)->snd_nxt, TCPHDR_ACK | TCPHDR_RST);
	/* Send it off. */
	TCP_SKB_CB(skb)->when = tcp_time_stamp;
	if (tcp_transmit_skb(sk, skb, 0, priority))
		NET_INC_STATS(sock_net(sk), LINUX_MIB_TCPABORTFAILED);
	TCP_INC_STATS(sock_net(sk), TCP_MIB_OUTRSTS);
}

/* This retransmits one SKB. Policy decisions and retransmit queue state updates are done
 * by the caller. Returns non-zero if an error occurred which prevented the send. */
static int __tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int cur_mss;

	/* Do not sent more than we queued. 1/4 is reserved for possible copying overhead:
	 * fragmentation, tunneling, mangling etc. */
	if (atomic_read(&sk->sk_wmem_alloc) >
	    min(sk->sk_wmem_queued + (sk->sk_wmem_queued >> 2), sk->sk_sndbuf))
		return -EAGAIN;

	if (before(TCP_SKB_CB(skb)->seq, tp->snd_una)) {
		if (before(TCP_SKB_CB(skb)->end_seq, tp->snd_una))
			return -EINVAL;	/* (3.10: BUG) */
		if (tcp_trim_head(sk, skb, tp->snd_una - TCP_SKB_CB(skb)->seq))
			return -ENOMEM;
	}

	cur_mss = tcp_current_mss(sk);

	/* If receiver has shrunk his window, and skb is out of new window, do not retransmit
	 * it. The exception is the case, when window is shrunk to zero. In this case our
	 * retransmit serves as a zero window probe. */
	if (!before(TCP_SKB_CB(skb)->seq, tcp_wnd_end(tp)) && TCP_SKB_CB(skb)->seq != tp->snd_una)
		return -EAGAIN;

	if (skb->len > cur_mss) {
		if (tcp_fragment(sk, skb, cur_mss, cur_mss))
			return -ENOMEM; /* We'll try again later. */
	} else {
		int oldpcount = (int)tcp_skb_pcount(skb);

		if (unlikely(oldpcount > 1)) {
			tcp_init_tso_segs(sk, skb, cur_mss);
			tcp_adjust_pcount(sk, skb, oldpcount - (int)tcp_skb_pcount(skb));
		}
	}

	/* Make a copy, if the first transmission SKB clone we made is still in somebody's
	 * hands (the device queue of the first try). */
	TCP_SKB_CB(skb)->when = tcp_time_stamp;
	if (unlikely(skb_cloned(skb))) {
		struct sk_buff *nskb = __pskb_copy(skb, MAX_TCP_HEADER, GFP_ATOMIC);

		return nskb ? tcp_transmit_skb(sk, nskb, 0, GFP_ATOMIC) : -ENOBUFS;
	}
	return tcp_transmit_skb(sk, skb, 1, GFP_ATOMIC);
}

int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	/* DIVERGES: a retransmission is recorded in the loss-recovery state, allocated by the
	 * connection's first; without memory for it the retransmission fails as one without
	 * memory for its copy does in 3.10: -ENOMEM, TCPRetransFail, nothing sent. */
	struct tcp_ofo_state *rec = tcp_ofo_state_get(tp);
	int err;

	/* A SYN not retransmitted before: the first SYN's stamp, which 3.10's tcp_connect
	 * put in retrans_stamp (see tcp_connect), before this sending changes its when. */
	if (rec && !rec->retrans_stamp && (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN))
		rec->retrans_stamp = TCP_SKB_CB(skb)->when;
	err = rec ? __tcp_retransmit_skb(sk, skb) : -ENOMEM;
	if (err == 0) {
		/* Update global TCP statistics. */
		TCP_INC_STATS(sock_net(sk), TCP_MIB_RETRANSSEGS);
		rec->total_retrans++;
		if (!rec->retrans_out)
			rec->lost_retrans_low = tp->snd_nxt;
		if (!(TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_RETRANS))
			rec->retrans_out += tcp_skb_pcount(skb);
		TCP_SKB_CB(skb)->sacked |= TCPCB_SACKED_RETRANS | TCPCB_EVER_RETRANS;
		/* Save stamp of the first retransmit. */
		if (!rec->retrans_stamp)
			rec->retrans_stamp = TCP_SKB_CB(skb)->when;
		rec->undo_retrans += tcp_skb_pcount(skb);
		/* snd_nxt is stored to detect loss of retransmitted segment, see
		 * tcp_input.c tcp_sacktag_write_queue(). */
		TCP_SKB_CB(skb)->ack_seq = tp->snd_nxt;
	} else {
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPRETRANSFAIL);
	}
	return err;
}

/* This gets called after a retransmit timeout, and the initially retransmitted data is
 * acknowledged. It tries to continue resending the rest of the retransmit queue, until
 * either we've sent it all or the congestion window limit is reached. If doing SACK, the
 * first ACK which comes back for a timeout based retransmit packet might feed us FACK
 * information again. If so, we use it to avoid unnecessarily retransmissions.
 * Past the last lost segment (retransmit_high), in Recovery with SACK and nothing new to
 * send, the holes below the highest SACK go too: forward retransmission
 * (TCPForwardRetrans). DIVERGES: no retransmit_skb_hint; the walk starts at the head. */
static bool tcp_can_forward_retransmit(struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);

	/* Forward retransmissions are possible only during Recovery. */
	if (icsk->icsk_ca_state != TCP_CA_Recovery)
		return false;
	/* No forward retransmissions in Reno are possible. */
	if (!tcp_is_sack(tp))
		return false;
	/* Yeah, we have to make a choice between which we do: new data or a retransmit of
	 * a segment not known lost. Sending new data is better. */
	if (tcp_may_send_now(sk))
		return false;
	return true;
}

void tcp_xmit_retransmit_queue(struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_ofo_state *rec = tp->ofo;
	struct sk_buff *skb, *hole = NULL;
	unsigned int guard = 0;
	u32 last_lost;
	int fwd_rexmitting = 0;

	/* Without the loss-recovery state nothing is marked lost and the state is Open (no
	 * forward retransmission): nothing to resend. */
	if (!tp->packets_out || !rec)
		return;
	if (!rec->lost_out)
		rec->retransmit_high = tp->snd_una;
	last_lost = tp->snd_una;

	for (skb = tcp_write_queue_head(sk); skb && skb != (struct sk_buff *)&sk->sk_write_queue;
	     skb = skb->next) {
		u8 sacked = TCP_SKB_CB(skb)->sacked;
		int mib_idx;

		if (skb == tcp_send_head(sk) || ++guard > 1000000)
			break;
		if (tcp_packets_in_flight(tp) >= tp->snd_cwnd)
			return;

		if (fwd_rexmitting) {
begin_fwd:
			if (!before(TCP_SKB_CB(skb)->seq, tcp_highest_sack_seq(sk)))
				break;
			mib_idx = LINUX_MIB_TCPFORWARDRETRANS;
		} else if (!before(TCP_SKB_CB(skb)->seq, rec->retransmit_high)) {
			rec->retransmit_high = last_lost;
			if (!tcp_can_forward_retransmit(sk))
				break;
			/* Backtrack if necessary to non-L'ed skb */
			if (hole) {
				skb = hole;
				hole = NULL;
			}
			fwd_rexmitting = 1;
			goto begin_fwd;
		} else if (!(sacked & TCPCB_LOST)) {
			if (!hole && !(sacked & (TCPCB_SACKED_RETRANS | TCPCB_SACKED_ACKED)))
				hole = skb;
			continue;
		} else {
			last_lost = TCP_SKB_CB(skb)->end_seq;
			if (icsk->icsk_ca_state != TCP_CA_Loss)
				mib_idx = LINUX_MIB_TCPFASTRETRANS;
			else
				mib_idx = LINUX_MIB_TCPSLOWSTARTRETRANS;
		}

		sacked = TCP_SKB_CB(skb)->sacked;
		if (sacked & (TCPCB_SACKED_ACKED | TCPCB_SACKED_RETRANS))
			continue;
		if (tcp_retransmit_skb(sk, skb))
			return;
		NET_INC_STATS_BH(sock_net(sk), mib_idx);

		if (tcp_in_cwnd_reduction(sk))
			rec->prr_out += tcp_skb_pcount(skb);

		if (skb == tcp_write_queue_head(sk))
			inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, inet_csk(sk)->icsk_rto,
						  TCP_RTO_MAX);
	}
}

/* ------------------------------------------------------------------------------------------
 * The send path: the write queue, the windows, Nagle and cork. */

/* Queue a fully built skb (a FIN) on the write queue. */
static void tcp_queue_skb(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	/* Advance write_seq and place onto the write_queue. */
	tp->write_seq = TCP_SKB_CB(skb)->end_seq;
	tcp_add_write_queue_tail(sk, skb);
	sk->sk_wmem_queued += (int)skb->truesize;
	sk_mem_charge(sk, (int)skb->truesize);
}

/* ------------------------------------------------------------------------------------------
 * TSO: an skb of the write queue holds up to the size goal (tcp_xmit_size_goal) and counts
 * as tcp_skb_pcount(skb) = ceil(len / mss) packets in packets_out, sacked_out, lost_out and
 * retrans_out. */

/* Initialize TSO segments for a packet. */
void tcp_set_skb_tso_segs(const struct sock *sk, struct sk_buff *skb, unsigned int mss_now)
{
	if (skb->len <= mss_now || !sk_can_gso(sk) || WARN_ON(!mss_now)) {
		/* Avoid the costly divide in the normal non-TSO case. */
		skb_shinfo(skb)->gso_segs = 1;
		skb_shinfo(skb)->gso_size = 0;
		skb_shinfo(skb)->gso_type = 0;
	} else {
		skb_shinfo(skb)->gso_segs = (unsigned short)DIV_ROUND_UP(skb->len, mss_now);
		skb_shinfo(skb)->gso_size = (unsigned short)mss_now;
		skb_shinfo(skb)->gso_type = (unsigned short)sk->sk_gso_type;
	}
}

/* Initialize TSO state of a skb. This must be invoked the first time we consider
 * transmitting SKB onto the wire. */
int tcp_init_tso_segs(const struct sock *sk, struct sk_buff *skb, unsigned int mss_now)
{
	int tso_segs = skb_shinfo(skb)->gso_segs;

	if (!tso_segs || (tso_segs > 1 && tcp_skb_mss(skb) != mss_now)) {
		tcp_set_skb_tso_segs(sk, skb, mss_now);
		tso_segs = (int)tcp_skb_pcount(skb);
	}
	return tso_segs;
}

/* When a modification to fackets out becomes necessary, we need to check skb is counted
 * to fackets_out or not. */
static void tcp_adjust_fackets_out(struct sock *sk, const struct sk_buff *skb, int decr)
{
	struct tcp_sock *tp = tcp_sk(sk);

	struct sk_buff *p;
	unsigned int guard = 0;

	if (!tcp_rec(tp)->sacked_out || tcp_is_reno(tp))
		return;
	/* DIVERGES: ulnet keeps no highest_sack hint: the highest SACKed skb is looked up
	 * from the tail of the sent part (3.10: tcp_highest_sack_seq). */
	skb_queue_reverse_walk(&sk->sk_write_queue, p) {
		if (++guard > 1000000 || p == skb)
			return;
		if (after(TCP_SKB_CB(p)->end_seq, tp->snd_nxt))
			continue;
		if (TCP_SKB_CB(p)->sacked & TCPCB_SACKED_ACKED)
			break;
	}
	if (p == (struct sk_buff *)&sk->sk_write_queue ||
	    !after(TCP_SKB_CB(p)->seq, TCP_SKB_CB(skb)->seq))
		return;
	tp->ofo->fackets_out = (u32)max_t(int, 0, (int)tp->ofo->fackets_out - decr);
}

/* Pcount in the middle of the write queue got changed, we need to do various tweaks to
 * fix counters. */
static void tcp_adjust_pcount(struct sock *sk, const struct sk_buff *skb, int decr)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_ofo_state *rec = tp->ofo;

	tp->packets_out = (u32)((int)tp->packets_out - decr);
	/* The counters below are all 0 (and no skb is marked) without the loss-recovery
	 * state. */
	if (!rec)
		return;
	if (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED)
		rec->sacked_out = (u32)((int)rec->sacked_out - decr);
	if (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_RETRANS)
		rec->retrans_out = (u32)((int)rec->retrans_out - decr);
	if (TCP_SKB_CB(skb)->sacked & TCPCB_LOST)
		rec->lost_out = (u32)((int)rec->lost_out - decr);
	/* Reno case is special. Sigh... */
	if (tcp_is_reno(tp) && decr > 0)
		rec->sacked_out -= min_t(u32, rec->sacked_out, (u32)decr);
	tcp_adjust_fackets_out(sk, skb, decr);
}

/* Function to create two new TCP segments. Shrinks the given segment to the specified
 * size and appends a new segment with the rest of the packet to the list. This won't be
 * called frequently, I hope. Remember, these are still headerless SKBs at this point. */
int tcp_fragment(struct sock *sk, struct sk_buff *skb, u32 len, unsigned int mss_now)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *buff;
	int nsize, nlen, old_factor;
	u8 flags;

	if (WARN_ON(len > skb->len) || !len)
		return -EINVAL;
	if (len == skb->len)
		return 0;
	/* The new skb's linear part takes the linear bytes beyond @len; frags move. */
	nsize = (int)skb_headlen(skb) - (int)len;
	if (nsize < 0)
		nsize = 0;
	if (skb_unclone(skb, GFP_ATOMIC))
		return -ENOMEM;

	/* Get a new skb... force flag on. */
	buff = sk_stream_alloc_skb(sk, nsize, GFP_ATOMIC);
	if (buff == NULL)
		return -ENOMEM; /* We'll just try again later. */
	sk->sk_wmem_queued += (int)buff->truesize;
	sk_mem_charge(sk, (int)buff->truesize);
	/* The paged bytes that move keep their charge: it moves with them. */
	nlen = (int)(skb->len - len) - nsize;
	buff->truesize += (unsigned int)nlen;
	skb->truesize -= (unsigned int)nlen;

	/* Correct the sequence numbers. */
	TCP_SKB_CB(buff)->seq = TCP_SKB_CB(skb)->seq + len;
	TCP_SKB_CB(buff)->end_seq = TCP_SKB_CB(skb)->end_seq;
	TCP_SKB_CB(skb)->end_seq = TCP_SKB_CB(buff)->seq;

	/* PSH and FIN should only be set in the second packet. */
	flags = TCP_SKB_CB(skb)->tcp_flags;
	TCP_SKB_CB(skb)->tcp_flags = flags & (u8)~(TCPHDR_FIN | TCPHDR_PSH);
	TCP_SKB_CB(buff)->tcp_flags = flags;
	TCP_SKB_CB(buff)->sacked = TCP_SKB_CB(skb)->sacked;
	TCP_SKB_CB(buff)->when = TCP_SKB_CB(skb)->when;

	/* A linear skb copies its tail; one with frags splits them (skb_split). The
	 * checksum is computed at transmit (tcp_v4_send_check), so no partial sums move. */
	if (!skb_shinfo(skb)->nr_frags) {
		memcpy(skb_put(buff, (unsigned int)nsize), skb->data + len, (size_t)nsize);
		skb_trim(skb, len);
	} else {
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb_split(skb, buff, len);
	}
	buff->ip_summed = skb->ip_summed;

	old_factor = (int)tcp_skb_pcount(skb);
	/* Fix up tso_factor for both original and new SKB. */
	tcp_set_skb_tso_segs(sk, skb, mss_now);
	tcp_set_skb_tso_segs(sk, buff, mss_now);

	/* If this packet has been sent out already, we must adjust the various packet
	 * counters. */
	if (!before(tp->snd_nxt, TCP_SKB_CB(buff)->end_seq)) {
		int diff = old_factor - (int)tcp_skb_pcount(skb) - (int)tcp_skb_pcount(buff);

		if (diff)
			tcp_adjust_pcount(sk, skb, diff);
	}

	/* Link BUFF into the send queue. */
	__skb_queue_after(&sk->sk_write_queue, skb, buff);
	return 0;
}

/* Remove acked data from a packet in the transmit queue (a partial ACK, or the acked head
 * of a TSO skb: tcp_tso_acked). */
int tcp_trim_head(struct sock *sk, struct sk_buff *skb, u32 len)
{
	if (skb_unclone(skb, GFP_ATOMIC))
		return -ENOMEM;
	if (len > skb->len)
		len = skb->len;
	__pskb_trim_head(skb, (int)len);
	TCP_SKB_CB(skb)->seq += len;
	skb->ip_summed = CHECKSUM_PARTIAL;

	/* The trimmed bytes are no longer queued: their charge goes (3.10). */
	skb->truesize -= len;
	sk->sk_wmem_queued -= (int)len;
	sk_mem_uncharge(sk, (int)len);
	sock_set_flag(sk, SOCK_QUEUE_SHRUNK);
	/* Any change of skb->len requires recalculation of tso factor. */
	if (tcp_skb_pcount(skb) > 1)
		tcp_set_skb_tso_segs(sk, skb, tcp_skb_mss(skb));
	return 0;
}

/* RFC2861, slow part. Adjust cwnd, after it was not full during one rto. Classic Reno:
 * "the congestion window is reduced to the window actually used". */
static void tcp_cwnd_application_limited(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (inet_csk(sk)->icsk_ca_state == TCP_CA_Open && sk->sk_socket &&
	    !test_bit(SOCK_NOSPACE, &sk->sk_socket->flags)) {
		/* Limited by application or receiver window. */
		u32 init_win = tcp_init_cwnd(tp, __sk_dst_get(sk));
		u32 win_used = max(tp->snd_cwnd_used, init_win);

		if (win_used < tp->snd_cwnd) {
			tp->snd_ssthresh = tcp_current_ssthresh(sk);
			tp->snd_cwnd = (tp->snd_cwnd + win_used) >> 1;
		}
		tp->snd_cwnd_used = 0;
	}
	tp->snd_cwnd_stamp = tcp_time_stamp;
}

/* Congestion window validation. (RFC2861) */
static void tcp_cwnd_validate(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->packets_out >= tp->snd_cwnd) {
		/* Network is feed fully. */
		tp->snd_cwnd_used = 0;
		tp->snd_cwnd_stamp = tcp_time_stamp;
	} else {
		/* Network starves. */
		if (tp->packets_out > tp->snd_cwnd_used)
			tp->snd_cwnd_used = tp->packets_out;

		if (sysctl_tcp_slow_start_after_idle &&
		    (s32)(tcp_time_stamp - tp->snd_cwnd_stamp) >= (s32)inet_csk(sk)->icsk_rto)
			tcp_cwnd_application_limited(sk);
	}
}

/* Can at least one segment of SKB be sent right now, according to the congestion window
 * rules? If so, return how many segments are allowed. */
static inline unsigned int tcp_cwnd_test(const struct tcp_sock *tp, const struct sk_buff *skb)
{
	u32 in_flight, cwnd;

	/* Don't be strict about the congestion window for the final FIN. */
	if ((TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN) && tcp_skb_pcount(skb) == 1)
		return 1;

	in_flight = tcp_packets_in_flight(tp);
	cwnd = tp->snd_cwnd;
	if (in_flight < cwnd)
		return (cwnd - in_flight);
	return 0;
}

/* Minshall's variant of the Nagle send check. */
static inline bool tcp_minshall_check(const struct tcp_sock *tp)
{
	return after(tp->snd_sml, tp->snd_una) && !after(tp->snd_sml, tp->snd_nxt);
}

static inline void tcp_minshall_update(struct tcp_sock *tp, unsigned int mss_now,
				       const struct sk_buff *skb)
{
	if (skb->len < tcp_skb_pcount(skb) * mss_now)
		tp->snd_sml = TCP_SKB_CB(skb)->end_seq;
}

/* Return false, if packet can be sent now without violation Nagle's rules:
 * 1. It is full sized.
 * 2. Or it contains FIN. (already checked by caller)
 * 3. Or TCP_CORK is not set, and TCP_NODELAY is set.
 * 4. Or TCP_CORK is not set, and all sent packets are ACKed. With Minshall's modification:
 *    all sent small packets are ACKed. */
static inline bool tcp_nagle_check(const struct tcp_sock *tp, const struct sk_buff *skb,
				   unsigned int mss_now, int nonagle)
{
	return skb->len < mss_now &&
	       ((nonagle & TCP_NAGLE_CORK) ||
		(!nonagle && tp->packets_out && tcp_minshall_check(tp)));
}

/* Return true if the Nagle test allows this packet to be sent now. */
static inline bool tcp_nagle_test(const struct tcp_sock *tp, const struct sk_buff *skb,
				  unsigned int cur_mss, int nonagle)
{
	/* Nagle rule does not apply to frames, which sit in the middle of the write_queue
	 * (they have no chances to get new data). This is implemented in the callers, where
	 * they modify the 'nonagle' argument based upon the location of SKB in the send
	 * queue. */
	if (nonagle & TCP_NAGLE_PUSH)
		return true;

	/* Don't use the nagle rule for urgent data (or for the final FIN). */
	if (tcp_urg_mode(tp) || (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN))
		return true;

	if (!tcp_nagle_check(tp, skb, cur_mss, nonagle))
		return true;
	return false;
}

/* Does at least the first segment of SKB fit into the send window? */
static bool tcp_snd_wnd_test(const struct tcp_sock *tp, const struct sk_buff *skb,
			     unsigned int cur_mss)
{
	u32 end_seq = TCP_SKB_CB(skb)->end_seq;

	if (skb->len > cur_mss)
		end_seq = TCP_SKB_CB(skb)->seq + cur_mss;
	return !after(end_seq, tcp_wnd_end(tp));
}

/* Returns the portion of skb which can be sent right away: whole segments within the
 * send window, at most @max_segs of them; the last skb of the queue (that may still grow)
 * is cut at a segment boundary. */
static unsigned int tcp_mss_split_point(const struct sock *sk, const struct sk_buff *skb,
					unsigned int mss_now, unsigned int max_segs)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 needed, window, max_len;

	window = tcp_wnd_end(tp) - TCP_SKB_CB(skb)->seq;
	max_len = mss_now * max_segs;

	if (likely(max_len <= window && skb != tcp_write_queue_tail(sk)))
		return max_len;

	needed = min(skb->len, window);

	if (max_len <= needed)
		return max_len;

	return needed - needed % mss_now;
}

/* Trim TSO SKB to LEN bytes, put the remaining data into a new packet: the frags move
 * without copying (skb_split). An skb with linear data goes through tcp_fragment.
 * Context: the skb is not sent yet (the send head). */
static int tso_fragment(struct sock *sk, struct sk_buff *skb, unsigned int len,
			unsigned int mss_now, gfp_t gfp)
{
	struct sk_buff *buff;
	int nlen = (int)(skb->len - len);
	u8 flags;

	/* All of a TSO frame must be composed of paged data. */
	if (skb->len != skb->data_len)
		return tcp_fragment(sk, skb, len, mss_now);

	buff = sk_stream_alloc_skb(sk, 0, gfp);
	if (unlikely(buff == NULL))
		return -ENOMEM;

	sk->sk_wmem_queued += (int)buff->truesize;
	sk_mem_charge(sk, (int)buff->truesize);
	buff->truesize += (unsigned int)nlen;
	skb->truesize -= (unsigned int)nlen;

	/* Correct the sequence numbers. */
	TCP_SKB_CB(buff)->seq = TCP_SKB_CB(skb)->seq + len;
	TCP_SKB_CB(buff)->end_seq = TCP_SKB_CB(skb)->end_seq;
	TCP_SKB_CB(skb)->end_seq = TCP_SKB_CB(buff)->seq;

	/* PSH and FIN should only be set in the second packet. */
	flags = TCP_SKB_CB(skb)->tcp_flags;
	TCP_SKB_CB(skb)->tcp_flags = flags & (u8)~(TCPHDR_FIN | TCPHDR_PSH);
	TCP_SKB_CB(buff)->tcp_flags = flags;

	/* This packet was never sent out yet, so no SACK bits. */
	TCP_SKB_CB(buff)->sacked = 0;

	buff->ip_summed = skb->ip_summed = CHECKSUM_PARTIAL;
	skb_split(skb, buff, len);

	/* Fix up tso_factor for both original and new SKB. */
	tcp_set_skb_tso_segs(sk, skb, mss_now);
	tcp_set_skb_tso_segs(sk, buff, mss_now);

	/* Link BUFF into the send queue. */
	__skb_queue_after(&sk->sk_write_queue, skb, buff);
	return 0;
}

/* Try to defer sending, if possible, in order to minimize the amount of TSO splitting we
 * do. View it as a kind of TSO Nagle test. This algorithm is from John Heffner. */
static bool tcp_tso_should_defer(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const struct inet_connection_sock *icsk = inet_csk(sk);
	u32 send_win, cong_win, limit, in_flight;
	int win_divisor;

	if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN)
		goto send_now;

	if (icsk->icsk_ca_state != TCP_CA_Open)
		goto send_now;

	/* Defer for less than two clock ticks. */
	if (tp->tso_deferred && (((u32)jiffies << 1) >> 1) - (tp->tso_deferred >> 1) > 1)
		goto send_now;

	in_flight = tcp_packets_in_flight(tp);
	if (WARN_ON(tcp_skb_pcount(skb) <= 1 || tp->snd_cwnd <= in_flight))
		goto send_now;

	send_win = tcp_wnd_end(tp) - TCP_SKB_CB(skb)->seq;

	/* From in_flight test above, we know that cwnd > in_flight. */
	cong_win = (tp->snd_cwnd - in_flight) * tp->mss_cache;

	limit = min(send_win, cong_win);

	/* If a full-sized TSO skb can be sent, do it. */
	if (limit >= min_t(unsigned int, sk->sk_gso_max_size,
			   (unsigned int)sk->sk_gso_max_segs * tp->mss_cache))
		goto send_now;

	/* Middle in queue won't get any more data, full sendable already? */
	if (skb != tcp_write_queue_tail(sk) && limit >= skb->len)
		goto send_now;

	win_divisor = ACCESS_ONCE(sysctl_tcp_tso_win_divisor);
	if (win_divisor) {
		u32 chunk = min(tp->snd_wnd, tp->snd_cwnd * tp->mss_cache);

		/* If at least some fraction of a window is available, just use it. */
		chunk /= (u32)win_divisor;
		if (limit >= chunk)
			goto send_now;
	} else {
		/* Different approach, try not to defer past a single ACK. Receiver should ACK
		 * every other full sized frame, so if we have space for more than 3 frames then
		 * send now. */
		if (limit > 3 * tp->mss_cache)	/* tcp_max_tso_deferred_mss */
			goto send_now;
	}

	/* Ok, it looks like it is advisable to defer. Do not rearm the timer if already set
	 * to not break TCP ACK clocking. */
	if (!tp->tso_deferred)
		tp->tso_deferred = 1 | ((u32)jiffies << 1);

	return true;

send_now:
	tp->tso_deferred = 0;
	return false;
}

/* (tcp_rearm_rto of tcp_input.c: an ER or loss-probe timer gives way to the RTO.) */
static void tcp_rearm_rto_out(struct sock *sk)
{
	tcp_rearm_rto(sk);
}

/* tcp_snd_test: how many segments of @skb the windows and Nagle let go now. */
static unsigned int tcp_snd_test(const struct sock *sk, struct sk_buff *skb,
				 unsigned int cur_mss, int nonagle)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	unsigned int cwnd_quota;

	tcp_init_tso_segs(sk, skb, cur_mss);

	if (!tcp_nagle_test(tp, skb, cur_mss, nonagle))
		return 0;

	cwnd_quota = tcp_cwnd_test(tp, skb);
	if (cwnd_quota && !tcp_snd_wnd_test(tp, skb, cur_mss))
		cwnd_quota = 0;

	return cwnd_quota;
}

/* Test if sending is allowed right now (early retransmit waits when it is). */
bool tcp_may_send_now(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = tcp_send_head(sk);

	return skb && tcp_snd_test(sk, skb, tcp_current_mss(sk),
				   (tcp_skb_is_last(sk, skb) ? tp->nonagle : TCP_NAGLE_PUSH));
}

/* Account for new data that has been sent to the network. */
static void tcp_event_new_data_sent(struct sock *sk, const struct sk_buff *skb)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int prior_packets = tp->packets_out;

	tcp_advance_send_head(sk, skb);
	tp->snd_nxt = TCP_SKB_CB(skb)->end_seq;
	tp->packets_out += tcp_skb_pcount(skb);
	if (!prior_packets || icsk->icsk_pending == ICSK_TIME_PROBE0 ||
	    icsk->icsk_pending == ICSK_TIME_EARLY_RETRANS ||
	    icsk->icsk_pending == ICSK_TIME_LOSS_PROBE)
		tcp_rearm_rto_out(sk);
}

/* This routine writes packets to the network. It advances the send_head. This happens as
 * incoming acks open up the remote window for us. Returns true, if no segments are in
 * flight and we have queued segments, but cannot send anything now because of SWS or
 * another problem. */
static bool tcp_write_xmit(struct sock *sk, unsigned int mss_now, int nonagle, int push_one,
			   gfp_t gfp)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	unsigned int sent_pkts = 0;
	unsigned int guard = 0;

	UL_TRACE_FN();
	while ((skb = tcp_send_head(sk)) && ++guard < 1000000) {
		unsigned int limit, cwnd_quota;
		int tso_segs;

		tso_segs = tcp_init_tso_segs(sk, skb, mss_now);

		cwnd_quota = tcp_cwnd_test(tp, skb);
		if (!cwnd_quota) {
			/* A loss probe (push_one 2) goes out even when cwnd is full: that
			 * is the point of sending new data as the probe (tcp_send_loss_probe). */
			if (push_one == 2)
				cwnd_quota = 1;
			else
				break;
		}
		if (unlikely(!tcp_snd_wnd_test(tp, skb, mss_now)))
			break;
		if (tso_segs == 1) {
			if (unlikely(!tcp_nagle_test(tp, skb, mss_now,
						     (tcp_skb_is_last(sk, skb) ? nonagle :
						      TCP_NAGLE_PUSH))))
				break;
		} else {
			if (!push_one && tcp_tso_should_defer(sk, skb))
				break;
		}

		/* A TSO skb goes out whole within the windows, else cut at the limit; a
		 * single segment at the MSS (which may have shrunk since it was built). */
		limit = mss_now;
		if (tso_segs > 1)
			limit = tcp_mss_split_point(sk, skb, mss_now,
						    min_t(unsigned int, cwnd_quota,
							  sk->sk_gso_max_segs));
		if (skb->len > limit && unlikely(tso_fragment(sk, skb, limit, mss_now, gfp)))
			break;

		TCP_SKB_CB(skb)->when = tcp_time_stamp;
		if (unlikely(tcp_transmit_skb(sk, skb, 1, gfp)))
			break;

		/* Advance the send_head. This one is sent out. This call will increment
		 * packets_out. */
		tcp_event_new_data_sent(sk, skb);
		tcp_minshall_update(tp, mss_now, skb);
		sent_pkts += tcp_skb_pcount(skb);
		if (push_one)
			break;
	}

	if (likely(sent_pkts)) {
		if (tcp_in_cwnd_reduction(sk) && tp->ofo)	/* (CWR/Recovery: it exists) */
			tp->ofo->prr_out += sent_pkts;
		/* Send one loss probe per tail loss episode (push_one 2: the probe itself). */
		if (push_one != 2)
			tcp_schedule_loss_probe(sk);
		tcp_cwnd_validate(sk);
		return false;
	}
	return (push_one == 2) || (!tp->packets_out && tcp_send_head(sk));
}

/* Schedule a tail loss probe (facts.md §3.8) in place of the RTO: 2 RTT (at least 1.5
 * RTT + 200 ms with one segment out, at least 10 ms), never later than the RTO. Only for
 * SACK connections in Open state with tcp_early_retrans >= 3 that are limited by cwnd
 * or by the application. Context: socket locked. */
bool tcp_schedule_loss_probe(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 timeout, tlp_time_stamp, rto_time_stamp;
	u32 rtt = tp->srtt >> 3;

	if (WARN_ON(icsk->icsk_pending == ICSK_TIME_EARLY_RETRANS))
		return false;
	/* No consecutive loss probes. */
	if (WARN_ON(icsk->icsk_pending == ICSK_TIME_LOSS_PROBE)) {
		tcp_rearm_rto(sk);
		return false;
	}
	/* Don't do any loss probe on a Fast Open connection before 3WHS finishes. */
	if (sk->sk_state == TCP_SYN_RECV)
		return false;

	/* TLP is only scheduled when next timer event is RTO. */
	if (icsk->icsk_pending != ICSK_TIME_RETRANS)
		return false;

	/* Schedule a loss probe in 2*RTT for SACK capable connections in Open state, that
	 * are either limited by cwnd or application. */
	if (sysctl_tcp_early_retrans < 3 || !rtt || !tp->packets_out || !tcp_is_sack(tp) ||
	    icsk->icsk_ca_state != TCP_CA_Open)
		return false;

	if ((tp->snd_cwnd > tcp_packets_in_flight(tp)) && tcp_send_head(sk))
		return false;

	/* Probe timeout is at least 1.5*rtt + TCP_DELACK_MAX to account for delayed ack
	 * when there's one outstanding packet. */
	timeout = rtt << 1;
	if (tp->packets_out == 1)
		timeout = max_t(u32, timeout, (rtt + (rtt >> 1) + TCP_DELACK_MAX));
	timeout = max_t(u32, timeout, (u32)msecs_to_jiffies(10));

	/* If RTO is shorter, just schedule TLP in its place. */
	tlp_time_stamp = tcp_time_stamp + timeout;
	rto_time_stamp = (u32)icsk->icsk_timeout;
	if ((s32)(tlp_time_stamp - rto_time_stamp) > 0) {
		s32 delta = (s32)(rto_time_stamp - tcp_time_stamp);

		if (delta > 0)
			timeout = (u32)delta;
	}

	inet_csk_reset_xmit_timer(sk, ICSK_TIME_LOSS_PROBE, timeout, TCP_RTO_MAX);
	return true;
}

/* When the probe timeout (PTO) fires, send new data if there is some, else retransmit
 * the last segment (cut to one MSS), remembering snd_nxt in tlp_high_seq; then the RTO
 * again. TCPLossProbes counts the probes. Context: timer, socket not owned. */
void tcp_send_loss_probe(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	unsigned int pcount;
	unsigned int mss = tcp_current_mss(sk);
	int err = -1;

	if (tcp_send_head(sk)) {
		err = tcp_write_xmit(sk, mss, TCP_NAGLE_OFF, 2, GFP_ATOMIC);
		goto rearm_timer;
	}

	/* At most one outstanding TLP retransmission. */
	if (tcp_rec(tp)->tlp_high_seq)
		goto rearm_timer;

	/* Retransmit last segment. */
	skb = tcp_write_queue_tail(sk);
	if (WARN_ON(!skb))
		goto rearm_timer;

	pcount = tcp_skb_pcount(skb);
	if (WARN_ON(!pcount))
		goto rearm_timer;

	if ((pcount > 1) && (skb->len > (pcount - 1) * mss)) {
		if (unlikely(tcp_fragment(sk, skb, (pcount - 1) * mss, mss)))
			goto rearm_timer;
		skb = tcp_write_queue_tail(sk);
	}

	if (WARN_ON(!skb || !tcp_skb_pcount(skb)))
		goto rearm_timer;

	/* DIVERGES: the probe's tlp_high_seq lives in the loss-recovery state, which the
	 * first probe allocates; without memory for it no probe goes (as when 3.10 cannot
	 * copy the skb) and the RTO is armed. */
	if (unlikely(!tcp_ofo_state_get(tp))) {
		err = -ENOMEM;
		goto rearm_timer;
	}
	/* Probe with zero data doesn't trigger fast recovery. */
	if (skb->len > 0)
		err = __tcp_retransmit_skb(sk, skb);

	/* Record snd_nxt for loss detection. */
	if (likely(!err))
		tp->ofo->tlp_high_seq = tp->snd_nxt;

rearm_timer:
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, inet_csk(sk)->icsk_rto, TCP_RTO_MAX);

	if (likely(!err))
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPLOSSPROBES);
}

/* Push out any pending frames which were held back due to TCP_CORK or attempt at
 * coalescing tiny packets. The socket must be locked by the caller. */
void __tcp_push_pending_frames(struct sock *sk, unsigned int cur_mss, int nonagle)
{
	/* If we are closed, the bytes will have to remain here. In time closedown will
	 * finish, we empty the write queue and all will be happy. */
	if (unlikely(sk->sk_state == TCP_CLOSE))
		return;
	if (tcp_write_xmit(sk, cur_mss, nonagle, 0, GFP_ATOMIC))
		tcp_check_probe_timer(sk);
}

/* Send _single_ skb sitting at the send head. This function requires true push pending
 * frames to setup probe timer etc. */
void tcp_push_one(struct sock *sk, unsigned int mss_now)
{
	struct sk_buff *skb = tcp_send_head(sk);

	if (WARN_ON(!skb || skb->len < mss_now))
		return;
	tcp_write_xmit(sk, mss_now, TCP_NAGLE_PUSH, 1, sk->sk_allocation);
}

/* Send out a delayed ack, the caller does the policy checking to see if we should even be
 * here. See tcp_input.c:tcp_ack_snd_check() for details. */
void tcp_send_delayed_ack(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	int ato = (int)icsk->icsk_ack.ato;
	unsigned long timeout;

	if (ato > (int)TCP_DELACK_MIN) {
		const struct tcp_sock *tp = tcp_sk(sk);
		int max_ato = HZ / 2;

		if (icsk->icsk_ack.pingpong || (icsk->icsk_ack.pending & ICSK_ACK_PUSHED))
			max_ato = TCP_DELACK_MAX;

		/* Slow path, intersegment interval is "high". If some rtt estimate is known,
		 * use it to bound delayed ack. Do not use inet_csk(sk)->icsk_rto here, use
		 * results of rtt measurements directly. */
		if (tp->srtt) {
			int rtt = max_t(int, (int)(tp->srtt >> 3), (int)TCP_DELACK_MIN);

			if (rtt < max_ato)
				max_ato = rtt;
		}
		ato = min(ato, max_ato);
	}

	/* Stay within the limit we were given */
	timeout = jiffies + (unsigned long)ato;

	/* Use new timeout only if there wasn't a older one earlier. */
	if (icsk->icsk_ack.pending & ICSK_ACK_TIMER) {
		unsigned long old = inet_csk_deadline_near(icsk->icsk_ack.timeout, timeout);

		/* If delack timer was blocked or is about to expire, send ACK now. */
		if (icsk->icsk_ack.blocked ||
		    time_before_eq(old, jiffies + (unsigned long)(ato >> 2))) {
			tcp_send_ack(sk);
			return;
		}
		if (!time_before(timeout, old))
			timeout = old;
	}
	icsk->icsk_ack.pending |= ICSK_ACK_SCHED | ICSK_ACK_TIMER;
	/* sk_reset_timer of the delayed-ACK timer: its deadline is icsk_ack.timeout. */
	inet_csk_timer_event_arm(sk, ICSK_TIMER_DACK, timeout);
}

/* This routine sends a packet with an out of date sequence number. It assumes the other
 * end will try to ack it. Question: what should we make while urgent mode? 4.4BSD forces
 * sending single byte of data. We cannot send out of window data, because we have
 * SND.NXT==SND.MAX... Current solution: to send TWO zero-length segments in urgent mode:
 * one is with SEG.SEQ=SND.UNA to deliver urgent pointer, another is out-of-date with
 * SND.UNA-1 to probe window. */
static int tcp_xmit_probe_skb(struct sock *sk, int urgent)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	/* We don't queue it, tcp_transmit_skb() sets ownership. */
	skb = alloc_skb(MAX_TCP_HEADER, GFP_ATOMIC);
	if (skb == NULL)
		return -1;

	/* Reserve space for headers and set control bits. */
	skb_reserve(skb, MAX_TCP_HEADER);
	/* Use a previous sequence. This should cause the other end to send an ack. Don't
	 * queue or clone SKB, just send it. */
	tcp_init_nondata_skb(skb, tp->snd_una - !urgent, TCPHDR_ACK);
	TCP_SKB_CB(skb)->when = tcp_time_stamp;
	return tcp_transmit_skb(sk, skb, 0, GFP_ATOMIC);
}

/* Initiate keepalive or window probe from timer. */
int tcp_write_wakeup(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	if (sk->sk_state == TCP_CLOSE)
		return -1;

	if ((skb = tcp_send_head(sk)) != NULL &&
	    before(TCP_SKB_CB(skb)->seq, tcp_wnd_end(tp))) {
		int err;
		unsigned int mss = tcp_current_mss(sk);
		unsigned int seg_size = tcp_wnd_end(tp) - TCP_SKB_CB(skb)->seq;

		if (before(tp->pushed_seq, TCP_SKB_CB(skb)->end_seq))
			tp->pushed_seq = TCP_SKB_CB(skb)->end_seq;

		/* We are probing the opening of a window but the window size is != 0 must
		 * have been a result SWS avoidance ( sender ) */
		if (seg_size < TCP_SKB_CB(skb)->end_seq - TCP_SKB_CB(skb)->seq || skb->len > mss) {
			seg_size = min(seg_size, mss);
			TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_PSH;
			if (tcp_fragment(sk, skb, seg_size, mss))
				return -1;
		} else if (!skb_shinfo(skb)->gso_segs) {
			tcp_set_skb_tso_segs(sk, skb, mss);
		}
		TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_PSH;
		TCP_SKB_CB(skb)->when = tcp_time_stamp;
		err = tcp_transmit_skb(sk, skb, 1, GFP_ATOMIC);
		if (!err)
			tcp_event_new_data_sent(sk, skb);
		return err;
	} else {
		/* In urgent mode a first probe at snd_una carries the urgent pointer. */
		if (between(tcp_snd_up(tp), tp->snd_una + 1, tp->snd_una + 0xFFFF))
			tcp_xmit_probe_skb(sk, 1);
		return tcp_xmit_probe_skb(sk, 0);
	}
}

/* A window probe timeout has occurred. If window is not closed send a partial packet else
 * a zero probe. */
void tcp_send_probe0(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	int err;

	err = tcp_write_wakeup(sk);

	if (tp->packets_out || !tcp_send_head(sk)) {
		/* Cancel probe timer, if it is not required. */
		icsk->icsk_probes_out = 0;
		icsk->icsk_backoff = 0;
		return;
	}

	if (err <= 0) {
		if (icsk->icsk_backoff < sysctl_tcp_retries2)
			icsk->icsk_backoff++;
		icsk->icsk_probes_out++;
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0,
					  min((unsigned long)icsk->icsk_rto << icsk->icsk_backoff,
					      (unsigned long)TCP_RTO_MAX),
					  TCP_RTO_MAX);
	} else {
		/* If packet was not sent due to local congestion, do not backoff and do not
		 * remember icsk_probes_out. Let local senders to fight for local resources.
		 * Use accumulated backoff yet. */
		if (!icsk->icsk_probes_out)
			icsk->icsk_probes_out = 1;
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0,
					  min((unsigned long)icsk->icsk_rto << icsk->icsk_backoff,
					      (unsigned long)TCP_RESOURCE_PROBE_INTERVAL),
					  TCP_RTO_MAX);
	}
}
