/* SPDX-License-Identifier: MIT */
/* Atomics on GCC builtins. Mirrors linux/include/linux/atomic.h (atomic_t). */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H
#include "linux/types.h"

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
#define ATOMIC_INIT(i) { (i) }

static inline int atomic_read(const atomic_t *v) { return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }
static inline void atomic_set(atomic_t *v, int i) { __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }
static inline void atomic_add(int i, atomic_t *v) { __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline void atomic_sub(int i, atomic_t *v) { __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline void atomic_inc(atomic_t *v) { atomic_add(1, v); }
static inline void atomic_dec(atomic_t *v) { atomic_sub(1, v); }
static inline int atomic_add_return(int i, atomic_t *v) { return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_sub_return(int i, atomic_t *v) { return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_inc_return(atomic_t *v) { return atomic_add_return(1, v); }
static inline int atomic_dec_return(atomic_t *v) { return atomic_sub_return(1, v); }
static inline int atomic_dec_and_test(atomic_t *v) { return atomic_sub_return(1, v) == 0; }
static inline int atomic_inc_not_zero(atomic_t *v)
{
	int c = atomic_read(v);
	while (c && !__atomic_compare_exchange_n(&v->counter, &c, c + 1, false,
						 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	return c != 0;
}
static inline int atomic_cmpxchg(atomic_t *v, int old, int new_)
{
	__atomic_compare_exchange_n(&v->counter, &old, new_, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
	return old;
}
static inline long atomic_long_read(const atomic_long_t *v) { return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }
static inline void atomic_long_set(atomic_long_t *v, long i) { __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }
static inline void atomic_long_add(long i, atomic_long_t *v) { __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline void atomic_long_sub(long i, atomic_long_t *v) { __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline void atomic_long_inc(atomic_long_t *v) { atomic_long_add(1, v); }
static inline void atomic_long_dec(atomic_long_t *v) { atomic_long_sub(1, v); }

#define smp_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_mb__before_clear_bit() smp_mb()
#define smp_mb__after_clear_bit() smp_mb()

/* Bit operations on unsigned long words (linux/bitops.h). */
#define BITS_PER_LONG 64
#define BIT(n) (1UL << (n))
static inline void set_bit(int nr, volatile unsigned long *addr)
{ __atomic_fetch_or(&addr[nr / 64], 1UL << (nr % 64), __ATOMIC_SEQ_CST); }
static inline void clear_bit(int nr, volatile unsigned long *addr)
{ __atomic_fetch_and(&addr[nr / 64], ~(1UL << (nr % 64)), __ATOMIC_SEQ_CST); }
static inline int test_bit(int nr, const volatile unsigned long *addr)
{ return (__atomic_load_n(&addr[nr / 64], __ATOMIC_SEQ_CST) >> (nr % 64)) & 1; }
static inline int test_and_set_bit(int nr, volatile unsigned long *addr)
{ return (__atomic_fetch_or(&addr[nr / 64], 1UL << (nr % 64), __ATOMIC_SEQ_CST) >> (nr % 64)) & 1; }
static inline int test_and_clear_bit(int nr, volatile unsigned long *addr)
{ return (__atomic_fetch_and(&addr[nr / 64], ~(1UL << (nr % 64)), __ATOMIC_SEQ_CST) >> (nr % 64)) & 1; }
static inline void __set_bit(int nr, unsigned long *addr) { addr[nr / 64] |= 1UL << (nr % 64); }
static inline void __clear_bit(int nr, unsigned long *addr) { addr[nr / 64] &= ~(1UL << (nr % 64)); }

#endif
