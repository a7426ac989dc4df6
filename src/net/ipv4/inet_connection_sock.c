/* SPDX-License-Identifier: MIT */
/* Connection sockets: port binding with conflicts, listen and its two queues, accept, the
 * SYN table and its timer, child creation and the xmit timers.
 * Mirrors linux/net/ipv4/inet_connection_sock.c and net/core/request_sock.c (3.10):
 * inet_csk_bind_conflict, inet_csk_get_port, inet_csk_wait_for_connect, inet_csk_accept,
 * inet_csk_init_xmit_timers, inet_csk_clear_xmit_timers, inet_csk_route_req,
 * inet_csk_route_child_sock, inet_synq_hash, inet_csk_search_req,
 * inet_csk_reqsk_queue_hash_add, inet_csk_reqsk_queue_prune, inet_csk_clone_lock,
 * inet_csk_destroy_sock, inet_csk_listen_start, inet_csk_listen_stop,
 * inet_csk_addr2sockaddr, reqsk_queue_alloc, reqsk_queue_destroy; and the one connection
 * timer's events (inet_csk_timer_event_arm/_stop/_take, inet_csk_timer_rearm: ulnet's).
 *
 * LOCKING: the listener's socket lock (lock_sock in process context, bh_lock_sock in
 * softirq) protects both queues; syn_wait_lock orders SYN-table changes against readers. */
#include "linux/errno.h"
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/random.h"
#include "linux/sched.h"
#include "linux/slab.h"
#include "net/inet_connection_sock.h"
#include "net/inet_hashtables.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/tcp.h"

atomic_long_t tcp_orphan_count;
#define SK_FORCE_REUSE	2	/* sk_reuse: a repaired socket takes the port regardless */
int sysctl_max_syn_backlog = 256;

/* ---- request socks (net/core/request_sock.c) ---- */

struct request_sock *reqsk_alloc(const struct request_sock_ops *ops)
{
	struct request_sock *req = kmem_cache_zalloc(ops->slab, GFP_ATOMIC);

	if (req)
		req->rsk_ops = ops;
	return req;
}

void __reqsk_free(struct request_sock *req)
{
	kmem_cache_free(req->rsk_ops->slab, req);
}

void reqsk_free(struct request_sock *req)
{
	if (req->rsk_ops->destructor)
		req->rsk_ops->destructor(req);
	__reqsk_free(req);
}

/* facts.md §3.1. */
int reqsk_queue_alloc(struct request_sock_queue *queue, unsigned int nr_table_entries)
{
	size_t lopt_size = sizeof(struct listen_sock);
	struct listen_sock *lopt;

	nr_table_entries = min_t(u32, nr_table_entries, (u32)sysctl_max_syn_backlog);
	nr_table_entries = max_t(u32, nr_table_entries, 8);
	nr_table_entries = roundup_pow_of_two(nr_table_entries + 1);
	lopt_size += nr_table_entries * sizeof(struct request_sock *);
	/* DIVERGES: 3.10 uses vzalloc above PAGE_SIZE; ulnet has one allocator. */
	lopt = kzalloc(lopt_size, GFP_KERNEL);
	if (lopt == NULL)
		return -ENOMEM;
	for (lopt->max_qlen_log = 3; (1U << lopt->max_qlen_log) < nr_table_entries;
	     lopt->max_qlen_log++)
		;
	get_random_bytes(&lopt->hash_rnd, sizeof(lopt->hash_rnd));
	rwlock_init(&lopt->syn_wait_lock);
	lopt->nr_table_entries = nr_table_entries;
	/* 3.10 publishes it under syn_wait_lock; no reader can see this sock yet (it is
	 * hashed as a listener only after this, by inet_csk_listen_start). */
	queue->listen_opt = lopt;
	return 0;
}

void reqsk_queue_destroy(struct request_sock_queue *queue)
{
	struct listen_sock *lopt = queue->listen_opt;
	unsigned int i;

	/* (3.10 unpublishes it under syn_wait_lock; readers found this sock in the
	 * listening hash, which it has left: see listen_sock.syn_wait_lock.) */
	queue->listen_opt = NULL;
	if (!lopt)
		return;
	if (lopt->qlen != 0) {
		for (i = 0; i < lopt->nr_table_entries; i++) {
			struct request_sock *req;

			while ((req = lopt->syn_table[i]) != NULL) {
				lopt->syn_table[i] = req->dl_next;
				lopt->qlen--;
				reqsk_free(req);
			}
		}
	}
	WARN_ON(lopt->qlen != 0);
	kfree(lopt);
}

/* ---- ports ---- */

