/* SPDX-License-Identifier: MIT */
/* sysctl: tables of named values, read and written as text as /proc/sys does.
 * Mirrors linux/kernel/sysctl.c and fs/proc/proc_sysctl.c: proc_dointvec,
 * proc_dointvec_minmax, proc_dointvec_jiffies, proc_dointvec_userhz_jiffies,
 * proc_dointvec_ms_jiffies, proc_doulongvec_minmax, proc_dostring (+ proc_douintvec of later
 * kernels), register_sysctl_paths, register_net_sysctl, unregister_sysctl_table,
 * sysctl_perm.
 *
 * Text rules (3.10 __do_proc_dointvec): on read the values of a vector (maxlen / element size
 * of them) are printed separated by tabs and end with '\n'; on write, values are separated
 * by white space, each an optional '-' and a number in C notation (base 0: 0x.. hex, 0..
 * octal), followed by white space or the end. Fewer values than the vector writes only those;
 * extra values are ignored.
 * DIVERGES: a write is all or nothing: every value is parsed and checked before any is stored,
 * and a value out of range, garbage, or a number too large for the type is -EINVAL with the old
 * values kept. 3.10 stores the values before the bad one, truncates ints silently and skips
 * out-of-range unsigned longs; later kernels return -EINVAL as ulnet does.
 *
 * Per-namespace tables (register_net_sysctl_offset): .data is offsetof(struct net, field);
 * a read or write resolves it against the namespace (Linux kmemdup's the table for each net
 * and re-points .data: same effect, one table).
 *
 * LOCKING: sysctl_lock (a mutex) guards the registry and serialises handlers.
 * Registry memory is plain malloc (infrastructure, not counted as kernel objects). */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "init/boot.h"
#include "linux/errno.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/list.h"
#include "linux/sysctl.h"

#define SYSCTL_PATH_MAX 128
#define SYSCTL_NAME_MAX 256

struct ctl_table_header {
	struct list_head list;
	char path[SYSCTL_PATH_MAX];	/* "net/core", no leading or trailing '/' */
	struct ctl_table *table;
	bool per_net;			/* .data is an offset into struct net */
};

static LIST_HEAD(sysctl_tables);
static pthread_mutex_t sysctl_lock = PTHREAD_MUTEX_INITIALIZER;

/* ------------------------------------------------------------------------------------------
 * Handlers. Read: print into @buffer (at most *lenp bytes, no NUL needed), set *lenp to the
 * length and advance *ppos; reading at *ppos != 0 gives nothing (end of file). Write: parse
 * *lenp bytes of @buffer. */

enum vec_kind { VEC_INT, VEC_UINT, VEC_LONG, VEC_ULONG };

/* Conversion between one parsed number (sign + magnitude) and one element of the vector.
 * to_elem returns 0 or -EINVAL (out of range for the type or the table's bounds). */
struct vec_conv {
	enum vec_kind kind;
	int (*to_elem)(bool neg, unsigned long mag, void *elem, const struct ctl_table *t);
	int (*print)(const void *elem, char *out, size_t outlen);
};

static size_t vec_elem_size(enum vec_kind kind)
{
	return kind == VEC_INT || kind == VEC_UINT ? sizeof(int) : sizeof(long);
}

