/* SPDX-License-Identifier: MIT */
/* Building and sending TCP segments: the header and options, SYN, SYN-ACK, pure ACKs and
 * active resets, the initial window and the MSS.
 * Mirrors linux/net/ipv4/tcp_output.c (3.10): tcp_select_initial_window, tcp_select_window,
 * tcp_syn_options, tcp_synack_options, tcp_established_options, tcp_options_write,
 * tcp_transmit_skb, tcp_init_nondata_skb, tcp_mtu_to_mss, tcp_sync_mss, tcp_current_mss,
 * tcp_connect_init, tcp_connect, tcp_make_synack, tcp_send_ack, tcp_send_active_reset,
 * tcp_retransmit_skb.
 *
 * Book ch4: tcp_transmit_skb clones the queued skb (the original stays for retransmission),
 * pushes the TCP header and calls icsk_af_ops->queue_xmit = ip_queue_xmit.
 * Context: process (connect, close) or softirq (answers, timers), socket locked. */
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

/* Chose a new window to advertise, update state in tcp_sock for the socket, and return
 * result with RFC1323 scaling applied. The return value can be stuffed directly into
 * th->window for an outgoing frame.
 * DIVERGES: the receive window does not grow yet (__tcp_select_window's rcv_ssthresh
 * growth comes with data transfer, issue #5): the offered window stays rcv_wnd. */
u16 tcp_select_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 new_win = tp->rcv_wnd;

	tp->rcv_wnd = new_win;
	tp->rcv_wup = tp->rcv_nxt;
	/* Make sure we do not exceed the maximum possible scaled window. */
	if (!tp->rx_opt.rcv_wscale && sysctl_tcp_workaround_signed_windows)
		new_win = min(new_win, MAX_TCP_WINDOW);
	else
		new_win = min(new_win, (65535U << tp->rx_opt.rcv_wscale));
	/* RFC1323 scaling applied */
	new_win >>= tp->rx_opt.rcv_wscale;
	return (u16)new_win;
}

/* Write previously computed TCP options to the packet. Beware: Something in the Internet
 * is very sensitive to the ordering of TCP options, we learned this through the hard way,
 * so be careful here! Luckily we can at least blame others for their non-compliance but
 * from inter-operability perspective it seems that we're somewhat stuck with the ordering
 * which we have been using if we want to keep working with those broken things (not that
 * it currently hurts anybody as there isn't particular reason why the ordering would need
 * to be changed). */
static void tcp_options_write(__be32 *ptr, struct tcp_out_options *opts)
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
static unsigned int tcp_established_options(struct sock *sk, struct sk_buff *skb,
					    struct tcp_out_options *opts)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int size = 0;

	opts->options = 0;
	if (likely(tp->rx_opt.tstamp_ok)) {
		opts->options |= OPTION_TS;
		opts->tsval = skb ? TCP_SKB_CB(skb)->when : tcp_time_stamp;
		opts->tsecr = tp->rx_opt.ts_recent;
		size += TCPOLEN_TSTAMP_ALIGNED;
	}
	return size;
}

void tcp_v4_send_check(struct sock *sk, struct sk_buff *skb)
{
	const struct inet_sock *inet = inet_sk(sk);
	struct tcphdr *th = tcp_hdr(skb);

	/* DIVERGES: no checksum offload on the send side: the whole segment is summed here
	 * (3.10 leaves CHECKSUM_PARTIAL to the device when it can). */
	th->check = 0;
	skb->csum = skb_checksum(skb, skb_transport_offset(skb),
				 (int)(skb->len - (unsigned int)skb_transport_offset(skb)), 0);
	th->check = tcp_v4_check((int)(skb->len - (unsigned int)skb_transport_offset(skb)),
				 inet->inet_saddr, inet->inet_daddr, skb->csum);
	skb->ip_summed = CHECKSUM_NONE;
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

	tcp_options_write((__be32 *)(th + 1), &opts);
	icsk->icsk_af_ops->send_check(sk, skb);

	if (likely(tcb->tcp_flags & TCPHDR_ACK)) {
		/* tcp_event_ack_sent: the ACK we owed is going out. */
		inet_csk_clear_xmit_timer(sk, ICSK_TIME_DACK);
	}
	if (skb->len != tcp_header_size)
		tp->lsndtime = tcp_time_stamp;

	TCP_INC_STATS(sock_net(sk), TCP_MIB_OUTSEGS);
	tp->segs_out++;

	err = icsk->icsk_af_ops->queue_xmit(skb, &inet->cork.fl.u.ip4);
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
	tp->snd_up = tp->write_seq;
	tp->snd_nxt = tp->write_seq;

	if (likely(!tp->repair))
		tp->rcv_nxt = 0;
	tp->rcv_wup = tp->rcv_nxt;
	tp->copied_seq = tp->rcv_nxt;

	inet_csk(sk)->icsk_rto = TCP_TIMEOUT_INIT;
	inet_csk(sk)->icsk_retransmits = 0;
	tp->retrans_out = 0;
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
	tp->retrans_stamp = TCP_SKB_CB(buff)->when = tcp_time_stamp;
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
	tcp_options_write((__be32 *)(th + 1), &opts);
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
 * DIVERGES: 3.10 piggybacks the FIN on the last unsent data segment; ulnet has no data on
 * the write queue yet (issue #5), so the FIN always travels alone, with ACK. */
void tcp_send_fin(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	int guard = 0;

	/* Socket is locked, keep trying until memory is available. */
	for (;;) {
		skb = alloc_skb(MAX_TCP_HEADER, sk->sk_allocation);
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
	tcp_init_nondata_skb(skb, tp->write_seq, TCPHDR_ACK | TCPHDR_FIN);
	/* tcp_queue_skb: the FIN stays on the write queue until it is acknowledged. */
	__skb_queue_tail(&sk->sk_write_queue, skb);
	sk->sk_wmem_queued += (int)skb->truesize;
	sk_mem_charge(sk, (int)skb->truesize);
	tp->write_seq = TCP_SKB_CB(skb)->end_seq;
	TCP_SKB_CB(skb)->when = tcp_time_stamp;
	/* A send that fails locally is still in flight: the RTO timer retries it. */
	(void)tcp_transmit_skb(sk, skb, 1, sk->sk_allocation);
	/* tcp_event_new_data_sent */
	tp->snd_nxt = TCP_SKB_CB(skb)->end_seq;
	tp->packets_out += 1;
	if (!inet_csk(sk)->icsk_pending)
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, inet_csk(sk)->icsk_rto,
					  TCP_RTO_MAX);
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
int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int err;

	/* Make a copy, if the first transmission SKB clone we made is still in somebody's
	 * hands (the device queue of the first try). */
	TCP_SKB_CB(skb)->when = tcp_time_stamp;
	if (unlikely(skb_cloned(skb))) {
		struct sk_buff *nskb = __pskb_copy(skb, MAX_TCP_HEADER, GFP_ATOMIC);

		err = nskb ? tcp_transmit_skb(sk, nskb, 0, GFP_ATOMIC) : -ENOBUFS;
	} else {
		err = tcp_transmit_skb(sk, skb, 1, GFP_ATOMIC);
	}
	if (err == 0) {
		/* Update global TCP statistics. */
		TCP_INC_STATS(sock_net(sk), TCP_MIB_RETRANSSEGS);
		tp->total_retrans++;
		TCP_SKB_CB(skb)->sacked |= TCPCB_EVER_RETRANS;
		/* Save stamp of the first retransmit. */
		if (!tp->retrans_stamp)
			tp->retrans_stamp = TCP_SKB_CB(skb)->when;
	}
	return err;
}
