/* SPDX-License-Identifier: MIT */
/* Connection tracking: every IPv4 flow (TCP, UDP, ICMP echo) as a pair of tuples, one per
 * direction, in a per-namespace hash, with a timeout refreshed by its packets; the state
 * (NEW, ESTABLISHED, RELATED, INVALID) iptables' state match reads, and the table NAT
 * builds on.
 * Mirrors linux/include/net/netfilter/nf_conntrack.h, nf_conntrack_tuple.h,
 * uapi/linux/netfilter/nf_conntrack_common.h and nf_conntrack_tcp.h (3.10): struct
 * nf_conntrack_tuple, struct nf_conntrack_tuple_hash, struct nf_conn, enum
 * ip_conntrack_info, IPS_* status bits, enum tcp_conntrack, nf_ct_get,
 * nf_conntrack_find_get, nf_ct_tuplehash_to_ctrack, nf_ct_invert_tuple, nf_ct_kill;
 * struct ip_ct_tcp / ip_ct_tcp_state (TCP window tracking).
 *
 * DIVERGES: IPv4 only; no expectations or helpers (FTP...), no zones, no events, no
 * accounting (3.10's default nf_conntrack_acct=0 shows none either); fragments are tracked
 * without the defrag hook (ulnet reassembles at LOCAL_IN).
 *
 * Locking: nf_conntrack_lock guards the hash (process and softirq: spin_lock_bh); entries
 * are reference-counted (ct_general.use: the hash holds one while confirmed and its timer
 * pending, each skb holds one through skb->nfct). */
#ifndef _NET_NETFILTER_NF_CONNTRACK_H
#define _NET_NETFILTER_NF_CONNTRACK_H
#include "linux/list.h"
#include "linux/netfilter.h"
#include "linux/skbuff.h"
#include "linux/timer.h"
#include "linux/types.h"

struct net;

enum ip_conntrack_info {
	IP_CT_ESTABLISHED,		/* part of a connection that saw packets both ways */
	IP_CT_RELATED,			/* related to one (an ICMP error about it) */
	IP_CT_NEW,			/* starts a new connection */
	IP_CT_IS_REPLY,			/* >= this: the reply direction */
	IP_CT_ESTABLISHED_REPLY = IP_CT_ESTABLISHED + IP_CT_IS_REPLY,
	IP_CT_RELATED_REPLY = IP_CT_RELATED + IP_CT_IS_REPLY,
	IP_CT_NUMBER = IP_CT_IS_REPLY * 2 - 1
};

enum ip_conntrack_dir {
	IP_CT_DIR_ORIGINAL,
	IP_CT_DIR_REPLY,
	IP_CT_DIR_MAX
};

/* nf_conn.status bits */
enum ip_conntrack_status {
	IPS_EXPECTED_BIT = 0,
	IPS_SEEN_REPLY_BIT = 1,
	IPS_ASSURED_BIT = 2,
	IPS_CONFIRMED_BIT = 3,
	IPS_SRC_NAT_BIT = 4,
	IPS_DST_NAT_BIT = 5,
	IPS_SEQ_ADJUST_BIT = 6,
	IPS_SRC_NAT_DONE_BIT = 7,
	IPS_DST_NAT_DONE_BIT = 8,
	IPS_DYING_BIT = 9,
};
#define IPS_SEEN_REPLY (1 << IPS_SEEN_REPLY_BIT)
#define IPS_ASSURED (1 << IPS_ASSURED_BIT)
#define IPS_CONFIRMED (1 << IPS_CONFIRMED_BIT)
#define IPS_SRC_NAT (1 << IPS_SRC_NAT_BIT)
#define IPS_DST_NAT (1 << IPS_DST_NAT_BIT)
#define IPS_NAT_MASK (IPS_DST_NAT | IPS_SRC_NAT)
#define IPS_SRC_NAT_DONE (1 << IPS_SRC_NAT_DONE_BIT)
#define IPS_DST_NAT_DONE (1 << IPS_DST_NAT_DONE_BIT)
#define IPS_NAT_DONE_MASK (IPS_DST_NAT_DONE | IPS_SRC_NAT_DONE)
#define IPS_DYING (1 << IPS_DYING_BIT)

