/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's SR-IOV backend (fs.h): sys/bus/pci/{devices,drivers}, the PFs' and VFs'
 * directories under sys/devices with their sriov_*, virtfn<i>/physfn, driver links, NVIDIA's
 * per-VF nvidia/ files and Xe's sriov_admin/, laid out as the kernel does (relative links). The
 * rules of the stores are in sriov_model.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sriov.h"

struct sr_model sriov_host;
#define M sriov_host

enum sd { SD_ROOT, SD_CLASS, SD_EMPTY, SD_BUS, SD_BUSMDEV, SD_BUSPCI, SD_PCIDEVS, SD_DRIVERS,
	  SD_DRIVER, SD_KERNEL, SD_IOMMU, SD_GROUP, SD_PREFIX, SD_PF, SD_VF, SD_NVDIR, SD_ADMIN,
	  SD_FN, SD_PROFILE, SD_BULK, SD_TILE };
/* the profile files in the order of PROFILE_FILES, the bulk ones too; write-only from SF_BULK_EQ */
enum sf { SF_VENDOR, SF_DEVICE, SF_CLASS, SF_TOTAL, SF_NUM, SF_OFFSET, SF_STRIDE, SF_VF_DEVICE,
	  SF_AUTOPROBE, SF_CREATABLE, SF_CURRENT, SF_BUSY, SF_TILE_VRAM, SF_EQ, SF_PT, SF_PRIO,
	  SF_VRAM, SF_STOP, SF_BULK_EQ, SF_BULK_PT, SF_BULK_PRIO, SF_BULK_VRAM };

static const char *const DRIVERS[] = { "nvidia", "xe", "vfio-pci" };
#define N_DRIVERS (sizeof(DRIVERS) / sizeof(DRIVERS[0]))
/* a PF's generic SR-IOV files (drivers/pci/iov.c) */
static const struct {
	const char *name;
	enum sf file;
} PF_FILES[] = { { "sriov_totalvfs", SF_TOTAL }, { "sriov_numvfs", SF_NUM },
		 { "sriov_offset", SF_OFFSET }, { "sriov_stride", SF_STRIDE },
		 { "sriov_vf_device", SF_VF_DEVICE }, { "sriov_drivers_autoprobe", SF_AUTOPROBE } };
static const char *const PROFILE_FILES[] = { "exec_quantum_ms", "preempt_timeout_us",
					     "sched_priority", "vram_quota" };

/* How many of PROFILE_FILES a function's profile (fn > 0: a VF; bulk: fn < 0) shows: Linux 7.0
 * adds vram_quota for the VFs of a discrete GPU (not the PF) */
static int profile_files(const struct sr_pf *p, int fn)
{
	return p->vram && fn != 0 ? 4 : 3;
}

static const char *drv_name(const struct sr_pf *p)
{
	return p->driver == SR_XE ? "xe" : "nvidia";
}

/* the directory under devices/ of the PF (vf -1) or of VF vf: the VF's beside the PF's */
static void entity_path(const struct sr_pf *p, int vf, char *out, size_t sz)
{
	char a[16];
	const char *slash = strrchr(p->path, '/');
	if (vf < 0) {
		snprintf(out, sz, "%s", p->path);
		return;
	}
	sriov_vf_addr(p, (unsigned)vf, a);
	if (slash)
		snprintf(out, sz, "%.*s/%s", (int)(slash - p->path), p->path, a);
	else
		snprintf(out, sz, "%s", a);
}

/* an address of a PF or an enabled VF: pf index and vf (-1 for the PF) */
static bool find_addr(const char *a, int *pf, int *vf)
{
	for (size_t i = 0; i < M.n_pfs; i++) {
		for (int v = -1; v < (int)M.pfs[i].num; v++) {
			char b[16];
			if (v < 0)
				snprintf(b, sizeof(b), "%s", M.pfs[i].addr);
			else
				sriov_vf_addr(&M.pfs[i], (unsigned)v, b);
			if (!strcmp(a, b)) {
				*pf = (int)i;
				*vf = v;
				return true;
			}
		}
	}
	return false;
}

