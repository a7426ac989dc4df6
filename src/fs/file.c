/* SPDX-License-Identifier: MIT */
/* Open files and per-task file descriptor tables.
 * Mirrors linux/fs/file.c and fs/file_table.c (3.10): alloc_fdtable, expand_files,
 * __alloc_fd, get_unused_fd_flags, put_unused_fd, fd_install, __close_fd, fget,
 * fget_light, get_empty_filp, alloc_file, fput, __fput, files_init (the "filp" cache,
 * fs.file-max, fs.file-nr, fs.nr_open), and kernel/exit.c's exit_files.
 *
 * Limits (book ch8): a task may hold fds below its RLIMIT_NOFILE (soft 1024 by default,
 * EMFILE beyond); a table never grows past fs.nr_open; the whole stack has at most
 * fs.file-max open files (ENFILE beyond).
 *
 * LOCKING: files->file_lock guards a table. A table belongs to one task (no CLONE_FILES),
 * so a lookup needs no reference (fget_light); an fd's file keeps one reference, dropped by
 * close. */
#include "linux/errno.h"
#include "linux/eventpoll.h"
#include "linux/fdtable.h"
#include "linux/fs.h"
#include "linux/kernel.h"
#include "linux/sched.h"
#include "linux/slab.h"
#include "linux/sysctl.h"

/* DIVERGES: 3.10 computes fs.file-max at boot as 10% of RAM in KiB
 * (mempages * (PAGE_SIZE / 1024) / 10, at least NR_FILE); ulnet uses the value of a machine
 * with 8 GiB of RAM (2097152 pages): 838860. */
#define UL_FILE_MAX_DEFAULT 838860UL

struct files_stat_struct files_stat = { .max_files = UL_FILE_MAX_DEFAULT };
int sysctl_nr_open = NR_OPEN;
static int sysctl_nr_open_min = BITS_PER_LONG;
/* Largest int that is a multiple of BITS_PER_LONG (3.10: sysctl_nr_open_max). */
static int sysctl_nr_open_max = 0x7fffffff & -BITS_PER_LONG;

static struct kmem_cache *filp_cachep;
static struct kmem_cache *files_cachep;
static atomic_long_t nr_files;
static LIST_HEAD(all_files);
static DEFINE_SPINLOCK(all_files_lock);
static bool files_ready;

struct files_struct init_files;

unsigned long get_nr_files(void)
{
	return (unsigned long)atomic_long_read(&nr_files);
}

/* ------------------------------------------------------------------------------------------
 * Bitmaps of the fd table. */

static unsigned int find_next_zero_bit(const unsigned long *map, unsigned int size,
				       unsigned int from)
{
	unsigned int i;

	for (i = from; i < size && (i % BITS_PER_LONG); i++)
		if (!(map[i / BITS_PER_LONG] & (1UL << (i % BITS_PER_LONG))))
			return i;
	/* Whole words: skip full ones. Bounded by size. */
	for (; i < size; i += BITS_PER_LONG) {
		unsigned long w = map[i / BITS_PER_LONG];

		if (w != ~0UL) {
			unsigned int bit = i + (unsigned int)__builtin_ctzl(~w);

			return bit < size ? bit : size;
		}
	}
	return size;
}

static inline void __set_open_fd(unsigned int fd, struct fdtable *fdt)
{
	__set_bit((int)fd, fdt->open_fds);
}

static inline void __clear_open_fd(unsigned int fd, struct fdtable *fdt)
{
	__clear_bit((int)fd, fdt->open_fds);
}

void __set_close_on_exec(unsigned int fd, struct fdtable *fdt)
{
	__set_bit((int)fd, fdt->close_on_exec);
}

void __clear_close_on_exec(unsigned int fd, struct fdtable *fdt)
{
	__clear_bit((int)fd, fdt->close_on_exec);
}

bool close_on_exec(unsigned int fd, const struct fdtable *fdt)
{
	return fd < fdt->max_fds && test_bit((int)fd, fdt->close_on_exec);
}

/* ------------------------------------------------------------------------------------------
 * Tables. */

/* 3.10 alloc_fdmem/free_fdmem: kmalloc up to PAGE_ALLOC_COSTLY_ORDER (32 KiB), vmalloc above
 * (a table of 1M fds is 8 MiB, beyond KMALLOC_MAX_SIZE). The size picks the allocator. */
#define FDMEM_KMALLOC_MAX	(4096UL << 3)

static void *alloc_fdmem(size_t size)
{
	return size <= FDMEM_KMALLOC_MAX ? kzalloc(size, GFP_KERNEL) : vzalloc(size);
}

