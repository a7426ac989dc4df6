/* SPDX-License-Identifier: MIT */
/* poll(2): errnos, POLLNVAL, regular files, masks of UDP and AF_UNIX sockets (POLLIN,
 * POLLOUT, POLLHUP, POLLRDHUP, POLLERR), timeouts in virtual time, a blocking poll woken by
 * UDP data, and poll's cost growing with the number of fds (what epoll avoids).
 * Mirrors the behaviour of linux/fs/select.c (3.10). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include "harness.h"
#include "net_testutil.h"
#include "linux/netdevice.h"
#include "linux/poll.h"
#include "linux/rtnetlink.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)

static int setup(void **state)
{
	struct net *tnet;

	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
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

static void test_errnos_and_masks(void **state)
{
	struct pollfd p[4];
	struct rlimit rl;
	int u = udp_bound(7000), m = ul_memfd_create("m", 0), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = sin_lo(7000);

	assert_int_equal(ul_getrlimit(RLIMIT_NOFILE, &rl), 0);
	assert_errno(ul_poll(p, (nfds_t)rl.rlim_cur + 1, 0), EINVAL);
	assert_errno(ul_poll(NULL, 1, 0), EFAULT);
	assert_int_equal(ul_poll(NULL, 0, 0), 0);

	/* A closed fd: POLLNVAL (counted); a negative fd: ignored, revents 0. */
	p[0] = (struct pollfd){ .fd = 999, .events = POLLIN, .revents = 0x55 };
	p[1] = (struct pollfd){ .fd = -1, .events = POLLIN, .revents = 0x55 };
	/* A regular file is always ready (DEFAULT_POLLMASK, masked by events). */
	p[2] = (struct pollfd){ .fd = m, .events = POLLIN | POLLOUT };
	/* An idle UDP socket: writable, not readable. */
	p[3] = (struct pollfd){ .fd = u, .events = POLLIN | POLLOUT };
	assert_int_equal(ul_poll(p, 4, 0), 3);
	assert_int_equal(p[0].revents, POLLNVAL);
	assert_int_equal(p[1].revents, 0);
	assert_int_equal(p[2].revents, POLLIN | POLLOUT);
	assert_int_equal(p[3].revents, POLLOUT);

	/* Only the events asked for (plus POLLERR/POLLHUP) come back. */
	p[0] = (struct pollfd){ .fd = u, .events = POLLIN };
	assert_int_equal(ul_poll(p, 1, 0), 0);
	assert_int_equal(p[0].revents, 0);
	assert_int_equal(ul_sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	assert_int_equal(ul_poll(p, 1, 0), 1);
	assert_int_equal(p[0].revents, POLLIN);
	p[0].events = POLLIN | POLLRDNORM;
	assert_int_equal(ul_poll(p, 1, 0), 1);
	assert_int_equal(p[0].revents, POLLIN | POLLRDNORM);
	assert_int_equal(ul_close(u), 0);
	assert_int_equal(ul_close(m), 0);
	assert_int_equal(ul_close(s), 0);
}

/* AF_UNIX stream: POLLIN with data, POLLRDHUP|POLLIN after the peer's shutdown(SHUT_WR),
 * POLLHUP when both directions are shut; an unconnected stream socket reports POLLHUP. */
static void test_unix_masks(void **state)
{
	struct pollfd p;
	int sv[2], lone = ul_socket(AF_UNIX, SOCK_STREAM, 0);
	const short all = POLLIN | POLLOUT | POLLRDHUP;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	p = (struct pollfd){ .fd = sv[1], .events = all };
	assert_int_equal(ul_poll(&p, 1, 0), 1);
	assert_int_equal(p.revents, POLLOUT);
	assert_int_equal(ul_write(sv[0], "abc", 3), 3);
	assert_int_equal(ul_poll(&p, 1, 0), 1);
	assert_int_equal(p.revents, POLLIN | POLLOUT);
	assert_int_equal(ul_shutdown(sv[0], SHUT_WR), 0);
	assert_int_equal(ul_poll(&p, 1, 0), 1);
	assert_int_equal(p.revents, POLLIN | POLLOUT | POLLRDHUP);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_poll(&p, 1, 0), 1);
	assert_int_equal(p.revents, POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
	p = (struct pollfd){ .fd = lone, .events = POLLIN };
	assert_int_equal(ul_poll(&p, 1, 0), 1);
	assert_int_equal(p.revents, POLLHUP);
	assert_int_equal(ul_close(sv[1]), 0);
	assert_int_equal(ul_close(lone), 0);
}

struct pw {
	int port;
	int timeout;
	int ret;
	short revents;
	u64 t0, t1, sent_at;
	unsigned long nvcsw;
	int ready;
	int send;
};

static int poller(void *arg)
{
	struct pw *a = arg;
	struct ul_task_stats st0, st1;
	struct pollfd p[2];
	int r = udp_bound(a->port), other = udp_bound(a->port + 1);

	p[0] = (struct pollfd){ .fd = other, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = r, .events = POLLIN };
	ul_task_stats(NULL, &st0);
	a->ready = 1;
	a->t0 = ul_now_ns();
	a->ret = ul_poll(p, 2, a->timeout);
	a->t1 = ul_now_ns();
	ul_task_stats(NULL, &st1);
	a->nvcsw = st1.nvcsw - st0.nvcsw;
	a->revents = p[1].revents;
	if (p[0].revents)
		return 1;
	ul_close(r);
	ul_close(other);
	return 0;
}

static int sender(void *arg)
{
	struct pw *a = arg;
	struct sockaddr_in to = sin_lo(a->port);
	int s, guard = 0;

	while (!a->ready && ++guard < 1000)
		ul_sleep(MS);
	ul_sleep(3 * MS);
	s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	a->sent_at = ul_now_ns();
	if (ul_sendto(s, "wake", 4, 0, (struct sockaddr *)&to, sizeof(to)) != 4)
		return 1;
	return ul_close(s);
}

/* A blocking poll sleeps once and is woken by the datagram (pollwake). */
static void test_blocking_poll_woken(void **state)
{
	struct pw a = { .port = 7100, .timeout = -1 };
	struct ul_task *p = ul_task_spawn("t", "poller", 0, poller, &a);
	struct ul_task *s = ul_task_spawn("t", "sender", 1, sender, &a);

	assert_non_null(p);
	assert_non_null(s);
	assert_int_equal(ul_task_join(p), 0);
	assert_int_equal(ul_task_join(s), 0);
	assert_int_equal(a.ret, 1);
	assert_int_equal(a.revents, POLLIN);
	assert_int_equal(a.nvcsw, 1);
	assert_true(a.t1 >= a.sent_at && a.t1 - a.sent_at < MS);
}

/* The timeout is virtual time: 100 ms of nothing. */
static void test_poll_timeout(void **state)
{
	struct pw a = { .port = 7200, .timeout = 100 };
	struct ul_task *p = ul_task_spawn("t", "poller", 0, poller, &a);

	assert_non_null(p);
	assert_int_equal(ul_task_join(p), 0);
	assert_int_equal(a.ret, 0);
	assert_int_equal(a.revents, 0);
	assert_true(a.t1 - a.t0 >= 100 * MS);
	assert_true(a.t1 - a.t0 <= 102 * MS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_errnos_and_masks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unix_masks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocking_poll_woken, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll_timeout, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
