/* SPDX-License-Identifier: MIT */
/* The posix runtime's spin-then-sleep wait: a blocked task spins a bounded time for its
 * wakeup before it sleeps on its futex word, and a waker makes the futex call only for a
 * sleeper; timeouts, signals and a bounded stress loop must lose no wakeup either way.
 * Mirrors nothing in Linux: tests src/arch/posix/posix.c (task_block, task_wake, cputime)
 * with sched.c and the wait queues on real threads. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "harness.h"
#include "posix_testutil.h"
#include "arch/arch.h"
#include "linux/errno.h"
#include "linux/jiffies.h"
#include "linux/sched.h"
#include "linux/wait.h"

#define NCPUS 2
/* Everything must be over well within this (real time, a loaded machine). */
#define BOUND_NS (20 * NSEC_PER_SEC)

/* Poll (the world runs by itself on posix) until *@v reaches @target or the bound. */
static bool wait_for(const int *v, int target)
{
	return posix_wait_for(v, target, BOUND_NS);
}

/* ---- the knob ---- */

static void test_spin_knob(void **state)
{
	struct ul_config cfg = { .runtime = UL_RUNTIME_POSIX, .ncpus = NCPUS, .seed = 1 };

	/* Default, explicit, clamped, off; sim ignores it and reports 0. */
	assert_int_equal(ul_stack_create(&cfg), 0);
	assert_int_equal(ul_posix_spin_ns(), 50 * NSEC_PER_USEC);
	ul_sleep(100 * NSEC_PER_MSEC);	/* longer than the next stack's boot */
	assert_int_equal(ul_posix_set_spin_us(7), 0);
	assert_int_equal(ul_posix_spin_ns(), 7 * NSEC_PER_USEC);
	assert_int_equal(ul_posix_set_spin_us(1000000), 0);
	assert_int_equal(ul_posix_spin_ns(), 1000 * NSEC_PER_USEC);
	assert_int_equal(ul_posix_set_spin_us(-1), 0);
	assert_int_equal(ul_posix_spin_ns(), 0);
	ul_stack_destroy();
	cfg.spin_us = 20;
	assert_int_equal(ul_stack_create(&cfg), 0);
	assert_int_equal(ul_posix_spin_ns(), 20 * NSEC_PER_USEC);
	/* The thread's CPU time in a second stack: its sleeps in both are not charged (the
	 * stack clock restarts, the thread's blocked time does not). */
	{
		struct ul_task_stats st;

		ul_sleep(3 * NSEC_PER_MSEC);
		assert_int_equal(ul_task_stats(NULL, &st), 0);
		assert_true(st.utime_ns + st.stime_ns < 500 * NSEC_PER_MSEC);
	}
	ul_stack_destroy();
	cfg.spin_us = -5;
	assert_int_equal(ul_stack_create(&cfg), 0);
	assert_int_equal(ul_posix_spin_ns(), 0);
	ul_stack_destroy();
	cfg.runtime = UL_RUNTIME_SIM;
	assert_int_equal(ul_stack_create(&cfg), 0);
	assert_int_equal(ul_posix_spin_ns(), 0);
	assert_int_equal(ul_posix_set_spin_us(5), -EINVAL);
	{
		struct ul_posix_wait_stats st;

		assert_int_equal(ul_posix_wait_stats(current, &st), -EINVAL);
	}
	ul_stack_destroy();
}

/* ---- one block, woken by the test thread ---- */

struct blocker {
	int blocked;		/* 1: about to call schedule() (state set) */
	int rounds;		/* blocks done */
	int stop;
	long ret;
};

/* Blocks @n times (uninterruptibly, no wait queue: only wake_up_process ends it). */
static int block_fn(void *arg)
{
	struct blocker *b = arg;

	while (!__atomic_load_n(&b->stop, __ATOMIC_SEQ_CST)) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		__atomic_store_n(&b->blocked, 1, __ATOMIC_SEQ_CST);
		schedule();
		__atomic_store_n(&b->blocked, 0, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(&b->rounds, 1, __ATOMIC_SEQ_CST);
	}
	return 0;
}

/* Wait until @p has set its state and announced the block, give it @delay_ns to get into
 * the runtime's wait (spin or sleep), then wake it. (A host that deschedules @p for longer
 * than that makes the wakeup come before the block: schedule() then returns at once, and
 * the round counts neither as a spin nor as a sleep.) */
static void wake_after(struct blocker *b, struct task_struct *p, u64 delay_ns)
{
	assert_true(wait_for(&b->blocked, 1));
	ul_run_for(delay_ns);
	assert_int_equal(wake_up_process(p), 1);
}

static void stats(struct task_struct *p, struct ul_posix_wait_stats *st)
{
	assert_int_equal(ul_posix_wait_stats(p, st), 0);
}

static void stop_blocker(struct blocker *b, struct task_struct *p)
{
	int guard;

	__atomic_store_n(&b->stop, 1, __ATOMIC_SEQ_CST);
	/* It may be about to block once more: keep waking until it is gone. */
	for (guard = 0; READ_ONCE(p->state) != TASK_DEAD && guard < 100000; guard++) {
		wake_up_process(p);
		ul_run_for(100 * NSEC_PER_USEC);
	}
	assert_int_equal(ul_task_join(p), 0);
}

