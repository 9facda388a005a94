/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Profiles and the capacity model of mdev-sim. GVT-g parents share one pool the way the
 * kernel's GVT-g does (docs/gvtg.md): the aperture less 128 MiB of low graphics
 * memory, 4 GiB less the aperture less 384 MiB of high memory, and 28 fence registers; other
 * parents give each type a fixed number of instances. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

#define GVT_TOTAL_MB 4096
#define GVT_HOST_LOW_MB 128
#define GVT_HOST_HIGH_MB 384
#define GVT_FENCES 32
#define GVT_HOST_FENCES 4

static const struct {
	int div, low, high, fences;
	const char *res;
	int weight;
} gvt_types[] = {
	{ 1, 512, 2048, 4, "1920x1200", 16 },
	{ 2, 256, 1024, 4, "1920x1200", 8 },
	{ 4, 128, 512, 4, "1920x1200", 4 },
	{ 8, 64, 384, 4, "1024x768", 2 },
};

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static void gvt_fill(struct sim_parent *p, const char *gen)
{
	p->n_types = 0;
	for (size_t i = 0; i < sizeof(gvt_types) / sizeof(gvt_types[0]); i++) {
		struct sim_type *t = &p->types[p->n_types++];
		memset(t, 0, sizeof(*t));
		snprintf(t->id, sizeof(t->id), "i915-GVTg_%s_%d", gen, gvt_types[i].div);
		snprintf(t->description, sizeof(t->description),
			 "low_gm_size: %dMB\nhigh_gm_size: %dMB\nfence: %d\nresolution: %s\nweight: %d",
			 gvt_types[i].low, gvt_types[i].high, gvt_types[i].fences, gvt_types[i].res,
			 gvt_types[i].weight);
		snprintf(t->device_api, sizeof(t->device_api), "vfio-pci");
		t->low_mb = gvt_types[i].low;
		t->high_mb = gvt_types[i].high;
		t->fences = gvt_types[i].fences;
	}
}

/* "\n" in a profile value stands for a newline (descriptions span lines in sysfs) */
static void unescape(char *dst, size_t sz, const char *src)
{
	size_t o = 0;
	for (; *src && o + 1 < sz; src++) {
		if (src[0] == '\\' && src[1] == 'n') {
			dst[o++] = '\n';
			src++;
		} else {
			dst[o++] = *src;
		}
	}
	dst[o] = '\0';
}

static int fail(char *err, size_t errsz, const char *path, int line, const char *what)
{
	snprintf(err, errsz, "%s:%d: %s", path, line, what);
	return -EINVAL;
}

/* "6.1" -> 601; -1 when it is not MAJOR.MINOR */
static int parse_kernel(const char *s)
{
	unsigned major, minor;
	int n = 0;
	if (sscanf(s, "%u.%u%n", &major, &minor, &n) != 2 || s[n] || major > 99 || minor > 99)
		return -1;
	return (int)(major * 100 + minor);
}

/* What the profile leaves unsaid follows from the kernel it imitates. */
static void apply_defaults(struct sim_model *m)
{
	for (size_t i = 0; i < m->n_parents; i++) {
		struct sim_parent *p = &m->parents[i];
		if (!p->mdev_driver[0])
			snprintf(p->mdev_driver, sizeof(p->mdev_driver), "%s",
				 m->kernel >= SIM_KERNEL_DRIVERS && p->pool == POOL_GVTG ? "intel_vgpu_mdev" : "vfio_mdev");
		if (p->pool == POOL_GVTG && p->pci_vendor && !p->driver[0])
			snprintf(p->driver, sizeof(p->driver), "i915");
		/* 6.1's mdev core gives every type a name: the driver's pretty name, else the
		 * type's own name without the "<driver>-" prefix */
		for (size_t t = 0; m->kernel >= SIM_KERNEL_NAMES && t < p->n_types; t++) {
			const char *dash = strchr(p->types[t].id, '-');
			if (!p->types[t].name[0])
				snprintf(p->types[t].name, sizeof(p->types[t].name), "%s",
					 dash ? dash + 1 : p->types[t].id);
		}
	}
}

void sim_model_init(struct sim_model *m)
{
	memset(m, 0, sizeof(*m));
	m->kernel = SIM_KERNEL_DEFAULT;
	m->autoprobe = true;
}

