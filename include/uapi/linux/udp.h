/* SPDX-License-Identifier: MIT */
/* The UDP header on the wire and UDP socket options.
 * Mirrors linux/include/uapi/linux/udp.h: struct udphdr, UDP_CORK, UDP_ENCAP. */
#ifndef _UAPI_LINUX_UDP_H
#define _UAPI_LINUX_UDP_H
#include "linux/types.h"

/* (glibc's <netinet/udp.h> has its own struct udphdr: do not include both.) */
struct udphdr {
	__be16 source;
	__be16 dest;
	__be16 len;
	__sum16 check;
};

/* UDP socket options */
#define UDP_CORK	1	/* Never send partially complete segments */
#define UDP_ENCAP	100	/* Set the socket to accept encapsulated packets */

/* UDP encapsulation types */
#define UDP_ENCAP_ESPINUDP_NON_IKE	1
#define UDP_ENCAP_ESPINUDP		2
#define UDP_ENCAP_L2TPINUDP		3

#endif
