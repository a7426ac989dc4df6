/* SPDX-License-Identifier: MIT */
/* Generic socket support: allocation, the socket lock and backlog, buffer accounting, the
 * default callbacks, SOL_SOCKET options and the protocol registry.
 * Mirrors linux/net/core/sock.c (3.10): sk_alloc, sk_free, __sk_free, sock_init_data,
 * sock_def_wakeup, sock_def_error_report, sock_def_readable, sock_def_write_space,
 * sock_def_destruct, lock_sock_nested, __lock_sock, release_sock, __release_sock,
 * sk_lock_waitqueue (as kernel/wait.c's bit_waitqueue, wake_bit_function),
 * lock_sock_fast, sk_receive_skb, sk_wait_data, sock_queue_rcv_skb, sock_queue_err_skb,
 * sock_rfree, sock_wfree, skb_set_owner_w, sock_wmalloc, sock_kmalloc,
 * sock_alloc_send_pskb, sock_wait_for_wmem, __sk_mem_schedule, __sk_mem_reclaim,
 * sk_dst_check, sock_setsockopt, sock_getsockopt, sock_common_*, sock_no_*,
 * proto_register, sock_prot_inuse_add, sk_common_release.
 *
 * LOCKING: see include/net/sock.h. In short: softirq receive takes bh_lock_sock and, if a
 * task owns the socket, queues to the backlog; release_sock drains the backlog through
 * sk_backlog_rcv before it lets go. */
#include <limits.h>
#include "linux/errno.h"
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/net.h"
#include "linux/netdevice.h"
#include "linux/poll.h"
#include "linux/sched.h"
#include "linux/seq_file.h"
#include "linux/slab.h"
#include "linux/tcp.h"
#include "net/dst.h"
#include "net/inet_timewait_sock.h"
#include "net/af_unix.h"
#include "net/net_namespace.h"
#include "net/sock.h"
#include "net/tcp_states.h"

static LIST_HEAD(proto_list);
static DEFINE_SPINLOCK(proto_list_lock);
static unsigned long proto_inuse_idx[PROTO_INUSE_NR / BITS_PER_LONG];
static atomic_long_t sk_in_use;

/* net/tcp.h's, weak: SO_KEEPALIVE arms TCP's keepalive timer when TCP is linked in. */
void tcp_set_keepalive(struct sock *sk, int val) __attribute__((weak));

/* ------------------------------------------------------------------------------------------
 * Per-namespace inuse counters (3.10: net->core.inuse, per CPU). */

struct prot_inuse {
	atomic_t val[PROTO_INUSE_NR];
};
static int prot_inuse_id;

static struct pernet_operations proto_net_ops = {
	.id = &prot_inuse_id,
	.size = sizeof(struct prot_inuse),
};

void sock_prot_inuse_add(struct net *net, struct proto *prot, int val)
{
	struct prot_inuse *pi = net_generic(net, prot_inuse_id);

	atomic_add(val, &pi->val[prot->inuse_idx]);
}

int sock_prot_inuse_get(struct net *net, struct proto *prot)
{
	struct prot_inuse *pi = net_generic(net, prot_inuse_id);
	int res = atomic_read(&pi->val[prot->inuse_idx]);

	return res >= 0 ? res : 0;
}

static int assign_proto_idx(struct proto *prot)
{
	unsigned int i;

	for (i = 0; i < PROTO_INUSE_NR - 1; i++) {
		if (!test_bit((int)i, proto_inuse_idx)) {
			__set_bit((int)i, proto_inuse_idx);
			prot->inuse_idx = i;
			return 0;
		}
	}
	pr_err("PROTO_INUSE_NR exhausted\n");
	return -ENOSPC;
}

static void release_proto_idx(struct proto *prot)
{
	if (prot->inuse_idx != PROTO_INUSE_NR - 1)
		__clear_bit((int)prot->inuse_idx, proto_inuse_idx);
}

/* ------------------------------------------------------------------------------------------
 * Protocols. */

static char *proto_slab_name(const char *fmt, const char *name)
{
	size_t len = strlen(fmt) + strlen(name) + 1;
	char *buf = kmalloc(len, GFP_KERNEL);

	if (buf)
		snprintf(buf, len, fmt, name);
	return buf;
}

static void proto_free_slabs(struct proto *prot)
{
	if (prot->slab) {
		kmem_cache_destroy(prot->slab);
		prot->slab = NULL;
	}
	if (prot->rsk_prot) {
		if (prot->rsk_prot->slab)
			kmem_cache_destroy(prot->rsk_prot->slab);
		prot->rsk_prot->slab = NULL;
		kfree(prot->rsk_prot->slab_name);
		prot->rsk_prot->slab_name = NULL;
	}
	if (prot->twsk_prot) {
		if (prot->twsk_prot->twsk_slab)
			kmem_cache_destroy(prot->twsk_prot->twsk_slab);
		prot->twsk_prot->twsk_slab = NULL;
		kfree(prot->twsk_prot->twsk_slab_name);
		prot->twsk_prot->twsk_slab_name = NULL;
	}
}

int proto_register(struct proto *prot, int alloc_slab)
{
	if (alloc_slab) {
		prot->slab = kmem_cache_create(prot->name, prot->obj_size, 0,
					       SLAB_HWCACHE_ALIGN | (unsigned long)prot->slab_flags,
					       NULL);
		if (prot->slab == NULL) {
			pr_err("%s: Can't create sock SLAB cache!\n", prot->name);
			goto out;
		}
		if (prot->rsk_prot != NULL) {
			prot->rsk_prot->slab_name = proto_slab_name("request_sock_%s", prot->name);
			if (prot->rsk_prot->slab_name == NULL)
				goto out_free_sock_slab;
			prot->rsk_prot->slab = kmem_cache_create(prot->rsk_prot->slab_name,
								 (size_t)prot->rsk_prot->obj_size,
								 0, SLAB_HWCACHE_ALIGN, NULL);
			if (prot->rsk_prot->slab == NULL) {
				pr_err("%s: Can't create request sock SLAB cache!\n", prot->name);
				goto out_free_sock_slab;
			}
		}
		if (prot->twsk_prot != NULL) {
			prot->twsk_prot->twsk_slab_name = proto_slab_name("tw_sock_%s", prot->name);
			if (prot->twsk_prot->twsk_slab_name == NULL)
				goto out_free_sock_slab;
			prot->twsk_prot->twsk_slab =
				kmem_cache_create(prot->twsk_prot->twsk_slab_name,
						  prot->twsk_prot->twsk_obj_size, 0,
						  SLAB_HWCACHE_ALIGN | (unsigned long)prot->slab_flags,
						  NULL);
			if (prot->twsk_prot->twsk_slab == NULL)
				goto out_free_sock_slab;
		}
	}
	spin_lock(&proto_list_lock);
	list_add(&prot->node, &proto_list);
	if (assign_proto_idx(prot)) {
		list_del(&prot->node);
		spin_unlock(&proto_list_lock);
		goto out_free_sock_slab;
	}
	spin_unlock(&proto_list_lock);
	return 0;

out_free_sock_slab:
	proto_free_slabs(prot);
out:
	return -ENOBUFS;
}

