/* SPDX-License-Identifier: MIT */
/* The sim runtime: event order, virtual time, task sleeps and wakeups, deadlock detection,
 * coroutine stacks with guard pages, many tasks.
 * Mirrors nothing in Linux: tests src/arch/sim (the scheduler and clock of the simulation). */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"
#include "arch/arch.h"
#include "linux/errno.h"
#include "linux/hardirq.h"
#include "linux/jiffies.h"
#include "linux/ktime.h"
#include "linux/sched.h"
#include "linux/timer.h"

/* ---- events ---- */

struct ev_log {
	int order[16];
	u64 when[16];
	int n;
};

struct ev_arg {
	struct ev_log *log;
	int id;
	int cpu_seen;
};

static void log_event(void *arg)
{
	struct ev_arg *a = arg;

	if (a->log->n < 16) {
		a->log->order[a->log->n] = a->id;
		a->log->when[a->log->n] = ul_now_ns();
		a->log->n++;
	}
	/* An event outside any task runs as the CPU's idle task, not in interrupt. */
	if (current && (current->flags & PF_IDLE) && current->cpu == smp_processor_id() &&
	    preempt_count() == 0)
		a->cpu_seen = smp_processor_id();
}

static void test_events_ordered(void **state)
{
	struct ev_log log = { .n = 0 };
	struct ev_arg a[6];
	/* id: time posted at, in posting order. */
	static const u64 times[6] = { 3000, 1000, 3000, 2000, 1000, 3000 };
	static const int expect[6] = { 1, 4, 3, 0, 2, 5 };
	u64 t0 = ul_now_ns();
	int i;

	ul_run_until_idle(NSEC_PER_SEC); /* let boot work (ksoftirqd starting) finish */
	t0 = ul_now_ns();
	for (i = 0; i < 6; i++) {
		a[i] = (struct ev_arg){ .log = &log, .id = i, .cpu_seen = -1 };
		assert_int_equal(ul_call_at(t0 + times[i], i % 2, log_event, &a[i]), 0);
	}
	assert_int_equal(ul_call_at(t0, 2, log_event, &a[0]), -EINVAL); /* only 2 CPUs */
	assert_int_equal(ul_call_at(t0, 0, NULL, NULL), -EINVAL);
	assert_int_equal(ul_run_until_idle(NSEC_PER_SEC), 1);
	assert_int_equal(log.n, 6);
	for (i = 0; i < 6; i++) {
		assert_int_equal(log.order[i], expect[i]);
		assert_int_equal(log.when[i], t0 + times[expect[i]]);
		assert_int_equal(a[i].cpu_seen, i % 2);
	}
	/* Idle: the clock stays where the last event was. */
	assert_int_equal(ul_now_ns(), t0 + 3000);
}

static void test_virtual_time_jumps(void **state)
{
	struct timespec a, b;
	u64 t0 = ul_now_ns();

	clock_gettime(CLOCK_MONOTONIC, &a);
	ul_run_for(3600 * NSEC_PER_SEC); /* an hour of virtual time */
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_int_equal(ul_now_ns(), t0 + 3600 * NSEC_PER_SEC);
	assert_true(b.tv_sec - a.tv_sec < 2);
	assert_int_equal(jiffies, INITIAL_JIFFIES + ul_now_ns() / NSEC_PER_MSEC);
	/* The wall clock of a simulated run starts on 2026-01-01T00:00:00Z. */
	assert_int_equal(ktime_get_real(), 1767225600LL * NSEC_PER_SEC + (s64)ul_now_ns());
}

/* ---- tasks ---- */

struct pingpong {
	struct task_struct *sleeper;
	bool flag;
	u64 woke_at;
	u64 waker_at;
	int sleeper_cpu;
	int wake1, wake2;
};

static int sleeper_fn(void *arg)
{
	struct pingpong *pp = arg;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(pp->flag))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	pp->woke_at = ul_now_ns();
	pp->sleeper_cpu = smp_processor_id();
	return 7;
}

static int waker_fn(void *arg)
{
	struct pingpong *pp = arg;

	ul_sleep(5 * NSEC_PER_MSEC);
	pp->waker_at = ul_now_ns();
	WRITE_ONCE(pp->flag, true);
	pp->wake1 = wake_up_process(pp->sleeper);
	/* Already runnable: a second wakeup does nothing. */
	pp->wake2 = wake_up_process(pp->sleeper);
	return 3;
}

