/* SPDX-License-Identifier: MIT */
/* The RTNL lock: serialises configuration (device registration, open/close, address and route
 * changes). Mirrors linux/include/linux/rtnetlink.h: rtnl_lock, rtnl_unlock, ASSERT_RTNL.
 * rtnl_unlock() runs the pending device unregistrations (netdev_run_todo), as in Linux.
 * DIVERGES: defined in net/core/dev.c (there is no rtnetlink socket yet). It is a sleeping
 * lock on posix; on sim it only tracks its holder for ASSERT_RTNL. Not recursive. */
#ifndef _LINUX_RTNETLINK_H
#define _LINUX_RTNETLINK_H
#include "linux/kernel.h"

void rtnl_lock(void);
void rtnl_unlock(void);
int rtnl_trylock(void);
int rtnl_is_locked(void);
/* Release without running the todo list (netdev_run_todo itself uses it). */
void __rtnl_unlock(void);

#define ASSERT_RTNL() do { \
	if (unlikely(!rtnl_is_locked())) \
		printk(KERN_ERR "RTNL: assertion failed at %s (%d)\n", __FILE__, __LINE__); \
} while (0)

#endif
