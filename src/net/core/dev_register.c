/* SPDX-License-Identifier: MIT */
/* Network devices as objects: allocation, registration in a namespace, lookup by name and
 * index, notifiers, administrative state (open/close, flags, MTU, address), statistics and
 * unregistration.
 * Mirrors linux/net/core/dev.c (3.10), the configuration half (split from dev.c for size):
 * alloc_netdev_mqs, register_netdevice, unregister_netdevice_queue,
 * rollback_registered_many, netdev_run_todo, free_netdev, __dev_get_by_name,
 * dev_get_by_index, dev_alloc_name, register_netdevice_notifier, call_netdevice_notifiers,
 * __dev_open, dev_open, dev_close_many, __dev_change_flags, dev_change_flags, dev_get_flags,
 * dev_set_mtu, dev_set_mac_address, dev_change_name, dev_get_stats, netdev_net_ops,
 * default_device_ops.
 *
 * Locking: everything here runs under rtnl_lock (ASSERT_RTNL), except the lookups (RCU in
 * Linux; here the lists only change under rtnl and the readers run between changes).
 * Context: process. */
#include "linux/netdevice.h"
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/random.h"
#include "linux/slab.h"
#include "net/core/dev.h"
#include "net/net_namespace.h"
#include "net/sch_generic.h"

static RAW_NOTIFIER_HEAD(netdev_chain);
static void rollback_registered_many(struct list_head *head);
static LIST_HEAD(net_todo_list);

/* ---- rtnl (DIVERGES: Linux's is in rtnetlink.c, with the netlink socket) ---- */

static DEFINE_MUTEX(rtnl_mutex);
static int rtnl_held;

void rtnl_lock(void)
{
	mutex_lock(&rtnl_mutex);
	rtnl_held++;
}

void __rtnl_unlock(void)
{
	rtnl_held--;
	mutex_unlock(&rtnl_mutex);
}

/* Unregistered devices are finished (destructors run) after the lock is dropped. */
void rtnl_unlock(void)
{
	netdev_run_todo();
}

int rtnl_trylock(void)
{
	if (ul_smp && pthread_mutex_trylock(&rtnl_mutex.m))
		return 0;
	rtnl_held++;
	return 1;
}

int rtnl_is_locked(void)
{
	return rtnl_held > 0;
}

/* ---- name and index hashes ---- */

static unsigned int full_name_hash(const char *name)
{
	unsigned int hash = 0;

	while (*name)
		hash = (hash + (unsigned char)*name++) * 0x9e3779b1u;
	return hash;
}

static inline struct hlist_head *dev_name_hash(struct net *net, const char *name)
{
	return &net->dev_name_head[full_name_hash(name) & (NETDEV_HASHENTRIES - 1)];
}

static inline struct hlist_head *dev_index_hash(struct net *net, int ifindex)
{
	return &net->dev_index_head[ifindex & (NETDEV_HASHENTRIES - 1)];
}

static void list_netdevice(struct net_device *dev)
{
	struct net *net = dev_net(dev);

	list_add_tail(&dev->dev_list, &net->dev_base_head);
	hlist_add_head(&dev->name_hlist, dev_name_hash(net, dev->name));
	hlist_add_head(&dev->index_hlist, dev_index_hash(net, dev->ifindex));
	net->dev_base_seq++;
}

static void unlist_netdevice(struct net_device *dev)
{
	list_del_init(&dev->dev_list);
	hlist_del_init(&dev->name_hlist);
	hlist_del_init(&dev->index_hlist);
	dev_net(dev)->dev_base_seq++;
}

struct net_device *__dev_get_by_name(struct net *net, const char *name)
{
	struct net_device *dev;

	if (!net || !name || !net->dev_name_head)
		return NULL;
	hlist_for_each_entry(dev, dev_name_hash(net, name), name_hlist)
		if (!strncmp(dev->name, name, IFNAMSIZ))
			return dev;
	return NULL;
}

struct net_device *dev_get_by_name_rcu(struct net *net, const char *name)
{
	return __dev_get_by_name(net, name);
}

struct net_device *dev_get_by_name(struct net *net, const char *name)
{
	struct net_device *dev = __dev_get_by_name(net, name);

	if (dev)
		dev_hold(dev);
	return dev;
}

struct net_device *__dev_get_by_index(struct net *net, int ifindex)
{
	struct net_device *dev;

	if (!net || !net->dev_index_head)
		return NULL;
	hlist_for_each_entry(dev, dev_index_hash(net, ifindex), index_hlist)
		if (dev->ifindex == ifindex)
			return dev;
	return NULL;
}

struct net_device *dev_get_by_index_rcu(struct net *net, int ifindex)
{
	return __dev_get_by_index(net, ifindex);
}

struct net_device *dev_get_by_index(struct net *net, int ifindex)
{
	struct net_device *dev = __dev_get_by_index(net, ifindex);

	if (dev)
		dev_hold(dev);
	return dev;
}

/* ---- references ---- */

static void netdev_freemem(struct net_device *dev)
{
	kfree((char *)dev - dev->padded);
}

