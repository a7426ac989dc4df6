/* SPDX-License-Identifier: MIT */
/* Declarations shared by the files of net/core (not an API for the rest of the stack).
 * Mirrors the static helpers that Linux keeps inside net/core/dev.c. */
#ifndef _NET_CORE_DEV_H
#define _NET_CORE_DEV_H
#include "linux/netdevice.h"

/* The driver's TX lock, skipped for NETIF_F_LLTX devices (dev.c, sch_generic.c). */
#define HARD_TX_LOCK(dev, txq, cpu) do {		\
	if (((dev)->features & NETIF_F_LLTX) == 0)	\
		__netif_tx_lock(txq, cpu);		\
} while (0)
#define HARD_TX_UNLOCK(dev, txq) do {			\
	if (((dev)->features & NETIF_F_LLTX) == 0)	\
		__netif_tx_unlock(txq);			\
} while (0)

/* dev.c: drop @dev's packets still on every CPU's backlog (unregistration). */
void flush_backlog_dev(struct net_device *dev);

/* dev_register.c: the device lists of each namespace, and the device cleanup of a dying
 * namespace (registered by net_boot around loopback_net_ops). */
extern struct pernet_operations netdev_net_ops;
extern struct pernet_operations default_device_ops;
void dev_register_fini(void);	/* resets the notifier chain and the todo list */

/* dev_register.c: call_netdevice_notifiers without the RTNL assertion, for link_watch.c.
 * DIVERGES: Linux's linkwatch work holds rtnl; ulnet's runs in the driver's context. */
int __netdev_notify(unsigned long val, struct net_device *dev);

/* rps.c: RPS maps (rps_needed counts the queues with one: dev.c steers only then), the
 * /sys/class/net files, and their cleanup (free_netdev, net_dev_fini). */
extern atomic_t rps_needed;
void netif_free_rx_queues(struct net_device *dev);
void rps_fini(void);
bool net_sysfs_path(const char *path);	/* does @path start with /sys/? */
char *net_sysfs_read(struct net *net, const char *path, int *err);
int net_sysfs_write(struct net *net, const char *path, const char *buf);

/* link_watch.c */
void linkwatch_init_dev(struct net_device *dev);

#endif
