/* SPDX-License-Identifier: MIT */
/* TSO skbs against a crafted peer (segments injected on a test device without TSO, so the
 * stack's software GSO cuts what it sends): one skb of ten segments (tcp_skb_pcount 10,
 * packets_out 10, ten frames of at most the MSS on the device), a partial ACK trimming it
 * (tcp_tso_acked), SACK blocks splitting it at segment boundaries (tcp_match_skb_to_sack,
 * a block starting inside a segment rounded up), SACK recovery marking part of a TSO skb
 * lost (tcp_mark_head_lost splits it), retransmissions in MSS pieces, the RTO retransmitting
 * one MSS of a ten-segment skb, with the counters in segments throughout.
 * Mirrors the behaviour of linux/net/ipv4/tcp_output.c (3.10: tcp_set_skb_tso_segs,
 * tcp_fragment, tcp_adjust_pcount, __tcp_retransmit_skb) and tcp_input.c (tcp_tso_acked,
 * tcp_clean_rtx_queue, tcp_match_skb_to_sack). */
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


/* Data frames t0 sent since the last call: their count, the largest payload, the first
 * one's sequence number. */
static int tx_data(unsigned int *max_len, u32 *first_seq)
{
	struct tcphdr th;
	unsigned int dl;
	int n = 0, guard = 0;

	*max_len = 0;
	while (++guard < 1000 && tx_seg(&th, NULL, &dl)) {
		if (!dl)
			continue;
		if (!n && first_seq)
			*first_seq = ntohl(th.seq);
		n++;
		if (dl > *max_len)
			*max_len = dl;
	}
	return n;
}

#define SMSS 1448	/* MSS 1460 - 12 of timestamps */

