/* SPDX-License-Identifier: MIT */
/* The socket system calls and socket files: from an fd to the protocol's operations.
 * Mirrors linux/net/socket.c (3.10): sock_alloc_inode, sock_destroy_inode, sock_alloc,
 * sock_release, sock_alloc_file, sock_map_fd, sock_from_file, sockfd_lookup,
 * sockfd_lookup_light, sock_sendmsg, sock_recvmsg, __sock_create, sock_create,
 * sock_register, sock_unregister, the socket file_operations (sock_read/write via
 * do_sock_read/do_sock_write, sock_poll, sock_ioctl, sock_close), and the system calls
 * socket, bind, connect, getsockname, getpeername, sendto, send, recvfrom, recv, sendmsg,
 * recvmsg, setsockopt, getsockopt, shutdown, listen, accept4, socketpair; and
 * fs/read_write.c, fs/fcntl.c, fs/ioctl.c
 * for read, write, readv, writev, close, fcntl, ioctl on socket fds.
 *
 * The public ul_* calls (include/ulnet/socket.h) bracket each system call with
 * ul_syscall_enter/exit (its time is the task's sys time) and turn -errno into -1 + errno,
 * as the libc does.
 * Objects of one socket (book ch7): struct socket_alloc ("sock_inode_cache") with its
 * socket_wq, a struct file ("filp"), a dentry ("dentry"), and the protocol's sock ("UDP").
 * DIVERGES: 3.10 kmallocs the socket_wq (kmalloc-64) because RCU readers may still use it
 * after the socket is freed; ulnet frees them together anyway (no RCU grace period), so the
 * wq lives inside socket_alloc, one allocation less per socket, found by arithmetic
 * (sock_wq): socket 40 + inode 16 + socket_wq 24 = 80 B (linux/net.h and fs.h). */
#include <stdarg.h>
#include <sys/ioctl.h>
#include "linux/errno.h"
#include "linux/eventpoll.h"
#include "linux/fdtable.h"
#include "linux/fs.h"
#include "linux/kernel.h"
#include "linux/net.h"
#include "linux/netdevice.h"
#include "linux/sched.h"
#include "linux/slab.h"
#include "linux/socket.h"
#include "linux/syscalls.h"
#include "linux/uaccess.h"
#include "net/net_namespace.h"
#include "net/sock.h"
#include "ulnet/socket.h"

#ifndef SIOCINQ
#define SIOCINQ FIONREAD
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif
#define MAX_RW_COUNT (0x7fffffff & ~4095)	/* INT_MAX & PAGE_MASK (fs.h) */

static struct kmem_cache *sock_inode_cachep;
static const struct net_proto_family *net_families[NPROTO];
static DEFINE_SPINLOCK(net_family_lock);
static atomic_t sockets_in_use;		/* 3.10: per-CPU; "sockets: used" */
static bool sock_ready;

static const struct file_operations socket_file_ops;

/* DIVERGES: Linux links every built-in family and its initcall registers it. A static
 * library links only the objects something refers to, so the socket layer names the
 * families it is built with (PF_INET: inet_sock_init, which inet_init calls). */
extern int inet_sock_init(void);
static int (*const ul_builtin_families[])(void) __attribute__((used)) = { inet_sock_init };
/* PF_UNIX (net/unix/af_unix.c), brought up and down with the socket layer. */
int af_unix_init(void);
void af_unix_exit(void);

/* ------------------------------------------------------------------------------------------
 * Socket inodes and files. */

static void sock_destroy_inode(struct inode *inode)
{
	struct socket_alloc *ei = container_of(inode, struct socket_alloc, vfs_inode);

	kmem_cache_free(sock_inode_cachep, ei);
}

/* sockfs's super operations (3.10: sockfs_ops, with sock_alloc_inode too: ulnet's
 * sock_alloc allocates directly). */
static const struct super_operations sockfs_ops = {
	.destroy_inode = sock_destroy_inode,
};

static struct inode *sock_alloc_inode(void)
{
	struct socket_alloc *ei;
	struct socket_wq *wq;

	ei = kmem_cache_alloc(sock_inode_cachep, GFP_KERNEL);
	if (!ei)
		return NULL;
	wq = &ei->wq;
	init_waitqueue_head(&wq->wait);
	ei->socket.state = SS_UNCONNECTED;
	ei->socket.flags = 0;
	ei->socket.ops = NULL;
	ei->socket.sk = NULL;
	ei->socket.file = NULL;
	memset(&ei->vfs_inode, 0, sizeof(ei->vfs_inode));
	return &ei->vfs_inode;
}

struct socket *sock_alloc(void)
{
	struct inode *inode;
	struct socket *sock;

	if (!sock_ready)
		return NULL;
	inode = sock_alloc_inode();
	if (!inode)
		return NULL;
	sock = SOCKET_I(inode);
	inode->i_ino = get_next_ino();
	inode->i_mode = UL_S_IFSOCK | 0777;
	inode->i_uid = 0;
	atomic_set(&inode->i_count, 1);
	atomic_inc(&sockets_in_use);
	return sock;
}

unsigned long sock_i_ino(struct sock *sk)
{
	unsigned long ino;

	read_lock_bh(&sk->sk_callback_lock);
	ino = sk->sk_socket ? SOCK_INODE(sk->sk_socket)->i_ino : 0;
	read_unlock_bh(&sk->sk_callback_lock);
	return ino;
}

uid_t sock_i_uid(struct sock *sk)
{
	uid_t uid;

	read_lock_bh(&sk->sk_callback_lock);
	uid = sk->sk_socket ? SOCK_INODE(sk->sk_socket)->i_uid : 0;
	read_unlock_bh(&sk->sk_callback_lock);
	return uid;
}

int sock_inuse_get(void)
{
	return atomic_read(&sockets_in_use);
}

/* Close the protocol half. If the socket has a file, the inode goes with the file's dentry
 * (at the last fput); otherwise its reference is dropped here. */
void sock_release(struct socket *sock)
{
	if (sock->ops) {
		sock->ops->release(sock);
		sock->ops = NULL;
	}
	atomic_dec(&sockets_in_use);
	if (!sock->file) {
		iput(SOCK_INODE(sock));
		return;
	}
	sock->file = NULL;
}

