/* SPDX-License-Identifier: MIT */
/* What a route means: the shared nexthop part of routes (fib_info), its checks, and what
 * happens to it when devices and addresses come and go.
 * Mirrors linux/net/ipv4/fib_semantics.c (3.10): fib_props, fib_create_info, fib_check_nh,
 * fib_find_info, fib_release_info, free_fib_info, fib_nh_match, fib_sync_down_dev,
 * fib_sync_down_addr, fib_sync_up, fib_info_update_nh_saddr, the fib_info hashes.
 *
 * Identical route attributes share one fib_info (fib_find_info), so 100k routes through
 * one gateway cost one nexthop. Three hashes find them: by attributes (fib_info_hash),
 * by preferred source (fib_info_laddrhash) and by nexthop device (fib_info_devhash).
 *
 * Locking: rtnl_lock for changes (fib_info_lock for the hashes). Context: process. */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/percpu.h"
#include "linux/rtnetlink.h"
#include "linux/slab.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/route.h"
#include "fib_lookup.h"

/* error and scope of each route type (RTN_*) */
const struct fib_prop fib_props[RTN_MAX + 1] = {
	[RTN_UNSPEC] = { .error = 0, .scope = RT_SCOPE_NOWHERE },
	[RTN_UNICAST] = { .error = 0, .scope = RT_SCOPE_UNIVERSE },
	[RTN_LOCAL] = { .error = 0, .scope = RT_SCOPE_HOST },
	[RTN_BROADCAST] = { .error = 0, .scope = RT_SCOPE_LINK },
	[RTN_ANYCAST] = { .error = 0, .scope = RT_SCOPE_LINK },
	[RTN_MULTICAST] = { .error = 0, .scope = RT_SCOPE_UNIVERSE },
	[RTN_BLACKHOLE] = { .error = -EINVAL, .scope = RT_SCOPE_UNIVERSE },
	[RTN_UNREACHABLE] = { .error = -EHOSTUNREACH, .scope = RT_SCOPE_UNIVERSE },
	[RTN_PROHIBIT] = { .error = -EACCES, .scope = RT_SCOPE_UNIVERSE },
	[RTN_THROW] = { .error = -EAGAIN, .scope = RT_SCOPE_UNIVERSE },
	[RTN_NAT] = { .error = -EINVAL, .scope = RT_SCOPE_NOWHERE },
	[RTN_XRESOLVE] = { .error = -EINVAL, .scope = RT_SCOPE_NOWHERE },
};

#define DEVINDEX_HASHBITS 8
#define DEVINDEX_HASHSIZE (1U << DEVINDEX_HASHBITS)

static DEFINE_SPINLOCK(fib_info_lock);
static struct hlist_head *fib_info_hash;
static struct hlist_head *fib_info_laddrhash;
static unsigned int fib_info_hash_size;
static unsigned int fib_info_cnt;
static struct hlist_head fib_info_devhash[DEVINDEX_HASHSIZE];

unsigned int fib_info_count(void)
{
	return fib_info_cnt;
}

static inline unsigned int fib_devindex_hashfn(unsigned int val)
{
	unsigned int mask = DEVINDEX_HASHSIZE - 1;

	return (val ^ (val >> DEVINDEX_HASHBITS) ^ (val >> (DEVINDEX_HASHBITS * 2))) & mask;
}

static inline unsigned int fib_info_hashfn(const struct fib_info *fi)
{
	unsigned int mask = fib_info_hash_size - 1;
	unsigned int val = (unsigned int)fi->fib_nhs;
	int i;

	val ^= ((unsigned int)fi->fib_protocol << 8) | fi->fib_scope;
	val ^= fi->fib_prefsrc;
	val ^= fi->fib_priority;
	for (i = 0; i < fi->fib_nhs; i++)
		val ^= fib_devindex_hashfn((unsigned int)fi->fib_nh[i].nh_oif);
	return (val ^ (val >> 7) ^ (val >> 12)) & mask;
}

static inline unsigned int fib_laddr_hashfn(__be32 val)
{
	unsigned int mask = fib_info_hash_size - 1;

	return (val ^ (val >> 7) ^ (val >> 14)) & mask;
}

static struct hlist_head *fib_info_hash_alloc(unsigned int n)
{
	size_t bytes = n * sizeof(struct hlist_head);

