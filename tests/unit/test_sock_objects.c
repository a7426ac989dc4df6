/* SPDX-License-Identifier: MIT */
/* The objects of a socket besides its sock (issue #10, bytes per idle socket): the
 * socket+inode+wq object of sock_inode_cache (80 B), the file (64 B) and the dentry (48 B,
 * names of up to DNAME_INLINE_LEN - 1 bytes inline, longer ones kmalloc'ed), their sizes,
 * and what each allocation failure does (the leak check in the teardown).
 * Mirrors the behaviour of linux/net/socket.c (sock_alloc, sock_alloc_file,
 * __sys_accept4), fs/file_table.c (get_empty_filp) and fs/dcache.c (d_alloc_pseudo) of
 * 3.10. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include "harness.h"
#include "sock_tcp_testutil.h"
#include "linux/fs.h"
#include "linux/net.h"
#include "linux/slab.h"
#include "ulnet/socket.h"

static struct net *tnet;

/* Each test in its own namespace "t": its end takes the TIME_WAIT socks, neighbours and
 * routes of its lo with it before the leak check. */
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

/* The layouts and caches (see linux/fs.h and net/socket.c's DIVERGES): socket 40 + inode
 * 16 + socket_wq 24 in an 80 B object not rounded to a cache line (51 to an order-0 slab);
 * a 64 B file (64 a slab), a 48 B dentry (85 a slab) with a 16-byte inline name. */
static void test_sizes(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct socket), 40);
	assert_int_equal(sizeof(struct inode), 16);
	assert_int_equal(sizeof(struct socket_wq), 24);
	assert_int_equal(sizeof(struct socket_alloc), 80);
	assert_int_equal(cache("sock_inode_cache").objsize, 80);
	assert_int_equal(cache("sock_inode_cache").objperslab, 51);
	assert_int_equal(cache("sock_inode_cache").pagesperslab, 1);
	assert_int_equal(sizeof(struct file), 64);
	assert_int_equal(cache("filp").objsize, 64);
	assert_int_equal(cache("filp").objperslab, 64);
	assert_int_equal(DNAME_INLINE_LEN, 16);
	assert_int_equal(sizeof(struct dentry), 48);
	assert_int_equal(cache("dentry").objsize, 48);
	assert_int_equal(cache("dentry").objperslab, 85);
}

/* The socket's inode, file and dentry: the wait queue is the one inside the socket's own
 * object, the inode is a socket's (S_IFSOCK | 0777), numbered by get_next_ino one after
 * the other, the file counts one reference per holder (get_file/fput), and the dentry is
 * named after the proto, inline. */
static void test_socket_inode_file_dentry(void **state)
{
	int fd1, fd2;
	struct file *f;
	struct dentry *d;
	struct socket *sock;
	struct inode *ino;
	unsigned long i1, i2;

	(void)state;
	fd1 = ul_socket(AF_INET, SOCK_STREAM, 0);
	fd2 = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd1 >= 0 && fd2 >= 0);
	i1 = sock_i_ino(sk_of(fd1));
	i2 = sock_i_ino(sk_of(fd2));
	assert_true(i1 > 0);
	assert_int_equal(i2, i1 + 1);

	f = fget((unsigned int)fd1);
	assert_non_null(f);
	assert_int_equal(file_count(f), 2);	/* the fd's and ours */
	get_file(f);
	assert_int_equal(file_count(f), 3);
	fput(f);
	assert_int_equal(file_count(f), 2);
	sock = f->private_data;
	assert_ptr_equal(sock->file, f);
	assert_ptr_equal(sock->sk->sk_wq, sock_wq(sock));
	/* The wq lies inside the socket's sock_inode_cache object, after the inode. */
	ino = file_inode(f);
	assert_ptr_equal(SOCK_INODE(sock), ino);
	assert_ptr_equal(SOCKET_I(ino), sock);
	assert_ptr_equal((char *)sock_wq(sock), (char *)ino + sizeof(struct inode));
	assert_ptr_equal((char *)ino, (char *)sock + sizeof(struct socket));
	assert_int_equal(ino->i_mode, 0140000 | 0777);
	assert_int_equal(ino->i_ino, i1);
	assert_int_equal(atomic_read(&ino->i_count), 1);
	d = f->f_path.dentry;
	assert_ptr_equal(d->d_inode, ino);
	assert_string_equal(d->d_name.name, "TCP");
	assert_int_equal(d->d_name.len, 3);
	assert_ptr_equal(d->d_name.name, (const char *)d->d_iname);
	fput(f);
	assert_int_equal(ul_close(fd1), 0);
	assert_int_equal(ul_close(fd2), 0);
}

/* Inodes have no super block: the last iput calls the destroy_inode of the pseudo
 * filesystem registered for the inode's file type (sockfs for S_IFSOCK, taken at boot);
 * an inode of a type nobody registered is reported and left alone. */
static int destroyed;

