/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Parents and their supported types from sys/class/mdev_bus (C-36). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "internal.h"

static void type_clear(struct mdev_type_info *t)
{
	free(t->id);
	free(t->device_api);
	free(t->name);
	free(t->description);
}

void mdev_parent_list_clear(struct mdev_parent_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		struct mdev_parent_info *p = &list->parents[i];
		for (size_t j = 0; j < p->n_types; j++)
			type_clear(&p->types[j]);
		free(p->types);
		free(p->name);
	}
	free(list->parents);
	list->parents = NULL;
	list->n = 0;
}

/* A file of a type, tdir/file relative to dfd, trimmed; -ENOENT when absent. */
static int read_trimmed(int dfd, const char *tdir, const char *file, char **ret)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof(path), "%s/%s", tdir, file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	_cleanup_close_ int fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *text = NULL;
	if (fd < 0)
		return -errno;
	ssize_t n = fd_read_file(fd, &text);
	if (n < 0)
		return (int)n;
	*ret = strdup(trim(text));
	return *ret ? 0 : -ENOMEM;
}

static int load_type(struct mdev_ctx *ctx, struct dircache *dc, const char *dir,
		     const char *id, struct mdev_type_info *t)
{
	_cleanup_free_ char *avail = NULL;
	if (!(t->id = strdup(id)))
		return lib_error(ctx, ENOMEM, "out of memory");
	/* each file as id/file from the parent's types directory, opened once per thread:
	 * no open and close of the type's own directory (0.16 ms of 1.8 for 200 types) */
	char tdir[PATH_MAX];
	int dfd = dircache_at(ctx, dc, dir, id, tdir, sizeof(tdir));
	if (dfd < 0)
		return lib_error_bare_os(ctx, -dfd);
	int r = read_trimmed(dfd, tdir, "available_instances", &avail);
	if (r < 0)
		return lib_error_bare_os(ctx, -r);
	r = parse_i32(ctx, avail, &t->available_instances);
	if (r < 0)
		return r;
	r = read_trimmed(dfd, tdir, "device_api", &t->device_api);
	if (r < 0)
		return lib_error_bare_os(ctx, -r);
	r = read_trimmed(dfd, tdir, "name", &t->name);
	if (r < 0 && r != -ENOENT)
		return lib_error_bare_os(ctx, -r);
	r = read_trimmed(dfd, tdir, "description", &t->description);
	if (r < 0 && r != -ENOENT)
		return lib_error_bare_os(ctx, -r);
	if (t->description) {
		/* each newline becomes ", " */
		size_t nl = 0, len = strlen(t->description);
		for (const char *p = t->description; *p; p++)
			nl += *p == '\n';
		char *d = malloc(len + nl + 1), *o = d;
		if (!d)
			return lib_error(ctx, ENOMEM, "out of memory");
		for (const char *p = t->description; *p; p++) {
			if (*p == '\n') {
				*o++ = ',';
				*o++ = ' ';
			} else {
				*o++ = *p;
			}
		}
		*o = '\0';
		free(t->description);
		t->description = d;
	}
	if (t->name && !*t->name) {
		free(t->name);
		t->name = NULL;
	}
	if (t->description && !*t->description) {
		free(t->description);
		t->description = NULL;
	}
	return 0;
}

/* One parent's type directories, listed: the types to load are its items
 * [first, first + p->n_types); the listing's error is reported in its place. */
struct parent_dir {
	struct dir_listing l;
	size_t first;
};

/* Every type of every parent as one run of items, for par_for(). */
struct type_items {
	struct parent_dir *dirs;
	size_t *dir_of;
	const char **id;
	struct mdev_type_info **t;
};

static int load_item(struct mdev_ctx *wctx, struct dircache *dc, void *data, size_t i)
{
	struct type_items *it = data;
	return load_type(wctx, dc, it->dirs[it->dir_of[i]].l.rel, it->id[i], it->t[i]);
}

