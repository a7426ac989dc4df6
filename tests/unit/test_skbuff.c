/* SPDX-License-Identifier: MIT */
/* sk_buff: allocation and layout, refcounts (clone shares data, copy does not), reshaping
 * (expand, realloc headroom, cow), frag_list access (copy_bits, may_pull, trim, linearize),
 * queues, drop reasons, and the Internet checksum against known byte arrays. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"
#include "linux/skbuff.h"
#include "net/checksum.h"
#include "net/dropreason.h"

static void fill(u8 *p, int len, u8 seed)
{
	int i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(seed + i * 7);
}

/* __alloc_skb clears the head only up to tail (3.10) and sets every field from tail on: a
 * reused sk_buff carries nothing over from its last life. */
static void test_alloc_reuse_is_clean(void **state)
{
	static const u8 zero[offsetof(struct sk_buff, transport_header)];
	struct sk_buff *skb = alloc_skb(100, GFP_KERNEL);
	unsigned int end;
	u64 id;

	(void)state;
	assert_non_null(skb);
	end = skb_end_offset(skb);
	id = skb->ul_id;
	skb->reserved_tailroom = 77;
	skb->mark = 5;
	skb->priority = 6;
	skb->mac_header = 10;
	skb->transport_header = 20;
	skb_shinfo(skb)->gso_size = 1448;
	consume_skb(skb);

	skb = alloc_skb(100, GFP_KERNEL);
	assert_non_null(skb);
	/* Zero up to the headers; transport and mac header "unset" (~0), network 0. */
	assert_memory_equal(skb, zero, sizeof(zero));
	assert_int_equal(skb->network_header, 0);
	assert_int_equal(skb->reserved_tailroom, 0);
	assert_int_equal(skb_end_offset(skb), end);
	assert_ptr_equal(skb->data, skb->head);
	assert_int_equal(skb_tail_pointer(skb) - skb->head, 0);
	assert_int_equal(skb->truesize, SKB_TRUESIZE(end));
	assert_int_equal(atomic_read(&skb->users), 1);
	assert_false(skb_mac_header_was_set(skb));
	assert_false(skb_transport_header_was_set(skb));
	assert_true(skb->ul_id > id);
	assert_int_equal(skb_shinfo(skb)->gso_size, 0);
	assert_int_equal(skb_tailroom(skb), (int)end);
	consume_skb(skb);
}

static void test_alloc_layout(void **state)
{
	unsigned long live = ul_skb_in_use();
	struct sk_buff *skb = alloc_skb(100, GFP_KERNEL);
	struct sk_buff *skb2;
	u8 *p;

	(void)state;
	assert_non_null(skb);
	assert_int_equal(ul_skb_in_use(), live + 1);
	assert_int_equal(skb->len, 0);
	assert_int_equal(skb->data_len, 0);
	assert_int_equal(skb_headroom(skb), 0);
	/* SKB_DATA_ALIGN(100) = 128 at least; the size class may add more. */
	assert_true(skb_tailroom(skb) >= 128);
	assert_int_equal(skb_tailroom(skb), (int)skb_end_offset(skb));
	assert_int_equal(skb->truesize, SKB_TRUESIZE(skb_end_offset(skb)));
	assert_int_equal(atomic_read(&skb->users), 1);
	assert_int_equal(atomic_read(&skb_shinfo(skb)->dataref), 1);
	assert_int_equal(skb_shinfo(skb)->nr_frags, 0);
	assert_false(skb_mac_header_was_set(skb));
	assert_false(skb_transport_header_was_set(skb));
	assert_false(skb_cloned(skb));
	assert_false(skb_shared(skb));
	assert_int_equal(skb->fclone, SKB_FCLONE_UNAVAILABLE);
	assert_true(skb->ul_id > 0);

	skb_reserve(skb, 32);
	assert_int_equal(skb_headroom(skb), 32);
	p = skb_put(skb, 50);
	assert_ptr_equal(p, skb->data);
	fill(p, 50, 1);
	assert_int_equal(skb->len, 50);
	assert_int_equal(skb_headlen(skb), 50);
	p = skb_push(skb, 14);
	assert_int_equal(skb_headroom(skb), 18);
	assert_int_equal(skb->len, 64);
	skb_reset_mac_header(skb);
	assert_true(skb_mac_header_was_set(skb));
	p = skb_pull(skb, 14);
	assert_ptr_equal(p, skb->data);
	assert_int_equal(skb->len, 50);
	skb_reset_network_header(skb);
	assert_int_equal(skb_network_offset(skb), 0);
	assert_int_equal(skb->data - skb_mac_header(skb), 14);
	assert_null(skb_pull(skb, 51));	/* more than there is */
	skb_trim(skb, 20);
	assert_int_equal(skb->len, 20);
	assert_int_equal(skb_tail_pointer(skb) - skb->data, 20);

	/* Each packet has its own trace id, in allocation order. */
	skb2 = alloc_skb(10, GFP_KERNEL);
	assert_non_null(skb2);
	assert_int_equal(skb2->ul_id, skb->ul_id + 1);
	kfree_skb(skb2);
	consume_skb(skb);
	assert_int_equal(ul_skb_in_use(), live);
}

