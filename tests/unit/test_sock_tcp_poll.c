/* SPDX-License-Identifier: MIT */
/* TCP through the poll contract (book ch3): poll()'s mask of a TCP socket in each state as
 * 3.10's tcp_poll computes it (fresh, listening, connecting, connected, SO_RCVLOWAT, send
 * buffer full, peer FIN, both directions shut, refused, reset), and epoll on TCP: EPOLLOUT
 * when a non-blocking connect completes, level- vs edge-triggered EPOLLIN (data arriving
 * while not reading, partial reads under EPOLLET), EPOLLONESHOT re-armed by EPOLL_CTL_MOD,
 * EPOLLRDHUP / EPOLLHUP / EPOLLERR always reported, EPOLLOUT back when the peer reads, a
 * listener readable when its accept queue is not empty, accept() waking one exclusive
 * waiter of three, and two epoll instances on one listener both woken (no EPOLLEXCLUSIVE
 * in 3.10).
 * Mirrors the behaviour of linux/net/ipv4/tcp.c (tcp_poll), inet_connection_sock.c
 * (inet_csk_wait_for_connect) and fs/eventpoll.c (3.10). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include "harness.h"
#include "net_testutil.h"
#include "sock_tcp_testutil.h"
#include "linux/sched.h"
#include "ulnet/socket.h"

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
	int err = ul_test_teardown_netns_after(state, "t", 10 * MS);

	tnet = NULL;
	return err;
}

static int ep_add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return ul_epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

/* epoll_wait with no timeout: the number of events; the first in *@ev. */
static int ep_now(int ep, struct epoll_event *ev)
{
	struct epoll_event out[4];
	int n = ul_epoll_wait(ep, out, 4, 0);

	assert_true(n >= 0 && n <= 1);
	if (n == 1)
		*ev = out[0];
	return n;
}

static void send_n(int fd, size_t n)
{
	char buf[4096];

	assert_true(n <= sizeof(buf));
	memset(buf, 'x', n);
	assert_int_equal(ul_send(fd, buf, n, 0), (ssize_t)n);
}

#define IN_BITS (POLLIN | POLLRDNORM)
#define OUT_BITS (POLLOUT | POLLWRNORM)

/* ------------------------------------------------------------------------------------------
 * poll() masks, state by state. */

static void test_poll_masks(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7001);
	int lfd, cfd, sfd, fresh, lowat = 100;
	char buf[256];

	/* A fresh socket is CLOSE: POLLHUP, and writable (tcp_poll's "connected" branch
	 * excludes only SYN_SENT/SYN_RECV). */
	fresh = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(poll_mask(fresh), OUT_BITS | POLLHUP);

	/* A listener: nothing until a connection is queued, never POLLOUT or POLLHUP. */
	lfd = tcp_listener(7001, 8, SOCK_NONBLOCK);
	assert_int_equal(poll_mask(lfd), 0);

	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	/* Over lo the handshake may be over before connect returns; a socket still in
	 * SYN_SENT polls 0 (test_poll_connecting holds it there). */
	if (sk_of(cfd)->sk_state == TCP_SYN_SENT)
		assert_int_equal(poll_mask(cfd), 0);
	ul_run_for(MS);
	assert_int_equal(poll_mask(cfd), OUT_BITS);
	assert_int_equal(poll_mask(lfd), IN_BITS);
	sfd = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(sfd >= 0);
	assert_int_equal(poll_mask(lfd), 0);
	assert_int_equal(poll_mask(sfd), OUT_BITS);

	/* Data: readable. */
	send_n(sfd, 10);
	ul_run_for(MS);
	assert_int_equal(poll_mask(cfd), IN_BITS | OUT_BITS);

	/* SO_RCVLOWAT 100: 10 bytes are not enough for POLLIN (tcp_poll's target), 100 are. */
	assert_int_equal(ul_setsockopt(cfd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat)), 0);
	assert_int_equal(poll_mask(cfd), OUT_BITS);
	send_n(sfd, 89);
	ul_run_for(MS);
	assert_int_equal(poll_mask(cfd), OUT_BITS);
	send_n(sfd, 1);
	ul_run_for(MS);
	assert_int_equal(poll_mask(cfd), IN_BITS | OUT_BITS);
	assert_int_equal(ul_recv(cfd, buf, sizeof(buf), 0), 100);
	lowat = 1;
	assert_int_equal(ul_setsockopt(cfd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat)), 0);
	assert_int_equal(poll_mask(cfd), OUT_BITS);

	/* The peer's FIN: readable (recv returns 0) and POLLRDHUP; the sender shut its own
	 * side: still POLLOUT (writes fail at once, so they "do not block"), no POLLHUP. */
	assert_int_equal(ul_shutdown(sfd, SHUT_WR), 0);
	ul_run_for(MS);
	assert_int_equal(poll_mask(cfd), IN_BITS | POLLRDHUP | OUT_BITS);
	assert_int_equal(poll_mask(sfd), OUT_BITS);
	assert_int_equal(ul_recv(cfd, buf, sizeof(buf), 0), 0);

	/* Both directions shut (SHUTDOWN_MASK): POLLHUP, on both ends once the FIN arrives. */
	assert_int_equal(ul_shutdown(cfd, SHUT_WR), 0);
	assert_int_equal(poll_mask(cfd), IN_BITS | POLLRDHUP | OUT_BITS | POLLHUP);
	ul_run_for(MS);
	assert_int_equal(poll_mask(sfd), IN_BITS | POLLRDHUP | OUT_BITS | POLLHUP);

	/* Only requested bits come back, except POLLERR/POLLHUP/POLLNVAL. */
	{
		struct pollfd p = { .fd = cfd, .events = POLLOUT };

		assert_int_equal(ul_poll(&p, 1, 0), 1);
		assert_int_equal(p.revents, POLLOUT | POLLHUP);
	}
	ul_close(fresh);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* A refused non-blocking connect: every bit tcp_poll can give (CLOSE with SHUTDOWN_MASK
 * and sk_err), then the same without POLLERR once SO_ERROR has read the error. */
