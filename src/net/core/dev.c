/* SPDX-License-Identifier: MIT */
/* The device-independent core of packet reception and transmission: NAPI and the softirqs,
 * the per-CPU backlog, protocol handlers and taps, dev_queue_xmit.
 * Mirrors linux/net/core/dev.c (3.10): dev_add_pack, __dev_remove_pack, netif_rx,
 * enqueue_to_backlog, get_rps_cpu, rps_ipi_queued, rps_trigger_softirq,
 * net_rps_action_and_irq_enable, netif_receive_skb, __netif_receive_skb_core, deliver_skb,
 * process_backlog, net_rx_action, __napi_schedule, napi_complete,
 * dev_queue_xmit, __dev_xmit_skb, dev_hard_start_xmit, dev_queue_xmit_nit, __netif_schedule,
 * net_tx_action, dev_kfree_skb_irq, skb_checksum_help, net_dev_init.
 * Device registration and configuration are in dev_register.c (Linux's dev.c too, split
 * here for size); GRO (napi_gro_receive) is in gro.c, software GSO in gso.c.
 *
 * Receive chain (book ch2/ch5): netif_rx -> enqueue_to_backlog -> ____napi_schedule ->
 * NET_RX_SOFTIRQ -> net_rx_action -> process_backlog (or a driver's poll) ->
 * __netif_receive_skb -> __netif_receive_skb_core -> ptype_all taps, rx_handler, ptype_base.
 * Transmit chain (ch4): dev_queue_xmit -> __dev_xmit_skb -> (qdisc) -> sch_direct_xmit ->
 * dev_hard_start_xmit -> dev_queue_xmit_nit (taps) -> ndo_start_xmit.
 *
 * Per-CPU state (softnet_data) is only touched by its own CPU with bottom halves disabled,
 * except input_pkt_queue (rps_lock: its own spinlock). */
#include "linux/netdevice.h"
#include "net/dst.h"
#include "arch/arch.h"
#include "linux/errno.h"
#include "linux/etherdevice.h"
#include "linux/hardirq.h"
#include "linux/interrupt.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/ktime.h"
#include "linux/sched.h"
#include "linux/skbuff.h"
#include "linux/spinlock.h"
#include "net/dropreason.h"
#include "net/gro.h"
#include "net/net_namespace.h"
#include "net/pkt_sched.h"
#include "net/sch_generic.h"
#include "trace/path.h"
#include "net/core/dev.h"

/* net.core sysctls owned by dev.c (3.10 defaults; facts.md §1.1). */
int netdev_max_backlog = 1000;
int netdev_tstamp_prequeue = 1;
int netdev_budget = 300;
int weight_p = 64;

DEFINE_PER_CPU(struct softnet_data, softnet_data);
static DEFINE_PER_CPU(int, xmit_recursion);
#define RECURSION_LIMIT 10

static DEFINE_SPINLOCK(ptype_lock);
struct list_head ptype_base[PTYPE_HASH_SIZE];
struct list_head ptype_all;

/* Timestamps on receive are taken only while some socket asked for them. */
static atomic_t netstamp_needed;

void net_enable_timestamp(void)
{
	atomic_inc(&netstamp_needed);
}

void net_disable_timestamp(void)
{
	if (atomic_read(&netstamp_needed) > 0)
		atomic_dec(&netstamp_needed);
}

static inline void net_timestamp_set(struct sk_buff *skb)
{
	skb->tstamp = 0;
	if (atomic_read(&netstamp_needed))
		skb->tstamp = ktime_get_real();
}

/* A macro, as in 3.10: @cond (a sysctl) is read only when someone wants timestamps. */
#define net_timestamp_check(cond, skb)						\
	do {									\
		if (unlikely(atomic_read(&netstamp_needed)) && (cond) && !(skb)->tstamp) \
			(skb)->tstamp = ktime_get_real();				\
	} while (0)

/* rps_lock: the only cross-CPU access to a softnet_data. */
static inline void rps_lock(struct softnet_data *sd)
{
	spin_lock(&sd->input_pkt_queue.lock);
}

static inline void rps_unlock(struct softnet_data *sd)
{
	spin_unlock(&sd->input_pkt_queue.lock);
}

/* ---- protocol handlers ---- */

static inline struct list_head *ptype_head(const struct packet_type *pt)
{
	if (pt->type == htons(ETH_P_ALL))
		return &ptype_all;
	return &ptype_base[ntohs(pt->type) & PTYPE_HASH_MASK];
}

/* Newest first, as Linux (list_add_rcu at the head). Context: process. */
void dev_add_pack(struct packet_type *pt)
{
	struct list_head *head = ptype_head(pt);

	spin_lock(&ptype_lock);
	list_add(&pt->list, head);
	spin_unlock(&ptype_lock);
}

void __dev_remove_pack(struct packet_type *pt)
{
	struct list_head *head = ptype_head(pt);
	struct packet_type *pt1;

	spin_lock(&ptype_lock);
	list_for_each_entry(pt1, head, list) {
		if (pt == pt1) {
			list_del(&pt->list);
			goto out;
		}
	}
	pr_warn("dev_remove_pack: %p not found\n", (void *)pt);
out:
	spin_unlock(&ptype_lock);
}

void dev_remove_pack(struct packet_type *pt)
{
	__dev_remove_pack(pt);
	synchronize_rcu();
}

int netdev_rx_handler_register(struct net_device *dev, rx_handler_func_t *rx_handler,
			       void *rx_handler_data)
{
	if (dev->rx_handler)
		return -EBUSY;
	/* rx_handler_data must be set before rx_handler */
	rcu_assign_pointer(dev->rx_handler_data, rx_handler_data);
	rcu_assign_pointer(dev->rx_handler, rx_handler);
	return 0;
}

