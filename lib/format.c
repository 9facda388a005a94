/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Upstream's listing formats: text lines and JSON trees of list and types (C-33..C-38). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

struct sbuf {
	FILE *f;
	char *s;
	size_t len;
};

static bool sbuf_open(struct sbuf *b)
{
	b->s = NULL;
	b->len = 0;
	b->f = open_memstream(&b->s, &b->len);
	return b->f != NULL;
}

static char *sbuf_close(struct sbuf *b)
{
	if (fclose(b->f) != 0) {
		free(b->s);
		return NULL;
	}
	return b->s;
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

char *mdev_format_attrs(const struct mdev_device *dev)
{
	struct sbuf b;
	if (!sbuf_open(&b))
		return NULL;
	put_attrs(b.f, dev);
	return sbuf_close(&b);
}

char *mdev_format_list_text(struct mdev_ctx *ctx, const struct mdev_device_list *list,
			    bool defined, bool verbose)
{
	/* upstream hides a defined entry whose canonical file is missing (C-33); our listing only
	 * holds canonical files (C-78), so there is nothing to look up here */
	(void)ctx;
	struct sbuf b;
	if (!sbuf_open(&b))
		return NULL;
	for (size_t i = 0; i < list->n; i++) {
		const struct mdev_device *d = &list->devices[i];
		fprintf(b.f, "%s %s %s %s%s\n", d->uuid, d->parent, d->type,
			d->autostart ? "auto" : "manual",
			defined ? (d->active ? " (active)" : "") : (d->defined ? " (defined)" : ""));
		if (verbose)
			put_attrs(b.f, d);
	}
	return sbuf_close(&b);
}

char *mdev_format_list_json(const struct mdev_device_list *list, bool single)
{
	if (single && list->n <= 1)
		return list->n ? mdev_config_format(&list->devices[0], true) : strdup("[]");
	if (list->n == 0)
		return strdup("[]");
	/* [ { "<parent>": [ { "<uuid>": {config} }, ... ], ... } ] */
	struct jw *w = jw_new(true);
	if (!w)
		return NULL;
	jw_open(w, '[');
	jw_open(w, '{');
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
	jw_close(w, '}');
	jw_close(w, ']');
	return jw_finish(w);
}

char *mdev_format_types_text(const struct mdev_parent_list *list)
{
	struct sbuf b;
	if (!sbuf_open(&b))
		return NULL;
	for (size_t i = 0; i < list->n; i++) {
		const struct mdev_parent_info *p = &list->parents[i];
		fprintf(b.f, "%s\n", p->name);
		for (size_t j = 0; j < p->n_types; j++) {
			const struct mdev_type_info *t = &p->types[j];
			fprintf(b.f, "  %s\n    Available instances: %d\n    Device API: %s\n", t->id,
				t->available_instances, t->device_api);
			if (t->name)
				fprintf(b.f, "    Name: %s\n", t->name);
			if (t->description)
				fprintf(b.f, "    Description: %s\n", t->description);
		}
	}
	return sbuf_close(&b);
}

char *mdev_format_types_json(const struct mdev_parent_list *list)
{
	if (list->n == 0)
		return strdup("[]");
	struct jw *w = jw_new(true);
	if (!w)
		return NULL;
	jw_open(w, '[');
	jw_open(w, '{');
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
	jw_close(w, '}');
	jw_close(w, ']');
	return jw_finish(w);
}
