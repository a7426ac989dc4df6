/* SPDX-License-Identifier: MIT */
/* TCP's constants, per-segment control block, sysctls, counters and the functions shared by
 * tcp*.c.
 * Mirrors linux/include/net/tcp.h (3.10): MAX_TCP_HEADER, TCP_* timing constants
 * (facts.md §2), TCPOPT_*, struct tcp_skb_cb / TCP_SKB_CB, TCPHDR_*, before/after,
 * TCP_INC_STATS, tcp_set_state, tcp_done, tcp_time_stamp, tcp_v4_check, tcp_full_space,
 * tcp_init_wl, tcp_select_initial_window, tcp_connect, tcp_v4_connect, tcp_v4_rcv,
 * tcp_rcv_state_process, tcp_check_req, tcp_v4_send_reset...
 *
 * What ulnet implements (issues #4 and #5, docs/tcp.md): the hash tables, bind/listen/
 * connect/accept, the three-way handshake with options (MSS, SACK-permitted, timestamps,
 * window scale), SYN and SYN-ACK retransmission, the accept queue and SYN queue overflow
 * rules, RST generation and reception (ECONNREFUSED, ECONNRESET), abortive and orderly
 * close (FIN, FIN_WAIT1/2, CLOSING, CLOSE_WAIT, LAST_ACK, TIME_WAIT socks), data transfer
 * (send path, receive queues, delayed ACK, RTT/RTO, persist and keepalive timers, NewReno
 * and SACK recovery), SYN cookies (syncookies.c).
 * DIVERGES (not yet): TSO/GSO on the send side (one MSS per skb), F-RTO, TLP, ECN. */
#ifndef _NET_TCP_H
#define _NET_TCP_H
#include "linux/jiffies.h"
#include "linux/netdevice.h"
#include "linux/skbuff.h"
#include "linux/tcp.h"
#include "net/checksum.h"
#include "net/inet_connection_sock.h"
#include "net/inet_hashtables.h"
#include "net/inet_timewait_sock.h"
#include "net/ip.h"
#include "net/request_sock.h"
#include "net/snmp.h"
#include "net/sock.h"
#include "net/tcp_states.h"
#include "net/tcp_cong.h"

#ifndef SOL_TCP
#define SOL_TCP 6	/* TCP level (IPPROTO_TCP) */
#endif
/* A message printed once per boot of the library (3.10's pr_info_once). */
#define tcp_pr_once(...)                                  \
	do {                                              \
		static bool __printed;                    \
		if (!__printed) {                         \
			__printed = true;                 \
			printk(KERN_INFO __VA_ARGS__);    \
		}                                         \
	} while (0)

extern struct inet_hashinfo tcp_hashinfo;
extern struct inet_timewait_death_row tcp_death_row;
extern struct proto tcp_prot;
extern atomic_long_t tcp_memory_allocated;
extern atomic_long_t tcp_sockets_allocated;

#define MAX_TCP_HEADER	(128 + MAX_HEADER)
#define MAX_TCP_OPTION_SPACE 40

/* Never offer a window over 32767 without using window scaling. Some poor stacks do
 * signed 16bit maths! */
#define MAX_TCP_WINDOW		32767U
/* Offer an initial receive window of 10 mss. */
#define TCP_DEFAULT_INIT_RCVWND	10
/* Minimal accepted MSS. It is (60+60+8) - (20+20). */
#define TCP_MIN_MSS		88U
/* The least MTU to use for probing */
#define TCP_BASE_MSS		512
#define TCP_FASTRETRANS_THRESH	3
#define TCP_MAX_QUICKACKS	16U
#define TCP_URG_VALID		0x0100
#define TCP_URG_NOTYET		0x0200
#define TCP_URG_READ		0x0400

#define TCP_RETR1		3	/* retransmits before negative advice (RFC 1122) */
#define TCP_RETR2		15	/* ~13-30 min of retransmits before killing */
#define TCP_SYN_RETRIES		6	/* 1+2+4+8+16+32+64: 127 s before ETIMEDOUT */
#define TCP_SYNACK_RETRIES	5	/* SYN-ACKs at 0, 1, 3, 7, 15, 31 s */
#define TCP_TIMEWAIT_LEN	(60 * HZ)	/* how long to wait to destroy TIME-WAIT state */
#define TCP_FIN_TIMEOUT		TCP_TIMEWAIT_LEN
#define TCP_DELACK_MAX		((unsigned)(HZ / 5))	/* maximal time to delay before sending an ACK */
#define TCP_DELACK_MIN		((unsigned)(HZ / 25))	/* minimal time to delay before sending an ACK */
#define TCP_ATO_MIN		((unsigned)(HZ / 25))
#define TCP_RTO_MAX		((unsigned)(120 * HZ))
#define TCP_RTO_MIN		((unsigned)(HZ / 5))
#define TCP_TIMEOUT_INIT	((unsigned)(1 * HZ))	/* RFC6298 2.1 initial RTO value */
#define TCP_TIMEOUT_FALLBACK	((unsigned)(3 * HZ))	/* RFC 1122 initial RTO value */
#define TCP_RESOURCE_PROBE_INTERVAL ((unsigned)(HZ / 2U))
#define TCP_KEEPALIVE_TIME	(120 * 60 * HZ)	/* two hours */
#define TCP_KEEPALIVE_PROBES	9
#define TCP_KEEPALIVE_INTVL	(75 * HZ)
#define MAX_TCP_KEEPIDLE	32767
#define MAX_TCP_KEEPINTVL	32767
#define MAX_TCP_KEEPCNT		127
#define MAX_TCP_SYNCNT		127
#define TCP_SYNQ_INTERVAL	(HZ / 5)	/* Period of SYNACK timer */
#define TCP_PAWS_24DAYS		(60 * 60 * 24 * 24)
#define TCP_PAWS_MSL		60
#define TCP_PAWS_WINDOW		1
#define TCP_INIT_CWND		10
#define TCP_INFINITE_SSTHRESH	0x7fffffff
#define TCP_NUM_SACKS		4

