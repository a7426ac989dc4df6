/* SPDX-License-Identifier: MIT */
/* TCP early demux and transmit checksum offload against a crafted peer: the socket's cached
 * input route (sk_rx_dst) spares the route lookup of every segment and is replaced when it
 * goes stale or the interface differs; references taken by early demux are dropped on every
 * path (a bad segment, TIME_WAIT); segments leave CHECKSUM_PARTIAL with the pseudo-header sum
 * on a device with NETIF_F_HW_CSUM, complete on one without.
 * Mirrors the behaviour of linux/net/ipv4/tcp_ipv4.c (3.10): tcp_v4_early_demux,
 * inet_sk_rx_dst_set, tcp_v4_do_rcv, __tcp_v4_send_check; net/ipv4/ip_input.c
 * (ip_rcv_finish, ip_early_demux); net/core/dev.c (skb_checksum_help in
 * dev_hard_start_xmit). */
#include <errno.h>
#include <string.h>
#include "tcp_bulk_testutil.h"
#include "tcp_peer_testutil.h"
#include "harness.h"
#include "linux/netdevice.h"
#include "net/inet_sock.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#define SPORT 40000
#define DPORT 80

TCP_PEER_FIXTURES("demux", false)

/* The connection of a test: the accepted fd, our ISN and SYN-ACK tsval, the peer's next
 * sequence number and tsval. */
struct conn {
	int lfd, fd;
	u32 isn, our_ts, peer_seq, peer_ts;
};

static void conn_open(struct conn *c)
{
	c->fd = tcp_peer_establish(t0, SPORT, DPORT, &c->lfd, &c->isn, &c->our_ts, 0);
	c->peer_seq = 1001;
	c->peer_ts = 102;
}

/* The peer sends @len bytes in order (timestamps on, as negotiated); the clock runs 1 ms.
 * With @badsum the segment carries a wrong TCP checksum (and no options). */
static void conn_data(struct conn *c, unsigned int len, bool badsum)
{
	static const u8 payload[1000];
	struct tcp_peer_seg s = { .seq = c->peer_seq, .ack = c->isn + 1,
				  .flags = TCPHDR_ACK | TCPHDR_PSH, .tsval = c->peer_ts,
				  .tsecr = c->our_ts, .data = payload, .len = len };

	assert_true(len <= sizeof(payload));
	if (badsum) {
		u8 tcp[20 + sizeof(payload)];
		struct tcphdr *th = (struct tcphdr *)tcp;

		memset(tcp, 0, sizeof(tcp));
		th->source = htons(SPORT);
		th->dest = htons(DPORT);
		th->seq = htonl(s.seq);
		th->ack_seq = htonl(s.ack);
		th->doff = 5;
		tcp[13] = s.flags;
		th->window = htons(1000);
		tcp_peer_inject(t0, tcp, 20 + len, true);
	} else {
		tcp_peer_rx_seg(t0, &s, SPORT, DPORT, 1000);
		c->peer_seq += len;
		c->peer_ts++;
	}
	ul_run_for(MS);
}

static unsigned int in_slow_tot(void)
{
	return tnet->ipv4.rt_stat->in_slow_tot;
}

/* Reads exactly @len bytes, all there already. */
/* The peer's next 100 bytes on @c, good checksum; then the input route lookups counted
 * (in_slow_tot) must be @slow. */
static void data_expect_slow(struct conn *c, unsigned int slow)
{
	conn_data(c, 100, false);
	assert_int_equal(in_slow_tot(), slow);
}

static void read_exact(int fd, size_t len)
{
	char buf[4096];

	assert_true(len <= sizeof(buf));
	assert_int_equal(ul_recv(fd, buf, sizeof(buf), MSG_DONTWAIT), (long)len);
}

/* The handshake caches the input route; segments then skip the route lookup (no
 * ip_route_input_slow), and do not with net.ipv4.ip_early_demux = 0. */
