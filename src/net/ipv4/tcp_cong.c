/* SPDX-License-Identifier: MIT */
/* Pluggable TCP congestion control: the list of algorithms and the default, the per-socket
 * choice (TCP_CONGESTION), the three sysctls, and the Reno algorithm every other one builds on.
 * Mirrors linux/net/ipv4/tcp_cong.c (3.10): tcp_ca_find, tcp_register_congestion_control,
 * tcp_unregister_congestion_control, tcp_init_congestion_control,
 * tcp_cleanup_congestion_control, tcp_set_default_congestion_control,
 * tcp_get_available_congestion_control, tcp_get_default_congestion_control,
 * tcp_get_allowed_congestion_control, tcp_set_allowed_congestion_control,
 * tcp_set_congestion_control, tcp_is_cwnd_limited, tcp_slow_start, tcp_cong_avoid_ai,
 * tcp_reno_cong_avoid, tcp_reno_ssthresh, tcp_reno_min_cwnd, tcp_reno,
 * tcp_init_congestion_ops; and from net/ipv4/sysctl_net_ipv4.c (3.10)
 * proc_tcp_congestion_control, proc_tcp_available_congestion_control,
 * proc_allowed_congestion_control; tcp_assign_congestion_control is from later kernels.
 *
 * The list is ordered: its head is the default (net.ipv4.tcp_congestion_control), and
 * tcp_available_congestion_control prints it in list order. As in 3.10, reno registers
 * first (tcp_init), cubic next (its module_init), and the late initcall
 * tcp_congestion_default moves CONFIG_DEFAULT_TCP_CONG ("cubic") to the head: "cubic reno".
 * Choosing another default moves that one to the head ("reno cubic").
 *
 * LOCKING: tcp_cong_list_lock (_bh: tcp_init_congestion_control may run in softirq) guards
 * the list and every ops' flags (3.10 reads the list under RCU; ulnet's readers take the
 * lock, the list is short). Never held while an op runs. Ops are never freed: the built-in
 * ones are static.
 * DIVERGES: no modules, so no autoload (request_module) and no -EBUSY from try_module_get;
 * no credentials: a task is treated as holding CAP_NET_ADMIN (as SO_PRIORITY does) unless
 * tcp_ca_unprivileged is set (tests), see tcp_ca_capable. */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/list.h"
#include "linux/netdevice.h"
#include "linux/slab.h"
#include "linux/spinlock.h"
#include "linux/sysctl.h"
#include "net/tcp.h"
#include "net/tcp_cong.h"

/* RFC 3742 Limited Slow Start: 0 (off) by default as in 3.10. */
int sysctl_tcp_max_ssthresh;
/* 3.10 tcp_output.c: a TSO frame takes at most 1/3 of cwnd (see tcp_is_cwnd_limited). */
int sysctl_tcp_tso_win_divisor = 3;
bool tcp_ca_unprivileged;

static DEFINE_SPINLOCK(tcp_cong_list_lock);
static LIST_HEAD(tcp_cong_list);
static bool tcp_cong_booted;

/* CONFIG_DEFAULT_TCP_CONG of a 3.10 distribution kernel. */
#define TCP_CONG_DEFAULT_NAME "cubic"

/* The slot table behind icsk_ca_idx (net/tcp_cong.h). Slots are handed out in order and
 * never given back until the next boot, so a lock-free reader may walk up to the first
 * NULL; a writer fills the next slot under tcp_ca_slots_lock and publishes it with a
 * release store before any sock can hold its number. */
const struct tcp_congestion_ops *tcp_ca_slots[TCP_CA_SLOTS];
static DEFINE_SPINLOCK(tcp_ca_slots_lock);

static int tcp_ca_slot_find(const struct tcp_congestion_ops *ca)
{
	int i;

	for (i = 1; i < TCP_CA_SLOTS; i++) {
		const struct tcp_congestion_ops *e = __atomic_load_n(&tcp_ca_slots[i],
								     __ATOMIC_ACQUIRE);

		if (e == ca)
			return i;
		if (!e)
			break;
	}
	return -1;
}