/* TCP option kinds */
#define TCPOPT_NOP		1	/* Padding */
#define TCPOPT_EOL		0	/* End of options */
#define TCPOPT_MSS		2	/* Segment size negotiating */
#define TCPOPT_WINDOW		3	/* Window scaling */
#define TCPOPT_SACK_PERM	4	/* SACK Permitted */
#define TCPOPT_SACK		5	/* SACK Block */
#define TCPOPT_TIMESTAMP	8	/* Better RTT estimations/PAWS */
#define TCPOPT_MD5SIG		19	/* MD5 Signature (RFC2385) */
#define TCPOPT_EXP		254	/* Experimental */
#define TCPOLEN_MSS		4
#define TCPOLEN_WINDOW		3
#define TCPOLEN_SACK_PERM	2
#define TCPOLEN_TIMESTAMP	10
#define TCPOLEN_TSTAMP_ALIGNED	12
#define TCPOLEN_WSCALE_ALIGNED	4
#define TCPOLEN_SACKPERM_ALIGNED 4
#define TCPOLEN_SACK_BASE	2
#define TCPOLEN_SACK_BASE_ALIGNED 4
#define TCPOLEN_SACK_PERBLOCK	8
#define TCPOLEN_MSS_ALIGNED	4
#define TCP_MAX_WSCALE		14U

/* Flags in tp->nonagle */
#define TCP_NAGLE_OFF		1
#define TCP_NAGLE_CORK		2
#define TCP_NAGLE_PUSH		4

/* sysctls (net.ipv4.tcp_*), facts.md §1.2. */
extern int sysctl_tcp_timestamps;
extern int sysctl_tcp_window_scaling;
extern int sysctl_tcp_sack;
extern int sysctl_tcp_fin_timeout;
extern int sysctl_tcp_keepalive_time;
extern int sysctl_tcp_keepalive_probes;
extern int sysctl_tcp_keepalive_intvl;
extern int sysctl_tcp_syn_retries;
extern int sysctl_tcp_synack_retries;
extern int sysctl_tcp_retries1;
extern int sysctl_tcp_retries2;
extern int sysctl_tcp_orphan_retries;
extern int sysctl_tcp_syncookies;
extern int sysctl_tcp_tw_reuse;
extern int sysctl_tcp_low_latency;	/* 0: the prequeue is on (tcp_prequeue) */
extern int sysctl_tcp_abort_on_overflow;
extern int sysctl_tcp_max_orphans;
extern int sysctl_tcp_workaround_signed_windows;
extern int sysctl_tcp_base_mss;
extern int sysctl_tcp_adv_win_scale;
extern int sysctl_tcp_challenge_ack_limit;
extern int sysctl_tcp_reordering;
extern long sysctl_tcp_mem[3];
extern int sysctl_tcp_wmem[3];
extern int sysctl_tcp_rmem[3];

/* The TCP part of skb->cb: host-order sequence numbers of the segment. */
struct tcp_skb_cb {
	union {
		struct inet_skb_parm h4;
	} header;		/* For incoming frames */
	__u32 seq;		/* Starting sequence number */
	__u32 end_seq;		/* SEQ + FIN + SYN + datalen */
	__u32 when;		/* used to compute rtt's */
	__u8 tcp_flags;		/* TCP header flags. (tcp[13]) */
	__u8 sacked;		/* State flags for SACK/FACK. */
#define TCPCB_SACKED_ACKED	0x01	/* SKB ACK'd by a SACK block */
#define TCPCB_SACKED_RETRANS	0x02	/* SKB retransmitted */
#define TCPCB_LOST		0x04	/* SKB is lost */
#define TCPCB_TAGBITS		0x07	/* All tag bits */
#define TCPCB_EVER_RETRANS	0x80	/* Ever retransmitted frame */
	__u8 ip_dsfield;	/* IPv4 tos or IPv6 dsfield */
	__u32 ack_seq;		/* Sequence number ACK'd */
};
#define TCP_SKB_CB(__skb) ((struct tcp_skb_cb *)&((__skb)->cb[0]))
_Static_assert(sizeof(struct tcp_skb_cb) <= sizeof(((struct sk_buff *)0)->cb),
	       "tcp_skb_cb must fit in skb->cb");

#define TCPHDR_FIN 0x01
#define TCPHDR_SYN 0x02
#define TCPHDR_RST 0x04
#define TCPHDR_PSH 0x08
#define TCPHDR_ACK 0x10
#define TCPHDR_URG 0x20
#define TCPHDR_ECE 0x40
#define TCPHDR_CWR 0x80

