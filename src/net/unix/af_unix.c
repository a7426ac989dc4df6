/* SPDX-License-Identifier: MIT */
/* AF_UNIX: stream, datagram and seqpacket sockets between tasks of one namespace, with no
 * network stack in between (book ch5/ch9: the alternative to loopback TCP), passing open
 * files and credentials.
 * Mirrors linux/net/unix/af_unix.c (3.10): unix_create, unix_create1, unix_release,
 * unix_release_sock, unix_sock_destructor, unix_mkname, unix_autobind, unix_bind,
 * unix_find_other, __unix_find_socket_byname, unix_listen, unix_stream_connect,
 * unix_accept, unix_socketpair, unix_getname, unix_dgram_connect, unix_stream_sendmsg,
 * unix_stream_recvmsg, unix_stream_data_wait, unix_dgram_sendmsg, unix_dgram_recvmsg,
 * unix_seqpacket_sendmsg, unix_seqpacket_recvmsg, unix_wait_for_peer, unix_shutdown,
 * unix_ioctl, unix_poll, unix_dgram_poll, unix_write_space, unix_writable, init_peercred,
 * copy_peercred, unix_attach_fds, unix_detach_fds, unix_destruct_scm, unix_scm_to_skb,
 * maybe_add_creds, unix_seq_show (/proc/net/unix), af_unix_init.
 *
 * Data path: a sender allocates an skb charged to its own send buffer
 * (sock_alloc_send_skb: blocks while sk_wmem_alloc is above sk_sndbuf), copies the data in
 * and queues the skb straight on the peer's receive queue, then calls the peer's
 * sk_data_ready. The receiver copies out and frees the skb, which gives the sender its
 * buffer back (sock_wfree -> unix_write_space). One copy in, one copy out, no headers, no
 * routing, no softirq: that is why AF_UNIX beats loopback TCP.
 * Passing files (SCM_RIGHTS, net/core/scm.c): the sender's files go on the first skb of the
 * write (UNIXCB(skb).fp, with their own references); sockets among them are "in flight"
 * (garbage.c counts them, and collects cycles of sockets queued in each other); the
 * receiver gets them as new fds (scm_detach_fds), or they are put when the skb is freed
 * (unix_destruct_scm). A socket carrying sockets more than MAX_RECURSION_LEVEL (4) deep
 * cannot be sent (ETOOMANYREFS). SOCK_SEQPACKET connects as a stream and moves records as
 * datagrams (unix_seqpacket_ops).
 * Connections: connect() makes the server-side sock itself (an "embryo"), links the two
 * as peers and queues a 1-byte skb owned by the embryo on the listener's receive queue;
 * accept() takes that skb and grafts the embryo onto the new socket. The listener's
 * backlog is its receive queue length (unix_recvq_full).
 *
 * Names (unix_mkname): a path ("/tmp/s", NUL-terminated at the first NUL) or an abstract
 * name (sun_path[0] == 0, every byte of the given length counts). Both live in the global
 * unix_socket_table, hashed, and match only sockets of the same namespace; abstract names
 * also only of the same type. bind() with only the family (addrlen 2) autobinds to an
 * abstract "\0XXXXX" name.
 * DIVERGES: ulnet has no filesystem: a path name is an entry in that table (per
 * namespace) rather than a socket inode on disk. It goes when the socket closes, so a path
 * can be bound again without unlink(2), and connecting to a path whose socket closed gives
 * ENOENT (Linux: ECONNREFUSED from the leftover socket file). net.unix.max_dgram_qlen is
 * the 3.10 default (10) but not a sysctl yet. Credentials (SCM_CREDENTIALS, SO_PEERCRED,
 * UNIXCB) are plain ids, not struct pid / struct cred references, and every task is root
 * (uid 0, gid 0: net/scm.h). unix_dgram_poll does not hook the
 * peer's peer_wait (3.10's hook there is the source of a later-fixed use-after-free): a
 * poller is not woken when a full peer queue drains.
 *
 * LOCKING: unix_table_lock guards unix_socket_table (names, /proc/net/unix);
 * unix_state_lock (u->lock) guards a socket's peer, state and shutdown bits; to lock two
 * sockets, the one being connected is locked first. u->readlock (a mutex) serialises stream
 * readers, as 3.10. */
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/un.h>
#include "linux/errno.h"
#include "linux/fs.h"
#include "linux/kernel.h"
#include "linux/net.h"
#include "linux/poll.h"
#include "linux/sched.h"
#include "linux/seq_file.h"
#include "linux/skbuff.h"
#include "linux/slab.h"
#include "linux/socket.h"
#include "net/af_unix.h"
#include "net/checksum.h"
#include "net/net_namespace.h"
#include "net/scm.h"
#include "net/sock.h"
#include "net/tcp_states.h"

#ifndef SIOCINQ
#define SIOCINQ FIONREAD
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif

/* The table (declared in net/af_unix.h, shared with diag.c). */
struct hlist_head unix_socket_table[UNIX_HASH_SIZE + 1];
DEFINE_SPINLOCK(unix_table_lock);
static atomic_long_t unix_nr_socks;
static unsigned int unix_autobind_ordernum;
bool unix_ready;

static struct proto unix_proto;
static const struct proto_ops unix_stream_ops;
static const struct proto_ops unix_dgram_ops;
static const struct proto_ops unix_seqpacket_ops;


static inline unsigned int unix_hash_fold(__wsum n)
{
	unsigned int hash = (unsigned int)n;

	hash ^= hash >> 16;
	hash ^= hash >> 8;
	return hash & (UNIX_HASH_SIZE - 1);
}

static inline void unix_release_addr(struct unix_address *addr)
{
	if (atomic_dec_and_test(&addr->refcnt))
		kfree(addr);
}

static struct sock *unix_peer_get(struct sock *s)
{
	struct sock *peer;

	unix_state_lock(s);
	peer = unix_peer(s);
	if (peer)
		sock_hold(peer);
	unix_state_unlock(s);
	return peer;
}

static inline int unix_our_peer(struct sock *sk, struct sock *osk)
{
	return unix_peer(osk) == sk;
}

static inline int unix_may_send(struct sock *sk, struct sock *osk)
{
	return unix_peer(osk) == NULL || unix_our_peer(sk, osk);
}

static inline int unix_recvq_full(struct sock const *sk)
{
	return skb_queue_len(&sk->sk_receive_queue) > sk->sk_max_ack_backlog;
}

/* Check the name, NUL-terminate a path (the buffer has room: sockaddr_storage), compute
 * the hash of an abstract one. Returns the significant length or -EINVAL. */
static int unix_mkname(struct sockaddr_un *sunaddr, int len, unsigned int *hashp)
{
	if (len <= (int)sizeof(short) || len > (int)sizeof(*sunaddr))
		return -EINVAL;
	if (!sunaddr || sunaddr->sun_family != AF_UNIX)
		return -EINVAL;
	if (sunaddr->sun_path[0]) {
		/* This may look like an off by one error but it is a bit more subtle.
		 * 108 is the longest valid AF_UNIX path for a binding. sun_path[108] doesn't
		 * as such exist. However in kernel space we are guaranteed that it is a valid
		 * memory location in our kernel address buffer. */
		((char *)sunaddr)[len] = 0;
		len = (int)strlen(sunaddr->sun_path) + 1 + (int)sizeof(short);
		/* DIVERGES: paths hash by their bytes (no inode). */
		*hashp = unix_hash_fold(csum_partial(sunaddr, len, 0));
		return len;
	}
	*hashp = unix_hash_fold(csum_partial(sunaddr, len, 0));
	return len;
}

