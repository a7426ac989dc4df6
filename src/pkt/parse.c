/* SPDX-License-Identifier: MIT */
/* Recursive-descent parser of the packet-script (.pkt) language into the AST of pkt.h.
 * Mirrors no kernel file: written from packetdrill's syntax.md grammar and its scripts (its
 * bison parser is not used). The language ignores line ends (a sendmsg may span lines); an
 * event is a time then an action, and the action's own grammar says where it ends.
 * Errors stop at the first problem with "line:col: expected X, found Y". */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pkt/lexer.h"
#include "pkt/pkt.h"

/* Every AST allocation of a script is an arena node, so that an error (a longjmp out of any
 * depth) and pkt_script_free release everything at once. */
struct arena_node {
	struct arena_node *next;
	max_align_t data[];
};

struct parser {
	struct pkt_lexer lx;
	struct pkt_script *s;
	struct pkt_error *err;
	jmp_buf jb;
	int depth;		/* expression nesting, bounded against hostile input */
	int ev_cap;
};

#define PKT_MAX_DEPTH 64

static __attribute__((noreturn, format(printf, 4, 5)))
void fail_at(struct parser *P, int line, int col, const char *fmt, ...)
{
	va_list ap;

	P->err->line = line;
	P->err->col = col;
	va_start(ap, fmt);
	vsnprintf(P->err->msg, sizeof(P->err->msg), fmt, ap);
	va_end(ap);
	longjmp(P->jb, 1);
}

static void *amalloc(struct parser *P, size_t size)
{
	struct arena_node *n = calloc(1, sizeof(*n) + size);

	if (!n)
		fail_at(P, P->lx.line, P->lx.col, "out of memory");
	n->next = P->s->arena;
	P->s->arena = n;
	return n->data;
}

static char *astrndup(struct parser *P, const char *s, size_t len)
{
	char *d = amalloc(P, len + 1);

	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

static void describe(const struct pkt_token *t, char *out, size_t outlen)
{
	switch (t->type) {
	case PKT_T_EOF:
		snprintf(out, outlen, "end of file");
		return;
	case PKT_T_BACKQUOTE:
		snprintf(out, outlen, "a `command`");
		return;
	case PKT_T_CODE:
		snprintf(out, outlen, "a %%{ code }%% block");
		return;
	case PKT_T_STRING:
		snprintf(out, outlen, "\"%.*s\"", (int)(t->len > 24 ? 24 : t->len), t->start);
		return;
	default:
		snprintf(out, outlen, "'%.*s'", (int)(t->len > 24 ? 24 : t->len), t->start);
	}
}

static __attribute__((noreturn))
void fail_expected(struct parser *P, const struct pkt_token *t, const char *what)
{
	char found[64];

	describe(t, found, sizeof(found));
	fail_at(P, t->line, t->col, "expected %s, found %s", what, found);
}

static void lex_fail(struct parser *P, const struct pkt_token *t)
{
	if (t->start && t->len && !isprint((unsigned char)t->start[0]))
		fail_at(P, t->line, t->col, "unexpected character 0x%02x",
			(unsigned char)t->start[0]);
	fail_at(P, t->line, t->col, "%s%.*s", t->len == 1 ? "unexpected character " : "",
		(int)t->len, t->start);
}

static struct pkt_token peek(struct parser *P)
{
	struct pkt_token t;

	if (pkt_lex_peek(&P->lx, &t))
		lex_fail(P, &t);
	return t;
}

static struct pkt_token next(struct parser *P)
{
	struct pkt_token t;

	if (pkt_lex_next(&P->lx, &t))
		lex_fail(P, &t);
	return t;
}

static bool is_punct(const struct pkt_token *t, char c)
{
	return t->type == PKT_T_PUNCT && t->punct == c;
}

static bool is_word(const struct pkt_token *t, const char *w)
{
	return t->type == PKT_T_WORD && t->len == strlen(w) && !memcmp(t->start, w, t->len);
}

static void expect_punct(struct parser *P, char c, const char *what)
{
	struct pkt_token t = next(P);

	if (!is_punct(&t, c))
		fail_expected(P, &t, what);
}

static void expect_word(struct parser *P, const char *w)
{
	struct pkt_token t = next(P);
	char what[48];

	if (!is_word(&t, w)) {
		snprintf(what, sizeof(what), "'%s'", w);
		fail_expected(P, &t, what);
	}
}

/* An unsigned integer (decimal or hex) that fits in @max. */
static uint64_t parse_uint(struct parser *P, uint64_t max, const char *what)
{
	struct pkt_token t = next(P);
	char buf[32];
	char *end;
	unsigned long long v;

	if ((t.type != PKT_T_INT && t.type != PKT_T_HEX) || t.len >= sizeof(buf))
		fail_expected(P, &t, what);
	memcpy(buf, t.start, t.len);
	buf[t.len] = '\0';
	errno = 0;
	v = strtoull(buf, &end, 0);
	if (errno || *end || v > max)
		fail_at(P, t.line, t.col, "%s out of range: %s (max %" PRIu64 ")", what, buf, max);
	return v;
}

bool pkt_parse_seconds(const char *s, int64_t *usecs)
{
	int64_t whole = 0, frac = 0;
	int digits = 0, n = 0;
	const char *p = s;

	if (!*p)
		return false;
	while (isdigit((unsigned char)*p)) {
		if (++n > 9)		/* more than ~31 years of script: refuse */
			return false;
		whole = whole * 10 + (*p++ - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p) && n == 0)
			return false;
		while (isdigit((unsigned char)*p)) {
			/* Digits beyond microseconds are truncated, as a usec clock would. */
			if (digits < 6) {
				frac = frac * 10 + (*p - '0');
				digits++;
			}
			p++;
		}
	} else if (n == 0) {
		return false;
	}
	if (*p)
		return false;
	while (digits < 6) {
		frac *= 10;
		digits++;
	}
	*usecs = whole * 1000000 + frac;
	return true;
}

