/* SPDX-License-Identifier: MIT */
/* The generic packet scheduler: running a qdisc into the driver, the default qdiscs
 * (pfifo_fast, noqueue, noop), attaching them when a device goes up, and carrier changes.
 * Mirrors linux/net/sched/sch_generic.c (3.10): dequeue_skb, sch_direct_xmit, qdisc_restart,
 * __qdisc_run, dev_requeue_skb, noop_qdisc, noqueue_qdisc, pfifo_fast, qdisc_alloc,
 * qdisc_create_dflt, qdisc_reset, qdisc_destroy, dev_graft_qdisc, dev_activate,
 * dev_deactivate_many, dev_init_scheduler, dev_shutdown, netif_carrier_on/off; and from
 * net/sched/sch_api.c: register_qdisc, unregister_qdisc, qdisc_lookup_ops.
 *
 * A qdisc runs on one CPU at a time (__QDISC___STATE_RUNNING). __qdisc_run sends at most
 * weight_p (64) packets, then leaves the rest to NET_TX_SOFTIRQ (__netif_schedule): the
 * "quota" of book ch4. A stopped TX queue or NETDEV_TX_BUSY requeues the packet (requeues)
 * and ends the run; netif_wake_queue reschedules it.
 * DIVERGES: no TX watchdog timer yet (ndo_tx_timeout comes with the simulated NIC), and
 * __qdisc_run yields only on quota (there is no need_resched()). */
#include "linux/netdevice.h"
#include "net/dst.h"
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/slab.h"
#include "net/core/dev.h"
#include "net/pkt_sched.h"
#include "net/sch_generic.h"
#include "trace/path.h"

/* ---- the qdisc registry (sch_api.c) ---- */

static struct Qdisc_ops *qdisc_base;
static DEFINE_SPINLOCK(qdisc_mod_lock);

static int noop_enqueue(struct sk_buff *skb, struct Qdisc *qdisc);
static struct sk_buff *noop_dequeue(struct Qdisc *qdisc);

int register_qdisc(struct Qdisc_ops *qops)
{
	struct Qdisc_ops *q, **qp;
	int rc = -EEXIST;

	if (!qops || !qops->id[0])
		return -EINVAL;
	spin_lock(&qdisc_mod_lock);
	for (qp = &qdisc_base; (q = *qp) != NULL; qp = &q->next)
		if (!strcmp(qops->id, q->id))
			goto out;
	if (qops->enqueue == NULL)
		qops->enqueue = noop_enqueue;
	if (qops->peek == NULL) {
		if (qops->dequeue == NULL) {
			qops->peek = noop_dequeue;
		} else {
			rc = -EINVAL;
			goto out;
		}
	}
	if (qops->dequeue == NULL)
		qops->dequeue = noop_dequeue;
	qops->next = NULL;
	*qp = qops;
	rc = 0;
out:
	spin_unlock(&qdisc_mod_lock);
	return rc;
}

int unregister_qdisc(struct Qdisc_ops *qops)
{
	struct Qdisc_ops *q, **qp;
	int err = -ENOENT;

	spin_lock(&qdisc_mod_lock);
	for (qp = &qdisc_base; (q = *qp) != NULL; qp = &q->next)
		if (q == qops)
			break;
	if (q) {
		*qp = q->next;
		q->next = NULL;
		err = 0;
	}
	spin_unlock(&qdisc_mod_lock);
	return err;
}

struct Qdisc_ops *qdisc_lookup_ops(const char *kind)
{
	struct Qdisc_ops *q = NULL;

	if (!kind)
		return NULL;
	spin_lock(&qdisc_mod_lock);
	for (q = qdisc_base; q; q = q->next)
		if (!strcmp(kind, q->id))
			break;
	spin_unlock(&qdisc_mod_lock);
	return q;
}

/* ---- running a qdisc ---- */

/* Put back an skb the driver could not take; it goes out first next time. */
int dev_requeue_skb(struct sk_buff *skb, struct Qdisc *q)
{
	UL_TRACE(skb);
	skb_dst_force(skb);
	q->gso_skb = skb;
	q->qstats.requeues++;
	q->q.qlen++;	/* it's still part of the queue */
	__netif_schedule(q);
	return 0;
}

