/* SPDX-License-Identifier: MIT */
/* The accept queue as the listener's alone (struct request_sock_queue's DIVERGES in
 * net/request_sock.h): a connection sock carries only the pointer to the listen_sock made
 * at listen() (the SYN table, the accept queue and their syn_wait_lock); listen() that
 * cannot allocate it fails with ENOMEM and leaves the socket closed and able to listen
 * later; TCP_DEFER_ACCEPT (now icsk_defer_accept) is kept from before listen(), works on
 * the listener, and is not inherited by the accepted child, as 3.10.
 * Mirrors the behaviour of linux/net/ipv4/inet_connection_sock.c (inet_csk_listen_start,
 * inet_csk_clone_lock, reqsk_queue_alloc) and tcp.c (TCP_DEFER_ACCEPT) of 3.10. */
#include <errno.h>
#include <string.h>
#include "harness.h"
#include "sock_tcp_testutil.h"
#include "linux/slab.h"
#include "net/inet_connection_sock.h"
#include "net/request_sock.h"
#include "net/tcp.h"

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
	return ul_test_teardown_netns_after(state, "t", 10 * MS);
}

static int defer_get(int fd)
{
	int v = -1;
	socklen_t len = sizeof(v);

	assert_int_equal(ul_getsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &v, &len), 0);
	return v;
}

/* Only a pointer in every connection sock; the lock is in the listener's allocation. */
static void test_queue_is_a_pointer(void **state)
{
	int lfd, cfd, sfd;
	struct listen_sock *lopt;

	(void)state;
	assert_int_equal(sizeof(struct request_sock_queue), sizeof(void *));
	tcp_pair(7101, &lfd, &cfd, &sfd);
	lopt = inet_csk(sk_of(lfd))->icsk_accept_queue.listen_opt;
	assert_non_null(lopt);
	assert_int_equal(lopt->nr_table_entries, 16);	/* backlog 8: roundup(8 + 1) */
	assert_int_equal(lopt->syn_wait_lock.locked, 0);
	assert_null(inet_csk(sk_of(cfd))->icsk_accept_queue.listen_opt);
	assert_null(inet_csk(sk_of(sfd))->icsk_accept_queue.listen_opt);
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
}

/* listen() whose SYN table cannot be allocated: ENOMEM (3.10's reqsk_queue_alloc), the
 * socket stays closed and unhashed (a connect is refused), nothing leaks; a second
 * listen() works and accepts. */
static void test_listen_enomem(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7102);
	int one = 1, lfd, cfd, sfd;
	struct sock *sk;

	(void)state;
	lfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(lfd >= 0);
	assert_int_equal(ul_setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	assert_int_equal(ul_bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	sk = sk_of(lfd);
	ul_failslab_arm(NULL, 0, 1);
	assert_errno(ul_listen(lfd, 8), ENOMEM);
	assert_int_equal(ul_failslab_pending(), 0);
	assert_int_equal(sk->sk_state, TCP_CLOSE);
	assert_null(inet_csk(sk)->icsk_accept_queue.listen_opt);

	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(cfd >= 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	assert_int_equal(so_error(cfd), ECONNREFUSED);
	assert_int_equal(ul_close(cfd), 0);

	assert_int_equal(ul_listen(lfd, 8), 0);
	assert_int_equal(sk->sk_state, TCP_LISTEN);
	assert_non_null(inet_csk(sk)->icsk_accept_queue.listen_opt);
	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(cfd >= 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	sfd = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(sfd >= 0);
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
}

/* TCP_DEFER_ACCEPT set before listen() survives it (3.10 keeps it in the sock, not in the
 * SYN table); the listener drops the bare handshake ACK and makes the child on the first
 * data; the child reads 0 (3.10's clone clears the queue and its defer value); a client's
 * own value stays its own. Seconds become SYN-ACK retransmits: 5 s -> 3, read as 7 s. */
static void test_defer_accept_before_listen(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7103);
	unsigned long drop0, drop1;
	int one = 1, v = 5, lfd, cfd, sfd;
	char buf[8];

	(void)state;
	lfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(lfd >= 0);
	assert_int_equal(ul_setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	assert_int_equal(ul_setsockopt(lfd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &v, sizeof(v)), 0);
	assert_int_equal(defer_get(lfd), 7);
	assert_int_equal(inet_csk(sk_of(lfd))->icsk_defer_accept, 3);
	assert_int_equal(ul_bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(ul_listen(lfd, 8), 0);
	assert_int_equal(defer_get(lfd), 7);

	drop0 = tcp_netstat_read(tnet, LINUX_MIB_TCPDEFERACCEPTDROP);
	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(cfd >= 0);
	v = 1;
	assert_int_equal(ul_setsockopt(cfd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &v, sizeof(v)), 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_ESTABLISHED);
	/* No child yet: the bare ACK was dropped (the client delayed it: defer on a client). */
	ul_run_for(300 * MS);
	assert_errno(ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK), EAGAIN);
	drop1 = tcp_netstat_read(tnet, LINUX_MIB_TCPDEFERACCEPTDROP);
	assert_int_equal(drop1 - drop0, 1);
	assert_int_equal(ul_send(cfd, "data", 4, 0), 4);
	ul_run_for(MS);
	sfd = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(sfd >= 0);
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), 4);
	assert_int_equal(defer_get(sfd), 0);
	assert_int_equal(inet_csk(sk_of(sfd))->icsk_defer_accept, 0);
	assert_int_equal(defer_get(cfd), 1);
	assert_int_equal(defer_get(lfd), 7);
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_queue_is_a_pointer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listen_enomem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defer_accept_before_listen, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
