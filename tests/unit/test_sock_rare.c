/* SPDX-License-Identifier: MIT */
/* The socket's rare state (struct sock_rare, sk->sk_rare): every option it holds read back
 * as set and as 3.10's defaults without the block; no block for an idle connection nor for
 * one that exchanged data from tasks; a block for a send outside a task (the socket's own
 * page frag); inheritance by accept; allocation failures (ul_failslab_arm "sock_rare") of
 * setsockopt, of a MSG_OOB send, of a received urgent pointer and of an accepted child.
 * Mirrors the behaviour of linux/net/core/sock.c (sock_setsockopt, sock_getsockopt,
 * sk_clone_lock), net/ipv4/tcp.c (do_tcp_setsockopt, do_tcp_getsockopt),
 * ip_sockglue.c (IP_TOS) and tcp_input.c (tcp_check_urg) (3.10). */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include "tcp_bulk_testutil.h"
#include "sock_tcp_testutil.h"
#include "net_testutil.h"
#include "linux/in.h"
#include "linux/slab.h"
#include "net/dropreason.h"
#include "net/inet_connection_sock.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

static struct net *tnet;

/* Each test in a namespace of its own ("r", lo up): its routes and sockets go with it. */
static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "r", &tnet);
}

static int teardown(void **state)
{
	int err = ul_test_teardown_netns_after(state, "r", 10 * MS);

	tnet = NULL;
	return err;
}

static int geti(int fd, int level, int opt)
{
	int v = -12345;
	socklen_t l = sizeof(v);

	assert_int_equal(ul_getsockopt(fd, level, opt, &v, &l), 0);
	assert_int_equal(l, sizeof(v));
	return v;
}

static int seti(int fd, int level, int opt, int v)
{
	return ul_setsockopt(fd, level, opt, &v, sizeof(v));
}

static struct timeval get_tv(int fd, int opt)
{
	struct timeval tv = { -1, -1 };
	socklen_t l = sizeof(tv);

	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, opt, &tv, &l), 0);
	assert_int_equal(l, sizeof(tv));
	return tv;
}

static int set_tv(int fd, int opt, long sec, long usec)
{
	struct timeval tv = { .tv_sec = sec, .tv_usec = usec };

	return ul_setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv));
}

static struct linger get_linger(int fd)
{
	struct linger l = { -1, -1 };
	socklen_t len = sizeof(l);

	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_LINGER, &l, &len), 0);
	return l;
}

/* 3.10's values of a socket that set nothing (sysctl defaults: keepalive 7200/75/9,
 * tcp_fin_timeout 60). */
static void assert_defaults(int fd, bool tcp)
{
	struct timeval tv;
	struct linger l;

	tv = get_tv(fd, SO_RCVTIMEO);
	assert_int_equal(tv.tv_sec, 0);
	assert_int_equal(tv.tv_usec, 0);
	tv = get_tv(fd, SO_SNDTIMEO);
	assert_int_equal(tv.tv_sec, 0);
	assert_int_equal(tv.tv_usec, 0);
	l = get_linger(fd);
	assert_int_equal(l.l_onoff, 0);
	assert_int_equal(l.l_linger, 0);
	assert_int_equal(geti(fd, SOL_SOCKET, SO_PRIORITY), 0);
	assert_int_equal(geti(fd, SOL_SOCKET, SO_RCVLOWAT), 1);
	if (!tcp)
		return;
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_KEEPIDLE), 7200);
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_KEEPINTVL), 75);
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_KEEPCNT), 9);
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_LINGER2), 60);
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_USER_TIMEOUT), 0);
}

/* Defaults without a block; setting an option to its default allocates none; each option
 * set away from it reads back (jiffies round trips exact at HZ 1000). */
