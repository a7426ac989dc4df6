/* SPDX-License-Identifier: MIT */
/* TCP data transfer on the sim runtime: bulk transfers over lo and over a veth pair between
 * two namespaces (blocking tasks, byte-exact), the send buffer filling up (EAGAIN,
 * SIOCOUTQ, SIOCINQ), Nagle / TCP_NODELAY / TCP_CORK / MSG_MORE, delayed ACKs, loss with
 * netem (retransmissions, RTO backoff, tcp_retries2 -> ETIMEDOUT), reordering (the
 * out-of-order queue), a zero window with persist probes, the RTT estimate, close with
 * unread data (RST) and reading after the peer's FIN.
 * Mirrors the behaviour of linux/net/ipv4/tcp.c (tcp_sendmsg, tcp_recvmsg, tcp_ioctl),
 * tcp_output.c (tcp_write_xmit, tcp_send_delayed_ack, tcp_send_probe0), tcp_input.c
 * (tcp_rcv_established, tcp_data_queue, tcp_ack, tcp_rtt_estimator) and tcp_timer.c
 * (tcp_retransmit_timer, tcp_probe_timer) (3.10). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "tcp_bulk_testutil.h"
#include "harness.h"
#include "net_testutil.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/sock.h"
#include "net/tcp.h"
#include "ulnet/lab.h"
#include "ulnet/socket.h"

#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif
#ifndef SIOCOUTQNSD
#define SIOCOUTQNSD 0x894B
#endif

#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)
#define MIB (1024 * 1024)

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int setup_posix(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_posix, "t", &tnet);
}

static int teardown(void **state)
{
	int err = ul_test_teardown_netns_after(state, "t", 10 * MS);

	tnet = NULL;
	return err;
}

/* A connected pair in the current namespace on @ip: *cfd the client, *sfd the accepted
 * server side, both non-blocking. */
