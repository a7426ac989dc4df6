/* SPDX-License-Identifier: MIT */
/* The connection tracking core: look a packet's tuple up, create the connection on its
 * first packet, confirm it into the hash when that packet leaves the box, refresh and
 * expire it by timer, and refuse new ones past nf_conntrack_max.
 * Mirrors linux/net/netfilter/nf_conntrack_core.c (3.10): hash_conntrack,
 * nf_ct_get_tuple, nf_ct_invert_tuple, __nf_conntrack_find, nf_conntrack_find_get,
 * __nf_conntrack_confirm, nf_conntrack_tuple_taken, early_drop, __nf_conntrack_alloc,
 * init_conntrack, resolve_normal_ct, nf_conntrack_in, __nf_ct_refresh_acct, nf_ct_kill,
 * death_by_timeout, nf_conntrack_destroy/destroy_conntrack, nf_conntrack_flush,
 * nf_conntrack_attach (nf_ct_attach);
 * nf_conntrack_standalone.c's sysctls (net.netfilter.nf_conntrack_*); and the module load
 * (nf_conntrack_init_start/net) done on first use.
 *
 * Locking: nf_conntrack_lock (BH-safe) around the hash and the unconfirmed lists.
 * Context: softirq (RX, forwarding, timers) and the sender (LOCAL_OUT). */
#include "linux/errno.h"
#include "linux/jhash.h"
#include "linux/netdevice.h"
#include "linux/kernel.h"
#include "linux/random.h"
#include "linux/slab.h"
#include "linux/sysctl.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/netfilter/nf_conntrack.h"
#include "net/ipv4/netfilter/ip_tables.h"
#include "trace/path.h"

unsigned int nf_conntrack_htable_size = 16384;
unsigned int nf_conntrack_max = 65536;
/* DIVERGES: each namespace's hash has 1024 buckets, not nf_conntrack_htable_size (16384
 * per namespace would cost every lab namespace 128 KiB); chains are longer, lookups the
 * same. nf_conntrack_buckets reports 16384 as 3.10 would. */
#define NF_CT_NET_BUCKETS 1024

static struct kmem_cache *nf_conntrack_cachep;
DEFINE_SPINLOCK(nf_conntrack_lock);
static u32 nf_conntrack_hash_rnd;
static bool nf_ct_loaded;

/* DIVERGES: 3.10's net->ct exists in every namespace once the module is loaded; ulnet
 * gives a namespace its table at the first packet or command there (namespaces that never
 * see conntrack own nothing), found on a short list. */
struct netns_ct_entry {
	struct list_head list;
	const struct net *net;
	struct netns_ct ct;
};
static LIST_HEAD(nf_ct_nets);

static struct netns_ct *nf_ct_pernet_find(const struct net *net)
{
	struct netns_ct_entry *e;

	list_for_each_entry(e, &nf_ct_nets, list)
		if (e->net == net)
			return &e->ct;
	return NULL;
}

static int nf_conntrack_net_init(struct netns_ct *nct);

struct netns_ct *nf_ct_pernet(const struct net *net)
{
	struct netns_ct_entry *e;
	struct netns_ct *nct;

	if (!nf_ct_loaded || !net)
		return NULL;
	nct = nf_ct_pernet_find(net);
	if (nct)
		return nct;
	e = kzalloc(sizeof(*e), GFP_ATOMIC);
	if (!e)
		return NULL;
	e->net = net;
	if (nf_conntrack_net_init(&e->ct)) {
		kfree(e);
		return NULL;
	}
	list_add_tail(&e->list, &nf_ct_nets);
	return &e->ct;
}

static u32 hash_conntrack(const struct netns_ct *nct, const struct nf_conntrack_tuple *tuple)
{
	u32 a = tuple->src.ip, b = tuple->dst.ip;
	u32 c = ((u32)tuple->src.u.all << 16) | tuple->dst.u.all;

	return jhash_3words(a, b ^ tuple->dst.protonum, c, nf_conntrack_hash_rnd) %
	       nct->htable_size;
}

