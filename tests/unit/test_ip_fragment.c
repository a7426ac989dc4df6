/* SPDX-License-Identifier: MIT */
/* IPv4 reassembly: datagrams rebuilt byte-exact from fragments in any order (ReasmReqds,
 * ReasmOKs), overlapping, oversized, tiny and contradictory fragments dropping the datagram
 * (ReasmFails), duplicates dropped alone, the ipfrag_time timeout (ReasmTimeout, ReasmFails
 * and an ICMP time exceeded when the first fragment came), and a flood of incomplete
 * datagrams held under ipfrag_high_thresh by the evictor. */
#include "ip_testdev.h"
#include "linux/sysctl.h"
#include "net/dropreason.h"

#define TPROTO 253
#define MAXFRAGS 64

static struct {
	int calls;
	unsigned int len;
	u8 data[65536];
} tp;

static int tproto_rcv(struct sk_buff *skb)
{
	tp.calls++;
	tp.len = skb->len;
	if (skb->len <= sizeof(tp.data))
		assert_int_equal(skb_copy_bits(skb, 0, tp.data, (int)skb->len), 0);
	consume_skb(skb);
	return 0;
}

static const struct net_protocol tproto = {
	.handler = tproto_rcv,
	.netns_ok = 1,
};

static struct net_device *t0;
static u8 frags[MAXFRAGS][1600];
static unsigned int flen[MAXFRAGS];
static u8 payload[8192];

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);
	unsigned int i;

	if (err)
		return err;
	tp.calls = 0;
	tp.len = 0;
	t0 = ipt_t0_up(&tproto, TPROTO);
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (u8)(i * 31 + (i >> 8));
	return 0;
}

static int teardown(void **state)
{
	return ipt_t0_down(state, t0, &tproto, TPROTO);
}

/* Cut @plen bytes of @pl into fragments of @fsz data bytes (a multiple of 8) from 10.0.0.2 to
 * 10.0.0.1, id @id; returns how many. */
static int make_frags(const u8 *pl, unsigned int plen, unsigned int fsz, u16 id)
{
	unsigned int off = 0;
	int n = 0;

	while (off < plen && n < MAXFRAGS) {
		unsigned int len = plen - off > fsz ? fsz : plen - off;
		u16 fo = (u16)(off >> 3);

		if (off + len < plen)
			fo |= IP_MF;
		flen[n] = ipt_build_ip(frags[n], ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"),
				       TPROTO, 64, id, fo, 5, NULL, pl + off, len);
		off += len;
		n++;
	}
	return n;
}

/* One fragment with data [@off, @off + @len) of @payload. */
static void rx_frag(u16 id, unsigned int off, unsigned int len, bool mf)
{
	u8 pkt[1600];
	unsigned int l;

	l = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), TPROTO, 64, id,
			 (u16)((off >> 3) | (mf ? IP_MF : 0)), 5, NULL, payload + off, len);
	ipt_rx(t0, pkt, l);
}

static void test_reasm_in_order(void **state)
{
	struct net *net = &init_net;
	int i, n;

	(void)state;
	n = make_frags(payload, sizeof(payload), 1480, 100);
	assert_int_equal(n, 6);
	for (i = 0; i < n; i++)
		ipt_rx(t0, frags[i], flen[i]);
	assert_int_equal(tp.calls, 1);
	assert_int_equal(tp.len, sizeof(payload));
	assert_memory_equal(tp.data, payload, sizeof(payload));
	assert_int_equal(IP_MIB(net, REASMREQDS), 6);
	assert_int_equal(IP_MIB(net, REASMOKS), 1);
	assert_int_equal(IP_MIB(net, REASMFAILS), 0);
	assert_int_equal(IP_MIB(net, INDELIVERS), 1);
	assert_int_equal(IP_MIB(net, INPKTS), 6);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ip_frag_mem(net), 0);
}

