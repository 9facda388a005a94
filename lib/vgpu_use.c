/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whether a vGPU is in use, so that converging a host to a layout never takes one from a guest.
 *
 * The kernel has no "in use" attribute for a VFIO device. A user (QEMU) holds it through an open
 * file: the legacy group interface /dev/vfio/<group> (the device's iommu_group link names the
 * group; an mdev has a group of its own) or, since Linux 6.2, the device's character device
 * /dev/vfio/devices/vfio<N> (its vfio-dev/vfio<N> directory). libvirt and QEMU keep that file open
 * for as long as the guest runs, so a process with one of them among its descriptors is a user:
 * proc/<pid>/fd is scanned under the root (on a host, /proc). mdev-sim has no processes; its
 * unlisted sim_busy file (on an mdev, and in an NVIDIA VF's nvidia/) stands for one. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "vgpu.h"

#define USE_TARGETS_MAX 8

struct use_targets {
	char *path[USE_TARGETS_MAX];
	size_t n;
};

static void targets_clear(struct use_targets *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->path[i]);
	t->n = 0;
}

static void targets_add(struct use_targets *t, char *path)
{
	if (path && t->n < USE_TARGETS_MAX)
		t->path[t->n++] = path;
	else
		free(path);
}

/* the files through which a process holds the device dev (a directory of the root) */
static void device_targets(struct mdev_ctx *ctx, const char *dev, struct use_targets *t)
{
	_cleanup_free_ char *grp_rel = xasprintf("%s/iommu_group", dev), *grp = NULL;
	if (grp_rel && root_canonical_basename(ctx, grp_rel, &grp) == 0 && grp && *grp)
		targets_add(t, xasprintf("/dev/vfio/%s", grp));
	_cleanup_free_ char *cdev_rel = xasprintf("%s/vfio-dev", dev);
	char **names = NULL;
	size_t n = 0;
	if (cdev_rel && root_list_dir(ctx, cdev_rel, &names, NULL, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			if (!strncmp(names[i], "vfio", 4))
				targets_add(t, xasprintf("/dev/vfio/devices/%s", names[i]));
		strv_free(names, n);
	}
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* the first process (by pid) with one of the targets open, or 0 */
static int find_user(struct mdev_ctx *ctx, const struct use_targets *t)
{
	char **pids = NULL;
	size_t n = 0;
	if (!t->n || root_list_dir(ctx, "proc", &pids, NULL, &n) < 0)
		return 0;
	int found = 0;
	for (size_t i = 0; i < n && !found; i++) {
		if (!all_digits(pids[i]))
			continue;
		char rel[64];
		snprintf(rel, sizeof(rel), "proc/%.20s/fd", pids[i]);
		char **fds = NULL;
		size_t nf = 0;
		/* another user's process without privilege, or one that just ended */
		if (root_list_dir(ctx, rel, &fds, NULL, &nf) < 0)
			continue;
		for (size_t k = 0; k < nf && !found; k++) {
			char link[96], target[256];
			snprintf(link, sizeof(link), "%s/%.20s", rel, fds[k]);
			ssize_t len = readlinkat(mdev_ctx_get_root_fd(ctx), link, target, sizeof(target) - 1);
			if (len <= 0)
				continue;
			target[len] = '\0';
			for (size_t j = 0; j < t->n && !found; j++)
				if (!strcmp(target, t->path[j]))
					found = atoi(pids[i]);
		}
		strv_free(fds, nf);
	}
	strv_free(pids, n);
	return found;
}

static bool sim_busy(struct mdev_ctx *ctx, const char *rel)
{
	_cleanup_free_ char *text = NULL;
	return rel && root_read_file(ctx, rel, &text) > 0 && text[0] == '1';
}

int mdev_vgpu_in_use(struct mdev_ctx *ctx, const char *id, int *ret_pid)
{
	char uuid[MDEV_UUID_LEN + 1];
	_cleanup_free_ char *dev = NULL, *hook = NULL;
	if (ret_pid)
		*ret_pid = 0;
	if (mdev_uuid_parse(id, uuid) == 0) {
		dev = xasprintf(MDEV_BUS_DEVICES "/%s", uuid);
		hook = xasprintf(MDEV_BUS_DEVICES "/%s/sim_busy", uuid);
	} else if (is_pci_address(id)) {
		dev = xasprintf(PCI_DEVICES "/%s", id);
		hook = xasprintf(PCI_DEVICES "/%s/nvidia/sim_busy", id);
	} else {
		return 0; /* a defined VF that does not exist now: nothing can hold it */
	}
	if (!dev || !hook)
		return lib_error(ctx, ENOMEM, "out of memory");
	if (!root_exists(ctx, dev))
		return 0;
	if (sim_busy(ctx, hook))
		return 1;
	struct use_targets t = { 0 };
	device_targets(ctx, dev, &t);
	int pid = find_user(ctx, &t);
	targets_clear(&t);
	if (pid && ret_pid)
		*ret_pid = pid;
	return pid ? 1 : 0;
}
