/* SPDX-License-Identifier: MIT */
/* Open files, inodes and dentries: what an fd points at.
 * Mirrors linux/include/linux/fs.h and dcache.h (3.10): struct file, file_operations, inode,
 * super_operations, dentry, qstr, files_stat; fs/file_table.c (get_empty_filp, alloc_file, fget, fput,
 * "filp" cache) and fs/dcache.c (d_alloc_pseudo, dput, "dentry" cache).
 *
 * ulnet has no filesystems: a file is a socket, an epoll instance (fs/eventpoll.c) or a
 * memory file (fs/read_write.c, ul_memfd_create).
 * The objects keep the kernel's shape and caches so the memory labs (book ch7) count one
 * file ("filp"), one dentry ("dentry") and one socket+inode ("sock_inode_cache") per socket.
 * DIVERGES: a dentry is a pseudo dentry only (no dcache hash, no parent, no super block);
 * an inode is embedded in its owner (struct socket_alloc), not from a per-fs cache.
 *
 * Lifetime: a file holds a reference (f_count); fget/fput take and drop them; the last
 * fput calls f_op->release (sock_close), drops the dentry and frees the file. */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H
#include <fcntl.h>
#include "linux/atomic.h"
#include "linux/list.h"
#include "linux/spinlock.h"
#include "linux/types.h"

struct file;
struct inode;
struct dentry;
struct poll_table_struct;
struct kiocb;

/* f_mode bits (fmode_t). */
typedef unsigned int fmode_t;
#define FMODE_READ	((fmode_t)0x1)
#define FMODE_WRITE	((fmode_t)0x2)

/* i_mode type of a socket inode (S_IFSOCK from <sys/stat.h>). */
#define UL_S_IFSOCK	0140000

struct file_operations {
	ssize_t (*read)(struct file *file, char *buf, size_t len, loff_t *ppos);
	ssize_t (*write)(struct file *file, const char *buf, size_t len, loff_t *ppos);
	/* readv/writev (3.10 aio_read/aio_write with a kiocb; here the iovec directly). */
	ssize_t (*read_iter)(struct file *file, const struct iovec *iov, unsigned long nr_segs);
	ssize_t (*write_iter)(struct file *file, const struct iovec *iov, unsigned long nr_segs);
	unsigned int (*poll)(struct file *file, struct poll_table_struct *wait);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	/* The last reference went (fput): free what private_data points at. */
	int (*release)(struct inode *inode, struct file *file);
	int (*fasync)(int fd, struct file *file, int on);
};

/* DIVERGES (issue #10, memory per socket): 3.10's i_ino is an unsigned long and the inode
 * has i_fop (the file_operations an open() of the inode would use) and i_sb (its super
 * block, whose s_op->destroy_inode frees it). ulnet's inodes are pseudo inodes numbered
 * by get_next_ino(), which returns an unsigned int in 3.10 too, so 32 bits hold every
 * number it can give; nothing opens an inode by path, so i_fop was written and never read
 * (alloc_file takes the fops); and there are no super blocks: a pseudo filesystem owns
 * the inodes of one file type (sockfs: S_IFSOCK), register_pseudo_fs. 16 B instead of 48
 * (the socket's inode is in every socket's sock_inode_cache object). */
struct inode {
	unsigned short i_mode;		/* S_IFSOCK | 0777 for sockets */
	atomic_t i_count;
	unsigned int i_ino;		/* get_next_ino(): "inode" of /proc/net/udp */
	uid_t i_uid;
};

/* What a pseudo filesystem does with its inodes (3.10's super_operations). */
struct super_operations {
	/* The last iput: free the inode (3.10: i_sb->s_op->destroy_inode). */
	void (*destroy_inode)(struct inode *inode);
};
/* The filesystem of the inodes of file type @type (an S_IFMT value: UL_S_IFSOCK): 0,
 * -EINVAL (not a file type), -EBUSY (taken). */
int register_pseudo_fs(unsigned short type, const struct super_operations *ops);
void unregister_pseudo_fs(unsigned short type);
/* Drop an inode reference; the last one calls its filesystem's destroy_inode. */
void iput(struct inode *inode);

/* A name (dentry names of sockets are the protocol's: "UDP", "TCP"). */
struct qstr {
	unsigned int hash;
	unsigned int len;
	const char *name;
};

