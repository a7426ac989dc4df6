/* SPDX-License-Identifier: MIT */
/* The lab registry and runner: lists the book's experiments, runs one, collects its checks and
 * evidence, and prints the text report or one JSON object.
 * Mirrors no kernel file: the lab framework of docs/labs.md (book/map.md names the labs). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "linux/kernel.h"
#include "trace/path.h"
#include "ulnet/lab.h"
#include "ulnet/labs.h"

#define LAB_MAX_CHECKS	 64
#define LAB_MAX_EVIDENCE 64

struct lab_check {
	char name[96];
	char why[256];
	bool ok;
};

struct lab_evidence {
	char key[64];
	char value[256];
};

struct ul_lab_ctx {
	const struct ul_lab *lab;
	struct ul_lab_run_opts opts;
	FILE *out;
	struct lab_check checks[LAB_MAX_CHECKS];
	int nchecks, nfailed;
	struct lab_evidence ev[LAB_MAX_EVIDENCE];
	int nev;
};

/* ---- the labs ------------------------------------------------------------------------------ */

/* lo-frame (labs/lo_frame.c): the loopback demonstration as a lab. */
static int lab_lo_frame(struct ul_lab_ctx *ctx)
{
	struct ul_lab_opts o = {
		.pcap_path = ctx->opts.pcap_path,
		.trace_json = ctx->opts.trace_json,
		.seed = ctx->opts.seed,
		.ncpus = ctx->opts.ncpus,
		.out = ctx->out,
		.ctx = ctx,
	};
	int err = ul_lab_lo_frame(&o);

	return err < 0 ? err : 0;
}

static const struct ul_lab lab_def_lo_frame = {
	"lo-frame", "ch5",
	"Does a frame sent on lo touch a NIC, and on which CPU and in which context is it "
	"received?",
	lab_lo_frame,
};

/* The labs of the labs/ directory, in chapter order. */
extern const struct ul_lab lab_def_loopback, lab_def_ringbuffer, lab_def_irq_shares,
	lab_def_rx_path, lab_def_tx_path, lab_def_tcpdump_netfilter, lab_def_coalescing,
	lab_def_rss, lab_def_gro;
extern const struct ul_lab lab_def_rps;	/* ch9 (labs/rps.c) */
extern const struct ul_lab lab_def_container;	/* i11: ch10 */
/* ch6-ch8 (labs/syn_retries.c, accept_queue.c, port_exhaustion.c, conn_memory.c,
 * max_conns.c) */
extern const struct ul_lab lab_def_syn_retries, lab_def_accept_queue, lab_def_port_exhaustion,
	lab_def_conn_memory, lab_def_max_conns;
/* TCP data (labs/blocking_epoll.c, zero_copy.c, loopback_tcp.c, crr_rr.c, cwnd.c) */
extern const struct ul_lab lab_def_zero_copy, lab_def_blocking_epoll, lab_def_loopback_tcp,
	lab_def_crr_rr, lab_def_cwnd;
/* ch9 knobs (labs/tso.c, syncookies.c) */
extern const struct ul_lab lab_def_tso, lab_def_syncookies;

static const struct ul_lab *const lab_table[] = {
	&lab_def_zero_copy,
	&lab_def_ringbuffer,
	&lab_def_irq_shares,
	&lab_def_rx_path,
	&lab_def_tcpdump_netfilter,
	&lab_def_blocking_epoll,
	&lab_def_tx_path,
	&lab_def_loopback,
	&lab_def_lo_frame,
	&lab_def_loopback_tcp,
	&lab_def_syn_retries,
	&lab_def_accept_queue,
	&lab_def_port_exhaustion,
	&lab_def_conn_memory,
	&lab_def_max_conns,
	&lab_def_coalescing,
	&lab_def_rss,
	&lab_def_rps,
	&lab_def_gro,
	&lab_def_tso,
	&lab_def_syncookies,
	&lab_def_crr_rr,
	&lab_def_cwnd,
	&lab_def_container,
};

UL_EXPORT size_t ul_lab_count(void)
{
	return ARRAY_SIZE(lab_table);
}

