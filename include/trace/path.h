/* SPDX-License-Identifier: MIT */
/* Function-path tracing: which kernel function ran, on which CPU, in which context.
 *
 * Functions on the packet path start with UL_TRACE(skb) (or UL_TRACE_FN() when there is no
 * skb). When tracing is off this is one predictable branch. When on, an event is appended to
 * an in-memory buffer: time (virtual on sim, so traces of the same seed are byte-identical),
 * CPU, context (hardirq, softirq or the task's name, as ftrace shows it), function name, the
 * skb's id and an optional short detail. Exported as text (ulnet's own, one event per line)
 * and as Chrome trace-event JSON (one track per CPU and context; opens in Perfetto). */
#ifndef _TRACE_PATH_H
#define _TRACE_PATH_H
#include <stdio.h>
#include "linux/compiler.h"
#include "linux/types.h"

/* Hidden: the library's code tests it with one instruction, not through the GOT (a test
 * per traced function on the packet path). */
extern bool ul_trace_on __attribute__((visibility("hidden")));

void __ul_trace(const char *func, u64 skb_id, const char *detail);
__printf(3, 4) void __ul_tracef(const char *func, u64 skb_id, const char *fmt, ...);

/* The skb's id, 0 for NULL. Through a variable so that UL_TRACE(&x) does not trip
 * -Waddress ("the address of x will always evaluate as true"). */
#define __ul_trace_skb_id(skb) ({ __typeof__(skb) __ul_s = (skb); __ul_s ? __ul_s->ul_id : 0; })
#define UL_TRACE(skb) \
	do { if (unlikely(ul_trace_on)) __ul_trace(__func__, __ul_trace_skb_id(skb), NULL); } while (0)
#define UL_TRACE_FN() \
	do { if (unlikely(ul_trace_on)) __ul_trace(__func__, 0, NULL); } while (0)
#define UL_TRACEF(skb, fmt, ...)                                                        \
	do { if (unlikely(ul_trace_on))                                                 \
		__ul_tracef(__func__, __ul_trace_skb_id(skb), fmt, ##__VA_ARGS__); } while (0)

enum ul_trace_ctx { UL_CTX_TASK, UL_CTX_SOFTIRQ, UL_CTX_HARDIRQ };
struct ul_trace_event {
	u64 ns;
	u64 skb_id;
	const char *func;	/* static string (__func__) */
	char detail[48];
	char comm[16];		/* task name, or "" in interrupt contexts */
	u16 cpu;
	u8 ctx;			/* enum ul_trace_ctx */
	int pid;		/* the task's pid (Chrome tid 2 + pid); -1 in interrupt contexts */
};

/* Start recording (clears earlier events); at most @max_events are kept (0: 1,000,000),
 * the rest are counted as lost. */
int ul_trace_start(size_t max_events);
void ul_trace_stop(void);
size_t ul_trace_count(void);
const struct ul_trace_event *ul_trace_event(size_t i);
size_t ul_trace_lost(void);
/* One line per event, fixed columns (docs/tracing.md):
 * "[    0.001000123] cpu0  softirq         net_rx_action                skb=3      dev=lo". */
int ul_trace_write_text(FILE *f);
/* {"traceEvents":[...]} with pid = CPU, tid = context. */
int ul_trace_write_chrome(FILE *f);
/* Free the buffer (stack teardown). */
void ul_trace_reset(void);

#endif
