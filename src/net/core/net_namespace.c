/* SPDX-License-Identifier: MIT */
/* Network namespaces: creation, per-namespace setup of every subsystem and device, teardown.
 * Mirrors linux/net/core/net_namespace.c (3.10): init_net, net_namespace_list, setup_net,
 * cleanup_net, ops_init/ops_exit, register_pernet_subsys/device, net_ns_init; plus ulnet's
 * named namespaces (what `ip netns add NAME` creates): ul_netns_create, ul_net_by_name.
 *
 * pernet_list holds the subsystem ops, then (from first_device on) the device ops. A new
 * namespace runs every init in list order; a dying one runs the exits in reverse, so devices
 * go before the protocols they use (3.10's register_pernet_subsys/device contract).
 *
 * Locking: net_mutex around namespace creation/destruction and (un)registration of ops.
 * Context: process (tasks or the thread that drives the stack). */
#include "net/net_namespace.h"
#include <stdint.h>
#include "arch/arch.h"
#include "linux/errno.h"
#include "linux/hardirq.h"
#include "linux/kernel.h"
#include "linux/percpu.h"
#include "linux/slab.h"
#include "linux/spinlock.h"

/* From @pos's predecessor back to the head (list.h has no _continue_reverse). */
#define list_for_each_entry_continue_reverse_(pos, head, member)               \
	for (pos = list_entry((pos)->member.prev, __typeof__(*(pos)), member); \
	     &(pos)->member != (head);                                        \
	     pos = list_entry((pos)->member.prev, __typeof__(*(pos)), member))

static DEFINE_MUTEX(net_mutex);
struct list_head net_namespace_list = LIST_HEAD_INIT(net_namespace_list);
static struct list_head pernet_list = LIST_HEAD_INIT(pernet_list);
/* The first device op on pernet_list; subsystems are inserted before it. */
static struct list_head *first_device = &pernet_list;
struct net init_net;
static struct kmem_cache *net_cachep;
static unsigned int net_next_id;
static int max_gen_ptrs;	/* net_generic ids handed out */

static int ops_init(const struct pernet_operations *ops, struct net *net)
{
	void *data = NULL;
	int err;

	if (ops->id && ops->size) {
		data = kzalloc(ops->size, GFP_KERNEL);
		if (!data)
			return -ENOMEM;
		net->gen[*ops->id - 1] = data;
	}
	err = ops->init ? ops->init(net) : 0;
	if (err && data) {
		net->gen[*ops->id - 1] = NULL;
		kfree(data);
	}
	return err;
}

static void ops_exit(const struct pernet_operations *ops, struct net *net)
{
	if (ops->exit)
		ops->exit(net);
}

static void ops_free(const struct pernet_operations *ops, struct net *net)
{
	if (ops->id && ops->size) {
		kfree(net->gen[*ops->id - 1]);
		net->gen[*ops->id - 1] = NULL;
	}
}

/* Run every pernet init for @net; on failure undo the ones that ran. Holds net_mutex. */
static int setup_net(struct net *net)
{
	const struct pernet_operations *ops, *saved_ops;
	int error = 0;

	atomic_set(&net->count, 1);
	net->dev_base_seq = 1;
	list_for_each_entry(ops, &pernet_list, list) {
		error = ops_init(ops, net);
		if (error < 0)
			goto out_undo;
	}
	return 0;

out_undo:
	/* Walk through the list backwards calling the exit functions for the pernet modules
	 * whose init functions did not fail. */
	saved_ops = ops;
	list_for_each_entry_continue_reverse_(ops, &pernet_list, list)
		ops_exit(ops, net);
	ops = saved_ops;
	list_for_each_entry_continue_reverse_(ops, &pernet_list, list)
		ops_free(ops, net);
	return error;
}

static void cleanup_net(struct net *net)
{
	const struct pernet_operations *ops;

	mutex_lock(&net_mutex);
	list_del_init(&net->list);
	list_for_each_entry_reverse(ops, &pernet_list, list)
		ops_exit(ops, net);
	list_for_each_entry_reverse(ops, &pernet_list, list)
		ops_free(ops, net);
	mutex_unlock(&net_mutex);
}

/* Namespaces whose last reference went in interrupt context, waiting for
 * cleanup_net_work (3.10's cleanup_list and net_cleanup_work on netns_wq). */
static LIST_HEAD(cleanup_list);
static DEFINE_SPINLOCK(cleanup_list_lock);
static bool cleanup_queued;
static unsigned long cleanup_gen;	/* bumped per stack: a stale event finds nothing */

