/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl plan for SR-IOV GPUs (issue 20): per NVIDIA GPU, each type's framebuffer, how many fit
 * now and how many on the empty GPU (the framebuffer over the type's size, at most one per VF);
 * per Xe GPU, the share each VF gets for every VF count. Through libmdev's vGPU view. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include "sriov_plan.h"

static unsigned on_empty(const struct mdev_vgpu_gpu *g, const struct mdev_vgpu_type *t)
{
	if (!g->fb_total_gb || !t->fb_gb)
		return 0;
	unsigned n = g->fb_total_gb / t->fb_gb;
	return n < g->total_vfs ? n : g->total_vfs;
}

int plan_sriov(struct mdev_ctx *ctx, bool json, bool only)
{
	struct mdev_vgpu_gpu_list gl = { 0 };
	if (mdev_vgpu_types(ctx, NULL, &gl) < 0) {
		fprintf(stderr, "Error: %s\n", mdev_ctx_error_message(ctx));
		return 1;
	}
	size_t n = 0;
	for (size_t i = 0; i < gl.n; i++)
		n += gl.gpus[i].framework != MDEV_VGPU_FW_MDEV;
	if (!n || (json && !only)) {
		mdev_vgpu_gpu_list_clear(&gl);
		return -1;
	}
	struct json_object *arr = json ? json_object_new_array() : NULL;
	for (size_t i = 0; i < gl.n; i++) {
		const struct mdev_vgpu_gpu *g = &gl.gpus[i];
		if (g->framework == MDEV_VGPU_FW_MDEV)
			continue;
		bool nv = g->framework == MDEV_VGPU_FW_NVIDIA_VFIO;
		struct json_object *o = NULL, *ts = NULL;
		if (json) {
			o = json_object_new_object();
			ts = json_object_new_array();
			json_object_object_add(o, "gpu", json_object_new_string(g->gpu));
			json_object_object_add(o, "framework", json_object_new_string(mdev_vgpu_framework_name(g->framework)));
			json_object_object_add(o, "total_vfs", json_object_new_int64(g->total_vfs));
			json_object_object_add(o, "enabled_vfs", json_object_new_int64(g->num_vfs));
			json_object_object_add(o, "used_vfs", json_object_new_int64(g->used_vfs));
			if (nv) {
				json_object_object_add(o, "fb_total_gb", json_object_new_int64(g->fb_total_gb));
				json_object_object_add(o, "fb_locked_gb", json_object_new_int64(g->fb_locked_gb));
			}
		} else {
			printf("%s%s (%s): %u VFs, %u enabled, %u in use", i ? "\n" : "", g->gpu,
			       mdev_vgpu_framework_name(g->framework), g->total_vfs, g->num_vfs, g->used_vfs);
			if (nv && g->fb_total_gb)
				printf(", %u GB framebuffer", g->fb_total_gb);
			if (nv && g->fb_locked_gb)
				printf(", size locked to %u GB", g->fb_locked_gb);
			printf("\n");
			if (g->note)
				printf("  Note: %s\n", g->note);
		}
		if (nv) {
			if (!json && g->n_types)
				printf("  %-24s %5s %5s %10s\n", "TYPE", "SIZE", "NOW", "EMPTY GPU");
			for (size_t k = 0; k < g->n_types; k++) {
				const struct mdev_vgpu_type *t = &g->types[k];
				unsigned e = on_empty(g, t);
				if (json) {
					struct json_object *to = json_object_new_object();
					json_object_object_add(to, "type", json_object_new_string(t->name));
					json_object_object_add(to, "id", json_object_new_int64(t->id));
					json_object_object_add(to, "fb_gb", json_object_new_int64(t->fb_gb));
					json_object_object_add(to, "fit_now", json_object_new_int64(t->available));
					json_object_object_add(to, "fit_empty", e ? json_object_new_int64(e) : NULL);
					json_object_array_add(ts, to);
					continue;
				}
				char size[16] = "?", empty[16] = "?";
				if (t->fb_gb)
					snprintf(size, sizeof(size), "%u GB", t->fb_gb);
				if (e)
					snprintf(empty, sizeof(empty), "%u", e);
				printf("  %-24s %5s %5d %10s\n", t->name, size, t->available, empty);
			}
		} else {
			if (!json)
				printf("  %-4s %s\n", "VFS", "EACH VF GETS (fair share of engine time and memory)");
			for (unsigned v = 1; v <= g->total_vfs; v++) {
				if (json) {
					struct json_object *to = json_object_new_object();
					json_object_object_add(to, "vfs", json_object_new_int64(v));
					json_object_object_add(to, "share_percent", json_object_new_double((double)(1000 / v) / 10.0));
					json_object_array_add(ts, to);
				} else {
					printf("  %-4u 1/%u (%.1f%%)%s\n", v, v, 100.0 / v,
					       g->num_vfs == v ? "  <- now" : "");
				}
			}
		}
		if (json) {
			json_object_object_add(o, nv ? "types" : "vf_counts", ts);
			json_object_array_add(arr, o);
		}
	}
	if (json) {
		puts(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(arr);
	}
	mdev_vgpu_gpu_list_clear(&gl);
	return 0;
}
