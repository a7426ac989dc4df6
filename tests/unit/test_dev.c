/* SPDX-License-Identifier: MIT */
/* Network devices and the receive core: registration, names and indexes, notifiers,
 * open/close/flags/MTU, the per-CPU backlog (netdev_max_backlog), net_rx_action's budget and
 * time_squeeze, NAPI polling of a driver, unknown protocols, rx_handler, net.core sysctl
 * defaults, and unregistering a device that still has packets queued. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"
#include "linux/etherdevice.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "net/net_namespace.h"
#include "net/sch_generic.h"

struct tdev_priv {
	int xmits;
};

static netdev_tx_t tdev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct tdev_priv *p = netdev_priv(dev);

	p->xmits++;
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops tdev_ops = {
	.ndo_start_xmit = tdev_xmit,
	.ndo_change_mtu = eth_change_mtu,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void tdev_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &tdev_ops;
}

static struct net_device *tdev_new(const char *name)
{
	struct net_device *dev = alloc_netdev(sizeof(struct tdev_priv), name, tdev_setup);

	assert_non_null(dev);
	eth_hw_addr_random(dev);
	assert_int_equal(register_netdev(dev), 0);
	return dev;
}

static void tdev_del(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

static unsigned long events[32];
static char event_log[512];
static int tnotify(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (strncmp(dev->name, "tst", 3))
		return NOTIFY_DONE;
	if (event < 32)
		events[event]++;
	snprintf(event_log + strlen(event_log), sizeof(event_log) - strlen(event_log), "%s ",
		 netdev_cmd_to_name(event));
	return NOTIFY_DONE;
}

static struct notifier_block tnb = { .notifier_call = tnotify };

static void test_register_names_notifiers(void **state)
{
	struct net_device *a, *b, *c;
	struct sockaddr sa;

	(void)state;
	memset(events, 0, sizeof(events));
	event_log[0] = '\0';
	assert_int_equal(register_netdevice_notifier(&tnb), 0);

	a = tdev_new("tst%d");
	b = tdev_new("tst%d");
	assert_string_equal(a->name, "tst0");
	assert_string_equal(b->name, "tst1");
	assert_int_equal(a->ifindex, 2);	/* lo is 1 */
	assert_int_equal(b->ifindex, 3);
	assert_int_equal(a->reg_state, NETREG_REGISTERED);
	assert_ptr_equal(dev_get_by_name(&init_net, "tst1"), b);
	assert_int_equal(netdev_refcnt_read(b), 2);	/* registration + ours */
	dev_put(b);
	assert_ptr_equal(dev_get_by_index(&init_net, 2), a);
	dev_put(a);
	assert_null(__dev_get_by_name(&init_net, "tst9"));
	assert_string_equal(event_log, "POST_INIT REGISTER POST_INIT REGISTER ");

	/* Taken names and bad names. */
	c = alloc_netdev(0, "tst0", tdev_setup);
	assert_int_equal(register_netdev(c), -EEXIST);
	free_netdev(c);
	c = alloc_netdev(0, "a/b", tdev_setup);
	assert_int_equal(register_netdev(c), -EINVAL);
	free_netdev(c);
	c = alloc_netdev(0, "x%d%d", tdev_setup);
	assert_int_equal(register_netdev(c), -EINVAL);
	free_netdev(c);
	assert_null(alloc_netdev(0, "a-name-far-too-long", tdev_setup));
	assert_null(alloc_netdev_mqs(0, "z", tdev_setup, 0, 1));

	/* Up, MTU, address, down: each announced. */
	event_log[0] = '\0';
	rtnl_lock();
	assert_int_equal(dev_open(a), 0);
	assert_int_equal(dev_open(a), 0);	/* already up: no second UP */
	assert_int_equal(dev_set_mtu(a, 9000), -EINVAL);	/* Ethernet: 68..1500 */
	assert_int_equal(dev_set_mtu(a, 67), -EINVAL);
	assert_int_equal(dev_set_mtu(a, 1400), 0);
	assert_int_equal(a->mtu, 1400);
	assert_int_equal(dev_set_mtu(a, 1400), 0);	/* unchanged: no event */
	sa.sa_family = ARPHRD_ETHER;
	memcpy(sa.sa_data, "\x02\x00\x00\x00\x00\x01", 6);
	assert_int_equal(dev_set_mac_address(a, &sa), -EBUSY);	/* running */
	assert_int_equal(dev_close(a), 0);
	assert_int_equal(dev_set_mac_address(a, &sa), 0);
	assert_memory_equal(a->dev_addr, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(sa.sa_data, "\x01\x00\x00\x00\x00\x01", 6);	/* multicast */
	assert_int_equal(dev_set_mac_address(a, &sa), -EADDRNOTAVAIL);
	/* via flags, as `ip link set tst0 up` */
	assert_int_equal(dev_change_flags(a, a->flags | IFF_UP), 0);
	rtnl_unlock();
	assert_string_equal(event_log, "PRE_UP UP CHANGEMTU GOING_DOWN DOWN CHANGEADDR PRE_UP UP ");
	assert_int_equal(dev_get_flags(a) & (IFF_UP | IFF_RUNNING | IFF_LOWER_UP | IFF_BROADCAST |
					     IFF_MULTICAST),
			 IFF_UP | IFF_RUNNING | IFF_LOWER_UP | IFF_BROADCAST | IFF_MULTICAST);

	/* Carrier off: no RUNNING/LOWER_UP, operstate DOWN. */
	netif_carrier_off(a);
	assert_int_equal(a->operstate, IF_OPER_DOWN);
	assert_false(dev_get_flags(a) & (IFF_RUNNING | IFF_LOWER_UP));
	netif_carrier_on(a);
	assert_int_equal(a->operstate, IF_OPER_UP);
	assert_true(dev_get_flags(a) & IFF_RUNNING);

	event_log[0] = '\0';
	tdev_del(a);
	tdev_del(b);
	assert_string_equal(event_log, "GOING_DOWN DOWN UNREGISTER UNREGISTER ");
	assert_null(__dev_get_by_name(&init_net, "tst0"));
	/* ifindexes are not reused at once: the next one is 4. */
	a = tdev_new("tst%d");
	assert_string_equal(a->name, "tst0");
	assert_int_equal(a->ifindex, 4);
	tdev_del(a);
	assert_int_equal(unregister_netdevice_notifier(&tnb), 0);
}

