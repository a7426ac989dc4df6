/* SPDX-License-Identifier: MIT */
/* CPU time by context and the counters of /proc/stat. Mirrors linux/include/linux/kernel_stat.h
 * (enum cpu_usage_stat, kcpustat) and the scheduler's nr_running/nr_context_switches.
 *
 * Time is charged at every change of context (irq_enter/irq_exit, the start and end of
 * softirq processing, a task switch, ul_syscall_enter/exit) from the CPU time the calling
 * thread really used (ul_rt->cputime_ns deltas): hard IRQ -> irq, softirq -> softirq, a
 * kernel thread or a task inside a ul_* call -> system, a task in its own code -> user.
 * Idle is what is left of the elapsed stack time (virtual on sim), clamped at 0. */
#ifndef _LINUX_KERNEL_STAT_H
#define _LINUX_KERNEL_STAT_H
#include "linux/types.h"

enum cpu_usage_stat {
	CPUTIME_USER,
	CPUTIME_NICE,
	CPUTIME_SYSTEM,
	CPUTIME_SOFTIRQ,
	CPUTIME_IRQ,
	CPUTIME_IDLE,
	CPUTIME_IOWAIT,
	CPUTIME_STEAL,
	CPUTIME_GUEST,
	CPUTIME_GUEST_NICE,
	NR_STATS,
};

/* Nanoseconds of @cpu spent in each context since boot, indexed by enum cpu_usage_stat
 * (out[CPUTIME_SOFTIRQ] is "si"); all zero for a CPU that does not exist. For the labs. */
void ul_cpu_usage(int cpu, u64 out[NR_STATS]);
/* Charge the CPU time the calling thread used since its last charge to the context it was
 * in. Called by irq.c, softirq.c, sched.c and the runtimes at each context change. */
void ul_account_cputime(void);

/* /proc/stat's ctxt, processes, procs_running, procs_blocked (kernel/sched/core.c, fork.c). */
u64 nr_context_switches(void);
unsigned long nr_processes_forked(void);
unsigned long nr_running(void);
unsigned long nr_iowait(void);

#endif
