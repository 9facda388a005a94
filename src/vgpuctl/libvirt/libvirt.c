/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl libvirt (not written yet). */
#include <stdio.h>
#include "vgpuctl.h"

int vgpuctl_libvirt(struct mdev_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	fprintf(stderr, "Error: vgpuctl libvirt is not implemented yet\n");
	return 1;
}
