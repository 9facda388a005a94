/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Intel GPUs by PCI device id: generation and the way to share them with guests. The table
 * (pciids.c) is generated from the kernel's header by gen-pciids.py. */
#ifndef VGPUCTL_PCIIDS_H
#define VGPUCTL_PCIIDS_H

#include <stdint.h>

enum gpu_path {
	PATH_GVTG_V4,    /* GVT-g mediated devices, i915-GVTg_V4_* types (Gen 8) */
	PATH_GVTG_V5,    /* GVT-g mediated devices, i915-GVTg_V5_* types (Gen 9/9.5) */
	PATH_SRIOV,      /* SR-IOV virtual functions (Gen 12+) */
	PATH_NONE,       /* Gen 11: neither */
	PATH_PASSTHROUGH /* only the whole GPU to one guest */
};

struct intel_gpu {
	uint16_t device;
	const char *gen; /* "7.5", "9.5", "12"; NULL if the table does not know it */
	enum gpu_path path;
	const char *platform;
};

extern const struct intel_gpu intel_gpus[];
extern const unsigned int n_intel_gpus;

#endif
