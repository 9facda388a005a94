/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The GVT-g resource model (docs/gvtg.md): how many vGPUs of each type fit in the
 * graphics memory and fence registers a host leaves for guests, for a given aperture. */
#ifndef VGPUCTL_GVTG_MODEL_H
#define VGPUCTL_GVTG_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#define GVT_TOTAL_MB 4096
#define GVT_HOST_LOW_MB 128
#define GVT_HOST_HIGH_MB 384
#define GVT_FENCES 32
#define GVT_HOST_FENCES 4

struct gvt_type {
	int div; /* the _N of i915-GVTg_V5_N */
	int low_mb, high_mb, fences;
	const char *resolution;
	int width, height;
	int weight;
};

extern const struct gvt_type gvt_types[4];
/* Firmware aperture settings compared by default. */
extern const int gvt_apertures[4];

enum gvt_limit { LIMIT_LOW, LIMIT_HIGH, LIMIT_FENCES };
extern const char *const gvt_limit_names[3];

/* What is left for guests at this aperture after the given vGPUs (counts per type). */
struct gvt_pool {
	int low_mb, high_mb, fences;
};
struct gvt_pool gvt_pool(int aperture_mb, const int used[4]);
/* Instances of type t that still fit in the pool, and which resource runs out first. */
int gvt_fit(const struct gvt_pool *p, size_t t, enum gvt_limit *limit);
/* The type index for a type id such as "i915-GVTg_V5_4" (V4 or V5), or -1. */
int gvt_type_index(const char *id);
/* Of the firmware settings gvt_apertures, the one that fits the most vGPUs on an idle GPU (more
 * of every type, as it turns out: docs/gvtg.md); counts (may be NULL) gets how many of each type
 * fit there. */
int gvt_best_aperture(int counts[4]);

struct mdev_ctx;
/* The aperture of the GPU at PCI address pci (e.g. "0000:00:02.0") in MiB: the size of BAR 2 in
 * its sys/bus/pci/devices/<pci>/resource under ctx's root; 0 when that is unknown. */
int gvt_read_aperture(struct mdev_ctx *ctx, const char *pci);
struct mdev_parent_info;
/* The aperture of a GVT-g parent: BAR 2 of its PCI device, else the standard setting that
 * reproduces the counts sysfs shows with used (vGPUs running, per type) taken; *inferred
 * says which. 0 if neither works. */
int gvt_host_aperture(struct mdev_ctx *ctx, const struct mdev_parent_info *p, const int used[4],
		      bool *inferred);

#endif
