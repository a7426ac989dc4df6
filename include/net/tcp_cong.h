/* SPDX-License-Identifier: MIT */
/* Pluggable TCP congestion control: the ops table, the CA states and events, and the helpers
 * every algorithm shares (slow start, additive increase, Reno).
 * Mirrors linux/include/net/tcp.h (3.10), the congestion-control part: struct
 * tcp_congestion_ops, enum tcp_ca_state, enum tcp_ca_event, tcp_set_ca_state, tcp_ca_event,
 * tcp_packets_in_flight, tcp_is_cwnd_limited, tcp_slow_start, tcp_cong_avoid_ai,
 * tcp_reno_*, tcp_init_congestion_control, tcp_set_congestion_control; implemented in
 * src/net/ipv4/tcp_cong.c (registry, Reno) and tcp_cubic.c (CUBIC with HyStart, the
 * default). */
#ifndef _NET_TCP_CONG_H
#define _NET_TCP_CONG_H
#include "linux/list.h"
#include "linux/tcp.h"
#include "uapi/linux/tcp.h"

/* Congestion-avoidance states (icsk_ca_state): enum tcp_ca_state in uapi/linux/tcp.h. */
#define TCPF_CA_Open	(1 << TCP_CA_Open)
#define TCPF_CA_Disorder (1 << TCP_CA_Disorder)
#define TCPF_CA_CWR	(1 << TCP_CA_CWR)
#define TCPF_CA_Recovery (1 << TCP_CA_Recovery)
#define TCPF_CA_Loss	(1 << TCP_CA_Loss)

/* Events the stack reports to the algorithm (cwnd_event). */
enum tcp_ca_event {
	CA_EVENT_TX_START,	/* first transmit when no packets in flight */
	CA_EVENT_CWND_RESTART,	/* congestion window restart */
	CA_EVENT_COMPLETE_CWR,	/* end of congestion recovery */
	CA_EVENT_LOSS,		/* loss timeout */
	CA_EVENT_FAST_ACK,	/* in sequence ack */
	CA_EVENT_SLOW_ACK,	/* other ack */
};

#define TCP_CA_NAME_MAX	16
#define TCP_CA_MAX	128
#define TCP_CA_BUF_MAX	(TCP_CA_NAME_MAX * TCP_CA_MAX)
#define TCP_CONG_NON_RESTRICTED 0x1
#define TCP_CONG_RTT_STAMP	0x2	/* pkts_acked wants an rtt_us */

struct tcp_congestion_ops {
	struct list_head list;
	unsigned long flags;
	/* initialize private data (optional) */
	void (*init)(struct sock *sk);
	/* cleanup private data (optional) */
	void (*release)(struct sock *sk);
	/* return slow start threshold (required) */
	u32 (*ssthresh)(struct sock *sk);
	/* lower bound for congestion window (optional) */
	u32 (*min_cwnd)(const struct sock *sk);
	/* do new cwnd calculation (required) */
	void (*cong_avoid)(struct sock *sk, u32 ack, u32 in_flight);
	/* call before changing ca_state (optional) */
	void (*set_state)(struct sock *sk, u8 new_state);
	/* call when cwnd event occurs (optional) */
	void (*cwnd_event)(struct sock *sk, enum tcp_ca_event ev);
	/* new value of cwnd after loss (optional) */
	u32 (*undo_cwnd)(struct sock *sk);
	/* hook for packet ack accounting (optional); rtt_us < 0 when there is no sample */
	void (*pkts_acked)(struct sock *sk, u32 num_acked, s32 rtt_us);
	char name[TCP_CA_NAME_MAX];
};

/* The algorithms a sock may point at, by slot: icsk_ca_idx (1 B) instead of 3.10's
 * icsk_ca_ops pointer (8 B). Slot 0 is NULL, "none attached" (the stack then uses Reno as
 * written in tcp_input.c, as with a NULL icsk_ca_ops). An ops gets a slot the first time a
 * sock is given it and keeps it until the stack's teardown (tcp_cong_fini), so a sock
 * still using an unregistered algorithm keeps it, as the pointer did. */
#define TCP_CA_SLOTS	256
extern const struct tcp_congestion_ops *tcp_ca_slots[TCP_CA_SLOTS];
static inline const struct tcp_congestion_ops *inet_csk_ca_ops(const struct sock *sk)
{
	return tcp_ca_slots[inet_csk(sk)->icsk_ca_idx];
}
/* Point @sk at @ca (NULL: none). With all 255 slots taken by distinct ops in one boot,
 * @sk gets none (Reno) and a warning. Context: any; socket locked or new. */
void inet_csk_set_ca_ops(struct sock *sk, const struct tcp_congestion_ops *ca);

/* The algorithm's private area in the sock (icsk_ca_priv), 3.10's size: 16 u32. An
 * algorithm's private struct must fit (a _Static_assert next to each one). */
#define ICSK_CA_PRIV_SIZE	(16 * sizeof(u32))
static inline void *inet_csk_ca(const struct sock *sk)
{
	return (void *)inet_csk(sk)->icsk_ca_priv;
}

