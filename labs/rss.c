/* SPDX-License-Identifier: MIT */
/* The RSS and IRQ affinity lab (book ch9): flows spread over the NIC's queues by the Toeplitz
 * hash, each queue's interrupt and NET_RX softirq on its own CPU; igb's default UDP hash
 * (IP addresses only) that keeps every flow between two addresses on one queue; and the two
 * knobs: the queue count (ethtool -L combined N) and a vector's CPU (/proc/irq/N/smp_affinity).
 * Mirrors no kernel file: an experiment on igb's RSS setup (igb_setup_mrqc: MRQC, RETA) and
 * its MSI-X vectors' affinity (igb_request_msix). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/net/ethernet/intel/igb/igb.h"
#include "linux/interrupt.h"
#include "linux/netdevice.h"
#include "net/hw.h"
#include "net/net_namespace.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "book.h"

#define RS_QUEUES   4
#define RS_NSRC	    8
#define RS_PER_FLOW 100
#define RS_MAXCPU   64

static const char *const rs_srcs[RS_NSRC] = { "10.0.0.11", "10.0.0.12", "10.0.0.13",
					       "10.0.0.14", "10.0.0.15", "10.0.0.16",
					       "10.0.0.17", "10.0.0.18" };

struct rs_snap {
	u64 qpkts[RS_QUEUES];
	unsigned long irq[RS_QUEUES][RS_MAXCPU];
	unsigned long net_rx[RS_MAXCPU];
};

static void rs_snap(struct hw_nic *nic, struct igb_adapter *ad, int ncpus, struct rs_snap *s)
{
	struct hw_queue_stats st;
	int q, cpu;

	for (q = 0; q < RS_QUEUES; q++) {
		hw_nic_get_queue_stats(nic, (unsigned int)q, &st);
		s->qpkts[q] = st.rx_packets;
		for (cpu = 0; cpu < ncpus; cpu++)
			s->irq[q][cpu] = ad->q_vector[q].irq > 0 ?
				kstat_irqs_cpu((unsigned int)ad->q_vector[q].irq, cpu) : 0;
	}
	for (cpu = 0; cpu < ncpus; cpu++)
		s->net_rx[cpu] = kstat_softirqs_cpu(NET_RX_SOFTIRQ, cpu);
}

struct rs_result {
	int received, queues_used, cpus_net_rx;
	bool irq_on_affinity_only;
	u64 qpkts[RS_QUEUES];
	int irqs[RS_QUEUES], aff[RS_QUEUES];
	unsigned long irq_cpu[RS_QUEUES][RS_MAXCPU];
	unsigned long net_rx[RS_MAXCPU];
};

/* What the two knobs showed. */
struct rs_knobs {
	int combined;		/* ethtool -l's Combined after -L */
	int irq0, cpu_from, cpu_to;	/* queue 0's vector and its CPU before/after the write */
	int write_err;
	char list[32];		/* smp_affinity_list after the write */
};

/* Print the table of one run (after - before) and fill @r. */
static void rs_report(FILE *out, struct igb_adapter *ad, int ncpus, const struct rs_snap *a,
		      const struct rs_snap *b, struct rs_result *r)
{
	int q, cpu;

	r->queues_used = r->cpus_net_rx = 0;
	r->irq_on_affinity_only = true;
	fprintf(out, "  queue  packets  affinity  interrupts on CPU0..CPU%d\n", ncpus - 1);
	for (q = 0; q < RS_QUEUES; q++) {
		int irq = ad->q_vector[q].irq, aff = irq > 0 ? irq_get_affinity((unsigned int)irq) : -1;

		r->qpkts[q] = b->qpkts[q] - a->qpkts[q];
		r->irqs[q] = irq;
		r->aff[q] = aff;
		r->queues_used += r->qpkts[q] > 0;
		if (aff < 0) {
			fprintf(out, "  %5d  %7llu  (no vector: the queue is off)\n", q,
				(unsigned long long)r->qpkts[q]);
			continue;
		}
		fprintf(out, "  %5d  %7llu  CPU%-5d ", q, (unsigned long long)r->qpkts[q], aff);
		for (cpu = 0; cpu < ncpus; cpu++) {
			unsigned long d = b->irq[q][cpu] - a->irq[q][cpu];

			fprintf(out, " %6lu", d);
			if (d && cpu != aff)
				r->irq_on_affinity_only = false;
			r->irq_cpu[q][cpu] = d;
		}
		fprintf(out, "\n");
	}
	fprintf(out, "  NET_RX softirqs per CPU:  ");
	for (cpu = 0; cpu < ncpus; cpu++) {
		unsigned long d = b->net_rx[cpu] - a->net_rx[cpu];

		fprintf(out, " CPU%d +%lu", cpu, d);
		r->cpus_net_rx += d > 0;
		r->net_rx[cpu] = d;
	}
	fprintf(out, "\n");
}

