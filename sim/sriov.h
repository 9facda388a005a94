/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's SR-IOV GPUs (issue 20): an NVIDIA PF with the vendor-specific VFIO framework and
 * an Intel Xe PF with sriov_admin, served by a file system of their own. A profile with
 * "[sriov ADDR]" sections is handed to sriov_main() instead of the mdev model. */
#ifndef MDEV_SIM_SRIOV_H
#define MDEV_SIM_SRIOV_H

#include <stdbool.h>
#include <stddef.h>

#define SR_MAX_PFS 4
#define SR_MAX_VFS 64
#define SR_MAX_TYPES 32

enum sr_driver { SR_NVIDIA, SR_XE };

struct sr_type {
	unsigned id;
	char name[64];
	unsigned fb_gb; /* from the name: "NVIDIA L40S-4Q" takes 4 GB */
};

struct sr_profile {
	unsigned eq, pt;
	int prio; /* 0 low, 1 normal, 2 high */
	unsigned long long vram; /* vram_quota, bytes (VFs only) */
};

/* Xe VRAM provisioning (Linux 7.0): the PF keeps SR_VRAM_PF_RESERVE of a discrete GPU's VRAM,
 * quotas are aligned up to SR_VRAM_ALIGN (the ABI says only "might be aligned"; our choice) */
#define SR_VRAM_ALIGN (2ULL << 20)
#define SR_VRAM_PF_RESERVE (1ULL << 30)

struct sr_pf {
	char addr[16];
	char path[160]; /* under devices/, ends with addr */
	enum sr_driver driver;
	unsigned vendor, device, vf_device;
	unsigned total, num, offset, stride;
	/* NVIDIA */
	unsigned fb_gb;
	bool header; /* creatable_vgpu_types starts with "ID    : vGPU Name" */
	struct sr_type types[SR_MAX_TYPES];
	size_t n_types;
	unsigned current[SR_MAX_VFS];
	bool busy[SR_MAX_VFS];
	/* Xe */
	bool admin;
	int refuse_prio; /* a priority the firmware refuses (EPERM), -1 none */
	unsigned long long vram; /* a discrete GPU's VRAM in bytes; 0: integrated, no vram_quota */
	bool vram_ro;            /* vram_quota read-only: no dynamic VF VRAM provisioning */
	struct sr_profile prof[SR_MAX_VFS + 1]; /* [0] the PF, [n] VF n */
};

struct sr_model {
	struct sr_pf pfs[SR_MAX_PFS];
	size_t n_pfs;
	int iommu_groups;
};

/* Does the profile file describe SR-IOV GPUs? */
bool sriov_is_profile(const char *file);
int sriov_load(struct sr_model *m, const char *file, char *err, size_t errsz);
/* The VF address of VF i (0-based) */
void sriov_vf_addr(const struct sr_pf *pf, unsigned i, char out[16]);
/* What VF i lists in creatable_vgpu_types (ids into out, count returned) */
size_t sriov_creatable(const struct sr_pf *pf, unsigned i, unsigned *out);
/* The kernel's stores: 0 or -errno */
int sriov_store_numvfs(struct sr_pf *pf, const char *buf, size_t len);
int sriov_store_current(struct sr_pf *pf, unsigned i, const char *buf, size_t len);
int sriov_store_profile(struct sr_pf *pf, unsigned fn, const char *attr, const char *buf,
			size_t len);
/* .bulk_profile/vram_quota: the same quota for every enabled VF (all of them when none is) */
int sriov_store_bulk_vram(struct sr_pf *pf, const char *buf, size_t len);
/* Mount the file system (fuse_main); the exit status */
int sriov_main(const char *file, bool fg, bool debug, const char *mnt, char *argv0);

#endif
