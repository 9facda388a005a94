/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/types.c: parents from sys/class/mdev_bus and their types with available instances,
 * device API, name and description (C-36, C-37). */
#include <mdev/mdev.h>
#include "check.h"
#include "fixture.h"

int main(void)
{
	fx_root();
	fx_gvt_parent();
	/* a second parent, listed after the first (sorted by name) */
	fx_mkdir_p("sys/devices/css0/0.0.0001/mdev_supported_types/vfio_ccw-io/devices");
	fx_write("sys/devices/css0/0.0.0001/mdev_supported_types/vfio_ccw-io/available_instances", "1\n");
	fx_write("sys/devices/css0/0.0.0001/mdev_supported_types/vfio_ccw-io/device_api", "vfio-ccw\n");
	fx_write("sys/devices/css0/0.0.0001/mdev_supported_types/vfio_ccw-io/name", "I/O subchannel (Non-QDIO)\n");
	fx_symlink("../../devices/css0/0.0.0001", "sys/class/mdev_bus/0.0.0001");
	struct mdev_ctx *ctx;
	if (mdev_ctx_new(fx_dir, &ctx) < 0)
		return 1;
	struct mdev_parent_list l = { 0 };
	CHECK("C-36 list types", mdev_list_types(ctx, NULL, &l) == 0 && l.n == 2);
	if (l.n == 2) {
		const struct mdev_parent_info *p = &l.parents[0], *q = &l.parents[1];
		CHECK_STR("C-36 parents sorted by name", p->name, "0.0.0001");
		CHECK("C-37 the ccw type: count, API, name, no description",
		      p->n_types == 1 && p->types[0].available_instances == 1 &&
		      !strcmp(p->types[0].device_api, "vfio-ccw") && p->types[0].name &&
		      !strcmp(p->types[0].name, "I/O subchannel (Non-QDIO)") && !p->types[0].description);
		CHECK("C-37 the seed's GVT-g counts 1/2/5/7 in type order",
		      q->n_types == 4 && q->types[0].available_instances == 1 &&
		      q->types[1].available_instances == 2 && q->types[2].available_instances == 5 &&
		      q->types[3].available_instances == 7 && !strcmp(q->types[2].id, "i915-GVTg_V5_4"));
		CHECK_STR("C-37 the description's lines joined with \", \"", q->types[3].description,
			  "low_gm_size: 64MB, high_gm_size: 384MB");
	}
	mdev_parent_list_clear(&l);
	CHECK("C-36 one parent", mdev_list_types(ctx, "0000:00:02.0", &l) == 0 && l.n == 1);
	mdev_parent_list_clear(&l);
	CHECK("C-36 an unknown parent lists nothing", mdev_list_types(ctx, "0000:00:09.0", &l) == 0 &&
	      l.n == 0);
	mdev_parent_list_clear(&l);
	/* a count that is not a number is an error, not a zero */
	fx_write("sys/devices/" FX_GVT "/mdev_supported_types/i915-GVTg_V5_1/available_instances", "x\n");
	CHECK("C-37 a bad count is an error", mdev_list_types(ctx, NULL, &l) < 0 &&
	      strlen(mdev_ctx_error_message(ctx)) > 0);
	mdev_parent_list_clear(&l);
	mdev_ctx_free(ctx);
	fx_cleanup();
	return check_failed;
}
