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
	if (single && list->n <= 1) {
		if (list->n == 0)
			return strdup("[]");
		return mdev_config_format(&list->devices[0], true);
	}
	if (list->n == 0)
		return strdup("[]");
	_cleanup_json_ struct json_object *top = json_object_new_array();
	struct json_object *parents = json_object_new_object(), *children = NULL;
	if (!top || !parents) {
		json_object_put(parents);
		return NULL;
	}
	json_object_array_add(top, parents);
	const char *cur = NULL;
	for (size_t i = 0; i < list->n; i++) {
		const struct mdev_device *d = &list->devices[i];
		if (!cur || strcmp(cur, d->parent)) {
			cur = d->parent;
			children = json_object_new_array();
			if (!children)
				return NULL;
			json_object_object_add(parents, cur, children);
		}
		struct json_object *one = json_object_new_object(), *cfg = device_to_json(d);
		if (!one || !cfg) {
			json_object_put(one);
			json_object_put(cfg);
			return NULL;
		}
		json_object_object_add(one, d->uuid, cfg);
		json_object_array_add(children, one);
	}
	return json_format(top, true);
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
	_cleanup_json_ struct json_object *top = json_object_new_array();
	struct json_object *parents = json_object_new_object();
	if (!top || !parents) {
		json_object_put(parents);
		return NULL;
	}
	json_object_array_add(top, parents);
	for (size_t i = 0; i < list->n; i++) {
		const struct mdev_parent_info *p = &list->parents[i];
		struct json_object *arr = json_object_new_array();
		if (!arr)
			return NULL;
		json_object_object_add(parents, p->name, arr);
		for (size_t j = 0; j < p->n_types; j++) {
			const struct mdev_type_info *t = &p->types[j];
			struct json_object *one = json_object_new_object(), *o = json_object_new_object();
			if (!one || !o) {
				json_object_put(one);
				json_object_put(o);
				return NULL;
			}
			json_object_object_add(o, "available_instances",
					       json_object_new_int(t->available_instances));
			json_object_object_add(o, "device_api", json_object_new_string(t->device_api));
			if (t->name)
				json_object_object_add(o, "name", json_object_new_string(t->name));
			if (t->description)
				json_object_object_add(o, "description",
						       json_object_new_string(t->description));
			json_object_object_add(one, t->id, o);
			json_object_array_add(arr, one);
		}
	}
	return json_format(top, true);
}
