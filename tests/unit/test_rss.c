/* SPDX-License-Identifier: MIT */
/* RSS: the Toeplitz hash against Microsoft's verification vectors, the spread of 1,000
 * flows over 4 queues, each queue's interrupt on its affinity CPU (/proc/interrupts,
 * /proc/softirqs), ethtool -X and -L. */
#include <stdio.h>
#include "hw_test_util.h"
#include "linux/interrupt.h"

static int setup4(void **state)
{
	return ul_test_boot_with(UL_RUNTIME_SIM, 4, 1);
}

static const u8 ms_key[HW_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
	0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
	0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/* "Verifying the RSS Hash Calculation" (Microsoft): IPv4 and IPv4/TCP results. */
static void test_toeplitz_vectors(void **state)
{
	const u8 v1[12] = { 66, 9, 149, 187, 161, 142, 100, 80, 0x0a, 0xea, 0x06, 0xe6 };
	const u8 v2[12] = { 199, 92, 111, 2, 65, 69, 140, 83, 0x37, 0x96, 0x12, 0x83 };

	(void)state;
	assert_int_equal(hw_toeplitz_hash(ms_key, v1, 8), 0x323e8fc2);
	assert_int_equal(hw_toeplitz_hash(ms_key, v1, 12), 0x51ccc178);
	assert_int_equal(hw_toeplitz_hash(ms_key, v2, 8), 0xd718262a);
	assert_int_equal(hw_toeplitz_hash(ms_key, v2, 12), 0xc626b0ea);
}

static u32 lcg(u32 *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static unsigned long softirq_net_rx(int cpu)
{
	return kstat_softirqs_cpu(NET_RX_SOFTIRQ, cpu);
}

static void send_flows(struct net_device *dev, unsigned int n, u32 seed)
{
	struct hw_nic *nic = hw_nic_of(dev);
	u8 frame[128];
	unsigned int i;

	for (i = 0; i < n; i++) {
		__be32 saddr = htonl(0x0a000000u | (lcg(&seed) & 0xffffff));
		u16 sport = (u16)(1024 + lcg(&seed) % 60000);
		unsigned int len = tframe_tcp(frame, dev->dev_addr, saddr, htonl(0x0a000001),
					      sport, 80, 1, 10, 1, 0);

		assert_true(hw_nic_receive(nic, frame, len) >= 0);
		if (i % 100 == 99)
			ul_run_for(100 * 1000);
	}
	ul_run_for(1000 * 1000);
}

/* 1,000 flows over 4 queues: each gets 250 +- 20%, each queue's vector fires only on its
 * CPU, and each CPU ran NET_RX. */
static void test_rss_spread_and_affinity(void **state)
{
	struct net_device *dev;
	struct igb_adapter *adapter;
	unsigned long rx0[4];
	char name[32], *txt;
	int q, cpu, err;

	(void)state;
	for (cpu = 0; cpu < 4; cpu++)
		rx0[cpu] = softirq_net_rx(cpu);
	dev = tnic_up(NULL, "eth0", 4, 1024, 10000);
	adapter = tnic_adapter(dev);
	send_flows(dev, 1000, 12345);
	for (q = 0; q < 4; q++) {
		u64 n;
		int irq = adapter->q_vector[q].irq;

		snprintf(name, sizeof(name), "rx_queue_%d_packets", q);
		n = tnic_stat(dev, name);
		assert_true(n >= 200 && n <= 300);
		assert_true(irq > 0);
		assert_int_equal(irq_get_affinity((unsigned int)irq), q);
		for (cpu = 0; cpu < 4; cpu++) {
			if (cpu == q)
				assert_true(kstat_irqs_cpu((unsigned int)irq, cpu) > 0);
			else
				assert_int_equal(kstat_irqs_cpu((unsigned int)irq, cpu), 0);
		}
		assert_true(softirq_net_rx(q) > rx0[q]);
	}
	assert_int_equal(tnic_stat(dev, "rx_packets"), 1000);
	txt = ul_proc_read(NULL, "/proc/interrupts", &err);
	assert_non_null(txt);
	assert_non_null(strstr(txt, "eth0-TxRx-0"));
	assert_non_null(strstr(txt, "eth0-TxRx-3"));
	free(txt);
	txt = ul_proc_read(NULL, "/proc/softirqs", &err);
	assert_non_null(txt);
	assert_non_null(strstr(txt, "NET_RX"));
	free(txt);
	tnic_del(NULL, "eth0");
}

/* ethtool -X: a table pointing only at queue 2 sends every flow there; -L 2 re-spreads. */
static void test_rss_indir_and_channels(void **state)
{
	struct net_device *dev = tnic_up(NULL, "eth0", 4, 256, 10000);
	struct ethtool_channels ch = { 0 };
	u32 indir[HW_RSS_INDIR_SIZE];
	unsigned int i;

	(void)state;
	assert_int_equal(dev->ethtool_ops->get_rxfh_indir_size(dev), 128);
	for (i = 0; i < HW_RSS_INDIR_SIZE; i++)
		indir[i] = 2;
	rtnl_lock();
	assert_int_equal(dev->ethtool_ops->set_rxfh_indir(dev, indir), 0);
	indir[0] = 4;
	assert_int_equal(dev->ethtool_ops->set_rxfh_indir(dev, indir), -EINVAL);
	rtnl_unlock();
	send_flows(dev, 100, 7);
	assert_int_equal(tnic_stat(dev, "rx_queue_2_packets"), 100);
	assert_int_equal(tnic_stat(dev, "rx_queue_0_packets"), 0);
	dev->ethtool_ops->get_channels(dev, &ch);
	assert_int_equal(ch.max_combined, 4);
	assert_int_equal(ch.combined_count, 4);
	ch.combined_count = 2;
	rtnl_lock();
	assert_int_equal(dev->ethtool_ops->set_channels(dev, &ch), 0);
	rtnl_unlock();
	assert_int_equal(dev->real_num_rx_queues, 2);
	send_flows(dev, 200, 99);
	assert_true(tnic_stat(dev, "rx_queue_0_packets") > 50);
	assert_true(tnic_stat(dev, "rx_queue_1_packets") > 50);
	ch.combined_count = 9;
	assert_int_equal(dev->ethtool_ops->set_channels(dev, &ch), -EINVAL);
	tnic_del(NULL, "eth0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_toeplitz_vectors),
		cmocka_unit_test_setup_teardown(test_rss_spread_and_affinity, setup4,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_rss_indir_and_channels, setup4,
						ul_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
