/* SPDX-License-Identifier: MIT */
/* The labs: experiments of the book run on a simulated stack (see labs/, docs/tracing.md).
 *
 * A lab boots its own stack, runs, prints what it saw to @out and tears the stack down. It
 * returns 0 when every check passed, 1 when a check failed (the failed check is named on
 * @out), or -errno when it could not run (a stack already exists: -EBUSY; a file could not be
 * written: the errno of the failure). */
#ifndef ULNET_LABS_H
#define ULNET_LABS_H
#include <stdint.h>
#include <stdio.h>
#include "ulnet.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ul_lab_opts {
	const char *pcap_path;	/* write the capture here (NULL: a temporary file, removed) */
	const char *trace_json;	/* write the Chrome trace-event JSON here (NULL: none) */
	const char *trace_text;	/* write the text trace here (NULL: only printed) */
	uint64_t seed;		/* RNG seed of the simulated run */
	int ncpus;		/* simulated CPUs, 1..64 (0: 2) */
	FILE *out;		/* report (NULL: stdout) */
	/* The lab framework's context (include/ulnet/lab.h) when run as `ulnet lab lo-frame`:
	 * checks are then recorded there (NULL: printed only, as `ulnet demo` does). */
	struct ul_lab_ctx *ctx;
};

/* `ulnet demo`: one Ethernet frame of ethertype 0x88B5 sent by a task on lo and received by
 * a protocol handler in NET_RX softirq on the same CPU (labs/lo_frame.c). */
UL_EXPORT int ul_lab_lo_frame(const struct ul_lab_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
