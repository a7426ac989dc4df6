/* SPDX-License-Identifier: MIT */
/* AF_UNIX garbage collector: frees sockets that are only kept alive by their own files in
 * flight (a socket sent over itself, or two sockets queued in each other, then closed).
 * Mirrors linux/net/unix/garbage.c (3.10): unix_get_socket, unix_inflight,
 * unix_notinflight, scan_inflight, scan_children, dec_inflight, inc_inflight,
 * inc_inflight_move_tail, wait_for_unix_gc, unix_gc.
 *
 * A file passed with SCM_RIGHTS holds a reference while its skb is queued. When the skb
 * sits in the receive queue of a socket that is itself only referenced from skbs in
 * flight, nobody can ever receive it: a cycle. unix_gc finds them as 3.10 does:
 *  1. candidates: in-flight sockets whose every file reference is an in-flight one
 *     (file_count == inflight);
 *  2. every candidate subtracts, from the in-flight count of each candidate it carries in
 *     its queue, that reference (dec_inflight);
 *  3. a candidate left with a positive count is reachable from outside: it and everything
 *     it carries are restored (inc_inflight_move_tail), recursively;
 *  4. what is left is garbage: the skbs of its queues that carry candidates are taken out
 *     and freed, which puts the files, which releases the sockets.
 * The collector runs when an AF_UNIX socket is released while something is in flight
 * (unix_release_sock), and before a send when more than 16000 sockets are in flight.
 *
 * LOCKING: unix_gc_lock guards gc_inflight_list, every u->link and u->inflight change,
 * and gc_in_progress; a receive queue's lock is taken inside it while a queue is scanned.
 * Candidates cannot gain a reference during a run: only a receive could give one out, and
 * nobody can receive from a socket that has no fd. */
#include "linux/errno.h"
#include "linux/fs.h"
#include "linux/kernel.h"
#include "linux/list.h"
#include "linux/net.h"
#include "linux/sched.h"
#include "linux/skbuff.h"
#include "linux/spinlock.h"
#include "linux/wait.h"
#include "net/af_unix.h"
#include "net/scm.h"
#include "net/sock.h"
#include "net/tcp_states.h"

/* Internal data structures and random procedures: */
static LIST_HEAD(gc_inflight_list);
static LIST_HEAD(gc_candidates);
static DEFINE_SPINLOCK(unix_gc_lock);
static DECLARE_WAIT_QUEUE_HEAD(unix_gc_wait);

unsigned int unix_tot_inflight;
static bool gc_in_progress;

#define UNIX_INFLIGHT_TRIGGER_GC 16000

struct sock *unix_get_socket(struct file *filp)
{
	struct socket *sock;
	int err;

	if (!filp)
		return NULL;
	sock = sock_from_file(filp, &err);
	if (sock && sock->sk && sock->ops && sock->ops->family == PF_UNIX)
		return sock->sk;
	return NULL;
}

/* Keep the number of times in flight count for the file descriptor if it is for a
 * socket. */
void unix_inflight(struct file *fp)
{
	struct sock *s = unix_get_socket(fp);
	struct unix_sock *u;

	if (!s)
		return;
	u = unix_sk(s);
	spin_lock(&unix_gc_lock);
	if (__atomic_add_fetch(&u->inflight.counter, 1, __ATOMIC_SEQ_CST) == 1) {
		WARN_ON(!list_empty(&u->link));
		list_add_tail(&u->link, &gc_inflight_list);
	} else {
		WARN_ON(list_empty(&u->link));
	}
	unix_tot_inflight++;
	spin_unlock(&unix_gc_lock);
}

void unix_notinflight(struct file *fp)
{
	struct sock *s = unix_get_socket(fp);
	struct unix_sock *u;

	if (!s)
		return;
	u = unix_sk(s);
	spin_lock(&unix_gc_lock);
	WARN_ON(list_empty(&u->link));
	if (__atomic_sub_fetch(&u->inflight.counter, 1, __ATOMIC_SEQ_CST) == 0)
		list_del_init(&u->link);
	unix_tot_inflight--;
	spin_unlock(&unix_gc_lock);
}

/* Call @func on each candidate carried by @x's queue; move the skbs that carry one to
 * @hitlist when given. Context: unix_gc_lock held. */
static void scan_inflight(struct sock *x, void (*func)(struct unix_sock *),
			  struct sk_buff_head *hitlist)
{
	struct sk_buff *skb, *next;

	spin_lock(&x->sk_receive_queue.lock);
	skb_queue_walk_safe(&x->sk_receive_queue, skb, next) {
		struct scm_fp_list *fpl = UNIXCB(skb).fp;
		bool hit = false;
		int nfd;

		if (!fpl)
			continue;
		for (nfd = 0; nfd < fpl->count; nfd++) {
			struct sock *sk = unix_get_socket(fpl->fp[nfd]);
			struct unix_sock *u;

			if (!sk)
				continue;
			u = unix_sk(sk);
			/* Ignore non-candidates: they may have been queued after the run
			 * began. */
			if (test_bit(UNIX_GC_CANDIDATE, &u->gc_flags)) {
				hit = true;
				func(u);
			}
		}
		if (hit && hitlist) {
			__skb_unlink(skb, &x->sk_receive_queue);
			__skb_queue_tail(hitlist, skb);
		}
	}
	spin_unlock(&x->sk_receive_queue.lock);
}

/* A listener's queue holds embryos (connections not accepted), whose own queues may
 * carry files: scan those. */
static void scan_children(struct sock *x, void (*func)(struct unix_sock *),
			  struct sk_buff_head *hitlist)
{
	struct sk_buff *skb, *next;
	struct unix_sock *u;
	LIST_HEAD(embryos);
	unsigned int guard = 0;

