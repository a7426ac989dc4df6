/* SPDX-License-Identifier: MIT */
/* IPv4 addresses of devices and their per-interface configuration.
 * Mirrors linux/net/ipv4/devinet.c (3.10): inetdev_init, inetdev_destroy, inetdev_event,
 * in_dev_finish_destroy, inet_alloc_ifa, inet_free_ifa, __inet_insert_ifa, __inet_del_ifa,
 * inet_select_addr, confirm_addr_indev, inet_confirm_addr, __ip_dev_find, inet_addr_lst,
 * inet_ifa_byprefix, inetdev_by_index, register_inetaddr_notifier, devinet_sysctl_forward,
 * inet_forward_change, devinet_conf_proc, devinet_init_net, devinet_init.
 *
 * LOCKING: every change (addresses, in_device creation/destruction) runs under rtnl_lock;
 * the inetaddr chain is called with it held. Readers (routing, ICMP, ARP in softirq) walk
 * dev->ip_ptr and ifa_list without a lock: an ifa is unlinked before it is freed.
 * inet_addr_lst is guarded by inet_addr_lock for writers. */
#include "linux/errno.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/netdevice.h"
#include "linux/notifier.h"
#include "linux/rtnetlink.h"
#include "linux/slab.h"
#include "linux/spinlock.h"
#include "linux/sysctl.h"
#include "net/arp.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/neighbour.h"
#include "net/net_namespace.h"
#include "net/route.h"


/* 3.10's static ipv4_devconf / ipv4_devconf_dflt initial values (facts.md §1.4). */
static const struct ipv4_devconf ipv4_devconf_init = {
	.data = {
		[IPV4_DEVCONF_ACCEPT_REDIRECTS - 1] = 1,
		[IPV4_DEVCONF_SEND_REDIRECTS - 1] = 1,
		[IPV4_DEVCONF_SECURE_REDIRECTS - 1] = 1,
		[IPV4_DEVCONF_SHARED_MEDIA - 1] = 1,
	},
};
static const struct ipv4_devconf ipv4_devconf_dflt_init = {
	.data = {
		[IPV4_DEVCONF_ACCEPT_REDIRECTS - 1] = 1,
		[IPV4_DEVCONF_SEND_REDIRECTS - 1] = 1,
		[IPV4_DEVCONF_SECURE_REDIRECTS - 1] = 1,
		[IPV4_DEVCONF_SHARED_MEDIA - 1] = 1,
		[IPV4_DEVCONF_ACCEPT_SOURCE_ROUTE - 1] = 1,
	},
};

/* ---- the local address hash (inet_addr_lst) ---- */

#define IN4_ADDR_HSIZE_SHIFT	8
#define IN4_ADDR_HSIZE		(1U << IN4_ADDR_HSIZE_SHIFT)

static struct hlist_head inet_addr_lst[IN4_ADDR_HSIZE];
static DEFINE_SPINLOCK(inet_addr_lock);
static RAW_NOTIFIER_HEAD(inetaddr_chain);

static u32 inet_addr_hash(const struct net *net, __be32 addr)
{
	u32 val = (u32)addr ^ (u32)((uintptr_t)net >> 6);

	return (val * 0x9e3779b1u) >> (32 - IN4_ADDR_HSIZE_SHIFT);
}

static void inet_hash_insert(struct net *net, struct in_ifaddr *ifa)
{
	u32 hash = inet_addr_hash(net, ifa->ifa_local);

	spin_lock(&inet_addr_lock);
	hlist_add_head(&ifa->hash, &inet_addr_lst[hash]);
	spin_unlock(&inet_addr_lock);
}

static void inet_hash_remove(struct in_ifaddr *ifa)
{
	spin_lock(&inet_addr_lock);
	hlist_del_init(&ifa->hash);
	spin_unlock(&inet_addr_lock);
}

struct net_device *__ip_dev_find(struct net *net, __be32 addr, bool devref)
{
	u32 hash = inet_addr_hash(net, addr);
	struct net_device *result = NULL;
	struct in_ifaddr *ifa;

	rcu_read_lock();
	hlist_for_each_entry(ifa, &inet_addr_lst[hash], hash) {
		if (ifa->ifa_local == addr) {
			struct net_device *dev = ifa->ifa_dev->dev;

			if (!net_eq(dev_net(dev), net))
				continue;
			result = dev;
			break;
		}
	}
	if (!result) {
		/* Fall back to the local table, so that any address of a loopback subnet
		 * (127.1.2.3, routed "local 127.0.0.0/8 dev lo") works as a source. */
		struct flowi4 fl4 = { .daddr = addr };
		struct fib_result res = { 0 };
		struct fib_table *local = fib_get_table(net, RT_TABLE_LOCAL);

		if (local && !fib_table_lookup(local, &fl4, &res, FIB_LOOKUP_NOREF) &&
		    res.type == RTN_LOCAL)
			result = FIB_RES_DEV(res);
	}
	if (result && devref)
		dev_hold(result);
	rcu_read_unlock();
	return result;
}

