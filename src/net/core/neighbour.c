/* SPDX-License-Identifier: MIT */
/* Neighbour tables: entries, the NUD state machine and its timers, the unresolved queue,
 * garbage collection, per-device parameters and their sysctls.
 * Mirrors linux/net/core/neighbour.c (3.10): neigh_alloc, __neigh_create, neigh_lookup,
 * neigh_destroy, neigh_update, __neigh_event_send, neigh_timer_handler, neigh_probe,
 * neigh_invalidate, neigh_hh_init, neigh_update_hhs, neigh_resolve_output,
 * neigh_connected_output, neigh_direct_output,
 * neigh_forced_gc, neigh_periodic_work, neigh_flush_dev, neigh_ifdown, neigh_changeaddr,
 * neigh_parms_alloc/release, neigh_sysctl_register, neigh_table_init/clear,
 * neigh_stat_seq_show.
 *
 * Each namespace has its own part of each table (struct neigh_table_net, see DIVERGES in
 * net/neighbour.h): hash, counters, gc thresholds and default parms.
 *
 * References: the hash holds one, a pending timer holds one, users hold theirs. An entry is
 * destroyed by the neigh_release() that drops the last one, after it was unlinked (dead).
 *
 * LOCKING: tn->lock (BH) guards a namespace's hash and parms list; n->lock guards the entry
 * (state, ha, arp_queue, timer). Order: tn->lock, then n->lock. Packets are sent (output,
 * solicit) with no lock held. Context: process or softirq. */
#include "net/neighbour.h"
#include <stdint.h>
#include <stdlib.h>
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/random.h"
#include "linux/rtnetlink.h"
#include "linux/seq_file.h"
#include "linux/slab.h"
#include "linux/sysctl.h"
#include "net/dst.h"
#include "trace/path.h"

/* ---- tables and their per-namespace parts ---- */

static struct neigh_table *neigh_tables[NEIGH_NR_TABLES];

/* What the namespace slot holds: one part per table. */
struct neigh_net {
	struct neigh_table_net *tn[NEIGH_NR_TABLES];
};
static int neigh_net_id;
static int neigh_net_ops_users;

struct neigh_table_net *neigh_tbl_net(struct neigh_table *tbl, struct net *net)
{
	struct neigh_net *nn;

	if (!tbl || !net || !neigh_net_ops_users || tbl->index < 0 ||
	    tbl->index >= NEIGH_NR_TABLES)
		return NULL;
	nn = net_generic(net, neigh_net_id);
	return nn ? nn->tn[tbl->index] : NULL;
}

static struct neigh_table_net *neigh_tn(struct neighbour *n)
{
	return neigh_tbl_net(n->tbl, dev_net(n->dev));
}

unsigned long neigh_rand_reach_time(unsigned long base)
{
	/* 3.10: base/2 + random % base, i.e. uniformly in [base/2, 3*base/2). */
	return base ? (prandom_u32() % base) + (base >> 1) : 0;
}

int neigh_max_probes(const struct neighbour *n)
{
	struct neigh_parms *p = n->parms;

	return (n->nud_state & NUD_PROBE) ? p->ucast_probes :
		p->ucast_probes + p->app_probes + p->mcast_probes;
}

void neigh_stats_sum(struct neigh_table *tbl, struct net *net, struct neigh_statistics *sum)
{
	struct neigh_table_net *tn = neigh_tbl_net(tbl, net);
	int cpu;

	memset(sum, 0, sizeof(*sum));
	if (!tn)
		return;
	for_each_possible_cpu(cpu) {
		const struct neigh_statistics *st = &tn->stats[cpu];

		sum->allocs += st->allocs;
		sum->destroys += st->destroys;
		sum->hash_grows += st->hash_grows;
		sum->res_failed += st->res_failed;
		sum->lookups += st->lookups;
		sum->hits += st->hits;
		sum->rcv_probes_mcast += st->rcv_probes_mcast;
		sum->rcv_probes_ucast += st->rcv_probes_ucast;
		sum->periodic_gc_runs += st->periodic_gc_runs;
		sum->forced_gc_runs += st->forced_gc_runs;
		sum->unres_discards += st->unres_discards;
	}
}

int neigh_entries(struct neigh_table *tbl, struct net *net)
{
	struct neigh_table_net *tn = neigh_tbl_net(tbl, net);

	return tn ? atomic_read(&tn->entries) : 0;
}

static inline u32 neigh_hash_index(const struct neigh_table_net *tn, const void *pkey,
				   const struct net_device *dev)
{
	return tn->tbl->hash(pkey, dev, tn->hash_rnd) >> (32 - tn->hash_shift);
}

/* ---- allocation, timers, destruction ---- */

static int neigh_blackhole(struct neighbour *neigh, struct sk_buff *skb)
{
	kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_DEAD);
	return -ENETDOWN;
}

static void neigh_timer_handler(struct timer_list *t);
static void neigh_periodic_work(struct timer_list *t);

static void neigh_arm_gc(struct neigh_table_net *tn)
{
	/* DIVERGES: 3.10's gc work is always scheduled, and does nothing while the table
	 * holds fewer than gc_thresh1 entries; ulnet schedules it only from gc_thresh1 on,
	 * so that an idle simulation goes quiet. Same effect on the entries. */
	if (atomic_read(&tn->entries) < tn->gc_thresh1)
		return;
	if (!timer_pending(&tn->gc_timer))
		mod_timer(&tn->gc_timer,
			  jiffies + (unsigned long)(tn->parms.base_reachable_time >> 1));
}

static void neigh_add_timer(struct neighbour *n, unsigned long when)
{
	neigh_hold(n);
	if (unlikely(mod_timer(&n->timer, when))) {
		pr_warn("NEIGH: BUG, double timer add, state is %x\n", n->nud_state);
		neigh_release(n);	/* the timer already held its reference */
	}
}

/* Returns 1 if a pending timer was stopped (its reference dropped). */
static int neigh_del_timer(struct neighbour *n)
{
	if ((n->nud_state & NUD_IN_TIMER) && del_timer(&n->timer)) {
		neigh_release(n);
		return 1;
	}
	return 0;
}

static void neigh_purge_queue(struct neighbour *n, enum skb_drop_reason reason)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&n->arp_queue)) != NULL)
		kfree_skb_reason(skb, reason);
	n->arp_queue_len_bytes = 0;
}

void neigh_parms_put(struct neigh_parms *parms)
{
	if (parms && atomic_dec_and_test(&parms->refcnt))
		kfree(parms);
}

/* Forced gc: free every entry only the hash references, except PERMANENT ones. Caller
 * holds nothing. Returns how many went. */
