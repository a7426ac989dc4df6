/* SPDX-License-Identifier: MIT */
/* The network-layer socket: struct sock, sock_common, struct proto, the socket lock and
 * backlog, buffer accounting, and the generic callbacks.
 * Mirrors linux/include/net/sock.h and net/core/sock.c (3.10): sk_alloc, sk_free,
 * sock_init_data, sock_def_readable, sock_def_write_space, sock_def_wakeup,
 * sock_def_error_report, lock_sock, release_sock, sk_add_backlog, sk_wait_data,
 * sock_queue_rcv_skb, skb_set_owner_r/w, sock_rfree, sock_wfree, sock_alloc_send_skb,
 * sk_mem_schedule/reclaim, proto_register, sock_setsockopt/sock_getsockopt, sock_no_*.
 *
 * Memory (book ch7): a protocol's sockets come from its own slab cache made by
 * proto_register ("UDP", "TCP"...). Queued data is charged as skb->truesize to sk_rmem_alloc
 * (receive) and sk_wmem_alloc (send), bounded by sk_rcvbuf / sk_sndbuf; the protocol's
 * memory_allocated counts SK_MEM_QUANTUM pages reserved through sk_forward_alloc
 * (/proc/net/sockstat "mem").
 *
 * LOCKING (as Linux): sk_lock.slock is a spinlock taken by softirq receive (bh_lock_sock);
 * a task "owns" the socket between lock_sock and release_sock (sk_lock.owned). A packet that
 * arrives while a task owns the socket goes to the backlog (sk_add_backlog), processed by
 * release_sock through sk_backlog_rcv. Waiting tasks sleep on sk_sleep(sk), the socket's
 * wait queue, and are woken by sk_data_ready (sock_def_readable) & co.
 * DIVERGES: hash lists are plain hlists (Linux uses hlist_nulls for lockless RCU lookups,
 * which ulnet does not do); the names skc_nulls_node / skc_portaddr_node are kept. */
#ifndef _NET_SOCK_H
#define _NET_SOCK_H
#include "linux/atomic.h"
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/list.h"
#include "linux/net.h"
#include "linux/sched.h"
#include "linux/skbuff.h"
#include "linux/spinlock.h"
#include "linux/timer.h"
#include "linux/wait.h"
#include "net/dst.h"
#include "net/net_namespace.h"
#include "net/request_sock.h"
#include "net/timewait_sock.h"

struct proto;
struct dst_entry;
struct kmem_cache;
struct udp_table;

typedef __u64 __addrpair;
typedef __u32 __portpair;

/* The part shared with timewait and request sockets (3.10 order). */
struct sock_common {
	union {
		__addrpair skc_addrpair;
		struct {
			__be32 skc_daddr;	/* remote IPv4 address */
			__be32 skc_rcv_saddr;	/* bound local IPv4 address */
		};
	};
	union {
		unsigned int skc_hash;		/* lookup hash (TCP ehash) */
		__u16 skc_u16hashes[2];		/* UDP: port hash, port+addr hash */
	};
	union {
		__portpair skc_portpair;
		struct {
			__be16 skc_dport;	/* remote port (network order) */
			__u16 skc_num;		/* local port (host order) */
		};
	};
	unsigned short skc_family;
	volatile unsigned char skc_state;	/* TCP_* states (UDP: TCP_CLOSE/ESTABLISHED) */
	unsigned char skc_reuse:4;		/* SO_REUSEADDR */
	unsigned char skc_reuseport:4;		/* SO_REUSEPORT */
	int skc_bound_dev_if;			/* SO_BINDTODEVICE ifindex, 0 for any */
	union {
		struct hlist_node skc_bind_node;	/* TCP bind hash */
		struct hlist_node skc_portaddr_node;	/* UDP hash2 (port+addr) */
	};
	struct proto *skc_prot;
	struct net *skc_net;
	union {
		struct hlist_node skc_node;		/* main lookup hash */
		struct hlist_node skc_nulls_node;
	};
	/* DIVERGES: no skc_tx_queue_mapping (ulnet's devices have one queue: it was only ever
	 * written, -1). Its 4 B hold the full sock's sk_mark instead, which would otherwise
	 * cost struct sock 8 B of alignment (a TIME_WAIT sock carries it unused, as it carried
	 * the queue mapping). */
	__u32 skc_mark;
	atomic_t skc_refcnt;
};

/* Socket lock: a spinlock for bottom halves plus "owned by a task".
 * DIVERGES: 3.10's socket_lock_t also holds wait_queue_head_t wq, where tasks wait in
 * lock_sock for the owner's release_sock. A task waits there rarely (only while another
 * task owns the socket), so ulnet keeps no queue per socket: the waiters sleep on one of
 * SK_LOCK_WAIT_TABLE_SIZE heads shared by all socks, chosen by hashing the sock's address
 * (sk_lock_waitqueue, as 3.10's bit_waitqueue for wait_on_bit). Each waiter's entry names
 * its sock and release_sock's wakeup carries the sock as its key, so a wakeup reaches only
 * the waiters of that sock (the exclusive one among them counted as in 3.10) and one lock's
 * waiters never take another's wakeup. 24 B less in every sock. */
typedef struct {
	spinlock_t slock;
	int owned;
} socket_lock_t;
#define SK_LOCK_WAIT_HASH_BITS	8
#define SK_LOCK_WAIT_TABLE_SIZE	(1 << SK_LOCK_WAIT_HASH_BITS)

struct ip_options_rcu;

/* A sock's state that stays at its default unless the application sets an option or a
 * rare event happens (see sk_rare in struct sock). Allocated by sk_rare_alloc with the
 * defaults below, duplicated for a listener's child (inet_csk_clone_lock), freed by
 * __sk_free. Written by its socket's owner (lock_sock) or, for TCP's urgent data, by
 * softirq with the socket not owned; the pointer never changes back to NULL while the
 * sock lives, so a lockless reader (a UDP recvmsg's timeout) sees the default or the block.
 * Every kind of sock uses the first part; only inet socks set inet_opt, only TCP the rest. */
struct sock_rare {
	long rcvtimeo;			/* SO_RCVTIMEO in jiffies (default MAX_SCHEDULE_TIMEOUT) */
	long sndtimeo;			/* SO_SNDTIMEO (default MAX_SCHEDULE_TIMEOUT) */
	unsigned long lingertime;	/* SO_LINGER in jiffies (default 0) */
	/* The page tcp_sendmsg copies into when the task's cannot be used (sk_page_frag); its
	 * reference is put at __sk_free. */
	struct page_frag frag;
	int rcvlowat;			/* SO_RCVLOWAT (default 1) */
	__u32 priority;			/* SO_PRIORITY, IP_TOS -> skb->priority (default 0) */
	struct ip_options_rcu *inet_opt; /* inet_sock's IP_OPTIONS (default NULL) */
	/* TCP: inet_connection_sock's and tcp_sock's (defaults 0: the sysctls). */
	__u32 icsk_user_timeout;	/* TCP_USER_TIMEOUT in jiffies */
	__u32 keepalive_time;		/* TCP_KEEPIDLE in jiffies */
	__u32 keepalive_intvl;		/* TCP_KEEPINTVL in jiffies */
	int linger2;			/* TCP_LINGER2 */
	__u32 urg_seq;			/* Seq of received urgent pointer */
	/* Urgent pointer of our sends: snd_una outside urgent mode (set so when allocated,
	 * kept so by tcp_ack), as tcp_sock's snd_up. */
	__u32 snd_up;
	__u16 urg_data;			/* Saved octet of OOB data and control flags */
	__u8 keepalive_probes;		/* TCP_KEEPCNT */
};