static int resolve_admin(const struct sr_pf *p, const char *sub, struct node *n)
{
	if (!*sub)
		return sim_dir(n, SD_ADMIN);
	const char *rest;
	int k;
	if ((rest = sim_after(sub, ".bulk_profile"))) {
		if (!*rest)
			return sim_dir(n, SD_BULK);
		if ((k = sim_find_name(rest, PROFILE_FILES, (size_t)profile_files(p, -1))) >= 0)
			return sim_file(n, SF_BULK_EQ + k);
		return -ENOENT;
	}
	char name[16];
	if (!(rest = sim_component(sub, name, sizeof(name))))
		return -ENOENT;
	if (!strcmp(name, "pf")) {
		n->fn = 0;
	} else if (!strncmp(name, "vf", 2) && name[2] >= '1' && name[2] <= '9') {
		char *end;
		unsigned long v = strtoul(name + 2, &end, 10);
		if (*end || v > p->total)
			return -ENOENT;
		n->fn = (int)v;
	} else {
		return -ENOENT;
	}
	if (!*rest)
		return sim_dir(n, SD_FN);
	if (!strcmp(rest, "device")) {
		char a[16];
		if (n->fn == 0)
			return sim_link(n, "../../../%s", p->addr);
		if ((unsigned)n->fn > p->num)
			return -ENOENT;
		sriov_vf_addr(p, (unsigned)n->fn - 1, a);
		return sim_link(n, "../../../%s", a);
	}
	if (!strcmp(rest, "stop") && n->fn)
		return sim_file(n, SF_STOP);
	const char *prof = sim_after(rest, "profile");
	if (!prof)
		return -ENOENT;
	if (!*prof)
		return sim_dir(n, SD_PROFILE);
	if ((k = sim_find_name(prof, PROFILE_FILES, (size_t)profile_files(p, n->fn))) >= 0)
		return sim_file(n, SF_EQ + k);
	return -ENOENT;
}

/* below the directory of the PF (vf -1) or of a VF */
static int resolve_entity(int pi, int vf, const char *sub, struct node *n)
{
	static const char *const ids[] = { "vendor", "device", "class" };
	const struct sr_pf *p = &M.pfs[pi];
	n->pf = pi;
	n->vf = vf;
	if (!*sub)
		return sim_dir(n, vf < 0 ? SD_PF : SD_VF);
	int k = sim_find_name(sub, ids, 3);
	if (k >= 0)
		return sim_file(n, SF_VENDOR + k);
	char ent[192];
	entity_path(p, vf, ent, sizeof(ent));
	if (vf < 0) {
		for (size_t j = 0; j < sizeof(PF_FILES) / sizeof(PF_FILES[0]); j++)
			if (!strcmp(sub, PF_FILES[j].name))
				return sim_file(n, PF_FILES[j].file);
		if (!strcmp(sub, "driver"))
			return sim_link_up(n, ent, 0, "bus/pci/drivers/%s", drv_name(p));
		if (!strncmp(sub, "virtfn", 6) && sub[6] >= '0' && sub[6] <= '9') {
			char *end, a[16];
			unsigned long i = strtoul(sub + 6, &end, 10);
			if (*end || i >= p->num)
				return -ENOENT;
			sriov_vf_addr(p, (unsigned)i, a);
			return sim_link(n, "../%s", a);
		}
		/* the xe driver's tile<N>/physical_vram_size_bytes (discrete GPUs) */
		const char *tile = sim_after(sub, "tile0");
		if (tile && p->driver == SR_XE && p->vram)
			return !*tile ? sim_dir(n, SD_TILE) :
			       !strcmp(tile, "physical_vram_size_bytes") ? sim_file(n, SF_TILE_VRAM) :
									   -ENOENT;
		const char *adm = sim_after(sub, "sriov_admin");
		if (adm && p->driver == SR_XE && p->admin)
			return resolve_admin(p, adm, n);
		return -ENOENT;
	}
	if (!strcmp(sub, "physfn"))
		return sim_link(n, "../%s", p->addr);
	if (p->driver != SR_NVIDIA)
		return -ENOENT;
	if (!strcmp(sub, "driver"))
		return sim_link_up(n, ent, 0, "bus/pci/drivers/%s", "nvidia");
	const char *nv = sim_after(sub, "nvidia");
	static const char *const nvfiles[] = { "creatable_vgpu_types", "current_vgpu_type",
					       "sim_busy" };
	if (!nv)
		return -ENOENT;
	if (!*nv)
		return sim_dir(n, SD_NVDIR);
	if ((k = sim_find_name(nv, nvfiles, 3)) >= 0)
		return sim_file(n, SF_CREATABLE + k);
	return -ENOENT;
}