void inet_csk_set_ca_ops(struct sock *sk, const struct tcp_congestion_ops *ca)
{
	int idx = ca ? tcp_ca_slot_find(ca) : 0;

	if (idx < 0) {
		int i;

		spin_lock_bh(&tcp_ca_slots_lock);
		idx = tcp_ca_slot_find(ca);
		for (i = 1; idx < 0 && i < TCP_CA_SLOTS; i++)
			if (!tcp_ca_slots[i]) {
				__atomic_store_n(&tcp_ca_slots[i], ca, __ATOMIC_RELEASE);
				idx = i;
			}
		spin_unlock_bh(&tcp_ca_slots_lock);
		if (idx < 0) {
			pr_warn("TCP: no congestion control slot left for %.*s: using reno\n",
				TCP_CA_NAME_MAX, ca->name);
			idx = 0;
		}
	}
	inet_csk(sk)->icsk_ca_idx = (__u8)idx;
}

/* Simple linear search, don't expect many entries! Caller holds tcp_cong_list_lock. */
static struct tcp_congestion_ops *tcp_ca_find(const char *name)
{
	struct tcp_congestion_ops *e;

	list_for_each_entry(e, &tcp_cong_list, list) {
		if (strcmp(e->name, name) == 0)
			return e;
	}
	return NULL;
}

/* Attach a new congestion control algorithm to the list of available options. 0, -EINVAL
 * (no ssthresh or cong_avoid, or no name) or -EEXIST. Context: process. */
int tcp_register_congestion_control(struct tcp_congestion_ops *ca)
{
	int ret = 0;

	if (!ca)
		return -EINVAL;
	/* all algorithms must implement ssthresh and cong_avoid ops */
	if (!ca->ssthresh || !ca->cong_avoid || !ca->name[0] ||
	    strnlen(ca->name, TCP_CA_NAME_MAX) == TCP_CA_NAME_MAX) {
		pr_err("TCP: %.*s does not implement required ops\n", TCP_CA_NAME_MAX, ca->name);
		return -EINVAL;
	}

	spin_lock_bh(&tcp_cong_list_lock);
	if (tcp_ca_find(ca->name)) {
		pr_info("TCP: %s already registered\n", ca->name);
		ret = -EEXIST;
	} else {
		list_add_tail(&ca->list, &tcp_cong_list);
		pr_info("TCP: %s registered\n", ca->name);
	}
	spin_unlock_bh(&tcp_cong_list_lock);
	return ret;
}

/* Remove congestion control algorithm, called from the module's remove function. Sockets
 * still using it keep the pointer (3.10's module refcount forbids removal then; ulnet's
 * ops are static, so the pointer stays valid). */
void tcp_unregister_congestion_control(struct tcp_congestion_ops *ca)
{
	struct tcp_congestion_ops *e;

	spin_lock_bh(&tcp_cong_list_lock);
	list_for_each_entry(e, &tcp_cong_list, list) {
		if (e == ca) {
			list_del(&ca->list);
			break;
		}
	}
	spin_unlock_bh(&tcp_cong_list_lock);
}

/* A new socket gets the default algorithm (the head of the list).
 * DIVERGES: 3.10's tcp_init_sock set &tcp_init_congestion_ops (name "") and resolved the
 * default only when the connection was established, so getsockopt(TCP_CONGESTION) on a
 * fresh socket read ""; ulnet assigns at creation as Linux does since 3.19, so a listener's
 * or an unconnected socket's algorithm shows. Context: process, socket locked or new. */
void tcp_assign_congestion_control(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_congestion_ops *ca = &tcp_init_congestion_ops;

	spin_lock_bh(&tcp_cong_list_lock);
	if (!list_empty(&tcp_cong_list))
		ca = list_first_entry(&tcp_cong_list, struct tcp_congestion_ops, list);
	spin_unlock_bh(&tcp_cong_list_lock);
	inet_csk_set_ca_ops(sk, ca);
	memset(icsk->icsk_ca_priv, 0, sizeof(icsk->icsk_ca_priv));
}

/* The connection is established: resolve the default if none was chosen yet, then let the
 * algorithm set up its private data. Context: softirq or process, socket locked. */
void tcp_init_congestion_control(struct sock *sk)
{
	const struct tcp_congestion_ops *ca = inet_csk_ca_ops(sk);

	/* if no choice made yet assign the current value set as default */
	if (!ca || ca == &tcp_init_congestion_ops) {
		tcp_assign_congestion_control(sk);
		ca = inet_csk_ca_ops(sk);
	}
	if (ca && ca->init)
		ca->init(sk);
}

