/* SPDX-License-Identifier: MIT */
/* Red-black trees: rebalancing after insert and erase, and in-order walking.
 * Mirrors linux/lib/rbtree.c: rb_insert_color, rb_erase, rb_next, rb_prev, rb_first, rb_last,
 * rb_replace_node.
 *
 * As in the kernel, the node's colour lives in bit 0 of __rb_parent_color (0 red, 1 black) and
 * the caller does the search and the linking (rb_link_node, which leaves the node red).
 * The rebalancing follows the textbook (CLRS) formulation; the kernel's augmented-tree
 * callbacks are not provided (nothing in the network stack of 3.10 uses them). */
#include "linux/rbtree.h"

#define RB_RED		0UL
#define RB_BLACK	1UL

static inline unsigned long rb_color(const struct rb_node *n)
{
	return n->__rb_parent_color & 1UL;
}

/* A missing child (NULL) counts as black. */
static inline bool rb_is_red(const struct rb_node *n)
{
	return n && rb_color(n) == RB_RED;
}

static inline bool rb_is_black(const struct rb_node *n)
{
	return !rb_is_red(n);
}

static inline void rb_set_parent(struct rb_node *n, struct rb_node *p)
{
	n->__rb_parent_color = rb_color(n) | (unsigned long)p;
}

static inline void rb_set_color(struct rb_node *n, unsigned long color)
{
	n->__rb_parent_color = (n->__rb_parent_color & ~1UL) | color;
}

