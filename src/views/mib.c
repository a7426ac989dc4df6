/* SPDX-License-Identifier: MIT */
/* The MIB views: netstat -s and nstat, formatted from /proc/net/snmp and /proc/net/netstat text
 * as net-tools and iproute2 do (they read the same files).
 * Mirrors no kernel file: net-tools statistics.c (netstat -s) and iproute2 misc/nstat.c in
 * behaviour; the counters come from linux/net/ipv4/proc.c (snmp_seq_show, netstat_seq_show). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "linux/seq_file.h"
#include "views/views.h"

#define MIB_LINE_MAX 4096

/* Copy one line of @p (without '\n') into @buf; returns the next line or NULL at the end. */
static const char *next_line(const char *p, char *buf, size_t len)
{
	const char *eol;
	size_t n;

	if (!p || !*p)
		return NULL;
	eol = strchr(p, '\n');
	n = eol ? (size_t)(eol - p) : strlen(p);
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return eol ? eol + 1 : p + strlen(p);
}

int ul_mib_parse(const char *text, struct ul_mib_entry *e, int n, int max)
{
	static char hdr[MIB_LINE_MAX], val[MIB_LINE_MAX];
	const char *p = text;
	int pairs = 0;

	/* Bounded: a /proc file has a few dozen line pairs. */
	while (pairs < 1000 && (p = next_line(p, hdr, sizeof(hdr)))) {
		char *hsave, *vsave, *hw, *vw, *hcolon;
		size_t plen;

		pairs++;
		hcolon = strchr(hdr, ':');
		if (!hcolon)
			continue;	/* a blank line */
		p = next_line(p, val, sizeof(val));
		if (!p || strncmp(val, hdr, (size_t)(hcolon - hdr + 1)))
			return -EINVAL;
		plen = (size_t)(hcolon - hdr);
		hw = strtok_r(hcolon + 1, " \t", &hsave);
		vw = strtok_r(val + plen + 1, " \t", &vsave);
		while (hw && vw) {
			char *end;

			if (n < max) {
				snprintf(e[n].name, sizeof(e[n].name), "%.*s%s", (int)plen, hdr, hw);
				e[n].value = strtoll(vw, &end, 10);
				if (*end)
					return -EINVAL;
				n++;
			}
			hw = strtok_r(NULL, " \t", &hsave);
			vw = strtok_r(NULL, " \t", &vsave);
		}
		if (hw || vw)
			return -EINVAL;
	}
	return n;
}

int ul_mib_read(struct net *net, struct ul_mib_entry **out)
{
	static const char *const files[] = { "/proc/net/snmp", "/proc/net/netstat" };
	const int max = 512;
	struct ul_mib_entry *e = calloc((size_t)max, sizeof(*e));
	int n = 0, err, i;

	if (!e)
		return -ENOMEM;
	for (i = 0; i < 2; i++) {
		char *text = ul_proc_read_alloc(net, files[i], &err);

		if (!text)
			continue;
		err = ul_mib_parse(text, e, n, max);
		free(text);
		if (err < 0) {
			free(e);
			return err;
		}
		n = err;
	}
	*out = e;
	return n;
}

int ul_mib_lookup(const struct ul_mib_entry *e, int n, const char *name, long long *val)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(e[i].name, name)) {
			*val = e[i].value;
			return 0;
		}
	return -ENOENT;
}

/* ---- netstat -s ---------------------------------------------------------------------- */

enum { ST_ALWAYS, ST_NONZERO, ST_HIST_IN, ST_HIST_OUT, ST_SKIP };

struct stat_sentence {
	const char *field;
	const char *fmt;	/* one %llu */
	int kind;
};