/* The sock's block (sk_rare), allocated with its defaults if it has none (@gfp: what the
 * caller's context allows). NULL: no memory; the sock is unchanged. Context: socket owned
 * (lock_sock), or softirq with bh_lock_sock and the socket not owned. */
struct sock_rare *sk_rare_alloc(struct sock *sk, gfp_t gfp);
/* sk_clone_lock's part: *@out = a copy of @sk's block for its child (NULL if @sk has
 * none) without the listener's own send page, IP options and urgent data. -ENOMEM. */
int sk_rare_clone(const struct sock *sk, struct sock_rare **out, gfp_t gfp);
/* Frees a block sk_rare_clone made for a child that was not created (NULL: nothing). */
void sk_rare_free_block(struct sock_rare *r);
/* __sk_free's part: the block and its send page go (net/core/sock_rare.c). */
void sk_rare_free(struct sock *sk);
/* Boot and teardown of the "sock_rare" cache (sk_init, sk_fini). */
int sk_rare_cache_init(void);
void sk_rare_cache_fini(void);

struct sock {
	struct sock_common __sk_common;
#define sk_node		__sk_common.skc_node
#define sk_nulls_node	__sk_common.skc_nulls_node
#define sk_refcnt	__sk_common.skc_refcnt
#define sk_mark		__sk_common.skc_mark	/* SO_MARK */
#define sk_dontcopy_begin __sk_common.skc_dontcopy_begin
#define sk_family	__sk_common.skc_family
#define sk_state	__sk_common.skc_state
#define sk_reuse	__sk_common.skc_reuse
#define sk_reuseport	__sk_common.skc_reuseport
#define sk_bound_dev_if	__sk_common.skc_bound_dev_if
#define sk_bind_node	__sk_common.skc_bind_node
#define sk_prot		__sk_common.skc_prot
#define sk_net		__sk_common.skc_net
#define sk_hash		__sk_common.skc_hash
	socket_lock_t sk_lock;
	struct sk_buff_head sk_receive_queue;
	/* The backlog: packets that came while a task owned the socket. rmem_alloc sits here
	 * to share its cache line, as Linux. */
	struct {
		atomic_t rmem_alloc;
		int len;
		struct sk_buff *head;
		struct sk_buff *tail;
	} sk_backlog;
#define sk_rmem_alloc sk_backlog.rmem_alloc
	int sk_forward_alloc;		/* bytes reserved from the protocol's pool */
	/* (DIVERGES: no sk_rxhash; ulnet has no RPS/RFS flow steering to record it for.) */
	gfp_t sk_allocation;
	/* (DIVERGES: sk_drops, sk_stamp and sk_peek_off are in struct sock_dgram, embedded
	 * by the kinds that use them: see there.) */
	int sk_rcvbuf;
	int sk_write_pending;	/* (here: fills the hole before sk_wq) */
	struct socket_wq *sk_wq;	/* the socket's wait queue (socket->wq) */
	unsigned long sk_flags;		/* SOCK_* flags of enum sock_flags */
	struct dst_entry *sk_rx_dst;
	struct dst_entry *sk_dst_cache;	/* cached route (connected sockets) */
	spinlock_t sk_dst_lock;
	atomic_t sk_wmem_alloc;		/* bytes of sent skbs not yet freed (+1 while alive) */
	atomic_t sk_omem_alloc;		/* option memory */
	int sk_sndbuf;
	struct sk_buff_head sk_write_queue;
	unsigned int sk_shutdown:2,	/* RCV_SHUTDOWN | SEND_SHUTDOWN */
		     sk_no_check:2,	/* SO_NO_CHECK: UDP sends without checksum */
		     sk_userlocks:4,	/* SOCK_*_LOCK: the user set a buffer size / bound */
		     sk_protocol:8,
		     sk_type:16;
	int sk_wmem_queued;		/* persistent write queue size (TCP) */
	u64 sk_route_caps;		/* netdev_features_t of the route's device */
	unsigned int sk_gso_max_size;
	u16 sk_gso_max_segs;
	unsigned short sk_ack_backlog;
	/* DIVERGES: 3.10 keeps sk_frag, sk_rcvlowat, sk_priority, sk_lingertime, sk_rcvtimeo
	 * and sk_sndtimeo here (48 B), and inet_sock / inet_connection_sock / tcp_sock keep
	 * inet_opt, icsk_user_timeout, keepalive_*, linger2 and the urgent-data state; ulnet
	 * keeps them in one block (struct sock_rare) allocated the first time one of them moves
	 * away from its default (a setsockopt, urgent data, a send outside a task) and freed
	 * with the sock: an idle connection has none. Reads go through accessors returning the
	 * default without the block (sock_rcvtimeo, sock_priority, keepalive_time_when...). */
	struct sock_rare *sk_rare;
	/* DIVERGES: 3.10 embeds the error queue (24 B); here a queue head allocated by the
	 * first sock_queue_err_skb and freed with the sock (sk_error_queue_free): most socks
	 * never get an error skb. NULL reads as empty (sk_error_queue_empty). */
	struct sk_buff_head *sk_error_queue;
	/* (DIVERGES: no sk_prot_creator. 3.10 keeps the creating proto because IPV6_ADDRFORM
	 * may switch sk_prot from tcpv6_prot to tcp_prot; ulnet has no IPv6 sockets, so sk_prot
	 * never changes and is the creator.) */
	rwlock_t sk_callback_lock;
	int sk_err, sk_err_soft;	/* pending error (SO_ERROR), soft error */
	unsigned short sk_max_ack_backlog;
	/* SKB_GSO_* of the socket's segments (TCP: SKB_GSO_TCPV4). DIVERGES: u16, not int:
	 * skb_shinfo(skb)->gso_type, where it goes, is 16 bits too. */
	u16 sk_gso_type;
	/* (DIVERGES: SO_PEERCRED's sk_peer_pid and sk_peer_cred live in struct unix_sock, the
	 * only family that sets them: 16 B less in every other sock.) */
	/* (sk_rcvtimeo, sk_sndtimeo: in struct sock_rare, see sk_rare.) */
	/* DIVERGES: no sk_timer. 3.10 keeps TCP's keepalive (and the listener's SYN-ACK) timer
	 * here, in every sock of every family; only TCP uses it, and ulnet's TCP drives it from
	 * its one connection timer (inet_connection_sock's icsk_timer, deadline
	 * icsk_keepalive_timeout): 40 B less in every sock. */
	struct socket *sk_socket;
	/* (DIVERGES: no sk_user_data; nothing in ulnet (tunnels, encapsulation) sets it.) */
	struct sk_buff *sk_send_head;
	/* (The owner's uid is the socket inode's, read by sock_i_uid as 3.10: no sk_uid.) */
	/* DIVERGES: 3.10 keeps the five callbacks (and sk_backlog_rcv) as function pointers in
	 * every sock, because in-kernel users (sunrpc, iSCSI, tunnels...) replace them per
	 * socket. In ulnet they only ever depend on the kind of socket (core default, AF_UNIX,
	 * inet datagram, TCP), so a sock points to one const table of them: 40 B less in every
	 * sock. sk->sk_data_ready(sk, n) & co. read as in 3.10 through the macros below; a
	 * socket kind that needs other callbacks sets sk_callbacks to its own table after
	 * sock_init_data. sk_backlog_rcv() calls sk_prot->backlog_rcv (no sk_backlog_rcv copy:
	 * 3.10 copies it because IPv6's mapped sockets switch it; ulnet has no IPv6). */
	const struct sock_callbacks *sk_callbacks;
};

