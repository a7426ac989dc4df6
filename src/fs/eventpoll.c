/* SPDX-License-Identifier: MIT */
/* epoll: an event-readiness set that costs nothing per idle file (book ch3).
 * Mirrors linux/fs/eventpoll.c (3.10): struct eventpoll, epitem, eppoll_entry, ep_alloc,
 * ep_free, ep_find, ep_rbtree_insert, ep_ptable_queue_proc, ep_poll_callback,
 * ep_poll_safewake, ep_item_poll, ep_insert, ep_modify, ep_remove, ep_unregister_pollwait,
 * ep_scan_ready_list, ep_send_events, ep_send_events_proc, ep_poll, ep_eventpoll_poll,
 * ep_read_events_proc, ep_call_nested, ep_loop_check, ep_loop_check_proc,
 * reverse_path_check, reverse_path_check_proc, path_count_inc, clear_tfile_check_list,
 * ep_eventpoll_release, eventpoll_release_file,
 * eventpoll_init and the system calls epoll_create1, epoll_create, epoll_ctl, epoll_wait.
 *
 * How it works (book ch3). epoll_ctl(ADD) creates an epitem for (file, fd), links it in the
 * eventpoll's red-black tree (rbr, keyed by file then fd) and calls the file's ->poll with
 * a poll_table whose queue function is ep_ptable_queue_proc: for each wait queue the file
 * polls on (a socket has one, sk_sleep), an eppoll_entry hooks ep_poll_callback into it.
 * When the socket becomes ready, sock_def_readable wakes its queue, ep_poll_callback puts
 * the epitem on the ready list (rdllist) and wakes the task sleeping in epoll_wait (ep->wq).
 * epoll_wait only walks rdllist: its work is the number of ready items, whatever the
 * number of idle ones (ep_work_stats counts it; the tests assert it stays flat).
 *
 * Level vs edge (ep_send_events_proc). Each ready item is taken off rdllist and polled
 * again; if it still has events they are reported, and then:
 *  - EPOLLONESHOT: the item is disarmed (only EP_PRIVATE_BITS kept) until EPOLL_CTL_MOD;
 *  - EPOLLET: it is not put back: the next report needs a new wakeup (new data);
 *  - level-triggered: it goes back on rdllist, so the next epoll_wait polls it again and
 *    reports it for as long as the condition holds.
 *
 * Contract for protocols (tcp_poll, unix_poll, datagram_poll): f_op->poll(file, pt) must
 * (1) call sock_poll_wait(file, sk_sleep(sk), pt) (poll_wait) on every wait queue whose
 * wakeups can change the mask, before reading the state, so no event is lost between the
 * check and the registration; (2) return the current mask from state alone (it is also
 * called with a NULL queue function to re-check an item); (3) wake that queue with a key
 * of the POLL* bits that became true (sock_def_readable: POLLIN|POLLRDNORM|..., write
 * space: POLLOUT|..., sk_state_change: no key = all). For TCP, tcp_poll returns
 * POLLIN|POLLRDNORM when tcp_inq >= sock_rcvlowat (SO_RCVLOWAT) or FIN arrived, POLLRDHUP
 * on RCV_SHUTDOWN, POLLHUP when both directions are shut or the state is CLOSE, POLLOUT
 * when sk_stream_wspace >= sk_stream_min_wspace (or SEND_SHUTDOWN), POLLERR on sk_err,
 * nothing else while connecting (SYN_SENT/SYN_RECV), and for a listener only POLLIN, when
 * the accept queue is not empty; its wakeups come from sk_data_ready, sk_write_space and
 * sk_state_change as for any socket (tests/unit/test_sock_tcp_poll.c checks each case).
 * Tasks blocked in accept() wait exclusively (one connection wakes one); epoll's own
 * entries are not exclusive (no EPOLLEXCLUSIVE in 3.10), so every epoll instance watching
 * a listener wakes.
 *
 * LOCKING (as the kernel's, in this order):
 *   epmutex	global; held by epoll_ctl(ADD and DEL: the loop and path checks walk the
 *		graph and every file's f_ep_links) and by eventpoll_release_file and
 *		ep_free, so topology changes do not race each other;
 *   ep->mtx	per instance; held by epoll_ctl and by ep_scan_ready_list (the poll of each
 *		item while events are delivered), so an item cannot go while it is reported;
 *   ep->lock	spinlock; guards rdllist, ovflist and ep->wq (ep->wq's own lock is not
 *		used: ep_poll and ep_poll_callback add/wake under ep->lock). ep_poll_callback
 *		runs with the watched file's wait-queue lock held and takes ep->lock: a
 *		wait-queue lock is therefore always taken before ep->lock, never after.
 * While ep_scan_ready_list walks its private copy of the ready list, callbacks park items
 * on ovflist instead of rdllist; they are moved back when the scan ends. ep->poll_wait (the
 * epoll file's own poll queue, for epoll inside epoll or poll() on an epoll fd) is woken
 * after ep->lock is dropped (ep_poll_safewake). Nesting is bounded by EP_MAX_NESTS (4),
 * which ep_loop_check enforces at ADD time, so the recursion of ep_eventpoll_poll is too.
 *
 * DIVERGES: the timeout sleeps on the jiffies timer (HZ=1000, 1 ms resolution) where 3.10
 * uses an hrtimer with slack; EPOLLWAKEUP wakeup sources are not implemented (EPOLLWAKEUP
 * is accepted and kept);
 * ep->wq is woken with default_wake_function entries as 3.10, ep_poll_safewake needs no
 * nesting guard because loops are refused at ADD. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include "linux/errno.h"
#include "linux/eventpoll.h"
#include "linux/fdtable.h"
#include "linux/fs.h"
#include "linux/kernel.h"
#include "linux/poll.h"
#include "linux/rbtree.h"
#include "linux/sched.h"
#include "linux/slab.h"
#include "linux/syscalls.h"
#include "ulnet/socket.h"

#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET)
#define EP_MAX_NESTS 4
#define EP_MAX_EVENTS (INT_MAX / (int)sizeof(struct epoll_event))
/* ovflist / epi->next value meaning "not in use" (3.10 EP_UNACTIVE_PTR). */
#define EP_UNACTIVE_PTR ((void *)-1L)

