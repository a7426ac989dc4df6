/* SPDX-License-Identifier: MIT */
/* Receiving TCP segments on a socket: options, the SYN_SENT and SYN_RECV transitions of the
 * handshake, sequence and RST/SYN validation (RFC 793 and RFC 5961), ACK processing of the
 * retransmission queue, resets.
 * Mirrors linux/net/ipv4/tcp_input.c (3.10): tcp_parse_options, tcp_reset, tcp_sequence,
 * tcp_send_challenge_ack, tcp_validate_incoming, tcp_ack_update_window, tcp_clean_rtx_queue,
 * tcp_ack, tcp_finish_connect, tcp_rcv_synsent_state_process, tcp_rcv_state_process,
 * tcp_rcv_established, tcp_init_buffer_space.
 * tcp_fin and the closing states (FIN_WAIT1/2, CLOSING, LAST_ACK).
 * DIVERGES (issue #5 completes them): no data is accepted yet (a segment carrying data in
 * a synchronized state is answered with an ACK of rcv_nxt and dropped), no RTT
 * sampling, SACK, congestion control, header prediction or simultaneous open. */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/skbuff.h"
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

#define FLAG_DATA		0x01	/* Incoming frame contained data. */
#define FLAG_WIN_UPDATE		0x02	/* Incoming ACK was a window update. */
#define FLAG_DATA_ACKED		0x04	/* This ACK acknowledged new data. */
#define FLAG_SYN_ACKED		0x10	/* This ACK acknowledged SYN. */
#define FLAG_SLOWPATH		0x100	/* Do not skip RFC checks for window update. */
#define FLAG_UPDATE_TS_RECENT	0x4000	/* tcp_replace_ts_recent() */

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
				/* SACK blocks: issue #5. */
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

/* Does PAWS and seqno based validation of an incoming segment, flags will play significant
 * role here. Consumes @skb when it answers false. */
static bool tcp_validate_incoming(struct sock *sk, struct sk_buff *skb, const struct tcphdr *th,
				  int syn_inerr)
{
	struct tcp_sock *tp = tcp_sk(sk);

	/* Step 1: check sequence number */
	if (!tcp_sequence(tp, TCP_SKB_CB(skb)->seq, TCP_SKB_CB(skb)->end_seq)) {
		/* RFC793, page 37: "In all states except SYN-SENT, all reset (RST) segments
		 * are validated by checking their SEQ-fields." And page 69: "If an incoming
		 * segment is not acceptable, an acknowledgment should be sent in reply (unless
		 * the RST bit is set, if so drop the segment and return)". */
		if (!th->rst) {
			if (th->syn)
				goto syn_challenge;
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_DELAYEDACKLOST);
			tcp_send_ack(sk);
		}
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
		goto discard;
	}
	return true;

discard:
	kfree_skb(skb);
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
			if (nwin > tp->max_window) {
				tp->max_window = nwin;
				tcp_sync_mss(sk, inet_csk(sk)->icsk_pmtu_cookie);
			}
		}
	}
	tp->snd_una = ack;
	return flag;
}

/* Remove acknowledged frames from the retransmission queue. */
static int tcp_clean_rtx_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	int flag = 0;
	int guard = 0;

	while ((skb = skb_peek(&sk->sk_write_queue)) && skb != sk->sk_send_head &&
	       ++guard < 100000) {
		struct tcp_skb_cb *scb = TCP_SKB_CB(skb);

		if (after(scb->end_seq, tp->snd_una))
			break;
		if (scb->tcp_flags & TCPHDR_SYN)
			flag |= FLAG_SYN_ACKED;
		else
			flag |= FLAG_DATA_ACKED;
		tp->packets_out--;
		__skb_unlink(skb, &sk->sk_write_queue);
		sk->sk_wmem_queued -= (int)skb->truesize;
		sk_mem_uncharge(sk, (int)skb->truesize);
		kfree_skb(skb);
	}
	if (flag) {
		inet_csk(sk)->icsk_retransmits = 0;
		inet_csk(sk)->icsk_backoff = 0;
		tp->retrans_stamp = 0;
		/* tcp_rearm_rto */
		if (!tp->packets_out)
			inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
		else
			inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, inet_csk(sk)->icsk_rto,
						  TCP_RTO_MAX);
	}
	return flag;
}