static void tcp_pair_on(const char *ip, int port, int *lfd, int *cfd, int *sfd)
{
	struct sockaddr_in a = ul_test_sin(ip, port);
	int one = 1;

	*lfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(*lfd >= 0);
	assert_int_equal(ul_setsockopt(*lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	assert_int_equal(ul_bind(*lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(ul_listen(*lfd, 8), 0);
	*cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(*cfd >= 0);
	assert_errno(ul_connect(*cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	*sfd = ul_accept4(*lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(*sfd >= 0);
	assert_int_equal(sk_of(*cfd)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(sk_of(*sfd)->sk_state, TCP_ESTABLISHED);
}

static void tcp_pair(int port, int *lfd, int *cfd, int *sfd)
{
	tcp_pair_on("127.0.0.1", port, lfd, cfd, sfd);
}

static int ioctl_int(int fd, unsigned long req)
{
	int v = -1;

	assert_int_equal(ul_ioctl(fd, req, &v), 0);
	return v;
}

/* Read what is there (non-blocking) into @buf at *@got, checking the pattern. */
static size_t drain(int fd, size_t *got, size_t total)
{
	unsigned char buf[16384];
	size_t before = *got;
	int guard = 0;

	while (*got < total && ++guard < 100000) {
		ssize_t n = ul_recv(fd, buf, sizeof(buf), 0);
		ssize_t i;

		if (n < 0) {
			assert_int_equal(errno, EAGAIN);
			break;
		}
		assert_true(n > 0);
		for (i = 0; i < n; i++)
			assert_int_equal(buf[i], bulk_pattern(*got + (size_t)i));
		*got += (size_t)n;
	}
	return *got - before;
}

/* ---- bulk transfer with blocking tasks ---- */

struct bulk {
	const char *srv_ip;
	int port;
	size_t total;
	int ready;
	size_t received;
	int bad_bytes;
	int eof;		/* recv returned 0 after the data */
	int chunk;		/* sender's write size */
	int rcvbuf, sndbuf;	/* the buffers at the end (autotuning) */
	struct tcp_info cli_info;	/* the sender's TCP_INFO before close */
};

static int bulk_server(void *arg)
{
	struct bulk *b = arg;
	unsigned char *buf;
	int lfd, fd;

	fd = bulk_accept_one(b->srv_ip, b->port, 0, &b->ready, &lfd, NULL, &buf);
	if (fd < 0)
		return -fd;
	if (bulk_recv_all(fd, buf, &b->received, &b->bad_bytes, &b->eof)) {
		free(buf);
		return 12;
	}
	free(buf);
	b->rcvbuf = sk_of(fd)->sk_rcvbuf;
	ul_close(fd);
	ul_close(lfd);
	return 0;
}

static int bulk_client(void *arg)
{
	struct bulk *b = arg;
	unsigned char *buf;
	size_t sent = 0;
	int fd;

	fd = bulk_connect_buf(b->srv_ip, b->port, &b->ready, 0, (size_t)b->chunk, &buf);
	if (fd < 0)
		return -fd;
	if (bulk_send_all(fd, buf, (size_t)b->chunk, b->total, &sent)) {
		free(buf);
		return 21;
	}
	free(buf);
	b->sndbuf = sk_of(fd)->sk_sndbuf;
	{
		socklen_t l = sizeof(b->cli_info);

		if (ul_getsockopt(fd, SOL_TCP, TCP_INFO, &b->cli_info, &l))
			return 22;
	}
	/* close: the FIN goes after the data (piggybacked on the last segment or alone). */
	ul_close(fd);
	return 0;
}

static void run_bulk(const char *cli_ns, const char *srv_ns, struct bulk *b)
{
	bulk_run_tasks(cli_ns, srv_ns, bulk_server, bulk_client, b);
	bulk_assert_intact(b->total, b->received, b->bad_bytes, b->eof);
}

static void test_bulk_lo(void **state)
{
	struct bulk b = { .srv_ip = "127.0.0.1", .port = 5001, .total = MIB, .chunk = 10000 };
	unsigned long resets0 = tcp_mib_read(tnet, TCP_MIB_OUTRSTS);
	unsigned long hp0 = tcp_netstat_read(tnet, LINUX_MIB_TCPHPHITS);

	(void)state;
	run_bulk("t", "t", &b);
	assert_int_equal(tcp_mib_read(tnet, TCP_MIB_OUTRSTS), resets0);
	assert_int_equal(tcp_mib_read(tnet, TCP_MIB_RETRANSSEGS), 0);
	/* Header prediction took the in-order segments. */
	assert_true(tcp_netstat_read(tnet, LINUX_MIB_TCPHPHITS) > hp0);
}

/* The same on the posix runtime: tasks are threads, softirqs run in ksoftirqd threads,
 * the clock is real (the socket lock, the backlog and the wakeups under real
 * concurrency). */
static void test_bulk_lo_posix(void **state)
{
	struct bulk b = { .srv_ip = "127.0.0.1", .port = 5011, .total = MIB, .chunk = 4096 };

	(void)state;
	run_bulk("t", "t", &b);
}

/* Two namespaces joined by a veth pair, 10.1.0.1 (a) and 10.1.0.2 (b). */
static void veth_up(void)
{
	bulk_veth_up("10.1.0", NULL);
}

static void veth_down(void)
{
	/* Let the close handshake finish, lost segments included: a FIN or its ACK lost
	 * by netem is repaired by the FIN's RTO (200 ms and up); a socket still in
	 * LAST_ACK when the namespaces go would outlive the leak check. */
	bulk_veth_down(3 * SEC);
}

static void test_bulk_veth(void **state)
{
	struct bulk b = { .srv_ip = "10.1.0.2", .port = 80, .total = MIB, .chunk = 65536 };

	(void)state;
	veth_up();
	run_bulk("a", "b", &b);
	assert_int_equal(tcp_mib_read(ul_net_by_name("a"), TCP_MIB_RETRANSSEGS), 0);
	/* The send buffer grew from tcp_wmem[1] (tcp_fixup_sndbuf, tcp_new_space). */
	assert_true(b.sndbuf > 16384);
	assert_int_equal(b.cli_info.tcpi_snd_mss, 1448);
	assert_int_equal(b.cli_info.tcpi_rcv_mss, 536);	/* nothing came back: TCP_MSS_DEFAULT */
	assert_int_equal(b.cli_info.tcpi_total_retrans, 0);
	assert_int_equal(b.cli_info.tcpi_ca_state, TCP_CA_Open);
	assert_true(b.cli_info.tcpi_snd_cwnd > 10);
	assert_true(b.cli_info.tcpi_rtt > 0);
	/* 1 MiB in segments of MSS 1448 (1500 - 20 - 20 - 12 of timestamps): at least 725. */
	assert_true(tcp_mib_read(ul_net_by_name("a"), TCP_MIB_OUTSEGS) >= 725);
	veth_down();
}

/* Loss: 5% of a's packets dropped; the transfer completes byte-exact with
 * retransmissions and no reset; with SACK (@sack) the losses are repaired in SACK
 * recovery, without it in NewReno recovery (three duplicate ACKs). */
static void bulk_veth_loss(int sack)
{
	struct bulk b = { .srv_ip = "10.1.0.2", .port = 80, .total = MIB / 2, .chunk = 32768 };
	struct net *na;

	veth_up();
	na = ul_net_by_name("a");
	if (!sack)
		assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_sack", "0"), 0);
	assert_int_equal(run_cmd("a", "tc qdisc add dev veth0 root netem loss 5% seed 42"), 0);
	run_bulk("a", "b", &b);
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_sack", "1"), 0);
	assert_true(tcp_mib_read(na, TCP_MIB_RETRANSSEGS) > 0);
	assert_int_equal(tcp_mib_read(na, TCP_MIB_OUTRSTS), 0);
	assert_int_equal(tcp_mib_read(ul_net_by_name("b"), TCP_MIB_OUTRSTS), 0);
	assert_true(tcp_netstat_read(na, LINUX_MIB_TCPFASTRETRANS) > 0);
	if (sack) {
		assert_true(tcp_netstat_read(na, LINUX_MIB_TCPSACKRECOVERY) > 0);
		assert_int_equal(tcp_netstat_read(na, LINUX_MIB_TCPRENORECOVERY), 0);
	} else {
		assert_true(tcp_netstat_read(na, LINUX_MIB_TCPRENORECOVERY) > 0);
		assert_int_equal(tcp_netstat_read(na, LINUX_MIB_TCPSACKRECOVERY), 0);
	}
	veth_down();
}

static void test_bulk_veth_loss(void **state)
{
	(void)state;
	bulk_veth_loss(1);
}

static void test_bulk_veth_loss_newreno(void **state)
{
	(void)state;
	bulk_veth_loss(0);
}

/* Reordering: the out-of-order queue holds what comes early; the data is exact. */
static void test_bulk_veth_reorder(void **state)
{
	struct bulk b = { .srv_ip = "10.1.0.2", .port = 80, .total = MIB / 2, .chunk = 32768 };

	(void)state;
	veth_up();
	assert_int_equal(run_cmd("a", "tc qdisc add dev veth0 root netem delay 10ms reorder 25% seed 2"), 0);
	run_bulk("a", "b", &b);
	assert_true(tcp_netstat_read(ul_net_by_name("b"), LINUX_MIB_TCPOFOQUEUE) > 0);
	/* The sender saw holes filled by original transmissions: reordering (FACK is left,
	 * tcp_update_reordering). */
	assert_true(tcp_netstat_read(ul_net_by_name("a"), LINUX_MIB_TCPFACKREORDER) +
			    tcp_netstat_read(ul_net_by_name("a"), LINUX_MIB_TCPSACKREORDER) > 0);
	veth_down();
}

/* ---- the send buffer fills: EAGAIN, SIOCOUTQ / SIOCINQ ---- */

static void test_sndbuf_full(void **state)
{
	int lfd, cfd, sfd, guard = 0;
	unsigned char buf[8192];
	size_t sent = 0, got = 0;
	int outq, inq;

	(void)state;
	tcp_pair(5002, &lfd, &cfd, &sfd);
	/* The receiver does not read: the window closes, then the send buffer fills. */
	while (++guard < 100000) {
		ssize_t n;

		bulk_fill(buf, sent, sizeof(buf));
		n = ul_send(cfd, buf, sizeof(buf), 0);
		if (n < 0) {
			assert_int_equal(errno, EAGAIN);
			break;
		}
		sent += (size_t)n;
		ul_run_for(MS);
	}
	assert_true(sent > 0);
	ul_run_for(10 * MS);
	outq = ioctl_int(cfd, SIOCOUTQ);
	inq = ioctl_int(sfd, FIONREAD);
	/* Everything sent is either in the receiver's queue or still in the sender's. */
	assert_int_equal((size_t)outq + (size_t)inq, sent);
	assert_true(inq > 0);
	assert_true(outq > 0);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQNSD) <= outq, 1);
	/* poll: the sender is not writable, the receiver readable. */
	{
		struct pollfd p[2] = { { .fd = cfd, .events = POLLOUT }, { .fd = sfd, .events = POLLIN } };

		assert_int_equal(ul_poll(p, 2, 0), 1);
		assert_int_equal(p[0].revents, 0);
		assert_int_equal(p[1].revents, POLLIN);
	}
	/* ss -ti shows the queues and the TCP_INFO values (Recv-Q = SIOCINQ of the reader,
	 * Send-Q = SIOCOUTQ of the writer); /proc/net/tcp its tx_queue:rx_queue column. */
	{
		char *out = NULL, *ebuf = NULL, want[64];
		size_t len = 0, elen = 0;
		FILE *f = open_memstream(&out, &len), *e = open_memstream(&ebuf, &elen);
		char *argv[] = { "ss", "-tni", NULL };

		assert_non_null(f);
		assert_non_null(e);
		assert_int_equal(ul_view_run("t", 2, argv, f, e), 0);
		fclose(f);
		fclose(e);
		free(ebuf);
		assert_non_null(out);
		if (getenv("TCP_DATA_SHOW"))
			print_message("%s", out);
		snprintf(want, sizeof(want), "ESTAB %-6d", inq);
		assert_non_null(strstr(out, want));
		snprintf(want, sizeof(want), "ESTAB 0      %-6d", outq);
		assert_non_null(strstr(out, want));
		assert_non_null(strstr(out, "cubic"));
		assert_non_null(strstr(out, " rtt:"));
		assert_non_null(strstr(out, " cwnd:"));
		free(out);
	}
	/* The reader drains it all; the window reopens and the rest comes. */
	guard = 0;
	while (got < sent && ++guard < 10000) {
		drain(sfd, &got, sent);
		ul_run_for(MS);
	}
	assert_int_equal(got, sent);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQ), 0);
	assert_int_equal(ioctl_int(sfd, FIONREAD), 0);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* ---- Nagle, TCP_NODELAY, TCP_CORK, MSG_MORE ---- */

static void test_nagle_cork(void **state)
{
	int lfd, cfd, sfd, zero = 0, one = 1;
	size_t got = 0;
	unsigned char c;

	(void)state;
	/* No tail loss probe (tcp_early_retrans 2): with the ACKs delayed 40 ms, 3.10's
	 * probe (10 ms here) would send the corked segment (TCP_NAGLE_OFF); that is
	 * test_tcp_recovery.c's subject, not this test's. */
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_early_retrans", "2"), 0);
	tcp_pair(5003, &lfd, &cfd, &sfd);
	/* The receiver delays its ACKs (not in quick-ack mode). */
	assert_int_equal(ul_setsockopt(sfd, SOL_TCP, TCP_QUICKACK, &zero, sizeof(zero)), 0);

	/* Nagle: the first small write goes, the second waits for the ACK of the first. */
	c = bulk_pattern(0);
	assert_int_equal(ul_send(cfd, &c, 1, 0), 1);
	c = bulk_pattern(1);
	assert_int_equal(ul_send(cfd, &c, 1, 0), 1);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQNSD), 1);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQ), 2);
	ul_run_for(30 * MS);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQNSD), 1);
	/* The delayed ACK (40 ms, ato min) releases it. */
	ul_run_for(20 * MS);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQNSD), 0);
	ul_run_for(100 * MS);
	drain(sfd, &got, 2);
	assert_int_equal(got, 2);

	/* TCP_NODELAY: each small write goes at once. */
	assert_int_equal(ul_setsockopt(cfd, SOL_TCP, TCP_NODELAY, &one, sizeof(one)), 0);
	assert_int_equal(ul_setsockopt(sfd, SOL_TCP, TCP_QUICKACK, &zero, sizeof(zero)), 0);
	c = bulk_pattern(2);
	assert_int_equal(ul_send(cfd, &c, 1, 0), 1);
	c = bulk_pattern(3);
	assert_int_equal(ul_send(cfd, &c, 1, 0), 1);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQNSD), 0);

	/* TCP_CORK holds partial segments even with TCP_NODELAY until uncorked. */
	assert_int_equal(ul_setsockopt(cfd, SOL_TCP, TCP_CORK, &one, sizeof(one)), 0);
	c = bulk_pattern(4);
	assert_int_equal(ul_send(cfd, &c, 1, 0), 1);
	c = bulk_pattern(5);
	assert_int_equal(ul_send(cfd, &c, 1, 0), 1);
	ul_run_for(100 * MS);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQNSD), 2);
	assert_int_equal(ul_setsockopt(cfd, SOL_TCP, TCP_CORK, &zero, sizeof(zero)), 0);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQNSD), 0);
	/* ... but not longer than the RTO (~200 ms): with nothing in flight the persist timer
	 * sends the corked segment (tcp_write_wakeup), the "200 ms ceiling" of tcp(7). */
	assert_int_equal(ul_setsockopt(cfd, SOL_TCP, TCP_CORK, &one, sizeof(one)), 0);
	ul_run_for(300 * MS);
	c = bulk_pattern(6);
	assert_int_equal(ul_send(cfd, &c, 1, 0), 1);
	ul_run_for(100 * MS);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQNSD), 1);
	ul_run_for(150 * MS);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQNSD), 0);
	assert_int_equal(ul_setsockopt(cfd, SOL_TCP, TCP_CORK, &zero, sizeof(zero)), 0);

	/* MSG_MORE corks one write. */
	c = bulk_pattern(7);
	assert_int_equal(ul_send(cfd, &c, 1, MSG_MORE), 1);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQNSD), 1);
	c = bulk_pattern(8);
	assert_int_equal(ul_send(cfd, &c, 1, 0), 1);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQNSD), 0);
	ul_run_for(300 * MS);
	drain(sfd, &got, 9);
	assert_int_equal(got, 9);
	{
		int v = 0;
		socklen_t l = sizeof(v);

		assert_int_equal(ul_getsockopt(cfd, SOL_TCP, TCP_CORK, &v, &l), 0);
		assert_int_equal(v, 0);
		assert_int_equal(ul_getsockopt(cfd, SOL_TCP, TCP_NODELAY, &v, &l), 0);
		assert_int_equal(v, 1);
	}
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_early_retrans", "3"), 0);
}