/* Runs @op(@skb, @len) in a child; true if the child was killed by abort() (BUG). */
static bool overrun_aborts(unsigned char *(*op)(struct sk_buff *, unsigned int),
			   struct sk_buff *skb, unsigned int len)
{
	int status, devnull;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 2);	/* the "kernel BUG" report */
		op(skb, len);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

/* skb_push/skb_put (inline) keep 3.10's overrun checks: exactly the headroom or tailroom
 * is allowed, one byte more is skb_under_panic / skb_over_panic; skb_pull refuses more
 * than the skb or its linear part holds. */
static void test_push_put_pull_bounds(void **state)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);
	unsigned int room;

	(void)state;
	assert_non_null(skb);
	skb_reserve(skb, 16);
	room = (unsigned int)skb_tailroom(skb);
	assert_true(overrun_aborts(skb_push, skb, 17));
	assert_true(overrun_aborts(skb_put, skb, room + 1));
	assert_false(overrun_aborts(skb_push, skb, 16));
	assert_false(overrun_aborts(skb_put, skb, room));
	/* The parent's skb is untouched by the children. */
	assert_int_equal(skb_headroom(skb), 16);
	assert_int_equal(skb->len, 0);

	assert_ptr_equal(skb_push(skb, 16), skb->head);
	assert_ptr_equal(skb_put(skb, room), skb->head + 16);
	assert_int_equal(skb->len, 16 + room);
	assert_int_equal(skb_tailroom(skb), 0);
	assert_null(skb_pull(skb, 16 + room + 1));
	assert_int_equal(skb->len, 16 + room);
	/* A non-linear skb: skb_pull stops at the linear part, skb_put refuses it. */
	skb->data_len = 8;
	skb->len += 8;
	assert_null(skb_pull(skb, 16 + room + 1));
	assert_true(overrun_aborts(skb_put, skb, 0));
	assert_ptr_equal(skb_pull(skb, 16 + room), skb->head + 16 + room);
	assert_ptr_equal(skb->data, skb->head + 16 + room);
	assert_int_equal(skb->len, 8);
	skb->data_len = 0;
	skb->len = 0;
	kfree_skb(skb);
}

static void test_clone_shares_data(void **state)
{
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL), *c;
	u8 ref[80];

	(void)state;
	skb_reserve(skb, 16);
	fill(skb_put(skb, 80), 80, 3);
	memcpy(ref, skb->data, 80);
	skb->priority = 6;
	skb->protocol = htons(0x88B5);
	skb_reset_network_header(skb);
	memcpy(skb->cb, "control", 8);

	c = skb_clone(skb, GFP_ATOMIC);
	assert_non_null(c);
	assert_ptr_not_equal(c, skb);
	assert_ptr_equal(c->data, skb->data);		/* same bytes, not a copy */
	assert_ptr_equal(c->head, skb->head);
	assert_int_equal(c->len, 80);
	assert_int_equal(atomic_read(&skb_shinfo(skb)->dataref), 2);
	assert_true(skb_cloned(skb));
	assert_true(skb_cloned(c));
	assert_false(skb_shared(skb));			/* users is per sk_buff */
	assert_int_equal(c->ul_id, skb->ul_id);	/* the same packet for tracing */
	assert_int_equal(c->priority, 6);
	assert_int_equal(c->protocol, htons(0x88B5));
	assert_int_equal(c->network_header, skb->network_header);
	assert_memory_equal(c->cb, "control", 8);
	assert_int_equal(c->truesize, skb->truesize);

	/* Freeing the clone keeps the original and its data. */
	kfree_skb(c);
	assert_int_equal(atomic_read(&skb_shinfo(skb)->dataref), 1);
	assert_false(skb_cloned(skb));
	assert_memory_equal(skb->data, ref, 80);

	/* Freeing the original first keeps the clone's data alive. */
	c = skb_clone(skb, GFP_ATOMIC);
	kfree_skb(skb);
	assert_int_equal(atomic_read(&skb_shinfo(c)->dataref), 1);
	assert_memory_equal(c->data, ref, 80);
	kfree_skb(c);
}