void proto_unregister(struct proto *prot)
{
	spin_lock(&proto_list_lock);
	release_proto_idx(prot);
	list_del(&prot->node);
	spin_unlock(&proto_list_lock);
	proto_free_slabs(prot);
}

/* ------------------------------------------------------------------------------------------
 * Allocation. */

static struct sock *sk_prot_alloc(struct proto *prot, gfp_t priority, int family)
{
	struct sock *sk;

	if (prot->slab)
		sk = kmem_cache_zalloc(prot->slab, priority);
	else
		sk = kzalloc(prot->obj_size, priority);
	if (sk)
		atomic_long_inc(&sk_in_use);
	return sk;
}

static void sk_prot_free(struct proto *prot, struct sock *sk)
{
	atomic_long_dec(&sk_in_use);
	if (prot->slab)
		kmem_cache_free(prot->slab, sk);
	else
		kfree(sk);
}

long ul_sk_in_use(void)
{
	return atomic_long_read(&sk_in_use);
}

static void sock_lock_init(struct sock *sk)
{
	spin_lock_init(&sk->sk_lock.slock);
	sk->sk_lock.owned = 0;
}

struct sock *sk_alloc(struct net *net, int family, gfp_t priority, struct proto *prot)
{
	struct sock *sk;

	sk = sk_prot_alloc(prot, priority | __GFP_ZERO, family);
	if (!sk)
		return NULL;
	sk->sk_family = (unsigned short)family;
	sk->sk_prot = prot;	/* also the creator: see struct sock (no sk_prot_creator) */
	sock_lock_init(sk);
	sock_net_set(sk, get_net(net));
	atomic_set(&sk->sk_wmem_alloc, 1);
	return sk;
}

void sk_error_queue_purge(struct sock *sk)
{
	if (sk->sk_error_queue)
		skb_queue_purge(sk->sk_error_queue);
}

void sk_error_queue_free(struct sock *sk)
{
	sk_error_queue_purge(sk);
	kfree(sk->sk_error_queue);
	sk->sk_error_queue = NULL;
}

static void __sk_free(struct sock *sk)
{
	/* (A sock freed before sock_init_data has no callbacks yet.) */
	if (sk->sk_callbacks && sk->sk_destruct)
		sk->sk_destruct(sk);
	/* sock_disable_timestamp: the sock no longer needs received packets stamped. */
	if (sock_flag(sk, SOCK_TIMESTAMP)) {
		sock_reset_flag(sk, SOCK_TIMESTAMP);
		net_disable_timestamp();
	}
	sk_error_queue_free(sk);
	sk_rare_free(sk);
	if (atomic_read(&sk->sk_omem_alloc))
		pr_debug("%s: optmem leakage (%d bytes) detected\n", __func__,
			 atomic_read(&sk->sk_omem_alloc));
	put_net(sock_net(sk));
	sk_prot_free(sk->sk_prot, sk);
}

/* The last owner reference went (sock_put). Packets still in flight keep sk_wmem_alloc
 * above 1; the last of them (sock_wfree) frees the sock. */
void sk_free(struct sock *sk)
{
	if (atomic_dec_and_test(&sk->sk_wmem_alloc))
		__sk_free(sk);
}

/* ------------------------------------------------------------------------------------------
 * Default callbacks (book ch3: sock_def_readable wakes the task sleeping in recv). */

void sock_def_wakeup(struct sock *sk)
{
	struct socket_wq *wq;

	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (wq_has_sleeper(wq))
		wake_up_interruptible_all(&wq->wait);
	rcu_read_unlock();
}

void sock_def_error_report(struct sock *sk)
{
	struct socket_wq *wq;

	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (wq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, POLLERR);
	sk_wake_async(sk, SOCK_WAKE_IO, POLL_ERR);
	rcu_read_unlock();
}

void sock_def_readable(struct sock *sk, int len)
{
	struct socket_wq *wq;

	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (wq_has_sleeper(wq))
		wake_up_interruptible_sync_poll(&wq->wait,
						POLLIN | POLLPRI | POLLRDNORM | POLLRDBAND);
	sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_IN);
	rcu_read_unlock();
}

void sock_def_write_space(struct sock *sk)
{
	struct socket_wq *wq;

	rcu_read_lock();
	/* Do not wake up a writer until he can make "significant" progress. */
	if ((atomic_read(&sk->sk_wmem_alloc) << 1) <= sk->sk_sndbuf) {
		wq = rcu_dereference(sk->sk_wq);
		if (wq_has_sleeper(wq))
			wake_up_interruptible_sync_poll(&wq->wait,
							POLLOUT | POLLWRNORM | POLLWRBAND);
		/* Should agree with poll, otherwise some programs break. */
		if (sock_writeable(sk))
			sk_wake_async(sk, SOCK_WAKE_SPACE, POLL_OUT);
	}
	rcu_read_unlock();
}

void sock_def_destruct(struct sock *sk)
{
}

const struct sock_callbacks sock_def_callbacks = {
	.state_change = sock_def_wakeup,
	.data_ready = sock_def_readable,
	.write_space = sock_def_write_space,
	.error_report = sock_def_error_report,
	.destruct = sock_def_destruct,
};

void sock_init_data(struct socket *sock, struct sock *sk)
{
	struct sock_dgram *d;

	skb_queue_head_init(&sk->sk_receive_queue);
	skb_queue_head_init(&sk->sk_write_queue);
	sk->sk_error_queue = NULL;	/* allocated on first use */
	sk->sk_send_head = NULL;
	sk->sk_allocation = GFP_KERNEL;
	sk->sk_rcvbuf = (int)sysctl_rmem_default;
	sk->sk_sndbuf = (int)sysctl_wmem_default;
	sk->sk_state = TCP_CLOSE;
	sk->sk_socket = sock;
	sock_set_flag(sk, SOCK_ZAPPED);
	if (sock) {
		sk->sk_type = (unsigned int)sock->type;
		sk->sk_wq = sock_wq(sock);
		sock->sk = sk;
	} else {
		sk->sk_wq = NULL;
	}
	spin_lock_init(&sk->sk_dst_lock);
	rwlock_init(&sk->sk_callback_lock);

	sk->sk_callbacks = &sock_def_callbacks;

	sk->sk_write_pending = 0;
	/* sk_rcvlowat 1, sk_rcvtimeo and sk_sndtimeo MAX_SCHEDULE_TIMEOUT: the defaults the
	 * accessors return while sk_rare is NULL (sk_alloc zeroed it). */
	d = sk_dgram(sk);
	if (d) {
		d->sk_peek_off = -1;
		d->sk_stamp = -1;	/* ktime_set(-1L, 0): no packet yet */
		atomic_set(&d->sk_drops, 0);
	}
	smp_wmb();
	atomic_set(&sk->sk_refcnt, 1);
}