	return bytes <= 4096 ? kzalloc(bytes, GFP_KERNEL) : vzalloc(bytes);
}

static void fib_info_hash_free(struct hlist_head *hash, unsigned int n)
{
	if (!hash)
		return;
	if (n * sizeof(struct hlist_head) <= 4096)
		kfree(hash);
	else
		vfree(hash);
}

/* Grow the two hashes to @new_size buckets. */
static void fib_info_hash_move(struct hlist_head *new_info_hash,
			       struct hlist_head *new_laddrhash, unsigned int new_size)
{
	struct hlist_head *old_info_hash = fib_info_hash, *old_laddrhash = fib_info_laddrhash;
	unsigned int old_size = fib_info_hash_size, i;

	spin_lock_bh(&fib_info_lock);
	fib_info_hash_size = new_size;
	for (i = 0; i < old_size; i++) {
		struct fib_info *fi;
		struct hlist_node *n;

		hlist_for_each_entry_safe(fi, n, &old_info_hash[i], fib_hash) {
			hlist_del(&fi->fib_hash);
			hlist_add_head(&fi->fib_hash, &new_info_hash[fib_info_hashfn(fi)]);
		}
	}
	fib_info_hash = new_info_hash;
	for (i = 0; i < old_size; i++) {
		struct fib_info *fi;
		struct hlist_node *n;

		hlist_for_each_entry_safe(fi, n, &old_laddrhash[i], fib_lhash) {
			hlist_del(&fi->fib_lhash);
			hlist_add_head(&fi->fib_lhash,
				       &new_laddrhash[fib_laddr_hashfn(fi->fib_prefsrc)]);
		}
	}
	fib_info_laddrhash = new_laddrhash;
	spin_unlock_bh(&fib_info_lock);
	fib_info_hash_free(old_info_hash, old_size);
	fib_info_hash_free(old_laddrhash, old_size);
}

void free_fib_info(struct fib_info *fi)
{
	int i;

	if (!fi->fib_dead) {
		pr_warn("Freeing alive fib_info %p\n", (void *)fi);
		return;
	}
	fib_info_cnt--;
	for (i = 0; i < fi->fib_nhs; i++) {
		struct fib_nh *nh = &fi->fib_nh[i];

		/* The cached routes die with the nexthop (those in use live on until their
		 * last user lets go). */
		rt_nexthop_cache_free(nh);
		kfree(nh->nh_pcpu_rth_output);
		nh->nh_pcpu_rth_output = NULL;
		if (nh->nh_dev)
			dev_put(nh->nh_dev);
		nh->nh_dev = NULL;
	}
	kfree(fi);
}

void fib_release_info(struct fib_info *fi)
{
	int i;

	if (!fi)
		return;
	spin_lock_bh(&fib_info_lock);
	if (--fi->fib_treeref == 0) {
		hlist_del(&fi->fib_hash);
		if (fi->fib_prefsrc)
			hlist_del(&fi->fib_lhash);
		for (i = 0; i < fi->fib_nhs; i++) {
			if (!fi->fib_nh[i].nh_dev)
				continue;
			hlist_del(&fi->fib_nh[i].nh_hash);
		}
		fi->fib_dead = 1;
		spin_unlock_bh(&fib_info_lock);
		fib_info_put(fi);
		return;
	}
	spin_unlock_bh(&fib_info_lock);
}

static int nh_comp(const struct fib_info *fi, const struct fib_info *ofi)
{
	int i;

	for (i = 0; i < fi->fib_nhs; i++) {
		const struct fib_nh *nh = &fi->fib_nh[i], *onh = &ofi->fib_nh[i];

		if (nh->nh_oif != onh->nh_oif || nh->nh_gw != onh->nh_gw ||
		    nh->nh_scope != onh->nh_scope ||
		    ((nh->nh_flags ^ onh->nh_flags) & ~RTNH_F_DEAD))
			return -1;
	}
	return 0;
}

static struct fib_info *fib_find_info(const struct fib_info *nfi)
{
	struct fib_info *fi;