static void test_fclone(void **state)
{
	unsigned long live = ul_skb_in_use();
	struct sk_buff *skb = alloc_skb_fclone(128, GFP_KERNEL), *c, *c2;

	(void)state;
	assert_int_equal(skb->fclone, SKB_FCLONE_ORIG);
	fill(skb_put(skb, 40), 40, 9);
	/* The first clone is the companion allocated with it (TCP's transmit clone). */
	c = skb_clone(skb, GFP_ATOMIC);
	assert_ptr_equal(c, skb + 1);
	assert_int_equal(c->fclone, SKB_FCLONE_CLONE);
	/* While it is in use, a second clone comes from skbuff_head_cache. */
	c2 = skb_clone(skb, GFP_ATOMIC);
	assert_int_equal(c2->fclone, SKB_FCLONE_UNAVAILABLE);
	assert_int_equal(atomic_read(&skb_shinfo(skb)->dataref), 3);
	kfree_skb(c2);
	kfree_skb(skb);		/* the pair stays until the clone goes */
	{
		static const u8 head3[3] = { 9, 16, 23 };

		assert_memory_equal(c->data, head3, 3);
	}
	kfree_skb(c);
	assert_int_equal(ul_skb_in_use(), live);

	/* The companion is reusable once freed. */
	skb = alloc_skb_fclone(64, GFP_KERNEL);
	c = skb_clone(skb, GFP_ATOMIC);
	kfree_skb(c);
	c = skb_clone(skb, GFP_ATOMIC);
	assert_ptr_equal(c, skb + 1);
	kfree_skb(c);
	kfree_skb(skb);
}

/* Every member of a clone, against its original (skb_clone does not clear the new
 * sk_buff first: __skb_clone must write them all). */
static void assert_clone_of(const struct sk_buff *c, const struct sk_buff *skb)
{
	assert_null(c->next);
	assert_null(c->prev);
	assert_null(c->sk);
	assert_null(c->destructor);
	assert_true(c->tstamp == skb->tstamp);
	assert_ptr_equal(c->dev, skb->dev);
	assert_memory_equal(c->cb, skb->cb, sizeof(skb->cb));
	assert_true(c->_skb_refdst == skb->_skb_refdst);
	assert_int_equal(c->len, skb->len);
	assert_int_equal(c->data_len, skb->data_len);
	assert_int_equal(c->mac_len, skb->mac_len);
	assert_int_equal(c->hdr_len, skb->hdr_len);
	assert_int_equal(c->csum, skb->csum);
	assert_int_equal(c->priority, skb->priority);
	assert_int_equal(c->local_df, skb->local_df);
	assert_int_equal(c->cloned, 1);
	assert_int_equal(c->ip_summed, skb->ip_summed);
	assert_int_equal(c->nohdr, 0);
	assert_int_equal(c->peeked, 0);
	assert_int_equal(c->head_frag, skb->head_frag);
	assert_int_equal(c->ooo_okay, skb->ooo_okay);
	assert_int_equal(c->pkt_type, skb->pkt_type);
	assert_int_equal(c->l4_rxhash, skb->l4_rxhash);
	assert_int_equal(c->encapsulation, skb->encapsulation);
	assert_int_equal(c->pfmemalloc, 0);
	assert_int_equal(c->protocol, skb->protocol);
	assert_int_equal(c->skb_iif, skb->skb_iif);
	assert_int_equal(c->rxhash, skb->rxhash);
	assert_int_equal(c->vlan_tci, skb->vlan_tci);
	assert_int_equal(c->tc_index, skb->tc_index);
	assert_int_equal(c->queue_mapping, skb->queue_mapping);
	assert_int_equal(c->mark, skb->mark);
	assert_null(c->nfct);
	assert_int_equal(c->nfctinfo, skb->nfctinfo);
	assert_int_equal(c->inner_transport_header, skb->inner_transport_header);
	assert_int_equal(c->inner_network_header, skb->inner_network_header);
	assert_int_equal(c->transport_header, skb->transport_header);
	assert_int_equal(c->network_header, skb->network_header);
	assert_int_equal(c->mac_header, skb->mac_header);
	assert_int_equal(c->tail, skb->tail);
	assert_int_equal(c->end, skb->end);
	assert_ptr_equal(c->head, skb->head);
	assert_ptr_equal(c->data, skb->data);
	assert_int_equal(c->truesize, skb->truesize);
	assert_int_equal(atomic_read(&c->users), 1);
	assert_true(c->ul_id == skb->ul_id);
	assert_int_equal(c->reserved_tailroom, 0);
}

/* A clone made in dirty memory (the fclone companion filled with 0xa5, a used slab object)
 * has the original's header fields and nothing of what was there before. */
