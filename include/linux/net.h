/* SPDX-License-Identifier: MIT */
/* The BSD socket layer: struct socket, its per-family ops and the family table.
 * Mirrors linux/include/linux/net.h (3.10): socket_state, struct socket, socket_wq,
 * proto_ops, net_proto_family, sock_register, sock_create, sock_release, sock_sendmsg,
 * sock_recvmsg, sock_alloc_file, sock_map_fd, sockfd_lookup; implemented in net/socket.c.
 *
 * Path of a call (book ch3): ul_recvfrom(fd) -> sockfd_lookup_light -> sock_recvmsg ->
 * sock->ops->recvmsg (inet_recvmsg) -> sk->sk_prot->recvmsg (udp_recvmsg).
 * A struct socket lives in a struct socket_alloc with its inode ("sock_inode_cache"); its
 * wait queue (socket_wq, also inside socket_alloc in ulnet) is where blocked readers and
 * writers sleep (sk->sk_wq points at it).
 *
 * DIVERGES: the struct kiocb argument of sendmsg/recvmsg is kept for the 3.10 signatures but
 * is always NULL (no AIO). */
#ifndef _LINUX_NET_H
#define _LINUX_NET_H
#include "linux/fs.h"
#include "linux/poll.h"
#include "linux/socket.h"
#include "linux/types.h"
#include "linux/wait.h"

struct file;
struct inode;
struct sock;
struct net;
struct kiocb;
struct socket;

#define NPROTO		AF_MAX
#define SOCK_MAX	(SOCK_PACKET + 1)
#define SOCK_TYPE_MASK	0xf

typedef enum {
	SS_FREE = 0,		/* not allocated */
	SS_UNCONNECTED,		/* unconnected to any socket */
	SS_CONNECTING,		/* in process of connecting */
	SS_CONNECTED,		/* connected to socket */
	SS_DISCONNECTING	/* in process of disconnecting */
} socket_state;

/* socket->flags bits */
#define SOCK_ASYNC_NOSPACE		0
#define SOCK_ASYNC_WAITDATA		1
#define SOCK_NOSPACE			2
#define SOCK_PASSCRED			3
#define SOCK_PASSSEC			4
#define SOCK_EXTERNALLY_ALLOCATED	5

/* sk_wake_async how */
enum {
	SOCK_WAKE_IO,
	SOCK_WAKE_WAITD,
	SOCK_WAKE_SPACE,
	SOCK_WAKE_URG,
};

/* DIVERGES: 3.10's socket_wq also has fasync_list (the O_ASYNC owners to signal with SIGIO)
 * and an rcu_head. ulnet refuses O_ASYNC (fcntl F_SETFL: -EINVAL), so the list would always
 * be empty, and frees the wq with its socket (no RCU): 24 B instead of 32 in every socket. */
struct socket_wq {
	wait_queue_head_t wait;		/* readers/writers/pollers of this socket */
};

/* DIVERGES (issue #10, memory per socket): 3.10's socket has a pointer to its socket_wq,
 * which it kmallocs apart so that RCU readers may still use it after the socket is freed.
 * ulnet frees the two together (no RCU) and keeps the wq in the socket's own
 * sock_inode_cache object (struct socket_alloc below), so the pointer is arithmetic:
 * sock_wq(). socket 40 B instead of 48. */
struct socket {
	socket_state state;
	short type;			/* SOCK_DGRAM, SOCK_STREAM... */
	unsigned long flags;		/* SOCK_ASYNC_NOSPACE ... */
	struct file *file;		/* back pointer for GC */
	struct sock *sk;		/* the protocol half */
	const struct proto_ops *ops;
};

/* What sock_inode_cache holds (3.10: include/net/sock.h, without the wq): every struct
 * socket lives in one, allocated by sock_alloc. */
struct socket_alloc {
	struct socket socket;
	struct inode vfs_inode;
	struct socket_wq wq;		/* the socket's wait queue (3.10: socket->wq) */
};
_Static_assert(__builtin_offsetof(struct socket_alloc, socket) == 0,
	       "a socket is the start of its socket_alloc");

static inline struct socket *SOCKET_I(struct inode *inode)
{
	return &((struct socket_alloc *)((char *)inode -
					 __builtin_offsetof(struct socket_alloc, vfs_inode)))->socket;
}

static inline struct inode *SOCK_INODE(struct socket *socket)
{
	return &((struct socket_alloc *)socket)->vfs_inode;
}

/* The wait queue of @sock (3.10: sock->wq). */
static inline struct socket_wq *sock_wq(struct socket *sock)
{
	return &((struct socket_alloc *)sock)->wq;
}

/* Per-family operations, called by net/socket.c with a reference on the file. Every slot is
 * set (the sock_no_* stubs in net/core/sock.c return -EOPNOTSUPP), so callers never test
 * for NULL. Return 0 / a byte count / -errno. */
