/* SPDX-License-Identifier: MIT */
/* `conntrack`: the connection tracking table listed (-L), counted (-C), flushed (-F) and its
 * statistics shown (-S) as conntrack-tools 1.4 prints them.
 * Mirrors no kernel file: conntrack-tools' conntrack.c over nf_conntrack_core.c (3.10's
 * ctnetlink dump: tuples, status, timeout, use; ct_print of /proc/net/nf_conntrack).
 * The first use loads connection tracking (as the conntrack tool's netlink request makes
 * the kernel load nf_conntrack_ipv4).
 * Context: process. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "linux/in.h"
#include "net/netfilter/nf_conntrack.h"
#include "iproute2/iproute2.h"

#define CT_VERSION "conntrack v1.4.4 (conntrack-tools)"

struct ct_dump {
	struct ul_buf *out;
	const char *proto;	/* -p filter, or NULL */
	unsigned int n;
};

static void print_tuple(struct ul_buf *out, const struct nf_conntrack_tuple *t)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	ul_bprintf(out, "src=%s dst=%s ", fmt_addr(t->src.ip, a), fmt_addr(t->dst.ip, b));
	switch (t->dst.protonum) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		ul_bprintf(out, "sport=%u dport=%u ", ntohs(t->src.u.all), ntohs(t->dst.u.all));
		break;
	case IPPROTO_ICMP:
		ul_bprintf(out, "type=%u code=%u id=%u ", t->dst.u.icmp.type, t->dst.u.icmp.code,
			   ntohs(t->src.u.icmp.id));
		break;
	}
}

static void ct_print_one(struct nf_conn *ct, void *arg)
{
	struct ct_dump *d = arg;
	const struct nf_conntrack_l4proto *l4 = __nf_ct_l4proto_find(nf_ct_protonum(ct));
	char state[32] = "";

	if (d->proto && strcmp(d->proto, l4->name))
		return;
	if (l4->print_conntrack)
		l4->print_conntrack(state, sizeof(state), ct);
	ul_bprintf(d->out, "%-8s %u %ld %s", l4->name, nf_ct_protonum(ct),
		   nf_ct_expires_secs(ct), state);
	print_tuple(d->out, &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple);
	if (!(ct->status & IPS_SEEN_REPLY))
		ul_bputs(d->out, "[UNREPLIED] ");
	print_tuple(d->out, &ct->tuplehash[IP_CT_DIR_REPLY].tuple);
	if (ct->status & IPS_ASSURED)
		ul_bputs(d->out, "[ASSURED] ");
	ul_bprintf(d->out, "mark=%u use=%d\n", ct->mark, atomic_read(&ct->ct_general.use));
	d->n++;
}

int do_conntrack(struct net *net, int argc, char **argv, struct ul_buf *out)
{
	struct ct_dump d = { .out = out };
	char cmd = 0;
	int i, err;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-L") || !strcmp(a, "--dump"))
			cmd = 'L';
		else if (!strcmp(a, "-C") || !strcmp(a, "--count"))
			cmd = 'C';
		else if (!strcmp(a, "-F") || !strcmp(a, "--flush"))
			cmd = 'F';
		else if (!strcmp(a, "-S") || !strcmp(a, "--stats"))
			cmd = 'S';
		else if ((!strcmp(a, "-p") || !strcmp(a, "--proto")) && i + 1 < argc)
			d.proto = argv[++i];
		else {
			ul_bprintf(out, "%s: Bad parameter `%s'\nTry `conntrack -h' or 'conntrack --help' for more information.\n",
				   CT_VERSION, a);
			return -EINVAL;
		}
	}
	if (!cmd) {
		ul_bprintf(out, "%s: no command specified\nTry `conntrack -h' or 'conntrack --help' for more information.\n",
			   CT_VERSION);
		return -EINVAL;
	}
	err = nf_conntrack_init();
	if (err)
		return err;
	switch (cmd) {
	case 'L':
		nf_ct_iterate(net, ct_print_one, &d);
		/* (the real tool prints this summary on stderr) */
		ul_bprintf(out, "%s: %u flow entries have been shown.\n", CT_VERSION, d.n);
		return 0;
	case 'C':
		ul_bprintf(out, "%d\n", atomic_read(&nf_ct_pernet(net)->count));
		return 0;
	case 'S': {
		/* DIVERGES: one set of counters per namespace, not one per CPU, so one line
		 * "cpu=0"; only the counters ulnet keeps (3.10's ip_conntrack_stat order,
		 * without delete_list, the expectation counters and search_restart). */
		const struct ip_conntrack_stat *st = &nf_ct_pernet(net)->stat;

		ul_bprintf(out, "cpu=%-4u\tsearched=%u found=%u new=%u invalid=%u ignore=%u "
			   "delete=%u insert=%u insert_failed=%u drop=%u early_drop=%u "
			   "error=%u \n", 0u, st->searched, st->found, st->new, st->invalid,
			   st->ignore, st->delete, st->insert, st->insert_failed, st->drop,
			   st->early_drop, st->error);
		return 0;
	}
	default:
		nf_conntrack_flush(net);
		ul_bprintf(out, "%s: connection tracking table has been emptied.\n", CT_VERSION);
		return 0;
	}
}
