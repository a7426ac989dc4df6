/* SPDX-License-Identifier: MIT */
/* The connection-oriented socket shared by TCP (and DCCP in Linux): the accept queue, the
 * bind bucket, the retransmit and delayed-ACK timers and the address-family ops.
 * Mirrors linux/include/net/inet_connection_sock.h and net/ipv4/inet_connection_sock.c
 * (3.10): struct inet_connection_sock_af_ops, struct inet_connection_sock, inet_csk,
 * inet_csk_get_port, inet_csk_bind_conflict, inet_csk_listen_start, inet_csk_listen_stop,
 * inet_csk_accept, inet_csk_wait_for_connect, inet_csk_reqsk_queue_hash_add,
 * inet_csk_search_req, inet_csk_reqsk_queue_prune, inet_csk_clone_lock,
 * inet_csk_destroy_sock, inet_csk_route_req, inet_csk_route_child_sock,
 * inet_csk_reset_xmit_timer, inet_csk_clear_xmit_timer, inet_csk_init_xmit_timers,
 * inet_csk_clear_xmit_timers. */
#ifndef _NET_INET_CONNECTION_SOCK_H
#define _NET_INET_CONNECTION_SOCK_H
#include "linux/timer.h"
#include "net/inet_sock.h"
#include "net/request_sock.h"

struct inet_bind_bucket;
struct inet_hashinfo;
struct flowi4;
struct rtable;

/* Pointers to address related TCP functions (ipv4_specific). */
struct inet_connection_sock_af_ops {
	int (*queue_xmit)(struct sk_buff *skb, struct flowi4 *fl);
	void (*send_check)(struct sock *sk, struct sk_buff *skb);
	int (*rebuild_header)(struct sock *sk);
	int (*conn_request)(struct sock *sk, struct sk_buff *skb);
	struct sock *(*syn_recv_sock)(struct sock *sk, struct sk_buff *skb,
				      struct request_sock *req, struct dst_entry *dst);
	u16 net_header_len;
	u16 sockaddr_len;
	/* Cache the input route of a received segment (inet_sk_rx_dst_set). */
	void (*sk_rx_dst_set)(struct sock *sk, const struct sk_buff *skb);
};

/** inet_connection_sock - INET connection oriented sock
 * @icsk_accept_queue:	   FIFO of established children (the listener's listen_opt)
 * @icsk_bind_hash:	   Bind node
 * @icsk_timeout:	   Timeout
 * @icsk_timer:		   Resend (no ack), delayed ACK and keepalive, as events
 * @icsk_keepalive_timeout: Keepalive (SYN-ACK, FIN_WAIT2) deadline
 * @icsk_timers:	   Events pending on icsk_timer
 * @icsk_rto:		   Retransmit timeout
 * @icsk_pmtu_cookie	   Last pmtu seen by socket
 * @icsk_af_ops		   Operations which are AF_INET{4,6} specific
 * @icsk_ca_idx:	   Congestion control algorithm (3.10: the icsk_ca_ops pointer)
 * @icsk_ca_state:	   Congestion control state
 * @icsk_retransmits:	   Number of unrecovered [RTO] timeouts
 * @icsk_pending:	   Scheduled timer event
 * @icsk_backoff:	   Backoff
 * @icsk_syn_retries:      Number of allowed SYN (or equivalent) retries
 * @icsk_probes_out:	   unanswered 0 window probes
 * @icsk_ext_hdr_len:	   Network protocol overhead (IP/IPv6 options)
 * @icsk_ack:		   Delayed ACK control data
 * @icsk_defer_accept:	   TCP_DEFER_ACCEPT (3.10: icsk_accept_queue.rskq_defer_accept) */
