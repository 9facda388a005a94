/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The generic PCI part of SR-IOV, the same for every vendor (Documentation/ABI/testing/
 * sysfs-bus-pci): a PF's sriov_totalvfs and sriov_numvfs, its virtfn<i> links to the VFs, and
 * the driver link. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "vgpu.h"

bool is_pci_address(const char *s)
{
	/* dddd:bb:dd.f, hex digits */
	static const char pat[] = "xxxx:xx:xx.x";
	if (!s || strlen(s) != sizeof(pat) - 1)
		return false;
	for (size_t i = 0; pat[i]; i++) {
		if (pat[i] == 'x' ? hexval((unsigned char)s[i]) < 0 : s[i] != pat[i])
			return false;
	}
	return true;
}

int read_unsigned(struct mdev_ctx *ctx, const char *rel, unsigned long max, unsigned *ret)
{
	_cleanup_free_ char *text = NULL;
	ssize_t n = root_read_file(ctx, rel, &text);
	if (n < 0)
		return (int)n;
	char *s = trim(text), *end;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

char *vf_slot_id(const char *gpu, unsigned vf)
{
	return xasprintf("%s/vf%u", gpu, vf);
}

int parse_vf_slot(const char *id, char *gpu, size_t gpusz, unsigned *vf)
{
	const char *slash = strchr(id, '/');
	if (!slash || (size_t)(slash - id) >= gpusz || strncmp(slash + 1, "vf", 2))
		return -EINVAL;
	char *end;
	const char *num = slash + 3;
	if (*num < '1' || *num > '9')
		return -EINVAL;
	unsigned long v = strtoul(num, &end, 10);
	if (*end || v > VGPU_MAX_VFS)
		return -EINVAL;
	memcpy(gpu, id, (size_t)(slash - id));
	gpu[slash - id] = '\0';
	if (!is_pci_address(gpu))
		return -EINVAL;
	*vf = (unsigned)v;
	return 0;
}

void sriov_pf_clear(struct sriov_pf *pf)
{
	if (pf->vfs)
		strv_free(pf->vfs, pf->total);
	free(pf->addr);
	free(pf->driver);
	memset(pf, 0, sizeof(*pf));
}

int sriov_pf_load(struct mdev_ctx *ctx, const char *addr, struct sriov_pf *pf)
{
	memset(pf, 0, sizeof(*pf));
	if (!is_pci_address(addr))
		return -ENOENT;
	char rel[128];
	snprintf(rel, sizeof(rel), PCI_DEVICES "/%s/sriov_totalvfs", addr);
	int r = read_unsigned(ctx, rel, 65535, &pf->total);
	if (r == -ENOENT || r == -ENOTDIR)
		return -ENOENT;
	if (r < 0)
		return lib_error(ctx, -r, "GPU %s: cannot read sriov_totalvfs: %s", addr, strerror(-r));
	if (pf->total > VGPU_MAX_VFS)
		pf->total = VGPU_MAX_VFS;
	snprintf(rel, sizeof(rel), PCI_DEVICES "/%s/sriov_numvfs", addr);
	r = read_unsigned(ctx, rel, 65535, &pf->num);
	if (r < 0)
		return lib_error(ctx, -r, "GPU %s: cannot read sriov_numvfs: %s", addr, strerror(-r));
	pf->addr = strdup(addr);
	pf->vfs = calloc(pf->total ? pf->total : 1, sizeof(char *));
	if (!pf->addr || !pf->vfs) {
		sriov_pf_clear(pf);
		return lib_error(ctx, ENOMEM, "out of memory");
	}
	snprintf(rel, sizeof(rel), PCI_DEVICES "/%s/driver", addr);
	r = root_canonical_basename(ctx, rel, &pf->driver);
	if (r < 0 && r != -ENOENT) {
		sriov_pf_clear(pf);
		return lib_error(ctx, -r, "GPU %s: cannot read its driver: %s", addr, strerror(-r));
	}
	for (unsigned i = 0; i < pf->total && i < pf->num; i++) {
		snprintf(rel, sizeof(rel), PCI_DEVICES "/%s/virtfn%u", addr, i);
		r = root_canonical_basename(ctx, rel, &pf->vfs[i]);
		if (r < 0 && r != -ENOENT) {
			sriov_pf_clear(pf);
			return lib_error(ctx, -r, "GPU %s: cannot read virtfn%u: %s", addr, i,
					 strerror(-r));
		}
		if (pf->vfs[i] && !is_pci_address(pf->vfs[i])) {
			free(pf->vfs[i]);
			pf->vfs[i] = NULL;
		}
	}
	return 0;
}

int sriov_list_pfs(struct mdev_ctx *ctx, const char *driver, char ***ret, size_t *ret_n)
{
	*ret = NULL;
	*ret_n = 0;
	char **names = NULL;
	size_t n = 0;
	int r = root_list_dir(ctx, PCI_DEVICES, &names, NULL, &n);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return lib_error(ctx, -r, "cannot list " PCI_DEVICES ": %s", strerror(-r));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool keep = false;
		if (is_pci_address(names[i])) {
			char rel[128];
			snprintf(rel, sizeof(rel), PCI_DEVICES "/%s/sriov_totalvfs", names[i]);
			_cleanup_free_ char *drv = NULL;
			if (root_exists(ctx, rel)) {
				snprintf(rel, sizeof(rel), PCI_DEVICES "/%s/driver", names[i]);
				keep = root_canonical_basename(ctx, rel, &drv) == 0 &&
				       !strcmp(drv, driver);
			}
		}
		if (keep)
			names[k++] = names[i];
		else
			free(names[i]);
	}
	*ret = names;
	*ret_n = k;
	return 0;
}

int sriov_for_each_pf(struct mdev_ctx *ctx, const char *gpu, const char *driver,
		      sriov_pf_fn fn, void *userdata)
{
	char **names = NULL;
	size_t n = 0;
	int r = 0;
	if (gpu) {
		names = calloc(1, sizeof(char *));
		if (!names || !(names[0] = strdup(gpu))) {
			free(names);
			return lib_error(ctx, ENOMEM, "out of memory");
		}
		n = 1;
	} else {
		r = sriov_list_pfs(ctx, driver, &names, &n);
	}
	for (size_t i = 0; i < n && r >= 0; i++) {
		struct sriov_pf pf;
		r = sriov_pf_load(ctx, names[i], &pf);
		if (r == -ENOENT) {
			r = 0;
			continue;
		}
		/* a GPU asked for by name may be another framework's: not ours to show */
		if (r >= 0 && pf.driver && !strcmp(pf.driver, driver))
			r = fn(ctx, &pf, userdata);
		sriov_pf_clear(&pf);
	}
	strv_free(names, n);
	return r < 0 ? r : 0;
}

int sriov_set_numvfs(struct mdev_ctx *ctx, const char *pf, unsigned n)
{
	char rel[128], val[16];
	snprintf(rel, sizeof(rel), PCI_DEVICES "/%s/sriov_numvfs", pf);
	int len = snprintf(val, sizeof(val), "%u", n);
	int r = root_write_file(ctx, rel, val, (size_t)len);
	if (r < 0)
		return lib_error(ctx, -r, "GPU %s: the kernel refused %u VFs (sriov_numvfs): %s", pf,
				 n, strerror(-r));
	return 0;
}
