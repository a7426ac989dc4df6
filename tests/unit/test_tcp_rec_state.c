/* SPDX-License-Identifier: MIT */
/* The loss-recovery state of a TCP socket (issue #10, idle TCP bytes per socket): the
 * recovery and SACK-scoreboard scalars live in the block of tcp_sock.ofo, allocated at the
 * first loss event and kept until close. A connection that exchanges data without loss
 * (many messages both ways, delayed ACKs, window updates, a closed window and its probes)
 * never allocates it; the first SACK does, and its values survive the episode; a
 * retransmitted SYN-ACK gives the child its total_retrans. Without memory for the block,
 * each allocation point behaves as 3.10 short of memory there: the loss probe is not sent,
 * the RTO's retransmission fails (TCPRetransFail) and backs off, a SACK block is discarded
 * (TCPSACKDiscard), the child is not created (ListenDrops); the connection recovers once
 * memory is back. In SYN-SENT the first SYN's stamp still bounds the SYN-ACK's echoed
 * timestamp (PAWSActiveRejected) without the block.
 * Mirrors the behaviour of linux/net/ipv4/tcp_input.c (tcp_sacktag_write_queue,
 * tcp_fastretrans_alert, tcp_rcv_synsent_state_process), tcp_output.c
 * (tcp_retransmit_skb, tcp_send_loss_probe), tcp_timer.c (tcp_retransmit_timer) and
 * tcp_minisocks.c (tcp_create_openreq_child) (3.10). */
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include "sock_tcp_testutil.h"
#include "tcp_peer_testutil.h"
#include "hw_test_util.h"
#include "tcp_wire_testutil.h"
#include "net_testutil.h"
#include "linux/slab.h"
#include "linux/tcp.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

TCP_PEER_FIXTURES("rs", true)

#define PEER_PORT 40700
#define OUR_PORT 80
#define MSS 1448	/* 1460 - 12 of timestamps */
#define REC_CACHE "kmalloc-128"	/* the block: 128 B */

static u32 isn, our_ts, peer_tsval;

static unsigned long nstat(int f)
{
	return tcp_netstat_read(tnet, f);
}

static u32 total_retrans(int fd)
{
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);

	assert_int_equal(ul_getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &tl), 0);
	return ti.tcpi_total_retrans;
}

/* An ACK from the peer of relative @ack (to our ISN + 1) with @nsack SACK blocks of
 * relative edges @sack; 1 ms runs. */
static void rx_ack(u32 ack, const u32 *sack, int nsack)
{
	struct tcp_peer_seg s;
	u32 edges[8];
	int i;

	assert_true(nsack <= 4);
	for (i = 0; i < 2 * nsack; i++)
		edges[i] = isn + 1 + sack[i];
	memset(&s, 0, sizeof(s));
	s.seq = 1001;
	s.ack = isn + 1 + ack;
	s.flags = TCPHDR_ACK;
	s.tsval = ++peer_tsval;
	s.tsecr = our_ts;
	s.sack = edges;
	s.nsack = nsack;
	tcp_peer_rx_seg(t0, &s, PEER_PORT, OUR_PORT, 1000);
	ul_run_for(MS);
}

/* The next data segment we sent (pure ACKs skipped): its relative sequence number; false
 * when none. */
static bool tx_data(u32 *rel_seq)
{
	int guard;

	for (guard = 0; guard < 100; guard++) {
		struct tcphdr th;
		u8 o[40];
		unsigned int dlen;

		if (!tcp_peer_pop(t0, &th, o, &dlen, TCP_PEER_POP_CHECK))
			return false;
		if (th.doff * 4 >= 32)
			our_ts = tcp_peer_be32(o + 4);
		if (!dlen)
			continue;
		*rel_seq = ntohl(th.seq) - (isn + 1);
		return true;
	}
	return false;
}

static int establish(int *lfd)
{
	int fd = tcp_peer_establish(t0, PEER_PORT, OUR_PORT, lfd, &isn, &our_ts, 0);
	int sndbuf = 256 * 1024;

	peer_tsval = 101;
	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	assert_null(tcp_sk(sk_of(fd))->ofo);
	return fd;
}