static void test_tcp_options_round_trip(void **state)
{
	int fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	struct linger l = { .l_onoff = 1, .l_linger = 0 };
	struct timeval tv;
	struct sock *sk;

	(void)state;
	assert_true(fd >= 0);
	sk = sk_of(fd);
	assert_null(sk->sk_rare);
	assert_defaults(fd, true);
	assert_null(sk->sk_rare);

	/* The defaults themselves: still no block. */
	assert_int_equal(set_tv(fd, SO_RCVTIMEO, 0, 0), 0);
	assert_int_equal(set_tv(fd, SO_SNDTIMEO, 0, 0), 0);
	assert_int_equal(seti(fd, SOL_SOCKET, SO_PRIORITY, 0), 0);
	assert_int_equal(seti(fd, SOL_SOCKET, SO_RCVLOWAT, 1), 0);
	assert_int_equal(seti(fd, SOL_SOCKET, SO_RCVLOWAT, 0), 0);	/* 0 means 1 */
	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), 0);
	assert_int_equal(seti(fd, IPPROTO_TCP, TCP_LINGER2, 0), 0);
	assert_int_equal(seti(fd, IPPROTO_TCP, TCP_LINGER2, 1000), 0);	/* > fin_timeout: 0 */
	assert_int_equal(seti(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, 0), 0);
	assert_null(sk->sk_rare);
	assert_int_equal(get_linger(fd).l_onoff, 1);	/* SO_LINGER {1, 0}: the flag only */
	assert_int_equal(get_linger(fd).l_linger, 0);

	assert_int_equal(set_tv(fd, SO_RCVTIMEO, 2, 500000), 0);
	assert_non_null(sk->sk_rare);
	tv = get_tv(fd, SO_RCVTIMEO);
	assert_int_equal(tv.tv_sec, 2);
	assert_int_equal(tv.tv_usec, 500000);
	assert_int_equal(sock_rcvtimeo(sk, false), 2500);
	assert_int_equal(sock_rcvtimeo(sk, true), 0);
	assert_int_equal(set_tv(fd, SO_SNDTIMEO, 1, 1000), 0);
	tv = get_tv(fd, SO_SNDTIMEO);
	assert_int_equal(tv.tv_sec, 1);
	assert_int_equal(tv.tv_usec, 1000);
	l.l_linger = 7;
	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), 0);
	assert_int_equal(get_linger(fd).l_onoff, 1);
	assert_int_equal(get_linger(fd).l_linger, 7);
	assert_int_equal(sock_lingertime(sk), 7 * HZ);
	l.l_onoff = 0;	/* off: the time stays, as 3.10 */
	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), 0);
	assert_int_equal(get_linger(fd).l_onoff, 0);
	assert_int_equal(get_linger(fd).l_linger, 7);
	assert_int_equal(seti(fd, SOL_SOCKET, SO_PRIORITY, 5), 0);
	assert_int_equal(geti(fd, SOL_SOCKET, SO_PRIORITY), 5);
	assert_int_equal(seti(fd, SOL_SOCKET, SO_RCVLOWAT, 100), 0);
	assert_int_equal(geti(fd, SOL_SOCKET, SO_RCVLOWAT), 100);
	assert_int_equal(seti(fd, SOL_SOCKET, SO_RCVLOWAT, -5), 0);	/* INT_MAX */
	assert_int_equal(geti(fd, SOL_SOCKET, SO_RCVLOWAT), 0x7fffffff);
	assert_int_equal(seti(fd, IPPROTO_TCP, TCP_KEEPIDLE, 30), 0);
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_KEEPIDLE), 30);
	assert_int_equal(seti(fd, IPPROTO_TCP, TCP_KEEPINTVL, 10), 0);
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_KEEPINTVL), 10);
	assert_int_equal(seti(fd, IPPROTO_TCP, TCP_KEEPCNT, 3), 0);
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_KEEPCNT), 3);
	assert_int_equal(keepalive_time_when(tcp_sk(sk)), 30 * HZ);
	assert_int_equal(keepalive_intvl_when(tcp_sk(sk)), 10 * HZ);
	assert_int_equal(keepalive_probes(tcp_sk(sk)), 3);
	assert_int_equal(seti(fd, IPPROTO_TCP, TCP_LINGER2, 20), 0);
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_LINGER2), 20);
	assert_int_equal(seti(fd, IPPROTO_TCP, TCP_LINGER2, -1), 0);
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_LINGER2), -1);
	assert_int_equal(tcp_linger2(tcp_sk(sk)), -1);
	assert_int_equal(seti(fd, IPPROTO_TCP, TCP_LINGER2, 0), 0);	/* back to the sysctl */
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_LINGER2), 60);
	assert_int_equal(seti(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, 5000), 0);
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_USER_TIMEOUT), 5000);
	assert_int_equal(inet_csk_user_timeout(sk), 5000);
	/* Bad values are refused before anything changes. */
	assert_errno(seti(fd, IPPROTO_TCP, TCP_KEEPIDLE, 0), EINVAL);
	assert_errno(seti(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, -1), EINVAL);
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_KEEPIDLE), 30);
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_USER_TIMEOUT), 5000);
	/* Back to the defaults with the block kept: they read as before. */
	assert_int_equal(set_tv(fd, SO_RCVTIMEO, 0, 0), 0);
	assert_int_equal(sock_rcvtimeo(sk, false), MAX_SCHEDULE_TIMEOUT);
	assert_int_equal(ul_close(fd), 0);
}

