/* SPDX-License-Identifier: MIT */
/* CPU masks as the /proc and /sys files show and take them (smp_affinity, rps_cpus).
 * Mirrors linux/include/linux/cpumask.h and lib/bitmap.c: cpumask_scnprintf (bitmap_scnprintf)
 * and cpumask_parse (bitmap_parse).
 * DIVERGES: a mask is an unsigned long (at most 64 CPUs; NR_CPUS is below that). */
#ifndef _LINUX_CPUMASK_H
#define _LINUX_CPUMASK_H
#include <stddef.h>
#include "linux/percpu.h"

struct seq_file;

/* The online CPUs (0 .. nr_cpu_ids - 1) as a mask. */
static inline unsigned long cpu_online_mask_bits(void)
{
	return nr_cpu_ids >= 64 ? ~0UL : (1UL << nr_cpu_ids) - 1;
}
/* Print @mask in hex, nr_cpu_ids bits in 32-bit chunks separated by commas, no newline. */
void seq_cpumask(struct seq_file *m, unsigned long mask);
/* Parse a hex mask written by the user: 0 or -EINVAL. */
int cpumask_parse_hex(const char *buf, size_t len, unsigned long *maskp);

#endif
