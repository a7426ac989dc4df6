/* SPDX-License-Identifier: MIT */
/* Neighbour tables: the link-layer address of each on-link IP neighbour and its reachability
 * state machine (NUD, RFC 4861 7.3 as Linux applies it to ARP too).
 * Mirrors linux/include/net/neighbour.h (3.10): struct neighbour, neigh_parms, neigh_ops,
 * neigh_table, neigh_statistics, NUD_*, NEIGH_UPDATE_F_*, and net/core/neighbour.c's API.
 *
 * States: NONE -(packet)-> INCOMPLETE -(reply)-> REACHABLE -(reachable_time)-> STALE
 * -(packet)-> DELAY -(delay_first_probe_time)-> PROBE -(reply)-> REACHABLE; INCOMPLETE or
 * PROBE with probes >= neigh_max_probes -> FAILED (queued packets dropped, res_failed++).
 * NOARP and PERMANENT never change by themselves.
 *
 * DIVERGES: Linux 3.10 keeps one hash per table with the entries of every namespace, and one
 * set of gc thresholds. ulnet keeps the table's ops and defaults in struct neigh_table
 * (arp_tbl) and its entries, counters, gc state and default parms per namespace (struct
 * neigh_table_net, found with neigh_tbl_net()), so that namespaces are fully separate
 * (net.ipv4.neigh.default.* exists in each namespace). No proxy ARP queue.
 *
 * The link header is cached in the entry (struct hh_cache hh) by the first neigh_resolve_output
 * on a device whose header_ops has cache (Ethernet: eth_header_cache); while the entry is
 * NUD_CONNECTED, ip_finish_output2 copies it in front of the packet (neigh_hh_output) instead
 * of calling n->output. neigh_update rewrites it when the address changes (neigh_update_hhs).
 *
 * Locking: tbl_net->lock guards a namespace's hash; neigh->lock guards an entry's state,
 * address and arp_queue. Entries are refcounted (neigh_hold/neigh_release); the hash holds
 * one reference, a pending timer holds one. Context: process or softirq. */
#ifndef _NET_NEIGHBOUR_H
#define _NET_NEIGHBOUR_H
#include "linux/atomic.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/list.h"
#include "linux/percpu.h"
#include "linux/netdevice.h"
#include "linux/skbuff.h"
#include "linux/spinlock.h"
#include "linux/timer.h"
#include "net/net_namespace.h"
#include "trace/path.h"

/* NUD states (linux/neighbour.h, uapi). */
#define NUD_INCOMPLETE	0x01
#define NUD_REACHABLE	0x02
#define NUD_STALE	0x04
#define NUD_DELAY	0x08
#define NUD_PROBE	0x10
#define NUD_FAILED	0x20
#define NUD_NOARP	0x40	/* pseudo state: no resolution needed */
#define NUD_PERMANENT	0x80	/* static entry (ip neigh add ... permanent) */
#define NUD_NONE	0x00

#define NUD_IN_TIMER	(NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE)
#define NUD_VALID	(NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | \
			 NUD_DELAY)
#define NUD_CONNECTED	(NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE)

/* ndm_flags */
#define NTF_USE		0x01
#define NTF_PROXY	0x08
#define NTF_ROUTER	0x80

/* neigh_update flags */
#define NEIGH_UPDATE_F_OVERRIDE			0x00000001
#define NEIGH_UPDATE_F_WEAK_OVERRIDE		0x00000002
#define NEIGH_UPDATE_F_OVERRIDE_ISROUTER	0x00000004
#define NEIGH_UPDATE_F_ISROUTER			0x40000000
#define NEIGH_UPDATE_F_ADMIN			0x80000000

struct neighbour;
struct neigh_table;

/* Per-device (and per-namespace default) parameters: net.ipv4.neigh.{default,DEV}.*.
 * Times are in jiffies. */
struct neigh_parms {
	struct net *net;
	struct net_device *dev;		/* NULL for the namespace default */
	struct neigh_parms *next;	/* on the table-namespace's parms list */
	struct neigh_table *tbl;
	atomic_t refcnt;
	bool dead;

	int base_reachable_time;	/* 30 s */
	int retrans_time;		/* 1 s */
	int gc_staletime;		/* 60 s */
	int reachable_time;		/* random in [base/2, 3*base/2) */
	int delay_probe_time;		/* delay_first_probe_time, 5 s */