struct file *sock_alloc_file(struct socket *sock, int flags, const char *dname)
{
	struct qstr name = { .name = "" };
	struct path path;
	struct file *file;

	if (dname) {
		name.name = dname;
		name.len = (unsigned int)strlen(name.name);
	} else if (sock->sk) {
		name.name = sock->sk->sk_prot->name;
		name.len = (unsigned int)strlen(name.name);
	}
	path.dentry = d_alloc_pseudo(&name);
	if (unlikely(!path.dentry))
		return ERR_PTR(-ENOMEM);
	/* The dentry takes the socket's inode reference. */
	d_instantiate(path.dentry, SOCK_INODE(sock));

	file = alloc_file(&path, FMODE_READ | FMODE_WRITE, &socket_file_ops);
	if (unlikely(IS_ERR(file))) {
		/* Keep the inode for the caller's sock_release; drop the dentry. */
		atomic_inc(&SOCK_INODE(sock)->i_count);
		dput(path.dentry);
		return file;
	}
	sock->file = file;
	file->f_flags = O_RDWR | ((unsigned int)flags & O_NONBLOCK);
	file->private_data = sock;
	return file;
}

int sock_map_fd(struct socket *sock, int flags)
{
	struct file *newfile;
	int fd = get_unused_fd_flags((unsigned int)flags);

	if (unlikely(fd < 0))
		return fd;
	newfile = sock_alloc_file(sock, flags, NULL);
	if (likely(!IS_ERR(newfile))) {
		fd_install((unsigned int)fd, newfile);
		return fd;
	}
	put_unused_fd((unsigned int)fd);
	return (int)PTR_ERR(newfile);
}

struct socket *sock_from_file(struct file *file, int *err)
{
	if (file->f_op == &socket_file_ops)
		return file->private_data;
	*err = -ENOTSOCK;
	return NULL;
}

struct socket *sockfd_lookup(int fd, int *err)
{
	struct file *file;
	struct socket *sock;

	if (fd < 0) {
		*err = -EBADF;
		return NULL;
	}
	file = fget((unsigned int)fd);
	if (!file) {
		*err = -EBADF;
		return NULL;
	}
	sock = sock_from_file(file, err);
	if (!sock)
		fput(file);
	return sock;
}

static struct socket *sockfd_lookup_light(int fd, int *err, int *fput_needed)
{
	struct file *file;
	struct socket *sock;

	*err = -EBADF;
	*fput_needed = 0;
	if (fd < 0)
		return NULL;
	file = fget_light((unsigned int)fd, fput_needed);
	if (file) {
		sock = sock_from_file(file, err);
		if (sock)
			return sock;
		fput_light(file, *fput_needed);
	}
	return NULL;
}

/* ------------------------------------------------------------------------------------------
 * Sending and receiving. */

/* The data of sendmsg/recvmsg crosses the user/stack boundary here: what the protocol took
 * was copied from the caller's buffers (copy_from_user), what it returned was copied to them
 * (copy_to_user). Counted for the zero-copy lesson (book ch1, fs/read_write.c). */
int sock_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	int ret = sock->ops->sendmsg(NULL, sock, msg, size);

	if (ret > 0)
		ul_copy_account(UL_COPY_FROM_USER, (size_t)ret);
	return ret;
}

int sock_recvmsg(struct socket *sock, struct msghdr *msg, size_t size, int flags)
{
	int ret = sock->ops->recvmsg(NULL, sock, msg, size, flags);

	/* MSG_TRUNC returns the real length of a datagram: only @size bytes were copied. */
	if (ret > 0)
		ul_copy_account(UL_COPY_TO_USER, min_t(size_t, (size_t)ret, size));
	return ret;
}

/* read/write and readv/writev on a socket: a msghdr without an address over a kernel copy
 * of the iovec (do_sock_read, do_sock_write; rw_copy_check_uvector's copy). */
static ssize_t sock_rw_iter(struct file *file, const struct iovec *uiov, unsigned long nr_segs,
			    bool write)
{
	struct socket *sock = file->private_data;
	struct iovec iovstack[UIO_FASTIOV], *iov = iovstack;
	struct msghdr msg = { 0 };
	size_t size;
	ssize_t ret;

	if (nr_segs > UIO_MAXIOV)
		return -EINVAL;
	if (nr_segs > UIO_FASTIOV) {
		iov = kmalloc(nr_segs * sizeof(*iov), GFP_KERNEL);
		if (!iov)
			return -ENOMEM;
	}
	memcpy(iov, uiov, nr_segs * sizeof(*iov));
	size = iov_length(iov, nr_segs);
	msg.msg_iov = iov;
	msg.msg_iovlen = nr_segs;
	msg.msg_flags = (file->f_flags & O_NONBLOCK) ? MSG_DONTWAIT : 0;
	if (!write) {
		ret = size ? sock_recvmsg(sock, &msg, size, msg.msg_flags) : 0;
	} else {
		if (sock->type == SOCK_SEQPACKET)
			msg.msg_flags |= MSG_EOR;
		ret = sock_sendmsg(sock, &msg, size);
	}
	if (iov != iovstack)
		kfree(iov);
	return ret;
}

/* read(2)/readv(2) on a socket: recvmsg without an address (do_sock_read). */
static ssize_t sock_read_iter(struct file *file, const struct iovec *uiov, unsigned long nr_segs)
{
	return sock_rw_iter(file, uiov, nr_segs, false);
}

static ssize_t sock_write_iter(struct file *file, const struct iovec *uiov,
			       unsigned long nr_segs)
{
	return sock_rw_iter(file, uiov, nr_segs, true);
}

static ssize_t sock_read(struct file *file, char *buf, size_t len, loff_t *ppos)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };

	return sock_read_iter(file, &iov, 1);
}

static ssize_t sock_write(struct file *file, const char *buf, size_t len, loff_t *ppos)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return sock_write_iter(file, &iov, 1);
}

