/* SPDX-License-Identifier: MIT */
/* AF_UNIX control messages: SCM_RIGHTS over stream and datagram sockets (the same open
 * file arrives, MSG_CMSG_CLOEXEC, MSG_CTRUNC for a short buffer or RLIMIT_NOFILE, MSG_PEEK
 * clones, SCM_MAX_FD, every errno of __scm_send), the recursion limit (ETOOMANYREFS), the
 * in-flight count and the garbage collector (a socket queued in itself, two sockets queued
 * in each other, a listener queued in its own embryo), SCM_CREDENTIALS with SO_PASSCRED,
 * SO_PEERCRED of socketpair and connect/accept between two tasks, and on the posix runtime
 * two threads passing files and sockets while garbage is made and collected.
 * Mirrors the behaviour of linux/net/core/scm.c, net/unix/af_unix.c and
 * net/unix/garbage.c (3.10). */
#define _GNU_SOURCE	/* struct ucred, SCM_CREDENTIALS: as a program of the ul_ API would */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "harness.h"
#include "unix_testutil.h"
#include "linux/fdtable.h"
#include "linux/net.h"
#include "linux/sched.h"
#include "net/af_unix.h"
#include "net/scm.h"
#include "ulnet/socket.h"

#define MAXFDS 260

union cbuf {
	struct cmsghdr align;
	char buf[CMSG_SPACE(sizeof(int) * MAXFDS) + CMSG_SPACE(sizeof(struct ucred))];
};

/* sendmsg of @len bytes with one SCM_RIGHTS message of @n fds (none when @n is 0). */
static ssize_t send_fds(int s, const void *data, size_t len, const int *fds, int n)
{
	union cbuf c;
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	memset(&c, 0, sizeof(c));
	if (n > 0) {
		msg.msg_control = c.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)n);
	}
	return ul_sendmsg(s, &msg, 0);
}

struct rcvd {
	ssize_t ret;
	int flags;			/* msg_flags */
	int nfds;			/* fds of the SCM_RIGHTS message */
	int fds[MAXFDS];
	int ncmsg;			/* control messages */
	bool have_cred;
	struct ucred cred;
	size_t controllen;		/* what recvmsg left in msg_controllen */
};

/* recvmsg into @buf with a control buffer of @ctl bytes (0: none). */
static struct rcvd recv_fds(int s, void *buf, size_t len, size_t ctl, int flags)
{
	union cbuf c;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	struct rcvd r;

	memset(&r, 0, sizeof(r));
	memset(&c, 0xa5, sizeof(c));
	assert_true(ctl <= sizeof(c.buf));
	if (ctl) {
		msg.msg_control = c.buf;
		msg.msg_controllen = ctl;
	}
	r.ret = ul_recvmsg(s, &msg, flags);
	r.flags = msg.msg_flags;
	r.controllen = msg.msg_controllen;
	if (r.ret < 0 || !ctl)
		return r;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		r.ncmsg++;
		assert_int_equal(cm->cmsg_level, SOL_SOCKET);
		if (cm->cmsg_type == SCM_RIGHTS) {
			r.nfds = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(r.fds, CMSG_DATA(cm), sizeof(int) * (size_t)r.nfds);
		} else {
			assert_int_equal(cm->cmsg_type, SCM_CREDENTIALS);
			assert_int_equal(cm->cmsg_len, CMSG_LEN(sizeof(struct ucred)));
			memcpy(&r.cred, CMSG_DATA(cm), sizeof(r.cred));
			r.have_cred = true;
		}
	}
	return r;
}

static int memfd_with(const char *text)
{
	int fd = ul_memfd_create("scm", 0);

	assert_true(fd >= 0);
	assert_int_equal(ul_write(fd, text, strlen(text)), (ssize_t)strlen(text));
	return fd;
}

static unsigned int open_fds(void)
{
	return files_open_count(current->files);
}

/* ------------------------------------------------------------------------------------------
 * SCM_RIGHTS. */

