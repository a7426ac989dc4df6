/* SPDX-License-Identifier: MIT */
/* The sim runtime: one OS thread, a virtual nanosecond clock and an event queue.
 * Mirrors nothing in Linux directly; it plays the hardware and the scheduler
 * (kernel/sched/core.c: try_to_wake_up, schedule; the local APIC timer; IPIs).
 *
 * Every piece of work is an event bound to a CPU, ordered by (time, seq): seq is a global
 * counter, so events due at the same virtual time run in the order they were posted and a run
 * is a deterministic sequence. Running an event sets ul_this_cpu to its CPU and current to that
 * CPU's idle task ("swapper/N"); resuming a task switches to its coroutine, which runs until it
 * blocks, yields or ends. DIVERGES: code takes no virtual time (the clock only jumps to the
 * next event), so the 2 ms limit of __do_softirq never trips on sim, only its restart count.
 *
 * The thread that created the stack is the "init" task: when it blocks (schedule() from the
 * caller of a ul_* function, ul_task_join) it drives the event loop itself until it is woken.
 * Context: the single thread of the stack. */
#include "linux/errno.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "arch/arch.h"
#include "arch/sim/coro.h"
#include "linux/hardirq.h"
#include "linux/interrupt.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/kernel_stat.h"
#include "linux/percpu.h"
#include "linux/sched.h"
#include "linux/timer.h"
#include "ulnet/ulnet.h"

/* 2026-01-01T00:00:00Z: the wall clock of every simulated run starts here. */
#define SIM_EPOCH_NS (1767225600ULL * NSEC_PER_SEC)
#define SIM_STACK_SIZE (256 * 1024)
/* A join gives up when no application task has run for a virtual day: only periodic kernel
 * work (timers, ksoftirqd) is left, which would go on forever. A day covers TCP's longest
 * defaults (keepalive: 2 h 11 min). */
#define SIM_JOIN_HORIZON_NS (24ULL * 3600 * NSEC_PER_SEC)

enum sim_kind {
	SIM_NOP,	/* cancelled (its task was freed) */
	SIM_RESUME,	/* switch to task ptr if data == its token */
	SIM_SLEEP_END,	/* ul_sleep_ns deadline of task ptr (data: sleep generation) */
	SIM_TICK,	/* local timer interrupt (data: tick generation of the CPU) */
	SIM_IRQ,	/* hard IRQ number data */
	SIM_CALL,	/* fn(arg) */
};

struct sim_event {
	u64 time;
	u64 seq;
	int cpu;
	int kind;
	void *ptr;
	void *arg;
	u64 data;
};

/* The runtime's part of a task (task_struct.arch). */
struct sim_task {
	struct ul_coro *coro;
	u64 token;		/* a RESUME event is valid only while it carries this */
	u64 sleep_gen;
	bool posted;		/* a valid RESUME event is queued */
	bool parked;		/* switched out (blocked, yielded or not started) */
	bool yielded;		/* parked but runnable */
	bool dead;
	unsigned int preempt_count;
};

static struct {
	u64 now;
	u64 seq;
	struct sim_event *heap;
	size_t n, cap;
	struct {
		u64 time;
		u64 gen;
		bool armed;
	} tick[NR_CPUS];
	bool in_event;		/* an event runs on the thread's own stack */
	u64 last_user_run;	/* virtual time an application task last ran */
	struct task_struct *running; /* the task whose coroutine runs, or NULL */
} sim;

/* ---- the event queue: a binary min-heap on (time, seq) ---- */

