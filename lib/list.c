/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Enumerating devices: running ones from sys/bus/mdev/devices (C-31) and defined ones from
 * etc/mdevctl.d (C-20, C-32), each sorted by parent then UUID. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* The config directories of the parents seen so far, each listed once (a listing of every
 * device; for one UUID a lookup is cheaper). */
struct config_sets {
	size_t n;
	char *parent[16];
	struct uuid_set set[16];
};

static void config_sets_clear(struct config_sets *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->parent[i]);
		uuid_set_clear(&cs->set[i]);
	}
	cs->n = 0;
}

/* false when parent certainly has no config named uuid */
static bool config_may_exist(struct mdev_ctx *ctx, struct config_sets *cs, const char *parent,
			     const char *uuid)
{
	size_t i = 0;
	while (i < cs->n && strcmp(cs->parent[i], parent))
		i++;
	if (i == cs->n) {
		if (cs->n == sizeof(cs->parent) / sizeof(cs->parent[0]))
			return true;
		_cleanup_free_ char *rel = xasprintf(CONFIG_DIR "/%s", parent);
		if (!rel || !(cs->parent[i] = strdup(parent)))
			return true;
		uuid_set_load(ctx, rel, &cs->set[i]);
		cs->n++;
	}
	return uuid_set_may_contain(&cs->set[i], uuid);
}

int mdev_list_active(struct mdev_ctx *ctx, const char *uuid, const char *parent,
		     struct mdev_device_list *ret_list)
{
	__attribute__((cleanup(config_sets_clear))) struct config_sets cs = { 0 };
	struct mdev_device_list list = { 0 };
	_cleanup_dircache_ struct dircache dc = { 0 };
	char **names = NULL;
	size_t n = 0;
	callout_cache_free(ctx); /* scripts and their answers are read afresh per operation */
	if (root_list_dir(ctx, MDEV_BUS_DEVICES, &names, NULL, &n) < 0) {
		*ret_list = list; /* no bus: nothing runs */
		return 0;
	}
	int r = 0;
	for (size_t i = 0; i < n && r >= 0; i++) {
		struct mdev_device dev = { 0 };
		if (mdev_uuid_parse(names[i], dev.uuid) < 0) {
			log_warn(ctx, "Can't determine uuid for file '%s'", names[i]);
			continue;
		}
		if (uuid && strcmp(uuid, dev.uuid))
			continue;
		/* An entry that cannot be resolved (no mdev_type link, dangling, vanished, or
		 * named in a non-canonical form) is skipped: upstream fails the whole listing for
		 * some of these (C-75). */
		if (sysfs_load_device_dc(ctx, &dc, &dev) < 0 || !dev.active ||
		    (parent && strcmp(parent, dev.parent))) {
			lib_error_clear(ctx);
			mdev_device_clear(&dev);
			continue;
		}
		/* start mode from the config if it parses; "(defined)" if it merely exists */
		struct mdev_device cfg = { 0 };
		memcpy(cfg.uuid, dev.uuid, sizeof(cfg.uuid));
		int c = uuid || config_may_exist(ctx, &cs, dev.parent, dev.uuid) ?
				config_read(ctx, &dc, dev.parent, dev.uuid, &cfg) :
				-ENOENT;
		dev.autostart = c == 0 && cfg.autostart;
		dev.defined = c != -ENOENT;
		mdev_device_clear(&cfg);
		lib_error_clear(ctx);
		callout_get_attributes(ctx, &dev); /* errors ignored, as upstream (C-31) */
		lib_error_clear(ctx);
		r = device_list_push(&list, &dev);
		mdev_device_clear(&dev);
	}
	strv_free(names, n);
	if (r < 0) {
		mdev_device_list_clear(&list);
		return lib_error(ctx, -r, "out of memory");
	}
	device_list_sort(&list);
	*ret_list = list;
	return 0;
}

/* How warnings name dir/name: the path as the user knows it (NULL when out of memory). */
static char *file_debug(struct mdev_ctx *ctx, const char *dir, const char *name)
{
	_cleanup_free_ char *rel = xasprintf("%s/%s", dir, name);
	return rel ? root_path_debug(ctx, rel) : NULL;
}

/* One config file, dir/name (dir being the parent's config directory): warn-and-skip cases
 * return 0 without adding anything. */
