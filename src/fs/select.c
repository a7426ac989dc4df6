/* SPDX-License-Identifier: MIT */
/* poll(2): wait for events on a set of fds by queueing on each file's wait queues.
 * Mirrors linux/fs/select.c (3.10): poll_initwait, __pollwait, pollwake, poll_freewait,
 * poll_schedule_timeout, do_pollfd, do_poll, do_sys_poll.
 *
 * The first pass calls every file's ->poll with a poll_table whose queue function is
 * __pollwait: one poll_table_entry per wait queue, with pollwake as the wake function. If
 * nothing is ready, the task sleeps until a wakeup (pollwake sets triggered) or the
 * timeout; later passes poll with a NULL queue function (the entries stay queued). Unlike
 * epoll, every call walks every fd: the cost grows with the number of fds (book ch3).
 * Entries live in the poll_wqueues on the stack (N_INLINE_POLL_ENTRIES) and then in
 * kmalloc'ed pages of entries, as 3.10.
 *
 * DIVERGES: the timeout sleeps on the jiffies timer (HZ=1000) rather than an hrtimer with
 * slack; the pollfd array is used in place (no copy into kernel pages). */
#include "linux/errno.h"
#include "linux/fdtable.h"
#include "linux/fs.h"
#include "linux/kernel.h"
#include "linux/poll.h"
#include "linux/sched.h"
#include "linux/slab.h"
#include "linux/syscalls.h"
#include "ulnet/socket.h"

/* What poll reports for a file without ->poll (a regular file). */
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

struct poll_table_entry {
	struct file *filp;
	unsigned long key;
	wait_queue_t wait;
	wait_queue_head_t *wait_address;
};

struct poll_table_page {
	struct poll_table_page *next;
	struct poll_table_entry *entry;
	struct poll_table_entry entries[];
};

#define POLL_PAGE_SIZE 4096
#define POLL_TABLE_FULL(table) \
	((unsigned long)((table)->entry + 1) > \
	 (unsigned long)(table) + POLL_PAGE_SIZE)
#define N_INLINE_POLL_ENTRIES 18	/* 3.10: fits 832 bytes of stack on x86_64 */

struct poll_wqueues {
	poll_table pt;
	struct poll_table_page *table;
	struct task_struct *polling_task;
	int triggered;
	int error;
	int inline_index;
	struct poll_table_entry inline_entries[N_INLINE_POLL_ENTRIES];
};

static void __pollwait(struct file *filp, wait_queue_head_t *wait_address, poll_table *p);

static void poll_initwait(struct poll_wqueues *pwq)
{
	init_poll_funcptr(&pwq->pt, __pollwait);
	pwq->polling_task = current;
	pwq->triggered = 0;
	pwq->error = 0;
	pwq->table = NULL;
	pwq->inline_index = 0;
}

static void free_poll_entry(struct poll_table_entry *entry)
{
	remove_wait_queue(entry->wait_address, &entry->wait);
	fput(entry->filp);
}

static void poll_freewait(struct poll_wqueues *pwq)
{
	struct poll_table_page *p = pwq->table;
	int i;

	for (i = 0; i < pwq->inline_index; i++)
		free_poll_entry(pwq->inline_entries + i);
	while (p) {
		struct poll_table_entry *entry;
		struct poll_table_page *old;

		entry = p->entry;
		do {
			entry--;
			free_poll_entry(entry);
		} while (entry > p->entries);
		old = p;
		p = p->next;
		kfree(old);
	}
}

static struct poll_table_entry *poll_get_entry(struct poll_wqueues *p)
{
	struct poll_table_page *table = p->table;

	if (p->inline_index < N_INLINE_POLL_ENTRIES)
		return p->inline_entries + p->inline_index++;

	if (!table || POLL_TABLE_FULL(table)) {
		struct poll_table_page *new_table;

		new_table = kmalloc(POLL_PAGE_SIZE, GFP_KERNEL);
		if (!new_table) {
			p->error = -ENOMEM;
			return NULL;
		}
		new_table->entry = new_table->entries;
		new_table->next = table;
		p->table = new_table;
		table = new_table;
	}
	return table->entry++;
}

/* Wake the polling task: mark the table triggered first, so a task about to sleep in
 * poll_schedule_timeout sees it. Context: the file's wait-queue lock held. */
static int __pollwake(wait_queue_t *wait, unsigned mode, int sync, void *key)
{
	struct poll_wqueues *pwq = wait->private;
	DECLARE_WAITQUEUE(dummy_wait, pwq->polling_task);

	smp_wmb();
	pwq->triggered = 1;
	return default_wake_function(&dummy_wait, mode, sync, key);
}

