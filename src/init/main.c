/* SPDX-License-Identifier: MIT */
/* Boot and teardown of the stack, and the public calls that drive its clock.
 * Mirrors linux/init/main.c: start_kernel (the explicit order of the initcalls, see
 * init/boot.h) and, for teardown, the same steps in reverse.
 *
 * One stack per process at a time. Every subsystem's *_fini resets its globals, so a
 * process may create and destroy stacks one after another (the unit tests do).
 * Context: the application thread that creates the stack; it becomes the init task. */
#include "linux/errno.h"
#include <stdint.h>
#include "arch/arch.h"
#include "init/boot.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/percpu.h"
#include "linux/sched.h"
#include "linux/spinlock.h"
#include "ulnet/ulnet.h"

static bool stack_exists;

static const struct ul_runtime_ops *runtime_of(enum ul_runtime rt)
{
	switch (rt) {
	case UL_RUNTIME_SIM:
		return &ul_sim_runtime;
	case UL_RUNTIME_POSIX:
		return &ul_posix_runtime;
	}
	return NULL;
}

/* Undo everything that boot did, in reverse, down to the runtime. */
static void stack_teardown_kernel(void)
{
	stop_ksoftirqd();
	fini_timers();
	cpu_stat_fini();
	irq_fini();
	softirq_fini();
	sched_fini();
	ul_rt->fini();
	ul_rt = NULL;
	ul_smp = false;
	nr_cpu_ids = 1;
}

static void stack_teardown_base(void)
{
	sysctl_fini();
	kmem_cache_fini();
	proc_root_fini();
	ul_trace_reset();
}

UL_API int ul_stack_create(const struct ul_config *cfg)
{
	static const struct ul_config defaults = { .runtime = UL_RUNTIME_SIM };
	const struct ul_runtime_ops *rt;
	int ncpus, err;

	if (stack_exists)
		return -EBUSY;
	if (!cfg)
		cfg = &defaults;
	ncpus = cfg->ncpus ? cfg->ncpus : 1;
	if (ncpus < 0 || ncpus > NR_CPUS)
		return -EINVAL;
	rt = runtime_of(cfg->runtime);
	if (!rt)
		return -EINVAL;

	printk_init(cfg->log);
	ul_random_init(cfg->seed);
	/* Before the slab: SLUB sizes its slabs by the number of CPUs (as calculate_order). */
	nr_cpu_ids = ncpus;
	proc_root_init();
	kmem_cache_init();
	sysctl_init();
	ul_rt = rt;
	err = ul_rt->init(cfg);
	if (err) {
		pr_err("ulnet: the %s runtime failed to start: %d\n", rt->name, err);
		ul_rt = NULL;
		ul_smp = false;
		nr_cpu_ids = 1;
		stack_teardown_base();
		return err;
	}
	sched_init();
	softirq_init();
	irq_init();
	cpu_stat_init();
	init_timers();
	spawn_ksoftirqd();
	err = net_boot();
	if (err) {
		pr_err("ulnet: net_boot failed: %d\n", err);
		stack_teardown_kernel();
		stack_teardown_base();
		return err;
	}
	stack_exists = true;
	return 0;
}

UL_API void ul_stack_destroy(void)
{
	struct task_struct *p = ul_current_task();

	if (!stack_exists)
		return;
	/* Not from a task living in the world it would pull down. */
	if (p && p->pid != 1 && !(p->flags & PF_UL_FOREIGN)) {
		pr_err("ul_stack_destroy: called from task %d (%s), ignored\n", p->pid, p->comm);
		return;
	}
	/* posix: application threads leave their waits with -EINTR before the network goes. */
	if (ul_smp)
		sched_interrupt_tasks();
	net_shutdown();
	stack_teardown_kernel();
	stack_teardown_base();
	stack_exists = false;
}

UL_API int ul_stack_exists(void)
{
	return stack_exists;
}

UL_API uint64_t ul_now_ns(void)
{
	return ul_clock_ns();
}

UL_API void ul_run_for(uint64_t ns)
{
	if (!stack_exists)
		return;
	ul_rt->run_for(ns);
}

UL_API int ul_run_until_idle(uint64_t max_ns)
{
	u64 deadline;

	if (!stack_exists)
		return 1;
	deadline = ul_clock_ns() + max_ns;
	if (deadline < max_ns)
		deadline = UINT64_MAX;
	return ul_rt->run_until_idle(deadline);
}