int sim_model_read(struct sim_model *m, const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -errno;
	}
	char buf[512];
	int line = 0, r = 0;
	struct sim_parent *p = NULL;
	struct sim_type *t = NULL;
	bool host = false; /* inside [host]: facts of the machine, not of a parent */
	bool other = false; /* inside another reader's section ([sriov ...]: sriov_model.c) */
	size_t total = 0;
	while (fgets(buf, sizeof(buf), f)) {
		line++;
		/* bounded input: a profile is a few KiB; an endless or binary file is refused, and a
		 * line too long for buf is not silently cut in two */
		size_t bl = strlen(buf);
		total += bl;
		if (total > SIM_PROFILE_MAX) {
			r = fail(err, errsz, path, line, "the profile is larger than 1048576 bytes");
			break;
		}
		if (bl == sizeof(buf) - 1 && buf[bl - 1] != '\n' && !feof(f)) {
			r = fail(err, errsz, path, line, "line longer than 510 bytes");
			break;
		}
		char *s = trim(buf);
		if (!*s || *s == '#')
			continue;
		if (!strncmp(s, "[sriov ", 7)) {
			other = true;
			p = NULL;
			t = NULL;
			host = false;
			continue;
		}
		if (!strncmp(s, "[parent ", 8) && s[strlen(s) - 1] == ']') {
			s[strlen(s) - 1] = '\0';
			struct sim_parent *np = realloc(m->parents, (m->n_parents + 1) * sizeof(*np));
			if (!np) {
				r = -ENOMEM;
				break;
			}
			m->parents = np;
			p = &m->parents[m->n_parents++];
			memset(p, 0, sizeof(*p));
			p->pci_class = 0x030000;
			snprintf(p->name, sizeof(p->name), "%s", trim(s + 8));
			snprintf(p->path, sizeof(p->path), "%s", p->name);
			t = NULL;
			host = false;
			other = false;
			continue;
		}
		if (!strcmp(s, "[host]")) {
			host = true;
			other = false;
			p = NULL;
			t = NULL;
			continue;
		}
		if (!strncmp(s, "[type ", 6) && s[strlen(s) - 1] == ']') {
			if (!p || p->pool == POOL_GVTG || p->n_types == SIM_MAX_TYPES) {
				r = fail(err, errsz, path, line, "a [type] needs a fixed-pool [parent] before it");
				break;
			}
			s[strlen(s) - 1] = '\0';
			t = &p->types[p->n_types++];
			memset(t, 0, sizeof(*t));
			snprintf(t->id, sizeof(t->id), "%s", trim(s + 6));
			snprintf(t->device_api, sizeof(t->device_api), "vfio-pci");
			continue;
		}
		char *eq = strchr(s, '=');
		/* "include = NAME" before the first section is main.c's */
		if (other || (eq && !p && !host && !strncmp(s, "include", 7) &&
			      strspn(s + 7, " \t") == (size_t)(eq - s - 7)))
			continue;
		if (!eq || (!p && !host)) {
			r = fail(err, errsz, path, line, "expected key = value inside a section");
			break;
		}
		*eq = '\0';
		char *key = trim(s), *val = trim(eq + 1);
		if (host && !strcmp(key, "kernel")) {
			if ((m->kernel = parse_kernel(val)) < 0) {
				r = fail(err, errsz, path, line, "kernel must be MAJOR.MINOR, e.g. 6.1");
				break;
			}
		} else if (host) {
			char *end;
			long g = strtol(val, &end, 10);
			if (strcmp(key, "iommu_groups")) {
				r = fail(err, errsz, path, line, "unknown key");
				break;
			}
			if (!*val || *end || g < 0 || g > 4096) {
				r = fail(err, errsz, path, line, "iommu_groups must be a number from 0 to 4096");
				break;
			}
			if (g > m->iommu_groups) /* profiles read together: the largest */
				m->iommu_groups = (int)g;
		} else if (t && !strcmp(key, "name"))
			snprintf(t->name, sizeof(t->name), "%s", val);
		else if (t && !strcmp(key, "description"))
			unescape(t->description, sizeof(t->description), val);
		else if (t && !strcmp(key, "device_api"))
			snprintf(t->device_api, sizeof(t->device_api), "%s", val);
		else if (t && !strcmp(key, "instances"))
			t->max = atoi(val);
		else if (!t && !strcmp(key, "path"))
			snprintf(p->path, sizeof(p->path), "%s", val);
		else if (!t && !strcmp(key, "model") && !strcmp(val, "fixed"))
			p->pool = POOL_FIXED;
		else if (!t && !strcmp(key, "model") && (!strcmp(val, "gvtg-v5") || !strcmp(val, "gvtg-v4"))) {
			p->pool = POOL_GVTG;
			gvt_fill(p, val[6] == '5' ? "V5" : "V4");
		} else if (!t && !strcmp(key, "aperture_mb")) {
			p->aperture_mb = atoi(val);
		} else if (!t && !strcmp(key, "pci_id")) {
			if (sscanf(val, "%x:%x", &p->pci_vendor, &p->pci_device) != 2 ||
			    !p->pci_vendor || p->pci_vendor > 0xffff || p->pci_device > 0xffff) {
				r = fail(err, errsz, path, line, "pci_id must be VENDOR:DEVICE in hex");
				break;
			}
		}
		else if (!t && !strcmp(key, "pci_subsys")) {
			if (sscanf(val, "%x:%x", &p->pci_subvendor, &p->pci_subdevice) != 2 ||
			    p->pci_subvendor > 0xffff || p->pci_subdevice > 0xffff) {
				r = fail(err, errsz, path, line, "pci_subsys must be VENDOR:DEVICE in hex");
				break;
			}
		} else if (!t && !strcmp(key, "pci_class")) {
			char *end;
			unsigned long c = strtoul(val, &end, 16);
			if (!*val || *end || c > 0xffffff) {
				r = fail(err, errsz, path, line, "pci_class must be 6 hex digits");
				break;
			}
			p->pci_class = (unsigned)c;
		} else if (!t && (!strcmp(key, "driver") || !strcmp(key, "mdev_driver"))) {
			char *d = key[0] == 'd' ? p->driver : p->mdev_driver;
			if (!*val || strlen(val) >= sizeof(p->driver) || strchr(val, '/')) {
				r = fail(err, errsz, path, line, "a driver is a name of up to 31 characters");
				break;
			}
			snprintf(d, sizeof(p->driver), "%s", val);
		} else if (!t && !strcmp(key, "attributes")) {
			for (char *save = NULL, *a = strtok_r(val, ", ", &save);
			     a && p->n_attrs < SIM_MAX_ATTRS; a = strtok_r(NULL, ", ", &save))
				snprintf(p->attrs[p->n_attrs++], sizeof(p->attrs[0]), "%s", a);
		} else {
			r = fail(err, errsz, path, line, "unknown key");
			break;
		}
	}
	fclose(f);
	for (size_t i = 0; r == 0 && i < m->n_parents; i++)
		if (m->parents[i].pool == POOL_GVTG &&
		    (m->parents[i].aperture_mb <= GVT_HOST_LOW_MB || m->parents[i].aperture_mb >= GVT_TOTAL_MB))
			r = fail(err, errsz, path, 0, "a GVT-g parent needs aperture_mb between 128 and 4096");
	if (r < 0)
		sim_model_free(m);
	return r;
}