/* The receiver gets a new fd for the same open file: the file position is shared. */
static void test_rights_stream(void **state)
{
	int sv[2], mf, nfd;
	char buf[16];
	struct rcvd r;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	mf = memfd_with("hello");
	assert_int_equal(send_fds(sv[0], "x", 1, &mf, 1), 1);
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), 0);
	assert_int_equal(r.ret, 1);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(r.ncmsg, 1);
	assert_int_equal(r.nfds, 1);
	assert_int_equal(r.flags & MSG_CTRUNC, 0);
	assert_int_equal(r.controllen, CMSG_SPACE(sizeof(int)));	/* the length used */
	nfd = r.fds[0];
	assert_true(nfd >= 0 && nfd != mf);
	/* The same file: its position (5, after the write) is shared. */
	assert_int_equal(ul_lseek(nfd, 0, SEEK_CUR), 5);
	assert_int_equal(ul_lseek(mf, 1, SEEK_SET), 1);
	assert_int_equal(ul_read(nfd, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "ello", 4);
	/* Not close-on-exec without MSG_CMSG_CLOEXEC. */
	assert_int_equal(ul_fcntl(nfd, F_GETFD), 0);
	/* Nothing is in flight once received. */
	assert_int_equal(unix_tot_inflight, 0);
	assert_int_equal(ul_close(nfd), 0);
	assert_int_equal(ul_close(mf), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* Datagrams: three fds with one message, MSG_CMSG_CLOEXEC, records kept apart. */
static void test_rights_dgram_cloexec(void **state)
{
	int sv[2], mf[3], i;
	char buf[16];
	struct rcvd r;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	for (i = 0; i < 3; i++)
		mf[i] = memfd_with(i == 0 ? "a" : i == 1 ? "bb" : "ccc");
	assert_int_equal(send_fds(sv[0], "one", 3, mf, 3), 3);
	assert_int_equal(send_fds(sv[0], "two", 3, NULL, 0), 3);
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(3 * sizeof(int)), MSG_CMSG_CLOEXEC);
	assert_int_equal(r.ret, 3);
	assert_memory_equal(buf, "one", 3);
	assert_int_equal(r.nfds, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(ul_fcntl(r.fds[i], F_GETFD), FD_CLOEXEC);
		assert_int_equal(ul_lseek(r.fds[i], 0, SEEK_END), i + 1);
		assert_int_equal(ul_close(r.fds[i]), 0);
	}
	/* The next datagram carries nothing. */
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(3 * sizeof(int)), 0);
	assert_int_equal(r.ret, 3);
	assert_int_equal(r.ncmsg, 0);
	assert_int_equal(r.flags & MSG_CTRUNC, 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(ul_close(mf[i]), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* A control buffer with room for one fd of three: one installed, MSG_CTRUNC, the others
 * closed. No control buffer at all: MSG_CTRUNC and no fd. */
static void test_rights_ctrunc(void **state)
{
	int sv[2], mf[3], i, m2;
	unsigned int before;
	char buf[16];
	struct rcvd r;
	long files_before;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	for (i = 0; i < 3; i++)
		mf[i] = memfd_with("z");
	assert_int_equal(send_fds(sv[0], "m", 1, mf, 3), 1);
	for (i = 0; i < 3; i++)
		assert_int_equal(ul_close(mf[i]), 0);
	files_before = (long)get_nr_files();
	before = open_fds();
	/* Header + 1 int: room for one fd. */
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_LEN(sizeof(int)), 0);
	assert_int_equal(r.ret, 1);
	assert_int_equal(r.nfds, 1);
	assert_true(r.flags & MSG_CTRUNC);
	assert_int_equal(open_fds(), before + 1);
	/* The two files that did not fit went with their last reference. */
	assert_int_equal((long)get_nr_files(), files_before - 2);
	assert_int_equal(ul_lseek(r.fds[0], 0, SEEK_END), 1);
	assert_int_equal(ul_close(r.fds[0]), 0);
	assert_int_equal((long)get_nr_files(), files_before - 3);

	/* recvmsg without a control buffer: the file is dropped, MSG_CTRUNC. */
	m2 = memfd_with("y");
	assert_int_equal(send_fds(sv[0], "n", 1, &m2, 1), 1);
	assert_int_equal(ul_close(m2), 0);
	assert_int_equal((long)get_nr_files(), files_before - 2);
	r = recv_fds(sv[1], buf, sizeof(buf), 0, 0);
	assert_int_equal(r.ret, 1);
	assert_true(r.flags & MSG_CTRUNC);
	assert_int_equal(open_fds(), before);
	assert_int_equal((long)get_nr_files(), files_before - 3);
	/* A plain recv of a message with files drops them too. */
	m2 = memfd_with("x");
	assert_int_equal(send_fds(sv[0], "o", 1, &m2, 1), 1);
	assert_int_equal(ul_close(m2), 0);
	assert_int_equal(ul_recv(sv[1], buf, sizeof(buf), 0), 1);
	assert_int_equal((long)get_nr_files(), files_before - 3);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* RLIMIT_NOFILE: fds stop at the limit (EMFILE inside scm_detach_fds): MSG_CTRUNC. */
static void test_rights_rlimit(void **state)
{
	int sv[2], mf[3], i, top = 0, fd;
	struct rlimit old, rl;
	char buf[4];
	struct rcvd r;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (i = 0; i < 3; i++)
		mf[i] = memfd_with("q");
	assert_int_equal(send_fds(sv[0], "r", 1, mf, 3), 1);
	for (fd = 0; fd < 64; fd++)
		if (ul_fcntl(fd, F_GETFD) >= 0)
			top = fd;
	assert_int_equal(ul_getrlimit(RLIMIT_NOFILE, &old), 0);
	rl = old;
	rl.rlim_cur = (rlim_t)top + 2;	/* exactly one free fd: top + 1 */
	assert_int_equal(ul_setrlimit(RLIMIT_NOFILE, &rl), 0);
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(3 * sizeof(int)), 0);
	assert_int_equal(r.ret, 1);
	assert_int_equal(r.nfds, 1);
	assert_int_equal(r.fds[0], top + 1);
	assert_true(r.flags & MSG_CTRUNC);
	assert_int_equal(ul_setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(ul_close(r.fds[0]), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(ul_close(mf[i]), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* MSG_PEEK gives clones of the fds; the real read gives them again. */
static void test_rights_peek(void **state)
{
	int sv[2], mf;
	char buf[8];
	struct rcvd p, r;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	mf = memfd_with("p");
	assert_int_equal(send_fds(sv[0], "d", 1, &mf, 1), 1);
	p = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), MSG_PEEK);
	assert_int_equal(p.ret, 1);
	assert_int_equal(p.nfds, 1);
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), 0);
	assert_int_equal(r.ret, 1);
	assert_int_equal(r.nfds, 1);
	assert_int_not_equal(p.fds[0], r.fds[0]);
	assert_int_equal(ul_lseek(p.fds[0], 0, SEEK_CUR), 1);
	assert_int_equal(ul_lseek(r.fds[0], 0, SEEK_CUR), 1);
	assert_int_equal(ul_close(p.fds[0]), 0);
	assert_int_equal(ul_close(r.fds[0]), 0);
	assert_int_equal(ul_close(mf), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* Stream: the fds ride with the first skb of their write; a read stops after the bytes
 * of a write that carried fds, so each write's fds come with its own bytes. */
static void test_rights_stream_boundaries(void **state)
{
	int sv[2], mf[2];
	char buf[16];
	struct rcvd r;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	mf[0] = memfd_with("1");
	mf[1] = memfd_with("22");
	assert_int_equal(send_fds(sv[0], "ab", 2, &mf[0], 1), 2);
	assert_int_equal(send_fds(sv[0], "cd", 2, &mf[1], 1), 2);
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(2 * sizeof(int)), 0);
	assert_int_equal(r.ret, 2);
	assert_memory_equal(buf, "ab", 2);
	assert_int_equal(r.nfds, 1);
	assert_int_equal(ul_lseek(r.fds[0], 0, SEEK_END), 1);
	assert_int_equal(ul_close(r.fds[0]), 0);
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(2 * sizeof(int)), 0);
	assert_int_equal(r.ret, 2);
	assert_memory_equal(buf, "cd", 2);
	assert_int_equal(r.nfds, 1);
	assert_int_equal(ul_lseek(r.fds[0], 0, SEEK_END), 2);
	assert_int_equal(ul_close(r.fds[0]), 0);
	assert_int_equal(ul_close(mf[0]), 0);
	assert_int_equal(ul_close(mf[1]), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* Receives SCM_MAX_FD fds in a task of its own: 253 fds grow an fd table past its first
 * 64 slots, and only a task's exit frees a grown table (the leak check counts it). */
static int max_fd_receiver(void *arg)
{
	int s = unix_bound_dgram("max"), i, ret = 0;
	char buf[4];
	struct rcvd r;

	if (s < 0)
		return 1;
	r = recv_fds(s, buf, sizeof(buf), CMSG_SPACE(sizeof(int) * SCM_MAX_FD), 0);
	if (r.ret != 1 || r.nfds != SCM_MAX_FD || (r.flags & MSG_CTRUNC))
		ret = 2;
	for (i = 0; i < r.nfds; i++)
		if (ul_close(r.fds[i]) != 0)
			ret = 3;
	ul_close(s);
	*(int *)arg = r.nfds;
	return ret;
}

/* SCM_MAX_FD (253) files in one message pass; 254 is EINVAL, also when two SCM_RIGHTS
 * messages of one sendmsg add up to it. Two messages of 2 fds arrive as one of 4. */
static void test_rights_max_fd(void **state)
{
	int sv[2], mf, fds[MAXFDS], i;
	union cbuf c;
	struct iovec iov = { .iov_base = "w", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	char buf[4];
	struct rcvd r;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	mf = memfd_with("m");
	for (i = 0; i < SCM_MAX_FD + 1; i++)
		fds[i] = mf;
	assert_errno(send_fds(sv[0], "w", 1, fds, SCM_MAX_FD + 1), EINVAL);
	{
		int got = 0, to = -1;
		struct ul_task *t = ul_task_spawn(NULL, "maxfd", 1, max_fd_receiver, &got);

		assert_non_null(t);
		for (i = 0; i < 1000 && (to = unix_connected_dgram("max")) < 0; i++)
			ul_sleep(1000000);
		assert_true(to >= 0);
		assert_int_equal(send_fds(to, "w", 1, fds, SCM_MAX_FD), 1);
		assert_int_equal(ul_task_join(t), 0);
		assert_int_equal(got, SCM_MAX_FD);
		assert_int_equal(ul_close(to), 0);
	}

	/* Two SCM_RIGHTS messages in one control buffer. */
	memset(&c, 0, sizeof(c));
	msg.msg_control = c.buf;
	msg.msg_controllen = 2 * CMSG_SPACE(2 * sizeof(int));
	cm = CMSG_FIRSTHDR(&msg);
	for (i = 0; i < 2; i++) {
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(2 * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, 2 * sizeof(int));
		cm = CMSG_NXTHDR(&msg, cm);
	}
	assert_int_equal(ul_sendmsg(sv[0], &msg, 0), 1);
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(8 * sizeof(int)), 0);
	assert_int_equal(r.ncmsg, 1);
	assert_int_equal(r.nfds, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(ul_close(r.fds[i]), 0);
	/* 200 + 54 = 254 in two messages: EINVAL, and the files taken are put back. */
	{
		long nfiles = (long)get_nr_files();

		msg.msg_controllen = CMSG_SPACE(200 * sizeof(int)) + CMSG_SPACE(54 * sizeof(int));
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(200 * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, 200 * sizeof(int));
		cm = CMSG_NXTHDR(&msg, cm);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(54 * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, 54 * sizeof(int));
		assert_errno(ul_sendmsg(sv[0], &msg, 0), EINVAL);
		assert_int_equal((long)get_nr_files(), nfiles);
		assert_int_equal(file_count(fcheck_files(current->files, (unsigned int)mf)), 1);
	}
	assert_int_equal(ul_close(mf), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* Every errno of __scm_send and of the control buffer copy. */
static void test_scm_send_errnos(void **state)
{
	int sv[2], mf, bad = 999;
	union cbuf c;
	struct iovec iov = { .iov_base = "e", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	struct ucred uc;
	static char big[20480 + 64];
	char buf[4];

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	mf = memfd_with("e");
	/* A closed fd: EBADF. */
	assert_errno(send_fds(sv[0], "e", 1, &bad, 1), EBADF);
	/* cmsg_len shorter than the header, or past the buffer: EINVAL. */
	memset(&c, 0, sizeof(c));
	msg.msg_control = c.buf;
	msg.msg_controllen = CMSG_SPACE(sizeof(int));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = sizeof(struct cmsghdr) - 1;
	assert_errno(ul_sendmsg(sv[0], &msg, 0), EINVAL);
	cm->cmsg_len = CMSG_SPACE(sizeof(int)) + 1;
	assert_errno(ul_sendmsg(sv[0], &msg, 0), EINVAL);
	/* ... of any level (the header is checked before the level). */
	cm->cmsg_level = SOL_IP;
	assert_errno(ul_sendmsg(sv[0], &msg, 0), EINVAL);
	/* Another level with a sane header is skipped. */
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	assert_int_equal(ul_sendmsg(sv[0], &msg, 0), 1);
	/* An unknown SOL_SOCKET type: EINVAL. */
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = 99;
	assert_errno(ul_sendmsg(sv[0], &msg, 0), EINVAL);
	/* An SCM_RIGHTS message with no fd is nothing. */
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(0);
	assert_int_equal(ul_sendmsg(sv[0], &msg, 0), 1);
	/* A control buffer shorter than a header carries nothing. */
	msg.msg_controllen = sizeof(struct cmsghdr) - 1;
	assert_int_equal(ul_sendmsg(sv[0], &msg, 0), 1);
	/* SCM_CREDENTIALS of the wrong length, an invalid uid, pid 0. */
	msg.msg_controllen = CMSG_SPACE(sizeof(struct ucred));
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(struct ucred) - 1);
	assert_errno(ul_sendmsg(sv[0], &msg, 0), EINVAL);
	cm->cmsg_len = CMSG_LEN(sizeof(struct ucred));
	uc = (struct ucred){ .pid = current->pid, .uid = (uid_t)-1, .gid = 0 };
	memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
	assert_errno(ul_sendmsg(sv[0], &msg, 0), EINVAL);
	uc = (struct ucred){ .pid = current->pid, .uid = 0, .gid = (gid_t)-1 };
	memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
	assert_errno(ul_sendmsg(sv[0], &msg, 0), EINVAL);
	uc = (struct ucred){ .pid = 0, .uid = 0, .gid = 0 };
	memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
	assert_errno(ul_sendmsg(sv[0], &msg, 0), ESRCH);
	/* A NULL control pointer with a length: EFAULT. */
	msg.msg_control = NULL;
	assert_errno(ul_sendmsg(sv[0], &msg, 0), EFAULT);
	/* More control data than net.core.optmem_max (20480) allows: ENOBUFS. */
	msg.msg_control = big;
	msg.msg_controllen = sizeof(big);
	assert_errno(ul_sendmsg(sv[0], &msg, 0), ENOBUFS);
	/* What got through: the three datagrams accepted above, no fds. */
	for (int i = 0; i < 3; i++) {
		struct rcvd r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)),
					 MSG_DONTWAIT);

		assert_int_equal(r.ret, 1);
		assert_int_equal(r.ncmsg, 0);
	}
	assert_errno(ul_recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	assert_int_equal(ul_close(mf), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* A socket that carries sockets carrying sockets ... deeper than MAX_RECURSION_LEVEL (4)
 * cannot be passed: ETOOMANYREFS. */
static void test_rights_recursion_limit(void **state)
{
	int p[6][2], i, carried;
	struct rcvd r;
	char buf[4];

	for (i = 0; i < 6; i++)
		assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, p[i]), 0);
	/* p[0][0] into p[1][1] (level 1), p[1][1] into p[2][1] (2), ... p[4][1] is at 5. */
	carried = p[0][0];
	for (i = 1; i <= 4; i++) {
		assert_int_equal(send_fds(p[i][0], "s", 1, &carried, 1), 1);
		assert_int_equal(unix_sk(unix_get_socket(fcheck_files(current->files,
						(unsigned int)p[i][1])))->recursion_level, i);
		carried = p[i][1];
	}
	/* p[4][1] has level 4: still passable (> 4 is refused). */
	assert_int_equal(send_fds(p[5][0], "s", 1, &p[4][1], 1), 1);
	/* p[5][1] now has level 5. */
	assert_errno(send_fds(p[0][0], "s", 1, &p[5][1], 1), ETOOMANYREFS);
	assert_int_equal(unix_tot_inflight, 5);
	/* Receiving does not lower a level (3.10). */
	r = recv_fds(p[5][1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), 0);
	assert_int_equal(r.nfds, 1);
	assert_int_equal(ul_close(r.fds[0]), 0);
	assert_errno(send_fds(p[0][0], "s", 1, &p[5][1], 1), ETOOMANYREFS);
	for (i = 0; i < 6; i++) {
		assert_int_equal(ul_close(p[i][0]), 0);
		assert_int_equal(ul_close(p[i][1]), 0);
	}
	assert_int_equal(unix_tot_inflight, 0);
}

/* ------------------------------------------------------------------------------------------
 * In flight, and the garbage collector. */

/* Create and close one AF_UNIX socket: its release runs unix_gc when something is in
 * flight (unix_release_sock), as any close of an AF_UNIX socket would. */
static void kick_gc(void)
{
	int s = ul_socket(AF_UNIX, SOCK_DGRAM, 0);

	assert_true(s >= 0);
	assert_int_equal(ul_close(s), 0);
}

/* A socket sent to its own peer, then both closed: no cycle (closing the peer purges
 * its queue), freed at once. */
static void test_inflight_sent_over_itself(void **state)
{
	int sv[2], base = sock_inuse_get();

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(send_fds(sv[0], "i", 1, &sv[0], 1), 1);
	assert_int_equal(unix_tot_inflight, 1);
	assert_int_equal(atomic_long_read(&unix_sk(unix_get_socket(fcheck_files(
				current->files, (unsigned int)sv[0])))->inflight), 1);
	assert_int_equal(ul_close(sv[0]), 0);
	/* Still alive: its only reference is in sv[1]'s queue. */
	assert_int_equal(sock_inuse_get(), base + 2);
	assert_int_equal(ul_close(sv[1]), 0);
	assert_int_equal(unix_tot_inflight, 0);
	assert_int_equal(sock_inuse_get(), base);
}

/* A socket queued in its own receive queue, then closed: a cycle. It stays until the GC
 * runs (at the next AF_UNIX release), which frees it. */
static void test_gc_self_cycle(void **state)
{
	int sv[2], base = sock_inuse_get();

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	/* sv[1] travels into sv[1]'s own queue. */
	assert_int_equal(send_fds(sv[0], "c", 1, &sv[1], 1), 1);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
	/* Closing sv[0] ran the GC while sv[1] still had its fd; closing sv[1] released
	 * nothing: the cycle is there. */
	assert_int_equal(unix_tot_inflight, 1);
	assert_int_equal(sock_inuse_get(), base + 1);
	kick_gc();
	assert_int_equal(unix_tot_inflight, 0);
	assert_int_equal(sock_inuse_get(), base);
}

/* Two pairs, each carrying the other's receiving end: a cycle of two, plus a live socket
 * in flight that must survive the GC. */
static void test_gc_two_cycle_and_survivor(void **state)
{
	int a[2], b[2], live[2], base = sock_inuse_get();
	char buf[4];
	struct rcvd r;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, live), 0);
	assert_int_equal(send_fds(a[0], "1", 1, &b[1], 1), 1);	/* b[1] into a[1] */
	assert_int_equal(send_fds(b[0], "2", 1, &a[1], 1), 1);	/* a[1] into b[1] */
	/* live[0] travels in live[1]'s queue but keeps its fd: reachable. */
	assert_int_equal(send_fds(live[1], "3", 1, &live[0], 1), 1);
	assert_int_equal(unix_tot_inflight, 3);
	assert_int_equal(ul_close(a[0]), 0);
	assert_int_equal(ul_close(b[0]), 0);
	assert_int_equal(ul_close(a[1]), 0);
	assert_int_equal(ul_close(b[1]), 0);
	assert_int_equal(sock_inuse_get(), base + 4);
	kick_gc();
	assert_int_equal(sock_inuse_get(), base + 2);
	assert_int_equal(unix_tot_inflight, 1);
	/* The survivor's message is intact. */
	r = recv_fds(live[0], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), 0);
	assert_int_equal(r.ret, 1);
	assert_int_equal(buf[0], '3');
	assert_int_equal(r.nfds, 1);
	assert_int_equal(unix_tot_inflight, 0);
	assert_int_equal(ul_close(r.fds[0]), 0);
	assert_int_equal(ul_close(live[0]), 0);
	assert_int_equal(ul_close(live[1]), 0);
	assert_int_equal(sock_inuse_get(), base);
}

/* A listener sent into the queue of its own unaccepted connection (the embryo), then
 * closed: scan_children walks the embryos of a listener. */
static void test_gc_listener_in_embryo(void **state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "/gc.sock" };
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 9);
	int l, c, base = sock_inuse_get();

	l = ul_socket(AF_UNIX, SOCK_STREAM, 0);
	c = ul_socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(ul_bind(l, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(ul_listen(l, 4), 0);
	assert_int_equal(ul_connect(c, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(send_fds(c, "L", 1, &l, 1), 1);	/* l into the embryo's queue */
	/* c first: its release runs the GC while l still has its fd. */
	assert_int_equal(ul_close(c), 0);
	assert_int_equal(ul_close(l), 0);
	/* The listener and its embryo (a sock without a struct socket) remain. */
	assert_int_equal(sock_inuse_get(), base + 1);
	assert_int_equal(unix_tot_inflight, 1);
	kick_gc();
	assert_int_equal(unix_tot_inflight, 0);
	assert_int_equal(sock_inuse_get(), base);
}

/* ------------------------------------------------------------------------------------------
 * Credentials. */

static void set_passcred(int fd, int on)
{
	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)), 0);
}

/* sendmsg of @len bytes claiming the credentials @uc (SCM_CREDENTIALS). */
static ssize_t send_creds(int s, const void *data, size_t len, const struct ucred *uc)
{
	union cbuf c;
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
			      .msg_controllen = CMSG_SPACE(sizeof(*uc)) };
	struct cmsghdr *cm;

	memset(&c, 0, sizeof(c));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(*uc));
	memcpy(CMSG_DATA(cm), uc, sizeof(*uc));
	return ul_sendmsg(s, &msg, 0);
}

