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
#include <stdint.h>

#define LAYOUT_FILE_MAX (1024 * 1024) /* a layout file larger than this is refused */
#define LAYOUT_COUNT_MAX 1024        /* more vGPUs of one type than any GPU hosts */
#define LAYOUT_INDEX_MAX 1023        /* highest GPU index a "devices:" list may name */

struct layout_count {
	char *type;     /* as written: NVIDIA name ("L40S-4Q"), mdev type id or name, "xe-vf" */
	unsigned count; /* >= 1 */
	unsigned line;  /* 1-based line of the key in the file */
};

/* One "device-filter:" value, NVIDIA's form: "0xDDDDVVVV" (PCI device and vendor id) or
 * "0xDDDDVVVV:0xSSSSssss" (and subsystem device and vendor id, all four must match). */
struct layout_device_id {
	uint16_t device, vendor;
	uint16_t subsystem_device, subsystem_vendor;
	bool has_subsystem;
};

/* A GPU is covered by an entry when it matches one of its device filters (or there are none)
 * and its index is in devices (or all_devices). Entries may overlap (NVIDIA's own example
 * config has two entries with the same filter): NVIDIA's tool applies every matching entry in
 * file order, so the last one that covers a GPU decides. */
struct layout_entry {
	bool all_devices;  /* devices: all */
	unsigned *devices; /* GPU indices otherwise (sorted, no duplicates; may be empty) */
	size_t n_devices;
	struct layout_count *counts; /* vgpu-devices, in file order; none: no vGPUs on those GPUs */
	size_t n_counts;
	unsigned line; /* 1-based line where the entry starts */
	struct layout_device_id *device_filter; /* device-filter: (NVIDIA); none: every GPU */
	size_t n_device_filter;
	char *xe_profile;         /* xe-profile: (ours) scheduling profile of the entry's Xe VFs,
				   * "exec_quantum_ms=N,..." as `vgpuctl create --profile` takes it;
				   * NULL if none. Checked by apply, not by the file reader. */
	unsigned xe_profile_line; /* its line, for apply's message */
};

struct layout_config {
	char *name;
	unsigned line;
	struct layout_entry *entries;
	size_t n_entries;
};

struct layout_file {
	char *path; /* as named; "-" is shown as "<stdin>" */
	unsigned line; /* 1-based line of "vgpu-configs:" */
	struct layout_config *configs;
	size_t n_configs;
};

/* Read and check a layout file ("-": standard input, at most LAYOUT_FILE_MAX bytes).
 * Returns 0, or -1 with a message in err ("FILE:LINE: what is wrong", no "Error: " prefix). */
int layout_file_read(const char *path, struct layout_file *ret, char *err, size_t errlen);
/* The same for text already in memory (len bytes; text[len] need not be NUL), shown as name
 * "shown" in messages: what the unit tests and the fuzz target call. */
int layout_file_parse(const char *shown, const char *text, size_t len, struct layout_file *ret,
		      char *err, size_t errlen);
/* The config of that name, or NULL. */
const struct layout_config *layout_file_find(const struct layout_file *f, const char *name);
void layout_file_clear(struct layout_file *f);

/* ---- layout_cli.c: the options apply and assert share, and the two verbs. */
struct mdev_ctx;

struct layout_opts {
	const char *file;   /* -f, --config-file (NVIDIA's long name); "-": standard input */
	const char *config; /* -c, --selected-config; NULL: the only config of the file */
	bool dry_run;       /* apply --dry-run */
	bool force;         /* apply --force */
	bool valid_config;  /* assert --valid-config: the file and the name only, not the host */
	bool json;          /* --json summary */
};

/* Parse the options of verb argv[0] ("apply" or "assert"). Returns -1 and fills *ret to go on,
 * or the exit status when done (help printed: 0; a usage error printed: 2). */
int layout_parse_opts(int argc, char **argv, struct layout_opts *ret);
/* Read o->file and pick o->config. Returns 0 with *ret_file filled (layout_file_clear() it)
 * and *ret_config pointing into it, or prints "Error: FILE:LINE: ..." and returns 1. */
int layout_load(const struct layout_opts *o, struct layout_file *ret_file,
		const struct layout_config **ret_config);

/* The host half (apply.c, assert.c of branch layout-apply): converge to or compare with one
 * config of a file already read and checked; each returns the exit status and prints its own
 * messages. Until those land, layout_pending.c defines both as "not implemented". */
int layout_apply(struct mdev_ctx *ctx, const struct layout_opts *o, const struct layout_file *f,
		 const struct layout_config *c);
int layout_assert(struct mdev_ctx *ctx, const struct layout_opts *o, const struct layout_file *f,
		  const struct layout_config *c);
