/* SPDX-License-Identifier: MIT */
/* The TCP socket: struct tcp_sock on top of inet_connection_sock, the TCP request sock and
 * the TCP TIME_WAIT sock.
 * Mirrors linux/include/linux/tcp.h (3.10): tcp_hdr, tcp_hdrlen, struct tcp_options_received,
 * struct tcp_request_sock, struct tcp_sock, struct tcp_timewait_sock, tcp_sk, tcp_rsk,
 * tcp_twsk. Only the fields the implemented parts use are here (3.10 order kept). */
#ifndef _LINUX_TCP_H
#define _LINUX_TCP_H
#include "linux/skbuff.h"
#include "net/inet_connection_sock.h"
#include "net/inet_timewait_sock.h"
#include "uapi/linux/tcp.h"

static inline struct tcphdr *tcp_hdr(const struct sk_buff *skb)
{
	return (struct tcphdr *)skb_transport_header(skb);
}
static inline unsigned int tcp_hdrlen(const struct sk_buff *skb)
{
	return tcp_hdr(skb)->doff * 4;
}
static inline unsigned int tcp_optlen(const struct sk_buff *skb)
{
	return (tcp_hdr(skb)->doff - 5) * 4;
}

/* What the peer's options said (tcp_parse_options). */
struct tcp_options_received {
	/* Time we stored ts_recent (for aging), get_seconds(). DIVERGES: u32, not long (the
	 * seconds since boot fit 32 bits for 136 years; 8 B less in every tcp_sock with the
	 * struct's alignment). The listener's syncookie overflow time, which 3.10 keeps here
	 * in jiffies, is in its listen_sock (tcp_synq_overflow). */
	u32 ts_recent_stamp;
	u32 ts_recent;		/* Time stamp to echo next */
	u32 rcv_tsval;		/* Time stamp value */
	u32 rcv_tsecr;		/* Time stamp echo reply */
	u16 saw_tstamp : 1,	/* Saw TIMESTAMP on last packet */
	    tstamp_ok : 1,	/* TIMESTAMP seen on SYN packet */
	    dsack : 1,		/* D-SACK is scheduled */
	    wscale_ok : 1,	/* Wscale seen on SYN packet */
	    sack_ok : 4,	/* SACK seen on SYN packet */
	    snd_wscale : 4,	/* Window scaling received from sender */
	    rcv_wscale : 4;	/* Window scaling to send to receiver */
	u8 num_sacks;		/* Number of SACK blocks */
	u16 user_mss;		/* mss requested by user in ioctl */
	u16 mss_clamp;		/* Maximal mss, negotiated at connection setup */
};

/* A SACK block as the stack keeps it: host-order sequence numbers. */
struct tcp_sack_block {
	u32 start_seq;
	u32 end_seq;
};

static inline void tcp_clear_options(struct tcp_options_received *rx_opt)
{
	rx_opt->tstamp_ok = rx_opt->sack_ok = 0;
	rx_opt->wscale_ok = rx_opt->snd_wscale = 0;
}

struct tcp_request_sock {
	struct inet_request_sock req;
	u32 rcv_isn;
	u32 snt_isn;
	u32 snt_synack;		/* synack sent time (tcp_time_stamp) */
};

static inline struct tcp_request_sock *tcp_rsk(const struct request_sock *req)
{
	return (struct tcp_request_sock *)req;
}

struct tcp_sock {
	/* inet_connection_sock has to be the first member of tcp_sock */
	struct inet_connection_sock inet_conn;
	/* DIVERGES: u16 in 3.10; a TCP header is at most 60 B. */
	u8 tcp_header_len;	/* Bytes of tcp header to send */
	u8 reordering;		/* Packet reordering metric. (here: fills a hole) */
	u16 xmit_size_goal_segs; /* Goal for segmenting output packets */
	u32 tso_deferred;	/* TSO deferral: 1 | (jiffies << 1) when it started, else 0 */

	/* RFC793 variables by their proper names. This means you can read the code and the
	 * spec side by side (and laugh ...) See RFC793 and RFC1122. */
	u32 rcv_nxt;		/* What we want to receive next */
	u32 copied_seq;		/* Head of yet unread data */
	u32 rcv_wup;		/* rcv_nxt on last window update sent */
	u32 snd_nxt;		/* Next sequence we send */
	u32 snd_una;		/* First byte we want an ack for */
	u32 snd_sml;		/* Last byte of the most recently transmitted small packet */
	u32 rcv_tstamp;		/* timestamp of last received ACK (for keepalives) */
	u32 lsndtime;		/* timestamp of last sent data packet (for restart window) */

