/* SPDX-License-Identifier: MIT */
/* Per-reason drop counts: every kfree_skb_reason() that frees a packet counts here, and
 * /proc/net/drop_monitor lists the reasons seen ("reason count" lines, non-zero only).
 * Mirrors linux/net/core/drop_monitor.c (the kfree_skb tracepoint listener) and the reason
 * names of include/net/dropreason-core.h: drop_reasons[].
 * DIVERGES: Linux reports drops through netlink (dropwatch) by call site; ulnet keeps global
 * per-reason totals and a /proc file of its own. The counts are global, not per namespace. */
#include "linux/atomic.h"
#include "linux/kernel.h"
#include "linux/seq_file.h"
#include "net/dropreason.h"

#define __DROP_REASON_NAME(x) [SKB_DROP_REASON_##x] = #x,
const char *const drop_reasons[SKB_DROP_REASON_MAX + 1] = {
	[SKB_NOT_DROPPED_YET] = "NOT_DROPPED_YET",
	[SKB_CONSUMED] = "CONSUMED",
	DEFINE_DROP_REASON(__DROP_REASON_NAME, __DROP_REASON_NAME)
};
#undef __DROP_REASON_NAME

static atomic_long_t drop_counts[SKB_DROP_REASON_MAX];

const char *skb_drop_reason_name(enum skb_drop_reason reason)
{
	if ((unsigned int)reason > SKB_DROP_REASON_MAX || !drop_reasons[reason])
		return "UNKNOWN";
	return drop_reasons[reason];
}

/* Context: any. */
void ul_drop_record(enum skb_drop_reason reason)
{
	if ((unsigned int)reason >= SKB_DROP_REASON_MAX || reason <= SKB_CONSUMED)
		reason = SKB_DROP_REASON_NOT_SPECIFIED;
	atomic_long_inc(&drop_counts[reason]);
}

unsigned long ul_drop_count(enum skb_drop_reason reason)
{
	if ((unsigned int)reason >= SKB_DROP_REASON_MAX)
		return 0;
	return (unsigned long)atomic_long_read(&drop_counts[reason]);
}

static int drop_monitor_show(struct seq_file *m, void *v)
{
	int r;

	for (r = SKB_DROP_REASON_NOT_SPECIFIED; r < SKB_DROP_REASON_MAX; r++) {
		long n = atomic_long_read(&drop_counts[r]);

		if (n)
			seq_printf(m, "%s %ld\n", drop_reasons[r], n);
	}
	return 0;
}

void drop_monitor_init(void)
{
	int r;

	for (r = 0; r < SKB_DROP_REASON_MAX; r++)
		atomic_long_set(&drop_counts[r], 0);
	proc_create_single("net/drop_monitor", drop_monitor_show, NULL);
}

void drop_monitor_fini(void)
{
	int r;

	proc_remove_path("net/drop_monitor");
	for (r = 0; r < SKB_DROP_REASON_MAX; r++)
		atomic_long_set(&drop_counts[r], 0);
}
