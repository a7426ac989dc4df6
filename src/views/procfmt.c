/* SPDX-License-Identifier: MIT */
/* Table views and lookups over /proc text: top's CPU lines from /proc/stat, slabtop from
 * /proc/slabinfo, and the cells that `expect` reads (softirqs, softnet_stat, net/dev).
 * Mirrors no kernel file: procps top and slabtop in output; the inputs are
 * linux/fs/proc/stat.c, softirqs.c, mm/slab_common.c and net/core/net-procfs.c formats. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "views/views.h"

#define LINE_MAX_LEN 4096
#define MAX_LINES    100000	/* bounds every scan of a /proc text */

static const char *next_line(const char *p, char *buf, size_t len)
{
	const char *eol;
	size_t n;

	if (!p || !*p)
		return NULL;
	eol = strchr(p, '\n');
	n = eol ? (size_t)(eol - p) : strlen(p);
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return eol ? eol + 1 : p + strlen(p);
}

/* ---- top -------------------------------------------------------------------------------- */

/* /proc/stat's cpu fields, in order. */
enum { ST_USER, ST_NICE, ST_SYSTEM, ST_IDLE, ST_IOWAIT, ST_IRQ, ST_SOFTIRQ, ST_STEAL, ST_NR };

/* The "cpuN" line of @text: 0 or -ENOENT. */
static int stat_cpu(const char *text, int cpu, unsigned long long v[ST_NR])
{
	static char line[LINE_MAX_LEN];
	const char *p = text;
	char want[16];
	int i;

	snprintf(want, sizeof(want), "cpu%d ", cpu);
	for (i = 0; i < MAX_LINES && (p = next_line(p, line, sizeof(line))); i++) {
		if (strncmp(line, want, strlen(want)))
			continue;
		memset(v, 0, sizeof(v[0]) * ST_NR);
		if (sscanf(line + strlen(want), "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
			   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 7)
			return -EINVAL;
		return 0;
	}
	return -ENOENT;
}

static int shares(const char *before, const char *after, int cpu, double pct[ST_NR])
{
	unsigned long long b[ST_NR], a[ST_NR], total = 0;
	int i, err;

	err = stat_cpu(before, cpu, b);
	if (!err)
		err = stat_cpu(after, cpu, a);
	if (err)
		return err;
	for (i = 0; i < ST_NR; i++)
		total += a[i] >= b[i] ? a[i] - b[i] : 0;
	for (i = 0; i < ST_NR; i++) {
		unsigned long long d = a[i] >= b[i] ? a[i] - b[i] : 0;

		pct[i] = total ? 100.0 * (double)d / (double)total : 0.0;
	}
	/* No tick in the interval: top shows the CPU idle. */
	if (!total)
		pct[ST_IDLE] = 100.0;
	return 0;
}

int ul_top_format(FILE *out, const char *before, const char *after)
{
	double pct[ST_NR];
	int cpu;

	for (cpu = 0; cpu < 1024; cpu++) {
		if (shares(before, after, cpu, pct))
			break;
		/* procps top's per-CPU summary line ("1" toggle). */
		fprintf(out,
			"%%Cpu%-3d:%5.1f us,%5.1f sy,%5.1f ni,%5.1f id,%5.1f wa,%5.1f hi,%5.1f si,"
			"%5.1f st\n",
			cpu, pct[ST_USER], pct[ST_SYSTEM], pct[ST_NICE], pct[ST_IDLE],
			pct[ST_IOWAIT], pct[ST_IRQ], pct[ST_SOFTIRQ], pct[ST_STEAL]);
	}
	return cpu ? cpu : -EINVAL;
}

int ul_top_share(const char *before, const char *after, int cpu, const char *field,
		 double *pct_out)
{
	static const char *const names[ST_NR] = { "us", "ni", "sy", "id", "wa", "hi", "si", "st" };
	double pct[ST_NR];
	int i, err = shares(before, after, cpu, pct);

	if (err)
		return err;
	for (i = 0; i < ST_NR; i++)
		if (!strcmp(names[i], field)) {
			*pct_out = pct[i];
			return 0;
		}
	return -ENOENT;
}

/* ---- slabtop ------------------------------------------------------------------------------ */

struct slab_row {
	char name[32];
	unsigned long active, num, objsize, perslab, pages, aslabs, nslabs;
};

static int slab_parse(const char *text, struct slab_row **rows_out)
{
	static char line[LINE_MAX_LEN];
	const char *p = text;
	struct slab_row *rows = NULL;
	int n = 0, cap = 0, i;

	for (i = 0; i < MAX_LINES && (p = next_line(p, line, sizeof(line))); i++) {
		struct slab_row r;

		if (!strncmp(line, "slabinfo", 8) || line[0] == '#' || !line[0])
			continue;
		memset(&r, 0, sizeof(r));
		if (sscanf(line, "%31s %lu %lu %lu %lu %lu : tunables %*u %*u %*u : slabdata %lu %lu",
			   r.name, &r.active, &r.num, &r.objsize, &r.perslab, &r.pages, &r.aslabs,
			   &r.nslabs) != 8) {
			free(rows);
			return -EINVAL;
		}
		if (n == cap) {
			struct slab_row *nr;

			cap = cap ? cap * 2 : 64;
			nr = realloc(rows, (size_t)cap * sizeof(*rows));
			if (!nr) {
				free(rows);
				return -ENOMEM;
			}
			rows = nr;
		}
		rows[n++] = r;
	}
	*rows_out = rows;
	return n;
}

static char slab_sort_key;

static int slab_cmp(const void *pa, const void *pb)
{
	const struct slab_row *a = pa, *b = pb;
	unsigned long ka, kb;

	switch (slab_sort_key) {
	case 'n':
		return strcmp(a->name, b->name);
	case 'c':
		ka = a->num * a->objsize;
		kb = b->num * b->objsize;
		break;
	case 's':
		ka = a->objsize;
		kb = b->objsize;
		break;
	default:
		ka = a->num;
		kb = b->num;
		break;
	}
	if (ka != kb)
		return ka > kb ? -1 : 1;
	return strcmp(a->name, b->name);
}

int ul_slabtop_format(FILE *out, const char *slabinfo, char sort, int max_rows)
{
	struct slab_row *rows;
	unsigned long long aobj = 0, tobj = 0, aslab = 0, tslab = 0, asize = 0, tsize = 0;
	unsigned long minsz = ~0ul, maxsz = 0, caches_active = 0;
	int n = slab_parse(slabinfo, &rows), i;

	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		aobj += rows[i].active;
		tobj += rows[i].num;
		aslab += rows[i].aslabs;
		tslab += rows[i].nslabs;
		asize += (unsigned long long)rows[i].active * rows[i].objsize;
		tsize += (unsigned long long)rows[i].num * rows[i].objsize;
		if (rows[i].objsize < minsz)
			minsz = rows[i].objsize;
		if (rows[i].objsize > maxsz)
			maxsz = rows[i].objsize;
		if (rows[i].active)
			caches_active++;
	}
	if (!n)
		minsz = 0;
	/* procps slabtop's summary (-o, one shot). */
	fprintf(out, " Active / Total Objects (%% used)    : %llu / %llu (%.1f%%)\n", aobj, tobj,
		tobj ? 100.0 * (double)aobj / (double)tobj : 0.0);
	fprintf(out, " Active / Total Slabs (%% used)      : %llu / %llu (%.1f%%)\n", aslab, tslab,
		tslab ? 100.0 * (double)aslab / (double)tslab : 0.0);
	fprintf(out, " Active / Total Caches (%% used)     : %lu / %d (%.1f%%)\n", caches_active, n,
		n ? 100.0 * (double)caches_active / n : 0.0);
	fprintf(out, " Active / Total Size (%% used)       : %.2fK / %.2fK (%.1f%%)\n",
		(double)asize / 1024.0, (double)tsize / 1024.0,
		tsize ? 100.0 * (double)asize / (double)tsize : 0.0);
	fprintf(out, " Minimum / Average / Maximum Object : %.2fK / %.2fK / %.2fK\n\n",
		(double)minsz / 1024.0, tobj ? (double)tsize / (double)tobj / 1024.0 : 0.0,
		(double)maxsz / 1024.0);
	fprintf(out, "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME\n");
	slab_sort_key = sort;
	qsort(rows, (size_t)n, sizeof(*rows), slab_cmp);
	for (i = 0; i < n && (max_rows <= 0 || i < max_rows); i++) {
		const struct slab_row *r = &rows[i];
		unsigned long use = r->num ? (unsigned long)(100ull * r->active / r->num) : 0;
		unsigned long long cache_kb =
			((unsigned long long)r->num * r->objsize + 1023) / 1024;

		fprintf(out, "%6lu %6lu %3lu%% %7.2fK %6lu %8lu %9lluK %-23s\n", r->num, r->active,
			use, (double)r->objsize / 1024.0, r->nslabs, r->perslab, cache_kb, r->name);
	}
	free(rows);
	return i;
}

