/* SPDX-License-Identifier: MIT */
/* The congestion-control algorithm of a sock as a 1 B slot number (icsk_ca_idx, the
 * DIVERGES in net/inet_connection_sock.h and net/tcp_cong.h) instead of 3.10's pointer:
 * the default and TCP_CONGESTION read back as before, a child keeps its listener's
 * algorithm, an unregistered algorithm stays with the socks that use it, a new stack
 * starts from an empty table, and with every slot taken a sock falls back to Reno with a
 * warning. Also the narrowed tcp_header_len and icsk_ext_hdr_len still hold their values.
 * Mirrors the behaviour of linux/net/ipv4/tcp_cong.c (3.10): tcp_init_congestion_control,
 * tcp_set_congestion_control, tcp_cleanup_congestion_control. */
#include <errno.h>
#include <string.h>
#include "harness.h"
#include "sock_tcp_testutil.h"
#include "linux/tcp.h"
#include "net/inet_connection_sock.h"
#include "net/tcp.h"
#include "net/tcp_cong.h"

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
	return ul_test_teardown_netns_after(state, "t", 10 * MS);
}

static void want_cong(int fd, const char *want)
{
	char name[TCP_CA_NAME_MAX + 1];
	socklen_t len = TCP_CA_NAME_MAX;

	memset(name, 0, sizeof(name));
	assert_int_equal(ul_getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len), 0);
	assert_string_equal(name, want);
}

static int set_cong(int fd, const char *name)
{
	return ul_setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, (socklen_t)strlen(name));
}

static int probe_inits;
static void probe_init(struct sock *sk)
{
	(void)sk;
	probe_inits++;
}

static struct tcp_congestion_ops probe_ca = {
	.init = probe_init,
	.ssthresh = tcp_reno_ssthresh,
	.cong_avoid = tcp_reno_cong_avoid,
	.name = "probe",
};

static void test_slot_sizes(void **state)
{
	(void)state;
	assert_int_equal(sizeof(((struct inet_connection_sock *)0)->icsk_ca_idx), 1);
	assert_int_equal(sizeof(((struct inet_connection_sock *)0)->icsk_ext_hdr_len), 1);
	assert_int_equal(sizeof(((struct tcp_sock *)0)->tcp_header_len), 1);
	/* Slot 0 is "none": the stack's own Reno. */
	assert_null(tcp_ca_slots[0]);
}

/* The default (cubic) on a new sock and on both ends of a connection; a listener's choice
 * goes to its children (the clone copies the slot number); TCP_CONGESTION changes it; the
 * header length follows the timestamps option (20 + 12). */
static void test_slot_follows_choice(void **state)
{
	int lfd, cfd, sfd;
	struct sock *sk;

	(void)state;
	lfd = tcp_listener(7201, 8, SOCK_NONBLOCK);
	assert_ptr_equal(inet_csk_ca_ops(sk_of(lfd)), &cubictcp);
	assert_int_not_equal(inet_csk(sk_of(lfd))->icsk_ca_idx, 0);
	assert_ptr_equal(tcp_ca_slots[inet_csk(sk_of(lfd))->icsk_ca_idx], &cubictcp);
	assert_int_equal(set_cong(lfd, "reno"), 0);
	want_cong(lfd, "reno");
	assert_ptr_equal(inet_csk_ca_ops(sk_of(lfd)), &tcp_reno);

	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(cfd >= 0);
	{
		struct sockaddr_in a = ul_test_sin("127.0.0.1", 7201);

		assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	}
	ul_run_for(MS);
	sfd = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(sfd >= 0);
	want_cong(cfd, "cubic");
	want_cong(sfd, "reno");
	sk = sk_of(sfd);
	assert_ptr_equal(inet_csk_ca_ops(sk), &tcp_reno);
	assert_int_equal(tcp_sk(sk)->tcp_header_len, 32);	/* timestamps on lo */
	assert_int_equal(tcp_sk(sk_of(cfd))->tcp_header_len, 32);
	assert_int_equal(inet_csk(sk)->icsk_ext_hdr_len, 0);
	assert_int_equal(set_cong(sfd, "cubic"), 0);
	want_cong(sfd, "cubic");
	assert_errno(set_cong(sfd, "nosuch"), ENOENT);
	want_cong(sfd, "cubic");
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
}

