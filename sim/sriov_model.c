/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's SR-IOV model: profiles, and the kernel's answers to writes of sriov_numvfs,
 * nvidia/current_vgpu_type and Xe's sriov_admin profile files. Where each rule comes from:
 * docs/sriov.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sriov.h"

bool sriov_is_profile(const char *file)
{
	FILE *f = fopen(file, "r");
	if (!f)
		return false;
	char line[512];
	bool yes = false;
	while (!yes && fgets(line, sizeof(line), f))
		yes = !strncmp(line, "[sriov ", 7);
	fclose(f);
	return yes;
}

static char *strip(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static unsigned fb_of(const char *name)
{
	const char *d = strrchr(name, '-');
	return d ? (unsigned)strtoul(d + 1, NULL, 10) : 0;
}

int sriov_load(struct sr_model *m, const char *file, char *err, size_t errsz)
{
	memset(m, 0, sizeof(*m));
	FILE *f = fopen(file, "r");
	if (!f) {
		snprintf(err, errsz, "cannot open %s", file);
		return -errno;
	}
	char line[512];
	int lineno = 0, r = 0;
	struct sr_pf *pf = NULL;
	bool host = false;
	while (r == 0 && fgets(line, sizeof(line), f)) {
		lineno++;
		char *s = strip(line);
		if (!*s || *s == '#')
			continue;
		if (!strncmp(s, "[sriov ", 7)) {
			if (m->n_pfs == SR_MAX_PFS) {
				r = -E2BIG;
				break;
			}
			pf = &m->pfs[m->n_pfs++];
			host = false;
			snprintf(pf->addr, sizeof(pf->addr), "%.*s", (int)strcspn(s + 7, "]"), s + 7);
			pf->offset = 1;
			pf->stride = 1;
			pf->refuse_prio = -1;
			continue;
		}
		if (!strcmp(s, "[host]")) {
			host = true;
			pf = NULL;
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq || (!pf && !host)) {
			r = -EINVAL;
			break;
		}
		*eq = '\0';
		char *k = strip(s), *v = strip(eq + 1);
		if (host && !strcmp(k, "iommu_groups"))
			m->iommu_groups = atoi(v);
		else if (host)
			r = -EINVAL;
		else if (!strcmp(k, "path"))
			snprintf(pf->path, sizeof(pf->path), "%s", v);
		else if (!strcmp(k, "driver") && (!strcmp(v, "nvidia") || !strcmp(v, "xe")))
			pf->driver = !strcmp(v, "xe") ? SR_XE : SR_NVIDIA;
		else if (!strcmp(k, "pci_id"))
			r = sscanf(v, "%x:%x", &pf->vendor, &pf->device) == 2 ? 0 : -EINVAL;
		else if (!strcmp(k, "vf_device"))
			pf->vf_device = (unsigned)strtoul(v, NULL, 16);
		else if (!strcmp(k, "totalvfs"))
			pf->total = (unsigned)atoi(v) > SR_MAX_VFS ? SR_MAX_VFS : (unsigned)atoi(v);
		else if (!strcmp(k, "vf_offset"))
			pf->offset = (unsigned)atoi(v);
		else if (!strcmp(k, "vf_stride"))
			pf->stride = (unsigned)atoi(v);
		else if (!strcmp(k, "framebuffer_gb"))
			pf->fb_gb = (unsigned)atoi(v);
		else if (!strcmp(k, "header"))
			pf->header = !strcmp(v, "yes");
		else if (!strcmp(k, "sriov_admin"))
			pf->admin = !strcmp(v, "yes");
		else if (!strcmp(k, "vram_gb"))
			pf->vram = (unsigned long long)strtoul(v, NULL, 10) << 30;
		else if (!strcmp(k, "vram_quota"))
			pf->vram_ro = !strcmp(v, "ro");
		else if (!strcmp(k, "refuse_priority"))
			pf->refuse_prio = !strcmp(v, "low") ? 0 : !strcmp(v, "normal") ? 1 : 2;
		else if (!strcmp(k, "type") && pf->n_types < SR_MAX_TYPES) {
			struct sr_type *t = &pf->types[pf->n_types++];
			char *end;
			t->id = (unsigned)strtoul(v, &end, 10);
			snprintf(t->name, sizeof(t->name), "%s", strip(end));
			t->fb_gb = fb_of(t->name);
			r = t->id && t->fb_gb ? 0 : -EINVAL;
		} else
			r = -EINVAL;
	}
	fclose(f);
	for (size_t i = 0; r == 0 && i < m->n_pfs; i++) {
		struct sr_pf *p = &m->pfs[i];
		const char *base = strrchr(p->path, '/');
		if (!*p->path || strcmp(base ? base + 1 : p->path, p->addr) || !p->total)
			r = -EINVAL;
		if (!p->vf_device)
			p->vf_device = p->device;
	}
	if (r < 0)
		snprintf(err, errsz, "%s:%d: invalid profile line", file, lineno);
	return r;
}

void sriov_vf_addr(const struct sr_pf *pf, unsigned i, char out[16])
{
	unsigned dom = 0, bus = 0, dev = 0, fn = 0;
	sscanf(pf->addr, "%x:%x:%x.%x", &dom, &bus, &dev, &fn);
	unsigned devfn = (dev << 3 | fn) + pf->offset + pf->stride * i;
	snprintf(out, 16, "%04x:%02x:%02x.%x", dom & 0xffff, (bus + (devfn >> 8)) & 0xff,
		 (devfn >> 3) & 0x1f, devfn & 7);
}

static const struct sr_type *find_type(const struct sr_pf *pf, unsigned id)
{
	for (size_t k = 0; k < pf->n_types; k++)
		if (pf->types[k].id == id)
			return &pf->types[k];
	return NULL;
}

size_t sriov_creatable(const struct sr_pf *pf, unsigned i, unsigned *out)
{
	/* a VF that holds a vGPU lists nothing; the others list the types that fit in the
	 * framebuffer left, and only of the size already chosen (time-sliced, homogeneous mode) */
	if (i >= pf->num || pf->current[i])
		return 0;
	unsigned used = 0, size = 0;
	for (unsigned v = 0; v < pf->num; v++) {
		const struct sr_type *t = pf->current[v] ? find_type(pf, pf->current[v]) : NULL;
		if (t) {
			used += t->fb_gb;
			size = t->fb_gb;
		}
	}
	size_t n = 0;
	for (size_t k = 0; k < pf->n_types; k++) {
		const struct sr_type *t = &pf->types[k];
		if ((!size || t->fb_gb == size) && used + t->fb_gb <= pf->fb_gb)
			out[n++] = t->id;
	}
	return n;
}

/* the kernel's kstrtouint on a sysfs store: digits and one optional newline */
static int parse_uint(const char *buf, size_t len, unsigned long max, unsigned long *ret)
{
	char s[24];
	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len >= sizeof(s))
		return -EINVAL;
	memcpy(s, buf, len);
	s[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	errno = 0;
	unsigned long v = strtoul(s, NULL, 10);
	if (errno || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

int sriov_store_numvfs(struct sr_pf *pf, const char *buf, size_t len)
{
	unsigned long n;
	int r = parse_uint(buf, len, 65535, &n);
	if (r < 0)
		return -EINVAL;
	/* drivers/pci/iov.c sriov_numvfs_store */
	if (n > pf->total)
		return -ERANGE;
	if (n == pf->num)
		return 0;
	if (n && pf->num)
		return -EBUSY;
	if (!n) {
		for (unsigned i = 0; i < pf->num; i++) {
			pf->current[i] = 0;
			pf->busy[i] = false;
		}
		/* "Once the VFs are disabled, all VRAM provisioning will be released" */
		for (unsigned fn = 1; fn <= pf->total; fn++)
			pf->prof[fn].vram = 0;
	} else if (pf->vram) {
		/* without an initial quota the PF shares the VRAM out when it enables the VFs; any
		 * non-zero quota blocks that (the ABI file) */
		bool initial = false;
		for (unsigned fn = 1; fn <= pf->total; fn++)
			initial = initial || pf->prof[fn].vram;
		unsigned long long share = (pf->vram - SR_VRAM_PF_RESERVE) / n / SR_VRAM_ALIGN *
					   SR_VRAM_ALIGN;
		for (unsigned fn = 1; fn <= n && !initial; fn++)
			pf->prof[fn].vram = share;
	}
	pf->num = (unsigned)n;
	return 0;
}

/* the kernel's kstrtou64(buf, 0, ...): decimal, 0x hex or 0 octal, one optional newline */
static int parse_u64(const char *buf, size_t len, unsigned long long *ret)
{
	char s[32], *end;
	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len >= sizeof(s) || buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	memcpy(s, buf, len);
	s[len] = '\0';
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (*end)
		return -EINVAL;
	if (errno)
		return -ERANGE;
	*ret = v;
	return 0;
}

/* Set VF fn's quota (aligned up) if every VF's together fit beside the PF's reserve: EIO (the
 * ABI's "FW refuses to change the provisioning") when they do not */
static int set_vram(struct sr_pf *pf, unsigned first, unsigned last, unsigned long long v)
{
	if (v > pf->vram)
		return -EIO;
	v = (v + SR_VRAM_ALIGN - 1) / SR_VRAM_ALIGN * SR_VRAM_ALIGN;
	unsigned long long sum = 0;
	for (unsigned fn = 1; fn <= pf->total; fn++)
		sum += fn >= first && fn <= last ? v : pf->prof[fn].vram;
	if (sum > pf->vram - SR_VRAM_PF_RESERVE)
		return -EIO;
	for (unsigned fn = first; fn <= last; fn++)
		pf->prof[fn].vram = v;
	return 0;
}

int sriov_store_bulk_vram(struct sr_pf *pf, const char *buf, size_t len)
{
	unsigned long long v;
	if (pf->vram_ro)
		return -EACCES;
	int r = parse_u64(buf, len, &v);
	return r < 0 ? r : set_vram(pf, 1, pf->num ? pf->num : pf->total, v);
}

int sriov_store_current(struct sr_pf *pf, unsigned i, const char *buf, size_t len)
{
	unsigned long id;
	if (i >= pf->num || parse_uint(buf, len, 65535, &id) < 0)
		return -EINVAL;
	if (!id) {
		if (pf->busy[i])
			return -EBUSY; /* a guest has the VF open */
		pf->current[i] = 0;
		return 0;
	}
	if (pf->current[i])
		return -EBUSY;
	unsigned ids[SR_MAX_TYPES];
	size_t n = sriov_creatable(pf, i, ids);
	for (size_t k = 0; k < n; k++) {
		if (ids[k] == id) {
			pf->current[i] = (unsigned)id;
			return 0;
		}
	}
	return -EINVAL; /* not creatable on this VF now */
}

int sriov_store_profile(struct sr_pf *pf, unsigned fn, const char *attr, const char *buf,
			size_t len)
{
	struct sr_profile *p = &pf->prof[fn];
	unsigned long v;
	if (!strcmp(attr, "exec_quantum_ms") || !strcmp(attr, "preempt_timeout_us")) {
		if (parse_uint(buf, len, 0xffffffffUL, &v) < 0)
			return -EINVAL;
		if (attr[0] == 'e')
			p->eq = (unsigned)v;
		else
			p->pt = (unsigned)v;
		return 0;
	}
	if (!strcmp(attr, "sched_priority")) {
		static const char *const names[] = { "low", "normal", "high" };
		if (len && buf[len - 1] == '\n')
			len--;
		for (int k = 0; k < 3; k++) {
			if (len == strlen(names[k]) && !memcmp(buf, names[k], len)) {
				if (k == pf->refuse_prio)
					return -EPERM; /* not applicable on this HW/FW */
				p->prio = k;
				return 0;
			}
		}
		return -EINVAL;
	}
	if (!strcmp(attr, "vram_quota") && fn > 0 && pf->vram) {
		unsigned long long q;
		/* writable only with dynamic VF VRAM provisioning: else the file is 0444 */
		if (pf->vram_ro)
			return -EACCES;
		int r = parse_u64(buf, len, &q);
		return r < 0 ? r : set_vram(pf, fn, fn, q);
	}
	return -EACCES;
}