static void test_poll_refused(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7002);
	int cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	const short all = IN_BITS | POLLRDHUP | OUT_BITS | POLLHUP;

	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_CLOSE);
	assert_int_equal(poll_mask(cfd), all | POLLERR);
	assert_int_equal(so_error(cfd), ECONNREFUSED);
	assert_int_equal(poll_mask(cfd), all);
	assert_int_equal(so_error(cfd), 0);
	ul_close(cfd);
}

/* A connecting socket (SYN_SENT; its SYN dropped by the firewall) polls 0: not writable,
 * not readable, no HUP; epoll reports nothing for it; once the SYN gets through (the
 * retransmission 1 s later) it is writable. */
static void test_poll_connecting(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7010);
	int lfd = tcp_listener(7010, 8, SOCK_NONBLOCK), ep = ul_epoll_create1(0);
	int cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct epoll_event ev;
	char *out = NULL;

	assert_int_equal(ul_cmd("t", "iptables -A INPUT -p tcp --dport 7010 -j DROP", &out), 0);
	free(out);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	assert_int_equal(ep_add(ep, cfd, EPOLLIN | EPOLLOUT | EPOLLRDHUP, 1), 0);
	ul_run_for(100 * MS);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_SYN_SENT);
	assert_int_equal(poll_mask(cfd), 0);
	assert_int_equal(ep_now(ep, &ev), 0);
	out = NULL;
	assert_int_equal(ul_cmd("t", "iptables -F", &out), 0);
	free(out);
	ul_run_for(SEC);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(poll_mask(cfd), OUT_BITS);
	assert_int_equal(ep_now(ep, &ev), 1);
	assert_int_equal(ev.events, EPOLLOUT);
	ul_close(ep);
	ul_close(cfd);
	ul_close(lfd);
}

/* The send buffer fills when the peer does not read: POLLOUT goes (SOCK_NOSPACE is set);
 * it comes back once the peer reads and the ACKs free at least half of what is queued
 * (sk_stream_write_space); an edge-triggered EPOLLOUT is reported then, once. */
