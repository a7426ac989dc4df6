/* SPDX-License-Identifier: MIT */
/* Destination cache entries: the result of a route lookup that packets carry (skb_dst).
 * Mirrors linux/include/net/dst.h and net/core/dst.c (3.10): struct dst_entry, dst_ops,
 * dst_alloc, dst_destroy, dst_free, dst_hold/dst_release, dst_input/dst_output,
 * dst_metric/dst_mtu, dst_neigh_lookup, dst_link_failure, skb_dst_force.
 *
 * Lifetime: a dst is refcounted (__refcnt). Routes cached in the FIB's nexthops hold their
 * own reference; packets hold one (skb_dst_set) or none (skb_dst_set_noref, valid while the
 * lookup's softirq/RCU section lasts; skb_dst_force turns it into a reference before the
 * packet is queued). dst_free() is what the owner calls when it lets the entry go.
 * DIVERGES: Linux parks freed entries with users on dst_garbage and polls them from a
 * work queue; ulnet parks them too (marked DST_OBSOLETE_DEAD, so that a device going away
 * can move them to lo), but the dst_release() that drops the last reference destroys them
 * at once. */
#ifndef _NET_DST_H
#define _NET_DST_H
#include "linux/atomic.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/netdevice.h"
#include "linux/skbuff.h"
#include "net/neighbour.h"

struct dst_entry;
struct neighbour;
struct sock;
struct kmem_cache;

/* Route metrics (linux/rtnetlink.h RTAX_*); metric RTAX_x is stored at index RTAX_x - 1. */
enum {
	RTAX_UNSPEC,
	RTAX_LOCK,
	RTAX_MTU,
	RTAX_WINDOW,
	RTAX_RTT,
	RTAX_RTTVAR,
	RTAX_SSTHRESH,
	RTAX_CWND,
	RTAX_ADVMSS,
	RTAX_REORDERING,
	RTAX_HOPLIMIT,
	RTAX_INITCWND,
	RTAX_FEATURES,
	RTAX_RTO_MIN,
	RTAX_INITRWND,
	__RTAX_MAX
};
#define RTAX_MAX (__RTAX_MAX - 1)

struct dst_ops {
	unsigned short family;
	int (*gc)(struct dst_ops *ops);
	/* Still valid for a socket's cached route? Returns @dst or NULL. */
	struct dst_entry *(*check)(struct dst_entry *dst, __u32 cookie);
	unsigned int (*default_advmss)(const struct dst_entry *dst);
	unsigned int (*mtu)(const struct dst_entry *dst);
	void (*destroy)(struct dst_entry *dst);
	/* @dev is going away: move the entry to the loopback device (@unregister) or not. */
	void (*ifdown)(struct dst_entry *dst, struct net_device *dev, int unregister);
	struct dst_entry *(*negative_advice)(struct dst_entry *dst);
	/* Report that @skb cannot reach its destination (ICMP host unreachable). */
	void (*link_failure)(struct sk_buff *skb);
	void (*update_pmtu)(struct dst_entry *dst, struct sock *sk, struct sk_buff *skb, u32 mtu);
	int (*local_out)(struct sk_buff *skb);
	/* The neighbour entry for @daddr through this route, referenced (NULL: none). */
	struct neighbour *(*neigh_lookup)(const struct dst_entry *dst, struct sk_buff *skb,
					  const void *daddr);
	struct kmem_cache *kmem_cachep;	/* "ip_dst_cache" */
	atomic_t entries;		/* allocated entries (dst_entries_get_slow) */
};

struct dst_entry {
	struct net_device *dev;		/* output device (held with dev_hold) */
	struct dst_ops *ops;
	const u32 *_metrics;		/* RTAX_MAX values, read-only */
	unsigned long expires;		/* jiffies, 0 = never */
	/* Receive: ip_local_deliver, ip_forward, ip_error, dst_discard. Consumes the skb. */
	int (*input)(struct sk_buff *skb);
	/* Transmit: ip_output, ip_rt_bug, dst_discard. Consumes the skb. */
	int (*output)(struct sk_buff *skb);
	unsigned short flags;
#define DST_HOST		0x0001
#define DST_NOXFRM		0x0002
#define DST_NOPOLICY		0x0004
#define DST_NOHASH		0x0008
#define DST_NOCACHE		0x0010	/* not cached: freed by its last release */
#define DST_NOCOUNT		0x0020
#define DST_NOPEER		0x0040
#define DST_FAKE_RTABLE		0x0080
	unsigned short pending_confirm;
	short error;			/* -EHOSTUNREACH... of error routes (ip_error) */
	short obsolete;
#define DST_OBSOLETE_NONE	0
#define DST_OBSOLETE_DEAD	2	/* dst_free()d: gone with its last reference */
#define DST_OBSOLETE_FORCE_CHK	-1	/* callers must dst_check() (ipv4 routes) */
#define DST_OBSOLETE_KILL	-2
	unsigned short header_len;
	unsigned short trailer_len;
	atomic_t __refcnt;
	struct list_head dst_gc_node;	/* on dst_garbage while DST_OBSOLETE_DEAD */
	int __use;			/* times handed out (dst_use) */
	unsigned long lastuse;		/* jiffies */
};

extern const u32 dst_default_metrics[RTAX_MAX];

/* ---- allocation (dst.c) ---- */
/* A new entry from @ops->kmem_cachep with @initial_ref references. NULL on ENOMEM.
 * Holds @dev (may be NULL). */
void *dst_alloc(struct dst_ops *ops, struct net_device *dev, int initial_ref,
		unsigned short initial_obsolete, unsigned short flags);
