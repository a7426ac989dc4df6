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
#include "ip_testdev.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)

static struct net *tnet;
static struct net_device *t0;

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	err = ul_netns_add("t");
	if (err)
		return err;
	tnet = ul_net_by_name("t");
	current->net = tnet;
	t0 = ipt_dev_new(tnet, "t0", 1, 1500);
	ipt_addr_add(t0, "10.0.0.1", 24);
	ipt_dev_purge(t0);
	return 0;
}

static int teardown(void **state)
{
	int fd;

	for (fd = 0; fd < 1024; fd++)
		ul_close(fd);
	ul_run_for(10 * MS);
	ipt_dev_purge(t0);
	ipt_dev_del(t0);
	current->net = NULL;
	assert_int_equal(ul_netns_del("t"), 0);
	return ul_test_teardown(state);
}

struct seg {
	u32 seq, ack;
	u8 flags;
	u32 tsval, tsecr;	/* a timestamp option when tsval != 0 */
	const u32 *sack;	/* pairs of SACK edges */
	int nsack;
	const u8 *data;
	unsigned int len;
};

#define PEER_PORT 40100
#define OUR_PORT 80

/* A segment from 10.0.0.2:PEER_PORT to 10.0.0.1:OUR_PORT, received by t0. */
static void rx_seg(const struct seg *s)
{
	u8 tcp[1600], pkt[1700];
	struct tcphdr *th = (struct tcphdr *)tcp;
	unsigned int optlen = 0, tlen, len;
	__be32 saddr = ipt_addr("10.0.0.2"), daddr = ipt_addr("10.0.0.1");
	int i;

	memset(tcp, 0, sizeof(tcp));
	th->source = htons(PEER_PORT);
	th->dest = htons(OUR_PORT);
	th->seq = htonl(s->seq);
	th->ack_seq = htonl(s->ack);
	if (s->tsval) {
		u8 *o = tcp + 20;
		__be32 v;

		o[0] = TCPOPT_NOP;
		o[1] = TCPOPT_NOP;
		o[2] = TCPOPT_TIMESTAMP;
		o[3] = TCPOLEN_TIMESTAMP;
		v = htonl(s->tsval);
		memcpy(o + 4, &v, 4);
		v = htonl(s->tsecr);
		memcpy(o + 8, &v, 4);
		optlen = 12;
	}
	if (s->nsack) {
		u8 *o = tcp + 20 + optlen;

		o[0] = TCPOPT_NOP;
		o[1] = TCPOPT_NOP;
		o[2] = TCPOPT_SACK;
		o[3] = (u8)(TCPOLEN_SACK_BASE + s->nsack * TCPOLEN_SACK_PERBLOCK);
		for (i = 0; i < 2 * s->nsack; i++) {
			__be32 v = htonl(s->sack[i]);

			memcpy(o + 4 + 4 * i, &v, 4);
		}
		optlen += 4 + 8 * (unsigned int)s->nsack;
	}
	th->doff = (u16)((20 + optlen) / 4) & 0xf;
	tcp[13] = s->flags;
	th->window = htons(1000);	/* scaled by 7: 128000 */
	if (s->len)
		memcpy(tcp + 20 + optlen, s->data, s->len);
	tlen = 20 + optlen + s->len;
	th->check = tcp_v4_check((int)tlen, saddr, daddr, csum_partial(tcp, (int)tlen, 0));
	len = ipt_build_ip(pkt, saddr, daddr, IPPROTO_TCP, 64, 1, 0, 5, NULL, tcp, tlen);
	ipt_rx(t0, pkt, len);
	ul_run_for(MS);
}

/* The next segment t0 sent (its TCP header copied to @th, options to @opt). */
static bool tx_seg(struct tcphdr *th, u8 *opt, unsigned int *datalen)
{
	u8 buf[1600];
	struct sk_buff *skb = ipt_pop(t0);
	unsigned int len;
	const struct iphdr *iph = (const struct iphdr *)buf;

	if (!skb)
		return false;
	len = ipt_l3_copy(skb, buf, sizeof(buf));
	kfree_skb(skb);
	assert_true(len >= 40);
	assert_int_equal(iph->protocol, IPPROTO_TCP);
	memcpy(th, buf + iph->ihl * 4, sizeof(*th));
	if (opt)
		memcpy(opt, buf + iph->ihl * 4 + 20, (size_t)(th->doff * 4 - 20));
	if (datalen)
		*datalen = len - iph->ihl * 4u - th->doff * 4u;
	return true;
}

static unsigned long nstat(int f)
{
	return tcp_netstat_read(tnet, f);
}

static u32 be32_at(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}