void dev_hold(struct net_device *dev)
{
	atomic_inc(&dev->refcnt);
}

/* The last reference of a device already released by free_netdev frees it (see
 * netdev_run_todo). */
void dev_put(struct net_device *dev)
{
	if (atomic_dec_and_test(&dev->refcnt) && dev->reg_state == NETREG_RELEASED)
		netdev_freemem(dev);
}

int netdev_refcnt_read(const struct net_device *dev)
{
	return atomic_read(&dev->refcnt);
}

/* ---- names ---- */

bool dev_valid_name(const char *name)
{
	size_t len;

	if (!name || *name == '\0')
		return false;
	len = strnlen(name, IFNAMSIZ);
	if (len >= IFNAMSIZ)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	while (*name) {
		if (*name == '/' || *name == ':' || *name == ' ' || *name == '\t' ||
		    *name == '\n' || *name == '\r')
			return false;
		name++;
	}
	return true;
}

/* If @name is "prefix%dsuffix" and @cand reads prefix<number>suffix, the number (no leading
 * zeros, as printf would write it), else -1. */
static int name_slot(const char *pfx, size_t plen, const char *sfx, const char *cand)
{
	size_t clen = strlen(cand), slen = strlen(sfx), i;
	long v = 0;

	if (clen <= plen + slen || strncmp(cand, pfx, plen) ||
	    strcmp(cand + clen - slen, sfx))
		return -1;
	if (cand[plen] == '0' && clen - slen - plen > 1)
		return -1;
	for (i = plen; i < clen - slen; i++) {
		if (cand[i] < '0' || cand[i] > '9')
			return -1;
		v = v * 10 + (cand[i] - '0');
		if (v > 1000000)
			return -1;
	}
	return (int)v;
}

#define MAX_NETDEVICES (8 * 4096)	/* one page of bits, as Linux */

/* Pick the first free number for "eth%d" in @net and write the name to @buf. */
static int __dev_alloc_name(struct net *net, const char *name, char *buf)
{
	const char *p = strchr(name, '%');
	struct net_device *d;
	unsigned long *inuse;
	int i = 0;

	if (p) {
		size_t plen = (size_t)(p - name);

		/* Exactly one "%d" and no other '%'. */
		if (p[1] != 'd' || strchr(p + 2, '%') || plen >= IFNAMSIZ - 1)
			return -EINVAL;
		inuse = kzalloc(MAX_NETDEVICES / 8, GFP_ATOMIC);
		if (!inuse)
			return -ENOMEM;
		for_each_netdev(net, d) {
			int slot = name_slot(name, plen, p + 2, d->name);

			if (slot >= 0 && slot < MAX_NETDEVICES)
				__set_bit(slot, inuse);
		}
		for (i = 0; i < MAX_NETDEVICES && test_bit(i, inuse); i++)
			;
		kfree(inuse);
		if (i >= MAX_NETDEVICES)
			return -ENFILE;
		snprintf(buf, IFNAMSIZ, "%.*s%d%s", (int)plen, name, i, p + 2);
		if (name_slot(name, plen, p + 2, buf) != i)
			return -ENFILE;	/* the digits did not fit in IFNAMSIZ */
	} else if (buf != name) {
		snprintf(buf, IFNAMSIZ, "%s", name);
	}
	if (!__dev_get_by_name(net, buf))
		return i;
	return -ENFILE;
}

int dev_alloc_name(struct net_device *dev, const char *name)
{
	char buf[IFNAMSIZ];
	int ret;

	if (!dev_net(dev))
		return -EINVAL;
	ret = __dev_alloc_name(dev_net(dev), name, buf);
	if (ret >= 0)
		memcpy(dev->name, buf, IFNAMSIZ);
	return ret;
}

static int dev_get_valid_name(struct net *net, struct net_device *dev, const char *name)
{
	char buf[IFNAMSIZ];
	int ret;

	if (!dev_valid_name(name))
		return -EINVAL;
	if (strchr(name, '%')) {
		ret = __dev_alloc_name(net, name, buf);
		if (ret < 0)
			return ret;
		memcpy(dev->name, buf, IFNAMSIZ);
		return 0;
	}
	if (__dev_get_by_name(net, name))
		return -EEXIST;
	if (dev->name != name)
		snprintf(dev->name, IFNAMSIZ, "%s", name);
	return 0;
}

int dev_change_name(struct net_device *dev, const char *newname)
{
	char oldname[IFNAMSIZ];
	int err;

	ASSERT_RTNL();
	if (dev->flags & IFF_UP)
		return -EBUSY;
	if (!strncmp(newname, dev->name, IFNAMSIZ))
		return 0;
	memcpy(oldname, dev->name, IFNAMSIZ);
	err = dev_get_valid_name(dev_net(dev), dev, newname);
	if (err < 0)
		return err;
	hlist_del_init(&dev->name_hlist);
	hlist_add_head(&dev->name_hlist, dev_name_hash(dev_net(dev), dev->name));
	err = notifier_to_errno(call_netdevice_notifiers(NETDEV_CHANGENAME, dev));
	if (err) {
		pr_err("%s: name change rollback failed: %d\n", dev->name, err);
		memcpy(dev->name, oldname, IFNAMSIZ);
		hlist_del_init(&dev->name_hlist);
		hlist_add_head(&dev->name_hlist, dev_name_hash(dev_net(dev), dev->name));
	}
	return err;
}

