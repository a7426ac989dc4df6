/* SPDX-License-Identifier: MIT */
/* TCP sockets under real concurrency (posix runtime: every task is a thread, two CPUs):
 * many threads on many sockets (ping-pong echo, byte-exact); one socket shared by several
 * threads: accept() from two threads (each connection accepted once; shutdown(SHUT_RD) of
 * the listener wakes both with EINVAL), send and recv from different threads, close()
 * while another thread blocks in recv (the recv stays blocked, as on Linux: the file is
 * still referenced; data or shutdown(SHUT_RD) ends it), close() while another thread
 * blocks in accept (the same: the next connection is accepted); a one-thread
 * edge-triggered epoll echo server with 200 clients on two other threads; and a stress
 * test bounded in time:
 * writers and readers (blocking, poll, edge-triggered epoll) on eight connections, checked
 * byte for byte, with SO_RCVTIMEO / epoll timeouts as the lost-wakeup and deadlock
 * detector. Run under ASan/UBSan; the harness's teardown checks that no object leaked.
 * Mirrors the behaviour of linux/net/ipv4/tcp.c, inet_connection_sock.c, af_inet.c
 * (inet_shutdown) and net/core/sock.c (lock_sock, sk_wait_data) (3.10). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include "harness.h"
#include "net_testutil.h"
#include "sock_tcp_testutil.h"
#include "linux/sched.h"
#include "ulnet/socket.h"

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_posix, "t", &tnet);
}

static int teardown(void **state)
{
	int err = ul_test_teardown_netns_after(state, "t", 20 * MS);

	tnet = NULL;
	return err;
}

static inline unsigned char pattern(u64 i, unsigned int seed)
{
	return (unsigned char)(i * 131 + (i >> 11) + seed);
}

static u32 xorshift(u32 *s)
{
	u32 x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static int set_rcvtimeo(int fd, int sec)
{
	struct timeval tv = { .tv_sec = sec };

	return ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static int set_sndtimeo(int fd, int sec)
{
	struct timeval tv = { .tv_sec = sec };

	return ul_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* A blocking connected pair made from the test's thread: the handshake needs no acceptor
 * (the child waits in the accept queue), so connect then accept. */
static void posix_pair(int port, int *lfd, int *cfd, int *sfd)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", port);

	*lfd = tcp_listener(port, 16, 0);
	*cfd = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(*cfd >= 0);
	assert_int_equal(ul_connect(*cfd, (struct sockaddr *)&a, sizeof(a)), 0);
	*sfd = ul_accept(*lfd, NULL, NULL);
	assert_true(*sfd >= 0);
	assert_int_equal(set_rcvtimeo(*cfd, 10), 0);
	assert_int_equal(set_rcvtimeo(*sfd, 10), 0);
	assert_int_equal(set_sndtimeo(*cfd, 10), 0);
	assert_int_equal(set_sndtimeo(*sfd, 10), 0);
}

/* Write all of @buf (a blocking socket may take it in pieces). 0 or an errno. */
static int write_all(int fd, const unsigned char *buf, size_t len)
{
	size_t off = 0;
	int guard = 0;

	while (off < len && ++guard < 1000000) {
		ssize_t n = ul_send(fd, buf + off, len - off, 0);

		if (n < 0)
			return errno;
		off += (size_t)n;
	}
	return off == len ? 0 : ETIMEDOUT;
}

/* ------------------------------------------------------------------------------------------
 * Many threads on many sockets: four echo servers, four clients, ping-pong. */

#define NPP 4
#define PP_ROUNDS 200

struct pp {
	int port;
	int ready;
	int server_err, client_err;
	u64 bytes;
};

static int pp_server(void *arg)
{
	struct pp *p = arg;
	int lfd = tcp_listener(p->port, 4, 0), fd, guard = 0;
	unsigned char buf[4096];

	__atomic_store_n(&p->ready, 1, __ATOMIC_SEQ_CST);
	fd = ul_accept(lfd, NULL, NULL);
	if (fd < 0 || set_rcvtimeo(fd, 10)) {
		p->server_err = errno;
		return 1;
	}
	while (++guard < 1000000) {
		ssize_t n = ul_recv(fd, buf, sizeof(buf), 0);

		if (n == 0)
			break;
		if (n < 0) {
			p->server_err = errno;
			break;
		}
		if (write_all(fd, buf, (size_t)n)) {
			p->server_err = errno;
			break;
		}
	}
	ul_close(fd);
	ul_close(lfd);
	return 0;
}