/* ---- tcp_cong.c ---- */
/* Register the built-in algorithms (reno, cubic) and the sysctls
 * net.ipv4.tcp_congestion_control (default "cubic"), tcp_available_congestion_control,
 * tcp_allowed_congestion_control (and tcp_max_ssthresh, tcp_tso_win_divisor). Called once
 * per boot from tcp_init; it starts from an empty list, so tcp_cong_fini (which forgets the
 * algorithms) is optional at teardown. */
int tcp_cong_init(void);
void tcp_cong_fini(void);
int tcp_register_congestion_control(struct tcp_congestion_ops *type);
void tcp_unregister_congestion_control(struct tcp_congestion_ops *type);
/* A new sock (tcp_init_sock) gets the default; on entering ESTABLISHED the stack calls
 * tcp_init_congestion_control, which runs ->init. */
void tcp_assign_congestion_control(struct sock *sk);
void tcp_init_congestion_control(struct sock *sk);
void tcp_cleanup_congestion_control(struct sock *sk);
/* TCP_CONGESTION setsockopt: 0, -ENOENT (unknown name), -EPERM (not allowed). */
int tcp_set_congestion_control(struct sock *sk, const char *name);
void tcp_get_default_congestion_control(char *name);
bool tcp_is_cwnd_limited(const struct sock *sk, u32 in_flight);
void tcp_slow_start(struct tcp_sock *tp);
void tcp_cong_avoid_ai(struct tcp_sock *tp, u32 w);
u32 tcp_reno_ssthresh(struct sock *sk);
void tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 in_flight);
u32 tcp_reno_min_cwnd(const struct sock *sk);
extern struct tcp_congestion_ops tcp_reno;
extern struct tcp_congestion_ops tcp_init_congestion_ops;
extern int sysctl_tcp_max_ssthresh;
/* The registry as the sysctls see it (3.10 names): the default moves to the head of the
 * list; the lists are blank-separated names in list order. 0 or -ENOENT (-ENOMEM). */
int tcp_set_default_congestion_control(const char *name);
void tcp_get_available_congestion_control(char *buf, size_t maxlen);
void tcp_get_allowed_congestion_control(char *buf, size_t maxlen);
int tcp_set_allowed_congestion_control(char *val);
/* net.ipv4.tcp_tso_win_divisor (default 3), read by tcp_is_cwnd_limited. 3.10 keeps it in
 * tcp_output.c; ulnet defines it (and its sysctl) in tcp_cong.c: use this one. */
extern int sysctl_tcp_tso_win_divisor;
/* ulnet has no credentials: tasks hold CAP_NET_ADMIN. A test sets this to make
 * tcp_set_congestion_control check the allowed list as for an unprivileged task (-EPERM);
 * tcp_cong_init clears it. */
extern bool tcp_ca_unprivileged;

/* ---- tcp_cubic.c ---- */
/* CUBIC (3.10's default): registered by tcp_cong_init through cubictcp_register. */
extern struct tcp_congestion_ops cubictcp;
int cubictcp_register(void);
/* The integer cube root CUBIC computes K with (within 0.1% + 1; nearest below 64). */
u32 cubic_root(u64 a);

static inline void tcp_set_ca_state(struct sock *sk, const u8 ca_state)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	const struct tcp_congestion_ops *ca_ops = inet_csk_ca_ops(sk);

	if (ca_ops && ca_ops->set_state)
		ca_ops->set_state(sk, ca_state);
	icsk->icsk_ca_state = ca_state;
}

static inline void tcp_ca_event(struct sock *sk, const enum tcp_ca_event event)
{
	const struct tcp_congestion_ops *ca_ops = inet_csk_ca_ops(sk);

	if (ca_ops && ca_ops->cwnd_event)
		ca_ops->cwnd_event(sk, event);
}

/* packets_out - (sacked_out + lost_out) + retrans_out: RFC 3517 "pipe". Without the
 * loss-recovery state (tcp_sock.ofo) all three are 0: one test on the fast path. */
static inline unsigned int tcp_left_out(const struct tcp_sock *tp)
{
	const struct tcp_ofo_state *rec = tp->ofo;

	return likely(!rec) ? 0 : rec->sacked_out + rec->lost_out;
}
static inline unsigned int tcp_packets_in_flight(const struct tcp_sock *tp)
{
	const struct tcp_ofo_state *rec = tp->ofo;

	if (likely(!rec))
		return tp->packets_out;
	return tp->packets_out - (rec->sacked_out + rec->lost_out) + rec->retrans_out;
}
static inline bool tcp_in_slow_start(const struct tcp_sock *tp)
{
	return tp->snd_cwnd < tp->snd_ssthresh;
}
/* 3.10's tcp_current_ssthresh: in CWR/Recovery the ssthresh, else max(ssthresh, 3/4 cwnd). */
static inline u32 tcp_current_ssthresh(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	if ((1 << inet_csk(sk)->icsk_ca_state) & (TCPF_CA_CWR | TCPF_CA_Recovery))
		return tp->snd_ssthresh;
	return tp->snd_ssthresh > ((tp->snd_cwnd >> 1) + (tp->snd_cwnd >> 2))
		       ? tp->snd_ssthresh
		       : (tp->snd_cwnd >> 1) + (tp->snd_cwnd >> 2);
}

#endif