/* net-tools' wording, including its historic phrasing, so parsers written for Linux match. */
static const struct stat_sentence ip_tab[] = {
	{ "Forwarding", "Forwarding: %llu", ST_ALWAYS },
	{ "DefaultTTL", NULL, ST_SKIP },
	{ "InReceives", "%llu total packets received", ST_ALWAYS },
	{ "InHdrErrors", "%llu with invalid headers", ST_NONZERO },
	{ "InAddrErrors", "%llu with invalid addresses", ST_NONZERO },
	{ "ForwDatagrams", "%llu forwarded", ST_ALWAYS },
	{ "InUnknownProtos", "%llu with unknown protocol", ST_NONZERO },
	{ "InDiscards", "%llu incoming packets discarded", ST_ALWAYS },
	{ "InDelivers", "%llu incoming packets delivered", ST_ALWAYS },
	{ "OutRequests", "%llu requests sent out", ST_ALWAYS },
	{ "OutDiscards", "%llu outgoing packets dropped", ST_NONZERO },
	{ "OutNoRoutes", "%llu dropped because of missing route", ST_NONZERO },
	{ "ReasmTimeout", "%llu fragments dropped after timeout", ST_NONZERO },
	{ "ReasmReqds", "%llu reassemblies required", ST_NONZERO },
	{ "ReasmOKs", "%llu packets reassembled ok", ST_NONZERO },
	{ "ReasmFails", "%llu packet reassembles failed", ST_NONZERO },
	{ "FragOKs", "%llu fragments received ok", ST_NONZERO },
	{ "FragFails", "%llu fragments failed", ST_NONZERO },
	{ "FragCreates", "%llu fragments created", ST_NONZERO },
	{ NULL, NULL, 0 },
};

static const struct stat_sentence icmp_tab[] = {
	{ "InMsgs", "%llu ICMP messages received", ST_ALWAYS },
	{ "InErrors", "%llu input ICMP message failed", ST_ALWAYS },
	{ "InCsumErrors", "InCsumErrors: %llu", ST_NONZERO },
	{ "InDestUnreachs", "destination unreachable: %llu", ST_HIST_IN },
	{ "InTimeExcds", "timeout in transit: %llu", ST_HIST_IN },
	{ "InParmProbs", "wrong parameters: %llu", ST_HIST_IN },
	{ "InSrcQuenchs", "source quenches: %llu", ST_HIST_IN },
	{ "InRedirects", "redirects: %llu", ST_HIST_IN },
	{ "InEchos", "echo requests: %llu", ST_HIST_IN },
	{ "InEchoReps", "echo replies: %llu", ST_HIST_IN },
	{ "InTimestamps", "timestamp request: %llu", ST_HIST_IN },
	{ "InTimestampReps", "timestamp reply: %llu", ST_HIST_IN },
	{ "InAddrMasks", "address mask request: %llu", ST_HIST_IN },
	{ "InAddrMaskReps", "address mask replies: %llu", ST_HIST_IN },
	{ "OutMsgs", "%llu ICMP messages sent", ST_ALWAYS },
	{ "OutErrors", "%llu ICMP messages failed", ST_ALWAYS },
	{ "OutDestUnreachs", "destination unreachable: %llu", ST_HIST_OUT },
	{ "OutTimeExcds", "time exceeded: %llu", ST_HIST_OUT },
	{ "OutParmProbs", "wrong parameters: %llu", ST_HIST_OUT },
	{ "OutSrcQuenchs", "source quench: %llu", ST_HIST_OUT },
	{ "OutRedirects", "redirect: %llu", ST_HIST_OUT },
	{ "OutEchos", "echo request: %llu", ST_HIST_OUT },
	{ "OutEchoReps", "echo replies: %llu", ST_HIST_OUT },
	{ "OutTimestamps", "timestamp requests: %llu", ST_HIST_OUT },
	{ "OutTimestampReps", "timestamp replies: %llu", ST_HIST_OUT },
	{ "OutAddrMasks", "address mask requests: %llu", ST_HIST_OUT },
	{ "OutAddrMaskReps", "address mask replies: %llu", ST_HIST_OUT },
	{ NULL, NULL, 0 },
};

static const struct stat_sentence tcp_tab[] = {
	{ "RtoAlgorithm", NULL, ST_SKIP },
	{ "RtoMin", NULL, ST_SKIP },
	{ "RtoMax", NULL, ST_SKIP },
	{ "MaxConn", NULL, ST_SKIP },
	{ "ActiveOpens", "%llu active connections openings", ST_ALWAYS },
	{ "PassiveOpens", "%llu passive connection openings", ST_ALWAYS },
	{ "AttemptFails", "%llu failed connection attempts", ST_ALWAYS },
	{ "EstabResets", "%llu connection resets received", ST_ALWAYS },
	{ "CurrEstab", "%llu connections established", ST_ALWAYS },
	{ "InSegs", "%llu segments received", ST_ALWAYS },
	{ "OutSegs", "%llu segments send out", ST_ALWAYS },
	{ "RetransSegs", "%llu segments retransmited", ST_ALWAYS },
	{ "InErrs", "%llu bad segments received.", ST_ALWAYS },
	{ "OutRsts", "%llu resets sent", ST_ALWAYS },
	{ "InCsumErrors", "InCsumErrors: %llu", ST_NONZERO },
	{ NULL, NULL, 0 },
};