static int64_t parse_time_value(struct parser *P)
{
	struct pkt_token t = next(P);
	char buf[32];
	int64_t us;

	if ((t.type != PKT_T_INT && t.type != PKT_T_FLOAT) || t.len >= sizeof(buf))
		fail_expected(P, &t, "a time in seconds (0.100)");
	memcpy(buf, t.start, t.len);
	buf[t.len] = '\0';
	if (!pkt_parse_seconds(buf, &us))
		fail_at(P, t.line, t.col, "bad time '%s'", buf);
	return us;
}

/* event_time: '+' time | time | '*' | time '~' time | '+' time '~' '+' time */
static void parse_event_time(struct parser *P, struct pkt_time *tm)
{
	struct pkt_token t = peek(P);

	memset(tm, 0, sizeof(*tm));
	if (is_punct(&t, '*')) {
		next(P);
		tm->kind = PKT_TIME_ANY;
		return;
	}
	if (is_punct(&t, '+')) {
		next(P);
		tm->kind = PKT_TIME_REL;
	} else if (t.type == PKT_T_INT || t.type == PKT_T_FLOAT) {
		tm->kind = PKT_TIME_ABS;
	} else {
		fail_expected(P, &t, "an event time (0.100, +0.1 or *)");
	}
	tm->usecs = parse_time_value(P);
	t = peek(P);
	if (is_punct(&t, '~')) {
		next(P);
		tm->range = true;
		t = peek(P);
		if (is_punct(&t, '+')) {
			next(P);
			tm->end_kind = PKT_TIME_REL;
		} else {
			tm->end_kind = PKT_TIME_ABS;
		}
		if (tm->kind == PKT_TIME_REL && tm->end_kind != PKT_TIME_REL)
			fail_at(P, t.line, t.col, "a relative time range needs '+' on both ends");
		tm->end_usecs = parse_time_value(P);
		if (tm->end_kind == tm->kind && tm->end_usecs < tm->usecs)
			fail_at(P, t.line, t.col, "time range ends before it starts");
	}
}

/* ---- Expressions ---- */

static struct pkt_expr *new_expr(struct parser *P, enum pkt_expr_kind kind,
				 const struct pkt_token *t)
{
	struct pkt_expr *e = amalloc(P, sizeof(*e));

	e->kind = kind;
	e->line = t->line;
	e->col = t->col;
	return e;
}

static struct pkt_expr *parse_expr(struct parser *P);

