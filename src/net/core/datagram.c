/* SPDX-License-Identifier: MIT */
/* Generic datagram receive: the receive queue, the wait for a packet, copying to the
 * caller and checksumming on the way.
 * Mirrors linux/net/core/datagram.c (3.10): receiver_wake_function, wait_for_packet,
 * __skb_recv_datagram, skb_recv_datagram, skb_free_datagram, skb_free_datagram_locked,
 * skb_kill_datagram, skb_copy_datagram_iovec, skb_copy_and_csum_datagram_iovec,
 * __skb_checksum_complete, __skb_checksum_complete_head, datagram_poll.
 *
 * Blocking (book ch3): a reader with nothing queued puts an exclusive wait entry on the
 * socket's wait queue (prepare_to_wait_exclusive) and sleeps in schedule_timeout; the
 * softirq that queues a datagram calls sk_data_ready (sock_def_readable), whose wakeup
 * reaches receiver_wake_function -> autoremove_wake_function: the reader is runnable again
 * and its entry is off the queue. One voluntary switch out, one back in. */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/net.h"
#include "linux/poll.h"
#include "linux/sched.h"
#include "linux/skbuff.h"
#include "net/sock.h"
#include "net/tcp_states.h"
#include "trace/path.h"

static inline int connection_based(struct sock *sk)
{
	return sk->sk_type == SOCK_SEQPACKET || sk->sk_type == SOCK_STREAM;
}

static int receiver_wake_function(wait_queue_t *wait, unsigned int mode, int sync, void *key)
{
	unsigned long bits = (unsigned long)key;

	/* Avoid a wakeup if event not interesting for us. */
	if (bits && !(bits & (POLLIN | POLLERR)))
		return 0;
	return autoremove_wake_function(wait, mode, sync, key);
}

/* Wait for the last received packet to be different from skb. 0 when there may be
 * something to read, else 1 / -errno with *@err set. */
static int wait_for_packet(struct sock *sk, int *err, long *timeo_p)
{
	int error;
	DEFINE_WAIT_FUNC(wait, receiver_wake_function);

	prepare_to_wait_exclusive(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);

	/* Socket errors? */
	error = sock_error(sk);
	if (error)
		goto out_err;
	if (!skb_queue_empty(&sk->sk_receive_queue))
		goto out;
	/* Socket shut down? */
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		goto out_noerr;
	/* Sequenced packets can come disconnected. If so we report the problem. */
	error = -ENOTCONN;
	if (connection_based(sk) &&
	    !(sk->sk_state == TCP_ESTABLISHED || sk->sk_state == TCP_LISTEN))
		goto out_err;
	/* Handle signals. */
	if (signal_pending(current))
		goto interrupted;

	error = 0;
	*timeo_p = schedule_timeout(*timeo_p);
out:
	finish_wait(sk_sleep(sk), &wait);
	return error;
interrupted:
	error = sock_intr_errno(*timeo_p);
out_err:
	*err = error;
	goto out;
out_noerr:
	*err = 0;
	error = 1;
	goto out;
}

struct sk_buff *__skb_recv_datagram(struct sock *sk, unsigned int flags, int *peeked, int *off,
				    int *err)
{
	struct sk_buff *skb;
	long timeo;
	unsigned int rounds = 0;
	/* Caller is allowed not to check sk->sk_err before skb_recv_datagram(). */
	int error = sock_error(sk);

	if (error)
		goto no_packet;
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	do {
		/* Again only user level code calls this function, so nothing interrupt level
		 * will suddenly eat the receive_queue. Look at current nfs client by the way...
		 * However, this function was correct in any case. 8) */
		unsigned long cpu_flags;
		struct sk_buff_head *queue = &sk->sk_receive_queue;

		spin_lock_irqsave(&queue->lock, cpu_flags);
		skb_queue_walk(queue, skb) {
			*peeked = skb->peeked;
			if (flags & MSG_PEEK) {
				if (*off >= (int)skb->len && skb->len) {
					*off -= (int)skb->len;
					continue;
				}
				skb->peeked = 1;
				atomic_inc(&skb->users);
			} else {
				__skb_unlink(skb, queue);
			}
			spin_unlock_irqrestore(&queue->lock, cpu_flags);
			UL_TRACE(skb);
			return skb;
		}
		spin_unlock_irqrestore(&queue->lock, cpu_flags);

		/* User doesn't want to wait. */
		error = -EAGAIN;
		if (!timeo)
			goto no_packet;
		/* Bounded: every round either slept until a wakeup/timeout or found an error;
		 * a wakeup without a packet (another reader took it) just goes round again. */
		if (++rounds > 10000000)
			goto no_packet;
	} while (!wait_for_packet(sk, err, &timeo));
	return NULL;

no_packet:
	*err = error;
	return NULL;
}

struct sk_buff *skb_recv_datagram(struct sock *sk, unsigned int flags, int noblock, int *err)
{
	int peeked, off = 0;

	return __skb_recv_datagram(sk, flags | (noblock ? MSG_DONTWAIT : 0), &peeked, &off, err);
}