static unsigned int sock_poll(struct file *file, poll_table *wait)
{
	struct socket *sock = file->private_data;

	return sock->ops->poll(file, sock, wait);
}

static long sock_do_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	int err = sock->ops->ioctl(sock, cmd, arg);

	/* 3.10 passes unknown commands on to dev_ioctl (SIOCGIFxxx); ulnet has none of them
	 * yet, and dev_ioctl answers an unknown command with -ENOTTY. */
	if (err == -ENOIOCTLCMD)
		err = -ENOTTY;
	return err;
}

static long sock_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct socket *sock = file->private_data;

	return sock_do_ioctl(sock, cmd, arg);
}

/* The last reference to the file: close the socket (book ch7: the socket, sock, file and
 * dentry all go). */
static int sock_close(struct inode *inode, struct file *filp)
{
	if (!inode) {
		pr_err("sock_close: NULL inode\n");
		return 0;
	}
	sock_release(SOCKET_I(inode));
	return 0;
}

int sock_wake_async(struct socket *sock, int how, int band)
{
	/* SIGIO delivery (O_ASYNC) is not implemented: no socket has an fasync list (3.10's
	 * answer for a socket without one: -1, nothing signalled). */
	return -1;
}

static const struct file_operations socket_file_ops = {
	.read = sock_read,
	.write = sock_write,
	.read_iter = sock_read_iter,
	.write_iter = sock_write_iter,
	.poll = sock_poll,
	.unlocked_ioctl = sock_ioctl,
	.release = sock_close,
};

/* ------------------------------------------------------------------------------------------
 * Families and creation. */

int sock_register(const struct net_proto_family *ops)
{
	int err;

	if (ops->family >= NPROTO || ops->family < 0) {
		pr_err("protocol %d >= NPROTO(%d)\n", ops->family, NPROTO);
		return -ENOBUFS;
	}
	spin_lock(&net_family_lock);
	if (net_families[ops->family]) {
		err = -EEXIST;
	} else {
		net_families[ops->family] = ops;
		err = 0;
	}
	spin_unlock(&net_family_lock);
	if (!err)
		pr_info("NET: Registered protocol family %d\n", ops->family);
	return err;
}

void sock_unregister(int family)
{
	if (family < 0 || family >= NPROTO)
		return;
	spin_lock(&net_family_lock);
	net_families[family] = NULL;
	spin_unlock(&net_family_lock);
}

static const char *family_name(int family)
{
	switch (family) {
	case AF_UNIX:
		return "AF_UNIX";
	case AF_INET:
		return "AF_INET";
	case AF_INET6:
		return "AF_INET6";
	case AF_NETLINK:
		return "AF_NETLINK";
	case AF_PACKET:
		return "AF_PACKET";
	default:
		return "unknown";
	}
}

int __sock_create(struct net *net, int family, int type, int protocol, struct socket **res,
		  int kern)
{
	const struct net_proto_family *pf;
	struct socket *sock;
	int err;

	if (family < 0 || family >= NPROTO)
		return -EAFNOSUPPORT;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	/* Compatibility: PF_INET/SOCK_PACKET became PF_PACKET (3.10 warns once). */
	if (family == PF_INET && type == SOCK_PACKET) {
		pr_info("socket: SOCK_PACKET of PF_INET is obsolete, use PF_PACKET\n");
		family = PF_PACKET;
	}

	sock = sock_alloc();
	if (!sock) {
		net_warn_ratelimited("socket: no more sockets\n");
		return -ENFILE;
	}
	sock->type = (short)type;

	spin_lock(&net_family_lock);
	pf = net_families[family];
	spin_unlock(&net_family_lock);
	if (!pf) {
		/* 3.10 would request_module("net-pf-%d"); ulnet has no such family yet. */
		printk(KERN_INFO "socket: address family %d (%s) is not supported by ulnet\n",
		       family, family_name(family));
		err = -EAFNOSUPPORT;
		goto out_release;
	}
	err = pf->create(net, sock, protocol, kern);
	if (err < 0)
		goto out_release;
	*res = sock;
	return 0;

out_release:
	sock->ops = NULL;
	sock_release(sock);
	return err;
}

static struct net *current_net(void)
{
	struct task_struct *p = current;

	return (p && p->net) ? p->net : &init_net;
}

int sock_create(int family, int type, int protocol, struct socket **res)
{
	return __sock_create(current_net(), family, type, protocol, res, 0);
}

int sock_create_kern(int family, int type, int protocol, struct socket **res)
{
	return __sock_create(&init_net, family, type, protocol, res, 1);
}

/* ------------------------------------------------------------------------------------------
 * The system calls (return a value or -errno). */

static int __sys_socket(int family, int type, int protocol)
{
	struct socket *sock;
	int retval, flags;

	BUILD_BUG_ON(SOCK_CLOEXEC != O_CLOEXEC);
	BUILD_BUG_ON((SOCK_MAX | SOCK_TYPE_MASK) != SOCK_TYPE_MASK);
	BUILD_BUG_ON(SOCK_NONBLOCK != O_NONBLOCK);

	flags = type & ~SOCK_TYPE_MASK;
	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	type &= SOCK_TYPE_MASK;

	retval = sock_create(family, type, protocol, &sock);
	if (retval < 0)
		return retval;
	retval = sock_map_fd(sock, flags & (O_CLOEXEC | O_NONBLOCK));
	if (retval < 0)
		sock_release(sock);
	return retval;
}

static int __sys_bind(int fd, const struct sockaddr *umyaddr, int addrlen)
{
	struct socket *sock;
	struct sockaddr_storage address;
	int err, fput_needed;

	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (sock) {
		err = move_addr_to_kernel(umyaddr, addrlen, &address);
		if (err >= 0)
			err = sock->ops->bind(sock, (struct sockaddr *)&address, addrlen);
		fput_light(sock->file, fput_needed);
	}
	return err;
}

static int __sys_connect(int fd, const struct sockaddr *uservaddr, int addrlen)
{
	struct socket *sock;
	struct sockaddr_storage address;
	int err, fput_needed;

	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (!sock)
		return err;
	err = move_addr_to_kernel(uservaddr, addrlen, &address);
	if (err >= 0)
		err = sock->ops->connect(sock, (struct sockaddr *)&address, addrlen,
					 (int)sock->file->f_flags);
	fput_light(sock->file, fput_needed);
	return err;
}

