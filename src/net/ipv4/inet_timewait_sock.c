/* SPDX-License-Identifier: MIT */
/* TIME_WAIT socks: unhashing and freeing.
 * Mirrors linux/net/ipv4/inet_timewait_sock.c (3.10): inet_twsk_put,
 * inet_twsk_deschedule (with __inet_twsk_kill, inet_twsk_unhash, inet_twsk_bind_unhash).
 * DIVERGES: ulnet does not create TIME_WAIT socks yet (tcp_time_wait comes with the orderly
 * close); these are the halves that the connect path (TIME_WAIT reuse) calls. */
#include "linux/kernel.h"
#include "linux/slab.h"
#include "net/inet_hashtables.h"
#include "net/inet_timewait_sock.h"
#include "net/tcp.h"

static atomic_t inet_twsk_count;

int inet_twsk_alive(void)
{
	return atomic_read(&inet_twsk_count);
}

void inet_twsk_put(struct inet_timewait_sock *tw)
{
	if (atomic_dec_and_test(&tw->tw_refcnt)) {
		struct proto *prot = tw->tw_prot;

		release_net(twsk_net(tw));
		kmem_cache_free(prot->twsk_prot->twsk_slab, tw);
		atomic_dec(&inet_twsk_count);
	}
}

/* Unhash from the established hash and the bind bucket, stop the timer: the references
 * they held go. */
void inet_twsk_deschedule(struct inet_timewait_sock *tw, struct inet_timewait_death_row *twdr)
{
	struct inet_hashinfo *hashinfo = twdr->hashinfo;
	struct sock *sk = (struct sock *)tw;
	int refs = 0;

	if (del_timer(&tw->tw_timer))
		refs++;
	spin_lock_bh(&hashinfo->ehash_lock);
	if (!hlist_unhashed(&sk->sk_node)) {
		hlist_del_init(&sk->sk_node);
		refs++;
	}
	spin_unlock_bh(&hashinfo->ehash_lock);
	if (tw->tw_tb) {
		const int bhash = inet_bhashfn(twsk_net(tw), tw->tw_num, (int)hashinfo->bhash_size);
		struct inet_bind_hashbucket *bhead = &hashinfo->bhash[bhash];

		spin_lock_bh(&bhead->lock);
		__hlist_del(&tw->tw_bind_node);
		tw->tw_tb->num_owners--;
		inet_bind_bucket_destroy(hashinfo->bind_bucket_cachep, tw->tw_tb);
		tw->tw_tb = NULL;
		spin_unlock_bh(&bhead->lock);
		refs++;
	}
	atomic_dec(&twdr->tw_count);
	while (refs-- > 0)
		inet_twsk_put(tw);
}