/* Free now (ops->destroy, dev_put). Caller made sure nobody holds it. */
void dst_destroy(struct dst_entry *dst);
/* The owner lets go: destroyed now if unreferenced, else when the last reference drops. */
void dst_free(struct dst_entry *dst);
/* (Declared in linux/skbuff.h too.) Drop a reference. NULL is ignored. */
void dst_release(struct dst_entry *dst);
/* A device is going down/away: entries pointing at it (in the FIB caches) let go of it. */
void dst_ifdown(struct dst_entry *dst, struct net_device *dev, int unregister);
int dst_discard(struct sk_buff *skb);
/* Boot/teardown of the garbage list and its netdevice notifier (ip_rt_init calls them). */
void dst_init(void);
void dst_fini(void);	/* input/output that drops. Consumes @skb. */
/* Live entries (all namespaces) of @ops. */
static inline int dst_entries_get_slow(struct dst_ops *ops)
{
	return atomic_read(&ops->entries);
}

/* (Declared in linux/skbuff.h too.) Take a reference. */
void dst_hold(struct dst_entry *dst);
static inline void dst_use(struct dst_entry *dst, unsigned long time)
{
	atomic_inc(&dst->__refcnt);
	dst->__use++;
	dst->lastuse = time;
}
static inline struct dst_entry *dst_clone(struct dst_entry *dst)
{
	if (dst)
		atomic_inc(&dst->__refcnt);
	return dst;
}
static inline int dst_refcnt(const struct dst_entry *dst)
{
	return atomic_read(&dst->__refcnt);
}

/* ---- metrics ---- */
static inline u32 dst_metric_raw(const struct dst_entry *dst, int metric)
{
	return dst->_metrics ? dst->_metrics[metric - 1] : 0;
}
static inline u32 dst_metric(const struct dst_entry *dst, int metric)
{
	return dst_metric_raw(dst, metric);
}
static inline u32 dst_metric_advmss(const struct dst_entry *dst)
{
	u32 advmss = dst_metric_raw(dst, RTAX_ADVMSS);

	if (!advmss)
		advmss = dst->ops->default_advmss(dst);
	return advmss;
}
static inline bool dst_metric_locked(const struct dst_entry *dst, int metric)
{
	return dst_metric(dst, RTAX_LOCK) & (1 << metric);
}
/* Path MTU (ipv4_mtu for IPv4 routes). */
static inline u32 dst_mtu(const struct dst_entry *dst)
{
	return dst->ops->mtu(dst);
}

/* ---- use by packets ---- */
/* Make a noref dst a real reference (before queueing the skb beyond the current softirq). */
static inline void skb_dst_force(struct sk_buff *skb)
{
	if (skb->_skb_refdst & SKB_DST_NOREF) {
		struct dst_entry *dst = skb_dst(skb);

		skb->_skb_refdst &= ~SKB_DST_NOREF;
		dst_clone(dst);
	}
}
/* Deliver @skb along its input route. Consumes @skb. */
static inline int dst_input(struct sk_buff *skb)
{
	return skb_dst(skb)->input(skb);
}
/* Send @skb along its output route (ip_output). Consumes @skb. */
static inline int dst_output(struct sk_buff *skb)
{
	return skb_dst(skb)->output(skb);
}
static inline struct neighbour *dst_neigh_lookup(const struct dst_entry *dst, const void *daddr)
{
	return dst->ops->neigh_lookup(dst, NULL, daddr);
}
static inline struct neighbour *dst_neigh_lookup_skb(const struct dst_entry *dst,
						     struct sk_buff *skb)
{
	return dst->ops->neigh_lookup(dst, skb, NULL);
}
static inline void dst_link_failure(struct sk_buff *skb)
{
	struct dst_entry *dst = skb_dst(skb);

	if (dst && dst->ops && dst->ops->link_failure)
		dst->ops->link_failure(skb);
}
static inline void dst_set_expires(struct dst_entry *dst, int timeout)
{
	unsigned long expires = jiffies + (unsigned long)timeout;

	if (expires == 0)
		expires = 1;
	if (dst->expires == 0 || time_before(expires, dst->expires))
		dst->expires = expires;
}
/* A socket's cached route: still valid? Returns @dst or NULL (dst_check drops nothing). */
static inline struct dst_entry *dst_check(struct dst_entry *dst, u32 cookie)
{
	if (dst->obsolete)
		dst = dst->ops->check(dst, cookie);
	return dst;
}
/* Reachability confirmed by the upper layer (a TCP ACK): the next dst_neigh_output marks
 * the neighbour confirmed (REACHABLE stays REACHABLE without probing). */
static inline void dst_confirm(struct dst_entry *dst)
{
	if (dst)
		dst->pending_confirm = 1;
}
/* ip_finish_output2's send through neighbour @n (consumes @skb): the cached link header
 * (neigh_hh_output) while @n is NUD_CONNECTED and has one, else n->output. */
static inline int dst_neigh_output(struct dst_entry *dst, struct neighbour *n,
				   struct sk_buff *skb)
{
	const struct hh_cache *hh;

	if (dst->pending_confirm) {
		unsigned long now = jiffies;

		dst->pending_confirm = 0;
		/* avoid dirtying neighbour */
		if (n->confirmed != now)
			n->confirmed = now;
	}
	hh = &n->hh;
	if ((n->nud_state & NUD_CONNECTED) && hh->hh_len)
		return neigh_hh_output(hh, skb);
	return neigh_output(n, skb);
}

#endif
