/* SPDX-License-Identifier: MIT */
/* The seam between the stack and its runtime (lwIP's sys_arch, Redis ae.c's backends).
 *
 * Only src/arch/sim and src/arch/posix implement this; everything else calls the kernel-style
 * services (schedule, wake_up_process, raise_softirq, mod_timer, ul_irq_raise, jiffies), which
 * call these hooks. The active runtime is chosen when the stack is created.
 *
 * sim: one OS thread, a virtual nanosecond clock and an event queue ordered by (time, seq).
 *   Tasks are coroutines; every piece of work (a task resuming, an IRQ, a timer tick, a
 *   device's DMA) is an event bound to a CPU, so a run is a deterministic sequence.
 * posix: CLOCK_MONOTONIC, one ksoftirqd thread per CPU that also serves as its timer tick,
 *   tasks are threads, locks are real (ul_smp = true). */
#ifndef _ARCH_ARCH_H
#define _ARCH_ARCH_H
#include "linux/types.h"

struct task_struct;
struct ul_config;

struct ul_runtime_ops {
	const char *name;
	int (*init)(const struct ul_config *cfg);
	/* Called after every task has been joined or killed. */
	void (*fini)(void);
	u64 (*clock_ns)(void);
	/* Wall-clock nanoseconds since the epoch (sim: fixed start date + virtual time). */
	u64 (*realtime_ns)(void);
	/* CPU time of the calling thread, for accounting (us/sy/hi/si). */
	u64 (*cputime_ns)(void);
	/* Optional: ul_clock_ns as of the calling thread's last accounting point (what jiffies
	 * reads, as the kernel's jiffies is the time of the last tick); NULL: clock_ns. */
	u64 (*tick_ns)(void);

	/* Create the execution context of @p (p->fn, p->arg, p->cpu set) and make it runnable. */
	int (*task_start)(struct task_struct *p);
	/* Block the current task until its state is TASK_RUNNING (set by a wakeup). */
	void (*task_block)(void);
	/* @p's state was just set to TASK_RUNNING: make it run (sim: queue a resume event). */
	void (*task_wake)(struct task_struct *p);
	/* Let other runnable work run, then continue (current stays runnable). */
	void (*task_yield)(void);
	/* Called on the task's own context when fn returned; never returns. */
	__attribute__((noreturn)) void (*task_exit)(void);
	/* Release the execution context of a dead task. */
	void (*task_free)(struct task_struct *p);
	/* Give @p an execution context on the calling thread, which the runtime did not create
	 * (an application thread calling into the stack). posix only; sim: -EOPNOTSUPP. */
	int (*task_attach)(struct task_struct *p);
	/* Block the current task (its state set by the caller) until a wakeup makes it
	 * TASK_RUNNING or the stack clock reaches @deadline_ns, whichever comes first (then the
	 * runtime sets TASK_RUNNING itself). ns resolution: ul_sleep_ns. */
	void (*task_sleep)(u64 deadline_ns);

	/* Softirqs were raised on @cpu and nobody on that CPU will run them soon. */
	void (*softirq_kick)(int cpu);
	/* The earliest timer on @cpu may have moved earlier, to @expires (jiffies). */
	void (*timer_kick)(int cpu, unsigned long expires);
	/* Deliver hard IRQ @irq on @cpu "soon" (sim: event at the current time). */
	void (*irq_post)(unsigned int irq, int cpu);

	/* posix: serialise bottom halves of @cpu (taken on local_bh_disable 0->1). */
	void (*bh_lock)(int cpu);
	void (*bh_unlock)(int cpu);

	/* Drive the world: sim runs events up to now+@ns (virtual); posix sleeps @ns. */
	void (*run_for)(u64 ns);
	/* sim: run until no event is left or virtual time passes @deadline_ns; returns 1 when
	 * idle. posix: sleeps until @deadline_ns. */
	int (*run_until_idle)(u64 deadline_ns);
	/* sim: run until @p is dead (or nothing can happen any more: returns -EDEADLK; that is
	 * an empty queue, or a virtual day in which no application task ran). */
	int (*run_until_dead)(struct task_struct *p);
	/* Run @fn(@arg) on @cpu at @ns on the stack clock (at once if @ns is past): the hook of
	 * device models and wires (DMA done, a frame arrives after the wire's latency, an
	 * interrupt-coalescing timer). See ul_call_at(). */
	int (*call_at)(u64 ns, int cpu, void (*fn)(void *), void *arg);
};

extern const struct ul_runtime_ops *ul_rt;
extern const struct ul_runtime_ops ul_sim_runtime;
extern const struct ul_runtime_ops ul_posix_runtime;

/* Called by the runtimes: the timer tick of @cpu (raises TIMER_SOFTIRQ if a timer is due,
 * counts a local timer interrupt). Runs in hardirq context via irq_enter/irq_exit. */
void ul_timer_tick(int cpu);
/* Run @fn(@arg) on @cpu when the stack clock reaches @ns (nanoseconds, as ul_clock_ns; a past
 * time means "now, after the caller returns"). Context of @fn: the CPU's idle context, not in
 * interrupt, nothing held (sim: an event with current = swapper/@cpu; posix: @cpu's
 * ksoftirqd thread between its rounds). A device model that raises an interrupt from @fn calls
 * generic_handle_irq() (inline, on @cpu) or ul_irq_raise(). Calls due at the same time run in
 * posting order. There is no cancel: keep a generation number in @arg's object and ignore
 * stale calls. Returns 0, or -EINVAL (no stack, bad CPU, no @fn), -ENOMEM. */
int ul_call_at(u64 ns, int cpu, void (*fn)(void *), void *arg);

/* sim runtime, for tests: the guard page under @p's coroutine stack (-EINVAL if @p has
 * none), and the number of events waiting in the queue. */
int ul_sim_task_guard(struct task_struct *p, void **addr, size_t *len);
size_t ul_sim_pending_events(void);

/* posix runtime, for tests and benchmarks: how @p's blocks ended and how it was woken.
 * -EINVAL without a posix stack or @p's context; -EOPNOTSUPP for a ksoftirqd thread (it
 * waits on its CPU's work, not on these). */
struct ul_posix_wait_stats {
	u64 spin_hits;		/* blocks that ended while spinning (no system call) */
	u64 sleeps;		/* blocks that slept in the host kernel (futex wait) */
	u64 futex_wakes;	/* wakeups of @p that had to make the futex system call */
	u64 yield_starts;	/* spins begun by yielding (the last wakeup came late) */
};
int ul_posix_wait_stats(struct task_struct *p, struct ul_posix_wait_stats *st);
/* The posix runtime's spin bound before sleeping, ns (0: it does not spin), and a change
 * of it on a running stack (@us as ul_config.spin_us). -EINVAL without a posix stack. */
u64 ul_posix_spin_ns(void);
int ul_posix_set_spin_us(int us);

/* Called by runtimes: the body of a task (runs fn, records the exit code, wakes joiners). */
void ul_task_body(struct task_struct *p);

#endif
