/* SPDX-License-Identifier: MIT */
/* Link kinds: the table `ip link add ... type KIND` dispatches through, and the kind-aware
 * creation and deletion of devices.
 * Mirrors linux/net/core/rtnetlink.c (3.10): rtnl_link_register, rtnl_link_unregister,
 * rtnl_link_ops_get, rtnl_create_link, and the device half of rtnl_newlink/rtnl_dellink.
 * DIVERGES: no netlink (see net/rtnetlink.h); the built-in kinds are registered by their
 * first user (rtnl_link_builtin_init) instead of module init calls.
 *
 * Locking: link_ops_lock (a mutex) guards the table; creation and deletion run under
 * rtnl_lock. Context: process. */
#include "net/rtnetlink.h"
#include <stdio.h>
#include <string.h>
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/rtnetlink.h"
#include "linux/spinlock.h"
#include "linux/veth.h"
#include "net/net_namespace.h"

/* The table outlives stacks (the ops are static data of their drivers). */
static LIST_HEAD(link_ops);
static DEFINE_MUTEX(link_ops_lock);

int rtnl_link_register(struct rtnl_link_ops *ops)
{
	struct rtnl_link_ops *o;

	if (!ops || !ops->kind || !ops->kind[0] || !ops->newlink)
		return -EINVAL;
	mutex_lock(&link_ops_lock);
	list_for_each_entry(o, &link_ops, list) {
		if (!strcmp(o->kind, ops->kind)) {
			mutex_unlock(&link_ops_lock);
			return -EEXIST;
		}
	}
	list_add_tail(&ops->list, &link_ops);
	mutex_unlock(&link_ops_lock);
	return 0;
}

void rtnl_link_unregister(struct rtnl_link_ops *ops)
{
	struct rtnl_link_ops *o;

	mutex_lock(&link_ops_lock);
	list_for_each_entry(o, &link_ops, list) {
		if (o == ops) {
			list_del(&ops->list);
			break;
		}
	}
	mutex_unlock(&link_ops_lock);
}

struct rtnl_link_ops *rtnl_link_ops_get(const char *kind)
{
	struct rtnl_link_ops *o, *found = NULL;

	if (!kind)
		return NULL;
	mutex_lock(&link_ops_lock);
	list_for_each_entry(o, &link_ops, list) {
		if (!strcmp(o->kind, kind)) {
			found = o;
			break;
		}
	}
	mutex_unlock(&link_ops_lock);
	return found;
}

void rtnl_link_for_each(void (*fn)(const struct rtnl_link_ops *ops, void *arg), void *arg)
{
	struct rtnl_link_ops *o;

	mutex_lock(&link_ops_lock);
	list_for_each_entry(o, &link_ops, list)
		fn(o, arg);
	mutex_unlock(&link_ops_lock);
}

struct net_device *rtnl_create_link(struct net *net, const char *ifname,
				    const struct rtnl_link_ops *ops)
{
	char name[IFNAMSIZ];
	struct net_device *dev;

	ASSERT_RTNL();
	if (ifname)
		snprintf(name, sizeof(name), "%s", ifname);
	else
		snprintf(name, sizeof(name), "%s%%d", ops->kind);
	dev = alloc_netdev_mqs((int)ops->priv_size, name, ops->setup, 1, 1);
	if (!dev)
		return NULL;
	dev_net_set(dev, net);
	dev->rtnl_link_ops = ops;
	return dev;
}

int rtnl_newlink(struct net *net, const char *kind, const char *ifname, int argc, char **argv,
		 char *err, size_t errlen)
{
	struct rtnl_link_ops *ops;
	int ret;

	rtnl_link_builtin_init();
	ops = rtnl_link_ops_get(kind);
	if (!ops) {
		snprintf(err, errlen, "Error: Unknown device type.");
		return -EOPNOTSUPP;
	}
	if (ifname && !dev_valid_name(ifname)) {
		snprintf(err, errlen, "Error: argument \"%s\" is wrong: \"name\" not a valid ifname",
			 ifname);
		return -EINVAL;
	}
	rtnl_lock();
	if (ifname && __dev_get_by_name(net, ifname)) {
		rtnl_unlock();
		snprintf(err, errlen, "RTNETLINK answers: File exists");
		return -EEXIST;
	}
	ret = ops->newlink(net, ifname, argc, argv, err, errlen);
	rtnl_unlock();
	return ret;
}

int rtnl_dellink(struct net_device *dev)
{
	const struct rtnl_link_ops *ops;
	LIST_HEAD(list_kill);

	rtnl_lock();
	ops = dev->rtnl_link_ops;
	if (!ops && !netif_is_veth(dev)) {
		rtnl_unlock();
		return -EOPNOTSUPP;
	}
	if (ops && ops->dellink)
		ops->dellink(dev, &list_kill);
	else
		unregister_netdevice_queue(dev, &list_kill);
	unregister_netdevice_many(&list_kill);
	rtnl_unlock();
	return 0;
}

/* ---- veth: `ip link add [NAME] type veth [peer [name] PEER] [netns NS]` over veth.c ---- */

static int veth_rtnl_newlink(struct net *net, const char *ifname, int argc, char **argv,
			     char *err, size_t errlen)
{
	const char *peer_name = NULL;
	struct net *peer_net = net;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "peer")) {
			continue;
		} else if (!strcmp(argv[i], "name") && i + 1 < argc) {
			peer_name = argv[++i];
		} else if (!strcmp(argv[i], "netns") && i + 1 < argc) {
			peer_net = ul_net_by_name(argv[++i]);
			if (!peer_net) {
				snprintf(err, errlen, "Cannot find netns \"%s\"", argv[i]);
				return -ENOENT;
			}
		} else if (!peer_name && i > 0 && !strcmp(argv[i - 1], "peer")) {
			peer_name = argv[i];
		} else {
			snprintf(err, errlen, "Error: argument \"%s\" is wrong: unknown veth option",
				 argv[i]);
			return -EINVAL;
		}
	}
	if (peer_name && !dev_valid_name(peer_name)) {
		snprintf(err, errlen, "Error: argument \"%s\" is wrong: \"name\" not a valid ifname",
			 peer_name);
		return -EINVAL;
	}
	i = __veth_create(net, ifname, peer_net, peer_name);
	if (i == -EEXIST)
		snprintf(err, errlen, "RTNETLINK answers: File exists");
	else if (i)
		snprintf(err, errlen, "RTNETLINK answers: %s", strerror(-i));
	return i;
}

static struct rtnl_link_ops veth_link_ops = {
	.kind = "veth",
	.newlink = veth_rtnl_newlink,
};

extern struct rtnl_link_ops dummy_link_ops;

void rtnl_link_builtin_init(void)
{
	/* -EEXIST when already there (or registered by the driver itself): fine. */
	if (!rtnl_link_ops_get("dummy"))
		rtnl_link_register(&dummy_link_ops);
	if (!rtnl_link_ops_get("veth"))
		rtnl_link_register(&veth_link_ops);
}