/* Context: the idle context of a CPU (ul_call_at), not in interrupt: 3.10's workqueue. */
static void cleanup_net_work(void *arg)
{
	struct net *net, *tmp;
	LIST_HEAD(net_kill_list);

	if ((unsigned long)(uintptr_t)arg != cleanup_gen)
		return;
	spin_lock_bh(&cleanup_list_lock);
	list_splice_init(&cleanup_list, &net_kill_list);
	cleanup_queued = false;
	spin_unlock_bh(&cleanup_list_lock);
	list_for_each_entry_safe(net, tmp, &net_kill_list, cleanup_list) {
		list_del_init(&net->cleanup_list);
		cleanup_net(net);
		kmem_cache_free(net_cachep, net);
	}
}

/* The last reference to @net is gone. init_net is static and never freed this way.
 * In interrupt context (a socket's last sock_put inside tcp_v4_rcv, a timer) the caller
 * still uses @net after this returns (ip_local_deliver_finish counts the segment in its
 * MIB), and cleanup_net must not run there: as 3.10's __put_net, queue it for process
 * context. DIVERGES: from a task, ulnet still cleans up at once (3.10 always defers), so
 * that ip netns del and a test's leak check need no extra clock. */
void __put_net(struct net *net)
{
	bool queue;

	if (net == &init_net) {
		pr_err("__put_net: init_net lost its last reference\n");
		return;
	}
	if (in_interrupt()) {
		spin_lock_bh(&cleanup_list_lock);
		list_add_tail(&net->cleanup_list, &cleanup_list);
		queue = !cleanup_queued;
		cleanup_queued = true;
		spin_unlock_bh(&cleanup_list_lock);
		if (queue && ul_call_at(0, smp_processor_id(), cleanup_net_work,
					(void *)(uintptr_t)cleanup_gen))
			pr_err("__put_net: cannot queue the cleanup of namespace %u; it goes with the stack\n",
			       net->id);
		return;
	}
	cleanup_net(net);
	kmem_cache_free(net_cachep, net);
}

