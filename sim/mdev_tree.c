/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's mdev backend: which node of the mdev tree a path names (mdev_fs.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mdev_fs.h"

struct sim_model mdev_host;

bool mdev_has_pci_parent(void)
{
	for (size_t i = 0; i < mdev_host.n_parents; i++)
		if (mdev_host.parents[i].pci_vendor)
			return true;
	return false;
}

bool mdev_new_kernel(void)
{
	return mdev_host.kernel >= SIM_KERNEL_NAMES;
}

/* Is name the driver of some parent (pci: its PCI driver; else its mdev driver)? */
static bool is_driver(const char *name, bool pci)
{
	for (size_t i = 0; i < mdev_host.n_parents; i++) {
		const struct sim_parent *p = &mdev_host.parents[i];
		if (pci ? p->pci_vendor && p->driver[0] && !strcmp(p->driver, name) : !strcmp(p->mdev_driver, name))
			return true;
	}
	return false;
}

/* power/ below a device directory: r is what follows "power" */
static int resolve_power(const char *r, struct node *n)
{
	if (!*r)
		return sim_dir(n, D_POWER);
	for (size_t i = 0; i < n_power_files; i++) {
		if (!strcmp(r, power_files[i].name)) {
			n->kind = K_FILE;
			n->file = F_POWER;
			n->attr = (int)i;
			return 0;
		}
	}
	return -ENOENT;
}

/* Within an mdev's directory, below <uuid>/: the kernel's plumbing around the mdev */
static int resolve_device_plumbing(const char *r, struct node *n)
{
	const struct sim_device *d = &mdev_host.devices[n->dev];
	const struct sim_parent *p = &mdev_host.parents[d->parent];
	const char *v;
	if (!strcmp(r, "iommu_group")) {
		sim_link_up(n, p->path, 1, "kernel/iommu_groups/%d", d->group);
	} else if (!strcmp(r, "subsystem")) {
		sim_link_up(n, p->path, 1, "bus/mdev");
	} else if (!strcmp(r, "driver")) {
		sim_link_up(n, p->path, 1, "bus/mdev/drivers/%s", p->mdev_driver);
	} else if ((v = sim_after(r, "power"))) {
		return resolve_power(v, n);
	} else if (mdev_new_kernel() && (v = sim_after(r, "vfio-dev"))) {
		char name[32];
		snprintf(name, sizeof(name), "vfio%d", d->vfio);
		n->kind = K_DIR;
		n->dir = D_VFIODEV;
		if (!*v)
			return 0;
		if (!(v = sim_after(v, name)))
			return -ENOENT;
		n->dir = D_VFIO;
		if (!*v)
			return 0;
		if (!strcmp(v, "uevent")) {
			n->kind = K_FILE;
			n->file = F_VUEVENT;
		} else if (!strcmp(v, "device")) {
			n->kind = K_LINK;
			snprintf(n->target, sizeof(n->target), "../../../%s", d->uuid);
		} else if (!strcmp(v, "subsystem")) {
			sim_link_up(n, p->path, 3, "class/vfio-dev");
		} else if ((v = sim_after(v, "power"))) {
			return resolve_power(v, n);
		} else {
			return -ENOENT;
		}
	} else {
		return -ENOENT;
	}
	return 0;
}

/* sys/bus/<bus>/drivers[/<driver>[/<entry>]]: r follows "drivers" */
static int resolve_driver(const char *r, bool pci, struct node *n)
{
	n->kind = K_DIR;
	n->dir = pci ? D_PCIDRIVERS : D_DRIVERS;
	if (!*r)
		return 0;
	if (!(r = sim_component(r, n->driver, sizeof(n->driver))) || !is_driver(n->driver, pci))
		return -ENOENT;
	n->dir = pci ? D_PCIDRIVER : D_DRIVER;
	if (!*r)
		return 0;
	static const char *const names[] = { "bind", "unbind", "uevent", "new_id", "remove_id" };
	static const enum file_kind kinds[] = { F_BIND, F_UNBIND, F_DRV_UEVENT, F_NEW_ID, F_REMOVE_ID };
	int i = sim_find_name(r, names, pci ? 5 : 3);
	if (i >= 0)
		return sim_file(n, kinds[i]);
	if (!strcmp(r, "module"))
		return sim_link(n, "../../../../module/%s",
			 pci ? n->driver : sim_driver_module(n->driver));
	/* the devices bound to it */
	for (size_t i = 0; i < mdev_host.n_parents && pci; i++) {
		const struct sim_parent *p = &mdev_host.parents[i];
		if (p->pci_vendor && !strcmp(p->driver, n->driver) && !strcmp(p->name, r))
			return sim_link(n, "../../../../devices/%s", p->path);
	}
	int di = pci ? -1 : sim_find(&mdev_host, r);
	if (di < 0 || strcmp(mdev_host.parents[mdev_host.devices[di].parent].mdev_driver, n->driver))
		return -ENOENT;
	return sim_link(n, "../../../../devices/%s/%s",
		 mdev_host.parents[mdev_host.devices[di].parent].path, mdev_host.devices[di].uuid);
}

