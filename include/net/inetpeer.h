/* SPDX-License-Identifier: MIT */
/* Long-lived per-destination state (IPv4): the IP ID counter and the ICMP rate-limit token
 * bucket of each peer.
 * Mirrors linux/include/net/inetpeer.h and net/ipv4/inetpeer.c (3.10): struct inet_peer,
 * struct inet_peer_base, inet_getpeer_v4, inet_putpeer, inet_peer_xrlim_allow, inet_getid,
 * inet_initpeers, and net.ipv4.inet_peer_{threshold,minttl,maxttl}.
 * DIVERGES: one hash table per namespace instead of 3.10's AVL tree; unused entries are
 * reclaimed on lookup (oldest first when the store holds more than inet_peer_threshold,
 * and any idle longer than minttl..maxttl as 3.10's ttl shrinks with the load), without
 * the deferred gc list. Context: any (the base has its own lock). */
#ifndef _NET_INETPEER_H
#define _NET_INETPEER_H
#include "linux/atomic.h"
#include "linux/list.h"
#include "linux/spinlock.h"
#include "linux/types.h"

struct net;

struct inet_peer {
	struct hlist_node hash;		/* in base->hash */
	struct list_head unused;	/* on base->unused while refcnt == 0 (oldest first) */
	__be32 daddr;
	u32 rate_tokens;		/* ICMP rate limit: jiffies of credit */
	unsigned long rate_last;	/* jiffies of the last token update */
	atomic_t ip_id_count;		/* IP ID of the next packet to daddr */
	atomic_t rid;			/* fragments received from daddr (ipfrag_max_dist) */
	u32 dtime;			/* jiffies when the last reference was dropped */
	atomic_t refcnt;
};

#define INETPEER_HASHSZ 256
struct inet_peer_base {
	struct hlist_head hash[INETPEER_HASHSZ];
	struct list_head unused;
	spinlock_t lock;
	int total;
};

extern int inet_peer_threshold;	/* 65536 + 128 */
extern int inet_peer_minttl;	/* 120 s, jiffies */
extern int inet_peer_maxttl;	/* 600 s, jiffies */

/* The referenced peer for @daddr, created when @create (NULL if absent / no memory). */
struct inet_peer *inet_getpeer_v4(struct inet_peer_base *base, __be32 daddr, int create);
void inet_putpeer(struct inet_peer *p);
/* Token bucket (XRLIM_BURST_FACTOR 6): true if a packet may go, spending @timeout jiffies.
 * A NULL peer always may. */
bool inet_peer_xrlim_allow(struct inet_peer *peer, int timeout);
/* Next IP ID to the peer, reserving @more + 1 values. */
static inline u16 inet_getid(struct inet_peer *p, int more)
{
	more++;
	return (u16)(atomic_add_return(more, &p->ip_id_count) - more);
}
/* Entries of @net's store (tests). */
int inet_peer_total(struct net *net);
/* Forget every unreferenced peer of @base now (3.10: inetpeer_invalidate_tree drops the
 * whole tree). Tests call it before their leak check: peers otherwise live for minutes. */
void inetpeer_invalidate_tree(struct inet_peer_base *base);

int inet_initpeers(void);	/* the inet_peer_cache slab and the per-namespace stores */
void inet_finipeers(void);

#endif
