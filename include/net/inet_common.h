/* SPDX-License-Identifier: MIT */
/* The PF_INET socket operations shared by TCP, UDP and raw sockets, and the boot hooks of
 * the IPv4 family.
 * Mirrors linux/include/net/inet_common.h (3.10): inet_stream_ops, inet_dgram_ops,
 * inet_release, inet_bind, inet_dgram_connect, inet_stream_connect, inet_accept,
 * inet_sendmsg, inet_recvmsg, inet_shutdown, inet_listen, inet_getname, inet_ioctl,
 * inet_sock_destruct.
 *
 * Split of 3.10's net/ipv4/af_inet.c in ulnet: the IP half (inet_init, the protocol table,
 * the MIBs, ip_packet_type) is src/net/ipv4/af_inet.c; the socket half declared here
 * (inet_create, inetsw, the proto_ops) belongs to the socket layer and is registered by
 * inet_sock_init(), which inet_init() calls at the point where 3.10 does
 * sock_register(&inet_family_ops). */
#ifndef _NET_INET_COMMON_H
#define _NET_INET_COMMON_H
#include <sys/socket.h>
#include "linux/types.h"

struct socket;
struct sock;
struct kiocb;
struct msghdr;
struct proto_ops;

extern const struct proto_ops inet_stream_ops;
extern const struct proto_ops inet_dgram_ops;

int inet_release(struct socket *sock);
int inet_stream_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len, int flags);
int __inet_stream_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len,
			  int flags);
int inet_dgram_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len, int flags);
int inet_accept(struct socket *sock, struct socket *newsock, int flags);
int inet_sendmsg(struct kiocb *iocb, struct socket *sock, struct msghdr *msg, size_t size);
int inet_recvmsg(struct kiocb *iocb, struct socket *sock, struct msghdr *msg, size_t size,
		 int flags);
int inet_shutdown(struct socket *sock, int how);
int inet_listen(struct socket *sock, int backlog);
void inet_sock_destruct(struct sock *sk);
/* inet_create's callbacks: sock_init_data's with sk_destruct = inet_sock_destruct. */
extern const struct sock_callbacks inet_sock_callbacks;
int inet_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len);
int inet_getname(struct socket *sock, struct sockaddr *uaddr, int *uaddr_len, int peer);
int inet_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);

/* Socket half of the family: sock_register(&inet_family_ops), proto_register of the
 * protocols, inetsw. Called by inet_init(); undone by inet_sock_fini(). */
int inet_sock_init(void);
void inet_sock_fini(void);

#endif