/* `ethtool -l eth0` on hostb, its current Combined line; the count or -1. */
static int rs_channels(FILE *out)
{
	char *o = NULL, *p;
	int n = -1;

	fprintf(out, "  $ ip netns exec %s ethtool -l eth0   (abridged)\n", LAB_NS_B);
	if (!ul_ethtool_cmd(LAB_NS_B, "ethtool -l eth0", &o) && o) {
		p = strstr(o, "Current hardware settings:");
		if (p && (p = strstr(p, "Combined:"))) {
			fprintf(out, "    Current hardware settings: %.*s\n", (int)strcspn(p, "\n"),
				p);
			n = atoi(p + strlen("Combined:"));
		}
	}
	free(o);
	return n;
}

/* `cat /proc/irq/@irq/@file` on the report; the text (without the newline) in @buf. */
static void rs_cat_irq(FILE *out, int irq, const char *file, char *buf, size_t len)
{
	char path[64], *t;

	snprintf(path, sizeof(path), "/proc/irq/%d/%s", irq, file);
	t = ul_proc_read(NULL, path, NULL);
	snprintf(buf, len, "%.*s", t ? (int)strcspn(t, "\n") : 0, t ? t : "");
	fprintf(out, "  $ cat %s\n    %s\n", path, buf);
	free(t);
}

/* The flows of @u again, to port @port: the table of queues, interrupts and NET_RX. */
static void rs_flows(FILE *out, struct hw_nic *nic, struct igb_adapter *ad, int ncpus,
		     struct lab_udp *u, int port, struct rs_result *r)
{
	static struct rs_snap a, b;

	u->port = port;
	rs_snap(nic, ad, ncpus, &a);
	lab_udp_run(u);
	rs_snap(nic, ad, ncpus, &b);
	rs_report(out, ad, ncpus, &a, &b, r);
	r->received = u->received;
}

/* 3. ethtool -L eth0 combined 2, then 4. queue 0's vector moved to the last CPU, the same
 * flows each time. */
static void rs_knobs(FILE *out, struct hw_nic *nic, struct igb_adapter *ad, int ncpus,
		     struct lab_udp *u, struct rs_result *r3, struct rs_result *r4,
		     struct rs_knobs *k)
{
	char path[64], buf[32];

	fprintf(out, "\n3. Fewer queues: the same %d flows (from %d addresses) after\n  $ ip netns "
		     "exec %s ethtool -L eth0 combined 2\n", RS_NSRC, RS_NSRC, LAB_NS_B);
	if (ul_ethtool_cmd(LAB_NS_B, "ethtool -L eth0 combined 2", NULL)) {
		k->combined = -1;
		return;
	}
	ul_run_for(1000000);
	k->combined = rs_channels(out);
	rs_flows(out, nic, ad, ncpus, u, 5003, r3);

	k->irq0 = ad->q_vector[0].irq;
	k->cpu_from = k->irq0 > 0 ? irq_get_affinity((unsigned int)k->irq0) : -1;
	k->cpu_to = ncpus - 1;
	fprintf(out, "\n4. Queue 0's vector (IRQ %d, eth0-TxRx-0) moved from CPU %d to CPU %d, the "
		     "same flows:\n", k->irq0, k->cpu_from, k->cpu_to);
	rs_cat_irq(out, k->irq0, "smp_affinity", buf, sizeof(buf));
	snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity", k->irq0);
	snprintf(buf, sizeof(buf), "%lx", 1UL << k->cpu_to);
	fprintf(out, "  $ echo %s > %s\n", buf, path);
	k->write_err = ul_proc_write(NULL, path, buf);
	rs_cat_irq(out, k->irq0, "smp_affinity_list", k->list, sizeof(k->list));
	rs_flows(out, nic, ad, ncpus, u, 5004, r4);
}

