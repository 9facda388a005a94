/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* JSON in upstream's bytes: json-c builds the values; a small grammar check reproduces
 * serde_json's error texts and positions (C-24), and an emitter writes serde_json's pretty and
 * compact forms (C-22, C-23), which json-c's printer does not. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* ---------------------------------------------------------------- checking */

struct scan {
	const unsigned char *s;
	size_t n, i;
	int depth;
	const char *err;
	size_t err_at; /* byte count before the error position (serde's Position) */
};

enum { SERDE_DEPTH = 128 };

static int fail_at(struct scan *sc, const char *msg, size_t at)
{
	if (!sc->err) {
		sc->err = msg;
		sc->err_at = at > sc->n ? sc->n : at;
	}
	return -1;
}
/* serde's error(): position after what was consumed; peek_error(): the next byte's column. */
#define ERR(sc, m) fail_at(sc, m, (sc)->i)
#define PEEK_ERR(sc, m) fail_at(sc, m, (sc)->i + 1)

static int peek_ws(struct scan *sc)
{
	while (sc->i < sc->n && strchr(" \n\t\r", sc->s[sc->i]) && sc->s[sc->i])
		sc->i++;
	return sc->i < sc->n ? sc->s[sc->i] : -1;
}

static int hex4(struct scan *sc, unsigned *ret)
{
	if (sc->i + 4 > sc->n) {
		sc->i = sc->n;
		return ERR(sc, "EOF while parsing a string");
	}
	unsigned v = 0;
	for (int k = 0; k < 4; k++) {
		int h = hexval(sc->s[sc->i++]);
		if (h < 0)
			return ERR(sc, "invalid escape");
		v = v * 16 + (unsigned)h;
	}
	*ret = v;
	return 0;
}

static int scan_string(struct scan *sc)
{
	sc->i++; /* opening quote */
	for (;;) {
		if (sc->i >= sc->n)
			return ERR(sc, "EOF while parsing a string");
		unsigned char c = sc->s[sc->i++];
		if (c == '"')
			return 0;
		if (c < 0x20)
			return ERR(sc, "control character (\\u0000-\\u001F) found while parsing a string");
		if (c != '\\')
			continue;
		if (sc->i >= sc->n)
			return ERR(sc, "EOF while parsing a string");
		c = sc->s[sc->i++];
		if (strchr("\"\\/bfnrt", c) && c)
			continue;
		if (c != 'u')
			return ERR(sc, "invalid escape");
		unsigned u;
		if (hex4(sc, &u) < 0)
			return -1;
		/* serde takes it, but every string we keep is a C string that would end there:
		 * "i915-GVTg_V5_4\u0000x" would become a different, valid-looking type */
		if (u == 0)
			return ERR(sc, "\\u0000 (NUL) found in a string");
		if (u >= 0xdc00 && u <= 0xdfff)
			return ERR(sc, "lone leading surrogate in hex escape");
		if (u >= 0xd800 && u <= 0xdbff) {
			if (sc->i >= sc->n)
				return ERR(sc, "EOF while parsing a string");
			if (sc->s[sc->i] != '\\')
				return ERR(sc, "unexpected end of hex escape");
			sc->i++;
			if (sc->i >= sc->n)
				return ERR(sc, "EOF while parsing a string");
			if (sc->s[sc->i] != 'u')
				return ERR(sc, "unexpected end of hex escape");
			sc->i++;
			if (hex4(sc, &u) < 0)
				return -1;
			if (u < 0xdc00 || u > 0xdfff)
				return ERR(sc, "lone leading surrogate in hex escape");
		}
	}
}

static bool isdig(int c)
{
	return c >= '0' && c <= '9';
}

