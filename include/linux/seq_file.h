/* SPDX-License-Identifier: MIT */
/* seq_file and the virtual /proc. Mirrors linux/include/linux/seq_file.h and proc_fs.h.
 *
 * A /proc file is a show() function that prints into a seq_file; the buffer grows as needed.
 * Files under /proc/net are per namespace: m->net is the namespace being read. */
#ifndef _LINUX_SEQ_FILE_H
#define _LINUX_SEQ_FILE_H
#include "linux/compiler.h"
#include "linux/types.h"

struct net;
struct seq_file {
	char *buf;
	size_t size, count;
	struct net *net;
	void *private;
	size_t pad_until;	/* seq_setwidth()/seq_pad(): column to pad to (count units) */
};

__printf(2, 3) int seq_printf(struct seq_file *m, const char *fmt, ...);
int seq_puts(struct seq_file *m, const char *s);
int seq_putc(struct seq_file *m, char c);
int seq_write(struct seq_file *m, const void *data, size_t len);
/* seq_setwidth(m, width) marks the start of a fixed-width record; seq_pad(m, c) then pads with
 * spaces to @width characters since that mark and writes @c (if not 0), as /proc/net/tcp
 * lines are padded to 149 columns. */
void seq_setwidth(struct seq_file *m, size_t width);
void seq_pad(struct seq_file *m, char c);
/* seq_file buffer management for callers that build a seq_file by hand (ul_proc_read_alloc
 * does it for /proc files): seq_release frees m->buf. */
void seq_release(struct seq_file *m);

typedef int (*proc_show_t)(struct seq_file *m, void *v);
/* Register "/proc/<path>" (e.g. "softirqs", "net/softnet_stat"). */
int proc_create_single(const char *path, proc_show_t show, void *data);
void proc_remove_path(const char *path);
/* A writable file: @write gets what was written (not NUL-terminated beyond @len; buf[len] is
 * NUL) and returns 0 or -errno (-EINVAL for a bad value, which changes nothing). */
typedef int (*proc_write_t)(struct net *net, const char *buf, size_t len, void *data);
int proc_create_rw(const char *path, proc_show_t show, proc_write_t write, void *data);
/* echo @buf > /proc/@path. -ENOENT, -EISDIR, -EACCES (read-only) or the file's error. */
int ul_proc_write_str(struct net *net, const char *path, const char *buf);
/* Read a /proc file of namespace @net into a malloc'ed string (caller frees). Returns NULL and
 * sets *err to -ENOENT when there is no such file. */
char *ul_proc_read_alloc(struct net *net, const char *path, int *err);
/* Call @fn for every registered path (ls /proc). */
void ul_proc_for_each(void (*fn)(const char *path, void *arg), void *arg);

#endif