static void test_early_demux_skips_route_lookup(void **state)
{
	struct conn c;
	struct sock *sk;
	unsigned int slow0;
	int i;

	(void)state;
	assert_int_equal(sysctl_ip_early_demux, 1);	/* 3.10's default */
	conn_open(&c);
	sk = sk_of(c.fd);
	assert_non_null(sk->sk_rx_dst);
	assert_int_equal(inet_sk(sk)->rx_dst_ifindex, t0->ifindex);

	slow0 = in_slow_tot();
	for (i = 0; i < 4; i++)
		data_expect_slow(&c, slow0);
	read_exact(c.fd, 400);

	sysctl_ip_early_demux = 0;
	conn_data(&c, 100, false);
	sysctl_ip_early_demux = 1;
	assert_int_equal(in_slow_tot(), slow0 + 1);
	read_exact(c.fd, 100);
	tcp_peer_abort_close(c.fd);
}

/* A cached route that went stale (rt_cache_flush, the device going down and up) or came
 * from another interface is not used: that segment is routed, tcp_v4_do_rcv drops the old one, tcp_rcv_established
 * caches the new one, and the next segment skips the lookup again. */
static void test_early_demux_stale_route(void **state)
{
	struct conn c;
	struct sock *sk;
	unsigned int slow0;

	(void)state;
	conn_open(&c);
	sk = sk_of(c.fd);

	rt_cache_flush(tnet);
	slow0 = in_slow_tot();
	data_expect_slow(&c, slow0 + 1);
	assert_non_null(sk->sk_rx_dst);
	assert_non_null(dst_check(sk->sk_rx_dst, 0));
	data_expect_slow(&c, slow0 + 1);

	inet_sk(sk)->rx_dst_ifindex = t0->ifindex + 100;	/* as if cached on another device */
	data_expect_slow(&c, slow0 + 2);
	assert_int_equal(inet_sk(sk)->rx_dst_ifindex, t0->ifindex);
	data_expect_slow(&c, slow0 + 2);
	read_exact(c.fd, 400);

	/* The device goes down and up again: its routes were flushed (NETDEV_DOWN), the
	 * cached one with them. */
	rtnl_lock();
	dev_close(t0);
	assert_int_equal(dev_open(t0), 0);
	rtnl_unlock();
	slow0 = in_slow_tot();
	data_expect_slow(&c, slow0 + 1);
	data_expect_slow(&c, slow0 + 1);
	read_exact(c.fd, 200);
	tcp_peer_abort_close(c.fd);
}

/* A segment that arrives while a task owns the socket waits on the backlog holding a
 * reference on the route early demux gave it (skb_dst_force: not the noref dst of the
 * receive pass, so tcp_v4_do_rcv checks sk_rx_dst again when release_sock processes it).
 * The route goes stale meanwhile: the segment is still delivered (as 3.10, the cached
 * route is the segment's own again), the next one is routed and caches a valid route, and
 * the one after skips the lookup. */
static void test_early_demux_backlog_stale_route(void **state)
{
	struct conn c;
	struct sock *sk;
	struct dst_entry *old;
	unsigned int slow0;

	(void)state;
	conn_open(&c);
	sk = sk_of(c.fd);
	old = sk->sk_rx_dst;
	assert_non_null(old);
	slow0 = in_slow_tot();

	lock_sock(sk);
	conn_data(&c, 100, false);
	assert_non_null(sk->sk_backlog.head);
	assert_true(sk->sk_backlog.head == sk->sk_backlog.tail);
	assert_true(sk->sk_backlog.head->_skb_refdst == (unsigned long)old);	/* a reference */
	rt_cache_flush(tnet);
	release_sock(sk);
	assert_null(sk->sk_backlog.head);
	assert_int_equal(in_slow_tot(), slow0);
	read_exact(c.fd, 100);
	assert_true(sk->sk_rx_dst == old);

	data_expect_slow(&c, slow0 + 1);
	assert_true(sk->sk_rx_dst != old);
	assert_non_null(dst_check(sk->sk_rx_dst, 0));
	data_expect_slow(&c, slow0 + 1);
	read_exact(c.fd, 200);
	tcp_peer_abort_close(c.fd);
}

