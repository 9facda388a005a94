/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/device.c: attributes kept in order and inserted or deleted by index (C-45, C-46);
 * device lists that grow one push at a time and sort by parent, then UUID (C-30). */
#include <stdlib.h>
#include "internal.h"
#include "check.h"

static const char *attrs(const struct mdev_device *d)
{
	static char out[256];
	out[0] = '\0';
	for (size_t i = 0; i < d->n_attrs; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s=%s", i ? "," : "",
			 d->attrs[i].name, d->attrs[i].value);
	return out;
}

int main(void)
{
	struct mdev_device d = { 0 };
	mdev_device_add_attr(&d, 0, "a", "1");
	mdev_device_add_attr(&d, 1, "c", "3");
	mdev_device_add_attr(&d, 1, "b", "2");
	mdev_device_add_attr(&d, 0, "z", "0");
	CHECK_STR("insert at the front, the middle and the end", attrs(&d), "z=0,a=1,b=2,c=3");
	CHECK("an index past the end is refused", mdev_device_add_attr(&d, 9, "x", "y") < 0 &&
	      d.n_attrs == 4);
	CHECK("delete in the middle", mdev_device_del_attr(&d, 1) == 0);
	CHECK_STR("order kept after a delete", attrs(&d), "z=0,b=2,c=3");
	CHECK("deleting past the end is refused", mdev_device_del_attr(&d, 3) < 0);
	mdev_device_clear(&d);
	CHECK("clear empties the device", d.n_attrs == 0 && d.attrs == NULL);

	/* 1000 pushes in reverse order: every device kept, then sorted */
	struct mdev_device_list list = { 0 };
	int bad = 0;
	for (int i = 999; i >= 0; i--) {
		struct mdev_device x = { 0 };
		snprintf(x.uuid, sizeof(x.uuid), "%08x-0000-4000-8000-000000000000", (unsigned)i);
		x.parent = strdup(i % 2 ? "0000:00:03.0" : "0000:00:02.0");
		x.type = strdup("t");
		bad |= device_list_push(&list, &x) < 0 || x.parent != NULL;
	}
	CHECK("push moves each device into the list", !bad && list.n == 1000);
	device_list_sort(&list);
	bool sorted = true;
	for (size_t i = 1; i < list.n; i++) {
		int c = strcmp(list.devices[i - 1].parent, list.devices[i].parent);
		sorted &= c < 0 || (c == 0 && strcmp(list.devices[i - 1].uuid, list.devices[i].uuid) < 0);
	}
	CHECK("sorted by parent, then UUID", sorted);
	CHECK_STR("first of the first parent", list.devices[0].uuid,
		  "00000000-0000-4000-8000-000000000000");
	CHECK_STR("first of the second parent", list.devices[500].uuid,
		  "00000001-0000-4000-8000-000000000000");
	mdev_device_list_clear(&list);
	CHECK("clear empties the list", list.n == 0 && list.devices == NULL);
	return check_failed;
}