bool nf_ct_get_tuple(const struct sk_buff *skb, unsigned int nhoff, unsigned int dataoff,
		     u_int8_t protonum, struct nf_conntrack_tuple *tuple,
		     const struct nf_conntrack_l4proto *l4proto)
{
	struct iphdr iph;

	memset(tuple, 0, sizeof(*tuple));
	if (skb_copy_bits(skb, (int)nhoff, &iph, sizeof(iph)) < 0)
		return false;
	tuple->src.ip = iph.saddr;
	tuple->dst.ip = iph.daddr;
	tuple->src.l3num = AF_INET;
	tuple->dst.protonum = protonum;
	tuple->dst.dir = IP_CT_DIR_ORIGINAL;
	return l4proto->pkt_to_tuple(skb, dataoff, tuple);
}

bool nf_ct_invert_tuple(struct nf_conntrack_tuple *inverse,
			const struct nf_conntrack_tuple *orig,
			const struct nf_conntrack_l4proto *l4proto)
{
	memset(inverse, 0, sizeof(*inverse));
	inverse->src.ip = orig->dst.ip;
	inverse->dst.ip = orig->src.ip;
	inverse->src.l3num = orig->src.l3num;
	inverse->dst.dir = !orig->dst.dir;
	inverse->dst.protonum = orig->dst.protonum;
	return l4proto->invert_tuple(inverse, orig);
}

static struct nf_conntrack_tuple_hash *__nf_conntrack_find(struct netns_ct *nct,
							   const struct nf_conntrack_tuple *tuple)
{
	struct nf_conntrack_tuple_hash *h;

	nct->stat.searched++;
	hlist_for_each_entry(h, &nct->hash[hash_conntrack(nct, tuple)], hnnode) {
		if (nf_ct_tuple_equal(tuple, &h->tuple)) {
			nct->stat.found++;
			return h;
		}
	}
	return NULL;
}

struct nf_conntrack_tuple_hash *nf_conntrack_find_get(struct net *net,
						      const struct nf_conntrack_tuple *tuple)
{
	struct netns_ct *nct = nf_ct_pernet(net);
	struct nf_conntrack_tuple_hash *h;

	if (!nct)
		return NULL;
	spin_lock_bh(&nf_conntrack_lock);
	h = __nf_conntrack_find(nct, tuple);
	if (h)
		nf_conntrack_get(&nf_ct_tuplehash_to_ctrack(h)->ct_general);
	spin_unlock_bh(&nf_conntrack_lock);
	return h;
}

int nf_conntrack_tuple_taken(const struct nf_conntrack_tuple *tuple,
			     const struct nf_conn *ignored)
{
	struct netns_ct *nct = nf_ct_pernet(ignored->ct_net);
	struct nf_conntrack_tuple_hash *h;
	int taken = 0;

	spin_lock_bh(&nf_conntrack_lock);
	hlist_for_each_entry(h, &nct->hash[hash_conntrack(nct, tuple)], hnnode) {
		if (nf_ct_tuplehash_to_ctrack(h) != ignored &&
		    nf_ct_tuple_equal(tuple, &h->tuple)) {
			taken = 1;
			break;
		}
	}
	spin_unlock_bh(&nf_conntrack_lock);
	return taken;
}

/* Unhash @ct (confirmed) under the lock. */
static void clean_from_lists(struct netns_ct *nct, struct nf_conn *ct)
{
	hlist_del_init(&ct->tuplehash[IP_CT_DIR_ORIGINAL].hnnode);
	hlist_del_init(&ct->tuplehash[IP_CT_DIR_REPLY].hnnode);
	nct->stat.delete++;
}

/* The timer ran out (or nf_ct_kill): out of the hash; the hash's reference goes. */
static void death_by_timeout(struct nf_conn *ct)
{
	struct netns_ct *nct = nf_ct_pernet_find(ct->ct_net);

	spin_lock_bh(&nf_conntrack_lock);
	ct->status |= IPS_DYING;
	if (nct)
		clean_from_lists(nct, ct);
	spin_unlock_bh(&nf_conntrack_lock);
	nf_ct_put(ct);
}

static void death_by_timeout_timer(struct timer_list *t)
{
	struct nf_conn *ct = from_timer(ct, t, timeout);

	death_by_timeout(ct);
}

bool nf_ct_kill(struct nf_conn *ct)
{
	if (!nf_ct_is_confirmed(ct) || !del_timer(&ct->timeout))
		return false;
	death_by_timeout(ct);
	return true;
}

