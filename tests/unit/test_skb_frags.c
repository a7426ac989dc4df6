/* SPDX-License-Identifier: MIT */
/* Paged skbs (skb_shinfo(skb)->frags) and zero-copy TCP sendfile, as Linux 3.10: the page
 * allocator's references; every helper that reads or reshapes data (copy/store bits,
 * checksums, pull, trim, split, trim head, clone, copies, linearize, datagram copy, GSO)
 * against a reference byte array, at every boundary, with the page counts checked; then TCP:
 * write-queue skbs built from page frags on a scatter-gather route, linear without SG,
 * and sendfile counted as zero copy (or one kernel copy without SG), byte-exact.
 * Mirrors the behaviour of linux/net/core/skbuff.c, net/ipv4/tcp.c (tcp_sendmsg,
 * do_tcp_sendpages) and fs/read_write.c do_sendfile. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "net_testutil.h"
#include "tcp_bulk_testutil.h"
#include "linux/mm.h"
#include "linux/skbuff.h"
#include "linux/uaccess.h"
#include "net/checksum.h"
#include "net/gro.h"
#include "net/tcp.h"
#include "uapi/linux/ip.h"
#include "uapi/linux/tcp.h"

#define MS	1000000ULL
#define SEC	(1000 * MS)

/* A test skb: @hlen linear bytes after 64 of headroom, then one frag per entry of @sizes,
 * each in its own page at offset 100 (the last two share a page when @share_last). The
 * bytes are pattern(i); @ref gets a copy of the whole packet. */
#define NPAGES 4
struct fskb {
	struct sk_buff *skb;
	struct page *pages[NPAGES];
	int npages;
	u8 ref[4 * 4096];
	int len;
};

static u8 pat(int i)
{
	return (u8)(i * 13 + (i >> 8) + 1);
}

static void fskb_build(struct fskb *f, int hlen, const int *sizes, int nfrags)
{
	int i, pos = 0;

	memset(f, 0, sizeof(*f));
	assert_true(nfrags <= NPAGES);
	f->skb = alloc_skb(64 + (unsigned int)hlen, GFP_KERNEL);
	assert_non_null(f->skb);
	skb_reserve(f->skb, 64);
	for (i = 0; i < hlen; i++)
		f->ref[pos++] = pat(i);
	memcpy(skb_put(f->skb, (unsigned int)hlen), f->ref, (size_t)hlen);
	for (i = 0; i < nfrags; i++) {
		struct page *page = alloc_page(GFP_KERNEL);
		int k;

		assert_non_null(page);
		assert_true(sizes[i] <= 4096 - 100);
		for (k = 0; k < sizes[i]; k++) {
			f->ref[pos] = pat(pos);
			((u8 *)page_address(page))[100 + k] = f->ref[pos];
			pos++;
		}
		f->pages[f->npages++] = page;
		/* The skb takes over the allocation's reference. */
		skb_add_rx_frag(f->skb, i, page, 100, sizes[i], (unsigned int)sizes[i]);
	}
	f->len = pos;
	assert_int_equal(f->skb->len, (unsigned int)pos);
	assert_int_equal(f->skb->data_len, (unsigned int)(pos - hlen));
}

/* Hold one reference of ours on each page, so page_count can be read after the skb went. */
static void fskb_hold(struct fskb *f)
{
	int i;

	for (i = 0; i < f->npages; i++)
		get_page(f->pages[i]);
}

static void fskb_release(struct fskb *f)
{
	int i;

	for (i = 0; i < f->npages; i++)
		put_page(f->pages[i]);
}

static void assert_bytes(const struct sk_buff *skb, const u8 *ref, int len)
{
	u8 buf[4 * 4096];

	assert_int_equal(skb->len, (unsigned int)len);
	assert_int_equal(skb_copy_bits(skb, 0, buf, len), 0);
	assert_memory_equal(buf, ref, (size_t)len);
	assert_int_equal(skb->len, skb_headlen(skb) + skb->data_len);
}

static const int three[] = { 700, 1200, 500 };