	if (x->sk_state != TCP_LISTEN) {
		scan_inflight(x, func, hitlist);
		return;
	}
	spin_lock(&x->sk_receive_queue.lock);
	skb_queue_walk_safe(&x->sk_receive_queue, skb, next) {
		u = unix_sk(skb->sk);
		/* An embryo cannot be in flight, so its link is free to use. */
		WARN_ON(!list_empty(&u->link));
		list_add_tail(&u->link, &embryos);
	}
	spin_unlock(&x->sk_receive_queue.lock);

	while (!list_empty(&embryos) && ++guard < 100000000) {
		u = list_first_entry(&embryos, struct unix_sock, link);
		scan_inflight(&u->sk, func, hitlist);
		list_del_init(&u->link);
	}
}

static void dec_inflight(struct unix_sock *usk)
{
	atomic_long_dec(&usk->inflight);
}

static void inc_inflight(struct unix_sock *usk)
{
	atomic_long_inc(&usk->inflight);
}

static void inc_inflight_move_tail(struct unix_sock *u)
{
	atomic_long_inc(&u->inflight);
	/* If this still might be part of a cycle, move it to the end of the list, so that
	 * it is checked even if it was already passed over. */
	if (test_bit(UNIX_GC_MAYBE_CYCLE, &u->gc_flags))
		list_move_tail(&u->link, &gc_candidates);
}

void wait_for_unix_gc(void)
{
	unsigned int guard = 0;

	/* If the number of in-flight sockets is insane, collect right now. */
	if (unix_tot_inflight > UNIX_INFLIGHT_TRIGGER_GC && !gc_in_progress)
		unix_gc();
	/* DIVERGES: 3.10 wait_event()s here; a GC runs to its end inside one call in ulnet
	 * (no preemption on sim), so another task only waits on the posix runtime. */
	while (__atomic_load_n(&gc_in_progress, __ATOMIC_ACQUIRE) && ++guard < 1000000)
		wait_event_interruptible_timeout(unix_gc_wait,
						 !__atomic_load_n(&gc_in_progress, __ATOMIC_ACQUIRE),
						 1);
}

/* The external entry point. */
void unix_gc(void)
{
	struct unix_sock *u, *next;
	struct sk_buff_head hitlist;
	struct list_head cursor;
	LIST_HEAD(not_cycle_list);
	unsigned int guard = 0;

	spin_lock(&unix_gc_lock);
	/* Avoid a recursive GC (freeing the hit list releases sockets, which call us). */
	if (gc_in_progress)
		goto out;
	gc_in_progress = true;

	/* First, select candidates: in-flight sockets with no reference but the in-flight
	 * ones. unix_gc_lock keeps them from being received meanwhile. */
	list_for_each_entry_safe(u, next, &gc_inflight_list, link) {
		long total_refs, inflight_refs;

		if (!u->sk.sk_socket || !u->sk.sk_socket->file)
			continue;
		total_refs = file_count(u->sk.sk_socket->file);
		inflight_refs = atomic_long_read(&u->inflight);
		WARN_ON(inflight_refs < 1);
		WARN_ON(total_refs < inflight_refs);
		if (total_refs == inflight_refs) {
			list_move_tail(&u->link, &gc_candidates);
			__set_bit(UNIX_GC_CANDIDATE, &u->gc_flags);
			__set_bit(UNIX_GC_MAYBE_CYCLE, &u->gc_flags);
		}
	}

	/* Now remove every in-flight reference that candidates hold to candidates. */
	list_for_each_entry(u, &gc_candidates, link)
		scan_children(&u->sk, dec_inflight, NULL);

	/* Restore the references of the children of every candidate that still has some
	 * (it is reachable from outside), recursively, so that only cycles stay. A cursor
	 * keeps the walk safe while entries move. */
	list_add(&cursor, &gc_candidates);
	while (cursor.next != &gc_candidates && ++guard < 100000000) {
		u = list_entry(cursor.next, struct unix_sock, link);
		/* Move cursor to after the current position. */
		list_move(&cursor, &u->link);
		if (atomic_long_read(&u->inflight) > 0) {
			list_move_tail(&u->link, &not_cycle_list);
			__clear_bit(UNIX_GC_MAYBE_CYCLE, &u->gc_flags);
			scan_children(&u->sk, inc_inflight_move_tail, NULL);
		}
	}
	list_del(&cursor);

	/* not_cycle_list holds the sockets outside any cycle: back to the in-flight list. */
	while (!list_empty(&not_cycle_list)) {
		u = list_first_entry(&not_cycle_list, struct unix_sock, link);
		__clear_bit(UNIX_GC_CANDIDATE, &u->gc_flags);
		list_move_tail(&u->link, &gc_inflight_list);
	}

	/* gc_candidates holds only garbage now. Restore their counts too, and take out
	 * the skbs that make the cycles. */
	skb_queue_head_init(&hitlist);
	list_for_each_entry(u, &gc_candidates, link)
		scan_children(&u->sk, inc_inflight, &hitlist);
	spin_unlock(&unix_gc_lock);

	/* Here we are. Hitlist is filled. Die. Freeing an skb puts its files
	 * (unix_destruct_scm): the candidates leave the in-flight list and are released. */
	skb_queue_purge(&hitlist);

	spin_lock(&unix_gc_lock);
	/* All candidates should have been detached by now. */
	WARN_ON(!list_empty(&gc_candidates));
	__atomic_store_n(&gc_in_progress, false, __ATOMIC_RELEASE);
	wake_up(&unix_gc_wait);
out:
	spin_unlock(&unix_gc_lock);
}
