/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl plan (not written yet). */
#include <stdio.h>
#include "vgpuctl.h"

int vgpuctl_plan(struct mdev_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	fprintf(stderr, "Error: vgpuctl plan is not implemented yet\n");
	return 1;
}