struct tcp_congestion_ops;
struct inet_connection_sock {
	/* inet_sock has to be the first member! */
	struct inet_sock icsk_inet;
	struct request_sock_queue icsk_accept_queue;
	struct inet_bind_bucket *icsk_bind_hash;
	/* DIVERGES: one timer per connection sock, not three. 3.10 has icsk_retransmit_timer
	 * (deadline icsk_timeout), icsk_delack_timer (icsk_ack.timeout) and sk->sk_timer
	 * (keepalive, FIN_WAIT2, the listener's SYN-ACK timer); ulnet keeps each as an event of
	 * icsk_timer: its bit in icsk_timers says that 3.10's timer would be pending, its
	 * deadline stays where 3.10 keeps it (the keepalive's, sk_timer.expires in 3.10, in
	 * icsk_keepalive_timeout), and icsk_timer is armed at the earliest deadline; its
	 * handler (tcp_timer_dispatch) runs the due events in a fixed order. Each event fires at
	 * the jiffy its own timer would: 72 B less per TCP socket (two timer_lists and sk_timer
	 * out of struct sock, less a 32-bit deadline and a byte of bits). */
	struct timer_list icsk_timer;
	/* DIVERGES: the keepalive deadline in 32 bits too (inet_csk_keepalive_expires); a
	 * keepalive armed further than 2^30 jiffies (ICSK_KEEPALIVE_MAX_DELAY) fires then
	 * and tcp_keepalive_timer, finding the idle time short, re-arms for the rest, so the
	 * probe still goes at its time. */
	u32 icsk_keepalive_timeout;
	/* DIVERGES: u32, 3.10's unsigned long. The deadlines of the connection timer's events
	 * (this one, icsk_ack.timeout, icsk_keepalive_timeout) are the low 32 bits of jiffies,
	 * read with inet_csk_deadline: exact within 2^31 jiffies (~24.8 days) of now, what
	 * 3.10 itself has on 32-bit machines; none is armed further (the RTO is capped at
	 * 120 s, a delayed ACK at 200 ms, a keepalive at 2^30 jiffies): 8 B less per TCP
	 * socket with icsk_ack.timeout. */
	u32 icsk_timeout;
	__u32 icsk_rto;
	__u32 icsk_pmtu_cookie;
	/* DIVERGES: no icsk_af_ops pointer in the sock. 3.10 keeps one per socket because an
	 * IPv6 socket switches to ipv6_mapped when it connects to an IPv4 address; ulnet has
	 * no IPv6, so the ops only depend on the protocol: icsk->icsk_af_ops reads
	 * sk_prot->af_ops (tcp_prot: ipv4_specific). 8 B less in every TCP sock. */
#define icsk_af_ops	icsk_inet.sk.sk_prot->af_ops
	/* (DIVERGES: no icsk_sync_mss hook. 3.10 calls it from IP_OPTIONS and inet6 to reach
	 * the protocol's sync_mss; TCP is ulnet's only connection sock and its code calls
	 * tcp_sync_mss directly.) */
	/* DIVERGES: 3.10 keeps a pointer, const struct tcp_congestion_ops *icsk_ca_ops; ulnet
	 * keeps the algorithm's slot in tcp_ca_slots (net/tcp_cong.h), read with
	 * inet_csk_ca_ops(sk) and set with inet_csk_set_ca_ops(sk, ops): 1 B, not 8. */
	__u8 icsk_ca_idx;
	__u8 icsk_ca_state;
	__u8 icsk_retransmits;
	__u8 icsk_pending;
	__u8 icsk_backoff;
	__u8 icsk_syn_retries;
	__u8 icsk_probes_out;
	/* DIVERGES: __u16 in 3.10, which counts IPv6 extension headers here too; ulnet has
	 * IPv4 only, whose options are at most 40 B. */
	__u8 icsk_ext_hdr_len;
	__u8 icsk_timers;	/* ICSK_TIMER_* events pending (3.10's timer_pending of each) */
	/* TCP_DEFER_ACCEPT in SYN-ACK retransmissions (the SYN-ACK timer's retries for a
	 * listener, a delayed handshake ACK for a client). DIVERGES: 3.10's
	 * icsk_accept_queue.rskq_defer_accept; the queue is the listener's pointer now (see
	 * struct request_sock_queue) and this byte sits with the other bytes. */
	__u8 icsk_defer_accept;
	struct {
		__u8 pending;		/* ACK is pending */
		__u8 quick;		/* Scheduled number of quick acks */
		__u8 pingpong;		/* The session is interactive */
		__u8 blocked;		/* Delayed ACK was blocked by socket lock */
		__u32 ato;		/* Predicted tick of soft clock */
		__u32 timeout;		/* Currently scheduled timeout (inet_csk_deadline) */
		__u32 lrcvtime;		/* timestamp of last received data packet */
		__u16 last_seg_size;	/* Size of last incoming segment */
		__u16 rcv_mss;		/* MSS used for delayed ACK decisions */
	} icsk_ack;
	/* (icsk_user_timeout: in struct sock_rare, read by inet_csk_user_timeout.) */
	u32 icsk_ca_priv[16];	/* the congestion-control algorithm's private data */
};

