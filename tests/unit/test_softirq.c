/* SPDX-License-Identifier: MIT */
/* Softirqs: where and when a raised vector runs, the restart limit and ksoftirqd, the
 * bottom-half counters, /proc/softirqs.
 * Mirrors linux/kernel/softirq.c's behaviour (3.10): tests src/kernel/softirq.c on sim. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "arch/arch.h"
#include "linux/errno.h"
#include "linux/hardirq.h"
#include "linux/interrupt.h"
#include "linux/jiffies.h"
#include "linux/sched.h"
#include "linux/seq_file.h"

/* Vectors the network stack never uses, free for the tests. */
#define TEST_VEC BLOCK_SOFTIRQ
#define TEST_VEC2 BLOCK_IOPOLL_SOFTIRQ

struct run_rec {
	int runs;
	int phase_at_run;		/* the raiser's phase when the vector ran */
	int cpu;
	bool serving;			/* in_serving_softirq() */
	bool hardirq;
	struct task_struct *current_at_run;
	int inline_runs;		/* runs with current == the raiser */
	int storm_limit;		/* re-raise until runs reaches this */
	struct task_struct *raiser;
};

static struct run_rec rec;
static int phase;

static void test_action(struct softirq_action *h)
{
	rec.runs++;
	rec.phase_at_run = phase;
	rec.cpu = smp_processor_id();
	rec.serving = in_serving_softirq() != 0;
	rec.hardirq = in_irq() != 0;
	rec.current_at_run = current;
	if (current == rec.raiser)
		rec.inline_runs++;
	if (rec.runs < rec.storm_limit)
		raise_softirq(TEST_VEC);
}

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	memset(&rec, 0, sizeof(rec));
	phase = 0;
	open_softirq(TEST_VEC, test_action);
	return err;
}

static int teardown(void **state)
{
	open_softirq(TEST_VEC, NULL);
	return ul_test_teardown(state);
}

struct bh_result {
	unsigned int pc_disabled, pc_nested, pc_after;
	bool in_softirq_disabled, serving_disabled;
	int cpu;
};

static int bh_task(void *arg)
{
	struct bh_result *r = arg;

	rec.raiser = current;
	r->cpu = smp_processor_id();
	local_bh_disable();
	r->pc_disabled = preempt_count();
	r->in_softirq_disabled = in_softirq() != 0;
	r->serving_disabled = in_serving_softirq() != 0;
	local_bh_disable();
	r->pc_nested = preempt_count();
	phase = 1;
	raise_softirq(TEST_VEC);
	phase = 2;
	local_bh_enable(); /* still disabled once: nothing runs */
	phase = 3;
	local_bh_enable(); /* runs here */
	phase = 4;
	r->pc_after = preempt_count();
	return 0;
}

/* Raised with bottom halves off: served by local_bh_enable, on the same CPU, in softirq
 * context, on top of the task that raised it. */
static void test_raise_bh_disabled_runs_at_enable(void **state)
{
	struct bh_result r = { 0 };
	struct task_struct *p = ul_task_create(bh_task, &r, "bh", 1, NULL);

	assert_non_null(p);
	assert_int_equal(ul_task_join(p), 0);
	assert_int_equal(r.pc_disabled, SOFTIRQ_DISABLE_OFFSET);
	assert_int_equal(r.pc_nested, 2 * SOFTIRQ_DISABLE_OFFSET);
	assert_true(r.in_softirq_disabled);
	assert_false(r.serving_disabled);
	assert_int_equal(r.pc_after, 0);
	assert_int_equal(rec.runs, 1);
	assert_int_equal(rec.phase_at_run, 3);
	assert_int_equal(rec.cpu, 1);
	assert_true(rec.serving);
	assert_false(rec.hardirq);
	assert_ptr_equal(rec.current_at_run, p);
	assert_int_equal(kstat_softirqs_cpu(TEST_VEC, 1), 1);
	assert_int_equal(kstat_softirqs_cpu(TEST_VEC, 0), 0);
}

static unsigned int nested_pc_after_enable;
static int nested_runs_at_enable;

/* A softirq handler taking bottom halves (as the transmit path does in NET_RX): leaving its
 * bh section must not run softirqs inside the one being served. */
static void nested_action(struct softirq_action *h)
{
	local_bh_disable();
	raise_softirq(TEST_VEC);
	local_bh_enable();
	nested_runs_at_enable = rec.runs;
	nested_pc_after_enable = preempt_count();
}

static int nested_task(void *arg)
{
	local_bh_disable();
	raise_softirq(TEST_VEC2);
	local_bh_enable();
	/* Unbalanced: warned about, preempt_count left alone. */
	local_bh_enable();
	*(unsigned int *)arg = preempt_count();
	return 0;
}

