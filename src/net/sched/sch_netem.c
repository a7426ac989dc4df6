/* SPDX-License-Identifier: MIT */
/* netem: the network emulator qdisc (loss, delay with jitter, reordering, duplication,
 * corruption, rate), with a seeded generator so that a run can be repeated exactly.
 * Mirrors linux/net/sched/sch_netem.c (3.10): netem_enqueue, netem_dequeue, tfifo_enqueue,
 * tabledist, loss_event, packet_len_2_sched_time, netem_init, netem_change, netem_reset,
 * netem_destroy, netem_dump; and tc's q_netem.c option syntax.
 *
 * Each packet gets a time_to_send (now + delay +- jitter, uniform; after the previous packet
 * plus its serialization at @rate when a rate is set) and waits in a queue ordered by that
 * time (tfifo). With probability @reorder (every @gap-th packet when gap > 1) a packet is
 * instead put at the head with no delay, so it overtakes the others. A lost packet is counted
 * as a drop; a duplicate is a clone enqueued again at the root; a corrupted packet has one
 * random bit flipped.
 * DIVERGES: no correlation and no distribution tables (tc's "normal", "pareto"): such
 * options are refused with -EOPNOTSUPP; the jitter is uniform, tc's default without a
 * table. The generator is a splitmix64 stream per qdisc (seed option, or from the stack's
 * seeded RNG), not the kernel's net_random().
 * Context: enqueue/dequeue with BH off and the qdisc lock held (dev_queue_xmit, NET_TX). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux/jiffies.h"
#include "linux/netdevice.h"
#include "linux/random.h"
#include "net/hw.h"
#include "net/pkt_sched.h"
#include "trace/path.h"

struct netem_sched_data {
	u64 latency;		/* ns */
	u64 jitter;		/* ns */
	u32 loss;		/* ppm */
	u32 duplicate;
	u32 corrupt;
	u32 reorder;
	u32 gap;
	u32 counter;
	u64 rate;		/* bytes per second, 0: none */
	u64 seed;
	u64 rng;
	struct qdisc_watchdog watchdog;
	/* ulnet's counters of what netem did (tc -s shows drops and requeues only). */
	u64 lost, duplicated, corrupted, reordered;
};

struct netem_skb_cb {
	u64 time_to_send;
};
static inline struct netem_skb_cb *netem_skb_cb(const struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct netem_skb_cb) > sizeof(qdisc_skb_cb(skb)->data));
	return (struct netem_skb_cb *)qdisc_skb_cb(skb)->data;
}

static u64 netem_rand(struct netem_sched_data *q)
{
	u64 z = (q->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool netem_chance(struct netem_sched_data *q, u32 ppm)
{
	return ppm && netem_rand(q) % 1000000 < ppm;
}

/* tabledist without a table: uniform in [mu - sigma, mu + sigma]. */
static u64 tabledist(struct netem_sched_data *q, u64 mu, u64 sigma)
{
	u64 r;

	if (!sigma)
		return mu;
	r = netem_rand(q) % (2 * sigma + 1);
	return mu + r >= sigma ? mu + r - sigma : 0;
}

static u64 packet_len_2_sched_time(unsigned int len, const struct netem_sched_data *q)
{
	return (u64)len * 1000000000ULL / q->rate;
}

/* Insert by time_to_send, after packets due at the same time (FIFO among equals). */
static void tfifo_enqueue(struct sk_buff *nskb, struct Qdisc *sch)
{
	u64 tnext = netem_skb_cb(nskb)->time_to_send;
	struct sk_buff *skb;

	skb_queue_reverse_walk(&sch->q, skb) {
		if (tnext >= netem_skb_cb(skb)->time_to_send)
			break;
	}
	__skb_queue_after(&sch->q, skb, nskb);
	sch->qstats.backlog += qdisc_pkt_len(nskb);
}

static int netem_enqueue(struct sk_buff *skb, struct Qdisc *sch)
{
	struct netem_sched_data *q = qdisc_priv(sch);
	struct netem_skb_cb *cb;
	struct sk_buff *skb2;
	int count = 1;

	UL_TRACE(skb);
	if (netem_chance(q, q->duplicate))
		++count;
	if (netem_chance(q, q->loss)) {
		--count;
		q->lost++;
	}
	if (count == 0) {
		sch->qstats.drops++;
		kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_DROP);
		return NET_XMIT_SUCCESS;	/* __NET_XMIT_BYPASS: the sender is not told */
	}
	/* Duplicate: a clone goes through the root qdisc again (without duplicating). */
	if (count > 1 && (skb2 = skb_clone(skb, GFP_ATOMIC)) != NULL) {
		u32 dupsave = q->duplicate;

		q->duplicated++;
		q->duplicate = 0;
		qdisc_skb_cb(skb2)->pkt_len = skb2->len;
		sch->enqueue(skb2, sch);
		q->duplicate = dupsave;
	}
	/* Corrupt one bit: the data must be ours, with any checksum already computed. */
	if (netem_chance(q, q->corrupt)) {
		u64 r;

		skb = skb_unshare(skb, GFP_ATOMIC);
		if (unlikely(!skb) || (skb->ip_summed == CHECKSUM_PARTIAL &&
				       skb_checksum_help(skb))) {
			sch->qstats.drops++;
			if (skb)
				kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_DROP);
			return NET_XMIT_DROP;
		}
		r = netem_rand(q);
		if (skb_headlen(skb))
			skb->data[r % skb_headlen(skb)] ^= (u8)(1u << ((r >> 32) % 8));
		q->corrupted++;
	}
	if (unlikely(skb_queue_len(&sch->q) >= sch->limit))
		return qdisc_drop(skb, sch);	/* qdisc_reshape_fail */
	cb = netem_skb_cb(skb);
	if (q->gap == 0 || q->counter < q->gap - 1 || !netem_chance(q, q->reorder)) {
		u64 now = ktime_get_ns();
		u64 delay = tabledist(q, q->latency, q->jitter);

		if (q->rate) {
			struct sk_buff *last = skb_peek_tail(&sch->q);

			/* Serialize behind the last packet queued, as a link of @rate would. */
			if (last && netem_skb_cb(last)->time_to_send > now) {
				u64 ahead = netem_skb_cb(last)->time_to_send - now;

				delay = delay > ahead ? delay - ahead : 0;
				now = netem_skb_cb(last)->time_to_send;
			}
			delay += packet_len_2_sched_time(qdisc_pkt_len(skb), q);
		}
		cb->time_to_send = now + delay;
		++q->counter;
		tfifo_enqueue(skb, sch);
	} else {
		/* Do re-ordering by putting one out of N packets at the front of the queue. */
		cb->time_to_send = ktime_get_ns();
		q->counter = 0;
		q->reordered++;
		__skb_queue_head(&sch->q, skb);
		sch->qstats.backlog += qdisc_pkt_len(skb);
		sch->qstats.requeues++;
	}
	return NET_XMIT_SUCCESS;
}

