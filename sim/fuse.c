/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim: a FUSE file system that shows a simulated host's mdev sysfs the way the kernel
 * does (sys/class/mdev_bus, sys/bus/mdev/devices, sys/devices/...), so mdevctl, ours or
 * upstream's, and libvirt manage simulated vGPUs as on real hardware. Mount it on the "sys"
 * directory of a root: MDEVCTL_ENV_ROOT=<root> for our tools, a bind mount over /sys for
 * others (inside a private mount namespace). */
#define FUSE_USE_VERSION 35
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model.h"
#include "sriov.h"
#include "udev_events.h"

static struct sim_model model;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

enum kind {
	K_NONE,
	K_DIR,       /* a plain directory: root, bus, class, intermediate device paths */
	K_LINK,
	K_FILE,
};

enum file_kind { F_AVAIL, F_API, F_NAME, F_DESC, F_CREATE, F_REMOVE, F_UEVENT, F_BUSY, F_ATTR,
		 F_VENDOR, F_DEVICE, F_CLASS, F_RESOURCE, /* a PCI parent's identity and BARs */
		 F_SUBVENDOR, F_SUBDEVICE, F_MODALIAS, F_NUMA, F_CONFIG, F_PUEVENT, /* and the rest */
		 F_POWER,      /* power/<attr> of a device, power_files[attr] */
		 F_VUEVENT,    /* vfio-dev/vfio<N>/uevent: empty */
		 F_GROUP_NAME, F_GROUP_TYPE, F_GROUP_RESV, /* kernel/iommu_groups/<n>/ */
		 F_AUTOPROBE, F_PROBE, F_BUS_UEVENT, /* a bus's files */
		 F_BIND, F_UNBIND, F_NEW_ID, F_REMOVE_ID, F_DRV_UEVENT /* a driver's files */ };

struct node {
	enum kind kind;
	enum file_kind file;
	int parent, type, dev, attr;
	int group; /* D_GROUP and its files */
	unsigned long serial; /* the device whose directory (or IOMMU group) holds it, 0 none */
	char target[256]; /* links */
	/* directories: what they list */
	enum { D_OTHER, D_ROOT, D_BUS, D_BUSMDEV, D_BUSDEVS, D_BUSPCI, D_BUSPCIDEVS, D_CLASS,
	       D_MDEVBUS, D_PREFIX, D_PARENT, D_TYPES, D_TYPE, D_TYPEDEVS, D_DEVICE, D_KERNEL,
	       D_IOMMU, D_EMPTY, D_POWER, D_VFIODEV, D_VFIO, D_GROUP, D_GROUPDEVS, D_DRIVERS,
	       D_DRIVER, D_PCIDRIVERS, D_PCIDRIVER, D_CLASSVFIO } dir;
	char prefix[160]; /* D_PREFIX: the path below /devices so far */
	char driver[32];  /* D_DRIVER, D_PCIDRIVER */
};

/* power/ of a device with no runtime PM, as the kernel shows it (none is simulated further) */
static const struct {
	const char *name, *value; /* value NULL: reading fails with EIO */
	mode_t mode;
} power_files[] = {
	{ "async", "disabled", 0644 },
	{ "autosuspend_delay_ms", NULL, 0644 },
	{ "control", "auto", 0644 },
	{ "runtime_active_kids", "0", 0444 },
	{ "runtime_active_time", "0", 0444 },
	{ "runtime_enabled", "disabled", 0444 },
	{ "runtime_status", "unsupported", 0444 },
	{ "runtime_suspended_time", "0", 0444 },
	{ "runtime_usage", "0", 0444 },
};
#define N_POWER (sizeof(power_files) / sizeof(power_files[0]))

static const char *after(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(path, prefix, n))
		return NULL;
	if (path[n] == '\0')
		return "";
	return path[n] == '/' ? path + n + 1 : NULL;
}

static bool has_pci_parent(void)
{
	for (size_t i = 0; i < model.n_parents; i++)
		if (model.parents[i].pci_vendor)
			return true;
	return false;
}

/* A relative link from sys/devices/<parent path>[/extra levels] to sys/<to> */
static void link_up(struct node *n, const char *ppath, int extra, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void link_up(struct node *n, const char *ppath, int extra, const char *fmt, ...)
{
	int ups = 2 + extra; /* "devices" and the path's last component */
	for (const char *c = ppath; *c; c++)
		ups += *c == '/';
	size_t o = 0;
	n->kind = K_LINK;
	n->target[0] = '\0';
	for (int i = 0; i < ups && o + 3 < sizeof(n->target); i++, o += 3)
		memcpy(n->target + o, "../", 4);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(n->target + o, sizeof(n->target) - o, fmt, ap);
	va_end(ap);
}

static bool new_kernel(void)
{
	return model.kernel >= SIM_KERNEL_NAMES;
}

/* Is name the driver of some parent (pci: its PCI driver; else its mdev driver)? */
static bool is_driver(const char *name, bool pci)
{
	for (size_t i = 0; i < model.n_parents; i++) {
		const struct sim_parent *p = &model.parents[i];
		if (pci ? p->pci_vendor && p->driver[0] && !strcmp(p->driver, name) : !strcmp(p->mdev_driver, name))
			return true;
	}
	return false;
}

static int find_file(const char *name, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, names[i]))
			return (int)i;
	return -1;
}