/* DIVERGES (issue #10, memory per socket): 3.10 on 64-bit keeps names of up to 31 bytes
 * inside the dentry (DNAME_INLINE_LEN 32, what fills its dentry to 192 B); ulnet's pseudo
 * dentry is 32 B without the name and keeps up to 15 inline: 48 B. The names ulnet gives
 * (a socket's proto name: "TCP", "UNIX"; "[eventpoll]") fit; a longer one (a memory
 * file's "memfd:NAME") gets its own kmalloc as 3.10 does beyond the inline length. No
 * d_flags: ulnet's pseudo dentries have none of the DCACHE_* states (never hashed, no
 * LRU, no mounts, no d_op). */
#define DNAME_INLINE_LEN 16
struct dentry {
	struct inode *d_inode;
	struct qstr d_name;
	atomic_t d_count;		/* 3.10: d_count under d_lock */
	spinlock_t d_lock;
	unsigned char d_iname[DNAME_INLINE_LEN];
};

struct path {
	struct dentry *dentry;
};

/* DIVERGES (issue #10, memory per socket): 3.10's f_count is an atomic_long_t. A file's
 * references are its fds (at most fs.nr_open per table), in-flight system calls and
 * SCM_RIGHTS messages in flight, far below 2^31; an atomic_t fills the hole after f_lock.
 * And no f_inode (3.9 added it to spare file_inode() a load): the inode is the dentry's,
 * as before 3.9. The file is 64 B instead of 80 (one per socket): one cache line, so the
 * filp cache's SLAB_HWCACHE_ALIGN (3.10's) costs nothing; 64 an order-0 slab. */
struct file {
	struct path f_path;
#define f_dentry f_path.dentry
	const struct file_operations *f_op;
	spinlock_t f_lock;		/* f_flags changes (fcntl F_SETFL) */
	atomic_t f_count;
	unsigned int f_flags;		/* O_RDWR, O_NONBLOCK, ... */
	fmode_t f_mode;
	loff_t f_pos;
	void *private_data;		/* sockets: the struct socket */
	struct list_head f_ep_links;	/* epoll items watching this file (issue #6) */
};

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_path.dentry ? f->f_path.dentry->d_inode : NULL;
}

/* fs.file-nr / fs.file-max (struct files_stat_struct). */
struct files_stat_struct {
	unsigned long nr_files;		/* read only */
	unsigned long nr_free_files;	/* read only (always 0 since 2.6.2x) */
	unsigned long max_files;	/* tunable: fs.file-max */
};
extern struct files_stat_struct files_stat;
extern int sysctl_nr_open;		/* fs.nr_open: most fds one task may have */
#define NR_OPEN		(1024 * 1024)	/* sysctl_nr_open default */
#define NR_FILE		8192		/* floor of fs.file-max */
#define INR_OPEN_CUR	1024		/* RLIMIT_NOFILE soft default */
#define INR_OPEN_MAX	4096		/* RLIMIT_NOFILE hard default */
unsigned long get_nr_files(void);

/* ---- fs/file_table.c ---- */
/* A new file with one reference from the "filp" cache: -ENFILE (ERR_PTR) when files_stat
 * max_files are open, -ENOMEM. */
struct file *get_empty_filp(void);
/* A file for @path (the caller's dentry reference moves into it) with @mode and @fop. */
struct file *alloc_file(struct path *path, fmode_t mode, const struct file_operations *fop);
/* Drop a reference; the last one releases the file. Context: process. */
void fput(struct file *file);
static inline struct file *get_file(struct file *f)
{
	atomic_inc(&f->f_count);
	return f;
}
static inline long file_count(const struct file *f)
{
	return atomic_read(&f->f_count);
}

/* ---- fs/dcache.c ---- */
/* A dentry not in any hash, named @name, with one reference. NULL on ENOMEM. */
struct dentry *d_alloc_pseudo(const struct qstr *name);
void d_instantiate(struct dentry *dentry, struct inode *inode);
/* Drop a reference; the last one frees the dentry (and calls @iput for its inode). */
void dput(struct dentry *dentry);
/* Inode numbers for pseudo inodes (sockets), as get_next_ino(). */
unsigned int get_next_ino(void);

/* Boot: "filp" and "dentry" caches, fs.* sysctls. (Linux: vfs_caches_init.) */
int files_init(void);
void files_fini(void);

#endif