int inet_csk_bind_conflict(const struct sock *sk, const struct inet_bind_bucket *tb,
			   bool relax)
{
	struct sock *sk2;
	int reuse = sk->sk_reuse;
	int reuseport = sk->sk_reuseport;
	uid_t uid = sock_i_uid((struct sock *)sk);	/* SO_REUSEPORT needs the same owner */

	/* Unlike other sk lookup places we do not check for sk_net here, since _all_ the
	 * socks listed in tb->owners list belong to the same net - the one this bucket
	 * belongs to. */
	sk_for_each_bound(sk2, &tb->owners) {
		if (sk != sk2 &&
		    (!sk->sk_bound_dev_if || !sk2->sk_bound_dev_if ||
		     sk->sk_bound_dev_if == sk2->sk_bound_dev_if)) {
			if ((!reuse || !sk2->sk_reuse || sk2->sk_state == TCP_LISTEN) &&
			    (!reuseport || !sk2->sk_reuseport ||
			     (sk2->sk_state != TCP_TIME_WAIT && sock_i_uid(sk2) != uid))) {
				const __be32 sk2_rcv_saddr = sk2->__sk_common.skc_rcv_saddr;

				if (!sk2_rcv_saddr || !inet_sk(sk)->inet_rcv_saddr ||
				    sk2_rcv_saddr == inet_sk(sk)->inet_rcv_saddr)
					break;
			}
			if (!relax && reuse && sk2->sk_reuse && sk2->sk_state != TCP_LISTEN) {
				const __be32 sk2_rcv_saddr = sk2->__sk_common.skc_rcv_saddr;

				if (!sk2_rcv_saddr || !inet_sk(sk)->inet_rcv_saddr ||
				    sk2_rcv_saddr == inet_sk(sk)->inet_rcv_saddr)
					break;
			}
		}
	}
	return sk2 != NULL;
}

/* Obtain a reference to a local port for the given sock, if snum is zero it means select
 * any available local port. */
int inet_csk_get_port(struct sock *sk, unsigned short snum)
{
	struct inet_hashinfo *hashinfo = sk->sk_prot->h.hashinfo;
	struct inet_bind_hashbucket *head;
	struct inet_bind_bucket *tb;
	int ret, attempts = 5;
	struct net *net = sock_net(sk);
	int smallest_size = -1, smallest_rover = 0;

	local_bh_disable();
	if (!snum) {
		int remaining, rover, low, high;

again:
		inet_get_local_port_range(&low, &high);
		remaining = (high - low) + 1;
		smallest_rover = rover = (int)prandom_u32_max((u32)remaining) + low;

		smallest_size = -1;
		do {
			if (inet_is_reserved_local_port(rover))
				goto next_nolock;
			head = &hashinfo->bhash[inet_bhashfn(net, (u16)rover,
							     (int)hashinfo->bhash_size)];
			spin_lock(&head->lock);
			hlist_for_each_entry(tb, &head->chain, node)
				if (net_eq(tb->ib_net, net) && tb->port == rover) {
					if (((tb->fastreuse > 0 && sk->sk_reuse &&
					      sk->sk_state != TCP_LISTEN) ||
					     (tb->fastreuseport > 0 && sk->sk_reuseport &&
					      tb->fastreuseport == 1)) &&
					    (tb->num_owners < smallest_size || smallest_size == -1)) {
						smallest_size = tb->num_owners;
						smallest_rover = rover;
						/* DIVERGES: 3.10 also takes this port at once
						 * when hashinfo->bsockets exceeds the range;
						 * ulnet does not count bsockets. */
					}
					if (!inet_csk_bind_conflict(sk, tb, false)) {
						snum = (unsigned short)rover;
						goto tb_found;
					}
					goto next;
				}
			break;
		next:
			spin_unlock(&head->lock);
		next_nolock:
			if (++rover > high)
				rover = low;
		} while (--remaining > 0);

		/* Exhausted local port range during search? It is not possible for us to be
		 * holding one of the bind hash locks if this test triggers, because if
		 * 'remaining' drops to zero, we broke out of the do/while loop at the top
		 * level, not from the 'break;' statement. */
		ret = 1;
		if (remaining <= 0) {
			if (smallest_size != -1) {
				snum = (unsigned short)smallest_rover;
				goto have_snum;
			}
			goto fail;
		}
		/* OK, here is the one we will use. HEAD is non-NULL and we hold it's mutex. */
		snum = (unsigned short)rover;
	} else {
have_snum:
		head = &hashinfo->bhash[inet_bhashfn(net, snum, (int)hashinfo->bhash_size)];
		spin_lock(&head->lock);
		hlist_for_each_entry(tb, &head->chain, node)
			if (net_eq(tb->ib_net, net) && tb->port == snum)
				goto tb_found;
	}
	tb = NULL;
	goto tb_not_found;
tb_found:
	if (!hlist_empty(&tb->owners)) {
		if (sk->sk_reuse == SK_FORCE_REUSE)
			goto success;
		if (((tb->fastreuse > 0 && sk->sk_reuse && sk->sk_state != TCP_LISTEN) ||
		     (tb->fastreuseport > 0 && sk->sk_reuseport)) &&
		    smallest_size == -1) {
			goto success;
		} else {
			ret = 1;
			if (inet_csk_bind_conflict(sk, tb, true)) {
				if (((sk->sk_reuse && sk->sk_state != TCP_LISTEN) ||
				     (tb->fastreuseport > 0 && sk->sk_reuseport)) &&
				    smallest_size != -1 && --attempts >= 0) {
					spin_unlock(&head->lock);
					goto again;
				}
				goto fail_unlock;
			}
		}
	}
tb_not_found:
	ret = 1;
	if (!tb && (tb = inet_bind_bucket_create(hashinfo->bind_bucket_cachep, net, head,
						 snum)) == NULL)
		goto fail_unlock;
	if (hlist_empty(&tb->owners)) {
		if (sk->sk_reuse && sk->sk_state != TCP_LISTEN)
			tb->fastreuse = 1;
		else
			tb->fastreuse = 0;
		if (sk->sk_reuseport)
			tb->fastreuseport = 1;
		else
			tb->fastreuseport = 0;
	} else {
		if (tb->fastreuse && (!sk->sk_reuse || sk->sk_state == TCP_LISTEN))
			tb->fastreuse = 0;
		if (tb->fastreuseport && !sk->sk_reuseport)
			tb->fastreuseport = 0;
	}
success:
	if (!inet_csk(sk)->icsk_bind_hash)
		inet_bind_hash(sk, tb, snum);
	WARN_ON(inet_csk(sk)->icsk_bind_hash != tb);
	ret = 0;

fail_unlock:
	spin_unlock(&head->lock);
fail:
	local_bh_enable();
	return ret;
}