/* ---- notifiers ---- */

static const char *const netdev_cmd_names[] = {
	[NETDEV_UP] = "UP", [NETDEV_DOWN] = "DOWN", [NETDEV_REBOOT] = "REBOOT",
	[NETDEV_CHANGE] = "CHANGE", [NETDEV_REGISTER] = "REGISTER",
	[NETDEV_UNREGISTER] = "UNREGISTER", [NETDEV_CHANGEMTU] = "CHANGEMTU",
	[NETDEV_CHANGEADDR] = "CHANGEADDR", [NETDEV_GOING_DOWN] = "GOING_DOWN",
	[NETDEV_CHANGENAME] = "CHANGENAME", [NETDEV_FEAT_CHANGE] = "FEAT_CHANGE",
	[NETDEV_BONDING_FAILOVER] = "BONDING_FAILOVER", [NETDEV_PRE_UP] = "PRE_UP",
	[NETDEV_PRE_TYPE_CHANGE] = "PRE_TYPE_CHANGE",
	[NETDEV_POST_TYPE_CHANGE] = "POST_TYPE_CHANGE", [NETDEV_POST_INIT] = "POST_INIT",
	[NETDEV_UNREGISTER_FINAL] = "UNREGISTER_FINAL", [NETDEV_RELEASE] = "RELEASE",
	[NETDEV_NOTIFY_PEERS] = "NOTIFY_PEERS", [NETDEV_JOIN] = "JOIN",
};

const char *netdev_cmd_to_name(unsigned long cmd)
{
	if (cmd < ARRAY_SIZE(netdev_cmd_names) && netdev_cmd_names[cmd])
		return netdev_cmd_names[cmd];
	return "UNKNOWN_NETDEV_EVENT";
}

int call_netdevice_notifiers(unsigned long val, struct net_device *dev)
{
	ASSERT_RTNL();
	return raw_notifier_call_chain(&netdev_chain, val, dev);
}

int __netdev_notify(unsigned long val, struct net_device *dev)
{
	return raw_notifier_call_chain(&netdev_chain, val, dev);
}

/* A new notifier first sees every existing device registered (and up), as in Linux. */
int register_netdevice_notifier(struct notifier_block *nb)
{
	struct net_device *dev;
	struct net *net;
	int err;

	rtnl_lock();
	err = raw_notifier_chain_register(&netdev_chain, nb);
	if (err)
		goto unlock;
	for_each_net(net) {
		for_each_netdev(net, dev) {
			err = notifier_to_errno(nb->notifier_call(nb, NETDEV_REGISTER, dev));
			if (err)
				goto rollback;
			if (!(dev->flags & IFF_UP))
				continue;
			nb->notifier_call(nb, NETDEV_UP, dev);
		}
	}
unlock:
	rtnl_unlock();
	return err;

rollback:
	raw_notifier_chain_unregister(&netdev_chain, nb);
	goto unlock;
}

/* The notifier sees every existing device go down and away, as in Linux. */
int unregister_netdevice_notifier(struct notifier_block *nb)
{
	struct net_device *dev;
	struct net *net;
	int err;

	rtnl_lock();
	err = raw_notifier_chain_unregister(&netdev_chain, nb);
	if (!err) {
		for_each_net(net) {
			for_each_netdev(net, dev) {
				if (dev->flags & IFF_UP) {
					nb->notifier_call(nb, NETDEV_GOING_DOWN, dev);
					nb->notifier_call(nb, NETDEV_DOWN, dev);
				}
				nb->notifier_call(nb, NETDEV_UNREGISTER, dev);
			}
		}
	}
	rtnl_unlock();
	return err;
}

void netdev_state_change(struct net_device *dev)
{
	if (dev->flags & IFF_UP)
		call_netdevice_notifiers(NETDEV_CHANGE, dev);
}

/* ---- open / close ---- */

static int __dev_open(struct net_device *dev)
{
	const struct net_device_ops *ops = dev->netdev_ops;
	int ret;

	ASSERT_RTNL();
	if (!netif_device_present(dev))
		return -ENODEV;
	ret = notifier_to_errno(call_netdevice_notifiers(NETDEV_PRE_UP, dev));
	if (ret)
		return ret;
	set_bit(__LINK_STATE_START, &dev->state);
	if (ops->ndo_validate_addr)
		ret = ops->ndo_validate_addr(dev);
	if (!ret && ops->ndo_open)
		ret = ops->ndo_open(dev);
	if (ret) {
		clear_bit(__LINK_STATE_START, &dev->state);
	} else {
		dev->flags |= IFF_UP;
		dev_activate(dev);
	}
	return ret;
}

int dev_open(struct net_device *dev)
{
	int ret;

	if (dev->flags & IFF_UP)
		return 0;
	ret = __dev_open(dev);
	if (ret < 0)
		return ret;
	call_netdevice_notifiers(NETDEV_UP, dev);
	return ret;
}

