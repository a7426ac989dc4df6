/* SPDX-License-Identifier: MIT */
/* The RPS lab (book ch9): a single-queue NIC takes every interrupt and all the NET_RX work on
 * one CPU; writing a CPU mask to /sys/class/net/eth0/queues/rx-0/rps_cpus makes that CPU hash
 * each packet's flow and hand it to another CPU's backlog, woken by an IPI: the softirq time
 * spreads, softnet_stat's received_rps and the CAL row of /proc/interrupts count the IPIs.
 * Mirrors no kernel file: an experiment on net/core/dev.c's RPS (get_rps_cpu,
 * enqueue_to_backlog, rps_ipi_queued, net_rps_action_and_irq_enable) and net-sysfs.c's
 * store_rps_map. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "linux/interrupt.h"
#include "linux/kernel_stat.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "views/views.h"
#include "book.h"

#define RP_FLOWS   32
#define RP_PER	   50
#define RP_MAXCPU  8
#define RP_SYSFILE "/sys/class/net/eth0/queues/rx-0/rps_cpus"

struct rp_snap {
	long long net_rx[RP_MAXCPU], rps[RP_MAXCPU], processed[RP_MAXCPU];
	unsigned long cal[RP_MAXCPU];
	u64 si[RP_MAXCPU];
};

struct rp_result {
	int received, cpus_net_rx;
	long long net_rx[RP_MAXCPU], rps[RP_MAXCPU], processed[RP_MAXCPU];
	unsigned long cal[RP_MAXCPU];
	double si_share[RP_MAXCPU];	/* % of all CPUs' softirq time (host time: see below) */
	double pr_share[RP_MAXCPU];	/* % of all CPUs' processed frames */
};

static void rp_snap(int ncpus, struct rp_snap *s)
{
	u64 st[NR_STATS];
	int cpu;

	for (cpu = 0; cpu < ncpus; cpu++) {
		s->net_rx[cpu] = lab_counter(NULL, "softirqs NET_RX cpu%d", cpu);
		s->rps[cpu] = lab_counter(NULL, "softnet cpu%d received_rps", cpu);
		s->processed[cpu] = lab_counter(NULL, "softnet cpu%d processed", cpu);
		s->cal[cpu] = kstat_ipi_calls_cpu(cpu);
		ul_cpu_usage(cpu, st);
		s->si[cpu] = st[CPUTIME_SOFTIRQ];
	}
}

/* The flows of @u once more; the per-CPU table of what it cost.
 * The si time is the host's time spent in softirqs (the sim charges real time: its virtual
 * clock does not move while code runs), so it varies with the machine's load; the frames
 * each CPU processed (softnet_stat's first column, counted in __netif_receive_skb_core) are
 * exact, and are what the checks use. */
static void rp_run(FILE *out, int ncpus, struct lab_udp *u, struct rp_result *r)
{
	static struct rp_snap a, b;
	double si_total = 0, pr_total = 0;
	int cpu;

	rp_snap(ncpus, &a);
	lab_udp_run(u);
	rp_snap(ncpus, &b);
	r->received = u->received;
	r->cpus_net_rx = 0;
	for (cpu = 0; cpu < ncpus; cpu++) {
		si_total += (double)(b.si[cpu] - a.si[cpu]);
		pr_total += (double)(b.processed[cpu] - a.processed[cpu]);
	}
	fprintf(out, "  received %d of %d\n  CPU   NET_RX softirqs   processed (share)   "
		     "si time (share)      received_rps   CAL (IPIs)\n", u->received, u->count);
	for (cpu = 0; cpu < ncpus; cpu++) {
		double si = (double)(b.si[cpu] - a.si[cpu]);

		r->net_rx[cpu] = b.net_rx[cpu] - a.net_rx[cpu];
		r->rps[cpu] = b.rps[cpu] - a.rps[cpu];
		r->processed[cpu] = b.processed[cpu] - a.processed[cpu];
		r->cal[cpu] = b.cal[cpu] - a.cal[cpu];
		r->si_share[cpu] = si_total > 0 ? 100.0 * si / si_total : 0;
		r->pr_share[cpu] = pr_total > 0 ? 100.0 * (double)r->processed[cpu] / pr_total : 0;
		r->cpus_net_rx += r->net_rx[cpu] > 0;
		fprintf(out, "  %3d   %+15lld   %+9lld (%5.1f%%)   %8.0f us (%5.1f%%)   %+12lld   "
			"%10lu\n", cpu, r->net_rx[cpu], r->processed[cpu], r->pr_share[cpu],
			si / 1000.0, r->si_share[cpu], r->rps[cpu], r->cal[cpu]);
	}
}