/* power/ below a device directory: r is what follows "power" */
static int resolve_power(const char *r, struct node *n)
{
	if (!*r) {
		n->kind = K_DIR;
		n->dir = D_POWER;
		return 0;
	}
	for (size_t i = 0; i < N_POWER; i++) {
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
	const struct sim_device *d = &model.devices[n->dev];
	const struct sim_parent *p = &model.parents[d->parent];
	const char *v;
	if (!strcmp(r, "iommu_group")) {
		link_up(n, p->path, 1, "kernel/iommu_groups/%d", d->group);
	} else if (!strcmp(r, "subsystem")) {
		link_up(n, p->path, 1, "bus/mdev");
	} else if (!strcmp(r, "driver")) {
		link_up(n, p->path, 1, "bus/mdev/drivers/%s", p->mdev_driver);
	} else if ((v = after(r, "power"))) {
		return resolve_power(v, n);
	} else if (new_kernel() && (v = after(r, "vfio-dev"))) {
		char name[32];
		snprintf(name, sizeof(name), "vfio%d", d->vfio);
		n->kind = K_DIR;
		n->dir = D_VFIODEV;
		if (!*v)
			return 0;
		if (!(v = after(v, name)))
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
			link_up(n, p->path, 3, "class/vfio-dev");
		} else if ((v = after(v, "power"))) {
			return resolve_power(v, n);
		} else {
			return -ENOENT;
		}
	} else {
		return -ENOENT;
	}
	return 0;
}