static int resolve_devices(const char *rest, struct node *n)
{
	bool prefix = !*rest;
	for (size_t i = 0; i < M.n_pfs; i++) {
		for (int v = -1; v < (int)M.pfs[i].num; v++) {
			char ent[192];
			entity_path(&M.pfs[i], v, ent, sizeof(ent));
			const char *sub = sim_after(rest, ent);
			if (sub)
				return resolve_entity((int)i, v, sub, n);
			if (*rest && sim_after(ent, rest))
				prefix = true;
		}
	}
	if (!prefix)
		return -ENOENT;
	snprintf(n->prefix, sizeof(n->prefix), "%s", rest);
	return sim_dir(n, SD_PREFIX);
}

/* sys/bus/pci/drivers/<driver>/<address>: r follows "drivers/" */
static int resolve_driver(const char *r, struct node *n)
{
	for (size_t d = 0; d < N_DRIVERS; d++) {
		const char *a = sim_after(r, DRIVERS[d]);
		if (!a)
			continue;
		snprintf(n->driver, sizeof(n->driver), "%s", DRIVERS[d]);
		if (!*a)
			return sim_dir(n, SD_DRIVER);
		int pi, vf;
		if (!find_addr(a, &pi, &vf))
			return -ENOENT;
		const struct sr_pf *p = &M.pfs[pi];
		bool bound = vf < 0 ? !strcmp(drv_name(p), DRIVERS[d]) : p->driver == SR_NVIDIA && d == 0;
		if (!bound)
			return -ENOENT;
		char ent[192];
		entity_path(p, vf, ent, sizeof(ent));
		return sim_link(n, "../../../../devices/%s", ent);
	}
	return -ENOENT;
}

static int resolve(const char *path, struct node *n)
{
	static const struct {
		const char *path;
		enum sd dir;
	} dirs[] = { { "", SD_ROOT }, { "class", SD_CLASS }, { "class/mdev_bus", SD_EMPTY },
		     { "bus/mdev/devices", SD_EMPTY }, { "bus", SD_BUS }, { "bus/mdev", SD_BUSMDEV },
		     { "bus/pci", SD_BUSPCI }, { "bus/pci/devices", SD_PCIDEVS },
		     { "bus/pci/drivers", SD_DRIVERS }, { "kernel", SD_KERNEL },
		     { "kernel/iommu_groups", SD_IOMMU } };
	while (*path == '/')
		path++;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!strcmp(path, dirs[i].path))
			return sim_dir(n, dirs[i].dir);
	const char *r;
	if ((r = sim_after(path, "devices")))
		return resolve_devices(r, n);
	if ((r = sim_after(path, "bus/pci/devices"))) {
		int pi, vf;
		if (!find_addr(r, &pi, &vf))
			return -ENOENT;
		char ent[192];
		entity_path(&M.pfs[pi], vf, ent, sizeof(ent));
		return sim_link(n, "../../../devices/%s", ent);
	}
	if ((r = sim_after(path, "bus/pci/drivers")))
		return resolve_driver(r, n);
	if ((r = sim_after(path, "kernel/iommu_groups"))) {
		char *end;
		long g = strtol(r, &end, 10);
		if (end == r || g < 0 || g >= M.iommu_groups)
			return -ENOENT;
		if (!*end)
			return sim_dir(n, SD_GROUP);
		return !strcmp(end, "/devices") ? sim_dir(n, SD_EMPTY) : -ENOENT;
	}
	return -ENOENT;
}

static bool write_only(int f)
{
	return f == SF_STOP || f >= SF_BULK_EQ;
}

static mode_t file_mode(const struct node *n)
{
	int f = n->file;
	/* vram_quota is read-only where the GPU provisions VRAM itself */
	if ((f == SF_VRAM || f == SF_BULK_VRAM) && M.pfs[n->pf].vram_ro)
		return write_only(f) ? 0 : 0444;
	if (write_only(f))
		return 0200;
	bool rw = f == SF_NUM || f == SF_AUTOPROBE || f == SF_CURRENT || f == SF_BUSY ||
		  f == SF_EQ || f == SF_PT || f == SF_PRIO || f == SF_VRAM;
	return rw ? 0644 : 0444;
}

static off_t file_size(const struct node *n)
{
	(void)n;
	return 4096;
}

