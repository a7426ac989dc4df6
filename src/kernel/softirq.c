/* SPDX-License-Identifier: MIT */
/* Softirqs, bottom-half control, interrupt entry/exit and the ksoftirqd threads.
 * Mirrors linux/kernel/softirq.c (3.10): open_softirq, raise_softirq, raise_softirq_irqoff,
 * __raise_softirq_irqoff, do_softirq, __do_softirq, local_bh_disable, local_bh_enable,
 * irq_enter, irq_exit, wakeup_softirqd, run_ksoftirqd; and fs/proc/softirqs.c.
 *
 * Each CPU has a word of pending bits. Raised from an interrupt or with bottom halves
 * disabled, they are served on the same CPU at irq_exit() or local_bh_enable(); raised from
 * plain process context they wake ksoftirqd/N. __do_softirq() runs the vectors in bit order
 * and restarts while more are raised, at most MAX_SOFTIRQ_RESTART times and for 2 jiffies;
 * what is left goes to ksoftirqd/N.
 *
 * LOCKING (posix): a thread entering a bottom-half or hard-IRQ section of its CPU (the first
 * local_bh_disable or irq_enter, preempt_count 0 -> nonzero) takes that CPU's bh lock from
 * the runtime and keeps it until it leaves. So per-CPU data (softnet queues, the timer base)
 * is touched by one thread per CPU at a time, as on a real CPU where bottom halves do not
 * nest. DIVERGES: hard-IRQ handlers also run under that lock (the kernel masks interrupts
 * instead); they are serialised with the bottom halves of their CPU. The bh lock is the
 * outermost lock: take spinlocks inside it, never the other way round. */
#include "linux/errno.h"
#include <stdio.h>
#include <string.h>
#include "arch/arch.h"
#include "init/boot.h"
#include "linux/atomic.h"
#include "linux/hardirq.h"
#include "linux/interrupt.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/kernel_stat.h"
#include "linux/percpu.h"
#include "linux/sched.h"
#include "linux/seq_file.h"

const char *const softirq_to_name[NR_SOFTIRQS] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "BLOCK_IOPOLL",
	"TASKLET", "SCHED", "HRTIMER", "RCU"
};

static struct softirq_action softirq_vec[NR_SOFTIRQS];
static DEFINE_PER_CPU(unsigned long, softirq_pending);
/* kstat_softirqs: runs of each vector per CPU (written by the CPU's bh-lock holder only). */
/* Each CPU's row on a line of its own (per-CPU data in Linux; written per softirq run). */
static unsigned int softirq_stat[NR_CPUS][(NR_SOFTIRQS + 15) & ~15] __attribute__((aligned(64)));
static DEFINE_PER_CPU(struct task_struct *, ksoftirqd);
static bool ksoftirqd_stop;

/* posix: nesting depth of this thread's bottom-half/IRQ sections and the CPU whose bh lock
 * it holds (a thread never changes CPU inside one). */
static __thread unsigned int bh_lock_depth;
static __thread int bh_lock_cpu;

static void bh_lock_get(void)
{
	if (!ul_smp)
		return;
	if (bh_lock_depth++ == 0) {
		bh_lock_cpu = ul_this_cpu;
		ul_rt->bh_lock(bh_lock_cpu);
	}
}

static void bh_lock_put(void)
{
	if (!ul_smp)
		return;
	if (unlikely(bh_lock_depth == 0)) {
		pr_warn("softirq: unbalanced bottom-half/IRQ exit\n");
		return;
	}
	if (--bh_lock_depth == 0)
		ul_rt->bh_unlock(bh_lock_cpu);
}

unsigned long local_softirq_pending(void)
{
	return __atomic_load_n(&per_cpu(softirq_pending, smp_processor_id()), __ATOMIC_SEQ_CST);
}

unsigned long softirq_pending_cpu(int cpu)
{
	if (cpu < 0 || cpu >= nr_cpu_ids)
		return 0;
	return __atomic_load_n(&per_cpu(softirq_pending, cpu), __ATOMIC_SEQ_CST);
}

struct task_struct *ksoftirqd_task(int cpu)
{
	if (cpu < 0 || cpu >= nr_cpu_ids)
		return NULL;
	return READ_ONCE(per_cpu(ksoftirqd, cpu));
}

unsigned long kstat_softirqs_cpu(unsigned int nr, int cpu)
{
	if (nr >= NR_SOFTIRQS || cpu < 0 || cpu >= nr_cpu_ids)
		return 0;
	return __atomic_load_n(&softirq_stat[cpu][nr], __ATOMIC_RELAXED);
}