static void count_destroy(struct inode *inode)
{
	(void)inode;
	destroyed++;
}

static void test_pseudo_fs(void **state)
{
	static const struct super_operations ops = { .destroy_inode = count_destroy };
	struct inode ino = { .i_mode = 0100000 | 0644 };	/* S_IFREG */

	(void)state;
	assert_int_equal(register_pseudo_fs(UL_S_IFSOCK, &ops), -EBUSY);	/* sockfs */
	assert_int_equal(register_pseudo_fs(0, &ops), -EINVAL);
	assert_int_equal(register_pseudo_fs(0100644, &ops), -EINVAL);	/* not only a type */
	assert_int_equal(register_pseudo_fs(0100000, NULL), -EINVAL);
	destroyed = 0;
	atomic_set(&ino.i_count, 2);
	iput(&ino);
	assert_int_equal(atomic_read(&ino.i_count), 1);
	iput(&ino);			/* no filesystem for S_IFREG: reported, not freed */
	assert_int_equal(destroyed, 0);
	assert_int_equal(register_pseudo_fs(0100000, &ops), 0);
	atomic_set(&ino.i_count, 1);
	iput(&ino);
	assert_int_equal(destroyed, 1);
	iput(NULL);
	unregister_pseudo_fs(0100000);
	assert_int_equal(register_pseudo_fs(0100000, &ops), 0);
	unregister_pseudo_fs(0100000);
}

/* Names shorter than DNAME_INLINE_LEN stay in the dentry; from DNAME_INLINE_LEN bytes on
 * the name is its own kmalloc (len + 1: 17 B -> kmalloc-32, 100 -> kmalloc-128), freed
 * with the dentry. "[eventpoll]", the longest name ulnet gives itself, is inline. */
static void test_dentry_long_names(void **state)
{
	static const struct {
		unsigned int len;
		const char *kcache;	/* NULL: inline */
	} cases[] = {
		{ 0, NULL }, { 3, NULL }, { 11, NULL }, { 15, NULL }, { 16, "kmalloc-32" },
		{ 31, "kmalloc-32" }, { 100, "kmalloc-128" },
	};
	char buf[128];
	unsigned int i;

	(void)state;
	memset(buf, 'n', sizeof(buf));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct qstr q = { .hash = 7, .len = cases[i].len, .name = buf };
		unsigned long d0 = cache("dentry").active_objs;
		unsigned long k0 = cases[i].kcache ? cache(cases[i].kcache).active_objs : 0;
		struct dentry *d = d_alloc_pseudo(&q);

		assert_non_null(d);
		assert_int_equal(cache("dentry").active_objs, d0 + 1);
		assert_int_equal(d->d_name.len, cases[i].len);
		assert_int_equal(d->d_name.hash, 7);
		assert_int_equal(strlen(d->d_name.name), cases[i].len);
		assert_memory_equal(d->d_name.name, buf, cases[i].len);
		if (cases[i].kcache) {
			assert_ptr_not_equal(d->d_name.name, (const char *)d->d_iname);
			assert_int_equal(cache(cases[i].kcache).active_objs, k0 + 1);
		} else {
			assert_ptr_equal(d->d_name.name, (const char *)d->d_iname);
		}
		dput(d);
		assert_int_equal(cache("dentry").active_objs, d0);
		if (cases[i].kcache)
			assert_int_equal(cache(cases[i].kcache).active_objs, k0);
	}
	/* The names the stack gives: inline. */
	{
		int efd = ul_epoll_create1(0), ufd = ul_socket(AF_UNIX, SOCK_STREAM, 0);
		struct file *ef, *uf;

		assert_true(efd >= 0 && ufd >= 0);
		ef = fget((unsigned int)efd);
		uf = fget((unsigned int)ufd);
		assert_non_null(ef);
		assert_non_null(uf);
		assert_string_equal(ef->f_path.dentry->d_name.name, "[eventpoll]");
		assert_ptr_equal(ef->f_path.dentry->d_name.name,
				 (const char *)ef->f_path.dentry->d_iname);
		assert_string_equal(uf->f_path.dentry->d_name.name, "UNIX");
		assert_ptr_equal(uf->f_path.dentry->d_name.name,
				 (const char *)uf->f_path.dentry->d_iname);
		fput(ef);
		fput(uf);
		assert_int_equal(ul_close(efd), 0);
		assert_int_equal(ul_close(ufd), 0);
	}
}

/* A memory file's dentry is "memfd:NAME": a long one is kmalloc'ed, and when that kmalloc
 * fails memfd_create answers ENOMEM with nothing left behind (no fd, no dentry, no file). */
