/* SPDX-License-Identifier: MIT */
/* The namespace's contribution to the socket hash functions, so that equal ports in two
 * namespaces land in different buckets of the shared tables.
 * Mirrors linux/include/net/netns/hash.h (3.10): net_hash_mix.
 * DIVERGES: Linux mixes in the struct net address (>> L1_CACHE_SHIFT); ulnet mixes the
 * namespace id, so bucket placement (and /proc/net/udp order) is the same on every run. */
#ifndef _NET_NETNS_HASH_H
#define _NET_NETNS_HASH_H
#include "net/net_namespace.h"

static inline unsigned int net_hash_mix(const struct net *net)
{
	return net->id * 0x9e3779b1u >> 8;
}

#endif