static void test_task_sleep_wake(void **state)
{
	struct pingpong pp = { .flag = false };
	struct task_struct *w;
	u64 t0 = ul_now_ns();

	pp.sleeper = ul_task_create(sleeper_fn, &pp, "sleeper", 1, NULL);
	assert_non_null(pp.sleeper);
	w = ul_task_create(waker_fn, &pp, "waker", 0, NULL);
	assert_non_null(w);
	assert_int_equal(ul_task_join(w), 3);
	assert_int_equal(ul_task_join(pp.sleeper), 7);
	assert_int_equal(pp.waker_at, t0 + 5 * NSEC_PER_MSEC);
	/* Woken at the same virtual instant, on its own CPU. */
	assert_int_equal(pp.woke_at, pp.waker_at);
	assert_int_equal(pp.sleeper_cpu, 1);
	assert_int_equal(pp.wake1, 1);
	assert_int_equal(pp.wake2, 0);
}

struct precise {
	u64 ns;
	u64 slept;
	unsigned long nvcsw;
};

static int precise_fn(void *arg)
{
	struct precise *pr = arg;
	struct ul_task_stats st;
	u64 t0 = ul_now_ns();

	ul_sleep(pr->ns);
	pr->slept = ul_now_ns() - t0;
	pr->nvcsw = ul_task_stats(NULL, &st) ? 99 : st.nvcsw;
	return 0;
}

static void test_sleep_precision(void **state)
{
	static const u64 durations[] = { 1, 999, 1234567, 3 * NSEC_PER_SEC + 17 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(durations); i++) {
		struct precise pr = { .ns = durations[i] };
		struct ul_task *t = ul_task_spawn(NULL, "precise", 0, precise_fn, &pr);

		assert_non_null(t);
		assert_int_equal(ul_task_join(t), 0);
		/* Not rounded to jiffies: exactly the requested nanoseconds. */
		assert_int_equal(pr.slept, durations[i]);
		assert_int_equal(pr.nvcsw, 1);
	}
}

static int forever_fn(void *arg)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	schedule(); /* nobody will wake us (until the test does) */
	return 42;
}

static void test_deadlock_join(void **state)
{
	struct task_struct *p = ul_task_create(forever_fn, NULL, "forever", 0, NULL);

	assert_non_null(p);
	assert_int_equal(ul_task_join(p), -EDEADLK);
	assert_int_equal(p->state, TASK_UNINTERRUPTIBLE);
	/* Still joinable once something can happen again. */
	assert_int_equal(wake_up_process(p), 1);
	assert_int_equal(ul_task_join(p), 42);
}

static struct timer_list periodic;
static unsigned long periodic_runs;

static void periodic_fn(struct timer_list *t)
{
	periodic_runs++;
	mod_timer(t, jiffies + HZ);
}

/* Periodic kernel work never ends: a join still reports the deadlock, after a virtual day in
 * which no application task ran. */
static void test_deadlock_join_periodic_work(void **state)
{
	struct task_struct *p = ul_task_create(forever_fn, NULL, "forever", 1, NULL);
	u64 t0 = ul_now_ns();

	assert_non_null(p);
	timer_setup(&periodic, periodic_fn, 0);
	periodic_runs = 0;
	mod_timer(&periodic, jiffies + HZ);
	assert_int_equal(ul_task_join(p), -EDEADLK);
	assert_true(ul_now_ns() - t0 >= 24ULL * 3600 * NSEC_PER_SEC);
	assert_true(ul_now_ns() - t0 <= 24ULL * 3600 * NSEC_PER_SEC + 2 * NSEC_PER_SEC);
	assert_true(periodic_runs >= 24 * 3600 - 1);
	del_timer_sync(&periodic);
	assert_int_equal(wake_up_process(p), 1);
	assert_int_equal(ul_task_join(p), 42);
}

static int self_join_fn(void *arg)
{
	return ul_task_join(current);
}

static void test_join_errors(void **state)
{
	struct task_struct *p = ul_task_create(self_join_fn, NULL, "selfjoin", 0, NULL);

	assert_int_equal(ul_task_join(NULL), -EINVAL);
	assert_int_equal(ul_task_join(idle_task(0)), -EDEADLK);
	assert_non_null(p);
	assert_int_equal(ul_task_join(p), -EDEADLK);
	assert_null(ul_task_create(self_join_fn, NULL, "badcpu", 2, NULL));
	assert_null(ul_task_create(self_join_fn, NULL, "badcpu", -1, NULL));
	assert_null(ul_task_create(NULL, NULL, "nofn", 0, NULL));
}