void open_softirq(int nr, void (*action)(struct softirq_action *))
{
	if (nr < 0 || nr >= NR_SOFTIRQS) {
		pr_err("open_softirq: no softirq %d\n", nr);
		return;
	}
	softirq_vec[nr].action = action;
}

/* Wake ksoftirqd of this CPU (it may already be running: then nothing to do). */
static void wakeup_softirqd(void)
{
	struct task_struct *tsk = ksoftirqd_task(smp_processor_id());

	if (tsk && READ_ONCE(tsk->state) != TASK_RUNNING)
		wake_up_process(tsk);
}

void __raise_softirq_irqoff(unsigned int nr)
{
	if (nr >= NR_SOFTIRQS) {
		pr_err("raise_softirq: no softirq %u\n", nr);
		return;
	}
	set_bit((int)nr, &per_cpu(softirq_pending, smp_processor_id()));
}

/* From an interrupt or a bh-disabled section the softirq runs on the way out; from plain
 * process context nobody would, so ksoftirqd is woken (3.10 raise_softirq_irqoff). */
void raise_softirq_irqoff(unsigned int nr)
{
	__raise_softirq_irqoff(nr);
	if (!in_interrupt())
		wakeup_softirqd();
}

void raise_softirq(unsigned int nr)
{
	unsigned long flags;

	local_irq_save(flags);
	raise_softirq_irqoff(nr);
	local_irq_restore(flags);
}

/* DIVERGES: Linux reaches another CPU with an IPI whose irq_exit runs the softirq; ulnet
 * hands the bits to that CPU's ksoftirqd (ul_rt->softirq_kick). */
void raise_softirq_on(int cpu, unsigned int nr)
{
	if (cpu < 0 || cpu >= nr_cpu_ids || nr >= NR_SOFTIRQS) {
		pr_err("raise_softirq_on: bad cpu %d or softirq %u\n", cpu, nr);
		return;
	}
	if (cpu == smp_processor_id()) {
		raise_softirq(nr);
		return;
	}
	set_bit((int)nr, &per_cpu(softirq_pending, cpu));
	ul_rt->softirq_kick(cpu);
}

static void __local_bh_disable(unsigned int cnt)
{
	bh_lock_get();
	ul_preempt_count += cnt;
}

static void __local_bh_enable(unsigned int cnt)
{
	ul_preempt_count -= cnt;
	bh_lock_put();
}

void __do_softirq(void)
{
	unsigned long end = jiffies + msecs_to_jiffies(2);
	int max_restart = MAX_SOFTIRQ_RESTART;
	int cpu = smp_processor_id();
	unsigned long pending;

	/* What ran before (the task, or the hard IRQ we leave) is charged to its context. */
	ul_account_cputime();
	__local_bh_disable(SOFTIRQ_OFFSET);
restart:
	pending = __atomic_exchange_n(&per_cpu(softirq_pending, cpu), 0, __ATOMIC_SEQ_CST);
	while (pending) {
		int nr = __builtin_ctzl(pending);
		unsigned int prev_count = preempt_count();

		pending &= pending - 1;
		__atomic_fetch_add(&softirq_stat[cpu][nr], 1, __ATOMIC_RELAXED);
		if (softirq_vec[nr].action)
			softirq_vec[nr].action(&softirq_vec[nr]);
		if (unlikely(prev_count != preempt_count())) {
			pr_err("huh, entered softirq %d %s with preempt_count %08x, exited with %08x?\n",
			       nr, softirq_to_name[nr], prev_count, preempt_count());
			ul_preempt_count = prev_count;
		}
	}
	if (local_softirq_pending()) {
		if (time_before(jiffies, end) && --max_restart)
			goto restart;
		wakeup_softirqd();
	}
	ul_account_cputime();
	__local_bh_enable(SOFTIRQ_OFFSET);
}

void do_softirq(void)
{
	if (in_interrupt())
		return;
	if (local_softirq_pending())
		__do_softirq();
}

/* local_bh_disable/local_bh_enable run a few times per packet (the transmit path takes and
 * drops bottom halves in ip_finish_output2, the neighbour output and dev_queue_xmit; the
 * socket lock too): inline in linux/spinlock.h for a nested section on the sim runtime,
 * here for the rest. preempt_count is read once (a thread-local), the bh lock is only
 * touched in the posix runtime, and the softirq check is made only when leaving the last
 * bottom-half section outside an interrupt. */
void __local_bh_disable_slow(void)
{
	if (unlikely(ul_smp))
		bh_lock_get();
	ul_preempt_count += SOFTIRQ_DISABLE_OFFSET;
}

