/* SPDX-License-Identifier: MIT */
/* Receive-queue collapsing under memory pressure: a receiver with a small SO_RCVBUF that
 * does not read, fed many small segments by a crafted peer (in order, out of order in
 * runs with gaps, and under tcp_mem pressure), and over lo with the sender's paged skbs.
 * tcp_prune_queue (PruneCalled) must rebuild
 * the bloated skbs into tightly packed ones (TCPRcvCollapsed) rather than drop anything
 * (no RcvPruned, no OfoPruned while collapsing is enough), keep the memory charged under
 * the buffer, keep each out-of-order run apart from the next, and deliver the stream
 * byte-exact once the holes are filled.
 * Mirrors the behaviour of linux/net/ipv4/tcp_input.c (tcp_prune_queue, tcp_collapse,
 * tcp_collapse_ofo_queue, tcp_clamp_window, tcp_try_rmem_schedule) and net/core/sock.c
 * (__sk_mem_schedule, tcp_enter_memory_pressure) (3.10). */
#include <errno.h>
#include <string.h>
#include "sock_tcp_testutil.h"
#include "tcp_bulk_testutil.h"
#include "tcp_peer_testutil.h"
#include "net/tcp.h"
#include "linux/tcp.h"
#include "ulnet/socket.h"

TCP_PEER_FIXTURES("c", true)

#define PEER_PORT 40300
#define OUR_PORT 80
#define SEG 100		/* payload of each small segment */
#define RCVBUF 8192	/* SO_RCVBUF: sk_rcvbuf 16384 */

static u32 g_isn, g_ts, g_tsval;

static unsigned long nstat(int f)
{
	return tcp_netstat_read(tnet, f);
}

/* The counters a test checks, before and after. */
struct prune_counts {
	unsigned long called, collapsed, rcvpruned, ofopruned, pressures;
};

static void counts_read(struct prune_counts *c)
{
	c->called = nstat(LINUX_MIB_PRUNECALLED);
	c->collapsed = nstat(LINUX_MIB_TCPRCVCOLLAPSED);
	c->rcvpruned = nstat(LINUX_MIB_RCVPRUNED);
	c->ofopruned = nstat(LINUX_MIB_OFOPRUNED);
	c->pressures = nstat(LINUX_MIB_TCPMEMORYPRESSURES);
}

/* @len bytes of the stream (bulk_pattern) at peer offset @off: seq 1001 + @off. */
static void peer_data(u32 off, unsigned int len)
{
	u8 data[SEG * 4];

	assert_true(len <= sizeof(data));
	bulk_fill(data, off, len);
	tcp_peer_send(t0, PEER_PORT, OUR_PORT, 1001 + off, g_isn + 1, TCPHDR_ACK, g_tsval++, g_ts,
		      data, len);
}

static int establish(int *lfd)
{
	int fd = tcp_peer_establish(t0, PEER_PORT, OUR_PORT, lfd, &g_isn, &g_ts, RCVBUF);

	g_tsval = 200;
	assert_int_equal(sk_of(fd)->sk_rcvbuf, 2 * RCVBUF);
	return fd;
}

/* The memory charged to @sk's receive side stays within the buffer, give or take
 * @slack: what 3.10 lets through before it checks. The slow path prunes when rmem is over
 * sk_rcvbuf before queueing (so one segment's truesize over at most); header prediction
 * (in-order data) queues without that check while the segment fits the memory already
 * scheduled (sk_forward_alloc, under one SK_MEM_QUANTUM after a reclaim). */
static void assert_rmem_bounded(struct sock *sk, int slack)
{
	if (atomic_read(&sk->sk_rmem_alloc) > sk->sk_rcvbuf + slack)
		fail_msg("rmem %d rcvbuf %d slack %d rq %u ofo %u", atomic_read(&sk->sk_rmem_alloc),
			 sk->sk_rcvbuf, slack, skb_queue_len(&sk->sk_receive_queue),
			 tcp_sk(sk)->ofo ? skb_queue_len(&tcp_sk(sk)->ofo->out_of_order_queue) : 0);
}