void netdev_rx_handler_unregister(struct net_device *dev)
{
	dev->rx_handler = NULL;
	dev->rx_handler_data = NULL;
}

/* ---- transmit ---- */

static void __netif_reschedule(struct Qdisc *q)
{
	struct softnet_data *sd;
	unsigned long flags;

	local_irq_save(flags);
	sd = &__get_cpu_var(softnet_data);
	rps_lock(sd);
	q->next_sched = NULL;
	*sd->output_queue_tailp = q;
	sd->output_queue_tailp = &q->next_sched;
	rps_unlock(sd);
	raise_softirq_irqoff(NET_TX_SOFTIRQ);
	local_irq_restore(flags);
}

/* Ask NET_TX on this CPU to run @q (queue restarted, or quota used up). */
void __netif_schedule(struct Qdisc *q)
{
	UL_TRACE_FN();
	if (!test_and_set_bit(__QDISC_STATE_SCHED, &q->state))
		__netif_reschedule(q);
}

void dev_qdisc_unschedule(struct Qdisc *q)
{
	int cpu;

	if (!test_bit(__QDISC_STATE_SCHED, &q->state))
		return;
	for_each_possible_cpu(cpu) {
		struct softnet_data *sd = &per_cpu(softnet_data, cpu);
		struct Qdisc **pp;

		rps_lock(sd);
		for (pp = &sd->output_queue; *pp; pp = &(*pp)->next_sched) {
			if (*pp == q) {
				*pp = q->next_sched;
				if (sd->output_queue_tailp == &q->next_sched)
					sd->output_queue_tailp = pp;
				q->next_sched = NULL;
				break;
			}
		}
		rps_unlock(sd);
	}
	clear_bit(__QDISC_STATE_SCHED, &q->state);
}

void netif_tx_wake_queue(struct netdev_queue *dev_queue)
{
	if (test_and_clear_bit(__QUEUE_STATE_DRV_XOFF, &dev_queue->state)) {
		struct Qdisc *q = rcu_dereference(dev_queue->qdisc);

		if (q)
			__netif_schedule(q);
	}
}

/* Context: hard IRQ (TX completion): the free is deferred to NET_TX on this CPU.
 * DIVERGES: the skb is treated as consumed (3.10 traced it as kfree_skb). */
void dev_kfree_skb_irq(struct sk_buff *skb)
{
	UL_TRACE(skb);
	if (!skb)
		return;
	if (atomic_dec_and_test(&skb->users)) {
		struct softnet_data *sd;
		unsigned long flags;

		local_irq_save(flags);
		sd = &__get_cpu_var(softnet_data);
		skb->next = sd->completion_queue;
		sd->completion_queue = skb;
		raise_softirq_irqoff(NET_TX_SOFTIRQ);
		local_irq_restore(flags);
	}
}

void dev_kfree_skb_any(struct sk_buff *skb)
{
	if (in_irq())
		dev_kfree_skb_irq(skb);
	else
		dev_kfree_skb(skb);
}

/* Give a copy of an outgoing packet to every tap but the one that sent it (tcpdump sees TX
 * packets as PACKET_OUTGOING). Context: BH off. */
void dev_queue_xmit_nit(struct sk_buff *skb, struct net_device *dev)
{
	struct packet_type *ptype;
	struct sk_buff *skb2 = NULL;
	struct packet_type *pt_prev = NULL;

	UL_TRACE(skb);
	rcu_read_lock();
	list_for_each_entry(ptype, &ptype_all, list) {
		/* Never send packets back to the socket they originated from. */
		if ((ptype->dev == dev || !ptype->dev) &&
		    (ptype->af_packet_priv == NULL ||
		     (struct sock *)ptype->af_packet_priv != skb->sk)) {
			if (pt_prev) {
				atomic_inc(&skb2->users);
				pt_prev->func(skb2, skb->dev, pt_prev, skb->dev);
				pt_prev = ptype;
				continue;
			}
			skb2 = skb_clone(skb, GFP_ATOMIC);
			if (!skb2)
				break;
			net_timestamp_set(skb2);
			/* The sender sets the network header; protect against buggy ones. */
			skb_reset_mac_header(skb2);
			if (skb_network_header(skb2) < skb2->data ||
			    skb2->network_header > skb2->tail) {
				net_crit_ratelimited("protocol %04x is buggy, dev %s\n",
						     ntohs(skb2->protocol), dev->name);
				skb_reset_network_header(skb2);
			}
			skb2->transport_header = skb2->network_header;
			skb2->pkt_type = PACKET_OUTGOING;
			pt_prev = ptype;
		}
	}
	if (pt_prev)
		pt_prev->func(skb2, skb->dev, pt_prev, skb->dev);
	rcu_read_unlock();
}

static inline bool skb_clone_writable(const struct sk_buff *skb, unsigned int len)
{
	return !skb_header_cloned(skb) && skb_headroom(skb) + len <= skb->hdr_len;
}

/* Fill in a CHECKSUM_PARTIAL checksum in software (the device cannot). */
int skb_checksum_help(struct sk_buff *skb)
{
	__wsum csum;
	int ret = 0, offset;

	UL_TRACE(skb);
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		goto out_set_summed;
	if (unlikely(skb_shinfo(skb)->gso_size))
		goto out_set_summed;	/* GSO fixes it up per segment */
	offset = skb_checksum_start_offset(skb);
	if (offset < 0 || offset >= (int)skb_headlen(skb)) {
		net_warn_ratelimited("skb_checksum_help: csum_start %d outside the head\n", offset);
		return -EINVAL;
	}
	csum = skb_checksum(skb, offset, (int)skb->len - offset, 0);
	offset += skb->csum_offset;
	if (offset + (int)sizeof(__sum16) > (int)skb_headlen(skb)) {
		net_warn_ratelimited("skb_checksum_help: csum_offset outside the head\n");
		return -EINVAL;
	}
	if (skb_cloned(skb) && !skb_clone_writable(skb, (unsigned int)offset + sizeof(__sum16))) {
		ret = pskb_expand_head(skb, 0, 0, GFP_ATOMIC);
		if (ret)
			return ret;
	}
	{
		__sum16 folded = csum_fold(csum);

		memcpy(skb->data + offset, &folded, sizeof(folded));
	}
out_set_summed:
	skb->ip_summed = CHECKSUM_NONE;
	return ret;
}

