/* SPDX-License-Identifier: MIT */
/* The receive path (book ch2) and send path (book ch4) labs: one UDP datagram between two
 * hosts over igb NICs, traced, and the kernel's function chain checked step by step with the
 * context (task, hard IRQ, softirq) each step runs in.
 * Mirrors no kernel file: an experiment on drivers/net/ethernet/intel/igb, net/core/dev.c,
 * net/ipv4/ip_input.c, ip_output.c and udp.c. */
#include <stdlib.h>
#include <string.h>
#include "linux/kernel.h"
#include "trace/path.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "book.h"

struct path_step {
	const char *func;
	int ctx;		/* enum ul_trace_ctx */
	const char *why;	/* what the step does */
};

static const struct path_step rx_steps[] = {
	{ "igb_msix_ring", UL_CTX_HARDIRQ, "the NIC DMA'd the frame into the RX ring and raised "
					   "its MSI-X vector" },
	{ "__napi_schedule", UL_CTX_HARDIRQ, "queue the NAPI on this CPU's poll list, raise "
					     "NET_RX_SOFTIRQ" },
	{ "net_rx_action", UL_CTX_SOFTIRQ, "NET_RX: poll the NAPIs within netdev_budget" },
	{ "igb_poll", UL_CTX_SOFTIRQ, "the driver's poll (weight 64)" },
	{ "igb_clean_rx_irq", UL_CTX_SOFTIRQ, "take the filled descriptors off the ring" },
	{ "napi_gro_receive", UL_CTX_SOFTIRQ, "GRO may merge it with the flow's other segments" },
	{ "__netif_receive_skb_core", UL_CTX_SOFTIRQ, "taps (ptype_all), then the protocol" },
	{ "ip_rcv", UL_CTX_SOFTIRQ, "IPv4 checks, netfilter PRE_ROUTING" },
	{ "ip_local_deliver", UL_CTX_SOFTIRQ, "route said local: netfilter LOCAL_IN" },
	{ "udp_rcv", UL_CTX_SOFTIRQ, "find the socket by port" },
	{ "__udp_queue_rcv_skb", UL_CTX_SOFTIRQ, "onto sk_receive_queue, wake the reader" },
	{ "igb_alloc_rx_buffers", UL_CTX_SOFTIRQ, "refill the ring with fresh buffers" },
	{ "napi_complete", UL_CTX_SOFTIRQ, "done: re-enable the vector" },
	{ "__skb_recv_datagram", UL_CTX_TASK, "the reader, woken, takes the skb off the queue" },
	{ "skb_copy_datagram_iovec", UL_CTX_TASK, "the copy" },
};

static const struct path_step tx_steps[] = {
	{ "udp_sendmsg", UL_CTX_TASK, "sendto() in the task: find the socket, build the msghdr" },
	{ "__ip_route_output_key", UL_CTX_TASK, "the route: output device eth0" },
	{ "udp_send_skb", UL_CTX_TASK, "UDP header (the data was copied into the skb)" },
	{ "ip_local_out", UL_CTX_TASK, "IP header, netfilter LOCAL_OUT" },
	{ "ip_output", UL_CTX_TASK, "netfilter POST_ROUTING" },
	{ "ip_finish_output2", UL_CTX_TASK, "the neighbour (ARP) gives the MAC address" },
	{ "dev_queue_xmit", UL_CTX_TASK, "the qdisc (pfifo_fast)" },
	{ "sch_direct_xmit", UL_CTX_TASK, "the queue was empty: straight to the driver" },
	{ "dev_hard_start_xmit", UL_CTX_TASK, "taps see it leave (dev_queue_xmit_nit)" },
	{ "igb_xmit_frame", UL_CTX_TASK, "the driver's ndo_start_xmit" },
	{ "igb_tx_map", UL_CTX_TASK, "fill TX descriptors, write the tail (doorbell)" },
	{ "igb_msix_ring", UL_CTX_HARDIRQ, "the NIC sent it and raised the vector" },
	{ "net_rx_action", UL_CTX_SOFTIRQ, "TX completion runs in NET_RX" },
	{ "igb_poll", UL_CTX_SOFTIRQ, "the driver's poll" },
	{ "igb_clean_tx_irq", UL_CTX_SOFTIRQ, "reclaim the sent descriptors" },
};

