/* SPDX-License-Identifier: MIT */
/* Memory files, sendfile and the count of bytes the CPU copied (book ch1 "zero-copy").
 * Mirrors linux/fs/read_write.c (3.10): do_sendfile, vfs_llseek/generic_file_llseek; fs/splice.c
 * do_splice_direct and generic_splice_sendpage; mm/shmem.c memfd_create (Linux 3.17) and
 * shmem_setattr (ftruncate).
 *
 * ulnet has no filesystems, so a program that wants to "send a file" makes a memory file
 * (ul_memfd_create), writes it, and sends it with ul_sendfile. The ch1 lesson is the number
 * of copies: read(file) + write(socket) copies each byte twice through a user buffer
 * (copy_to_user, then copy_from_user); sendfile moves it inside the stack, from the file's
 * pages into the socket: with a zero-copy sendpage (TCP with a scatter-gather NIC) no CPU
 * copy at all, else one (sock_no_sendpage -> kernel_sendmsg).
 * DIVERGES: ulnet's skbs have no paged fragments (linux/skbuff.h), so no protocol has a
 * zero-copy sendpage yet: sendfile always takes the kernel_sendmsg path and counts one
 * kernel copy per byte (UL_COPY_KERNEL), never UL_COPY_ZEROCOPY. Its output must be a
 * socket and its input a memory file (Linux also writes to regular files, and reads from
 * any file with splice_read); anything else is EINVAL. A datagram socket receives the
 * whole @count as one datagram (3.10 corks with MSG_MORE to the same effect).
 *
 * LOCKING: a memory file's f_lock guards its size, data pointer and f_pos. */
#include <stdint.h>
#include "linux/errno.h"
#include "linux/fdtable.h"
#include "linux/fs.h"
#include "linux/kernel.h"
#include "linux/net.h"
#include "linux/slab.h"
#include "linux/socket.h"
#include "linux/syscalls.h"
#include "linux/uaccess.h"
#include "net/sock.h"
#include "ulnet/socket.h"

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC		0x0001U
#define MFD_ALLOW_SEALING	0x0002U
#endif
#define MFD_NAME_PREFIX		"memfd:"
#define MFD_NAME_MAX_LEN	(255 - 6)	/* NAME_MAX - strlen("memfd:") */
/* The splice pipe between file and socket holds PIPE_DEF_BUFFERS (16) pages. */
#define SPLICE_CHUNK		(16 * 4096)
/* s_maxbytes of tmpfs (MAX_LFS_FILESIZE): memory files stop well before. */
#define MEMFD_MAX_SIZE		((loff_t)1 << 31)
#define MAX_RW_COUNT_SENDFILE	((size_t)(0x7fffffff & ~4095))	/* INT_MAX & PAGE_MASK */

static u64 copy_stats[UL_COPY_NR];

void ul_copy_account(enum ul_copy_kind kind, size_t len)
{
	if ((unsigned int)kind < UL_COPY_NR)
		__atomic_add_fetch(&copy_stats[kind], (u64)len, __ATOMIC_RELAXED);
}

void ul_copy_stats_reset(void)
{
	memset(copy_stats, 0, sizeof(copy_stats));
}