/* ---- delayed ACK ---- */

static void test_delayed_ack(void **state)
{
	int lfd, cfd, sfd, zero = 0, mss = 0;
	socklen_t l = sizeof(mss);
	unsigned char *buf;
	size_t got = 0;
	unsigned long dack0;

	(void)state;
	tcp_pair(5004, &lfd, &cfd, &sfd);
	dack0 = tcp_netstat_read(tnet, LINUX_MIB_DELAYEDACKS);
	/* Quick-ack mode at the start: the first segment is ACKed at once. */
	buf = malloc(200000);
	assert_non_null(buf);
	bulk_fill(buf, 0, 200000);
	assert_int_equal(ul_send(cfd, buf, 100, 0), 100);
	ul_run_for(MS);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQ), 0);
	drain(sfd, &got, 100);

	/* Out of quick-ack mode: one small segment is ACKed after 40 ms (ato min). */
	assert_int_equal(ul_setsockopt(sfd, SOL_TCP, TCP_QUICKACK, &zero, sizeof(zero)), 0);
	assert_int_equal(ul_send(cfd, buf + got, 100, 0), 100);
	ul_run_for(39 * MS);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQ), 100);
	ul_run_for(2 * MS);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQ), 0);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_DELAYEDACKS), dack0 + 1);
	drain(sfd, &got, 200);

	/* Two full segments are ACKed at once. */
	assert_int_equal(ul_setsockopt(sfd, SOL_TCP, TCP_QUICKACK, &zero, sizeof(zero)), 0);
	assert_int_equal(ul_getsockopt(cfd, SOL_TCP, TCP_MAXSEG, &mss, &l), 0);
	assert_true(mss > 0);
	assert_int_equal(ul_send(cfd, buf + got, (size_t)mss * 2, 0), mss * 2);
	ul_run_for(MS);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQ), 0);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_DELAYEDACKS), dack0 + 1);
	drain(sfd, &got, 200 + (size_t)mss * 2);
	assert_int_equal(got, 200 + (size_t)mss * 2);
	free(buf);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* ---- reading after FIN; close with unread data sends RST ---- */