static void test_page_alloc(void **state)
{
	unsigned long base = ul_pages_in_use();
	struct ul_page_stats st;
	struct page *p[4];
	unsigned int o;

	(void)state;
	for (o = 0; o <= 3; o++) {
		p[o] = alloc_pages(GFP_KERNEL | __GFP_ZERO, o);
		assert_non_null(p[o]);
		assert_int_equal(page_count(p[o]), 1);
		assert_int_equal(compound_order(p[o]), o);
		assert_int_equal(((u8 *)page_address(p[o]))[(PAGE_SIZE << o) - 1], 0);
		assert_int_equal((uintptr_t)page_address(p[o]) % PAGE_SIZE, 0);
	}
	assert_null(alloc_pages(GFP_KERNEL, 4));	/* above PAGE_ALLOC_COSTLY_ORDER */
	ul_page_stats_get(&st);
	assert_int_equal(ul_pages_in_use(), base + 4);
	assert_true(st.pages >= 1 + 2 + 4 + 8);
	assert_int_equal(get_order(32768), 3);
	assert_int_equal(get_order(4096), 0);
	assert_int_equal(get_order(4097), 1);
	get_page(p[3]);
	assert_int_equal(page_count(p[3]), 2);
	put_page(p[3]);
	assert_int_equal(ul_pages_in_use(), base + 4);
	for (o = 0; o <= 3; o++)
		__free_pages(p[o], o);
	assert_int_equal(ul_pages_in_use(), base);
}

/* Every (offset, len) over head, frags and their boundaries. */
static void test_copy_store_checksum(void **state)
{
	struct fskb f;
	u8 buf[4096], nbuf[4096];
	int off, len;

	(void)state;
	fskb_build(&f, 300, three, 3);
	assert_int_equal(skb_shinfo(f.skb)->nr_frags, 3);
	assert_int_equal(skb_pagelen(f.skb), 2700);
	for (off = 0; off <= f.len; off += 37) {
		for (len = 0; off + len <= f.len; len += 53) {
			__wsum want = csum_partial(f.ref + off, len, 0);

			assert_int_equal(skb_copy_bits(f.skb, off, buf, len), 0);
			assert_memory_equal(buf, f.ref + off, (size_t)len);
			assert_int_equal(csum_fold(skb_checksum(f.skb, off, len, 0)), csum_fold(want));
			memset(buf, 0, sizeof(buf));
			assert_int_equal(csum_fold(skb_copy_and_csum_bits(f.skb, off, buf, len, 0)),
					 csum_fold(want));
			assert_memory_equal(buf, f.ref + off, (size_t)len);
		}
	}
	assert_int_equal(skb_copy_bits(f.skb, 1, buf, f.len), -EFAULT);
	assert_int_equal(skb_copy_bits(f.skb, f.len, buf, 1), -EFAULT);

	/* Store across every boundary: 299/300 (head|frag0), 999/1000, 2199/2200. */
	for (off = 290; off < f.len - 20; off += 350) {
		int k;

		for (k = 0; k < 20; k++)
			nbuf[k] = (u8)(0xA0 + k);
		assert_int_equal(skb_store_bits(f.skb, off, nbuf, 20), 0);
		memcpy(f.ref + off, nbuf, 20);
	}
	assert_int_equal(skb_store_bits(f.skb, f.len - 1, nbuf, 2), -EFAULT);
	assert_bytes(f.skb, f.ref, f.len);
	kfree_skb(f.skb);
}

/* Clones share the frags (no new page references); a head copy and an expanded clone take
 * their own; the last user puts them. */