static const struct stat_sentence udp_tab[] = {
	{ "InDatagrams", "%llu packets received", ST_ALWAYS },
	{ "NoPorts", "%llu packets to unknown port received.", ST_ALWAYS },
	{ "InErrors", "%llu packet receive errors", ST_ALWAYS },
	{ "OutDatagrams", "%llu packets sent", ST_ALWAYS },
	{ "RcvbufErrors", "RcvbufErrors: %llu", ST_NONZERO },
	{ "SndbufErrors", "SndbufErrors: %llu", ST_NONZERO },
	{ "InCsumErrors", "InCsumErrors: %llu", ST_NONZERO },
	{ NULL, NULL, 0 },
};

/* TcpExt: printed when non-zero, as net-tools does. The book's two (ch6) come first here
 * only by table order; the output keeps /proc/net/netstat's order. */
static const struct stat_sentence tcpext_tab[] = {
	{ "SyncookiesSent", "%llu SYN cookies sent", ST_NONZERO },
	{ "SyncookiesRecv", "%llu SYN cookies received", ST_NONZERO },
	{ "SyncookiesFailed", "%llu invalid SYN cookies received", ST_NONZERO },
	{ "EmbryonicRsts", "%llu resets received for embryonic SYN_RECV sockets", ST_NONZERO },
	{ "PruneCalled", "%llu packets pruned from receive queue because of socket buffer overrun", ST_NONZERO },
	{ "RcvPruned", "%llu packets pruned from receive queue", ST_NONZERO },
	{ "OfoPruned", "%llu packets dropped from out-of-order queue because of socket buffer overrun", ST_NONZERO },
	{ "OutOfWindowIcmps", "%llu ICMP packets dropped because they were out-of-window", ST_NONZERO },
	{ "LockDroppedIcmps", "%llu ICMP packets dropped because socket was locked", ST_NONZERO },
	{ "TW", "%llu TCP sockets finished time wait in fast timer", ST_NONZERO },
	{ "TWRecycled", "%llu time wait sockets recycled by time stamp", ST_NONZERO },
	{ "TWKilled", "%llu TCP sockets finished time wait in slow timer", ST_NONZERO },
	{ "PAWSPassive", "%llu passive connections rejected because of time stamp", ST_NONZERO },
	{ "PAWSActive", "%llu active connections rejected because of time stamp", ST_NONZERO },
	{ "PAWSEstab", "%llu packets rejects in established connections because of timestamp", ST_NONZERO },
	{ "DelayedACKs", "%llu delayed acks sent", ST_NONZERO },
	{ "DelayedACKLocked", "%llu delayed acks further delayed because of locked socket", ST_NONZERO },
	{ "DelayedACKLost", "Quick ack mode was activated %llu times", ST_NONZERO },
	{ "ListenOverflows", "%llu times the listen queue of a socket overflowed", ST_NONZERO },
	{ "ListenDrops", "%llu SYNs to LISTEN sockets dropped", ST_NONZERO },
	{ "TCPPrequeued", "%llu packets directly queued to recvmsg prequeue.", ST_NONZERO },
	{ "TCPDirectCopyFromBacklog", "%llu bytes directly in process context from backlog", ST_NONZERO },
	{ "TCPDirectCopyFromPrequeue", "%llu bytes directly received in process context from prequeue", ST_NONZERO },
	{ "TCPPrequeueDropped", "%llu packets dropped from prequeue", ST_NONZERO },
	{ "TCPHPHits", "%llu packet headers predicted", ST_NONZERO },
	{ "TCPHPHitsToUser", "%llu packets header predicted and directly queued to user", ST_NONZERO },
	{ "TCPPureAcks", "%llu acknowledgments not containing data payload received", ST_NONZERO },
	{ "TCPHPAcks", "%llu predicted acknowledgments", ST_NONZERO },
	{ "TCPRenoRecovery", "%llu times recovered from packet loss due to fast retransmit", ST_NONZERO },
	{ "TCPSackRecovery", "%llu times recovered from packet loss by selective acknowledgements", ST_NONZERO },
	{ "TCPSACKReneging", "%llu bad SACK blocks received", ST_NONZERO },
	{ "TCPFACKReorder", "Detected reordering %llu times using FACK", ST_NONZERO },
	{ "TCPSACKReorder", "Detected reordering %llu times using SACK", ST_NONZERO },
	{ "TCPTSReorder", "Detected reordering %llu times using time stamp", ST_NONZERO },
	{ "TCPRenoReorder", "Detected reordering %llu times using reno fast retransmit", ST_NONZERO },
	{ "TCPFullUndo", "%llu congestion windows fully recovered without slow start", ST_NONZERO },
	{ "TCPPartialUndo", "%llu congestion windows partially recovered using Hoe heuristic", ST_NONZERO },
	{ "TCPDSACKUndo", "%llu congestion windows recovered without slow start by DSACK", ST_NONZERO },
	{ "TCPLossUndo", "%llu congestion windows recovered without slow start after partial ack", ST_NONZERO },
	{ "TCPLostRetransmit", "%llu retransmits lost", ST_NONZERO },
	{ "TCPRenoFailures", "%llu timeouts after reno fast retransmit", ST_NONZERO },
	{ "TCPSackFailures", "%llu timeouts after SACK recovery", ST_NONZERO },
	{ "TCPLossFailures", "%llu timeouts in loss state", ST_NONZERO },
	{ "TCPFastRetrans", "%llu fast retransmits", ST_NONZERO },
	{ "TCPForwardRetrans", "%llu forward retransmits", ST_NONZERO },
	{ "TCPSlowStartRetrans", "%llu retransmits in slow start", ST_NONZERO },
	{ "TCPTimeouts", "%llu other TCP timeouts", ST_NONZERO },
	{ "TCPRenoRecoveryFail", "%llu classic Reno fast retransmits failed", ST_NONZERO },
	{ "TCPSackRecoveryFail", "%llu SACK retransmits failed", ST_NONZERO },
	{ "TCPSchedulerFailed", "%llu times receiver scheduled too late for direct processing", ST_NONZERO },
	{ "TCPRcvCollapsed", "%llu packets collapsed in receive queue due to low socket buffer", ST_NONZERO },
	{ "TCPDSACKOldSent", "%llu DSACKs sent for old packets", ST_NONZERO },
	{ "TCPDSACKOfoSent", "%llu DSACKs sent for out of order packets", ST_NONZERO },
	{ "TCPDSACKRecv", "%llu DSACKs received", ST_NONZERO },
	{ "TCPDSACKOfoRecv", "%llu DSACKs for out of order packets received", ST_NONZERO },
	{ "TCPAbortOnSyn", "%llu connections reset due to unexpected SYN", ST_NONZERO },
	{ "TCPAbortOnData", "%llu connections reset due to unexpected data", ST_NONZERO },
	{ "TCPAbortOnClose", "%llu connections reset due to early user close", ST_NONZERO },
	{ "TCPAbortOnMemory", "%llu connections aborted due to memory pressure", ST_NONZERO },
	{ "TCPAbortOnTimeout", "%llu connections aborted due to timeout", ST_NONZERO },
	{ "TCPAbortOnLinger", "%llu connections aborted after user close in linger timeout", ST_NONZERO },
	{ "TCPAbortFailed", "%llu times unable to send RST due to no memory", ST_NONZERO },
	{ "TCPMemoryPressures", "TCP ran low on memory %llu times", ST_NONZERO },
	{ "TCPLoss", "%llu TCP data loss events", ST_NONZERO },
	{ NULL, NULL, 0 },
};

