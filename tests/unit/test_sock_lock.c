/* SPDX-License-Identifier: MIT */
/* The socket lock's waiters on the shared, hashed wait-queue heads (socket_lock_t's
 * DIVERGES in net/sock.h): two tasks contend for one sock's lock while a third waits for
 * another sock hashed to the same head; each release wakes a waiter of its own sock only,
 * so everyone gets its lock and nobody sleeps forever (sim, then posix threads).
 * Mirrors the behaviour of linux/net/core/sock.c (3.10): lock_sock_nested, __lock_sock,
 * release_sock, lock_sock_fast, unlock_sock_fast. */
#include <errno.h>
#include <string.h>
#include "harness.h"
#include "tcp_bulk_testutil.h"
#include "linux/fs.h"
#include "linux/in.h"
#include "linux/net.h"
#include "linux/sched.h"
#include "net/sock.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define MS 1000000ULL


/* Entries on @q (bounded walk). */
static int head_len(wait_queue_head_t *q)
{
	struct list_head *pos;
	int n = 0;

	spin_lock(&q->lock);
	list_for_each(pos, &q->task_list)
		if (++n > 64)
			break;
	spin_unlock(&q->lock);
	return n;
}

/* Opens UDP sockets until two hash to the same head: at most SK_LOCK_WAIT_TABLE_SIZE + 1
 * (pigeonhole). Returns the pair's fds in @a / @b; every other fd is closed. */
static void colliding_pair(int *a, int *b)
{
	static int fds[SK_LOCK_WAIT_TABLE_SIZE + 1];
	int n, i, j;

	*a = *b = -1;
	for (n = 0; n < SK_LOCK_WAIT_TABLE_SIZE + 1 && *a < 0; n++) {
		fds[n] = ul_socket(AF_INET, SOCK_DGRAM, 0);
		assert_true(fds[n] >= 0);
		for (i = 0; i < n; i++)
			if (sk_lock_waitqueue(sk_of(fds[i])) == sk_lock_waitqueue(sk_of(fds[n]))) {
				*a = fds[i];
				*b = fds[n];
				break;
			}
	}
	assert_true(*a >= 0);
	for (j = 0; j < n; j++)
		if (fds[j] != *a && fds[j] != *b)
			assert_int_equal(ul_close(fds[j]), 0);
}

/* The hash spreads a slab's socks: of 64 socks, no head holds more than a few. */
static void test_hash_spreads(void **state)
{
	int fds[64], i, j, max = 0;

	(void)state;
	for (i = 0; i < 64; i++) {
		fds[i] = ul_socket(AF_INET, SOCK_DGRAM, 0);
		assert_true(fds[i] >= 0);
		/* The same sock always hashes to the same head. */
		assert_ptr_equal(sk_lock_waitqueue(sk_of(fds[i])), sk_lock_waitqueue(sk_of(fds[i])));
	}
	for (i = 0; i < 64; i++) {
		int same = 0;

		for (j = 0; j < 64; j++)
			same += sk_lock_waitqueue(sk_of(fds[i])) == sk_lock_waitqueue(sk_of(fds[j]));
		max = same > max ? same : max;
	}
	assert_true(max >= 1 && max <= 4);
	for (i = 0; i < 64; i++)
		assert_int_equal(ul_close(fds[i]), 0);
}

struct locker {
	struct sock *sk;
	int *inside;		/* owners of sk right now (must never exceed 1) */
	int got;		/* 1 once it owned the sock */
	int held_ms;		/* how long it keeps it */
	int overlap;		/* saw another owner inside */
	int fast;		/* use lock_sock_fast / unlock_sock_fast */
};

static int locker_fn(void *arg)
{
	struct locker *l = arg;
	bool slow = true;

	if (l->fast)
		slow = lock_sock_fast(l->sk);
	else
		lock_sock(l->sk);
	if (++*l->inside != 1)
		l->overlap = 1;
	l->got = 1;
	/* lock_sock_fast took the slow path: it had to wait for the owner and owns the sock
	 * as lock_sock does, so it may sleep while holding it. */
	if (slow && l->held_ms)
		ul_sleep((u64)l->held_ms * MS);
	--*l->inside;
	if (l->fast)
		unlock_sock_fast(l->sk, slow);
	else
		release_sock(l->sk);
	return 0;
}

/* Sim: the test owns socks A and B (same head); B1 and B2 wait for A, C for B, queued in
 * that order. Releasing B must wake C although B1 and B2 sit ahead of it on the head (an
 * unkeyed exclusive wakeup would wake B1 and leave C asleep forever); releasing A wakes
 * B1, whose release wakes B2. */
