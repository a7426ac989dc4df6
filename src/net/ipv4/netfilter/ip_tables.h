/* SPDX-License-Identifier: MIT */
/* IPv4 packet filter tables: chains of rules that iptables(8) edits and the netfilter hooks
 * walk.
 * Mirrors linux/include/linux/netfilter_ipv4/ip_tables.h and uapi ip_tables.h (3.10):
 * struct ipt_ip (the built-in match), struct ipt_entry with its counters, the standard
 * verdicts and XT_RETURN, ipt_do_table; and x_tables' xt_table.
 *
 * DIVERGES: Linux keeps a table as one blob of entries that iptables replaces whole
 * (IPT_SO_SET_REPLACE); ulnet keeps chains as lists of rules edited in place by the
 * `iptables` command (src/iproute2/iptables.c). The matches and targets are a fixed set
 * (the ones of book ch10), not loadable extensions.
 *
 * Locking: rules change under rtnl (the command) and are walked from the hooks without a
 * lock (3.10 swaps whole tables under RCU; sim runs one thing at a time).
 * Context of ipt_do_table: that of the hook (softirq for RX/forwarding, the sender for
 * LOCAL_OUT). */
#ifndef _IPV4_NETFILTER_IP_TABLES_H
#define _IPV4_NETFILTER_IP_TABLES_H
#include "linux/list.h"
#include "linux/netdevice.h"
#include "linux/netfilter.h"
#include "linux/skbuff.h"
#include "net/netfilter/nf_conntrack.h"

#define XT_TABLE_MAXNAMELEN 32
#define XT_EXTENSION_MAXNAMELEN 29	/* chain names: 28 characters */

/* ipt_ip.invflags */
#define IPT_INV_VIA_IN	0x01
#define IPT_INV_VIA_OUT	0x02
#define IPT_INV_SRCIP	0x08
#define IPT_INV_DSTIP	0x10
#define IPT_INV_PROTO	0x40

/* conntrack states of -m state / -m conntrack --ctstate (xt_state.h, xt_conntrack.h). */
#define XT_STATE_INVALID	(1 << 0)
#define XT_STATE_BIT(ctinfo)	(1 << ((ctinfo) % IP_CT_IS_REPLY + 1))
#define XT_STATE_ESTABLISHED	XT_STATE_BIT(IP_CT_ESTABLISHED)		/* 2 */
#define XT_STATE_RELATED	XT_STATE_BIT(IP_CT_RELATED)		/* 4 */
#define XT_STATE_NEW		XT_STATE_BIT(IP_CT_NEW)			/* 8 */
#define XT_STATE_UNTRACKED	(1 << (IP_CT_IS_REPLY + 1))		/* 16 */

/* The built-in match of every rule (3.10 struct ipt_ip). Interfaces: "" is any; a name
 * ending in '+' matches every device starting with it (iniface_mask). */
struct ipt_ip {
	__be32 src, dst, smsk, dmsk;
	char iniface[IFNAMSIZ], outiface[IFNAMSIZ];
	u16 proto;			/* 0: all */
	u8 invflags;			/* IPT_INV_* */
};

enum ipt_target_kind {
	IPT_T_VERDICT,		/* ACCEPT, DROP (verdict) */
	IPT_T_RETURN,		/* back to the calling chain (built-in: the policy) */
	IPT_T_JUMP,		/* -j CHAIN */
	IPT_T_GOTO,		/* -g CHAIN */
	IPT_T_REJECT,		/* DROP after answering with an ICMP error or a TCP RST */
	IPT_T_NONE,		/* no -j: counters only */
	IPT_T_SNAT,		/* nat table: --to-source ADDR[:PORT[-PORT]] */
	IPT_T_DNAT,		/* nat table: --to-destination ADDR[:PORT[-PORT]] */
	IPT_T_MASQUERADE,	/* nat table: SNAT to the outgoing device's address */
};

