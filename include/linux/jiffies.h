/* SPDX-License-Identifier: MIT */
/* jiffies at HZ=1000 and conversions. Mirrors linux/include/linux/jiffies.h.
 * jiffies start at INITIAL_JIFFIES (5 minutes before the 32-bit wrap), as in Linux, so that
 * (u32)jiffies (tcp_time_stamp) wraps early and wrap bugs show. */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H
#include "linux/types.h"

#define HZ 1000
#define USER_HZ 100
#define INITIAL_JIFFIES ((unsigned long)(unsigned int)(-300 * HZ))
#define MAX_JIFFY_OFFSET ((long)(~0UL >> 1) - 1)
#define NSEC_PER_SEC 1000000000LL
#define NSEC_PER_MSEC 1000000LL
#define NSEC_PER_USEC 1000LL
#define USEC_PER_SEC 1000000LL
#define MSEC_PER_SEC 1000LL

/* Nanoseconds on the stack's clock (virtual on sim, CLOCK_MONOTONIC since start on posix). */
u64 ul_clock_ns(void);
/* The clock as jiffies sees it: ul_clock_ns, or on posix its value at the calling thread's
 * last CPU-time accounting point (system call, softirq, task switch) while the thread ran
 * since (see posix.c). */
u64 ul_tick_ns(void);
static inline unsigned long ul_jiffies_read(void)
{
	return INITIAL_JIFFIES + (unsigned long)(ul_tick_ns() / (NSEC_PER_SEC / HZ));
}
#define jiffies (ul_jiffies_read())
#define jiffies_64 ((u64)jiffies)

#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)
#define time_is_before_jiffies(a) time_after(jiffies, a)
#define time_is_after_jiffies(a) time_before(jiffies, a)

static inline unsigned long msecs_to_jiffies(unsigned int m) { return m; }
static inline unsigned int jiffies_to_msecs(unsigned long j) { return (unsigned int)j; }
static inline unsigned long usecs_to_jiffies(unsigned int u) { return (u + 999) / 1000; }
static inline unsigned int jiffies_to_usecs(unsigned long j) { return (unsigned int)(j * 1000); }
static inline u64 jiffies_to_nsecs(unsigned long j) { return (u64)j * NSEC_PER_MSEC; }
static inline unsigned long jiffies_to_clock_t(unsigned long j) { return j / (HZ / USER_HZ); }
static inline unsigned long clock_t_to_jiffies(unsigned long c) { return c * (HZ / USER_HZ); }

#endif