/* Print and check the chain @steps in the trace, in order, each in its context. Returns the
 * number of steps found in order; *@last gets the trace index of the last one. */
static size_t path_walk(FILE *out, const struct path_step *steps, size_t n, size_t from,
			long *last)
{
	static const char *const cname[] = { "task", "softirq", "hardirq" };
	size_t i, found = 0;
	long at = (long)from;

	for (i = 0; i < n; i++) {
		long k = lab_trace_find(steps[i].func, steps[i].ctx, (size_t)at);
		const struct ul_trace_event *e;

		if (k < 0) {
			fprintf(out, "  %-26s %-8s NOT FOUND in order\n", steps[i].func,
				cname[steps[i].ctx]);
			continue;
		}
		e = ul_trace_event((size_t)k);
		fprintf(out, "  [%12.6f ms] CPU %u %-8s %-26s %s\n", (double)e->ns / 1e6, e->cpu,
			cname[steps[i].ctx], steps[i].func, steps[i].why);
		at = k;
		found++;
	}
	*last = at;
	return found;
}

/* The skb igb_xmit_frame sent is freed by TX completion in softirq context? */
static bool path_tx_freed_in_softirq(u64 *skb_id)
{
	long x = lab_trace_find("igb_xmit_frame", UL_CTX_TASK, 0), c;
	size_t i, n = ul_trace_count();

	*skb_id = 0;
	if (x < 0)
		return false;
	*skb_id = ul_trace_event((size_t)x)->skb_id;
	c = lab_trace_find("igb_clean_tx_irq", UL_CTX_SOFTIRQ, (size_t)x);
	for (i = c < 0 ? n : (size_t)c; i < n; i++) {
		const struct ul_trace_event *e = ul_trace_event(i);

		if (e->skb_id == *skb_id && e->ctx == UL_CTX_SOFTIRQ &&
		    (!strcmp(e->func, "consume_skb") || !strcmp(e->func, "dev_kfree_skb_any") ||
		     !strcmp(e->func, "__kfree_skb") || !strcmp(e->func, "kfree_skb")))
			return true;
	}
	return false;
}

