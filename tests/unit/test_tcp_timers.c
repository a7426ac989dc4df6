/* SPDX-License-Identifier: MIT */
/* One timer per TCP connection (icsk_timer): the delayed-ACK, write and keepalive events
 * each fire at their own jiffy, in the documented order when due at the same jiffy
 * (delayed ACK, write, keepalive), follow re-arming earlier and later and stopping one
 * while others pend, hold one sock reference between them, are deferred while a task owns
 * the socket, and show in /proc/net/tcp's "tr" and "tm->when" columns as 3.10's three
 * timers do.
 * Mirrors the behaviour of linux/net/ipv4/tcp_timer.c and inet_connection_sock.c (3.10)
 * on ulnet's one-timer layout (tcp_timer_dispatch). */
#include <errno.h>
#include "net_testutil.h"
#include "tcp_bulk_testutil.h"
#include "tcp_peer_testutil.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/tcp.h"
#include "uapi/linux/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)

TCP_PEER_FIXTURES("t", false)

#define PEER_PORT 40300
#define OUR_PORT 80

static unsigned long nstat(int f)
{
	return tcp_netstat_read(tnet, f);
}

static int establish(void)
{
	int lfd;
	u32 isn, ts;

	return tcp_peer_establish(t0, PEER_PORT, OUR_PORT, &lfd, &isn, &ts, 0);
}

/* Runs the clock to jiffy @j (not in the past). */
static void run_to(unsigned long j)
{
	assert_false(time_before(j, jiffies));
	if (j != jiffies)
		ul_run_for((u64)(j - jiffies) * MS);
	assert_true(jiffies == j);
}

/* What t0 sent next: a pure ACK (seq snd_nxt), a keepalive probe (seq snd_una - 1, no
 * data) or a data segment (the retransmission of snd_una); SEG_NONE when nothing. */
enum { SEG_NONE, SEG_ACK, SEG_PROBE, SEG_DATA };
static int pop_kind(const struct sock *sk)
{
	struct tcphdr th;
	unsigned int len;

	if (!tcp_peer_pop(t0, &th, NULL, &len, TCP_PEER_POP_CHECK))
		return SEG_NONE;
	if (len) {
		assert_int_equal(ntohl(th.seq), tcp_sk(sk)->snd_una);
		return SEG_DATA;
	}
	if (ntohl(th.seq) == tcp_sk(sk)->snd_una - 1)
		return SEG_PROBE;
	assert_int_equal(ntohl(th.seq), tcp_sk(sk)->snd_nxt);
	return SEG_ACK;
}

static void send100(int fd)
{
	static const char buf[100];

	assert_int_equal(ul_send(fd, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
	ul_run_for(MS);
	assert_int_equal(pop_kind(sk_of(fd)), SEG_DATA);
}

static void set_keepalive(int fd, int idle)
{
	int on = idle > 0;

	if (on)
		assert_int_equal(ul_setsockopt(fd, SOL_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)), 0);
	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)), 0);
}

/* A delayed ACK due @when jiffies from now, as tcp_send_delayed_ack leaves it. The caller
 * locks the socket (owned: the timer only moves earlier; spinlock: exactly). */
static void arm_dack(struct sock *sk, unsigned long when)
{
	inet_csk_schedule_ack(sk);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_DACK, when, TCP_RTO_MAX);
}

/* The delayed ACK, the write timer and the keepalive all due at jiffy T: the ACK goes
 * first, then the write timer runs (a persist timer with nothing to send: it zeroes
 * icsk_probes_out), then the keepalive (its probe counts icsk_probes_out 1: it ran after
 * the write timer). Nothing at T - 1. What is left: the keepalive, keepalive_intvl on. */
