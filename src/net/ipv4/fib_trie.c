/* SPDX-License-Identifier: MIT */
/* Routing tables as level-compressed, path-compressed tries (LC-tries, Nilsson & Karlsson,
 * "IP-address lookup using LC-tries", 1999): longest-prefix match in a few node visits
 * however many routes there are.
 * Mirrors linux/net/ipv4/fib_trie.c (3.10): fib_table_lookup (check_leaf), fib_table_insert,
 * fib_table_delete, fib_table_flush, fib_find_node, fib_insert_node, trie_rebalance,
 * resize, inflate, halve, tnode_full, put_child, fib_trie_table, fib_free_table,
 * fib_route_seq_show (/proc/net/route).
 *
 * Shape. Every prefix lives in a leaf keyed by its network address (10.0.0.0 holds /8 and
 * /24 alike), in aliases sorted by prefix length (longest first), tos, priority. Internal
 * nodes (tnodes) index 2^bits children by key bits [pos, pos + bits) (bit 0 = least
 * significant) and skip the bits all their leaves share (path compression); a node whose
 * children are mostly present doubles its index (inflate), a sparse one halves it, and a
 * node left with one child is removed, with 3.10's thresholds (inflate 50 %, root 30 %;
 * halve 25 %, root 15 %). Each node keeps slen, the longest host part (32 - plen) below it,
 * so a lookup knows where a shorter prefix may still match and backtracks only there.
 *
 * DIVERGES: the node layout and the lookup's backtracking follow the later kernels' rewrite
 * of the same LC-trie (key vectors with a suffix length, Linux 4.1) rather than 3.10's
 * leaf_info lists; the trie shape rules, thresholds and results are 3.10's.
 *
 * Locking: changes under rtnl_lock; lookups take no lock (RCU in Linux; see
 * linux/spinlock.h). Context: lookups in any context, changes in process context. */
#include <stdlib.h>
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/list.h"
#include "linux/rtnetlink.h"
#include "linux/seq_file.h"
#include "linux/slab.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/route.h"
#include "fib_lookup.h"

typedef u32 t_key;
#define KEYLENGTH	32
#define MAX_WORK	10
#define TNODE_MAX_BITS	20	/* a million children is plenty (8 MB of pointers) */

static const int halve_threshold = 25;
static const int inflate_threshold = 50;
static const int halve_threshold_root = 15;
static const int inflate_threshold_root = 30;

struct tnode;

/* The part leaves and tnodes share. */
struct key_node {
	t_key key;		/* leaf: the prefix; tnode: shared bits, zero below pos+bits */
	unsigned char pos;	/* tnode: lowest bit of the child index; leaf: 0 */
	unsigned char bits;	/* tnode: index width; leaf: 0 */
	unsigned char slen;	/* longest host part (32 - plen) of a prefix below */
	struct tnode *parent;
};

struct leaf {
	struct key_node kn;
	struct hlist_head falh;	/* fib_alias list */
};

struct tnode {
	struct key_node kn;
	unsigned int full_children;	/* children that are tnodes with no skipped bits */
	unsigned int empty_children;
	struct key_node *child[];
};

struct trie {
	struct tnode *kv;	/* sentinel: pos 32, bits 0, child[0] is the root */
	unsigned int leaves;
	unsigned int tnodes;
	unsigned int routes;	/* aliases */
};

#define IS_LEAF(n)	((n)->bits == 0)
#define IS_TRIE(t, n)	((n) == (t)->kv)

unsigned long fib_trie_visits;

static struct kmem_cache *fn_alias_kmem;	/* "ip_fib_alias" */
static struct kmem_cache *trie_leaf_kmem;	/* "ip_fib_trie" */

static inline struct tnode *TN(struct key_node *n)
{
	return (struct tnode *)n;
}
static inline struct leaf *LF(struct key_node *n)
{
	return (struct leaf *)n;
}
static inline unsigned long child_length(const struct tnode *tn)
{
	return 1UL << tn->kn.bits;
}
/* Child index of @key in @n; >= 2^bits when @key does not share @n's upper bits. For a
 * leaf (pos 0, bits 0) it is zero only on an exact match. */
static inline unsigned long get_cindex(t_key key, const struct key_node *n)
{
	return (unsigned long)(key ^ n->key) >> n->pos;
}
static inline unsigned long get_index(t_key key, const struct tnode *tn)
{
	return (unsigned long)(key ^ tn->kn.key) >> tn->kn.pos;
}
/* A child that is a tnode indexing the bits right below its parent's (no skipped bits). */
static inline bool tnode_full(const struct tnode *tn, const struct key_node *n)
{
	return n && !IS_LEAF(n) && (unsigned int)n->pos + n->bits == tn->kn.pos;
}
/* Does @key disagree with @n's key at or above the lowest set bit of that key? Then no
 * prefix below @n can contain @key. */
static inline bool prefix_mismatch(t_key key, const struct key_node *n)
{
	t_key prefix = n->key;

	return (key ^ prefix) & (prefix | -prefix);
}

/* ---- allocation ---- */

static struct tnode *tnode_new(t_key key, int pos, int bits)
{
	size_t size = sizeof(struct tnode) + (1UL << bits) * sizeof(struct key_node *);
	unsigned int shift = (unsigned int)(pos + bits);
	struct tnode *tn;