/* the addresses of the PFs and VFs of the list (all, or those bound to driver) */
static void list_functions(struct lister *l, const char *driver)
{
	char s[16];
	for (size_t i = 0; i < M.n_pfs; i++) {
		const struct sr_pf *q = &M.pfs[i];
		if (!driver || !strcmp(driver, drv_name(q)))
			sim_list_add(l, q->addr);
		if (driver && (q->driver != SR_NVIDIA || strcmp(driver, "nvidia")))
			continue;
		for (unsigned v = 0; v < q->num; v++) {
			sriov_vf_addr(q, v, s);
			sim_list_add(l, s);
		}
	}
}

static void list_names(struct lister *l, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sim_list_add(l, names[i]);
}

static void list_dir(const struct node *n, struct lister *l)
{
	static const char *const root[] = { "bus", "class", "devices", "kernel" };
	static const char *const bus[] = { "mdev", "pci" };
	static const char *const pci[] = { "devices", "drivers" };
	static const char *const pf[] = { "class", "device", "driver", "vendor" };
	static const char *const vf[] = { "class", "device", "physfn", "vendor", "driver", "nvidia" };
	static const char *const nv[] = { "creatable_vgpu_types", "current_vgpu_type", "sim_busy" };
	const struct sr_pf *p = n->pf >= 0 ? &M.pfs[n->pf] : NULL;
	switch (n->dir) {
	case SD_ROOT:
		list_names(l, root, 4);
		break;
	case SD_CLASS:
		sim_list_add(l, "mdev_bus");
		break;
	case SD_BUS:
		list_names(l, bus, 2);
		break;
	case SD_BUSMDEV:
		sim_list_add(l, "devices");
		break;
	case SD_BUSPCI:
		list_names(l, pci, 2);
		break;
	case SD_PCIDEVS:
		list_functions(l, NULL);
		break;
	case SD_DRIVER:
		list_functions(l, n->driver);
		break;
	case SD_DRIVERS:
		list_names(l, DRIVERS, N_DRIVERS);
		break;
	case SD_KERNEL:
		sim_list_add(l, "iommu_groups");
		break;
	case SD_IOMMU:
		for (int g = 0; g < M.iommu_groups; g++)
			sim_list_addf(l, "%d", g);
		break;
	case SD_GROUP:
		sim_list_add(l, "devices");
		break;
	case SD_PREFIX: {
		size_t plen = strlen(n->prefix);
		for (size_t i = 0; i < M.n_pfs; i++) {
			for (int v = -1; v < (int)M.pfs[i].num; v++) {
				char ent[192];
				entity_path(&M.pfs[i], v, ent, sizeof(ent));
				const char *rest = plen ? sim_after(ent, n->prefix) : ent;
				if (rest && *rest)
					sim_list_addf(l, "%.*s", (int)strcspn(rest, "/"), rest);
			}
		}
		break;
	}
	case SD_PF:
		list_names(l, pf, 4);
		for (size_t k = 0; k < sizeof(PF_FILES) / sizeof(PF_FILES[0]); k++)
			sim_list_add(l, PF_FILES[k].name);
		for (unsigned v = 0; v < p->num; v++)
			sim_list_addf(l, "virtfn%u", v);
		if (p->driver == SR_XE && p->admin)
			sim_list_add(l, "sriov_admin");
		if (p->driver == SR_XE && p->vram)
			sim_list_add(l, "tile0");
		break;
	case SD_TILE:
		sim_list_add(l, "physical_vram_size_bytes");
		break;
	case SD_VF:
		list_names(l, vf, p->driver == SR_NVIDIA ? 6 : 4);
		break;
	case SD_NVDIR:
		list_names(l, nv, 3);
		break;
	case SD_ADMIN:
		sim_list_add(l, ".bulk_profile");
		sim_list_add(l, "pf");
		for (unsigned v = 1; v <= p->total; v++)
			sim_list_addf(l, "vf%u", v);
		break;
	case SD_FN:
		sim_list_add(l, "profile");
		if (n->fn == 0 || (unsigned)n->fn <= p->num)
			sim_list_add(l, "device");
		if (n->fn)
			sim_list_add(l, "stop");
		break;
	case SD_PROFILE:
	case SD_BULK:
		list_names(l, PROFILE_FILES, (size_t)profile_files(p, n->dir == SD_BULK ? -1 : n->fn));
		break;
	case SD_EMPTY:
		break;
	}
}