/* The table holds a reference on each socket in it (sk_add_node), as 3.10: a bound
 * socket shows RefCount 2 in /proc/net/unix. */
static void __unix_remove_socket(struct sock *sk)
{
	sk_del_node_init(sk);
}

static void __unix_insert_socket(struct hlist_head *list, struct sock *sk)
{
	WARN_ON(!sk_unhashed(sk));
	sk_add_node(sk, list);
}

static void unix_remove_socket(struct sock *sk)
{
	spin_lock(&unix_table_lock);
	__unix_remove_socket(sk);
	spin_unlock(&unix_table_lock);
}

static void unix_insert_socket(struct hlist_head *list, struct sock *sk)
{
	spin_lock(&unix_table_lock);
	__unix_insert_socket(list, sk);
	spin_unlock(&unix_table_lock);
}

/* The socket bound to @sunname in @net. Abstract names match the type too (the hash
 * folds it in, as 3.10's hash ^ type). Caller holds unix_table_lock. */
static struct sock *__unix_find_socket_byname(struct net *net, struct sockaddr_un *sunname,
					      int len, int type, unsigned int hash)
{
	struct sock *s;

	sk_for_each(s, &unix_socket_table[hash]) {
		struct unix_sock *u = unix_sk(s);

		if (!net_eq(sock_net(s), net))
			continue;
		if (u->addr->len == len && !memcmp(u->addr->name, sunname, (size_t)len))
			return s;
	}
	return NULL;
}

static struct sock *unix_find_socket_byname(struct net *net, struct sockaddr_un *sunname,
					    int len, int type, unsigned int hash)
{
	struct sock *s;

	spin_lock(&unix_table_lock);
	s = __unix_find_socket_byname(net, sunname, len, type, hash);
	if (s)
		sock_hold(s);
	spin_unlock(&unix_table_lock);
	return s;
}

/* The socket a connect/sendto names, with a reference: -ENOENT (no such path),
 * -EPROTOTYPE (a path bound by a socket of another type), -ECONNREFUSED (no such abstract
 * name). */
static struct sock *unix_find_other(struct net *net, struct sockaddr_un *sunname, int len,
				    int type, unsigned int hash, int *error)
{
	struct sock *u;

	if (unix_is_path(sunname)) {
		u = unix_find_socket_byname(net, sunname, len, type, hash);
		if (!u) {
			*error = -ENOENT;
			return NULL;
		}
		if (u->sk_type != type) {
			sock_put(u);
			*error = -EPROTOTYPE;
			return NULL;
		}
		return u;
	}
	u = unix_find_socket_byname(net, sunname, len, type, hash ^ (unsigned int)type);
	if (!u) {
		*error = -ECONNREFUSED;
		return NULL;
	}
	return u;
}

/* ------------------------------------------------------------------------------------------
 * Wakeups. */

static int unix_writable(const struct sock *sk)
{
	return (atomic_read(&sk->sk_wmem_alloc) << 2) <= sk->sk_sndbuf;
}

/* sk_write_space: the receiver freed one of our skbs. Context: any. */
static void unix_write_space(struct sock *sk)
{
	struct socket_wq *wq;

	rcu_read_lock();
	if (unix_writable(sk)) {
		wq = rcu_dereference(sk->sk_wq);
		if (wq_has_sleeper(wq))
			wake_up_interruptible_sync_poll(&wq->wait,
							POLLOUT | POLLWRNORM | POLLWRBAND);
		sk_wake_async(sk, SOCK_WAKE_SPACE, POLL_OUT);
	}
	rcu_read_unlock();
}

/* Wait for room in @other's queue (a datagram sender, a connecting stream). Returns the
 * time left. Called with @other's state lock held; drops it. */
static long unix_wait_for_peer(struct sock *other, long timeo)
{
	struct unix_sock *u = unix_sk(other);
	int sched;
	DEFINE_WAIT(wait);

	prepare_to_wait_exclusive(&u->peer_wait, &wait, TASK_INTERRUPTIBLE);
	sched = !sock_flag(other, SOCK_DEAD) && !(other->sk_shutdown & RCV_SHUTDOWN) &&
		unix_recvq_full(other);
	unix_state_unlock(other);
	if (sched)
		timeo = schedule_timeout(timeo);
	finish_wait(&u->peer_wait, &wait);
	return timeo;
}

/* ------------------------------------------------------------------------------------------
 * Creation and release. */

static void unix_sock_destructor(struct sock *sk)
{
	struct unix_sock *u = unix_sk(sk);

	skb_queue_purge(&sk->sk_receive_queue);
	WARN_ON(atomic_read(&sk->sk_wmem_alloc) > 0);
	WARN_ON(!sk_unhashed(sk));
	if (!sock_flag(sk, SOCK_DEAD)) {
		pr_info("Attempt to release alive unix socket: %p\n", sk);
		return;
	}
	if (u->addr)
		unix_release_addr(u->addr);
	u->addr = NULL;
	pthread_mutex_destroy(&u->readlock.m);
	atomic_long_dec(&unix_nr_socks);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
}

/* sock_init_data's callbacks with unix_write_space and unix_sock_destructor. */
static const struct sock_callbacks unix_sock_callbacks = {
	.state_change = sock_def_wakeup,
	.data_ready = sock_def_readable,
	.write_space = unix_write_space,
	.error_report = sock_def_error_report,
	.destruct = unix_sock_destructor,
};