static void test_reasm_any_order(void **state)
{
	static const int order[] = { 3, 0, 5, 1, 4, 2 };
	struct net *net = &init_net;
	int i, n;

	(void)state;
	/* Reversed. */
	n = make_frags(payload, sizeof(payload), 1480, 200);
	for (i = n - 1; i >= 0; i--)
		ipt_rx(t0, frags[i], flen[i]);
	assert_int_equal(tp.calls, 1);
	assert_int_equal(tp.len, sizeof(payload));
	assert_memory_equal(tp.data, payload, sizeof(payload));

	/* Shuffled, with small 8-byte-multiple pieces of another datagram interleaved. */
	n = make_frags(payload, sizeof(payload), 1480, 201);
	for (i = 0; i < n; i++) {
		ipt_rx(t0, frags[order[i]], flen[order[i]]);
		if (i == 2)
			rx_frag(202, 16, 16, true);	/* another datagram's middle */
	}
	assert_int_equal(tp.calls, 2);
	assert_memory_equal(tp.data, payload, sizeof(payload));
	rx_frag(202, 0, 16, true);
	rx_frag(202, 32, 10, false);
	assert_int_equal(tp.calls, 3);
	assert_int_equal(tp.len, 42);
	assert_memory_equal(tp.data, payload, 42);
	assert_int_equal(IP_MIB(net, REASMOKS), 3);
	assert_int_equal(IP_MIB(net, REASMREQDS), 15);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ip_frag_mem(net), 0);
}

/* Overlaps drop the whole datagram; an exact duplicate only itself. */
static void test_overlap_and_duplicates(void **state)
{
	struct net *net = &init_net;

	(void)state;
	rx_frag(300, 0, 1480, true);
	assert_int_equal(ip_frag_nqueues(net), 1);
	rx_frag(300, 1472, 100, false);	/* overlaps the first by 8 bytes */
	assert_int_equal(IP_MIB(net, REASMFAILS), 1);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ip_frag_mem(net), 0);
	assert_int_equal(tp.calls, 0);

	/* Overlap from behind: a later fragment arrives first. */
	rx_frag(301, 64, 64, false);
	rx_frag(301, 0, 72, true);
	assert_int_equal(IP_MIB(net, REASMFAILS), 2);
	assert_int_equal(ip_frag_nqueues(net), 0);

	/* A duplicate is dropped alone. */
	rx_frag(302, 0, 64, true);
	rx_frag(302, 0, 64, true);
	assert_int_equal(ip_frag_nqueues(net), 1);
	assert_int_equal(IP_MIB(net, REASMFAILS), 2);
	rx_frag(302, 64, 30, false);
	assert_int_equal(tp.calls, 1);
	assert_int_equal(tp.len, 94);
	assert_memory_equal(tp.data, payload, 94);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_DUP_FRAG), 3);
	assert_int_equal(ip_frag_mem(net), 0);
}

/* Malformed fragments: past 65535, tiny, contradicting last fragments. */
static void test_bad_fragments(void **state)
{
	struct net *net = &init_net;
	u8 pkt[1600];
	unsigned int l;

	(void)state;
	/* offset 65512 + 100 bytes + the header: beyond the largest datagram. */
	l = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), TPROTO, 64, 400,
			 (u16)(65512 >> 3), 5, NULL, payload, 100);
	ipt_rx(t0, pkt, l);
	assert_int_equal(IP_MIB(net, REASMFAILS), 1);
	assert_int_equal(ip_frag_nqueues(net), 0);

	/* A first fragment with MF and 4 bytes: less than one 8-byte block. */
	rx_frag(401, 0, 4, true);
	assert_int_equal(IP_MIB(net, REASMFAILS), 2);
	assert_int_equal(ip_frag_nqueues(net), 0);

	/* Two different ends. */
	rx_frag(402, 64, 36, false);	/* ends at 100 */
	rx_frag(402, 104, 96, false);	/* ends at 200 */
	assert_int_equal(IP_MIB(net, REASMFAILS), 3);
	assert_int_equal(ip_frag_nqueues(net), 0);

	/* Offset 0 without MF is not a fragment: delivered as it is. */
	rx_frag(403, 0, 40, false);
	assert_int_equal(tp.calls, 1);

	/* Data beyond the end already known. */
	rx_frag(404, 80, 20, false);	/* ends at 100 */
	rx_frag(404, 96, 16, true);	/* MF beyond the end */
	assert_int_equal(IP_MIB(net, REASMFAILS), 4);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ip_frag_mem(net), 0);
	assert_int_equal(IP_MIB(net, REASMOKS), 0);
}

/* ipfrag_time (30 s): the queue dies with ReasmTimeout + ReasmFails, and an ICMP time
 * exceeded (fragment reassembly) goes to the sender when the first fragment was there. */
