/* SPDX-License-Identifier: MIT */
/* Notifier chains: ordered lists of callbacks run on an event (NETDEV_UP, ...).
 * Mirrors linux/include/linux/notifier.h: struct notifier_block, raw notifier chains,
 * NOTIFY_*, notifier_from_errno/notifier_to_errno.
 * DIVERGES: only raw chains (the caller provides the locking: the netdevice chain runs under
 * rtnl_lock), implemented inline here (Linux: kernel/notifier.c). */
#ifndef _LINUX_NOTIFIER_H
#define _LINUX_NOTIFIER_H
#include "linux/errno.h"
#include "linux/types.h"

struct notifier_block;
typedef int (*notifier_fn_t)(struct notifier_block *nb, unsigned long action, void *data);

struct notifier_block {
	notifier_fn_t notifier_call;
	struct notifier_block *next;
	int priority;		/* higher runs first */
};

struct raw_notifier_head {
	struct notifier_block *head;
};
#define RAW_NOTIFIER_INIT(name) { .head = NULL }
#define RAW_NOTIFIER_HEAD(name) struct raw_notifier_head name = RAW_NOTIFIER_INIT(name)

#define NOTIFY_DONE		0x0000	/* don't care */
#define NOTIFY_OK		0x0001	/* suits me */
#define NOTIFY_STOP_MASK	0x8000	/* don't call further */
#define NOTIFY_BAD		(NOTIFY_STOP_MASK | 0x0002)	/* bad/veto action */
#define NOTIFY_STOP		(NOTIFY_OK | NOTIFY_STOP_MASK)

static inline int notifier_from_errno(int err)
{
	if (err)
		return NOTIFY_STOP_MASK | (NOTIFY_OK - err);
	return NOTIFY_OK;
}
static inline int notifier_to_errno(int ret)
{
	ret &= ~NOTIFY_STOP_MASK;
	return ret > NOTIFY_OK ? NOTIFY_OK - ret : 0;
}

/* Insert by priority (stable: equal priorities keep registration order). */
static inline int raw_notifier_chain_register(struct raw_notifier_head *nh,
					      struct notifier_block *n)
{
	struct notifier_block **nl = &nh->head;
	while (*nl != NULL) {
		if (n->priority > (*nl)->priority)
			break;
		if (*nl == n)
			return -EEXIST;
		nl = &((*nl)->next);
	}
	n->next = *nl;
	*nl = n;
	return 0;
}
static inline int raw_notifier_chain_unregister(struct raw_notifier_head *nh,
						struct notifier_block *n)
{
	struct notifier_block **nl = &nh->head;
	while (*nl != NULL) {
		if (*nl == n) {
			*nl = n->next;
			n->next = NULL;
			return 0;
		}
		nl = &((*nl)->next);
	}
	return -ENOENT;
}
/* Call each block until one returns with NOTIFY_STOP_MASK; returns the last result.
 * A callback may unregister itself (next is read before the call). */
static inline int raw_notifier_call_chain(struct raw_notifier_head *nh, unsigned long val,
					  void *v)
{
	int ret = NOTIFY_DONE;
	struct notifier_block *nb = nh->head, *next_nb;
	while (nb) {
		next_nb = nb->next;
		ret = nb->notifier_call(nb, val, v);
		if (ret & NOTIFY_STOP_MASK)
			break;
		nb = next_nb;
	}
	return ret;
}

#endif