/* The receive state only datagram sockets (UDP, ping: struct inet_dgram) and AF_UNIX
 * (struct unix_sock) use, embedded in those kinds' socks and found from generic code with
 * sk_dgram() through the kind's proto (dgram_offset).
 * DIVERGES: 3.10 has the three in every struct sock (16 B). TCP never reads them in 3.10:
 * tcp_recvmsg neither stamps (sk_stamp stays -1, so SIOCGSTAMP on TCP is -ENOENT) nor
 * counts drops (its receive drops are LINUX_MIB_TCPBACKLOGDROP & co.; no interface of 3.10
 * shows a TCP sock's sk_drops), and only AF_UNIX has set_peek_off. A kind without the
 * block reads as 3.10's untouched fields: no stamp (-1), 0 drops, peek offset -1. */
struct sock_dgram {
	ktime_t sk_stamp;		/* time stamp of the last packet read; -1: none yet */
	atomic_t sk_drops;		/* packets dropped on receive (/proc/net/udp "drops") */
	__s32 sk_peek_off;		/* SO_PEEK_OFF, -1 when off */
};

/* The per-kind callbacks of a sock (see sk_callbacks above). Context: as each callback. */
struct sock_callbacks {
	void (*state_change)(struct sock *sk);
	void (*data_ready)(struct sock *sk, int bytes);
	void (*write_space)(struct sock *sk);
	void (*error_report)(struct sock *sk);
	void (*destruct)(struct sock *sk);
};
#define sk_state_change	sk_callbacks->state_change
#define sk_data_ready	sk_callbacks->data_ready
#define sk_write_space	sk_callbacks->write_space
#define sk_error_report	sk_callbacks->error_report
#define sk_destruct	sk_callbacks->destruct
/* sock_init_data's table: sock_def_wakeup, sock_def_readable, sock_def_write_space,
 * sock_def_error_report, sock_def_destruct. */
extern const struct sock_callbacks sock_def_callbacks;

/* sk_userlocks */
#define SOCK_SNDBUF_LOCK	1
#define SOCK_RCVBUF_LOCK	2
#define SOCK_BINDADDR_LOCK	4
#define SOCK_BINDPORT_LOCK	8

/* sk_no_check (UDP) */
#define UDP_CSUM_NOXMIT		1
#define UDP_CSUM_NORCV		2
#define UDP_CSUM_DEFAULT	0

/* sk_flags bits (3.10 order). */
enum sock_flags {
	SOCK_DEAD,
	SOCK_DONE,
	SOCK_URGINLINE,
	SOCK_KEEPOPEN,
	SOCK_LINGER,
	SOCK_DESTROY,
	SOCK_BROADCAST,
	SOCK_TIMESTAMP,
	SOCK_ZAPPED,
	SOCK_USE_WRITE_QUEUE,	/* whether to call sk->sk_write_space in sock_wfree */
	SOCK_DBG,
	SOCK_RCVTSTAMP,
	SOCK_RCVTSTAMPNS,
	SOCK_LOCALROUTE,	/* SO_DONTROUTE */
	SOCK_QUEUE_SHRUNK,
	SOCK_MEMALLOC,
	SOCK_TIMESTAMPING_TX_HARDWARE,
	SOCK_TIMESTAMPING_TX_SOFTWARE,
	SOCK_TIMESTAMPING_RX_HARDWARE,
	SOCK_TIMESTAMPING_RX_SOFTWARE,
	SOCK_TIMESTAMPING_SOFTWARE,
	SOCK_TIMESTAMPING_RAW_HARDWARE,
	SOCK_TIMESTAMPING_SYS_HARDWARE,
	SOCK_FASYNC,
	SOCK_RXQ_OVFL,
	SOCK_ZEROCOPY,
	SOCK_WIFI_STATUS,
	SOCK_NOFCS,
	SOCK_FILTER_LOCKED,
};

static inline bool sock_flag(const struct sock *sk, enum sock_flags flag)
{
	return test_bit(flag, &sk->sk_flags);
}
static inline void sock_set_flag(struct sock *sk, enum sock_flags flag)
{
	__set_bit(flag, &sk->sk_flags);
}
static inline void sock_reset_flag(struct sock *sk, enum sock_flags flag)
{
	__clear_bit(flag, &sk->sk_flags);
}
static inline void sock_valbool_flag(struct sock *sk, enum sock_flags bit, int valbool)
{
	if (valbool)
		sock_set_flag(sk, bit);
	else
		sock_reset_flag(sk, bit);
}

static inline struct net *sock_net(const struct sock *sk)
{
	return sk->sk_net;
}
static inline void sock_net_set(struct sock *sk, struct net *net)
{
	sk->sk_net = net;
}
static inline wait_queue_head_t *sk_sleep(struct sock *sk)
{
	return &sk->sk_wq->wait;
}
/* Any sleeper on the socket's wait queue? (memory barrier pairs with sock_poll_wait). */
static inline bool wq_has_sleeper(struct socket_wq *wq)
{
	smp_mb();
	return wq && waitqueue_active(&wq->wait);
}