	tn = size <= 4096 ? kzalloc(size, GFP_KERNEL) : vzalloc(size);
	if (!tn)
		return NULL;
	tn->kn.key = shift < KEYLENGTH ? (key >> shift) << shift : 0;
	tn->kn.pos = (unsigned char)pos;
	tn->kn.bits = (unsigned char)bits;
	tn->kn.slen = (unsigned char)pos;
	tn->empty_children = 1U << bits;
	return tn;
}

static void tnode_free(struct tnode *tn)
{
	size_t size = sizeof(struct tnode) + child_length(tn) * sizeof(struct key_node *);

	if (size <= 4096)
		kfree(tn);
	else
		vfree(tn);
}

static struct leaf *leaf_new(t_key key)
{
	struct leaf *l = kmem_cache_zalloc(trie_leaf_kmem, GFP_KERNEL);

	if (!l)
		return NULL;
	l->kn.key = key;
	INIT_HLIST_HEAD(&l->falh);
	return l;
}

static void leaf_free(struct leaf *l)
{
	kmem_cache_free(trie_leaf_kmem, l);
}

static struct fib_alias *alias_new(void)
{
	return kmem_cache_zalloc(fn_alias_kmem, GFP_KERNEL);
}

static void alias_free(struct fib_alias *fa)
{
	kmem_cache_free(fn_alias_kmem, fa);
}

/* ---- structure ---- */

/* Set child @i of @tn to @n, keeping the empty/full counts and @n's parent. */
static void put_child(struct tnode *tn, unsigned long i, struct key_node *n)
{
	struct key_node *chi = tn->child[i];
	bool wasfull, isfull;

	if (!n && chi)
		tn->empty_children++;
	else if (n && !chi)
		tn->empty_children--;
	wasfull = tnode_full(tn, chi);
	isfull = tnode_full(tn, n);
	if (wasfull && !isfull)
		tn->full_children--;
	else if (!wasfull && isfull)
		tn->full_children++;
	if (n) {
		n->parent = tn;
		if (tn->kn.slen < n->slen)
			tn->kn.slen = n->slen;
	}
	tn->child[i] = n;
}

/* Put @n where @key belongs in @tp (the sentinel's only slot for the root). */
static void put_child_root(struct trie *t, struct tnode *tp, t_key key, struct key_node *n)
{
	if (IS_TRIE(t, tp)) {
		tp->child[0] = n;
		if (n)
			n->parent = tp;
	} else {
		put_child(tp, get_index(key, tp), n);
	}
}

/* Recompute @tn's slen from its children; returns it. */
static unsigned char update_suffix(struct tnode *tn)
{
	unsigned char slen = tn->kn.pos;
	unsigned long i;

	for (i = 0; i < child_length(tn); i++) {
		struct key_node *n = tn->child[i];

		if (n && n->slen > slen)
			slen = n->slen;
	}
	tn->kn.slen = slen;
	return slen;
}

static void node_push_suffix(struct trie *t, struct tnode *tn, unsigned char slen)
{
	while (!IS_TRIE(t, tn) && tn->kn.slen < slen) {
		tn->kn.slen = slen;
		tn = tn->kn.parent;
	}
}

/* A prefix with host part @slen went away below @tn: shrink the slens it was setting. */
static void node_pull_suffix(struct trie *t, struct tnode *tn, unsigned char slen)
{
	while (!IS_TRIE(t, tn)) {
		unsigned char old = tn->kn.slen;

		if (old != slen || old <= tn->kn.pos)
			break;
		if (update_suffix(tn) == old)
			break;
		tn = tn->kn.parent;
	}
}

static unsigned char leaf_update_suffix(struct leaf *l)
{
	struct fib_alias *fa;
	unsigned char slen = 0;

	hlist_for_each_entry(fa, &l->falh, fa_list)
		if (fa->fa_slen > slen)
			slen = fa->fa_slen;
	l->kn.slen = slen;
	return slen;
}

/* A split half of an inflated node: none or one child left means no node. */
static struct key_node *collapse_half(struct trie *t, struct tnode *tn)
{
	struct key_node *only = NULL;
	unsigned long i;

	if (tn->empty_children + 1 < child_length(tn)) {
		update_suffix(tn);
		return &tn->kn;
	}
	for (i = 0; i < child_length(tn); i++)
		if (tn->child[i])
			only = tn->child[i];
	tnode_free(tn);
	t->tnodes--;
	return only;
}

/* Replace @oldtnode by @tn in its parent and free it. */
static void replace_node(struct trie *t, struct tnode *oldtnode, struct tnode *tn)
{
	struct tnode *tp = oldtnode->kn.parent;

	update_suffix(tn);
	put_child_root(t, tp, tn->kn.key, &tn->kn);
	tnode_free(oldtnode);
}

/* Double @oldtnode's index (one more bit). Returns the new node or NULL (no memory). */
static struct tnode *inflate(struct trie *t, struct tnode *oldtnode)
{
	unsigned long olen = child_length(oldtnode), i, nsplit = 0, k = 0;
	struct tnode *tn, **halves = NULL;

