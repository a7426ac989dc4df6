/* SPDX-License-Identifier: MIT */
/* The bridge's forwarding database: which port each MAC address was last seen on, learned
 * from the source of received frames and forgotten after ageing_time (300 s).
 * Mirrors linux/net/bridge/br_fdb.c (3.10): br_fdb_init, br_fdb_fini, br_mac_hash,
 * fdb_create, fdb_delete, has_expired, br_fdb_cleanup, br_fdb_flush,
 * br_fdb_delete_by_port, __br_fdb_get, fdb_insert/br_fdb_insert, br_fdb_update,
 * br_fdb_changeaddr, fdb_add_entry, fdb_delete_by_addr.
 *
 * Locking: br->hash_lock around every change; lookups on the packet path run without it
 * (RCU in Linux; see the DIVERGES note of linux/spinlock.h).
 * Context: softirq (learning, lookups, the gc timer) and process (configuration). */
#include "linux/jhash.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/random.h"
#include "linux/slab.h"
#include "net/bridge/br_private.h"

static struct kmem_cache *br_fdb_cache;
static u32 fdb_salt;

int br_fdb_init(void)
{
	br_fdb_cache = kmem_cache_create("bridge_fdb_cache", sizeof(struct net_bridge_fdb_entry),
					 0, SLAB_HWCACHE_ALIGN, NULL);
	if (!br_fdb_cache)
		return -ENOMEM;
	get_random_bytes(&fdb_salt, sizeof(fdb_salt));
	return 0;
}

void br_fdb_fini(void)
{
	kmem_cache_destroy(br_fdb_cache);
	br_fdb_cache = NULL;
}

static inline unsigned int br_mac_hash(const unsigned char *mac)
{
	/* The last four bytes carry the entropy of a MAC (the first three are the vendor). */
	u32 key;

	memcpy(&key, mac + 2, sizeof(key));

	return jhash_1word(key, fdb_salt) & (BR_HASH_SIZE - 1);
}

/* 3.10 hold_time: the forward delay during a topology change, else ageing_time (no STP
 * here, so always ageing_time). */
static unsigned long hold_time(const struct net_bridge *br)
{
	return br->ageing_time;
}

bool br_fdb_has_expired(const struct net_bridge *br, const struct net_bridge_fdb_entry *f)
{
	return !f->is_static && time_before_eq(f->updated + hold_time(br), jiffies);
}

static void fdb_delete(struct net_bridge *br, struct net_bridge_fdb_entry *f)
{
	hlist_del(&f->hlist);
	br->fdb_count--;
	kmem_cache_free(br_fdb_cache, f);
}

static struct net_bridge_fdb_entry *fdb_find(struct hlist_head *head, const unsigned char *addr)
{
	struct net_bridge_fdb_entry *f;

	hlist_for_each_entry(f, head, hlist)
		if (ether_addr_equal(f->addr, addr))
			return f;
	return NULL;
}

static struct net_bridge_fdb_entry *fdb_create(struct net_bridge *br, struct hlist_head *head,
					       struct net_bridge_port *source,
					       const unsigned char *addr)
{
	struct net_bridge_fdb_entry *f = kmem_cache_zalloc(br_fdb_cache, GFP_ATOMIC);

	if (!f)
		return NULL;
	memcpy(f->addr, addr, ETH_ALEN);
	f->dst = source;
	f->updated = f->used = jiffies;
	hlist_add_head(&f->hlist, head);
	br->fdb_count++;
	return f;
}

/* The gc timer: drop what was not refreshed within hold_time and re-arm for the next
 * entry due (3.10 rounds the expiry up to a whole second, round_jiffies_up).
 * Context: softirq (TIMER). */
void br_fdb_cleanup(struct timer_list *t)
{
	struct net_bridge *br = from_timer(br, t, gc_timer);
	unsigned long delay = hold_time(br);
	unsigned long next_timer = jiffies + br->ageing_time;
	int i;

	spin_lock(&br->hash_lock);
	for (i = 0; i < BR_HASH_SIZE; i++) {
		struct net_bridge_fdb_entry *f;
		struct hlist_node *n;

		hlist_for_each_entry_safe(f, n, &br->hash[i], hlist) {
			unsigned long this_timer;

			if (f->is_static)
				continue;
			this_timer = f->updated + delay;
			if (time_before_eq(this_timer, jiffies))
				fdb_delete(br, f);
			else if (time_before(this_timer, next_timer))
				next_timer = this_timer;
		}
	}
	spin_unlock(&br->hash_lock);
	/* round_jiffies_up: the next whole second (HZ jiffies). */
	next_timer = ((next_timer + HZ - 1) / HZ) * HZ;
	mod_timer(&br->gc_timer, next_timer);
}

void br_fdb_flush(struct net_bridge *br)
{
	int i;

	spin_lock_bh(&br->hash_lock);
	for (i = 0; i < BR_HASH_SIZE; i++) {
		struct net_bridge_fdb_entry *f;
		struct hlist_node *n;

		hlist_for_each_entry_safe(f, n, &br->hash[i], hlist)
			if (!f->is_static)
				fdb_delete(br, f);
	}
	spin_unlock_bh(&br->hash_lock);
}

/* Remove the entries pointing at @p (all of them with @do_all, else the dynamic ones).
 * A local address that another port also has moves to that port instead (3.10). rtnl held. */
