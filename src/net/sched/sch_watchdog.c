/* SPDX-License-Identifier: MIT */
/* The qdisc watchdog: a timed qdisc (netem, tbf) whose head packet is not due yet asks to be
 * run again when it is.
 * Mirrors linux/net/sched/sch_api.c (3.10): qdisc_watchdog_init, qdisc_watchdog,
 * qdisc_watchdog_schedule_ns, qdisc_watchdog_cancel.
 * DIVERGES: an event on the stack clock (ul_call_at) instead of an hrtimer. Events carry the
 * watchdog's id, never its address: a qdisc destroyed with an event pending is simply not
 * found. Context of the expiry: CPU 0's idle context; NET_TX runs at local_bh_enable. */
#include "arch/arch.h"
#include "linux/interrupt.h"
#include "linux/jiffies.h"
#include "net/pkt_sched.h"
#include "trace/path.h"

static LIST_HEAD(qdisc_watchdogs);
static u32 qdisc_watchdog_last_id;	/* never reset: ids stay unique across stacks */

static void qdisc_watchdog(void *arg)
{
	u32 id = (u32)(uintptr_t)arg;
	struct qdisc_watchdog *wd;

	list_for_each_entry(wd, &qdisc_watchdogs, list) {
		if (wd->id != id)
			continue;
		if (!wd->expires_ns || ul_clock_ns() < wd->expires_ns)
			return;	/* cancelled, or moved later (a later event comes) */
		wd->expires_ns = 0;
		UL_TRACE_FN();
		clear_bit(__QDISC_STATE_THROTTLED, &wd->qdisc->state);
		local_bh_disable();
		__netif_schedule(wd->qdisc);
		local_bh_enable();
		return;
	}
}

void qdisc_watchdog_init(struct qdisc_watchdog *wd, struct Qdisc *qdisc)
{
	wd->qdisc = qdisc;
	wd->id = ++qdisc_watchdog_last_id;
	wd->expires_ns = 0;
	list_add_tail(&wd->list, &qdisc_watchdogs);
}

void qdisc_watchdog_schedule_ns(struct qdisc_watchdog *wd, u64 expires_ns)
{
	set_bit(__QDISC_STATE_THROTTLED, &wd->qdisc->state);
	if (wd->expires_ns && wd->expires_ns <= expires_ns)
		return;	/* an earlier wakeup is already due */
	wd->expires_ns = expires_ns;
	ul_call_at(expires_ns, 0, qdisc_watchdog, (void *)(uintptr_t)wd->id);
}

void qdisc_watchdog_cancel(struct qdisc_watchdog *wd)
{
	wd->expires_ns = 0;
	clear_bit(__QDISC_STATE_THROTTLED, &wd->qdisc->state);
}

/* The qdisc goes: its pending events must find nothing. */
void qdisc_watchdog_fini(struct qdisc_watchdog *wd)
{
	qdisc_watchdog_cancel(wd);
	if (wd->list.next && !list_empty(&wd->list))
		list_del_init(&wd->list);
}