static void test_clone_copy_refcounts(void **state)
{
	unsigned long base = ul_pages_in_use();
	struct sk_buff *c, *pc, *cp;
	struct fskb f;
	int i;

	(void)state;
	fskb_build(&f, 200, three, 3);
	fskb_hold(&f);
	for (i = 0; i < 3; i++)
		assert_int_equal(page_count(f.pages[i]), 2);

	c = skb_clone(f.skb, GFP_ATOMIC);
	assert_non_null(c);
	assert_int_equal(page_count(f.pages[0]), 2);
	assert_int_equal(skb_shinfo(c)->nr_frags, 3);
	assert_bytes(c, f.ref, f.len);

	pc = pskb_copy(f.skb, GFP_ATOMIC);
	assert_non_null(pc);
	assert_ptr_not_equal(pc->head, f.skb->head);
	for (i = 0; i < 3; i++)
		assert_int_equal(page_count(f.pages[i]), 3);
	assert_bytes(pc, f.ref, f.len);

	cp = skb_copy(f.skb, GFP_ATOMIC);	/* linear: no page references */
	assert_non_null(cp);
	assert_false(skb_is_nonlinear(cp));
	assert_int_equal(page_count(f.pages[0]), 3);
	assert_bytes(cp, f.ref, f.len);
	kfree_skb(cp);

	/* The clone's head becomes private: it takes references of its own. */
	assert_int_equal(pskb_expand_head(c, 32, 0, GFP_ATOMIC), 0);
	assert_false(skb_cloned(c));
	for (i = 0; i < 3; i++)
		assert_int_equal(page_count(f.pages[i]), 4);
	assert_bytes(c, f.ref, f.len);

	kfree_skb(c);
	kfree_skb(pc);
	for (i = 0; i < 3; i++)
		assert_int_equal(page_count(f.pages[i]), 2);
	kfree_skb(f.skb);
	for (i = 0; i < 3; i++)
		assert_int_equal(page_count(f.pages[i]), 1);
	fskb_release(&f);
	assert_int_equal(ul_pages_in_use(), base);
}

/* __pskb_pull_tail of every size: the pulled bytes become linear, frags eaten whole put
 * their page, a frag eaten partly starts later. Also on a clone (the head is copied). */
static void test_pull_tail_every_size(void **state)
{
	unsigned long base = ul_pages_in_use();
	int delta;

	(void)state;
	for (delta = 1; delta <= 2400; delta += (delta < 710 ? 1 : 7)) {
		struct sk_buff *clone = NULL;
		struct fskb f;
		int eaten = 0, i, acc = 0;

		fskb_build(&f, 100, three, 3);
		fskb_hold(&f);
		if (delta % 2)
			clone = skb_clone(f.skb, GFP_ATOMIC);
		assert_non_null(__pskb_pull_tail(f.skb, delta));
		assert_int_equal(skb_headlen(f.skb), 100u + (unsigned int)delta);
		assert_bytes(f.skb, f.ref, f.len);
		for (i = 0; i < 3; i++) {
			acc += three[i];
			if (acc <= delta)
				eaten++;
		}
		assert_int_equal(skb_shinfo(f.skb)->nr_frags, 3 - eaten);
		if (!clone) {
			for (i = 0; i < 3; i++)
				assert_int_equal(page_count(f.pages[i]), i < eaten ? 1 : 2);
		} else {
			assert_bytes(clone, f.ref, f.len);
			assert_int_equal(skb_shinfo(clone)->nr_frags, 3);
			kfree_skb(clone);
		}
		kfree_skb(f.skb);
		fskb_release(&f);
	}
	assert_int_equal(ul_pages_in_use(), base);
	/* More than there is: NULL, nothing changed. */
	{
		struct fskb f;

		fskb_build(&f, 10, three, 1);
		assert_null(__pskb_pull_tail(f.skb, 701));
		assert_int_equal(pskb_may_pull(f.skb, 711), 0);
		assert_int_equal(pskb_may_pull(f.skb, 710), 1);
		assert_false(skb_is_nonlinear(f.skb));
		assert_bytes(f.skb, f.ref, f.len);
		kfree_skb(f.skb);
	}
	assert_int_equal(ul_pages_in_use(), base);
}

/* pskb_trim to every length: the frags beyond go (pages put), the one cut is shortened. */
static void test_trim_every_length(void **state)
{
	unsigned long base = ul_pages_in_use();
	int len;

	(void)state;
	for (len = 0; len <= 2700; len += (len % 100 == 0 ? 1 : 49)) {
		struct fskb f;
		int i, acc = 300, keep = 0;

		fskb_build(&f, 300, three, 3);
		fskb_hold(&f);
		assert_int_equal(pskb_trim(f.skb, (unsigned int)len), 0);
		assert_bytes(f.skb, f.ref, len);
		for (i = 0; i < 3; i++) {
			if (acc < len)
				keep++;
			acc += three[i];
		}
		assert_int_equal(skb_shinfo(f.skb)->nr_frags, keep);
		for (i = 0; i < 3; i++)
			assert_int_equal(page_count(f.pages[i]), i < keep ? 2 : 1);
		kfree_skb(f.skb);
		fskb_release(&f);
	}
	assert_int_equal(ul_pages_in_use(), base);
}