/* nf_nat_range.flags (uapi nf_nat.h). */
#define NF_NAT_RANGE_MAP_IPS		(1 << 0)	/* min_ip..max_ip given */
#define NF_NAT_RANGE_PROTO_SPECIFIED	(1 << 1)	/* min_port..max_port given */
#define NF_NAT_RANGE_PROTO_RANDOM	(1 << 2)	/* --random */
#define NF_NAT_RANGE_PERSISTENT		(1 << 3)	/* --persistent */

/* A NAT target's range (3.10 struct nf_nat_ipv4_range): addresses min_ip..max_ip
 * (network order) and ports/ICMP ids min_port..max_port (host order), each used only when
 * its flag says so; otherwise the address / port is kept unless it clashes. */
struct nf_nat_range {
	__be32 min_ip;
	u16 min_port, max_port;
	__be32 max_ip;
	unsigned int flags;		/* NF_NAT_RANGE_* */
};

/* -m addrtype (uapi xt_addrtype.h): flags, and types as 1 << RTN_*. */
#define XT_ADDRTYPE_INVERT_SOURCE	0x0001
#define XT_ADDRTYPE_INVERT_DEST		0x0002
#define XT_ADDRTYPE_LIMIT_IFACE_IN	0x0004
#define XT_ADDRTYPE_LIMIT_IFACE_OUT	0x0008
struct xt_addrtype_info_v1 {
	u16 source;			/* source-type mask (1 << RTN_LOCAL ...) */
	u16 dest;			/* dest-type mask */
	u32 flags;			/* XT_ADDRTYPE_* */
};

/* --reject-with (ipt_REJECT.h). */
enum ipt_reject_with {
	IPT_ICMP_NET_UNREACHABLE,
	IPT_ICMP_HOST_UNREACHABLE,
	IPT_ICMP_PROT_UNREACHABLE,
	IPT_ICMP_PORT_UNREACHABLE,
	IPT_ICMP_ECHOREPLY,	/* (obsolete in 3.10: refused) */
	IPT_ICMP_NET_PROHIBITED,
	IPT_ICMP_HOST_PROHIBITED,
	IPT_TCP_RESET,
	IPT_ICMP_ADMIN_PROHIBITED,
};

struct ipt_chain;

/* One rule: the built-in match, the optional matches, the target, and the counters
 * iptables -L -v prints. */
struct ipt_entry {
	struct list_head list;
	struct ipt_ip ip;
	/* tcp/udp match (xt_tcpudp): ports inclusive; has_* says the option was given. */
	bool has_sport, has_dport, inv_sport, inv_dport;
	u16 spts[2], dpts[2];
	/* icmp match: --icmp-type T[/C] (code 0xff: any). */
	bool has_icmp;
	bool inv_icmp;
	u8 icmp_type, icmp_code;
	/* -m state --state / -m conntrack --ctstate: XT_STATE_* bits, and which form. */
	u8 statemask;
	bool inv_state;
	bool ctstate_form;
	/* target */
	enum ipt_target_kind kind;
	int verdict;			/* NF_ACCEPT / NF_DROP for IPT_T_VERDICT */
	struct ipt_chain *jump;		/* IPT_T_JUMP / IPT_T_GOTO */
	enum ipt_reject_with reject_with;
	struct nf_nat_range nat_range;	/* SNAT/DNAT/MASQUERADE */
	/* counters (struct xt_counters) */
	u64 pcnt, bcnt;
	/* -m addrtype (xt_addrtype revision 1); no type mask: not given. */
	struct xt_addrtype_info_v1 addrtype;
};

struct ipt_chain {
	struct list_head list;		/* xt_table.chains: built-ins first, then by name */
	char name[XT_EXTENSION_MAXNAMELEN];
	int hook;			/* NF_INET_* for a built-in chain, -1 for a user chain */
	int policy;			/* NF_ACCEPT / NF_DROP (built-in chains) */
	u64 pcnt, bcnt;			/* packets that took the policy */
	unsigned int refcnt;		/* rules jumping here (user chains) */
	struct list_head rules;
};

