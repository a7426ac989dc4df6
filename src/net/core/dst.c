/* SPDX-License-Identifier: MIT */
/* Destination cache entries: allocation, references, and their end.
 * Mirrors linux/net/core/dst.c (3.10): dst_alloc, dst_destroy, dst_free, dst_release,
 * dst_discard, dst_ifdown, dst_dev_event (the netdevice notifier that moves entries off a
 * device that goes away).
 *
 * An entry the FIB caches (a nexthop's rtable) has no reference of the cache's own: users
 * count in __refcnt, and the cache owner calls dst_free() when it drops the entry. An entry
 * nobody caches (DST_NOCACHE) dies with its last reference. dst_free() of an entry still in
 * use parks it on dst_garbage (DST_OBSOLETE_DEAD) until its last dst_release().
 *
 * Locking: dst_garbage_lock guards the garbage list. Context: any. */
#include "net/dst.h"
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/list.h"
#include "linux/notifier.h"
#include "linux/rtnetlink.h"
#include "linux/slab.h"
#include "linux/spinlock.h"
#include "net/net_namespace.h"

const u32 dst_default_metrics[RTAX_MAX];

static LIST_HEAD(dst_garbage);
static DEFINE_SPINLOCK(dst_garbage_lock);

int dst_discard(struct sk_buff *skb)
{
	kfree_skb(skb);
	return 0;
}

void *dst_alloc(struct dst_ops *ops, struct net_device *dev, int initial_ref,
		unsigned short initial_obsolete, unsigned short flags)
{
	struct dst_entry *dst;

	if (!ops || !ops->kmem_cachep)
		return NULL;
	dst = kmem_cache_zalloc(ops->kmem_cachep, GFP_ATOMIC);
	if (!dst)
		return NULL;
	dst->ops = ops;
	dst->dev = dev;
	if (dev)
		dev_hold(dev);
	dst->_metrics = dst_default_metrics;
	dst->expires = 0;
	dst->input = dst_discard;
	dst->output = dst_discard;
	dst->flags = flags;
	dst->obsolete = (short)initial_obsolete;
	atomic_set(&dst->__refcnt, initial_ref);
	INIT_LIST_HEAD(&dst->dst_gc_node);
	dst->lastuse = jiffies;
	if (!(flags & DST_NOCOUNT))
		atomic_inc(&ops->entries);
	return dst;
}

void dst_destroy(struct dst_entry *dst)
{
	struct dst_ops *ops = dst->ops;

	if (!list_empty(&dst->dst_gc_node)) {
		spin_lock_bh(&dst_garbage_lock);
		list_del_init(&dst->dst_gc_node);
		spin_unlock_bh(&dst_garbage_lock);
	}
	if (ops->destroy)
		ops->destroy(dst);
	if (dst->dev)
		dev_put(dst->dev);
	if (!(dst->flags & DST_NOCOUNT))
		atomic_dec(&ops->entries);
	kmem_cache_free(ops->kmem_cachep, dst);
}

void dst_free(struct dst_entry *dst)
{
	if (!dst)
		return;
	dst->obsolete = DST_OBSOLETE_DEAD;
	dst->input = dst_discard;
	dst->output = dst_discard;
	if (atomic_read(&dst->__refcnt) == 0) {
		dst_destroy(dst);
		return;
	}
	spin_lock_bh(&dst_garbage_lock);
	list_add_tail(&dst->dst_gc_node, &dst_garbage);
	spin_unlock_bh(&dst_garbage_lock);
}

void dst_hold(struct dst_entry *dst)
{
	if (dst)
		atomic_inc(&dst->__refcnt);
}

void dst_release(struct dst_entry *dst)
{
	int newrefcnt;

	if (!dst)
		return;
	newrefcnt = atomic_dec_return(&dst->__refcnt);
	if (unlikely(newrefcnt < 0)) {
		pr_err("dst_release: dst %p underflow (%d)\n", (void *)dst, newrefcnt);
		return;
	}
	if (newrefcnt == 0 &&
	    ((dst->flags & DST_NOCACHE) || dst->obsolete == DST_OBSOLETE_DEAD))
		dst_destroy(dst);
}

/* @dev goes away while @dst still points at it: let it point at the namespace's lo (or at
 * nothing when lo itself goes), and drop whatever arrives. */
void dst_ifdown(struct dst_entry *dst, struct net_device *dev, int unregister)
{
	if (dst->ops->ifdown)
		dst->ops->ifdown(dst, dev, unregister);
	if (dev != dst->dev)
		return;
	if (!unregister) {
		dst->input = dst_discard;
		dst->output = dst_discard;
		return;
	}
	/* DIVERGES: when lo itself goes (namespace teardown), Linux waits for every entry;
	 * ulnet lets the last ones point at no device. */
	dst->dev = dev_net(dev)->loopback_dev;
	if (dst->dev == dev)
		dst->dev = NULL;
	if (dst->dev)
		dev_hold(dst->dev);
	dev_put(dev);
}

/* Entries parked on dst_garbage let go of a device that goes away. Context: rtnl. */
static int dst_dev_event(struct notifier_block *this, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct dst_entry *dst;

	switch (event) {
	case NETDEV_UNREGISTER:
	case NETDEV_DOWN:
		spin_lock_bh(&dst_garbage_lock);
		list_for_each_entry(dst, &dst_garbage, dst_gc_node) {
			if (dst->dev == dev)
				dst_ifdown(dst, dev, event != NETDEV_DOWN);
		}
		spin_unlock_bh(&dst_garbage_lock);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block dst_dev_notifier = {
	.notifier_call = dst_dev_event,
	.priority = -10,	/* must run after the protocols' own notifiers */
};

/* Boot (called from ip_rt_init). */
void dst_init(void)
{
	INIT_LIST_HEAD(&dst_garbage);
	register_netdevice_notifier(&dst_dev_notifier);
}

/* Teardown: entries still parked are leaks of their users; free them (reported). */
void dst_fini(void)
{
	struct dst_entry *dst, *tmp;

	unregister_netdevice_notifier(&dst_dev_notifier);
	list_for_each_entry_safe(dst, tmp, &dst_garbage, dst_gc_node) {
		pr_warn("dst: entry %p still referenced (%d) at teardown\n", (void *)dst,
			atomic_read(&dst->__refcnt));
		list_del_init(&dst->dst_gc_node);
		atomic_set(&dst->__refcnt, 0);
		dst_destroy(dst);
	}
	INIT_LIST_HEAD(&dst_garbage);
}
