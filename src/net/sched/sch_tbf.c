/* SPDX-License-Identifier: MIT */
/* tbf: the token bucket filter, a rate limiter. Tokens (in nanoseconds of transmission time)
 * accumulate at @rate up to @burst; a packet leaves when the bucket holds its transmission
 * time, otherwise the qdisc waits (watchdog) for the tokens to come. At most @limit bytes
 * wait (tc's "limit", or "latency" converted as rate * latency + burst).
 * Mirrors linux/net/sched/sch_tbf.c (3.10): tbf_enqueue, tbf_dequeue, tbf_reset, tbf_change,
 * tbf_init, tbf_destroy, tbf_dump; and tc's q_tbf.c option syntax.
 * DIVERGES: no peakrate/mtu (refused with -EOPNOTSUPP); the backlog limit is checked here
 * instead of in an inner bfifo child qdisc.
 * Context: enqueue/dequeue with BH off and the qdisc lock held. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux/jiffies.h"
#include "linux/netdevice.h"
#include "net/hw.h"
#include "net/pkt_sched.h"
#include "trace/path.h"

struct tbf_sched_data {
	u32 limit;		/* bytes waiting at most */
	u32 max_size;		/* largest packet that can ever pass (the burst) */
	u64 rate;		/* bytes per second */
	u64 buffer;		/* the bucket, in ns of transmission at @rate */
	s64 tokens;		/* ns */
	u64 t_c;		/* time of the last check */
	u64 burst;		/* bytes, as configured */
	u64 latency;		/* ns, as configured (0: limit given) */
	struct qdisc_watchdog watchdog;
};

static inline s64 tbf_l2t(const struct tbf_sched_data *q, unsigned int len)
{
	return (s64)((u64)len * 1000000000ULL / q->rate);
}

static int tbf_enqueue(struct sk_buff *skb, struct Qdisc *sch)
{
	struct tbf_sched_data *q = qdisc_priv(sch);

	UL_TRACE(skb);
	/* A packet bigger than the bucket could never leave. */
	if (qdisc_pkt_len(skb) > q->max_size)
		return qdisc_drop(skb, sch);
	if (sch->qstats.backlog + qdisc_pkt_len(skb) > q->limit)
		return qdisc_drop(skb, sch);
	return qdisc_enqueue_tail(skb, sch);
}

static struct sk_buff *tbf_dequeue(struct Qdisc *sch)
{
	struct tbf_sched_data *q = qdisc_priv(sch);
	struct sk_buff *skb = skb_peek(&sch->q);
	u64 now;
	s64 toks;

	if (!skb)
		return NULL;
	now = ktime_get_ns();
	toks = (s64)min_t(u64, now - q->t_c, q->buffer);
	toks += q->tokens;
	if (toks > (s64)q->buffer)
		toks = (s64)q->buffer;
	toks -= tbf_l2t(q, qdisc_pkt_len(skb));
	if (toks >= 0) {
		skb = qdisc_dequeue_head(sch);
		q->t_c = now;
		q->tokens = toks;
		UL_TRACE(skb);
		return skb;
	}
	/* Not enough tokens: come back when there are. */
	qdisc_watchdog_schedule_ns(&q->watchdog, now + (u64)(-toks));
	sch->qstats.overlimits++;
	return NULL;
}

static void tbf_reset(struct Qdisc *sch)
{
	struct tbf_sched_data *q = qdisc_priv(sch);

	qdisc_reset_queue(sch);
	q->t_c = ktime_get_ns();
	q->tokens = (s64)q->buffer;
	qdisc_watchdog_cancel(&q->watchdog);
}

