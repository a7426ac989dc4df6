/* SPDX-License-Identifier: MIT */
/* Memory of one socket (issue #10, idle TCP bytes per socket): the sizes of struct tcp_sock
 * and its slab, and the parts a connected socket does not carry until it needs them: the
 * accept queue (listen_opt), the error queue, the datagram cork, SO_PEERCRED (AF_UNIX
 * only) and the socket_wq (inside the socket's inode object). Each keeps its behaviour.
 * Mirrors the behaviour of linux/net/core/sock.c, net/ipv4/inet_connection_sock.c,
 * net/ipv4/ip_output.c and net/socket.c (3.10). */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include "harness.h"
#include "sock_tcp_testutil.h"
#include "linux/fs.h"
#include "linux/skbuff.h"
#include "linux/slab.h"
#include "linux/tcp.h"
#include "net/af_unix.h"
#include "net/inet_common.h"
#include "net/inet_connection_sock.h"
#include "net/inet_sock.h"
#include "net/tcp.h"
#include "net/tcp_cong.h"

static struct net *tnet;

/* Each test in its own namespace "t": its end takes the neighbours and routes of lo
 * with it before the leak check. */
static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
	return ul_test_teardown_netns_after(state, "t", 10 * MS);
}

static struct kmem_cache_stats cache(const char *name)
{
	struct kmem_cache_stats st;

	memset(&st, 0, sizeof(st));
	assert_int_equal(kmem_cache_stats_by_name(name, &st), 0);
	return st;
}

/* 3.10's congestion area is 16 u32; the TCP sock fits 23 to an order-2 slab (SLUB's
 * calculate_order with 2 CPUs: 12 objects of 1,280 B before the diets, 16 of 1,024 after
 * session 5, 23 of 704 since session 6: one connection timer, state allocated at first
 * use). SLAB_DESTROY_BY_RCU puts the free pointer after the object, SLAB_HWCACHE_ALIGN
 * rounds to 64: a 704 B object needs sizeof <= 696 (a static assert in linux/tcp.h keeps
 * it). The timers carry no flags word (40 B each). */
static void test_tcp_sock_size(void **state)
{
	struct kmem_cache_stats st = cache("TCP");

	(void)state;
	assert_int_equal(ICSK_CA_PRIV_SIZE, 64);
	assert_int_equal(sizeof(((struct inet_connection_sock *)0)->icsk_ca_priv), 64);
	assert_int_equal(sizeof(struct timer_list), 40);
	assert_true(sizeof(struct tcp_sock) <= 696);
	/* sizeof + the free pointer rounded to 64: 704 B, 23 to an order-2 slab (the harness
	 * boots 2 CPUs: SLUB wants at least 12 objects a slab). */
	assert_int_equal(st.objsize, ALIGN(sizeof(struct tcp_sock) + sizeof(void *), 64));
	assert_int_equal(st.objsize, 704);
	assert_int_equal(st.pagesperslab, 4);
	assert_int_equal(st.objperslab, 23);
	/* The options received: 24 B with a u32 ts_recent_stamp (32 with 3.10's long). */
	assert_int_equal(sizeof(struct tcp_options_received), 24);
	/* sock_inode_cache: socket + inode + socket_wq in one 80 B object (not cache-line
	 * aligned: 51 to an order-0 slab). */
	assert_int_equal(cache("sock_inode_cache").objsize, 80);
	assert_int_equal(cache("sock_inode_cache").objperslab, 51);
	/* filp: one cache line (64 B), 64 to an order-0 slab. */
	assert_int_equal(cache("filp").objsize, sizeof(struct file));
	assert_int_equal(cache("filp").objsize, 64);
	assert_int_equal(cache("filp").objperslab, 64);
}

/* The callbacks live in one const table per kind of socket (sk_callbacks) and the
 * connection sock's af_ops in its proto: each socket still reads 3.10's functions.
 * TCP: sk_stream_write_space and inet_sock_destruct, for the listener, the client and the
 * accepted child (which shares the listener's table); UDP: the defaults with
 * inet_sock_destruct; AF_UNIX: its own write_space and destructor. The data_ready and
 * state_change of each kind are sock_init_data's. */