/* listen(2): a backlog above net.core.somaxconn (or negative, compared unsigned) becomes
 * somaxconn (facts.md §3.1). */
static int __sys_listen(int fd, int backlog)
{
	struct socket *sock;
	int err, fput_needed;
	int somaxconn;

	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (sock) {
		somaxconn = sock_net(sock->sk)->core.sysctl_somaxconn;
		if ((unsigned int)backlog > (unsigned int)somaxconn)
			backlog = somaxconn;
		err = sock->ops->listen(sock, backlog);
		fput_light(sock->file, fput_needed);
	}
	return err;
}

/* accept4(2): a new socket of the listener's type and ops gets the connection the
 * protocol's accept hands over (inet_accept), then an fd. */
static int __sys_accept4(int fd, struct sockaddr *upeer_sockaddr, socklen_t *upeer_addrlen,
			 int flags)
{
	struct socket *sock, *newsock;
	struct file *newfile;
	int err, len, newfd, fput_needed;
	struct sockaddr_storage address;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (!sock)
		goto out;
	err = -ENFILE;
	newsock = sock_alloc();
	if (!newsock)
		goto out_put;
	newsock->type = sock->type;
	newsock->ops = sock->ops;

	newfd = get_unused_fd_flags((unsigned int)flags & O_CLOEXEC);
	if (unlikely(newfd < 0)) {
		err = newfd;
		sock_release(newsock);
		goto out_put;
	}
	newfile = sock_alloc_file(newsock, flags & O_NONBLOCK, sock->sk->sk_prot->name);
	if (unlikely(IS_ERR(newfile))) {
		err = (int)PTR_ERR(newfile);
		put_unused_fd((unsigned int)newfd);
		sock_release(newsock);
		goto out_put;
	}
	err = sock->ops->accept(sock, newsock, (int)sock->file->f_flags);
	if (err < 0)
		goto out_fd;
	if (upeer_sockaddr) {
		memset(&address, 0, sizeof(address));
		if (newsock->ops->getname(newsock, (struct sockaddr *)&address, &len, 2) < 0) {
			err = -ECONNABORTED;
			goto out_fd;
		}
		err = move_addr_to_user(&address, len, upeer_sockaddr, upeer_addrlen);
		if (err < 0)
			goto out_fd;
	}
	fd_install((unsigned int)newfd, newfile);
	err = newfd;
out_put:
	fput_light(sock->file, fput_needed);
out:
	return err;
out_fd:
	fput(newfile);
	put_unused_fd((unsigned int)newfd);
	goto out_put;
}

/* socketpair(2): two sockets of one family joined by ops->socketpair, then two fds. */
static int __sys_socketpair(int family, int type, int protocol, int *usockvec)
{
	struct socket *sock1, *sock2;
	struct file *newfile1, *newfile2;
	int fd1, fd2, err, flags;

	flags = type & ~SOCK_TYPE_MASK;
	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	type &= SOCK_TYPE_MASK;
	if (!usockvec)
		return -EFAULT;

	err = sock_create(family, type, protocol, &sock1);
	if (err < 0)
		goto out;
	err = sock_create(family, type, protocol, &sock2);
	if (err < 0)
		goto out_release_1;
	err = sock1->ops->socketpair(sock1, sock2);
	if (err < 0)
		goto out_release_both;

	fd1 = get_unused_fd_flags((unsigned int)flags & O_CLOEXEC);
	if (unlikely(fd1 < 0)) {
		err = fd1;
		goto out_release_both;
	}
	fd2 = get_unused_fd_flags((unsigned int)flags & O_CLOEXEC);
	if (unlikely(fd2 < 0)) {
		err = fd2;
		put_unused_fd((unsigned int)fd1);
		goto out_release_both;
	}
	newfile1 = sock_alloc_file(sock1, flags, NULL);
	if (unlikely(IS_ERR(newfile1))) {
		err = (int)PTR_ERR(newfile1);
		put_unused_fd((unsigned int)fd1);
		put_unused_fd((unsigned int)fd2);
		goto out_release_both;
	}
	newfile2 = sock_alloc_file(sock2, flags, NULL);
	if (IS_ERR(newfile2)) {
		err = (int)PTR_ERR(newfile2);
		fput(newfile1);
		put_unused_fd((unsigned int)fd1);
		put_unused_fd((unsigned int)fd2);
		sock_release(sock2);
		goto out;
	}
	fd_install((unsigned int)fd1, newfile1);
	fd_install((unsigned int)fd2, newfile2);
	usockvec[0] = fd1;
	usockvec[1] = fd2;
	return 0;

out_release_both:
	sock_release(sock2);
out_release_1:
	sock_release(sock1);
out:
	return err;
}

static int __sys_getname(int fd, struct sockaddr *usockaddr, socklen_t *usockaddr_len,
			 int peer)
{
	struct socket *sock;
	struct sockaddr_storage address;
	int len = 0, err, fput_needed;

	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (!sock)
		return err;
	memset(&address, 0, sizeof(address));
	err = sock->ops->getname(sock, (struct sockaddr *)&address, &len, peer);
	if (!err)
		err = move_addr_to_user(&address, len, usockaddr, usockaddr_len);
	fput_light(sock->file, fput_needed);
	return err;
}