#define ICSK_TIME_RETRANS	1	/* Retransmit timer */
#define ICSK_TIME_DACK		2	/* Delayed ack timer */
#define ICSK_TIME_PROBE0	3	/* Zero window probe timer */
#define ICSK_TIME_EARLY_RETRANS 4	/* Early retransmit timer */
#define ICSK_TIME_LOSS_PROBE	5	/* Tail loss probe timer */

static inline struct inet_connection_sock *inet_csk(const struct sock *sk)
{
	return (struct inet_connection_sock *)sk;
}

/* 3.10's icsk->icsk_user_timeout (TCP_USER_TIMEOUT in jiffies, 0 without the option). */
static inline u32 inet_csk_user_timeout(const struct sock *sk)
{
	const struct sock_rare *r = READ_ONCE(sk->sk_rare);

	return r ? r->icsk_user_timeout : 0;
}

enum inet_csk_ack_state_t {
	ICSK_ACK_SCHED = 1,
	ICSK_ACK_TIMER = 2,
	ICSK_ACK_PUSHED = 4,
	ICSK_ACK_PUSHED2 = 8
};

/* The events of icsk_timer (bits of icsk_timers), each one of 3.10's three timers: the
 * write timer serves RETRANS/PROBE0/EARLY_RETRANS/LOSS_PROBE (icsk_pending says which), the
 * delayed-ACK timer DACK, the keepalive timer keepalive, orphaned FIN_WAIT2 and the
 * listener's SYN-ACK timer. A pending event holds no reference of its own: icsk_timer,
 * while pending, holds one (3.10's sk_reset_timer discipline, for the one timer). */
#define ICSK_TIMER_DACK		0x1	/* icsk_delack_timer; deadline icsk_ack.timeout */
#define ICSK_TIMER_WRITE	0x2	/* icsk_retransmit_timer; deadline icsk_timeout */
#define ICSK_TIMER_KEEPALIVE	0x4	/* sk_timer; deadline icsk_keepalive_timeout */

/* Set up icsk_timer with @handler (the protocol's dispatcher; one timer for every event):
 * no event pending. */
void inet_csk_init_xmit_timers(struct sock *sk, void (*handler)(struct timer_list *));
void inet_csk_clear_xmit_timers(struct sock *sk);
/* A deadline kept in the low 32 bits of jiffies (icsk_timeout, icsk_ack.timeout,
 * icsk_keepalive_timeout) as jiffies: the one within 2^31 jiffies of @ref (a jiffies
 * value read nearby: a read of jiffies costs a clock read). */
