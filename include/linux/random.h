/* SPDX-License-Identifier: MIT */
/* Random numbers. Mirrors linux/include/linux/random.h.
 * Seeded from the stack's configuration on the sim runtime (same seed, same run); from
 * getrandom() on posix unless a seed is given. */
#ifndef _LINUX_RANDOM_H
#define _LINUX_RANDOM_H
#include "linux/types.h"
u32 prandom_u32(void);
void get_random_bytes(void *buf, int nbytes);
static inline u32 prandom_u32_max(u32 ep_ro) { return (u32)(((u64)prandom_u32() * ep_ro) >> 32); }
void ul_random_seed(u64 seed);
#endif