static void test_callbacks_per_kind(void **state)
{
	int lfd, cfd, sfd, ufd, uxfd, i;
	struct sock *tcp[3];

	(void)state;
	tcp_pair(7010, &lfd, &cfd, &sfd);
	tcp[0] = sk_of(lfd);
	tcp[1] = sk_of(cfd);
	tcp[2] = sk_of(sfd);
	for (i = 0; i < 3; i++) {
		struct sock *sk = tcp[i];

		assert_ptr_equal(sk->sk_state_change, sock_def_wakeup);
		assert_ptr_equal(sk->sk_data_ready, sock_def_readable);
		assert_ptr_equal(sk->sk_write_space, sk_stream_write_space);
		assert_ptr_equal(sk->sk_error_report, sock_def_error_report);
		assert_ptr_equal(sk->sk_destruct, inet_sock_destruct);
		assert_ptr_equal(inet_csk(sk)->icsk_af_ops, &ipv4_specific);
		assert_ptr_equal(sk->sk_prot->backlog_rcv, tcp_v4_do_rcv);
	}
	assert_ptr_equal(tcp[2]->sk_callbacks, tcp[0]->sk_callbacks);
	ufd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(ufd >= 0);
	assert_ptr_equal(sk_of(ufd)->sk_callbacks, &inet_sock_callbacks);
	assert_ptr_equal(sk_of(ufd)->sk_write_space, sock_def_write_space);
	assert_ptr_equal(sk_of(ufd)->sk_destruct, inet_sock_destruct);
	uxfd = ul_socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(uxfd >= 0);
	assert_ptr_equal(sk_of(uxfd)->sk_data_ready, sock_def_readable);
	assert_ptr_not_equal(sk_of(uxfd)->sk_write_space, sock_def_write_space);
	assert_ptr_not_equal(sk_of(uxfd)->sk_destruct, sock_def_destruct);
	assert_ptr_not_equal(sk_of(uxfd)->sk_destruct, inet_sock_destruct);
	/* The child's write_space wakes a writer as TCP's: POLLOUT once the send buffer
	 * has room, which a fresh connection has. */
	assert_true(poll_mask(sfd) & POLLOUT);
	assert_int_equal(ul_close(uxfd), 0);
	assert_int_equal(ul_close(ufd), 0);
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
}

/* SO_MARK lives in sock_common's last word (where 3.10 has the tx queue mapping): set and
 * read back, inherited by a child of a listener as in 3.10 (sk_clone copies it), and not
 * disturbed by what sits beside it (the refcount). */
static void test_so_mark(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7011);
	int lfd, cfd, sfd, mark = 0x5a5a1234, v = 0, refs;
	socklen_t len = sizeof(v);

	(void)state;
	lfd = tcp_listener(7011, 8, SOCK_NONBLOCK);
	refs = atomic_read(&sk_of(lfd)->sk_refcnt);
	assert_int_equal(ul_setsockopt(lfd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)), 0);
	assert_int_equal(ul_getsockopt(lfd, SOL_SOCKET, SO_MARK, &v, &len), 0);
	assert_int_equal(v, mark);
	assert_int_equal(atomic_read(&sk_of(lfd)->sk_refcnt), refs);
	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(cfd >= 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	sfd = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(sfd >= 0);
	v = 0;
	assert_int_equal(ul_getsockopt(sfd, SOL_SOCKET, SO_MARK, &v, &len), 0);
	assert_int_equal(v, mark);
	v = 0;
	assert_int_equal(ul_getsockopt(cfd, SOL_SOCKET, SO_MARK, &v, &len), 0);
	assert_int_equal(v, 0);
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
}

/* rx_opt.ts_recent_stamp is a u32 of get_seconds(): stored with the peer's timestamp at
 * the handshake and again with later segments; the syncookie overflow time is the
 * listener's listen_sock's (0 until its SYN queue overflows). */
