/* SPDX-License-Identifier: MIT */
/* TCP connection management against a crafted peer on test device t0.
 * RFC 1323 PAWS in TIME_WAIT: the server closes first, its orphan becomes a TIME_WAIT sock
 * that remembers the peer's last timestamp; segments with an older timestamp are old
 * duplicates: ACKed (PAWSEstabRejected), never allowed to reset the sock or reopen the
 * connection; a RST older than MSL (60 s) is believed again; a SYN with a newer timestamp
 * reopens the connection with ISN tw_snd_nxt + 65537.
 * TCP_DEFER_ACCEPT: seconds become SYN-ACK retransmits (5 s -> 3, read back as 7 s); the
 * bare ACK of the handshake is dropped (TCPDeferAcceptDrop) until data comes or the
 * retransmitted SYN-ACK at 7 s is ACKed.
 * Mirrors the behaviour of linux/net/ipv4/tcp_minisocks.c (tcp_timewait_state_process,
 * tcp_paws_reject, tcp_check_req), tcp_ipv4.c (tcp_v4_rcv's TCP_TW_SYN), tcp.c
 * (TCP_DEFER_ACCEPT) and inet_connection_sock.c (syn_ack_recalc) of 3.10. */
#include <errno.h>
#include "tcp_peer_testutil.h"
#include "net_testutil.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)
#define CPORT 40000
#define CISN 1000u

static struct net *tnet;
static struct net_device *t0;

static int setup(void **state)
{
	return tcp_peer_setup(state, "w", true, &tnet, &t0);
}

static int teardown(void **state)
{
	tcp_peer_leave("w", t0);
	assert_int_equal(inet_twsk_alive(), 0);
	return ul_test_teardown(state);
}

/* A segment from 10.0.0.2:@sport to 10.0.0.1:80 carrying a timestamp (@tsval, @tsecr)
 * unless @tsval is 0; a SYN also offers MSS 1460. (The tests echo tcp_time_stamp: an RTT
 * sample of 0, so that the RTO stays small and an orphaned FIN_WAIT2 goes to a TIME_WAIT
 * sock at once.) */
static void rx(u16 sport, u32 seq, u32 ack, u8 flags, u32 tsval, u32 tsecr)
{
	u8 tcp[60];
	struct tcphdr *th = (struct tcphdr *)tcp;
	unsigned int tlen = 20;

	memset(tcp, 0, sizeof(tcp));
	if (flags & TCPHDR_SYN) {
		static const u8 mss[4] = { 2, 4, 0x05, 0xb4 };

		memcpy(tcp + tlen, mss, 4);
		tlen += 4;
	}
	if (tsval) {
		u8 *o = tcp + tlen;

		o[0] = 1;
		o[1] = 1;
		o[2] = 8;
		o[3] = 10;
		*(__be32 *)(o + 4) = htonl(tsval);
		*(__be32 *)(o + 8) = htonl(tsecr);
		tlen += 12;
	}
	th->source = htons(sport);
	th->dest = htons(80);
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = (u16)(tlen / 4) & 0xf;
	tcp[13] = flags;
	th->window = htons(29200);
	tcp_peer_inject(t0, tcp, tlen, false);
	ul_run_for(MS);
}

/* The next segment t0 sent, or false. */
static bool tx(struct tcphdr *th)
{
	return tcp_peer_pop(t0, th, NULL, NULL, 0);
}

static struct sock *sk_of_fd(int fd)
{
	int err;
	struct socket *sock = sockfd_lookup(fd, &err);
	struct sock *sk;

	assert_non_null(sock);
	sk = sock->sk;
	fput(sock->file);
	return sk;
}

static unsigned long ext(int f)
{
	return tcp_netstat_read(tnet, f);
}

/* Handshake with timestamps (tsval 100, 101), then the server closes first: its FIN is
 * ACKed (tsval 102), the peer's FIN (tsval 103) puts the TIME_WAIT sock in TIME_WAIT with
 * tw_ts_recent 103. Returns the server's ISN. */
