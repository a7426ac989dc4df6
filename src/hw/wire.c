/* SPDX-License-Identifier: MIT */
/* Wires between two NICs: propagation delay and netem-like impairment, per direction.
 * Mirrors no Linux file (hardware; the knobs are sch_netem's: delay, jitter, loss, duplicate,
 * corrupt, reorder, with a seeded generator).
 *
 * Serialization at the link rate happens in the sending NIC's port (nic.c): a frame is handed
 * to the wire when its last bit has left, and arrives at the peer @delay later (plus a uniform
 * jitter). A reordered frame skips the delay and jitter, so it overtakes the frames before it.
 * Frames in flight sit on a list per direction ordered by arrival time; one event per frame
 * delivers every frame that is due, so a removed wire's late events find an empty list.
 * Context: stack events (ul_call_at on CPU 0 for the arrival, then the NIC raises its own
 * vector on its affinity CPU). */
#include <stdlib.h>
#include <string.h>
#include "arch/arch.h"
#include "hw/hw_internal.h"
#include "linux/errno.h"
#include "linux/jiffies.h"
#include "linux/random.h"

struct hw_wire_dir {
	struct hw_nic *to;		/* receiving NIC */
	struct hw_frame *head;		/* in flight, by arrival time */
	u64 rng;
	u64 last_arrival;		/* FIFO order for frames that are not reordered */
};

struct hw_wire {
	struct list_head list;
	u32 id;
	struct hw_impair imp;
	struct hw_wire_dir dir[2];	/* dir[s]: frames sent by the NIC on side s */
	struct hw_nic *end[2];
};

static LIST_HEAD(hw_wires);

static void hw_wire_event(void *arg);

static struct hw_wire *hw_wire_by_id(u32 id)
{
	struct hw_wire *w;

	list_for_each_entry(w, &hw_wires, list)
		if (w->id == id)
			return w;
	return NULL;
}

static void hw_wire_queue(struct hw_wire *w, int side, struct hw_frame *f)
{
	struct hw_frame **pp = &w->dir[side].head;

	while (*pp && (*pp)->ns <= f->ns)
		pp = &(*pp)->next;
	f->next = *pp;
	*pp = f;
	ul_call_at(f->ns, 0, hw_wire_event, hw_ev_arg(HW_EV_WIRE, (unsigned int)side, w->id));
}

void hw_wire_transmit(struct hw_nic *nic, struct hw_frame *f, u64 done_ns)
{
	struct hw_wire *w = nic->wire;
	struct hw_wire_dir *d;
	int side = nic->wire_side;
	u64 arrival;

	if (!w) {
		free(f);	/* no carrier: the frame goes nowhere */
		return;
	}
	d = &w->dir[side];
	if (hw_chance(&d->rng, w->imp.loss_ppm)) {
		nic->stats.wire_lost++;
		free(f);
		return;
	}
	if (hw_chance(&d->rng, w->imp.corrupt_ppm) && f->len) {
		u64 r = hw_rand(&d->rng);

		f->data[r % f->len] ^= (u8)(1u << ((r >> 32) % 8));
		nic->stats.wire_corrupt++;
	}
	if (hw_chance(&d->rng, w->imp.duplicate_ppm)) {
		struct hw_frame *dup = hw_frame_alloc(f->data, f->len);

		if (dup) {
			nic->stats.wire_dup++;
			dup->ns = max(done_ns + w->imp.delay_ns, d->last_arrival);
			hw_wire_queue(w, side, dup);
		}
	}
	if (hw_chance(&d->rng, w->imp.reorder_ppm)) {
		arrival = done_ns;	/* jumps ahead of the frames in flight */
	} else {
		arrival = done_ns + w->imp.delay_ns;
		if (w->imp.jitter_ns) {
			u64 span = 2 * w->imp.jitter_ns + 1;
			s64 j = (s64)(hw_rand(&d->rng) % span) - (s64)w->imp.jitter_ns;

			arrival = (s64)arrival + j < (s64)done_ns ? done_ns : (u64)((s64)arrival + j);
		} else {
			/* Without jitter a wire is a FIFO. */
			arrival = max(arrival, d->last_arrival);
		}
		d->last_arrival = arrival;
	}
	f->ns = arrival;
	hw_wire_queue(w, side, f);
}

static void hw_wire_event(void *arg)
{
	enum hw_ev_kind kind;
	unsigned int side;
	struct hw_wire *w;
	struct hw_wire_dir *d;
	u64 now = ul_clock_ns();
	u32 id;

	if (!hw_ev_decode(arg, &kind, &side, &id) || kind != HW_EV_WIRE || side > 1)
		return;
	w = hw_wire_by_id(id);
	if (!w)
		return;
	d = &w->dir[side];
	while (d->head && d->head->ns <= now) {
		struct hw_frame *f = d->head;

		d->head = f->next;
		hw_nic_receive(d->to, f->data, f->len);
		free(f);
	}
}

static void hw_wire_free(struct hw_wire *w)
{
	int s;

	for (s = 0; s < 2; s++) {
		while (w->dir[s].head) {
			struct hw_frame *f = w->dir[s].head;

			w->dir[s].head = f->next;
			free(f);
		}
	}
	list_del(&w->list);
	free(w);
}

int hw_wire_connect(struct hw_nic *a, struct hw_nic *b, const struct hw_impair *imp)
{
	struct hw_wire *w;

	if (!a || !b || a == b)
		return -EINVAL;
	if (a->wire || b->wire)
		return -EBUSY;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->id = hw_next_id();
	if (imp)
		w->imp = *imp;
	w->end[0] = a;
	w->end[1] = b;
	w->dir[0].to = b;
	w->dir[1].to = a;
	/* Each direction its own stream: the seed, or the stack's RNG (itself seeded). */
	w->dir[0].rng = w->imp.seed ? w->imp.seed : ((u64)prandom_u32() << 32 | prandom_u32());
	w->dir[1].rng = w->dir[0].rng ^ 0x5bd1e9955bd1e995ULL;
	list_add_tail(&w->list, &hw_wires);
	a->wire = w;
	a->wire_side = 0;
	b->wire = w;
	b->wire_side = 1;
	hw_nic_link_event(a);
	hw_nic_link_event(b);
	return 0;
}

void hw_wire_detach(struct hw_nic *nic)
{
	struct hw_wire *w = nic->wire;
	int s;

	if (!w)
		return;
	for (s = 0; s < 2; s++) {
		struct hw_nic *n = w->end[s];

		n->wire = NULL;
		if (n != nic && !n->dead)
			hw_nic_link_event(n);
	}
	hw_wire_free(w);
	if (!nic->dead)
		hw_nic_link_event(nic);
}

void hw_wire_fini(void)
{
	struct hw_wire *w, *tmp;

	list_for_each_entry_safe(w, tmp, &hw_wires, list)
		hw_wire_free(w);
}

struct hw_nic *hw_wire_peer(const struct hw_nic *nic)
{
	return nic->wire ? nic->wire->end[1 - nic->wire_side] : NULL;
}