/* A PCI parent's own files besides vendor, device, class and resource */
static int resolve_pci_plumbing(int pi, const char *r, struct node *n)
{
	const struct sim_parent *p = &model.parents[pi];
	static const char *const names[] = { "subsystem_vendor", "subsystem_device", "modalias",
					     "numa_node", "config", "uevent" };
	static const enum file_kind kinds[] = { F_SUBVENDOR, F_SUBDEVICE, F_MODALIAS, F_NUMA,
						F_CONFIG, F_PUEVENT };
	int i = find_file(r, names, sizeof(names) / sizeof(names[0]));
	if (i >= 0) {
		n->kind = K_FILE;
		n->file = kinds[i];
	} else if (!strcmp(r, "subsystem")) {
		link_up(n, p->path, 0, "bus/pci");
	} else if (!strcmp(r, "driver") && p->driver[0]) {
		link_up(n, p->path, 0, "bus/pci/drivers/%s", p->driver);
	} else if (!strcmp(r, "iommu_group") && pi < model.iommu_groups) {
		/* with an IOMMU, PCI parent i is alone in host group i */
		link_up(n, p->path, 0, "kernel/iommu_groups/%d", pi);
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
	size_t l = strcspn(r, "/");
	if (l >= sizeof(n->driver))
		return -ENOENT;
	memcpy(n->driver, r, l);
	n->driver[l] = '\0';
	if (!is_driver(n->driver, pci))
		return -ENOENT;
	n->dir = pci ? D_PCIDRIVER : D_DRIVER;
	r += l;
	if (!*r)
		return 0;
	r++;
	static const char *const names[] = { "bind", "unbind", "uevent", "new_id", "remove_id" };
	static const enum file_kind kinds[] = { F_BIND, F_UNBIND, F_DRV_UEVENT, F_NEW_ID, F_REMOVE_ID };
	int i = find_file(r, names, pci ? 5 : 3);
	if (i >= 0) {
		n->kind = K_FILE;
		n->file = kinds[i];
		return 0;
	}
	if (!strcmp(r, "module")) {
		n->kind = K_LINK;
		snprintf(n->target, sizeof(n->target), "../../../../module/%s",
			 pci ? n->driver : sim_driver_module(n->driver));
		return 0;
	}
	/* the devices bound to it */
	for (size_t i = 0; i < model.n_parents && pci; i++) {
		const struct sim_parent *p = &model.parents[i];
		if (p->pci_vendor && !strcmp(p->driver, n->driver) && !strcmp(p->name, r)) {
			n->kind = K_LINK;
			snprintf(n->target, sizeof(n->target), "../../../../devices/%s", p->path);
			return 0;
		}
	}
	int di = pci ? -1 : sim_find(&model, r);
	if (di < 0 || strcmp(model.parents[model.devices[di].parent].mdev_driver, n->driver))
		return -ENOENT;
	n->kind = K_LINK;
	snprintf(n->target, sizeof(n->target), "../../../../devices/%s/%s",
		 model.parents[model.devices[di].parent].path, model.devices[di].uuid);
	return 0;
}

/* sys/kernel/iommu_groups/<g>[/...]: r follows "iommu_groups/" */
static int resolve_group(const char *r, struct node *n)
{
	char *end;
	long g = strtol(r, &end, 10);
	if (end == r || (*end && *end != '/') || g < 0 || g > 1 << 20 || (r[0] == '0' && end - r > 1))
		return -ENOENT;
	int di = g < model.iommu_groups ? -1 : sim_group_device(&model, (int)g);
	if (g >= model.iommu_groups && di < 0)
		return -ENOENT;
	n->group = (int)g;
	n->dev = di;
	n->serial = di >= 0 ? model.devices[di].serial : 0;
	n->kind = K_DIR;
	n->dir = D_GROUP;
	r = end;
	if (!*r)
		return 0;
	r++;
	const char *d;
	if ((d = after(r, "devices"))) {
		n->dir = D_GROUPDEVS;
		if (!*d)
			return 0;
		if (di >= 0 && !strcmp(d, model.devices[di].uuid)) {
			n->kind = K_LINK;
			snprintf(n->target, sizeof(n->target), "../../../../devices/%s/%s",
				 model.parents[model.devices[di].parent].path, d);
			return 0;
		}
		if (di < 0 && g < (long)model.n_parents && model.parents[g].pci_vendor &&
		    !strcmp(d, model.parents[g].name)) {
			n->kind = K_LINK;
			snprintf(n->target, sizeof(n->target), "../../../../devices/%s", model.parents[g].path);
			return 0;
		}
		return -ENOENT;
	}
	n->kind = K_FILE;
	if (!strcmp(r, "type"))
		n->file = F_GROUP_TYPE;
	else if (!strcmp(r, "reserved_regions"))
		n->file = F_GROUP_RESV;
	else if (!strcmp(r, "name") && di >= 0 && new_kernel())
		n->file = F_GROUP_NAME; /* 6.1 names the emulated groups of vfio devices */
	else
		return -ENOENT;
	return 0;
}

/* Within a parent's directory: "", "mdev_supported_types[/...]", "<uuid>[/...]", and for a PCI
 * parent its vendor, device, class and resource files */
static int resolve_in_parent(int pi, const char *rest, struct node *n)
{
	const struct sim_parent *p = &model.parents[pi];
	n->parent = pi;
	if (!*rest) {
		n->kind = K_DIR;
		n->dir = D_PARENT;
		return 0;
	}
	const char *r;
	static const struct {
		const char *name;
		enum file_kind f;
	} pci_files[] = { { "vendor", F_VENDOR }, { "device", F_DEVICE }, { "class", F_CLASS },
			  { "resource", F_RESOURCE } };
	for (size_t i = 0; p->pci_vendor && i < sizeof(pci_files) / sizeof(pci_files[0]); i++) {
		if (!strcmp(rest, pci_files[i].name)) {
			n->kind = K_FILE;
			n->file = pci_files[i].f;
			return 0;
		}
	}
	if (p->pci_vendor && resolve_pci_plumbing(pi, rest, n) == 0)
		return 0;
	if ((r = after(rest, "mdev_supported_types"))) {
		if (!*r) {
			n->kind = K_DIR;
			n->dir = D_TYPES;
			return 0;
		}
		char id[64];
		size_t l = strcspn(r, "/");
		if (l >= sizeof(id))
			return -ENOENT;
		memcpy(id, r, l);
		id[l] = '\0';
		int ti = sim_find_type(p, id);
		if (ti < 0)
			return -ENOENT;
		n->type = ti;
		r += l;
		if (!*r) {
			n->kind = K_DIR;
			n->dir = D_TYPE;
			return 0;
		}
		r++;
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
		const char *d = after(r, "devices");
		if (!d)
			return -ENOENT;
		if (!*d) {
			n->kind = K_DIR;
			n->dir = D_TYPEDEVS;
			return 0;
		}
		int di = sim_find(&model, d);
		if (di < 0 || model.devices[di].parent != (size_t)pi || model.devices[di].type != (size_t)ti)
			return -ENOENT;
		n->kind = K_LINK;
		snprintf(n->target, sizeof(n->target), "../../../%s", d);
		return 0;
	}
	char uuid[40];
	size_t l = strcspn(rest, "/");
	if (l >= sizeof(uuid))
		return -ENOENT;
	memcpy(uuid, rest, l);
	uuid[l] = '\0';
	int di = sim_find(&model, uuid);
	if (di < 0 || model.devices[di].parent != (size_t)pi)
		return -ENOENT;
	n->dev = di;
	n->type = (int)model.devices[di].type;
	n->serial = model.devices[di].serial;
	r = rest + l;
	if (!*r) {
		n->kind = K_DIR;
		n->dir = D_DEVICE;
		return 0;
	}
	r++;
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
	if (!(r = after(r, sub)))
		return -ENOENT;
	if (!*r) {
		n->dir = below;
		return 0;
	}
	*entry = r;
	return 1;
}

static int resolve(const char *path, struct node *n)
{
	memset(n, 0, sizeof(*n));
	n->parent = n->type = n->dev = n->attr = n->group = -1;
	const char *r;
	if (!strcmp(path, "/")) {
		n->kind = K_DIR;
		n->dir = D_ROOT;
		return 0;
	}
	if ((r = after(path, "/bus"))) {
		n->kind = K_DIR;
		if (!*r) {
			n->dir = D_BUS;
			return 0;
		}
		const char *pr = after(r, "pci"), *name, *dr;
		int k;
		if (pr && has_pci_parent()) {
			if ((dr = after(pr, "drivers")))
				return resolve_driver(dr, true, n);
			if ((k = dir_and_sub(pr, "devices", D_BUSPCI, D_BUSPCIDEVS, n, &name)) <= 0)
				return k;
			int pi = sim_find_parent(&model, name);
			if (pi < 0 || !model.parents[pi].pci_vendor)
				return -ENOENT;
			n->kind = K_LINK;
			snprintf(n->target, sizeof(n->target), "../../../devices/%s", model.parents[pi].path);
			return 0;
		}
		if (!(r = after(r, "mdev")))
			return -ENOENT;
		if ((dr = after(r, "drivers")))
			return resolve_driver(dr, false, n);
		static const char *const bus_files[] = { "drivers_autoprobe", "drivers_probe", "uevent" };
		static const enum file_kind bus_kinds[] = { F_AUTOPROBE, F_PROBE, F_BUS_UEVENT };
		if ((k = find_file(r, bus_files, 3)) >= 0) {
			n->kind = K_FILE;
			n->file = bus_kinds[k];
			return 0;
		}
		if ((k = dir_and_sub(r, "devices", D_BUSMDEV, D_BUSDEVS, n, &name)) <= 0)
			return k;
		int di = sim_find(&model, name);
		if (di < 0)
			return -ENOENT;
		n->kind = K_LINK;
		snprintf(n->target, sizeof(n->target), "../../../devices/%s/%s",
			 model.parents[model.devices[di].parent].path, model.devices[di].uuid);
		return 0;
	}
	if ((r = after(path, "/kernel"))) {
		const char *group;
		int k = dir_and_sub(r, "iommu_groups", D_KERNEL, D_IOMMU, n, &group);
		if (k <= 0)
			return k;
		return resolve_group(group, n);
	}
	if ((r = after(path, "/class"))) {
		n->kind = K_DIR;
		if (!*r) {
			n->dir = D_CLASS;
			return 0;
		}
		const char *v = after(r, "vfio-dev");
		if (v && new_kernel()) {
			n->dir = D_CLASSVFIO;
			if (!*v)
				return 0;
			int num = -1;
			char canon[32];
			if (sscanf(v, "vfio%d", &num) != 1 || num < 0)
				return -ENOENT;
			snprintf(canon, sizeof(canon), "vfio%d", num);
			int di = sim_vfio_device(&model, num);
			if (di < 0 || strcmp(canon, v))
				return -ENOENT;
			n->kind = K_LINK;
			snprintf(n->target, sizeof(n->target), "../../devices/%s/%s/vfio-dev/%s",
				 model.parents[model.devices[di].parent].path, model.devices[di].uuid, v);
			return 0;
		}
		if (!(r = after(r, "mdev_bus")))
			return -ENOENT;
		if (!*r) {
			n->dir = D_MDEVBUS;
			return 0;
		}
		int pi = sim_find_parent(&model, r);
		if (pi < 0)
			return -ENOENT;
		n->kind = K_LINK;
		snprintf(n->target, sizeof(n->target), "../../devices/%s", model.parents[pi].path);
		return 0;
	}
	if ((r = after(path, "/devices"))) {
		for (size_t i = 0; i < model.n_parents; i++) {
			const char *rest = after(r, model.parents[i].path);
			if (rest)
				return resolve_in_parent((int)i, rest, n);
		}
		/* a directory on the way to a parent's */
		size_t l = strlen(r);
		for (size_t i = 0; i < model.n_parents; i++) {
			const char *pp = model.parents[i].path;
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

static int resolve_locked(const char *path, struct node *n)
{
	pthread_mutex_lock(&lock);
	int r = resolve(path, n);
	pthread_mutex_unlock(&lock);
	return r;
}

static void *sim_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	/* devices come and go: the kernel must ask every time, and read past the size */
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->direct_io = 1;
	return NULL;
}

#define CONFIG_SIZE 256 /* a conventional PCI device's configuration space */

/* Which files show something and which take writes: the kernel refuses the other direction
 * at open() with EACCES, whoever asks */
static bool can_read(const struct node *n)
{
	switch (n->file) {
	case F_CREATE:
	case F_REMOVE:
	case F_PROBE:
	case F_BUS_UEVENT:
	case F_BIND:
	case F_UNBIND:
	case F_NEW_ID:
	case F_REMOVE_ID:
	case F_DRV_UEVENT:
		return false;
	default:
		return true;
	}
}

static bool can_write(const struct node *n)
{
	switch (n->file) {
	case F_AVAIL:
	case F_API:
	case F_NAME:
	case F_DESC:
	case F_VENDOR:
	case F_DEVICE:
	case F_CLASS:
	case F_RESOURCE:
	case F_SUBVENDOR:
	case F_SUBDEVICE:
	case F_MODALIAS:
	case F_GROUP_NAME:
	case F_GROUP_RESV:
		return false;
	case F_POWER:
		return power_files[n->attr].mode & 0200;
	default:
		return true;
	}
}

static mode_t file_mode(const struct node *n)
{
	return (can_read(n) ? 0444 : 0) | (can_write(n) ? 0200 : 0);
}

static int sim_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	struct node n;
	int r = resolve_locked(path, &n);
	if (r < 0)
		return r;
	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	if (n.kind == K_DIR) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
	} else if (n.kind == K_LINK) {
		st->st_mode = S_IFLNK | 0777;
		st->st_nlink = 1;
		st->st_size = (off_t)strlen(n.target);
	} else {
		st->st_mode = S_IFREG | file_mode(&n);
		st->st_nlink = 1;
		st->st_size = n.file == F_CONFIG ? CONFIG_SIZE : 4096;
	}
	return 0;
}

static int sim_readlink(const char *path, char *buf, size_t size)
{
	struct node n;
	int r = resolve_locked(path, &n);
	if (r < 0)
		return r;
	if (n.kind != K_LINK)
		return -EINVAL;
	snprintf(buf, size, "%s", n.target);
	return 0;
}

struct lister {
	void *buf;
	fuse_fill_dir_t fill;
	const char *path; /* of the directory listed */
};

/* One entry, with its type as the kernel's readdir gives it (DT_DIR, DT_LNK, DT_REG) */
static void add(struct lister *l, const char *name)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFDIR;
	if (strcmp(name, ".") && strcmp(name, "..")) {
		char child[512];
		struct node c;
		snprintf(child, sizeof(child), "%s/%s", strcmp(l->path, "/") ? l->path : "", name);
		if (resolve(child, &c) < 0)
			return; /* never list what cannot be looked up */
		st.st_mode = c.kind == K_LINK ? S_IFLNK : c.kind == K_FILE ? S_IFREG : S_IFDIR;
	}
	l->fill(l->buf, name, &st, 0, 0);
}