/* expression_list up to @close; the elements land in @e->elems. */
static void parse_list(struct parser *P, struct pkt_expr *e, char close, const char *what)
{
	struct pkt_expr **v = NULL;
	int n = 0, cap = 0;
	struct pkt_token t = peek(P);

	if (is_punct(&t, close)) {
		next(P);
		return;
	}
	for (;;) {
		if (n == cap) {
			struct pkt_expr **nv;

			cap = cap ? cap * 2 : 4;
			nv = amalloc(P, cap * sizeof(*nv));
			if (n)
				memcpy(nv, v, n * sizeof(*nv));
			v = nv;
		}
		v[n++] = parse_expr(P);
		t = next(P);
		if (is_punct(&t, close))
			break;
		if (!is_punct(&t, ','))
			fail_expected(P, &t, what);
	}
	e->elems = v;
	e->nelems = n;
}

static struct pkt_expr *parse_primary(struct parser *P)
{
	struct pkt_token t = next(P), u;
	struct pkt_expr *e;
	char buf[32];
	char *end;

	switch (t.type) {
	case PKT_T_ELLIPSIS:
		return new_expr(P, PKT_EXPR_ELLIPSIS, &t);
	case PKT_T_INT:
	case PKT_T_HEX:
		e = new_expr(P, PKT_EXPR_INT, &t);
		if (t.len >= sizeof(buf))
			fail_at(P, t.line, t.col, "number too long");
		memcpy(buf, t.start, t.len);
		buf[t.len] = '\0';
		errno = 0;
		e->num = (int64_t)strtoull(buf, &end, 0);
		if (errno || *end)
			fail_at(P, t.line, t.col, "number out of range: %s", buf);
		e->hex = t.type == PKT_T_HEX;
		return e;
	case PKT_T_STRING:
		e = new_expr(P, PKT_EXPR_STRING, &t);
		e->str = astrndup(P, t.start, t.len);
		u = peek(P);
		if (u.type == PKT_T_ELLIPSIS) {
			next(P);
			e->str_ellipsis = true;
		}
		return e;
	case PKT_T_WORD:
		u = peek(P);
		if (is_punct(&u, '(')) {
			next(P);
			e = new_expr(P, PKT_EXPR_CALL, &t);
			e->str = astrndup(P, t.start, t.len);
			parse_list(P, e, ')', "',' or ')' in the argument list");
			return e;
		}
		e = new_expr(P, PKT_EXPR_WORD, &t);
		e->str = astrndup(P, t.start, t.len);
		return e;
	case PKT_T_PUNCT:
		if (t.punct == '-') {
			u = peek(P);
			if (u.type == PKT_T_INT || u.type == PKT_T_HEX) {
				e = parse_primary(P);
				e->num = -e->num;
				e->line = t.line;
				e->col = t.col;
				return e;
			}
			fail_expected(P, &u, "a number after '-'");
		}
		if (t.punct == '[') {
			e = new_expr(P, PKT_EXPR_ARRAY, &t);
			parse_list(P, e, ']', "',' or ']' in the array");
			return e;
		}
		if (t.punct == '{') {
			e = new_expr(P, PKT_EXPR_STRUCT, &t);
			parse_list(P, e, '}', "',' or '}' in the struct");
			return e;
		}
		/* fall through */
	default:
		fail_expected(P, &t, "an expression (number, name, \"string\", [array], {struct} "
				     "or ...)");
	}
}

/* expression: primary ('|' primary)* ; WORD-or-call '=' expression */
static struct pkt_expr *parse_expr(struct parser *P)
{
	struct pkt_expr *e, *o;
	struct pkt_token t;

	if (++P->depth > PKT_MAX_DEPTH)
		fail_at(P, P->lx.line, P->lx.col, "expression nested too deeply");
	e = parse_primary(P);
	t = peek(P);
	while (is_punct(&t, '|')) {
		next(P);
		o = new_expr(P, PKT_EXPR_OR, &t);
		o->lhs = e;
		o->rhs = parse_primary(P);
		e = o;
		t = peek(P);
	}
	if (is_punct(&t, '=') && (e->kind == PKT_EXPR_WORD || e->kind == PKT_EXPR_CALL)) {
		next(P);
		o = new_expr(P, PKT_EXPR_ASSIGN, &t);
		o->lhs = e;
		o->rhs = parse_expr(P);
		e = o;
	}
	P->depth--;
	return e;
}

/* ---- System calls ---- */

