/* SPDX-License-Identifier: MIT */
/* Virtual Ethernet pairs: what `ip link add A type veth peer name B [netns NS]` creates.
 * Mirrors linux/include/uapi/linux/veth.h and the rtnl_link_ops entry points of
 * linux/drivers/net/veth.c (3.10): veth_newlink, veth_dellink.
 *
 * DIVERGES: Linux's veth_newlink parses netlink attributes; ulnet has no netlink: the
 * "veth" kind of net/rtnetlink.h (src/net/core/rtnetlink.c) parses the words of
 * `ip link add ... type veth peer name B [netns NS]` and calls __veth_create(). Deleting
 * either end (ip link del, unregister_netdevice, or the death of either end's namespace)
 * deletes both, as 3.10's veth_dellink and default_device_exit_batch do; veth_dev_uninit
 * takes the peer along. `ip link set DEV netns NS` is not supported (the core has no
 * dev_change_net_namespace yet). */
#ifndef _LINUX_VETH_H
#define _LINUX_VETH_H
#include "linux/netdevice.h"

struct net;

#define VETH_DRV_NAME		"veth"
#define VETH_DRV_VERSION	"1.0"

/* Create the pair @name in @net and @peer_name in @peer_net (NULL names: "veth%d", as
 * Linux). Both start down with random MAC addresses and no carrier; the carrier comes when
 * both ends are up. Takes rtnl_lock (the caller must not hold it).
 * 0, or -EINVAL (NULL namespace, bad name), -EEXIST (a name is taken in its namespace),
 * -ENOMEM; on error nothing is left registered. Context: process. */
int veth_create(struct net *net, const char *name, struct net *peer_net, const char *peer_name);
/* The same with rtnl_lock already held by the caller. */
int __veth_create(struct net *net, const char *name, struct net *peer_net,
		  const char *peer_name);
/* True if @dev is a veth end. */
bool netif_is_veth(const struct net_device *dev);
/* The other end of veth @dev, or NULL (not a veth, or the pair is being torn down).
 * No reference taken. */
struct net_device *veth_peer(const struct net_device *dev);

#endif