UL_API void ul_copy_stats_get(struct ul_copy_stats *st)
{
	if (!st)
		return;
	st->copy_from_user = __atomic_load_n(&copy_stats[UL_COPY_FROM_USER], __ATOMIC_RELAXED);
	st->copy_to_user = __atomic_load_n(&copy_stats[UL_COPY_TO_USER], __ATOMIC_RELAXED);
	st->kernel_copy = __atomic_load_n(&copy_stats[UL_COPY_KERNEL], __ATOMIC_RELAXED);
	st->zerocopy = __atomic_load_n(&copy_stats[UL_COPY_ZEROCOPY], __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------------------------------------
 * Memory files (shmem). */

struct memfd {
	char *data;		/* kmalloc'ed; capacity cap bytes */
	size_t size;		/* i_size */
	size_t cap;
};

static const struct file_operations memfd_fops;

static struct memfd *file_memfd(struct file *file)
{
	return file->f_op == &memfd_fops ? file->private_data : NULL;
}

/* Grow the area to hold @size bytes (doubling). Caller holds f_lock. */
static int memfd_reserve(struct memfd *m, size_t size)
{
	size_t cap = m->cap ? m->cap : 4096;
	char *n;

	if (size <= m->cap)
		return 0;
	while (cap < size)
		cap *= 2;
	n = kmalloc(cap, GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	if (m->size)
		memcpy(n, m->data, m->size);
	kfree(m->data);
	m->data = n;
	m->cap = cap;
	return 0;
}

static ssize_t memfd_read_iter(struct file *file, const struct iovec *iov, unsigned long nr_segs)
{
	struct memfd *m = file->private_data;
	ssize_t done = 0;
	unsigned long i;

	spin_lock(&file->f_lock);
	for (i = 0; i < nr_segs; i++) {
		size_t n;

		if (file->f_pos >= (loff_t)m->size)
			break;
		n = min_t(size_t, iov[i].iov_len, m->size - (size_t)file->f_pos);
		copy_to_user(iov[i].iov_base, m->data + file->f_pos, n);
		file->f_pos += (loff_t)n;
		done += (ssize_t)n;
	}
	spin_unlock(&file->f_lock);
	return done;
}

static ssize_t memfd_write_iter(struct file *file, const struct iovec *iov,
				unsigned long nr_segs)
{
	struct memfd *m = file->private_data;
	ssize_t done = 0;
	unsigned long i;
	int err = 0;

	spin_lock(&file->f_lock);
	if (file->f_flags & O_APPEND)
		file->f_pos = (loff_t)m->size;
	for (i = 0; i < nr_segs && !err; i++) {
		size_t n = iov[i].iov_len;

		if (!n)
			continue;
		if (file->f_pos + (loff_t)n > MEMFD_MAX_SIZE) {
			err = -EFBIG;
			break;
		}
		err = memfd_reserve(m, (size_t)file->f_pos + n);
		if (err)
			break;
		/* A write past the end leaves a hole of zeroes. */
		if ((size_t)file->f_pos > m->size)
			memset(m->data + m->size, 0, (size_t)file->f_pos - m->size);
		copy_from_user(m->data + file->f_pos, iov[i].iov_base, n);
		file->f_pos += (loff_t)n;
		if ((size_t)file->f_pos > m->size)
			m->size = (size_t)file->f_pos;
		done += (ssize_t)n;
	}
	spin_unlock(&file->f_lock);
	return done ? done : err;
}

static ssize_t memfd_read(struct file *file, char *buf, size_t len, loff_t *ppos)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };

	return memfd_read_iter(file, &iov, 1);
}

static ssize_t memfd_write(struct file *file, const char *buf, size_t len, loff_t *ppos)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return memfd_write_iter(file, &iov, 1);
}

static int memfd_release(struct inode *inode, struct file *file)
{
	struct memfd *m = file->private_data;

	if (m) {
		kfree(m->data);
		kfree(m);
	}
	return 0;
}

/* A regular file: no ->poll (poll() reports DEFAULT_POLLMASK, epoll_ctl says EPERM), no
 * ioctl. */
static const struct file_operations memfd_fops = {
	.read = memfd_read,
	.write = memfd_write,
	.read_iter = memfd_read_iter,
	.write_iter = memfd_write_iter,
	.release = memfd_release,
};

static long do_memfd_create(const char *uname, unsigned int flags)
{
	struct memfd *m;
	struct file *file;
	struct path path;
	struct qstr name;
	char buf[sizeof(MFD_NAME_PREFIX) + MFD_NAME_MAX_LEN + 1];
	size_t len;
	int fd, error;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING))
		return -EINVAL;
	if (!uname)
		return -EFAULT;
	len = strnlen(uname, MFD_NAME_MAX_LEN + 1);
	if (len > MFD_NAME_MAX_LEN)
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s%s", MFD_NAME_PREFIX, uname);

	fd = get_unused_fd_flags((flags & MFD_CLOEXEC) ? O_CLOEXEC : 0);
	if (fd < 0)
		return fd;
	error = -ENOMEM;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		goto err_fd;
	name.name = buf;
	name.len = (unsigned int)strlen(buf);
	name.hash = 0;
	path.dentry = d_alloc_pseudo(&name);
	if (!path.dentry)
		goto err_m;
	file = alloc_file(&path, FMODE_READ | FMODE_WRITE, &memfd_fops);
	if (IS_ERR(file)) {
		error = (int)PTR_ERR(file);
		dput(path.dentry);
		goto err_m;
	}
	file->f_flags = O_RDWR;
	file->private_data = m;
	fd_install((unsigned int)fd, file);
	return fd;

err_m:
	kfree(m);
err_fd:
	put_unused_fd((unsigned int)fd);
	return error;
}

static long do_lseek(int fd, off_t offset, int whence)
{
	struct file *file;
	struct memfd *m;
	loff_t pos;
	long ret;

	if (fd < 0)
		return -EBADF;
	file = fget((unsigned int)fd);
	if (!file)
		return -EBADF;
	m = file_memfd(file);
	ret = -ESPIPE;		/* sockets, epoll: no_llseek */
	if (!m)
		goto out;
	spin_lock(&file->f_lock);
	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		pos = file->f_pos + offset;
		break;
	case SEEK_END:
		pos = (loff_t)m->size + offset;
		break;
	default:
		pos = -1;
		break;
	}
	if (pos < 0 || pos > MEMFD_MAX_SIZE) {
		ret = -EINVAL;
	} else {
		file->f_pos = pos;
		ret = (long)pos;
	}
	spin_unlock(&file->f_lock);