/* Find the SACK option in @o (@len bytes): its blocks' edges into @edges, the count. */
static int sack_blocks(const u8 *o, unsigned int len, u32 *edges)
{
	unsigned int i = 0;
	int n, k;

	while (i < len) {
		if (o[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (o[i] == TCPOPT_EOL || i + 1 >= len || o[i + 1] < 2)
			return 0;
		if (o[i] == TCPOPT_SACK) {
			n = (o[i + 1] - 2) / 8;
			for (k = 0; k < 2 * n; k++)
				edges[k] = be32_at(o + i + 2 + 4 * k);
			return n;
		}
		i += o[i + 1];
	}
	return 0;
}

/* Our listener on OUR_PORT and a peer that completes the handshake with timestamps and
 * SACK; *@isn is our initial sequence number, the accepted fd is returned. The peer's ISN
 * is 1000, its first tsval 100. */
static int establish_rcvbuf(int *lfd, u32 *isn, u32 *our_ts, int rcvbuf);

static int establish(int *lfd, u32 *isn, u32 *our_ts)
{
	return establish_rcvbuf(lfd, isn, our_ts, 0);
}

/* (@rcvbuf: SO_RCVBUF of the listener, inherited by the child; 0 for the default.) */
static int establish_rcvbuf(int *lfd, u32 *isn, u32 *our_ts, int rcvbuf)
{
	static const u8 synopt[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0,
				     1, 3, 3, 7 };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(OUR_PORT) };
	u8 tcp[60], pkt[120], o[40];
	struct tcphdr *th = (struct tcphdr *)tcp, sa;
	__be32 saddr = ipt_addr("10.0.0.2"), daddr = ipt_addr("10.0.0.1");
	unsigned int tlen = 20 + sizeof(synopt), len;
	struct seg ack;
	int fd;

	*lfd = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(*lfd >= 0);
	if (rcvbuf)
		assert_int_equal(ul_setsockopt(*lfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
	assert_int_equal(ul_bind(*lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(ul_listen(*lfd, 4), 0);

	memset(tcp, 0, sizeof(tcp));
	th->source = htons(PEER_PORT);
	th->dest = htons(OUR_PORT);
	th->seq = htonl(1000);
	th->doff = (u16)(tlen / 4) & 0xf;
	tcp[13] = TCPHDR_SYN;
	th->window = htons(65535);
	memcpy(tcp + 20, synopt, sizeof(synopt));
	th->check = tcp_v4_check((int)tlen, saddr, daddr, csum_partial(tcp, (int)tlen, 0));
	len = ipt_build_ip(pkt, saddr, daddr, IPPROTO_TCP, 64, 1, 0, 5, NULL, tcp, tlen);
	ipt_rx(t0, pkt, len);
	ul_run_for(MS);
	assert_true(tx_seg(&sa, o, NULL));
	*isn = ntohl(sa.seq);
	*our_ts = be32_at(o + 8);

	memset(&ack, 0, sizeof(ack));
	ack.seq = 1001;
	ack.ack = *isn + 1;
	ack.flags = TCPHDR_ACK;
	ack.tsval = 101;
	ack.tsecr = *our_ts;
	rx_seg(&ack);
	fd = ul_accept4(*lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(fd >= 0);
	ipt_dev_purge(t0);
	return fd;
}

/* The fake peer never answers a FIN: close with SO_LINGER {1, 0} (RST, the sock goes). */
static void abort_close(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), 0);
	assert_int_equal(ul_close(fd), 0);
}

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

static struct sock *sk_of(int fd)
{
	int err;
	struct socket *sock = sockfd_lookup(fd, &err);
	struct sock *sk;

	assert_non_null(sock);
	sk = sock->sk;
	fput(sock->file);
	return sk;
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
	assert_int_equal(tp->sacked_out, 0);
	/* The second segment SACKed: Disorder, one SACKed, FACK count 2. */
	blk[0] = isn + 1 + 1448;
	blk[1] = isn + 1 + 2896;
	s.tsval++;
	rx_seg(&s);
	assert_int_equal(tp->sacked_out, 1);
	assert_int_equal(tp->fackets_out, 2);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Disorder);
	/* A block covering part of a segment marks nothing (whole segments only). */
	blk[0] = isn + 1 + 2900;
	blk[1] = isn + 1 + 3000;
	s.tsval++;
	rx_seg(&s);
	assert_int_equal(tp->sacked_out, 1);
	/* Everything ACKed: back to Open, the scoreboard empty. */
	s.ack = isn + 1 + 3000;
	s.nsack = 0;
	s.tsval++;
	rx_seg(&s);
	assert_int_equal(tp->packets_out, 0);
	assert_int_equal(tp->sacked_out, 0);
	assert_int_equal(tp->fackets_out, 0);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Open);
	abort_close(fd);
	ul_close(lfd);
}

/* A small receive buffer overflowing with out-of-order data: the queue is pruned
 * (PruneCalled), the out-of-order queue dropped (OfoPruned); the data that fills the hole
 * is still taken. */
static void test_ofo_prune(void **state)
{
	u8 data[200];
	u32 isn, ts;
	int lfd, fd, k, inq = -1;
	unsigned long prune0 = nstat(LINUX_MIB_PRUNECALLED), ofop0 = nstat(LINUX_MIB_OFOPRUNED);
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
	assert_true(nstat(LINUX_MIB_OFOPRUNED) > ofop0);
	assert_true(atomic_read(&sk_of(fd)->sk_rmem_alloc) <= sk_of(fd)->sk_rcvbuf);
	s.seq = 1001;
	rx_seg(&s);
	assert_int_equal(ul_ioctl(fd, FIONREAD, &inq), 0);
	assert_true(inq >= 200);
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