bool ul_netns_name_valid(const char *name)
{
	size_t i, len;

	if (!name)
		return false;
	len = strlen(name);
	if (len == 0 || len >= UL_NETNS_NAMSIZ)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

struct net *ul_net_by_name(const char *name)
{
	struct net *net;

	if (!name || !name[0])
		return &init_net;
	for_each_net(net) {
		if (net != &init_net && !strcmp(net->name, name))
			return net;
	}
	return NULL;
}

bool ul_net_listed(const struct net *net)
{
	const struct net *n;
	bool found = false;

	mutex_lock(&net_mutex);
	list_for_each_entry(n, &net_namespace_list, list) {
		if (n == net) {
			found = true;
			break;
		}
	}
	mutex_unlock(&net_mutex);
	return found;
}

struct net *ul_netns_create(const char *name)
{
	struct net *net;
	int err;

	if (!ul_netns_name_valid(name))
		return ERR_PTR(-EINVAL);
	if (!net_cachep)
		return ERR_PTR(-ENODEV);
	if (ul_net_by_name(name))
		return ERR_PTR(-EEXIST);
	net = kmem_cache_zalloc(net_cachep, GFP_KERNEL);
	if (!net)
		return ERR_PTR(-ENOMEM);
	strcpy(net->name, name);
	INIT_LIST_HEAD(&net->list);
	INIT_LIST_HEAD(&net->cleanup_list);
	INIT_LIST_HEAD(&net->dev_base_head);

	mutex_lock(&net_mutex);
	net->id = ++net_next_id;
	err = setup_net(net);
	if (!err)
		list_add_tail(&net->list, &net_namespace_list);
	mutex_unlock(&net_mutex);
	if (err) {
		kmem_cache_free(net_cachep, net);
		return ERR_PTR(err);
	}
	return net;
}

/* The name goes at once (ip netns del); the namespace when its last user lets go. */
int ul_netns_destroy(struct net *net)
{
	if (!net)
		return -EINVAL;
	if (net == &init_net)
		return -EBUSY;
	if (!net->name[0])
		return -ENOENT;	/* already destroyed by name, waiting for its users */
	net->name[0] = '\0';
	put_net(net);
	return 0;
}

static int register_pernet_operations(struct list_head *list, struct pernet_operations *ops)
{
	struct net *net, *undo;
	int error;

	if (ops->id) {
		if (max_gen_ptrs >= MAX_NET_GENERIC) {
			pr_err("register_pernet_operations: out of net_generic ids (%d)\n",
			       MAX_NET_GENERIC);
			return -ENOSPC;
		}
		*ops->id = ++max_gen_ptrs;
	}
	list_add_tail(&ops->list, list);
	if (ops->init || (ops->id && ops->size)) {
		for_each_net(net) {
			error = ops_init(ops, net);
			if (error)
				goto out_undo;
		}
	}
	return 0;

out_undo:
	/* Undo the namespaces initialised before @net, in order. */
	list_for_each_entry(undo, &net_namespace_list, list) {
		if (undo == net)
			break;
		ops_exit(ops, undo);
		ops_free(ops, undo);
	}
	list_del(&ops->list);
	return error;
}

static void unregister_pernet_operations(struct pernet_operations *ops)
{
	struct net *net;

	list_del(&ops->list);
	for_each_net(net)
		ops_exit(ops, net);
	for_each_net(net)
		ops_free(ops, net);
}

int register_pernet_subsys(struct pernet_operations *ops)
{
	int error;

	mutex_lock(&net_mutex);
	error = register_pernet_operations(first_device, ops);
	mutex_unlock(&net_mutex);
	return error;
}

void unregister_pernet_subsys(struct pernet_operations *ops)
{
	mutex_lock(&net_mutex);
	unregister_pernet_operations(ops);
	mutex_unlock(&net_mutex);
}

int register_pernet_device(struct pernet_operations *ops)
{
	int error;

	mutex_lock(&net_mutex);
	error = register_pernet_operations(&pernet_list, ops);
	if (!error && (first_device == &pernet_list))
		first_device = &ops->list;
	mutex_unlock(&net_mutex);
	return error;
}

void unregister_pernet_device(struct pernet_operations *ops)
{
	mutex_lock(&net_mutex);
	if (&ops->list == first_device)
		first_device = first_device->next;
	unregister_pernet_operations(ops);
	mutex_unlock(&net_mutex);
}

/* init_net exists before any pernet op is registered; each registration then runs its init
 * for it (as Linux's pure_initcall net_ns_init). */
int net_ns_init(void)
{
	net_cachep = kmem_cache_create("net_namespace", sizeof(struct net), 64 /* SMP_CACHE_BYTES */,
				       SLAB_PANIC, NULL);
	if (!net_cachep)
		return -ENOMEM;
	INIT_LIST_HEAD(&net_namespace_list);
	INIT_LIST_HEAD(&pernet_list);
	first_device = &pernet_list;
	net_next_id = 0;
	max_gen_ptrs = 0;
	INIT_LIST_HEAD(&cleanup_list);
	cleanup_queued = false;
	cleanup_gen++;
	memset(&init_net, 0, sizeof(init_net));
	INIT_LIST_HEAD(&init_net.list);
	INIT_LIST_HEAD(&init_net.cleanup_list);
	INIT_LIST_HEAD(&init_net.dev_base_head);
	mutex_lock(&net_mutex);
	setup_net(&init_net);
	list_add_tail(&init_net.list, &net_namespace_list);
	mutex_unlock(&net_mutex);
	return 0;
}

/* Destroy every namespace (users or not: the stack is going away), then forget the ops in
 * reverse registration order, which runs their exits for init_net. */
void net_ns_fini(void)
{
	struct net *net, *tmp;
	struct list_head *pos;
	unsigned int guard = 0;

	/* Namespaces queued for cleanup_net_work are still on the list: they go here. */
	INIT_LIST_HEAD(&cleanup_list);
	cleanup_queued = false;
	cleanup_gen++;
	list_for_each_entry_safe(net, tmp, &net_namespace_list, list) {
		if (net == &init_net)
			continue;
		cleanup_net(net);
		kmem_cache_free(net_cachep, net);
	}
	mutex_lock(&net_mutex);
	while (!list_empty(&pernet_list)) {
		struct pernet_operations *ops;

		pos = pernet_list.prev;
		ops = list_entry(pos, struct pernet_operations, list);
		if (pos == first_device)
			first_device = first_device->next;
		unregister_pernet_operations(ops);
		BUG_ON(++guard > 10000);
	}
	first_device = &pernet_list;
	list_del_init(&init_net.list);
	mutex_unlock(&net_mutex);
	if (net_cachep)
		kmem_cache_destroy(net_cachep);
	net_cachep = NULL;
	max_gen_ptrs = 0;
	net_next_id = 0;
}
