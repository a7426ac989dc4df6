/* SPDX-License-Identifier: MIT */
/* Spinlocks, rwlocks and mutexes. Mirrors linux/include/linux/spinlock.h and mutex.h.
 *
 * On the sim runtime one OS thread runs everything and code never yields while holding a
 * lock, so locks only check their use (a debug build catches double lock / unlock). On the
 * posix runtime (ul_smp true) they are real: a 4-byte test-and-set lock that yields while
 * contended, small enough to sit in every socket.
 * DIVERGES: local_irq_save() does not mask anything; hard-IRQ handlers are serialised with
 * bottom halves of their CPU instead (see softirq.c). */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H
#include <pthread.h>
#include "linux/compiler.h"
#include "linux/hardirq.h"
#include "linux/types.h"

/* set by the posix runtime: locks must really lock. Hidden: tested in every lock and
 * bottom-half call, with one instruction rather than through the GOT. */
extern bool ul_smp __attribute__((visibility("hidden")));

typedef struct spinlock {
	int locked;
} spinlock_t;
typedef spinlock_t rwlock_t; /* DIVERGES: readers exclude each other too */

#define __SPIN_LOCK_UNLOCKED(n) { 0 }
#define DEFINE_SPINLOCK(n) spinlock_t n = __SPIN_LOCK_UNLOCKED(n)
#define DEFINE_RWLOCK(n) rwlock_t n = __SPIN_LOCK_UNLOCKED(n)

void __ul_spin_lock_slow(spinlock_t *l);

/* Out of line (softirq.c): the posix runtime's bh lock, running pending softirqs when the
 * last bottom-half section of process context ends, reporting an unbalanced enable. */
void __local_bh_disable_slow(void);
void __local_bh_enable_slow(void);

/* Inline for the common case, a section nested in another one (ip_finish_output2, the
 * neighbour's read lock and dev_queue_xmit inside the receive softirq or one another):
 * one add to preempt_count. DIVERGES: 3.10's are out of line (softirq.c); the behaviour
 * is the same. */
static inline void local_bh_disable(void)
{
	if (unlikely(ul_smp))
		__local_bh_disable_slow();
	else
		ul_preempt_count += SOFTIRQ_DISABLE_OFFSET;
}
static inline void local_bh_enable(void)
{
	unsigned int cnt = ul_preempt_count;

	/* Still inside another bottom-half section afterwards, not in a hard IRQ: nothing to
	 * run and nothing to check; anything else (the last section, misuse) goes out of line. */
	if (likely(!ul_smp && !(cnt & HARDIRQ_MASK) &&
		   (cnt & SOFTIRQ_MASK) > SOFTIRQ_DISABLE_OFFSET))
		ul_preempt_count = cnt - SOFTIRQ_DISABLE_OFFSET;
	else
		__local_bh_enable_slow();
}

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
}
static inline void spin_lock(spinlock_t *l)
{
	if (ul_smp && __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		__ul_spin_lock_slow(l);
}
static inline int spin_trylock(spinlock_t *l)
{
	if (!ul_smp)
		return 1;
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}
static inline void spin_unlock(spinlock_t *l)
{
	if (ul_smp)
		__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
static inline void spin_lock_bh(spinlock_t *l)
{
	local_bh_disable();
	spin_lock(l);
}
static inline void spin_unlock_bh(spinlock_t *l)
{
	spin_unlock(l);
	local_bh_enable();
}
#define spin_lock_irqsave(l, flags) do { (flags) = 0; spin_lock_bh(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { (void)(flags); spin_unlock_bh(l); } while (0)
#define spin_lock_irq(l) spin_lock_bh(l)
#define spin_unlock_irq(l) spin_unlock_bh(l)
#define local_irq_save(flags) do { (flags) = 0; } while (0)
#define local_irq_restore(flags) do { (void)(flags); } while (0)
#define local_irq_disable() do { } while (0)
#define local_irq_enable() do { } while (0)

#define rwlock_init spin_lock_init
#define read_lock spin_lock
#define read_unlock spin_unlock
#define write_lock spin_lock
#define write_unlock spin_unlock
#define read_lock_bh spin_lock_bh
#define read_unlock_bh spin_unlock_bh
#define write_lock_bh spin_lock_bh
#define write_unlock_bh spin_unlock_bh

/* RCU: readers take nothing; the stack frees objects only where no reader can hold them
 * (sim: between events; posix: under the locks that also protect the lookups).
 * DIVERGES: there is no grace-period machinery. */
#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define rcu_read_lock_bh() local_bh_disable()
#define rcu_read_unlock_bh() local_bh_enable()
#define rcu_dereference(p) READ_ONCE(p)
#define rcu_dereference_bh(p) READ_ONCE(p)
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define synchronize_rcu() do { } while (0)

/* Sleeping lock (rtnl_lock, ...). */
struct mutex {
	pthread_mutex_t m;
};
#define DEFINE_MUTEX(n) struct mutex n = { PTHREAD_MUTEX_INITIALIZER }
static inline void mutex_init(struct mutex *m)
{
	pthread_mutex_init(&m->m, NULL);
}
static inline void mutex_lock(struct mutex *m)
{
	if (ul_smp)
		pthread_mutex_lock(&m->m);
}
static inline void mutex_unlock(struct mutex *m)
{
	if (ul_smp)
		pthread_mutex_unlock(&m->m);
}

#endif