/* @n full segments written and sent, from relative @from. */
static void send_segs(int fd, int n, u32 from)
{
	static u8 data[8 * MSS];
	u32 seq;
	int k;

	assert_true(n <= 8);
	memset(data, 'r', sizeof(data));
	assert_int_equal(ul_send(fd, data, (size_t)n * MSS, 0), (ssize_t)n * MSS);
	ul_run_for(MS / 10);
	for (k = 0; k < n; k++) {
		assert_true(tx_data(&seq));
		assert_int_equal(seq, from + (u32)k * MSS);
	}
	assert_false(tx_data(&seq));
}

/* Two real sockets over lo, no loss: a closed window the sender probes for 3 s, 300
 * request/response rounds of odd sizes with idle stretches that let the delayed ACKs
 * fire, and a 512 KiB transfer the reader drains (window updates). Neither end, nor the
 * listener, ever gets the loss-recovery state; tcp_info's total_retrans stays 0. */
static void test_no_state_without_loss(void **state)
{
	static unsigned char buf[16384];
	int lfd, cfd, sfd, i, guard;
	size_t sent = 0, got = 0, total;
	unsigned long probes0 = nstat(LINUX_MIB_TCPLOSSPROBES);

	(void)state;
	tcp_pair(5100, &lfd, &cfd, &sfd);
	/* A closed window: the receiver does not read until the sender is stuck. */
	for (guard = 0; guard < 10000; guard++) {
		ssize_t n = ul_send(cfd, buf, sizeof(buf), 0);

		if (n < 0)
			break;
		sent += (size_t)n;
		ul_run_for(MS);
	}
	ul_run_for(3 * SEC);	/* window probes */
	assert_int_equal(tcp_sk(sk_of(cfd))->snd_wnd, 0);
	assert_true(inet_csk(sk_of(cfd))->icsk_backoff > 0);
	for (guard = 0; got < sent && guard < 100000; guard++) {
		ssize_t n = ul_recv(sfd, buf, sizeof(buf), 0);

		if (n > 0)
			got += (size_t)n;
		else
			ul_run_for(MS);
	}
	assert_int_equal(got, sent);

	for (i = 0; i < 300; i++) {
		size_t q = 1 + (size_t)(i * 37) % 3000, r = 1 + (size_t)(i * 11) % 200;

		bulk_fill(buf, 0, q);
		assert_int_equal(ul_send(cfd, buf, q, 0), (ssize_t)q);
		ul_run_for(MS);
		assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), (ssize_t)q);
		assert_int_equal(ul_send(sfd, buf, r, 0), (ssize_t)r);
		ul_run_for(i % 50 ? MS : 300 * MS);	/* now and then the delayed ACK fires */
		assert_int_equal(ul_recv(cfd, buf, sizeof(buf), 0), (ssize_t)r);
	}
	/* Bulk: the reader drains as data comes (window updates). */
	sent = got = 0;
	total = 512u << 10;
	for (guard = 0; got < total && guard < 100000; guard++) {
		ssize_t n;

		if (sent < total) {
			n = ul_send(cfd, buf, sizeof(buf), 0);
			if (n > 0)
				sent += (size_t)n;
		}
		ul_run_for(MS / 10);
		while ((n = ul_recv(sfd, buf, sizeof(buf), 0)) > 0)
			got += (size_t)n;
	}
	assert_true(got >= total);
	assert_null(tcp_sk(sk_of(cfd))->ofo);
	assert_null(tcp_sk(sk_of(sfd))->ofo);
	assert_null(tcp_sk(sk_of(lfd))->ofo);
	assert_int_equal(total_retrans(cfd), 0);
	assert_int_equal(total_retrans(sfd), 0);
	assert_int_equal(nstat(LINUX_MIB_TCPLOSSPROBES), probes0);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* The first SACK allocates the state (one 128 B object); its scoreboard drives the fast
 * retransmission (FACK: 4 > reordering 3), and what the episode counted (total_retrans)
 * survives its end. tcp_info reads the same values as 3.10's fields would hold. */
