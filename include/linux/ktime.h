/* SPDX-License-Identifier: MIT */
/* ktime: nanosecond time. Mirrors linux/include/linux/ktime.h.
 * DIVERGES: ktime_t is a plain s64 of nanoseconds (3.10 wraps it in a union). */
#ifndef _LINUX_KTIME_H
#define _LINUX_KTIME_H
#include "linux/jiffies.h"

typedef s64 ktime_t;
static inline ktime_t ktime_get(void) { return (ktime_t)ul_clock_ns(); }
static inline u64 ktime_get_ns(void) { return ul_clock_ns(); }
/* Wall clock: the sim runtime starts at a fixed date so runs are reproducible. */
ktime_t ktime_get_real(void);
static inline s64 ktime_to_ns(ktime_t t) { return t; }
static inline s64 ktime_to_us(ktime_t t) { return t / 1000; }
static inline s64 ktime_to_ms(ktime_t t) { return t / 1000000; }
static inline ktime_t ktime_sub(ktime_t a, ktime_t b) { return a - b; }
static inline ktime_t ktime_add_ns(ktime_t a, u64 ns) { return a + (s64)ns; }
static inline ktime_t ns_to_ktime(u64 ns) { return (ktime_t)ns; }

#endif