/* `cat` of the rps_cpus file in hostb, echoed; the text without its newline in @buf. */
static void rp_cat(FILE *out, char *buf, size_t len)
{
	char *t = ul_proc_read(LAB_NS_B, RP_SYSFILE, NULL);

	snprintf(buf, len, "%.*s", t ? (int)strcspn(t, "\n") : 0, t ? t : "");
	fprintf(out, "  $ ip netns exec %s cat %s\n    %s\n", LAB_NS_B, RP_SYSFILE, buf);
	free(t);
}

/* The CAL row of /proc/interrupts, as printed. */
static void rp_print_cal(FILE *out)
{
	char *t = lab_proc(NULL, "/proc/interrupts"), *p = strstr(t, "\nCAL:");

	fprintf(out, "  $ grep CAL /proc/interrupts\n  %.*s\n",
		p ? (int)strcspn(p + 1, "\n") : 0, p ? p + 1 : "");
	free(t);
}

static int lab_rps(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	struct lab_udp u = { .ns_rx = LAB_NS_B, .ns_tx = LAB_NS_A, .dst = LAB_ADDR_B,
			     .port = 5001, .count = RP_FLOWS * RP_PER, .size = 200,
			     .rx_cpu = 0, .tx_cpu = 0, .gap_ns = 20000, .nflows = RP_FLOWS };
	struct lab_udp warm = { .ns_rx = LAB_NS_B, .ns_tx = LAB_NS_A, .dst = LAB_ADDR_B,
				.port = 4000, .count = 1, .size = 10 };
	struct rp_result off, on;
	char before[32], after[32], mask[32];
	double other_off = 0, other_on = 0, pr_other_off = 0, pr_other_on = 0, pr_expect;
	long long rps_sum = 0;
	unsigned long cal_sum = 0;
	bool only_cpu0 = true, rps_is_cal = true;
	int err, ncpus, cpu, write_err, bad_err;

	memset(&off, 0, sizeof(off));
	memset(&on, 0, sizeof(on));
	err = lab_boot(ctx, 4);
	if (err)
		return err;
	ncpus = ul_lab_opts(ctx)->ncpus ? ul_lab_opts(ctx)->ncpus : 4;
	if (ncpus > RP_MAXCPU)
		ncpus = RP_MAXCPU;
	fprintf(out, "Setup: two hosts, each NIC with ONE queue (its vector on CPU 0); hosta sends "
		     "%d UDP flows (%d source ports) to %s:%d, %d datagrams each; both tasks on "
		     "CPU 0.\n", RP_FLOWS, RP_FLOWS, LAB_ADDR_B, u.port, RP_PER);
	err = lab_two_hosts(ctx, 1, 256);
	if (err)
		goto out;
	lab_udp_run(&warm);	/* ARP first */

	fprintf(out, "\n1. RPS off (the default):\n");
	rp_cat(out, before, sizeof(before));
	rp_run(out, ncpus, &u, &off);

	snprintf(mask, sizeof(mask), "%lx", ncpus >= 64 ? ~0UL : (1UL << ncpus) - 1);
	fprintf(out, "\n2. RPS on every CPU:\n  $ ip netns exec %s sh -c 'echo %s > %s'\n",
		LAB_NS_B, mask, RP_SYSFILE);
	write_err = ul_proc_write(LAB_NS_B, RP_SYSFILE, mask);
	rp_cat(out, after, sizeof(after));
	fprintf(out, "  $ ip netns exec %s sh -c 'echo xyz > %s'\n", LAB_NS_B, RP_SYSFILE);
	bad_err = ul_proc_write(LAB_NS_B, RP_SYSFILE, "xyz");
	fprintf(out, "    sh: echo: write error: %s\n", strerror(-bad_err));
	u.port = 5002;
	rp_run(out, ncpus, &u, &on);
	rp_print_cal(out);

	for (cpu = 1; cpu < ncpus; cpu++) {
		only_cpu0 = only_cpu0 && off.net_rx[cpu] == 0;
		other_off += off.si_share[cpu];
		other_on += on.si_share[cpu];
		pr_other_off += off.pr_share[cpu];
		pr_other_on += on.pr_share[cpu];
		rps_sum += on.rps[cpu];
		cal_sum += on.cal[cpu];
		rps_is_cal = rps_is_cal && on.rps[cpu] == (long long)on.cal[cpu] &&
			     (on.net_rx[cpu] == 0 || on.rps[cpu] > 0);
	}
	fprintf(out,
		"\nAnswer (ch9): with one RX queue every frame interrupts CPU %d, and all the "
		"receive work (igb_poll, then ip_rcv and udp_rcv) ran there in NET_RX: NET_RX "
		"ran on %d CPU(s) and CPU 0 had %.1f%% of the softirq time. RPS is the software "
		"version of RSS: with a mask in rps_cpus, the CPU that took the interrupt only "
		"pulls the frame off the ring, hashes its flow (addresses and ports, in "
		"software: skb_get_rxhash) and queues it on the backlog of the CPU its hash "
		"picks in the mask (get_rps_cpu: cpus[hash * len >> 32]); at the end of its "
		"NET_RX round it sends each such CPU one IPI (net_rps_action_and_irq_enable), "
		"which schedules that CPU's backlog NAPI: %lld IPIs, counted both in "
		"/proc/net/softnet_stat's last column (received_rps) and /proc/interrupts' CAL "
		"row. NET_RX then ran on %d CPUs and the other CPUs' share of the frames "
		"processed (softnet_stat's first column: __netif_receive_skb) went from %.1f%% "
		"to %.1f%%, and their share of the softirq time from %.1f%% to %.1f%% (host "
		"time, which varies with the machine's load): CPU 0 keeps the interrupt, "
		"igb_poll, the hash and "
		"the enqueue of every frame (and here hosta's NIC too), the others get the "
		"protocol work (ip_rcv, udp_rcv, the socket) of their flows. A flow always "
		"hashes to the same CPU, so its packets "
		"stay in order. Unlike igb's RSS (IP addresses only for UDP), the software hash "
		"includes the ports, so these flows between ONE pair of addresses spread too. "
		"The price: the IPIs and a second pass through a backlog queue; RFS "
		"(rps_sock_flow_entries) would also follow the reading task's CPU: not in "
		"ulnet.\n\nChecks:\n",
		0, off.cpus_net_rx, off.si_share[0], rps_sum, on.cpus_net_rx, pr_other_off,
		pr_other_on, other_off, other_on);
	ul_lab_check(ctx, "every datagram received, RPS off and on",
		     off.received == u.count && on.received == u.count, "received %d and %d of %d",
		     off.received, on.received, u.count);
	ul_lab_check(ctx, "rps_cpus reads 0s, then the mask written; bad hex is EINVAL",
		     before[0] && !before[strspn(before, "0")] && write_err == 0 &&
			     !strcmp(after, mask) &&
			     bad_err == -EINVAL,
		     "'%s' -> '%s' (write %d), bad hex %d", before, after, write_err, bad_err);
	ul_lab_check(ctx, "RPS off: NET_RX only on CPU 0", only_cpu0 && off.net_rx[0] > 0,
		     "NET_RX on %d CPU(s)", off.cpus_net_rx);
	ul_lab_check(ctx, "RPS on: NET_RX on every CPU of the mask",
		     on.cpus_net_rx >= (ncpus > 3 ? 3 : ncpus), "NET_RX on %d of %d CPUs",
		     on.cpus_net_rx, ncpus);
	ul_lab_check(ctx, "RPS on: each IPI counted as received_rps and as a CAL interrupt",
		     ncpus == 1 || (rps_sum > 0 && rps_is_cal && on.rps[0] == 0),
		     "received_rps %lld, CAL %lu", rps_sum, cal_sum);
	/* The protocol work of each frame is done where its flow hashes: with the mask of
	 * every CPU the others take (ncpus - 1) / ncpus of the frames on average. The share is
	 * an exact count (the softirq time, host time, is no check: the host's load moves it),
	 * but which CPU each of the RP_FLOWS flows hashes to depends on the seed: 25% to 100%
	 * with 2 to 8 CPUs over seeds 1..30, the expected share over 2 at worst. A quarter of
	 * it passes every seed and fails when RPS moves no frame, or only a flow or two. */
	pr_expect = 100.0 * (ncpus - 1) / ncpus;
	ul_lab_check(ctx, "RPS on: the receive work spreads to the other CPUs",
		     ncpus == 1 || (pr_other_off == 0 && pr_other_on > pr_expect / 4),
		     "other CPUs' share of the frames processed %.1f%% -> %.1f%% (expected "
		     "%.1f%%)", pr_other_off, pr_other_on, pr_expect);
	ul_lab_evidence(ctx, "cpus_net_rx_off", "%d", off.cpus_net_rx);
	ul_lab_evidence(ctx, "cpus_net_rx_on", "%d", on.cpus_net_rx);
	ul_lab_evidence(ctx, "received_rps", "%lld", rps_sum);
	ul_lab_evidence(ctx, "other_cpus_processed_pct_on", "%.1f", pr_other_on);
out:
	lab_shutdown(ctx);
	return err;
}

const struct ul_lab lab_def_rps = {
	"rps", "ch9",
	"Can a single-queue NIC's receive work spread over CPUs (RPS), and what does it cost?",
	lab_rps,
};
