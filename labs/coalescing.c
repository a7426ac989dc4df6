/* SPDX-License-Identifier: MIT */
/* The interrupt coalescing lab (book ch9): the same UDP stream received with rx-usecs 0, 20,
 * 50 and 100; interrupts per packet fall and latency rises as the NIC
 * waits longer before it interrupts. Draws the interrupts over time (--plot DIR).
 * Mirrors no kernel file: an experiment on igb_set_coalesce (EITR) and the NIC's interrupt
 * throttling. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lab/plot.h"
#include "linux/kernel.h"
#include "net/hw.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "book.h"

#define CO_COUNT   1000
#define CO_GAP_NS  10000ULL	/* 100,000 packets/s */
#define CO_SAMPLES 240
#define CO_TICK_NS 50000ULL	/* a sample every 50 us: 12 ms */
#define CO_NCASES  4

static const unsigned int co_usecs[CO_NCASES] = { 0, 20, 50, 100 };

struct co_sampler {
	struct hw_nic *nic;
	double t_ms[CO_SAMPLES], irqs[CO_SAMPLES];
	size_t n;
	u64 irq0;
};

/* Context: a task; reads the receiving NIC's vector count every CO_TICK_NS. */
static int co_sample(void *arg)
{
	struct co_sampler *s = arg;
	u64 t0 = ul_now_ns();
	struct hw_queue_stats st;

	for (s->n = 0; s->n < CO_SAMPLES; s->n++) {
		hw_nic_get_queue_stats(s->nic, 0, &st);
		s->t_ms[s->n] = (double)(ul_now_ns() - t0) / 1e6;
		s->irqs[s->n] = (double)(st.irqs - s->irq0);
		ul_sleep(CO_TICK_NS);
	}
	return 0;
}

struct co_result {
	unsigned int usecs;
	int received;
	u64 irqs;
	double irq_per_pkt, lat_avg_us, lat_max_us;
};

static int co_case(struct ul_lab_ctx *ctx, unsigned int usecs, struct co_sampler *smp,
		   struct co_result *r)
{
	struct lab_udp u = { .ns_rx = LAB_NS_B, .ns_tx = LAB_NS_A, .dst = LAB_ADDR_B,
			     .port = 5000 + (int)usecs, .count = CO_COUNT, .size = 100,
			     .rx_cpu = 1, .tx_cpu = 0, .gap_ns = CO_GAP_NS };
	struct hw_queue_stats st;
	struct ul_task *t;
	char line[96], *o = NULL;
	int err;

	snprintf(line, sizeof(line), "ethtool -C eth0 rx-usecs %u", usecs);
	fprintf(ul_lab_out(ctx), "  $ ip netns exec %s %s\n", LAB_NS_B, line);
	err = ul_ethtool_cmd(LAB_NS_B, line, &o);
	free(o);
	if (err)
		return err;
	hw_nic_get_queue_stats(smp->nic, 0, &st);
	smp->irq0 = st.irqs;
	t = ul_task_spawn(NULL, "sampler", lab_cpu(1), co_sample, smp);
	if (!t)
		return -ENOMEM;
	err = lab_udp_run(&u);
	ul_task_join(t);
	hw_nic_get_queue_stats(smp->nic, 0, &st);
	r->usecs = usecs;
	r->received = u.received;
	r->irqs = st.irqs - smp->irq0;
	r->irq_per_pkt = u.received ? (double)r->irqs / u.received : 0;
	r->lat_avg_us = u.received ? (double)u.lat_sum_ns / u.received / 1000.0 : 0;
	r->lat_max_us = (double)u.lat_max_ns / 1000.0;
	return err;
}

