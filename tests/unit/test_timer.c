/* SPDX-License-Identifier: MIT */
/* Timer wheel tests on the sim runtime: every timer fires exactly at its jiffy and once,
 * cancel, mod_timer semantics, re-arming from the callback, CPU placement, timers hours and
 * weeks away, long idle jumps without stepping every jiffy. */
#include <stdlib.h>
#include <time.h>
#include "harness.h"
#include "linux/hardirq.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/percpu.h"
#include "linux/sched.h"
#include "linux/timer.h"

struct ttimer {
	struct timer_list timer;
	unsigned long want;	/* jiffy it must fire at */
	int fired;
	int late;		/* fired at another jiffy */
	int cpu;
	bool in_softirq;
};

static u64 test_rng = 0x9e3779b97f4a7c15ULL;

static u32 rnd(void)
{
	test_rng ^= test_rng << 13;
	test_rng ^= test_rng >> 7;
	test_rng ^= test_rng << 17;
	return (u32)test_rng;
}

static void ttimer_fn(struct timer_list *t)
{
	struct ttimer *tt = from_timer(tt, t, timer);

	tt->fired++;
	if (jiffies != tt->want)
		tt->late++;
	tt->cpu = smp_processor_id();
	tt->in_softirq = in_serving_softirq() != 0;
}

static void arm(struct ttimer *tt, unsigned long expires)
{
	timer_setup(&tt->timer, ttimer_fn, 0);
	tt->want = expires;
	tt->fired = tt->late = 0;
	tt->cpu = -1;
	assert_int_equal(mod_timer(&tt->timer, expires), 0);
	assert_true(timer_pending(&tt->timer));
}

#define NTIMERS 100000

static void test_many_timers_fire_on_time(void **state)
{
	struct ttimer *tt = calloc(NTIMERS, sizeof(*tt));
	unsigned long now = jiffies, pending0 = ul_timers_pending();
	unsigned long bad = 0;
	int i;

	assert_non_null(tt);
	/* Expiries from the next jiffy to 200 s away: all five wheel levels' inner ones and
	 * many cascades. Some share a jiffy. */
	for (i = 0; i < NTIMERS; i++)
		arm(&tt[i], now + 1 + rnd() % 200000);
	assert_int_equal(ul_timers_pending(), pending0 + NTIMERS);
	ul_run_for(201ULL * NSEC_PER_SEC);
	for (i = 0; i < NTIMERS; i++) {
		if (tt[i].fired != 1 || tt[i].late || tt[i].cpu != 0 || !tt[i].in_softirq)
			bad++;
		assert_false(timer_pending(&tt[i].timer));
	}
	assert_int_equal(bad, 0);
	assert_int_equal(ul_timers_pending(), pending0);
	free(tt);
}

static void test_cancel_half(void **state)
{
	struct ttimer *tt = calloc(10000, sizeof(*tt));
	unsigned long now = jiffies;
	int i;

	for (i = 0; i < 10000; i++)
		arm(&tt[i], now + 1 + rnd() % 30000);
	ul_run_for(5ULL * NSEC_PER_SEC);	/* some have fired meanwhile */
	for (i = 0; i < 10000; i += 2) {
		int was_pending = timer_pending(&tt[i].timer);

		assert_int_equal(del_timer(&tt[i].timer), was_pending);
		assert_int_equal(del_timer(&tt[i].timer), 0);
		assert_int_equal(tt[i].fired, !was_pending);
	}
	ul_run_for(30ULL * NSEC_PER_SEC);
	for (i = 0; i < 10000; i++) {
		if (i % 2 == 0) {
			assert_true(tt[i].fired == 0 || tt[i].want <= now + 5000);
		} else {
			assert_int_equal(tt[i].fired, 1);
			assert_int_equal(tt[i].late, 0);
		}
		assert_false(timer_pending(&tt[i].timer));
	}
	free(tt);
}