static int __neigh_forced_gc(struct neigh_table_net *tn)
{
	unsigned int i;
	int shrunk = 0;

	NEIGH_CACHE_STAT_INC(tn, forced_gc_runs);
	spin_lock_bh(&tn->lock);
	for (i = 0; i < (1U << tn->hash_shift); i++) {
		struct neighbour **np = &tn->hash_buckets[i], *n;

		while ((n = *np) != NULL) {
			write_lock(&n->lock);
			if (atomic_read(&n->refcnt) == 1 && !(n->nud_state & NUD_PERMANENT)) {
				*np = n->next;
				n->dead = 1;
				shrunk++;
				write_unlock(&n->lock);
				neigh_release(n);
				continue;
			}
			write_unlock(&n->lock);
			np = &n->next;
		}
	}
	tn->last_flush = jiffies;
	spin_unlock_bh(&tn->lock);
	return shrunk;
}

int neigh_forced_gc(struct neigh_table *tbl, struct net *net)
{
	struct neigh_table_net *tn = neigh_tbl_net(tbl, net);

	return tn ? __neigh_forced_gc(tn) : 0;
}

static struct neighbour *neigh_alloc(struct neigh_table_net *tn, struct net_device *dev)
{
	struct neigh_table *tbl = tn->tbl;
	unsigned long now = jiffies;
	struct neighbour *n;
	int entries;

	entries = atomic_inc_return(&tn->entries) - 1;
	if (entries >= tn->gc_thresh3 ||
	    (entries >= tn->gc_thresh2 && time_after(now, tn->last_flush + 5 * HZ))) {
		if (!__neigh_forced_gc(tn) && entries >= tn->gc_thresh3)
			goto out_entries;
	}
	n = kzalloc((size_t)tbl->entry_size, GFP_ATOMIC);
	if (!n)
		goto out_entries;
	skb_queue_head_init(&n->arp_queue);
	rwlock_init(&n->lock);
	seqlock_init(&n->hh.hh_lock);
	n->updated = n->used = now;
	n->nud_state = NUD_NONE;
	n->output = neigh_blackhole;
	n->parms = neigh_parms_clone(&tn->parms);
	timer_setup(&n->timer, neigh_timer_handler, 0);
	NEIGH_CACHE_STAT_INC(tn, allocs);
	n->tbl = tbl;
	atomic_set(&n->refcnt, 1);
	n->dead = 1;
	return n;

out_entries:
	atomic_dec(&tn->entries);
	return NULL;
}

void neigh_destroy(struct neighbour *neigh)
{
	struct neigh_table_net *tn = neigh_tn(neigh);

	if (!neigh->dead) {
		pr_warn("Destroying alive neighbour %p\n", (void *)neigh);
		return;
	}
	if (timer_pending(&neigh->timer)) {
		pr_warn("neigh_destroy: timer still pending\n");
		del_timer(&neigh->timer);
	}
	neigh_purge_queue(neigh, SKB_DROP_REASON_NEIGH_DEAD);
	if (tn) {
		NEIGH_CACHE_STAT_INC(tn, destroys);
		atomic_dec(&tn->entries);
	}
	dev_put(neigh->dev);
	neigh_parms_put(neigh->parms);
	kfree(neigh);
}

/* The entry is no longer usable for output: go through resolution (ops->output). */
static void neigh_suspect(struct neighbour *neigh)
{
	neigh->output = neigh->ops->output;
}

/* The entry is usable: send directly (ops->connected_output). */
static void neigh_connect(struct neighbour *neigh)
{
	neigh->output = neigh->ops->connected_output;
}

/* Double the buckets of @tn (rehash). Caller holds tn->lock. */
static void neigh_hash_grow(struct neigh_table_net *tn, unsigned int new_shift)
{
	unsigned int old_size = 1U << tn->hash_shift, i;
	struct neighbour **new_buckets, **old = tn->hash_buckets;
	unsigned int old_shift = tn->hash_shift;

	new_buckets = kcalloc(1UL << new_shift, sizeof(*new_buckets), GFP_ATOMIC);
	if (!new_buckets)
		return;
	NEIGH_CACHE_STAT_INC(tn, hash_grows);
	tn->hash_shift = new_shift;
	for (i = 0; i < old_size; i++) {
		struct neighbour *n, *next;

		for (n = old[i]; n != NULL; n = next) {
			u32 h = neigh_hash_index(tn, n->primary_key, n->dev);

			next = n->next;
			n->next = new_buckets[h];
			new_buckets[h] = n;
		}
	}
	tn->hash_buckets = new_buckets;
	(void)old_shift;
	kfree(old);
}

/* ---- lookup and creation ---- */

struct neighbour *__neigh_lookup_noref(struct neigh_table *tbl, const void *pkey,
				       struct net_device *dev)
{
	struct neigh_table_net *tn = neigh_tbl_net(tbl, dev_net(dev));
	struct neighbour *n;

	if (!tn)
		return NULL;
	for (n = tn->hash_buckets[neigh_hash_index(tn, pkey, dev)]; n; n = n->next) {
		if (n->dev == dev && !memcmp(n->primary_key, pkey, (size_t)tbl->key_len))
			return n;
	}
	return NULL;
}

struct neighbour *neigh_lookup(struct neigh_table *tbl, const void *pkey,
			       struct net_device *dev)
{
	struct neigh_table_net *tn = neigh_tbl_net(tbl, dev_net(dev));
	struct neighbour *n;

	if (!tn)
		return NULL;
	NEIGH_CACHE_STAT_INC(tn, lookups);
	spin_lock_bh(&tn->lock);
	n = __neigh_lookup_noref(tbl, pkey, dev);
	if (n) {
		if (!atomic_inc_not_zero(&n->refcnt))
			n = NULL;
		NEIGH_CACHE_STAT_INC(tn, hits);
	}
	spin_unlock_bh(&tn->lock);
	return n;
}

struct neighbour *__neigh_create(struct neigh_table *tbl, const void *pkey,
				 struct net_device *dev, bool want_ref)
{
	struct neigh_table_net *tn;
	struct neighbour *n, *n1;
	u32 hash_val;
	int error;

	if (!tbl || !pkey || !dev)
		return ERR_PTR(-EINVAL);
	tn = neigh_tbl_net(tbl, dev_net(dev));
	if (!tn)
		return ERR_PTR(-ENODEV);
	n = neigh_alloc(tn, dev);
	if (!n)
		return ERR_PTR(-ENOBUFS);
	memcpy(n->primary_key, pkey, (size_t)tbl->key_len);
	n->dev = dev;
	dev_hold(dev);
	/* Protocol specific setup (arp_constructor: parms, ops, NOARP states). */
	if (tbl->constructor && (error = tbl->constructor(n)) < 0) {
		neigh_release(n);
		return ERR_PTR(error);
	}
	n->confirmed = jiffies - ((unsigned long)n->parms->base_reachable_time << 1);