static void test_fin_and_unread_close(void **state)
{
	int lfd, cfd, sfd;
	unsigned char buf[64];
	unsigned long abort0 = tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONCLOSE);
	unsigned long rst0 = tcp_mib_read(tnet, TCP_MIB_OUTRSTS);
	size_t i;

	(void)state;
	tcp_pair(5005, &lfd, &cfd, &sfd);
	bulk_fill(buf, 0, 10);
	assert_int_equal(ul_send(cfd, buf, 10, 0), 10);
	assert_int_equal(ul_shutdown(cfd, SHUT_WR), 0);
	ul_run_for(10 * MS);
	/* The data, then end of file. MSG_PEEK leaves it. */
	assert_int_equal(ioctl_int(sfd, FIONREAD), 10);
	assert_int_equal(ul_recv(sfd, buf, 4, MSG_PEEK), 4);
	assert_int_equal(buf[3], bulk_pattern(3));
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), 10);
	for (i = 0; i < 10; i++)
		assert_int_equal(buf[i], bulk_pattern(i));
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), 0);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_CLOSE_WAIT);

	/* The server sends back; the client closes without reading it: RST. */
	assert_int_equal(ul_send(sfd, "abc", 3, 0), 3);
	ul_run_for(10 * MS);
	assert_int_equal(ioctl_int(cfd, FIONREAD), 3);
	assert_int_equal(ul_close(cfd), 0);
	ul_run_for(10 * MS);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONCLOSE), abort0 + 1);
	assert_int_equal(tcp_mib_read(tnet, TCP_MIB_OUTRSTS), rst0 + 1);
	/* A RST in CLOSE_WAIT is EPIPE (tcp_reset); recv still says end of file. */
	assert_int_equal(sk_of(sfd)->sk_state, TCP_CLOSE);
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), 0);
	assert_errno(ul_send(sfd, "x", 1, MSG_NOSIGNAL), EPIPE);
	ul_close(sfd);
	ul_close(lfd);
}

