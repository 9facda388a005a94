/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Parents and their supported types from sys/class/mdev_bus (C-36). */
#include <dirent.h>
#include <errno.h>
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

/* Read a file of the type directory dfd, trimmed; -ENOENT when absent. */
static int read_trimmed(int dfd, const char *file, char **ret)
{
	_cleanup_close_ int fd = openat(dfd, file, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *text = NULL;
	if (fd < 0)
		return -errno;
	ssize_t n = fd_read_file(fd, &text);
	if (n < 0)
		return (int)n;
	*ret = strdup(trim(text));
	return *ret ? 0 : -ENOMEM;
}

static int load_type(struct mdev_ctx *ctx, const char *dir, const char *id,
		     struct mdev_type_info *t)
{
	_cleanup_free_ char *tdir = xasprintf("%s/%s", dir, id), *avail = NULL;
	if (!tdir || !(t->id = strdup(id)))
		return lib_error(ctx, ENOMEM, "out of memory");
	/* one path walk for the type, then one component per file */
	_cleanup_close_ int tfd = openat(ctx->root_fd, tdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tfd < 0)
		return lib_error_bare_os(ctx, errno);
	int r = read_trimmed(tfd, "available_instances", &avail);
	if (r < 0)
		return lib_error_bare_os(ctx, -r);
	r = parse_i32(ctx, avail, &t->available_instances);
	if (r < 0)
		return r;
	r = read_trimmed(tfd, "device_api", &t->device_api);
	if (r < 0)
		return lib_error_bare_os(ctx, -r);
	r = read_trimmed(tfd, "name", &t->name);
	if (r < 0 && r != -ENOENT)
		return lib_error_bare_os(ctx, -r);
	r = read_trimmed(tfd, "description", &t->description);
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

static int load_parent(struct mdev_ctx *ctx, const char *name, struct mdev_parent_info *p)
{
	_cleanup_free_ char *dir = xasprintf(MDEV_CLASS "/%s/mdev_supported_types", name);
	char **ids = NULL;
	unsigned char *dtypes = NULL;
	size_t n = 0;
	if (!dir || !(p->name = strdup(name)))
		return lib_error(ctx, ENOMEM, "out of memory");
	int r = root_list_dir(ctx, dir, &ids, &dtypes, &n);
	if (r < 0)
		return lib_error_bare_os(ctx, -r);
	p->types = calloc(n ? n : 1, sizeof(*p->types));
	if (!p->types)
		r = lib_error(ctx, ENOMEM, "out of memory");
	for (size_t i = 0; i < n && r >= 0; i++) {
		if (dtypes[i] != DT_DIR) /* a type is a real directory */
			continue;
		r = load_type(ctx, dir, ids[i], &p->types[p->n_types]);
		p->n_types++;
	}
	strv_free(ids, n);
	free(dtypes);
	return r;
}

int mdev_list_types(struct mdev_ctx *ctx, const char *parent, struct mdev_parent_list *ret_list)
{
	struct mdev_parent_list list = { 0 };
	char **names = NULL;
	size_t n = 0;
	if (root_list_dir(ctx, MDEV_CLASS, &names, NULL, &n) < 0) {
		*ret_list = list;
		return 0;
	}
	int r = 0;
	list.parents = calloc(n ? n : 1, sizeof(*list.parents));
	if (!list.parents)
		r = lib_error(ctx, ENOMEM, "out of memory");
	for (size_t i = 0; i < n && r >= 0; i++) {
		if (parent && strcmp(parent, names[i]))
			continue;
		struct mdev_parent_info *p = &list.parents[list.n++];
		r = load_parent(ctx, names[i], p);
	}
	strv_free(names, n);
	if (r < 0) {
		mdev_parent_list_clear(&list);
		return r;
	}
	*ret_list = list;
	return 0;
}
