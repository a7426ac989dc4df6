/* SPDX-License-Identifier: MIT */
/* TCP congestion control: the registry and its sysctls, TCP_CONGESTION, Reno's slow start
 * and additive increase, CUBIC's window after a loss against W(t) = C (t - K)^3 + W_max,
 * fast convergence, the TCP-friendly region, HyStart's delay and ACK-train exits, and the
 * cube root. The ops are driven directly on a real TCP sock (ul_socket in a namespace) with
 * an ACK clock made of sim-clock steps (ul_run_for), as tcp_ack would call them:
 * pkts_acked, then cong_avoid.
 * Mirrors the behaviour of linux/net/ipv4/tcp_cong.c and tcp_cubic.c (3.10). */
#include <math.h>
#include <stdlib.h>
#include "net_testutil.h"
#include "linux/jiffies.h"
#include "linux/net.h"
#include "linux/sysctl.h"
#include "net/tcp.h"
#include "net/tcp_cong.h"

#define MS (1000ULL * 1000ULL)

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
	int err = ul_test_teardown_netns_after(state, "t", 10 * MS);

	tnet = NULL;
	return err;
}

static struct sock *sk_of(int fd)
{
	int err;
	struct socket *sock = sockfd_lookup(fd, &err);
	struct sock *sk;

	assert_non_null(sock);
	sk = sock->sk;
	sockfd_put(sock);
	return sk;
}

static int tcp_fd(void)
{
	int fd = ul_socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	return fd;
}

static void want_sysctl(const char *name, const char *want)
{
	char buf[256];

	assert_int_equal(ul_sysctl_read(tnet, name, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void want_cong(int fd, const char *want)
{
	char name[64];
	socklen_t len = sizeof(name);

	memset(name, 'x', sizeof(name));
	assert_int_equal(ul_getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len), 0);
	assert_int_equal(len, TCP_CA_NAME_MAX);
	assert_string_equal(name, want);
}

static int set_cong(int fd, const char *name)
{
	return ul_setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, (socklen_t)strlen(name));
}

/* ---- registry ---- */

static void test_defaults(void **state)
{
	int fd;

	(void)state;
	want_sysctl("net.ipv4.tcp_congestion_control", "cubic");
	/* reno registered first (tcp_init), cubic next, then moved to the head as default */
	want_sysctl("net.ipv4.tcp_available_congestion_control", "cubic reno");
	want_sysctl("net.ipv4.tcp_allowed_congestion_control", "cubic reno");
	want_sysctl("net.ipv4.tcp_max_ssthresh", "0");
	want_sysctl("net.ipv4.tcp_tso_win_divisor", "3");
	fd = tcp_fd();
	want_cong(fd, "cubic");
	assert_ptr_equal(inet_csk_ca_ops(sk_of(fd)), &cubictcp);
	/* the available list is read-only */
	assert_int_not_equal(ul_sysctl_write(tnet, "net.ipv4.tcp_available_congestion_control",
					     "reno"), 0);
	ul_close(fd);
}

static void test_default_sysctl(void **state)
{
	int fd;

	(void)state;
	assert_int_equal(ul_sysctl_write(tnet, "net.ipv4.tcp_congestion_control", "reno"), 0);
	want_sysctl("net.ipv4.tcp_congestion_control", "reno");
	want_sysctl("net.ipv4.tcp_available_congestion_control", "reno cubic");
	fd = tcp_fd();
	want_cong(fd, "reno");
	ul_close(fd);

	assert_int_equal(ul_sysctl_write(tnet, "net.ipv4.tcp_congestion_control", "vegas"),
			 -ENOENT);
	want_sysctl("net.ipv4.tcp_congestion_control", "reno");
	assert_int_equal(ul_sysctl_write(tnet, "net.ipv4.tcp_congestion_control", "cubic"), 0);
	want_sysctl("net.ipv4.tcp_available_congestion_control", "cubic reno");
	fd = tcp_fd();
	want_cong(fd, "cubic");
	ul_close(fd);
}

static void test_sockopt(void **state)
{
	int fd = tcp_fd();
	struct sock *sk = sk_of(fd);

	(void)state;
	assert_int_equal(set_cong(fd, "reno"), 0);
	want_cong(fd, "reno");
	assert_ptr_equal(inet_csk_ca_ops(sk), &tcp_reno);
	assert_errno(set_cong(fd, "bogus"), ENOENT);
	want_cong(fd, "reno");
	assert_errno(ul_setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "cubic", 0), EINVAL);
	/* at most TCP_CA_NAME_MAX - 1 bytes are taken: "cubicXXXXXXXXXXXXX" is "cubicXXXXXXXXXX" */
	assert_errno(set_cong(fd, "cubicXXXXXXXXXXXXX"), ENOENT);
	/* no NUL needed: the option length ends the name */
	assert_int_equal(ul_setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "cubicjunk", 5), 0);
	want_cong(fd, "cubic");

	/* a short buffer gets the first bytes */
	{
		char name[4] = { 0 };
		socklen_t len = 3;

		assert_int_equal(ul_getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len), 0);
		assert_int_equal(len, 3);
		assert_memory_equal(name, "cub", 3);
	}
	ul_close(fd);
}