static void test_ts_recent_stamp(void **state)
{
	int lfd, cfd, sfd;
	char buf[8] = "abcdefg";
	struct tcp_sock *tp;

	(void)state;
	tcp_pair(7012, &lfd, &cfd, &sfd);
	tp = tcp_sk(sk_of(sfd));
	assert_true(tp->rx_opt.tstamp_ok);
	assert_int_equal(tp->rx_opt.ts_recent_stamp, (u32)get_seconds());
	assert_int_equal(inet_csk(sk_of(lfd))->icsk_accept_queue.listen_opt->synq_overflow_stamp,
			 0);
	ul_run_for(3 * SEC);
	assert_int_equal(ul_send(cfd, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
	ul_run_for(MS);
	assert_true(tp->rx_opt.ts_recent_stamp >= 3);
	assert_int_equal(tp->rx_opt.ts_recent_stamp, (u32)get_seconds());
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
}

/* IP_PKTINFO, IP_RECVTTL and IP_RECVTOS share inet->cmsg_flags (a u8 here): each set and
 * cleared on its own. */
static void test_cmsg_flags(void **state)
{
	static const int opts[] = { IP_PKTINFO, IP_RECVTTL, IP_RECVTOS };
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0), one = 1, zero = 0, v;
	socklen_t len = sizeof(v);
	unsigned int i;

	(void)state;
	assert_true(fd >= 0);
	for (i = 0; i < ARRAY_SIZE(opts); i++)
		assert_int_equal(ul_setsockopt(fd, SOL_IP, opts[i], &one, sizeof(one)), 0);
	assert_int_equal(inet_sk(sk_of(fd))->cmsg_flags,
			 IP_CMSG_PKTINFO | IP_CMSG_TTL | IP_CMSG_TOS);
	assert_int_equal(ul_setsockopt(fd, SOL_IP, IP_RECVTTL, &zero, sizeof(zero)), 0);
	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		v = -1;
		assert_int_equal(ul_getsockopt(fd, SOL_IP, opts[i], &v, &len), 0);
		assert_int_equal(v, opts[i] == IP_RECVTTL ? 0 : 1);
	}
	assert_int_equal(ul_close(fd), 0);
}

/* A TCP socket is one object in each of sock_inode_cache, filp, dentry and TCP and nothing
 * else: no kmalloc'ed socket_wq (it is inside socket_alloc), no error queue, no cork. */
static void test_socket_objects(void **state)
{
	unsigned long objs0 = ul_slab_objects_in_use();
	unsigned long k32 = cache("kmalloc-32").active_objs, k64 = cache("kmalloc-64").active_objs;
	unsigned long ino0 = cache("sock_inode_cache").active_objs;
	unsigned long tcp0 = cache("TCP").active_objs;
	struct sock *sk;
	int fd;

	(void)state;
	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(ul_slab_objects_in_use(), objs0 + 4);
	assert_int_equal(cache("sock_inode_cache").active_objs, ino0 + 1);
	assert_int_equal(cache("TCP").active_objs, tcp0 + 1);
	assert_int_equal(cache("kmalloc-32").active_objs, k32);
	assert_int_equal(cache("kmalloc-64").active_objs, k64);
	sk = sk_of(fd);
	assert_non_null(sk->sk_wq);
	assert_ptr_equal(sk->sk_wq, sock_wq(sk->sk_socket));
	assert_null(sk->sk_error_queue);
	assert_null(inet_dgram(sk));	/* no cork (nor datagram state) in a TCP sock */
	assert_null(inet_csk(sk)->icsk_accept_queue.listen_opt);
	assert_int_equal(ul_close(fd), 0);
	assert_int_equal(ul_slab_objects_in_use(), objs0);
}

/* Only the listener has a listen_opt (SYN table and accept queue); its children do not
 * inherit it. Children are accepted in the order they were established (FIFO); closing a
 * listener with children not yet accepted frees them (the teardown's leak check). */
