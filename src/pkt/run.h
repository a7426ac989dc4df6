/* SPDX-License-Identifier: MIT */
/* The packet-script runner's private header: the state of one script's run, shared by the
 * driver (run.c), its system calls (syscall.c) and its shell commands (shell.c).
 * Mirrors no kernel file (see run.c). */
#ifndef _PKT_RUN_H
#define _PKT_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "linux/sched.h"
#include "pkt/pkt.h"
#include "pkt/pktdev.h"

struct files_struct;
struct net_device;

#define PKT_MAX_FDS	 64
#define PKT_MAX_BLOCKING 16
#define PKT_ANY_TIME_US	 (600 * 1000000LL)
#define PKT_POLL_NS	 (100 * 1000ULL)	/* how finely the driver waits for output */

/* packetdrill's defaults (its config.c documents them): 192.168.0.1 for the stack under
 * test, 192.0.2.1 for the remote end, local port 8080, tolerance 4 ms. */
#define PKT_DEFAULT_LOCAL_IP  "192.168.0.1"
#define PKT_DEFAULT_REMOTE_IP "192.0.2.1"
#define PKT_LOCAL_PORT	      8080
#define PKT_REMOTE_PORT	      49152	/* DIVERGES: packetdrill picks one at random */
#define PKT_REMOTE_ISN	      0		/* the script's own numbers are its ISN-relative ones */
#define PKT_DEFAULT_TOLERANCE 4000

/* What a call returned through its pointers, for check_syscall. */
struct sc_out {
	bool has_val;		/* getsockopt/ioctl: the int written back */
	long val;
	char mismatch[256];	/* poll/epoll_wait: how the returned events differ, or "" */
};

struct blocking_call {
	struct run *run;
	const struct pkt_event *ev;
	struct task_struct *task;
	int64_t start_us, end_us;
	bool done, checked;
	bool bad;		/* a script error: out.mismatch says which */
	long ret;
	int err;
	struct sc_out out;
	uint64_t end_ns;
};

struct run {
	struct pkt_script *s;
	const struct pkt_run_opts *o;
	struct pktdev_queue q;
	struct pktdev_queue *qp;
	struct net_device *dev;		/* tun0 */
	bool configured;		/* tun0 has its address and route */
	char netns[32];			/* the test host */
	struct pkt_flow fl;
	int64_t tolerance_us;
	uint64_t t0_ns;
	int64_t prev_us;		/* script time of the previous event */
	int fdmap[PKT_MAX_FDS];		/* script fd -> the stack's fd (-1: none) */
	/* The socket `%{ }%` blocks read TCP_INFO from (a script fd): the last one
	 * accepted or connected, else the last one created (packetdrill's socket under
	 * test). -1: none. */
	int sut_fd;
	struct pkt_code_env code_env;
	/* A TCP script that expects no outbound ICMP: ICMP replies are not for it. */
	bool skip_icmp_replies;
	bool strict_end;		/* nothing may follow the last event (see driver_fn) */
	int mtu;			/* --mtu: tun0's MTU (0: the default 1500) */
	struct files_struct *files;	/* the driver task's table, shared with blocking calls */
	struct blocking_call blk[PKT_MAX_BLOCKING];
	int nblk;
	/* outcome */
	enum pkt_verdict verdict;
	char *details;
	size_t dlen;
	char notes[4096];		/* skipped shell commands and sysctls */
};

/* run.c: the verdict (the first failure or skip decides it) and the script's clock. */
void pkt_add_detail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pkt_fail(struct run *r, const struct pkt_event *ev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void pkt_skip(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int64_t pkt_now_us(const struct run *r);
void pkt_sleep_until_us(struct run *r, int64_t t_us);
void pkt_fmt_secs(char *buf, size_t len, int64_t us);
bool pkt_check_time(struct run *r, const struct pkt_event *ev, const char *what, int64_t lo,
		    int64_t hi, int64_t actual);

/* syscall.c: the script's system calls. */
bool pkt_call_supported(const char *name);
bool pkt_eval_int(const struct pkt_expr *e, long *v, char *why, size_t whylen);
void pkt_do_syscall(struct run *r, const struct pkt_event *ev, int64_t lo);
void pkt_check_blocking(struct run *r, bool final);

/* shell.c: a run's shell state (the defaults.sh to source, files made by `echo > F`, which
 * `open` reads) is reset at the start of each run. */
struct pkt_file {
	char path[128];
	long size;
};

void pkt_shell_reset(const char *defaults_sh);
struct pkt_file *pkt_file_find(const char *path, bool create);

#endif /* _PKT_RUN_H */