/* The parent's types directory listed into d, and p's type slots made for its real
 * directories; *items counts them. */
static int list_parent(struct mdev_ctx *ctx, const char *name, struct mdev_parent_info *p,
		       struct parent_dir *d, size_t *items)
{
	d->first = *items;
	if (!(d->l.rel = xasprintf(MDEV_CLASS "/%s/mdev_supported_types", name)) ||
	    !(p->name = strdup(name)))
		return -ENOMEM;
	dir_listing_read(ctx, &d->l);
	if (d->l.err < 0)
		return 0;
	if (!(p->types = calloc(d->l.n ? d->l.n : 1, sizeof(*p->types))))
		return -ENOMEM;
	for (size_t i = 0; i < d->l.n; i++)
		*items += d->l.types[i] == DT_DIR; /* a type is a real directory */
	return 0;
}

/* The items of the parents listed, in order. */
static int make_items(struct mdev_parent_list *list, struct parent_dir *dirs, size_t n,
		      struct type_items *it)
{
	it->dirs = dirs;
	it->dir_of = malloc((n ? n : 1) * sizeof(*it->dir_of));
	it->id = malloc((n ? n : 1) * sizeof(*it->id));
	it->t = malloc((n ? n : 1) * sizeof(*it->t));
	if (!it->dir_of || !it->id || !it->t)
		return -ENOMEM;
	for (size_t k = 0, i = 0; k < list->n; k++) {
		struct mdev_parent_info *p = &list->parents[k];
		for (size_t j = 0; j < dirs[k].l.n; j++) {
			if (dirs[k].l.types[j] != DT_DIR)
				continue;
			it->dir_of[i] = k;
			it->id[i] = dirs[k].l.names[j];
			it->t[i++] = &p->types[p->n_types++];
		}
	}
	return 0;
}

int mdev_list_types(struct mdev_ctx *ctx, const char *parent, struct mdev_parent_list *ret_list)
{
	struct mdev_parent_list list = { 0 };
	char **names = NULL;
	size_t n = 0, items = 0;
	if (root_list_dir(ctx, MDEV_CLASS, &names, NULL, &n) < 0) {
		*ret_list = list;
		return 0;
	}
	struct parent_dir *dirs = calloc(n ? n : 1, sizeof(*dirs));
	struct type_items it = { 0 };
	struct par_run run = { 0 };
	list.parents = calloc(n ? n : 1, sizeof(*list.parents));
	int r = dirs && list.parents ? 0 : -ENOMEM;
	for (size_t i = 0; i < n && r >= 0; i++) {
		if (parent && strcmp(parent, names[i]))
			continue;
		r = list_parent(ctx, names[i], &list.parents[list.n], &dirs[list.n], &items);
		list.n++;
	}
	if (r >= 0)
		r = make_items(&list, dirs, items, &it);
	r = r < 0 ? lib_error(ctx, ENOMEM, "out of memory") :
		    par_for(ctx, items, par_threads(ctx, items), load_item, &it, &run);
	/* in order: a parent whose types cannot be listed, or the first type that fails to
	 * load, ends the listing */
	for (size_t k = 0; r >= 0 && k < list.n; k++) {
		if (dirs[k].l.err < 0)
			r = lib_error_bare_os(ctx, -dirs[k].l.err);
		size_t end = dirs[k].first + list.parents[k].n_types;
		for (size_t i = dirs[k].first; r >= 0 && i < end; i++)
			r = par_replay(ctx, &run, i);
	}
	par_run_clear(&run);
	free(it.dir_of);
	free(it.id);
	free(it.t);
	for (size_t k = 0; dirs && k < list.n; k++) {
		dir_listing_clear(&dirs[k].l);
	}
	free(dirs);
	strv_free(names, n);
	if (r < 0) {
		mdev_parent_list_clear(&list);
		return r;
	}
	*ret_list = list;
	return 0;
}