static struct pkt_syscall *parse_syscall(struct parser *P)
{
	struct pkt_syscall *sc = amalloc(P, sizeof(*sc));
	struct pkt_expr args = { 0 };
	struct pkt_token t = peek(P);
	const char *raw;
	size_t rawlen;

	if (t.type == PKT_T_ELLIPSIS) {
		next(P);
		sc->has_end = true;
		t = peek(P);
		sc->end.kind = PKT_TIME_ABS;
		if (is_punct(&t, '+')) {
			next(P);
			sc->end.kind = PKT_TIME_REL;
		}
		sc->end.usecs = parse_time_value(P);
	}
	t = next(P);
	if (t.type != PKT_T_WORD)
		fail_expected(P, &t, "a system call name");
	sc->name = astrndup(P, t.start, t.len);
	expect_punct(P, '(', "'(' after the system call name");
	parse_list(P, &args, ')', "',' or ')' in the system call arguments");
	sc->args = args.elems;
	sc->nargs = args.nelems;
	expect_punct(P, '=', "'=' and the expected result");
	P->depth = 0;
	sc->result = parse_primary(P);
	t = peek(P);
	while (is_punct(&t, '|')) {	/* = POLLIN|POLLOUT */
		struct pkt_expr *o = new_expr(P, PKT_EXPR_OR, &t);

		next(P);
		o->lhs = sc->result;
		o->rhs = parse_primary(P);
		sc->result = o;
		t = peek(P);
	}
	if (t.type == PKT_T_WORD) {
		next(P);
		sc->errno_name = astrndup(P, t.start, t.len);
		t = peek(P);
	}
	if (is_punct(&t, '(')) {
		next(P);
		if (pkt_lex_raw_until(&P->lx, ')', &raw, &rawlen))
			fail_at(P, t.line, t.col, "unterminated note: expected ')' on the same line");
		sc->note = astrndup(P, raw, rawlen);
	}
	return sc;
}

/* ---- Packets ---- */

static void parse_ip_info(struct parser *P, struct pkt_packet *p, char close)
{
	struct pkt_token t;

	for (;;) {
		t = next(P);
		if (is_word(&t, "no_ecn"))
			p->ecn = 0;
		else if (is_word(&t, "ect1"))
			p->ecn = 1;
		else if (is_word(&t, "ect0"))
			p->ecn = 2;
		else if (is_word(&t, "ce"))
			p->ecn = 3;
		else if (is_word(&t, "ect01"))
			p->ecn = 4;	/* either ECT codepoint */
		else if (is_word(&t, "tos"))
			p->tos = (int)parse_uint(P, 0xff, "a TOS byte (tos 0x..)");
		else if (is_word(&t, "ttl"))
			p->ttl = (int)parse_uint(P, 255, "a TTL");
		else if (is_word(&t, "flowlabel"))
			(void)parse_uint(P, 0xfffff, "a flow label");
		else
			fail_expected(P, &t, "IP info (no_ecn, ect0, ect1, ect01, ce, tos 0x.., "
					     "ttl N, flowlabel 0x..)");
		t = next(P);
		if (is_punct(&t, close))
			return;
		if (!is_punct(&t, ','))
			fail_expected(P, &t, close == ')' ? "',' or ')'" : "',' or ']'");
	}
}

