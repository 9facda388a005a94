/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The kernel's side: finding a running mdev's parent and type, creating one by writing its UUID
 * to a type's create file, writing its attributes and removing it (C-18, C-19, C-51..C-54). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "internal.h"

char *trim(char *s)
{
	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
		s[--n] = '\0';
	return s;
}

int parse_i32(struct mdev_ctx *ctx, const char *s, int *ret)
{
	const char *p = s;
	bool neg = false;
	if (!*p)
		return lib_error(ctx, EINVAL, "cannot parse integer from empty string");
	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
		if (!*p)
			return lib_error(ctx, EINVAL, "invalid digit found in string");
	}
	long long v = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return lib_error(ctx, EINVAL, "invalid digit found in string");
		v = v * 10 + (*p - '0');
		if (v > (long long)INT_MAX + 1)
			break;
	}
	for (; *p; p++) /* the digit check wins over the range check, as in Rust */
		if (*p < '0' || *p > '9')
			return lib_error(ctx, EINVAL, "invalid digit found in string");
	if (neg)
		v = -v;
	if (v > INT_MAX)
		return lib_error(ctx, ERANGE, "number too large to fit in target type");
	if (v < INT_MIN)
		return lib_error(ctx, ERANGE, "number too small to fit in target type");
	*ret = (int)v;
	return 0;
}

int check_name(struct mdev_ctx *ctx, const char *what, const char *name)
{
	if (is_safe_name(name))
		return 0;
	_cleanup_free_ char *q = path_debug(name ? name : "");
	return lib_error(ctx, EINVAL,
			 "Invalid %s %s: it must not be empty, \".\" or \"..\", or contain \"/\" or control characters",
			 what, q ? q : "");
}

static char *dev_rel(const char *uuid, const char *file)
{
	return file ? xasprintf(MDEV_BUS_DEVICES "/%s/%s", uuid, file)
		    : xasprintf(MDEV_BUS_DEVICES "/%s", uuid);
}

/* The name a symlink's target ends in, and the one before it (NULL if it has none), when the
 * target can be read lexically: no "." or ".." after its leading "../" steps. Then, in a tree
 * whose directories are real (sysfs, and every fixture we know), the lexical names equal the
 * canonical ones upstream computes, at one syscall instead of a path walk per component. */
static bool lexical_tail(char *target, const char **last, const char **before)
{
	char *p = target;
	while (!strncmp(p, "../", 3))
		p += 3;
	*last = *before = NULL;
	for (char *c = p; *c;) {
		char *slash = strchr(c, '/');
		size_t n = slash ? (size_t)(slash - c) : strlen(c);
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		*before = *last;
		*last = c;
		if (!slash)
			break;
		*slash = '\0';
		c = slash + 1;
	}
	return *last != NULL;
}

/* readlinkat(dir/name), dir through the cache; NUL-terminated. */
static ssize_t read_link(struct mdev_ctx *ctx, struct dircache *dc, const char *dir,
			 const char *name, char *buf, size_t sz)
{
	char path[PATH_MAX];
	int fd = dircache_at(ctx, dc, dir, name, path, sizeof(path));
	if (fd < 0)
		return fd;
	ssize_t n = readlinkat(fd, path, buf, sz - 1);
	if (n < 0)
		return -errno;
	if ((size_t)n >= sz - 1)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return n;
}

/* Fast path of C-18 with two readlinkat() calls: 1 found, -ENOENT no such entry, 0 could not
 * decide. */
static int load_fast(struct mdev_ctx *ctx, struct dircache *dc, const char *uuid,
		     char **ret_parent, char **ret_type)
{
	char dl[PATH_MAX], dir[PATH_MAX], name[PATH_MAX], tl[PATH_MAX];
	const char *dlast, *parent, *type, *tbefore;
	ssize_t n = read_link(ctx, dc, MDEV_BUS_DEVICES, uuid, dl, sizeof(dl));
	if (n == -ENOENT)
		return -ENOENT; /* no entry at all (a dangling link would still read) */
	/* the device directory is <dir>/<name>: <dir> is cached, as all devices of a parent
	 * share it */
	char *slash = strrchr(dl, '/');
	if (n < 0 || !slash)
		return 0;
	snprintf(dir, sizeof(dir), dl[0] == '/' ? "%.*s" : MDEV_BUS_DEVICES "/%.*s",
		 (int)(slash - dl), dl);
	snprintf(name, sizeof(name), "%s/mdev_type", slash + 1);
	if (!lexical_tail(dl, &dlast, &parent) || !parent)
		return 0;
	/* reading mdev_type through the device link also proves the link does not dangle */
	if (read_link(ctx, dc, dir, name, tl, sizeof(tl)) < 0 || !lexical_tail(tl, &type, &tbefore))
		return 0;
	*ret_parent = strdup(parent);
	*ret_type = strdup(type);
	if (!*ret_parent || !*ret_type) {
		free(*ret_parent);
		free(*ret_type);
		return -ENOMEM;
	}
	return 1;
}