static bool can_checksum_protocol(netdev_features_t features, __be16 protocol)
{
	return (features & NETIF_F_HW_CSUM) ||
	       ((features & NETIF_F_V4_CSUM) && protocol == htons(ETH_P_IP)) ||
	       ((features & NETIF_F_IPV6_CSUM) && protocol == htons(ETH_P_IPV6));
}

static netdev_features_t netif_skb_features(struct sk_buff *skb)
{
	netdev_features_t features = skb->dev->features;

	if (skb_shinfo(skb)->gso_segs > skb->dev->gso_max_segs)
		features &= ~NETIF_F_GSO_MASK;
	if (!can_checksum_protocol(features, skb->protocol))
		features &= ~NETIF_F_ALL_CSUM;
	return features;
}

static bool netif_needs_gso(const struct sk_buff *skb, netdev_features_t features)
{
	netdev_features_t feature;

	if (!skb_is_gso(skb))
		return false;
	feature = (netdev_features_t)skb_shinfo(skb)->gso_type << NETIF_F_GSO_SHIFT;
	if ((features & feature) != feature)
		return true;
	if (skb_has_frag_list(skb) && !(features & NETIF_F_FRAGLIST))
		return true;
	return skb->ip_summed != CHECKSUM_PARTIAL && skb->ip_summed != CHECKSUM_UNNECESSARY;
}

/* Context: BH off, @txq locked unless the device is LLTX. */
int dev_hard_start_xmit(struct sk_buff *skb, struct net_device *dev, struct netdev_queue *txq)
{
	const struct net_device_ops *ops = dev->netdev_ops;
	netdev_features_t features;
	int rc = NETDEV_TX_OK;

	UL_TRACE(skb);
	/* If the device doesn't need skb->dst, release it right now while it is hot. */
	if (dev->priv_flags & IFF_XMIT_DST_RELEASE)
		skb_dst_drop(skb);
	features = netif_skb_features(skb);
	if (netif_needs_gso(skb, features))
		return dev_gso_xmit(skb, dev, txq, features);	/* gso.c */
	/* skb_needs_linearize: a frag_list without NETIF_F_FRAGLIST, page frags without
	 * NETIF_F_SG. */
	if (skb_is_nonlinear(skb) &&
	    ((skb_has_frag_list(skb) && !(features & NETIF_F_FRAGLIST)) ||
	     (skb_shinfo(skb)->nr_frags && !(features & NETIF_F_SG))) &&
	    __skb_linearize(skb)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return rc;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		skb_set_transport_header(skb, skb_checksum_start_offset(skb));
		if (!(features & NETIF_F_ALL_CSUM) && skb_checksum_help(skb)) {
			kfree_skb_reason(skb, SKB_DROP_REASON_SKB_CSUM);
			return rc;
		}
	}
	if (!list_empty(&ptype_all))
		dev_queue_xmit_nit(skb, dev);
	rc = ops->ndo_start_xmit(skb, dev);
	if (rc == NETDEV_TX_OK)
		txq_trans_update(txq);
	return rc;
}

/* The TX queue of a multi-queue device. DIVERGES: no XPS and no socket hash yet: the
 * recorded RX queue, else the flow hash (or protocol) scaled to the queue count. */
struct netdev_queue *netdev_pick_tx(struct net_device *dev, struct sk_buff *skb)
{
	unsigned int queue_index = 0;

	if (dev->real_num_tx_queues != 1) {
		const struct net_device_ops *ops = dev->netdev_ops;

		if (ops->ndo_select_queue) {
			queue_index = ops->ndo_select_queue(dev, skb);
		} else if (skb_rx_queue_recorded(skb)) {
			queue_index = skb_get_rx_queue(skb) % dev->real_num_tx_queues;
		} else {
			u32 hash = skb->rxhash ? skb->rxhash : (u32)skb->protocol * 0x9e3779b1u;

			queue_index = (unsigned int)(((u64)hash * dev->real_num_tx_queues) >> 32);
		}
		if (unlikely(queue_index >= dev->real_num_tx_queues)) {
			net_warn_ratelimited("%s selects TX queue %u, but real number of TX queues is %u\n",
					     dev->name, queue_index, dev->real_num_tx_queues);
			queue_index = 0;
		}
	}
	skb_set_queue_mapping(skb, (u16)queue_index);
	return netdev_get_tx_queue(dev, queue_index);
}

/* Bytes the qdisc accounts: the wire size of every segment of a GSO packet. */
static void qdisc_pkt_len_init(struct sk_buff *skb)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);

	qdisc_skb_cb(skb)->pkt_len = skb->len;
	if (shinfo->gso_size && skb_transport_header_was_set(skb) &&
	    skb_mac_header_was_set(skb)) {
		unsigned int hdr_len = (unsigned int)(skb_transport_header(skb) -
						      skb_mac_header(skb));
		u16 gso_segs = shinfo->gso_segs;

		if (shinfo->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6))
			hdr_len += (skb_transport_header(skb)[12] >> 4) * 4u; /* tcp doff */
		else
			hdr_len += 8;	/* struct udphdr */
		if (shinfo->gso_type & SKB_GSO_DODGY)
			gso_segs = (u16)DIV_ROUND_UP(skb->len - hdr_len, shinfo->gso_size);
		if (gso_segs)
			qdisc_skb_cb(skb)->pkt_len += (gso_segs - 1) * hdr_len;
	}
}