/* Reads @len bytes from @fd and checks them against the stream from offset 0; while
 * nothing is there the clock runs (a sender held back by the window sends the rest). */
static void read_and_check(int fd, size_t len)
{
	static unsigned char buf[65536];
	size_t got = 0, i;
	int guard = 0;

	assert_true(len <= sizeof(buf));
	while (got < len && ++guard < 1000) {
		ssize_t n = ul_recv(fd, buf + got, len - got, 0);

		if (n < 0) {
			assert_int_equal(errno, EAGAIN);
			ul_run_for(10 * MS);
			continue;
		}
		assert_true(n > 0);
		got += (size_t)n;
	}
	assert_int_equal(got, len);
	for (i = 0; i < len; i++)
		if (buf[i] != bulk_pattern(i))
			fail_msg("byte %zu: %u, expected %u", i, buf[i], bulk_pattern(i));
	assert_int_equal(ul_recv(fd, buf, 1, 0), -1);
	assert_int_equal(errno, EAGAIN);
}

/* A segment's truesize as queue @q holds it (its first skb). */
static unsigned int first_truesize(struct sk_buff_head *q)
{
	struct sk_buff *skb = skb_peek(q);

	assert_non_null(skb);
	return skb->truesize;
}

/* In-order small segments, never read: each bloated skb (truesize more than twice its
 * data) costs the buffer; at the limit the receive queue is collapsed, not dropped. */
