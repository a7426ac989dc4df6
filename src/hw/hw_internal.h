/* SPDX-License-Identifier: MIT */
/* Internals shared by the device model (nic.c), the wires (wire.c) and the verbs (hw_cmd.c).
 * Mirrors no Linux file (hardware). */
#ifndef _HW_INTERNAL_H
#define _HW_INTERNAL_H
#include "linux/list.h"
#include "net/hw.h"

struct hw_wire;

/* A frame inside the hardware (a NIC's FIFO, or on a wire). calloc'ed: device memory. */
struct hw_frame {
	struct hw_frame *next;
	u64 ns;			/* when it is due (end of serialization, arrival) */
	u32 len;
	u8 data[];
};
struct hw_frame *hw_frame_alloc(const void *data, u32 len);

/* A packet being serialized: its descriptors complete (DD) at @done_ns. */
struct hw_tx_pending {
	u64 done_ns;
	unsigned int next_desc;	/* first descriptor after the packet's EOP */
};

struct hw_queue {
	unsigned int index;
	struct hw_rx_desc *rx;
	unsigned int rx_count, rdh, rdt;
	struct hw_tx_desc *tx;
	unsigned int tx_count, tdh, tdt;
	unsigned int tx_fetch;		/* next descriptor the NIC reads (tdh..tdt) */
	struct hw_tx_pending *pend;	/* tx_count entries, a FIFO */
	unsigned int pend_head, pend_n;
	/* interrupt state of this queue pair's vector */
	int irq;
	bool masked;
	u32 cause;			/* HW_CAUSE_* pending */
	u32 frames_pending;		/* RX frames since the last interrupt */
	u64 last_fire_ns;
	bool fired_once;
	u64 timer_ns;			/* ITR timer armed for this time (0: none) */
	struct hw_queue_stats st;
};
#define HW_CAUSE_RX	1
#define HW_CAUSE_TX	2

struct hw_nic {
	struct list_head list;		/* hw_nics */
	u32 id;				/* handle of events (never reused in a stack's life) */
	bool dead;			/* removed: events ignore it; freed at ul_hw_fini */
	char name[16];			/* the netdev name given at creation ("eth0") */
	char netns[32];
	u8 mac[6];
	u32 speed_mbps;
	unsigned int max_queues, active_queues, ring_default;
	bool enabled;
	struct hw_queue q[HW_NIC_MAX_QUEUES];
	int other_irq;
	u64 rx_itr_ns, tx_itr_ns;
	u32 rx_frames;
	u8 rss_key[HW_RSS_KEY_SIZE];
	u32 rss_indir[HW_RSS_INDIR_SIZE];
	bool rss_udp4;
	bool rxcsum;
	u64 port_busy_ns;		/* the TX port serializes until then */
	struct hw_nic_stats stats;
	struct hw_wire *wire;
	int wire_side;
	const struct hw_nic_driver *drv;
	void *drv_priv;
	struct net_device *netdev;	/* the driver's netdev (hw_nic_of) */
	void (*tx_sink)(void *arg, const u8 *frame, unsigned int len);
	void *tx_sink_arg;
};

extern struct list_head hw_nics;
extern u32 hw_epoch;

/* Event handles: ul_call_at's arg names the object by id, never by pointer, so an event
 * that outlives its object (or the stack) finds nothing and does nothing. */
enum hw_ev_kind { HW_EV_ITR = 1, HW_EV_TXDONE, HW_EV_WIRE };
static inline void *hw_ev_arg(enum hw_ev_kind kind, unsigned int sub, u32 id)
{
	return (void *)(uintptr_t)(((u64)(hw_epoch & 0xffff) << 48) | ((u64)kind << 40) |
				   ((u64)(sub & 0xff) << 32) | id);
}
static inline bool hw_ev_decode(void *arg, enum hw_ev_kind *kind, unsigned int *sub, u32 *id)
{
	u64 v = (u64)(uintptr_t)arg;

	if ((u32)(v >> 48) != (hw_epoch & 0xffff))
		return false;
	*kind = (enum hw_ev_kind)((v >> 40) & 0xff);
	*sub = (unsigned int)((v >> 32) & 0xff);
	*id = (u32)v;
	return true;
}
struct hw_nic *hw_nic_by_id(u32 id);
u32 hw_next_id(void);

/* nic.c: a frame of @nic leaves the port at @done_ns: to the wire (wire.c). Takes @f. */
void hw_wire_transmit(struct hw_nic *nic, struct hw_frame *f, u64 done_ns);
void hw_wire_detach(struct hw_nic *nic);
struct hw_nic *hw_wire_peer(const struct hw_nic *nic);
int hw_wire_connect(struct hw_nic *a, struct hw_nic *b, const struct hw_impair *imp);
void hw_wire_fini(void);
/* nic.c: the "other" (link) vector. */
void hw_nic_link_event(struct hw_nic *nic);
struct hw_nic *hw_nic_create(const char *netns, const char *name, unsigned int queues,
			     unsigned int ring, u32 speed_mbps);
void hw_nic_destroy(struct hw_nic *nic);
/* Append printf output to the malloc'ed string *out (hw_cmd.c). */
__attribute__((format(printf, 2, 3))) int hw_outf(char **out, const char *fmt, ...);
/* A 64-bit seeded generator (splitmix64) for impairment. */
static inline u64 hw_rand(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
/* True with probability @ppm / 1e6. */
static inline bool hw_chance(u64 *state, u32 ppm)
{
	return ppm && (hw_rand(state) % 1000000ULL) < ppm;
}

#endif
