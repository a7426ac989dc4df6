/* SPDX-License-Identifier: MIT */
/* Test helpers for a crafted TCP peer: a namespace with one test device t0 (10.0.0.1/24)
 * whose transmit queue captures what the stack sends, TCP segments built by hand from
 * 10.0.0.2 and injected on it as received frames, and parsing of the captured segments.
 * Mirrors linux/include/net/tcp.h's option layout (TCPOPT_*, TCPOLEN_*) for the segments
 * it builds; header-only, shared by the test_tcp_*.c and test_syncookies.c tests. */
#ifndef ULNET_TESTS_TCP_PEER_TESTUTIL_H
#define ULNET_TESTS_TCP_PEER_TESTUTIL_H

#include <errno.h>
#include <string.h>
#include "ip_testdev.h"
#include "linux/in.h"
#include "linux/rtnetlink.h"
#include "linux/sched.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

#define TCP_PEER_ADDR "10.0.0.2"	/* the crafted peer */
#define TCP_PEER_OUR_ADDR "10.0.0.1"	/* the stack, on t0 */

/* Namespace @ns made current, with t0 up as 10.0.0.1/24 and its queue empty; @lo_up also
 * opens the namespace's loopback device (for a socket talking to itself). */
static inline int tcp_peer_setup(void **state, const char *ns, bool lo_up, struct net **net,
				 struct net_device **dev)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	err = ul_netns_add(ns);
	if (err)
		return err;
	*net = ul_net_by_name(ns);
	if (!*net)
		return -ENOENT;
	current->net = *net;
	if (lo_up) {
		rtnl_lock();
		err = dev_open((*net)->loopback_dev);
		rtnl_unlock();
		if (err)
			return err;
	}
	*dev = ipt_dev_new(*net, "t0", 1, 1500);
	ipt_addr_add(*dev, TCP_PEER_OUR_ADDR, 24);
	ipt_dev_purge(*dev);
	return 0;
}

/* Closes every fd, lets the stack drain for 10 ms, deletes @dev and the namespace @ns
 * (asserted): the first half of a teardown, for tests that check more before the leak
 * check. */
static inline void tcp_peer_leave(const char *ns, struct net_device *dev)
{
	int fd;

	for (fd = 0; fd < 1024; fd++)
		ul_close(fd);
	ul_run_for(10ULL * 1000ULL * 1000ULL);
	ipt_dev_purge(dev);
	ipt_dev_del(dev);
	current->net = NULL;
	assert_int_equal(ul_netns_del(ns), 0);
}

/* cmocka teardown of tcp_peer_setup: tcp_peer_leave, then the leak check. */
static inline int tcp_peer_teardown(void **state, const char *ns, struct net_device *dev)
{
	tcp_peer_leave(ns, dev);
	return ul_test_teardown(state);
}

/* The usual fixture of a crafted-peer test: globals tnet and t0, and cmocka setup and
 * teardown (tcp_peer_setup, tcp_peer_teardown) on namespace @ns. */
#define TCP_PEER_FIXTURES(ns, lo_up)						\
	static struct net *tnet;						\
	static struct net_device *t0;						\
	static int setup(void **state)						\
	{									\
		return tcp_peer_setup(state, ns, lo_up, &tnet, &t0);		\
	}									\
	static int teardown(void **state)					\
	{									\
		return tcp_peer_teardown(state, ns, t0);			\
	}

/* rx_seg/tx_seg of a test whose peer 10.0.0.2:@peer_port talks to t0's @our_port with window
 * @win: rx_seg injects a segment and runs 1 ms; tx_seg pops the next one t0 sent (its TCP
 * header to @th, options to @opt), checksums checked. Needs TCP_PEER_FIXTURES and MS. */
#define TCP_PEER_SEG_IO(peer_port, our_port, win)				\
	static void rx_seg(const struct tcp_peer_seg *s)			\
	{									\
		tcp_peer_rx_seg(t0, s, peer_port, our_port, win);		\
		ul_run_for(MS);							\
	}									\
	static bool tx_seg(struct tcphdr *th, u8 *opt, unsigned int *datalen)	\
	{									\
		return tcp_peer_pop(t0, th, opt, datalen, TCP_PEER_POP_CHECK);	\
	}

/* The big-endian u32 at @p (options are not aligned). */
static inline u32 tcp_peer_be32(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}

static inline void tcp_peer_put32(u8 *p, u32 x)
{
	__be32 v = htonl(x);

	memcpy(p, &v, 4);
}