	tn = tnode_new(oldtnode->kn.key, oldtnode->kn.pos - 1, oldtnode->kn.bits + 1);
	if (!tn)
		return NULL;
	/* Allocate every split half first, so that failing leaves the trie untouched. */
	for (i = 0; i < olen; i++) {
		struct key_node *inode = oldtnode->child[i];

		if (tnode_full(oldtnode, inode) && inode->bits > 1)
			nsplit++;
	}
	if (nsplit) {
		halves = kcalloc(2 * nsplit, sizeof(*halves), GFP_KERNEL);
		if (!halves)
			goto nomem;
		for (i = 0; i < olen; i++) {
			struct key_node *inode = oldtnode->child[i];

			if (!tnode_full(oldtnode, inode) || inode->bits <= 1)
				continue;
			halves[k] = tnode_new(inode->key, inode->pos, inode->bits - 1);
			halves[k + 1] = tnode_new(inode->key |
						  (1U << (inode->pos + inode->bits - 1)),
						  inode->pos, inode->bits - 1);
			if (!halves[k] || !halves[k + 1])
				goto nomem;
			k += 2;
		}
	}

	t->tnodes++;
	k = 0;
	for (i = 0; i < olen; i++) {
		struct key_node *inode = oldtnode->child[i];
		struct tnode *in, *left, *right;
		unsigned long j, half;

		if (!inode)
			continue;
		/* A leaf or a node with skipped bits: its own key says which side. */
		if (!tnode_full(oldtnode, inode)) {
			put_child(tn, get_index(inode->key, tn), inode);
			continue;
		}
		in = TN(inode);
		/* A full node of one bit: its two children move up. */
		if (in->kn.bits == 1) {
			if (in->child[0])
				put_child(tn, 2 * i, in->child[0]);
			if (in->child[1])
				put_child(tn, 2 * i + 1, in->child[1]);
			tnode_free(in);
			t->tnodes--;
			continue;
		}
		/* A bigger full node splits into its lower and upper half. */
		left = halves[k];
		right = halves[k + 1];
		k += 2;
		t->tnodes += 2;
		half = child_length(in) / 2;
		for (j = 0; j < half; j++) {
			if (in->child[j])
				put_child(left, j, in->child[j]);
			if (in->child[j + half])
				put_child(right, j, in->child[j + half]);
		}
		{
			struct key_node *l = collapse_half(t, left);
			struct key_node *r = collapse_half(t, right);

			if (l)
				put_child(tn, 2 * i, l);
			if (r)
				put_child(tn, 2 * i + 1, r);
		}
		tnode_free(in);
		t->tnodes--;
	}
	kfree(halves);
	replace_node(t, oldtnode, tn);
	t->tnodes--;
	return tn;

nomem:
	if (halves) {
		for (i = 0; i < 2 * nsplit; i++)
			if (halves[i])
				tnode_free(halves[i]);
		kfree(halves);
	}
	tnode_free(tn);
	return NULL;
}

/* Halve @oldtnode's index (one bit less). Returns the new node or NULL. */
static struct tnode *halve(struct trie *t, struct tnode *oldtnode)
{
	unsigned long olen = child_length(oldtnode), i, nbin = 0, k = 0;
	struct tnode *tn, **bins = NULL;

	tn = tnode_new(oldtnode->kn.key, oldtnode->kn.pos + 1, oldtnode->kn.bits - 1);
	if (!tn)
		return NULL;
	for (i = 0; i < olen; i += 2)
		if (oldtnode->child[i] && oldtnode->child[i + 1])
			nbin++;
	if (nbin) {
		bins = kcalloc(nbin, sizeof(*bins), GFP_KERNEL);
		if (!bins)
			goto nomem;
		for (i = 0; i < olen; i += 2) {
			if (!oldtnode->child[i] || !oldtnode->child[i + 1])
				continue;
			bins[k] = tnode_new(oldtnode->child[i]->key, oldtnode->kn.pos, 1);
			if (!bins[k++])
				goto nomem;
		}
	}
	t->tnodes += 1 + (unsigned int)nbin;
	k = 0;
	for (i = 0; i < olen; i += 2) {
		struct key_node *left = oldtnode->child[i], *right = oldtnode->child[i + 1];
		struct tnode *inode;

		if (!left) {
			if (right)
				put_child(tn, i / 2, right);
			continue;
		}
		if (!right) {
			put_child(tn, i / 2, left);
			continue;
		}
		/* Two children: they get a one-bit node of their own. */
		inode = bins[k++];
		put_child(inode, 0, left);
		put_child(inode, 1, right);
		put_child(tn, i / 2, &inode->kn);
	}
	kfree(bins);
	replace_node(t, oldtnode, tn);
	t->tnodes--;
	return tn;

nomem:
	if (bins) {
		for (i = 0; i < nbin; i++)
			if (bins[i])
				tnode_free(bins[i]);
		kfree(bins);
	}
	tnode_free(tn);
	return NULL;
}

static bool should_inflate(struct trie *t, const struct tnode *tp, const struct tnode *tn)
{
	unsigned long len = child_length(tn);
	unsigned long used = len - tn->empty_children + tn->full_children;
	int threshold = IS_TRIE(t, tp) ? inflate_threshold_root : inflate_threshold;

	/* 3.10: 50 * (full + nonempty) >= threshold * len, with a full child to gain from. */
	return tn->full_children > 0 && tn->kn.pos > 0 && tn->kn.bits < TNODE_MAX_BITS &&
	       50 * used >= (unsigned long)threshold * len;
}

