/* SPDX-License-Identifier: MIT */
/* TCP's prequeue (net.ipv4.tcp_low_latency = 0): a reader blocked in recv gets the
 * segments softirq queued for it and runs them through tcp_rcv_established in its own task,
 * which copies in-order data straight into its buffer (TCPPrequeued,
 * TCPDirectCopyFromPrequeue, TCPDirectCopyFromBacklog, TCPHPHitsToUser); tcp_low_latency = 1
 * bypasses it; past sk_rcvbuf softirq processes the queue itself (TCPPrequeueDropped); a
 * reset, a FIN or a shutdown while the reader waits ends its recv and detaches its buffer.
 * Mirrors the behaviour of linux/net/ipv4/tcp.c (tcp_recvmsg, tcp_prequeue_process),
 * tcp_ipv4.c (tcp_v4_rcv, tcp_prequeue in include/net/tcp.h) and tcp_input.c
 * (tcp_rcv_established's direct copy) (3.10). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "net_testutil.h"
#include "sock_tcp_testutil.h"
#include "linux/sched.h"
#include "net/tcp.h"
#include "trace/path.h"
#include "ulnet/socket.h"

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
	int err;

	ul_sysctl_set("t", "net.ipv4.tcp_low_latency", "0");
	err = ul_test_teardown_netns_after(state, "t", 10 * MS);
	tnet = NULL;
	return err;
}

static unsigned long mib(int field)
{
	return tcp_netstat_read(tnet, field);
}

/* The reader: blocks in one recv of up to @want bytes (MSG_WAITALL if @waitall) on its
 * own fd for the shared file @f, then records what it got. */
struct reader {
	struct file *f;
	size_t want;
	int waitall;
	int ready;
	int done;
	ssize_t got;
	int err;
	unsigned char buf[65536];
};

static int reader_fn(void *arg)
{
	struct reader *r = arg;
	int fd = install_shared(r->f);

	if (fd < 0)
		return 1;
	r->ready = 1;
	r->got = ul_recv(fd, r->buf, r->want, r->waitall ? MSG_WAITALL : 0);
	r->err = r->got < 0 ? errno : 0;
	r->done = 1;
	ul_close(fd);
	return 0;
}

/* A reader task on @cfd (blocking), blocked in recv (5 ms of virtual time with nothing to
 * read). */
static struct ul_task *spawn_blocked_reader(struct reader *r, int cfd)
{
	struct ul_task *t;

	r->f = file_to_share(cfd);
	t = ul_task_spawn("t", "reader", 0, reader_fn, r);
	assert_non_null(t);
	ul_run_for(5 * MS);
	assert_true(r->ready);
	assert_false(r->done);
	/* The reader installed its buffer: tcp_recvmsg's tcp_ucopy, on its stack. */
	assert_non_null(tcp_ucopy(sk_of(cfd)));
	return t;
}

/* A connected pair on @port, the client end (*cfd) blocking. The active opener starts
 * with header prediction off when window scaling is on (3.10's tcp_finish_connect): one
 * byte first, read without blocking, turns it on (tcp_fast_path_check). */
static void warm_pair(int port, int *lfd, int *cfd, int *sfd)
{
	char c;

	tcp_pair(port, lfd, cfd, sfd);
	assert_int_equal(tcp_sk(sk_of(*cfd))->pred_flags, 0);
	assert_int_equal(ul_send(*sfd, "w", 1, 0), 1);
	ul_run_for(MS);
	assert_int_equal(ul_recv(*cfd, &c, 1, MSG_DONTWAIT), 1);
	assert_int_not_equal(tcp_sk(sk_of(*cfd))->pred_flags, 0);
	assert_int_equal(ul_fcntl(*cfd, F_SETFL, 0), 0);
}