/* ---- hash list helpers ---- */
static inline bool sk_unhashed(const struct sock *sk)
{
	return hlist_unhashed(&sk->sk_node);
}
static inline bool sk_hashed(const struct sock *sk)
{
	return !sk_unhashed(sk);
}
static inline void sk_node_init(struct hlist_node *node)
{
	node->pprev = NULL;
}
static inline void sock_hold(struct sock *sk)
{
	atomic_inc(&sk->sk_refcnt);
}
/* Ungrab socket in the context which assumes the socket refcount cannot hit zero. */
static inline void __sock_put(struct sock *sk)
{
	atomic_dec(&sk->sk_refcnt);
}
void sk_free(struct sock *sk);
/* Drop a reference; the last one frees the sock (sk_free). */
static __always_inline void sock_put(struct sock *sk)
{
	if (atomic_dec_and_test(&sk->sk_refcnt))
		sk_free(sk);
}
static inline void sk_add_node(struct sock *sk, struct hlist_head *list)
{
	sock_hold(sk);
	hlist_add_head(&sk->sk_node, list);
}
static inline bool sk_del_node_init(struct sock *sk)
{
	if (sk_hashed(sk)) {
		hlist_del_init(&sk->sk_node);
		__sock_put(sk);
		return true;
	}
	return false;
}
/* Bind hash (TCP bind buckets' owner lists). */
static inline void sk_add_bind_node(struct sock *sk, struct hlist_head *list)
{
	hlist_add_head(&sk->sk_bind_node, list);
}
static inline void __sk_del_bind_node(struct sock *sk)
{
	__hlist_del(&sk->sk_bind_node);
}
#define sk_for_each_bound(__sk, list) hlist_for_each_entry(__sk, list, sk_bind_node)
static inline struct sock *__sk_head(const struct hlist_head *head)
{
	return hlist_entry(head->first, struct sock, sk_node);
}
static inline struct sock *sk_head(const struct hlist_head *head)
{
	return hlist_empty(head) ? NULL : __sk_head(head);
}
#define sk_nulls_add_node_rcu sk_add_node
#define sk_nulls_del_node_init_rcu sk_del_node_init
#define sk_for_each(__sk, list) hlist_for_each_entry(__sk, list, sk_node)
#define sk_nulls_for_each sk_for_each
#define sk_for_each_safe(__sk, tmp, list) hlist_for_each_entry_safe(__sk, tmp, list, sk_node)

/* ---- the protocol ---- */

/* 3.10's struct proto, minus what belongs to later issues' modules and cgroups. Every
 * socket of the protocol is an obj_size object from its "name" slab cache. */
struct inet_connection_sock_af_ops;
struct proto {
	void (*close)(struct sock *sk, long timeout);
	int (*connect)(struct sock *sk, struct sockaddr *uaddr, int addr_len);
	int (*disconnect)(struct sock *sk, int flags);
	struct sock *(*accept)(struct sock *sk, int flags, int *err);
	int (*ioctl)(struct sock *sk, int cmd, unsigned long arg);
	int (*init)(struct sock *sk);
	void (*destroy)(struct sock *sk);
	void (*shutdown)(struct sock *sk, int how);
	int (*setsockopt)(struct sock *sk, int level, int optname, char *optval,
			  unsigned int optlen);
	int (*getsockopt)(struct sock *sk, int level, int optname, char *optval, int *option);
	int (*sendmsg)(struct kiocb *iocb, struct sock *sk, struct msghdr *msg, size_t len);
	int (*recvmsg)(struct kiocb *iocb, struct sock *sk, struct msghdr *msg, size_t len,
		       int noblock, int flags, int *addr_len);
	int (*bind)(struct sock *sk, struct sockaddr *uaddr, int addr_len);
	int (*backlog_rcv)(struct sock *sk, struct sk_buff *skb);
	/* A connection sock's af_ops (icsk->icsk_af_ops reads it: see inet_connection_sock). */
	const struct inet_connection_sock_af_ops *af_ops;
	void (*release_cb)(struct sock *sk);
	void (*mtu_reduced)(struct sock *sk);
	void (*hash)(struct sock *sk);
	void (*unhash)(struct sock *sk);
	void (*rehash)(struct sock *sk);
	/* Bind @snum (0: pick an ephemeral port). 0 on success, non-zero when taken. */
	int (*get_port)(struct sock *sk, unsigned short snum);
	void (*clear_sk)(struct sock *sk, int size);

	unsigned int inuse_idx;		/* slot in the per-namespace inuse counters */

	/* Memory pressure (tcp_mem / udp_mem, in pages). */
	void (*enter_memory_pressure)(struct sock *sk);
	atomic_long_t *memory_allocated;	/* pages reserved by all sockets */
	atomic_long_t *sockets_allocated;	/* DIVERGES: a plain counter, not percpu */
	int *memory_pressure;
	long *sysctl_mem;			/* [min, pressure, max] pages */
	int *sysctl_wmem;
	int *sysctl_rmem;
	int max_header;
	bool no_autobind;

	struct kmem_cache *slab;
	unsigned int obj_size;
	/* offsetof the kind's struct sock_dgram in its sock; 0: the kind has none (TCP). */
	unsigned int dgram_offset;
	int slab_flags;
	atomic_long_t *orphan_count;
	struct request_sock_ops *rsk_prot;
	struct timewait_sock_ops *twsk_prot;
	union {
		struct inet_hashinfo *hashinfo;
		struct udp_table *udp_table;
		struct raw_hashinfo *raw_hash;
	} h;
	char name[32];
	struct list_head node;		/* on proto_list (/proc/net/protocols) */
};

/* The sock's datagram receive state (struct sock_dgram), NULL for a kind without it. */
static inline struct sock_dgram *sk_dgram(const struct sock *sk)
{
	unsigned int off = sk->sk_prot->dgram_offset;

	return off ? (struct sock_dgram *)((char *)sk + off) : NULL;
}

/* A packet dropped on receive (sock_queue_rcv_skb & co.): counted where the kind keeps
 * drops; a kind without struct sock_dgram has no reader of the count (see there). */
static inline void sk_drops_inc(struct sock *sk)
{
	struct sock_dgram *d = sk_dgram(sk);

	if (d)
		atomic_inc(&d->sk_drops);
}

static inline int sk_drops_read(const struct sock *sk)
{
	const struct sock_dgram *d = sk_dgram(sk);

	return d ? atomic_read(&d->sk_drops) : 0;
}

/* The arrival time of the last packet read (SIOCGSTAMP); -1: none. */
static inline ktime_t sock_read_timestamp(const struct sock *sk)
{
	const struct sock_dgram *d = sk_dgram(sk);

	return d ? d->sk_stamp : -1;
}

static inline void sock_write_timestamp(struct sock *sk, ktime_t kt)
{
	struct sock_dgram *d = sk_dgram(sk);

	if (d)
		d->sk_stamp = kt;
}

/* SO_PEEK_OFF (AF_UNIX): the offset a MSG_PEEK starts at, or 0 (3.10: sk_peek_offset). */
static inline int sk_peek_offset(const struct sock *sk, int flags)
{
	const struct sock_dgram *d = sk_dgram(sk);

	if (d && (flags & MSG_PEEK) && d->sk_peek_off >= 0)
		return d->sk_peek_off;
	return 0;
}