static void test_allowed(void **state)
{
	int fd = tcp_fd();

	(void)state;
	assert_int_equal(ul_sysctl_write(tnet, "net.ipv4.tcp_allowed_congestion_control", "reno"),
			 0);
	want_sysctl("net.ipv4.tcp_allowed_congestion_control", "reno");
	assert_int_equal(ul_sysctl_write(tnet, "net.ipv4.tcp_allowed_congestion_control",
					 "reno bogus"), -ENOENT);
	want_sysctl("net.ipv4.tcp_allowed_congestion_control", "reno");

	tcp_ca_unprivileged = true;
	assert_int_equal(set_cong(fd, "reno"), 0);
	assert_errno(set_cong(fd, "cubic"), EPERM);	/* restricted, no CAP_NET_ADMIN */
	want_cong(fd, "reno");
	assert_int_equal(set_cong(fd, "reno"), 0);	/* asking for the current one is fine */
	tcp_ca_unprivileged = false;
	assert_int_equal(set_cong(fd, "cubic"), 0);	/* CAP_NET_ADMIN may use any */
	want_cong(fd, "cubic");
	tcp_ca_unprivileged = true;
	assert_int_equal(set_cong(fd, "cubic"), 0);	/* no change */
	tcp_ca_unprivileged = false;

	/* making one the default allows it */
	assert_int_equal(ul_sysctl_write(tnet, "net.ipv4.tcp_congestion_control", "cubic"), 0);
	want_sysctl("net.ipv4.tcp_allowed_congestion_control", "cubic reno");
	ul_close(fd);
}

static int dummy_inits;
static int dummy_releases;
static void dummy_init(struct sock *sk)
{
	(void)sk;
	dummy_inits++;
}
static void dummy_release(struct sock *sk)
{
	(void)sk;
	dummy_releases++;
}
static struct tcp_congestion_ops dummy_ca = {
	.init = dummy_init,
	.release = dummy_release,
	.ssthresh = tcp_reno_ssthresh,
	.cong_avoid = tcp_reno_cong_avoid,
	.name = "dummy",
};
static struct tcp_congestion_ops bad_ca = { .name = "bad" };

static void test_register(void **state)
{
	char buf[TCP_CA_BUF_MAX];
	struct sock *sk;
	int fd;

	(void)state;
	dummy_inits = dummy_releases = 0;
	dummy_ca.flags = 0;
	assert_int_equal(tcp_register_congestion_control(&bad_ca), -EINVAL);
	assert_int_equal(tcp_register_congestion_control(&dummy_ca), 0);
	assert_int_equal(tcp_register_congestion_control(&dummy_ca), -EEXIST);
	tcp_get_available_congestion_control(buf, sizeof(buf));
	assert_string_equal(buf, "cubic reno dummy");
	tcp_get_available_congestion_control(buf, 8);	/* truncated, terminated */
	assert_string_equal(buf, "cubic r");

	fd = tcp_fd();
	sk = sk_of(fd);
	/* CLOSE: chosen, not initialised; an established socket is initialised at once */
	assert_int_equal(set_cong(fd, "dummy"), 0);
	assert_int_equal(dummy_inits, 0);
	assert_int_equal(set_cong(fd, "reno"), 0);
	assert_int_equal(dummy_releases, 1);
	sk->sk_state = TCP_ESTABLISHED;
	assert_int_equal(set_cong(fd, "dummy"), 0);
	assert_int_equal(dummy_inits, 1);
	sk->sk_state = TCP_CLOSE;

	/* 3.10's path: a socket still on tcp_init_congestion_ops gets the default when the
	 * connection is established */
	inet_csk_set_ca_ops(sk, &tcp_init_congestion_ops);
	want_cong(fd, "");
	tcp_init_congestion_control(sk);
	assert_ptr_equal(inet_csk_ca_ops(sk), &cubictcp);

	assert_int_equal(set_cong(fd, "dummy"), 0);
	ul_close(fd);	/* tcp_v4_destroy_sock -> tcp_cleanup_congestion_control */
	ul_run_for(MS);
	assert_int_equal(dummy_releases, 2);
	tcp_unregister_congestion_control(&dummy_ca);
	tcp_get_available_congestion_control(buf, sizeof(buf));
	assert_string_equal(buf, "cubic reno");
}

