/* SPDX-License-Identifier: MIT */
/* Slab fault injection for tests (ul_failslab_arm in linux/slab.h arms it).
 * Mirrors linux/include/linux/fault-inject.h (3.10): should_failslab. */
#ifndef ULNET_LINUX_FAULT_INJECT_H
#define ULNET_LINUX_FAULT_INJECT_H

#include <stdbool.h>
#include "linux/atomic.h"

/* Non-zero while ul_failslab_arm has failures to come: kmem_cache_alloc then leaves its
 * fast path for the slow one, which asks should_failslab. */
extern atomic_t failslab_armed;
/* Whether this allocation from the cache named @cache_name fails (and counts it).
 * mm/failslab.c. */
bool should_failslab(const char *cache_name);

#endif
