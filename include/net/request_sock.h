/* SPDX-License-Identifier: MIT */
/* Request socks (embryonic TCP connections in a listener's SYN queue): the per-protocol
 * ops and their slab cache.
 * Mirrors linux/include/net/request_sock.h (3.10): struct request_sock_ops (the part
 * proto_register uses: family, obj_size, slab, slab_name). The TCP work (issue #6) adds
 * struct request_sock and the methods (rtx_syn_ack, send_ack, send_reset, destructor...). */
#ifndef _NET_REQUEST_SOCK_H
#define _NET_REQUEST_SOCK_H

struct kmem_cache;

struct request_sock_ops {
	int family;
	int obj_size;			/* sizeof the protocol's request sock (tcp_request_sock) */
	struct kmem_cache *slab;	/* "request_sock_<proto>", made by proto_register */
	char *slab_name;
};

#endif