static int show(const struct node *n, char *out, size_t sz)
{
	const struct sr_pf *p = &M.pfs[n->pf];
	switch (n->file) {
	case SF_VENDOR:
		return snprintf(out, sz, "0x%04x\n", p->vendor);
	case SF_DEVICE:
		return snprintf(out, sz, "0x%04x\n", n->vf < 0 ? p->device : p->vf_device);
	case SF_CLASS:
		return snprintf(out, sz, p->driver == SR_NVIDIA ? "0x030200\n" : "0x030000\n");
	case SF_TOTAL:
		return snprintf(out, sz, "%u\n", p->total);
	case SF_NUM:
		return snprintf(out, sz, "%u\n", p->num);
	case SF_OFFSET:
		return snprintf(out, sz, "%u\n", p->offset);
	case SF_STRIDE:
		return snprintf(out, sz, "%u\n", p->stride);
	case SF_VF_DEVICE: /* the kernel's "%x": no 0x, unlike device */
		return snprintf(out, sz, "%x\n", p->vf_device);
	case SF_AUTOPROBE:
		return snprintf(out, sz, "%u\n", p->no_autoprobe ? 0u : 1u);
	case SF_CREATABLE: {
		unsigned ids[SR_MAX_TYPES];
		size_t k = sriov_creatable(p, (unsigned)n->vf, ids);
		int len = p->header ? snprintf(out, sz, "ID    : vGPU Name\n") : 0;
		for (size_t i = 0; i < k && len < (int)sz; i++) {
			for (size_t t = 0; t < p->n_types; t++)
				if (p->types[t].id == ids[i])
					len += snprintf(out + len, sz - (size_t)len, "%u : %s\n",
							ids[i], p->types[t].name);
		}
		return len < (int)sz ? len : -EIO;
	}
	case SF_CURRENT:
		return snprintf(out, sz, "%u\n", p->current[n->vf]);
	case SF_BUSY:
		return snprintf(out, sz, "%d\n", p->busy[n->vf]);
	case SF_EQ:
		return snprintf(out, sz, "%u\n", p->prof[n->fn].eq);
	case SF_PT:
		return snprintf(out, sz, "%u\n", p->prof[n->fn].pt);
	case SF_VRAM:
		return snprintf(out, sz, "%llu\n", p->prof[n->fn].vram);
	case SF_TILE_VRAM: /* as the xe driver prints it (igt's xe_sysfs_tile reads it with %lx) */
		return snprintf(out, sz, "0x%llx\n", p->vram);
	case SF_PRIO: {
		static const char *const v[] = { "[low] normal high\n", "low [normal] high\n",
						 "low normal [high]\n" };
		return snprintf(out, sz, "%s", v[p->prof[n->fn].prio]);
	}
	default:
		return -EACCES; /* write-only */
	}
}

static int store(const struct node *n, const char *buf, size_t size, struct sim_uevent *ev,
		 bool *notify)
{
	(void)ev, (void)notify; /* udevd hears of no SR-IOV change */
	struct sr_pf *p = &M.pfs[n->pf];
	switch (n->file) {
	case SF_NUM:
		return sriov_store_numvfs(p, buf, size);
	case SF_AUTOPROBE:
		return sriov_store_autoprobe(p, buf, size);
	case SF_CURRENT:
		return sriov_store_current(p, (unsigned)n->vf, buf, size);
	case SF_BUSY:
		p->busy[n->vf] = size > 0 && buf[0] == '1';
		return 0;
	case SF_EQ:
	case SF_PT:
	case SF_PRIO:
	case SF_VRAM:
		return sriov_store_profile(p, (unsigned)n->fn, PROFILE_FILES[n->file - SF_EQ], buf, size);
	case SF_BULK_VRAM:
		return sriov_store_bulk_vram(p, buf, size);
	case SF_BULK_EQ:
	case SF_BULK_PT:
	case SF_BULK_PRIO:
		for (unsigned fn = 0; fn <= p->total; fn++) {
			int r = sriov_store_profile(p, fn, PROFILE_FILES[n->file - SF_BULK_EQ], buf, size);
			if (r < 0)
				return r;
		}
		return 0;
	case SF_STOP:
		return size && (buf[0] == '1' || buf[0] == '0' || buf[0] == 'y' || buf[0] == 'n') ?
			       0 : -EINVAL;
	default:
		return -EACCES;
	}
}

const struct sim_backend sim_sriov_backend = {
	.resolve = resolve,
	.list = list_dir,
	.show = show,
	.store = store,
	.mode = file_mode,
	.size = file_size,
};