	spin_lock_bh(&tn->lock);
	if ((unsigned int)atomic_read(&tn->entries) > (1U << tn->hash_shift))
		neigh_hash_grow(tn, tn->hash_shift + 1);
	if (n->parms->dead) {
		spin_unlock_bh(&tn->lock);
		neigh_release(n);
		return ERR_PTR(-EINVAL);
	}
	/* The constructor may have changed the key (0.0.0.0 on lo and point-to-point). */
	hash_val = neigh_hash_index(tn, n->primary_key, dev);
	for (n1 = tn->hash_buckets[hash_val]; n1 != NULL; n1 = n1->next) {
		if (dev == n1->dev && !memcmp(n1->primary_key, n->primary_key,
					      (size_t)tbl->key_len)) {
			if (want_ref)
				neigh_hold(n1);
			spin_unlock_bh(&tn->lock);
			neigh_release(n);
			return n1;
		}
	}
	n->dead = 0;
	if (want_ref)
		neigh_hold(n);
	n->next = tn->hash_buckets[hash_val];
	tn->hash_buckets[hash_val] = n;
	neigh_arm_gc(tn);
	spin_unlock_bh(&tn->lock);
	return n;
}

struct neighbour *__neigh_lookup(struct neigh_table *tbl, const void *pkey,
				 struct net_device *dev, int creat)
{
	struct neighbour *n = neigh_lookup(tbl, pkey, dev);

	if (n || !creat)
		return n;
	n = neigh_create(tbl, pkey, dev);
	return IS_ERR(n) ? NULL : n;
}

/* ---- the state machine ---- */

/* Packets queued for an entry that just failed: report each (ICMP host unreachable) and
 * drop it. Caller holds n->lock (released around each report, as 3.10). */
static void neigh_invalidate(struct neighbour *neigh)
{
	struct neigh_table_net *tn = neigh_tn(neigh);
	struct sk_buff *skb;
	unsigned int guard = 0;

	if (tn)
		NEIGH_CACHE_STAT_INC(tn, res_failed);
	UL_TRACE_FN();
	while (neigh->nud_state == NUD_FAILED &&
	       (skb = __skb_dequeue(&neigh->arp_queue)) != NULL && guard++ < 100000) {
		write_unlock(&neigh->lock);
		neigh->ops->error_report(neigh, skb);
		write_lock(&neigh->lock);
	}
	neigh_purge_queue(neigh, SKB_DROP_REASON_NEIGH_FAILED);
}

/* Send one solicitation with a copy of the first queued packet (its source address picks
 * the ARP sender). Called with n->lock held; releases it. */
static void neigh_probe(struct neighbour *neigh)
{
	struct sk_buff *skb = skb_peek(&neigh->arp_queue);

	/* Keep the packet alive even if the queue overflows meanwhile. */
	if (skb)
		skb = skb_copy(skb, GFP_ATOMIC);
	write_unlock(&neigh->lock);
	neigh->ops->solicit(neigh, skb);
	atomic_inc(&neigh->probes);
	kfree_skb(skb);
}

/* Context: TIMER_SOFTIRQ. The timer's reference is dropped at the end. */
static void neigh_timer_handler(struct timer_list *t)
{
	struct neighbour *neigh = from_timer(neigh, t, timer);
	unsigned long now, next;
	int notify = 0;
	unsigned int state;

	UL_TRACEF(skb_peek(&neigh->arp_queue), "state=%s", neigh_state_name(neigh->nud_state));
	write_lock(&neigh->lock);
	state = neigh->nud_state;
	now = jiffies;
	next = now + HZ;

	if (!(state & NUD_IN_TIMER))
		goto out;

	if (state & NUD_REACHABLE) {
		if (time_before_eq(now, neigh->confirmed +
				   (unsigned long)neigh->parms->reachable_time)) {
			next = neigh->confirmed + (unsigned long)neigh->parms->reachable_time;
		} else if (time_before_eq(now, neigh->used +
					  (unsigned long)neigh->parms->delay_probe_time)) {
			/* Used recently: give the upper layers a chance to confirm. */
			neigh->nud_state = NUD_DELAY;
			neigh->updated = jiffies;
			neigh_suspect(neigh);
			next = now + (unsigned long)neigh->parms->delay_probe_time;
		} else {
			neigh->nud_state = NUD_STALE;
			neigh->updated = jiffies;
			neigh_suspect(neigh);
			notify = 1;
		}
	} else if (state & NUD_DELAY) {
		if (time_before_eq(now, neigh->confirmed +
				   (unsigned long)neigh->parms->delay_probe_time)) {
			neigh->nud_state = NUD_REACHABLE;
			neigh->updated = jiffies;
			neigh_connect(neigh);
			notify = 1;
			next = neigh->confirmed + (unsigned long)neigh->parms->reachable_time;
		} else {
			neigh->nud_state = NUD_PROBE;
			neigh->updated = jiffies;
			atomic_set(&neigh->probes, 0);
			next = now + (unsigned long)neigh->parms->retrans_time;
		}
	} else {
		/* NUD_PROBE | NUD_INCOMPLETE */
		next = now + (unsigned long)neigh->parms->retrans_time;
	}

	if ((neigh->nud_state & (NUD_INCOMPLETE | NUD_PROBE)) &&
	    atomic_read(&neigh->probes) >= neigh_max_probes(neigh)) {
		neigh->nud_state = NUD_FAILED;
		notify = 1;
		neigh_invalidate(neigh);
	}

	if (neigh->nud_state & NUD_IN_TIMER) {
		if (time_before(next, jiffies + HZ / 2))
			next = jiffies + HZ / 2;
		if (!mod_timer(&neigh->timer, next))
			neigh_hold(neigh);
	}
	if (neigh->nud_state & (NUD_INCOMPLETE | NUD_PROBE)) {
		neigh_probe(neigh);
	} else {
out:
		write_unlock(&neigh->lock);
	}
	(void)notify;
	neigh_release(neigh);
}

int __neigh_event_send(struct neighbour *neigh, struct sk_buff *skb)
{
	bool immediate_probe = false;
	int rc = 0;

	write_lock_bh(&neigh->lock);
	if (neigh->nud_state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE))
		goto out_unlock_bh;
	if (neigh->dead)
		goto out_dead;

	if (!(neigh->nud_state & (NUD_STALE | NUD_INCOMPLETE))) {
		if (neigh->parms->mcast_probes + neigh->parms->app_probes) {
			unsigned long next, now = jiffies;

			atomic_set(&neigh->probes, neigh->parms->ucast_probes);
			neigh->nud_state = NUD_INCOMPLETE;
			neigh->updated = now;
			next = now + max_t(unsigned long, (unsigned long)neigh->parms->retrans_time,
					   HZ / 2);
			neigh_add_timer(neigh, next);
			immediate_probe = true;
		} else {
			neigh->nud_state = NUD_FAILED;
			neigh->updated = jiffies;
			write_unlock_bh(&neigh->lock);
			kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_FAILED);
			return 1;
		}
	} else if (neigh->nud_state & NUD_STALE) {
		neigh->nud_state = NUD_DELAY;
		neigh->updated = jiffies;
		neigh_add_timer(neigh, jiffies + (unsigned long)neigh->parms->delay_probe_time);
	}

	if (neigh->nud_state == NUD_INCOMPLETE) {
		if (skb) {
			struct neigh_table_net *tn = neigh_tn(neigh);

			/* 3.10: the oldest packets make room (unres_qlen_bytes). */
			while (neigh->arp_queue_len_bytes + skb->truesize >
			       (unsigned int)neigh->parms->queue_len_bytes) {
				struct sk_buff *buff = __skb_dequeue(&neigh->arp_queue);

				if (!buff)
					break;
				neigh->arp_queue_len_bytes -= buff->truesize;
				kfree_skb_reason(buff, SKB_DROP_REASON_NEIGH_QUEUEFULL);
				if (tn)
					NEIGH_CACHE_STAT_INC(tn, unres_discards);
			}
			if (skb->truesize > (unsigned int)neigh->parms->queue_len_bytes) {
				/* Bigger than the whole queue (unres_qlen_bytes 0). */
				kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_QUEUEFULL);
				if (tn)
					NEIGH_CACHE_STAT_INC(tn, unres_discards);
			} else {
				skb_dst_force(skb);
				__skb_queue_tail(&neigh->arp_queue, skb);
				neigh->arp_queue_len_bytes += skb->truesize;
			}
		}
		rc = 1;
	}