static inline struct sk_buff *dequeue_skb(struct Qdisc *q)
{
	struct sk_buff *skb = q->gso_skb;
	const struct netdev_queue *txq = q->dev_queue;

	if (unlikely(skb)) {
		/* check the reason of requeuing without tx lock first */
		txq = netdev_get_tx_queue(txq->dev, skb_get_queue_mapping(skb));
		if (!netif_xmit_frozen_or_stopped(txq)) {
			q->gso_skb = NULL;
			q->q.qlen--;
		} else {
			skb = NULL;
		}
	} else {
		if (!(q->flags & TCQ_F_ONETXQUEUE) || !netif_xmit_frozen_or_stopped(txq))
			skb = q->dequeue(q);
	}
	return skb;
}

static inline int handle_dev_cpu_collision(struct sk_buff *skb, struct netdev_queue *dev_queue,
					   struct Qdisc *q)
{
	int ret;

	if (unlikely(dev_queue->xmit_lock_owner == smp_processor_id())) {
		/* Same CPU holding the lock: a loop in the device's transmit path. */
		kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_DROP);
		net_warn_ratelimited("Dead loop on netdevice %s, fix it urgently!\n",
				     dev_queue->dev->name);
		ret = qdisc_qlen(q);
	} else {
		/* Another CPU holds the lock: requeue and let it finish. */
		__get_cpu_var(softnet_data).cpu_collision++;
		ret = dev_requeue_skb(skb, q);
	}
	return ret;
}

/* Context: BH off, qdisc running, @root_lock held (dropped around the driver call). */
int sch_direct_xmit(struct sk_buff *skb, struct Qdisc *q, struct net_device *dev,
		    struct netdev_queue *txq, spinlock_t *root_lock)
{
	int ret = NETDEV_TX_BUSY;

	UL_TRACE(skb);
	/* And release qdisc */
	spin_unlock(root_lock);
	HARD_TX_LOCK(dev, txq, smp_processor_id());
	if (!netif_xmit_frozen_or_stopped(txq))
		ret = dev_hard_start_xmit(skb, dev, txq);
	HARD_TX_UNLOCK(dev, txq);
	spin_lock(root_lock);

	if (dev_xmit_complete(ret)) {
		/* Driver sent out skb successfully or skb was consumed */
		ret = qdisc_qlen(q);
	} else if (ret == NETDEV_TX_LOCKED) {
		/* Driver try lock failed */
		ret = handle_dev_cpu_collision(skb, txq, q);
	} else {
		/* Driver returned NETDEV_TX_BUSY - requeue skb */
		if (unlikely(ret != NETDEV_TX_BUSY))
			net_warn_ratelimited("BUG %s code %d qlen %d\n", dev->name, ret,
					     q->q.qlen);
		ret = dev_requeue_skb(skb, q);
	}
	if (ret && netif_xmit_frozen_or_stopped(txq))
		ret = 0;
	return ret;
}

/* Send one packet. Returns 0 when the queue is empty or the device is throttled, >0 when
 * more may be sent. */
static inline int qdisc_restart(struct Qdisc *q)
{
	struct netdev_queue *txq;
	struct net_device *dev;
	spinlock_t *root_lock;
	struct sk_buff *skb;

	UL_TRACE_FN();
	skb = dequeue_skb(q);
	if (unlikely(!skb))
		return 0;
	root_lock = qdisc_lock(q);
	dev = qdisc_dev(q);
	txq = netdev_get_tx_queue(dev, skb_get_queue_mapping(skb));
	return sch_direct_xmit(skb, q, dev, txq, root_lock);
}

void __qdisc_run(struct Qdisc *q)
{
	int quota = weight_p;

	UL_TRACE_FN();
	while (qdisc_restart(q)) {
		/* Quota exceeded: postpone the rest to NET_TX. */
		if (--quota <= 0) {
			__netif_schedule(q);
			break;
		}
	}
	qdisc_run_end(q);
}

/* ---- noop and noqueue ---- */

/* The qdisc of a device that is down: drops everything. */
static int noop_enqueue(struct sk_buff *skb, struct Qdisc *qdisc)
{
	UL_TRACE(skb);
	kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_DROP);
	return NET_XMIT_CN;
}