static void free_fdmem(void *p, size_t size)
{
	if (size <= FDMEM_KMALLOC_MAX)
		kfree(p);
	else
		vfree(p);
}

static void free_fdtable(struct fdtable *fdt)
{
	size_t bits = DIV_ROUND_UP(fdt->max_fds, BITS_PER_LONG) * sizeof(unsigned long);

	free_fdmem(fdt->fd, fdt->max_fds * sizeof(struct file *));
	free_fdmem(fdt->open_fds, bits);
	free_fdmem(fdt->close_on_exec, bits);
	kfree(fdt);
}

/* A table that can hold fd @nr: sizes are whole KiB of pointers (128 fds) rounded to a
 * power of two, capped at fs.nr_open (3.10 alloc_fdtable). */
static struct fdtable *alloc_fdtable(unsigned int nr)
{
	unsigned int per_kb = 1024 / sizeof(struct file *);
	struct fdtable *fdt;
	size_t words;

	nr /= per_kb;
	nr = (unsigned int)roundup_pow_of_two(nr + 1);
	nr *= per_kb;
	if (nr > (unsigned int)sysctl_nr_open)
		nr = (((unsigned int)sysctl_nr_open - 1) | (BITS_PER_LONG - 1)) + 1;

	fdt = kzalloc(sizeof(*fdt), GFP_KERNEL);
	if (!fdt)
		return NULL;
	fdt->max_fds = nr;
	words = DIV_ROUND_UP(nr, BITS_PER_LONG);
	fdt->fd = alloc_fdmem(nr * sizeof(struct file *));
	fdt->open_fds = alloc_fdmem(words * sizeof(unsigned long));
	fdt->close_on_exec = alloc_fdmem(words * sizeof(unsigned long));
	if (!fdt->fd || !fdt->open_fds || !fdt->close_on_exec) {
		free_fdtable(fdt);
		return NULL;
	}
	return fdt;
}

static void copy_fdtable(struct fdtable *nfdt, const struct fdtable *ofdt)
{
	size_t words = DIV_ROUND_UP(ofdt->max_fds, BITS_PER_LONG);

	memcpy(nfdt->fd, ofdt->fd, ofdt->max_fds * sizeof(struct file *));
	memcpy(nfdt->open_fds, ofdt->open_fds, words * sizeof(unsigned long));
	memcpy(nfdt->close_on_exec, ofdt->close_on_exec, words * sizeof(unsigned long));
}

/* Caller holds file_lock. */
static int expand_fdtable(struct files_struct *files, unsigned int nr)
{
	struct fdtable *new_fdt, *cur_fdt = files_fdtable(files);

	new_fdt = alloc_fdtable(nr);
	if (!new_fdt)
		return -ENOMEM;
	/* nr_open may have shrunk below what we asked for. */
	if (unlikely(new_fdt->max_fds <= nr)) {
		free_fdtable(new_fdt);
		return -EMFILE;
	}
	copy_fdtable(new_fdt, cur_fdt);
	files->fdt = new_fdt;
	/* DIVERGES: freed at once (Linux: call_rcu); tables are never read without the
	 * owner's lock or by another task. */
	if (cur_fdt != &files->fdtab)
		free_fdtable(cur_fdt);
	return 1;
}

int expand_files(struct files_struct *files, unsigned int nr)
{
	struct fdtable *fdt = files_fdtable(files);

	if (nr < fdt->max_fds)
		return 0;
	if (nr >= (unsigned int)sysctl_nr_open)
		return -EMFILE;
	return expand_fdtable(files, nr);
}

static void files_struct_init(struct files_struct *files, struct task_struct *owner)
{
	memset(files, 0, sizeof(*files));
	atomic_set(&files->count, 1);
	spin_lock_init(&files->file_lock);
	files->fdtab.max_fds = NR_OPEN_DEFAULT;
	files->fdtab.fd = files->fd_array;
	files->fdtab.open_fds = files->open_fds_init;
	files->fdtab.close_on_exec = files->close_on_exec_init;
	files->fdt = &files->fdtab;
	files->rlim_cur = INR_OPEN_CUR;
	files->rlim_max = INR_OPEN_MAX;
	files->owner = owner;
	INIT_LIST_HEAD(&files->list);
}

static bool is_init_task(const struct task_struct *p)
{
	return p->pid == 1 && !(p->flags & (PF_KTHREAD | PF_IDLE));
}