/* The end of a socket (inet_release -> udp_lib_close): unhash, orphan, drop the owner's
 * reference. Packets still queued are purged by the destructor (inet_sock_destruct) when
 * the last reference goes; packets still in device queues delay that (sk_wmem_alloc). */
void sk_common_release(struct sock *sk)
{
	if (sk->sk_prot->destroy)
		sk->sk_prot->destroy(sk);
	/* Observation: when sock_common_release is called, processes have no access to the
	 * socket, but the network still does. Step one, detach it from networking: remove it
	 * from the hash tables. */
	sk->sk_prot->unhash(sk);
	/* In this point socket cannot receive new packets, but it is possible that some packets
	 * are in flight because some CPU runs receiver and did hash table lookup before we
	 * unhashed socket. They will achieve receive queue and will be purged by socket
	 * destructor. */
	sock_orphan(sk);
	sock_put(sk);
}

/* ------------------------------------------------------------------------------------------
 * The socket lock and the backlog. */

/* The shared heads lock_sock waits on (socket_lock_t's DIVERGES), statically initialised
 * (each head's list points at itself): they hold nothing between stacks, a waiter is on
 * one only while it sleeps in __lock_sock. */
#define SKLW(i)	__WAIT_QUEUE_HEAD_INITIALIZER(sk_lock_wait_table[i])
#define SKLW4(i) SKLW(i), SKLW((i) + 1), SKLW((i) + 2), SKLW((i) + 3)
#define SKLW16(i) SKLW4(i), SKLW4((i) + 4), SKLW4((i) + 8), SKLW4((i) + 12)
#define SKLW64(i) SKLW16(i), SKLW16((i) + 16), SKLW16((i) + 32), SKLW16((i) + 48)
static wait_queue_head_t sk_lock_wait_table[SK_LOCK_WAIT_TABLE_SIZE] = {
	SKLW64(0), SKLW64(64), SKLW64(128), SKLW64(192)
};
_Static_assert(SK_LOCK_WAIT_TABLE_SIZE == 256, "sk_lock_wait_table's initialiser has 256");

/* 3.10's hash_ptr (hash_64 with GOLDEN_RATIO_PRIME_64): the top bits of the address times
 * the constant, so socks 64 B apart in a slab spread over the table. */
wait_queue_head_t *sk_lock_waitqueue(const struct sock *sk)
{
	u64 h = (u64)(uintptr_t)sk * 0x9e37fffffffc0001ULL;

	return &sk_lock_wait_table[h >> (64 - SK_LOCK_WAIT_HASH_BITS)];
}

/* A lock_sock waiter: its entry on the shared head and the sock it waits for (3.10's
 * struct wait_bit_queue with its key). */
struct sk_lock_wait {
	wait_queue_t wait;
	const struct sock *sk;
};

/* Wake only waiters of the sock being released (@key); the others' entries return 0, so
 * they neither wake nor use up the exclusive wakeup (3.10's wake_bit_function). Called
 * with the head's lock held. */
static int sk_lock_wake_function(wait_queue_t *wait, unsigned mode, int sync, void *key)
{
	struct sk_lock_wait *w = container_of(wait, struct sk_lock_wait, wait);

	if (w->sk != key)
		return 0;
	return autoremove_wake_function(wait, mode, sync, key);
}

/* Wait until the owner lets go. Called and returns with the slock held and bottom halves
 * off. The entry goes on the head under the slock, and release_sock looks at the head
 * under the same slock, so a release cannot slip between our check and our sleep. */
static void __lock_sock(struct sock *sk)
{
	wait_queue_head_t *wq = sk_lock_waitqueue(sk);
	struct sk_lock_wait wait = {
		.wait = { .private = current, .func = sk_lock_wake_function,
			  .task_list = LIST_HEAD_INIT(wait.wait.task_list) },
		.sk = sk,
	};
	unsigned int guard = 0;

	for (;;) {
		prepare_to_wait_exclusive(wq, &wait.wait, TASK_UNINTERRUPTIBLE);
		spin_unlock_bh(&sk->sk_lock.slock);
		schedule();
		spin_lock_bh(&sk->sk_lock.slock);
		if (!sock_owned_by_user(sk) || ++guard > 1000000)
			break;
	}
	finish_wait(wq, &wait.wait);
}

/* Run what softirq receive queued while the socket was owned. Called with the slock held
 * and bottom halves off; the packets are fed without the spinlock (as 3.10). */
static void __release_sock(struct sock *sk)
{
	struct sk_buff *skb = sk->sk_backlog.head;

	do {
		sk->sk_backlog.head = sk->sk_backlog.tail = NULL;
		bh_unlock_sock(sk);
		do {
			struct sk_buff *next = skb->next;

			skb->next = NULL;
			sk_backlog_rcv(sk, skb);
			skb = next;
		} while (skb != NULL);
		bh_lock_sock(sk);
	} while ((skb = sk->sk_backlog.head) != NULL);
	/* Doing the zeroing here guarantees we can not loop forever while a wild producer
	 * attempts to flood us. */
	sk->sk_backlog.len = 0;
}

void lock_sock_nested(struct sock *sk, int subclass)
{
	spin_lock_bh(&sk->sk_lock.slock);
	if (sk->sk_lock.owned)
		__lock_sock(sk);
	sk->sk_lock.owned = 1;
	spin_unlock(&sk->sk_lock.slock);
	local_bh_enable();
}

void release_sock(struct sock *sk)
{
	spin_lock_bh(&sk->sk_lock.slock);
	if (sk->sk_backlog.tail)
		__release_sock(sk);
	if (sk->sk_prot->release_cb)
		sk->sk_prot->release_cb(sk);
	sk->sk_lock.owned = 0;
	/* The head is shared: an entry of another sock makes it look active, which costs a
	 * walk that wakes nobody. Our own waiters were queued under our slock, held here. */
	if (waitqueue_active(sk_lock_waitqueue(sk)))
		__wake_up(sk_lock_waitqueue(sk), TASK_NORMAL, 1, sk);
	spin_unlock_bh(&sk->sk_lock.slock);
}

bool lock_sock_fast(struct sock *sk)
{
	spin_lock_bh(&sk->sk_lock.slock);
	if (!sk->sk_lock.owned)
		/* Note: we return with the spinlock held and bottom halves off. */
		return false;
	__lock_sock(sk);
	sk->sk_lock.owned = 1;
	spin_unlock(&sk->sk_lock.slock);
	local_bh_enable();
	return true;
}