static void test_timeout(void **state)
{
	struct net *net = &init_net;
	struct sk_buff *skb;
	u8 out[256];
	char buf[16];

	(void)state;
	assert_int_equal(ul_sysctl_read(net, "net.ipv4.ipfrag_time", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "30");

	rx_frag(500, 0, 1480, true);	/* the first */
	rx_frag(501, 1480, 100, false);	/* only a later one */
	assert_int_equal(ip_frag_nqueues(net), 2);
	ul_run_for(29ULL * 1000 * 1000 * 1000);
	assert_int_equal(IP_MIB(net, REASMTIMEOUT), 0);
	ul_run_for(2ULL * 1000 * 1000 * 1000);
	assert_int_equal(IP_MIB(net, REASMTIMEOUT), 2);
	assert_int_equal(IP_MIB(net, REASMFAILS), 2);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ip_frag_mem(net), 0);

	/* One ICMP, for the datagram whose first fragment came. */
	assert_int_equal(ICMP_OUT(net, ICMP_TIME_EXCEEDED), 1);
	assert_int_equal(ipt_txq_len(t0), 1);
	skb = ipt_pop(t0);
	ipt_l3_copy(skb, out, sizeof(out));
	consume_skb(skb);
	assert_int_equal(out[20], ICMP_TIME_EXCEEDED);
	assert_int_equal(out[21], ICMP_EXC_FRAGTIME);
	/* The quote is the first fragment's header (id 500) and data. */
	assert_int_equal(ntohs(((struct iphdr *)(out + 28))->id), 500);
	assert_memory_equal(out + 48, payload, 64);
}

/* A flood of incomplete datagrams: the charge stays under ipfrag_high_thresh (checked when
 * each fragment arrives, so at most one fragment over), evicted queues count as failures. */
static void test_flood_bounded(void **state)
{
	struct net *net = &init_net;
	char buf[32];
	int i, high, max_mem = 0;

	(void)state;
	assert_int_equal(ul_sysctl_read(net, "net.ipv4.ipfrag_high_thresh", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "4194304");
	assert_int_equal(ul_sysctl_read(net, "net.ipv4.ipfrag_low_thresh", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "3145728");
	high = 4194304;

	for (i = 0; i < 4000; i++) {
		rx_frag((u16)(1000 + i), 0, 1480, true);
		if (ip_frag_mem(net) > max_mem)
			max_mem = ip_frag_mem(net);
	}
	assert_true(max_mem > 3145728);
	assert_true(max_mem <= high + 4096);
	assert_true(IP_MIB(net, REASMFAILS) > 0);
	assert_int_equal(IP_MIB(net, REASMFAILS) + (u64)ip_frag_nqueues(net), 4000);
	assert_int_equal(IP_MIB(net, REASMREQDS), 4000);

	/* Lower thresholds take effect at the next fragment. */
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.ipfrag_high_thresh", "262144"), 0);
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.ipfrag_low_thresh", "196608"), 0);
	rx_frag(9999, 0, 1480, true);
	assert_true(ip_frag_mem(net) <= 196608 + 4096);

	/* What is left times out. */
	ul_run_for(31ULL * 1000 * 1000 * 1000);
	assert_int_equal(ip_frag_nqueues(net), 0);
	assert_int_equal(ip_frag_mem(net), 0);
}

/* Namespaces keep their own queues: the same datagram id in two namespaces. */
static void test_netns_queues(void **state)
{
	struct net *b = ul_netns_create("b");
	struct net_device *tb;
	int i, n;

	(void)state;
	assert_false(IS_ERR(b));
	tb = ipt_dev_new(b, "t0", 3, 1500);
	ipt_addr_add(tb, "10.0.0.1", 24);
	n = make_frags(payload, 3000, 1480, 600);
	assert_int_equal(n, 3);
	ipt_rx(t0, frags[0], flen[0]);
	ipt_rx(tb, frags[1], flen[1]);
	assert_int_equal(ip_frag_nqueues(&init_net), 1);
	assert_int_equal(ip_frag_nqueues(b), 1);
	for (i = 1; i < n; i++)
		ipt_rx(t0, frags[i], flen[i]);
	assert_int_equal(tp.calls, 1);
	assert_int_equal(ip_frag_nqueues(b), 1);
	/* b's lone fragment times out there (no first fragment: no ICMP). */
	ul_run_for(31ULL * 1000 * 1000 * 1000);
	assert_int_equal(ip_frag_nqueues(b), 0);
	assert_int_equal(IP_MIB(b, REASMTIMEOUT), 1);
	assert_int_equal(IP_MIB(&init_net, REASMTIMEOUT), 0);
	ipt_dev_del(tb);
	assert_int_equal(ul_netns_destroy(b), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reasm_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reasm_any_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap_and_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_fragments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_netns_queues, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
