/* SPDX-License-Identifier: MIT */
/* netem and tbf as root qdiscs of a simulated NIC: loss, delay with jitter, reordering,
 * duplication and rate within statistical tolerance for a seeded run, the same seed giving
 * the same run, tbf's rate; tc's syntax and show output. */
#include <stdio.h>
#include "hw_test_util.h"
#include "net/pkt_sched.h"

#define MAXF 20000
static unsigned int nsunk;
static u64 sent_ns[MAXF], sunk_ns[MAXF];
static unsigned int sunk_idx[MAXF];

static void sink(void *arg, const u8 *frame, unsigned int len)
{
	unsigned int idx;

	memcpy(&idx, frame + 14, sizeof(idx));
	if (nsunk < MAXF) {
		sunk_idx[nsunk] = idx;
		sunk_ns[nsunk] = ul_now_ns();
	}
	nsunk++;
}

static struct net_device *setup_dev(void)
{
	struct net_device *dev = tnic_up(NULL, "eth0", 1, 256, 10000);

	hw_nic_set_tx_sink(hw_nic_of(dev), sink, NULL);
	ul_run_for(1000);
	nsunk = 0;
	return dev;
}

static void teardown_dev(void)
{
	struct net_device *dev = __dev_get_by_name(&init_net, "eth0");

	hw_nic_set_tx_sink(hw_nic_of(dev), NULL, NULL);
	ul_run_for(1000);
	tnic_del(NULL, "eth0");
}

static void tc(const char *line, int expect)
{
	char *out = NULL;
	int err = ul_tc_cmd(NULL, line, &out);

	if (err != expect)
		fail_msg("%s: %d (%s)", line, err, out ? out : "");
	free(out);
}

/* @n frames of @len bytes, index in the payload, @gap_ns apart (0: in batches of 100). */
static void send_frames(struct net_device *dev, unsigned int n, unsigned int len, u64 gap_ns)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct sk_buff *skb = alloc_skb(len + 64, GFP_ATOMIC);
		u8 *p;

		skb_reserve(skb, 64);
		p = skb_put(skb, len);
		tframe_raw(p, dev->dev_addr, TEST_ETHERTYPE, len, 0);
		memcpy(p + 14, &i, sizeof(i));
		skb->dev = dev;
		skb->protocol = htons(TEST_ETHERTYPE);
		if (i < MAXF)
			sent_ns[i] = ul_now_ns();
		local_bh_disable();
		dev_queue_xmit(skb);
		local_bh_enable();
		if (gap_ns)
			ul_run_for(gap_ns);
		else if (i % 100 == 99)
			ul_run_for(100 * 1000);
	}
	ul_run_for(500ULL * 1000 * 1000);
}

static void test_loss(void **state)
{
	struct net_device *dev = setup_dev();
	char *out = NULL;

	(void)state;
	tc("tc qdisc add dev eth0 root netem loss 10% seed 42", 0);
	send_frames(dev, 10000, 100, 0);
	/* Binomial(10000, 0.9): sd 30, so +-150 is five sigma. */
	assert_true(nsunk >= 8850 && nsunk <= 9150);
	assert_int_equal(dev->qdisc->qstats.drops, 10000 - nsunk);
	assert_int_equal(ul_tc_cmd(NULL, "tc -s qdisc show dev eth0", &out), 0);
	assert_non_null(strstr(out, "qdisc netem 8001: root"));
	assert_non_null(strstr(out, "loss 10%"));
	assert_non_null(strstr(out, "Sent "));
	free(out);
	teardown_dev();
}

/* Same seed, same losses: the run is repeatable. */
static void test_seeded_repeat(void **state)
{
	struct net_device *dev = setup_dev();
	unsigned int first, a[200], i;

	(void)state;
	tc("tc qdisc add dev eth0 root netem loss 30% seed 7", 0);
	send_frames(dev, 1000, 100, 0);
	first = nsunk;
	for (i = 0; i < 200; i++)
		a[i] = sunk_idx[i];
	nsunk = 0;
	tc("tc qdisc replace dev eth0 root netem loss 30% seed 7", 0);
	send_frames(dev, 1000, 100, 0);
	assert_int_equal(nsunk, first);
	for (i = 0; i < 200; i++)
		assert_int_equal(sunk_idx[i], a[i]);
	teardown_dev();
}

static void test_delay_jitter(void **state)
{
	struct net_device *dev = setup_dev();
	u64 sum = 0, mn = ~0ULL, mx = 0;
	unsigned int i;

	(void)state;
	tc("tc qdisc add dev eth0 root netem delay 10ms 2ms seed 5", 0);
	send_frames(dev, 1000, 100, 50 * 1000);
	assert_int_equal(nsunk, 1000);
	for (i = 0; i < nsunk; i++) {
		u64 d = sunk_ns[i] - sent_ns[sunk_idx[i]];

		sum += d;
		mn = min(mn, d);
		mx = max(mx, d);
	}
	/* Uniform in [8 ms, 12 ms] (+ nothing: the NIC reads at dequeue). */
	assert_true(mn >= 8000000 && mx <= 12000000 + 1000);
	assert_true(sum / nsunk >= 9800000 && sum / nsunk <= 10200000);
	/* Jitter larger than the gap reorders packets. */
	for (i = 1; i < nsunk; i++)
		if (sunk_idx[i] < sunk_idx[i - 1])
			break;
	assert_true(i < nsunk);
	teardown_dev();
}

