/* SPDX-License-Identifier: MIT */
/* The NIC device model: ring accounting, ring overflow, wires (serialization and delay),
 * the hw verbs. */
#include "hw_test_util.h"
#include "iproute2/iproute2.h"
#include "linux/sched.h"
#include "linux/slab.h"
#include "trace/path.h"
#include "ulnet/socket.h"

static unsigned long rx_calls;
static u64 rx_last_ns;
static int test_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		    struct net_device *orig_dev)
{
	rx_calls++;
	rx_last_ns = ul_now_ns();
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type test_pt = {
	.type = htons_c(TEST_ETHERTYPE),
	.func = test_rcv,
};

/* hw nic add: the driver probes and eth0 appears down, with igb's defaults. */
static void test_probe(void **state)
{
	struct ethtool_ringparam ring = { 0 };
	struct ethtool_drvinfo info = { 0 };
	struct net_device *dev;
	char *out = NULL;

	(void)state;
	assert_int_equal(hw_cmd("hw nic add eth0 queues 2 speed 1gbit", &out), 0);
	free(out);
	dev = __dev_get_by_name(&init_net, "eth0");
	assert_non_null(dev);
	assert_false(dev->flags & IFF_UP);
	assert_int_equal(dev->type, ARPHRD_ETHER);
	assert_int_equal(dev->mtu, 1500);
	assert_memory_equal(dev->dev_addr, "\x00\x1b\x21", 3);
	dev->ethtool_ops->get_ringparam(dev, &ring);
	assert_int_equal(ring.rx_pending, 256);
	assert_int_equal(ring.tx_pending, 256);
	assert_int_equal(ring.rx_max_pending, 4096);
	dev->ethtool_ops->get_drvinfo(dev, &info);
	assert_string_equal(info.driver, "igb");
	assert_true(dev->features & NETIF_F_GRO);
	assert_true(dev->features & NETIF_F_TSO);
	/* Bad verbs are refused with a message, never half done. */
	assert_int_equal(hw_cmd("hw nic add eth0", &out), -EEXIST);
	free(out);
	assert_int_equal(hw_cmd("hw nic add eth1 queues 99", &out), -EINVAL);
	assert_non_null(out);
	free(out);
	assert_int_equal(hw_cmd("hw nic add eth1 ring 10", &out), -EINVAL);
	free(out);
	assert_int_equal(hw_cmd("hw nic add eth1 speed fast", &out), -EINVAL);
	free(out);
	/* A bare speed is Mbit/s (ethtool's unit); below 10 Mbit/s is refused, not defaulted. */
	assert_int_equal(hw_cmd("hw nic add eth1 speed 5", &out), -EINVAL);
	assert_non_null(strstr(out, "speed 10mbit..400gbit"));
	free(out);
	assert_int_equal(hw_cmd("hw nic add eth1 speed 1000", &out), 0);
	free(out);
	assert_int_equal(hw_cmd("hw nic show", &out), 0);
	assert_non_null(strstr(out, "eth1: queues 1 ring 256 speed 1000mbit"));
	free(out);
	assert_int_equal(hw_cmd("hw nic del eth1", &out), 0);
	free(out);
	assert_int_equal(hw_cmd("hw wire eth0 nosuch", &out), -ENODEV);
	free(out);
	assert_int_equal(hw_cmd("hw nic del eth0", &out), 0);
	free(out);
	assert_null(__dev_get_by_name(&init_net, "eth0"));
}

/* Opening posts count-1 buffers (head == tail means empty); closing frees every one. */
static void test_open_close_rings(void **state)
{
	unsigned long objs0 = ul_slab_objects_in_use();
	struct net_device *dev = tnic_up(NULL, "eth0", 1, 256, 10000);
	struct igb_adapter *adapter = tnic_adapter(dev);
	struct hw_nic *nic = hw_nic_of(dev);

	(void)state;
	assert_non_null(nic);
	assert_int_equal(igb_desc_unused(&adapter->rx_ring[0]), 0);
	assert_int_equal(hw_nic_read_rdh(nic, 0), 0);
	assert_int_equal(adapter->rx_ring[0].next_to_use, 255);
	assert_true(ul_slab_objects_in_use() > objs0 + 255);	/* 255 posted skbs */
	rtnl_lock();
	assert_int_equal(dev_close(dev), 0);
	rtnl_unlock();
	assert_null(adapter->rx_ring[0].desc);
	tnic_del(NULL, "eth0");
}

/* Ring overflow: a 1000-frame burst (arriving faster than any poll) at ring 64 finds 63
 * posted buffers: the other 937 are missed and counted; at ring 4096 none is. */
static void overflow_run(unsigned int ring, unsigned long *missed, unsigned long *got)
{
	struct net_device *dev = tnic_up(NULL, "eth0", 1, ring, 10000);
	struct hw_nic *nic = hw_nic_of(dev);
	struct rtnl_link_stats64 st;
	u8 frame[128];
	int i;

	rx_calls = 0;
	tframe_raw(frame, dev->dev_addr, TEST_ETHERTYPE, sizeof(frame), 0);
	for (i = 0; i < 1000; i++)
		hw_nic_receive(nic, frame, sizeof(frame));
	ul_run_for(10 * 1000 * 1000);
	*missed = tnic_stat(dev, "rx_missed_errors");
	assert_int_equal(tnic_stat(dev, "rx_no_buffer_count"), *missed);
	memset(&st, 0, sizeof(st));
	dev_get_stats(dev, &st);
	assert_int_equal(st.rx_missed_errors, *missed);
	assert_int_equal(st.rx_fifo_errors, *missed);
	assert_int_equal(tnic_stat(dev, "rx_queue_0_drops"), *missed);
	assert_int_equal(st.rx_packets, 1000 - *missed);
	*got = rx_calls;
	tnic_del(NULL, "eth0");
}

static void test_ring_overflow(void **state)
{
	unsigned long missed, got;

	(void)state;
	dev_add_pack(&test_pt);
	overflow_run(64, &missed, &got);
	assert_int_equal(missed, 1000 - 63);
	assert_int_equal(got, 63);
	overflow_run(4096, &missed, &got);
	assert_int_equal(missed, 0);
	assert_int_equal(got, 1000);
	dev_remove_pack(&test_pt);
}

/* Ring accounting: frames in bursts smaller than the ring, each burst polled before the
 * next: every frame reaches the handler, no buffer is lost, the ring is full of posted
 * buffers again at the end and closing gives every object back.
 * A million frames take about 3.5 s of CPU under ASan+UBSan (9 s on a loaded machine):
 * 250,000 there, a million in other builds. */
#ifdef ULNET_SANITIZE
#define ACCOUNTING_FRAMES 250000
#else
#define ACCOUNTING_FRAMES 1000000
#endif
static void test_ring_accounting(void **state)
{
	unsigned long objs0 = ul_slab_objects_in_use();
	struct net_device *dev = tnic_up(NULL, "eth0", 1, 256, 10000);
	struct igb_adapter *adapter = tnic_adapter(dev);
	struct hw_nic *nic = hw_nic_of(dev);
	u8 frame[64];
	unsigned long sent = 0;
	int b, i;

	(void)state;
	dev_add_pack(&test_pt);
	rx_calls = 0;
	tframe_raw(frame, dev->dev_addr, TEST_ETHERTYPE, sizeof(frame), 7);
	for (b = 0; b < ACCOUNTING_FRAMES / 200; b++) {
		for (i = 0; i < 200; i++, sent++)
			assert_int_equal(hw_nic_receive(nic, frame, sizeof(frame)), 0);
		ul_run_for(200 * 1000);
	}
	ul_run_for(1000000);
	assert_int_equal(rx_calls, sent);
	assert_int_equal(tnic_stat(dev, "rx_missed_errors"), 0);
	assert_int_equal(tnic_stat(dev, "rx_packets"), sent);
	assert_int_equal(tnic_stat(dev, "rx_queue_0_packets"), sent);
	assert_int_equal(igb_desc_unused(&adapter->rx_ring[0]), 0);	/* all refilled */
	rtnl_lock();
	assert_int_equal(dev_close(dev), 0);
	rtnl_unlock();
	dev_remove_pack(&test_pt);
	tnic_del(NULL, "eth0");
	assert_int_equal(ul_slab_objects_in_use(), objs0);
}

/* A wire between namespaces: a 1000-byte frame at 1 Gbit/s takes (1000 + 24) * 8 ns to
 * serialize, then 50 us of propagation; back-to-back frames queue at line rate. */
static void test_wire_delay(void **state)
{
	struct net_device *a, *b;
	char *out = NULL;
	u64 t0, ser = (1000 + 24) * 8;
	int i;

	(void)state;
	assert_int_equal(ul_netns_add("na"), 0);
	assert_int_equal(ul_netns_add("nb"), 0);
	a = tnic_up("na", "eth0", 1, 256, 1000);
	b = tnic_up("nb", "eth0", 1, 256, 1000);
	assert_false(netif_carrier_ok(a));
	assert_int_equal(hw_cmd("hw wire na/eth0 nb/eth0 delay 50us", &out), 0);
	free(out);
	assert_int_equal(hw_cmd("hw nic show", &out), 0);
	assert_string_equal(out, "na/eth0: queues 1 ring 256 speed 1000mbit wire nb/eth0\n"
				 "nb/eth0: queues 1 ring 256 speed 1000mbit wire na/eth0\n");
	free(out);
	ul_run_for(1000);
	assert_true(netif_carrier_ok(a));
	assert_true(netif_carrier_ok(b));
	/* No interrupt throttling at the receiver: the arrival time is the wire's alone (with
	 * igb's default rx-usecs 3 the last frame would wait for the 50 us ITR window). */
	{
		struct ethtool_coalesce ec = { .rx_coalesce_usecs = 0, .tx_coalesce_usecs = 0 };

		rtnl_lock();
		assert_int_equal(b->ethtool_ops->set_coalesce(b, &ec), 0);
		rtnl_unlock();
	}
	dev_add_pack(&test_pt);
	rx_calls = 0;
	t0 = ul_now_ns();
	local_bh_disable();
	for (i = 0; i < 10; i++) {
		struct sk_buff *skb = alloc_skb(1100, GFP_ATOMIC);

		tframe_raw(skb_put(skb, 1000), b->dev_addr, TEST_ETHERTYPE, 1000, (unsigned)i);
		skb->dev = a;
		skb->protocol = htons(TEST_ETHERTYPE);
		dev_queue_xmit(skb);
	}
	local_bh_enable();
	ul_run_for(10 * 1000 * 1000);
	assert_int_equal(rx_calls, 10);
	/* The last frame arrives 10 serializations + 50 us after the first left. */
	assert_true(rx_last_ns >= t0 + 10 * ser + 50000);
	assert_true(rx_last_ns <= t0 + 10 * ser + 50000 + 2000);
	assert_int_equal(tnic_stat(a, "tx_packets"), 10);
	assert_int_equal(tnic_stat(b, "rx_packets"), 10);
	/* TX completions freed every skb (checked by the teardown's leak check too). */
	assert_int_equal(igb_desc_unused(&tnic_adapter(a)->tx_ring[0]), 255);
	dev_remove_pack(&test_pt);
	assert_int_equal(hw_cmd("hw wire del na/eth0", &out), 0);
	free(out);
	ul_run_for(1000);
	assert_false(netif_carrier_ok(b));
	tnic_del("na", "eth0");
	tnic_del("nb", "eth0");
	assert_int_equal(ul_netns_del("na"), 0);
	assert_int_equal(ul_netns_del("nb"), 0);
}

/* Impairment on the wire: seeded loss and duplication, each counted by the sending NIC. */
static void test_wire_impairment(void **state)
{
	struct net_device *a, *b;
	struct hw_nic_stats st;
	struct ul_buf buf = { 0 };
	char *argv[] = { "hw", "wire", "na/eth0", "nb/eth0", "delay", "10us", "loss", "20%",
			 "duplicate", "5%", "seed", "9" };
	int i;

	(void)state;
	assert_int_equal(ul_netns_add("na"), 0);
	assert_int_equal(ul_netns_add("nb"), 0);
	a = tnic_up("na", "eth0", 1, 256, 10000);
	b = tnic_up("nb", "eth0", 1, 1024, 10000);
	/* Through the ul_cmd-shaped entry point. */
	assert_int_equal(do_hw(NULL, ARRAY_SIZE(argv), argv, &buf), 0);
	free(buf.s);
	ul_run_for(1000);
	dev_add_pack(&test_pt);
	rx_calls = 0;
	for (i = 0; i < 2000; i++) {
		struct sk_buff *skb = alloc_skb(200, GFP_ATOMIC);

		tframe_raw(skb_put(skb, 100), b->dev_addr, TEST_ETHERTYPE, 100, (unsigned)i);
		skb->dev = a;
		skb->protocol = htons(TEST_ETHERTYPE);
		local_bh_disable();
		dev_queue_xmit(skb);
		local_bh_enable();
		if (i % 100 == 99)
			ul_run_for(100 * 1000);
	}
	ul_run_for(10 * 1000 * 1000);
	hw_nic_get_stats(hw_nic_of(a), &st);
	assert_int_equal(rx_calls, 2000 - st.wire_lost + st.wire_dup);
	/* Binomial(2000, 0.2): sd 18; (2000, 0.05): sd 10. Five sigma each. */
	assert_true(st.wire_lost >= 310 && st.wire_lost <= 490);
	assert_true(st.wire_dup >= 50 && st.wire_dup <= 150);
	dev_remove_pack(&test_pt);
	tnic_del("na", "eth0");
	tnic_del("nb", "eth0");
	assert_int_equal(ul_netns_del("na"), 0);
	assert_int_equal(ul_netns_del("nb"), 0);
}

/* Two hosts on a wire, the whole stack: a UDP datagram from a to b (ARP resolves b's
 * address over the wire first), and the ch4 transmit chain down to the NIC and back up
 * through the TX-completion interrupt. */
static void test_two_hosts_udp(void **state)
{
	static const char *const tx_chain[] = {
		"dev_queue_xmit", "dev_hard_start_xmit", "igb_xmit_frame", "igb_xmit_frame_ring",
		"igb_tx_map", "igb_msix_ring", "igb_poll", "igb_clean_tx_irq",
	};
	struct sockaddr_in sb = { .sin_family = AF_INET, .sin_port = htons(9000),
				  .sin_addr.s_addr = htonl(0x0a000002) };
	struct net *saved = current->net;
	char *out = NULL, got[16];
	int fa, fb;
	size_t i, n, k = 0;

	(void)state;
	assert_int_equal(ul_netns_add("na"), 0);
	assert_int_equal(ul_netns_add("nb"), 0);
	tnic_up("na", "eth0", 2, 256, 10000);
	tnic_up("nb", "eth0", 2, 256, 10000);
	assert_int_equal(hw_cmd("hw wire na/eth0 nb/eth0 delay 20us", &out), 0);
	free(out);
	assert_int_equal(ul_cmd("na", "ip addr add 10.0.0.1/24 dev eth0", &out), 0);
	free(out);
	assert_int_equal(ul_cmd("nb", "ip addr add 10.0.0.2/24 dev eth0", &out), 0);
	free(out);
	ul_run_for(1000 * 1000);
	current->net = ul_net_by_name("nb");
	fb = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fb >= 0);
	assert_int_equal(ul_bind(fb, (struct sockaddr *)&sb, sizeof(sb)), 0);
	current->net = ul_net_by_name("na");
	fa = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fa >= 0);
	assert_int_equal(ul_trace_start(0), 0);
	assert_int_equal(ul_sendto(fa, "ping", 4, 0, (struct sockaddr *)&sb, sizeof(sb)), 4);
	ul_run_for(10 * 1000 * 1000);
	ul_trace_stop();
	current->net = ul_net_by_name("nb");
	assert_int_equal(ul_recvfrom(fb, got, sizeof(got), MSG_DONTWAIT, NULL, NULL), 4);
	assert_memory_equal(got, "ping", 4);
	n = ul_trace_count();
	for (i = 0; i < n && k < ARRAY_SIZE(tx_chain); i++)
		if (!strcmp(ul_trace_event(i)->func, tx_chain[k]))
			k++;
	if (k != ARRAY_SIZE(tx_chain)) {
		ul_trace_write_text(stderr);
		fail_msg("TX chain stops at %s", tx_chain[k]);
	}
	ul_trace_reset();
	assert_int_equal(ul_close(fb), 0);
	current->net = ul_net_by_name("na");
	assert_int_equal(ul_close(fa), 0);
	current->net = saved;
	tnic_del("na", "eth0");
	tnic_del("nb", "eth0");
	assert_int_equal(ul_netns_del("na"), 0);
	assert_int_equal(ul_netns_del("nb"), 0);
}

