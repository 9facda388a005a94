/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vGPU layout files: NVIDIA vgpu-device-manager's "version: v1" format, read unchanged.
 *
 *   version: v1
 *   vgpu-configs:
 *     NAME:
 *       - devices: all            # or a list of GPU indices: [0, 1]
 *         vgpu-devices:
 *           L40S-4Q: 12           # type name -> count
 *
 * GPU indices follow the PCI address order of the GPUs that can host vGPUs (every GPU that
 * mdev_vgpu_types() lists). layout_file.c parses (libyaml) and checks the file alone;
 * apply.c converges a host to one config and assert.c compares. This header is the contract
 * between them. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#define LAYOUT_FILE_MAX (1024 * 1024) /* a layout file larger than this is refused */

struct layout_count {
	char *type;     /* as written: NVIDIA name ("L40S-4Q"), mdev type id or name, "xe-vf" */
	unsigned count; /* >= 1 */
	unsigned line;  /* 1-based line of the key in the file */
};

struct layout_entry {
	bool all_devices;  /* devices: all */
	unsigned *devices; /* GPU indices otherwise (sorted, no duplicates) */
	size_t n_devices;
	struct layout_count *counts; /* vgpu-devices, in file order */
	size_t n_counts;
	unsigned line; /* 1-based line where the entry starts */
};

struct layout_config {
	char *name;
	unsigned line;
	struct layout_entry *entries;
	size_t n_entries;
};

struct layout_file {
	char *path; /* as named; "-" is shown as "<stdin>" */
	struct layout_config *configs;
	size_t n_configs;
};

/* Read and check a layout file ("-": standard input, at most LAYOUT_FILE_MAX bytes).
 * Returns 0, or -1 with a message in err ("FILE:LINE: what is wrong", no "Error: " prefix). */
int layout_file_read(const char *path, struct layout_file *ret, char *err, size_t errlen);
/* The config of that name, or NULL. */
const struct layout_config *layout_file_find(const struct layout_file *f, const char *name);
void layout_file_clear(struct layout_file *f);