/* ---- in_ifaddr ---- */

struct in_ifaddr *inet_alloc_ifa(void)
{
	struct in_ifaddr *ifa = kzalloc(sizeof(*ifa), GFP_KERNEL);

	if (ifa)
		INIT_HLIST_NODE(&ifa->hash);
	return ifa;
}

void inet_free_ifa(struct in_ifaddr *ifa)
{
	if (!ifa)
		return;
	if (ifa->ifa_dev)
		in_dev_put(ifa->ifa_dev);
	kfree(ifa);
}

static void set_ifa_lifetime(struct in_ifaddr *ifa, __u32 valid_lft, __u32 prefered_lft)
{
	unsigned long timeout;

	ifa->ifa_flags &= ~(IFA_F_PERMANENT | IFA_F_DEPRECATED);
	timeout = valid_lft;
	if (timeout == INFINITY_LIFE_TIME)
		ifa->ifa_flags |= IFA_F_PERMANENT;
	ifa->ifa_valid_lft = valid_lft;
	ifa->ifa_preferred_lft = prefered_lft;
	if (prefered_lft == 0)
		ifa->ifa_flags |= IFA_F_DEPRECATED;
	ifa->ifa_tstamp = jiffies;
	if (!ifa->ifa_cstamp)
		ifa->ifa_cstamp = ifa->ifa_tstamp;
}

int register_inetaddr_notifier(struct notifier_block *nb)
{
	return raw_notifier_chain_register(&inetaddr_chain, nb);
}

int unregister_inetaddr_notifier(struct notifier_block *nb)
{
	return raw_notifier_chain_unregister(&inetaddr_chain, nb);
}

/* Caller holds rtnl_lock. */
static void __inet_del_ifa(struct in_device *in_dev, struct in_ifaddr **ifap, int destroy)
{
	struct in_ifaddr *promote = NULL;
	struct in_ifaddr *ifa, *ifa1 = *ifap;
	struct in_ifaddr *last_prim = in_dev->ifa_list;
	struct in_ifaddr *prev_prom = NULL;
	int do_promote = IN_DEV_PROMOTE_SECONDARIES(in_dev);

	ASSERT_RTNL();

	/* 1. Deleting a primary address deletes all its secondaries, unless alias promotion
	 * is set. */
	if (!(ifa1->ifa_flags & IFA_F_SECONDARY)) {
		struct in_ifaddr **ifap1 = &ifa1->ifa_next;

		while ((ifa = *ifap1) != NULL) {
			if (!(ifa->ifa_flags & IFA_F_SECONDARY) && ifa1->ifa_scope <= ifa->ifa_scope)
				last_prim = ifa;
			if (!(ifa->ifa_flags & IFA_F_SECONDARY) || ifa1->ifa_mask != ifa->ifa_mask ||
			    !inet_ifa_match(ifa1->ifa_address, ifa)) {
				ifap1 = &ifa->ifa_next;
				prev_prom = ifa;
				continue;
			}
			if (!do_promote) {
				inet_hash_remove(ifa);
				*ifap1 = ifa->ifa_next;
				raw_notifier_call_chain(&inetaddr_chain, NETDEV_DOWN, ifa);
				inet_free_ifa(ifa);
			} else {
				promote = ifa;
				break;
			}
		}
	}

	/* On promotion the secondaries of the subnet change their primary: remove their
	 * routes while every address is still valid, add them back below. */
	for (ifa = promote; ifa; ifa = ifa->ifa_next) {
		if (ifa1->ifa_mask == ifa->ifa_mask && inet_ifa_match(ifa1->ifa_address, ifa))
			fib_del_ifaddr(ifa, ifa1);
	}

	/* 2. Unlink it. */
	*ifap = ifa1->ifa_next;
	inet_hash_remove(ifa1);

	/* 3. Announce the deletion (fib_inetaddr_event removes the routes). */
	raw_notifier_call_chain(&inetaddr_chain, NETDEV_DOWN, ifa1);

	if (promote) {
		struct in_ifaddr *next_sec = promote->ifa_next;

		if (prev_prom) {
			prev_prom->ifa_next = promote->ifa_next;
			promote->ifa_next = last_prim->ifa_next;
			last_prim->ifa_next = promote;
		}
		promote->ifa_flags &= ~IFA_F_SECONDARY;
		raw_notifier_call_chain(&inetaddr_chain, NETDEV_UP, promote);
		for (ifa = next_sec; ifa; ifa = ifa->ifa_next) {
			if (ifa1->ifa_mask != ifa->ifa_mask || !inet_ifa_match(ifa1->ifa_address, ifa))
				continue;
			fib_add_ifaddr(ifa);
		}
	}
	atomic_inc(&dev_net(in_dev->dev)->ipv4.dev_addr_genid);
	if (destroy)
		inet_free_ifa(ifa1);
}