static void rs_knob_checks(struct ul_lab_ctx *ctx, int ncpus, const struct rs_result *r3,
			   const struct rs_result *r4, const struct rs_knobs *k, int count)
{
	int q = 0, cpu;
	bool moved = k->irq0 > 0 && r4->qpkts[0] > 0 && r4->aff[0] == k->cpu_to &&
		     r4->irq_cpu[0][k->cpu_to] > 0;

	for (cpu = 0; cpu < ncpus && moved; cpu++)
		if (cpu != k->cpu_to && r4->irq_cpu[0][cpu])
			moved = false;
	ul_lab_check(ctx, "ethtool -L combined 2: ethtool -l shows 2, only queues 0 and 1 used",
		     k->combined == 2 && r3->received == count && r3->qpkts[2] == 0 &&
			     r3->qpkts[3] == 0 && r3->qpkts[0] + r3->qpkts[1] == (u64)count &&
			     r3->queues_used == 2,
		     "Combined %d, queues used %d", k->combined, r3->queues_used);
	ul_lab_check(ctx, "smp_affinity: queue 0's interrupts move to the CPU written",
		     k->write_err == 0 && (ncpus == 1 || k->cpu_from != k->cpu_to) && moved &&
			     r4->received == count,
		     "IRQ %d: CPU %d -> %d, write %d, affinity now %d", k->irq0, k->cpu_from,
		     k->cpu_to, k->write_err, r4->aff[q]);
	ul_lab_check(ctx, "smp_affinity: NET_RX follows the interrupt to that CPU",
		     r4->net_rx[k->cpu_to] > 0, "CPU %d NET_RX +%lu", k->cpu_to,
		     r4->net_rx[k->cpu_to]);
	ul_lab_evidence(ctx, "queues_used_combined2", "%d", r3->queues_used);
	ul_lab_evidence(ctx, "irq0_cpu_after_write", "%d", r4->aff[0]);
}

