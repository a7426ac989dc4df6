/* SPDX-License-Identifier: MIT */
/* ulnet: the Linux network stack (3.10) in user space. The public API.
 *
 * One stack per process: ul_stack_create() boots it (CPUs, ksoftirqd, init_net with lo),
 * ul_stack_destroy() tears everything down. Everything else takes names (namespaces by name,
 * NULL or "" for the initial namespace) and returns 0 or -errno, as the kernel does.
 *
 * Runtimes: UL_RUNTIME_SIM (default) runs the whole world in the calling thread on virtual
 * time; nothing happens until ul_run_*() or ul_task_join() drives it. UL_RUNTIME_POSIX runs
 * on real time with threads; the world runs by itself. */
#ifndef ULNET_H
#define ULNET_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UL_EXPORT __attribute__((visibility("default")))

enum ul_runtime { UL_RUNTIME_SIM = 0, UL_RUNTIME_POSIX = 1 };

struct ul_config {
	enum ul_runtime runtime;
	int ncpus;	  /* simulated or configured CPUs, 1..64 (0: 1) */
	uint64_t seed;	  /* RNG seed (sim: the whole run follows from it) */
	FILE *log;	  /* printk output (NULL: stderr, only warnings and errors) */
	/* posix runtime: a task about to sleep first spins up to this many microseconds for its
	 * wakeup, so that a hand-off between two running threads costs neither side a system
	 * call (docs/performance.md). 0: the default (50), negative: never spin, at most 1000.
	 * sim: ignored (it never spins). */
	int spin_us;
};

/* Boot / tear down. ul_stack_create returns -EBUSY if a stack exists. */
UL_EXPORT int ul_stack_create(const struct ul_config *cfg);
UL_EXPORT void ul_stack_destroy(void);
UL_EXPORT int ul_stack_exists(void);

/* Time. */
UL_EXPORT uint64_t ul_now_ns(void);
/* sim: advance virtual time by @ns running everything due; posix: sleep @ns. */
UL_EXPORT void ul_run_for(uint64_t ns);
/* sim: run until nothing is scheduled (or @max_ns of virtual time passed). Returns 1 if idle. */
UL_EXPORT int ul_run_until_idle(uint64_t max_ns);

/* Tasks: programs that run in the stack's world (coroutines on sim, threads on posix). */
/* A task is the stack's struct task_struct (linux/sched.h): the same type under both names,
 * so that a file may include this header and linux/sched.h together. */
#define ul_task task_struct
struct ul_task;
typedef int (*ul_task_fn)(void *arg);
/* Spawn @fn(@arg) named @name on @cpu (-1: CPU 0) in namespace @netns. NULL on error. */
UL_EXPORT struct ul_task *ul_task_spawn(const char *netns, const char *name, int cpu,
					ul_task_fn fn, void *arg);
/* Wait for the task to finish (sim: drives the world until it does) and free it. Returns its
 * exit code, or -EDEADLK on sim when it can never finish (it waits on something that no
 * event will bring). */
UL_EXPORT int ul_task_join(struct ul_task *t);
/* Inside a task: sleep on the stack's clock. */
UL_EXPORT void ul_sleep(uint64_t ns);
/* Inside a task: its voluntary/involuntary context switches and user/sys time (ns). */
struct ul_task_stats {
	unsigned long nvcsw, nivcsw;
	uint64_t utime_ns, stime_ns;
};
UL_EXPORT int ul_task_stats(const struct ul_task *t, struct ul_task_stats *st);

/* Namespaces. */
UL_EXPORT int ul_netns_add(const char *name);
UL_EXPORT int ul_netns_del(const char *name);

/* Run a command line as the tools would in namespace @netns (NULL or "": the initial one):
 * "ip ..." (link, addr, route, neigh, netns; see docs/ip.md) or "sysctl ..." (-w a=b, a,
 * -n a, -a). *@out receives what the tool prints, or its error message (malloc'ed; free
 * it; never NULL when @out is given). Returns 0, or -errno: -EOPNOTSUPP for an unknown
 * command, the tool's failure otherwise (-EEXIST for "RTNETLINK answers: File exists"). */
UL_EXPORT int ul_cmd(const char *netns, const char *line, char **out);

/* sysctl(8). */
UL_EXPORT int ul_sysctl_get(const char *netns, const char *name, char *buf, size_t len);
UL_EXPORT int ul_sysctl_set(const char *netns, const char *name, const char *value);

/* The virtual /proc: "/proc/softirqs", "/proc/net/softnet_stat", ... Returns a malloc'ed
 * string (free it) or NULL with *err = -ENOENT. Also the only /sys files ulnet has:
 * "/sys/class/net/DEV/queues/rx-N/rps_cpus" and "rps_flow_cnt" (of the namespace). */
UL_EXPORT char *ul_proc_read(const char *netns, const char *path, int *err);
/* echo VALUE > PATH for the writable ones (/proc/irq/N/smp_affinity). 0, -ENOENT, -EACCES
 * (read-only) or the file's own error (-EINVAL for a bad value). */
UL_EXPORT int ul_proc_write(const char *netns, const char *path, const char *value);

/* Function-path tracing (see docs/tracing.md). */
UL_EXPORT int ul_trace_begin(size_t max_events);
UL_EXPORT void ul_trace_end(void);
UL_EXPORT int ul_trace_save_text(const char *path);   /* "-" for stdout */
UL_EXPORT int ul_trace_save_chrome(const char *path);

/* Packet capture, as tcpdump -i DEV -w FILE 'filter' (libpcap filter syntax). Returns a
 * capture id (> 0) or -errno (-EINVAL for a bad filter, -ENODEV for no such device). */
UL_EXPORT int ul_capture_start(const char *netns, const char *dev, const char *filter,
			       const char *pcap_path);
/* Stop and close the file; returns the number of packets written. */
UL_EXPORT long ul_capture_stop(int id);

#ifdef __cplusplus
}
#endif
#endif
