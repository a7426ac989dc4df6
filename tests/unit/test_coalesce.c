/* SPDX-License-Identifier: MIT */
/* Interrupt coalescing: with frames arriving every 2 us, the interrupts per frame fall as
 * rx-usecs grows (the vector fires at most once per interval), and rx-frames fires early. */
#include "hw_test_util.h"
#include "arch/arch.h"

#define FRAMES 2000
#define GAP_NS 2000

struct feeder {
	struct hw_nic *nic;
	u8 frame[64];
	unsigned int sent;
};

static void feed_one(void *arg)
{
	struct feeder *f = arg;

	hw_nic_receive(f->nic, f->frame, sizeof(f->frame));
	f->sent++;
}

/* Interrupts of queue 0's vector for FRAMES frames at one per GAP_NS with @usecs. */
static u64 irqs_for(u32 usecs, u32 frames)
{
	struct net_device *dev = tnic_up(NULL, "eth0", 1, 4096, 10000);
	struct ethtool_coalesce ec = { .rx_coalesce_usecs = usecs, .tx_coalesce_usecs = usecs,
				       .rx_max_coalesced_frames = frames };
	struct hw_queue_stats qs;
	static struct feeder f;
	u64 t0 = ul_now_ns() + 1000;
	unsigned int i;

	rtnl_lock();
	assert_int_equal(dev->ethtool_ops->set_coalesce(dev, &ec), 0);
	rtnl_unlock();
	f.nic = hw_nic_of(dev);
	f.sent = 0;
	tframe_raw(f.frame, dev->dev_addr, TEST_ETHERTYPE, sizeof(f.frame), 1);
	for (i = 0; i < FRAMES; i++)
		assert_int_equal(ul_call_at(t0 + (u64)i * GAP_NS, 0, feed_one, &f), 0);
	ul_run_for((u64)FRAMES * GAP_NS + 20 * 1000 * 1000);
	assert_int_equal(f.sent, FRAMES);
	assert_int_equal(tnic_stat(dev, "rx_packets"), FRAMES);
	assert_int_equal(tnic_stat(dev, "rx_missed_errors"), 0);
	hw_nic_get_queue_stats(f.nic, 0, &qs);
	tnic_del(NULL, "eth0");
	return qs.irqs;
}

static void test_rx_usecs(void **state)
{
	u64 i0, i10, i50, i100;

	(void)state;
	i0 = irqs_for(0, 0);
	i10 = irqs_for(10, 0);
	i50 = irqs_for(50, 0);
	i100 = irqs_for(100, 0);
	print_message("interrupts for %d frames: rx-usecs 0: %llu, 10: %llu, 50: %llu, 100: %llu\n",
		      FRAMES, (unsigned long long)i0, (unsigned long long)i10,
		      (unsigned long long)i50, (unsigned long long)i100);
	/* Without throttling every frame finds the vector unmasked (the poll finished). */
	assert_int_equal(i0, FRAMES);
	assert_true(i10 < i0 && i50 < i10 && i100 < i50);
	/* At most one interrupt per interval: 4 ms of frames -> about 400, 80, 40. */
	assert_true(i10 <= FRAMES * GAP_NS / 10000 + 2);
	assert_true(i50 <= FRAMES * GAP_NS / 50000 + 2);
	assert_true(i100 <= FRAMES * GAP_NS / 100000 + 2);
	assert_true(i100 >= FRAMES * GAP_NS / 100000 - 2);
}

/* rx-frames 5 inside a 100 us window: the vector fires after 5 frames instead of 50. */
static void test_rx_frames(void **state)
{
	u64 i100 = irqs_for(100, 0), i100f5 = irqs_for(100, 5);

	(void)state;
	assert_true(i100f5 > i100 * 5);
	assert_true(i100f5 <= FRAMES / 5 + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rx_usecs, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_rx_frames, ul_test_setup_sim, ul_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
