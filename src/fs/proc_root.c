/* SPDX-License-Identifier: MIT */
/* The virtual /proc: a registry of files by path, each a show() function read whole.
 * Mirrors linux/fs/proc/root.c, generic.c and fs/seq_file.c's single_open: proc_create_single
 * (proc_create_single_data of later kernels), remove_proc_entry, and the read side of a
 * single_open file.
 *
 * Paths are relative to /proc ("softirqs", "net/dev"). Files under /proc/net are per
 * namespace in Linux (/proc/net is a link to /proc/self/net); here one entry serves every
 * namespace and show() finds the namespace being read in m->net.
 *
 * LOCKING: proc_lock (a mutex) guards the list. A reader takes a use count on the entry and
 * calls show() without the lock, so a show() may take any lock of the stack; removing an
 * entry waits (posix) until its readers are done, as remove_proc_entry() waits for
 * pde_users, so that the show's data can be freed right after.
 * DIVERGES: no directories, inodes or permissions: an entry is a path string. Plain malloc
 * (infrastructure, not a kernel object counted in slabinfo). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "init/boot.h"
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/list.h"
#include "linux/seq_file.h"
#include "linux/spinlock.h"

#define PROC_PATH_MAX 128

struct proc_dir_entry {
	struct list_head list;		/* proc_entries, sorted by path */
	char path[PROC_PATH_MAX];
	proc_show_t show;
	proc_write_t write;		/* NULL: read-only (writes get -EACCES) */
	void *data;
	int users;			/* readers inside show() (pde_users) */
	bool removed;
};

static LIST_HEAD(proc_entries);
static pthread_mutex_t proc_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t proc_users_cond = PTHREAD_COND_INITIALIZER;

/* "/proc/net/dev", "/net/dev", "net/dev" -> "net/dev". Rejects empty names,
 * "." and ".." components, empty components and names that do not fit. */
static int proc_normalize(const char *path, char *out, size_t outlen)
{
	const char *p = path, *c;
	size_t len;

	if (!path)
		return -EINVAL;
	while (*p == '/')
		p++;
	if (strncmp(p, "proc", 4) == 0 && (p[4] == '/' || p[4] == '\0') && path[0] == '/') {
		p += 4;
		while (*p == '/')
			p++;
	}
	len = strlen(p);
	while (len && p[len - 1] == '/')
		len--;
	if (len == 0 || len >= outlen)
		return -EINVAL;
	memcpy(out, p, len);
	out[len] = '\0';
	for (c = out; *c; ) {
		const char *slash = strchr(c, '/');
		size_t clen = slash ? (size_t)(slash - c) : strlen(c);

		if (clen == 0 || (clen == 1 && c[0] == '.') ||
		    (clen == 2 && c[0] == '.' && c[1] == '.'))
			return -EINVAL;
		c += clen + (slash ? 1 : 0);
	}
	return 0;
}

/* Caller holds proc_lock. */
static struct proc_dir_entry *proc_lookup(const char *path)
{
	struct proc_dir_entry *e;

	list_for_each_entry(e, &proc_entries, list)
		if (!e->removed && strcmp(e->path, path) == 0)
			return e;
	return NULL;
}

/* Is @path a directory, i.e. a prefix of some entry followed by '/'? Caller holds proc_lock. */
static bool proc_is_dir(const char *path)
{
	size_t len = strlen(path);
	struct proc_dir_entry *e;

	list_for_each_entry(e, &proc_entries, list)
		if (!e->removed && strncmp(e->path, path, len) == 0 && e->path[len] == '/')
			return true;
	return false;
}

/* Context: process (boot, namespace or device setup). Returns 0, -EINVAL (bad path or no
 * show), -EEXIST (already registered; a file and a directory may not share a name) or
 * -ENOMEM. */
int proc_create_single(const char *path, proc_show_t show, void *data)
{
	return proc_create_rw(path, show, NULL, data);
}

