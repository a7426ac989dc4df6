/* SPDX-License-Identifier: MIT */
/* Netfilter hook points: where iptables (and conntrack, NAT) see packets in the IP layer.
 * Mirrors linux/include/linux/netfilter.h, uapi/linux/netfilter.h, netfilter_ipv4.h,
 * netfilter_arp.h and net/netfilter/core.c (3.10): NF_DROP..NF_STOP, enum nf_inet_hooks,
 * NFPROTO_*, struct nf_hook_ops, nf_register_hook(s), nf_unregister_hook(s), nf_hook_slow,
 * nf_hook_thresh, NF_HOOK, NF_HOOK_THRESH, NF_HOOK_COND, NF_IP_PRI_*.
 *
 * The five IPv4 points (book ch2/ch4): PRE_ROUTING (ip_rcv), LOCAL_IN (ip_local_deliver),
 * FORWARD (ip_forward), LOCAL_OUT (__ip_local_out), POST_ROUTING (ip_output).
 * NF_HOOK(pf, hook, skb, in, out, okfn) runs the hooks registered at (pf, hook) in priority
 * order (lowest first); if every one accepts, it returns okfn(skb). A verdict of NF_DROP
 * frees the skb (drop reason NETFILTER_DROP) and NF_HOOK returns -EPERM (or the errno of
 * NF_DROP_ERR); NF_STOLEN means the hook took the skb (NF_HOOK returns 0); NF_STOP accepts
 * without running the later hooks; NF_REPEAT calls the same hook again; NF_QUEUE with no
 * queue handler drops (3.10: -ESRCH), unless NF_VERDICT_FLAG_QUEUE_BYPASS is set.
 *
 * As in 3.10 the hook lists are global (every namespace's packets pass the same hooks; a
 * hook that cares looks at dev_net(in or out)); tables per namespace come with iptables.
 * Locking: registration under nf_hook_mutex; packets walk the lists without a lock (RCU in
 * Linux): unregister only when no packet can be inside the hook (sim: between events).
 * Context of hooks: that of the packet path (softirq for RX and forwarding, the sender for
 * LOCAL_OUT). */
#ifndef _LINUX_NETFILTER_H
#define _LINUX_NETFILTER_H
#include <limits.h>
#include "linux/list.h"
#include "linux/skbuff.h"
#include "linux/types.h"

struct net_device;

/* Responses from hook functions. */
#define NF_DROP		0
#define NF_ACCEPT	1
#define NF_STOLEN	2
#define NF_QUEUE	3
#define NF_REPEAT	4
#define NF_STOP		5
#define NF_MAX_VERDICT	NF_STOP

/* A verdict is NF_* in the low byte, with flags and a queue number / errno above. */
#define NF_VERDICT_MASK			0x000000ff
#define NF_VERDICT_FLAG_QUEUE_BYPASS	0x00008000
#define NF_VERDICT_QMASK		0xffff0000
#define NF_VERDICT_QBITS		16
#define NF_QUEUE_NR(x)	((((x) << 16) & NF_VERDICT_QMASK) | NF_QUEUE)
#define NF_DROP_ERR(x)	(((-(x)) << 16) | NF_DROP)
#define NF_DROP_GETERR(verdict) (-((verdict) >> NF_VERDICT_QBITS))

enum nf_inet_hooks {
	NF_INET_PRE_ROUTING,
	NF_INET_LOCAL_IN,
	NF_INET_FORWARD,
	NF_INET_LOCAL_OUT,
	NF_INET_POST_ROUTING,
	NF_INET_NUMHOOKS
};
/* 3.10's IPv4 aliases (linux/netfilter_ipv4.h). */
#define NF_IP_PRE_ROUTING	NF_INET_PRE_ROUTING
#define NF_IP_LOCAL_IN		NF_INET_LOCAL_IN
#define NF_IP_FORWARD		NF_INET_FORWARD
#define NF_IP_LOCAL_OUT		NF_INET_LOCAL_OUT
#define NF_IP_POST_ROUTING	NF_INET_POST_ROUTING
#define NF_IP_NUMHOOKS		NF_INET_NUMHOOKS

/* Bridge hooks (linux/netfilter_bridge.h): the bridge runs NF_HOOK(NFPROTO_BRIDGE, ...)
 * at these points (br_input.c, br_forward.c). */
#define NF_BR_PRE_ROUTING	0
#define NF_BR_LOCAL_IN		1
#define NF_BR_FORWARD		2
#define NF_BR_LOCAL_OUT		3
#define NF_BR_POST_ROUTING	4
#define NF_BR_BROUTING		5
#define NF_BR_NUMHOOKS		6

/* ARP hooks (linux/netfilter_arp.h). */
#define NF_ARP_IN		0
#define NF_ARP_OUT		1
#define NF_ARP_FORWARD		2
#define NF_ARP_NUMHOOKS		3

enum {
	NFPROTO_UNSPEC = 0,
	NFPROTO_INET = 1,
	NFPROTO_IPV4 = 2,
	NFPROTO_ARP = 3,
	NFPROTO_BRIDGE = 7,
	NFPROTO_IPV6 = 10,
	NFPROTO_DECNET = 12,
	NFPROTO_NUMPROTO,
};
#define NF_MAX_HOOKS 8