out_unlock_bh:
	if (immediate_probe)
		neigh_probe(neigh);
	else
		write_unlock(&neigh->lock);
	local_bh_enable();
	return rc;

out_dead:
	write_unlock_bh(&neigh->lock);
	kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_DEAD);
	return 1;
}

/* The address changed: rewrite the cached link header, if one was built. Caller holds
 * neigh->lock. */
static void neigh_update_hhs(struct neighbour *neigh)
{
	void (*update)(struct hh_cache *, const struct net_device *, const unsigned char *) = NULL;
	struct hh_cache *hh = &neigh->hh;

	if (neigh->dev->header_ops)
		update = neigh->dev->header_ops->cache_update;
	if (update && hh->hh_len) {
		write_seqlock_bh(&hh->hh_lock);
		update(hh, neigh->dev, neigh->ha);
		write_sequnlock_bh(&hh->hh_lock);
	}
}

int neigh_update(struct neighbour *neigh, const u8 *lladdr, u8 new, u32 flags)
{
	struct net_device *dev;
	int err = -EPERM;
	u8 old;

	if (!neigh)
		return -EINVAL;
	write_lock_bh(&neigh->lock);
	dev = neigh->dev;
	old = neigh->nud_state;

	if (!(flags & NEIGH_UPDATE_F_ADMIN) && (old & (NUD_NOARP | NUD_PERMANENT)))
		goto out;
	if (neigh->dead) {
		err = -ENOENT;
		goto out;
	}

	if (!(new & NUD_VALID)) {
		neigh_del_timer(neigh);
		if (old & NUD_CONNECTED)
			neigh_suspect(neigh);
		neigh->nud_state = new;
		err = 0;
		if ((old & (NUD_INCOMPLETE | NUD_PROBE)) && (new & NUD_FAILED))
			neigh_invalidate(neigh);
		goto out;
	}

	/* Compare the new link address with the cached one. */
	if (!dev->addr_len) {
		/* The device needs no address. */
		lladdr = neigh->ha;
	} else if (lladdr) {
		/* Something cached and a new address proposed: same one? */
		if ((old & NUD_VALID) && !memcmp(lladdr, neigh->ha, dev->addr_len))
			lladdr = neigh->ha;
	} else {
		/* No address given: use what we know, else refuse. */
		err = -EINVAL;
		if (!(old & NUD_VALID))
			goto out;
		lladdr = neigh->ha;
	}

	if (new & NUD_CONNECTED)
		neigh->confirmed = jiffies;
	neigh->updated = jiffies;

	/* A valid entry whose address does not change keeps its state when the new one
	 * is only STALE. */
	err = 0;
	if (old & NUD_VALID) {
		if (lladdr != neigh->ha && !(flags & NEIGH_UPDATE_F_OVERRIDE)) {
			if ((flags & NEIGH_UPDATE_F_WEAK_OVERRIDE) && (old & NUD_CONNECTED)) {
				lladdr = neigh->ha;
				new = NUD_STALE;
			} else {
				goto out;
			}
		} else {
			if (lladdr == neigh->ha && new == NUD_STALE &&
			    ((flags & NEIGH_UPDATE_F_WEAK_OVERRIDE) || (old & NUD_CONNECTED)))
				new = old;
		}
	}

	if (new != old) {
		neigh_del_timer(neigh);
		if (new & NUD_IN_TIMER)
			neigh_add_timer(neigh, jiffies + ((new & NUD_REACHABLE) ?
				(unsigned long)neigh->parms->reachable_time : 0));
		neigh->nud_state = new;
	}

	if (lladdr != neigh->ha) {
		memcpy(neigh->ha, lladdr, dev->addr_len);
		neigh_update_hhs(neigh);
		if (!(new & NUD_CONNECTED))
			neigh->confirmed = jiffies -
				((unsigned long)neigh->parms->base_reachable_time << 1);
	}
	if (new == old)
		goto out;
	if (new & NUD_CONNECTED)
		neigh_connect(neigh);
	else
		neigh_suspect(neigh);
	if (!(old & NUD_VALID)) {
		struct sk_buff *skb;
		unsigned int guard = 0;

		/* Send what waited for the address (no lock held while sending). */
		while ((neigh->nud_state & NUD_VALID) &&
		       (skb = __skb_dequeue(&neigh->arp_queue)) != NULL && guard++ < 100000) {
			struct dst_entry *dst = skb_dst(skb);
			struct neighbour *n2 = NULL, *n1 = neigh;

			neigh->arp_queue_len_bytes -= skb->truesize;
			write_unlock_bh(&neigh->lock);
			/* The packet's route may now prefer another entry (3.10 does this too). */
			if (dst && dst->ops && dst->ops->neigh_lookup) {
				n2 = dst_neigh_lookup_skb(dst, skb);
				if (n2)
					n1 = n2;
			}
			n1->output(n1, skb);
			if (n2)
				neigh_release(n2);
			write_lock_bh(&neigh->lock);
		}
		neigh_purge_queue(neigh, SKB_DROP_REASON_NEIGH_DEAD);
	}
out:
	write_unlock_bh(&neigh->lock);
	return err;
}

struct neighbour *neigh_event_ns(struct neigh_table *tbl, u8 *lladdr, void *saddr,
				 struct net_device *dev)
{
	struct neighbour *neigh = __neigh_lookup(tbl, saddr, dev, lladdr || !dev->addr_len);

	if (neigh)
		neigh_update(neigh, lladdr, NUD_STALE, NEIGH_UPDATE_F_OVERRIDE);
	return neigh;
}

/* ---- output ---- */

/* Build the entry's cached link header, once. DIVERGES: 3.10 takes the protocol from
 * dst->ops->protocol (ETH_P_IP for IPv4 routes); ulnet's dst_ops has no such field, so the
 * packet's own (ip_output set it to ETH_P_IP) is used. */
static void neigh_hh_init(struct neighbour *n, __be16 prot)
{
	struct hh_cache *hh = &n->hh;

	write_lock_bh(&n->lock);
	/* Only one thread can come in here and initialize the hh_cache entry. */
	if (!hh->hh_len)
		n->dev->header_ops->cache(n, hh, prot);
	write_unlock_bh(&n->lock);
}

