/* SPDX-License-Identifier: MIT */
/* The socket's send page (sk_frag) and sendpage without zero copy.
 * Mirrors linux/net/core/sock.c (3.10): sk_page_frag_refill, sock_no_sendpage. */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/mm.h"
#include "linux/net.h"
#include "linux/uaccess.h"
#include "net/sock.h"

/* Context: process or softirq, socket owned. The page is kept while nobody else holds it
 * (skbs took their own references and were freed: start again at offset 0) or while it has
 * room; else the socket's reference goes and a new page comes. */
bool sk_page_frag_refill(struct sock *sk, struct page_frag *pfrag)
{
	int order;

	if (pfrag->page) {
		if (page_count(pfrag->page) == 1) {
			pfrag->offset = 0;
			return true;
		}
		if (pfrag->offset < pfrag->size)
			return true;
		put_page(pfrag->page);
		pfrag->page = NULL;
	}

	/* We restrict high order allocations to users that can afford to wait. */
	order = sk->sk_allocation == GFP_KERNEL ? SKB_FRAG_PAGE_ORDER : 0;
	do {
		pfrag->page = alloc_pages(sk->sk_allocation, (unsigned int)order);
		if (likely(pfrag->page)) {
			pfrag->offset = 0;
			pfrag->size = (__u32)(PAGE_SIZE << order);
			return true;
		}
	} while (--order >= 0);

	if (sk->sk_prot->enter_memory_pressure)
		sk->sk_prot->enter_memory_pressure(sk);
	sk_stream_moderate_sndbuf(sk);
	return false;
}

/* Context: process. 3.10 kmaps the page and calls kernel_sendmsg: one copy by the CPU,
 * counted as UL_COPY_KERNEL. */
ssize_t sock_no_sendpage(struct socket *sock, struct page *page, int offset, size_t size,
			 int flags)
{
	struct iovec iov;
	struct msghdr msg = { 0 };
	int ret;

	if (offset < 0 || (size_t)offset + size > (PAGE_SIZE << compound_order(page)))
		return -EINVAL;
	iov.iov_base = (u8 *)page_address(page) + offset;
	iov.iov_len = size;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_flags = flags | MSG_NOSIGNAL;
	if (flags & MSG_SENDPAGE_NOTLAST)
		msg.msg_flags |= MSG_MORE;
	msg.msg_flags &= ~MSG_SENDPAGE_NOTLAST;
	ret = sock->ops->sendmsg(NULL, sock, &msg, size);
	if (ret > 0)
		ul_copy_account(UL_COPY_KERNEL, (size_t)ret);
	return ret;
}
