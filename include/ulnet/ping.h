/* SPDX-License-Identifier: MIT */
/* The built-in ping: iputils' ping(8) over a ulnet ping socket (SOCK_DGRAM/IPPROTO_ICMP).
 * Mirrors no kernel file (iputils ping's options and output). See docs/ip.md "ping". */
#ifndef _ULNET_PING_H
#define _ULNET_PING_H
#include <stdio.h>
#include "ulnet/ulnet.h"

/* Run `ping [-c N] [-i INTERVAL] [-s SIZE] [-W TIMEOUT] DEST` (argv[0] = "ping") as a task
 * in namespace @netns (NULL: init_net), printing what iputils prints to @out, and wait for
 * it. Returns iputils' exit status: 0 when a reply came back, 1 when none did, 2 on a usage
 * or setup error (the message is printed to @out). Without -c it runs until the task is
 * signalled. Not from inside a task. */
UL_EXPORT int ul_ping(const char *netns, int argc, char **argv, FILE *out);

#endif
