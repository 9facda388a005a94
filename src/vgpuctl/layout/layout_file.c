/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a layout file: NVIDIA vgpu-device-manager's "version: v1" format, parsed with
 * libyaml's event API and checked alone (no host). Every message names the file, the 1-based
 * line and, inside vgpu-configs, the config and entry, so that a fleet operator can mend the
 * file without a host at hand. docs/layout.md states the rules; tests/unit/test_layout_file.c
 * pins every message. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "layout.h"
#include "vgpuctl.h"

/* The reader: libyaml's parser and the event at hand. */
struct rd {
	yaml_parser_t parser;
	yaml_event_t ev;
	bool have_ev;
	const char *shown; /* the file as messages name it */
	char *err;
	size_t errlen;
	const struct layout_config *cfg; /* the config and entry being read, for messages */
	size_t entry;
	unsigned key_line; /* of the key whose value is being read */
	const char *text;  /* the input, to name the character libyaml stopped at */
	size_t len;
};

static unsigned line_of(const yaml_mark_t *m)
{
	return (unsigned)m->line + 1;
}

/* The line of the event at hand; an empty value ("key:" and nothing) is on its key's line,
 * where libyaml's mark would name the line of whatever comes next. */
static unsigned ev_line(const struct rd *r)
{
	if (r->ev.type == YAML_SCALAR_EVENT && r->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    !r->ev.data.scalar.length && r->key_line)
		return r->key_line;
	return line_of(&r->ev.start_mark);
}

/* The byte libyaml's mark points at (its column counts characters), or 0. */
static char char_at(const struct rd *r, const yaml_mark_t *m)
{
	size_t i = 0;
	for (size_t line = 0; line < m->line && i < r->len; i++)
		line += r->text[i] == '\n';
	for (size_t col = 0; col < m->column && i < r->len; col++)
		do
			i++;
		while (i < r->len && (r->text[i] & 0xc0) == 0x80);
	return i < r->len ? r->text[i] : 0;
}