static int proto_calls;
static int proto_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		     struct net_device *orig_dev)
{
	proto_calls++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type proto_pt = {
	.type = htons_c(0x88B5),
	.func = proto_rcv,
};

/* An Ethernet frame to @dev's address with ethertype @type, as a driver hands it up. */
static struct sk_buff *rx_frame(struct net_device *dev, u16 type)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, 60);
	struct ethhdr *eth;

	assert_non_null(skb);
	eth = (struct ethhdr *)skb_put(skb, 60);
	memset(eth, 0x5a, 60);
	memcpy(eth->h_dest, dev->dev_addr, ETH_ALEN);
	eth->h_proto = htons(type);
	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

static void test_backlog_overflow(void **state)
{
	struct net_device *lo = init_net.loopback_dev;
	unsigned long backlog_drops = ul_drop_count(SKB_DROP_REASON_CPU_BACKLOG);
	unsigned int dropped0 = ul_test_softnet_col(0, 1), processed0 = ul_test_softnet_col(0, 0);
	unsigned int squeeze0 = ul_test_softnet_col(0, 2);
	struct rtnl_link_stats64 st;
	int i, ok = 0, drop = 0;

	(void)state;
	proto_calls = 0;
	dev_add_pack(&proto_pt);
	/* 1100 frames from one bottom-half-disabled section: the backlog takes
	 * netdev_max_backlog + 1 = 1001 (qlen <= max), the other 99 are dropped. */
	local_bh_disable();
	for (i = 0; i < 1100; i++) {
		if (netif_rx(rx_frame(lo, 0x88B5)) == NET_RX_SUCCESS)
			ok++;
		else
			drop++;
	}
	assert_int_equal(skb_queue_len(&per_cpu(softnet_data, 0).input_pkt_queue), 1001);
	local_bh_enable();
	ul_run_for(10 * 1000 * 1000);

	assert_int_equal(ok, 1001);
	assert_int_equal(drop, 99);
	assert_int_equal(ul_test_softnet_col(0, 1), dropped0 + 99);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_CPU_BACKLOG), backlog_drops + 99);
	dev_get_stats(lo, &st);
	assert_int_equal(st.rx_dropped, 99);
	assert_int_equal(proto_calls, 1001);
	assert_int_equal(ul_test_softnet_col(0, 0), processed0 + 1001);
	/* 300 per NET_RX run, polled 64 at a time: runs of 320, 320, 320 and 41; the first
	 * three leave work behind (time_squeeze). */
	assert_int_equal(ul_test_softnet_col(0, 2), squeeze0 + 3);
	dev_remove_pack(&proto_pt);
}