/* NAT's part of a conntrack's end, set by nf_nat_init (3.10: the nat extension's destroy,
 * registered with nf_ct_extend_register when nf_nat loads): through a pointer, so that a
 * program using conntrack without NAT does not link NAT and, behind it, the routing code. */
void (*nf_nat_cleanup_conntrack_hook)(struct nf_conn *ct);
void (*nf_nat_net_exit_hook)(struct netns_ct *nct);

/* The last reference went (the hash's and every skb's). */
void nf_conntrack_destroy(struct nf_conntrack *nfct)
{
	struct nf_conn *ct = container_of(nfct, struct nf_conn, ct_general);
	struct netns_ct *nct = nf_ct_pernet_find(ct->ct_net);

	spin_lock_bh(&nf_conntrack_lock);
	if (!nf_ct_is_confirmed(ct) && !list_empty(&ct->unconfirmed))
		list_del_init(&ct->unconfirmed);
	if (nf_nat_cleanup_conntrack_hook)
		nf_nat_cleanup_conntrack_hook(ct);
	if (nct)
		atomic_dec(&nct->count);
	spin_unlock_bh(&nf_conntrack_lock);
	kmem_cache_free(nf_conntrack_cachep, ct);
}

void nf_ct_refresh_acct(struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			const struct sk_buff *skb, unsigned long extra_jiffies)
{
	(void)ctinfo;
	(void)skb;
	/* Unconfirmed: the timeout is relative until __nf_conntrack_confirm arms it. */
	if (!nf_ct_is_confirmed(ct)) {
		ct->timeout_expires = extra_jiffies;
		return;
	}
	ct->timeout_expires = jiffies + extra_jiffies;
	/* Only if the timer is pending (a dying entry stays dead). */
	if (timer_pending(&ct->timeout))
		mod_timer_pending(&ct->timeout, ct->timeout_expires);
}

long nf_ct_expires_secs(const struct nf_conn *ct)
{
	long timeout = (long)(ct->timeout_expires - jiffies);

	return timeout > 0 ? timeout / HZ : 0;
}

/* Make room by killing one connection that was never assured, from the bucket the new one
 * hashes to (3.10 early_drop). */
static bool early_drop(struct netns_ct *nct, u32 hash)
{
	struct nf_conntrack_tuple_hash *h;
	struct nf_conn *victim = NULL;

	spin_lock_bh(&nf_conntrack_lock);
	hlist_for_each_entry(h, &nct->hash[hash], hnnode) {
		struct nf_conn *ct = nf_ct_tuplehash_to_ctrack(h);

		if (!(ct->status & IPS_ASSURED))
			victim = ct;	/* the last one: the oldest in the chain */
	}
	if (victim)
		nf_conntrack_get(&victim->ct_general);
	spin_unlock_bh(&nf_conntrack_lock);
	if (!victim)
		return false;
	if (nf_ct_kill(victim))
		nct->stat.early_drop++;
	nf_ct_put(victim);
	return true;
}

static struct nf_conn *__nf_conntrack_alloc(struct net *net, struct netns_ct *nct,
					    const struct nf_conntrack_tuple *orig,
					    const struct nf_conntrack_tuple *repl)
{
	struct nf_conn *ct;

	if (nf_conntrack_max && (unsigned int)atomic_read(&nct->count) >= nf_conntrack_max) {
		if (!early_drop(nct, hash_conntrack(nct, orig))) {
			net_warn_ratelimited("nf_conntrack: table full, dropping packet\n");
			return ERR_PTR(-ENOMEM);
		}
	}
	ct = kmem_cache_zalloc(nf_conntrack_cachep, GFP_ATOMIC);
	if (!ct)
		return ERR_PTR(-ENOMEM);
	atomic_inc(&nct->count);
	spin_lock_init(&ct->lock);
	ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple = *orig;
	ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.dir = IP_CT_DIR_ORIGINAL;
	ct->tuplehash[IP_CT_DIR_REPLY].tuple = *repl;
	ct->tuplehash[IP_CT_DIR_REPLY].tuple.dst.dir = IP_CT_DIR_REPLY;
	INIT_HLIST_NODE(&ct->tuplehash[IP_CT_DIR_ORIGINAL].hnnode);
	INIT_HLIST_NODE(&ct->tuplehash[IP_CT_DIR_REPLY].hnnode);
	timer_setup(&ct->timeout, death_by_timeout_timer, 0);
	ct->ct_net = net;
	atomic_set(&ct->ct_general.use, 1);	/* the packet's */
	INIT_LIST_HEAD(&ct->unconfirmed);
	INIT_HLIST_NODE(&ct->nat_bysource);
	return ct;
}

