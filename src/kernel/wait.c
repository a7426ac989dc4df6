/* SPDX-License-Identifier: MIT */
/* Wait queues: sleepers on a list, woken by walking it.
 * Mirrors linux/kernel/wait.c and kernel/sched/core.c (3.10): add_wait_queue,
 * add_wait_queue_exclusive, remove_wait_queue, prepare_to_wait, prepare_to_wait_exclusive,
 * finish_wait, autoremove_wake_function, __wake_up, __wake_up_common, __wake_up_locked,
 * __wake_up_sync_key, default_wake_function.
 *
 * LOCKING: q->lock (spin_lock_irqsave) guards the list; wake functions are called with it
 * held, so they must not sleep or touch the same queue's lock.
 * Non-exclusive waiters are added at the head and exclusive ones at the tail, so a wakeup
 * reaches every non-exclusive waiter and then at most nr_exclusive exclusive ones (the
 * thundering-herd fix for accept(), book ch3). */
#include "linux/sched.h"
#include "linux/wait.h"

#define WF_SYNC 0x01	/* waker goes to sleep soon: no need to preempt (sched.h) */

/* An entry that was never queued (DECLARE_WAITQUEUE leaves task_list NULL) counts as not on
 * a queue. Checks both pointers, as list_empty_careful, for a waker removing it meanwhile. */
static inline bool wait_entry_unqueued(const wait_queue_t *wait)
{
	const struct list_head *next = wait->task_list.next;

	return !next || (next == &wait->task_list && wait->task_list.prev == next);
}

void add_wait_queue(wait_queue_head_t *q, wait_queue_t *wait)
{
	unsigned long flags;

	wait->flags &= ~WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&q->lock, flags);
	list_add(&wait->task_list, &q->task_list);
	spin_unlock_irqrestore(&q->lock, flags);
}

void add_wait_queue_exclusive(wait_queue_head_t *q, wait_queue_t *wait)
{
	unsigned long flags;

	wait->flags |= WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&q->lock, flags);
	list_add_tail(&wait->task_list, &q->task_list);
	spin_unlock_irqrestore(&q->lock, flags);
}

void remove_wait_queue(wait_queue_head_t *q, wait_queue_t *wait)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	if (!wait_entry_unqueued(wait))
		list_del_init(&wait->task_list);
	spin_unlock_irqrestore(&q->lock, flags);
}

/* Queue @wait (if a wakeup has not already taken it off) and set the task state, both under
 * q->lock: a waker that runs after this sees the entry, and its wake function sets the task
 * back to TASK_RUNNING, so schedule() returns at once and no wakeup is lost.
 * Context: process (a task). */
void prepare_to_wait(wait_queue_head_t *q, wait_queue_t *wait, int state)
{
	unsigned long flags;

	wait->flags &= ~WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&q->lock, flags);
	if (wait_entry_unqueued(wait))
		list_add(&wait->task_list, &q->task_list);
	set_current_state(state);
	spin_unlock_irqrestore(&q->lock, flags);
}

void prepare_to_wait_exclusive(wait_queue_head_t *q, wait_queue_t *wait, int state)
{
	unsigned long flags;

	wait->flags |= WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&q->lock, flags);
	if (wait_entry_unqueued(wait))
		list_add_tail(&wait->task_list, &q->task_list);
	set_current_state(state);
	spin_unlock_irqrestore(&q->lock, flags);
}

/* Back to TASK_RUNNING and off the queue (an autoremove wakeup may have taken it off
 * already: then the lock is not needed). Context: process. */
void finish_wait(wait_queue_head_t *q, wait_queue_t *wait)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	if (!wait_entry_unqueued(wait)) {
		spin_lock_irqsave(&q->lock, flags);
		if (!wait_entry_unqueued(wait))
			list_del_init(&wait->task_list);
		spin_unlock_irqrestore(&q->lock, flags);
	}
}

int default_wake_function(wait_queue_t *wait, unsigned mode, int flags, void *key)
{
	struct task_struct *p = wait->private;

	if (!p)
		return 0;
	return wake_up_state(p, mode);
}

int autoremove_wake_function(wait_queue_t *wait, unsigned mode, int flags, void *key)
{
	int ret = default_wake_function(wait, mode, flags, key);

	if (ret)
		list_del_init(&wait->task_list);
	return ret;
}

/* Call every entry's wake function, head first; stop once @nr_exclusive exclusive entries
 * reported a wakeup (0: wake all). The _safe walk lets a wake function remove its own entry.
 * Caller holds q->lock. */
static void __wake_up_common(wait_queue_head_t *q, unsigned int mode, int nr_exclusive,
			     int wake_flags, void *key)
{
	wait_queue_t *curr, *next;

	list_for_each_entry_safe(curr, next, &q->task_list, task_list) {
		unsigned int flags = curr->flags;

		if (curr->func(curr, mode, wake_flags, key) && (flags & WQ_FLAG_EXCLUSIVE) &&
		    !--nr_exclusive)
			break;
	}
}

/* Context: any (process, softirq, hardirq). */
void __wake_up(wait_queue_head_t *q, unsigned int mode, int nr_exclusive, void *key)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	__wake_up_common(q, mode, nr_exclusive, 0, key);
	spin_unlock_irqrestore(&q->lock, flags);
}

/* Caller holds q->lock. */
void __wake_up_locked(wait_queue_head_t *q, unsigned int mode, int nr)
{
	__wake_up_common(q, mode, nr, 0, NULL);
}

/* The waker is about to sleep (a synchronous handoff, e.g. a pipe or socket writer). Only
 * meaningful for a single exclusive wakeup, as in Linux; the sync hint changes nothing in
 * ulnet's schedulers but is passed on to the wake functions. */
void __wake_up_sync_key(wait_queue_head_t *q, unsigned int mode, int nr_exclusive, void *key)
{
	unsigned long flags;
	int wake_flags = WF_SYNC;

	if (nr_exclusive != 1)
		wake_flags = 0;
	spin_lock_irqsave(&q->lock, flags);
	__wake_up_common(q, mode, nr_exclusive, wake_flags, key);
	spin_unlock_irqrestore(&q->lock, flags);
}
