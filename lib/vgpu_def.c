/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Definitions of SR-IOV vGPUs: etc/vgpu.d/<gpu>/vf<N>, one small JSON object each.
 *
 * Not under etc/mdevctl.d: upstream mdevctl reads every <parent>/<uuid> there and would take a
 * VF definition for a broken mdev config. Written like mdev configs: atomically (temp file,
 * fsync, rename, directory fsync) under the root's one writer lock (lock.c), validated when
 * read. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "vgpu.h"

static const char *const KEYS[] = { "framework", "type", "type_id", "start", "profile" };

int vgpu_def_parse(struct mdev_ctx *ctx, const char *text, size_t len, struct mdev_vgpu *v)
{
	_cleanup_json_ struct json_object *o = NULL;
	int r = json_parse_text(ctx, text, len, &o);
	if (r < 0)
		return r;
	if (!o || !json_object_is_type(o, json_type_object))
		return lib_error(ctx, EINVAL, "a vGPU definition must be a JSON object");
	json_object_object_foreach(o, key, val) {
		(void)val;
		bool known = false;
		for (size_t i = 0; i < ARRAY_SIZE(KEYS); i++)
			known = known || !strcmp(key, KEYS[i]);
		if (!known)
			return lib_error(ctx, EINVAL, "unknown field \"%s\"", key);
	}
	struct json_object *fw = NULL, *type = NULL, *tid = NULL, *start = NULL, *prof = NULL;
	json_object_object_get_ex(o, "framework", &fw);
	json_object_object_get_ex(o, "type", &type);
	json_object_object_get_ex(o, "type_id", &tid);
	json_object_object_get_ex(o, "start", &start);
	json_object_object_get_ex(o, "profile", &prof);
	const char *f = fw && json_object_is_type(fw, json_type_string) ?
				json_object_get_string(fw) : "";
	if (!strcmp(f, "nvidia-vfio"))
		v->framework = MDEV_VGPU_FW_NVIDIA_VFIO;
	else if (!strcmp(f, "xe-sriov"))
		v->framework = MDEV_VGPU_FW_XE_SRIOV;
	else
		return lib_error(ctx, EINVAL, "\"framework\" must be \"nvidia-vfio\" or \"xe-sriov\"");
	if (!type || !json_object_is_type(type, json_type_string) ||
	    !*json_object_get_string(type) || json_object_get_string_len(type) > 128)
		return lib_error(ctx, EINVAL, "\"type\" must be a type name (1 to 128 characters)");
	const char *s = start && json_object_is_type(start, json_type_string) ?
				json_object_get_string(start) : "";
	if (strcmp(s, "auto") && strcmp(s, "manual"))
		return lib_error(ctx, EINVAL, "\"start\" must be \"auto\" or \"manual\"");
	v->autostart = !strcmp(s, "auto");
	v->type_id = 0;
	if (v->framework == MDEV_VGPU_FW_NVIDIA_VFIO) {
		int64_t id = tid && json_object_is_type(tid, json_type_int) ?
				     json_object_get_int64(tid) : 0;
		if (id <= 0 || id > 65535)
			return lib_error(ctx, EINVAL,
					 "\"type_id\" must be NVIDIA's type id (1 to 65535)");
		v->type_id = (unsigned)id;
		if (prof)
			return lib_error(ctx, EINVAL, "\"profile\" is for Xe VFs only");
	} else {
		if (tid)
			return lib_error(ctx, EINVAL, "\"type_id\" is for NVIDIA VFs only");
		if (strcmp(json_object_get_string(type), MDEV_VGPU_XE_TYPE))
			return lib_error(ctx, EINVAL, "the type of an Xe VF is \"" MDEV_VGPU_XE_TYPE "\"");
	}
	free(v->type);
	v->type = strdup(json_object_get_string(type));
	free(v->profile);
	v->profile = NULL;
	if (!v->type)
		return lib_error(ctx, ENOMEM, "out of memory");
	if (prof) {
		struct xe_profile p;
		if (!json_object_is_type(prof, json_type_string))
			return lib_error(ctx, EINVAL, "\"profile\" must be a string");
		r = xe_parse_profile(ctx, json_object_get_string(prof), &p);
		if (r < 0)
			return r;
		v->profile = xe_format_profile(&p);
		if (!v->profile)
			return lib_error(ctx, ENOMEM, "out of memory");
	}
	return 0;
}

char *vgpu_def_format(const struct mdev_vgpu *v)
{
	_cleanup_json_ struct json_object *o = json_object_new_object();
	if (!o)
		return NULL;
	json_object_object_add(o, "framework",
			       json_object_new_string(mdev_vgpu_framework_name(v->framework)));
	json_object_object_add(o, "type", json_object_new_string(v->type ? v->type : ""));
	if (v->framework == MDEV_VGPU_FW_NVIDIA_VFIO)
		json_object_object_add(o, "type_id", json_object_new_int64(v->type_id));
	json_object_object_add(o, "start", json_object_new_string(v->autostart ? "auto" : "manual"));
	if (v->profile && *v->profile)
		json_object_object_add(o, "profile", json_object_new_string(v->profile));
	char *text = json_format(o, true);
	if (!text)
		return NULL;
	char *nl = xasprintf("%s\n", text);
	free(text);
	return nl;
}

static int parse_vf_name(const char *name, unsigned *vf)
{
	if (strncmp(name, "vf", 2) || name[2] < '1' || name[2] > '9')
		return -EINVAL;
	char *end;
	unsigned long v = strtoul(name + 2, &end, 10);
	if (*end || v > VGPU_MAX_VFS)
		return -EINVAL;
	*vf = (unsigned)v;
	return 0;
}