/* C-18 as upstream does it: existence, then the canonical paths. */
static int load_slow(struct mdev_ctx *ctx, const char *rel, const char *trel, char **ret_parent,
		     char **ret_type)
{
	_cleanup_free_ char *canon = NULL;
	if (!root_exists(ctx, rel))
		return 0;
	int r = root_canonical_path(ctx, rel, &canon);
	if (r < 0)
		return lib_error_bare_os(ctx, -r);
	char *slash = strrchr(canon, '/');
	if (slash)
		*slash = '\0';
	const char *parent = strrchr(canon, '/');
	parent = parent ? parent + 1 : canon;
	if (!*parent)
		return lib_error(ctx, EINVAL, "Invalid path");
	r = root_canonical_basename(ctx, trel, ret_type);
	if (r < 0)
		return lib_error_bare_os(ctx, -r);
	if (!(*ret_parent = strdup(parent))) {
		free(*ret_type);
		return lib_error(ctx, ENOMEM, "out of memory");
	}
	return 1;
}

int sysfs_load_device(struct mdev_ctx *ctx, struct mdev_device *dev)
{
	return sysfs_load_device_dc(ctx, NULL, dev);
}

int sysfs_load_device_dc(struct mdev_ctx *ctx, struct dircache *dc, struct mdev_device *dev)
{
	_cleanup_free_ char *parent = NULL, *type = NULL;
	int r = load_fast(ctx, dc, dev->uuid, &parent, &type);
	if (r == -ENOENT)
		return 0;
	if (r == 0) {
		char rel[sizeof(MDEV_BUS_DEVICES) + MDEV_UUID_LEN + 2];
		char trel[sizeof(rel) + sizeof("/mdev_type")];
		snprintf(rel, sizeof(rel), MDEV_BUS_DEVICES "/%s", dev->uuid);
		snprintf(trel, sizeof(trel), "%s/mdev_type", rel);
		r = load_slow(ctx, rel, trel, &parent, &type);
	}
	if (r <= 0)
		return r == -ENOMEM ? lib_error(ctx, ENOMEM, "out of memory") : r;
	if (dev->parent && strcmp(dev->parent, parent)) {
		log_debug(ctx, "Active mdev %s has different parent: %s!=%s. No match.", dev->uuid,
			  dev->parent, parent);
		return 0;
	}
	if (dev->type && strcmp(dev->type, type)) {
		log_debug(ctx, "Active mdev %s has different type: %s!=%s. No match.", dev->uuid,
			  dev->type, type);
		return 0;
	}
	if (!dev->parent)
		dev->parent = TAKE_PTR(parent);
	if (!dev->type)
		dev->type = TAKE_PTR(type);
	dev->active = true;
	return 0;
}

int mdev_device_lookup_active(struct mdev_ctx *ctx, const char *uuid, char **ret_parent,
			      char **ret_type)
{
	_cleanup_device_ struct mdev_device dev = { 0 };
	if (mdev_uuid_parse(uuid, dev.uuid) < 0)
		return lib_error(ctx, EINVAL, "Invalid UUID '%s'", uuid);
	int r = sysfs_load_device(ctx, &dev);
	if (r < 0 || !dev.active)
		return r;
	if (ret_parent)
		*ret_parent = TAKE_PTR(dev.parent);
	if (ret_type)
		*ret_type = TAKE_PTR(dev.type);
	return 1;
}

static int find_parent_dir(struct mdev_ctx *ctx, const char *parent)
{
	_cleanup_free_ char *rel = xasprintf(MDEV_CLASS "/%s", parent);
	if (!rel)
		return lib_error(ctx, ENOMEM, "out of memory");
	if (root_is_dir(ctx, rel))
		return 0;
	char **names = NULL;
	size_t n = 0;
	int r = root_list_dir(ctx, MDEV_CLASS, &names, NULL, &n);
	if (r < 0)
		return lib_error_bare_os(ctx, -r);
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(names[i], parent))
			continue;
		r = lib_error(ctx, ENOENT, "Unable to find parent device '%s'. Did you mean '%s'?",
			      parent, names[i]);
		strv_free(names, n);
		return r;
	}
	strv_free(names, n);
	return lib_error(ctx, ENOENT, "Unable to find parent device '%s'", parent);
}