static struct sk_buff *netem_peek(struct Qdisc *sch)
{
	return skb_peek(&sch->q);
}

static struct sk_buff *netem_dequeue(struct Qdisc *sch)
{
	struct netem_sched_data *q = qdisc_priv(sch);
	struct sk_buff *skb = skb_peek(&sch->q);

	if (!skb)
		return NULL;
	if (netem_skb_cb(skb)->time_to_send <= ktime_get_ns()) {
		__skb_unlink(skb, &sch->q);
		sch->qstats.backlog -= qdisc_pkt_len(skb);
		qdisc_bstats_update(sch, skb);
		skb->tstamp = 0;
		UL_TRACE(skb);
		return skb;
	}
	qdisc_watchdog_schedule_ns(&q->watchdog, netem_skb_cb(skb)->time_to_send);
	return NULL;
}

static void netem_reset(struct Qdisc *sch)
{
	struct netem_sched_data *q = qdisc_priv(sch);

	qdisc_reset_queue(sch);
	qdisc_watchdog_cancel(&q->watchdog);
}

/* Options, tc's syntax: limit N | delay T [JITTER] | loss [random] P | duplicate P |
 * corrupt P | reorder P [gap N] | gap N | rate R | seed N (ulnet). */
static int netem_parse(struct netem_sched_data *q, u32 *limit, const char *opt)
{
	char buf[512], *argv[32], *save = NULL, *tok;
	int argc = 0, i;

	if (!opt)
		return 0;
	if (strlen(opt) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", opt);
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (argc == ARRAY_SIZE(argv))
			return -EINVAL;
		argv[argc++] = tok;
	}
	for (i = 0; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		u64 n;

		if (!v)
			return -EINVAL;
		i++;
		if (!strcmp(k, "limit")) {
			char *end;
			unsigned long l = strtoul(v, &end, 10);

			if (*end || !l || l > 1000000)
				return -EINVAL;
			*limit = (u32)l;
		} else if (!strcmp(k, "delay") || !strcmp(k, "latency")) {
			if (ul_parse_time_ns(v, &q->latency))
				return -EINVAL;
			if (i + 1 < argc && !ul_parse_time_ns(argv[i + 1], &n)) {
				q->jitter = n;
				i++;
				if (i + 1 < argc && strchr(argv[i + 1], '%')) {
					pr_warn("netem: delay correlation is not supported\n");
					return -EOPNOTSUPP;
				}
			}
		} else if (!strcmp(k, "distribution")) {
			if (strcmp(v, "uniform")) {
				pr_warn("netem: distribution tables are not supported\n");
				return -EOPNOTSUPP;
			}
		} else if (!strcmp(k, "loss") || !strcmp(k, "drop")) {
			if (!strcmp(v, "random")) {
				if (++i >= argc)
					return -EINVAL;
				v = argv[i];
			} else if (!strcmp(v, "state") || !strcmp(v, "gemodel")) {
				pr_warn("netem: loss models are not supported\n");
				return -EOPNOTSUPP;
			}
			if (ul_parse_percent_ppm(v, &q->loss))
				return -EINVAL;
		} else if (!strcmp(k, "duplicate")) {
			if (ul_parse_percent_ppm(v, &q->duplicate))
				return -EINVAL;
		} else if (!strcmp(k, "corrupt")) {
			if (ul_parse_percent_ppm(v, &q->corrupt))
				return -EINVAL;
		} else if (!strcmp(k, "reorder")) {
			if (ul_parse_percent_ppm(v, &q->reorder))
				return -EINVAL;
		} else if (!strcmp(k, "gap")) {
			char *end;
			unsigned long g = strtoul(v, &end, 10);

			if (*end)
				return -EINVAL;
			q->gap = (u32)g;
		} else if (!strcmp(k, "rate")) {
			u64 bps;

			if (ul_parse_rate_bps(v, &bps))
				return -EINVAL;
			q->rate = bps / 8 ? bps / 8 : 1;
		} else if (!strcmp(k, "seed")) {
			if (sscanf(v, "%llu", (unsigned long long *)&q->seed) != 1)
				return -EINVAL;
			q->rng = q->seed;
		} else {
			return -EINVAL;
		}
		/* A correlation after a probability ("loss 5% 25%"). */
		if (i + 1 < argc && strchr(argv[i + 1], '%') && strcmp(k, "delay")) {
			pr_warn("netem: correlation is not supported\n");
			return -EOPNOTSUPP;
		}
	}
	/* tc: reordering needs a delay to reorder against; "reorder P" alone means gap 1. */
	if (q->reorder && !q->latency) {
		pr_warn("netem: reordering not possible without specifying some delay\n");
		return -EINVAL;
	}
	if (q->reorder && !q->gap)
		q->gap = 1;
	return 0;
}

