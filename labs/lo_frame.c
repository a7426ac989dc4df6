/* SPDX-License-Identifier: MIT */
/* The loopback demonstration (`ulnet demo`): a task sends one Ethernet frame on lo, a protocol
 * handler receives it, and the lab shows the kernel functions it went through in each context,
 * the softirq and softnet counters that moved, and the capture of the frame.
 * Mirrors no kernel file: an experiment on drivers/net/loopback.c (loopback_xmit) and
 * net/core/dev.c (dev_queue_xmit, netif_rx, net_rx_action, process_backlog), book ch2 and ch5. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "linux/hardirq.h"
#include "linux/kernel.h"
#include "linux/netdevice.h"
#include "linux/percpu.h"
#include "linux/sched.h"
#include "linux/skbuff.h"
#include "net/capture.h"
#include "net/net_namespace.h"
#include "trace/path.h"
#include "uapi/linux/if_ether.h"
#include "ulnet/lab.h"
#include "ulnet/labs.h"
#include "ulnet/ulnet.h"
#include "views/views.h"

#define LO_FRAME_TYPE	 ETH_P_802_EX1	/* 0x88B5, IEEE 802 local experimental ethertype 1 */
#define LO_FRAME_FILTER	 "ether proto 0x88b5"
#define LO_FRAME_PAYLOAD "ulnet demo: one frame through lo, IEEE local experimental 0x88B5"
#define LO_FRAME_MAX	 256
#define LO_SEND_CPU	 0
#define LO_MAX_CPUS	 64

struct lo_frame_lab {
	struct packet_type pt;		/* the handler of LO_FRAME_TYPE */
	unsigned char expect[LO_FRAME_MAX];
	unsigned int expect_len;

	/* Sender (task context). */
	int xmit_rc;
	int tx_cpu;
	int tx_pid;
	u64 skb_id;

	/* Handler (softirq context). */
	int got;			/* frames received */
	unsigned char rx[LO_FRAME_MAX];
	unsigned int rx_len;
	int rx_cpu;
	bool rx_softirq;
};

/* The protocol handler, as ip_rcv is for ETH_P_IP. Consumes @skb. Context: softirq. */
static int lo_frame_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
			struct net_device *orig_dev)
{
	struct lo_frame_lab *lab = container_of(pt, struct lo_frame_lab, pt);
	unsigned int mac_len = (unsigned int)(skb->data - skb_mac_header(skb));