static void test_memfd_long_name(void **state)
{
	static const char name[] = "a-rather-long-memory-file-name";	/* 30 + 6 > 15 */
	unsigned long d0 = cache("dentry").active_objs, f0 = cache("filp").active_objs;
	struct file *f;
	int fd;

	(void)state;
	fd = ul_memfd_create(name, 0);
	assert_true(fd >= 0);
	f = fget((unsigned int)fd);
	assert_non_null(f);
	assert_string_equal(f->f_path.dentry->d_name.name, "memfd:a-rather-long-memory-file-name");
	assert_ptr_not_equal(f->f_path.dentry->d_name.name,
			     (const char *)f->f_path.dentry->d_iname);
	fput(f);
	assert_int_equal(ul_close(fd), 0);
	assert_int_equal(cache("dentry").active_objs, d0);

	/* 37 bytes with the NUL: kmalloc-64. */
	ul_failslab_arm("kmalloc-64", 0, 1);
	assert_errno(ul_memfd_create(name, 0), ENOMEM);
	assert_int_equal(ul_failslab_pending(), 0);
	assert_int_equal(cache("dentry").active_objs, d0);
	assert_int_equal(cache("filp").active_objs, f0);
	/* The fd it had reserved is free again: the next one gets it. */
	fd = ul_memfd_create(name, 0);
	assert_true(fd >= 0);
	assert_int_equal(ul_close(fd), 0);
}

/* socket() when each of its objects cannot be allocated: no inode -> ENFILE (3.10's
 * sock_alloc failure in __sock_create), no dentry or file -> ENOMEM (sock_alloc_file,
 * get_empty_filp); every time the socket count and the caches are back where they were. */
static void test_socket_alloc_failures(void **state)
{
	static const struct {
		const char *cache;
		int err;
	} cases[] = {
		{ "sock_inode_cache", ENFILE }, { "dentry", ENOMEM }, { "filp", ENOMEM },
	};
	unsigned int i;
	int fd;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int used = sock_inuse_get();
		unsigned long ino = cache("sock_inode_cache").active_objs;
		unsigned long den = cache("dentry").active_objs;
		unsigned long fil = cache("filp").active_objs;
		unsigned long tcp = cache("TCP").active_objs;

		ul_failslab_arm(cases[i].cache, 0, 1);
		assert_errno(ul_socket(AF_INET, SOCK_STREAM, 0), cases[i].err);
		assert_int_equal(ul_failslab_pending(), 0);
		assert_int_equal(sock_inuse_get(), used);
		assert_int_equal(cache("sock_inode_cache").active_objs, ino);
		assert_int_equal(cache("dentry").active_objs, den);
		assert_int_equal(cache("filp").active_objs, fil);
		assert_int_equal(cache("TCP").active_objs, tcp);
	}
	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(ul_close(fd), 0);
}

/* accept() allocates the new socket's inode, dentry and file before it takes a connection
 * off the queue (3.10's __sys_accept4): when one of them fails the established connection
 * stays queued and the next accept() gets it. */
static void test_accept_alloc_failure(void **state)
{
	static const char *const caches[] = { "sock_inode_cache", "dentry", "filp" };
	static const int errs[] = { ENFILE, ENOMEM, ENOMEM };
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7301);
	int lfd, cfd, sfd;
	unsigned int i;

	(void)state;
	lfd = tcp_listener(7301, 8, SOCK_NONBLOCK);
	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(cfd >= 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_ESTABLISHED);
	for (i = 0; i < ARRAY_SIZE(caches); i++) {
		ul_failslab_arm(caches[i], 0, 1);
		assert_errno(ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK), errs[i]);
		assert_int_equal(ul_failslab_pending(), 0);
	}
	sfd = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(sfd >= 0);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(ul_send(cfd, "x", 1, 0), 1);
	ul_run_for(MS);
	{
		char c = 0;

		assert_int_equal(ul_recv(sfd, &c, 1, 0), 1);
		assert_int_equal(c, 'x');
	}
	/* Nothing more queued. */
	assert_errno(ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK), EAGAIN);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(lfd), 0);
}

/* A socket has no fasync list because O_ASYNC is refused (fcntl F_SETFL: EINVAL, the
 * flags unchanged); O_NONBLOCK is taken. */
static void test_no_o_async(void **state)
{
	int fd = ul_socket(AF_INET, SOCK_STREAM, 0), fl;

	(void)state;
	assert_true(fd >= 0);
	fl = ul_fcntl(fd, F_GETFL);
	assert_int_equal(fl & O_NONBLOCK, 0);
	assert_errno(ul_fcntl(fd, F_SETFL, fl | O_ASYNC), EINVAL);
	assert_int_equal(ul_fcntl(fd, F_GETFL), fl);
	assert_int_equal(ul_fcntl(fd, F_SETFL, fl | O_NONBLOCK), 0);
	assert_int_equal(ul_fcntl(fd, F_GETFL), fl | O_NONBLOCK);
	assert_int_equal(sock_wake_async(sk_of(fd)->sk_socket, SOCK_WAKE_IO, 0), -1);
	assert_int_equal(ul_close(fd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_inode_file_dentry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pseudo_fs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dentry_long_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memfd_long_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_alloc_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_alloc_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_o_async, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
