/* SPDX-License-Identifier: MIT */
/* Receive-queue coalescing: in-order segments from a crafted peer are merged into the tail
 * skb of the receive queue (and of the out-of-order queue's last run) instead of queued one
 * skb each: small payloads copied into the tail's tailroom (no memory charged), larger ones
 * by stealing their page-fragment head as one more frag (charged all but the sk_buff), up to
 * MAX_SKB_FRAGS frags; FIN segments stay apart. TCPRcvCoalesce counts each merge; the data
 * reads back byte-exact.
 * Mirrors the behaviour of linux/net/ipv4/tcp_input.c (tcp_try_coalesce, tcp_queue_rcv,
 * tcp_data_queue_ofo) and net/core/skbuff.c (skb_try_coalesce, kfree_skb_partial,
 * __netdev_alloc_skb's page-fragment heads) (3.10). */
#include <errno.h>
#include <string.h>
#include "sock_tcp_testutil.h"
#include "tcp_bulk_testutil.h"
#include "tcp_peer_testutil.h"
#include "net/tcp.h"
#include "linux/tcp.h"
#include "ulnet/socket.h"

TCP_PEER_FIXTURES("co", false)

#define PEER_PORT 40500
#define OUR_PORT 80
#define TCPHDR_TS_LEN 32	/* the peer's TCP header: 20 + the timestamp option */

static u32 g_isn, g_ts, g_tsval;

static unsigned long coalesced(void)
{
	return tcp_netstat_read(tnet, LINUX_MIB_TCPRCVCOALESCE);
}

/* @len bytes of the stream (bulk_pattern) at peer offset @off, with @flags. */
static void peer_send(u32 off, unsigned int len, u8 flags)
{
	u8 data[1400];

	assert_true(len <= sizeof(data));
	bulk_fill(data, off, len);
	tcp_peer_send(t0, PEER_PORT, OUR_PORT, 1001 + off, g_isn + 1, flags, g_tsval++, g_ts,
		      data, len);
}

/* The peer's segments number @from to @to - 1 of @seg bytes each, in order, plain ACKs. */
static void peer_send_run(unsigned int from, unsigned int to, unsigned int seg)
{
	unsigned int k;

	for (k = from; k < to; k++)
		peer_send(k * seg, seg, TCPHDR_ACK);
}

/* What a received frame with @len bytes of TCP payload is charged: its page-fragment head
 * (build_skb: SKB_TRUESIZE of the aligned frame plus NET_SKB_PAD). */
static unsigned int frame_truesize(unsigned int len)
{
	return SKB_TRUESIZE(SKB_DATA_ALIGN(ETH_HLEN + 20 + TCPHDR_TS_LEN + len + NET_SKB_PAD));
}

/* What a stolen head adds to the skb it joins: all but its sk_buff. */
static unsigned int stolen_delta(unsigned int len)
{
	return frame_truesize(len) - SKB_DATA_ALIGN(sizeof(struct sk_buff));
}

/* The connection from the crafted peer: its fd, the listener in *@lfd, its struct sock
 * in *@sk and the coalesce count before any data in *@c0. */
static int establish(int *lfd, struct sock **sk, unsigned long *c0)
{
	int fd = tcp_peer_establish(t0, PEER_PORT, OUR_PORT, lfd, &g_isn, &g_ts, 0);

	g_tsval = 200;
	*sk = sk_of(fd);
	*c0 = coalesced();
	return fd;
}

/* 100-byte segments: no room in the tail's head (a 256-byte block), so each one after the
 * first gives its head to the tail skb as a frag; the 19th finds 17 frags and starts a
 * new skb. */