/* Over lo: a listener set to reno hands reno to its children (the child is a copy of the
 * listener); the connecting socket keeps the default. */
struct conn {
	int ready;
	char srv_ca[TCP_CA_NAME_MAX], cli_ca[TCP_CA_NAME_MAX];
	int srv_state, cli_state;
};

static int conn_server(void *arg)
{
	struct conn *c = arg;
	struct sockaddr_in sin = ul_test_sin("127.0.0.1", 5001);
	socklen_t len = TCP_CA_NAME_MAX;
	int lfd = ul_socket(AF_INET, SOCK_STREAM, 0), fd;

	if (lfd < 0 || set_cong(lfd, "reno") || ul_bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    ul_listen(lfd, 4))
		return 10;
	c->ready = 1;
	fd = ul_accept(lfd, NULL, NULL);
	if (fd < 0)
		return 11;
	c->srv_state = sk_of(fd)->sk_state;
	if (ul_getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, c->srv_ca, &len))
		return 12;
	ul_sleep(5 * MS);
	ul_close(fd);
	ul_close(lfd);
	return 0;
}

static int conn_client(void *arg)
{
	struct conn *c = arg;
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 5001);
	socklen_t len = TCP_CA_NAME_MAX;
	int fd, guard = 0;

	while (!c->ready && ++guard < 100)
		ul_sleep(MS);
	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || ul_connect(fd, (struct sockaddr *)&to, sizeof(to)))
		return 20;
	c->cli_state = sk_of(fd)->sk_state;
	if (ul_getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, c->cli_ca, &len))
		return 21;
	ul_sleep(10 * MS);
	ul_close(fd);
	return 0;
}

static void test_connected(void **state)
{
	struct ul_task *s, *c;
	struct conn cn;

	(void)state;
	memset(&cn, 0, sizeof(cn));
	s = ul_task_spawn("t", "server", 0, conn_server, &cn);
	c = ul_task_spawn("t", "client", 1, conn_client, &cn);
	assert_int_equal(ul_task_join(c), 0);
	assert_int_equal(ul_task_join(s), 0);
	assert_int_equal(cn.srv_state, TCP_ESTABLISHED);
	assert_int_equal(cn.cli_state, TCP_ESTABLISHED);
	assert_string_equal(cn.srv_ca, "reno");
	assert_string_equal(cn.cli_ca, "cubic");
}

/* ---- Reno ---- */

/* One ACK for one segment, as tcp_ack reports it: pkts_acked, then cong_avoid with the
 * window full (cwnd-limited). */
