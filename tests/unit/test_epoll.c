/* SPDX-License-Identifier: MIT */
/* epoll (book ch3): every errno of epoll_create1/epoll_ctl/epoll_wait, level- vs
 * edge-triggered reports (data arriving while not reading, partial reads under EPOLLET),
 * EPOLLONESHOT re-armed by EPOLL_CTL_MOD, timeouts in virtual time, a blocking epoll_wait
 * woken by UDP data (two context switches), epoll_wait's work flat from 10 to 10,000 idle
 * sockets, epoll inside epoll, closing a watched fd, and a single-threaded epoll echo
 * server (Redis-style) serving 1,000 AF_UNIX clients.
 * Mirrors the behaviour of linux/fs/eventpoll.c (3.10). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include "harness.h"
#include "net_testutil.h"
#include "linux/eventpoll.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/sched.h"
#include "linux/slab.h"
#include "net/net_namespace.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)

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
	tnet = NULL;
	return ul_test_teardown_netns(state, "t");
}

static struct sockaddr_in sin_lo(int port)
{
	return ul_test_sin("127.0.0.1", port);
}

static int udp_bound(int port)
{
	return ul_test_udp_bound("127.0.0.1", port);
}

static void udp_send(int fd, int port, const char *msg)
{
	struct sockaddr_in to = sin_lo(port);

	assert_int_equal(ul_sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)strlen(msg));
}

static int ep_add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return ul_epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

/* ------------------------------------------------------------------------------------------
 * errno paths. */

static void test_errnos(void **state)
{
	struct epoll_event ev = { .events = EPOLLIN }, out[4];
	int ep, ep2, u, m, flags;

	/* epoll_create1: unknown flags; epoll_create: size must be positive. */
	assert_errno(ul_epoll_create1(1), EINVAL);
	assert_errno(ul_epoll_create(0), EINVAL);
	assert_errno(ul_epoll_create(-5), EINVAL);
	{
		struct kmem_cache_stats k0, k1;

		/* struct eventpoll is a kmalloc'ed object (kmalloc-192 in 3.10 and here). */
		assert_int_equal(kmem_cache_stats_by_name("kmalloc-192", &k0), 0);
		ep = ul_epoll_create1(EPOLL_CLOEXEC);
		assert_true(ep >= 0);
		assert_int_equal(kmem_cache_stats_by_name("kmalloc-192", &k1), 0);
		assert_int_equal(k1.active_objs - k0.active_objs, 1);
	}
	flags = ul_fcntl(ep, F_GETFD);
	assert_int_equal(flags, FD_CLOEXEC);
	ep2 = ul_epoll_create(1);
	assert_true(ep2 >= 0);
	assert_int_equal(ul_fcntl(ep2, F_GETFD), 0);
	u = ul_socket(AF_INET, SOCK_DGRAM, 0);
	m = ul_memfd_create("f", 0);
	assert_true(u >= 0 && m >= 0);

	/* epoll_ctl. */
	assert_errno(ul_epoll_ctl(ep, EPOLL_CTL_ADD, u, NULL), EFAULT);
	assert_errno(ul_epoll_ctl(ep, EPOLL_CTL_MOD, u, NULL), EFAULT);
	assert_errno(ul_epoll_ctl(999, EPOLL_CTL_ADD, u, &ev), EBADF);
	assert_errno(ul_epoll_ctl(-1, EPOLL_CTL_ADD, u, &ev), EBADF);
	assert_errno(ul_epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev), EBADF);
	assert_errno(ul_epoll_ctl(u, EPOLL_CTL_ADD, ep, &ev), EINVAL);	/* epfd not an epoll */
	assert_errno(ul_epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);	/* itself */
	assert_errno(ul_epoll_ctl(ep, EPOLL_CTL_ADD, m, &ev), EPERM);	/* no ->poll */
	assert_errno(ul_epoll_ctl(ep, EPOLL_CTL_MOD, u, &ev), ENOENT);
	assert_errno(ul_epoll_ctl(ep, EPOLL_CTL_DEL, u, NULL), ENOENT);
	assert_int_equal(ul_epoll_ctl(ep, EPOLL_CTL_ADD, u, &ev), 0);
	assert_errno(ul_epoll_ctl(ep, EPOLL_CTL_ADD, u, &ev), EEXIST);
	assert_errno(ul_epoll_ctl(ep, 99, u, &ev), EINVAL);
	assert_int_equal(ul_epoll_ctl(ep, EPOLL_CTL_MOD, u, &ev), 0);
	assert_int_equal(ul_epoll_ctl(ep, EPOLL_CTL_DEL, u, NULL), 0);
	assert_errno(ul_epoll_ctl(ep, EPOLL_CTL_DEL, u, NULL), ENOENT);

	/* Loops: ep2 in ep, then ep in ep2 closes a cycle. */
	assert_int_equal(ep_add(ep, ep2, EPOLLIN, 2), 0);
	assert_errno(ep_add(ep2, ep, EPOLLIN, 1), ELOOP);

	/* epoll_wait. */
	assert_errno(ul_epoll_wait(ep, out, 0, 0), EINVAL);
	assert_errno(ul_epoll_wait(ep, out, -1, 0), EINVAL);
	assert_errno(ul_epoll_wait(ep, NULL, 4, 0), EFAULT);
	assert_errno(ul_epoll_wait(999, out, 4, 0), EBADF);
	assert_errno(ul_epoll_wait(u, out, 4, 0), EINVAL);
	assert_int_equal(ul_epoll_wait(ep, out, 4, 0), 0);

	assert_int_equal(ul_close(u), 0);
	assert_int_equal(ul_close(m), 0);
	assert_int_equal(ul_close(ep2), 0);
	assert_int_equal(ul_close(ep), 0);
}