static void test_same_jiffy_order(void **state)
{
	struct inet_connection_sock *icsk;
	unsigned long dack0 = nstat(LINUX_MIB_DELAYEDACKS), T;
	struct sock *sk;
	int fd;

	(void)state;
	fd = establish();
	sk = sk_of(fd);
	icsk = inet_csk(sk);
	assert_int_equal(icsk->icsk_timers, 0);
	assert_false(timer_pending(&icsk->icsk_timer));

	set_keepalive(fd, 2);
	T = jiffies + 2000;
	assert_true(inet_csk_keepalive_expires(sk) == T);
	ul_run_for(5 * MS);
	lock_sock(sk);
	arm_dack(sk, T - jiffies);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0, T - jiffies, TCP_RTO_MAX);
	release_sock(sk);
	assert_int_equal(icsk->icsk_timers,
			 ICSK_TIMER_DACK | ICSK_TIMER_WRITE | ICSK_TIMER_KEEPALIVE);
	assert_true(timer_pending(&icsk->icsk_timer));
	assert_true(icsk->icsk_timer.expires == T);

	run_to(T - 1);
	assert_int_equal(pop_kind(sk), SEG_NONE);
	run_to(T);
	assert_int_equal(pop_kind(sk), SEG_ACK);
	assert_int_equal(pop_kind(sk), SEG_PROBE);
	assert_int_equal(pop_kind(sk), SEG_NONE);
	assert_int_equal(nstat(LINUX_MIB_DELAYEDACKS), dack0 + 1);
	assert_int_equal(icsk->icsk_probes_out, 1);
	assert_int_equal(icsk->icsk_pending, 0);
	assert_int_equal(icsk->icsk_timers, ICSK_TIMER_KEEPALIVE);
	assert_true(inet_csk_keepalive_expires(sk) == T + TCP_KEEPALIVE_INTVL);
	assert_true(icsk->icsk_timer.expires == T + TCP_KEEPALIVE_INTVL);
	tcp_peer_abort_close(fd);
}

/* Re-arming: a delayed ACK armed before the RTO moves the timer earlier; moved later by
 * its owner the timer fires early, finds nothing due and re-arms, the ACK still at its
 * new jiffy; a keepalive armed and stopped while the others pend changes nothing; the RTO
 * then fires at its own jiffy. Moved earlier under the spinlock the timer follows exactly.
 * One sock reference however many events pend; none after inet_csk_clear_xmit_timers. */