/* ---- accept ---- */

/* Wait for an incoming connection, avoid race conditions. This must be called with the
 * socket locked. Exclusive wait: one connection wakes one acceptor (no thundering herd). */
static int inet_csk_wait_for_connect(struct sock *sk, long timeo)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	DEFINE_WAIT(wait);
	int err;

	for (;;) {
		prepare_to_wait_exclusive(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
		release_sock(sk);
		if (reqsk_queue_empty(&icsk->icsk_accept_queue))
			timeo = schedule_timeout(timeo);
		lock_sock(sk);
		err = 0;
		if (!reqsk_queue_empty(&icsk->icsk_accept_queue))
			break;
		err = -EINVAL;
		if (sk->sk_state != TCP_LISTEN)
			break;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			break;
		err = -EAGAIN;
		if (!timeo)
			break;
	}
	finish_wait(sk_sleep(sk), &wait);
	return err;
}

/* This will accept the next outstanding connection. */
struct sock *inet_csk_accept(struct sock *sk, int flags, int *err)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct request_sock_queue *queue = &icsk->icsk_accept_queue;
	struct sock *newsk;
	struct request_sock *req;
	int error;

	lock_sock(sk);

	/* We need to make sure that this socket is listening, and that it has something
	 * pending. */
	error = -EINVAL;
	if (sk->sk_state != TCP_LISTEN)
		goto out_err;

	/* Find already established connection */
	if (reqsk_queue_empty(queue)) {
		long timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);

		/* If this is a non blocking socket don't sleep */
		error = -EAGAIN;
		if (!timeo)
			goto out_err;
		error = inet_csk_wait_for_connect(sk, timeo);
		if (error)
			goto out_err;
	}
	req = reqsk_queue_remove(queue);
	newsk = req->sk;
	sk_acceptq_removed(sk);
	__reqsk_free(req);
out:
	release_sock(sk);
	return newsk;
out_err:
	newsk = NULL;
	*err = error;
	goto out;
}

/* ---- timers ---- */

/* DIVERGES: one timer, icsk_timer, carries 3.10's three (see struct inet_connection_sock).
 * Each event keeps 3.10's deadline and a bit in icsk_timers that stands for its timer's
 * timer_pending(); icsk_timer is armed at the earliest pending deadline and holds one
 * reference on the sock while pending (3.10's sk_reset_timer/sk_stop_timer: one per pending
 * timer).
 *
 * LOCKING: events change under the socket lock: by the task that owns the socket, or with
 * its spinlock held when no task owns it. The one overlap is the dispatcher, spinlock held,
 * finding the socket owned: it defers write and delayed-ACK events and moves the keepalive
 * event 50 ms on while the owner may arm events too. The bits are therefore changed
 * atomically, and while a task owns the socket icsk_timer only ever moves earlier
 * (timer_reduce): an event armed from either side fires at its deadline or the timer fires
 * early and the dispatcher, finding nothing due, re-arms it at the earliest deadline.
 * Without an owner the timer is set exactly (mod_timer), so it follows a retransmission
 * deadline that moves later on every ACK as 3.10's icsk_retransmit_timer does. */

