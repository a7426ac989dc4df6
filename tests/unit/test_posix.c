/* SPDX-License-Identifier: MIT */
/* The posix runtime under stress: tasks are threads, ksoftirqd threads serve softirqs, IRQs
 * and timers, all on the same objects; no wakeup may be lost and a CPU's bottom halves must
 * never run on two threads at once.
 * Mirrors nothing in Linux: tests src/arch/posix with sched.c, softirq.c, irq.c and the wait
 * queues and timers on real threads (run it under ASan/UBSan; TSan would be next). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "harness.h"
#include "posix_testutil.h"
#include "arch/arch.h"
#include "linux/errno.h"
#include "linux/hardirq.h"
#include "linux/interrupt.h"
#include "linux/jiffies.h"
#include "linux/sched.h"
#include "linux/spinlock.h"
#include "linux/timer.h"
#include "linux/wait.h"

#define NCPUS 2
/* Everything must be over well within this (real time). */
#define BOUND_NS (20 * NSEC_PER_SEC)

/* Poll (the world runs by itself on posix) until *@counter reaches @target or the bound. */
static bool wait_for(const int *v, int target)
{
	return posix_wait_for(v, target, BOUND_NS);
}

/* The adopted thread's task lives until the stack goes: not a leak. */
static int ul_test_teardown_foreign(void **state)
{
	ul_stack_destroy();
	return 0;
}

/* ---- the basics ---- */

static int where_fn(void *arg)
{
	int *out = arg;

	out[0] = smp_processor_id();
	out[1] = current->pid;
	return 5;
}

struct call_rec {
	int order[3];
	int n;
	int cpu;
	u64 at;
};

static void call_fn(void *arg)
{
	struct call_rec *r = (struct call_rec *)((long *)arg)[0];
	long id = ((long *)arg)[1];

	r->cpu = smp_processor_id();
	r->at = ul_now_ns();
	r->order[r->n] = (int)id;
	__atomic_store_n(&r->n, r->n + 1, __ATOMIC_SEQ_CST);
}

static void test_posix_basics(void **state)
{
	int out[2] = { -1, -1 }, pid;
	struct task_struct *p;
	u64 t0 = ul_now_ns();

	assert_true(ul_smp);
	assert_int_equal(nr_cpu_ids, NCPUS);
	/* Real time runs by itself. */
	ul_run_for(2 * NSEC_PER_MSEC);
	assert_true(ul_now_ns() - t0 >= 2 * NSEC_PER_MSEC);
	p = ul_task_create(where_fn, out, "where", 1, NULL);
	assert_non_null(p);
	pid = p->pid;
	assert_int_equal(ul_task_join(p), 5);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], pid);
	assert_int_equal(ul_run_until_idle(NSEC_PER_SEC), 1);

	/* ul_call_at: on the CPU's ksoftirqd, not before its time, same-time calls in order. */
	{
		static struct call_rec r;
		long args[3][2];
		u64 when = ul_now_ns() + 3 * NSEC_PER_MSEC;
		int i;

		memset(&r, 0, sizeof(r));
		for (i = 0; i < 3; i++) {
			args[i][0] = (long)&r;
			args[i][1] = i;
			assert_int_equal(ul_call_at(when, 1, call_fn, args[i]), 0);
		}
		assert_true(wait_for(&r.n, 3));
		assert_int_equal(r.order[0], 0);
		assert_int_equal(r.order[1], 1);
		assert_int_equal(r.order[2], 2);
		assert_int_equal(r.cpu, 1);
		assert_true(r.at >= when);
	}
}

/* ---- ping-pong: no lost wakeups between tasks on different CPUs ---- */

#define PINGS 3000

static void test_pingpong_no_lost_wakeup(void **state)
{
	static struct pingpong pp[2];
	struct pp_arg args[4];
	struct task_struct *t[4];
	int i, done = 0;

	for (i = 0; i < 2; i++)
		pingpong_init(&pp[i], PINGS);
	for (i = 0; i < 4; i++) {
		args[i] = (struct pp_arg){ .pp = &pp[i / 2], .me = i % 2 };
		t[i] = ul_task_create(pingpong_fn, &args[i], "pingpong", i % NCPUS, NULL);
		assert_non_null(t[i]);
	}
	assert_true(wait_for(&pp[0].done, 2));
	assert_true(wait_for(&pp[1].done, 2));
	for (i = 0; i < 4; i++)
		done += ul_task_join(t[i]) == PINGS;
	assert_int_equal(done, 4);
}