static int lab_path(struct ul_lab_ctx *ctx, bool rx)
{
	FILE *out = ul_lab_out(ctx);
	struct lab_udp u = { .ns_rx = LAB_NS_B, .ns_tx = LAB_NS_A, .dst = LAB_ADDR_B,
			     .port = 5001, .count = 1, .size = 200, .rx_cpu = 1, .tx_cpu = 0 };
	struct lab_udp warm = u;
	const struct path_step *steps = rx ? rx_steps : tx_steps;
	size_t n = rx ? ARRAY_SIZE(rx_steps) : ARRAY_SIZE(tx_steps), found;
	long last;
	u64 skb_id = 0;
	bool freed = false;
	int err;

	err = lab_boot(ctx, 2);
	if (err)
		return err;
	fprintf(out, "Setup: two hosts with an igb NIC each, wired back to back; the sender task "
		     "on CPU 0, the receiver task on CPU 1.\n");
	err = lab_two_hosts(ctx, 1, 256);
	if (err)
		goto out;
	warm.port = 4000;
	lab_udp_run(&warm);	/* resolve ARP first: the traced datagram is the UDP path alone */

	fprintf(out, "\nOne datagram of %d bytes %s -> %s:%d, traced.\n\n", u.size, LAB_ADDR_A,
		LAB_ADDR_B, u.port);
	ul_trace_begin(0);
	lab_udp_run(&u);
	ul_trace_end();
	fprintf(out, "The whole path, by context (%zu functions):\n", ul_trace_count());
	lab_print_path(out, 40);
	if (ul_lab_opts(ctx)->trace)
		ul_trace_write_text(out);

	fprintf(out, "\nThe %s path step by step (virtual time, CPU, context):\n",
		rx ? "receive" : "send");
	if (rx)
		fprintf(out, "  (the NIC's DMA into the ring: hardware, no function of the kernel)\n");
	found = path_walk(out, steps, n, 0, &last);
	if (!rx) {
		freed = path_tx_freed_in_softirq(&skb_id);
		fprintf(out, "  skb=%llu (the one igb_xmit_frame took) %s\n",
			(unsigned long long)skb_id,
			freed ? "freed by consume_skb in softirq after igb_clean_tx_irq"
			      : "NOT seen freed by TX completion");
	}

	if (rx)
		fprintf(out,
			"\nAnswer (ch2): the frame is in memory before any code runs: the NIC DMA'd "
			"it into a buffer the driver had posted. The hard interrupt "
			"(igb_msix_ring) only schedules NAPI and raises NET_RX_SOFTIRQ; everything "
			"else, from igb_poll through the IP layer (ip_rcv, ip_local_deliver, where "
			"netfilter's PRE_ROUTING and LOCAL_IN hooks sit) to udp_rcv and the socket's "
			"receive queue, runs in softirq context on the CPU that took the interrupt. "
			"The reader task only copies the data out (udp_recvmsg) after it is woken. "
			"%zu of %zu steps were found in this order.\n\nChecks:\n",
			found, n);
	else
		fprintf(out,
			"\nAnswer (ch4): the send runs in the calling task down to the driver: "
			"udp_sendmsg copies the data into an skb, the IP layer routes it and adds "
			"its header, the neighbour gives the MAC, dev_queue_xmit passes the qdisc and "
			"igb_xmit_frame puts it on the TX ring; this is sy time of the task, not si. "
			"The skb is not freed then: the NIC reads it from memory later, raises its "
			"interrupt, and igb_clean_tx_irq frees it from NET_RX softirq (igb_poll), "
			"which is why TX completion is counted as NET_RX. %zu of %zu steps were found "
			"in this order.\n\nChecks:\n",
			found, n);
	ul_lab_check(ctx, "the datagram arrived", u.received == 1, "received %d", u.received);
	ul_lab_check(ctx, rx ? "the receive chain, in order and in its contexts"
			     : "the send chain, in order and in its contexts",
		     found == n, "%zu of %zu steps", found, n);
	if (rx) {
		ul_lab_expect_path(ctx, "igb_msix_ring", true);
		ul_lab_expect_path(ctx, "loopback_xmit", false);
	} else {
		ul_lab_check(ctx, "the sent skb is freed by TX completion in softirq", freed,
			     "skb=%llu", (unsigned long long)skb_id);
		ul_lab_check(ctx, "no NET_TX softirq was needed",
			     lab_trace_find("net_tx_action", -1, 0) < 0, "net_tx_action ran");
	}
	ul_lab_evidence(ctx, "functions", "%zu", ul_trace_count());
	ul_lab_evidence(ctx, "steps_found", "%zu", found);
out:
	lab_shutdown(ctx);
	return err;
}

static int lab_rx_path(struct ul_lab_ctx *ctx)
{
	return lab_path(ctx, true);
}

static int lab_tx_path(struct ul_lab_ctx *ctx)
{
	return lab_path(ctx, false);
}

const struct ul_lab lab_def_rx_path = {
	"rx-path", "ch2",
	"How does the kernel receive a packet, from the NIC's DMA to the socket, and in which "
	"contexts?",
	lab_rx_path,
};

const struct ul_lab lab_def_tx_path = {
	"tx-path", "ch4",
	"How does the kernel send a packet, from sendto() to the NIC and the TX-completion free?",
	lab_tx_path,
};
