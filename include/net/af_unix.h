/* SPDX-License-Identifier: MIT */
/* AF_UNIX sockets as seen from outside af_unix.c: what unix_diag reports of each one.
 * Mirrors linux/include/net/af_unix.h and net/unix/diag.c (3.10): sk_diag_fill's fields
 * (UNIX_DIAG_NAME, UNIX_DIAG_PEER, UNIX_DIAG_RQLEN), walked as unix_diag_dump walks
 * unix_socket_table.
 *
 * Context: process; the walker takes unix_table_lock and each socket's state lock, so the
 * callback must not call back into AF_UNIX. */
#ifndef _NET_AF_UNIX_H
#define _NET_AF_UNIX_H
#include <sys/un.h>
#include "linux/types.h"

struct net;
struct sock;

struct unix_diag_info {
	struct sock *sk;
	int type;		/* SOCK_STREAM, SOCK_DGRAM */
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