/* ---- zero window, persist probes ---- */

static void test_zero_window(void **state)
{
	int lfd, cfd, sfd, guard = 0;
	unsigned char buf[4096];
	size_t sent = 0, got = 0;
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);

	(void)state;
	tcp_pair(5006, &lfd, &cfd, &sfd);
	/* The receiver does not read: its buffer fills and the window closes. */
	while (++guard < 10000) {
		ssize_t n;

		bulk_fill(buf, sent, sizeof(buf));
		n = ul_send(cfd, buf, sizeof(buf), 0);
		if (n < 0)
			break;
		sent += (size_t)n;
		ul_run_for(MS);
	}
	ul_run_for(100 * MS);
	/* Persist timer: probes at RTO, then backing off; the connection stays. */
	ul_run_for(30 * SEC);
	assert_int_equal(tcp_sk(sk_of(cfd))->snd_wnd, 0);
	assert_int_equal(ul_getsockopt(cfd, SOL_TCP, TCP_INFO, &ti, &tl), 0);
	assert_true(inet_csk(sk_of(cfd))->icsk_backoff >= 3);
	assert_int_equal(ti.tcpi_state, TCP_ESTABLISHED);
	/* Reading reopens the window; the transfer resumes and completes. */
	guard = 0;
	while (got < sent && ++guard < 100000) {
		drain(sfd, &got, sent);
		ul_run_for(10 * MS);
		if (got < sent && !drain(sfd, &got, sent))
			ul_run_for(200 * MS);
	}
	assert_int_equal(got, sent);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* ---- RTO backoff and tcp_retries2 -> ETIMEDOUT when the link is cut ---- */

static void test_rto_timeout(void **state)
{
	int lfd, cfd, sfd;
	unsigned char buf[100];
	u32 rto0;
	unsigned long to0 = tcp_netstat_read(tnet, LINUX_MIB_TCPTIMEOUTS);
	u64 t0;

	(void)state;
	/* The RTO itself, not the tail loss probe that 3.10 sends first (2 RTT, 10 ms here;
	 * test_tcp_recovery.c): tcp_early_retrans 2. */
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_early_retrans", "2"), 0);
	tcp_pair(5007, &lfd, &cfd, &sfd);
	/* An RTT sample was taken on lo: RTO = RTO_MIN + srtt/8 (facts.md §3.7). */
	rto0 = inet_csk(sk_of(cfd))->icsk_rto;
	assert_true(rto0 >= TCP_RTO_MIN && rto0 <= TCP_RTO_MIN + 2);
	/* Cut the link: lo goes down, every packet is lost. */
	assert_int_equal(run_cmd("t", "ip link set lo down"), 0);
	bulk_fill(buf, 0, 100);
	assert_int_equal(ul_send(cfd, buf, 100, 0), 100);
	t0 = ul_now_ns();
	/* First retransmission after rto0, then the RTO doubles each time. */
	ul_run_for((u64)rto0 * MS + MS);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TCPTIMEOUTS), to0 + 1);
	assert_int_equal(inet_csk(sk_of(cfd))->icsk_rto, 2 * rto0);
	ul_run_for((u64)2 * rto0 * MS);
	assert_int_equal(inet_csk(sk_of(cfd))->icsk_rto, 4 * rto0);
	assert_int_equal(inet_csk(sk_of(cfd))->icsk_retransmits, 2);
	/* tcp_retries2 (15): ETIMEDOUT after 924.6 s from the first send (facts.md §3.7). */
	ul_run_for(900 * SEC);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_ESTABLISHED);
	ul_run_for(100 * SEC);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_CLOSE);
	assert_true(ul_now_ns() - t0 >= 924 * SEC);
	assert_errno(ul_send(cfd, buf, 1, 0), ETIMEDOUT);
	assert_int_equal(run_cmd("t", "ip link set lo up"), 0);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_early_retrans", "3"), 0);
}

/* ---- keepalive: TCP_KEEPIDLE 10 s, TCP_KEEPINTVL 5 s, TCP_KEEPCNT 3 ---- */