static int __dev_xmit_skb(struct sk_buff *skb, struct Qdisc *q, struct net_device *dev,
			  struct netdev_queue *txq)
{
	spinlock_t *root_lock = qdisc_lock(q);
	int rc;

	UL_TRACE(skb);
	qdisc_pkt_len_init(skb);
	spin_lock(root_lock);
	if (unlikely(test_bit(__QDISC_STATE_DEACTIVATED, &q->state))) {
		kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_DROP);
		rc = NET_XMIT_DROP;
	} else if ((q->flags & TCQ_F_CAN_BYPASS) && !qdisc_qlen(q) && qdisc_run_begin(q)) {
		/* A work-conserving queue with nothing waiting and nobody running it:
		 * send directly. */
		qdisc_bstats_update(q, skb);
		if (sch_direct_xmit(skb, q, dev, txq, root_lock))
			__qdisc_run(q);
		else
			qdisc_run_end(q);
		rc = NET_XMIT_SUCCESS;
	} else {
		skb_dst_force(skb);
		rc = q->enqueue(skb, q) & NET_XMIT_MASK;
		if (qdisc_run_begin(q))
			__qdisc_run(q);
	}
	spin_unlock(root_lock);
	return rc;
}

void netif_tx_lock(struct net_device *dev)
{
	unsigned int i;
	int cpu = smp_processor_id();

	for (i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *txq = netdev_get_tx_queue(dev, i);

		__netif_tx_lock(txq, cpu);
		set_bit(__QUEUE_STATE_FROZEN, &txq->state);
		__netif_tx_unlock(txq);
	}
}

void netif_tx_unlock(struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *txq = netdev_get_tx_queue(dev, i);

		clear_bit(__QUEUE_STATE_FROZEN, &txq->state);
		netif_tx_wake_queue(txq);	/* reschedules a qdisc that waited */
		if (!netif_xmit_stopped(txq) && txq->qdisc)
			__netif_schedule(txq->qdisc);
	}
}

/* Transmit @skb on skb->dev. Consumes @skb. Context: process or softirq; bottom halves are
 * disabled inside (rcu_read_lock_bh), so a softirq raised here (loopback's NET_RX) runs
 * when this returns. */
int dev_queue_xmit(struct sk_buff *skb)
{
	struct net_device *dev = skb ? skb->dev : NULL;
	struct netdev_queue *txq;
	struct Qdisc *q;
	int rc = -ENOMEM;

	UL_TRACE(skb);
	if (unlikely(!skb))
		return -EINVAL;
	if (unlikely(!dev)) {
		net_warn_ratelimited("dev_queue_xmit: skb without a device\n");
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		return -EINVAL;
	}
	skb_reset_mac_header(skb);
	rcu_read_lock_bh();
	txq = netdev_pick_tx(dev, skb);
	q = rcu_dereference_bh(txq->qdisc);
	if (q && q->enqueue) {
		rc = __dev_xmit_skb(skb, q, dev, txq);
		goto out;
	}

	/* The device has no queue: loopback, tunnels... */
	if (dev->flags & IFF_UP) {
		int cpu = smp_processor_id();

		if (txq->xmit_lock_owner != cpu) {
			if (__get_cpu_var(xmit_recursion) > RECURSION_LIMIT)
				goto recursion_alert;
			HARD_TX_LOCK(dev, txq, cpu);
			if (!netif_xmit_stopped(txq)) {
				__get_cpu_var(xmit_recursion)++;
				rc = dev_hard_start_xmit(skb, dev, txq);
				__get_cpu_var(xmit_recursion)--;
				if (dev_xmit_complete(rc)) {
					HARD_TX_UNLOCK(dev, txq);
					goto out;
				}
			}
			HARD_TX_UNLOCK(dev, txq);
			net_crit_ratelimited("Virtual device %s asks to queue packet!\n", dev->name);
		} else {
recursion_alert:
			net_crit_ratelimited("Dead loop on virtual device %s, fix it urgently!\n",
					     dev->name);
		}
	}
	rc = -ENETDOWN;
	rcu_read_unlock_bh();
	kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
	return rc;
out:
	rcu_read_unlock_bh();
	return rc;
}

/* NET_TX_SOFTIRQ: free what TX completions left, run the qdiscs that asked for it. */
static void net_tx_action(struct softirq_action *h)
{
	struct softnet_data *sd = &__get_cpu_var(softnet_data);

	UL_TRACE_FN();
	if (sd->completion_queue) {
		struct sk_buff *clist;

		local_irq_disable();
		clist = sd->completion_queue;
		sd->completion_queue = NULL;
		local_irq_enable();
		while (clist) {
			struct sk_buff *skb = clist;

			clist = clist->next;
			WARN_ON(atomic_read(&skb->users));
			__kfree_skb(skb);
		}
	}
	if (sd->output_queue) {
		struct Qdisc *head;

		local_irq_disable();
		rps_lock(sd);
		head = sd->output_queue;
		sd->output_queue = NULL;
		sd->output_queue_tailp = &sd->output_queue;
		rps_unlock(sd);
		local_irq_enable();
		while (head) {
			struct Qdisc *q = head;
			spinlock_t *root_lock;

			head = head->next_sched;
			root_lock = qdisc_lock(q);
			if (spin_trylock(root_lock)) {
				smp_mb__before_clear_bit();
				clear_bit(__QDISC_STATE_SCHED, &q->state);
				qdisc_run(q);
				spin_unlock(root_lock);
			} else if (!test_bit(__QDISC_STATE_DEACTIVATED, &q->state)) {
				__netif_reschedule(q);
			} else {
				smp_mb__before_clear_bit();
				clear_bit(__QDISC_STATE_SCHED, &q->state);
			}
		}
	}
}

