/* SPDX-License-Identifier: MIT */
/* Timers on a per-CPU hierarchical timer wheel, run from TIMER_SOFTIRQ.
 * Mirrors linux/kernel/timer.c (3.10): struct tvec_base, internal_add_timer, cascade,
 * __run_timers, run_timer_softirq, lock_timer_base, detach_if_pending, __mod_timer,
 * mod_timer, mod_timer_pending, timer_reduce (4.15), add_timer, add_timer_on, del_timer,
 * try_to_del_timer_sync, del_timer_sync, __next_timer_interrupt, init_timers.
 *
 * The wheel: tv1 has 256 slots of one jiffy; tv2..tv5 have 64 slots of 2^8, 2^14, 2^20 and
 * 2^26 jiffies. A timer goes to the level its distance (expires - timer_jiffies) selects;
 * each time timer_jiffies crosses a multiple of 256 the next tv2 slot is cascaded (its timers
 * re-added, now closer), and so on up the levels. Adding and deleting are O(1).
 *
 * Where ulnet goes beyond 3.10, for the sim runtime (which jumps hours of virtual time):
 * - __run_timers does not step jiffy by jiffy through empty stretches: when the current tv1
 *   slot is empty it jumps timer_jiffies to the next jiffy with work (a non-empty tv1 slot or
 *   a cascade of a non-empty outer slot). Cascades of empty slots are no-ops, so the wheel
 *   ends up exactly as if every jiffy had been stepped.
 * - base->next_timer is the next jiffy at which the base has work (never later than the
 *   earliest expiry; earlier when an outer slot must cascade first). The runtime is told
 *   (ul_rt->timer_kick) when it moves earlier and after every run, so the sim clock can jump
 *   there and the posix tick knows whether to raise TIMER_SOFTIRQ (timer_base_due).
 *   DIVERGES: 3.10 raises TIMER_SOFTIRQ on every tick; ulnet only when a timer is due or
 *   an outer slot must cascade.
 * - An empty base moves timer_jiffies up to jiffies when a timer is added (as later kernels
 *   do), so a long idle base does not place new timers relative to a stale time.
 *
 * LOCKING: base->lock (spin_lock_irqsave) guards the wheel, timer->base and the counters.
 * A timer's base is found with lock_timer_base(): while a timer moves between CPUs its base
 * pointer reads TIMER_BASE_MIGRATING and lockers wait. Callbacks run with the lock dropped
 * (Context: softirq, on the CPU that armed the timer); base->running_timer is the one
 * running, so del_timer_sync() can wait for it. */
#include <sched.h>
#include <stdlib.h>
#include "arch/arch.h"
#include "init/boot.h"
#include "linux/hardirq.h"
#include "linux/interrupt.h"
#include "linux/kernel.h"
#include "linux/percpu.h"
#include "linux/spinlock.h"
#include "linux/timer.h"

#define TVN_BITS	6
#define TVR_BITS	8
#define TVN_SIZE	(1 << TVN_BITS)
#define TVR_SIZE	(1 << TVR_BITS)
#define TVN_MASK	(TVN_SIZE - 1)
#define TVR_MASK	(TVR_SIZE - 1)
#define MAX_TVAL	((unsigned long)((1ULL << (TVR_BITS + 4 * TVN_BITS)) - 1))
#define LEVEL_SHIFT(n)	(TVR_BITS + (n) * TVN_BITS)	/* n = 0: tv2 ... 3: tv5 */

struct tvec {
	struct list_head vec[TVN_SIZE];
};

struct tvec_root {
	struct list_head vec[TVR_SIZE];
};

struct tvec_base {
	spinlock_t lock;
	struct timer_list *running_timer;	/* whose callback runs now */
	unsigned long timer_jiffies;		/* the next jiffy __run_timers will process */
	unsigned long next_timer;		/* next jiffy with work (a lower bound) */
	unsigned long active_timers;		/* pending timers, including a batch being run */
	int cpu;
	struct tvec_root tv1;
	struct tvec tv2;
	struct tvec tv3;
	struct tvec tv4;
	struct tvec tv5;
};