/* The raw SO_PEEK_OFF value, -1 when off (and for a kind without struct sock_dgram). */
static inline int sk_peek_off_get(const struct sock *sk)
{
	const struct sock_dgram *d = sk_dgram(sk);

	return d ? d->sk_peek_off : -1;
}

static inline void sk_peek_off_set(struct sock *sk, int val)
{
	struct sock_dgram *d = sk_dgram(sk);

	if (d)
		d->sk_peek_off = val;
}

/* After reading @val bytes (back) or peeking @val bytes (forward), as 3.10's
 * sk_peek_offset_bwd / sk_peek_offset_fwd. */
static inline void sk_peek_offset_bwd(struct sock *sk, int val)
{
	struct sock_dgram *d = sk_dgram(sk);

	if (d && d->sk_peek_off >= 0)
		d->sk_peek_off = d->sk_peek_off >= val ? d->sk_peek_off - val : 0;
}

static inline void sk_peek_offset_fwd(struct sock *sk, int val)
{
	struct sock_dgram *d = sk_dgram(sk);

	if (d && d->sk_peek_off >= 0)
		d->sk_peek_off += val;
}

/* Register @prot; with @alloc_slab its socket cache @prot->name is created, plus
 * "request_sock_NAME" and "tw_sock_NAME" when rsk_prot / twsk_prot are set (facts.md
 * §5.2: "TCP", "request_sock_TCP", "tw_sock_TCP"). 0 or -ENOBUFS. */
int proto_register(struct proto *prot, int alloc_slab);
void proto_unregister(struct proto *prot);

/* Per-namespace "inuse" counts per protocol (/proc/net/sockstat). */
#define PROTO_INUSE_NR 64
void sock_prot_inuse_add(struct net *net, struct proto *prot, int inc);
int sock_prot_inuse_get(struct net *net, struct proto *proto);

/* ---- allocation ---- */
/* A zeroed sock of @prot's obj_size in @net (the sock holds a reference on @net), one
 * reference, sk_wmem_alloc 1. NULL on ENOMEM. */
struct sock *sk_alloc(struct net *net, int family, gfp_t priority, struct proto *prot);
/* Drop the sk_wmem_alloc reference held while alive; the sock goes when packets in flight
 * are freed too (__sk_free: sk_destruct, then the slab). */
void sk_free(struct sock *sk);
/* Defaults of a new socket attached to @sock (book ch3): queues, sk_rcvbuf/sk_sndbuf from
 * net.core.rmem_default/wmem_default, timeouts MAX_SCHEDULE_TIMEOUT and sk_rcvlowat 1 (no
 * sk_rare block: the accessors' defaults), and the
 * callbacks sk_state_change = sock_def_wakeup, sk_data_ready = sock_def_readable,
 * sk_write_space = sock_def_write_space, sk_error_report = sock_def_error_report
 * (sk_callbacks = &sock_def_callbacks). */
void sock_init_data(struct socket *sock, struct sock *sk);
/* Detach from the socket: SOCK_DEAD, no wait queue. */
static inline void sock_orphan(struct sock *sk)
{
	write_lock_bh(&sk->sk_callback_lock);
	sock_set_flag(sk, SOCK_DEAD);
	sk->sk_socket = NULL;
	sk->sk_wq = NULL;
	write_unlock_bh(&sk->sk_callback_lock);
}
static inline void sock_graft(struct sock *sk, struct socket *parent)
{
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_wq = sock_wq(parent);
	parent->sk = sk;
	sk->sk_socket = parent;
	write_unlock_bh(&sk->sk_callback_lock);
}
/* Remove the protocol half (inet_release -> sk->sk_prot->close). */
void sk_common_release(struct sock *sk);

/* Generic callbacks (net/core/sock.c). */
void sock_def_readable(struct sock *sk, int len);
void sock_def_write_space(struct sock *sk);
void sock_def_wakeup(struct sock *sk);
void sock_def_error_report(struct sock *sk);
void sock_def_destruct(struct sock *sk);

/* ---- locking ---- */
void lock_sock_nested(struct sock *sk, int subclass);
static inline void lock_sock(struct sock *sk)
{
	lock_sock_nested(sk, 0);
}
/* Process the backlog, then let go of the socket (wakes lock_sock waiters). */
void release_sock(struct sock *sk);
#define bh_lock_sock(__sk) spin_lock(&((__sk)->sk_lock.slock))
#define bh_lock_sock_nested(__sk) bh_lock_sock(__sk)
#define bh_unlock_sock(__sk) spin_unlock(&((__sk)->sk_lock.slock))
#define sock_owned_by_user(sk) ((sk)->sk_lock.owned)
/* The shared wait-queue head where lock_sock waits for @sk (see socket_lock_t). */
wait_queue_head_t *sk_lock_waitqueue(const struct sock *sk);
/* lock_sock_fast: the spinlock only when nobody owns the socket (returns true when it had
 * to own it as lock_sock does); unlock_sock_fast undoes either. */
bool lock_sock_fast(struct sock *sk);
static inline void unlock_sock_fast(struct sock *sk, bool slow)
{
	if (slow)
		release_sock(sk);
	else
		spin_unlock_bh(&sk->sk_lock.slock);
}

/* Backlog. Context: softirq, bh_lock_sock held, sock_owned_by_user. */
static inline void __sk_add_backlog(struct sock *sk, struct sk_buff *skb)
{
	skb_dst_force(skb);
	if (!sk->sk_backlog.tail)
		sk->sk_backlog.head = skb;
	else
		sk->sk_backlog.tail->next = skb;
	sk->sk_backlog.tail = skb;
	skb->next = NULL;
}
/* Receive queue plus backlog would exceed @limit (bytes of truesize). */
static inline bool sk_rcvqueues_full(const struct sock *sk, const struct sk_buff *skb,
				     unsigned int limit)
{
	unsigned int qsize = sk->sk_backlog.len + atomic_read(&sk->sk_rmem_alloc);

	return qsize > limit;
}
/* 0, or -ENOBUFS when the queues are full (the caller drops and counts). */
static inline int sk_add_backlog(struct sock *sk, struct sk_buff *skb, unsigned int limit)
{
	if (sk_rcvqueues_full(sk, skb, limit))
		return -ENOBUFS;
	__sk_add_backlog(sk, skb);
	sk->sk_backlog.len += skb->truesize;
	return 0;
}
static inline int sk_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	return sk->sk_prot->backlog_rcv(sk, skb);
}
/* Feed @skb to the protocol's backlog_rcv now or queue it: TCP/UDP receive helper. */
int sk_receive_skb(struct sock *sk, struct sk_buff *skb, const int nested);

/* ---- waiting ---- */
/* Sleep until the receive queue is not empty, *@timeo runs out or a signal comes; the
 * socket is released while asleep (book ch3). Returns the condition. Context: process,
 * socket locked. */