static int scan_number(struct scan *sc)
{
	if (sc->s[sc->i] == '-')
		sc->i++;
	if (sc->i >= sc->n)
		return ERR(sc, "EOF while parsing a value");
	int c = sc->s[sc->i++];
	if (c == '0') {
		if (sc->i < sc->n && isdig(sc->s[sc->i]))
			return PEEK_ERR(sc, "invalid number");
	} else if (isdig(c)) {
		while (sc->i < sc->n && isdig(sc->s[sc->i]))
			sc->i++;
	} else {
		return ERR(sc, "invalid number");
	}
	if (sc->i < sc->n && sc->s[sc->i] == '.') {
		sc->i++;
		if (sc->i >= sc->n)
			return PEEK_ERR(sc, "EOF while parsing a value");
		if (!isdig(sc->s[sc->i]))
			return PEEK_ERR(sc, "invalid number");
		while (sc->i < sc->n && isdig(sc->s[sc->i]))
			sc->i++;
	}
	if (sc->i < sc->n && (sc->s[sc->i] == 'e' || sc->s[sc->i] == 'E')) {
		sc->i++;
		if (sc->i < sc->n && (sc->s[sc->i] == '+' || sc->s[sc->i] == '-'))
			sc->i++;
		if (sc->i >= sc->n)
			return ERR(sc, "EOF while parsing a value");
		if (!isdig(sc->s[sc->i++]))
			return ERR(sc, "invalid number");
		while (sc->i < sc->n && isdig(sc->s[sc->i]))
			sc->i++;
	}
	return 0;
}

static int scan_ident(struct scan *sc, const char *rest)
{
	sc->i++;
	for (const char *p = rest; *p; p++) {
		if (sc->i >= sc->n)
			return ERR(sc, "EOF while parsing a value");
		if (sc->s[sc->i++] != (unsigned char)*p)
			return ERR(sc, "expected ident");
	}
	return 0;
}

static int scan_value(struct scan *sc);

static int scan_object(struct scan *sc)
{
	bool first = true;
	sc->i++;
	for (;;) {
		int c = peek_ws(sc);
		if (c == '}') {
			sc->i++;
			return 0;
		}
		if (c < 0)
			return PEEK_ERR(sc, "EOF while parsing an object");
		if (!first) {
			if (c != ',')
				return PEEK_ERR(sc, "expected `,` or `}`");
			sc->i++;
			c = peek_ws(sc);
			if (c == '}')
				return PEEK_ERR(sc, "trailing comma");
			if (c < 0)
				return PEEK_ERR(sc, "EOF while parsing a value");
		}
		first = false;
		if (c != '"')
			return PEEK_ERR(sc, "key must be a string");
		if (scan_string(sc) < 0)
			return -1;
		c = peek_ws(sc);
		if (c < 0)
			return PEEK_ERR(sc, "EOF while parsing an object");
		if (c != ':')
			return PEEK_ERR(sc, "expected `:`");
		sc->i++;
		if (scan_value(sc) < 0)
			return -1;
	}
}

static int scan_array(struct scan *sc)
{
	bool first = true;
	sc->i++;
	for (;;) {
		int c = peek_ws(sc);
		if (c == ']') {
			sc->i++;
			return 0;
		}
		if (c < 0)
			return PEEK_ERR(sc, "EOF while parsing a list");
		if (!first) {
			if (c != ',')
				return PEEK_ERR(sc, "expected `,` or `]`");
			sc->i++;
			c = peek_ws(sc);
			if (c == ']')
				return PEEK_ERR(sc, "trailing comma");
			if (c < 0)
				return PEEK_ERR(sc, "EOF while parsing a value");
		}
		first = false;
		if (scan_value(sc) < 0)
			return -1;
	}
}