static void test_rearm_and_stop(void **state)
{
	struct inet_connection_sock *icsk;
	unsigned long dack0 = nstat(LINUX_MIB_DELAYEDACKS), to0 = nstat(LINUX_MIB_TCPTIMEOUTS);
	unsigned long t0j, W;
	struct sock *sk;
	int fd, refs0;

	(void)state;
	fd = establish();
	sk = sk_of(fd);
	icsk = inet_csk(sk);
	refs0 = atomic_read(&sk->sk_refcnt);

	send100(fd);
	t0j = jiffies;
	W = inet_csk_deadline(icsk->icsk_timeout);
	assert_int_equal(icsk->icsk_pending, ICSK_TIME_RETRANS);
	assert_true(W > t0j + 150);
	assert_int_equal(icsk->icsk_timers, ICSK_TIMER_WRITE);
	assert_true(icsk->icsk_timer.expires == W);
	assert_int_equal(atomic_read(&sk->sk_refcnt), refs0 + 1);

	lock_sock(sk);
	arm_dack(sk, 50);
	assert_true(icsk->icsk_timer.expires == t0j + 50);
	arm_dack(sk, 100);	/* later: an owner only moves the timer earlier */
	assert_true(inet_csk_deadline(icsk->icsk_ack.timeout) == t0j + 100);
	assert_true(icsk->icsk_timer.expires == t0j + 50);
	release_sock(sk);
	set_keepalive(fd, 1);
	assert_int_equal(icsk->icsk_timers,
			 ICSK_TIMER_DACK | ICSK_TIMER_WRITE | ICSK_TIMER_KEEPALIVE);
	set_keepalive(fd, 0);
	assert_int_equal(icsk->icsk_timers, ICSK_TIMER_DACK | ICSK_TIMER_WRITE);
	assert_int_equal(atomic_read(&sk->sk_refcnt), refs0 + 1);

	run_to(t0j + 60);	/* the early firing re-armed the timer for the ACK */
	assert_int_equal(pop_kind(sk), SEG_NONE);
	assert_true(icsk->icsk_timer.expires == t0j + 100);
	run_to(t0j + 99);
	assert_int_equal(pop_kind(sk), SEG_NONE);
	run_to(t0j + 100);
	assert_int_equal(pop_kind(sk), SEG_ACK);
	assert_int_equal(nstat(LINUX_MIB_DELAYEDACKS), dack0 + 1);
	assert_int_equal(icsk->icsk_timers, ICSK_TIMER_WRITE);
	assert_true(icsk->icsk_timer.expires == W);

	run_to(W - 1);
	assert_int_equal(pop_kind(sk), SEG_NONE);
	run_to(W);
	assert_int_equal(pop_kind(sk), SEG_DATA);
	assert_int_equal(pop_kind(sk), SEG_NONE);
	assert_int_equal(nstat(LINUX_MIB_TCPTIMEOUTS), to0 + 1);
	assert_int_equal(icsk->icsk_retransmits, 1);
	/* backed off: the next at W + 2 RTO */
	assert_true(inet_csk_deadline(icsk->icsk_timeout) == W + icsk->icsk_rto);
	assert_true(icsk->icsk_timer.expires == W + icsk->icsk_rto);
	assert_int_equal(atomic_read(&sk->sk_refcnt), refs0 + 1);

	/* Under the spinlock (no owner) the timer follows the RTO exactly, also earlier. */
	bh_lock_sock(sk);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, 80, TCP_RTO_MAX);
	assert_true(icsk->icsk_timer.expires == jiffies + 80);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, 120, TCP_RTO_MAX);
	assert_true(icsk->icsk_timer.expires == jiffies + 120);
	inet_csk_reset_keepalive_timer(sk, 30);
	assert_true(icsk->icsk_timer.expires == jiffies + 30);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, 100, TCP_RTO_MAX);
	assert_true(icsk->icsk_timer.expires == jiffies + 30);
	inet_csk_delete_keepalive_timer(sk);
	assert_true(icsk->icsk_timer.expires == jiffies + 100);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, 5, TCP_RTO_MAX);
	bh_unlock_sock(sk);
	assert_true(icsk->icsk_timer.expires == jiffies + 5);
	assert_int_equal(atomic_read(&sk->sk_refcnt), refs0 + 1);
	W = jiffies + 5;
	run_to(W - 1);
	assert_int_equal(pop_kind(sk), SEG_NONE);
	run_to(W);
	assert_int_equal(pop_kind(sk), SEG_DATA);
	assert_int_equal(icsk->icsk_retransmits, 2);

	bh_lock_sock(sk);
	inet_csk_clear_xmit_timers(sk);
	bh_unlock_sock(sk);
	assert_int_equal(icsk->icsk_timers, 0);
	assert_false(timer_pending(&icsk->icsk_timer));
	assert_int_equal(atomic_read(&sk->sk_refcnt), refs0);
	tcp_peer_abort_close(fd);
}

/* The delayed ACK and the RTO fall due while a task owns the socket: DelayedACKLocked,
 * icsk_ack.blocked, both work bits in tsq_flags (a reference each), nothing sent; the
 * events are no longer pending. release_sock runs the write timer (the retransmission,
 * whose ACK leaves the delayed ACK nothing to do) as 3.10's tcp_release_cb. */
static void test_owned_deferral(void **state)
{
	struct inet_connection_sock *icsk;
	unsigned long locked0 = nstat(LINUX_MIB_DELAYEDACKLOCKED);
	unsigned long dack0 = nstat(LINUX_MIB_DELAYEDACKS), to0 = nstat(LINUX_MIB_TCPTIMEOUTS);
	unsigned long W;
	struct sock *sk;
	int fd, refs0;

	(void)state;
	fd = establish();
	sk = sk_of(fd);
	icsk = inet_csk(sk);
	refs0 = atomic_read(&sk->sk_refcnt);
	send100(fd);
	W = inet_csk_deadline(icsk->icsk_timeout);

	lock_sock(sk);
	arm_dack(sk, 40);
	run_to(W + 10);
	assert_int_equal(pop_kind(sk), SEG_NONE);
	assert_int_equal(nstat(LINUX_MIB_DELAYEDACKLOCKED), locked0 + 1);
	assert_int_equal(icsk->icsk_ack.blocked, 1);
	assert_true(tcp_sk(sk)->tsq_flags & (1U << TCP_WRITE_TIMER_DEFERRED));
	assert_true(tcp_sk(sk)->tsq_flags & (1U << TCP_DELACK_TIMER_DEFERRED));
	assert_int_equal(icsk->icsk_timers, 0);
	assert_false(timer_pending(&icsk->icsk_timer));
	assert_int_equal(atomic_read(&sk->sk_refcnt), refs0 + 2);
	assert_int_equal(icsk->icsk_retransmits, 0);
	release_sock(sk);

	assert_int_equal(tcp_sk(sk)->tsq_flags, 0);
	assert_int_equal(icsk->icsk_retransmits, 1);
	assert_int_equal(nstat(LINUX_MIB_TCPTIMEOUTS), to0 + 1);
	assert_int_equal(nstat(LINUX_MIB_DELAYEDACKS), dack0);
	ul_run_for(MS);
	assert_int_equal(pop_kind(sk), SEG_DATA);
	assert_int_equal(pop_kind(sk), SEG_NONE);
	assert_int_equal(icsk->icsk_timers, ICSK_TIMER_WRITE);
	assert_int_equal(atomic_read(&sk->sk_refcnt), refs0 + 1);
	tcp_peer_abort_close(fd);
}

