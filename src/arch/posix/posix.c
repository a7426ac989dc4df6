/* SPDX-License-Identifier: MIT */
/* The posix runtime: real time (CLOCK_MONOTONIC since boot), tasks are threads, locks lock.
 * Mirrors nothing in Linux directly; it plays the scheduler (try_to_wake_up, schedule), the
 * local timer and the interrupt controller for a user-space stack.
 *
 * A task is a pthread pinned (logically) to its CPU. It blocks while its state is not
 * TASK_RUNNING; a waker sets the state first (atomic exchange in wake_up_state) and then
 * tells the runtime (task_wake), so a wakeup cannot be lost. A blocking task first spins a
 * bounded time (cfg->spin_us) re-reading its state (pausing, then yielding its host core to
 * a waker that may share it; see posix_task_block), then sleeps on a futex word of its own
 * (pt->sleeping); the waker makes the futex system call only when that word says the task
 * went to sleep: a hand-off between two running threads costs no system call on either side.
 * DIVERGES: Linux puts the task to sleep at once (3.11's busy polling, net.core.busy_read,
 * spins on the device queue instead, and only for sockets). A thread that sleeps in the host
 * kernel costs the futex wait, the waker's futex wake and a host context switch: a TCP
 * request/response round trip between two task threads took 20 µs and more that way on the
 * machine of docs/performance.md, about 4 µs when both threads held a core and spun.
 * Each CPU's ksoftirqd thread is also that CPU's timer tick and interrupt controller: while
 * it waits for softirq work it also waits (pthread_cond_timedwait) for the next timer expiry,
 * a posted IRQ or a due ul_call_at, and serves them on its CPU (ul_timer_tick,
 * generic_handle_irq, the call) before waiting again.
 *
 * LOCKING: cpu->qlock protects a CPU's IRQ queue, calls and tick deadline; a ksoftirqd's
 * pt->lock protects only its wait (other tasks do not use their lock: their wait is the
 * futex word). Order: pt->lock, then cpu->qlock; nothing else is taken
 * under either. The bh lock of a CPU (taken by softirq.c) is outermost. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "arch/arch.h"
#include "linux/errno.h"
#include "linux/hardirq.h"
#include "linux/interrupt.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/kernel_stat.h"
#include "linux/percpu.h"
#include "linux/sched.h"
#include "linux/timer.h"
#include "ulnet/ulnet.h"

/* The host's futex(2) operations. Not from <linux/futex.h>: its <linux/types.h> would take
 * the include guard of ulnet's own linux/types.h. */
#define UL_FUTEX_WAIT_PRIVATE 128		/* FUTEX_WAIT | FUTEX_PRIVATE_FLAG */
#define UL_FUTEX_WAKE_PRIVATE 129		/* FUTEX_WAKE | FUTEX_PRIVATE_FLAG */
#define UL_FUTEX_WAIT_BITSET_PRIVATE 137	/* FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG */
#define UL_FUTEX_BITSET_MATCH_ANY 0xffffffffu

/* How long teardown waits for a task that was asked to exit. */
#define POSIX_JOIN_TIMEOUT_S 5
/* The spin before sleeping (ul_config.spin_us): default and bound, µs. The default is where
 * the two-thread request/response rows stop improving on this machine (docs/performance.md);
 * the bound keeps an idle program from burning a core (each block spins at most once). */
#define POSIX_SPIN_US_DEFAULT 50
#define POSIX_SPIN_US_MAX 1000
/* The first part of the spin only pauses; after it the spinner also yields its host core. */
#define POSIX_SPIN_PAUSE_NS (4 * NSEC_PER_USEC)

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#else
#define cpu_relax() barrier()
#endif

