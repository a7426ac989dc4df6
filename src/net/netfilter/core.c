/* SPDX-License-Identifier: MIT */
/* Netfilter hook registration and traversal.
 * Mirrors linux/net/netfilter/core.c (3.10): nf_hooks, nf_register_hook(s),
 * nf_unregister_hook(s), nf_iterate, nf_hook_slow.
 *
 * LOCKING: nf_hook_mutex serialises (un)registration. Packets walk the lists without a
 * lock, as Linux's RCU readers: a hook is inserted with its links complete before it is
 * published, and removed only when the caller knows no packet is inside it. */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/netdevice.h"
#include "linux/netfilter.h"
#include "linux/skbuff.h"
#include "linux/spinlock.h"
#include "trace/path.h"

struct list_head nf_hooks[NFPROTO_NUMPROTO][NF_MAX_HOOKS];
static DEFINE_MUTEX(nf_hook_mutex);

/* DIVERGES: NF_REPEAT re-runs a hook without bound in Linux; ulnet stops a hook that keeps
 * asking after this many rounds and drops the packet (a buggy hook must not hang the
 * stack). */
#define NF_MAX_REPEAT 64

void netfilter_init(void)
{
	int i, h;

	for (i = 0; i < NFPROTO_NUMPROTO; i++)
		for (h = 0; h < NF_MAX_HOOKS; h++)
			INIT_LIST_HEAD(&nf_hooks[i][h]);
}

void netfilter_fini(void)
{
	int i, h;

	for (i = 0; i < NFPROTO_NUMPROTO; i++)
		for (h = 0; h < NF_MAX_HOOKS; h++) {
			if (nf_hooks[i][h].next && !list_empty(&nf_hooks[i][h]))
				pr_warn("netfilter: hooks still registered at pf %d hook %d\n", i, h);
			INIT_LIST_HEAD(&nf_hooks[i][h]);
		}
}

/* Context: process. */
int nf_register_hook(struct nf_hook_ops *reg)
{
	struct nf_hook_ops *elem;
	struct list_head *head;

	if (!reg || !reg->hook || reg->pf >= NFPROTO_NUMPROTO || reg->hooknum >= NF_MAX_HOOKS)
		return -EINVAL;
	head = &nf_hooks[reg->pf][reg->hooknum];
	mutex_lock(&nf_hook_mutex);
	list_for_each_entry(elem, head, list) {
		if (reg->priority < elem->priority)
			break;
	}
	/* Insert before elem (or at the tail): readers never see a half-linked node because
	 * the new node's links are set before its neighbours point at it. */
	reg->list.next = &elem->list;
	reg->list.prev = elem->list.prev;
	smp_wmb();
	elem->list.prev->next = &reg->list;
	elem->list.prev = &reg->list;
	mutex_unlock(&nf_hook_mutex);
	return 0;
}

void nf_unregister_hook(struct nf_hook_ops *reg)
{
	struct nf_hook_ops *elem;

	if (!reg || reg->pf >= NFPROTO_NUMPROTO || reg->hooknum >= NF_MAX_HOOKS)
		return;
	mutex_lock(&nf_hook_mutex);
	list_for_each_entry(elem, &nf_hooks[reg->pf][reg->hooknum], list) {
		if (elem == reg) {
			__list_del(reg->list.prev, reg->list.next);
			INIT_LIST_HEAD(&reg->list);
			break;
		}
	}
	mutex_unlock(&nf_hook_mutex);
}

int nf_register_hooks(struct nf_hook_ops *reg, unsigned int n)
{
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		err = nf_register_hook(&reg[i]);
		if (err)
			goto err;
	}
	return 0;
err:
	if (i > 0)
		nf_unregister_hooks(reg, i);
	return err;
}

void nf_unregister_hooks(struct nf_hook_ops *reg, unsigned int n)
{
	while (n-- > 0)
		nf_unregister_hook(&reg[n]);
}

/* Run the hooks from *@i on; returns the first verdict that is not NF_ACCEPT (with *@i at
 * that hook), or NF_ACCEPT when the list is done. */
static unsigned int nf_iterate(struct list_head *head, struct sk_buff *skb, unsigned int hook,
			       const struct net_device *indev, const struct net_device *outdev,
			       struct nf_hook_ops **i, int (*okfn)(struct sk_buff *),
			       int hook_thresh)
{
	struct nf_hook_ops *elem = *i;
	unsigned int verdict;
	int repeats;

	for (elem = list_entry(elem->list.next, struct nf_hook_ops, list); &elem->list != head;
	     elem = list_entry(elem->list.next, struct nf_hook_ops, list)) {
		if (hook_thresh > elem->priority)
			continue;
		repeats = 0;
		do {
			verdict = elem->hook(hook, skb, indev, outdev, okfn);
		} while (verdict == NF_REPEAT && ++repeats < NF_MAX_REPEAT);
		if (verdict == NF_REPEAT) {
			pr_warn("netfilter: hook keeps returning NF_REPEAT, dropping\n");
			verdict = NF_DROP;
		}
		if (verdict != NF_ACCEPT) {
			*i = elem;
			return verdict;
		}
	}
	*i = elem;
	return NF_ACCEPT;
}

/* Returns 1 if the hooks accepted @skb (the caller runs okfn); otherwise @skb was consumed:
 * 0 when stolen, -EPERM (or NF_DROP_ERR's errno) when dropped. */
int nf_hook_slow(u_int8_t pf, unsigned int hook, struct sk_buff *skb, struct net_device *indev,
		 struct net_device *outdev, int (*okfn)(struct sk_buff *), int hook_thresh)
{
	struct list_head *head = &nf_hooks[pf][hook];
	/* Start "before" the first hook: the list head seen as an element. */
	struct nf_hook_ops *elem = list_entry(head, struct nf_hook_ops, list);
	unsigned int verdict;
	int ret = 0;

	UL_TRACEF(skb, "pf=%u hook=%u", pf, hook);
	rcu_read_lock();
next_hook:
	verdict = nf_iterate(head, skb, hook, indev, outdev, &elem, okfn, hook_thresh);
	switch (verdict & NF_VERDICT_MASK) {
	case NF_ACCEPT:
	case NF_STOP:
		ret = 1;
		break;
	case NF_DROP:
		kfree_skb_reason(skb, SKB_DROP_REASON_NETFILTER_DROP);
		ret = NF_DROP_GETERR(verdict);
		if (ret == 0)
			ret = -EPERM;
		break;
	case NF_QUEUE:
		/* No queue handler (nfnetlink_queue) exists: as 3.10's nf_queue -ESRCH. */
		if (verdict & NF_VERDICT_FLAG_QUEUE_BYPASS)
			goto next_hook;
		kfree_skb_reason(skb, SKB_DROP_REASON_NETFILTER_DROP);
		ret = 0;
		break;
	case NF_STOLEN:
		ret = 0;
		break;
	default:
		/* A bad verdict from a hook: drop rather than guess. */
		kfree_skb_reason(skb, SKB_DROP_REASON_NETFILTER_DROP);
		ret = -EPERM;
		break;
	}
	rcu_read_unlock();
	return ret;
}
