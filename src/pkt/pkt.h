/* SPDX-License-Identifier: MIT */
/* The packet-script (.pkt) language of packetdrill: AST, parser, packet builder, matcher and
 * runner, used by `ulnet pkt` and the unit tests.
 * Mirrors no kernel file: written from packetdrill's syntax.md and its scripts (packetdrill's
 * own code is GPL and is not used). See docs/pkt.md. */
#ifndef ULNET_PKT_H
#define ULNET_PKT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- AST ---------------------------------------------------------------------------------- */

enum pkt_time_kind {
	PKT_TIME_NONE,	/* no time: an init or cleanup shell command */
	PKT_TIME_ABS,	/* 0.100 */
	PKT_TIME_REL,	/* +0.1: relative to the previous event's time */
	PKT_TIME_ANY,	/* '*': any time */
};

struct pkt_time {
	enum pkt_time_kind kind;
	int64_t usecs;
	/* `T1~T2`: the event may happen anywhere in [T1, T2] (end_kind REL: `+a~+b`). */
	bool range;
	enum pkt_time_kind end_kind;
	int64_t end_usecs;
};

enum pkt_expr_kind {
	PKT_EXPR_ELLIPSIS,	/* ... */
	PKT_EXPR_INT,		/* 42, -1, 0x7fffffff */
	PKT_EXPR_WORD,		/* SOL_SOCKET, NULL */
	PKT_EXPR_STRING,	/* "text" (ellipsis: "text"...) */
	PKT_EXPR_OR,		/* a | b */
	PKT_EXPR_ASSIGN,	/* lhs = rhs (l_onoff=1, msg_name(...)=...) */
	PKT_EXPR_ARRAY,		/* [a, b] */
	PKT_EXPR_STRUCT,	/* {a, b} */
	PKT_EXPR_CALL,		/* htons(8080), inet_addr("1.2.3.4"), msg_iov(1) */
};

struct pkt_expr {
	enum pkt_expr_kind kind;
	int line, col;
	int64_t num;		/* INT */
	bool hex;		/* INT written in hex */
	char *str;		/* WORD, STRING, CALL name */
	bool str_ellipsis;	/* "text"... */
	struct pkt_expr *lhs, *rhs;	/* OR, ASSIGN */
	struct pkt_expr **elems;	/* ARRAY, STRUCT, CALL arguments */
	int nelems;
};

enum pkt_proto { PKT_TCP, PKT_UDP, PKT_ICMP };

/* TCP flag bits as in the header's byte 13 (FIN 0x01 ... CWR 0x80). */
#define PKT_TH_FIN 0x01
#define PKT_TH_SYN 0x02
#define PKT_TH_RST 0x04
#define PKT_TH_PSH 0x08
#define PKT_TH_ACK 0x10
#define PKT_TH_URG 0x20
#define PKT_TH_ECE 0x40
#define PKT_TH_CWR 0x80

enum pkt_tcpopt_kind {
	PKT_OPT_EOL, PKT_OPT_NOP, PKT_OPT_MSS, PKT_OPT_WSCALE, PKT_OPT_SACKOK, PKT_OPT_SACK,
	PKT_OPT_TS, PKT_OPT_MD5, PKT_OPT_FASTOPEN, PKT_OPT_FASTOPEN_EXP,
};

#define PKT_MAX_SACK_BLOCKS 4
#define PKT_MAX_TCPOPTS 40
#define PKT_MAX_COOKIE 16

struct pkt_tcpopt {
	enum pkt_tcpopt_kind kind;
	uint32_t val, ecr;			/* MSS, WSCALE (val); TS val ecr */
	int nblocks;				/* SACK */
	uint32_t sack[PKT_MAX_SACK_BLOCKS][2];	/* SACK left:right (relative) */
	int cookie_len;				/* MD5, FO: bytes */
	uint8_t cookie[PKT_MAX_COOKIE];
};

/* ICMP "echoed" part: what the ICMP error quotes. */
enum pkt_icmp_echoed { PKT_ECHOED_NONE, PKT_ECHOED_TCP_SEQ, PKT_ECHOED_UDP, PKT_ECHOED_RAW };