static void test_reorder(void **state)
{
	struct net_device *dev = setup_dev();
	unsigned int i, early = 0;

	(void)state;
	tc("tc qdisc add dev eth0 root netem delay 10ms reorder 25% seed 11", 0);
	send_frames(dev, 2000, 100, 100 * 1000);
	assert_int_equal(nsunk, 2000);
	for (i = 0; i < nsunk; i++)
		if (sunk_ns[i] - sent_ns[sunk_idx[i]] < 1000000)
			early++;
	/* Binomial(2000, 0.25): sd 19; +-100 is five sigma. */
	assert_true(early >= 400 && early <= 600);
	assert_int_equal(dev->qdisc->qstats.requeues, early);
	teardown_dev();
}

static void test_duplicate_rate(void **state)
{
	struct net_device *dev = setup_dev();
	u64 span;

	(void)state;
	tc("tc qdisc add dev eth0 root netem duplicate 5% seed 3", 0);
	send_frames(dev, 4000, 100, 0);
	assert_true(nsunk >= 4200 - 80 && nsunk <= 4200 + 80);
	/* 1000 frames of 1250 bytes at 100 Mbit/s: 100 us each, 100 ms in all. */
	nsunk = 0;
	tc("tc qdisc replace dev eth0 root netem rate 100mbit limit 2000", 0);
	send_frames(dev, 1000, 1250, 0);
	assert_int_equal(nsunk, 1000);
	span = sunk_ns[999] - sent_ns[0];
	assert_true(span >= 99000000 && span <= 101000000);
	teardown_dev();
}

/* tbf: 100 frames of 1000 bytes at 10 Mbit/s with a 10 KiB bucket: the bucket's worth goes
 * at once, the rest at 800 us per frame. */
static void test_tbf(void **state)
{
	struct net_device *dev = setup_dev();
	u64 span;

	(void)state;
	tc("tc qdisc add dev eth0 root tbf rate 10mbit burst 10kb limit 200kb", 0);
	send_frames(dev, 100, 1000, 0);
	assert_int_equal(nsunk, 100);
	span = sunk_ns[99] - sent_ns[0];
	/* (100 * 1000 - 10240) bytes * 8 / 10 Mbit/s = 71.8 ms */
	assert_true(span >= 71000000 && span <= 72600000);
	assert_true(dev->qdisc->qstats.overlimits > 0);
	/* A packet larger than the bucket can never pass: dropped at enqueue. */
	nsunk = 0;
	tc("tc qdisc replace dev eth0 root tbf rate 10mbit burst 1000 latency 50ms", 0);
	send_frames(dev, 1, 1400, 0);
	assert_int_equal(nsunk, 0);
	assert_int_equal(dev->qdisc->qstats.drops, 1);
	teardown_dev();
}

static void test_tc_syntax(void **state)
{
	struct net_device *dev = setup_dev();
	char *out = NULL;

	(void)state;
	tc("tc qdisc add dev eth0 root netem loss 5% 25%", -EOPNOTSUPP);
	tc("tc qdisc add dev eth0 root netem delay 10ms distribution pareto", -EOPNOTSUPP);
	tc("tc qdisc add dev eth0 root netem reorder 5%", -EINVAL);
	tc("tc qdisc add dev eth0 root netem bogus 1", -EINVAL);
	tc("tc qdisc add dev eth0 root nosuchqdisc", -ENOENT);
	tc("tc qdisc add dev eth9 root netem", -ENODEV);
	tc("tc qdisc add dev eth0 root tbf rate 1mbit", -EINVAL);
	tc("tc qdisc add dev eth0 root tbf rate 1mbit burst 10k latency 5ms peakrate 2mbit",
	   -EOPNOTSUPP);
	tc("tc qdisc add dev eth0 root netem delay 100ms 10ms loss 1% duplicate 1% corrupt 0.1% "
	   "reorder 1% rate 100mbit", 0);
	assert_int_equal(ul_tc_cmd(NULL, "tc qdisc show dev eth0", &out), 0);
	assert_non_null(strstr(out, "delay 100.0ms  10.0ms loss 1% duplicate 1% reorder 1% "
				    "corrupt 0.1% rate 100Mbit"));
	free(out);
	tc("tc qdisc change dev eth0 root netem delay 1ms", 0);
	assert_int_equal(ul_tc_cmd(NULL, "tc qdisc show dev eth0", &out), 0);
	assert_non_null(strstr(out, "limit 1000 delay 1.0ms"));
	assert_null(strstr(out, "loss"));
	free(out);
	tc("tc qdisc del dev eth0 root", 0);
	assert_string_equal(dev->qdisc->ops->id, "pfifo_fast");
	teardown_dev();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_loss, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_seeded_repeat, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_delay_jitter, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_reorder, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_rate, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_tbf, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_tc_syntax, ul_test_setup_sim, ul_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