/* SO_PASSCRED: the sender's own credentials come with each message (maybe_add_creds);
 * claimed ones (root may claim any) arrive as given; without SO_PASSCRED nothing. */
static void test_credentials_dgram(void **state)
{
	int sv[2], on = 0;
	socklen_t olen = sizeof(on);
	struct ucred uc = { .pid = 4242, .uid = 1000, .gid = 100 };
	char buf[4];
	struct rcvd r;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	/* Queued before anyone asked: no credentials on it. */
	assert_int_equal(ul_send(sv[0], "0", 1, 0), 1);
	set_passcred(sv[1], 1);
	assert_int_equal(ul_getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, &olen), 0);
	assert_int_equal(on, 1);
	assert_int_equal(ul_send(sv[0], "1", 1, 0), 1);
	assert_int_equal(send_creds(sv[0], "k", 1, &uc), 1);

	/* from_kuid_munged of no credentials: pid 0, the overflow ids. */
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(struct ucred)), 0);
	assert_true(r.have_cred);
	assert_int_equal(r.cred.pid, 0);
	assert_int_equal(r.cred.uid, 65534);
	assert_int_equal(r.cred.gid, 65534);
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(struct ucred)), 0);
	assert_true(r.have_cred);
	assert_int_equal(r.cred.pid, current->pid);
	assert_int_equal(r.cred.uid, 0);
	assert_int_equal(r.cred.gid, 0);
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(struct ucred)), 0);
	assert_true(r.have_cred);
	assert_int_equal(r.cred.pid, 4242);
	assert_int_equal(r.cred.uid, 1000);
	assert_int_equal(r.cred.gid, 100);
	/* A short control buffer: MSG_CTRUNC. */
	assert_int_equal(ul_send(sv[0], "2", 1, 0), 1);
	r = recv_fds(sv[1], buf, sizeof(buf), sizeof(struct cmsghdr) - 1, 0);
	assert_int_equal(r.ret, 1);
	assert_true(r.flags & MSG_CTRUNC);
	/* Without SO_PASSCRED: no credentials. */
	set_passcred(sv[1], 0);
	assert_int_equal(ul_send(sv[0], "3", 1, 0), 1);
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(struct ucred)), 0);
	assert_int_equal(r.ret, 1);
	assert_false(r.have_cred);
	assert_int_equal(r.flags & MSG_CTRUNC, 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* Stream: a read never glues the bytes of writers with different credentials. */
static void test_credentials_stream_no_glue(void **state)
{
	int sv[2];
	struct ucred uc = { .pid = 77, .uid = 5, .gid = 6 };
	char buf[16];
	struct rcvd r;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	set_passcred(sv[1], 1);
	assert_int_equal(ul_send(sv[0], "aa", 2, 0), 2);
	assert_int_equal(ul_send(sv[0], "AA", 2, 0), 2);
	assert_int_equal(send_creds(sv[0], "bb", 2, &uc), 2);
	/* The two writes of the same credentials glue; the third stays apart. */
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(struct ucred)), 0);
	assert_int_equal(r.ret, 4);
	assert_memory_equal(buf, "aaAA", 4);
	assert_int_equal(r.cred.pid, current->pid);
	r = recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(struct ucred)), 0);
	assert_int_equal(r.ret, 2);
	assert_memory_equal(buf, "bb", 2);
	assert_int_equal(r.cred.pid, 77);
	assert_int_equal(r.cred.uid, 5);
	assert_int_equal(r.cred.gid, 6);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