/* A new connection for @tuple, not yet in the hash. */
static struct nf_conntrack_tuple_hash *init_conntrack(struct net *net, struct netns_ct *nct,
						      const struct nf_conntrack_tuple *tuple,
						      const struct nf_conntrack_l4proto *l4proto,
						      struct sk_buff *skb, unsigned int dataoff)
{
	struct nf_conntrack_tuple repl_tuple;
	struct nf_conn *ct;

	if (!nf_ct_invert_tuple(&repl_tuple, tuple, l4proto))
		return NULL;
	ct = __nf_conntrack_alloc(net, nct, tuple, &repl_tuple);
	if (IS_ERR(ct))
		return (struct nf_conntrack_tuple_hash *)ct;
	if (!l4proto->new(ct, skb, dataoff)) {
		/* Not a valid start (a TCP RST with no connection...): untracked, INVALID. */
		nf_ct_put(ct);
		return NULL;
	}
	spin_lock_bh(&nf_conntrack_lock);
	list_add(&ct->unconfirmed, &nct->unconfirmed);
	nct->stat.new++;
	spin_unlock_bh(&nf_conntrack_lock);
	return &ct->tuplehash[IP_CT_DIR_ORIGINAL];
}

/* Find or create the connection of @skb; attach it with its ctinfo. */
static struct nf_conn *resolve_normal_ct(struct net *net, struct netns_ct *nct,
					 struct sk_buff *skb, unsigned int dataoff,
					 u_int8_t protonum,
					 const struct nf_conntrack_l4proto *l4proto,
					 int *set_reply, enum ip_conntrack_info *ctinfo)
{
	struct nf_conntrack_tuple tuple;
	struct nf_conntrack_tuple_hash *h;
	struct nf_conn *ct;

	if (!nf_ct_get_tuple(skb, (unsigned int)skb_network_offset(skb), dataoff, protonum,
			     &tuple, l4proto))
		return NULL;
	h = nf_conntrack_find_get(net, &tuple);
	if (!h) {
		h = init_conntrack(net, nct, &tuple, l4proto, skb, dataoff);
		if (!h)
			return NULL;
		if (IS_ERR(h))
			return (struct nf_conn *)h;
	}
	ct = nf_ct_tuplehash_to_ctrack(h);
	if (h->tuple.dst.dir == IP_CT_DIR_REPLY) {
		*ctinfo = IP_CT_ESTABLISHED_REPLY;
		*set_reply = 1;
	} else {
		*ctinfo = (ct->status & IPS_SEEN_REPLY) ? IP_CT_ESTABLISHED : IP_CT_NEW;
		*set_reply = 0;
	}
	skb->nfct = &ct->ct_general;
	skb->nfctinfo = (u8)*ctinfo;
	return ct;
}

unsigned int nf_conntrack_in(struct net *net, u_int8_t pf, unsigned int hooknum,
			     struct sk_buff *skb)
{
	struct netns_ct *nct = nf_ct_pernet(net);
	const struct nf_conntrack_l4proto *l4proto;
	enum ip_conntrack_info ctinfo;
	unsigned int dataoff;
	struct nf_conn *ct;
	int set_reply = 0, ret;
	u8 protonum;

