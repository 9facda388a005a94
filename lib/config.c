/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Persistent definitions: the JSON of etc/mdevctl.d/<parent>/<uuid> and --jsonfile files,
 * read with upstream's rules (C-24..C-27) and written atomically (C-22, C-76). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "internal.h"

/* A JSON string holding a NUL would be cut short as a C string. json_parse_text() refuses
 * "\u0000" already; this guards every value taken from a json-c tree as well. */
static bool has_nul(struct json_object *str)
{
	return strlen(json_object_get_string(str)) != (size_t)json_object_get_string_len(str);
}

int device_set_attrs_json(struct mdev_ctx *ctx, struct mdev_device *dev,
			  struct json_object *attrs)
{
	if (!attrs)
		return 0;
	if (!json_object_is_type(attrs, json_type_array))
		return lib_error(ctx, EINVAL, "attributes field is not an array");
	size_t n = json_object_array_length(attrs);
	for (size_t i = 0; i < n; i++) {
		struct json_object *a = json_object_array_get_idx(attrs, i);
		if (!json_object_is_type(a, json_type_object))
			return lib_error(ctx, EINVAL,
					 "invalid JSON format for attribute: not an object");
		if (json_object_object_length(a) != 1)
			return lib_error(ctx, EINVAL,
					 "invalid JSON format for attribute: too many fields");
		json_object_object_foreach(a, key, val) {
			if (!json_object_is_type(val, json_type_string)) {
				/* upstream 1.3.0 panics here (C-27); this is HEAD's message */
				_cleanup_free_ char *v = json_format(val, false);
				size_t kl = strlen(key);
				_cleanup_free_ char *k = malloc(kl + 1);
				if (k)
					memcpy(k, key, kl + 1);
				return lib_error(ctx, EINVAL,
						 "invalid JSON format for attribute {\"%s\", %s}: value must be of type str",
						 k ? k : "", v ? v : "?");
			}
			if (has_nul(val))
				return lib_error(ctx, EINVAL,
						 "invalid JSON format for attribute %s: its value holds a NUL (\\u0000)",
						 key);
			if (mdev_device_add_attr(dev, dev->n_attrs, key,
						 json_object_get_string(val)) < 0)
				return lib_error(ctx, ENOMEM, "out of memory");
		}
	}
	return 0;
}

int device_from_json(struct mdev_ctx *ctx, struct json_object *o, struct mdev_device *dev)
{
	struct json_object *type = NULL, *start = NULL, *attrs = NULL;
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "mdev_type", &type) || !type ||
	    !json_object_object_get_ex(o, "start", &start) || !start)
		return lib_error(ctx, EINVAL, "invalid json");
	/* upstream panics on a non-string type (C-72) */
	if (!json_object_is_type(type, json_type_string))
		return lib_error(ctx, EINVAL, "invalid json: mdev_type must be a string");
	if (has_nul(type))
		return lib_error(ctx, EINVAL, "invalid json: mdev_type holds a NUL (\\u0000)");
	free(dev->type);
	dev->type = strdup(json_object_get_string(type));
	if (!dev->type)
		return lib_error(ctx, ENOMEM, "out of memory");
	dev->autostart = json_object_is_type(start, json_type_string) &&
			 !strcmp(json_object_get_string(start), "auto");
	json_object_object_get_ex(o, "attrs", &attrs);
	return device_set_attrs_json(ctx, dev, attrs);
}

/* ---- the common case, read without building a json-c tree
 *
 * Nearly every config is the object mdevctl writes: "mdev_type" and "start" with string
 * values and an optional "attrs" array of one-pair objects, all strings printable ASCII
 * without escapes. simple_parse() reads exactly that shape and nothing else; any other text
 * (escapes, other bytes, other or repeated keys, other value types, syntax errors) is left to
 * the full parser, which gives upstream's results and messages. A config of this shape means
 * the same to both. */

struct span {
	const char *s;
	size_t n;
};

