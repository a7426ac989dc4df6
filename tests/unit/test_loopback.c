/* SPDX-License-Identifier: MIT */
/* The loopback device: its 3.10 setup, the path of a frame sent through it (a task's
 * dev_queue_xmit -> loopback_xmit -> netif_rx -> NET_RX -> process_backlog -> a protocol
 * handler, all on the sending CPU), its counters and /proc/net/dev line, taps seeing both
 * directions, and a down lo. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"
#include "linux/etherdevice.h"
#include "linux/hardirq.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "net/sch_generic.h"
#include "trace/path.h"

#define ETH_P_TEST 0x88B5
#define PAYLOAD 64

struct rx_record {
	int calls;
	int cpu;
	bool in_softirq;
	u8 pkt_type;
	__be16 protocol;
	unsigned int len;
	u8 bytes[PAYLOAD];
	struct net_device *dev;
};
static struct rx_record rx;

static int test_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		    struct net_device *orig_dev)
{
	rx.calls++;
	rx.cpu = smp_processor_id();
	rx.in_softirq = in_serving_softirq() != 0;
	rx.pkt_type = skb->pkt_type;
	rx.protocol = skb->protocol;
	rx.len = skb->len;
	rx.dev = dev;
	if (skb->len <= PAYLOAD)
		memcpy(rx.bytes, skb->data, skb->len);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type test_pt = {
	.type = htons_c(ETH_P_TEST),
	.func = test_rcv,
	.ul_func_name = "test_rcv",
};

/* A frame from @dev's stack: payload bytes 0x40.., Ethernet header from header_ops. */
static struct sk_buff *make_frame(struct net_device *dev)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + ETH_HLEN + PAYLOAD, GFP_KERNEL);
	u8 *p;
	int i;

	assert_non_null(skb);
	skb_reserve(skb, NET_SKB_PAD + ETH_HLEN);
	p = skb_put(skb, PAYLOAD);
	for (i = 0; i < PAYLOAD; i++)
		p[i] = (u8)(0x40 + i);
	skb_reset_network_header(skb);
	assert_int_equal(dev_hard_header(skb, dev, ETH_P_TEST, NULL, NULL, skb->len), ETH_HLEN);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_TEST);
	return skb;
}

struct send_args {
	int rc;
	int cpu;
};

static int sender_task(void *arg)
{
	struct send_args *a = arg;

	a->cpu = smp_processor_id();
	a->rc = dev_queue_xmit(make_frame(init_net.loopback_dev));
	return 0;
}

static void test_lo_setup(void **state)
{
	struct net_device *lo = init_net.loopback_dev;
	unsigned int flags;

	(void)state;
	assert_non_null(lo);
	assert_string_equal(lo->name, "lo");
	assert_int_equal(lo->ifindex, 1);
	assert_ptr_equal(__dev_get_by_name(&init_net, "lo"), lo);
	assert_ptr_equal(__dev_get_by_index(&init_net, 1), lo);
	assert_int_equal(lo->mtu, 65536);
	assert_int_equal(lo->type, ARPHRD_LOOPBACK);
	assert_int_equal(lo->tx_queue_len, 0);
	assert_int_equal(lo->hard_header_len, ETH_HLEN);
	assert_int_equal(lo->addr_len, ETH_ALEN);
	assert_true(is_zero_ether_addr(lo->dev_addr));
	assert_true(lo->features & NETIF_F_LLTX);
	assert_true(lo->features & NETIF_F_NETNS_LOCAL);
	assert_true(lo->features & NETIF_F_HW_CSUM);
	assert_false(lo->priv_flags & IFF_XMIT_DST_RELEASE);
	assert_ptr_equal(lo->header_ops, &eth_header_ops);
	assert_int_equal(lo->ethtool_ops->get_link(lo), 1);
	/* Up at boot; never told about a carrier, so operstate UNKNOWN (ip link: state
	 * UNKNOWN), which still counts as running. */
	flags = dev_get_flags(lo);
	assert_int_equal(flags, IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP);
	assert_int_equal(lo->operstate, IF_OPER_UNKNOWN);
	assert_ptr_equal(lo->qdisc, &noqueue_qdisc);
	assert_ptr_equal(netdev_get_tx_queue(lo, 0)->qdisc, &noqueue_qdisc);
}

