/* SPDX-License-Identifier: MIT */
/* Tasks and the stack's lifecycle: pids and names, schedule/wakeup rules, timeouts, sleeps
 * of the init thread, context-switch counts, CPU time by context, /proc/stat, boot errors.
 * Mirrors linux/kernel/sched/core.c, kernel/timer.c (schedule_timeout, msleep),
 * kernel/sched/cputime.c and fs/proc/stat.c behaviour: tests src/kernel/{sched,cpu_stat}.c
 * and src/init/main.c on sim. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "harness.h"
#include "arch/arch.h"
#include "linux/errno.h"
#include "linux/hardirq.h"
#include "linux/interrupt.h"
#include "linux/jiffies.h"
#include "linux/kernel_stat.h"
#include "linux/sched.h"
#include "linux/seq_file.h"

static u64 thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
}

/* Burn @ns of real CPU time (bounded: the clock always advances while we spin). */
static void burn(u64 ns)
{
	u64 end = thread_cpu_ns() + ns;

	while (thread_cpu_ns() < end)
		;
}

static int noop_fn(void *arg)
{
	return 0;
}

static void test_pids_and_names(void **state)
{
	struct task_struct *a, *b;

	assert_non_null(current);
	assert_int_equal(current->pid, 1);
	assert_string_equal(current->comm, "init");
	assert_int_equal(idle_task(0)->pid, 0);
	assert_string_equal(idle_task(0)->comm, "swapper/0");
	assert_string_equal(idle_task(1)->comm, "swapper/1");
	assert_true(idle_task(1)->flags & PF_IDLE);
	assert_null(idle_task(-1));
	assert_non_null(ksoftirqd_task(0));
	assert_non_null(ksoftirqd_task(1));
	assert_null(ksoftirqd_task(2));
	assert_int_equal(ksoftirqd_task(0)->cpu, 0);
	assert_int_equal(ksoftirqd_task(1)->cpu, 1);
	assert_true(ksoftirqd_task(0)->pid > 1);
	a = ul_task_create(noop_fn, NULL, "a-very-long-task-name", 1, NULL);
	b = kthread_run_on_cpu(noop_fn, NULL, 0, "kworker/0:1");
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(b->pid, a->pid + 1);
	assert_true(a->pid > ksoftirqd_task(1)->pid);
	/* comm holds TASK_COMM_LEN - 1 characters, as in Linux. */
	assert_string_equal(a->comm, "a-very-long-tas");
	assert_false(a->flags & PF_KTHREAD);
	assert_true(b->flags & PF_KTHREAD);
	assert_int_equal(ul_task_join(a), 0);
	assert_int_equal(ul_task_join(b), 0);
}

struct state_rec {
	unsigned long nvcsw_before, nvcsw_after, nivcsw;
	int wake_wrong_state, wake_right_state;
	struct task_struct *p;
	bool go;
};

static int running_schedule_fn(void *arg)
{
	struct state_rec *r = arg;

	r->nvcsw_before = current->nvcsw;
	schedule(); /* TASK_RUNNING: returns at once, no switch */
	r->nvcsw_after = current->nvcsw;
	yield();
	yield();
	r->nivcsw = current->nivcsw;
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(r->go))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static void waker_event(void *arg)
{
	struct state_rec *r = arg;

	/* Sleeping interruptibly: a wakeup for uninterruptible sleepers does nothing. */
	r->wake_wrong_state = wake_up_state(r->p, TASK_UNINTERRUPTIBLE);
	WRITE_ONCE(r->go, true);
	r->wake_right_state = wake_up_state(r->p, TASK_INTERRUPTIBLE);
}

static void test_schedule_rules(void **state)
{
	struct state_rec r = { 0 };
	struct ul_task_stats st;

	r.p = ul_task_create(running_schedule_fn, &r, "rules", 0, NULL);
	assert_non_null(r.p);
	ul_call_at(ul_now_ns() + 1000, 0, waker_event, &r);
	assert_int_equal(ul_task_stats(r.p, &st), 0);
	assert_int_equal(ul_task_join(r.p), 0);
	assert_int_equal(r.nvcsw_before, 0);
	assert_int_equal(r.nvcsw_after, 0);
	assert_int_equal(r.nivcsw, 2);
	assert_int_equal(r.wake_wrong_state, 0);
	assert_int_equal(r.wake_right_state, 1);
	assert_int_equal(ul_task_stats(NULL, NULL), -EINVAL);
}

struct timeout_rec {
	long left_timeout, left_woken;
	u64 t_timeout, t_msleep;
	struct task_struct *self;
};

