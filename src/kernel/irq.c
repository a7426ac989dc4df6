/* SPDX-License-Identifier: MIT */
/* Hard IRQs: handlers, affinity, delivery, counts and /proc/interrupts; the local timer tick.
 * Mirrors linux/kernel/irq/manage.c (request_irq, free_irq, irq_set_affinity),
 * kernel/irq/irqdesc.c (generic_handle_irq, kstat_irqs_cpu), kernel/irq/proc.c
 * (show_interrupts), arch/x86/kernel/irq.c (arch_show_interrupts: LOC) and
 * kernel/time/tick-common.c + kernel/timer.c (the tick: run_local_timers).
 *
 * Device models raise an IRQ with ul_irq_raise(); the runtime delivers it on the IRQ's
 * affinity CPU as a separate event (sim) or on that CPU's ksoftirqd thread (posix), never
 * inline. Every IRQ is an MSI edge interrupt of the chip "ulnet-MSI".
 *
 * LOCKING: irq_desc_lock protects the actions and the allocation map; a handler runs under
 * its descriptor's lock, so free_irq() returns only once no handler of that line runs
 * (what synchronize_irq() guarantees in Linux). */
#include "linux/errno.h"
#include <string.h>
#include "arch/arch.h"
#include "init/boot.h"
#include "linux/hardirq.h"
#include "linux/cpumask.h"
#include "linux/interrupt.h"
#include "linux/kernel.h"
#include "linux/kernel_stat.h"
#include "linux/percpu.h"
#include "linux/seq_file.h"
#include "linux/slab.h"
#include "linux/spinlock.h"
#include "linux/timer.h"

/* First number handed out by ul_irq_alloc: 0-23 are the legacy IO-APIC lines on x86, MSI
 * vectors of PCI devices come after them. */
#define UL_FIRST_MSI_IRQ 24
#define IRQ_CHIP_NAME "ulnet-MSI"
#define IRQ_FLOW_NAME "edge"

struct irqaction {
	irq_handler_t handler;
	void *dev_id;
	unsigned long flags;
	struct irqaction *next;
	char name[32];
};

struct irq_desc {
	struct irqaction *action;
	spinlock_t lock;	/* held while handlers run */
	bool allocated;		/* handed out by ul_irq_alloc */
	int affinity;		/* the CPU that gets it: the first of affinity_mask */
	unsigned long affinity_mask; /* /proc/irq/N/smp_affinity */
	unsigned int kstat_irqs[NR_CPUS];
};

static struct irq_desc irq_desc[NR_IRQS];
static DEFINE_SPINLOCK(irq_desc_lock);
static unsigned int timer_irqs[NR_CPUS];	/* irq_stat.apic_timer_irqs */
static unsigned int ipi_call_irqs[NR_CPUS];	/* irq_stat.irq_call_count (CAL) */

static bool irq_valid(unsigned int irq)
{
	return irq < NR_IRQS;
}

static void register_irq_proc(unsigned int irq);
static void unregister_irq_proc(unsigned int irq);

int ul_irq_alloc(void)
{
	int irq, ret = -ENOSPC;

	spin_lock(&irq_desc_lock);
	for (irq = UL_FIRST_MSI_IRQ; irq < NR_IRQS; irq++) {
		struct irq_desc *desc = &irq_desc[irq];

		if (!desc->allocated && !desc->action) {
			desc->allocated = true;
			desc->affinity = 0;
			desc->affinity_mask = 0;
			memset(desc->kstat_irqs, 0, sizeof(desc->kstat_irqs));
			ret = irq;
			break;
		}
	}
	spin_unlock(&irq_desc_lock);
	return ret;
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *name,
		void *dev_id)
{
	struct irqaction *action, **pp;
	struct irq_desc *desc;
	bool first;

	if (!irq_valid(irq) || !handler)
		return -EINVAL;
	/* A shared line needs a dev_id to tell its handlers apart on free_irq. */
	if ((flags & IRQF_SHARED) && !dev_id)
		return -EINVAL;
	action = kzalloc(sizeof(*action), GFP_KERNEL);
	if (!action)
		return -ENOMEM;
	action->handler = handler;
	action->dev_id = dev_id;
	action->flags = flags;
	snprintf(action->name, sizeof(action->name), "%s", name ? name : "");

	desc = &irq_desc[irq];
	spin_lock(&irq_desc_lock);
	if (desc->action && !(desc->action->flags & flags & IRQF_SHARED)) {
		spin_unlock(&irq_desc_lock);
		pr_err("genirq: Flags mismatch irq %u. %08lx (%s) vs. %08lx (%s)\n", irq, flags,
		       action->name, desc->action->flags, desc->action->name);
		kfree(action);
		return -EBUSY;
	}
	first = !desc->action;
	if (first && !desc->affinity_mask)
		desc->affinity_mask = 1UL << (desc->affinity < nr_cpu_ids ? desc->affinity : 0);
	spin_lock(&desc->lock);
	for (pp = &desc->action; *pp; pp = &(*pp)->next)
		;
	*pp = action;
	spin_unlock(&desc->lock);
	spin_unlock(&irq_desc_lock);
	if (first)
		register_irq_proc(irq);
	return 0;
}