	int queue_len_bytes;		/* unres_qlen_bytes, 65536 */
	int ucast_probes;		/* 3 */
	int app_probes;			/* 0 */
	int mcast_probes;		/* 3 */
	int anycast_delay;		/* 1 s */
	int proxy_delay;		/* 0.8 s */
	int proxy_qlen;			/* 64 */
	int locktime;			/* 1 s */

	char sysctl_path[64];		/* "net/ipv4/neigh/eth0" when registered, else "" */
};

/* /proc/net/stat/arp_cache columns. */
struct neigh_statistics {
	unsigned long allocs;		/* entries allocated */
	unsigned long destroys;		/* entries destroyed */
	unsigned long hash_grows;
	unsigned long res_failed;	/* resolutions that failed (entry went FAILED) */
	unsigned long lookups;
	unsigned long hits;
	unsigned long rcv_probes_mcast;	/* broadcast ARP requests for us */
	unsigned long rcv_probes_ucast;	/* unicast ARP requests for us */
	unsigned long periodic_gc_runs;
	unsigned long forced_gc_runs;
	unsigned long unres_discards;	/* packets dropped from a full arp_queue */
};
#define NEIGH_CACHE_STAT_INC(tn, field) ((tn)->stats[smp_processor_id()].field++)

struct neighbour {
	struct neighbour *next;		/* hash chain */
	struct neigh_table *tbl;
	struct neigh_parms *parms;	/* the device's (in_dev->arp_parms), referenced */
	unsigned long confirmed;	/* jiffies of the last reachability confirmation */
	unsigned long updated;		/* jiffies of the last state change */
	rwlock_t lock;
	atomic_t refcnt;
	struct sk_buff_head arp_queue;	/* packets waiting for resolution */
	unsigned int arp_queue_len_bytes; /* their truesize, bounded by queue_len_bytes */
	struct timer_list timer;
	unsigned long used;		/* jiffies of the last use (neigh_event_send) */
	atomic_t probes;		/* solicitations sent in this INCOMPLETE/PROBE round */
	__u8 flags;			/* NTF_* */
	__u8 nud_state;
	__u8 type;			/* RTN_* of the key (unicast, broadcast, multicast) */
	__u8 dead;			/* unlinked from the hash */
	unsigned char ha[ALIGN(MAX_ADDR_LEN, sizeof(unsigned long))];
	/* The current transmit function: ops->output (resolve first) or ops->connected_output. */
	int (*output)(struct neighbour *n, struct sk_buff *skb);
	const struct neigh_ops *ops;
	struct net_device *dev;
	struct hh_cache hh;		/* the prebuilt link header (hh_len 0: none yet) */
	u8 primary_key[4];		/* the IPv4 address (tbl->key_len bytes) */
};

struct neigh_ops {
	int family;
	/* Send a solicitation (ARP request) for @neigh; @skb is a copy of the first queued
	 * packet or NULL. Does not consume it. Context: softirq (timer) or the sender. */
	void (*solicit)(struct neighbour *neigh, struct sk_buff *skb);
	/* A queued packet could not be resolved: report (ICMP host unreachable) and free it. */
	void (*error_report)(struct neighbour *neigh, struct sk_buff *skb);
	int (*output)(struct neighbour *neigh, struct sk_buff *skb);
	int (*connected_output)(struct neighbour *neigh, struct sk_buff *skb);
};

/* A namespace's part of a table (see DIVERGES above). */
struct neigh_table_net {
	struct net *net;
	struct neigh_table *tbl;
	struct neighbour **hash_buckets;
	unsigned int hash_shift;	/* 1 << hash_shift buckets; grows with entries */
	u32 hash_rnd;
	atomic_t entries;
	spinlock_t lock;
	int gc_interval;		/* 30 s (reported; the periodic gc runs every
					 * base_reachable_time/2, as 3.10) */
	int gc_thresh1, gc_thresh2, gc_thresh3;	/* 128, 512, 1024 */
	unsigned long last_flush;	/* jiffies of the last forced gc */
	unsigned long last_rand;	/* jiffies of the last reachable_time re-randomisation */
	struct timer_list gc_timer;	/* neigh_periodic_work */
	struct neigh_parms parms;	/* net.ipv4.neigh.default */
	struct neigh_statistics stats[NR_CPUS];	/* per CPU, as Linux */
};

struct neigh_table {
	struct neigh_table *next;
	int family;
	int entry_size;
	int key_len;
	__u32 (*hash)(const void *pkey, const struct net_device *dev, __u32 hash_rnd);
	/* Set up a new entry (ops, state, parms). 0 or -errno. */
	int (*constructor)(struct neighbour *n);
	const char *id;			/* "arp_cache": the /proc/net/stat name */
	struct neigh_parms parms;	/* the defaults each namespace starts from */
	int gc_interval;
	int gc_thresh1, gc_thresh2, gc_thresh3;
	int index;			/* NEIGH_ARP_TABLE */
};