static int fail(struct rd *r, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct rd *r, unsigned line, const char *fmt, ...)
{
	int n = snprintf(r->err, r->errlen, "%s:%u: ", r->shown, line);
	if (r->cfg && n >= 0 && (size_t)n < r->errlen) {
		n += snprintf(r->err + n, r->errlen - n, "config '%s'", r->cfg->name);
		if (r->entry && (size_t)n < r->errlen)
			n += snprintf(r->err + n, r->errlen - n, ", entry %zu", r->entry);
		if ((size_t)n < r->errlen)
			n += snprintf(r->err + n, r->errlen - n, ": ");
	}
	if (n >= 0 && (size_t)n < r->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->err + n, r->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The next event. Aliases, anchors and tags are refused here, once for every node: an alias
 * would make one line stand for another's content (and is the way to blow up a YAML document),
 * and no layout needs them. */
static int next(struct rd *r)
{
	if (r->have_ev)
		yaml_event_delete(&r->ev);
	r->have_ev = false;
	if (!yaml_parser_parse(&r->parser, &r->ev)) {
		const yaml_parser_t *p = &r->parser;
		unsigned line = line_of(&p->problem_mark);
		/* libyaml's words for it: "found character that cannot start any token" */
		if (p->error == YAML_SCANNER_ERROR && char_at(r, &p->problem_mark) == '\t')
			return fail(r, line, "a tab in the indentation (YAML indents with spaces)");
		if (p->context)
			return fail(r, line, "not valid YAML: %s %s (line %u)", p->problem ? p->problem : "error",
				    p->context, line_of(&p->context_mark));
		return fail(r, line, "not valid YAML: %s", p->problem ? p->problem : "error");
	}
	r->have_ev = true;
	const unsigned char *anchor = NULL, *tag = NULL;
	switch (r->ev.type) {
	case YAML_ALIAS_EVENT:
		return fail(r, ev_line(r), "aliases (*%s) are not supported; write the value out",
			    (const char *)r->ev.data.alias.anchor);
	case YAML_SCALAR_EVENT:
		anchor = r->ev.data.scalar.anchor;
		tag = r->ev.data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = r->ev.data.sequence_start.anchor;
		tag = r->ev.data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = r->ev.data.mapping_start.anchor;
		tag = r->ev.data.mapping_start.tag;
		break;
	default:
		break;
	}
	if (anchor)
		return fail(r, ev_line(r), "anchors (&%s) are not supported", (const char *)anchor);
	if (tag)
		return fail(r, ev_line(r), "tags (%s) are not supported", (const char *)tag);
	return 0;
}

static bool is_scalar(const struct rd *r)
{
	return r->ev.type == YAML_SCALAR_EVENT;
}

static const char *scalar(const struct rd *r)
{
	return (const char *)r->ev.data.scalar.value;
}

/* A plain scalar that YAML reads as null: "", "~", "null" (as Go's YAML reader does). */
static bool is_null(const struct rd *r)
{
	if (!is_scalar(r) || r->ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = scalar(r);
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* A whole number written plainly in decimal, at most max. Returns 0, or -1 with *why set:
 * "negative", "too large", or "not a number" (quoted "12" is a string to NVIDIA's reader). */
static int plain_uint(const struct rd *r, unsigned max, unsigned *ret, const char **why)
{
	const char *s = scalar(r);
	*why = "not a number";
	if (r->ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return -1;
	bool neg = *s == '-';
	const char *d = s + (neg || *s == '+');
	size_t n = strspn(d, "0123456789");
	if (!n || d[n] || (n > 1 && *d == '0')) /* 010 is octal to YAML 1.1 readers: refuse it */
		return -1;
	if (neg && strcmp(d, "0")) {
		*why = "negative";
		return -1;
	}
	if (n > 9 || strtoul(d, NULL, 10) > max) {
		*why = "too large";
		return -1;
	}
	*ret = (unsigned)strtoul(d, NULL, 10);
	return 0;
}

static void *grow(void *arr, size_t n, size_t size)
{
	/* capacity doubles at powers of two, so the count alone says when to grow */
	if (n & (n - 1) && n)
		return arr;
	return realloc(arr, (n ? n * 2 : 1) * size);
}

/* Reads a map whose values each get one call of fn, with the current event on the value;
 * the key's text and line are passed. Duplicate keys are refused here, once for every map. */
typedef int (*value_fn)(struct rd *r, void *obj, const char *key, unsigned key_line);

struct seen_key {
	char *key;
	unsigned line;
};

static int read_map(struct rd *r, void *obj, const char *what, value_fn fn)
{
	struct seen_key *seen = NULL;
	size_t n = 0;
	int rc = 0;
	while (rc == 0 && (rc = next(r)) == 0 && r->ev.type != YAML_MAPPING_END_EVENT) {
		if (!is_scalar(r)) {
			rc = fail(r, ev_line(r), "%s%sa key must be a name", what ? what : "", what ? ": " : "");
			break;
		}
		unsigned line = ev_line(r);
		char *key = strdup(scalar(r));
		for (size_t i = 0; key && i < n; i++)
			if (!strcmp(seen[i].key, key)) {
				rc = fail(r, line, "%s%s'%s' is given twice (first at line %u)", what ? what : "",
					  what ? ": " : "", key, seen[i].line);
				break;
			}
		struct seen_key *ns = grow(seen, n, sizeof(*seen));
		if (!key || !ns) {
			free(key);
			seen = ns ? ns : seen;
			rc = fail(r, line, "%s", strerror(ENOMEM));
			break;
		}
		seen = ns;
		seen[n++] = (struct seen_key){ key, line };
		if (rc == 0 && (rc = next(r)) == 0) {
			r->key_line = line;
			rc = fn(r, obj, key, line);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(seen[i].key);
	free(seen);
	return rc;
}

/* ---- an entry: devices, vgpu-devices, device-filter, xe-profile */

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return (x > y) - (x < y);
}

static int read_devices(struct rd *r, struct layout_entry *e)
{
	if (is_scalar(r) && !strcmp(scalar(r), "all")) {
		e->all_devices = true;
		return 0;
	}
	if (is_scalar(r))
		return fail(r, ev_line(r), "devices: '%s' is neither all nor a list of GPU indices",
			    scalar(r));
	if (r->ev.type != YAML_SEQUENCE_START_EVENT)
		return fail(r, ev_line(r), "devices: expected all or a list of GPU indices");
	while (next(r) == 0) {
		if (r->ev.type == YAML_SEQUENCE_END_EVENT) {
			if (e->n_devices) /* "devices: []": qsort must not see the NULL array */
				qsort(e->devices, e->n_devices, sizeof(*e->devices), cmp_unsigned);
			size_t k = 0;
			for (size_t i = 0; i < e->n_devices; i++)
				if (!k || e->devices[k - 1] != e->devices[i])
					e->devices[k++] = e->devices[i];
			e->n_devices = k;
			return 0;
		}
		if (!is_scalar(r))
			return fail(r, ev_line(r), "devices: expected GPU indices (0, 1, ...)");
		unsigned idx;
		const char *why;
		if (plain_uint(r, LAYOUT_INDEX_MAX, &idx, &why) < 0) {
			if (!strcmp(why, "too large"))
				return fail(r, ev_line(r), "devices: GPU index %s is above %u", scalar(r),
					    LAYOUT_INDEX_MAX);
			return fail(r, ev_line(r), "devices: GPU index '%s' is %s", scalar(r),
				    !strcmp(why, "negative") ? "negative" : "not a number");
		}
		unsigned *nd = grow(e->devices, e->n_devices, sizeof(*nd));
		if (!nd)
			return fail(r, ev_line(r), "%s", strerror(ENOMEM));
		e->devices = nd;
		e->devices[e->n_devices++] = idx;
	}
	return -1;
}

static int count_value(struct rd *r, void *obj, const char *key, unsigned key_line)
{
	struct layout_entry *e = obj;
	if (!*key)
		return fail(r, key_line, "vgpu-devices: a type name is empty");
	if (!is_scalar(r))
		return fail(r, ev_line(r), "vgpu-devices: the count of '%s' must be a number", key);
	unsigned count;
	const char *why;
	int bad = plain_uint(r, LAYOUT_COUNT_MAX, &count, &why);
	if (bad || count == 0) {
		if (bad && !strcmp(why, "too large"))
			return fail(r, ev_line(r), "vgpu-devices: the count of '%s' is %s; at most %u",
				    key, scalar(r), LAYOUT_COUNT_MAX);
		if (bad && !strcmp(why, "not a number"))
			return fail(r, ev_line(r), "vgpu-devices: the count of '%s' is '%s', not a number",
				    key, scalar(r));
		return fail(r, ev_line(r),
			    "vgpu-devices: the count of '%s' is %s; it must be at least 1 (leave the type out for none)",
			    key, scalar(r));
	}
	struct layout_count *nc = grow(e->counts, e->n_counts, sizeof(*nc));
	char *type = strdup(key);
	if (!nc || !type) {
		free(type);
		e->counts = nc ? nc : e->counts;
		return fail(r, key_line, "%s", strerror(ENOMEM));
	}
	e->counts = nc;
	e->counts[e->n_counts++] = (struct layout_count){ type, count, key_line };
	return 0;
}

/* NVIDIA's device id text: a 32-bit number, device id in the high half, vendor in the low. */
static int parse_pci_id(const char *s, uint16_t *ret_device, uint16_t *ret_vendor)
{
	char *end;
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end || v > 0xffffffffULL)
		return -1;
	*ret_device = (uint16_t)(v >> 16);
	*ret_vendor = (uint16_t)(v & 0xffff);
	return 0;
}

static int add_filter(struct rd *r, struct layout_entry *e)
{
	if (!is_scalar(r))
		return fail(r, ev_line(r), "device-filter: expected a PCI id or a list of them");
	struct layout_device_id id = { 0 };
	char *text = strdup(scalar(r));
	char *colon = text ? strchr(text, ':') : NULL;
	if (colon)
		*colon = '\0';
	int bad = !text || parse_pci_id(text, &id.device, &id.vendor) < 0 ||
		  (colon && parse_pci_id(colon + 1, &id.subsystem_device, &id.subsystem_vendor) < 0);
	free(text);
	if (bad)
		return fail(r, ev_line(r),
			    "device-filter: '%s' is not a PCI id (0xDDDDVVVV or 0xDDDDVVVV:0xSSSSVVVV)",
			    scalar(r));
	id.has_subsystem = colon != NULL;
	struct layout_device_id *nf = grow(e->device_filter, e->n_device_filter, sizeof(*nf));
	if (!nf)
		return fail(r, ev_line(r), "%s", strerror(ENOMEM));
	e->device_filter = nf;
	e->device_filter[e->n_device_filter++] = id;
	return 0;
}

static int read_filter(struct rd *r, struct layout_entry *e)
{
	if (is_null(r))
		return 0; /* NVIDIA's reader takes an empty filter as none */
	if (r->ev.type != YAML_SEQUENCE_START_EVENT)
		return add_filter(r, e);
	while (next(r) == 0) {
		if (r->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if (add_filter(r, e) < 0)
			return -1;
	}
	return -1;
}

static int entry_value(struct rd *r, void *obj, const char *key, unsigned key_line)
{
	struct layout_entry *e = obj;
	if (!strcmp(key, "devices"))
		return read_devices(r, e);
	if (!strcmp(key, "device-filter"))
		return read_filter(r, e);
	if (!strcmp(key, "xe-profile")) {
		if (!is_scalar(r) || is_null(r) || !*scalar(r))
			return fail(r, ev_line(r), "xe-profile: expected a profile such as exec_quantum_ms=20,preempt_timeout_us=40000");
		e->xe_profile_line = ev_line(r);
		return (e->xe_profile = strdup(scalar(r))) ? 0 : fail(r, ev_line(r), "%s", strerror(ENOMEM));
	}
	if (!strcmp(key, "vgpu-devices")) {
		if (is_null(r))
			return 0; /* "vgpu-devices:" alone: no vGPUs, as NVIDIA's reader takes it */
		if (r->ev.type != YAML_MAPPING_START_EVENT)
			return fail(r, ev_line(r), "vgpu-devices: expected a map of type name to count");
		return read_map(r, e, "vgpu-devices", count_value);
	}
	return fail(r, key_line, "unknown key '%s' (an entry has devices, vgpu-devices, device-filter, xe-profile)",
		    key);
}

/* ---- a config: a list of entries */

/* The keys an entry has seen, kept beside the entry: "devices: []" leaves no trace in it. */
struct entry_read {
	struct layout_entry *e;
	bool has_devices, has_vgpu_devices;
};

static int entry_read_value(struct rd *r, void *obj, const char *key, unsigned key_line)
{
	struct entry_read *er = obj;
	er->has_devices |= !strcmp(key, "devices");
	er->has_vgpu_devices |= !strcmp(key, "vgpu-devices");
	return entry_value(r, er->e, key, key_line);
}

static int read_entries(struct rd *r, struct layout_config *c)
{
	if (is_null(r) || r->ev.type != YAML_SEQUENCE_START_EVENT) {
		if (!is_null(r))
			return fail(r, ev_line(r), "expected a list of entries (- devices: ...)");
		return fail(r, ev_line(r), "no entries (at least one is needed)");
	}
	unsigned list_line = ev_line(r);
	while (next(r) == 0) {
		if (r->ev.type == YAML_SEQUENCE_END_EVENT) {
			if (!c->n_entries)
				return fail(r, list_line, "no entries (at least one is needed)");
			return 0;
		}
		struct layout_entry *ne = grow(c->entries, c->n_entries, sizeof(*ne));
		if (!ne)
			return fail(r, ev_line(r), "%s", strerror(ENOMEM));
		c->entries = ne;
		struct layout_entry *e = &c->entries[c->n_entries++];
		*e = (struct layout_entry){ .line = ev_line(r) };
		r->entry = c->n_entries;
		if (r->ev.type != YAML_MAPPING_START_EVENT)
			return fail(r, e->line, "expected a map with devices: and vgpu-devices:");
		struct entry_read er = { e, false, false };
		if (read_map(r, &er, NULL, entry_read_value) < 0)
			return -1;
		if (!er.has_devices)
			return fail(r, e->line, "no devices: (all, or a list of GPU indices)");
		if (!er.has_vgpu_devices)
			return fail(r, e->line, "no vgpu-devices: (a map of type name to count)");
		r->entry = 0;
	}
	return -1;
}

static int config_value(struct rd *r, void *obj, const char *key, unsigned key_line)
{
	struct layout_file *f = obj;
	if (!*key)
		return fail(r, key_line, "vgpu-configs: a config name is empty");
	struct layout_config *nc = grow(f->configs, f->n_configs, sizeof(*nc));
	if (!nc)
		return fail(r, key_line, "%s", strerror(ENOMEM));
	f->configs = nc;
	struct layout_config *c = &f->configs[f->n_configs++];
	*c = (struct layout_config){ .name = strdup(key), .line = key_line };
	if (!c->name)
		return fail(r, key_line, "%s", strerror(ENOMEM));
	r->cfg = c;
	r->entry = 0;
	int rc = read_entries(r, c);
	if (rc == 0)
		r->cfg = NULL;
	return rc;
}

/* ---- the document */

struct top_read {
	struct layout_file *f;
	bool has_version, has_configs;
};

static int top_value(struct rd *r, void *obj, const char *key, unsigned key_line)
{
	struct top_read *t = obj;
	if (!strcmp(key, "version")) {
		t->has_version = true;
		if (!is_scalar(r) || strcmp(scalar(r), "v1"))
			return fail(r, ev_line(r), "version: '%s' is not supported (only v1 is)",
				    is_scalar(r) ? scalar(r) : "...");
		return 0;
	}
	if (!strcmp(key, "vgpu-configs")) {
		t->has_configs = true;
		t->f->line = key_line;
		if (is_null(r))
			return fail(r, ev_line(r), "vgpu-configs: no configs (at least one is needed)");
		if (r->ev.type != YAML_MAPPING_START_EVENT)
			return fail(r, ev_line(r), "vgpu-configs: expected a map of config names to entries");
		unsigned line = ev_line(r);
		if (read_map(r, t->f, "vgpu-configs", config_value) < 0)
			return -1;
		if (!t->f->n_configs)
			return fail(r, line, "vgpu-configs: no configs (at least one is needed)");
		return 0;
	}
	return fail(r, key_line, "unknown key '%s' (a layout file has version: and vgpu-configs:)", key);
}

static int read_document(struct rd *r, struct layout_file *f)
{
	if (next(r) < 0)
		return -1;
	if (r->ev.type != YAML_STREAM_START_EVENT || next(r) < 0)
		return fail(r, 1, "not valid YAML");
	if (r->ev.type == YAML_STREAM_END_EVENT)
		return fail(r, 1, "the file is empty (expected version: v1 and vgpu-configs:)");
	unsigned doc_line = ev_line(r);
	if (next(r) < 0)
		return -1;
	unsigned top_line = ev_line(r);
	if (is_null(r))
		return fail(r, doc_line, "the document is empty (expected version: v1 and vgpu-configs:)");
	if (r->ev.type != YAML_MAPPING_START_EVENT)
		return fail(r, top_line, "expected a map with version: v1 and vgpu-configs:");
	struct top_read t = { f, false, false };
	if (read_map(r, &t, NULL, top_value) < 0)
		return -1;
	if (!t.has_version)
		return fail(r, top_line, "no version: (write version: v1 first)");
	if (!t.has_configs)
		return fail(r, top_line, "no vgpu-configs:");
	if (next(r) < 0 || next(r) < 0) /* the document's end, then the stream's */
		return -1;
	if (r->ev.type == YAML_DOCUMENT_START_EVENT)
		return fail(r, ev_line(r), "a second YAML document; a layout file holds one");
	return 0;
}

/* ---- what libyaml does not say with a line: encoding and control characters (its reader
 * reports an offset only) */

/* The length of the UTF-8 sequence at s (at most n bytes), or 0 if it is not one: overlong
 * forms, surrogates and code points past U+10FFFF included. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
	if (!len || len > n)
		return 0;
	unsigned cp = len == 1 ? c : c & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	static const unsigned min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static int check_text(struct rd *r, const unsigned char *s, size_t n)
{
	unsigned line = 1;
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = utf8_len(s + i, n - i);
		if (!len)
			return fail(r, line, "not UTF-8 text (byte 0x%02x)", c);
		if (len == 1 && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f))
			return fail(r, line, "a control character (0x%02x)", c);
		line += c == '\n';
		i += len;
	}
	return 0;
}

/* ---- the interface */

void layout_file_clear(struct layout_file *f)
{
	for (size_t i = 0; i < f->n_configs; i++) {
		struct layout_config *c = &f->configs[i];
		for (size_t j = 0; j < c->n_entries; j++) {
			struct layout_entry *e = &c->entries[j];
			for (size_t k = 0; k < e->n_counts; k++)
				free(e->counts[k].type);
			free(e->counts);
			free(e->devices);
			free(e->device_filter);
			free(e->xe_profile);
		}
		free(c->entries);
		free(c->name);
	}
	free(f->configs);
	free(f->path);
	*f = (struct layout_file){ 0 };
}

const struct layout_config *layout_file_find(const struct layout_file *f, const char *name)
{
	for (size_t i = 0; i < f->n_configs; i++)
		if (!strcmp(f->configs[i].name, name))
			return &f->configs[i];
	return NULL;
}

int layout_file_parse(const char *shown, const char *text, size_t len, struct layout_file *ret,
		      char *err, size_t errlen)
{
	struct rd r = { .shown = shown, .err = err, .errlen = errlen, .text = text, .len = len };
	struct layout_file f = { .path = strdup(shown) };
	if (!f.path)
		return fail(&r, 1, "%s", strerror(ENOMEM));
	int rc = check_text(&r, (const unsigned char *)text, len);
	if (rc == 0) {
		if (!yaml_parser_initialize(&r.parser)) {
			layout_file_clear(&f);
			return fail(&r, 1, "%s", strerror(ENOMEM));
		}
		yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);
		rc = read_document(&r, &f);
		if (r.have_ev)
			yaml_event_delete(&r.ev);
		yaml_parser_delete(&r.parser);
	}
	if (rc < 0) {
		layout_file_clear(&f);
		return -1;
	}
	*ret = f;
	return 0;
}

int layout_file_read(const char *path, struct layout_file *ret, char *err, size_t errlen)
{
	const char *shown = strcmp(path, "-") ? path : "<stdin>";
	char *text;
	size_t len;
	int r = vgpuctl_read_input(path, LAYOUT_FILE_MAX, &text, &len);
	if (r == -EFBIG) {
		snprintf(err, errlen, "%s: the file is larger than %d bytes", shown, LAYOUT_FILE_MAX);
		return -1;
	}
	if (r < 0) {
		snprintf(err, errlen, "%s: cannot read it: %s", shown, strerror(-r));
		return -1;
	}
	r = layout_file_parse(shown, text, len, ret, err, errlen);
	free(text);
	return r;
}