/* A wakeup while the waiter spins: no futex system call on either side. The test thread
 * may be descheduled by the host between its check and its wakeup (a loaded machine), so
 * most rounds (not all) must end in the spin. A futex wake is only ever made for a sleeper
 * (one more at most: a waker slow enough to find the task's next sleep). */
static void test_woken_while_spinning(void **state)
{
	struct blocker b = { 0 };
	struct ul_posix_wait_stats st;
	struct task_struct *p;
	int i, rounds = 40;

	assert_int_equal(ul_posix_set_spin_us(1000), 0);
	p = ul_task_create(block_fn, &b, "spinner", 1, NULL);
	assert_non_null(p);
	for (i = 0; i < rounds; i++) {
		wake_after(&b, p, 20 * NSEC_PER_USEC);
		assert_true(wait_for(&b.rounds, i + 1));
	}
	stats(p, &st);
	/* (+1: the next block, begun after the last round.) */
	assert_true(st.spin_hits + st.sleeps <= (u64)rounds + 1);
	assert_true(st.spin_hits >= (u64)rounds / 2);
	assert_true(st.futex_wakes <= st.sleeps + 1);
	stop_blocker(&b, p);
}

/* A wakeup long after the spin ended: the task sleeps and its waker makes one futex wake. */
static void test_woken_while_sleeping(void **state)
{
	struct blocker b = { 0 };
	struct ul_posix_wait_stats st;
	struct task_struct *p;
	int i;

	/* Spin off: every block sleeps. */
	assert_int_equal(ul_posix_set_spin_us(-1), 0);
	p = ul_task_create(block_fn, &b, "sleeper", 1, NULL);
	assert_non_null(p);
	for (i = 0; i < 5; i++) {
		wake_after(&b, p, 2 * NSEC_PER_MSEC);
		assert_true(wait_for(&b.rounds, i + 1));
	}
	stats(p, &st);
	assert_int_equal(st.spin_hits, 0);
	/* 2 ms to get into its sleep: all five but a freak preemption, each woken by a futex
	 * wake; maybe the next sleep begun already. */
	assert_true(st.sleeps >= 4 && st.sleeps <= 6);
	assert_true(st.futex_wakes >= 4 && st.futex_wakes <= 6);
	/* A short spin, a late wakeup: it spun, gave up and slept. */
	assert_int_equal(ul_posix_set_spin_us(5), 0);
	for (i = 5; i < 10; i++) {
		wake_after(&b, p, 20 * NSEC_PER_MSEC);
		assert_true(wait_for(&b.rounds, i + 1));
	}
	stats(p, &st);
	assert_true(st.spin_hits + st.sleeps <= 11);
	assert_true(st.sleeps >= 8);
	assert_true(st.futex_wakes >= 8 && st.futex_wakes <= 11);
	stop_blocker(&b, p);
}

/* ---- timeouts and signals end a spinning or sleeping wait ---- */

struct timed {
	u64 slept_timeout, slept_sleep;
	long left;
	int intr_ret;
	int waiting;
	struct ul_posix_wait_stats before_sleep, after_sleep;
	int have_stats;
};

static DECLARE_WAIT_QUEUE_HEAD(never_wq);

static int timed_fn(void *arg)
{
	struct timed *t = arg;
	u64 t0 = ul_now_ns();

	/* Nobody wakes it: the timer does, after 5 jiffies. */
	t->left = schedule_timeout_interruptible(5);
	t->slept_timeout = ul_now_ns() - t0;
	/* A sleep to a deadline never spins. */
	t->have_stats = !ul_posix_wait_stats(current, &t->before_sleep);
	t0 = ul_now_ns();
	ul_sleep_ns(3 * NSEC_PER_MSEC);
	t->slept_sleep = ul_now_ns() - t0;
	t->have_stats &= !ul_posix_wait_stats(current, &t->after_sleep);
	/* A signal ends an interruptible wait (the test thread sends it). */
	__atomic_store_n(&t->waiting, 1, __ATOMIC_SEQ_CST);
	t->intr_ret = wait_event_interruptible(never_wq, false);
	return 0;
}

static void run_timed(int spin_us)
{
	struct timed t;
	struct task_struct *p;

	memset(&t, 0, sizeof(t));
	init_waitqueue_head(&never_wq);
	assert_int_equal(ul_posix_set_spin_us(spin_us), 0);
	p = ul_task_create(timed_fn, &t, "timed", 0, NULL);
	assert_non_null(p);
	assert_true(wait_for(&t.waiting, 1));
	/* Within its spin (1 ms) or its sleep: either way the signal must end the wait. */
	p->sigpending = 1;
	wake_up_state(p, TASK_INTERRUPTIBLE);
	assert_int_equal(ul_task_join(p), 0);
	assert_int_equal(t.left, 0);
	assert_true(t.slept_timeout >= 4 * NSEC_PER_MSEC);
	assert_true(t.slept_timeout < 2 * NSEC_PER_SEC);
	assert_true(t.slept_sleep >= 3 * NSEC_PER_MSEC);
	assert_true(t.have_stats);
	assert_int_equal(t.after_sleep.spin_hits, t.before_sleep.spin_hits);
	assert_int_equal(t.intr_ret, -ERESTARTSYS);
}

