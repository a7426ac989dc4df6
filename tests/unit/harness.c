/* SPDX-License-Identifier: MIT */
/* Unit-test helpers: boot, leak check, teardown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "linux/slab.h"

static unsigned long boot_objects;

int ul_test_boot_with(enum ul_runtime rt, int ncpus, uint64_t seed)
{
	struct ul_config cfg = { .runtime = rt, .ncpus = ncpus, .seed = seed };
	int err = ul_stack_create(&cfg);
	if (err)
		return err;
	boot_objects = ul_slab_objects_in_use();
	return 0;
}

void ul_test_assert_no_leaks(void)
{
	/* Let deferred frees (softirq completion queues, ksoftirqd) finish first. */
	ul_run_until_idle(10ULL * 1000 * 1000 * 1000);
	assert_int_equal(ul_slab_objects_in_use(), boot_objects);
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