struct simple {
	const char *p, *end;
};

#define SIMPLE_MAX_ATTRS 32

static void simple_ws(struct simple *sp)
{
	while (sp->p < sp->end &&
	       (*sp->p == ' ' || *sp->p == '\n' || *sp->p == '\t' || *sp->p == '\r'))
		sp->p++;
}

static bool simple_char(struct simple *sp, char c)
{
	simple_ws(sp);
	if (sp->p == sp->end || *sp->p != c)
		return false;
	sp->p++;
	return true;
}

/* a string of printable ASCII without escapes */
static bool simple_string(struct simple *sp, struct span *ret)
{
	if (!simple_char(sp, '"'))
		return false;
	const char *s = sp->p;
	while (sp->p < sp->end && *sp->p != '"') {
		unsigned char c = (unsigned char)*sp->p;
		if (c < 0x20 || c >= 0x7f || c == '\\')
			return false;
		sp->p++;
	}
	if (sp->p == sp->end)
		return false;
	ret->s = s;
	ret->n = (size_t)(sp->p++ - s);
	return true;
}

static bool span_is(struct span sp, const char *word)
{
	return sp.n == strlen(word) && !memcmp(sp.s, word, sp.n);
}

/* "attrs": [ {"name": "value"}, ... ]; spans in pairs (name, value) */
static bool simple_attrs(struct simple *sp, struct span *attrs, size_t *n)
{
	if (!simple_char(sp, '['))
		return false;
	if (simple_char(sp, ']'))
		return true;
	do {
		if (*n == SIMPLE_MAX_ATTRS || !simple_char(sp, '{') ||
		    !simple_string(sp, &attrs[2 * *n]) || !simple_char(sp, ':') ||
		    !simple_string(sp, &attrs[2 * *n + 1]) || !simple_char(sp, '}'))
			return false;
		(*n)++;
	} while (simple_char(sp, ','));
	return simple_char(sp, ']');
}

static char *span_dup(struct span sp)
{
	return strndup(sp.s, sp.n);
}

/* 1: text was of the simple shape and dev now holds it; 0: it was not (dev untouched) */
static int simple_parse(const char *text, size_t len, struct mdev_device *dev)
{
	struct simple sp = { text, text + len };
	struct span key, type = { 0 }, start = { 0 }, attrs[2 * SIMPLE_MAX_ATTRS];
	size_t n_attrs = 0;
	bool seen_attrs = false;
	if (!simple_char(&sp, '{'))
		return 0;
	do {
		if (!simple_string(&sp, &key) || !simple_char(&sp, ':'))
			return 0;
		if (span_is(key, "mdev_type") && !type.s) {
			if (!simple_string(&sp, &type))
				return 0;
		} else if (span_is(key, "start") && !start.s) {
			if (!simple_string(&sp, &start))
				return 0;
		} else if (span_is(key, "attrs") && !seen_attrs) {
			seen_attrs = true;
			if (!simple_attrs(&sp, attrs, &n_attrs))
				return 0;
		} else {
			return 0;
		}
	} while (simple_char(&sp, ','));
	if (!simple_char(&sp, '}') || !type.s || !start.s)
		return 0;
	simple_ws(&sp);
	if (sp.p != sp.end)
		return 0;

	char *t = span_dup(type);
	if (!t)
		return -ENOMEM;
	size_t base = dev->n_attrs;
	for (size_t i = 0; i < n_attrs; i++) {
		_cleanup_free_ char *name = span_dup(attrs[2 * i]), *value = span_dup(attrs[2 * i + 1]);
		if (!name || !value || mdev_device_add_attr(dev, dev->n_attrs, name, value) < 0) {
			while (dev->n_attrs > base)
				mdev_device_del_attr(dev, dev->n_attrs - 1);
			free(t);
			return -ENOMEM;
		}
	}
	free(dev->type);
	dev->type = t;
	dev->autostart = span_is(start, "auto");
	return 1;
}

