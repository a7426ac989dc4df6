/* SPDX-License-Identifier: MIT */
/* Slab fault injection: make the next allocations from a named cache fail, for tests of
 * allocation-failure paths.
 * Mirrors linux/mm/failslab.c (3.10): should_failslab. DIVERGES: 3.10 drives it from
 * debugfs (failslab/{probability,interval,times,space}); ulnet's tests arm it with
 * ul_failslab_arm: after @skip successful allocations from the cache named @name (NULL:
 * any cache, kmalloc's included), the next @times allocations fail. */
#include <string.h>
#include "linux/fault-inject.h"
#include "linux/slab.h"

static struct {
	const char *name;
	unsigned int skip, times;
} failslab;
atomic_t failslab_armed;

void ul_failslab_arm(const char *name, unsigned int skip, unsigned int times)
{
	failslab.name = name;
	failslab.skip = skip;
	failslab.times = times;
	atomic_set(&failslab_armed, times ? 1 : 0);
}

unsigned int ul_failslab_pending(void)
{
	return atomic_read(&failslab_armed) ? failslab.times : 0;
}

/* Context: any (tests arm it while the stack is quiet; the sim runtime is one thread). */
bool should_failslab(const char *cache_name)
{
	if (failslab.name && strcmp(failslab.name, cache_name))
		return false;
	if (failslab.skip) {
		failslab.skip--;
		return false;
	}
	if (!failslab.times)
		return false;
	if (!--failslab.times)
		atomic_set(&failslab_armed, 0);
	return true;
}