static void test_contend_shared_head(void **state)
{
	int fa, fb, inside_a = 0, inside_b = 0;
	struct locker b1 = { .inside = &inside_a, .held_ms = 2 };
	struct locker b2 = { .inside = &inside_a, .held_ms = 2 };
	struct locker c = { .inside = &inside_b, .held_ms = 2, .fast = 1 };
	struct ul_task *t1, *t2, *t3;
	wait_queue_head_t *q;

	(void)state;
	colliding_pair(&fa, &fb);
	b1.sk = b2.sk = sk_of(fa);
	c.sk = sk_of(fb);
	q = sk_lock_waitqueue(b1.sk);
	assert_ptr_equal(q, sk_lock_waitqueue(c.sk));
	assert_int_equal(head_len(q), 0);

	lock_sock(b1.sk);
	lock_sock(c.sk);
	t1 = ul_task_spawn(NULL, "b1", 0, locker_fn, &b1);
	assert_non_null(t1);
	ul_run_for(1 * MS);
	t2 = ul_task_spawn(NULL, "b2", 1, locker_fn, &b2);
	assert_non_null(t2);
	ul_run_for(1 * MS);
	t3 = ul_task_spawn(NULL, "c", 0, locker_fn, &c);
	assert_non_null(t3);
	ul_run_for(1 * MS);
	/* All three asleep on the one head. */
	assert_int_equal(head_len(q), 3);
	assert_int_equal(b1.got + b2.got + c.got, 0);

	release_sock(c.sk);
	ul_run_for(1 * MS);
	assert_int_equal(c.got, 1);
	assert_int_equal(b1.got + b2.got, 0);
	assert_int_equal(head_len(q), 2);
	assert_true(sock_owned_by_user(c.sk));	/* c holds it (sleeping inside) */
	ul_run_for(5 * MS);
	assert_false(sock_owned_by_user(c.sk));
	assert_int_equal(ul_task_join(t3), 0);

	release_sock(b1.sk);
	ul_run_for(1 * MS);
	assert_int_equal(b1.got, 1);
	assert_int_equal(b2.got, 0);	/* exclusive: one waiter per release */
	assert_int_equal(head_len(q), 1);
	assert_int_equal(ul_task_join(t1), 0);
	assert_int_equal(ul_task_join(t2), 0);
	assert_int_equal(b2.got, 1);
	assert_int_equal(head_len(q), 0);
	assert_false(sock_owned_by_user(b1.sk));
	assert_int_equal(b1.overlap + b2.overlap + c.overlap, 0);
	assert_int_equal(ul_close(fa), 0);
	assert_int_equal(ul_close(fb), 0);
}

/* A release with nobody waiting for this sock leaves other socks' waiters asleep. */
static void test_release_other_sock(void **state)
{
	int fa, fb, inside = 0;
	struct locker w = { .inside = &inside };
	struct ul_task *t;
	wait_queue_head_t *q;

	(void)state;
	colliding_pair(&fa, &fb);
	w.sk = sk_of(fa);
	q = sk_lock_waitqueue(w.sk);
	lock_sock(w.sk);
	t = ul_task_spawn(NULL, "w", 0, locker_fn, &w);
	assert_non_null(t);
	ul_run_for(1 * MS);
	assert_int_equal(head_len(q), 1);
	/* B, same head, taken and released twice: w stays asleep. */
	lock_sock(sk_of(fb));
	release_sock(sk_of(fb));
	assert_false(lock_sock_fast(sk_of(fb)));
	unlock_sock_fast(sk_of(fb), false);
	ul_run_for(1 * MS);
	assert_int_equal(w.got, 0);
	assert_int_equal(head_len(q), 1);
	release_sock(w.sk);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(w.got, 1);
	assert_int_equal(head_len(q), 0);
	assert_int_equal(ul_close(fa), 0);
	assert_int_equal(ul_close(fb), 0);
}

/* Posix: real threads. Two threads take sock A's lock and one sock B's (same head), each
 * many times, holding it a few microseconds; the counts show mutual exclusion and every
 * thread finishes (a lost wakeup would leave one asleep: the join would never return). */
struct hammer {
	struct sock *sk;
	unsigned long *count;
	int rounds;
	int fast;
};

static int hammer_fn(void *arg)
{
	struct hammer *h = arg;
	int i;

	for (i = 0; i < h->rounds; i++) {
		bool slow = true;
		unsigned long v;
		u64 t0;

		if (h->fast && (i & 1))
			slow = lock_sock_fast(h->sk);
		else
			lock_sock(h->sk);
		v = *h->count;
		t0 = ul_now_ns();
		while (ul_now_ns() - t0 < 2000)	/* 2 us inside: contention */
			;
		*h->count = v + 1;
		if (h->fast && (i & 1))
			unlock_sock_fast(h->sk, slow);
		else
			release_sock(h->sk);
	}
	return 0;
}

static void test_posix_threads(void **state)
{
	enum { ROUNDS = 3000 };
	unsigned long ca = 0, cb = 0;
	struct hammer h1 = { .count = &ca, .rounds = ROUNDS };
	struct hammer h2 = { .count = &ca, .rounds = ROUNDS, .fast = 1 };
	struct hammer h3 = { .count = &cb, .rounds = ROUNDS };
	struct ul_task *t1, *t2, *t3;
	int fa, fb;

	(void)state;
	colliding_pair(&fa, &fb);
	h1.sk = h2.sk = sk_of(fa);
	h3.sk = sk_of(fb);
	t1 = ul_task_spawn(NULL, "h1", 0, hammer_fn, &h1);
	t2 = ul_task_spawn(NULL, "h2", 1, hammer_fn, &h2);
	t3 = ul_task_spawn(NULL, "h3", 1, hammer_fn, &h3);
	assert_non_null(t1);
	assert_non_null(t2);
	assert_non_null(t3);
	assert_int_equal(ul_task_join(t1), 0);
	assert_int_equal(ul_task_join(t2), 0);
	assert_int_equal(ul_task_join(t3), 0);
	assert_int_equal(ca, 2 * ROUNDS);
	assert_int_equal(cb, ROUNDS);
	assert_int_equal(head_len(sk_lock_waitqueue(h1.sk)), 0);
	assert_false(sock_owned_by_user(h1.sk));
	assert_false(sock_owned_by_user(h3.sk));
	assert_int_equal(ul_close(fa), 0);
	assert_int_equal(ul_close(fb), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hash_spreads, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_contend_shared_head, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_release_other_sock, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_posix_threads, ul_test_setup_posix,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
