/* SPDX-License-Identifier: MIT */
/* Everyday helpers. Mirrors linux/include/linux/kernel.h. */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "linux/compiler.h"
#include "linux/types.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
#define ALIGN(x, a) (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define roundup(x, y) ((((x) + ((y)-1)) / (y)) * (y))
#define swap(a, b) do { __typeof__(a) __t = (a); (a) = (b); (b) = __t; } while (0)

static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	unsigned long r = 1;
	while (r < n)
		r <<= 1;
	return r;
}
static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}
static inline int ilog2(unsigned long n)
{
	return 63 - __builtin_clzl(n);
}

#define htons_c(x) ((__be16)__builtin_bswap16(x)) /* constant-foldable htons (little endian) */

/* Kernel log: printk goes to the stack's log (stderr by default; see src/kernel/printk.c). */
#define KERN_ERR	"<3>"
#define KERN_WARNING	"<4>"
#define KERN_NOTICE	"<5>"
#define KERN_INFO	"<6>"
#define KERN_DEBUG	"<7>"
__printf(1, 2) int printk(const char *fmt, ...);
#define pr_err(fmt, ...)  printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG fmt, ##__VA_ARGS__)

/* A kernel bug: print where and abort (the stack's state can no longer be trusted). */
__noreturn void ul_bug(const char *file, int line, const char *cond);
#define BUG() ul_bug(__FILE__, __LINE__, "BUG")
#define BUG_ON(c) do { if (unlikely(c)) ul_bug(__FILE__, __LINE__, #c); } while (0)
#define WARN_ON(c) ({ int __w = !!(c); if (unlikely(__w)) { \
	printk(KERN_WARNING "WARNING at %s:%d: %s\n", __FILE__, __LINE__, #c); } unlikely(__w); })
#define WARN_ON_ONCE(c) WARN_ON(c)

#endif