static int pp_client(void *arg)
{
	struct pp *p = arg;
	struct sockaddr_in a = ul_test_sin("127.0.0.1", p->port);
	unsigned char out[4000], in[4000];
	u32 seed = (u32)p->port;
	u64 pos = 0;
	int fd, r, guard = 0;

	while (!__atomic_load_n(&p->ready, __ATOMIC_SEQ_CST) && ++guard < 5000)
		ul_sleep(MS);
	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	ul_sleep(MS);
	if (fd < 0 || ul_connect(fd, (struct sockaddr *)&a, sizeof(a)) || set_rcvtimeo(fd, 10)) {
		p->client_err = errno;
		return 1;
	}
	for (r = 0; r < PP_ROUNDS; r++) {
		size_t len = 1 + xorshift(&seed) % sizeof(out), got = 0, i;

		for (i = 0; i < len; i++)
			out[i] = pattern(pos + i, (unsigned int)p->port);
		if (write_all(fd, out, len)) {
			p->client_err = errno;
			break;
		}
		while (got < len) {
			ssize_t n = ul_recv(fd, in + got, len - got, 0);

			if (n <= 0) {
				p->client_err = n ? errno : EPIPE;
				goto out;
			}
			got += (size_t)n;
		}
		if (memcmp(in, out, len)) {
			p->client_err = EBADMSG;
			break;
		}
		pos += len;
	}
out:
	p->bytes = pos;
	ul_close(fd);
	return 0;
}

static void test_many_threads_many_sockets(void **state)
{
	struct pp p[NPP];
	struct ul_task *s[NPP], *c[NPP];
	int i;

	for (i = 0; i < NPP; i++) {
		p[i] = (struct pp){ .port = 7301 + i };
		s[i] = ul_task_spawn("t", "pp-server", i % 2, pp_server, &p[i]);
		c[i] = ul_task_spawn("t", "pp-client", (i + 1) % 2, pp_client, &p[i]);
		assert_non_null(s[i]);
		assert_non_null(c[i]);
	}
	for (i = 0; i < NPP; i++) {
		assert_int_equal(ul_task_join(c[i]), 0);
		assert_int_equal(ul_task_join(s[i]), 0);
		assert_int_equal(p[i].client_err, 0);
		assert_int_equal(p[i].server_err, 0);
		assert_true(p[i].bytes >= PP_ROUNDS);
	}
}

/* ------------------------------------------------------------------------------------------
 * accept() from two threads. */

#define NCONN 40

struct acc2 {
	struct file *lfile[2];
	int seen[NCONN];
	int count[2];
	int exit_err[2];
	int bad;
};

struct acc2_arg {
	struct acc2 *a;
	int me;
};

static int acc2_task(void *arg)
{
	struct acc2_arg *x = arg;
	struct acc2 *a = x->a;
	int lfd = install_shared(a->lfile[x->me]), guard = 0;

	if (lfd < 0)
		return 1;
	while (++guard < 10 * NCONN) {
		int fd = ul_accept(lfd, NULL, NULL);
		int idx = -1;

		if (fd < 0) {
			a->exit_err[x->me] = errno;
			break;
		}
		set_rcvtimeo(fd, 10);
		if (ul_recv(fd, &idx, sizeof(idx), MSG_WAITALL) != sizeof(idx) || idx < 0 ||
		    idx >= NCONN) {
			__atomic_fetch_add(&a->bad, 1, __ATOMIC_SEQ_CST);
		} else {
			__atomic_fetch_add(&a->seen[idx], 1, __ATOMIC_SEQ_CST);
			a->count[x->me]++;
		}
		ul_close(fd);
	}
	ul_close(lfd);
	return 0;
}

