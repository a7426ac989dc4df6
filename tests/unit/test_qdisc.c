/* SPDX-License-Identifier: MIT */
/* Queueing disciplines: pfifo_fast attached at dev_open (noqueue for txqueuelen 0, noop
 * while down), the direct path when empty, drops past txqueuelen while the driver's queue is
 * stopped (qstats), requeues, NET_TX draining with the weight_p quota, priority bands, and
 * qdiscs by name. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"
#include "linux/etherdevice.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "net/net_namespace.h"
#include "net/pkt_sched.h"
#include "net/sch_generic.h"

struct qdev_priv {
	int xmits;
	int busy;		/* answer NETDEV_TX_BUSY this many times */
	u32 order[64];		/* skb->mark of the packets sent, in order */
};

static netdev_tx_t qdev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct qdev_priv *p = netdev_priv(dev);

	if (p->busy > 0) {
		p->busy--;
		return NETDEV_TX_BUSY;
	}
	if (p->xmits < 64)
		p->order[p->xmits] = skb->mark;
	p->xmits++;
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops qdev_ops = {
	.ndo_start_xmit = qdev_xmit,
};

static void qdev_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &qdev_ops;
}

static struct net_device *qdev_new(unsigned long txqlen, bool up)
{
	struct net_device *dev = alloc_netdev(sizeof(struct qdev_priv), "q%d", qdev_setup);

	assert_non_null(dev);
	dev->tx_queue_len = txqlen;
	eth_hw_addr_random(dev);
	assert_int_equal(register_netdev(dev), 0);
	if (up) {
		rtnl_lock();
		assert_int_equal(dev_open(dev), 0);
		rtnl_unlock();
	}
	return dev;
}

static void qdev_del(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

static int xmit(struct net_device *dev, u32 mark, u32 priority)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);

	skb_reserve(skb, 16);
	memset(skb_put(skb, 100), 0, 100);
	skb->dev = dev;
	skb->mark = mark;
	skb->priority = priority;
	return dev_queue_xmit(skb);
}

static void test_default_qdiscs(void **state)
{
	struct net_device *dev = qdev_new(1000, false), *nq;
	struct qdev_priv *p = netdev_priv(dev);
	unsigned long qdrops = ul_drop_count(SKB_DROP_REASON_QDISC_DROP);
	char dump[128];

	(void)state;
	/* Registered but down: noop, which drops. */
	assert_ptr_equal(dev->qdisc, &noop_qdisc);
	assert_int_equal(xmit(dev, 0, 0), NET_XMIT_CN);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_QDISC_DROP), qdrops + 1);
	assert_int_equal(p->xmits, 0);

	rtnl_lock();
	assert_int_equal(dev_open(dev), 0);
	rtnl_unlock();
	assert_ptr_equal(dev->qdisc->ops, &pfifo_fast_ops);
	assert_ptr_equal(netdev_get_tx_queue(dev, 0)->qdisc, dev->qdisc);
	assert_true(dev->qdisc->flags & TCQ_F_CAN_BYPASS);
	assert_int_equal(dev->qdisc->ops->dump(dev->qdisc, dump, sizeof(dump)) > 0, 1);
	assert_string_equal(dump, "bands 3 priomap  1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1");

	/* Empty queue, device free: straight to the driver (bypass), counted in bstats. */
	assert_int_equal(xmit(dev, 1, 0), NET_XMIT_SUCCESS);
	assert_int_equal(xmit(dev, 2, 0), NET_XMIT_SUCCESS);
	assert_int_equal(p->xmits, 2);
	assert_int_equal(dev->qdisc->bstats.packets, 2);
	assert_int_equal(dev->qdisc->bstats.bytes, 200);
	assert_int_equal(dev->qdisc->q.qlen, 0);

	/* txqueuelen 0 means noqueue (as lo). */
	nq = qdev_new(0, true);
	assert_ptr_equal(netdev_get_tx_queue(nq, 0)->qdisc, &noqueue_qdisc);
	assert_int_equal(xmit(nq, 0, 0), NET_XMIT_SUCCESS);
	assert_int_equal(((struct qdev_priv *)netdev_priv(nq))->xmits, 1);
	qdev_del(nq);

	/* Down again: back to noop; up: the same pfifo_fast. */
	rtnl_lock();
	dev_close(dev);
	assert_ptr_equal(netdev_get_tx_queue(dev, 0)->qdisc, &noop_qdisc);
	assert_true(test_bit(__QDISC_STATE_DEACTIVATED, &dev->qdisc->state));
	dev_open(dev);
	rtnl_unlock();
	assert_ptr_equal(netdev_get_tx_queue(dev, 0)->qdisc, dev->qdisc);
	assert_false(test_bit(__QDISC_STATE_DEACTIVATED, &dev->qdisc->state));
	qdev_del(dev);
}