static void test_pollout_sndbuf(void **state)
{
	int lfd, cfd, sfd, ep, guard = 0, full = 0;
	char buf[4096];
	struct epoll_event ev;

	tcp_pair(7003, &lfd, &cfd, &sfd);
	ep = ul_epoll_create1(0);
	assert_int_equal(ep_add(ep, cfd, EPOLLOUT | EPOLLET, 3), 0);
	assert_int_equal(ep_now(ep, &ev), 1);
	assert_int_equal(ev.events, EPOLLOUT);
	assert_int_equal(ep_now(ep, &ev), 0);
	memset(buf, 'y', sizeof(buf));
	while (++guard < 10000) {
		if (ul_send(cfd, buf, sizeof(buf), 0) < 0) {
			assert_int_equal(errno, EAGAIN);
			full = 1;
			break;
		}
		ul_run_for(MS);
	}
	assert_true(full);
	assert_int_equal(poll_mask(cfd) & OUT_BITS, 0);
	assert_int_equal(ep_now(ep, &ev), 0);
	assert_true(test_bit(SOCK_NOSPACE, &sk_of(cfd)->sk_socket->flags));

	/* The peer reads everything: the window opens, data flows, the ACKs free the buffer. */
	guard = 0;
	while (++guard < 10000) {
		ssize_t n = ul_recv(sfd, buf, sizeof(buf), 0);

		if (n < 0) {
			assert_int_equal(errno, EAGAIN);
			if (!sk_of(cfd)->sk_wmem_queued)
				break;
			ul_run_for(MS);
		}
	}
	assert_int_equal(sk_of(cfd)->sk_wmem_queued, 0);
	assert_int_equal(poll_mask(cfd), OUT_BITS);
	assert_int_equal(ep_now(ep, &ev), 1);
	assert_int_equal(ev.events, EPOLLOUT);
	assert_int_equal(ep_now(ep, &ev), 0);
	ul_close(ep);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* ------------------------------------------------------------------------------------------
 * epoll on TCP. */

/* A non-blocking connect watched for EPOLLOUT: reported when the handshake completes (the
 * wakeup of sk_state_change, no key). */
static void test_epoll_connect_writable(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7004);
	int lfd = tcp_listener(7004, 8, SOCK_NONBLOCK), ep = ul_epoll_create1(0);
	int lep = ul_epoll_create1(0);
	int cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct epoll_event ev;
	int sfd;

	assert_int_equal(ep_add(lep, lfd, EPOLLIN, 10), 0);
	assert_int_equal(ep_now(lep, &ev), 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	assert_int_equal(ep_add(ep, cfd, EPOLLOUT | EPOLLIN | EPOLLET, 4), 0);
	if (sk_of(cfd)->sk_state == TCP_SYN_SENT)
		assert_int_equal(ep_now(ep, &ev), 0);
	ul_run_for(MS);
	assert_int_equal(ep_now(ep, &ev), 1);
	assert_int_equal(ev.events, EPOLLOUT);
	assert_int_equal(ev.data.u64, 4);
	assert_int_equal(ep_now(ep, &ev), 0);
	assert_int_equal(so_error(cfd), 0);

	/* The listener: EPOLLIN while a connection waits in the accept queue. */
	assert_int_equal(ep_now(lep, &ev), 1);
	assert_int_equal(ev.events, EPOLLIN);
	assert_int_equal(ep_now(lep, &ev), 1);	/* level-triggered: still there */
	sfd = ul_accept4(lfd, NULL, NULL, 0);
	assert_true(sfd >= 0);
	assert_int_equal(ep_now(lep, &ev), 0);
	ul_close(sfd);
	ul_close(cfd);
	ul_close(lfd);
	ul_close(ep);
	ul_close(lep);
}

/* Level vs edge on the same socket (two instances): data arriving while the owner does not
 * read is reported again and again level-triggered, once edge-triggered; a partial read
 * gives no new edge; new data does. */
static void test_epoll_level_vs_edge(void **state)
{
	int lfd, cfd, sfd, lt, et;
	struct epoll_event ev;
	char buf[64];

	tcp_pair(7005, &lfd, &cfd, &sfd);
	lt = ul_epoll_create1(0);
	et = ul_epoll_create1(0);
	assert_int_equal(ep_add(lt, cfd, EPOLLIN, 1), 0);
	assert_int_equal(ep_add(et, cfd, EPOLLIN | EPOLLET, 2), 0);
	assert_int_equal(ep_now(lt, &ev), 0);
	assert_int_equal(ep_now(et, &ev), 0);

	send_n(sfd, 100);
	ul_run_for(MS);
	assert_int_equal(ep_now(lt, &ev), 1);
	assert_int_equal(ev.events, EPOLLIN);
	assert_int_equal(ev.data.u64, 1);
	assert_int_equal(ep_now(et, &ev), 1);
	assert_int_equal(ev.events, EPOLLIN);
	assert_int_equal(ev.data.u64, 2);

	/* Not reading: level reports again, edge does not. */
	ul_run_for(50 * MS);	/* the delayed ACK goes; no wakeup of the reader */
	assert_int_equal(ep_now(lt, &ev), 1);
	assert_int_equal(ep_now(et, &ev), 0);

	/* A partial read: 90 bytes left; level yes, edge no. */
	assert_int_equal(ul_recv(cfd, buf, 10, 0), 10);
	assert_int_equal(ep_now(lt, &ev), 1);
	assert_int_equal(ep_now(et, &ev), 0);

	/* New data: a new edge, reported once. */
	send_n(sfd, 5);
	ul_run_for(MS);
	assert_int_equal(ep_now(et, &ev), 1);
	assert_int_equal(ev.events, EPOLLIN);
	assert_int_equal(ep_now(et, &ev), 0);

	/* Reading everything: level stops too. */
	assert_int_equal(ul_recv(cfd, buf, sizeof(buf), 0), 64);
	assert_int_equal(ul_recv(cfd, buf, sizeof(buf), 0), 31);
	assert_int_equal(ep_now(lt, &ev), 0);
	assert_int_equal(ep_now(et, &ev), 0);
	ul_close(lt);
	ul_close(et);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* EPOLLONESHOT: one report, then nothing (even for new data) until EPOLL_CTL_MOD re-arms
 * it, which reports the data still queued. */
static void test_epoll_oneshot(void **state)
{
	int lfd, cfd, sfd, ep;
	struct epoll_event ev, mod = { .events = EPOLLIN | EPOLLONESHOT, .data.u64 = 6 };
	char buf[64];

	tcp_pair(7006, &lfd, &cfd, &sfd);
	ep = ul_epoll_create1(0);
	assert_int_equal(ep_add(ep, cfd, EPOLLIN | EPOLLONESHOT, 5), 0);
	send_n(sfd, 20);
	ul_run_for(MS);
	assert_int_equal(ep_now(ep, &ev), 1);
	assert_int_equal(ev.events, EPOLLIN);
	assert_int_equal(ev.data.u64, 5);
	assert_int_equal(ep_now(ep, &ev), 0);
	send_n(sfd, 20);
	ul_run_for(MS);
	assert_int_equal(ep_now(ep, &ev), 0);
	/* Disarmed, not removed: ADD is EEXIST. */
	assert_errno(ep_add(ep, cfd, EPOLLIN, 5), EEXIST);
	assert_int_equal(ul_epoll_ctl(ep, EPOLL_CTL_MOD, cfd, &mod), 0);
	assert_int_equal(ep_now(ep, &ev), 1);
	assert_int_equal(ev.data.u64, 6);
	assert_int_equal(ep_now(ep, &ev), 0);
	assert_int_equal(ul_recv(cfd, buf, sizeof(buf), 0), 40);
	ul_close(ep);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* EPOLLRDHUP on the peer's FIN; a reset then gives EPOLLHUP and EPOLLERR though they were
 * not asked for. The reset comes in CLOSE_WAIT (the peer's FIN was there), so sk_err is
 * EPIPE, as 3.10's tcp_reset. EPOLLPRI is never reported: no urgent data in ulnet. */
static void test_epoll_rdhup_hup_err(void **state)
{
	int lfd, cfd, sfd, ep;
	struct epoll_event ev;
	char buf[16];

	tcp_pair(7007, &lfd, &cfd, &sfd);
	ep = ul_epoll_create1(0);
	assert_int_equal(ep_add(ep, cfd, EPOLLIN | EPOLLRDHUP | EPOLLPRI, 7), 0);
	assert_int_equal(ep_now(ep, &ev), 0);
	assert_int_equal(ul_shutdown(sfd, SHUT_WR), 0);
	ul_run_for(MS);
	assert_int_equal(ep_now(ep, &ev), 1);
	assert_int_equal(ev.events, EPOLLIN | EPOLLRDHUP);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_CLOSE_WAIT);
	assert_int_equal(ul_recv(cfd, buf, sizeof(buf), 0), 0);

	/* The client writes, the server closes without reading: RST. */
	send_n(cfd, 10);
	ul_run_for(MS);
	assert_int_equal(ul_close(sfd), 0);
	ul_run_for(MS);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_CLOSE);
	assert_int_equal(ep_now(ep, &ev), 1);
	assert_int_equal(ev.events, EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR);
	assert_int_equal(so_error(cfd), EPIPE);
	assert_int_equal(ep_now(ep, &ev), 1);
	assert_int_equal(ev.events, EPOLLIN | EPOLLRDHUP | EPOLLHUP);
	ul_close(ep);
	ul_close(cfd);
	ul_close(lfd);
}

/* ------------------------------------------------------------------------------------------
 * accept(): one connection wakes one of several blocked acceptors (exclusive wait). */

#define NACC 3

struct acceptor {
	struct file *lfile;
	int accepted_fd;
	int err;
	int order;
};

static int accept_order;

static int acceptor_task(void *arg)
{
	struct acceptor *a = arg;
	int lfd = install_shared(a->lfile);
	int fd;

	if (lfd < 0)
		return 1;
	fd = ul_accept(lfd, NULL, NULL);
	a->err = fd < 0 ? errno : 0;
	a->accepted_fd = fd;
	a->order = ++accept_order;
	if (fd >= 0)
		ul_close(fd);
	ul_close(lfd);
	return 0;
}

static void test_accept_wakes_one(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7008);
	struct acceptor acc[NACC];
	struct ul_task *t[NACC];
	int lfd = tcp_listener(7008, 8, 0), c[NACC], i, k, done;

	accept_order = 0;
	for (i = 0; i < NACC; i++) {
		acc[i] = (struct acceptor){ .lfile = file_to_share(lfd), .accepted_fd = -1 };
		t[i] = ul_task_spawn("t", "acceptor", i % 2, acceptor_task, &acc[i]);
		assert_non_null(t[i]);
	}
	ul_run_for(MS);	/* all three block in inet_csk_wait_for_connect */
	for (i = 0; i < NACC; i++) {
		struct ul_task_stats st;

		assert_int_equal(acc[i].order, 0);
		assert_int_equal(ul_task_stats(t[i], &st), 0);
		assert_int_equal(st.nvcsw, 1);
	}
	for (k = 0; k < NACC; k++) {
		c[k] = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_errno(ul_connect(c[k], (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
		ul_run_for(MS);
		/* Exactly one more acceptor returned; the others never woke (one voluntary
		 * switch each: the sleep they are still in). */
		done = 0;
		for (i = 0; i < NACC; i++) {
			struct ul_task_stats st;

			if (acc[i].order) {
				done++;
				continue;
			}
			assert_int_equal(ul_task_stats(t[i], &st), 0);
			assert_int_equal(st.nvcsw, 1);
		}
		assert_int_equal(done, k + 1);
	}
	for (i = 0; i < NACC; i++) {
		assert_int_equal(ul_task_join(t[i]), 0);
		assert_int_equal(acc[i].err, 0);
		assert_true(acc[i].accepted_fd >= 0);
	}
	/* Woken in the order they slept (exclusive waiters are queued at the tail). */
	assert_int_equal(acc[0].order, 1);
	assert_int_equal(acc[1].order, 2);
	assert_int_equal(acc[2].order, 3);
	for (k = 0; k < NACC; k++)
		ul_close(c[k]);
	ul_close(lfd);
}

/* Without EPOLLEXCLUSIVE (Linux 4.5), every epoll instance watching a listener is woken by
 * one connection (ep_poll_callback is a non-exclusive entry of the listener's queue): the
 * thundering herd of 3.10's epoll-based servers. Both waiters return; one accept wins, the
 * other finds the queue empty (EAGAIN). */
struct herd {
	struct file *lfile;
	int n, acc, err;
	unsigned long nvcsw;
};

static int herd_task(void *arg)
{
	struct herd *h = arg;
	int lfd = install_shared(h->lfile), ep = ul_epoll_create1(0), fd;
	struct epoll_event ev;
	struct ul_task_stats st0, st1;

	if (lfd < 0 || ep < 0 || ep_add(ep, lfd, EPOLLIN, 1))
		return 1;
	ul_task_stats(NULL, &st0);
	h->n = ul_epoll_wait(ep, &ev, 1, 1000);
	ul_task_stats(NULL, &st1);
	h->nvcsw = st1.nvcsw - st0.nvcsw;
	ul_sleep(MS);	/* let the other one take its turn at accept */
	errno = 0;
	fd = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	h->acc = fd >= 0;
	h->err = fd >= 0 ? 0 : errno;
	if (fd >= 0)
		ul_close(fd);
	ul_close(ep);
	ul_close(lfd);
	return 0;
}

static void test_epoll_listener_herd(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7009);
	int lfd = tcp_listener(7009, 8, SOCK_NONBLOCK), c, i;
	struct herd h[2];
	struct ul_task *t[2];

	for (i = 0; i < 2; i++) {
		h[i] = (struct herd){ .lfile = file_to_share(lfd) };
		t[i] = ul_task_spawn("t", "herd", i, herd_task, &h[i]);
		assert_non_null(t[i]);
	}
	ul_run_for(MS);
	c = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_errno(ul_connect(c, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	for (i = 0; i < 2; i++)
		assert_int_equal(ul_task_join(t[i]), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(h[i].n, 1);
		assert_int_equal(h[i].nvcsw, 1);
	}
	assert_int_equal(h[0].acc + h[1].acc, 1);
	assert_int_equal(h[0].err + h[1].err, EAGAIN);
	ul_close(c);
	ul_close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_poll_masks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll_connecting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pollout_sndbuf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epoll_connect_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epoll_level_vs_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epoll_oneshot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epoll_rdhup_hup_err, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_wakes_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epoll_listener_herd, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
