/* SPDX-License-Identifier: MIT */
/* GRO: in-order TCP segments of one flow received in one poll merge into one skb (fewer
 * netif_receive_skb calls, byte-exact data); gaps, other flows and PSH end a merge; GRO off
 * passes every segment. GSO: software segmentation (tso off) gives the same wire frames as
 * the NIC's TSO. */
#include "hw_test_util.h"
#include "net/gro.h"

#define MSS 1000

static unsigned long ip_calls;
static unsigned int ip_len[64], ip_segs[64];
static u8 *ip_data[64];

static int ip_tap(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		  struct net_device *orig_dev)
{
	if (ip_calls < 64) {
		ip_len[ip_calls] = skb->len;
		ip_segs[ip_calls] = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;
		ip_data[ip_calls] = malloc(skb->len);
		assert_int_equal(skb_copy_bits(skb, 0, ip_data[ip_calls], (int)skb->len), 0);
	}
	ip_calls++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type ip_tap_pt = {
	.type = htons_c(ETH_P_IP),
	.func = ip_tap,
};

static void taps_reset(void)
{
	unsigned long i;

	for (i = 0; i < ip_calls && i < 64; i++)
		free(ip_data[i]);
	ip_calls = 0;
}

/* @n segments of MSS bytes of one flow (sport), starting at @seq, in one burst. */
static void burst(struct net_device *dev, u16 sport, u32 seq, unsigned int n, u16 id,
		  bool psh_last)
{
	u8 frame[54 + MSS];
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned int len = tframe_tcp(frame, dev->dev_addr, htonl(0x0a000002),
					      htonl(0x0a000001), sport, 80, seq + i * MSS, MSS,
					      (u16)(id + i), (psh_last && i == n - 1) ? 1 : 0);

		assert_true(hw_nic_receive(hw_nic_of(dev), frame, len) >= 0);
	}
}

static void test_gro_merge(void **state)
{
	struct net_device *dev = tnic_up(NULL, "eth0", 1, 256, 10000);
	const struct iphdr *iph;
	struct gro_stats gs;
	unsigned int k;

	(void)state;
	dev_add_pack(&ip_tap_pt);
	gro_reset_stats();
	taps_reset();
	burst(dev, 1000, 1, 10, 50, false);
	ul_run_for(1000 * 1000);
	/* One packet up instead of ten. */
	assert_int_equal(ip_calls, 1);
	assert_int_equal(ip_len[0], 40 + 10 * MSS);
	assert_int_equal(ip_segs[0], 10);
	iph = (const struct iphdr *)ip_data[0];
	assert_int_equal(ntohs(iph->tot_len), 40 + 10 * MSS);
	assert_int_equal(ntohs(iph->id), 50);
	assert_int_equal(ip_fast_csum(iph, 5), 0);
	/* Byte-exact: payload byte k of the stream is (u8)(1 + k). */
	for (k = 0; k < 10 * MSS; k++)
		if (ip_data[0][40 + k] != (u8)(1 + k))
			fail_msg("byte %u differs", k);
	gro_get_stats(&gs);
	assert_int_equal(gs.received, 10);
	assert_int_equal(gs.held, 1);
	assert_int_equal(gs.merged, 9);
	assert_int_equal(gs.flushed, 1);
	taps_reset();
	dev_remove_pack(&ip_tap_pt);
	tnic_del(NULL, "eth0");
}

/* A gap in the sequence, a second flow, a PSH: each ends or separates a merge. */
static void test_gro_flush_rules(void **state)
{
	struct net_device *dev = tnic_up(NULL, "eth0", 1, 256, 10000);

	(void)state;
	dev_add_pack(&ip_tap_pt);
	taps_reset();
	/* 4 in order, then a hole of one MSS, then 4 in order: two packets. */
	burst(dev, 1000, 1, 4, 10, false);
	burst(dev, 1000, 1 + 5 * MSS, 4, 14, false);
	ul_run_for(1000 * 1000);
	assert_int_equal(ip_calls, 2);
	assert_int_equal(ip_len[0], 40 + 4 * MSS);
	assert_int_equal(ip_len[1], 40 + 4 * MSS);
	taps_reset();
	/* Two flows interleaved: each merges on its own. */
	burst(dev, 2000, 1, 1, 1, false);
	burst(dev, 3000, 1, 1, 1, false);
	burst(dev, 2000, 1 + MSS, 1, 2, false);
	burst(dev, 3000, 1 + MSS, 1, 2, false);
	ul_run_for(1000 * 1000);
	assert_int_equal(ip_calls, 2);
	assert_int_equal(ip_len[0], 40 + 2 * MSS);
	assert_int_equal(ip_len[1], 40 + 2 * MSS);
	taps_reset();
	/* PSH on the third: it ends the packet; the next two start another. */
	burst(dev, 4000, 1, 3, 1, true);
	burst(dev, 4000, 1 + 3 * MSS, 2, 4, false);
	ul_run_for(1000 * 1000);
	assert_int_equal(ip_calls, 2);
	assert_int_equal(ip_len[0], 40 + 3 * MSS);
	assert_int_equal(ip_len[1], 40 + 2 * MSS);
	taps_reset();
	dev_remove_pack(&ip_tap_pt);
	tnic_del(NULL, "eth0");
}

