/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mdev framework in the vGPU view: the same calls mdevctl makes (list, types, start,
 * define, stop, undefine), so callouts and etc/mdevctl.d behave exactly as with mdevctl. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "vgpu.h"

static int push_device(struct mdev_vgpu_list *out, const struct mdev_device *d)
{
	struct mdev_vgpu v = { 0 };
	v.framework = MDEV_VGPU_FW_MDEV;
	v.id = strdup(d->uuid);
	v.gpu = d->parent ? strdup(d->parent) : NULL;
	v.type = d->type ? strdup(d->type) : NULL;
	v.active = d->active;
	v.defined = d->defined;
	v.autostart = d->defined && d->autostart;
	if (!v.id || (d->parent && !v.gpu) || (d->type && !v.type) || vgpu_list_push(out, &v) < 0) {
		vgpu_clear(&v);
		return -ENOMEM;
	}
	return 0;
}

int fw_mdev_list(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_list *out)
{
	struct mdev_device_list defined = { 0 }, active = { 0 };
	int r = 0;
	/* a host without mdev (NVIDIA's vendor-specific VFIO needs none) has neither directory */
	if (root_exists(ctx, CONFIG_DIR))
		r = mdev_list_defined(ctx, NULL, gpu, &defined);
	if (r >= 0 && root_exists(ctx, MDEV_BUS_DEVICES))
		r = mdev_list_active(ctx, NULL, gpu, &active);
	for (size_t i = 0; i < defined.n && r >= 0; i++) {
		defined.devices[i].defined = true;
		r = push_device(out, &defined.devices[i]);
	}
	for (size_t i = 0; i < active.n && r >= 0; i++) {
		bool known = false;
		for (size_t j = 0; j < defined.n && !known; j++)
			known = !strcmp(defined.devices[j].uuid, active.devices[i].uuid) &&
				defined.devices[j].parent && active.devices[i].parent &&
				!strcmp(defined.devices[j].parent, active.devices[i].parent);
		active.devices[i].active = true;
		active.devices[i].defined = false;
		if (!known)
			r = push_device(out, &active.devices[i]);
	}
	mdev_device_list_clear(&defined);
	mdev_device_list_clear(&active);
	if (r == -ENOMEM)
		return lib_error(ctx, ENOMEM, "out of memory");
	return r;
}

int fw_mdev_types(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_gpu_list *out)
{
	struct mdev_parent_list pl = { 0 };
	int r = mdev_list_types(ctx, gpu, &pl);
	for (size_t i = 0; i < pl.n && r >= 0; i++) {
		struct mdev_vgpu_gpu g = { 0 };
		g.framework = MDEV_VGPU_FW_MDEV;
		g.gpu = strdup(pl.parents[i].name);
		r = g.gpu ? 0 : -ENOMEM;
		for (size_t k = 0; k < pl.parents[i].n_types && r >= 0; k++) {
			const struct mdev_type_info *t = &pl.parents[i].types[k];
			r = vgpu_gpu_add_type(&g, t->id, 0, t->available_instances,
					      t->description ? t->description : t->name);
		}
		if (r >= 0)
			r = gpu_list_push(out, &g);
		vgpu_gpu_clear(&g);
		if (r < 0)
			r = lib_error(ctx, ENOMEM, "out of memory");
	}
	mdev_parent_list_clear(&pl);
	return r < 0 ? r : 0;
}

int fw_mdev_create(struct mdev_ctx *ctx, const struct mdev_vgpu_create_req *req,
		   struct mdev_vgpu_list *created)
{
	unsigned count = req->count ? req->count : 1;
	int r = 0;
	for (unsigned i = 0; i < count && r >= 0; i++) {
		char uuid[MDEV_UUID_LEN + 1];
		struct mdev_start_req sr = { .parent = req->gpu, .type = req->type };
		r = mdev_start(ctx, &sr, uuid);
		if (r < 0) {
			r = lib_error_wrap(ctx, -r, "GPU %s: cannot create a vGPU of type %s%s", req->gpu,
					   req->type, i ? " (the ones created before are removed)" : "");
			break;
		}
		struct mdev_vgpu v = { .framework = MDEV_VGPU_FW_MDEV, .active = true };
		v.id = strdup(uuid);
		v.gpu = strdup(req->gpu);
		v.type = strdup(req->type);
		if (!v.id || !v.gpu || !v.type || vgpu_list_push(created, &v) < 0) {
			vgpu_clear(&v);
			mdev_stop(ctx, uuid, true);
			r = lib_error(ctx, ENOMEM, "out of memory");
			break;
		}
		if (req->define || req->autostart) {
			struct mdev_define_req dr = { .uuid = uuid, .parent = req->gpu,
						      .type = req->type, .autostart = req->autostart };
			char u2[MDEV_UUID_LEN + 1];
			r = mdev_define(ctx, &dr, u2);
			if (r >= 0) {
				created->vgpus[created->n - 1].defined = true;
				created->vgpus[created->n - 1].autostart = req->autostart;
			}
		}
	}
	if (r < 0) {
		/* all or nothing: undo what this call made, keeping the first error */
		struct saved_error saved = lib_error_save(ctx);
		for (size_t i = 0; i < created->n; i++) {
			if (created->vgpus[i].defined)
				mdev_undefine(ctx, created->vgpus[i].id, req->gpu, true);
			mdev_stop(ctx, created->vgpus[i].id, true);
		}
		lib_error_restore(ctx, &saved);
	}
	return r;
}

int fw_mdev_remove(struct mdev_ctx *ctx, const struct mdev_vgpu *v)
{
	int r = 0;
	if (v->active)
		r = mdev_stop(ctx, v->id, false);
	if (r >= 0 && v->defined)
		r = mdev_undefine(ctx, v->id, v->gpu, false);
	return r;
}