static void unix_release_sock(struct sock *sk, int embrion)
{
	struct unix_sock *u = unix_sk(sk);
	struct sock *skpair;
	struct sk_buff *skb;
	int state;

	unix_remove_socket(sk);

	/* Clear state */
	unix_state_lock(sk);
	sock_orphan(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	skpair = unix_peer(sk);
	unix_peer(sk) = NULL;
	state = sk->sk_state;
	sk->sk_state = TCP_CLOSE;
	unix_state_unlock(sk);

	wake_up_interruptible_all(&u->peer_wait);

	if (skpair != NULL) {
		if (sk->sk_type == SOCK_STREAM || sk->sk_type == SOCK_SEQPACKET) {
			unix_state_lock(skpair);
			/* No more writes */
			skpair->sk_shutdown = SHUTDOWN_MASK;
			if (!skb_queue_empty(&sk->sk_receive_queue) || embrion)
				skpair->sk_err = ECONNRESET;
			unix_state_unlock(skpair);
			skpair->sk_state_change(skpair);
			sk_wake_async(skpair, SOCK_WAKE_WAITD, POLL_HUP);
		}
		sock_put(skpair); /* It may now die */
	}

	/* Try to flush out this socket. Throw out buffers at least */
	while ((skb = skb_dequeue(&sk->sk_receive_queue)) != NULL) {
		/* A listener's queue holds the embryos of connections never accepted. */
		if (state == TCP_LISTEN)
			unix_release_sock(skb->sk, 1);
		/* passed fds are erased in the kfree_skb hook (unix_destruct_scm) */
		kfree_skb(skb);
	}
	sock_put(sk);

	/* ---- Socket is dead now and most probably destroyed ---- */
	if (unix_tot_inflight)
		unix_gc();		/* Garbage collect fds */
}

/* SO_PEERCRED: the caller's credentials (listen, socketpair, the accepted end of a
 * connect), or those the listener recorded (the connecting end). */
static void init_peercred(struct sock *sk)
{
	struct unix_sock *u = unix_sk(sk);

	ul_current_creds(&u->sk_peer_pid, &u->sk_peer_uid, &u->sk_peer_gid);
	u->sk_peer_cred_set = true;
}

static void copy_peercred(struct sock *sk, struct sock *peersk)
{
	struct unix_sock *u = unix_sk(sk), *peer = unix_sk(peersk);

	u->sk_peer_pid = peer->sk_peer_pid;
	u->sk_peer_uid = peer->sk_peer_uid;
	u->sk_peer_gid = peer->sk_peer_gid;
	u->sk_peer_cred_set = peer->sk_peer_cred_set;
}

static struct sock *unix_create1(struct net *net, struct socket *sock)
{
	struct sock *sk = NULL;
	struct unix_sock *u;

	atomic_long_inc(&unix_nr_socks);
	/* 3.10: more than twice fs.file-max AF_UNIX sockets is refused. */
	if (atomic_long_read(&unix_nr_socks) > 2 * (long)files_stat.max_files)
		goto out;
	sk = sk_alloc(net, PF_UNIX, GFP_KERNEL, &unix_proto);
	if (!sk)
		goto out;
	sock_init_data(sock, sk);
	sk->sk_callbacks = &unix_sock_callbacks;	/* unix_write_space, unix_sock_destructor */
	sk->sk_max_ack_backlog = UNIX_MAX_DGRAM_QLEN;
	u = unix_sk(sk);
	u->addr = NULL;
	u->peer = NULL;
	atomic_long_set(&u->inflight, 0);
	spin_lock_init(&u->lock);
	mutex_init(&u->readlock);
	init_waitqueue_head(&u->peer_wait);
	INIT_LIST_HEAD(&u->link);
	u->gc_flags = 0;
	u->recursion_level = 0;
	sk_node_init(&sk->sk_node);
	unix_insert_socket(unix_sockets_unbound, sk);
out:
	if (sk == NULL)
		atomic_long_dec(&unix_nr_socks);
	else
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	return sk;
}

static int unix_create(struct net *net, struct socket *sock, int protocol, int kern)
{
	if (protocol && protocol != PF_UNIX)
		return -EPROTONOSUPPORT;
	sock->state = SS_UNCONNECTED;
	switch (sock->type) {
	case SOCK_STREAM:
		sock->ops = &unix_stream_ops;
		break;
	case SOCK_RAW:
		/* Believe it or not BSD has AF_UNIX, SOCK_RAW though nothing uses it. */
		sock->type = SOCK_DGRAM;
		/* fall through */
	case SOCK_DGRAM:
		sock->ops = &unix_dgram_ops;
		break;
	case SOCK_SEQPACKET:
		sock->ops = &unix_seqpacket_ops;
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	return unix_create1(net, sock) ? 0 : -ENOMEM;
}

static int unix_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	sock->sk = NULL;
	unix_release_sock(sk, 0);
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * Names. */

static int unix_autobind(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct unix_sock *u = unix_sk(sk);
	struct unix_address *addr;
	unsigned int retries = 0;
	int err = 0;

	mutex_lock(&u->readlock);
	if (u->addr)
		goto out;
	err = -ENOMEM;
	addr = kzalloc(sizeof(*addr) + sizeof(short) + 16, GFP_KERNEL);
	if (!addr)
		goto out;
	addr->name->sun_family = AF_UNIX;
	atomic_set(&addr->refcnt, 1);
retry:
	addr->len = sprintf(addr->name->sun_path + 1, "%05x", unix_autobind_ordernum) + 1 +
		    (int)sizeof(short);
	addr->hash = unix_hash_fold(csum_partial(addr->name, addr->len, 0));

	spin_lock(&unix_table_lock);
	unix_autobind_ordernum = (unix_autobind_ordernum + 1) & 0xFFFFF;
	if (__unix_find_socket_byname(sock_net(sk), addr->name, addr->len, sock->type,
				      addr->hash ^ (unsigned int)sk->sk_type)) {
		spin_unlock(&unix_table_lock);
		/* Give up if all names seem to be in use. */
		if (retries++ == 0xFFFFF) {
			err = -ENOSPC;
			kfree(addr);
			goto out;
		}
		goto retry;
	}
	addr->hash ^= (unsigned int)sk->sk_type;
	__unix_remove_socket(sk);
	u->addr = addr;
	__unix_insert_socket(&unix_socket_table[addr->hash], sk);
	spin_unlock(&unix_table_lock);
	err = 0;
out:
	mutex_unlock(&u->readlock);
	return err;
}

static int unix_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	struct sock *sk = sock->sk;
	struct net *net = sock_net(sk);
	struct unix_sock *u = unix_sk(sk);
	struct sockaddr_un *sunaddr = (struct sockaddr_un *)uaddr;
	struct unix_address *addr;
	unsigned int hash;
	int err;

	err = -EINVAL;
	if (addr_len < (int)offsetof(struct sockaddr_un, sun_path) ||
	    sunaddr->sun_family != AF_UNIX)
		goto out;
	if (addr_len == sizeof(short))
		return unix_autobind(sock);

	err = unix_mkname(sunaddr, addr_len, &hash);
	if (err < 0)
		goto out;
	addr_len = err;

	mutex_lock(&u->readlock);
	err = -EINVAL;
	if (u->addr)
		goto out_up;

	err = -ENOMEM;
	addr = kmalloc(sizeof(*addr) + (size_t)addr_len, GFP_KERNEL);
	if (!addr)
		goto out_up;
	memcpy(addr->name, sunaddr, (size_t)addr_len);
	addr->len = addr_len;
	atomic_set(&addr->refcnt, 1);
	/* Abstract names fold the type into the hash (3.10: hash ^ type), paths do not. */
	addr->hash = unix_is_path(sunaddr) ? hash : hash ^ (unsigned int)sk->sk_type;

	spin_lock(&unix_table_lock);
	/* A path or abstract name taken in this namespace: EADDRINUSE (3.10: mknod's EEXIST
	 * for a path, the table for an abstract name). */
	if (__unix_find_socket_byname(net, sunaddr, addr_len, sk->sk_type, addr->hash)) {
		spin_unlock(&unix_table_lock);
		unix_release_addr(addr);
		err = -EADDRINUSE;
		goto out_up;
	}
	__unix_remove_socket(sk);
	u->addr = addr;
	__unix_insert_socket(&unix_socket_table[addr->hash], sk);
	spin_unlock(&unix_table_lock);
	err = 0;
out_up:
	mutex_unlock(&u->readlock);
out:
	return err;
}

static int unix_getname(struct socket *sock, struct sockaddr *uaddr, int *uaddr_len, int peer)
{
	struct sock *sk = sock->sk;
	struct unix_sock *u;
	struct sockaddr_un *sunaddr = (struct sockaddr_un *)uaddr;
	int err = 0;

	if (peer) {
		sk = unix_peer_get(sk);
		err = -ENOTCONN;
		if (!sk)
			goto out;
		err = 0;
	} else {
		sock_hold(sk);
	}
	u = unix_sk(sk);
	unix_state_lock(sk);
	if (!u->addr) {
		sunaddr->sun_family = AF_UNIX;
		sunaddr->sun_path[0] = 0;
		*uaddr_len = sizeof(short);
	} else {
		*uaddr_len = u->addr->len;
		memcpy(sunaddr, u->addr->name, (size_t)*uaddr_len);
	}
	unix_state_unlock(sk);
	sock_put(sk);
out:
	return err;
}

/* ------------------------------------------------------------------------------------------
 * Connections (stream). */

static int unix_listen(struct socket *sock, int backlog)
{
	int err;
	struct sock *sk = sock->sk;
	struct unix_sock *u = unix_sk(sk);

	err = -EOPNOTSUPP;
	if (sock->type != SOCK_STREAM && sock->type != SOCK_SEQPACKET)
		goto out;	/* Only stream/seqpacket sockets accept */
	err = -EINVAL;
	if (!u->addr)
		goto out;	/* No listens on an unbound socket */
	unix_state_lock(sk);
	if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN)
		goto out_unlock;
	if (backlog > sk->sk_max_ack_backlog)
		wake_up_interruptible_all(&u->peer_wait);
	sk->sk_max_ack_backlog = (unsigned short)backlog;
	sk->sk_state = TCP_LISTEN;
	/* set credentials so connect can copy them */
	init_peercred(sk);
	err = 0;
out_unlock:
	unix_state_unlock(sk);
out:
	return err;
}