static void test_bh_enable_inside_softirq(void **state)
{
	unsigned int pc_end = 77;
	struct task_struct *p;

	open_softirq(TEST_VEC2, nested_action);
	nested_runs_at_enable = -1;
	p = ul_task_create(nested_task, &pc_end, "bhn", 0, NULL);
	assert_non_null(p);
	assert_int_equal(ul_task_join(p), 0);
	open_softirq(TEST_VEC2, NULL);
	assert_int_equal(nested_runs_at_enable, 0);	/* not run inside TEST_VEC2 */
	/* Served from the task's local_bh_enable, preemption off (3.10): 0x101. */
	assert_int_equal(nested_pc_after_enable, SOFTIRQ_OFFSET + 1);
	assert_int_equal(rec.runs, 1);			/* run by the restart */
	assert_int_equal(pc_end, 0);
}

static int hardirq_bh_task(void *arg)
{
	unsigned int *pc = arg;

	local_bh_disable();
	local_bh_disable();
	irq_enter();
	pc[0] = preempt_count();
	/* In a hard IRQ (3.10 warns): refused even though a section is open beneath. */
	local_bh_enable();
	pc[1] = preempt_count();
	irq_exit();
	local_bh_enable();
	pc[2] = preempt_count();
	local_bh_enable();
	pc[3] = preempt_count();
	return 0;
}

/* local_bh_enable's inline path (a nested section) is taken only outside hard IRQs. */
static void test_bh_enable_in_hardirq_refused(void **state)
{
	unsigned int pc[4] = { 1, 1, 1, 1 };
	struct task_struct *p = ul_task_create(hardirq_bh_task, pc, "bhi", 0, NULL);

	assert_non_null(p);
	assert_int_equal(ul_task_join(p), 0);
	assert_int_equal(pc[0], HARDIRQ_OFFSET + 2 * SOFTIRQ_DISABLE_OFFSET);
	assert_int_equal(pc[1], HARDIRQ_OFFSET + 2 * SOFTIRQ_DISABLE_OFFSET);
	assert_int_equal(pc[2], SOFTIRQ_DISABLE_OFFSET);
	assert_int_equal(pc[3], 0);
}

static int plain_task(void *arg)
{
	rec.raiser = current;
	phase = 1;
	raise_softirq(TEST_VEC);
	phase = 2;
	/* Sleep rather than exit at once: the exit path's spin_unlock_bh (waking joiners)
	 * would serve the pending softirq itself, as any local_bh_enable does. */
	ul_sleep(NSEC_PER_MSEC);
	return 0;
}

/* From plain process context nobody is on the way out of an interrupt: ksoftirqd runs it. */
static void test_raise_process_context_runs_in_ksoftirqd(void **state)
{
	struct task_struct *p = ul_task_create(plain_task, NULL, "plain", 1, NULL);

	assert_non_null(p);
	assert_int_equal(ul_task_join(p), 0);
	assert_int_equal(rec.runs, 1);
	assert_int_equal(rec.phase_at_run, 2);	/* not inline */
	assert_int_equal(rec.cpu, 1);
	assert_true(rec.serving);
	assert_ptr_equal(rec.current_at_run, ksoftirqd_task(1));
	assert_string_equal(ksoftirqd_task(1)->comm, "ksoftirqd/1");
	assert_true(ksoftirqd_task(1)->flags & PF_KTHREAD);

	/* The same from the init thread (outside any spawned task), on CPU 0. */
	memset(&rec, 0, sizeof(rec));
	raise_softirq(TEST_VEC);
	assert_int_equal(rec.runs, 0);
	assert_int_equal(ul_run_until_idle(NSEC_PER_SEC), 1);
	assert_int_equal(rec.runs, 1);
	assert_ptr_equal(rec.current_at_run, ksoftirqd_task(0));
}

static irqreturn_t test_irq_handler(int irq, void *dev_id)
{
	phase = 1;
	raise_softirq(TEST_VEC);
	phase = 2;
	return IRQ_HANDLED;
}

/* Raised in a hard IRQ: runs at irq_exit, on the IRQ's CPU, as the idle task's softirq. */
static void test_raise_in_irq_runs_at_irq_exit(void **state)
{
	int irq = ul_irq_alloc();

	assert_true(irq > 0);
	assert_int_equal(request_irq(irq, test_irq_handler, 0, "test", &rec), 0);
	assert_int_equal(irq_set_affinity(irq, 1), 0);
	ul_irq_raise(irq);
	assert_int_equal(rec.runs, 0); /* delivered as an event, never inline */
	assert_int_equal(ul_run_until_idle(NSEC_PER_SEC), 1);
	assert_int_equal(rec.runs, 1);
	assert_int_equal(rec.phase_at_run, 2);
	assert_int_equal(rec.cpu, 1);
	assert_true(rec.serving);
	assert_false(rec.hardirq);
	assert_ptr_equal(rec.current_at_run, idle_task(1));
	free_irq(irq, &rec);
}