	(void)pf;
	UL_TRACE(skb);
	if (!nct)
		return NF_ACCEPT;
	if (skb->nfct) {
		/* Already tracked (looped back through lo): nothing more to do. */
		nct->stat.ignore++;
		return NF_ACCEPT;
	}
	protonum = ip_hdr(skb)->protocol;
	dataoff = (unsigned int)skb_network_offset(skb) + ip_hdrlen(skb);
	/* DIVERGES: no defrag hook before us: a non-first fragment has no ports; it is left
	 * untracked. */
	if (ntohs(ip_hdr(skb)->frag_off) & IP_OFFSET)
		return NF_ACCEPT;
	l4proto = __nf_ct_l4proto_find(protonum);
	if (l4proto->error) {
		ret = l4proto->error(net, skb, dataoff, &ctinfo, hooknum);
		if (ret <= 0) {
			nct->stat.error++;
			nct->stat.invalid++;
			return (unsigned int)-ret;
		}
		/* An ICMP error about a known connection: RELATED, attached by error(). */
		if (skb->nfct)
			return NF_ACCEPT;
	}
	ct = resolve_normal_ct(net, nct, skb, dataoff, protonum, l4proto, &set_reply, &ctinfo);
	if (!ct) {
		nct->stat.invalid++;
		return NF_ACCEPT;
	}
	if (IS_ERR(ct)) {
		nct->stat.drop++;
		return NF_DROP;
	}
	ret = l4proto->packet(ct, skb, dataoff, ctinfo);
	if (ret <= 0) {
		/* Invalid for the tracker: not tracked, or dropped when it says so. */
		nf_conntrack_put(skb->nfct);
		skb->nfct = NULL;
		nct->stat.invalid++;
		if (ret == -NF_DROP)
			nct->stat.drop++;
		return (unsigned int)-ret;
	}
	if (set_reply)
		ct->status |= IPS_SEEN_REPLY;
	return (unsigned int)ret;
}

int __nf_conntrack_confirm(struct sk_buff *skb)
{
	struct nf_conntrack_tuple_hash *h;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	struct netns_ct *nct;
	u32 hash, repl_hash;

	if (!ct || nf_ct_is_confirmed(ct) || ctinfo >= IP_CT_IS_REPLY)
		return NF_ACCEPT;
	nct = nf_ct_pernet_find(ct->ct_net);
	if (!nct)
		return NF_ACCEPT;
	hash = hash_conntrack(nct, &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple);
	repl_hash = hash_conntrack(nct, &ct->tuplehash[IP_CT_DIR_REPLY].tuple);
	spin_lock_bh(&nf_conntrack_lock);
	/* Another packet of the same flow confirmed first (or NAT made a clash). */
	hlist_for_each_entry(h, &nct->hash[hash], hnnode)
		if (nf_ct_tuple_equal(&ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple, &h->tuple))
			goto out;
	hlist_for_each_entry(h, &nct->hash[repl_hash], hnnode)
		if (nf_ct_tuple_equal(&ct->tuplehash[IP_CT_DIR_REPLY].tuple, &h->tuple))
			goto out;
	list_del_init(&ct->unconfirmed);
	ct->timeout_expires += jiffies;
	/* The hash holds a reference while the timer runs. */
	atomic_inc(&ct->ct_general.use);
	ct->status |= IPS_CONFIRMED;
	hlist_add_head(&ct->tuplehash[IP_CT_DIR_ORIGINAL].hnnode, &nct->hash[hash]);
	hlist_add_head(&ct->tuplehash[IP_CT_DIR_REPLY].hnnode, &nct->hash[repl_hash]);
	nct->stat.insert++;
	spin_unlock_bh(&nf_conntrack_lock);
	mod_timer(&ct->timeout, ct->timeout_expires);
	return NF_ACCEPT;
out:
	nct->stat.insert_failed++;
	spin_unlock_bh(&nf_conntrack_lock);
	return NF_DROP;
}

/* A RST or ICMP error netfilter builds about @skb belongs to @skb's connection, seen from
 * the other side: RELATED (so that NAT translates it as that connection's packets).
 * Context: the hook's. */
void nf_ct_attach(struct sk_buff *new, const struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (!ct)
		return;
	ctinfo = ctinfo < IP_CT_IS_REPLY ? IP_CT_RELATED_REPLY : IP_CT_RELATED;
	nf_conntrack_put(new->nfct);
	new->nfct = &ct->ct_general;
	new->nfctinfo = (u8)ctinfo;
	nf_conntrack_get(new->nfct);
}

unsigned int nf_ct_state_bit(const struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (!ct)
		return 1 << 0;	/* XT_STATE_INVALID */
	return 1U << ((unsigned int)ctinfo % IP_CT_IS_REPLY + 1);
}