static void test_clone_writes_every_member(void **state)
{
	unsigned long live = ul_skb_in_use();
	struct sk_buff *skb = alloc_skb_fclone(256, GFP_KERNEL), *c, *c2;

	(void)state;
	skb_reserve(skb, 64);
	fill(skb_put(skb, 100), 100, 1);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, 14);
	skb_set_transport_header(skb, 34);
	skb->tstamp = 123456789;
	skb->dev = NULL;
	memcpy(skb->cb, "0123456789abcdef0123456789abcdef0123456789abcde", 48);
	skb->mac_len = 14;
	skb->csum = 0x12345678;
	skb->priority = 5;
	skb->local_df = 1;
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->peeked = 1;
	skb->ooo_okay = 1;
	skb->pkt_type = PACKET_OTHERHOST;
	skb->l4_rxhash = 1;
	skb->encapsulation = 1;
	skb->protocol = htons(0x0800);
	skb->skb_iif = 7;
	skb->rxhash = 0xabcdef;
	skb->vlan_tci = 0x123;
	skb->tc_index = 9;
	skb->queue_mapping = 3;
	skb->mark = 0xfeed;
	skb->nfctinfo = 2;
	skb->inner_network_header = 20;
	skb->inner_transport_header = 40;
	skb->reserved_tailroom = 12;

	memset(skb + 1, 0xa5, sizeof(*skb));
	(skb + 1)->fclone = SKB_FCLONE_UNAVAILABLE;
	c = skb_clone(skb, GFP_ATOMIC);
	assert_ptr_equal(c, skb + 1);
	assert_int_equal(c->fclone, SKB_FCLONE_CLONE);
	assert_clone_of(c, skb);

	/* From the cache: an object given back dirty by a freed clone. */
	c2 = skb_clone(skb, GFP_ATOMIC);
	assert_int_equal(c2->fclone, SKB_FCLONE_UNAVAILABLE);
	c2->pfmemalloc = 1;
	c2->reserved_tailroom = 99;
	kfree_skb(c2);
	c2 = skb_clone(skb, GFP_ATOMIC);
	assert_int_equal(c2->fclone, SKB_FCLONE_UNAVAILABLE);
	assert_clone_of(c2, skb);
	kfree_skb(c2);
	kfree_skb(c);
	kfree_skb(skb);
	assert_int_equal(ul_skb_in_use(), live);
}

static void test_copy_is_independent(void **state)
{
	struct sk_buff *skb = alloc_skb(200, GFP_KERNEL), *n, *p;

	(void)state;
	skb_reserve(skb, 40);
	fill(skb_put(skb, 100), 100, 5);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, 20);
	skb->mark = 77;

	n = skb_copy(skb, GFP_ATOMIC);
	assert_non_null(n);
	assert_ptr_not_equal(n->data, skb->data);
	assert_memory_equal(n->data, skb->data, 100);
	assert_int_equal(skb_headroom(n), 40);
	assert_int_equal(skb_network_offset(n), 0);
	assert_int_equal(skb_transport_offset(n), 20);
	assert_int_equal(n->mark, 77);
	assert_false(skb_cloned(skb));
	assert_false(skb_cloned(n));
	n->data[0] ^= 0xff;
	assert_int_not_equal(n->data[0], skb->data[0]);

	/* pskb_copy with more headroom elsewhere: headers stay at the same place in data. */
	p = __pskb_copy(skb, 96, GFP_ATOMIC);
	assert_int_equal(skb_headroom(p), 96);
	assert_int_equal(skb_transport_offset(p), 20);
	assert_memory_equal(p->data, skb->data, 100);
	kfree_skb(p);
	p = skb_copy_expand(skb, 8, 300, GFP_ATOMIC);
	assert_int_equal(skb_headroom(p), 8);
	assert_true(skb_tailroom(p) >= 300);
	assert_int_equal(skb_network_offset(p), 0);
	assert_memory_equal(p->data, skb->data, 100);
	kfree_skb(p);
	kfree_skb(n);
	kfree_skb(skb);
}

static void test_refcounts(void **state)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);
	unsigned long drops = ul_drop_count(SKB_DROP_REASON_NOT_SPECIFIED);

	(void)state;
	assert_ptr_equal(skb_get(skb), skb);
	assert_true(skb_shared(skb));
	assert_int_equal(atomic_read(&skb->users), 2);
	kfree_skb(skb);		/* drops a reference only: no drop counted */
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_NOT_SPECIFIED), drops);
	assert_false(skb_shared(skb));
	kfree_skb(skb);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_NOT_SPECIFIED), drops + 1);
	kfree_skb(NULL);
	consume_skb(NULL);

	/* skb_share_check gives a private sk_buff (a clone) when shared. */
	skb = alloc_skb(64, GFP_KERNEL);
	skb_get(skb);
	{
		struct sk_buff *c = skb_share_check(skb, GFP_ATOMIC);

		assert_ptr_not_equal(c, skb);
		assert_false(skb_shared(c));
		assert_false(skb_shared(skb));
		kfree_skb(c);
	}
	kfree_skb(skb);
}