static void test_budget_sysctl_squeeze(void **state)
{
	struct net_device *lo = init_net.loopback_dev;
	unsigned int squeeze0 = ul_test_softnet_col(0, 2);
	char buf[32];
	int i;

	(void)state;
	assert_int_equal(ul_sysctl_get(NULL, "net.core.netdev_budget", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "300");
	assert_int_equal(ul_sysctl_set(NULL, "net.core.netdev_budget", "10"), 0);
	assert_int_equal(netdev_budget, 10);
	proto_calls = 0;
	dev_add_pack(&proto_pt);
	local_bh_disable();
	for (i = 0; i < 100; i++)
		netif_rx(rx_frame(lo, 0x88B5));
	local_bh_enable();
	ul_run_for(10 * 1000 * 1000);
	/* process_backlog still takes its weight (64): one run of 64 is over budget. */
	assert_int_equal(proto_calls, 100);
	assert_int_equal(ul_test_softnet_col(0, 2), squeeze0 + 1);
	assert_int_equal(ul_sysctl_set(NULL, "net.core.netdev_budget", "300"), 0);
	dev_remove_pack(&proto_pt);
}

static void test_unknown_protocol_counted(void **state)
{
	struct net_device *dev = tdev_new("tst%d");
	unsigned long unhandled = ul_drop_count(SKB_DROP_REASON_UNHANDLED_PROTO);
	struct rtnl_link_stats64 st;

	(void)state;
	local_bh_disable();
	netif_rx(rx_frame(dev, 0x1234));
	local_bh_enable();
	dev_get_stats(dev, &st);
	assert_int_equal(st.rx_dropped, 1);	/* 3.10 counts it in the device's rx_dropped */
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_UNHANDLED_PROTO), unhandled + 1);
	tdev_del(dev);
}

/* A driver with NAPI: packets wait in a private queue; the "IRQ" schedules the NAPI. */
struct ndrv {
	struct napi_struct napi;
	struct sk_buff_head ring;
	int polls;
	int max_work;
};
static struct ndrv nd;

static int ndrv_poll(struct napi_struct *napi, int budget)
{
	struct ndrv *d = container_of(napi, struct ndrv, napi);
	int work = 0;
	struct sk_buff *skb;

	d->polls++;
	while (work < budget && (skb = __skb_dequeue(&d->ring))) {
		napi_gro_receive(napi, skb);
		work++;
	}
	if (work > d->max_work)
		d->max_work = work;
	if (work < budget)
		napi_complete(napi);
	return work;
}

static void test_napi_driver_poll(void **state)
{
	struct net_device *dev = tdev_new("tst%d");
	unsigned int processed0 = ul_test_softnet_col(0, 0), squeeze0 = ul_test_softnet_col(0, 2);
	int i;

	(void)state;
	memset(&nd, 0, sizeof(nd));
	skb_queue_head_init(&nd.ring);
	netif_napi_add(dev, &nd.napi, ndrv_poll, NAPI_POLL_WEIGHT);
	assert_int_equal(nd.napi.weight, 64);
	assert_false(napi_schedule_prep(&nd.napi));	/* disabled until napi_enable */
	napi_enable(&nd.napi);
	proto_calls = 0;
	dev_add_pack(&proto_pt);
	for (i = 0; i < 200; i++)
		__skb_queue_tail(&nd.ring, rx_frame(dev, 0x88B5));

	/* The interrupt: napi_schedule, then the softirq on the way out. */
	local_bh_disable();
	napi_schedule(&nd.napi);
	assert_true(test_bit(NAPI_STATE_SCHED, &nd.napi.state));
	napi_schedule(&nd.napi);	/* already scheduled: no double entry */
	local_bh_enable();
	assert_int_equal(proto_calls, 200);
	assert_int_equal(nd.polls, 4);	/* 64 + 64 + 64 + 8 */
	assert_int_equal(nd.max_work, 64);
	assert_false(test_bit(NAPI_STATE_SCHED, &nd.napi.state));
	assert_int_equal(ul_test_softnet_col(0, 0), processed0 + 200);
	assert_int_equal(ul_test_softnet_col(0, 2), squeeze0);	/* 200 < 300: within budget */

	napi_disable(&nd.napi);
	assert_false(napi_schedule_prep(&nd.napi));
	dev_remove_pack(&proto_pt);
	tdev_del(dev);		/* free_netdev deletes the NAPI */
}

static int handler_calls;
static rx_handler_result_t thandler(struct sk_buff **pskb)
{
	handler_calls++;
	kfree_skb(*pskb);
	return RX_HANDLER_CONSUMED;
}