static int unix_stream_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len,
			       int flags)
{
	struct sockaddr_un *sunaddr = (struct sockaddr_un *)uaddr;
	struct sock *sk = sock->sk;
	struct net *net = sock_net(sk);
	struct unix_sock *u = unix_sk(sk), *newu, *otheru;
	struct sock *newsk = NULL;
	struct sock *other = NULL;
	struct sk_buff *skb = NULL;
	unsigned int hash;
	int st, err;
	long timeo;
	unsigned int rounds = 0;

	err = unix_mkname(sunaddr, addr_len, &hash);
	if (err < 0)
		goto out;
	addr_len = err;

	if (test_bit(SOCK_PASSCRED, &sock->flags) && !u->addr &&
	    (err = unix_autobind(sock)) != 0)
		goto out;

	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);

	/* First of all allocate resources. If we will make it after state is locked, we
	 * will have to recheck all again in any case. */
	err = -ENOMEM;
	/* create new sock for complete connection */
	newsk = unix_create1(sock_net(sk), NULL);
	if (newsk == NULL)
		goto out;
	/* Allocate skb for sending to listening sock */
	skb = sock_wmalloc(newsk, 1, 0, GFP_KERNEL);
	if (skb == NULL)
		goto out;

restart:
	/*  Find listening sock. */
	other = unix_find_other(net, sunaddr, addr_len, sk->sk_type, hash, &err);
	if (!other)
		goto out;

	/* Latch state of peer */
	unix_state_lock(other);

	/* Apparently VFS overslept socket death. Retry. */
	if (sock_flag(other, SOCK_DEAD)) {
		unix_state_unlock(other);
		sock_put(other);
		if (++rounds > 1000)
			goto out;
		goto restart;
	}

	err = -ECONNREFUSED;
	if (other->sk_state != TCP_LISTEN)
		goto out_unlock;
	if (other->sk_shutdown & RCV_SHUTDOWN)
		goto out_unlock;

	if (unix_recvq_full(other)) {
		err = -EAGAIN;
		if (!timeo)
			goto out_unlock;
		timeo = unix_wait_for_peer(other, timeo);
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			goto out;
		sock_put(other);
		if (++rounds > 1000000)
			goto out;
		goto restart;
	}

	/* Latch our state. It is tricky place. We need to grab our state lock and cannot
	 * drop lock on peer. It is dangerous because deadlock is possible. Connect to self
	 * case and simultaneous attempt to connect are eliminated by checking socket state.
	 * other is TCP_LISTEN, if sk is TCP_LISTEN we check this before attempt to grab
	 * lock. */
	st = sk->sk_state;
	switch (st) {
	case TCP_CLOSE:
		/* This is ok... continue with connect */
		break;
	case TCP_ESTABLISHED:
		/* Socket is already connected */
		err = -EISCONN;
		goto out_unlock;
	default:
		err = -EINVAL;
		goto out_unlock;
	}

	unix_state_lock(sk);
	if (sk->sk_state != st) {
		unix_state_unlock(sk);
		unix_state_unlock(other);
		sock_put(other);
		if (++rounds > 1000)
			goto out;
		goto restart;
	}

	/* The way is open! Fastly set all the necessary fields... */
	sock_hold(sk);
	unix_peer(newsk) = sk;
	newsk->sk_state = TCP_ESTABLISHED;
	newsk->sk_type = sk->sk_type;
	init_peercred(newsk);
	newu = unix_sk(newsk);
	otheru = unix_sk(other);

	/* copy address information from listening to new sock */
	if (otheru->addr) {
		atomic_inc(&otheru->addr->refcnt);
		newu->addr = otheru->addr;
	}

	/* Set credentials */
	copy_peercred(sk, other);
	sock->state = SS_CONNECTED;
	sk->sk_state = TCP_ESTABLISHED;
	sock_hold(newsk);
	unix_peer(sk) = newsk;
	unix_state_unlock(sk);

	/* take ten and and send info to listening sock */
	skb_queue_tail(&other->sk_receive_queue, skb);
	unix_state_unlock(other);
	other->sk_data_ready(other, 0);
	sock_put(other);
	return 0;

out_unlock:
	if (other)
		unix_state_unlock(other);
out:
	kfree_skb(skb);
	if (newsk)
		unix_release_sock(newsk, 0);
	if (other)
		sock_put(other);
	return err;
}

static int unix_socketpair(struct socket *socka, struct socket *sockb)
{
	struct sock *ska = socka->sk, *skb = sockb->sk;

	/* Join our sockets back to back */
	sock_hold(ska);
	sock_hold(skb);
	unix_peer(ska) = skb;
	unix_peer(skb) = ska;
	init_peercred(ska);
	init_peercred(skb);
	if (ska->sk_type != SOCK_DGRAM) {
		ska->sk_state = TCP_ESTABLISHED;
		skb->sk_state = TCP_ESTABLISHED;
		socka->state = SS_CONNECTED;
		sockb->state = SS_CONNECTED;
	}
	return 0;
}

static int unix_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct sock *sk = sock->sk;
	struct sock *tsk;
	struct sk_buff *skb;
	int err;

	err = -EOPNOTSUPP;
	if (sock->type != SOCK_STREAM && sock->type != SOCK_SEQPACKET)
		goto out;
	err = -EINVAL;
	if (sk->sk_state != TCP_LISTEN)
		goto out;

	/* If socket state is TCP_LISTEN it cannot change (for now...), so that no locks
	 * are necessary. */
	skb = skb_recv_datagram(sk, 0, flags & O_NONBLOCK, &err);
	if (!skb) {
		/* This means receive shutdown. */
		if (err == 0)
			err = -EINVAL;
		goto out;
	}
	tsk = skb->sk;
	skb_free_datagram(sk, skb);
	wake_up_interruptible(&unix_sk(sk)->peer_wait);

	/* attach accepted sock to socket */
	unix_state_lock(tsk);
	newsock->state = SS_CONNECTED;
	sock_graft(tsk, newsock);
	unix_state_unlock(tsk);
	return 0;
out:
	return err;
}

/* ------------------------------------------------------------------------------------------
 * Passing files and credentials (SCM_RIGHTS, SCM_CREDENTIALS). */

/* Take the files off an skb being received or freed: they are no longer in flight. */
static void unix_detach_fds(struct scm_cookie *scm, struct sk_buff *skb)
{
	int i;

	scm->fp = UNIXCB(skb).fp;
	UNIXCB(skb).fp = NULL;
	for (i = scm->fp->count - 1; i >= 0; i--)
		unix_notinflight(scm->fp->fp[i]);
}

