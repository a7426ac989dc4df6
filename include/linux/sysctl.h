/* SPDX-License-Identifier: MIT */
/* sysctl tables. Mirrors linux/include/linux/sysctl.h and kernel/sysctl.c / proc_sysctl.c.
 *
 * A table is an array of ctl_table ended by an entry with a NULL procname, registered under a
 * path ("net/core"); the full name is "net.core.somaxconn". Global entries point .data at a
 * variable. Per-namespace entries (Linux kmemdup's the table per net and re-points .data)
 * are registered with register_net_sysctl_offset(): .data holds offsetof(struct net, field)
 * and each namespace reads its own copy.
 * Handlers parse and print the value as /proc/sys does: proc_dointvec writes "%d" values
 * separated by tabs; a bad value is -EINVAL and leaves the old one; an unknown name is
 * -ENOENT. */
#ifndef _LINUX_SYSCTL_H
#define _LINUX_SYSCTL_H
#include "linux/types.h"

struct ctl_table;
struct net;
typedef int proc_handler(struct ctl_table *ctl, int write, void *buffer, size_t *lenp,
			 loff_t *ppos);

struct ctl_table {
	const char *procname;
	void *data;
	int maxlen;
	unsigned short mode;
	proc_handler *proc_handler;
	void *extra1, *extra2;
};

proc_handler proc_dointvec;
proc_handler proc_dointvec_minmax;
proc_handler proc_douintvec;
proc_handler proc_dolongvec_minmax;
proc_handler proc_doulongvec_minmax;
proc_handler proc_dointvec_jiffies;	/* value in seconds, stored in jiffies */
proc_handler proc_dointvec_ms_jiffies;	/* value in ms, stored in jiffies */
proc_handler proc_dointvec_userhz_jiffies; /* value in USER_HZ ticks, stored in jiffies */
proc_handler proc_dostring;

/* Register a global table under @path ("net/core"). */
int register_sysctl_table_path(const char *path, struct ctl_table *table);
/* Register a per-namespace table: each entry's .data is an offset into struct net. */
int register_net_sysctl_offset(const char *path, struct ctl_table *table);
void unregister_sysctl_path(const char *path);

/* sysctl(8): read or write one value by dotted or slashed name, in namespace @net. */
int ul_sysctl_read(struct net *net, const char *name, char *buf, size_t len);
int ul_sysctl_write(struct net *net, const char *name, const char *value);
/* sysctl -a: call @fn for each name and its value, sorted by name. */
void ul_sysctl_for_each(struct net *net, void (*fn)(const char *name, const char *value, void *arg),
			void *arg);

#endif
