/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim: a FUSE file system that shows a simulated host's mdev sysfs the way the kernel
 * does (sys/class/mdev_bus, sys/bus/mdev/devices, sys/devices/...), so mdevctl, ours or
 * upstream's, and libvirt manage simulated vGPUs as on real hardware. Mount it on the "sys"
 * directory of a root: MDEVCTL_ENV_ROOT=<root> for our tools, a bind mount over /sys for
 * others (inside a private mount namespace). */
#define FUSE_USE_VERSION 35
#include <errno.h>
#include <fuse.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model.h"
#include "sriov.h"

static struct sim_model model;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

enum kind {
	K_NONE,
	K_DIR,       /* a plain directory: root, bus, class, intermediate device paths */
	K_LINK,
	K_FILE,
};

enum file_kind { F_AVAIL, F_API, F_NAME, F_DESC, F_CREATE, F_REMOVE, F_UEVENT, F_BUSY, F_ATTR,
		 F_VENDOR, F_DEVICE, F_CLASS, F_RESOURCE /* a PCI parent's identity and BARs */ };

struct node {
	enum kind kind;
	enum file_kind file;
	int parent, type, dev, attr;
	char target[256]; /* links */
	/* directories: what they list */
	enum { D_OTHER, D_ROOT, D_BUS, D_BUSMDEV, D_BUSDEVS, D_BUSPCI, D_BUSPCIDEVS, D_CLASS,
	       D_MDEVBUS, D_PREFIX, D_PARENT, D_TYPES, D_TYPE, D_TYPEDEVS, D_DEVICE, D_KERNEL,
	       D_IOMMU, D_EMPTY } dir;
	char prefix[160]; /* D_PREFIX: the path below /devices so far */
};

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
		n->file = F_BUSY;
	} else {
		for (size_t i = 0; i < p->n_attrs; i++) {
			if (!strcmp(r, p->attrs[i])) {
				n->file = F_ATTR;
				n->attr = (int)i;
				return 0;
			}
		}
		return -ENOENT;
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
	n->parent = n->type = n->dev = n->attr = -1;
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
		const char *pr = after(r, "pci"), *name;
		int k;
		if (pr && has_pci_parent()) {
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
	if ((r = after(path, "/kernel")) && model.iommu_groups > 0) {
		const char *group;
		int k = dir_and_sub(r, "iommu_groups", D_KERNEL, D_IOMMU, n, &group);
		if (k <= 0)
			return k;
		char *end;
		long g = strtol(group, &end, 10);
		if (*end || end == group || g < 0 || g >= model.iommu_groups)
			return -ENOENT;
		n->dir = D_EMPTY;
		return 0;
	}
	if ((r = after(path, "/class"))) {
		n->kind = K_DIR;
		if (!*r) {
			n->dir = D_CLASS;
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
		st->st_mode = S_IFREG | (n.file == F_CREATE || n.file == F_REMOVE ? 0200 : 0644);
		if (n.file == F_AVAIL || n.file == F_API || n.file == F_NAME || n.file == F_DESC ||
		    n.file == F_UEVENT || n.file >= F_VENDOR)
			st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = 4096;
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
};

static void add(struct lister *l, const char *name)
{
	l->fill(l->buf, name, NULL, 0, 0);
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
		if (model.iommu_groups > 0)
			add(l, "kernel");
		break;
	case D_BUS:
		add(l, "mdev");
		if (has_pci_parent())
			add(l, "pci");
		break;
	case D_BUSPCI:
	case D_BUSMDEV:
		add(l, "devices");
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
		break;
	case D_EMPTY:
		break;
	case D_BUSDEVS:
		for (size_t i = 0; i < model.n_devices; i++)
			add(l, model.devices[i].uuid);
		break;
	case D_CLASS:
		add(l, "mdev_bus");
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
			add(l, "class");
			add(l, "device");
			add(l, "resource");
			add(l, "vendor");
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
		add(l, "mdev_type");
		add(l, "remove");
		add(l, "sim_busy");
		add(l, "uevent");
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
	struct lister l = { buf, fill };
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
	fi->direct_io = 1;
	return 0;
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
		return snprintf(out, sz, "MDEV_TYPE=%s\n", p->types[n->type].id);
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
	case F_CREATE:
	case F_REMOVE:
		return -EACCES; /* write-only, as in sysfs */
	}
	return -EIO;
}

static int sim_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)fi;
	struct node n;
	char text[1024];
	pthread_mutex_lock(&lock);
	int r = resolve(path, &n);
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
	case F_ATTR: {
		char *v = model.devices[n->dev].values[n->attr];
		size_t cap = sizeof(model.devices[n->dev].values[0]);
		if (size >= cap)
			return -EINVAL;
		memcpy(v, buf, size);
		v[size] = '\0';
		return 0;
	}
	default:
		return -EACCES;
	}
}

static int sim_write(const char *path, const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	(void)fi;
	(void)off; /* like sysfs, every write is one whole store */
	struct node n;
	pthread_mutex_lock(&lock);
	int r = resolve(path, &n);
	if (r == 0)
		r = n.kind == K_FILE ? store(&n, buf, size) : -EISDIR;
	pthread_mutex_unlock(&lock);
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
	fprintf(f, "Usage: mdev-sim [--profile NAME|FILE] [-f] [-d] MOUNTPOINT\n\n"
		   "Mounts a simulated mdev sysfs on MOUNTPOINT (the \"sys\" directory of a root).\n"
		   "Profiles: seed-gvtg (default), gvtg-256, gvtg-512, gvtg-2048, broadwell, nvidia,\n"
		   "ccw, multi, the SR-IOV GPUs l40s and xe, or a profile file. -f stays in the\n"
		   "foreground; -d debugs FUSE.\n"
		   "Unmount with: fusermount3 -u MOUNTPOINT (or SIGINT/SIGTERM in the foreground).\n");
}

int main(int argc, char **argv)
{
	const char *profile = "seed-gvtg", *mnt = NULL;
	bool fg = false, debug = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--profile") && i + 1 < argc)
			profile = argv[++i];
		else if (!strncmp(argv[i], "--profile=", 10))
			profile = argv[i] + 10;
		else if (!strcmp(argv[i], "-f"))
			fg = true;
		else if (!strcmp(argv[i], "-d"))
			debug = fg = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
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
