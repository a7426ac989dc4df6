/* SPDX-License-Identifier: MIT */
/* Hard IRQs: request/free, affinity, delivery context, counts, /proc/interrupts; the tick.
 * Mirrors linux/kernel/irq/{manage,irqdesc,proc}.c behaviour: tests src/kernel/irq.c on sim. */
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

struct irq_rec {
	int calls;
	int cpu;
	int irq;
	bool in_hardirq;
	unsigned int preempt;
	struct task_struct *current_at;
	u64 at_ns;
};

static irqreturn_t rec_handler(int irq, void *dev_id)
{
	struct irq_rec *r = dev_id;

	r->calls++;
	r->irq = irq;
	r->cpu = smp_processor_id();
	r->in_hardirq = in_irq() != 0;
	r->preempt = preempt_count();
	r->current_at = current;
	r->at_ns = ul_now_ns();
	return IRQ_HANDLED;
}

static void test_alloc_request_free(void **state)
{
	struct irq_rec a = { 0 }, b = { 0 };
	int irq = ul_irq_alloc(), irq2 = ul_irq_alloc();

	/* MSI vectors come after the 24 legacy lines, lowest free first. */
	assert_true(irq >= 24);
	assert_true(irq2 > irq);
	assert_int_equal(request_irq(irq, rec_handler, 0, "eth0-rx", &a), 0);
	assert_int_equal(request_irq(irq, rec_handler, 0, "eth0-tx", &b), -EBUSY);
	assert_int_equal(request_irq(NR_IRQS, rec_handler, 0, "bad", &a), -EINVAL);
	assert_int_equal(request_irq(irq2, NULL, 0, "bad", &a), -EINVAL);
	assert_int_equal(request_irq(irq2, rec_handler, IRQF_SHARED, "bad", NULL), -EINVAL);
	assert_int_equal(irq_set_affinity(irq, 2), -EINVAL); /* 2 CPUs */
	assert_int_equal(irq_set_affinity(NR_IRQS, 0), -EINVAL);
	assert_int_equal(irq_get_affinity(NR_IRQS), -EINVAL);
	assert_int_equal(irq_get_affinity(irq), 0);
	free_irq(irq, &a);
	/* Its last handler gone, the vector is free again (irq2 is still allocated). */
	assert_int_equal(ul_irq_alloc(), irq);
	free_irq(irq2, &a); /* never requested: a warning, nothing else */
}

static void test_delivery_on_affinity_cpu(void **state)
{
	struct irq_rec r = { 0 };
	int irq = ul_irq_alloc(), i;
	u64 t0;

	assert_true(irq > 0);
	assert_int_equal(request_irq(irq, rec_handler, 0, "eth0-TxRx-0", &r), 0);
	assert_int_equal(irq_set_affinity(irq, 1), 0);
	assert_int_equal(irq_get_affinity(irq), 1);
	ul_run_until_idle(NSEC_PER_SEC);
	t0 = ul_now_ns();
	for (i = 0; i < 3; i++)
		ul_irq_raise(irq);
	assert_int_equal(r.calls, 0); /* never inline */
	assert_int_equal(ul_run_until_idle(NSEC_PER_SEC), 1);
	assert_int_equal(r.calls, 3);
	assert_int_equal(r.irq, irq);
	assert_int_equal(r.cpu, 1);
	assert_true(r.in_hardirq);
	assert_int_equal(r.preempt, HARDIRQ_OFFSET);
	assert_ptr_equal(r.current_at, idle_task(1));
	assert_string_equal(idle_task(1)->comm, "swapper/1");
	assert_int_equal(r.at_ns, t0); /* at the current virtual time */
	assert_int_equal(kstat_irqs_cpu(irq, 1), 3);
	assert_int_equal(kstat_irqs_cpu(irq, 0), 0);

	irq_set_affinity(irq, 0);
	ul_irq_raise(irq);
	assert_int_equal(ul_run_until_idle(NSEC_PER_SEC), 1);
	assert_int_equal(r.cpu, 0);
	assert_int_equal(kstat_irqs_cpu(irq, 0), 1);
	assert_int_equal(kstat_irqs_cpu(irq, 1), 3);
	assert_int_equal(kstat_irqs_cpu(NR_IRQS, 0), 0);
	free_irq(irq, &r);
}

