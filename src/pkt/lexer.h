/* SPDX-License-Identifier: MIT */
/* Tokens of the packet-script language (internal to src/pkt/).
 * Mirrors no kernel file. */
#ifndef ULNET_PKT_LEXER_H
#define ULNET_PKT_LEXER_H
#include <stdbool.h>
#include <stddef.h>

enum pkt_tok {
	PKT_T_EOF, PKT_T_ERROR,
	PKT_T_INT, PKT_T_HEX, PKT_T_FLOAT, PKT_T_WORD, PKT_T_STRING,
	PKT_T_OPTION,		/* --name (text without the dashes) */
	PKT_T_BACKQUOTE,	/* `cmd` (text inside) */
	PKT_T_CODE,		/* %{ code }% (text inside) */
	PKT_T_ELLIPSIS,		/* ... */
	PKT_T_PUNCT,		/* one of < > ( ) [ ] { } , : = | + ~ * . - ; / */
};

struct pkt_token {
	enum pkt_tok type;
	const char *start;	/* not NUL-terminated */
	size_t len;
	char punct;
	int line, col;
};

struct pkt_lexer {
	const char *text;
	size_t len, pos;
	int line, col;
	int err_line, err_col;
};

void pkt_lex_init(struct pkt_lexer *lx, const char *text, size_t len);
int pkt_lex_next(struct pkt_lexer *lx, struct pkt_token *t);
int pkt_lex_peek(struct pkt_lexer *lx, struct pkt_token *t);
int pkt_lex_raw_until(struct pkt_lexer *lx, char stop, const char **start, size_t *len);
int pkt_lex_option_value(struct pkt_lexer *lx, const char **start, size_t *len);
bool pkt_lex_at_char(const struct pkt_lexer *lx, char c);
void pkt_lex_skip_char(struct pkt_lexer *lx);

#endif