	hlist_for_each_entry(fi, &fib_info_hash[fib_info_hashfn(nfi)], fib_hash) {
		if (!net_eq(fi->fib_net, nfi->fib_net))
			continue;
		if (fi->fib_nhs != nfi->fib_nhs)
			continue;
		if (nfi->fib_protocol == fi->fib_protocol && nfi->fib_scope == fi->fib_scope &&
		    nfi->fib_prefsrc == fi->fib_prefsrc && nfi->fib_priority == fi->fib_priority &&
		    nfi->fib_type == fi->fib_type &&
		    !memcmp(nfi->fib_metrics, fi->fib_metrics, sizeof(fi->fib_metrics)) &&
		    ((nfi->fib_flags ^ fi->fib_flags) & ~RTNH_F_DEAD) == 0 &&
		    (nfi->fib_nhs == 0 || nh_comp(fi, nfi) == 0))
			return fi;
	}
	return NULL;
}

int fib_nh_match(struct fib_config *cfg, struct fib_info *fi)
{
	if (cfg->fc_priority && cfg->fc_priority != fi->fib_priority)
		return 1;
	if (cfg->fc_oif || cfg->fc_gw) {
		if ((!cfg->fc_oif || cfg->fc_oif == fi->fib_nh[0].nh_oif) &&
		    (!cfg->fc_gw || cfg->fc_gw == fi->fib_nh[0].nh_gw))
			return 0;
		return 1;
	}
	return 0;
}

/* Check the nexthop of a new route (3.10 fib_check_nh).
 * With a gateway: it must be reachable through a unicast or local route of a narrower
 * scope (-ENETUNREACH otherwise, "Network is unreachable"), on a device that is up. Without
 * one: the device must have IPv4 and be up; the route is on link (scope host nexthop). */
static int fib_check_nh(struct fib_config *cfg, struct fib_info *fi, struct fib_nh *nh)
{
	struct net *net = cfg->fc_nlinfo_nl_net;
	struct net_device *dev;
	int err;

	if (nh->nh_gw) {
		struct fib_result res;
		struct flowi4 fl4 = { 0 };

		if (nh->nh_flags & RTNH_F_ONLINK) {
			if (cfg->fc_scope >= RT_SCOPE_LINK)
				return -EINVAL;
			if (inet_addr_type(net, nh->nh_gw) != RTN_UNICAST)
				return -EINVAL;
			dev = __dev_get_by_index(net, nh->nh_oif);
			if (!dev)
				return -ENODEV;
			if (!(dev->flags & IFF_UP))
				return -ENETDOWN;
			nh->nh_dev = dev;
			dev_hold(dev);
			nh->nh_scope = RT_SCOPE_LINK;
			return 0;
		}
		fl4.daddr = nh->nh_gw;
		fl4.flowi4_scope = cfg->fc_scope + 1;
		fl4.flowi4_oif = nh->nh_oif;
		/* It is not necessary, but requires a bit of thinking (3.10's words). */
		if (fl4.flowi4_scope < RT_SCOPE_LINK)
			fl4.flowi4_scope = RT_SCOPE_LINK;
		err = fib_lookup(net, &fl4, &res);
		if (err)
			return err == -ENETUNREACH ? err : -ENETUNREACH;
		if (res.type != RTN_UNICAST && res.type != RTN_LOCAL)
			return -EINVAL;
		nh->nh_scope = res.scope;
		nh->nh_oif = FIB_RES_OIF(res);
		dev = FIB_RES_DEV(res);
		nh->nh_dev = dev;
		if (!dev)
			return -EINVAL;
		dev_hold(dev);
		return (dev->flags & IFF_UP) ? 0 : -ENETDOWN;
	} else {
		struct in_device *in_dev;

		if (nh->nh_flags & (RTNH_F_PERVASIVE | RTNH_F_ONLINK))
			return -EINVAL;
		in_dev = inetdev_by_index(net, nh->nh_oif);
		if (!in_dev)
			return -ENODEV;
		if (!(in_dev->dev->flags & IFF_UP))
			return -ENETDOWN;
		nh->nh_dev = in_dev->dev;
		dev_hold(nh->nh_dev);
		nh->nh_scope = RT_SCOPE_HOST;
		return 0;
	}
}

__be32 fib_info_update_nh_saddr(struct net *net, struct fib_nh *nh)
{
	nh->nh_saddr = nh->nh_dev ? inet_select_addr(nh->nh_dev, nh->nh_gw,
						     nh->nh_parent->fib_scope) : 0;
	nh->nh_saddr_genid = atomic_read(&net->ipv4.dev_addr_genid);
	return nh->nh_saddr;
}

