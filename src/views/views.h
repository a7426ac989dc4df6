/* SPDX-License-Identifier: MIT */
/* The observability views: the real tools' text (netstat -s, nstat, sysctl, ethtool -S, top,
 * slabtop, cat /proc/...) generated from the virtual /proc and the kernel APIs.
 * Mirrors no kernel file: it plays net-tools, iproute2's nstat, procps and ethtool. Like those
 * tools, the formatters read the /proc text (not the kernel structures), so they are tested
 * against literal /proc inputs and they stay right as the /proc writers change.
 *
 * Context: process (the CLI or a scenario), a stack booted; nothing held. */
#ifndef _ULNET_VIEWS_H
#define _ULNET_VIEWS_H
#include <stdbool.h>
#include <stdio.h>
#include "linux/types.h"

struct net;

struct ul_view_ctx {
	struct net *net;	/* the namespace shown */
	const char *netns;	/* its name (NULL: the initial namespace) */
	FILE *out;		/* the tool's output */
	FILE *err;		/* its error messages ("netstat: ...") */
};

/* A view: argv[0] is the tool's name. Returns 0, or -errno after printing the reason on
 * v->err (-EINVAL bad option, -ENOENT no such file/counter, -EOPNOTSUPP not available yet). */
struct ul_view {
	const char *name;
	const char *summary;
	const char *usage;
	int (*fn)(struct ul_view_ctx *v, int argc, char **argv);
};

const struct ul_view *ul_view_find(const char *name);
size_t ul_view_count(void);
const struct ul_view *ul_view_at(size_t i);

/* ---- /proc parsers (pure: text in, values out) ---- */

/* One counter of /proc/net/snmp or /proc/net/netstat, named as nstat names it: the section
 * prefix and the field ("TcpExtListenOverflows", "IpInReceives", "UdpInDatagrams"). */
struct ul_mib_entry {
	char name[64];
	long long value;	/* Tcp MaxConn is -1 */
};
/* Parse the "Prefix: names" / "Prefix: values" line pairs of @text, appending to @e (at most
 * @max). Returns the number of entries in @e after the call, or -EINVAL when a value line does
 * not match its header. */
int ul_mib_parse(const char *text, struct ul_mib_entry *e, int n, int max);
/* Both files of @net (either may be missing). malloc'ed array in *@out; returns the count. */
int ul_mib_read(struct net *net, struct ul_mib_entry **out);
/* The value of @name ("TcpExtListenOverflows"): 0 or -ENOENT. */
int ul_mib_lookup(const struct ul_mib_entry *e, int n, const char *name, long long *val);

/* netstat -s from the two files' text (net-tools' sentences). */
void ul_netstat_s_format(FILE *out, const char *snmp, const char *netstat);
/* nstat's table "#kernel" then "%-32s%-16llu%6.1f" per counter. @prev (may be NULL) holds the
 * previous values: without @absolute, values are increments since then. @zeros: also the
 * counters that are zero. @interval_s: seconds since @prev, for the rate column (0: 0.0). */
void ul_nstat_format(FILE *out, const struct ul_mib_entry *cur, int ncur,
		     const struct ul_mib_entry *prev, int nprev, bool absolute, bool zeros,
		     double interval_s);

/* /proc/stat "cpuN" lines -> top's "%Cpu0  :  1.0 us, ..." per CPU over the interval between
 * the two texts. Returns the CPUs printed, or -EINVAL. */
int ul_top_format(FILE *out, const char *stat_before, const char *stat_after);
/* One CPU's shares (percent) over an interval, for expect: field is us|sy|ni|id|wa|hi|si|st. */
int ul_top_share(const char *stat_before, const char *stat_after, int cpu, const char *field,
		 double *pct);

/* slabtop's summary and table from /proc/slabinfo text. @sort: 'o' objects (default), 'c'
 * cache size, 's' object size, 'n' name. Returns rows printed or -EINVAL. */
int ul_slabtop_format(FILE *out, const char *slabinfo, char sort, int max_rows);
/* One cache's field (active_objs, num_objs, objsize, objperslab, active_slabs, num_slabs,
 * size = num_objs * objsize): 0 or -ENOENT. */
int ul_slab_lookup(const char *slabinfo, const char *cache, const char *field,
		   long long *val);

/* /proc/softirqs: the @name row's count on @cpu (-1: summed over CPUs). 0 or -ENOENT. */
int ul_softirqs_lookup(const char *text, const char *name, int cpu, long long *val);
/* /proc/net/softnet_stat: line @cpu's field (processed, dropped, time_squeeze, cpu_collision,
 * received_rps). 0 or -ENOENT. */
int ul_softnet_lookup(const char *text, int cpu, const char *field, long long *val);
/* /proc/net/dev: @dev's column (rx_bytes rx_packets rx_errs rx_drop rx_fifo rx_frame
 * rx_compressed rx_multicast tx_bytes tx_packets tx_errs tx_drop tx_fifo tx_colls
 * tx_carrier tx_compressed). 0 or -ENOENT. */
int ul_netdev_lookup(const char *text, const char *dev, const char *field, long long *val);
/* A generic table cell of a /proc file: the row whose first word (':' stripped) is @row, the
 * column named @col in the first line (or a 1-based column number). 0 or -ENOENT. */
int ul_proc_cell(const char *text, const char *row, const char *col, long long *val);

/* ethtool -S of @dev through its ethtool_ops: 0, -ENODEV, -EOPNOTSUPP. @stat non-NULL:
 * look that one up into *@val instead of printing. */
int ul_ethtool_stats(struct net *net, const char *dev, FILE *out, const char *stat,
		     long long *val);

/* The ethtool view (src/views/ethtool.c): -S, -g, -c, -l, -k, -x, -i. */
int ul_view_ethtool(struct ul_view_ctx *v, int argc, char **argv);

/* The ss view (src/views/ss.c): -t -u -x -w -l -a -n -e -m -i -p -s, state/sport/dport
 * filters. */
int ul_view_ss(struct ul_view_ctx *v, int argc, char **argv);

/* The /proc/stat texts of the last `top` interval (NULL before any), for `expect top`. */
void ul_top_last(const char **before, const char **after);

/* Forget nstat's history and top's last interval (a new stack). */
void ul_nstat_reset(void);

#endif
