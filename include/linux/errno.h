/* SPDX-License-Identifier: MIT */
/* Error numbers: glibc's equal Linux's; add the kernel-internal ones. Mirrors
 * linux/include/linux/errno.h. */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H
#include <errno.h>
#define ERESTARTSYS	512
#define ENOIOCTLCMD	515

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x) ((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long e) { return (void *)e; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline int IS_ERR(const void *p) { return IS_ERR_VALUE((unsigned long)p); }
static inline int IS_ERR_OR_NULL(const void *p) { return !p || IS_ERR(p); }
#endif
