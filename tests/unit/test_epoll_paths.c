/* SPDX-License-Identifier: MIT */
/* epoll topology checks at EPOLL_CTL_ADD (3.10): reverse_path_check's limits on wakeup
 * paths from one file up to epolls nobody watches (1000 of length 1, 500 of 2, 100 of 3,
 * 50 of 4, 10 of 5, none longer: EINVAL), checked both when a file is added and when an
 * epoll holding files is added; a refused ADD leaves nothing behind and a DEL makes room;
 * ep_loop_check's cycles (ELOOP) and a diamond of epolls (allowed, walked once).
 * Mirrors the behaviour of linux/fs/eventpoll.c (3.10): ep_loop_check, reverse_path_check,
 * path_count_inc, ep_call_nested. */
#include <errno.h>
#include <string.h>
#include "harness.h"
#include "unix_testutil.h"
#include "ulnet/socket.h"

static int ep_add(int ep, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return ul_epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

/* A chain: the socket @f in e[0], e[0] in e[1], ... e[n-2] in e[n-1]. */
static void chain(int f, int *e, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		e[i] = ul_epoll_create1(0);
		assert_true(e[i] >= 0);
		assert_int_equal(ep_add(e[i], i ? e[i - 1] : f), 0);
	}
}

/* Paths of length @len from the socket (a chain of len - 1 epolls, each path ending in
 * one of @limit top epolls): @limit fit, one more is EINVAL. */