static bool ev_before(const struct sim_event *a, const struct sim_event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static int sim_post(u64 time, int cpu, int kind, void *ptr, void *arg, u64 data)
{
	struct sim_event ev = { .time = time < sim.now ? sim.now : time, .seq = sim.seq++,
				.cpu = cpu, .kind = kind, .ptr = ptr, .arg = arg, .data = data };
	size_t i;

	if (sim.n == sim.cap) {
		size_t cap = sim.cap ? sim.cap * 2 : 256;
		struct sim_event *h = realloc(sim.heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		sim.heap = h;
		sim.cap = cap;
	}
	i = sim.n++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!ev_before(&ev, &sim.heap[parent]))
			break;
		sim.heap[i] = sim.heap[parent];
		i = parent;
	}
	sim.heap[i] = ev;
	return 0;
}

static void sim_pop(struct sim_event *out)
{
	struct sim_event last;
	size_t i = 0;

	*out = sim.heap[0];
	last = sim.heap[--sim.n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		const struct sim_event *best = &last;

		if (l < sim.n && ev_before(&sim.heap[l], best)) {
			m = l;
			best = &sim.heap[l];
		}
		if (r < sim.n && ev_before(&sim.heap[r], best))
			m = r;
		if (m == i)
			break;
		sim.heap[i] = sim.heap[m];
		i = m;
	}
	if (sim.n)
		sim.heap[i] = last;
}

/* Posting a task event must not fail silently: the task would sleep forever. */
static void sim_post_or_die(u64 time, int cpu, int kind, void *ptr, void *arg, u64 data)
{
	if (sim_post(time, cpu, kind, ptr, arg, data))
		ul_bug(__FILE__, __LINE__, "sim: out of memory for the event queue");
}

/* ---- tasks ---- */

static struct sim_task *sim_task_of(struct task_struct *p)
{
	return p ? p->arch : NULL;
}

/* The loop side of a switch: run @p's coroutine until it parks or ends. Context: an event. */
static void sim_switch_to(struct task_struct *p)
{
	struct sim_task *st = p->arch;

	ul_account_cputime();
	st->parked = false;
	st->yielded = false;
	if (!(p->flags & PF_KTHREAD))
		sim.last_user_run = sim.now;
	sim.running = p;
	ul_current = p;
	ul_this_cpu = p->cpu;
	ul_preempt_count = st->preempt_count;
	coro_resume(st->coro);
	/* Back on the loop's stack: @p parked or ended (ul_account_cputime charged it). */
	st->preempt_count = ul_preempt_count;
	sim.running = NULL;
}

/* The task side: give the thread back to the loop. */
static void sim_switch_out(struct task_struct *p)
{
	struct sim_task *st = p->arch;

	ul_account_cputime();
	st->parked = true;
	coro_yield(st->coro);
	/* Resumed: sim_switch_to restored current, the CPU and preempt_count. */
}

static void sim_task_entry(void *arg)
{
	struct task_struct *p = arg;

	ul_task_body(p);
	ul_rt->task_exit();
}