static void test_coalesce_heads_stolen(void **state)
{
	const unsigned int seg = 100, n = 20;
	unsigned long c0;
	struct sk_buff *skb;
	struct sock *sk;
	int lfd, fd;

	(void)state;
	fd = establish(&lfd, &sk, &c0);
	peer_send_run(0, n, seg);
	assert_int_equal(tcp_sk(sk)->rcv_nxt, 1001 + n * seg);
	/* 17 merged into the first skb, 1 into the second. */
	assert_int_equal(coalesced() - c0, 18);
	assert_int_equal(skb_queue_len(&sk->sk_receive_queue), 2);
	skb = skb_peek(&sk->sk_receive_queue);
	assert_int_equal(skb_shinfo(skb)->nr_frags, MAX_SKB_FRAGS);
	assert_int_equal(skb->len, 18 * seg);
	assert_int_equal(skb->data_len, 17 * seg);
	assert_int_equal(TCP_SKB_CB(skb)->seq, 1001);
	assert_int_equal(TCP_SKB_CB(skb)->end_seq, 1001 + 18 * seg);
	assert_int_equal(skb->truesize, frame_truesize(seg) + 17 * stolen_delta(seg));
	skb = skb_peek_tail(&sk->sk_receive_queue);
	assert_int_equal(skb_shinfo(skb)->nr_frags, 1);
	assert_int_equal(skb->len, 2 * seg);
	assert_int_equal(skb->truesize, frame_truesize(seg) + stolen_delta(seg));
	/* The socket is charged exactly what the two skbs hold. */
	assert_int_equal(atomic_read(&sk->sk_rmem_alloc),
			 2 * frame_truesize(seg) + 18 * stolen_delta(seg));
	bulk_read_exact(fd, n * seg);
	assert_int_equal(atomic_read(&sk->sk_rmem_alloc), 0);
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* 10-byte segments: the first skb's head (a 192-byte block holding a 76-byte frame after
 * 64 of headroom) has 52 bytes of tailroom: the next five are copied into it (no memory
 * charged), the seventh steals its head, and from then on (the tail is paged, so no
 * tailroom) every one does. A FIN is never merged. */