/* TCP states (nf_conntrack_tcp.h), the names conntrack -L prints. */
enum tcp_conntrack {
	TCP_CONNTRACK_NONE,
	TCP_CONNTRACK_SYN_SENT,
	TCP_CONNTRACK_SYN_RECV,
	TCP_CONNTRACK_ESTABLISHED,
	TCP_CONNTRACK_FIN_WAIT,
	TCP_CONNTRACK_CLOSE_WAIT,
	TCP_CONNTRACK_LAST_ACK,
	TCP_CONNTRACK_TIME_WAIT,
	TCP_CONNTRACK_CLOSE,
	TCP_CONNTRACK_LISTEN,	/* obsolete */
#define TCP_CONNTRACK_SYN_SENT2 TCP_CONNTRACK_LISTEN	/* simultaneous open */
	TCP_CONNTRACK_MAX,
	TCP_CONNTRACK_IGNORE,
	TCP_CONNTRACK_RETRANS,
	TCP_CONNTRACK_UNACK,
	TCP_CONNTRACK_TIMEOUT_MAX
};

/* The manipulable part (source) and the rest (destination) of a flow, 3.10's layout:
 * for TCP/UDP the ports, for ICMP the echo id (src) and type/code (dst). Network order. */
/* Window tracking of one direction (nf_conntrack_tcp.h ip_ct_tcp_state): what its
 * sender sent and the receiver allowed, in sequence space. */
struct ip_ct_tcp_state {
	u_int32_t td_end;		/* max of seq + len */
	u_int32_t td_maxend;		/* max of ack + max(win, 1) */
	u_int32_t td_maxwin;		/* max(win) */
	u_int32_t td_maxack;		/* max of ack */
	u_int8_t td_scale;		/* window scale factor */
	u_int8_t flags;			/* IP_CT_TCP_FLAG_* */
};
#define IP_CT_TCP_FLAG_WINDOW_SCALE		0x01	/* the SYN had wscale */
#define IP_CT_TCP_FLAG_SACK_PERM		0x02	/* the SYN had SACK-permitted */
#define IP_CT_TCP_FLAG_CLOSE_INIT		0x04	/* this side sent the first FIN */
#define IP_CT_TCP_FLAG_BE_LIBERAL		0x08	/* picked up mid-stream: no window check */
#define IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED	0x10	/* data in flight */
#define IP_CT_TCP_FLAG_MAXACK_SET		0x20	/* td_maxack valid */

/* A TCP connection's tracking state (ip_ct_tcp). */
struct ip_ct_tcp {
	struct ip_ct_tcp_state seen[2];	/* per direction (IP_CT_DIR_*) */
	u_int8_t state;			/* enum tcp_conntrack */
	u_int8_t last_dir;		/* direction of the last packet */
	u_int8_t retrans;		/* identical ACKs seen in a row */
	u_int8_t last_index;		/* flags class of the last packet (TCP_*_SET) */
	u_int32_t last_seq;		/* the last packet's seq */
	u_int32_t last_ack;		/* ... ack */
	u_int32_t last_end;		/* ... seq + len */
	u_int16_t last_win;		/* ... window */
	u_int8_t last_wscale;		/* an ignored SYN's wscale */
	u_int8_t last_flags;		/* ... and options */
};

union nf_conntrack_man_proto {
	__be16 all;
	struct { __be16 port; } tcp;
	struct { __be16 port; } udp;
	struct { __be16 id; } icmp;
};

struct nf_conntrack_man {
	__be32 ip;				/* u3.ip */
	union nf_conntrack_man_proto u;
	u_int16_t l3num;			/* AF_INET */
};

struct nf_conntrack_tuple {
	struct nf_conntrack_man src;
	struct {
		__be32 ip;
		union {
			__be16 all;
			struct { __be16 port; } tcp;
			struct { __be16 port; } udp;
			struct { u_int8_t type, code; } icmp;
		} u;
		u_int8_t protonum;
		u_int8_t dir;			/* IP_CT_DIR_* (not part of the key) */
	} dst;
};