/* While a timer moves to another CPU's base (lockers spin until it is set). */
#define TIMER_BASE_MIGRATING ((struct tvec_base *)1UL)

static struct tvec_base *tvec_bases[NR_CPUS];
static int nr_timer_bases;
/* The timer whose callback this thread is running (del_timer_sync from the callback). */
static __thread struct timer_list *running_here;

static inline struct tvec *tv_level(struct tvec_base *base, int n)
{
	struct tvec *levels[4] = { &base->tv2, &base->tv3, &base->tv4, &base->tv5 };

	return levels[n];
}

static struct tvec_base *this_cpu_base(void)
{
	int cpu = smp_processor_id();

	if (cpu < 0 || cpu >= nr_timer_bases)
		cpu = 0;
	return tvec_bases[cpu];
}

static void timer_kick(struct tvec_base *base, unsigned long when)
{
	if (ul_rt && ul_rt->timer_kick)
		ul_rt->timer_kick(base->cpu, when);
}

/* Put @timer in the slot its distance selects; returns the jiffy at which the base will
 * handle it (its own expiry in tv1, the cascade of its slot in an outer level). Caller holds
 * base->lock. */
static unsigned long __internal_add_timer(struct tvec_base *base, struct timer_list *timer)
{
	unsigned long expires = timer->expires;
	unsigned long idx = expires - base->timer_jiffies;
	struct list_head *vec;
	int level;

	if (idx < TVR_SIZE) {
		vec = base->tv1.vec + (expires & TVR_MASK);
		list_add_tail(&timer->entry, vec);
		return expires;
	}
	if ((long)idx < 0) {
		/* Already due: the next jiffy to be processed runs it. */
		vec = base->tv1.vec + (base->timer_jiffies & TVR_MASK);
		list_add_tail(&timer->entry, vec);
		return base->timer_jiffies;
	}
	if (idx > MAX_TVAL) {
		/* Beyond the wheel (~49 days): park it at the far end; each cascade of that slot
		 * re-adds it until it is in range, as 3.10 does on 64-bit. */
		idx = MAX_TVAL;
		expires = idx + base->timer_jiffies;
	}
	for (level = 0; level < 3; level++)
		if (idx < 1UL << LEVEL_SHIFT(level + 1))
			break;
	vec = tv_level(base, level)->vec + ((expires >> LEVEL_SHIFT(level)) & TVN_MASK);
	list_add_tail(&timer->entry, vec);
	return expires & ~((1UL << LEVEL_SHIFT(level)) - 1);
}

/* Add a new pending timer and account it. Returns true when the base's next work moved
 * earlier (the runtime must be told). Caller holds base->lock. */
static bool internal_add_timer(struct tvec_base *base, struct timer_list *timer)
{
	unsigned long work;

	if (!base->active_timers && time_after(jiffies, base->timer_jiffies))
		base->timer_jiffies = jiffies;
	work = __internal_add_timer(base, timer);
	if (base->active_timers++ == 0 || time_before(work, base->next_timer)) {
		base->next_timer = work;
		return true;
	}
	return false;
}

/* Take a pending timer off the wheel (or off __run_timers' batch). next_timer stays a valid
 * lower bound; the next run recomputes it. Caller holds base->lock. */
static void detach_timer(struct timer_list *timer, struct tvec_base *base)
{
	list_del(&timer->entry);
	timer->entry.next = NULL;	/* not pending */
	base->active_timers--;
}

static int detach_if_pending(struct timer_list *timer, struct tvec_base *base)
{
	if (!timer_pending(timer))
		return 0;
	detach_timer(timer, base);
	return 1;
}

/* The next jiffy at or after timer_jiffies at which the base has work: a non-empty tv1 slot,
 * or the cascade of a non-empty outer slot. *@any is false when the wheel is empty.
 * At most 256 + 4 * 64 list heads are looked at. Caller holds base->lock. */
