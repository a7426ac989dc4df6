/* SPDX-License-Identifier: MIT */
/* The cwnd lab (book ch9, issue #5): one CUBIC flow on a simulated 1 Gbit/s link with 10 ms of
 * one-way delay: its throughput against the link rate, its congestion window over time, and
 * after one induced loss the cubic curve, concave below W_max and convex above it; the
 * time-sequence plot of the connection (tcptrace style), cwnd and the sender's queue over
 * time as SVG.
 * Mirrors no kernel file: an experiment on net/ipv4/tcp_cubic.c (bictcp_update,
 * bictcp_recalc_ssthresh), tcp_input.c (tcp_fastretrans_alert) and tcp_output.c
 * (tcp_write_xmit), watched as `ss -i` and tcptrace would. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/netfilter.h"
#include "linux/skbuff.h"
#include "net/ip.h"
#include "net/tcp.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "lab/plot.h"
#include "book.h"
#include "tcp_book.h"
#include "tcp_bulk.h"

#define CW_PORT		5001
#define CW_DELAY_MS	10		/* one-way, each direction: RTT 20 ms */
#define CW_RUN1_NS	(1200 * LAB_MS)	/* the throughput flow */
#define CW_SAMPLE_NS	(5 * LAB_MS)
#define CW_MAX_SAMPLES	4096
#define CW_LINK_MBPS	1000.0

/* ---- the loss and the time-sequence recorder (netfilter hooks, global as in 3.10) ---- */

struct cw_seq {
	double t;		/* s since the first segment */
	double seq;		/* relative sequence number (bytes) */
};

static struct {
	int port;		/* the flow's server port */
	int drop_armed;		/* drop the next data segment arriving at the receiver */
	int dropped;
	u64 rx_truesize_sum, rx_len_sum;	/* data segments arriving at the receiver */
	u64 t0;
	u32 isn;
	bool have_isn;
	struct cw_seq *data, *acks, *rtx;
	int ndata, nacks, nrtx, max;
	u32 high;		/* highest end sequence sent (relative) */
} cw;

static const struct tcphdr *cw_tcp(const struct sk_buff *skb, int *len)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;

	if (iph->protocol != IPPROTO_TCP)
		return NULL;
	th = (const struct tcphdr *)((const u8 *)iph + iph->ihl * 4);
	*len = (int)ntohs(iph->tot_len) - iph->ihl * 4 - th->doff * 4;
	return th;
}

/* Context: softirq (ip_rcv of either host). Records the ACKs the sender receives and the
 * truesize of the data the receiver gets; when armed, the receiver's side of the wire loses
 * one data segment: the sender sees it as a loss (duplicate ACKs with SACK). */
static unsigned int cw_pre_routing(unsigned int hooknum, struct sk_buff *skb,
				   const struct net_device *in, const struct net_device *out,
				   int (*okfn)(struct sk_buff *))
{
	const struct tcphdr *th;
	int len;

	(void)hooknum, (void)in, (void)out, (void)okfn;
	th = cw_tcp(skb, &len);
	if (th && ntohs(th->dest) == cw.port && len > 0) {
		cw.rx_truesize_sum += skb->truesize;
		cw.rx_len_sum += (u64)len;
	}
	/* The ACKs as the sender receives them (tcptrace plots the sender's side). */
	if (th && ntohs(th->source) == cw.port && th->ack && cw.have_isn && cw.acks &&
	    cw.nacks < cw.max)
		cw.acks[cw.nacks++] = (struct cw_seq){ (double)(ul_now_ns() - cw.t0) / 1e9,
						       (double)(u32)(ntohl(th->ack_seq) - cw.isn) };
	if (!th || ntohs(th->dest) != cw.port || len <= 0 || !cw.drop_armed)
		return NF_ACCEPT;
	cw.drop_armed = 0;
	cw.dropped++;
	return NF_DROP;
}

/* Context: the sender's task or softirq (ip_queue_xmit). Records the sender's segments:
 * new data (its highest end sequence) and retransmissions. */