/* The keepalive falls due while a task owns the socket: as 3.10 it tries again HZ/20
 * later, and the probe goes then, not at release_sock. */
static void test_owned_keepalive_retry(void **state)
{
	struct inet_connection_sock *icsk;
	unsigned long T;
	struct sock *sk;
	int fd;

	(void)state;
	fd = establish();
	sk = sk_of(fd);
	icsk = inet_csk(sk);
	set_keepalive(fd, 1);
	T = jiffies + 1000;
	run_to(T - 5);
	lock_sock(sk);
	run_to(T + 10);
	assert_int_equal(pop_kind(sk), SEG_NONE);
	assert_int_equal(icsk->icsk_timers, ICSK_TIMER_KEEPALIVE);
	assert_true(inet_csk_keepalive_expires(sk) == T + HZ / 20);
	release_sock(sk);
	assert_int_equal(pop_kind(sk), SEG_NONE);
	run_to(T + HZ / 20 - 1);
	assert_int_equal(pop_kind(sk), SEG_NONE);
	run_to(T + HZ / 20);
	assert_int_equal(pop_kind(sk), SEG_PROBE);
	assert_int_equal(icsk->icsk_probes_out, 1);
	tcp_peer_abort_close(fd);
}

/* The keepalive deadline is kept in 32 bits: one further than 2^31 - 1 jiffies (no
 * TCP_KEEPIDLE or sysctl reaches it) is armed at that distance, exactly. */
static void test_keepalive_far_deadline(void **state)
{
	struct sock *sk;
	unsigned long now;
	int fd;

	(void)state;
	fd = establish();
	sk = sk_of(fd);
	lock_sock(sk);
	now = jiffies;
	inet_csk_reset_keepalive_timer(sk, 3000000000UL);
	release_sock(sk);
	assert_true(inet_csk_keepalive_expires(sk) == now + ICSK_KEEPALIVE_MAX_DELAY);
	assert_true(inet_csk(sk)->icsk_timer.expires == now + ICSK_KEEPALIVE_MAX_DELAY);
	lock_sock(sk);
	inet_csk_reset_keepalive_timer(sk, 1000);
	release_sock(sk);
	assert_true(inet_csk_keepalive_expires(sk) == now + 1000);
	ul_run_for(2000 * MS);	/* SO_KEEPALIVE is off: the event goes, nothing is sent */
	assert_int_equal(pop_kind(sk), SEG_NONE);
	assert_int_equal(inet_csk(sk)->icsk_timers, 0);
	assert_false(timer_pending(&inet_csk(sk)->icsk_timer));
	tcp_peer_abort_close(fd);
}

/* The deadlines are kept in 32 bits of jiffies: the RTO, a delayed ACK and a keepalive
 * armed just before (u32)jiffies wraps fire at their exact jiffy after it. */
