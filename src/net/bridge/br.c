/* SPDX-License-Identifier: MIT */
/* The bridge module: its FDB cache, its `ip link add ... type bridge` kind, and the
 * netdevice notifier that keeps ports in step with their devices.
 * Mirrors linux/net/bridge/br.c (3.10): br_init, br_deinit; br_notify.c's br_device_event;
 * br_netlink.c's br_link_ops (kind "bridge") and br_dev_newlink; br_if.c's br_dev_delete.
 * Context: process, rtnl held in the notifier. */
#include <stdio.h>
#include "linux/notifier.h"
#include "linux/rtnetlink.h"
#include "net/bridge/br_private.h"
#include "net/rtnetlink.h"

/* A port's device changed: follow it (br_device_event). rtnl held. */
static int br_device_event(struct notifier_block *unused, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct net_bridge_port *p = br_port_get_rtnl(dev);
	struct net_bridge *br;

	(void)unused;
	if (!p)
		return NOTIFY_DONE;
	br = p->br;
	switch (event) {
	case NETDEV_CHANGEMTU:
		if (br->dev->mtu > dev->mtu)
			dev_set_mtu(br->dev, (int)dev->mtu);
		break;
	case NETDEV_CHANGEADDR:
		br_fdb_changeaddr(p, dev->dev_addr);
		if (br_stp_recalculate_bridge_id(br))
			call_netdevice_notifiers(NETDEV_CHANGEADDR, br->dev);
		break;
	case NETDEV_CHANGE:
	case NETDEV_UP:
	case NETDEV_DOWN:
		br_port_carrier_check(p);
		break;
	case NETDEV_UNREGISTER:
		br_del_if(br, dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block br_device_notifier = {
	.notifier_call = br_device_event,
};

/* `ip link add NAME type bridge`: no bridge options are taken (ageing_time etc. are
 * 3.10's defaults). */
static int br_dev_newlink(struct net *net, const char *ifname, int argc, char **argv,
			  char *err, size_t errlen)
{
	int ret;

	if (argc > 0) {
		snprintf(err, errlen, "Error: argument \"%s\" is wrong: unknown bridge option",
			 argv[0]);
		return -EOPNOTSUPP;
	}
	ret = br_add_bridge(net, ifname);
	if (ret)
		snprintf(err, errlen, "RTNETLINK answers: %s", strerror(-ret));
	return ret;
}

/* `ip link del BR`: the ports are released by the device's uninit. */
static void br_dev_delete(struct net_device *dev, struct list_head *head)
{
	unregister_netdevice_queue(dev, head);
}

struct rtnl_link_ops br_link_ops = {
	.kind = "bridge",
	.priv_size = sizeof(struct net_bridge),
	.setup = br_dev_setup,
	.newlink = br_dev_newlink,
	.dellink = br_dev_delete,
};

static bool br_registered;

int br_init(void)
{
	int err = br_fdb_init();

	if (err)
		return err;
	err = register_netdevice_notifier(&br_device_notifier);
	if (err)
		goto err_fdb;
	/* The kind table outlives stacks: a second stack finds it registered. */
	err = rtnl_link_register(&br_link_ops);
	if (err && err != -EEXIST)
		goto err_notifier;
	br_registered = true;
	return 0;

err_notifier:
	unregister_netdevice_notifier(&br_device_notifier);
err_fdb:
	br_fdb_fini();
	return err;
}

/* After every namespace (and so every bridge) is gone. */
void br_fini(void)
{
	if (!br_registered)
		return;
	unregister_netdevice_notifier(&br_device_notifier);
	br_fdb_fini();
	br_registered = false;
}
