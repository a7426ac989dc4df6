/* SPDX-License-Identifier: MIT */
/* Unit-test helpers shared by tests/unit/test_*.c (cmocka).
 *
 * ul_test_boot() creates a stack and records the slab object count; ul_test_teardown()
 * checks that every object allocated since boot was freed (lwIP's leak check, STYLE.md),
 * then destroys the stack. Use them as cmocka setup/teardown. */
#ifndef ULNET_TEST_HARNESS_H
#define ULNET_TEST_HARNESS_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "ulnet/ulnet.h"

/* Boot a sim stack with @ncpus CPUs and @seed (cmocka setup helpers below use 2 CPUs). */
int ul_test_boot_with(enum ul_runtime rt, int ncpus, uint64_t seed);
/* Assert no object leaked since boot (slab objects in use back at the boot level). */
void ul_test_assert_no_leaks(void);
int ul_test_setup_sim(void **state);	/* sim, 2 CPUs, seed 1 */
int ul_test_setup_posix(void **state);	/* posix, 2 CPUs */
int ul_test_teardown(void **state);	/* leak check, then destroy */

/* Column @col (0: processed, 1: dropped, 2: time_squeeze, ...) of @cpu's line in
 * /proc/net/softnet_stat of the initial namespace. */
unsigned int ul_test_softnet_col(int cpu, int col);
/* The /proc/softirqs count of vector @name ("NET_RX") on @cpu. */
unsigned long ul_test_softirqs(const char *name, int cpu);

#endif