static void test_first_sack_allocates(void **state)
{
	const u32 blk[2] = { 3 * MSS, 6 * MSS };
	struct tcp_sock *tp;
	u32 seq;
	int lfd, fd;

	(void)state;
	fd = establish(&lfd);
	tp = tcp_sk(sk_of(fd));
	send_segs(fd, 2, 0);
	rx_ack(2 * MSS, NULL, 0);	/* in order: nothing allocated */
	assert_null(tp->ofo);
	assert_int_equal(tcp_packets_in_flight(tp), 0);

	/* Five more; the 2nd to 4th of them SACKed. */
	send_segs(fd, 5, 2 * MSS);
	assert_int_equal(tp->packets_out, 5);
	rx_ack(2 * MSS, blk, 1);
	assert_non_null(tp->ofo);
	assert_int_equal(ksize(tp->ofo), 128);
	assert_int_equal(tcp_rec(tp)->sacked_out, 3);
	assert_int_equal(tcp_rec(tp)->fackets_out, 4);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Recovery);
	assert_true(tx_data(&seq));
	assert_int_equal(seq, 2 * MSS);
	assert_int_equal(tcp_rec(tp)->retrans_out, 1);
	assert_int_equal(tcp_rec(tp)->total_retrans, 1);
	assert_int_equal(tcp_rec(tp)->high_seq, tp->snd_nxt);
	assert_int_equal(tcp_packets_in_flight(tp), 5 - 3 - 1 + 1);
	assert_int_equal(total_retrans(fd), 1);

	/* All acknowledged: Open; the counters of the episode are back to 0, the total
	 * stays, the block with it. */
	rx_ack(7 * MSS, NULL, 0);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Open);
	assert_non_null(tp->ofo);
	assert_int_equal(tcp_rec(tp)->sacked_out, 0);
	assert_int_equal(tcp_rec(tp)->retrans_out, 0);
	assert_int_equal(total_retrans(fd), 1);
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* No memory for the block at the first SACK: the SACK block is discarded
 * (TCPSACKDiscard), the ACK is a plain duplicate one, nothing changes; the next SACK
 * finds memory and recovery runs as usual. */
static void test_sack_alloc_failure(void **state)
{
	const u32 blk[2] = { MSS, 4 * MSS };
	unsigned long disc0 = nstat(LINUX_MIB_TCPSACKDISCARD);
	struct tcp_sock *tp;
	u32 seq;
	int lfd, fd;

	(void)state;
	fd = establish(&lfd);
	tp = tcp_sk(sk_of(fd));
	send_segs(fd, 4, 0);
	ul_failslab_arm(REC_CACHE, 0, 1);
	rx_ack(0, blk, 1);
	assert_int_equal(ul_failslab_pending(), 0);
	assert_int_equal(nstat(LINUX_MIB_TCPSACKDISCARD), disc0 + 1);
	assert_null(tp->ofo);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Open);
	assert_int_equal(tcp_packets_in_flight(tp), 4);
	assert_false(tx_data(&seq));

	rx_ack(0, blk, 1);
	assert_int_equal(nstat(LINUX_MIB_TCPSACKDISCARD), disc0 + 1);
	assert_non_null(tp->ofo);
	assert_int_equal(tcp_rec(tp)->sacked_out, 3);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Recovery);
	assert_true(tx_data(&seq));
	assert_int_equal(seq, 0);
	rx_ack(4 * MSS, NULL, 0);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Open);
	assert_int_equal(tp->packets_out, 0);
	assert_int_equal(total_retrans(fd), 1);
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* No memory for the block when the loss probe fires (2 segments out: PTO 10 ms) and when
 * the RTO fires: no probe goes (TCPLossProbes unchanged, the RTO armed), the RTO's
 * retransmission fails (TCPRetransFail) and backs off as 3.10 backs off a failed one; the
 * state stays Open and unallocated. The next RTO finds memory: Loss, the head goes again. */
