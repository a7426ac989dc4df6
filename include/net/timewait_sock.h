/* SPDX-License-Identifier: MIT */
/* TIME-WAIT socks: the per-protocol ops and their slab cache.
 * Mirrors linux/include/net/timewait_sock.h (3.10): struct timewait_sock_ops (the part
 * proto_register uses: twsk_slab, twsk_slab_name, twsk_obj_size). The TCP work (issue #6)
 * adds the methods (twsk_unique, twsk_destructor). */
#ifndef _NET_TIMEWAIT_SOCK_H
#define _NET_TIMEWAIT_SOCK_H

struct kmem_cache;

struct timewait_sock_ops {
	struct kmem_cache *twsk_slab;	/* "tw_sock_<proto>", made by proto_register */
	char *twsk_slab_name;
	unsigned int twsk_obj_size;	/* sizeof the protocol's timewait sock */
};

#endif