/* Event @ev's deadline as stored (32 bits of jiffies). */
static u32 icsk_event_low(const struct inet_connection_sock *icsk, unsigned int ev)
{
	if (ev == ICSK_TIMER_DACK)
		return icsk->icsk_ack.timeout;
	if (ev == ICSK_TIMER_WRITE)
		return icsk->icsk_timeout;
	return icsk->icsk_keepalive_timeout;
}

/* The earliest deadline of the pending events in *@when, widened near @ref (jiffies, or a
 * deadline just armed); false when none is pending. */
static bool icsk_timer_earliest(const struct inet_connection_sock *icsk, unsigned long *when,
				unsigned long ref)
{
	unsigned int pending = __atomic_load_n(&icsk->icsk_timers, __ATOMIC_ACQUIRE);
	unsigned int ev;
	bool any = false;

	for (ev = ICSK_TIMER_DACK; ev <= ICSK_TIMER_KEEPALIVE; ev <<= 1) {
		unsigned long t;

		if (!(pending & ev))
			continue;
		t = inet_csk_deadline_near(icsk_event_low(icsk, ev), ref);
		if (!any || time_before(t, *when))
			*when = t;
		any = true;
	}
	return any;
}

void inet_csk_init_xmit_timers(struct sock *sk, void (*handler)(struct timer_list *))
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	timer_setup(&icsk->icsk_timer, handler, 0);
	icsk->icsk_timers = 0;
	icsk->icsk_pending = icsk->icsk_ack.pending = 0;
}

void inet_csk_clear_xmit_timers(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	icsk->icsk_pending = icsk->icsk_ack.pending = icsk->icsk_ack.blocked = 0;
	/* The write, delayed-ACK and keepalive timers (3.10 stops sk_timer here too). */
	inet_csk_timer_event_stop(sk, ICSK_TIMER_WRITE | ICSK_TIMER_DACK | ICSK_TIMER_KEEPALIVE);
}

static void icsk_timer_rearm_near(struct sock *sk, unsigned long ref)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	unsigned long when = 0;

	if (!icsk_timer_earliest(icsk, &when, ref)) {
		/* Nothing pending. With an owner, an event it arms meanwhile may have armed
		 * the timer already: leave it to fire (early) rather than lose that event. */
		if (!sock_owned_by_user(sk) && del_timer(&icsk->icsk_timer))
			__sock_put(sk);
		return;
	}
	if (sock_owned_by_user(sk)) {
		if (!timer_reduce(&icsk->icsk_timer, when))
			sock_hold(sk);
	} else if (!mod_timer(&icsk->icsk_timer, when)) {
		sock_hold(sk);
	}
}

void inet_csk_timer_rearm(struct sock *sk)
{
	icsk_timer_rearm_near(sk, jiffies);
}

void inet_csk_timer_event_arm(struct sock *sk, unsigned int ev, unsigned long expires)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct timer_list *t = &icsk->icsk_timer;
	bool owned = sock_owned_by_user(sk), was = false;
	u32 old = 0;

	if (!owned && inet_csk_timer_event_pending(sk, ev)) {
		was = true;
		old = icsk_event_low(icsk, ev);
	}
	if (ev == ICSK_TIMER_DACK)
		icsk->icsk_ack.timeout = (u32)expires;
	else if (ev == ICSK_TIMER_WRITE)
		icsk->icsk_timeout = (u32)expires;
	else
		icsk->icsk_keepalive_timeout = (u32)expires;
	/* (Already pending: no atomic operation. Only the dispatcher, finding the socket
	 * owned, clears a bit meanwhile: it defers that event to tcp_release_cb, whose
	 * handler re-arms it from its deadline, or re-arms the keepalive itself.) */
	if (!(__atomic_load_n(&icsk->icsk_timers, __ATOMIC_RELAXED) & ev))
		__atomic_fetch_or(&icsk->icsk_timers, (__u8)ev, __ATOMIC_SEQ_CST);
	if (owned) {
		/* timer_reduce, without the call when the timer is as early already. The fence
		 * orders the deadline's store before the timer's load: a dispatcher that fires
		 * meanwhile on another CPU (it runs under bh_lock_sock, which the owner does not
		 * hold) either sees the new deadline or has already left the timer off, which
		 * timer_pending then tells. */
		smp_mb();
		if (timer_pending(t) && !time_before(expires, READ_ONCE(t->expires)))
			return;
		if (!timer_reduce(t, expires))
			sock_hold(sk);
		return;
	}
	/* A pending timer is never later than a pending deadline. So: earlier than the timer,
	 * the new deadline is the earliest; not earlier, the earliest is unchanged unless
	 * this event was the one at the timer's jiffy and moves later. (Every delayed ACK and
	 * most RTO updates on the receive path take one of these without the scan.) */
	if (timer_pending(t)) {
		unsigned long at = READ_ONCE(t->expires);

		if (time_before(expires, at)) {
			if (!mod_timer(t, expires))
				sock_hold(sk);
			return;
		}
		if (!was || old != (u32)at || expires == at)
			return;
	}
	icsk_timer_rearm_near(sk, expires);
}