static void __dev_close_many(struct list_head *head)
{
	struct net_device *dev;

	ASSERT_RTNL();
	list_for_each_entry(dev, head, unreg_list) {
		call_netdevice_notifiers(NETDEV_GOING_DOWN, dev);
		clear_bit(__LINK_STATE_START, &dev->state);
		smp_mb__after_clear_bit();
	}
	dev_deactivate_many(head);
	list_for_each_entry(dev, head, unreg_list) {
		const struct net_device_ops *ops = dev->netdev_ops;

		if (ops->ndo_stop)
			ops->ndo_stop(dev);
		dev->flags &= ~IFF_UP;
	}
}

static void __dev_close(struct net_device *dev)
{
	LIST_HEAD(single);

	list_add(&dev->unreg_list, &single);
	__dev_close_many(&single);
	list_del(&single);
}

/* Close the devices of @head that are up; the list is intact on return. */
static void dev_close_many(struct list_head *head)
{
	struct net_device *dev, *tmp;
	LIST_HEAD(tmp_list);

	list_for_each_entry_safe(dev, tmp, head, unreg_list)
		if (!(dev->flags & IFF_UP))
			list_move(&dev->unreg_list, &tmp_list);
	__dev_close_many(head);
	list_for_each_entry(dev, head, unreg_list)
		call_netdevice_notifiers(NETDEV_DOWN, dev);
	/* rollback_registered_many needs the complete original list */
	list_splice_init(&tmp_list, head);
}

int dev_close(struct net_device *dev)
{
	if (dev->flags & IFF_UP) {
		LIST_HEAD(single);

		list_add(&dev->unreg_list, &single);
		dev_close_many(&single);
		list_del(&single);
	}
	return 0;
}

/* ---- flags, MTU, address ---- */

static int __dev_set_promiscuity(struct net_device *dev, int inc)
{
	unsigned int old_flags = dev->flags;

	if (inc < 0 && dev->promiscuity < (unsigned int)-inc) {
		pr_warn("%s: promiscuity touches roof, set promiscuity failed\n", dev->name);
		return -EOVERFLOW;
	}
	dev->promiscuity += (unsigned int)inc;
	if (dev->promiscuity)
		dev->flags |= IFF_PROMISC;
	else
		dev->flags &= ~IFF_PROMISC;
	if (dev->flags != old_flags)
		pr_info("device %s %s promiscuous mode\n", dev->name,
			(dev->flags & IFF_PROMISC) ? "entered" : "left");
	return 0;
}

int dev_set_promiscuity(struct net_device *dev, int inc)
{
	return __dev_set_promiscuity(dev, inc);
}

int dev_set_allmulti(struct net_device *dev, int inc)
{
	if (inc < 0 && dev->allmulti < (unsigned int)-inc)
		return -EOVERFLOW;
	dev->allmulti += (unsigned int)inc;
	if (dev->allmulti)
		dev->flags |= IFF_ALLMULTI;
	else
		dev->flags &= ~IFF_ALLMULTI;
	return 0;
}

/* The flags the user sees: IFF_RUNNING, IFF_LOWER_UP, IFF_DORMANT are derived. */
unsigned int dev_get_flags(const struct net_device *dev)
{
	unsigned int flags;

	flags = (dev->flags & ~(IFF_PROMISC | IFF_ALLMULTI | IFF_RUNNING | IFF_LOWER_UP |
				IFF_DORMANT)) |
		(dev->gflags & (IFF_PROMISC | IFF_ALLMULTI));
	if (netif_running(dev)) {
		if (netif_oper_up(dev))
			flags |= IFF_RUNNING;
		if (netif_carrier_ok(dev))
			flags |= IFF_LOWER_UP;
		if (netif_dormant(dev))
			flags |= IFF_DORMANT;
	}
	return flags;
}

static int __dev_change_flags(struct net_device *dev, unsigned int flags)
{
	unsigned int old_flags = dev->flags;
	int ret;

	ASSERT_RTNL();
	dev->flags = (flags & (IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | IFF_DYNAMIC |
			       IFF_MULTICAST | IFF_PORTSEL | IFF_AUTOMEDIA)) |
		     (dev->flags & (IFF_UP | IFF_VOLATILE | IFF_PROMISC | IFF_ALLMULTI));
	/* IFF_UP is handled by opening or closing, not by setting the bit. */
	ret = 0;
	if ((old_flags ^ flags) & IFF_UP) {
		if (old_flags & IFF_UP)
			__dev_close(dev);
		else
			ret = __dev_open(dev);
	}
	if ((flags ^ dev->gflags) & IFF_PROMISC) {
		int inc = (flags & IFF_PROMISC) ? 1 : -1;

		dev->gflags ^= IFF_PROMISC;
		dev_set_promiscuity(dev, inc);
	}
	if ((flags ^ dev->gflags) & IFF_ALLMULTI) {
		int inc = (flags & IFF_ALLMULTI) ? 1 : -1;

		dev->gflags ^= IFF_ALLMULTI;
		dev_set_allmulti(dev, inc);
	}
	return ret;
}