static void assert_peercred(int fd, int pid, uid_t uid, gid_t gid)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	memset(&uc, 0x5a, sizeof(uc));
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len), 0);
	assert_int_equal(len, sizeof(uc));
	assert_int_equal(uc.pid, pid);
	assert_int_equal(uc.uid, uid);
	assert_int_equal(uc.gid, gid);
}

struct peer_arg {
	int server_pid;
	int pid;
	int done;
};

static int peercred_client(void *arg)
{
	struct peer_arg *pa = arg;
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "/cred.sock" };
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 11);
	int c = ul_socket(AF_UNIX, SOCK_STREAM, 0);
	char b;

	pa->pid = current->pid;
	if (c < 0 || ul_connect(c, (struct sockaddr *)&sun, len) != 0)
		return 1;
	/* The connecting end sees the listener's credentials (taken at listen()). */
	{
		struct ucred uc;
		socklen_t ul = sizeof(uc);

		if (ul_getsockopt(c, SOL_SOCKET, SO_PEERCRED, &uc, &ul) != 0 || uc.pid != pa->server_pid ||
		    uc.uid != 0 || uc.gid != 0)
			return 2;
	}
	if (ul_recv(c, &b, 1, 0) != 1)
		return 3;
	ul_close(c);
	pa->done = 1;
	return 0;
}

