/* SPDX-License-Identifier: MIT */
/* The zero-copy lab (book ch1, ch4): sending a file over TCP with read()+write(), with write()
 * of a buffer, and with sendfile(): the bytes the CPU copies per byte sent, and the send
 * path of one segment by context, with the copies it makes (user -> skb, a clone kept for
 * retransmission that shares the data, none at the device).
 * Mirrors no kernel file: an experiment on fs/read_write.c (do_sendfile), net/ipv4/tcp.c
 * (tcp_sendmsg: copy_from_user into page frags; tcp_sendpage: the file's pages by
 * reference), tcp_output.c (tcp_transmit_skb: skb_clone) and the device's transmit
 * (igb_xmit_frame: DMA of the skb's head and frags, no CPU copy). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "trace/path.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "book.h"
#include "tcp_book.h"
#include "tcp_bulk.h"

#define ZC_SIZE	 (1024 * 1024)	/* the file */
#define ZC_CHUNK 65536
#define ZC_ONE	 1000		/* the traced send: one segment */
#define ZC_PORT	 6001

struct zc_case {
	const char *title, *how;
	struct lab_bulk b;
	double per_byte;	/* CPU copies per byte sent (sender side) */
};

static int lab_zero_copy(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	struct zc_case c[3] = {
		{ .title = "1. read() the file into a buffer, write() it to the socket",
		  .how = "read+write" },
		{ .title = "2. write() a buffer already in memory", .how = "write" },
		{ .title = "3. sendfile() from the file to the socket", .how = "sendfile" },
	};
	struct lab_bulk one = { .ns_tx = LAB_NS_A, .ns_rx = LAB_NS_B, .dst = LAB_ADDR_B,
				.port = ZC_PORT + 10, .tx_cpu = 0, .rx_cpu = 1, .total = ZC_ONE,
				.nodelay = true };
	long i_send, i_xmit, i_clone, i_ipq, i_dev, i_igb;
	int err, i;

	for (i = 0; i < 3; i++)
		c[i].b = (struct lab_bulk){ .ns_tx = LAB_NS_A, .ns_rx = LAB_NS_B,
					    .dst = LAB_ADDR_B, .port = ZC_PORT + i, .tx_cpu = 0,
					    .rx_cpu = 1, .total = ZC_SIZE, .chunk = ZC_CHUNK,
					    .read_file = i == 0, .use_sendfile = i == 2 };
	err = lab_boot(ctx, 2);
	if (err)
		return err;
	fprintf(out, "Setup: two hosts with an igb NIC each, wired; a %d KiB memory file "
		     "(memfd) on %s sent over TCP to %s:%d in %d KiB calls.\n",
		ZC_SIZE / 1024, LAB_NS_A, LAB_ADDR_B, ZC_PORT, ZC_CHUNK / 1024);
	err = lab_two_hosts(ctx, 1, 256);
	if (err)
		goto out;
	lab_warm_neigh(LAB_NS_A, LAB_NS_B, LAB_ADDR_B);
	for (i = 0; i < 3; i++) {
		struct lab_bulk *b = &c[i].b;

		err = lab_bulk_run(b);
		if (err) {
			fprintf(out, "\n%s: the transfer did not finish (%s): sent %zu, received "
				     "%zu, errors %d/%d\n", c[i].title, strerror(-err), b->sent,
				b->received, b->tx_err, b->rx_err);
			goto out;
		}
		c[i].per_byte = b->sent ? (double)(b->copy_from_user + b->copy_to_user +
						   b->kernel_copy) / (double)b->sent
					: 0;
		fprintf(out, "\n%s:\n  sent %zu, received %zu; copies by the CPU on the sender: "
			     "copy_to_user %llu, copy_from_user %llu, kernel copy %llu = %.2f per "
			     "byte sent; by page reference (no copy) %llu\n  the sender task: %lu voluntary context switches, %.2f ms "
			     "of CPU (sys %.2f)\n",
			c[i].title, b->sent, b->received, (unsigned long long)b->copy_to_user,
			(unsigned long long)b->copy_from_user, (unsigned long long)b->kernel_copy,
			c[i].per_byte, (unsigned long long)b->zerocopy, b->tx_st.nvcsw,
			(double)(b->tx_st.utime_ns + b->tx_st.stime_ns) / 1e6,
			(double)b->tx_st.stime_ns / 1e6);
	}

	/* One segment, traced: the send path and its copies. */
	fprintf(out, "\n4. One write() of %d bytes (TCP_NODELAY), traced: the send path by "
		     "context\n", ZC_ONE);
	ul_trace_begin(0);
	err = lab_bulk_run(&one);
	ul_trace_end();
	if (err)
		goto out;
	lab_print_path(out, 24);
	if (ul_lab_opts(ctx)->trace)
		ul_trace_write_text(out);
	i_xmit = lab_trace_find("tcp_transmit_skb", UL_CTX_TASK, 0);
	i_send = i_xmit;
	/* the data segment: the first tcp_transmit_skb after the handshake's in the sender's
	 * task that clones (the SYN is cloned too: take the last clone before a transmit
	 * reaching the device with data) */
	i_clone = lab_trace_find("skb_clone", UL_CTX_TASK, i_xmit < 0 ? 0 : (size_t)i_xmit);
	i_ipq = lab_trace_find("ip_queue_xmit", UL_CTX_TASK, i_xmit < 0 ? 0 : (size_t)i_xmit);
	i_dev = lab_trace_find("dev_queue_xmit", UL_CTX_TASK, i_ipq < 0 ? 0 : (size_t)i_ipq);
	i_igb = lab_trace_find("igb_xmit_frame", -1, i_dev < 0 ? 0 : (size_t)i_dev);
	fprintf(out, "  copies of that write: copy_from_user %llu (user -> skb in tcp_sendmsg), "
		     "kernel copy %llu; skb_clone runs %ld times in the trace (the clone kept "
		     "for retransmission shares the data)\n",
		(unsigned long long)one.copy_from_user, (unsigned long long)one.kernel_copy,
		lab_trace_calls("skb_clone"));

	fprintf(out, "\nThe book's figure beside ulnet's (ch1, copies per byte):\n");
	lab_book_beside(out, "read+write: 2 CPU copies (+2 DMA); sendfile with SG-DMA: 0 CPU "
			     "copies",
			"read+write 2, write 1, sendfile 0 (tcp_sendpage: page references)");
	fprintf(out,
		"\nAnswer (ch1, ch4): sending a file with read() and write() makes the CPU copy "
		"every byte twice (%.2f copies per byte here): copy_to_user from the file into the "
		"program's buffer, then copy_from_user from that buffer into the socket's skbs in "
		"tcp_sendmsg. A buffer already in memory costs the second copy only (%.2f). "
		"sendfile() skips the user buffer: the data goes from the file into the socket "
		"inside the stack. With a scatter-gather NIC (igb), tcp_sendpage hangs the "
		"file's pages on the skb as page fragments (a page reference each) and the CPU "
		"copies nothing (%.2f); without SG, sock_no_sendpage would copy once. After the "
		"copy (or the reference), nothing is copied again: tcp_transmit_skb clones the "
		"skb (the clone shares the head and the pages; the original stays on the write "
		"queue for retransmission), and the NIC gathers the head and each fragment by "
		"DMA.\n\nChecks:\n",
		c[0].per_byte, c[1].per_byte, c[2].per_byte);
	for (i = 0; i < 3; i++) {
		char name[80];

		snprintf(name, sizeof(name), "%s: all %d bytes received", c[i].how, ZC_SIZE);
		ul_lab_check(ctx, name,
			     c[i].b.received == ZC_SIZE && c[i].b.eof && !c[i].b.tx_err &&
				     !c[i].b.rx_err,
			     "received %zu, eof %d, errors %d/%d", c[i].b.received, c[i].b.eof,
			     c[i].b.tx_err, c[i].b.rx_err);
	}
	ul_lab_check(ctx, "read+write: 2 copies per byte (to user, from user)",
		     c[0].b.copy_to_user == ZC_SIZE && c[0].b.copy_from_user == ZC_SIZE &&
			     c[0].b.kernel_copy == 0,
		     "to_user %llu from_user %llu kernel %llu",
		     (unsigned long long)c[0].b.copy_to_user,
		     (unsigned long long)c[0].b.copy_from_user,
		     (unsigned long long)c[0].b.kernel_copy);
	ul_lab_check(ctx, "write: 1 copy per byte (from user)",
		     c[1].b.copy_from_user == ZC_SIZE && c[1].b.copy_to_user == 0 &&
			     c[1].b.kernel_copy == 0,
		     "from_user %llu to_user %llu kernel %llu",
		     (unsigned long long)c[1].b.copy_from_user,
		     (unsigned long long)c[1].b.copy_to_user,
		     (unsigned long long)c[1].b.kernel_copy);
	ul_lab_check(ctx, "sendfile: no CPU copy, every byte by page reference (tcp_sendpage)",
		     c[2].b.copy_from_user == 0 && c[2].b.copy_to_user == 0 &&
			     c[2].b.kernel_copy == 0 && c[2].b.zerocopy == ZC_SIZE,
		     "from_user %llu to_user %llu kernel %llu by reference %llu",
		     (unsigned long long)c[2].b.copy_from_user,
		     (unsigned long long)c[2].b.copy_to_user,
		     (unsigned long long)c[2].b.kernel_copy,
		     (unsigned long long)c[2].b.zerocopy);
	/* CPU time is real time charged by the sim: a busy machine makes either side longer,
	 * so it is evidence, not a check (the copy counts above are the deterministic part). */
	ul_lab_evidence(ctx, "sender_cpu_ns_read_write", "%llu",
			(unsigned long long)(c[0].b.tx_st.stime_ns + c[0].b.tx_st.utime_ns));
	ul_lab_evidence(ctx, "sender_cpu_ns_sendfile", "%llu",
			(unsigned long long)(c[2].b.tx_st.stime_ns + c[2].b.tx_st.utime_ns));
	ul_lab_check(ctx, "one write: exactly its bytes copied from user, no kernel copy",
		     one.copy_from_user == ZC_ONE && one.kernel_copy == 0 && one.received == ZC_ONE,
		     "from_user %llu kernel %llu received %zu",
		     (unsigned long long)one.copy_from_user, (unsigned long long)one.kernel_copy,
		     one.received);
	ul_lab_check(ctx, "send path: tcp_transmit_skb, skb_clone, ip_queue_xmit, "
			  "dev_queue_xmit, igb_xmit_frame in order",
		     i_send >= 0 && i_clone > i_xmit && i_ipq > i_xmit && i_dev > i_ipq &&
			     i_igb > i_dev,
		     "indexes %ld %ld %ld %ld %ld", i_xmit, i_clone, i_ipq, i_dev, i_igb);
	ul_lab_expect_path(ctx, "tcp_transmit_skb", true);
	ul_lab_expect_path(ctx, "igb_xmit_frame", true);
	for (i = 0; i < 3; i++) {
		char key[32];

		snprintf(key, sizeof(key), "copies_per_byte_%s", i == 0 ? "read_write" :
								 i == 1 ? "write" : "sendfile");
		ul_lab_evidence(ctx, key, "%.3f", c[i].per_byte);
	}
out:
	ul_run_for(LAB_SEC);	/* the last connection's FIN and its ACK */
	lab_shutdown(ctx);
	return err;
}

const struct ul_lab lab_def_zero_copy = {
	"zero-copy", "ch1",
	"How many times does the CPU copy a file's bytes sent over TCP with read()+write(), "
	"write() and sendfile()?",
	lab_zero_copy,
};