static u32 to_time_wait(int *lfd)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(80) };
	struct tcphdr th;
	u32 isn;
	int sfd;

	*lfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(*lfd >= 0);
	assert_int_equal(ul_bind(*lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(ul_listen(*lfd, 8), 0);
	rx(CPORT, CISN, 0, TCPHDR_SYN, 100, 0);
	assert_true(tx(&th));
	isn = ntohl(th.seq);
	rx(CPORT, CISN + 1, isn + 1, TCPHDR_ACK, 101, tcp_time_stamp);
	sfd = ul_accept(*lfd, NULL, NULL);
	assert_true(sfd >= 0);
	assert_int_equal(ul_close(sfd), 0);
	ul_run_for(MS);
	assert_true(tx(&th));
	assert_true(th.fin);
	assert_int_equal(ntohl(th.seq), isn + 1);
	rx(CPORT, CISN + 1, isn + 2, TCPHDR_ACK, 102, tcp_time_stamp);
	assert_int_equal(inet_twsk_alive(), 1);	/* FIN_WAIT2 substate */
	ipt_dev_purge(t0);
	return isn;
}

/* In the FIN_WAIT2 substate, a segment with an old timestamp is an old duplicate: it is
 * ACKed (as out of window), where the same segment with a fresh timestamp, a dup ACK, is
 * ignored. */
static void test_paws_fin_wait2(void **state)
{
	struct tcphdr th;
	int lfd;
	u32 isn;

	(void)state;
	isn = to_time_wait(&lfd);
	rx(CPORT, CISN + 1, isn + 2, TCPHDR_ACK | TCPHDR_PSH, 50, tcp_time_stamp);
	assert_true(tx(&th));
	assert_int_equal(tcp_flag_word(&th) & (TCP_FLAG_ACK | TCP_FLAG_RST), TCP_FLAG_ACK);
	assert_int_equal(inet_twsk_alive(), 1);
	rx(CPORT, CISN + 1, isn + 2, TCPHDR_ACK | TCPHDR_PSH, 103, tcp_time_stamp);
	assert_false(tx(&th));
	/* The FIN enters TIME_WAIT. */
	rx(CPORT, CISN + 1, isn + 2, TCPHDR_ACK | TCPHDR_FIN, 103, tcp_time_stamp);
	assert_true(tx(&th));
	assert_int_equal(ntohl(th.ack_seq), CISN + 2);
	assert_int_equal(inet_twsk_alive(), 1);
}

static void test_paws_time_wait(void **state)
{
	struct tcphdr th;
	unsigned long paws0 = ext(LINUX_MIB_PAWSESTABREJECTED);
	unsigned long killed0 = ext(LINUX_MIB_TIMEWAITKILLED);
	int lfd;
	u32 isn;

	(void)state;
	isn = to_time_wait(&lfd);
	rx(CPORT, CISN + 1, isn + 2, TCPHDR_ACK | TCPHDR_FIN, 103, tcp_time_stamp);
	assert_true(tx(&th));	/* the TIME_WAIT sock ACKs the FIN */
	assert_int_equal(ntohl(th.ack_seq), CISN + 2);

	/* An in-window RST with an older timestamp: rejected, no answer, the sock stays. */
	rx(CPORT, CISN + 2, 0, TCPHDR_RST, 99, 0);
	assert_false(tx(&th));
	assert_int_equal(ext(LINUX_MIB_PAWSESTABREJECTED) - paws0, 1);
	assert_int_equal(inet_twsk_alive(), 1);
	/* A bare ACK at rcv_nxt with an older timestamp: ACKed (and the 60 s restarted). */
	rx(CPORT, CISN + 2, isn + 2, TCPHDR_ACK, 99, tcp_time_stamp);
	assert_true(tx(&th));
	assert_int_equal(ntohl(th.seq), isn + 2);
	assert_int_equal(ext(LINUX_MIB_PAWSESTABREJECTED) - paws0, 2);
	/* A SYN above rcv_nxt but with an older timestamp: an old duplicate, not a reopen. */
	rx(CPORT, CISN + 100000, 0, TCPHDR_SYN, 98, 0);
	assert_true(tx(&th));
	assert_int_equal(tcp_flag_word(&th) & (TCP_FLAG_SYN | TCP_FLAG_ACK), TCP_FLAG_ACK);
	assert_int_equal(ext(LINUX_MIB_PAWSESTABREJECTED) - paws0, 3);
	assert_int_equal(inet_twsk_alive(), 1);

	/* 59 s on, an old ACK restarts the 60 s again; 2 s later the last believed
	 * timestamp is over MSL (60 s) old: an old RST is believed and kills the sock. */
	ul_run_for(59 * SEC);
	rx(CPORT, CISN + 2, isn + 2, TCPHDR_ACK, 99, tcp_time_stamp);
	assert_true(tx(&th));
	ul_run_for(2 * SEC);
	assert_int_equal(inet_twsk_alive(), 1);
	rx(CPORT, CISN + 2, 0, TCPHDR_RST, 99, 0);
	assert_int_equal(inet_twsk_alive(), 0);
	assert_int_equal(ext(LINUX_MIB_TIMEWAITKILLED) - killed0, 1);
	assert_int_equal(ext(LINUX_MIB_PAWSESTABREJECTED) - paws0, 4);
}

/* A SYN with a newer timestamp reopens the connection even below rcv_nxt; the SYN-ACK's ISN
 * is tw_snd_nxt + 65535 + 2. */
static void test_syn_reopens(void **state)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct tcphdr th;
	int lfd, sfd;
	u32 isn;

	(void)state;
	isn = to_time_wait(&lfd);
	rx(CPORT, CISN + 1, isn + 2, TCPHDR_ACK | TCPHDR_FIN, 103, tcp_time_stamp);
	assert_true(tx(&th));
	rx(CPORT, CISN - 5000, 0, TCPHDR_SYN, 200, 0);
	assert_true(tx(&th));
	assert_int_equal(tcp_flag_word(&th) & (TCP_FLAG_SYN | TCP_FLAG_ACK),
			 TCP_FLAG_SYN | TCP_FLAG_ACK);
	assert_int_equal(ntohl(th.seq), isn + 2 + 65535 + 2);
	assert_int_equal(ntohl(th.ack_seq), CISN - 5000 + 1);
	assert_int_equal(inet_twsk_alive(), 0);
	/* The handshake completes: a new connection on the same 4-tuple. */
	rx(CPORT, CISN - 5000 + 1, isn + 2 + 65535 + 3, TCPHDR_ACK, 201, ntohl(th.seq));
	sfd = ul_accept(lfd, NULL, NULL);
	assert_true(sfd >= 0);
	/* Abort it (SO_LINGER {1, 0}): the made-up peer would never answer a FIN. */
	assert_int_equal(ul_setsockopt(sfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	assert_int_equal(ul_close(sfd), 0);
	ipt_dev_purge(t0);
}

/* ---- TCP_DEFER_ACCEPT ---- */

static int defer_listener(int secs)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(80) };
	int fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), v = secs;
	socklen_t len = sizeof(v);

	assert_true(fd >= 0);
	assert_int_equal(ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(ul_listen(fd, 8), 0);
	assert_int_equal(ul_setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &v, sizeof(v)), 0);
	/* 3.10 keeps SYN-ACK retransmits, not seconds: 5 s -> 3 (1 + 2 + 4 = 7 s). */
	assert_int_equal(ul_getsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &v, &len), 0);
	assert_int_equal(v, 7);
	return fd;
}

