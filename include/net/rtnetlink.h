/* SPDX-License-Identifier: MIT */
/* Link kinds: the drivers `ip link add NAME type KIND ...` can create (dummy, veth...).
 * Mirrors linux/include/net/rtnetlink.h (3.10): struct rtnl_link_ops, rtnl_link_register,
 * rtnl_link_unregister, rtnl_link_ops_get, and what rtnl_newlink/rtnl_dellink do with them.
 *
 * DIVERGES: there is no netlink: a kind's newlink receives the words that followed
 * "type KIND" on the command line (e.g. {"peer", "name", "veth1"}) instead of netlink
 * attributes, and creates its device(s) itself (Linux's rtnl_create_link allocates the
 * device first with .setup/.priv_size; a kind that wants that can call rtnl_create_link).
 * Registration is by kind name, once: registering a kind that exists is -EEXIST. */
#ifndef _NET_RTNETLINK_H
#define _NET_RTNETLINK_H
#include <stddef.h>
#include "linux/list.h"
#include "linux/netdevice.h"

struct net;

struct rtnl_link_ops {
	struct list_head list;
	const char *kind;		/* "dummy", "veth" */
	size_t priv_size;		/* for rtnl_create_link */
	void (*setup)(struct net_device *dev);	/* for rtnl_create_link */
	/* Create the device(s) named @ifname (NULL: the kind's "KIND%d") in @net from the
	 * words after "type KIND". Called with rtnl_lock held; the new device must have
	 * dev->rtnl_link_ops set (rtnl_create_link does it) so that `ip link del` can find
	 * its dellink. On error, write iproute2's message ("Error: ...") into @err and
	 * return -errno with nothing left registered. */
	int (*newlink)(struct net *net, const char *ifname, int argc, char **argv, char *err,
		       size_t errlen);
	/* Queue @dev for unregistration on @head (NULL: default unregister_netdevice_queue).
	 * rtnl held. */
	void (*dellink)(struct net_device *dev, struct list_head *head);
};

/* 0, -EEXIST (kind taken) or -EINVAL. Context: process. */
int rtnl_link_register(struct rtnl_link_ops *ops);
void rtnl_link_unregister(struct rtnl_link_ops *ops);
/* The kind named @kind, or NULL. */
struct rtnl_link_ops *rtnl_link_ops_get(const char *kind);
/* Call @fn for every kind (ip link help). */
void rtnl_link_for_each(void (*fn)(const struct rtnl_link_ops *ops, void *arg), void *arg);

/* A device of @ops named @ifname (or "KIND%d") in @net, allocated with ops->priv_size and
 * ops->setup, dev->rtnl_link_ops set, not yet registered. NULL on ENOMEM. rtnl held. */
struct net_device *rtnl_create_link(struct net *net, const char *ifname,
				    const struct rtnl_link_ops *ops);
/* `ip link add`: create a device of kind @kind. Takes rtnl_lock. 0, -EOPNOTSUPP (unknown
 * kind; @err says "Error: Unknown device type."), or the kind's error. */
int rtnl_newlink(struct net *net, const char *kind, const char *ifname, int argc, char **argv,
		 char *err, size_t errlen);
/* `ip link del`: delete @dev through its kind. Takes rtnl_lock. -EOPNOTSUPP for devices
 * that no kind created (lo, NICs). */
int rtnl_dellink(struct net_device *dev);

/* `ip link set DEV master UPPER` / `nomaster` (@upper NULL): release @dev from its current
 * master (ndo_del_slave), then enslave it to @upper (ndo_add_slave). 0 or -errno
 * (-EOPNOTSUPP: @upper cannot take slaves). rtnl held.
 * Mirrors 3.10 rtnetlink.c do_set_master. */
static inline int do_set_master(struct net_device *dev, struct net_device *upper)
{
	struct net_device *old = netdev_master_upper_dev_get(dev);
	int err;

	if (old && old != upper) {
		if (!old->netdev_ops->ndo_del_slave)
			return -EOPNOTSUPP;
		err = old->netdev_ops->ndo_del_slave(old, dev);
		if (err)
			return err;
	}
	if (upper && upper != old) {
		if (!upper->netdev_ops || !upper->netdev_ops->ndo_add_slave)
			return -EOPNOTSUPP;
		return upper->netdev_ops->ndo_add_slave(upper, dev);
	}
	return 0;
}

/* The built-in kinds (dummy, veth), registered by the first user (idempotent). */
void rtnl_link_builtin_init(void);

#endif