static struct sk_buff *noop_dequeue(struct Qdisc *qdisc)
{
	return NULL;
}

struct Qdisc_ops noop_qdisc_ops = {
	.id = "noop",
	.priv_size = 0,
	.enqueue = noop_enqueue,
	.dequeue = noop_dequeue,
	.peek = noop_dequeue,
};

static struct netdev_queue noop_netdev_queue = {
	.qdisc = &noop_qdisc,
	.qdisc_sleeping = &noop_qdisc,
	.xmit_lock_owner = -1,
};

struct Qdisc noop_qdisc = {
	.enqueue = noop_enqueue,
	.dequeue = noop_dequeue,
	.flags = TCQ_F_BUILTIN,
	.ops = &noop_qdisc_ops,
	.list = LIST_HEAD_INIT(noop_qdisc.list),
	.dev_queue = &noop_netdev_queue,
};

struct Qdisc_ops noqueue_qdisc_ops = {
	.id = "noqueue",
	.priv_size = 0,
	.enqueue = noop_enqueue,
	.dequeue = noop_dequeue,
	.peek = noop_dequeue,
};

/* enqueue is NULL: dev_queue_xmit hands packets straight to the driver (lo, tunnels). */
struct Qdisc noqueue_qdisc = {
	.enqueue = NULL,
	.dequeue = noop_dequeue,
	.flags = TCQ_F_BUILTIN,
	.ops = &noqueue_qdisc_ops,
	.list = LIST_HEAD_INIT(noqueue_qdisc.list),
	.dev_queue = &noop_netdev_queue,
};

/* ---- pfifo_fast ---- */

/* skb->priority (TC_PRIO_*) to band: 0 is served first. */
static const u8 prio2band[TC_PRIO_MAX + 1] = {
	1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1
};

#define PFIFO_FAST_BANDS 3

/* The lowest non-empty band, from a bitmap of non-empty bands. */
static const int bitmap2band[] = { -1, 0, 1, 0, 2, 0, 1, 0 };

struct pfifo_fast_priv {
	u32 bitmap;
	struct sk_buff_head q[PFIFO_FAST_BANDS];
};

static inline struct sk_buff_head *band2list(struct pfifo_fast_priv *priv, int band)
{
	return priv->q + band;
}

/* The limit is the device's txqueuelen across all bands (qlen counts a requeued skb too). */
static int pfifo_fast_enqueue(struct sk_buff *skb, struct Qdisc *qdisc)
{
	UL_TRACE(skb);
	if (skb_queue_len(&qdisc->q) < qdisc_dev(qdisc)->tx_queue_len) {
		int band = prio2band[skb->priority & TC_PRIO_MAX];
		struct pfifo_fast_priv *priv = qdisc_priv(qdisc);
		struct sk_buff_head *list = band2list(priv, band);

		priv->bitmap |= (1u << band);
		qdisc->q.qlen++;
		return __qdisc_enqueue_tail(skb, qdisc, list);
	}
	return qdisc_drop(skb, qdisc);
}

static struct sk_buff *pfifo_fast_dequeue(struct Qdisc *qdisc)
{
	struct pfifo_fast_priv *priv = qdisc_priv(qdisc);
	int band = bitmap2band[priv->bitmap];

	if (likely(band >= 0)) {
		struct sk_buff_head *list = band2list(priv, band);
		struct sk_buff *skb = __qdisc_dequeue_head(qdisc, list);

		qdisc->q.qlen--;
		if (skb_queue_empty(list))
			priv->bitmap &= ~(1u << band);
		return skb;
	}
	return NULL;
}

static struct sk_buff *pfifo_fast_peek(struct Qdisc *qdisc)
{
	struct pfifo_fast_priv *priv = qdisc_priv(qdisc);
	int band = bitmap2band[priv->bitmap];

	if (band >= 0)
		return skb_peek(band2list(priv, band));
	return NULL;
}

static void pfifo_fast_reset(struct Qdisc *qdisc)
{
	struct pfifo_fast_priv *priv = qdisc_priv(qdisc);
	int prio;

	for (prio = 0; prio < PFIFO_FAST_BANDS; prio++)
		__qdisc_reset_queue(qdisc, band2list(priv, prio));
	priv->bitmap = 0;
	qdisc->qstats.backlog = 0;
	qdisc->q.qlen = 0;
}