struct posix_task {
	pthread_t thread;
	bool has_thread;
	bool waiting;		/* inside task_block (ksoftirqd idle test) */
	/* Futex word of a task that is not ksoftirqd: 1 while it sleeps (or is about to) in
	 * the host kernel; a waker that exchanges it from 1 to 0 makes the futex wake. */
	int sleeping;
	u64 spin_hits, sleeps, yield_starts;	/* written by the task itself */
	bool yield_first;	/* the last spin's wakeup came after the pure part */
	u64 futex_wakes;	/* by its wakers (atomic) */
	pthread_mutex_t lock;	/* ksoftirqd's wait */
	pthread_cond_t cond;	/* on CLOCK_MONOTONIC */
};

struct posix_call {
	u64 time;
	u64 seq;
	void (*fn)(void *);
	void *arg;
};

struct posix_cpu {
	pthread_mutex_t bh;	/* the bottom-half lock (softirq.c) */
	pthread_mutex_t qlock;
	unsigned int *irqs;	/* posted, not yet handled, in order */
	size_t nirqs, cap_irqs;
	struct posix_call *calls; /* min-heap on (time, seq) */
	size_t ncalls, cap_calls;
	u64 tick_ns;
	bool tick_armed;
	/* A line of its own: each CPU's bh lock is taken per packet by that CPU's thread. */
} __attribute__((aligned(64)));

static struct posix_cpu cpus[NR_CPUS];
static struct posix_task init_ctx;	/* the init task (the thread that created the stack) */
static struct timespec start_ts;
static u64 call_seq;
static bool posix_up;
static u64 spin_ns;		/* ul_config.spin_us, in ns; 0: never spin */
/* Real time this thread spent blocked in the runtime (sleeping, not spinning): what
 * posix_cputime_ns subtracts from the clock. */
static __thread u64 blocked_ns;
/* posix_tick_ns: the stack clock at this thread's last accounting point, valid while
 * tick_gen is the running stack's posix_gen (0: not valid). */
static __thread u64 tick_now_ns;
static __thread unsigned int tick_gen;
static unsigned int posix_gen;

static u64 ts_ns(const struct timespec *ts)
{
	return (u64)ts->tv_sec * NSEC_PER_SEC + (u64)ts->tv_nsec;
}

static u64 posix_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts_ns(&ts) - ts_ns(&start_ts);
}

static u64 posix_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts_ns(&ts);
}

/* DIVERGES: the thread's CPU clock (CLOCK_THREAD_CPUTIME_ID) is a real system call, about
 * 1.5 µs on this virtual machine against 0.1 µs for CLOCK_MONOTONIC in the vDSO, and the
 * stack charges CPU time at every context change (several per segment). The posix runtime
 * counts instead the real time of the thread minus the time it spent blocked in the runtime
 * (futex, condition and bh-lock waits, sleeps): the same as CPU time, except that time the
 * host took the core away from a runnable thread is charged too (as sim charges it). */