static void __dev_notify_flags(struct net_device *dev, unsigned int old_flags)
{
	unsigned int changes = dev->flags ^ old_flags;

	if (changes & IFF_UP) {
		if (dev->flags & IFF_UP)
			call_netdevice_notifiers(NETDEV_UP, dev);
		else
			call_netdevice_notifiers(NETDEV_DOWN, dev);
	}
	if (dev->flags & IFF_UP &&
	    (changes & ~(IFF_UP | IFF_PROMISC | IFF_ALLMULTI | IFF_VOLATILE)))
		call_netdevice_notifiers(NETDEV_CHANGE, dev);
}

/* ip link set DEV up/down/arp off/multicast on... Caller holds rtnl. */
int dev_change_flags(struct net_device *dev, unsigned int flags)
{
	unsigned int old_flags = dev->flags;
	int ret;

	ret = __dev_change_flags(dev, flags);
	if (ret < 0)
		return ret;
	__dev_notify_flags(dev, old_flags);
	return ret;
}

int dev_set_mtu(struct net_device *dev, int new_mtu)
{
	const struct net_device_ops *ops = dev->netdev_ops;
	int err = 0;

	if (new_mtu == (int)dev->mtu)
		return 0;
	/* MTU must be positive. */
	if (new_mtu < 0)
		return -EINVAL;
	if (!netif_device_present(dev))
		return -ENODEV;
	if (ops->ndo_change_mtu)
		err = ops->ndo_change_mtu(dev, new_mtu);
	else
		dev->mtu = (unsigned int)new_mtu;
	if (!err)
		call_netdevice_notifiers(NETDEV_CHANGEMTU, dev);
	return err;
}

int dev_set_mac_address(struct net_device *dev, struct sockaddr *sa)
{
	const struct net_device_ops *ops = dev->netdev_ops;
	int err;

	if (!ops->ndo_set_mac_address)
		return -EOPNOTSUPP;
	if (sa->sa_family != dev->type)
		return -EINVAL;
	if (!netif_device_present(dev))
		return -ENODEV;
	err = ops->ndo_set_mac_address(dev, sa);
	if (err)
		return err;
	dev->addr_assign_type = NET_ADDR_SET;
	call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	return 0;
}

/* ---- statistics ---- */

void netdev_stats_to_stats64(struct rtnl_link_stats64 *stats64,
			     const struct net_device_stats *netdev_stats)
{
	BUILD_BUG_ON(sizeof(*stats64) != sizeof(*netdev_stats));
	memcpy(stats64, netdev_stats, sizeof(*stats64));
}

/* The driver's counters plus the drops the core counted for the device (3.10). */
struct rtnl_link_stats64 *dev_get_stats(struct net_device *dev, struct rtnl_link_stats64 *storage)
{
	const struct net_device_ops *ops = dev->netdev_ops;

	if (ops->ndo_get_stats64) {
		memset(storage, 0, sizeof(*storage));
		ops->ndo_get_stats64(dev, storage);
	} else if (ops->ndo_get_stats) {
		netdev_stats_to_stats64(storage, ops->ndo_get_stats(dev));
	} else {
		netdev_stats_to_stats64(storage, &dev->stats);
	}
	storage->rx_dropped += (u64)atomic_long_read(&dev->rx_dropped);
	storage->tx_dropped += (u64)atomic_long_read(&dev->tx_dropped);
	return storage;
}

/* ---- allocation ---- */

static const struct ethtool_ops default_ethtool_ops;

static int netif_alloc_netdev_queues(struct net_device *dev)
{
	unsigned int i, count = dev->num_tx_queues;

	dev->_tx = kcalloc(count, sizeof(struct netdev_queue), GFP_KERNEL);
	if (!dev->_tx)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		struct netdev_queue *queue = &dev->_tx[i];

		spin_lock_init(&queue->_xmit_lock);
		queue->xmit_lock_owner = -1;
		queue->dev = dev;
		queue->index = i;
	}
	return 0;
}

