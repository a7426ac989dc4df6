/* SPDX-License-Identifier: MIT */
/* What the rest of the stack needs from epoll.
 * Mirrors linux/include/linux/eventpoll.h (3.10): eventpoll_init_file, eventpoll_release,
 * eventpoll_release_file; plus ulnet's boot/teardown of the epoll caches and its work
 * counter (book ch3: epoll_wait's cost does not grow with idle sockets). */
#ifndef _LINUX_EVENTPOLL_H
#define _LINUX_EVENTPOLL_H
#include "linux/fs.h"
#include "linux/list.h"

/* A file is being released (its last reference, __fput): unhook every epoll item that
 * watches it. Context: process. */
void eventpoll_release_file(struct file *file);
static inline void eventpoll_release(struct file *file)
{
	/* Fast path: nobody watches the file (f_ep_links is only touched under epmutex). */
	if (likely(list_empty(&file->f_ep_links)))
		return;
	eventpoll_release_file(file);
}
/* Boot: the "eventpoll_epi" and "eventpoll_pwq" caches (fs/eventpoll.c eventpoll_init). */
int eventpoll_init(void);
void eventpoll_fini(void);

/* ulnet: epitems epoll_wait looked at since boot (ep_send_events: each ready item is
 * visited once per scan, idle ones never), and epoll_wait calls. */
struct ep_work_stats {
	unsigned long items_visited;
	unsigned long waits;
	unsigned long callbacks;	/* ep_poll_callback runs */
};
void ep_work_stats_get(struct ep_work_stats *st);

extern const struct file_operations eventpoll_fops;
static inline bool is_file_epoll(const struct file *f)
{
	return f->f_op == &eventpoll_fops;
}

#endif