out:
	fput(file);
	return ret;
}

static long do_ftruncate(int fd, off_t length)
{
	struct file *file;
	struct memfd *m;
	long ret;

	if (length < 0)
		return -EINVAL;
	if (fd < 0)
		return -EBADF;
	file = fget((unsigned int)fd);
	if (!file)
		return -EBADF;
	m = file_memfd(file);
	ret = -EINVAL;		/* not a regular file */
	if (!m)
		goto out;
	ret = -EFBIG;
	if (length > MEMFD_MAX_SIZE)
		goto out;
	spin_lock(&file->f_lock);
	ret = memfd_reserve(m, (size_t)length);
	if (!ret) {
		if ((size_t)length > m->size)
			memset(m->data + m->size, 0, (size_t)length - m->size);
		m->size = (size_t)length;
	}
	spin_unlock(&file->f_lock);
out:
	fput(file);
	return ret;
}

/* ------------------------------------------------------------------------------------------
 * sendfile. */

/* Hand @len bytes at @data to the socket from inside the stack (kernel_sendmsg): no user
 * buffer, one copy into the socket's skbs. Returns bytes taken or -errno. */
static int kernel_sendmsg_buf(struct socket *sock, const void *data, size_t len, int flags)
{
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = { 0 };
	int ret;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_flags = flags;
	ret = sock->ops->sendmsg(NULL, sock, &msg, len);
	if (ret > 0)
		ul_copy_account(UL_COPY_KERNEL, (size_t)ret);
	return ret;
}

static ssize_t do_sendfile(int out_fd, int in_fd, off_t *ppos, size_t count)
{
	struct file *in, *out;
	struct memfd *m;
	struct socket *sock;
	loff_t pos;
	size_t done = 0, chunk;
	ssize_t retval;
	int err = 0, flags;

	/* Get input file, and verify that it is ok. */
	if (in_fd < 0 || out_fd < 0)
		return -EBADF;
	in = fget((unsigned int)in_fd);
	if (!in)
		return -EBADF;
	retval = -EBADF;
	if (!(in->f_mode & FMODE_READ))
		goto fput_in;
	/* Only a file with pages can be spliced from (3.10: ->splice_read). */
	retval = -EINVAL;
	m = file_memfd(in);
	if (!m)
		goto fput_in;
	if (ppos) {
		pos = *ppos;
		if (pos < 0)
			goto fput_in;
	} else {
		pos = in->f_pos;
	}
	if (count > MAX_RW_COUNT_SENDFILE)
		count = MAX_RW_COUNT_SENDFILE;

	/* Get output file, and verify that it is ok. */
	retval = -EBADF;
	out = fget((unsigned int)out_fd);
	if (!out)
		goto fput_in;
	if (!(out->f_mode & FMODE_WRITE))
		goto fput_out;
	retval = -EINVAL;
	sock = sock_from_file(out, &err);
	if (!sock)
		goto fput_out;

	flags = (out->f_flags & O_NONBLOCK) ? MSG_DONTWAIT : 0;
	retval = 0;
	while (done < count) {
		const char *src;

		spin_lock(&in->f_lock);
		if (pos >= (loff_t)m->size) {
			spin_unlock(&in->f_lock);
			break;		/* end of file */
		}
		chunk = min_t(size_t, count - done, m->size - (size_t)pos);
		src = m->data + pos;
		spin_unlock(&in->f_lock);
		/* Stream sockets take the data a pipe-full at a time (do_splice_direct);
		 * a datagram socket gets it in one message. */
		if (sock->type == SOCK_STREAM && chunk > SPLICE_CHUNK)
			chunk = SPLICE_CHUNK;
		err = kernel_sendmsg_buf(sock, src, chunk, flags);
		if (err <= 0)
			break;
		done += (size_t)err;
		pos += err;
		if ((size_t)err < chunk)
			break;
		err = 0;
	}
	retval = done ? (ssize_t)done : err;

	if (ppos)
		*ppos = pos;
	else
		in->f_pos = pos;
fput_out:
	fput(out);
fput_in:
	fput(in);
	return retval;
}

UL_API int ul_memfd_create(const char *name, unsigned int flags)
{
	return (int)UL_SYSCALL(do_memfd_create(name, flags));
}

UL_API off_t ul_lseek(int fd, off_t offset, int whence)
{
	return (off_t)UL_SYSCALL(do_lseek(fd, offset, whence));
}

UL_API int ul_ftruncate(int fd, off_t length)
{
	return (int)UL_SYSCALL(do_ftruncate(fd, length));
}

UL_API ssize_t ul_sendfile(int out_fd, int in_fd, off_t *offset, size_t count)
{
	return UL_SYSCALL(do_sendfile(out_fd, in_fd, offset, count));
}