/* The next routines deal with comparing 32 bit unsigned ints and worry about wraparound
 * (automatic with unsigned arithmetic). */
static inline bool before(__u32 seq1, __u32 seq2)
{
	return (__s32)(seq1 - seq2) < 0;
}
#define after(seq2, seq1) before(seq1, seq2)
/* is s2<=s1<=s3 ? */
static inline bool between(__u32 seq1, __u32 seq2, __u32 seq3)
{
	return seq3 - seq2 >= seq1 - seq2;
}

/* The jiffies clock TCP timestamps use (HZ = 1000: milliseconds). */
#define tcp_time_stamp ((__u32)(jiffies))

/* Counters. */
#define TCP_INC_STATS(net, field)	SNMP_INC_STATS((net)->mib.tcp_statistics, field)
#define TCP_INC_STATS_BH(net, field)	SNMP_INC_STATS_BH((net)->mib.tcp_statistics, field)
#define TCP_DEC_STATS(net, field)	SNMP_DEC_STATS((net)->mib.tcp_statistics, field)
#define TCP_ADD_STATS_USER(net, field, val) SNMP_ADD_STATS_USER((net)->mib.tcp_statistics, field, val)
#define TCP_ADD_STATS(net, field, val)	SNMP_ADD_STATS((net)->mib.tcp_statistics, field, val)
/* Sum over CPUs (tests, views). */
unsigned long tcp_mib_read(struct net *net, int field);
unsigned long tcp_netstat_read(struct net *net, int field);

static inline __sum16 tcp_v4_check(int len, __be32 saddr, __be32 daddr, __wsum base)
{
	return csum_tcpudp_magic(saddr, daddr, (unsigned short)len, IPPROTO_TCP, base);
}

/* win_from_space with tcp_adv_win_scale = 1: half the buffer is for data. */
static inline int tcp_win_from_space(int space)
{
	return sysctl_tcp_adv_win_scale <= 0 ? space >> (-sysctl_tcp_adv_win_scale)
					     : space - (space >> sysctl_tcp_adv_win_scale);
}
static inline int tcp_full_space(const struct sock *sk)
{
	return tcp_win_from_space(sk->sk_rcvbuf);
}
static inline void tcp_init_wl(struct tcp_sock *tp, u32 seq)
{
	tp->snd_wl1 = seq;
}
/* The sk_rare block of a tcp_sock (struct sock is its first member). */
static inline const struct sock_rare *tcp_rare(const struct tcp_sock *tp)
{
	return READ_ONCE(((const struct sock *)tp)->sk_rare);
}
static inline int keepalive_intvl_when(const struct tcp_sock *tp)
{
	const struct sock_rare *r = tcp_rare(tp);

	return (int)((r ? r->keepalive_intvl : 0) ?: (unsigned)sysctl_tcp_keepalive_intvl);
}
static inline int keepalive_time_when(const struct tcp_sock *tp)
{
	const struct sock_rare *r = tcp_rare(tp);

	return (int)((r ? r->keepalive_time : 0) ?: (unsigned)sysctl_tcp_keepalive_time);
}
static inline int keepalive_probes(const struct tcp_sock *tp)
{
	const struct sock_rare *r = tcp_rare(tp);

	return (r ? r->keepalive_probes : 0) ?: sysctl_tcp_keepalive_probes;
}
/* 3.10's tp->linger2: TCP_LINGER2 in jiffies, -1 (no FIN_WAIT2 wait), 0 (the sysctl). */
static inline int tcp_linger2(const struct tcp_sock *tp)
{
	const struct sock_rare *r = tcp_rare(tp);

	return r ? r->linger2 : 0;
}
/* 3.10's tp->urg_data, tp->urg_seq: the urgent byte received and its sequence (0 until
 * urgent data comes: tcp_check_urg allocates the block). */
static inline u16 tcp_urg_data(const struct tcp_sock *tp)
{
	const struct sock_rare *r = tcp_rare(tp);

	return r ? r->urg_data : 0;
}
static inline u32 tcp_urg_seq(const struct tcp_sock *tp)
{
	const struct sock_rare *r = tcp_rare(tp);

	return r ? r->urg_seq : 0;
}
/* 3.10's tp->snd_up: the urgent pointer of our sends, snd_una outside urgent mode (the
 * block is allocated by MSG_OOB sends, or by another option: it tracks snd_una then). */
static inline u32 tcp_snd_up(const struct tcp_sock *tp)
{
	const struct sock_rare *r = tcp_rare(tp);

	return r ? r->snd_up : tp->snd_una;
}
static inline u32 tcp_receive_window(const struct tcp_sock *tp)
{
	s32 win = (s32)(tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt);

	if (win < 0)
		win = 0;
	return (u32)win;
}
/* syncookies: remember when the listener's SYN queue last overflowed. (3.10 keeps the
 * time in the listener's rx_opt.ts_recent_stamp; here in its listen_sock: see there.)
 * Context: the listener's lock, LISTEN state. */