static const struct stat_sentence *find_sentence(const struct stat_sentence *tab,
						 const char *field)
{
	for (; tab && tab->field; tab++)
		if (!strcmp(tab->field, field))
			return tab;
	return NULL;
}

static const struct stat_sentence *section_table(const char *section)
{
	if (!strcmp(section, "Ip"))
		return ip_tab;
	if (!strcmp(section, "Icmp"))
		return icmp_tab;
	if (!strcmp(section, "Tcp"))
		return tcp_tab;
	if (!strcmp(section, "Udp") || !strcmp(section, "UdpLite"))
		return udp_tab;
	if (!strcmp(section, "TcpExt"))
		return tcpext_tab;
	return NULL;
}

/* One "Prefix: names" / "Prefix: values" pair of @text, printed as net-tools does. */
static void netstat_s_text(FILE *out, const char *text)
{
	static char hdr[MIB_LINE_MAX], val[MIB_LINE_MAX], last[64];
	const char *p = text;
	int pairs = 0;

	last[0] = '\0';
	while (pairs < 1000 && (p = next_line(p, hdr, sizeof(hdr)))) {
		const struct stat_sentence *tab;
		char *hcolon = strchr(hdr, ':'), *hs, *vs, *hw, *vw;
		bool hist_in = false, hist_out = false;

		pairs++;
		if (!hcolon)
			continue;
		p = next_line(p, val, sizeof(val));
		if (!p)
			break;
		*hcolon = '\0';
		if (strcmp(last, hdr))
			fprintf(out, "%s:\n", hdr);	/* IcmpMsg comes in several pairs */
		snprintf(last, sizeof(last), "%.63s", hdr);
		tab = section_table(hdr);
		hw = strtok_r(hcolon + 1, " \t", &hs);
		vw = strchr(val, ':') ? strtok_r(strchr(val, ':') + 1, " \t", &vs) : NULL;
		for (; hw && vw; hw = strtok_r(NULL, " \t", &hs), vw = strtok_r(NULL, " \t", &vs)) {
			const struct stat_sentence *s = find_sentence(tab, hw);
			unsigned long long v = strtoull(vw, NULL, 10);

			if (*vw == '-')
				v = 0;
			if (!s) {
				/* Counters without a sentence: "Name: value" when non-zero
				 * (net-tools prints unknown fields the same way). IcmpMsg's
				 * InTypeN/OutTypeN are listed as they are. */
				if (!strcmp(hdr, "IcmpMsg"))
					fprintf(out, "        %s: %llu\n", hw, v);
				else if (v)
					fprintf(out, "    %s: %llu\n", hw, v);
				continue;
			}
			switch (s->kind) {
			case ST_SKIP:
				break;
			case ST_NONZERO:
				if (!v)
					break;
				/* fall through */
			case ST_ALWAYS:
				fprintf(out, "    ");
				fprintf(out, s->fmt, v);
				fprintf(out, "\n");
				break;
			case ST_HIST_IN:
			case ST_HIST_OUT:
				if (!v)
					break;
				if (s->kind == ST_HIST_IN && !hist_in) {
					fprintf(out, "    ICMP input histogram:\n");
					hist_in = true;
				}
				if (s->kind == ST_HIST_OUT && !hist_out) {
					fprintf(out, "    ICMP output histogram:\n");
					hist_out = true;
				}
				fprintf(out, "        ");
				fprintf(out, s->fmt, v);
				fprintf(out, "\n");
				break;
			}
		}
	}
}