static void test_keepalive(void **state)
{
	int lfd, cfd, sfd, one = 1, idle = 10, intvl = 5, cnt = 3;
	unsigned char c;
	unsigned long to0 = tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONTIMEOUT);

	(void)state;
	tcp_pair(5008, &lfd, &cfd, &sfd);
	assert_int_equal(ul_setsockopt(cfd, SOL_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl)), 0);
	assert_int_equal(ul_setsockopt(cfd, SOL_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt)), 0);
	assert_int_equal(ul_setsockopt(cfd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)), 0);
	assert_int_equal(ul_setsockopt(cfd, SOL_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)), 0);
	/* While the peer answers, probes keep the connection. */
	ul_run_for(60 * SEC);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(inet_csk(sk_of(cfd))->icsk_probes_out, 0);
	/* The peer goes silent (lo down): probes at 10, 15, 20 s after the last answer (the
	 * one at 60 s), the abort at 25 s. */
	assert_int_equal(run_cmd("t", "ip link set lo down"), 0);
	ul_run_for(24 * SEC);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(inet_csk(sk_of(cfd))->icsk_probes_out, 3);
	ul_run_for(2 * SEC);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_CLOSE);
	assert_errno(ul_recv(cfd, &c, 1, 0), ETIMEDOUT);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONTIMEOUT), to0 + 1);
	assert_int_equal(run_cmd("t", "ip link set lo up"), 0);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* ---- RTT estimate with a 50 ms delay each way ---- */

static void test_rtt_estimate(void **state)
{
	struct bulk b = { .srv_ip = "10.1.0.2", .port = 80, .total = 256 * 1024, .chunk = 16384 };
	struct ul_task *s;
	int fd, guard = 0;
	struct sockaddr_in to = ul_test_sin("10.1.0.2", 80);
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);
	unsigned char buf[16384];
	size_t sent = 0;

	(void)state;
	veth_up();
	assert_int_equal(run_cmd("a", "tc qdisc add dev veth0 root netem delay 50ms"), 0);
	assert_int_equal(run_cmd("b", "tc qdisc add dev veth1 root netem delay 50ms"), 0);
	s = ul_task_spawn("b", "server", 1, bulk_server, &b);
	assert_non_null(s);
	ul_run_for(MS);
	current->net = ul_net_by_name("a");
	fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	assert_errno(ul_connect(fd, (struct sockaddr *)&to, sizeof(to)), EINPROGRESS);
	ul_run_for(200 * MS);
	assert_int_equal(sk_of(fd)->sk_state, TCP_ESTABLISHED);
	while (sent < b.total && ++guard < 100000) {
		ssize_t n;

		bulk_fill(buf, sent, sizeof(buf));
		n = ul_send(fd, buf, b.total - sent < sizeof(buf) ? b.total - sent : sizeof(buf), 0);
		if (n > 0)
			sent += (size_t)n;
		ul_run_for(10 * MS);
	}
	ul_run_for(SEC);
	assert_int_equal(ul_getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &tl), 0);
	/* srtt close to the 100 ms round trip; RTO = srtt + 4 mdev, at least 200 ms. */
	assert_true(ti.tcpi_rtt >= 100000 && ti.tcpi_rtt <= 110000);
	assert_true(ti.tcpi_rto >= 200000);
	assert_int_equal(ti.tcpi_snd_mss, 1448);
	assert_int_equal(ti.tcpi_unacked, 0);
	assert_true(ti.tcpi_snd_cwnd > 10);
	/* tcp_slow_start_after_idle: 2 s idle (> RTO), the next send restarts from the
	 * initial window (tcp_cwnd_restart, RFC 2861). */
	ul_run_for(2 * SEC);
	buf[0] = bulk_pattern(sent);
	assert_int_equal(ul_send(fd, buf, 1, 0), 1);
	b.total++;
	tl = sizeof(ti);
	assert_int_equal(ul_getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &tl), 0);
	assert_int_equal(ti.tcpi_snd_cwnd, 10);
	ul_run_for(SEC);
	ul_close(fd);
	assert_int_equal(ul_task_join(s), 0);
	assert_int_equal(b.received, b.total);
	assert_int_equal(b.bad_bytes, 0);
	/* Receive-buffer autotuning (tcp_rcv_space_adjust): more than tcp_rmem[1] once the
	 * reader took more than a window per RTT. */
	assert_true(b.rcvbuf > 87380);
	current->net = tnet;
	veth_down();
}

/* ---- tcp_mem pressure: a tiny tcp_mem (pages) puts TCP under pressure ---- */

