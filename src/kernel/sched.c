/* SPDX-License-Identifier: MIT */
/* Tasks: creation, pids, the idle and init tasks, schedule, wakeups, sleeps and joins.
 * Mirrors linux/kernel/sched/core.c (schedule, try_to_wake_up, wake_up_process, yield,
 * cond_resched), kernel/timer.c (schedule_timeout, msleep), kernel/kthread.c (kthread_run),
 * kernel/fork.c (total_forks) and kernel/exit.c (do_exit, release_task).
 *
 * A task is pinned to one CPU. The runtime gives it an execution context (a coroutine on sim,
 * a thread on posix); everything here is runtime-neutral. The thread that created the stack
 * is the "init" task (pid 1): it runs the application's calls outside any spawned task, and on
 * sim it drives the world when it blocks. Each CPU has an idle task "swapper/N" (pid 0) that
 * is current while interrupts and events run outside any task on sim.
 *
 * LOCKING: tasklist_lock protects the task list and the counters; a task's state changes by
 * atomic exchange (wake_up_state may run on any thread on posix). */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include "arch/arch.h"
#include "init/boot.h"
#include "linux/errno.h"
#include "linux/hardirq.h"
#include "linux/interrupt.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/kernel_stat.h"
#include "linux/sched.h"
#include "linux/slab.h"
#include "linux/timer.h"
#include "linux/wait.h"
#include "ulnet/ulnet.h"

/* i3c's fs/file.c (linux/fdtable.h): weak, so that a program without sockets does not link
 * the file layer. */
void exit_files(struct task_struct *tsk) __attribute__((weak));

/* h3's namespace lookup (include/net/net_namespace.h): NULL or "" is init_net. */
struct net *ul_net_by_name(const char *name);

/* Private flag: someone is joining the task (a second join is refused). */
#define PF_UL_JOINING 0x10000000

static struct task_struct idle_tasks[NR_CPUS];
static struct task_struct init_task;
static struct kmem_cache *task_cachep;
static struct list_head task_list;
static DEFINE_SPINLOCK(tasklist_lock);
static int last_pid;
static unsigned long total_forks;
static u64 dead_switches;	/* context switches of tasks already released */
static unsigned int init_deadlocks;
/* posix: wakers between their state change and the runtime's signal. A task's context is
 * freed only when none is in flight (Linux keeps the task_struct alive with a reference). */
static int wakes_in_flight;
/* Which stack a thread's current belongs to: a thread that called into an earlier stack
 * (or none) must not trust its ul_current. */
static unsigned int stack_gen;
static __thread unsigned int current_gen;

static void task_struct_init(struct task_struct *p, const char *name, int pid, int cpu,
			     unsigned int flags)
{
	p->state = TASK_RUNNING;
	p->flags = flags;
	p->pid = pid;
	p->cpu = cpu;
	snprintf(p->comm, sizeof(p->comm), "%s", name ? name : "");
	init_waitqueue_head(&p->exit_wq);
	INIT_LIST_HEAD(&p->tasks);
}

void sched_init(void)
{
	int cpu;

	INIT_LIST_HEAD(&task_list);
	spin_lock_init(&tasklist_lock);
	last_pid = 0;
	total_forks = 0;
	dead_switches = 0;
	init_deadlocks = 0;
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		char name[TASK_COMM_LEN];

		memset(&idle_tasks[cpu], 0, sizeof(idle_tasks[cpu]));
		snprintf(name, sizeof(name), "swapper/%d", cpu);
		task_struct_init(&idle_tasks[cpu], name, 0, cpu, PF_IDLE | PF_KTHREAD);
	}
	/* The caller of ul_stack_create: pid 1, as init is. It runs on CPU 0. */
	memset(&init_task, 0, sizeof(init_task));
	task_struct_init(&init_task, "init", ++last_pid, 0, 0);
	total_forks = 1;
	task_cachep = kmem_cache_create("task_struct", sizeof(struct task_struct), 0,
					SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL);
	ul_current = &init_task;
	ul_this_cpu = 0;
	ul_preempt_count = 0;
	current_gen = ++stack_gen;
}

