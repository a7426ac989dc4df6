/* SPDX-License-Identifier: MIT */
/* Test helpers for the posix runtime's threads: waiting (bounded) for a counter that task
 * threads advance, and a two-task ping-pong over wait queues that loses no wakeup. */
#ifndef _TESTS_POSIX_TESTUTIL_H
#define _TESTS_POSIX_TESTUTIL_H

#include <stdbool.h>
#include <string.h>
#include "linux/errno.h"
#include "linux/sched.h"
#include "linux/wait.h"
#include "ulnet/ulnet.h"

/* Drive the stack until *@v reaches @target (task threads advance it), at most @bound_ns. */
static inline bool posix_wait_for(const int *v, int target, u64 bound_ns)
{
	u64 end = ul_now_ns() + bound_ns;

	while (__atomic_load_n(v, __ATOMIC_SEQ_CST) < target) {
		if (ul_now_ns() > end)
			return false;
		ul_run_for(100 * NSEC_PER_USEC);
	}
	return true;
}

/* Two tasks take turns @pings times each: each waits for its turn on its own wait queue,
 * passes the turn and wakes the other. A lost wakeup leaves both asleep for ever (the
 * caller's bounded wait for done == 2 catches it). */
struct pingpong {
	int turn;		/* whose turn: 0 or 1 */
	int done;		/* tasks finished */
	int pings;
	wait_queue_head_t wq[2];
};

struct pp_arg {
	struct pingpong *pp;
	int me;
};

static inline void pingpong_init(struct pingpong *pp, int pings)
{
	memset(pp, 0, sizeof(*pp));
	pp->pings = pings;
	init_waitqueue_head(&pp->wq[0]);
	init_waitqueue_head(&pp->wq[1]);
}

/* The task function: returns the number of turns taken (@pings) or -EINTR. */
static inline int pingpong_fn(void *arg)
{
	struct pp_arg *a = arg;
	struct pingpong *pp = a->pp;
	int i;

	for (i = 0; i < pp->pings; i++) {
		if (wait_event_interruptible(pp->wq[a->me],
					     __atomic_load_n(&pp->turn, __ATOMIC_SEQ_CST) == a->me))
			return -EINTR;
		__atomic_store_n(&pp->turn, !a->me, __ATOMIC_SEQ_CST);
		wake_up(&pp->wq[!a->me]);
	}
	__atomic_fetch_add(&pp->done, 1, __ATOMIC_SEQ_CST);
	return i;
}

#endif /* _TESTS_POSIX_TESTUTIL_H */
