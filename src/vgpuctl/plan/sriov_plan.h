/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef VGPUCTL_SRIOV_PLAN_H
#define VGPUCTL_SRIOV_PLAN_H

#include <stdbool.h>
#include <mdev/mdev.h>

/* The plan of this host's SR-IOV GPUs. only: the host has no mdev parent (the SR-IOV plan is
 * the whole answer, JSON included); otherwise text is printed after the GVT-g plan. The exit
 * status, or -1 when there is nothing to print. */
int plan_sriov(struct mdev_ctx *ctx, bool json, bool only);

#endif