/* The reference early demux takes is dropped when the segment dies before tcp_v4_rcv
 * takes the socket (a bad checksum), and a TIME_WAIT socket found by early demux answers
 * a retransmitted FIN and is released by its own count (the leak check at teardown). */
static void test_early_demux_references(void **state)
{
	struct conn c;
	struct sock *sk;
	struct tcphdr th;
	struct tcp_peer_seg s;
	unsigned long cs0 = tcp_mib_read(tnet, TCP_MIB_CSUMERRORS);
	int ref0;

	(void)state;
	conn_open(&c);
	sk = sk_of(c.fd);
	ref0 = atomic_read(&sk->sk_refcnt);
	conn_data(&c, 100, true);
	assert_int_equal(tcp_mib_read(tnet, TCP_MIB_CSUMERRORS), cs0 + 1);
	assert_int_equal(atomic_read(&sk->sk_refcnt), ref0);
	assert_int_equal(ul_recv(c.fd, &th, 1, MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);

	/* Active close: our FIN, the peer's FIN-ACK, our last ACK: TIME_WAIT. */
	assert_int_equal(ul_close(c.fd), 0);
	ul_run_for(MS);
	assert_true(tcp_peer_pop(t0, &th, NULL, NULL, TCP_PEER_POP_CSUM));
	assert_true(th.fin);
	memset(&s, 0, sizeof(s));
	s.seq = c.peer_seq;
	s.ack = ntohl(th.seq) + 1;
	s.flags = TCPHDR_FIN | TCPHDR_ACK;
	s.tsval = c.peer_ts++;
	s.tsecr = c.our_ts;
	tcp_peer_rx_seg(t0, &s, SPORT, DPORT, 1000);
	ul_run_for(MS);
	assert_true(tcp_peer_pop(t0, &th, NULL, NULL, TCP_PEER_POP_CSUM));
	assert_true(th.ack && !th.fin);
	assert_int_equal(ntohl(th.ack_seq), c.peer_seq + 1);

	/* The FIN again (our ACK lost): the TIME_WAIT socket ACKs it once more. */
	s.tsval = c.peer_ts++;
	tcp_peer_rx_seg(t0, &s, SPORT, DPORT, 1000);
	ul_run_for(MS);
	assert_true(tcp_peer_pop(t0, &th, NULL, NULL, TCP_PEER_POP_CSUM));
	assert_true(th.ack && !th.fin && !th.rst);
	assert_int_equal(ntohl(th.ack_seq), c.peer_seq + 1);
}

/* Our next segment on t0 with @payload bytes, left as the device got it. */
static struct sk_buff *pop_segment(unsigned int payload)
{
	struct sk_buff *skb = ipt_pop(t0);
	const struct iphdr *iph;

	assert_non_null(skb);
	iph = (const struct iphdr *)(skb->data + ETH_HLEN);
	assert_int_equal(iph->protocol, IPPROTO_TCP);
	assert_int_equal(ntohs(iph->tot_len), 20 + 32 + payload);	/* TCP header with TS */
	return skb;
}

/* The TCP checksum of @skb's segment (Ethernet frame, IPv4 without options) verifies. */
static void assert_tcp_csum_ok(struct sk_buff *skb)
{
	u8 buf[1600];
	unsigned int len = ipt_l3_copy(skb, buf, sizeof(buf));
	const struct iphdr *iph = (const struct iphdr *)buf;

	assert_int_equal(tcp_v4_check((int)(len - 20), iph->saddr, iph->daddr,
				      csum_partial(buf + 20, (int)(len - 20), 0)), 0);
}

/* On a device with NETIF_F_HW_CSUM, a data segment and a pure ACK leave CHECKSUM_PARTIAL:
 * th->check holds the pseudo-header sum, csum_start/csum_offset point at it, and
 * completing it (skb_checksum_help, as a device without the feature gets it) gives the
 * right checksum. */
static void test_send_checksum_offloaded(void **state)
{
	struct conn c;
	struct sk_buff *skb;
	const struct iphdr *iph;
	const struct tcphdr *th;
	char data[100];
	int i;

	(void)state;
	t0->features |= NETIF_F_HW_CSUM;	/* before the handshake: sk_route_caps */
	conn_open(&c);
	assert_true(sk_of(c.fd)->sk_route_caps & NETIF_F_HW_CSUM);

	memset(data, 'x', sizeof(data));
	assert_int_equal(ul_send(c.fd, data, sizeof(data), 0), (long)sizeof(data));
	ul_run_for(MS);
	skb = pop_segment(sizeof(data));
	assert_int_equal(skb->ip_summed, CHECKSUM_PARTIAL);
	assert_int_equal(skb_checksum_start_offset(skb), ETH_HLEN + 20);
	assert_int_equal(skb->csum_offset, offsetof(struct tcphdr, check));
	iph = (const struct iphdr *)(skb->data + ETH_HLEN);
	th = (const struct tcphdr *)(skb->data + ETH_HLEN + 20);
	assert_int_equal(th->check, (__sum16)~tcp_v4_check(32 + sizeof(data), iph->saddr,
							    iph->daddr, 0));
	assert_int_equal(skb_checksum_help(skb), 0);
	assert_int_equal(skb->ip_summed, CHECKSUM_NONE);
	assert_tcp_csum_ok(skb);
	kfree_skb(skb);

	/* Two full-sized segments from the peer: an immediate pure ACK (no data skb). */
	for (i = 0; i < 2; i++)
		conn_data(&c, 1000, false);
	skb = ipt_pop(t0);
	assert_non_null(skb);
	assert_int_equal(skb->ip_summed, CHECKSUM_PARTIAL);
	assert_int_equal(skb_checksum_help(skb), 0);
	assert_tcp_csum_ok(skb);
	kfree_skb(skb);
	tcp_peer_abort_close(c.fd);
	t0->features &= ~NETIF_F_HW_CSUM;
}

/* On a device without checksum offload (the test device's default) every segment reaches
 * the driver complete: data summed by tcp_v4_send_check, a pure ACK (CHECKSUM_PARTIAL from
 * tcp_init_nondata_skb) completed by skb_checksum_help in dev_hard_start_xmit. */
static void test_send_checksum_software(void **state)
{
	struct conn c;
	struct sk_buff *skb;
	char data[100];
	int i;

	(void)state;
	assert_false(t0->features & NETIF_F_ALL_CSUM);
	conn_open(&c);
	memset(data, 'y', sizeof(data));
	assert_int_equal(ul_send(c.fd, data, sizeof(data), 0), (long)sizeof(data));
	ul_run_for(MS);
	skb = pop_segment(sizeof(data));
	assert_int_equal(skb->ip_summed, CHECKSUM_NONE);
	assert_tcp_csum_ok(skb);
	kfree_skb(skb);

	for (i = 0; i < 2; i++)
		conn_data(&c, 1000, false);
	skb = pop_segment(0);
	assert_int_equal(skb->ip_summed, CHECKSUM_NONE);
	assert_tcp_csum_ok(skb);
	kfree_skb(skb);
	tcp_peer_abort_close(c.fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_early_demux_skips_route_lookup, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_early_demux_stale_route, setup, teardown),
		cmocka_unit_test_setup_teardown(test_early_demux_backlog_stale_route, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_early_demux_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_checksum_offloaded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_checksum_software, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