static void test_accept_from_two_threads(void **state)
{
	static struct acc2 a;
	struct acc2_arg args[2];
	struct ul_task *t[2];
	struct sockaddr_in sa = ul_test_sin("127.0.0.1", 7310);
	int lfd = tcp_listener(7310, 64, 0), i, total = 0, guard = 0;

	memset(&a, 0, sizeof(a));
	for (i = 0; i < 2; i++) {
		a.lfile[i] = file_to_share(lfd);
		args[i] = (struct acc2_arg){ .a = &a, .me = i };
		t[i] = ul_task_spawn("t", "acceptor", i, acc2_task, &args[i]);
		assert_non_null(t[i]);
	}
	for (i = 0; i < NCONN; i++) {
		int c = ul_socket(AF_INET, SOCK_STREAM, 0);

		assert_int_equal(ul_connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
		assert_int_equal(ul_send(c, &i, sizeof(i), 0), (ssize_t)sizeof(i));
		ul_close(c);
	}
	/* Wait (bounded) until every connection was taken, then shut the listener down:
	 * inet_shutdown(SHUT_RD) on a listener disconnects it and wakes the acceptors still
	 * blocked, whose accept then fails with EINVAL (the socket is no longer listening). */
	while (++guard < 10000) {
		total = 0;
		for (i = 0; i < NCONN; i++)
			total += __atomic_load_n(&a.seen[i], __ATOMIC_SEQ_CST) ? 1 : 0;
		if (total == NCONN)
			break;
		ul_run_for(MS);
	}
	assert_int_equal(total, NCONN);
	ul_run_for(10 * MS);	/* both acceptors back in accept() */
	assert_int_equal(ul_shutdown(lfd, SHUT_RD), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(ul_task_join(t[i]), 0);
		assert_int_equal(a.exit_err[i], EINVAL);
	}
	assert_int_equal(a.bad, 0);
	for (i = 0; i < NCONN; i++)
		assert_int_equal(a.seen[i], 1);
	assert_int_equal(a.count[0] + a.count[1], NCONN);
	print_message("accepts: %d and %d\n", a.count[0], a.count[1]);
	ul_close(lfd);
}

/* ------------------------------------------------------------------------------------------
 * send and recv on one socket from two threads; the peer echoes. */

#define SR_BYTES (512 * 1024)

struct sr {
	struct file *f[2];
	int sfd_ready;
	int send_err, recv_err, echo_err;
	u64 received;
	struct file *peer;
};

static int sr_sender(void *arg)
{
	struct sr *s = arg;
	int fd = install_shared(s->f[0]);
	static unsigned char buf[8192];
	u64 pos = 0;
	u32 seed = 7;

	if (fd < 0)
		return 1;
	while (pos < SR_BYTES) {
		size_t len = 1 + xorshift(&seed) % sizeof(buf), i;

		if (len > SR_BYTES - pos)
			len = (size_t)(SR_BYTES - pos);
		for (i = 0; i < len; i++)
			buf[i] = pattern(pos + i, 3);
		s->send_err = write_all(fd, buf, len);
		if (s->send_err)
			break;
		pos += len;
	}
	ul_close(fd);
	return 0;
}

static int sr_receiver(void *arg)
{
	struct sr *s = arg;
	int fd = install_shared(s->f[1]), guard = 0;
	static unsigned char buf[16384];

	if (fd < 0)
		return 1;
	while (s->received < SR_BYTES && ++guard < 1000000) {
		ssize_t n = ul_recv(fd, buf, sizeof(buf), 0), i;

		if (n <= 0) {
			s->recv_err = n ? errno : EPIPE;
			break;
		}
		for (i = 0; i < n; i++)
			if (buf[i] != pattern(s->received + (u64)i, 3)) {
				s->recv_err = EBADMSG;
				goto out;
			}
		s->received += (u64)n;
	}
out:
	ul_close(fd);
	return 0;
}

static int sr_echo(void *arg)
{
	struct sr *s = arg;
	int fd = install_shared(s->peer), guard = 0;
	u64 done = 0;
	static unsigned char buf[16384];

	if (fd < 0)
		return 1;
	while (done < SR_BYTES && ++guard < 1000000) {
		ssize_t n = ul_recv(fd, buf, sizeof(buf), 0);

		if (n <= 0) {
			s->echo_err = n ? errno : EPIPE;
			break;
		}
		s->echo_err = write_all(fd, buf, (size_t)n);
		if (s->echo_err)
			break;
		done += (u64)n;
	}
	ul_close(fd);
	return 0;
}

static void test_send_recv_from_two_threads(void **state)
{
	struct sr s = { 0 };
	struct ul_task *t[3];
	int lfd, cfd, sfd;

	posix_pair(7320, &lfd, &cfd, &sfd);
	s.f[0] = file_to_share(cfd);
	s.f[1] = file_to_share(cfd);
	s.peer = file_to_share(sfd);
	ul_close(cfd);	/* the two threads hold the socket now */
	ul_close(sfd);
	t[0] = ul_task_spawn("t", "echo", 0, sr_echo, &s);
	t[1] = ul_task_spawn("t", "receiver", 1, sr_receiver, &s);
	t[2] = ul_task_spawn("t", "sender", 0, sr_sender, &s);
	assert_non_null(t[0]);
	assert_non_null(t[1]);
	assert_non_null(t[2]);
	assert_int_equal(ul_task_join(t[2]), 0);
	assert_int_equal(ul_task_join(t[1]), 0);
	assert_int_equal(ul_task_join(t[0]), 0);
	assert_int_equal(s.send_err, 0);
	assert_int_equal(s.recv_err, 0);
	assert_int_equal(s.echo_err, 0);
	assert_int_equal(s.received, SR_BYTES);
	ul_close(lfd);
}

/* ------------------------------------------------------------------------------------------
 * close() while another thread blocks in recv. */

struct cb {
	struct file *f;
	int phase;		/* 1: in the first recv, 2: first returned, 3: in the second */
	ssize_t got1, got2;
	int err1, err2;
	char data[8];
};

static int cb_reader(void *arg)
{
	struct cb *c = arg;
	int fd = install_shared(c->f);

	if (fd < 0)
		return 1;
	__atomic_store_n(&c->phase, 1, __ATOMIC_SEQ_CST);
	errno = 0;
	c->got1 = ul_recv(fd, c->data, sizeof(c->data), 0);
	c->err1 = errno;
	__atomic_store_n(&c->phase, 2, __ATOMIC_SEQ_CST);
	ul_sleep(20 * MS);
	__atomic_store_n(&c->phase, 3, __ATOMIC_SEQ_CST);
	errno = 0;
	c->got2 = ul_recv(fd, c->data, sizeof(c->data), 0);
	c->err2 = errno;
	__atomic_store_n(&c->phase, 4, __ATOMIC_SEQ_CST);
	ul_close(fd);
	return 0;
}

static void test_close_while_blocked_in_recv(void **state)
{
	struct cb c = { 0 };
	struct ul_task *t;
	struct file *keep;
	int lfd, cfd, sfd, fd2, guard = 0;

	posix_pair(7330, &lfd, &cfd, &sfd);
	c.f = file_to_share(cfd);
	keep = file_to_share(cfd);
	t = ul_task_spawn("t", "reader", 1, cb_reader, &c);
	assert_non_null(t);
	while (__atomic_load_n(&c.phase, __ATOMIC_SEQ_CST) < 1 && ++guard < 5000)
		ul_run_for(MS);
	ul_run_for(20 * MS);	/* in sk_wait_data by now */

	/* close() of our fd: it succeeds, the socket lives on (the reader's reference) and
	 * the reader stays blocked: no wakeup, no error, no FIN sent. */
	assert_int_equal(ul_close(cfd), 0);
	ul_run_for(100 * MS);
	assert_int_equal(__atomic_load_n(&c.phase, __ATOMIC_SEQ_CST), 1);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_ESTABLISHED);
	/* Data ends the wait. */
	assert_int_equal(ul_send(sfd, "late", 4, 0), 4);
	guard = 0;
	while (__atomic_load_n(&c.phase, __ATOMIC_SEQ_CST) < 3 && ++guard < 5000)
		ul_run_for(MS);
	assert_int_equal(c.got1, 4);
	assert_memory_equal(c.data, "late", 4);

	/* Blocked again; shutdown(SHUT_RD) from another fd of the same socket wakes it with
	 * 0 (RCV_SHUTDOWN, sk_state_change). */
	ul_run_for(20 * MS);
	assert_int_equal(__atomic_load_n(&c.phase, __ATOMIC_SEQ_CST), 3);
	fd2 = install_shared(keep);
	assert_true(fd2 >= 0);
	assert_int_equal(ul_shutdown(fd2, SHUT_RD), 0);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(c.got2, 0);
	assert_int_equal(c.err1, 0);
	assert_int_equal(c.err2, 0);
	ul_close(fd2);
	ul_close(sfd);
	ul_close(lfd);
}

