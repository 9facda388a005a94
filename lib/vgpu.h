/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal interface between the framework-neutral vGPU view (vgpu.c), the definitions of
 * SR-IOV vGPUs (vgpu_def.c), the PCI SR-IOV basics (sriov.c) and one file per framework
 * (fw_mdev.c, fw_nvidia.c, fw_xe.c). Only a framework's file knows its sysfs names. */
#ifndef MDEV_VGPU_H
#define MDEV_VGPU_H

#include "internal.h"

#define VGPU_DIR "etc/vgpu.d"
#define PCI_DEVICES "sys/bus/pci/devices"
/* The PCI core allows up to 65535 VFs; no GPU has more than a few dozen. A bound keeps a hostile
 * sriov_totalvfs from making us walk 65535 links. */
#define VGPU_MAX_VFS 1024

/* ---- vgpu.c: lists */
void vgpu_clear(struct mdev_vgpu *v);
/* Append v (moved: v is zeroed). 0 or -ENOMEM (v untouched). */
int vgpu_list_push(struct mdev_vgpu_list *l, struct mdev_vgpu *v);
int gpu_list_push(struct mdev_vgpu_gpu_list *l, struct mdev_vgpu_gpu *g);
void vgpu_gpu_clear(struct mdev_vgpu_gpu *g);
int vgpu_gpu_add_type(struct mdev_vgpu_gpu *g, const char *name, unsigned id, int available,
		      const char *description);
bool is_pci_address(const char *s);

/* ---- sriov.c: a PCI SR-IOV physical function */
struct sriov_pf {
	char *addr;
	char *driver;   /* NULL when unbound */
	unsigned total; /* sriov_totalvfs (at most VGPU_MAX_VFS) */
	unsigned num;   /* sriov_numvfs */
	char **vfs;     /* [total]: VF i+1's address (virtfn<i>), NULL when it does not exist */
};
/* -ENOENT (no error set) when addr is not an SR-IOV PF; other errors set ctx's. */
int sriov_pf_load(struct mdev_ctx *ctx, const char *addr, struct sriov_pf *pf);
void sriov_pf_clear(struct sriov_pf *pf);
/* PCI addresses of the SR-IOV PFs bound to driver (sorted). */
int sriov_list_pfs(struct mdev_ctx *ctx, const char *driver, char ***ret, size_t *ret_n);
/* Call fn for each SR-IOV PF bound to driver (gpu NULL: all of them, sorted; else only gpu,
 * if it is one), loaded; pf is cleared after fn returns (fn may take its fields and zero
 * them). Stops at the first error fn or a load returns. */
typedef int (*sriov_pf_fn)(struct mdev_ctx *ctx, struct sriov_pf *pf, void *userdata);
int sriov_for_each_pf(struct mdev_ctx *ctx, const char *gpu, const char *driver,
		      sriov_pf_fn fn, void *userdata);
/* Write sriov_numvfs; the kernel's errno with a message naming the GPU. */
int sriov_set_numvfs(struct mdev_ctx *ctx, const char *pf, unsigned n);
/* A small sysfs file as an unsigned number (trimmed, decimal): 0, -ENOENT, or -EINVAL. */
int read_unsigned(struct mdev_ctx *ctx, const char *rel, unsigned long max, unsigned *ret);
/* "<gpu>/vf<N>": the id of a VF vGPU whose VF does not exist now */
char *vf_slot_id(const char *gpu, unsigned vf);
/* Parse "<gpu>/vf<N>"; 0 or -EINVAL */
int parse_vf_slot(const char *id, char *gpu, size_t gpusz, unsigned *vf);

/* ---- vgpu_def.c: etc/vgpu.d/<gpu>/vf<N>, one SR-IOV vGPU each */
/* Parse a definition's JSON into v (framework, type, type_id, autostart, profile): -EINVAL with
 * the reason for anything else than what vgpu_def_format writes. */
int vgpu_def_parse(struct mdev_ctx *ctx, const char *text, size_t len, struct mdev_vgpu *v);
char *vgpu_def_format(const struct mdev_vgpu *v);
/* Every definition (gpu NULL: all), each with defined set; sorted by gpu then vf. A file that
 * does not parse is skipped with a warning, as mdevctl skips a bad config. */
int vgpu_defs_load(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_list *ret);
/* Atomically (temp file, fsync, rename) under the root's writer lock. */
int vgpu_def_write(struct mdev_ctx *ctx, const struct mdev_vgpu *v);
int vgpu_def_remove(struct mdev_ctx *ctx, const char *gpu, unsigned vf);
/* etc/vgpu.d/applied-layout: what vgpuctl apply last applied (vgpu_layout.c), not a GPU */
#define VGPU_LAYOUT_NAME "applied-layout"