/* IP_TOS sets the priority too (3.10's rt_tos2priority): 0x10 (low delay) is 6
 * (TC_PRIO_INTERACTIVE), 0x08 (throughput) 2 (TC_PRIO_BULK); a TOS whose priority is 0
 * (0x04, reliability) needs no block. A UDP socket has the same SOL_SOCKET options. */
static void test_udp_tos_priority_rcvtimeo(void **state)
{
	int fd = ul_test_udp_bound("127.0.0.1", 5100);
	struct timeval tv;
	struct sock *sk = sk_of(fd);

	(void)state;
	assert_null(sk->sk_rare);
	assert_defaults(fd, false);
	assert_int_equal(seti(fd, IPPROTO_IP, IP_TOS, 0x04), 0);
	assert_int_equal(geti(fd, IPPROTO_IP, IP_TOS), 0x04);
	assert_int_equal(geti(fd, SOL_SOCKET, SO_PRIORITY), 0);
	assert_null(sk->sk_rare);
	assert_int_equal(seti(fd, IPPROTO_IP, IP_TOS, 0x10), 0);
	assert_non_null(sk->sk_rare);
	assert_int_equal(geti(fd, SOL_SOCKET, SO_PRIORITY), 6);
	assert_int_equal(seti(fd, IPPROTO_IP, IP_TOS, 0x08), 0);
	assert_int_equal(geti(fd, SOL_SOCKET, SO_PRIORITY), 2);
	assert_int_equal(geti(fd, IPPROTO_IP, IP_TOS), 0x08);
	/* SO_RCVTIMEO on UDP; a non-blocking recv still does not wait. */
	assert_int_equal(set_tv(fd, SO_RCVTIMEO, 0, 250000), 0);
	tv = get_tv(fd, SO_RCVTIMEO);
	assert_int_equal(tv.tv_sec, 0);
	assert_int_equal(tv.tv_usec, 250000);
	assert_int_equal(sock_rcvtimeo(sk, false), 250);
	assert_int_equal(ul_close(fd), 0);
}

/* No memory for the block: -ENOMEM and nothing changed (3.10: a setsockopt whose
 * allocation fails); once the block exists no allocation is needed. */
static void test_setsockopt_enomem(void **state)
{
	int fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	int ufd = ul_test_udp_bound("127.0.0.1", 5101);
	struct linger l = { .l_onoff = 1, .l_linger = 3 };
	struct sock *sk;

	(void)state;
	assert_true(fd >= 0);
	sk = sk_of(fd);
	ul_failslab_arm("sock_rare", 0, 100);
	assert_errno(set_tv(fd, SO_RCVTIMEO, 1, 0), ENOMEM);
	assert_errno(set_tv(fd, SO_SNDTIMEO, 1, 0), ENOMEM);
	assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), ENOMEM);
	assert_errno(seti(fd, SOL_SOCKET, SO_PRIORITY, 3), ENOMEM);
	assert_errno(seti(fd, SOL_SOCKET, SO_RCVLOWAT, 10), ENOMEM);
	assert_errno(seti(fd, IPPROTO_TCP, TCP_KEEPIDLE, 10), ENOMEM);
	assert_errno(seti(fd, IPPROTO_TCP, TCP_KEEPINTVL, 10), ENOMEM);
	assert_errno(seti(fd, IPPROTO_TCP, TCP_KEEPCNT, 2), ENOMEM);
	assert_errno(seti(fd, IPPROTO_TCP, TCP_LINGER2, 5), ENOMEM);
	assert_errno(seti(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, 100), ENOMEM);
	assert_errno(seti(ufd, IPPROTO_IP, IP_TOS, 0x10), ENOMEM);
	assert_int_equal(geti(ufd, IPPROTO_IP, IP_TOS), 0);	/* TOS unchanged too */
	assert_errno(set_tv(ufd, SO_RCVTIMEO, 1, 0), ENOMEM);
	assert_int_equal(ul_failslab_pending(), 100 - 12);
	ul_failslab_arm(NULL, 0, 0);
	assert_null(sk->sk_rare);
	assert_null(sk_of(ufd)->sk_rare);
	assert_defaults(fd, true);
	assert_defaults(ufd, false);
	assert_int_equal(get_linger(fd).l_onoff, 0);	/* the flag was not set either */

	/* With the block there, no allocation: failslab does not matter. */
	assert_int_equal(set_tv(fd, SO_RCVTIMEO, 1, 0), 0);
	ul_failslab_arm("sock_rare", 0, 100);
	assert_int_equal(seti(fd, IPPROTO_TCP, TCP_KEEPCNT, 2), 0);
	assert_int_equal(ul_failslab_pending(), 100);
	ul_failslab_arm(NULL, 0, 0);
	assert_int_equal(geti(fd, IPPROTO_TCP, TCP_KEEPCNT), 2);
	assert_int_equal(get_tv(fd, SO_RCVTIMEO).tv_sec, 1);
	assert_int_equal(ul_close(fd), 0);
	assert_int_equal(ul_close(ufd), 0);
}