/* NOP, NOP, timestamp (@tsval, @tsecr) at @o: 12 bytes. */
static inline unsigned int tcp_peer_put_ts(u8 *o, u32 tsval, u32 tsecr)
{
	o[0] = TCPOPT_NOP;
	o[1] = TCPOPT_NOP;
	o[2] = TCPOPT_TIMESTAMP;
	o[3] = TCPOLEN_TIMESTAMP;
	tcp_peer_put32(o + 4, tsval);
	tcp_peer_put32(o + 8, tsecr);
	return 12;
}

/* NOP, NOP, SACK of @n blocks (edges @edges[2n], each plus @base) at @o: 4 + 8n bytes. */
static inline unsigned int tcp_peer_put_sack(u8 *o, const u32 *edges, int n, u32 base)
{
	int i;

	o[0] = TCPOPT_NOP;
	o[1] = TCPOPT_NOP;
	o[2] = TCPOPT_SACK;
	o[3] = (u8)(TCPOLEN_SACK_BASE + n * TCPOLEN_SACK_PERBLOCK);
	for (i = 0; i < 2 * n; i++)
		tcp_peer_put32(o + 4 + 4 * i, base + edges[i]);
	return 4 + 8 * (unsigned int)n;
}

/* Checksums the TCP segment @tcp (@tlen bytes, header filled in; @badsum spoils the
 * checksum) from 10.0.0.2 to 10.0.0.1 and hands it to @dev as a received IPv4 frame.
 * The caller runs the clock. */
static inline void tcp_peer_inject(struct net_device *dev, u8 *tcp, unsigned int tlen,
				   bool badsum)
{
	struct tcphdr *th = (struct tcphdr *)tcp;
	__be32 saddr = ipt_addr(TCP_PEER_ADDR), daddr = ipt_addr(TCP_PEER_OUR_ADDR);
	u8 pkt[1700];
	unsigned int len;

	assert_true(tlen + 20 <= sizeof(pkt));
	th->check = 0;
	th->check = tcp_v4_check((int)tlen, saddr, daddr, csum_partial(tcp, (int)tlen, 0));
	if (badsum)
		th->check ^= htons(0x0101);
	len = ipt_build_ip(pkt, saddr, daddr, IPPROTO_TCP, 64, 1, 0, 5, NULL, tcp, tlen);
	ipt_rx(dev, pkt, len);
}

/* tcp_peer_pop's checks. */
#define TCP_PEER_POP_CHECK 1	/* at least 40 bytes of IPv4 + TCP */
#define TCP_PEER_POP_CSUM 2	/* and a right TCP checksum */

/* The next segment @dev sent: its TCP header copied to @th, its options to @opt and its
 * payload length to @datalen (each optional); false when the queue is empty, @th then left
 * as it was (test_syncookies.c reads it after). */
static inline bool tcp_peer_pop(struct net_device *dev, struct tcphdr *th, u8 *opt,
				unsigned int *datalen, unsigned int checks)
{
	u8 buf[1600];
	struct sk_buff *skb = ipt_pop(dev);
	const struct iphdr *iph = (const struct iphdr *)buf;
	unsigned int len;

	if (!skb) {
		/* For -O2: the caller's @th may have been written (it has not), so that a read
		 * after a failed assert_true (which stops the test) is not "uninitialized". */
		__asm__ volatile("" : : "r"(th) : "memory");
		return false;
	}
	len = ipt_l3_copy(skb, buf, sizeof(buf));
	kfree_skb(skb);
	if (checks) {
		assert_true(len >= 40);
		assert_int_equal(iph->protocol, IPPROTO_TCP);
	}
	memcpy(th, buf + iph->ihl * 4, sizeof(*th));
	if (opt)
		memcpy(opt, buf + iph->ihl * 4 + 20, (size_t)(th->doff * 4 - 20));
	if (datalen)
		*datalen = len - iph->ihl * 4u - th->doff * 4u;
	if (checks & TCP_PEER_POP_CSUM)
		assert_int_equal(tcp_v4_check((int)(len - iph->ihl * 4u), iph->saddr, iph->daddr,
					      csum_partial(buf + iph->ihl * 4,
							   (int)(len - iph->ihl * 4u), 0)),
				 0);
	return true;
}

/* Finds the SACK option in @o (@len bytes): its blocks' edges into @edges, the count. */
static inline int tcp_peer_sack_blocks(const u8 *o, unsigned int len, u32 *edges)
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
				edges[k] = tcp_peer_be32(o + i + 2 + 4 * k);
			return n;
		}
		i += o[i + 1];
	}
	return 0;
}

/* A data/ACK segment with optional timestamp and SACK options (tcp_peer_rx_seg). */
struct tcp_peer_seg {
	u32 seq, ack;
	u8 flags;
	u32 tsval, tsecr;	/* a timestamp option when tsval != 0 */
	const u32 *sack;	/* pairs of SACK edges */
	int nsack;
	const u8 *data;
	unsigned int len;
};

