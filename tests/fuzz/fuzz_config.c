/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: a config file (or --jsonfile) as read by mdev_config_parse(), and the bytes it
 * would be written back as, which must parse to the same device. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <mdev/mdev.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mdev_ctx *ctx;
	if (!ctx && mdev_ctx_new("/", &ctx) < 0)
		return 0;
	struct mdev_device dev = { 0 }, again = { 0 };
	if (mdev_config_parse(ctx, (const char *)data, size, &dev) == 0) {
		char *text = mdev_config_format(&dev, true);
		if (!text || mdev_config_parse(ctx, text, strlen(text), &again) < 0 ||
		    strcmp(again.type, dev.type) || again.autostart != dev.autostart ||
		    again.n_attrs != dev.n_attrs)
			abort(); /* what we write must read back the same */
		for (size_t i = 0; i < dev.n_attrs; i++)
			if (strcmp(dev.attrs[i].name, again.attrs[i].name) ||
			    strcmp(dev.attrs[i].value, again.attrs[i].value))
				abort();
		free(text);
		free(mdev_config_format(&dev, false));
	}
	mdev_device_clear(&dev);
	mdev_device_clear(&again);
	return 0;
}
