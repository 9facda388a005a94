/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Enumerating devices: running ones from sys/bus/mdev/devices (C-31) and defined ones from
 * etc/mdevctl.d (C-20, C-32), each sorted by parent then UUID. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* The directories a listing starts from (the bus, the parents' config directories), each one
 * item of a par_for(): with two threads, the bus is listed while the config directories are.
 * An item either loads a UUID set or lists names; its rel NULL: nothing to do. */
static int list_dir_item(struct mdev_ctx *wctx, struct dircache *dc, void *data, size_t i)
{
	struct dir_listing *l = (struct dir_listing *)data + i;
	(void)dc;
	if (l->rel && l->set)
		uuid_set_load(wctx, l->rel, l->set);
	else if (l->rel)
		dir_listing_read(wctx, l);
	return 0;
}

/* Config directories larger than one 4 KiB block hold more than about 90 entries on ext4 (200
 * on tmpfs), enough for a second thread to pay. The bus is not asked: sysfs reports no size, and
 * a long bus with few configs leaves nothing to overlap. */
static bool dirs_look_long(struct mdev_ctx *ctx, const struct dir_listing *l, size_t n)
{
	struct stat st;
	for (size_t i = 0; i < n; i++)
		if (l[i].rel && fstatat(ctx->root_fd, l[i].rel, &st, 0) == 0 && st.st_size > 4096)
			return true;
	return false;
}

/* Every item of l listed (l[0] the bus, the others config directories); 0, or -ENOMEM with the
 * error in ctx. */
static int list_dirs(struct mdev_ctx *ctx, struct dir_listing *l, size_t n)
{
	struct par_run run;
	unsigned threads = par_threads_for(ctx, n, n > 1 && dirs_look_long(ctx, l + 1, n - 1));
	int r = par_for(ctx, n, threads, list_dir_item, l, &run);
	for (size_t i = 0; r == 0 && i < n; i++)
		r = par_replay(ctx, &run, i);
	par_run_clear(&run);
	return r;
}

static void dir_listings_free(struct dir_listing *l, size_t n)
{
	for (size_t i = 0; l && i < n; i++)
		dir_listing_clear(&l[i]);
	free(l);
}

/* The config directories of the parents, each listed once (a listing of every device; for one
 * UUID a lookup is cheaper): those in etc/mdevctl.d before the devices are read
 * (active_listings); any other by the first of a listing's threads to need it, under the lock.
 * A set, once loaded, is only read. */
struct config_sets {
	pthread_mutex_t lock;
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
	pthread_mutex_destroy(&cs->lock);
}

/* false when parent certainly has no config named uuid */
static bool config_may_exist(struct mdev_ctx *ctx, struct config_sets *cs, const char *parent,
			     const char *uuid)
{
	pthread_mutex_lock(&cs->lock);
	size_t i = 0;
	while (i < cs->n && strcmp(cs->parent[i], parent))
		i++;
	if (i == cs->n) {
		_cleanup_free_ char *rel = NULL;
		if (cs->n == ARRAY_SIZE(cs->parent) ||
		    !(rel = xasprintf(CONFIG_DIR "/%s", parent)) ||
		    !(cs->parent[i] = strdup(parent))) {
			pthread_mutex_unlock(&cs->lock);
			return true;
		}
		uuid_set_load(ctx, rel, &cs->set[i]);
		cs->n++;
	}
	pthread_mutex_unlock(&cs->lock);
	return uuid_set_may_contain(&cs->set[i], uuid);
}

/* The running devices as items, for par_for(): each entry of the bus resolved, with its config's
 * start mode, into devs[i] (got[i] set) unless it is skipped. */
struct active_items {
	const char *uuid, *parent;
	char **names;
	struct config_sets *cs;
	struct mdev_device *devs;
	bool *got;
};

static int load_active(struct mdev_ctx *ctx, struct dircache *dc, void *data, size_t i)
{
	struct active_items *it = data;
	_cleanup_device_ struct mdev_device dev = { 0 };
	if (mdev_uuid_parse(it->names[i], dev.uuid) < 0) {
		log_warn(ctx, "Can't determine uuid for file '%s'", it->names[i]);
		return 0;
	}
	if (it->uuid && strcmp(it->uuid, dev.uuid))
		return 0;
	/* An entry that cannot be resolved (no mdev_type link, dangling, vanished, or named in a
	 * non-canonical form) is skipped: upstream fails the whole listing for some of these
	 * (C-75). */
	if (sysfs_load_device_dc(ctx, dc, &dev) < 0 || !dev.active ||
	    (it->parent && strcmp(it->parent, dev.parent))) {
		lib_error_clear(ctx);
		return 0;
	}
	/* start mode from the config if it parses; "(defined)" if it merely exists */
	_cleanup_device_ struct mdev_device cfg = { 0 };
	memcpy(cfg.uuid, dev.uuid, sizeof(cfg.uuid));
	int c = it->uuid || config_may_exist(ctx, it->cs, dev.parent, dev.uuid) ?
			config_read(ctx, dc, dev.parent, dev.uuid, &cfg) :
			-ENOENT;
	dev.autostart = c == 0 && cfg.autostart;
	dev.defined = c != -ENOENT;
	lib_error_clear(ctx);
	it->devs[i] = dev;
	dev = (struct mdev_device){ 0 };
	it->got[i] = true;
	return 0;
}

/* Listings fill one slot per item, then keep the filled ones: slot i moves down to the end of
 * list (whose devices are the slots), so the order stays the items'. */
static void keep_slot(struct mdev_device_list *list, size_t i)
{
	if (list->n != i) {
		list->devices[list->n] = list->devices[i];
		list->devices[i] = (struct mdev_device){ 0 };
	}
	list->n++;
}

/* Every slot, kept or not, of a listing that failed part-way. */
static void slots_free(struct mdev_device *slots, size_t n)
{
	for (size_t i = 0; slots && i < n; i++)
		mdev_device_clear(&slots[i]);
	free(slots);
}

/* The kept slots as the result, sorted; an empty one holds no memory. */
static void list_finish(struct mdev_device_list *list, struct mdev_device_list *ret)
{
	if (list->n == 0) {
		free(list->devices);
		list->devices = NULL;
	}
	device_list_sort(list);
	*ret = *list;
}

/* What mdev_list_active starts from, listed: ls[0] the bus; for a listing of every device,
 * ls[1..] the config directories in etc/mdevctl.d, loaded into cs as UUID sets (parents not
 * among them are loaded when first needed, as before). */
static int active_listings(struct mdev_ctx *ctx, const char *uuid, const char *parent,
			   struct config_sets *cs, struct dir_listing **ret, size_t *ret_n)
{
	char **parents = NULL;
	unsigned char *ptypes = NULL;
	size_t np = 0, nl = 0;
	if (uuid || root_list_dir(ctx, CONFIG_DIR, &parents, &ptypes, &np) < 0)
		np = 0;
	struct dir_listing *ls = calloc(np + 1, sizeof(*ls));
	if (ls && (ls[0].rel = strdup(MDEV_BUS_DEVICES)))
		nl = 1;
	for (size_t i = 0; nl && i < np && cs->n < ARRAY_SIZE(cs->parent); i++) {
		if (ptypes[i] != DT_DIR || (parent && strcmp(parent, parents[i])))
			continue;
		if (!(ls[nl].rel = xasprintf(CONFIG_DIR "/%s", parents[i])))
			break;
		cs->parent[cs->n] = TAKE_PTR(parents[i]);
		ls[nl++].set = &cs->set[cs->n++];
	}
	strv_free(parents, np);
	free(ptypes);
	*ret = ls;
	*ret_n = nl;
	return nl ? list_dirs(ctx, ls, nl) : lib_error(ctx, ENOMEM, "out of memory");
}

int mdev_list_active(struct mdev_ctx *ctx, const char *uuid, const char *parent,
		     struct mdev_device_list *ret_list)
{
	__attribute__((cleanup(config_sets_clear))) struct config_sets cs = {
		.lock = PTHREAD_MUTEX_INITIALIZER
	};
	struct mdev_device_list list = { 0 };
	op_begin(ctx);
	struct dir_listing *ls = NULL;
	size_t nl = 0;
	int r = active_listings(ctx, uuid, parent, &cs, &ls, &nl);
	if (r < 0 || ls[0].err < 0) {
		dir_listings_free(ls, nl);
		*ret_list = list; /* no bus: nothing runs */
		return r;
	}
	size_t n = ls[0].n;
	struct active_items it = { .uuid = uuid, .parent = parent, .names = ls[0].names,
				   .cs = &cs };
	it.devs = calloc(n ? n : 1, sizeof(*it.devs));
	it.got = calloc(n ? n : 1, sizeof(*it.got));
	struct par_run run = { 0 };
	list.devices = it.devs;
	r = it.devs && it.got ? par_for(ctx, n, uuid ? 1 : par_threads(ctx, n), load_active, &it,
					&run) :
				lib_error(ctx, ENOMEM, "out of memory");
	/* in order: each entry's messages, then its callout (on this thread only: callouts run
	 * scripts, one at a time, as upstream's do) */
	for (size_t i = 0; r == 0 && i < n; i++) {
		r = par_replay(ctx, &run, i); /* fails only when a log line could not be kept */
		if (r < 0 || !it.got[i])
			continue;
		callout_get_attributes(ctx, &it.devs[i]); /* errors ignored, as upstream (C-31) */
		lib_error_clear(ctx);
		keep_slot(&list, i);
	}
	par_run_clear(&run);
	dir_listings_free(ls, nl);
	free(it.got);
	if (r < 0) {
		slots_free(it.devs, n);
		return r;
	}
	list_finish(&list, ret_list);
	return 0;
}

/* How warnings name dir/name: the path as the user knows it (NULL when out of memory). */
static char *file_debug(struct mdev_ctx *ctx, const char *dir, const char *name)
{
	_cleanup_free_ char *rel = xasprintf("%s/%s", dir, name);
	return rel ? root_path_debug(ctx, rel) : NULL;
}

/* One config file, dir/name (dir being the parent's config directory), into *ret (*got set)
 * or, in the warn-and-skip cases, nowhere with 0. */
static int load_one(struct mdev_ctx *ctx, struct dircache *dc, const char *dir,
		    const char *parent, const char *name, unsigned char dtype, const char *uuid,
		    bool strict, bool keep_big, const struct uuid_set *bus,
		    struct mdev_device *ret, bool *got)
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
	if (n == -EFBIG && keep_big) {
		/* too large to read: listed without type or attributes, so that it can be removed */
		dev.defined = true;
		*ret = dev;
		dev = (struct mdev_device){ 0 };
		*got = true;
		return 0;
	}
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
	*ret = dev;
	dev = (struct mdev_device){ 0 };
	*got = true;
	return 0;
}