static int sim_task_start(struct task_struct *p)
{
	struct sim_task *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	st->coro = coro_create(SIM_STACK_SIZE, sim_task_entry, p);
	if (!st->coro) {
		free(st);
		return -ENOMEM;
	}
	st->parked = true;
	st->yielded = true; /* runnable from the start */
	st->posted = true;
	p->arch = st;
	if (sim_post(sim.now, p->cpu, SIM_RESUME, p, NULL, st->token)) {
		coro_destroy(st->coro);
		free(st);
		p->arch = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int sim_step(u64 limit);

/* The init task (the thread that created the stack, no coroutine) blocks by running the
 * world until something wakes it. Returns with its state still not TASK_RUNNING only if
 * nothing is left that could (schedule() reports that). */
static void sim_drive_until_woken(struct task_struct *p, u64 deadline)
{
	while (READ_ONCE(p->state) != TASK_RUNNING) {
		if (!sim.n || sim.heap[0].time > deadline) {
			if (deadline != UINT64_MAX) {
				sim.now = deadline;
				__atomic_store_n(&p->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
			}
			return;
		}
		sim_step(UINT64_MAX);
	}
}

static void sim_task_block(void)
{
	struct task_struct *p = current;

	if (READ_ONCE(p->state) == TASK_RUNNING)
		return;
	if (!sim.running) {
		if (sim.in_event)
			ul_bug(__FILE__, __LINE__, "sim: blocking inside an event");
		sim_drive_until_woken(p, UINT64_MAX);
		return;
	}
	sim_switch_out(p);
}

static void sim_task_wake(struct task_struct *p)
{
	struct sim_task *st = sim_task_of(p);

	/* The init task has no coroutine: its own loop sees the new state. */
	if (!st || st->dead || st->posted)
		return;
	st->posted = true;
	sim_post_or_die(sim.now, p->cpu, SIM_RESUME, p, NULL, st->token);
}

static void sim_task_yield(void)
{
	struct task_struct *p = current;
	struct sim_task *st = sim_task_of(p);

	/* From the init task or an event: nothing to give the CPU to. */
	if (!st || sim.running != p)
		return;
	/* Go to the back of the queue: a resume posted earlier would jump it. */
	st->token++;
	st->posted = true;
	sim_post_or_die(sim.now, p->cpu, SIM_RESUME, p, NULL, st->token);
	st->yielded = true;
	sim_switch_out(p);
}

static __noreturn void sim_task_exit(void)
{
	struct task_struct *p = current;
	struct sim_task *st = p->arch;

	ul_account_cputime();
	st->dead = true;
	st->parked = true;
	coro_exit(st->coro);
}

static void sim_task_free(struct task_struct *p)
{
	struct sim_task *st = sim_task_of(p);
	size_t i;

	if (!st)
		return;
	if (sim.running == p)
		ul_bug(__FILE__, __LINE__, "sim: freeing the running task");
	/* No event may point at freed memory. */
	for (i = 0; i < sim.n; i++)
		if (sim.heap[i].ptr == p && (sim.heap[i].kind == SIM_RESUME ||
					     sim.heap[i].kind == SIM_SLEEP_END))
			sim.heap[i].kind = SIM_NOP;
	coro_destroy(st->coro);
	free(st);
	p->arch = NULL;
}

/* DIVERGES: sim has one thread; another thread calling in is a bug of the application. */
static int sim_task_attach(struct task_struct *p)
{
	return -EOPNOTSUPP;
}

static void sim_resume_event(struct task_struct *p, u64 token)
{
	struct sim_task *st = sim_task_of(p);

	if (!st || token != st->token)
		return;
	st->posted = false;
	if (st->dead || !st->parked)
		return;
	/* A stale wakeup (the task found its condition and blocked again) is dropped. */
	if (!st->yielded && READ_ONCE(p->state) != TASK_RUNNING)
		return;
	sim_switch_to(p);
}

/* ---- timers, interrupts, softirqs ---- */

/* The virtual time of the tick at which jiffies reaches @expires. A timer never fires on the
 * tick that is current when it is armed (Linux runs it on the next one). */
static u64 sim_expiry_ns(unsigned long expires)
{
	long rel = (long)(expires - INITIAL_JIFFIES);
	u64 t = rel > 0 ? (u64)rel * NSEC_PER_MSEC : 0;

	if (t <= sim.now)
		t = (sim.now / NSEC_PER_MSEC + 1) * NSEC_PER_MSEC;
	return t;
}

/* DIVERGES: the sim tick is tickless, it only fires when a timer is due, so the LOC row of
 * /proc/interrupts counts the ticks that had work, not HZ per second. */
static void sim_timer_kick(int cpu, unsigned long expires)
{
	u64 t;

	if (cpu < 0 || cpu >= nr_cpu_ids)
		return;
	t = sim_expiry_ns(expires);
	if (sim.tick[cpu].armed && sim.tick[cpu].time <= t)
		return;
	sim.tick[cpu].armed = true;
	sim.tick[cpu].time = t;
	sim.tick[cpu].gen++;
	sim_post_or_die(t, cpu, SIM_TICK, NULL, NULL, sim.tick[cpu].gen);
}

static void sim_tick_event(int cpu, u64 gen)
{
	unsigned long next;
	bool none = true;

	if (gen != sim.tick[cpu].gen || !sim.tick[cpu].armed)
		return;
	sim.tick[cpu].armed = false;
	ul_timer_tick(cpu);
	next = get_next_timer_interrupt_cpu(cpu, &none);
	if (!none)
		sim_timer_kick(cpu, next);
}

static void sim_irq_post(unsigned int irq, int cpu)
{
	sim_post_or_die(sim.now, cpu, SIM_IRQ, NULL, NULL, irq);
}

static void sim_softirq_kick(int cpu)
{
	struct task_struct *tsk = ksoftirqd_task(cpu);

	if (tsk)
		wake_up_process(tsk);
}

static int sim_call_at(u64 ns, int cpu, void (*fn)(void *), void *arg)
{
	return sim_post(ns, cpu, SIM_CALL, (void *)fn, arg, 0);
}

/* ---- the loop ---- */

static void sim_run_event(const struct sim_event *ev)
{
	struct task_struct *saved_current = ul_current;
	int saved_cpu = ul_this_cpu;
	unsigned int saved_pc = ul_preempt_count;

	ul_account_cputime();
	sim.in_event = true;
	ul_this_cpu = ev->cpu;
	ul_current = idle_task(ev->cpu);
	ul_preempt_count = 0;
	switch (ev->kind) {
	case SIM_RESUME:
		sim_resume_event(ev->ptr, ev->data);
		break;
	case SIM_SLEEP_END: {
		struct sim_task *st = sim_task_of(ev->ptr);

		if (st && st->sleep_gen == ev->data)
			wake_up_process(ev->ptr);
		break;
	}
	case SIM_TICK:
		sim_tick_event(ev->cpu, ev->data);
		break;
	case SIM_IRQ:
		generic_handle_irq((unsigned int)ev->data);
		break;
	case SIM_CALL:
		((void (*)(void *))ev->ptr)(ev->arg);
		break;
	default:
		break;
	}
	if (ul_preempt_count)
		ul_bug(__FILE__, __LINE__, "sim: event left preempt_count raised");
	ul_account_cputime();
	sim.in_event = false;
	ul_current = saved_current;
	ul_this_cpu = saved_cpu;
	ul_preempt_count = saved_pc;
}

/* Run the first event if it is due at or before @limit. Returns 1 if one ran. */
static int sim_step(u64 limit)
{
	struct sim_event ev;

	if (!sim.n || sim.heap[0].time > limit)
		return 0;
	sim_pop(&ev);
	if (ev.time > sim.now)
		sim.now = ev.time;
	sim_run_event(&ev);
	return 1;
}

/* Only the thread's own context (the init task, outside any event) may drive the loop. */
static bool sim_may_drive(const char *what)
{
	if (sim.in_event || sim.running) {
		pr_err("sim: %s from inside %s is not allowed\n", what,
		       sim.running ? "a task" : "an event");
		return false;
	}
	return true;
}

static void sim_run_for(u64 ns)
{
	u64 target = sim.now + ns;

	if (target < sim.now)
		target = UINT64_MAX;
	if (sim.running) {
		/* Inside a task "running the world" for a while is sleeping. */
		ul_sleep_ns(ns);
		return;
	}
	if (!sim_may_drive("ul_run_for"))
		return;
	while (sim_step(target))
		;
	sim.now = target;
}

static int sim_run_until_idle(u64 deadline)
{
	if (!sim_may_drive("ul_run_until_idle"))
		return 0;
	while (sim_step(deadline))
		;
	if (!sim.n)
		return 1;
	if (deadline > sim.now)
		sim.now = deadline;
	return 0;
}

static int sim_run_until_dead(struct task_struct *p)
{
	u64 start = sim.now;

	if (!sim_may_drive("joining a task"))
		return -EINVAL;
	while (READ_ONCE(p->state) != TASK_DEAD) {
		u64 since = max(start, sim.last_user_run);

		if (!sim.n)
			return -EDEADLK;
		if (sim.heap[0].time > since + SIM_JOIN_HORIZON_NS) {
			pr_warn("sim: task %d (%s) waits, and no task has run for a virtual day\n",
				p->pid, p->comm);
			return -EDEADLK;
		}
		sim_step(UINT64_MAX);
	}
	return 0;
}

/* ul_sleep_ns: a wake event at exactly @deadline (ns, not rounded to jiffies). */
static void sim_task_sleep(u64 deadline)
{
	struct task_struct *p = current;
	struct sim_task *st = sim_task_of(p);

	if (READ_ONCE(p->state) == TASK_RUNNING)
		return;
	if (!st || sim.running != p) {
		if (sim.in_event)
			ul_bug(__FILE__, __LINE__, "sim: sleeping inside an event");
		sim_drive_until_woken(p, deadline);
		return;
	}
	sim_post_or_die(deadline, p->cpu, SIM_SLEEP_END, p, NULL, st->sleep_gen);
	sim_switch_out(p);
	/* Whatever woke us, that sleep event is stale now. */
	st->sleep_gen++;
}

/* ---- clocks and setup ---- */

static u64 sim_clock_ns(void)
{
	return sim.now;
}

static u64 sim_realtime_ns(void)
{
	return SIM_EPOCH_NS + sim.now;
}

/* Real time spent by the one sim thread, for us/sy/hi/si accounting.
 * DIVERGES: CLOCK_MONOTONIC, not the thread's CPU clock: the sim is a single thread, so the
 * two agree except while the host deschedules us, and CLOCK_THREAD_CPUTIME_ID is a system
 * call (no vDSO) that cost about two thirds of the sim's time when charged at every event. */
static u64 sim_cputime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
}

static int sim_init(const struct ul_config *cfg)
{
	free(sim.heap);
	memset(&sim, 0, sizeof(sim));
	ul_smp = false;
	return 0;
}

static void sim_fini(void)
{
	free(sim.heap);
	memset(&sim, 0, sizeof(sim));
	coro_cache_drain();
}

static void sim_bh_lock(int cpu)
{
}

static void sim_bh_unlock(int cpu)
{
}

const struct ul_runtime_ops ul_sim_runtime = {
	.name = "sim",
	.init = sim_init,
	.fini = sim_fini,
	.clock_ns = sim_clock_ns,
	.realtime_ns = sim_realtime_ns,
	.cputime_ns = sim_cputime_ns,
	.task_start = sim_task_start,
	.task_block = sim_task_block,
	.task_wake = sim_task_wake,
	.task_yield = sim_task_yield,
	.task_exit = sim_task_exit,
	.task_free = sim_task_free,
	.task_attach = sim_task_attach,
	.task_sleep = sim_task_sleep,
	.softirq_kick = sim_softirq_kick,
	.timer_kick = sim_timer_kick,
	.irq_post = sim_irq_post,
	.bh_lock = sim_bh_lock,
	.bh_unlock = sim_bh_unlock,
	.run_for = sim_run_for,
	.run_until_idle = sim_run_until_idle,
	.run_until_dead = sim_run_until_dead,
	.call_at = sim_call_at,
};

/* Tests: the guard page below @p's stack. */
int ul_sim_task_guard(struct task_struct *p, void **addr, size_t *len)
{
	struct sim_task *st = sim_task_of(p);

	if (ul_rt != &ul_sim_runtime || !st)
		return -EINVAL;
	coro_guard(st->coro, addr, len);
	return 0;
}

/* Tests: events waiting in the queue. */
size_t ul_sim_pending_events(void)
{
	return sim.n;
}