void br_fdb_delete_by_port(struct net_bridge *br, const struct net_bridge_port *p, bool do_all)
{
	int i;

	spin_lock_bh(&br->hash_lock);
	for (i = 0; i < BR_HASH_SIZE; i++) {
		struct net_bridge_fdb_entry *f;
		struct hlist_node *n;

		hlist_for_each_entry_safe(f, n, &br->hash[i], hlist) {
			struct net_bridge_port *op;

			if (f->dst != p)
				continue;
			if (f->is_static && !do_all)
				continue;
			if (f->is_local) {
				bool moved = false;

				list_for_each_entry(op, &br->port_list, list) {
					if (op != p && ether_addr_equal(op->dev->dev_addr, f->addr)) {
						f->dst = op;
						moved = true;
						break;
					}
				}
				if (moved)
					continue;
			}
			fdb_delete(br, f);
		}
	}
	spin_unlock_bh(&br->hash_lock);
}

struct net_bridge_fdb_entry *__br_fdb_get(struct net_bridge *br, const unsigned char *addr)
{
	struct net_bridge_fdb_entry *f = fdb_find(&br->hash[br_mac_hash(addr)], addr);

	if (f && br_fdb_has_expired(br, f))
		return NULL;
	return f;
}

/* A local (permanent) entry for @addr on @source; an existing dynamic entry gives way. */
static int fdb_insert(struct net_bridge *br, struct net_bridge_port *source,
		      const unsigned char *addr)
{
	struct hlist_head *head = &br->hash[br_mac_hash(addr)];
	struct net_bridge_fdb_entry *f;

	if (!is_valid_ether_addr(addr))
		return -EINVAL;
	f = fdb_find(head, addr);
	if (f) {
		/* Two ports with the same MAC: the first one keeps it. */
		if (f->is_local)
			return 0;
		pr_warn("%s adding interface %s with same address as a received packet\n",
			br->dev->name, source ? source->dev->name : br->dev->name);
		fdb_delete(br, f);
	}
	f = fdb_create(br, head, source, addr);
	if (!f)
		return -ENOMEM;
	f->is_local = 1;
	f->is_static = 1;
	return 0;
}

int br_fdb_insert(struct net_bridge *br, struct net_bridge_port *source,
		  const unsigned char *addr)
{
	int ret;

	spin_lock_bh(&br->hash_lock);
	ret = fdb_insert(br, source, addr);
	spin_unlock_bh(&br->hash_lock);
	return ret;
}

/* Learning: @addr was the source of a frame received on @source. Context: softirq. */
void br_fdb_update(struct net_bridge *br, struct net_bridge_port *source,
		   const unsigned char *addr)
{
	struct hlist_head *head = &br->hash[br_mac_hash(addr)];
	struct net_bridge_fdb_entry *fdb;

	/* Some users want to always flood (3.10: only learn in LEARNING/FORWARDING). */
	if (hold_time(br) == 0)
		return;
	if (!(source->state == BR_STATE_LEARNING || source->state == BR_STATE_FORWARDING))
		return;

	fdb = fdb_find(head, addr);
	if (likely(fdb)) {
		if (unlikely(fdb->is_local)) {
			/* Someone sends with our own address: a loop or a misconfiguration. */
			net_warn_ratelimited("%s: received packet on %s with own address as source address\n",
					     br->dev->name, source->dev->name);
			return;
		}
		/* A station that moved to another port moves its entry with it. */
		fdb->dst = source;
		fdb->updated = jiffies;
		return;
	}
	spin_lock(&br->hash_lock);
	if (likely(!fdb_find(head, addr)))
		fdb_create(br, head, source, addr);
	spin_unlock(&br->hash_lock);
}

/* @p's device changed its MAC: its local entry follows. rtnl held. */
void br_fdb_changeaddr(struct net_bridge_port *p, const unsigned char *newaddr)
{
	struct net_bridge *br = p->br;
	int i;

	spin_lock_bh(&br->hash_lock);
	for (i = 0; i < BR_HASH_SIZE; i++) {
		struct net_bridge_fdb_entry *f;
		struct hlist_node *n;

		hlist_for_each_entry_safe(f, n, &br->hash[i], hlist) {
			if (f->dst == p && f->is_local) {
				fdb_delete(br, f);
				goto insert;
			}
		}
	}
insert:
	fdb_insert(br, p, newaddr);
	spin_unlock_bh(&br->hash_lock);
}

int br_fdb_add_static(struct net_bridge *br, struct net_bridge_port *p, const unsigned char *addr)
{
	struct hlist_head *head = &br->hash[br_mac_hash(addr)];
	struct net_bridge_fdb_entry *f;
	int err = 0;

	if (!is_valid_ether_addr(addr))
		return -EINVAL;
	spin_lock_bh(&br->hash_lock);
	f = fdb_find(head, addr);
	if (f && f->is_local) {
		err = -EEXIST;
	} else {
		if (!f)
			f = fdb_create(br, head, p, addr);
		if (!f) {
			err = -ENOMEM;
		} else {
			f->dst = p;
			f->is_static = 1;
			f->updated = f->used = jiffies;
		}
	}
	spin_unlock_bh(&br->hash_lock);
	return err;
}

int br_fdb_delete(struct net_bridge *br, const unsigned char *addr)
{
	struct net_bridge_fdb_entry *f;
	int err = -ENOENT;

	spin_lock_bh(&br->hash_lock);
	f = fdb_find(&br->hash[br_mac_hash(addr)], addr);
	if (f && !f->is_local) {
		fdb_delete(br, f);
		err = 0;
	}
	spin_unlock_bh(&br->hash_lock);
	return err;
}

void br_fdb_for_each(struct net_bridge *br,
		     void (*fn)(const struct net_bridge_fdb_entry *f, void *arg), void *arg)
{
	int i;

	for (i = 0; i < BR_HASH_SIZE; i++) {
		struct net_bridge_fdb_entry *f;

		hlist_for_each_entry(f, &br->hash[i], hlist)
			fn(f, arg);
	}
}