/* Nesting: a chain e0 in e1 ... in e5 is allowed; putting e5 in e6 makes the instances
 * below e6 five deep: ELOOP (EP_MAX_NESTS 4, counted as 3.10's ep_call_nested does). */
static void test_nesting_depth(void **state)
{
	int e[7], i;

	for (i = 0; i < 7; i++) {
		e[i] = ul_epoll_create1(0);
		assert_true(e[i] >= 0);
	}
	for (i = 0; i < 5; i++)
		assert_int_equal(ep_add(e[i + 1], e[i], EPOLLIN, (uint64_t)i), 0);
	assert_errno(ep_add(e[6], e[5], EPOLLIN, 5), ELOOP);
	/* A shorter chain still fits under e6. */
	assert_int_equal(ep_add(e[6], e[4], EPOLLIN, 4), 0);
	/* Closing an inner epoll while watched unhooks it (leak check at teardown). */
	for (i = 0; i < 7; i++)
		assert_int_equal(ul_close(e[i]), 0);
}

/* ------------------------------------------------------------------------------------------
 * Level vs edge. */

static void test_level_vs_edge(void **state)
{
	struct epoll_event out[4];
	struct ep_work_stats w0, w1;
	char buf[64];
	int r = udp_bound(6000), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	int lt = ul_epoll_create1(0), et = ul_epoll_create1(0);

	assert_int_equal(ep_add(lt, r, EPOLLIN, 0x1111), 0);
	assert_int_equal(ep_add(et, r, EPOLLIN | EPOLLET, 0x2222), 0);
	assert_int_equal(ul_epoll_wait(lt, out, 4, 0), 0);
	assert_int_equal(ul_epoll_wait(et, out, 4, 0), 0);

	/* One datagram: both report it once. */
	ep_work_stats_get(&w0);
	udp_send(s, 6000, "one");
	ep_work_stats_get(&w1);
	assert_int_equal(w1.callbacks - w0.callbacks, 2);	/* one per epoll */
	assert_int_equal(ul_epoll_wait(lt, out, 4, 0), 1);
	assert_int_equal(out[0].events, EPOLLIN);
	assert_int_equal(out[0].data.u64, 0x1111);
	assert_int_equal(ul_epoll_wait(et, out, 4, 0), 1);
	assert_int_equal(out[0].data.u64, 0x2222);

	/* Not read: level-triggered keeps reporting it, edge-triggered does not. */
	assert_int_equal(ul_epoll_wait(lt, out, 4, 0), 1);
	assert_int_equal(ul_epoll_wait(lt, out, 4, 0), 1);
	assert_int_equal(ul_epoll_wait(et, out, 4, 0), 0);

	/* Data arriving while not reading is a new edge. */
	udp_send(s, 6000, "two");
	assert_int_equal(ul_epoll_wait(et, out, 4, 0), 1);
	assert_int_equal(ul_epoll_wait(et, out, 4, 0), 0);

	/* Partial read under EPOLLET: one of two datagrams read, the other stays queued but
	 * no event comes (the classic ET starvation); level still reports it. */
	assert_int_equal(ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT), 3);
	assert_int_equal(ul_epoll_wait(et, out, 4, 0), 0);
	assert_int_equal(ul_epoll_wait(lt, out, 4, 0), 1);

	/* All read: level stops too (the item is polled, found idle and dropped). */
	assert_int_equal(ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT), 3);
	assert_int_equal(ul_epoll_wait(lt, out, 4, 0), 0);
	assert_int_equal(ul_epoll_wait(lt, out, 4, 0), 0);

	/* EPOLLOUT: a UDP socket is writable; level reports it every time. */
	{
		struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.u64 = 7 };

		assert_int_equal(ul_epoll_ctl(lt, EPOLL_CTL_MOD, r, &ev), 0);
		assert_int_equal(ul_epoll_wait(lt, out, 4, 0), 1);
		assert_int_equal(out[0].events, EPOLLOUT);
		assert_int_equal(ul_epoll_wait(lt, out, 4, 0), 1);
	}
	assert_int_equal(ul_close(lt), 0);
	assert_int_equal(ul_close(et), 0);
	assert_int_equal(ul_close(r), 0);
	assert_int_equal(ul_close(s), 0);
}