void inet_csk_timer_event_stop(struct sock *sk, unsigned int ev)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	unsigned int left = __atomic_and_fetch(&icsk->icsk_timers, (__u8)~ev, __ATOMIC_SEQ_CST);

	if (!left) {
		if (del_timer(&icsk->icsk_timer))
			__sock_put(sk);
		/* A dispatcher on another CPU that found the socket owned may have re-armed an
		 * event (the keepalive's HZ/20 retry) between the and and the del_timer: its bit
		 * is set and its timer gone. Put the timer back for it. */
		if (unlikely(__atomic_load_n(&icsk->icsk_timers, __ATOMIC_SEQ_CST)))
			icsk_timer_rearm_near(sk, jiffies);
	} else if (!sock_owned_by_user(sk)) {
		inet_csk_timer_rearm(sk);
	}
}

bool inet_csk_timer_event_take(struct sock *sk, unsigned int ev, unsigned long now)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (!inet_csk_timer_event_pending(sk, ev) ||
	    time_after(inet_csk_deadline_near(icsk_event_low(icsk, ev), now), now))
		return false;
	__atomic_fetch_and(&icsk->icsk_timers, (__u8)~ev, __ATOMIC_SEQ_CST);
	return true;
}

/* As 3.10 (INET_CSK_CLEAR_TIMERS is not defined): only the pending event is cleared; its
 * timer (here: the event) stays armed and its handler, finding nothing pending, does
 * nothing. Deleting it here would cost a timer update on every ACK sent
 * (tcp_event_ack_sent) and every ACK that acknowledges all data (tcp_rearm_rto).
 * inet_csk_clear_xmit_timers stops them for good. */
void inet_csk_clear_xmit_timer(struct sock *sk, const int what)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (what == ICSK_TIME_RETRANS || what == ICSK_TIME_PROBE0)
		icsk->icsk_pending = 0;
	else if (what == ICSK_TIME_DACK)
		icsk->icsk_ack.blocked = icsk->icsk_ack.pending = 0;
}

void inet_csk_reset_xmit_timer(struct sock *sk, const int what, unsigned long when,
			       const unsigned long max_when)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (when > max_when)
		when = max_when;
	if (what == ICSK_TIME_RETRANS || what == ICSK_TIME_PROBE0 ||
	    what == ICSK_TIME_EARLY_RETRANS || what == ICSK_TIME_LOSS_PROBE) {
		icsk->icsk_pending = (__u8)what;
		inet_csk_timer_event_arm(sk, ICSK_TIMER_WRITE, jiffies + when);
	} else if (what == ICSK_TIME_DACK) {
		icsk->icsk_ack.pending |= ICSK_ACK_TIMER;
		inet_csk_timer_event_arm(sk, ICSK_TIMER_DACK, jiffies + when);
	}
}

void inet_csk_reset_keepalive_timer(struct sock *sk, unsigned long len)
{
	/* DIVERGES: at most ICSK_KEEPALIVE_MAX_DELAY on (see icsk_keepalive_timeout). */
	if (len > ICSK_KEEPALIVE_MAX_DELAY)
		len = ICSK_KEEPALIVE_MAX_DELAY;
	inet_csk_timer_event_arm(sk, ICSK_TIMER_KEEPALIVE, jiffies + len);
}

void inet_csk_delete_keepalive_timer(struct sock *sk)
{
	inet_csk_timer_event_stop(sk, ICSK_TIMER_KEEPALIVE);
}

/* ---- routes of requests and children ---- */

struct dst_entry *inet_csk_route_req(struct sock *sk, struct flowi4 *fl4,
				     const struct request_sock *req)
{
	struct rtable *rt;
	const struct inet_request_sock *ireq = inet_rsk(req);
	struct net *net = sock_net(sk);

	flowi4_init_output(fl4, sk->sk_bound_dev_if, sk->sk_mark, RT_TOS(inet_sk(sk)->tos),
			   RT_SCOPE_UNIVERSE, (u8)sk->sk_protocol, 0, ireq->rmt_addr,
			   ireq->loc_addr, ireq->rmt_port, htons(ireq->loc_port));
	rt = ip_route_output_flow(net, fl4, sk);
	if (IS_ERR(rt))
		goto no_route;
	return &rt->dst;

no_route:
	IP_INC_STATS_BH(net, IPSTATS_MIB_OUTNOROUTES);
	return NULL;
}

