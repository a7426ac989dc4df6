/* SPDX-License-Identifier: MIT */
/* poll tables: how a file's ->poll registers the caller on its wait queues.
 * Mirrors linux/include/linux/poll.h (3.10): poll_table, poll_wait, POLL* masks.
 * ul_poll and epoll (fs/select.c, fs/eventpoll.c) call the files' ->poll methods
 * (datagram_poll, udp_poll, unix_poll...); the contract is written in fs/eventpoll.c. */
#ifndef _LINUX_POLL_H
#define _LINUX_POLL_H
#include <poll.h>
#include "linux/wait.h"

#ifndef POLLRDHUP
#define POLLRDHUP	0x2000
#endif
#ifndef POLLFREE
#define POLLFREE	0x4000	/* the wait queue goes away (epoll must unhook) */
#endif
/* sk_wake_async bands (POLL_IN ...) come from <signal.h> in the libc. */
#include <signal.h>

struct file;
struct poll_table_struct;
typedef void (*poll_queue_proc)(struct file *, wait_queue_head_t *, struct poll_table_struct *);

/* _qproc NULL: the caller only wants the mask (no queueing). _key: the events of interest. */
typedef struct poll_table_struct {
	poll_queue_proc _qproc;
	unsigned long _key;
} poll_table;

static inline void poll_wait(struct file *filp, wait_queue_head_t *wait_address, poll_table *p)
{
	if (p && p->_qproc && wait_address)
		p->_qproc(filp, wait_address, p);
}
static inline bool poll_does_not_wait(const poll_table *p)
{
	return p == NULL || p->_qproc == NULL;
}
static inline unsigned long poll_requested_events(const poll_table *p)
{
	return p ? p->_key : ~0UL;
}
static inline void init_poll_funcptr(poll_table *pt, poll_queue_proc qproc)
{
	pt->_qproc = qproc;
	pt->_key = ~0UL;
}

#endif
