/* SPDX-License-Identifier: MIT */
/* Unit-test helpers: boot, leak check, teardown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "linux/slab.h"
#include "linux/timer.h"

static unsigned long boot_objects;

/* Per-cache objects in use at boot, for the leak check's report of which caches differ. */
#define BOOT_CACHES_MAX 256
static struct boot_cache {
	char name[32];
	unsigned long active;
} boot_caches[BOOT_CACHES_MAX];
static int nboot_caches;
static struct ul_slab_extra boot_extra;

static void boot_cache_record(const struct kmem_cache_stats *st, void *arg)
{
	struct boot_cache *b;

	(void)arg;
	if (nboot_caches == BOOT_CACHES_MAX)
		return;
	b = &boot_caches[nboot_caches++];
	snprintf(b->name, sizeof(b->name), "%s", st->name);
	b->active = st->active_objs;
}

static void boot_cache_compare(const struct kmem_cache_stats *st, void *arg)
{
	unsigned long then = 0;
	int i;

	(void)arg;
	for (i = 0; i < nboot_caches; i++)
		if (!strncmp(boot_caches[i].name, st->name, sizeof(boot_caches[i].name) - 1)) {
			then = boot_caches[i].active;
			break;
		}
	if (st->active_objs != then)
		print_error("leak check: %s: %lu objects in use, %lu at boot\n", st->name,
			    st->active_objs, then);
}

int ul_test_boot_with(enum ul_runtime rt, int ncpus, uint64_t seed)
{
	struct ul_config cfg = { .runtime = rt, .ncpus = ncpus, .seed = seed };
	int err = ul_stack_create(&cfg);
	if (err)
		return err;
	boot_objects = ul_slab_objects_in_use();
	nboot_caches = 0;
	kmem_cache_for_each(boot_cache_record, NULL);
	ul_slab_extra_stats(&boot_extra);
	return 0;
}

void ul_test_assert_no_leaks(void)
{
	/* Let deferred frees (softirq completion queues, ksoftirqd) finish first. */
	unsigned long now;

	ul_run_until_idle(10ULL * 1000 * 1000 * 1000);
	now = ul_slab_objects_in_use();
	if (now != boot_objects) {
		struct ul_slab_extra x;

		/* Which caches: the first clue to what is still alive. */
		kmem_cache_for_each(boot_cache_compare, NULL);
		ul_slab_extra_stats(&x);
		print_error("leak check: %lu large kmallocs and %lu vmalloc areas, %lu and %lu at "
			    "boot\n", x.large_objs, x.vmalloc_objs, boot_extra.large_objs,
			    boot_extra.vmalloc_objs);
		print_error("leak check: %lu timers pending\n", ul_timers_pending());
	}
	assert_int_equal(now, boot_objects);
}

int ul_test_setup_sim(void **state)
{
	return ul_test_boot_with(UL_RUNTIME_SIM, 2, 1);
}

int ul_test_setup_posix(void **state)
{
	return ul_test_boot_with(UL_RUNTIME_POSIX, 2, 1);
}

int ul_test_teardown(void **state)
{
	ul_failslab_arm(NULL, 0, 0);	/* a failed test may leave it armed */
	ul_test_assert_no_leaks();
	ul_stack_destroy();
	return 0;
}

unsigned int ul_test_softnet_col(int cpu, int col)
{
	char *text = ul_proc_read(NULL, "/proc/net/softnet_stat", NULL);
	char *line = text;
	unsigned int v[10] = { 0 };
	int i;

	assert_non_null(text);
	assert_true(col >= 0 && col < 10);
	for (i = 0; i < cpu; i++) {
		line = strchr(line, '\n');
		assert_non_null(line);
		line++;
	}
	assert_int_equal(sscanf(line, "%x %x %x %x %x %x %x %x %x %x", &v[0], &v[1], &v[2],
				&v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]), 10);
	free(text);
	return v[col];
}

unsigned long ul_test_softirqs(const char *name, int cpu)
{
	char *text = ul_proc_read(NULL, "/proc/softirqs", NULL);
	char key[32], *p;
	unsigned long v[4] = { 0 };

	assert_non_null(text);
	assert_true(cpu >= 0 && cpu < 4);
	snprintf(key, sizeof(key), "%s:", name);
	p = strstr(text, key);
	assert_non_null(p);
	assert_true(sscanf(p + strlen(key), "%lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3]) >= 1);
	free(text);
	return v[cpu];
}