int ul_slab_lookup(const char *slabinfo, const char *cache, const char *field, long long *val)
{
	struct slab_row *rows;
	int n = slab_parse(slabinfo, &rows), i, err = -ENOENT;

	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		const struct slab_row *r = &rows[i];

		if (strcmp(r->name, cache))
			continue;
		err = 0;
		if (!strcmp(field, "active_objs"))
			*val = (long long)r->active;
		else if (!strcmp(field, "num_objs"))
			*val = (long long)r->num;
		else if (!strcmp(field, "objsize"))
			*val = (long long)r->objsize;
		else if (!strcmp(field, "objperslab"))
			*val = (long long)r->perslab;
		else if (!strcmp(field, "active_slabs"))
			*val = (long long)r->aslabs;
		else if (!strcmp(field, "num_slabs"))
			*val = (long long)r->nslabs;
		else if (!strcmp(field, "size"))
			*val = (long long)(r->num * r->objsize);
		else
			err = -ENOENT;
		break;
	}
	free(rows);
	return err;
}

/* ---- cells ---------------------------------------------------------------------------------- */

int ul_softirqs_lookup(const char *text, const char *name, int cpu, long long *val)
{
	static char line[LINE_MAX_LEN];
	const char *p = text;
	int i;

	p = next_line(p, line, sizeof(line));	/* the CPU header */
	for (i = 0; i < MAX_LINES && (p = next_line(p, line, sizeof(line))); i++) {
		char *s = line, *colon = strchr(line, ':'), *end;
		long long sum = 0;
		int c;

		while (*s == ' ')
			s++;
		if (!colon || strncmp(s, name, (size_t)(colon - s)) || strlen(name) != (size_t)(colon - s))
			continue;
		s = colon + 1;
		for (c = 0; c < 1024; c++) {
			long long v = strtoll(s, &end, 10);

			if (end == s)
				break;
			if (c == cpu) {
				*val = v;
				return 0;
			}
			sum += v;
			s = end;
		}
		if (cpu < 0) {
			*val = sum;
			return 0;
		}
		return -ENOENT;
	}
	return -ENOENT;
}