/* @s from 10.0.0.2:@sport to 10.0.0.1:@dport offering window @win, received by @dev. */
static inline void tcp_peer_rx_seg(struct net_device *dev, const struct tcp_peer_seg *s,
				   u16 sport, u16 dport, u16 win)
{
	u8 tcp[1600];
	struct tcphdr *th = (struct tcphdr *)tcp;
	unsigned int optlen = 0;

	assert_true(20 + 40 + s->len <= sizeof(tcp));
	memset(tcp, 0, sizeof(tcp));
	th->source = htons(sport);
	th->dest = htons(dport);
	th->seq = htonl(s->seq);
	th->ack_seq = htonl(s->ack);
	if (s->tsval)
		optlen = tcp_peer_put_ts(tcp + 20, s->tsval, s->tsecr);
	if (s->nsack)
		optlen += tcp_peer_put_sack(tcp + 20 + optlen, s->sack, s->nsack, 0);
	th->doff = (u16)((20 + optlen) / 4) & 0xf;
	tcp[13] = s->flags;
	th->window = htons(win);
	if (s->len)
		memcpy(tcp + 20 + optlen, s->data, s->len);
	tcp_peer_inject(dev, tcp, 20 + optlen + s->len, false);
}

/* The peer's segment of @len bytes at @seq with @flags, acking @ack, its timestamp @tsval
 * echoing @tsecr, window 1000; the clock runs 1 ms and @dev's queue is emptied of what the
 * stack answered. */
static inline void tcp_peer_send(struct net_device *dev, u16 sport, u16 dport, u32 seq,
				 u32 ack, u8 flags, u32 tsval, u32 tsecr, const u8 *data,
				 unsigned int len)
{
	struct tcp_peer_seg s;

	memset(&s, 0, sizeof(s));
	s.seq = seq;
	s.ack = ack;
	s.flags = flags;
	s.tsval = tsval;
	s.tsecr = tsecr;
	s.data = data;
	s.len = len;
	tcp_peer_rx_seg(dev, &s, sport, dport, 1000);
	ul_run_for(1000ULL * 1000ULL);
	ipt_dev_purge(dev);
}

/* A listener of ours on @dport (SO_RCVBUF @rcvbuf unless 0, inherited by the child) and a
 * peer on @sport that completes the handshake with MSS 1460, timestamps, SACK and wscale
 * 7: the peer's ISN is 1000, its tsvals 100 then 101. *@lfd is the listener, *@isn our
 * ISN, *@our_ts the SYN-ACK's tsval; the accepted fd (non-blocking) is returned, with
 * @dev's queue empty. */
static inline int tcp_peer_establish(struct net_device *dev, u16 sport, u16 dport, int *lfd,
				     u32 *isn, u32 *our_ts, int rcvbuf)
{
	static const u8 synopt[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0,
				     1, 3, 3, 7 };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(dport) };
	u8 tcp[60], o[40];
	struct tcphdr *th = (struct tcphdr *)tcp, sa;
	unsigned int tlen = 20 + sizeof(synopt);
	struct tcp_peer_seg ack;
	int fd;

	*lfd = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(*lfd >= 0);
	if (rcvbuf)
		assert_int_equal(ul_setsockopt(*lfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
	assert_int_equal(ul_bind(*lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(ul_listen(*lfd, 4), 0);

	memset(tcp, 0, sizeof(tcp));
	th->source = htons(sport);
	th->dest = htons(dport);
	th->seq = htonl(1000);
	th->doff = (u16)(tlen / 4) & 0xf;
	tcp[13] = TCPHDR_SYN;
	th->window = htons(65535);
	memcpy(tcp + 20, synopt, sizeof(synopt));
	tcp_peer_inject(dev, tcp, tlen, false);
	ul_run_for(1000ULL * 1000ULL);
	assert_true(tcp_peer_pop(dev, &sa, o, NULL, TCP_PEER_POP_CHECK));
	*isn = ntohl(sa.seq);
	*our_ts = tcp_peer_be32(o + 8);

	memset(&ack, 0, sizeof(ack));
	ack.seq = 1001;
	ack.ack = *isn + 1;
	ack.flags = TCPHDR_ACK;
	ack.tsval = 101;
	ack.tsecr = *our_ts;
	tcp_peer_rx_seg(dev, &ack, sport, dport, 1000);
	ul_run_for(1000ULL * 1000ULL);
	fd = ul_accept4(*lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(fd >= 0);
	ipt_dev_purge(dev);
	return fd;
}

/* The crafted peer never answers a FIN: close with SO_LINGER {1, 0} (RST, the sock goes). */
static inline void tcp_peer_abort_close(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), 0);
	assert_int_equal(ul_close(fd), 0);
}

#endif