static int pollwake(wait_queue_t *wait, unsigned mode, int sync, void *key)
{
	struct poll_table_entry *entry = container_of(wait, struct poll_table_entry, wait);

	/* Not an event this fd asked for. */
	if (key && !((unsigned long)key & entry->key))
		return 0;
	return __pollwake(wait, mode, sync, key);
}

/* Add a new entry: the poll_table queue function of the first pass. */
static void __pollwait(struct file *filp, wait_queue_head_t *wait_address, poll_table *p)
{
	struct poll_wqueues *pwq = container_of(p, struct poll_wqueues, pt);
	struct poll_table_entry *entry = poll_get_entry(pwq);

	if (!entry)
		return;
	entry->filp = get_file(filp);
	entry->wait_address = wait_address;
	entry->key = p->_key;
	init_waitqueue_func_entry(&entry->wait, pollwake);
	entry->wait.private = pwq;
	INIT_LIST_HEAD(&entry->wait.task_list);
	add_wait_queue(wait_address, &entry->wait);
}

/* Sleep until a wakeup or @*timeout jiffies; 0 when the time ran out. */
static int poll_schedule_timeout(struct poll_wqueues *pwq, int state, long *timeout)
{
	int rc = -EINTR;

	set_current_state(state);
	if (!pwq->triggered) {
		*timeout = schedule_timeout(*timeout);
		rc = *timeout ? -EINTR : 0;
	}
	__set_current_state(TASK_RUNNING);
	/* Prepare for the next iteration: the wakeup has been consumed. */
	__atomic_store_n(&pwq->triggered, 0, __ATOMIC_SEQ_CST);
	return rc;
}

/* One fd: its events (POLLNVAL for a closed fd, 0 for a negative one). */
static unsigned int do_pollfd(struct pollfd *pollfd, poll_table *pwait)
{
	unsigned int mask = 0;
	int fd = pollfd->fd;
	struct file *file;

	if (fd >= 0) {
		file = fget((unsigned int)fd);
		mask = POLLNVAL;
		if (file != NULL) {
			mask = DEFAULT_POLLMASK;
			if (file->f_op && file->f_op->poll) {
				pwait->_key = (unsigned long)(unsigned short)pollfd->events |
					      POLLERR | POLLHUP;
				mask = file->f_op->poll(file, pwait);
			}
			/* Mask out unneeded events. */
			mask &= (unsigned int)(unsigned short)pollfd->events | POLLERR | POLLHUP;
			fput(file);
		}
	}
	pollfd->revents = (short)mask;
	return mask;
}

static int do_poll(struct pollfd *fds, nfds_t nfds, struct poll_wqueues *wait, long timeout)
{
	poll_table *pt = &wait->pt;
	int timed_out = 0, count = 0;
	unsigned long rounds = 0;
	nfds_t i;

	/* Optimise the no-wait case. */
	if (!timeout) {
		pt->_qproc = NULL;
		timed_out = 1;
	}
	for (;;) {
		for (i = 0; i < nfds; i++) {
			/* Once one fd is ready, the others need not queue (count != 0). */
			if (do_pollfd(&fds[i], pt)) {
				count++;
				pt->_qproc = NULL;
			}
		}
		/* All waiters are queued now: later passes only look. */
		pt->_qproc = NULL;
		if (!count) {
			count = wait->error;
			if (signal_pending(current))
				count = -EINTR;
		}
		if (count || timed_out || ++rounds > 100000000UL)
			break;
		if (!poll_schedule_timeout(wait, TASK_INTERRUPTIBLE, &timeout))
			timed_out = 1;
	}
	return count;
}

static long do_sys_poll(struct pollfd *ufds, nfds_t nfds, int timeout_msecs)
{
	struct poll_wqueues table;
	struct files_struct *files = get_task_files();
	long timeout;
	int fdcount;

	/* nfds above RLIMIT_NOFILE is refused (3.10: rlimit(RLIMIT_NOFILE)). */
	if (files && nfds > files->rlim_cur)
		return -EINVAL;
	if (nfds && !ufds)
		return -EFAULT;
	if (timeout_msecs > 0)
		timeout = (long)msecs_to_jiffies((unsigned int)timeout_msecs);
	else if (timeout_msecs == 0)
		timeout = 0;
	else
		timeout = MAX_SCHEDULE_TIMEOUT;

	poll_initwait(&table);
	fdcount = do_poll(ufds, nfds, &table, timeout);
	poll_freewait(&table);
	return fdcount;
}

UL_API int ul_poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	return (int)UL_SYSCALL(do_sys_poll(fds, nfds, timeout));
}
