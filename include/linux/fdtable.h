/* SPDX-License-Identifier: MIT */
/* Per-task file descriptor tables.
 * Mirrors linux/include/linux/fdtable.h and fs/file.c (3.10): struct fdtable, files_struct,
 * __alloc_fd (lowest free fd from next_fd), get_unused_fd_flags, put_unused_fd, fd_install,
 * __close_fd, fget, fget_light, fcheck_files, expand_files, close-on-exec bits.
 *
 * Each task has current->files. The init task (the thread that created the stack) uses the
 * static init_files, as Linux's init_task; other tasks get a table from "files_cache" on
 * their first fd call and release it (closing what is still open) when they exit.
 * The table starts with NR_OPEN_DEFAULT (64) slots and doubles up to the task's
 * RLIMIT_NOFILE, bounded by fs.nr_open.
 * DIVERGES: RLIMIT_NOFILE is kept in the files_struct (Linux: signal->rlim), since ulnet
 * tasks have no signal struct; tasks do not share tables (no CLONE_FILES).
 *
 * LOCKING: file_lock guards the table (fd allocation, install, close). */
#ifndef _LINUX_FDTABLE_H
#define _LINUX_FDTABLE_H
#include "linux/atomic.h"
#include "linux/fs.h"
#include "linux/spinlock.h"

struct task_struct;

#define NR_OPEN_DEFAULT BITS_PER_LONG

struct fdtable {
	unsigned int max_fds;
	struct file **fd;		/* current fd array */
	unsigned long *close_on_exec;
	unsigned long *open_fds;
};

struct files_struct {
	atomic_t count;
	struct fdtable *fdt;
	struct fdtable fdtab;
	spinlock_t file_lock;
	unsigned int next_fd;		/* lowest fd that may be free */
	unsigned long rlim_cur;		/* RLIMIT_NOFILE soft limit (see DIVERGES) */
	unsigned long rlim_max;		/* hard limit */
	struct task_struct *owner;	/* ulnet: the task whose ->files this is */
	struct list_head list;		/* ulnet: all tables (closed at teardown) */
	unsigned long close_on_exec_init[1];
	unsigned long open_fds_init[1];
	struct file *fd_array[NR_OPEN_DEFAULT];
};

extern struct files_struct init_files;

static inline struct fdtable *files_fdtable(struct files_struct *files)
{
	return files->fdt;
}
/* The file at @fd or NULL (no reference taken). Caller holds file_lock or owns @files. */
struct file *fcheck_files(struct files_struct *files, unsigned int fd);

/* The calling task's table, created on first use. NULL outside a task or on ENOMEM. */
struct files_struct *get_task_files(void);
/* Release @tsk's table: close every open fd and free it (do_exit -> exit_files). */
void exit_files(struct task_struct *tsk);

/* Lowest free fd >= @start below @end: -EMFILE (limit reached), -ENOMEM. The fd is reserved
 * (open_fds set) until fd_install or put_unused_fd. @flags: O_CLOEXEC. */
int __alloc_fd(struct files_struct *files, unsigned int start, unsigned int end,
	       unsigned int flags);
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);
/* Publish @file at a reserved @fd (the fd takes the caller's reference). */
void fd_install(unsigned int fd, struct file *file);
/* close(@fd): -EBADF if not open; drops the fd's reference. */
int __close_fd(struct files_struct *files, unsigned int fd);
int close_fd(unsigned int fd);
/* A reference to the file at @fd of the calling task, or NULL. Release with fput. */
struct file *fget(unsigned int fd);
/* Without a new reference when the table is not shared (*@fput_needed tells). */
struct file *fget_light(unsigned int fd, int *fput_needed);
static inline void fput_light(struct file *file, int fput_needed)
{
	if (fput_needed)
		fput(file);
}
/* FD_CLOEXEC (fcntl F_GETFD/F_SETFD). */
void __set_close_on_exec(unsigned int fd, struct fdtable *fdt);
void __clear_close_on_exec(unsigned int fd, struct fdtable *fdt);
bool close_on_exec(unsigned int fd, const struct fdtable *fdt);
/* Grow the table so that @nr is a valid index: 0 (no change), 1 (grown), -EMFILE, -ENOMEM. */
int expand_files(struct files_struct *files, unsigned int nr);
/* Open fds in @files (for tests and /proc). */
unsigned int files_open_count(struct files_struct *files);
/* Call @fn for each open fd of each task (ss -p). Holds the tables' locks: @fn only looks. */
void files_for_each_fd(void (*fn)(struct task_struct *owner, unsigned int fd,
				  struct file *file, void *arg), void *arg);

#endif