struct pkt_packet {
	char dir;		/* '<' inbound (injected), '>' outbound (expected from the stack) */
	enum pkt_proto proto;
	/* IP info: (ecn / tos 0x.. / ttl N) */
	int tos;		/* -1 unset; else the whole TOS byte to match/set */
	int ecn;		/* -1 unset; else the ECN bits 0..3 */
	int ttl;		/* -1 unset */
	bool has_ports;
	uint16_t sport, dport;
	/* TCP */
	uint8_t flags;
	uint32_t seq_start, seq_end, seq_len;
	bool has_ack;
	uint32_t ack;
	bool has_win;
	uint32_t win;
	bool has_urg;
	uint32_t urg;
	enum { PKT_OPTS_NONE, PKT_OPTS_LIST, PKT_OPTS_ANY } opts_kind;
	int nopts;
	struct pkt_tcpopt opts[PKT_MAX_TCPOPTS];
	/* UDP */
	uint32_t udp_len;
	/* ICMP */
	int icmp_type, icmp_code;	/* code -1: not written */
	char icmp_type_name[32], icmp_code_name[32];
	bool has_mtu;
	uint32_t mtu;
	bool has_echo_id;
	uint32_t echo_id;
	enum pkt_icmp_echoed echoed;
	uint32_t echoed_start, echoed_end, echoed_len;	/* TCP seq range, or UDP/RAW length */
	bool old_icmp_syntax;	/* `< [1:1461(1460)] icmp ...` (echoed range before `icmp`) */
};

struct pkt_syscall {
	char *name;
	struct pkt_expr **args;
	int nargs;
	struct pkt_expr *result;
	char *errno_name;	/* EAGAIN, or NULL */
	char *note;		/* text inside the trailing (...) or NULL */
	bool has_end;		/* `T1...T2 call()`: a blocking call returning at T2 */
	struct pkt_time end;
};

enum pkt_event_kind { PKT_EV_PACKET, PKT_EV_SYSCALL, PKT_EV_COMMAND, PKT_EV_CODE };

struct pkt_event {
	enum pkt_event_kind kind;
	int line, col;
	struct pkt_time time;
	struct pkt_packet *pkt;		/* PACKET */
	struct pkt_syscall *sc;		/* SYSCALL */
	char *text;			/* COMMAND (inside the backquotes), CODE (inside %{ }%) */
};

struct pkt_option {
	char *name;	/* without the leading "--" */
	char *value;	/* NULL when written without '=' */
	int line;
};

struct pkt_script {
	char *path;
	struct pkt_option *opts;
	int nopts;
	struct pkt_event *events;
	int nevents;
	void *arena;	/* every allocation of the script, freed by pkt_script_free */
};

/* A parse error: "path:line:col: error: expected X, found Y". */
struct pkt_error {
	int line, col;
	char msg[256];
};

/* Parse @len bytes of @text (a whole script) named @path. Returns a script (free with
 * pkt_script_free) or NULL with @err filled. */
struct pkt_script *pkt_parse(const char *path, const char *text, size_t len,
			     struct pkt_error *err);
/* Read and parse a file. NULL with @err filled (line 0 for I/O errors). */
struct pkt_script *pkt_parse_file(const char *path, struct pkt_error *err);
void pkt_script_free(struct pkt_script *s);
/* Value of option --@name, or NULL. */
const char *pkt_script_option(const struct pkt_script *s, const char *name);

/* Convert "0.100", "1", ".25" (seconds) to microseconds; false on a bad number. */
bool pkt_parse_seconds(const char *s, int64_t *usecs);

/* ---- Packets: build (inbound) and match (outbound) ----------------------------------------- */

/* The connection a script runs: addresses and ports (host byte order) and the ISNs through
 * which relative sequence numbers map, as packetdrill does. */
#define PKT_MAX_CONNS 16

/* One connection of the script, keyed by its remote port: the stack's ISN for it. */
struct pkt_conn {
	uint16_t remote_port;
	bool known;			/* false: learn from the stack's next SYN / SYN-ACK */
	uint32_t local_isn;
};

struct pkt_flow {
	uint32_t local_ip, remote_ip;	/* the stack under test is "local" */
	uint16_t local_port, remote_port;
	uint32_t local_isn;		/* learnt from the stack's first SYN / SYN-ACK */
	uint32_t remote_isn;		/* the script's side, chosen by the runner */
	bool local_isn_known;
	/* Per connection (remote port): the stack's ISN, as packetdrill keeps one per socket.
	 * A port without an entry uses local_isn (the latest one learnt). */
	int nconns;
	struct pkt_conn conns[PKT_MAX_CONNS];
	uint32_t ts_tick_usecs;		/* --tcp_ts_tick_usecs (0: outbound TS val unchecked) */
	uint32_t ts_slack;		/* ticks an outbound TS val may differ by (tolerance) */
	/* The stack's TS clock: its TS val = script value + offset, learnt from the first
	 * outbound TS option; inbound `ecr` values are mapped through it. */
	bool ts_offset_known;
	uint32_t local_ts_offset;
};

/* The stack's ISN for the connection with remote port @rport (host order). */
uint32_t pkt_flow_isn(const struct pkt_flow *fl, uint16_t rport);
/* A new connection starts on @rport (an inbound SYN, or a connect()): the stack's next SYN
 * or SYN-ACK to that port sets its ISN again. */