int proc_create_rw(const char *path, proc_show_t show, proc_write_t write, void *data)
{
	struct proc_dir_entry *e, *pos;
	char norm[PROC_PATH_MAX];
	int err = proc_normalize(path, norm, sizeof(norm));

	if (err || !show) {
		pr_err("proc: cannot create '%s': bad path or no show function\n",
		       path ? path : "(null)");
		return -EINVAL;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	strcpy(e->path, norm);
	e->show = show;
	e->write = write;
	e->data = data;

	pthread_mutex_lock(&proc_lock);
	if (proc_lookup(norm) || proc_is_dir(norm)) {
		pthread_mutex_unlock(&proc_lock);
		free(e);
		pr_err("proc: '%s' already registered\n", norm);
		return -EEXIST;
	}
	list_for_each_entry(pos, &proc_entries, list)
		if (strcmp(pos->path, norm) > 0)
			break;
	list_add_tail(&e->list, &pos->list);	/* before the first greater one: sorted */
	pthread_mutex_unlock(&proc_lock);
	return 0;
}

/* Context: process. Removing a path that is not registered does nothing (it may never have
 * been created because its subsystem failed to initialise). */
void proc_remove_path(const char *path)
{
	char norm[PROC_PATH_MAX];
	struct proc_dir_entry *e;

	if (proc_normalize(path, norm, sizeof(norm)))
		return;
	pthread_mutex_lock(&proc_lock);
	e = proc_lookup(norm);
	if (!e) {
		pthread_mutex_unlock(&proc_lock);
		return;
	}
	e->removed = true;
	/* Only another thread can be inside show(); on one thread (sim) a user count here means
	 * show() itself removes its file, which must not wait for itself. */
	while (e->users && ul_smp)
		pthread_cond_wait(&proc_users_cond, &proc_lock);
	if (e->users) {
		/* The last reader frees it (proc_put). */
		pthread_mutex_unlock(&proc_lock);
		return;
	}
	list_del(&e->list);
	pthread_mutex_unlock(&proc_lock);
	free(e);
}

static void proc_put(struct proc_dir_entry *e)
{
	bool free_it = false;

	pthread_mutex_lock(&proc_lock);
	if (--e->users == 0 && e->removed) {
		if (ul_smp) {
			pthread_cond_broadcast(&proc_users_cond);
		} else {
			list_del(&e->list);
			free_it = true;
		}
	}
	pthread_mutex_unlock(&proc_lock);
	if (free_it)
		free(e);
}

/* Context: process (a reader of /proc). show(m, v) is called once with m->private and v both
 * set to the entry's data (single_open), m->net = @net. */
char *ul_proc_read_alloc(struct net *net, const char *path, int *err)
{
	char norm[PROC_PATH_MAX];
	struct proc_dir_entry *e;
	struct seq_file m;
	int dummy, ret;

	if (!err)
		err = &dummy;
	if (proc_normalize(path, norm, sizeof(norm))) {
		*err = -ENOENT;
		return NULL;
	}
	pthread_mutex_lock(&proc_lock);
	e = proc_lookup(norm);
	if (!e) {
		*err = proc_is_dir(norm) ? -EISDIR : -ENOENT;
		pthread_mutex_unlock(&proc_lock);
		return NULL;
	}
	e->users++;
	pthread_mutex_unlock(&proc_lock);

	memset(&m, 0, sizeof(m));
	m.net = net;
	m.private = e->data;
	ret = e->show(&m, e->data);
	if (ret == 0 && !m.buf)
		ret = seq_write(&m, "", 0);	/* an empty file is "", not NULL */
	proc_put(e);
	if (ret < 0) {
		seq_release(&m);
		*err = ret;
		return NULL;
	}
	*err = 0;
	return m.buf;
}

/* Context: process (echo VALUE > /proc/PATH). */
int ul_proc_write_str(struct net *net, const char *path, const char *buf)
{
	char norm[PROC_PATH_MAX];
	struct proc_dir_entry *e;
	int ret;

	if (!buf || proc_normalize(path, norm, sizeof(norm)))
		return -ENOENT;
	pthread_mutex_lock(&proc_lock);
	e = proc_lookup(norm);
	if (!e) {
		ret = proc_is_dir(norm) ? -EISDIR : -ENOENT;
		pthread_mutex_unlock(&proc_lock);
		return ret;
	}
	if (!e->write) {
		pthread_mutex_unlock(&proc_lock);
		return -EACCES;	/* mode 0444, as Linux answers a write to a read-only file */
	}
	e->users++;
	pthread_mutex_unlock(&proc_lock);
	ret = e->write(net, buf, strlen(buf), e->data);
	proc_put(e);
	return ret;
}

/* ls -R /proc: @fn gets each file's path (without "/proc/"), sorted. @fn must not create or
 * remove /proc entries. */
void ul_proc_for_each(void (*fn)(const char *path, void *arg), void *arg)
{
	struct proc_dir_entry *e;

	pthread_mutex_lock(&proc_lock);
	list_for_each_entry(e, &proc_entries, list)
		if (!e->removed)
			fn(e->path, arg);
	pthread_mutex_unlock(&proc_lock);
}

void proc_root_init(void)
{
	INIT_LIST_HEAD(&proc_entries);
}

/* Context: teardown, every subsystem gone. Entries left behind are freed quietly: their
 * owners were torn down with the stack. */
void proc_root_fini(void)
{
	struct proc_dir_entry *e, *n;

	pthread_mutex_lock(&proc_lock);
	list_for_each_entry_safe(e, n, &proc_entries, list) {
		list_del(&e->list);
		free(e);
	}
	INIT_LIST_HEAD(&proc_entries);
	pthread_mutex_unlock(&proc_lock);
}