static bool should_halve(struct trie *t, const struct tnode *tp, const struct tnode *tn)
{
	unsigned long len = child_length(tn);
	unsigned long used = len - tn->empty_children;
	int threshold = IS_TRIE(t, tp) ? halve_threshold_root : halve_threshold;

	return tn->kn.bits > 1 && 100 * used < (unsigned long)threshold * len;
}

static bool should_collapse(const struct tnode *tn)
{
	return child_length(tn) - tn->empty_children < 2;
}

/* Remove @tn, which has one child or none, from the trie. Returns its parent. */
static struct tnode *collapse(struct trie *t, struct tnode *tn)
{
	struct tnode *tp = tn->kn.parent;
	unsigned char slen = tn->kn.slen;
	struct key_node *n = NULL;
	unsigned long i;

	for (i = 0; i < child_length(tn) && !n; i++)
		n = tn->child[i];
	put_child_root(t, tp, tn->kn.key, n);
	tnode_free(tn);
	t->tnodes--;
	/* The child may hold shorter suffixes than @tn claimed (its pos): shrink the
	 * parents' slen only where @tn's was the maximum. */
	if (!IS_TRIE(t, tp) && (!n || n->slen < slen))
		node_pull_suffix(t, tp, slen);
	return tp;
}

/* Bring @tn back within the thresholds. Returns the node to look at next (its parent). */
static struct tnode *resize(struct trie *t, struct tnode *tn)
{
	struct tnode *tp = tn->kn.parent, *nt;
	int max_work = MAX_WORK;

	if (should_collapse(tn))
		return collapse(t, tn);
	while (max_work && should_inflate(t, tp, tn)) {
		nt = inflate(t, tn);
		if (!nt)
			break;
		tn = nt;
		max_work--;
	}
	/* Return if at least one inflate ran. */
	if (max_work != MAX_WORK)
		return tn->kn.parent;
	while (max_work && should_halve(t, tp, tn)) {
		nt = halve(t, tn);
		if (!nt)
			break;
		tn = nt;
		max_work--;
	}
	if (should_collapse(tn))
		return collapse(t, tn);
	return tn->kn.parent;
}

static void trie_rebalance(struct trie *t, struct tnode *tn)
{
	unsigned int guard = 0;

	while (!IS_TRIE(t, tn) && guard++ < 64)
		tn = resize(t, tn);
}

/* The leaf with key @key (exact), or NULL; *@tp: the node that holds or would hold it. */
static struct leaf *fib_find_node(struct trie *t, struct tnode **tp, t_key key)
{
	struct tnode *pn = t->kv;
	struct key_node *n = pn->child[0];

	while (n) {
		unsigned long index = get_cindex(key, n);

		if (index >> n->bits) {
			n = NULL;
			break;
		}
		if (IS_LEAF(n))
			break;
		pn = TN(n);
		n = pn->child[index];
	}
	*tp = pn;
	return n ? LF(n) : NULL;
}

/* Insert a new leaf for @key below @tp (from fib_find_node). */
static struct leaf *fib_insert_node(struct trie *t, struct tnode *tp, t_key key,
				    unsigned char slen)
{
	struct key_node *n;
	struct leaf *l;

	l = leaf_new(key);
	if (!l)
		return NULL;
	l->kn.slen = slen;
	n = IS_TRIE(t, tp) ? tp->child[0] : tp->child[get_index(key, tp)];
	if (n) {
		/* Something else sits in the slot: a one-bit node at the highest bit where
		 * the keys differ takes both. */
		t_key diff = key ^ n->key;
		int pos = 31 - __builtin_clz(diff);
		struct tnode *tn = tnode_new(key, pos, 1);

		if (!tn) {
			leaf_free(l);
			return NULL;
		}
		t->tnodes++;
		put_child(tn, get_index(key, tn) ^ 1, n);
		put_child_root(t, tp, key, &tn->kn);
		tp = tn;
	}
	node_push_suffix(t, tp, slen);
	put_child_root(t, tp, key, &l->kn);
	t->leaves++;
	trie_rebalance(t, tp);
	return l;
}

/* Remove the (empty) leaf @l. */
static void trie_leaf_remove(struct trie *t, struct leaf *l)
{
	struct tnode *tp = l->kn.parent;
	unsigned char slen = l->kn.slen;

	put_child_root(t, tp, l->kn.key, NULL);
	leaf_free(l);
	t->leaves--;
	if (!IS_TRIE(t, tp))
		node_pull_suffix(t, tp, slen);
	trie_rebalance(t, tp);
}

/* ---- lookup ---- */

static int fib_table_lookup_visits(struct fib_table *tb, const struct flowi4 *flp,
				   struct fib_result *res, int fib_flags, unsigned long *visits)
{
	struct trie *t = tb->tb_data;
	t_key key = ntohl(flp->daddr);
	struct tnode *pn = t->kv;
	struct key_node *n, **cptr;
	unsigned long index, cindex = 0;
	struct fib_alias *fa;