/* tc qdisc ... tbf rate R burst B (limit L | latency T) [mtu M] [peakrate P]. */
static int tbf_change(struct Qdisc *sch, const char *opt)
{
	struct tbf_sched_data *q = qdisc_priv(sch);
	char buf[256], *argv[16], *save = NULL, *tok;
	u64 rate = 0, burst = 0, limit = 0, latency = 0;
	bool have_limit = false;
	int argc = 0, i;

	if (!opt || strlen(opt) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", opt);
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (argc == ARRAY_SIZE(argv))
			return -EINVAL;
		argv[argc++] = tok;
	}
	for (i = 0; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "rate")) {
			if (ul_parse_rate_bps(v, &rate))
				return -EINVAL;
		} else if (!strcmp(k, "burst") || !strcmp(k, "buffer") || !strcmp(k, "maxburst")) {
			if (ul_parse_size(v, &burst))
				return -EINVAL;
		} else if (!strcmp(k, "limit")) {
			if (ul_parse_size(v, &limit))
				return -EINVAL;
			have_limit = true;
		} else if (!strcmp(k, "latency")) {
			if (ul_parse_time_ns(v, &latency))
				return -EINVAL;
		} else if (!strcmp(k, "peakrate") || !strcmp(k, "mtu") || !strcmp(k, "minburst")) {
			pr_warn("tbf: peakrate is not supported\n");
			return -EOPNOTSUPP;
		} else {
			return -EINVAL;
		}
	}
	if (i != argc)
		return -EINVAL;
	/* tc: rate and burst are required, and one of limit or latency. */
	if (!rate || !burst || (have_limit == !!latency) || rate / 8 == 0)
		return -EINVAL;
	q->rate = rate / 8;
	q->burst = burst;
	q->max_size = (u32)min_t(u64, burst, 1U << 30);
	q->buffer = (u64)tbf_l2t(q, (unsigned int)q->max_size);
	q->latency = latency;
	if (!have_limit)
		limit = q->rate * latency / 1000000000ULL + burst;
	q->limit = (u32)min_t(u64, limit, 1U << 30);
	sch->limit = q->limit;
	q->tokens = (s64)q->buffer;
	q->t_c = ktime_get_ns();
	return 0;
}

static int tbf_init(struct Qdisc *sch, const char *opt)
{
	struct tbf_sched_data *q = qdisc_priv(sch);

	qdisc_watchdog_init(&q->watchdog, sch);
	if (!opt) {
		qdisc_watchdog_fini(&q->watchdog);
		return -EINVAL;	/* tbf has no defaults: rate and burst are needed */
	}
	return tbf_change(sch, opt);
}

static void tbf_destroy(struct Qdisc *sch)
{
	struct tbf_sched_data *q = qdisc_priv(sch);

	qdisc_watchdog_fini(&q->watchdog);
}

static int tbf_dump(struct Qdisc *sch, char *buf, size_t len)
{
	struct tbf_sched_data *q = qdisc_priv(sch);
	u64 bits = q->rate * 8;
	int n;

	if (bits >= 1000000)
		n = snprintf(buf, len, "rate %lluMbit burst %lluKb lat %.1fms",
			     (unsigned long long)(bits / 1000000),
			     (unsigned long long)(q->burst / 1024),
			     q->latency ? q->latency / 1e6 :
			     (q->limit - q->burst) * 1e3 / (double)q->rate);
	else
		n = snprintf(buf, len, "rate %llubit burst %llub limit %ub",
			     (unsigned long long)bits, (unsigned long long)q->burst, q->limit);
	return n >= 0 && (size_t)n < len ? 0 : -ENOSPC;
}

static struct Qdisc_ops tbf_qdisc_ops = {
	.id = "tbf",
	.priv_size = sizeof(struct tbf_sched_data),
	.enqueue = tbf_enqueue,
	.dequeue = tbf_dequeue,
	.peek = qdisc_peek_head,
	.init = tbf_init,
	.reset = tbf_reset,
	.destroy = tbf_destroy,
	.change = tbf_change,
	.dump = tbf_dump,
};

int tbf_module_init(void)
{
	return register_qdisc(&tbf_qdisc_ops);
}