static void test_stopped_queue_drops_and_drains(void **state)
{
	struct net_device *dev = qdev_new(10, true);
	struct qdev_priv *p = netdev_priv(dev);
	unsigned long qdrops = ul_drop_count(SKB_DROP_REASON_QDISC_DROP);
	unsigned long nettx0 = ul_test_softirqs("NET_TX", 0);
	struct Qdisc *q = dev->qdisc;
	int i, rc[15];

	(void)state;
	netif_stop_queue(dev);		/* the driver's ring is full */
	for (i = 0; i < 15; i++)
		rc[i] = xmit(dev, (u32)i, 0);
	/* The first takes the direct path, finds the queue stopped and is requeued; nine more
	 * fit under txqueuelen 10 (qlen counts the requeued one); five are dropped. */
	for (i = 0; i < 10; i++)
		assert_int_equal(rc[i], NET_XMIT_SUCCESS);
	for (i = 10; i < 15; i++)
		assert_int_equal(rc[i], NET_XMIT_DROP);
	assert_int_equal(q->qstats.drops, 5);
	assert_int_equal(q->qstats.requeues, 1);
	assert_int_equal(q->q.qlen, 10);
	assert_int_equal(q->qstats.backlog, 900);	/* bytes in the bands (not the requeued) */
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_QDISC_DROP), qdrops + 5);
	assert_int_equal(p->xmits, 0);
	ul_run_for(1000000);	/* NET_TX may run: the queue is still stopped */
	assert_int_equal(p->xmits, 0);

	/* TX completion frees ring space: wake the queue; NET_TX sends the ten in order. */
	local_bh_disable();
	netif_wake_queue(dev);
	local_bh_enable();
	ul_run_for(1000000);
	assert_int_equal(p->xmits, 10);
	for (i = 0; i < 10; i++)
		assert_int_equal(p->order[i], (u32)i);
	assert_int_equal(q->q.qlen, 0);
	assert_int_equal(q->qstats.backlog, 0);
	assert_true(ul_test_softirqs("NET_TX", 0) > nettx0);
	qdev_del(dev);
}

static void test_quota_reschedules_net_tx(void **state)
{
	struct net_device *dev = qdev_new(1000, true);
	struct qdev_priv *p = netdev_priv(dev);
	unsigned long nettx0;
	int i;

	(void)state;
	netif_stop_queue(dev);
	for (i = 0; i < 200; i++)
		xmit(dev, (u32)i, 0);
	assert_int_equal(dev->qdisc->q.qlen, 200);
	nettx0 = ul_test_softirqs("NET_TX", 0);
	local_bh_disable();
	netif_wake_queue(dev);
	local_bh_enable();
	ul_run_for(1000000);
	assert_int_equal(p->xmits, 200);
	/* __qdisc_run sends weight_p (64) then reschedules: 64 + 64 + 64 + 8. */
	assert_int_equal(ul_test_softirqs("NET_TX", 0) - nettx0, 4);
	qdev_del(dev);
}

static void test_busy_driver_requeues(void **state)
{
	struct net_device *dev = qdev_new(100, true);
	struct qdev_priv *p = netdev_priv(dev);

	(void)state;
	p->busy = 1;
	assert_int_equal(xmit(dev, 7, 0), NET_XMIT_SUCCESS);	/* queued, not lost */
	assert_int_equal(dev->qdisc->qstats.requeues, 1);
	ul_run_for(1000000);	/* NET_TX retries */
	assert_int_equal(p->xmits, 1);
	assert_int_equal(p->order[0], 7);
	assert_int_equal(dev->qdisc->q.qlen, 0);
	qdev_del(dev);
}

static void test_priority_bands(void **state)
{
	struct net_device *dev = qdev_new(100, true);
	struct qdev_priv *p = netdev_priv(dev);

	(void)state;
	netif_stop_queue(dev);
	xmit(dev, 100, 0);			/* requeued first, goes first */
	xmit(dev, 1, 2);			/* TC_PRIO_BULK: band 2 */
	xmit(dev, 2, 0);			/* BESTEFFORT: band 1 */
	xmit(dev, 3, TC_PRIO_INTERACTIVE);	/* band 0 */
	xmit(dev, 4, TC_PRIO_CONTROL);		/* band 0 */
	xmit(dev, 5, 4);			/* INTERACTIVE_BULK: band 1 */
	xmit(dev, 6, 15 + 16);			/* & TC_PRIO_MAX = 15: band 1 */
	local_bh_disable();
	netif_wake_queue(dev);
	local_bh_enable();
	ul_run_for(1000000);
	assert_int_equal(p->xmits, 7);
	assert_int_equal(p->order[0], 100);
	assert_int_equal(p->order[1], 3);
	assert_int_equal(p->order[2], 4);
	assert_int_equal(p->order[3], 2);
	assert_int_equal(p->order[4], 5);
	assert_int_equal(p->order[5], 6);
	assert_int_equal(p->order[6], 1);
	qdev_del(dev);
}

static void test_qdisc_by_name(void **state)
{
	struct net_device *dev = qdev_new(100, true);
	struct Qdisc *old = dev->qdisc;

	(void)state;
	assert_ptr_equal(qdisc_lookup_ops("pfifo_fast"), &pfifo_fast_ops);
	assert_non_null(qdisc_lookup_ops("netem"));	/* issue 7: sch_netem.c */
	rtnl_lock();
	assert_int_equal(qdisc_replace_root(dev, "nosuch", "delay 10ms"), -ENOENT);
	assert_int_equal(qdisc_replace_root(dev, "pfifo_fast", "bands 4"), -EINVAL);
	assert_ptr_equal(dev->qdisc, old);
	assert_int_equal(qdisc_replace_root(dev, "pfifo_fast", NULL), 0);
	assert_ptr_not_equal(dev->qdisc, old);
	assert_ptr_equal(netdev_get_tx_queue(dev, 0)->qdisc, dev->qdisc);
	assert_int_equal(qdisc_replace_root(dev, "noqueue", NULL), 0);
	assert_ptr_equal(dev->qdisc, &noqueue_qdisc);
	rtnl_unlock();
	assert_int_equal(xmit(dev, 1, 0), NET_XMIT_SUCCESS);
	assert_int_equal(((struct qdev_priv *)netdev_priv(dev))->xmits, 1);
	assert_int_equal(register_qdisc(&pfifo_fast_ops), -EEXIST);
	qdev_del(dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_default_qdiscs, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_stopped_queue_drops_and_drains,
						ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_quota_reschedules_net_tx, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_busy_driver_requeues, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_priority_bands, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_qdisc_by_name, ul_test_setup_sim,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