	n = pn->child[0];
	if (!n)
		return 1;

	/* Step 1: go down as far as the key matches, remembering the deepest node where a
	 * shorter prefix could still match (slen > pos). */
	for (;;) {
		(*visits)++;
		index = get_cindex(key, n);
		if (index >> n->bits)
			break;
		if (IS_LEAF(n))
			goto found;
		if (n->slen > n->pos) {
			pn = TN(n);
			cindex = index;
		}
		n = TN(n)->child[index];
		if (!n)
			goto backtrace;
	}

	/* Step 2: @n does not match @key exactly; look for a shorter prefix below it
	 * (only the all-zero branch can hold one), backtracking when there is none. */
	for (;;) {
		if (prefix_mismatch(key, n) || n->slen == n->pos)
			goto backtrace;
		if (IS_LEAF(n))
			break;
		cptr = &TN(n)->child[0];
		while ((n = *cptr) == NULL) {
backtrace:
			/* No more index bits to strip here: go up. */
			while (!cindex) {
				t_key pkey = pn->kn.key;

				if (IS_TRIE(t, pn))
					return 1;
				pn = pn->kn.parent;
				cindex = get_index(pkey, pn);
			}
			/* Strip the least significant set bit: the next shorter candidate. */
			cindex &= cindex - 1;
			cptr = &pn->child[cindex];
		}
		(*visits)++;
	}

found:
	/* Step 3: the leaf's prefixes, longest first. */
	index = (unsigned long)(key ^ n->key);
	hlist_for_each_entry(fa, &LF(n)->falh, fa_list) {
		struct fib_info *fi = fa->fa_info;
		int nhsel, err;

		if (index >= (1UL << fa->fa_slen))
			continue;
		if (fa->fa_tos && fa->fa_tos != flp->flowi4_tos)
			continue;
		if (fi->fib_dead)
			continue;
		if (fi->fib_scope < flp->flowi4_scope)
			continue;
		fib_alias_accessed(fa);
		err = fib_props[fa->fa_type].error;
		if (err)
			return err;
		if (fi->fib_flags & RTNH_F_DEAD)
			continue;
		for (nhsel = 0; nhsel < fi->fib_nhs; nhsel++) {
			const struct fib_nh *nh = &fi->fib_nh[nhsel];

			if (nh->nh_flags & RTNH_F_DEAD)
				continue;
			if (flp->flowi4_oif && flp->flowi4_oif != nh->nh_oif)
				continue;
			res->prefixlen = (unsigned char)(KEYLENGTH - fa->fa_slen);
			res->nh_sel = (unsigned char)nhsel;
			res->type = fa->fa_type;
			res->scope = fi->fib_scope;
			res->fi = fi;
			res->table = tb;
			res->fa_head = NULL;
			if (!(fib_flags & FIB_LOOKUP_NOREF))
				atomic_inc(&fi->fib_clntref);
			return 0;
		}
	}
	goto backtrace;
}

/* The walk counts the nodes it visits locally and adds them once: lookups run on several
 * threads at once in the posix runtime. */
int fib_table_lookup(struct fib_table *tb, const struct flowi4 *flp, struct fib_result *res,
		     int fib_flags)
{
	unsigned long visits = 0;
	int err = fib_table_lookup_visits(tb, flp, res, fib_flags, &visits);

	__atomic_fetch_add(&fib_trie_visits, visits, __ATOMIC_RELAXED);
	return err;
}

/* ---- insert / delete ---- */

/* First alias of @l with tos <= @tos and (tos < @tos or priority >= @prio), among
 * those of prefix length @slen (3.10 fib_find_alias). */
static struct fib_alias *fib_find_alias(struct leaf *l, unsigned char slen, u8 tos, u32 prio)
{
	struct fib_alias *fa;

	if (!l)
		return NULL;
	hlist_for_each_entry(fa, &l->falh, fa_list) {
		if (fa->fa_slen < slen)
			continue;
		if (fa->fa_slen != slen)
			break;
		if (fa->fa_tos > tos)
			continue;
		if (fa->fa_info->fib_priority >= prio || fa->fa_tos < tos)
			return fa;
	}
	return NULL;
}

/* Insert @new into @l before @before (NULL: after the last alias of its prefix length). */
static void leaf_insert_alias(struct leaf *l, struct fib_alias *new, struct fib_alias *before)
{
	struct fib_alias *fa, *last = NULL;

	if (before) {
		hlist_add_before(&new->fa_list, &before->fa_list);
		return;
	}
	hlist_for_each_entry(fa, &l->falh, fa_list) {
		if (fa->fa_slen > new->fa_slen)
			break;
		last = fa;
	}
	if (last)
		hlist_add_after(&last->fa_list, &new->fa_list);
	else
		hlist_add_head(&new->fa_list, &l->falh);
}

