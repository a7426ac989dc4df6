/* SPDX-License-Identifier: MIT */
/* Wait queue tests: exclusive versus non-exclusive wakeups with custom wake functions (no
 * tasks), then tasks sleeping with prepare_to_wait/schedule woken by another task, by a timer,
 * and exclusive waiters woken one at a time. */
#include <string.h>
#include "harness.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/sched.h"
#include "linux/timer.h"
#include "linux/wait.h"

struct probe {
	wait_queue_t wait;
	int id;
	int ret;		/* what the wake function reports */
	void *key;
	int flags;
	unsigned int mode;
};

static int calls[32], ncalls;

static int probe_wake(wait_queue_t *wait, unsigned mode, int flags, void *key)
{
	struct probe *p = container_of(wait, struct probe, wait);

	if (ncalls < 32)
		calls[ncalls++] = p->id;
	p->key = key;
	p->flags = flags;
	p->mode = mode;
	return p->ret;
}

/* Queue: non-exclusive 3, 2, 1 at the head (each added at the head), then exclusive
 * 11, 12, 13, 14 at the tail. */
static void build(wait_queue_head_t *q, struct probe *p)
{
	int i;

	init_waitqueue_head(q);
	for (i = 0; i < 7; i++) {
		init_waitqueue_func_entry(&p[i].wait, probe_wake);
		p[i].ret = 1;
		p[i].id = i < 3 ? i + 1 : 11 + (i - 3);
		if (i < 3)
			add_wait_queue(q, &p[i].wait);
		else
			add_wait_queue_exclusive(q, &p[i].wait);
	}
	ncalls = 0;
}

static void expect_calls(const int *ids, int n)
{
	int i;

	assert_int_equal(ncalls, n);
	for (i = 0; i < n; i++)
		assert_int_equal(calls[i], ids[i]);
	ncalls = 0;
}

static void test_exclusive_counts(void **state)
{
	wait_queue_head_t q;
	struct probe p[7];

	build(&q, p);
	assert_true(waitqueue_active(&q));
	assert_int_equal(p[3].wait.flags & WQ_FLAG_EXCLUSIVE, WQ_FLAG_EXCLUSIVE);
	assert_int_equal(p[0].wait.flags & WQ_FLAG_EXCLUSIVE, 0);

	/* wake_up: every non-exclusive waiter and one exclusive. */
	wake_up(&q);
	expect_calls((const int[]){ 3, 2, 1, 11 }, 4);
	assert_int_equal(p[3].mode, TASK_NORMAL);
	assert_null(p[3].key);

	wake_up_nr(&q, 2);
	expect_calls((const int[]){ 3, 2, 1, 11, 12 }, 5);

	wake_up_all(&q);
	expect_calls((const int[]){ 3, 2, 1, 11, 12, 13, 14 }, 7);

	/* An exclusive waiter that was not woken (returns 0) does not use up the count. */
	p[3].ret = 0;
	wake_up(&q);
	expect_calls((const int[]){ 3, 2, 1, 11, 12 }, 5);
	p[3].ret = 1;

	/* Poll keys reach the wake functions; the sync variant flags a single wakeup. */
	wake_up_interruptible_poll(&q, 0x41);
	expect_calls((const int[]){ 3, 2, 1, 11 }, 4);
	assert_ptr_equal(p[3].key, (void *)0x41UL);
	assert_int_equal(p[3].mode, TASK_INTERRUPTIBLE);
	assert_int_equal(p[3].flags, 0);
	wake_up_interruptible_sync_poll(&q, 0x1);
	expect_calls((const int[]){ 3, 2, 1, 11 }, 4);
	assert_int_equal(p[3].flags, 1);	/* WF_SYNC */
	__wake_up_sync_key(&q, TASK_NORMAL, 0, NULL);
	assert_int_equal(ncalls, 7);
	assert_int_equal(p[6].flags, 0);	/* not sync when waking many */
	ncalls = 0;

	/* __wake_up_locked: the caller holds the lock. */
	spin_lock(&q.lock);
	__wake_up_locked(&q, TASK_NORMAL, 1);
	spin_unlock(&q.lock);
	expect_calls((const int[]){ 3, 2, 1, 11 }, 4);

	/* Removal. */
	remove_wait_queue(&q, &p[1].wait);
	remove_wait_queue(&q, &p[3].wait);
	wake_up(&q);
	expect_calls((const int[]){ 3, 1, 12 }, 3);
	remove_wait_queue(&q, &p[1].wait);	/* twice: harmless */
	{
		int i;

		for (i = 0; i < 7; i++)
			remove_wait_queue(&q, &p[i].wait);
	}
	assert_false(waitqueue_active(&q));
	wake_up_all(&q);
	assert_int_equal(ncalls, 0);
}

