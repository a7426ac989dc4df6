/* SPDX-License-Identifier: MIT */
/* Fixed-width kernel types. Mirrors linux/include/linux/types.h. */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef s32 __s32;

/* Wire-order types: values in network byte order. Never byte-swap them in place. */
typedef u16 __be16;
typedef u32 __be32;
typedef u64 __be64;
typedef u16 __le16;
typedef u32 __le32;
typedef u16 __sum16;
typedef u32 __wsum;

typedef unsigned int gfp_t;
#define GFP_KERNEL 0u
#define GFP_ATOMIC 1u
#define __GFP_ZERO 0x100u

#endif