/* skb_split at every boundary (tcp_fragment / tso_fragment): inside the head the tail is
 * copied and all frags move; inside the frags nothing is copied and a frag cut in two is
 * held by both. */
static void test_split_every_boundary(void **state)
{
	unsigned long base = ul_pages_in_use();
	int len;

	(void)state;
	for (len = 0; len <= 2600; len += (len % 50 == 0 ? 1 : 23)) {
		struct sk_buff *buff;
		struct fskb f;
		int i, pos = 200, cut = -1;

		fskb_build(&f, 200, three, 3);
		fskb_hold(&f);
		buff = alloc_skb(256, GFP_KERNEL);
		assert_non_null(buff);
		skb_split(f.skb, buff, (u32)len);
		assert_bytes(f.skb, f.ref, len);
		assert_bytes(buff, f.ref + len, f.len - len);
		for (i = 0; i < 3; i++) {
			if (pos < len && len < pos + three[i])
				cut = i;
			pos += three[i];
		}
		for (i = 0; i < 3; i++)
			assert_int_equal(page_count(f.pages[i]), i == cut ? 3 : 2);
		if (len < 200)
			assert_int_equal(skb_shinfo(f.skb)->nr_frags, 0);
		kfree_skb(f.skb);
		kfree_skb(buff);
		for (i = 0; i < 3; i++)
			assert_int_equal(page_count(f.pages[i]), 1);
		fskb_release(&f);
	}
	assert_int_equal(ul_pages_in_use(), base);
}

/* __pskb_trim_head (tcp_trim_head) of every length. */
static void test_trim_head_every_length(void **state)
{
	unsigned long base = ul_pages_in_use();
	int len;

	(void)state;
	for (len = 0; len <= 2550; len += (len % 50 == 0 ? 1 : 31)) {
		struct fskb f;
		int i, acc = 150, gone = 0;

		fskb_build(&f, 150, three, 3);
		fskb_hold(&f);
		__pskb_trim_head(f.skb, len);
		assert_bytes(f.skb, f.ref + len, f.len - len);
		for (i = 0; i < 3; i++) {
			acc += three[i];
			if (acc <= len)
				gone++;
		}
		assert_int_equal(skb_shinfo(f.skb)->nr_frags, 3 - gone);
		for (i = 0; i < 3; i++)
			assert_int_equal(page_count(f.pages[i]), i < gone ? 1 : 2);
		if (len >= 150)
			assert_int_equal(skb_headlen(f.skb), 0);
		kfree_skb(f.skb);
		fskb_release(&f);
	}
	assert_int_equal(ul_pages_in_use(), base);
}

/* Frags then a frag_list member (itself paged): byte order, pull across both, trim,
 * linearize; and skb_copy_datagram_iovec into scattered buffers. */
static void test_frags_and_fraglist(void **state)
{
	unsigned long base = ul_pages_in_use();
	struct fskb f, g;
	u8 all[8192], out[8192];
	struct iovec iov[3];
	int n;

	(void)state;
	fskb_build(&f, 100, three, 2);		/* 100 + 700 + 1200 */
	fskb_build(&g, 50, three + 2, 1);	/* 50 + 500 */
	memcpy(all, f.ref, (size_t)f.len);
	memcpy(all + f.len, g.ref, (size_t)g.len);
	n = f.len + g.len;
	skb_shinfo(f.skb)->frag_list = g.skb;
	f.skb->len += g.skb->len;
	f.skb->data_len += g.skb->len;
	f.skb->truesize += g.skb->truesize;
	assert_bytes(f.skb, all, n);
	assert_int_equal(csum_fold(skb_checksum(f.skb, 3, n - 5, 0)),
			 csum_fold(csum_partial(all + 3, n - 5, 0)));

	iov[0].iov_base = out;
	iov[0].iov_len = 333;
	iov[1].iov_base = out + 333;
	iov[1].iov_len = 0;
	iov[2].iov_base = out + 333;
	iov[2].iov_len = sizeof(out) - 333;
	assert_int_equal(skb_copy_datagram_iovec(f.skb, 7, iov, n - 7), 0);
	assert_memory_equal(out, all + 7, (size_t)(n - 7));

	/* Pull into the frag_list member: the frags go whole, the member is cut. */
	assert_non_null(__pskb_pull_tail(f.skb, 1900 + 20));
	assert_int_equal(skb_shinfo(f.skb)->nr_frags, 0);
	assert_bytes(f.skb, all, n);
	assert_int_equal(pskb_trim(f.skb, (unsigned int)(n - 100)), 0);
	assert_bytes(f.skb, all, n - 100);
	assert_int_equal(skb_linearize(f.skb), 0);
	assert_false(skb_is_nonlinear(f.skb));
	assert_null(skb_shinfo(f.skb)->frag_list);
	assert_bytes(f.skb, all, n - 100);
	kfree_skb(f.skb);
	assert_int_equal(ul_pages_in_use(), base);
}