/* skb destructor of every AF_UNIX data skb: put the files nobody received, then give the
 * sender its buffer back. */
static void unix_destruct_scm(struct sk_buff *skb)
{
	struct scm_cookie scm;

	memset(&scm, 0, sizeof(scm));
	scm.pid = UNIXCB(skb).pid;
	if (UNIXCB(skb).fp)
		unix_detach_fds(&scm, skb);
	/* Alas, it calls VFS: putting a passed socket may release it here. */
	scm_destroy(&scm);
	sock_wfree(skb);
}

/* Hang a copy of the cookie's files on @skb and count the sockets among them in flight.
 * Returns the deepest recursion level of the sockets passed, or -ETOOMANYREFS (a socket
 * that already carries sockets MAX_RECURSION_LEVEL deep), -ENOMEM. */
static int unix_attach_fds(struct scm_cookie *scm, struct sk_buff *skb)
{
	int i;
	unsigned char max_level = 0;
	int unix_sock_count = 0;

	for (i = scm->fp->count - 1; i >= 0; i--) {
		struct sock *sk = unix_get_socket(scm->fp->fp[i]);

		if (sk) {
			unix_sock_count++;
			max_level = max(max_level, unix_sk(sk)->recursion_level);
		}
	}
	if (unlikely(max_level > MAX_RECURSION_LEVEL))
		return -ETOOMANYREFS;

	/* Need to duplicate file references for the sake of garbage collection. Otherwise
	 * a socket in the fps might become a candidate for GC while the skb is not yet
	 * queued. */
	UNIXCB(skb).fp = scm_fp_dup(scm->fp);
	if (!UNIXCB(skb).fp)
		return -ENOMEM;
	if (unix_sock_count) {
		for (i = scm->fp->count - 1; i >= 0; i--)
			unix_inflight(scm->fp->fp[i]);
	}
	return max_level;
}

static int unix_scm_to_skb(struct scm_cookie *scm, struct sk_buff *skb, bool send_fds)
{
	int err = 0;

	UNIXCB(skb).pid = scm->pid;
	UNIXCB(skb).uid = scm->creds.uid;
	UNIXCB(skb).gid = scm->creds.gid;
	UNIXCB(skb).fp = NULL;
	if (scm->fp && send_fds)
		err = unix_attach_fds(scm, skb);
	skb->destructor = unix_destruct_scm;
	return err;
}

/* Some apps rely on write() giving SCM_CREDENTIALS: when either end has SO_PASSCRED and the
 * sender gave none, the sender's own go with the data. */
static void maybe_add_creds(struct sk_buff *skb, const struct socket *sock,
			    const struct sock *other)
{
	if (UNIXCB(skb).pid)
		return;
	if (test_bit(SOCK_PASSCRED, &sock->flags) || !other->sk_socket ||
	    test_bit(SOCK_PASSCRED, &other->sk_socket->flags))
		ul_current_creds(&UNIXCB(skb).pid, &UNIXCB(skb).uid, &UNIXCB(skb).gid);
}

/* ------------------------------------------------------------------------------------------
 * Datagrams. */

static void unix_dgram_disconnected(struct sock *sk, struct sock *other)
{
	if (!skb_queue_empty(&sk->sk_receive_queue)) {
		skb_queue_purge(&sk->sk_receive_queue);
		wake_up_interruptible_all(&unix_sk(sk)->peer_wait);
		/* If one link of bidirectional dgram pipe is disconnected, we signal error.
		 * Messages are lost. Do not make this, when peer was not connected to us. */
		if (!sock_flag(other, SOCK_DEAD) && unix_peer(other) == sk) {
			other->sk_err = ECONNRESET;
			other->sk_error_report(other);
		}
	}
}

static int unix_dgram_connect(struct socket *sock, struct sockaddr *addr, int alen, int flags)
{
	struct sock *sk = sock->sk;
	struct net *net = sock_net(sk);
	struct sockaddr_un *sunaddr = (struct sockaddr_un *)addr;
	struct sock *other;
	unsigned int hash;
	int err;

	if (alen >= (int)sizeof(short) && addr->sa_family != AF_UNSPEC) {
		alen = unix_mkname(sunaddr, alen, &hash);
		if (alen < 0)
			return alen;
		if (test_bit(SOCK_PASSCRED, &sock->flags) && !unix_sk(sk)->addr &&
		    (err = unix_autobind(sock)) != 0)
			return err;
		other = unix_find_other(net, sunaddr, alen, sock->type, hash, &err);
		if (!other)
			return err;
		unix_state_lock(sk);
		err = -EPERM;
		if (!unix_may_send(sk, other)) {
			unix_state_unlock(sk);
			sock_put(other);
			return err;
		}
	} else {
		/* 1003.1g breaking connected state with AF_UNSPEC */
		other = NULL;
		unix_state_lock(sk);
	}

	/* If it was connected, reconnect. */
	if (unix_peer(sk)) {
		struct sock *old_peer = unix_peer(sk);

		unix_peer(sk) = other;
		unix_state_unlock(sk);
		if (other != old_peer)
			unix_dgram_disconnected(sk, old_peer);
		sock_put(old_peer);
	} else {
		unix_peer(sk) = other;
		unix_state_unlock(sk);
	}
	return 0;
}

static int unix_dgram_sendmsg(struct kiocb *kiocb, struct socket *sock, struct msghdr *msg,
			      size_t len)
{
	struct sock *sk = sock->sk;
	struct net *net = sock_net(sk);
	struct sockaddr_un sunbuf[2];	/* room for unix_mkname's terminator */
	struct sockaddr_un *sunaddr = NULL;
	struct sock *other = NULL;
	int namelen = 0;
	int err;
	unsigned int hash = 0;
	struct sk_buff *skb;
	long timeo;
	struct scm_cookie scm;
	int max_level;
	unsigned int rounds = 0;

	wait_for_unix_gc();
	err = scm_send(sock, msg, &scm, false);
	if (err < 0)
		return err;

	err = -EOPNOTSUPP;
	if (msg->msg_flags & MSG_OOB)
		goto out;

	if (msg->msg_namelen) {
		if (msg->msg_namelen > sizeof(struct sockaddr_un)) {
			err = -EINVAL;
			goto out;
		}
		memset(sunbuf, 0, sizeof(sunbuf));
		memcpy(sunbuf, msg->msg_name, msg->msg_namelen);
		sunaddr = sunbuf;
		err = unix_mkname(sunaddr, (int)msg->msg_namelen, &hash);
		if (err < 0)
			goto out;
		namelen = err;
	} else {
		err = -ENOTCONN;
		other = unix_peer_get(sk);
		if (!other)
			goto out;
	}

	if (test_bit(SOCK_PASSCRED, &sock->flags) && !unix_sk(sk)->addr &&
	    (err = unix_autobind(sock)) != 0)
		goto out;

	err = -EMSGSIZE;
	if (len > (size_t)sk->sk_sndbuf - 32)
		goto out;

	skb = sock_alloc_send_skb(sk, len, msg->msg_flags & MSG_DONTWAIT, &err);
	if (skb == NULL)
		goto out;

	err = unix_scm_to_skb(&scm, skb, true);
	if (err < 0)
		goto out_free;
	max_level = err + 1;

	err = memcpy_fromiovec(skb_put(skb, (unsigned int)len), msg->msg_iov, (int)len);
	if (err)
		goto out_free;

	timeo = sock_sndtimeo(sk, msg->msg_flags & MSG_DONTWAIT);

restart:
	if (!other) {
		err = -ECONNRESET;
		if (sunaddr == NULL)
			goto out_free;
		other = unix_find_other(net, sunaddr, namelen, sk->sk_type, hash, &err);
		if (other == NULL)
			goto out_free;
	}

	unix_state_lock(other);
	err = -EPERM;
	if (!unix_may_send(sk, other))
		goto out_unlock;

	if (sock_flag(other, SOCK_DEAD)) {
		/* Check with 1003.1g - what should datagram error */
		unix_state_unlock(other);
		sock_put(other);

		err = 0;
		unix_state_lock(sk);
		if (unix_peer(sk) == other) {
			unix_peer(sk) = NULL;
			unix_state_unlock(sk);
			unix_dgram_disconnected(sk, other);
			sock_put(other);
			err = -ECONNREFUSED;
		} else {
			unix_state_unlock(sk);
		}
		other = NULL;
		if (err || ++rounds > 1000)
			goto out_free;
		goto restart;
	}

	err = -EPIPE;
	if (other->sk_shutdown & RCV_SHUTDOWN)
		goto out_unlock;

	if (unix_peer(other) != sk && unix_recvq_full(other)) {
		if (!timeo) {
			err = -EAGAIN;
			goto out_unlock;
		}
		timeo = unix_wait_for_peer(other, timeo);
		err = sock_intr_errno(timeo);
		if (signal_pending(current) || ++rounds > 1000000)
			goto out_free;
		goto restart;
	}

	maybe_add_creds(skb, sock, other);
	skb_queue_tail(&other->sk_receive_queue, skb);
	if (max_level > unix_sk(other)->recursion_level)
		unix_sk(other)->recursion_level = (unsigned char)max_level;
	unix_state_unlock(other);
	other->sk_data_ready(other, (int)len);
	sock_put(other);
	scm_destroy(&scm);
	return (int)len;

out_unlock:
	unix_state_unlock(other);
out_free:
	kfree_skb(skb);
out:
	if (other)
		sock_put(other);
	scm_destroy(&scm);
	return err;
}