/* raise_softirq_on another CPU: that CPU's ksoftirqd serves it. */
static void test_raise_on_other_cpu(void **state)
{
	raise_softirq_on(1, TEST_VEC);
	assert_int_equal(rec.runs, 0);
	assert_int_equal(ul_run_until_idle(NSEC_PER_SEC), 1);
	assert_int_equal(rec.runs, 1);
	assert_int_equal(rec.cpu, 1);
	assert_ptr_equal(rec.current_at_run, ksoftirqd_task(1));
}

#define STORM 1000

static int seen_by_other_event;
static int inline_after_enable;

static void other_event(void *arg)
{
	seen_by_other_event = rec.runs;
}

static int storm_task(void *arg)
{
	rec.raiser = current;
	local_bh_disable();
	raise_softirq(TEST_VEC);
	local_bh_enable();
	inline_after_enable = rec.inline_runs;
	/* Posted after the storm started: it must still get its turn before it ends. */
	ul_call_at(ul_now_ns(), 0, other_event, NULL);
	return 0;
}

/* A vector that re-raises itself: __do_softirq gives up after MAX_SOFTIRQ_RESTART rounds and
 * ksoftirqd takes over; other work still runs in between. */
static void test_restart_limit_hands_over_to_ksoftirqd(void **state)
{
	struct task_struct *p;
	char *text;
	int err;

	seen_by_other_event = -1;
	rec.storm_limit = STORM;
	p = ul_task_create(storm_task, NULL, "storm", 0, NULL);
	assert_non_null(p);
	assert_int_equal(ul_task_join(p), 0);
	assert_int_equal(ul_run_until_idle(10 * NSEC_PER_SEC), 1);
	assert_int_equal(rec.runs, STORM);
	assert_int_equal(inline_after_enable, MAX_SOFTIRQ_RESTART);
	assert_ptr_equal(rec.current_at_run, ksoftirqd_task(0));
	assert_true(seen_by_other_event > MAX_SOFTIRQ_RESTART);
	assert_true(seen_by_other_event < STORM);
	assert_int_equal(kstat_softirqs_cpu(TEST_VEC, 0), STORM);

	text = ul_proc_read_alloc(NULL, "softirqs", &err);
	assert_non_null(text);
	assert_non_null(strstr(text, "\n       BLOCK:       1000          0\n"));
	free(text);
}

/* /proc/softirqs exactly as fs/proc/softirqs.c prints it. */
static void test_proc_softirqs_format(void **state)
{
	static const char *const names[NR_SOFTIRQS] = {
		"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "BLOCK_IOPOLL",
		"TASKLET", "SCHED", "HRTIMER", "RCU"
	};
	char expect[2048], *text;
	size_t off = 0;
	int i, err;

	raise_softirq_on(1, TEST_VEC);
	assert_int_equal(ul_run_until_idle(NSEC_PER_SEC), 1);
	for (i = 0; i < NR_SOFTIRQS; i++)
		assert_string_equal(softirq_to_name[i], names[i]);

	off += snprintf(expect + off, sizeof(expect) - off, "%20sCPU%-8dCPU%-8d\n", "", 0, 1);
	for (i = 0; i < NR_SOFTIRQS; i++)
		off += snprintf(expect + off, sizeof(expect) - off, "%12s: %10lu %10lu\n", names[i],
				kstat_softirqs_cpu(i, 0), kstat_softirqs_cpu(i, 1));
	text = ul_proc_read_alloc(NULL, "softirqs", &err);
	assert_non_null(text);
	assert_string_equal(text, expect);
	assert_non_null(strstr(text, "                    CPU0       CPU1       \n"));
	assert_non_null(strstr(text, "\n       BLOCK:          0          1\n"));
	free(text);
	assert_int_equal(kstat_softirqs_cpu(NR_SOFTIRQS, 0), 0);
	assert_int_equal(kstat_softirqs_cpu(0, 5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_raise_bh_disabled_runs_at_enable, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bh_enable_inside_softirq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bh_enable_in_hardirq_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raise_process_context_runs_in_ksoftirqd,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_raise_in_irq_runs_at_irq_exit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_raise_on_other_cpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_limit_hands_over_to_ksoftirqd, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_proc_softirqs_format, setup, teardown),
	};

	/* Debugging aid: run or skip tests by name pattern. */
	if (getenv("CMOCKA_TEST_FILTER"))
		cmocka_set_test_filter(getenv("CMOCKA_TEST_FILTER"));
	if (getenv("CMOCKA_SKIP_FILTER"))
		cmocka_set_skip_filter(getenv("CMOCKA_SKIP_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
