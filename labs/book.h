/* SPDX-License-Identifier: MIT */
/* Shared pieces of the book's labs (the labs/ files): booting a stack, two hosts on a wire, a UDP
 * transfer between tasks, counters, the function path printed by context, TCP frames to
 * inject and the process's memory.
 * Mirrors no kernel file: lab plumbing over ul_cmd, the hw verbs and the ul_ socket calls. */
#ifndef ULNET_LABS_BOOK_H
#define ULNET_LABS_BOOK_H
#include <stdbool.h>
#include <stdio.h>
#include "linux/types.h"
#include "ulnet/lab.h"

#define LAB_NS_A   "hosta"	/* the sender's namespace */
#define LAB_NS_B   "hostb"	/* the receiver's namespace */
#define LAB_ADDR_A "10.0.0.1"
#define LAB_ADDR_B "10.0.0.2"

/* Boot a sim stack with the lab's seed and CPUs (@ncpus_default when --cpus was not given).
 * 0 or -errno. */
int lab_boot(struct ul_lab_ctx *ctx, int ncpus_default);
void lab_shutdown(struct ul_lab_ctx *ctx);
/* @cpu folded into the booted stack's CPUs (a lab written for 2 CPUs runs on --cpus 1). */
int lab_cpu(int cpu);
/* Run one ul_cmd line in @ns, echoing it as the user would type it ("$ ip ...").
 * @quiet: do not print the tool's output. 0 or -errno (the output is printed on error). */
int lab_sh(struct ul_lab_ctx *ctx, const char *ns, bool quiet, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Two hosts, each a namespace with an igb NIC eth0 (@queues, @ring, 1000 Mbit/s), wired
 * back to back: hosta 10.0.0.1/24, hostb 10.0.0.2/24. 0 or -errno. */
int lab_two_hosts(struct ul_lab_ctx *ctx, unsigned int queues, unsigned int ring);

/* A UDP transfer: a receiver task bound to @port in @ns_rx reads @count datagrams (each wait
 * bounded by 200 ms of virtual time), a sender task in @ns_tx sends @count datagrams of @size
 * bytes (at least 8: the first 8 carry the send time) to @dst:@port, @gap_ns apart (0: back
 * to back). */
struct lab_udp {
	const char *ns_rx, *ns_tx, *dst;
	int port, count, size, rx_cpu, tx_cpu;
	u64 gap_ns;
	int nflows;		/* >1: the sender uses this many sockets (source ports) in turn */
	const char *const *srcs;	/* socket i binds to srcs[i % nsrcs] (NULL: no bind) */
	int nsrcs;
	/* results */
	int sent, received, tx_err, rx_err;
	u64 t_first_send, t_last_recv;
	u64 lat_sum_ns, lat_max_ns;	/* send to receive, from a stamp in the payload */
};
int lab_udp_run(struct lab_udp *u);

/* A counter of @ns by the names `expect` uses: "nstat NAME", "dev DEV FIELD",
 * "ethtool DEV STAT", "softirqs NAME cpuN|all", "softnet cpuN FIELD". -1 when missing. */
long long lab_counter(const char *ns, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The recorded trace, one line per run of consecutive functions of one CPU and context,
 * at most @max_lines lines, repeated functions folded ("f x3"). */
void lab_print_path(FILE *out, size_t max_lines);
/* Index of the first trace event of @func (in context @ctx, -1: any) at or after @from;
 * -1 when none. */
long lab_trace_find(const char *func, int ctx, size_t from);
/* Events of @func in the trace. */
long lab_trace_calls(const char *func);

/* /proc text of the initial namespace (malloc'ed, "" when unreadable). */
char *lab_proc(const char *ns, const char *path);
/* Print the rows of /proc/interrupts whose name contains @match, with before/after deltas. */
void lab_print_interrupts_delta(FILE *out, const char *before, const char *after,
				const char *match, long long *total);

/* A frame a lab injects on a NIC's receive side (hw verbs): Ethernet from
 * 02:00:00:00:00:@src_mac_last to @dst_mac, IPv4 (TTL 64, DF when @df), TCP with @optlen
 * bytes of options (a multiple of 4) and @plen payload bytes. */
struct lab_tcp_frame {
	const u8 *dst_mac;
	u8 src_mac_last;
	bool df;
	__be32 saddr, daddr;
	u16 ip_id, sport, dport, window;
	u32 seq, ack_seq;
	bool syn, ack;
	const u8 *opts;
	unsigned int optlen, plen;
};
/* Where the payload of a frame with @optlen option bytes starts in its buffer. */
#define LAB_TCP_FRAME_DATA(buf, optlen) ((buf) + 54 + (optlen))
/* Fill the headers of @f into @buf with correct IP and TCP checksums; the payload must be
 * in place already (at LAB_TCP_FRAME_DATA), the TCP checksum covers it. Returns the frame
 * length. */
unsigned int lab_tcp_frame(u8 *buf, const struct lab_tcp_frame *f);

/* A field of /proc/self/status in KiB ("VmRSS", "VmHWM"; -1: unreadable or missing): all of
 * ulnet's memory is the process's. */
long lab_status_kib(const char *key);

/* Print "The book (ch): ..." and "ulnet: ..." side by side. */
void lab_book_beside(FILE *out, const char *book, const char *ulnet);

#endif
