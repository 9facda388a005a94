/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The framework-neutral view of vGPUs: which framework a GPU uses, and list, types, create,
 * remove and the boot-time start dispatched to the framework's file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "vgpu.h"

const char *mdev_vgpu_framework_name(enum mdev_vgpu_framework fw)
{
	switch (fw) {
	case MDEV_VGPU_FW_MDEV:
		return "mdev";
	case MDEV_VGPU_FW_NVIDIA_VFIO:
		return "nvidia-vfio";
	case MDEV_VGPU_FW_XE_SRIOV:
		return "xe-sriov";
	}
	return "?";
}

void vgpu_clear(struct mdev_vgpu *v)
{
	free(v->id);
	free(v->gpu);
	free(v->type);
	free(v->profile);
	memset(v, 0, sizeof(*v));
}

void mdev_vgpu_list_clear(struct mdev_vgpu_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->n; i++)
		vgpu_clear(&list->vgpus[i]);
	free(list->vgpus);
	list->vgpus = NULL;
	list->n = 0;
}

int vgpu_list_push(struct mdev_vgpu_list *l, struct mdev_vgpu *v)
{
	struct mdev_vgpu *n = realloc(l->vgpus, (l->n + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	l->vgpus = n;
	l->vgpus[l->n++] = *v;
	memset(v, 0, sizeof(*v));
	return 0;
}

void vgpu_gpu_clear(struct mdev_vgpu_gpu *g)
{
	for (size_t i = 0; i < g->n_types; i++) {
		free(g->types[i].name);
		free(g->types[i].description);
	}
	free(g->types);
	free(g->vf_vram_quota);
	free(g->gpu);
	free(g->driver);
	free(g->note);
	memset(g, 0, sizeof(*g));
}

void mdev_vgpu_gpu_list_clear(struct mdev_vgpu_gpu_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->n; i++)
		vgpu_gpu_clear(&list->gpus[i]);
	free(list->gpus);
	list->gpus = NULL;
	list->n = 0;
}

int gpu_list_push(struct mdev_vgpu_gpu_list *l, struct mdev_vgpu_gpu *g)
{
	struct mdev_vgpu_gpu *n = realloc(l->gpus, (l->n + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	l->gpus = n;
	l->gpus[l->n++] = *g;
	memset(g, 0, sizeof(*g));
	return 0;
}

int vgpu_gpu_add_type(struct mdev_vgpu_gpu *g, const char *name, unsigned id, int available,
		      const char *description)
{
	struct mdev_vgpu_type *n = realloc(g->types, (g->n_types + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	g->types = n;
	struct mdev_vgpu_type *t = &g->types[g->n_types];
	t->name = strdup(name);
	t->id = id;
	t->available = available;
	t->description = description ? strdup(description) : NULL;
	if (!t->name || (description && !t->description)) {
		free(t->name);
		free(t->description);
		return -ENOMEM;
	}
	g->n_types++;
	return 0;
}

/* Which framework gpu uses: -ENODEV with a message naming what is there instead. */
static int gpu_framework(struct mdev_ctx *ctx, const char *gpu, enum mdev_vgpu_framework *fw)
{
	if (!gpu || !is_safe_name(gpu))
		return lib_error(ctx, EINVAL, "Invalid GPU name");
	_cleanup_free_ char *mdev = xasprintf(MDEV_CLASS "/%s", gpu);
	if (!mdev)
		return lib_error(ctx, ENOMEM, "out of memory");
	if (root_exists(ctx, mdev)) {
		*fw = MDEV_VGPU_FW_MDEV;
		return 0;
	}
	struct sriov_pf pf;
	int r = sriov_pf_load(ctx, gpu, &pf);
	if (r == -ENOENT)
		return lib_error(ctx, ENODEV,
				 "GPU %s not found: it is neither an mdev parent nor an SR-IOV PF", gpu);
	if (r < 0)
		return r;
	r = 0;
	if (pf.driver && !strcmp(pf.driver, "nvidia"))
		*fw = MDEV_VGPU_FW_NVIDIA_VFIO;
	else if (pf.driver && !strcmp(pf.driver, "xe"))
		*fw = MDEV_VGPU_FW_XE_SRIOV;
	else
		r = lib_error(ctx, ENODEV,
			      "GPU %s is an SR-IOV PF bound to %s, not to nvidia or xe", gpu,
			      pf.driver ? pf.driver : "no driver");
	sriov_pf_clear(&pf);
	return r;
}

static int cmp_vgpu(const void *a, const void *b)
{
	const struct mdev_vgpu *x = a, *y = b;
	int c = strcmp(x->gpu ? x->gpu : "", y->gpu ? y->gpu : "");
	if (c)
		return c;
	if (x->vf != y->vf)
		return x->vf < y->vf ? -1 : 1;
	return strcmp(x->id, y->id);
}

int mdev_vgpu_list(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_list *ret_list)
{
	memset(ret_list, 0, sizeof(*ret_list));
	struct mdev_vgpu_list defs = { 0 };
	int r = vgpu_defs_load(ctx, gpu, &defs);
	if (r >= 0)
		r = fw_mdev_list(ctx, gpu, ret_list);
	if (r >= 0)
		r = fw_nvidia_list(ctx, gpu, &defs, ret_list);
	if (r >= 0)
		r = fw_xe_list(ctx, gpu, &defs, ret_list);
	/* definitions whose VF holds nothing now: defined, not active */
	size_t n_active = ret_list->n;
	for (size_t i = 0; i < defs.n && r >= 0; i++) {
		bool found = false;
		for (size_t k = 0; k < n_active && !found; k++) {
			const struct mdev_vgpu *a = &ret_list->vgpus[k];
			found = a->framework == defs.vgpus[i].framework && a->vf == defs.vgpus[i].vf &&
				!strcmp(a->gpu, defs.vgpus[i].gpu);
		}
		if (found)
			continue;
		/* the VF exists (enabled) but holds nothing: named by its address */
		char rel[128];
		char *addr = NULL;
		snprintf(rel, sizeof(rel), PCI_DEVICES "/%s/virtfn%u", defs.vgpus[i].gpu,
			 defs.vgpus[i].vf - 1);
		if (root_canonical_basename(ctx, rel, &addr) == 0 && is_pci_address(addr)) {
			free(defs.vgpus[i].id);
			defs.vgpus[i].id = addr;
		} else {
			free(addr);
		}
		if (vgpu_list_push(ret_list, &defs.vgpus[i]) < 0)
			r = lib_error(ctx, ENOMEM, "out of memory");
	}
	mdev_vgpu_list_clear(&defs);
	if (r < 0) {
		mdev_vgpu_list_clear(ret_list);
		return r;
	}
	if (ret_list->n > 1)
		qsort(ret_list->vgpus, ret_list->n, sizeof(ret_list->vgpus[0]), cmp_vgpu);
	return 0;
}

static int cmp_gpu(const void *a, const void *b)
{
	const struct mdev_vgpu_gpu *x = a, *y = b;
	return strcmp(x->gpu, y->gpu);
}

static int vgpu_types(struct mdev_ctx *ctx, const char *gpu, bool all,
		      struct mdev_vgpu_gpu_list *ret_list)
{
	memset(ret_list, 0, sizeof(*ret_list));
	int r = fw_mdev_types(ctx, gpu, ret_list);
	if (r >= 0)
		r = fw_nvidia_types(ctx, gpu, all, ret_list);
	if (r >= 0)
		r = fw_xe_types(ctx, gpu, ret_list);
	if (r < 0) {
		mdev_vgpu_gpu_list_clear(ret_list);
		return r;
	}
	if (ret_list->n > 1)
		qsort(ret_list->gpus, ret_list->n, sizeof(ret_list->gpus[0]), cmp_gpu);
	return 0;
}

int mdev_vgpu_types(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_gpu_list *ret_list)
{
	return vgpu_types(ctx, gpu, false, ret_list);
}

int mdev_vgpu_types_all(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_gpu_list *ret_list)
{
	return vgpu_types(ctx, gpu, true, ret_list);
}

int mdev_vgpu_create(struct mdev_ctx *ctx, const struct mdev_vgpu_create_req *req,
		     struct mdev_vgpu_list *ret_created)
{
	struct mdev_vgpu_list created = { 0 };
	enum mdev_vgpu_framework fw;
	if (!req->type || !*req->type)
		return lib_error(ctx, EINVAL, "no type given");
	if (req->count > VGPU_MAX_VFS)
		return lib_error(ctx, EINVAL, "GPU %s: %u vGPUs is more than any GPU holds", req->gpu,
				 req->count);
	int r = gpu_framework(ctx, req->gpu, &fw);
	if (r < 0)
		return r;
	if (req->profile && fw != MDEV_VGPU_FW_XE_SRIOV)
		return lib_error(ctx, EINVAL, "GPU %s: --profile is for Xe GPUs (xe-sriov), this one is %s",
				 req->gpu, mdev_vgpu_framework_name(fw));
	/* one writer at a time: two creates must not pick the same free VF */
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	r = lib_lock(ctx, &locked);
	if (r < 0)
		return r;
	switch (fw) {
	case MDEV_VGPU_FW_MDEV:
		r = fw_mdev_create(ctx, req, &created);
		break;
	case MDEV_VGPU_FW_NVIDIA_VFIO:
		r = fw_nvidia_create(ctx, req, &created);
		break;
	case MDEV_VGPU_FW_XE_SRIOV:
		r = fw_xe_create(ctx, req, &created);
		break;
	}
	if (r >= 0 && ret_created)
		*ret_created = created;
	else
		mdev_vgpu_list_clear(&created);
	return r < 0 ? r : 0;
}

/* The index in all of the vGPU named id (a UUID in any form, a VF address, <gpu>/vf<N>), or
 * all->n */
static size_t find_vgpu(const struct mdev_vgpu_list *all, const char *id)
{
	char uuid[MDEV_UUID_LEN + 1];
	const char *want = mdev_uuid_parse(id, uuid) == 0 ? uuid : id;
	size_t k;
	for (k = 0; k < all->n; k++) {
		const struct mdev_vgpu *v = &all->vgpus[k];
		_cleanup_free_ char *slot = v->vf ? vf_slot_id(v->gpu, v->vf) : NULL;
		if (!strcmp(v->id, want) || (slot && !strcmp(slot, want)))
			break;
	}
	return k;
}

int mdev_vgpu_remove(struct mdev_ctx *ctx, const char *const *ids, size_t n_ids)
{
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	int r = lib_lock(ctx, &locked);
	if (r < 0)
		return r;
	struct mdev_vgpu_list all = { 0 };
	r = mdev_vgpu_list(ctx, NULL, &all);
	if (r < 0)
		return r;
	size_t *pick = calloc(n_ids ? n_ids : 1, sizeof(size_t));
	if (!pick) {
		mdev_vgpu_list_clear(&all);
		return lib_error(ctx, ENOMEM, "out of memory");
	}
	/* every id is found, and every Xe GPU touched loses all its enabled VFs, before anything
	 * changes */
	for (size_t i = 0; i < n_ids && r >= 0; i++) {
		size_t k = find_vgpu(&all, ids[i]);
		if (k == all.n)
			r = lib_error(ctx, ENOENT, "no vGPU %s (see vgpuctl list)", ids[i]);
		pick[i] = k;
	}
	for (size_t k = 0; k < all.n && r >= 0; k++) {
		struct mdev_vgpu *v = &all.vgpus[k];
		if (v->framework != MDEV_VGPU_FW_XE_SRIOV || !v->active)
			continue;
		bool picked = false, gpu_picked = false;
		for (size_t i = 0; i < n_ids; i++) {
			picked = picked || pick[i] == k;
			gpu_picked = gpu_picked || !strcmp(all.vgpus[pick[i]].gpu, v->gpu);
		}
		if (gpu_picked && !picked)
			r = lib_error(ctx, EINVAL,
				      "GPU %s: Xe enables and disables its VFs all at once: remove all of them (%s too)",
				      v->gpu, v->id);
	}
	for (size_t i = 0; i < n_ids && r >= 0; i++) {
		struct mdev_vgpu *v = &all.vgpus[pick[i]];
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup = dup || pick[j] == pick[i];
		if (dup)
			continue;
		switch (v->framework) {
		case MDEV_VGPU_FW_MDEV:
			r = fw_mdev_remove(ctx, v);
			break;
		case MDEV_VGPU_FW_NVIDIA_VFIO:
			r = fw_nvidia_remove(ctx, v);
			break;
		case MDEV_VGPU_FW_XE_SRIOV: {
			bool first = true;
			for (size_t j = 0; j < i; j++)
				first = first && strcmp(all.vgpus[pick[j]].gpu, v->gpu);
			if (first && v->active)
				r = fw_xe_disable(ctx, v->gpu);
			if (r >= 0 && v->defined)
				r = vgpu_def_remove(ctx, v->gpu, v->vf);
			break;
		}
		}
	}
	free(pick);
	mdev_vgpu_list_clear(&all);
	return r < 0 ? r : 0;
}

int mdev_vgpu_gpu_framework(struct mdev_ctx *ctx, const char *gpu,
			    enum mdev_vgpu_framework *ret_fw)
{
	enum mdev_vgpu_framework fw;
	int r = gpu_framework(ctx, gpu, &fw);
	if (r >= 0)
		*ret_fw = fw;
	return r;
}

int mdev_vgpu_start_defined(struct mdev_ctx *ctx)
{
	return mdev_vgpu_start_defined_gpu(ctx, NULL);
}

int mdev_vgpu_start_defined_gpu(struct mdev_ctx *ctx, const char *only)
{
	struct mdev_vgpu_list defs = { 0 };
	if (only && !is_safe_name(only))
		return lib_error(ctx, EINVAL, "Invalid GPU name");
	int r = vgpu_defs_load(ctx, only, &defs);
	if (r < 0)
		return r;
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	r = lib_lock(ctx, &locked);
	if (r < 0) {
		mdev_vgpu_list_clear(&defs);
		return r;
	}
	int failed = 0;
	for (size_t i = 0; i < defs.n;) {
		/* the definitions of one GPU, all "auto" ones */
		size_t j = i;
		struct mdev_vgpu_list gpu_defs = { 0 };
		while (j < defs.n && !strcmp(defs.vgpus[j].gpu, defs.vgpus[i].gpu))
			j++;
		gpu_defs.vgpus = &defs.vgpus[i];
		gpu_defs.n = j - i;
		const char *gpu = defs.vgpus[i].gpu;
		enum mdev_vgpu_framework fw;
		r = gpu_framework(ctx, gpu, &fw);
		if (r >= 0 && fw != defs.vgpus[i].framework)
			r = lib_error(ctx, ENODEV, "GPU %s is %s now, its definitions are for %s", gpu,
				      mdev_vgpu_framework_name(fw),
				      mdev_vgpu_framework_name(defs.vgpus[i].framework));
		if (r >= 0)
			r = fw == MDEV_VGPU_FW_NVIDIA_VFIO ? fw_nvidia_start(ctx, gpu, &gpu_defs) :
							     fw_xe_start(ctx, gpu, &gpu_defs);
		if (r < 0) {
			log_warn(ctx, "%s", mdev_ctx_error_message(ctx));
			lib_error_clear(ctx);
			failed++;
		}
		i = j;
	}
	mdev_vgpu_list_clear(&defs);
	return failed;
}

int mdev_vgpu_define(struct mdev_ctx *ctx, const char *id, bool autostart)
{
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	int r = lib_lock(ctx, &locked);
	if (r < 0)
		return r;
	struct mdev_vgpu_list all = { 0 };
	r = mdev_vgpu_list(ctx, NULL, &all);
	if (r < 0)
		return r;
	size_t k = find_vgpu(&all, id);
	struct mdev_vgpu *v = k < all.n ? &all.vgpus[k] : NULL;
	char uuid[MDEV_UUID_LEN + 1];
	if (!v)
		r = lib_error(ctx, ENOENT, "no vGPU %s (see vgpuctl list)", id);
	else if (v->defined && v->autostart == autostart)
		r = 0;
	else if (v->framework == MDEV_VGPU_FW_MDEV && v->defined) {
		struct mdev_modify_req mr = { .uuid = v->id, .parent = v->gpu,
					      .start = autostart ? MDEV_START_AUTO : MDEV_START_MANUAL };
		r = mdev_modify(ctx, &mr);
	} else if (v->framework == MDEV_VGPU_FW_MDEV) {
		struct mdev_define_req dr = { .uuid = v->id, .parent = v->gpu, .type = v->type,
					      .autostart = autostart };
		r = mdev_define(ctx, &dr, uuid);
	} else if (!v->type || (v->framework == MDEV_VGPU_FW_NVIDIA_VFIO && !v->type_id)) {
		r = lib_error(ctx, EINVAL, "GPU %s: the type of vGPU %s is not known: it cannot be defined",
			      v->gpu, v->id);
	} else {
		v->defined = true;
		v->autostart = autostart;
		r = vgpu_def_write(ctx, v);
	}
	mdev_vgpu_list_clear(&all);
	return r < 0 ? r : 0;
}
