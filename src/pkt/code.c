/* SPDX-License-Identifier: MIT */
/* The `%{ ... }%` blocks of .pkt scripts: packetdrill hands them to Python with the socket's
 * tcp_info fields as tcpi_* variables; ulnet evaluates the small subset the corpus uses
 * itself: `assert COND[, message]`, `name = expr`, `name += expr`, `print(...)` (ignored),
 * `#` comments, `\` continuations. COND: comparisons (== != < <= > >=) of integer
 * expressions (+ - * / and parentheses) joined by `and`/`or`/`not`.
 * Mirrors no kernel file. DIVERGES: not Python; anything else is refused with -EOPNOTSUPP
 * (the runner reports it as a SKIP, never a silent pass). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "pkt/pkt.h"

struct cparser {
	const char *p;
	struct pkt_code_env *env;
	int err;		/* 0, -EOPNOTSUPP, -ENOENT, -EDOM */
	char *why;
	size_t whylen;
	int depth;
};

static const struct { const char *name; int64_t v; } code_consts[] = {
	/* enum tcp_ca_state (include/uapi/linux/tcp.h) */
	{ "TCP_CA_Open", 0 }, { "TCP_CA_Disorder", 1 }, { "TCP_CA_CWR", 2 },
	{ "TCP_CA_Recovery", 3 }, { "TCP_CA_Loss", 4 },
	{ "True", 1 }, { "False", 0 },
};