/* Context: softirq. Consumes @skb; drops the caller's reference on @sk. */
int sk_receive_skb(struct sock *sk, struct sk_buff *skb, const int nested)
{
	int rc = NET_RX_SUCCESS;

	skb->dev = NULL;
	if (sk_rcvqueues_full(sk, skb, (unsigned int)sk->sk_rcvbuf)) {
		sk_drops_inc(sk);
		goto discard_and_relse;
	}
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk)) {
		rc = sk_backlog_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, (unsigned int)sk->sk_rcvbuf)) {
		bh_unlock_sock(sk);
		sk_drops_inc(sk);
		goto discard_and_relse;
	}
	bh_unlock_sock(sk);
out:
	sock_put(sk);
	return rc;
discard_and_relse:
	kfree_skb_reason(skb, SKB_DROP_REASON_SOCKET_BACKLOG);
	goto out;
}

int sk_wait_data(struct sock *sk, long *timeo)
{
	int rc;
	DEFINE_WAIT(wait);

	prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
	set_bit(SOCK_ASYNC_WAITDATA, &sk->sk_socket->flags);
	rc = sk_wait_event(sk, timeo, !skb_queue_empty(&sk->sk_receive_queue));
	clear_bit(SOCK_ASYNC_WAITDATA, &sk->sk_socket->flags);
	finish_wait(sk_sleep(sk), &wait);
	return rc;
}

/* ------------------------------------------------------------------------------------------
 * Buffers and ownership. */

void sock_rfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	unsigned int len = skb->truesize;

	atomic_sub((int)len, &sk->sk_rmem_alloc);
	sk_mem_uncharge(sk, (int)len);
}

void sock_wfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	unsigned int len = skb->truesize;

	if (!sock_flag(sk, SOCK_USE_WRITE_QUEUE)) {
		/* Keep a reference on sk_wmem_alloc: it is released after the sk_write_space()
		 * call. */
		atomic_sub((int)len - 1, &sk->sk_wmem_alloc);
		sk->sk_write_space(sk);
		len = 1;
	}
	/* If sk_wmem_alloc reaches 0, the socket was freed (sk_free) while this packet was
	 * in flight: free it now. */
	if (atomic_sub_return((int)len, &sk->sk_wmem_alloc) == 0)
		__sk_free(sk);
}

/* The destructor of an skb whose socket early demux found (tcp_v4_early_demux): the
 * lookup's reference goes; a TIME_WAIT socket is an inet_timewait_sock with its own count. */
void sock_edemux(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;

	if (sk->sk_state == TCP_TIME_WAIT)
		inet_twsk_put(inet_twsk(sk));
	else
		sock_put(sk);
}

void skb_set_owner_w(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_wfree;
	/* We used to take a refcount on sk, but following operation is enough to guarantee
	 * sk_free() won't free this sock until all in-flight packets are completed. */
	atomic_add((int)skb->truesize, &sk->sk_wmem_alloc);
}

int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	struct sk_buff_head *list = &sk->sk_receive_queue;
	unsigned long flags;
	int skb_len;

	/* Cast sk->rcvbuf to unsigned... It's pointless, but reduces number of warnings when
	 * compiling with -W --ANK */
	if (atomic_read(&sk->sk_rmem_alloc) >= sk->sk_rcvbuf) {
		sk_drops_inc(sk);
		return -ENOMEM;
	}
	if (!sk_rmem_schedule(sk, skb, (int)skb->truesize)) {
		sk_drops_inc(sk);
		return -ENOBUFS;
	}
	skb->dev = NULL;
	skb_set_owner_r(skb, sk);
	/* Cache the length: the skb may be freed by a reader as soon as it is queued. */
	skb_len = (int)skb->len;
	/* We escape from the RCU protected region, make sure we don't leak a non-refcounted
	 * dst. */
	skb_dst_force(skb);
	spin_lock_irqsave(&list->lock, flags);
	skb->dropcount = (__u32)sk_drops_read(sk);
	__skb_queue_tail(list, skb);
	spin_unlock_irqrestore(&list->lock, flags);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk, skb_len);
	return 0;
}

static void sock_rmem_free(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;

	atomic_sub((int)skb->truesize, &sk->sk_rmem_alloc);
}

int sock_queue_err_skb(struct sock *sk, struct sk_buff *skb)
{
	int len = (int)skb->len;

	if (atomic_read(&sk->sk_rmem_alloc) + (int)skb->truesize >= sk->sk_rcvbuf)
		return -ENOMEM;
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_rmem_free;
	if (!sk->sk_error_queue) {
		struct sk_buff_head *q = kmalloc(sizeof(*q), GFP_ATOMIC);

		if (!q)
			return -ENOMEM;
		skb_queue_head_init(q);
		sk->sk_error_queue = q;
	}
	atomic_add((int)skb->truesize, &sk->sk_rmem_alloc);
	skb_dst_force(skb);
	skb_queue_tail(sk->sk_error_queue, skb);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk, len);
	return 0;
}

struct sk_buff *sock_wmalloc(struct sock *sk, unsigned long size, int force, gfp_t priority)
{
	if (force || atomic_read(&sk->sk_wmem_alloc) < sk->sk_sndbuf) {
		struct sk_buff *skb = alloc_skb((unsigned int)size, priority);

		if (skb) {
			skb_set_owner_w(skb, sk);
			return skb;
		}
	}
	return NULL;
}

void *sock_kmalloc(struct sock *sk, int size, gfp_t priority)
{
	if ((unsigned int)size <= (unsigned int)sysctl_optmem_max &&
	    atomic_read(&sk->sk_omem_alloc) + size < sysctl_optmem_max) {
		void *mem;

		/* First do the add, to avoid the race if kmalloc might sleep. */
		atomic_add(size, &sk->sk_omem_alloc);
		mem = kmalloc((size_t)size, priority);
		if (mem)
			return mem;
		atomic_sub(size, &sk->sk_omem_alloc);
	}
	return NULL;
}

void sock_kfree_s(struct sock *sk, void *mem, int size)
{
	kfree(mem);
	atomic_sub(size, &sk->sk_omem_alloc);
}

/* It is almost wait_for_tcp_memory minus release_sock/lock_sock. */
static long sock_wait_for_wmem(struct sock *sk, long timeo)
{
	DEFINE_WAIT(wait);
	unsigned int guard = 0;

	clear_bit(SOCK_ASYNC_NOSPACE, &sk->sk_socket->flags);
	for (;;) {
		if (!timeo || ++guard > 1000000)
			break;
		if (signal_pending(current))
			break;
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
		if (atomic_read(&sk->sk_wmem_alloc) < sk->sk_sndbuf)
			break;
		if (sk->sk_shutdown & SEND_SHUTDOWN)
			break;
		if (sk->sk_err)
			break;
		timeo = schedule_timeout(timeo);
	}
	finish_wait(sk_sleep(sk), &wait);
	return timeo;
}