static unsigned long base_next_work(struct tvec_base *base, bool *any)
{
	unsigned long tj = base->timer_jiffies, best = 0;
	unsigned int index = tj & TVR_MASK, i, k;
	bool found = false;
	int level;

	*any = false;
	if (!base->active_timers)
		return 0;
	for (i = 0; i < TVR_SIZE; i++) {
		if (!list_empty(&base->tv1.vec[(index + i) & TVR_MASK])) {
			best = tj + i;
			found = true;
			break;
		}
	}
	for (level = 0; level < 4; level++) {
		unsigned int shift = LEVEL_SHIFT(level);
		unsigned long b0 = ALIGN(tj, 1UL << shift);
		struct tvec *tv = tv_level(base, level);

		for (k = 0; k < TVN_SIZE; k++) {
			unsigned long b = b0 + ((unsigned long)k << shift);

			if (found && !time_before(b, best))
				break;
			if (!list_empty(&tv->vec[(b >> shift) & TVN_MASK])) {
				best = b;
				found = true;
				break;
			}
		}
	}
	*any = found;
	return best;
}

/* Re-add every timer of an outer slot (they are now closer). Returns @index, so that the
 * caller cascades the next level only when this one wrapped to slot 0. */
static int cascade(struct tvec_base *base, struct tvec *tv, int index)
{
	struct timer_list *timer, *tmp;
	LIST_HEAD(tv_list);

	list_splice_init(tv->vec + index, &tv_list);
	list_for_each_entry_safe(timer, tmp, &tv_list, entry)
		__internal_add_timer(base, timer);
	return index;
}

#define INDEX(base, n) ((int)(((base)->timer_jiffies >> LEVEL_SHIFT(n)) & TVN_MASK))

static void call_timer_fn(struct timer_list *timer, void (*fn)(struct timer_list *))
{
	unsigned int count = preempt_count();
	struct timer_list *prev = running_here;

	running_here = timer;
	fn(timer);
	running_here = prev;
	if (count != preempt_count()) {
		/* A callback that leaves a lock or bh-disable behind would wedge the CPU. */
		pr_err("timer: %p preempt leak: %08x -> %08x\n", (void *)fn, count,
		       preempt_count());
		ul_preempt_count = count;
	}
}

/* Run every timer due up to jiffies. Context: softirq (TIMER_SOFTIRQ) on base->cpu. */
static void __run_timers(struct tvec_base *base)
{
	unsigned long now = jiffies, work;
	struct timer_list *timer;
	bool any;

	spin_lock_irq(&base->lock);
	while (time_after_eq(now, base->timer_jiffies)) {
		int index = base->timer_jiffies & TVR_MASK;
		LIST_HEAD(work_list);

		if (index && list_empty(base->tv1.vec + index)) {
			/* Nothing to do at this jiffy: jump to the next one that has work. */
			work = base_next_work(base, &any);
			if (!any || time_after(work, now)) {
				base->timer_jiffies = now + 1;
				break;
			}
			base->timer_jiffies = work;
			continue;
		}
		if (!index && !cascade(base, &base->tv2, INDEX(base, 0)) &&
		    !cascade(base, &base->tv3, INDEX(base, 1)) &&
		    !cascade(base, &base->tv4, INDEX(base, 2)))
			cascade(base, &base->tv5, INDEX(base, 3));
		++base->timer_jiffies;
		list_splice_init(base->tv1.vec + index, &work_list);
		while (!list_empty(&work_list)) {
			void (*fn)(struct timer_list *);

			timer = list_first_entry(&work_list, struct timer_list, entry);
			fn = timer->function;
			base->running_timer = timer;
			detach_timer(timer, base);
			spin_unlock_irq(&base->lock);
			call_timer_fn(timer, fn);
			spin_lock_irq(&base->lock);
		}
	}
	base->running_timer = NULL;
	work = base_next_work(base, &any);
	if (any)
		base->next_timer = work;
	spin_unlock_irq(&base->lock);
	if (any)
		timer_kick(base, work);
}