/* warm_pair, then a reader blocked on the client end. */
static struct ul_task *blocked_reader(int port, struct reader *r, int *lfd, int *cfd, int *sfd)
{
	warm_pair(port, lfd, cfd, sfd);
	return spawn_blocked_reader(r, *cfd);
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static int nodelay(int fd)
{
	int one = 1;

	return ul_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Index of the first event of @func at or after @from (in the reader's task if @comm),
 * or -1. */
static long find_event(size_t from, const char *func, const char *comm)
{
	for (size_t i = from; i < ul_trace_count(); i++) {
		const struct ul_trace_event *e = ul_trace_event(i);

		if (strcmp(e->func, func))
			continue;
		if (comm && (e->ctx != UL_CTX_TASK || strcmp(e->comm, comm)))
			continue;
		return (long)i;
	}
	return -1;
}

/* The first segment to the active opener takes the slow path (header prediction is off
 * until then): tcp_data_queue copies it straight into the blocked reader's buffer too. */
static void test_slow_path_direct_copy(void **state)
{
	static unsigned char data[700];
	struct reader r = { .want = 4096 };
	unsigned long pq0 = mib(LINUX_MIB_TCPPREQUEUED);
	unsigned long dcp0 = mib(LINUX_MIB_TCPDIRECTCOPYFROMPREQUEUE);
	unsigned long hpu0 = mib(LINUX_MIB_TCPHPHITSTOUSER);
	struct ul_task *t;
	int lfd, cfd, sfd;

	(void)state;
	tcp_pair(7308, &lfd, &cfd, &sfd);
	assert_int_equal(tcp_sk(sk_of(cfd))->pred_flags, 0);
	assert_int_equal(ul_fcntl(cfd, F_SETFL, 0), 0);
	t = spawn_blocked_reader(&r, cfd);
	fill(data, sizeof(data), 1);
	assert_int_equal(ul_send(sfd, data, sizeof(data), 0), (ssize_t)sizeof(data));
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(r.got, (ssize_t)sizeof(data));
	assert_memory_equal(r.buf, data, sizeof(data));
	assert_int_equal(mib(LINUX_MIB_TCPPREQUEUED) - pq0, 1);
	assert_int_equal(mib(LINUX_MIB_TCPDIRECTCOPYFROMPREQUEUE) - dcp0, sizeof(data));
	assert_int_equal(mib(LINUX_MIB_TCPHPHITSTOUSER), hpu0);
	assert_int_equal(atomic_read(&sk_of(cfd)->sk_rmem_alloc), 0);
	assert_null(tcp_ucopy(sk_of(cfd)));
	/* ... and turned header prediction on. */
	assert_int_not_equal(tcp_sk(sk_of(cfd))->pred_flags, 0);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* One segment to a blocked reader: softirq queues it (tcp_prequeue) and wakes the reader,
 * which runs it (tcp_prequeue_process, then tcp_rcv_established, in its task) and copies
 * the payload straight into its buffer by header prediction (TCPHPHitsToUser). */
static void test_blocked_reader_gets_data_through_prequeue(void **state)
{
	static unsigned char data[1000];
	struct reader r = { .want = 4096 };
	unsigned long pq0 = mib(LINUX_MIB_TCPPREQUEUED);
	unsigned long dcp0 = mib(LINUX_MIB_TCPDIRECTCOPYFROMPREQUEUE);
	unsigned long dcb0 = mib(LINUX_MIB_TCPDIRECTCOPYFROMBACKLOG);
	unsigned long hpu0 = mib(LINUX_MIB_TCPHPHITSTOUSER);
	unsigned long hp0 = mib(LINUX_MIB_TCPHPHITS);
	unsigned long drop0 = mib(LINUX_MIB_TCPPREQUEUEDROPPED);
	struct ul_task *t;
	int lfd, cfd, sfd;
	long a, b, c;

	(void)state;
	t = blocked_reader(7301, &r, &lfd, &cfd, &sfd);
	fill(data, sizeof(data), 3);
	assert_int_equal(ul_trace_start(0), 0);
	assert_int_equal(ul_send(sfd, data, sizeof(data), 0), (ssize_t)sizeof(data));
	/* Softirq only queued it: nothing on the receive queue, nothing copied yet. */
	assert_false(r.done);
	assert_int_equal(tcp_ucopy(sk_of(cfd))->prequeue.qlen, 1);
	assert_true(skb_queue_empty(&sk_of(cfd)->sk_receive_queue));
	assert_int_equal(ul_task_join(t), 0);
	ul_trace_stop();

	assert_int_equal(r.got, (ssize_t)sizeof(data));
	assert_memory_equal(r.buf, data, sizeof(data));
	assert_int_equal(mib(LINUX_MIB_TCPPREQUEUED) - pq0, 1);
	assert_int_equal(mib(LINUX_MIB_TCPDIRECTCOPYFROMPREQUEUE) - dcp0, sizeof(data));
	assert_int_equal(mib(LINUX_MIB_TCPDIRECTCOPYFROMBACKLOG) - dcb0, 0);
	assert_int_equal(mib(LINUX_MIB_TCPHPHITSTOUSER) - hpu0, 1);
	assert_int_equal(mib(LINUX_MIB_TCPHPHITS) - hp0, 0);
	assert_int_equal(mib(LINUX_MIB_TCPPREQUEUEDROPPED) - drop0, 0);
	/* The reader left tcp_recvmsg: its buffer is detached, nothing was charged. */
	assert_null(tcp_ucopy(sk_of(cfd)));
	assert_int_equal(atomic_read(&sk_of(cfd)->sk_rmem_alloc), 0);
	assert_int_equal(tcp_sk(sk_of(cfd))->copied_seq, tcp_sk(sk_of(cfd))->rcv_nxt);

	/* The path: tcp_prequeue (in softirq), then the reader's task runs
	 * tcp_prequeue_process and the segment's tcp_rcv_established. */
	a = find_event(0, "tcp_prequeue", NULL);
	if (a < 0)
		ul_trace_write_text(stderr);
	assert_true(a >= 0);
	assert_int_not_equal(ul_trace_event((size_t)a)->ctx, UL_CTX_TASK);
	b = find_event((size_t)a, "tcp_prequeue_process", "reader");
	assert_true(b > a);
	c = find_event((size_t)b, "tcp_rcv_established", "reader");
	assert_true(c > b);
	assert_int_equal(ul_trace_event((size_t)c)->skb_id, ul_trace_event((size_t)a)->skb_id);
	/* No tcp_rcv_established for it in softirq before the reader ran. */
	assert_int_equal(find_event((size_t)a, "tcp_rcv_established", NULL), c);
	ul_trace_reset();

	/* With no reader waiting the segment takes the normal path (receive queue). */
	assert_int_equal(ul_send(sfd, data, 10, 0), 10);
	ul_run_for(MS);
	assert_int_equal(mib(LINUX_MIB_TCPPREQUEUED) - pq0, 1);
	assert_int_equal(mib(LINUX_MIB_TCPHPHITS) - hp0, 1);
	assert_int_equal(ul_recv(cfd, r.buf, sizeof(r.buf), MSG_DONTWAIT), 10);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* A burst the sender's cwnd cuts: the prequeued part is copied by the reader, whose ACKs
 * (sent from its task, processed when tcp_copy_to_iovec turns bottom halves back on) let
 * the sender send more; those land on the backlog of the socket the reader owns, and
 * release_sock copies them straight in too (TCPDirectCopyFromBacklog). Every byte arrives,
 * in order, in one recv. */
static void test_direct_copy_from_prequeue_and_backlog(void **state)
{
	static unsigned char data[40 * 1024];
	struct reader r = { .want = sizeof(data), .waitall = 1 };
	unsigned long pq0 = mib(LINUX_MIB_TCPPREQUEUED);
	unsigned long dcp0 = mib(LINUX_MIB_TCPDIRECTCOPYFROMPREQUEUE);
	unsigned long dcb0 = mib(LINUX_MIB_TCPDIRECTCOPYFROMBACKLOG);
	unsigned long bld0 = mib(LINUX_MIB_TCPBACKLOGDROP);
	unsigned long dcp, dcb;
	struct ul_task *t;
	int lfd, cfd, sfd;

	(void)state;
	t = blocked_reader(7302, &r, &lfd, &cfd, &sfd);
	assert_int_equal(nodelay(sfd), 0);
	fill(data, sizeof(data), 11);
	for (size_t off = 0; off < sizeof(data); off += 1024)
		assert_int_equal(ul_send(sfd, data + off, 1024, 0), 1024);
	assert_int_equal(ul_task_join(t), 0);

	assert_int_equal(r.got, (ssize_t)sizeof(data));
	assert_memory_equal(r.buf, data, sizeof(data));
	dcp = mib(LINUX_MIB_TCPDIRECTCOPYFROMPREQUEUE) - dcp0;
	dcb = mib(LINUX_MIB_TCPDIRECTCOPYFROMBACKLOG) - dcb0;
	assert_true(mib(LINUX_MIB_TCPPREQUEUED) > pq0);
	assert_true(dcp > 0 && dcp % 1024 == 0);
	assert_true(dcb > 0 && dcb % 1024 == 0);
	assert_true(dcp + dcb <= sizeof(data));
	assert_int_equal(mib(LINUX_MIB_TCPBACKLOGDROP) - bld0, 0);
	assert_int_equal(tcp_mib_read(tnet, TCP_MIB_RETRANSSEGS), 0);
	assert_null(tcp_ucopy(sk_of(cfd)));
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* net.ipv4.tcp_low_latency = 1: no prequeue, softirq runs the segment and queues it. */
static void test_low_latency_bypasses_prequeue(void **state)
{
	static unsigned char data[1000];
	struct reader r = { .want = 4096 };
	unsigned long pq0 = mib(LINUX_MIB_TCPPREQUEUED);
	unsigned long dcp0 = mib(LINUX_MIB_TCPDIRECTCOPYFROMPREQUEUE);
	unsigned long hpu0 = mib(LINUX_MIB_TCPHPHITSTOUSER);
	unsigned long hp0 = mib(LINUX_MIB_TCPHPHITS);
	char val[16];
	struct ul_task *t;
	int lfd, cfd, sfd;
	long a;

	(void)state;
	assert_int_equal(ul_sysctl_get("t", "net.ipv4.tcp_low_latency", val, sizeof(val)), 0);
	assert_string_equal(val, "0");
	assert_int_equal(ul_sysctl_set("t", "net.ipv4.tcp_low_latency", "1"), 0);
	assert_int_equal(sysctl_tcp_low_latency, 1);

	warm_pair(7303, &lfd, &cfd, &sfd);
	r.f = file_to_share(cfd);
	t = ul_task_spawn("t", "reader", 0, reader_fn, &r);
	assert_non_null(t);
	ul_run_for(5 * MS);
	assert_true(r.ready);
	/* No buffer installed for the prequeue. */
	assert_null(tcp_ucopy(sk_of(cfd)));

	fill(data, sizeof(data), 5);
	assert_int_equal(ul_trace_start(0), 0);
	assert_int_equal(ul_send(sfd, data, sizeof(data), 0), (ssize_t)sizeof(data));
	/* Softirq queued it on the receive queue already. */
	assert_false(skb_queue_empty(&sk_of(cfd)->sk_receive_queue));
	assert_int_equal(ul_task_join(t), 0);
	ul_trace_stop();
	a = find_event(0, "tcp_prequeue", NULL);
	assert_int_equal(a, -1);
	assert_int_equal(find_event(0, "tcp_prequeue_process", NULL), -1);
	assert_true(find_event(0, "tcp_rcv_established", NULL) >= 0);
	assert_int_equal(find_event(0, "tcp_rcv_established", "reader"), -1);
	ul_trace_reset();

	assert_int_equal(r.got, (ssize_t)sizeof(data));
	assert_memory_equal(r.buf, data, sizeof(data));
	assert_int_equal(mib(LINUX_MIB_TCPPREQUEUED), pq0);
	assert_int_equal(mib(LINUX_MIB_TCPDIRECTCOPYFROMPREQUEUE), dcp0);
	assert_int_equal(mib(LINUX_MIB_TCPHPHITSTOUSER), hpu0);
	assert_int_equal(mib(LINUX_MIB_TCPHPHITS) - hp0, 1);

	assert_int_equal(ul_sysctl_set("t", "net.ipv4.tcp_low_latency", "0"), 0);
	assert_int_equal(sysctl_tcp_low_latency, 0);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* Past sk_rcvbuf (truesize of the queued skbs) softirq processes the whole prequeue itself
 * (TCPPrequeueDropped, one per segment): the data goes to the receive queue, in order. */
static void test_prequeue_over_rcvbuf_processed_in_softirq(void **state)
{
	static unsigned char data[8 * 500];
	struct reader r = { .want = sizeof(data), .waitall = 1 };
	unsigned long drop0 = mib(LINUX_MIB_TCPPREQUEUEDROPPED);
	unsigned long dcp0 = mib(LINUX_MIB_TCPDIRECTCOPYFROMPREQUEUE);
	unsigned long pq0 = mib(LINUX_MIB_TCPPREQUEUED);
	int rcvbuf = 4000, nsent = 0;
	struct ul_task *t;
	struct sock *rsk;
	int lfd, cfd, sfd;

	(void)state;
	t = blocked_reader(7304, &r, &lfd, &cfd, &sfd);
	rsk = sk_of(cfd);
	assert_int_equal(nodelay(sfd), 0);
	/* The window was advertised with the default buffer; the prequeue's limit is the
	 * buffer now (twice the value asked, as SO_RCVBUF sets it). */
	assert_int_equal(ul_setsockopt(cfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
	assert_int_equal(rsk->sk_rcvbuf, 2 * rcvbuf);
	fill(data, sizeof(data), 9);
	/* Segments of 500 B until the queue's truesize passes sk_rcvbuf: the segment that
	 * does flushes all those queued, the reader still asleep. */
	while (mib(LINUX_MIB_TCPPREQUEUEDROPPED) == drop0 && nsent < 8) {
		assert_int_equal(ul_send(sfd, data + nsent * 500, 500, 0), 500);
		nsent++;
		if (mib(LINUX_MIB_TCPPREQUEUEDROPPED) == drop0)
			assert_int_equal(tcp_ucopy(rsk)->prequeue.qlen, nsent);
	}
	assert_true(nsent >= 2 && nsent < 8);
	assert_int_equal(mib(LINUX_MIB_TCPPREQUEUEDROPPED) - drop0, nsent);
	assert_int_equal(tcp_ucopy(rsk)->prequeue.qlen, 0);
	assert_int_equal(tcp_ucopy(rsk)->memory, 0);
	/* Processed by softirq, not by the reader: queued, charged, nothing copied. */
	assert_int_equal(mib(LINUX_MIB_TCPDIRECTCOPYFROMPREQUEUE), dcp0);
	assert_int_equal(mib(LINUX_MIB_TCPPREQUEUED), pq0);
	assert_true(atomic_read(&rsk->sk_rmem_alloc) > 0);
	assert_int_equal(tcp_sk(rsk)->rcv_nxt - tcp_sk(rsk)->copied_seq, (u32)nsent * 500);
	/* The rest, then the reader takes everything in order (MSG_WAITALL). */
	for (; nsent < 8; nsent++)
		assert_int_equal(ul_send(sfd, data + nsent * 500, 500, 0), 500);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(r.got, (ssize_t)sizeof(data));
	assert_memory_equal(r.buf, data, sizeof(data));
	assert_null(tcp_ucopy(rsk));
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* The peer resets while the reader waits: the RST is prequeued like any segment, the
 * reader runs it (tcp_reset) and its recv fails with ECONNRESET; its buffer is detached. */
static void test_reset_while_reader_blocked(void **state)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct reader r = { .want = 4096 };
	unsigned long pq0 = mib(LINUX_MIB_TCPPREQUEUED);
	struct ul_task *t;
	int lfd, cfd, sfd;

	(void)state;
	t = blocked_reader(7305, &r, &lfd, &cfd, &sfd);
	assert_int_equal(ul_setsockopt(sfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(r.got, -1);
	assert_int_equal(r.err, ECONNRESET);
	assert_int_equal(mib(LINUX_MIB_TCPPREQUEUED) - pq0, 1);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_CLOSE);
	assert_null(tcp_ucopy(sk_of(cfd)));
	ul_close(cfd);
	ul_close(lfd);
}

/* The peer closes (FIN) while the reader waits: recv returns 0. */
static void test_fin_while_reader_blocked(void **state)
{
	struct reader r = { .want = 4096 };
	struct ul_task *t;
	int lfd, cfd, sfd;

	(void)state;
	t = blocked_reader(7306, &r, &lfd, &cfd, &sfd);
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(r.got, 0);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_CLOSE_WAIT);
	assert_null(tcp_ucopy(sk_of(cfd)));
	ul_close(cfd);
	ul_close(lfd);
}

/* Another task shuts the reader's socket down while it waits: the reader wakes, returns 0
 * and detaches its buffer; data that comes later is not prequeued (no reader). */
static void test_shutdown_while_reader_blocked(void **state)
{
	struct reader r = { .want = 4096 };
	unsigned long pq0 = mib(LINUX_MIB_TCPPREQUEUED);
	struct ul_task *t;
	int lfd, cfd, sfd;

	(void)state;
	t = blocked_reader(7307, &r, &lfd, &cfd, &sfd);
	assert_int_equal(ul_shutdown(cfd, SHUT_RDWR), 0);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(r.got, 0);
	assert_null(tcp_ucopy(sk_of(cfd)));
	assert_int_equal(ul_send(sfd, "x", 1, 0), 1);
	ul_run_for(MS);
	assert_int_equal(mib(LINUX_MIB_TCPPREQUEUED), pq0);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_blocked_reader_gets_data_through_prequeue,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_path_direct_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_direct_copy_from_prequeue_and_backlog, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_low_latency_bypasses_prequeue, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_prequeue_over_rcvbuf_processed_in_softirq,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_while_reader_blocked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fin_while_reader_blocked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_while_reader_blocked, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