/* DIVERGES: paged data (@data_len) is allocated in the linear part, as ulnet skbs have no
 * page fragments. */
struct sk_buff *sock_alloc_send_pskb(struct sock *sk, unsigned long header_len,
				     unsigned long data_len, int noblock, int *errcode)
{
	struct sk_buff *skb;
	long timeo;
	int err;
	unsigned int guard = 0;

	timeo = sock_sndtimeo(sk, noblock);
	for (;;) {
		err = sock_error(sk);
		if (err != 0)
			goto failure;
		err = -EPIPE;
		if (sk->sk_shutdown & SEND_SHUTDOWN)
			goto failure;
		if (atomic_read(&sk->sk_wmem_alloc) < sk->sk_sndbuf) {
			skb = alloc_skb((unsigned int)(header_len + data_len), sk->sk_allocation);
			if (skb)
				break;
			err = -ENOBUFS;
			goto failure;
		}
		set_bit(SOCK_ASYNC_NOSPACE, &sk->sk_socket->flags);
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		err = -EAGAIN;
		if (!timeo || ++guard > 1000000)
			goto failure;
		if (signal_pending(current))
			goto interrupted;
		timeo = sock_wait_for_wmem(sk, timeo);
	}
	skb_set_owner_w(skb, sk);
	return skb;

interrupted:
	err = sock_intr_errno(timeo);
failure:
	*errcode = err;
	return NULL;
}

struct sk_buff *sock_alloc_send_skb(struct sock *sk, unsigned long size, int noblock,
				    int *errcode)
{
	return sock_alloc_send_pskb(sk, size, 0, noblock, errcode);
}

/* ------------------------------------------------------------------------------------------
 * Protocol memory (tcp_mem / udp_mem). */

static long sk_prot_mem_limits(const struct sock *sk, int index)
{
	return sk->sk_prot->sysctl_mem[index];
}

static bool sk_under_memory_pressure(const struct sock *sk)
{
	return sk->sk_prot->memory_pressure && *sk->sk_prot->memory_pressure;
}

static void sk_leave_memory_pressure(struct sock *sk)
{
	int *memory_pressure = sk->sk_prot->memory_pressure;

	if (memory_pressure && *memory_pressure)
		*memory_pressure = 0;
}

static void sk_enter_memory_pressure(struct sock *sk)
{
	if (!sk->sk_prot->enter_memory_pressure)
		return;
	sk->sk_prot->enter_memory_pressure(sk);
}

/* Reserve sk_mem_pages(@size) quanta for @sk from its protocol's pool. 1 if allowed. */
int __sk_mem_schedule(struct sock *sk, int size, int kind)
{
	struct proto *prot = sk->sk_prot;
	int amt = sk_mem_pages(size);
	long allocated;

	sk->sk_forward_alloc += amt * SK_MEM_QUANTUM;
	allocated = atomic_long_read(prot->memory_allocated) + amt;
	atomic_long_add(amt, prot->memory_allocated);

	/* Under limit. */
	if (allocated <= sk_prot_mem_limits(sk, 0)) {
		sk_leave_memory_pressure(sk);
		return 1;
	}
	/* Under pressure. */
	if (allocated > sk_prot_mem_limits(sk, 1))
		sk_enter_memory_pressure(sk);
	/* Over hard limit. */
	if (allocated > sk_prot_mem_limits(sk, 2))
		goto suppress_allocation;

	/* Guarantee the minimum buffer size under pressure. */
	if (kind == SK_MEM_RECV) {
		if (atomic_read(&sk->sk_rmem_alloc) < prot->sysctl_rmem[0])
			return 1;
	} else { /* SK_MEM_SEND */
		if (sk->sk_type == SOCK_STREAM) {
			if (sk->sk_wmem_queued < prot->sysctl_wmem[0])
				return 1;
		} else if (atomic_read(&sk->sk_wmem_alloc) < prot->sysctl_wmem[0]) {
			return 1;
		}
	}
	if (prot->memory_pressure) {
		long alloc;

		if (!sk_under_memory_pressure(sk))
			return 1;
		alloc = prot->sockets_allocated ? atomic_long_read(prot->sockets_allocated) : 0;
		if (alloc < 0)
			alloc = 0;
		if (sk_prot_mem_limits(sk, 2) >
		    alloc * sk_mem_pages(sk->sk_wmem_queued + atomic_read(&sk->sk_rmem_alloc) +
					 sk->sk_forward_alloc))
			return 1;
	}

suppress_allocation:
	if (kind == SK_MEM_SEND && sk->sk_type == SOCK_STREAM) {
		sk_stream_moderate_sndbuf(sk);
		/* Fail only if socket is _bigger_ than its sndbuf, not its forward alloc */
		if (sk->sk_wmem_queued + size >= sk->sk_sndbuf)
			return 1;
	}
	/* Alas. Undo changes. */
	sk->sk_forward_alloc -= amt * SK_MEM_QUANTUM;
	atomic_long_sub(amt, prot->memory_allocated);
	return 0;
}

void __sk_mem_reclaim(struct sock *sk)
{
	atomic_long_sub(sk->sk_forward_alloc >> SK_MEM_QUANTUM_SHIFT,
			sk->sk_prot->memory_allocated);
	sk->sk_forward_alloc &= SK_MEM_QUANTUM - 1;
	if (sk_under_memory_pressure(sk) &&
	    sk_memory_allocated(sk) < sk_prot_mem_limits(sk, 0))
		sk_leave_memory_pressure(sk);
}

/* ------------------------------------------------------------------------------------------
 * Cached routes. */

struct dst_entry *__sk_dst_get(struct sock *sk)
{
	return sk->sk_dst_cache;
}

struct dst_entry *sk_dst_get(struct sock *sk)
{
	struct dst_entry *dst;

	spin_lock(&sk->sk_dst_lock);
	dst = sk->sk_dst_cache;
	if (dst)
		dst_hold(dst);
	spin_unlock(&sk->sk_dst_lock);
	return dst;
}

void __sk_dst_set(struct sock *sk, struct dst_entry *dst)
{
	struct dst_entry *old_dst = sk->sk_dst_cache;

	sk->sk_dst_cache = dst;
	if (old_dst)
		dst_release(old_dst);
}

void sk_dst_set(struct sock *sk, struct dst_entry *dst)
{
	spin_lock(&sk->sk_dst_lock);
	__sk_dst_set(sk, dst);
	spin_unlock(&sk->sk_dst_lock);
}

void __sk_dst_reset(struct sock *sk)
{
	__sk_dst_set(sk, NULL);
}

void sk_dst_reset(struct sock *sk)
{
	spin_lock(&sk->sk_dst_lock);
	__sk_dst_set(sk, NULL);
	spin_unlock(&sk->sk_dst_lock);
}