struct nf_conntrack_tuple_hash {
	struct hlist_node hnnode;
	struct nf_conntrack_tuple tuple;
};

struct nf_conn {
	struct nf_conntrack ct_general;		/* first: skb->nfct points here */
	spinlock_t lock;
	struct nf_conntrack_tuple_hash tuplehash[IP_CT_DIR_MAX];
	unsigned long status;			/* IPS_* */
	struct timer_list timeout;
	unsigned long timeout_expires;		/* jiffies the timer is due */
	struct net *ct_net;
	u_int32_t mark;
	union {
		struct ip_ct_tcp tcp;
	} proto;
	struct list_head unconfirmed;		/* while not yet in the hash */
	/* NAT's bysource hash (3.10 nf_conn_nat.bysource): connections by original source,
	 * so that a source keeps its mapping; unhashed when the entry is destroyed. */
	struct hlist_node nat_bysource;
};

static inline struct nf_conn *nf_ct_tuplehash_to_ctrack(const struct nf_conntrack_tuple_hash *h)
{
	return container_of(h, struct nf_conn, tuplehash[h->tuple.dst.dir]);
}

/* The conntrack of @skb and its ctinfo, or NULL (untracked or INVALID). */
static inline struct nf_conn *nf_ct_get(const struct sk_buff *skb, enum ip_conntrack_info *ctinfo)
{
	*ctinfo = (enum ip_conntrack_info)skb->nfctinfo;
	return (struct nf_conn *)skb->nfct;
}

static inline bool nf_ct_is_confirmed(const struct nf_conn *ct)
{
	return ct->status & IPS_CONFIRMED;
}

static inline u_int8_t nf_ct_protonum(const struct nf_conn *ct)
{
	return ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.protonum;
}

static inline bool nf_ct_tuple_equal(const struct nf_conntrack_tuple *a,
				     const struct nf_conntrack_tuple *b)
{
	return a->src.ip == b->src.ip && a->src.u.all == b->src.u.all &&
	       a->src.l3num == b->src.l3num && a->dst.ip == b->dst.ip &&
	       a->dst.u.all == b->dst.u.all && a->dst.protonum == b->dst.protonum;
}

/* The per-CPU statistics of 3.10 (conntrack -S), one set per namespace here. */
struct ip_conntrack_stat {
	unsigned int searched, found, new, invalid, ignore, delete, insert, insert_failed, drop,
		     early_drop, error;
};

/* Guards every namespace's hash, unconfirmed list and NAT bysource hash (BH-safe). */
extern spinlock_t nf_conntrack_lock;

/* Global settings (sysctl net.netfilter.*; 3.10 defaults for a machine with over 1 GiB). */
extern unsigned int nf_conntrack_htable_size;	/* 16384 */
extern unsigned int nf_conntrack_max;		/* 65536 */

/* Per-namespace state (3.10 struct netns_ct). */
struct netns_ct {
	atomic_t count;
	struct hlist_head *hash;
	unsigned int htable_size;
	struct list_head unconfirmed;
	struct ip_conntrack_stat stat;
	struct hlist_head *nat_bysource;	/* NAT_BYSOURCE_BUCKETS, allocated by NAT */
};
struct netns_ct *nf_ct_pernet(const struct net *net);

