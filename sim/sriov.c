/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's file system for SR-IOV GPUs: sys/bus/pci/{devices,drivers}, the PFs' and VFs'
 * directories under sys/devices with their sriov_*, virtfn<i>/physfn, driver links, NVIDIA's
 * per-VF nvidia/ files and Xe's sriov_admin/, laid out as the kernel does (relative links). The
 * rules of the stores are in sriov_model.c. */
#define FUSE_USE_VERSION 35
#include <errno.h>
#include <fuse.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sriov.h"

static struct sr_model M;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

enum sk { S_DIR = 1, S_LINK, S_FILE };
enum sd { SD_ROOT, SD_CLASS, SD_EMPTY, SD_BUS, SD_BUSMDEV, SD_BUSPCI, SD_PCIDEVS, SD_DRIVERS,
	  SD_DRIVER, SD_KERNEL, SD_IOMMU, SD_GROUP, SD_PREFIX, SD_PF, SD_VF, SD_NVDIR, SD_ADMIN,
	  SD_FN, SD_PROFILE, SD_BULK, SD_TILE };
/* the profile files in the order of PROFILE_FILES, the bulk ones too; write-only from SF_BULK_EQ */
enum sf { SF_VENDOR, SF_DEVICE, SF_CLASS, SF_TOTAL, SF_NUM, SF_CREATABLE, SF_CURRENT, SF_BUSY,
	  SF_TILE_VRAM, SF_EQ, SF_PT, SF_PRIO, SF_VRAM, SF_STOP, SF_BULK_EQ, SF_BULK_PT,
	  SF_BULK_PRIO, SF_BULK_VRAM };

struct snode {
	enum sk kind;
	enum sd dir;
	enum sf file;
	int pf, vf, fn;
	const char *drv;
	char prefix[160];
	char target[256];
};

static const char *const DRIVERS[] = { "nvidia", "xe", "vfio-pci" };
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

/* the VF's directory under devices/: the PF's parent and the VF's address */
static void vf_path(const struct sr_pf *p, unsigned i, char *out, size_t sz)
{
	char a[16];
	sriov_vf_addr(p, i, a);
	const char *slash = strrchr(p->path, '/');
	if (slash)
		snprintf(out, sz, "%.*s/%s", (int)(slash - p->path), p->path, a);
	else
		snprintf(out, sz, "%s", a);
}

static void ups_to_root(const char *entity, char *out, size_t sz)
{
	/* from devices/<entity>/ up to the sys root */
	size_t n = 2, len = 0;
	for (const char *c = entity; *c; c++)
		n += *c == '/';
	out[0] = '\0';
	for (size_t i = 0; i < n && len + 3 < sz; i++, len += 3)
		strcat(out, "../");
}

static const char *after(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(path, prefix, n))
		return NULL;
	if (path[n] == '\0')
		return "";
	return path[n] == '/' ? path + n + 1 : NULL;
}

/* an address of a PF or an enabled VF: pf index and vf (-1 for the PF) */
static bool find_addr(const char *a, int *pf, int *vf)
{
	for (size_t i = 0; i < M.n_pfs; i++) {
		if (!strcmp(M.pfs[i].addr, a)) {
			*pf = (int)i;
			*vf = -1;
			return true;
		}
		for (unsigned v = 0; v < M.pfs[i].num; v++) {
			char b[16];
			sriov_vf_addr(&M.pfs[i], v, b);
			if (!strcmp(a, b)) {
				*pf = (int)i;
				*vf = (int)v;
				return true;
			}
		}
	}
	return false;
}

static int file_node(struct snode *n, enum sf f)
{
	n->kind = S_FILE;
	n->file = f;
	return 0;
}

static int dir_node(struct snode *n, enum sd d)
{
	n->kind = S_DIR;
	n->dir = d;
	return 0;
}

static int link_node(struct snode *n, const char *fmt, const char *a, const char *b)
{
	n->kind = S_LINK;
	snprintf(n->target, sizeof(n->target), fmt, a, b);
	return 0;
}