static inline void tcp_synq_overflow(struct sock *sk)
{
	struct listen_sock *lopt = inet_csk(sk)->icsk_accept_queue.listen_opt;

	if (lopt)
		lopt->synq_overflow_stamp = jiffies;
}
/* syncookies: no recent synqueue overflow on this listening socket? (3.10: the last
 * overflow more than TCP_TIMEOUT_FALLBACK, 3 s, ago: a cookie ACK is then refused.) */
static inline int tcp_synq_no_recent_overflow(const struct sock *sk)
{
	const struct listen_sock *lopt = inet_csk(sk)->icsk_accept_queue.listen_opt;
	unsigned long last_overflow = lopt ? lopt->synq_overflow_stamp : 0;

	return time_after(jiffies, last_overflow + TCP_TIMEOUT_FALLBACK);
}
/* syncookies.c (src/net/ipv4/syncookies.c). */
void init_syncookies(void);
__u32 cookie_v4_init_sequence(struct sock *sk, struct sk_buff *skb, __u16 *mssp);
int __cookie_v4_check(const struct iphdr *iph, const struct tcphdr *th, u32 cookie);
struct sock *cookie_v4_check(struct sock *sk, struct sk_buff *skb);
__u32 cookie_init_timestamp(struct request_sock *req);
bool cookie_check_timestamp(struct tcp_options_received *tcp_opt, struct net *net,
			    bool *ecn_ok);
/* Orphans (closed by the program, still finishing their close) beyond tcp_max_orphans:
 * @shift doubles or quadruples their weight (tcp_out_of_resources after retransmits).
 * DIVERGES: one counter, so 3.10's fast read and exact sum are the same read. */
static inline bool tcp_too_many_orphans(struct sock *sk, int shift)
{
	long orphans = atomic_long_read(sk->sk_prot->orphan_count);

	if (orphans < 0)
		orphans = 0;
	return (orphans << shift) > sysctl_tcp_max_orphans;
}
/* The socket holds queued data and TCP as a whole is past tcp_mem[2] (pages). */
static inline bool tcp_out_of_memory(struct sock *sk)
{
	return sk->sk_wmem_queued > SOCK_MIN_SNDBUF &&
	       sk_memory_allocated(sk) > sk->sk_prot->sysctl_mem[2];
}
/* tcp_close and tcp_out_of_resources: should this orphan be reset (TCPAbortOnMemory)?
 * DIVERGES: an inline here, a function of tcp.c in 3.10. */
static inline bool tcp_check_oom(struct sock *sk, int shift)
{
	bool too_many_orphans = tcp_too_many_orphans(sk, shift);
	bool out_of_socket_memory = tcp_out_of_memory(sk);

	if (too_many_orphans)
		net_info_ratelimited("too many orphaned sockets\n");
	if (out_of_socket_memory)
		net_info_ratelimited("out of memory -- consider tuning tcp_mem\n");
	return too_many_orphans || out_of_socket_memory;
}
/* SYN queue full: cookies (TCPReqQFullDoCookies) or a drop (TCPReqQFullDrop); the first
 * time per listener, the "Possible SYN flooding" message. True to send a cookie. */
bool tcp_syn_flood_action(struct sock *sk, const struct sk_buff *skb, const char *proto);

static inline bool tcp_checksum_complete(struct sk_buff *skb)
{
	return !skb_csum_unnecessary(skb) && __skb_checksum_complete(skb);
}
/* Free every skb of the write (retransmission) queue. */
void tcp_write_queue_purge(struct sock *sk);
static inline unsigned long get_seconds(void)
{
	return jiffies / HZ;
}

/* ---- data transfer helpers (3.10 include/net/tcp.h) ---- */
extern int sysctl_tcp_slow_start_after_idle;
extern int sysctl_tcp_app_win;
extern int sysctl_tcp_moderate_rcvbuf;
extern int sysctl_tcp_dsack;
extern int sysctl_tcp_fack;

/* The write queue: [head .. sk_send_head) is sent and unacknowledged (the retransmission
 * queue), [sk_send_head .. tail] is not sent yet. */
static inline struct sk_buff *tcp_write_queue_head(const struct sock *sk)
{
	return skb_peek(&sk->sk_write_queue);
}
static inline struct sk_buff *tcp_write_queue_tail(const struct sock *sk)
{
	return skb_peek_tail(&sk->sk_write_queue);
}
static inline struct sk_buff *tcp_send_head(const struct sock *sk)
{
	return sk->sk_send_head;
}
static inline bool tcp_skb_is_last(const struct sock *sk, const struct sk_buff *skb)
{
	return skb_queue_is_last(&sk->sk_write_queue, skb);
}
static inline void tcp_advance_send_head(struct sock *sk, const struct sk_buff *skb)
{
	sk->sk_send_head = tcp_skb_is_last(sk, skb) ? NULL : skb->next;
}
static inline void tcp_check_send_head(struct sock *sk, struct sk_buff *skb_unlinked)
{
	if (sk->sk_send_head == skb_unlinked)
		sk->sk_send_head = NULL;
}
static inline void tcp_add_write_queue_tail(struct sock *sk, struct sk_buff *skb)
{
	__skb_queue_tail(&sk->sk_write_queue, skb);
	/* Queue it, remembering where we must start sending. */
	if (sk->sk_send_head == NULL)
		sk->sk_send_head = skb;
}
/* Due to TSO, an skb of the write queue can be composed of multiple actual packets: the
 * count is kept in gso_segs, the segment size in gso_size (tcp_set_skb_tso_segs).
 * DIVERGES: an skb whose count was never set (gso_segs 0) counts as one (3.10 sets it on
 * every path before reading it). */