static void test_mod_timer(void **state)
{
	struct ttimer a, b;
	unsigned long now = jiffies;

	arm(&a, now + 100);
	/* Pending: mod_timer returns 1; the last expiry wins. */
	assert_int_equal(mod_timer(&a.timer, now + 50), 1);
	assert_int_equal(mod_timer(&a.timer, now + 300), 1);
	assert_int_equal(mod_timer(&a.timer, now + 300), 1);	/* same time */
	a.want = now + 300;
	assert_int_equal(a.timer.expires, now + 300);
	ul_run_for(200 * NSEC_PER_MSEC);
	assert_int_equal(a.fired, 0);
	ul_run_for(101 * NSEC_PER_MSEC);
	assert_int_equal(a.fired, 1);
	assert_int_equal(a.late, 0);
	assert_false(timer_pending(&a.timer));

	/* mod_timer_pending does nothing to an idle timer. */
	assert_int_equal(mod_timer_pending(&a.timer, jiffies + 10), 0);
	assert_false(timer_pending(&a.timer));
	/* ... and moves a pending one. */
	arm(&b, jiffies + 10);
	assert_int_equal(mod_timer_pending(&b.timer, jiffies + 20), 1);
	b.want = jiffies + 20;
	/* add_timer takes timer->expires. */
	timer_setup(&a.timer, ttimer_fn, 0);
	a.timer.expires = jiffies + 5;
	a.want = a.timer.expires;
	a.fired = 0;
	add_timer(&a.timer);
	assert_true(timer_pending(&a.timer));
	ul_run_for(30 * NSEC_PER_MSEC);
	assert_int_equal(a.fired, 1);
	assert_int_equal(b.fired, 1);
	assert_int_equal(a.late + b.late, 0);

	/* A timer armed in the past runs at the next tick, once. */
	arm(&a, jiffies - 5);
	ul_run_for(2 * NSEC_PER_MSEC);
	assert_int_equal(a.fired, 1);
	assert_int_equal(a.late, 1);

	/* Never set up: refused, not armed. */
	{
		struct timer_list z = { { NULL, NULL }, 0, NULL, NULL };

		assert_int_equal(mod_timer(&z, jiffies + 1), 0);
		assert_false(timer_pending(&z));
		assert_int_equal(del_timer(&z), 0);
		assert_int_equal(del_timer_sync(&z), 0);
	}
}

struct periodic {
	struct timer_list timer;
	unsigned long times[16];
	int n;
};

static void periodic_fn(struct timer_list *t)
{
	struct periodic *p = from_timer(p, t, timer);

	p->times[p->n++] = jiffies;
	if (p->n < 10)
		mod_timer(&p->timer, jiffies + 7);	/* re-armed from its own callback */
}

static void test_rearm_from_callback(void **state)
{
	struct periodic p = { .n = 0 };
	unsigned long start = jiffies;
	int i;

	timer_setup(&p.timer, periodic_fn, 0);
	mod_timer(&p.timer, start + 7);
	ul_run_for(NSEC_PER_SEC);
	assert_int_equal(p.n, 10);
	for (i = 0; i < 10; i++)
		assert_int_equal(p.times[i], start + 7 * (i + 1));
	assert_false(timer_pending(&p.timer));
}

static void self_delete_fn(struct timer_list *t)
{
	struct ttimer *tt = from_timer(tt, t, timer);

	tt->fired++;
	mod_timer(t, jiffies + 100);
	/* del_timer_sync from the callback itself must not wait for itself. */
	assert_int_equal(del_timer_sync(t), 1);
}

static void test_del_timer_sync(void **state)
{
	struct ttimer a;

	timer_setup(&a.timer, self_delete_fn, 0);
	a.fired = 0;
	mod_timer(&a.timer, jiffies + 3);
	ul_run_for(500 * NSEC_PER_MSEC);
	assert_int_equal(a.fired, 1);
	assert_false(timer_pending(&a.timer));

	arm(&a, jiffies + 3);
	assert_int_equal(del_timer_sync(&a.timer), 1);
	assert_int_equal(del_timer_sync(&a.timer), 0);
	ul_run_for(10 * NSEC_PER_MSEC);
	assert_int_equal(a.fired, 0);
}

struct on_cpu_arg {
	struct ttimer tt;
};

static int arm_from_cpu1(void *p)
{
	struct on_cpu_arg *a = p;

	assert_int_equal(smp_processor_id(), 1);
	arm(&a->tt, jiffies + 25);
	return 0;
}