/* Signed value of (@neg, @mag) if it fits in [@lo, @hi]. */
static int signed_in_range(bool neg, unsigned long mag, long lo, long hi, long *out)
{
	long v;

	if (!neg) {
		if (mag > (unsigned long)LONG_MAX)
			return -EINVAL;
		v = (long)mag;
	} else {
		if (mag > (unsigned long)LONG_MAX + 1UL)
			return -EINVAL;
		v = mag == (unsigned long)LONG_MAX + 1UL ? LONG_MIN : -(long)mag;
	}
	if (v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

static int int_to_elem(bool neg, unsigned long mag, void *elem, const struct ctl_table *t)
{
	long v;

	if (signed_in_range(neg, mag, INT_MIN, INT_MAX, &v))
		return -EINVAL;
	*(int *)elem = (int)v;
	return 0;
}

static int int_minmax_to_elem(bool neg, unsigned long mag, void *elem, const struct ctl_table *t)
{
	const int *min = t->extra1, *max = t->extra2;
	long v;

	if (signed_in_range(neg, mag, min ? *min : INT_MIN, max ? *max : INT_MAX, &v))
		return -EINVAL;
	*(int *)elem = (int)v;
	return 0;
}

static int int_print(const void *elem, char *out, size_t outlen)
{
	return snprintf(out, outlen, "%d", *(const int *)elem);
}

static int uint_to_elem(bool neg, unsigned long mag, void *elem, const struct ctl_table *t)
{
	if (neg || mag > UINT_MAX)
		return -EINVAL;
	*(unsigned int *)elem = (unsigned int)mag;
	return 0;
}

static int uint_print(const void *elem, char *out, size_t outlen)
{
	return snprintf(out, outlen, "%u", *(const unsigned int *)elem);
}

static int long_minmax_to_elem(bool neg, unsigned long mag, void *elem, const struct ctl_table *t)
{
	const long *min = t->extra1, *max = t->extra2;
	long v;

	if (signed_in_range(neg, mag, min ? *min : LONG_MIN, max ? *max : LONG_MAX, &v))
		return -EINVAL;
	*(long *)elem = v;
	return 0;
}

static int long_print(const void *elem, char *out, size_t outlen)
{
	return snprintf(out, outlen, "%ld", *(const long *)elem);
}

static int ulong_minmax_to_elem(bool neg, unsigned long mag, void *elem,
				const struct ctl_table *t)
{
	const unsigned long *min = t->extra1, *max = t->extra2;

	if (neg && mag)
		return -EINVAL;
	if ((min && mag < *min) || (max && mag > *max))
		return -EINVAL;
	*(unsigned long *)elem = mag;
	return 0;
}

static int ulong_print(const void *elem, char *out, size_t outlen)
{
	return snprintf(out, outlen, "%lu", *(const unsigned long *)elem);
}

/* Seconds <-> jiffies. */
static int jiffies_to_elem(bool neg, unsigned long mag, void *elem, const struct ctl_table *t)
{
	if (mag > (unsigned long)(INT_MAX / HZ))
		return -EINVAL;
	*(int *)elem = neg ? -(int)(mag * HZ) : (int)(mag * HZ);
	return 0;
}

static int jiffies_print(const void *elem, char *out, size_t outlen)
{
	int v = *(const int *)elem;

	return v < 0 ? snprintf(out, outlen, "-%lu", (unsigned long)-(long)v / HZ) :
		       snprintf(out, outlen, "%lu", (unsigned long)v / HZ);
}

/* USER_HZ ticks (clock_t) <-> jiffies. */
static int userhz_to_elem(bool neg, unsigned long mag, void *elem, const struct ctl_table *t)
{
	if (mag > (unsigned long)INT_MAX / (HZ / USER_HZ))
		return -EINVAL;
	*(int *)elem = neg ? -(int)clock_t_to_jiffies(mag) : (int)clock_t_to_jiffies(mag);
	return 0;
}

static int userhz_print(const void *elem, char *out, size_t outlen)
{
	int v = *(const int *)elem;

	return v < 0 ? snprintf(out, outlen, "-%lu", jiffies_to_clock_t((unsigned long)-(long)v)) :
		       snprintf(out, outlen, "%lu", jiffies_to_clock_t((unsigned long)v));
}

/* Milliseconds <-> jiffies. */
static int ms_to_elem(bool neg, unsigned long mag, void *elem, const struct ctl_table *t)
{
	unsigned long j;

	if (mag > UINT_MAX)
		return -EINVAL;
	j = msecs_to_jiffies((unsigned int)mag);
	if (j > INT_MAX)
		return -EINVAL;
	*(int *)elem = neg ? -(int)j : (int)j;
	return 0;
}

static int ms_print(const void *elem, char *out, size_t outlen)
{
	int v = *(const int *)elem;

	return v < 0 ? snprintf(out, outlen, "-%u", jiffies_to_msecs((unsigned long)-(long)v)) :
		       snprintf(out, outlen, "%u", jiffies_to_msecs((unsigned long)v));
}

static bool sysctl_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Parse one "[-]number" at *@pp (within @end); the number must be followed by white space or
 * the end. Returns 0, or -EINVAL for garbage. */
static int sysctl_get_number(const char **pp, const char *end, bool *neg, unsigned long *mag)
{
	char tmp[32], *after;
	const char *p = *pp;
	size_t n = 0;

	*neg = false;
	if (p < end && *p == '-') {
		*neg = true;
		p++;
	}
	while (p + n < end && !sysctl_space(p[n]) && p[n] != '\0')
		n++;
	if (n == 0 || n >= sizeof(tmp) || p[0] < '0' || p[0] > '9')
		return -EINVAL;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	errno = 0;
	*mag = strtoul(tmp, &after, 0);
	if (errno || *after != '\0')
		return -EINVAL;	/* "12abc", overflow */
	*pp = p + n;
	return 0;
}

static int do_proc_vec(struct ctl_table *table, int write, void *buffer, size_t *lenp,
		       loff_t *ppos, const struct vec_conv *conv)
{
	size_t esize = vec_elem_size(conv->kind), nvec, i, n;
	char *data = table->data;

	if (!data || table->maxlen < (int)esize || !*lenp || (*ppos && !write)) {
		*lenp = 0;
		return 0;
	}
	nvec = (size_t)table->maxlen / esize;

	if (write) {
		const char *p = buffer, *end = p + *lenp;
		unsigned long staged[16];	/* the longest vector in the stack is 3 */
		char *stage = (char *)staged;

		if (nvec > sizeof(staged) / esize)
			nvec = sizeof(staged) / esize;
		for (n = 0; n < nvec; n++) {
			bool neg;
			unsigned long mag;

			while (p < end && sysctl_space(*p))
				p++;
			if (p >= end || *p == '\0')
				break;
			if (sysctl_get_number(&p, end, &neg, &mag) ||
			    conv->to_elem(neg, mag, stage + n * esize, table))
				return -EINVAL;
		}
		if (n == 0)
			return -EINVAL;	/* nothing but white space */
		memcpy(data, stage, n * esize);
		*ppos += *lenp;
		return 0;
	}

	/* Read. */
	{
		char *out = buffer;
		size_t len = 0, cap = *lenp;
		char num[32];

		for (i = 0; i < nvec; i++) {
			int w = conv->print(data + i * esize, num, sizeof(num));

			if (i && len < cap)
				out[len++] = '\t';
			for (n = 0; n < (size_t)w && len < cap; n++)
				out[len++] = num[n];
		}
		if (len < cap)
			out[len++] = '\n';
		*lenp = len;
		*ppos += len;
	}
	return 0;
}

static const struct vec_conv conv_int = { VEC_INT, int_to_elem, int_print };
static const struct vec_conv conv_int_minmax = { VEC_INT, int_minmax_to_elem, int_print };
static const struct vec_conv conv_uint = { VEC_UINT, uint_to_elem, uint_print };
static const struct vec_conv conv_long_minmax = { VEC_LONG, long_minmax_to_elem, long_print };
static const struct vec_conv conv_ulong_minmax = { VEC_ULONG, ulong_minmax_to_elem, ulong_print };
static const struct vec_conv conv_jiffies = { VEC_INT, jiffies_to_elem, jiffies_print };
static const struct vec_conv conv_userhz = { VEC_INT, userhz_to_elem, userhz_print };
static const struct vec_conv conv_ms = { VEC_INT, ms_to_elem, ms_print };

int proc_dointvec(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos)
{
	return do_proc_vec(table, write, buffer, lenp, ppos, &conv_int);
}

/* extra1/extra2: int * bounds (either may be NULL). */
int proc_dointvec_minmax(struct ctl_table *table, int write, void *buffer, size_t *lenp,
			 loff_t *ppos)
{
	return do_proc_vec(table, write, buffer, lenp, ppos, &conv_int_minmax);
}

int proc_douintvec(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos)
{
	return do_proc_vec(table, write, buffer, lenp, ppos, &conv_uint);
}

/* Vector of long; extra1/extra2: long * bounds. */
int proc_dolongvec_minmax(struct ctl_table *table, int write, void *buffer, size_t *lenp,
			  loff_t *ppos)
{
	return do_proc_vec(table, write, buffer, lenp, ppos, &conv_long_minmax);
}

/* Vector of unsigned long (tcp_mem, ...); extra1/extra2: unsigned long * bounds. */
int proc_doulongvec_minmax(struct ctl_table *table, int write, void *buffer, size_t *lenp,
			   loff_t *ppos)
{
	return do_proc_vec(table, write, buffer, lenp, ppos, &conv_ulong_minmax);
}

int proc_dointvec_jiffies(struct ctl_table *table, int write, void *buffer, size_t *lenp,
			  loff_t *ppos)
{
	return do_proc_vec(table, write, buffer, lenp, ppos, &conv_jiffies);
}

int proc_dointvec_ms_jiffies(struct ctl_table *table, int write, void *buffer, size_t *lenp,
			     loff_t *ppos)
{
	return do_proc_vec(table, write, buffer, lenp, ppos, &conv_ms);
}

int proc_dointvec_userhz_jiffies(struct ctl_table *table, int write, void *buffer,
				 size_t *lenp, loff_t *ppos)
{
	return do_proc_vec(table, write, buffer, lenp, ppos, &conv_userhz);
}

/* A NUL-terminated string of at most maxlen - 1 characters. A write stops at the first
 * newline or NUL and is cut to fit (as 3.10 _proc_do_string). Reads end with '\n'. */
int proc_dostring(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos)
{
	char *data = table->data;
	size_t len;

	if (!data || table->maxlen <= 0 || !*lenp || (*ppos && !write)) {
		*lenp = 0;
		return 0;
	}
	if (write) {
		const char *p = buffer;

		for (len = 0; len < *lenp && p[len] && p[len] != '\n'; len++)
			;
		if (len >= (size_t)table->maxlen)
			len = (size_t)table->maxlen - 1;
		memcpy(data, p, len);
		data[len] = '\0';
		*ppos += *lenp;
		return 0;
	}
	len = strnlen(data, (size_t)table->maxlen);
	if (len > *lenp)
		len = *lenp;
	memcpy(buffer, data, len);
	if (len < *lenp)
		((char *)buffer)[len++] = '\n';
	*lenp = len;
	*ppos += len;
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * Registry. */

/* "/net/core/" -> "net/core". Returns 0 or -EINVAL. */
static int sysctl_norm_path(const char *path, char *out)
{
	size_t len;

	if (!path)
		return -EINVAL;
	while (*path == '/')
		path++;
	len = strlen(path);
	while (len && path[len - 1] == '/')
		len--;
	if (len == 0 || len >= SYSCTL_PATH_MAX)
		return -EINVAL;
	memcpy(out, path, len);
	out[len] = '\0';
	return 0;
}

enum name_style {
	NAME_SLASH,	/* net/ipv4/conf/eth0.100/rp_filter (as under /proc/sys) */
	NAME_DOT,	/* net.ipv4.conf.eth0/100.rp_filter (sysctl(8): dots in a component
			 * become slashes) */
	NAME_DOT_RAW,	/* net.ipv4.conf.eth0.100.rp_filter */
};

static void sysctl_full_name(const struct ctl_table_header *h, const struct ctl_table *t,
			     enum name_style style, char *out, size_t outlen)
{
	size_t i, n = 0;
	const char *parts[2] = { h->path, t->procname };
	int k;

	for (k = 0; k < 2; k++) {
		const char *s = parts[k];

		if (k && n + 1 < outlen)
			out[n++] = style == NAME_SLASH ? '/' : '.';
		for (i = 0; s[i] && n + 1 < outlen; i++) {
			char c = s[i];

			if (style != NAME_SLASH) {
				if (c == '/')
					c = '.';
				else if (c == '.' && style == NAME_DOT)
					c = '/';
			}
			out[n++] = c;
		}
	}
	out[n] = '\0';
}

/* Caller holds sysctl_lock. */
static struct ctl_table *sysctl_find(const char *name, struct ctl_table_header **hp)
{
	char full[SYSCTL_NAME_MAX];
	struct ctl_table_header *h;
	struct ctl_table *t;
	static const enum name_style styles[] = { NAME_SLASH, NAME_DOT, NAME_DOT_RAW };
	size_t s;

	if (strncmp(name, "/proc/sys/", 10) == 0)
		name += 10;
	while (*name == '/')
		name++;
	list_for_each_entry(h, &sysctl_tables, list) {
		for (t = h->table; t->procname; t++) {
			for (s = 0; s < ARRAY_SIZE(styles); s++) {
				sysctl_full_name(h, t, styles[s], full, sizeof(full));
				if (strcmp(full, name) == 0) {
					*hp = h;
					return t;
				}
			}
		}
	}
	return NULL;
}

static bool sysctl_name_taken(const char *path, const char *procname)
{
	struct ctl_table_header *h;
	struct ctl_table *t;

	list_for_each_entry(h, &sysctl_tables, list) {
		if (strcmp(h->path, path))
			continue;
		for (t = h->table; t->procname; t++)
			if (!strcmp(t->procname, procname))
				return true;
	}
	return false;
}

static int __register_sysctl(const char *path, struct ctl_table *table, bool per_net)
{
	struct ctl_table_header *h;
	char norm[SYSCTL_PATH_MAX];
	struct ctl_table *t, *u;

	if (sysctl_norm_path(path, norm) || !table) {
		pr_err("sysctl: bad table registration at '%s'\n", path ? path : "(null)");
		return -EINVAL;
	}
	for (t = table; t->procname; t++) {
		if (!t->proc_handler || !t->procname[0] || strchr(t->procname, '/') ||
		    (!per_net && !t->data)) {
			pr_err("sysctl: bad entry '%s' in %s\n", t->procname, norm);
			return -EINVAL;
		}
		for (u = table; u < t; u++)
			if (!strcmp(u->procname, t->procname))
				goto dup;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	strcpy(h->path, norm);
	h->table = table;
	h->per_net = per_net;

	pthread_mutex_lock(&sysctl_lock);
	for (t = table; t->procname; t++) {
		if (sysctl_name_taken(norm, t->procname)) {
			pthread_mutex_unlock(&sysctl_lock);
			free(h);
			goto dup;
		}
	}
	list_add_tail(&h->list, &sysctl_tables);
	pthread_mutex_unlock(&sysctl_lock);
	return 0;
dup:
	pr_err("sysctl: duplicate entry '%s/%s'\n", norm, t->procname);
	return -EEXIST;
}

/* Context: process (boot). Returns 0, -EINVAL, -EEXIST (a name already registered under
 * @path) or -ENOMEM. The table must stay valid until unregistered. */
int register_sysctl_table_path(const char *path, struct ctl_table *table)
{
	return __register_sysctl(path, table, false);
}

int register_net_sysctl_offset(const char *path, struct ctl_table *table)
{
	return __register_sysctl(path, table, true);
}

/* Removes every table registered under exactly @path. */
void unregister_sysctl_path(const char *path)
{
	struct ctl_table_header *h, *n;
	char norm[SYSCTL_PATH_MAX];

	if (sysctl_norm_path(path, norm))
		return;
	pthread_mutex_lock(&sysctl_lock);
	list_for_each_entry_safe(h, n, &sysctl_tables, list) {
		if (!strcmp(h->path, norm)) {
			list_del(&h->list);
			free(h);
		}
	}
	pthread_mutex_unlock(&sysctl_lock);
}

/* The entry as seen from @net: per-net entries get .data = net + offset. */
static int sysctl_resolve(struct net *net, const struct ctl_table_header *h,
			  const struct ctl_table *t, struct ctl_table *out)
{
	*out = *t;
	if (h->per_net) {
		if (!net)
			return -EINVAL;
		out->data = (char *)net + (uintptr_t)t->data;
	}
	return 0;
}

/* Read with @h/@t resolved; the value without its final newline in @buf. Caller holds
 * sysctl_lock. */
static int sysctl_read_entry(struct net *net, const struct ctl_table_header *h,
			     const struct ctl_table *t, char *buf, size_t len)
{
	struct ctl_table ctl;
	size_t cap = 4096, n;
	loff_t pos = 0;
	char *tmp;
	int err;

	if (!(t->mode & 0444))
		return -EPERM;
	err = sysctl_resolve(net, h, t, &ctl);
	if (err)
		return err;
	if ((size_t)ctl.maxlen + 64 > cap)
		cap = (size_t)ctl.maxlen + 64;
	tmp = malloc(cap);
	if (!tmp)
		return -ENOMEM;
	n = cap;
	err = ctl.proc_handler(&ctl, 0, tmp, &n, &pos);
	if (!err) {
		if (n && tmp[n - 1] == '\n')
			n--;
		if (n >= len) {
			err = -ENOSPC;
			n = len ? len - 1 : 0;
		}
		if (len) {
			memcpy(buf, tmp, n);
			buf[n] = '\0';
		}
	}
	free(tmp);
	return err;
}

/* sysctl -n NAME. Returns 0, -ENOENT (no such name), -EINVAL (a per-namespace name with no
 * namespace), -EPERM (not readable), -ENOSPC (@buf too small: the value is cut). */
int ul_sysctl_read(struct net *net, const char *name, char *buf, size_t len)
{
	struct ctl_table_header *h;
	struct ctl_table *t;
	int err;

	if (!name || !buf)
		return -EINVAL;
	pthread_mutex_lock(&sysctl_lock);
	t = sysctl_find(name, &h);
	err = t ? sysctl_read_entry(net, h, t, buf, len) : -ENOENT;
	pthread_mutex_unlock(&sysctl_lock);
	return err;
}

/* sysctl -w NAME=VALUE. Returns 0, -ENOENT, -EPERM (read-only), -EINVAL (bad value, value
 * out of range, or a per-namespace name with no namespace); on error the value is unchanged. */
int ul_sysctl_write(struct net *net, const char *name, const char *value)
{
	struct ctl_table_header *h;
	struct ctl_table *t, ctl;
	loff_t pos = 0;
	size_t n;
	int err;

	if (!name || !value)
		return -EINVAL;
	pthread_mutex_lock(&sysctl_lock);
	t = sysctl_find(name, &h);
	if (!t) {
		err = -ENOENT;
	} else if (!(t->mode & 0222)) {
		err = -EPERM;
	} else if (!(err = sysctl_resolve(net, h, t, &ctl))) {
		n = strlen(value);
		err = n ? ctl.proc_handler(&ctl, 1, (void *)value, &n, &pos) : -EINVAL;
	}
	pthread_mutex_unlock(&sysctl_lock);
	return err;
}

struct sysctl_item {
	char name[SYSCTL_NAME_MAX];
	char *value;
};

static int sysctl_item_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sysctl_item *)a)->name, ((const struct sysctl_item *)b)->name);
}

