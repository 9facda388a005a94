/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's mdev backend: what the directories of the mdev tree list (mdev_fs.h). */
#include <stdio.h>
#include <string.h>
#include "mdev_fs.h"

static void list_power(struct lister *l)
{
	for (size_t i = 0; i < n_power_files; i++)
		sim_list_add(l, power_files[i].name);
}

void mdev_list(const struct node *n, struct lister *l)
{
	switch (n->dir) {
	case D_ROOT:
		sim_list_add(l, "bus");
		sim_list_add(l, "class");
		sim_list_add(l, "devices");
		sim_list_add(l, "kernel");
		break;
	case D_BUS:
		sim_list_add(l, "mdev");
		if (mdev_has_pci_parent())
			sim_list_add(l, "pci");
		break;
	case D_BUSPCI:
		sim_list_add(l, "devices");
		sim_list_add(l, "drivers");
		break;
	case D_BUSMDEV:
		sim_list_add(l, "devices");
		sim_list_add(l, "drivers");
		sim_list_add(l, "drivers_autoprobe");
		sim_list_add(l, "drivers_probe");
		sim_list_add(l, "uevent");
		break;
	case D_DRIVERS:
	case D_PCIDRIVERS:
		for (size_t i = 0; i < mdev_host.n_parents; i++) {
			const struct sim_parent *p = &mdev_host.parents[i];
			const char *d = n->dir == D_PCIDRIVERS ? (p->pci_vendor ? p->driver : "") : p->mdev_driver;
			if (d[0])
				sim_list_add(l, d);
		}
		break;
	case D_DRIVER:
	case D_PCIDRIVER:
		sim_list_add(l, "bind");
		sim_list_add(l, "module");
		sim_list_add(l, "uevent");
		sim_list_add(l, "unbind");
		if (n->dir == D_PCIDRIVER) {
			sim_list_add(l, "new_id");
			sim_list_add(l, "remove_id");
			for (size_t i = 0; i < mdev_host.n_parents; i++)
				sim_list_add(l, mdev_host.parents[i].name); /* add() drops those of other drivers */
		} else {
			for (size_t i = 0; i < mdev_host.n_devices; i++)
				sim_list_add(l, mdev_host.devices[i].uuid);
		}
		break;
	case D_BUSPCIDEVS:
		for (size_t i = 0; i < mdev_host.n_parents; i++)
			if (mdev_host.parents[i].pci_vendor)
				sim_list_add(l, mdev_host.parents[i].name);
		break;
	case D_KERNEL:
		sim_list_add(l, "iommu_groups");
		break;
	case D_IOMMU:
		for (int g = 0; g < mdev_host.iommu_groups; g++)
			sim_list_addf(l, "%d", g);
		for (size_t i = 0; i < mdev_host.n_devices; i++)
			sim_list_addf(l, "%d", mdev_host.devices[i].group);
		break;
	case D_GROUP:
		sim_list_add(l, "devices");
		sim_list_add(l, "name");
		sim_list_add(l, "reserved_regions");
		sim_list_add(l, "type");
		break;
	case D_GROUPDEVS:
		if (n->dev >= 0)
			sim_list_add(l, mdev_host.devices[n->dev].uuid);
		else if (n->group < (int)mdev_host.n_parents)
			sim_list_add(l, mdev_host.parents[n->group].name);
		break;
	case D_POWER:
		list_power(l);
		break;
	case D_VFIODEV:
		sim_list_addf(l, "vfio%d", mdev_host.devices[n->dev].vfio);
		break;
	case D_VFIO:
		sim_list_add(l, "device");
		sim_list_add(l, "power");
		sim_list_add(l, "subsystem");
		sim_list_add(l, "uevent");
		break;
	case D_CLASSVFIO:
		for (size_t i = 0; i < mdev_host.n_devices; i++)
			sim_list_addf(l, "vfio%d", mdev_host.devices[i].vfio);
		break;
	case D_EMPTY:
		break;
	case D_BUSDEVS:
		for (size_t i = 0; i < mdev_host.n_devices; i++)
			sim_list_add(l, mdev_host.devices[i].uuid);
		break;
	case D_CLASS:
		sim_list_add(l, "mdev_bus");
		sim_list_add(l, "vfio-dev");
		break;
	case D_MDEVBUS:
		for (size_t i = 0; i < mdev_host.n_parents; i++)
			sim_list_add(l, mdev_host.parents[i].name);
		break;
	case D_PREFIX: {
		/* the next component of every parent path below this one */
		size_t pl = strlen(n->prefix);
		for (size_t i = 0; i < mdev_host.n_parents; i++) {
			const char *pp = mdev_host.parents[i].path;
			const char *next = pl ? sim_after(pp, n->prefix) : pp;
			if (next && *next)
				sim_list_addf(l, "%.*s", (int)strcspn(next, "/"), next);
		}
		break;
	}
	case D_PARENT:
		sim_list_add(l, "mdev_supported_types");
		if (mdev_host.parents[n->parent].pci_vendor) {
			static const char *const pci[] = { "class", "config", "device", "driver",
							   "iommu_group", "modalias", "numa_node",
							   "resource", "subsystem", "subsystem_device",
							   "subsystem_vendor", "uevent", "vendor" };
			for (size_t i = 0; i < sizeof(pci) / sizeof(pci[0]); i++)
				sim_list_add(l, pci[i]);
		}
		for (size_t i = 0; i < mdev_host.n_devices; i++)
			if (mdev_host.devices[i].parent == (size_t)n->parent)
				sim_list_add(l, mdev_host.devices[i].uuid);
		break;
	case D_TYPES:
		for (size_t i = 0; i < mdev_host.parents[n->parent].n_types; i++)
			sim_list_add(l, mdev_host.parents[n->parent].types[i].id);
		break;
	case D_TYPE:
		sim_list_add(l, "available_instances");
		sim_list_add(l, "create");
		sim_list_add(l, "description");
		sim_list_add(l, "device_api");
		sim_list_add(l, "devices");
		if (mdev_host.parents[n->parent].types[n->type].name[0])
			sim_list_add(l, "name");
		break;
	case D_TYPEDEVS:
		for (size_t i = 0; i < mdev_host.n_devices; i++)
			if (mdev_host.devices[i].parent == (size_t)n->parent &&
			    mdev_host.devices[i].type == (size_t)n->type)
				sim_list_add(l, mdev_host.devices[i].uuid);
		break;
	case D_DEVICE:
		sim_list_add(l, "driver");
		sim_list_add(l, "iommu_group");
		sim_list_add(l, "mdev_type");
		sim_list_add(l, "power");
		sim_list_add(l, "remove");
		sim_list_add(l, "subsystem");
		sim_list_add(l, "uevent");
		sim_list_add(l, "vfio-dev");
		for (size_t i = 0; i < mdev_host.parents[n->parent].n_attrs; i++)
			sim_list_add(l, mdev_host.parents[n->parent].attrs[i]);
		break;
	case D_OTHER:
		break;
	}
}