static int load_gpu(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_list *ret)
{
	_cleanup_free_ char *dir = xasprintf(VGPU_DIR "/%s", gpu);
	char **names = NULL;
	size_t n = 0;
	if (!dir)
		return lib_error(ctx, ENOMEM, "out of memory");
	int r = root_list_dir(ctx, dir, &names, NULL, &n);
	if (r == -ENOENT || r == -ENOTDIR)
		return 0;
	if (r < 0)
		return lib_error(ctx, -r, "cannot list %s: %s", dir, strerror(-r));
	for (size_t i = 0; i < n && r >= 0; i++) {
		unsigned vf;
		/* temp files of a writer (TMP_PREFIX) and the NVIDIA type names are not definitions */
		if (names[i][0] == '.' || !strcmp(names[i], "nvidia-types"))
			continue;
		if (parse_vf_name(names[i], &vf) < 0) {
			log_warn(ctx, "Ignoring %s/%s: not a vGPU definition (vf<N>)", dir, names[i]);
			continue;
		}
		_cleanup_free_ char *rel = xasprintf("%s/%s", dir, names[i]), *text = NULL;
		ssize_t len = rel ? root_read_file(ctx, rel, &text) : -ENOMEM;
		struct mdev_vgpu v = { 0 };
		if (len >= 0)
			len = vgpu_def_parse(ctx, text, (size_t)len, &v);
		else
			lib_error(ctx, (int)-len, "%s", strerror((int)-len));
		if (len < 0) {
			log_warn(ctx, "Ignoring %s: %s", rel ? rel : names[i], mdev_ctx_error_message(ctx));
			lib_error_clear(ctx);
			vgpu_clear(&v);
			continue;
		}
		v.gpu = strdup(gpu);
		v.vf = vf;
		v.defined = true;
		v.id = vf_slot_id(gpu, vf);
		if (!v.gpu || !v.id || vgpu_list_push(ret, &v) < 0) {
			vgpu_clear(&v);
			r = lib_error(ctx, ENOMEM, "out of memory");
		}
	}
	strv_free(names, n);
	return r < 0 ? r : 0;
}

static int cmp_def(const void *a, const void *b)
{
	const struct mdev_vgpu *x = a, *y = b;
	int c = strcmp(x->gpu, y->gpu);
	return c ? c : (x->vf > y->vf) - (x->vf < y->vf);
}

int vgpu_defs_load(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_list *ret)
{
	memset(ret, 0, sizeof(*ret));
	int r = 0;
	if (gpu) {
		if (is_pci_address(gpu))
			r = load_gpu(ctx, gpu, ret);
	} else {
		char **names = NULL;
		size_t n = 0;
		r = root_list_dir(ctx, VGPU_DIR, &names, NULL, &n);
		if (r == -ENOENT)
			return 0;
		if (r < 0)
			return lib_error(ctx, -r, "cannot list " VGPU_DIR ": %s", strerror(-r));
		for (size_t i = 0; i < n && r >= 0; i++) {
			/* temp files, and the record of the applied layout (vgpu_layout.c) */
			if (names[i][0] == '.' || !strcmp(names[i], VGPU_LAYOUT_NAME))
				continue;
			if (!is_pci_address(names[i])) {
				log_warn(ctx, "Ignoring " VGPU_DIR "/%s: not a PCI address", names[i]);
				continue;
			}
			r = load_gpu(ctx, names[i], ret);
		}
		strv_free(names, n);
	}
	if (r < 0) {
		mdev_vgpu_list_clear(ret);
		return r;
	}
	if (ret->n > 1)
		qsort(ret->vgpus, ret->n, sizeof(ret->vgpus[0]), cmp_def);
	return 0;
}

int vgpu_def_write(struct mdev_ctx *ctx, const struct mdev_vgpu *v)
{
	if (!is_pci_address(v->gpu) || v->vf == 0 || v->vf > VGPU_MAX_VFS)
		return lib_error(ctx, EINVAL, "invalid vGPU definition");
	_cleanup_free_ char *dir = xasprintf(VGPU_DIR "/%s", v->gpu);
	_cleanup_free_ char *text = vgpu_def_format(v);
	char name[16];
	snprintf(name, sizeof(name), "vf%u", v->vf);
	if (!dir || !text)
		return lib_error(ctx, ENOMEM, "out of memory");
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	int r = lib_lock(ctx, &locked);
	if (r < 0)
		return r;
	r = root_mkdir_p(ctx, dir, 0755);
	if (r < 0)
		return lib_error(ctx, -r, "cannot create %s: %s", dir, strerror(-r));
	r = root_write_atomic(ctx, NULL, dir, name, text, strlen(text));
	if (r < 0)
		return lib_error(ctx, -r, "cannot write %s/%s: %s", dir, name, strerror(-r));
	return 0;
}

int vgpu_def_remove(struct mdev_ctx *ctx, const char *gpu, unsigned vf)
{
	_cleanup_free_ char *dir = xasprintf(VGPU_DIR "/%s", gpu);
	_cleanup_free_ char *rel = xasprintf(VGPU_DIR "/%s/vf%u", gpu, vf);
	if (!dir || !rel)
		return lib_error(ctx, ENOMEM, "out of memory");
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	int r = lib_lock(ctx, &locked);
	if (r < 0)
		return r;
	if (unlinkat(ctx->root_fd, rel, 0) < 0 && errno != ENOENT)
		return lib_error_os(ctx, errno, "cannot remove %s", rel);
	root_sync_dir(ctx, dir);
	return 0;
}
