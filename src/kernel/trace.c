/* SPDX-License-Identifier: MIT */
/* Function-path tracing: an in-memory event buffer with text and Chrome trace-event export.
 * Mirrors the role of linux/kernel/trace/trace_functions.c (ftrace's function tracer) and
 * trace_output.c: __ul_trace records what ftrace's "function" tracer would show, i.e. the
 * function, the CPU and the context (hardirq, softirq or the task), with ulnet's additions:
 * the skb's id and a short detail.
 *
 * DIVERGES: ftrace hooks every function through mcount; ulnet records only the functions
 * that call UL_TRACE() (the packet path), so a trace reads like the book's call chains.
 *
 * Storage: fixed-size chunks of events that are never moved, so a pointer returned by
 * ul_trace_event() stays valid until the next ul_trace_start() or ul_trace_reset(), even while
 * other threads append (posix). At most max_events are kept; later events are only counted
 * (ul_trace_lost), as ftrace counts overruns.
 *
 * LOCKING: trace_lock (a pthread mutex, real on both runtimes) serialises appends and the
 * start/reset of the buffer. ul_trace_on is read without it by UL_TRACE(); an event that
 * races with ul_trace_stop() may still be recorded, one that races with ul_trace_reset() is
 * dropped (trace_active is checked under the lock). The buffer is the tracer's own memory
 * (malloc, like ftrace's ring-buffer pages), not a slab cache, so tracing never changes the
 * slab counts that the labs and the leak checks look at. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "linux/hardirq.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/percpu.h"
#include "linux/sched.h"
#include "trace/path.h"
#include "ulnet/ulnet.h"

bool ul_trace_on;

#define TRACE_CHUNK_SHIFT 12
#define TRACE_CHUNK	  (1UL << TRACE_CHUNK_SHIFT)
#define TRACE_DEFAULT_MAX 1000000UL
/* Text export column widths (docs/tracing.md). */
#define TRACE_COL_CTX	  15	/* TASK_COMM_LEN - 1 */
#define TRACE_COL_FUNC	  28
#define TRACE_COL_SKB	  10	/* "skb=" and 6 digits */

static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ul_trace_event **trace_chunks;	/* trace_nchunks slots, filled on demand */
static size_t trace_nchunks;
static size_t trace_max;			/* events kept at most */
static size_t trace_len;			/* events kept */
static size_t trace_lost;			/* events counted but not kept */
static bool trace_active;			/* a buffer exists and takes events */

/* Caller holds trace_lock. */
static void trace_free_locked(void)
{
	size_t i;

	for (i = 0; i < trace_nchunks; i++)
		free(trace_chunks[i]);
	free(trace_chunks);
	trace_chunks = NULL;
	trace_nchunks = 0;
	trace_max = 0;
	__atomic_store_n(&trace_len, 0, __ATOMIC_RELEASE);
	trace_lost = 0;
	trace_active = false;
}

int ul_trace_start(size_t max_events)
{
	size_t nchunks;
	struct ul_trace_event **chunks;

	if (max_events == 0)
		max_events = TRACE_DEFAULT_MAX;
	if (max_events > (SIZE_MAX >> 1) / sizeof(struct ul_trace_event))
		return -EINVAL;
	nchunks = (max_events + TRACE_CHUNK - 1) >> TRACE_CHUNK_SHIFT;
	chunks = calloc(nchunks, sizeof(*chunks));
	if (!chunks)
		return -ENOMEM;

	pthread_mutex_lock(&trace_lock);
	__atomic_store_n(&ul_trace_on, false, __ATOMIC_RELEASE);
	trace_free_locked();
	trace_chunks = chunks;
	trace_nchunks = nchunks;
	trace_max = max_events;
	trace_active = true;
	__atomic_store_n(&ul_trace_on, true, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&trace_lock);
	return 0;
}

void ul_trace_stop(void)
{
	__atomic_store_n(&ul_trace_on, false, __ATOMIC_RELEASE);
	pthread_mutex_lock(&trace_lock);
	trace_active = false;
	pthread_mutex_unlock(&trace_lock);
}