void sim_model_finish(struct sim_model *m)
{
	apply_defaults(m);
}

int sim_model_load(struct sim_model *m, const char *path, char *err, size_t errsz)
{
	sim_model_init(m);
	int r = sim_model_read(m, path, err, errsz);
	if (r == 0 && m->n_parents == 0) {
		r = fail(err, errsz, path, 0, "no [parent] in the profile");
		sim_model_free(m);
	}
	if (r == 0)
		sim_model_finish(m);
	return r;
}

void sim_model_free(struct sim_model *m)
{
	free(m->parents);
	free(m->devices);
	memset(m, 0, sizeof(*m));
}

int sim_available(const struct sim_model *m, size_t parent, size_t type)
{
	const struct sim_parent *p = &m->parents[parent];
	const struct sim_type *t = &p->types[type];
	if (p->pool == POOL_FIXED) {
		int used = 0;
		for (size_t i = 0; i < m->n_devices; i++)
			used += m->devices[i].parent == parent && m->devices[i].type == type;
		return t->max > used ? t->max - used : 0;
	}
	int low = p->aperture_mb - GVT_HOST_LOW_MB;
	int high = GVT_TOTAL_MB - p->aperture_mb - GVT_HOST_HIGH_MB;
	int fences = GVT_FENCES - GVT_HOST_FENCES;
	for (size_t i = 0; i < m->n_devices; i++) {
		if (m->devices[i].parent != parent)
			continue;
		const struct sim_type *u = &p->types[m->devices[i].type];
		low -= u->low_mb;
		high -= u->high_mb;
		fences -= u->fences;
	}
	int n = low / t->low_mb;
	if (high / t->high_mb < n)
		n = high / t->high_mb;
	if (fences / t->fences < n)
		n = fences / t->fences;
	return n > 0 ? n : 0;
}

int sim_find(const struct sim_model *m, const char *uuid)
{
	for (size_t i = 0; i < m->n_devices; i++)
		if (!strcmp(m->devices[i].uuid, uuid))
			return (int)i;
	return -1;
}

int sim_find_parent(const struct sim_model *m, const char *name)
{
	for (size_t i = 0; i < m->n_parents; i++)
		if (!strcmp(m->parents[i].name, name))
			return (int)i;
	return -1;
}

int sim_find_type(const struct sim_parent *p, const char *id)
{
	for (size_t i = 0; i < p->n_types; i++)
		if (!strcmp(p->types[i].id, id))
			return (int)i;
	return -1;
}