struct dst_entry *__sk_dst_check(struct sock *sk, u32 cookie)
{
	struct dst_entry *dst = __sk_dst_get(sk);

	if (dst && dst->obsolete && dst->ops->check(dst, cookie) == NULL) {
		sk->sk_dst_cache = NULL;
		dst_release(dst);
		return NULL;
	}
	return dst;
}

struct dst_entry *sk_dst_check(struct sock *sk, u32 cookie)
{
	struct dst_entry *dst = sk_dst_get(sk);

	if (dst && dst->obsolete && dst->ops->check(dst, cookie) == NULL) {
		sk_dst_reset(sk);
		dst_release(dst);
		return NULL;
	}
	return dst;
}

void sk_setup_caps(struct sock *sk, struct dst_entry *dst)
{
	__sk_dst_set(sk, dst);
	sk->sk_route_caps = dst->dev ? dst->dev->features : 0;
	/* 3.10: a device with NETIF_F_GSO gets every software GSO type: what it cannot
	 * segment, dev_hard_start_xmit segments (skb_gso_segment). */
	if (sk->sk_route_caps & NETIF_F_GSO)
		sk->sk_route_caps |= NETIF_F_GSO_SOFTWARE;
	sk->sk_gso_max_size = 0;
	sk->sk_gso_max_segs = 0;
	if (dst->dev && net_gso_ok(sk->sk_route_caps, sk->sk_gso_type)) {
		if (dst->header_len) {
			sk->sk_route_caps &= ~NETIF_F_GSO_MASK;
		} else {
			sk->sk_route_caps |= NETIF_F_SG | NETIF_F_HW_CSUM;
			sk->sk_gso_max_size = dst->dev->gso_max_size;
			sk->sk_gso_max_segs = dst->dev->gso_max_segs;
		}
	}
}

/* ------------------------------------------------------------------------------------------
 * SOL_SOCKET options. */

static int sock_set_timeout(long *timeo_p, const char *optval, unsigned int optlen)
{
	struct timeval tv;

	if (optlen < sizeof(tv))
		return -EINVAL;
	if (!optval)
		return -EFAULT;
	memcpy(&tv, optval, sizeof(tv));
	if (tv.tv_usec < 0 || tv.tv_usec >= USEC_PER_SEC)
		return -EDOM;
	if (tv.tv_sec < 0) {
		/* 3.10 warns (rate limited) and treats it as "return at once". */
		*timeo_p = 0;
		return 0;
	}
	*timeo_p = MAX_SCHEDULE_TIMEOUT;
	if (tv.tv_sec == 0 && tv.tv_usec == 0)
		return 0;
	if (tv.tv_sec < (MAX_SCHEDULE_TIMEOUT / HZ - 1))
		*timeo_p = (long)(tv.tv_sec * HZ + (tv.tv_usec + (1000000 / HZ - 1)) /
						       (1000000 / HZ));
	return 0;
}

int sock_setsockopt(struct socket *sock, int level, int optname, char *optval,
		    unsigned int optlen)
{
	struct sock *sk = sock->sk;
	int val, valbool, ret = 0;
	struct sock_rare *r;
	struct linger ling;

	if (optlen < sizeof(int))
		return -EINVAL;
	if (!optval)
		return -EFAULT;
	memcpy(&val, optval, sizeof(int));
	valbool = val ? 1 : 0;

	lock_sock(sk);
	switch (optname) {
	case SO_DEBUG:
		sock_valbool_flag(sk, SOCK_DBG, valbool);
		break;
	case SO_REUSEADDR:
		sk->sk_reuse = (valbool ? 1 : 0);	/* SK_CAN_REUSE */
		break;
	case SO_REUSEPORT:
		sk->sk_reuseport = valbool;
		break;
	case SO_TYPE:
	case SO_PROTOCOL:
	case SO_DOMAIN:
	case SO_ERROR:
		ret = -ENOPROTOOPT;
		break;
	case SO_DONTROUTE:
		sock_valbool_flag(sk, SOCK_LOCALROUTE, valbool);
		break;
	case SO_BROADCAST:
		sock_valbool_flag(sk, SOCK_BROADCAST, valbool);
		break;
	case SO_SNDBUF:
		/* Don't error on this BSD doesn't and if you think about it this is right.
		 * Otherwise apps have to play 'guess the biggest size' games. RCVBUF/SNDBUF are
		 * treated in BSD as hints. The value is doubled: the kernel counts its own
		 * overhead (struct sk_buff) against the buffer (socket(7)). */
		val = min_t(u32, (u32)val, sysctl_wmem_max);
		sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
		sk->sk_sndbuf = max_t(int, val * 2, SOCK_MIN_SNDBUF);
		/* Wake up sending tasks if we upped the value. */
		sk->sk_write_space(sk);
		break;
	case SO_RCVBUF:
		val = min_t(u32, (u32)val, sysctl_rmem_max);
		sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
		/* We double it on the way in to account for "struct sk_buff" etc. overhead.
		 * Applications assume that the SO_RCVBUF setting they make will allow that much
		 * actual data to be received on that socket. */
		sk->sk_rcvbuf = max_t(int, val * 2, SOCK_MIN_RCVBUF);
		break;
	case SO_KEEPALIVE:
		/* TCP arms or stops its keepalive timer (weak: a program without TCP links
		 * none), for others it is a flag. */
		if (sk->sk_protocol == IPPROTO_TCP && sk->sk_type == SOCK_STREAM && tcp_set_keepalive)
			tcp_set_keepalive(sk, valbool);
		sock_valbool_flag(sk, SOCK_KEEPOPEN, valbool);
		break;
	case SO_OOBINLINE:
		sock_valbool_flag(sk, SOCK_URGINLINE, valbool);
		break;
	case SO_NO_CHECK:
		sk->sk_no_check = (unsigned int)valbool;
		break;
	case SO_PRIORITY:
		/* Values above 6 need CAP_NET_ADMIN: ulnet's tasks have it. */
		if (val || sk->sk_rare) {
			r = sk_rare_alloc(sk, sk->sk_allocation);
			if (!r) {
				ret = -ENOMEM;
				break;
			}
			r->priority = (u32)val;
		}
		break;
	case SO_LINGER:
		if (optlen < sizeof(ling)) {
			ret = -EINVAL;
			break;
		}
		memcpy(&ling, optval, sizeof(ling));
		if (!ling.l_onoff) {
			sock_reset_flag(sk, SOCK_LINGER);
		} else {
			/* (3.10 caps at MAX_SCHEDULE_TIMEOUT: never reached with 64-bit
			 * jiffies.) */
			unsigned long t = (unsigned long)(unsigned int)ling.l_linger * HZ;

			if (t || sk->sk_rare) {
				r = sk_rare_alloc(sk, sk->sk_allocation);
				if (!r) {
					ret = -ENOMEM;
					break;
				}
				r->lingertime = t;
			}
			sock_set_flag(sk, SOCK_LINGER);
		}
		break;
	case SO_TIMESTAMP:
	case SO_TIMESTAMPNS:
		if (valbool) {
			sock_valbool_flag(sk, SOCK_RCVTSTAMPNS, optname == SO_TIMESTAMPNS);
			sock_set_flag(sk, SOCK_RCVTSTAMP);
			sock_enable_timestamp(sk, SOCK_TIMESTAMP);
		} else {
			sock_reset_flag(sk, SOCK_RCVTSTAMP);
			sock_reset_flag(sk, SOCK_RCVTSTAMPNS);
		}
		break;
	case SO_RCVLOWAT:
		if (val < 0)
			val = 0x7fffffff;
		if (val == 0)
			val = 1;
		if (val != 1 || sk->sk_rare) {
			r = sk_rare_alloc(sk, sk->sk_allocation);
			if (!r) {
				ret = -ENOMEM;
				break;
			}
			r->rcvlowat = val;
		}
		break;
	case SO_RCVTIMEO:
	case SO_SNDTIMEO: {
		long timeo;

		ret = sock_set_timeout(&timeo, optval, optlen);
		if (ret || (timeo == MAX_SCHEDULE_TIMEOUT && !sk->sk_rare))
			break;
		r = sk_rare_alloc(sk, sk->sk_allocation);
		if (!r) {
			ret = -ENOMEM;
			break;
		}
		if (optname == SO_RCVTIMEO)
			r->rcvtimeo = timeo;
		else
			r->sndtimeo = timeo;
		break;
	}
	case SO_PASSCRED:
		/* AF_UNIX: attach the sender's credentials to what we receive. */
		if (valbool)
			set_bit(SOCK_PASSCRED, &sock->flags);
		else
			clear_bit(SOCK_PASSCRED, &sock->flags);
		break;
	case SO_MARK:
		sk->sk_mark = (u32)val;
		break;
	case SO_RXQ_OVFL:
		sock_valbool_flag(sk, SOCK_RXQ_OVFL, valbool);
		break;
	case SO_PEEK_OFF:
		if (sock->ops->set_peek_off)
			sock->ops->set_peek_off(sk, val);
		else
			ret = -EOPNOTSUPP;
		break;
	case SO_BINDTODEVICE:
		/* SO_BINDTODEVICE takes an interface name (sock_bindtodevice). */
		ret = -ENOPROTOOPT;
		pr_info("setsockopt: SO_BINDTODEVICE is not implemented yet\n");
		break;
	default:
		ret = -ENOPROTOOPT;
		break;
	}
	release_sock(sk);
	return ret;
}

