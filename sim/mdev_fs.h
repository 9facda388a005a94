/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's mdev backend (fs.h): the tree the kernel shows for mediated device parents, their
 * types and devices (sys/class/mdev_bus, sys/bus/mdev, sys/devices/..., the IOMMU groups and
 * vfio-dev nodes of the devices), over the model of model.h. mdev_tree.c finds the node of a
 * path, mdev_dirs.c lists directories, mdev_files.c shows and stores the mdev files, pci_files.c
 * a PCI parent's own files. */
#ifndef MDEV_SIM_MDEV_FS_H
#define MDEV_SIM_MDEV_FS_H

#include "fs.h"
#include "model.h"

extern struct sim_model mdev_host;
extern const struct sim_backend sim_mdev_backend;

enum file_kind { F_AVAIL, F_API, F_NAME, F_DESC, F_CREATE, F_REMOVE, F_UEVENT, F_BUSY, F_ATTR,
		 F_VENDOR, F_DEVICE, F_CLASS, F_RESOURCE, /* a PCI parent's identity and BARs */
		 F_SUBVENDOR, F_SUBDEVICE, F_MODALIAS, F_NUMA, F_CONFIG, F_PUEVENT, /* and the rest */
		 F_POWER,      /* power/<attr> of a device, power_files[attr] */
		 F_VUEVENT,    /* vfio-dev/vfio<N>/uevent: empty */
		 F_GROUP_NAME, F_GROUP_TYPE, F_GROUP_RESV, /* kernel/iommu_groups/<n>/ */
		 F_AUTOPROBE, F_PROBE, F_BUS_UEVENT, /* a bus's files */
		 F_BIND, F_UNBIND, F_NEW_ID, F_REMOVE_ID, F_DRV_UEVENT /* a driver's files */ };

/* directories: what they list */
enum dir_kind { D_OTHER, D_ROOT, D_BUS, D_BUSMDEV, D_BUSDEVS, D_BUSPCI, D_BUSPCIDEVS, D_CLASS,
		D_MDEVBUS, D_PREFIX, D_PARENT, D_TYPES, D_TYPE, D_TYPEDEVS, D_DEVICE, D_KERNEL,
		D_IOMMU, D_EMPTY, D_POWER, D_VFIODEV, D_VFIO, D_GROUP, D_GROUPDEVS, D_DRIVERS,
		D_DRIVER, D_PCIDRIVERS, D_PCIDRIVER, D_CLASSVFIO };

/* power/ of a device with no runtime PM, as the kernel shows it (none is simulated further) */
struct power_file {
	const char *name, *value; /* value NULL: reading fails with EIO */
	mode_t mode;
};
extern const struct power_file power_files[];
extern const size_t n_power_files;

#define CONFIG_SIZE 256 /* a conventional PCI device's configuration space */

/* mdev_tree.c */
int mdev_resolve(const char *path, struct node *n);
bool mdev_new_kernel(void);
bool mdev_has_pci_parent(void);
/* mdev_dirs.c */
void mdev_list(const struct node *n, struct lister *l);
/* pci_files.c: a PCI parent's files (vendor, config, ...): 0, or -ENOENT when r names none */
int pci_resolve(int pi, const char *r, struct node *n);
/* their contents, or -ENOENT when n is not a PCI file */
int pci_show(const struct node *n, char *out, size_t sz);

#endif
