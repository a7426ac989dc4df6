/* SPDX-License-Identifier: MIT */
/* The out-of-order receive state of a TCP socket (issue #10, idle TCP bytes per socket):
 * the out-of-order queue, the D-SACK block and the four SACK blocks are allocated together
 * on first use (tcp_sock.ofo) and freed with the socket. An in-order connection never has
 * them; the first out-of-order segment or the first D-SACK brings them, with 3.10's SACK
 * blocks and counters; a child of a listener starts without them; a transfer over a wire
 * that loses and reorders stays byte-exact. The teardown's leak check proves they go with
 * the socket.
 * Mirrors the behaviour of linux/net/ipv4/tcp_input.c (tcp_data_queue, tcp_data_queue_ofo,
 * tcp_dsack_set, tcp_sack_remove) and tcp_output.c (tcp_options_write) (3.10). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sock_tcp_testutil.h"
#include "tcp_bulk_testutil.h"
#include "tcp_peer_testutil.h"
#include "hw_test_util.h"
#include "tcp_wire_testutil.h"
#include "net_testutil.h"
#include "linux/slab.h"
#include "linux/tcp.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

TCP_PEER_FIXTURES("of", false)

#define PEER_PORT 40600
#define OUR_PORT 80
#define SEG 100
#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)

static u32 g_isn, g_ts, g_tsval;

/* @len bytes of the stream (bulk_pattern) at peer offset @off, plain ACK. */
static void peer_send(u32 off, unsigned int len)
{
	u8 data[1400];

	assert_true(len <= sizeof(data));
	bulk_fill(data, off, len);
	tcp_peer_send(t0, PEER_PORT, OUR_PORT, 1001 + off, g_isn + 1, TCPHDR_ACK, g_tsval++,
		      g_ts, data, len);
}

/* Like peer_send, but the stack's answer is kept: its SACK blocks' edges in @edges, the
 * count returned. */
static int peer_send_sacks(u32 off, unsigned int len, u32 *edges)
{
	struct tcp_peer_seg s;
	struct tcphdr th;
	u8 data[1400], o[40];
	int n = -1;

	assert_true(len <= sizeof(data));
	bulk_fill(data, off, len);
	memset(&s, 0, sizeof(s));
	s.seq = 1001 + off;
	s.ack = g_isn + 1;
	s.flags = TCPHDR_ACK;
	s.tsval = g_tsval++;
	s.tsecr = g_ts;
	s.data = data;
	s.len = len;
	tcp_peer_rx_seg(t0, &s, PEER_PORT, OUR_PORT, 1000);
	ul_run_for(MS);
	/* The first segment the stack sent: the immediate ACK. */
	if (tcp_peer_pop(t0, &th, o, NULL, TCP_PEER_POP_CHECK))
		n = tcp_peer_sack_blocks(o, th.doff * 4u - 20, edges);
	ipt_dev_purge(t0);
	return n;
}

static int establish(int *lfd, struct sock **sk)
{
	int fd = tcp_peer_establish(t0, PEER_PORT, OUR_PORT, lfd, &g_isn, &g_ts, 0);

	g_tsval = 200;
	*sk = sk_of(fd);
	return fd;
}

/* In-order data leaves the state unallocated (the listener and its child start without
 * it); the first out-of-order segment brings it, one kmalloc-128 object, with SACK block 1
 * = the segment; filling the hole empties the queue and the SACK blocks (the state stays
 * until the socket goes). */
static void test_ofo_state_on_first_ofo_segment(void **state)
{
	struct tcp_sock *tp;
	struct sock *sk;
	unsigned long ofoq0;
	u32 edges[8];
	int lfd, fd;

	(void)state;
	fd = establish(&lfd, &sk);
	tp = tcp_sk(sk);
	assert_null(tcp_sk(sk_of(lfd))->ofo);
	assert_null(tp->ofo);
	assert_true(tcp_ofo_queue_empty(tp));
	assert_null(tcp_ofo_peek(tp));

	peer_send(0, SEG);
	peer_send(SEG, SEG);
	assert_int_equal(tp->rcv_nxt, 1001 + 2 * SEG);
	assert_null(tp->ofo);
	assert_int_equal(tp->rx_opt.num_sacks, 0);

	/* Segment 3 before 2: out of order. */
	ofoq0 = tcp_netstat_read(tnet, LINUX_MIB_TCPOFOQUEUE);
	assert_int_equal(peer_send_sacks(3 * SEG, SEG, edges), 1);
	assert_int_equal(edges[0], 1001 + 3 * SEG);
	assert_int_equal(edges[1], 1001 + 4 * SEG);
	assert_non_null(tp->ofo);
	assert_int_equal(ksize(tp->ofo), 128);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TCPOFOQUEUE) - ofoq0, 1);
	assert_int_equal(tp->rcv_nxt, 1001 + 2 * SEG);
	assert_int_equal(skb_queue_len(&tp->ofo->out_of_order_queue), 1);
	assert_int_equal(tp->rx_opt.num_sacks, 1);
	assert_int_equal(tp->ofo->selective_acks[0].start_seq, 1001 + 3 * SEG);
	assert_int_equal(tp->ofo->selective_acks[0].end_seq, 1001 + 4 * SEG);
	assert_false(tcp_ofo_queue_empty(tp));

	/* Segment 5: a second block, the most recent first. */
	assert_int_equal(peer_send_sacks(5 * SEG, SEG, edges), 2);
	assert_int_equal(edges[0], 1001 + 5 * SEG);
	assert_int_equal(edges[2], 1001 + 3 * SEG);

	/* Segment 2 fills the first hole: 3 joins the receive queue, block 5 stays. */
	assert_int_equal(peer_send_sacks(2 * SEG, SEG, edges), 1);
	assert_int_equal(edges[0], 1001 + 5 * SEG);
	assert_int_equal(tp->rcv_nxt, 1001 + 4 * SEG);
	/* Segment 4: everything in order, no SACK block, the queue empty. */
	assert_int_equal(peer_send_sacks(4 * SEG, SEG, edges), 0);
	assert_int_equal(tp->rcv_nxt, 1001 + 6 * SEG);
	assert_int_equal(tp->rx_opt.num_sacks, 0);
	assert_non_null(tp->ofo);
	assert_true(tcp_ofo_queue_empty(tp));
	bulk_read_exact(fd, 6 * SEG);
	/* Freed with the socket: the teardown's leak check. */
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* A duplicate of data already received is reported in a D-SACK block (RFC 2883), which
 * lives in the same state: the first D-SACK of an in-order connection allocates it. */