static int load_one(struct mdev_ctx *ctx, struct dircache *dc, const char *dir,
		    const char *parent, const char *name, unsigned char dtype, const char *uuid,
		    bool strict, const struct uuid_set *bus, struct mdev_device_list *list)
{
	if (dtype == DT_UNKNOWN) {
		_cleanup_free_ char *p = file_debug(ctx, dir, name);
		log_warn(ctx, "unable to access file %s: %s", p ? p : name, strerror(EIO));
		return 0;
	}
	if (dtype != DT_REG || !strncmp(name, TMP_PREFIX, strlen(TMP_PREFIX)))
		return 0;
	_cleanup_device_ struct mdev_device dev = { 0 };
	if (mdev_uuid_parse(name, dev.uuid) < 0) {
		log_warn(ctx, "Can't determine uuid for file '%s'", name);
		return 0;
	}
	if (uuid && strcmp(uuid, dev.uuid))
		return 0;
	if (strcmp(name, dev.uuid)) {
		/* upstream lists it but every later lookup misses it (C-28, C-78) */
		_cleanup_free_ char *p = file_debug(ctx, dir, name);
		log_warn(ctx, "Ignoring %s: a config file's name must be a lowercase hyphenated UUID",
			 p ? p : name);
		return 0;
	}
	if (!(dev.parent = strdup(parent)))
		return lib_error(ctx, ENOMEM, "out of memory");
	_cleanup_close_ int fd = dircache_openat(ctx, dc, dir, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		char buf[256];
		_cleanup_free_ char *p = file_debug(ctx, dir, name);
		log_warn(ctx, "Unable to open file %s: %s", p ? p : name,
			 os_error_text(-fd, buf, sizeof(buf)));
		return 0;
	}
	_cleanup_free_ char *text = NULL;
	ssize_t n = fd_read_file(fd, &text);
	close(fd);
	fd = -1;
	int r = n < 0 ? lib_error_bare_os(ctx, (int)-n) : 0;
	if (r == 0)
		r = mdev_config_parse(ctx, text, (size_t)n, &dev);
	if (r < 0) {
		if (strict)
			return r;
		/* one bad file must not hide the others (our fix of C-70) */
		_cleanup_free_ char *p = file_debug(ctx, dir, name);
		log_warn(ctx, "Skipping %s: %s", p ? p : name, mdev_ctx_error_message(ctx));
		lib_error_clear(ctx);
		return 0;
	}
	dev.defined = true;
	r = uuid_set_may_contain(bus, dev.uuid) ? sysfs_load_device_dc(ctx, dc, &dev) : 0;
	if (r < 0)
		return r;
	return device_list_push(list, &dev) < 0 ? lib_error(ctx, ENOMEM, "out of memory") : 0;
}

/* strict: a config that does not parse fails the call (used when the caller asked for that
 * UUID); otherwise it is reported as a warning and skipped. */
int list_defined_raw(struct mdev_ctx *ctx, const char *uuid, const char *parent, bool strict,
		     struct mdev_device_list *ret)
{
	struct mdev_device_list list = { 0 };
	_cleanup_dircache_ struct dircache dc = { 0 };
	/* which devices run, from one listing of the bus rather than a lookup per config */
	_cleanup_uuid_set_ struct uuid_set bus = { 0 };
	if (!uuid)
		uuid_set_load(ctx, MDEV_BUS_DEVICES, &bus);
	char **parents = NULL, **names = NULL;
	unsigned char *ptypes = NULL, *types = NULL;
	size_t np = 0, n = 0;
	int r = root_list_dir(ctx, CONFIG_DIR, &parents, &ptypes, &np);
	if (r < 0)
		return lib_error_bare_os(ctx, -r);
	for (size_t i = 0; i < np && r >= 0; i++) {
		/* only real directories are parents; symlinks and files are skipped (C-20) */
		if ((parent && strcmp(parent, parents[i])) || ptypes[i] != DT_DIR)
			continue;
		_cleanup_free_ char *rel = xasprintf(CONFIG_DIR "/%s", parents[i]);
		if (!rel) {
			r = lib_error(ctx, ENOMEM, "out of memory");
			break;
		}
		r = root_list_dir(ctx, rel, &names, &types, &n);
		if (r < 0) {
			char buf[256];
			_cleanup_free_ char *p = root_path_debug(ctx, rel);
			log_warn(ctx, "Unable to read directory %s: %s", p ? p : rel,
				 os_error_text(-r, buf, sizeof(buf)));
			r = 0;
			continue;
		}
		for (size_t j = 0; j < n && r >= 0; j++)
			r = load_one(ctx, &dc, rel, parents[i], names[j], types[j], uuid, strict,
				     &bus, &list);
		strv_free(names, n);
		free(types);
		names = NULL;
		types = NULL;
	}
	strv_free(parents, np);
	free(ptypes);
	if (r < 0) {
		mdev_device_list_clear(&list);
		return r;
	}
	device_list_sort(&list);
	*ret = list;
	return 0;
}

int mdev_list_defined(struct mdev_ctx *ctx, const char *uuid, const char *parent,
		      struct mdev_device_list *ret_list)
{
	return list_defined_raw(ctx, uuid, parent, uuid != NULL, ret_list);
}
