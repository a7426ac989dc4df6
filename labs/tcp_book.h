/* SPDX-License-Identifier: MIT */
/* Shared pieces of the book's TCP labs (ch6-ch8): listeners and non-blocking connects from
 * the lab's own thread in a namespace, socket state, views (ss, netstat) printed and kept,
 * slab counts, and a recorder of the TCP segments that leave a host.
 * Mirrors no kernel file: lab plumbing over the ul_ socket calls, the views and a
 * netfilter LOCAL_OUT hook. Context: the lab's thread (process), a stack booted. */
#ifndef ULNET_LABS_TCP_BOOK_H
#define ULNET_LABS_TCP_BOOK_H
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include "linux/types.h"
#include "ulnet/lab.h"

#define LAB_MS	(1000ULL * 1000ULL)
#define LAB_SEC (1000ULL * LAB_MS)

/* AF_INET @ip:@port (host order). */
struct sockaddr_in lab_sin(const char *ip, int port);
/* Make @ns the namespace of the lab's thread (its sockets and routes). */
void lab_enter(const char *ns);
/* A TCP listener in @ns on @ip:@port with SO_REUSEADDR and listen(@backlog), non-blocking
 * (accept answers EAGAIN when the queue is empty). The fd or -errno. */
int lab_tcp_listen(const char *ns, const char *ip, int port, int backlog);
/* A non-blocking TCP socket in @ns, bound to @src (NULL: any) and connecting to @dst:@port.
 * The fd when connect said EINPROGRESS or 0; -errno (the socket closed) otherwise. */
int lab_tcp_connect(const char *ns, const char *src, const char *dst, int port);
/* The TCP state of @fd's sock (TCP_ESTABLISHED...), -EBADF when @fd is no socket. */
int lab_tcp_state(int fd);
/* The name Linux's ss prints for a state ("ESTAB", "SYN-SENT"...). */
const char *lab_tcp_state_name(int state);
/* The listener's queues: accept queue length / its max (sk_ack_backlog,
 * sk_max_ack_backlog), SYN queue length / its table size (listen_sock). -EBADF. */
int lab_listen_queues(int fd, int *acc, int *acc_max, int *syn, int *syn_max);

/* Run a view line ("ss -lnt", "netstat -s") in @ns, echoed as typed; print its lines (only
 * those containing one of @grep's strings, when @grep is non-NULL; NULL-terminated). The
 * output malloc'ed (free it), "" on error. */
char *lab_view(struct ul_lab_ctx *ctx, const char *ns, const char *const *grep,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A /proc/slabinfo field (active_objs, objsize) of @cache; -1 when missing. */
long long lab_slab(const char *cache, const char *field);

/* The TCP segments the stack sends (a LOCAL_OUT hook): time, flags and the 4-tuple. */
struct lab_seg {
	u64 t;
	u8 flags;		/* TCPHDR_* */
	__be32 saddr, daddr;
	u16 sport, dport;	/* host order */
};
/* Start recording (at most @max segments into @segs, whose count is *@n). 0 or -errno. */
int lab_seg_start(struct lab_seg *segs, int max, int *n);
void lab_seg_stop(void);
/* "SYN", "SYN-ACK", "ACK", "RST", "FIN-ACK"... */
const char *lab_seg_flags(u8 flags, char *buf, size_t len);

/* Resolve @ns_tx's neighbour entry for @dst (one UDP datagram to @ns_rx): an unresolved
 * neighbour queues only unres_qlen_bytes (64 KiB) of a burst and drops its oldest packets. */
void lab_warm_neigh(const char *ns_tx, const char *ns_rx, const char *dst);

/* Time of a run of the lab's thread (CPU seconds of this process, for "CPU per connect"). */
double lab_cpu_seconds(void);

/* A snapshot of /proc/slabinfo: each cache's active objects and object size. */
#define LAB_SLABS_MAX 96
struct lab_slabs {
	int n;
	struct {
		char name[40];
		long long objs, objsize;
	} c[LAB_SLABS_MAX];
};
void lab_slabs_read(struct lab_slabs *s);
/* @name's active objects in @b minus those in @a (0 when missing); its objsize in *@objsize
 * (may be NULL). */
long long lab_slabs_delta(const struct lab_slabs *a, const struct lab_slabs *b,
			  const char *name, long long *objsize);
/* Bytes (active objects x objsize) added from @a to @b over every cache. */
long long lab_slabs_bytes(const struct lab_slabs *a, const struct lab_slabs *b);

/* Many connections from the lab's thread: client sockets in @ns_c, accepted ones in @ns_s on
 * up to 8 listeners. Connects go in batches of LAB_CONNS_BATCH, the stack running 2 ms after
 * each batch (a bigger burst would overflow the qdisc and the NIC rings) and the listeners
 * drained by accept(). */
#define LAB_CONNS_BATCH 100
struct lab_conns {
	const char *ns_c, *ns_s;
	int *cfd, *sfd;		/* client fds (in creation order), accepted fds */
	int nc, ns, cap;
	int lfd[8], nl;
	int err;		/* the first errno of a failed socket/bind/connect/accept */
};
/* Room for @cap connections. 0 or -ENOMEM. */
int lab_conns_alloc(struct lab_conns *c, const char *ns_c, const char *ns_s, int cap);
/* One client socket, bound to @src:0 when @src is non-NULL. Its index or -errno. */
int lab_conns_socket(struct lab_conns *c, const char *src);
/* Connect the client sockets [@from, nc) to @dst:@port; accepts on the way. Returns how many
 * failed (c->err says why). */
int lab_conns_connect(struct lab_conns *c, int from, const char *dst, int port);
/* Drain the listeners. */
void lab_conns_accept(struct lab_conns *c);
/* Close the client sockets, then (@server) the accepted ones, in batches. */
void lab_conns_close(struct lab_conns *c, bool client, bool server);
/* Close everything left (listeners too) and free. */
void lab_conns_free(struct lab_conns *c);

#endif
