/* SPDX-License-Identifier: MIT */
/* Generic stream-socket helpers (TCP): write-space wakeups, waiting for the connection or
 * for send-buffer memory, send errors, and freeing the queues of a dying socket.
 * Mirrors linux/net/core/stream.c (3.10): sk_stream_write_space, sk_stream_wait_connect,
 * sk_stream_wait_memory, sk_stream_error, sk_stream_wait_close, sk_stream_kill_queues. */
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

/* Wait for more memory for a socket. Context: process, socket locked. */
int sk_stream_wait_memory(struct sock *sk, long *timeo_p)
{
	int err = 0;
	long vm_wait = 0;
	long current_timeo = *timeo_p;
	int loops = 0;
	DEFINE_WAIT(wait);

	/* 3.10 waits a little random time when the protocol ran out of memory with the send
	 * buffer not full; the virtual clock makes a fixed 2..6 jiffies as good. */
	if (sk_stream_memory_free(sk))
		current_timeo = vm_wait = 2 + (long)(jiffies % 5);

	while (++loops < 1000000) {
		set_bit(SOCK_ASYNC_NOSPACE, &sk->sk_socket->flags);
		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);

		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			goto do_error;
		if (!*timeo_p)
			goto do_nonblock;
		if (signal_pending(current))
			goto do_interrupted;
		clear_bit(SOCK_ASYNC_NOSPACE, &sk->sk_socket->flags);
		if (sk_stream_memory_free(sk) && !vm_wait)
			break;

		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		sk->sk_write_pending++;
		sk_wait_event(sk, &current_timeo,
			      sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN) ||
				      (sk_stream_memory_free(sk) && !vm_wait));
		sk->sk_write_pending--;

		if (vm_wait) {
			vm_wait -= current_timeo;
			current_timeo = *timeo_p;
			if (current_timeo != MAX_SCHEDULE_TIMEOUT &&
			    (current_timeo -= vm_wait) < 0)
				current_timeo = 0;
			vm_wait = 0;
		}
		*timeo_p = current_timeo;
	}
out:
	finish_wait(sk_sleep(sk), &wait);
	return err;

do_error:
	err = -EPIPE;
	goto out;
do_nonblock:
	err = -EAGAIN;
	goto out;
do_interrupted:
	err = sock_intr_errno(*timeo_p);
	goto out;
}

int sk_stream_error(struct sock *sk, int flags, int err)
{
	(void)flags;
	if (err == -EPIPE)
		err = sock_error(sk) ? : -EPIPE;
	return err;
}

static inline int sk_stream_closing(struct sock *sk)
{
	return (1 << sk->sk_state) & (TCPF_FIN_WAIT1 | TCPF_CLOSING | TCPF_LAST_ACK);
}

/* close() with SO_LINGER: wait until our FIN is ACKed (or the state moved on), up to
 * @timeout jiffies. Context: process, socket locked. */
void sk_stream_wait_close(struct sock *sk, long timeout)
{
	if (timeout) {
		DEFINE_WAIT(wait);
		int loops = 0;

		do {
			prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
			if (sk_wait_event(sk, &timeout, !sk_stream_closing(sk)))
				break;
		} while (!signal_pending(current) && timeout && ++loops < 1000000);
		finish_wait(sk_sleep(sk), &wait);
	}
}

void sk_stream_kill_queues(struct sock *sk)
{
	/* First the read buffer. */
	__skb_queue_purge(&sk->sk_receive_queue);
	/* Next, the error queue. */
	sk_error_queue_purge(sk);
	/* Next, the write queue. */
	WARN_ON(!skb_queue_empty(&sk->sk_write_queue));
	/* Account for returned memory. */
	sk_mem_reclaim(sk);
	WARN_ON(sk->sk_wmem_queued);
	WARN_ON(sk->sk_forward_alloc);
	/* It is _impossible_ for the backlog to contain anything when we get here. All user
	 * references to this socket have gone away, only the net layer knows can touch it. */
}