/* ---- a queue shared by process context, softirqs, IRQs and timers ---- */

#define PRODUCERS 4
#define CONSUMERS 3
#define PER_PRODUCER 2000
#define SOFTIRQ_ITEMS 1500
#define TIMER_ITEMS 200
#define NODES (PRODUCERS * PER_PRODUCER + SOFTIRQ_ITEMS + TIMER_ITEMS)

struct item {
	struct list_head list;
	int id;
};

static struct shared {
	spinlock_t lock;
	struct list_head items;
	wait_queue_head_t wq;
	struct item nodes[NODES];
	int produced, consumed, softirq_made, timer_made;
	int producers_done;
	bool all_done;
	int in_bh[NCPUS];	/* threads inside a bottom-half section of each CPU */
	int bh_violations;
	int irq;
	int irqs_seen;
	struct timer_list timer[NCPUS];
	unsigned char seen[NODES];
	int duplicates;
} sh;

/* Only one thread at a time may be in a bottom-half section of a CPU. */
static void bh_enter(void)
{
	if (__atomic_fetch_add(&sh.in_bh[smp_processor_id()], 1, __ATOMIC_SEQ_CST) != 0)
		__atomic_fetch_add(&sh.bh_violations, 1, __ATOMIC_SEQ_CST);
}

static void bh_exit(void)
{
	__atomic_fetch_sub(&sh.in_bh[smp_processor_id()], 1, __ATOMIC_SEQ_CST);
}

/* Context: bottom halves off (or in a softirq), sh.lock not held. */
static void enqueue(int id)
{
	spin_lock(&sh.lock);
	list_add_tail(&sh.nodes[id].list, &sh.items);
	sh.nodes[id].id = id;
	sh.produced++;
	spin_unlock(&sh.lock);
}

static void shared_softirq(struct softirq_action *h)
{
	int id;

	bh_enter();
	id = __atomic_fetch_add(&sh.softirq_made, 1, __ATOMIC_SEQ_CST);
	if (id < SOFTIRQ_ITEMS)
		enqueue(PRODUCERS * PER_PRODUCER + id);
	else
		__atomic_fetch_sub(&sh.softirq_made, 1, __ATOMIC_SEQ_CST);
	bh_exit();
	wake_up(&sh.wq);
}

static irqreturn_t shared_irq(int irq, void *dev_id)
{
	bh_enter();
	__atomic_fetch_add(&sh.irqs_seen, 1, __ATOMIC_SEQ_CST);
	bh_exit();
	raise_softirq_irqoff(BLOCK_SOFTIRQ);
	return IRQ_HANDLED;
}

static void shared_timer(struct timer_list *t)
{
	int id;

	bh_enter();
	id = __atomic_fetch_add(&sh.timer_made, 1, __ATOMIC_SEQ_CST);
	if (id < TIMER_ITEMS)
		enqueue(PRODUCERS * PER_PRODUCER + SOFTIRQ_ITEMS + id);
	else
		__atomic_fetch_sub(&sh.timer_made, 1, __ATOMIC_SEQ_CST);
	bh_exit();
	wake_up(&sh.wq);
	if (id < TIMER_ITEMS)
		mod_timer(t, jiffies + 1);
}