struct files_struct *get_task_files(void)
{
	struct task_struct *p = current;
	struct files_struct *files;

	if (!p || !files_ready || (p->flags & PF_IDLE))
		return NULL;
	if (p->files)
		return p->files;
	if (is_init_task(p)) {
		files = &init_files;
		files->owner = p;
	} else {
		files = kmem_cache_alloc(files_cachep, GFP_KERNEL);
		if (!files)
			return NULL;
		files_struct_init(files, p);
	}
	spin_lock(&all_files_lock);
	list_add_tail(&files->list, &all_files);
	spin_unlock(&all_files_lock);
	p->files = files;
	return files;
}

/* Close every fd of @files (do_exit, teardown). */
static void close_files(struct files_struct *files)
{
	unsigned int i;

	for (;;) {
		struct fdtable *fdt;
		struct file *file = NULL;

		spin_lock(&files->file_lock);
		fdt = files_fdtable(files);
		for (i = 0; i < fdt->max_fds; i++) {
			file = fdt->fd[i];
			if (file) {
				fdt->fd[i] = NULL;
				__clear_open_fd(i, fdt);
				__clear_close_on_exec(i, fdt);
				break;
			}
		}
		files->next_fd = 0;
		spin_unlock(&files->file_lock);
		if (!file)
			break;
		fput(file);
	}
}

static void put_files_struct(struct files_struct *files)
{
	struct fdtable *fdt;

	if (!atomic_dec_and_test(&files->count))
		return;
	close_files(files);
	spin_lock(&all_files_lock);
	list_del_init(&files->list);
	spin_unlock(&all_files_lock);
	fdt = files_fdtable(files);
	if (fdt != &files->fdtab)
		free_fdtable(fdt);
	if (files == &init_files)
		files_struct_init(&init_files, NULL);
	else
		kmem_cache_free(files_cachep, files);
}

void exit_files(struct task_struct *tsk)
{
	struct files_struct *files = tsk->files;

	if (!files)
		return;
	tsk->files = NULL;
	files->owner = NULL;
	put_files_struct(files);
}

unsigned int files_open_count(struct files_struct *files)
{
	struct fdtable *fdt;
	unsigned int i, n = 0;

	spin_lock(&files->file_lock);
	fdt = files_fdtable(files);
	for (i = 0; i < fdt->max_fds; i++)
		n += fdt->fd[i] != NULL;
	spin_unlock(&files->file_lock);
	return n;
}

/* Every open fd of every task's table, under all_files_lock and the table's file_lock:
 * what ss -p learns by reading /proc/PID/fd. @fn must not open or close files. */
void files_for_each_fd(void (*fn)(struct task_struct *owner, unsigned int fd,
				  struct file *file, void *arg), void *arg)
{
	struct files_struct *files;

	if (!files_ready || !fn)
		return;
	spin_lock(&all_files_lock);
	list_for_each_entry(files, &all_files, list) {
		struct fdtable *fdt;
		unsigned int i;

		spin_lock(&files->file_lock);
		fdt = files_fdtable(files);
		for (i = 0; i < fdt->max_fds; i++)
			if (fdt->fd[i])
				fn(files->owner, i, fdt->fd[i], arg);
		spin_unlock(&files->file_lock);
	}
	spin_unlock(&all_files_lock);
}

/* ------------------------------------------------------------------------------------------
 * Descriptors. */

int __alloc_fd(struct files_struct *files, unsigned int start, unsigned int end,
	       unsigned int flags)
{
	struct fdtable *fdt;
	unsigned int fd;
	int error, rounds = 0;

	spin_lock(&files->file_lock);
repeat:
	fdt = files_fdtable(files);
	fd = start;
	if (fd < files->next_fd)
		fd = files->next_fd;
	if (fd < fdt->max_fds)
		fd = find_next_zero_bit(fdt->open_fds, fdt->max_fds, fd);

	error = -EMFILE;
	if (fd >= end)
		goto out;
	error = expand_files(files, fd);
	if (error < 0)
		goto out;
	/* The table grew (the lock was held throughout): search again. Bounded: a grown
	 * table always has room at fd. */
	if (error && ++rounds < 4)
		goto repeat;

	if (start <= files->next_fd)
		files->next_fd = fd + 1;
	fdt = files_fdtable(files);
	__set_open_fd(fd, fdt);
	if (flags & O_CLOEXEC)
		__set_close_on_exec(fd, fdt);
	else
		__clear_close_on_exec(fd, fdt);
	error = (int)fd;
	if (fdt->fd[fd] != NULL) {
		pr_warn("alloc_fd: slot %u not NULL!\n", fd);
		fdt->fd[fd] = NULL;
	}
out:
	spin_unlock(&files->file_lock);
	return error;
}