void ul_trace_reset(void)
{
	__atomic_store_n(&ul_trace_on, false, __ATOMIC_RELEASE);
	pthread_mutex_lock(&trace_lock);
	trace_free_locked();
	pthread_mutex_unlock(&trace_lock);
}

size_t ul_trace_count(void)
{
	return __atomic_load_n(&trace_len, __ATOMIC_ACQUIRE);
}

size_t ul_trace_lost(void)
{
	size_t n;

	pthread_mutex_lock(&trace_lock);
	n = trace_lost;
	pthread_mutex_unlock(&trace_lock);
	return n;
}

const struct ul_trace_event *ul_trace_event(size_t i)
{
	if (i >= ul_trace_count())
		return NULL;
	return &trace_chunks[i >> TRACE_CHUNK_SHIFT][i & (TRACE_CHUNK - 1)];
}

/* Fill the context fields of @e from the running context, as ftrace's irq-flags column and
 * comm do: a hard interrupt wins over a softirq being served, and anything else (including a
 * task with bottom halves disabled) is the task. */
static void trace_fill_context(struct ul_trace_event *e)
{
	struct task_struct *p = current;

	e->cpu = (u16)smp_processor_id();
	e->pid = -1;
	e->comm[0] = '\0';
	if (in_irq()) {
		e->ctx = UL_CTX_HARDIRQ;
	} else if (in_serving_softirq()) {
		e->ctx = UL_CTX_SOFTIRQ;
	} else {
		e->ctx = UL_CTX_TASK;
		if (p) {
			e->pid = p->pid;
			snprintf(e->comm, sizeof(e->comm), "%s", p->comm);
		} else {
			/* Outside any task (the sim event loop itself): the CPU's idle task, as
			 * the kernel names it. */
			e->pid = 0;
			snprintf(e->comm, sizeof(e->comm), "swapper/%d", e->cpu);
		}
	}
}

/* Control characters would break the one-line-per-event text format. */
static void trace_sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

static void trace_append(const struct ul_trace_event *e)
{
	struct ul_trace_event *chunk;
	size_t i, c;

	pthread_mutex_lock(&trace_lock);
	if (!trace_active)
		goto out;
	i = trace_len;
	if (i >= trace_max) {
		trace_lost++;
		goto out;
	}
	c = i >> TRACE_CHUNK_SHIFT;
	chunk = trace_chunks[c];
	if (!chunk) {
		/* The last chunk only as large as the limit needs (ul_trace_start(3)). */
		chunk = malloc(min_t(size_t, TRACE_CHUNK, trace_max - (c << TRACE_CHUNK_SHIFT)) *
			       sizeof(*chunk));
		if (!chunk) {
			trace_lost++;
			goto out;
		}
		trace_chunks[c] = chunk;
	}
	chunk[i & (TRACE_CHUNK - 1)] = *e;
	__atomic_store_n(&trace_len, i + 1, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&trace_lock);
}

/* Context: any. @detail is NULL or already formatted. */
static void trace_record(const char *func, u64 skb_id, const char *detail)
{
	struct ul_trace_event e;

	e.ns = ul_clock_ns();
	e.skb_id = skb_id;
	e.func = func ? func : "?";
	e.detail[0] = '\0';
	if (detail) {
		snprintf(e.detail, sizeof(e.detail), "%s", detail);
		trace_sanitize(e.detail);
	}
	trace_fill_context(&e);
	trace_append(&e);
}

void __ul_trace(const char *func, u64 skb_id, const char *detail)
{
	trace_record(func, skb_id, detail);
}