static void test_drop_reasons(void **state)
{
	unsigned long before = ul_drop_count(SKB_DROP_REASON_TCP_CSUM);
	unsigned long consumed = ul_drop_count(SKB_DROP_REASON_NOT_SPECIFIED);
	char *text;
	int err;

	(void)state;
	kfree_skb_reason(alloc_skb(10, GFP_KERNEL), SKB_DROP_REASON_TCP_CSUM);
	kfree_skb_reason(alloc_skb(10, GFP_KERNEL), SKB_DROP_REASON_TCP_CSUM);
	consume_skb(alloc_skb(10, GFP_KERNEL));
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_TCP_CSUM), before + 2);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_NOT_SPECIFIED), consumed);
	assert_string_equal(skb_drop_reason_name(SKB_DROP_REASON_CPU_BACKLOG), "CPU_BACKLOG");
	assert_string_equal(skb_drop_reason_name(SKB_DROP_REASON_TCP_LISTEN_OVERFLOW),
			    "TCP_LISTEN_OVERFLOW");
	assert_string_equal(skb_drop_reason_name(SKB_DROP_REASON_MAX + 5), "UNKNOWN");

	text = ul_proc_read(NULL, "/proc/net/drop_monitor", &err);
	assert_int_equal(err, 0);
	assert_non_null(strstr(text, "TCP_CSUM 2\n"));
	assert_null(strstr(text, "UDP_CSUM"));	/* zero counts are not listed */
	free(text);
}

static void test_expand_and_cow(void **state)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL), *c, *r;
	u8 ref[60];

	(void)state;
	skb_reserve(skb, 4);
	fill(skb_put(skb, 60), 60, 11);
	memcpy(ref, skb->data, 60);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, 14);

	assert_int_equal(pskb_expand_head(skb, 100, 50, GFP_ATOMIC), 0);
	assert_int_equal(skb_headroom(skb), 104);
	assert_true(skb_tailroom(skb) >= 50);
	assert_memory_equal(skb->data, ref, 60);
	assert_int_equal(skb_network_offset(skb), 14);
	assert_int_equal(skb_mac_header(skb) - skb->data, 0);

	/* A clone's data is private after skb_cow; the other keeps the old bytes. */
	c = skb_clone(skb, GFP_ATOMIC);
	assert_true(skb_cloned(c));
	assert_int_equal(skb_cow(c, 8), 0);
	assert_false(skb_cloned(c));
	assert_false(skb_cloned(skb));
	c->data[0] = 0xEE;
	assert_int_equal(skb->data[0], ref[0]);
	kfree_skb(c);

	/* skb_cow_head grows headroom only when needed. */
	assert_int_equal(skb_cow_head(skb, 200), 0);
	assert_true(skb_headroom(skb) >= 200);
	assert_memory_equal(skb->data, ref, 60);

	r = skb_realloc_headroom(skb, 400);
	assert_non_null(r);
	assert_true(skb_headroom(r) >= 400);
	assert_memory_equal(r->data, ref, 60);
	kfree_skb(r);
	r = skb_realloc_headroom(skb, 10);	/* enough already: a pskb_copy */
	assert_memory_equal(r->data, ref, 60);
	kfree_skb(r);
	assert_int_equal(pskb_expand_head(skb, -1, 0, GFP_ATOMIC), -EINVAL);
	kfree_skb(skb);
}

/* head: 30 linear bytes; frag_list: 40 + 25 bytes. The bytes are 0..94 in order. */
static struct sk_buff *make_fraglist_skb(void)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);
	struct sk_buff *f1 = alloc_skb(64, GFP_KERNEL), *f2 = alloc_skb(64, GFP_KERNEL);
	int i;

	for (i = 0; i < 30; i++)
		*(u8 *)skb_put(skb, 1) = (u8)i;
	for (i = 30; i < 70; i++)
		*(u8 *)skb_put(f1, 1) = (u8)i;
	for (i = 70; i < 95; i++)
		*(u8 *)skb_put(f2, 1) = (u8)i;
	f1->next = f2;
	skb_shinfo(skb)->frag_list = f1;
	skb->len += 65;
	skb->data_len = 65;
	return skb;
}