	u32 snd_wl1;		/* Sequence for window update */
	u32 snd_wnd;		/* The window we expect to receive */
	u32 max_window;		/* Maximal window ever seen from peer */
	u32 mss_cache;		/* Cached effective mss, not including SACKS */

	u32 window_clamp;	/* Maximal window to advertise */
	u32 rcv_ssthresh;	/* Current window clamp */

	u16 advmss;		/* Advertised MSS */
	u8 nonagle : 4,		/* Disable Nagle algorithm? */
	   thin_lto : 1,
	   thin_dupack : 1,
	   repair : 1,
	   frto : 1;
	u8 do_early_retrans:1,
	   syn_data:1,
	   syn_fastopen:1,
	   syn_data_acked:1,
	   ucopy_waiting:1;	/* a reader waits in tcp_recvmsg: see tcp_ucopy() */
	/* DIVERGES: 3.10 keeps the loss-recovery and SACK-scoreboard scalars (tlp_high_seq,
	 * retrans_out, prior_cwnd, prior_ssthresh, lost_out, sacked_out, fackets_out,
	 * total_retrans, retrans_stamp, undo_marker, high_seq, undo_retrans, prr_delivered,
	 * prr_out, retransmit_high, lost_retrans_low: 64 B) here; ulnet keeps them in the
	 * state allocated at the first loss, reordering, retransmission or SACK (tcp_sock.ofo,
	 * struct tcp_ofo_state). Read them with tcp_rec(tp) (0 while never allocated, what
	 * 3.10 has in a connection that never lost anything); write them through
	 * tcp_ofo_state_get(tp). */

	/* RTT measurement */
	u32 srtt;		/* smoothed round trip time << 3 */
	u32 mdev;		/* medium deviation */
	u32 mdev_max;		/* maximal mdev for the last rtt period */
	u32 rttvar;		/* smoothed mdev_max */
	u32 rtt_seq;		/* sequence number to update rttvar */

	u32 packets_out;	/* Packets which are "in flight" */

	/* (urg_data, keepalive_probes, snd_up: in struct sock_rare, see sk_rare in struct
	 * sock; read through tcp_urg_data, keepalive_probes, tcp_snd_up (net/tcp.h).) */
	/* (DIVERGES: no ecn_flags, ulnet has no ECN.) */
	/* (Placed to fill padding holes: every 64 B of sizeof is one less slab slot.) */
	/* DIVERGES: 3.10 has u32 mtu_info and unsigned long tsq_flags; an ICMP MTU is 16
	 * bits and ulnet uses 4 tsq bits, so both are u16 here (8 B of tcp_sock). */
	u16 mtu_info;		/* MTU of the last ICMP frag-needed (tcp_v4_mtu_reduced) */
	u16 tsq_flags;		/* enum tsq_flags bits: work left for release_sock */

	/* Options received (usually on last packet, some only on SYN packets). */
	struct tcp_options_received rx_opt;

	/* Slow start and congestion control (see also Nagle, and Karn & Partridge) */
	u32 snd_ssthresh;	/* Slow start size threshold */
	u32 snd_cwnd;		/* Sending congestion window */
	u32 snd_cwnd_cnt;	/* Linear increase counter */
	u32 snd_cwnd_clamp;	/* Do not allow snd_cwnd to grow above this */
	u32 snd_cwnd_used;
	u32 snd_cwnd_stamp;

	u32 rcv_wnd;		/* Current receiver window */
	u32 write_seq;		/* Tail(+1) of data held in tcp send buffer */
	u32 pushed_seq;		/* Last pushed seq, required to talk to windows */

	/* (linger2, urg_seq, keepalive_time, keepalive_intvl: in struct sock_rare; read
	 * through tcp_linger2, tcp_urg_seq, keepalive_time_when, keepalive_intvl_when.) */