/* Leaving the last bottom-half section of process context with softirqs pending: run them
 * (with preemption off, as 3.10 _local_bh_enable_ip). @cnt: preempt_count after the bh
 * section is left. */
static noinline void local_bh_enable_softirq(unsigned int cnt)
{
	ul_preempt_count = cnt + 1;
	do_softirq();
	ul_preempt_count -= 1;
}

void __local_bh_enable_slow(void)
{
	unsigned int cnt = ul_preempt_count;

	if (unlikely((cnt & HARDIRQ_MASK) || (cnt & SOFTIRQ_MASK) < SOFTIRQ_DISABLE_OFFSET)) {
		pr_warn("local_bh_enable: unbalanced or in hard IRQ (preempt_count %#x)\n", cnt);
		return;
	}
	cnt -= SOFTIRQ_DISABLE_OFFSET;
	if (unlikely(!(cnt & SOFTIRQ_MASK) && local_softirq_pending()))
		local_bh_enable_softirq(cnt);
	else
		ul_preempt_count = cnt;
	if (unlikely(ul_smp))
		bh_lock_put();
}

void irq_enter(void)
{
	ul_account_cputime();
	bh_lock_get();
	ul_preempt_count += HARDIRQ_OFFSET;
}

void irq_exit(void)
{
	if (unlikely(!in_irq())) {
		pr_warn("irq_exit: not in a hard IRQ (preempt_count %#x)\n", preempt_count());
		return;
	}
	ul_account_cputime();
	ul_preempt_count -= HARDIRQ_OFFSET;
	if (!in_interrupt() && local_softirq_pending())
		__do_softirq();
	bh_lock_put();
}

/* ksoftirqd/N: serves what __do_softirq left (or what process context raised).
 * Context: a kernel thread pinned to its CPU. */
static int run_ksoftirqd(void *data)
{
	/* Known as this CPU's ksoftirqd before its first wait: the posix runtime serves the
	 * CPU's tick and IRQs from the wait of exactly this task. */
	WRITE_ONCE(per_cpu(ksoftirqd, smp_processor_id()), current);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(ksoftirqd_stop))
			break;
		if (!local_softirq_pending()) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		__do_softirq();
		cond_resched();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

void spawn_ksoftirqd(void)
{
	int cpu;

	ksoftirqd_stop = false;
	for_each_possible_cpu(cpu) {
		char name[32];
		struct task_struct *tsk;

		snprintf(name, sizeof(name), "ksoftirqd/%d", cpu);
		tsk = kthread_run_on_cpu(run_ksoftirqd, NULL, cpu, name);
		if (!tsk)
			ul_bug(__FILE__, __LINE__, "cannot start ksoftirqd");
		WRITE_ONCE(per_cpu(ksoftirqd, cpu), tsk);
	}
}

/* Teardown, after net_shutdown: each ksoftirqd finishes what is pending and exits. */
void stop_ksoftirqd(void)
{
	int cpu;

	WRITE_ONCE(ksoftirqd_stop, true);
	for_each_possible_cpu(cpu) {
		struct task_struct *tsk = per_cpu(ksoftirqd, cpu);

		if (!tsk)
			continue;
		wake_up_process(tsk);
		if (ul_task_join(tsk) < 0)
			pr_warn("ksoftirqd/%d did not stop\n", cpu);
		WRITE_ONCE(per_cpu(ksoftirqd, cpu), NULL);
	}
}

static int show_softirqs(struct seq_file *m, void *v)
{
	int i, cpu;

	seq_puts(m, "                    ");
	for_each_possible_cpu(cpu)
		seq_printf(m, "CPU%-8d", cpu);
	seq_putc(m, '\n');
	for (i = 0; i < NR_SOFTIRQS; i++) {
		seq_printf(m, "%12s:", softirq_to_name[i]);
		for_each_possible_cpu(cpu)
			seq_printf(m, " %10u", (unsigned int)kstat_softirqs_cpu(i, cpu));
		seq_putc(m, '\n');
	}
	return 0;
}

void softirq_init(void)
{
	memset(softirq_vec, 0, sizeof(softirq_vec));
	memset(softirq_pending, 0, sizeof(softirq_pending));
	memset(softirq_stat, 0, sizeof(softirq_stat));
	memset(ksoftirqd, 0, sizeof(ksoftirqd));
	ksoftirqd_stop = false;
	bh_lock_depth = 0;
	proc_create_single("softirqs", show_softirqs, NULL);
}

void softirq_fini(void)
{
	proc_remove_path("softirqs");
	memset(softirq_vec, 0, sizeof(softirq_vec));
	memset(softirq_pending, 0, sizeof(softirq_pending));
	memset(ksoftirqd, 0, sizeof(ksoftirqd));
}