/* Manage refcounts on socket close (3.10: module_put); runs ->release. */
void tcp_cleanup_congestion_control(struct sock *sk)
{
	const struct tcp_congestion_ops *ca = inet_csk_ca_ops(sk);

	if (ca && ca->release)
		ca->release(sk);
}

/* Used by sysctl to change default congestion control: the chosen one moves to the head of
 * the list and becomes allowed for everyone. 0 or -ENOENT. */
int tcp_set_default_congestion_control(const char *name)
{
	struct tcp_congestion_ops *ca;
	int ret = -ENOENT;

	spin_lock_bh(&tcp_cong_list_lock);
	ca = tcp_ca_find(name);
	if (ca) {
		ca->flags |= TCP_CONG_NON_RESTRICTED;	/* default is always allowed */
		list_move(&ca->list, &tcp_cong_list);
		ret = 0;
	}
	spin_unlock_bh(&tcp_cong_list_lock);
	return ret;
}

/* Append " name" (no leading space for the first) to @buf of @maxlen, as 3.10's snprintf
 * loop does, stopping (truncated) when full. */
static size_t tcp_ca_list_append(char *buf, size_t maxlen, size_t offs, const char *name)
{
	int n;

	if (offs >= maxlen)
		return offs;
	n = snprintf(buf + offs, maxlen - offs, "%s%s", offs == 0 ? "" : " ", name);
	if (n < 0)
		return offs;
	return min(offs + (size_t)n, maxlen);
}

/* Build string with list of available congestion control values. */
void tcp_get_available_congestion_control(char *buf, size_t maxlen)
{
	struct tcp_congestion_ops *ca;
	size_t offs = 0;

	if (!maxlen)
		return;
	*buf = '\0';
	spin_lock_bh(&tcp_cong_list_lock);
	list_for_each_entry(ca, &tcp_cong_list, list)
		offs = tcp_ca_list_append(buf, maxlen, offs, ca->name);
	spin_unlock_bh(&tcp_cong_list_lock);
}

/* Get current default congestion control (TCP_CA_NAME_MAX bytes at @name). */
void tcp_get_default_congestion_control(char *name)
{
	const struct tcp_congestion_ops *ca = &tcp_init_congestion_ops;

	spin_lock_bh(&tcp_cong_list_lock);
	/* We will always have reno... (once tcp_cong_init ran) */
	if (!list_empty(&tcp_cong_list))
		ca = list_first_entry(&tcp_cong_list, struct tcp_congestion_ops, list);
	strncpy(name, ca->name, TCP_CA_NAME_MAX);
	name[TCP_CA_NAME_MAX - 1] = '\0';
	spin_unlock_bh(&tcp_cong_list_lock);
}

/* Built list of non-restricted congestion control values. */
void tcp_get_allowed_congestion_control(char *buf, size_t maxlen)
{
	struct tcp_congestion_ops *ca;
	size_t offs = 0;

	if (!maxlen)
		return;
	*buf = '\0';
	spin_lock_bh(&tcp_cong_list_lock);
	list_for_each_entry(ca, &tcp_cong_list, list) {
		if (!(ca->flags & TCP_CONG_NON_RESTRICTED))
			continue;
		offs = tcp_ca_list_append(buf, maxlen, offs, ca->name);
	}
	spin_unlock_bh(&tcp_cong_list_lock);
}

/* The next name of a blank-separated list (3.10 strsep(&s, " ")): NULL at the end or at
 * an empty name (two blanks, a trailing blank), which ends the list as in 3.10. */
static char *tcp_ca_next_name(char **s)
{
	char *name = *s, *sp;

	if (!name)
		return NULL;
	sp = strchr(name, ' ');
	if (sp) {
		*sp = '\0';
		*s = sp + 1;
	} else {
		*s = NULL;
	}
	return *name ? name : NULL;
}

/* Change list of non-restricted congestion control: every name must exist (else -ENOENT,
 * nothing changed); then exactly those are allowed. @val is modified. */