static inline unsigned long inet_csk_deadline_near(u32 low, unsigned long ref)
{
	return ref + (unsigned long)(long)(s32)(low - (u32)ref);
}
/* The same, near now. */
static inline unsigned long inet_csk_deadline(u32 low)
{
	return inet_csk_deadline_near(low, jiffies);
}
/* The keepalive event's deadline in jiffies (3.10's sk->sk_timer.expires). */
static inline unsigned long inet_csk_keepalive_expires(const struct sock *sk)
{
	return inet_csk_deadline(((const struct inet_connection_sock *)sk)->icsk_keepalive_timeout);
}
/* The furthest a keepalive deadline may be from now (see icsk_timeout): 2^30 jiffies, half
 * of what 32 bits can tell apart, so that a deadline of another event that is overdue
 * while the timer is re-armed against a keepalive this far still reads as past (TCP's
 * longest keepalive, 32,767 s, is far below). */
#define ICSK_KEEPALIVE_MAX_DELAY	0x3fffffffUL
/* 3.10's timer_pending() of event @ev's timer. */
static inline bool inet_csk_timer_event_pending(const struct sock *sk, unsigned int ev)
{
	return __atomic_load_n(&((const struct inet_connection_sock *)sk)->icsk_timers,
			       __ATOMIC_RELAXED) & ev;
}
/* 3.10's sk_reset_timer of event @ev's timer: its deadline set to @expires, the event
 * pending, icsk_timer armed no later than @expires. Context: socket locked (owned by the
 * task, or its spinlock held). */
void inet_csk_timer_event_arm(struct sock *sk, unsigned int ev, unsigned long expires);
/* 3.10's sk_stop_timer of event @ev's timer (@ev: one or more ICSK_TIMER_*). Context:
 * socket locked. */
void inet_csk_timer_event_stop(struct sock *sk, unsigned int ev);
/* The dispatcher's side: take event @ev when it is pending and due at @now (3.10's timer
 * fired: no longer pending). */
bool inet_csk_timer_event_take(struct sock *sk, unsigned int ev, unsigned long now);
/* The dispatcher's side, last: icsk_timer re-armed at the earliest pending deadline (its
 * reference taken when it was idle), or stopped when nothing is pending. Context: timer,
 * socket spinlock held. */
void inet_csk_timer_rearm(struct sock *sk);
static inline void inet_csk_schedule_ack(struct sock *sk)
{
	inet_csk(sk)->icsk_ack.pending |= ICSK_ACK_SCHED;
}
static inline int inet_csk_ack_scheduled(const struct sock *sk)
{
	return inet_csk(sk)->icsk_ack.pending & ICSK_ACK_SCHED;
}
static inline void inet_csk_delack_init(struct sock *sk)
{
	memset(&inet_csk(sk)->icsk_ack, 0, sizeof(inet_csk(sk)->icsk_ack));
}
void inet_csk_clear_xmit_timer(struct sock *sk, const int what);
/* Reset the retransmission timer (@what) to fire @when jiffies from now, at most
 * @max_when. Context: socket locked. */
void inet_csk_reset_xmit_timer(struct sock *sk, const int what, unsigned long when,
			       const unsigned long max_when);

/* The listener's SYN-ACK timer and the keepalive timer are both the keepalive event
 * (3.10's sk_timer). */
void inet_csk_reset_keepalive_timer(struct sock *sk, unsigned long timeout);
void inet_csk_delete_keepalive_timer(struct sock *sk);

/* The accept queue: sk_ack_backlog counts its children (facts.md §3.1: full when
 * sk_ack_backlog > sk_max_ack_backlog, so backlog + 1 children fit). */
static inline void sk_acceptq_removed(struct sock *sk)
{
	sk->sk_ack_backlog--;
}
static inline void sk_acceptq_added(struct sock *sk)
{
	sk->sk_ack_backlog++;
}
static inline bool sk_acceptq_is_full(const struct sock *sk)
{
	return sk->sk_ack_backlog > sk->sk_max_ack_backlog;
}
static inline void reqsk_queue_add(struct request_sock_queue *queue, struct request_sock *req,
				   struct sock *parent, struct sock *child)
{
	/* The parent listens: listen_opt is set (see struct listen_sock). */
	struct listen_sock *lopt = queue->listen_opt;

