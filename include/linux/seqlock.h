/* SPDX-License-Identifier: MIT */
/* Sequence locks: lockless readers that retry when a writer ran meanwhile (the neighbour's
 * cached link header, struct hh_cache).
 * Mirrors linux/include/linux/seqlock.h (3.10): seqcount_t, seqlock_t, seqlock_init,
 * read_seqbegin, read_seqretry, write_seqlock, write_sequnlock, write_seqlock_bh,
 * write_sequnlock_bh. */
#ifndef _LINUX_SEQLOCK_H
#define _LINUX_SEQLOCK_H
#include "linux/atomic.h"
#include "linux/compiler.h"
#include "linux/spinlock.h"

/* Odd while a writer is inside. */
typedef struct seqcount {
	unsigned int sequence;
} seqcount_t;

/* Writers serialise on @lock; readers only look at @seqcount. All zero is unlocked. */
typedef struct {
	struct seqcount seqcount;
	spinlock_t lock;
} seqlock_t;

#define __SEQLOCK_UNLOCKED(n) { { 0 }, __SPIN_LOCK_UNLOCKED(n) }

static inline void seqlock_init(seqlock_t *sl)
{
	sl->seqcount.sequence = 0;
	spin_lock_init(&sl->lock);
}

/* Start a read section: waits out a writer in progress. Context: any. */
static inline unsigned int read_seqbegin(const seqlock_t *sl)
{
	unsigned int ret;

	for (;;) {
		ret = READ_ONCE(sl->seqcount.sequence);
		if (likely(!(ret & 1)))
			break;
		barrier();
	}
	smp_rmb();
	return ret;
}

/* Non-zero: a writer ran since read_seqbegin returned @start; read again. */
static inline unsigned int read_seqretry(const seqlock_t *sl, unsigned int start)
{
	smp_rmb();
	return unlikely(READ_ONCE(sl->seqcount.sequence) != start);
}

static inline void write_seqcount_begin(seqcount_t *s)
{
	s->sequence++;
	smp_wmb();
}

static inline void write_seqcount_end(seqcount_t *s)
{
	smp_wmb();
	s->sequence++;
}

static inline void write_seqlock(seqlock_t *sl)
{
	spin_lock(&sl->lock);
	write_seqcount_begin(&sl->seqcount);
}

static inline void write_sequnlock(seqlock_t *sl)
{
	write_seqcount_end(&sl->seqcount);
	spin_unlock(&sl->lock);
}

static inline void write_seqlock_bh(seqlock_t *sl)
{
	spin_lock_bh(&sl->lock);
	write_seqcount_begin(&sl->seqcount);
}

static inline void write_sequnlock_bh(seqlock_t *sl)
{
	write_seqcount_end(&sl->seqcount);
	spin_unlock_bh(&sl->lock);
}

#endif /* _LINUX_SEQLOCK_H */
