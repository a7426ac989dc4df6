/* SPDX-License-Identifier: MIT */
/* IPv4 protocol numbers, socket-level IP options and struct sockaddr_in.
 * Mirrors linux/include/uapi/linux/in.h: IPPROTO_*, IP_* options, IP_PMTUDISC_*, INADDR_*.
 * DIVERGES: glibc's <netinet/in.h> already defines these with the kernel's values (and the
 * two cannot both be included), so this header includes it and only adds what glibc lacks. */
#ifndef _UAPI_LINUX_IN_H
#define _UAPI_LINUX_IN_H
#include <netinet/in.h>

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE		136
#endif
#ifndef IPPROTO_MAX
#define IPPROTO_MAX		256
#endif
#ifndef IP_MULTICAST_ALL
#define IP_MULTICAST_ALL	49
#endif
#ifndef IP_UNICAST_IF
#define IP_UNICAST_IF		50
#endif
/* IP_MTU_DISCOVER values (3.10 has these four). */
#ifndef IP_PMTUDISC_DONT
#define IP_PMTUDISC_DONT	0	/* never send DF frames */
#define IP_PMTUDISC_WANT	1	/* use per route hints */
#define IP_PMTUDISC_DO		2	/* always DF */
#define IP_PMTUDISC_PROBE	3	/* ignore dst pmtu */
#endif

#endif