/* ---- fw_mdev.c */
int fw_mdev_list(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_list *out);
int fw_mdev_types(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_gpu_list *out);
int fw_mdev_create(struct mdev_ctx *ctx, const struct mdev_vgpu_create_req *req,
		   struct mdev_vgpu_list *created);
int fw_mdev_remove(struct mdev_ctx *ctx, const struct mdev_vgpu *v);

/* ---- fw_nvidia.c */
struct nv_type {
	unsigned id;
	char *name;
};
struct nv_types {
	struct nv_type *v;
	size_t n;
};
/* creatable_vgpu_types: "<id> : <name>" lines (or "<id> <name>"); a header line ("ID : vGPU
 * Name"), other lines not starting with a number, ids without a name, blank lines and spaces
 * around are skipped. 0, or -ENOMEM/-E2BIG (ctx may be NULL). */
int nv_parse_types(struct mdev_ctx *ctx, const char *text, struct nv_types *ret);
void nv_types_clear(struct nv_types *t);
const char *nv_short_name(const char *name);
const struct nv_type *nv_types_find(const struct nv_types *t, const char *name_or_id);
const struct nv_type *nv_types_find_id(const struct nv_types *t, unsigned id);
/* The framebuffer size a type name states ("NVIDIA L40S-4Q": 4, "H200X-1-18C": 18), in GB;
 * 0 when the name does not say. */
unsigned nv_type_fb_gb(const char *name);
int fw_nvidia_list(struct mdev_ctx *ctx, const char *gpu, const struct mdev_vgpu_list *defs,
		   struct mdev_vgpu_list *out);
/* all: also the known types that do not fit now */
int fw_nvidia_types(struct mdev_ctx *ctx, const char *gpu, bool all, struct mdev_vgpu_gpu_list *out);
int fw_nvidia_create(struct mdev_ctx *ctx, const struct mdev_vgpu_create_req *req,
		     struct mdev_vgpu_list *created);
int fw_nvidia_remove(struct mdev_ctx *ctx, const struct mdev_vgpu *v);
int fw_nvidia_start(struct mdev_ctx *ctx, const char *gpu, const struct mdev_vgpu_list *defs);

/* ---- fw_xe.c */
enum xe_prio { XE_PRIO_NONE, XE_PRIO_LOW, XE_PRIO_NORMAL, XE_PRIO_HIGH };
struct xe_profile {
	bool has_eq, has_pt, has_vram;
	unsigned eq; /* exec_quantum_ms */
	unsigned pt; /* preempt_timeout_us */
	enum xe_prio prio;
	unsigned long long vram; /* vram_quota, bytes */
};
/* The largest vram_quota we take: 1 TiB, far above any GPU's VRAM, far below overflow */
#define XE_VRAM_MAX (1ULL << 40)
/* "exec_quantum_ms=N,preempt_timeout_us=N,sched_priority=low|normal|high,vram_quota=SIZE", any
 * subset in any order (SIZE: bytes, or a number with K, M, G or T, KiB.. TiB: powers of 1024):
 * -EINVAL with the reason for anything else. */
int xe_parse_profile(struct mdev_ctx *ctx, const char *s, struct xe_profile *p);
/* SIZE as above: 0 or -EINVAL (above XE_VRAM_MAX too) */
int xe_parse_size(const char *s, unsigned long long *ret);
/* The canonical text of a profile (keys in the order above; vram_quota in the largest unit
 * that divides it exactly: "4G", "1536M", "4097"); malloc'd. */
char *xe_format_profile(const struct xe_profile *p);
/* A discrete Xe GPU's VRAM: the sum of its tiles' physical_vram_size_bytes; 0 when unknown
 * (an integrated GPU has none). */
unsigned long long xe_vram_total(struct mdev_ctx *ctx, const char *gpu);
/* sched_priority as read ("[low] normal high", the current one in brackets). */
enum xe_prio xe_parse_priority(const char *text);
const char *xe_prio_name(enum xe_prio p);
int fw_xe_list(struct mdev_ctx *ctx, const char *gpu, const struct mdev_vgpu_list *defs,
	       struct mdev_vgpu_list *out);
int fw_xe_types(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_gpu_list *out);
int fw_xe_create(struct mdev_ctx *ctx, const struct mdev_vgpu_create_req *req,
		 struct mdev_vgpu_list *created);
/* Disable every VF of gpu (all of them must be in the removal). */
int fw_xe_disable(struct mdev_ctx *ctx, const char *gpu);
int fw_xe_start(struct mdev_ctx *ctx, const char *gpu, const struct mdev_vgpu_list *defs);

#endif