/* The kernel's create_store(): 36 or 37 bytes, whatever the 37th is; then guid_parse() of the
 * first 36: hyphens at 8, 13, 18, 23, hex digits elsewhere in either case. The device is
 * named in lowercase. */
static bool parse_uuid(const char *buf, size_t len, char out[37])
{
	if (len != 36 && len != 37)
		return false;
	for (size_t i = 0; i < 36; i++) {
		char c = buf[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!isxdigit((unsigned char)c)) {
			return false;
		}
		out[i] = (char)tolower((unsigned char)c);
	}
	out[36] = '\0';
	return true;
}

int sim_group_device(const struct sim_model *m, int g)
{
	for (size_t i = 0; i < m->n_devices; i++)
		if (m->devices[i].group == g)
			return (int)i;
	return -1;
}

int sim_vfio_device(const struct sim_model *m, int n)
{
	for (size_t i = 0; i < m->n_devices; i++)
		if (m->devices[i].vfio == n)
			return (int)i;
	return -1;
}

const char *sim_driver_module(const char *driver)
{
	/* GVT-g's mdev driver lives in kvmgt.ko; the others in a module of their own name */
	return !strcmp(driver, "intel_vgpu_mdev") ? "kvmgt" : driver;
}

int sim_create(struct sim_model *m, size_t parent, size_t type, const char *buf, size_t len)
{
	char uuid[37];
	if (!parse_uuid(buf, len, uuid))
		return -EINVAL;
	if (sim_find(m, uuid) >= 0)
		return -EEXIST;
	if (sim_available(m, parent, type) <= 0)
		/* the mdev core's own count says EUSERS; GVT-g's driver refuses with ENOSPC */
		return m->parents[parent].pool == POOL_GVTG ? -ENOSPC : -EUSERS;
	struct sim_device *d = realloc(m->devices, (m->n_devices + 1) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	m->devices = d;
	/* the kernel numbers groups and vfio devices with IDAs: the lowest number free */
	int group = m->iommu_groups, vfio = 0;
	while (sim_group_device(m, group) >= 0)
		group++;
	while (sim_vfio_device(m, vfio) >= 0)
		vfio++;
	d = &m->devices[m->n_devices++];
	memset(d, 0, sizeof(*d));
	memcpy(d->uuid, uuid, sizeof(uuid));
	d->parent = parent;
	d->type = type;
	d->group = group;
	d->vfio = vfio;
	d->serial = ++m->serials;
	return 0;
}

int sim_kstrtoul(const char *buf, size_t len, unsigned long long *v)
{
	/* sysfs gives a store the written bytes and a NUL; a NUL within ends the string */
	size_t n = strnlen(buf, len), i = 0;
	unsigned base = 10;
	if (n && buf[0] == '+')
		i++;
	if (i < n && buf[i] == '0') {
		base = 8;
		if (i + 2 < n && (buf[i + 1] | 0x20) == 'x' && isxdigit((unsigned char)buf[i + 2])) {
			base = 16;
			i += 2;
		}
	}
	unsigned long long r = 0;
	size_t digits = 0;
	bool overflow = false;
	for (; i < n; i++, digits++) {
		unsigned c = (unsigned char)buf[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (r > (~0ULL - d) / base)
			overflow = true;
		r = r * base + d;
	}
	if (overflow)
		return -ERANGE;
	if (!digits)
		return -EINVAL;
	if (i < n && buf[i] == '\n')
		i++;
	if (i < n)
		return -EINVAL;
	*v = r;
	return 0;
}

int sim_uevent_action(const char *buf, size_t len)
{
	static const char *const actions[] = { "add", "remove", "change", "move",
					       "online", "offline", "bind", "unbind" };
	/* as kobject_action_type(): one trailing newline or NUL off, the action up to a space */
	if (len && (buf[len - 1] == '\n' || buf[len - 1] == '\0'))
		len--;
	const char *space = memchr(buf, ' ', len);
	size_t a = space ? (size_t)(space - buf) : len;
	for (size_t i = 0; len && i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strncmp(actions[i], buf, a) && !actions[i][a] && !memchr(buf, '\0', a))
			return 0;
	return -EINVAL;
}

int sim_remove(struct sim_model *m, size_t dev, const char *buf, size_t len)
{
	unsigned long long v;
	/* 6.1's remove_store() turns every failure of kstrtoul(), ERANGE too, into EINVAL */
	if (sim_kstrtoul(buf, len, &v) < 0)
		return -EINVAL;
	if (!v)
		return 0;
	if (m->devices[dev].busy)
		return -EBUSY;
	memmove(&m->devices[dev], &m->devices[dev + 1], (m->n_devices - dev - 1) * sizeof(*m->devices));
	m->n_devices--;
	return 0;
}