/* Closes a pair and its listener without TIME_WAIT (SO_LINGER {1, 0}: a RST, and no
 * sk_rare block needed for a zero linger time). */
static void close_pair(int lfd, int cfd, int sfd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	assert_int_equal(ul_setsockopt(cfd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), 0);
	assert_int_equal(ul_setsockopt(sfd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(lfd), 0);
	ul_run_for(10 * MS);
}

/* ---- Connections without options: no block ---- */

struct xchg {
	int ready;
	int srv_rare, cli_rare;	/* sk_rare was non-NULL at the end (-1: not checked) */
	size_t received;
};

#define XCHG_BYTES (200 * 1000)

static int xchg_server(void *arg)
{
	struct xchg *x = arg;
	unsigned char *buf;
	int lfd, fd, guard = 0;

	fd = bulk_accept_one("10.9.1.2", 7300, 0, &x->ready, &lfd, NULL, &buf);
	if (fd < 0)
		return -fd;
	while (x->received < XCHG_BYTES && ++guard < 100000) {
		ssize_t n = ul_recv(fd, buf, 65536, 0);

		if (n <= 0)
			break;
		x->received += (size_t)n;
	}
	if (ul_send(fd, buf, 1000, 0) != 1000)
		return 30;
	x->srv_rare = sk_of(fd)->sk_rare != NULL;
	free(buf);
	ul_close(fd);
	ul_close(lfd);
	return 0;
}

static int xchg_client(void *arg)
{
	struct xchg *x = arg;
	unsigned char *buf = calloc(1, XCHG_BYTES);
	size_t sent = 0, got = 0;
	int fd, guard = 0;

	if (!buf)
		return 19;
	fd = bulk_connect("10.9.1.2", 7300, &x->ready, 0);
	if (fd < 0) {
		free(buf);
		return 20;
	}
	if (bulk_send_all(fd, buf, 16384, XCHG_BYTES, &sent)) {
		free(buf);
		return 21;
	}
	while (got < 1000 && ++guard < 1000) {
		ssize_t n = ul_recv(fd, buf, 1000 - got, 0);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	x->cli_rare = sk_of(fd)->sk_rare != NULL;
	free(buf);
	ul_close(fd);
	return got == 1000 ? 0 : 22;
}

/* An idle connection has no block, nor one that moved data both ways from tasks (their
 * sends copy into the task's page frag). */
static void test_no_block_idle_and_data(void **state)
{
	struct xchg x = { .srv_rare = -1, .cli_rare = -1 };
	int lfd, cfd, sfd;

	(void)state;
	tcp_pair(7301, &lfd, &cfd, &sfd);
	assert_null(sk_of(lfd)->sk_rare);
	assert_null(sk_of(cfd)->sk_rare);
	assert_null(sk_of(sfd)->sk_rare);
	ul_run_for(100 * MS);
	assert_null(sk_of(cfd)->sk_rare);
	assert_null(sk_of(sfd)->sk_rare);
	close_pair(lfd, cfd, sfd);

	bulk_veth_up("10.9.1", NULL);
	bulk_run_tasks("a", "b", xchg_server, xchg_client, &x);
	assert_int_equal(x.received, XCHG_BYTES);
	assert_int_equal(x.srv_rare, 0);
	assert_int_equal(x.cli_rare, 0);
	bulk_veth_down(2 * SEC);
}

/* A send from a thread that is not a ulnet task copies into the socket's own page frag
 * (sk_page_frag), which lives in the block: the data arrives intact. */
static void test_send_outside_task(void **state)
{
	static unsigned char out[8000], in[8000];
	int lfd, cfd, sfd;

	(void)state;
	bulk_fill(out, 0, sizeof(out));
	tcp_pair(7302, &lfd, &cfd, &sfd);
	assert_false(current && current->fn);	/* the test's thread is no ulnet task */
	assert_int_equal(ul_send(cfd, out, sizeof(out), 0), (ssize_t)sizeof(out));
	assert_non_null(sk_of(cfd)->sk_rare);
	assert_non_null(sk_of(cfd)->sk_rare->frag.page);
	ul_run_for(10 * MS);
	assert_int_equal(ul_recv(sfd, in, sizeof(in), 0), (ssize_t)sizeof(in));
	assert_memory_equal(in, out, sizeof(out));
	/* Its defaults are the same as without it. */
	assert_defaults(cfd, true);
	close_pair(lfd, cfd, sfd);
}

/* A send outside a task whose sk_rare block (its own page frag) cannot be allocated:
 * sk_page_frag gives NULL and tcp_sendmsg waits for memory as when the page itself cannot
 * be had: with MSG_DONTWAIT what fit the linear head, or EAGAIN; the next send works. */
static void test_send_outside_task_enomem(void **state)
{
	static unsigned char out[8000];
	int lfd, cfd, sfd;
	ssize_t n;

	(void)state;
	bulk_fill(out, 0, sizeof(out));
	tcp_pair(7308, &lfd, &cfd, &sfd);
	assert_false(current && current->fn);
	assert_null(sk_of(cfd)->sk_rare);
	ul_failslab_arm("sock_rare", 0, 1);
	n = ul_send(cfd, out, sizeof(out), MSG_DONTWAIT);
	assert_int_equal(ul_failslab_pending(), 0);
	assert_true((n == -1 && errno == EAGAIN) || (n > 0 && n < (ssize_t)sizeof(out)));
	assert_null(sk_of(cfd)->sk_rare);
	n = ul_send(cfd, out, sizeof(out), MSG_DONTWAIT);
	assert_true(n > 0);
	assert_non_null(sk_of(cfd)->sk_rare);
	close_pair(lfd, cfd, sfd);
}

/* (The loss-recovery block, not sk_rare: a socket reused through connect(AF_UNSPEC).)
 * tcp_disconnect keeps the block (total_retrans survives, as in 3.10's sock) but clears
 * its in-flight and undo state as 3.10's tcp_clear_retrans, there and in tcp_connect_init:
 * an undo_marker left by the last episode would let tcp_try_undo_dsack "undo" on the next
 * connection's first dubious ACK. */
static void test_disconnect_clears_undo(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7309);
	struct sockaddr_in un = { .sin_family = AF_UNSPEC };
	struct tcp_ofo_state *rec;
	int lfd, cfd, sfd, sfd2;
	struct tcp_sock *tp;

	(void)state;
	tcp_pair(7309, &lfd, &cfd, &sfd);
	tp = tcp_sk(sk_of(cfd));
	rec = tcp_ofo_state_get(tp);	/* as a past Recovery episode left it */
	assert_non_null(rec);
	rec->undo_marker = tp->snd_una;
	rec->undo_retrans = 0;
	assert_int_equal(ul_connect(cfd, (struct sockaddr *)&un, sizeof(un)), 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	sfd2 = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(sfd2 >= 0);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(tcp_rec(tp)->undo_marker, 0);	/* 3.10: 0 */
	assert_int_equal(tcp_rec(tp)->undo_retrans, 0);
	assert_int_equal(ul_close(sfd2), 0);
	close_pair(lfd, cfd, sfd);
}

/* ---- Accept ---- */

/* The child is a copy of the listener (3.10's sk_clone_lock): its options too, in a block
 * of its own. */
static void test_accept_inherits(void **state)
{
	struct linger l = { .l_onoff = 1, .l_linger = 4 };
	int lfd = tcp_listener(7303, 8, SOCK_NONBLOCK);
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7303);
	struct timeval tv;
	int cfd, sfd, one = 1;

	(void)state;
	assert_int_equal(set_tv(lfd, SO_RCVTIMEO, 3, 0), 0);
	assert_int_equal(ul_setsockopt(lfd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), 0);
	assert_int_equal(seti(lfd, SOL_SOCKET, SO_KEEPALIVE, one), 0);
	assert_int_equal(seti(lfd, IPPROTO_TCP, TCP_KEEPIDLE, 40), 0);
	assert_int_equal(seti(lfd, IPPROTO_TCP, TCP_KEEPCNT, 4), 0);
	assert_int_equal(seti(lfd, IPPROTO_TCP, TCP_USER_TIMEOUT, 1234), 0);
	assert_int_equal(seti(lfd, IPPROTO_TCP, TCP_LINGER2, -1), 0);
	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(cfd >= 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	sfd = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(sfd >= 0);
	assert_non_null(sk_of(sfd)->sk_rare);
	assert_ptr_not_equal(sk_of(sfd)->sk_rare, sk_of(lfd)->sk_rare);
	assert_null(sk_of(sfd)->sk_rare->frag.page);
	assert_int_equal(tcp_snd_up(tcp_sk(sk_of(sfd))), tcp_sk(sk_of(sfd))->snd_una);
	assert_false(tcp_urg_mode(tcp_sk(sk_of(sfd))));
	tv = get_tv(sfd, SO_RCVTIMEO);
	assert_int_equal(tv.tv_sec, 3);
	assert_int_equal(get_linger(sfd).l_onoff, 1);
	assert_int_equal(get_linger(sfd).l_linger, 4);
	assert_int_equal(geti(sfd, SOL_SOCKET, SO_KEEPALIVE), 1);
	assert_int_equal(geti(sfd, IPPROTO_TCP, TCP_KEEPIDLE), 40);
	assert_int_equal(geti(sfd, IPPROTO_TCP, TCP_KEEPINTVL), 75);
	assert_int_equal(geti(sfd, IPPROTO_TCP, TCP_KEEPCNT), 4);
	assert_int_equal(geti(sfd, IPPROTO_TCP, TCP_USER_TIMEOUT), 1234);
	assert_int_equal(geti(sfd, IPPROTO_TCP, TCP_LINGER2), -1);
	/* The child's block is its own. */
	assert_int_equal(seti(sfd, IPPROTO_TCP, TCP_KEEPIDLE, 50), 0);
	assert_int_equal(geti(lfd, IPPROTO_TCP, TCP_KEEPIDLE), 40);
	/* The client, without options, has no block. */
	assert_null(sk_of(cfd)->sk_rare);
	close_pair(lfd, cfd, sfd);
}

/* No memory for the child's copy of the block: no child (ListenDrops, as a failing
 * sk_clone_lock); the client's next segment makes it once memory is back. */
static void test_accept_clone_enomem(void **state)
{
	int lfd = tcp_listener(7304, 8, SOCK_NONBLOCK);
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7304);
	unsigned long drops0 = tcp_netstat_read(tnet, LINUX_MIB_LISTENDROPS);
	char buf[8];
	int cfd, sfd;

	(void)state;
	assert_int_equal(set_tv(lfd, SO_RCVTIMEO, 3, 0), 0);
	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(cfd >= 0);
	ul_failslab_arm("sock_rare", 0, 1);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	assert_int_equal(ul_failslab_pending(), 0);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_LISTENDROPS), drops0 + 1);
	assert_errno(ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK), EAGAIN);
	/* The client is ESTABLISHED; its data (an ACK again) makes the child. */
	assert_int_equal(sk_of(cfd)->sk_state, TCP_ESTABLISHED);
	ul_run_for(MS);
	assert_int_equal(ul_send(cfd, "x", 1, 0), 1);
	ul_run_for(MS);
	sfd = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(sfd >= 0);
	assert_int_equal(get_tv(sfd, SO_RCVTIMEO).tv_sec, 3);
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), 1);
	assert_int_equal(buf[0], 'x');
	close_pair(lfd, cfd, sfd);
}