void free_irq(unsigned int irq, void *dev_id)
{
	struct irqaction *action = NULL, **pp;
	struct irq_desc *desc;
	bool last;

	if (!irq_valid(irq)) {
		pr_warn("free_irq: no IRQ %u\n", irq);
		return;
	}
	desc = &irq_desc[irq];
	spin_lock(&irq_desc_lock);
	/* Taking desc->lock waits for a handler running on another thread (posix). */
	spin_lock(&desc->lock);
	for (pp = &desc->action; *pp; pp = &(*pp)->next) {
		if ((*pp)->dev_id == dev_id) {
			action = *pp;
			*pp = action->next;
			break;
		}
	}
	spin_unlock(&desc->lock);
	/* The last handler gone, an MSI vector goes back to the pool. */
	last = action && !desc->action;
	if (last) {
		desc->allocated = false;
		desc->affinity_mask = 0;
	}
	spin_unlock(&irq_desc_lock);
	if (!action) {
		pr_warn("Trying to free already-free IRQ %u\n", irq);
		return;
	}
	if (last)
		unregister_irq_proc(irq);
	kfree(action);
}

int irq_set_affinity(unsigned int irq, int cpu)
{
	if (!irq_valid(irq) || cpu < 0 || cpu >= nr_cpu_ids)
		return -EINVAL;
	WRITE_ONCE(irq_desc[irq].affinity_mask, 1UL << cpu);
	WRITE_ONCE(irq_desc[irq].affinity, cpu);
	return 0;
}

/* /proc/irq/N/smp_affinity (and rps_cpus): the mask in hex, in 32-bit chunks separated by
 * commas, as bitmap_scnprintf prints a cpumask.
 * DIVERGES: the mask has nr_cpu_ids bits (modern kernels' nr_cpumask_bits), not NR_CPUS;
 * and an IRQ goes to the first CPU of its mask (x86's usual choice, here always). */
void seq_cpumask(struct seq_file *m, unsigned long mask)
{
	int bits = nr_cpu_ids, chunk = bits % 32 ? bits % 32 : 32, i;
	const char *sep = "";

	for (i = ALIGN(bits, 32) - 32; i >= 0; i -= 32) {
		unsigned long val = (mask >> i) & ((1UL << chunk) - 1);

		seq_printf(m, "%s%0*lx", sep, (chunk + 3) / 4, val);
		chunk = 32;
		sep = ",";
	}
}

static int irq_affinity_show(struct seq_file *m, void *v)
{
	unsigned int irq = (unsigned int)(uintptr_t)v;

	seq_cpumask(m, READ_ONCE(irq_desc[irq].affinity_mask));
	seq_putc(m, '\n');
	return 0;
}

static int irq_affinity_list_show(struct seq_file *m, void *v)
{
	unsigned int irq = (unsigned int)(uintptr_t)v;
	unsigned long mask = READ_ONCE(irq_desc[irq].affinity_mask);
	const char *sep = "";
	int cpu = 0;

	while (cpu < nr_cpu_ids) {
		int end = cpu;

		if (!(mask & (1UL << cpu))) {
			cpu++;
			continue;
		}
		while (end + 1 < nr_cpu_ids && (mask & (1UL << (end + 1))))
			end++;
		if (end > cpu)
			seq_printf(m, "%s%d-%d", sep, cpu, end);
		else
			seq_printf(m, "%s%d", sep, cpu);
		sep = ",";
		cpu = end + 1;
	}
	seq_putc(m, '\n');
	return 0;
}