/* tc qdisc show: "bands 3 priomap  1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1" */
static int pfifo_fast_dump(struct Qdisc *qdisc, char *buf, size_t len)
{
	size_t off;
	int i, n;

	n = snprintf(buf, len, "bands %d priomap ", PFIFO_FAST_BANDS);
	if (n < 0)
		return -EINVAL;
	off = (size_t)n;
	for (i = 0; i <= TC_PRIO_MAX && off < len; i++) {
		n = snprintf(buf + off, len - off, " %u", prio2band[i]);
		if (n < 0)
			return -EINVAL;
		off += (size_t)n;
	}
	return off < len ? (int)off : -ENOSPC;
}

static int pfifo_fast_init(struct Qdisc *qdisc, const char *opt)
{
	struct pfifo_fast_priv *priv = qdisc_priv(qdisc);
	int prio;

	if (opt && *opt) {
		pr_err("pfifo_fast: takes no options (\"%s\")\n", opt);
		return -EINVAL;
	}
	for (prio = 0; prio < PFIFO_FAST_BANDS; prio++)
		__skb_queue_head_init(band2list(priv, prio));
	/* Can by-pass the queue discipline */
	qdisc->flags |= TCQ_F_CAN_BYPASS;
	return 0;
}

struct Qdisc_ops pfifo_fast_ops = {
	.id = "pfifo_fast",
	.priv_size = sizeof(struct pfifo_fast_priv),
	.enqueue = pfifo_fast_enqueue,
	.dequeue = pfifo_fast_dequeue,
	.peek = pfifo_fast_peek,
	.init = pfifo_fast_init,
	.reset = pfifo_fast_reset,
	.dump = pfifo_fast_dump,
};

/* ---- qdisc objects ---- */

/* Holds a reference on the device, as Linux. NULL on error. */
struct Qdisc *qdisc_alloc(struct netdev_queue *dev_queue, const struct Qdisc_ops *ops)
{
	struct Qdisc *sch;
	size_t size;
	char *p;

	size = QDISC_ALIGN(sizeof(*sch));
	size += (size_t)ops->priv_size + (QDISC_ALIGNTO - 1);
	p = kzalloc(size, GFP_KERNEL);
	if (!p)
		return NULL;
	sch = (struct Qdisc *)QDISC_ALIGN((unsigned long)p);
	sch->padded = (int)((char *)sch - p);
	INIT_LIST_HEAD(&sch->list);
	skb_queue_head_init(&sch->q);
	spin_lock_init(&sch->lock);
	sch->ops = ops;
	sch->enqueue = ops->enqueue;
	sch->dequeue = ops->dequeue;
	sch->dev_queue = dev_queue;
	dev_hold(qdisc_dev(sch));
	atomic_set(&sch->refcnt, 1);
	return sch;
}

struct Qdisc *qdisc_create_dflt(struct netdev_queue *dev_queue, const struct Qdisc_ops *ops,
				unsigned int parentid)
{
	struct Qdisc *sch = qdisc_alloc(dev_queue, ops);

	if (!sch)
		return NULL;
	sch->parent = parentid;
	if (!ops->init || ops->init(sch, NULL) == 0)
		return sch;
	qdisc_destroy(sch);
	return NULL;
}

/* Drop everything queued (reason QUEUE_PURGE), including a requeued skb. */
void qdisc_reset(struct Qdisc *qdisc)
{
	const struct Qdisc_ops *ops = qdisc->ops;

	if (ops->reset)
		ops->reset(qdisc);
	if (qdisc->gso_skb) {
		kfree_skb_reason(qdisc->gso_skb, SKB_DROP_REASON_QUEUE_PURGE);
		qdisc->gso_skb = NULL;
		qdisc->q.qlen = 0;
	}
}

