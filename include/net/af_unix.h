/* SPDX-License-Identifier: MIT */
/* AF_UNIX sockets shared by af_unix.c, garbage.c and diag.c: struct unix_sock, the socket
 * table, what an skb carries (UNIXCB: credentials, passed files), the in-flight accounting
 * and collector of garbage.c, and what unix_diag reports of each socket.
 * Mirrors linux/include/net/af_unix.h, net/unix/garbage.c's interface (unix_inflight,
 * unix_notinflight, unix_gc, wait_for_unix_gc, unix_get_socket) and net/unix/diag.c
 * (3.10): sk_diag_fill's fields
 * (UNIX_DIAG_NAME, UNIX_DIAG_PEER, UNIX_DIAG_RQLEN), walked as unix_diag_dump walks
 * unix_socket_table.
 *
 * Context: process; the walker takes unix_table_lock and each socket's state lock, so the
 * callback must not call back into AF_UNIX. */
#ifndef _NET_AF_UNIX_H
#define _NET_AF_UNIX_H
#include <sys/un.h>
#include "linux/atomic.h"
#include "linux/list.h"
#include "linux/spinlock.h"
#include "linux/types.h"
#include "linux/wait.h"
#include "net/sock.h"

struct file;
struct net;
struct scm_fp_list;
struct seq_file;

#define UNIX_HASH_SIZE		256
#define UNIX_HASH_BITS		8
#define UNIX_MAX_DGRAM_QLEN	10	/* net.unix.max_dgram_qlen default */
#define __SO_ACCEPTCON		(1 << 16)

struct unix_address {
	atomic_t refcnt;
	int len;
	unsigned int hash;
	struct sockaddr_un name[];
};

struct unix_sock {
	/* WARNING: sk has to be the first member */
	struct sock sk;
	/* SO_PEEK_OFF (DIVERGES: in struct sock in 3.10; see struct sock_dgram). */
	struct sock_dgram dgram;
	struct unix_address *addr;
	struct mutex readlock;
	struct sock *peer;
	atomic_long_t inflight;
	spinlock_t lock;
	wait_queue_head_t peer_wait;	/* writers waiting for room in our queue */
	/* Garbage collection of in-flight sockets (garbage.c): on gc_inflight_list while
	 * inflight > 0, on the GC's candidate lists during a run. */
	struct list_head link;
	unsigned long gc_flags;
#define UNIX_GC_CANDIDATE	0
#define UNIX_GC_MAYBE_CYCLE	1
	/* How deep sockets carrying sockets are queued here (unix_attach_fds). */
	unsigned char recursion_level;
	/* SO_PEERCRED (3.10: sk_peer_pid, sk_peer_cred in struct sock), set at listen, connect
	 * and socketpair. DIVERGES: here, not in every sock; the ids themselves, not references
	 * to a struct pid and a struct cred; without them (sk_peer_cred_set false)
	 * SO_PEERCRED reads pid 0, uid and gid -1, as 3.10 with no cred. */
	bool sk_peer_cred_set;
	int sk_peer_pid;
	uid_t sk_peer_uid;
	gid_t sk_peer_gid;
};

static inline struct unix_sock *unix_sk(const struct sock *sk)
{
	return (struct unix_sock *)sk;
}
#define unix_peer(sk) (unix_sk(sk)->peer)
#define unix_state_lock(s) spin_lock(&unix_sk(s)->lock)
#define unix_state_unlock(s) spin_unlock(&unix_sk(s)->lock)

static inline bool unix_is_path(const struct sockaddr_un *sunname)
{
	return sunname->sun_path[0] != 0;
}

/* Abstract names hash like this; path names use the same fold of their bytes. Slot
 * UNIX_HASH_SIZE holds the unbound sockets. Both under unix_table_lock. */
extern struct hlist_head unix_socket_table[UNIX_HASH_SIZE + 1];
extern spinlock_t unix_table_lock;
extern bool unix_ready;
#define unix_sockets_unbound (&unix_socket_table[UNIX_HASH_SIZE])

/* What an AF_UNIX skb carries besides its data (3.10 struct unix_skb_parms in skb->cb):
 * the sender's credentials (pid 0: none; uid/gid (uid_t)-1: none) and the passed files.
 * DIVERGES: ids instead of struct pid / cred references. */
struct unix_skb_parms {
	int pid;
	uid_t uid;
	gid_t gid;
	struct scm_fp_list *fp;
};
#define UNIXCB(skb)	(*(struct unix_skb_parms *)&((skb)->cb))

/* Sockets carrying sockets may nest this deep (ETOOMANYREFS beyond). */
#define MAX_RECURSION_LEVEL 4

/* ---- garbage.c: passed files in flight, and the collector of their cycles ---- */
/* Sockets in flight (in some skb's file list) over all AF_UNIX sockets. */
extern unsigned int unix_tot_inflight;
/* The AF_UNIX sock behind @filp, or NULL (not a socket, not AF_UNIX). */
struct sock *unix_get_socket(struct file *filp);
/* @fp was put in / taken out of an skb's file list. Context: any, takes unix_gc_lock. */
void unix_inflight(struct file *fp);
void unix_notinflight(struct file *fp);
/* Free the sockets that only in-flight references keep alive (cycles of sockets queued in
 * each other). Context: process. */
void unix_gc(void);
/* Before a send: collect now if too much is in flight, and wait for a running GC. */
void wait_for_unix_gc(void);

/* Bytes a read would see (SIOCINQ): all queued for a stream, the first datagram else. */
long unix_inq_len(struct sock *sk);
/* /proc/net/unix (diag.c). */
int unix_seq_show(struct seq_file *seq, void *v);

struct unix_diag_info {
	struct sock *sk;
	int type;		/* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
	int state;		/* TCP_LISTEN, TCP_ESTABLISHED, TCP_CLOSE */
	unsigned long ino;	/* sock_i_ino (0: an embryo not yet accepted) */
	unsigned long peer_ino;	/* the peer's inode, 0 without a peer */
	/* UNIX_DIAG_RQLEN: a listener's pending connections and backlog; otherwise the
	 * bytes queued to read (stream: all, dgram: the first datagram) and the bytes of
	 * sent skbs not yet freed (sk_wmem_alloc - 1). */
	u32 rqueue, wqueue;
	/* The name as ss prints it: a path, "@name" for an abstract one, "" when unbound. */
	char name[sizeof(((struct sockaddr_un *)0)->sun_path) + 2];
};

/* Call @fn for every AF_UNIX socket of @net (all namespaces when @net is NULL). */
void unix_diag_walk(struct net *net, void (*fn)(const struct unix_diag_info *info, void *arg),
		    void *arg);

#endif