static void task_release(struct task_struct *p)
{
	/* A waker that made @p runnable (before it could die) may still be signalling it. */
	while (ul_smp && __atomic_load_n(&wakes_in_flight, __ATOMIC_SEQ_CST))
		sched_yield();
	spin_lock(&tasklist_lock);
	list_del(&p->tasks);
	dead_switches += p->nvcsw + p->nivcsw;
	spin_unlock(&tasklist_lock);
	ul_rt->task_free(p);
	/* do_exit: the send page the task's writes copied into (skbs hold their own refs). */
	if (p->task_frag.page)
		put_page(p->task_frag.page);
	kmem_cache_free(task_cachep, p);
}

/* Called with every spawned task dead or abandoned: kernel threads were stopped before
 * (stop_ksoftirqd), what is left are application tasks that never finished. */
void sched_fini(void)
{
	struct task_struct *p, *n;

	list_for_each_entry_safe(p, n, &task_list, tasks) {
		if ((p->flags & PF_UL_FOREIGN) && ul_smp) {
			/* An application thread: it keeps running, only its task goes. */
		} else if (READ_ONCE(p->state) != TASK_DEAD && ul_smp) {
			/* posix: ask it to leave (its sleeps return -EINTR), then join. */
			p->sigpending = 1;
			wake_up_state(p, TASK_NORMAL);
		}
		if (READ_ONCE(p->state) != TASK_DEAD && !ul_smp)
			pr_info("sched: task %d (%s) still alive at teardown, freed\n", p->pid,
				p->comm);
		task_release(p);
	}
	if (task_cachep)
		kmem_cache_destroy(task_cachep);
	task_cachep = NULL;
	INIT_LIST_HEAD(&task_list);
	ul_current = NULL;
	ul_this_cpu = 0;
}

/* Application tasks (not kernel threads, not adopted application threads) still alive. */
static int user_tasks_alive(void)
{
	struct task_struct *p;
	int n = 0;

	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks)
		if (!(p->flags & (PF_KTHREAD | PF_UL_FOREIGN)) && READ_ONCE(p->state) != TASK_DEAD)
			n++;
	spin_unlock(&tasklist_lock);
	return n;
}

/* posix teardown, before the network goes away under them: every application task gets a
 * signal (its interruptible waits end with -EINTR) and a bounded time to return. Those that
 * do not are reported (and reaped, or abandoned, by sched_fini). */
void sched_interrupt_tasks(void)
{
	struct task_struct *p;
	u64 end;

	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks) {
		if (p->flags & PF_KTHREAD)
			continue;
		p->sigpending = 1;
		wake_up_state(p, TASK_INTERRUPTIBLE);
	}
	spin_unlock(&tasklist_lock);
	end = ul_clock_ns() + 2 * NSEC_PER_SEC;
	while (user_tasks_alive() && ul_clock_ns() < end)
		ul_rt->run_for(NSEC_PER_MSEC);
	if (user_tasks_alive())
		pr_warn("sched: %d task(s) still running at teardown\n", user_tasks_alive());
}

struct task_struct *ul_current_task(void)
{
	if (!ul_rt || current_gen != stack_gen)
		return NULL;
	return current;
}

struct task_struct *idle_task(int cpu)
{
	if (cpu < 0 || cpu >= NR_CPUS)
		return NULL;
	return &idle_tasks[cpu];
}

static struct task_struct *__task_create(int (*fn)(void *), void *arg, const char *name,
					 int cpu, struct net *net, unsigned int flags)
{
	struct task_struct *p;
	int err, pid;

	if (!ul_rt || !task_cachep) {
		pr_err("sched: no stack\n");
		return NULL;
	}
	if (!fn || cpu < 0 || cpu >= nr_cpu_ids) {
		pr_err("sched: bad task (fn %p, cpu %d of %d)\n", (void *)fn, cpu, nr_cpu_ids);
		return NULL;
	}
	p = kmem_cache_zalloc(task_cachep, GFP_KERNEL);
	if (!p)
		return NULL;
	spin_lock(&tasklist_lock);
	pid = ++last_pid;
	total_forks++;
	spin_unlock(&tasklist_lock);
	task_struct_init(p, name, pid, cpu, flags);
	p->net = net;
	p->fn = fn;
	p->arg = arg;
	spin_lock(&tasklist_lock);
	list_add_tail(&p->tasks, &task_list);
	spin_unlock(&tasklist_lock);
	err = ul_rt->task_start(p);
	if (err) {
		pr_err("sched: cannot start task %s: %d\n", p->comm, err);
		spin_lock(&tasklist_lock);
		list_del(&p->tasks);
		spin_unlock(&tasklist_lock);
		kmem_cache_free(task_cachep, p);
		return NULL;
	}
	return p;
}