UL_EXPORT const struct ul_lab *ul_lab_at(size_t i)
{
	return i < ARRAY_SIZE(lab_table) ? lab_table[i] : NULL;
}

UL_EXPORT const struct ul_lab *ul_lab_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(lab_table); i++)
		if (!strcmp(lab_table[i]->name, name))
			return lab_table[i];
	return NULL;
}

UL_EXPORT void ul_lab_list(FILE *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lab_table); i++)
		fprintf(out, "%s %s %s\n", lab_table[i]->name, lab_table[i]->chapter,
			lab_table[i]->question);
}

/* ---- checks and evidence ----------------------------------------------------------------- */

UL_EXPORT const struct ul_lab_run_opts *ul_lab_opts(struct ul_lab_ctx *ctx)
{
	return &ctx->opts;
}

UL_EXPORT FILE *ul_lab_out(struct ul_lab_ctx *ctx)
{
	return ctx->out;
}

UL_EXPORT bool ul_lab_check(struct ul_lab_ctx *ctx, const char *name, bool ok,
			    const char *why_fmt, ...)
{
	struct lab_check *c;
	va_list ap;

	if (!ok)
		ctx->nfailed++;
	if (ctx->nchecks >= LAB_MAX_CHECKS) {
		fprintf(ctx->out, "  %s  %s (not recorded: more than %d checks)\n",
			ok ? "ok  " : "FAIL", name, LAB_MAX_CHECKS);
		return ok;
	}
	c = &ctx->checks[ctx->nchecks++];
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->ok = ok;
	c->why[0] = '\0';
	if (why_fmt) {
		va_start(ap, why_fmt);
		vsnprintf(c->why, sizeof(c->why), why_fmt, ap);
		va_end(ap);
	}
	fprintf(ctx->out, "  %s  %s%s%s\n", ok ? "ok  " : "FAIL", name,
		!ok && c->why[0] ? ": " : "", ok ? "" : c->why);
	return ok;
}

UL_EXPORT void ul_lab_evidence(struct ul_lab_ctx *ctx, const char *key, const char *fmt, ...)
{
	struct lab_evidence *e;
	va_list ap;

	if (ctx->nev >= LAB_MAX_EVIDENCE)
		return;
	e = &ctx->ev[ctx->nev++];
	snprintf(e->key, sizeof(e->key), "%s", key);
	va_start(ap, fmt);
	vsnprintf(e->value, sizeof(e->value), fmt, ap);
	va_end(ap);
}

static const char *const op_names[] = { "==", "!=", "<", "<=", ">", ">=" };

UL_EXPORT int ul_lab_op_parse(const char *s)
{
	int i;

	for (i = 0; s && i < (int)ARRAY_SIZE(op_names); i++)
		if (!strcmp(s, op_names[i]))
			return i;
	return -EINVAL;
}

UL_EXPORT const char *ul_lab_op_name(int op)
{
	return op >= 0 && op < (int)ARRAY_SIZE(op_names) ? op_names[op] : "?";
}

UL_EXPORT bool ul_lab_op_eval(int op, long long a, long long b)
{
	switch (op) {
	case 0: return a == b;
	case 1: return a != b;
	case 2: return a < b;
	case 3: return a <= b;
	case 4: return a > b;
	case 5: return a >= b;
	default: return false;
	}
}

UL_EXPORT bool ul_lab_expect_delta(struct ul_lab_ctx *ctx, const char *counter,
				   long long before, long long after, const char *op_s,
				   long long value)
{
	int op = ul_lab_op_parse(op_s);
	char name[96];

	snprintf(name, sizeof(name), "%s delta %s %lld", counter, op_s ? op_s : "?", value);
	ul_lab_evidence(ctx, counter, "%lld -> %lld", before, after);
	if (op < 0)
		return ul_lab_check(ctx, name, false, "bad operator '%s'", op_s ? op_s : "");
	return ul_lab_check(ctx, name, ul_lab_op_eval(op, after - before, value),
			    "%lld -> %lld is a delta of %lld", before, after, after - before);
}