static unsigned int cw_local_out(unsigned int hooknum, struct sk_buff *skb,
				 const struct net_device *in, const struct net_device *out,
				 int (*okfn)(struct sk_buff *))
{
	const struct tcphdr *th;
	double t;
	int len;

	(void)hooknum, (void)in, (void)out, (void)okfn;
	th = cw_tcp(skb, &len);
	if (!th || !cw.data || (ntohs(th->dest) != cw.port))
		return NF_ACCEPT;
	if (!cw.t0)
		cw.t0 = ul_now_ns();
	t = (double)(ul_now_ns() - cw.t0) / 1e9;
	{
		u32 seq = ntohl(th->seq), end;

		if (!cw.have_isn) {
			/* The SYN: data starts at isn + 1. */
			cw.isn = seq + 1;
			cw.have_isn = true;
			return NF_ACCEPT;
		}
		end = seq - cw.isn + (u32)len;
		if (len > 0 && after(end, cw.high)) {
			if (cw.ndata < cw.max)
				cw.data[cw.ndata++] = (struct cw_seq){ t, (double)end };
			cw.high = end;
		} else if (len > 0 && cw.ndata < cw.max && cw.nrtx < cw.max) {
			/* a retransmission within the recorded part */
			cw.rtx[cw.nrtx++] = (struct cw_seq){ t, (double)end };
		}
	}
	return NF_ACCEPT;
}

static struct nf_hook_ops cw_ops[2] = {
	{ .hook = cw_pre_routing, .pf = NFPROTO_IPV4, .hooknum = NF_INET_PRE_ROUTING,
	  .priority = -1000 },
	{ .hook = cw_local_out, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_OUT,
	  .priority = 0 },
};

/* ---- the lab ---- */

#define CW_WARM_CWND	128	/* part 3: the loss is armed when cwnd reaches this */
#define CW_RUN3_NS	(12 * LAB_SEC)
#define CW_SAMPLE3_NS	(20 * LAB_MS)
#define CW_DELAY3_MS	50	/* part 3: RTT 100 ms, CUBIC's reference RTT */
#define CW_REC_MAX	6000	/* time-sequence points kept per series */
#define CW_FRAME_WIRE	1538	/* bytes on the wire per full segment: 1514 + FCS, preamble, IFG */

static int cw_wire(struct ul_lab_ctx *ctx, int delay_ms)
{
	int err = lab_sh(ctx, NULL, false, "hw wire del %s/eth0", LAB_NS_A);

	if (!err)
		err = lab_sh(ctx, NULL, false, "hw wire %s/eth0 %s/eth0 delay %dms", LAB_NS_A,
			     LAB_NS_B, delay_ms);
	ul_run_for(LAB_MS);
	return err;
}

/* Goodput (Mbit/s) read by the receiver between @from_ns and the last sample. */
static double cw_steady_mbps(const struct lab_bulk *b, u64 from_ns)
{
	int i;

	for (i = 0; i < b->nsamples; i++)
		if (b->samples[i].t >= from_ns)
			break;
	if (i >= b->nsamples - 1)
		return 0;
	return (double)(b->samples[b->nsamples - 1].rx_bytes - b->samples[i].rx_bytes) * 8.0 *
	       1e3 / (double)(b->samples[b->nsamples - 1].t - b->samples[i].t);
}

static void cw_arm(struct lab_bulk *b, const struct lab_bulk_sample *s)
{
	int *armed_once = b->priv;

	if (!*armed_once && s->cwnd >= CW_WARM_CWND) {
		*armed_once = 1;
		cw.drop_armed = 1;
	}
}

struct cw_flow {
	const char *title;
	struct lab_bulk b;
	double steady, wire_pct;
	u64 truesize_sum, len_sum;
};

