/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* struct mdev_device and lists of them: ownership, attributes, copying, sorting. */
#include <errno.h>
#include <string.h>
#include "internal.h"

void mdev_device_clear(struct mdev_device *dev)
{
	free(dev->parent);
	free(dev->type);
	for (size_t i = 0; i < dev->n_attrs; i++) {
		free(dev->attrs[i].name);
		free(dev->attrs[i].value);
	}
	free(dev->attrs);
	memset(dev, 0, sizeof(*dev));
}

void mdev_device_list_clear(struct mdev_device_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		mdev_device_clear(&list->devices[i]);
	free(list->devices);
	list->devices = NULL;
	list->n = 0;
}

int mdev_device_add_attr(struct mdev_device *dev, size_t index, const char *name,
			 const char *value)
{
	if (index > dev->n_attrs)
		return -EINVAL;
	struct mdev_attr *v = realloc(dev->attrs, (dev->n_attrs + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	dev->attrs = v;
	char *n = strdup(name), *val = strdup(value);
	if (!n || !val) {
		free(n);
		free(val);
		return -ENOMEM;
	}
	memmove(v + index + 1, v + index, (dev->n_attrs - index) * sizeof(*v));
	v[index].name = n;
	v[index].value = val;
	dev->n_attrs++;
	return 0;
}

int mdev_device_del_attr(struct mdev_device *dev, size_t index)
{
	if (index >= dev->n_attrs)
		return -EINVAL;
	free(dev->attrs[index].name);
	free(dev->attrs[index].value);
	memmove(dev->attrs + index, dev->attrs + index + 1,
		(dev->n_attrs - index - 1) * sizeof(*dev->attrs));
	dev->n_attrs--;
	return 0;
}

static int dup_or_null(char **dst, const char *src)
{
	*dst = NULL;
	if (src && !(*dst = strdup(src)))
		return -ENOMEM;
	return 0;
}

int device_copy(struct mdev_device *dst, const struct mdev_device *src)
{
	memset(dst, 0, sizeof(*dst));
	memcpy(dst->uuid, src->uuid, sizeof(dst->uuid));
	dst->autostart = src->autostart;
	dst->active = src->active;
	dst->defined = src->defined;
	if (dup_or_null(&dst->parent, src->parent) < 0 || dup_or_null(&dst->type, src->type) < 0)
		goto oom;
	for (size_t i = 0; i < src->n_attrs; i++)
		if (mdev_device_add_attr(dst, i, src->attrs[i].name, src->attrs[i].value) < 0)
			goto oom;
	return 0;
oom:
	mdev_device_clear(dst);
	return -ENOMEM;
}

/* Moves dev into the list (dev is left empty). */
int device_list_push(struct mdev_device_list *list, struct mdev_device *dev)
{
	/* the capacity doubles whenever n reaches a power of two, so it needs no field of its own */
	size_t n = list->n;
	if ((n & (n - 1)) == 0) {
		struct mdev_device *v = realloc(list->devices, (n ? 2 * n : 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		list->devices = v;
	}
	struct mdev_device *v = list->devices;
	v[list->n++] = *dev;
	memset(dev, 0, sizeof(*dev));
	return 0;
}

static int cmp_dev(const void *a, const void *b)
{
	const struct mdev_device *x = a, *y = b;
	int r = strcmp(x->parent ? x->parent : "", y->parent ? y->parent : "");
	return r ? r : strcmp(x->uuid, y->uuid);
}

/* Grouped by parent (byte order), then by UUID: upstream's BTreeMap order (C-30). */
void device_list_sort(struct mdev_device_list *list)
{
	/* listings of definitions come in this order already; sorting them anyway would cost a
	 * copy of the whole list (glibc's qsort merges through a temporary array) */
	size_t i = 1;
	while (i < list->n && cmp_dev(&list->devices[i - 1], &list->devices[i]) <= 0)
		i++;
	if (i < list->n)
		qsort(list->devices, list->n, sizeof(*list->devices), cmp_dev);
}
