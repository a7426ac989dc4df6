/* SPDX-License-Identifier: MIT */
/* /proc/net/dev, /proc/net/softnet_stat and /proc/net/ptype, in 3.10's exact formats
 * (facts.md §4.4, §4.8).
 * Mirrors linux/net/core/net-procfs.c (3.10): dev_seq_show, dev_seq_printf_stats,
 * softnet_seq_show, ptype_seq_show, dev_proc_init.
 * /proc/net files are per namespace: m->net is the namespace being read. */
#include "linux/netdevice.h"
#include "linux/seq_file.h"
#include "net/net_namespace.h"

static void dev_seq_printf_stats(struct seq_file *seq, struct net_device *dev)
{
	struct rtnl_link_stats64 temp;
	const struct rtnl_link_stats64 *stats = dev_get_stats(dev, &temp);

	seq_printf(seq, "%6s: %7llu %7llu %4llu %4llu %4llu %5llu %10llu %9llu "
		   "%8llu %7llu %4llu %4llu %4llu %5llu %7llu %10llu\n",
		   dev->name,
		   (unsigned long long)stats->rx_bytes, (unsigned long long)stats->rx_packets,
		   (unsigned long long)stats->rx_errors,
		   (unsigned long long)(stats->rx_dropped + stats->rx_missed_errors),
		   (unsigned long long)stats->rx_fifo_errors,
		   (unsigned long long)(stats->rx_length_errors + stats->rx_over_errors +
					stats->rx_crc_errors + stats->rx_frame_errors),
		   (unsigned long long)stats->rx_compressed, (unsigned long long)stats->multicast,
		   (unsigned long long)stats->tx_bytes, (unsigned long long)stats->tx_packets,
		   (unsigned long long)stats->tx_errors, (unsigned long long)stats->tx_dropped,
		   (unsigned long long)stats->tx_fifo_errors, (unsigned long long)stats->collisions,
		   (unsigned long long)(stats->tx_carrier_errors + stats->tx_aborted_errors +
					stats->tx_window_errors + stats->tx_heartbeat_errors),
		   (unsigned long long)stats->tx_compressed);
}

/* Devices in registration order (for_each_netdev), after the two header lines. */
static int dev_seq_show(struct seq_file *seq, void *v)
{
	struct net *net = seq->net ? seq->net : &init_net;
	struct net_device *dev;

	seq_puts(seq, "Inter-|   Receive                            "
		      "                    |  Transmit\n"
		      " face |bytes    packets errs drop fifo frame "
		      "compressed multicast|bytes    packets errs "
		      "drop fifo colls carrier compressed\n");
	if (!net->dev_name_head)
		return 0;
	for_each_netdev(net, dev)
		dev_seq_printf_stats(seq, dev);
	return 0;
}

/* One line per online CPU, ten %08x fields, no CPU column (3.10). */
static int softnet_seq_show(struct seq_file *seq, void *v)
{
	int cpu;

	for_each_online_cpu(cpu) {
		const struct softnet_data *sd = &per_cpu(softnet_data, cpu);

		seq_printf(seq, "%08x %08x %08x %08x %08x %08x %08x %08x %08x %08x\n",
			   sd->processed, sd->dropped, sd->time_squeeze, 0,
			   0, 0, 0, 0, /* was fastroute */
			   sd->cpu_collision, sd->received_rps);
	}
	return 0;
}

static void ptype_seq_one(struct seq_file *seq, struct net *net, struct packet_type *pt)
{
	if (pt->dev != NULL && dev_net(pt->dev) != net)
		return;
	if (pt->type == htons(ETH_P_ALL))
		seq_puts(seq, "ALL ");
	else
		seq_printf(seq, "%04x", ntohs(pt->type));
	/* DIVERGES: Linux prints %pF ("ip_rcv+0x0/0x3a0"); ulnet prints the name the
	 * registrant gave, or the address. */
	if (pt->ul_func_name)
		seq_printf(seq, " %-8s %s\n", pt->dev ? pt->dev->name : "", pt->ul_func_name);
	else
		seq_printf(seq, " %-8s %p\n", pt->dev ? pt->dev->name : "", (void *)pt->func);
}

static int ptype_seq_show(struct seq_file *seq, void *v)
{
	struct net *net = seq->net ? seq->net : &init_net;
	struct packet_type *pt;
	int hash;

	seq_puts(seq, "Type Device      Function\n");
	list_for_each_entry(pt, &ptype_all, list)
		ptype_seq_one(seq, net, pt);
	for (hash = 0; hash < PTYPE_HASH_SIZE; hash++)
		list_for_each_entry(pt, &ptype_base[hash], list)
			ptype_seq_one(seq, net, pt);
	return 0;
}

int dev_proc_init(void)
{
	int err;

	err = proc_create_single("net/dev", dev_seq_show, NULL);
	if (!err)
		err = proc_create_single("net/softnet_stat", softnet_seq_show, NULL);
	if (!err)
		err = proc_create_single("net/ptype", ptype_seq_show, NULL);
	if (err)
		dev_proc_fini();
	return err;
}

void dev_proc_fini(void)
{
	proc_remove_path("net/ptype");
	proc_remove_path("net/softnet_stat");
	proc_remove_path("net/dev");
}