/* ------------------------------------------------------------------------------------------
 * Stress: eight connections, a writer and a reader each; readers block in recv, in poll or
 * in edge-triggered epoll. About two seconds of real time. */

#define NST 8
#define ST_MS 1500

struct st {
	struct file *wf, *rf;
	int mode;		/* 0 recv, 1 poll + MSG_DONTWAIT, 2 epoll EPOLLET */
	unsigned int seed;
	u64 written, read;
	int werr, rerr;
	u64 stop_at;
};

static int st_writer(void *arg)
{
	struct st *s = arg;
	int fd = install_shared(s->wf);
	unsigned char buf[6000];
	u32 rnd = s->seed * 2654435761u + 1;
	int guard = 0;

	if (fd < 0)
		return 1;
	while (ul_now_ns() < s->stop_at && ++guard < 10000000) {
		size_t len = 1 + xorshift(&rnd) % sizeof(buf), i;

		for (i = 0; i < len; i++)
			buf[i] = pattern(s->written + i, s->seed);
		s->werr = write_all(fd, buf, len);
		if (s->werr)
			break;
		s->written += len;
		if (xorshift(&rnd) % 64 == 0)
			ul_sleep(MS);
	}
	ul_shutdown(fd, SHUT_WR);
	ul_close(fd);
	return 0;
}