static int resolve_admin(const struct sr_pf *p, const char *sub, struct snode *n)
{
	if (!*sub)
		return dir_node(n, SD_ADMIN);
	const char *rest;
	if ((rest = after(sub, ".bulk_profile"))) {
		if (!*rest)
			return dir_node(n, SD_BULK);
		for (int k = 0; k < profile_files(p, -1); k++)
			if (!strcmp(rest, PROFILE_FILES[k]))
				return file_node(n, (enum sf)(SF_BULK_EQ + k));
		return -ENOENT;
	}
	char name[16];
	size_t len = strcspn(sub, "/");
	if (len >= sizeof(name))
		return -ENOENT;
	memcpy(name, sub, len);
	name[len] = '\0';
	rest = sub[len] ? sub + len + 1 : "";
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
		return dir_node(n, SD_FN);
	if (!strcmp(rest, "device")) {
		char a[16];
		if (n->fn == 0)
			return link_node(n, "../../../%s%s", p->addr, "");
		if ((unsigned)n->fn > p->num)
			return -ENOENT;
		sriov_vf_addr(p, (unsigned)n->fn - 1, a);
		return link_node(n, "../../../%s%s", a, "");
	}
	if (!strcmp(rest, "stop") && n->fn)
		return file_node(n, SF_STOP);
	const char *prof = after(rest, "profile");
	if (!prof)
		return -ENOENT;
	if (!*prof)
		return dir_node(n, SD_PROFILE);
	for (int k = 0; k < profile_files(p, n->fn); k++)
		if (!strcmp(prof, PROFILE_FILES[k]))
			return file_node(n, (enum sf)(SF_EQ + k));
	return -ENOENT;
}

static int resolve_entity(int pi, int vf, const char *sub, struct snode *n)
{
	const struct sr_pf *p = &M.pfs[pi];
	n->pf = pi;
	n->vf = vf;
	if (!*sub)
		return dir_node(n, vf < 0 ? SD_PF : SD_VF);
	if (!strcmp(sub, "vendor"))
		return file_node(n, SF_VENDOR);
	if (!strcmp(sub, "device"))
		return file_node(n, SF_DEVICE);
	if (!strcmp(sub, "class"))
		return file_node(n, SF_CLASS);
	char ent[192], ups[64];
	if (vf < 0)
		snprintf(ent, sizeof(ent), "%s", p->path);
	else
		vf_path(p, (unsigned)vf, ent, sizeof(ent));
	ups_to_root(ent, ups, sizeof(ups));
	if (vf < 0) {
		if (!strcmp(sub, "sriov_totalvfs"))
			return file_node(n, SF_TOTAL);
		if (!strcmp(sub, "sriov_numvfs"))
			return file_node(n, SF_NUM);
		if (!strcmp(sub, "driver"))
			return link_node(n, "%sbus/pci/drivers/%s", ups, drv_name(p));
		if (!strncmp(sub, "virtfn", 6) && sub[6] >= '0' && sub[6] <= '9') {
			char *end, a[16];
			unsigned long i = strtoul(sub + 6, &end, 10);
			if (*end || i >= p->num)
				return -ENOENT;
			sriov_vf_addr(p, (unsigned)i, a);
			return link_node(n, "../%s%s", a, "");
		}
		/* the xe driver's tile<N>/physical_vram_size_bytes (discrete GPUs) */
		const char *tile = after(sub, "tile0");
		if (tile && p->driver == SR_XE && p->vram)
			return !*tile ? dir_node(n, SD_TILE) :
			       !strcmp(tile, "physical_vram_size_bytes") ? file_node(n, SF_TILE_VRAM) :
									   -ENOENT;
		const char *adm = after(sub, "sriov_admin");
		if (adm && p->driver == SR_XE && p->admin)
			return resolve_admin(p, adm, n);
		return -ENOENT;
	}
	if (!strcmp(sub, "physfn"))
		return link_node(n, "../%s%s", p->addr, "");
	if (p->driver != SR_NVIDIA)
		return -ENOENT;
	if (!strcmp(sub, "driver"))
		return link_node(n, "%sbus/pci/drivers/%s", ups, "nvidia");
	const char *nv = after(sub, "nvidia");
	if (!nv)
		return -ENOENT;
	if (!*nv)
		return dir_node(n, SD_NVDIR);
	if (!strcmp(nv, "creatable_vgpu_types"))
		return file_node(n, SF_CREATABLE);
	if (!strcmp(nv, "current_vgpu_type"))
		return file_node(n, SF_CURRENT);
	if (!strcmp(nv, "sim_busy"))
		return file_node(n, SF_BUSY);
	return -ENOENT;
}