#define NEIGH_ARP_TABLE	0
#define NEIGH_NR_TABLES	2

/* ---- table setup (neigh_table_init at boot, neigh_table_clear at teardown) ---- */
void neigh_table_init(struct neigh_table *tbl);
int neigh_table_clear(struct neigh_table *tbl);
/* @net's part of @tbl (NULL before neigh_table_init or for a dying namespace). */
struct neigh_table_net *neigh_tbl_net(struct neigh_table *tbl, struct net *net);

/* ---- lookup and creation ---- */
/* Referenced entry for (@pkey, @dev) or NULL. Counts lookups/hits. */
struct neighbour *neigh_lookup(struct neigh_table *tbl, const void *pkey, struct net_device *dev);
/* Unreferenced lookup (caller in softirq or under rcu_read_lock_bh, as ip_finish_output2). */
struct neighbour *__neigh_lookup_noref(struct neigh_table *tbl, const void *pkey,
				       struct net_device *dev);
/* Create (or return the existing) entry, referenced; @want_ref false: the caller does not
 * keep the reference (it is dropped before returning, the hash still holds one).
 * ERR_PTR(-ENOBUFS) when gc_thresh3 is reached and nothing could be reclaimed, -EINVAL when
 * the device has no IPv4 (constructor error), -ENOMEM. */
struct neighbour *__neigh_create(struct neigh_table *tbl, const void *pkey,
				 struct net_device *dev, bool want_ref);
static inline struct neighbour *neigh_create(struct neigh_table *tbl, const void *pkey,
					     struct net_device *dev)
{
	return __neigh_create(tbl, pkey, dev, true);
}
/* Lookup, creating when @creat; NULL on failure. Referenced. */
struct neighbour *__neigh_lookup(struct neigh_table *tbl, const void *pkey,
				 struct net_device *dev, int creat);
/* The sender of a request for us is alive: create/update its entry STALE with @lladdr. */
struct neighbour *neigh_event_ns(struct neigh_table *tbl, u8 *lladdr, void *saddr,
				 struct net_device *dev);

void neigh_destroy(struct neighbour *neigh);
static inline void neigh_release(struct neighbour *neigh)
{
	if (atomic_dec_and_test(&neigh->refcnt))
		neigh_destroy(neigh);
}
static inline struct neighbour *neigh_clone(struct neighbour *neigh)
{
	if (neigh)
		atomic_inc(&neigh->refcnt);
	return neigh;
}
#define neigh_hold(n) atomic_inc(&(n)->refcnt)

/* ---- state machine ---- */
/* Move @neigh to @new with link address @lladdr (NULL: keep). 0, -EPERM (NOARP/PERMANENT
 * without NEIGH_UPDATE_F_ADMIN) or -EINVAL (no address known). Sends the queued packets
 * when the entry becomes valid. Context: any (takes neigh->lock). */
int neigh_update(struct neighbour *neigh, const u8 *lladdr, u8 new, u32 flags);
/* Start resolution if needed. Returns 0 when @skb may be sent now, 1 when it was queued (or
 * dropped: FAILED/ no probes configured). Consumes @skb when it returns 1. */
int __neigh_event_send(struct neighbour *neigh, struct sk_buff *skb);
static inline int neigh_event_send(struct neighbour *neigh, struct sk_buff *skb)
{
	unsigned long now = jiffies;

	if (neigh->used != now)
		neigh->used = now;
	if (!(neigh->nud_state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE)))
		return __neigh_event_send(neigh, skb);
	return 0;
}
/* Confirm reachability from upper layers (TCP ACKs: dst_confirm). */
static inline void neigh_confirm(struct neighbour *neigh)
{
	if (neigh)
		neigh->confirmed = jiffies;
}
/* ucast+app+mcast probes, or ucast only in PROBE. */
int neigh_max_probes(const struct neighbour *n);
/* base/2 + random % base (0 for base 0). */
unsigned long neigh_rand_reach_time(unsigned long base);