int ul_softnet_lookup(const char *text, int cpu, const char *field, long long *val)
{
	static const char *const cols[] = { "processed", "dropped", "time_squeeze", NULL, NULL,
					    NULL, NULL, NULL, "cpu_collision", "received_rps" };
	static char line[LINE_MAX_LEN];
	const char *p = text;
	int i, col = -1;

	for (i = 0; i < 10; i++)
		if (cols[i] && !strcmp(cols[i], field))
			col = i;
	if (col < 0 || cpu < 0)
		return -ENOENT;
	for (i = 0; i <= cpu && (p = next_line(p, line, sizeof(line))); i++) {
		if (i == cpu) {
			char *s = line, *end;
			int c;

			for (c = 0; c < 10; c++) {
				unsigned long v = strtoul(s, &end, 16);

				if (end == s)
					return -ENOENT;
				if (c == col) {
					*val = (long long)v;
					return 0;
				}
				s = end;
			}
		}
	}
	return -ENOENT;
}

int ul_netdev_lookup(const char *text, const char *dev, const char *field, long long *val)
{
	static const char *const cols[] = {
		"rx_bytes", "rx_packets", "rx_errs", "rx_drop", "rx_fifo", "rx_frame",
		"rx_compressed", "rx_multicast", "tx_bytes", "tx_packets", "tx_errs", "tx_drop",
		"tx_fifo", "tx_colls", "tx_carrier", "tx_compressed",
	};
	static char line[LINE_MAX_LEN];
	const char *p = text;
	int i, col = -1;

	for (i = 0; i < 16; i++)
		if (!strcmp(cols[i], field))
			col = i;
	if (col < 0)
		return -ENOENT;
	for (i = 0; i < MAX_LINES && (p = next_line(p, line, sizeof(line))); i++) {
		char *s = line, *colon = strchr(line, ':'), *end;
		int c;

		while (*s == ' ')
			s++;
		if (!colon || strlen(dev) != (size_t)(colon - s) || strncmp(s, dev, strlen(dev)))
			continue;
		s = colon + 1;
		for (c = 0; c < 16; c++) {
			long long v = strtoll(s, &end, 10);

			if (end == s)
				return -ENOENT;
			if (c == col) {
				*val = v;
				return 0;
			}
			s = end;
		}
	}
	return -ENOENT;
}

int ul_proc_cell(const char *text, const char *row, const char *col, long long *val)
{
	static char hdr[LINE_MAX_LEN], line[LINE_MAX_LEN];
	const char *p = next_line(text, hdr, sizeof(hdr));
	char *end, *save, *w;
	long colno = strtol(col, &end, 10);
	int i, c;

	if (!p)
		return -ENOENT;
	if (!*end && colno >= 1) {
		colno++;	/* the Nth value after the row's name is word N + 1 */
	} else {
		/* A header name: its position among the header's words. In the rows, the
		 * first word is the row's name, so header word k is row word k+1 when the
		 * header has no name column (/proc/softirqs), and word k otherwise. */
		colno = -1;
		for (c = 1, w = strtok_r(hdr, " \t|", &save); w && c < 4096;
		     w = strtok_r(NULL, " \t|", &save), c++)
			if (!strcmp(w, col)) {
				colno = c;
				break;
			}
		if (colno < 0)
			return -ENOENT;
		if (hdr[0] == ' ')
			colno++;
	}
	for (i = 0, p = text; i < MAX_LINES && (p = next_line(p, line, sizeof(line))); i++) {
		char *first = strtok_r(line, " \t", &save);
		size_t fl;

		if (!first)
			continue;
		fl = strlen(first);
		if (fl && first[fl - 1] == ':')
			first[fl - 1] = '\0';
		if (strcmp(first, row))
			continue;
		for (c = 2; (w = strtok_r(NULL, " \t", &save)) && c < 4096; c++)
			if (c == colno) {
				*val = strtoll(w, &end, 0);
				return *end ? -EINVAL : 0;
			}
		return -ENOENT;
	}
	return -ENOENT;
}
