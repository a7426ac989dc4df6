/* SPDX-License-Identifier: MIT */
/* Unit-test helpers: boot, leak check, teardown. */
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