/* ethtool -K eth0 gro off: every segment goes up alone. */
static void test_gro_off(void **state)
{
	struct net_device *dev = tnic_up(NULL, "eth0", 1, 256, 10000);

	(void)state;
	dev_add_pack(&ip_tap_pt);
	taps_reset();
	dev->features &= ~NETIF_F_GRO;
	burst(dev, 1000, 1, 10, 50, false);
	ul_run_for(1000 * 1000);
	assert_int_equal(ip_calls, 10);
	assert_int_equal(ip_len[3], 40 + MSS);
	taps_reset();
	dev_remove_pack(&ip_tap_pt);
	tnic_del(NULL, "eth0");
}

static unsigned int nsunk;
static u8 *sunk[32];
static unsigned int sunk_len[32];
static void sink(void *arg, const u8 *frame, unsigned int len)
{
	if (nsunk < 32) {
		sunk[nsunk] = malloc(len);
		memcpy(sunk[nsunk], frame, len);
		sunk_len[nsunk] = len;
	}
	nsunk++;
}

static void send_super(struct net_device *dev, const u8 *buf, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len + 64, GFP_ATOMIC);

	skb_reserve(skb, 64);
	memcpy(skb_put(skb, len), buf, len);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, 14);
	skb_set_transport_header(skb, 34);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	skb_shinfo(skb)->gso_size = MSS;
	skb_shinfo(skb)->gso_segs = (u16)((len - 54 + MSS - 1) / MSS);
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u16)(skb_transport_header(skb) - skb->head);
	skb->csum_offset = 16;
	local_bh_disable();
	dev_queue_xmit(skb);
	local_bh_enable();
	ul_run_for(1000 * 1000);
}

static void test_gso_matches_tso(void **state)
{
	struct net_device *dev = tnic_up(NULL, "eth0", 1, 256, 10000);
	unsigned int len, i, n_tso;
	u8 *tso[32];
	unsigned int tso_len[32];
	u8 *buf = malloc(54 + 7500);

	(void)state;
	hw_nic_set_tx_sink(hw_nic_of(dev), sink, NULL);
	len = tframe_tcp(buf, dev->dev_addr, htonl(0x0a000001), htonl(0x0a000002), 1000, 80, 77,
			 7500, 9, 1);
	nsunk = 0;
	send_super(dev, buf, len);
	n_tso = nsunk;
	assert_int_equal(n_tso, 8);	/* 7 full segments and 500 bytes */
	for (i = 0; i < n_tso; i++) {
		tso[i] = sunk[i];
		tso_len[i] = sunk_len[i];
	}
	/* ethtool -K eth0 tso off: the stack segments (dev_gso_xmit -> skb_gso_segment). */
	dev->features &= ~NETIF_F_TSO;
	nsunk = 0;
	send_super(dev, buf, len);
	assert_int_equal(nsunk, n_tso);
	for (i = 0; i < n_tso; i++) {
		assert_int_equal(sunk_len[i], tso_len[i]);
		assert_memory_equal(sunk[i], tso[i], tso_len[i]);
		free(sunk[i]);
		free(tso[i]);
	}
	assert_int_equal(tnic_stat(dev, "tx_tcp_seg_good"), 1);
	free(buf);
	hw_nic_set_tx_sink(hw_nic_of(dev), NULL, NULL);
	ul_run_for(1000);
	tnic_del(NULL, "eth0");
}

/* skb_gso_segment itself: bad input is refused, never segmented wrongly. */
static void test_gso_bad_input(void **state)
{
	struct sk_buff *skb = alloc_skb(200, GFP_ATOMIC), *segs;

	(void)state;
	memset(skb_put(skb, 100), 0, 100);
	skb_shinfo(skb)->gso_size = 10;
	skb_shinfo(skb)->gso_type = SKB_GSO_UDP;
	segs = skb_gso_segment(skb, 0);
	assert_true(IS_ERR(segs));
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	segs = skb_gso_segment(skb, 0);	/* no headers set */
	assert_true(IS_ERR(segs));
	skb_shinfo(skb)->gso_size = 0;
	skb_shinfo(skb)->gso_type = 0;
	kfree_skb(skb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gro_merge, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_gro_flush_rules, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_gro_off, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_gso_matches_tso, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_gso_bad_input, ul_test_setup_sim,
						ul_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
