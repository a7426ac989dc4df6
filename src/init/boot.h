/* SPDX-License-Identifier: MIT */
/* Boot and teardown order of the stack (the explicit version of Linux's initcalls: a static
 * library drops objects nobody references, so src/init/main.c calls each subsystem by name).
 * Each *_init has a *_fini that undoes it and resets the subsystem's globals, so a process
 * may create and destroy stacks one after another (the unit tests do). */
#ifndef _INIT_BOOT_H
#define _INIT_BOOT_H
#include <stdio.h>
#include "linux/types.h"

/* mm/slab.c */
void kmem_cache_init(void);
void kmem_cache_fini(void);	/* reports caches with objects still allocated */
/* lib/random.c */
void ul_random_init(u64 seed);
/* kernel/printk.c */
void printk_init(FILE *log);
/* fs/proc: the /proc registry */
void proc_root_init(void);
void proc_root_fini(void);
/* kernel/sysctl.c */
void sysctl_init(void);
void sysctl_fini(void);
/* kernel/timer.c: per-CPU timer wheels (after nr_cpu_ids is set) */
void init_timers(void);
void fini_timers(void);
/* kernel/softirq.c, irq.c, sched.c, cpu_stat.c */
void softirq_init(void);	/* open_softirq tables, per-CPU state, /proc/softirqs */
void spawn_ksoftirqd(void);	/* one ksoftirqd/N task per CPU */
void stop_ksoftirqd(void);	/* teardown, after net_shutdown: each ksoftirqd exits */
void softirq_fini(void);
void irq_init(void);		/* /proc/interrupts */
void irq_fini(void);
void sched_init(void);		/* idle tasks, pid counter */
void sched_fini(void);		/* kills tasks still alive */
void sched_interrupt_tasks(void); /* posix teardown: tasks get -EINTR, 2 s to return */
void cpu_stat_init(void);	/* /proc/stat */
void cpu_stat_fini(void);
/* net: net_ns_init (init_net), net_dev_init (softnet_data, NET_RX/NET_TX), loopback,
 * packet capture. Defined in src/net/core/boot.c. */
int net_boot(void);
void net_shutdown(void);
/* kernel/trace.c */
void ul_trace_reset(void);

#endif
