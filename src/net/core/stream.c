/* SPDX-License-Identifier: MIT */
/* Generic stream-socket helpers (TCP): write-space wakeups, waiting for the connection, and
 * freeing the queues of a dying socket.
 * Mirrors linux/net/core/stream.c (3.10): sk_stream_write_space, sk_stream_wait_connect,
 * sk_stream_kill_queues. */
#include "linux/errno.h"
#include "linux/net.h"
#include "linux/poll.h"
#include "linux/sched.h"
#include "net/sock.h"
#include "net/tcp_states.h"

/* Context: softirq (ACK processing) or process. */
void sk_stream_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	if (sk_stream_is_writeable(sk) && sock) {
		clear_bit(SOCK_NOSPACE, &sock->flags);
		rcu_read_lock();
		wq = rcu_dereference(sk->sk_wq);
		if (wq_has_sleeper(wq))
			wake_up_interruptible_poll(&wq->wait, POLLOUT | POLLWRNORM | POLLWRBAND);
		if (wq && !(sk->sk_shutdown & SEND_SHUTDOWN))
			sk_wake_async(sk, SOCK_WAKE_SPACE, POLL_OUT);
		rcu_read_unlock();
	}
}

/* Wait for a socket to get into the connected state. Context: process, socket locked. */
int sk_stream_wait_connect(struct sock *sk, long *timeo_p)
{
	DEFINE_WAIT(wait);
	int done;
	int loops = 0;

	do {
		int err = sock_error(sk);

		if (err)
			return err;
		if ((1 << sk->sk_state) & ~(TCPF_SYN_SENT | TCPF_SYN_RECV))
			return -EPIPE;
		if (!*timeo_p)
			return -EAGAIN;
		if (signal_pending(current))
			return sock_intr_errno(*timeo_p);

		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
		sk->sk_write_pending++;
		done = sk_wait_event(sk, timeo_p,
				     !sk->sk_err &&
				     !((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)));
		finish_wait(sk_sleep(sk), &wait);
		sk->sk_write_pending--;
	} while (!done && ++loops < 1000000);
	return 0;
}

void sk_stream_kill_queues(struct sock *sk)
{
	/* First the read buffer. */
	__skb_queue_purge(&sk->sk_receive_queue);
	/* Next, the error queue. */
	__skb_queue_purge(&sk->sk_error_queue);
	/* Next, the write queue. */
	WARN_ON(!skb_queue_empty(&sk->sk_write_queue));
	/* Account for returned memory. */
	sk_mem_reclaim(sk);
	WARN_ON(sk->sk_wmem_queued);
	WARN_ON(sk->sk_forward_alloc);
	/* It is _impossible_ for the backlog to contain anything when we get here. All user
	 * references to this socket have gone away, only the net layer knows can touch it. */
}