static void test_oneshot(void **state)
{
	struct epoll_event out[2], ev = { .events = EPOLLIN | EPOLLONESHOT, .data.u64 = 9 };
	int r = udp_bound(6001), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	int ep = ul_epoll_create1(0);

	assert_int_equal(ul_epoll_ctl(ep, EPOLL_CTL_ADD, r, &ev), 0);
	udp_send(s, 6001, "a");
	assert_int_equal(ul_epoll_wait(ep, out, 2, 0), 1);
	assert_int_equal(out[0].data.u64, 9);
	/* Disarmed: neither the unread datagram nor a new one is reported. */
	assert_int_equal(ul_epoll_wait(ep, out, 2, 0), 0);
	udp_send(s, 6001, "b");
	assert_int_equal(ul_epoll_wait(ep, out, 2, 0), 0);
	/* EPOLL_CTL_MOD re-arms, and the queued data is reported at once. */
	ev.data.u64 = 10;
	assert_int_equal(ul_epoll_ctl(ep, EPOLL_CTL_MOD, r, &ev), 0);
	assert_int_equal(ul_epoll_wait(ep, out, 2, 0), 1);
	assert_int_equal(out[0].data.u64, 10);
	assert_int_equal(ul_epoll_wait(ep, out, 2, 0), 0);
	assert_int_equal(ul_close(ep), 0);
	assert_int_equal(ul_close(r), 0);
	assert_int_equal(ul_close(s), 0);
}