/* ---- receive ---- */

static inline void ____napi_schedule(struct softnet_data *sd, struct napi_struct *napi)
{
	list_add_tail(&napi->poll_list, &sd->poll_list);
	__raise_softirq_irqoff(NET_RX_SOFTIRQ);
}

/* ---- RPS (Receive Packet Steering) ---- */

/* Queues with an rps_cpus map (3.10: the rps_needed static key). */
atomic_t rps_needed;

/* The CPU that should process @skb: its RX queue's map indexed by the flow hash scaled to
 * the map's length, or -1 (no map, no hash, or an offline CPU: process it here).
 * DIVERGES: no RFS (rps_sock_flow_table, rps_dev_flow): the map alone decides. */
int get_rps_cpu(struct net_device *dev, struct sk_buff *skb)
{
	struct netdev_rx_queue *rxqueue, *rx = READ_ONCE(dev->_rx);
	struct rps_map *map;
	u16 tcpu;

	if (!rx)
		return -1;
	rxqueue = rx;
	if (skb_rx_queue_recorded(skb)) {
		u16 index = skb_get_rx_queue(skb);

		if (unlikely(index >= dev->real_num_rx_queues)) {
			net_warn_ratelimited("%s received packet on queue %u, but number of "
					     "RX queues is %u\n", dev->name, index,
					     dev->real_num_rx_queues);
			return -1;
		}
		rxqueue = rx + index;
	}
	map = READ_ONCE(rxqueue->rps_map);
	if (!map)
		return -1;
	if (map->len == 1) {
		tcpu = map->cpus[0];
		return tcpu < nr_cpu_ids ? tcpu : -1;
	}
	skb_reset_network_header(skb);
	if (!skb_get_rxhash(skb))
		return -1;
	tcpu = map->cpus[((u64)skb->rxhash * map->len) >> 32];
	return tcpu < nr_cpu_ids ? tcpu : -1;
}

/* The IPI's handler on the target CPU (3.10 rps_trigger_softirq): schedule its backlog NAPI
 * and count the IPI in softnet_stat's received_rps and /proc/interrupts' CAL row.
 * Context: hard IRQ on sd's CPU (ul_call_at's idle context, entered as an interrupt). */
static void rps_trigger_softirq(void *data)
{
	struct softnet_data *sd = data;

	irq_enter();
	kstat_incr_ipi_call();
	if (WARN_ON_ONCE(smp_processor_id() != sd->cpu)) {
		irq_exit();
		return;
	}
	____napi_schedule(sd, &sd->backlog);
	sd->received_rps++;
	irq_exit();
}

/* @sd (another CPU's) had its backlog scheduled by this CPU: remember to send it an IPI when
 * this CPU's NET_RX ends, and make sure NET_RX runs here. 1 if queued, 0 if @sd is ours. */
static int rps_ipi_queued(struct softnet_data *sd)
{
	struct softnet_data *mysd = &__get_cpu_var(softnet_data);
	struct softnet_data *head;

	if (sd == mysd)
		return 0;
	head = __atomic_load_n(&mysd->rps_ipi_list, __ATOMIC_ACQUIRE);
	do {
		sd->rps_ipi_next = head;
	} while (!__atomic_compare_exchange_n(&mysd->rps_ipi_list, &head, sd, false,
					      __ATOMIC_RELEASE, __ATOMIC_ACQUIRE));
	__raise_softirq_irqoff(NET_RX_SOFTIRQ);
	return 1;
}

/* Send the IPIs rps_ipi_queued collected: the other CPUs' backlogs start only now, after this
 * CPU's whole NET_RX round (one IPI per CPU per round, however many packets it was given).
 * DIVERGES: the IPI is a call on the target CPU at the current time (ul_call_at), entered as
 * an interrupt. */
static void net_rps_action_and_irq_enable(struct softnet_data *sd)
{
	struct softnet_data *remsd = __atomic_exchange_n(&sd->rps_ipi_list, NULL,
							 __ATOMIC_ACQ_REL);
	int n = 0;

	local_irq_enable();
	while (remsd && n++ < NR_CPUS) {
		struct softnet_data *next = remsd->rps_ipi_next;

		if (remsd->cpu < nr_cpu_ids &&
		    ul_call_at(ul_clock_ns(), remsd->cpu, rps_trigger_softirq, remsd))
			pr_warn("RPS: cannot send the IPI to CPU %d\n", remsd->cpu);
		remsd = next;
	}
}

/* Queue @skb on @cpu's backlog. Up to netdev_max_backlog + 1 packets fit (the test is
 * qlen <= max, 3.10; facts.md §3.11); the first one schedules the backlog NAPI. */
static int enqueue_to_backlog(struct sk_buff *skb, int cpu, unsigned int *qtail)
{
	struct softnet_data *sd = &per_cpu(softnet_data, cpu);
	unsigned long flags;
	unsigned int qlen;

	UL_TRACE(skb);
	local_irq_save(flags);
	rps_lock(sd);
	qlen = skb_queue_len(&sd->input_pkt_queue);
	if (qlen <= (unsigned int)netdev_max_backlog) {
		if (!qlen) {
			/* Schedule NAPI for the backlog device: here, or on another CPU by an IPI
			 * (RPS) once this CPU's NET_RX round ends. */
			if (!test_and_set_bit(NAPI_STATE_SCHED, &sd->backlog.state) &&
			    !rps_ipi_queued(sd))
				____napi_schedule(sd, &sd->backlog);
		}
		__skb_queue_tail(&sd->input_pkt_queue, skb);
		*qtail = ++sd->input_queue_tail;
		rps_unlock(sd);
		local_irq_restore(flags);
		return NET_RX_SUCCESS;
	}
	sd->dropped++;
	rps_unlock(sd);
	local_irq_restore(flags);
	atomic_long_inc(&skb->dev->rx_dropped);
	kfree_skb_reason(skb, SKB_DROP_REASON_CPU_BACKLOG);
	return NET_RX_DROP;
}