static int timeout_fn(void *arg)
{
	struct timeout_rec *r = arg;
	u64 t0;

	r->self = current;
	/* Nobody wakes us: the whole timeout passes. */
	t0 = ul_now_ns();
	r->left_timeout = schedule_timeout_interruptible(50);
	r->t_timeout = ul_now_ns() - t0;
	/* Woken early: what is left comes back. */
	r->left_woken = schedule_timeout_interruptible(1000);
	t0 = ul_now_ns();
	msleep(10);
	r->t_msleep = ul_now_ns() - t0;
	return 0;
}

static void wake_task_event(void *arg)
{
	struct timeout_rec *r = arg;

	wake_up_process(r->self);
}

static void test_schedule_timeout_and_msleep(void **state)
{
	struct timeout_rec r = { 0 };
	struct task_struct *p;
	unsigned long loc = kstat_timer_irqs_cpu(1);

	ul_run_until_idle(NSEC_PER_SEC);
	p = ul_task_create(timeout_fn, &r, "timeout", 1, NULL);
	assert_non_null(p);
	/* The task starts now, times out after 50 jiffies, then sleeps again: wake it 100 ms
	 * into its 1000-jiffy timeout. */
	ul_call_at(ul_now_ns() + 150 * NSEC_PER_MSEC, 1, wake_task_event, &r);
	assert_int_equal(ul_task_join(p), 0);
	assert_int_equal(r.left_timeout, 0);
	assert_true(r.t_timeout >= 50 * NSEC_PER_MSEC && r.t_timeout <= 51 * NSEC_PER_MSEC);
	assert_true(r.left_woken >= 899 && r.left_woken <= 901);
	/* msleep(10) sleeps 10 + 1 jiffies: at least 10 ms, at most 12. */
	assert_true(r.t_msleep >= 10 * NSEC_PER_MSEC && r.t_msleep <= 12 * NSEC_PER_MSEC);
	/* The timeouts were delivered by local timer interrupts of CPU 1. */
	assert_true(kstat_timer_irqs_cpu(1) >= loc + 2);
	assert_true(kstat_softirqs_cpu(TIMER_SOFTIRQ, 1) >= 2);
	assert_int_equal(ul_timers_pending(), 0);
}

static void wake_init_event(void *arg)
{
	wake_up_process(arg);
}

/* The init thread blocks like a task: it drives the world until it is woken. */
static void test_init_thread_blocks(void **state)
{
	struct task_struct *me = current;
	u64 t0 = ul_now_ns();
	unsigned long nvcsw = me->nvcsw;

	ul_call_at(t0 + 5 * NSEC_PER_MSEC, 1, wake_init_event, me);
	set_current_state(TASK_INTERRUPTIBLE);
	schedule();
	assert_int_equal(me->state, TASK_RUNNING);
	assert_int_equal(ul_now_ns(), t0 + 5 * NSEC_PER_MSEC);
	assert_int_equal(me->nvcsw, nvcsw + 1);

	t0 = ul_now_ns();
	ul_sleep(7 * NSEC_PER_MSEC + 3);
	assert_int_equal(ul_now_ns(), t0 + 7 * NSEC_PER_MSEC + 3);

	/* Nothing can ever wake it: a "signal" ends the wait instead of a hang, and it is
	 * gone when the system call returns. */
	ul_syscall_enter();
	set_current_state(TASK_INTERRUPTIBLE);
	schedule();
	assert_int_equal(me->state, TASK_RUNNING);
	assert_true(signal_pending(me));
	ul_syscall_exit();
	assert_false(signal_pending(me));
}

struct cpu_rec {
	u64 utime, stime;
	u64 u_wall, s_wall;	/* real time each burn took (preemption included) */
};

static u64 wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
}

static void softirq_burn(struct softirq_action *h)
{
	burn(3 * NSEC_PER_MSEC);
}

static irqreturn_t irq_burn(int irq, void *dev)
{
	burn(3 * NSEC_PER_MSEC);
	return IRQ_HANDLED;
}

static int cpu_fn(void *arg)
{
	struct cpu_rec *r = arg;
	struct ul_task_stats st;
	u64 t;

	t = wall_ns();
	burn(5 * NSEC_PER_MSEC);	/* user */
	r->u_wall = wall_ns() - t;
	ul_syscall_enter();
	t = wall_ns();
	burn(5 * NSEC_PER_MSEC);	/* system */
	r->s_wall = wall_ns() - t;
	ul_syscall_exit();
	ul_task_stats(NULL, &st);
	r->utime = st.utime_ns;
	r->stime = st.stime_ns;
	return 0;
}