static void test_fill_and_coalesce(void **state)
{
	/* Not 0: each CPU's receive page-fragment cache holds a page from boot on. */
	unsigned long base = ul_pages_in_use();
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);
	struct page *page = alloc_page(GFP_KERNEL);

	(void)state;
	assert_non_null(skb);
	assert_non_null(page);
	assert_false(skb_can_coalesce(skb, 0, page, 0));
	skb_fill_page_desc(skb, 0, page, 10, 20);
	skb->len += 20;
	skb->data_len += 20;
	assert_int_equal(skb_shinfo(skb)->nr_frags, 1);
	assert_ptr_equal(skb_frag_address(&skb_shinfo(skb)->frags[0]),
			 (u8 *)page_address(page) + 10);
	assert_true(skb_can_coalesce(skb, 1, page, 30));
	assert_false(skb_can_coalesce(skb, 1, page, 31));
	assert_int_equal(skb_tailroom(skb), 0);		/* non-linear: no tailroom */
	assert_int_equal(skb_availroom(skb), 0);
	kfree_skb(skb);		/* puts the page: it held the only reference */
	assert_int_equal(ul_pages_in_use(), base);
}

/* skb_gso_segment on a paged TSO packet: each segment shares the pages (no copy of the
 * paged payload), carries exact bytes and a valid TCP checksum. */
static void test_gso_shares_pages(void **state)
{
	static const int sizes[] = { 3000, 2500, 1900 };
	unsigned long base = ul_pages_in_use();
	struct sk_buff *segs, *seg;
	struct iphdr *iph;
	struct tcphdr *th;
	struct fskb f;
	int i, hdr = 14 + 20 + 20, mss = 1000, payload = 0, nseg = 0;

	(void)state;
	fskb_build(&f, hdr + 100, sizes, 3);
	fskb_hold(&f);
	skb_reset_mac_header(f.skb);
	skb_set_network_header(f.skb, 14);
	skb_set_transport_header(f.skb, 34);
	iph = (struct iphdr *)skb_network_header(f.skb);
	memset(iph, 0, 20);
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = htonl(0x0a000001);
	iph->daddr = htonl(0x0a000002);
	th = (struct tcphdr *)skb_transport_header(f.skb);
	memset(th, 0, 20);
	th->doff = 5;
	th->seq = htonl(1000);
	th->ack = 1;
	th->psh = 1;
	memcpy(f.ref, f.skb->data, (size_t)hdr);
	skb_shinfo(f.skb)->gso_size = (unsigned short)mss;
	skb_shinfo(f.skb)->gso_type = SKB_GSO_TCPV4;
	segs = skb_gso_segment(f.skb, 0);
	assert_false(IS_ERR(segs));
	for (i = 0; i < 3; i++)
		assert_true(page_count(f.pages[i]) > 2);	/* shared by segments */
	for (seg = segs; seg; seg = seg->next, nseg++) {
		u8 buf[2048];
		int plen = (int)seg->len - hdr;

		assert_true(plen > 0 && plen <= mss);
		assert_int_equal(skb_copy_bits(seg, hdr, buf, plen), 0);
		assert_memory_equal(buf, f.ref + hdr + payload, (size_t)plen);
		iph = (struct iphdr *)skb_network_header(seg);
		th = (struct tcphdr *)skb_transport_header(seg);
		assert_int_equal(ntohl(th->seq), 1000u + (unsigned int)payload);
		assert_int_equal(ntohs(iph->tot_len), seg->len - 14);
		assert_int_equal(ip_fast_csum(iph, 5), 0);
		assert_int_equal(csum_tcpudp_magic(iph->saddr, iph->daddr,
						   (unsigned short)(seg->len - 34), IPPROTO_TCP,
						   skb_checksum(seg, 34, (int)seg->len - 34, 0)), 0);
		assert_int_equal(th->psh, seg->next ? 0 : 1);
		payload += plen;
	}
	assert_int_equal(payload, f.len - hdr);
	assert_int_equal(nseg, (f.len - hdr + mss - 1) / mss);
	kfree_skb_list(segs);
	kfree_skb(f.skb);
	for (i = 0; i < 3; i++)
		assert_int_equal(page_count(f.pages[i]), 1);
	fskb_release(&f);
	assert_int_equal(ul_pages_in_use(), base);
}