static u64 posix_cputime_ns(void)
{
	struct timespec ts;

	/* The host's clock, not the stack's: it keeps growing across stacks, as blocked_ns. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	tick_now_ns = ts_ns(&ts) - ts_ns(&start_ts);
	tick_gen = READ_ONCE(posix_gen);
	return ts_ns(&ts) - blocked_ns;
}

/* DIVERGES: the kernel's jiffies is a variable the tick advances, read for free; ulnet's
 * posix jiffies read the host clock (a vDSO call of about 25 ns here), several times per
 * segment (the timestamp option, the timers, lsndtime). jiffies read instead the clock as of
 * the thread's last accounting point (ul_account_cputime: each system call's entry and exit,
 * softirq, task switch), which read it anyway; a thread that blocked or spun since reads
 * the clock. jiffies lags the clock by at most the time the thread ran since its last
 * accounting point (microseconds: one system call or softirq round), as the kernel's lags
 * by up to a tick. */
static u64 posix_tick_ns(void)
{
	if (tick_gen && tick_gen == READ_ONCE(posix_gen))
		return tick_now_ns;
	return posix_clock_ns();
}

static void tick_invalidate(void)
{
	tick_gen = 0;
}

/* Bracket a wait of the calling thread in the host kernel (not charged as CPU time). */
static u64 blocked_begin(void)
{
	return posix_clock_ns();
}

static void blocked_end(u64 t0)
{
	u64 now = posix_clock_ns();

	tick_invalidate();
	if (now > t0)
		blocked_ns += now - t0;
}

static long futex_wait(int *word, int val, const struct timespec *abs_mono)
{
	if (abs_mono)
		return syscall(SYS_futex, word, UL_FUTEX_WAIT_BITSET_PRIVATE, val, abs_mono, NULL,
			       UL_FUTEX_BITSET_MATCH_ANY);
	return syscall(SYS_futex, word, UL_FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(int *word)
{
	syscall(SYS_futex, word, UL_FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Absolute CLOCK_MONOTONIC time of stack time @ns. */
static struct timespec abs_ts(u64 ns)
{
	u64 t = ts_ns(&start_ts) + ns;
	struct timespec ts = { .tv_sec = (time_t)(t / NSEC_PER_SEC),
			       .tv_nsec = (long)(t % NSEC_PER_SEC) };
	return ts;
}

static int ctx_init(struct posix_task *pt)
{
	pthread_condattr_t attr;
	int err;

	memset(pt, 0, sizeof(*pt));
	pthread_mutex_init(&pt->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	err = pthread_cond_init(&pt->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (err)
		pthread_mutex_destroy(&pt->lock);
	return -err;
}

static void ctx_destroy(struct posix_task *pt)
{
	pthread_cond_destroy(&pt->cond);
	pthread_mutex_destroy(&pt->lock);
}

static struct posix_task *ctx_of(struct task_struct *p)
{
	return p->arch ? p->arch : &init_ctx;
}

static bool is_ksoftirqd(struct task_struct *p)
{
	return p->arch && ksoftirqd_task(p->cpu) == p;
}

/* ---- per-CPU work of ksoftirqd: posted IRQs, the tick, calls ---- */

static bool call_before(const struct posix_call *a, const struct posix_call *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void call_heap_pop(struct posix_cpu *pc, struct posix_call *out)
{
	struct posix_call last;
	size_t i = 0;

	*out = pc->calls[0];
	last = pc->calls[--pc->ncalls];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		const struct posix_call *best = &last;

		if (l < pc->ncalls && call_before(&pc->calls[l], best)) {
			m = l;
			best = &pc->calls[l];
		}
		if (r < pc->ncalls && call_before(&pc->calls[r], best))
			m = r;
		if (m == i)
			break;
		pc->calls[i] = pc->calls[m];
		i = m;
	}
	if (pc->ncalls)
		pc->calls[i] = last;
}

/* Wake @cpu's ksoftirqd so it looks at its queue and deadlines again. */
static void cpu_notify(int cpu)
{
	struct task_struct *tsk = ksoftirqd_task(cpu);
	struct posix_task *pt;

	if (!tsk || !tsk->arch)
		return; /* not started yet: it looks before its first wait */
	pt = tsk->arch;
	pthread_mutex_lock(&pt->lock);
	pthread_cond_signal(&pt->cond);
	pthread_mutex_unlock(&pt->lock);
}

/* Is there work due on @pc at @now? Otherwise *next is the next deadline (UINT64_MAX: none).
 * Called with pc->qlock held. */
static bool cpu_has_work_locked(struct posix_cpu *pc, u64 now, u64 *next)
{
	u64 n = UINT64_MAX;

	if (pc->nirqs)
		return true;
	if (pc->tick_armed) {
		if (pc->tick_ns <= now)
			return true;
		n = pc->tick_ns;
	}
	if (pc->ncalls) {
		if (pc->calls[0].time <= now)
			return true;
		if (pc->calls[0].time < n)
			n = pc->calls[0].time;
	}
	*next = n;
	return false;
}

static void posix_timer_kick(int cpu, unsigned long expires);

/* Serve what is due on @cpu. Context: @cpu's ksoftirqd, not atomic, no lock held. */
static void cpu_service(int cpu)
{
	struct posix_cpu *pc = &cpus[cpu];
	unsigned int irqs_local[64], *irqs = irqs_local;
	size_t nirqs, i, budget;
	bool tick = false;
	u64 now = posix_clock_ns();

	pthread_mutex_lock(&pc->qlock);
	nirqs = pc->nirqs;
	if (nirqs > ARRAY_SIZE(irqs_local))
		nirqs = ARRAY_SIZE(irqs_local);
	if (nirqs) {
		memcpy(irqs, pc->irqs, nirqs * sizeof(*irqs));
		memmove(pc->irqs, pc->irqs + nirqs, (pc->nirqs - nirqs) * sizeof(*irqs));
		pc->nirqs -= nirqs;
	}
	if (pc->tick_armed && pc->tick_ns <= now) {
		pc->tick_armed = false;
		tick = true;
	}
	pthread_mutex_unlock(&pc->qlock);

	for (i = 0; i < nirqs; i++)
		generic_handle_irq(irqs[i]);
	if (tick) {
		unsigned long next;
		bool none = true;

		ul_timer_tick(cpu);
		next = get_next_timer_interrupt_cpu(cpu, &none);
		if (!none)
			posix_timer_kick(cpu, next);
	}
	/* Calls due now; a bounded batch so IRQs and ticks are not starved. */
	for (budget = 64; budget; budget--) {
		struct posix_call c;

		pthread_mutex_lock(&pc->qlock);
		if (!pc->ncalls || pc->calls[0].time > now) {
			pthread_mutex_unlock(&pc->qlock);
			break;
		}
		call_heap_pop(pc, &c);
		pthread_mutex_unlock(&pc->qlock);
		c.fn(c.arg);
	}
}

static bool cpu_work_due(int cpu)
{
	struct posix_cpu *pc = &cpus[cpu];
	u64 next;
	bool due;

	pthread_mutex_lock(&pc->qlock);
	due = cpu_has_work_locked(pc, posix_clock_ns(), &next);
	pthread_mutex_unlock(&pc->qlock);
	return due;
}

/* ---- tasks ---- */

static __noreturn void posix_task_exit(void);

static void *posix_thread_main(void *arg)
{
	struct task_struct *p = arg;

	ul_current = p;
	ul_this_cpu = p->cpu;
	ul_preempt_count = 0;
	pthread_setname_np(pthread_self(), p->comm);
	ul_task_body(p);
	posix_task_exit();
}

static int posix_task_start(struct task_struct *p)
{
	struct posix_task *pt = malloc(sizeof(*pt));
	int err;

	if (!pt)
		return -ENOMEM;
	err = ctx_init(pt);
	if (err) {
		free(pt);
		return err;
	}
	p->arch = pt;
	err = pthread_create(&pt->thread, NULL, posix_thread_main, p);
	if (err) {
		p->arch = NULL;
		ctx_destroy(pt);
		free(pt);
		return -err;
	}
	pt->has_thread = true;
	return 0;
}

/* An application thread called into the stack: it blocks on a context of its own. */
static int posix_task_attach(struct task_struct *p)
{
	struct posix_task *pt = malloc(sizeof(*pt));
	int err;

	if (!pt)
		return -ENOMEM;
	err = ctx_init(pt);
	if (err) {
		free(pt);
		return err;
	}
	p->arch = pt;
	return 0;
}

/* ksoftirqd's wait: softirq work (a wakeup) or the CPU's own work, whichever comes. */
static void ksoftirqd_block(struct task_struct *p, struct posix_task *pt)
{
	struct posix_cpu *pc = &cpus[p->cpu];

	pthread_mutex_lock(&pt->lock);
	while (READ_ONCE(p->state) != TASK_RUNNING) {
		u64 now = posix_clock_ns(), next = UINT64_MAX, t0;
		bool due;

		pthread_mutex_lock(&pc->qlock);
		due = cpu_has_work_locked(pc, now, &next);
		pthread_mutex_unlock(&pc->qlock);
		if (due) {
			pthread_mutex_unlock(&pt->lock);
			cpu_service(p->cpu);
			pthread_mutex_lock(&pt->lock);
			continue;
		}
		pt->waiting = true;
		t0 = blocked_begin();
		if (next == UINT64_MAX) {
			pthread_cond_wait(&pt->cond, &pt->lock);
		} else {
			struct timespec ts = abs_ts(next);

			pthread_cond_timedwait(&pt->cond, &pt->lock, &ts);
		}
		blocked_end(t0);
		pt->waiting = false;
	}
	pthread_mutex_unlock(&pt->lock);
}

static bool task_is_running(struct task_struct *p)
{
	return __atomic_load_n(&p->state, __ATOMIC_SEQ_CST) == TASK_RUNNING;
}

/* Spin until @p is woken or the clock passes @end: @pause_ns of pure spin (0: yield from
 * the start), then yielding the host core between looks. The clock is read once per 32
 * pauses (a vDSO call costs about as much as 32 pauses). */
static bool spin_until_running(struct task_struct *p, u64 start, u64 end, u64 pause_ns)
{
	unsigned int i;
	u64 now;

	for (;;) {
		if (!pause_ns) {
			if (task_is_running(p))
				return true;
			sched_yield();
		}
		for (i = 0; i < 32; i++) {
			if (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == TASK_RUNNING)
				return true;
			cpu_relax();
		}
		now = posix_clock_ns();
		if (now >= end)
			return task_is_running(p);
		/* The waker may be waiting for this very host core (the host put it here when it
		 * was woken, next to its waker): after a short pure spin, spin by yielding. */
		if (pause_ns && now - start >= pause_ns)
			sched_yield();
	}
}

/* Sleep in the host kernel until @p is TASK_RUNNING or CLOCK_MONOTONIC reaches @abs (NULL:
 * no limit). Returns false on the timeout. The store of pt->sleeping and the load of the
 * state here, and the state change and exchange of pt->sleeping in posix_task_wake, are
 * sequentially consistent: one side always sees the other's write, so either this task sees
 * it was woken or its waker sees it sleeping and makes the futex wake. A futex wake left
 * over from an earlier wakeup only makes the loop look at the state again. */
static bool futex_sleep(struct task_struct *p, struct posix_task *pt, const struct timespec *abs)
{
	bool woken = true;
	u64 t0 = blocked_begin();

	pt->sleeps++;
	for (;;) {
		__atomic_store_n(&pt->sleeping, 1, __ATOMIC_SEQ_CST);
		if (task_is_running(p))
			break;
		if (futex_wait(&pt->sleeping, 1, abs) && errno == ETIMEDOUT) {
			woken = task_is_running(p);
			break;
		}
	}
	__atomic_store_n(&pt->sleeping, 0, __ATOMIC_SEQ_CST);
	blocked_end(t0);
	return woken;
}

/* Context: a task (or the init/adopted thread) that set its state and found no reason to
 * stay awake (schedule()). */
static void posix_task_block(void)
{
	struct task_struct *p = current;
	struct posix_task *pt = ctx_of(p);
	u64 spin;

	ul_account_cputime();
	if (is_ksoftirqd(p)) {
		ksoftirqd_block(p, pt);
		return;
	}
	/* The wakeup usually comes from a thread running right now (the peer of a socket
	 * whose softirq runs in its own thread): a short spin catches it without sleeping. */
	spin = READ_ONCE(spin_ns);
	if (spin) {
		u64 start = posix_clock_ns();

		if (pt->yield_first)
			pt->yield_starts++;
		if (spin_until_running(p, start, start + spin,
				       pt->yield_first ? 0 : POSIX_SPIN_PAUSE_NS)) {
			pt->spin_hits++;
			/* Woken only after the pure spin: the waker most likely shares our host
			 * core. Next time yield it at once (a host context switch, as the
			 * kernel's own sleep and wakeup, without the futex calls). */
			pt->yield_first = posix_clock_ns() - start >= POSIX_SPIN_PAUSE_NS;
			tick_invalidate();
			return;
		}
	}
	futex_sleep(p, pt, NULL);
}

/* A sleep to a deadline (ul_sleep_ns): no spin, the caller asked to wait. */
static void posix_task_sleep(u64 deadline)
{
	struct task_struct *p = current;
	struct posix_task *pt = ctx_of(p);
	struct timespec ts = abs_ts(deadline);
	long s;

	ul_account_cputime();
	if (!futex_sleep(p, pt, &ts)) {
		/* Our own timeout: become runnable unless a waker did it first. */
		s = READ_ONCE(p->state);
		if (s != TASK_RUNNING)
			__atomic_compare_exchange_n(&p->state, &s, TASK_RUNNING, false,
						    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&p->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
}

/* @p's state was just set to TASK_RUNNING (wake_up_state, sequentially consistent). */
static void posix_task_wake(struct task_struct *p)
{
	struct posix_task *pt = ctx_of(p);

	if (is_ksoftirqd(p)) {
		pthread_mutex_lock(&pt->lock);
		pthread_cond_signal(&pt->cond);
		pthread_mutex_unlock(&pt->lock);
		return;
	}
	/* Spinning, or not blocked yet: it sees TASK_RUNNING by itself. */
	if (__atomic_exchange_n(&pt->sleeping, 0, __ATOMIC_SEQ_CST) != 1)
		return;
	__atomic_fetch_add(&pt->futex_wakes, 1, __ATOMIC_RELAXED);
	futex_wake(&pt->sleeping);
}

int ul_posix_wait_stats(struct task_struct *p, struct ul_posix_wait_stats *st)
{
	struct posix_task *pt;

	if (!p || !st || !posix_up || ul_rt != &ul_posix_runtime)
		return -EINVAL;
	if (is_ksoftirqd(p))
		return -EOPNOTSUPP;
	pt = ctx_of(p);
	st->spin_hits = READ_ONCE(pt->spin_hits);
	st->sleeps = READ_ONCE(pt->sleeps);
	st->yield_starts = READ_ONCE(pt->yield_starts);
	st->futex_wakes = __atomic_load_n(&pt->futex_wakes, __ATOMIC_RELAXED);
	return 0;
}

u64 ul_posix_spin_ns(void)
{
	return posix_up ? READ_ONCE(spin_ns) : 0;
}

/* @us as ul_config.spin_us (0: the default, negative: never), clamped to the bound. */
static u64 spin_us_to_ns(int us)
{
	if (us < 0)
		return 0;
	if (!us)
		us = POSIX_SPIN_US_DEFAULT;
	return (u64)min(us, POSIX_SPIN_US_MAX) * NSEC_PER_USEC;
}

int ul_posix_set_spin_us(int us)
{
	if (!posix_up || ul_rt != &ul_posix_runtime)
		return -EINVAL;
	WRITE_ONCE(spin_ns, spin_us_to_ns(us));
	return 0;
}

static void posix_task_yield(void)
{
	struct task_struct *p = current;

	/* ksoftirqd busy with a softirq storm still serves its CPU's tick and IRQs. */
	if (p && is_ksoftirqd(p) && cpu_work_due(p->cpu))
		cpu_service(p->cpu);
	sched_yield();
	tick_invalidate();
}

static __noreturn void posix_task_exit(void)
{
	ul_account_cputime();
	pthread_exit(NULL);
}

static void posix_task_free(struct task_struct *p)
{
	struct posix_task *pt = p->arch;

	if (!pt)
		return;
	if (pt->has_thread) {
		struct timespec ts;
		int err;

		u64 t0;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += POSIX_JOIN_TIMEOUT_S;
		t0 = blocked_begin();
		err = pthread_timedjoin_np(pt->thread, NULL, &ts);
		blocked_end(t0);
		if (err) {
			/* It ignores -EINTR and keeps running: leave its context alone (a leak,
			 * better than freeing what a live thread uses). */
			pr_warn("posix: task %d (%s) will not exit (%d), abandoned\n", p->pid,
				p->comm, err);
			pthread_detach(pt->thread);
			p->arch = NULL;
			return;
		}
	}
	ctx_destroy(pt);
	free(pt);
	p->arch = NULL;
}

/* ---- interrupts, timers, softirqs ---- */

static void posix_softirq_kick(int cpu)
{
	struct task_struct *tsk = ksoftirqd_task(cpu);

	if (tsk)
		wake_up_process(tsk);
}

/* DIVERGES: like sim's, the posix tick is tickless: ksoftirqd sleeps until the earliest timer
 * rather than waking HZ times a second, so LOC counts ticks that had work. */
static void posix_timer_kick(int cpu, unsigned long expires)
{
	struct posix_cpu *pc;
	long rel = (long)(expires - INITIAL_JIFFIES);
	u64 t = rel > 0 ? (u64)rel * NSEC_PER_MSEC : 0, now = posix_clock_ns();
	bool earlier = false;

	if (cpu < 0 || cpu >= nr_cpu_ids)
		return;
	/* Due already: the next jiffy boundary (a timer never runs on the tick it was armed
	 * in, and a deferred TIMER_SOFTIRQ must not make the tick spin). */
	if (t <= now)
		t = (now / NSEC_PER_MSEC + 1) * NSEC_PER_MSEC;
	pc = &cpus[cpu];
	pthread_mutex_lock(&pc->qlock);
	if (!pc->tick_armed || t < pc->tick_ns) {
		pc->tick_armed = true;
		pc->tick_ns = t;
		earlier = true;
	}
	pthread_mutex_unlock(&pc->qlock);
	if (earlier)
		cpu_notify(cpu);
}

static void posix_irq_post(unsigned int irq, int cpu)
{
	struct posix_cpu *pc = &cpus[cpu];

	pthread_mutex_lock(&pc->qlock);
	if (pc->nirqs == pc->cap_irqs) {
		size_t cap = pc->cap_irqs ? pc->cap_irqs * 2 : 64;
		unsigned int *q = realloc(pc->irqs, cap * sizeof(*q));

		if (!q) {
			pthread_mutex_unlock(&pc->qlock);
			pr_err("posix: IRQ %u lost (out of memory)\n", irq);
			return;
		}
		pc->irqs = q;
		pc->cap_irqs = cap;
	}
	pc->irqs[pc->nirqs++] = irq;
	pthread_mutex_unlock(&pc->qlock);
	cpu_notify(cpu);
}

static int posix_call_at(u64 ns, int cpu, void (*fn)(void *), void *arg)
{
	struct posix_cpu *pc = &cpus[cpu];
	struct posix_call c = { .time = ns, .fn = fn, .arg = arg };
	size_t i;

	pthread_mutex_lock(&pc->qlock);
	if (pc->ncalls == pc->cap_calls) {
		size_t cap = pc->cap_calls ? pc->cap_calls * 2 : 64;
		struct posix_call *h = realloc(pc->calls, cap * sizeof(*h));

		if (!h) {
			pthread_mutex_unlock(&pc->qlock);
			return -ENOMEM;
		}
		pc->calls = h;
		pc->cap_calls = cap;
	}
	c.seq = call_seq++;
	i = pc->ncalls++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!call_before(&c, &pc->calls[parent]))
			break;
		pc->calls[i] = pc->calls[parent];
		i = parent;
	}
	pc->calls[i] = c;
	pthread_mutex_unlock(&pc->qlock);
	cpu_notify(cpu);
	return 0;
}

static void posix_bh_lock(int cpu)
{
	u64 t0;

	if (!pthread_mutex_trylock(&cpus[cpu].bh))
		return;
	/* Another thread runs this CPU's bottom halves: on a real CPU we would not be running. */
	t0 = blocked_begin();
	pthread_mutex_lock(&cpus[cpu].bh);
	blocked_end(t0);
}

static void posix_bh_unlock(int cpu)
{
	pthread_mutex_unlock(&cpus[cpu].bh);
}

/* ---- driving (real time runs by itself) ---- */

static void sleep_ns(u64 ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / NSEC_PER_SEC),
			       .tv_nsec = (long)(ns % NSEC_PER_SEC) };
	u64 t0 = blocked_begin();

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	blocked_end(t0);
}

static void posix_run_for(u64 ns)
{
	struct task_struct *p = ul_current_task();

	if (p && p->arch) {
		ul_sleep_ns(ns);
		return;
	}
	sleep_ns(ns);
}

/* Nothing pending, nothing posted, every ksoftirqd waiting. */
static bool posix_idle(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct task_struct *tsk = ksoftirqd_task(cpu);
		struct posix_task *pt;
		bool waiting;

		if (softirq_pending_cpu(cpu) || cpu_work_due(cpu))
			return false;
		if (!tsk || !tsk->arch)
			continue;
		pt = tsk->arch;
		pthread_mutex_lock(&pt->lock);
		waiting = pt->waiting && READ_ONCE(tsk->state) != TASK_RUNNING;
		pthread_mutex_unlock(&pt->lock);
		if (!waiting)
			return false;
	}
	return true;
}

static int posix_run_until_idle(u64 deadline)
{
	for (;;) {
		u64 now;

		if (posix_idle())
			return 1;
		now = posix_clock_ns();
		if (now >= deadline)
			return 0;
		sleep_ns(min_t(u64, NSEC_PER_MSEC, deadline - now));
	}
}

static int posix_run_until_dead(struct task_struct *p)
{
	while (READ_ONCE(p->state) != TASK_DEAD)
		sleep_ns(NSEC_PER_MSEC);
	return 0;
}

static int posix_init(const struct ul_config *cfg)
{
	int cpu, err;

	clock_gettime(CLOCK_MONOTONIC, &start_ts);
	/* A new stack: every thread's jiffies cache (of the old start_ts) is void. */
	posix_gen = posix_gen + 1 ? posix_gen + 1 : 1;
	call_seq = 0;
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		memset(&cpus[cpu], 0, sizeof(cpus[cpu]));
		pthread_mutex_init(&cpus[cpu].bh, NULL);
		pthread_mutex_init(&cpus[cpu].qlock, NULL);
	}
	err = ctx_init(&init_ctx);
	if (err)
		return err;
	spin_ns = spin_us_to_ns(cfg ? cfg->spin_us : 0);
	ul_smp = true;
	posix_up = true;
	return 0;
}

static void posix_fini(void)
{
	int cpu;

	if (!posix_up)
		return;
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		free(cpus[cpu].irqs);
		free(cpus[cpu].calls);
		pthread_mutex_destroy(&cpus[cpu].bh);
		pthread_mutex_destroy(&cpus[cpu].qlock);
		memset(&cpus[cpu], 0, sizeof(cpus[cpu]));
	}
	ctx_destroy(&init_ctx);
	ul_smp = false;
	posix_up = false;
}

const struct ul_runtime_ops ul_posix_runtime = {
	.name = "posix",
	.init = posix_init,
	.fini = posix_fini,
	.clock_ns = posix_clock_ns,
	.realtime_ns = posix_realtime_ns,
	.cputime_ns = posix_cputime_ns,
	.tick_ns = posix_tick_ns,
	.task_start = posix_task_start,
	.task_block = posix_task_block,
	.task_wake = posix_task_wake,
	.task_yield = posix_task_yield,
	.task_exit = posix_task_exit,
	.task_free = posix_task_free,
	.task_attach = posix_task_attach,
	.task_sleep = posix_task_sleep,
	.softirq_kick = posix_softirq_kick,
	.timer_kick = posix_timer_kick,
	.irq_post = posix_irq_post,
	.bh_lock = posix_bh_lock,
	.bh_unlock = posix_bh_unlock,
	.run_for = posix_run_for,
	.run_until_idle = posix_run_until_idle,
	.run_until_dead = posix_run_until_dead,
	.call_at = posix_call_at,
};
