/* SPDX-License-Identifier: MIT */
/* TCP input against crafted segments (injected on a test device as received frames, the
 * answers read back from its transmit queue): RST to a closed port and to an ACK for a
 * listener with RFC 793's sequence numbers, bad checksums and data offsets counted as 3.10
 * counts them, segments a listener ignores (RST, SYN+FIN, no flags), malformed options,
 * the SYN-ACK's options, and a retransmitted SYN answered with the same SYN-ACK.
 * Mirrors the behaviour of linux/net/ipv4/tcp_ipv4.c (tcp_v4_rcv, tcp_v4_send_reset),
 * tcp_input.c (tcp_parse_options, tcp_rcv_state_process), tcp_minisocks.c (3.10). */
#include <errno.h>
#include "tcp_peer_testutil.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)

TCP_PEER_FIXTURES("t", false)

struct seg {
	u16 sport, dport;
	u32 seq, ack;
	u8 flags;
	u16 win;
	const u8 *opt;
	unsigned int optlen;	/* multiple of 4 */
	int doff;		/* 0: right */
	int badsum;
};

/* A segment from 10.0.0.2 to 10.0.0.1, received by t0. */
static void rx_seg(const struct seg *s)
{
	u8 tcp[80];
	struct tcphdr *th = (struct tcphdr *)tcp;
	unsigned int tlen = 20 + s->optlen;

	memset(tcp, 0, sizeof(tcp));
	th->source = htons(s->sport);
	th->dest = htons(s->dport);
	th->seq = htonl(s->seq);
	th->ack_seq = htonl(s->ack);
	th->doff = (u16)(s->doff ? s->doff : (int)tlen / 4) & 0xf;
	tcp[13] = s->flags;
	th->window = htons(s->win ? s->win : 29200);
	if (s->optlen)
		memcpy(tcp + 20, s->opt, s->optlen);
	tcp_peer_inject(t0, tcp, tlen, s->badsum);
	ul_run_for(MS);
}

/* The next segment t0 sent (its TCP header copied to @th, options to @opt); the checksum
 * of what we send is right. */
static bool tx_seg(struct tcphdr *th, u8 *opt)
{
	return tcp_peer_pop(t0, th, opt, NULL, TCP_PEER_POP_CHECK | TCP_PEER_POP_CSUM);
}

static int listen_on(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((u16)port) };
	int fd = ul_socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(ul_listen(fd, 16), 0);
	return fd;
}

static unsigned long c(int f)
{
	return tcp_mib_read(tnet, f);
}

static void test_rst_rules(void **state)
{
	struct seg s = { .sport = 40000, .dport = 9, .seq = 1000, .flags = TCPHDR_SYN };
	struct tcphdr th;
	unsigned long rst0 = c(TCP_MIB_OUTRSTS), in0 = c(TCP_MIB_INSEGS);

	(void)state;
	/* SYN to a closed port: <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>. */
	rx_seg(&s);
	assert_true(tx_seg(&th, NULL));
	assert_int_equal(tcp_flag_word(&th) & (TCP_FLAG_RST | TCP_FLAG_ACK),
			 TCP_FLAG_RST | TCP_FLAG_ACK);
	assert_int_equal(ntohl(th.seq), 0);
	assert_int_equal(ntohl(th.ack_seq), 1001);
	assert_int_equal(ntohs(th.source), 9);
	assert_int_equal(ntohs(th.dest), 40000);

	/* An ACK to a listener: <SEQ=SEG.ACK><CTL=RST>. */
	listen_on(80);
	s.dport = 80;
	s.flags = TCPHDR_ACK;
	s.ack = 0x12345678;
	rx_seg(&s);
	assert_true(tx_seg(&th, NULL));
	assert_int_equal(tcp_flag_word(&th) & (TCP_FLAG_RST | TCP_FLAG_ACK), TCP_FLAG_RST);
	assert_int_equal(ntohl(th.seq), 0x12345678);

	/* A RST never gets a RST, to a closed port or a listener. */
	s.flags = TCPHDR_RST;
	rx_seg(&s);
	s.dport = 9;
	rx_seg(&s);
	assert_false(tx_seg(&th, NULL));
	assert_int_equal(c(TCP_MIB_OUTRSTS) - rst0, 2);
	assert_int_equal(c(TCP_MIB_INSEGS) - in0, 4);
}

