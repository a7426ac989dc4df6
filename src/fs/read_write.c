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
 * A memory file is an array of order-0 pages (struct page, linux/mm.h), as shmem's page
 * cache: sendfile hands each page to the socket's ->sendpage (do_splice_direct ->
 * pipe_to_sendpage), which for TCP on a scatter-gather route takes a page reference and
 * counts the bytes as UL_COPY_ZEROCOPY (tcp_sendpage); without SG, sock_no_sendpage copies
 * (UL_COPY_KERNEL). A socket with no ->sendpage (UDP, AF_UNIX) gets the pages as an iovec
 * through its sendmsg: one kernel copy.
 * DIVERGES: sendfile's output must be a socket and its input a memory file (Linux also
 * writes to regular files, and reads from any file with splice_read); anything else is
 * EINVAL. A datagram socket receives the whole @count as one datagram (3.10 corks with
 * MSG_MORE to the same effect). A page sent by reference and then overwritten in the file
 * changes the bytes still queued, as in Linux.
 *
 * LOCKING: a memory file's f_lock guards its size, page array and f_pos. */
#include <stdint.h>
#include "linux/errno.h"
#include "linux/fdtable.h"
#include "linux/fs.h"
#include "linux/kernel.h"
#include "linux/mm.h"
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
	struct page **pages;	/* kmalloc'ed; npages entries, each an order-0 page */
	size_t npages;		/* pages allocated: they cover [0, npages * PAGE_SIZE) */
	size_t cap;		/* entries in pages[] */
	size_t size;		/* i_size */
};

static const struct file_operations memfd_fops;

static struct memfd *file_memfd(struct file *file)
{
	return file->f_op == &memfd_fops ? file->private_data : NULL;
}

/* Have zeroed pages up to @size bytes (the page array doubles). Caller holds f_lock. */
static int memfd_reserve(struct memfd *m, size_t size)
{
	size_t need = (size + PAGE_SIZE - 1) / PAGE_SIZE;

	if (need > m->cap) {
		size_t cap = m->cap ? m->cap : 16;
		struct page **n;

		while (cap < need)
			cap *= 2;
		n = kmalloc(cap * sizeof(*n), GFP_KERNEL);
		if (!n)
			return -ENOMEM;
		if (m->npages)
			memcpy(n, m->pages, m->npages * sizeof(*n));
		kfree(m->pages);
		m->pages = n;
		m->cap = cap;
	}
	while (m->npages < need) {
		struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

		if (!page)
			return -ENOMEM;
		m->pages[m->npages++] = page;
	}
	return 0;
}

/* Drop the pages beyond @size and zero the tail of the last one (truncate_inode_pages):
 * an skb still holding one keeps it alive. Caller holds f_lock. */
static void memfd_truncate(struct memfd *m, size_t size)
{
	size_t keep = (size + PAGE_SIZE - 1) / PAGE_SIZE;

	while (m->npages > keep)
		put_page(m->pages[--m->npages]);
	if (size % PAGE_SIZE && keep)
		memset((u8 *)page_address(m->pages[keep - 1]) + size % PAGE_SIZE, 0,
		       PAGE_SIZE - size % PAGE_SIZE);
	m->size = size;
}

/* Copy between the file at @pos and @buf, @n bytes (already within the pages), page by
 * page. @to_user: file -> buf (copy_to_user), else buf -> file (copy_from_user). */
static void memfd_copy(struct memfd *m, loff_t pos, void *buf, size_t n, bool to_user)
{
	while (n) {
		size_t idx = (size_t)pos / PAGE_SIZE, off = (size_t)pos % PAGE_SIZE;
		size_t len = min_t(size_t, n, PAGE_SIZE - off);
		u8 *p = (u8 *)page_address(m->pages[idx]) + off;

		if (to_user)
			copy_to_user(buf, p, len);
		else
			copy_from_user(p, buf, len);
		buf = (u8 *)buf + len;
		pos += (loff_t)len;
		n -= len;
	}
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
		memfd_copy(m, file->f_pos, iov[i].iov_base, n, true);
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
		/* A write past the end leaves a hole of zeroes (the pages come zeroed). */
		err = memfd_reserve(m, (size_t)file->f_pos + n);
		if (err)
			break;
		memfd_copy(m, file->f_pos, iov[i].iov_base, n, false);
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
		memfd_truncate(m, 0);
		kfree(m->pages);
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
	/* Growing: pages of zeroes; shrinking: the pages beyond go, the last one's tail is
	 * zeroed so a later growth reads zeroes. */
	ret = memfd_reserve(m, (size_t)length);
	if (!ret) {
		if ((size_t)length < m->size)
			memfd_truncate(m, (size_t)length);
		else
			m->size = (size_t)length;
	}
	spin_unlock(&file->f_lock);
out:
	fput(file);
	return ret;
}

