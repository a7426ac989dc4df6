/* SPDX-License-Identifier: MIT */
/* Request socks (embryonic TCP connections in a listener's SYN queue), the listener's two
 * queues (SYN table and accept queue) and the per-protocol ops with their slab cache.
 * Mirrors linux/include/net/request_sock.h and net/core/request_sock.c (3.10):
 * struct request_sock_ops, struct request_sock, struct listen_sock, struct
 * request_sock_queue, reqsk_alloc, reqsk_free, reqsk_queue_alloc, reqsk_queue_destroy,
 * reqsk_queue_add, reqsk_queue_remove, reqsk_queue_unlink, reqsk_queue_is_full,
 * reqsk_queue_added/removed, reqsk_queue_len/len_young.
 *
 * Book ch6: the accept queue is a linked list (rskq_accept_head/tail) of requests whose
 * child socket is ESTABLISHED; the SYN queue is a hash table (listen_sock.syn_table) of
 * nr_table_entries buckets sized by reqsk_queue_alloc from tcp_max_syn_backlog. */
#ifndef _NET_REQUEST_SOCK_H
#define _NET_REQUEST_SOCK_H
#include "linux/spinlock.h"
#include "linux/types.h"

struct kmem_cache;
struct request_sock;
struct sk_buff;
struct sock;
struct dst_entry;

struct request_sock_ops {
	int family;
	int obj_size;			/* sizeof the protocol's request sock (tcp_request_sock) */
	struct kmem_cache *slab;	/* "request_sock_<proto>", made by proto_register */
	char *slab_name;
	/* Retransmit the SYN-ACK (listener timer). 0 or -errno. */
	int (*rtx_syn_ack)(struct sock *sk, struct request_sock *req);
	/* Answer @skb (a segment for @req) with an ACK / a RST. */
	void (*send_ack)(struct sock *sk, struct sk_buff *skb, struct request_sock *req);
	void (*send_reset)(struct sock *sk, struct sk_buff *skb);
	void (*destructor)(struct request_sock *req);
	/* A SYN-ACK timeout happened (counts TCPTimeouts). */
	void (*syn_ack_timeout)(struct sock *sk, struct request_sock *req);
};

/* struct request_sock - mini sock to represent a connection request (3.10 layout). */
struct request_sock {
	struct request_sock *dl_next;	/* SYN-table chain or accept-queue link */
	u16 mss;
	u8 num_retrans;			/* SYN-ACKs retransmitted */
	u8 cookie_ts:1;			/* syncookie: encode tcpopts in timestamp */
	u8 num_timeout:7;		/* SYN-ACK timeouts so far */
	u32 window_clamp;		/* window clamp at creation time */
	u32 rcv_wnd;			/* rcv_wnd offered first time */
	u32 ts_recent;
	unsigned long expires;		/* jiffies of the next SYN-ACK timeout */
	const struct request_sock_ops *rsk_ops;
	struct sock *sk;		/* the child, once tcp_check_req made it */
};

/* A request from the protocol's cache ("request_sock_TCP"); NULL on ENOMEM. */
struct request_sock *reqsk_alloc(const struct request_sock_ops *ops);
void __reqsk_free(struct request_sock *req);
/* The destructor, then the cache. */
void reqsk_free(struct request_sock *req);

/* struct listen_sock - listen state: the SYN table.
 * @max_qlen_log: log_2 of maximal queued SYNs/REQUESTs. */
struct listen_sock {
	/* The accept queue: a FIFO of established children (3.10: in request_sock_queue).
	 * DIVERGES: kept here, allocated at listen(), so a connected sock does not carry
	 * these 16 bytes; a queue without listen_opt is empty. */
	struct request_sock *rskq_accept_head;
	struct request_sock *rskq_accept_tail;
	u8 max_qlen_log;
	u8 synflood_warned;		/* "Possible SYN flooding" printed for this listener */
	int qlen;			/* requests in the SYN table */
	int qlen_young;			/* of which never timed out */
	int clock_hand;			/* next bucket the prune timer visits */
	u32 hash_rnd;			/* random key of the SYN-table hash */
	u32 nr_table_entries;
	/* Orders SYN-table changes against readers (ss). DIVERGES: 3.10 keeps it in struct
	 * request_sock_queue, in every connection sock; here it lives and dies with the
	 * table. Readers reach the table only through a listener they found in the listening
	 * hash, under that hash's lock, and a listener leaves the hash before its table is
	 * freed (tcp_set_state(TCP_CLOSE) before inet_csk_listen_stop), so the lock is never
	 * taken after the free. */
	rwlock_t syn_wait_lock;
	/* jiffies of the last SYN queue overflow (tcp_synq_overflow). DIVERGES: 3.10 keeps it
	 * in the listener's rx_opt.ts_recent_stamp, a long; ulnet's is a u32 of seconds. */
	unsigned long synq_overflow_stamp;
	struct request_sock *syn_table[];
};