static int producer_fn(void *arg)
{
	int base = (int)(long)arg * PER_PRODUCER, i;

	for (i = 0; i < PER_PRODUCER; i++) {
		local_bh_disable();
		bh_enter();
		bh_exit();
		enqueue(base + i);
		local_bh_enable();
		wake_up(&sh.wq);
		if (i % 8 == 0)
			raise_softirq_on((smp_processor_id() + 1) % NCPUS, BLOCK_SOFTIRQ);
		if (i % 32 == 0)
			ul_irq_raise((unsigned int)sh.irq);
		if (i % 256 == 0)
			msleep(1);
	}
	__atomic_fetch_add(&sh.producers_done, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static int consumer_fn(void *arg)
{
	int got = 0;

	for (;;) {
		struct item *it = NULL;

		if (wait_event_interruptible(sh.wq, !list_empty(&sh.items) ||
					     READ_ONCE(sh.all_done)))
			return -EINTR;
		spin_lock_bh(&sh.lock);
		bh_enter();
		if (!list_empty(&sh.items)) {
			it = list_first_entry(&sh.items, struct item, list);
			list_del(&it->list);
			if (sh.seen[it->id]++)
				sh.duplicates++;
			sh.consumed++;
		}
		bh_exit();
		spin_unlock_bh(&sh.lock);
		if (it)
			got++;
		else if (READ_ONCE(sh.all_done))
			return got;
	}
}

static void test_shared_queue_stress(void **state)
{
	struct task_struct *prod[PRODUCERS], *cons[CONSUMERS];
	int i, total = 0, cpu;

	memset(&sh, 0, sizeof(sh));
	spin_lock_init(&sh.lock);
	INIT_LIST_HEAD(&sh.items);
	init_waitqueue_head(&sh.wq);
	open_softirq(BLOCK_SOFTIRQ, shared_softirq);
	sh.irq = ul_irq_alloc();
	assert_true(sh.irq > 0);
	assert_int_equal(request_irq(sh.irq, shared_irq, 0, "stress", &sh), 0);
	irq_set_affinity(sh.irq, 1);
	for (cpu = 0; cpu < NCPUS; cpu++) {
		timer_setup(&sh.timer[cpu], shared_timer, 0);
		sh.timer[cpu].expires = jiffies + 1;
		add_timer_on(&sh.timer[cpu], cpu);
	}
	for (i = 0; i < CONSUMERS; i++) {
		cons[i] = ul_task_create(consumer_fn, NULL, "consumer", i % NCPUS, NULL);
		assert_non_null(cons[i]);
	}
	for (i = 0; i < PRODUCERS; i++) {
		prod[i] = ul_task_create(producer_fn, (void *)(long)i, "producer", i % NCPUS, NULL);
		assert_non_null(prod[i]);
	}
	assert_true(wait_for(&sh.producers_done, PRODUCERS));
	for (i = 0; i < PRODUCERS; i++)
		assert_int_equal(ul_task_join(prod[i]), 0);
	/* The timers run out by themselves; softirq items top up to their count. */
	assert_true(wait_for(&sh.timer_made, TIMER_ITEMS));
	{
		u64 end = ul_now_ns() + BOUND_NS;

		while (__atomic_load_n(&sh.softirq_made, __ATOMIC_SEQ_CST) < SOFTIRQ_ITEMS &&
		       ul_now_ns() < end) {
			raise_softirq_on(1, BLOCK_SOFTIRQ);
			ul_run_for(10 * NSEC_PER_USEC);
		}
		assert_int_equal(sh.softirq_made, SOFTIRQ_ITEMS);
	}
	/* Every item consumed while the consumers still rely on real wakeups only. */
	assert_true(wait_for(&sh.consumed, NODES));
	WRITE_ONCE(sh.all_done, true);
	wake_up_all(&sh.wq);
	for (i = 0; i < CONSUMERS; i++) {
		int got = ul_task_join(cons[i]);

		assert_true(got >= 0);
		total += got;
	}
	assert_int_equal(total, NODES);
	assert_int_equal(sh.produced, NODES);
	assert_int_equal(sh.duplicates, 0);
	assert_int_equal(sh.bh_violations, 0);
	assert_true(sh.irqs_seen >= 1);
	assert_true(kstat_irqs_cpu(sh.irq, 1) == (unsigned long)sh.irqs_seen);
	assert_true(list_empty(&sh.items));
	for (cpu = 0; cpu < NCPUS; cpu++)
		del_timer_sync(&sh.timer[cpu]);
	free_irq(sh.irq, &sh);
	open_softirq(BLOCK_SOFTIRQ, NULL);
}

/* ---- sleeps on real time ---- */

static int sleepy_fn(void *arg)
{
	u64 *out = arg, t0 = ul_now_ns();

	ul_sleep(3 * NSEC_PER_MSEC);
	out[0] = ul_now_ns() - t0;
	t0 = ul_now_ns();
	msleep(5);
	out[1] = ul_now_ns() - t0;
	t0 = ul_now_ns();
	out[2] = (u64)schedule_timeout_interruptible(4);
	out[3] = ul_now_ns() - t0;
	return 0;
}

static void test_posix_sleeps(void **state)
{
	u64 out[4] = { 0 };
	struct task_struct *p = ul_task_create(sleepy_fn, out, "sleepy", 1, NULL);

	assert_non_null(p);
	assert_int_equal(ul_task_join(p), 0);
	assert_true(out[0] >= 3 * NSEC_PER_MSEC);
	assert_true(out[1] >= 5 * NSEC_PER_MSEC);
	assert_int_equal(out[2], 0);
	assert_true(out[3] >= 3 * NSEC_PER_MSEC);
	/* Real time, loaded machine: generous upper bounds. */
	assert_true(out[0] < 2 * NSEC_PER_SEC && out[1] < 2 * NSEC_PER_SEC);
}

/* ---- an application thread calling in becomes a task ---- */

struct foreign_rec {
	bool had_current_before;
	int pid, cpu;
	unsigned int flags;
	u64 slept;
	int done;
};

static void *foreign_thread(void *arg)
{
	struct foreign_rec *r = arg;
	u64 t0;

	r->had_current_before = current != NULL;
	t0 = ul_now_ns();
	ul_sleep(2 * NSEC_PER_MSEC); /* a ul_* call: the thread is adopted */
	r->slept = ul_now_ns() - t0;
	if (current) {
		r->pid = current->pid;
		r->cpu = smp_processor_id();
		r->flags = current->flags;
	}
	__atomic_store_n(&r->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void test_foreign_thread(void **state)
{
	struct foreign_rec r = { 0 };
	pthread_t th;

	assert_int_equal(pthread_create(&th, NULL, foreign_thread, &r), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(r.done, 1);
	assert_false(r.had_current_before);
	assert_true(r.pid > 1);
	assert_true(r.flags & PF_UL_FOREIGN);
	assert_int_equal(r.cpu, r.pid % NCPUS);
	assert_true(r.slept >= 2 * NSEC_PER_MSEC);
}

/* ---- teardown interrupts tasks that would wait forever ---- */

static DECLARE_WAIT_QUEUE_HEAD(never_wq);

static int never_fn(void *arg)
{
	int *started = arg;

	__atomic_store_n(started, 1, __ATOMIC_SEQ_CST);
	return wait_event_interruptible(never_wq, false);
}

static void test_destroy_interrupts_waiters(void **state)
{
	int started = 0;
	struct task_struct *p;

	assert_int_equal(ul_test_boot_with(UL_RUNTIME_POSIX, NCPUS, 1), 0);
	init_waitqueue_head(&never_wq);
	p = ul_task_create(never_fn, &started, "never", 0, NULL);
	assert_non_null(p);
	assert_true(wait_for(&started, 1));
	ul_run_for(2 * NSEC_PER_MSEC);
	/* Not joined: ul_stack_destroy must get it out of its wait and reap it. */
	ul_stack_destroy();
	assert_false(ul_stack_exists());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_posix_basics, ul_test_setup_posix,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_pingpong_no_lost_wakeup, ul_test_setup_posix,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_shared_queue_stress, ul_test_setup_posix,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_posix_sleeps, ul_test_setup_posix,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_foreign_thread, ul_test_setup_posix,
						ul_test_teardown_foreign),
		cmocka_unit_test(test_destroy_interrupts_waiters),
	};

	if (getenv("CMOCKA_TEST_FILTER"))
		cmocka_set_test_filter(getenv("CMOCKA_TEST_FILTER"));
	if (getenv("CMOCKA_SKIP_FILTER"))
		cmocka_set_skip_filter(getenv("CMOCKA_SKIP_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
