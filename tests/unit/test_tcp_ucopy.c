/* SPDX-License-Identifier: MIT */
/* The waiting reader's tcp_ucopy found through a table hashed by sock, not a pointer in
 * tcp_sock (the DIVERGES at tcp_sock.ucopy_waiting): two readers blocked on two socks
 * whose entries share one list each get their own segments through their own prequeue;
 * a sock with no reader has the bit clear and no entry; a reader leaving detaches.
 * Mirrors the behaviour of linux/net/ipv4/tcp.c (tcp_recvmsg) and tcp_ipv4.c
 * (tcp_prequeue) of 3.10. */
#include <errno.h>
#include <string.h>
#include "harness.h"
#include "net_testutil.h"
#include "sock_tcp_testutil.h"
#include "linux/sched.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
	return ul_test_teardown_netns_after(state, "t", 10 * MS);
}

struct reader {
	struct file *f;
	int ready, done;
	ssize_t got;
	char buf[64];
};

static int reader_fn(void *arg)
{
	struct reader *r = arg;
	int fd = install_shared(r->f);

	if (fd < 0)
		return 1;
	r->ready = 1;
	r->got = ul_recv(fd, r->buf, sizeof(r->buf), 0);
	r->done = 1;
	ul_close(fd);
	return 0;
}

/* Two client sockets sharing a list of the table (pigeonhole: at most 257 tried), each
 * connected to the listener on @port and accepted; the clients block. */
static void colliding_pairs(int port, int *lfd, int *cfd, int *sfd)
{
	static int fds[257];
	struct sockaddr_in a = ul_test_sin("127.0.0.1", port);
	int n, i, j, found = 0;

	cfd[0] = cfd[1] = -1;
	*lfd = tcp_listener(port, 8, SOCK_NONBLOCK);
	for (n = 0; n < 257 && !found; n++) {
		fds[n] = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_true(fds[n] >= 0);
		for (i = 0; i < n; i++)
			if (tcp_ucopy_hashfn(sk_of(fds[i])) == tcp_ucopy_hashfn(sk_of(fds[n]))) {
				cfd[0] = fds[i];
				cfd[1] = fds[n];
				found = 1;
				break;
			}
	}
	assert_true(found);
	for (j = 0; j < n; j++)
		if (fds[j] != cfd[0] && fds[j] != cfd[1])
			assert_int_equal(ul_close(fds[j]), 0);
	for (i = 0; i < 2; i++) {
		assert_errno(ul_connect(cfd[i], (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
		ul_run_for(MS);
		sfd[i] = ul_accept4(*lfd, NULL, NULL, SOCK_NONBLOCK);
		assert_true(sfd[i] >= 0);
		assert_int_equal(ul_fcntl(cfd[i], F_SETFL, 0), 0);
	}
}

static void test_two_readers_one_list(void **state)
{
	struct reader r[2];
	struct ul_task *t[2];
	unsigned long preq0;
	int lfd, cfd[2], sfd[2], i;

	(void)state;
	memset(r, 0, sizeof(r));
	colliding_pairs(7301, &lfd, cfd, sfd);
	for (i = 0; i < 2; i++) {
		assert_false(tcp_sk(sk_of(cfd[i]))->ucopy_waiting);
		assert_null(tcp_ucopy(sk_of(cfd[i])));
	}
	for (i = 0; i < 2; i++) {
		r[i].f = file_to_share(cfd[i]);
		t[i] = ul_task_spawn("t", i ? "rB" : "rA", 0, reader_fn, &r[i]);
		assert_non_null(t[i]);
		ul_run_for(5 * MS);
		assert_true(r[i].ready);
		assert_false(r[i].done);
	}
	for (i = 0; i < 2; i++) {
		assert_true(tcp_sk(sk_of(cfd[i]))->ucopy_waiting);
		assert_non_null(tcp_ucopy(sk_of(cfd[i])));
		assert_ptr_equal(tcp_ucopy(sk_of(cfd[i]))->sk, sk_of(cfd[i]));
	}
	assert_ptr_not_equal(tcp_ucopy(sk_of(cfd[0])), tcp_ucopy(sk_of(cfd[1])));

	/* B's segment goes to B's reader, through its prequeue; A still waits. */
	preq0 = tcp_netstat_read(tnet, LINUX_MIB_TCPPREQUEUED);
	assert_int_equal(ul_send(sfd[1], "to-B", 4, 0), 4);
	ul_run_for(5 * MS);
	assert_true(r[1].done);
	assert_int_equal(r[1].got, 4);
	assert_memory_equal(r[1].buf, "to-B", 4);
	assert_true(tcp_netstat_read(tnet, LINUX_MIB_TCPPREQUEUED) > preq0);
	assert_false(r[0].done);
	assert_null(tcp_ucopy(sk_of(cfd[1])));
	assert_false(tcp_sk(sk_of(cfd[1]))->ucopy_waiting);
	assert_non_null(tcp_ucopy(sk_of(cfd[0])));
	assert_int_equal(skb_queue_len(&tcp_ucopy(sk_of(cfd[0]))->prequeue), 0);

	assert_int_equal(ul_send(sfd[0], "for-A", 5, 0), 5);
	ul_run_for(5 * MS);
	assert_true(r[0].done);
	assert_int_equal(r[0].got, 5);
	assert_memory_equal(r[0].buf, "for-A", 5);
	assert_null(tcp_ucopy(sk_of(cfd[0])));
	for (i = 0; i < 2; i++) {
		assert_int_equal(ul_task_join(t[i]), 0);
		assert_int_equal(ul_close(sfd[i]), 0);
		assert_int_equal(ul_close(cfd[i]), 0);
	}
	assert_int_equal(ul_close(lfd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_readers_one_list, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
