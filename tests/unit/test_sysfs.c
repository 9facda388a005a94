/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/sysfs.c and lib/list.c: a running device's parent and type come from its links in
 * sys/bus/mdev/devices (C-18); listings of running and defined devices, their markers and
 * their order (C-30..C-32); dangling entries are skipped (C-75). */
#include <mdev/mdev.h>
#include "check.h"
#include "fixture.h"

#define U1 "11111111-1111-4111-8111-111111111111"
#define U2 "22222222-2222-4222-8222-222222222222"
#define U3 "33333333-3333-4333-8333-333333333333"

static const char *summary(const struct mdev_device_list *l)
{
	static char out[1024];
	out[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		const struct mdev_device *d = &l->devices[i];
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%.8s %s %s %s%s%s",
			 i ? "; " : "", d->uuid, d->parent, d->type, d->autostart ? "auto" : "manual",
			 d->active ? " active" : "", d->defined ? " defined" : "");
	}
	return out;
}

int main(void)
{
	fx_root();
	fx_gvt_parent();
	fx_gvt_dev("i915-GVTg_V5_4", U2);
	fx_gvt_dev("i915-GVTg_V5_8", U1);
	fx_cfg("0000:00:02.0", U2, "{\"mdev_type\":\"i915-GVTg_V5_4\",\"start\":\"auto\",\"attrs\":[]}");
	fx_cfg("0000:00:02.0", U3, "{\"mdev_type\":\"i915-GVTg_V5_2\",\"start\":\"manual\",\"attrs\":[]}");
	/* a bus entry whose device vanished (C-75) */
	fx_symlink("../../../devices/" FX_GVT "/44444444-4444-4444-8444-444444444444",
		   "sys/bus/mdev/devices/44444444-4444-4444-8444-444444444444");
	struct mdev_ctx *ctx;
	if (mdev_ctx_new(fx_dir, &ctx) < 0)
		return 1;

	char *parent = NULL, *type = NULL;
	CHECK("C-18 a running device's parent and type from its links",
	      mdev_device_lookup_active(ctx, U1, &parent, &type) == 1 && parent && type &&
	      !strcmp(parent, "0000:00:02.0") && !strcmp(type, "i915-GVTg_V5_8"));
	free(parent);
	free(type);
	parent = type = NULL;
	CHECK("C-18 a device that does not run", mdev_device_lookup_active(ctx, U3, &parent, &type) == 0);
	free(parent);
	free(type);

	struct mdev_device_list l = { 0 };
	CHECK("C-31 list of running devices", mdev_list_active(ctx, NULL, NULL, &l) == 0);
	CHECK_STR("C-30 C-31 sorted by UUID, the defined one marked and its start mode read, the "
		  "dangling entry skipped (C-75)", summary(&l),
		  "11111111 0000:00:02.0 i915-GVTg_V5_8 manual active; "
		  "22222222 0000:00:02.0 i915-GVTg_V5_4 auto active defined");
	mdev_device_list_clear(&l);
	CHECK("C-32 list of definitions", mdev_list_defined(ctx, NULL, NULL, &l) == 0);
	CHECK_STR("C-32 each definition with its running state", summary(&l),
		  "22222222 0000:00:02.0 i915-GVTg_V5_4 auto active defined; "
		  "33333333 0000:00:02.0 i915-GVTg_V5_2 manual defined");
	mdev_device_list_clear(&l);
	CHECK("C-32 filtered by UUID", mdev_list_defined(ctx, U3, NULL, &l) == 0 && l.n == 1 &&
	      !strcmp(l.devices[0].uuid, U3));
	mdev_device_list_clear(&l);
	CHECK("C-31 filtered by a parent that has none", mdev_list_active(ctx, NULL, "0000:00:03.0", &l) == 0 &&
	      l.n == 0);
	mdev_device_list_clear(&l);

	/* a definition whose device runs with another type is not "active" (C-18) */
	fx_cfg("0000:00:02.0", U1, "{\"mdev_type\":\"i915-GVTg_V5_1\",\"start\":\"manual\",\"attrs\":[]}");
	CHECK("C-18 another type running under that UUID", mdev_list_defined(ctx, U1, NULL, &l) == 0 &&
	      l.n == 1 && !l.devices[0].active);
	mdev_device_list_clear(&l);

	/* no bus at all: nothing runs, definitions still list */
	fx_cleanup();
	fx_root();
	char bus[128];
	snprintf(bus, sizeof(bus), "%s/sys/bus/mdev/devices", fx_dir);
	rmdir(bus);
	fx_cfg("0000:00:02.0", U3, "{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":[]}");
	mdev_ctx_free(ctx);
	if (mdev_ctx_new(fx_dir, &ctx) < 0)
		return 1;
	CHECK("no mdev bus: nothing runs", mdev_list_active(ctx, NULL, NULL, &l) == 0 && l.n == 0);
	mdev_device_list_clear(&l);
	CHECK_STR("no mdev bus: definitions are listed, none active",
		  (mdev_list_defined(ctx, NULL, NULL, &l), summary(&l)),
		  "33333333 0000:00:02.0 t auto defined");
	mdev_device_list_clear(&l);
	mdev_ctx_free(ctx);
	fx_cleanup();
	return check_failed;
}
