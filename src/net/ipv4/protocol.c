/* SPDX-License-Identifier: MIT */
/* The IPv4 transport protocol table that ip_local_deliver_finish dispatches on.
 * Mirrors linux/net/ipv4/protocol.c (3.10): inet_protos, inet_add_protocol,
 * inet_del_protocol. */
#include "linux/kernel.h"
#include "net/protocol.h"

const struct net_protocol *inet_protos[MAX_INET_PROTOS];

/* Context: boot (process). A slot is claimed atomically so that two registrations cannot
 * both win it. */
int inet_add_protocol(const struct net_protocol *prot, unsigned char protocol)
{
	const struct net_protocol *expected = NULL;

	if (!prot)
		return -1;
	return __atomic_compare_exchange_n(&inet_protos[protocol], &expected, prot, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_RELAXED) ? 0 : -1;
}

int inet_del_protocol(const struct net_protocol *prot, unsigned char protocol)
{
	const struct net_protocol *expected = prot;

	return __atomic_compare_exchange_n(&inet_protos[protocol], &expected, NULL, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_RELAXED) ? 0 : -1;
}
