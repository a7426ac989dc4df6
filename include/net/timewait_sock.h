/* SPDX-License-Identifier: MIT */
/* TIME-WAIT socks: the per-protocol ops and their slab cache.
 * Mirrors linux/include/net/timewait_sock.h (3.10): struct timewait_sock_ops (twsk_slab,
 * twsk_slab_name, twsk_obj_size, twsk_unique, twsk_destructor). */
#ifndef _NET_TIMEWAIT_SOCK_H
#define _NET_TIMEWAIT_SOCK_H

struct kmem_cache;
struct sock;

struct timewait_sock_ops {
	struct kmem_cache *twsk_slab;	/* "tw_sock_<proto>", made by proto_register */
	char *twsk_slab_name;
	unsigned int twsk_obj_size;	/* sizeof the protocol's timewait sock */
	/* May @sk take over the 4-tuple of TIME_WAIT @sktw (tcp_twsk_unique)? @twp: NULL when
	 * the caller only asks (bind conflict), else the TW is to be killed. */
	int (*twsk_unique)(struct sock *sk, struct sock *sktw, void *twp);
	void (*twsk_destructor)(struct sock *sk);
};

#endif