/* sysctl -a: every readable name (per-namespace ones only when @net is given) with its value,
 * sorted by name. @fn runs without the sysctl lock, so it may read or write sysctls. */
void ul_sysctl_for_each(struct net *net, void (*fn)(const char *name, const char *value, void *arg),
			void *arg)
{
	struct ctl_table_header *h;
	struct sysctl_item *items = NULL;
	struct ctl_table *t;
	size_t n = 0, cap = 0, i;

	pthread_mutex_lock(&sysctl_lock);
	list_for_each_entry(h, &sysctl_tables, list) {
		for (t = h->table; t->procname; t++) {
			char val[1024];
			int err;

			if (!(t->mode & 0444) || (h->per_net && !net))
				continue;
			err = sysctl_read_entry(net, h, t, val, sizeof(val));
			if (err && err != -ENOSPC)	/* a cut value is still listed */
				continue;
			if (n == cap) {
				struct sysctl_item *bigger;

				cap = cap ? cap * 2 : 64;
				bigger = realloc(items, cap * sizeof(*items));
				if (!bigger)
					goto out_unlock;
				items = bigger;
			}
			sysctl_full_name(h, t, NAME_DOT, items[n].name, sizeof(items[n].name));
			items[n].value = strdup(val);
			if (!items[n].value)
				goto out_unlock;
			n++;
		}
	}
out_unlock:
	pthread_mutex_unlock(&sysctl_lock);
	if (n)
		qsort(items, n, sizeof(*items), sysctl_item_cmp);
	for (i = 0; i < n; i++) {
		fn(items[i].name, items[i].value, arg);
		free(items[i].value);
	}
	free(items);
}

void sysctl_init(void)
{
	INIT_LIST_HEAD(&sysctl_tables);
}

/* Context: teardown. Tables their owners did not unregister are dropped quietly. */
void sysctl_fini(void)
{
	struct ctl_table_header *h, *n;

	pthread_mutex_lock(&sysctl_lock);
	list_for_each_entry_safe(h, n, &sysctl_tables, list) {
		list_del(&h->list);
		free(h);
	}
	INIT_LIST_HEAD(&sysctl_tables);
	pthread_mutex_unlock(&sysctl_lock);
}
