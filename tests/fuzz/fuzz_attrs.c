/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: attribute handling. The input is a config followed by a script of add/delete
 * operations (one byte each: operation and index), checked against a simple model. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mdev/mdev.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mdev_ctx *ctx;
	if (!ctx && mdev_ctx_new("/", &ctx) < 0)
		return 0;
	const uint8_t *sep = memchr(data, 0, size);
	size_t jlen = sep ? (size_t)(sep - data) : size;
	struct mdev_device dev = { 0 };
	if (mdev_config_parse(ctx, (const char *)data, jlen, &dev) < 0) {
		mdev_device_clear(&dev); /* a failed parse may have filled part of it */
		dev.type = strdup("t");
	}
	size_t n = dev.n_attrs;
	for (const uint8_t *p = sep ? sep + 1 : data + size; p < data + size; p++) {
		size_t idx = *p & 0x3f;
		char name[16];
		snprintf(name, sizeof(name), "a%zu", idx);
		if (*p & 0x80) {
			int r = mdev_device_del_attr(&dev, idx);
			if ((r == 0) != (idx < n))
				abort();
			n -= r == 0;
		} else {
			int r = mdev_device_add_attr(&dev, idx, name, "v");
			if ((r == 0) != (idx <= n))
				abort();
			n += r == 0;
		}
		if (dev.n_attrs != n)
			abort();
	}
	free(mdev_format_attrs(&dev));
	mdev_device_clear(&dev);
	return 0;
}