void nf_ct_iterate(struct net *net, void (*fn)(struct nf_conn *ct, void *arg), void *arg)
{
	struct netns_ct *nct = nf_ct_pernet(net);
	unsigned int i;

	if (!nct)
		return;
	spin_lock_bh(&nf_conntrack_lock);
	for (i = 0; i < nct->htable_size; i++) {
		struct nf_conntrack_tuple_hash *h;

		hlist_for_each_entry(h, &nct->hash[i], hnnode)
			if (h->tuple.dst.dir == IP_CT_DIR_ORIGINAL)
				fn(nf_ct_tuplehash_to_ctrack(h), arg);
	}
	spin_unlock_bh(&nf_conntrack_lock);
}

void nf_conntrack_flush(struct net *net)
{
	struct netns_ct *nct = nf_ct_pernet(net);
	unsigned int i, guard = 0;

	if (!nct)
		return;
	for (i = 0; i < nct->htable_size && guard < 10000000; i++) {
		while (!hlist_empty(&nct->hash[i]) && guard++ < 10000000) {
			struct nf_conntrack_tuple_hash *h =
				hlist_entry(nct->hash[i].first, struct nf_conntrack_tuple_hash,
					    hnnode);
			struct nf_conn *ct = nf_ct_tuplehash_to_ctrack(h);

			if (!nf_ct_kill(ct)) {
				/* Timer already gone (dying): just unhash. */
				spin_lock_bh(&nf_conntrack_lock);
				clean_from_lists(nct, ct);
				spin_unlock_bh(&nf_conntrack_lock);
			}
		}
	}
}

/* ---- per namespace ---- */

static int nf_conntrack_net_init(struct netns_ct *nct)
{
	unsigned int i;

	nct->htable_size = NF_CT_NET_BUCKETS;
	nct->hash = kcalloc(nct->htable_size, sizeof(struct hlist_head), GFP_KERNEL);
	if (!nct->hash)
		return -ENOMEM;
	for (i = 0; i < nct->htable_size; i++)
		INIT_HLIST_HEAD(&nct->hash[i]);
	INIT_LIST_HEAD(&nct->unconfirmed);
	atomic_set(&nct->count, 0);
	return 0;
}

/* Every entry dies with its namespace; packets still holding one keep it alive without a
 * namespace (ct_net NULL). */
static void nf_conntrack_net_exit(struct net *net)
{
	struct netns_ct *nct = nf_ct_pernet_find(net);
	struct netns_ct_entry *entry;
	struct nf_conn *ct, *n;

	if (!nct)
		return;
	nf_conntrack_flush(net);
	spin_lock_bh(&nf_conntrack_lock);
	list_for_each_entry_safe(ct, n, &nct->unconfirmed, unconfirmed) {
		list_del_init(&ct->unconfirmed);
		ct->ct_net = NULL;
	}
	if (nf_nat_net_exit_hook)
		nf_nat_net_exit_hook(nct);
	spin_unlock_bh(&nf_conntrack_lock);
	kfree(nct->hash);
	nct->hash = NULL;
	entry = container_of(nct, struct netns_ct_entry, ct);
	list_del(&entry->list);
	kfree(entry);
}

static struct pernet_operations nf_conntrack_net_ops = {
	.exit = nf_conntrack_net_exit,
};

/* ---- sysctl (net.netfilter) ---- */

extern unsigned int nf_ct_udp_timeout, nf_ct_udp_timeout_stream, nf_ct_icmp_timeout;
/* nf_conntrack_proto_tcp.c */
extern unsigned int nf_ct_tcp_timeouts[TCP_CONNTRACK_TIMEOUT_MAX];
extern int nf_ct_tcp_be_liberal, nf_ct_tcp_loose, nf_ct_tcp_max_retrans, nf_conntrack_checksum;
extern void nf_ct_tcp_reset_sysctls(void);

#define TCP_TIMEOUT_SYSCTL(name, st) \
	{ .procname = "nf_conntrack_tcp_timeout_" name, .data = &nf_ct_tcp_timeouts[st], \
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_jiffies }
#define INT_SYSCTL(name, var) \
	{ .procname = name, .data = &var, .maxlen = sizeof(int), .mode = 0644, \
	  .proc_handler = proc_dointvec }