void ul_netstat_s_format(FILE *out, const char *snmp, const char *netstat)
{
	if (snmp)
		netstat_s_text(out, snmp);
	if (netstat)
		netstat_s_text(out, netstat);
}

/* ---- nstat ------------------------------------------------------------------------------ */

void ul_nstat_format(FILE *out, const struct ul_mib_entry *cur, int ncur,
		     const struct ul_mib_entry *prev, int nprev, bool absolute, bool zeros,
		     double interval_s)
{
	int i;

	fprintf(out, "#kernel\n");
	for (i = 0; i < ncur; i++) {
		long long v = cur[i].value, old;
		double rate = 0.0;

		/* nstat skips the constant Tcp parameters and Ip's two settings. */
		if (!strcmp(cur[i].name, "TcpRtoAlgorithm") || !strcmp(cur[i].name, "TcpRtoMin") ||
		    !strcmp(cur[i].name, "TcpRtoMax") || !strcmp(cur[i].name, "TcpMaxConn") ||
		    !strcmp(cur[i].name, "IpForwarding") || !strcmp(cur[i].name, "IpDefaultTTL"))
			continue;
		if (prev && !ul_mib_lookup(prev, nprev, cur[i].name, &old)) {
			if (interval_s > 0)
				rate = (double)(v - old) / interval_s;
			if (!absolute)
				v -= old;
		}
		if (!zeros && !v)
			continue;
		fprintf(out, "%-32s%-16llu%6.1f\n", cur[i].name, (unsigned long long)v, rate);
	}
}