/* seq: INTEGER ':' INTEGER '(' INTEGER ')' */
static void parse_seq(struct parser *P, uint32_t *start, uint32_t *end, uint32_t *len)
{
	*start = (uint32_t)parse_uint(P, UINT32_MAX, "a sequence range (1:1001(1000))");
	expect_punct(P, ':', "':' in the sequence range start:end(length)");
	*end = (uint32_t)parse_uint(P, UINT32_MAX, "the end of the sequence range");
	expect_punct(P, '(', "'(' and the payload length");
	*len = (uint32_t)parse_uint(P, UINT32_MAX, "the payload length");
	expect_punct(P, ')', "')' after the payload length");
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

static void parse_blob(struct parser *P, struct pkt_tcpopt *o)
{
	struct pkt_token t = peek(P);
	size_t i, off = 0;

	if (t.type != PKT_T_WORD && t.type != PKT_T_INT && t.type != PKT_T_HEX)
		return;	/* optional (FO with no cookie) */
	next(P);
	if (t.type == PKT_T_HEX)
		off = 2;
	if ((t.len - off) % 2 || (t.len - off) / 2 > PKT_MAX_COOKIE)
		fail_at(P, t.line, t.col, "bad hex blob '%.*s' (even number of hex digits, at "
			"most %d bytes)", (int)t.len, t.start, PKT_MAX_COOKIE);
	for (i = off; i < t.len; i++)
		if (!isxdigit((unsigned char)t.start[i]))
			fail_at(P, t.line, t.col, "bad hex blob '%.*s'", (int)t.len, t.start);
	for (i = off; i < t.len; i += 2)
		o->cookie[o->cookie_len++] = (uint8_t)(hexval(t.start[i]) << 4 |
						       hexval(t.start[i + 1]));
}

static void parse_tcp_option(struct parser *P, struct pkt_packet *p)
{
	struct pkt_token t = next(P), u;
	struct pkt_tcpopt *o;

	if (p->nopts >= PKT_MAX_TCPOPTS)
		fail_at(P, t.line, t.col, "too many TCP options");
	o = &p->opts[p->nopts++];
	if (is_word(&t, "nop")) {
		o->kind = PKT_OPT_NOP;
	} else if (is_word(&t, "eol")) {
		o->kind = PKT_OPT_EOL;
	} else if (is_word(&t, "mss")) {
		o->kind = PKT_OPT_MSS;
		o->val = (uint32_t)parse_uint(P, 0xffff, "an MSS value");
	} else if (is_word(&t, "wscale")) {
		o->kind = PKT_OPT_WSCALE;
		o->val = (uint32_t)parse_uint(P, 0xff, "a window scale shift");
	} else if (is_word(&t, "sackOK")) {
		o->kind = PKT_OPT_SACKOK;
	} else if (is_word(&t, "sack")) {
		o->kind = PKT_OPT_SACK;
		do {
			if (o->nblocks >= PKT_MAX_SACK_BLOCKS)
				fail_at(P, t.line, t.col, "more than %d SACK blocks",
					PKT_MAX_SACK_BLOCKS);
			o->sack[o->nblocks][0] = (uint32_t)parse_uint(P, UINT32_MAX,
								     "a SACK block start");
			expect_punct(P, ':', "':' in the SACK block left:right");
			o->sack[o->nblocks][1] = (uint32_t)parse_uint(P, UINT32_MAX,
								     "a SACK block end");
			o->nblocks++;
			u = peek(P);
		} while (u.type == PKT_T_INT);
	} else if (is_word(&t, "TS")) {
		o->kind = PKT_OPT_TS;
		expect_word(P, "val");
		o->val = (uint32_t)parse_uint(P, UINT32_MAX, "a TS value");
		expect_word(P, "ecr");
		o->ecr = (uint32_t)parse_uint(P, UINT32_MAX, "a TS echo reply");
	} else if (is_word(&t, "md5")) {
		o->kind = PKT_OPT_MD5;
		parse_blob(P, o);
	} else if (is_word(&t, "FO")) {
		o->kind = PKT_OPT_FASTOPEN;
		parse_blob(P, o);
	} else if (is_word(&t, "FOEXP")) {
		o->kind = PKT_OPT_FASTOPEN_EXP;
		parse_blob(P, o);
	} else {
		fail_expected(P, &t, "a TCP option (nop, eol, mss N, wscale N, sackOK, sack L:R, "
				     "TS val N ecr N, md5, FO, FOEXP)");
	}
}

static void parse_tcp_options(struct parser *P, struct pkt_packet *p)
{
	struct pkt_token t = peek(P);

	if (t.type == PKT_T_ELLIPSIS) {
		next(P);
		p->opts_kind = PKT_OPTS_ANY;
		expect_punct(P, '>', "'>' after '<...'");
		return;
	}
	p->opts_kind = PKT_OPTS_LIST;
	for (;;) {
		parse_tcp_option(P, p);
		t = next(P);
		if (is_punct(&t, '>'))
			return;
		if (!is_punct(&t, ','))
			fail_expected(P, &t, "',' or '>' in the TCP options");
	}
}

static void parse_tcp_flags(struct parser *P, struct pkt_packet *p)
{
	struct pkt_token t = next(P), u;
	size_t i;

	if (is_punct(&t, '-'))
		return;			/* no flags at all */
	if (is_punct(&t, '.')) {
		p->flags = PKT_TH_ACK;
		return;
	}
	if (t.type != PKT_T_WORD)
		fail_expected(P, &t, "TCP flags (S F R P U E W, '.' for ACK, '-' for none), "
				     "udp or icmp");
	for (i = 0; i < t.len; i++) {
		uint8_t bit;

		switch (t.start[i]) {
		case 'F': bit = PKT_TH_FIN; break;
		case 'S': bit = PKT_TH_SYN; break;
		case 'R': bit = PKT_TH_RST; break;
		case 'P': bit = PKT_TH_PSH; break;
		case 'U': bit = PKT_TH_URG; break;
		case 'E': bit = PKT_TH_ECE; break;
		case 'W': bit = PKT_TH_CWR; break;
		default:
			fail_at(P, t.line, t.col + (int)i, "expected TCP flags (S F R P U E W, '.' "
				"for ACK, '-' for none), udp or icmp, found '%.*s'",
				(int)t.len, t.start);
		}
		p->flags |= bit;
	}
	u = peek(P);
	if (is_punct(&u, '.')) {
		next(P);
		p->flags |= PKT_TH_ACK;
	}
}

static void parse_icmp(struct parser *P, struct pkt_packet *p)
{
	struct pkt_token t = next(P);
	char name[32];

	if (t.type != PKT_T_WORD || t.len >= sizeof(name))
		fail_expected(P, &t, "an ICMP type (unreachable, echo_request, type_N ...)");
	memcpy(name, t.start, t.len);
	name[t.len] = '\0';
	p->icmp_type = pkt_icmp_type_from_name(name);
	if (p->icmp_type < 0)
		fail_at(P, t.line, t.col, "unknown ICMP type '%s'", name);
	snprintf(p->icmp_type_name, sizeof(p->icmp_type_name), "%s", name);
	p->icmp_code = -1;
	t = peek(P);
	if (t.type == PKT_T_WORD && !is_word(&t, "mtu") && !is_word(&t, "id")) {
		next(P);
		if (t.len >= sizeof(name))
			fail_at(P, t.line, t.col, "ICMP code name too long");
		memcpy(name, t.start, t.len);
		name[t.len] = '\0';
		p->icmp_code = pkt_icmp_code_from_name(p->icmp_type, name);
		if (p->icmp_code < 0)
			fail_at(P, t.line, t.col, "unknown ICMP code '%s' for type %s", name,
				p->icmp_type_name);
		snprintf(p->icmp_code_name, sizeof(p->icmp_code_name), "%s", name);
		t = peek(P);
	}
	if (is_word(&t, "mtu")) {
		next(P);
		p->has_mtu = true;
		p->mtu = (uint32_t)parse_uint(P, 0xffff, "an MTU");
		t = peek(P);
	}
	if (is_word(&t, "id")) {
		next(P);
		p->has_echo_id = true;
		p->echo_id = (uint32_t)parse_uint(P, 0xffff, "an echo id");
		t = peek(P);
	}
	if (is_punct(&t, '[') && p->echoed == PKT_ECHOED_NONE) {
		next(P);
		t = peek(P);
		if (is_word(&t, "udp") || is_word(&t, "raw")) {
			next(P);
			p->echoed = is_word(&t, "udp") ? PKT_ECHOED_UDP : PKT_ECHOED_RAW;
			expect_punct(P, '(', "'(' and the quoted length");
			p->echoed_len = (uint32_t)parse_uint(P, 0xffff, "a length");
			expect_punct(P, ')', "')'");
		} else {
			p->echoed = PKT_ECHOED_TCP_SEQ;
			parse_seq(P, &p->echoed_start, &p->echoed_end, &p->echoed_len);
		}
		expect_punct(P, ']', "']' after the quoted packet");
	}
}

static struct pkt_packet *parse_packet(struct parser *P)
{
	struct pkt_packet *p = amalloc(P, sizeof(*p));
	struct pkt_token t = next(P), u;
	struct pkt_lexer save;

	p->dir = t.punct;
	p->tos = p->ecn = p->ttl = -1;
	t = peek(P);
	if (is_punct(&t, '[')) {
		/* `< [1:1461(1460)] icmp ...`: the older ICMP syntax of pmtu_discovery/, the
		 * quoted TCP range written before `icmp`; otherwise IP info in brackets. */
		save = P->lx;
		next(P);
		u = next(P);
		if (u.type == PKT_T_INT && (t = peek(P), is_punct(&t, ':'))) {
			P->lx = save;
			next(P);
			p->echoed = PKT_ECHOED_TCP_SEQ;
			p->old_icmp_syntax = true;
			parse_seq(P, &p->echoed_start, &p->echoed_end, &p->echoed_len);
			expect_punct(P, ']', "']' after the quoted TCP range");
		} else {
			P->lx = save;
			next(P);
			parse_ip_info(P, p, ']');
		}
	} else if (is_punct(&t, '(')) {
		next(P);
		parse_ip_info(P, p, ')');
	}
	t = peek(P);
	if (is_word(&t, "udp")) {
		next(P);
		p->proto = PKT_UDP;
		t = peek(P);
		if (t.type == PKT_T_INT) {
			p->has_ports = true;
			p->sport = (uint16_t)parse_uint(P, 0xffff, "a source port");
			expect_punct(P, '>', "'>' between the ports");
			p->dport = (uint16_t)parse_uint(P, 0xffff, "a destination port");
		}
		expect_punct(P, '(', "'(' and the UDP payload length");
		p->udp_len = (uint32_t)parse_uint(P, 0xffff, "a UDP payload length");
		expect_punct(P, ')', "')' after the UDP payload length");
		return p;
	}
	if (is_word(&t, "icmp")) {
		next(P);
		p->proto = PKT_ICMP;
		parse_icmp(P, p);
		return p;
	}
	if (p->old_icmp_syntax)
		fail_expected(P, &t, "'icmp' after the quoted TCP range");
	p->proto = PKT_TCP;
	if (t.type == PKT_T_INT) {
		p->has_ports = true;
		p->sport = (uint16_t)parse_uint(P, 0xffff, "a source port");
		expect_punct(P, '>', "'>' between the ports");
		p->dport = (uint16_t)parse_uint(P, 0xffff, "a destination port");
	}
	parse_tcp_flags(P, p);
	parse_seq(P, &p->seq_start, &p->seq_end, &p->seq_len);
	for (;;) {
		t = peek(P);
		if (is_word(&t, "ack") && !p->has_ack) {
			next(P);
			p->has_ack = true;
			p->ack = (uint32_t)parse_uint(P, UINT32_MAX, "an ACK number");
		} else if (is_word(&t, "win") && !p->has_win) {
			next(P);
			p->has_win = true;
			p->win = (uint32_t)parse_uint(P, 0xffff, "a window");
		} else if (is_word(&t, "urg") && !p->has_urg) {
			next(P);
			p->has_urg = true;
			p->urg = (uint32_t)parse_uint(P, 0xffff, "an urgent pointer");
		} else if (is_punct(&t, '<') && p->opts_kind == PKT_OPTS_NONE) {
			next(P);
			parse_tcp_options(P, p);
		} else {
			break;
		}
	}
	return p;
}

/* ---- Script ---- */

static struct pkt_event *new_event(struct parser *P, const struct pkt_token *t)
{
	struct pkt_script *s = P->s;
	struct pkt_event *ev;

	if (s->nevents == P->ev_cap) {
		int cap = P->ev_cap ? P->ev_cap * 2 : 32;
		struct pkt_event *nv = amalloc(P, cap * sizeof(*nv));

		if (s->nevents)
			memcpy(nv, s->events, s->nevents * sizeof(*nv));
		s->events = nv;
		P->ev_cap = cap;
	}
	ev = &s->events[s->nevents++];
	memset(ev, 0, sizeof(*ev));
	ev->line = t->line;
	ev->col = t->col;
	return ev;
}

static void parse_options(struct parser *P)
{
	struct pkt_token t;
	int cap = 0;

	for (;;) {
		struct pkt_option *o;
		const char *raw;
		size_t len;

		t = peek(P);
		if (t.type != PKT_T_OPTION)
			return;
		next(P);
		if (P->s->nopts == cap) {
			struct pkt_option *nv;

			cap = cap ? cap * 2 : 8;
			nv = amalloc(P, cap * sizeof(*nv));
			if (P->s->nopts)
				memcpy(nv, P->s->opts, P->s->nopts * sizeof(*nv));
			P->s->opts = nv;
		}
		o = &P->s->opts[P->s->nopts++];
		o->name = astrndup(P, t.start, t.len);
		o->line = t.line;
		if (pkt_lex_at_char(&P->lx, '=')) {
			pkt_lex_skip_char(&P->lx);
			if (pkt_lex_option_value(&P->lx, &raw, &len))
				fail_at(P, P->lx.line, P->lx.col, "expected a value after --%s=",
					o->name);
			o->value = astrndup(P, raw, len);
		}
	}
}

static void parse_event(struct parser *P)
{
	struct pkt_token t = peek(P);
	struct pkt_event *ev = new_event(P, &t);

	if (t.type == PKT_T_BACKQUOTE) {
		/* An init or cleanup command: no time. */
		next(P);
		ev->kind = PKT_EV_COMMAND;
		ev->time.kind = PKT_TIME_NONE;
		ev->text = astrndup(P, t.start, t.len);
		return;
	}
	parse_event_time(P, &ev->time);
	t = peek(P);
	if (is_punct(&t, '<') || is_punct(&t, '>')) {
		ev->kind = PKT_EV_PACKET;
		ev->pkt = parse_packet(P);
	} else if (t.type == PKT_T_BACKQUOTE) {
		next(P);
		ev->kind = PKT_EV_COMMAND;
		ev->text = astrndup(P, t.start, t.len);
	} else if (t.type == PKT_T_CODE) {
		next(P);
		ev->kind = PKT_EV_CODE;
		ev->text = astrndup(P, t.start, t.len);
	} else if (t.type == PKT_T_WORD || t.type == PKT_T_ELLIPSIS) {
		ev->kind = PKT_EV_SYSCALL;
		ev->sc = parse_syscall(P);
	} else {
		fail_expected(P, &t, "a packet ('<' or '>'), a system call, a `command` or "
				     "%{ code }%");
	}
}

/* The setjmp frame: every error longjmps back here. Kept apart from pkt_parse so that no
 * local of the caller lives across the longjmp (-Wclobbered). */
static int parse_script(struct parser *P)
{
	struct pkt_token t;

	if (setjmp(P->jb))
		return -1;
	parse_options(P);
	for (;;) {
		t = peek(P);
		if (t.type == PKT_T_EOF)
			return 0;
		parse_event(P);
	}
}

struct pkt_script *pkt_parse(const char *path, const char *text, size_t len,
			     struct pkt_error *err)
{
	struct parser *P = calloc(1, sizeof(*P));
	struct pkt_script *s = calloc(1, sizeof(*s));

	memset(err, 0, sizeof(*err));
	if (!P || !s || !(s->path = strdup(path ? path : "-"))) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		free(P);
		if (s)
			free(s->path);
		free(s);
		return NULL;
	}
	pkt_lex_init(&P->lx, text, len);
	P->s = s;
	P->err = err;
	if (parse_script(P)) {
		free(P);
		pkt_script_free(s);
		return NULL;
	}
	free(P);
	return s;
}

struct pkt_script *pkt_parse_file(const char *path, struct pkt_error *err)
{
	FILE *f = fopen(path, "rb");
	struct pkt_script *s;
	char *buf;
	long n;

	memset(err, 0, sizeof(*err));
	if (!f) {
		snprintf(err->msg, sizeof(err->msg), "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    n > (16 << 20)) {
		snprintf(err->msg, sizeof(err->msg), "cannot read (or larger than 16 MiB)");
		fclose(f);
		return NULL;
	}
	buf = malloc(n + 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n) {
		snprintf(err->msg, sizeof(err->msg), "cannot read: %s", strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	s = pkt_parse(path, buf, n, err);
	free(buf);
	return s;
}

void pkt_script_free(struct pkt_script *s)
{
	struct arena_node *n, *nx;

	if (!s)
		return;
	for (n = s->arena; n; n = nx) {
		nx = n->next;
		free(n);
	}
	free(s->path);
	free(s);
}

const char *pkt_script_option(const struct pkt_script *s, const char *name)
{
	int i;

	for (i = s->nopts - 1; i >= 0; i--)
		if (!strcmp(s->opts[i].name, name))
			return s->opts[i].value ? s->opts[i].value : "";
	return NULL;
}