/* Returns NULL (and logs why) on a bad CPU, no stack, or no memory. */
struct task_struct *ul_task_create(int (*fn)(void *), void *arg, const char *name, int cpu,
				   struct net *net)
{
	return __task_create(fn, arg, name, cpu, net, 0);
}

struct task_struct *kthread_run_on_cpu(int (*fn)(void *), void *arg, int cpu, const char *name)
{
	return __task_create(fn, arg, name, cpu, NULL, PF_KTHREAD);
}

/* Context: the task itself, on its own execution context. */
void ul_task_body(struct task_struct *p)
{
	int ret;

	current_gen = stack_gen;
	ret = p->fn(p->arg);
	if (ul_preempt_count) {
		pr_err("sched: task %d (%s) exited with preempt_count %#x\n", p->pid, p->comm,
		       ul_preempt_count);
		BUG();
	}
	/* do_exit -> exit_files: the fds the task left open close now (fs/file.c, linked in
	 * with the socket layer). */
	if (exit_files)
		exit_files(p);
	p->exit_code = ret;
	ul_account_cputime();
	/* do_exit: the state says dead before the joiners look; on posix the runtime keeps the
	 * thread (and so @p) alive until the joiner's task_free has joined it. */
	__atomic_store_n(&p->state, TASK_DEAD, __ATOMIC_SEQ_CST);
	wake_up_all(&p->exit_wq);
}