struct net_device *alloc_netdev_mqs(int sizeof_priv, const char *name,
				    void (*setup)(struct net_device *), unsigned int txqs,
				    unsigned int rxqs)
{
	struct net_device *dev;
	size_t alloc_size;
	char *p;

	if (!name || strlen(name) >= IFNAMSIZ || sizeof_priv < 0 || !setup) {
		pr_err("alloc_netdev: bad name or private size\n");
		return NULL;
	}
	if (txqs < 1) {
		pr_err("alloc_netdev: Unable to allocate device with zero queues\n");
		return NULL;
	}
	if (rxqs < 1) {
		pr_err("alloc_netdev: Unable to allocate device with zero RX queues\n");
		return NULL;
	}
	alloc_size = sizeof(struct net_device);
	if (sizeof_priv) {
		/* ensure 32-byte alignment of private area */
		alloc_size = ALIGN(alloc_size, NETDEV_ALIGN);
		alloc_size += (size_t)sizeof_priv;
	}
	/* ensure 32-byte alignment of whole construct */
	alloc_size += NETDEV_ALIGN - 1;
	p = kzalloc(alloc_size, GFP_KERNEL);
	if (!p)
		return NULL;
	dev = (struct net_device *)ALIGN((unsigned long)p, NETDEV_ALIGN);
	dev->padded = (unsigned short)((char *)dev - p);
	dev->priv_size = sizeof_priv;

	dev_net_set(dev, &init_net);
	dev->gso_max_size = GSO_MAX_SIZE;
	dev->gso_max_segs = GSO_MAX_SEGS;
	INIT_LIST_HEAD(&dev->dev_list);
	INIT_LIST_HEAD(&dev->napi_list);
	INIT_LIST_HEAD(&dev->unreg_list);
	INIT_LIST_HEAD(&dev->todo_list);
	INIT_HLIST_NODE(&dev->name_hlist);
	INIT_HLIST_NODE(&dev->index_hlist);
	dev->priv_flags = IFF_XMIT_DST_RELEASE;
	setup(dev);

	dev->num_tx_queues = txqs;
	dev->real_num_tx_queues = txqs;
	if (netif_alloc_netdev_queues(dev))
		goto free_all;
	dev->num_rx_queues = rxqs;
	dev->real_num_rx_queues = rxqs;
	snprintf(dev->name, IFNAMSIZ, "%s", name);
	if (!dev->ethtool_ops)
		dev->ethtool_ops = &default_ethtool_ops;
	return dev;

free_all:
	kfree(dev->_tx);
	netdev_freemem(dev);
	return NULL;
}

int netif_set_real_num_tx_queues(struct net_device *dev, unsigned int txq)
{
	if (txq < 1 || txq > dev->num_tx_queues)
		return -EINVAL;
	dev->real_num_tx_queues = txq;
	return 0;
}

int netif_set_real_num_rx_queues(struct net_device *dev, unsigned int rxq)
{
	if (rxq < 1 || rxq > dev->num_rx_queues)
		return -EINVAL;
	dev->real_num_rx_queues = rxq;
	return 0;
}

/* Never registered: freed now. Unregistered: released, and freed now or by the last
 * dev_put. */
void free_netdev(struct net_device *dev)
{
	struct napi_struct *p, *n;

	if (!dev)
		return;
	kfree(dev->_tx);
	dev->_tx = NULL;
	netif_free_rx_queues(dev);	/* rps.c: the RPS maps */
	list_for_each_entry_safe(p, n, &dev->napi_list, dev_list)
		netif_napi_del(p);
	if (dev->reg_state == NETREG_UNINITIALIZED) {
		netdev_freemem(dev);
		return;
	}
	if (dev->reg_state != NETREG_UNREGISTERED) {
		pr_err("free_netdev: %s is still registered (state %d); not freed\n", dev->name,
		       dev->reg_state);
		return;
	}
	dev->reg_state = NETREG_RELEASED;
	if (netdev_refcnt_read(dev) == 0)
		netdev_freemem(dev);
}

/* ---- registration ---- */

static int dev_new_index(struct net *net)
{
	int ifindex = net->ifindex;
	unsigned int guard = 0;

	for (;;) {
		if (++ifindex <= 0)
			ifindex = 1;
		if (!__dev_get_by_index(net, ifindex))
			return net->ifindex = ifindex;
		BUG_ON(++guard == 0);
	}
}

/* Caller holds rtnl. The device becomes visible in dev_net(dev) with a fresh ifindex, its
 * qdiscs are noop until dev_open, and NETDEV_REGISTER is announced. */
int register_netdevice(struct net_device *dev)
{
	struct net *net = dev_net(dev);
	int ret;

	ASSERT_RTNL();
	if (dev->reg_state != NETREG_UNINITIALIZED) {
		pr_err("register_netdevice: %s already registered (state %d)\n", dev->name,
		       dev->reg_state);
		return -EINVAL;
	}
	if (!net || !net->dev_name_head)
		return -EINVAL;
	if (!dev->netdev_ops) {
		pr_err("register_netdevice: %s has no netdev_ops\n", dev->name);
		return -EINVAL;
	}
	dev->iflink = -1;
	ret = dev_get_valid_name(net, dev, dev->name);
	if (ret < 0)
		return ret;
	if (dev->netdev_ops->ndo_init) {
		ret = dev->netdev_ops->ndo_init(dev);
		if (ret) {
			if (ret > 0)
				ret = -EIO;
			return ret;
		}
	}
	ret = -EBUSY;
	if (!dev->ifindex)
		dev->ifindex = dev_new_index(net);
	else if (__dev_get_by_index(net, dev->ifindex))
		goto err_uninit;
	if (dev->iflink == -1)
		dev->iflink = dev->ifindex;

	/* Changeable features: software offloads (GSO, GRO) are always on offer. */
	dev->hw_features |= NETIF_F_SOFT_FEATURES;
	dev->features |= NETIF_F_SOFT_FEATURES;
	dev->wanted_features = dev->features & dev->hw_features;
	if (!(dev->flags & IFF_LOOPBACK)) {
		dev->hw_features |= NETIF_F_NOCACHE_COPY;
		if (dev->features & NETIF_F_ALL_CSUM) {
			dev->wanted_features |= NETIF_F_NOCACHE_COPY;
			dev->features |= NETIF_F_NOCACHE_COPY;
		}
	}
	dev->vlan_features |= NETIF_F_HIGHDMA;

	ret = notifier_to_errno(call_netdevice_notifiers(NETDEV_POST_INIT, dev));
	if (ret)
		goto err_uninit;

	dev->reg_state = NETREG_REGISTERED;
	set_bit(__LINK_STATE_PRESENT, &dev->state);
	linkwatch_init_dev(dev);
	dev_init_scheduler(dev);
	dev_hold(dev);
	list_netdevice(dev);
	if (dev->addr_assign_type == NET_ADDR_PERM)
		memcpy(dev->perm_addr, dev->dev_addr, dev->addr_len);

	/* Notify protocols that a new device appeared. */
	ret = notifier_to_errno(call_netdevice_notifiers(NETDEV_REGISTER, dev));
	if (ret) {
		LIST_HEAD(single);

		/* As Linux: rolled back and left UNREGISTERED for the caller's free_netdev. */
		list_add(&dev->unreg_list, &single);
		rollback_registered_many(&single);
		list_del_init(&dev->unreg_list);
		dev->reg_state = NETREG_UNREGISTERED;
		pr_err("register_netdevice: %s refused by a notifier: %d\n", dev->name, ret);
	}
	return ret;

err_uninit:
	if (dev->netdev_ops->ndo_uninit)
		dev->netdev_ops->ndo_uninit(dev);
	return ret;
}