static void test_units(void **state)
{
	u64 v;
	u32 ppm;

	(void)state;
	assert_int_equal(ul_parse_time_ns("50us", &v), 0);
	assert_int_equal(v, 50000);
	assert_int_equal(ul_parse_time_ns("1.5ms", &v), 0);
	assert_int_equal(v, 1500000);
	assert_int_equal(ul_parse_time_ns("10", &v), 0);
	assert_int_equal(v, 10000);
	assert_int_equal(ul_parse_time_ns("10parsecs", &v), -EINVAL);
	assert_int_equal(ul_parse_percent_ppm("0.1%", &ppm), 0);
	assert_int_equal(ppm, 1000);
	assert_int_equal(ul_parse_percent_ppm("200%", &ppm), -EINVAL);
	assert_int_equal(ul_parse_rate_bps("10gbit", &v), 0);
	assert_int_equal(v, 10000000000ULL);
	assert_int_equal(ul_parse_rate_bps("1mbps", &v), 0);
	assert_int_equal(v, 8000000);
	assert_int_equal(ul_parse_size("32k", &v), 0);
	assert_int_equal(v, 32768);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_probe, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_open_close_rings, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_ring_overflow, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_ring_accounting, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_wire_delay, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_wire_impairment, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_two_hosts_udp, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test(test_units),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