int neigh_resolve_output(struct neighbour *neigh, struct sk_buff *skb)
{
	struct dst_entry *dst = skb_dst(skb);
	int rc = 0;

	UL_TRACE(skb);
	if (!dst)
		goto discard;
	if (!neigh_event_send(neigh, skb)) {
		struct net_device *dev = neigh->dev;
		int err;

		if (dev->header_ops->cache && !neigh->hh.hh_len)
			neigh_hh_init(neigh, skb->protocol);

		__skb_pull(skb, (unsigned int)skb_network_offset(skb));
		read_lock_bh(&neigh->lock);
		err = dev_hard_header(skb, dev, ntohs(skb->protocol), neigh->ha, NULL, skb->len);
		read_unlock_bh(&neigh->lock);
		if (err >= 0)
			rc = dev_queue_xmit(skb);
		else
			goto out_kfree_skb;
	}
	return rc;
discard:
out_kfree_skb:
	kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_FAILED);
	return -EINVAL;
}

int neigh_connected_output(struct neighbour *neigh, struct sk_buff *skb)
{
	struct net_device *dev = neigh->dev;
	int err;

	UL_TRACE(skb);
	__skb_pull(skb, (unsigned int)skb_network_offset(skb));
	read_lock_bh(&neigh->lock);
	err = dev_hard_header(skb, dev, ntohs(skb->protocol), neigh->ha, NULL, skb->len);
	read_unlock_bh(&neigh->lock);
	if (err < 0) {
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_HDR);
		return -EINVAL;
	}
	return dev_queue_xmit(skb);
}

int neigh_direct_output(struct neighbour *neigh, struct sk_buff *skb)
{
	return dev_queue_xmit(skb);
}

/* ---- administration ---- */

/* Unlink the entries of @dev (all if NULL) from @tn. Caller holds tn->lock. */
static void neigh_flush_dev(struct neigh_table_net *tn, struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < (1U << tn->hash_shift); i++) {
		struct neighbour **np = &tn->hash_buckets[i], *n;

		while ((n = *np) != NULL) {
			if (dev && n->dev != dev) {
				np = &n->next;
				continue;
			}
			*np = n->next;
			write_lock(&n->lock);
			neigh_del_timer(n);
			n->dead = 1;
			if (atomic_read(&n->refcnt) != 1) {
				/* Someone still uses it: it dies with their reference, but it
				 * must stop working now. */
				neigh_purge_queue(n, SKB_DROP_REASON_NEIGH_DEAD);
				n->output = neigh_blackhole;
				n->nud_state = (n->nud_state & NUD_VALID) ? NUD_NOARP : NUD_NONE;
			}
			write_unlock(&n->lock);
			neigh_release(n);
		}
	}
}

void neigh_changeaddr(struct neigh_table *tbl, struct net_device *dev)
{
	struct neigh_table_net *tn = neigh_tbl_net(tbl, dev_net(dev));

	if (!tn)
		return;
	spin_lock_bh(&tn->lock);
	neigh_flush_dev(tn, dev);
	spin_unlock_bh(&tn->lock);
}

int neigh_ifdown(struct neigh_table *tbl, struct net_device *dev)
{
	neigh_changeaddr(tbl, dev);
	return 0;
}

int neigh_add(struct net *net, struct neigh_table *tbl, const void *pkey,
	      struct net_device *dev, const u8 *lladdr, u8 state, bool replace)
{
	struct neighbour *neigh;
	u32 flags = NEIGH_UPDATE_F_ADMIN | NEIGH_UPDATE_F_OVERRIDE;
	int err;

	if (!dev || dev_net(dev) != net)
		return -ENODEV;
	if (lladdr && !dev->addr_len)
		return -EINVAL;
	neigh = neigh_lookup(tbl, pkey, dev);
	if (!neigh) {
		neigh = __neigh_lookup(tbl, pkey, dev, 1);
		if (!neigh)
			return -ENOBUFS;
	} else if (!replace) {
		neigh_release(neigh);
		return -EEXIST;
	}
	err = neigh_update(neigh, lladdr, state, flags);
	neigh_release(neigh);
	return err;
}

int neigh_delete(struct net *net, struct neigh_table *tbl, const void *pkey,
		 struct net_device *dev)
{
	struct neigh_table_net *tn = neigh_tbl_net(tbl, net);
	struct neighbour *neigh, **np;
	int err;

	if (!tn || !dev)
		return -ENODEV;
	neigh = neigh_lookup(tbl, pkey, dev);
	if (!neigh)
		return -ENOENT;
	err = neigh_update(neigh, NULL, NUD_FAILED, NEIGH_UPDATE_F_OVERRIDE |
			   NEIGH_UPDATE_F_ADMIN);
	/* DIVERGES: 3.10 leaves the FAILED entry in the table for the gc; ulnet unlinks it
	 * at once (as later kernels), so `ip neigh show` no longer lists it. */
	spin_lock_bh(&tn->lock);
	for (np = &tn->hash_buckets[neigh_hash_index(tn, neigh->primary_key, dev)]; *np;
	     np = &(*np)->next) {
		if (*np == neigh) {
			*np = neigh->next;
			neigh->dead = 1;
			neigh_release(neigh);	/* the hash's reference */
			break;
		}
	}
	spin_unlock_bh(&tn->lock);
	neigh_release(neigh);
	return err;
}

int neigh_flush(struct net *net, struct neigh_table *tbl, struct net_device *dev)
{
	struct neigh_table_net *tn = neigh_tbl_net(tbl, net);
	unsigned int i;
	int count = 0;

	if (!tn)
		return 0;
	spin_lock_bh(&tn->lock);
	for (i = 0; i < (1U << tn->hash_shift); i++) {
		struct neighbour **np = &tn->hash_buckets[i], *n;

		while ((n = *np) != NULL) {
			if ((dev && n->dev != dev) ||
			    (n->nud_state & (NUD_PERMANENT | NUD_NOARP))) {
				np = &n->next;
				continue;
			}
			*np = n->next;
			write_lock(&n->lock);
			neigh_del_timer(n);
			n->dead = 1;
			neigh_purge_queue(n, SKB_DROP_REASON_NEIGH_DEAD);
			if (atomic_read(&n->refcnt) != 1) {
				n->output = neigh_blackhole;
				n->nud_state = NUD_NONE;
			}
			write_unlock(&n->lock);
			neigh_release(n);
			count++;
		}
	}
	spin_unlock_bh(&tn->lock);
	return count;
}

void neigh_for_each(struct neigh_table *tbl, struct net *net,
		    int (*cb)(struct neighbour *n, void *arg), void *arg)
{
	struct neigh_table_net *tn = neigh_tbl_net(tbl, net);
	unsigned int i;

	if (!tn)
		return;
	spin_lock_bh(&tn->lock);
	for (i = 0; i < (1U << tn->hash_shift); i++) {
		struct neighbour *n;

		for (n = tn->hash_buckets[i]; n; n = n->next) {
			if (cb(n, arg))
				goto out;
		}
	}
out:
	spin_unlock_bh(&tn->lock);
}