static void abort_fd(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	assert_int_equal(ul_close(fd), 0);
	ul_run_for(MS);
	ipt_dev_purge(t0);
}

/* The bare ACK is dropped; the first data makes the connection, readable at accept. */
static void test_defer_accept_data(void **state)
{
	unsigned long drop0 = ext(LINUX_MIB_TCPDEFERACCEPTDROP);
	struct tcphdr th;
	u8 tcp[24], pkt[100];
	char buf[8];
	int lfd, sfd;
	unsigned int len;
	u32 isn;
	__be32 saddr = ipt_addr("10.0.0.2"), daddr = ipt_addr("10.0.0.1");

	(void)state;
	lfd = defer_listener(5);
	rx(CPORT, CISN, 0, TCPHDR_SYN, 0, 0);
	assert_true(tx(&th));
	isn = ntohl(th.seq);
	rx(CPORT, CISN + 1, isn + 1, TCPHDR_ACK, 0, 0);
	assert_int_equal(ext(LINUX_MIB_TCPDEFERACCEPTDROP) - drop0, 1);
	assert_false(tx(&th));
	assert_errno(ul_accept(lfd, NULL, NULL), EAGAIN);
	assert_int_equal(inet_csk_reqsk_queue_len(sk_of_fd(lfd)), 1);

	/* "hi!\n" */
	memset(tcp, 0, sizeof(tcp));
	memset(&th, 0, sizeof(th));
	th.source = htons(CPORT);
	th.dest = htons(80);
	th.seq = htonl(CISN + 1);
	th.ack_seq = htonl(isn + 1);
	th.doff = 5;
	th.window = htons(29200);
	memcpy(tcp, &th, sizeof(th));
	tcp[13] = TCPHDR_ACK | TCPHDR_PSH;
	memcpy(tcp + 20, "hi!\n", 4);
	((struct tcphdr *)tcp)->check =
		tcp_v4_check(24, saddr, daddr, csum_partial(tcp, 24, 0));
	len = ipt_build_ip(pkt, saddr, daddr, IPPROTO_TCP, 64, 1, 0, 5, NULL, tcp, 24);
	ipt_rx(t0, pkt, len);
	ul_run_for(MS);
	sfd = ul_accept(lfd, NULL, NULL);
	assert_true(sfd >= 0);
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), 4);
	assert_memory_equal(buf, "hi!\n", 4);
	assert_int_equal(ext(LINUX_MIB_TCPDEFERACCEPTDROP) - drop0, 1);
	abort_fd(sfd);
}

