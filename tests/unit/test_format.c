/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/format.c: the print functions write the same bytes as the string formats, in pieces as
 * they go, and report a failed write. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "check.h"

/* n devices over two parents, sorted as listings are */
static void make_list(struct mdev_device_list *list, size_t n)
{
	list->devices = calloc(n, sizeof(*list->devices));
	list->n = n;
	for (size_t i = 0; i < n; i++) {
		struct mdev_device *d = &list->devices[i];
		snprintf(d->uuid, sizeof(d->uuid), "%08x-0000-4000-8000-000000000000", (unsigned)(i & 0xffff));
		d->parent = strdup(i < n / 2 ? "0000:00:02.0" : "0000:00:03.0");
		d->type = strdup("i915-GVTg_V5_4");
		d->autostart = i % 2;
		d->active = d->defined = true;
		if (i % 3 == 0)
			mdev_device_add_attr(d, 0, "a\"b", "v\\1");
	}
}

/* what a print function writes to a memory stream */
static char *printed(int (*fn)(FILE *, const struct mdev_device_list *, bool),
		     const struct mdev_device_list *list, bool arg, int *ret)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	*ret = fn(f, list, arg);
	fclose(f);
	return s;
}

static int list_text_verbose(FILE *f, const struct mdev_device_list *l, bool defined)
{
	return mdev_print_list_text(f, l, defined, true);
}

int main(void)
{
	struct mdev_device_list list = { 0 };
	make_list(&list, 3000); /* JSON text far above the writer's 16 KiB pieces */
	int r;
	char *want = mdev_format_list_json(&list, false);
	char *got = printed(mdev_print_list_json, &list, false, &r);
	CHECK("json listing printed in pieces equals the string form",
	      r == 0 && want && got && strlen(want) > 100000 && !strcmp(want, got));
	free(want);
	free(got);
	want = mdev_format_list_text(NULL, &list, true, true);
	got = printed(list_text_verbose, &list, true, &r);
	CHECK("text listing printed equals the string form",
	      r == 0 && want && got && !strcmp(want, got) && strstr(got, "  Attrs:\n"));
	free(want);
	free(got);

	FILE *full = fopen("/dev/full", "w");
	if (full) {
		setvbuf(full, NULL, _IONBF, 0);
		CHECK("json listing to a full device reports ENOSPC",
		      mdev_print_list_json(full, &list, false) == -ENOSPC);
		CHECK("text listing to a full device reports ENOSPC",
		      mdev_print_list_text(full, &list, false, false) == -ENOSPC);
		fclose(full);
	} else {
		CHECK("/dev/full can be opened", false);
	}

	struct mdev_device_list empty = { 0 };
	got = printed(mdev_print_list_json, &empty, false, &r);
	CHECK_STR("empty json listing", got, "[]");
	free(got);
	mdev_device_list_clear(&list);
	return check_failed;
}