static void ack_one(struct sock *sk, s32 rtt_us)
{
	const struct tcp_congestion_ops *ca = inet_csk_ca_ops(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	tp->snd_una++;
	if (after(tp->snd_una, tp->snd_nxt))
		tp->snd_nxt = tp->snd_una;
	if (ca->pkts_acked)
		ca->pkts_acked(sk, 1, rtt_us);
	ca->cong_avoid(sk, tp->snd_una, tp->snd_cwnd);
}

static void acks(struct sock *sk, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ack_one(sk, -1);
}

static struct sock *ca_sock(int fd, struct tcp_congestion_ops *ops, u32 cwnd, u32 ssthresh)
{
	struct sock *sk = sk_of(fd);
	struct tcp_sock *tp = tcp_sk(sk);

	assert_int_equal(set_cong(fd, ops->name), 0);
	tp->snd_cwnd = cwnd;
	tp->snd_ssthresh = ssthresh;
	tp->snd_cwnd_cnt = 0;
	tp->snd_una = tp->snd_nxt = 1000;
	inet_csk(sk)->icsk_ca_state = TCP_CA_Open;
	tcp_init_congestion_control(sk);
	return sk;
}

static void test_reno(void **state)
{
	int fd = tcp_fd();
	struct sock *sk = ca_sock(fd, &tcp_reno, 10, 1000);
	struct tcp_sock *tp = tcp_sk(sk);

	(void)state;
	/* slow start: +1 per ACK, so one RTT of ACKs doubles the window */
	acks(sk, 10);
	assert_int_equal(tp->snd_cwnd, 20);
	acks(sk, 20);
	assert_int_equal(tp->snd_cwnd, 40);

	/* not cwnd-limited (4 segments of window unused, no GSO route): no growth */
	tcp_reno.cong_avoid(sk, tp->snd_una, tp->snd_cwnd - 4);
	assert_int_equal(tp->snd_cwnd, 40);
	assert_false(tcp_is_cwnd_limited(sk, 36));
	assert_true(tcp_is_cwnd_limited(sk, 37));	/* 3 left: tcp_max_tso_deferred_mss */
	assert_true(tcp_is_cwnd_limited(sk, 41));

	/* loss: ssthresh = max(cwnd/2, 2) */
	assert_int_equal(tcp_reno.ssthresh(sk), 20);
	tp->snd_cwnd = 3;
	assert_int_equal(tcp_reno.ssthresh(sk), 2);
	tp->snd_cwnd = 1;
	assert_int_equal(tcp_reno.ssthresh(sk), 2);
	tp->snd_ssthresh = 20;
	assert_int_equal(tcp_reno.min_cwnd(sk), 10);

	/* congestion avoidance: cwnd 20 > ssthresh 10 grows by one after 21 ACKs (3.10
	 * counts snd_cwnd_cnt up to cwnd, then grows on the next ACK) */
	tp->snd_cwnd = 20;
	tp->snd_ssthresh = 10;
	tp->snd_cwnd_cnt = 0;
	acks(sk, 20);
	assert_int_equal(tp->snd_cwnd, 20);
	acks(sk, 1);
	assert_int_equal(tp->snd_cwnd, 21);
	acks(sk, 21);
	assert_int_equal(tp->snd_cwnd, 21);
	acks(sk, 1);
	assert_int_equal(tp->snd_cwnd, 22);

	/* snd_cwnd_clamp holds */
	tp->snd_cwnd_clamp = 22;
	acks(sk, 100);
	assert_int_equal(tp->snd_cwnd, 22);
	ul_close(fd);
}

static void test_limited_slow_start(void **state)
{
	int fd = tcp_fd();
	struct sock *sk = ca_sock(fd, &tcp_reno, 200, 100000);
	struct tcp_sock *tp = tcp_sk(sk);

	(void)state;
	/* RFC 3742: above max_ssthresh, max_ssthresh/2 segments per RTT */
	assert_int_equal(ul_sysctl_write(tnet, "net.ipv4.tcp_max_ssthresh", "100"), 0);
	assert_int_equal(sysctl_tcp_max_ssthresh, 100);
	acks(sk, 3);
	assert_int_equal(tp->snd_cwnd, 200);
	acks(sk, 1);	/* 4 * 50 = 200: one segment */
	assert_int_equal(tp->snd_cwnd, 201);
	acks(sk, 196);
	assert_true(tp->snd_cwnd >= 245 && tp->snd_cwnd <= 250);
	/* below it, exponential again */
	tp->snd_cwnd = 50;
	tp->snd_cwnd_cnt = 0;
	acks(sk, 50);
	assert_int_equal(tp->snd_cwnd, 100);
	assert_int_equal(ul_sysctl_write(tnet, "net.ipv4.tcp_max_ssthresh", "0"), 0);
	ul_close(fd);
}

/* ---- CUBIC ---- */

#define RTT_MS 100

/* Run an ACK clock for @ms milliseconds of sim time: the window is kept full, so cwnd ACKs
 * come back per RTT, evenly spread, each with an RTT sample of RTT_MS. */
static void ack_clock(struct sock *sk, unsigned int ms)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 credit = 0;		/* segments due, in 1/RTT_MS units */
	unsigned int i, n;

	for (i = 0; i < ms; i++) {
		ul_run_for(MS);
		credit += tp->snd_cwnd;
		for (n = 0; credit >= RTT_MS && n < 100000; n++) {
			credit -= RTT_MS;
			ack_one(sk, RTT_MS * 1000);
		}
	}
}

