/* SPDX-License-Identifier: MIT */
/* Queueing disciplines: the TX queue between dev_queue_xmit and the driver.
 * Mirrors linux/include/net/sch_generic.h (3.10): struct Qdisc, Qdisc_ops, qstats/bstats,
 * qdisc_run_begin/end, the __qdisc_enqueue/dequeue helpers, and net/sched/sch_generic.c's
 * pfifo_fast, noop and noqueue.
 *
 * A qdisc is created from its ops by name ("pfifo_fast"; netem and tbf arrive with issue 7:
 * register_qdisc makes them available to qdisc_create_dflt/dev_graft_qdisc by name).
 * Locking: qdisc_lock(q) guards the queue; __QDISC___STATE_RUNNING lets one CPU at a time
 * dequeue, as Linux. DIVERGES: the lock is a member of its own (Linux uses q->q.lock). */
#ifndef _NET_SCH_GENERIC_H
#define _NET_SCH_GENERIC_H
#include "linux/atomic.h"
#include "linux/list.h"
#include "linux/netdevice.h"
#include "linux/skbuff.h"
#include "linux/spinlock.h"

struct Qdisc_ops;

struct gnet_stats_basic_packed {
	__u64 bytes;
	__u32 packets;
};
struct gnet_stats_queue {
	__u32 qlen;
	__u32 backlog;		/* bytes queued */
	__u32 drops;
	__u32 requeues;		/* NETDEV_TX_BUSY or stopped queue: dev_requeue_skb */
	__u32 overlimits;	/* shaper throttled (tbf) */
};

/* Qdisc->state */
enum qdisc_state_t {
	__QDISC_STATE_SCHED,		/* on a CPU's output_queue (NET_TX will run it) */
	__QDISC_STATE_DEACTIVATED,	/* dev_deactivate'd: enqueue drops */
	__QDISC_STATE_THROTTLED,
};
/* Qdisc->__state */
enum qdisc___state_t {
	__QDISC___STATE_RUNNING = 1,	/* a CPU is in __qdisc_run */
};

/* Qdisc->flags */
#define TCQ_F_BUILTIN		1	/* static (noop/noqueue): never freed */
#define TCQ_F_INGRESS		2
#define TCQ_F_CAN_BYPASS	4	/* empty queue: send directly (sch_direct_xmit) */
#define TCQ_F_MQROOT		8
#define TCQ_F_ONETXQUEUE	0x10	/* dequeue only for one TX queue */
#define TCQ_F_WARN_NONWC	(1 << 16)

#define TC_H_ROOT		(0xFFFFFFFFU)
#define TC_H_UNSPEC		(0U)

struct Qdisc {
	int (*enqueue)(struct sk_buff *skb, struct Qdisc *sch);	/* NULL: noqueue */
	struct sk_buff *(*dequeue)(struct Qdisc *sch);
	unsigned int flags;		/* TCQ_F_* */
	u32 limit;
	const struct Qdisc_ops *ops;
	struct list_head list;
	u32 handle;
	u32 parent;
	struct netdev_queue *dev_queue;
	struct Qdisc *next_sched;	/* output_queue link */
	struct sk_buff *gso_skb;	/* a requeued skb, sent first */
	unsigned long state;		/* __QDISC_STATE_* */
	struct sk_buff_head q;		/* the queue of simple qdiscs (qlen counts all) */
	struct gnet_stats_basic_packed bstats;
	unsigned int __state;		/* __QDISC___STATE_RUNNING */
	struct gnet_stats_queue qstats;
	atomic_t refcnt;
	spinlock_t lock;
	int padded;			/* bytes skipped to align the struct (QDISC_ALIGNTO) */
};

/* An algorithm. enqueue consumes the skb (queued, or dropped with a reason). */
struct Qdisc_ops {
	struct Qdisc_ops *next;
	char id[IFNAMSIZ];		/* "pfifo_fast", "noqueue", "netem", ... */
	int priv_size;
	int (*enqueue)(struct sk_buff *skb, struct Qdisc *sch);	/* NET_XMIT_* */
	struct sk_buff *(*dequeue)(struct Qdisc *sch);
	struct sk_buff *(*peek)(struct Qdisc *sch);
	unsigned int (*drop)(struct Qdisc *sch);
	/* DIVERGES: options arrive as tc's text arguments ("delay 100ms loss 1%"), not netlink
	 * attributes; NULL @opt means defaults. 0 or -EINVAL. */
	int (*init)(struct Qdisc *sch, const char *opt);
	void (*reset)(struct Qdisc *sch);	/* drop everything queued */
	void (*destroy)(struct Qdisc *sch);
	int (*change)(struct Qdisc *sch, const char *opt);
	/* `tc qdisc show` parameters after the kind (e.g. "bands 3 priomap  1 2 2 2 ..."). */
	int (*dump)(struct Qdisc *sch, char *buf, size_t len);
	int (*dump_stats)(struct Qdisc *sch, void *d);	/* placeholder (tc -s extras) */
};