static int netem_change(struct Qdisc *sch, const char *opt)
{
	struct netem_sched_data *q = qdisc_priv(sch), nq = *q;
	u32 limit = sch->limit;
	int err;

	/* A change replaces every option (tc sends the whole set). */
	memset(&nq, 0, offsetof(struct netem_sched_data, watchdog));
	nq.rng = q->rng;
	err = netem_parse(&nq, &limit, opt);
	if (err)
		return err;
	memcpy(q, &nq, offsetof(struct netem_sched_data, watchdog));
	sch->limit = limit;
	return 0;
}

static int netem_init(struct Qdisc *sch, const char *opt)
{
	struct netem_sched_data *q = qdisc_priv(sch);

	qdisc_watchdog_init(&q->watchdog, sch);
	sch->limit = 1000;	/* tc's default */
	q->rng = ((u64)prandom_u32() << 32) | prandom_u32();
	return netem_change(sch, opt);
}

static void netem_destroy(struct Qdisc *sch)
{
	struct netem_sched_data *q = qdisc_priv(sch);

	qdisc_watchdog_fini(&q->watchdog);
}

static void netem_print_time(char *b, size_t n, u64 ns)
{
	if (ns >= 1000000)
		snprintf(b, n, "%.1fms", ns / 1e6);
	else
		snprintf(b, n, "%.1fus", ns / 1e3);
}

static int netem_dump(struct Qdisc *sch, char *buf, size_t len)
{
	struct netem_sched_data *q = qdisc_priv(sch);
	size_t off = 0;
	char t1[32], t2[32];

#define NETEM_OUT(...) \
	do { if (off < len) off += (size_t)snprintf(buf + off, len - off, __VA_ARGS__); } while (0)
	NETEM_OUT("limit %u", sch->limit);
	if (q->latency) {
		netem_print_time(t1, sizeof(t1), q->latency);
		NETEM_OUT(" delay %s", t1);
		if (q->jitter) {
			netem_print_time(t2, sizeof(t2), q->jitter);
			NETEM_OUT("  %s", t2);
		}
	}
	if (q->loss)
		NETEM_OUT(" loss %g%%", q->loss / 1e4);
	if (q->duplicate)
		NETEM_OUT(" duplicate %g%%", q->duplicate / 1e4);
	if (q->reorder)
		NETEM_OUT(" reorder %g%%", q->reorder / 1e4);
	if (q->corrupt)
		NETEM_OUT(" corrupt %g%%", q->corrupt / 1e4);
	if (q->rate) {
		u64 bits = q->rate * 8;

		if (bits >= 1000000)
			NETEM_OUT(" rate %lluMbit", (unsigned long long)(bits / 1000000));
		else
			NETEM_OUT(" rate %llubit", (unsigned long long)bits);
	}
	if (q->gap > 1)
		NETEM_OUT(" gap %u", q->gap);
#undef NETEM_OUT
	return off < len ? 0 : -ENOSPC;
}

static struct Qdisc_ops netem_qdisc_ops = {
	.id = "netem",
	.priv_size = sizeof(struct netem_sched_data),
	.enqueue = netem_enqueue,
	.dequeue = netem_dequeue,
	.peek = netem_peek,
	.init = netem_init,
	.reset = netem_reset,
	.destroy = netem_destroy,
	.change = netem_change,
	.dump = netem_dump,
};

int netem_module_init(void)
{
	return register_qdisc(&netem_qdisc_ops);
}