static void test_lo_roundtrip_from_task(void **state)
{
	struct net_device *lo = init_net.loopback_dev;
	struct rtnl_link_stats64 st;
	struct send_args a = { .rc = -1, .cpu = -1 };
	unsigned int processed0 = ul_test_softnet_col(0, 0);
	unsigned long netrx0 = ul_test_softirqs("NET_RX", 0);
	struct ul_task *t;
	u8 want[PAYLOAD];
	int i;

	(void)state;
	memset(&rx, 0, sizeof(rx));
	dev_add_pack(&test_pt);
	t = ul_task_spawn(NULL, "sender", 0, sender_task, &a);
	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	ul_run_for(1000000);

	assert_int_equal(a.cpu, 0);
	assert_int_equal(a.rc, NET_XMIT_SUCCESS);
	assert_int_equal(rx.calls, 1);
	assert_int_equal(rx.cpu, 0);			/* the backlog of the sending CPU */
	assert_true(rx.in_softirq);			/* NET_RX, not the task itself */
	assert_int_equal(rx.pkt_type, PACKET_HOST);	/* dest 00:..:00 == lo's address */
	assert_int_equal(rx.protocol, htons(ETH_P_TEST));
	assert_ptr_equal(rx.dev, lo);
	assert_int_equal(rx.len, PAYLOAD);		/* the Ethernet header was pulled */
	for (i = 0; i < PAYLOAD; i++)
		want[i] = (u8)(0x40 + i);
	assert_memory_equal(rx.bytes, want, PAYLOAD);

	assert_int_equal(ul_test_softnet_col(0, 0), processed0 + 1);
	assert_true(ul_test_softirqs("NET_RX", 0) >= netrx0 + 1);
	/* 3.10's loopback counts the packet once, after eth_type_trans: bytes = payload. */
	dev_get_stats(lo, &st);
	assert_int_equal(st.tx_packets, 1);
	assert_int_equal(st.rx_packets, 1);
	assert_int_equal(st.tx_bytes, PAYLOAD);
	assert_int_equal(st.rx_bytes, PAYLOAD);
	assert_int_equal(st.rx_dropped, 0);
	dev_remove_pack(&test_pt);
}

static void test_proc_net_dev_line(void **state)
{
	char *text, want[512];
	int err;

	(void)state;
	local_bh_disable();
	dev_queue_xmit(make_frame(init_net.loopback_dev));
	dev_queue_xmit(make_frame(init_net.loopback_dev));
	local_bh_enable();
	ul_run_for(1000000);
	text = ul_proc_read("", "/proc/net/dev", &err);
	assert_int_equal(err, 0);
	/* Nobody handles 0x88B5: both are dropped after delivery (rx_dropped 2, 3.10). */
	snprintf(want, sizeof(want),
		 "Inter-|   Receive                                                |  Transmit\n"
		 " face |bytes    packets errs drop fifo frame compressed multicast|bytes    "
		 "packets errs drop fifo colls carrier compressed\n"
		 "%6s: %7llu %7llu %4llu %4llu %4llu %5llu %10llu %9llu %8llu %7llu %4llu %4llu "
		 "%4llu %5llu %7llu %10llu\n",
		 "lo", 128ULL, 2ULL, 0ULL, 2ULL, 0ULL, 0ULL, 0ULL, 0ULL, 128ULL, 2ULL, 0ULL, 0ULL,
		 0ULL, 0ULL, 0ULL, 0ULL);
	assert_string_equal(text, want);
	free(text);
	assert_int_equal(atomic_long_read(&init_net.loopback_dev->rx_dropped), 2);
}

static int tap_calls[8];
static int tap_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		   struct net_device *orig_dev)
{
	if (skb->pkt_type < 8)
		tap_calls[skb->pkt_type]++;
	kfree_skb(skb);
	return 0;
}

static struct packet_type tap_pt = {
	.type = htons_c(ETH_P_ALL),
	.func = tap_rcv,
	.ul_func_name = "tap_rcv",
};

static void test_tap_sees_both_directions(void **state)
{
	unsigned long unhandled = ul_drop_count(SKB_DROP_REASON_UNHANDLED_PROTO);
	char *text;

	(void)state;
	memset(tap_calls, 0, sizeof(tap_calls));
	memset(&rx, 0, sizeof(rx));
	dev_add_pack(&tap_pt);
	dev_add_pack(&test_pt);
	text = ul_proc_read(NULL, "/proc/net/ptype", NULL);
	assert_string_equal(text, "Type Device      Function\n"
				  "ALL           tap_rcv\n"
				  "88b5          test_rcv\n");
	free(text);
	local_bh_disable();
	dev_queue_xmit(make_frame(init_net.loopback_dev));
	local_bh_enable();
	/* tcpdump on lo sees each packet twice: leaving (OUTGOING) and arriving (HOST). */
	assert_int_equal(tap_calls[PACKET_OUTGOING], 1);
	assert_int_equal(tap_calls[PACKET_HOST], 1);
	assert_int_equal(rx.calls, 1);
	dev_remove_pack(&test_pt);

	/* With a tap and no handler the tap is the last taker: not a drop (3.10). */
	local_bh_disable();
	dev_queue_xmit(make_frame(init_net.loopback_dev));
	local_bh_enable();
	assert_int_equal(tap_calls[PACKET_HOST], 2);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_UNHANDLED_PROTO), unhandled);
	dev_remove_pack(&tap_pt);
}