static void test_tso_skb_acks_sacks(void **state)
{
	static u8 out[10 * SMSS];
	u32 isn, ts, blk[2], first;
	int lfd, fd, n;
	unsigned int maxl;
	struct seg s = { .seq = 1001, .flags = TCPHDR_ACK, .tsval = 300, .sack = blk };
	struct sock *sk;
	struct tcp_sock *tp;
	struct sk_buff *skb;

	(void)state;
	/* No tail loss probe or early retransmit in the way of the RTO below. */
	(void)ul_sysctl_set(NULL, "net.ipv4.tcp_early_retrans", "0");
	memset(out, 'z', sizeof(out));
	fd = establish(&lfd, &isn, &ts);
	sk = sk_of(fd);
	tp = tcp_sk(sk);
	assert_true(sk_can_gso(sk));	/* software GSO: t0 has NETIF_F_GSO, not TSO */
	assert_false(t0->features & NETIF_F_TSO);

	/* One send of ten segments: one skb of pcount 10 (cwnd 10), ten frames on t0. */
	assert_int_equal(ul_send(fd, out, sizeof(out), 0), (ssize_t)sizeof(out));
	ul_run_for(MS);
	assert_int_equal(skb_queue_len(&sk->sk_write_queue), 1);
	skb = tcp_write_queue_head(sk);
	assert_int_equal(tcp_skb_pcount(skb), 10);
	assert_int_equal(tcp_skb_mss(skb), SMSS);
	assert_int_equal(tp->packets_out, 10);
	n = tx_data(&maxl, &first);
	assert_int_equal(n, 10);
	assert_int_equal(maxl, SMSS);
	assert_int_equal(first, isn + 1);

	/* A partial ACK of three segments trims the skb: pcount 7. */
	s.ack = isn + 1 + 3 * SMSS;
	s.tsecr = ts;
	rx_seg(&s);
	assert_int_equal(skb_queue_len(&sk->sk_write_queue), 1);
	skb = tcp_write_queue_head(sk);
	assert_int_equal(TCP_SKB_CB(skb)->seq, isn + 1 + 3 * SMSS);
	assert_int_equal(skb->len, 7 * SMSS);
	assert_int_equal(tcp_skb_pcount(skb), 7);
	assert_int_equal(tp->packets_out, 7);
	assert_int_equal(tp->snd_una, isn + 1 + 3 * SMSS);

	/* SACK of segment 5: split into [3,5) [5,6)S [6,10); FACK count 3 = reordering:
	 * no recovery yet. */
	blk[0] = isn + 1 + 5 * SMSS;
	blk[1] = isn + 1 + 6 * SMSS;
	s.nsack = 1;
	s.tsval++;
	rx_seg(&s);
	assert_int_equal(skb_queue_len(&sk->sk_write_queue), 3);
	skb = tcp_write_queue_head(sk);
	assert_int_equal(tcp_skb_pcount(skb), 2);
	assert_int_equal(tcp_skb_pcount(skb->next), 1);
	assert_true(TCP_SKB_CB(skb->next)->sacked & TCPCB_SACKED_ACKED);
	assert_int_equal(TCP_SKB_CB(skb->next)->seq, isn + 1 + 5 * SMSS);
	assert_int_equal(tcp_skb_pcount(skb->next->next), 4);
	assert_int_equal(tcp_rec(tp)->sacked_out, 1);
	assert_int_equal(tcp_rec(tp)->fackets_out, 3);
	assert_int_equal(tp->packets_out, 7);
	assert_int_equal(inet_csk(sk)->icsk_ca_state, TCP_CA_Disorder);
	assert_int_equal(tx_data(&maxl, NULL), 0);

	/* A block starting 100 bytes into segment 8: rounded up to segment 9, which alone
	 * is SACKed: [6,9) [9,10)S. FACK count 7 > reordering 3: SACK recovery marks 7 - 3 =
	 * 4 segments lost from the head, splitting [6,9) after its first segment
	 * (tcp_mark_head_lost): [3,5)L [5,6)S [6,7)L [7,9) [9,10)S; the retransmissions go
	 * in MSS pieces from segment 3. */
	blk[0] = isn + 1 + 8 * SMSS + 100;
	blk[1] = isn + 1 + 10 * SMSS;
	s.tsval++;
	rx_seg(&s);
	skb = tcp_write_queue_tail(sk);
	assert_int_equal(TCP_SKB_CB(skb)->seq, isn + 1 + 9 * SMSS);
	assert_int_equal(tcp_skb_pcount(skb), 1);
	assert_true(TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED);
	assert_int_equal(TCP_SKB_CB(skb->prev)->seq, isn + 1 + 7 * SMSS);
	assert_int_equal(tcp_skb_pcount(skb->prev), 2);
	assert_false(TCP_SKB_CB(skb->prev)->sacked & (TCPCB_SACKED_ACKED | TCPCB_LOST));
	assert_int_equal(TCP_SKB_CB(skb->prev->prev)->seq, isn + 1 + 6 * SMSS);
	assert_int_equal(tcp_skb_pcount(skb->prev->prev), 1);
	assert_true(TCP_SKB_CB(skb->prev->prev)->sacked & TCPCB_LOST);
	assert_int_equal(tcp_rec(tp)->sacked_out, 2);
	assert_int_equal(tcp_rec(tp)->fackets_out, 7);
	assert_int_equal(tcp_rec(tp)->lost_out, 3);
	assert_int_equal(tp->packets_out, 7);
	assert_int_equal(inet_csk(sk)->icsk_ca_state, TCP_CA_Recovery);
	n = tx_data(&maxl, &first);
	assert_true(n >= 1);
	assert_int_equal(maxl, SMSS);
	assert_int_equal(first, isn + 1 + 3 * SMSS);
	assert_int_equal(tcp_rec(tp)->retrans_out, (u32)n);
	assert_int_equal(tcp_skb_pcount(tcp_write_queue_head(sk)), 1);

	/* Everything ACKed: the queue empty, every count back to zero. */
	s.ack = isn + 1 + 10 * SMSS;
	s.nsack = 0;
	s.tsval++;
	rx_seg(&s);
	assert_int_equal(skb_queue_len(&sk->sk_write_queue), 0);
	assert_int_equal(tp->packets_out, 0);
	assert_int_equal(tcp_rec(tp)->sacked_out, 0);
	assert_int_equal(tcp_rec(tp)->lost_out, 0);
	assert_int_equal(tcp_rec(tp)->retrans_out, 0);
	assert_int_equal(tcp_rec(tp)->fackets_out, 0);
	(void)ul_sysctl_set(NULL, "net.ipv4.tcp_early_retrans", "3");
	abort_close(fd);
	ul_close(lfd);
}