static ssize_t __sys_sendto(int fd, const void *buff, size_t len, unsigned int flags,
			    const struct sockaddr *addr, int addr_len)
{
	struct socket *sock;
	struct sockaddr_storage address;
	struct msghdr msg = { 0 };
	struct iovec iov;
	int err, fput_needed;

	if (len > 0x7fffffff)
		len = 0x7fffffff;
	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (!sock)
		return err;
	iov.iov_base = (void *)buff;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (addr) {
		err = move_addr_to_kernel(addr, addr_len, &address);
		if (err < 0)
			goto out_put;
		msg.msg_name = (struct sockaddr *)&address;
		msg.msg_namelen = (socklen_t)addr_len;
	}
	/* DIVERGES: Linux faults (EFAULT) when it copies from a bad buffer; a NULL buffer is
	 * refused here before anything is built. */
	err = -EFAULT;
	if (len && !buff)
		goto out_put;
	if (sock->file->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	msg.msg_flags = (int)flags;
	err = sock_sendmsg(sock, &msg, len);
out_put:
	fput_light(sock->file, fput_needed);
	return err;
}

static ssize_t __sys_recvfrom(int fd, void *ubuf, size_t size, unsigned int flags,
			      struct sockaddr *addr, socklen_t *addr_len)
{
	struct socket *sock;
	struct iovec iov;
	struct msghdr msg = { 0 };
	struct sockaddr_storage address;
	int err, err2, fput_needed;

	if (size > 0x7fffffff)
		size = 0x7fffffff;
	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (!sock)
		return err;
	/* DIVERGES: see __sys_sendto. (Linux would dequeue the datagram, fail the copy and
	 * count it in InErrors.) */
	err = -EFAULT;
	if (size && !ubuf)
		goto out_put;
	if (addr && !addr_len)
		goto out_put;
	iov.iov_base = ubuf;
	iov.iov_len = size;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_name = (struct sockaddr *)&address;
	msg.msg_namelen = 0;
	if (sock->file->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	err = sock_recvmsg(sock, &msg, size, (int)flags);
	if (err >= 0 && addr != NULL) {
		err2 = move_addr_to_user(&address, (int)msg.msg_namelen, addr, addr_len);
		if (err2 < 0)
			err = err2;
	}
out_put:
	fput_light(sock->file, fput_needed);
	return err;
}

static int __sys_setsockopt(int fd, int level, int optname, const void *optval, int optlen)
{
	struct socket *sock;
	int err, fput_needed;

	if (optlen < 0)
		return -EINVAL;
	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (!sock)
		return err;
	if (level == SOL_SOCKET)
		err = sock_setsockopt(sock, level, optname, (char *)optval, (unsigned int)optlen);
	else
		err = sock->ops->setsockopt(sock, level, optname, (char *)optval,
					    (unsigned int)optlen);
	fput_light(sock->file, fput_needed);
	return err;
}

static int __sys_getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen)
{
	struct socket *sock;
	int err, fput_needed, len;

	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (!sock)
		return err;
	err = -EFAULT;
	if (!optlen)
		goto out_put;
	len = (int)*optlen;
	if (level == SOL_SOCKET)
		err = sock_getsockopt(sock, level, optname, optval, &len);
	else
		err = sock->ops->getsockopt(sock, level, optname, optval, &len);
	if (!err)
		*optlen = (socklen_t)len;
out_put:
	fput_light(sock->file, fput_needed);
	return err;
}

static int __sys_shutdown(int fd, int how)
{
	struct socket *sock;
	int err, fput_needed;

	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (sock) {
		err = sock->ops->shutdown(sock, how);
		fput_light(sock->file, fput_needed);
	}
	return err;
}

/* sendmsg(2): the header is copied (the caller's is not changed), its iovec checked and
 * copied (verify_iovec), then the protocol consumes the copy. */
static ssize_t ___sys_sendmsg(struct socket *sock, const struct msghdr *msg, unsigned int flags)
{
	struct sockaddr_storage address;
	struct iovec iovstack[UIO_FASTIOV], *iov = iovstack;
	struct msghdr msg_sys;
	/* Room for a short control message on the stack (3.10: sizeof(struct cmsghdr) + 20,
	 * aligned for cmsg_len); larger ones come from the socket's option memory. */
	unsigned char ctl[sizeof(struct cmsghdr) + 20] __attribute__((aligned(sizeof(size_t))));
	unsigned char *ctl_buf = ctl;
	size_t ctl_len;
	int err, total_len;

	if (!msg)
		return -EFAULT;
	msg_sys = *msg;
	if (msg_sys.msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	if (msg_sys.msg_iovlen > UIO_FASTIOV) {
		iov = kmalloc(msg_sys.msg_iovlen * sizeof(struct iovec), GFP_KERNEL);
		if (!iov)
			return -ENOMEM;
	}
	err = verify_iovec(&msg_sys, iov, &address, VERIFY_READ);
	if (err < 0)
		goto out_freeiov;
	total_len = err;

	err = -ENOBUFS;
	if (msg_sys.msg_controllen > 0x7fffffff)
		goto out_freeiov;
	err = -EFAULT;
	if (msg_sys.msg_controllen && !msg_sys.msg_control)
		goto out_freeiov;
	/* The protocol parses a kernel copy of the control messages (scm_send): the
	 * caller cannot change them under it. Too large for optmem_max: ENOBUFS. */
	ctl_len = msg_sys.msg_controllen;
	if (ctl_len) {
		if (ctl_len > sizeof(ctl)) {
			err = -ENOBUFS;
			ctl_buf = sock_kmalloc(sock->sk, (int)ctl_len, GFP_KERNEL);
			if (ctl_buf == NULL)
				goto out_freeiov;
		}
		memcpy(ctl_buf, msg_sys.msg_control, ctl_len);
		msg_sys.msg_control = ctl_buf;
	}
	msg_sys.msg_flags = (int)flags;
	if (sock->file->f_flags & O_NONBLOCK)
		msg_sys.msg_flags |= MSG_DONTWAIT;
	err = sock_sendmsg(sock, &msg_sys, (size_t)total_len);
	if (ctl_buf != ctl)
		sock_kfree_s(sock->sk, ctl_buf, (int)ctl_len);
out_freeiov:
	if (iov != iovstack)
		kfree(iov);
	return err;
}

static ssize_t ___sys_recvmsg(struct socket *sock, struct msghdr *msg, unsigned int flags)
{
	struct sockaddr_storage addr;
	struct iovec iovstack[UIO_FASTIOV], *iov = iovstack;
	struct msghdr msg_sys;
	void *uaddr;
	void *cmsg_ptr;
	int err, total_len, len;

	if (!msg)
		return -EFAULT;
	msg_sys = *msg;
	if (msg_sys.msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	if (msg_sys.msg_iovlen > UIO_FASTIOV) {
		iov = kmalloc(msg_sys.msg_iovlen * sizeof(struct iovec), GFP_KERNEL);
		if (!iov)
			return -ENOMEM;
	}
	/* Save the caller's address pointer: verify_iovec points msg_name at the kernel's. */
	uaddr = msg_sys.msg_name;
	err = verify_iovec(&msg_sys, iov, &addr, VERIFY_WRITE);
	if (err < 0)
		goto out_freeiov;
	total_len = err;

	cmsg_ptr = msg_sys.msg_control;
	msg_sys.msg_flags = (int)(flags & MSG_CMSG_CLOEXEC);
	/* The protocol sets msg_namelen when it fills in an address. */
	msg_sys.msg_namelen = 0;
	if (sock->file->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	err = sock_recvmsg(sock, &msg_sys, (size_t)total_len, (int)flags);
	if (err < 0)
		goto out_freeiov;
	len = err;

	if (uaddr != NULL) {
		err = move_addr_to_user(&addr, (int)msg_sys.msg_namelen, uaddr, &msg->msg_namelen);
		if (err < 0)
			goto out_freeiov;
	}
	msg->msg_flags = msg_sys.msg_flags & ~MSG_CMSG_COMPAT;
	if (cmsg_ptr)
		msg->msg_controllen = (size_t)((char *)msg_sys.msg_control - (char *)cmsg_ptr);
	else
		msg->msg_controllen = 0;
	err = len;
out_freeiov:
	if (iov != iovstack)
		kfree(iov);
	return err;
}

static ssize_t __sys_sendmsg(int fd, const struct msghdr *msg, unsigned int flags)
{
	int fput_needed, err;
	ssize_t ret;
	struct socket *sock;

	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (!sock)
		return err;
	ret = ___sys_sendmsg(sock, msg, flags);
	fput_light(sock->file, fput_needed);
	return ret;
}

static ssize_t __sys_recvmsg(int fd, struct msghdr *msg, unsigned int flags)
{
	int fput_needed, err;
	ssize_t ret;
	struct socket *sock;

	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (!sock)
		return err;
	ret = ___sys_recvmsg(sock, msg, flags);
	fput_light(sock->file, fput_needed);
	return ret;
}

/* ---- read/write/readv/writev/close/fcntl/ioctl on any fd (fs/) ---- */

static ssize_t do_readv_writev(int fd, const struct iovec *uvec, unsigned long nr, bool write)
{
	struct file *file;
	int fput_needed;
	ssize_t ret;
	unsigned long i;
	size_t total = 0;

	if (fd < 0)
		return -EBADF;
	file = fget_light((unsigned int)fd, &fput_needed);
	if (!file)
		return -EBADF;
	ret = -EBADF;
	if (!(file->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		goto out;
	ret = -EINVAL;
	if (nr > UIO_MAXIOV)
		goto out;
	ret = -EFAULT;
	if (nr && !uvec)
		goto out;
	/* rw_copy_check_uvector: each length and the sum must stay within ssize_t. */
	for (i = 0; i < nr; i++) {
		ret = -EINVAL;
		if ((ssize_t)uvec[i].iov_len < 0 || uvec[i].iov_len > MAX_RW_COUNT - total)
			goto out;
		ret = -EFAULT;
		if (uvec[i].iov_len && !uvec[i].iov_base)
			goto out;
		total += uvec[i].iov_len;
	}
	ret = -EINVAL;
	if (write && !file->f_op->write_iter)
		goto out;
	if (!write && !file->f_op->read_iter)
		goto out;
	if (write)
		ret = file->f_op->write_iter(file, uvec, nr);
	else
		ret = file->f_op->read_iter(file, uvec, nr);
out:
	fput_light(file, fput_needed);
	return ret;
}

static ssize_t __sys_read(int fd, void *buf, size_t count)
{
	struct iovec iov = { .iov_base = buf, .iov_len = count };

	if (count > MAX_RW_COUNT)
		iov.iov_len = MAX_RW_COUNT;
	return do_readv_writev(fd, &iov, 1, false);
}

static ssize_t __sys_write(int fd, const void *buf, size_t count)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = count };

	if (count > MAX_RW_COUNT)
		iov.iov_len = MAX_RW_COUNT;
	return do_readv_writev(fd, &iov, 1, true);
}

/* F_SETFL may change these (fs/fcntl.c SETFL_MASK); O_NONBLOCK is what sockets use. */
#ifndef O_DIRECT
#define O_DIRECT	040000
#endif
#ifndef O_NOATIME
#define O_NOATIME	01000000
#endif
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_NDELAY | O_DIRECT | O_NOATIME)

static long do_fcntl(int fd, unsigned int cmd, unsigned long arg, struct file *filp)
{
	struct files_struct *files = get_task_files();
	long err = -EINVAL;

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= files->rlim_cur)
			return -EINVAL;
		err = __alloc_fd(files, (unsigned int)arg, (unsigned int)files->rlim_cur,
				 cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0);
		if (err >= 0)
			fd_install((unsigned int)err, get_file(filp));
		break;
	case F_GETFD:
		spin_lock(&files->file_lock);
		err = close_on_exec((unsigned int)fd, files_fdtable(files)) ? FD_CLOEXEC : 0;
		spin_unlock(&files->file_lock);
		break;
	case F_SETFD:
		spin_lock(&files->file_lock);
		if (arg & FD_CLOEXEC)
			__set_close_on_exec((unsigned int)fd, files_fdtable(files));
		else
			__clear_close_on_exec((unsigned int)fd, files_fdtable(files));
		spin_unlock(&files->file_lock);
		err = 0;
		break;
	case F_GETFL:
		err = filp->f_flags;
		break;
	case F_SETFL:
		/* O_ASYNC would need fasync (SIGIO): not implemented. */
		if (arg & O_ASYNC) {
			pr_info("fcntl: O_ASYNC (SIGIO) is not supported by ulnet\n");
			return -EINVAL;
		}
		spin_lock(&filp->f_lock);
		filp->f_flags = (filp->f_flags & ~(unsigned int)SETFL_MASK) |
				((unsigned int)arg & SETFL_MASK);
		spin_unlock(&filp->f_lock);
		err = 0;
		break;
	default:
		break;
	}
	return err;
}

static long __sys_fcntl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *filp;
	int fput_needed;
	long err;

	if (fd < 0)
		return -EBADF;
	filp = fget_light((unsigned int)fd, &fput_needed);
	if (!filp)
		return -EBADF;
	err = do_fcntl(fd, cmd, arg, filp);
	fput_light(filp, fput_needed);
	return err;
}

