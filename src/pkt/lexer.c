/* SPDX-License-Identifier: MIT */
/* Tokens of the packet-script language, produced on demand for the recursive-descent parser.
 * Mirrors no kernel file: written from packetdrill's syntax.md (its lexer is not used). */
#include <ctype.h>
#include <string.h>
#include "pkt/lexer.h"

void pkt_lex_init(struct pkt_lexer *lx, const char *text, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->text = text;
	lx->len = len;
	lx->line = 1;
	lx->col = 1;
}

static int cur(const struct pkt_lexer *lx, size_t off)
{
	return lx->pos + off < lx->len ? (unsigned char)lx->text[lx->pos + off] : -1;
}

static void advance(struct pkt_lexer *lx, size_t n)
{
	while (n-- && lx->pos < lx->len) {
		if (lx->text[lx->pos] == '\n') {
			lx->line++;
			lx->col = 1;
		} else {
			lx->col++;
		}
		lx->pos++;
	}
}

/* Whitespace and comments: `// ...` to end of line and C-style block comments. */
static int skip_space(struct pkt_lexer *lx)
{
	for (;;) {
		int c = cur(lx, 0);

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
			advance(lx, 1);
		} else if (c == '/' && cur(lx, 1) == '/') {
			while (cur(lx, 0) != -1 && cur(lx, 0) != '\n')
				advance(lx, 1);
		} else if (c == '/' && cur(lx, 1) == '*') {
			int line = lx->line, col = lx->col;

			advance(lx, 2);
			while (cur(lx, 0) != -1 && !(cur(lx, 0) == '*' && cur(lx, 1) == '/'))
				advance(lx, 1);
			if (cur(lx, 0) == -1) {
				lx->err_line = line;
				lx->err_col = col;
				return -1;
			}
			advance(lx, 2);
		} else {
			return 0;
		}
	}
}

static void set_tok(struct pkt_lexer *lx, struct pkt_token *t, enum pkt_tok type, size_t start,
		    size_t end)
{
	t->type = type;
	t->start = lx->text + start;
	t->len = end - start;
}

/* Scan the token at the current position. Returns 0, or -1 with t->type PKT_T_ERROR for an
 * unterminated string, backquote, code block or comment, or a stray character. */
