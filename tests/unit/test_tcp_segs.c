/* SPDX-License-Identifier: MIT */
/* TCP data segments crafted by hand (injected on a test device as received frames, the
 * answers read back from its transmit queue), for what a bulk transfer cannot pin down:
 * PAWS (an old timestamp is dropped with PAWSEstab and a duplicate ACK), the SACK block of
 * an out-of-order segment and the D-SACK of a duplicate (RFC 2018, RFC 2883), the ACK
 * that fills the hole, SACK blocks the sender must reject (TCPSACKDiscard), and the
 * receive window offered as data is queued.
 * Mirrors the behaviour of linux/net/ipv4/tcp_input.c (tcp_validate_incoming,
 * tcp_paws_discard, tcp_data_queue, tcp_data_queue_ofo, tcp_sack_new_ofo_skb,
 * tcp_dsack_set, tcp_sacktag_write_queue) and tcp_output.c (tcp_established_options)
 * (3.10). */
#include <errno.h>
#include <sys/ioctl.h>
#include "tcp_bulk_testutil.h"
#include "tcp_peer_testutil.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)

TCP_PEER_FIXTURES("t", false)

#define seg tcp_peer_seg
#define PEER_PORT 40100
#define OUR_PORT 80

/* Segments from 10.0.0.2:PEER_PORT to 10.0.0.1:OUR_PORT with window 1000 (scaled by 7:
 * 128000), and t0's segments back. */
TCP_PEER_SEG_IO(PEER_PORT, OUR_PORT, 1000)

static unsigned long nstat(int f)
{
	return tcp_netstat_read(tnet, f);
}

#define sack_blocks tcp_peer_sack_blocks

/* Our listener on OUR_PORT and a peer that completes the handshake with timestamps and
 * SACK; *@isn is our initial sequence number, the accepted fd is returned. The peer's ISN
 * is 1000, its first tsval 100. (@rcvbuf: SO_RCVBUF of the listener, inherited by the
 * child; 0 for the default.) */
static int establish_rcvbuf(int *lfd, u32 *isn, u32 *our_ts, int rcvbuf)
{
	return tcp_peer_establish(t0, PEER_PORT, OUR_PORT, lfd, isn, our_ts, rcvbuf);
}

static int establish(int *lfd, u32 *isn, u32 *our_ts)
{
	return establish_rcvbuf(lfd, isn, our_ts, 0);
}

#define abort_close tcp_peer_abort_close

static void test_paws(void **state)
{
	u8 data[10] = "0123456789", buf[32], o[40];
	struct tcphdr th;
	u32 isn, ts;
	int lfd, fd, inq = -1;
	unsigned long paws0 = nstat(LINUX_MIB_PAWSESTABREJECTED);
	struct seg s = { .seq = 1001, .flags = TCPHDR_ACK | TCPHDR_PSH, .tsval = 200,
			 .data = data, .len = 10 };

	(void)state;
	fd = establish(&lfd, &isn, &ts);
	s.ack = isn + 1;
	s.tsecr = ts;
	rx_seg(&s);
	assert_int_equal(ul_ioctl(fd, FIONREAD, &inq), 0);
	assert_int_equal(inq, 10);
	/* The next segment carries an older timestamp (150 < 200): an old duplicate. */
	ipt_dev_purge(t0);
	s.seq = 1011;
	s.tsval = 150;
	rx_seg(&s);
	assert_int_equal(nstat(LINUX_MIB_PAWSESTABREJECTED), paws0 + 1);
	assert_int_equal(ul_ioctl(fd, FIONREAD, &inq), 0);
	assert_int_equal(inq, 10);
	/* Answered at once with a duplicate ACK of what we have. */
	assert_true(tx_seg(&th, o, NULL));
	assert_int_equal(ntohl(th.ack_seq), 1011);
	/* The same segment with a fresh timestamp is taken. */
	s.tsval = 250;
	rx_seg(&s);
	assert_int_equal(ul_ioctl(fd, FIONREAD, &inq), 0);
	assert_int_equal(inq, 20);
	assert_int_equal(ul_recv(fd, buf, sizeof(buf), 0), 20);
	assert_int_equal(memcmp(buf, "01234567890123456789", 20), 0);
	abort_close(fd);
	ul_close(lfd);
}

