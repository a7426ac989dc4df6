/* SPDX-License-Identifier: MIT */
/* TIME_WAIT socks: the small object that replaces a closed connection for 60 s, and the
 * death row that bounds and expires them.
 * Mirrors linux/include/net/inet_timewait_sock.h (3.10): struct inet_timewait_death_row,
 * struct inet_timewait_sock (tw_* aliases of sock_common), inet_twsk.
 * DIVERGES: each TIME_WAIT sock has its own timer (3.10 uses the death row's slot wheel of
 * 7.5 s periods); the expiry time is the same 60 s. */
#ifndef _NET_INET_TIMEWAIT_SOCK_H
#define _NET_INET_TIMEWAIT_SOCK_H
#include "linux/timer.h"
#include "linux/types.h"
#include "net/sock.h"

struct inet_hashinfo;
struct inet_bind_bucket;

struct inet_timewait_death_row {
	atomic_t tw_count;		/* TIME_WAIT socks alive */
	struct inet_hashinfo *hashinfo;
	int sysctl_tw_recycle;
	int sysctl_max_tw_buckets;	/* tcp_max_tw_buckets: ehash/2 (facts.md §1.2) */
};

struct inet_timewait_sock {
	/* common must be first: a TIME_WAIT sock is found in the established hash as a sock. */
	struct sock_common __tw_common;
#define tw_family	__tw_common.skc_family
#define tw_state	__tw_common.skc_state
#define tw_reuse	__tw_common.skc_reuse
#define tw_bound_dev_if	__tw_common.skc_bound_dev_if
#define tw_node		__tw_common.skc_nulls_node
#define tw_bind_node	__tw_common.skc_bind_node
#define tw_refcnt	__tw_common.skc_refcnt
#define tw_hash		__tw_common.skc_hash
#define tw_prot		__tw_common.skc_prot
#define tw_net		__tw_common.skc_net
#define tw_daddr	__tw_common.skc_daddr
#define tw_rcv_saddr	__tw_common.skc_rcv_saddr
#define tw_dport	__tw_common.skc_dport
#define tw_num		__tw_common.skc_num
	int tw_timeout;
	volatile unsigned char tw_substate;	/* TCP_TIME_WAIT or TCP_FIN_WAIT2 */
	unsigned char tw_rcv_wscale;
	__be16 tw_sport;
	unsigned int tw_ipv6only:1, tw_transparent:1, tw_pad:6, tw_tos:8;
	struct inet_bind_bucket *tw_tb;
	struct timer_list tw_timer;		/* DIVERGES: per sock, see above */
	struct inet_timewait_death_row *tw_dr;
};

static inline struct inet_timewait_sock *inet_twsk(const struct sock *sk)
{
	return (struct inet_timewait_sock *)sk;
}

/* Unhash @tw (ehash and bind bucket), stop its timer and drop the hash's reference. */
void inet_twsk_deschedule(struct inet_timewait_sock *tw,
			  struct inet_timewait_death_row *twdr);
/* Drop a reference; the last frees it to the protocol's tw_sock cache. */
void inet_twsk_put(struct inet_timewait_sock *tw);
struct inet_hashinfo;
/* A TIME_WAIT sock for @sk in @state (TCP_TIME_WAIT or TCP_FIN_WAIT2), one reference for
 * the caller; NULL without memory. */
struct inet_timewait_sock *inet_twsk_alloc(const struct sock *sk, const int state);
/* Put @tw in @sk's bind bucket and in the established hash in place of @sk. */
void __inet_twsk_hashdance(struct inet_timewait_sock *tw, struct sock *sk,
			   struct inet_hashinfo *hashinfo);
/* (Re)arm @tw's expiry @timeo jiffies from now. */
void inet_twsk_schedule(struct inet_timewait_sock *tw, struct inet_timewait_death_row *twdr,
			const int timeo);
void inet_twsk_timer(struct timer_list *t);
/* Kill the TIME_WAIT socks of @net (all when NULL). */
void inet_twsk_purge(struct inet_hashinfo *hashinfo, struct inet_timewait_death_row *twdr,
		     struct net *net);
/* TIME_WAIT socks alive in the tw_sock caches (tests). */
int inet_twsk_alive(void);

#endif