/* This routine deals with incoming acks, but not outgoing ones. Returns > 0 for an
 * acceptable ACK, 0 for an old one, < 0 for one that acks what was never sent. */
static int tcp_ack(struct sock *sk, const struct sk_buff *skb, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 prior_snd_una = tp->snd_una;
	u32 ack_seq = TCP_SKB_CB(skb)->seq;
	u32 ack = TCP_SKB_CB(skb)->ack_seq;

	/* If the ack is older than previous acks then we can probably ignore it. */
	if (before(ack, prior_snd_una))
		return 0;
	/* If the ack includes data we haven't sent yet, discard this segment (RFC793
	 * Section 3.9). */
	if (after(ack, tp->snd_nxt))
		return -1;

	flag |= tcp_ack_update_window(sk, skb, ack, ack_seq);
	tp->rcv_tstamp = tcp_time_stamp;
	if (tp->packets_out)
		flag |= tcp_clean_rtx_queue(sk);
	/* (The flags drive congestion control and RTT sampling: issue #5.) */
	return flag ? 1 : 1;
}

static inline void tcp_store_ts_recent(struct tcp_sock *tp)
{
	tp->rx_opt.ts_recent = tp->rx_opt.rcv_tsval;
	tp->rx_opt.ts_recent_stamp = get_seconds();
}

/* The socket buffers as 3.10 sizes them on entering ESTABLISHED (facts.md §1.3).
 * DIVERGES: buffer growth (tcp_fixup_rcvbuf/sndbuf from the MSS) comes with issue #5; the
 * initial tcp_rmem[1]/tcp_wmem[1] stay. */
void tcp_init_buffer_space(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int maxwin;

	maxwin = tcp_full_space(sk);
	if (tp->window_clamp >= (u32)maxwin)
		tp->window_clamp = (u32)maxwin;
	if (tp->rcv_ssthresh > tp->window_clamp)
		tp->rcv_ssthresh = tp->window_clamp;
	tp->snd_cwnd_stamp = tcp_time_stamp;
}

void tcp_finish_connect(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	(void)skb;
	tcp_set_state(sk, TCP_ESTABLISHED);
	tp->lsndtime = tcp_time_stamp;
	tcp_init_buffer_space(sk);
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
	}
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
		    !between(tp->rx_opt.rcv_tsecr, tp->retrans_stamp, tcp_time_stamp)) {
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_PAWSACTIVEREJECTED);
			goto reset_and_undo;
		}

		/* Now ACK is acceptable. "If the RST bit is set If the ACK was acceptable then
		 * signal the user "error: connection reset", drop the segment, enter CLOSED
		 * state, delete TCB, and return." */
		if (th->rst) {
			tcp_reset(sk);
			goto discard;
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
		/* DIVERGES: 3.10 delays this ACK when a writer is pending or the socket is
		 * interactive (quick-ack mode); ulnet always ACKs at once. */
		tcp_send_ack(sk);
		return -1;
	}

	/* No ACK in the segment */
	if (th->rst) {
		/* rfc793: "If the RST bit is set Otherwise (no ACK) drop the segment and
		 * return." */
		goto discard_and_undo;
	}

	if (th->syn) {
		/* We see SYN without ACK. It is attempt of simultaneous connect with crossed
		 * SYNs. DIVERGES: simultaneous open is not implemented yet; the SYN is
		 * dropped and our SYN retransmits. */
		tcp_pr_once("TCP: simultaneous open not implemented in ulnet yet\n");
		goto discard_and_undo;
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
	kfree_skb(skb);
	return 0;
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
		/* DIVERGES: 3.10 enters pingpong mode and lets tcp_ack_snd_check decide;
		 * ulnet ACKs the FIN at once. */
		tcp_send_ack(sk);
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
	__skb_queue_purge(&tcp_sk(sk)->out_of_order_queue);

	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		/* Do not send POLL_HUP for half duplex close. */
		if (sk->sk_shutdown == SHUTDOWN_MASK || sk->sk_state == TCP_CLOSE)
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
		else
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_IN);
	}
}