struct dst_entry *inet_csk_route_child_sock(struct sock *sk, struct sock *newsk,
					    const struct request_sock *req)
{
	struct flowi4 fl4;

	(void)newsk;
	return inet_csk_route_req(sk, &fl4, req);
}

/* ---- the SYN table ---- */

static inline u32 inet_synq_hash(const __be32 raddr, const __be16 rport, const u32 rnd,
				 const u32 synq_hsize)
{
	return jhash_2words(raddr, rport, rnd) & (synq_hsize - 1);
}

struct request_sock *inet_csk_search_req(const struct sock *sk,
					 struct request_sock ***prevp, const __be16 rport,
					 const __be32 raddr, const __be32 laddr)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	struct listen_sock *lopt = icsk->icsk_accept_queue.listen_opt;
	struct request_sock *req, **prev;

	for (prev = &lopt->syn_table[inet_synq_hash(raddr, rport, lopt->hash_rnd,
						    lopt->nr_table_entries)];
	     (req = *prev) != NULL; prev = &req->dl_next) {
		const struct inet_request_sock *ireq = inet_rsk(req);

		if (ireq->rmt_port == rport && ireq->rmt_addr == raddr &&
		    ireq->loc_addr == laddr) {
			WARN_ON(req->sk);
			*prevp = prev;
			break;
		}
	}
	return req;
}

void inet_csk_reqsk_queue_hash_add(struct sock *sk, struct request_sock *req,
				   unsigned long timeout)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct listen_sock *lopt = icsk->icsk_accept_queue.listen_opt;
	const u32 h = inet_synq_hash(inet_rsk(req)->rmt_addr, inet_rsk(req)->rmt_port,
				     lopt->hash_rnd, lopt->nr_table_entries);

	reqsk_queue_hash_req(&icsk->icsk_accept_queue, h, req, timeout, jiffies);
	/* The first request starts the listener's SYN-ACK timer (TCP_SYNQ_INTERVAL). */
	if (reqsk_queue_added(&icsk->icsk_accept_queue) == 0)
		inet_csk_reset_keepalive_timer(sk, TCP_TIMEOUT_INIT);
}

void inet_csk_reqsk_queue_drop(struct sock *sk, struct request_sock *req,
			       struct request_sock **prev)
{
	reqsk_queue_unlink(&inet_csk(sk)->icsk_accept_queue, req, prev);
	reqsk_queue_removed(&inet_csk(sk)->icsk_accept_queue, req);
	reqsk_free(req);
}

/* Resend a SYN-ACK: num_retrans counts the successful ones. */
int inet_rtx_syn_ack(struct sock *parent, struct request_sock *req)
{
	int err = req->rsk_ops->rtx_syn_ack(parent, req);

	if (!err)
		req->num_retrans++;
	return err;
}

/* Decide when to expire the request and when to resend SYN-ACK (facts.md §3.3). */
static inline void syn_ack_recalc(struct request_sock *req, const int thresh,
				  const int max_retries, const u8 rskq_defer_accept,
				  int *expire, int *resend)
{
	if (!rskq_defer_accept) {
		*expire = req->num_timeout >= thresh;
		*resend = 1;
		return;
	}
	*expire = req->num_timeout >= thresh &&
		  (!inet_rsk(req)->acked || req->num_timeout >= max_retries);
	/* Do not resend while waiting for data after ACK, start to resend on end of
	 * deferring period to give last chance for data or ACK to create established
	 * socket. */
	*resend = !inet_rsk(req)->acked || req->num_timeout >= rskq_defer_accept - 1;
}