struct epoll_filefd {
	struct file *file;
	int fd;
};

/* One wait queue an epitem is hooked into ("eventpoll_pwq"). */
struct eppoll_entry {
	struct list_head llink;		/* on epi->pwqlist */
	struct epitem *base;
	wait_queue_t wait;		/* func = ep_poll_callback */
	wait_queue_head_t *whead;
};

/* One watched (file, fd) ("eventpoll_epi"). */
struct epitem {
	struct rb_node rbn;		/* in ep->rbr */
	struct list_head rdllink;	/* on ep->rdllist when ready */
	struct epitem *next;		/* on ep->ovflist during a scan */
	struct epoll_filefd ffd;
	int nwait;			/* wait queues hooked (-1: a hook failed) */
	struct list_head pwqlist;	/* its eppoll_entries */
	struct eventpoll *ep;
	struct list_head fllink;	/* on ffd.file->f_ep_links */
	struct epoll_event event;
};

/* One epoll instance (kmalloc'ed, the file's private_data). */
struct eventpoll {
	spinlock_t lock;
	struct mutex mtx;
	wait_queue_head_t wq;		/* tasks in epoll_wait */
	wait_queue_head_t poll_wait;	/* pollers of the epoll file itself */
	struct list_head rdllist;	/* ready items */
	struct rb_root rbr;		/* all items */
	struct epitem *ovflist;		/* ready while rdllist is being scanned */
	struct file *file;
	/* used to optimize loop detection check */
	int visited;
	struct list_head visited_list_link;
};

/* The poll table handed to ->poll at ADD time. */
struct ep_pqueue {
	poll_table pt;
	struct epitem *epi;
};

static struct kmem_cache *epi_cache;
static struct kmem_cache *pwq_cache;
static DEFINE_MUTEX(epmutex);
static struct ep_work_stats ep_stats;

void ep_work_stats_get(struct ep_work_stats *st)
{
	st->items_visited = __atomic_load_n(&ep_stats.items_visited, __ATOMIC_RELAXED);
	st->waits = __atomic_load_n(&ep_stats.waits, __ATOMIC_RELAXED);
	st->callbacks = __atomic_load_n(&ep_stats.callbacks, __ATOMIC_RELAXED);
}