/* C-51: checks, then the UUID into the type's create file. */
static int create(struct mdev_ctx *ctx, struct mdev_device *dev)
{
	struct mdev_device existing = { 0 };
	memcpy(existing.uuid, dev->uuid, sizeof(existing.uuid));
	int r = sysfs_load_device(ctx, &existing);
	bool running = r == 0 && existing.active;
	bool same_parent = running && !strcmp(existing.parent, dev->parent);
	bool same_type = running && !strcmp(existing.type, dev->type);
	mdev_device_clear(&existing);
	if (running)
		return lib_error(ctx, EEXIST, "%s",
				 !same_parent ? "Device exists under different parent" :
				 !same_type ? "Device exists with different type" :
					      "Device already exists");
	r = find_parent_dir(ctx, dev->parent);
	if (r < 0)
		return r;
	_cleanup_free_ char *types = xasprintf(MDEV_CLASS "/%s/mdev_supported_types", dev->parent);
	_cleanup_free_ char *tdir = xasprintf("%s/%s", types ? types : "", dev->type);
	_cleanup_free_ char *avail = xasprintf("%s/available_instances", tdir ? tdir : "");
	_cleanup_free_ char *cfile = xasprintf("%s/create", tdir ? tdir : "");
	if (!types || !tdir || !avail || !cfile)
		return lib_error(ctx, ENOMEM, "out of memory");
	if (!root_is_dir(ctx, types))
		return lib_error(ctx, ENODEV, "Parent %s is not currently registered for mdev support",
				 dev->parent);
	if (!root_is_dir(ctx, tdir))
		return lib_error(ctx, ENOENT, "Parent %s does not support mdev type %s", dev->parent,
				 dev->type);
	_cleanup_free_ char *text = NULL;
	ssize_t n = root_read_file(ctx, avail, &text);
	if (n < 0)
		return lib_error_bare_os(ctx, (int)-n);
	int count;
	r = parse_i32(ctx, trim(text), &count);
	if (r < 0)
		return r;
	if (count == 0)
		return lib_error(ctx, ENOSPC, "No available instances of %s on %s", dev->type,
				 dev->parent);
	r = root_write_file(ctx, cfile, dev->uuid, strlen(dev->uuid));
	if (r < 0)
		return lib_error_os(ctx, -r, "Failed to create mdev %s, type %s on %s", dev->uuid,
				    dev->type, dev->parent);
	dev->active = true;
	return 0;
}

int sysfs_remove_device(struct mdev_ctx *ctx, const char *uuid)
{
	_cleanup_free_ char *rel = dev_rel(uuid, "remove");
	if (!rel)
		return lib_error(ctx, ENOMEM, "out of memory");
	int r = root_write_file(ctx, rel, "1", 1);
	if (r < 0)
		return lib_error_os(ctx, -r, "Error removing device %s", uuid);
	return 0;
}

static int write_attr(struct mdev_ctx *ctx, const char *uuid, const struct mdev_attr *a)
{
	_cleanup_free_ char *rel = dev_rel(uuid, a->name);
	if (!rel)
		return lib_error(ctx, ENOMEM, "out of memory");
	if (!is_safe_name(a->name) || !root_exists(ctx, rel))
		return lib_error(ctx, ENOENT, "Invalid attribute '%s'", a->name);
	int r = root_write_file(ctx, rel, a->value, strlen(a->value));
	if (r < 0)
		return lib_error_os(ctx, -r, "Failed to write %s to attribute %s", a->value, a->name);
	return 0;
}

/* C-51, C-52: create, then the attributes in order; on a failed attribute the new device is
 * removed again and the attribute's error returned (or the removal's, if that fails too). */
int sysfs_create_device(struct mdev_ctx *ctx, struct mdev_device *dev)
{
	int r = create(ctx, dev);
	if (r < 0)
		return r;
	for (size_t i = 0; i < dev->n_attrs; i++) {
		r = write_attr(ctx, dev->uuid, &dev->attrs[i]);
		if (r < 0) {
			/* keep the attribute error unless the removal fails */
			struct saved_error e = lib_error_save(ctx);
			int rr = sysfs_remove_device(ctx, dev->uuid);
			if (rr < 0) {
				strv_free(e.causes, e.n_causes);
				free(e.msg);
				return rr;
			}
			lib_error_restore(ctx, &e);
			dev->active = false;
			return r;
		}
	}
	return 0;
}