int config_parse_full(struct mdev_ctx *ctx, const char *text, size_t len,
		      struct mdev_device *dev)
{
	/* json_parse_text wants the text NUL-terminated: a copy of exactly len bytes (NULs
	 * included: they are errors for it to name) */
	_cleanup_free_ char *copy = malloc(len + 1);
	_cleanup_json_ struct json_object *o = NULL;
	if (!copy)
		return lib_error(ctx, ENOMEM, "out of memory");
	memcpy(copy, text, len);
	copy[len] = '\0';
	int r = json_parse_text(ctx, copy, len, &o);
	if (r < 0)
		return r;
	return device_from_json(ctx, o, dev);
}

int mdev_config_parse(struct mdev_ctx *ctx, const char *text, size_t len,
		      struct mdev_device *dev)
{
	int r = simple_parse(text, len, dev);
	if (r < 0)
		return lib_error(ctx, ENOMEM, "out of memory");
	return r > 0 ? 0 : config_parse_full(ctx, text, len, dev);
}

void jw_device(struct jw *w, const struct mdev_device *dev)
{
	jw_open(w, '{');
	jw_key(w, "mdev_type");
	jw_str(w, dev->type ? dev->type : "");
	jw_key(w, "start");
	jw_str(w, dev->autostart ? "auto" : "manual");
	jw_key(w, "attrs");
	jw_open(w, '[');
	for (size_t i = 0; i < dev->n_attrs; i++) {
		jw_open(w, '{');
		jw_key(w, dev->attrs[i].name);
		jw_str(w, dev->attrs[i].value);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

char *mdev_config_format(const struct mdev_device *dev, bool pretty)
{
	struct jw *w = jw_new(pretty);
	if (!w)
		return NULL;
	jw_device(w, dev);
	return jw_finish(w);
}

static char *config_rel(const char *parent, const char *uuid)
{
	return xasprintf(CONFIG_DIR "/%s/%s", parent, uuid);
}

bool config_exists(struct mdev_ctx *ctx, const char *parent, const char *uuid)
{
	if (!parent || !is_safe_name(parent))
		return false;
	_cleanup_free_ char *rel = config_rel(parent, uuid);
	return rel && root_exists(ctx, rel);
}

/* Read and parse etc/mdevctl.d/<parent>/<uuid> into dev (type, start, attrs); -ENOENT only
 * when the file does not exist. */
int config_read(struct mdev_ctx *ctx, struct dircache *dc, const char *parent,
		const char *uuid, struct mdev_device *dev)
{
	_cleanup_free_ char *dir = xasprintf(CONFIG_DIR "/%s", parent), *text = NULL;
	if (!dir)
		return lib_error(ctx, ENOMEM, "out of memory");
	_cleanup_close_ int fd = dircache_openat(ctx, dc, dir, uuid, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lib_error_bare_os(ctx, -fd);
	ssize_t n = fd_read_file(fd, &text);
	if (n < 0)
		return lib_error_bare_os(ctx, (int)-n);
	return mdev_config_parse(ctx, text, (size_t)n, dev);
}

int mdev_config_write(struct mdev_ctx *ctx, const struct mdev_device *dev)
{
	unsigned char b[16];
	if (!dev->parent || !is_safe_name(dev->parent))
		return lib_error(ctx, EINVAL, "Invalid parent device name");
	if (!uuid_canonical_bytes(dev->uuid, b)) /* it becomes a file name */
		return lib_error(ctx, EINVAL, "Invalid UUID '%s'", dev->uuid);
	_cleanup_free_ char *dir = xasprintf(CONFIG_DIR "/%s", dev->parent);
	_cleanup_free_ char *text = mdev_config_format(dev, true);
	if (!dir || !text)
		return lib_error(ctx, ENOMEM, "out of memory");
	/* what we write, we must be able to read again: a config past the read limit could be
	 * neither modified nor started at boot */
	size_t len = strlen(text);
	if (len > FILE_MAX)
		return lib_error(ctx, EFBIG,
				 "The config of device %s would be %zu bytes, more than the %d bytes a config may have",
				 dev->uuid, len, FILE_MAX);
	/* the temp file's name is the config's, so only one writer at a time may use it */
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	int r = lib_lock(ctx, &locked);
	if (r < 0)
		return r;
	r = root_mkdir_p(ctx, dir, 0777);
	if (r < 0)
		return lib_error_bare_os(ctx, -r);
	r = root_write_atomic(ctx, CONFIG_TMP_DIR, dir, dev->uuid, text, len);
	if (r < 0)
		return lib_error_os(ctx, -r, "Failed to write config for device %s", dev->uuid);
	return 0;
}

int mdev_config_remove(struct mdev_ctx *ctx, const char *parent, const char *uuid)
{
	unsigned char b[16];
	/* only what would leave etc/mdevctl.d: a listed parent may hold other odd bytes */
	if (!*parent || strchr(parent, '/') || !strcmp(parent, ".") || !strcmp(parent, ".."))
		return lib_error(ctx, EINVAL, "Invalid parent device name");
	if (!uuid_canonical_bytes(uuid, b)) /* they name the file to remove */
		return lib_error(ctx, EINVAL, "Invalid UUID '%s'", uuid);
	_cleanup_free_ char *rel = config_rel(parent, uuid);
	_cleanup_free_ char *tmp = xasprintf(CONFIG_DIR "/%s/" TMP_PREFIX "%s", parent, uuid);
	_cleanup_free_ char *tmp2 = xasprintf(CONFIG_TMP_DIR "/" TMP_PREFIX "%s", uuid);
	_cleanup_free_ char *dir = xasprintf(CONFIG_DIR "/%s", parent);
	if (!rel || !tmp || !tmp2 || !dir)
		return lib_error(ctx, ENOMEM, "out of memory");
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	int r = lib_lock(ctx, &locked);
	if (r < 0)
		return r;
	if (unlinkat(ctx->root_fd, rel, 0) < 0) {
		int err = errno;
		_cleanup_free_ char *p = root_path_debug(ctx, rel);
		return lib_error_os(ctx, err, "Failed to remove file %s", p ? p : rel);
	}
	/* and what a writer of this device may have left when it crashed (beside the config
	 * directory, or, written by an older version or across mounts, in it) */
	unlinkat(ctx->root_fd, tmp2, 0);
	unlinkat(ctx->root_fd, tmp, 0);
	/* make the removal durable like a write */
	root_sync_dir(ctx, dir);
	return 0;
}

/* Read --jsonfile F (C-29): "Unable to read jsonfile <F>" for read failures, then the parse. */
int device_load_jsonfile(struct mdev_ctx *ctx, const char *file, struct mdev_device *dev)
{
	_cleanup_close_ int fd = open(file, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *text = NULL, *p = path_debug(file);
	ssize_t n = fd < 0 ? -errno : fd_read_all(fd, &text);
	if (n == -EFBIG) {
		lib_error(ctx, EFBIG, "the file is larger than %d bytes", JSONFILE_MAX);
		return lib_error_wrap(ctx, EFBIG, "Unable to read jsonfile %s", p ? p : file);
	}
	if (n < 0)
		return lib_error_os(ctx, (int)-n, "Unable to read jsonfile %s", p ? p : file);
	_cleanup_json_ struct json_object *o = NULL;
	int r = json_parse_text(ctx, text, (size_t)n, &o);
	if (r == -EINVAL && !strcmp(mdev_ctx_error_message(ctx), "stream did not contain valid UTF-8"))
		return lib_error_wrap(ctx, EINVAL, "Unable to read jsonfile %s", p ? p : file);
	if (r < 0)
		return r;
	return device_from_json(ctx, o, dev);
}
