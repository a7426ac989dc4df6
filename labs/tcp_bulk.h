/* SPDX-License-Identifier: MIT */
/* A bulk stream transfer between two tasks for the book's TCP data labs (ch1, ch3, ch5, ch9):
 * a receiver task and a sender task (write() or sendfile() of a memory file), over TCP or an
 * AF_UNIX stream, with an optional sampler of the sender's congestion state.
 * Mirrors no kernel file: lab plumbing over the ul_ socket calls and struct tcp_sock.
 * Context: the lab's thread spawns the tasks and joins them (sim runtime). */
#ifndef ULNET_LABS_TCP_BULK_H
#define ULNET_LABS_TCP_BULK_H
#include <stdbool.h>
#include <stddef.h>
#include "linux/types.h"
#include "uapi/linux/tcp.h"
#include "ulnet/ulnet.h"

/* One sample of the sender's socket (the sampler task, every sample_ns). */
struct lab_bulk_sample {
	u64 t;			/* virtual ns since the connection was established */
	u32 cwnd, ssthresh;	/* segments */
	u32 srtt_us;		/* smoothed RTT */
	u32 snd_wnd;		/* the peer's advertised window, bytes */
	u32 in_flight;		/* packets_out - (sacked + lost) + retrans */
	u64 rx_bytes;		/* bytes the receiver had read */
	int wmem_queued, sndbuf;	/* the sender's queued truesize and its limit */
	u32 write_seq_queued;	/* bytes in the write queue (write_seq - snd_una) */
};

struct lab_bulk {
	const char *ns_tx, *ns_rx;	/* namespaces of the sender and the receiver */
	const char *dst;		/* the receiver's IPv4 address (TCP) */
	const char *unix_path;		/* non-NULL: an AF_UNIX stream instead (abstract name) */
	int port, tx_cpu, rx_cpu;
	size_t total;			/* bytes to send (0: until duration_ns) */
	u64 duration_ns;		/* with total 0: send for this long after connect */
	int chunk;			/* bytes per write()/sendfile() (<= 65536; 0: 65536) */
	bool use_sendfile;		/* send a memory file of @total bytes with sendfile() */
	bool read_file;			/* read() a memory file into a buffer, then write() it */
	bool nodelay;			/* TCP_NODELAY on the sender */
	u64 sample_ns;			/* > 0: sample the sender's tcp_sock (TCP only) */
	struct lab_bulk_sample *samples;
	int max_samples, nsamples;
	/* called by the sampler after each sample (e.g. to arm a loss) */
	void (*on_sample)(struct lab_bulk *b, const struct lab_bulk_sample *s);
	void *priv;
	/* results */
	size_t sent, received;
	int tx_err, rx_err;		/* errno of the first failure (0: none) */
	bool eof;			/* the receiver read 0 after the data */
	u64 t_connected, t_done;	/* connect() returned; the receiver read the FIN */
	/* ul_copy_stats deltas of the run: copy_to_user without the receiver's recv() (the
	 * sender's read() of the file), copy_from_user without writing the memory file */
	u64 copy_from_user, copy_to_user, kernel_copy;
	u64 file_setup_copy;		/* copy_from_user spent writing the memory file */
	u64 zerocopy;			/* bytes sent by page reference (tcp_sendpage) */
	struct tcp_info info;		/* the sender's TCP_INFO before close */
	struct ul_task_stats tx_st, rx_st;	/* each task's context switches and CPU */
	/* the receiver's socket at the end (TCP): buffer, window clamp, rcv_ssthresh (bytes) */
	int rx_rcvbuf;
	u32 rx_window_clamp, rx_rcv_ssthresh, rx_rcv_wnd;
	u8 rx_wscale;			/* the receiver's window scale (rcv_wscale) */
	/* private */
	int ready, sending;
	void *tx_sk;
};

/* Run the transfer: spawn the receiver, the sender and (sample_ns) the sampler, join them.
 * 0 when the tasks ran (tx_err/rx_err and received say how it went), -errno otherwise. */
int lab_bulk_run(struct lab_bulk *b);
/* Goodput of the run in Mbit/s (bytes read between connect and the FIN). */
double lab_bulk_mbps(const struct lab_bulk *b);

#endif