static long __sys_ioctl(int fd, unsigned int cmd, void *argp)
{
	struct file *filp;
	int fput_needed, on;
	long err;

	if (fd < 0)
		return -EBADF;
	filp = fget_light((unsigned int)fd, &fput_needed);
	if (!filp)
		return -EBADF;
	/* do_vfs_ioctl: the generic commands first. */
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX: {
		struct files_struct *files = get_task_files();

		spin_lock(&files->file_lock);
		if (cmd == FIOCLEX)
			__set_close_on_exec((unsigned int)fd, files_fdtable(files));
		else
			__clear_close_on_exec((unsigned int)fd, files_fdtable(files));
		spin_unlock(&files->file_lock);
		err = 0;
		break;
	}
	case FIONBIO:
		err = -EFAULT;
		if (!argp)
			break;
		on = *(int *)argp;
		spin_lock(&filp->f_lock);
		if (on)
			filp->f_flags |= O_NONBLOCK;
		else
			filp->f_flags &= ~(unsigned int)O_NONBLOCK;
		spin_unlock(&filp->f_lock);
		err = 0;
		break;
	default:
		err = -ENOTTY;
		if (filp->f_op->unlocked_ioctl)
			err = filp->f_op->unlocked_ioctl(filp, cmd, (unsigned long)argp);
		break;
	}
	fput_light(filp, fput_needed);
	return err;
}