/* sys/kernel/iommu_groups/<g>[/...]: r follows "iommu_groups/" */
static int resolve_group(const char *r, struct node *n)
{
	char *end;
	long g = strtol(r, &end, 10);
	if (end == r || (*end && *end != '/') || g < 0 || g > 1 << 20 || (r[0] == '0' && end - r > 1))
		return -ENOENT;
	int di = g < mdev_host.iommu_groups ? -1 : sim_group_device(&mdev_host, (int)g);
	if (g >= mdev_host.iommu_groups && di < 0)
		return -ENOENT;
	n->group = (int)g;
	n->dev = di;
	n->serial = di >= 0 ? mdev_host.devices[di].serial : 0;
	n->kind = K_DIR;
	n->dir = D_GROUP;
	r = end;
	if (!*r)
		return 0;
	r++;
	const char *d;
	if ((d = sim_after(r, "devices"))) {
		n->dir = D_GROUPDEVS;
		if (!*d)
			return 0;
		if (di >= 0 && !strcmp(d, mdev_host.devices[di].uuid))
			return sim_link(n, "../../../../devices/%s/%s",
				 mdev_host.parents[mdev_host.devices[di].parent].path, d);
		if (di < 0 && g < (long)mdev_host.n_parents && mdev_host.parents[g].pci_vendor &&
		    !strcmp(d, mdev_host.parents[g].name))
			return sim_link(n, "../../../../devices/%s", mdev_host.parents[g].path);
		return -ENOENT;
	}
	n->kind = K_FILE;
	if (!strcmp(r, "type"))
		n->file = F_GROUP_TYPE;
	else if (!strcmp(r, "reserved_regions"))
		n->file = F_GROUP_RESV;
	else if (!strcmp(r, "name") && di >= 0 && mdev_new_kernel())
		n->file = F_GROUP_NAME; /* 6.1 names the emulated groups of vfio devices */
	else
		return -ENOENT;
	return 0;
}

/* Within a parent's directory: "", "mdev_supported_types[/...]", "<uuid>[/...]", and for a PCI
 * parent its vendor, device, class and resource files */
static int resolve_in_parent(int pi, const char *rest, struct node *n)
{
	const struct sim_parent *p = &mdev_host.parents[pi];
	n->parent = pi;
	if (!*rest)
		return sim_dir(n, D_PARENT);
	const char *r;
	if (p->pci_vendor && pci_resolve(pi, rest, n) == 0)
		return 0;
	if ((r = sim_after(rest, "mdev_supported_types"))) {
		if (!*r)
			return sim_dir(n, D_TYPES);
		char id[64];
		int ti = (r = sim_component(r, id, sizeof(id))) ? sim_find_type(p, id) : -1;
		if (ti < 0)
			return -ENOENT;
		n->type = ti;
		if (!*r)
			return sim_dir(n, D_TYPE);
		static const struct {
			const char *name;
			enum file_kind f;
		} files[] = { { "available_instances", F_AVAIL }, { "device_api", F_API },
			      { "name", F_NAME }, { "description", F_DESC }, { "create", F_CREATE } };
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			if (strcmp(r, files[i].name))
				continue;
			if (files[i].f == F_NAME && !p->types[ti].name[0])
				return -ENOENT;
			n->kind = K_FILE;
			n->file = files[i].f;
			return 0;
		}
		const char *d = sim_after(r, "devices");
		if (!d)
			return -ENOENT;
		if (!*d)
			return sim_dir(n, D_TYPEDEVS);
		int di = sim_find(&mdev_host, d);
		if (di < 0 || mdev_host.devices[di].parent != (size_t)pi || mdev_host.devices[di].type != (size_t)ti)
			return -ENOENT;
		return sim_link(n, "../../../%s", d);
	}
	char uuid[40];
	int di = (r = sim_component(rest, uuid, sizeof(uuid))) ? sim_find(&mdev_host, uuid) : -1;
	if (di < 0 || mdev_host.devices[di].parent != (size_t)pi)
		return -ENOENT;
	n->dev = di;
	n->type = (int)mdev_host.devices[di].type;
	n->serial = mdev_host.devices[di].serial;
	if (!*r)
		return sim_dir(n, D_DEVICE);
	n->kind = K_FILE;
	if (!strcmp(r, "mdev_type")) {
		n->kind = K_LINK;
		snprintf(n->target, sizeof(n->target), "../mdev_supported_types/%s", p->types[n->type].id);
	} else if (!strcmp(r, "remove")) {
		n->file = F_REMOVE;
	} else if (!strcmp(r, "uevent")) {
		n->file = F_UEVENT;
	} else if (!strcmp(r, "sim_busy")) {
		n->file = F_BUSY; /* the simulator's hook: not listed, so a walk sees the kernel's */
	} else {
		for (size_t i = 0; i < p->n_attrs; i++) {
			if (!strcmp(r, p->attrs[i])) {
				n->file = F_ATTR;
				n->attr = (int)i;
				return 0;
			}
		}
		return resolve_device_plumbing(r, n);
	}
	return 0;
}

