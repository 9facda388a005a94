/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Upstream's listing formats: text lines and JSON trees of list and types (C-33..C-38). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* The text of a print function as a malloc'd string (NULL on ENOMEM). */
#define FORMAT_TO_STRING(call)                                     \
	do {                                                       \
		char *s_ = NULL;                                   \
		size_t len_ = 0;                                   \
		FILE *f_ = open_memstream(&s_, &len_);             \
		if (!f_)                                           \
			return NULL;                               \
		int r_ = (call);                                   \
		if (fclose(f_) != 0 || r_ < 0) {                   \
			free(s_);                                  \
			return NULL;                               \
		}                                                  \
		return s_;                                         \
	} while (0)

/* 0, or -errno of the first failed write (stdio keeps the error on the stream) */
static int stream_result(FILE *out)
{
	return ferror(out) ? -(errno ? errno : EIO) : 0;
}

static void put_attrs(FILE *f, const struct mdev_device *dev)
{
	if (!dev->n_attrs)
		return;
	fputs("  Attrs:\n", f);
	/* names and values raw, not JSON-escaped (C-34) */
	for (size_t i = 0; i < dev->n_attrs; i++)
		fprintf(f, "    @{%zu}: {\"%s\":\"%s\"}\n", i, dev->attrs[i].name,
			dev->attrs[i].value);
}

static int print_attrs(FILE *out, const struct mdev_device *dev)
{
	put_attrs(out, dev);
	return stream_result(out);
}

char *mdev_format_attrs(const struct mdev_device *dev)
{
	FORMAT_TO_STRING(print_attrs(f_, dev));
}

int mdev_print_list_text(FILE *out, const struct mdev_device_list *list, bool defined,
			 bool verbose)
{
	/* upstream hides a defined entry whose canonical file is missing (C-33); our listing only
	 * holds canonical files (C-78), so there is nothing to look up here */
	for (size_t i = 0; i < list->n; i++) {
		const struct mdev_device *d = &list->devices[i];
		fprintf(out, "%s %s %s %s%s\n", d->uuid, d->parent, d->type,
			d->autostart ? "auto" : "manual",
			defined ? (d->active ? " (active)" : "") : (d->defined ? " (defined)" : ""));
		if (verbose)
			put_attrs(out, d);
	}
	return stream_result(out);
}

char *mdev_format_list_text(struct mdev_ctx *ctx, const struct mdev_device_list *list,
			    bool defined, bool verbose)
{
	(void)ctx;
	FORMAT_TO_STRING(mdev_print_list_text(f_, list, defined, verbose));
}

/* Upstream's JSON listings are one object in an array: [ { "<key>": [ ... ], ... } ] */
static struct jw *listing_open(FILE *out)
{
	struct jw *w = jw_new_file(true, out);
	if (w) {
		jw_open(w, '[');
		jw_open(w, '{');
	}
	return w;
}

static int listing_close(struct jw *w, FILE *out)
{
	jw_close(w, '}');
	jw_close(w, ']');
	int r = jw_end(w);
	return r < 0 ? r : stream_result(out);
}

int mdev_print_list_json(FILE *out, const struct mdev_device_list *list, bool single)
{
	if ((single && list->n <= 1) || list->n == 0) {
		char *s = list->n ? mdev_config_format(&list->devices[0], true) : strdup("[]");
		if (!s)
			return -ENOMEM;
		fputs(s, out);
		free(s);
		return stream_result(out);
	}
	/* [ { "<parent>": [ { "<uuid>": {config} }, ... ], ... } ] */
	struct jw *w = listing_open(out);
	if (!w)
		return -ENOMEM;
	for (size_t i = 0; i < list->n; i++) {
		const struct mdev_device *d = &list->devices[i];
		if (i == 0 || strcmp(list->devices[i - 1].parent, d->parent)) {
			if (i)
				jw_close(w, ']');
			jw_key(w, d->parent);
			jw_open(w, '[');
		}
		jw_open(w, '{');
		jw_key(w, d->uuid);
		jw_device(w, d);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	return listing_close(w, out);
}

char *mdev_format_list_json(const struct mdev_device_list *list, bool single)
{
	FORMAT_TO_STRING(mdev_print_list_json(f_, list, single));
}

int mdev_print_types_text(FILE *out, const struct mdev_parent_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		const struct mdev_parent_info *p = &list->parents[i];
		fprintf(out, "%s\n", p->name);
		for (size_t j = 0; j < p->n_types; j++) {
			const struct mdev_type_info *t = &p->types[j];
			fprintf(out, "  %s\n    Available instances: %d\n    Device API: %s\n", t->id,
				t->available_instances, t->device_api);
			if (t->name)
				fprintf(out, "    Name: %s\n", t->name);
			if (t->description)
				fprintf(out, "    Description: %s\n", t->description);
		}
	}
	return stream_result(out);
}

char *mdev_format_types_text(const struct mdev_parent_list *list)
{
	FORMAT_TO_STRING(mdev_print_types_text(f_, list));
}

int mdev_print_types_json(FILE *out, const struct mdev_parent_list *list)
{
	if (list->n == 0) {
		fputs("[]", out);
		return stream_result(out);
	}
	/* [ { "<parent>": [ { "<type>": {...} }, ... ], ... } ] */
	struct jw *w = listing_open(out);
	if (!w)
		return -ENOMEM;
	for (size_t i = 0; i < list->n; i++) {
		const struct mdev_parent_info *p = &list->parents[i];
		jw_key(w, p->name);
		jw_open(w, '[');
		for (size_t j = 0; j < p->n_types; j++) {
			const struct mdev_type_info *t = &p->types[j];
			jw_open(w, '{');
			jw_key(w, t->id);
			jw_open(w, '{');
			jw_key(w, "available_instances");
			jw_int(w, t->available_instances);
			jw_key(w, "device_api");
			jw_str(w, t->device_api);
			if (t->name) {
				jw_key(w, "name");
				jw_str(w, t->name);
			}
			if (t->description) {
				jw_key(w, "description");
				jw_str(w, t->description);
			}
			jw_close(w, '}');
			jw_close(w, '}');
		}
		jw_close(w, ']');
	}
	return listing_close(w, out);
}

char *mdev_format_types_json(const struct mdev_parent_list *list)
{
	FORMAT_TO_STRING(mdev_print_types_json(f_, list));
}