/* ------------------------------------------------------------------------------------------
 * The public API: errno convention. */

/* -ERESTARTSYS and friends never reach a program: a signal-interrupted call returns EINTR
 * (ulnet has no signal handlers to restart). */
long ul_syscall_ret(long ret)
{
	if (ret >= 0)
		return ret;
	if (ret == -ERESTARTSYS || ret == -512 - 1 /* ERESTARTNOINTR */ ||
	    ret == -512 - 2 /* ERESTARTNOHAND */ || ret == -516 /* ERESTART_RESTARTBLOCK */)
		ret = -EINTR;
	else if (ret == -ENOIOCTLCMD)
		ret = -ENOTTY;
	errno = (int)-ret;
	return -1;
}

UL_API int ul_socket(int domain, int type, int protocol)
{
	return (int)UL_SYSCALL(__sys_socket(domain, type, protocol));
}

UL_API int ul_bind(int fd, const struct sockaddr *addr, socklen_t addrlen)
{
	return (int)UL_SYSCALL(__sys_bind(fd, addr, (int)addrlen));
}

UL_API int ul_connect(int fd, const struct sockaddr *addr, socklen_t addrlen)
{
	return (int)UL_SYSCALL(__sys_connect(fd, addr, (int)addrlen));
}

UL_API int ul_listen(int fd, int backlog)
{
	return (int)UL_SYSCALL(__sys_listen(fd, backlog));
}

UL_API int ul_accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags)
{
	return (int)UL_SYSCALL(__sys_accept4(fd, addr, addrlen, flags));
}

UL_API int ul_accept(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
	return (int)UL_SYSCALL(__sys_accept4(fd, addr, addrlen, 0));
}

UL_API int ul_getsockname(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
	return (int)UL_SYSCALL(__sys_getname(fd, addr, addrlen, 0));
}

UL_API int ul_getpeername(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
	return (int)UL_SYSCALL(__sys_getname(fd, addr, addrlen, 1));
}

UL_API ssize_t ul_sendto(int fd, const void *buf, size_t len, int flags,
			 const struct sockaddr *dest_addr, socklen_t addrlen)
{
	return UL_SYSCALL(__sys_sendto(fd, buf, len, (unsigned int)flags, dest_addr,
				       (int)addrlen));
}

UL_API ssize_t ul_send(int fd, const void *buf, size_t len, int flags)
{
	return UL_SYSCALL(__sys_sendto(fd, buf, len, (unsigned int)flags, NULL, 0));
}

UL_API ssize_t ul_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *src_addr,
			   socklen_t *addrlen)
{
	return UL_SYSCALL(__sys_recvfrom(fd, buf, len, (unsigned int)flags, src_addr, addrlen));
}

UL_API ssize_t ul_recv(int fd, void *buf, size_t len, int flags)
{
	return UL_SYSCALL(__sys_recvfrom(fd, buf, len, (unsigned int)flags, NULL, NULL));
}

UL_API ssize_t ul_sendmsg(int fd, const struct msghdr *msg, int flags)
{
	return UL_SYSCALL(__sys_sendmsg(fd, msg, (unsigned int)flags));
}

UL_API ssize_t ul_recvmsg(int fd, struct msghdr *msg, int flags)
{
	return UL_SYSCALL(__sys_recvmsg(fd, msg, (unsigned int)flags));
}

UL_API ssize_t ul_read(int fd, void *buf, size_t count)
{
	return UL_SYSCALL(__sys_read(fd, buf, count));
}

UL_API ssize_t ul_write(int fd, const void *buf, size_t count)
{
	return UL_SYSCALL(__sys_write(fd, buf, count));
}

UL_API ssize_t ul_readv(int fd, const struct iovec *iov, int iovcnt)
{
	if (iovcnt < 0)
		return ul_syscall_ret(-EINVAL);
	return UL_SYSCALL(do_readv_writev(fd, iov, (unsigned long)iovcnt, false));
}

UL_API ssize_t ul_writev(int fd, const struct iovec *iov, int iovcnt)
{
	if (iovcnt < 0)
		return ul_syscall_ret(-EINVAL);
	return UL_SYSCALL(do_readv_writev(fd, iov, (unsigned long)iovcnt, true));
}