/* Check and count @n bytes. 0 or EBADMSG. */
static int st_take(struct st *s, const unsigned char *buf, ssize_t n)
{
	ssize_t i;

	for (i = 0; i < n; i++)
		if (buf[i] != pattern(s->read + (u64)i, s->seed))
			return EBADMSG;
	s->read += (u64)n;
	return 0;
}

static int st_reader(void *arg)
{
	struct st *s = arg;
	int fd = install_shared(s->rf), ep = -1, guard = 0;
	unsigned char buf[8192];
	u32 rnd = s->seed + 99;

	if (fd < 0)
		return 1;
	if (s->mode == 2) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET };

		ep = ul_epoll_create1(0);
		if (ul_fcntl(fd, F_SETFL, O_NONBLOCK) || ul_epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
			return 2;
	}
	while (++guard < 10000000) {
		size_t want = 1 + xorshift(&rnd) % sizeof(buf);
		ssize_t n = 0;

		if (s->mode == 1) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (ul_poll(&p, 1, 10000) != 1) {
				s->rerr = ETIMEDOUT;	/* a lost wakeup */
				break;
			}
			n = ul_recv(fd, buf, want, MSG_DONTWAIT);
			if (n < 0 && errno == EAGAIN) {
				s->rerr = EAGAIN;	/* POLLIN without data */
				break;
			}
		} else if (s->mode == 2) {
			struct epoll_event ev;
			int k = 0;

			if (ul_epoll_wait(ep, &ev, 1, 10000) != 1) {
				s->rerr = ETIMEDOUT;
				break;
			}
			/* Edge-triggered: drain until EAGAIN or EOF. */
			while (++k < 100000) {
				n = ul_recv(fd, buf, want, 0);
				if (n <= 0)
					break;
				s->rerr = st_take(s, buf, n);
				if (s->rerr)
					goto out;
			}
			if (n > 0 || (n < 0 && errno == EAGAIN))
				continue;
		} else {
			n = ul_recv(fd, buf, want, 0);
		}
		if (n == 0)
			break;
		if (n < 0) {
			s->rerr = errno;
			break;
		}
		s->rerr = st_take(s, buf, n);
		if (s->rerr)
			break;
	}