/* A loss at @cwnd: ssthresh from the algorithm, and cwnd = ssthresh as the end of fast
 * recovery leaves it (tcp_complete_cwr). */
static void cubic_loss(struct sock *sk, u32 cwnd)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->snd_cwnd = cwnd;
	tp->snd_ssthresh = cubictcp.ssthresh(sk);
	tp->snd_cwnd = tp->snd_ssthresh;
	tp->snd_cwnd_cnt = 0;
}

/* A cubic sock past slow start with delay_min = RTT_MS. */
static struct sock *cubic_sock(int fd)
{
	struct sock *sk = ca_sock(fd, &cubictcp, 10, 2);

	/* RTT samples outside slow start (cwnd > ssthresh): delay_min only */
	ack_one(sk, RTT_MS * 1000);
	ack_one(sk, RTT_MS * 1000);
	return sk;
}

static double cubic_w(double t, double wmax, double k)
{
	return 0.4 * (t - k) * (t - k) * (t - k) + wmax;
}

static void test_cubic_ssthresh(void **state)
{
	int fd = tcp_fd();
	struct sock *sk = cubic_sock(fd);
	struct tcp_sock *tp = tcp_sk(sk);

	(void)state;
	/* first loss: ssthresh = W_max * 717 / 1024 */
	cubic_loss(sk, 100);
	assert_int_equal(tp->snd_ssthresh, 100 * 717 / 1024);
	assert_int_equal(tp->snd_ssthresh, 70);
	assert_int_equal(cubictcp.undo_cwnd(sk), 100);	/* loss_cwnd */
	cubic_loss(sk, 2);
	assert_int_equal(tp->snd_ssthresh, 2);	/* never below 2 */
	tp->snd_cwnd = 200;
	assert_int_equal(cubictcp.ssthresh(sk), 200 * 717 / 1024);
	tp->snd_cwnd = 5;
	assert_int_equal(cubictcp.undo_cwnd(sk), 200);
	tp->snd_cwnd = 300;
	assert_int_equal(cubictcp.undo_cwnd(sk), 300);
	/* a timeout (Loss state) resets the curve but keeps loss_cwnd for undo */
	tcp_set_ca_state(sk, TCP_CA_Loss);
	assert_int_equal(inet_csk(sk)->icsk_ca_state, TCP_CA_Loss);
	tp->snd_cwnd = 1;
	assert_int_equal(cubictcp.undo_cwnd(sk), 200);
	tcp_set_ca_state(sk, TCP_CA_Open);
	ul_close(fd);
}

/* cwnd after a loss at W_max = 1000 with a 100 ms RTT: concave up to K = cbrt(W_max *
 * (1 - beta) / C) = 9.08 s, flat at W_max around K, convex after; within 0.5% of W(t). */
static void test_cubic_curve(void **state)
{
	int fd = tcp_fd();
	struct sock *sk = cubic_sock(fd);
	struct tcp_sock *tp = tcp_sk(sk);
	const double wmax = 1000, beta = 717.0 / 1024;
	double k = cbrt(wmax * (1 - beta) / 0.4), t = 0;
	u32 w[8];
	int i;

	(void)state;
	cubic_loss(sk, 1000);
	assert_int_equal(tp->snd_cwnd, 700);
	/* samples at K - 6, K - 4, K - 2, K, K + 2, K + 4, K + 6 seconds */
	for (i = 0; i < 7; i++) {
		double at = k + 2.0 * (i - 3), want;
		unsigned int ms = (unsigned int)((at - t) * 1000 + 0.5);

		ack_clock(sk, ms);
		t += ms / 1000.0;
		want = cubic_w(t, wmax, k);
		w[i] = tp->snd_cwnd;
		print_message("t=%5.2fs cwnd=%u W(t)=%.1f\n", t, w[i], want);
		assert_true(fabs(w[i] - want) <= 0.005 * wmax);
	}
	/* concave, plateau, convex */
	assert_true(w[1] - w[0] > w[2] - w[1]);
	assert_true(w[2] - w[1] > w[3] - w[2]);
	assert_true(abs((int)w[3] - 1000) <= 5);
	assert_true(w[4] - w[3] < w[5] - w[4]);
	assert_true(w[5] - w[4] < w[6] - w[5]);
	ul_close(fd);
}