/* The hex mask of a write (bitmap_parse): hex digits, commas allowed between chunks, a
 * trailing newline; 0 or -EINVAL (another character, none, or more than 64 bits). */
int cpumask_parse_hex(const char *buf, size_t len, unsigned long *maskp)
{
	unsigned long mask = 0;
	int digits = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = buf[i];
		int d;

		if (c == ',' || c == '\n')
			continue;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		if (mask >> 60)
			return -EINVAL;	/* more than 64 bits of CPUs */
		mask = (mask << 4) | (unsigned long)d;
		digits++;
	}
	if (!digits)
		return -EINVAL;
	*maskp = mask;
	return 0;
}

/* echo MASK > /proc/irq/N/smp_affinity: a mask with no online CPU is -EINVAL
 * (irq_affinity_proc_write), and nothing changes. */
static int irq_affinity_write(struct net *net, const char *buf, size_t len, void *data)
{
	unsigned int irq = (unsigned int)(uintptr_t)data;
	unsigned long mask = 0, online;
	int cpu;

	if (cpumask_parse_hex(buf, len, &mask))
		return -EINVAL;
	online = cpu_online_mask_bits();
	if (!(mask & online))
		return -EINVAL;
	mask &= online;
	cpu = __builtin_ctzl(mask);
	WRITE_ONCE(irq_desc[irq].affinity_mask, mask);
	WRITE_ONCE(irq_desc[irq].affinity, cpu);
	return 0;
}

static void irq_proc_paths(unsigned int irq, char *aff, char *list, size_t len)
{
	snprintf(aff, len, "irq/%u/smp_affinity", irq);
	snprintf(list, len, "irq/%u/smp_affinity_list", irq);
}

/* register_irq_proc: the files exist while the IRQ has a handler. Context: process. */
static void register_irq_proc(unsigned int irq)
{
	char aff[48], list[48];

	irq_proc_paths(irq, aff, list, sizeof(aff));
	proc_create_rw(aff, irq_affinity_show, irq_affinity_write, (void *)(uintptr_t)irq);
	proc_create_rw(list, irq_affinity_list_show, NULL, (void *)(uintptr_t)irq);
}

static void unregister_irq_proc(unsigned int irq)
{
	char aff[48], list[48];

	irq_proc_paths(irq, aff, list, sizeof(aff));
	proc_remove_path(aff);
	proc_remove_path(list);
}

int irq_get_affinity(unsigned int irq)
{
	if (!irq_valid(irq))
		return -EINVAL;
	return READ_ONCE(irq_desc[irq].affinity);
}

void ul_irq_raise(unsigned int irq)
{
	int cpu;

	if (!irq_valid(irq)) {
		pr_warn("ul_irq_raise: no IRQ %u\n", irq);
		return;
	}
	cpu = READ_ONCE(irq_desc[irq].affinity);
	if (cpu >= nr_cpu_ids)
		cpu = 0;
	ul_rt->irq_post(irq, cpu);
}

/* Context: interrupt time of the current CPU (an event on sim, ksoftirqd's thread on posix,
 * or a device model already running there). */
void generic_handle_irq(unsigned int irq)
{
	struct irq_desc *desc;
	struct irqaction *action;
	int cpu = smp_processor_id();
	irqreturn_t ret = IRQ_NONE;

	if (!irq_valid(irq)) {
		pr_warn("generic_handle_irq: no IRQ %u\n", irq);
		return;
	}
	desc = &irq_desc[irq];
	irq_enter();
	__atomic_fetch_add(&desc->kstat_irqs[cpu], 1, __ATOMIC_RELAXED);
	spin_lock(&desc->lock);
	for (action = desc->action; action; action = action->next)
		ret |= action->handler((int)irq, action->dev_id);
	spin_unlock(&desc->lock);
	if (ret == IRQ_NONE && !desc->action)
		pr_warn("irq %u: nobody cared\n", irq);
	irq_exit();
}

/* The local timer interrupt of @cpu: TIMER_SOFTIRQ runs the expired timers at irq_exit.
 * Context: called by the runtime on @cpu. */
void ul_timer_tick(int cpu)
{
	if (cpu < 0 || cpu >= nr_cpu_ids)
		return;
	irq_enter();
	__atomic_fetch_add(&timer_irqs[cpu], 1, __ATOMIC_RELAXED);
	if (timer_base_due(cpu))
		raise_softirq_irqoff(TIMER_SOFTIRQ);
	irq_exit();
}