int register_netdev(struct net_device *dev)
{
	int err;

	if (!dev)
		return -EINVAL;
	rtnl_lock();
	err = register_netdevice(dev);
	rtnl_unlock();
	return err;
}

static void rollback_registered_many(struct list_head *head)
{
	struct net_device *dev, *tmp;

	list_for_each_entry_safe(dev, tmp, head, unreg_list) {
		/* Some devices call without registering for initialization unwind. */
		if (dev->reg_state == NETREG_UNINITIALIZED) {
			pr_warn("unregister_netdevice: device %s/%p never was registered\n",
				dev->name, (void *)dev);
			list_del_init(&dev->unreg_list);
			continue;
		}
		dev->dismantle = true;
		BUG_ON(dev->reg_state != NETREG_REGISTERED);
	}

	/* If device is running, close it first. */
	dev_close_many(head);
	list_for_each_entry(dev, head, unreg_list) {
		unlist_netdevice(dev);
		dev->reg_state = NETREG_UNREGISTERING;
	}
	list_for_each_entry(dev, head, unreg_list) {
		/* Shutdown queueing discipline. */
		dev_shutdown(dev);
		/* Notify protocols that we are about to destroy this device. */
		call_netdevice_notifiers(NETDEV_UNREGISTER, dev);
		if (dev->netdev_ops->ndo_uninit)
			dev->netdev_ops->ndo_uninit(dev);
	}
	list_for_each_entry(dev, head, unreg_list)
		dev_put(dev);
}

/* Caller holds rtnl. With @head, the device joins a batch for unregister_netdevice_many;
 * without, it goes now. Its destructor runs at rtnl_unlock (netdev_run_todo). */
void unregister_netdevice_queue(struct net_device *dev, struct list_head *head)
{
	ASSERT_RTNL();
	if (head) {
		list_move_tail(&dev->unreg_list, head);
	} else {
		LIST_HEAD(single);

		list_add(&dev->unreg_list, &single);
		unregister_netdevice_many(&single);
	}
}

void unregister_netdevice_many(struct list_head *head)
{
	struct net_device *dev, *tmp;

	if (list_empty(head))
		return;
	rollback_registered_many(head);
	list_for_each_entry_safe(dev, tmp, head, unreg_list) {
		list_del_init(&dev->unreg_list);
		list_add_tail(&dev->todo_list, &net_todo_list);
	}
}

void unregister_netdev(struct net_device *dev)
{
	if (!dev)
		return;
	rtnl_lock();
	unregister_netdevice(dev);
	rtnl_unlock();
}

/* Move @dev to @net: a mini unregister in the old namespace (closed, unlisted, qdiscs gone,
 * NETDEV_UNREGISTER so that addresses, routes and neighbours go) and a mini register in the
 * new one (listed, NETDEV_REGISTER); reg_state stays NETREG_REGISTERED throughout, as
 * Linux, so the device is never freed. The ifindex is kept unless taken in @net. If the name
 * is taken in @net, @pat (a name or a "%d" pattern) gives the new one; without it, -EEXIST.
 * -EINVAL for a namespace-local device (lo: NETIF_F_NETNS_LOCAL) or one not registered.
 * Caller holds rtnl. Context: process. */