static int scan_value(struct scan *sc)
{
	int c = peek_ws(sc);
	switch (c) {
	case -1:
		return PEEK_ERR(sc, "EOF while parsing a value");
	case '{':
	case '[': {
		if (--sc->depth == 0)
			return PEEK_ERR(sc, "recursion limit exceeded");
		int r = c == '{' ? scan_object(sc) : scan_array(sc);
		sc->depth++;
		return r;
	}
	case '"':
		return scan_string(sc);
	case 't':
		return scan_ident(sc, "rue");
	case 'f':
		return scan_ident(sc, "alse");
	case 'n':
		return scan_ident(sc, "ull");
	default:
		if (c == '-' || isdig(c))
			return scan_number(sc);
		return PEEK_ERR(sc, "expected value");
	}
}

/* serde_json's verdict on text: NULL if it parses, else its message with the position. */
static char *serde_check(const char *text, size_t len)
{
	struct scan sc = { .s = (const unsigned char *)text, .n = len, .depth = SERDE_DEPTH };
	if (scan_value(&sc) == 0 && peek_ws(&sc) >= 0)
		PEEK_ERR(&sc, "trailing characters");
	if (!sc.err)
		return NULL;
	size_t line = 1, col = 0;
	for (size_t k = 0; k < sc.err_at; k++) {
		if (text[k] == '\n') {
			line++;
			col = 0;
		} else {
			col++;
		}
	}
	return xasprintf("%s at line %zu column %zu", sc.err, line, col);
}

static bool utf8_valid(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t k;
		unsigned cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 2;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 3;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + k > n)
			return false;
		for (size_t j = 1; j < k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k;
	}
	return true;
}

int json_parse_text(struct mdev_ctx *ctx, const char *text, size_t len,
		    struct json_object **ret)
{
	*ret = NULL;
	if (!utf8_valid((const unsigned char *)text, len))
		return lib_error(ctx, EINVAL, "stream did not contain valid UTF-8");
	_cleanup_free_ char *msg = serde_check(text, len);
	if (msg)
		return lib_error(ctx, EINVAL, "%s", msg);
	struct json_tokener *tok = json_tokener_new_ex(SERDE_DEPTH + 2);
	if (!tok)
		return lib_error(ctx, ENOMEM, "out of memory");
	/* text is NUL-terminated and, having passed the check, holds no other NUL: handing json-c
	 * the NUL too tells it the input ends there (a bare number is then complete). */
	struct json_object *o = json_tokener_parse_ex(tok, text, (int)len + 1);
	enum json_tokener_error e = json_tokener_get_error(tok);
	json_tokener_free(tok);
	if (e != json_tokener_success) {
		json_object_put(o);
		return lib_error(ctx, EINVAL, "%s", json_tokener_error_desc(e));
	}
	*ret = o; /* NULL for the document "null" */
	return 0;
}

/* ---------------------------------------------------------------- emitting */

struct buf {
	char *s;
	size_t len, cap;
	bool oom;
	FILE *out; /* when set, the text goes there in pieces of about BUF_FLUSH bytes */
	int err;   /* errno of the first failed write to out */
};

#define BUF_FLUSH 16384

static void flush(struct buf *b)
{
	if (b->out && b->len && !b->err && fwrite(b->s, 1, b->len, b->out) != b->len)
		b->err = errno ? errno : EIO;
	b->len = 0;
}

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->out && b->len + n > BUF_FLUSH)
		flush(b);
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *ns = realloc(b->s, cap);
		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_escaped(struct buf *b, const char *s)
{
	put(b, "\"", 1);
	const char *run = s;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const char *esc = NULL;
		char tmp[8];
		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (*p < 0x20) {
				snprintf(tmp, sizeof(tmp), "\\u%04x", *p);
				esc = tmp;
			}
		}
		if (!esc)
			continue;
		put(b, run, (size_t)((const char *)p - run));
		puts_(b, esc);
		run = (const char *)p + 1;
	}
	puts_(b, run);
	put(b, "\"", 1);
}

static void indent(struct buf *b, int level)
{
	/* a line break and two spaces a level, in as few pieces as the spaces below allow */
	static const char line[] = "\n                                                                ";
	const size_t most = sizeof(line) - 2;
	size_t spaces = 2 * (size_t)level, n = spaces < most ? spaces : most;
	put(b, line, 1 + n);
	for (spaces -= n; spaces; spaces -= n) {
		n = spaces < most ? spaces : most;
		put(b, line + 1, n);
	}
}

