/* SPDX-License-Identifier: MIT */
/* The per-thread execution context (current, CPU, preempt_count) and the runtime pointer.
 * Mirrors linux/kernel/sched/core.c and arch/x86/kernel/smpboot.c: current, nr_cpu_ids,
 * and the slow path of the spinlock (kernel/locking/spinlock.c). */
#include <sched.h>
#include "linux/errno.h"
#include "arch/arch.h"
#include "linux/hardirq.h"
#include "linux/jiffies.h"
#include "linux/ktime.h"
#include "linux/percpu.h"
#include "linux/sched.h"
#include "linux/spinlock.h"

/* The runtime of the stack that exists (NULL between stacks). */
const struct ul_runtime_ops *ul_rt;
/* Set by the posix runtime: spinlocks must really lock (sim runs one thing at a time). */
bool ul_smp;
int nr_cpu_ids = 1;

/* Per OS thread: on sim the runtime saves and restores them at every coroutine switch, on
 * posix each thread has its own. */
__thread int ul_this_cpu;
__thread struct task_struct *ul_current;
__thread unsigned int ul_preempt_count;

u64 ul_clock_ns(void)
{
	return ul_rt ? ul_rt->clock_ns() : 0;
}

u64 ul_tick_ns(void)
{
	if (!ul_rt)
		return 0;
	return ul_rt->tick_ns ? ul_rt->tick_ns() : ul_rt->clock_ns();
}

ktime_t ktime_get_real(void)
{
	return ul_rt ? (ktime_t)ul_rt->realtime_ns() : 0;
}

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#else
#define cpu_relax() barrier()
#endif

/* Contended spinlock: spin a little, then give the CPU away so the holder (maybe on the same
 * host core) can finish. Only reached when ul_smp is set (posix). */
void __ul_spin_lock_slow(spinlock_t *l)
{
	unsigned int spins = 0;

	for (;;) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
			if (++spins < 64)
				cpu_relax();
			else
				sched_yield();
		}
		if (!__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
			return;
	}
}

int ul_call_at(u64 ns, int cpu, void (*fn)(void *), void *arg)
{
	if (!ul_rt || !fn)
		return -EINVAL;
	if (cpu < 0 || cpu >= nr_cpu_ids)
		return -EINVAL;
	return ul_rt->call_at(ns, cpu, fn, arg);
}