int dev_change_net_namespace(struct net_device *dev, struct net *net, const char *pat)
{
	int err;

	ASSERT_RTNL();
	/* Don't allow namespace local devices to be moved. */
	err = -EINVAL;
	if (dev->features & NETIF_F_NETNS_LOCAL)
		goto out;
	/* Ensure the device has been registered. */
	if (dev->reg_state != NETREG_REGISTERED || !net || !net->dev_name_head)
		goto out;
	/* Get out if there is nothing to do. */
	err = 0;
	if (net_eq(dev_net(dev), net))
		goto out;
	/* Pick the destination device name, and ensure we can use it there. */
	err = -EEXIST;
	if (__dev_get_by_name(net, dev->name)) {
		/* We get here if we can't use the current device name. */
		if (!pat || !*pat)
			goto out;
		if (dev_get_valid_name(net, dev, pat) < 0)
			goto out;
	}

	/* And now a mini version of register_netdevice unregister_netdevice. */
	/* If device is running close it first. */
	dev_close(dev);
	/* And unlink it from device chain. */
	unlist_netdevice(dev);
	/* Shutdown queueing discipline. */
	dev_shutdown(dev);
	/* Notify protocols that we are about to destroy this device. They should clean all
	 * the things. reg_state stays NETREG_REGISTERED: the device is only moving. */
	call_netdevice_notifiers(NETDEV_UNREGISTER, dev);
	call_netdevice_notifiers(NETDEV_UNREGISTER_FINAL, dev);

	/* Actually switch the network namespace. */
	dev_net_set(dev, net);
	/* If there is an ifindex conflict assign a new one. */
	if (__dev_get_by_index(net, dev->ifindex)) {
		int iflink = (dev->iflink == dev->ifindex);

		dev->ifindex = dev_new_index(net);
		if (iflink)
			dev->iflink = dev->ifindex;
	}
	/* Add the device back in the hashes. */
	list_netdevice(dev);
	/* Notify protocols that a new device appeared. */
	call_netdevice_notifiers(NETDEV_REGISTER, dev);
	err = 0;
out:
	return err;
}

/* Finish unregistrations: drop what the backlogs still hold for the device, then run its
 * destructor. Linux waits here until every reference is gone; ulnet cannot block (this may
 * run outside any task), so it warns as Linux does and lets the last dev_put free it. */
void netdev_run_todo(void)
{
	struct list_head list;

	INIT_LIST_HEAD(&list);
	list_splice_init(&net_todo_list, &list);
	__rtnl_unlock();

	while (!list_empty(&list)) {
		struct net_device *dev = list_first_entry(&list, struct net_device, todo_list);

		list_del_init(&dev->todo_list);
		if (unlikely(dev->reg_state != NETREG_UNREGISTERING)) {
			pr_err("network todo '%s' but state %d\n", dev->name, dev->reg_state);
			continue;
		}
		dev->reg_state = NETREG_UNREGISTERED;
		flush_backlog_dev(dev);
		if (netdev_refcnt_read(dev))
			pr_warn("unregister_netdevice: waiting for %s to become free. Usage count = %d\n",
				dev->name, netdev_refcnt_read(dev));
		if (dev->destructor)
			dev->destructor(dev);
	}
}

/* ---- per-namespace device lists ---- */

static struct hlist_head *netdev_create_hash(void)
{
	struct hlist_head *hash = kcalloc(NETDEV_HASHENTRIES, sizeof(*hash), GFP_KERNEL);
	int i;

	if (hash)
		for (i = 0; i < NETDEV_HASHENTRIES; i++)
			INIT_HLIST_HEAD(&hash[i]);
	return hash;
}

static int netdev_init(struct net *net)
{
	if (net != &init_net)
		INIT_LIST_HEAD(&net->dev_base_head);
	else if (!net->dev_base_head.next)
		INIT_LIST_HEAD(&net->dev_base_head);
	net->dev_name_head = netdev_create_hash();
	if (!net->dev_name_head)
		return -ENOMEM;
	net->dev_index_head = netdev_create_hash();
	if (!net->dev_index_head) {
		kfree(net->dev_name_head);
		net->dev_name_head = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void netdev_exit(struct net *net)
{
	if (!list_empty(&net->dev_base_head))
		pr_err("netdev_exit: namespace %s still has devices\n", net->name);
	kfree(net->dev_name_head);
	kfree(net->dev_index_head);
	net->dev_name_head = NULL;
	net->dev_index_head = NULL;
}

struct pernet_operations netdev_net_ops = {
	.init = netdev_init,
	.exit = netdev_exit,
};

/* A dying namespace loses its devices, last registered first (lo last).
 * DIVERGES: Linux moves physical devices back to init_net and asks rtnl_link_ops devices
 * (veth) to delete themselves; ulnet unregisters them all. */
static void default_device_exit(struct net *net)
{
	struct net_device *dev;
	LIST_HEAD(dev_kill_list);

	rtnl_lock();
	list_for_each_entry_reverse(dev, &net->dev_base_head, dev_list)
		unregister_netdevice_queue(dev, &dev_kill_list);
	unregister_netdevice_many(&dev_kill_list);
	rtnl_unlock();
}

struct pernet_operations default_device_ops = {
	.exit = default_device_exit,
};

void dev_register_fini(void)
{
	netdev_chain.head = NULL;
	INIT_LIST_HEAD(&net_todo_list);
	rtnl_held = 0;
}
