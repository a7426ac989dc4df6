/* SPDX-License-Identifier: MIT */
/* CPU time by context, charged at each context change, and /proc/stat.
 * Mirrors linux/kernel/sched/cputime.c (irqtime_account_irq, account_user_time,
 * account_system_time) and fs/proc/stat.c (show_stat).
 *
 * DIVERGES: Linux samples the context at each tick (or, with IRQ_TIME_ACCOUNTING, reads the
 * clock at irq entry and exit); ulnet reads the calling thread's CPU clock at every change
 * of context, so what is charged is what the code really spent. On sim that is real CPU time
 * while the clock is virtual: idle is the virtual time elapsed since boot minus the busy
 * time, clamped at 0 (posix computes idle the same way on real time). */
#include <string.h>
#include "arch/arch.h"
#include "init/boot.h"
#include "linux/hardirq.h"
#include "linux/interrupt.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/kernel_stat.h"
#include "linux/percpu.h"
#include "linux/sched.h"
#include "linux/seq_file.h"

/* ns; each CPU's row on lines of its own (per-CPU data in Linux): on posix each CPU's row is
 * written by its own host thread at every context change. */
#define KCPUSTAT_ROW ((NR_STATS + 7) & ~7)
static u64 kcpustat[NR_CPUS][KCPUSTAT_ROW] __attribute__((aligned(64)));
static u64 boot_ns;			/* stack clock at boot */
static unsigned long btime;		/* wall clock at boot, seconds since the epoch */
static bool cpu_stat_ready;

/* The calling thread's CPU clock at its last charge. */
static __thread u64 acct_mark;
static __thread const struct ul_runtime_ops *acct_rt;

void ul_account_cputime(void)
{
	struct task_struct *p = current;
	int cpu = smp_processor_id();
	u64 now, delta;
	int idx;

	if (!ul_rt || !cpu_stat_ready)
		return;
	now = ul_rt->cputime_ns();
	/* First charge on this thread (or for this stack): start counting here. */
	if (acct_rt != ul_rt || now < acct_mark) {
		acct_rt = ul_rt;
		acct_mark = now;
		return;
	}
	delta = now - acct_mark;
	acct_mark = now;
	if (!delta || cpu < 0 || cpu >= nr_cpu_ids)
		return;
	if (hardirq_count()) {
		idx = CPUTIME_IRQ;
	} else if (in_serving_softirq()) {
		idx = CPUTIME_SOFTIRQ;
	} else if (!p || (p->flags & PF_IDLE)) {
		/* The sim loop between events: the runtime's own overhead, nobody's time. */
		return;
	} else if ((p->flags & PF_KTHREAD) || p->in_syscall) {
		idx = CPUTIME_SYSTEM;
		__atomic_fetch_add(&p->cputime.stime, delta, __ATOMIC_RELAXED);
	} else {
		idx = CPUTIME_USER;
		__atomic_fetch_add(&p->cputime.utime, delta, __ATOMIC_RELAXED);
	}
	__atomic_fetch_add(&kcpustat[cpu][idx], delta, __ATOMIC_RELAXED);
}

void ul_cpu_usage(int cpu, u64 out[NR_STATS])
{
	u64 busy = 0, elapsed;
	int i;

	memset(out, 0, NR_STATS * sizeof(out[0]));
	if (cpu < 0 || cpu >= nr_cpu_ids || !ul_rt)
		return;
	for (i = 0; i < NR_STATS; i++) {
		out[i] = __atomic_load_n(&kcpustat[cpu][i], __ATOMIC_RELAXED);
		busy += out[i];
	}
	elapsed = ul_clock_ns() - boot_ns;
	out[CPUTIME_IDLE] = elapsed > busy ? elapsed - busy : 0;
}

static unsigned long long ns_to_clock_t(u64 ns)
{
	return (unsigned long long)(ns / (NSEC_PER_SEC / USER_HZ));
}

static void put_usage(struct seq_file *m, const u64 u[NR_STATS])
{
	/* /proc/stat's column order differs from enum cpu_usage_stat. */
	static const int order[NR_STATS] = {
		CPUTIME_USER, CPUTIME_NICE, CPUTIME_SYSTEM, CPUTIME_IDLE, CPUTIME_IOWAIT,
		CPUTIME_IRQ, CPUTIME_SOFTIRQ, CPUTIME_STEAL, CPUTIME_GUEST, CPUTIME_GUEST_NICE,
	};
	int i;

	for (i = 0; i < NR_STATS; i++)
		seq_printf(m, " %llu", ns_to_clock_t(u[order[i]]));
	seq_putc(m, '\n');
}

static int show_stat(struct seq_file *m, void *v)
{
	u64 total[NR_STATS] = { 0 }, u[NR_STATS];
	unsigned long long sum = 0, sum_softirq = 0;
	unsigned int per_softirq_sums[NR_SOFTIRQS] = { 0 };
	int cpu, i;
	unsigned int irq;

	for_each_possible_cpu(cpu) {
		ul_cpu_usage(cpu, u);
		for (i = 0; i < NR_STATS; i++)
			total[i] += u[i];
		for (irq = 0; irq < NR_IRQS; irq++)
			sum += kstat_irqs_cpu(irq, cpu);
		/* arch_irq_stat_cpu: the local timer interrupts are interrupts too. */
		sum += kstat_timer_irqs_cpu(cpu);
		for (i = 0; i < NR_SOFTIRQS; i++) {
			unsigned int n = (unsigned int)kstat_softirqs_cpu(i, cpu);

			per_softirq_sums[i] += n;
			sum_softirq += n;
		}
	}
	seq_puts(m, "cpu ");
	put_usage(m, total);
	for_each_online_cpu(cpu) {
		ul_cpu_usage(cpu, u);
		seq_printf(m, "cpu%d", cpu);
		put_usage(m, u);
	}
	seq_printf(m, "intr %llu", sum);
	for (irq = 0; irq < NR_IRQS; irq++) {
		unsigned long long n = 0;

		for_each_possible_cpu(cpu)
			n += kstat_irqs_cpu(irq, cpu);
		seq_printf(m, " %llu", n);
	}
	seq_printf(m, "\nctxt %llu\nbtime %lu\nprocesses %lu\nprocs_running %lu\nprocs_blocked %lu\n",
		   (unsigned long long)nr_context_switches(), btime, nr_processes_forked(),
		   nr_running(), nr_iowait());
	seq_printf(m, "softirq %llu", sum_softirq);
	for (i = 0; i < NR_SOFTIRQS; i++)
		seq_printf(m, " %u", per_softirq_sums[i]);
	seq_putc(m, '\n');
	return 0;
}

void cpu_stat_init(void)
{
	memset(kcpustat, 0, sizeof(kcpustat));
	boot_ns = ul_rt->clock_ns();
	btime = (unsigned long)((ul_rt->realtime_ns() - boot_ns) / NSEC_PER_SEC);
	acct_rt = NULL;
	cpu_stat_ready = true;
	proc_create_single("stat", show_stat, NULL);
}

void cpu_stat_fini(void)
{
	proc_remove_path("stat");
	cpu_stat_ready = false;
	acct_rt = NULL;
}