/* The L4 tracker of a protocol (nf_conntrack_l4proto). */
struct nf_conntrack_l4proto {
	u_int8_t l4proto;
	const char *name;
	/* Fill the tuple's L4 part from the header at @dataoff; false if truncated. */
	bool (*pkt_to_tuple)(const struct sk_buff *skb, unsigned int dataoff,
			     struct nf_conntrack_tuple *tuple);
	bool (*invert_tuple)(struct nf_conntrack_tuple *inverse,
			     const struct nf_conntrack_tuple *orig);
	/* A packet of @ct: update the state and timeout; NF_ACCEPT, or -NF_ACCEPT /
	 * -NF_DROP for an invalid one (3.10 convention: negative means "not tracked"),
	 * -NF_REPEAT when @ct was killed and the packet must be looked up again (a SYN
	 * reopening a closed TCP connection). */
	int (*packet)(struct nf_conn *ct, const struct sk_buff *skb, unsigned int dataoff,
		      enum ip_conntrack_info ctinfo);
	/* May @skb open a new connection? */
	bool (*new)(struct nf_conn *ct, const struct sk_buff *skb, unsigned int dataoff);
	/* ICMP errors: find the connection the error is about (RELATED). */
	int (*error)(struct net *net, struct sk_buff *skb, unsigned int dataoff,
		     enum ip_conntrack_info *ctinfo, unsigned int hooknum);
	/* conntrack -L: the state word ("ESTABLISHED "), or nothing. */
	void (*print_conntrack)(char *buf, size_t len, const struct nf_conn *ct);
};
extern const struct nf_conntrack_l4proto nf_conntrack_l4proto_tcp4;
extern const struct nf_conntrack_l4proto nf_conntrack_l4proto_udp4;
extern const struct nf_conntrack_l4proto nf_conntrack_l4proto_icmp;
extern const struct nf_conntrack_l4proto nf_conntrack_l4proto_generic;
const struct nf_conntrack_l4proto *__nf_ct_l4proto_find(u_int8_t l4proto);

/* Arm or refresh @ct's timeout to @extra_jiffies from now. */
void nf_ct_refresh_acct(struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			const struct sk_buff *skb, unsigned long extra_jiffies);
/* Kill @ct now (RST, conntrack -F). */
bool nf_ct_kill(struct nf_conn *ct);

/* The NF_INET_PRE_ROUTING / LOCAL_OUT work: attach a conntrack to @skb. */
unsigned int nf_conntrack_in(struct net *net, u_int8_t pf, unsigned int hooknum,
			     struct sk_buff *skb);
/* LOCAL_IN / POST_ROUTING: put a new connection in the hash. */
int __nf_conntrack_confirm(struct sk_buff *skb);

bool nf_ct_get_tuple(const struct sk_buff *skb, unsigned int nhoff, unsigned int dataoff,
		     u_int8_t protonum, struct nf_conntrack_tuple *tuple,
		     const struct nf_conntrack_l4proto *l4proto);
bool nf_ct_invert_tuple(struct nf_conntrack_tuple *inverse,
			const struct nf_conntrack_tuple *orig,
			const struct nf_conntrack_l4proto *l4proto);
/* A held reference to the entry with @tuple in @net, or NULL. */
struct nf_conntrack_tuple_hash *nf_conntrack_find_get(struct net *net,
						      const struct nf_conntrack_tuple *tuple);
/* Is @tuple used by a connection other than @ignored (NAT's unique-tuple check)? */
int nf_conntrack_tuple_taken(const struct nf_conntrack_tuple *tuple,
			     const struct nf_conn *ignored);
static inline void nf_ct_put(struct nf_conn *ct)
{
	nf_conntrack_put(&ct->ct_general);
}

/* For the state match: XT_STATE bit of @skb (INVALID when untracked). */
unsigned int nf_ct_state_bit(const struct sk_buff *skb);
/* Call @fn for each entry of @net (conntrack -L). Context: process. */
void nf_ct_iterate(struct net *net, void (*fn)(struct nf_conn *ct, void *arg), void *arg);
/* Flush @net's table (conntrack -F). */
void nf_conntrack_flush(struct net *net);
/* Seconds left before @ct expires. */
long nf_ct_expires_secs(const struct nf_conn *ct);

/* nf_nat_core.c: take @ct out of @nct's bysource hash (destroy), and forget the whole
 * hash (namespace exit). Context: nf_conntrack_lock held. */
void nf_nat_cleanup_conntrack(struct nf_conn *ct);
void nf_nat_net_exit(struct netns_ct *nct);
/* nf_conntrack_core.c calls them through these, set by nf_nat_init. */
extern void (*nf_nat_cleanup_conntrack_hook)(struct nf_conn *ct);
extern void (*nf_nat_net_exit_hook)(struct netns_ct *nct);

/* Boot (net/core/boot.c). */
int nf_conntrack_init(void);
void nf_conntrack_fini_hooks(void);	/* before inet_fini */
void nf_conntrack_fini(void);		/* after the namespaces */

#endif