static void test_timeouts_and_signals(void **state)
{
	run_timed(1000);	/* the signal comes while it spins (most likely) */
	run_timed(-1);		/* ... while it sleeps */
	run_timed(0);		/* the default */
}

/* ---- CPU time: a blocked task is not charged for its sleep ---- */

static int idle_fn(void *arg)
{
	struct ul_task_stats *st = arg;

	msleep(60);
	return ul_task_stats(NULL, st);
}

static void test_sleep_not_charged(void **state)
{
	struct ul_task_stats st = { 0 };
	struct task_struct *p = ul_task_create(idle_fn, &st, "idle", 1, NULL);

	assert_non_null(p);
	assert_int_equal(ul_task_join(p), 0);
	/* 60 ms asleep; the spin (50 µs) and the task's start are charged, the sleep is not
	 * (generous: a loaded host may preempt the spinning thread). */
	assert_true(st.utime_ns + st.stime_ns < 20 * NSEC_PER_MSEC);
}

/* ---- stress: ping-pong through wait queues, spins and sleeps mixed ---- */

#define PINGS 20000

/* A lost wakeup leaves both sides asleep for ever: the bounded wait catches it. A 1 µs spin
 * makes the waiters give up their spin at about the moment the wakeup comes, the race of
 * the futex word's protocol. */
static void test_no_lost_wakeup_stress(void **state)
{
	static const int spins[] = { 1, 2, 0, -1 };
	static struct pingpong pp;
	struct ul_posix_wait_stats st[2];
	struct pp_arg args[2];
	struct task_struct *t[2];
	unsigned int k;
	int i;

	for (k = 0; k < ARRAY_SIZE(spins); k++) {
		pingpong_init(&pp, PINGS);
		assert_int_equal(ul_posix_set_spin_us(spins[k]), 0);
		for (i = 0; i < 2; i++) {
			args[i] = (struct pp_arg){ .pp = &pp, .me = i };
			t[i] = ul_task_create(pingpong_fn, &args[i], "pingpong", i, NULL);
			assert_non_null(t[i]);
		}
		assert_true(wait_for(&pp.done, 2));
		for (i = 0; i < 2; i++) {
			stats(t[i], &st[i]);
			if (spins[k] < 0) {
				assert_int_equal(st[i].spin_hits, 0);
				assert_true(st[i].sleeps > 0);
			}
			assert_int_equal(ul_task_join(t[i]), PINGS);
		}
	}
}

/* Both task threads on one host CPU: a pure spin can never see its wakeup (the waker waits
 * for the core), so a task whose wakeup came late starts its next spin by yielding, and the
 * yield is the hand-off. No wakeup may be lost, and the spins must still end most blocks. */
static void test_one_host_core(void **state)
{
	static struct pingpong pp;
	struct ul_posix_wait_stats st[2];
	struct pp_arg args[2];
	struct task_struct *t[2];
	cpu_set_t saved, one;
	int i, cpu;

	assert_int_equal(sched_getaffinity(0, sizeof(saved), &saved), 0);
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &saved); cpu++)
		;
	assert_true(cpu < CPU_SETSIZE);
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	/* Threads created from now on inherit it. */
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	pingpong_init(&pp, PINGS);
	assert_int_equal(ul_posix_set_spin_us(1000), 0);
	for (i = 0; i < 2; i++) {
		args[i] = (struct pp_arg){ .pp = &pp, .me = i };
		t[i] = ul_task_create(pingpong_fn, &args[i], "onecore", i, NULL);
		assert_non_null(t[i]);
	}
	assert_int_equal(sched_setaffinity(0, sizeof(saved), &saved), 0);
	assert_true(wait_for(&pp.done, 2));
	for (i = 0; i < 2; i++) {
		stats(t[i], &st[i]);
		assert_true(st[i].yield_starts > 0);
		assert_true(st[i].spin_hits >= PINGS / 2);
		assert_int_equal(ul_task_join(t[i]), PINGS);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spin_knob),
		cmocka_unit_test_setup_teardown(test_woken_while_spinning, ul_test_setup_posix,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_woken_while_sleeping, ul_test_setup_posix,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_timeouts_and_signals, ul_test_setup_posix,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_sleep_not_charged, ul_test_setup_posix,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_no_lost_wakeup_stress, ul_test_setup_posix,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_one_host_core, ul_test_setup_posix,
						ul_test_teardown),
	};

	if (getenv("CMOCKA_TEST_FILTER"))
		cmocka_set_test_filter(getenv("CMOCKA_TEST_FILTER"));
	if (getenv("CMOCKA_SKIP_FILTER"))
		cmocka_set_skip_filter(getenv("CMOCKA_SKIP_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
