/* SPDX-License-Identifier: MIT */
/* Timers on a hierarchical timer wheel. Mirrors linux/include/linux/timer.h, kernel/timer.c.
 *
 * Each CPU has a base with five levels (256 + 4 x 64 slots) like 3.10's tvec_base: adding,
 * changing and cancelling a timer are O(1) list operations; slots of the outer levels cascade
 * inwards as jiffies advance. Expired timers run from TIMER_SOFTIRQ on the CPU that armed them
 * (run_timer_softirq -> __run_timers). The runtime is told the earliest expiry so that the
 * sim clock can jump to it and the posix tick thread can sleep until it.
 * DIVERGES: the callback takes the timer (timer_setup/from_timer, Linux 4.15's API) instead of
 * 3.10's unsigned long data. */
#ifndef _LINUX_TIMER_H
#define _LINUX_TIMER_H
#include "linux/list.h"
#include "linux/jiffies.h"

struct tvec_base;
struct timer_list {
	struct list_head entry;	/* in a wheel slot; entry.next == NULL when not pending */
	unsigned long expires;
	struct tvec_base *base;
	void (*function)(struct timer_list *);
	/* DIVERGES: no flags word. 3.10 keeps TIMER_DEFERRABLE/TIMER_IRQSAFE in the low bits of
	 * base; ulnet has neither kind and timers always stay on their CPU, so timer_setup's
	 * flags were only ever stored: dropping them makes a timer 40 B instead of 48 (three in
	 * every TCP socket). */
};

#define TIMER_PINNED 0x1 /* accepted and ignored; timers always stay on their CPU */
#define from_timer(var, timer, field) container_of(timer, __typeof__(*var), field)

void timer_setup(struct timer_list *timer, void (*fn)(struct timer_list *), unsigned int flags);
static inline int timer_pending(const struct timer_list *timer)
{
	return timer->entry.next != NULL;
}
void add_timer(struct timer_list *timer);
void add_timer_on(struct timer_list *timer, int cpu);
/* Returns 1 if the timer was pending (and is now re-armed), 0 if it was idle. */
int mod_timer(struct timer_list *timer, unsigned long expires);
int mod_timer_pending(struct timer_list *timer, unsigned long expires);
/* Like mod_timer, but a pending timer only moves earlier (Linux 4.15). 1 if it was pending. */
int timer_reduce(struct timer_list *timer, unsigned long expires);
int del_timer(struct timer_list *timer);
/* Like del_timer, and also waits while the callback runs on another thread (posix). */
int del_timer_sync(struct timer_list *timer);

/* Earliest pending expiry on @cpu, or 0 with *none set when the wheel is empty. May be
 * earlier than the earliest expiry when an outer wheel slot must cascade first: the jiffy at
 * which @cpu's TIMER_SOFTIRQ next has work. */
unsigned long get_next_timer_interrupt_cpu(int cpu, bool *none);
/* For the runtimes' tick (ul_timer_tick): @cpu's timer wheel has work due at the current
 * jiffy, so TIMER_SOFTIRQ should be raised. Lock-free. Context: any (hardirq). */
bool timer_base_due(int cpu);
/* Count of pending timers on all CPUs (tests; memory labs). */
unsigned long ul_timers_pending(void);

#endif
