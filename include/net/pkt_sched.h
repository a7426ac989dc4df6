/* SPDX-License-Identifier: MIT */
/* Packet scheduler API: registering qdisc algorithms by name and running a qdisc.
 * Mirrors linux/include/net/pkt_sched.h and uapi/linux/pkt_sched.h (3.10): register_qdisc,
 * unregister_qdisc, qdisc_lookup_ops, qdisc_priv, __qdisc_run, qdisc_run, sch_direct_xmit,
 * TC_PRIO_*. */
#ifndef _NET_PKT_SCHED_H
#define _NET_PKT_SCHED_H
#include "net/sch_generic.h"

/* skb->priority values (SO_PRIORITY, IP TOS) and the pfifo_fast bands they map to. */
#define TC_PRIO_BESTEFFORT		0
#define TC_PRIO_FILLER			1
#define TC_PRIO_BULK			2
#define TC_PRIO_INTERACTIVE_BULK	4
#define TC_PRIO_INTERACTIVE		6
#define TC_PRIO_CONTROL			7
#define TC_PRIO_MAX			15
#define TC_PRIO_BANDS			3	/* PFIFO_FAST_BANDS */

#define QDISC_ALIGNTO		64
#define QDISC_ALIGN(len)	(((len) + QDISC_ALIGNTO - 1) & ~(QDISC_ALIGNTO - 1))
static inline void *qdisc_priv(struct Qdisc *q)
{
	return (char *)q + QDISC_ALIGN(sizeof(struct Qdisc));
}

/* Make @qops available by its id. -EEXIST if the name is taken. */
int register_qdisc(struct Qdisc_ops *qops);
int unregister_qdisc(struct Qdisc_ops *qops);
/* The ops registered as @kind, or NULL. */
struct Qdisc_ops *qdisc_lookup_ops(const char *kind);
/* tc qdisc replace dev DEV root KIND [OPTS]: build a KIND qdisc with @opt and make it the
 * root of every TX queue of @dev (live at once if the device is up). 0, -ENOENT (unknown
 * kind), -EINVAL (options), -ENOMEM. Caller holds rtnl. */
int qdisc_replace_root(struct net_device *dev, const char *kind, const char *opt);

/* Dequeue and transmit up to weight_p packets; reschedule on NET_TX when the quota is used
 * up. Context: BH off, qdisc running (qdisc_run_begin). */
void __qdisc_run(struct Qdisc *q);
static inline void qdisc_run(struct Qdisc *q)
{
	if (qdisc_run_begin(q))
		__qdisc_run(q);
}
/* Send one skb to the driver with the qdisc lock dropped. Returns the queue length if more
 * may be sent, 0 otherwise (requeued or queue stopped). */
int sch_direct_xmit(struct sk_buff *skb, struct Qdisc *q, struct net_device *dev,
		    struct netdev_queue *txq, spinlock_t *root_lock);
/* Put back an skb the driver refused (NETDEV_TX_BUSY): counted in qstats.requeues. */
int dev_requeue_skb(struct sk_buff *skb, struct Qdisc *q);

/* ulnet: take @q off every CPU's output_queue (dev_deactivate, qdisc_destroy).
 * DIVERGES: Linux waits for NET_TX to pass (some_qdisc_is_busy); ulnet unlinks it. */
void dev_qdisc_unschedule(struct Qdisc *q);

int pktsched_init(void);	/* registers pfifo_fast, noqueue, noop */
void pktsched_fini(void);

/* ---- issue 7: timed qdiscs (netem, tbf) and the tc command ---- */

/* qdisc_watchdog (sch_api.c): run the qdisc again at a time, when its head packet is due.
 * DIVERGES: an event of the stack clock (ul_call_at, nanoseconds) instead of an hrtimer; an
 * event names the watchdog by id, so one outliving its qdisc finds nothing. */
struct qdisc_watchdog {
	struct list_head list;		/* active watchdogs */
	struct Qdisc *qdisc;
	u32 id;
	u64 expires_ns;			/* 0: not armed */
};
void qdisc_watchdog_init(struct qdisc_watchdog *wd, struct Qdisc *qdisc);
void qdisc_watchdog_schedule_ns(struct qdisc_watchdog *wd, u64 expires_ns);
void qdisc_watchdog_cancel(struct qdisc_watchdog *wd);	/* disarm */
void qdisc_watchdog_fini(struct qdisc_watchdog *wd);	/* qdisc destroy: forget it */

/* Register netem and tbf (module_init of sch_netem.c / sch_tbf.c). */
int netem_module_init(void);
int tbf_module_init(void);

/* tc(8), the qdisc part: "tc qdisc add|replace|change dev DEV root KIND [OPTS]",
 * "tc qdisc del dev DEV root", "tc [-s] qdisc show [dev DEV]". *out (malloc'ed) gets the
 * output or the error message. 0 or -EINVAL, -ENODEV, -ENOENT (unknown kind),
 * -EOPNOTSUPP (a tc feature ulnet does not have). */
int ul_tc_cmd(const char *netns, const char *line, char **out);
struct net;
int tc_cmd_net(struct net *net, const char *line, char **out);	/* same, by namespace */

#endif