static inline unsigned int tcp_skb_pcount(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->gso_segs ? skb_shinfo(skb)->gso_segs : 1u;
}
/* The route's device (or GSO in software, sk_setup_caps) segments this socket's packets.
 * (3.10 has it in include/net/sock.h.) */
static inline bool sk_can_gso(const struct sock *sk)
{
	return net_gso_ok(sk->sk_route_caps, sk->sk_gso_type);
}
/* This is valid iff tcp_skb_pcount() > 1. */
static inline unsigned int tcp_skb_mss(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->gso_size;
}
/* The right edge of the send window. */
static inline u32 tcp_wnd_end(const struct tcp_sock *tp)
{
	return tp->snd_una + tp->snd_wnd;
}
/* The receive buffer space left, as window (tcp_adv_win_scale). */
static inline int tcp_space(const struct sock *sk)
{
	return tcp_win_from_space(sk->sk_rcvbuf - atomic_read(&sk->sk_rmem_alloc));
}
static inline bool tcp_is_sack(const struct tcp_sock *tp)
{
	return tp->rx_opt.sack_ok;
}
static inline bool tcp_is_reno(const struct tcp_sock *tp)
{
	return !tcp_is_sack(tp);
}
static inline bool tcp_in_cwnd_reduction(const struct sock *sk)
{
	return (TCPF_CA_CWR | TCPF_CA_Recovery) & (1 << inet_csk(sk)->icsk_ca_state);
}
static inline void tcp_bound_rto(const struct sock *sk)
{
	if (inet_csk(sk)->icsk_rto > TCP_RTO_MAX)
		inet_csk(sk)->icsk_rto = TCP_RTO_MAX;
}
static inline u32 __tcp_set_rto(const struct tcp_sock *tp)
{
	return (tp->srtt >> 3) + tp->rttvar;
}
/* Header prediction: the flag word (doff, ACK, window) the next in-order segment carries. */
static inline void __tcp_fast_path_on(struct tcp_sock *tp, u32 snd_wnd)
{
	tp->pred_flags = htonl(((u32)tp->tcp_header_len << 26) | ntohl(TCP_FLAG_ACK) | snd_wnd);
}
static inline void tcp_fast_path_on(struct tcp_sock *tp)
{
	__tcp_fast_path_on(tp, tp->snd_wnd >> tp->rx_opt.snd_wscale);
}
static inline void tcp_fast_path_check(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcp_ofo_queue_empty(tp) && tp->rcv_wnd &&
	    atomic_read(&sk->sk_rmem_alloc) < sk->sk_rcvbuf && !tcp_urg_data(tp))
		tcp_fast_path_on(tp);
}
/* tcp_dec_quickack_mode: an ACK went out, @pkts fewer quick ACKs to send. */
static inline void tcp_dec_quickack_mode(struct sock *sk, const unsigned int pkts)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (icsk->icsk_ack.quick) {
		if (pkts >= icsk->icsk_ack.quick) {
			icsk->icsk_ack.quick = 0;
			/* Leaving quickack mode we deflate ATO. */
			icsk->icsk_ack.ato = TCP_ATO_MIN;
		} else {
			icsk->icsk_ack.quick -= (u8)pkts;
		}
	}
}
/* The persist timer: nothing in flight, data waiting for the window. */
static inline void tcp_check_probe_timer(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct inet_connection_sock *icsk = inet_csk(sk);

	if (!tp->packets_out && !icsk->icsk_pending)
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0, icsk->icsk_rto, TCP_RTO_MAX);
}
/* tcp_init_cwnd: the route's initcwnd metric, else TCP_INIT_CWND (10). */
u32 tcp_init_cwnd(const struct tcp_sock *tp, const struct dst_entry *dst);

/* ---- tcp.c ---- */
void tcp_set_state(struct sock *sk, int state);
/* The connection is over: CLOSE, timers stopped, the user woken or the sock destroyed. */
void tcp_done(struct sock *sk);
void tcp_init_sock(struct sock *sk);
void tcp_close(struct sock *sk, long timeout);
int tcp_disconnect(struct sock *sk, int flags);
/* The out-of-order and loss-recovery state of tcp_sock.ofo, on first use (tcp_input.c):
 * NULL without memory for it. */
struct tcp_ofo_state *tcp_ofo_state_get(struct tcp_sock *tp);
void tcp_ofo_state_free(struct tcp_sock *tp);
void tcp_shutdown(struct sock *sk, int how);
unsigned int tcp_poll(struct file *file, struct socket *sock, poll_table *wait);
int tcp_setsockopt(struct sock *sk, int level, int optname, char *optval, unsigned int optlen);
int tcp_getsockopt(struct sock *sk, int level, int optname, char *optval, int *optlen);
void tcp_get_info(const struct sock *sk, struct tcp_info *info);
int tcp_sendmsg(struct kiocb *iocb, struct sock *sk, struct msghdr *msg, size_t size);
/* Queue @size bytes of @page by reference (zero copy) when the route has SG and checksum
 * offload, else copy (sock_no_sendpage). Bytes taken or -errno. Context: process. */