/* r below a directory (kind top) whose one subdirectory is sub (kind below): 0 with n set when
 * r names either directory, 1 with *entry when it names something in sub, -ENOENT otherwise. */
static int dir_and_sub(const char *r, const char *sub, int top, int below, struct node *n,
		       const char **entry)
{
	n->kind = K_DIR;
	if (!*r) {
		n->dir = top;
		return 0;
	}
	if (!(r = sim_after(r, sub)))
		return -ENOENT;
	if (!*r) {
		n->dir = below;
		return 0;
	}
	*entry = r;
	return 1;
}

/* The node of path in the mdev tree (fs.h) */
int mdev_resolve(const char *path, struct node *n)
{
	const char *r;
	if (!strcmp(path, "/"))
		return sim_dir(n, D_ROOT);
	if ((r = sim_after(path, "/bus"))) {
		n->kind = K_DIR;
		if (!*r) {
			n->dir = D_BUS;
			return 0;
		}
		const char *pr = sim_after(r, "pci"), *name, *dr;
		int k;
		if (pr && mdev_has_pci_parent()) {
			if ((dr = sim_after(pr, "drivers")))
				return resolve_driver(dr, true, n);
			if ((k = dir_and_sub(pr, "devices", D_BUSPCI, D_BUSPCIDEVS, n, &name)) <= 0)
				return k;
			int pi = sim_find_parent(&mdev_host, name);
			if (pi < 0 || !mdev_host.parents[pi].pci_vendor)
				return -ENOENT;
			return sim_link(n, "../../../devices/%s", mdev_host.parents[pi].path);
		}
		if (!(r = sim_after(r, "mdev")))
			return -ENOENT;
		if ((dr = sim_after(r, "drivers")))
			return resolve_driver(dr, false, n);
		static const char *const bus_files[] = { "drivers_autoprobe", "drivers_probe", "uevent" };
		static const enum file_kind bus_kinds[] = { F_AUTOPROBE, F_PROBE, F_BUS_UEVENT };
		if ((k = sim_find_name(r, bus_files, 3)) >= 0)
			return sim_file(n, bus_kinds[k]);
		if ((k = dir_and_sub(r, "devices", D_BUSMDEV, D_BUSDEVS, n, &name)) <= 0)
			return k;
		int di = sim_find(&mdev_host, name);
		if (di < 0)
			return -ENOENT;
		return sim_link(n, "../../../devices/%s/%s",
			 mdev_host.parents[mdev_host.devices[di].parent].path, mdev_host.devices[di].uuid);
	}
	if ((r = sim_after(path, "/kernel"))) {
		const char *group;
		int k = dir_and_sub(r, "iommu_groups", D_KERNEL, D_IOMMU, n, &group);
		if (k <= 0)
			return k;
		return resolve_group(group, n);
	}
	if ((r = sim_after(path, "/class"))) {
		n->kind = K_DIR;
		if (!*r) {
			n->dir = D_CLASS;
			return 0;
		}
		const char *v = sim_after(r, "vfio-dev");
		if (v && mdev_new_kernel()) {
			n->dir = D_CLASSVFIO;
			if (!*v)
				return 0;
			int num = -1;
			char canon[32];
			if (sscanf(v, "vfio%d", &num) != 1 || num < 0)
				return -ENOENT;
			snprintf(canon, sizeof(canon), "vfio%d", num);
			int di = sim_vfio_device(&mdev_host, num);
			if (di < 0 || strcmp(canon, v))
				return -ENOENT;
			return sim_link(n, "../../devices/%s/%s/vfio-dev/%s",
				 mdev_host.parents[mdev_host.devices[di].parent].path, mdev_host.devices[di].uuid, v);
		}
		if (!(r = sim_after(r, "mdev_bus")))
			return -ENOENT;
		if (!*r) {
			n->dir = D_MDEVBUS;
			return 0;
		}
		int pi = sim_find_parent(&mdev_host, r);
		if (pi < 0)
			return -ENOENT;
		return sim_link(n, "../../devices/%s", mdev_host.parents[pi].path);
	}
	if ((r = sim_after(path, "/devices"))) {
		for (size_t i = 0; i < mdev_host.n_parents; i++) {
			const char *rest = sim_after(r, mdev_host.parents[i].path);
			if (rest)
				return resolve_in_parent((int)i, rest, n);
		}
		/* a directory on the way to a parent's */
		size_t l = strlen(r);
		for (size_t i = 0; i < mdev_host.n_parents; i++) {
			const char *pp = mdev_host.parents[i].path;
			if (!l || (!strncmp(pp, r, l) && pp[l] == '/')) {
				n->kind = K_DIR;
				n->dir = D_PREFIX;
				snprintf(n->prefix, sizeof(n->prefix), "%s", r);
				return 0;
			}
		}
	}
	return -ENOENT;
}