void inet_del_ifa(struct in_device *in_dev, struct in_ifaddr **ifap, int destroy)
{
	__inet_del_ifa(in_dev, ifap, destroy);
}

/* Caller holds rtnl_lock. Consumes @ifa on error. */
int inet_insert_ifa(struct in_ifaddr *ifa)
{
	struct in_device *in_dev = ifa->ifa_dev;
	struct in_ifaddr *ifa1, **ifap, **last_primary;

	ASSERT_RTNL();

	if (!ifa->ifa_local) {
		inet_free_ifa(ifa);
		return 0;
	}

	ifa->ifa_flags &= ~IFA_F_SECONDARY;
	last_primary = &in_dev->ifa_list;

	for (ifap = &in_dev->ifa_list; (ifa1 = *ifap) != NULL; ifap = &ifa1->ifa_next) {
		if (!(ifa1->ifa_flags & IFA_F_SECONDARY) && ifa->ifa_scope <= ifa1->ifa_scope)
			last_primary = &ifa1->ifa_next;
		if (ifa1->ifa_mask == ifa->ifa_mask && inet_ifa_match(ifa1->ifa_address, ifa)) {
			if (ifa1->ifa_local == ifa->ifa_local) {
				inet_free_ifa(ifa);
				return -EEXIST;
			}
			if (ifa1->ifa_scope != ifa->ifa_scope) {
				inet_free_ifa(ifa);
				return -EINVAL;
			}
			ifa->ifa_flags |= IFA_F_SECONDARY;
		}
	}

	if (!(ifa->ifa_flags & IFA_F_SECONDARY))
		ifap = last_primary;

	ifa->ifa_next = *ifap;
	*ifap = ifa;
	inet_hash_insert(dev_net(in_dev->dev), ifa);
	atomic_inc(&dev_net(in_dev->dev)->ipv4.dev_addr_genid);

	/* The notifier triggers the FIB update (fib_inetaddr_event: local and broadcast
	 * routes) and ARP's announcement. */
	raw_notifier_call_chain(&inetaddr_chain, NETDEV_UP, ifa);
	return 0;
}

static int inet_set_ifa(struct net_device *dev, struct in_ifaddr *ifa)
{
	struct in_device *in_dev = __in_dev_get_rtnl(dev);

	ASSERT_RTNL();
	if (!in_dev) {
		inet_free_ifa(ifa);
		return -ENOBUFS;
	}
	if (ifa->ifa_dev != in_dev) {
		BUG_ON(ifa->ifa_dev);
		in_dev_hold(in_dev);
		ifa->ifa_dev = in_dev;
	}
	if (ipv4_is_loopback(ifa->ifa_local))
		ifa->ifa_scope = RT_SCOPE_HOST;
	return inet_insert_ifa(ifa);
}

struct in_device *inetdev_by_index(struct net *net, int ifindex)
{
	struct net_device *dev;
	struct in_device *in_dev = NULL;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	if (dev)
		in_dev = __in_dev_get_rcu(dev);
	rcu_read_unlock();
	return in_dev;
}

struct in_ifaddr *inet_ifa_byprefix(struct in_device *in_dev, __be32 prefix, __be32 mask)
{
	ASSERT_RTNL();
	for_primary_ifa(in_dev) {
		if (ifa->ifa_mask == mask && inet_ifa_match(prefix, ifa))
			return ifa;
	} endfor_ifa(in_dev);
	return NULL;
}

