/* SPDX-License-Identifier: MIT */
/* The built-in ping program's state, shared by ul_ping and the scenario program registry.
 * Mirrors no kernel file (iputils ping). */
#ifndef _LAB_PING_PROG_H
#define _LAB_PING_PROG_H
#include <netinet/in.h>
#include <stdio.h>
#include "linux/types.h"

struct ping_prog {
	struct sockaddr_in addr;	/* DEST */
	char dest[16];			/* DEST as given (an IPv4 address) */
	unsigned long count;		/* -c; 0: until signalled */
	u64 interval_ns;		/* -i, default 1 s */
	u64 linger_ns;			/* -W, default 10 s */
	size_t size;			/* -s, default 56 */
	FILE *out;			/* where the output goes (stdout for scenarios) */
	unsigned char *buf;		/* while running */
	int result;			/* 0, ETIMEDOUT (no reply) or the setup errno */
};

/* Parse `ping [-c N] [-i S] [-s SIZE] [-W S] DEST` (argv[0] = "ping"): 0, or -EINVAL with
 * iputils' message in @msg. */
int ping_prog_parse(int argc, char **argv, struct ping_prog *p, const char **msg);
/* The program (inside a task): 0 when a reply came back, ETIMEDOUT when none did, or the
 * errno that stopped it before sending (ENETUNREACH: no route). */
int ping_prog_run(struct ping_prog *p);

#endif
