/* SPDX-License-Identifier: MIT */
/* Pseudo dentries (one per socket file) and inode reference counting.
 * Mirrors linux/fs/dcache.c and fs/inode.c (3.10): the "dentry" cache, d_alloc_pseudo,
 * d_instantiate, dput, iput, get_next_ino.
 * DIVERGES: no dcache hash, LRU or parents: a pseudo dentry lives exactly as long as its
 * references (3.10 frees unhashed dentries at the last dput too). No super blocks: the
 * last iput finds the inode's pseudo filesystem by its file type (register_pseudo_fs). */
#include "linux/errno.h"
#include "linux/fs.h"
#include "linux/kernel.h"
#include "linux/slab.h"

static struct kmem_cache *dentry_cache;
static atomic_t last_ino;

/* The pseudo filesystems by file type ((i_mode & S_IFMT) >> 12): see linux/fs.h. Set at
 * boot (sock_init), read without a lock. */
#define UL_S_IFMT	0170000
static const struct super_operations *pseudo_fs[16];

static unsigned int pseudo_fs_index(unsigned short mode)
{
	return (mode & UL_S_IFMT) >> 12;
}

int register_pseudo_fs(unsigned short type, const struct super_operations *ops)
{
	unsigned int i = pseudo_fs_index(type);

	if (!i || (type & ~UL_S_IFMT) || !ops)
		return -EINVAL;
	if (pseudo_fs[i])
		return -EBUSY;
	pseudo_fs[i] = ops;
	return 0;
}

void unregister_pseudo_fs(unsigned short type)
{
	pseudo_fs[pseudo_fs_index(type)] = NULL;
}

unsigned int get_next_ino(void)
{
	return (unsigned int)atomic_inc_return(&last_ino);
}

void iput(struct inode *inode)
{
	const struct super_operations *ops;

	if (!inode || !atomic_dec_and_test(&inode->i_count))
		return;
	ops = pseudo_fs[pseudo_fs_index(inode->i_mode)];
	if (unlikely(!ops || !ops->destroy_inode)) {
		/* Not freed: better a leak the teardown reports than a guess. */
		pr_err("iput: inode %u (mode %o) has no filesystem\n", inode->i_ino,
		       inode->i_mode);
		WARN_ON(1);
		return;
	}
	ops->destroy_inode(inode);
}

struct dentry *d_alloc_pseudo(const struct qstr *name)
{
	struct dentry *dentry;
	char *dname;

	if (!dentry_cache)
		return NULL;
	dentry = kmem_cache_zalloc(dentry_cache, GFP_KERNEL);
	if (!dentry)
		return NULL;
	/* Short names live inside the dentry; long ones get their own allocation (3.10). */
	if (name->len >= DNAME_INLINE_LEN) {
		dname = kmalloc(name->len + 1, GFP_KERNEL);
		if (!dname) {
			kmem_cache_free(dentry_cache, dentry);
			return NULL;
		}
	} else {
		dname = (char *)dentry->d_iname;
	}
	memcpy(dname, name->name, name->len);
	dname[name->len] = '\0';
	dentry->d_name.name = dname;
	dentry->d_name.len = name->len;
	dentry->d_name.hash = name->hash;
	atomic_set(&dentry->d_count, 1);
	spin_lock_init(&dentry->d_lock);
	return dentry;
}

void d_instantiate(struct dentry *dentry, struct inode *inode)
{
	dentry->d_inode = inode;
}

void dput(struct dentry *dentry)
{
	struct inode *inode;

	if (!dentry || !atomic_dec_and_test(&dentry->d_count))
		return;
	inode = dentry->d_inode;
	dentry->d_inode = NULL;
	iput(inode);
	if (dentry->d_name.name != (const char *)dentry->d_iname)
		kfree(dentry->d_name.name);
	kmem_cache_free(dentry_cache, dentry);
}

void dcache_init(void);
void dcache_fini(void);

void dcache_init(void)
{
	/* KMEM_CACHE(dentry, SLAB_RECLAIM_ACCOUNT|SLAB_PANIC|SLAB_MEM_SPREAD) in 3.10. */
	dentry_cache = kmem_cache_create("dentry", sizeof(struct dentry), 0,
					 SLAB_RECLAIM_ACCOUNT | SLAB_PANIC | SLAB_MEM_SPREAD, NULL);
	atomic_set(&last_ino, 0);
}

void dcache_fini(void)
{
	kmem_cache_destroy(dentry_cache);
	dentry_cache = NULL;
}