int devinet_addr_add(struct net_device *dev, __be32 local, int prefixlen, __be32 peer,
		     __be32 broadcast, bool set_brd, unsigned char scope, const char *label)
{
	struct in_ifaddr *ifa;
	int err;

	if (!dev || prefixlen < 0 || prefixlen > 32)
		return -EINVAL;
	if (label && strlen(label) >= IFNAMSIZ)
		return -EINVAL;
	ifa = inet_alloc_ifa();
	if (!ifa)
		return -ENOMEM;
	ifa->ifa_prefixlen = (unsigned char)prefixlen;
	ifa->ifa_mask = inet_make_mask(prefixlen);
	ifa->ifa_local = local;
	ifa->ifa_address = peer ? peer : local;
	if (broadcast)
		ifa->ifa_broadcast = broadcast;
	else if (set_brd && prefixlen <= 30)
		ifa->ifa_broadcast = local | ~ifa->ifa_mask;
	ifa->ifa_scope = scope;
	snprintf(ifa->ifa_label, IFNAMSIZ, "%s", label ? label : dev->name);
	set_ifa_lifetime(ifa, INFINITY_LIFE_TIME, INFINITY_LIFE_TIME);

	rtnl_lock();
	err = inet_set_ifa(dev, ifa);
	rtnl_unlock();
	return err;
}

int devinet_addr_del(struct net_device *dev, __be32 local, int prefixlen)
{
	struct in_device *in_dev;
	struct in_ifaddr *ifa, **ifap;
	int err = -EADDRNOTAVAIL;

	if (!dev || prefixlen < 0 || prefixlen > 32)
		return -EINVAL;
	rtnl_lock();
	in_dev = __in_dev_get_rtnl(dev);
	if (!in_dev)
		goto out;
	for (ifap = &in_dev->ifa_list; (ifa = *ifap) != NULL; ifap = &ifa->ifa_next) {
		if (ifa->ifa_local != local)
			continue;
		if (prefixlen != ifa->ifa_prefixlen)
			continue;
		__inet_del_ifa(in_dev, ifap, 1);
		err = 0;
		break;
	}
out:
	rtnl_unlock();
	return err;
}

/* ---- source address selection ---- */

__be32 inet_select_addr(const struct net_device *dev, __be32 dst, int scope)
{
	struct net *net = dev_net(dev);
	struct net_device *d;
	struct in_device *in_dev;
	__be32 addr = 0;

	rcu_read_lock();
	in_dev = __in_dev_get_rcu(dev);
	if (!in_dev)
		goto no_in_dev;

	for_primary_ifa(in_dev) {
		if (ifa->ifa_scope > scope)
			continue;
		if (!dst || inet_ifa_match(dst, ifa)) {
			addr = ifa->ifa_local;
			break;
		}
		if (!addr)
			addr = ifa->ifa_local;
	} endfor_ifa(in_dev);

	if (addr)
		goto out_unlock;
no_in_dev:
	/* Not loopback addresses on loopback should be preferred in this case: lo is the
	 * first device of the list. */
	for_each_netdev_rcu(net, d) {
		in_dev = __in_dev_get_rcu(d);
		if (!in_dev)
			continue;
		for_primary_ifa(in_dev) {
			if (ifa->ifa_scope != RT_SCOPE_LINK && ifa->ifa_scope <= scope) {
				addr = ifa->ifa_local;
				goto out_unlock;
			}
		} endfor_ifa(in_dev);
	}
out_unlock:
	rcu_read_unlock();
	return addr;
}

static __be32 confirm_addr_indev(struct in_device *in_dev, __be32 dst, __be32 local, int scope)
{
	int same = 0;
	__be32 addr = 0;

	for_ifa(in_dev) {
		if (!addr && (local == ifa->ifa_local || !local) && ifa->ifa_scope <= scope) {
			addr = ifa->ifa_local;
			if (same)
				break;
		}
		if (!same) {
			same = (!local || inet_ifa_match(local, ifa)) &&
			       (!dst || inet_ifa_match(dst, ifa));
			if (same && addr) {
				if (local || !dst)
					break;
				/* Is the selected addr into dst subnet? */
				if (inet_ifa_match(addr, ifa))
					break;
				/* No, then can we use new local src? */
				if (ifa->ifa_scope <= scope) {
					addr = ifa->ifa_local;
					break;
				}
				/* search for large dst subnet for addr */
				same = 0;
			}
		}
	} endfor_ifa(in_dev);

	return same ? addr : 0;
}

__be32 inet_confirm_addr(struct in_device *in_dev, __be32 dst, __be32 local, int scope)
{
	struct net_device *dev;
	__be32 addr = 0;
	struct net *net;

	if (scope != RT_SCOPE_LINK)
		return confirm_addr_indev(in_dev, dst, local, scope);

	net = dev_net(in_dev->dev);
	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		in_dev = __in_dev_get_rcu(dev);
		if (in_dev) {
			addr = confirm_addr_indev(in_dev, dst, local, scope);
			if (addr)
				break;
		}
	}
	rcu_read_unlock();
	return addr;
}