void __ul_tracef(const char *func, u64 skb_id, const char *fmt, ...)
{
	char detail[sizeof(((struct ul_trace_event *)0)->detail)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	trace_record(func, skb_id, detail);
}

/* ---- Text export ---------------------------------------------------------------------- */

static const char *trace_ctx_label(const struct ul_trace_event *e)
{
	switch (e->ctx) {
	case UL_CTX_HARDIRQ:
		return "hardirq";
	case UL_CTX_SOFTIRQ:
		return "softirq";
	default:
		return e->comm[0] ? e->comm : "?";
	}
}

/* One line: "[sssss.nnnnnnnnn] cpuN  CONTEXT FUNCTION skb=ID DETAIL" with the columns of
 * docs/tracing.md; trailing blanks are trimmed. */
static void trace_format_line(const struct ul_trace_event *e, char *line, size_t len)
{
	char skb[32] = "";
	int n;

	if (e->skb_id)
		snprintf(skb, sizeof(skb), "skb=%llu", (unsigned long long)e->skb_id);
	n = snprintf(line, len, "[%5llu.%09llu] cpu%-2u %-*s %-*s %-*s %s",
		     (unsigned long long)(e->ns / NSEC_PER_SEC),
		     (unsigned long long)(e->ns % NSEC_PER_SEC), e->cpu, TRACE_COL_CTX,
		     trace_ctx_label(e), TRACE_COL_FUNC, e->func, TRACE_COL_SKB, skb, e->detail);
	if (n < 0)
		n = 0;
	if ((size_t)n >= len)
		n = (int)len - 1;
	while (n > 0 && line[n - 1] == ' ')
		n--;
	line[n] = '\0';
}

int ul_trace_write_text(FILE *f)
{
	char line[256];
	size_t i, n = ul_trace_count();

	if (!f)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		trace_format_line(ul_trace_event(i), line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	if (ul_trace_lost())
		fprintf(f, "# %zu events lost (buffer of %zu events full)\n", ul_trace_lost(), n);
	if (fflush(f) || ferror(f))
		return -EIO;
	return 0;
}

/* ---- Chrome trace-event JSON ---------------------------------------------------------- */

/* Thread of the Chrome view: tid 0 = hardirq, 1 = softirq, 2 + pid = a task. */
static long trace_tid(const struct ul_trace_event *e)
{
	if (e->ctx == UL_CTX_HARDIRQ)
		return 0;
	if (e->ctx == UL_CTX_SOFTIRQ)
		return 1;
	return 2L + (e->pid >= 0 ? e->pid : 0);
}

/* JSON string body: quotes, backslashes and every byte outside printable ASCII are escaped,
 * so the output is valid JSON (and valid UTF-8) whatever a detail holds. */
static void json_puts(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

struct trace_thread {
	u16 cpu;
	long tid;
	const struct ul_trace_event *first;	/* names the thread */
};

static int trace_thread_cmp(const void *a, const void *b)
{
	const struct trace_thread *x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return 0;
}

/* The distinct (CPU, thread) pairs of events [0, @n), sorted, through an open-addressing
 * set (events can be many, threads are few). Returns the count or -ENOMEM. */
static long trace_collect_threads(size_t n, struct trace_thread **out)
{
	size_t cap = 64, used = 0, i, j;
	struct trace_thread *set = calloc(cap, sizeof(*set)), *list;

	if (!set)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct ul_trace_event *e = ul_trace_event(i);
		long tid = trace_tid(e);
		size_t h = ((size_t)e->cpu * 1000003u + (size_t)tid * 2654435761u) & (cap - 1);

		while (set[h].first && (set[h].cpu != e->cpu || set[h].tid != tid))
			h = (h + 1) & (cap - 1);
		if (set[h].first)
			continue;
		set[h] = (struct trace_thread){ .cpu = e->cpu, .tid = tid, .first = e };
		if (++used * 2 <= cap)
			continue;
		/* Grow: rehash into a table twice as large. */
		{
			size_t ncap = cap * 2;
			struct trace_thread *nset = calloc(ncap, sizeof(*nset));

			if (!nset) {
				free(set);
				return -ENOMEM;
			}
			for (j = 0; j < cap; j++) {
				size_t k;

				if (!set[j].first)
					continue;
				k = ((size_t)set[j].cpu * 1000003u +
				     (size_t)set[j].tid * 2654435761u) & (ncap - 1);
				while (nset[k].first)
					k = (k + 1) & (ncap - 1);
				nset[k] = set[j];
			}
			free(set);
			set = nset;
			cap = ncap;
		}
	}
	list = malloc((used ? used : 1) * sizeof(*list));
	if (!list) {
		free(set);
		return -ENOMEM;
	}
	for (i = 0, j = 0; i < cap; i++)
		if (set[i].first)
			list[j++] = set[i];
	free(set);
	qsort(list, used, sizeof(*list), trace_thread_cmp);
	*out = list;
	return (long)used;
}

static void trace_write_metadata(FILE *f, const struct trace_thread *th, long nth, bool *first)
{
	long i;
	char name[32];

	for (i = 0; i < nth; i++) {
		if (i == 0 || th[i].cpu != th[i - 1].cpu) {
			fprintf(f, "%s\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%u,"
				   "\"tid\":0,\"args\":{\"name\":\"CPU %u\"}}",
				*first ? "" : ",", th[i].cpu, th[i].cpu);
			fprintf(f, ",\n{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":%u,"
				   "\"tid\":0,\"args\":{\"sort_index\":%u}}",
				th[i].cpu, th[i].cpu);
			*first = false;
		}
		if (th[i].tid >= 2)
			snprintf(name, sizeof(name), "task %s", trace_ctx_label(th[i].first));
		else
			snprintf(name, sizeof(name), "%s", trace_ctx_label(th[i].first));
		fprintf(f, ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":%ld,"
			   "\"args\":{\"name\":",
			th[i].cpu, th[i].tid);
		json_puts(f, name);
		fprintf(f, "}}");
		/* Interrupt tracks first, then tasks by pid. */
		fprintf(f, ",\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":%u,\"tid\":%ld,"
			   "\"args\":{\"sort_index\":%ld}}",
			th[i].cpu, th[i].tid, th[i].tid);
	}
}

int ul_trace_write_chrome(FILE *f)
{
	size_t i, n = ul_trace_count();
	struct trace_thread *th = NULL;
	long nth;
	bool first = true;

	if (!f)
		return -EINVAL;
	nth = trace_collect_threads(n, &th);
	if (nth < 0)
		return (int)nth;
	fprintf(f, "{\"traceEvents\":[");
	trace_write_metadata(f, th, nth, &first);
	free(th);
	for (i = 0; i < n; i++) {
		const struct ul_trace_event *e = ul_trace_event(i);

		fprintf(f, "%s\n{\"name\":", first ? "" : ",");
		first = false;
		json_puts(f, e->func);
		fprintf(f, ",\"cat\":\"%s\",\"ph\":\"i\",\"s\":\"t\",\"ts\":%llu.%03llu,"
			   "\"pid\":%u,\"tid\":%ld,\"args\":{\"skb\":%llu,\"detail\":",
			e->ctx == UL_CTX_HARDIRQ ? "hardirq" :
			e->ctx == UL_CTX_SOFTIRQ ? "softirq" : "task",
			(unsigned long long)(e->ns / 1000), (unsigned long long)(e->ns % 1000),
			e->cpu, trace_tid(e), (unsigned long long)e->skb_id);
		json_puts(f, e->detail);
		fprintf(f, "}}");
	}
	fprintf(f, "\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"lost\":%zu}}\n",
		ul_trace_lost());
	if (fflush(f) || ferror(f))
		return -EIO;
	return 0;
}

/* ---- Public API ----------------------------------------------------------------------- */

UL_EXPORT int ul_trace_begin(size_t max_events)
{
	return ul_trace_start(max_events);
}

UL_EXPORT void ul_trace_end(void)
{
	ul_trace_stop();
}

static int trace_save(const char *path, int (*write)(FILE *f))
{
	FILE *f;
	int err;

	if (!path || !*path)
		return -EINVAL;
	if (!strcmp(path, "-"))
		return write(stdout);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	err = write(f);
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

UL_EXPORT int ul_trace_save_text(const char *path)
{
	return trace_save(path, ul_trace_write_text);
}

UL_EXPORT int ul_trace_save_chrome(const char *path)
{
	return trace_save(path, ul_trace_write_chrome);
}
