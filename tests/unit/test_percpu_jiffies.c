/* SPDX-License-Identifier: MIT */
/* Per-CPU slots on cache lines of their own, and jiffies on the posix runtime read from the
 * clock of the thread's last accounting point (refreshed at each one, read afresh after a
 * block), the sim runtime's jiffies unchanged.
 * Mirrors linux/include/linux/percpu.h (DEFINE_PER_CPU, per_cpu) and jiffies.h; tests
 * src/arch/posix/posix.c (tick_ns) and src/arch/runtime.c (ul_tick_ns). */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include "harness.h"
#include "linux/jiffies.h"
#include "linux/kernel_stat.h"
#include "linux/percpu.h"

static DEFINE_PER_CPU(int, t_int);
static DEFINE_PER_CPU(unsigned long, t_long);
struct t_big {
	char b[100];
};
static DEFINE_PER_CPU(struct t_big, t_big);

/* ---- per-CPU slots ---- */

static void test_percpu_slots_own_lines(void **state)
{
	int cpu;

	(void)state;
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		per_cpu(t_int, cpu) = cpu;
		per_cpu(t_long, cpu) = 1000UL + (unsigned long)cpu;
		per_cpu(t_big, cpu).b[99] = (char)cpu;
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		/* A small variable: each CPU's slot starts a line of its own. */
		assert_int_equal((uintptr_t)&per_cpu(t_int, cpu) % 64, 0);
		assert_int_equal((uintptr_t)&per_cpu(t_long, cpu) % 64, 0);
		if (cpu) {
			assert_true((uintptr_t)&per_cpu(t_int, cpu) -
				    (uintptr_t)&per_cpu(t_int, cpu - 1) >= 64);
			assert_true((uintptr_t)&per_cpu(t_big, cpu) -
				    (uintptr_t)&per_cpu(t_big, cpu - 1) >= sizeof(struct t_big));
		}
		/* No slot aliases another. */
		assert_int_equal(per_cpu(t_int, cpu), cpu);
		assert_int_equal(per_cpu(t_long, cpu), 1000UL + (unsigned long)cpu);
		assert_int_equal(per_cpu(t_big, cpu).b[99], (char)cpu);
		assert_ptr_equal(per_cpu_ptr(&t_int, cpu), &per_cpu(t_int, cpu));
	}
	assert_ptr_equal(&__get_cpu_var(t_long), &per_cpu(t_long, smp_processor_id()));
	assert_ptr_equal(this_cpu_ptr(&t_big), &per_cpu(t_big, smp_processor_id()));
}

/* ---- jiffies ---- */

static u64 host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
}

/* Spin on the host clock (no call into the stack, so no accounting point) for @ns. */
static void busy_host(u64 ns)
{
	u64 end = host_ns() + ns;
	unsigned long n = 0;

	while (host_ns() < end && ++n < 2000000000UL)
		;
}

static void test_posix_jiffies_tick(void **state)
{
	unsigned long j0, j1, j2;

	(void)state;
	/* At an accounting point jiffies takes the clock of that point, and keeps it while the
	 * thread runs on without another: 5 ms of host time do not move it. */
	ul_account_cputime();
	j0 = jiffies;
	assert_true(j0 - INITIAL_JIFFIES <= ul_clock_ns() / NSEC_PER_MSEC);
	busy_host(5 * NSEC_PER_MSEC);
	assert_int_equal(jiffies, j0);
	/* The next accounting point (a system call's entry, a softirq, a switch) catches up. */
	ul_account_cputime();
	j1 = jiffies;
	assert_true(j1 - j0 >= 5);
	assert_true(j1 - INITIAL_JIFFIES <= ul_clock_ns() / NSEC_PER_MSEC);
	/* After a block the thread reads the clock afresh. */
	ul_sleep(20 * NSEC_PER_MSEC);
	j2 = jiffies;
	assert_true(j2 - j1 >= 20);
	assert_true(j2 - INITIAL_JIFFIES <= ul_clock_ns() / NSEC_PER_MSEC);
}

/* A second stack restarts the clock: no jiffies of the first one stay in the thread. */
static void test_posix_jiffies_new_stack(void **state)
{
	struct ul_config cfg = { .runtime = UL_RUNTIME_POSIX, .ncpus = 2, .seed = 1 };

	(void)state;
	assert_int_equal(ul_stack_create(&cfg), 0);
	ul_sleep(60 * NSEC_PER_MSEC);
	ul_account_cputime();
	assert_true(jiffies - INITIAL_JIFFIES >= 60);
	ul_stack_destroy();
	assert_int_equal(ul_stack_create(&cfg), 0);
	assert_true(jiffies - INITIAL_JIFFIES <= ul_clock_ns() / NSEC_PER_MSEC);
	ul_stack_destroy();
}

/* sim: jiffies is the virtual clock, exactly. */
static void test_sim_jiffies_exact(void **state)
{
	(void)state;
	assert_int_equal(jiffies, INITIAL_JIFFIES + ul_clock_ns() / NSEC_PER_MSEC);
	ul_account_cputime();
	ul_run_for(7 * NSEC_PER_MSEC + 1);
	assert_int_equal(jiffies, INITIAL_JIFFIES + ul_clock_ns() / NSEC_PER_MSEC);
	assert_int_equal(ul_tick_ns(), ul_clock_ns());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percpu_slots_own_lines),
		cmocka_unit_test_setup_teardown(test_posix_jiffies_tick, ul_test_setup_posix,
						ul_test_teardown),
		cmocka_unit_test(test_posix_jiffies_new_stack),
		cmocka_unit_test_setup_teardown(test_sim_jiffies_exact, ul_test_setup_sim,
						ul_test_teardown),
	};

	if (getenv("CMOCKA_TEST_FILTER"))
		cmocka_set_test_filter(getenv("CMOCKA_TEST_FILTER"));
	if (getenv("CMOCKA_SKIP_FILTER"))
		cmocka_set_skip_filter(getenv("CMOCKA_SKIP_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