/* ---- output (neigh->output) ---- */
/* Resolve, then build the link header and dev_queue_xmit. Consumes @skb. */
int neigh_resolve_output(struct neighbour *neigh, struct sk_buff *skb);
/* The address is known: build the link header and dev_queue_xmit. Consumes @skb. */
int neigh_connected_output(struct neighbour *neigh, struct sk_buff *skb);
/* No link header to build (devices without header_ops). Consumes @skb. */
int neigh_direct_output(struct neighbour *neigh, struct sk_buff *skb);
/* ip_finish_output2's call. Consumes @skb. */
static inline int neigh_output(struct neighbour *n, struct sk_buff *skb)
{
	return n->output(n, skb);
}
/* Copy the cached link header in front of skb->data (the whole HH_DATA_MOD block: the caller
 * guarantees LL_RESERVED_SPACE headroom) and send. Consumes @skb. Context: softirq or BH
 * disabled. */
static inline int neigh_hh_output(const struct hh_cache *hh, struct sk_buff *skb)
{
	unsigned int seq, hh_len, guard = 0;

	UL_TRACE(skb);
	do {
		seq = read_seqbegin(&hh->hh_lock);
		hh_len = hh->hh_len;
		if (likely(hh_len <= HH_DATA_MOD)) {
			/* this is inlined by gcc */
			memcpy(skb->data - HH_DATA_MOD, hh->hh_data, HH_DATA_MOD);
		} else {
			unsigned int hh_alen = HH_DATA_ALIGN(hh_len);

			memcpy(skb->data - hh_alen, hh->hh_data, hh_alen);
		}
	} while (read_seqretry(&hh->hh_lock, seq) && ++guard < 1000000);
	skb_push(skb, hh_len);
	return dev_queue_xmit(skb);
}

/* ---- administration ---- */
/* Device going down/away: free its entries (NOARP/PERMANENT ones too), drop queued packets. */
int neigh_ifdown(struct neigh_table *tbl, struct net_device *dev);
/* Carrier/address change: entries of @dev (all devices if NULL) become FAILED/ suspect. */
void neigh_changeaddr(struct neigh_table *tbl, struct net_device *dev);
/* ip neigh add/replace: create or update to @state with @lladdr (NEIGH_UPDATE_F_ADMIN).
 * @replace false and the entry exists: -EEXIST. */
int neigh_add(struct net *net, struct neigh_table *tbl, const void *pkey,
	      struct net_device *dev, const u8 *lladdr, u8 state, bool replace);
/* ip neigh del: the entry becomes FAILED and is unlinked. -ENOENT if none. */
int neigh_delete(struct net *net, struct neigh_table *tbl, const void *pkey,
		 struct net_device *dev);
/* ip neigh flush [dev DEV]: remove non-PERMANENT, non-NOARP entries (of @dev if given);
 * returns how many went. */
int neigh_flush(struct net *net, struct neigh_table *tbl, struct net_device *dev);
/* Walk @net's entries in hash order; @cb returns non-zero to stop. */
void neigh_for_each(struct neigh_table *tbl, struct net *net,
		    int (*cb)(struct neighbour *n, void *arg), void *arg);
/* Sum of the per-CPU counters of @net's part of @tbl (zeros if none). */
void neigh_stats_sum(struct neigh_table *tbl, struct net *net, struct neigh_statistics *sum);
/* Number of entries of @net in @tbl. */
int neigh_entries(struct neigh_table *tbl, struct net *net);
/* Run the forced gc now (as neigh_alloc does at gc_thresh2/3); returns entries freed. */
int neigh_forced_gc(struct neigh_table *tbl, struct net *net);

/* ---- per-device parameters ---- */
/* A copy of the namespace defaults for @dev (inetdev_init: in_dev->arp_parms). NULL on
 * ENOMEM. */
struct neigh_parms *neigh_parms_alloc(struct net_device *dev, struct neigh_table *tbl);
/* The device is going away: unlink @parms (freed when the last entry lets go). */
void neigh_parms_release(struct neigh_table *tbl, struct neigh_parms *parms);
static inline struct neigh_parms *neigh_parms_clone(struct neigh_parms *parms)
{
	atomic_inc(&parms->refcnt);
	return parms;
}
void neigh_parms_put(struct neigh_parms *parms);
/* net.ipv4.neigh.DEV.* (or .default when @dev is NULL and @p the namespace default).
 * 0 or -errno. neigh_sysctl_unregister is safe on unregistered parms. */
int neigh_sysctl_register(struct net_device *dev, struct neigh_parms *p, char *p_name);
void neigh_sysctl_unregister(struct neigh_parms *p);

/* ---- state names ("REACHABLE", ...), as iproute2 prints them ---- */
const char *neigh_state_name(u8 nud_state);

#endif