int pkt_lex_next(struct pkt_lexer *lx, struct pkt_token *t)
{
	size_t start;
	int c;

	memset(t, 0, sizeof(*t));
	if (skip_space(lx)) {
		t->type = PKT_T_ERROR;
		t->line = lx->err_line;
		t->col = lx->err_col;
		t->start = "unterminated comment";
		t->len = strlen(t->start);
		return -1;
	}
	t->line = lx->line;
	t->col = lx->col;
	start = lx->pos;
	c = cur(lx, 0);
	if (c == -1) {
		set_tok(lx, t, PKT_T_EOF, start, start);
		return 0;
	}
	if (c == '.' && cur(lx, 1) == '.' && cur(lx, 2) == '.') {
		advance(lx, 3);
		set_tok(lx, t, PKT_T_ELLIPSIS, start, lx->pos);
		return 0;
	}
	/* Numbers: 12, 0x1f, 0.100, .1 (a '.' is part of a number only before a digit, so
	 * "P." is a flag word and a dot, and "0...0.2" is 0, ..., 0.2). */
	if (isdigit(c) || (c == '.' && cur(lx, 1) != -1 && isdigit(cur(lx, 1)))) {
		bool is_float = false;

		if (c == '0' && (cur(lx, 1) == 'x' || cur(lx, 1) == 'X') &&
		    cur(lx, 2) != -1 && isxdigit(cur(lx, 2))) {
			advance(lx, 2);
			while (cur(lx, 0) != -1 && isxdigit(cur(lx, 0)))
				advance(lx, 1);
			set_tok(lx, t, PKT_T_HEX, start, lx->pos);
			return 0;
		}
		while (cur(lx, 0) != -1 && isdigit(cur(lx, 0)))
			advance(lx, 1);
		if (cur(lx, 0) == '.' && cur(lx, 1) != -1 && isdigit(cur(lx, 1))) {
			is_float = true;
			advance(lx, 1);
			while (cur(lx, 0) != -1 && isdigit(cur(lx, 0)))
				advance(lx, 1);
		}
		/* A hex blob like "1234abcd" (TCP FO cookie) reads as a word. */
		if (cur(lx, 0) != -1 && (isalpha(cur(lx, 0)) || cur(lx, 0) == '_') && !is_float) {
			while (cur(lx, 0) != -1 && (isalnum(cur(lx, 0)) || cur(lx, 0) == '_'))
				advance(lx, 1);
			set_tok(lx, t, PKT_T_WORD, start, lx->pos);
			return 0;
		}
		set_tok(lx, t, is_float ? PKT_T_FLOAT : PKT_T_INT, start, lx->pos);
		return 0;
	}
	if (isalpha(c) || c == '_') {
		while (cur(lx, 0) != -1 && (isalnum(cur(lx, 0)) || cur(lx, 0) == '_'))
			advance(lx, 1);
		set_tok(lx, t, PKT_T_WORD, start, lx->pos);
		return 0;
	}
	if (c == '-' && cur(lx, 1) == '-' && cur(lx, 2) != -1 &&
	    (isalpha(cur(lx, 2)) || cur(lx, 2) == '_')) {
		advance(lx, 2);
		while (cur(lx, 0) != -1 && (isalnum(cur(lx, 0)) || cur(lx, 0) == '_' ||
					    cur(lx, 0) == '-'))
			advance(lx, 1);
		set_tok(lx, t, PKT_T_OPTION, start + 2, lx->pos);
		return 0;
	}
	if (c == '"') {
		advance(lx, 1);
		while (cur(lx, 0) != -1 && cur(lx, 0) != '"' && cur(lx, 0) != '\n') {
			if (cur(lx, 0) == '\\' && cur(lx, 1) != -1)
				advance(lx, 1);
			advance(lx, 1);
		}
		if (cur(lx, 0) != '"')
			goto unterminated;
		advance(lx, 1);
		set_tok(lx, t, PKT_T_STRING, start + 1, lx->pos - 1);
		return 0;
	}
	if (c == '`') {
		advance(lx, 1);
		while (cur(lx, 0) != -1 && cur(lx, 0) != '`')
			advance(lx, 1);
		if (cur(lx, 0) != '`')
			goto unterminated;
		advance(lx, 1);
		set_tok(lx, t, PKT_T_BACKQUOTE, start + 1, lx->pos - 1);
		return 0;
	}
	if (c == '%' && cur(lx, 1) == '{') {
		advance(lx, 2);
		while (cur(lx, 0) != -1 && !(cur(lx, 0) == '}' && cur(lx, 1) == '%'))
			advance(lx, 1);
		if (cur(lx, 0) == -1)
			goto unterminated;
		advance(lx, 2);
		set_tok(lx, t, PKT_T_CODE, start + 2, lx->pos - 2);
		return 0;
	}
	if (strchr("<>()[]{},:=|+~*.-;/", c)) {
		advance(lx, 1);
		set_tok(lx, t, PKT_T_PUNCT, start, lx->pos);
		t->punct = (char)c;
		return 0;
	}
	advance(lx, 1);
	set_tok(lx, t, PKT_T_ERROR, start, lx->pos);
	return -1;

unterminated:
	t->type = PKT_T_ERROR;
	t->start = c == '"' ? "unterminated string" :
		   c == '`' ? "unterminated backquoted command" : "unterminated %{ }% block";
	t->len = strlen(t->start);
	return -1;
}

int pkt_lex_peek(struct pkt_lexer *lx, struct pkt_token *t)
{
	struct pkt_lexer save = *lx;
	int ret = pkt_lex_next(lx, t);

	*lx = save;
	return ret;
}

/* Raw text up to the first @stop character at nesting level 0 of ( ); used for the note
 * after an expected result, "(Operation now in progress)". The stop char is consumed. */
int pkt_lex_raw_until(struct pkt_lexer *lx, char stop, const char **start, size_t *len)
{
	int depth = 0;

	*start = lx->text + lx->pos;
	while (cur(lx, 0) != -1) {
		int c = cur(lx, 0);

		if (c == stop && depth == 0) {
			*len = (size_t)(lx->text + lx->pos - *start);
			advance(lx, 1);
			return 0;
		}
		if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
		else if (c == '\n')
			break;
		advance(lx, 1);
	}
	return -1;
}

/* Raw option value after "--name=": a quoted string or up to the next blank. */
int pkt_lex_option_value(struct pkt_lexer *lx, const char **start, size_t *len)
{
	if (cur(lx, 0) == '"') {
		advance(lx, 1);
		*start = lx->text + lx->pos;
		while (cur(lx, 0) != -1 && cur(lx, 0) != '"' && cur(lx, 0) != '\n')
			advance(lx, 1);
		if (cur(lx, 0) != '"')
			return -1;
		*len = (size_t)(lx->text + lx->pos - *start);
		advance(lx, 1);
		return 0;
	}
	*start = lx->text + lx->pos;
	while (cur(lx, 0) != -1 && !isspace(cur(lx, 0)))
		advance(lx, 1);
	*len = (size_t)(lx->text + lx->pos - *start);
	return *len ? 0 : -1;
}

bool pkt_lex_at_char(const struct pkt_lexer *lx, char c)
{
	return cur(lx, 0) == (unsigned char)c;
}

void pkt_lex_skip_char(struct pkt_lexer *lx)
{
	advance(lx, 1);
}