/* ---- in_device life ---- */

void in_dev_finish_destroy(struct in_device *idev)
{
	struct net_device *dev = idev->dev;

	WARN_ON(idev->ifa_list);
	if (!idev->dead)
		pr_err("Freeing alive in_device %p\n", (void *)idev);
	else {
		dev_put(dev);
		kfree(idev);
	}
}

static struct in_device *inetdev_init(struct net_device *dev)
{
	struct in_device *in_dev;

	ASSERT_RTNL();
	in_dev = kzalloc(sizeof(*in_dev), GFP_KERNEL);
	if (!in_dev)
		return NULL;
	memcpy(&in_dev->cnf, dev_net(dev)->ipv4.devconf_dflt, sizeof(in_dev->cnf));
	in_dev->cnf.sysctl = NULL;
	in_dev->cnf.state[0] = 0;
	in_dev->dev = dev;
	in_dev->arp_parms = neigh_parms_alloc(dev, &arp_tbl);
	if (!in_dev->arp_parms) {
		kfree(in_dev);
		return NULL;
	}
	/* Reference in_dev->dev */
	dev_hold(dev);
	/* Account for the reference dev->ip_ptr (below). */
	in_dev_hold(in_dev);
	/* We can receive as soon as ip_ptr is set: do this last. */
	rcu_assign_pointer(dev->ip_ptr, in_dev);
	return in_dev;
}

static void inetdev_destroy(struct in_device *in_dev)
{
	struct in_ifaddr *ifa;
	struct net_device *dev;

	ASSERT_RTNL();
	dev = in_dev->dev;
	in_dev->dead = 1;

	while ((ifa = in_dev->ifa_list) != NULL) {
		__inet_del_ifa(in_dev, &in_dev->ifa_list, 0);
		inet_free_ifa(ifa);
	}
	dev->ip_ptr = NULL;
	neigh_parms_release(&arp_tbl, in_dev->arp_parms);
	in_dev->arp_parms = NULL;
	arp_ifdown(dev);
	in_dev_put(in_dev);
}

static int inetdev_valid_mtu(unsigned int mtu)
{
	return mtu >= 68;
}

static void inetdev_send_gratuitous_arp(struct net_device *dev, struct in_device *in_dev)
{
	for_ifa(in_dev) {
		arp_send_gratuitous(dev, ifa->ifa_local);
	} endfor_ifa(in_dev);
}

/* Called only under the RTNL lock (the netdevice chain). */
static int inetdev_event(struct notifier_block *this, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct in_device *in_dev = __in_dev_get_rtnl(dev);

	ASSERT_RTNL();

	if (!in_dev) {
		if (event == NETDEV_REGISTER) {
			in_dev = inetdev_init(dev);
			if (!in_dev)
				return notifier_from_errno(-ENOMEM);
			if (dev->flags & IFF_LOOPBACK) {
				IN_DEV_CONF_SET(in_dev, NOXFRM, 1);
				IN_DEV_CONF_SET(in_dev, NOPOLICY, 1);
			}
		} else if (event == NETDEV_CHANGEMTU) {
			/* Re-enabling IP */
			if (inetdev_valid_mtu(dev->mtu))
				in_dev = inetdev_init(dev);
		}
		goto out;
	}

	switch (event) {
	case NETDEV_REGISTER:
		pr_debug("%s: bug\n", __func__);
		dev->ip_ptr = NULL;
		break;
	case NETDEV_UP:
		if (!inetdev_valid_mtu(dev->mtu))
			break;
		if (dev->flags & IFF_LOOPBACK) {
			struct in_ifaddr *ifa = inet_alloc_ifa();

			if (ifa) {
				ifa->ifa_local = ifa->ifa_address = htonl(INADDR_LOOPBACK);
				ifa->ifa_prefixlen = 8;
				ifa->ifa_mask = inet_make_mask(8);
				in_dev_hold(in_dev);
				ifa->ifa_dev = in_dev;
				ifa->ifa_scope = RT_SCOPE_HOST;
				memcpy(ifa->ifa_label, dev->name, IFNAMSIZ);
				set_ifa_lifetime(ifa, INFINITY_LIFE_TIME, INFINITY_LIFE_TIME);
				inet_insert_ifa(ifa);	/* -EEXIST when lo comes up again */
			}
		}
		/* fall through */
	case NETDEV_CHANGEADDR:
		if (!IN_DEV_ARP_NOTIFY(in_dev))
			break;
		/* fall through */
	case NETDEV_NOTIFY_PEERS:
		/* Send gratuitous ARP to notify of link change */
		inetdev_send_gratuitous_arp(dev, in_dev);
		break;
	case NETDEV_DOWN:
		break;
	case NETDEV_CHANGEMTU:
		if (inetdev_valid_mtu(dev->mtu))
			break;
		/* disable IP when MTU is not enough */
		/* fall through */
	case NETDEV_UNREGISTER:
		inetdev_destroy(in_dev);
		break;
	case NETDEV_CHANGENAME:
		/* Labels that were the old name follow the device (inetdev_changename). */
		for_ifa(in_dev) {
			char old[IFNAMSIZ];
			char *dot;

			memcpy(old, ifa->ifa_label, IFNAMSIZ);
			dot = strchr(old, ':');
			if (!dot)
				snprintf(ifa->ifa_label, IFNAMSIZ, "%s", dev->name);
			else if (strlen(dev->name) + strlen(dot) < IFNAMSIZ) {
				size_t n = strlen(dev->name);

				memcpy(ifa->ifa_label, dev->name, n);
				memcpy(ifa->ifa_label + n, dot, strlen(dot) + 1);
			}
		} endfor_ifa(in_dev);
		break;
	}
out:
	return NOTIFY_DONE;
}