static int resolve_devices(const char *rest, struct snode *n)
{
	bool prefix = !*rest;
	for (size_t i = 0; i < M.n_pfs; i++) {
		const struct sr_pf *p = &M.pfs[i];
		for (int v = -1; v < (int)p->num; v++) {
			char ent[192];
			if (v < 0)
				snprintf(ent, sizeof(ent), "%s", p->path);
			else
				vf_path(p, (unsigned)v, ent, sizeof(ent));
			const char *sub = after(rest, ent);
			if (sub)
				return resolve_entity((int)i, v, sub, n);
			if (*rest && after(ent, rest))
				prefix = true;
		}
	}
	if (!prefix)
		return -ENOENT;
	snprintf(n->prefix, sizeof(n->prefix), "%s", rest);
	return dir_node(n, SD_PREFIX);
}

static int resolve(const char *path, struct snode *n)
{
	memset(n, 0, sizeof(*n));
	n->pf = n->vf = -1;
	while (*path == '/')
		path++;
	const char *r;
	if (!*path)
		return dir_node(n, SD_ROOT);
	if ((r = after(path, "devices")))
		return resolve_devices(r, n);
	if (!strcmp(path, "class"))
		return dir_node(n, SD_CLASS);
	if (!strcmp(path, "class/mdev_bus") || !strcmp(path, "bus/mdev/devices"))
		return dir_node(n, SD_EMPTY);
	if (!strcmp(path, "bus"))
		return dir_node(n, SD_BUS);
	if (!strcmp(path, "bus/mdev"))
		return dir_node(n, SD_BUSMDEV);
	if (!strcmp(path, "bus/pci"))
		return dir_node(n, SD_BUSPCI);
	if ((r = after(path, "bus/pci/devices"))) {
		int pi, vf;
		if (!*r)
			return dir_node(n, SD_PCIDEVS);
		if (!find_addr(r, &pi, &vf))
			return -ENOENT;
		char ent[192];
		if (vf < 0)
			snprintf(ent, sizeof(ent), "%s", M.pfs[pi].path);
		else
			vf_path(&M.pfs[pi], (unsigned)vf, ent, sizeof(ent));
		return link_node(n, "../../../devices/%s%s", ent, "");
	}
	if ((r = after(path, "bus/pci/drivers"))) {
		if (!*r)
			return dir_node(n, SD_DRIVERS);
		for (size_t d = 0; d < 3; d++) {
			const char *a = after(r, DRIVERS[d]);
			if (!a)
				continue;
			n->drv = DRIVERS[d];
			if (!*a)
				return dir_node(n, SD_DRIVER);
			int pi, vf;
			if (!find_addr(a, &pi, &vf))
				return -ENOENT;
			const struct sr_pf *p = &M.pfs[pi];
			bool bound = vf < 0 ? !strcmp(drv_name(p), DRIVERS[d]) :
					      p->driver == SR_NVIDIA && d == 0;
			if (!bound)
				return -ENOENT;
			char ent[192];
			if (vf < 0)
				snprintf(ent, sizeof(ent), "%s", p->path);
			else
				vf_path(p, (unsigned)vf, ent, sizeof(ent));
			return link_node(n, "../../../../devices/%s%s", ent, "");
		}
		return -ENOENT;
	}
	if (!strcmp(path, "kernel"))
		return dir_node(n, SD_KERNEL);
	if ((r = after(path, "kernel/iommu_groups"))) {
		if (!*r)
			return dir_node(n, SD_IOMMU);
		char *end;
		long g = strtol(r, &end, 10);
		if (end == r || g < 0 || g >= M.iommu_groups)
			return -ENOENT;
		if (!*end)
			return dir_node(n, SD_GROUP);
		return !strcmp(end, "/devices") ? dir_node(n, SD_EMPTY) : -ENOENT;
	}
	return -ENOENT;
}

static int resolve_locked(const char *path, struct snode *n)
{
	pthread_mutex_lock(&lock);
	int r = resolve(path, n);
	pthread_mutex_unlock(&lock);
	return r;
}

static void *sr_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->direct_io = 1;
	return NULL;
}

static bool write_only(enum sf f)
{
	return f == SF_STOP || f >= SF_BULK_EQ;
}

static bool writable(const struct snode *n)
{
	enum sf f = n->file;
	if (f == SF_VRAM || f == SF_BULK_VRAM)
		return !M.pfs[n->pf].vram_ro;
	return f == SF_NUM || f == SF_CURRENT || f == SF_BUSY || f == SF_EQ || f == SF_PT ||
	       f == SF_PRIO || write_only(f);
}

