/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Callouts: the seam where upstream's callout scripts wrap every operation (C-56..C-66).
 * This version runs no scripts yet: operations run unwrapped, no attributes are reported. */
#include <errno.h>
#include "internal.h"

int callout_invoke(struct mdev_ctx *ctx, enum callout_action action, struct mdev_device *dev,
		   bool force, callout_op_fn op, void *data)
{
	(void)action;
	(void)force;
	if (!dev->type || !dev->parent)
		return lib_error(ctx, EINVAL, "Device must have a defined mdev_type");
	return op(ctx, dev, data);
}

int callout_get_attributes(struct mdev_ctx *ctx, struct mdev_device *dev)
{
	(void)ctx;
	(void)dev;
	return 0;
}

int callout_live(struct mdev_ctx *ctx, struct mdev_device *dev)
{
	(void)dev;
	return lib_error(ctx, ENOTSUP,
			 "No callout script with version support found that supports live modify");
}

void callout_cache_free(struct mdev_ctx *ctx)
{
	(void)ctx;
}