static int lab_coalescing(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	const char *dir = ul_lab_opts(ctx)->plot_dir;
	static struct co_sampler smp[CO_NCASES];
	struct co_result r[CO_NCASES];
	struct lab_udp warm = { .ns_rx = LAB_NS_B, .ns_tx = LAB_NS_A, .dst = LAB_ADDR_B,
				.port = 4000, .count = 1, .size = 10, .rx_cpu = 1 };
	struct hw_nic *nic;
	bool fewer = true, slower = true;
	int err, i;

	memset(r, 0, sizeof(r));
	err = lab_boot(ctx, 2);
	if (err)
		return err;
	fprintf(out, "Setup: two hosts with an igb NIC each, wired back to back; %d datagrams "
		     "of 100 bytes at 100,000 packets/s, received with each rx-usecs in turn.\n",
		CO_COUNT);
	err = lab_two_hosts(ctx, 1, 256);
	if (err)
		goto out;
	lab_udp_run(&warm);
	nic = hw_nic_find(LAB_NS_B, "eth0");
	if (!nic) {
		err = -ENODEV;
		goto out;
	}
	for (i = 0; i < CO_NCASES && !err; i++) {
		memset(&smp[i], 0, sizeof(smp[i]));
		smp[i].nic = nic;
		err = co_case(ctx, co_usecs[i], &smp[i], &r[i]);
	}
	if (err)
		goto out;
	fprintf(out, "\n  rx-usecs  received  interrupts  per packet  latency avg (us)  max (us)\n");
	for (i = 0; i < CO_NCASES; i++)
		fprintf(out, "  %8u  %8d  %10llu  %10.3f  %16.1f  %8.1f\n", r[i].usecs,
			r[i].received, (unsigned long long)r[i].irqs, r[i].irq_per_pkt,
			r[i].lat_avg_us, r[i].lat_max_us);
	for (i = 1; i < CO_NCASES; i++) {
		fewer &= r[i].irqs < r[i - 1].irqs;
		slower &= r[i].lat_avg_us >= r[i - 1].lat_avg_us;
	}
	if (dir) {
		struct ul_plot_series s[CO_NCASES];
		char names[CO_NCASES][32], path[4096];

		for (i = 0; i < CO_NCASES; i++) {
			snprintf(names[i], sizeof(names[i]), "rx-usecs %u", co_usecs[i]);
			s[i] = (struct ul_plot_series){ names[i], smp[i].t_ms, smp[i].irqs, smp[i].n,
							1 };
		}
		snprintf(path, sizeof(path), "%s/coalescing-irqs.svg", dir);
		err = ul_plot_svg(path, "Receive interrupts over time, 100,000 packets/s",
				  "time (ms, virtual)", "interrupts (cumulative)", s, CO_NCASES);
		if (err) {
			fprintf(out, "  cannot write %s: %s\n", path, strerror(-err));
			goto out;
		}
		fprintf(out, "\nPlot: %s (interrupts over time, one line per rx-usecs)\n", path);
	}
	fprintf(out,
		"\nAnswer (ch9): with rx-usecs 0 the NIC interrupts for nearly every packet "
		"(%.2f per packet here); each interrupt costs a hard IRQ, a NET_RX softirq and a "
		"NAPI poll. Raising rx-usecs makes the NIC hold its interrupt until that long after "
		"the previous one, so one interrupt and one poll serve several packets: %.2f per "
		"packet at rx-usecs 100, %.0fx fewer. The price is latency: a packet can wait up "
		"to rx-usecs in the ring (average %.1f us at 0, %.1f us at 100). Throughput-bound "
		"servers want more coalescing, latency-bound ones less (igb's default rx-usecs 3 "
		"is not 3 us: values 1-3 select its dynamic interrupt moderation).\n\nChecks:\n",
		r[0].irq_per_pkt, r[CO_NCASES - 1].irq_per_pkt,
		r[CO_NCASES - 1].irqs ? (double)r[0].irqs / (double)r[CO_NCASES - 1].irqs : 0.0,
		r[0].lat_avg_us, r[CO_NCASES - 1].lat_avg_us);
	for (i = 0; i < CO_NCASES; i++) {
		char name[64];

		snprintf(name, sizeof(name), "rx-usecs %u: every datagram received", co_usecs[i]);
		ul_lab_check(ctx, name, r[i].received == CO_COUNT, "received %d", r[i].received);
	}
	ul_lab_check(ctx, "rx-usecs 0: about one interrupt per packet", r[0].irq_per_pkt >= 0.9,
		     "%.3f per packet", r[0].irq_per_pkt);
	ul_lab_check(ctx, "interrupts fall as rx-usecs grows", fewer, "see the table");
	ul_lab_check(ctx, "rx-usecs 100: at most one interrupt per 100 us",
		     r[CO_NCASES - 1].irqs <= CO_COUNT * CO_GAP_NS / 100000 + 2, "%llu interrupts",
		     (unsigned long long)r[CO_NCASES - 1].irqs);
	ul_lab_check(ctx, "average latency grows with rx-usecs", slower, "see the table");
	for (i = 0; i < CO_NCASES; i++) {
		ul_lab_evidence(ctx, i == 0 ? "irqs_usecs0" : i == 1 ? "irqs_usecs20" :
				     i == 2 ? "irqs_usecs50" : "irqs_usecs100",
				"%llu", (unsigned long long)r[i].irqs);
		ul_lab_evidence(ctx, i == 0 ? "lat_us_usecs0" : i == 1 ? "lat_us_usecs20" :
				     i == 2 ? "lat_us_usecs50" : "lat_us_usecs100",
				"%.1f", r[i].lat_avg_us);
	}
out:
	lab_shutdown(ctx);
	return err;
}

const struct ul_lab lab_def_coalescing = {
	"coalescing", "ch9",
	"What does interrupt coalescing (ethtool -C rx-usecs) trade: interrupts per packet "
	"against latency?",
	lab_coalescing,
};