	/* ---- data transfer (issue #5); 3.10 keeps these among the fields above ---- */
	__be32 pred_flags;	/* header prediction: expected flag word of the next segment */
	struct {
		u32 rtt;	/* receiver's RTT estimate << 3 (jiffies) */
		u32 seq;
		u32 time;
	} rcv_rtt_est;
	struct {
		int space;	/* bytes the application read in the last RTT (autotuning) */
		u32 seq;
		u32 time;
	} rcvq_space;
	/* DIVERGES: 3.10 embeds out_of_order_queue, duplicate_sack[1] and selective_acks[4]
	 * (64 B) in tcp_sock; ulnet allocates them together on first use (the first
	 * out-of-order segment or D-SACK, tcp_ofo_state_get) and frees them with the socket:
	 * an in-order connection never needs them (15 tcp_sock per slab instead of 14). The
	 * same block holds the sender's loss-recovery state (see struct tcp_ofo_state). */
	struct tcp_ofo_state *ofo;
	/* DIVERGES: 3.10 embeds struct ucopy (prequeue, task, iov, memory, len: 40 B) in
	 * tcp_sock; ulnet keeps it on the stack of the reader blocked in tcp_recvmsg (struct
	 * tcp_ucopy, net/tcp.h) and not even a pointer to it here: while the reader waits,
	 * its tcp_ucopy sits in a table hashed by sock (tcp_ucopy_attach/detach) and the
	 * ucopy_waiting bit above says so; tcp_ucopy(sk) finds it (NULL when no reader
	 * waits, without a lookup). Attached and detached by the reader while it owns the
	 * socket (lock_sock); softirq looks it up only under bh_lock_sock with the socket
	 * not owned (tcp_prequeue) or from that reader's own backlog/prequeue processing, so
	 * it never sees it dangling: the reader cannot leave tcp_recvmsg without owning the
	 * socket and detaching it first. */
};

/* The "TCP" cache's object is sizeof + the 8 B free pointer SLAB_DESTROY_BY_RCU puts after
 * it, rounded to 64 (SLAB_HWCACHE_ALIGN): up to 696 B that is a 704 B object (23 to an
 * order-2 slab with 2 CPUs, 11 to an order-1 slab with one), which issue #10's goal of
 * 1,024 B of slab per idle established socket needs (with the socket, inode, file and
 * dentry). 3.10's tcp_sock is about 2.3 KiB; ulnet's is 688 B since session 6 (one
 * timer, loss-recovery and setsockopt-only state allocated when first used, datagram
 * state out, the lock's wait queue hashed: see docs/performance.md). 8 B more than 696 is
 * a 768 B object, 64 B more per socket: a new field has to find its room elsewhere. */
_Static_assert(sizeof(struct tcp_sock) <= 696, "tcp_sock must stay within a 704 B slab object");

/* Bits of tcp_sock.tsq_flags: a timer or an ICMP found the socket owned by a task and left
 * its work to tcp_release_cb (run by release_sock). The first three belong to TCP small
 * queues, which ulnet does not have (the numbering is 3.10's). */
enum tsq_flags {
	TSQ_THROTTLED,
	TSQ_QUEUED,
	TCP_TSQ_DEFERRED,	   /* TSQ's tasklet met an owned socket (not in ulnet) */
	TCP_WRITE_TIMER_DEFERRED,  /* the write timer met an owned socket */
	TCP_DELACK_TIMER_DEFERRED, /* the delayed-ACK timer met an owned socket */
	TCP_MTU_REDUCED_DEFERRED,  /* a frag-needed met an owned socket (tcp_v4_err) */
};

static inline struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

/* Sets bit nr of tp->tsq_flags atomically; returns its old value (test_and_set_bit on
 * the u16 field). Context: any (timers, softirq, process). */
static inline int tcp_tsq_test_and_set(struct tcp_sock *tp, int nr)
{
	u16 mask = (u16)(1U << nr);

	return (__atomic_fetch_or(&tp->tsq_flags, mask, __ATOMIC_SEQ_CST) & mask) != 0;
}