/* One parent's config directory: its listing (an error in it is warned about in its place among
 * the others' messages) and where its items start. */
struct defined_dir {
	const char *parent;
	const struct dir_listing *l;
	size_t first; /* its items are [first, first + l->n) */
};

/* The configs of every directory as one run of items, for par_for(). */
struct defined_items {
	const char *uuid;
	bool strict, keep_big;
	const struct uuid_set *bus;
	struct defined_dir *dirs;
	size_t *dir_of;
	struct mdev_device *devs;
	bool *got;
};

static int load_item(struct mdev_ctx *wctx, struct dircache *dc, void *data, size_t i)
{
	struct defined_items *it = data;
	struct defined_dir *d = &it->dirs[it->dir_of[i]];
	size_t j = i - d->first;
	return load_one(wctx, dc, d->l->rel, d->parent, d->l->names[j], d->l->types[j], it->uuid,
			it->strict, it->keep_big, it->bus, &it->devs[i], &it->got[i]);
}

/* The config directories to read, and (for a listing of every device) the bus as a UUID set,
 * listed: ls[0] the bus, ls[k + 1] the directory of dirs[k]. */
static int defined_listings(struct mdev_ctx *ctx, const char *uuid, const char *parent,
			    char **parents, const unsigned char *ptypes, size_t np,
			    struct uuid_set *bus, struct defined_dir *dirs, size_t *ret_nd,
			    struct dir_listing *ls)
{
	size_t nd = 0;
	/* which devices run: from one listing of the bus rather than a lookup per config */
	if (!uuid && !(ls[0].rel = strdup(MDEV_BUS_DEVICES)))
		return lib_error(ctx, ENOMEM, "out of memory");
	ls[0].set = bus;
	for (size_t i = 0; i < np; i++) {
		/* only real directories are parents; symlinks and files are skipped (C-20) */
		if ((parent && strcmp(parent, parents[i])) || ptypes[i] != DT_DIR)
			continue;
		if (!(ls[nd + 1].rel = xasprintf(CONFIG_DIR "/%s", parents[i])))
			return lib_error(ctx, ENOMEM, "out of memory");
		dirs[nd].parent = parents[i];
		dirs[nd].l = &ls[nd + 1];
		nd++;
	}
	*ret_nd = nd;
	return list_dirs(ctx, ls, nd + 1);
}