static void cskip(struct cparser *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

static void cfail(struct cparser *c, int err, const char *what)
{
	if (c->err)
		return;
	c->err = err;
	snprintf(c->why, c->whylen, "%s at '%.20s'", what, c->p);
}

static bool ckeyword(struct cparser *c, const char *kw)
{
	size_t n = strlen(kw);

	cskip(c);
	if (strncmp(c->p, kw, n) || isalnum((unsigned char)c->p[n]) || c->p[n] == '_')
		return false;
	c->p += n;
	return true;
}

static int64_t *var_slot(struct pkt_code_env *env, const char *name, bool create)
{
	int i;

	for (i = 0; i < env->nvars; i++)
		if (!strcmp(env->var_names[i], name))
			return &env->var_vals[i];
	if (!create || env->nvars >= PKT_CODE_MAX_VARS)
		return NULL;
	{
		/* Names longer than the slot are cut, as read_name already bounds them. */
		size_t l = strnlen(name, sizeof(env->var_names[0]) - 1);

		memcpy(env->var_names[env->nvars], name, l);
		env->var_names[env->nvars][l] = '\0';
	}
	env->var_vals[env->nvars] = 0;
	return &env->var_vals[env->nvars++];
}

static bool read_name(struct cparser *c, char *name, size_t len)
{
	size_t n = 0;

	cskip(c);
	if (!isalpha((unsigned char)*c->p) && *c->p != '_')
		return false;
	while (isalnum((unsigned char)*c->p) || *c->p == '_') {
		if (n + 1 < len)
			name[n++] = *c->p;
		c->p++;
	}
	name[n] = '\0';
	return true;
}

static int64_t lookup_name(struct cparser *c, const char *name)
{
	int64_t v, *slot;
	size_t i;

	for (i = 0; i < sizeof(code_consts) / sizeof(code_consts[0]); i++)
		if (!strcmp(code_consts[i].name, name))
			return code_consts[i].v;
	slot = var_slot(c->env, name, false);
	if (slot)
		return *slot;
	if (c->env->lookup && c->env->lookup(c->env->ctx, name, &v) == 0)
		return v;
	if (!c->err) {
		c->err = -ENOENT;
		snprintf(c->why, c->whylen, "unknown name '%s'", name);
	}
	return 0;
}

static int64_t c_or(struct cparser *c);

static int64_t c_factor(struct cparser *c)
{
	char name[48];
	int64_t v;
	char *end;

	if (++c->depth > 32) {
		cfail(c, -EOPNOTSUPP, "nested too deeply");
		return 0;
	}
	cskip(c);
	if (*c->p == '(') {
		c->p++;
		v = c_or(c);
		cskip(c);
		if (*c->p != ')')
			cfail(c, -EOPNOTSUPP, "expected ')'");
		else
			c->p++;
	} else if (*c->p == '-') {
		c->p++;
		v = -c_factor(c);
	} else if (isdigit((unsigned char)*c->p)) {
		errno = 0;
		v = (int64_t)strtoll(c->p, &end, 0);
		if (errno || end == c->p)
			cfail(c, -EOPNOTSUPP, "bad number");
		c->p = end;
	} else if (read_name(c, name, sizeof(name))) {
		cskip(c);
		if (*c->p == '(') {
			cfail(c, -EOPNOTSUPP, "function calls are not supported");
			return 0;
		}
		v = lookup_name(c, name);
	} else {
		cfail(c, -EOPNOTSUPP, "expected a number or a name");
		v = 0;
	}
	c->depth--;
	return v;
}

static int64_t c_term(struct cparser *c)
{
	int64_t v = c_factor(c), r;

	for (;;) {
		cskip(c);
		if (*c->p == '*') {
			c->p++;
			v *= c_factor(c);
		} else if (*c->p == '/' || *c->p == '%') {
			char op = *c->p++;

			if (op == '/' && *c->p == '/')
				c->p++;
			r = c_factor(c);
			if (!r) {
				cfail(c, -EDOM, "division by zero");
				return 0;
			}
			v = op == '%' ? v % r : v / r;
		} else {
			return v;
		}
	}
}

static int64_t c_arith(struct cparser *c)
{
	int64_t v = c_term(c);

	for (;;) {
		cskip(c);
		if (*c->p == '+' && c->p[1] != '=') {
			c->p++;
			v += c_term(c);
		} else if (*c->p == '-' && c->p[1] != '=') {
			c->p++;
			v -= c_term(c);
		} else {
			return v;
		}
	}
}

static int64_t c_cmp(struct cparser *c)
{
	int64_t a, b;

	if (ckeyword(c, "not"))
		return !c_cmp(c);
	a = c_arith(c);
	cskip(c);
	if (!strncmp(c->p, "==", 2)) {
		c->p += 2;
		b = c_arith(c);
		return a == b;
	}
	if (!strncmp(c->p, "!=", 2)) {
		c->p += 2;
		b = c_arith(c);
		return a != b;
	}
	if (!strncmp(c->p, "<=", 2)) {
		c->p += 2;
		b = c_arith(c);
		return a <= b;
	}
	if (!strncmp(c->p, ">=", 2)) {
		c->p += 2;
		b = c_arith(c);
		return a >= b;
	}
	if (*c->p == '<' || *c->p == '>') {
		char op = *c->p++;

		b = c_arith(c);
		return op == '<' ? a < b : a > b;
	}
	return a;
}

static int64_t c_and(struct cparser *c)
{
	int64_t v = c_cmp(c);

	while (ckeyword(c, "and")) {
		int64_t w = c_cmp(c);

		v = v && w;
	}
	return v;
}

static int64_t c_or(struct cparser *c)
{
	int64_t v = c_and(c);

	while (ckeyword(c, "or")) {
		int64_t w = c_and(c);

		v = v || w;
	}
	return v;
}

/* One statement (no ';' or newline inside). Returns 0, 1 (assertion failed) or -errno. */
static int eval_stmt(struct pkt_code_env *env, char *st, char *why, size_t whylen)
{
	struct cparser c = { .p = st, .env = env, .why = why, .whylen = whylen };
	char name[48];
	const char *start;
	int64_t v;

	cskip(&c);
	if (!*c.p)
		return 0;
	if (ckeyword(&c, "print"))
		return 0;	/* output only */
	if (ckeyword(&c, "assert")) {
		start = c.p;
		v = c_or(&c);
		cskip(&c);
		if (!c.err && *c.p && *c.p != ',')
			cfail(&c, -EOPNOTSUPP, "unexpected text after the condition");
		if (c.err)
			return c.err;
		if (!v) {
			int n = (int)(c.p - start);

			while (n > 0 && isspace((unsigned char)start[n - 1]))
				n--;
			snprintf(why, whylen, "assertion failed: assert%.*s", n, start);
			return 1;
		}
		return 0;
	}
	if (read_name(&c, name, sizeof(name))) {
		int64_t *slot;
		char op;

		cskip(&c);
		op = *c.p;
		if (op == '=' && c.p[1] != '=') {
			c.p++;
		} else if ((op == '+' || op == '-') && c.p[1] == '=') {
			c.p += 2;
		} else {
			cfail(&c, -EOPNOTSUPP, "not an assert or an assignment");
			return c.err;
		}
		v = c_or(&c);
		cskip(&c);
		if (!c.err && *c.p)
			cfail(&c, -EOPNOTSUPP, "unexpected text after the expression");
		if (c.err)
			return c.err;
		slot = var_slot(env, name, true);
		if (!slot) {
			snprintf(why, whylen, "too many variables");
			return -ENOSPC;
		}
		if (op == '=')
			*slot = v;
		else if (op == '+')
			*slot += v;
		else
			*slot -= v;
		return 0;
	}
	cfail(&c, -EOPNOTSUPP, "not an assert or an assignment");
	return c.err;
}

int pkt_code_eval(struct pkt_code_env *env, const char *code, char *why, size_t whylen)
{
	char *buf = strdup(code ? code : ""), *p, *st, *save = NULL;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	/* Continuations join lines; comments end at the line's end. */
	for (p = buf; *p; p++) {
		if (*p == '\\' && p[1] == '\n') {
			p[0] = ' ';
			p[1] = ' ';
		} else if (*p == '#') {
			while (*p && *p != '\n')
				*p++ = ' ';
			if (!*p)
				break;
		} else if (*p == '\'' || *p == '"') {
			/* Message strings may hold '#' or ';': blank them whole. */
			char q = *p;

			*p = ' ';
			while (p[1] && p[1] != q && p[1] != '\n')
				*++p = ' ';
			if (p[1] == q)
				*++p = ' ';
		}
	}
	for (st = strtok_r(buf, ";\n", &save); st && !ret; st = strtok_r(NULL, ";\n", &save)) {
		char *comma;
		int depth = 0;

		/* `assert cond, message`: the message is for Python's output, not ours. */
		for (comma = st; *comma; comma++) {
			if (*comma == '(')
				depth++;
			else if (*comma == ')')
				depth--;
			else if (*comma == ',' && depth == 0)
				break;
		}
		if (*comma)
			*comma = '\0';
		ret = eval_stmt(env, st, why, whylen);
	}
	free(buf);
	return ret;
}