int tcp_sendpage(struct sock *sk, struct page *page, int offset, size_t size, int flags);
int tcp_recvmsg(struct kiocb *iocb, struct sock *sk, struct msghdr *msg, size_t len,
		int nonblock, int flags, int *addr_len);
/* SIOCINQ, SIOCOUTQ, SIOCOUTQNSD, SIOCATMARK: the count in *(int *)@arg. */
int tcp_ioctl(struct sock *sk, int cmd, unsigned long arg);
/* A send-queue skb of @size linear bytes charged to the socket (sk_wmem_schedule), or NULL. */
struct sk_buff *sk_stream_alloc_skb(struct sock *sk, int size, gfp_t gfp);
/* The reader took @copied bytes: ACK now if owed, or if the window grew a lot. */
void tcp_cleanup_rbuf(struct sock *sk, int copied);
extern int tcp_memory_pressure;
/* tcp_prot.enter_memory_pressure: TCPMemoryPressures, tcp_memory_pressure = 1. */
void tcp_enter_memory_pressure(struct sock *sk);
int tcp_init(void);
void tcp_fini(void);
/* The socket-level ops of SOCK_STREAM (af_inet.c in 3.10). */
extern const struct proto_ops inet_stream_ops;
int inet_stream_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len, int flags);
int inet_listen(struct socket *sock, int backlog);
int inet_accept(struct socket *sock, struct socket *newsock, int flags);

/* ---- tcp_ipv4.c ---- */
int tcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len);
int tcp_v4_rcv(struct sk_buff *skb);
int tcp_v4_do_rcv(struct sock *sk, struct sk_buff *skb);
int tcp_v4_conn_request(struct sock *sk, struct sk_buff *skb);
struct sock *tcp_v4_syn_recv_sock(struct sock *sk, struct sk_buff *skb,
				  struct request_sock *req, struct dst_entry *dst);
void tcp_v4_send_check(struct sock *sk, struct sk_buff *skb);
/* inet_protos[IPPROTO_TCP]->early_demux (ip_rcv_finish). Context: softirq. */
void tcp_v4_early_demux(struct sk_buff *skb);
/* icsk_af_ops->sk_rx_dst_set: cache @skb's input route in sk->sk_rx_dst. */
void inet_sk_rx_dst_set(struct sock *sk, const struct sk_buff *skb);
/* icmp_unreach/icmp_redirect -> err_handler: an ICMP error quoting one of our segments
 * (@skb->data at the quoted IP header; @info the MTU of a frag-needed). Context: softirq. */
void tcp_v4_err(struct sk_buff *skb, u32 info);
/* tp->mtu_info came in a frag-needed: lower the route's PMTU, the MSS, retransmit what no
 * longer fits (tcp_prot.mtu_reduced). Context: socket locked (softirq or release_sock). */
void tcp_v4_mtu_reduced(struct sock *sk);
void tcp_v4_destroy_sock(struct sock *sk);

/* The reader's side of VJ's prequeue (3.10: struct ucopy in tcp_sock): while a reader
 * waits in tcp_recvmsg, softirq queues the socket's segments here (tcp_prequeue) and the
 * reader runs them through tcp_rcv_established in its own context (tcp_prequeue_process),
 * which copies in-order data straight into @iov. Lives on the reader's stack; tcp_ucopy(sk)
 * finds it while the reader is in tcp_recvmsg (see struct tcp_sock). */
struct tcp_ucopy {
	struct sk_buff_head prequeue;
	struct task_struct *task;	/* the reader (current in tcp_recvmsg) */
	struct iovec *iov;		/* its buffer, consumed as copied */
	int memory;			/* truesize of the prequeued skbs */
	int len;			/* bytes the reader still wants */
	/* (ulnet) Where tcp_ucopy(sk) finds it: see tcp_sock.ucopy_waiting. */
	const struct sock *sk;
	struct hlist_node hash_node;
};
/* The reader waiting in tcp_recvmsg on @sk, or NULL (3.10: tp->ucopy.task set). Context:
 * the reader owning @sk, or softirq under bh_lock_sock with @sk not owned. */
struct tcp_ucopy *__tcp_ucopy_find(const struct sock *sk);
/* Its list in the table (0..255), for tests that need two socks sharing one. */
unsigned int tcp_ucopy_hashfn(const struct sock *sk);
static inline struct tcp_ucopy *tcp_ucopy(const struct sock *sk)
{
	struct tcp_ucopy *u;

	if (likely(!tcp_sk(sk)->ucopy_waiting))
		return NULL;
	/* The reader itself (a task is the reader of one sock at a time): no lookup. */
	u = current ? current->tcp_ucopy : NULL;
	return u && u->sk == sk ? u : __tcp_ucopy_find(sk);
}
/* The reader installs / removes its tcp_ucopy. Context: process, @sk owned by it. */
void tcp_ucopy_attach(struct sock *sk, struct tcp_ucopy *ucopy);
void tcp_ucopy_detach(struct sock *sk);
/* Hand @skb to the waiting reader's prequeue (sysctl_tcp_low_latency off). True when
 * taken. Context: softirq, socket not owned by a user, bh_lock_sock held. */