/* The state of a connection that met something out of the ordinary: allocated on first
 * use (see tcp_sock.ofo) and kept until the socket goes.
 * Receive side: the out-of-order queue and the SACK blocks we send. The SACK blocks are
 * read only while rx_opt.num_sacks / rx_opt.dsack say so, and those are set only once
 * this exists.
 * Send side (DIVERGES: 3.10 keeps these in tcp_sock): the loss-recovery and SACK
 * scoreboard scalars, in 3.10's order. A connection that never retransmitted, received a
 * SACK or counted a duplicate ACK has them all 0 (3.10's values for it); the block is
 * allocated (tcp_ofo_state_get) where one of them first takes another value: a
 * retransmission (tcp_retransmit_skb, the RTO, the loss probe), a SACK block
 * (tcp_sacktag_write_queue), a NewReno duplicate ACK, a cwnd reduction, the SYN-ACK
 * retransmissions a child inherits (total_retrans). Invariants the code relies on: an
 * icsk_ca_state other than Open, a nonzero tlp_high_seq, and any TCPCB_TAGBITS or
 * TCPCB_EVER_RETRANS mark on a queued skb imply the block exists. Read the fields with
 * tcp_rec(tp). */
struct tcp_ofo_state {
	struct sk_buff_head out_of_order_queue; /* Out of order segments go here */
	struct tcp_sack_block duplicate_sack[1];	/* D-SACK block to send */
	struct tcp_sack_block selective_acks[4];	/* SACK blocks to send */

	u32 tlp_high_seq;	/* snd_nxt at the time of TLP retransmission */
	u32 retrans_out;	/* Retransmitted packets out */
	u32 prior_cwnd;		/* cwnd at the start of the reduction (PRR) */
	u32 prior_ssthresh;	/* ssthresh saved at recovery start */
	u32 lost_out;		/* Lost packets */
	u32 sacked_out;		/* SACK'd packets */
	u32 fackets_out;	/* FACK'd packets */
	int total_retrans;	/* Total retransmits for entire connection */
	u32 retrans_stamp;	/* Timestamp of the last retransmit, also used in SYN-SENT to
				 * remember stamp of the first SYN (see tcp_syn_stamp). */
	u32 undo_marker;	/* snd_una at the start of the episode; 0: no undo possible */
	u32 high_seq;		/* snd_nxt at onset of congestion (Recovery/Loss/CWR) */
	u32 undo_retrans;	/* number of undoable retransmissions */
	u32 prr_delivered;	/* PRR: packets delivered since recovery began */
	u32 prr_out;		/* PRR: packets sent since recovery began */
	u32 retransmit_high;	/* L-bits may be on up to this seqno */
	u32 lost_retrans_low;	/* Sent seq after any rxmit (lowest) (tcp_mark_lost_retrans) */
};

/* All zero: what tcp_rec reads while the state was never allocated. */
extern const struct tcp_ofo_state tcp_ofo_state_none;

/* The loss-recovery state for reading: the connection's block, or all zeros (3.10's
 * values for a connection that never lost, retransmitted or received a SACK) while it has
 * none. Do not keep the pointer across a call that may allocate the block. */
static inline const struct tcp_ofo_state *tcp_rec(const struct tcp_sock *tp)
{
	return likely(!tp->ofo) ? &tcp_ofo_state_none : tp->ofo;
}

/* 3.10's tcp_clear_retrans (tcp_disconnect, tcp_connect_init): the in-flight counters and
 * the undo state back to a fresh connection's; nothing to clear without the block (the
 * block itself is kept: a reused socket keeps total_retrans, as 3.10's sock does). */
static inline void tcp_clear_retrans(struct tcp_sock *tp)
{
	struct tcp_ofo_state *rec = tp->ofo;

	if (rec) {
		rec->retrans_out = rec->lost_out = 0;
		rec->undo_marker = rec->undo_retrans = 0;
		rec->fackets_out = rec->sacked_out = 0;
	}
}

/* True if no out-of-order segment is queued (also when the state was never allocated). */
static inline bool tcp_ofo_queue_empty(const struct tcp_sock *tp)
{
	return !tp->ofo || skb_queue_empty(&tp->ofo->out_of_order_queue);
}

static inline struct sk_buff *tcp_ofo_peek(const struct tcp_sock *tp)
{
	return tp->ofo ? skb_peek(&tp->ofo->out_of_order_queue) : NULL;
}

struct tcp_timewait_sock {
	struct inet_timewait_sock tw_sk;
	u32 tw_rcv_nxt;
	u32 tw_snd_nxt;
	u32 tw_rcv_wnd;
	u32 tw_ts_offset;
	u32 tw_ts_recent;
	long tw_ts_recent_stamp;
};

static inline struct tcp_timewait_sock *tcp_twsk(const struct sock *sk)
{
	return (struct tcp_timewait_sock *)sk;
}

#endif