void inet_csk_reqsk_queue_prune(struct sock *parent, const unsigned long interval,
				const unsigned long timeout, const unsigned long max_rto)
{
	struct inet_connection_sock *icsk = inet_csk(parent);
	struct request_sock_queue *queue = &icsk->icsk_accept_queue;
	struct listen_sock *lopt = queue->listen_opt;
	int max_retries = icsk->icsk_syn_retries ? : sysctl_tcp_synack_retries;
	int thresh = max_retries;
	unsigned long now = jiffies;
	struct request_sock **reqp, *req;
	int i, budget;

	if (lopt == NULL || lopt->qlen == 0)
		return;

	/* Normally all the openreqs are young and become mature (i.e. converted to
	 * established socket) for first timeout. If synack was not acknowledged for 1
	 * second, it means one of the following things: synack was lost, ack was lost, rtt
	 * is high or nobody planned to ack (i.e. synflood). When server is a bit loaded,
	 * queue is populated with old open requests, reducing effective size of queue. When
	 * server is well loaded, queue size reduces to zero after several minutes of work.
	 * It is not synflood, it is normal operation. The solution is pruning too old
	 * entries overriding normal timeout, when situation becomes dangerous. */
	if (lopt->qlen >> (lopt->max_qlen_log - 1)) {
		int young = (lopt->qlen_young << 1);

		while (thresh > 2) {
			if (lopt->qlen < young)
				break;
			thresh--;
			young <<= 1;
		}
	}
	if (icsk->icsk_defer_accept)
		max_retries = icsk->icsk_defer_accept;

	budget = 2 * (int)(lopt->nr_table_entries / (timeout / interval));
	i = lopt->clock_hand;

	do {
		reqp = &lopt->syn_table[i];
		while ((req = *reqp) != NULL) {
			if (time_after_eq(now, req->expires)) {
				int expire = 0, resend = 0;

				syn_ack_recalc(req, thresh, max_retries, icsk->icsk_defer_accept,
					       &expire, &resend);
				req->rsk_ops->syn_ack_timeout(parent, req);
				if (!expire &&
				    (!resend || !inet_rtx_syn_ack(parent, req) ||
				     inet_rsk(req)->acked)) {
					unsigned long timeo;

					if (req->num_timeout++ == 0)
						lopt->qlen_young--;
					timeo = min(timeout << req->num_timeout, max_rto);
					req->expires = now + timeo;
					reqp = &req->dl_next;
					continue;
				}

				/* Drop this request */
				reqsk_queue_unlink(queue, req, reqp);
				reqsk_queue_removed(queue, req);
				reqsk_free(req);
				continue;
			}
			reqp = &req->dl_next;
		}
		i = (int)((unsigned)(i + 1) & (lopt->nr_table_entries - 1));
	} while (--budget > 0);

	lopt->clock_hand = i;
	if (lopt->qlen)
		inet_csk_reset_keepalive_timer(parent, interval);
}

/* ---- children ---- */

struct sock *inet_csk_clone_lock(const struct sock *sk, const struct request_sock *req,
				 const gfp_t priority)
{
	struct inet_connection_sock *newicsk;
	struct sock_rare *rare;
	struct sock_common keep;
	socket_lock_t lock;
	struct sock *newsk;

	/* The listener's options (its sk_rare block) are the child's too, as in 3.10's copy
	 * of the sock; no memory for them: no child, as when sk_alloc fails. */
	if (sk_rare_clone(sk, &rare, priority))
		return NULL;
	newsk = sk_alloc(sock_net(sk), sk->sk_family, priority, sk->sk_prot);
	if (newsk == NULL) {
		sk_rare_free_block(rare);
		return NULL;
	}
	/* sk_clone_lock: a copy of the listener, then what must be the child's own. */
	keep = newsk->__sk_common;
	lock = newsk->sk_lock;
	memcpy(newsk, sk, sk->sk_prot->obj_size);
	newsk->__sk_common.skc_refcnt = keep.skc_refcnt;
	newsk->__sk_common.skc_net = keep.skc_net;
	newsk->sk_lock = lock;
	spin_lock_init(&newsk->sk_lock.slock);
	newsk->sk_lock.owned = 0;
	sk_node_init(&newsk->sk_node);
	sk_node_init(&newsk->sk_bind_node);
	newsk->sk_bind_node.next = NULL;
	newsk->sk_node.next = NULL;
	atomic_set(&newsk->sk_wmem_alloc, 1);
	atomic_set(&newsk->sk_omem_alloc, 0);
	atomic_set(&newsk->sk_rmem_alloc, 0);
	skb_queue_head_init(&newsk->sk_receive_queue);
	skb_queue_head_init(&newsk->sk_write_queue);
	newsk->sk_error_queue = NULL;	/* the listener's (if any) stays the listener's */
	newsk->sk_backlog.head = newsk->sk_backlog.tail = NULL;
	newsk->sk_backlog.len = 0;
	newsk->sk_forward_alloc = 0;
	newsk->sk_wmem_queued = 0;
	newsk->sk_send_head = NULL;
	newsk->sk_rare = rare;	/* without the listener's send page, IP options, urgent data */
	newsk->sk_dst_cache = NULL;
	newsk->sk_rx_dst = NULL;
	spin_lock_init(&newsk->sk_dst_lock);
	rwlock_init(&newsk->sk_callback_lock);
	newsk->sk_err = 0;
	newsk->sk_err_soft = 0;
	newsk->sk_ack_backlog = 0;
	newsk->sk_userlocks = sk->sk_userlocks & ~SOCK_BINDPORT_LOCK;
	newsk->sk_socket = NULL;
	newsk->sk_wq = NULL;
	newsk->sk_flags = sk->sk_flags;
	/* The child asks for stamped packets as the listener did (3.10 sk_clone_lock). */
	if (sock_flag(newsk, SOCK_TIMESTAMP))
		net_enable_timestamp();
	sock_reset_flag(newsk, SOCK_DEAD);
	/* sk_clone_lock: two references, one for the hash and one for the caller; the
	 * sk_alloc one is replaced. */
	atomic_set(&newsk->sk_refcnt, 2);
	sock_prot_inuse_add(sock_net(newsk), newsk->sk_prot, 0);
	bh_lock_sock(newsk);

	newsk->sk_state = TCP_SYN_RECV;
	newicsk = inet_csk(newsk);
	newicsk->icsk_bind_hash = NULL;
	inet_sk(newsk)->inet_dport = inet_rsk(req)->rmt_port;
	inet_sk(newsk)->inet_num = inet_rsk(req)->loc_port;
	inet_sk(newsk)->inet_sport = htons(inet_rsk(req)->loc_port);
	/* (sk_write_space is sk_stream_write_space already: the child has the listener's
	 * sk_callbacks, TCP's table.) */
	newicsk->icsk_retransmits = 0;
	newicsk->icsk_backoff = 0;
	newicsk->icsk_probes_out = 0;
	/* Deinitialize accept_queue to trap illegal accesses. (3.10's memset clears the
	 * queue's rskq_defer_accept too: the child does not inherit TCP_DEFER_ACCEPT.) */
	memset(&newicsk->icsk_accept_queue, 0, sizeof(newicsk->icsk_accept_queue));
	newicsk->icsk_defer_accept = 0;
	return newsk;
}