static void test_probe_and_rto_alloc_failure(void **state)
{
	unsigned long fail0 = nstat(LINUX_MIB_TCPRETRANSFAIL);
	unsigned long probes0 = nstat(LINUX_MIB_TCPLOSSPROBES);
	unsigned long to0 = nstat(LINUX_MIB_TCPTIMEOUTS);
	struct inet_connection_sock *icsk;
	struct tcp_sock *tp;
	u32 seq, rto;
	int lfd, fd;

	(void)state;
	fd = establish(&lfd);
	tp = tcp_sk(sk_of(fd));
	icsk = inet_csk(sk_of(fd));
	send_segs(fd, 2, 0);
	rto = icsk->icsk_rto;
	ul_failslab_arm(REC_CACHE, 0, 2);
	ul_run_for(15 * MS);	/* the PTO */
	assert_int_equal(ul_failslab_pending(), 1);
	assert_int_equal(nstat(LINUX_MIB_TCPLOSSPROBES), probes0);
	assert_false(tx_data(&seq));
	assert_int_equal(icsk->icsk_pending, ICSK_TIME_RETRANS);
	assert_null(tp->ofo);

	ul_run_for((u64)rto * MS);	/* the RTO */
	assert_int_equal(ul_failslab_pending(), 0);
	assert_int_equal(nstat(LINUX_MIB_TCPRETRANSFAIL), fail0 + 1);
	assert_int_equal(nstat(LINUX_MIB_TCPTIMEOUTS), to0 + 1);
	assert_false(tx_data(&seq));
	assert_null(tp->ofo);
	assert_int_equal(icsk->icsk_ca_state, TCP_CA_Open);
	assert_int_equal(icsk->icsk_retransmits, 1);
	assert_int_equal(icsk->icsk_rto, 2 * rto);

	ul_run_for((u64)2 * rto * MS + MS);	/* the next RTO */
	assert_non_null(tp->ofo);
	assert_int_equal(icsk->icsk_ca_state, TCP_CA_Loss);
	assert_true(tx_data(&seq));
	assert_int_equal(seq, 0);
	assert_int_equal(tcp_rec(tp)->total_retrans, 1);
	assert_int_equal(tcp_rec(tp)->lost_out, 2);
	assert_int_equal(nstat(LINUX_MIB_TCPRETRANSFAIL), fail0 + 1);
	rx_ack(2 * MSS, NULL, 0);
	assert_int_equal(tp->packets_out, 0);
	assert_int_equal(icsk->icsk_ca_state, TCP_CA_Open);
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* The peer's SYN, our SYN-ACK popped: its tsval in *@ts. */
static void syn_in(int *lfd, u32 *ts)
{
	static const u8 synopt[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0,
				     1, 3, 3, 7 };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(OUR_PORT) };
	u8 tcp[60], o[40];
	struct tcphdr *th = (struct tcphdr *)tcp, sa;

	*lfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(*lfd >= 0);
	assert_int_equal(ul_bind(*lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(ul_listen(*lfd, 4), 0);
	memset(tcp, 0, sizeof(tcp));
	th->source = htons(PEER_PORT);
	th->dest = htons(OUR_PORT);
	th->seq = htonl(1000);
	th->doff = (u16)((20 + sizeof(synopt)) / 4) & 0xf;
	tcp[13] = TCPHDR_SYN;
	th->window = htons(65535);
	memcpy(tcp + 20, synopt, sizeof(synopt));
	tcp_peer_inject(t0, tcp, 20 + sizeof(synopt), false);
	ul_run_for(MS);
	assert_true(tcp_peer_pop(t0, &sa, o, NULL, TCP_PEER_POP_CHECK));
	isn = ntohl(sa.seq);
	*ts = tcp_peer_be32(o + 8);
}

/* A SYN-ACK that went twice: the child inherits total_retrans 1 (3.10: num_retrans), so
 * it starts with the block. Without memory for it the child is not created
 * (ListenDrops, nothing to accept) and the peer's next ACK creates it. */
static void test_child_of_retransmitted_synack(void **state)
{
	unsigned long drops0 = nstat(LINUX_MIB_LISTENDROPS);
	struct tcp_peer_seg ack;
	struct tcphdr sa;
	int lfd, fd;

	(void)state;
	syn_in(&lfd, &our_ts);
	/* TCP_TIMEOUT_INIT, the SYN queue pruned every 200 ms: the SYN-ACK again. */
	ul_run_for(1500 * MS);
	assert_true(tcp_peer_pop(t0, &sa, NULL, NULL, TCP_PEER_POP_CHECK));
	assert_true(sa.syn && sa.ack);
	ipt_dev_purge(t0);

	memset(&ack, 0, sizeof(ack));
	ack.seq = 1001;
	ack.ack = isn + 1;
	ack.flags = TCPHDR_ACK;
	ack.tsval = 101;
	ack.tsecr = our_ts;
	ul_failslab_arm(REC_CACHE, 0, 1);
	tcp_peer_rx_seg(t0, &ack, PEER_PORT, OUR_PORT, 1000);
	ul_run_for(MS);
	assert_int_equal(ul_failslab_pending(), 0);
	assert_int_equal(nstat(LINUX_MIB_LISTENDROPS), drops0 + 1);
	assert_errno(ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK), EAGAIN);

	ack.tsval = 102;
	tcp_peer_rx_seg(t0, &ack, PEER_PORT, OUR_PORT, 1000);
	ul_run_for(MS);
	fd = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(fd >= 0);
	assert_int_equal(nstat(LINUX_MIB_LISTENDROPS), drops0 + 1);
	assert_non_null(tcp_sk(sk_of(fd))->ofo);
	assert_int_equal(total_retrans(fd), 1);
	assert_null(tcp_sk(sk_of(lfd))->ofo);
	ipt_dev_purge(t0);
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* Our connect: the SYN (its tsval popped to *@ts), nothing answered yet. */
static int syn_out(u32 *ts)
{
	struct sockaddr_in a = ul_test_sin(TCP_PEER_ADDR, PEER_PORT);
	struct tcphdr th;
	u8 o[40];
	int fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	assert_errno(ul_connect(fd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	assert_true(tcp_peer_pop(t0, &th, o, NULL, TCP_PEER_POP_CHECK));
	assert_true(th.syn && !th.ack);
	isn = ntohl(th.seq);
	*ts = tcp_peer_be32(o + 8);
	return fd;
}

/* The SYN-ACK to our SYN, echoing @tsecr. */
static void synack_in(int fd, u32 tsecr)
{
	static const u8 opt[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 200, 0, 0, 0, 0,
				  1, 3, 3, 7 };
	u8 tcp[60];
	struct tcphdr *th = (struct tcphdr *)tcp;

	memset(tcp, 0, sizeof(tcp));
	th->source = htons(PEER_PORT);
	th->dest = inet_sk(sk_of(fd))->inet_sport;
	th->seq = htonl(5000);
	th->ack_seq = htonl(isn + 1);
	th->doff = (u16)((20 + sizeof(opt)) / 4) & 0xf;
	tcp[13] = TCPHDR_SYN | TCPHDR_ACK;
	th->window = htons(65535);
	memcpy(tcp + 20, opt, sizeof(opt));
	tcp_peer_put32(tcp + 20 + 12, tsecr);
	tcp_peer_inject(t0, tcp, 20 + sizeof(opt), false);
	ul_run_for(MS);
}

/* SYN-SENT without the block: a SYN-ACK echoing a timestamp older than our SYN is
 * rejected (PAWSActiveRejected, 3.10's check against the first SYN's stamp), the right
 * one accepted, and the connection is established without the block. After a SYN
 * retransmission (which allocates it) the stamp is still the first SYN's. */
static void test_synsent_stamp(void **state)
{
	unsigned long paws0 = nstat(LINUX_MIB_PAWSACTIVEREJECTED);
	u32 ts, ts2;
	int fd;
	struct tcphdr th;

	(void)state;
	fd = syn_out(&ts);
	assert_null(tcp_sk(sk_of(fd))->ofo);
	synack_in(fd, ts - 1);
	assert_int_equal(nstat(LINUX_MIB_PAWSACTIVEREJECTED), paws0 + 1);
	assert_int_equal(sk_of(fd)->sk_state, TCP_SYN_SENT);	/* (and a RST sent) */
	ul_close(fd);
	ipt_dev_purge(t0);

	ul_run_for(10 * MS);
	fd = syn_out(&ts);
	synack_in(fd, ts);
	assert_int_equal(sk_of(fd)->sk_state, TCP_ESTABLISHED);
	assert_null(tcp_sk(sk_of(fd))->ofo);
	assert_int_equal(total_retrans(fd), 0);
	ipt_dev_purge(t0);
	tcp_peer_abort_close(fd);
	ipt_dev_purge(t0);

	/* The SYN goes again after 1 s: the block, and the first SYN's stamp in it. */
	ul_run_for(10 * MS);
	fd = syn_out(&ts);
	ul_run_for(1100 * MS);
	assert_true(tcp_peer_pop(t0, &th, NULL, NULL, TCP_PEER_POP_CHECK));
	assert_true(th.syn && !th.ack);
	assert_non_null(tcp_sk(sk_of(fd))->ofo);
	assert_int_equal(tcp_rec(tcp_sk(sk_of(fd)))->retrans_stamp, ts);
	ts2 = ts - 1;
	synack_in(fd, ts2);
	assert_int_equal(nstat(LINUX_MIB_PAWSACTIVEREJECTED), paws0 + 2);
	ul_close(fd);
	ipt_dev_purge(t0);
}

struct lossy {
	size_t total, sent, received;
	int bad, eof, tx_err, rx_err, ready;
	unsigned int pending;
	bool tx_rec, rx_ofo;
};

static int receiver(void *arg)
{
	struct lossy *im = arg;

	return bulk_serve_one_state("10.9.1.2", 80, 1, &im->ready, &im->received, &im->bad,
				    &im->eof, &im->rx_err, &im->rx_ofo);
}

/* bulk_send_one, with the first allocations of the block's cache failing once the
 * connection is up: both ends' first loss events meet them. */
static int sender(void *arg)
{
	struct lossy *im = arg;
	unsigned char *buf;
	int fd = bulk_connect_buf("10.9.1.2", 80, &im->ready, 0, 65536, &buf);

	if (fd < 0) {
		im->tx_err = errno;
		return -fd;
	}
	ul_failslab_arm(REC_CACHE, 0, 6);
	if (bulk_send_all(fd, buf, 65536, im->total, &im->sent))
		im->tx_err = errno;
	im->pending = ul_failslab_pending();
	im->tx_rec = tcp_sk(sk_of(fd))->ofo != NULL;
	free(buf);
	ul_close(fd);
	return 0;
}

/* 1 MiB over a wire that loses 3% and reorders 3% of the frames (seeded) while the
 * first six allocations of the block's cache fail: the transfer stays byte-exact (no
 * scoreboard corrupted by a failed allocation), the failures were met and counted
 * (TCPRetransFail, TCPSACKDiscard or TCPOFODrop), and both ends got their block in
 * the end. */
static void test_lossy_transfer_alloc_failures(void **state)
{
	struct lossy im = { .total = 1u << 20 };
	struct hw_impair imp = { .delay_ns = 1000000, .loss_ppm = 30000, .reorder_ppm = 30000,
				 .seed = 1081 };
	struct net *na, *nb;
	unsigned long failed;

	(void)state;
	wire_pair_up("10.9.1", &imp, NULL);
	na = ul_net_by_name("a");
	nb = ul_net_by_name("b");
	bulk_run_tasks("a", "b", receiver, sender, &im);
	assert_int_equal(im.tx_err, 0);
	assert_int_equal(im.rx_err, 0);
	assert_int_equal(im.sent, im.total);
	bulk_assert_intact(im.total, im.received, im.bad, im.eof);
	assert_int_equal(im.pending, 0);
	assert_true(im.tx_rec);
	assert_true(im.rx_ofo);
	failed = tcp_netstat_read(na, LINUX_MIB_TCPRETRANSFAIL) +
		 tcp_netstat_read(na, LINUX_MIB_TCPSACKDISCARD) +
		 tcp_netstat_read(nb, LINUX_MIB_TCPOFODROP);
	assert_true(failed > 0);
	assert_int_equal(tcp_mib_read(na, TCP_MIB_OUTRSTS), 0);
	assert_int_equal(tcp_mib_read(nb, TCP_MIB_OUTRSTS), 0);
	ul_run_for(3 * SEC);
	wire_pair_down();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_state_without_loss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_sack_allocates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sack_alloc_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe_and_rto_alloc_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_child_of_retransmitted_synack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_synsent_stamp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lossy_transfer_alloc_failures,
						ul_test_setup_sim, ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