struct fib_info *fib_create_info(struct fib_config *cfg)
{
	struct net *net = cfg->fc_nlinfo_nl_net;
	struct fib_info *fi = NULL, *ofi;
	struct fib_nh *nh;
	int err = -EINVAL;

	if (!net)
		return ERR_PTR(-EINVAL);
	if (cfg->fc_type > RTN_MAX)
		goto err_inval;
	/* Fast check to catch the most weird cases. */
	if (fib_props[cfg->fc_type].scope > cfg->fc_scope)
		goto err_inval;

	/* Grow the hashes as routes come (3.10: one bucket per fib_info). */
	if (fib_info_cnt >= fib_info_hash_size) {
		unsigned int new_size = fib_info_hash_size ? fib_info_hash_size << 1 : 16;
		struct hlist_head *new_info_hash = fib_info_hash_alloc(new_size);
		struct hlist_head *new_laddrhash = fib_info_hash_alloc(new_size);

		if (!new_info_hash || !new_laddrhash) {
			fib_info_hash_free(new_info_hash, new_size);
			fib_info_hash_free(new_laddrhash, new_size);
		} else {
			fib_info_hash_move(new_info_hash, new_laddrhash, new_size);
		}
		if (!fib_info_hash_size)
			goto failure_nomem;
	}

	fi = kzalloc(sizeof(*fi), GFP_KERNEL);
	if (!fi)
		goto failure_nomem;
	fib_info_cnt++;
	fi->fib_net = net;
	fi->fib_protocol = cfg->fc_protocol;
	fi->fib_scope = cfg->fc_scope;
	fi->fib_flags = cfg->fc_flags;
	fi->fib_priority = cfg->fc_priority;
	fi->fib_prefsrc = cfg->fc_prefsrc;
	fi->fib_type = cfg->fc_type;
	fi->fib_nhs = 1;
	memcpy(fi->fib_metrics, cfg->fc_metrics, sizeof(fi->fib_metrics));

	nh = &fi->fib_nh[0];
	nh->nh_parent = fi;
	nh->nh_pcpu_rth_output = kcalloc((size_t)nr_cpu_ids, sizeof(struct rtable *), GFP_KERNEL);
	if (!nh->nh_pcpu_rth_output)
		goto failure_nomem;
	nh->nh_oif = cfg->fc_oif;
	nh->nh_gw = cfg->fc_gw;
	nh->nh_flags = cfg->fc_flags;

	if (fib_props[cfg->fc_type].error) {
		/* Error routes have no nexthop. */
		if (cfg->fc_gw || cfg->fc_oif)
			goto err_inval;
		goto link_it;
	}
	switch (cfg->fc_type) {
	case RTN_UNICAST:
	case RTN_LOCAL:
	case RTN_BROADCAST:
	case RTN_ANYCAST:
	case RTN_MULTICAST:
		break;
	default:
		goto err_inval;
	}
	if (cfg->fc_scope > RT_SCOPE_HOST)
		goto err_inval;

	if (cfg->fc_scope == RT_SCOPE_HOST) {
		/* A local address is added. */
		if (nh->nh_gw)
			goto err_inval;
		nh->nh_scope = RT_SCOPE_NOWHERE;
		nh->nh_dev = __dev_get_by_index(net, nh->nh_oif);
		err = -ENODEV;
		if (!nh->nh_dev)
			goto failure;
		dev_hold(nh->nh_dev);
	} else {
		err = fib_check_nh(cfg, fi, nh);
		if (err)
			goto failure;
	}

	if (fi->fib_prefsrc) {
		if (cfg->fc_type != RTN_LOCAL || !cfg->fc_dst || fi->fib_prefsrc != cfg->fc_dst)
			if (inet_addr_type(net, fi->fib_prefsrc) != RTN_LOCAL)
				goto err_inval;
	}
	fib_info_update_nh_saddr(net, nh);

link_it:
	ofi = fib_find_info(fi);
	if (ofi) {
		fi->fib_dead = 1;
		free_fib_info(fi);
		ofi->fib_treeref++;
		return ofi;
	}
	fi->fib_treeref++;
	atomic_inc(&fi->fib_clntref);
	spin_lock_bh(&fib_info_lock);
	hlist_add_head(&fi->fib_hash, &fib_info_hash[fib_info_hashfn(fi)]);
	if (fi->fib_prefsrc)
		hlist_add_head(&fi->fib_lhash,
			       &fib_info_laddrhash[fib_laddr_hashfn(fi->fib_prefsrc)]);
	if (nh->nh_dev)
		hlist_add_head(&nh->nh_hash,
			       &fib_info_devhash[fib_devindex_hashfn(
					(unsigned int)nh->nh_dev->ifindex)]);
	spin_unlock_bh(&fib_info_lock);
	return fi;

err_inval:
	err = -EINVAL;
failure:
	if (fi) {
		fi->fib_dead = 1;
		free_fib_info(fi);
	}
	return ERR_PTR(err);
failure_nomem:
	err = -ENOBUFS;
	goto failure;
}