static void test_collapse_in_order(void **state)
{
	struct prune_counts c0, c1;
	struct sock *sk;
	struct tcp_sock *tp;
	unsigned int ts = 0, k, nsegs = 60;
	int lfd, fd;

	(void)state;
	fd = establish(&lfd);
	sk = sk_of(fd);
	tp = tcp_sk(sk);
	counts_read(&c0);
	for (k = 0; k < nsegs; k++) {
		assert_true(tcp_receive_window(tp) >= SEG);
		peer_data(k * SEG, SEG);
		assert_int_equal(tp->rcv_nxt, 1001 + (k + 1) * SEG);
		if (!ts)
			ts = first_truesize(&sk->sk_receive_queue);
		assert_rmem_bounded(sk, SK_MEM_QUANTUM);
	}
	counts_read(&c1);
	/* A bloated skb: tcp_collapse's test (tcp_win_from_space(truesize) > len). */
	assert_true(tcp_win_from_space((int)ts) > SEG);
	assert_true(c1.called > c0.called);
	assert_true(c1.collapsed > c0.collapsed);
	assert_int_equal(c1.rcvpruned, c0.rcvpruned);
	assert_int_equal(c1.ofopruned, c0.ofopruned);
	/* Fewer skbs than segments: most were rebuilt into page-sized ones. */
	assert_true(skb_queue_len(&sk->sk_receive_queue) < nsegs / 4);
	/* Within a quantum of the buffer, not under it: the fast path merges a segment into
	 * the tail (tcp_try_coalesce, a stolen head) checking only sk_forward_alloc (3.10
	 * tcp_rcv_established), so the last segments may take rmem past sk_rcvbuf. */
	assert_rmem_bounded(sk, SK_MEM_QUANTUM);
	read_and_check(fd, nsegs * SEG);
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* A partly read queue collapses from copied_seq: the bytes already read go, the rest
 * reads on exactly. */
static void test_collapse_partly_read(void **state)
{
	static unsigned char buf[SEG * 80];
	struct prune_counts c0, c1;
	struct sock *sk;
	struct tcp_sock *tp;
	unsigned int k, nsegs = 60, first = 150;
	size_t i;
	int lfd, fd;
	ssize_t n;

	(void)state;
	fd = establish(&lfd);
	sk = sk_of(fd);
	tp = tcp_sk(sk);
	for (k = 0; k < 3; k++)
		peer_data(k * SEG, SEG);
	/* Read 150 bytes: the second skb half read. */
	assert_int_equal(ul_recv(fd, buf, first, 0), (ssize_t)first);
	counts_read(&c0);
	for (; k < nsegs; k++) {
		assert_true(tcp_receive_window(tp) >= SEG);
		peer_data(k * SEG, SEG);
	}
	counts_read(&c1);
	assert_true(c1.collapsed > c0.collapsed);
	assert_int_equal(c1.rcvpruned, c0.rcvpruned);
	/* The head of the queue now starts where the reader is. */
	assert_int_equal(TCP_SKB_CB(skb_peek(&sk->sk_receive_queue))->seq, tp->copied_seq);
	n = ul_recv(fd, buf + first, sizeof(buf) - first, 0);
	assert_int_equal(n, (ssize_t)(nsegs * SEG - first));
	for (i = 0; i < nsegs * SEG; i++)
		if (buf[i] != bulk_pattern(i))
			fail_msg("byte %zu: %u, expected %u", i, buf[i], bulk_pattern(i));
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* Out-of-order runs (the first segment missing, and a second gap): the out-of-order
 * queue is collapsed run by run (no skb spans a gap), nothing is pruned; filling the
 * holes delivers the whole stream exactly. */
static void test_collapse_ofo(void **state)
{
	struct prune_counts c0, c1;
	struct sock *sk;
	struct tcp_sock *tp;
	struct sk_buff *skb;
	unsigned int k, nsegs = 50, gap = 25, ts = 0, runs = 0;
	int lfd, fd;
	u32 prev_end = 0;

	(void)state;
	fd = establish(&lfd);
	sk = sk_of(fd);
	tp = tcp_sk(sk);
	counts_read(&c0);
	for (k = 1; k < nsegs; k++) {
		if (k == gap)
			continue;
		peer_data(k * SEG, SEG);
		if (!ts)
			ts = first_truesize(&tp->ofo->out_of_order_queue);
		assert_rmem_bounded(sk, (int)ts);
	}
	counts_read(&c1);
	assert_int_equal(tp->rcv_nxt, 1001);
	assert_true(c1.called > c0.called);
	assert_true(c1.collapsed > c0.collapsed);
	assert_int_equal(c1.ofopruned, c0.ofopruned);
	assert_int_equal(c1.rcvpruned, c0.rcvpruned);
	/* The queue is in order, its skbs do not overlap, none spans the gap. */
	skb_queue_walk(&tp->ofo->out_of_order_queue, skb) {
		u32 seq = TCP_SKB_CB(skb)->seq, end = TCP_SKB_CB(skb)->end_seq;

		assert_true(after(end, seq));
		if (prev_end)
			assert_false(before(seq, prev_end));
		if (!prev_end || seq != prev_end)
			runs++;
		assert_false(before(seq, 1001 + gap * SEG) && after(end, 1001 + gap * SEG));
		prev_end = end;
	}
	assert_int_equal(runs, 2);
	assert_true(skb_queue_len(&tp->ofo->out_of_order_queue) < (nsegs - 2) / 4);
	assert_int_equal(TCP_SKB_CB(skb_peek(&tp->ofo->out_of_order_queue))->seq, 1001 + SEG);
	assert_int_equal(TCP_SKB_CB(skb_peek_tail(&tp->ofo->out_of_order_queue))->end_seq,
			 1001 + nsegs * SEG);

	/* Fill the holes: everything is in order. */
	peer_data(0, SEG);
	assert_int_equal(tp->rcv_nxt, 1001 + gap * SEG);
	peer_data(gap * SEG, SEG);
	assert_int_equal(tp->rcv_nxt, 1001 + nsegs * SEG);
	assert_true(skb_queue_empty(&tp->ofo->out_of_order_queue));
	read_and_check(fd, nsegs * SEG);
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* tcp_mem pressure: over tcp_mem[1] TCP enters memory pressure once (TCPMemoryPressures);
 * over tcp_mem[2] a receive that cannot be charged prunes with the window clamped to
 * 4 * advmss (rcv_ssthresh) and collapses, which frees enough: the data is still taken. */
static void test_mem_pressure(void **state)
{
	struct prune_counts c0, c1;
	struct sock *sk;
	struct tcp_sock *tp;
	long saved[3];
	unsigned int k, nsegs = 40;
	int lfd, fd;

	(void)state;
	fd = establish(&lfd);
	sk = sk_of(fd);
	tp = tcp_sk(sk);
	memcpy(saved, sysctl_tcp_mem, sizeof(saved));
	assert_int_equal(tcp_memory_pressure, 0);
	counts_read(&c0);
	/* Pages: pressure above 1, the hard limit above 3. */
	sysctl_tcp_mem[0] = 1;
	sysctl_tcp_mem[1] = 1;
	sysctl_tcp_mem[2] = 3;
	for (k = 0; k < nsegs; k++) {
		assert_true(tcp_receive_window(tp) >= SEG);
		peer_data(k * SEG, SEG);
		assert_int_equal(tp->rcv_nxt, 1001 + (k + 1) * SEG);
	}
	counts_read(&c1);
	memcpy(sysctl_tcp_mem, saved, sizeof(saved));
	assert_int_equal(c1.pressures, c0.pressures + 1);
	assert_int_equal(tcp_memory_pressure, 1);
	assert_true(c1.called > c0.called);
	assert_true(c1.collapsed > c0.collapsed);
	assert_int_equal(c1.rcvpruned, c0.rcvpruned);
	assert_true(tp->rcv_ssthresh <= 4U * tp->advmss);
	read_and_check(fd, nsegs * SEG);
	/* Back under tcp_mem[0]: the pressure ends at the next reclaim. */
	sk_mem_reclaim(sk);
	assert_int_equal(tcp_memory_pressure, 0);
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* Over lo the receive queue holds the sender's skbs, whose data sits in page fragments
 * (a scatter-gather route): collapsing copies it out with skb_copy_bits. Small writes
 *  (TCP_NODELAY: one segment each) to a receiver whose buffer was cut after the
 * handshake (SO_RCVBUF 8192), never read until the end: collapsed, nothing pruned,
 * byte-exact. */
static void test_collapse_lo_paged(void **state)
{
	struct prune_counts c0, c1;
	unsigned char chunk[SEG];
	unsigned int k, nsegs = 100, paged = 0;
	int lfd, cfd, sfd, one = 1, rcvbuf = RCVBUF;
	struct sk_buff *skb;
	struct sock *sk;

	(void)state;
	tcp_pair(7301, &lfd, &cfd, &sfd);
	assert_int_equal(ul_setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)), 0);
	assert_int_equal(ul_setsockopt(sfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
	sk = sk_of(sfd);
	counts_read(&c0);
	for (k = 0; k < nsegs; k++) {
		bulk_fill(chunk, k * SEG, SEG);
		assert_int_equal(ul_send(cfd, chunk, SEG, 0), SEG);
		ul_run_for(MS);
		skb_queue_walk(&sk->sk_receive_queue, skb)
			if (skb_shinfo(skb)->nr_frags)
				paged++;
	}
	counts_read(&c1);
	/* The data did come in page fragments, and was collapsed. */
	assert_true(paged > 0);
	assert_true(c1.collapsed > c0.collapsed);
	assert_int_equal(c1.rcvpruned, c0.rcvpruned);
	assert_true(atomic_read(&sk->sk_rmem_alloc) <= sk->sk_rcvbuf + SK_MEM_QUANTUM);
	/* (The window closed on the way: the sender holds the tail until the reader reads.) */
	read_and_check(sfd, nsegs * SEG);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_collapse_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collapse_partly_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collapse_ofo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collapse_lo_paged, setup, teardown),
		/* Last: it changes tcp_mem, global as in 3.10 (restored unless it fails). */
		cmocka_unit_test_setup_teardown(test_mem_pressure, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