static void test_fraglist_access(void **state)
{
	struct sk_buff *skb = make_fraglist_skb(), *c;
	u8 buf[95], want[95], tmp[8];
	const u8 *ph;
	int i;

	(void)state;
	for (i = 0; i < 95; i++)
		want[i] = (u8)i;
	assert_int_equal(skb->len, 95);
	assert_int_equal(skb_headlen(skb), 30);
	assert_true(skb_is_nonlinear(skb));
	assert_int_equal(skb_tailroom(skb), 0);

	assert_int_equal(skb_copy_bits(skb, 0, buf, 95), 0);
	assert_memory_equal(buf, want, 95);
	assert_int_equal(skb_copy_bits(skb, 25, buf, 50), 0);	/* spans head, f1, f2 */
	assert_memory_equal(buf, want + 25, 50);
	assert_int_equal(skb_copy_bits(skb, 90, buf, 6), -EFAULT);

	ph = skb_header_pointer(skb, 68, 4, tmp);	/* crosses f1/f2: copied */
	assert_ptr_equal(ph, tmp);
	assert_memory_equal(ph, want + 68, 4);
	ph = skb_header_pointer(skb, 2, 4, tmp);	/* linear: points into the skb */
	assert_ptr_equal(ph, skb->data + 2);
	assert_null(skb_header_pointer(skb, 93, 4, tmp));

	/* Checksum over the pieces equals the checksum of the flat bytes, at odd offsets too. */
	assert_int_equal(csum_fold(skb_checksum(skb, 0, 95, 0)), csum_fold(csum_partial(want, 95, 0)));
	assert_int_equal(csum_fold(skb_checksum(skb, 3, 80, 0)),
			 csum_fold(csum_partial(want + 3, 80, 0)));

	/* A clone shares the frag_list; pulling in one makes its own head. */
	c = skb_clone(skb, GFP_ATOMIC);
	assert_true(pskb_may_pull(c, 50));
	assert_int_equal(skb_headlen(c), 50);
	assert_int_equal(c->len, 95);
	assert_memory_equal(c->data, want, 50);
	assert_int_equal(skb_copy_bits(c, 0, buf, 95), 0);
	assert_memory_equal(buf, want, 95);
	assert_int_equal(skb_copy_bits(skb, 0, buf, 95), 0);	/* original untouched */
	assert_memory_equal(buf, want, 95);
	assert_false(pskb_may_pull(c, 96));
	kfree_skb(c);

	/* skb_store_bits writes through to the frag_list. */
	assert_int_equal(skb_store_bits(skb, 68, "\xAA\xBB\xCC", 3), 0);
	assert_int_equal(skb_copy_bits(skb, 67, buf, 5), 0);
	assert_memory_equal(buf, "\x43\xAA\xBB\xCC\x47", 5);
	assert_int_equal(skb_store_bits(skb, 68, want + 68, 3), 0);

	/* Trim into the first fragment drops the second. */
	assert_int_equal(pskb_trim(skb, 50), 0);
	assert_int_equal(skb->len, 50);
	assert_int_equal(skb->data_len, 20);
	assert_null(skb_shinfo(skb)->frag_list->next);
	assert_int_equal(skb_copy_bits(skb, 0, buf, 50), 0);
	assert_memory_equal(buf, want, 50);

	assert_int_equal(skb_linearize(skb), 0);
	assert_false(skb_is_nonlinear(skb));
	assert_null(skb_shinfo(skb)->frag_list);
	assert_memory_equal(skb->data, want, 50);

	/* Copying a non-linear skb linearises it. */
	kfree_skb(skb);
	skb = make_fraglist_skb();
	c = skb_copy(skb, GFP_ATOMIC);
	assert_false(skb_is_nonlinear(c));
	assert_memory_equal(c->data, want, 95);
	kfree_skb(c);
	/* Trim to inside the head drops the whole frag_list. */
	assert_int_equal(pskb_trim(skb, 10), 0);
	assert_int_equal(skb->len, 10);
	assert_false(skb_is_nonlinear(skb));
	kfree_skb(skb);
}