/* /proc/irq/N/smp_affinity: read as a hex mask, written with echo, steering delivery. */
static void test_proc_smp_affinity(void **state)
{
	struct irq_rec r = { 0 };
	int irq = ul_irq_alloc(), err;
	char path[64], list[64], *text;

	assert_true(irq > 0);
	snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity", irq);
	snprintf(list, sizeof(list), "/proc/irq/%d/smp_affinity_list", irq);
	assert_null(ul_proc_read(NULL, path, &err));	/* no handler, no file */
	assert_int_equal(err, -ENOENT);
	assert_int_equal(request_irq(irq, rec_handler, 0, "eth0-TxRx-0", &r), 0);
	text = ul_proc_read(NULL, path, &err);
	assert_string_equal(text, "1\n");	/* 2 CPUs: one hex digit, CPU 0 */
	free(text);
	assert_int_equal(ul_proc_write(NULL, path, "2"), 0);
	assert_int_equal(irq_get_affinity(irq), 1);
	text = ul_proc_read(NULL, list, &err);
	assert_string_equal(text, "1\n");
	free(text);
	ul_irq_raise(irq);
	assert_int_equal(ul_run_until_idle(NSEC_PER_SEC), 1);
	assert_int_equal(r.cpu, 1);
	/* Both CPUs: delivered to the first; no online CPU or garbage: -EINVAL, unchanged. */
	assert_int_equal(ul_proc_write(NULL, path, "3\n"), 0);
	assert_int_equal(irq_get_affinity(irq), 0);
	text = ul_proc_read(NULL, list, &err);
	assert_string_equal(text, "0-1\n");
	free(text);
	assert_int_equal(ul_proc_write(NULL, path, "4"), -EINVAL);
	assert_int_equal(ul_proc_write(NULL, path, "xyz"), -EINVAL);
	assert_int_equal(ul_proc_write(NULL, path, ""), -EINVAL);
	text = ul_proc_read(NULL, path, &err);
	assert_string_equal(text, "3\n");
	free(text);
	assert_int_equal(ul_proc_write(NULL, list, "1"), -EACCES);
	free_irq(irq, &r);
	assert_null(ul_proc_read(NULL, path, &err));
}

static void test_shared_irq(void **state)
{
	struct irq_rec a = { 0 }, b = { 0 };
	int irq = ul_irq_alloc();

	assert_int_equal(request_irq(irq, rec_handler, IRQF_SHARED, "a", &a), 0);
	assert_int_equal(request_irq(irq, rec_handler, IRQF_SHARED, "b", &b), 0);
	ul_irq_raise(irq);
	ul_run_until_idle(NSEC_PER_SEC);
	assert_int_equal(a.calls, 1);
	assert_int_equal(b.calls, 1);
	free_irq(irq, &a);
	ul_irq_raise(irq);
	ul_run_until_idle(NSEC_PER_SEC);
	assert_int_equal(a.calls, 1);
	assert_int_equal(b.calls, 2);
	free_irq(irq, &b);
}

static void tick_event(void *arg)
{
	ul_timer_tick((int)(long)arg);
}

static void test_proc_interrupts_format(void **state)
{
	struct irq_rec a = { 0 }, b = { 0 }, c = { 0 };
	int irq = ul_irq_alloc(), irq2;
	char *text;
	int err;
	unsigned long loc0, loc1;

	assert_true(irq >= 24 && irq < 999);
	assert_int_equal(request_irq(irq, rec_handler, 0, "eth0-rx-0", &a), 0);
	irq2 = ul_irq_alloc();
	assert_true(irq2 > irq && irq2 < 999);
	assert_int_equal(request_irq(irq2, rec_handler, IRQF_SHARED, "veth0", &b), 0);
	assert_int_equal(request_irq(irq2, rec_handler, IRQF_SHARED, "veth1", &c), 0);
	irq_set_affinity(irq, 1);
	ul_irq_raise(irq);
	ul_irq_raise(irq);
	ul_irq_raise(irq2);
	/* Local timer interrupts, as the runtime delivers them. */
	loc0 = kstat_timer_irqs_cpu(0);
	loc1 = kstat_timer_irqs_cpu(1);
	ul_call_at(ul_now_ns(), 1, tick_event, (void *)1L);
	assert_int_equal(ul_run_until_idle(NSEC_PER_SEC), 1);
	assert_int_equal(kstat_timer_irqs_cpu(1), loc1 + 1);

	text = ul_proc_read_alloc(NULL, "interrupts", &err);
	assert_non_null(text);
	{
		char expect[512];

		snprintf(expect, sizeof(expect),
			 "           CPU0       CPU1       \n"
			 "%3d:          0          2  ulnet-MSI-edge      eth0-rx-0\n"
			 "%3d:          1          0  ulnet-MSI-edge      veth0, veth1\n"
			 "LOC: %10lu %10lu   Local timer interrupts\n",
			 irq, irq2, loc0, loc1 + 1);
		/* Lines of other subsystems (if any) come before or between ours. */
		assert_non_null(strstr(text, "           CPU0       CPU1       \n"));
		assert_non_null(strstr(text, strchr(expect, '\n') + 1));
	}
	free(text);
	free_irq(irq, &a);
	free_irq(irq2, &b);
	free_irq(irq2, &c);
	/* A line with counts stays listed after its handlers are gone, without a name. */
	text = ul_proc_read_alloc(NULL, "interrupts", &err);
	assert_non_null(text);
	{
		char row[128];

		snprintf(row, sizeof(row), "\n%3d:          0          2  ulnet-MSI-edge    \n",
			 irq);
		assert_non_null(strstr(text, row));
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_alloc_request_free, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_delivery_on_affinity_cpu, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_proc_smp_affinity, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_shared_irq, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_proc_interrupts_format, ul_test_setup_sim,
						ul_test_teardown),
	};

	/* Debugging aid: run or skip tests by name pattern. */
	if (getenv("CMOCKA_TEST_FILTER"))
		cmocka_set_test_filter(getenv("CMOCKA_TEST_FILTER"));
	if (getenv("CMOCKA_SKIP_FILTER"))
		cmocka_set_skip_filter(getenv("CMOCKA_SKIP_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