/* SOCK_SEQPACKET: a connected datagram socket (records keep their boundaries), sending
 * only to its peer. */
static int unix_seqpacket_sendmsg(struct kiocb *kiocb, struct socket *sock,
				  struct msghdr *msg, size_t len)
{
	int err;
	struct sock *sk = sock->sk;

	err = sock_error(sk);
	if (err)
		return err;
	if (sk->sk_state != TCP_ESTABLISHED)
		return -ENOTCONN;
	/* A destination address is ignored (the peer is the only one). */
	if (msg->msg_namelen)
		msg->msg_namelen = 0;
	return unix_dgram_sendmsg(kiocb, sock, msg, len);
}

static void unix_copy_addr(struct msghdr *msg, struct sock *sk)
{
	struct unix_sock *u = unix_sk(sk);

	msg->msg_namelen = 0;
	if (u->addr) {
		msg->msg_namelen = (socklen_t)u->addr->len;
		memcpy(msg->msg_name, u->addr->name, (size_t)u->addr->len);
	}
}

static int unix_dgram_recvmsg(struct kiocb *iocb, struct socket *sock, struct msghdr *msg,
			      size_t size, int flags)
{
	struct scm_cookie scm;
	struct sock *sk = sock->sk;
	struct unix_sock *u = unix_sk(sk);
	struct sk_buff *skb;
	int err, peeked, skip;

	err = -EOPNOTSUPP;
	if (flags & MSG_OOB)
		goto out;

	mutex_lock(&u->readlock);
	skip = sk_peek_offset(sk, flags);
	skb = __skb_recv_datagram(sk, (unsigned int)flags, &peeked, &skip, &err);
	if (!skb) {
		unix_state_lock(sk);
		/* Signal EOF on disconnected non-blocking SEQPACKET socket. */
		if (sk->sk_type == SOCK_SEQPACKET && err == -EAGAIN &&
		    (sk->sk_shutdown & RCV_SHUTDOWN))
			err = 0;
		unix_state_unlock(sk);
		goto out_unlock;
	}
	wake_up_interruptible_sync_poll(&u->peer_wait, POLLOUT | POLLWRNORM | POLLWRBAND);

	if (msg->msg_name)
		unix_copy_addr(msg, skb->sk);

	if (size > skb->len - (unsigned int)skip)
		size = skb->len - (unsigned int)skip;
	else if (size < skb->len - (unsigned int)skip)
		msg->msg_flags |= MSG_TRUNC;

	err = skb_copy_datagram_iovec(skb, skip, msg->msg_iov, (int)size);
	if (err)
		goto out_free;

	memset(&scm, 0, sizeof(scm));
	scm_set_cred(&scm, UNIXCB(skb).pid, UNIXCB(skb).uid, UNIXCB(skb).gid);
	if (!(flags & MSG_PEEK)) {
		if (UNIXCB(skb).fp)
			unix_detach_fds(&scm, skb);
		/* SO_PEEK_OFF moves back by what was consumed. */
		sk_peek_offset_bwd(sk, (int)skb->len);
	} else {
		/* It is questionable: on PEEK we could:
		 * - do not return fds - good, but too simple 8)
		 * - return fds, and do not return them on read (old strategy, apparently
		 *   wrong)
		 * - clone fds (I chose it for now, it is the most universal solution)
		 * POSIX 1003.1g does not actually define this clearly at all. */
		sk_peek_offset_fwd(sk, (int)size);
		if (UNIXCB(skb).fp)
			scm.fp = scm_fp_dup(UNIXCB(skb).fp);
	}
	err = (flags & MSG_TRUNC) ? (int)skb->len - skip : (int)size;

	scm_recv(sock, msg, &scm, flags);

out_free:
	skb_free_datagram(sk, skb);
out_unlock:
	mutex_unlock(&u->readlock);
out:
	return err;
}

static int unix_seqpacket_recvmsg(struct kiocb *iocb, struct socket *sock, struct msghdr *msg,
				  size_t size, int flags)
{
	struct sock *sk = sock->sk;

	if (sk->sk_state != TCP_ESTABLISHED)
		return -ENOTCONN;
	return unix_dgram_recvmsg(iocb, sock, msg, size, flags);
}

/* ------------------------------------------------------------------------------------------
 * Streams. */