static void test_coalesce_copy_then_steal(void **state)
{
	const unsigned int seg = 10;
	unsigned long c0;
	struct sk_buff *skb;
	struct sock *sk;
	unsigned int k;
	int lfd, fd;

	(void)state;
	fd = establish(&lfd, &sk, &c0);
	peer_send_run(0, 6, seg);
	skb = skb_peek(&sk->sk_receive_queue);
	assert_int_equal(coalesced() - c0, 5);
	assert_int_equal(skb_queue_len(&sk->sk_receive_queue), 1);
	assert_int_equal(skb_shinfo(skb)->nr_frags, 0);
	assert_int_equal(skb->len, 6 * seg);
	assert_int_equal(skb_tailroom(skb), 2);
	assert_int_equal(skb->truesize, frame_truesize(seg));
	assert_int_equal(atomic_read(&sk->sk_rmem_alloc), (int)frame_truesize(seg));

	peer_send_run(6, 9, seg);
	k = 9;
	assert_int_equal(coalesced() - c0, 8);
	assert_int_equal(skb_queue_len(&sk->sk_receive_queue), 1);
	assert_int_equal(skb_shinfo(skb)->nr_frags, 3);
	assert_int_equal(skb->len, 9 * seg);
	assert_int_equal(skb->truesize, frame_truesize(seg) + 3 * stolen_delta(seg));

	/* Data with FIN: queued apart, and the reader sees the data then EOF. */
	peer_send(k * seg, seg, TCPHDR_ACK | TCPHDR_FIN);
	k++;
	assert_int_equal(coalesced() - c0, 8);
	assert_int_equal(skb_queue_len(&sk->sk_receive_queue), 2);
	assert_int_equal(atomic_read(&sk->sk_rmem_alloc),
			 (int)(2 * frame_truesize(seg) + 3 * stolen_delta(seg)));
	bulk_read_exact(fd, k * seg);
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* Out of order: segments continuing the out-of-order queue's last run are merged into it
 * (one SACK block grows); filling the hole moves that skb to the receive queue as it is
 * (3.10's tcp_ofo_queue does not coalesce). */
static void test_coalesce_ofo(void **state)
{
	const unsigned int seg = 100;
	struct tcp_sock *tp;
	unsigned long c0;
	struct sk_buff *skb;
	struct sock *sk;
	int lfd, fd;

	(void)state;
	fd = establish(&lfd, &sk, &c0);
	tp = tcp_sk(sk);
	peer_send_run(1, 6, seg);
	assert_int_equal(tp->rcv_nxt, 1001);
	assert_int_equal(coalesced() - c0, 4);
	assert_int_equal(skb_queue_len(&tp->ofo->out_of_order_queue), 1);
	skb = skb_peek(&tp->ofo->out_of_order_queue);
	assert_int_equal(TCP_SKB_CB(skb)->seq, 1001 + seg);
	assert_int_equal(TCP_SKB_CB(skb)->end_seq, 1001 + 6 * seg);
	assert_int_equal(skb_shinfo(skb)->nr_frags, 4);
	assert_int_equal(tp->rx_opt.num_sacks, 1);
	assert_int_equal(tp->ofo->selective_acks[0].start_seq, 1001 + seg);
	assert_int_equal(tp->ofo->selective_acks[0].end_seq, 1001 + 6 * seg);
	assert_int_equal(atomic_read(&sk->sk_rmem_alloc),
			 (int)(frame_truesize(seg) + 4 * stolen_delta(seg)));

	peer_send(0, seg, TCPHDR_ACK);
	assert_int_equal(tp->rcv_nxt, 1001 + 6 * seg);
	assert_int_equal(coalesced() - c0, 4);
	assert_int_equal(skb_queue_len(&tp->ofo->out_of_order_queue), 0);
	assert_int_equal(skb_queue_len(&sk->sk_receive_queue), 2);
	assert_int_equal(atomic_read(&sk->sk_rmem_alloc),
			 (int)(2 * frame_truesize(seg) + 4 * stolen_delta(seg)));
	bulk_read_exact(fd, 6 * seg);
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* Unit level: a cloned skb cannot take data (its head is shared); a linear source whose
 * head is kmalloc'ed cannot give it (skb_head_is_locked) once the tailroom is too small;
 * a paged one gives its frags by reference (page counts move, not grow). */
static void test_skb_try_coalesce_rules(void **state)
{
	struct sk_buff *to = alloc_skb(64, GFP_ATOMIC), *from = alloc_skb(256, GFP_ATOMIC);
	struct sk_buff *clone;
	struct page *page = alloc_page(GFP_ATOMIC);
	bool stolen;
	int delta = -1;

	(void)state;
	assert_non_null(to);
	assert_non_null(from);
	assert_non_null(page);
	memset(skb_put(to, 10), 'a', 10);
	memset(skb_put(from, 200), 'b', 200);
	assert_true(skb_tailroom(to) < 200);
	/* kmalloc'ed head: locked. */
	assert_false(skb_try_coalesce(to, from, &stolen, &delta));
	assert_false(stolen);
	assert_int_equal(to->len, 10);

	/* A paged source (no linear bytes): its frag moves, with its page reference. */
	skb_trim(from, 0);
	skb_fill_page_desc(from, 0, page, 100, 300);
	from->len = from->data_len = 300;
	from->truesize += PAGE_SIZE;
	clone = skb_clone(to, GFP_ATOMIC);
	assert_false(skb_try_coalesce(to, from, &stolen, &delta));	/* @to is cloned */
	kfree_skb(clone);
	assert_true(skb_try_coalesce(to, from, &stolen, &delta));
	assert_false(stolen);
	assert_int_equal(delta, PAGE_SIZE);
	assert_int_equal(to->len, 310);
	assert_int_equal(to->data_len, 300);
	assert_int_equal(skb_shinfo(to)->nr_frags, 1);
	assert_int_equal(skb_shinfo(from)->nr_frags, 0);
	assert_int_equal(page_count(page), 1);
	kfree_skb_partial(from, stolen);
	assert_int_equal(page_count(page), 1);
	kfree_skb(to);		/* puts the page */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_coalesce_heads_stolen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coalesce_copy_then_steal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coalesce_ofo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skb_try_coalesce_rules, ul_test_setup_sim,
						ul_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