static void sock_get_timeout(long timeo, struct timeval *tv)
{
	if (timeo == MAX_SCHEDULE_TIMEOUT) {
		tv->tv_sec = 0;
		tv->tv_usec = 0;
	} else {
		tv->tv_sec = timeo / HZ;
		tv->tv_usec = ((timeo % HZ) * 1000000) / HZ;
	}
}

int sock_getsockopt(struct socket *sock, int level, int optname, char *optval, int *optlen)
{
	struct sock *sk = sock->sk;
	union {
		int val;
		struct linger ling;
		struct timeval tm;
		struct ucred peercred;
	} v;
	int lv = sizeof(int);
	int len;

	len = *optlen;
	if (len < 0)
		return -EINVAL;
	memset(&v, 0, sizeof(v));

	switch (optname) {
	case SO_DEBUG:
		v.val = sock_flag(sk, SOCK_DBG);
		break;
	case SO_DONTROUTE:
		v.val = sock_flag(sk, SOCK_LOCALROUTE);
		break;
	case SO_BROADCAST:
		v.val = sock_flag(sk, SOCK_BROADCAST);
		break;
	case SO_SNDBUF:
		v.val = sk->sk_sndbuf;
		break;
	case SO_RCVBUF:
		v.val = sk->sk_rcvbuf;
		break;
	case SO_REUSEADDR:
		v.val = sk->sk_reuse;
		break;
	case SO_REUSEPORT:
		v.val = sk->sk_reuseport;
		break;
	case SO_KEEPALIVE:
		v.val = sock_flag(sk, SOCK_KEEPOPEN);
		break;
	case SO_TYPE:
		v.val = (int)sk->sk_type;
		break;
	case SO_PROTOCOL:
		v.val = (int)sk->sk_protocol;
		break;
	case SO_DOMAIN:
		v.val = sk->sk_family;
		break;
	case SO_ERROR:
		v.val = -sock_error(sk);
		if (v.val == 0)
			v.val = __atomic_exchange_n(&sk->sk_err_soft, 0, __ATOMIC_SEQ_CST);
		break;
	case SO_OOBINLINE:
		v.val = sock_flag(sk, SOCK_URGINLINE);
		break;
	case SO_NO_CHECK:
		v.val = (int)sk->sk_no_check;
		break;
	case SO_PRIORITY:
		v.val = (int)sock_priority(sk);
		break;
	case SO_LINGER:
		lv = sizeof(v.ling);
		v.ling.l_onoff = sock_flag(sk, SOCK_LINGER);
		v.ling.l_linger = (int)(sock_lingertime(sk) / HZ);
		break;
	case SO_TIMESTAMP:
		v.val = sock_flag(sk, SOCK_RCVTSTAMP) && !sock_flag(sk, SOCK_RCVTSTAMPNS);
		break;
	case SO_TIMESTAMPNS:
		v.val = sock_flag(sk, SOCK_RCVTSTAMPNS);
		break;
	case SO_RCVTIMEO:
		lv = sizeof(struct timeval);
		sock_get_timeout(sock_rcvtimeo(sk, false), &v.tm);
		break;
	case SO_SNDTIMEO:
		lv = sizeof(struct timeval);
		sock_get_timeout(sock_sndtimeo(sk, false), &v.tm);
		break;
	case SO_RCVLOWAT:
		v.val = sock_rcvlowat(sk, 0, INT_MAX);
		break;
	case SO_SNDLOWAT:
		v.val = 1;
		break;
	case SO_PASSCRED:
		v.val = test_bit(SOCK_PASSCRED, &sock->flags);
		break;
	case SO_PEERCRED:
		/* The peer's credentials when it connected (AF_UNIX), else pid 0, uid and gid
		 * -1 (3.10 cred_to_ucred without a cred). A short buffer gets a prefix. */
		lv = sizeof(v.peercred);
		/* Only AF_UNIX records credentials (struct unix_sock); others read "none". */
		if (sk->sk_family == AF_UNIX && unix_sk(sk)->sk_peer_cred_set) {
			v.peercred.pid = unix_sk(sk)->sk_peer_pid;
			v.peercred.uid = unix_sk(sk)->sk_peer_uid;
			v.peercred.gid = unix_sk(sk)->sk_peer_gid;
		} else {
			v.peercred.pid = 0;
			v.peercred.uid = (uid_t)-1;
			v.peercred.gid = (gid_t)-1;
		}
		break;
	case SO_ACCEPTCONN:
		v.val = sk->sk_state == TCP_LISTEN;
		break;
	case SO_MARK:
		v.val = (int)sk->sk_mark;
		break;
	case SO_RXQ_OVFL:
		v.val = sock_flag(sk, SOCK_RXQ_OVFL);
		break;
	case SO_PEEK_OFF:
		if (!sock->ops->set_peek_off)
			return -EOPNOTSUPP;
		v.val = sk_peek_off_get(sk);
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (len > lv)
		len = lv;
	if (len && !optval)
		return -EFAULT;
	memcpy(optval, &v, (size_t)len);
	*optlen = len;
	return 0;
}

int sock_common_getsockopt(struct socket *sock, int level, int optname, char *optval,
			   int *optlen)
{
	struct sock *sk = sock->sk;

	return sk->sk_prot->getsockopt(sk, level, optname, optval, optlen);
}

int sock_common_setsockopt(struct socket *sock, int level, int optname, char *optval,
			   unsigned int optlen)
{
	struct sock *sk = sock->sk;

	return sk->sk_prot->setsockopt(sk, level, optname, optval, optlen);
}

int sock_common_recvmsg(struct kiocb *iocb, struct socket *sock, struct msghdr *msg,
			size_t size, int flags)
{
	struct sock *sk = sock->sk;
	int addr_len = 0;
	int err;

	err = sk->sk_prot->recvmsg(iocb, sk, msg, size, flags & MSG_DONTWAIT,
				   flags & ~MSG_DONTWAIT, &addr_len);
	if (err >= 0)
		msg->msg_namelen = (socklen_t)addr_len;
	return err;
}

void sock_enable_timestamp(struct sock *sk, int flag)
{
	if (!sock_flag(sk, (enum sock_flags)flag)) {
		sock_set_flag(sk, (enum sock_flags)flag);
		/* (3.10 also counts SOCK_TIMESTAMPING_RX_SOFTWARE here; ulnet has no
		 * SO_TIMESTAMPING.) */
		net_enable_timestamp();
	}
}

/* (3.10: net/socket.c.) Context: process, the packet being read. */
void __sock_recv_timestamp(struct msghdr *msg, struct sock *sk, struct sk_buff *skb)
{
	/* Stamping was turned on after this packet arrived: stamp it now. */
	if (!skb->tstamp)
		skb->tstamp = ktime_get_real();
	if (!sock_flag(sk, SOCK_RCVTSTAMPNS)) {
		struct timeval tv;

		tv.tv_sec = (time_t)(skb->tstamp / NSEC_PER_SEC);
		tv.tv_usec = (suseconds_t)((skb->tstamp % NSEC_PER_SEC) / NSEC_PER_USEC);
		put_cmsg(msg, SOL_SOCKET, SCM_TIMESTAMP, sizeof(tv), &tv);
	} else {
		struct timespec ts;

		ts.tv_sec = (time_t)(skb->tstamp / NSEC_PER_SEC);
		ts.tv_nsec = (long)(skb->tstamp % NSEC_PER_SEC);
		put_cmsg(msg, SOL_SOCKET, SCM_TIMESTAMPNS, sizeof(ts), &ts);
	}
}

void sock_recv_ts_and_drops(struct msghdr *msg, struct sock *sk, struct sk_buff *skb)
{
	sock_recv_timestamp(msg, sk, skb);
	/* sock_recv_drops: how many the socket had dropped when this one was queued. */
	if (sock_flag(sk, SOCK_RXQ_OVFL) && skb->dropcount)
		put_cmsg(msg, SOL_SOCKET, SO_RXQ_OVFL, sizeof(__u32), &skb->dropcount);
}

/* ------------------------------------------------------------------------------------------
 * proto_ops stubs. */

int sock_no_bind(struct socket *sock, struct sockaddr *saddr, int len)
{
	return -EOPNOTSUPP;
}

int sock_no_connect(struct socket *sock, struct sockaddr *saddr, int len, int flags)
{
	return -EOPNOTSUPP;
}

int sock_no_socketpair(struct socket *sock1, struct socket *sock2)
{
	return -EOPNOTSUPP;
}

int sock_no_accept(struct socket *sock, struct socket *newsock, int flags)
{
	return -EOPNOTSUPP;
}

int sock_no_getname(struct socket *sock, struct sockaddr *saddr, int *len, int peer)
{
	return -EOPNOTSUPP;
}

unsigned int sock_no_poll(struct file *file, struct socket *sock, struct poll_table_struct *pt)
{
	return 0;
}

int sock_no_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	return -EOPNOTSUPP;
}

