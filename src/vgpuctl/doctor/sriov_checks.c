/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl doctor for SR-IOV GPUs: each PF's driver, its VFs (enabled, bound to the driver the
 * framework needs), the kernel version the framework needs (NVIDIA's vendor-specific VFIO:
 * Linux 6.8; Xe's sriov_admin: 6.19), and for NVIDIA which framebuffer size the running vGPUs
 * chose. Through libmdev's vGPU view and the context's root, like the other checks. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sriov_checks.h"

enum { OK, WARN, FAIL, INFO };

/* "6.19.0-1-amd64" as 6 * 1000 + 19; 0 when unknown */
static int kernel_version(struct mdev_ctx *ctx)
{
	char buf[128];
	int fd = openat(mdev_ctx_get_root_fd(ctx), "proc/sys/kernel/osrelease", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	int major = 0, minor = 0;
	return sscanf(buf, "%d.%d", &major, &minor) == 2 ? major * 1000 + minor : 0;
}

/* the driver a PCI device is bound to ("" when none) */
static void driver_of(struct mdev_ctx *ctx, const char *addr, char *out, size_t sz)
{
	char rel[96], target[256];
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/driver", addr);
	ssize_t n = readlinkat(mdev_ctx_get_root_fd(ctx), rel, target, sizeof(target) - 1);
	out[0] = '\0';
	if (n <= 0)
		return;
	target[n] = '\0';
	const char *base = strrchr(target, '/');
	base = base ? base + 1 : target;
	size_t len = strlen(base);
	if (len >= sz)
		len = sz - 1;
	memcpy(out, base, len);
	out[len] = '\0';
}

static void check_vf_drivers(struct mdev_ctx *ctx, const struct mdev_vgpu_gpu *g,
			     const struct mdev_vgpu_list *vgpus, void *report, sriov_check_fn add)
{
	char detail[512] = "", fix[512] = "";
	size_t wrong = 0, n = 0;
	for (size_t i = 0; i < vgpus->n; i++) {
		const struct mdev_vgpu *v = &vgpus->vgpus[i];
		if (!v->active || strcmp(v->gpu, g->gpu) || strchr(v->id, '/'))
			continue;
		char drv[64];
		driver_of(ctx, v->id, drv, sizeof(drv));
		n++;
		bool ok = g->framework == MDEV_VGPU_FW_NVIDIA_VFIO ? !strcmp(drv, "nvidia") :
								     strcmp(drv, "xe") != 0;
		if (!ok && !wrong++)
			snprintf(detail, sizeof(detail), "%s: VF %s is bound to %s", g->gpu, v->id,
				 *drv ? drv : "no driver");
	}
	if (!n)
		return;
	if (!wrong) {
		snprintf(detail, sizeof(detail), g->framework == MDEV_VGPU_FW_NVIDIA_VFIO ?
			 "%s: all %zu vGPU VFs are bound to nvidia (it registers them with VFIO)" :
			 "%s: no VF of the %zu is used by xe on the host (vfio-pci takes them for guests)",
			 g->gpu, n);
	} else if (g->framework == MDEV_VGPU_FW_NVIDIA_VFIO) {
		snprintf(fix, sizeof(fix),
			 "NVIDIA's VFs must stay on nvidia (guests get them with managed='no'): echo VF > /sys/bus/pci/drivers/<driver>/unbind; echo VF > /sys/bus/pci/drivers/nvidia/bind");
	} else {
		snprintf(fix, sizeof(fix),
			 "unbind the VF from xe; libvirt's <hostdev managed='yes'> binds it to vfio-pci when the guest starts");
	}
	add(report, "sriov-vf-driver", wrong ? (g->framework == MDEV_VGPU_FW_NVIDIA_VFIO ? FAIL : WARN) : OK,
	    detail, fix);
}

int doctor_sriov(struct mdev_ctx *ctx, void *report, sriov_check_fn add)
{
	struct mdev_vgpu_gpu_list gl = { 0 };
	struct mdev_vgpu_list vl = { 0 };
	if (mdev_vgpu_types(ctx, NULL, &gl) < 0 || mdev_vgpu_list(ctx, NULL, &vl) < 0) {
		add(report, "sriov", WARN, mdev_ctx_error_message(ctx), "");
		mdev_vgpu_gpu_list_clear(&gl);
		return 0;
	}
	int kv = kernel_version(ctx), found = 0;
	char detail[512], fix[512];
	for (size_t i = 0; i < gl.n; i++) {
		const struct mdev_vgpu_gpu *g = &gl.gpus[i];
		if (g->framework == MDEV_VGPU_FW_MDEV)
			continue;
		bool nv = g->framework == MDEV_VGPU_FW_NVIDIA_VFIO;
		found++;
		snprintf(detail, sizeof(detail), "%s: SR-IOV PF bound to %s (%s), up to %u VFs", g->gpu,
			 g->driver, nv ? "NVIDIA vendor-specific VFIO, vGPU 17+" : "Intel Xe SR-IOV",
			 g->total_vfs);
		add(report, "sriov-gpu", OK, detail, "");
		int need = nv ? 6008 : 6019;
		if (kv) {
			bool old = kv < need;
			snprintf(detail, sizeof(detail), "kernel %d.%d %s %s", kv / 1000, kv % 1000,
				 old ? "is older than" : "is at least", nv ? "6.8 (vendor-specific VFIO)" :
				 "6.19 (sriov_admin: scheduling profiles)");
			snprintf(fix, sizeof(fix), "%s", !old ? "" : nv ?
				 "install a Linux 6.8 or later kernel (Debian: bookworm-backports) with NVIDIA's vGPU 17+ host driver" :
				 "VFs work with fair shares; for scheduling profiles install Linux 6.19 or later");
			add(report, "sriov-kernel", old ? (nv ? FAIL : WARN) : OK, detail, fix);
		}
		if (!nv) {
			char rel[128];
			snprintf(rel, sizeof(rel), "sys/bus/pci/drivers/xe/%s/sriov_admin", g->gpu);
			bool admin = faccessat(mdev_ctx_get_root_fd(ctx), rel, F_OK, 0) == 0;
			snprintf(detail, sizeof(detail), admin ? "%s: sriov_admin present: VF scheduling profiles can be set" :
				 "%s: no sriov_admin (Linux 6.19+): VFs share the GPU fairly, profiles cannot be set", g->gpu);
			add(report, "sriov-admin", admin ? OK : WARN, detail,
			    admin ? "" : "install Linux 6.19 or later to set exec_quantum_ms, preempt_timeout_us and sched_priority");
		}
		if (g->num_vfs == 0) {
			snprintf(detail, sizeof(detail), "%s: no VFs enabled yet (%u possible)", g->gpu, g->total_vfs);
			add(report, "sriov-vfs", INFO, detail,
			    nv ? "vgpuctl create --gpu PF --type TYPE enables them (as NVIDIA's sriov-manage -e) and creates vGPUs" :
				 "vgpuctl create --gpu PF --type xe-vf --count N enables N VFs");
		} else {
			snprintf(detail, sizeof(detail), "%s: %u of %u VFs enabled, %u %s", g->gpu, g->num_vfs,
				 g->total_vfs, g->used_vfs, nv ? "hold a vGPU" : "given out as vGPUs");
			add(report, "sriov-vfs", OK, detail, "");
		}
		check_vf_drivers(ctx, g, &vl, report, add);
		if (nv && g->num_vfs) {
			if (g->fb_locked_gb)
				snprintf(detail, sizeof(detail), "%s: framebuffer size locked to %u GB by the running vGPUs: only %u GB types fit until all are removed",
					 g->gpu, g->fb_locked_gb, g->fb_locked_gb);
			else
				snprintf(detail, sizeof(detail), "%s: no vGPU yet: the first one chooses the framebuffer size for all", g->gpu);
			add(report, "nvidia-framebuffer", INFO, detail, "");
		}
	}
	mdev_vgpu_gpu_list_clear(&gl);
	mdev_vgpu_list_clear(&vl);
	return found;
}