/* ---------------------------------------------------------------- streaming writer */

/* Writes serde_json's pretty or compact form straight from the caller's data, without building
 * a tree first: listings of thousands of devices cost no more memory than their text. */
struct jw {
	struct buf b;
	bool pretty;
	int depth;
	/* the open container has an item already; the containers around it always have one (the
	 * open container), so this one flag is all the state any depth needs */
	bool has_items;
	bool after_key;
};

struct jw *jw_new(bool pretty)
{
	struct jw *w = calloc(1, sizeof(*w));
	if (w)
		w->pretty = pretty;
	return w;
}

struct jw *jw_new_file(bool pretty, FILE *out)
{
	struct jw *w = jw_new(pretty);
	if (w)
		w->b.out = out;
	return w;
}

/* Before a value or a key: the comma and line break of the enclosing container. */
static void jw_item(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (w->has_items)
		put(&w->b, ",", 1);
	w->has_items = true;
	if (w->pretty)
		indent(&w->b, w->depth);
}

void jw_open(struct jw *w, char c)
{
	jw_item(w);
	put(&w->b, &c, 1);
	w->depth++;
	w->has_items = false;
}

void jw_close(struct jw *w, char c)
{
	bool items = w->has_items;
	w->depth--;
	if (items && w->pretty)
		indent(&w->b, w->depth);
	put(&w->b, &c, 1);
	w->has_items = true; /* the closed container is an item of its parent */
}

void jw_key(struct jw *w, const char *key)
{
	jw_item(w);
	put_escaped(&w->b, key);
	puts_(&w->b, w->pretty ? ": " : ":");
	w->after_key = true;
}

void jw_str(struct jw *w, const char *v)
{
	jw_item(w);
	put_escaped(&w->b, v);
}

void jw_int(struct jw *w, long long v)
{
	char num[32];
	jw_item(w);
	snprintf(num, sizeof(num), "%lld", v);
	puts_(&w->b, num);
}

int jw_end(struct jw *w)
{
	flush(&w->b);
	int r = w->b.oom ? -ENOMEM : -w->b.err;
	free(w->b.s);
	free(w);
	return r;
}

char *jw_finish(struct jw *w)
{
	char *s = w->b.oom ? NULL : w->b.s ? w->b.s : strdup("");
	if (w->b.oom)
		free(w->b.s);
	free(w);
	return s;
}

/* A value written as it is (null, true, false, a number). */
static void jw_raw(struct jw *w, const char *text)
{
	jw_item(w);
	puts_(&w->b, text);
}

static void jw_value(struct jw *w, struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		jw_raw(w, "null");
		break;
	case json_type_boolean:
		jw_raw(w, json_object_get_boolean(o) ? "true" : "false");
		break;
	case json_type_int:
		jw_int(w, (long long)json_object_get_int64(o));
		break;
	case json_type_double:
		jw_raw(w, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		break;
	case json_type_string:
		jw_str(w, json_object_get_string(o));
		break;
	case json_type_array:
		jw_open(w, '[');
		for (size_t i = 0, n = json_object_array_length(o); i < n; i++)
			jw_value(w, json_object_array_get_idx(o, i));
		jw_close(w, ']');
		break;
	case json_type_object: {
		jw_open(w, '{');
		json_object_object_foreach(o, key, val) {
			jw_key(w, key);
			jw_value(w, val);
		}
		jw_close(w, '}');
		break;
	}
	}
}

/* A parsed tree in the same form, through the same writer. */
char *json_format(struct json_object *o, bool pretty)
{
	struct jw *w = jw_new(pretty);
	if (!w)
		return NULL;
	jw_value(w, o);
	return jw_finish(w);
}