/* Make @parent (or the root) point at @new where it pointed at @old. */
static inline void rb_change_child(struct rb_node *old, struct rb_node *new,
				   struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/* @x's right child takes @x's place; @x becomes its left child. */
static void rb_rotate_left(struct rb_node *x, struct rb_root *root)
{
	struct rb_node *y = x->rb_right;
	struct rb_node *p = rb_parent(x);

	x->rb_right = y->rb_left;
	if (y->rb_left)
		rb_set_parent(y->rb_left, x);
	rb_set_parent(y, p);
	rb_change_child(x, y, p, root);
	y->rb_left = x;
	rb_set_parent(x, y);
}

/* Mirror image of rb_rotate_left. */
static void rb_rotate_right(struct rb_node *x, struct rb_root *root)
{
	struct rb_node *y = x->rb_left;
	struct rb_node *p = rb_parent(x);

	x->rb_left = y->rb_right;
	if (y->rb_right)
		rb_set_parent(y->rb_right, x);
	rb_set_parent(y, p);
	rb_change_child(x, y, p, root);
	y->rb_right = x;
	rb_set_parent(x, y);
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent, *gparent, *uncle;

	/* Each pass either ends or moves the red-red conflict two levels up, so the loop is
	 * bounded by the tree height. */
	for (;;) {
		parent = rb_parent(node);
		if (!parent) {
			rb_set_color(node, RB_BLACK);	/* the root is black */
			return;
		}
		if (rb_is_black(parent))
			return;
		/* A red parent is never the root, so the grandparent exists. */
		gparent = rb_parent(parent);
		if (parent == gparent->rb_left) {
			uncle = gparent->rb_right;
			if (rb_is_red(uncle)) {
				/* Recolour and continue from the grandparent. */
				rb_set_color(parent, RB_BLACK);
				rb_set_color(uncle, RB_BLACK);
				rb_set_color(gparent, RB_RED);
				node = gparent;
				continue;
			}
			if (node == parent->rb_right) {
				rb_rotate_left(parent, root);
				node = parent;
				parent = rb_parent(node);
			}
			rb_set_color(parent, RB_BLACK);
			rb_set_color(gparent, RB_RED);
			rb_rotate_right(gparent, root);
			return;
		}
		uncle = gparent->rb_left;
		if (rb_is_red(uncle)) {
			rb_set_color(parent, RB_BLACK);
			rb_set_color(uncle, RB_BLACK);
			rb_set_color(gparent, RB_RED);
			node = gparent;
			continue;
		}
		if (node == parent->rb_left) {
			rb_rotate_right(parent, root);
			node = parent;
			parent = rb_parent(node);
		}
		rb_set_color(parent, RB_BLACK);
		rb_set_color(gparent, RB_RED);
		rb_rotate_left(gparent, root);
		return;
	}
}

/* A black node was removed from under @parent on @node's side (@node may be NULL): restore
 * equal black heights. */
static void rb_erase_fixup(struct rb_node *node, struct rb_node *parent, struct rb_root *root)
{
	struct rb_node *sib;

	while (rb_is_black(node) && node != root->rb_node) {
		if (parent->rb_left == node) {
			sib = parent->rb_right;
			if (rb_is_red(sib)) {
				rb_set_color(sib, RB_BLACK);
				rb_set_color(parent, RB_RED);
				rb_rotate_left(parent, root);
				sib = parent->rb_right;
			}
			if (rb_is_black(sib->rb_left) && rb_is_black(sib->rb_right)) {
				rb_set_color(sib, RB_RED);
				node = parent;
				parent = rb_parent(node);
				continue;
			}
			if (rb_is_black(sib->rb_right)) {
				rb_set_color(sib->rb_left, RB_BLACK);
				rb_set_color(sib, RB_RED);
				rb_rotate_right(sib, root);
				sib = parent->rb_right;
			}
			rb_set_color(sib, rb_color(parent));
			rb_set_color(parent, RB_BLACK);
			rb_set_color(sib->rb_right, RB_BLACK);
			rb_rotate_left(parent, root);
			node = root->rb_node;
			break;
		}
		sib = parent->rb_left;
		if (rb_is_red(sib)) {
			rb_set_color(sib, RB_BLACK);
			rb_set_color(parent, RB_RED);
			rb_rotate_right(parent, root);
			sib = parent->rb_left;
		}
		if (rb_is_black(sib->rb_left) && rb_is_black(sib->rb_right)) {
			rb_set_color(sib, RB_RED);
			node = parent;
			parent = rb_parent(node);
			continue;
		}
		if (rb_is_black(sib->rb_left)) {
			rb_set_color(sib->rb_right, RB_BLACK);
			rb_set_color(sib, RB_RED);
			rb_rotate_left(sib, root);
			sib = parent->rb_left;
		}
		rb_set_color(sib, rb_color(parent));
		rb_set_color(parent, RB_BLACK);
		rb_set_color(sib->rb_left, RB_BLACK);
		rb_rotate_right(parent, root);
		node = root->rb_node;
		break;
	}
	if (node)
		rb_set_color(node, RB_BLACK);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *child, *parent;
	unsigned long color;

	if (!node->rb_left) {
		child = node->rb_right;
	} else if (!node->rb_right) {
		child = node->rb_left;
	} else {
		/* Two children: the in-order successor (leftmost of the right subtree) takes
		 * @node's place and colour; the fixup is needed where the successor was. */
		struct rb_node *old = node, *succ = node->rb_right;

		while (succ->rb_left)
			succ = succ->rb_left;
		child = succ->rb_right;
		parent = rb_parent(succ);
		color = rb_color(succ);

		if (parent == old) {
			/* The successor is @old's right child: it keeps its right subtree. */
			parent = succ;
		} else {
			if (child)
				rb_set_parent(child, parent);
			parent->rb_left = child;
			succ->rb_right = old->rb_right;
			rb_set_parent(old->rb_right, succ);
		}
		succ->__rb_parent_color = old->__rb_parent_color;
		succ->rb_left = old->rb_left;
		rb_set_parent(old->rb_left, succ);
		rb_change_child(old, succ, rb_parent(old), root);
		if (color == RB_BLACK)
			rb_erase_fixup(child, parent, root);
		return;
	}

	parent = rb_parent(node);
	color = rb_color(node);
	if (child)
		rb_set_parent(child, parent);
	rb_change_child(node, child, parent, root);
	if (color == RB_BLACK)
		rb_erase_fixup(child, parent, root);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_right)
		n = n->rb_right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;
	/* Down-left from the right child, if there is one. */
	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	/* Otherwise up until we come from a left child. */
	while ((parent = rb_parent(node)) && node == parent->rb_right)
		node = parent;
	return parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;
	if (node->rb_left) {
		node = node->rb_left;
		while (node->rb_right)
			node = node->rb_right;
		return (struct rb_node *)node;
	}
	while ((parent = rb_parent(node)) && node == parent->rb_left)
		node = parent;
	return parent;
}

/* @n takes @victim's place (same key, no rebalancing needed). */
void rb_replace_node(struct rb_node *victim, struct rb_node *n, struct rb_root *root)
{
	struct rb_node *parent = rb_parent(victim);

	*n = *victim;
	if (victim->rb_left)
		rb_set_parent(victim->rb_left, n);
	if (victim->rb_right)
		rb_set_parent(victim->rb_right, n);
	rb_change_child(victim, n, parent, root);
}