UL_API int ul_close(int fd)
{
	return (int)UL_SYSCALL(fd < 0 ? -EBADF : close_fd((unsigned int)fd));
}

UL_API int ul_socketpair(int domain, int type, int protocol, int sv[2])
{
	return (int)UL_SYSCALL(__sys_socketpair(domain, type, protocol, sv));
}

UL_API int ul_shutdown(int fd, int how)
{
	return (int)UL_SYSCALL(__sys_shutdown(fd, how));
}

UL_API int ul_setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen)
{
	return (int)UL_SYSCALL(__sys_setsockopt(fd, level, optname, optval, (int)optlen));
}

UL_API int ul_getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen)
{
	return (int)UL_SYSCALL(__sys_getsockopt(fd, level, optname, optval, optlen));
}

UL_API int ul_fcntl(int fd, int cmd, ...)
{
	unsigned long arg = 0;
	va_list ap;

	/* Commands that take an argument pass an int (F_SETFL, F_SETFD, F_DUPFD). */
	if (cmd == F_SETFL || cmd == F_SETFD || cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) {
		va_start(ap, cmd);
		arg = (unsigned long)(unsigned int)va_arg(ap, int);
		va_end(ap);
	}
	return (int)UL_SYSCALL(__sys_fcntl(fd, (unsigned int)cmd, arg));
}

UL_API int ul_ioctl(int fd, unsigned long request, ...)
{
	void *argp;
	va_list ap;

	va_start(ap, request);
	argp = va_arg(ap, void *);
	va_end(ap);
	return (int)UL_SYSCALL(__sys_ioctl(fd, (unsigned int)request, argp));
}

static long do_getrlimit(int resource, struct rlimit *rlim)
{
	struct files_struct *files;

	if (resource != RLIMIT_NOFILE)
		return -EINVAL;
	if (!rlim)
		return -EFAULT;
	files = get_task_files();
	if (!files)
		return -EINVAL;
	rlim->rlim_cur = files->rlim_cur;
	rlim->rlim_max = files->rlim_max;
	return 0;
}

/* 3.10 do_prlimit: cur <= max, else EINVAL; max above fs.nr_open: EPERM. (Raising the hard
 * limit needs CAP_SYS_RESOURCE: ulnet's tasks have it.) */
static long do_setrlimit(int resource, const struct rlimit *rlim)
{
	struct files_struct *files;

	if (resource != RLIMIT_NOFILE)
		return -EINVAL;
	if (!rlim)
		return -EFAULT;
	if (rlim->rlim_cur > rlim->rlim_max)
		return -EINVAL;
	if (rlim->rlim_max > (rlim_t)sysctl_nr_open)
		return -EPERM;
	files = get_task_files();
	if (!files)
		return -EINVAL;
	files->rlim_cur = rlim->rlim_cur;
	files->rlim_max = rlim->rlim_max;
	return 0;
}

UL_API int ul_getrlimit(int resource, struct rlimit *rlim)
{
	return (int)UL_SYSCALL(do_getrlimit(resource, rlim));
}

UL_API int ul_setrlimit(int resource, const struct rlimit *rlim)
{
	return (int)UL_SYSCALL(do_setrlimit(resource, rlim));
}

/* ------------------------------------------------------------------------------------------
 * Boot. */

int sock_init(void)
{
	int err;

	/* DIVERGES: Linux sets up files and dentries in vfs_caches_init (start_kernel); in
	 * ulnet every file is a socket, so the socket layer brings them up. */
	err = files_init();
	if (err)
		return err;
	err = eventpoll_init();
	if (err) {
		files_fini();
		return err;
	}
	ul_copy_stats_reset();
	err = sk_init();
	if (err) {
		eventpoll_fini();
		files_fini();
		return err;
	}
	/* init_inodecache: SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | SLAB_MEM_SPREAD.
	 * DIVERGES (issue #10): not cache-line aligned. 3.10's alignment would round ulnet's
	 * 80 B socket_alloc up to 128 (48 B of every socket); without it 51 objects share an
	 * order-0 slab instead of 32. An object still spans two cache lines (80 B from a
	 * multiple of 16), but shares its first and last lines with its neighbours: two
	 * sockets used on two CPUs can bounce a line (false sharing), which 3.10's alignment
	 * prevents. */
	sock_inode_cachep = kmem_cache_create("sock_inode_cache", sizeof(struct socket_alloc), 0,
					      SLAB_RECLAIM_ACCOUNT | SLAB_MEM_SPREAD | SLAB_PANIC,
					      NULL);
	/* sockfs (3.10 mounts it here): the filesystem of S_IFSOCK inodes. */
	err = sock_inode_cachep ? register_pseudo_fs(UL_S_IFSOCK, &sockfs_ops) : -ENOMEM;
	if (err) {
		kmem_cache_destroy(sock_inode_cachep);
		sock_inode_cachep = NULL;
		sk_fini();
		eventpoll_fini();
		files_fini();
		return err;
	}
	memset(net_families, 0, sizeof(net_families));
	atomic_set(&sockets_in_use, 0);
	sock_ready = true;
	err = af_unix_init();
	if (err)
		pr_err("sock_init: AF_UNIX: %d\n", err);
	return 0;
}

/* Teardown, before the protocols go: the files tasks left open are closed first (their
 * sockets release into protocols that still exist). */
/* TCP's, when linked in (a program of UDP and AF_UNIX only does without it). */
extern void tcp_v4_abort_all(void) __attribute__((weak));

void sock_fini(void)
{
	if (!sock_ready)
		return;
	files_fini();
	/* Closing the fds left TCP orphans finishing their close: they go now. */
	if (tcp_v4_abort_all)
		tcp_v4_abort_all();
	af_unix_exit();
	eventpoll_fini();
	if (atomic_read(&sockets_in_use))
		pr_warn("sock_fini: %d sockets still in use\n", atomic_read(&sockets_in_use));
	sock_ready = false;
	unregister_pseudo_fs(UL_S_IFSOCK);
	kmem_cache_destroy(sock_inode_cachep);
	sock_inode_cachep = NULL;
	sk_fini();
}