static void test_mem_pressure(void **state)
{
	int lfd, cfd, sfd, guard = 0;
	unsigned char buf[4096];
	size_t sent = 0, got = 0, total = 64 * 1024;
	unsigned long p0 = tcp_netstat_read(tnet, LINUX_MIB_TCPMEMORYPRESSURES);
	char old[64];

	(void)state;
	assert_int_equal(ul_sysctl_get(NULL, "net.ipv4.tcp_mem", old, sizeof(old)), 0);
	tcp_pair(5009, &lfd, &cfd, &sfd);
	/* Pressure from 2 pages on, the hard limit at 64: the transfer goes on, under
	 * pressure (a hard limit below what one socket holds would stall it, as in Linux). */
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_mem", "1 2 64"), 0);
	while (got < total && ++guard < 20000) {
		if (sent < total) {
			ssize_t n;
			size_t want = total - sent < sizeof(buf) ? total - sent : sizeof(buf);

			bulk_fill(buf, sent, want);
			n = ul_send(cfd, buf, want, 0);
			if (n > 0)
				sent += (size_t)n;
		}
		drain(sfd, &got, total);
		ul_run_for(10 * MS);
	}
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_mem", old), 0);
	assert_int_equal(got, total);
	/* Over tcp_mem[1]: memory pressure entered (and left when the memory went back). */
	assert_true(tcp_netstat_read(tnet, LINUX_MIB_TCPMEMORYPRESSURES) > p0);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* ---- recv semantics with blocking tasks: SO_RCVTIMEO, MSG_WAITALL, MSG_TRUNC,
 * SO_RCVLOWAT; a RST from the peer: ECONNRESET, then EPIPE ---- */

struct rsem {
	int ready, step;
	int lowat_poll[2];	/* poll revents with 50 and 100 bytes queued, SO_RCVLOWAT 100 */
	long timeo_ret, timeo_errno;
	u64 timeo_ns;
	long waitall_ret;
	long trunc_ret, after_trunc;
	int trunc_untouched;
	unsigned char after_trunc_byte;
	long reset_ret, reset_errno, send_errno;
};

static int rsem_reader(void *arg)
{
	struct rsem *x = arg;
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 5012);
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
	unsigned char buf[2000];
	int lfd = ul_socket(AF_INET, SOCK_STREAM, 0), fd, lowat = 100, guard = 0;
	struct pollfd p;
	u64 t0;

	if (lfd < 0 || ul_bind(lfd, (struct sockaddr *)&a, sizeof(a)) || ul_listen(lfd, 4))
		return 10;
	x->ready = 1;
	fd = ul_accept(lfd, NULL, NULL);
	if (fd < 0)
		return 11;
	/* SO_RCVTIMEO 100 ms with nothing coming: EAGAIN after 100 ms. */
	if (ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return 12;
	t0 = ul_now_ns();
	errno = 0;
	x->timeo_ret = ul_recv(fd, buf, sizeof(buf), 0);
	x->timeo_errno = errno;
	x->timeo_ns = ul_now_ns() - t0;
	/* SO_RCVLOWAT 100: poll says readable only from 100 bytes on. */
	if (ul_setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat)))
		return 13;
	x->step = 1;	/* the writer sends 50 bytes */
	while (x->step != 2 && ++guard < 1000)
		ul_sleep(MS);
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	ul_poll(&p, 1, 0);
	x->lowat_poll[0] = p.revents;
	x->step = 3;	/* the writer sends 50 more */
	guard = 0;
	while (x->step != 4 && ++guard < 1000)
		ul_sleep(MS);
	p.revents = 0;
	ul_poll(&p, 1, 0);
	x->lowat_poll[1] = p.revents;
	lowat = 1;
	ul_setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat));
	/* MSG_WAITALL: 1000 bytes although they come in pieces (100 here, 900 later). */
	x->step = 5;
	x->waitall_ret = ul_recv(fd, buf, 1000, MSG_WAITALL);
	/* MSG_TRUNC: 10 bytes consumed, not copied. */
	x->step = 6;
	guard = 0;
	while (x->step != 7 && ++guard < 1000)
		ul_sleep(MS);
	memset(buf, 0xee, 10);
	x->trunc_ret = ul_recv(fd, buf, 10, MSG_TRUNC);
	x->trunc_untouched = buf[0] == 0xee && buf[9] == 0xee;
	x->after_trunc = ul_recv(fd, buf, 1, 0);
	x->after_trunc_byte = buf[0];
	/* The peer aborts (SO_LINGER 0): ECONNRESET once, then EPIPE on send. */
	x->step = 8;
	errno = 0;
	x->reset_ret = ul_recv(fd, buf, sizeof(buf), 0);
	x->reset_errno = errno;
	errno = 0;
	ul_send(fd, "x", 1, MSG_NOSIGNAL);
	x->send_errno = errno;
	ul_close(fd);
	ul_close(lfd);
	return 0;
}

static int rsem_writer(void *arg)
{
	struct rsem *x = arg;
	struct linger l = { .l_onoff = 1, .l_linger = 0 };
	unsigned char buf[1000];
	int fd, guard = 0;

	bulk_fill(buf, 0, 1000);
	fd = bulk_connect("127.0.0.1", 5012, &x->ready, 0);
	if (fd < 0)
		return 20;
	while (x->step != 1 && ++guard < 1000)
		ul_sleep(MS);
	ul_send(fd, buf, 50, 0);
	ul_sleep(MS);
	x->step = 2;
	guard = 0;
	while (x->step != 3 && ++guard < 1000)
		ul_sleep(MS);
	ul_send(fd, buf + 50, 50, 0);
	ul_sleep(MS);
	x->step = 4;
	guard = 0;
	while (x->step != 5 && ++guard < 1000)
		ul_sleep(MS);
	ul_sleep(50 * MS);
	ul_send(fd, buf + 100, 900, 0);
	guard = 0;
	while (x->step != 6 && ++guard < 1000)
		ul_sleep(MS);
	ul_send(fd, buf, 11, 0);
	ul_sleep(MS);
	x->step = 7;
	guard = 0;
	while (x->step != 8 && ++guard < 1000)
		ul_sleep(MS);
	ul_setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	ul_close(fd);
	return 0;
}