out:
	if (ep >= 0)
		ul_close(ep);
	ul_close(fd);
	return 0;
}

static void test_stress(void **state)
{
	struct st s[NST];
	struct ul_task *w[NST], *r[NST];
	int i, lfd, cfd, sfd;
	u64 stop = ul_now_ns() + ST_MS * MS, total = 0;

	for (i = 0; i < NST; i++) {
		posix_pair(7340 + i, &lfd, &cfd, &sfd);
		s[i] = (struct st){ .wf = file_to_share(cfd), .rf = file_to_share(sfd),
				    .mode = i % 3, .seed = (unsigned int)i + 1, .stop_at = stop };
		ul_close(cfd);
		ul_close(sfd);
		ul_close(lfd);
	}
	for (i = 0; i < NST; i++) {
		r[i] = ul_task_spawn("t", "st-reader", i % 2, st_reader, &s[i]);
		w[i] = ul_task_spawn("t", "st-writer", (i + 1) % 2, st_writer, &s[i]);
		assert_non_null(r[i]);
		assert_non_null(w[i]);
	}
	for (i = 0; i < NST; i++) {
		assert_int_equal(ul_task_join(w[i]), 0);
		assert_int_equal(ul_task_join(r[i]), 0);
		assert_int_equal(s[i].werr, 0);
		assert_int_equal(s[i].rerr, 0);
		assert_true(s[i].written > 0);
		assert_int_equal(s[i].read, s[i].written);
		total += s[i].read;
	}
	print_message("stress: %llu bytes over %d connections\n", (unsigned long long)total, NST);
}

/* ------------------------------------------------------------------------------------------
 * close() of a listener while another thread blocks in accept: the accept stays blocked
 * (the file is still referenced) and takes the next connection. */

struct cla {
	struct file *f;
	int done, fd, err;
};

static int cla_task(void *arg)
{
	struct cla *c = arg;
	int lfd = install_shared(c->f);

	if (lfd < 0)
		return 1;
	c->fd = ul_accept(lfd, NULL, NULL);
	c->err = c->fd < 0 ? errno : 0;
	__atomic_store_n(&c->done, 1, __ATOMIC_SEQ_CST);
	if (c->fd >= 0)
		ul_close(c->fd);
	ul_close(lfd);
	return 0;
}

static void test_close_while_blocked_in_accept(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7350);
	int lfd = tcp_listener(7350, 4, 0), c;
	struct cla x = { .fd = -1 };
	struct ul_task *t;

	x.f = file_to_share(lfd);
	t = ul_task_spawn("t", "acceptor", 1, cla_task, &x);
	assert_non_null(t);
	ul_run_for(20 * MS);
	assert_int_equal(ul_close(lfd), 0);
	ul_run_for(50 * MS);
	assert_int_equal(__atomic_load_n(&x.done, __ATOMIC_SEQ_CST), 0);
	c = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(ul_connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(x.err, 0);
	assert_true(x.fd >= 0);
	ul_close(c);
}

/* ------------------------------------------------------------------------------------------
 * A one-thread epoll echo server (edge-triggered, non-blocking) and 200 clients in two
 * threads, on real threads: wakeups from softirqs on the other CPU into ep_poll. */

#define EP_CLIENTS 100	/* per client thread */
#define EP_PORT 7351

struct epe {
	int ready, stop;
	int served, accepted, closed, errors;
	int client_ok[2];
};