static void test_timer_stays_on_its_cpu(void **state)
{
	struct on_cpu_arg a;
	struct ttimer b;
	struct task_struct *t;

	/* Armed by a task on CPU 1: runs on CPU 1. */
	t = ul_task_create(arm_from_cpu1, &a, "armer", 1, NULL);
	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	/* add_timer_on: on the named CPU. */
	timer_setup(&b.timer, ttimer_fn, 0);
	b.timer.expires = jiffies + 10;
	b.want = b.timer.expires;
	b.fired = b.late = 0;
	add_timer_on(&b.timer, 1);
	add_timer_on(&b.timer, 1);	/* already pending: refused */
	ul_run_for(100 * NSEC_PER_MSEC);
	assert_int_equal(a.tt.fired, 1);
	assert_int_equal(a.tt.cpu, 1);
	assert_int_equal(a.tt.late, 0);
	assert_int_equal(b.fired, 1);
	assert_int_equal(b.cpu, 1);
	assert_int_equal(b.late, 0);
	assert_true(b.in_softirq);

	/* Re-armed from CPU 0 (the test thread), it moves to CPU 0, as in Linux. */
	b.want = jiffies + 10;
	b.fired = 0;
	add_timer_on(&b.timer, 1);
	mod_timer(&b.timer, b.want);
	ul_run_for(100 * NSEC_PER_MSEC);
	assert_int_equal(b.fired, 1);
	assert_int_equal(b.cpu, 0);
}

static void test_far_timers(void **state)
{
	struct ttimer two_hours, sixty_days, soon;
	struct timespec w0, w1;
	unsigned long now = jiffies;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &w0);
	arm(&two_hours, now + 2UL * 3600 * HZ);
	arm(&soon, now + 1);
	/* Beyond the wheel's 2^32 - 1 jiffies (~49.7 days): re-parked until in range. */
	arm(&sixty_days, now + 60UL * 86400 * HZ);
	ul_run_for(2ULL * 3600 * NSEC_PER_SEC - 2 * NSEC_PER_MSEC);
	assert_int_equal(soon.fired, 1);
	assert_int_equal(two_hours.fired, 0);
	ul_run_for(3 * NSEC_PER_MSEC);
	assert_int_equal(two_hours.fired, 1);
	assert_int_equal(two_hours.late, 0);
	ul_run_for(61ULL * 86400 * NSEC_PER_SEC);
	assert_int_equal(sixty_days.fired, 1);
	assert_int_equal(sixty_days.late, 0);
	clock_gettime(CLOCK_MONOTONIC, &w1);
	/* Two months of virtual time must not step through 5 billion jiffies. */
	secs = (double)(w1.tv_sec - w0.tv_sec) + (w1.tv_nsec - w0.tv_nsec) / 1e9;
	assert_true(secs < 5.0);
}

/* Many timers over a day, with long empty stretches: the sim jumps between them. */
static void test_sparse_day(void **state)
{
	struct ttimer *tt = calloc(2000, sizeof(*tt));
	unsigned long now = jiffies;
	struct timespec w0, w1;
	int i, bad = 0;

	clock_gettime(CLOCK_MONOTONIC, &w0);
	for (i = 0; i < 2000; i++)
		arm(&tt[i], now + 1 + (unsigned long)rnd() % (86400UL * HZ));
	ul_run_for(86401ULL * NSEC_PER_SEC);
	for (i = 0; i < 2000; i++)
		bad += tt[i].fired != 1 || tt[i].late;
	assert_int_equal(bad, 0);
	clock_gettime(CLOCK_MONOTONIC, &w1);
	assert_true(w1.tv_sec - w0.tv_sec < 5);
	free(tt);
}