static void test_ofo_state_on_first_dsack(void **state)
{
	struct tcp_sock *tp;
	struct sock *sk;
	unsigned long old0;
	u32 edges[8];
	int lfd, fd;

	(void)state;
	fd = establish(&lfd, &sk);
	tp = tcp_sk(sk);
	peer_send(0, SEG);
	peer_send(SEG, SEG);
	assert_null(tp->ofo);

	old0 = tcp_netstat_read(tnet, LINUX_MIB_TCPDSACKOLDSENT);
	assert_int_equal(peer_send_sacks(0, SEG, edges), 1);
	assert_int_equal(edges[0], 1001);
	assert_int_equal(edges[1], 1001 + SEG);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TCPDSACKOLDSENT) - old0, 1);
	assert_non_null(tp->ofo);
	assert_true(tcp_ofo_queue_empty(tp));
	assert_int_equal(tp->ofo->duplicate_sack[0].start_seq, 1001);
	assert_int_equal(tp->ofo->duplicate_sack[0].end_seq, 1001 + SEG);
	/* Sent once: the block is cleared with the ACK that carried it. */
	assert_int_equal(tp->rx_opt.dsack, 0);
	assert_int_equal(tp->rx_opt.num_sacks, 0);
	bulk_read_exact(fd, 2 * SEG);
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

struct lossy {
	size_t total, sent, received;
	int bad, eof, tx_err, rx_err, ready;
	bool had_ofo;
};

static int receiver(void *arg)
{
	struct lossy *im = arg;

	return bulk_serve_one_state("10.9.0.2", 80, 1, &im->ready, &im->received, &im->bad,
				    &im->eof, &im->rx_err, &im->had_ofo);
}

static int sender(void *arg)
{
	struct lossy *im = arg;

	return bulk_send_one("10.9.0.2", 80, &im->ready, 65536, im->total, &im->sent,
			     &im->tx_err);
}

/* 4 MiB between two simulated NICs over a wire that loses 3% and reorders 5% of the
 * frames and duplicates 1% (seeded): byte-exact, the receiver's out-of-order queue used
 * (its state allocated) and D-SACKs reported. */
static void test_lossy_reordering_transfer(void **state)
{
	struct lossy im = { .total = 4u << 20 };
	struct hw_impair imp = { .delay_ns = 1000000, .loss_ppm = 30000, .reorder_ppm = 50000,
				 .duplicate_ppm = 10000, .seed = 1080 };
	struct net *na, *nb;

	(void)state;
	wire_pair_up("10.9.0", &imp, NULL);
	na = ul_net_by_name("a");
	nb = ul_net_by_name("b");
	bulk_run_tasks("a", "b", receiver, sender, &im);
	assert_int_equal(im.tx_err, 0);
	assert_int_equal(im.rx_err, 0);
	assert_int_equal(im.sent, im.total);
	bulk_assert_intact(im.total, im.received, im.bad, im.eof);
	assert_true(im.had_ofo);
	assert_true(tcp_netstat_read(nb, LINUX_MIB_TCPOFOQUEUE) > 0);
	assert_int_equal(tcp_netstat_read(nb, LINUX_MIB_TCPOFODROP), 0);
	assert_true(tcp_netstat_read(na, LINUX_MIB_TCPDSACKRECV) > 0);
	assert_int_equal(tcp_mib_read(na, TCP_MIB_OUTRSTS), 0);
	assert_int_equal(tcp_mib_read(nb, TCP_MIB_OUTRSTS), 0);
	ul_run_for(3 * SEC);
	wire_pair_down();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ofo_state_on_first_ofo_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ofo_state_on_first_dsack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lossy_reordering_transfer, ul_test_setup_sim,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