static void test_recv_semantics(void **state)
{
	struct rsem x;
	struct ul_task *r, *w;

	(void)state;
	memset(&x, 0, sizeof(x));
	r = ul_task_spawn("t", "reader", 1, rsem_reader, &x);
	w = ul_task_spawn("t", "writer", 0, rsem_writer, &x);
	assert_int_equal(ul_task_join(w), 0);
	assert_int_equal(ul_task_join(r), 0);
	assert_int_equal(x.timeo_ret, -1);
	assert_int_equal(x.timeo_errno, EAGAIN);
	assert_true(x.timeo_ns >= 100 * MS && x.timeo_ns <= 101 * MS);
	assert_int_equal(x.lowat_poll[0], 0);
	assert_int_equal(x.lowat_poll[1], POLLIN);
	assert_int_equal(x.waitall_ret, 1000);
	assert_int_equal(x.trunc_ret, 10);
	assert_int_equal(x.trunc_untouched, 1);
	assert_int_equal(x.after_trunc, 1);
	assert_int_equal(x.after_trunc_byte, bulk_pattern(10));
	assert_int_equal(x.reset_ret, -1);
	assert_int_equal(x.reset_errno, ECONNRESET);
	assert_int_equal(x.send_errno, EPIPE);
}

/* ---- an orphan retransmitting when TCP is over tcp_max_orphans: killed by its RTO
 * timer (tcp_out_of_resources, TCPAbortOnMemory) ---- */

static void test_orphan_out_of_resources(void **state)
{
	int lfd, cfd, sfd;
	unsigned long mem0 = tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONMEMORY);
	char old[32];

	(void)state;
	tcp_pair(5013, &lfd, &cfd, &sfd);
	assert_int_equal(ul_sysctl_get(NULL, "net.ipv4.tcp_max_orphans", old, sizeof(old)), 0);
	assert_int_equal(run_cmd("t", "ip link set lo down"), 0);
	assert_int_equal(ul_send(cfd, "data", 4, 0), 4);
	/* Closed with data in flight: an orphan in FIN_WAIT1, retransmitting. */
	assert_int_equal(ul_close(cfd), 0);
	ul_run_for(500 * MS);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONMEMORY), mem0);
	assert_int_equal(atomic_long_read(&tcp_orphan_count), 1);
	/* The limit drops under the one orphan: its next retransmission kills it. */
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_max_orphans", "0"), 0);
	ul_run_for(2 * SEC);
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_max_orphans", old), 0);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONMEMORY), mem0 + 1);
	assert_int_equal(atomic_long_read(&tcp_orphan_count), 0);
	assert_int_equal(run_cmd("t", "ip link set lo up"), 0);
	ul_close(sfd);
	ul_close(lfd);
}

/* ---- SO_LINGER {1, 2}: close waits for the FIN's ACK, 2 s at most ---- */

struct lingerx {
	int ready;
	u64 close_ns[2];	/* how long close() took: link up, link down */
};

static int linger_server(void *arg)
{
	struct lingerx *x = arg;
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 5010);
	int lfd = ul_socket(AF_INET, SOCK_STREAM, 0), fd, i;

	if (lfd < 0 || ul_bind(lfd, (struct sockaddr *)&a, sizeof(a)) || ul_listen(lfd, 4))
		return 10;
	x->ready = 1;
	for (i = 0; i < 2; i++) {
		fd = ul_accept(lfd, NULL, NULL);
		if (fd < 0)
			return 11;
		ul_sleep(5 * SEC);
		ul_close(fd);
	}
	ul_close(lfd);
	return 0;
}

static int linger_client(void *arg)
{
	struct lingerx *x = arg;
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 5010);
	struct linger l = { .l_onoff = 1, .l_linger = 2 };
	int i, fd, guard = 0;

	while (!x->ready && ++guard < 100)
		ul_sleep(MS);
	for (i = 0; i < 2; i++) {
		u64 t0;

		fd = ul_socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || ul_connect(fd, (struct sockaddr *)&to, sizeof(to)))
			return 20;
		if (ul_setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)))
			return 21;
		if (ul_send(fd, "data", 4, 0) != 4)
			return 22;
		ul_sleep(10 * MS);
		if (i == 1 && run_cmd("t", "ip link set lo down"))
			return 23;
		t0 = ul_now_ns();
		ul_close(fd);
		x->close_ns[i] = ul_now_ns() - t0;
		if (i == 1 && run_cmd("t", "ip link set lo up"))
			return 24;
	}
	return 0;
}

static void test_linger_wait(void **state)
{
	struct lingerx x;
	struct ul_task *s, *c;

	(void)state;
	memset(&x, 0, sizeof(x));
	s = ul_task_spawn("t", "server", 1, linger_server, &x);
	c = ul_task_spawn("t", "client", 0, linger_client, &x);
	assert_int_equal(ul_task_join(c), 0);
	assert_int_equal(ul_task_join(s), 0);
	/* The peer ACKs the FIN (delayed: pingpong after a FIN, 40 ms): close returns then. */
	assert_true(x.close_ns[0] > 0 && x.close_ns[0] <= 100 * MS);
	/* Nobody answers: close returns after the 2 s linger time. */
	assert_true(x.close_ns[1] >= 2 * SEC && x.close_ns[1] <= 2 * SEC + 2 * MS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bulk_lo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_lo_posix, setup_posix, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_veth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sndbuf_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nagle_cork, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delayed_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fin_and_unread_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rto_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keepalive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linger_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recv_semantics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orphan_out_of_resources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtt_estimate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_veth_loss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_veth_loss_newreno, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_veth_reorder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mem_pressure, setup, teardown),
	};

	/* TCP_DATA_TEST=name runs one test (debugging). */
	if (getenv("TCP_DATA_TEST"))
		cmocka_set_test_filter(getenv("TCP_DATA_TEST"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