int fib_table_insert(struct fib_table *tb, struct fib_config *cfg)
{
	struct trie *t = tb->tb_data;
	struct fib_alias *fa, *new_fa;
	struct fib_info *fi;
	unsigned char slen;
	struct tnode *tp;
	struct leaf *l;
	u8 tos = cfg->fc_tos;
	t_key key, mask;
	int plen = cfg->fc_dst_len;
	int err;

	if (plen > KEYLENGTH)
		return -EINVAL;
	key = ntohl(cfg->fc_dst);
	mask = plen ? ~0U << (KEYLENGTH - plen) : 0;
	if (key & ~mask)
		return -EINVAL;
	slen = (unsigned char)(KEYLENGTH - plen);

	fi = fib_create_info(cfg);
	if (IS_ERR(fi))
		return (int)PTR_ERR(fi);

	l = fib_find_node(t, &tp, key);
	fa = fib_find_alias(l, slen, tos, fi->fib_priority);

	/* fa: the first alias with the same tos and priority, or the one to insert before. */
	if (fa && fa->fa_tos == tos && fa->fa_info->fib_priority == fi->fib_priority) {
		struct fib_alias *fa_first = fa, *fa_match = NULL, *iter = fa;

		err = -EEXIST;
		if (cfg->fc_nlflags & NLM_F_EXCL)
			goto out;
		/* An exact match (type and fib_info) is a duplicate; NLM_F_APPEND goes after
		 * the aliases of the same tos/priority. */
		for (; iter; iter = hlist_entry_safe(iter->fa_list.next, struct fib_alias,
						     fa_list)) {
			if (iter->fa_slen != slen || iter->fa_tos != tos ||
			    iter->fa_info->fib_priority != fi->fib_priority)
				break;
			if (iter->fa_type == cfg->fc_type && iter->fa_info == fi) {
				fa_match = iter;
				break;
			}
			fa = iter;
		}
		if (cfg->fc_nlflags & NLM_F_REPLACE) {
			struct fib_info *fi_drop;
			u8 state;

			fa = fa_first;
			if (fa_match) {
				if (fa == fa_match)
					err = 0;
				goto out;
			}
			err = -ENOBUFS;
			new_fa = alias_new();
			if (!new_fa)
				goto out;
			fi_drop = fa->fa_info;
			new_fa->fa_tos = fa->fa_tos;
			new_fa->fa_info = fi;
			new_fa->fa_type = cfg->fc_type;
			new_fa->fa_slen = slen;
			state = fa->fa_state;
			new_fa->fa_state = state & ~FA_S_ACCESSED;
			hlist_add_before(&new_fa->fa_list, &fa->fa_list);
			hlist_del(&fa->fa_list);
			alias_free(fa);
			fib_release_info(fi_drop);
			if (state & FA_S_ACCESSED)
				rt_cache_flush(tb->tb_net);
			return 0;
		}
		if (fa_match)
			goto out;
		if (cfg->fc_nlflags & NLM_F_APPEND)
			fa = hlist_entry_safe(fa->fa_list.next, struct fib_alias, fa_list);
		else
			fa = fa_first;
		if (fa && fa->fa_slen != slen)
			fa = NULL;
	}
	err = -ENOENT;
	if (!(cfg->fc_nlflags & NLM_F_CREATE))
		goto out;

	err = -ENOBUFS;
	new_fa = alias_new();
	if (!new_fa)
		goto out;
	new_fa->fa_info = fi;
	new_fa->fa_tos = tos;
	new_fa->fa_type = cfg->fc_type;
	new_fa->fa_state = 0;
	new_fa->fa_slen = slen;

	if (!l) {
		l = fib_insert_node(t, tp, key, slen);
		if (!l) {
			alias_free(new_fa);
			err = -ENOMEM;
			goto out;
		}
		hlist_add_head(&new_fa->fa_list, &l->falh);
	} else {
		leaf_insert_alias(l, new_fa, fa);
		if (l->kn.slen < slen) {
			l->kn.slen = slen;
			node_push_suffix(t, l->kn.parent, slen);
		}
	}
	t->routes++;
	if (!plen)
		tb->tb_num_default++;
	rt_cache_flush(tb->tb_net);
	return 0;
out:
	fib_release_info(fi);
	return err;
}

static void fib_remove_alias(struct trie *t, struct fib_table *tb, struct leaf *l,
			     struct fib_alias *fa)
{
	unsigned char old_slen = l->kn.slen;

	hlist_del(&fa->fa_list);
	t->routes--;
	if (fa->fa_slen == KEYLENGTH)
		tb->tb_num_default--;
	if (hlist_empty(&l->falh)) {
		trie_leaf_remove(t, l);
	} else if (leaf_update_suffix(l) != old_slen) {
		node_pull_suffix(t, l->kn.parent, old_slen);
	}
}

