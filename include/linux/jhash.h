/* SPDX-License-Identifier: MIT */
/* Bob Jenkins' lookup3 hash (public domain), as the kernel uses it for socket and flow
 * hash tables.
 * Mirrors linux/include/linux/jhash.h (3.10): jhash_3words, jhash_2words, jhash_1word,
 * JHASH_INITVAL. */
#ifndef _LINUX_JHASH_H
#define _LINUX_JHASH_H
#include "linux/types.h"

static inline u32 rol32(u32 word, unsigned int shift)
{
	return (word << (shift & 31)) | (word >> ((-shift) & 31));
}

/* An arbitrary initial parameter (lookup3's). */
#define JHASH_INITVAL 0xdeadbeef

/* The final mixing of three 32-bit values (lookup3 final()). */
#define __jhash_final(a, b, c)                  \
	do {                                    \
		c ^= b; c -= rol32(b, 14);      \
		a ^= c; a -= rol32(c, 11);      \
		b ^= a; b -= rol32(a, 25);      \
		c ^= b; c -= rol32(b, 16);      \
		a ^= c; a -= rol32(c, 4);       \
		b ^= a; b -= rol32(a, 14);      \
		c ^= b; c -= rol32(b, 24);      \
	} while (0)

static inline u32 jhash_3words(u32 a, u32 b, u32 c, u32 initval)
{
	a += JHASH_INITVAL;
	b += JHASH_INITVAL;
	c += initval;
	__jhash_final(a, b, c);
	return c;
}
static inline u32 jhash_2words(u32 a, u32 b, u32 initval)
{
	return jhash_3words(a, b, 0, initval);
}
static inline u32 jhash_1word(u32 a, u32 initval)
{
	return jhash_3words(a, 0, 0, initval);
}

#endif
