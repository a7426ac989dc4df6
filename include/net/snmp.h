/* SPDX-License-Identifier: MIT */
/* MIB counter storage and the SNMP_* update macros every protocol uses.
 * Mirrors linux/include/net/snmp.h (3.10): struct snmp_mib, SNMP_MIB_ITEM, struct ipstats_mib,
 * icmp_mib, icmpmsg_mib, tcp_mib, udp_mib, linux_mib, DEFINE_SNMP_STAT, SNMP_INC_STATS*,
 * SNMP_ADD_STATS*, SNMP_UPD_PO_STATS*, and net/ipv4/af_inet.c's snmp_fold_field,
 * snmp_mib_init, snmp_mib_free.
 *
 * A MIB is per namespace and per CPU: DEFINE_SNMP_STAT(type, name) is a pointer to
 * nr_cpu_ids blocks (snmp_mib_init, kcalloc'ed so that /proc/slabinfo sees them); an update
 * touches the block of the running CPU, a reader sums them (snmp_fold_field). The icmpmsg
 * MIB is one block of atomic_long_t, as in 3.10.
 * DIVERGES: the _BH/_USER flavours are one macro: each update is a relaxed atomic add on the
 * CPU's slot (the posix runtime may run two threads on one simulated CPU), which costs the
 * same as Linux's this_cpu_inc on x86. Context: any. */
#ifndef _NET_SNMP_H
#define _NET_SNMP_H
#include "linux/atomic.h"
#include "linux/percpu.h"
#include "linux/types.h"
#include "uapi/linux/snmp.h"

/* A row of a /proc table: the printed name and the MIB index. */
struct snmp_mib {
	const char *name;
	int entry;
};
#define SNMP_MIB_ITEM(_name, _entry) { .name = _name, .entry = _entry }
#define SNMP_MIB_SENTINEL { .name = NULL, .entry = 0 }

#define IPSTATS_MIB_MAX	__IPSTATS_MIB_MAX
struct ipstats_mib {
	u64 mibs[IPSTATS_MIB_MAX];	/* 64-bit: octet counters wrap fast */
};

#define ICMP_MIB_MAX	__ICMP_MIB_MAX
struct icmp_mib {
	unsigned long mibs[ICMP_MIB_MAX];
};

#define ICMPMSG_MIB_MAX	__ICMPMSG_MIB_MAX
struct icmpmsg_mib {
	atomic_long_t mibs[ICMPMSG_MIB_MAX];
};

#define TCP_MIB_MAX	__TCP_MIB_MAX
struct tcp_mib {
	unsigned long mibs[TCP_MIB_MAX];
};

#define UDP_MIB_MAX	__UDP_MIB_MAX
struct udp_mib {
	unsigned long mibs[UDP_MIB_MAX];
};

#define LINUX_MIB_MAX	__LINUX_MIB_MAX
struct linux_mib {
	unsigned long mibs[LINUX_MIB_MAX];
};

/* Per-CPU MIB: nr_cpu_ids consecutive blocks. */
#define DEFINE_SNMP_STAT(type, name) __typeof__(type) *name
#define DEFINE_SNMP_STAT_ATOMIC(type, name) __typeof__(type) *name

#define __SNMP_SLOT(mib) (&(mib)[smp_processor_id()])
#define SNMP_ADD_STATS(mib, field, addend) \
	((void)__atomic_fetch_add(&__SNMP_SLOT(mib)->mibs[field], (addend), __ATOMIC_RELAXED))
#define SNMP_INC_STATS(mib, field)		SNMP_ADD_STATS(mib, field, 1)
#define SNMP_DEC_STATS(mib, field)		SNMP_ADD_STATS(mib, field, -1)
#define SNMP_INC_STATS_BH(mib, field)		SNMP_INC_STATS(mib, field)
#define SNMP_INC_STATS_USER(mib, field)		SNMP_INC_STATS(mib, field)
#define SNMP_ADD_STATS_BH(mib, field, addend)	SNMP_ADD_STATS(mib, field, addend)
#define SNMP_ADD_STATS_USER(mib, field, addend)	SNMP_ADD_STATS(mib, field, addend)
/* Packets and octets of one direction: basefield##PKTS++ and basefield##OCTETS += addend. */
#define SNMP_UPD_PO_STATS(mib, basefield, addend)                          \
	do {                                                               \
		SNMP_ADD_STATS(mib, basefield##PKTS, 1);                   \
		SNMP_ADD_STATS(mib, basefield##OCTETS, (addend));          \
	} while (0)
#define SNMP_UPD_PO_STATS_BH(mib, basefield, addend) SNMP_UPD_PO_STATS(mib, basefield, addend)
#define SNMP_INC_STATS64(mib, field)		SNMP_INC_STATS(mib, field)
#define SNMP_INC_STATS64_BH(mib, field)		SNMP_INC_STATS(mib, field)
#define SNMP_INC_STATS64_USER(mib, field)	SNMP_INC_STATS(mib, field)
#define SNMP_ADD_STATS64(mib, field, addend)	SNMP_ADD_STATS(mib, field, addend)
#define SNMP_ADD_STATS64_BH(mib, field, addend)	SNMP_ADD_STATS(mib, field, addend)
#define SNMP_ADD_STATS64_USER(mib, field, addend) SNMP_ADD_STATS(mib, field, addend)
#define SNMP_UPD_PO_STATS64(mib, basefield, addend) SNMP_UPD_PO_STATS(mib, basefield, addend)
#define SNMP_UPD_PO_STATS64_BH(mib, basefield, addend) SNMP_UPD_PO_STATS(mib, basefield, addend)

/* Sum of field @offt over the CPUs of a per-CPU MIB whose blocks are @mibsize bytes of
 * unsigned long (snmp_fold_field) or u64 (snmp_fold_field64). NULL MIB: 0. */
unsigned long __snmp_fold_field(const void *mib, size_t mibsize, int offt);
u64 __snmp_fold_field64(const void *mib, size_t mibsize, int offt);
#define snmp_fold_field(mib, offt) __snmp_fold_field((mib), sizeof(*(mib)), (offt))
#define snmp_fold_field64(mib, offt) __snmp_fold_field64((mib), sizeof(*(mib)), (offt))
/* Allocate nr_cpu_ids zeroed blocks of @mibsize bytes into *@ptr. 0 or -ENOMEM. */
int snmp_mib_init(void **ptr, size_t mibsize);
void snmp_mib_free(void *ptr);

#endif