int netif_rx(struct sk_buff *skb)
{
	unsigned int qtail;
	int ret, cpu;

	UL_TRACE(skb);
	if (unlikely(!skb))
		return NET_RX_DROP;
	if (unlikely(!skb->dev)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		return NET_RX_DROP;
	}
	net_timestamp_check(netdev_tstamp_prequeue, skb);
	preempt_disable();
	cpu = atomic_read(&rps_needed) ? get_rps_cpu(skb->dev, skb) : -1;
	if (cpu < 0)
		cpu = smp_processor_id();
	ret = enqueue_to_backlog(skb, cpu, &qtail);
	preempt_enable();
	return ret;
}

/* netif_rx from process context: run the softirq it raised now. */
int netif_rx_ni(struct sk_buff *skb)
{
	int err;

	UL_TRACE(skb);
	local_bh_disable();
	err = netif_rx(skb);
	local_bh_enable();
	return err;
}

static inline int deliver_skb(struct sk_buff *skb, struct packet_type *pt_prev,
			      struct net_device *orig_dev)
{
	UL_TRACE(skb);
	atomic_inc(&skb->users);
	return pt_prev->func(skb, skb->dev, pt_prev, orig_dev);
}

/* Taps first (tcpdump sees the packet before any protocol), then the device's rx_handler
 * (bridge), then the handler of skb->protocol. Without one, the packet is dropped and
 * counted in the device's rx_dropped (3.10) unless a tap took it. Context: softirq. */
static int __netif_receive_skb_core(struct sk_buff *skb, bool pfmemalloc)
{
	struct packet_type *ptype, *pt_prev;
	rx_handler_func_t *rx_handler;
	struct net_device *orig_dev;
	struct net_device *null_or_dev;
	bool deliver_exact = false;
	int ret = NET_RX_DROP;
	unsigned int rounds = 0;
	__be16 type;

	UL_TRACE(skb);
	net_timestamp_check(!netdev_tstamp_prequeue, skb);
	orig_dev = skb->dev;
	skb_reset_network_header(skb);
	if (!skb_transport_header_was_set(skb))
		skb_reset_transport_header(skb);
	skb_reset_mac_len(skb);
	pt_prev = NULL;
	rcu_read_lock();

another_round:
	skb->skb_iif = skb->dev->ifindex;
	__get_cpu_var(softnet_data).processed++;

	list_for_each_entry(ptype, &ptype_all, list) {
		if (!ptype->dev || ptype->dev == skb->dev) {
			if (pt_prev)
				ret = deliver_skb(skb, pt_prev, orig_dev);
			pt_prev = ptype;
		}
	}

	rx_handler = rcu_dereference(skb->dev->rx_handler);
	if (rx_handler) {
		if (pt_prev) {
			ret = deliver_skb(skb, pt_prev, orig_dev);
			pt_prev = NULL;
		}
		switch (rx_handler(&skb)) {
		case RX_HANDLER_CONSUMED:
			ret = NET_RX_SUCCESS;
			goto unlock;
		case RX_HANDLER_ANOTHER:
			if (++rounds > 8) {
				net_crit_ratelimited("%s: rx_handler loop\n", skb->dev->name);
				goto drop;
			}
			goto another_round;
		case RX_HANDLER_EXACT:
			deliver_exact = true;
			break;
		case RX_HANDLER_PASS:
			break;
		default:
			BUG();
		}
	}

	/* Deliver only exact matches when indicated. */
	null_or_dev = deliver_exact ? skb->dev : NULL;
	type = skb->protocol;
	list_for_each_entry(ptype, &ptype_base[ntohs(type) & PTYPE_HASH_MASK], list) {
		if (ptype->type == type &&
		    (ptype->dev == null_or_dev || ptype->dev == skb->dev ||
		     ptype->dev == orig_dev)) {
			if (pt_prev)
				ret = deliver_skb(skb, pt_prev, orig_dev);
			pt_prev = ptype;
		}
	}

	if (pt_prev) {
		ret = pt_prev->func(skb, skb->dev, pt_prev, orig_dev);
	} else {
drop:
		atomic_long_inc(&skb->dev->rx_dropped);
		kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
		ret = NET_RX_DROP;
	}
unlock:
	rcu_read_unlock();
	(void)pfmemalloc;
	return ret;
}

int __netif_receive_skb(struct sk_buff *skb)
{
	UL_TRACE(skb);
	return __netif_receive_skb_core(skb, false);
}

/* Context: softirq (a NAPI poll). Consumes @skb. With an RPS map on the packet's RX queue,
 * the packet goes to the chosen CPU's backlog (even this CPU's) instead. */
int netif_receive_skb(struct sk_buff *skb)
{
	UL_TRACE(skb);
	net_timestamp_check(netdev_tstamp_prequeue, skb);
	if (atomic_read(&rps_needed)) {
		int cpu = get_rps_cpu(skb->dev, skb);
		unsigned int qtail;

		if (cpu >= 0)
			return enqueue_to_backlog(skb, cpu, &qtail);
	}
	return __netif_receive_skb(skb);
}

/* napi_gro_receive and napi_gro_flush live in gro.c. */