static int lab_rss(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	struct lab_udp many = { .ns_rx = LAB_NS_B, .ns_tx = LAB_NS_A, .dst = LAB_ADDR_B,
				.port = 5001, .count = RS_NSRC * RS_PER_FLOW, .size = 200,
				.rx_cpu = 0, .tx_cpu = 1, .gap_ns = 20000, .nflows = RS_NSRC,
				.srcs = rs_srcs, .nsrcs = RS_NSRC };
	struct lab_udp ports = many;
	struct lab_udp warm = { .ns_rx = LAB_NS_B, .ns_tx = LAB_NS_A, .dst = LAB_ADDR_B,
				.port = 4000, .count = RS_NSRC, .size = 10, .nflows = RS_NSRC,
				.srcs = rs_srcs, .nsrcs = RS_NSRC };
	static struct rs_snap s0, s1, s2;
	struct rs_result r1, r2, r3, r4;
	struct rs_knobs k;
	struct net_device *dev;
	struct igb_adapter *ad;
	struct hw_nic *nic;
	struct net *net;
	int err, i, ncpus;

	memset(&r1, 0, sizeof(r1));
	memset(&r2, 0, sizeof(r2));
	memset(&r3, 0, sizeof(r3));
	memset(&r4, 0, sizeof(r4));
	memset(&k, 0, sizeof(k));
	err = lab_boot(ctx, 4);
	if (err)
		return err;
	ncpus = ul_lab_opts(ctx)->ncpus ? ul_lab_opts(ctx)->ncpus : 4;
	if (ncpus > RS_MAXCPU)
		ncpus = RS_MAXCPU;
	fprintf(out, "Setup: hostb's NIC has %d queues (one MSI-X vector each, vector i on CPU i "
		     "mod %d); hosta sends from %d addresses.\n", RS_QUEUES, ncpus, RS_NSRC);
	err = lab_sh(ctx, NULL, true, "ip netns add %s", LAB_NS_A);
	if (!err)
		err = lab_sh(ctx, NULL, true, "ip netns add %s", LAB_NS_B);
	if (!err)
		err = lab_sh(ctx, NULL, true, "hw nic add eth0 netns %s queues 1 speed 1000",
			     LAB_NS_A);
	if (!err)
		err = lab_sh(ctx, NULL, true, "hw nic add eth0 netns %s queues %d speed 1000",
			     LAB_NS_B, RS_QUEUES);
	if (!err)
		err = lab_sh(ctx, NULL, true, "hw wire %s/eth0 %s/eth0", LAB_NS_A, LAB_NS_B);
	for (i = 0; !err && i < 2; i++) {
		const char *ns = i ? LAB_NS_B : LAB_NS_A;

		err = lab_sh(ctx, ns, true, "ip link set lo up");
		if (!err)
			err = lab_sh(ctx, ns, true, "ip link set eth0 up");
		if (!err)
			err = lab_sh(ctx, ns, true, "ip addr add %s/24 dev eth0",
				     i ? LAB_ADDR_B : LAB_ADDR_A);
	}
	for (i = 0; !err && i < RS_NSRC; i++)
		err = lab_sh(ctx, LAB_NS_A, true, "ip addr add %s/24 dev eth0", rs_srcs[i]);
	if (err)
		goto out;
	ul_run_for(1000000);
	rs_channels(out);
	net = ul_net_by_name(LAB_NS_B);
	dev = net ? __dev_get_by_name(net, "eth0") : NULL;
	nic = dev ? hw_nic_of(dev) : NULL;
	if (!nic) {
		err = -ENODEV;
		goto out;
	}
	ad = netdev_priv(dev);
	lab_udp_run(&warm);	/* ARP for every source address */

	fprintf(out, "\n1. %d flows from %d source addresses to %s:%d, %d datagrams each:\n",
		RS_NSRC, RS_NSRC, LAB_ADDR_B, many.port, RS_PER_FLOW);
	rs_snap(nic, ad, ncpus, &s0);
	lab_udp_run(&many);
	rs_snap(nic, ad, ncpus, &s1);
	rs_report(out, ad, ncpus, &s0, &s1, &r1);
	r1.received = many.received;

	fprintf(out, "\n2. %d flows from ONE address (%s), %d source ports, same destination:\n",
		RS_NSRC, rs_srcs[0], RS_NSRC);
	ports.srcs = rs_srcs;
	ports.nsrcs = 1;
	ports.port = 5002;
	lab_udp_run(&ports);
	rs_snap(nic, ad, ncpus, &s2);
	rs_report(out, ad, ncpus, &s1, &s2, &r2);
	r2.received = ports.received;
	rs_knobs(out, nic, ad, ncpus, &many, &r3, &r4, &k);

	fprintf(out,
		"\nAnswer (ch9): the NIC hashes each packet's addresses with the Toeplitz key "
		"and looks the hash up in its 128-entry redirection table (ethtool -x) to pick a "
		"queue; each queue has its own MSI-X vector, pinned to one CPU, so that CPU takes "
		"the interrupt and runs NET_RX for the queue: %d flows from different addresses "
		"landed on %d of %d queues and NET_RX ran on %d CPUs. The spread is by flow, not "
		"by packet, so one flow never reorders. igb hashes UDP by the IP addresses only "
		"(its MRQC default, like ethtool -n eth0 rx-flow-hash udp4 showing 'IP SA, IP "
		"DA'): %d UDP flows between the same two addresses all went to %d queue(s). "
		"More queues help only when there are many flows; affinity decides which CPUs "
		"pay for them. The two knobs: ethtool -L eth0 combined 2 re-creates the rings and "
		"vectors and refills the redirection table with 2 queues, so the same flows used "
		"%d queue(s) and NET_RX ran on %d CPU(s); writing a CPU mask into "
		"/proc/irq/%d/smp_affinity moves that vector: queue 0's interrupts (and the NET_RX "
		"softirq the interrupt raises, on the same CPU) went from CPU %d to CPU %d "
		"(smp_affinity_list %s). irqbalance does the same writes.\n\nChecks:\n",
		RS_NSRC, r1.queues_used, RS_QUEUES, r1.cpus_net_rx, RS_NSRC, r2.queues_used,
		r3.queues_used, r3.cpus_net_rx, k.irq0, k.cpu_from, k.cpu_to, k.list);
	ul_lab_check(ctx, "every datagram received", r1.received == many.count &&
		     r2.received == ports.count, "received %d and %d of %d", r1.received,
		     r2.received, many.count);
	ul_lab_check(ctx, "different addresses: flows spread over >= 3 queues",
		     r1.queues_used >= 3, "%d queues", r1.queues_used);
	ul_lab_check(ctx, "each queue's interrupts only on its affinity CPU",
		     r1.irq_on_affinity_only && r2.irq_on_affinity_only, "see the table");
	ul_lab_check(ctx, "NET_RX ran on several CPUs", r1.cpus_net_rx >= (ncpus > 2 ? 3 : ncpus),
		     "%d CPUs", r1.cpus_net_rx);
	ul_lab_check(ctx, "one address pair: every UDP flow on one queue (2-tuple hash)",
		     r2.queues_used == 1, "%d queues", r2.queues_used);
	rs_knob_checks(ctx, ncpus, &r3, &r4, &k, many.count);
	ul_lab_evidence(ctx, "queues_used_addresses", "%d", r1.queues_used);
	ul_lab_evidence(ctx, "queues_used_ports", "%d", r2.queues_used);
	ul_lab_evidence(ctx, "cpus_net_rx", "%d", r1.cpus_net_rx);
out:
	lab_shutdown(ctx);
	return err;
}

const struct ul_lab lab_def_rss = {
	"rss", "ch9",
	"How does RSS spread flows over queues and CPUs, and which flows does igb keep together?",
	lab_rss,
};