void qdisc_destroy(struct Qdisc *qdisc)
{
	const struct Qdisc_ops *ops;

	if (!qdisc || (qdisc->flags & TCQ_F_BUILTIN) || !atomic_dec_and_test(&qdisc->refcnt))
		return;
	ops = qdisc->ops;
	list_del_init(&qdisc->list);
	dev_qdisc_unschedule(qdisc);
	if (ops->reset)
		ops->reset(qdisc);
	if (ops->destroy)
		ops->destroy(qdisc);
	kfree_skb_reason(qdisc->gso_skb, SKB_DROP_REASON_QUEUE_PURGE);
	qdisc->gso_skb = NULL;
	dev_put(qdisc_dev(qdisc));
	kfree((char *)qdisc - qdisc->padded);
}

/* Make @qdisc (NULL: noop) the configured qdisc of @dev_queue; the live one becomes noop
 * until dev_activate. Returns the old configured one for the caller to destroy. */
struct Qdisc *dev_graft_qdisc(struct netdev_queue *dev_queue, struct Qdisc *qdisc)
{
	struct Qdisc *oqdisc = dev_queue->qdisc_sleeping;
	spinlock_t *root_lock = qdisc_lock(oqdisc ? oqdisc : &noop_qdisc);

	spin_lock_bh(root_lock);
	/* Prune old scheduler */
	if (oqdisc && atomic_read(&oqdisc->refcnt) <= 1)
		qdisc_reset(oqdisc);
	/* ... and graft new one */
	if (qdisc == NULL)
		qdisc = &noop_qdisc;
	dev_queue->qdisc_sleeping = qdisc;
	rcu_assign_pointer(dev_queue->qdisc, &noop_qdisc);
	spin_unlock_bh(root_lock);
	return oqdisc;
}

static void attach_one_default_qdisc(struct net_device *dev, struct netdev_queue *dev_queue)
{
	struct Qdisc *qdisc = &noqueue_qdisc;

	if (dev->tx_queue_len) {
		qdisc = qdisc_create_dflt(dev_queue, &pfifo_fast_ops, TC_H_ROOT);
		if (!qdisc) {
			pr_info("%s: activation failed\n", dev->name);
			return;
		}
		if (!netif_is_multiqueue(dev))
			qdisc->flags |= TCQ_F_ONETXQUEUE;
	}
	dev_queue->qdisc_sleeping = qdisc;
}

/* DIVERGES: a multi-queue device gets pfifo_fast per queue and dev->qdisc is queue 0's
 * (Linux puts an mq root above them). */
static void attach_default_qdiscs(struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < dev->num_tx_queues; i++)
		attach_one_default_qdisc(dev, netdev_get_tx_queue(dev, i));
	dev->qdisc = netdev_get_tx_queue(dev, 0)->qdisc_sleeping;
	atomic_inc(&dev->qdisc->refcnt);
}

static void transition_one_qdisc(struct net_device *dev, struct netdev_queue *dev_queue,
				 int *need_watchdog_p)
{
	struct Qdisc *new_qdisc = dev_queue->qdisc_sleeping;

	if (!(new_qdisc->flags & TCQ_F_BUILTIN))
		clear_bit(__QDISC_STATE_DEACTIVATED, &new_qdisc->state);
	rcu_assign_pointer(dev_queue->qdisc, new_qdisc);
	if (need_watchdog_p && new_qdisc != &noqueue_qdisc) {
		dev_queue->trans_start = 0;
		*need_watchdog_p = 1;
	}
}

/* Default qdiscs on first use, then live, unless the carrier is off (activation waits for
 * netif_carrier_on). */
void dev_activate(struct net_device *dev)
{
	int need_watchdog = 0;
	unsigned int i;

	if (dev->qdisc == &noop_qdisc)
		attach_default_qdiscs(dev);
	if (!netif_carrier_ok(dev))
		return;
	for (i = 0; i < dev->num_tx_queues; i++)
		transition_one_qdisc(dev, netdev_get_tx_queue(dev, i), &need_watchdog);
	if (need_watchdog)
		dev->trans_start = jiffies;
}

static void dev_deactivate_queue(struct net_device *dev, struct netdev_queue *dev_queue,
				 struct Qdisc *qdisc_default)
{
	struct Qdisc *qdisc = dev_queue->qdisc;