static int cw_run_flow(struct ul_lab_ctx *ctx, struct cw_flow *f, int port, bool record)
{
	FILE *out = ul_lab_out(ctx);
	int err;

	memset(&cw, 0, sizeof(cw));
	cw.port = port;
	if (record) {
		cw.max = CW_REC_MAX;
		cw.data = calloc(CW_REC_MAX, sizeof(*cw.data));
		cw.acks = calloc(CW_REC_MAX, sizeof(*cw.acks));
		cw.rtx = calloc(CW_REC_MAX, sizeof(*cw.rtx));
		if (!cw.data || !cw.acks || !cw.rtx)
			return -ENOMEM;
	}
	err = nf_register_hooks(cw_ops, ARRAY_SIZE(cw_ops));
	if (err)
		return err;
	err = lab_bulk_run(&f->b);
	nf_unregister_hooks(cw_ops, ARRAY_SIZE(cw_ops));
	f->truesize_sum = cw.rx_truesize_sum;
	f->len_sum = cw.rx_len_sum;
	if (err) {
		fprintf(out, "  %s: the transfer did not finish (%s): sent %zu, received %zu, "
			     "errors %d/%d; the sender's last sample: cwnd %u, in flight %u, peer "
			     "window %u, write queue %u bytes, sk_wmem_queued %d of sk_sndbuf %d\n",
			f->title, strerror(-err), f->b.sent, f->b.received, f->b.tx_err,
			f->b.rx_err, f->b.nsamples ? f->b.samples[f->b.nsamples - 1].cwnd : 0,
			f->b.nsamples ? f->b.samples[f->b.nsamples - 1].in_flight : 0,
			f->b.nsamples ? f->b.samples[f->b.nsamples - 1].snd_wnd : 0,
			f->b.nsamples ? f->b.samples[f->b.nsamples - 1].write_seq_queued : 0,
			f->b.nsamples ? f->b.samples[f->b.nsamples - 1].wmem_queued : 0,
			f->b.nsamples ? f->b.samples[f->b.nsamples - 1].sndbuf : 0);
		return err;
	}
	f->steady = cw_steady_mbps(&f->b, 600 * LAB_MS);
	f->wire_pct = f->steady * CW_FRAME_WIRE / 1448.0 / CW_LINK_MBPS * 100.0;
	fprintf(out, "  %s: %zu bytes in %.2f s; goodput from 0.6 s on %.1f Mbit/s = %.1f%% of "
		     "the link on the wire (%d bytes per 1448 of payload)\n",
		f->title, f->b.received,
		(double)(f->b.t_done - f->b.t_connected) / 1e9, f->steady, f->wire_pct,
		CW_FRAME_WIRE);
	fprintf(out, "    sender (TCP_INFO at the end): cwnd %u, ssthresh %u, rtt %u us, "
		     "retrans %u; peer window %u bytes\n",
		f->b.info.tcpi_snd_cwnd, f->b.info.tcpi_snd_ssthresh, f->b.info.tcpi_rtt,
		f->b.info.tcpi_total_retrans,
		f->b.nsamples ? f->b.samples[f->b.nsamples - 1].snd_wnd : 0);
	fprintf(out, "    receiver: rcvbuf %d, window_clamp %u, rcv_ssthresh %u, rcv_wnd %u "
		     "(wscale %u); %.2f bytes of skb truesize per payload byte\n",
		f->b.rx_rcvbuf, f->b.rx_window_clamp, f->b.rx_rcv_ssthresh, f->b.rx_rcv_wnd,
		f->b.rx_wscale, f->len_sum ? (double)f->truesize_sum / (double)f->len_sum : 0.0);
	return 0;
}

static void cw_free_rec(void)
{
	free(cw.data);
	free(cw.acks);
	free(cw.rtx);
	cw.data = cw.acks = cw.rtx = NULL;
}

/* The cubic curve of part 3: W_max, the end of recovery, the time the window is back at
 * W_max (K), and the growth of the window in quarters around it. */
struct cw_shape {
	u32 wmax, w_after;
	double t_loss, t_epoch, t_k, k_theory;
	int i_epoch, i_k;
	double g_conc1, g_conc2, g_conv1, g_conv2;	/* growth in the four intervals */
	bool found;
};

static double cw_cwnd_at(const struct lab_bulk *b, double t)
{
	int i;

	for (i = 0; i < b->nsamples; i++)
		if ((double)b->samples[i].t / 1e9 >= t)
			return b->samples[i].cwnd;
	return b->nsamples ? b->samples[b->nsamples - 1].cwnd : 0;
}