int get_unused_fd_flags(unsigned int flags)
{
	struct files_struct *files = get_task_files();

	if (!files)
		return -EMFILE;
	return __alloc_fd(files, 0, (unsigned int)min_t(unsigned long, files->rlim_cur,
							 (unsigned long)sysctl_nr_open),
			  flags);
}

static void __put_unused_fd(struct files_struct *files, unsigned int fd)
{
	struct fdtable *fdt = files_fdtable(files);

	__clear_open_fd(fd, fdt);
	if (fd < files->next_fd)
		files->next_fd = fd;
}

void put_unused_fd(unsigned int fd)
{
	struct files_struct *files = get_task_files();

	if (!files)
		return;
	spin_lock(&files->file_lock);
	__put_unused_fd(files, fd);
	spin_unlock(&files->file_lock);
}

void fd_install(unsigned int fd, struct file *file)
{
	struct files_struct *files = get_task_files();
	struct fdtable *fdt;

	if (!files)
		return;
	spin_lock(&files->file_lock);
	fdt = files_fdtable(files);
	BUG_ON(fdt->fd[fd] != NULL);
	fdt->fd[fd] = file;
	spin_unlock(&files->file_lock);
}

int __close_fd(struct files_struct *files, unsigned int fd)
{
	struct file *file;
	struct fdtable *fdt;

	spin_lock(&files->file_lock);
	fdt = files_fdtable(files);
	if (fd >= fdt->max_fds)
		goto out_unlock;
	file = fdt->fd[fd];
	if (!file)
		goto out_unlock;
	fdt->fd[fd] = NULL;
	__clear_close_on_exec(fd, fdt);
	__put_unused_fd(files, fd);
	spin_unlock(&files->file_lock);
	/* filp_close: the fd's reference goes; the socket closes with the last one. */
	fput(file);
	return 0;

out_unlock:
	spin_unlock(&files->file_lock);
	return -EBADF;
}

int close_fd(unsigned int fd)
{
	struct files_struct *files = get_task_files();

	if (!files)
		return -EBADF;
	return __close_fd(files, fd);
}

struct file *fcheck_files(struct files_struct *files, unsigned int fd)
{
	struct fdtable *fdt = files_fdtable(files);

	if (fd < fdt->max_fds)
		return fdt->fd[fd];
	return NULL;
}

struct file *fget(unsigned int fd)
{
	struct files_struct *files = get_task_files();
	struct file *file;

	if (!files)
		return NULL;
	spin_lock(&files->file_lock);
	file = fcheck_files(files, fd);
	if (file)
		get_file(file);
	spin_unlock(&files->file_lock);
	return file;
}

/* Tables are never shared between tasks (count stays 1), so the fd's own reference keeps
 * the file alive for the length of the call: no reference is taken, as 3.10 does for an
 * unshared table. */
struct file *fget_light(unsigned int fd, int *fput_needed)
{
	struct files_struct *files = get_task_files();
	struct file *file;

	*fput_needed = 0;
	if (!files)
		return NULL;
	if (atomic_read(&files->count) == 1)
		return fcheck_files(files, fd);
	file = fget(fd);
	if (file)
		*fput_needed = 1;
	return file;
}

/* ------------------------------------------------------------------------------------------
 * Files (fs/file_table.c). */

struct file *get_empty_filp(void)
{
	struct file *f;

	if (!files_ready)
		return ERR_PTR(-ENOMEM);
	/* Privileged users can go above max_files in Linux (CAP_SYS_ADMIN); ulnet's tasks
	 * are all treated as unprivileged here so that ENFILE can be observed. */
	if (get_nr_files() >= files_stat.max_files) {
		pr_info("VFS: file-max limit %lu reached\n", files_stat.max_files);
		return ERR_PTR(-ENFILE);
	}
	f = kmem_cache_zalloc(filp_cachep, GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	atomic_long_inc(&nr_files);
	atomic_set(&f->f_count, 1);
	spin_lock_init(&f->f_lock);
	INIT_LIST_HEAD(&f->f_ep_links);
	return f;
}

struct file *alloc_file(struct path *path, fmode_t mode, const struct file_operations *fop)
{
	struct file *file = get_empty_filp();