/* A loss below the last W_max (another flow took bandwidth): fast convergence sets W_max to
 * cwnd * (1 + beta) / 2, so the plateau is lower than where the loss happened. */
static void test_cubic_fast_convergence(void **state)
{
	int fd = tcp_fd();
	struct sock *sk = cubic_sock(fd);
	struct tcp_sock *tp = tcp_sk(sk);
	const u32 wmax2 = 900 * (1024 + 717) / 2048;	/* 765 */
	double k;

	(void)state;
	cubic_loss(sk, 1000);
	ack_clock(sk, 1000);
	cubic_loss(sk, 900);
	assert_int_equal(tp->snd_ssthresh, 900 * 717 / 1024);	/* 630 */
	k = cbrt((wmax2 - 630) / 0.4);
	ack_clock(sk, (unsigned int)(k * 1000));
	print_message("at K=%.2fs cwnd=%u (W_max %u)\n", k, tp->snd_cwnd, wmax2);
	assert_true(abs((int)tp->snd_cwnd - (int)wmax2) <= 10);
	ul_close(fd);
}

/* Small W_max: standard TCP would grow faster than the cubic, and CUBIC follows the
 * TCP-friendly estimate: + 3 (1 - beta) / (1 + beta) = 0.53 segment per RTT. */
static void test_cubic_tcp_friendly(void **state)
{
	int fd = tcp_fd();
	struct sock *sk = cubic_sock(fd);
	struct tcp_sock *tp = tcp_sk(sk);
	const double beta = 717.0 / 1024;
	double k = cbrt(20 * (1 - beta) / 0.4), reno;

	(void)state;
	cubic_loss(sk, 20);
	assert_int_equal(tp->snd_cwnd, 14);
	ack_clock(sk, (unsigned int)(k * 1000));
	/* the cubic alone would be back at 20 now */
	reno = 14 + 3 * (1 - beta) / (1 + beta) * (k * 1000 / RTT_MS);
	print_message("at K=%.2fs cwnd=%u, Reno-friendly %.1f\n", k, tp->snd_cwnd, reno);
	assert_true(tp->snd_cwnd > 23);
	assert_true(fabs(tp->snd_cwnd - reno) <= 2.5);
	ul_close(fd);
}

/* One HyStart round: everything sent so far is ACKed (so the first ACK passes the last
 * round's end_seq and starts a new round, ending at the new snd_nxt), then @nacks ACKs
 * @gap_ms apart, each with an RTT sample of @rtt_ms. */
static void hystart_round(struct sock *sk, unsigned int nacks, u32 rtt_ms, unsigned int gap_ms)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int i;

	tp->snd_una = tp->snd_nxt;
	tp->snd_nxt += 1000;
	for (i = 0; i < nacks; i++) {
		ul_run_for(gap_ms * MS);
		ack_one(sk, (s32)rtt_ms * 1000);
	}
}

/* HyStart's delay exit: slow start from cwnd 16 with ssthresh infinite. Round 1 gives
 * delay_min = 100 ms; a round whose 8 first RTTs all exceed delay_min + clamp(delay_min/16,
 * 4 ms, 16 ms) = 106.25 ms exits slow start at its 9th (ssthresh = cwnd). ACKs 5 ms apart
 * form no train. A round's first ACK still counts in the previous round (pkts_acked runs
 * before cong_avoid starts the new round). */
