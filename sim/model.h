/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's model of mediated device parents: profiles, capacity, and the devices created.
 * Pure C without FUSE, so it can be unit-tested. Not thread-safe: the file system serialises
 * calls with one mutex. */
#ifndef MDEV_SIM_MODEL_H
#define MDEV_SIM_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#define SIM_MAX_TYPES 16
/* the largest profile file read (sim_model_load) */
#define SIM_PROFILE_MAX (1 << 20)
#define SIM_MAX_ATTRS 8

enum sim_pool { POOL_FIXED, POOL_GVTG };

struct sim_type {
	char id[64];          /* directory name, e.g. "i915-GVTg_V5_4" */
	char name[64];        /* "" = no name file */
	char description[256];
	char device_api[32];
	int max;              /* fixed pool: instances of this type */
	int low_mb, high_mb, fences; /* GVT-g pool: the slice one vGPU takes */
};

struct sim_parent {
	char name[64]; /* e.g. "0000:00:02.0" */
	char path[128]; /* under sys/devices, e.g. "pci0000:00/0000:00:02.0" */
	enum sim_pool pool;
	int aperture_mb; /* GVT-g: firmware aperture size */
	unsigned pci_vendor, pci_device; /* "pci_id = 8086:3e92": shown as a PCI device (0: not) */
	unsigned pci_class;              /* "pci_class = 030000" (the default: a VGA controller) */
	unsigned pci_subvendor, pci_subdevice; /* "pci_subsys = 8086:2212" */
	char driver[32];      /* the PCI driver bound to the parent ("driver = i915"), "" none */
	char mdev_driver[32]; /* the mdev bus driver its devices bind to ("mdev_driver = ...") */
	struct sim_type types[SIM_MAX_TYPES];
	size_t n_types;
	char attrs[SIM_MAX_ATTRS][32]; /* vendor attributes every device of this parent has */
	size_t n_attrs;
};

struct sim_device {
	char uuid[37];
	size_t parent, type;
	bool busy;
	int group;            /* its own IOMMU group: kernel/iommu_groups/<group> */
	int vfio;             /* kernel >= 6.1: vfio-dev/vfio<vfio> */
	unsigned long serial; /* never reused: an open file of a removed device stays dead */
	char values[SIM_MAX_ATTRS][128];
};

/* kernel versions as major * 100 + minor */
#define SIM_KERNEL_DEFAULT 515 /* before 5.16: vfio_mdev drives every mdev; types have no name */
#define SIM_KERNEL_NAMES 601   /* 6.1: every type has a name, every mdev a vfio-dev/vfio<N> */
#define SIM_KERNEL_DRIVERS 516 /* 5.16: each parent's own mdev driver replaces vfio_mdev */

struct sim_model {
	int iommu_groups; /* [host] iommu_groups: sys/kernel/iommu_groups/0..N-1 */
	int kernel;       /* [host] kernel = 6.1: which kernel's sysfs to imitate */
	bool autoprobe;   /* bus/mdev/drivers_autoprobe */
	unsigned long serials;
	struct sim_parent *parents;
	size_t n_parents;
	struct sim_device *devices;
	size_t n_devices;
};

/* Read a profile (see the files in profiles/) with at least one [parent]; errors go to err.
 * 0 or -errno. It is sim_model_init, sim_model_read and sim_model_finish. */
int sim_model_load(struct sim_model *m, const char *path, char *err, size_t errsz);
/* The same in steps, for several profiles read into one host: read adds a profile's [parent]s
 * (passing over its [sriov] sections and include lines) and frees m on an error; finish, after
 * the last, fills in what follows from the kernel imitated. */
void sim_model_init(struct sim_model *m);
int sim_model_read(struct sim_model *m, const char *path, char *err, size_t errsz);
void sim_model_finish(struct sim_model *m);
void sim_model_free(struct sim_model *m);

/* How many more devices of a type the parent can create now. */
int sim_available(const struct sim_model *m, size_t parent, size_t type);
/* The kernel's create: the written bytes must be a UUID (optional newline). 0 or -errno:
 * EINVAL malformed, EEXIST duplicate, EUSERS/ENOSPC no capacity. */
int sim_create(struct sim_model *m, size_t parent, size_t type, const char *buf, size_t len);
/* The kernel's remove: a number as kstrtoul(base 0) reads it; not 0 removes, 0 does nothing;
 * EINVAL otherwise, EBUSY when busy. */
int sim_remove(struct sim_model *m, size_t dev, const char *buf, size_t len);
/* The kernel's kstrtoul(s, 0, &v) on the len bytes of buf as sysfs hands them to a store (cut at
 * the first NUL): 0, -EINVAL or -ERANGE. */
int sim_kstrtoul(const char *buf, size_t len, unsigned long long *v);
/* What writing to a uevent file asks for: 0 for one of the kernel's actions (add, remove,
 * change, move, online, offline, bind, unbind, alone or followed by a newline or by a space
 * and arguments), -EINVAL otherwise. */
int sim_uevent_action(const char *buf, size_t len);
/* The device in IOMMU group g, -1 if none (host groups 0..iommu_groups-1 hold no device). */
int sim_group_device(const struct sim_model *m, int g);
/* The device with vfio-dev index n, -1 if none. */
int sim_vfio_device(const struct sim_model *m, int n);
/* The module a driver comes from (bus/.../drivers/<driver>/module). */
const char *sim_driver_module(const char *driver);
/* Index of a device by UUID, -1 if none. */
int sim_find(const struct sim_model *m, const char *uuid);
int sim_find_parent(const struct sim_model *m, const char *name);
int sim_find_type(const struct sim_parent *p, const char *id);

#endif
