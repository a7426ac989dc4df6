/* SPDX-License-Identifier: MIT */
/* The hard vs soft interrupt lab (book ch1, ch2, ch4): a UDP transfer over a NIC, seen as
 * top's per-CPU us/sy/hi/si shares, /proc/interrupts and /proc/softirqs deltas; NET_RX runs
 * far more often than NET_TX because TX completion is cleaned in NET_RX (igb_poll).
 * Mirrors no kernel file: an experiment on kernel/softirq.c accounting, fs/proc/stat.c and
 * drivers/net/ethernet/intel/igb (igb_msix_ring, igb_poll, igb_clean_tx_irq). */
#include <stdlib.h>
#include <string.h>
#include "linux/kernel_stat.h"
#include "trace/path.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "views/views.h"
#include "book.h"

#define IS_COUNT 5000
#define IS_SIZE	 1000

static int lab_irq_shares(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	struct lab_udp u = { .ns_rx = LAB_NS_B, .ns_tx = LAB_NS_A, .dst = LAB_ADDR_B,
			     .port = 5001, .count = IS_COUNT, .size = IS_SIZE, .rx_cpu = 1,
			     .tx_cpu = 0, .gap_ns = 10000 };
	struct lab_udp warm = { .ns_rx = LAB_NS_B, .ns_tx = LAB_NS_A, .dst = LAB_ADDR_B,
				.port = 4000, .count = 1, .size = 10, .rx_cpu = 1 };
	char *stat0 = NULL, *stat1 = NULL, *irq0 = NULL, *irq1 = NULL, *sirq0 = NULL,
	     *sirq1 = NULL;
	long long rx_d = 0, tx_d = 0, hard = 0, v0, v1;
	double hi = 0, si = 0, sy = 0, us = 0, pct = 0;
	int err, cpu, ncpus, rows = 0;
	u64 cs0[8][NR_STATS], cs1[8][NR_STATS];
	bool txc_softirq, txc_other;
	double si_ns = 0;

	err = lab_boot(ctx, 2);
	if (err)
		return err;
	ncpus = ul_lab_opts(ctx)->ncpus ? ul_lab_opts(ctx)->ncpus : 2;
	fprintf(out, "Setup: two hosts with an igb NIC each, wired back to back; the sender "
		     "task runs on CPU 0, the receiver task on CPU 1.\n");
	err = lab_two_hosts(ctx, 1, 256);
	if (err)
		goto out;
	lab_udp_run(&warm);	/* ARP first: the transfer below is UDP alone */
	/* Where TX completion runs: trace a few datagrams. */
	warm.count = 5;
	warm.port = 4001;
	ul_trace_begin(0);
	lab_udp_run(&warm);
	ul_trace_end();
	txc_softirq = lab_trace_find("igb_clean_tx_irq", UL_CTX_SOFTIRQ, 0) >= 0;
	txc_other = lab_trace_find("igb_clean_tx_irq", UL_CTX_TASK, 0) >= 0 ||
		    lab_trace_find("igb_clean_tx_irq", UL_CTX_HARDIRQ, 0) >= 0;
	fprintf(out, "\nFive datagrams traced: igb_clean_tx_irq ran %ld time(s), in %s context "
		     "(inside net_rx_action -> igb_poll).\n",
		lab_trace_calls("igb_clean_tx_irq"), txc_softirq ? "softirq" : "another");

	fprintf(out, "\nThe transfer: %d datagrams of %d bytes, one every 10 us, %s -> %s:%d\n",
		IS_COUNT, IS_SIZE, LAB_ADDR_A, LAB_ADDR_B, u.port);
	stat0 = lab_proc(NULL, "/proc/stat");
	irq0 = lab_proc(NULL, "/proc/interrupts");
	sirq0 = lab_proc(NULL, "/proc/softirqs");
	for (cpu = 0; cpu < ncpus && cpu < 8; cpu++)
		ul_cpu_usage(cpu, cs0[cpu]);
	lab_udp_run(&u);
	for (cpu = 0; cpu < ncpus && cpu < 8; cpu++)
		ul_cpu_usage(cpu, cs1[cpu]);
	stat1 = lab_proc(NULL, "/proc/stat");
	irq1 = lab_proc(NULL, "/proc/interrupts");
	sirq1 = lab_proc(NULL, "/proc/softirqs");
	fprintf(out, "  sent %d, received %d\n\n", u.sent, u.received);

	fprintf(out, "top (1 interval, the whole transfer):\n");
	rows = ul_top_format(out, stat0, stat1);
	/* top's shares are in clock ticks (10 ms), too coarse for a 50 ms transfer: the same
	 * accounting in nanoseconds (kernel/sched/cputime.c's kcpustat, before the division
	 * by USER_HZ) gives the shares of the CPU time the stack really spent. */
	fprintf(out, "\nThe same accounting in nanoseconds (kcpustat, share of the busy time):\n");
	for (cpu = 0; cpu < ncpus && cpu < 8; cpu++) {
		static const struct { const char *name; int idx; } f[4] = {
			{ "us", CPUTIME_USER }, { "sy", CPUTIME_SYSTEM },
			{ "hi", CPUTIME_IRQ }, { "si", CPUTIME_SOFTIRQ } };
		double d[4], busy = 0;
		int k;

		for (k = 0; k < 4; k++) {
			d[k] = (double)(cs1[cpu][f[k].idx] - cs0[cpu][f[k].idx]);
			busy += d[k];
		}
		fprintf(out, "  CPU%d:", cpu);
		for (k = 0; k < 4; k++)
			fprintf(out, "  %s %5.1f%% (%8.0f us)", f[k].name,
				busy > 0 ? 100.0 * d[k] / busy : 0.0, d[k] / 1000.0);
		fprintf(out, "\n");
		us += d[0];
		sy += d[1];
		hi += d[2];
		si += d[3];
	}
	si_ns = si;
	pct = us + sy + hi + si;
	if (pct > 0) {
		us = 100.0 * us / pct;
		sy = 100.0 * sy / pct;
		hi = 100.0 * hi / pct;
		si = 100.0 * si / pct;
	}
	fprintf(out, "\n/proc/interrupts, the NICs' vectors (delta over the transfer):\n");
	lab_print_interrupts_delta(out, irq0, irq1, "eth0", &hard);
	fprintf(out, "\n/proc/softirqs (delta over the transfer, all CPUs):\n");
	if (!ul_softirqs_lookup(sirq0, "NET_RX", -1, &v0) &&
	    !ul_softirqs_lookup(sirq1, "NET_RX", -1, &v1))
		rx_d = v1 - v0;
	if (!ul_softirqs_lookup(sirq0, "NET_TX", -1, &v0) &&
	    !ul_softirqs_lookup(sirq1, "NET_TX", -1, &v1))
		tx_d = v1 - v0;
	fprintf(out, "  NET_RX %+lld\n  NET_TX %+lld\n", rx_d, tx_d);

	fprintf(out, "\nThe book's figure beside ulnet's (ch2, ch4):\n");
	{
		char line[160];

		snprintf(line, sizeof(line),
			 "NET_RX %+lld vs NET_TX %+lld over %d datagrams (both hosts share the "
			 "CPUs)",
			 rx_d, tx_d, IS_COUNT);
		lab_book_beside(out, "/proc/softirqs NET_RX about 1.59e9 vs NET_TX about 3.8e5 "
				     "on one CPU", line);
		snprintf(line, sizeof(line),
			 "%.1f us of CPU per NET_RX softirq (a batch of frames each; this "
			 "machine, this build)",
			 rx_d > 0 ? si_ns / 1000.0 / (double)rx_d : 0.0);
		lab_book_beside(out, "about 3.4 us per soft IRQ (16-core host)", line);
	}
	fprintf(out,
		"\nAnswer: each batch of frames the NIC received or finished sending costs a hard "
		"interrupt (igb_msix_ring: %lld here, both NICs), which does almost nothing but "
		"napi_schedule and raise NET_RX_SOFTIRQ; the "
		"real receive work (igb_poll, ip_rcv, udp_rcv) runs in softirq context and is "
		"charged as si (%.1f%% of the stack's CPU time), the interrupt handlers as hi "
		"(%.1f%%), the system calls of the two tasks as sy (%.1f%%). NET_RX outnumbers NET_TX "
		"(%lld vs %lld) because a send does not need NET_TX at all: dev_queue_xmit "
		"transmits in the caller's context, and the TX-completion cleanup "
		"(igb_clean_tx_irq, freeing the sent skbs) runs inside igb_poll, i.e. in NET_RX. "
		"NET_TX is raised only when the qdisc has to defer work (__netif_schedule) or "
		"skbs are freed from hard-IRQ context.\n\nChecks:\n",
		hard, si, hi, sy, rx_d, tx_d);
	ul_lab_check(ctx, "every datagram received", u.received == IS_COUNT, "received %d of %d",
		     u.received, IS_COUNT);
	ul_lab_check(ctx, "top printed a line per CPU", rows == ncpus, "%d rows", rows);
	ul_lab_check(ctx, "hard interrupts of eth0 counted in /proc/interrupts", hard > 0,
		     "delta %lld", hard);
	ul_lab_check(ctx, "NET_RX delta > NET_TX delta", rx_d > tx_d, "NET_RX %+lld NET_TX %+lld",
		     rx_d, tx_d);
	ul_lab_check(ctx, "TX completion (igb_clean_tx_irq) runs in softirq, not elsewhere",
		     txc_softirq && !txc_other, "softirq %d other %d", txc_softirq, txc_other);
	ul_lab_check(ctx, "hi share > 0 and si share > 0", hi > 0 && si > 0, "hi %.2f si %.2f", hi,
		     si);
	ul_lab_evidence(ctx, "net_rx_delta", "%lld", rx_d);
	ul_lab_evidence(ctx, "net_tx_delta", "%lld", tx_d);
	ul_lab_evidence(ctx, "eth0_irqs", "%lld", hard);
	ul_lab_evidence(ctx, "hi_pct_sum", "%.2f", hi);
	ul_lab_evidence(ctx, "si_pct_sum", "%.2f", si);
	ul_lab_evidence(ctx, "sy_pct_sum", "%.2f", sy);
	ul_lab_evidence(ctx, "us_pct_sum", "%.2f", us);
out:
	free(stat0);
	free(stat1);
	free(irq0);
	free(irq1);
	free(sirq0);
	free(sirq1);
	lab_shutdown(ctx);
	return err;
}

const struct ul_lab lab_def_irq_shares = {
	"irq-shares", "ch2",
	"What do hard and soft interrupts cost during a transfer, and why is NET_RX counted far "
	"more than NET_TX?",
	lab_irq_shares,
};
