/* SPDX-License-Identifier: MIT */
/* The book's ch3 questions, measured with TCP on virtual time: a blocking recv costs two
 * context switches (one voluntary switch out, one back in when the data's sk_data_ready
 * wakes the task); so does an epoll_wait or a poll woken by TCP data; epoll_wait's work (items
 * visited) is the same with 10 and with 10,000 idle TCP sockets; a single-threaded epoll
 * echo server (Redis-style) serves 1,000 concurrent TCP clients.
 * Mirrors the behaviour of linux/net/core/sock.c (sk_wait_data), net/ipv4/tcp.c
 * (tcp_recvmsg) and fs/eventpoll.c (ep_poll, ep_send_events) (3.10). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include "harness.h"
#include "net_testutil.h"
#include "sock_tcp_testutil.h"
#include "linux/eventpoll.h"
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

static void raise_nofile(unsigned long n)
{
	struct rlimit rl = { .rlim_cur = n, .rlim_max = n };

	assert_int_equal(ul_setrlimit(RLIMIT_NOFILE, &rl), 0);
}

/* ------------------------------------------------------------------------------------------
 * A blocking recv (and a blocking epoll_wait) costs two context switches. */

struct blk {
	struct file *f;
	int use_epoll;		/* 0 recv only, 1 epoll_wait first, 2 poll first */
	int ready;
	ssize_t got;
	unsigned long nvcsw;
	u64 t_back;
};

static int blk_reader(void *arg)
{
	struct blk *b = arg;
	struct ul_task_stats st0, st1;
	char buf[64];
	int fd = install_shared(b->f), ep = -1;
	struct epoll_event ev;

	if (fd < 0)
		return 1;
	if (b->use_epoll == 1) {
		ep = ul_epoll_create1(0);
		if (ep_add(ep, fd, EPOLLIN, 1))
			return 2;
	}
	ul_task_stats(NULL, &st0);
	b->ready = 1;
	if (b->use_epoll == 1) {
		if (ul_epoll_wait(ep, &ev, 1, -1) != 1 || ev.events != EPOLLIN)
			return 3;
	} else if (b->use_epoll == 2) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (ul_poll(&p, 1, -1) != 1 || p.revents != POLLIN)
			return 4;
	}
	b->got = ul_recv(fd, buf, sizeof(buf), 0);
	b->t_back = ul_now_ns();
	ul_task_stats(NULL, &st1);
	b->nvcsw = st1.nvcsw - st0.nvcsw;
	if (ep >= 0)
		ul_close(ep);
	ul_close(fd);
	return 0;
}