static void test_accept_queue_on_listener(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7001), peer;
	socklen_t plen = sizeof(peer);
	int lfd, c[3], s, i;
	unsigned short cport[3];

	(void)state;
	lfd = tcp_listener(7001, 8, SOCK_NONBLOCK);
	assert_non_null(inet_csk(sk_of(lfd))->icsk_accept_queue.listen_opt);
	assert_true(reqsk_queue_empty(&inet_csk(sk_of(lfd))->icsk_accept_queue));
	errno = 0;
	assert_int_equal(ul_accept4(lfd, NULL, NULL, 0), -1);
	assert_int_equal(errno, EAGAIN);
	for (i = 0; i < 3; i++) {
		struct sockaddr_in me;
		socklen_t mlen = sizeof(me);

		c[i] = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_true(c[i] >= 0);
		assert_errno(ul_connect(c[i], (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
		ul_run_for(MS);
		assert_int_equal(ul_getsockname(c[i], (struct sockaddr *)&me, &mlen), 0);
		cport[i] = me.sin_port;
	}
	assert_int_equal(sk_of(lfd)->sk_ack_backlog, 3);
	for (i = 0; i < 2; i++) {
		s = ul_accept4(lfd, (struct sockaddr *)&peer, &plen, SOCK_NONBLOCK);
		assert_true(s >= 0);
		assert_int_equal(peer.sin_port, cport[i]);
		assert_null(inet_csk(sk_of(s))->icsk_accept_queue.listen_opt);
		assert_null(sk_of(s)->sk_error_queue);
		assert_int_equal(ul_close(s), 0);
	}
	assert_int_equal(sk_of(lfd)->sk_ack_backlog, 1);
	/* The third child stays queued: the listener's close resets and frees it. */
	assert_int_equal(ul_close(lfd), 0);
	ul_run_for(MS);
	for (i = 0; i < 3; i++)
		assert_int_equal(ul_close(c[i]), 0);
	/* The accepted ends closed first: their TIME_WAIT socks last 60 s. */
	ul_run_for(61 * SEC);
}

/* The error queue head comes with the first error skb: poll then says POLLERR; turning
 * IP_RECVERR off purges it (3.10); the sock's end frees the head (leak check). */
static void test_error_queue_on_demand(void **state)
{
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0), on = 1, off = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct sk_buff *skb;
	struct sock *sk;

	(void)state;
	assert_true(fd >= 0);
	sk = sk_of(fd);
	assert_null(sk->sk_error_queue);
	assert_int_equal(ul_poll(&p, 1, 0), 0);
	skb = alloc_skb(64, GFP_KERNEL);
	assert_non_null(skb);
	assert_int_equal(sock_queue_err_skb(sk, skb), 0);
	assert_non_null(sk->sk_error_queue);
	assert_int_equal(skb_queue_len(sk->sk_error_queue), 1);
	assert_true(atomic_read(&sk->sk_rmem_alloc) > 0);
	assert_int_equal(ul_poll(&p, 1, 0), 1);
	assert_true(p.revents & POLLERR);
	assert_int_equal(ul_setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on)), 0);
	assert_int_equal(ul_setsockopt(fd, IPPROTO_IP, IP_RECVERR, &off, sizeof(off)), 0);
	assert_non_null(sk->sk_error_queue);
	assert_int_equal(skb_queue_len(sk->sk_error_queue), 0);
	assert_int_equal(atomic_read(&sk->sk_rmem_alloc), 0);
	p.revents = 0;
	assert_int_equal(ul_poll(&p, 1, 0), 0);
	/* A second error skb left queued at close is freed with the sock. */
	skb = alloc_skb(64, GFP_KERNEL);
	assert_non_null(skb);
	assert_int_equal(sock_queue_err_skb(sk, skb), 0);
	assert_int_equal(ul_close(fd), 0);
}

/* The datagram cork of ip_append_data (ping sockets) is allocated by the first send and
 * reused; an echo still goes out and comes back; close frees it (leak check). */
static void test_ping_cork_on_demand(void **state)
{
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 0);
	unsigned char req[8 + 16], rep[256];
	struct inet_cork *cork;
	int fd, i;

	(void)state;
	fd = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	assert_true(fd >= 0);
	assert_null(inet_dgram(sk_of(fd))->cork);
	memset(req, 0, sizeof(req));
	req[0] = 8;		/* ICMP_ECHO */
	for (i = 0; i < 16; i++)
		req[8 + i] = (unsigned char)i;
	req[7] = 1;		/* sequence 1 */
	assert_int_equal(ul_sendto(fd, req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)sizeof(req));
	cork = inet_dgram(sk_of(fd))->cork;
	assert_non_null(cork);
	/* Released after the datagram went out: no route held, nothing corked. */
	assert_null(cork->dst);
	ul_run_for(MS);
	assert_int_equal(ul_recv(fd, rep, sizeof(rep), MSG_DONTWAIT), (ssize_t)sizeof(req));
	assert_int_equal(rep[0], 0);	/* ICMP_ECHOREPLY */
	assert_int_equal(rep[7], 1);
	assert_memory_equal(rep + 8, req + 8, 16);
	req[7] = 2;
	assert_int_equal(ul_sendto(fd, req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)sizeof(req));
	assert_ptr_equal(inet_dgram(sk_of(fd))->cork, cork);
	ul_run_for(MS);
	assert_int_equal(ul_recv(fd, rep, sizeof(rep), MSG_DONTWAIT), (ssize_t)sizeof(req));
	assert_int_equal(rep[7], 2);
	assert_int_equal(ul_close(fd), 0);
}