static int unix_stream_sendmsg(struct kiocb *kiocb, struct socket *sock, struct msghdr *msg,
			       size_t len)
{
	struct sock *sk = sock->sk;
	struct sock *other = NULL;
	int err, size;
	struct sk_buff *skb;
	size_t sent = 0;
	struct scm_cookie scm;
	bool fds_sent = false;
	int max_level;

	wait_for_unix_gc();
	err = scm_send(sock, msg, &scm, false);
	if (err < 0)
		return err;

	err = -EOPNOTSUPP;
	if (msg->msg_flags & MSG_OOB)
		goto out_err;

	if (msg->msg_namelen) {
		err = sk->sk_state == TCP_ESTABLISHED ? -EISCONN : -EOPNOTSUPP;
		goto out_err;
	}
	err = -ENOTCONN;
	other = unix_peer(sk);
	if (!other)
		goto out_err;

	if (sk->sk_shutdown & SEND_SHUTDOWN)
		goto pipe_err;

	while (sent < len) {
		/* Optimisation for the fact that under 0.01% of X messages typically need
		 * breaking up. */
		size = (int)min_t(size_t, len - sent, (size_t)((sk->sk_sndbuf >> 1) - 64));
		/* Keep two messages in the pipe so it schedules better */
		if (size > (int)SKB_MAX_ALLOC)
			size = (int)SKB_MAX_ALLOC;

		skb = sock_alloc_send_skb(sk, (unsigned long)size, msg->msg_flags & MSG_DONTWAIT,
					  &err);
		if (!skb)
			goto out_err;

		/* Only send the fds in the first buffer */
		err = unix_scm_to_skb(&scm, skb, !fds_sent);
		if (err < 0) {
			kfree_skb(skb);
			goto out_err;
		}
		max_level = err + 1;
		fds_sent = true;

		err = memcpy_fromiovec(skb_put(skb, (unsigned int)size), msg->msg_iov, size);
		if (err) {
			kfree_skb(skb);
			goto out_err;
		}

		unix_state_lock(other);
		if (sock_flag(other, SOCK_DEAD) || (other->sk_shutdown & RCV_SHUTDOWN))
			goto pipe_err_free;

		maybe_add_creds(skb, sock, other);
		skb_queue_tail(&other->sk_receive_queue, skb);
		if (max_level > unix_sk(other)->recursion_level)
			unix_sk(other)->recursion_level = (unsigned char)max_level;
		unix_state_unlock(other);
		other->sk_data_ready(other, size);
		sent += (size_t)size;
	}
	scm_destroy(&scm);
	return (int)sent;

pipe_err_free:
	unix_state_unlock(other);
	kfree_skb(skb);
pipe_err:
	/* DIVERGES: no SIGPIPE (ulnet has no signals); EPIPE as with MSG_NOSIGNAL. */
	err = -EPIPE;
out_err:
	scm_destroy(&scm);
	return sent ? (int)sent : err;
}

/* Sleep until data, an error, shutdown or the timeout. Called and returns with the state
 * lock held. */
static long unix_stream_data_wait(struct sock *sk, long timeo)
{
	DEFINE_WAIT(wait);
	unsigned int rounds = 0;

	unix_state_lock(sk);
	for (;;) {
		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
		if (!skb_queue_empty(&sk->sk_receive_queue) || sk->sk_err ||
		    (sk->sk_shutdown & RCV_SHUTDOWN) || signal_pending(current) || !timeo ||
		    ++rounds > 1000000)
			break;
		set_bit(SOCK_ASYNC_WAITDATA, &sk->sk_socket->flags);
		unix_state_unlock(sk);
		timeo = schedule_timeout(timeo);
		unix_state_lock(sk);
		clear_bit(SOCK_ASYNC_WAITDATA, &sk->sk_socket->flags);
	}
	finish_wait(sk_sleep(sk), &wait);
	unix_state_unlock(sk);
	return timeo;
}

static int unix_stream_recvmsg(struct kiocb *iocb, struct socket *sock, struct msghdr *msg,
			       size_t size, int flags)
{
	struct scm_cookie scm;
	struct sock *sk = sock->sk;
	struct unix_sock *u = unix_sk(sk);
	struct sockaddr_un *sunaddr = msg->msg_name;
	int copied = 0;
	int check_creds = 0;
	int target;
	int err = 0;
	long timeo;
	unsigned int rounds = 0;

	err = -EINVAL;
	if (sk->sk_state != TCP_ESTABLISHED)
		goto out;
	err = -EOPNOTSUPP;
	if (flags & MSG_OOB)
		goto out;

	/* SO_RCVLOWAT / MSG_WAITALL: how much to gather before returning. */
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, (int)size);
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	msg->msg_namelen = 0;

	/* Lock the socket to prevent queue disordering while sleeps in memcpy_tomsg */
	memset(&scm, 0, sizeof(scm));
	scm.creds.uid = UL_INVALID_UID;
	scm.creds.gid = UL_INVALID_GID;

	mutex_lock(&u->readlock);
	do {
		int chunk;
		struct sk_buff *skb;

		if (++rounds > 100000000)
			break;
		unix_state_lock(sk);
		skb = skb_peek(&sk->sk_receive_queue);
		if (skb == NULL) {
			if (copied >= target)
				goto unlock;
			/* POSIX 1003.1g mandates this order. */
			err = sock_error(sk);
			if (err)
				goto unlock;
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				goto unlock;
			unix_state_unlock(sk);
			err = -EAGAIN;
			if (!timeo)
				break;
			mutex_unlock(&u->readlock);
			timeo = unix_stream_data_wait(sk, timeo);
			if (signal_pending(current)) {
				err = sock_intr_errno(timeo);
				scm_destroy(&scm);
				goto out;
			}
			mutex_lock(&u->readlock);
			continue;
unlock:
			unix_state_unlock(sk);
			break;
		}
		unix_state_unlock(sk);

		if (check_creds) {
			/* Never glue messages from different writers */
			if (UNIXCB(skb).pid != scm.pid || UNIXCB(skb).uid != scm.creds.uid ||
			    UNIXCB(skb).gid != scm.creds.gid)
				break;
		} else if (test_bit(SOCK_PASSCRED, &sock->flags)) {
			/* Copy credentials */
			scm_set_cred(&scm, UNIXCB(skb).pid, UNIXCB(skb).uid, UNIXCB(skb).gid);
			check_creds = 1;
		}

		/* Copy address just once */
		if (sunaddr) {
			unix_copy_addr(msg, skb->sk);
			sunaddr = NULL;
		}

		chunk = (int)min_t(unsigned int, skb->len, (unsigned int)size);
		if (skb_copy_datagram_iovec(skb, 0, msg->msg_iov, chunk)) {
			if (copied == 0)
				copied = -EFAULT;
			break;
		}
		copied += chunk;
		size -= (size_t)chunk;

		/* Mark read part of skb as used */
		if (!(flags & MSG_PEEK)) {
			skb_pull(skb, (unsigned int)chunk);
			if (UNIXCB(skb).fp)
				unix_detach_fds(&scm, skb);
			if (skb->len)
				break;
			skb_unlink(skb, &sk->sk_receive_queue);
			consume_skb(skb);
			/* The files of one write end the read: they go with its bytes. */
			if (scm.fp)
				break;
		} else {
			/* It is questionable, see note in unix_dgram_recvmsg. */
			if (UNIXCB(skb).fp)
				scm.fp = scm_fp_dup(UNIXCB(skb).fp);
			break;
		}
	} while (size);

	mutex_unlock(&u->readlock);
	scm_recv(sock, msg, &scm, flags);
out:
	return copied ? copied : err;
}

static int unix_shutdown(struct socket *sock, int mode)
{
	struct sock *sk = sock->sk;
	struct sock *other;

	if (mode < SHUT_RD || mode > SHUT_RDWR)
		return -EINVAL;
	/* This maps: SHUT_RD (0) -> RCV_SHUTDOWN (1), SHUT_WR (1) -> SEND_SHUTDOWN (2),
	 * SHUT_RDWR (2) -> SHUTDOWN_MASK (3). */
	++mode;

	unix_state_lock(sk);
	sk->sk_shutdown |= (unsigned int)mode;
	other = unix_peer(sk);
	if (other)
		sock_hold(other);
	unix_state_unlock(sk);
	sk->sk_state_change(sk);

	if (other && (sk->sk_type == SOCK_STREAM || sk->sk_type == SOCK_SEQPACKET)) {
		int peer_mode = 0;

		if (mode & RCV_SHUTDOWN)
			peer_mode |= SEND_SHUTDOWN;
		if (mode & SEND_SHUTDOWN)
			peer_mode |= RCV_SHUTDOWN;
		unix_state_lock(other);
		other->sk_shutdown |= (unsigned int)peer_mode;
		unix_state_unlock(other);
		other->sk_state_change(other);
		if (peer_mode == SHUTDOWN_MASK)
			sk_wake_async(other, SOCK_WAKE_WAITD, POLL_HUP);
		else if (peer_mode & RCV_SHUTDOWN)
			sk_wake_async(other, SOCK_WAKE_WAITD, POLL_IN);
	}
	if (other)
		sock_put(other);
	return 0;
}