/* maxevents smaller than the ready items: the rest comes next time, in order. */
static void test_maxevents(void **state)
{
	struct epoll_event out[8];
	int r[3], s = ul_socket(AF_INET, SOCK_DGRAM, 0), ep = ul_epoll_create1(0), i;

	for (i = 0; i < 3; i++) {
		r[i] = udp_bound(6100 + i);
		assert_int_equal(ep_add(ep, r[i], EPOLLIN | EPOLLET, (uint64_t)i), 0);
	}
	for (i = 0; i < 3; i++)
		udp_send(s, 6100 + i, "x");
	assert_int_equal(ul_epoll_wait(ep, out, 2, 0), 2);
	assert_int_equal(out[0].data.u64, 0);
	assert_int_equal(out[1].data.u64, 1);
	assert_int_equal(ul_epoll_wait(ep, out, 8, 0), 1);
	assert_int_equal(out[0].data.u64, 2);
	assert_int_equal(ul_epoll_wait(ep, out, 8, 0), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(ul_close(r[i]), 0);
	assert_int_equal(ul_close(ep), 0);
	assert_int_equal(ul_close(s), 0);
}

/* ------------------------------------------------------------------------------------------
 * Blocking: timeouts and wakeups. */

struct waiter {
	int ep;
	int timeout;
	int ret, err;
	u64 t0, t1;
	unsigned long nvcsw;
	struct epoll_event ev;
	int ready;
};

static int waiter_task(void *arg)
{
	struct waiter *w = arg;
	struct ul_task_stats st0, st1;

	ul_task_stats(NULL, &st0);
	w->ready = 1;
	w->t0 = ul_now_ns();
	errno = 0;
	w->ret = ul_epoll_wait(w->ep, &w->ev, 1, w->timeout);
	w->err = errno;
	w->t1 = ul_now_ns();
	ul_task_stats(NULL, &st1);
	w->nvcsw = st1.nvcsw - st0.nvcsw;
	return 0;
}

/* Tasks have their own fd tables: each task makes the sockets and epolls it uses. */
struct udp_wait_arg {
	struct waiter w;
	int port;
	u64 sent_at;
};

static int udp_waiter_task(void *arg)
{
	struct udp_wait_arg *a = arg;
	char buf[16];
	int r = udp_bound(a->port);

	a->w.ep = ul_epoll_create1(0);
	if (ep_add(a->w.ep, r, EPOLLIN, 77))
		return 1;
	waiter_task(&a->w);
	if (a->w.ret == 1 && ul_recv(r, buf, sizeof(buf), 0) != 5)
		return 2;
	ul_close(a->w.ep);
	ul_close(r);
	return 0;
}

static int udp_sender_task(void *arg)
{
	struct udp_wait_arg *a = arg;
	int s, guard = 0;

	while (!a->w.ready && ++guard < 1000)
		ul_sleep(MS);
	ul_sleep(5 * MS);
	s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	a->sent_at = ul_now_ns();
	udp_send(s, a->port, "hello");
	ul_close(s);
	return 0;
}

/* Book ch3: epoll_wait blocks when nothing is ready (epoll is blocking too), and the
 * wakeup costs the same two context switches as a blocking recv: one voluntary switch out,
 * one back in when ep_poll_callback wakes ep->wq. */
static int timeout_task(void *arg);

static void run_blocking_wait(bool posix)
{
	struct udp_wait_arg a = { .port = 6002 };
	struct ul_task *w, *s;

	a.w.timeout = -1;
	w = ul_task_spawn("t", "epoll-waiter", 0, udp_waiter_task, &a);
	s = ul_task_spawn("t", "sender", 1, udp_sender_task, &a);
	assert_non_null(w);
	assert_non_null(s);
	assert_int_equal(ul_task_join(w), 0);
	assert_int_equal(ul_task_join(s), 0);
	assert_int_equal(a.w.ret, 1);
	assert_int_equal(a.w.ev.events, EPOLLIN);
	assert_int_equal(a.w.ev.data.u64, 77);
	assert_true(a.w.t1 >= a.sent_at);
	if (posix) {
		/* Real threads: at least the one switch of the sleep. */
		assert_true(a.w.nvcsw >= 1);
		return;
	}
	assert_int_equal(a.w.nvcsw, 1);
	assert_true(a.w.t1 - a.sent_at < MS);
}

static void test_blocking_wait_woken_by_udp(void **state)
{
	run_blocking_wait(false);
}

static void test_blocking_wait_posix(void **state)
{
	run_blocking_wait(true);
}

/* The posix runtime: the timeout is real time. */
static void test_timeout_posix(void **state)
{
	struct waiter w = { .timeout = 50 };
	struct ul_task *t = ul_task_spawn("t", "timeout", 0, timeout_task, &w);

	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(w.ret, 0);
	assert_true(w.t1 - w.t0 >= 49 * MS);
	assert_true(w.t1 - w.t0 < 2000 * MS);
}

static int timeout_task(void *arg)
{
	struct waiter *w = arg;
	int r = udp_bound(6003);

	w->ep = ul_epoll_create1(0);
	if (ep_add(w->ep, r, EPOLLIN, 1))
		return 1;
	waiter_task(w);
	ul_close(w->ep);
	ul_close(r);
	return 0;
}

/* The timeout runs on the virtual clock: 250 ms of nothing returns 0 after 250 ms. */
static void test_timeout_virtual_time(void **state)
{
	struct waiter w = { .timeout = 250 };
	struct ul_task *t = ul_task_spawn("t", "timeout", 0, timeout_task, &w);
	u64 wall0 = ul_now_ns();

	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(w.ret, 0);
	assert_true(w.t1 - w.t0 >= 250 * MS);
	assert_true(w.t1 - w.t0 <= 252 * MS);
	assert_int_equal(w.nvcsw, 1);
	assert_true(ul_now_ns() - wall0 >= 250 * MS);
}

/* ------------------------------------------------------------------------------------------
 * Scaling (book ch3: why epoll scales). */

/* Work of one epoll_wait that finds the one active socket among @n idle ones. */
static unsigned long visits_with_idle(int n)
{
	struct epoll_event out[4];
	struct ep_work_stats w0, w1;
	struct rlimit rl = { .rlim_cur = 20000, .rlim_max = 20000 };
	int *fds = calloc((size_t)n, sizeof(int));
	int ep, r, s, i;
	char buf[8];

	assert_non_null(fds);
	assert_int_equal(ul_setrlimit(RLIMIT_NOFILE, &rl), 0);
	ep = ul_epoll_create1(0);
	for (i = 0; i < n; i++) {
		fds[i] = ul_socket(AF_INET, SOCK_DGRAM, 0);
		assert_true(fds[i] >= 0);
		assert_int_equal(ep_add(ep, fds[i], EPOLLIN, (uint64_t)i), 0);
	}
	r = udp_bound(6004);
	s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(ep_add(ep, r, EPOLLIN, 0xabc), 0);
	udp_send(s, 6004, "ping");

	ep_work_stats_get(&w0);
	assert_int_equal(ul_epoll_wait(ep, out, 4, 0), 1);
	assert_int_equal(out[0].data.u64, 0xabc);
	assert_int_equal(ul_recv(r, buf, sizeof(buf), 0), 4);
	assert_int_equal(ul_epoll_wait(ep, out, 4, 0), 0);
	ep_work_stats_get(&w1);

	for (i = 0; i < n; i++)
		ul_close(fds[i]);
	ul_close(r);
	ul_close(s);
	ul_close(ep);
	free(fds);
	return w1.items_visited - w0.items_visited;
}

struct flat_arg {
	unsigned long v10, v10000;
};

/* In a task: its fd table (grown to 10,000 fds) goes when it exits. */
static int flat_task(void *arg)
{
	struct flat_arg *a = arg;

	a->v10 = visits_with_idle(10);
	a->v10000 = visits_with_idle(10000);
	return 0;
}

static void test_work_flat_with_idle_sockets(void **state)
{
	struct flat_arg a = { 0 };
	struct ul_task *t = ul_task_spawn("t", "flat", 0, flat_task, &a);
	unsigned long v10, v10000;

	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	v10 = a.v10;
	v10000 = a.v10000;

	/* Two epoll_waits: the first visits the ready item (and, level-triggered, puts it
	 * back), the second visits it again, finds it idle and drops it. Idle sockets are
	 * never visited. */
	assert_int_equal(v10, 2);
	assert_int_equal(v10000, 2);
}

/* ------------------------------------------------------------------------------------------
 * epoll in epoll; closing a watched fd. */

static void test_epoll_in_epoll_and_close(void **state)
{
	struct epoll_event out[2];
	struct pollfd pfd;
	int r = udp_bound(6005), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	int inner = ul_epoll_create1(0), outer = ul_epoll_create1(0);
	struct kmem_cache_stats epi0, epi1;

	assert_int_equal(ep_add(inner, r, EPOLLIN, 1), 0);
	assert_int_equal(ep_add(outer, inner, EPOLLIN, 2), 0);
	assert_int_equal(ul_epoll_wait(outer, out, 2, 0), 0);
	pfd.fd = inner;
	pfd.events = POLLIN;
	assert_int_equal(ul_poll(&pfd, 1, 0), 0);

	udp_send(s, 6005, "z");
	/* The inner epoll became readable: the outer reports it, and poll() too. */
	assert_int_equal(ul_epoll_wait(outer, out, 2, 0), 1);
	assert_int_equal(out[0].data.u64, 2);
	assert_int_equal(out[0].events, EPOLLIN);
	assert_int_equal(ul_poll(&pfd, 1, 0), 1);
	assert_int_equal(pfd.revents, POLLIN);
	assert_int_equal(ul_epoll_wait(inner, out, 2, 0), 1);
	assert_int_equal(out[0].data.u64, 1);

	/* Closing the socket (its last reference) removes it from the epoll: its epitem and
	 * eppoll_entry go back to their caches. */
	assert_int_equal(kmem_cache_stats_by_name("eventpoll_epi", &epi0), 0);
	assert_int_equal(epi0.active_objs, 2);
	/* One eppoll_entry per wait queue: the socket's sk_sleep, the inner epoll's
	 * poll_wait. */
	assert_int_equal(kmem_cache_stats_by_name("eventpoll_pwq", &epi1), 0);
	assert_int_equal(epi1.active_objs, 2);
	assert_int_equal(ul_close(r), 0);
	assert_int_equal(kmem_cache_stats_by_name("eventpoll_epi", &epi1), 0);
	assert_int_equal(epi1.active_objs, 1);
	assert_int_equal(ul_epoll_wait(inner, out, 2, 0), 0);
	assert_int_equal(ul_epoll_wait(outer, out, 2, 0), 0);
	assert_int_equal(ul_close(inner), 0);
	assert_int_equal(ul_close(outer), 0);
	assert_int_equal(ul_close(s), 0);
}

/* ------------------------------------------------------------------------------------------
 * A single-threaded epoll echo server over AF_UNIX: 1,000 clients at once. */

#define NCLIENTS 1000

struct echo {
	int nclients;
	int served, accepted, closed, errors;
	unsigned long server_nvcsw, waits;
	int client_ok;
	int server_ready;
};

static void raise_nofile(void)
{
	struct rlimit rl = { .rlim_cur = 4096, .rlim_max = 4096 };

	ul_setrlimit(RLIMIT_NOFILE, &rl);
}

static int echo_server(void *arg)
{
	struct echo *e = arg;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct epoll_event evs[64];
	struct ul_task_stats st0, st1;
	int lfd, ep, n, i, rounds = 0;
	char buf[64];

	raise_nofile();
	strcpy(sun.sun_path, "/run/echo.sock");
	lfd = ul_socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (lfd < 0 || ul_bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    ul_listen(lfd, 128))
		return 1;
	ep = ul_epoll_create1(0);
	if (ep_add(ep, lfd, EPOLLIN, (uint64_t)lfd))
		return 2;
	e->server_ready = 1;
	ul_task_stats(NULL, &st0);
	while (e->closed < e->nclients && ++rounds < 100000) {
		n = ul_epoll_wait(ep, evs, 64, 5000);
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
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	static int fds[NCLIENTS];
	int i, guard = 0, ok;

	raise_nofile();
	strcpy(sun.sun_path, "/run/echo.sock");
	while (!e->server_ready && ++guard < 1000)
		ul_sleep(MS);
	/* All connected at once (the listener's backlog fills and connect blocks until the
	 * server accepts: the server runs meanwhile). */
	for (i = 0; i < e->nclients; i++) {
		fds[i] = ul_socket(AF_UNIX, SOCK_STREAM, 0);
		if (fds[i] < 0 || ul_connect(fds[i], (struct sockaddr *)&sun, sizeof(sun)))
			return 10;
	}
	ok = ul_test_echo_roundtrip(fds, e->nclients);
	if (ok < 0)
		return 11;
	e->client_ok = ok;
	return 0;
}

static void run_echo(int nclients, bool posix)
{
	struct echo e = { .nclients = nclients };
	struct ul_task *srv = ul_task_spawn("t", "echo-server", 0, echo_server, &e);
	struct ul_task *cli = ul_task_spawn("t", "clients", 1, echo_clients, &e);

	assert_non_null(srv);
	assert_non_null(cli);
	assert_int_equal(ul_task_join(cli), 0);
	assert_int_equal(ul_task_join(srv), 0);
	assert_int_equal(e.errors, 0);
	assert_int_equal(e.accepted, nclients);
	assert_int_equal(e.served, nclients);
	assert_int_equal(e.closed, nclients);
	assert_int_equal(e.client_ok, nclients);
	if (posix)
		return;
	/* One thread, and it sleeps only when nothing at all is ready: far fewer switches
	 * than the 3,000 events (accepts, requests, closes) it handled. */
	assert_true(e.server_nvcsw <= e.waits);
	assert_true(e.waits < 3 * (unsigned long)nclients);
}

static void test_echo_server_1000_clients(void **state)
{
	run_echo(NCLIENTS, false);
}

/* The same on real threads: server and clients run at once on two CPUs (locks, wakeups
 * across threads; run under ASan/UBSan). */
static void test_echo_server_posix(void **state)
{
	run_echo(300, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_errnos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nesting_depth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level_vs_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oneshot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_maxevents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocking_wait_woken_by_udp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_virtual_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_work_flat_with_idle_sockets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epoll_in_epoll_and_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_server_1000_clients, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocking_wait_posix, setup_posix, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_posix, setup_posix, teardown),
		cmocka_unit_test_setup_teardown(test_echo_server_posix, setup_posix, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