static unsigned int nf_ct_buckets_ro;
static struct ctl_table nf_ct_sysctl_table[] = {
	{ .procname = "nf_conntrack_max", .data = &nf_conntrack_max, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "nf_conntrack_buckets", .data = &nf_ct_buckets_ro, .maxlen = sizeof(int),
	  .mode = 0444, .proc_handler = proc_dointvec },
	{ .procname = "nf_conntrack_udp_timeout", .data = &nf_ct_udp_timeout,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	{ .procname = "nf_conntrack_udp_timeout_stream", .data = &nf_ct_udp_timeout_stream,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	{ .procname = "nf_conntrack_icmp_timeout", .data = &nf_ct_icmp_timeout,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	INT_SYSCTL("nf_conntrack_checksum", nf_conntrack_checksum),
	TCP_TIMEOUT_SYSCTL("syn_sent", TCP_CONNTRACK_SYN_SENT),
	TCP_TIMEOUT_SYSCTL("syn_recv", TCP_CONNTRACK_SYN_RECV),
	TCP_TIMEOUT_SYSCTL("established", TCP_CONNTRACK_ESTABLISHED),
	TCP_TIMEOUT_SYSCTL("fin_wait", TCP_CONNTRACK_FIN_WAIT),
	TCP_TIMEOUT_SYSCTL("close_wait", TCP_CONNTRACK_CLOSE_WAIT),
	TCP_TIMEOUT_SYSCTL("last_ack", TCP_CONNTRACK_LAST_ACK),
	TCP_TIMEOUT_SYSCTL("time_wait", TCP_CONNTRACK_TIME_WAIT),
	TCP_TIMEOUT_SYSCTL("close", TCP_CONNTRACK_CLOSE),
	TCP_TIMEOUT_SYSCTL("max_retrans", TCP_CONNTRACK_RETRANS),
	TCP_TIMEOUT_SYSCTL("unacknowledged", TCP_CONNTRACK_UNACK),
	INT_SYSCTL("nf_conntrack_tcp_loose", nf_ct_tcp_loose),
	INT_SYSCTL("nf_conntrack_tcp_be_liberal", nf_ct_tcp_be_liberal),
	INT_SYSCTL("nf_conntrack_tcp_max_retrans", nf_ct_tcp_max_retrans),
	{ 0 }
};

/* ---- load / unload ---- */

extern int nf_conntrack_l3proto_ipv4_init(void);
extern void nf_conntrack_l3proto_ipv4_fini(void);

/* Loaded on first use (iptables -m state, NAT, conntrack -L): 3.10's modprobe
 * nf_conntrack_ipv4. Idempotent. Context: process. */
int nf_conntrack_init(void)
{
	int err;

	if (nf_ct_loaded)
		return 0;
	nf_conntrack_cachep = kmem_cache_create("nf_conntrack", sizeof(struct nf_conn), 0,
						SLAB_HWCACHE_ALIGN, NULL);
	if (!nf_conntrack_cachep)
		return -ENOMEM;
	get_random_bytes(&nf_conntrack_hash_rnd, sizeof(nf_conntrack_hash_rnd));
	nf_ct_loaded = true;
	err = register_pernet_subsys(&nf_conntrack_net_ops);
	if (err)
		goto err_cache;
	err = nf_conntrack_l3proto_ipv4_init();
	if (err)
		goto err_pernet;
	nf_ct_buckets_ro = nf_conntrack_htable_size;
	register_sysctl_table_path("net/netfilter", nf_ct_sysctl_table);
	return 0;

err_pernet:
	unregister_pernet_subsys(&nf_conntrack_net_ops);
err_cache:
	nf_ct_loaded = false;
	kmem_cache_destroy(nf_conntrack_cachep);
	nf_conntrack_cachep = NULL;
	return err;
}

void nf_conntrack_fini_hooks(void)
{
	if (nf_ct_loaded)
		nf_conntrack_l3proto_ipv4_fini();
}

/* After the namespaces and the last queued packets are gone. */
void nf_conntrack_fini(void)
{
	if (!nf_ct_loaded)
		return;
	unregister_sysctl_path("net/netfilter");
	kmem_cache_destroy(nf_conntrack_cachep);
	nf_conntrack_cachep = NULL;
	nf_ct_loaded = false;
	/* The next stack starts from 3.10's defaults, whatever sysctl -w changed. */
	nf_conntrack_max = 65536;
	nf_ct_udp_timeout = 30 * HZ;
	nf_ct_udp_timeout_stream = 180 * HZ;
	nf_ct_icmp_timeout = 30 * HZ;
	nf_conntrack_checksum = 1;
	nf_ct_tcp_reset_sysctls();
}