/* ---- TCP over a veth pair: tcp_sendmsg into page frags, sendfile by reference ---- */

struct zc {
	int port;
	size_t total;
	int use_sendfile;
	int ready;
	size_t received;
	int bad_bytes;
	int eof;
	/* Seen by the sender after its first write, before the peer read anything. */
	unsigned int frags_seen, linear_only;
	int wmem_queued, queued_bytes;
	int task_frag_used, sk_frag_used;	/* which send page tcp_sendmsg filled */
};

static int zc_server(void *arg)
{
	struct zc *z = arg;
	unsigned char *buf;
	int lfd, fd;

	fd = bulk_accept_one("10.9.0.2", z->port, 0, &z->ready, &lfd, NULL, &buf);
	if (fd < 0)
		return -fd;
	/* Let the sender fill its queue first. */
	ul_sleep(50 * MS);
	return bulk_recv_close(fd, lfd, buf, &z->received, &z->bad_bytes, &z->eof);
}

static void zc_look_at_queue(struct zc *z, int fd)
{
	struct sock *sk = sk_of(fd);
	struct sk_buff *skb;
	unsigned int n = 0;

	lock_sock(sk);
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (++n > 100000)
			break;
		if (skb_shinfo(skb)->nr_frags)
			z->frags_seen++;
		else if (skb->len)
			z->linear_only++;
		z->queued_bytes += (int)skb->len;
	}
	z->wmem_queued = sk->sk_wmem_queued;
	z->task_frag_used = current->task_frag.page != NULL;
	z->sk_frag_used = sk->sk_rare && sk->sk_rare->frag.page != NULL;
	release_sock(sk);
}

static int zc_client(void *arg)
{
	struct zc *z = arg;
	unsigned char *buf = malloc(z->total);
	size_t sent = 0;
	int fd, mfd = -1, guard = 0;
	off_t off = 0;

	if (!buf)
		return 19;
	bulk_fill(buf, 0, z->total);
	if (z->use_sendfile) {
		mfd = ul_memfd_create("zc", 0);
		if (mfd < 0 || ul_write(mfd, buf, z->total) != (ssize_t)z->total) {
			free(buf);
			return 18;
		}
	}
	fd = bulk_connect("10.9.0.2", z->port, &z->ready, 0);
	if (fd < 0) {
		free(buf);
		if (mfd >= 0)
			ul_close(mfd);
		return 20;
	}
	while (sent < z->total && ++guard < 100000) {
		size_t n = min_t(size_t, z->total - sent, 100000);
		ssize_t w = z->use_sendfile ? ul_sendfile(fd, mfd, &off, n) :
					      ul_send(fd, buf + sent, n, 0);

		if (w <= 0) {
			free(buf);
			return 21;
		}
		if (!sent)
			zc_look_at_queue(z, fd);
		sent += (size_t)w;
	}
	free(buf);
	ul_close(fd);
	if (mfd >= 0)
		ul_close(mfd);
	return 0;
}

static void zc_run(struct zc *z, struct ul_copy_stats *d)
{
	struct ul_copy_stats c0, c1;

	ul_copy_stats_get(&c0);
	bulk_run_tasks("a", "b", zc_server, zc_client, z);
	ul_copy_stats_get(&c1);
	bulk_assert_intact(z->total, z->received, z->bad_bytes, z->eof);
	d->copy_from_user = c1.copy_from_user - c0.copy_from_user;
	d->kernel_copy = c1.kernel_copy - c0.kernel_copy;
	d->zerocopy = c1.zerocopy - c0.zerocopy;
}