static void cw_find_shape(const struct lab_bulk *b, struct cw_shape *sh)
{
	int i, j, loss = -1;

	memset(sh, 0, sizeof(*sh));
	for (i = 1; i < b->nsamples; i++)
		if (b->samples[i].ssthresh < b->samples[i - 1].ssthresh &&
		    b->samples[i].ssthresh < 0x7fffffff) {
			loss = i;
			break;
		}
	if (loss < 1)
		return;
	/* 3.10's bictcp_recalc_ssthresh: the first loss sets last_max_cwnd = cwnd and
	 * ssthresh = cwnd * 717 / 1024. */
	sh->w_after = b->samples[loss].ssthresh;
	sh->wmax = (u32)(((u64)sh->w_after * 1024 + 716) / 717);
	sh->t_loss = (double)b->samples[loss].t / 1e9;
	/* PRR brings cwnd down to ssthresh by the end of recovery; CUBIC's epoch starts at
	 * the first ACK after it. */
	for (i = loss; i < b->nsamples && b->samples[i].cwnd > sh->w_after; i++)
		;
	if (i >= b->nsamples)
		return;
	sh->i_epoch = i;
	sh->t_epoch = (double)b->samples[i].t / 1e9;
	/* Near W_max the curve is flat (within one segment for +-1.3 s), so K is the middle
	 * of the plateau: from the first sample at W_max - 1 to the last at W_max + 1. */
	for (; i < b->nsamples && b->samples[i].cwnd + 1 < sh->wmax; i++)
		;
	if (i >= b->nsamples)
		return;
	for (j = i; j + 1 < b->nsamples && b->samples[j + 1].cwnd <= sh->wmax + 1; j++)
		;
	if (j + 1 >= b->nsamples)
		return;		/* never left the plateau: the run was too short */
	sh->i_k = (i + j) / 2;
	sh->t_k = (double)b->samples[sh->i_k].t / 1e9;
	/* K = cbrt(W_max * (1 - beta) / C), beta = 717/1024, C = 0.4 (bic_scale 41). */
	sh->k_theory = cbrt((double)sh->wmax * (1024 - 717) / 1024.0 / 0.4);
	{
		double k = sh->t_k - sh->t_epoch, h = k / 2;

		sh->g_conc1 = cw_cwnd_at(b, sh->t_epoch + h) - cw_cwnd_at(b, sh->t_epoch);
		sh->g_conc2 = cw_cwnd_at(b, sh->t_k) - cw_cwnd_at(b, sh->t_epoch + h);
		sh->g_conv1 = cw_cwnd_at(b, sh->t_k + h) - cw_cwnd_at(b, sh->t_k);
		sh->g_conv2 = cw_cwnd_at(b, sh->t_k + 2 * h) - cw_cwnd_at(b, sh->t_k + h);
	}
	sh->found = sh->t_k + (sh->t_k - sh->t_epoch) <= (double)b->samples[b->nsamples - 1].t / 1e9;
}