static void run_blocking(int use_epoll, int port)
{
	struct blk b = { .use_epoll = use_epoll };
	struct ul_task *t;
	int lfd, cfd, sfd;
	u64 sent_at;

	tcp_pair(port, &lfd, &cfd, &sfd);
	assert_int_equal(ul_fcntl(cfd, F_SETFL, 0), 0);
	b.f = file_to_share(cfd);
	t = ul_task_spawn("t", "reader", 0, blk_reader, &b);
	assert_non_null(t);
	ul_run_for(5 * MS);	/* the reader blocks: nothing to read */
	assert_true(b.ready);
	assert_int_equal(b.got, 0);
	sent_at = ul_now_ns();
	assert_int_equal(ul_send(sfd, "hello", 5, 0), 5);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(b.got, 5);
	/* One voluntary switch out (schedule() in sk_wait_data or ep_poll), and the wakeup
	 * brings it back: two context switches in all, and no other wakeup on the way. */
	assert_int_equal(b.nvcsw, 1);
	assert_true(b.t_back - sent_at < MS);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

static void test_blocking_recv_two_switches(void **state)
{
	run_blocking(0, 7201);
}

static void test_blocking_epoll_wait_two_switches(void **state)
{
	run_blocking(1, 7202);
}

static void test_blocking_poll_two_switches(void **state)
{
	run_blocking(2, 7206);
}

/* ------------------------------------------------------------------------------------------
 * epoll_wait's work does not grow with idle sockets. */

/* @npairs idle connections (2 * @npairs established TCP sockets, all in the epoll) and one
 * that receives a byte: the items epoll_wait visits to find it, and then to find nothing. */
static unsigned long visits_with_idle_tcp(int npairs, int port)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", port);
	struct epoll_event out[4];
	struct ep_work_stats w0, w1;
	int *fds = calloc((size_t)npairs * 2, sizeof(int));
	int lfd, ep, i, n = 0, c, s, k;
	char buf[4];

	assert_non_null(fds);
	lfd = tcp_listener(port, 128, SOCK_NONBLOCK);
	ep = ul_epoll_create1(0);
	for (i = 0; i < npairs; i++) {
		fds[2 * i] = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_true(fds[2 * i] >= 0);
		errno = 0;
		k = ul_connect(fds[2 * i], (struct sockaddr *)&a, sizeof(a));
		assert_true(k == 0 || errno == EINPROGRESS);
		if (i % 64 == 63 || i == npairs - 1) {
			ul_run_for(MS);
			while (n < npairs && (k = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0)
				fds[2 * n++ + 1] = k;
		}
	}
	assert_int_equal(n, npairs);
	for (i = 0; i < 2 * npairs; i++)
		assert_int_equal(ep_add(ep, fds[i], EPOLLIN, (uint64_t)i), 0);
	assert_int_equal(ul_epoll_wait(ep, out, 4, 0), 0);

	c = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	errno = 0;
	k = ul_connect(c, (struct sockaddr *)&a, sizeof(a));
	assert_true(k == 0 || errno == EINPROGRESS);
	ul_run_for(MS);
	s = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(s >= 0);
	assert_int_equal(ep_add(ep, s, EPOLLIN, 0xabc), 0);
	assert_int_equal(ul_send(c, "ping", 4, 0), 4);
	ul_run_for(MS);

	ep_work_stats_get(&w0);
	assert_int_equal(ul_epoll_wait(ep, out, 4, 0), 1);
	assert_int_equal(out[0].data.u64, 0xabc);
	assert_int_equal(ul_recv(s, buf, sizeof(buf), 0), 4);
	assert_int_equal(ul_epoll_wait(ep, out, 4, 0), 0);
	ep_work_stats_get(&w1);

	for (i = 0; i < 2 * npairs; i++)
		ul_close(fds[i]);
	ul_close(c);
	ul_close(s);
	ul_close(ep);
	ul_close(lfd);
	free(fds);
	return w1.items_visited - w0.items_visited;
}

struct flat_arg {
	unsigned long v10, v10000;
};

/* In a task: its fd table (grown past 20,000 fds) goes when it exits. */
static int flat_task(void *arg)
{
	struct flat_arg *a = arg;

	raise_nofile(20100);
	a->v10 = visits_with_idle_tcp(5, 7203);
	a->v10000 = visits_with_idle_tcp(5000, 7204);
	return 0;
}

static void test_epoll_work_flat_tcp(void **state)
{
	struct flat_arg a = { 0 };
	struct ul_task *t = ul_task_spawn("t", "flat", 0, flat_task, &a);

	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	/* The ready item is visited by the first epoll_wait (and put back, level-triggered),
	 * and by the second, which finds it idle and drops it: 2, whatever the number of
	 * idle sockets. */
	assert_int_equal(a.v10, 2);
	assert_int_equal(a.v10000, 2);
	ul_run_for(SEC);	/* the 10,000 closes' FINs and TIME_WAITs settle */
}

/* ------------------------------------------------------------------------------------------
 * A single-threaded epoll echo server over TCP: 1,000 concurrent clients. */

#define NCLIENTS 1000
#define ECHO_PORT 7205

struct echo {
	int nclients;
	int served, accepted, closed, errors;
	unsigned long server_nvcsw, waits;
	int client_ok, server_ready;
	int max_open;
};

static int echo_server(void *arg)
{
	struct echo *e = arg;
	struct epoll_event evs[64];
	struct ul_task_stats st0, st1;
	int lfd, ep, n, i, rounds = 0, open_now = 0;
	char buf[64];

	raise_nofile(4096);
	lfd = tcp_listener(ECHO_PORT, 128, SOCK_NONBLOCK);
	ep = ul_epoll_create1(0);
	if (ep_add(ep, lfd, EPOLLIN, (uint64_t)lfd))
		return 2;
	e->server_ready = 1;
	ul_task_stats(NULL, &st0);
	while (e->closed < e->nclients && ++rounds < 100000) {
		n = ul_epoll_wait(ep, evs, 64, 10000);
		e->waits++;
		if (n <= 0)
			return 3;
		for (i = 0; i < n; i++) {
			int fd = (int)evs[i].data.u64;
			ssize_t len;

			if (fd == lfd) {
				int c, guard = 0;

				while ((c = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0 &&
				       ++guard < 10000) {
					e->accepted++;
					if (++open_now > e->max_open)
						e->max_open = open_now;
					if (ep_add(ep, c, EPOLLIN, (uint64_t)c))
						e->errors++;
				}
				continue;
			}
			len = ul_read(fd, buf, sizeof(buf));
			if (len > 0) {
				if (ul_write(fd, buf, (size_t)len) != len)
					e->errors++;
				e->served++;
			} else if (len == 0) {
				ul_close(fd);	/* unhooks it from the epoll */
				e->closed++;
				open_now--;
			} else if (errno != EAGAIN) {
				e->errors++;
			}
		}
	}
	ul_task_stats(NULL, &st1);
	e->server_nvcsw = st1.nvcsw - st0.nvcsw;
	ul_close(ep);
	ul_close(lfd);
	return 0;
}

static int echo_clients(void *arg)
{
	struct echo *e = arg;
	struct sockaddr_in a = ul_test_sin("127.0.0.1", ECHO_PORT);
	static int fds[NCLIENTS];
	int i, guard = 0, ok;

	raise_nofile(4096);
	while (!e->server_ready && ++guard < 1000)
		ul_sleep(MS);
	/* All connected at once (blocking connects; the server accepts meanwhile). */
	for (i = 0; i < e->nclients; i++) {
		fds[i] = ul_socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] < 0 || ul_connect(fds[i], (struct sockaddr *)&a, sizeof(a)))
			return 10;
	}
	ok = ul_test_echo_roundtrip(fds, e->nclients);
	if (ok < 0)
		return 11;
	e->client_ok = ok;
	return 0;
}