static struct notifier_block ip_netdev_notifier = {
	.notifier_call = inetdev_event,
};

/* ---- sysctls: net.ipv4.ip_forward and net.ipv4.conf.{all,default}.* ---- */

/* Per-namespace entries carry their offset twice: in .data (resolved per namespace by the
 * sysctl core) and in .extra1 (kept), so a handler can find its struct net. */
static struct net *devinet_ctl_net(const struct ctl_table *ctl)
{
	return (struct net *)((char *)ctl->data - (uintptr_t)ctl->extra1);
}

/* All the devices of @net follow conf/all/forwarding (3.10 inet_forward_change); accepting
 * redirects is the opposite of forwarding. Caller holds rtnl_lock. */
static void inet_forward_change(struct net *net)
{
	struct net_device *dev;
	int on = IPV4_DEVCONF_ALL(net, FORWARDING);

	IPV4_DEVCONF_ALL(net, ACCEPT_REDIRECTS) = !on;
	IPV4_DEVCONF_DFLT(net, FORWARDING) = on;

	for_each_netdev(net, dev) {
		struct in_device *in_dev = __in_dev_get_rtnl(dev);

		if (in_dev)
			IN_DEV_CONF_SET(in_dev, FORWARDING, on);
	}
}

static int devinet_sysctl_forward(struct ctl_table *ctl, int write, void *buffer, size_t *lenp,
				  loff_t *ppos)
{
	int *valp = ctl->data;
	int val = *valp;
	struct net *net;
	int ret;

	ret = proc_dointvec(ctl, write, buffer, lenp, ppos);
	if (write && *valp != val) {
		net = devinet_ctl_net(ctl);
		if (valp != &IPV4_DEVCONF_DFLT(net, FORWARDING)) {
			rtnl_lock();
			if (valp == &IPV4_DEVCONF_ALL(net, FORWARDING))
				inet_forward_change(net);
			rtnl_unlock();
			rt_cache_flush(net);
		}
	}
	return ret;
}

/* A conf/default value changed: devices that never had it set explicitly follow
 * (devinet_copy_dflt_conf). Caller holds rtnl_lock. */
static void devinet_copy_dflt_conf(struct net *net, int i)
{
	struct net_device *dev;

	for_each_netdev(net, dev) {
		struct in_device *in_dev = __in_dev_get_rtnl(dev);

		if (in_dev && !(in_dev->cnf.state[0] & (1UL << i)))
			in_dev->cnf.data[i] = net->ipv4.devconf_dflt->data[i];
	}
}

static int devinet_conf_proc(struct ctl_table *ctl, int write, void *buffer, size_t *lenp,
			     loff_t *ppos)
{
	int *valp = ctl->data;
	int old_value = *valp;
	int ret = proc_dointvec(ctl, write, buffer, lenp, ppos);

	if (write && *valp != old_value) {
		struct net *net = devinet_ctl_net(ctl);
		struct ipv4_devconf *cnf = (struct ipv4_devconf *)((char *)net +
			(uintptr_t)ctl->extra2);
		int i = (int)(valp - cnf->data);

		cnf->state[0] |= 1UL << i;
		if (cnf == net->ipv4.devconf_dflt) {
			rtnl_lock();
			devinet_copy_dflt_conf(net, i);
			rtnl_unlock();
		}
		if (i == IPV4_DEVCONF_ACCEPT_LOCAL - 1 || i == IPV4_DEVCONF_ROUTE_LOCALNET - 1)
			rt_cache_flush(net);
	}
	return ret;
}

