/* SPDX-License-Identifier: MIT */
/* The public calls of the networking core: namespaces by name (ip netns add/del), sysctl(8)
 * and /proc reads in a named namespace (and the /sys/class/net files of rps.c).
 * Mirrors no kernel file: this is the ul_ API (include/ulnet/ulnet.h) over
 * net_namespace.c, kernel/sysctl.c and fs/proc. Names: NULL or "" is the initial namespace;
 * an unknown name is -ENOENT. Context: the thread that drives the stack, or a task. */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/seq_file.h"
#include "linux/sysctl.h"
#include "net/core/dev.h"
#include "net/net_namespace.h"
#include "ulnet/ulnet.h"

UL_API int ul_netns_add(const char *name)
{
	struct net *net;

	if (!ul_stack_exists())
		return -ENODEV;
	if (!ul_netns_name_valid(name))
		return -EINVAL;
	net = ul_netns_create(name);
	return IS_ERR(net) ? (int)PTR_ERR(net) : 0;
}

UL_API int ul_netns_del(const char *name)
{
	struct net *net;

	if (!ul_stack_exists())
		return -ENODEV;
	if (!name || !name[0])
		return -EBUSY;		/* the initial namespace cannot go */
	if (!ul_netns_name_valid(name))
		return -EINVAL;
	net = ul_net_by_name(name);
	if (!net)
		return -ENOENT;
	return ul_netns_destroy(net);
}

/* The namespace named @netns of a running stack: 0, -ENODEV (no stack) or -ENOENT. */
static int ul_api_net(const char *netns, struct net **netp)
{
	if (!ul_stack_exists())
		return -ENODEV;
	*netp = ul_net_by_name(netns);
	return *netp ? 0 : -ENOENT;
}

UL_API int ul_sysctl_get(const char *netns, const char *name, char *buf, size_t len)
{
	struct net *net = NULL;
	int err = ul_api_net(netns, &net);

	return err ? err : ul_sysctl_read(net, name, buf, len);
}

UL_API int ul_sysctl_set(const char *netns, const char *name, const char *value)
{
	struct net *net = NULL;
	int err = ul_api_net(netns, &net);

	return err ? err : ul_sysctl_write(net, name, value);
}

UL_API char *ul_proc_read(const char *netns, const char *path, int *err)
{
	struct net *net = NULL;
	int dummy;

	if (!err)
		err = &dummy;
	*err = ul_api_net(netns, &net);
	if (*err)
		return NULL;
	if (net_sysfs_path(path))
		return net_sysfs_read(net, path, err);	/* /sys/class/net/DEV/queues/... */
	return ul_proc_read_alloc(net, path, err);
}

UL_API int ul_proc_write(const char *netns, const char *path, const char *value)
{
	struct net *net = NULL;
	int err = ul_api_net(netns, &net);

	if (!err && net_sysfs_path(path))
		return net_sysfs_write(net, path, value);
	return err ? err : ul_proc_write_str(net, path, value);
}