/* A segment with data or FIN in a synchronized state. The caller frees @skb.
 * A FIN alone at rcv_nxt is accepted (tcp_fin). DIVERGES: data transfer is issue #5: a
 * segment carrying data is not accepted; the peer gets an ACK of what we have (rcv_nxt),
 * so its retransmissions keep the connection honest until the user closes it. */
static void tcp_data_queue(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const struct tcphdr *th = tcp_hdr(skb);
	u32 seq = TCP_SKB_CB(skb)->seq, end_seq = TCP_SKB_CB(skb)->end_seq;

	if (seq == end_seq)
		return;
	if (th->fin && seq == tp->rcv_nxt && end_seq == seq + 1) {
		tp->rcv_nxt = end_seq;
		tcp_fin(sk);
		return;
	}
	if (!before(seq, tp->rcv_nxt) && end_seq != seq + (th->fin ? 1U : 0U))
		tcp_pr_once("TCP: receiving data is not implemented in ulnet yet (issue #5)\n");
	/* A retransmission of what we already have (a FIN we acked) or data: ACK rcv_nxt. */
	tcp_send_ack(sk);
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
		goto discard;

	case TCP_LISTEN:
		if (th->ack)
			return 1;
		if (th->rst)
			goto discard;
		if (th->syn) {
			if (th->fin)
				goto discard;
			if (icsk->icsk_af_ops->conn_request(sk, skb) < 0)
				return 1;
			kfree_skb(skb);
			return 0;
		}
		goto discard;

	case TCP_SYN_SENT:
		queued = tcp_rcv_synsent_state_process(sk, skb, th, len);
		if (queued >= 0)
			return queued;
		kfree_skb(skb);
		return 0;
	}

	if (!tcp_validate_incoming(sk, skb, th, 0))
		return 0;

	/* step 5: check the ACK field */
	if (!th->ack)
		goto discard;
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
			if (tp->rx_opt.tstamp_ok)
				tp->advmss -= TCPOLEN_TSTAMP_ALIGNED;
			tp->lsndtime = tcp_time_stamp;
			tcp_init_buffer_space(sk);
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

					if (tp->linger2 < 0 ||
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
			if (!acceptable && after(TCP_SKB_CB(skb)->ack_seq, tp->snd_nxt))
				goto discard;
			break;
		}
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
	case TCP_SYN_RECV:
		tcp_data_queue(sk, skb);
		break;
	default:
		break;
	}
discard:
	if (!queued)
		kfree_skb(skb);
	return 0;
}

/* ESTABLISHED. DIVERGES: no header prediction fast path yet (issue #5): every segment
 * takes the RFC 793 slow path of tcp_rcv_state_process's synchronized states. */
int tcp_rcv_established(struct sock *sk, struct sk_buff *skb, const struct tcphdr *th,
			unsigned int len)
{
	UL_TRACE(skb);
	if (len < (unsigned int)th->doff * 4) {
		TCP_INC_STATS_BH(sock_net(sk), TCP_MIB_INERRS);
		kfree_skb(skb);
		return 0;
	}
	if (!tcp_validate_incoming(sk, skb, th, 1))
		return 0;
	if (th->ack && tcp_ack(sk, skb, FLAG_SLOWPATH | FLAG_UPDATE_TS_RECENT) < 0) {
		kfree_skb(skb);
		return 0;
	}
	if (TCP_SKB_CB(skb)->end_seq != TCP_SKB_CB(skb)->seq)
		tcp_data_queue(sk, skb);
	kfree_skb(skb);
	return 0;
}