static inline void ep_stat_inc(unsigned long *c)
{
	__atomic_add_fetch(c, 1, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------------------------------------
 * Helpers. */

static inline int ep_op_has_event(int op)
{
	return op != EPOLL_CTL_DEL;
}

static inline int ep_is_linked(struct list_head *p)
{
	return !list_empty(p);
}

static inline struct epitem *ep_item_from_wait(wait_queue_t *p)
{
	return container_of(p, struct eppoll_entry, wait)->base;
}

static inline struct epitem *ep_item_from_epqueue(poll_table *p)
{
	return container_of(p, struct ep_pqueue, pt)->epi;
}

static inline int ep_events_available(struct eventpoll *ep)
{
	return !list_empty(&ep->rdllist) || ep->ovflist != EP_UNACTIVE_PTR;
}

/* Tree order: by file pointer, then fd (3.10 ep_cmp_ffd). */
static inline int ep_cmp_ffd(const struct epoll_filefd *p1, const struct epoll_filefd *p2)
{
	if (p1->file > p2->file)
		return 1;
	if (p1->file < p2->file)
		return -1;
	return p1->fd - p2->fd;
}

/* Wake the epoll file's pollers (an outer epoll, poll()). Context: ep->lock not held. */
static void ep_poll_safewake(wait_queue_head_t *wq)
{
	wake_up_poll(wq, POLLIN);
}

/* ------------------------------------------------------------------------------------------
 * Hooks into the watched files' wait queues. */

/* Unhook one entry (3.10 ep_remove_wait_queue). */
static void ep_remove_wait_queue(struct eppoll_entry *pwq)
{
	wait_queue_head_t *whead = READ_ONCE(pwq->whead);

	/* NULL: the queue went away already (POLLFREE). */
	if (whead)
		remove_wait_queue(whead, &pwq->wait);
}

/* Unhook and free every eppoll_entry of @epi. Context: ep->mtx held. */
static void ep_unregister_pollwait(struct eventpoll *ep, struct epitem *epi)
{
	struct list_head *lsthead = &epi->pwqlist;
	struct eppoll_entry *pwq;
	unsigned int guard = 0;

	while (!list_empty(lsthead) && ++guard < 1000000) {
		pwq = list_first_entry(lsthead, struct eppoll_entry, llink);
		list_del(&pwq->llink);
		ep_remove_wait_queue(pwq);
		kmem_cache_free(pwq_cache, pwq);
	}
}

/* The wake function hooked into a watched file's queue: make the item ready and wake
 * epoll_wait. @key: the POLL* bits of the event (NULL: any). Context: any (softirq when a
 * packet arrives), the watched queue's lock held. */
static int ep_poll_callback(wait_queue_t *wait, unsigned mode, int sync, void *key)
{
	int pwake = 0;
	unsigned long flags;
	struct epitem *epi = ep_item_from_wait(wait);
	struct eventpoll *ep = epi->ep;

	ep_stat_inc(&ep_stats.callbacks);
	if ((unsigned long)key & POLLFREE) {
		/* The queue is going away: unhook now (its lock is held by our caller), and
		 * make ep_remove_wait_queue skip it later. */
		list_del_init(&wait->task_list);
		WRITE_ONCE(container_of(wait, struct eppoll_entry, wait)->whead, NULL);
	}

	spin_lock_irqsave(&ep->lock, flags);
	/* Disarmed by EPOLLONESHOT: nothing but the private bits left until EPOLL_CTL_MOD. */
	if (!(epi->event.events & ~EP_PRIVATE_BITS))
		goto out_unlock;
	/* Not an event the item asked for (a POLLOUT wakeup for an EPOLLIN item). */
	if (key && !((unsigned long)key & epi->event.events))
		goto out_unlock;

	/* A scan is in progress (ep_scan_ready_list): park the item on ovflist. */
	if (unlikely(ep->ovflist != EP_UNACTIVE_PTR)) {
		if (epi->next == EP_UNACTIVE_PTR) {
			epi->next = ep->ovflist;
			ep->ovflist = epi;
		}
		goto out_unlock;
	}
	if (!ep_is_linked(&epi->rdllink))
		list_add_tail(&epi->rdllink, &ep->rdllist);

	if (waitqueue_active(&ep->wq))
		__wake_up_locked(&ep->wq, TASK_NORMAL, 1);
	if (waitqueue_active(&ep->poll_wait))
		pwake++;
out_unlock:
	spin_unlock_irqrestore(&ep->lock, flags);
	if (pwake)
		ep_poll_safewake(&ep->poll_wait);
	return 1;
}

/* poll_table queue function of ADD: one eppoll_entry per wait queue the file polls on. */
static void ep_ptable_queue_proc(struct file *file, wait_queue_head_t *whead, poll_table *pt)
{
	struct epitem *epi = ep_item_from_epqueue(pt);
	struct eppoll_entry *pwq;

	if (epi->nwait >= 0 && (pwq = kmem_cache_alloc(pwq_cache, GFP_KERNEL))) {
		init_waitqueue_func_entry(&pwq->wait, ep_poll_callback);
		INIT_LIST_HEAD(&pwq->wait.task_list);
		pwq->whead = whead;
		pwq->base = epi;
		add_wait_queue(whead, &pwq->wait);
		list_add_tail(&pwq->llink, &epi->pwqlist);
		epi->nwait++;
	} else {
		/* We have to signal that an error occurred. */
		epi->nwait = -1;
	}
}

/* The item's current events, masked by what it asked for. @pt NULL-queued: a re-check. */
static inline unsigned int ep_item_poll(struct epitem *epi, poll_table *pt)
{
	pt->_key = epi->event.events;
	return epi->ffd.file->f_op->poll(epi->ffd.file, pt) & epi->event.events;
}

/* ------------------------------------------------------------------------------------------
 * The tree. */

static void ep_rbtree_insert(struct eventpoll *ep, struct epitem *epi)
{
	int kcmp;
	struct rb_node **p = &ep->rbr.rb_node, *parent = NULL;
	struct epitem *epic;

	while (*p) {
		parent = *p;
		epic = rb_entry(parent, struct epitem, rbn);
		kcmp = ep_cmp_ffd(&epi->ffd, &epic->ffd);
		if (kcmp > 0)
			p = &parent->rb_right;
		else
			p = &parent->rb_left;
	}
	rb_link_node(&epi->rbn, parent, p);
	rb_insert_color(&epi->rbn, &ep->rbr);
}

/* The item for (@file, @fd) or NULL. Context: ep->mtx held. */
static struct epitem *ep_find(struct eventpoll *ep, struct file *file, int fd)
{
	int kcmp;
	struct rb_node *rbp;
	struct epitem *epi;
	struct epoll_filefd ffd = { .file = file, .fd = fd };

	for (rbp = ep->rbr.rb_node; rbp;) {
		epi = rb_entry(rbp, struct epitem, rbn);
		kcmp = ep_cmp_ffd(&ffd, &epi->ffd);
		if (kcmp > 0)
			rbp = rbp->rb_right;
		else if (kcmp < 0)
			rbp = rbp->rb_left;
		else
			return epi;
	}
	return NULL;
}

/* ------------------------------------------------------------------------------------------
 * Scanning the ready list. */

/* Run @sproc on a private copy of the ready list; items that become ready meanwhile are
 * parked on ovflist and merged back afterwards, with the leftovers. Context: process. */
static int ep_scan_ready_list(struct eventpoll *ep,
			      int (*sproc)(struct eventpoll *, struct list_head *, void *),
			      void *priv, bool take_mtx)
{
	int error, pwake = 0;
	unsigned long flags;
	struct epitem *epi, *nepi;
	LIST_HEAD(txlist);

	if (take_mtx)
		mutex_lock(&ep->mtx);

	spin_lock_irqsave(&ep->lock, flags);
	list_splice_init(&ep->rdllist, &txlist);
	ep->ovflist = NULL;
	spin_unlock_irqrestore(&ep->lock, flags);

	error = (*sproc)(ep, &txlist, priv);

	spin_lock_irqsave(&ep->lock, flags);
	/* Items that became ready while we scanned. */
	for (nepi = ep->ovflist; (epi = nepi) != NULL; nepi = epi->next, epi->next = EP_UNACTIVE_PTR) {
		if (!ep_is_linked(&epi->rdllink))
			list_add_tail(&epi->rdllink, &ep->rdllist);
	}
	ep->ovflist = EP_UNACTIVE_PTR;
	/* What sproc did not consume goes back (in front: it was ready first). */
	list_splice_init(&txlist, &ep->rdllist);

	if (!list_empty(&ep->rdllist)) {
		if (waitqueue_active(&ep->wq))
			__wake_up_locked(&ep->wq, TASK_NORMAL, 1);
		if (waitqueue_active(&ep->poll_wait))
			pwake++;
	}
	spin_unlock_irqrestore(&ep->lock, flags);

	if (take_mtx)
		mutex_unlock(&ep->mtx);
	if (pwake)
		ep_poll_safewake(&ep->poll_wait);
	return error;
}

struct ep_send_events_data {
	int maxevents;
	struct epoll_event *events;
};

static int ep_send_events_proc(struct eventpoll *ep, struct list_head *head, void *priv)
{
	struct ep_send_events_data *esed = priv;
	int eventcnt;
	unsigned int revents;
	struct epitem *epi;
	struct epoll_event *uevent;
	poll_table pt;

	init_poll_funcptr(&pt, NULL);

	/* At most maxevents; the rest stays on the list for the next call. */
	for (eventcnt = 0, uevent = esed->events; !list_empty(head) && eventcnt < esed->maxevents;) {
		epi = list_first_entry(head, struct epitem, rdllink);
		list_del_init(&epi->rdllink);
		ep_stat_inc(&ep_stats.items_visited);

		revents = ep_item_poll(epi, &pt);
		/* Nothing any more (the data was read since the wakeup): drop it silently; a new
		 * wakeup will bring it back. */
		if (!revents)
			continue;
		uevent->events = revents;
		uevent->data = epi->event.data;
		eventcnt++;
		uevent++;
		if (epi->event.events & EPOLLONESHOT) {
			epi->event.events &= EP_PRIVATE_BITS;
		} else if (!(epi->event.events & EPOLLET)) {
			/* Level-triggered: back on the ready list, polled again by the next
			 * epoll_wait. (ep_poll_callback cannot add it meanwhile: ovflist is
			 * active, and we hold ep->mtx.) */
			list_add_tail(&epi->rdllink, &ep->rdllist);
		}
	}
	return eventcnt;
}

static int ep_send_events(struct eventpoll *ep, struct epoll_event *events, int maxevents)
{
	struct ep_send_events_data esed = { .maxevents = maxevents, .events = events };

	return ep_scan_ready_list(ep, ep_send_events_proc, &esed, true);
}

/* Wait for events (3.10 ep_poll). @timeout ms: 0 returns at once, < 0 waits forever.
 * Returns the events delivered, 0 on timeout, -EINTR. Context: process. */
static int ep_poll(struct eventpoll *ep, struct epoll_event *events, int maxevents,
		   long timeout)
{
	int res = 0, eavail, timed_out = 0;
	unsigned long flags;
	long slack;
	wait_queue_t wait;
	unsigned int rounds = 0;

	ep_stat_inc(&ep_stats.waits);
	if (timeout > 0) {
		slack = (long)msecs_to_jiffies((unsigned int)min_t(long, timeout, INT_MAX));
	} else if (timeout == 0) {
		/* Non-blocking: report what is there. */
		timed_out = 1;
		slack = 0;
		spin_lock_irqsave(&ep->lock, flags);
		goto check_events;
	} else {
		slack = MAX_SCHEDULE_TIMEOUT;
	}

fetch_events:
	spin_lock_irqsave(&ep->lock, flags);
	if (!ep_events_available(ep)) {
		/* Sleep exclusively on ep->wq (under ep->lock, which guards it): one wakeup
		 * wakes one epoll_wait; ep_poll_callback wakes us with default_wake_function. */
		init_waitqueue_entry(&wait, current);
		wait.flags |= WQ_FLAG_EXCLUSIVE;
		list_add_tail(&wait.task_list, &ep->wq.task_list);

		for (;;) {
			set_current_state(TASK_INTERRUPTIBLE);
			if (ep_events_available(ep) || timed_out)
				break;
			if (signal_pending(current)) {
				res = -EINTR;
				break;
			}
			spin_unlock_irqrestore(&ep->lock, flags);
			slack = schedule_timeout(slack);
			if (!slack)
				timed_out = 1;
			spin_lock_irqsave(&ep->lock, flags);
		}
		list_del_init(&wait.task_list);
		__set_current_state(TASK_RUNNING);
	}
check_events:
	eavail = ep_events_available(ep);
	spin_unlock_irqrestore(&ep->lock, flags);

	/* Events may all have gone by the time they are polled (level items whose data
	 * was read): then, if time is left, sleep again. */
	if (!res && eavail && !(res = ep_send_events(ep, events, maxevents)) && !timed_out &&
	    ++rounds < 1000000)
		goto fetch_events;
	return res;
}

/* ------------------------------------------------------------------------------------------
 * Items. */

static int reverse_path_check(void);

/* Context: ep->mtx held. */
static int ep_insert(struct eventpoll *ep, struct epoll_event *event, struct file *tfile,
		     int fd)
{
	int error, pwake = 0;
	unsigned int revents;
	unsigned long flags;
	struct epitem *epi;
	struct ep_pqueue epq;

	epi = kmem_cache_alloc(epi_cache, GFP_KERNEL);
	if (!epi)
		return -ENOMEM;
	INIT_LIST_HEAD(&epi->rdllink);
	INIT_LIST_HEAD(&epi->fllink);
	INIT_LIST_HEAD(&epi->pwqlist);
	RB_CLEAR_NODE(&epi->rbn);
	epi->ep = ep;
	epi->ffd.file = tfile;
	epi->ffd.fd = fd;
	epi->event = *event;
	epi->nwait = 0;
	epi->next = EP_UNACTIVE_PTR;

	/* Hook into the file's wait queue(s) and learn its current events in one call. */
	epq.epi = epi;
	init_poll_funcptr(&epq.pt, ep_ptable_queue_proc);
	revents = ep_item_poll(epi, &epq.pt);

	error = -ENOMEM;
	if (epi->nwait < 0)
		goto error_unregister;

	spin_lock(&tfile->f_lock);
	list_add_tail(&epi->fllink, &tfile->f_ep_links);
	spin_unlock(&tfile->f_lock);

	ep_rbtree_insert(ep, epi);

	/* now check if we've created too many backpaths */
	error = -EINVAL;
	if (reverse_path_check())
		goto error_remove_epi;

	spin_lock_irqsave(&ep->lock, flags);
	/* Already ready: on the ready list now, and wake a waiter. */
	if ((revents & event->events) && !ep_is_linked(&epi->rdllink)) {
		list_add_tail(&epi->rdllink, &ep->rdllist);
		if (waitqueue_active(&ep->wq))
			__wake_up_locked(&ep->wq, TASK_NORMAL, 1);
		if (waitqueue_active(&ep->poll_wait))
			pwake++;
	}
	spin_unlock_irqrestore(&ep->lock, flags);
	if (pwake)
		ep_poll_safewake(&ep->poll_wait);
	return 0;

error_remove_epi:
	spin_lock(&tfile->f_lock);
	if (ep_is_linked(&epi->fllink))
		list_del_init(&epi->fllink);
	spin_unlock(&tfile->f_lock);
	rb_erase(&epi->rbn, &ep->rbr);

error_unregister:
	ep_unregister_pollwait(ep, epi);
	/* A callback may have linked it meanwhile. */
	spin_lock_irqsave(&ep->lock, flags);
	if (ep_is_linked(&epi->rdllink))
		list_del_init(&epi->rdllink);
	spin_unlock_irqrestore(&ep->lock, flags);
	kmem_cache_free(epi_cache, epi);
	return error;
}

/* Context: ep->mtx held. */
static int ep_modify(struct eventpoll *ep, struct epitem *epi, struct epoll_event *event)
{
	int pwake = 0;
	unsigned int revents;
	unsigned long flags;
	poll_table pt;

	init_poll_funcptr(&pt, NULL);
	/* Set the new events first: a callback from now on sees them (and re-arms a
	 * EPOLLONESHOT item). */
	spin_lock_irqsave(&ep->lock, flags);
	epi->event.events = event->events;
	epi->event.data = event->data;
	spin_unlock_irqrestore(&ep->lock, flags);

	revents = ep_item_poll(epi, &pt);

	/* Ready under the new mask: report it (even with EPOLLET: MOD re-arms). */
	if (revents & event->events) {
		spin_lock_irqsave(&ep->lock, flags);
		if (!ep_is_linked(&epi->rdllink)) {
			list_add_tail(&epi->rdllink, &ep->rdllist);
			if (waitqueue_active(&ep->wq))
				__wake_up_locked(&ep->wq, TASK_NORMAL, 1);
			if (waitqueue_active(&ep->poll_wait))
				pwake++;
		}
		spin_unlock_irqrestore(&ep->lock, flags);
	}
	if (pwake)
		ep_poll_safewake(&ep->poll_wait);
	return 0;
}

/* Context: ep->mtx held. */
static int ep_remove(struct eventpoll *ep, struct epitem *epi)
{
	unsigned long flags;
	struct file *file = epi->ffd.file;

	ep_unregister_pollwait(ep, epi);

	spin_lock(&file->f_lock);
	if (ep_is_linked(&epi->fllink))
		list_del_init(&epi->fllink);
	spin_unlock(&file->f_lock);

	rb_erase(&epi->rbn, &ep->rbr);

	spin_lock_irqsave(&ep->lock, flags);
	if (ep_is_linked(&epi->rdllink))
		list_del_init(&epi->rdllink);
	spin_unlock_irqrestore(&ep->lock, flags);

	kmem_cache_free(epi_cache, epi);
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * The epoll file. */

static int ep_alloc(struct eventpoll **pep)
{
	struct eventpoll *ep = kzalloc(sizeof(*ep), GFP_KERNEL);

	if (unlikely(!ep))
		return -ENOMEM;
	spin_lock_init(&ep->lock);
	mutex_init(&ep->mtx);
	init_waitqueue_head(&ep->wq);
	init_waitqueue_head(&ep->poll_wait);
	INIT_LIST_HEAD(&ep->rdllist);
	ep->rbr = RB_ROOT;
	ep->ovflist = EP_UNACTIVE_PTR;
	INIT_LIST_HEAD(&ep->visited_list_link);
	*pep = ep;
	return 0;
}

static void ep_free(struct eventpoll *ep)
{
	struct rb_node *rbp;
	struct epitem *epi;
	unsigned int guard = 0;

	/* Wake pollers of this epoll (an outer epoll) before it goes. */
	if (waitqueue_active(&ep->poll_wait))
		ep_poll_safewake(&ep->poll_wait);

	/* epmutex keeps eventpoll_release_file away from our items meanwhile. Unhook every
	 * item first (no callback can run on them afterwards), then free. */
	mutex_lock(&epmutex);
	for (rbp = rb_first(&ep->rbr); rbp; rbp = rb_next(rbp)) {
		epi = rb_entry(rbp, struct epitem, rbn);
		ep_unregister_pollwait(ep, epi);
	}
	while ((rbp = rb_first(&ep->rbr)) != NULL && ++guard < 100000000) {
		epi = rb_entry(rbp, struct epitem, rbn);
		ep_remove(ep, epi);
	}
	mutex_unlock(&epmutex);
	pthread_mutex_destroy(&ep->mtx.m);
	kfree(ep);
}

static int ep_eventpoll_release(struct inode *inode, struct file *file)
{
	struct eventpoll *ep = file->private_data;

	if (ep)
		ep_free(ep);
	return 0;
}

/* Is any ready item really ready? (The epoll file's readiness for an outer poller.) */
static int ep_read_events_proc(struct eventpoll *ep, struct list_head *head, void *priv)
{
	struct epitem *epi, *tmp;
	poll_table pt;

	init_poll_funcptr(&pt, NULL);
	list_for_each_entry_safe(epi, tmp, head, rdllink) {
		ep_stat_inc(&ep_stats.items_visited);
		if (ep_item_poll(epi, &pt))
			return POLLIN | POLLRDNORM;
		/* Not ready any more: drop it, a callback brings it back. */
		list_del_init(&epi->rdllink);
	}
	return 0;
}

/* f_op->poll of an epoll file: readable when one of its items is. Nesting is bounded by
 * ep_loop_check (at most EP_MAX_NESTS levels). */
static unsigned int ep_eventpoll_poll(struct file *file, poll_table *wait)
{
	struct eventpoll *ep = file->private_data;

	poll_wait(file, &ep->poll_wait, wait);
	/* ep->mtx of an inner instance while an outer one holds its own: always outer ->
	 * inner, as the loop check guarantees an order. */
	return (unsigned int)ep_scan_ready_list(ep, ep_read_events_proc, NULL, true);
}

const struct file_operations eventpoll_fops = {
	.release = ep_eventpoll_release,
	.poll = ep_eventpoll_poll,
};

/* Unhook every item watching @file (its last reference went). Context: process. */
void eventpoll_release_file(struct file *file)
{
	struct eventpoll *ep;
	struct epitem *epi;
	unsigned int guard = 0;

	mutex_lock(&epmutex);
	while (!list_empty(&file->f_ep_links) && ++guard < 100000000) {
		epi = list_first_entry(&file->f_ep_links, struct epitem, fllink);
		ep = epi->ep;
		mutex_lock(&ep->mtx);
		ep_remove(ep, epi);
		mutex_unlock(&ep->mtx);
	}
	mutex_unlock(&epmutex);
}

/* ------------------------------------------------------------------------------------------
 * Topology checks at EPOLL_CTL_ADD (3.10 ep_call_nested, ep_loop_check, reverse_path_check),
 * all under epmutex.
 *
 * ep_call_nested keeps the stack of "cookies" being visited: entering one already on it
 * (a loop), or entering with EP_MAX_NESTS + 1 entries already there (too deep), fails.
 *
 * ep_loop_check: adding the epoll file @file to @ep must not close a cycle, nor nest
 * deeper than EP_MAX_NESTS below @ep (ELOOP). On the way it collects the non-epoll files
 * that @file watches, directly or through inner epolls (tfile_check_list).
 *
 * reverse_path_check: from each file of tfile_check_list (the file added, or those found
 * below an epoll added), count the wakeup paths that go up through the epolls watching it
 * to an epoll nobody watches: at most path_limits[n] paths of length n + 1 (1000 of length
 * 1, 500 of 2, 100, 50, 10 of 5), and none longer; else the ADD fails with EINVAL. This
 * bounds the work of one wakeup (a wakeup storm). 3.10 counts the paths of length 1 too;
 * 3.13 (93dc6107, "don't limit non-nested epoll paths") stopped doing so. */

#define PATH_ARR_SIZE 5
static const int path_limits[PATH_ARR_SIZE] = { 1000, 500, 100, 50, 10 };
static int path_count[PATH_ARR_SIZE];

struct ep_nested_calls {
	void *cookies[EP_MAX_NESTS + 1];
	int n;
};

static int ep_call_nested(struct ep_nested_calls *nc,
			  int (*nproc)(struct ep_nested_calls *, void *, int), void *priv,
			  void *cookie)
{
	int i, error, call_nests = 0;

	for (i = 0; i < nc->n; i++) {
		/* Ops ... loop detected or maximum nest level reached. */
		if (nc->cookies[i] == cookie || ++call_nests > EP_MAX_NESTS)
			return -1;
	}
	nc->cookies[nc->n++] = cookie;
	error = (*nproc)(nc, priv, call_nests);
	nc->n--;
	return error;
}

/* DIVERGES: 3.10 links the files on tfile_check_list through file->f_tfile_llink; ulnet
 * keeps an array (struct file has no such link), made unique when it is walked. */
#define TFILE_CHECK_INLINE 16
static struct file *tfile_check_inline[TFILE_CHECK_INLINE];	/* the usual case: no kmalloc */
static struct file **tfile_check_list = tfile_check_inline;
static unsigned int tfile_check_n, tfile_check_max = TFILE_CHECK_INLINE;
static LIST_HEAD(visited_list);

static int tfile_check_add(struct file *file)
{
	if (tfile_check_n == tfile_check_max) {
		unsigned int nmax = tfile_check_max * 2;
		struct file **n = kmalloc(nmax * sizeof(*n), GFP_KERNEL);

		if (!n)
			return -ENOMEM;
		memcpy(n, tfile_check_list, tfile_check_n * sizeof(*n));
		if (tfile_check_list != tfile_check_inline)
			kfree(tfile_check_list);
		tfile_check_list = n;
		tfile_check_max = nmax;
	}
	tfile_check_list[tfile_check_n++] = file;
	return 0;
}

static void clear_tfile_check_list(void)
{
	if (tfile_check_list != tfile_check_inline)
		kfree(tfile_check_list);
	tfile_check_list = tfile_check_inline;
	tfile_check_n = 0;
	tfile_check_max = TFILE_CHECK_INLINE;
}

static int ep_loop_check_proc(struct ep_nested_calls *nc, void *priv, int call_nests)
{
	int error = 0;
	struct file *file = priv;
	struct eventpoll *ep = file->private_data;
	struct eventpoll *ep_tovisit;
	struct rb_node *rbp;
	struct epitem *epi;

	mutex_lock(&ep->mtx);
	ep->visited = 1;
	list_add(&ep->visited_list_link, &visited_list);
	for (rbp = rb_first(&ep->rbr); rbp; rbp = rb_next(rbp)) {
		epi = rb_entry(rbp, struct epitem, rbn);
		if (unlikely(is_file_epoll(epi->ffd.file))) {
			ep_tovisit = epi->ffd.file->private_data;
			if (ep_tovisit->visited)
				continue;
			error = ep_call_nested(nc, ep_loop_check_proc, epi->ffd.file, ep_tovisit);
			if (error != 0)
				break;
		} else {
			/* A file that is not an epoll: the new links may add wakeup paths to
			 * it; reverse_path_check counts them during ep_insert. */
			if (tfile_check_add(epi->ffd.file)) {
				error = -1;
				break;
			}
		}
	}
	mutex_unlock(&ep->mtx);
	return error;
}

static int ep_loop_check(struct eventpoll *ep, struct file *file)
{
	struct ep_nested_calls nc = { .n = 0 };
	struct eventpoll *ep_cur, *ep_next;
	int ret;

	ret = ep_call_nested(&nc, ep_loop_check_proc, file, ep);
	/* clear visited list */
	list_for_each_entry_safe(ep_cur, ep_next, &visited_list, visited_list_link) {
		ep_cur->visited = 0;
		list_del(&ep_cur->visited_list_link);
	}
	return ret;
}

static int path_count_inc(int nests)
{
	if (++path_count[nests] > path_limits[nests])
		return -1;
	return 0;
}

static void path_count_init(void)
{
	int i;

	for (i = 0; i < PATH_ARR_SIZE; i++)
		path_count[i] = 0;
}

/* Count the paths from @priv (a file) up through every epoll that watches it. Context:
 * epmutex held (it guards every file's f_ep_links). */
static int reverse_path_check_proc(struct ep_nested_calls *nc, void *priv, int call_nests)
{
	int error = 0;
	struct file *file = priv;
	struct file *child_file;
	struct epitem *epi;

	list_for_each_entry(epi, &file->f_ep_links, fllink) {
		child_file = epi->ep->file;
		if (list_empty(&child_file->f_ep_links)) {
			if (path_count_inc(call_nests))
				error = -1;
		} else {
			error = ep_call_nested(nc, reverse_path_check_proc, child_file,
					       child_file);
		}
		if (error != 0)
			break;
	}
	return error;
}

static int file_ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(struct file *const *)a, y = (uintptr_t)*(struct file *const *)b;

	return x < y ? -1 : x > y;
}

/* 0 when no file of tfile_check_list has too many wakeup paths, else -1. */
static int reverse_path_check(void)
{
	int error = 0;
	unsigned int i;

	if (tfile_check_n > 1)
		qsort(tfile_check_list, tfile_check_n, sizeof(*tfile_check_list), file_ptr_cmp);
	/* let's call this for all tfiles */
	for (i = 0; i < tfile_check_n; i++) {
		struct ep_nested_calls nc = { .n = 0 };
		struct file *current_file = tfile_check_list[i];

		if (i && current_file == tfile_check_list[i - 1])
			continue;
		path_count_init();
		error = ep_call_nested(&nc, reverse_path_check_proc, current_file, current_file);
		if (error)
			break;
	}
	return error;
}

/* ------------------------------------------------------------------------------------------
 * The system calls. */

static long do_epoll_create1(int flags)
{
	int error, fd;
	struct eventpoll *ep = NULL;
	struct file *file;
	struct qstr name = { .name = "[eventpoll]", .len = 11 };
	struct path path;

	/* Check the EPOLL_* constant for consistency. */
	BUILD_BUG_ON(EPOLL_CLOEXEC != O_CLOEXEC);
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	error = ep_alloc(&ep);
	if (error < 0)
		return error;
	fd = get_unused_fd_flags(O_RDWR | ((unsigned int)flags & O_CLOEXEC));
	if (fd < 0) {
		error = fd;
		goto out_free_ep;
	}
	/* anon_inode_getfile: a pseudo dentry "anon_inode:[eventpoll]" per file (3.10), with
	 * no inode of its own (DIVERGES: the shared anon inode is not modelled). */
	path.dentry = d_alloc_pseudo(&name);
	if (!path.dentry) {
		error = -ENOMEM;
		goto out_free_fd;
	}
	file = alloc_file(&path, FMODE_READ | FMODE_WRITE, &eventpoll_fops);
	if (IS_ERR(file)) {
		error = (int)PTR_ERR(file);
		dput(path.dentry);
		goto out_free_fd;
	}
	file->f_flags = O_RDWR | ((unsigned int)flags & O_CLOEXEC);
	file->private_data = ep;
	ep->file = file;
	fd_install((unsigned int)fd, file);
	return fd;

out_free_fd:
	put_unused_fd((unsigned int)fd);
out_free_ep:
	ep_free(ep);
	return error;
}

static long do_epoll_ctl(int epfd, int op, int fd, const struct epoll_event *event)
{
	int error;
	struct file *file, *tfile;
	struct eventpoll *ep;
	struct epitem *epi;
	struct epoll_event epds;
	bool did_lock_epmutex = false;

	/* copy_from_user of the event first, as 3.10. */
	if (ep_op_has_event(op)) {
		if (!event)
			return -EFAULT;
		epds = *event;
	} else {
		memset(&epds, 0, sizeof(epds));
	}
	if (epfd < 0 || fd < 0)
		return -EBADF;
	file = fget((unsigned int)epfd);
	if (!file)
		return -EBADF;
	error = -EBADF;
	tfile = fget((unsigned int)fd);
	if (!tfile)
		goto error_fput;

	/* The target file must support poll. */
	error = -EPERM;
	if (!tfile->f_op->poll)
		goto error_tgt_fput;

	/* epfd must be an epoll, and not be added to itself. */
	error = -EINVAL;
	if (file == tfile || !is_file_epoll(file))
		goto error_tgt_fput;

	ep = file->private_data;

	/* When we insert an epoll file descriptor inside another one, there is the chance
	 * of creating closed loops, which are better handled here than in more critical
	 * paths. While checking for loops we also collect the files reachable below, so
	 * that ep_insert can check we have not created too many wakeup paths. epmutex is
	 * held across ep_insert and ep_remove so that they see a coherent epoll network. */
	if (op == EPOLL_CTL_ADD || op == EPOLL_CTL_DEL) {
		mutex_lock(&epmutex);
		did_lock_epmutex = true;
	}
	if (op == EPOLL_CTL_ADD) {
		if (is_file_epoll(tfile)) {
			error = -ELOOP;
			if (ep_loop_check(ep, tfile) != 0) {
				clear_tfile_check_list();
				goto error_tgt_fput;
			}
		} else if (tfile_check_add(tfile)) {
			error = -ENOMEM;
			clear_tfile_check_list();
			goto error_tgt_fput;
		}
	}

	mutex_lock(&ep->mtx);
	epi = ep_find(ep, tfile, fd);

	error = -EINVAL;
	switch (op) {
	case EPOLL_CTL_ADD:
		if (!epi) {
			epds.events |= POLLERR | POLLHUP;
			error = ep_insert(ep, &epds, tfile, fd);
		} else {
			error = -EEXIST;
		}
		clear_tfile_check_list();
		break;
	case EPOLL_CTL_DEL:
		if (epi)
			error = ep_remove(ep, epi);
		else
			error = -ENOENT;
		break;
	case EPOLL_CTL_MOD:
		if (epi) {
			epds.events |= POLLERR | POLLHUP;
			error = ep_modify(ep, epi, &epds);
		} else {
			error = -ENOENT;
		}
		break;
	}
	mutex_unlock(&ep->mtx);

error_tgt_fput:
	if (did_lock_epmutex)
		mutex_unlock(&epmutex);
	fput(tfile);
error_fput:
	fput(file);
	return error;
}

static long do_epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)
{
	int error;
	struct file *file;
	struct eventpoll *ep;

	/* The maximum number of events must be greater than zero. */
	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	/* access_ok: the events area must be there. */
	if (!events)
		return -EFAULT;
	if (epfd < 0)
		return -EBADF;
	file = fget((unsigned int)epfd);
	if (!file)
		return -EBADF;
	error = -EINVAL;
	if (!is_file_epoll(file))
		goto error_fput;
	ep = file->private_data;
	error = ep_poll(ep, events, maxevents, timeout);
error_fput:
	fput(file);
	return error;
}

UL_API int ul_epoll_create1(int flags)
{
	return (int)UL_SYSCALL(do_epoll_create1(flags));
}

UL_API int ul_epoll_create(int size)
{
	/* The size is a hint only since 2.6.8, but must be positive. */
	if (size <= 0)
		return (int)ul_syscall_ret(-EINVAL);
	return (int)UL_SYSCALL(do_epoll_create1(0));
}

UL_API int ul_epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
{
	return (int)UL_SYSCALL(do_epoll_ctl(epfd, op, fd, event));
}

UL_API int ul_epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)
{
	return (int)UL_SYSCALL(do_epoll_wait(epfd, events, maxevents, timeout));
}

/* ------------------------------------------------------------------------------------------
 * Boot. */

int eventpoll_init(void)
{
	/* 3.10: "eventpoll_epi" SLAB_HWCACHE_ALIGN | SLAB_PANIC, "eventpoll_pwq" SLAB_PANIC
	 * (facts.md §5.2); the objects are ulnet's own sizes. */
	epi_cache = kmem_cache_create("eventpoll_epi", sizeof(struct epitem), 0,
				      SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL);
	pwq_cache = kmem_cache_create("eventpoll_pwq", sizeof(struct eppoll_entry), 0,
				      SLAB_PANIC, NULL);
	if (!epi_cache || !pwq_cache) {
		eventpoll_fini();
		return -ENOMEM;
	}
	memset(&ep_stats, 0, sizeof(ep_stats));
	return 0;
}

void eventpoll_fini(void)
{
	kmem_cache_destroy(pwq_cache);
	kmem_cache_destroy(epi_cache);
	pwq_cache = NULL;
	epi_cache = NULL;
}