static int sr_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	struct snode n;
	int r = resolve_locked(path, &n);
	if (r < 0)
		return r;
	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_nlink = 1;
	if (n.kind == S_DIR) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
	} else if (n.kind == S_LINK) {
		st->st_mode = S_IFLNK | 0777;
		st->st_size = (off_t)strlen(n.target);
	} else {
		st->st_mode = S_IFREG | (!writable(&n) ? (write_only(n.file) ? 0 : 0444) :
					 write_only(n.file) ? 0200 : 0644);
		st->st_size = 4096;
	}
	return 0;
}

static int sr_readlink(const char *path, char *buf, size_t size)
{
	struct snode n;
	int r = resolve_locked(path, &n);
	if (r < 0)
		return r;
	if (n.kind != S_LINK)
		return -EINVAL;
	snprintf(buf, size, "%s", n.target);
	return 0;
}

struct lister {
	void *buf;
	fuse_fill_dir_t fill;
	char seen[64][64];
	size_t n_seen;
};

static void add(struct lister *l, const char *name)
{
	l->fill(l->buf, name, NULL, 0, 0);
}

static void add_once(struct lister *l, const char *name, size_t len)
{
	char s[64];
	snprintf(s, sizeof(s), "%.*s", (int)len, name);
	for (size_t i = 0; i < l->n_seen; i++)
		if (!strcmp(l->seen[i], s))
			return;
	if (l->n_seen < 64)
		snprintf(l->seen[l->n_seen++], 64, "%s", s);
	add(l, s);
}

static void list_dir(const struct snode *n, struct lister *l)
{
	char s[64];
	add(l, ".");
	add(l, "..");
	const struct sr_pf *p = n->pf >= 0 ? &M.pfs[n->pf] : NULL;
	switch (n->dir) {
	case SD_ROOT:
		add(l, "bus"), add(l, "class"), add(l, "devices"), add(l, "kernel");
		break;
	case SD_CLASS:
		add(l, "mdev_bus");
		break;
	case SD_BUS:
		add(l, "mdev"), add(l, "pci");
		break;
	case SD_BUSMDEV:
		add(l, "devices");
		break;
	case SD_BUSPCI:
		add(l, "devices"), add(l, "drivers");
		break;
	case SD_PCIDEVS:
	case SD_DRIVER:
		for (size_t i = 0; i < M.n_pfs; i++) {
			const struct sr_pf *q = &M.pfs[i];
			if (n->dir == SD_PCIDEVS || !strcmp(n->drv, drv_name(q)))
				add(l, q->addr);
			if (n->dir == SD_DRIVER && (q->driver != SR_NVIDIA || strcmp(n->drv, "nvidia")))
				continue;
			for (unsigned v = 0; v < q->num; v++) {
				sriov_vf_addr(q, v, s);
				add(l, s);
			}
		}
		break;
	case SD_DRIVERS:
		for (size_t d = 0; d < 3; d++)
			add(l, DRIVERS[d]);
		break;
	case SD_KERNEL:
		add(l, "iommu_groups");
		break;
	case SD_IOMMU:
		for (int g = 0; g < M.iommu_groups; g++) {
			snprintf(s, sizeof(s), "%d", g);
			add(l, s);
		}
		break;
	case SD_GROUP:
		add(l, "devices");
		break;
	case SD_PREFIX: {
		size_t plen = strlen(n->prefix);
		for (size_t i = 0; i < M.n_pfs; i++) {
			for (int v = -1; v < (int)M.pfs[i].num; v++) {
				char ent[192];
				if (v < 0)
					snprintf(ent, sizeof(ent), "%s", M.pfs[i].path);
				else
					vf_path(&M.pfs[i], (unsigned)v, ent, sizeof(ent));
				const char *rest = plen ? after(ent, n->prefix) : ent;
				if (rest && *rest)
					add_once(l, rest, strcspn(rest, "/"));
			}
		}
		break;
	}
	case SD_PF:
		add(l, "class"), add(l, "device"), add(l, "driver"), add(l, "sriov_numvfs");
		add(l, "sriov_totalvfs"), add(l, "vendor");
		for (unsigned v = 0; v < p->num; v++) {
			snprintf(s, sizeof(s), "virtfn%u", v);
			add(l, s);
		}
		if (p->driver == SR_XE && p->admin)
			add(l, "sriov_admin");
		if (p->driver == SR_XE && p->vram)
			add(l, "tile0");
		break;
	case SD_TILE:
		add(l, "physical_vram_size_bytes");
		break;
	case SD_VF:
		add(l, "class"), add(l, "device"), add(l, "physfn"), add(l, "vendor");
		if (p->driver == SR_NVIDIA)
			add(l, "driver"), add(l, "nvidia");
		break;
	case SD_NVDIR:
		add(l, "creatable_vgpu_types"), add(l, "current_vgpu_type"), add(l, "sim_busy");
		break;
	case SD_ADMIN:
		add(l, ".bulk_profile"), add(l, "pf");
		for (unsigned v = 1; v <= p->total; v++) {
			snprintf(s, sizeof(s), "vf%u", v);
			add(l, s);
		}
		break;
	case SD_FN:
		add(l, "profile");
		if (n->fn == 0 || (unsigned)n->fn <= p->num)
			add(l, "device");
		if (n->fn)
			add(l, "stop");
		break;
	case SD_PROFILE:
	case SD_BULK:
		for (int k = 0; k < profile_files(p, n->dir == SD_BULK ? -1 : n->fn); k++)
			add(l, PROFILE_FILES[k]);
		break;
	case SD_EMPTY:
		break;
	}
}