/* The address @local went away: routes that use it as preferred source die.
 * Returns how many fib_infos died. */
int fib_sync_down_addr(struct net *net, __be32 local)
{
	struct fib_info *fi;
	int ret = 0;

	if (!fib_info_laddrhash || !local)
		return 0;
	hlist_for_each_entry(fi, &fib_info_laddrhash[fib_laddr_hashfn(local)], fib_lhash) {
		if (!net_eq(fi->fib_net, net))
			continue;
		if (fi->fib_prefsrc == local) {
			fi->fib_flags |= RTNH_F_DEAD;
			ret++;
		}
	}
	return ret;
}

int fib_sync_down_dev(struct net_device *dev, int force)
{
	struct hlist_head *head =
		&fib_info_devhash[fib_devindex_hashfn((unsigned int)dev->ifindex)];
	struct fib_info *prev_fi = NULL;
	int scope = RT_SCOPE_NOWHERE;
	struct fib_nh *nh;
	int ret = 0;

	/* Host routes of our own addresses (scope nowhere nexthops) survive a device going
	 * down; they go only with @force (unregister, last address gone). */
	if (force)
		scope = -1;
	hlist_for_each_entry(nh, head, nh_hash) {
		struct fib_info *fi = nh->nh_parent;
		int dead = 0, i;

		if (nh->nh_dev != dev || fi == prev_fi)
			continue;
		prev_fi = fi;
		for (i = 0; i < fi->fib_nhs; i++) {
			struct fib_nh *nexthop_nh = &fi->fib_nh[i];

			if (nexthop_nh->nh_flags & RTNH_F_DEAD) {
				dead++;
			} else if (nexthop_nh->nh_dev == dev && nexthop_nh->nh_scope != scope) {
				nexthop_nh->nh_flags |= RTNH_F_DEAD;
				dead++;
			}
		}
		if (dead == fi->fib_nhs) {
			fi->fib_flags |= RTNH_F_DEAD;
			ret++;
		}
	}
	return ret;
}

int fib_sync_up(struct net_device *dev)
{
	struct hlist_head *head =
		&fib_info_devhash[fib_devindex_hashfn((unsigned int)dev->ifindex)];
	struct fib_nh *nh;
	int ret = 0;

	if (!(dev->flags & IFF_UP))
		return 0;
	hlist_for_each_entry(nh, head, nh_hash) {
		struct fib_info *fi = nh->nh_parent;

		if (nh->nh_dev != dev || !(fi->fib_flags & RTNH_F_DEAD))
			continue;
		if (!(nh->nh_flags & RTNH_F_DEAD))
			continue;
		if (!__in_dev_get_rtnl(dev))
			continue;
		nh->nh_flags &= ~RTNH_F_DEAD;
		fi->fib_flags &= ~RTNH_F_DEAD;
		ret++;
	}
	return ret;
}

int fib_semantics_init(void)
{
	unsigned int i;

	for (i = 0; i < DEVINDEX_HASHSIZE; i++)
		INIT_HLIST_HEAD(&fib_info_devhash[i]);
	fib_info_hash = NULL;
	fib_info_laddrhash = NULL;
	fib_info_hash_size = 0;
	fib_info_cnt = 0;
	return 0;
}

void fib_semantics_fini(void)
{
	if (fib_info_cnt)
		pr_warn("fib: %u fib_info still alive at teardown\n", fib_info_cnt);
	fib_info_hash_free(fib_info_hash, fib_info_hash_size);
	fib_info_hash_free(fib_info_laddrhash, fib_info_hash_size);
	fib_info_hash = NULL;
	fib_info_laddrhash = NULL;
	fib_info_hash_size = 0;
	fib_info_cnt = 0;
}
