/* SPDX-License-Identifier: MIT */
/* /proc/net/sockstat: sockets in use per protocol and the memory they hold.
 * Mirrors linux/net/ipv4/proc.c (3.10): sockstat_seq_show (the rest of proc.c, snmp and
 * netstat, is in proc.c) and net/socket.c's socket_seq_show.
 * Raw sockets and UDP-Lite do not exist yet: their lines show 0. */
#include "linux/kernel.h"
#include "linux/net.h"
#include "linux/seq_file.h"
#include "net/ip.h"
#include "net/sock.h"
#include "net/tcp.h"
#include "net/udp.h"

static int sockstat_seq_show(struct seq_file *seq, void *v)
{
	struct net *net = seq->net;

	long orphans = atomic_long_read(&tcp_orphan_count);
	long sockets = atomic_long_read(&tcp_sockets_allocated);

	/* As 3.10: inuse is the namespace's (hashed TCP socks: listeners and connections,
	 * not TIME_WAIT socks); orphan, tw, alloc and mem (pages) are the whole stack's. */
	seq_printf(seq, "sockets: used %d\n", sock_inuse_get());
	seq_printf(seq, "TCP: inuse %d orphan %d tw %d alloc %d mem %ld\n",
		   sock_prot_inuse_get(net, &tcp_prot), (int)(orphans > 0 ? orphans : 0),
		   atomic_read(&tcp_death_row.tw_count), (int)(sockets > 0 ? sockets : 0),
		   atomic_long_read(&tcp_memory_allocated));
	seq_printf(seq, "UDP: inuse %d mem %ld\n", sock_prot_inuse_get(net, &udp_prot),
		   atomic_long_read(&udp_memory_allocated));
	seq_printf(seq, "UDPLITE: inuse %d\n", 0);
	seq_printf(seq, "RAW: inuse %d\n", 0);
	seq_printf(seq, "FRAG: inuse %d memory %d\n", ip_frag_nqueues(net), ip_frag_mem(net));
	return 0;
}

int sockstat_proc_init(void);
void sockstat_proc_fini(void);

int sockstat_proc_init(void)
{
	return proc_create_single("net/sockstat", sockstat_seq_show, NULL);
}

void sockstat_proc_fini(void)
{
	proc_remove_path("net/sockstat");
}