int sock_no_listen(struct socket *sock, int backlog)
{
	return -EOPNOTSUPP;
}

int sock_no_shutdown(struct socket *sock, int how)
{
	return -EOPNOTSUPP;
}

int sock_no_setsockopt(struct socket *sock, int level, int optname, char *optval,
		       unsigned int optlen)
{
	return -EOPNOTSUPP;
}

int sock_no_getsockopt(struct socket *sock, int level, int optname, char *optval, int *optlen)
{
	return -EOPNOTSUPP;
}

int sock_no_sendmsg(struct kiocb *iocb, struct socket *sock, struct msghdr *m, size_t len)
{
	return -EOPNOTSUPP;
}

int sock_no_recvmsg(struct kiocb *iocb, struct socket *sock, struct msghdr *m, size_t len,
		    int flags)
{
	return -EOPNOTSUPP;
}

/* ------------------------------------------------------------------------------------------
 * Boot. */

int sk_init(void)
{
	int err;

	memset(proto_inuse_idx, 0, sizeof(proto_inuse_idx));
	/* The last slot is the shared one of protocols that run out of slots. */
	__set_bit(PROTO_INUSE_NR - 1, proto_inuse_idx);
	INIT_LIST_HEAD(&proto_list);
	atomic_long_set(&sk_in_use, 0);
	err = sk_rare_cache_init();
	if (err)
		return err;
	err = register_pernet_subsys(&proto_net_ops);
	if (err)
		sk_rare_cache_fini();
	return err;
}

void sk_fini(void)
{
	unregister_pernet_subsys(&proto_net_ops);
	if (atomic_long_read(&sk_in_use)) {
		/* Their blocks stay valid: the cache is left (a leak already reported). */
		pr_warn("sk_fini: %ld socks still allocated\n", atomic_long_read(&sk_in_use));
		return;
	}
	sk_rare_cache_fini();
}