bool tcp_prequeue(struct sock *sk, struct sk_buff *skb);
/* Stack teardown: every orphaned TCP sock still closing is destroyed at once. */
void tcp_v4_abort_all(void);
/* RFC 6528 ISN (facts.md §3.6) and the ephemeral port offset (§3.5). */
__u32 secure_tcp_sequence_number(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport);
u32 secure_ipv4_port_ephemeral(__be32 saddr, __be32 daddr, __be16 dport);
extern const struct inet_connection_sock_af_ops ipv4_specific;
extern struct request_sock_ops tcp_request_sock_ops;
int tcp4_proc_init(void);
void tcp4_proc_exit(void);

/* ---- tcp_input.c ---- */
void tcp_parse_options(const struct sk_buff *skb, struct tcp_options_received *opt_rx,
		       int estab);
int tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb, const struct tcphdr *th,
			  unsigned int len);
int tcp_rcv_established(struct sock *sk, struct sk_buff *skb, const struct tcphdr *th,
			unsigned int len);
void tcp_reset(struct sock *sk);
void tcp_finish_connect(struct sock *sk, struct sk_buff *skb);
void tcp_init_buffer_space(struct sock *sk);
/* Receive-buffer autotuning from what the reader consumed in the last RTT. */
void tcp_rcv_space_adjust(struct sock *sk);
/* RTO: enter the Loss state (cwnd 1, every sent segment marked lost). */
void tcp_enter_loss(struct sock *sk, int how);
/* The MSS went down (PMTU): every sent segment now too big is lost, retransmit at once. */
void tcp_simple_retransmit(struct sock *sk);
/* Congestion control calls: through icsk_ca_ops, or Reno while none is attached. */
u32 tcp_ca_ssthresh(struct sock *sk);
/* The socket entered ESTABLISHED: metrics (RTO fallback, cwnd), buffers, congestion control. */
void tcp_init_metrics(struct sock *sk);

/* ---- tcp_output.c ---- */
void tcp_select_initial_window(int __space, __u32 mss, __u32 *rcv_wnd, __u32 *window_clamp,
			       int wscale_ok, __u8 *rcv_wscale, __u32 init_rcv_wnd);
int tcp_connect(struct sock *sk);
struct sk_buff *tcp_make_synack(struct sock *sk, struct dst_entry *dst,
				struct request_sock *req);
void tcp_send_ack(struct sock *sk);
/* Queue and send our FIN (close, shutdown(SHUT_WR)). */
void tcp_send_fin(struct sock *sk);
void tcp_send_active_reset(struct sock *sk, gfp_t priority);
int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb);
unsigned int tcp_sync_mss(struct sock *sk, u32 pmtu);
unsigned int tcp_current_mss(struct sock *sk);
int tcp_mtu_to_mss(struct sock *sk, int pmtu);
u16 tcp_select_window(struct sock *sk);
u32 __tcp_select_window(struct sock *sk);
/* Send what the windows, Nagle and cork allow. */
void __tcp_push_pending_frames(struct sock *sk, unsigned int cur_mss, int nonagle);
void tcp_push_one(struct sock *sk, unsigned int mss_now);
static inline void tcp_push_pending_frames(struct sock *sk)
{
	if (tcp_send_head(sk))
		__tcp_push_pending_frames(sk, tcp_current_mss(sk), tcp_sk(sk)->nonagle);
}
/* Split @skb at @len (the rest goes in a new skb after it). 0 or -ENOMEM. */
int tcp_fragment(struct sock *sk, struct sk_buff *skb, u32 len, unsigned int mss_now);
/* TSO (tcp_output.c): the packet count of an skb for @mss_now, and a partial ACK's trim. */
void tcp_set_skb_tso_segs(const struct sock *sk, struct sk_buff *skb, unsigned int mss_now);
int tcp_init_tso_segs(const struct sock *sk, struct sk_buff *skb, unsigned int mss_now);
int tcp_trim_head(struct sock *sk, struct sk_buff *skb, u32 len);
void tcp_send_delayed_ack(struct sock *sk);
/* Retransmit the segments marked lost, within cwnd. */
void tcp_xmit_retransmit_queue(struct sock *sk);
/* Zero-window probe (persist timer) and keepalive probe. */
void tcp_send_probe0(struct sock *sk);
int tcp_write_wakeup(struct sock *sk);
void tcp_cwnd_restart(struct sock *sk, const struct dst_entry *dst);

/* ---- loss-recovery extras (issue #5): early retransmit (RFC 5827), tail loss probe,
 * F-RTO (RFC 5682); facts.md §3.8 ---- */
