/* SPDX-License-Identifier: MIT */
/* The one connection timer (icsk_timer) under real threads, on the posix runtime: an owner
 * (lock_sock) and a bottom-half path (bh_lock_sock, not owned) arm and stop the three
 * events of a TCP sock in CLOSE (the handlers do nothing) at 1..3 jiffies while the timer
 * fires on a third; then, quiet: every event must have fired (no bit left pending), the
 * timer idle and the sock's reference count back where it started (the timer holds one
 * reference while pending). Written in the session 6 review. */
#include <errno.h>
#include <string.h>
#include "harness.h"
#include "tcp_bulk_testutil.h"
#include "linux/fs.h"
#include "linux/in.h"
#include "linux/net.h"
#include "linux/sched.h"
#include "net/inet_connection_sock.h"
#include "net/sock.h"
#include "net/tcp.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define MS 1000000ULL


struct racer {
	struct sock *sk;
	int rounds;
	int bh;
	unsigned int seed;
};

static unsigned int rnd(unsigned int *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

static void one_op(struct sock *sk, unsigned int r)
{
	unsigned long when = 1 + (r >> 4) % 3;

	switch (r % 6) {
	case 0:
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, when, TCP_RTO_MAX);
		break;
	case 1:
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_DACK, when, TCP_RTO_MAX);
		break;
	case 2:
		inet_csk_reset_keepalive_timer(sk, when);
		break;
	case 3:
		inet_csk_delete_keepalive_timer(sk);
		break;
	case 4:
		inet_csk_clear_xmit_timers(sk);
		break;
	default:
		inet_csk_timer_event_stop(sk, ICSK_TIMER_WRITE);
		break;
	}
}

static int racer_fn(void *arg)
{
	struct racer *h = arg;
	int i;

	for (i = 0; i < h->rounds; i++) {
		unsigned int r = rnd(&h->seed);
		u64 t0;

		if (h->bh) {
			local_bh_disable();
			bh_lock_sock(h->sk);
			if (!sock_owned_by_user(h->sk))
				one_op(h->sk, r);
			bh_unlock_sock(h->sk);
			local_bh_enable();
		} else {
			lock_sock(h->sk);
			one_op(h->sk, r);
			t0 = ul_now_ns();
			while (ul_now_ns() - t0 < (r & 7) * 300000ULL)	/* owned up to 2 ms */
				;
			release_sock(h->sk);
		}
		t0 = ul_now_ns();
		while (ul_now_ns() - t0 < ((r >> 8) & 3) * 200000ULL)
			;
	}
	return 0;
}

static void test_posix_arm_stop_dispatch(void **state)
{
	struct racer a = { .rounds = 3000, .bh = 0, .seed = 1 };
	struct racer b = { .rounds = 3000, .bh = 1, .seed = 7 };
	struct ul_task *ta, *tb;
	struct sock *sk;
	int fd, ref0;

	(void)state;
	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	sk = sk_of(fd);
	ref0 = atomic_read(&sk->sk_refcnt);
	a.sk = b.sk = sk;
	ta = ul_task_spawn(NULL, "owner", 0, racer_fn, &a);
	tb = ul_task_spawn(NULL, "bh", 1, racer_fn, &b);
	assert_non_null(ta);
	assert_non_null(tb);
	assert_int_equal(ul_task_join(ta), 0);
	assert_int_equal(ul_task_join(tb), 0);
	ul_run_for(300 * MS);	/* every deadline (<= 50 ms) passed: all fired */
	assert_int_equal(inet_csk(sk)->icsk_timers, 0);
	assert_false(timer_pending(&inet_csk(sk)->icsk_timer));
	assert_int_equal(atomic_read(&sk->sk_refcnt), ref0);
	assert_int_equal(ul_close(fd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_posix_arm_stop_dispatch, ul_test_setup_posix,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