/* An algorithm registered later gets the next slot when a sock first uses it, runs its
 * init on an established sock, and stays with that sock after it is unregistered (as the
 * pointer did: 3.10's module refcount kept the module). */
static void test_slot_registered_later(void **state)
{
	int lfd, cfd, sfd;

	(void)state;
	probe_inits = 0;
	probe_ca.flags = 0;
	assert_int_equal(tcp_register_congestion_control(&probe_ca), 0);
	tcp_pair(7202, &lfd, &cfd, &sfd);
	assert_int_equal(set_cong(sfd, "probe"), 0);
	assert_int_equal(probe_inits, 1);
	want_cong(sfd, "probe");
	assert_ptr_equal(tcp_ca_slots[inet_csk(sk_of(sfd))->icsk_ca_idx], &probe_ca);
	tcp_unregister_congestion_control(&probe_ca);
	want_cong(sfd, "probe");
	assert_errno(set_cong(cfd, "probe"), ENOENT);
	/* The stream still moves through it (cong_avoid is Reno's). */
	assert_int_equal(ul_send(sfd, "abc", 3, 0), 3);
	ul_run_for(MS);
	{
		char buf[4];

		assert_int_equal(ul_recv(cfd, buf, sizeof(buf), 0), 3);
	}
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
}

/* Every slot taken (by distinct ops in one boot): a sock set to one more gets none, that
 * is the built-in Reno, and TCP_CONGESTION reads "" as with a NULL pointer; nothing
 * crashes and the connection works. The test restores the table it filled. */
static void test_slot_table_full(void **state)
{
	static struct tcp_congestion_ops fillers[TCP_CA_SLOTS];
	static struct tcp_congestion_ops extra = {
		.ssthresh = tcp_reno_ssthresh,
		.cong_avoid = tcp_reno_cong_avoid,
		.name = "extra",
	};
	const struct tcp_congestion_ops *saved[TCP_CA_SLOTS];
	int lfd, cfd, sfd, i, used = 0;
	struct sock *sk;

	(void)state;
	tcp_pair(7203, &lfd, &cfd, &sfd);
	sk = sk_of(sfd);
	memcpy(saved, tcp_ca_slots, sizeof(saved));
	for (i = 1; i < TCP_CA_SLOTS; i++)
		used += tcp_ca_slots[i] != NULL;
	assert_true(used >= 1);		/* cubic (the default) at least */
	for (i = 0; i < TCP_CA_SLOTS - 1 - used; i++) {
		fillers[i].ssthresh = tcp_reno_ssthresh;
		fillers[i].cong_avoid = tcp_reno_cong_avoid;
		snprintf(fillers[i].name, sizeof(fillers[i].name), "f%d", i);
		inet_csk_set_ca_ops(sk, &fillers[i]);
		assert_int_equal(inet_csk(sk)->icsk_ca_idx, used + 1 + i);
	}
	assert_int_equal(inet_csk(sk)->icsk_ca_idx, TCP_CA_SLOTS - 1);
	/* A known ops still finds its slot. */
	inet_csk_set_ca_ops(sk, &cubictcp);
	assert_ptr_equal(inet_csk_ca_ops(sk), &cubictcp);
	inet_csk_set_ca_ops(sk, &extra);
	assert_int_equal(inet_csk(sk)->icsk_ca_idx, 0);
	assert_null(inet_csk_ca_ops(sk));
	want_cong(sfd, "");
	assert_int_equal(ul_send(sfd, "abc", 3, 0), 3);
	ul_run_for(MS);
	{
		char buf[4];

		assert_int_equal(ul_recv(cfd, buf, sizeof(buf), 0), 3);
	}
	inet_csk_set_ca_ops(sk, &cubictcp);
	memcpy(tcp_ca_slots, saved, sizeof(saved));
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
}

/* A new stack starts from an empty table: the earlier boots' probe and fillers are gone,
 * the slots in use are the few this boot's socks needed, filled from slot 1 on. */
static void test_slot_table_fresh(void **state)
{
	int i, used = 0;

	(void)state;
	for (i = 1; i < TCP_CA_SLOTS; i++) {
		assert_ptr_not_equal(tcp_ca_slots[i], &probe_ca);
		if (tcp_ca_slots[i])
			assert_int_equal(++used, i);
	}
	assert_true(used <= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_slot_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slot_follows_choice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slot_registered_later, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slot_table_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slot_table_fresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slot_follows_choice, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
