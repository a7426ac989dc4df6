/* SPDX-License-Identifier: MIT */
/* Softirqs and hard IRQs. Mirrors linux/include/linux/interrupt.h and kernel/softirq.c's API.
 *
 * Softirqs: per-CPU pending bits. raise_softirq() from an interrupt or a bottom-half-disabled
 * section is served at irq_exit() or local_bh_enable() on the same CPU; from plain process
 * context it wakes ksoftirqd/N. __do_softirq() restarts at most MAX_SOFTIRQ_RESTART (10)
 * times or for 2 ms (2 jiffies at HZ=1000), then leaves the rest to ksoftirqd/N
 * (3.10 kernel/softirq.c). Each vector run is counted for /proc/softirqs.
 *
 * Hard IRQs: request_irq() binds a handler to a number; devices raise it with ul_irq_raise(),
 * which delivers it on the IRQ's affinity CPU (never inline: on the sim runtime it is an
 * event at the current virtual time). Counts per IRQ and CPU feed /proc/interrupts. */
#ifndef _LINUX_INTERRUPT_H
#define _LINUX_INTERRUPT_H
#include "linux/hardirq.h"
#include "linux/percpu.h"
#include "linux/spinlock.h"

enum {
	HI_SOFTIRQ = 0,
	TIMER_SOFTIRQ,
	NET_TX_SOFTIRQ,
	NET_RX_SOFTIRQ,
	BLOCK_SOFTIRQ,
	BLOCK_IOPOLL_SOFTIRQ,
	TASKLET_SOFTIRQ,
	SCHED_SOFTIRQ,
	HRTIMER_SOFTIRQ,
	RCU_SOFTIRQ,
	NR_SOFTIRQS
};
extern const char *const softirq_to_name[NR_SOFTIRQS];
#define MAX_SOFTIRQ_RESTART 10

struct softirq_action {
	void (*action)(struct softirq_action *);
};

void open_softirq(int nr, void (*action)(struct softirq_action *));
void raise_softirq(unsigned int nr);
void raise_softirq_irqoff(unsigned int nr);
void __raise_softirq_irqoff(unsigned int nr);
/* Raise on another CPU (IPI-like); wakes that CPU's ksoftirqd or schedules its service. */
void raise_softirq_on(int cpu, unsigned int nr);
void do_softirq(void);
/* Run the pending softirqs of this CPU now (irq_exit, ksoftirqd). */
void __do_softirq(void);
unsigned long local_softirq_pending(void);
/* The pending bits of @cpu (runtimes: is the world idle?). */
unsigned long softirq_pending_cpu(int cpu);
/* The ksoftirqd task of @cpu (runs softirqs that __do_softirq left). */
struct task_struct *ksoftirqd_task(int cpu);

/* Statistics for /proc/softirqs: runs of vector @nr on @cpu. */
unsigned long kstat_softirqs_cpu(unsigned int nr, int cpu);

/* Hard IRQs. */
typedef enum irqreturn { IRQ_NONE = 0, IRQ_HANDLED = 1 } irqreturn_t;
typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);
#define NR_IRQS 256
#define IRQF_SHARED 0x00000080 /* several handlers on one line, told apart by dev_id */
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *name,
		void *dev_id);
void free_irq(unsigned int irq, void *dev_id);
/* A free IRQ number (the stack hands them out, as the PCI core hands out MSI-X vectors). */
int ul_irq_alloc(void);
int irq_set_affinity(unsigned int irq, int cpu);
int irq_get_affinity(unsigned int irq);
/* Raise @irq from a device model: delivered on its affinity CPU after the caller returns. */
void ul_irq_raise(unsigned int irq);
/* Deliver @irq now on the current CPU (runtimes and device models that already run in
 * interrupt time): irq_enter, handler, count, irq_exit (which may run softirqs). */
void generic_handle_irq(unsigned int irq);
unsigned long kstat_irqs_cpu(unsigned int irq, int cpu);
/* Local timer interrupts ("LOC" row of /proc/interrupts). */
unsigned long kstat_timer_irqs_cpu(int cpu);
/* Function call IPIs ("CAL" row of /proc/interrupts; RPS sends them): count one on this
 * CPU (the IPI's handler calls it), and read @cpu's count. */
void kstat_incr_ipi_call(void);
unsigned long kstat_ipi_calls_cpu(int cpu);

#endif