int fib_table_delete(struct fib_table *tb, struct fib_config *cfg)
{
	struct trie *t = tb->tb_data;
	struct fib_alias *fa, *fa_to_delete = NULL;
	struct tnode *tp;
	struct leaf *l;
	unsigned char slen;
	int plen = cfg->fc_dst_len;
	u8 tos = cfg->fc_tos;
	t_key key, mask;

	if (plen > KEYLENGTH)
		return -EINVAL;
	key = ntohl(cfg->fc_dst);
	mask = plen ? ~0U << (KEYLENGTH - plen) : 0;
	if (key & ~mask)
		return -EINVAL;
	slen = (unsigned char)(KEYLENGTH - plen);

	l = fib_find_node(t, &tp, key);
	if (!l)
		return -ESRCH;
	fa = fib_find_alias(l, slen, tos, 0);
	if (!fa)
		return -ESRCH;
	for (; fa; fa = hlist_entry_safe(fa->fa_list.next, struct fib_alias, fa_list)) {
		struct fib_info *fi = fa->fa_info;

		if (fa->fa_slen != slen || fa->fa_tos != tos)
			break;
		if ((!cfg->fc_type || fa->fa_type == cfg->fc_type) &&
		    (cfg->fc_scope == RT_SCOPE_NOWHERE || fi->fib_scope == cfg->fc_scope) &&
		    (!cfg->fc_prefsrc || fi->fib_prefsrc == cfg->fc_prefsrc) &&
		    (!cfg->fc_protocol || fi->fib_protocol == cfg->fc_protocol) &&
		    fib_nh_match(cfg, fi) == 0) {
			fa_to_delete = fa;
			break;
		}
	}
	if (!fa_to_delete)
		return -ESRCH;
	fa = fa_to_delete;
	fib_remove_alias(t, tb, l, fa);
	if (fa->fa_state & FA_S_ACCESSED)
		rt_cache_flush(tb->tb_net);
	fib_release_info(fa->fa_info);
	alias_free(fa);
	return 0;
}

/* ---- walking ---- */

/* Collect every leaf in key order (depth-first, child index order = key order). */
static int trie_collect(struct key_node *n, struct leaf ***arr, size_t *cnt, size_t *cap)
{
	unsigned long i;

	if (!n)
		return 0;
	if (IS_LEAF(n)) {
		if (*cnt == *cap) {
			size_t ncap = *cap ? *cap * 2 : 64;
			struct leaf **bigger = realloc(*arr, ncap * sizeof(**arr));

			if (!bigger)
				return -ENOMEM;
			*arr = bigger;
			*cap = ncap;
		}
		(*arr)[(*cnt)++] = LF(n);
		return 0;
	}
	for (i = 0; i < child_length(TN(n)); i++) {
		int err = trie_collect(TN(n)->child[i], arr, cnt, cap);

		if (err)
			return err;
	}
	return 0;
}

/* The leaves of @t (malloc'ed array, scratch memory; caller frees). */
static struct leaf **trie_leaves(struct trie *t, size_t *cnt)
{
	struct leaf **arr = NULL;
	size_t cap = 0;

	*cnt = 0;
	if (trie_collect(t->kv->child[0], &arr, cnt, &cap)) {
		free(arr);
		*cnt = 0;
		return NULL;
	}
	return arr;
}

int fib_table_walk(struct fib_table *tb, int (*cb)(__be32 dst, int plen, u8 tos, u8 type,
						   struct fib_info *fi, void *arg), void *arg)
{
	struct trie *t = tb->tb_data;
	struct leaf **leaves;
	size_t n, i;
	int ret = 0;

	leaves = trie_leaves(t, &n);
	for (i = 0; i < n && !ret; i++) {
		struct fib_alias *fa;

		hlist_for_each_entry(fa, &leaves[i]->falh, fa_list) {
			ret = cb(htonl(leaves[i]->kn.key), KEYLENGTH - fa->fa_slen, fa->fa_tos,
				 fa->fa_type, fa->fa_info, arg);
			if (ret)
				break;
		}
	}
	free(leaves);
	return ret;
}

int fib_table_flush_all(struct fib_table *tb, bool (*filter)(const struct fib_info *fi,
							     u8 type, void *arg), void *arg)
{
	struct trie *t = tb->tb_data;
	struct leaf **leaves;
	size_t n, i;
	int found = 0;

	leaves = trie_leaves(t, &n);
	for (i = 0; i < n; i++) {
		struct leaf *l = leaves[i];
		struct fib_alias *fa;
		struct hlist_node *tmp;
		unsigned int left = 0;

		hlist_for_each_entry(fa, &l->falh, fa_list)
			left++;
		hlist_for_each_entry_safe(fa, tmp, &l->falh, fa_list) {
			struct fib_info *fi = fa->fa_info;

			if (filter && !filter(fi, fa->fa_type, arg))
				continue;
			/* The last alias takes the leaf with it (and may reshape the trie, but
			 * leaves other than @l stay where they are). */
			fib_remove_alias(t, tb, l, fa);
			fib_release_info(fi);
			alias_free(fa);
			found++;
			if (--left == 0)
				break;
		}
	}
	free(leaves);
	if (found)
		rt_cache_flush(tb->tb_net);
	return found;
}

static bool fib_alias_dead(const struct fib_info *fi, u8 type, void *arg)
{
	return fi && (fi->fib_flags & RTNH_F_DEAD);
}

int fib_table_flush(struct fib_table *tb)
{
	return fib_table_flush_all(tb, fib_alias_dead, NULL);
}

unsigned int fib_table_count(struct fib_table *tb)
{
	return ((struct trie *)tb->tb_data)->routes;
}

static void trie_depth(struct key_node *n, unsigned int depth, unsigned int *max_depth)
{
	unsigned long i;

	if (!n)
		return;
	if (IS_LEAF(n)) {
		if (depth > *max_depth)
			*max_depth = depth;
		return;
	}
	for (i = 0; i < child_length(TN(n)); i++)
		trie_depth(TN(n)->child[i], depth + 1, max_depth);
}