int tcp_set_allowed_congestion_control(char *val)
{
	struct tcp_congestion_ops *ca;
	char *clone, *saved_clone, *name;
	int ret = 0;

	saved_clone = clone = kstrdup(val, GFP_KERNEL);
	if (!clone)
		return -ENOMEM;

	spin_lock_bh(&tcp_cong_list_lock);
	/* pass 1 check for bad entries */
	while ((name = tcp_ca_next_name(&clone)) != NULL) {
		if (!tcp_ca_find(name)) {
			ret = -ENOENT;
			goto out;
		}
	}

	/* pass 2 clear old values */
	list_for_each_entry(ca, &tcp_cong_list, list)
		ca->flags &= ~TCP_CONG_NON_RESTRICTED;

	/* pass 3 mark as allowed */
	while ((name = tcp_ca_next_name(&val)) != NULL) {
		ca = tcp_ca_find(name);
		if (ca)
			ca->flags |= TCP_CONG_NON_RESTRICTED;
	}
out:
	spin_unlock_bh(&tcp_cong_list_lock);
	kfree(saved_clone);
	return ret;
}

/* 3.10: ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN). DIVERGES: ulnet has no
 * credentials; its tasks hold CAP_NET_ADMIN unless a test sets tcp_ca_unprivileged. */
static bool tcp_ca_capable(const struct sock *sk)
{
	(void)sk;
	return !tcp_ca_unprivileged;
}

/* Change congestion control for socket (TCP_CONGESTION): 0, -ENOENT (no such algorithm),
 * -EPERM (not in tcp_allowed_congestion_control and the caller lacks CAP_NET_ADMIN).
 * Context: process, socket locked. */
int tcp_set_congestion_control(struct sock *sk, const char *name)
{
	struct tcp_congestion_ops *ca;
	unsigned long flags;

	spin_lock_bh(&tcp_cong_list_lock);
	ca = tcp_ca_find(name);
	flags = ca ? ca->flags : 0;
	spin_unlock_bh(&tcp_cong_list_lock);

	if (!ca)
		return -ENOENT;
	/* no change asking for existing value */
	if (ca == inet_csk_ca_ops(sk))
		return 0;
	if (!((flags & TCP_CONG_NON_RESTRICTED) || tcp_ca_capable(sk)))
		return -EPERM;

	tcp_cleanup_congestion_control(sk);
	inet_csk_set_ca_ops(sk, ca);
	/* (A full slot table leaves the sock on Reno, with no init to run.) */
	if (sk->sk_state != TCP_CLOSE && inet_csk_ca_ops(sk) && inet_csk_ca_ops(sk)->init)
		inet_csk_ca_ops(sk)->init(sk);
	return 0;
}

/* 3.10 sk_can_gso: the route's device segments this socket's GSO type (net_gso_ok). */
static bool tcp_ca_sk_can_gso(const struct sock *sk)
{
	u64 feature = (u64)sk->sk_gso_type << NETIF_F_GSO_SHIFT;

	return (sk->sk_route_caps & feature) == feature;
}

/* 3.10 include/net/tcp.h: the most MSS of free cwnd for which TSO defers a send. */
static inline u32 tcp_max_tso_deferred_mss(const struct tcp_sock *tp)
{
	(void)tp;
	return 3;
}

/* RFC2861 Check whether we are limited by application or congestion window. This is the
 * inverse of cwnd check in tcp_tso_should_defer: a sender that keeps up to 3 segments of
 * cwnd unused (or less than a TSO deferral's worth) still counts as cwnd-limited. */
bool tcp_is_cwnd_limited(const struct sock *sk, u32 in_flight)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 left;

	if (in_flight >= tp->snd_cwnd)
		return true;

	left = tp->snd_cwnd - in_flight;
	if (tcp_ca_sk_can_gso(sk) &&
	    left * (u32)sysctl_tcp_tso_win_divisor < tp->snd_cwnd &&
	    left * tp->mss_cache < sk->sk_gso_max_size &&
	    left < sk->sk_gso_max_segs)
		return true;
	return left <= tcp_max_tso_deferred_mss(tp);
}

/* Slow start is used when congestion window is less than slow start threshold. This
 * version implements the basic RFC2581 version (one segment per ACK: cwnd doubles per RTT
 * when every segment is ACKed) and optionally RFC3742 Limited Slow Start (above
 * tcp_max_ssthresh, at most max_ssthresh/2 segments per RTT). Context: socket locked. */