static void test_cpu_time_by_context(void **state)
{
	struct cpu_rec r = { 0 };
	u64 before[NR_STATS], after[NR_STATS];
	struct task_struct *p;
	int irq = ul_irq_alloc();
	u64 t0;

	ul_run_until_idle(NSEC_PER_SEC);
	ul_cpu_usage(1, before);
	t0 = ul_now_ns();
	p = ul_task_create(cpu_fn, &r, "cpu", 1, NULL);
	assert_non_null(p);
	assert_int_equal(ul_task_join(p), 0);
	assert_true(r.utime >= 5 * NSEC_PER_MSEC);
	assert_true(r.stime >= 5 * NSEC_PER_MSEC);
	/* The sim charges real (monotonic) time, so a busy machine that preempts the burn makes
	 * it longer; what must hold is that the system part was not charged as user time: user
	 * time is at most the user burn's real time plus the task's start-up and switch slack. */
	assert_true(r.utime < r.u_wall + 2 * NSEC_PER_MSEC);
	assert_true(r.stime < r.s_wall + 2 * NSEC_PER_MSEC);

	open_softirq(BLOCK_SOFTIRQ, softirq_burn);
	raise_softirq_on(1, BLOCK_SOFTIRQ);
	assert_int_equal(request_irq(irq, irq_burn, 0, "burn", &r), 0);
	irq_set_affinity(irq, 1);
	ul_irq_raise(irq);
	ul_run_for(10 * NSEC_PER_SEC);
	ul_cpu_usage(1, after);
	assert_true(after[CPUTIME_USER] - before[CPUTIME_USER] >= 5 * NSEC_PER_MSEC);
	assert_true(after[CPUTIME_SYSTEM] - before[CPUTIME_SYSTEM] >= 5 * NSEC_PER_MSEC);
	assert_true(after[CPUTIME_SOFTIRQ] - before[CPUTIME_SOFTIRQ] >= 3 * NSEC_PER_MSEC);
	assert_true(after[CPUTIME_IRQ] - before[CPUTIME_IRQ] >= 3 * NSEC_PER_MSEC);
	assert_int_equal(after[CPUTIME_NICE], 0);
	assert_int_equal(after[CPUTIME_IOWAIT], 0);
	assert_int_equal(after[CPUTIME_STEAL], 0);
	/* Idle is the virtual time that was not busy. */
	{
		u64 busy = 0;
		int i;

		for (i = 0; i < NR_STATS; i++)
			if (i != CPUTIME_IDLE)
				busy += after[i];
		assert_int_equal(after[CPUTIME_IDLE] + busy, ul_now_ns());
		assert_true(after[CPUTIME_IDLE] > 9 * NSEC_PER_SEC);
	}
	/* Nothing ran on CPU 0 but ksoftirqd's start: almost all idle. */
	ul_cpu_usage(0, after);
	assert_true(after[CPUTIME_IDLE] > ul_now_ns() - t0 - NSEC_PER_SEC);
	ul_cpu_usage(5, after);
	assert_int_equal(after[CPUTIME_IDLE], 0);
	free_irq(irq, &r);
	open_softirq(BLOCK_SOFTIRQ, NULL);
}

