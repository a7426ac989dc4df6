/* SPDX-License-Identifier: MIT */
/* The lab framework, the scenario runner and the views: what `ulnet lab`, `ulnet run` and
 * `ulnet view` are built on (docs/labs.md, docs/scenarios.md).
 *
 * A lab is a named experiment of the book {name, chapter "chN", question, run}. Its run()
 * boots its own stack, prints its report to ctx->out and records checks with ul_lab_check()
 * and evidence with ul_lab_evidence(); ul_lab_run() decides pass/fail from the checks and can
 * emit the whole as JSON. Errors are 0 or -errno. */
#ifndef ULNET_LAB_H
#define ULNET_LAB_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "ulnet.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ul_lab_ctx;

struct ul_lab {
	const char *name;	/* lowercase letters, digits, '-' */
	const char *chapter;	/* "ch2" ... "ch10" */
	const char *question;	/* the book's question, in words */
	/* Runs the experiment; returns 0 when it ran (the checks decide pass/fail) or -errno
	 * when it could not run. */
	int (*run)(struct ul_lab_ctx *ctx);
};

struct ul_lab_run_opts {
	bool trace;		/* also print the full function trace */
	const char *pcap_path;	/* keep the capture here */
	const char *trace_json;	/* write the Chrome trace-event JSON here */
	bool json;		/* print one JSON object instead of the text report */
	uint64_t seed;		/* simulated run's seed (0: 1) */
	int ncpus;		/* simulated CPUs (0: the lab's default) */
	FILE *out;		/* NULL: stdout */
	const char *plot_dir;	/* write the lab's SVG plots into this directory (NULL: none) */
	long conns;		/* max-conns: run the book's ch8.5 experiment with this many
				 * connections (0: the lab's fixed 70,000 mix) */
};

/* The registry, in chapter order. */
UL_EXPORT size_t ul_lab_count(void);
UL_EXPORT const struct ul_lab *ul_lab_at(size_t i);
UL_EXPORT const struct ul_lab *ul_lab_find(const char *name);
/* `ulnet lab list`: "NAME chN question" per line. */
UL_EXPORT void ul_lab_list(FILE *out);
/* Run @lab: 0 every check held, 1 a check failed (named in the report / JSON), -errno it
 * could not run. */
UL_EXPORT int ul_lab_run(const struct ul_lab *lab, const struct ul_lab_run_opts *opts);

/* ---- for labs ---- */
UL_EXPORT const struct ul_lab_run_opts *ul_lab_opts(struct ul_lab_ctx *ctx);
UL_EXPORT FILE *ul_lab_out(struct ul_lab_ctx *ctx);
/* Record a check, print "  ok    NAME" or "  FAIL  NAME: WHY" on the report. Returns @ok. */
UL_EXPORT bool ul_lab_check(struct ul_lab_ctx *ctx, const char *name, bool ok,
			    const char *why_fmt, ...) __attribute__((format(printf, 4, 5)));
/* Record a piece of evidence (a number or a short text) for the JSON output. */
UL_EXPORT void ul_lab_evidence(struct ul_lab_ctx *ctx, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Comparison operators of checks and `expect` lines: "==", "!=", "<", "<=", ">", ">=". */
UL_EXPORT int ul_lab_op_parse(const char *s);	/* -EINVAL when not one */
UL_EXPORT bool ul_lab_op_eval(int op, long long a, long long b);
UL_EXPORT const char *ul_lab_op_name(int op);
/* A counter's delta (after - before) compared with @value, recorded as a check. */
UL_EXPORT bool ul_lab_expect_delta(struct ul_lab_ctx *ctx, const char *counter,
				   long long before, long long after, const char *op,
				   long long value);
/* Whether the current trace has (@present) or lacks a function named @func (a '*' suffix
 * matches a prefix, e.g. "igb_*"), recorded as a check. */
UL_EXPORT bool ul_lab_expect_path(struct ul_lab_ctx *ctx, const char *func, bool present);
/* The trace has an event of @func: 1, 0. Prefix match with a trailing '*'. */
UL_EXPORT int ul_trace_has(const char *func);

/* ---- scenarios (`ulnet run FILE`, docs/scenarios.md) ---- */
struct ul_scenario_opts {
	FILE *out;		/* command output (NULL: stdout) */
	FILE *err;		/* errors "FILE:LINE: 'WORD': why" (NULL: stderr) */
	bool progress;		/* one-line progress on long sleeps (a terminal) */
	uint64_t seed;		/* when the runner boots the stack (0: 1) */
	int ncpus;		/* idem (0: 2) */
};
/* Run the scenario @text named @name (for messages). Boots a sim stack if none exists and
 * destroys it at the end (an existing stack is used and left). Returns 0 when every line
 * ran and every expect held, 1 when a line failed (reported on opts->err), -errno when the
 * run could not start. */
UL_EXPORT int ul_scenario_run_text(const char *name, const char *text,
				   const struct ul_scenario_opts *opts);
UL_EXPORT int ul_scenario_run_file(const char *path, const struct ul_scenario_opts *opts);
/* A scenario whose programs and captures outlive its lines (`ulnet up --run FILE`): the
 * lines run now on the existing stack (either runtime); the servers they `exec` go on
 * serving until ul_scenario_stop(). Returns 0 with *@sp set when every line ran and every
 * expect held; 1 when a line failed (reported on opts->err; what it started is stopped,
 * *@sp stays NULL); -ENODEV without a stack, -EINVAL, -ENOMEM. */
struct ul_scenario;
UL_EXPORT int ul_scenario_start(const char *name, const char *text,
				const struct ul_scenario_opts *opts, struct ul_scenario **sp);
/* The same for the file @path (-errno when it cannot be read, -EINVAL for a NUL byte). */
UL_EXPORT int ul_scenario_start_file(const char *path, const struct ul_scenario_opts *opts,
				     struct ul_scenario **sp);
/* Stop what @sp started: programs still running get a signal (as the end of `ulnet run`
 * stops its servers: "NAME (line N): still running at the end: stopped") and are joined,
 * captures are closed. Returns 0, or 1 when a program had failed (reported). NULL: 0. */
UL_EXPORT int ul_scenario_stop(struct ul_scenario *sp);
/* The built-in programs of `exec`: the usage line of the @i-th ("udp-echo PORT [COUNT]"),
 * NULL past the end. */
UL_EXPORT const char *ul_scenario_program(size_t i);

/* ---- views (`ulnet view NAME ARGS`) ---- */
/* Run the view argv[0] (cat, sysctl, netstat, nstat, ethtool, top, slabtop, ss) in @netns.
 * 0 or -errno (the reason printed on @err). */
UL_EXPORT int ul_view_run(const char *netns, int argc, char **argv, FILE *out, FILE *err);
/* Names and one-line summaries, for --help: NULL past the end. */
UL_EXPORT const char *ul_view_name(size_t i, const char **summary, const char **usage);

#ifdef __cplusplus
}
#endif
#endif