void tcp_slow_start(struct tcp_sock *tp)
{
	u32 cnt;		/* increase in packets */
	unsigned int delta = 0;
	u32 snd_cwnd = tp->snd_cwnd;

	if (unlikely(!snd_cwnd)) {
		tcp_pr_once("TCP: snd_cwnd is nul, please report this bug.\n");
		snd_cwnd = 1U;
	}

	if (sysctl_tcp_max_ssthresh > 0 && tp->snd_cwnd > (u32)sysctl_tcp_max_ssthresh)
		cnt = (u32)sysctl_tcp_max_ssthresh >> 1;	/* limited slow start */
	else
		cnt = snd_cwnd;					/* exponential increase */

	tp->snd_cwnd_cnt += cnt;
	while (tp->snd_cwnd_cnt >= snd_cwnd) {
		tp->snd_cwnd_cnt -= snd_cwnd;
		delta++;
	}
	tp->snd_cwnd = min(snd_cwnd + delta, tp->snd_cwnd_clamp);
}

/* In theory this is tp->snd_cwnd += 1 / w: one more segment after w + 1 ACKs (3.10
 * counts to w, then grows on the next one). Context: socket locked. */
void tcp_cong_avoid_ai(struct tcp_sock *tp, u32 w)
{
	if (tp->snd_cwnd_cnt >= w) {
		if (tp->snd_cwnd < tp->snd_cwnd_clamp)
			tp->snd_cwnd++;
		tp->snd_cwnd_cnt = 0;
	} else {
		tp->snd_cwnd_cnt++;
	}
}

/* TCP Reno congestion control, also the fallback. This is Jacobson's slow start and
 * congestion avoidance (SIGCOMM '88, p. 328). */
void tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 in_flight)
{
	struct tcp_sock *tp = tcp_sk(sk);

	(void)ack;
	if (!tcp_is_cwnd_limited(sk, in_flight))
		return;

	/* In "safe" area, increase. */
	if (tp->snd_cwnd <= tp->snd_ssthresh)
		tcp_slow_start(tp);
	/* In dangerous area, increase slowly. */
	else
		tcp_cong_avoid_ai(tp, tp->snd_cwnd);
}

/* Slow start threshold is half the congestion window (min 2), RFC 5681 3.1 eq. 4. */
u32 tcp_reno_ssthresh(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return max(tp->snd_cwnd >> 1U, 2U);
}

/* Lower bound on congestion window with halving. */
u32 tcp_reno_min_cwnd(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return tp->snd_ssthresh / 2;
}

struct tcp_congestion_ops tcp_reno = {
	.flags = TCP_CONG_NON_RESTRICTED,
	.name = "reno",
	.ssthresh = tcp_reno_ssthresh,
	.cong_avoid = tcp_reno_cong_avoid,
	.min_cwnd = tcp_reno_min_cwnd,
};

/* Initial congestion control used (until SYN), really reno under another name so we can
 * tell the difference during tcp_set_default_congestion_control. */
struct tcp_congestion_ops tcp_init_congestion_ops = {
	.name = "",
	.ssthresh = tcp_reno_ssthresh,
	.cong_avoid = tcp_reno_cong_avoid,
	.min_cwnd = tcp_reno_min_cwnd,
};

/* ------------------------------------------------------------------------------------------
 * The sysctls (3.10 sysctl_net_ipv4.c): global, as in 3.10. */

static int proc_tcp_congestion_control(struct ctl_table *ctl, int write, void *buffer,
				       size_t *lenp, loff_t *ppos)
{
	char val[TCP_CA_NAME_MAX];
	struct ctl_table tbl = {
		.data = val,
		.maxlen = TCP_CA_NAME_MAX,
		.mode = ctl->mode,
	};
	int ret;

	tcp_get_default_congestion_control(val);
	ret = proc_dostring(&tbl, write, buffer, lenp, ppos);
	if (write && ret == 0)
		ret = tcp_set_default_congestion_control(val);
	return ret;
}

static int proc_tcp_available_congestion_control(struct ctl_table *ctl, int write,
						 void *buffer, size_t *lenp, loff_t *ppos)
{
	struct ctl_table tbl = { .maxlen = TCP_CA_BUF_MAX, .mode = ctl->mode };
	int ret;

	tbl.data = kmalloc(TCP_CA_BUF_MAX, GFP_KERNEL);
	if (!tbl.data)
		return -ENOMEM;
	tcp_get_available_congestion_control(tbl.data, TCP_CA_BUF_MAX);
	ret = proc_dostring(&tbl, write, buffer, lenp, ppos);
	kfree(tbl.data);
	return ret;
}