/* The RTO with one TSO skb of ten segments in flight: all ten lost, cwnd 1 retransmits
 * the first MSS cut from it (tcp_fragment in __tcp_retransmit_skb). */
static void test_tso_skb_rto(void **state)
{
	static u8 out[10 * SMSS];
	u32 isn, ts, first;
	int lfd, fd, n, guard = 0;
	unsigned int maxl;
	struct seg s = { .seq = 1001, .flags = TCPHDR_ACK, .tsval = 300 };
	unsigned long to0 = tcp_netstat_read(tnet, LINUX_MIB_TCPTIMEOUTS);
	struct sock *sk;
	struct tcp_sock *tp;
	struct sk_buff *skb;

	(void)state;
	(void)ul_sysctl_set(NULL, "net.ipv4.tcp_early_retrans", "0");
	memset(out, 'r', sizeof(out));
	fd = establish(&lfd, &isn, &ts);
	sk = sk_of(fd);
	tp = tcp_sk(sk);
	assert_int_equal(ul_send(fd, out, sizeof(out), 0), (ssize_t)sizeof(out));
	ul_run_for(MS);
	assert_int_equal(tx_data(&maxl, NULL), 10);
	assert_int_equal(tp->packets_out, 10);
	while (++guard < 300 && tcp_netstat_read(tnet, LINUX_MIB_TCPTIMEOUTS) == to0)
		ul_run_for(10 * MS);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TCPTIMEOUTS), to0 + 1);
	n = tx_data(&maxl, &first);
	assert_int_equal(n, 1);
	assert_int_equal(maxl, SMSS);
	assert_int_equal(first, isn + 1);
	assert_int_equal(inet_csk(sk)->icsk_ca_state, TCP_CA_Loss);
	assert_int_equal(skb_queue_len(&sk->sk_write_queue), 2);
	skb = tcp_write_queue_head(sk);
	assert_int_equal(tcp_skb_pcount(skb), 1);
	assert_true(TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_RETRANS);
	assert_int_equal(tcp_skb_pcount(skb->next), 9);
	assert_int_equal(tp->packets_out, 10);
	assert_int_equal(tcp_rec(tp)->lost_out, 10);
	assert_int_equal(tcp_rec(tp)->retrans_out, 1);
	/* The ACK of the retransmission: slow start sends the next two MSS (cwnd 2), cut
	 * from the nine-segment skb. */
	s.ack = isn + 1 + SMSS;
	s.tsecr = tcp_time_stamp;	/* echoes the retransmission: no undo */
	rx_seg(&s);
	n = tx_data(&maxl, &first);
	assert_int_equal(n, 2);
	assert_int_equal(maxl, SMSS);
	assert_int_equal(first, isn + 1 + SMSS);
	assert_int_equal(tp->packets_out, 9);
	assert_int_equal(tcp_rec(tp)->retrans_out, 2);
	s.ack = isn + 1 + 10 * SMSS;
	s.tsval++;
	rx_seg(&s);
	assert_int_equal(tp->packets_out, 0);
	assert_int_equal(tcp_rec(tp)->lost_out, 0);
	assert_int_equal(tcp_rec(tp)->retrans_out, 0);
	(void)ul_sysctl_set(NULL, "net.ipv4.tcp_early_retrans", "3");
	abort_close(fd);
	ul_close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tso_skb_acks_sacks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tso_skb_rto, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
