/* SPDX-License-Identifier: MIT */
/* Compiler helpers. Mirrors linux/include/linux/compiler.h. */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#undef __always_inline /* glibc's <sys/cdefs.h> defines it too */
#define __always_inline inline __attribute__((always_inline))
#define noinline	__attribute__((noinline))
#define __noreturn	__attribute__((noreturn))
#define __maybe_unused	__attribute__((unused))
#define __packed	__attribute__((packed))
#define __aligned(x)	__attribute__((aligned(x)))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __must_check	__attribute__((warn_unused_result))
/* Only the ul_ API is exported from libulnet (STYLE.md: -fvisibility=hidden). */
#define UL_API		__attribute__((visibility("default")))

#define barrier()	__asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define ACCESS_ONCE(x)	(*(volatile __typeof__(x) *)&(x))

#define BUILD_BUG_ON(c) _Static_assert(!(c), #c)

#endif