void pkt_flow_new_conn(struct pkt_flow *fl, uint16_t rport);

/* Build inbound packet @p as an IPv4 datagram (IP header + TCP/UDP/ICMP with correct
 * checksums) into @buf of @size bytes. Returns its length or -EINVAL/-ENOSPC/-EOPNOTSUPP. */
int pkt_build_ipv4(const struct pkt_packet *p, const struct pkt_flow *fl, uint8_t *buf,
		   size_t size, char *why, size_t whylen);

/* Compare the outbound IPv4 datagram @buf (@len bytes) with the script's expectation @p,
 * checking only what the script writes. On the first SYN from the stack the local ISN is
 * learnt into @fl. Returns 0 on match or -1 with @why describing the difference as
 * packetdrill does ("bad outbound TCP flags: expected: S. actual: S"). */
int pkt_match_ipv4(const struct pkt_packet *p, struct pkt_flow *fl, const uint8_t *buf,
		   size_t len, char *why, size_t whylen);

/* Append the outbound TCP segment @next (@nlen bytes) to the one in @buf (*@len bytes, @cap
 * room) when it continues it as a TSO super-segment would (see packet.c). 0 when merged
 * (*@len grows), -1 when it does not continue it. */
int pkt_tcp_coalesce(uint8_t *buf, size_t *len, size_t cap, const uint8_t *next, size_t nlen);
/* TCP payload bytes of an IPv4 datagram (0 if not TCP). */
size_t pkt_tcp_payload_len(const uint8_t *buf, size_t len);

/* Text of a packet as the script writes it ("S. 0:0(0) ack 1 <mss 1460>"). */
void pkt_packet_format(const struct pkt_packet *p, char *out, size_t outlen);
/* Text of an outbound datagram in script terms, relative to @fl. */
void pkt_ipv4_format(const uint8_t *buf, size_t len, const struct pkt_flow *fl, char *out,
		     size_t outlen);

/* Names of ICMP types/codes as scripts write them: "unreachable", "port_unreachable",
 * "type_N", "code_N". Return -1 for an unknown name. */
int pkt_icmp_type_from_name(const char *name);
int pkt_icmp_code_from_name(int type, const char *name);

/* ---- %{ }% blocks ---------------------------------------------------------------------------- */

#define PKT_CODE_MAX_VARS 32

/* Names a block may read: @lookup gives tcpi_* fields (0, or -ENOENT for an unknown name);
 * variables assigned in one block stay for the next, as in packetdrill's Python. */
struct pkt_code_env {
	int (*lookup)(void *ctx, const char *name, int64_t *v);
	void *ctx;
	int nvars;
	char var_names[PKT_CODE_MAX_VARS][32];
	int64_t var_vals[PKT_CODE_MAX_VARS];
};

/* Evaluate a block's text (see src/pkt/code.c for the subset). Returns 0 when every assert
 * holds, 1 when one fails (@why: "assertion failed: assert tcpi_snd_cwnd == 10"),
 * -EOPNOTSUPP for a form outside the subset, -ENOENT for an unknown name, -EDOM for a
 * division by zero (@why says which). */
int pkt_code_eval(struct pkt_code_env *env, const char *code, char *why, size_t whylen);

/* ---- Runner --------------------------------------------------------------------------------- */

enum pkt_verdict { PKT_PASS, PKT_FAIL, PKT_SKIP };

struct pkt_result {
	enum pkt_verdict verdict;
	char *details;		/* malloc'ed, lines under FAIL/SKIP (NULL for PASS) */
};

#define PKT_MAX_OPT_SYSCTLS 16

struct pkt_run_opts {
	const char *defaults_sh;	/* path of defaults.sh for scripts that load it, or NULL */
	bool verbose;
	/* "name=value" sysctls set on the test host before the script runs: the machine
	 * the scripts were written on (`ulnet pkt --sysctl`). */
	int nsysctls;
	const char *sysctls[PKT_MAX_OPT_SYSCTLS];
};

/* Run one script file on a fresh sim stack. */
void pkt_run_file(const char *path, const struct pkt_run_opts *o, struct pkt_result *r);
void pkt_result_free(struct pkt_result *r);

/* A shell line mapped to ulnet: `sysctl name=value...` (ul_sysctl_set in @netns),
 * `set_sysctls.py /proc/sys/...=v`, defaults.sh, `ip ...`/`tc ...` (ul_cmd), and the
 * `dd if=/dev/zero of=F`/`rm -f F` that make files for open(). Other commands, and what
 * ulnet refuses, are appended to @skipped (a line each). Returns the number of commands
 * and settings applied, or -EINVAL for a malformed command. */
int pkt_run_shell(const char *netns, const char *cmd, char *skipped, size_t skippedlen);

#endif