static void add_power(struct lister *l)
{
	for (size_t i = 0; i < N_POWER; i++)
		add(l, power_files[i].name);
}

static void list_dir(const struct node *n, struct lister *l)
{
	add(l, ".");
	add(l, "..");
	switch (n->dir) {
	case D_ROOT:
		add(l, "bus");
		add(l, "class");
		add(l, "devices");
		add(l, "kernel");
		break;
	case D_BUS:
		add(l, "mdev");
		if (has_pci_parent())
			add(l, "pci");
		break;
	case D_BUSPCI:
		add(l, "devices");
		add(l, "drivers");
		break;
	case D_BUSMDEV:
		add(l, "devices");
		add(l, "drivers");
		add(l, "drivers_autoprobe");
		add(l, "drivers_probe");
		add(l, "uevent");
		break;
	case D_DRIVERS:
	case D_PCIDRIVERS:
		/* each driver once */
		for (size_t i = 0; i < model.n_parents; i++) {
			const struct sim_parent *p = &model.parents[i];
			const char *d = n->dir == D_PCIDRIVERS ? (p->pci_vendor ? p->driver : "") : p->mdev_driver;
			bool dup = !d[0];
			for (size_t j = 0; j < i && !dup; j++)
				dup = !strcmp(d, n->dir == D_PCIDRIVERS ? model.parents[j].driver
									: model.parents[j].mdev_driver);
			if (!dup)
				add(l, d);
		}
		break;
	case D_DRIVER:
	case D_PCIDRIVER:
		add(l, "bind");
		add(l, "module");
		add(l, "uevent");
		add(l, "unbind");
		if (n->dir == D_PCIDRIVER) {
			add(l, "new_id");
			add(l, "remove_id");
			for (size_t i = 0; i < model.n_parents; i++)
				add(l, model.parents[i].name); /* add() drops those of other drivers */
		} else {
			for (size_t i = 0; i < model.n_devices; i++)
				add(l, model.devices[i].uuid);
		}
		break;
	case D_BUSPCIDEVS:
		for (size_t i = 0; i < model.n_parents; i++)
			if (model.parents[i].pci_vendor)
				add(l, model.parents[i].name);
		break;
	case D_KERNEL:
		add(l, "iommu_groups");
		break;
	case D_IOMMU:
		for (int g = 0; g < model.iommu_groups; g++) {
			char num[16];
			snprintf(num, sizeof(num), "%d", g);
			add(l, num);
		}
		for (size_t i = 0; i < model.n_devices; i++) {
			char num[16];
			snprintf(num, sizeof(num), "%d", model.devices[i].group);
			add(l, num);
		}
		break;
	case D_GROUP:
		add(l, "devices");
		add(l, "name");
		add(l, "reserved_regions");
		add(l, "type");
		break;
	case D_GROUPDEVS:
		if (n->dev >= 0)
			add(l, model.devices[n->dev].uuid);
		else if (n->group < (int)model.n_parents)
			add(l, model.parents[n->group].name);
		break;
	case D_POWER:
		add_power(l);
		break;
	case D_VFIODEV: {
		char name[32];
		snprintf(name, sizeof(name), "vfio%d", model.devices[n->dev].vfio);
		add(l, name);
		break;
	}
	case D_VFIO:
		add(l, "device");
		add(l, "power");
		add(l, "subsystem");
		add(l, "uevent");
		break;
	case D_CLASSVFIO:
		for (size_t i = 0; i < model.n_devices; i++) {
			char name[32];
			snprintf(name, sizeof(name), "vfio%d", model.devices[i].vfio);
			add(l, name);
		}
		break;
	case D_EMPTY:
		break;
	case D_BUSDEVS:
		for (size_t i = 0; i < model.n_devices; i++)
			add(l, model.devices[i].uuid);
		break;
	case D_CLASS:
		add(l, "mdev_bus");
		add(l, "vfio-dev");
		break;
	case D_MDEVBUS:
		for (size_t i = 0; i < model.n_parents; i++)
			add(l, model.parents[i].name);
		break;
	case D_PREFIX: {
		/* the next component of every parent path below this one, once */
		size_t pl = strlen(n->prefix);
		for (size_t i = 0; i < model.n_parents; i++) {
			const char *pp = model.parents[i].path;
			if (pl && (strncmp(pp, n->prefix, pl) || pp[pl] != '/'))
				continue;
			const char *next = pp + (pl ? pl + 1 : 0);
			char comp[128];
			snprintf(comp, sizeof(comp), "%.*s", (int)strcspn(next, "/"), next);
			bool dup = false;
			for (size_t j = 0; j < i && !dup; j++) {
				const char *q = model.parents[j].path;
				if (pl && (strncmp(q, n->prefix, pl) || q[pl] != '/'))
					continue;
				const char *qn = q + (pl ? pl + 1 : 0);
				dup = strcspn(qn, "/") == strlen(comp) && !strncmp(qn, comp, strlen(comp));
			}
			if (!dup)
				add(l, comp);
		}
		break;
	}
	case D_PARENT:
		add(l, "mdev_supported_types");
		if (model.parents[n->parent].pci_vendor) {
			static const char *const pci[] = { "class", "config", "device", "driver",
							   "iommu_group", "modalias", "numa_node",
							   "resource", "subsystem", "subsystem_device",
							   "subsystem_vendor", "uevent", "vendor" };
			for (size_t i = 0; i < sizeof(pci) / sizeof(pci[0]); i++)
				add(l, pci[i]);
		}
		for (size_t i = 0; i < model.n_devices; i++)
			if (model.devices[i].parent == (size_t)n->parent)
				add(l, model.devices[i].uuid);
		break;
	case D_TYPES:
		for (size_t i = 0; i < model.parents[n->parent].n_types; i++)
			add(l, model.parents[n->parent].types[i].id);
		break;
	case D_TYPE:
		add(l, "available_instances");
		add(l, "create");
		add(l, "description");
		add(l, "device_api");
		add(l, "devices");
		if (model.parents[n->parent].types[n->type].name[0])
			add(l, "name");
		break;
	case D_TYPEDEVS:
		for (size_t i = 0; i < model.n_devices; i++)
			if (model.devices[i].parent == (size_t)n->parent &&
			    model.devices[i].type == (size_t)n->type)
				add(l, model.devices[i].uuid);
		break;
	case D_DEVICE:
		add(l, "driver");
		add(l, "iommu_group");
		add(l, "mdev_type");
		add(l, "power");
		add(l, "remove");
		add(l, "subsystem");
		add(l, "uevent");
		add(l, "vfio-dev");
		for (size_t i = 0; i < model.parents[n->parent].n_attrs; i++)
			add(l, model.parents[n->parent].attrs[i]);
		break;
	case D_OTHER:
		break;
	}
}