/* Periodic gc of one namespace. Context: TIMER_SOFTIRQ. */
static void neigh_periodic_work(struct timer_list *t)
{
	struct neigh_table_net *tn = from_timer(tn, t, gc_timer);
	unsigned int i;

	NEIGH_CACHE_STAT_INC(tn, periodic_gc_runs);
	spin_lock_bh(&tn->lock);
	/* 3.10: nothing to do below gc_thresh1. */
	if (atomic_read(&tn->entries) < tn->gc_thresh1)
		goto out;
	/* Re-randomise reachable_time every 300 s. */
	if (time_after(jiffies, tn->last_rand + 300 * HZ)) {
		struct neigh_parms *p;

		tn->last_rand = jiffies;
		for (p = &tn->parms; p; p = p->next)
			p->reachable_time = (int)neigh_rand_reach_time(
				(unsigned long)p->base_reachable_time);
	}
	for (i = 0; i < (1U << tn->hash_shift); i++) {
		struct neighbour **np = &tn->hash_buckets[i], *n;

		while ((n = *np) != NULL) {
			unsigned int state;

			write_lock(&n->lock);
			state = n->nud_state;
			if (state & (NUD_PERMANENT | NUD_IN_TIMER)) {
				write_unlock(&n->lock);
				np = &n->next;
				continue;
			}
			if (time_before(n->used, n->confirmed))
				n->used = n->confirmed;
			if (atomic_read(&n->refcnt) == 1 &&
			    (state == NUD_FAILED ||
			     time_after(jiffies,
					n->used + (unsigned long)n->parms->gc_staletime))) {
				*np = n->next;
				n->dead = 1;
				write_unlock(&n->lock);
				neigh_release(n);
				continue;
			}
			write_unlock(&n->lock);
			np = &n->next;
		}
	}
out:
	/* Cycle through the buckets every base_reachable_time/2 (while there is work). */
	if (atomic_read(&tn->entries) >= tn->gc_thresh1)
		mod_timer(&tn->gc_timer,
			  jiffies + (unsigned long)(tn->parms.base_reachable_time >> 1));
	spin_unlock_bh(&tn->lock);
}

/* ---- parameters ---- */

struct neigh_parms *neigh_parms_alloc(struct net_device *dev, struct neigh_table *tbl)
{
	struct neigh_table_net *tn;
	struct neigh_parms *p;

	if (!dev)
		return NULL;
	tn = neigh_tbl_net(tbl, dev_net(dev));
	if (!tn)
		return NULL;
	p = kmemdup(&tn->parms, sizeof(*p), GFP_KERNEL);
	if (!p)
		return NULL;
	p->tbl = tbl;
	atomic_set(&p->refcnt, 1);
	p->dead = false;
	p->reachable_time = (int)neigh_rand_reach_time((unsigned long)p->base_reachable_time);
	dev_hold(dev);
	p->dev = dev;
	p->net = dev_net(dev);
	p->sysctl_path[0] = '\0';
	spin_lock_bh(&tn->lock);
	p->next = tn->parms.next;
	tn->parms.next = p;
	spin_unlock_bh(&tn->lock);
	/* net.ipv4.neigh.DEV.* (3.10's inetdev_init registers it right after). */
	neigh_sysctl_register(dev, p, NULL);
	return p;
}

void neigh_parms_release(struct neigh_table *tbl, struct neigh_parms *parms)
{
	struct neigh_table_net *tn;
	struct neigh_parms **p;

	if (!parms || !parms->dev)
		return;
	tn = neigh_tbl_net(tbl, parms->net);
	neigh_sysctl_unregister(parms);
	if (tn) {
		spin_lock_bh(&tn->lock);
		for (p = &tn->parms.next; *p; p = &(*p)->next) {
			if (*p == parms) {
				*p = parms->next;
				parms->dead = true;
				spin_unlock_bh(&tn->lock);
				dev_put(parms->dev);
				neigh_parms_put(parms);
				return;
			}
		}
		spin_unlock_bh(&tn->lock);
	}
	pr_debug("neigh_parms_release: not found\n");
}

/* The parms of @dev in @tbl (NULL if none). */
static struct neigh_parms *neigh_parms_of_dev(struct neigh_table_net *tn,
					       const struct net_device *dev)
{
	struct neigh_parms *p;

	for (p = tn->parms.next; p; p = p->next) {
		if (p->dev == dev)
			return p;
	}
	return NULL;
}

/* ---- sysctls: net.ipv4.neigh.{default,DEV}.* ----
 *
 * One table serves every namespace: it is registered per namespace-offset (linux/sysctl.h)
 * with offset 0, so a handler receives the namespace itself in ctl->data and finds the parms
 * there (the device by name for per-device tables). A per-device path is registered once
 * per device name however many namespaces have such a device (users counts them). */

enum neigh_var_kind {
	NV_INT,		/* plain number */
	NV_JIFFIES,	/* seconds */
	NV_USERHZ,	/* 1/100 s */
	NV_MS,		/* ms */
	NV_UNRES_QLEN,	/* packets: unres_qlen_bytes / SKB_TRUESIZE(ETH_FRAME_LEN) */
};

struct neigh_var {
	const char *name;
	size_t offset;		/* in struct neigh_parms, or in neigh_table_net (table) */
	enum neigh_var_kind kind;
	bool table;		/* gc_* of the default directory only */
};

#define NP(field) offsetof(struct neigh_parms, field)
#define NT(field) offsetof(struct neigh_table_net, field)
static const struct neigh_var neigh_vars[] = {
	{ "mcast_solicit", NP(mcast_probes), NV_INT, false },
	{ "ucast_solicit", NP(ucast_probes), NV_INT, false },
	{ "app_solicit", NP(app_probes), NV_INT, false },
	{ "retrans_time", NP(retrans_time), NV_USERHZ, false },
	{ "base_reachable_time", NP(base_reachable_time), NV_JIFFIES, false },
	{ "delay_first_probe_time", NP(delay_probe_time), NV_JIFFIES, false },
	{ "gc_stale_time", NP(gc_staletime), NV_JIFFIES, false },
	{ "unres_qlen_bytes", NP(queue_len_bytes), NV_INT, false },
	{ "proxy_qlen", NP(proxy_qlen), NV_INT, false },
	{ "anycast_delay", NP(anycast_delay), NV_USERHZ, false },
	{ "proxy_delay", NP(proxy_delay), NV_USERHZ, false },
	{ "locktime", NP(locktime), NV_USERHZ, false },
	{ "unres_qlen", NP(queue_len_bytes), NV_UNRES_QLEN, false },
	{ "retrans_time_ms", NP(retrans_time), NV_MS, false },
	{ "base_reachable_time_ms", NP(base_reachable_time), NV_MS, false },
	{ "gc_interval", NT(gc_interval), NV_JIFFIES, true },
	{ "gc_thresh1", NT(gc_thresh1), NV_INT, true },
	{ "gc_thresh2", NT(gc_thresh2), NV_INT, true },
	{ "gc_thresh3", NT(gc_thresh3), NV_INT, true },
};
#undef NP
#undef NT
#define NEIGH_NVARS ARRAY_SIZE(neigh_vars)