int sk_wait_data(struct sock *sk, long *timeo);
/* Wait while @__condition is false; releases the socket lock around schedule_timeout. */
#define sk_wait_event(__sk, __timeo, __condition)                                 \
	({                                                                        \
		int __rc;                                                         \
		release_sock(__sk);                                               \
		__rc = __condition;                                               \
		if (!__rc)                                                        \
			*(__timeo) = schedule_timeout(*(__timeo));                \
		lock_sock(__sk);                                                  \
		__rc = __condition;                                               \
		__rc;                                                             \
	})
static inline long sock_rcvtimeo(const struct sock *sk, bool noblock)
{
	const struct sock_rare *r = READ_ONCE(sk->sk_rare);

	return noblock ? 0 : r ? r->rcvtimeo : MAX_SCHEDULE_TIMEOUT;
}
static inline long sock_sndtimeo(const struct sock *sk, bool noblock)
{
	const struct sock_rare *r = READ_ONCE(sk->sk_rare);

	return noblock ? 0 : r ? r->sndtimeo : MAX_SCHEDULE_TIMEOUT;
}
static inline int sock_rcvlowat(const struct sock *sk, int waitall, int len)
{
	const struct sock_rare *r = READ_ONCE(sk->sk_rare);

	return (waitall ? len : min_t(int, r ? r->rcvlowat : 1, len)) ?: 1;
}
/* 3.10's sk->sk_lingertime (SO_LINGER's time in jiffies; 0 without the option). */
static inline unsigned long sock_lingertime(const struct sock *sk)
{
	const struct sock_rare *r = READ_ONCE(sk->sk_rare);

	return r ? r->lingertime : 0;
}
/* 3.10's sk->sk_priority (SO_PRIORITY, IP_TOS: what the socket's skbs carry; 0 without). */
static inline __u32 sock_priority(const struct sock *sk)
{
	const struct sock_rare *r = READ_ONCE(sk->sk_rare);

	return r ? r->priority : 0;
}
/* -EAGAIN for a zero timeout, -ERESTARTSYS/-EINTR for a signal (as sock_intr_errno). */
static inline int sock_intr_errno(long timeo)
{
	return timeo == MAX_SCHEDULE_TIMEOUT ? -ERESTARTSYS : -EINTR;
}
static inline int sock_error(struct sock *sk)
{
	int err;

	if (likely(!sk->sk_err))
		return 0;
	err = __atomic_exchange_n(&sk->sk_err, 0, __ATOMIC_SEQ_CST);
	return -err;
}
static inline void sk_wake_async(struct sock *sk, int how, int band)
{
	if (sock_flag(sk, SOCK_FASYNC))
		sock_wake_async(sk->sk_socket, how, band);
}

/* ---- buffer accounting ---- */
#define SK_MEM_QUANTUM		4096	/* (int)PAGE_SIZE */
#define SK_MEM_QUANTUM_SHIFT	12
#define SK_MEM_SEND		0
#define SK_MEM_RECV		1
/* Floor of SO_SNDBUF / SO_RCVBUF (3.10: 2048 and 2048 + sizeof(struct sk_buff); ulnet's
 * sk_buff is smaller, so SOCK_MIN_RCVBUF is computed from it). */
#define SOCK_MIN_SNDBUF		2048
#define SOCK_MIN_RCVBUF		(2048 + (int)sizeof(struct sk_buff))
/* net.core.[rw]mem_max and _default: SKB_TRUESIZE(256) * 256 with Linux's sizes, 212992. */
#define SK_WMEM_MAX		212992
#define SK_RMEM_MAX		212992

static inline int sk_mem_pages(int amt)
{
	return (amt + SK_MEM_QUANTUM - 1) >> SK_MEM_QUANTUM_SHIFT;
}
static inline bool sk_has_account(const struct sock *sk)
{
	return !!sk->sk_prot->memory_allocated;
}
int __sk_mem_schedule(struct sock *sk, int size, int kind);
void __sk_mem_reclaim(struct sock *sk);
static inline bool sk_wmem_schedule(struct sock *sk, int size)
{
	if (!sk_has_account(sk))
		return true;
	return size <= sk->sk_forward_alloc || __sk_mem_schedule(sk, size, SK_MEM_SEND);
}
static inline bool sk_rmem_schedule(struct sock *sk, struct sk_buff *skb, int size)
{
	if (!sk_has_account(sk))
		return true;
	return size <= sk->sk_forward_alloc || __sk_mem_schedule(sk, size, SK_MEM_RECV);
}
static inline void sk_mem_reclaim(struct sock *sk)
{
	if (!sk_has_account(sk))
		return;
	if (sk->sk_forward_alloc >= SK_MEM_QUANTUM)
		__sk_mem_reclaim(sk);
}
static inline void sk_mem_reclaim_partial(struct sock *sk)
{
	if (!sk_has_account(sk))
		return;
	if (sk->sk_forward_alloc > SK_MEM_QUANTUM)
		__sk_mem_reclaim(sk);
}
static inline void sk_mem_charge(struct sock *sk, int size)
{
	if (!sk_has_account(sk))
		return;
	sk->sk_forward_alloc -= size;
}
static inline void sk_mem_uncharge(struct sock *sk, int size)
{
	if (!sk_has_account(sk))
		return;
	sk->sk_forward_alloc += size;
}
static inline long sk_memory_allocated(const struct sock *sk)
{
	return atomic_long_read(sk->sk_prot->memory_allocated);
}
static inline int sk_wmem_alloc_get(const struct sock *sk)
{
	return atomic_read(&sk->sk_wmem_alloc) - 1;
}
static inline int sk_rmem_alloc_get(const struct sock *sk)
{
	return atomic_read(&sk->sk_rmem_alloc);
}
static inline bool sk_has_allocations(const struct sock *sk)
{
	return sk_wmem_alloc_get(sk) || sk_rmem_alloc_get(sk);
}
static inline int sock_writeable(const struct sock *sk)
{
	return atomic_read(&sk->sk_wmem_alloc) < (sk->sk_sndbuf >> 1);
}
static inline int sk_stream_min_wspace(const struct sock *sk)
{
	return sk->sk_wmem_queued >> 1;
}

/* skb ownership: the destructors uncharge the socket when the skb is freed. */
void sock_rfree(struct sk_buff *skb);
void sock_wfree(struct sk_buff *skb);
void sock_edemux(struct sk_buff *skb);
/* The socket early demux put in skb->sk (with its reference), taken off the skb: the
 * caller owns the reference. NULL if there is none. */
static inline struct sock *skb_steal_sock(struct sk_buff *skb)
{
	if (unlikely(skb->sk)) {
		struct sock *sk = skb->sk;

		skb->destructor = NULL;
		skb->sk = NULL;
		return sk;
	}
	return NULL;
}
static inline void skb_set_owner_r(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_rfree;
	atomic_add((int)skb->truesize, &sk->sk_rmem_alloc);
	sk_mem_charge(sk, (int)skb->truesize);
}
void skb_set_owner_w(struct sk_buff *skb, struct sock *sk);
/* Queue @skb on sk_receive_queue and wake readers (sk_data_ready). 0, or -ENOMEM (receive
 * buffer full: sk_rmem_alloc >= sk_rcvbuf), -ENOBUFS (no protocol memory); on error the
 * caller still owns @skb. Context: softirq or process. */