static int sim_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
		       struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off;
	(void)fi;
	(void)flags;
	struct node n;
	struct lister l = { buf, fill, path };
	pthread_mutex_lock(&lock);
	int r = resolve(path, &n);
	if (r == 0 && n.kind != K_DIR)
		r = -ENOTDIR;
	if (r == 0)
		list_dir(&n, &l);
	pthread_mutex_unlock(&lock);
	return r;
}

static int sim_open(const char *path, struct fuse_file_info *fi)
{
	struct node n;
	int r = resolve_locked(path, &n);
	if (r < 0)
		return r;
	if (n.kind == K_DIR)
		return -EISDIR;
	int acc = fi->flags & O_ACCMODE;
	if ((acc != O_WRONLY && !can_read(&n)) || (acc != O_RDONLY && !can_write(&n)))
		return -EACCES;
	fi->direct_io = 1;
	fi->fh = n.serial; /* a file of a device stays that device's: ENODEV once it is gone */
	return 0;
}

/* The node an open file was opened on, or ENODEV when what held it was removed */
static int resolve_open(const char *path, struct fuse_file_info *fi, struct node *n)
{
	int r = resolve(path, n);
	if (fi && fi->fh && (r < 0 || n->serial != fi->fh))
		return -ENODEV;
	return r;
}