static void test_bad_segments(void **state)
{
	struct seg s = { .sport = 40001, .dport = 80, .seq = 1, .flags = TCPHDR_SYN };
	struct tcphdr th;
	unsigned long err0 = c(TCP_MIB_INERRS), cs0 = c(TCP_MIB_CSUMERRORS);
	unsigned long in0 = c(TCP_MIB_INSEGS);

	(void)state;
	listen_on(80);
	/* Bad checksum: InCsumErrors and InErrs, no answer. */
	s.badsum = 1;
	rx_seg(&s);
	s.badsum = 0;
	assert_false(tx_seg(&th, NULL));
	assert_int_equal(c(TCP_MIB_CSUMERRORS) - cs0, 1);
	assert_int_equal(c(TCP_MIB_INERRS) - err0, 1);
	/* Data offset below 5: InErrs only. Beyond the segment: dropped before the checksum,
	 * not counted as an error (pskb_may_pull fails). */
	s.doff = 4;
	rx_seg(&s);
	s.doff = 15;
	rx_seg(&s);
	s.doff = 0;
	assert_false(tx_seg(&th, NULL));
	assert_int_equal(c(TCP_MIB_INERRS) - err0, 2);
	assert_int_equal(c(TCP_MIB_CSUMERRORS) - cs0, 1);
	/* A listener ignores SYN+FIN and a segment without flags. */
	s.flags = TCPHDR_SYN | TCPHDR_FIN;
	rx_seg(&s);
	s.flags = 0;
	rx_seg(&s);
	assert_false(tx_seg(&th, NULL));
	assert_int_equal(c(TCP_MIB_INSEGS) - in0, 5);
	assert_int_equal(c(TCP_MIB_OUTRSTS), 0);
}

static void test_synack_options(void **state)
{
	/* MSS 1460, SACK-permitted, timestamp, NOP, window scale 15 (> 14: taken as 14). */
	static const u8 opt[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0,
				  1, 3, 3, 15 };
	/* Malformed: an option of length 1, then one that overruns the header. */
	static const u8 bad[] = { 2, 1, 0, 0, 3, 9, 7, 0 };
	struct seg s = { .sport = 40002, .dport = 80, .seq = 5000, .flags = TCPHDR_SYN,
			 .opt = opt, .optlen = sizeof(opt) };
	struct tcphdr th, th2;
	u8 o[40];
	unsigned long r0 = c(TCP_MIB_RETRANSSEGS);

	(void)state;
	listen_on(80);
	rx_seg(&s);
	assert_true(tx_seg(&th, o));
	assert_int_equal(tcp_flag_word(&th) & (TCP_FLAG_SYN | TCP_FLAG_ACK),
			 TCP_FLAG_SYN | TCP_FLAG_ACK);
	assert_int_equal(ntohl(th.ack_seq), 5001);
	/* MSS 1460 (t0's MTU 1500), SACK-perm + TS (echoing tsval 1), NOP + wscale 7. */
	assert_int_equal(th.doff, 10);
	assert_int_equal(o[0], TCPOPT_MSS);
	assert_int_equal((o[2] << 8) | o[3], 1460);
	assert_int_equal(o[4], TCPOPT_SACK_PERM);
	assert_int_equal(o[6], TCPOPT_TIMESTAMP);
	assert_int_equal((o[12] << 24) | (o[13] << 16) | (o[14] << 8) | o[15], 1);
	assert_int_equal(o[17], TCPOPT_WINDOW);
	assert_int_equal(o[19], 7);
	/* facts.md §3.4: mss 1460 with timestamps: window 14480. */
	assert_int_equal(ntohs(th.window), 14480);

	/* The same SYN again: the same SYN-ACK (ISN kept), counted as a retransmission. */
	rx_seg(&s);
	assert_true(tx_seg(&th2, NULL));
	assert_int_equal(th2.seq, th.seq);
	assert_int_equal(c(TCP_MIB_RETRANSSEGS) - r0, 1);

	/* Malformed options end the parse; MSS 0 is ignored: the request stays at 536, the
	 * SYN-ACK still goes out (no crash, no error counted). */
	s.sport = 40003;
	s.opt = bad;
	s.optlen = sizeof(bad);
	rx_seg(&s);
	assert_true(tx_seg(&th, o));
	assert_int_equal(th.doff, 6);	/* MSS only: no TS, SACK or wscale offered back */
	assert_int_equal(c(TCP_MIB_INERRS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rst_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_synack_options, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