/* A registered directory: "net/ipv4/neigh/<name>". */
struct neigh_sysctl_dir {
	struct neigh_sysctl_dir *next;
	struct neigh_table *tbl;
	char name[IFNAMSIZ];		/* "default" or a device name */
	char path[64];
	int users;
	struct ctl_table table[NEIGH_NVARS + 1];
};
static struct neigh_sysctl_dir *neigh_sysctl_dirs;
static DEFINE_MUTEX(neigh_sysctl_mutex);

/* SKB_TRUESIZE(ETH_FRAME_LEN): the unit of unres_qlen.
 * DIVERGES: computed from ulnet's sk_buff, so the default shows more packets than Linux's 31
 * for the same 65536 bytes (the bytes are what limits the queue, in both). */
#define NEIGH_UNRES_UNIT ((int)SKB_TRUESIZE(1514))

static int neigh_var_handler(struct ctl_table *ctl, int write, void *buffer, size_t *lenp,
			     loff_t *ppos)
{
	struct net *net = ctl->data;
	struct neigh_sysctl_dir *dir = ctl->extra1;
	const struct neigh_var *var = ctl->extra2;
	struct neigh_table_net *tn = neigh_tbl_net(dir->tbl, net);
	struct ctl_table tmp = *ctl;
	void *base;
	int val, err;

	if (!tn)
		return -ENOENT;
	if (var->table) {
		base = tn;
	} else if (!strcmp(dir->name, "default")) {
		base = &tn->parms;
	} else {
		struct net_device *dev = __dev_get_by_name(net, dir->name);

		base = dev ? neigh_parms_of_dev(tn, dev) : NULL;
		if (!base)
			return -ENOENT;	/* no such device in this namespace */
	}
	tmp.maxlen = sizeof(int);
	tmp.extra1 = tmp.extra2 = NULL;
	if (var->kind == NV_UNRES_QLEN) {
		int *bytes = (int *)((char *)base + var->offset);

		val = *bytes / NEIGH_UNRES_UNIT;
		tmp.data = &val;
		err = proc_dointvec(&tmp, write, buffer, lenp, ppos);
		if (!err && write) {
			if (val < 0 || val > INT32_MAX / NEIGH_UNRES_UNIT)
				return -EINVAL;
			*bytes = val * NEIGH_UNRES_UNIT;
		}
		return err;
	}
	tmp.data = (char *)base + var->offset;
	switch (var->kind) {
	case NV_JIFFIES:
		return proc_dointvec_jiffies(&tmp, write, buffer, lenp, ppos);
	case NV_USERHZ:
		return proc_dointvec_userhz_jiffies(&tmp, write, buffer, lenp, ppos);
	case NV_MS:
		return proc_dointvec_ms_jiffies(&tmp, write, buffer, lenp, ppos);
	default:
		return proc_dointvec(&tmp, write, buffer, lenp, ppos);
	}
}

/* Register (or count one more user of) directory @name of @tbl. Caller holds the mutex. */
static int neigh_sysctl_dir_get(struct neigh_table *tbl, const char *name)
{
	struct neigh_sysctl_dir *dir;
	size_t i, n = 0;
	int err;

	for (dir = neigh_sysctl_dirs; dir; dir = dir->next) {
		if (dir->tbl == tbl && !strcmp(dir->name, name)) {
			dir->users++;
			return 0;
		}
	}
	dir = calloc(1, sizeof(*dir));
	if (!dir)
		return -ENOMEM;
	dir->tbl = tbl;
	snprintf(dir->name, sizeof(dir->name), "%s", name);
	snprintf(dir->path, sizeof(dir->path), "net/%s/neigh/%s",
		 tbl->family == AF_INET ? "ipv4" : "ipv6", name);
	for (i = 0; i < NEIGH_NVARS; i++) {
		if (neigh_vars[i].table && strcmp(name, "default"))
			continue;
		dir->table[n].procname = neigh_vars[i].name;
		dir->table[n].data = (void *)0;	/* offset 0: the namespace itself */
		dir->table[n].maxlen = sizeof(int);
		dir->table[n].mode = 0644;
		dir->table[n].proc_handler = neigh_var_handler;
		dir->table[n].extra1 = dir;
		dir->table[n].extra2 = (void *)&neigh_vars[i];
		n++;
	}
	err = register_net_sysctl_offset(dir->path, dir->table);
	if (err) {
		free(dir);
		return err;
	}
	dir->users = 1;
	dir->next = neigh_sysctl_dirs;
	neigh_sysctl_dirs = dir;
	return 0;
}

static void neigh_sysctl_dir_put(struct neigh_table *tbl, const char *name)
{
	struct neigh_sysctl_dir **pp, *dir;

	for (pp = &neigh_sysctl_dirs; (dir = *pp) != NULL; pp = &dir->next) {
		if (dir->tbl == tbl && !strcmp(dir->name, name)) {
			if (--dir->users == 0) {
				*pp = dir->next;
				unregister_sysctl_path(dir->path);
				free(dir);
			}
			return;
		}
	}
}

int neigh_sysctl_register(struct net_device *dev, struct neigh_parms *p, char *p_name)
{
	const char *name = dev ? dev->name : "default";
	int err;

	if (!p || !p->tbl)
		return -EINVAL;
	if (p->sysctl_path[0])
		return 0;
	mutex_lock(&neigh_sysctl_mutex);
	err = neigh_sysctl_dir_get(p->tbl, name);
	mutex_unlock(&neigh_sysctl_mutex);
	if (!err)
		snprintf(p->sysctl_path, sizeof(p->sysctl_path), "%s", name);
	return err;
}

void neigh_sysctl_unregister(struct neigh_parms *p)
{
	if (!p || !p->sysctl_path[0] || !p->tbl)
		return;
	mutex_lock(&neigh_sysctl_mutex);
	neigh_sysctl_dir_put(p->tbl, p->sysctl_path);
	mutex_unlock(&neigh_sysctl_mutex);
	p->sysctl_path[0] = '\0';
}

/* ---- per-namespace parts ---- */