/* ---- Urgent data ---- */

/* A MSG_OOB send that cannot have the block fails with ENOMEM, nothing queued; with
 * memory it goes, out of band, and only then do the ends have blocks. */
static void test_oob_send_enomem(void **state)
{
	char c = 0, buf[8];
	int lfd, cfd, sfd;
	u32 write_seq;

	(void)state;
	tcp_pair(7305, &lfd, &cfd, &sfd);
	write_seq = tcp_sk(sk_of(cfd))->write_seq;
	ul_failslab_arm("sock_rare", 0, 1);
	assert_errno(ul_send(cfd, "ab", 2, MSG_OOB), ENOMEM);
	ul_failslab_arm(NULL, 0, 0);
	assert_int_equal(tcp_sk(sk_of(cfd))->write_seq, write_seq);
	assert_null(sk_of(cfd)->sk_rare);
	assert_false(tcp_urg_mode(tcp_sk(sk_of(cfd))));
	assert_int_equal(ul_send(cfd, "ab", 2, MSG_OOB), 2);
	ul_run_for(MS);
	assert_non_null(sk_of(sfd)->sk_rare);
	assert_int_equal(ul_recv(sfd, &c, 1, MSG_OOB), 1);
	assert_int_equal(c, 'b');
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), 1);
	assert_int_equal(buf[0], 'a');
	/* Acknowledged: out of urgent mode. */
	ul_run_for(300 * MS);
	assert_false(tcp_urg_mode(tcp_sk(sk_of(cfd))));
	close_pair(lfd, cfd, sfd);
}