/* TIMER_SOFTIRQ. Context: softirq. */
static void run_timer_softirq(struct softirq_action *h)
{
	struct tvec_base *base = this_cpu_base();

	if (base && time_after_eq(jiffies, base->timer_jiffies))
		__run_timers(base);
}

/* Lock the base @timer is on (waiting while it migrates). A timer never armed gets the
 * current CPU's base. Returns NULL before init_timers. */
static struct tvec_base *lock_timer_base(struct timer_list *timer, unsigned long *flags)
{
	unsigned int spins = 0;

	for (;;) {
		struct tvec_base *base = __atomic_load_n(&timer->base, __ATOMIC_ACQUIRE);

		if (!base) {
			struct tvec_base *mine = this_cpu_base();

			if (!mine)
				return NULL;
			__atomic_compare_exchange_n(&timer->base, &base, mine, false,
						    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
			continue;
		}
		if (base != TIMER_BASE_MIGRATING) {
			spin_lock_irqsave(&base->lock, *flags);
			if (base == timer->base)
				return base;
			spin_unlock_irqrestore(&base->lock, *flags);
		}
		if (++spins > 64)
			sched_yield();
	}
}

void timer_setup(struct timer_list *timer, void (*fn)(struct timer_list *), unsigned int flags)
{
	timer->entry.next = NULL;
	timer->entry.prev = NULL;
	timer->expires = 0;
	timer->function = fn;
	(void)flags;	/* TIMER_PINNED is what ulnet always does; see struct timer_list */
	timer->base = nr_timer_bases ? this_cpu_base() : NULL;
}

static bool timer_usable(struct timer_list *timer, const char *who)
{
	if (unlikely(!timer || !timer->function)) {
		pr_err("%s: timer %p has no function (timer_setup not called)\n", who,
		       (void *)timer);
		WARN_ON(1);
		return false;
	}
	if (unlikely(!nr_timer_bases)) {
		pr_err("%s: timers are not initialised\n", who);
		return false;
	}
	return true;
}

/* __mod_timer's options (Linux 4.15's). */
#define MOD_TIMER_PENDING_ONLY	0x1	/* only re-arm a pending timer */
#define MOD_TIMER_REDUCE	0x2	/* a pending timer only moves earlier */

static int __mod_timer(struct timer_list *timer, unsigned long expires, unsigned int options)
{
	struct tvec_base *base, *new_base;
	unsigned long flags;
	bool kick = false;
	int ret;

	base = lock_timer_base(timer, &flags);
	if (!base)
		return 0;
	if ((options & MOD_TIMER_REDUCE) && timer_pending(timer) &&
	    !time_before(expires, timer->expires)) {
		ret = 1;
		goto out_unlock;
	}
	ret = detach_if_pending(timer, base);
	if (!ret && (options & MOD_TIMER_PENDING_ONLY))
		goto out_unlock;

	/* Timers follow the CPU that arms them, except while their callback runs on the old
	 * base (del_timer_sync waits on that base's running_timer). */
	new_base = this_cpu_base();
	if (base != new_base && base->running_timer != timer) {
		__atomic_store_n(&timer->base, TIMER_BASE_MIGRATING, __ATOMIC_RELEASE);
		spin_unlock(&base->lock);
		base = new_base;
		spin_lock(&base->lock);
		__atomic_store_n(&timer->base, base, __ATOMIC_RELEASE);
	}
	timer->expires = expires;
	kick = internal_add_timer(base, timer);
out_unlock:
	spin_unlock_irqrestore(&base->lock, flags);
	if (kick)
		timer_kick(base, base->next_timer);
	return ret;
}

/* (Re)arm @timer to fire at @expires on the current CPU. Returns 1 if it was pending.
 * Context: any. */
int mod_timer(struct timer_list *timer, unsigned long expires)
{
	if (!timer_usable(timer, "mod_timer"))
		return 0;
	/* Re-arming a pending timer to the same time is a common no-op (tcp's timers). */
	if (timer_pending(timer) && timer->expires == expires)
		return 1;
	return __mod_timer(timer, expires, 0);
}

/* Like mod_timer, but only if the timer is pending; returns 0 and does nothing otherwise. */
int mod_timer_pending(struct timer_list *timer, unsigned long expires)
{
	if (!timer_usable(timer, "mod_timer_pending"))
		return 0;
	return __mod_timer(timer, expires, MOD_TIMER_PENDING_ONLY);
}

/* Like mod_timer, but a pending timer only moves earlier (Linux 4.15's timer_reduce): two
 * threads arming events of one timer can only make it fire early, never late. Returns 1 if
 * it was pending. Context: any. */
int timer_reduce(struct timer_list *timer, unsigned long expires)
{
	if (!timer_usable(timer, "timer_reduce"))
		return 0;
	/* Already pending as early or earlier: the common case (TCP's RTO moving later while
	 * a task owns the socket), without the base lock, as mod_timer's same-time case. */
	if (timer_pending(timer) && !time_before(expires, READ_ONCE(timer->expires)))
		return 1;
	return __mod_timer(timer, expires, MOD_TIMER_REDUCE);
}

void add_timer(struct timer_list *timer)
{
	if (WARN_ON(timer && timer_pending(timer)))
		return;	/* Linux BUGs; the timer stays as it was */
	if (timer_usable(timer, "add_timer"))
		__mod_timer(timer, timer->expires, 0);
}

/* Arm @timer on @cpu's base (it will run there). */
void add_timer_on(struct timer_list *timer, int cpu)
{
	struct tvec_base *base;
	unsigned long flags;
	bool kick;

	if (!timer_usable(timer, "add_timer_on") || WARN_ON(timer_pending(timer)))
		return;
	if (cpu < 0 || cpu >= nr_timer_bases) {
		pr_err("add_timer_on: no CPU %d\n", cpu);
		return;
	}
	base = tvec_bases[cpu];
	spin_lock_irqsave(&base->lock, flags);
	__atomic_store_n(&timer->base, base, __ATOMIC_RELEASE);
	kick = internal_add_timer(base, timer);
	spin_unlock_irqrestore(&base->lock, flags);
	if (kick)
		timer_kick(base, base->next_timer);
}

/* Deactivate @timer. Returns 1 if it was pending. The callback may still be running on
 * another thread (use del_timer_sync). Context: any. */
int del_timer(struct timer_list *timer)
{
	struct tvec_base *base;
	unsigned long flags;
	int ret = 0;

	if (!timer || !timer_pending(timer))
		return 0;
	base = lock_timer_base(timer, &flags);
	if (base) {
		ret = detach_if_pending(timer, base);
		spin_unlock_irqrestore(&base->lock, flags);
	}
	return ret;
}

/* 1/0 as del_timer, or -1 when the callback is running (nothing done). */
static int try_to_del_timer_sync(struct timer_list *timer)
{
	struct tvec_base *base;
	unsigned long flags;
	int ret = -1;

	base = lock_timer_base(timer, &flags);
	if (!base)
		return 0;
	if (base->running_timer != timer)
		ret = detach_if_pending(timer, base);
	spin_unlock_irqrestore(&base->lock, flags);
	return ret;
}

/* del_timer, and wait until the callback is not running anywhere (posix). Called from the
 * timer's own callback it does not wait (that would never end). Context: process or
 * softirq, not holding anything the callback takes. */
int del_timer_sync(struct timer_list *timer)
{
	unsigned int spins = 0;
	int ret;

	if (!timer || (!timer->base && !timer_pending(timer)))
		return 0;
	if (running_here == timer)
		return del_timer(timer);
	for (;;) {
		ret = try_to_del_timer_sync(timer);
		if (ret >= 0)
			return ret;
		if (!ul_smp)
			return del_timer(timer);	/* one thread: it cannot finish meanwhile */
		if (++spins > 64)
			sched_yield();
	}
}

/* For the runtimes' tick: is a timer (or a cascade) of @cpu due? Lock-free and cheap.
 * Context: hardirq (ul_timer_tick). */
bool timer_base_due(int cpu)
{
	struct tvec_base *base;

	if (cpu < 0 || cpu >= nr_timer_bases)
		return false;
	base = tvec_bases[cpu];
	if (!READ_ONCE(base->active_timers))
		return false;
	return time_after_eq(jiffies, READ_ONCE(base->next_timer));
}

/* The next jiffy at which @cpu's timers need the CPU (the earliest expiry, or earlier when
 * an outer slot must cascade first); 0 with *none set when no timer is pending. */
unsigned long get_next_timer_interrupt_cpu(int cpu, bool *none)
{
	struct tvec_base *base;
	unsigned long flags, next;
	bool any;

	if (cpu < 0 || cpu >= nr_timer_bases) {
		if (none)
			*none = true;
		return 0;
	}
	base = tvec_bases[cpu];
	spin_lock_irqsave(&base->lock, flags);
	next = base_next_work(base, &any);
	if (any)
		base->next_timer = next;
	spin_unlock_irqrestore(&base->lock, flags);
	if (none)
		*none = !any;
	return any ? next : 0;
}

unsigned long ul_timers_pending(void)
{
	unsigned long n = 0;
	int cpu;

	for (cpu = 0; cpu < nr_timer_bases; cpu++)
		n += READ_ONCE(tvec_bases[cpu]->active_timers);
	return n;
}

static struct tvec_base *init_timers_cpu(int cpu)
{
	struct tvec_base *base = calloc(1, sizeof(*base));
	int j;