static void test_ofo_sack_dsack(void **state)
{
	u8 data[100], o[40];
	struct tcphdr th;
	u32 isn, ts, e[8];
	int lfd, fd, inq = -1, n;
	unsigned long ofo0 = nstat(LINUX_MIB_TCPOFOQUEUE), dsack0 = nstat(LINUX_MIB_TCPDSACKOLDSENT);
	struct seg s = { .flags = TCPHDR_ACK, .tsval = 200, .data = data, .len = 100 };

	(void)state;
	memset(data, 'x', sizeof(data));
	fd = establish(&lfd, &isn, &ts);
	s.ack = isn + 1;
	s.tsecr = ts;
	/* 1101..1201 arrives before 1001..1101: queued out of order, ACKed at once with a
	 * SACK block for it. */
	s.seq = 1101;
	rx_seg(&s);
	assert_int_equal(nstat(LINUX_MIB_TCPOFOQUEUE), ofo0 + 1);
	assert_int_equal(ul_ioctl(fd, FIONREAD, &inq), 0);
	assert_int_equal(inq, 0);
	assert_true(tx_seg(&th, o, NULL));
	assert_int_equal(ntohl(th.ack_seq), 1001);
	n = sack_blocks(o, th.doff * 4u - 20, e);
	assert_int_equal(n, 1);
	assert_int_equal(e[0], 1101);
	assert_int_equal(e[1], 1201);
	/* 1301..1401: a second block, the newest first. */
	s.seq = 1301;
	rx_seg(&s);
	assert_true(tx_seg(&th, o, NULL));
	n = sack_blocks(o, th.doff * 4u - 20, e);
	assert_int_equal(n, 2);
	assert_int_equal(e[0], 1301);
	assert_int_equal(e[2], 1101);
	/* The hole 1001..1101 fills: the ACK jumps to 1201, one block left (1301..1401). */
	s.seq = 1001;
	rx_seg(&s);
	assert_true(tx_seg(&th, o, NULL));
	assert_int_equal(ntohl(th.ack_seq), 1201);
	n = sack_blocks(o, th.doff * 4u - 20, e);
	assert_int_equal(n, 1);
	assert_int_equal(e[0], 1301);
	assert_int_equal(ul_ioctl(fd, FIONREAD, &inq), 0);
	assert_int_equal(inq, 200);
	/* A duplicate of 1001..1101: D-SACK (RFC 2883) as the first block. */
	rx_seg(&s);
	assert_int_equal(nstat(LINUX_MIB_TCPDSACKOLDSENT), dsack0 + 1);
	assert_true(tx_seg(&th, o, NULL));
	assert_int_equal(ntohl(th.ack_seq), 1201);
	n = sack_blocks(o, th.doff * 4u - 20, e);
	assert_int_equal(n, 2);
	assert_int_equal(e[0], 1001);
	assert_int_equal(e[1], 1101);
	assert_int_equal(e[2], 1301);
	abort_close(fd);
	ul_close(lfd);
}

