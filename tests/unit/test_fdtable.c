/* SPDX-License-Identifier: MIT */
/* Per-task fd tables and socket files: lowest free fd, RLIMIT_NOFILE (EMFILE), fs.file-max
 * (ENFILE), FD_CLOEXEC, O_NONBLOCK, dup, table growth, and the slab objects of one socket
 * (book ch7: sock_inode_cache, filp, dentry, UDP) going back when it is closed.
 * Mirrors the behaviour of linux/fs/file.c, fs/file_table.c and net/socket.c (3.10). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include "harness.h"
#include "linux/fdtable.h"
#include "linux/fs.h"
#include "linux/net.h"
#include "linux/slab.h"
#include "net/sock.h"
#include "ulnet/socket.h"

static unsigned long cache_objs(const char *name)
{
	struct kmem_cache_stats st;

	if (kmem_cache_stats_by_name(name, &st))
		return (unsigned long)-1;
	return st.active_objs;
}

static int udp_socket(void)
{
	return ul_socket(AF_INET, SOCK_DGRAM, 0);
}

/* The lowest free fd is handed out (POSIX), from 0 in a fresh table. */
static void test_lowest_free_fd(void **state)
{
	int a, b, c, d;

	a = udp_socket();
	b = udp_socket();
	c = udp_socket();
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(c, 2);
	assert_int_equal(ul_close(b), 0);
	d = udp_socket();
	assert_int_equal(d, 1);
	assert_int_equal(ul_close(a), 0);
	assert_int_equal(ul_close(c), 0);
	assert_int_equal(ul_close(d), 0);
	/* All closed: the next one is 0 again. */
	a = udp_socket();
	assert_int_equal(a, 0);
	assert_int_equal(ul_close(a), 0);
}

/* One socket = one object in each of sock_inode_cache, filp, dentry and UDP; close gives
 * every one back. */
static void test_close_frees_objects(void **state)
{
	unsigned long inode0 = cache_objs("sock_inode_cache"), filp0 = cache_objs("filp");
	unsigned long dentry0 = cache_objs("dentry"), udp0 = cache_objs("UDP");
	unsigned long objs0 = ul_slab_objects_in_use();
	int fd;

	assert_int_not_equal(inode0, (unsigned long)-1);
	assert_int_not_equal(udp0, (unsigned long)-1);
	fd = udp_socket();
	assert_true(fd >= 0);
	assert_int_equal(cache_objs("sock_inode_cache"), inode0 + 1);
	assert_int_equal(cache_objs("filp"), filp0 + 1);
	assert_int_equal(cache_objs("dentry"), dentry0 + 1);
	assert_int_equal(cache_objs("UDP"), udp0 + 1);
	assert_int_equal(sock_inuse_get(), 1);
	assert_int_equal(get_nr_files(), 1);
	assert_int_equal(ul_close(fd), 0);
	assert_int_equal(cache_objs("sock_inode_cache"), inode0);
	assert_int_equal(cache_objs("filp"), filp0);
	assert_int_equal(cache_objs("dentry"), dentry0);
	assert_int_equal(cache_objs("UDP"), udp0);
	assert_int_equal(ul_slab_objects_in_use(), objs0);
	assert_int_equal(sock_inuse_get(), 0);
	assert_int_equal(get_nr_files(), 0);
	assert_int_equal(ul_sk_in_use(), 0);
}

static void test_ebadf(void **state)
{
	int fd;

	errno = 0;
	assert_int_equal(ul_close(-1), -1);
	assert_int_equal(errno, EBADF);
	errno = 0;
	assert_int_equal(ul_close(12345), -1);
	assert_int_equal(errno, EBADF);
	fd = udp_socket();
	assert_int_equal(ul_close(fd), 0);
	errno = 0;
	assert_int_equal(ul_close(fd), -1);	/* double close */
	assert_int_equal(errno, EBADF);
	errno = 0;
	assert_int_equal(ul_fcntl(fd, F_GETFL), -1);
	assert_int_equal(errno, EBADF);
	errno = 0;
	assert_int_equal(ul_read(7, NULL, 0), -1);
	assert_int_equal(errno, EBADF);
}