static void check_limit(int len, int limit)
{
	int sv[2], e[4], top[64], i, extra;

	assert_true(len >= 2 && len <= 5 && limit < 64);
	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	chain(sv[0], e, len - 1);
	for (i = 0; i < limit; i++) {
		top[i] = ul_epoll_create1(0);
		assert_true(top[i] >= 0);
		assert_int_equal(ep_add(top[i], e[len - 2]), 0);
	}
	extra = ul_epoll_create1(0);
	assert_errno(ep_add(extra, e[len - 2]), EINVAL);
	/* Refused: not added (a DEL finds nothing, the same ADD is refused again). */
	assert_errno(ul_epoll_ctl(extra, EPOLL_CTL_DEL, e[len - 2], NULL), ENOENT);
	assert_errno(ep_add(extra, e[len - 2]), EINVAL);
	/* One path less: it fits. */
	assert_int_equal(ul_epoll_ctl(top[0], EPOLL_CTL_DEL, e[len - 2], NULL), 0);
	assert_int_equal(ep_add(extra, e[len - 2]), 0);
	/* The socket still reports through every path: wake it, every top is readable. */
	assert_int_equal(ul_send(sv[1], "w", 1, 0), 1);
	{
		struct epoll_event ev;

		assert_int_equal(ul_epoll_wait(extra, &ev, 1, 0), 1);
		assert_int_equal(ul_epoll_wait(top[limit - 1], &ev, 1, 0), 1);
		assert_int_equal(ul_epoll_wait(top[0], &ev, 1, 0), 0);
	}
	for (i = 0; i < limit; i++)
		assert_int_equal(ul_close(top[i]), 0);
	assert_int_equal(ul_close(extra), 0);
	for (i = 0; i < len - 1; i++)
		assert_int_equal(ul_close(e[i]), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

static void test_paths_of_length_5(void **state)
{
	check_limit(5, 10);
}

static void test_paths_of_length_4(void **state)
{
	check_limit(4, 50);
}

/* A path of length 6 (the socket under five epolls): EINVAL, whichever end is added
 * last. */
static void test_path_of_length_6(void **state)
{
	int sv[2], e[6], i;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	/* Bottom up: the socket in e0 ... e3 in e4 are fine (length 5), e4 in e5 is not. */
	chain(sv[0], e, 5);
	e[5] = ul_epoll_create1(0);
	assert_errno(ep_add(e[5], e[4]), EINVAL);
	for (i = 0; i < 6; i++)
		assert_int_equal(ul_close(e[i]), 0);
	/* Top down: the epolls first, the socket last. */
	for (i = 0; i < 5; i++) {
		e[i] = ul_epoll_create1(0);
		if (i)
			assert_int_equal(ep_add(e[i], e[i - 1]), 0);
	}
	assert_int_equal(ep_add(e[0], sv[0]), 0);	/* length 5 */
	e[5] = ul_epoll_create1(0);
	assert_errno(ep_add(e[5], e[4]), EINVAL);	/* would be 6 */
	/* Without the socket the same ADD is only a nesting of epolls: allowed. */
	assert_int_equal(ul_epoll_ctl(e[0], EPOLL_CTL_DEL, sv[0], NULL), 0);
	assert_int_equal(ep_add(e[5], e[4]), 0);
	/* And now the socket cannot go into e0. */
	assert_errno(ep_add(e[0], sv[0]), EINVAL);
	for (i = 0; i < 6; i++)
		assert_int_equal(ul_close(e[i]), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* Loops are ELOOP; a diamond (e0 in e1 and e2, both in e3) is no loop. */
static void test_loops_and_diamond(void **state)
{
	int e[4], sv[2], i;
	struct epoll_event ev;

	for (i = 0; i < 4; i++)
		e[i] = ul_epoll_create1(0);
	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	assert_int_equal(ep_add(e[0], sv[0]), 0);
	assert_int_equal(ep_add(e[1], e[0]), 0);
	assert_int_equal(ep_add(e[2], e[0]), 0);
	assert_int_equal(ep_add(e[3], e[1]), 0);
	assert_int_equal(ep_add(e[3], e[2]), 0);
	/* Closing the cycle anywhere: ELOOP. */
	assert_errno(ep_add(e[0], e[3]), ELOOP);
	assert_errno(ep_add(e[1], e[3]), ELOOP);
	assert_errno(ep_add(e[0], e[1]), ELOOP);
	/* The socket wakes e3 through both sides. */
	assert_int_equal(ul_send(sv[1], "d", 1, 0), 1);
	assert_int_equal(ul_epoll_wait(e[3], &ev, 1, 0), 1);
	for (i = 0; i < 4; i++)
		assert_int_equal(ul_close(e[i]), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* An epoll holding 20 sockets goes into another: every socket below is path-checked (the
 * check list grows past its 16 inline slots); a socket with too long a path up refuses
 * the ADD that would make it, from either end. */
static void test_epoll_of_many_files(void **state)
{
	int sv[20][2], e, top, c[4], i;
	struct epoll_event ev;

	e = ul_epoll_create1(0);
	top = ul_epoll_create1(0);
	for (i = 0; i < 20; i++) {
		assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv[i]), 0);
		assert_int_equal(ep_add(e, sv[i][0]), 0);
	}
	assert_int_equal(ep_add(top, e), 0);
	assert_int_equal(ul_send(sv[19][1], "m", 1, 0), 1);
	assert_int_equal(ul_epoll_wait(top, &ev, 1, 0), 1);
	/* sv[7][0] also goes at the bottom of a chain c0 <- c1 <- c2 <- c3; c3 into e would
	 * give it the path sv -> c0 -> c1 -> c2 -> c3 -> e -> top, of length 6. */
	chain(sv[7][0], c, 4);
	assert_errno(ep_add(e, c[3]), EINVAL);
	assert_int_equal(ul_epoll_ctl(top, EPOLL_CTL_DEL, e, NULL), 0);
	assert_int_equal(ep_add(e, c[3]), 0);	/* length 5 now */
	assert_errno(ep_add(top, e), EINVAL);	/* and e cannot go back */
	for (i = 0; i < 4; i++)
		assert_int_equal(ul_close(c[i]), 0);
	for (i = 0; i < 20; i++) {
		assert_int_equal(ul_close(sv[i][0]), 0);
		assert_int_equal(ul_close(sv[i][1]), 0);
	}
	assert_int_equal(ul_close(top), 0);
	assert_int_equal(ul_close(e), 0);
}

/* The large limits need more than 64 fds: a task of its own (its grown fd table goes
 * with it; the init task's would stay and count as a leak). Returns 0 or the failed
 * step. */
static int wide_paths(void *arg)
{
	int sv[2], e, t[1001], i, r = 0;

	if (ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return 1;
	/* Length 1: the socket directly in 1000 epolls; the 1001st is EINVAL (3.10.0; 3.13
	 * lifted this one). */
	for (i = 0; i < 1001; i++)
		if ((t[i] = ul_epoll_create1(0)) < 0)
			return 2;
	for (i = 0; i < 1000; i++)
		if (ep_add(t[i], sv[0]))
			return 3;
	if (ep_add(t[1000], sv[0]) != -1 || errno != EINVAL)
		r = 4;
	for (i = 0; i < 1000 && !r; i++)
		if (ul_epoll_ctl(t[i], EPOLL_CTL_DEL, sv[0], NULL))
			r = 5;
	/* Length 2: the socket in e, e in 500 epolls. An empty e goes into a 501st (no
	 * file below it to check); then the socket cannot go into e. */
	e = ul_epoll_create1(0);
	for (i = 0; i < 500 && !r; i++)
		if (ep_add(t[i], e))
			r = 6;
	if (!r && ep_add(e, sv[0]))
		r = 7;
	if (!r && (ep_add(t[500], e) != -1 || errno != EINVAL))
		r = 8;
	if (!r && ul_epoll_ctl(e, EPOLL_CTL_DEL, sv[0], NULL))
		r = 9;
	if (!r && ep_add(t[500], e))
		r = 10;
	if (!r && (ep_add(e, sv[0]) != -1 || errno != EINVAL))
		r = 11;
	for (i = 0; i < 1001; i++)
		ul_close(t[i]);
	ul_close(e);
	ul_close(sv[0]);
	ul_close(sv[1]);
	*(int *)arg = r;
	return r;
}

static void test_paths_of_length_1_and_2(void **state)
{
	int r = -1;
	struct ul_task *t = ul_task_spawn(NULL, "wide", 0, wide_paths, &r);

	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(r, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paths_of_length_5, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_paths_of_length_4, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_path_of_length_6, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_loops_and_diamond, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_epoll_of_many_files, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_paths_of_length_1_and_2, ul_test_setup_sim,
						unix_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