static void test_sack_scoreboard(void **state)
{
	u8 out[3000];
	struct tcphdr th;
	u32 isn, ts, blk[2];
	int lfd, fd, segs = 0;
	unsigned int dl;
	unsigned long disc0 = nstat(LINUX_MIB_TCPSACKDISCARD);
	struct seg s = { .seq = 1001, .flags = TCPHDR_ACK, .tsval = 300, .sack = blk, .nsack = 1 };
	struct tcp_sock *tp;

	(void)state;
	memset(out, 'y', sizeof(out));
	fd = establish(&lfd, &isn, &ts);
	tp = tcp_sk(sk_of(fd));
	/* Two segments of 1448 (MSS 1460 - 12 of timestamps) and one of 104. */
	assert_int_equal(ul_send(fd, out, sizeof(out), 0), (ssize_t)sizeof(out));
	ul_run_for(MS);
	while (segs < 10 && tx_seg(&th, NULL, &dl))
		if (dl)
			segs++;
	assert_int_equal(segs, 3);
	assert_int_equal(tp->packets_out, 3);
	s.ack = isn + 1;
	s.tsecr = ts;
	/* A block beyond snd_nxt is rejected (TCPSACKDiscard), nothing marked. */
	blk[0] = isn + 1 + 5000;
	blk[1] = isn + 1 + 6000;
	rx_seg(&s);
	assert_int_equal(nstat(LINUX_MIB_TCPSACKDISCARD), disc0 + 1);
	assert_int_equal(tcp_rec(tp)->sacked_out, 0);
	/* The second segment SACKed: Disorder, one SACKed, FACK count 2. */
	blk[0] = isn + 1 + 1448;
	blk[1] = isn + 1 + 2896;
	s.tsval++;
	rx_seg(&s);
	assert_int_equal(tcp_rec(tp)->sacked_out, 1);
	assert_int_equal(tcp_rec(tp)->fackets_out, 2);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Disorder);
	/* A block covering part of a segment marks nothing (whole segments only). */
	blk[0] = isn + 1 + 2900;
	blk[1] = isn + 1 + 3000;
	s.tsval++;
	rx_seg(&s);
	assert_int_equal(tcp_rec(tp)->sacked_out, 1);
	/* Everything ACKed: back to Open, the scoreboard empty. */
	s.ack = isn + 1 + 3000;
	s.nsack = 0;
	s.tsval++;
	rx_seg(&s);
	assert_int_equal(tp->packets_out, 0);
	assert_int_equal(tcp_rec(tp)->sacked_out, 0);
	assert_int_equal(tcp_rec(tp)->fackets_out, 0);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Open);
	abort_close(fd);
	ul_close(lfd);
}

/* A small receive buffer overflowing with out-of-order data: the queue is pruned
 * (PruneCalled) by collapsing the out-of-order queue (TCPRcvCollapsed), as 3.10, so
 * nothing queued is dropped (no OfoPruned); the data that fills the hole is taken and
 * all that was in the window is readable. (More: test_tcp_collapse.c.) */
static void test_ofo_prune(void **state)
{
	u8 data[200];
	u32 isn, ts;
	int lfd, fd, k, inq = -1;
	unsigned long prune0 = nstat(LINUX_MIB_PRUNECALLED), ofop0 = nstat(LINUX_MIB_OFOPRUNED);
	unsigned long coll0 = nstat(LINUX_MIB_TCPRCVCOLLAPSED);
	struct seg s = { .flags = TCPHDR_ACK, .tsval = 200, .data = data, .len = 200 };

	(void)state;
	memset(data, 'z', sizeof(data));
	fd = establish_rcvbuf(&lfd, &isn, &ts, 2048);
	s.ack = isn + 1;
	s.tsecr = ts;
	for (k = 1; k <= 12; k++) {
		s.seq = 1001 + 200 * (u32)k;
		rx_seg(&s);
	}
	ipt_dev_purge(t0);
	assert_true(nstat(LINUX_MIB_PRUNECALLED) > prune0);
	assert_true(nstat(LINUX_MIB_TCPRCVCOLLAPSED) > coll0);
	assert_int_equal(nstat(LINUX_MIB_OFOPRUNED), ofop0);
	assert_true(atomic_read(&sk_of(fd)->sk_rmem_alloc) <= sk_of(fd)->sk_rcvbuf);
	s.seq = 1001;
	rx_seg(&s);
	assert_int_equal(ul_ioctl(fd, FIONREAD, &inq), 0);
	/* The hole and the 7 segments after it that fit the window offered (the others
	 * were beyond it, dropped before any queueing): all there, none pruned. */
	assert_int_equal(inq, 8 * 200);
	abort_close(fd);
	ul_close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paws, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ofo_sack_dsack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sack_scoreboard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ofo_prune, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