int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb);
int sock_queue_err_skb(struct sock *sk, struct sk_buff *skb);
/* The error queue (see sk_error_queue): empty when never allocated; purge frees the skbs
 * (the head stays until sk_error_queue_free, at __sk_free). */
static inline bool sk_error_queue_empty(const struct sock *sk)
{
	return !sk->sk_error_queue || skb_queue_empty(sk->sk_error_queue);
}
void sk_error_queue_purge(struct sock *sk);
void sk_error_queue_free(struct sock *sk);
/* A send buffer of @size bytes charged to sk_wmem_alloc; sleeps while the send buffer is
 * full (up to the send timeout). NULL with *@errcode = -EAGAIN, -EPIPE, -ERESTARTSYS,
 * -ENOBUFS or the socket error. */
struct sk_buff *sock_alloc_send_skb(struct sock *sk, unsigned long size, int noblock,
				    int *errcode);
struct sk_buff *sock_alloc_send_pskb(struct sock *sk, unsigned long header_len,
				     unsigned long data_len, int noblock, int *errcode);
struct sk_buff *sock_wmalloc(struct sock *sk, unsigned long size, int force, gfp_t priority);
void *sock_kmalloc(struct sock *sk, int size, gfp_t priority);
void sock_kfree_s(struct sock *sk, void *mem, int size);

/* ---- routes cached on the socket (connected UDP, TCP) ---- */
struct dst_entry *__sk_dst_get(struct sock *sk);
struct dst_entry *sk_dst_get(struct sock *sk);	/* with a reference */
void __sk_dst_set(struct sock *sk, struct dst_entry *dst);	/* takes @dst's reference */
void sk_dst_set(struct sock *sk, struct dst_entry *dst);
void __sk_dst_reset(struct sock *sk);
void sk_dst_reset(struct sock *sk);
/* The cached route if still valid (dst->obsolete checks), else reset and NULL. */
struct dst_entry *__sk_dst_check(struct sock *sk, u32 cookie);
struct dst_entry *sk_dst_check(struct sock *sk, u32 cookie);
void sk_setup_caps(struct sock *sk, struct dst_entry *dst);

/* ---- socket options (SOL_SOCKET) ---- */
int sock_setsockopt(struct socket *sock, int level, int op, char *optval, unsigned int optlen);
int sock_getsockopt(struct socket *sock, int level, int op, char *optval, int *optlen);
int sock_common_getsockopt(struct socket *sock, int level, int optname, char *optval,
			   int *optlen);
int sock_common_setsockopt(struct socket *sock, int level, int optname, char *optval,
			   unsigned int optlen);
int sock_common_recvmsg(struct kiocb *iocb, struct socket *sock, struct msghdr *msg,
			size_t size, int flags);
/* A datagram read (udp_recvmsg, ping_recvmsg): sock_recv_timestamp, and the SO_RXQ_OVFL
 * control message (the socket's drops when it was queued) when asked and not 0. */
void sock_recv_ts_and_drops(struct msghdr *msg, struct sock *sk, struct sk_buff *skb);
/* Turn on @flag (SOCK_TIMESTAMP) and, with the first socket to need it, the stamping of
 * every received packet (net_enable_timestamp); sk_free turns it off again. */
void sock_enable_timestamp(struct sock *sk, int flag);
static inline void sock_tx_timestamp(struct sock *sk, __u8 *tx_flags)
{
	*tx_flags = 0;
}

/* proto_ops stubs: -EOPNOTSUPP (or what Linux returns) so callers never test for NULL. */
int sock_no_bind(struct socket *sock, struct sockaddr *saddr, int len);
int sock_no_connect(struct socket *sock, struct sockaddr *saddr, int len, int flags);
int sock_no_socketpair(struct socket *sock1, struct socket *sock2);
int sock_no_accept(struct socket *sock, struct socket *newsock, int flags);
int sock_no_getname(struct socket *sock, struct sockaddr *saddr, int *len, int peer);
unsigned int sock_no_poll(struct file *file, struct socket *sock, struct poll_table_struct *pt);
int sock_no_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
int sock_no_listen(struct socket *sock, int backlog);
int sock_no_shutdown(struct socket *sock, int how);
/* sendpage without zero copy: map the page and send a copy (kernel_sendmsg), counted as a
 * kernel copy (linux/uaccess.h). net/core/sock_page.c. */
ssize_t sock_no_sendpage(struct socket *sock, struct page *page, int offset, size_t size,
			 int flags);

/* 3.10 SKB_FRAG_PAGE_ORDER: sk_frag pages are 32 KiB when the allocation may wait. */
#define SKB_FRAG_PAGE_ORDER	3
/* The page frag a socket's send path copies into: the task's (3.10: sockets whose
 * allocations may sleep, GFP_KERNEL, the TCP default, share current->task_frag, so a task
 * holds one 32 KiB page whatever its number of sockets), else the socket's sk_frag.
 * DIVERGES: only tasks that run a function (ul_task_spawn: they are released when joined)
 * have a task_frag; the stack's init context and foreign application threads, which live as
 * long as the stack, write into the socket's sk_frag, so the page goes with the socket. */
/* DIVERGES: the socket's own page frag is in its sk_rare block, allocated here the first
 * time (with sk_allocation); NULL when that allocation fails: the caller waits for memory
 * as when the page cannot be had (sk_page_frag_refill). */
static inline struct page_frag *sk_page_frag(struct sock *sk)
{
	struct sock_rare *r;

	if (sk->sk_allocation == GFP_KERNEL && current && current->fn)
		return &current->task_frag;
	r = sk_rare_alloc(sk, sk->sk_allocation);
	return r ? &r->frag : NULL;
}
/* Make sure @pfrag has room: reuse its page when nothing else holds it, else a new page of
 * order SKB_FRAG_PAGE_ORDER (GFP_KERNEL sockets) falling back to order 0. false: no
 * memory (memory pressure entered, sndbuf moderated). net/core/sock_page.c. */
bool sk_page_frag_refill(struct sock *sk, struct page_frag *pfrag);
int sock_no_setsockopt(struct socket *sock, int level, int optname, char *optval,
		       unsigned int optlen);
int sock_no_getsockopt(struct socket *sock, int level, int optname, char *optval, int *optlen);
int sock_no_sendmsg(struct kiocb *iocb, struct socket *sock, struct msghdr *m, size_t len);
int sock_no_recvmsg(struct kiocb *iocb, struct socket *sock, struct msghdr *m, size_t len,
		    int flags);