	if (!base)
		return NULL;
	spin_lock_init(&base->lock);
	base->cpu = cpu;
	for (j = 0; j < TVN_SIZE; j++) {
		INIT_LIST_HEAD(base->tv5.vec + j);
		INIT_LIST_HEAD(base->tv4.vec + j);
		INIT_LIST_HEAD(base->tv3.vec + j);
		INIT_LIST_HEAD(base->tv2.vec + j);
	}
	for (j = 0; j < TVR_SIZE; j++)
		INIT_LIST_HEAD(base->tv1.vec + j);
	base->timer_jiffies = jiffies;
	base->next_timer = base->timer_jiffies;
	return base;
}

/* Context: boot, after the runtime and softirq_init (nr_cpu_ids is set).
 * DIVERGES: the bases are plain calloc (infrastructure), not counted in slabinfo. */
void init_timers(void)
{
	int cpu, n = nr_cpu_ids > 0 ? min(nr_cpu_ids, NR_CPUS) : 1;

	for (cpu = 0; cpu < n; cpu++) {
		tvec_bases[cpu] = init_timers_cpu(cpu);
		BUG_ON(!tvec_bases[cpu]);
	}
	/* Published after the bases exist: the posix tick threads may look at once. */
	__atomic_store_n(&nr_timer_bases, n, __ATOMIC_RELEASE);
	open_softirq(TIMER_SOFTIRQ, run_timer_softirq);
}

/* Context: teardown, no task or softirq left. Pending timers are dropped (their owners are
 * gone; their memory is not touched). */
void fini_timers(void)
{
	unsigned long left = ul_timers_pending();
	int cpu;

	int n = nr_timer_bases;

	if (left)
		pr_debug("timers: %lu timers still pending at teardown\n", left);
	/* Bases become invisible before they are freed. */
	__atomic_store_n(&nr_timer_bases, 0, __ATOMIC_SEQ_CST);
	for (cpu = 0; cpu < n; cpu++) {
		free(tvec_bases[cpu]);
		tvec_bases[cpu] = NULL;
	}
}