/* SO_PEERCRED: AF_UNIX records the ids (now in struct unix_sock); other families read
 * "none" (pid 0, uid and gid -1), as 3.10 without a cred. */
static void test_peercred(void **state)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);
	int sv[2], fd;

	(void)state;
	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_true(unix_sk(sk_of(sv[0]))->sk_peer_cred_set);
	assert_int_equal(ul_getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &len), 0);
	assert_int_equal(len, sizeof(uc));
	assert_int_equal(uc.pid, unix_sk(sk_of(sv[0]))->sk_peer_pid);
	assert_int_equal(uc.uid, unix_sk(sk_of(sv[0]))->sk_peer_uid);
	assert_int_equal(uc.gid, unix_sk(sk_of(sv[0]))->sk_peer_gid);
	assert_int_not_equal(uc.uid, (uid_t)-1);
	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	len = sizeof(uc);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len), 0);
	assert_int_equal(uc.pid, 0);
	assert_int_equal(uc.uid, (uid_t)-1);
	assert_int_equal(uc.gid, (gid_t)-1);
	assert_int_equal(ul_close(fd), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* Without sk_uid and sk_prot_creator: the owner is the socket inode's uid (sock_i_uid, as
 * 3.10), so two SO_REUSEPORT TCP sockets of one owner share a port, also through
 * inet_csk_bind_conflict's owner check (a socket without SO_REUSEPORT on another address of
 * the port turns the bucket's fastreuseport off), while a socket without SO_REUSEPORT is
 * refused; the file of a TCP socket (and of an accepted one) is named after the proto that
 * made it ("TCP"). */
static void test_reuseport_owner_and_file_name(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(8123),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in b = a;
	int on = 1, s0, s1, s2, s3, lfd, cfd, sfd;
	struct file *f;

	(void)state;
	s1 = ul_socket(AF_INET, SOCK_STREAM, 0);
	s2 = ul_socket(AF_INET, SOCK_STREAM, 0);
	s3 = ul_socket(AF_INET, SOCK_STREAM, 0);
	s0 = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s0 >= 0 && s1 >= 0 && s2 >= 0 && s3 >= 0);
	b.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1);
	assert_int_equal(sock_i_uid(sk_of(s1)), 0);
	assert_int_equal(ul_setsockopt(s1, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)), 0);
	assert_int_equal(ul_setsockopt(s2, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)), 0);
	assert_int_equal(ul_bind(s1, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(ul_listen(s1, 8), 0);
	assert_int_equal(ul_bind(s0, (struct sockaddr *)&b, sizeof(b)), 0);
	assert_int_equal(ul_bind(s2, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_errno(ul_bind(s3, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE);
	f = file_to_share(s1);
	assert_string_equal(f->f_path.dentry->d_name.name, "TCP");
	fput(f);
	assert_int_equal(ul_close(s1), 0);
	assert_int_equal(ul_close(s2), 0);
	assert_int_equal(ul_close(s3), 0);
	assert_int_equal(ul_close(s0), 0);

	tcp_pair(8124, &lfd, &cfd, &sfd);
	f = file_to_share(sfd);
	assert_string_equal(f->f_path.dentry->d_name.name, "TCP");
	fput(f);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(lfd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tcp_sock_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callbacks_per_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_so_mark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ts_recent_stamp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmsg_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_objects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_queue_on_listener, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_queue_on_demand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ping_cork_on_demand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peercred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reuseport_owner_and_file_name, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
