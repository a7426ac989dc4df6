/* SPDX-License-Identifier: MIT */
/* Execution context: preempt_count and the in_*() tests. Mirrors linux/include/linux/hardirq.h
 * and preempt_mask.h (3.10 layout: softirq bits 8-15, hardirq bits 16-25). */
#ifndef _LINUX_HARDIRQ_H
#define _LINUX_HARDIRQ_H
#include "linux/types.h"

#define PREEMPT_MASK	0x000000ffu
#define SOFTIRQ_MASK	0x0000ff00u
#define HARDIRQ_MASK	0x03ff0000u
#define SOFTIRQ_OFFSET	(1u << 8)
#define HARDIRQ_OFFSET	(1u << 16)
#define SOFTIRQ_DISABLE_OFFSET (2 * SOFTIRQ_OFFSET)

/* Per thread of execution: the sim runtime never switches tasks inside a bottom-half or
 * interrupt section, and each posix thread has its own. */
/* initial-exec: one load from %fs, not an address computation first (read several times
 * per packet; the library is loaded with the program, never dlopen()ed late). */
extern __thread unsigned int ul_preempt_count __attribute__((tls_model("initial-exec")));
#define preempt_count() (ul_preempt_count)
#define hardirq_count() (preempt_count() & HARDIRQ_MASK)
#define softirq_count() (preempt_count() & SOFTIRQ_MASK)
#define irq_count() (preempt_count() & (HARDIRQ_MASK | SOFTIRQ_MASK))
#define in_irq() (hardirq_count())
#define in_softirq() (softirq_count())
#define in_interrupt() (irq_count())
#define in_serving_softirq() (softirq_count() & SOFTIRQ_OFFSET)
#define preempt_disable() do { ul_preempt_count++; } while (0)
#define preempt_enable() do { ul_preempt_count--; } while (0)

void irq_enter(void);
void irq_exit(void);

#endif