/* struct request_sock_queue - queue of request_socks
 * @listen_opt - SYN table and accept queue (listen_opt->rskq_accept_head/tail) and their
 *		 lock (listen_opt->syn_wait_lock), from reqsk_queue_alloc at listen() to
 *		 reqsk_queue_destroy; NULL in a sock that does not listen
 * DIVERGES: 3.10's struct also holds syn_wait_lock and rskq_defer_accept (16 B in every
 * connection sock). The lock is the listener's alone and moved into the listen_sock
 * allocated at listen(); TCP_DEFER_ACCEPT is set on any sock (a client's delays its
 * handshake ACK), so it stays in the sock as inet_connection_sock.icsk_defer_accept.
 * What is left is the pointer to the listener-only allocation: 8 B. */
struct request_sock_queue {
	struct listen_sock *listen_opt;
};

/* facts.md §3.1: nr = min(nr_table_entries, tcp_max_syn_backlog), at least 8, rounded up
 * to a power of two after +1; max_qlen_log = log2(nr). 0 or -ENOMEM. */
int reqsk_queue_alloc(struct request_sock_queue *queue, unsigned int nr_table_entries);
/* Free the SYN table and every request still in it (listener close). */
void reqsk_queue_destroy(struct request_sock_queue *queue);
extern int sysctl_max_syn_backlog;

static inline bool reqsk_queue_empty(const struct request_sock_queue *queue)
{
	return queue->listen_opt == NULL || queue->listen_opt->rskq_accept_head == NULL;
}
/* Take the first established child off the (not empty) accept queue. */
static inline struct request_sock *reqsk_queue_remove(struct request_sock_queue *queue)
{
	struct listen_sock *lopt = queue->listen_opt;
	struct request_sock *req = lopt->rskq_accept_head;

	lopt->rskq_accept_head = req->dl_next;
	if (lopt->rskq_accept_head == NULL)
		lopt->rskq_accept_tail = NULL;
	return req;
}
static inline int reqsk_queue_removed(struct request_sock_queue *queue,
				      struct request_sock *req)
{
	struct listen_sock *lopt = queue->listen_opt;

	if (req->num_timeout == 0)
		--lopt->qlen_young;
	return --lopt->qlen;
}
static inline int reqsk_queue_added(struct request_sock_queue *queue)
{
	struct listen_sock *lopt = queue->listen_opt;
	const int prev_qlen = lopt->qlen;

	lopt->qlen_young++;
	lopt->qlen++;
	return prev_qlen;
}
static inline int reqsk_queue_len(const struct request_sock_queue *queue)
{
	return queue->listen_opt != NULL ? queue->listen_opt->qlen : 0;
}
static inline int reqsk_queue_len_young(const struct request_sock_queue *queue)
{
	return queue->listen_opt->qlen_young;
}
/* facts.md §3.1: full when qlen >= nr_table_entries. */
static inline int reqsk_queue_is_full(const struct request_sock_queue *queue)
{
	return queue->listen_opt->qlen >> queue->listen_opt->max_qlen_log;
}
/* Unlink @req from its SYN-table bucket (@prev's chain, or the bucket head). */
static inline void reqsk_queue_unlink(struct request_sock_queue *queue,
				      struct request_sock *req, struct request_sock **prev_req)
{
	write_lock(&queue->listen_opt->syn_wait_lock);
	*prev_req = req->dl_next;
	write_unlock(&queue->listen_opt->syn_wait_lock);
}
static inline void reqsk_queue_hash_req(struct request_sock_queue *queue, u32 hash,
					struct request_sock *req, unsigned long timeout,
					unsigned long now)
{
	struct listen_sock *lopt = queue->listen_opt;

	req->expires = now + timeout;
	req->num_retrans = 0;
	req->num_timeout = 0;
	req->sk = NULL;
	req->dl_next = lopt->syn_table[hash];
	write_lock(&lopt->syn_wait_lock);
	lopt->syn_table[hash] = req;
	write_unlock(&lopt->syn_wait_lock);
}

#endif