static int show(const struct node *n, char *out, size_t sz)
{
	const struct sim_parent *p = &model.parents[n->parent];
	switch (n->file) {
	case F_AVAIL:
		return snprintf(out, sz, "%d\n", sim_available(&model, (size_t)n->parent, (size_t)n->type));
	case F_API:
		return snprintf(out, sz, "%s\n", p->types[n->type].device_api);
	case F_NAME:
		return snprintf(out, sz, "%s\n", p->types[n->type].name);
	case F_DESC:
		return snprintf(out, sz, "%s\n", p->types[n->type].description);
	case F_UEVENT:
		return snprintf(out, sz, "DRIVER=%s\n", p->mdev_driver);
	case F_VUEVENT:
		return 0;
	case F_POWER:
		if (!power_files[n->attr].value)
			return -EIO;
		return snprintf(out, sz, "%s\n", power_files[n->attr].value);
	case F_GROUP_NAME:
		return snprintf(out, sz, "vfio-noiommu\n"); /* what 6.1 calls emulated groups too */
	case F_GROUP_TYPE:
		return snprintf(out, sz, n->dev >= 0 ? "unknown\n" : "DMA-FQ\n");
	case F_GROUP_RESV:
		/* the interrupt window VT-d reserves in every group; none for an emulated group */
		return n->dev >= 0 ? 0 : snprintf(out, sz, "0x00000000fee00000 0x00000000feefffff msi\n");
	case F_AUTOPROBE:
		return snprintf(out, sz, "%d\n", model.autoprobe);
	case F_SUBVENDOR:
		return snprintf(out, sz, "0x%04x\n", p->pci_subvendor);
	case F_SUBDEVICE:
		return snprintf(out, sz, "0x%04x\n", p->pci_subdevice);
	case F_NUMA:
		return snprintf(out, sz, "-1\n");
	case F_MODALIAS:
	case F_PUEVENT: {
		int len = 0;
		if (n->file == F_PUEVENT) {
			if (p->driver[0])
				len = snprintf(out, sz, "DRIVER=%s\n", p->driver);
			len += snprintf(out + len, sz - (size_t)len,
					"PCI_CLASS=%X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=%04X:%04X\n"
					"PCI_SLOT_NAME=%s\nMODALIAS=", p->pci_class, p->pci_vendor,
					p->pci_device, p->pci_subvendor, p->pci_subdevice, p->name);
		}
		return len + snprintf(out + len, sz - (size_t)len,
				      "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n", p->pci_vendor,
				      p->pci_device, p->pci_subvendor, p->pci_subdevice,
				      p->pci_class >> 16, (p->pci_class >> 8) & 0xff, p->pci_class & 0xff);
	}
	case F_CONFIG: {
		/* a type 0 header: the identity, memory and I/O decoding and bus mastering on, the
		 * BARs of resource, no capability list */
		unsigned char c[CONFIG_SIZE] = { 0 };
		unsigned long long ap = (unsigned long long)(p->aperture_mb ? p->aperture_mb : 256) << 20;
		const unsigned bars[6] = { 0xf6000004, 0, (unsigned)(0xc0000000ULL & ~(ap - 1)) | 0xc, 0, 0xf001, 0 };
		const unsigned w16[][2] = { { 0x00, p->pci_vendor }, { 0x02, p->pci_device }, { 0x04, 0x0007 },
					    { 0x2c, p->pci_subvendor }, { 0x2e, p->pci_subdevice } };
		for (size_t i = 0; i < sizeof(w16) / sizeof(w16[0]); i++) {
			c[w16[i][0]] = (unsigned char)w16[i][1];
			c[w16[i][0] + 1] = (unsigned char)(w16[i][1] >> 8);
		}
		c[0x09] = (unsigned char)p->pci_class;
		c[0x0a] = (unsigned char)(p->pci_class >> 8);
		c[0x0b] = (unsigned char)(p->pci_class >> 16);
		for (int b = 0; b < 6; b++)
			for (int k = 0; k < 4; k++)
				c[0x10 + 4 * b + k] = (unsigned char)(bars[b] >> (8 * k));
		c[0x3d] = 1; /* INTA */
		if (sz < sizeof(c))
			return -EIO;
		memcpy(out, c, sizeof(c));
		return (int)sizeof(c);
	}
	case F_BUSY:
		return snprintf(out, sz, "%d\n", model.devices[n->dev].busy);
	case F_ATTR:
		return snprintf(out, sz, "%s", model.devices[n->dev].values[n->attr]);
	case F_VENDOR:
		return snprintf(out, sz, "0x%04x\n", p->pci_vendor);
	case F_DEVICE:
		return snprintf(out, sz, "0x%04x\n", p->pci_device);
	case F_CLASS:
		return snprintf(out, sz, "0x030000\n"); /* VGA-compatible display controller */
	case F_RESOURCE: {
		/* start, end, flags of each region, as the kernel prints them: BAR0 16 MiB of MMIO,
		 * BAR2 the aperture (prefetchable, 64-bit), BAR4 64 I/O ports, the rest unused */
		unsigned long long ap = (unsigned long long)(p->aperture_mb ? p->aperture_mb : 256) << 20;
		const unsigned long long bars[13][3] = {
			[0] = { 0xf6000000ULL, 0xf6ffffffULL, 0x140204 },
			[2] = { 0xc0000000ULL, 0xc0000000ULL + ap - 1, 0x14220c },
			[4] = { 0xf000, 0xf03f, 0x40101 },
		};
		int len = 0;
		for (int i = 0; i < 13 && len < (int)sz; i++)
			len += snprintf(out + len, sz - (size_t)len, "0x%016llx 0x%016llx 0x%016llx\n",
					bars[i][0], bars[i][1], bars[i][2]);
		return len < (int)sz ? len : -EIO;
	}
	default:
		return -EACCES; /* write-only, as in sysfs (open refuses first) */
	}
}