/* ---- stacks ---- */

struct guard_info {
	void *addr;
	size_t len;
	char *local;
	int err;
};

static int guard_fn(void *arg)
{
	struct guard_info *g = arg;
	char local = 1;

	g->err = ul_sim_task_guard(current, &g->addr, &g->len);
	g->local = &local;
	return local;
}

/* The mapping of /proc/self/maps that contains @addr: its permissions and end. */
static int find_mapping(uintptr_t addr, char perms[5], uintptr_t *start, uintptr_t *end)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char p[5];

		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) != 3)
			continue;
		if (addr >= lo && addr < hi) {
			memcpy(perms, p, 5);
			*start = lo;
			*end = hi;
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

static void test_guard_page(void **state)
{
	struct guard_info g = { 0 };
	struct task_struct *p = ul_task_create(guard_fn, &g, "guard", 0, NULL);
	char perms[5];
	uintptr_t start, end, lo = 0;

	assert_non_null(p);
	assert_int_equal(ul_task_join(p), 1);
	assert_int_equal(g.err, 0);
	assert_int_equal(g.len, (size_t)sysconf(_SC_PAGESIZE));
	/* The stack lies right above its guard page. */
	assert_true((uintptr_t)g.local > (uintptr_t)g.addr + g.len);
	assert_true((uintptr_t)g.local < (uintptr_t)g.addr + g.len + 256 * 1024);
	/* The stack may be cached for the next task, so the mapping is still there. */
	assert_int_equal(find_mapping((uintptr_t)g.addr, perms, &lo, &end), 0);
	assert_string_equal(perms, "---p");
	assert_true(end >= (uintptr_t)g.addr + g.len);
	(void)start;
}

/* Far beyond any stack: the recursion only stops at the guard page. */
static volatile int recurse_limit = 1 << 30;

static int recurse(volatile char *prev, int depth)
{
	volatile char buf[1024];

	if (depth > recurse_limit)
		return 0;
	buf[0] = (char)depth;
	buf[1023] = prev ? prev[0] : 0;
	return recurse(buf, depth + 1) + buf[512];
}

static int overflow_fn(void *arg)
{
	return recurse(NULL, 0);
}

/* A child process overflows a task's stack: it must die, not run on corrupted memory. */
static void test_stack_overflow_faults(void **state)
{
	pid_t pid;
	int status = 0;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct task_struct *p;

		/* Quiet: ASan (if on) prints its stack-overflow report to stderr. */
		if (!freopen("/dev/null", "w", stderr))
			_exit(3);
		p = ul_task_create(overflow_fn, NULL, "overflow", 0, NULL);
		if (!p)
			_exit(2);
		ul_task_join(p);
		_exit(0); /* not reached: the guard page faults first */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		assert_true(WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS);
	else /* ASan catches the SIGSEGV and exits with its error code */
		assert_int_equal(WEXITSTATUS(status), 1);
}

/* ---- many tasks ---- */

#define MANY 10000

static int many_fn(void *arg)
{
	int id = (int)(long)arg;

	/* Some block, some yield, some just return. */
	if (id % 3 == 0)
		ul_sleep((u64)(id % 7) * NSEC_PER_USEC);
	else if (id % 3 == 1)
		yield();
	return id % 100;
}

static void test_many_tasks(void **state)
{
	static struct ul_task *t[MANY];
	long sum = 0, expect = 0;
	int i;

	for (i = 0; i < MANY; i++) {
		t[i] = ul_task_spawn(NULL, "many", i % 2, many_fn, (void *)(long)i);
		assert_non_null(t[i]);
		expect += i % 100;
	}
	for (i = 0; i < MANY; i++)
		sum += ul_task_join(t[i]);
	assert_int_equal(sum, expect);
	assert_int_equal(ul_sim_pending_events(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_events_ordered, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_virtual_time_jumps, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_task_sleep_wake, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_sleep_precision, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_deadlock_join, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_deadlock_join_periodic_work, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_join_errors, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_guard_page, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_stack_overflow_faults, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_many_tasks, ul_test_setup_sim,
						ul_test_teardown),
	};

	/* Debugging aid: run or skip tests by name pattern. */
	if (getenv("CMOCKA_TEST_FILTER"))
		cmocka_set_test_filter(getenv("CMOCKA_TEST_FILTER"));
	if (getenv("CMOCKA_SKIP_FILTER"))
		cmocka_set_skip_filter(getenv("CMOCKA_SKIP_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