void skb_free_datagram(struct sock *sk, struct sk_buff *skb)
{
	consume_skb(skb);
	sk_mem_reclaim_partial(sk);
}

void skb_free_datagram_locked(struct sock *sk, struct sk_buff *skb)
{
	bool slow;

	if (likely(atomic_read(&skb->users) == 1))
		smp_rmb();
	else if (likely(!atomic_dec_and_test(&skb->users)))
		return;
	slow = lock_sock_fast(sk);
	skb_orphan(skb);
	sk_mem_reclaim_partial(sk);
	unlock_sock_fast(sk, slow);
	/* skb is now orphaned, can be freed outside of locked section */
	__kfree_skb(skb);
}

int skb_kill_datagram(struct sock *sk, struct sk_buff *skb, unsigned int flags)
{
	int err = 0;

	if (flags & MSG_PEEK) {
		err = -ENOENT;
		spin_lock_bh(&sk->sk_receive_queue.lock);
		if (skb == skb_peek(&sk->sk_receive_queue)) {
			__skb_unlink(skb, &sk->sk_receive_queue);
			atomic_dec(&skb->users);
			err = 0;
		}
		spin_unlock_bh(&sk->sk_receive_queue.lock);
	}
	kfree_skb(skb);
	sk_drops_inc(sk);
	sk_mem_reclaim_partial(sk);
	return err;
}

int skb_copy_datagram_iovec(const struct sk_buff *skb, int offset, struct iovec *to, int len)
{
	unsigned int guard = 0;

	UL_TRACE(skb);
	if (offset < 0 || len < 0 || (unsigned int)offset + (unsigned int)len > skb->len)
		return -EFAULT;
	while (len > 0) {
		int copy;

		if (++guard > 2 * UIO_MAXIOV)
			return -EFAULT;
		if (!to->iov_len) {
			to++;
			continue;
		}
		copy = (int)min_t(size_t, (size_t)len, to->iov_len);
		if (!to->iov_base)
			return -EFAULT;
		if (skb_copy_bits(skb, offset, to->iov_base, copy))
			return -EFAULT;
		offset += copy;
		len -= copy;
		to->iov_base = (char *)to->iov_base + copy;
		to->iov_len -= (size_t)copy;
	}
	return 0;
}

__sum16 __skb_checksum_complete_head(struct sk_buff *skb, int len)
{
	__sum16 sum;

	sum = csum_fold(skb_checksum(skb, 0, len, skb->csum));
	if (likely(!sum)) {
		if (unlikely(skb->ip_summed == CHECKSUM_COMPLETE))
			pr_warn("%s: hw csum failure\n", skb->dev ? "dev" : "<unknown>");
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	return sum;
}

__sum16 __skb_checksum_complete(struct sk_buff *skb)
{
	return __skb_checksum_complete_head(skb, (int)skb->len);
}

int skb_copy_and_csum_datagram_iovec(struct sk_buff *skb, int hlen, struct iovec *iov)
{
	int chunk = (int)skb->len - hlen;
	unsigned int guard = 0;
	__wsum csum;

	if (!chunk)
		return 0;
	/* Skip filled elements. Pretty silly, look at memcpy_toiovec, though 8) */
	while (!iov->iov_len) {
		if (++guard > UIO_MAXIOV)
			return -EFAULT;
		iov++;
	}
	if (iov->iov_len < (size_t)chunk) {
		/* The data does not fit one segment: verify first, then copy. */
		if (__skb_checksum_complete(skb))
			return -EINVAL;
		if (skb_copy_datagram_iovec(skb, hlen, iov, chunk))
			return -EFAULT;
	} else {
		if (!iov->iov_base)
			return -EFAULT;
		/* One pass: copy the payload and sum it, plus the header's sum. */
		csum = csum_partial(skb->data, hlen, skb->csum);
		csum = skb_copy_and_csum_bits(skb, hlen, iov->iov_base, chunk, csum);
		if (csum_fold(csum))
			return -EINVAL;
		iov->iov_len -= (size_t)chunk;
		iov->iov_base = (char *)iov->iov_base + chunk;
	}
	return 0;
}

unsigned int datagram_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	struct sock *sk = sock->sk;
	unsigned int mask;

	sock_poll_wait(file, sk_sleep(sk), wait);
	mask = 0;

	/* exceptional events? */
	if (sk->sk_err || !sk_error_queue_empty(sk))
		mask |= POLLERR;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (sk->sk_shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;

	/* readable? */
	if (!skb_queue_empty(&sk->sk_receive_queue))
		mask |= POLLIN | POLLRDNORM;

	/* Connection-based need to check for termination and startup */
	if (connection_based(sk)) {
		if (sk->sk_state == TCP_CLOSE)
			mask |= POLLHUP;
		/* connection hasn't started yet? */
		if (sk->sk_state == TCP_SYN_SENT)
			return mask;
	}

	/* writable? */
	if (sock_writeable(sk))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	else
		set_bit(SOCK_ASYNC_NOSPACE, &sk->sk_socket->flags);
	return mask;
}