static int sr_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
		      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off, (void)fi, (void)flags;
	struct snode n;
	struct lister *l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->buf = buf;
	l->fill = fill;
	pthread_mutex_lock(&lock);
	int r = resolve(path, &n);
	if (r == 0 && n.kind != S_DIR)
		r = -ENOTDIR;
	if (r == 0)
		list_dir(&n, l);
	pthread_mutex_unlock(&lock);
	free(l);
	return r;
}

static int sr_open(const char *path, struct fuse_file_info *fi)
{
	struct snode n;
	int r = resolve_locked(path, &n);
	if (r < 0)
		return r;
	if (n.kind == S_DIR)
		return -EISDIR;
	fi->direct_io = 1;
	return 0;
}

static int show(const struct snode *n, char *out, size_t sz)
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

static int sr_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)fi;
	struct snode n;
	char text[4096];
	pthread_mutex_lock(&lock);
	int r = resolve(path, &n);
	if (r == 0)
		r = n.kind == S_FILE ? show(&n, text, sizeof(text)) : -EINVAL;
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

static int store(const struct snode *n, const char *buf, size_t size)
{
	struct sr_pf *p = &M.pfs[n->pf];
	switch (n->file) {
	case SF_NUM:
		return sriov_store_numvfs(p, buf, size);
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

static int sr_write(const char *path, const char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	(void)fi, (void)off; /* like sysfs, every write is one whole store */
	struct snode n;
	pthread_mutex_lock(&lock);
	int r = resolve(path, &n);
	if (r == 0)
		r = n.kind == S_FILE ? store(&n, buf, size) : -EISDIR;
	pthread_mutex_unlock(&lock);
	return r < 0 ? r : (int)size;
}

static int sr_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)size, (void)fi;
	struct snode n;
	int r = resolve_locked(path, &n);
	return r < 0 ? r : 0;
}

static int sr_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	(void)mode, (void)fi;
	struct snode n;
	return resolve_locked(path, &n) == 0 ? 0 : -EACCES; /* sysfs has no new files */
}

static const struct fuse_operations sr_ops = {
	.init = sr_init,
	.getattr = sr_getattr,
	.readlink = sr_readlink,
	.readdir = sr_readdir,
	.open = sr_open,
	.read = sr_read,
	.write = sr_write,
	.truncate = sr_truncate,
	.create = sr_create,
};

int sriov_main(const char *file, bool fg, bool debug, const char *mnt, char *argv0)
{
	char err[512];
	if (sriov_load(&M, file, err, sizeof(err)) < 0) {
		fprintf(stderr, "Error: %s\n", err);
		return 1;
	}
	char *fargs[8];
	int n = 0;
	fargs[n++] = argv0;
	if (fg)
		fargs[n++] = "-f";
	if (debug)
		fargs[n++] = "-d";
	fargs[n++] = "-o";
	fargs[n++] = "fsname=mdev-sim,subtype=mdev-sim";
	fargs[n++] = (char *)mnt;
	return fuse_main(n, fargs, &sr_ops, NULL);
}