static void test_proc_stat_format(void **state)
{
	char *text, *line, *save = NULL;
	int err, n = 0, cpu_lines = 0;
	unsigned long long v[10];
	unsigned long btime = 0, procs = 0, running = 99, blocked = 99;
	int irq = ul_irq_alloc();
	struct state_rec r = { 0 };

	assert_int_equal(request_irq(irq, irq_burn, 0, "x", &r), 0);
	free_irq(irq, &r);
	ul_run_for(2 * NSEC_PER_SEC);
	text = ul_proc_read_alloc(NULL, "stat", &err);
	assert_non_null(text);
	/* "cpu" then two spaces, as seq_put_decimal_ull after "cpu " prints it. */
	assert_memory_equal(text, "cpu  ", 5);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++) {
		if (n == 0) {
			assert_int_equal(sscanf(line, "cpu  %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
						&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
						&v[7], &v[8], &v[9]), 10);
			/* Two CPUs idle for ~2 s: ~400 USER_HZ ticks of idle. */
			assert_true(v[3] >= 390 && v[3] <= 400);
		} else if (n <= 2) {
			int c = -1;

			assert_int_equal(sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
						&c, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
						&v[6], &v[7], &v[8], &v[9]), 11);
			assert_int_equal(c, n - 1);
			cpu_lines++;
		} else if (n == 3) {
			/* intr TOTAL then one count per IRQ number. */
			int fields = 0;
			char *p = line;

			assert_memory_equal(line, "intr ", 5);
			while ((p = strchr(p, ' ')) != NULL) {
				p++;
				fields++;
			}
			assert_int_equal(fields, 1 + NR_IRQS);
		} else if (n == 4) {
			assert_memory_equal(line, "ctxt ", 5);
		} else if (n == 5) {
			assert_int_equal(sscanf(line, "btime %lu", &btime), 1);
		} else if (n == 6) {
			assert_int_equal(sscanf(line, "processes %lu", &procs), 1);
		} else if (n == 7) {
			assert_int_equal(sscanf(line, "procs_running %lu", &running), 1);
		} else if (n == 8) {
			assert_int_equal(sscanf(line, "procs_blocked %lu", &blocked), 1);
		} else if (n == 9) {
			unsigned long long total;
			unsigned int s[NR_SOFTIRQS];

			assert_int_equal(sscanf(line, "softirq %llu %u %u %u %u %u %u %u %u %u %u",
						&total, &s[0], &s[1], &s[2], &s[3], &s[4], &s[5],
						&s[6], &s[7], &s[8], &s[9]), 11);
		}
	}
	assert_int_equal(n, 10);
	assert_int_equal(cpu_lines, 2);
	/* Booted (virtually) on 2026-01-01T00:00:00Z. */
	assert_int_equal(btime, 1767225600UL);
	/* init, two ksoftirqd (and whatever the network started). */
	assert_true(procs >= 3);
	assert_true(running >= 1);	/* the reader */
	assert_int_equal(blocked, 0);
	free(text);
}

/* Boot errors and repeated stacks (no fixture: each test owns its stacks). */
static void test_stack_lifecycle(void **state)
{
	struct ul_config cfg = { .runtime = UL_RUNTIME_SIM, .ncpus = 65 };
	int i;

	assert_false(ul_stack_exists());
	assert_int_equal(ul_stack_create(&cfg), -EINVAL);
	cfg.ncpus = -1;
	assert_int_equal(ul_stack_create(&cfg), -EINVAL);
	cfg.ncpus = 2;
	cfg.runtime = (enum ul_runtime)7;
	assert_int_equal(ul_stack_create(&cfg), -EINVAL);
	assert_false(ul_stack_exists());
	for (i = 0; i < 20; i++) {
		struct task_struct *p;

		cfg.runtime = UL_RUNTIME_SIM;
		cfg.ncpus = i % 3;	/* 0 means 1 */
		assert_int_equal(ul_stack_create(&cfg), 0);
		assert_true(ul_stack_exists());
		assert_int_equal(ul_stack_create(&cfg), -EBUSY);
		assert_int_equal(nr_cpu_ids, i % 3 ? i % 3 : 1);
		assert_int_equal(ul_now_ns(), 0);
		p = ul_task_create(noop_fn, NULL, "t", 0, NULL);
		assert_non_null(p);
		assert_int_equal(p->pid, nr_cpu_ids + 2);
		if (i % 2)
			assert_int_equal(ul_task_join(p), 0);
		/* else: left alive (never run), freed by ul_stack_destroy */
		ul_run_for(NSEC_PER_MSEC);
		ul_stack_destroy();
		assert_false(ul_stack_exists());
		assert_int_equal(ul_now_ns(), 0);
	}
	ul_stack_destroy(); /* nothing to do */
}

static void test_spawn_errors(void **state)
{
	assert_null(ul_task_spawn(NULL, "x", 2, noop_fn, NULL));
	assert_null(ul_task_spawn(NULL, "x", -2, noop_fn, NULL));
	assert_null(ul_task_spawn(NULL, "x", 0, NULL, NULL));
	assert_null(ul_task_spawn("no-such-netns", "x", 0, noop_fn, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pids_and_names, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_schedule_rules, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_schedule_timeout_and_msleep,
						ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_init_thread_blocks, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_cpu_time_by_context, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_proc_stat_format, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test(test_stack_lifecycle),
		cmocka_unit_test_setup_teardown(test_spawn_errors, ul_test_setup_sim,
						ul_test_teardown),
	};

	/* Debugging aid: run or skip tests by name pattern. */
	if (getenv("CMOCKA_TEST_FILTER"))
		cmocka_set_test_filter(getenv("CMOCKA_TEST_FILTER"));
	if (getenv("CMOCKA_SKIP_FILTER"))
		cmocka_set_skip_filter(getenv("CMOCKA_SKIP_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