	if (qdisc) {
		spin_lock_bh(qdisc_lock(qdisc));
		if (!(qdisc->flags & TCQ_F_BUILTIN))
			set_bit(__QDISC_STATE_DEACTIVATED, &qdisc->state);
		rcu_assign_pointer(dev_queue->qdisc, qdisc_default);
		qdisc_reset(qdisc);
		spin_unlock_bh(qdisc_lock(qdisc));
		if (!(qdisc->flags & TCQ_F_BUILTIN))
			dev_qdisc_unschedule(qdisc);
	}
}

void dev_deactivate_many(struct list_head *head)
{
	struct net_device *dev;
	unsigned int i;

	list_for_each_entry(dev, head, unreg_list)
		for (i = 0; i < dev->num_tx_queues; i++)
			dev_deactivate_queue(dev, netdev_get_tx_queue(dev, i), &noop_qdisc);
}

void dev_deactivate(struct net_device *dev)
{
	LIST_HEAD(single);

	list_add(&dev->unreg_list, &single);
	dev_deactivate_many(&single);
	list_del(&single);
}

void dev_init_scheduler(struct net_device *dev)
{
	unsigned int i;

	dev->qdisc = &noop_qdisc;
	for (i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *dev_queue = netdev_get_tx_queue(dev, i);

		dev_queue->qdisc = &noop_qdisc;
		dev_queue->qdisc_sleeping = &noop_qdisc;
	}
}

void dev_shutdown(struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *dev_queue = netdev_get_tx_queue(dev, i);
		struct Qdisc *qdisc = dev_queue->qdisc_sleeping;

		if (qdisc) {
			rcu_assign_pointer(dev_queue->qdisc, &noop_qdisc);
			dev_queue->qdisc_sleeping = &noop_qdisc;
			qdisc_destroy(qdisc);
		}
	}
	qdisc_destroy(dev->qdisc);
	dev->qdisc = &noop_qdisc;
}

/* tc qdisc replace dev DEV root KIND OPT. */
int qdisc_replace_root(struct net_device *dev, const char *kind, const char *opt)
{
	struct Qdisc_ops *ops;
	struct Qdisc *new;
	unsigned int i;
	bool up;
	int err;

	if (!dev || !kind)
		return -EINVAL;
	if (!strcmp(kind, "noqueue")) {
		new = &noqueue_qdisc;
	} else {
		ops = qdisc_lookup_ops(kind);
		if (!ops)
			return -ENOENT;
		new = qdisc_alloc(netdev_get_tx_queue(dev, 0), ops);
		if (!new)
			return -ENOMEM;
		new->parent = TC_H_ROOT;
		new->handle = 0x80010000u;	/* "8001:", as tc assigns the first one */
		err = ops->init ? ops->init(new, opt) : ((opt && *opt) ? -EINVAL : 0);
		if (err) {
			qdisc_destroy(new);
			return err;
		}
	}
	up = dev->flags & IFF_UP;
	if (up)
		dev_deactivate(dev);
	for (i = 0; i < dev->num_tx_queues; i++) {
		struct Qdisc *old = dev_graft_qdisc(netdev_get_tx_queue(dev, i), new);

		if (i > 0 && !(new->flags & TCQ_F_BUILTIN))
			atomic_inc(&new->refcnt);
		qdisc_destroy(old);
	}
	qdisc_destroy(dev->qdisc);
	if (!(new->flags & TCQ_F_BUILTIN))
		atomic_inc(&new->refcnt);
	dev->qdisc = new;
	if (up)
		dev_activate(dev);
	return 0;
}

/* ---- carrier ---- */

void netif_carrier_on(struct net_device *dev)
{
	if (test_and_clear_bit(__LINK_STATE_NOCARRIER, &dev->state)) {
		if (dev->reg_state == NETREG_UNINITIALIZED)
			return;
		linkwatch_fire_event(dev);
	}
}

void netif_carrier_off(struct net_device *dev)
{
	if (!test_and_set_bit(__LINK_STATE_NOCARRIER, &dev->state)) {
		if (dev->reg_state == NETREG_UNINITIALIZED)
			return;
		linkwatch_fire_event(dev);
	}
}

/* ---- boot ---- */

int pktsched_init(void)
{
	qdisc_base = NULL;
	return register_qdisc(&pfifo_fast_ops);
}

void pktsched_fini(void)
{
	qdisc_base = NULL;
}