/* get_next_timer_interrupt_cpu and timer_base_due follow the wheel. */
static void test_next_interrupt(void **state)
{
	struct ttimer a;
	unsigned long next;
	bool none;

	ul_run_until_idle(NSEC_PER_SEC);
	next = get_next_timer_interrupt_cpu(1, &none);
	if (none)
		assert_int_equal(next, 0);
	timer_setup(&a.timer, ttimer_fn, 0);
	a.want = jiffies + 40;
	a.fired = a.late = 0;
	add_timer_on(&a.timer, 1);
	mod_timer(&a.timer, a.want);	/* moves to CPU 0 */
	next = get_next_timer_interrupt_cpu(0, &none);
	assert_false(none);
	assert_false(time_after(next, a.want));	/* other timers of CPU 0 may come first */
	assert_false(timer_base_due(0));
	assert_false(timer_base_due(7));	/* no such CPU */
	ul_run_for(39 * NSEC_PER_MSEC);
	assert_int_equal(a.fired, 0);
	ul_run_for(NSEC_PER_MSEC);
	assert_int_equal(a.fired, 1);
	assert_int_equal(a.late, 0);
	get_next_timer_interrupt_cpu(0, NULL);	/* NULL out-parameter is fine */
}

/* ---- posix runtime: real threads, real time ---- */

static void posix_fn(struct timer_list *t)
{
	struct ttimer *tt = from_timer(tt, t, timer);

	__atomic_add_fetch(&tt->fired, 1, __ATOMIC_SEQ_CST);
	if (time_before(jiffies, tt->want))
		__atomic_add_fetch(&tt->late, 1, __ATOMIC_SEQ_CST);	/* early, here */
	tt->cpu = smp_processor_id();
}

static void test_posix_timers(void **state)
{
	struct ttimer tt[200];
	unsigned long now = jiffies;
	int i, bad = 0;

	for (i = 0; i < 200; i++) {
		timer_setup(&tt[i].timer, posix_fn, 0);
		tt[i].want = now + 1 + (unsigned long)(rnd() % 60);
		tt[i].fired = tt[i].late = 0;
		if (i % 2)
			add_timer_on(&tt[i].timer, 1), mod_timer(&tt[i].timer, tt[i].want);
		else
			mod_timer(&tt[i].timer, tt[i].want);
	}
	/* Cancel a quarter before they can fire. */
	for (i = 0; i < 200; i += 4)
		assert_int_equal(del_timer_sync(&tt[i].timer), 1);
	ul_run_for(300 * NSEC_PER_MSEC);	/* posix: sleeps */
	for (i = 0; i < 200; i++) {
		int fired = __atomic_load_n(&tt[i].fired, __ATOMIC_SEQ_CST);

		bad += fired != (i % 4 ? 1 : 0) || tt[i].late;
	}
	assert_int_equal(bad, 0);
	assert_int_equal(ul_timers_pending(), 0);
}

struct slow_timer {
	struct timer_list timer;
	int running, finished;
};

static void slow_fn(struct timer_list *t)
{
	struct slow_timer *st = from_timer(st, t, timer);
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	__atomic_store_n(&st->running, 1, __ATOMIC_SEQ_CST);
	nanosleep(&ts, NULL);	/* a long callback on the softirq thread */
	__atomic_store_n(&st->finished, 1, __ATOMIC_SEQ_CST);
}

/* del_timer_sync waits while the callback runs on another thread. */
static void test_posix_del_timer_sync_waits(void **state)
{
	struct slow_timer st = { .running = 0, .finished = 0 };
	int spins;

	timer_setup(&st.timer, slow_fn, 0);
	mod_timer(&st.timer, jiffies + 2);
	for (spins = 0; spins < 2000 && !__atomic_load_n(&st.running, __ATOMIC_SEQ_CST); spins++)
		ul_run_for(NSEC_PER_MSEC);
	assert_int_equal(st.running, 1);
	assert_int_equal(del_timer_sync(&st.timer), 0);	/* no longer pending, but ... */
	assert_int_equal(__atomic_load_n(&st.finished, __ATOMIC_SEQ_CST), 1); /* ... finished */
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, ul_test_setup_sim, ul_test_teardown)
	const struct CMUnitTest tests[] = {
		T(test_many_timers_fire_on_time),
		T(test_cancel_half),
		T(test_mod_timer),
		T(test_rearm_from_callback),
		T(test_del_timer_sync),
		T(test_timer_stays_on_its_cpu),
		T(test_far_timers),
		T(test_sparse_day),
		T(test_next_interrupt),
		cmocka_unit_test_setup_teardown(test_posix_timers, ul_test_setup_posix,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_posix_del_timer_sync_waits,
						ul_test_setup_posix, ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