/* Without data: no SYN-ACK retransmit at 1 and 3 s (the request is acked); at 7 s the
 * third timeout (num_timeout 2 = defer - 1) retransmits it, and the ACK that answers it
 * makes the connection (num_timeout 3 is no longer below the defer count). */
static void test_defer_accept_timeout(void **state)
{
	unsigned long drop0 = ext(LINUX_MIB_TCPDEFERACCEPTDROP);
	unsigned long rtx0 = tcp_mib_read(tnet, TCP_MIB_RETRANSSEGS);
	struct tcphdr th;
	int lfd, sfd;
	u32 isn;

	(void)state;
	lfd = defer_listener(5);
	rx(CPORT, CISN, 0, TCPHDR_SYN, 0, 0);
	assert_true(tx(&th));
	isn = ntohl(th.seq);
	rx(CPORT, CISN + 1, isn + 1, TCPHDR_ACK, 0, 0);
	ul_run_for(6500 * MS);
	assert_false(tx(&th));
	assert_errno(ul_accept(lfd, NULL, NULL), EAGAIN);
	/* (The prune timer visits a sixth of the 16-bucket SYN table per 200 ms tick: the
	 * timeout at 7 s is seen up to 600 ms late.) */
	ul_run_for(2 * SEC);
	assert_true(tx(&th));
	assert_int_equal(tcp_flag_word(&th) & (TCP_FLAG_SYN | TCP_FLAG_ACK),
			 TCP_FLAG_SYN | TCP_FLAG_ACK);
	assert_int_equal(ntohl(th.seq), isn);
	assert_false(tx(&th));
	assert_int_equal(tcp_mib_read(tnet, TCP_MIB_RETRANSSEGS) - rtx0, 1);
	rx(CPORT, CISN + 1, isn + 1, TCPHDR_ACK, 0, 0);
	sfd = ul_accept(lfd, NULL, NULL);
	assert_true(sfd >= 0);
	assert_int_equal(ext(LINUX_MIB_TCPDEFERACCEPTDROP) - drop0, 1);
	abort_fd(sfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paws_fin_wait2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paws_time_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_reopens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defer_accept_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defer_accept_timeout, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