unsigned long kstat_irqs_cpu(unsigned int irq, int cpu)
{
	if (!irq_valid(irq) || cpu < 0 || cpu >= nr_cpu_ids)
		return 0;
	return __atomic_load_n(&irq_desc[irq].kstat_irqs[cpu], __ATOMIC_RELAXED);
}

unsigned long kstat_timer_irqs_cpu(int cpu)
{
	if (cpu < 0 || cpu >= nr_cpu_ids)
		return 0;
	return __atomic_load_n(&timer_irqs[cpu], __ATOMIC_RELAXED);
}

/* Context: the function call IPI's handler, in hard IRQ on the receiving CPU. */
void kstat_incr_ipi_call(void)
{
	__atomic_fetch_add(&ipi_call_irqs[smp_processor_id()], 1, __ATOMIC_RELAXED);
}

unsigned long kstat_ipi_calls_cpu(int cpu)
{
	if (cpu < 0 || cpu >= nr_cpu_ids)
		return 0;
	return __atomic_load_n(&ipi_call_irqs[cpu], __ATOMIC_RELAXED);
}

/* The width of the IRQ number column: 3 digits up to 999 IRQs, one more per decade. */
static int irq_prec(void)
{
	int prec, j;

	for (prec = 3, j = 1000; prec < 10 && j <= NR_IRQS; ++prec)
		j *= 10;
	return prec;
}

/* DIVERGES: of x86's architecture rows (NMI, LOC, RES, CAL, TLB, ...) only LOC and CAL
 * (the function call IPIs RPS sends) exist. */
static int show_interrupts(struct seq_file *m, void *v)
{
	int prec = irq_prec(), cpu;
	unsigned int irq;

	seq_printf(m, "%*s", prec + 8, "");
	for_each_online_cpu(cpu)
		seq_printf(m, "CPU%-8d", cpu);
	seq_putc(m, '\n');

	spin_lock(&irq_desc_lock);
	for (irq = 0; irq < NR_IRQS; irq++) {
		struct irq_desc *desc = &irq_desc[irq];
		struct irqaction *action = desc->action;
		unsigned long any_count = 0;

		for_each_online_cpu(cpu)
			any_count |= kstat_irqs_cpu(irq, cpu);
		if (!action && !any_count)
			continue;
		seq_printf(m, "%*u: ", prec, irq);
		for_each_online_cpu(cpu)
			seq_printf(m, "%10u ", (unsigned int)kstat_irqs_cpu(irq, cpu));
		seq_printf(m, " %8s", IRQ_CHIP_NAME);
		seq_printf(m, "-%-8s", IRQ_FLOW_NAME);
		if (action) {
			seq_printf(m, "  %s", action->name);
			while ((action = action->next) != NULL)
				seq_printf(m, ", %s", action->name);
		}
		seq_putc(m, '\n');
	}
	spin_unlock(&irq_desc_lock);

	seq_printf(m, "%*s: ", prec, "LOC");
	for_each_online_cpu(cpu)
		seq_printf(m, "%10u ", (unsigned int)kstat_timer_irqs_cpu(cpu));
	seq_puts(m, "  Local timer interrupts\n");
	seq_printf(m, "%*s: ", prec, "CAL");
	for_each_online_cpu(cpu)
		seq_printf(m, "%10u ", (unsigned int)kstat_ipi_calls_cpu(cpu));
	seq_puts(m, "  Function call interrupts\n");
	return 0;
}

void irq_init(void)
{
	unsigned int irq;

	for (irq = 0; irq < NR_IRQS; irq++) {
		memset(&irq_desc[irq], 0, sizeof(irq_desc[irq]));
		spin_lock_init(&irq_desc[irq].lock);
	}
	memset(timer_irqs, 0, sizeof(timer_irqs));
	memset(ipi_call_irqs, 0, sizeof(ipi_call_irqs));
	proc_create_single("interrupts", show_interrupts, NULL);
}

void irq_fini(void)
{
	unsigned int irq;

	proc_remove_path("interrupts");
	for (irq = 0; irq < NR_IRQS; irq++) {
		struct irqaction *action = irq_desc[irq].action;

		if (action)
			pr_warn("irq %u (%s) still requested at teardown\n", irq, action->name);
		while (action) {
			struct irqaction *next = action->next;

			kfree(action);
			action = next;
		}
		irq_desc[irq].action = NULL;
		irq_desc[irq].allocated = false;
	}
}
