/* SPDX-License-Identifier: MIT */
/* Per-CPU variables and the CPU of the running context. Mirrors linux/include/linux/percpu.h
 * and smp.h.
 * DIVERGES: a per-CPU variable is an array of NR_CPUS line-aligned slots; the stack has nr_cpu_ids
 * simulated (sim) or configured (posix) CPUs, not the host's. */
#ifndef _LINUX_PERCPU_H
#define _LINUX_PERCPU_H
#include "linux/types.h"

#define NR_CPUS 64
extern int nr_cpu_ids;
/* The CPU the calling context runs on: set by the runtime when it switches to a task, an
 * interrupt or a softirq of that CPU. Thread-local so that the posix runtime's threads each
 * have their own. */
/* initial-exec, as ul_preempt_count (linux/hardirq.h): per-CPU data is indexed by it on
 * every packet. */
extern __thread int ul_this_cpu __attribute__((tls_model("initial-exec")));

#define smp_processor_id() (ul_this_cpu)
#define raw_smp_processor_id() (ul_this_cpu)
/* Each CPU's slot of a per-CPU variable at least a cache line apart (a row of copies, slot 0
 * used), as each CPU's per-CPU area in Linux: on posix two CPUs are two threads on two host
 * cores, and slots sharing a line (softirq_pending, xmit_recursion: written per packet)
 * bounced it between the cores. */
#define PER_CPU_SLOT_BYTES 64
#define PER_CPU_COPIES(type) \
	(sizeof(type) >= PER_CPU_SLOT_BYTES ? 1 : \
	 (PER_CPU_SLOT_BYTES + sizeof(type) - 1) / sizeof(type))
#define DEFINE_PER_CPU(type, name) \
	__typeof__(type) name[NR_CPUS][PER_CPU_COPIES(type)] \
		__attribute__((aligned(PER_CPU_SLOT_BYTES)))
#define DECLARE_PER_CPU(type, name) \
	extern __typeof__(type) name[NR_CPUS][PER_CPU_COPIES(type)] \
		__attribute__((aligned(PER_CPU_SLOT_BYTES)))
#define per_cpu(var, cpu) ((var)[cpu][0])
#define per_cpu_ptr(ptr, cpu) (&(*(ptr))[cpu][0])
#define this_cpu_ptr(ptr) per_cpu_ptr(ptr, smp_processor_id())
#define __get_cpu_var(var) ((var)[smp_processor_id()][0])
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu) for_each_possible_cpu(cpu)
#define num_online_cpus() (nr_cpu_ids)
#define num_possible_cpus() (nr_cpu_ids)

#endif