/* The receiver cannot record an urgent pointer (no memory for its block): the segment is
 * dropped (SKB_DROP_REASON_NOMEM) after its ACK was processed, and the sender, still in
 * urgent mode, retransmits it; then the byte comes out of band as usual. */
static void test_urg_rx_enomem(void **state)
{
	unsigned long nomem0 = ul_drop_count(SKB_DROP_REASON_NOMEM);
	char c = 0, buf[8];
	int lfd, cfd, sfd, i;
	ssize_t n = -1;

	(void)state;
	tcp_pair(7306, &lfd, &cfd, &sfd);
	/* The sender's own block first (skip 1), then the receiver's fails. */
	ul_failslab_arm("sock_rare", 1, 1);
	assert_int_equal(ul_send(cfd, "pq", 2, MSG_OOB), 2);
	ul_run_for(MS);
	assert_int_equal(ul_failslab_pending(), 0);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_NOMEM), nomem0 + 1);
	assert_null(sk_of(sfd)->sk_rare);
	assert_errno(ul_recv(sfd, buf, sizeof(buf), 0), EAGAIN);
	assert_true(tcp_urg_mode(tcp_sk(sk_of(cfd))));
	for (i = 0; i < 50 && n < 0; i++) {
		ul_run_for(100 * MS);
		n = ul_recv(sfd, &c, 1, MSG_OOB);
	}
	assert_int_equal(n, 1);
	assert_int_equal(c, 'q');
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), 1);
	assert_int_equal(buf[0], 'p');
	close_pair(lfd, cfd, sfd);
}