/* ------------------------------------------------------------------------------------------
 * sendfile. */

/* A socket without ->sendpage: the pages of [@pos, @pos + @len) go through its sendmsg as an
 * iovec (kernel_sendmsg): one copy into the socket's skbs, counted as a kernel copy.
 * Caller holds a reference on each page (@pages). Bytes taken or -errno. */
static int kernel_sendmsg_pages(struct socket *sock, struct page **pages, loff_t pos,
				size_t len, int flags)
{
	struct iovec iov_stack[16], *iov = iov_stack;
	struct msghdr msg = { 0 };
	size_t n = 0, left = len;
	int ret;

	if ((size_t)(pos % PAGE_SIZE) + len > ARRAY_SIZE(iov_stack) * PAGE_SIZE) {
		size_t cnt = ((size_t)(pos % PAGE_SIZE) + len + PAGE_SIZE - 1) / PAGE_SIZE;

		if (cnt > UIO_MAXIOV)
			return -EMSGSIZE;
		iov = kmalloc(cnt * sizeof(*iov), GFP_KERNEL);
		if (!iov)
			return -ENOMEM;
	}
	while (left) {
		size_t off = (size_t)pos % PAGE_SIZE, chunk = min_t(size_t, left, PAGE_SIZE - off);

		iov[n].iov_base = (u8 *)page_address(pages[n]) + off;
		iov[n].iov_len = chunk;
		n++;
		pos += (loff_t)chunk;
		left -= chunk;
	}
	msg.msg_iov = iov;
	msg.msg_iovlen = n;
	msg.msg_flags = flags;
	ret = sock->ops->sendmsg(NULL, sock, &msg, len);
	if (ret > 0)
		ul_copy_account(UL_COPY_KERNEL, (size_t)ret);
	if (iov != iov_stack)
		kfree(iov);
	return ret;
}

/* Send [@pos, @pos + @len) of the file's pages (referenced in @pages) through ->sendpage,
 * page by page as pipe_to_sendpage: MSG_MORE while more of the request follows,
 * MSG_SENDPAGE_NOTLAST inside a pipe-full (the protocol pushes at its end). Bytes taken or
 * -errno (with nothing taken). */
static ssize_t sendpage_pages(struct socket *sock, struct page **pages, loff_t pos, size_t len,
			      bool more, int flags)
{
	size_t done = 0;
	unsigned int n = 0;

	while (done < len) {
		size_t off = (size_t)pos % PAGE_SIZE, chunk = min_t(size_t, len - done, PAGE_SIZE - off);
		bool last = done + chunk == len;
		int fl = flags;
		ssize_t ret;

		if (more || !last)
			fl |= MSG_MORE;
		if (!last)
			fl |= MSG_SENDPAGE_NOTLAST;
		ret = sock->ops->sendpage(sock, pages[n++], (int)off, chunk, fl);
		if (ret <= 0)
			return done ? (ssize_t)done : ret;
		done += (size_t)ret;
		pos += ret;
		if ((size_t)ret < chunk)
			break;
	}
	return (ssize_t)done;
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
		struct page *pages[UIO_MAXIOV];
		size_t first, npg, i;
		ssize_t ret;

		/* Take the pages of the next pipe-full (a stream socket) or of the whole
		 * datagram, with a reference each (the splice pipe's), so the file may change
		 * size meanwhile. */
		spin_lock(&in->f_lock);
		if (pos >= (loff_t)m->size) {
			spin_unlock(&in->f_lock);
			break;		/* end of file */
		}
		chunk = min_t(size_t, count - done, m->size - (size_t)pos);
		if (sock->type == SOCK_STREAM && chunk > SPLICE_CHUNK - (size_t)pos % PAGE_SIZE)
			chunk = SPLICE_CHUNK - (size_t)pos % PAGE_SIZE;
		first = (size_t)pos / PAGE_SIZE;
		npg = ((size_t)pos % PAGE_SIZE + chunk + PAGE_SIZE - 1) / PAGE_SIZE;
		if (npg > ARRAY_SIZE(pages)) {
			spin_unlock(&in->f_lock);
			err = -EMSGSIZE;	/* a datagram above 4 MiB */
			break;
		}
		for (i = 0; i < npg; i++) {
			pages[i] = m->pages[first + i];
			get_page(pages[i]);
		}
		spin_unlock(&in->f_lock);

		if (sock->ops->sendpage)
			ret = sendpage_pages(sock, pages, pos, chunk, done + chunk < count, flags);
		else
			ret = kernel_sendmsg_pages(sock, pages, pos, chunk, flags);
		for (i = 0; i < npg; i++)
			put_page(pages[i]);
		err = (int)ret;
		if (ret <= 0)
			break;
		done += (size_t)ret;
		pos += ret;
		if ((size_t)ret < chunk)
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
