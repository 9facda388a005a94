/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl doctor (not written yet). */
#include <stdio.h>
#include "vgpuctl.h"

int vgpuctl_doctor(struct mdev_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	fprintf(stderr, "Error: vgpuctl doctor is not implemented yet\n");
	return 1;
}