static int sim_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct node n;
	char text[1024];
	pthread_mutex_lock(&lock);
	int r = resolve_open(path, fi, &n);
	if (r == 0)
		r = n.kind == K_FILE ? show(&n, text, sizeof(text)) : -EINVAL;
	pthread_mutex_unlock(&lock);
	if (r < 0)
		return r;
	if (off >= r)
		return 0;
	size_t len = (size_t)r - (size_t)off;
	if (len > size)
		len = size;
	memcpy(buf, text + off, len);
	return (int)len;
}

static int store(const struct node *n, const char *buf, size_t size)
{
	switch (n->file) {
	case F_CREATE:
		return sim_create(&model, (size_t)n->parent, (size_t)n->type, buf, size);
	case F_REMOVE:
		return sim_remove(&model, (size_t)n->dev, buf, size);
	case F_BUSY:
		model.devices[n->dev].busy = size > 0 && buf[0] == '1';
		return 0;
	case F_UEVENT:
	case F_VUEVENT:
	case F_PUEVENT:
	case F_BUS_UEVENT:
	case F_DRV_UEVENT:
		/* a synthetic uevent: checked, and sent to no one */
		return sim_uevent_action(buf, size);
	case F_AUTOPROBE:
		model.autoprobe = buf[0] != '0';
		return 0;
	case F_PROBE: {
		/* every simulated device is bound already: probing one that exists does nothing */
		char name[40];
		size_t l = strnlen(buf, size);
		if (l && buf[l - 1] == '\n')
			l--;
		snprintf(name, sizeof(name), "%.*s", (int)(l < sizeof(name) ? l : 0), buf);
		return sim_find(&model, name) >= 0 ? 0 : -ENODEV;
	}
	case F_ATTR: {
		char *v = model.devices[n->dev].values[n->attr];
		size_t cap = sizeof(model.devices[n->dev].values[0]);
		if (size >= cap)
			return -EINVAL;
		memcpy(v, buf, size);
		v[size] = '\0';
		return 0;
	}
	case F_BIND:
	case F_UNBIND:
	case F_NEW_ID:
	case F_REMOVE_ID:
	case F_POWER:
	case F_GROUP_TYPE:
	case F_NUMA:
	case F_CONFIG:
		/* the kernel would act on these; the simulator keeps every device bound, powered
		 * and configured as it is, and says so rather than pretend */
		return -EOPNOTSUPP;
	default:
		return -EACCES;
	}
}

/* The event udevd would send for a device: its uevent file's properties (u, a uevent node)
 * after ACTION, DEVPATH, SUBSYSTEM and SEQNUM. False when it does not fit (then no event). */
static bool uevent_of(const struct node *u, const char *action, const char *devpath,
		      const char *subsystem, struct sim_uevent *ev)
{
	char text[1024];
	const char *extra[16];
	size_t n = 0;
	int len = show(u, text, sizeof(text));
	if (len < 0 || (size_t)len >= sizeof(text))
		return false;
	text[len] = '\0';
	char *save;
	for (char *line = strtok_r(text, "\n", &save); line && n + 1 < sizeof(extra) / sizeof(extra[0]);
	     line = strtok_r(NULL, "\n", &save))
		if (strchr(line, '='))
			extra[n++] = line;
	extra[n] = NULL;
	return sim_uevent_fill(ev, action, devpath, subsystem, extra) == 0;
}

/* ... of an mdev being added, removed, or given an action through its uevent file */
static bool device_event(const char *action, size_t di, struct sim_uevent *ev)
{
	const struct sim_device *d = &model.devices[di];
	struct node u = { .kind = K_FILE, .file = F_UEVENT, .parent = (int)d->parent,
			  .type = (int)d->type, .dev = (int)di, .attr = -1, .group = -1 };
	char devpath[256];
	snprintf(devpath, sizeof(devpath), "/devices/%s/%s", model.parents[d->parent].path, d->uuid);
	return uevent_of(&u, action, devpath, "mdev", ev);
}

/* ... of a PCI parent given an action through its uevent file (udevadm trigger) */
static bool parent_event(const char *action, int pi, struct sim_uevent *ev)
{
	struct node u = { .kind = K_FILE, .file = F_PUEVENT, .parent = pi, .type = -1, .dev = -1,
			  .attr = -1, .group = -1 };
	char devpath[256];
	snprintf(devpath, sizeof(devpath), "/devices/%s", model.parents[pi].path);
	return uevent_of(&u, action, devpath, "pci", ev);
}