static int devinet_sysctl_flush(struct ctl_table *ctl, int write, void *buffer, size_t *lenp,
				loff_t *ppos)
{
	int *valp = ctl->data;
	int val = *valp;
	int ret = proc_dointvec(ctl, write, buffer, lenp, ppos);

	if (write && *valp != val)
		rt_cache_flush(devinet_ctl_net(ctl));
	return ret;
}

#define CONF_OFF(which, attr) \
	offsetof(struct net, ipv4.which.data[IPV4_DEVCONF_##attr - 1])
#define CONF_CNF(which) offsetof(struct net, ipv4.which)
#define DEVINET_SYSCTL_ENTRY(which, attr, name, mval, handler)                       \
	{ .procname = name, .data = (void *)CONF_OFF(which, attr), .maxlen = sizeof(int), \
	  .mode = mval, .proc_handler = handler, .extra1 = (void *)CONF_OFF(which, attr),  \
	  .extra2 = (void *)CONF_CNF(which) }
#define DEVINET_SYSCTL_RW_ENTRY(w, attr, name) \
	DEVINET_SYSCTL_ENTRY(w, attr, name, 0644, devinet_conf_proc)
#define DEVINET_SYSCTL_RO_ENTRY(w, attr, name) \
	DEVINET_SYSCTL_ENTRY(w, attr, name, 0444, devinet_conf_proc)
#define DEVINET_SYSCTL_FLUSHING_ENTRY(w, attr, name) \
	DEVINET_SYSCTL_ENTRY(w, attr, name, 0644, devinet_sysctl_flush)

/* 3.10's devinet_vars, for one of conf/all (devconf_all_data) or conf/default. */
#define DEVINET_VARS(w)                                                               \
	DEVINET_SYSCTL_ENTRY(w, FORWARDING, "forwarding", 0644, devinet_sysctl_forward), \
	DEVINET_SYSCTL_RO_ENTRY(w, MC_FORWARDING, "mc_forwarding"),                     \
	DEVINET_SYSCTL_RW_ENTRY(w, ACCEPT_REDIRECTS, "accept_redirects"),               \
	DEVINET_SYSCTL_RW_ENTRY(w, SECURE_REDIRECTS, "secure_redirects"),               \
	DEVINET_SYSCTL_RW_ENTRY(w, SHARED_MEDIA, "shared_media"),                       \
	DEVINET_SYSCTL_RW_ENTRY(w, RP_FILTER, "rp_filter"),                             \
	DEVINET_SYSCTL_RW_ENTRY(w, SEND_REDIRECTS, "send_redirects"),                   \
	DEVINET_SYSCTL_RW_ENTRY(w, ACCEPT_SOURCE_ROUTE, "accept_source_route"),         \
	DEVINET_SYSCTL_RW_ENTRY(w, ACCEPT_LOCAL, "accept_local"),                       \
	DEVINET_SYSCTL_RW_ENTRY(w, SRC_VMARK, "src_valid_mark"),                        \
	DEVINET_SYSCTL_RW_ENTRY(w, PROXY_ARP, "proxy_arp"),                             \
	DEVINET_SYSCTL_RW_ENTRY(w, MEDIUM_ID, "medium_id"),                             \
	DEVINET_SYSCTL_RW_ENTRY(w, BOOTP_RELAY, "bootp_relay"),                         \
	DEVINET_SYSCTL_RW_ENTRY(w, LOG_MARTIANS, "log_martians"),                       \
	DEVINET_SYSCTL_RW_ENTRY(w, TAG, "tag"),                                         \
	DEVINET_SYSCTL_RW_ENTRY(w, ARPFILTER, "arp_filter"),                            \
	DEVINET_SYSCTL_RW_ENTRY(w, ARP_ANNOUNCE, "arp_announce"),                       \
	DEVINET_SYSCTL_RW_ENTRY(w, ARP_IGNORE, "arp_ignore"),                           \
	DEVINET_SYSCTL_RW_ENTRY(w, ARP_ACCEPT, "arp_accept"),                           \
	DEVINET_SYSCTL_RW_ENTRY(w, ARP_NOTIFY, "arp_notify"),                           \
	DEVINET_SYSCTL_RW_ENTRY(w, PROXY_ARP_PVLAN, "proxy_arp_pvlan"),                 \
	DEVINET_SYSCTL_FLUSHING_ENTRY(w, NOXFRM, "disable_xfrm"),                       \
	DEVINET_SYSCTL_FLUSHING_ENTRY(w, NOPOLICY, "disable_policy"),                   \
	DEVINET_SYSCTL_FLUSHING_ENTRY(w, FORCE_IGMP_VERSION, "force_igmp_version"),     \
	DEVINET_SYSCTL_FLUSHING_ENTRY(w, PROMOTE_SECONDARIES, "promote_secondaries"),   \
	DEVINET_SYSCTL_FLUSHING_ENTRY(w, ROUTE_LOCALNET, "route_localnet"),             \
	{ .procname = NULL }

/* DIVERGES: net.ipv4.conf.DEV.* (one directory per device) are not registered: the sysctl
 * registry has no per-device tables across namespaces yet. Devices read their in_device
 * copy, set from conf/default when they register and kept in step as 3.10 does. */
static struct ctl_table devinet_all_table[] = { DEVINET_VARS(devconf_all_data) };
static struct ctl_table devinet_dflt_table[] = { DEVINET_VARS(devconf_dflt_data) };

static struct ctl_table ctl_forward_entry[] = {
	{
		.procname = "ip_forward",
		.data = (void *)CONF_OFF(devconf_all_data, FORWARDING),
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = devinet_sysctl_forward,
		.extra1 = (void *)CONF_OFF(devconf_all_data, FORWARDING),
		.extra2 = (void *)CONF_CNF(devconf_all_data),
	},
	{ .procname = NULL }
};

/* ---- per namespace ---- */

static int devinet_init_net(struct net *net)
{
	/* 3.10 kmemdup's the live init_net tables for a new namespace: it starts with
	 * init_net's current settings. */
	if (net_eq(net, &init_net)) {
		net->ipv4.devconf_all_data = ipv4_devconf_init;
		net->ipv4.devconf_dflt_data = ipv4_devconf_dflt_init;
	} else {
		net->ipv4.devconf_all_data = *init_net.ipv4.devconf_all;
		net->ipv4.devconf_dflt_data = *init_net.ipv4.devconf_dflt;
	}
	net->ipv4.devconf_all = &net->ipv4.devconf_all_data;
	net->ipv4.devconf_dflt = &net->ipv4.devconf_dflt_data;
	atomic_set(&net->ipv4.dev_addr_genid, 0);
	return 0;
}

static void devinet_exit_net(struct net *net)
{
	net->ipv4.devconf_all = NULL;
	net->ipv4.devconf_dflt = NULL;
}

static struct pernet_operations devinet_ops = {
	.init = devinet_init_net,
	.exit = devinet_exit_net,
};

static bool devinet_inited;

int devinet_init(void)
{
	int err, i;

	if (devinet_inited)
		return 0;
	for (i = 0; i < (int)IN4_ADDR_HSIZE; i++)
		INIT_HLIST_HEAD(&inet_addr_lst[i]);
	inetaddr_chain.head = NULL;

	err = register_pernet_subsys(&devinet_ops);
	if (err)
		return err;
	err = register_net_sysctl_offset("net/ipv4/conf/all", devinet_all_table);
	if (!err)
		err = register_net_sysctl_offset("net/ipv4/conf/default", devinet_dflt_table);
	if (!err)
		err = register_net_sysctl_offset("net/ipv4", ctl_forward_entry);
	if (err)
		goto out_sysctl;
	err = register_netdevice_notifier(&ip_netdev_notifier);
	if (err)
		goto out_sysctl;
	devinet_inited = true;
	return 0;

out_sysctl:
	unregister_sysctl_path("net/ipv4/conf/all");
	unregister_sysctl_path("net/ipv4/conf/default");
	unregister_pernet_subsys(&devinet_ops);
	return err;
}

/* Teardown: every device loses its in_device (the notifier replays NETDEV_UNREGISTER). */
void devinet_fini(void)
{
	if (!devinet_inited)
		return;
	unregister_netdevice_notifier(&ip_netdev_notifier);
	unregister_sysctl_path("net/ipv4/conf/all");
	unregister_sysctl_path("net/ipv4/conf/default");
	/* "net/ipv4" (ip_forward) goes with ipv4_sysctl_fini: the path is shared. */
	unregister_pernet_subsys(&devinet_ops);
	if (inetaddr_chain.head)
		pr_warn("devinet: inetaddr notifiers still registered at teardown\n");
	inetaddr_chain.head = NULL;
	devinet_inited = false;
}