static void test_queues(void **state)
{
	struct sk_buff_head q, q2;
	struct sk_buff *s[5], *skb, *tmp;
	unsigned long purged = ul_drop_count(SKB_DROP_REASON_QUEUE_PURGE);
	int i, n;

	(void)state;
	skb_queue_head_init(&q);
	skb_queue_head_init(&q2);
	assert_true(skb_queue_empty(&q));
	assert_null(skb_peek(&q));
	assert_null(skb_dequeue(&q));
	for (i = 0; i < 5; i++) {
		s[i] = alloc_skb(16, GFP_KERNEL);
		s[i]->mark = (u32)i;
	}
	skb_queue_tail(&q, s[1]);
	skb_queue_tail(&q, s[2]);
	skb_queue_head(&q, s[0]);
	__skb_queue_tail(&q, s[3]);
	assert_int_equal(skb_queue_len(&q), 4);
	assert_ptr_equal(skb_peek(&q), s[0]);
	assert_ptr_equal(skb_peek_tail(&q), s[3]);
	assert_true(skb_queue_is_last(&q, s[3]));
	n = 0;
	skb_queue_walk(&q, skb)
		assert_int_equal(skb->mark, (u32)n++);
	assert_int_equal(n, 4);

	skb_unlink(s[1], &q);
	assert_int_equal(skb_queue_len(&q), 3);
	skb_append(s[0], s[1], &q);	/* back after s[0] */
	assert_ptr_equal(s[0]->next, s[1]);

	skb_queue_tail(&q2, s[4]);
	skb_queue_splice_tail_init(&q, &q2);	/* q2: 4 0 1 2 3 */
	assert_true(skb_queue_empty(&q));
	assert_int_equal(skb_queue_len(&q), 0);
	assert_int_equal(skb_queue_len(&q2), 5);
	assert_ptr_equal(skb_peek(&q2), s[4]);
	assert_ptr_equal(skb_peek_tail(&q2), s[3]);

	/* walk_safe may unlink as it goes */
	skb_queue_walk_safe(&q2, skb, tmp) {
		if (skb->mark % 2 == 0) {
			__skb_unlink(skb, &q2);
			consume_skb(skb);
		}
	}
	assert_int_equal(skb_queue_len(&q2), 2);
	assert_ptr_equal(__skb_dequeue(&q2), s[1]);
	consume_skb(s[1]);
	skb_queue_purge(&q2);
	assert_true(skb_queue_empty(&q2));
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_QUEUE_PURGE), purged + 1);
}

/* ---- checksums ---- */