static void test_hystart_delay(void **state)
{
	int fd = tcp_fd();
	struct sock *sk = ca_sock(fd, &cubictcp, 16, TCP_INFINITE_SSTHRESH);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 before;

	(void)state;
	hystart_round(sk, 10, RTT_MS, 5);
	assert_int_equal(tp->snd_ssthresh, TCP_INFINITE_SSTHRESH);
	assert_int_equal(tp->snd_cwnd, 26);
	/* 105 ms: within the threshold, stays in slow start */
	hystart_round(sk, 12, RTT_MS + 5, 5);
	assert_int_equal(tp->snd_ssthresh, TCP_INFINITE_SSTHRESH);
	assert_int_equal(tp->snd_cwnd, 38);
	/* 120 ms: the first ACK (old round) and 8 samples: not yet */
	hystart_round(sk, 9, RTT_MS + 20, 5);
	assert_int_equal(tp->snd_ssthresh, TCP_INFINITE_SSTHRESH);
	assert_int_equal(tp->snd_cwnd, 47);
	ul_run_for(5 * MS);	/* the 9th sample of the round */
	ack_one(sk, (RTT_MS + 20) * 1000);
	assert_int_equal(tp->snd_ssthresh, 47);	/* ssthresh = cwnd, then this ACK's +1 */
	assert_int_equal(tp->snd_cwnd, 48);
	/* out of slow start: growth is now the cubic's, not +1 per ACK */
	before = tp->snd_cwnd;
	acks(sk, 20);
	assert_true(tp->snd_cwnd < before + 5);
	ul_close(fd);
}

static void test_hystart_ack_train(void **state)
{
	int fd = tcp_fd();
	struct sock *sk = ca_sock(fd, &cubictcp, 16, TCP_INFINITE_SSTHRESH);
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int i;

	(void)state;
	hystart_round(sk, 10, RTT_MS, 5);	/* delay_min 100 ms, no train */
	assert_int_equal(tp->snd_ssthresh, TCP_INFINITE_SSTHRESH);
	/* a new round: ACKs 1 ms apart, same RTT; the train passes delay_min >> 4 (in ms:
	 * 50 ms) after the round started */
	hystart_round(sk, 1, RTT_MS, 1);
	for (i = 0; i < 48; i++) {
		ul_run_for(MS);
		ack_one(sk, RTT_MS * 1000);
	}
	assert_int_equal(tp->snd_ssthresh, TCP_INFINITE_SSTHRESH);
	for (i = 0; i < 3 && tp->snd_ssthresh == TCP_INFINITE_SSTHRESH; i++) {
		ul_run_for(MS);
		ack_one(sk, RTT_MS * 1000);
	}
	assert_int_not_equal(tp->snd_ssthresh, TCP_INFINITE_SSTHRESH);
	assert_true(tp->snd_ssthresh >= 60 && tp->snd_ssthresh <= tp->snd_cwnd);
	ul_close(fd);
}

/* Below hystart_low_window (16) HyStart does not look. */
static void test_hystart_low_window(void **state)
{
	int fd = tcp_fd();
	struct sock *sk = ca_sock(fd, &cubictcp, 2, TCP_INFINITE_SSTHRESH);
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int i;

	(void)state;
	hystart_round(sk, 1, RTT_MS, 5);
	for (i = 0; i < 10; i++) {
		ul_run_for(MS);
		ack_one(sk, (RTT_MS + 50) * 1000);
	}
	assert_int_equal(tp->snd_cwnd, 13);
	assert_int_equal(tp->snd_ssthresh, TCP_INFINITE_SSTHRESH);
	ul_close(fd);
}

static void test_cubic_root(void **state)
{
	static const u64 big[] = { 64, 100, 511, 512, 4095, 1000000, 123456789, 750ULL << 30,
				   2681735677ULL * 300, 1ULL << 40, (1ULL << 62) + 12345,
				   ~0ULL };
	u64 a;
	unsigned int i;

	(void)state;
	for (a = 0; a < 5000; a++) {
		double want = cbrt((double)a);

		assert_true(fabs(cubic_root(a) - want) <= 1.0);
	}
	assert_int_equal(cubic_root(0), 0);
	assert_int_equal(cubic_root(1), 1);
	assert_int_equal(cubic_root(27), 3);
	assert_int_equal(cubic_root(63), 4);
	for (i = 0; i < ARRAY_SIZE(big); i++) {
		double want = cbrt((double)big[i]);

		assert_true(fabs(cubic_root(big[i]) - want) <= 1.0 + want * 0.001);
	}
	/* K for W_max 1000 after the cut to 700: 9.08 s in 1/1024 s */
	assert_true(abs((int)cubic_root(2681735677ULL * 300) - 9302) <= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_sysctl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sockopt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reno, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limited_slow_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cubic_ssthresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cubic_curve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cubic_fast_convergence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cubic_tcp_friendly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hystart_delay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hystart_ack_train, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hystart_low_window, setup, teardown),
		cmocka_unit_test(test_cubic_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
