/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One config of a layout file resolved against this host, and the fewest changes that bring
 * the host to it: what apply carries out and what assert reports. Built from libmdev's
 * framework-neutral view (mdev_vgpu_types_all, mdev_vgpu_list); reads only. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <mdev/mdev.h>
#include "layout.h"

/* One type a GPU should have, resolved from the name the file wrote. */
struct plan_want {
	const char *written; /* as in the file */
	char *type;          /* as vGPUs list it (mdev type id, "NVIDIA L40S-4Q", "xe-vf") */
	char *create;        /* as mdev_vgpu_create takes it */
	unsigned type_id;    /* NVIDIA */
	unsigned fb_gb;      /* NVIDIA: the size one vGPU takes, from its name; 0 unknown */
	unsigned count;
	unsigned line;
};

struct plan_gpu {
	const struct mdev_vgpu_gpu *g;
	unsigned index;
	const struct layout_entry *entry; /* the entry that decides (the last covering it); NULL:
					   * the config leaves this GPU alone */
	struct plan_want *wants;
	size_t n_wants;
	const char *xe_profile; /* the entry's profile for Xe VFs, or NULL */
	bool xe_profile_differs; /* the VFs run with another defined profile */
};

enum plan_action { PLAN_REMOVE, PLAN_DEFINE, PLAN_CREATE };

struct plan_change {
	enum plan_action action;
	size_t gpu;                /* index into plan.gpus */
	const struct mdev_vgpu *v; /* REMOVE, DEFINE: the vGPU */
	const struct plan_want *want; /* CREATE: the type; count below */
	unsigned count;
	bool in_use; /* REMOVE: a process holds it */
	int pid;     /* and which, 0 when not known */
};

struct host_plan {
	struct mdev_vgpu_gpu_list types;
	struct mdev_vgpu_list vgpus;
	struct plan_gpu *gpus;
	size_t n_gpus;
	struct plan_change *changes;
	size_t n_changes;
};

/* Resolve config c of f on the host and plan the changes. 0, or -1 with "FILE:LINE: ..." (or
 * a library error) in err, changing nothing. */
int host_plan_build(struct mdev_ctx *ctx, const struct layout_file *f,
		    const struct layout_config *c, struct host_plan *p, char *err, size_t errlen);
void host_plan_clear(struct host_plan *p);
/* "GPU 0 (0000:00:02.0, mdev)" */
void plan_gpu_name(const struct plan_gpu *g, char *buf, size_t sz);
/* the file's name in messages */
const char *layout_file_name(const struct layout_file *f);