/* ---- with tasks ---- */

struct waitctx {
	wait_queue_head_t wq;
	int cond;
	int tokens;
	int wakeups;		/* returns from schedule() */
	unsigned long woke_at[4];
	int done;
	struct timer_list timer;
};

static int sleeper(void *arg)
{
	struct waitctx *c = arg;
	DEFINE_WAIT(wait);
	int rounds = 0;

	for (;;) {
		prepare_to_wait(&c->wq, &wait, TASK_INTERRUPTIBLE);
		/* The state is set after queueing, under the queue lock. */
		assert_int_equal(current->state, TASK_INTERRUPTIBLE);
		assert_true(waitqueue_active(&c->wq));
		if (c->cond)
			break;
		schedule();
		c->wakeups++;
		if (++rounds > 100)
			return -1;
	}
	finish_wait(&c->wq, &wait);
	assert_int_equal(current->state, TASK_RUNNING);
	c->woke_at[0] = jiffies;
	return 0;
}

static int waker(void *arg)
{
	struct waitctx *c = arg;

	schedule_timeout_uninterruptible(10);
	c->cond = 1;
	wake_up(&c->wq);
	return 0;
}

static void test_task_woken_by_task(void **state)
{
	struct waitctx c;
	struct task_struct *s, *w;
	unsigned long start = jiffies;

	memset(&c, 0, sizeof(c));
	init_waitqueue_head(&c.wq);
	s = ul_task_create(sleeper, &c, "sleeper", 0, NULL);
	w = ul_task_create(waker, &c, "waker", 1, NULL);
	assert_non_null(s);
	assert_non_null(w);
	assert_int_equal(ul_task_join(s), 0);
	assert_int_equal(ul_task_join(w), 0);
	assert_int_equal(c.wakeups, 1);
	assert_int_equal(c.woke_at[0], start + 10);
	/* autoremove_wake_function took the entry off the queue. */
	assert_false(waitqueue_active(&c.wq));
}

static void wake_from_timer(struct timer_list *t)
{
	struct waitctx *c = from_timer(c, t, timer);

	c->cond = 1;
	wake_up_interruptible(&c->wq);
}

static void test_task_woken_by_timer(void **state)
{
	struct waitctx c;
	struct task_struct *s;
	unsigned long start = jiffies;

	memset(&c, 0, sizeof(c));
	init_waitqueue_head(&c.wq);
	timer_setup(&c.timer, wake_from_timer, 0);
	mod_timer(&c.timer, start + 250);
	s = ul_task_create(sleeper, &c, "sleeper", 1, NULL);
	assert_int_equal(ul_task_join(s), 0);
	assert_int_equal(c.wakeups, 1);
	assert_int_equal(c.woke_at[0], start + 250);
}

static int exclusive_waiter(void *arg)
{
	struct waitctx *c = arg;
	DEFINE_WAIT(wait);
	int rounds = 0;

	for (;;) {
		bool got = false;

		prepare_to_wait_exclusive(&c->wq, &wait, TASK_INTERRUPTIBLE);
		/* Tokens are taken under the queue lock (posix runs the tasks in parallel). */
		spin_lock_bh(&c->wq.lock);
		if (c->tokens > 0) {
			c->tokens--;
			got = true;
		}
		spin_unlock_bh(&c->wq.lock);
		if (got)
			break;
		schedule();
		__atomic_add_fetch(&c->wakeups, 1, __ATOMIC_SEQ_CST);
		if (++rounds > 100)
			return -1;
	}
	finish_wait(&c->wq, &wait);
	c->woke_at[__atomic_fetch_add(&c->done, 1, __ATOMIC_SEQ_CST)] = jiffies;
	return 0;
}