/* TCP_LINGER2 -1 read from the block by tcp_close: an orphan in FIN_WAIT2 is reset at once
 * (TCPAbortOnLinger), not kept for tcp_fin_timeout. */
static void test_linger2_abort(void **state)
{
	unsigned long aborts0 = tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONLINGER);
	int lfd, cfd, sfd;
	char c;

	(void)state;
	tcp_pair(7307, &lfd, &cfd, &sfd);
	assert_int_equal(seti(cfd, IPPROTO_TCP, TCP_LINGER2, -1), 0);
	assert_int_equal(ul_shutdown(cfd, SHUT_WR), 0);
	ul_run_for(10 * MS);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_FIN_WAIT2);
	assert_int_equal(ul_close(cfd), 0);
	ul_run_for(MS);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONLINGER), aborts0 + 1);
	/* The peer was reset (CLOSE_WAIT -> CLOSE), after the FIN it had (EOF). */
	assert_int_equal(sk_of(sfd)->sk_state, TCP_CLOSE);
	assert_int_equal(ul_recv(sfd, &c, 1, 0), 0);
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(lfd), 0);
	ul_run_for(10 * MS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tcp_options_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_tos_priority_rcvtimeo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setsockopt_enomem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_block_idle_and_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_outside_task, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_clears_undo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_outside_task_enomem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_inherits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_clone_enomem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oob_send_enomem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_urg_rx_enomem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linger2_abort, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
