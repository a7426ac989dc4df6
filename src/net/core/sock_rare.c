/* SPDX-License-Identifier: MIT */
/* The rare-state block of a sock (struct sock_rare, include/net/sock.h): the options and
 * state an idle socket keeps at their defaults, allocated the first time one changes.
 * DIVERGES: 3.10 has no such block (the fields are in the socks: net/core/sock.c,
 * inet_sock, inet_connection_sock, tcp_sock); split out of ulnet's sock.c. */
#include <string.h>
#include "linux/errno.h"
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/mm.h"
#include "linux/slab.h"
#include "linux/tcp.h"
#include "net/sock.h"


static struct kmem_cache *sock_rare_cachep;

static void sk_rare_init_defaults(struct sock *sk, struct sock_rare *r)
{
	memset(r, 0, sizeof(*r));
	r->rcvtimeo = MAX_SCHEDULE_TIMEOUT;
	r->sndtimeo = MAX_SCHEDULE_TIMEOUT;
	r->rcvlowat = 1;
	/* Outside urgent mode a TCP sender's snd_up is its snd_una (tcp_urg_mode). */
	if (sk->sk_protocol == IPPROTO_TCP && sk->sk_type == SOCK_STREAM)
		r->snd_up = tcp_sk(sk)->snd_una;
}

struct sock_rare *sk_rare_alloc(struct sock *sk, gfp_t gfp)
{
	struct sock_rare *r = sk->sk_rare;

	if (likely(r))
		return r;
	r = kmem_cache_alloc(sock_rare_cachep, gfp);
	if (!r)
		return NULL;
	sk_rare_init_defaults(sk, r);
	/* Published initialised: a lockless reader sees NULL (the defaults) or the block. */
	smp_wmb();
	WRITE_ONCE(sk->sk_rare, r);
	return r;
}

/* sk_clone_lock's part: the child's own copy of @sk's block (the options a child inherits
 * in 3.10, where it is a memcpy of the listener), without what is the listener's alone:
 * its send page, IP options and urgent data. *@out stays NULL when @sk has no block.
 * -ENOMEM: no memory (the child is not created). */
int sk_rare_clone(const struct sock *sk, struct sock_rare **out, gfp_t gfp)
{
	const struct sock_rare *r = sk->sk_rare;
	struct sock_rare *n;

	*out = NULL;
	if (!r)
		return 0;
	n = kmem_cache_alloc(sock_rare_cachep, gfp);
	if (!n)
		return -ENOMEM;
	*n = *r;
	n->frag.page = NULL;
	n->frag.offset = n->frag.size = 0;
	n->inet_opt = NULL;
	n->urg_data = 0;
	n->urg_seq = 0;
	*out = n;
	return 0;
}

/* Undo sk_rare_clone for a child that is not created. */
void sk_rare_free_block(struct sock_rare *r)
{
	if (r)
		kmem_cache_free(sock_rare_cachep, r);
}

/* Context: the sock's last reference went (__sk_free); the protocol's destructor ran (it
 * freed inet_opt, inet_sock_destruct). */
void sk_rare_free(struct sock *sk)
{
	struct sock_rare *r = sk->sk_rare;

	if (!r)
		return;
	/* The send page (sk_page_frag_refill): the skbs that used it hold their own refs. */
	if (r->frag.page)
		put_page(r->frag.page);
	WARN_ON(r->inet_opt);
	sk->sk_rare = NULL;
	kmem_cache_free(sock_rare_cachep, r);
}

/* Boot: the "sock_rare" cache (3.10 has no such cache). */
int sk_rare_cache_init(void)
{
	sock_rare_cachep = kmem_cache_create("sock_rare", sizeof(struct sock_rare), 0, 0, NULL);
	return sock_rare_cachep ? 0 : -ENOMEM;
}

void sk_rare_cache_fini(void)
{
	if (sock_rare_cachep)
		kmem_cache_destroy(sock_rare_cachep);
	sock_rare_cachep = NULL;
}