/* Reference: the RFC 1071 sum of big-endian 16-bit words, folded and complemented. */
static u16 ref_csum(const u8 *p, int len, u32 sum)
{
	int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (u32)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

/* The wire bytes of a folded checksum. */
static u16 wire16(__sum16 c)
{
	const u8 *b = (const u8 *)&c;

	return (u16)(b[0] << 8 | b[1]);
}

static void test_checksum_known_vectors(void **state)
{
	/* RFC 1071 §3 example: the sum of these words is ddf2, so the checksum is 220d. */
	static const u8 rfc1071[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	/* An IPv4 header (20 bytes) with a correct checksum b861. */
	static const u8 iph[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
				    0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
	/* A UDP datagram 10.0.0.1:1234 -> 10.0.0.2:80, payload "hi!", checksum 0x5d4a. */
	static const u8 udp[11] = { 0x04, 0xd2, 0x00, 0x50, 0x00, 0x0b, 0x00, 0x00, 'h', 'i', '!' };
	u8 hdr[20];
	__be32 saddr = htonl(0x0a000001), daddr = htonl(0x0a000002);
	__sum16 c;

	(void)state;
	assert_int_equal(wire16(csum_fold(csum_partial(rfc1071, 8, 0))), 0x220d);
	assert_int_equal(wire16(ip_compute_csum(rfc1071, 8)), 0x220d);

	assert_int_equal(ip_fast_csum(iph, 5), 0);	/* intact header verifies to 0 */
	memcpy(hdr, iph, 20);
	hdr[10] = hdr[11] = 0;
	c = ip_fast_csum(hdr, 5);
	assert_int_equal(wire16(c), 0xb861);
	memcpy(hdr + 10, &c, 2);
	assert_memory_equal(hdr, iph, 20);
	hdr[8] = 0x3f;	/* TTL 64 -> 63: incremental update matches a recompute */
	{
		__sum16 sum;
		u8 full[20];

		memcpy(&sum, iph + 10, 2);
		csum_replace2(&sum, htons(0x4011), htons(0x3f11));
		memcpy(full, hdr, 20);
		full[10] = full[11] = 0;
		assert_int_equal(wire16(sum), wire16(ip_fast_csum(full, 5)));
	}

	/* UDP over the pseudo-header (RFC 768). */
	c = csum_tcpudp_magic(saddr, daddr, sizeof(udp), 17, csum_partial(udp, sizeof(udp), 0));
	{
		u8 pseudo[12 + 11];

		memcpy(pseudo, &saddr, 4);
		memcpy(pseudo + 4, &daddr, 4);
		pseudo[8] = 0;
		pseudo[9] = 17;
		pseudo[10] = 0;
		pseudo[11] = sizeof(udp);
		memcpy(pseudo + 12, udp, sizeof(udp));
		assert_int_equal(wire16(c), ref_csum(pseudo, sizeof(pseudo), 0));
	}
	assert_int_equal(wire16(c), 0x5d4a);
}

/* ip_fast_csum of headers with options (ihl 6..15, its loop) and without (ihl 5, unrolled),
 * at every alignment, against the RFC 1071 reference. */
static void test_ip_fast_csum_every_ihl(void **state)
{
	u8 buf[64 + 4];
	u32 seed = 777;
	unsigned int ihl, off, i;

	(void)state;
	for (i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (u8)(seed >> 16);
	}
	for (ihl = 5; ihl <= 15; ihl++)
		for (off = 0; off < 4; off++)
			assert_int_equal(wire16(ip_fast_csum(buf + off, ihl)),
					 ref_csum(buf + off, (int)ihl * 4, 0));
	/* Carries out of every 32-bit word: all ones sums to 0xffff, checksum 0. */
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(wire16(ip_fast_csum(buf, 5)), 0);
	assert_int_equal(wire16(ip_fast_csum(buf + 1, 7)), 0);
}

/* csum_tcpudp_nofold (inline): the folded sum equals the RFC 1071 checksum of the 12-byte
 * pseudo-header followed by the 4 bytes of the partial sum, for random and carry-heavy
 * values; and the unfolded value is exact where every add carries. */
static void test_csum_tcpudp_pseudo_header(void **state)
{
	u32 seed = 4242;
	unsigned int i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		u32 r[4];
		u8 buf[16];
		__be32 saddr, daddr;
		unsigned short len, proto;
		__wsum sum;
		unsigned int k;

		for (k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			r[k] = (seed >> 8) ^ (seed << 20);
		}
		if (i % 5 == 0)		/* carries out of every add */
			r[0] = r[1] = r[2] = r[3] = 0xffffffffu;
		saddr = (__be32)r[0];
		daddr = (__be32)r[1];
		len = (unsigned short)r[2];
		proto = (unsigned short)(r[2] >> 16);
		sum = (__wsum)r[3];
		memcpy(buf, &saddr, 4);
		memcpy(buf + 4, &daddr, 4);
		buf[8] = (u8)(proto >> 8);	/* the pseudo-header's zero byte and protocol, */
		buf[9] = (u8)proto;		/* a 16-bit word in network order */
		buf[10] = (u8)(len >> 8);
		buf[11] = (u8)len;
		memcpy(buf + 12, &sum, 4);
		assert_int_equal(wire16(csum_fold(csum_tcpudp_nofold(saddr, daddr, len, proto, sum))),
				 ref_csum(buf, 16, 0));
	}
	/* 3 * 0xffffffff + 0xff00 + 0xffff = 0x3_0001_fefc -> 0x1_feff -> 0x1_feff. */
	assert_int_equal((u32)csum_tcpudp_nofold(0xffffffffu, 0xffffffffu, 0xffff, 0xff,
						 (__wsum)0xffffffffu), 0x0001feffu);
	assert_int_equal((u32)csum_tcpudp_nofold(0, 0, 0, 0, 0), 0);
}

static void test_checksum_any_alignment(void **state)
{
	u8 buf[600];
	int off, len;
	u32 seed = 12345;

	(void)state;
	for (off = 0; off < (int)sizeof(buf); off++) {
		seed = seed * 1103515245u + 12345u;
		buf[off] = (u8)(seed >> 16);
	}
	for (off = 0; off < 9; off++) {
		for (len = 0; len < 300; len += 1 + len / 7) {
			__sum16 c = csum_fold(csum_partial(buf + off, len, 0));

			assert_int_equal(wire16(c), ref_csum(buf + off, len, 0));
		}
	}
	/* csum_block_add: the sum of two pieces, the second starting at an odd offset. */
	for (len = 1; len < 64; len += 5) {
		__wsum a = csum_partial(buf, len, 0);
		__wsum b = csum_partial(buf + len, 100, 0);
		__wsum whole = csum_partial(buf, len + 100, 0);

		assert_int_equal(csum_fold(csum_block_add(a, b, len)), csum_fold(whole));
		assert_int_equal(csum_fold(csum_block_sub(whole, b, len)), csum_fold(a));
	}
	/* csum_sub undoes csum_add. */
	{
		__wsum a = csum_partial(buf, 40, 0), b = csum_partial(buf + 40, 40, 0);

		assert_int_equal(csum_fold(csum_sub(csum_add(a, b), b)), csum_fold(a));
	}
	/* copy-and-sum copies and sums */
	{
		u8 dst[100];
		__wsum s = csum_partial_copy_nocheck(buf + 3, dst, 100, 0);

		assert_memory_equal(dst, buf + 3, 100);
		assert_int_equal(csum_fold(s), csum_fold(csum_partial(buf + 3, 100, 0)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_alloc_layout, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_alloc_reuse_is_clean, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_clone_shares_data, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_fclone, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_clone_writes_every_member, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_copy_is_independent, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_refcounts, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_drop_reasons, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_expand_and_cow, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_fraglist_access, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_queues, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test(test_checksum_known_vectors),
		cmocka_unit_test(test_checksum_any_alignment),
		cmocka_unit_test_setup_teardown(test_push_put_pull_bounds, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test(test_ip_fast_csum_every_ihl),
		cmocka_unit_test(test_csum_tcpudp_pseudo_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