/* The skb->cb view of the qdisc layer (on TX the cb belongs to it). */
struct qdisc_skb_cb {
	unsigned int pkt_len;		/* bytes counted in backlog/bstats */
	u16 slave_dev_queue_mapping;
	u16 _pad;
	unsigned char data[20];
};
static inline struct qdisc_skb_cb *qdisc_skb_cb(const struct sk_buff *skb)
{
	return (struct qdisc_skb_cb *)skb->cb;
}
static inline unsigned int qdisc_pkt_len(const struct sk_buff *skb)
{
	return qdisc_skb_cb(skb)->pkt_len;
}

extern struct Qdisc noop_qdisc;
extern struct Qdisc_ops noop_qdisc_ops;
extern struct Qdisc noqueue_qdisc;	/* enqueue NULL: dev_queue_xmit sends directly */
extern struct Qdisc_ops noqueue_qdisc_ops;
extern struct Qdisc_ops pfifo_fast_ops;

static inline struct net_device *qdisc_dev(const struct Qdisc *qdisc)
{
	return qdisc->dev_queue->dev;
}
static inline spinlock_t *qdisc_lock(struct Qdisc *qdisc)
{
	return &qdisc->lock;
}
static inline spinlock_t *qdisc_root_lock(struct Qdisc *qdisc)
{
	return &qdisc->lock;
}
static inline int qdisc_qlen(const struct Qdisc *q)
{
	return (int)q->q.qlen;
}
static inline bool qdisc_is_running(const struct Qdisc *qdisc)
{
	return qdisc->__state & __QDISC___STATE_RUNNING;
}
static inline bool qdisc_run_begin(struct Qdisc *qdisc)
{
	if (qdisc_is_running(qdisc))
		return false;
	qdisc->__state |= __QDISC___STATE_RUNNING;
	return true;
}
static inline void qdisc_run_end(struct Qdisc *qdisc)
{
	qdisc->__state &= ~__QDISC___STATE_RUNNING;
}

static inline void qdisc_bstats_update(struct Qdisc *sch, const struct sk_buff *skb)
{
	sch->bstats.bytes += qdisc_pkt_len(skb);
	sch->bstats.packets += skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;
}
static inline int __qdisc_enqueue_tail(struct sk_buff *skb, struct Qdisc *sch,
				       struct sk_buff_head *list)
{
	__skb_queue_tail(list, skb);
	sch->qstats.backlog += qdisc_pkt_len(skb);
	return NET_XMIT_SUCCESS;
}
static inline int qdisc_enqueue_tail(struct sk_buff *skb, struct Qdisc *sch)
{
	return __qdisc_enqueue_tail(skb, sch, &sch->q);
}
static inline struct sk_buff *__qdisc_dequeue_head(struct Qdisc *sch, struct sk_buff_head *list)
{
	struct sk_buff *skb = __skb_dequeue(list);
	if (likely(skb != NULL)) {
		sch->qstats.backlog -= qdisc_pkt_len(skb);
		qdisc_bstats_update(sch, skb);
	}
	return skb;
}
static inline struct sk_buff *qdisc_dequeue_head(struct Qdisc *sch)
{
	return __qdisc_dequeue_head(sch, &sch->q);
}
static inline struct sk_buff *qdisc_peek_head(struct Qdisc *sch)
{
	return skb_peek(&sch->q);
}
static inline void __qdisc_reset_queue(struct Qdisc *sch, struct sk_buff_head *list)
{
	__skb_queue_purge(list);
}
static inline void qdisc_reset_queue(struct Qdisc *sch)
{
	__qdisc_reset_queue(sch, &sch->q);
	sch->qstats.backlog = 0;
}
/* Drop @skb at enqueue: counts qstats.drops, reason QDISC_DROP. Returns NET_XMIT_DROP. */
static inline int qdisc_drop(struct sk_buff *skb, struct Qdisc *sch)
{
	kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_DROP);
	sch->qstats.drops++;
	return NET_XMIT_DROP;
}
static inline void qdisc_qstats_drop(struct Qdisc *sch)
{
	sch->qstats.drops++;
}

/* sch_generic.c */
struct Qdisc *qdisc_alloc(struct netdev_queue *dev_queue, const struct Qdisc_ops *ops);
/* A qdisc of @ops (init with defaults) for @dev_queue; NULL on error. */
struct Qdisc *qdisc_create_dflt(struct netdev_queue *dev_queue, const struct Qdisc_ops *ops,
				u32 parentid);
void qdisc_reset(struct Qdisc *qdisc);
void qdisc_destroy(struct Qdisc *qdisc);	/* drops a reference; frees at 0 */
/* Attach @qdisc as the configured qdisc of @dev_queue (it goes live at dev_activate; NULL
 * means noop). Returns the old one (the caller destroys it). Device must be down or the
 * caller holds rtnl (the queue is deactivated around the swap). */
struct Qdisc *dev_graft_qdisc(struct netdev_queue *dev_queue, struct Qdisc *qdisc);
/* Default qdiscs (pfifo_fast; noqueue when tx_queue_len is 0) then go live. */
void dev_activate(struct net_device *dev);
/* Back to noop, queued packets dropped, off the output queues. */
void dev_deactivate(struct net_device *dev);
void dev_deactivate_many(struct list_head *head);
void dev_init_scheduler(struct net_device *dev);	/* at register: everything noop */
void dev_shutdown(struct net_device *dev);		/* at unregister: free the qdiscs */

#endif