static int token_giver(void *arg)
{
	struct waitctx *c = arg;
	int i;

	for (i = 0; i < 3; i++) {
		schedule_timeout_uninterruptible(5);
		spin_lock_bh(&c->wq.lock);
		c->tokens++;
		spin_unlock_bh(&c->wq.lock);
		wake_up(&c->wq);
	}
	return 0;
}

/* Three acceptors, one connection at a time: each wake_up wakes exactly one of them (no
 * thundering herd: 3 wakeups in all, not 3 + 2 + 1). */
static void test_exclusive_tasks(void **state)
{
	struct task_struct *t[3], *g;
	struct waitctx c;
	unsigned long start;
	int i;

	memset(&c, 0, sizeof(c));
	init_waitqueue_head(&c.wq);
	for (i = 0; i < 3; i++) {
		t[i] = ul_task_create(exclusive_waiter, &c, "acceptor", i % 2, NULL);
		assert_non_null(t[i]);
	}
	ul_run_for(NSEC_PER_MSEC);	/* all three asleep */
	start = jiffies;
	g = ul_task_create(token_giver, &c, "giver", 0, NULL);
	for (i = 0; i < 3; i++)
		assert_int_equal(ul_task_join(t[i]), 0);
	assert_int_equal(ul_task_join(g), 0);
	assert_int_equal(c.done, 3);
	assert_int_equal(c.wakeups, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(c.woke_at[i], start + 5 * (i + 1));
	assert_false(waitqueue_active(&c.wq));
}

struct ev_ctx {
	wait_queue_head_t wq;
	int flag;
	int ret;
};

static int event_waiter(void *arg)
{
	struct ev_ctx *c = arg;

	c->ret = wait_event_interruptible(c->wq, c->flag != 0);
	return 0;
}

static int event_setter(void *arg)
{
	struct ev_ctx *c = arg;

	schedule_timeout_uninterruptible(3);
	c->flag = 1;
	wake_up_interruptible(&c->wq);
	return 0;
}

static void test_wait_event(void **state)
{
	struct ev_ctx c = { .flag = 0, .ret = -1 };
	struct task_struct *a, *b;

	init_waitqueue_head(&c.wq);
	a = ul_task_create(event_waiter, &c, "waiter", 0, NULL);
	b = ul_task_create(event_setter, &c, "setter", 1, NULL);
	assert_int_equal(ul_task_join(a), 0);
	assert_int_equal(ul_task_join(b), 0);
	assert_int_equal(c.ret, 0);
	assert_false(waitqueue_active(&c.wq));
}

/* The same on the posix runtime (threads, real time): the handshake holds, times are not
 * exact. */
static void test_posix_wakeups(void **state)
{
	struct task_struct *t[3], *g, *s, *w;
	struct waitctx c;
	int i;

	memset(&c, 0, sizeof(c));
	init_waitqueue_head(&c.wq);
	s = ul_task_create(sleeper, &c, "sleeper", 0, NULL);
	w = ul_task_create(waker, &c, "waker", 1, NULL);
	assert_int_equal(ul_task_join(s), 0);
	assert_int_equal(ul_task_join(w), 0);
	assert_true(c.wakeups >= 0 && c.wakeups <= 1);
	assert_false(waitqueue_active(&c.wq));

	memset(&c, 0, sizeof(c));
	init_waitqueue_head(&c.wq);
	for (i = 0; i < 3; i++)
		t[i] = ul_task_create(exclusive_waiter, &c, "acceptor", i % 2, NULL);
	g = ul_task_create(token_giver, &c, "giver", 0, NULL);
	for (i = 0; i < 3; i++)
		assert_int_equal(ul_task_join(t[i]), 0);
	assert_int_equal(ul_task_join(g), 0);
	assert_int_equal(c.done, 3);
	assert_true(c.wakeups <= 3);	/* never a herd */
	assert_false(waitqueue_active(&c.wq));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, ul_test_setup_sim, ul_test_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exclusive_counts),
		T(test_task_woken_by_task),
		T(test_task_woken_by_timer),
		T(test_exclusive_tasks),
		T(test_wait_event),
		cmocka_unit_test_setup_teardown(test_posix_wakeups, ul_test_setup_posix,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
