/* SPDX-License-Identifier: MIT */
/* Tasks, current, schedule and wakeups. Mirrors linux/include/linux/sched.h.
 *
 * A task is a program of a lab or an application thread. On the sim runtime it is a
 * coroutine pinned to one simulated CPU; schedule() switches back to the event loop until a
 * wakeup makes it runnable again. On the posix runtime it is an OS thread that blocks on its
 * own condition variable. Either way the stack only sees these functions.
 *
 * Protocol: set_current_state(TASK_INTERRUPTIBLE); check the condition; schedule().
 * A wake_up_process() between the two leaves the task TASK_RUNNING, so schedule() returns at
 * once and no wakeup is lost. */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H
#include "linux/list.h"
#include "linux/mm.h"
#include "linux/percpu.h"
#include "linux/spinlock.h"
#include "linux/timer.h"
#include "linux/wait.h"

#define TASK_RUNNING		0
#define TASK_INTERRUPTIBLE	1
#define TASK_UNINTERRUPTIBLE	2
#define TASK_DEAD		64
#define TASK_COMM_LEN		16
#define MAX_SCHEDULE_TIMEOUT	((long)(~0UL >> 1))

#define PF_KTHREAD	0x00200000 /* ksoftirqd and other kernel threads */
#define PF_IDLE		0x00000002 /* a CPU's swapper: the context of interrupts on sim */
#define PF_UL_FOREIGN	0x00000004 /* an application thread that called in (posix), see
				    * ul_syscall_enter */

struct net;
struct files_struct;

/* CPU time of a task, in nanoseconds, split as getrusage() does. */
struct task_cputime {
	u64 utime; /* in the application's own code */
	u64 stime; /* inside ul_* system calls */
};

struct task_struct {
	volatile long state;
	unsigned int flags;
	int pid;
	int cpu;			/* the CPU it runs on (pinned) */
	char comm[TASK_COMM_LEN];
	struct net *net;		/* current network namespace (nsproxy->net_ns) */
	struct files_struct *files;	/* fd table (fs/file.c) */
	struct task_cputime cputime;
	unsigned long nvcsw;		/* voluntary context switches (blocked in schedule) */
	unsigned long nivcsw;		/* involuntary (yielded while runnable) */
	int in_syscall;			/* inside a ul_* call: time counts as sys */
	int (*fn)(void *);
	void *arg;
	int exit_code;
	wait_queue_head_t exit_wq;	/* woken when the task is dead */
	struct list_head tasks;		/* all tasks of the stack */
	void *arch;			/* the runtime's execution context */
	unsigned int sigpending;	/* ul_task_interrupt(): makes sleeps return -EINTR */
	/* The page the task's socket writes copy into (3.10 task_frag, sk_page_frag); put
	 * when the task is released. */
	struct page_frag task_frag;
	/* (ulnet) The tcp_ucopy this task waits with in tcp_recvmsg, or NULL: tcp_ucopy(sk)
	 * finds it here on the reader's own paths (prequeue and backlog processing, the copy)
	 * without the hashed table that softirq uses (see tcp_sock.ucopy_waiting). */
	struct tcp_ucopy *tcp_ucopy;
};

extern __thread struct task_struct *ul_current;
#define current (ul_current)

#define __set_current_state(s) (current->state = (s))
#define set_current_state(s) __atomic_store_n(&current->state, (s), __ATOMIC_SEQ_CST)

/* Block until woken (or return at once if the state is TASK_RUNNING). Not in interrupt or
 * bottom-half context (BUG). */
void schedule(void);
/* Sleep at most @timeout jiffies; returns the jiffies left (0 on timeout). */
long schedule_timeout(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_uninterruptible(long timeout);
/* Make @p runnable. Returns 1 if it was sleeping. Any context. */
int wake_up_process(struct task_struct *p);
int wake_up_state(struct task_struct *p, unsigned int state);
/* Give the CPU to other runnable work (counts an involuntary switch). */
void cond_resched(void);
void yield(void);
void msleep(unsigned int msecs);
void ul_sleep_ns(u64 ns);
static inline int signal_pending(struct task_struct *p)
{
	return p->sigpending != 0;
}

/* Start a task running fn(arg) on @cpu in namespace @net. */
struct task_struct *ul_task_create(int (*fn)(void *), void *arg, const char *name, int cpu,
				   struct net *net);
/* Kernel thread (PF_KTHREAD), as kthread_run. */
struct task_struct *kthread_run_on_cpu(int (*fn)(void *), void *arg, int cpu, const char *name);
/* Wait for @p to exit (from outside any task: drives the sim; or from another task) and
 * free it. Returns its exit code. */
int ul_task_join(struct task_struct *p);
/* The idle task ("swapper/N") of @cpu: current inside interrupts on the sim runtime. */
struct task_struct *idle_task(int cpu);

/* current, or NULL when the calling thread is not a task of the stack that exists (an
 * application thread that never called in, or one left over from an earlier stack). */
struct task_struct *ul_current_task(void);

/* System call bracket: time between counts as the task's sys time. On posix, a thread that
 * is not a ulnet task (an application's own thread) becomes one here, on its first call: a
 * PF_UL_FOREIGN task on CPU pid % nr_cpu_ids, released when the stack is destroyed. */
void ul_syscall_enter(void);
void ul_syscall_exit(void);

#endif