static int cw_plots(struct ul_lab_ctx *ctx, const char *dir, const struct cw_flow *f2,
		    const struct cw_flow *f3, const struct cw_shape *sh)
{
	FILE *out = ul_lab_out(ctx);
	int n2 = f2->b.nsamples, n3 = f3->b.nsamples, i, err;
	size_t nd = (size_t)cw.ndata, na = (size_t)cw.nacks, nr = (size_t)cw.nrtx;
	double *x = calloc((size_t)(6 * n2 + 3 * n3) + 2 * (nd + na + nr) + 4, sizeof(double));
	double *p = x;
	char path[512];

	if (!x)
		return -ENOMEM;
	{
		double *t2 = p, *c2 = p + n2;
		struct ul_plot_series s;

		p += 2 * n2;
		for (i = 0; i < n2; i++) {
			t2[i] = (double)f2->b.samples[i].t / 1e6;
			c2[i] = f2->b.samples[i].cwnd;
		}
		s = (struct ul_plot_series){ "cwnd", t2, c2, (size_t)n2, 1 };
		snprintf(path, sizeof(path), "%s/cwnd-1gbit.svg", dir);
		err = ul_plot_svg(path, "CUBIC cwnd, 1 Gbit/s, RTT 20 ms (tuned buffers)",
				  "time (ms, virtual)", "cwnd (segments)", &s, 1);
		if (err)
			goto fail;
		fprintf(out, "\nPlot: %s (cwnd over time, part 2)\n", path);
	}
	{
		/* The sender's queues over time (part 2): the bytes of its write queue not yet
		 * acknowledged (write_seq - snd_una), what they are charged (sk_wmem_queued,
		 * truesize) and the limit they wait against (sk_sndbuf, growing as
		 * tcp_new_space autotunes it). */
		double *wq = p, *wm = p + n2, *sb = p + 2 * n2, *t2 = p + 3 * n2;
		struct ul_plot_series s[3];

		p += 4 * n2;
		for (i = 0; i < n2; i++) {
			t2[i] = (double)f2->b.samples[i].t / 1e6;
			wq[i] = f2->b.samples[i].write_seq_queued / 1024.0;
			wm[i] = f2->b.samples[i].wmem_queued / 1024.0;
			sb[i] = f2->b.samples[i].sndbuf / 1024.0;
		}
		s[0] = (struct ul_plot_series){ "write queue (write_seq - snd_una)", t2, wq,
						(size_t)n2, 1 };
		s[1] = (struct ul_plot_series){ "sk_wmem_queued", t2, wm, (size_t)n2, 1 };
		s[2] = (struct ul_plot_series){ "sk_sndbuf", t2, sb, (size_t)n2, 1 };
		snprintf(path, sizeof(path), "%s/tcp-queues.svg", dir);
		err = ul_plot_svg(path, "The sender's queue over time, 1 Gbit/s, RTT 20 ms",
				  "time (ms, virtual)", "KiB", s, 3);
		if (err)
			goto fail;
		fprintf(out, "Plot: %s (the sender's write queue and send buffer over time)\n",
			path);
	}
	{
		double *t3 = p, *c3 = p + n3, *w3 = p + 2 * n3;
		struct ul_plot_series s[2];
		size_t nw = 0;

		p += 3 * n3;
		for (i = 0; i < n3; i++) {
			double t = (double)f3->b.samples[i].t / 1e9, d;

			t3[i] = t;
			c3[i] = f3->b.samples[i].cwnd;
			if (i >= sh->i_epoch && sh->found) {
				/* W(t) = C (t - K)^3 + W_max from the epoch's start. */
				d = t - sh->t_epoch - sh->k_theory;
				w3[nw++] = 0.4 * d * d * d + sh->wmax;
			}
		}
		s[0] = (struct ul_plot_series){ "cwnd", t3, c3, (size_t)n3, 1 };
		s[1] = (struct ul_plot_series){ "W(t) = 0.4 (t - K)^3 + W_max", t3 + sh->i_epoch,
						w3, nw, 0 };
		snprintf(path, sizeof(path), "%s/cwnd-cubic.svg", dir);
		err = ul_plot_svg(path, "CUBIC cwnd after one loss, 1 Gbit/s, RTT 100 ms",
				  "time (s, virtual)", "cwnd (segments)", s, nw ? 2 : 1);
		if (err)
			goto fail;
		fprintf(out, "Plot: %s (cwnd after the loss, with the cubic curve)\n", path);
	}
	{
		struct ul_plot_series s[3];
		size_t ns = 0, k;
		double *dx = p, *dy = p + nd, *ax = p + 2 * nd, *ay = p + 2 * nd + na,
		       *rx = p + 2 * (nd + na), *ry = p + 2 * (nd + na) + nr;

		for (k = 0; k < nd; k++) {
			dx[k] = cw.data[k].t;
			dy[k] = cw.data[k].seq;
		}
		for (k = 0; k < na; k++) {
			ax[k] = cw.acks[k].t;
			ay[k] = cw.acks[k].seq;
		}
		for (k = 0; k < nr; k++) {
			rx[k] = cw.rtx[k].t;
			ry[k] = cw.rtx[k].seq;
		}
		if (nd)
			s[ns++] = (struct ul_plot_series){ "data (end seq sent)", dx, dy, nd, 1 };
		if (na)
			s[ns++] = (struct ul_plot_series){ "ACK (received)", ax, ay, na, 1 };
		if (nr)
			s[ns++] = (struct ul_plot_series){ "retransmit", rx, ry, nr, 0 };
		snprintf(path, sizeof(path), "%s/tcp-tseq.svg", dir);
		err = ns ? ul_plot_svg(path, "Time-sequence (tcptrace), part 3: slow start, the "
					     "loss, SACK recovery",
				       "time (s, virtual)", "sequence (bytes)", s, ns)
			 : -EINVAL;
		if (err)
			goto fail;
		fprintf(out, "Plot: %s (time-sequence of the first %zu data segments)\n", path,
			nd);
	}
	free(x);
	return 0;
fail:
	fprintf(out, "  cannot write %s: %s\n", path, strerror(-err));
	free(x);
	return err;
}

