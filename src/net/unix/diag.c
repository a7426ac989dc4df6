/* SPDX-License-Identifier: MIT */
/* AF_UNIX sockets seen from outside: /proc/net/unix and the unix_diag walk ss -x uses.
 * Mirrors linux/net/unix/diag.c (unix_diag_dump, sk_diag_fill) and af_unix.c's
 * unix_seq_show, which 3.10 keeps in af_unix.c: it sits here with the walker that reads the
 * same table. */
#include "linux/kernel.h"
#include "linux/net.h"
#include "linux/seq_file.h"
#include "linux/skbuff.h"
#include "linux/socket.h"
#include "net/af_unix.h"
#include "net/net_namespace.h"
#include "net/sock.h"
#include "net/tcp_states.h"

/* ------------------------------------------------------------------------------------------
 * /proc/net/unix */

static void unix_seq_sock(struct seq_file *seq, struct sock *s)
{
	struct unix_sock *u = unix_sk(s);
	int i, len;

	unix_state_lock(s);
	/* DIVERGES: the pointer column (%pK) prints zeroes as for a reader without
	 * CAP_SYSLOG under kptr_restrict, so the file is the same every run. */
	seq_printf(seq, "%016lx: %08X %08X %08X %04X %02X %5lu", 0UL,
		   (unsigned int)atomic_read(&s->sk_refcnt), 0U,
		   s->sk_state == TCP_LISTEN ? __SO_ACCEPTCON : 0U, (unsigned int)s->sk_type,
		   s->sk_socket ? (s->sk_state == TCP_ESTABLISHED ? SS_CONNECTED : SS_UNCONNECTED)
				: (s->sk_state == TCP_ESTABLISHED ? SS_CONNECTING
								  : SS_DISCONNECTING),
		   sock_i_ino(s));
	if (u->addr) {
		seq_putc(seq, ' ');
		i = 0;
		len = u->addr->len - (int)sizeof(short);
		if (unix_is_path(u->addr->name)) {
			len--;
		} else {
			seq_putc(seq, '@');
			i++;
		}
		for (; i < len; i++) {
			char c = u->addr->name->sun_path[i];

			/* Abstract names may hold NULs: 3.10 prints them as '@'. */
			seq_putc(seq, c ? c : '@');
		}
	}
	unix_state_unlock(s);
	seq_putc(seq, '\n');
}

int unix_seq_show(struct seq_file *seq, void *v)
{
	struct net *net = seq->net;
	unsigned int i;
	struct sock *s;

	seq_puts(seq, "Num       RefCount Protocol Flags    Type St Inode Path\n");
	spin_lock(&unix_table_lock);
	for (i = 0; i <= UNIX_HASH_SIZE; i++) {
		sk_for_each(s, &unix_socket_table[i]) {
			if (!net_eq(sock_net(s), net))
				continue;
			unix_seq_sock(seq, s);
		}
	}
	spin_unlock(&unix_table_lock);
	return 0;
}

/* unix_diag's view of each socket (ss -x): the name, the peer's inode and the queue
 * lengths, read under the table lock and each socket's state lock as sk_diag_fill does. */
void unix_diag_walk(struct net *net, void (*fn)(const struct unix_diag_info *info, void *arg),
		    void *arg)
{
	unsigned int i;
	struct sock *s;

	if (!unix_ready || !fn)
		return;
	spin_lock(&unix_table_lock);
	for (i = 0; i <= UNIX_HASH_SIZE; i++) {
		sk_for_each(s, &unix_socket_table[i]) {
			struct unix_diag_info info;
			struct unix_sock *u = unix_sk(s);
			struct sock *peer;

			if (net && !net_eq(sock_net(s), net))
				continue;
			memset(&info, 0, sizeof(info));
			info.sk = s;
			info.type = s->sk_type;
			info.ino = sock_i_ino(s);
			unix_state_lock(s);
			info.state = s->sk_state;
			peer = unix_peer(s);
			if (peer)
				info.peer_ino = sock_i_ino(peer);
			if (u->addr) {
				int j = 0, o = 0, len = u->addr->len - (int)sizeof(short);

				if (unix_is_path(u->addr->name)) {
					len--;
				} else {
					info.name[o++] = '@';
					j++;
				}
				for (; j < len && o < (int)sizeof(info.name) - 1; j++) {
					char c = u->addr->name->sun_path[j];

					if (unix_is_path(u->addr->name) && !c)
						break;
					info.name[o++] = c ? c : '@';
				}
				info.name[o] = 0;
			}
			unix_state_unlock(s);
			if (s->sk_state == TCP_LISTEN) {
				info.rqueue = s->sk_receive_queue.qlen;
				info.wqueue = s->sk_max_ack_backlog;
			} else {
				info.rqueue = (u32)unix_inq_len(s);
				int w = atomic_read(&s->sk_wmem_alloc) - 1;

				info.wqueue = w > 0 ? (u32)w : 0;
			}
			fn(&info, arg);
		}
	}
	spin_unlock(&unix_table_lock);
}