/* Poll helper: register on the socket's wait queue (datagram_poll, tcp_poll). */
static inline void sock_poll_wait(struct file *filp, wait_queue_head_t *wait_address,
				  poll_table *p)
{
	if (!poll_does_not_wait(p) && wait_address) {
		poll_wait(filp, wait_address, p);
		smp_mb();
	}
}

/* The SO_TIMESTAMP / SO_TIMESTAMPNS control message of a packet read (net/socket.c). */
void __sock_recv_timestamp(struct msghdr *msg, struct sock *sk, struct sk_buff *skb);

/* A packet read: its arrival time as a control message when asked (SO_TIMESTAMP), else
 * kept for SIOCGSTAMP (sk_stamp), as 3.10. (No SO_TIMESTAMPING: ulnet has no hardware
 * stamps, and SO_TIMESTAMPING is not settable.) */
static inline void sock_recv_timestamp(struct msghdr *msg, struct sock *sk, struct sk_buff *skb)
{
	if (sock_flag(sk, SOCK_RCVTSTAMP))
		__sock_recv_timestamp(msg, sk, skb);
	else
		sock_write_timestamp(sk, skb->tstamp);
}

/* ---- datagrams (net/core/datagram.c; declared in linux/skbuff.h in 3.10) ---- */
/* Take the next datagram off the receive queue (MSG_PEEK: a reference to it, left queued),
 * sleeping up to the receive timeout (MSG_DONTWAIT: not at all) as an exclusive waiter
 * woken by sk_data_ready with POLLIN. NULL with *@err = -EAGAIN (timeout or nothing),
 * the socket error, -ERESTARTSYS/-EINTR (signal), 0 (shut down), -ENOTCONN. *@peeked tells
 * whether a MSG_PEEK already saw it; *@off is the SO_PEEK_OFF offset. Context: process. */
struct sk_buff *__skb_recv_datagram(struct sock *sk, unsigned int flags, int *peeked, int *off,
				    int *err);
struct sk_buff *skb_recv_datagram(struct sock *sk, unsigned int flags, int noblock, int *err);
void skb_free_datagram(struct sock *sk, struct sk_buff *skb);
void skb_free_datagram_locked(struct sock *sk, struct sk_buff *skb);
/* Drop a datagram the reader could not use (checksum error): unlinks a peeked one,
 * sk_drops++. 0 or -ENOENT. */
int skb_kill_datagram(struct sock *sk, struct sk_buff *skb, unsigned int flags);
/* Copy @len bytes from @offset of the packet into the iovec (consumed). 0 or -EFAULT. */
int skb_copy_datagram_iovec(const struct sk_buff *skb, int offset, struct iovec *to, int len);
/* Copy from @hlen to the end while verifying the checksum (skb->csum holds the sum of the
 * pseudo header): 0, -EINVAL (bad checksum) or -EFAULT. */
int skb_copy_and_csum_datagram_iovec(struct sk_buff *skb, int hlen, struct iovec *iov);
/* poll for datagram sockets: POLLIN when queued, POLLOUT when writeable, POLLERR... */
unsigned int datagram_poll(struct file *file, struct socket *sock, poll_table *wait);
/* Verify a checksum started in skb->csum over the whole packet; 0 if good (ip_summed
 * becomes CHECKSUM_UNNECESSARY). */
__sum16 __skb_checksum_complete(struct sk_buff *skb);
__sum16 __skb_checksum_complete_head(struct sk_buff *skb, int len);
static inline __sum16 skb_checksum_complete(struct sk_buff *skb)
{
	return skb_csum_unnecessary(skb) ? 0 : __skb_checksum_complete(skb);
}

/* The inode number and owner of the socket's file (/proc/net/udp, ss); 0 when orphaned. */
unsigned long sock_i_ino(struct sock *sk);
uid_t sock_i_uid(struct sock *sk);

/* DIVERGES: Linux sizes tcp_mem/udp_mem (and fs.file-max) from the machine's free buffer
 * pages; ulnet assumes a machine with 8 GiB of RAM (2097152 pages of 4 KiB) everywhere. */
#define UL_NR_FREE_BUFFER_PAGES	2097152UL

/* ---- stream sockets (net/core/stream.c) ---- */
/* Wake writers when the send buffer has room again (TCP's sk_write_space). */
void sk_stream_write_space(struct sock *sk);
/* Free what is left in the receive and write queues of a dying stream socket. */
void sk_stream_kill_queues(struct sock *sk);
/* Wait until the connection is established (or failed): 0, -EPIPE, -EAGAIN, signal. */
int sk_stream_wait_connect(struct sock *sk, long *timeo_p);
/* Sleep until the send buffer has room (sk_stream_memory_free), up to *@timeo_p: 0,
 * -EPIPE (shut down or error), -EAGAIN (timeout), a signal errno. Context: process,
 * socket locked. */
int sk_stream_wait_memory(struct sock *sk, long *timeo_p);
/* The errno a failed stream send returns: the pending socket error for -EPIPE.
 * DIVERGES: no SIGPIPE (ulnet has no signals): EPIPE as with MSG_NOSIGNAL. */
int sk_stream_error(struct sock *sk, int flags, int err);
/* close() with SO_LINGER {1, t}: sleep until the FIN is ACKed, up to @timeout jiffies. */
void sk_stream_wait_close(struct sock *sk, long timeout);
/* Out of memory for the send queue: shrink sk_sndbuf to half of what is queued (not below
 * SOCK_MIN_SNDBUF) unless the user set it. */
static inline void sk_stream_moderate_sndbuf(struct sock *sk)
{
	if (!(sk->sk_userlocks & SOCK_SNDBUF_LOCK)) {
		if (sk->sk_sndbuf > sk->sk_wmem_queued >> 1)
			sk->sk_sndbuf = sk->sk_wmem_queued >> 1;
		if (sk->sk_sndbuf < SOCK_MIN_SNDBUF)
			sk->sk_sndbuf = SOCK_MIN_SNDBUF;
	}
}
/* Protocol memory pressure (tcp_memory_pressure) is on. */
static inline bool sk_stream_under_memory_pressure(const struct sock *sk)
{
	return sk->sk_prot->memory_pressure && *sk->sk_prot->memory_pressure;
}
static inline bool sk_stream_memory_free(const struct sock *sk)
{
	return sk->sk_wmem_queued < sk->sk_sndbuf;
}
static inline int sk_stream_wspace(const struct sock *sk)
{
	return sk->sk_sndbuf - sk->sk_wmem_queued;
}
static inline bool sk_stream_is_writeable(const struct sock *sk)
{
	return sk_stream_wspace(sk) >= sk_stream_min_wspace(sk);
}

/* Boot of net/core/sock.c: the per-namespace inuse counters, proto_list, /proc/net/protocols.
 * Called from sock_init. */
int sk_init(void);
void sk_fini(void);
/* Sockets (struct sock) allocated and not freed, all protocols (tests). */
long ul_sk_in_use(void);

#endif