static int proc_allowed_congestion_control(struct ctl_table *ctl, int write, void *buffer,
					   size_t *lenp, loff_t *ppos)
{
	struct ctl_table tbl = { .maxlen = TCP_CA_BUF_MAX, .mode = ctl->mode };
	int ret;

	tbl.data = kmalloc(TCP_CA_BUF_MAX, GFP_KERNEL);
	if (!tbl.data)
		return -ENOMEM;
	tcp_get_allowed_congestion_control(tbl.data, TCP_CA_BUF_MAX);
	ret = proc_dostring(&tbl, write, buffer, lenp, ppos);
	if (write && ret == 0)
		ret = tcp_set_allowed_congestion_control(tbl.data);
	kfree(tbl.data);
	return ret;
}

/* .data is unused by the handlers (they build the value) but the registry wants one. */
static char tcp_cong_sysctl_dummy;

static struct ctl_table tcp_cong_sysctl_table[] = {
	{ .procname = "tcp_congestion_control", .data = &tcp_cong_sysctl_dummy,
	  .maxlen = TCP_CA_NAME_MAX, .mode = 0644,
	  .proc_handler = proc_tcp_congestion_control },
	{ .procname = "tcp_available_congestion_control", .data = &tcp_cong_sysctl_dummy,
	  .maxlen = TCP_CA_BUF_MAX, .mode = 0444,
	  .proc_handler = proc_tcp_available_congestion_control },
	{ .procname = "tcp_allowed_congestion_control", .data = &tcp_cong_sysctl_dummy,
	  .maxlen = TCP_CA_BUF_MAX, .mode = 0644,
	  .proc_handler = proc_allowed_congestion_control },
	{ .procname = "tcp_max_ssthresh", .data = &sysctl_tcp_max_ssthresh,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{}
};

/* Its own table: if tcp.c ever registers the name too, only this entry is refused. */
static struct ctl_table tcp_tso_sysctl_table[] = {
	{ .procname = "tcp_tso_win_divisor", .data = &sysctl_tcp_tso_win_divisor,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{}
};

/* Boot: a fresh list (a process may boot several stacks one after another), reno, cubic,
 * the default, the sysctls. Context: process (boot, from tcp_init). */
int tcp_cong_init(void)
{
	int err;

	spin_lock_bh(&tcp_cong_list_lock);
	INIT_LIST_HEAD(&tcp_cong_list);
	spin_unlock_bh(&tcp_cong_list_lock);
	/* No sock of an earlier stack is left to hold a slot number. */
	spin_lock_bh(&tcp_ca_slots_lock);
	memset(tcp_ca_slots, 0, sizeof(tcp_ca_slots));
	spin_unlock_bh(&tcp_ca_slots_lock);
	sysctl_tcp_max_ssthresh = 0;
	sysctl_tcp_tso_win_divisor = 3;
	tcp_ca_unprivileged = false;
	tcp_reno.flags = TCP_CONG_NON_RESTRICTED;

	err = tcp_register_congestion_control(&tcp_reno);
	if (!err)
		err = cubictcp_register();
	if (!err)
		err = tcp_set_default_congestion_control(TCP_CONG_DEFAULT_NAME);
	if (err) {
		pr_err("TCP: cannot register the congestion control algorithms (%d)\n", err);
		return err;
	}
	/* (Registered once per stack: sysctl_fini forgets every table at teardown.) */
	err = register_sysctl_table_path("net/ipv4", tcp_cong_sysctl_table);
	if (err)
		pr_err("TCP: cannot register the congestion control sysctls (%d)\n", err);
	if (register_sysctl_table_path("net/ipv4", tcp_tso_sysctl_table))
		pr_err("TCP: cannot register tcp_tso_win_divisor\n");
	tcp_cong_booted = true;
	return err;
}

/* Teardown: forget the algorithms (the sysctls go with sysctl_fini). */
void tcp_cong_fini(void)
{
	if (!tcp_cong_booted)
		return;
	tcp_unregister_congestion_control(&cubictcp);
	tcp_unregister_congestion_control(&tcp_reno);
	tcp_cong_booted = false;
}