UL_EXPORT int ul_trace_has(const char *func)
{
	size_t i, n = ul_trace_count(), len;
	bool prefix;

	if (!func || !*func)
		return 0;
	len = strlen(func);
	prefix = func[len - 1] == '*';
	if (prefix)
		len--;
	for (i = 0; i < n; i++) {
		const struct ul_trace_event *e = ul_trace_event(i);

		if (prefix ? !strncmp(e->func, func, len) : !strcmp(e->func, func))
			return 1;
	}
	return 0;
}

UL_EXPORT bool ul_lab_expect_path(struct ul_lab_ctx *ctx, const char *func, bool present)
{
	char name[96];
	bool has = ul_trace_has(func);

	snprintf(name, sizeof(name), "the path %s %s", present ? "contains" : "has no", func);
	return ul_lab_check(ctx, name, has == present, "%zu traced events %s %s",
			    ul_trace_count(), has ? "include" : "do not include", func);
}

/* ---- the runner ------------------------------------------------------------------------------- */

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void lab_json(FILE *f, const struct ul_lab_ctx *ctx, const char *report, int err)
{
	int i;

	fprintf(f, "{\"lab\":");
	json_string(f, ctx->lab->name);
	fprintf(f, ",\"chapter\":");
	json_string(f, ctx->lab->chapter);
	fprintf(f, ",\"question\":");
	json_string(f, ctx->lab->question);
	fprintf(f, ",\"seed\":%llu,\"passed\":%s", (unsigned long long)ctx->opts.seed,
		!err && !ctx->nfailed && ctx->nchecks ? "true" : "false");
	if (err) {
		fprintf(f, ",\"error\":");
		json_string(f, strerror(-err));
	}
	fprintf(f, ",\"checks\":[");
	for (i = 0; i < ctx->nchecks; i++) {
		fprintf(f, "%s{\"name\":", i ? "," : "");
		json_string(f, ctx->checks[i].name);
		fprintf(f, ",\"ok\":%s,\"detail\":", ctx->checks[i].ok ? "true" : "false");
		json_string(f, ctx->checks[i].why);
		fprintf(f, "}");
	}
	fprintf(f, "],\"evidence\":{");
	for (i = 0; i < ctx->nev; i++) {
		fprintf(f, "%s", i ? "," : "");
		json_string(f, ctx->ev[i].key);
		fputc(':', f);
		json_string(f, ctx->ev[i].value);
	}
	fprintf(f, "},\"report\":");
	json_string(f, report);
	fprintf(f, "}\n");
}

UL_EXPORT int ul_lab_run(const struct ul_lab *lab, const struct ul_lab_run_opts *opts)
{
	struct ul_lab_ctx *ctx;
	FILE *final;
	char *report = NULL;
	size_t report_len = 0;
	int err, i;

	if (!lab || !opts)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->lab = lab;
	ctx->opts = *opts;
	if (!ctx->opts.seed)
		ctx->opts.seed = 1;
	final = opts->out ? opts->out : stdout;
	ctx->out = final;
	if (opts->json) {
		ctx->out = open_memstream(&report, &report_len);
		if (!ctx->out) {
			free(ctx);
			return -ENOMEM;
		}
	}
	fprintf(ctx->out, "Lab %s (%s): %s\n\n", lab->name, lab->chapter, lab->question);
	err = lab->run(ctx);
	if (!err && !ctx->nchecks)
		ul_lab_check(ctx, "the lab recorded its checks", false, "it recorded none");
	if (err)
		fprintf(ctx->out, "lab %s: could not run: %s\n", lab->name, strerror(-err));
	else if (ctx->nfailed) {
		fprintf(ctx->out, "lab %s: FAILED:", lab->name);
		for (i = 0; i < ctx->nchecks; i++)
			if (!ctx->checks[i].ok)
				fprintf(ctx->out, " [%s]", ctx->checks[i].name);
		fprintf(ctx->out, "\n");
	} else {
		fprintf(ctx->out, "lab %s: all %d checks passed\n", lab->name, ctx->nchecks);
	}
	if (opts->json) {
		fclose(ctx->out);
		lab_json(final, ctx, report, err);
		free(report);
	}
	fflush(final);
	i = ctx->nfailed;
	free(ctx);
	return err ? err : i ? 1 : 0;
}
