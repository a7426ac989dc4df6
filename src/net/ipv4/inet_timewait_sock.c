/* SPDX-License-Identifier: MIT */
/* TIME_WAIT socks: creation from a closing sock, hashing in its place, expiry, freeing.
 * Mirrors linux/net/ipv4/inet_timewait_sock.c (3.10): inet_twsk_alloc,
 * __inet_twsk_hashdance, inet_twsk_schedule, inet_twsk_put, inet_twsk_deschedule (with
 * __inet_twsk_kill, inet_twsk_unhash, inet_twsk_bind_unhash), inet_twsk_purge.
 * References: the ehash chain, the bind bucket and the pending timer each hold one.
 * DIVERGES: one timer per TIME_WAIT sock instead of the death row's slot wheel (the
 * expiry time is the same). */
#include "linux/kernel.h"
#include "linux/slab.h"
#include "linux/string.h"
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


/* A TIME_WAIT sock standing for @sk (which is about to go to CLOSE), in @state
 * (TCP_TIME_WAIT or TCP_FIN_WAIT2). NULL when out of memory. The caller owns one
 * reference. Context: softirq or process, sk locked. */
struct inet_timewait_sock *inet_twsk_alloc(const struct sock *sk, const int state)
{
	struct proto *prot = sk->sk_prot;
	struct inet_timewait_sock *tw;
	const struct inet_sock *inet = inet_sk(sk);

	tw = kmem_cache_alloc(prot->twsk_prot->twsk_slab, GFP_ATOMIC);
	if (!tw)
		return NULL;
	memset(tw, 0, prot->twsk_prot->twsk_obj_size);
	tw->tw_daddr = inet->inet_daddr;
	tw->tw_rcv_saddr = inet->inet_rcv_saddr;
	tw->tw_bound_dev_if = sk->sk_bound_dev_if;
	tw->tw_tos = inet->tos;
	tw->tw_num = inet->inet_num;
	tw->tw_state = TCP_TIME_WAIT;
	tw->tw_substate = (unsigned char)state;
	tw->tw_sport = inet->inet_sport;
	tw->tw_dport = inet->inet_dport;
	tw->tw_family = sk->sk_family;
	tw->tw_reuse = sk->sk_reuse;
	tw->__tw_common.skc_reuseport = sk->sk_reuseport;
	tw->tw_hash = sk->sk_hash;
	tw->tw_prot = prot;
	tw->tw_net = hold_net(sock_net(sk));
	timer_setup(&tw->tw_timer, inet_twsk_timer, 0);
	atomic_set(&tw->tw_refcnt, 1);
	atomic_inc(&inet_twsk_count);
	return tw;
}

/* Enter the TIME_WAIT sock into the bind bucket of @sk and into the established hash in
 * place of @sk, which leaves it (its bind node goes with tcp_done -> inet_put_port). */
void __inet_twsk_hashdance(struct inet_timewait_sock *tw, struct sock *sk,
			   struct inet_hashinfo *hashinfo)
{
	const struct inet_sock *inet = inet_sk(sk);
	struct inet_ehash_bucket *ehead = inet_ehash_bucket(hashinfo, sk->sk_hash);
	struct inet_bind_hashbucket *bhead;
	int refs = 0;

	if (inet_csk(sk)->icsk_bind_hash) {
		bhead = &hashinfo->bhash[inet_bhashfn(sock_net(sk), inet->inet_num,
						      (int)hashinfo->bhash_size)];
		spin_lock(&bhead->lock);
		tw->tw_tb = inet_csk(sk)->icsk_bind_hash;
		hlist_add_head(&tw->tw_bind_node, &tw->tw_tb->owners);
		tw->tw_tb->num_owners++;
		spin_unlock(&bhead->lock);
		refs++;
	}
	spin_lock(&hashinfo->ehash_lock);
	hlist_add_head(&((struct sock *)tw)->sk_node, &ehead->chain);
	refs++;
	if (sk_del_node_init(sk))
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	spin_unlock(&hashinfo->ehash_lock);
	atomic_add(refs, &tw->tw_refcnt);
}

/* (Re)arm the expiry of @tw in @timeo jiffies; the pending timer holds a reference. */
void inet_twsk_schedule(struct inet_timewait_sock *tw, struct inet_timewait_death_row *twdr,
			const int timeo)
{
	if (!tw->tw_dr) {
		tw->tw_dr = twdr;
		atomic_inc(&twdr->tw_count);
	}
	tw->tw_timeout = timeo;
	if (!mod_timer(&tw->tw_timer, jiffies + (unsigned long)timeo))
		atomic_inc(&tw->tw_refcnt);
}

/* The 60 s are over (or the FIN_WAIT2 timeout): unhash and free. Context: timer. */
void inet_twsk_timer(struct timer_list *t)
{
	struct inet_timewait_sock *tw = from_timer(tw, t, tw_timer);

	NET_INC_STATS_BH(twsk_net(tw), LINUX_MIB_TIMEWAITED);
	/* The timer's reference keeps @tw alive through the unhashing. */
	inet_twsk_deschedule(tw, tw->tw_dr);
	inet_twsk_put(tw);
}

/* Kill every TIME_WAIT sock of @net (every one when @net is NULL): namespace exit and
 * stack teardown. Context: process. */
void inet_twsk_purge(struct inet_hashinfo *hashinfo, struct inet_timewait_death_row *twdr,
		     struct net *net)
{
	unsigned int slot;

	if (!hashinfo->ehash)
		return;
	for (slot = 0; slot <= hashinfo->ehash_mask; slot++) {
		struct inet_ehash_bucket *head = &hashinfo->ehash[slot];
		int guard = 0;

		while (!hlist_empty(&head->chain) && ++guard < 100000) {
			struct inet_timewait_sock *tw = NULL;
			struct sock *sk;

			spin_lock_bh(&hashinfo->ehash_lock);
			sk_for_each(sk, &head->chain) {
				if (sk->sk_state == TCP_TIME_WAIT &&
				    (!net || net_eq(sock_net(sk), net))) {
					tw = inet_twsk(sk);
					atomic_inc(&tw->tw_refcnt);
					break;
				}
			}
			spin_unlock_bh(&hashinfo->ehash_lock);
			if (!tw)
				break;
			inet_twsk_deschedule(tw, twdr);
			inet_twsk_put(tw);
		}
	}
}