/* Drop the packets of @dev still waiting on this CPU's backlog (unregistration). */
static void flush_backlog_cpu(struct softnet_data *sd, struct net_device *dev)
{
	struct sk_buff *skb, *tmp;

	rps_lock(sd);
	skb_queue_walk_safe(&sd->input_pkt_queue, skb, tmp) {
		if (skb->dev == dev) {
			__skb_unlink(skb, &sd->input_pkt_queue);
			kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
			sd->input_queue_head++;
		}
	}
	rps_unlock(sd);
	skb_queue_walk_safe(&sd->process_queue, skb, tmp) {
		if (skb->dev == dev) {
			__skb_unlink(skb, &sd->process_queue);
			kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
			sd->input_queue_head++;
		}
	}
}

/* DIVERGES: Linux runs flush_backlog on each CPU (on_each_cpu); ulnet walks them all from
 * the unregistering context. */
void flush_backlog_dev(struct net_device *dev)
{
	int cpu;

	for_each_possible_cpu(cpu)
		flush_backlog_cpu(&per_cpu(softnet_data, cpu), dev);
}

/* The backlog NAPI's poll: drain process_queue, refill it from input_pkt_queue under the
 * lock, and complete when less than the remaining quota was waiting. */
static int process_backlog(struct napi_struct *napi, int quota)
{
	struct softnet_data *sd = container_of(napi, struct softnet_data, backlog);
	int work = 0;

	UL_TRACE_FN();
	/* Send the IPIs this CPU owes first, so the other CPUs work in parallel with us. */
	if (READ_ONCE(sd->rps_ipi_list)) {
		local_irq_disable();
		net_rps_action_and_irq_enable(sd);
	}
	napi->weight = weight_p;
	local_irq_disable();
	while (work < quota) {
		struct sk_buff *skb;
		unsigned int qlen;

		while ((skb = __skb_dequeue(&sd->process_queue))) {
			local_irq_enable();
			__netif_receive_skb(skb);
			local_irq_disable();
			sd->input_queue_head++;
			if (++work >= quota) {
				local_irq_enable();
				return work;
			}
		}
		rps_lock(sd);
		qlen = skb_queue_len(&sd->input_pkt_queue);
		if (qlen)
			skb_queue_splice_tail_init(&sd->input_pkt_queue, &sd->process_queue);
		if (qlen < (unsigned int)(quota - work)) {
			/* Our own __napi_complete: only this CPU touches the backlog NAPI and
			 * SCHED is its only state bit. */
			list_del(&napi->poll_list);
			napi->state = 0;
			quota = work + (int)qlen;
		}
		rps_unlock(sd);
	}
	local_irq_enable();
	return work;
}

void __napi_schedule(struct napi_struct *n)
{
	unsigned long flags;

	UL_TRACE_FN();
	local_irq_save(flags);
	____napi_schedule(&__get_cpu_var(softnet_data), n);
	local_irq_restore(flags);
}

void __napi_complete(struct napi_struct *n)
{
	BUG_ON(!test_bit(NAPI_STATE_SCHED, &n->state));
	BUG_ON(n->gro_list);
	list_del(&n->poll_list);
	smp_mb__before_clear_bit();
	clear_bit(NAPI_STATE_SCHED, &n->state);
}

void napi_complete(struct napi_struct *n)
{
	unsigned long flags;

	UL_TRACE_FN();
	if (unlikely(test_bit(NAPI_STATE_NPSVC, &n->state)))
		return;
	napi_gro_flush(n, false);
	local_irq_save(flags);
	__napi_complete(n);
	local_irq_restore(flags);
}

void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *, int), int weight)
{
	INIT_LIST_HEAD(&napi->poll_list);
	napi->gro_count = 0;
	napi->gro_list = NULL;
	napi->skb = NULL;
	napi->poll = poll;
	if (weight > NAPI_POLL_WEIGHT)
		pr_err("netif_napi_add() called with weight %d on device %s\n", weight,
		       dev->name);
	napi->weight = weight;
	list_add(&napi->dev_list, &dev->napi_list);
	napi->dev = dev;
	set_bit(NAPI_STATE_SCHED, &napi->state);
}

void netif_napi_del(struct napi_struct *napi)
{
	list_del_init(&napi->dev_list);
	napi_gro_discard(napi);	/* frees what GRO still holds (gro.c) */
}

/* Wait until @n is not scheduled, then keep it so. A task sleeps between checks; other
 * contexts (teardown) take it off its CPU's poll list.
 * DIVERGES: Linux always sleeps (msleep) until the poll finishes. */
void napi_disable(struct napi_struct *n)
{
	unsigned int tries = 0;

	set_bit(NAPI_STATE_DISABLE, &n->state);
	while (test_and_set_bit(NAPI_STATE_SCHED, &n->state)) {
		if (current && !in_interrupt() && ++tries < 1000) {
			msleep(1);
			continue;
		}
		/* Scheduled and nobody will run it now: unlink it ourselves. */
		local_bh_disable();
		if (!list_empty(&n->poll_list) && n->poll_list.next)
			list_del_init(&n->poll_list);
		local_bh_enable();
		break;
	}
	clear_bit(NAPI_STATE_DISABLE, &n->state);
}

void napi_enable(struct napi_struct *n)
{
	BUG_ON(!test_bit(NAPI_STATE_SCHED, &n->state));
	smp_mb__before_clear_bit();
	clear_bit(NAPI_STATE_SCHED, &n->state);
}

/* NET_RX_SOFTIRQ: poll the scheduled NAPIs within netdev_budget packets and 2 jiffies; a
 * NAPI that used its whole weight goes to the tail; leaving work counts time_squeeze and
 * raises NET_RX again. */