static void test_rx_handler(void **state)
{
	struct net_device *dev = tdev_new("tst%d");

	(void)state;
	proto_calls = 0;
	handler_calls = 0;
	dev_add_pack(&proto_pt);
	rtnl_lock();
	assert_int_equal(netdev_rx_handler_register(dev, thandler, NULL), 0);
	assert_int_equal(netdev_rx_handler_register(dev, thandler, NULL), -EBUSY);
	rtnl_unlock();
	local_bh_disable();
	netif_rx(rx_frame(dev, 0x88B5));
	local_bh_enable();
	assert_int_equal(handler_calls, 1);
	assert_int_equal(proto_calls, 0);	/* consumed before ptype_base */
	netdev_rx_handler_unregister(dev);
	local_bh_disable();
	netif_rx(rx_frame(dev, 0x88B5));
	local_bh_enable();
	assert_int_equal(proto_calls, 1);
	dev_remove_pack(&proto_pt);
	tdev_del(dev);
}

static void test_core_sysctl_defaults(void **state)
{
	static const char *const want[][2] = {
		{ "net.core.somaxconn", "128" },
		{ "net.core.netdev_budget", "300" },
		{ "net.core.netdev_max_backlog", "1000" },
		{ "net.core.dev_weight", "64" },
		{ "net.core.rmem_default", "212992" },
		{ "net.core.rmem_max", "212992" },
		{ "net.core.wmem_default", "212992" },
		{ "net.core.wmem_max", "212992" },
		{ "net.core.optmem_max", "20480" },
		{ "net.core.message_cost", "5" },
		{ "net.core.message_burst", "10" },
		{ "net.core.netdev_tstamp_prequeue", "1" },
		{ "net.core.warnings", "1" },
		{ "net.core.rps_sock_flow_entries", "0" },
	};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(ul_sysctl_get(NULL, want[i][0], buf, sizeof(buf)), 0);
		assert_string_equal(buf, want[i][1]);
	}
	assert_int_equal(ul_sysctl_set(NULL, "net.core.netdev_max_backlog", "10"), 0);
	assert_int_equal(netdev_max_backlog, 10);
	assert_int_equal(ul_sysctl_set(NULL, "net.core.netdev_max_backlog", "1000"), 0);
	assert_int_equal(ul_sysctl_set(NULL, "net.core.rmem_max", "0"), -EINVAL);	/* min 1 */
	assert_int_equal(ul_sysctl_set(NULL, "net.core.rps_sock_flow_entries", "32768"),
			 -EINVAL);	/* no RFS in ulnet */
	assert_int_equal(ul_sysctl_set(NULL, "net.core.message_cost", "7"), 0);
	assert_int_equal(ul_sysctl_get(NULL, "net.core.message_cost", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "7");
}

/* Packets of a device still on the backlog and in its qdisc when it goes: freed (counted as
 * drops), nothing leaks (the teardown checks the slab counts). */
static void test_unregister_with_queued_packets(void **state)
{
	struct net_device *dev = tdev_new("tst%d");
	unsigned long dev_ready = ul_drop_count(SKB_DROP_REASON_DEV_READY);
	unsigned long purged = ul_drop_count(SKB_DROP_REASON_QUEUE_PURGE);
	struct tdev_priv *p = netdev_priv(dev);
	int i;

	(void)state;
	rtnl_lock();
	assert_int_equal(dev_open(dev), 0);
	rtnl_unlock();
	netif_stop_queue(dev);
	local_bh_disable();
	for (i = 0; i < 10; i++)
		netif_rx(rx_frame(dev, 0x88B5));
	for (i = 0; i < 5; i++) {
		struct sk_buff *skb = alloc_skb(100, GFP_ATOMIC);

		skb_put(skb, 60);
		skb->dev = dev;
		dev_queue_xmit(skb);
	}
	assert_int_equal(skb_queue_len(&per_cpu(softnet_data, 0).input_pkt_queue), 10);
	assert_int_equal(dev->qdisc->q.qlen, 5);	/* 1 requeued + 4 queued */
	rtnl_lock();
	unregister_netdevice(dev);
	rtnl_unlock();		/* netdev_run_todo: flush_backlog */
	local_bh_enable();
	ul_run_for(1000000);
	assert_int_equal(p->xmits, 0);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_DEV_READY), dev_ready + 10);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_QUEUE_PURGE), purged + 5);
	assert_int_equal(skb_queue_len(&per_cpu(softnet_data, 0).input_pkt_queue), 0);
	free_netdev(dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_register_names_notifiers, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_backlog_overflow, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_budget_sysctl_squeeze, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_protocol_counted, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_napi_driver_poll, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_rx_handler, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_core_sysctl_defaults, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_unregister_with_queued_packets,
						ul_test_setup_sim, ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