static int epe_server(void *arg)
{
	struct epe *e = arg;
	struct epoll_event evs[32];
	int lfd = tcp_listener(EP_PORT, 128, SOCK_NONBLOCK), ep = ul_epoll_create1(0);
	int rounds = 0;
	struct epoll_event lev = { .events = EPOLLIN, .data.fd = lfd };
	char buf[64];

	if (ep < 0 || ul_epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev))
		return 1;
	__atomic_store_n(&e->ready, 1, __ATOMIC_SEQ_CST);
	while (e->closed < 2 * EP_CLIENTS && ++rounds < 1000000) {
		int n = ul_epoll_wait(ep, evs, 32, 10000), i;

		if (n <= 0) {
			e->errors++;	/* 10 s without an event: a lost wakeup */
			break;
		}
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd, k = 0;

			if (fd == lfd) {
				int c;

				while ((c = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0 &&
				       ++k < 10000) {
					struct epoll_event cev = { .events = EPOLLIN | EPOLLET,
								   .data.fd = c };

					e->accepted++;
					if (ul_epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev))
						e->errors++;
				}
				continue;
			}
			/* Edge-triggered: read until EAGAIN or EOF. */
			while (++k < 10000) {
				ssize_t len = ul_read(fd, buf, sizeof(buf));

				if (len > 0) {
					if (ul_write(fd, buf, (size_t)len) != len)
						e->errors++;
					e->served++;
					continue;
				}
				if (len == 0) {
					ul_close(fd);
					e->closed++;
				} else if (errno != EAGAIN) {
					e->errors++;
				}
				break;
			}
		}
	}
	ul_close(ep);
	ul_close(lfd);
	return 0;
}

struct epc_arg {
	struct epe *e;
	int me;
};

static int epe_clients(void *arg)
{
	struct epc_arg *x = arg;
	struct sockaddr_in a = ul_test_sin("127.0.0.1", EP_PORT);
	int fds[EP_CLIENTS], i, guard = 0, ok = 0;
	char msg[32], buf[32];

	while (!__atomic_load_n(&x->e->ready, __ATOMIC_SEQ_CST) && ++guard < 5000)
		ul_sleep(MS);
	for (i = 0; i < EP_CLIENTS; i++) {
		fds[i] = ul_socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] < 0 || ul_connect(fds[i], (struct sockaddr *)&a, sizeof(a)) ||
		    set_rcvtimeo(fds[i], 10))
			return 10;
	}
	for (i = 0; i < EP_CLIENTS; i++) {
		int len = snprintf(msg, sizeof(msg), "c%d-%d", x->me, i);

		if (ul_write(fds[i], msg, (size_t)len) != len)
			return 11;
	}
	for (i = 0; i < EP_CLIENTS; i++) {
		int len = snprintf(msg, sizeof(msg), "c%d-%d", x->me, i);

		if (ul_recv(fds[i], buf, (size_t)len, MSG_WAITALL) == len &&
		    !memcmp(buf, msg, (size_t)len))
			ok++;
	}
	for (i = 0; i < EP_CLIENTS; i++)
		ul_close(fds[i]);
	x->e->client_ok[x->me] = ok;
	return 0;
}

static void test_epoll_echo_server_threads(void **state)
{
	static struct epe e;
	struct epc_arg args[2];
	struct ul_task *srv, *cli[2];
	int i;

	memset(&e, 0, sizeof(e));
	srv = ul_task_spawn("t", "ep-server", 0, epe_server, &e);
	assert_non_null(srv);
	for (i = 0; i < 2; i++) {
		args[i] = (struct epc_arg){ .e = &e, .me = i };
		cli[i] = ul_task_spawn("t", "ep-clients", 1, epe_clients, &args[i]);
		assert_non_null(cli[i]);
	}
	for (i = 0; i < 2; i++)
		assert_int_equal(ul_task_join(cli[i]), 0);
	assert_int_equal(ul_task_join(srv), 0);
	assert_int_equal(e.errors, 0);
	assert_int_equal(e.accepted, 2 * EP_CLIENTS);
	assert_int_equal(e.closed, 2 * EP_CLIENTS);
	assert_true(e.served >= 2 * EP_CLIENTS);
	assert_int_equal(e.client_ok[0], EP_CLIENTS);
	assert_int_equal(e.client_ok[1], EP_CLIENTS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_many_threads_many_sockets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_from_two_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_recv_from_two_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_while_blocked_in_recv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_while_blocked_in_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epoll_echo_server_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stress, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