	req->sk = child;
	sk_acceptq_added(parent);
	if (lopt->rskq_accept_head == NULL)
		lopt->rskq_accept_head = req;
	else
		lopt->rskq_accept_tail->dl_next = req;
	lopt->rskq_accept_tail = req;
	req->dl_next = NULL;
}
static inline void inet_csk_reqsk_queue_add(struct sock *sk, struct request_sock *req,
					    struct sock *child)
{
	reqsk_queue_add(&inet_csk(sk)->icsk_accept_queue, req, sk, child);
}
static inline int inet_csk_reqsk_queue_len(const struct sock *sk)
{
	return reqsk_queue_len(&inet_csk(sk)->icsk_accept_queue);
}
static inline int inet_csk_reqsk_queue_young(const struct sock *sk)
{
	return reqsk_queue_len_young(&inet_csk(sk)->icsk_accept_queue);
}
static inline int inet_csk_reqsk_queue_is_full(const struct sock *sk)
{
	return reqsk_queue_is_full(&inet_csk(sk)->icsk_accept_queue);
}

/* Bind @sk to @snum (0: a free port from ip_local_port_range, random start). 0, or 1 when
 * the port is taken (inet_bind turns it into EADDRINUSE). */
int inet_csk_get_port(struct sock *sk, unsigned short snum);
int inet_csk_bind_conflict(const struct sock *sk, const struct inet_bind_bucket *tb,
			   bool relax);
/* Start listening: SYN table (reqsk_queue_alloc), state LISTEN, port re-checked, hashed.
 * 0, -ENOMEM or -EADDRINUSE. */
int inet_csk_listen_start(struct sock *sk, const int nr_table_entries);
/* Stop: every request freed, every unaccepted child closed (aborted). */
void inet_csk_listen_stop(struct sock *sk);
/* Take an established child off the accept queue, waiting (exclusive) up to the receive
 * timeout; O_NONBLOCK: -EAGAIN. NULL with *@err set. Context: process. */
struct sock *inet_csk_accept(struct sock *sk, int flags, int *err);

/* The SYN table (facts.md §3.1: jhash_2words(raddr, rport, hash_rnd) & (nr - 1)). */
struct request_sock *inet_csk_search_req(const struct sock *sk,
					 struct request_sock ***prevp, const __be16 rport,
					 const __be32 raddr, const __be32 laddr);
void inet_csk_reqsk_queue_hash_add(struct sock *sk, struct request_sock *req,
				   unsigned long timeout);
static inline void inet_csk_reqsk_queue_removed(struct sock *sk, struct request_sock *req)
{
	reqsk_queue_removed(&inet_csk(sk)->icsk_accept_queue, req);
}
int inet_rtx_syn_ack(struct sock *parent, struct request_sock *req);
/* Unlink from the SYN table and free (unaccounted: the caller did _removed or not). */
void inet_csk_reqsk_queue_drop(struct sock *sk, struct request_sock *req,
			       struct request_sock **prev);
/* The listener's timer (every @interval while requests exist): SYN-ACK retransmits and
 * expiry, facts.md §3.3. */
void inet_csk_reqsk_queue_prune(struct sock *parent, const unsigned long interval,
				const unsigned long timeout, const unsigned long max_rto);

/* A copy of the listener for a new connection (state SYN_RECV, one reference, locked). */
struct sock *inet_csk_clone_lock(const struct sock *sk, const struct request_sock *req,
				 const gfp_t priority);
/* The final put of a closed (CLOSE, SOCK_DEAD) socket. */
void inet_csk_destroy_sock(struct sock *sk);
struct dst_entry *inet_csk_route_req(struct sock *sk, struct flowi4 *fl4,
				     const struct request_sock *req);
struct dst_entry *inet_csk_route_child_sock(struct sock *sk, struct sock *newsk,
					    const struct request_sock *req);
/* getpeername of a connection sock. */
void inet_csk_addr2sockaddr(struct sock *sk, struct sockaddr *uaddr);

extern atomic_long_t tcp_orphan_count;

#endif