extern int sysctl_tcp_early_retrans;	/* 3: delayed ER + TLP (0 off, 1 ER, 2 delayed ER, 4 TLP) */
extern int sysctl_tcp_frto;		/* 2 */
/* ER only while the dupack threshold is the default (tcp_reordering 3). */
static inline void tcp_enable_early_retrans(struct tcp_sock *tp)
{
	tp->do_early_retrans = sysctl_tcp_early_retrans && sysctl_tcp_early_retrans < 4 &&
			       sysctl_tcp_reordering == 3;
}
static inline void tcp_disable_early_retrans(struct tcp_sock *tp)
{
	tp->do_early_retrans = 0;
}
/* Re-arm the RTO; after an ER or TLP timer, for what is left of the head's RTO. */
void tcp_rearm_rto(struct sock *sk);
/* ICSK_TIME_EARLY_RETRANS fired: enter Recovery and retransmit the head. */
void tcp_resume_early_retransmit(struct sock *sk);
/* Arm ICSK_TIME_LOSS_PROBE in place of the RTO when allowed; true if armed. */
bool tcp_schedule_loss_probe(struct sock *sk);
/* ICSK_TIME_LOSS_PROBE fired: new data, or the last segment again (TCPLossProbes). */
void tcp_send_loss_probe(struct sock *sk);
/* Would the send path send the head of the unsent data now (cwnd, window, Nagle)? */
bool tcp_may_send_now(struct sock *sk);
/* The end of the highest SACKed segment (snd_una when none). */
u32 tcp_highest_sack_seq(struct sock *sk);
/* Simultaneous open: our SYN goes again as a SYN-ACK. */
int tcp_send_synack(struct sock *sk);

/* ---- tcp_timer.c ---- */
void tcp_init_xmit_timers(struct sock *sk);
/* SO_KEEPALIVE on a TCP socket: arm or stop the keepalive timer. */
void tcp_set_keepalive(struct sock *sk, int val);
static inline void tcp_clear_xmit_timers(struct sock *sk)
{
	inet_csk_clear_xmit_timers(sk);
}
void tcp_syn_ack_timeout(struct sock *sk, struct request_sock *req);
/* The RTO fired (the write timer), or tcp_v4_err reverted it to a time already past. */
void tcp_retransmit_timer(struct sock *sk);
/* tcp_prot.release_cb (release_sock): the work timers and ICMP deferred while a task owned
 * the socket (tp->tsq_flags). (3.10 has it in tcp_output.c.) */
void tcp_release_cb(struct sock *sk);

/* ---- tcp_minisocks.c ---- */
enum tcp_tw_status {
	TCP_TW_SUCCESS = 0,
	TCP_TW_RST = 1,
	TCP_TW_ACK = 2,
	TCP_TW_SYN = 3
};
enum tcp_tw_status tcp_timewait_state_process(struct inet_timewait_sock *tw,
					      struct sk_buff *skb, const struct tcphdr *th);
void tcp_v4_timewait_ack(struct sock *sk, struct sk_buff *skb);
/* @sk becomes a TIME_WAIT sock (@state TCP_TIME_WAIT, or TCP_FIN_WAIT2 for an orphan) for
 * @timeo jiffies (60 s in TIME_WAIT), then tcp_done. */
void tcp_time_wait(struct sock *sk, int state, int timeo);
/* How long an orphaned FIN_WAIT2 waits: TCP_LINGER2 or tcp_fin_timeout, at least 3.5 RTO. */
static inline int tcp_fin_time(const struct sock *sk)
{
	int fin_timeout = tcp_linger2(tcp_sk(sk)) ? : sysctl_tcp_fin_timeout;
	const int rto = (int)inet_csk(sk)->icsk_rto;

	if (fin_timeout < (rto << 2) - (rto >> 1))
		fin_timeout = (rto << 2) - (rto >> 1);
	return fin_timeout;
}
static inline struct net *twsk_net(const struct inet_timewait_sock *twsk)
{
	return twsk->tw_net;
}
struct sock *tcp_check_req(struct sock *sk, struct sk_buff *skb, struct request_sock *req,
			   struct request_sock **prev);
int tcp_child_process(struct sock *parent, struct sock *child, struct sk_buff *skb);
struct sock *tcp_create_openreq_child(struct sock *sk, struct request_sock *req,
				      struct sk_buff *skb);

static inline void tcp_openreq_init(struct request_sock *req, struct tcp_options_received *rx_opt,
				    struct sk_buff *skb)
{
	struct inet_request_sock *ireq = inet_rsk(req);

	req->rcv_wnd = 0;	/* So that tcp_send_synack() knows! */
	req->cookie_ts = 0;
	tcp_rsk(req)->rcv_isn = TCP_SKB_CB(skb)->seq;
	req->mss = rx_opt->mss_clamp;
	req->ts_recent = rx_opt->saw_tstamp ? rx_opt->rcv_tsval : 0;
	ireq->tstamp_ok = rx_opt->tstamp_ok;
	ireq->sack_ok = rx_opt->sack_ok;
	ireq->snd_wscale = rx_opt->snd_wscale;
	ireq->wscale_ok = rx_opt->wscale_ok;
	ireq->acked = 0;
	ireq->ecn_ok = 0;
	ireq->rmt_port = tcp_hdr(skb)->source;
	ireq->loc_port = ntohs(tcp_hdr(skb)->dest);
}

/* ---- urgent data (RFC 793 3.7, RFC 6093): tcp.c, tcp_input.c, tcp_output.c ---- */
extern int sysctl_tcp_stdurg;	/* 0: the urgent pointer points one past the byte (BSD) */
/* The sender is in urgent mode while urgent data is not yet acknowledged (snd_up ahead
 * of snd_una): tcp_transmit_skb then sets URG and the urgent pointer. */
static inline bool tcp_urg_mode(const struct tcp_sock *tp)
{
	return tp->snd_una != tcp_snd_up(tp);
}

#endif