/* A table in one namespace (x_tables' xt_table with its private rules). */
struct xt_table {
	char name[XT_TABLE_MAXNAMELEN];
	unsigned int valid_hooks;	/* 1 << NF_INET_* */
	struct list_head chains;
	struct ipt_chain *hook_chain[NF_INET_NUMHOOKS];
};

/* Per-namespace iptables state (3.10: net->ipv4.iptable_filter...). */
struct ipt_net {
	struct list_head list;
	struct net *net;
	struct xt_table *filter;
	struct xt_table *nat;
};
/* @net's tables, or NULL if it never ran iptables. */
struct ipt_net *ipt_pernet(const struct net *net);
/* ... creating them (every policy ACCEPT) on first use. NULL on ENOMEM. rtnl held. */
struct ipt_net *ipt_pernet_create(struct net *net);

/* Walk @table's chain for @hook over @skb; the verdict NF_ACCEPT / NF_DROP. REJECT sends
 * its answer before returning NF_DROP. */
unsigned int ipt_do_table(struct sk_buff *skb, unsigned int hook, const struct net_device *in,
			  const struct net_device *out, struct xt_table *table);

/* Table and chain management (rtnl held). */
struct xt_table *ipt_alloc_table(const char *name, unsigned int valid_hooks);
void ipt_free_table(struct xt_table *t);
struct ipt_chain *ipt_find_chain(struct xt_table *t, const char *name);
int ipt_new_chain(struct xt_table *t, const char *name);		/* -N */
int ipt_delete_chain(struct xt_table *t, struct ipt_chain *c);		/* -X */
void ipt_flush_chain(struct ipt_chain *c);				/* -F */
void ipt_zero_chain(struct ipt_chain *c);				/* -Z */
void ipt_free_entry(struct ipt_entry *e);
/* Does @e match @skb? (the built-in match and the optional ones) */
bool ipt_entry_matches(const struct ipt_entry *e, const struct sk_buff *skb,
		       const struct net_device *in, const struct net_device *out);

/* nf_nat_core.c: bind the connection of @skb as @e's NAT target says; the verdict. */
unsigned int ipt_nat_target(struct sk_buff *skb, const struct ipt_entry *e, unsigned int hook,
			    const struct net_device *out);
unsigned int nf_nat_setup_info(struct nf_conn *ct, const struct nf_nat_range *range,
			       unsigned int hooknum);
/* modprobe iptable_nat (and conntrack): on the first `iptables -t nat`. Idempotent. */
int nf_nat_init(void);
void nf_nat_fini(void);

/* ipt_REJECT.c: answer @skb as --reject-with says (Context: the hook's). */
void ipt_reject_send(struct sk_buff *skb, enum ipt_reject_with with, unsigned int hook);

/* nf_ipv4.c (3.10 net/ipv4/netfilter.c). Route @skb again from its IP header (its current
 * dst gives the namespace); @addr_type RTN_UNSPEC: look the source up. 0 or -errno. */
int ip_route_me_harder(struct sk_buff *skb, unsigned int addr_type);
/* Verify the checksum of @skb's payload at @dataoff (@protocol 0: a plain sum, ICMP).
 * 0 when good. */
__sum16 nf_ip_checksum(struct sk_buff *skb, unsigned int hook, unsigned int dataoff,
		       u_int8_t protocol);
/* nf_conntrack_core.c: give @new (a packet netfilter built in answer to @skb) @skb's
 * connection, as RELATED in the other direction (3.10 nf_conntrack_attach). */
void nf_ct_attach(struct sk_buff *new, const struct sk_buff *skb);

/* Loaded on first use (iptables; idempotent): the filter table's hooks and per-namespace
 * tables. Unloaded at stack teardown (net/core/boot.c). */
int ip_tables_init(void);
void ip_tables_fini(void);

#endif