	if (IS_ERR(file))
		return file;
	file->f_path = *path;
	file->f_mode = mode;
	file->f_op = fop;
	return file;
}

static void file_free(struct file *f)
{
	atomic_long_dec(&nr_files);
	kmem_cache_free(filp_cachep, f);
}

/* The last reference: release the object behind it, then the dentry, then the file. */
static void __fput(struct file *file)
{
	struct dentry *dentry = file->f_path.dentry;
	struct inode *inode = file_inode(file);

	/* Unhook the epoll items watching the file before it goes (3.10 __fput). */
	eventpoll_release(file);
	if (file->f_op && file->f_op->release)
		file->f_op->release(inode, file);
	file->f_path.dentry = NULL;
	if (dentry)
		dput(dentry);
	file_free(file);
}

/* DIVERGES: 3.10 defers __fput to task_work (run on return to user space); ulnet runs it
 * at once. */
void fput(struct file *file)
{
	if (__atomic_sub_fetch(&file->f_count.counter, 1, __ATOMIC_SEQ_CST) == 0)
		__fput(file);
}

/* ------------------------------------------------------------------------------------------
 * fs.* sysctls and boot. */

/* fs.file-nr: "allocated\tfree\tmax" (3.10 proc_nr_files). Read only. */
static int proc_nr_files(struct ctl_table *table, int write, void *buffer, size_t *lenp,
			 loff_t *ppos)
{
	unsigned long v[3];
	struct ctl_table t = *table;

	if (write)
		return -EPERM;
	v[0] = get_nr_files();
	v[1] = files_stat.nr_free_files;
	v[2] = files_stat.max_files;
	t.data = v;
	t.maxlen = sizeof(v);
	return proc_doulongvec_minmax(&t, 0, buffer, lenp, ppos);
}

static unsigned long file_max_min;	/* 0 */

static struct ctl_table fs_table[] = {
	{
		.procname = "file-nr",
		.data = &files_stat,
		.maxlen = 3 * sizeof(long),
		.mode = 0444,
		.proc_handler = proc_nr_files,
	},
	{
		.procname = "file-max",
		.data = &files_stat.max_files,
		.maxlen = sizeof(files_stat.max_files),
		.mode = 0644,
		.proc_handler = proc_doulongvec_minmax,
		.extra1 = &file_max_min,
	},
	{
		.procname = "nr_open",
		.data = &sysctl_nr_open,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = &sysctl_nr_open_min,
		.extra2 = &sysctl_nr_open_max,
	},
	{ }
};

void dcache_init(void);
void dcache_fini(void);

int files_init(void)
{
	int err;

	/* As 3.10: SLAB_HWCACHE_ALIGN | SLAB_PANIC. ulnet's struct file is 64 B, one line,
	 * so the alignment costs nothing (at 80 B it rounded to 128 and ulnet left it out;
	 * test_sock_objects keeps the size at 64). */
	filp_cachep = kmem_cache_create("filp", sizeof(struct file), 0,
					SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL);
	files_cachep = kmem_cache_create("files_cache", sizeof(struct files_struct), 0,
					 SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL);
	if (!filp_cachep || !files_cachep)
		return -ENOMEM;
	dcache_init();
	files_stat.nr_files = 0;
	files_stat.nr_free_files = 0;
	files_stat.max_files = UL_FILE_MAX_DEFAULT;
	sysctl_nr_open = NR_OPEN;
	atomic_long_set(&nr_files, 0);
	INIT_LIST_HEAD(&all_files);
	files_struct_init(&init_files, NULL);
	err = register_sysctl_table_path("fs", fs_table);
	if (err)
		pr_err("files_init: fs sysctls: %d\n", err);
	files_ready = true;
	return 0;
}

/* Teardown: close what tasks left open (their tables go too), then the caches. */
void files_fini(void)
{
	struct files_struct *files;
	unsigned int guard = 0;

	if (!files_ready)
		return;
	for (;;) {
		spin_lock(&all_files_lock);
		files = list_first_entry_or_null(&all_files, struct files_struct, list);
		spin_unlock(&all_files_lock);
		if (!files || ++guard > 1000000)
			break;
		if (files->owner)
			files->owner->files = NULL;
		files->owner = NULL;
		atomic_set(&files->count, 1);
		put_files_struct(files);
	}
	unregister_sysctl_path("fs");
	files_ready = false;
	if (get_nr_files())
		pr_warn("files_fini: %lu files still open\n", get_nr_files());
	dcache_fini();
	kmem_cache_destroy(files_cachep);
	kmem_cache_destroy(filp_cachep);
	files_cachep = NULL;
	filp_cachep = NULL;
}