/* write(): the payload sits in page frags, truesize close to the payload. sendfile: every
 * byte by reference, none copied by the CPU. */
static void test_tcp_sg_route(void **state)
{
	struct zc w = { .port = 7001, .total = 3 * 1024 * 1024 + 123 };
	struct zc s = { .port = 7002, .total = 3 * 1024 * 1024 + 4567, .use_sendfile = 1 };
	struct ul_copy_stats d;

	(void)state;
	bulk_veth_up("10.9.0", NULL);
	zc_run(&w, &d);
	assert_true(w.frags_seen > 0);
	assert_int_equal(w.linear_only, 0);
	/* A GFP_KERNEL socket copies into its task's page (3.10 task_frag), not its own. */
	assert_int_equal(w.task_frag_used, 1);
	assert_int_equal(w.sk_frag_used, 0);
	/* Overhead per skb is the small head and the sk_buff: well under 1/8 of the data. */
	assert_true(w.wmem_queued > w.queued_bytes);
	assert_true(w.wmem_queued - w.queued_bytes < w.queued_bytes / 8);
	assert_int_equal(d.copy_from_user, w.total);
	assert_int_equal(d.kernel_copy, 0);
	assert_int_equal(d.zerocopy, 0);

	zc_run(&s, &d);
	assert_true(s.frags_seen > 0);
	assert_int_equal(d.copy_from_user, s.total);	/* writing the memory file */
	assert_int_equal(d.kernel_copy, 0);
	assert_int_equal(d.zerocopy, s.total);
	bulk_veth_down(3 * SEC);
}

/* The same on the posix runtime: tasks are threads, softirqs run in ksoftirqd threads, so
 * pages are referenced and put on several threads at once. */
static void test_tcp_sg_route_posix(void **state)
{
	struct zc w = { .port = 7011, .total = 1024 * 1024 + 3 };
	struct zc s = { .port = 7012, .total = 1024 * 1024 + 5, .use_sendfile = 1 };
	struct ul_copy_stats d;

	(void)state;
	bulk_veth_up("10.9.0", NULL);
	zc_run(&w, &d);
	assert_true(w.frags_seen > 0);
	assert_int_equal(d.kernel_copy, 0);
	zc_run(&s, &d);
	assert_int_equal(d.kernel_copy, 0);
	assert_int_equal(d.zerocopy, s.total);
	/* posix: ul_run_for sleeps; the close handshakes finish in well under a second. */
	ul_run_for(300 * MS);
	assert_int_equal(run_cmd("b", "ip link del veth1"), 0);
	assert_int_equal(ul_netns_del("a"), 0);
	assert_int_equal(ul_netns_del("b"), 0);
}

/* Without scatter-gather (ethtool -K veth0 sg off; TSO and GSO off too, as 3.10's
 * netdev_fix_features would drop them without SG): linear skbs of one MSS, and sendfile
 * copies once (sock_no_sendpage). */
static void test_tcp_no_sg_route(void **state)
{
	struct zc w = { .port = 7003, .total = 1024 * 1024 + 7 };
	struct zc s = { .port = 7004, .total = 1024 * 1024 + 9, .use_sendfile = 1 };
	struct ul_copy_stats d;

	(void)state;
	bulk_veth_up("10.9.0", NULL);
	assert_int_equal(run_cmd("a", "ethtool -K veth0 sg off tso off gso off"), 0);
	zc_run(&w, &d);
	assert_int_equal(w.frags_seen, 0);
	assert_true(w.linear_only > 0);
	assert_int_equal(d.kernel_copy, 0);
	zc_run(&s, &d);
	assert_int_equal(s.frags_seen, 0);
	assert_int_equal(d.kernel_copy, s.total);
	assert_int_equal(d.zerocopy, 0);
	bulk_veth_down(3 * SEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_page_alloc, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_copy_store_checksum, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_clone_copy_refcounts, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_pull_tail_every_size, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_trim_every_length, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_split_every_boundary, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_trim_head_every_length, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_frags_and_fraglist, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_fill_and_coalesce, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_gso_shares_pages, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_tcp_sg_route, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_tcp_no_sg_route, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_tcp_sg_route_posix, ul_test_setup_posix,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