static void test_deadlines_across_wrap(void **state)
{
	struct inet_connection_sock *icsk;
	unsigned long wrap, W, K;
	struct sock *sk;
	int fd;

	(void)state;
	fd = establish();
	sk = sk_of(fd);
	icsk = inet_csk(sk);
	wrap = (jiffies | 0xffffffffUL) + 1;
	run_to(wrap - 100);
	send100(fd);
	W = inet_csk_deadline(icsk->icsk_timeout);
	assert_true(W > wrap && W == icsk->icsk_timer.expires);
	lock_sock(sk);
	arm_dack(sk, 150);
	release_sock(sk);
	set_keepalive(fd, 1);
	K = jiffies + 1000;
	assert_true(inet_csk_keepalive_expires(sk) == K);
	assert_true(inet_csk_deadline(icsk->icsk_ack.timeout) == wrap + 51);
	run_to(wrap + 50);
	assert_int_equal(pop_kind(sk), SEG_NONE);
	run_to(wrap + 51);
	assert_int_equal(pop_kind(sk), SEG_ACK);
	run_to(W - 1);
	assert_int_equal(pop_kind(sk), SEG_NONE);
	run_to(W);
	assert_int_equal(pop_kind(sk), SEG_DATA);
	assert_int_equal(icsk->icsk_retransmits, 1);
	tcp_peer_abort_close(fd);
}

/* The "tr" and "tm->when" columns of /proc/net/tcp for our connection (local 10.0.0.1:80). */
static void proc_timer(int *tr, unsigned long *when)
{
	char *buf, *p;
	int err = 0;

	buf = ul_proc_read("t", "/proc/net/tcp", &err);
	assert_non_null(buf);
	p = strstr(buf, "0100000A:0050 ");
	assert_non_null(p);
	/* "0100000A:0050 0200000A:9D6C 01 00000000:00000000 TR:WHEN" */
	assert_int_equal(sscanf(p, "%*s %*s %*s %*s %x:%lx", (unsigned int *)tr, when), 2);
	free(buf);
}

/* 3.10's get_tcp4_sock: 1 (RTO), 4 (zero-window probe) before 2 (keepalive, sk_timer)
 * before 0; the delayed ACK never shows. Several events pending at once. */
static void test_proc_timer_column(void **state)
{
	struct inet_connection_sock *icsk;
	unsigned long when;
	struct sock *sk;
	int fd, tr;

	(void)state;
	fd = establish();
	sk = sk_of(fd);
	icsk = inet_csk(sk);
	proc_timer(&tr, &when);
	assert_int_equal(tr, 0);
	assert_int_equal(when, 0);

	lock_sock(sk);
	arm_dack(sk, 40);
	release_sock(sk);
	proc_timer(&tr, &when);
	assert_int_equal(tr, 0);	/* the delayed ACK alone: none */

	set_keepalive(fd, 10);
	proc_timer(&tr, &when);
	assert_int_equal(tr, 2);
	assert_int_equal(when, jiffies_to_clock_t(10 * HZ));
	ul_run_for(10 * MS);
	proc_timer(&tr, &when);
	assert_int_equal(tr, 2);
	assert_int_equal(when, jiffies_to_clock_t(10 * HZ - 10));

	send100(fd);	/* the RTO now, with the keepalive and the delayed ACK */
	proc_timer(&tr, &when);
	assert_int_equal(tr, 1);
	assert_int_equal(when, jiffies_to_clock_t(inet_csk_deadline(icsk->icsk_timeout) -
						      jiffies));
	assert_int_equal(icsk->icsk_timers,
			 ICSK_TIMER_DACK | ICSK_TIMER_WRITE | ICSK_TIMER_KEEPALIVE);

	lock_sock(sk);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0, 3000, TCP_RTO_MAX);
	release_sock(sk);
	proc_timer(&tr, &when);
	assert_int_equal(tr, 4);
	assert_int_equal(when, jiffies_to_clock_t(3000));

	lock_sock(sk);
	inet_csk_clear_xmit_timer(sk, ICSK_TIME_PROBE0);
	release_sock(sk);
	proc_timer(&tr, &when);
	assert_int_equal(tr, 2);
	assert_int_equal(when, (unsigned long)jiffies_to_clock_t(inet_csk_keepalive_expires(sk) -
								   jiffies));
	set_keepalive(fd, 0);
	proc_timer(&tr, &when);
	assert_int_equal(tr, 0);
	tcp_peer_abort_close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_jiffy_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rearm_and_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owned_deferral, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owned_keepalive_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keepalive_far_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadlines_across_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proc_timer_column, setup, teardown),
	};

	/* No tail-loss probe before the RTO: these tests time the RTO itself (the probe is
	 * an ICSK_TIME_LOSS_PROBE of the same write event). */
	sysctl_tcp_early_retrans = 0;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