struct page;
struct proto_ops {
	int family;
	int (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, struct sockaddr *myaddr, int sockaddr_len);
	/* @flags: the file's O_NONBLOCK. */
	int (*connect)(struct socket *sock, struct sockaddr *vaddr, int sockaddr_len, int flags);
	int (*socketpair)(struct socket *sock1, struct socket *sock2);
	int (*accept)(struct socket *sock, struct socket *newsock, int flags);
	/* @peer 1: the remote address (-ENOTCONN when none). *@sockaddr_len gets the length. */
	int (*getname)(struct socket *sock, struct sockaddr *addr, int *sockaddr_len, int peer);
	unsigned int (*poll)(struct file *file, struct socket *sock,
			     struct poll_table_struct *wait);
	int (*ioctl)(struct socket *sock, unsigned int cmd, unsigned long arg);
	int (*listen)(struct socket *sock, int len);
	int (*shutdown)(struct socket *sock, int flags);
	int (*setsockopt)(struct socket *sock, int level, int optname, char *optval,
			  unsigned int optlen);
	int (*getsockopt)(struct socket *sock, int level, int optname, char *optval,
			  int *optlen);
	/* m->msg_iov has been copied (verify_iovec) and is consumed as data is taken. */
	int (*sendmsg)(struct kiocb *iocb, struct socket *sock, struct msghdr *m, size_t total_len);
	int (*recvmsg)(struct kiocb *iocb, struct socket *sock, struct msghdr *m, size_t total_len,
		       int flags);
	void (*set_peek_off)(struct sock *sk, int val);
	/* sendfile's splice: send @size bytes at @offset in @page, by reference when the
	 * protocol can (TCP on a scatter-gather route), else sock_no_sendpage copies. NULL:
	 * the caller copies (kernel_sendmsg). Flags: MSG_MORE, MSG_SENDPAGE_NOTLAST,
	 * MSG_DONTWAIT. Bytes taken or -errno. */
	ssize_t (*sendpage)(struct socket *sock, struct page *page, int offset, size_t size,
			    int flags);
};

/* A protocol family (PF_INET...). create() fills sock->ops and sock->sk, or returns
 * -EPROTONOSUPPORT / -ESOCKTNOSUPPORT / -EPERM / -ENOMEM. */
struct net_proto_family {
	int family;
	int (*create)(struct net *net, struct socket *sock, int protocol, int kern);
};

/* ---- net/socket.c ---- */
int sock_register(const struct net_proto_family *fam);	/* -EBUSY if taken, -ENOBUFS */
void sock_unregister(int family);
/* A socket of @family/@type/@protocol in @net: -EAFNOSUPPORT (no such family),
 * -EINVAL (bad type), -ENFILE (no inode), or the family's error. */
int __sock_create(struct net *net, int family, int type, int protocol, struct socket **res,
		  int kern);
/* In the calling task's namespace (init_net outside a task). */
int sock_create(int family, int type, int protocol, struct socket **res);
int sock_create_kern(int family, int type, int protocol, struct socket **res);
/* An empty socket (no protocol half) with its inode: NULL when out of memory. */
struct socket *sock_alloc(void);
/* Close the protocol half (ops->release) and free the socket and its inode. */
void sock_release(struct socket *sock);
int sock_sendmsg(struct socket *sock, struct msghdr *msg, size_t len);
int sock_recvmsg(struct socket *sock, struct msghdr *msg, size_t size, int flags);
/* A file for @sock named @dname (NULL: the protocol's name, "UDP"): the socket takes the
 * file as sock->file. ERR_PTR(-ENFILE/-ENOMEM). */
struct file *sock_alloc_file(struct socket *sock, int flags, const char *dname);
/* A new fd for @sock in the calling task (O_CLOEXEC/O_NONBLOCK in @flags) or -errno. */
int sock_map_fd(struct socket *sock, int flags);
/* The socket behind @fd with a reference on its file (release with sockfd_put), or NULL
 * with *@err = -EBADF / -ENOTSOCK. */
struct socket *sockfd_lookup(int fd, int *err);
struct socket *sock_from_file(struct file *file, int *err);
#define sockfd_put(sock) fput((sock)->file)
int sock_wake_async(struct socket *sock, int how, int band);
/* Sockets allocated and not freed (the "sockets: used" line of /proc/net/sockstat). */
int sock_inuse_get(void);

/* Boot (Linux: sock_init core_initcall): "sock_inode_cache", the file caches, the family
 * table. sock_fini checks nothing is left and destroys the caches. */
int sock_init(void);
void sock_fini(void);

/* Sockets may be shut down for reading, writing or both (sk_shutdown bits). */
#define RCV_SHUTDOWN	1
#define SEND_SHUTDOWN	2
#define SHUTDOWN_MASK	3

#endif