static void test_lo_down(void **state)
{
	struct net_device *lo = init_net.loopback_dev;
	unsigned long dev_ready = ul_drop_count(SKB_DROP_REASON_DEV_READY);
	unsigned long qdisc_drops = ul_drop_count(SKB_DROP_REASON_QDISC_DROP);
	struct rtnl_link_stats64 st;

	(void)state;
	rtnl_lock();
	assert_int_equal(dev_close(lo), 0);
	rtnl_unlock();
	assert_false(lo->flags & IFF_UP);
	assert_int_equal(dev_get_flags(lo), IFF_LOOPBACK);
	/* Down, the TX queue holds noop_qdisc (dev_deactivate), which drops: 3.10 returns
	 * NET_XMIT_CN, not -ENETDOWN (that is for a noqueue qdisc on a device not up). */
	assert_ptr_equal(netdev_get_tx_queue(lo, 0)->qdisc, &noop_qdisc);
	assert_int_equal(dev_queue_xmit(make_frame(lo)), NET_XMIT_CN);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_QDISC_DROP), qdisc_drops + 1);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_DEV_READY), dev_ready);
	dev_get_stats(lo, &st);
	assert_int_equal(st.tx_packets, 0);
	rtnl_lock();
	assert_int_equal(dev_open(lo), 0);
	rtnl_unlock();
	assert_true(lo->flags & IFF_UP);
	assert_ptr_equal(netdev_get_tx_queue(lo, 0)->qdisc, &noqueue_qdisc);
}

/* Book ch5: the path of a packet through lo, function by function, with one skb id. */
static void test_lo_trace_path(void **state)
{
	static const char *const chain[] = {
		"dev_queue_xmit", "dev_hard_start_xmit", "loopback_xmit", "eth_type_trans",
		"netif_rx", "enqueue_to_backlog", "net_rx_action", "process_backlog",
		"__netif_receive_skb", "__netif_receive_skb_core", "consume_skb",
	};
	struct sk_buff *skb;
	u64 id;
	size_t i, n, at = 0;

	(void)state;
	memset(&rx, 0, sizeof(rx));
	dev_add_pack(&test_pt);
	skb = make_frame(init_net.loopback_dev);
	id = skb->ul_id;
	assert_int_equal(ul_trace_begin(1000), 0);
	local_bh_disable();
	dev_queue_xmit(skb);
	local_bh_enable();
	ul_trace_end();
	assert_int_equal(rx.calls, 1);
	n = ul_trace_count();
	for (i = 0; i < n && at < sizeof(chain) / sizeof(chain[0]); i++) {
		const struct ul_trace_event *e = ul_trace_event(i);

		if (!strcmp(e->func, chain[at])) {
			if (strcmp(e->func, "net_rx_action") && strcmp(e->func, "process_backlog"))
				assert_int_equal(e->skb_id, id);
			at++;
		}
	}
	assert_int_equal(at, sizeof(chain) / sizeof(chain[0]));
	ul_trace_reset();
	dev_remove_pack(&test_pt);
}

/* The same round trip on the posix runtime (real threads and locks). */
static void test_lo_roundtrip_posix(void **state)
{
	struct send_args a = { .rc = -1, .cpu = -1 };
	struct ul_task *t;
	int i;

	(void)state;
	memset(&rx, 0, sizeof(rx));
	dev_add_pack(&test_pt);
	t = ul_task_spawn(NULL, "sender", 1, sender_task, &a);
	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	for (i = 0; i < 1000 && __atomic_load_n(&rx.calls, __ATOMIC_SEQ_CST) == 0; i++)
		ul_run_for(1000000);
	assert_int_equal(a.rc, NET_XMIT_SUCCESS);
	assert_int_equal(rx.calls, 1);
	assert_int_equal(rx.cpu, 1);
	assert_true(rx.in_softirq);
	assert_int_equal(rx.len, PAYLOAD);
	dev_remove_pack(&test_pt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lo_setup, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_lo_roundtrip_from_task, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_proc_net_dev_line, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_tap_sees_both_directions, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_lo_down, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_lo_trace_path, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_lo_roundtrip_posix, ul_test_setup_posix,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