int wake_up_state(struct task_struct *p, unsigned int state)
{
	long s;

	int woken = 0;

	if (!p)
		return 0;
	if (ul_smp)
		__atomic_fetch_add(&wakes_in_flight, 1, __ATOMIC_SEQ_CST);
	s = __atomic_load_n(&p->state, __ATOMIC_SEQ_CST);
	for (;;) {
		if (s == TASK_RUNNING || s == TASK_DEAD || !(s & (long)state))
			goto out;
		if (__atomic_compare_exchange_n(&p->state, &s, TASK_RUNNING, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			break;
	}
	ul_rt->task_wake(p);
	woken = 1;
out:
	if (ul_smp)
		__atomic_fetch_sub(&wakes_in_flight, 1, __ATOMIC_SEQ_CST);
	return woken;
}

int wake_up_process(struct task_struct *p)
{
	return wake_up_state(p, TASK_NORMAL);
}

/* "scheduling while atomic" and friends: checks common to every way of blocking. */
static void schedule_debug(struct task_struct *p)
{
	if (unlikely(!p)) {
		pr_err("schedule: called from a thread that is not a ulnet task\n");
		BUG();
	}
	if (unlikely(in_interrupt())) {
		pr_err("BUG: scheduling while atomic: %s/%d/%#x\n", p->comm, p->pid,
		       preempt_count());
		BUG();
	}
	if (unlikely(p->flags & PF_IDLE)) {
		pr_err("BUG: scheduling from the idle task %s\n", p->comm);
		BUG();
	}
	if (unlikely(preempt_count()))
		pr_warn("schedule: %s/%d blocks with preempt_count %#x\n", p->comm, p->pid,
			preempt_count());
}

/* DIVERGES: the init task on sim found nothing left that could wake it (a real kernel would
 * sleep forever). Rather than hang, it gets a signal: interruptible waits return at once with
 * -EINTR/-ERESTARTSYS (until its ul_* call returns); an uninterruptible one that keeps coming
 * back is a bug in the caller. */
static void init_deadlocked(struct task_struct *p)
{
	pr_warn("sched: %s waits for something that can never happen (nothing is scheduled)\n",
		p->comm);
	if (++init_deadlocks > 1000)
		ul_bug(__FILE__, __LINE__, "init task deadlocked in an uninterruptible wait");
	p->sigpending = 1;
	__atomic_store_n(&p->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
}

void schedule(void)
{
	struct task_struct *p = current;

	schedule_debug(p);
	if (READ_ONCE(p->state) == TASK_RUNNING)
		return;
	p->nvcsw++;
	ul_rt->task_block();
	if (READ_ONCE(p->state) != TASK_RUNNING)
		init_deadlocked(p);
}

static void process_timeout(struct timer_list *t);

struct process_timer {
	struct timer_list timer;
	struct task_struct *task;
};

static void process_timeout(struct timer_list *t)
{
	struct process_timer *timeout = from_timer(timeout, t, timer);

	wake_up_process(timeout->task);
}

long schedule_timeout(long timeout)
{
	struct process_timer timer;
	unsigned long expire;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		pr_err("schedule_timeout: wrong timeout value %lx\n", (unsigned long)timeout);
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	expire = (unsigned long)timeout + jiffies;
	/* The timer lives on this stack: del_timer_sync makes sure it is gone before return. */
	timer_setup(&timer.timer, process_timeout, 0);
	timer.task = current;
	mod_timer(&timer.timer, expire);
	schedule();
	del_timer_sync(&timer.timer);
	timeout = (long)(expire - jiffies);
	return timeout < 0 ? 0 : timeout;
}

long schedule_timeout_interruptible(long timeout)
{
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_uninterruptible(long timeout)
{
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

void msleep(unsigned int msecs)
{
	/* +1: the current jiffy is partly gone already (kernel/timer.c). */
	long timeout = (long)msecs_to_jiffies(msecs) + 1;

	while (timeout)
		timeout = schedule_timeout_uninterruptible(timeout);
}

/* nanosleep: ns resolution on both runtimes (sim: an event at exactly now + @ns). Ends early
 * only for a pending signal. */
void ul_sleep_ns(u64 ns)
{
	struct task_struct *p = current;
	u64 deadline = ul_clock_ns() + ns;
	unsigned int guard = 0;

	if (deadline < ns)
		deadline = UINT64_MAX;
	schedule_debug(p);
	while (ul_clock_ns() < deadline) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(p))
			break;
		p->nvcsw++;
		ul_rt->task_sleep(deadline);
		/* Bounded: on sim each round either reaches the deadline or was a real wakeup. */
		if (++guard > 1000000)
			break;
	}
	__set_current_state(TASK_RUNNING);
}

/* Context: a task, not atomic. Lets other runnable work on the CPU go first. */
void yield(void)
{
	struct task_struct *p = current;

	if (!p || in_interrupt() || preempt_count() || (p->flags & PF_IDLE))
		return;
	p->nivcsw++;
	ul_rt->task_yield();
}

void cond_resched(void)
{
	yield();
}

int ul_task_join(struct task_struct *p)
{
	struct task_struct *me = ul_current_task();
	unsigned int flags;
	int code, err;

	if (!p || !ul_rt)
		return -EINVAL;
	if (p == me || (p->flags & PF_IDLE) || p == &init_task)
		return -EDEADLK;
	flags = __atomic_fetch_or(&p->flags, PF_UL_JOINING, __ATOMIC_SEQ_CST);
	if (flags & PF_UL_JOINING)
		return -EINVAL;
	if (me && !(me->flags & PF_IDLE) && (me != &init_task || ul_smp)) {
		/* From a task (or the init thread on posix): sleep until it is dead. */
		wait_event(p->exit_wq, READ_ONCE(p->state) == TASK_DEAD);
	} else if (!ul_smp) {
		/* From outside any task on sim: drive the world until it dies. */
		err = ul_rt->run_until_dead(p);
		if (err) {
			__atomic_fetch_and(&p->flags, ~PF_UL_JOINING, __ATOMIC_SEQ_CST);
			return err;
		}
	}
	/* posix from a foreign thread: task_free joins the thread itself. */
	code = p->exit_code;
	task_release(p);
	return code;
}

/* posix: the calling application thread becomes a task of this stack. */
static struct task_struct *task_attach_current(void)
{
	struct task_struct *p;
	int pid;

	if (!task_cachep)
		return NULL;
	p = kmem_cache_zalloc(task_cachep, GFP_KERNEL);
	if (!p)
		return NULL;
	spin_lock(&tasklist_lock);
	pid = ++last_pid;
	total_forks++;
	spin_unlock(&tasklist_lock);
	task_struct_init(p, "thread", pid, pid % nr_cpu_ids, PF_UL_FOREIGN);
	if (ul_rt->task_attach(p)) {
		kmem_cache_free(task_cachep, p);
		return NULL;
	}
	spin_lock(&tasklist_lock);
	list_add_tail(&p->tasks, &task_list);
	spin_unlock(&tasklist_lock);
	ul_current = p;
	ul_this_cpu = p->cpu;
	ul_preempt_count = 0;
	current_gen = stack_gen;
	return p;
}

void ul_syscall_enter(void)
{
	struct task_struct *p;

	if (!ul_rt)
		return;
	if (current_gen != stack_gen) {
		/* Not a thread of this stack: sim has none; posix adopts it. */
		if (!ul_smp)
			return;
		if (!task_attach_current()) {
			pr_err("ul_syscall_enter: cannot attach the thread to the stack\n");
			return;
		}
	}
	p = current;
	if (!p)
		return;
	ul_account_cputime();
	p->in_syscall++;
}

void ul_syscall_exit(void)
{
	struct task_struct *p = current;

	if (!ul_rt || current_gen != stack_gen || !p || !p->in_syscall)
		return;
	ul_account_cputime();
	/* The "signal" that broke a deadlocked wait of the init task is delivered now. */
	if (--p->in_syscall == 0 && p == &init_task) {
		p->sigpending = 0;
		init_deadlocks = 0;
	}
}

/* ---- statistics for /proc/stat ---- */

u64 nr_context_switches(void)
{
	struct task_struct *p;
	u64 sum;

	spin_lock(&tasklist_lock);
	sum = dead_switches + init_task.nvcsw + init_task.nivcsw;
	list_for_each_entry(p, &task_list, tasks)
		sum += p->nvcsw + p->nivcsw;
	spin_unlock(&tasklist_lock);
	return sum;
}

unsigned long nr_processes_forked(void)
{
	return total_forks;
}

unsigned long nr_running(void)
{
	struct task_struct *p;
	unsigned long n = READ_ONCE(init_task.state) == TASK_RUNNING;

	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks)
		n += READ_ONCE(p->state) == TASK_RUNNING;
	spin_unlock(&tasklist_lock);
	return n;
}

/* Tasks in uninterruptible disk waits: ulnet has no disks. */
unsigned long nr_iowait(void)
{
	return 0;
}

/* ---- the public API ---- */

UL_API struct task_struct *ul_task_spawn(const char *netns, const char *name, int cpu,
					 ul_task_fn fn, void *arg)
{
	struct net *net;

	if (!ul_rt || !fn)
		return NULL;
	if (cpu == -1)
		cpu = 0;
	if (cpu < 0 || cpu >= nr_cpu_ids) {
		pr_err("ul_task_spawn: no CPU %d (the stack has %d)\n", cpu, nr_cpu_ids);
		return NULL;
	}
	net = ul_net_by_name(netns);
	if (!net && netns && netns[0]) {
		pr_err("ul_task_spawn: no network namespace \"%s\"\n", netns);
		return NULL;
	}
	return ul_task_create(fn, arg, name ? name : "task", cpu, net);
}

UL_API void ul_sleep(uint64_t ns)
{
	ul_syscall_enter();
	ul_sleep_ns(ns);
	ul_syscall_exit();
}

UL_API int ul_task_stats(const struct task_struct *t, struct ul_task_stats *st)
{
	if (!st)
		return -EINVAL;
	if (!t) {
		t = ul_current_task();
		if (!t)
			return -EINVAL;
		/* Charge the running slice so the caller sees its own time up to now. */
		ul_account_cputime();
	}
	st->nvcsw = t->nvcsw;
	st->nivcsw = t->nivcsw;
	st->utime_ns = t->cputime.utime;
	st->stime_ns = t->cputime.stime;
	return 0;
}