/* Priorities of the IPv4 hooks (linux/netfilter_ipv4.h): lower runs first. */
enum nf_ip_hook_priorities {
	NF_IP_PRI_FIRST = INT_MIN,
	NF_IP_PRI_CONNTRACK_DEFRAG = -400,
	NF_IP_PRI_RAW = -300,
	NF_IP_PRI_SELINUX_FIRST = -225,
	NF_IP_PRI_CONNTRACK = -200,
	NF_IP_PRI_MANGLE = -150,
	NF_IP_PRI_NAT_DST = -100,
	NF_IP_PRI_FILTER = 0,
	NF_IP_PRI_SECURITY = 50,
	NF_IP_PRI_NAT_SRC = 100,
	NF_IP_PRI_SELINUX_LAST = 225,
	NF_IP_PRI_CONNTRACK_HELPER = 300,
	NF_IP_PRI_CONNTRACK_CONFIRM = INT_MAX,
	NF_IP_PRI_LAST = INT_MAX,
};

/* A hook function: return a verdict about @skb (it may modify or, with NF_STOLEN, keep it).
 * (3.10 signature: the ops pointer came first only from 3.13.) */
typedef unsigned int nf_hookfn(unsigned int hooknum, struct sk_buff *skb,
			       const struct net_device *in, const struct net_device *out,
			       int (*okfn)(struct sk_buff *));

struct nf_hook_ops {
	struct list_head list;		/* on nf_hooks[pf][hooknum], by priority */
	nf_hookfn *hook;
	void *owner;			/* (struct module *) unused */
	u_int8_t pf;			/* NFPROTO_* */
	unsigned int hooknum;		/* NF_INET_* / NF_ARP_* */
	int priority;			/* lower first; equal priorities keep registration order */
	void *priv;			/* ulnet: for the hook's owner (tests) */
};

extern struct list_head nf_hooks[NFPROTO_NUMPROTO][NF_MAX_HOOKS];

/* 0, or -EINVAL (pf/hooknum out of range, no hook function). Context: process. */
int nf_register_hook(struct nf_hook_ops *reg);
void nf_unregister_hook(struct nf_hook_ops *reg);
/* All of @n or none. */
int nf_register_hooks(struct nf_hook_ops *reg, unsigned int n);
void nf_unregister_hooks(struct nf_hook_ops *reg, unsigned int n);

static inline bool nf_hooks_active(u_int8_t pf, unsigned int hook)
{
	return !list_empty(&nf_hooks[pf][hook]);
}

/* Run the hooks of (pf, hook) whose priority is >= @thresh. Returns 1 if okfn must be
 * called by the caller; otherwise the skb was consumed (dropped: -EPERM or the
 * NF_DROP_ERR errno; stolen: 0). */
int nf_hook_slow(u_int8_t pf, unsigned int hook, struct sk_buff *skb, struct net_device *indev,
		 struct net_device *outdev, int (*okfn)(struct sk_buff *), int thresh);

static inline int nf_hook_thresh(u_int8_t pf, unsigned int hook, struct sk_buff *skb,
				 struct net_device *indev, struct net_device *outdev,
				 int (*okfn)(struct sk_buff *), int thresh)
{
	if (nf_hooks_active(pf, hook))
		return nf_hook_slow(pf, hook, skb, indev, outdev, okfn, thresh);
	return 1;
}
static inline int nf_hook(u_int8_t pf, unsigned int hook, struct sk_buff *skb,
			  struct net_device *indev, struct net_device *outdev,
			  int (*okfn)(struct sk_buff *))
{
	return nf_hook_thresh(pf, hook, skb, indev, outdev, okfn, INT_MIN);
}

/* Hooks, then okfn(skb) if they all accept. Consumes @skb (through the hooks or okfn). */
static inline int NF_HOOK_THRESH(u_int8_t pf, unsigned int hook, struct sk_buff *skb,
				 struct net_device *in, struct net_device *out,
				 int (*okfn)(struct sk_buff *), int thresh)
{
	int ret = nf_hook_thresh(pf, hook, skb, in, out, okfn, thresh);
	if (ret == 1)
		ret = okfn(skb);
	return ret;
}
static inline int NF_HOOK(u_int8_t pf, unsigned int hook, struct sk_buff *skb,
			  struct net_device *in, struct net_device *out,
			  int (*okfn)(struct sk_buff *))
{
	return NF_HOOK_THRESH(pf, hook, skb, in, out, okfn, INT_MIN);
}
/* The hooks run only when @cond holds (ip_output: not for packets already rerouted). */
static inline int NF_HOOK_COND(u_int8_t pf, unsigned int hook, struct sk_buff *skb,
			       struct net_device *in, struct net_device *out,
			       int (*okfn)(struct sk_buff *), bool cond)
{
	int ret;
	if (!cond || ((ret = nf_hook_thresh(pf, hook, skb, in, out, okfn, INT_MIN)) == 1))
		ret = okfn(skb);
	return ret;
}

/* nf_reset (forget an skb's conntrack) is in linux/skbuff.h, next to skb->nfct. */

/* Boot: empty lists. Teardown: forget every hook (and warn about those left). */
void netfilter_init(void);
void netfilter_fini(void);

#endif
