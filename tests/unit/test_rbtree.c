/* SPDX-License-Identifier: MIT */
/* Red-black tree tests: random inserts and erases checked against the red-black invariants
 * and a reference set. Mirrors linux/lib/rbtree_test.c's checks (black height, no red-red). */
#include <stdlib.h>
#include "harness.h"
#include "linux/rbtree.h"

#define NKEYS	4096
#define NOPS	100000

struct item {
	struct rb_node node;
	u32 key;
	bool in_tree;
};

static struct item items[NKEYS];
static u64 test_rng = 88172645463325252ULL;

static u32 rnd(void)
{
	test_rng ^= test_rng << 13;
	test_rng ^= test_rng >> 7;
	test_rng ^= test_rng << 17;
	return (u32)test_rng;
}

static bool is_red(const struct rb_node *n)
{
	return n && !(n->__rb_parent_color & 1);
}

static void insert(struct rb_root *root, struct item *it)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		struct item *cur = rb_entry(*link, struct item, node);

		parent = *link;
		link = it->key < cur->key ? &(*link)->rb_left : &(*link)->rb_right;
	}
	rb_link_node(&it->node, parent, link);
	rb_insert_color(&it->node, root);
	it->in_tree = true;
}

/* Returns the black height of @n's subtree; checks parent links, order, no red-red. */
static int check_subtree(const struct rb_node *n, const struct rb_node *parent, u32 lo, u32 hi,
			 unsigned long *count)
{
	const struct item *it;
	int lh, rh;

	if (!n)
		return 1;
	it = rb_entry(n, struct item, node);
	assert_ptr_equal(rb_parent(n), parent);
	assert_true(it->key >= lo && it->key <= hi);
	if (is_red(n)) {
		assert_false(is_red(n->rb_left));
		assert_false(is_red(n->rb_right));
	}
	(*count)++;
	lh = check_subtree(n->rb_left, n, lo, it->key, count);
	rh = check_subtree(n->rb_right, n, it->key, hi, count);
	assert_int_equal(lh, rh);
	return lh + !is_red(n);
}

static void check_tree(const struct rb_root *root, unsigned long expect)
{
	unsigned long count = 0, walked = 0;
	const struct rb_node *n;
	u32 prev = 0;
	int k;

	if (root->rb_node)
		assert_false(is_red(root->rb_node));
	check_subtree(root->rb_node, NULL, 0, UINT32_MAX, &count);
	assert_int_equal(count, expect);

	/* In-order walk (rb_first/rb_next) visits exactly the keys of the reference set. */
	k = 0;
	for (n = rb_first(root); n; n = rb_next(n)) {
		const struct item *it = rb_entry(n, struct item, node);

		assert_true(walked == 0 || it->key >= prev);
		prev = it->key;
		while (k < NKEYS && !items[k].in_tree)
			k++;
		assert_true(k < NKEYS);
		assert_ptr_equal(it, &items[k]);
		k++;
		walked++;
		assert_true(walked <= expect);
	}
	assert_int_equal(walked, expect);

	/* Backwards (rb_last/rb_prev) too. */
	walked = 0;
	for (n = rb_last(root); n; n = rb_prev(n)) {
		walked++;
		assert_true(walked <= expect);
	}
	assert_int_equal(walked, expect);
}

static void test_random_ops(void **state)
{
	struct rb_root root = RB_ROOT;
	unsigned long in_tree = 0;
	int i, op;

	for (i = 0; i < NKEYS; i++) {
		items[i].key = (u32)i * 3;	/* sorted by index: the walk compares by index */
		items[i].in_tree = false;
		RB_CLEAR_NODE(&items[i].node);
	}
	for (op = 0; op < NOPS; op++) {
		struct item *it = &items[rnd() % NKEYS];

		if (it->in_tree) {
			rb_erase(&it->node, &root);
			RB_CLEAR_NODE(&it->node);
			it->in_tree = false;
			in_tree--;
		} else {
			insert(&root, it);
			in_tree++;
		}
		/* The full check is O(n): every 997 operations, and near the start where the
		 * small-tree cases are. */
		if (op < 2000 || op % 997 == 0)
			check_tree(&root, in_tree);
	}
	check_tree(&root, in_tree);
	assert_true(in_tree > NKEYS / 4);

	/* Empty the tree from the front. */
	for (i = 0; i < NKEYS + 1 && !RB_EMPTY_ROOT(&root); i++) {
		struct item *it = rb_entry(rb_first(&root), struct item, node);

		rb_erase(&it->node, &root);
		it->in_tree = false;
	}
	assert_true(RB_EMPTY_ROOT(&root));
	assert_null(rb_first(&root));
	assert_null(rb_last(&root));
}

static void test_sequential_and_replace(void **state)
{
	struct rb_root root = RB_ROOT;
	struct item repl;
	int i;

	for (i = 0; i < NKEYS; i++) {
		items[i].key = (u32)i;
		items[i].in_tree = false;
	}
	/* Ascending inserts are the worst case for an unbalanced tree. */
	for (i = 0; i < NKEYS; i++)
		insert(&root, &items[i]);
	check_tree(&root, NKEYS);
	assert_ptr_equal(rb_first(&root), &items[0].node);
	assert_ptr_equal(rb_last(&root), &items[NKEYS - 1].node);
	assert_ptr_equal(rb_next(&items[10].node), &items[11].node);
	assert_ptr_equal(rb_prev(&items[10].node), &items[9].node);
	assert_null(rb_prev(&items[0].node));
	assert_null(rb_next(&items[NKEYS - 1].node));

	/* Replace the root and an inner node by same-keyed nodes: the tree is unchanged. */
	repl.key = rb_entry(root.rb_node, struct item, node)->key;
	repl.in_tree = true;
	{
		struct item *old = rb_entry(root.rb_node, struct item, node);

		rb_replace_node(&old->node, &repl.node, &root);
		assert_ptr_equal(root.rb_node, &repl.node);
		/* check_tree compares against items[]: put the item back the same way. */
		rb_replace_node(&repl.node, &old->node, &root);
		assert_ptr_equal(root.rb_node, &old->node);
	}
	repl.key = 100;
	rb_replace_node(&items[100].node, &repl.node, &root);
	assert_ptr_equal(rb_next(&items[99].node), &repl.node);
	assert_ptr_equal(rb_next(&repl.node), &items[101].node);
	rb_replace_node(&repl.node, &items[100].node, &root);
	check_tree(&root, NKEYS);

	/* Descending erase of every other key. */
	for (i = NKEYS - 1; i >= 0; i -= 2) {
		rb_erase(&items[i].node, &root);
		items[i].in_tree = false;
	}
	check_tree(&root, NKEYS / 2);
	RB_CLEAR_NODE(&items[1].node);
	assert_true(RB_EMPTY_NODE(&items[1].node));
	assert_null(rb_next(&items[1].node));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_ops),
		cmocka_unit_test(test_sequential_and_replace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
