/* SPDX-License-Identifier: MIT */
/* Private declarations shared by the FIB files (fib_trie.c, fib_semantics.c,
 * fib_frontend.c) and route.c.
 * Mirrors linux/net/ipv4/fib_lookup.h (3.10): struct fib_alias, FA_S_ACCESSED,
 * fib_alias_accessed, and the nexthop route-cache release helpers of route.c. */
#ifndef _NET_IPV4_FIB_LOOKUP_H
#define _NET_IPV4_FIB_LOOKUP_H
#include "linux/list.h"
#include "linux/types.h"
#include "net/ip_fib.h"

/* One route of a prefix: the prefix (key/plen) is the trie leaf's, the rest is here. */
struct fib_alias {
	struct hlist_node fa_list;	/* in the leaf: by plen (longest first), tos, priority */
	struct fib_info *fa_info;
	u8 fa_tos;
	u8 fa_type;			/* RTN_* */
	u8 fa_state;			/* FA_S_ACCESSED */
	u8 fa_slen;			/* 32 - plen: bits of the key that are host part */
};

#define FA_S_ACCESSED	0x01

static inline void fib_alias_accessed(struct fib_alias *fa)
{
	if (!(fa->fa_state & FA_S_ACCESSED))
		fa->fa_state |= FA_S_ACCESSED;
}

/* fib_trie.c: slab caches of leaves and aliases (boot/teardown). */
int fib_trie_init(void);
void fib_trie_fini(void);

/* fib_semantics.c: boot/teardown of the fib_info hashes. */
int fib_semantics_init(void);
void fib_semantics_fini(void);
/* Does @fi have the nexthop @cfg asks for (oif, gw, priority)? 0 yes, 1 no. */
int fib_nh_match(struct fib_config *cfg, struct fib_info *fi);

/* route.c: the rtables a nexthop caches die with it. */
void rt_nexthop_cache_free(struct fib_nh *nh);
/* route.c: DST_NOCACHE routes through @dev let go of it (device unregister). */
void rt_flush_dev(struct net_device *dev);

/* fib_frontend.c: remove routes of @dev (down/unregister), flush caches and neighbours. */
void fib_disable_ip(struct net_device *dev, int force);

#endif