	UL_TRACEF(skb, "len=%u", mac_len + skb->len);
	lab->got++;
	lab->rx_cpu = smp_processor_id();
	lab->rx_softirq = in_serving_softirq() != 0;
	lab->rx_len = mac_len + skb->len;
	/* The MAC header is in the linear part; the rest may not be. */
	if (lab->got == 1 && lab->rx_len <= sizeof(lab->rx)) {
		memcpy(lab->rx, skb_mac_header(skb), mac_len);
		if (skb_copy_bits(skb, 0, lab->rx + mac_len, (int)skb->len) < 0)
			lab->rx_len = 0;
	}
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

/* LL_RESERVED_SPACE of linux/netdevice.h: the link header room, in 16-byte units. */
static unsigned int lo_ll_reserved_space(const struct net_device *dev)
{
	return ((dev->hard_header_len + dev->needed_headroom) & ~15u) + 16;
}

/* The task "sender": builds the frame as a protocol would and queues it on lo. */
static int lo_frame_sender(void *arg)
{
	struct lo_frame_lab *lab = arg;
	unsigned int plen = sizeof(LO_FRAME_PAYLOAD) - 1;
	struct net_device *dev;
	struct sk_buff *skb;

	dev = dev_get_by_name(&init_net, "lo");
	if (!dev)
		return -ENODEV;
	skb = alloc_skb(lo_ll_reserved_space(dev) + plen, GFP_KERNEL);
	if (!skb) {
		dev_put(dev);
		return -ENOMEM;
	}
	skb_reserve(skb, (int)lo_ll_reserved_space(dev));
	memcpy(skb_put(skb, plen), LO_FRAME_PAYLOAD, plen);
	skb_reset_network_header(skb);
	skb->dev = dev;
	skb->protocol = htons(LO_FRAME_TYPE);
	/* Destination: lo's own address; source NULL: dev_addr (eth_header). */
	if (dev_hard_header(skb, dev, LO_FRAME_TYPE, dev->dev_addr, NULL, skb->len) < 0) {
		kfree_skb(skb);
		dev_put(dev);
		return -EINVAL;
	}
	lab->tx_cpu = smp_processor_id();
	lab->tx_pid = current->pid;
	lab->skb_id = skb->ul_id;
	lab->xmit_rc = dev_queue_xmit(skb);
	/* A marker: what the trace shows between the call and this line ran inside it. */
	UL_TRACEF((struct sk_buff *)NULL, "dev_queue_xmit returned %d", lab->xmit_rc);
	dev_put(dev);
	return 0;
}

/* ---- /proc parsing -------------------------------------------------------------------- */

struct softirq_row {
	char name[16];
	unsigned long v[LO_MAX_CPUS];
};

/* /proc/softirqs: header, then "%12s:" and " %10u" per CPU. Returns rows parsed. */
static int parse_softirqs(const char *text, struct softirq_row *rows, int max, int ncpus)
{
	const char *line = text ? strchr(text, '\n') : NULL;
	int n = 0;

	while (line && *++line && n < max) {
		const char *colon = strchr(line, ':'), *p;
		const char *eol = strchr(line, '\n');
		int cpu;

		if (!colon || (eol && colon > eol))
			break;
		p = line;
		while (*p == ' ')
			p++;
		snprintf(rows[n].name, sizeof(rows[n].name), "%.*s", (int)(colon - p), p);
		p = colon + 1;
		for (cpu = 0; cpu < ncpus; cpu++) {
			char *end;

			rows[n].v[cpu] = strtoul(p, &end, 10);
			p = end;
		}
		n++;
		line = eol;
	}
	return n;
}

struct softnet_row {
	unsigned long processed, dropped, time_squeeze;
};

/* /proc/net/softnet_stat: one line per CPU, ten %08x fields. Returns lines parsed. */
static int parse_softnet(const char *text, struct softnet_row *rows, int ncpus)
{
	const char *p = text;
	int n = 0;

	while (p && *p && n < ncpus) {
		unsigned int f[3];

		if (sscanf(p, "%x %x %x", &f[0], &f[1], &f[2]) != 3)
			break;
		rows[n].processed = f[0];
		rows[n].dropped = f[1];
		rows[n].time_squeeze = f[2];
		n++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

static void print_softirqs(FILE *out, const char *before, const char *after, int ncpus)
{
	static struct softirq_row b[16], a[16];
	int nb = parse_softirqs(before, b, 16, ncpus), na = parse_softirqs(after, a, 16, ncpus);
	int i, cpu;

	fprintf(out, "/proc/softirqs (NET_TX, NET_RX and every row that changed):\n%20s", "");
	for (cpu = 0; cpu < ncpus; cpu++) {
		char col[16];

		snprintf(col, sizeof(col), "CPU%d", cpu);
		fprintf(out, " %12s", col);
	}
	fprintf(out, "\n");
	if (nb != na || nb == 0) {
		fprintf(out, "  (could not read /proc/softirqs)\n\n");
		return;
	}
	for (i = 0; i < na; i++) {
		bool changed = false;

		for (cpu = 0; cpu < ncpus; cpu++)
			changed |= a[i].v[cpu] != b[i].v[cpu];
		if (!changed && strcmp(a[i].name, "NET_RX") && strcmp(a[i].name, "NET_TX"))
			continue;
		fprintf(out, "  %-8s before:   ", a[i].name);
		for (cpu = 0; cpu < ncpus; cpu++)
			fprintf(out, " %12lu", b[i].v[cpu]);
		fprintf(out, "\n  %-8s after:    ", "");
		for (cpu = 0; cpu < ncpus; cpu++)
			fprintf(out, " %12lu", a[i].v[cpu]);
		fprintf(out, "\n  %-8s delta:    ", "");
		for (cpu = 0; cpu < ncpus; cpu++)
			fprintf(out, " %+12ld", (long)(a[i].v[cpu] - b[i].v[cpu]));
		fprintf(out, "\n");
	}
	fprintf(out, "\n");
}

/* Returns the NET_RX delta of @cpu from the two texts, or -1. */
static long softirq_delta(const char *before, const char *after, const char *name, int cpu,
			  int ncpus)
{
	static struct softirq_row b[16], a[16];
	int nb = parse_softirqs(before, b, 16, ncpus), na = parse_softirqs(after, a, 16, ncpus);
	int i;

	for (i = 0; i < na && i < nb; i++)
		if (!strcmp(a[i].name, name))
			return (long)(a[i].v[cpu] - b[i].v[cpu]);
	return -1;
}

static void print_softnet(FILE *out, const char *before, const char *after, int ncpus,
			  struct softnet_row *delta0)
{
	struct softnet_row b[LO_MAX_CPUS], a[LO_MAX_CPUS];
	int nb = parse_softnet(before, b, ncpus), na = parse_softnet(after, a, ncpus);
	int cpu;

	fprintf(out, "/proc/net/softnet_stat (columns 1-3, one line per CPU):\n");
	if (nb != ncpus || na != ncpus) {
		fprintf(out, "  (could not read /proc/net/softnet_stat)\n\n");
		return;
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		fprintf(out,
			"  CPU%-2d processed %lu -> %lu (%+ld)   dropped %lu -> %lu (%+ld)   "
			"time_squeeze %lu -> %lu (%+ld)\n",
			cpu, b[cpu].processed, a[cpu].processed,
			(long)(a[cpu].processed - b[cpu].processed), b[cpu].dropped, a[cpu].dropped,
			(long)(a[cpu].dropped - b[cpu].dropped), b[cpu].time_squeeze,
			a[cpu].time_squeeze, (long)(a[cpu].time_squeeze - b[cpu].time_squeeze));
	}
	if (delta0) {
		delta0->processed = a[LO_SEND_CPU].processed - b[LO_SEND_CPU].processed;
		delta0->dropped = a[LO_SEND_CPU].dropped - b[LO_SEND_CPU].dropped;
	}
	fprintf(out, "\n");
}

/* ---- trace summary ---------------------------------------------------------------------- */

static const char *ctx_name(const struct ul_trace_event *e)
{
	return e->ctx == UL_CTX_HARDIRQ ? "hardirq" : e->ctx == UL_CTX_SOFTIRQ ? "softirq" : "task";
}

/* Consecutive events of one CPU and context form a segment: "a -> b -> c". */
static void print_path_by_context(FILE *out)
{
	size_t i, n = ul_trace_count();
	const struct ul_trace_event *prev = NULL;

	fprintf(out, "The path, by context (consecutive functions of one CPU and context):\n");
	for (i = 0; i < n; i++) {
		const struct ul_trace_event *e = ul_trace_event(i);

		if (!prev || prev->cpu != e->cpu || prev->ctx != e->ctx ||
		    strcmp(prev->comm, e->comm)) {
			if (prev)
				fprintf(out, "\n");
			if (e->ctx == UL_CTX_TASK)
				fprintf(out, "  CPU %u, task %-9s %s", e->cpu, e->comm, e->func);
			else
				fprintf(out, "  CPU %u, %-14s %s", e->cpu, ctx_name(e), e->func);
		} else {
			fprintf(out, " -> %s", e->func);
		}
		prev = e;
	}
	fprintf(out, "%s\n", prev ? "\n" : "  (no events)\n");
}

/* Did softirq events run between the sender's dev_queue_xmit and its "returned" marker, i.e.
 * inside the call (at local_bh_enable)? */
static bool rx_ran_inside_xmit(void)
{
	size_t i, n = ul_trace_count();
	bool in_xmit = false, softirq_seen = false;

	for (i = 0; i < n; i++) {
		const struct ul_trace_event *e = ul_trace_event(i);

		if (e->ctx == UL_CTX_TASK && !strcmp(e->func, "dev_queue_xmit"))
			in_xmit = true;
		else if (e->ctx == UL_CTX_TASK && !strcmp(e->func, "lo_frame_sender"))
			return in_xmit && softirq_seen;
		else if (in_xmit && e->ctx == UL_CTX_SOFTIRQ && !strcmp(e->func, "lo_frame_rcv"))
			softirq_seen = true;
	}
	return false;
}

/* ---- the capture, read back ---------------------------------------------------------- */

/* Frames in @path, and whether one of them equals @frame. 0 or -errno. */
static int pcap_find_frame(const char *path, const unsigned char *frame, unsigned int len,
			   long *frames, bool *found, int *linktype)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	pcap_t *p = pcap_open_offline(path, errbuf);
	int rc, i;

	*frames = 0;
	*found = false;
	if (!p)
		return -EIO;
	*linktype = pcap_datalink(p);
	for (i = 0; i < 100000 && (rc = pcap_next_ex(p, &hdr, &data)) == 1; i++) {
		(*frames)++;
		if (hdr->caplen == len && hdr->len == len && !memcmp(data, frame, len))
			*found = true;
	}
	pcap_close(p);
	return 0;
}

/* ---- the lab ------------------------------------------------------------------------------- */

static void build_expected(struct lo_frame_lab *lab)
{
	unsigned int plen = sizeof(LO_FRAME_PAYLOAD) - 1;

	/* lo's address is 00:00:00:00:00:00 (loopback_setup leaves dev_addr zero). */
	memset(lab->expect, 0, 2 * ETH_ALEN);
	lab->expect[12] = LO_FRAME_TYPE >> 8;
	lab->expect[13] = LO_FRAME_TYPE & 0xff;
	memcpy(lab->expect + ETH_HLEN, LO_FRAME_PAYLOAD, plen);
	lab->expect_len = ETH_HLEN + plen;
}

static void print_explanation(FILE *out, const struct lo_frame_lab *lab, long net_rx_delta,
			      const struct softnet_row *sn)
{
	fprintf(out,
		"What the path shows (book ch2, ch5):\n"
		"  - lo never touches a NIC driver: there is no ring, no DMA and no hard interrupt.\n"
		"    loopback_xmit() hands the frame straight back to the receive side with\n"
		"    netif_rx(), which queues it on the sending CPU's backlog (enqueue_to_backlog)\n"
		"    and raises NET_RX_SOFTIRQ there.\n");
	if (lab->got && lab->rx_softirq && lab->rx_cpu == lab->tx_cpu)
		fprintf(out,
			"  - The receive half ran as NET_RX softirq on the sending CPU (CPU %d):\n"
			"    net_rx_action() polled the per-CPU backlog NAPI (process_backlog), which\n"
			"    passed the frame to __netif_receive_skb_core() and from there to the\n"
			"    0x88B5 handler (lo_frame_rcv) registered with dev_add_pack().\n",
			lab->rx_cpu);
	else if (lab->got)
		fprintf(out, "  - The receive half ran on CPU %d in %s context (Linux runs it as "
			     "NET_RX softirq on the sending CPU, %d).\n",
			lab->rx_cpu, lab->rx_softirq ? "softirq" : "task", lab->tx_cpu);
	if (rx_ran_inside_xmit())
		fprintf(out,
			"  - It ran inside the sender's dev_queue_xmit() call: the softirq was raised\n"
			"    with bottom halves disabled and served at local_bh_enable(), so the\n"
			"    receive work is charged to the sender's time slice as softirq (si) time.\n");
	else
		fprintf(out, "  - The softirq ran after dev_queue_xmit() returned (ksoftirqd or a "
			     "later bottom-half exit), not at its local_bh_enable().\n");
	fprintf(out,
		"  - /proc/softirqs counted %ld NET_RX run(s) on CPU %d; softnet_stat counted %lu\n"
		"    packet(s) processed and %lu dropped there (netdev_max_backlog = %d).\n"
		"  - packet_rcv is the capture's tap (what tcpdump's AF_PACKET socket does): it sees\n"
		"    the frame leaving (dev_queue_xmit_nit) and arriving; on lo the outgoing copy\n"
		"    is skipped, as libpcap does, so the pcap holds the frame once.\n\n",
		net_rx_delta, LO_SEND_CPU, sn->processed, sn->dropped, netdev_max_backlog);
}

static int lo_frame_check(const struct ul_lab_opts *o, FILE *out, const char *name, bool ok,
			  const char *why)
{
	if (o->ctx)	/* `ulnet lab lo-frame`: the framework records and prints it */
		return ul_lab_check(o->ctx, name, ok, "%s", why) ? 0 : 1;
	fprintf(out, "  %s  %s%s%s\n", ok ? "ok  " : "FAIL", name, ok ? "" : ": ", ok ? "" : why);
	return ok ? 0 : 1;
}

/* Open a temporary pcap when the caller gave no path. */
static int lo_temp_pcap(char *buf, size_t len)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(buf, len, "%s/ulnet-demo-XXXXXX.pcap", dir && *dir ? dir : "/tmp");
	fd = mkstemps(buf, 5);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int lo_frame_run(const struct ul_lab_opts *o, FILE *out, const char *pcap_path)
{
	static struct lo_frame_lab lab;
	int ncpus = o->ncpus ? o->ncpus : 2, cap, rc, err, failed = 0, linktype = -1;
	char *sirq_before, *sirq_after, *snet_before, *snet_after, why[160];
	struct softnet_row sn = { 0 };
	struct ul_task *t;
	long written, frames = 0, net_rx_delta;
	bool found = false, exact;

	memset(&lab, 0, sizeof(lab));
	build_expected(&lab);
	lab.pt.type = htons(LO_FRAME_TYPE);
	lab.pt.func = lo_frame_rcv;
	lab.pt.ul_func_name = "lo_frame_rcv";
	lab.xmit_rc = -1;
	lab.rx_cpu = -1;
	dev_add_pack(&lab.pt);

	cap = ul_capture_start(NULL, "lo", LO_FRAME_FILTER, pcap_path);
	if (cap < 0) {
		dev_remove_pack(&lab.pt);
		fprintf(out, "ulnet demo: cannot capture to %s: %s\n", pcap_path, strerror(-cap));
		return cap;
	}

	sirq_before = ul_proc_read(NULL, "/proc/softirqs", &err);
	snet_before = ul_proc_read(NULL, "/proc/net/softnet_stat", &err);
	ul_trace_begin(0);
	t = ul_task_spawn(NULL, "sender", LO_SEND_CPU, lo_frame_sender, &lab);
	rc = t ? ul_task_join(t) : -ENOMEM;
	ul_run_until_idle(NSEC_PER_SEC);
	ul_trace_end();
	sirq_after = ul_proc_read(NULL, "/proc/softirqs", &err);
	snet_after = ul_proc_read(NULL, "/proc/net/softnet_stat", &err);
	written = ul_capture_stop(cap);
	dev_remove_pack(&lab.pt);

	fprintf(out, "The frame: %u bytes, 00:00:00:00:00:00 > 00:00:00:00:00:00, ethertype "
		     "0x%04x (IEEE 802 local experimental)\n",
		lab.expect_len, LO_FRAME_TYPE);
	if (rc)
		fprintf(out, "  the task \"sender\" failed: %s\n", strerror(rc < 0 ? -rc : rc));
	else
		fprintf(out, "  sent by task \"sender\" (pid %d) on CPU %d: dev_queue_xmit() "
			     "returned %d (skb=%llu)\n",
			lab.tx_pid, lab.tx_cpu, lab.xmit_rc, (unsigned long long)lab.skb_id);
	exact = lab.got == 1 && lab.rx_len == lab.expect_len &&
		!memcmp(lab.rx, lab.expect, lab.expect_len);
	if (lab.got)
		fprintf(out, "  received by lo_frame_rcv on CPU %d in %s context: %u bytes, %s\n\n",
			lab.rx_cpu, lab.rx_softirq ? "softirq" : "task", lab.rx_len,
			exact ? "identical to what was sent" : "NOT what was sent");
	else
		fprintf(out, "  never received by the handler\n\n");

	fprintf(out, "Function trace (text format of docs/tracing.md; virtual time):\n");
	ul_trace_write_text(out);
	fprintf(out, "\n");
	print_path_by_context(out);

	print_softirqs(out, sirq_before, sirq_after, ncpus);
	print_softnet(out, snet_before, snet_after, ncpus, &sn);
	net_rx_delta = softirq_delta(sirq_before, sirq_after, "NET_RX", LO_SEND_CPU, ncpus);

	if (written >= 0)
		pcap_find_frame(pcap_path, lab.expect, lab.expect_len, &frames, &found, &linktype);
	if (o->pcap_path)
		fprintf(out, "Capture (tcpdump -i lo -w %s '%s'): %ld frame(s) written; read it "
			     "with: tcpdump -r %s -nn -e -X\n\n",
			pcap_path, LO_FRAME_FILTER, written, pcap_path);
	else
		fprintf(out, "Capture (tcpdump -i lo '%s', to a temporary file): %ld frame(s) "
			     "written (--pcap FILE keeps it)\n\n",
			LO_FRAME_FILTER, written);

	print_explanation(out, &lab, net_rx_delta, &sn);

	fprintf(out, "Checks:\n");
	snprintf(why, sizeof(why), "it got %d frame(s) of %u bytes, expected 1 frame of %u bytes%s",
		 lab.got, lab.rx_len, lab.expect_len,
		 lab.got == 1 && lab.rx_len == lab.expect_len ? " (contents differ)" : "");
	failed |= lo_frame_check(o, out, "the handler got the exact bytes", exact, why);
	snprintf(why, sizeof(why), "%ld frame(s) written, %ld read back, link type %d, %s",
		 written, frames, linktype, found ? "frame found" : "frame not found");
	failed |= lo_frame_check(o, out, "the pcap has the frame",
				 written == 1 && frames == 1 && found && linktype == DLT_EN10MB,
				 why);

	if (o->ctx) {
		long long pb = -1, pa = -1;

		/* Book ch1/ch5: lo is no NIC. The path has loopback_xmit and the backlog NAPI,
		 * no driver's xmit or interrupt handler; the backlog counted the frame once. */
		failed |= !ul_lab_expect_path(o->ctx, "loopback_xmit", true);
		failed |= !ul_lab_expect_path(o->ctx, "process_backlog", true);
		failed |= !ul_lab_expect_path(o->ctx, "igb_*", false);
		ul_softnet_lookup(snet_before, LO_SEND_CPU, "processed", &pb);
		ul_softnet_lookup(snet_after, LO_SEND_CPU, "processed", &pa);
		failed |= !ul_lab_expect_delta(o->ctx, "softnet_stat cpu0 processed", pb, pa,
					       "==", 1);
		ul_lab_evidence(o->ctx, "net_rx_softirqs_cpu0", "%ld", net_rx_delta);
		ul_lab_evidence(o->ctx, "softnet_processed_cpu0", "%lu", sn.processed);
		ul_lab_evidence(o->ctx, "rx_cpu", "%d", lab.rx_cpu);
		ul_lab_evidence(o->ctx, "rx_context", "%s", lab.rx_softirq ? "softirq" : "task");
		ul_lab_evidence(o->ctx, "pcap_frames", "%ld", frames);
	}
	if (o->trace_json && (err = ul_trace_save_chrome(o->trace_json)) < 0) {
		fprintf(out, "  cannot write %s: %s\n", o->trace_json, strerror(-err));
		failed = 1;
	} else if (o->trace_json) {
		fprintf(out, "Trace (Chrome trace-event JSON, open in ui.perfetto.dev): %s\n",
			o->trace_json);
	}
	if (o->trace_text && (err = ul_trace_save_text(o->trace_text)) < 0) {
		fprintf(out, "  cannot write %s: %s\n", o->trace_text, strerror(-err));
		failed = 1;
	} else if (o->trace_text) {
		fprintf(out, "Trace (text): %s\n", o->trace_text);
	}
	if (!o->ctx)
		fprintf(out, "%s\n", failed ? "demo: FAILED" : "demo: all checks passed");

	free(sirq_before);
	free(sirq_after);
	free(snet_before);
	free(snet_after);
	return failed;
}

UL_EXPORT int ul_lab_lo_frame(const struct ul_lab_opts *o)
{
	struct ul_config cfg = { .runtime = UL_RUNTIME_SIM };
	FILE *out = o && o->out ? o->out : stdout;
	char tmp[4096];
	const char *pcap_path;
	int err;

	if (!o)
		return -EINVAL;
	cfg.ncpus = o->ncpus ? o->ncpus : 2;
	cfg.seed = o->seed;
	if (cfg.ncpus < 1 || cfg.ncpus > LO_MAX_CPUS)
		return -EINVAL;
	pcap_path = o->pcap_path;
	if (!pcap_path) {
		err = lo_temp_pcap(tmp, sizeof(tmp));
		if (err)
			return err;
		pcap_path = tmp;
	}
	err = ul_stack_create(&cfg);
	if (err) {
		if (!o->pcap_path)
			unlink(tmp);
		return err;
	}
	fprintf(out, "ulnet demo: one Ethernet frame through lo (sim runtime, %d CPU%s, seed %llu)\n\n",
		cfg.ncpus, cfg.ncpus > 1 ? "s" : "", (unsigned long long)cfg.seed);
	err = lo_frame_run(o, out, pcap_path);
	ul_stack_destroy();
	if (!o->pcap_path)
		unlink(tmp);
	fflush(out);
	return err;
}