/* RLIMIT_NOFILE: fds at or above the soft limit are refused with EMFILE. */
static void test_emfile(void **state)
{
	struct rlimit rl, old;
	int fds[8], i;

	assert_int_equal(ul_getrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(old.rlim_cur, 1024);	/* INR_OPEN_CUR */
	assert_int_equal(old.rlim_max, 4096);	/* INR_OPEN_MAX */
	rl.rlim_cur = 5;
	rl.rlim_max = 5;
	assert_int_equal(ul_setrlimit(RLIMIT_NOFILE, &rl), 0);
	for (i = 0; i < 5; i++) {
		fds[i] = udp_socket();
		assert_int_equal(fds[i], i);
	}
	errno = 0;
	assert_int_equal(udp_socket(), -1);
	assert_int_equal(errno, EMFILE);
	/* The failed call allocated nothing that stayed. */
	assert_int_equal(sock_inuse_get(), 5);
	/* F_DUPFD respects the limit too. */
	errno = 0;
	assert_int_equal(ul_fcntl(fds[0], F_DUPFD, 0), -1);
	assert_int_equal(errno, EMFILE);
	assert_int_equal(ul_close(fds[2]), 0);
	assert_int_equal(udp_socket(), 2);
	for (i = 0; i < 5; i++)
		assert_int_equal(ul_close(i), 0);
	assert_int_equal(ul_setrlimit(RLIMIT_NOFILE, &old), 0);
}

static void test_setrlimit_errors(void **state)
{
	struct rlimit rl = { .rlim_cur = 10, .rlim_max = 5 };

	errno = 0;
	assert_int_equal(ul_setrlimit(RLIMIT_NOFILE, &rl), -1);
	assert_int_equal(errno, EINVAL);
	rl.rlim_cur = 10;
	rl.rlim_max = 2 * 1024 * 1024;	/* above fs.nr_open (1048576) */
	errno = 0;
	assert_int_equal(ul_setrlimit(RLIMIT_NOFILE, &rl), -1);
	assert_int_equal(errno, EPERM);
	errno = 0;
	assert_int_equal(ul_setrlimit(RLIMIT_NOFILE, NULL), -1);
	assert_int_equal(errno, EFAULT);
	errno = 0;
	assert_int_equal(ul_getrlimit(RLIMIT_CPU, &rl), -1);
	assert_int_equal(errno, EINVAL);
}

/* fs.file-max: the whole stack's open files (ENFILE beyond). */
static void test_enfile(void **state)
{
	char buf[64];
	int a, b;

	assert_int_equal(ul_sysctl_get(NULL, "fs.file-max", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "838860");
	assert_int_equal(ul_sysctl_get(NULL, "fs.nr_open", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1048576");
	a = udp_socket();
	assert_int_equal(ul_sysctl_get(NULL, "fs.file-nr", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1\t0\t838860");
	assert_int_equal(ul_sysctl_set(NULL, "fs.file-max", "2"), 0);
	b = udp_socket();
	assert_true(b >= 0);
	errno = 0;
	assert_int_equal(udp_socket(), -1);
	assert_int_equal(errno, ENFILE);
	assert_int_equal(sock_inuse_get(), 2);
	assert_int_equal(ul_close(a), 0);
	assert_int_equal(ul_close(b), 0);
	assert_int_equal(ul_sysctl_set(NULL, "fs.file-max", "838860"), 0);
	/* fs.file-nr is read only. */
	assert_int_not_equal(ul_sysctl_set(NULL, "fs.file-nr", "5"), 0);
}

static void test_cloexec_and_nonblock(void **state)
{
	int fd, flags, on;

	fd = ul_socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	assert_int_equal(ul_fcntl(fd, F_GETFD), FD_CLOEXEC);
	flags = ul_fcntl(fd, F_GETFL);
	assert_int_equal(flags, O_RDWR | O_NONBLOCK);
	assert_int_equal(ul_fcntl(fd, F_SETFD, 0), 0);
	assert_int_equal(ul_fcntl(fd, F_GETFD), 0);
	assert_int_equal(ul_fcntl(fd, F_SETFL, 0), 0);
	assert_int_equal(ul_fcntl(fd, F_GETFL), O_RDWR);
	/* FIONBIO sets it back. */
	on = 1;
	assert_int_equal(ul_ioctl(fd, FIONBIO, &on), 0);
	assert_int_equal(ul_fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK);
	on = 0;
	assert_int_equal(ul_ioctl(fd, FIONBIO, &on), 0);
	assert_int_equal(ul_fcntl(fd, F_GETFL), O_RDWR);
	errno = 0;
	assert_int_equal(ul_ioctl(fd, FIONBIO, NULL), -1);
	assert_int_equal(errno, EFAULT);
	/* FIOCLEX/FIONCLEX */
	assert_int_equal(ul_ioctl(fd, FIOCLEX, NULL), 0);
	assert_int_equal(ul_fcntl(fd, F_GETFD), FD_CLOEXEC);
	assert_int_equal(ul_ioctl(fd, FIONCLEX, NULL), 0);
	assert_int_equal(ul_fcntl(fd, F_GETFD), 0);
	errno = 0;
	assert_int_equal(ul_fcntl(fd, 9999), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ul_close(fd), 0);
	/* Unknown SOCK_* flags in the type: EINVAL. */
	errno = 0;
	assert_int_equal(ul_socket(AF_INET, SOCK_DGRAM | 0x10000000, 0), -1);
	assert_int_equal(errno, EINVAL);
}

/* F_DUPFD: two fds on one file; the socket lives until the last one closes. */
static void test_dup(void **state)
{
	unsigned long filp0 = cache_objs("filp");
	int fd, fd2;

	fd = udp_socket();
	fd2 = ul_fcntl(fd, F_DUPFD, 10);
	assert_int_equal(fd2, 10);
	assert_int_equal(cache_objs("filp"), filp0 + 1);
	assert_int_equal(ul_close(fd), 0);
	assert_int_equal(sock_inuse_get(), 1);
	assert_int_equal(ul_fcntl(fd2, F_GETFL), O_RDWR);
	assert_int_equal(ul_close(fd2), 0);
	assert_int_equal(sock_inuse_get(), 0);
	assert_int_equal(cache_objs("filp"), filp0);
	fd = udp_socket();
	fd2 = ul_fcntl(fd, F_DUPFD_CLOEXEC, 0);
	assert_int_equal(fd2, 1);
	assert_int_equal(ul_fcntl(fd2, F_GETFD), FD_CLOEXEC);
	assert_int_equal(ul_fcntl(fd, F_GETFD), 0);
	assert_int_equal(ul_close(fd), 0);
	assert_int_equal(ul_close(fd2), 0);
}

/* The table grows past its first 64 slots (3.10 alloc_fdtable: whole KiB of pointers, a
 * power of two: 128, 256, 512 fds). In a task, so that the grown table goes with it (the
 * init task's would stay, as Linux keeps a grown table). */
static int growth_task(void *arg)
{
	unsigned int *max_fds = arg;
	struct files_struct *files;
	int fds[300], i;

	for (i = 0; i < 300; i++) {
		fds[i] = udp_socket();
		if (fds[i] != i)
			return 1;
	}
	files = get_task_files();
	if (!files || files_open_count(files) != 300)
		return 2;
	*max_fds = files_fdtable(files)->max_fds;
	for (i = 0; i < 300; i++)
		if (ul_close(fds[i]))
			return 3;
	if (files_open_count(files) != 0 || sock_inuse_get() != 0)
		return 4;
	return 0;
}

static void test_table_growth(void **state)
{
	unsigned int max_fds = 0;
	struct ul_task *t = ul_task_spawn(NULL, "growth", 0, growth_task, &max_fds);

	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(max_fds, 512);
}

/* A file that is not a socket: ENOTSOCK from the socket calls, EINVAL from read. */
static const struct file_operations dummy_fops = { 0 };

static void test_enotsock(void **state)
{
	struct path path = { .dentry = NULL };
	struct file *f = alloc_file(&path, FMODE_READ, &dummy_fops);
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char buf[4];
	int fd;

	assert_false(IS_ERR(f));
	fd = get_unused_fd_flags(0);
	assert_true(fd >= 0);
	fd_install((unsigned int)fd, f);
	errno = 0;
	assert_int_equal(ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)), -1);
	assert_int_equal(errno, ENOTSOCK);
	errno = 0;
	assert_int_equal(ul_send(fd, "x", 1, 0), -1);
	assert_int_equal(errno, ENOTSOCK);
	errno = 0;
	assert_int_equal(ul_recv(fd, buf, sizeof(buf), 0), -1);
	assert_int_equal(errno, ENOTSOCK);
	errno = 0;
	assert_int_equal(ul_shutdown(fd, SHUT_RDWR), -1);
	assert_int_equal(errno, ENOTSOCK);
	errno = 0;
	assert_int_equal(ul_write(fd, "x", 1), -1);	/* not opened for writing */
	assert_int_equal(errno, EBADF);
	errno = 0;
	assert_int_equal(ul_read(fd, buf, sizeof(buf)), -1);	/* no read method */
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(ul_ioctl(fd, FIONREAD, buf), -1);
	assert_int_equal(errno, ENOTTY);
	assert_int_equal(ul_close(fd), 0);
}

/* ---- tasks: each has its own table; exit closes what is left open ---- */

struct fd_task_arg {
	int fd_seen;
	int leave_open;
};

static int fd_task(void *p)
{
	struct fd_task_arg *a = p;

	a->fd_seen = udp_socket();
	if (!a->leave_open)
		ul_close(a->fd_seen);
	return 0;
}

static void test_tasks_have_own_tables(void **state)
{
	struct fd_task_arg a1 = { -1, 0 }, a2 = { -1, 1 };
	unsigned long objs0 = ul_slab_objects_in_use();
	struct ul_task *t1, *t2;
	int mine;

	mine = udp_socket();	/* fd 0 of the init task */
	assert_int_equal(mine, 0);
	t1 = ul_task_spawn(NULL, "fd1", 0, fd_task, &a1);
	t2 = ul_task_spawn(NULL, "fd2", 1, fd_task, &a2);
	assert_non_null(t1);
	assert_non_null(t2);
	assert_int_equal(ul_task_join(t1), 0);
	assert_int_equal(ul_task_join(t2), 0);
	/* Each task's first fd is 0: the tables are separate. */
	assert_int_equal(a1.fd_seen, 0);
	assert_int_equal(a2.fd_seen, 0);
	/* t2 left its socket open: exit closed it, and both tables are gone. */
	assert_int_equal(sock_inuse_get(), 1);
	assert_int_equal(ul_close(mine), 0);
	assert_int_equal(sock_inuse_get(), 0);
	/* Tasks, their tables and every socket are gone. */
	assert_int_equal(ul_slab_objects_in_use(), objs0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lowest_free_fd, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_close_frees_objects, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_ebadf, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_emfile, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_setrlimit_errors, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_enfile, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_cloexec_and_nonblock, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_dup, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_table_growth, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_enotsock, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_tasks_have_own_tables, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_close_frees_objects, ul_test_setup_posix,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_tasks_have_own_tables, ul_test_setup_posix,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
