/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl doctor's checks of SR-IOV GPUs (issue 20): NVIDIA's vendor-specific VFIO and Intel Xe. */
#ifndef VGPUCTL_SRIOV_CHECKS_H
#define VGPUCTL_SRIOV_CHECKS_H

#include <mdev/mdev.h>

/* status: 0 ok, 1 warn, 2 fail, 3 info (doctor's order) */
typedef void (*sriov_check_fn)(void *report, const char *id, int status, const char *detail,
			       const char *fix);
/* Add the checks of every SR-IOV GPU bound to nvidia or xe; returns how many there are. */
int doctor_sriov(struct mdev_ctx *ctx, void *report, sriov_check_fn add);

#endif