/* This is for the sock that was never accepted or is going away after close. */
void inet_csk_destroy_sock(struct sock *sk)
{
	WARN_ON(sk->sk_state != TCP_CLOSE);
	WARN_ON(!sock_flag(sk, SOCK_DEAD));
	/* It cannot be in hash table! */
	WARN_ON(!sk_unhashed(sk));
	/* If it has not 0 inet_sk(sk)->inet_num, it must be bound */
	WARN_ON(inet_sk(sk)->inet_num && !inet_csk(sk)->icsk_bind_hash);

	sk->sk_prot->destroy(sk);
	sk_stream_kill_queues(sk);
	atomic_long_dec(sk->sk_prot->orphan_count);
	sock_put(sk);
}

int inet_csk_listen_start(struct sock *sk, const int nr_table_entries)
{
	struct inet_sock *inet = inet_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	int rc = reqsk_queue_alloc(&icsk->icsk_accept_queue, (unsigned int)nr_table_entries);

	if (rc != 0)
		return rc;
	sk->sk_max_ack_backlog = 0;
	sk->sk_ack_backlog = 0;
	inet_csk_delack_init(sk);

	/* There is race window here: we announce ourselves listening, but this transition
	 * is still not validated by get_port(). It is OK, because this socket enters to
	 * hash table only after validation is complete. */
	sk->sk_state = TCP_LISTEN;
	if (!sk->sk_prot->get_port(sk, inet->inet_num)) {
		inet->inet_sport = htons(inet->inet_num);
		sk_dst_reset(sk);
		sk->sk_prot->hash(sk);
		return 0;
	}
	sk->sk_state = TCP_CLOSE;
	reqsk_queue_destroy(&icsk->icsk_accept_queue);
	return -EADDRINUSE;
}

/* This routine closes sockets which have been at least partially opened, but not yet
 * accepted. */
void inet_csk_listen_stop(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct request_sock_queue *queue = &icsk->icsk_accept_queue;
	struct request_sock *acc_req;
	struct request_sock *req;

	inet_csk_delete_keepalive_timer(sk);

	/* make all the listen_opt local to us */
	acc_req = NULL;
	if (queue->listen_opt) {
		acc_req = queue->listen_opt->rskq_accept_head;
		queue->listen_opt->rskq_accept_head = NULL;
		queue->listen_opt->rskq_accept_tail = NULL;
	}

	/* Following specs, it would be better either to send FIN (and enter FIN-WAIT-1,
	 * it is normal close) or to send active reset (abort). Certainly, it is pretty
	 * dangerous while synflood, but it is bad justification for our negligence 8) To
	 * be honest, we are not able to make either of the variants now. --ANK */
	reqsk_queue_destroy(queue);

	while ((req = acc_req) != NULL) {
		struct sock *child = req->sk;

		acc_req = req->dl_next;
		local_bh_disable();
		bh_lock_sock(child);
		WARN_ON(sock_owned_by_user(child));
		sock_hold(child);

		sk->sk_prot->disconnect(child, O_NONBLOCK);
		sock_orphan(child);
		atomic_long_inc(sk->sk_prot->orphan_count);
		inet_csk_destroy_sock(child);

		bh_unlock_sock(child);
		local_bh_enable();
		sock_put(child);

		sk_acceptq_removed(sk);
		__reqsk_free(req);
	}
	WARN_ON(sk->sk_ack_backlog);
}

void inet_csk_addr2sockaddr(struct sock *sk, struct sockaddr *uaddr)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	const struct inet_sock *inet = inet_sk(sk);

	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = inet->inet_daddr;
	sin->sin_port = inet->inet_dport;
}