static int neigh_table_net_init(struct neigh_table *tbl, struct net *net)
{
	struct neigh_net *nn = net_generic(net, neigh_net_id);
	struct neigh_table_net *tn;

	tn = kzalloc(sizeof(*tn), GFP_KERNEL);
	if (!tn)
		return -ENOMEM;
	tn->hash_shift = 3;
	tn->hash_buckets = kcalloc(1UL << tn->hash_shift, sizeof(*tn->hash_buckets), GFP_KERNEL);
	if (!tn->hash_buckets) {
		kfree(tn);
		return -ENOMEM;
	}
	tn->net = net;
	tn->tbl = tbl;
	tn->hash_rnd = prandom_u32() | 1;
	spin_lock_init(&tn->lock);
	tn->parms = tbl->parms;
	tn->parms.net = net;
	tn->parms.dev = NULL;
	tn->parms.next = NULL;
	tn->parms.tbl = tbl;
	tn->parms.dead = false;
	atomic_set(&tn->parms.refcnt, 1);
	tn->parms.reachable_time =
		(int)neigh_rand_reach_time((unsigned long)tn->parms.base_reachable_time);
	tn->parms.sysctl_path[0] = '\0';
	tn->gc_interval = tbl->gc_interval;
	tn->gc_thresh1 = tbl->gc_thresh1;
	tn->gc_thresh2 = tbl->gc_thresh2;
	tn->gc_thresh3 = tbl->gc_thresh3;
	tn->last_flush = jiffies;
	tn->last_rand = jiffies;
	timer_setup(&tn->gc_timer, neigh_periodic_work, 0);
	nn->tn[tbl->index] = tn;
	return 0;
}

static void neigh_table_net_exit(struct neigh_table *tbl, struct net *net)
{
	struct neigh_net *nn = net_generic(net, neigh_net_id);
	struct neigh_table_net *tn = nn ? nn->tn[tbl->index] : NULL;
	struct neigh_parms *p, *next;

	if (!tn)
		return;
	del_timer_sync(&tn->gc_timer);
	spin_lock_bh(&tn->lock);
	neigh_flush_dev(tn, NULL);
	spin_unlock_bh(&tn->lock);
	/* Device parms left behind (their devices are gone; arp released them normally). */
	for (p = tn->parms.next; p; p = next) {
		next = p->next;
		p->dead = true;
		neigh_sysctl_unregister(p);
		if (p->dev)
			dev_put(p->dev);
		neigh_parms_put(p);
	}
	tn->parms.next = NULL;
	if (atomic_read(&tn->entries)) {
		/* Entries still referenced by their users: they point at tn; keep it. */
		pr_warn("neigh: %d %s entries still in use as the namespace goes\n",
			atomic_read(&tn->entries), tbl->id);
		nn->tn[tbl->index] = NULL;
		return;
	}
	nn->tn[tbl->index] = NULL;
	kfree(tn->hash_buckets);
	kfree(tn);
}

static int neigh_net_init(struct net *net)
{
	int i, err;

	for (i = 0; i < NEIGH_NR_TABLES; i++) {
		if (!neigh_tables[i])
			continue;
		err = neigh_table_net_init(neigh_tables[i], net);
		if (err) {
			while (--i >= 0)
				if (neigh_tables[i])
					neigh_table_net_exit(neigh_tables[i], net);
			return err;
		}
	}
	return 0;
}

static void neigh_net_exit(struct net *net)
{
	int i;

	for (i = NEIGH_NR_TABLES - 1; i >= 0; i--)
		if (neigh_tables[i])
			neigh_table_net_exit(neigh_tables[i], net);
}

static struct pernet_operations neigh_net_ops = {
	.init = neigh_net_init,
	.exit = neigh_net_exit,
	.id = &neigh_net_id,
	.size = sizeof(struct neigh_net),
};

/* /proc/net/stat/arp_cache: one row per CPU (3.10 neigh_stat_seq_show). */
static int neigh_stat_seq_show(struct seq_file *m, void *v)
{
	struct neigh_table *tbl = m->private;
	struct neigh_table_net *tn = neigh_tbl_net(tbl, m->net);
	int cpu;

	seq_puts(m, "entries  allocs destroys hash_grows  lookups hits  res_failed  "
		 "rcv_probes_mcast rcv_probes_ucast  periodic_gc_runs forced_gc_runs "
		 "unresolved_discards\n");
	if (!tn)
		return 0;
	for_each_possible_cpu(cpu) {
		const struct neigh_statistics *st = &tn->stats[cpu];

		seq_printf(m, "%08x  %08lx %08lx %08lx  %08lx %08lx  %08lx  %08lx %08lx  "
			   "%08lx %08lx %08lx\n",
			   (unsigned int)atomic_read(&tn->entries), st->allocs, st->destroys,
			   st->hash_grows, st->lookups, st->hits, st->res_failed,
			   st->rcv_probes_mcast, st->rcv_probes_ucast, st->periodic_gc_runs,
			   st->forced_gc_runs, st->unres_discards);
	}
	return 0;
}

void neigh_table_init(struct neigh_table *tbl)
{
	struct net *net;
	char path[64];

	if (tbl->index < 0 || tbl->index >= NEIGH_NR_TABLES || neigh_tables[tbl->index]) {
		pr_err("neigh_table_init: bad or duplicate table %s\n", tbl->id);
		return;
	}
	neigh_tables[tbl->index] = tbl;
	if (neigh_net_ops_users++ == 0) {
		if (register_pernet_subsys(&neigh_net_ops)) {
			pr_err("neigh_table_init: cannot register %s\n", tbl->id);
			neigh_tables[tbl->index] = NULL;
			neigh_net_ops_users--;
			return;
		}
	} else {
		for_each_net(net)
			neigh_table_net_init(tbl, net);
	}
	snprintf(path, sizeof(path), "net/stat/%s", tbl->id);
	proc_create_single(path, neigh_stat_seq_show, tbl);
	mutex_lock(&neigh_sysctl_mutex);
	neigh_sysctl_dir_get(tbl, "default");
	mutex_unlock(&neigh_sysctl_mutex);
}

int neigh_table_clear(struct neigh_table *tbl)
{
	struct neigh_sysctl_dir *dir;
	struct net *net;
	char path[64];

	if (tbl->index < 0 || tbl->index >= NEIGH_NR_TABLES || neigh_tables[tbl->index] != tbl)
		return -ENOENT;
	snprintf(path, sizeof(path), "net/stat/%s", tbl->id);
	proc_remove_path(path);
	mutex_lock(&neigh_sysctl_mutex);
	/* Every directory of this table goes (devices left are going with the stack). */
	while ((dir = neigh_sysctl_dirs) != NULL && dir->tbl == tbl) {
		dir->users = 1;
		neigh_sysctl_dir_put(tbl, dir->name);
	}
	for (dir = neigh_sysctl_dirs; dir; ) {
		struct neigh_sysctl_dir *next = dir->next;

		if (dir->tbl == tbl) {
			dir->users = 1;
			neigh_sysctl_dir_put(tbl, dir->name);
		}
		dir = next;
	}
	mutex_unlock(&neigh_sysctl_mutex);
	if (--neigh_net_ops_users == 0) {
		unregister_pernet_subsys(&neigh_net_ops);
	} else {
		for_each_net(net)
			neigh_table_net_exit(tbl, net);
	}
	neigh_tables[tbl->index] = NULL;
	return 0;
}

static const char *const nud_names[] = {
	"INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NOARP", "PERMANENT",
};

const char *neigh_state_name(u8 nud_state)
{
	int i;

	if (nud_state == NUD_NONE)
		return "NONE";
	for (i = 0; i < 8; i++)
		if (nud_state & (1 << i))
			return nud_names[i];
	return "NONE";
}