void fib_table_stats(struct fib_table *tb, unsigned int *max_depth, unsigned int *tnodes,
		     unsigned int *leaves)
{
	struct trie *t = tb->tb_data;

	*max_depth = 0;
	trie_depth(t->kv->child[0], 1, max_depth);
	*tnodes = t->tnodes;
	*leaves = t->leaves;
}

/* ---- tables ---- */

struct fib_table *fib_trie_table(u32 id, struct net *net)
{
	struct fib_table *tb;
	struct trie *t;

	tb = kzalloc(sizeof(*tb), GFP_KERNEL);
	if (!tb)
		return NULL;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		goto out_tb;
	t->kv = tnode_new(0, KEYLENGTH, 0);
	if (!t->kv)
		goto out_t;
	t->kv->kn.slen = KEYLENGTH;
	tb->tb_id = id;
	tb->tb_default = -1;
	tb->tb_num_default = 0;
	tb->tb_net = net;
	tb->tb_data = t;
	return tb;
out_t:
	kfree(t);
out_tb:
	kfree(tb);
	return NULL;
}

/* Free every node and alias below @n (no rebalancing: the table is going). */
static void trie_free_subtree(struct key_node *n)
{
	unsigned long i;

	if (!n)
		return;
	if (IS_LEAF(n)) {
		struct fib_alias *fa;
		struct hlist_node *tmp;

		hlist_for_each_entry_safe(fa, tmp, &LF(n)->falh, fa_list) {
			hlist_del(&fa->fa_list);
			fib_release_info(fa->fa_info);
			alias_free(fa);
		}
		leaf_free(LF(n));
		return;
	}
	for (i = 0; i < child_length(TN(n)); i++)
		trie_free_subtree(TN(n)->child[i]);
	tnode_free(TN(n));
}

void fib_free_table(struct fib_table *tb)
{
	struct trie *t;

	if (!tb)
		return;
	t = tb->tb_data;
	trie_free_subtree(t->kv->child[0]);
	tnode_free(t->kv);
	kfree(t);
	kfree(tb);
}

/* ---- /proc/net/route (main table only, as 3.10's fib_route_seq_show) ---- */

#define RTF_UP		0x0001
#define RTF_GATEWAY	0x0002
#define RTF_HOST	0x0004
#define RTF_REJECT	0x0200

static unsigned int fib_flag_trans(int type, __be32 mask, const struct fib_info *fi)
{
	unsigned int flags = 0;

	if (type == RTN_UNREACHABLE || type == RTN_PROHIBIT)
		flags = RTF_REJECT;
	if (fi && fi->fib_nh[0].nh_gw)
		flags |= RTF_GATEWAY;
	if (mask == htonl(0xFFFFFFFF))
		flags |= RTF_HOST;
	flags |= RTF_UP;
	return flags;
}

static int fib_route_show_one(__be32 prefix, int plen, u8 tos, u8 type, struct fib_info *fi,
			      void *arg)
{
	struct seq_file *seq = arg;
	__be32 mask = inet_make_mask(plen);
	unsigned int flags = fib_flag_trans(type, mask, fi);

	if (type == RTN_BROADCAST || type == RTN_MULTICAST)
		return 0;
	seq_setwidth(seq, 127);
	if (fi)
		seq_printf(seq, "%s\t%08X\t%08X\t%04X\t%d\t%u\t%d\t%08X\t%d\t%u\t%u",
			   fi->fib_dev ? fi->fib_dev->name : "*", prefix, fi->fib_nh[0].nh_gw,
			   flags, 0, 0, (int)fi->fib_priority, mask,
			   (int)(fi->fib_advmss ? fi->fib_advmss + 40 : 0), fi->fib_window,
			   fi->fib_rtt >> 3);
	else
		seq_printf(seq, "*\t%08X\t%08X\t%04X\t%d\t%u\t%d\t%08X\t%d\t%u\t%u", prefix, 0,
			   flags, 0, 0, 0, mask, 0, 0, 0);
	seq_pad(seq, '\n');
	return 0;
}

int fib_proc_show(struct seq_file *m, void *v)
{
	struct fib_table *tb;

	seq_printf(m, "%-127s\n", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\t"
		   "Mask\t\tMTU\tWindow\tIRTT");
	tb = m->net ? m->net->ipv4.fib_main : NULL;
	if (tb)
		fib_table_walk(tb, fib_route_show_one, m);
	return 0;
}

int fib_trie_init(void)
{
	fn_alias_kmem = kmem_cache_create("ip_fib_alias", sizeof(struct fib_alias), 0,
					  SLAB_PANIC, NULL);
	trie_leaf_kmem = kmem_cache_create("ip_fib_trie", sizeof(struct leaf), 0, SLAB_PANIC,
					   NULL);
	if (!fn_alias_kmem || !trie_leaf_kmem)
		return -ENOMEM;
	fib_trie_visits = 0;
	return 0;
}

void fib_trie_fini(void)
{
	kmem_cache_destroy(fn_alias_kmem);
	kmem_cache_destroy(trie_leaf_kmem);
	fn_alias_kmem = NULL;
	trie_leaf_kmem = NULL;
}