long unix_inq_len(struct sock *sk)
{
	struct sk_buff *skb;
	long amount = 0;

	if (sk->sk_state == TCP_LISTEN)
		return -EINVAL;
	spin_lock(&sk->sk_receive_queue.lock);
	if (sk->sk_type == SOCK_STREAM || sk->sk_type == SOCK_SEQPACKET) {
		skb_queue_walk(&sk->sk_receive_queue, skb)
			amount += skb->len;
	} else {
		skb = skb_peek(&sk->sk_receive_queue);
		if (skb)
			amount = skb->len;
	}
	spin_unlock(&sk->sk_receive_queue.lock);
	return amount;
}

static int unix_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	long amount = 0;

	switch (cmd) {
	case SIOCOUTQ:
		amount = sk_wmem_alloc_get(sk);
		break;
	case SIOCINQ:
		amount = unix_inq_len(sk);
		if (amount < 0)
			return (int)amount;
		break;
	default:
		return -ENOIOCTLCMD;
	}
	if (!arg)
		return -EFAULT;
	*(int *)arg = (int)amount;
	return 0;
}

static unsigned int unix_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	struct sock *sk = sock->sk;
	unsigned int mask;

	sock_poll_wait(file, sk_sleep(sk), wait);
	mask = 0;

	/* exceptional events? */
	if (sk->sk_err)
		mask |= POLLERR;
	if (sk->sk_shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;

	/* readable? */
	if (!skb_queue_empty(&sk->sk_receive_queue))
		mask |= POLLIN | POLLRDNORM;

	/* Connection-based need to check for termination and startup */
	if ((sk->sk_type == SOCK_STREAM || sk->sk_type == SOCK_SEQPACKET) &&
	    sk->sk_state == TCP_CLOSE)
		mask |= POLLHUP;

	/* we set writable also when the other side has shut down the connection. This
	 * prevents stuck sockets. */
	if (unix_writable(sk))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

static unsigned int unix_dgram_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	struct sock *sk = sock->sk, *other;
	unsigned int mask, writable;

	sock_poll_wait(file, sk_sleep(sk), wait);
	mask = 0;

	/* exceptional events? */
	if (sk->sk_err || !sk_error_queue_empty(sk))
		mask |= POLLERR;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (sk->sk_shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;

	/* readable? */
	if (!skb_queue_empty(&sk->sk_receive_queue))
		mask |= POLLIN | POLLRDNORM;

	/* Connection-based need to check for termination and startup */
	if (sk->sk_type == SOCK_SEQPACKET) {
		if (sk->sk_state == TCP_CLOSE)
			mask |= POLLHUP;
		/* connection hasn't started yet? */
		if (sk->sk_state == TCP_SYN_SENT)
			return mask;
	}

	/* No write status requested, avoid expensive OUT tests. */
	if (!(poll_requested_events(wait) & (POLLWRBAND | POLLWRNORM | POLLOUT)))
		return mask;

	writable = (unsigned int)unix_writable(sk);
	other = unix_peer_get(sk);
	if (other) {
		if (unix_peer(other) != sk && unix_recvq_full(other))
			writable = 0;
		sock_put(other);
	}
	if (writable)
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	else
		set_bit(SOCK_ASYNC_NOSPACE, &sk->sk_socket->flags);
	return mask;
}

static void unix_set_peek_off(struct sock *sk, int val)
{
	struct unix_sock *u = unix_sk(sk);

	mutex_lock(&u->readlock);
	sk_peek_off_set(sk, val);
	mutex_unlock(&u->readlock);
}

/* ------------------------------------------------------------------------------------------
 * Ops tables and boot. */

static const struct proto_ops unix_stream_ops = {
	.family = PF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_stream_connect,
	.socketpair = unix_socketpair,
	.accept = unix_accept,
	.getname = unix_getname,
	.poll = unix_poll,
	.ioctl = unix_ioctl,
	.listen = unix_listen,
	.shutdown = unix_shutdown,
	.setsockopt = sock_no_setsockopt,
	.getsockopt = sock_no_getsockopt,
	.sendmsg = unix_stream_sendmsg,
	.recvmsg = unix_stream_recvmsg,
	.set_peek_off = unix_set_peek_off,
};

static const struct proto_ops unix_dgram_ops = {
	.family = PF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_dgram_connect,
	.socketpair = unix_socketpair,
	.accept = sock_no_accept,
	.getname = unix_getname,
	.poll = unix_dgram_poll,
	.ioctl = unix_ioctl,
	.listen = sock_no_listen,
	.shutdown = unix_shutdown,
	.setsockopt = sock_no_setsockopt,
	.getsockopt = sock_no_getsockopt,
	.sendmsg = unix_dgram_sendmsg,
	.recvmsg = unix_dgram_recvmsg,
	.set_peek_off = unix_set_peek_off,
};

/* SOCK_SEQPACKET: connections as a stream, records and poll as datagrams. */
static const struct proto_ops unix_seqpacket_ops = {
	.family = PF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_stream_connect,
	.socketpair = unix_socketpair,
	.accept = unix_accept,
	.getname = unix_getname,
	.poll = unix_dgram_poll,
	.ioctl = unix_ioctl,
	.listen = unix_listen,
	.shutdown = unix_shutdown,
	.setsockopt = sock_no_setsockopt,
	.getsockopt = sock_no_getsockopt,
	.sendmsg = unix_seqpacket_sendmsg,
	.recvmsg = unix_seqpacket_recvmsg,
	.set_peek_off = unix_set_peek_off,
};

static struct proto unix_proto = {
	.name = "UNIX",
	.obj_size = sizeof(struct unix_sock),
	.dgram_offset = offsetof(struct unix_sock, dgram),
};

static const struct net_proto_family unix_family_ops = {
	.family = PF_UNIX,
	.create = unix_create,
};

int af_unix_init(void)
{
	int rc, i;

	for (i = 0; i <= UNIX_HASH_SIZE; i++)
		INIT_HLIST_HEAD(&unix_socket_table[i]);
	atomic_long_set(&unix_nr_socks, 0);
	unix_autobind_ordernum = 0;
	rc = proto_register(&unix_proto, 1);
	if (rc != 0) {
		pr_err("%s: Cannot create unix_sock SLAB cache!\n", __func__);
		return rc;
	}
	rc = sock_register(&unix_family_ops);
	if (rc) {
		proto_unregister(&unix_proto);
		return rc;
	}
	if (proc_create_single("net/unix", unix_seq_show, NULL))
		pr_err("af_unix_init: cannot create /proc/net/unix\n");
	unix_ready = true;
	return 0;
}

/* After the socket layer closed every file: nothing is left in the table. */
void af_unix_exit(void)
{
	if (!unix_ready)
		return;
	/* Cycles of in-flight sockets left by the last close: collect them now, as the
	 * next AF_UNIX release would on Linux. */
	if (unix_tot_inflight)
		unix_gc();
	proc_remove_path("net/unix");
	sock_unregister(PF_UNIX);
	proto_unregister(&unix_proto);
	unix_ready = false;
}