static void net_rx_action(struct softirq_action *h)
{
	struct softnet_data *sd = &__get_cpu_var(softnet_data);
	unsigned long time_limit = jiffies + 2;
	int budget = netdev_budget;

	UL_TRACE_FN();
	local_irq_disable();
	while (!list_empty(&sd->poll_list)) {
		struct napi_struct *n;
		int work, weight;

		/* If the softirq window is exhausted then punt. 3.10 tests time_after (jiffies
		 * strictly past start + 2), so a run may last into a third jiffy. */
		if (unlikely(budget <= 0 || time_after(jiffies, time_limit)))
			goto softnet_break;
		local_irq_enable();
		n = list_first_entry(&sd->poll_list, struct napi_struct, poll_list);
		weight = n->weight;
		work = 0;
		if (test_bit(NAPI_STATE_SCHED, &n->state))
			work = n->poll(n, weight);
		WARN_ON_ONCE(work > weight);
		budget -= work;
		local_irq_disable();
		/* Drivers must not modify the NAPI state if they consume the entire weight:
		 * the NAPI is still ours, move it to the tail. */
		if (unlikely(work == weight)) {
			if (unlikely(napi_disable_pending(n))) {
				local_irq_enable();
				napi_complete(n);
				local_irq_disable();
			} else {
				if (n->gro_list) {
					local_irq_enable();
					napi_gro_flush(n, HZ >= 1000);
					local_irq_disable();
				}
				list_move_tail(&n->poll_list, &sd->poll_list);
			}
		}
	}
out:
	net_rps_action_and_irq_enable(sd);
	return;

softnet_break:
	sd->time_squeeze++;
	__raise_softirq_irqoff(NET_RX_SOFTIRQ);
	goto out;
}

/* Loop @skb into @dev's receive path (veth's peer, 3.10 dev_forward_skb). Consumes @skb.
 * NET_RX_SUCCESS or NET_RX_DROP (device down or frame too big: rx_dropped). */
int dev_forward_skb(struct net_device *dev, struct sk_buff *skb)
{
	UL_TRACE(skb);
	skb_orphan(skb);
	/* is_skb_forwardable: a GSO skb is not bound by the MTU (it is segmented later, if
	 * ever). */
	if (!(dev->flags & IFF_UP) ||
	    (skb->len > (dev->mtu + dev->hard_header_len + 4 /* VLAN_HLEN */) &&
	     !skb_is_gso(skb))) {
		atomic_long_inc(&dev->rx_dropped);
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		return NET_RX_DROP;
	}
	skb_dst_drop(skb);
	nf_reset(skb);		/* 3.10: the peer's namespace tracks it afresh */
	skb->tstamp = 0;
	skb->pkt_type = PACKET_HOST;
	skb->protocol = eth_type_trans(skb, dev);
	return netif_rx(skb);
}

/* ---- boot ---- */

/* Per-CPU softnet_data with its backlog NAPI, the handler lists and the two softirqs.
 * The device lists of namespaces come from dev_register.c (netdev_net_init). */
int net_dev_init(void)
{
	int i;

	INIT_LIST_HEAD(&ptype_all);
	for (i = 0; i < PTYPE_HASH_SIZE; i++)
		INIT_LIST_HEAD(&ptype_base[i]);
	atomic_set(&netstamp_needed, 0);

	for (i = 0; i < NR_CPUS; i++) {
		struct softnet_data *sd = &per_cpu(softnet_data, i);

		memset(sd, 0, sizeof(*sd));
		skb_queue_head_init(&sd->input_pkt_queue);
		skb_queue_head_init(&sd->process_queue);
		sd->completion_queue = NULL;
		INIT_LIST_HEAD(&sd->poll_list);
		sd->output_queue = NULL;
		sd->output_queue_tailp = &sd->output_queue;
		sd->cpu = i;
		INIT_LIST_HEAD(&sd->backlog.poll_list);
		INIT_LIST_HEAD(&sd->backlog.dev_list);
		sd->backlog.poll = process_backlog;
		sd->backlog.weight = weight_p;
		sd->backlog.gro_list = NULL;
		sd->backlog.gro_count = 0;
		per_cpu(xmit_recursion, i) = 0;
	}
	open_softirq(NET_TX_SOFTIRQ, net_tx_action);
	open_softirq(NET_RX_SOFTIRQ, net_rx_action);
	return 0;
}

/* Free every packet still held by the per-CPU queues and forget the handlers; the softirq
 * vectors stay registered but find nothing to do. */
void net_dev_fini(void)
{
	int i;

	for (i = 0; i < NR_CPUS; i++) {
		struct softnet_data *sd = &per_cpu(softnet_data, i);
		struct sk_buff *clist;
		unsigned int n = 0;

		if (!sd->output_queue_tailp)
			continue;	/* never initialised */
		__skb_queue_purge(&sd->input_pkt_queue);
		__skb_queue_purge(&sd->process_queue);
		clist = sd->completion_queue;
		sd->completion_queue = NULL;
		while (clist) {
			struct sk_buff *skb = clist;

			clist = clist->next;
			__kfree_skb(skb);
			BUG_ON(++n > (1u << 30));
		}
		while (sd->output_queue) {
			struct Qdisc *q = sd->output_queue;

			sd->output_queue = q->next_sched;
			q->next_sched = NULL;
			clear_bit(__QDISC_STATE_SCHED, &q->state);
		}
		sd->output_queue_tailp = &sd->output_queue;
		INIT_LIST_HEAD(&sd->poll_list);
		sd->backlog.state = 0;
		INIT_LIST_HEAD(&sd->backlog.poll_list);
		sd->rps_ipi_list = NULL;
		sd->rps_ipi_next = NULL;
	}
	rps_fini();
	INIT_LIST_HEAD(&ptype_all);
	for (i = 0; i < PTYPE_HASH_SIZE; i++)
		INIT_LIST_HEAD(&ptype_base[i]);
	atomic_set(&netstamp_needed, 0);
	netdev_max_backlog = 1000;
	netdev_tstamp_prequeue = 1;
	netdev_budget = 300;
	weight_p = 64;
}