static int sim_write(const char *path, const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	(void)off; /* like sysfs, every write is one whole store */
	/* sysfs hands a store at most a page and ignores empty writes */
	if (size > 4096)
		size = 4096;
	if (!size)
		return 0;
	struct node n;
	struct sim_uevent ev;
	bool notify = false;
	pthread_mutex_lock(&lock);
	size_t before = model.n_devices;
	int r = resolve_open(path, fi, &n);
	if (r == 0 && n.kind == K_FILE && n.file == F_REMOVE)
		notify = device_event("remove", (size_t)n.dev, &ev);
	if (r == 0)
		r = n.kind == K_FILE ? store(&n, buf, size) : -EISDIR;
	if (r == 0 && n.file == F_CREATE && model.n_devices > before)
		notify = device_event("add", model.n_devices - 1, &ev);
	notify = notify && r == 0 && model.n_devices != before;
	if (r == 0 && (n.file == F_UEVENT || n.file == F_PUEVENT)) {
		/* a synthetic uevent ("change", "add KEY=value"...): the kernel sends it, and
		 * udevd passes it on */
		char action[16];
		size_t a = 0;
		while (a < size && a + 1 < sizeof(action) && buf[a] != ' ' && buf[a] != '\n' && buf[a])
			a++;
		snprintf(action, sizeof(action), "%.*s", (int)a, buf);
		notify = n.file == F_UEVENT ? n.dev >= 0 && device_event(action, (size_t)n.dev, &ev)
					    : parent_event(action, n.parent, &ev);
	}
	pthread_mutex_unlock(&lock);
	/* after the lock: a client reads the new device's files as soon as it hears */
	if (notify)
		sim_uevent_send(&ev);
	return r < 0 ? r : (int)size;
}

static int sim_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)size;
	(void)fi;
	struct node n;
	int r = resolve_locked(path, &n);
	return r < 0 ? r : 0; /* opening for write truncates; sysfs files have no length */
}

static int sim_create_file(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	(void)mode;
	(void)fi;
	struct node n;
	int r = resolve_locked(path, &n);
	return r == 0 ? 0 : -EACCES; /* sysfs has no new files */
}

static const struct fuse_operations ops = {
	.init = sim_init,
	.getattr = sim_getattr,
	.readlink = sim_readlink,
	.readdir = sim_readdir,
	.open = sim_open,
	.read = sim_read,
	.write = sim_write,
	.truncate = sim_truncate,
	.create = sim_create_file,
};

static const char *find_profile(const char *name, char *buf, size_t sz)
{
	if (strchr(name, '/') || access(name, R_OK) == 0)
		return name;
	const char *dirs[] = { getenv("MDEV_SIM_PROFILES"), MDEV_SIM_SRC_PROFILES, MDEV_SIM_PROFILES };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (!dirs[i])
			continue;
		snprintf(buf, sz, "%s/%s.conf", dirs[i], name);
		if (access(buf, R_OK) == 0)
			return buf;
	}
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: mdev-sim [--profile NAME|FILE] [--udev-events] [-f] [-d] MOUNTPOINT\n"
		   "       mdev-sim -h|--help|-V|--version\n\n"
		   "Mounts a simulated mdev sysfs on MOUNTPOINT (the \"sys\" directory of a root).\n"
		   "Profiles: seed-gvtg (default), gvtg-6.1, gvtg-256, gvtg-512, gvtg-2048, broadwell, nvidia,\n"
		   "ccw, multi, the SR-IOV GPUs l40s, xe and xe-igpu, or a profile file.\n"
		   "-f stays in the foreground; -d debugs FUSE.\n"
		   "--udev-events tells libudev clients (libvirt) when a vGPU is created or removed,\n"
		   "as udevd does; only in a private network namespace (unshare -n).\n"
		   "Unmount with: fusermount3 -u MOUNTPOINT (or SIGINT/SIGTERM in the foreground).\n");
}

int main(int argc, char **argv)
{
	const char *profile = "seed-gvtg", *mnt = NULL;
	bool fg = false, debug = false, udev_events = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--profile") && i + 1 < argc)
			profile = argv[++i];
		else if (!strncmp(argv[i], "--profile=", 10))
			profile = argv[i] + 10;
		else if (!strcmp(argv[i], "-f"))
			fg = true;
		else if (!strcmp(argv[i], "-d"))
			debug = fg = true;
		else if (!strcmp(argv[i], "--udev-events"))
			udev_events = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("mdev-sim %s\n", MDEVKIT_VERSION);
			return 0;
		} else if (argv[i][0] != '-' && !mnt)
			mnt = argv[i];
		else {
			fprintf(stderr, "Error: unexpected argument '%s'\n\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!mnt) {
		usage(stderr);
		return 2;
	}
	char path[4096], err[512];
	const char *file = find_profile(profile, path, sizeof(path));
	if (!file) {
		fprintf(stderr, "Error: no profile named '%s'\n", profile);
		return 1;
	}
	/* SR-IOV GPUs (issue 20) have a file system of their own: sriov.c */
	if (sriov_is_profile(file))
		return sriov_main(file, fg, debug, mnt, argv[0]);
	if (sim_model_load(&model, file, err, sizeof(err)) < 0) {
		fprintf(stderr, "Error: %s\n", err);
		return 1;
	}
	if (udev_events && sim_udev_events_open(err, sizeof(err)) < 0) {
		fprintf(stderr, "Error: %s\n", err);
		sim_model_free(&model);
		return 1;
	}
	char *fargs[8];
	int n = 0;
	fargs[n++] = argv[0];
	if (fg)
		fargs[n++] = "-f";
	if (debug)
		fargs[n++] = "-d";
	fargs[n++] = "-o";
	/* libfuse 3.14's fuse_main prints "Ignoring invalid max threads value" about its own
	 * default: harmless */
	fargs[n++] = "fsname=mdev-sim,subtype=mdev-sim";
	fargs[n++] = (char *)mnt;
	int r = fuse_main(n, fargs, &ops, NULL);
	sim_model_free(&model);
	return r;
}