/* SO_PEERCRED: socketpair gives each end the creator; connect/accept between two tasks
 * gives the accepted socket the connecting task's, the connecting one the listener's; a
 * socket without a peer: pid 0, uid and gid -1. A short buffer gets the pid only. */
static void test_peercred(void **state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "/cred.sock" };
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 11);
	struct peer_arg pa = { .server_pid = current->pid };
	struct ul_task *t;
	int sv[2], l, a, d, pid = 0;
	socklen_t olen = sizeof(pid);

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_peercred(sv[0], current->pid, 0, 0);
	assert_peercred(sv[1], current->pid, 0, 0);
	assert_int_equal(ul_getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &pid, &olen), 0);
	assert_int_equal(olen, sizeof(int));
	assert_int_equal(pid, current->pid);
	d = ul_socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_peercred(d, 0, (uid_t)-1, (gid_t)-1);
	/* It is not settable. */
	assert_errno(ul_setsockopt(d, SOL_SOCKET, SO_PEERCRED, &pid, sizeof(pid)), ENOPROTOOPT);

	l = ul_socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(ul_bind(l, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(ul_listen(l, 4), 0);
	t = ul_task_spawn(NULL, "client", 1, peercred_client, &pa);
	assert_non_null(t);
	a = ul_accept(l, NULL, NULL);
	assert_true(a >= 0);
	assert_true(pa.pid > 1);
	assert_peercred(a, pa.pid, 0, 0);
	assert_int_equal(ul_send(a, "!", 1, 0), 1);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(pa.done, 1);
	assert_int_equal(ul_close(a), 0);
	assert_int_equal(ul_close(l), 0);
	assert_int_equal(ul_close(d), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* Passing an fd from one task's table to another's. */
struct pass_arg {
	int sock;	/* in the receiving task: filled in by the test */
	int got;
	char text[8];
};

static int receiver_task(void *arg)
{
	struct pass_arg *pa = arg;
	char buf[8];
	struct rcvd r;

	r = recv_fds(pa->sock, buf, sizeof(buf), CMSG_SPACE(sizeof(int)), 0);
	if (r.ret != 1 || r.nfds != 1)
		return 1;
	pa->got = r.fds[0];
	if (ul_read(r.fds[0], pa->text, sizeof(pa->text) - 1) != 4)
		return 2;
	ul_close(r.fds[0]);
	return 0;
}

static int sender_task(void *arg)
{
	struct pass_arg *pa = arg;
	int mf = ul_memfd_create("x", 0);

	if (mf < 0 || ul_write(mf, "fdfd", 4) != 4 || ul_lseek(mf, 0, SEEK_SET) != 0)
		return 1;
	if (send_fds(pa->sock, "p", 1, &mf, 1) != 1)
		return 2;
	ul_close(mf);
	return 0;
}

/* A memory file opened by one task is read by another through the fd it received (each
 * task has its own fd table). The sockets reach the tasks by an abstract name. */
static int receiver_main(void *arg)
{
	struct pass_arg *pa = arg;
	int s = unix_bound_dgram("rx"), ret;

	if (s < 0)
		return 10;
	pa->sock = s;
	ret = receiver_task(pa);
	ul_close(s);
	return ret;
}

static int sender_main(void *arg)
{
	struct pass_arg *pa = arg;
	struct pass_arg mine = *pa;
	int s, ret, i;

	/* Wait (bounded) for the receiver's name. */
	for (i = 0; i < 1000 && (s = unix_connected_dgram("rx")) < 0; i++)
		ul_sleep(1000000);
	if (s < 0)
		return 10;
	mine.sock = s;
	ret = sender_task(&mine);
	ul_close(s);
	return ret;
}

static void test_rights_between_tasks(void **state)
{
	struct pass_arg pa = { 0 };
	struct ul_task *rx, *tx;

	rx = ul_task_spawn(NULL, "rx", 0, receiver_main, &pa);
	tx = ul_task_spawn(NULL, "tx", 1, sender_main, &pa);
	assert_non_null(rx);
	assert_non_null(tx);
	assert_int_equal(ul_task_join(tx), 0);
	assert_int_equal(ul_task_join(rx), 0);
	assert_true(pa.got >= 0);
	assert_string_equal(pa.text, "fdfd");
	assert_int_equal(unix_tot_inflight, 0);
}


/* ------------------------------------------------------------------------------------------
 * Posix runtime: passing files and sockets between two threads while garbage is made and
 * collected on both (real locks: unix_gc_lock, the receive queues, the fd tables). */

#define CONC_ROUNDS 200

static const struct timeval conc_timeout = { .tv_sec = 10 };

static int conc_receiver(void *arg)
{
	int *result = arg;
	int s = unix_bound_dgram("conc"), i;

	*result = 100;
	if (s < 0 || ul_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &conc_timeout,
				   sizeof(conc_timeout)))
		return 1;
	for (i = 0; i < CONC_ROUNDS; i++) {
		union cbuf c;
		int round = -1, fds[2], type = 0, got = -1, k;
		socklen_t tl = sizeof(type);
		struct iovec iov = { .iov_base = &round, .iov_len = sizeof(round) };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
				      .msg_controllen = CMSG_SPACE(2 * sizeof(int)) };
		struct cmsghdr *cm;

		if (ul_recvmsg(s, &msg, 0) != sizeof(round))
			return 2;	/* a lost wakeup ends here after 10 s */
		cm = CMSG_FIRSTHDR(&msg);
		if (round != i || !cm || cm->cmsg_type != SCM_RIGHTS ||
		    cm->cmsg_len != CMSG_LEN(2 * sizeof(int)) || (msg.msg_flags & MSG_CTRUNC))
			return 3;
		memcpy(fds, CMSG_DATA(cm), sizeof(fds));
		/* The memory file holds the round number, at offset 0. */
		if (ul_lseek(fds[0], 0, SEEK_SET) != 0 || ul_read(fds[0], &got, sizeof(got)) !=
								   sizeof(got) || got != i)
			return 4;
		if (ul_getsockopt(fds[1], SOL_SOCKET, SO_TYPE, &type, &tl) || type != SOCK_STREAM)
			return 5;
		for (k = 0; k < 2; k++)
			if (ul_close(fds[k]))
				return 6;
		/* Now and then an AF_UNIX release here: it runs the GC on this thread. */
		if (i % 7 == 0) {
			int t = ul_socket(AF_UNIX, SOCK_DGRAM, 0);

			if (t < 0 || ul_close(t))
				return 7;
		}
	}
	ul_close(s);
	*result = 0;
	return 0;
}

static int conc_sender(void *arg)
{
	int *result = arg;
	int s = -1, i;

	*result = 100;
	for (i = 0; i < 2000 && (s = unix_connected_dgram("conc")) < 0; i++)
		ul_sleep(1000000);
	if (s < 0 || ul_setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &conc_timeout,
				   sizeof(conc_timeout)))
		return 1;
	for (i = 0; i < CONC_ROUNDS; i++) {
		int mf = ul_memfd_create("c", 0), z[2], g[2], fds[2];

		if (mf < 0 || ul_write(mf, &i, sizeof(i)) != sizeof(i))
			return 2;
		if (ul_socketpair(AF_UNIX, SOCK_STREAM, 0, z))
			return 3;
		fds[0] = mf;
		fds[1] = z[0];
		if (send_fds(s, &i, sizeof(i), fds, 2) != sizeof(i))
			return 4;	/* a lost wakeup ends here after 10 s */
		if (ul_close(mf) || ul_close(z[0]) || ul_close(z[1]))
			return 5;
		/* Garbage: a socket queued in itself, then closed. */
		if (i % 5 == 0) {
			if (ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, g))
				return 6;
			if (send_fds(g[0], "g", 1, &g[1], 1) != 1)
				return 7;
			if (ul_close(g[0]) || ul_close(g[1]))
				return 8;
		}
	}
	ul_close(s);
	*result = 0;
	return 0;
}

static void test_posix_pass_and_collect(void **state)
{
	int rres = -1, sres = -1;
	struct ul_task *rx = ul_task_spawn(NULL, "rx", 0, conc_receiver, &rres);
	struct ul_task *tx = ul_task_spawn(NULL, "tx", 1, conc_sender, &sres);

	assert_non_null(rx);
	assert_non_null(tx);
	assert_int_equal(ul_task_join(tx), 0);
	assert_int_equal(ul_task_join(rx), 0);
	assert_int_equal(sres, 0);
	assert_int_equal(rres, 0);
	/* Whatever garbage the last rounds left goes at the next release. */
	kick_gc();
	assert_int_equal(unix_tot_inflight, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rights_stream, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_rights_dgram_cloexec, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_rights_ctrunc, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_rights_rlimit, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_rights_peek, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_rights_stream_boundaries, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_rights_max_fd, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_scm_send_errnos, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_rights_recursion_limit, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_inflight_sent_over_itself, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_gc_self_cycle, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_gc_two_cycle_and_survivor, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_gc_listener_in_embryo, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_credentials_dgram, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_credentials_stream_no_glue,
						ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_peercred, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_rights_between_tasks, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_posix_pass_and_collect, ul_test_setup_posix,
						unix_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
