/* SPDX-License-Identifier: MIT */
/* Wait queues. Mirrors linux/include/linux/wait.h and kernel/wait.c.
 *
 * A wait_queue_head_t is a locked list of wait_queue_t entries; each entry has a wake
 * function. __wake_up() walks the list and calls each entry's function; it stops after
 * @nr_exclusive entries flagged WQ_FLAG_EXCLUSIVE were woken (exclusive waiters sit at the
 * tail, so one accept()ed connection wakes one acceptor). autoremove_wake_function wakes the
 * task and takes the entry off the queue (ch3: sk_wait_data). */
#ifndef _LINUX_WAIT_H
#define _LINUX_WAIT_H
#include "linux/errno.h"	/* ERESTARTSYS in wait_event_interruptible */
#include "linux/list.h"
#include "linux/spinlock.h"

struct task_struct;
typedef struct __wait_queue wait_queue_t;
typedef int (*wait_queue_func_t)(wait_queue_t *wait, unsigned mode, int flags, void *key);

#define WQ_FLAG_EXCLUSIVE 0x01
struct __wait_queue {
	unsigned int flags;
	void *private; /* the task */
	wait_queue_func_t func;
	struct list_head task_list;
};
typedef struct __wait_queue_head {
	spinlock_t lock;
	struct list_head task_list;
} wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) { __SPIN_LOCK_UNLOCKED(name), LIST_HEAD_INIT((name).task_list) }
#define DECLARE_WAIT_QUEUE_HEAD(name) wait_queue_head_t name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

int default_wake_function(wait_queue_t *wait, unsigned mode, int flags, void *key);
int autoremove_wake_function(wait_queue_t *wait, unsigned mode, int flags, void *key);

#define DEFINE_WAIT_FUNC(name, function)                                             \
	wait_queue_t name = { .private = current, .func = function,                  \
			      .task_list = LIST_HEAD_INIT((name).task_list) }
#define DEFINE_WAIT(name) DEFINE_WAIT_FUNC(name, autoremove_wake_function)
#define DECLARE_WAITQUEUE(name, tsk)                                                 \
	wait_queue_t name = { .private = tsk, .func = default_wake_function,          \
			      .task_list = { NULL, NULL } }

static inline void init_waitqueue_head(wait_queue_head_t *q)
{
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->task_list);
}
static inline void init_waitqueue_entry(wait_queue_t *q, struct task_struct *p)
{
	q->flags = 0;
	q->private = p;
	q->func = default_wake_function;
}
static inline void init_waitqueue_func_entry(wait_queue_t *q, wait_queue_func_t func)
{
	q->flags = 0;
	q->private = NULL;
	q->func = func;
}
static inline int waitqueue_active(wait_queue_head_t *q)
{
	return !list_empty(&q->task_list);
}

void add_wait_queue(wait_queue_head_t *q, wait_queue_t *wait);
void add_wait_queue_exclusive(wait_queue_head_t *q, wait_queue_t *wait);
void remove_wait_queue(wait_queue_head_t *q, wait_queue_t *wait);
void prepare_to_wait(wait_queue_head_t *q, wait_queue_t *wait, int state);
void prepare_to_wait_exclusive(wait_queue_head_t *q, wait_queue_t *wait, int state);
void finish_wait(wait_queue_head_t *q, wait_queue_t *wait);

void __wake_up(wait_queue_head_t *q, unsigned int mode, int nr_exclusive, void *key);
void __wake_up_locked(wait_queue_head_t *q, unsigned int mode, int nr);
void __wake_up_sync_key(wait_queue_head_t *q, unsigned int mode, int nr_exclusive, void *key);

#define TASK_NORMAL 3 /* TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE */
#define wake_up(x) __wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_nr(x, nr) __wake_up(x, TASK_NORMAL, nr, NULL)
#define wake_up_all(x) __wake_up(x, TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(x) __wake_up(x, 1, 1, NULL)
#define wake_up_interruptible_all(x) __wake_up(x, 1, 0, NULL)
#define wake_up_interruptible_poll(x, m) __wake_up(x, 1, 1, (void *)(unsigned long)(m))
#define wake_up_interruptible_sync_poll(x, m) \
	__wake_up_sync_key(x, 1, 1, (void *)(unsigned long)(m))
#define wake_up_poll(x, m) __wake_up(x, TASK_NORMAL, 1, (void *)(unsigned long)(m))

/* wait_event family: sleep until @cond, in the caller's task. */
#define ___wait_event(wq, cond, state, excl, ret, cmd)                               \
	({                                                                           \
		DEFINE_WAIT(__wait);                                                 \
		long __ret = ret;                                                    \
		for (;;) {                                                           \
			if (excl)                                                    \
				prepare_to_wait_exclusive(&(wq), &__wait, state);    \
			else                                                         \
				prepare_to_wait(&(wq), &__wait, state);              \
			if (cond)                                                    \
				break;                                               \
			if ((state) == 1 && signal_pending(current)) {               \
				__ret = -ERESTARTSYS;                                \
				break;                                               \
			}                                                            \
			cmd;                                                         \
		}                                                                    \
		finish_wait(&(wq), &__wait);                                         \
		__ret;                                                               \
	})
#define wait_event(wq, cond) \
	do { if (!(cond)) ___wait_event(wq, cond, 2, 0, 0, schedule()); } while (0)
#define wait_event_interruptible(wq, cond) \
	((cond) ? 0 : (int)___wait_event(wq, cond, 1, 0, 0, schedule()))
#define wait_event_interruptible_timeout(wq, cond, timeout)                          \
	({                                                                           \
		long __t = (timeout);                                                \
		if (!(cond))                                                         \
			__t = ___wait_event(wq, ((cond) ? (__t ? __t : 1) : 0) || !__t,  \
					    1, 0, __t, __t = schedule_timeout(__t)); \
		__t;                                                                 \
	})

#endif