/* The items' messages in order, and their devices into *list; stops at the first failure. */
static int replay_defined(struct mdev_ctx *ctx, struct defined_dir *dirs, size_t nd,
			  struct defined_items *it, struct par_run *run,
			  struct mdev_device_list *list)
{
	for (size_t k = 0; k < nd; k++) {
		const struct dir_listing *l = dirs[k].l;
		if (l->err < 0) {
			char buf[256];
			_cleanup_free_ char *p = root_path_debug(ctx, l->rel);
			log_warn(ctx, "Unable to read directory %s: %s", p ? p : l->rel,
				 os_error_text(-l->err, buf, sizeof(buf)));
		}
		for (size_t i = dirs[k].first; i < dirs[k].first + l->n; i++) {
			int r = par_replay(ctx, run, i);
			if (r < 0)
				return r;
			if (it->got[i])
				keep_slot(list, i);
		}
	}
	return 0;
}

/* strict: a config that does not parse fails the call (used when the caller asked for that
 * UUID); otherwise it is reported as a warning and skipped. */
static int list_defined(struct mdev_ctx *ctx, const char *uuid, const char *parent, bool strict,
			bool keep_big, struct mdev_device_list *ret)
{
	_cleanup_uuid_set_ struct uuid_set bus = { 0 };
	char **parents = NULL;
	unsigned char *ptypes = NULL;
	size_t np = 0, nd = 0, n = 0;
	int r = root_list_dir(ctx, CONFIG_DIR, &parents, &ptypes, &np);
	if (r < 0)
		return lib_error_bare_os(ctx, -r);
	struct defined_dir *dirs = calloc(np ? np : 1, sizeof(*dirs));
	struct dir_listing *ls = calloc(np + 1, sizeof(*ls));
	struct defined_items it = {
		.uuid = uuid, .strict = strict, .keep_big = keep_big, .bus = &bus, .dirs = dirs
	};
	struct par_run run = { 0 };
	struct mdev_device_list list = { 0 };
	r = dirs && ls ? defined_listings(ctx, uuid, parent, parents, ptypes, np, &bus, dirs, &nd,
					  ls) :
			 lib_error(ctx, ENOMEM, "out of memory");
	for (size_t k = 0; r == 0 && k < nd; k++) {
		dirs[k].first = n;
		n += dirs[k].l->n;
	}
	if (r == 0) {
		it.dir_of = malloc((n ? n : 1) * sizeof(*it.dir_of));
		it.devs = calloc(n ? n : 1, sizeof(*it.devs));
		it.got = calloc(n ? n : 1, sizeof(*it.got));
		if (!it.dir_of || !it.devs || !it.got)
			r = lib_error(ctx, ENOMEM, "out of memory");
	}
	if (r == 0) {
		for (size_t k = 0; k < nd; k++)
			for (size_t i = dirs[k].first; i < dirs[k].first + dirs[k].l->n; i++)
				it.dir_of[i] = k;
		/* one UUID asked for: one file to read, no thread worth starting */
		r = par_for(ctx, n, uuid ? 1 : par_threads(ctx, n), load_item, &it, &run);
	}
	if (r == 0) {
		list.devices = it.devs;
		r = replay_defined(ctx, dirs, nd, &it, &run, &list);
	}
	if (r < 0)
		slots_free(it.devs, n);
	par_run_clear(&run);
	free(it.dir_of);
	free(it.got);
	free(dirs);
	dir_listings_free(ls, np + 1);
	strv_free(parents, np);
	free(ptypes);
	if (r < 0)
		return r;
	list_finish(&list, ret);
	return 0;
}

int list_defined_raw(struct mdev_ctx *ctx, const char *uuid, const char *parent, bool strict,
		     struct mdev_device_list *ret)
{
	return list_defined(ctx, uuid, parent, strict, false, ret);
}

int list_defined_removable(struct mdev_ctx *ctx, const char *uuid, const char *parent,
			   struct mdev_device_list *ret)
{
	return list_defined(ctx, uuid, parent, true, true, ret);
}

int mdev_list_defined(struct mdev_ctx *ctx, const char *uuid, const char *parent,
		      struct mdev_device_list *ret_list)
{
	return list_defined_raw(ctx, uuid, parent, uuid != NULL, ret_list);
}