static int lab_cwnd(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	const char *dir = ul_lab_opts(ctx)->plot_dir;
	struct cw_flow f[3];
	struct cw_shape sh;
	int armed = 0, err, i;
	double best;

	memset(f, 0, sizeof(f));
	memset(&sh, 0, sizeof(sh));
	for (i = 0; i < 3; i++) {
		f[i].b = (struct lab_bulk){ .ns_tx = LAB_NS_A, .ns_rx = LAB_NS_B,
					    .dst = LAB_ADDR_B, .port = CW_PORT + i, .tx_cpu = 0,
					    .rx_cpu = 1, .duration_ns = CW_RUN1_NS,
					    .sample_ns = CW_SAMPLE_NS,
					    .max_samples = CW_MAX_SAMPLES };
		f[i].b.samples = calloc(CW_MAX_SAMPLES, sizeof(*f[i].b.samples));
		if (!f[i].b.samples) {
			err = -ENOMEM;
			goto out_free;
		}
	}
	f[0].title = "defaults";
	f[1].title = "tcp_rmem[2] 12 MiB, tcp_wmem[2] 8 MiB";
	f[2].title = "one loss at cwnd 128, RTT 100 ms";
	f[2].b.duration_ns = CW_RUN3_NS;
	f[2].b.sample_ns = CW_SAMPLE3_NS;
	f[2].b.on_sample = cw_arm;
	f[2].b.priv = &armed;

	err = lab_boot(ctx, 2);
	if (err)
		goto out_free;
	fprintf(out, "Setup: two hosts with an igb NIC each (1000 Mbit/s), wired; the wire "
		     "delays each direction by %d ms (RTT %d ms). One bulk TCP flow (CUBIC, "
		     "the default) from %s to %s, %.1f s of virtual time.\n",
		CW_DELAY_MS, 2 * CW_DELAY_MS, LAB_NS_A, LAB_NS_B, (double)CW_RUN1_NS / 1e9);
	err = lab_two_hosts(ctx, 1, 1024);
	if (!err)
		err = cw_wire(ctx, CW_DELAY_MS);
	if (err)
		goto out;
	lab_warm_neigh(LAB_NS_A, LAB_NS_B, LAB_ADDR_B);
	fprintf(out, "\n1. Default buffers (tcp_rmem 4096 87380 6291456, tcp_wmem 4096 16384 "
		     "4194304):\n");
	err = cw_run_flow(ctx, &f[0], CW_PORT, false);
	if (err)
		goto out;
	fprintf(out, "\n2. Larger buffers, as ch9 advises for a long fat pipe:\n");
	err = lab_sh(ctx, LAB_NS_B, false, "sysctl -w net.ipv4.tcp_rmem=\"4096 87380 12582912\"");
	if (!err)
		err = lab_sh(ctx, LAB_NS_A, false,
			     "sysctl -w net.ipv4.tcp_wmem=\"4096 16384 8388608\"");
	if (!err)
		err = cw_run_flow(ctx, &f[1], CW_PORT + 1, false);
	if (err)
		goto out;
	fprintf(out, "\n3. CUBIC after one loss: the wire at %d ms each way (RTT 100 ms), the "
		     "receiver's netfilter hook drops one data segment once cwnd reaches %d, "
		     "%.0f s:\n", CW_DELAY3_MS, CW_WARM_CWND, (double)CW_RUN3_NS / 1e9);
	err = cw_wire(ctx, CW_DELAY3_MS);
	if (!err)
		err = cw_run_flow(ctx, &f[2], CW_PORT + 2, true);
	if (err)
		goto out;
	cw_find_shape(&f[2].b, &sh);
	fprintf(out, "  segments dropped by the hook: %d; retransmitted: %d (recorded)\n",
		cw.dropped, cw.nrtx);
	if (sh.found) {
		fprintf(out, "  the loss at %.2f s: W_max %u, cwnd after %u (x 717/1024), reached at "
			     "%.2f s (recovery over: the cubic epoch starts)\n",
			sh.t_loss, sh.wmax, sh.w_after, sh.t_epoch);
		fprintf(out, "  back at W_max after K = %.2f s (theory: cbrt(W_max x 0.3 / 0.4) = "
			     "%.2f s)\n", sh.t_k - sh.t_epoch, sh.k_theory);
		fprintf(out, "  growth per K/2: %+.0f then %+.0f below W_max (concave), %+.0f "
			     "then %+.0f above it (convex)\n",
			sh.g_conc1, sh.g_conc2, sh.g_conv1, sh.g_conv2);
		fprintf(out, "  cwnd every second from the loss:");
		for (i = 0; i <= 10; i++)
			fprintf(out, " %.0f", cw_cwnd_at(&f[2].b, sh.t_loss + i));
		fprintf(out, "\n");
	} else {
		fprintf(out, "  no loss seen in the samples\n");
	}
	if (dir)
		err = cw_plots(ctx, dir, &f[1], &f[2], &sh);
	if (err)
		goto out;

	best = f[1].wire_pct;
	fprintf(out, "\nThe book's figure beside ulnet's (ch9, the buffers of a long fat pipe):\n");
	lab_book_beside(out, "raise tcp_rmem/tcp_wmem's maximum when bandwidth x RTT exceeds it",
			"1 Gbit/s x 20 ms = 2.5 MB in flight: the windows of flows 1 (default "
			"maxima) and 2 (raised) are measured above");
	{
		double tpb = f[0].len_sum ? (double)f[0].truesize_sum / (double)f[0].len_sum : 0.0;
		char first[640];

		/* The first flow's story depends on what it measured: the window either reached
		 * the BDP with the default buffers or stopped short of it. */
		if (f[0].wire_pct >= 90.0)
			snprintf(first, sizeof(first),
				 "With the default buffers the flow already carries %.1f%% of the "
				 "link: the receiver's window grows to %u bytes, above the BDP, "
				 "because tcp_rmem[2] (6 MiB) leaves room for it and tcp_grow_window "
				 "keeps raising rcv_ssthresh while an skb's truesize stays under "
				 "twice its payload (igb's 2 KiB receive blocks: %.2f bytes of "
				 "truesize per payload byte; 3.10's half pages about 2).",
				 f[0].wire_pct, f[0].b.rx_rcv_wnd, tpb);
		else
			snprintf(first, sizeof(first),
				 "With the default buffers the flow carries %.1f%% of the link: the "
				 "receiver's window stops at %u bytes, because tcp_grow_window only "
				 "raises rcv_ssthresh while an skb's truesize is at most twice its "
				 "payload, and the receive skbs carry %.2f bytes of truesize per "
				 "payload byte.",
				 f[0].wire_pct, f[0].b.rx_rcv_wnd, tpb);
		fprintf(out,
			"\nAnswer (ch9): the link's bandwidth-delay product is 1 Gbit/s x 20 ms = "
			"2.5 MB (about 1,730 segments). %s With tcp_rmem[2] = 12 MiB and "
			"tcp_wmem[2] = 8 MiB (ch9's advice for a long fat pipe), the window (%u "
			"bytes) exceeds the BDP and one flow fills %.1f%% of the link. After one "
			"loss CUBIC sets ssthresh = cwnd x 717/1024 (%u -> %u) and grows the window "
			"along W(t) = 0.4 (t - K)^3 + W_max: fast at first, flat around W_max at K = "
			"%.2f s (theory %.2f s), then faster again as it probes beyond: the window's "
			"growth does not depend on the RTT, only on the time since the loss.\n\n"
			"Checks:\n",
			first, f[1].b.rx_rcv_wnd, f[1].wire_pct, sh.wmax, sh.w_after,
			sh.t_k - sh.t_epoch, sh.k_theory);
	}
	for (i = 0; i < 3; i++) {
		char name[64];

		snprintf(name, sizeof(name), "flow %d: every byte received, FIN, no error", i + 1);
		ul_lab_check(ctx, name,
			     f[i].b.received == f[i].b.sent && f[i].b.sent > 0 && f[i].b.eof &&
				     !f[i].b.tx_err && !f[i].b.rx_err,
			     "received %zu of %zu, eof %d, errors %d/%d", f[i].b.received,
			     f[i].b.sent, f[i].b.eof, f[i].b.tx_err, f[i].b.rx_err);
	}
	ul_lab_check(ctx, "flow 3: exactly one segment dropped, retransmitted once",
		     cw.dropped == 1 && f[2].b.info.tcpi_total_retrans == 1,
		     "dropped %d, total_retrans %u", cw.dropped, f[2].b.info.tcpi_total_retrans);
	ul_lab_check(ctx, "tuned: one flow reaches >= 90% of the link rate", best >= 90.0,
		     "%.1f%% (goodput %.1f Mbit/s)", best, f[1].steady);
	ul_lab_check(ctx, "one loss: W_max found and the window back at W_max", sh.found,
		     "W_max %u", sh.wmax);
	ul_lab_check(ctx, "cubic: concave below W_max (growth slows)",
		     sh.found && sh.g_conc1 > sh.g_conc2, "%+.0f then %+.0f", sh.g_conc1,
		     sh.g_conc2);
	ul_lab_check(ctx, "cubic: convex above W_max (growth speeds up)",
		     sh.found && sh.g_conv2 > sh.g_conv1, "%+.0f then %+.0f", sh.g_conv1,
		     sh.g_conv2);
	ul_lab_check(ctx, "cubic: K within 25% of cbrt(W_max x 0.3 / 0.4)",
		     sh.found && fabs((sh.t_k - sh.t_epoch) - sh.k_theory) <= 0.25 * sh.k_theory,
		     "K %.2f s, theory %.2f s", sh.t_k - sh.t_epoch, sh.k_theory);
	ul_lab_evidence(ctx, "default_link_pct", "%.1f", f[0].wire_pct);
	ul_lab_evidence(ctx, "tuned_link_pct", "%.1f", f[1].wire_pct);
	ul_lab_evidence(ctx, "default_rcv_wnd", "%u", f[0].b.rx_rcv_wnd);
	ul_lab_evidence(ctx, "tuned_goodput_mbps", "%.1f", f[1].steady);
	ul_lab_evidence(ctx, "wmax", "%u", sh.wmax);
	ul_lab_evidence(ctx, "k_s", "%.2f", sh.t_k - sh.t_epoch);
	ul_lab_evidence(ctx, "k_theory_s", "%.2f", sh.k_theory);
out:
	cw_free_rec();
	ul_run_for(LAB_SEC);	/* the last connection's FIN and its ACK */
	lab_shutdown(ctx);
out_free:
	for (i = 0; i < 3; i++)
		free(f[i].b.samples);
	return err;
}

const struct ul_lab lab_def_cwnd = {
	"cwnd", "ch9",
	"How does one CUBIC flow fill a 1 Gbit/s link with 20 ms of RTT, and what does its "
	"congestion window look like after a loss?",
	lab_cwnd,
};