static void test_echo_server_1000_tcp_clients(void **state)
{
	struct echo e = { .nclients = NCLIENTS };
	struct ul_task *srv = ul_task_spawn("t", "echo-server", 0, echo_server, &e);
	struct ul_task *cli = ul_task_spawn("t", "clients", 1, echo_clients, &e);
	u64 t0 = ul_now_ns();

	assert_non_null(srv);
	assert_non_null(cli);
	assert_int_equal(ul_task_join(cli), 0);
	assert_int_equal(ul_task_join(srv), 0);
	print_message("echo: %d clients in %llu ms of virtual time, %lu epoll_waits, "
		      "%lu server switches, %d open at once\n", e.nclients,
		      (unsigned long long)((ul_now_ns() - t0) / MS), e.waits, e.server_nvcsw,
		      e.max_open);
	assert_int_equal(e.errors, 0);
	assert_int_equal(e.accepted, NCLIENTS);
	assert_int_equal(e.served, NCLIENTS);
	assert_int_equal(e.closed, NCLIENTS);
	assert_int_equal(e.client_ok, NCLIENTS);
	/* Concurrent: every client was connected before the first one wrote. */
	assert_int_equal(e.max_open, NCLIENTS);
	/* One thread that sleeps only when nothing at all is ready: fewer switches than
	 * epoll_waits, and fewer epoll_waits than the 3,000 events it handled. */
	assert_true(e.server_nvcsw <= e.waits);
	assert_true(e.waits < 3 * (unsigned long)NCLIENTS);
	ul_run_for(SEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_blocking_recv_two_switches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocking_epoll_wait_two_switches, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_blocking_poll_two_switches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epoll_work_flat_tcp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_server_1000_tcp_clients, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
