/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Intel Xe SR-IOV (xe driver): the PF's VFs are enabled all at once with sriov_numvfs (a
 * non-zero count changes only through 0) and share the GPU fairly unless provisioned; since
 * Linux 6.19, sys/bus/pci/drivers/xe/<PF>/sriov_admin/vf<N>/profile/ holds each VF's
 * exec_quantum_ms, preempt_timeout_us and sched_priority ("[low] normal high"). The kernel's
 * Documentation/ABI/testing/sysfs-driver-intel-xe-sriov; more in docs/sriov.md. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "vgpu.h"

static const char *const PRIO[] = { NULL, "low", "normal", "high" };

const char *xe_prio_name(enum xe_prio p)
{
	return p > XE_PRIO_NONE && p <= XE_PRIO_HIGH ? PRIO[p] : NULL;
}

enum xe_prio xe_parse_priority(const char *text)
{
	/* the current value is the word in brackets; a file with one bare word (a read-only
	 * attribute may be shown so) names it directly */
	const char *open = strchr(text, '[');
	char word[16];
	size_t n;
	if (open) {
		const char *close = strchr(open, ']');
		if (!close || (n = (size_t)(close - open - 1)) >= sizeof(word))
			return XE_PRIO_NONE;
		memcpy(word, open + 1, n);
	} else {
		while (*text == ' ' || *text == '\t')
			text++;
		n = strcspn(text, " \t\n");
		if (n >= sizeof(word) || text[n + strspn(text + n, " \t\n")])
			return XE_PRIO_NONE;
		memcpy(word, text, n);
	}
	word[n] = '\0';
	for (int p = XE_PRIO_LOW; p <= XE_PRIO_HIGH; p++)
		if (!strcmp(word, PRIO[p]))
			return (enum xe_prio)p;
	return XE_PRIO_NONE;
}

static int parse_u32(const char *s, unsigned *ret)
{
	if (*s < '0' || *s > '9' || strlen(s) > 10)
		return -EINVAL;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || v > 0xffffffffull)
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

int xe_parse_size(const char *s, unsigned long long *ret)
{
	static const char UNITS[] = "KMGT";
	if (*s < '0' || *s > '9' || strspn(s, "0123456789") > 13)
		return -EINVAL;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end) {
		const char *u = strchr(UNITS, *end);
		if (!u || (end[1] && strcmp(end + 1, "iB")))
			return -EINVAL;
		for (const char *k = UNITS; k <= u; k++) {
			if (v > XE_VRAM_MAX)
				return -EINVAL;
			v *= 1024;
		}
	}
	if (v > XE_VRAM_MAX)
		return -EINVAL;
	*ret = v;
	return 0;
}

int xe_parse_profile(struct mdev_ctx *ctx, const char *s, struct xe_profile *p)
{
	memset(p, 0, sizeof(*p));
	if (strlen(s) > 256)
		return lib_error(ctx, EINVAL, "profile too long");
	_cleanup_free_ char *copy = strdup(s);
	if (!copy)
		return lib_error(ctx, ENOMEM, "out of memory");
	if (!*copy)
		return lib_error(ctx, EINVAL, "empty profile");
	for (char *save = NULL, *kv = strtok_r(copy, ",", &save); kv;
	     kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq)
			return lib_error(ctx, EINVAL, "profile item \"%s\" is not key=value", kv);
		*eq = '\0';
		const char *key = kv, *val = eq + 1;
		bool dup;
		if (!strcmp(key, "exec_quantum_ms")) {
			dup = p->has_eq;
			p->has_eq = true;
			if (!dup && parse_u32(val, &p->eq) < 0)
				return lib_error(ctx, EINVAL,
						 "exec_quantum_ms=%s: must be milliseconds, 0 to 4294967295 (0: unlimited)", val);
		} else if (!strcmp(key, "preempt_timeout_us")) {
			dup = p->has_pt;
			p->has_pt = true;
			if (!dup && parse_u32(val, &p->pt) < 0)
				return lib_error(ctx, EINVAL,
						 "preempt_timeout_us=%s: must be microseconds, 0 to 4294967295 (0: unlimited)", val);
		} else if (!strcmp(key, "sched_priority")) {
			dup = p->prio != XE_PRIO_NONE;
			enum xe_prio pr = XE_PRIO_NONE;
			for (int k = XE_PRIO_LOW; k <= XE_PRIO_HIGH; k++)
				if (!strcmp(val, PRIO[k]))
					pr = (enum xe_prio)k;
			if (!dup && pr == XE_PRIO_NONE)
				return lib_error(ctx, EINVAL, "sched_priority=%s: must be low, normal or high", val);
			p->prio = dup ? p->prio : pr;
		} else if (!strcmp(key, "vram_quota")) {
			dup = p->has_vram;
			p->has_vram = true;
			if (!dup && xe_parse_size(val, &p->vram) < 0)
				return lib_error(ctx, EINVAL,
						 "vram_quota=%s: must be the VRAM of each VF, in bytes or with K, M, G or T (KiB..TiB), at most 1T (0: the kernel's fair share)", val);
		} else {
			return lib_error(ctx, EINVAL,
					 "unknown profile key \"%s\" (exec_quantum_ms, preempt_timeout_us, sched_priority, vram_quota)", key);
		}
		if (dup)
			return lib_error(ctx, EINVAL, "profile key \"%s\" given twice", key);
	}
	return 0;
}

/* the largest unit that divides v exactly, so that parsing the text gives v again */
static void format_size(unsigned long long v, char *out, size_t sz)
{
	static const char UNITS[] = "KMGT";
	int u = -1;
	while (v && u < 3 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(out, sz, "%llu", v);
	else
		snprintf(out, sz, "%llu%c", v, UNITS[u]);
}

char *xe_format_profile(const struct xe_profile *p)
{
	char buf[192];
	size_t len = 0;
	buf[0] = '\0';
	if (p->has_eq)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "exec_quantum_ms=%u,", p->eq);
	if (p->has_pt)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "preempt_timeout_us=%u,", p->pt);
	if (p->prio)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "sched_priority=%s,",
					PRIO[p->prio]);
	if (p->has_vram) {
		char size[32];
		format_size(p->vram, size, sizeof(size));
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "vram_quota=%s,", size);
	}
	if (len)
		buf[len - 1] = '\0';
	return strdup(buf);
}

/* ---- the PF */

static char *admin_rel(const char *gpu, const char *sub)
{
	return xasprintf("sys/bus/pci/drivers/xe/%s/sriov_admin%s%s", gpu, *sub ? "/" : "", sub);
}

static bool has_admin(struct mdev_ctx *ctx, const char *gpu)
{
	_cleanup_free_ char *rel = admin_rel(gpu, "");
	return rel && root_is_dir(ctx, rel);
}

/* Linux 7.0 shows vram_quota for the VFs of a discrete GPU only */
static bool has_vram_quota(struct mdev_ctx *ctx, const char *gpu)
{
	_cleanup_free_ char *rel = admin_rel(gpu, "vf1/profile/vram_quota");
	return rel && root_exists(ctx, rel);
}

unsigned long long xe_vram_total(struct mdev_ctx *ctx, const char *gpu)
{
	unsigned long long sum = 0;
	/* a GPU has one or two tiles; tile<N>/physical_vram_size_bytes is printed in hex
	 * ("0x400000000", as igt's xe_sysfs_tile reads it) */
	for (unsigned t = 0; t < 8; t++) {
		char rel[128];
		_cleanup_free_ char *text = NULL;
		snprintf(rel, sizeof(rel), PCI_DEVICES "/%s/tile%u/physical_vram_size_bytes", gpu, t);
		if (root_read_file(ctx, rel, &text) < 0)
			break;
		char *v = trim(text), *end;
		errno = 0;
		unsigned long long n = strtoull(v, &end, 0);
		if (*v < '0' || *v > '9' || *end || errno || n > XE_VRAM_MAX * 64)
			return 0;
		sum += n;
	}
	return sum;
}

/* Before anything is written: the files a profile needs are there, and count VFs' VRAM quotas
 * fit in the GPU's VRAM (the kernel would refuse them one VF late, with a bare EIO). */
static int xe_check_profile(struct mdev_ctx *ctx, const char *gpu, const struct xe_profile *p,
			    unsigned count)
{
	if (!has_admin(ctx, gpu))
		return lib_error(ctx, EOPNOTSUPP, "GPU %s: no sriov_admin: scheduling profiles need Linux 6.19 or later",
				 gpu);
	if (!p->has_vram)
		return 0;
	if (!has_vram_quota(ctx, gpu))
		return lib_error(ctx, EOPNOTSUPP, "GPU %s: the kernel has no vram_quota (sriov_admin/vf1/profile): VF VRAM is provisioned by Linux 7.0 and later, on discrete GPUs only (an integrated GPU's VFs use system memory)",
				 gpu);
	unsigned long long total = xe_vram_total(ctx, gpu);
	if (total && p->vram > total / count) {
		char each[32], all[32];
		format_size(p->vram, each, sizeof(each));
		format_size(total, all, sizeof(all));
		return lib_error(ctx, ENOSPC, "GPU %s: %u VFs with vram_quota=%s each need more than its %s of VRAM",
				 gpu, count, each, all);
	}
	return 0;
}

/* -ENOENT (no error set) when gpu is not an SR-IOV PF bound to xe */
static int xe_pf_load(struct mdev_ctx *ctx, const char *gpu, struct sriov_pf *pf)
{
	int r = sriov_pf_load(ctx, gpu, pf);
	if (r < 0)
		return r;
	if (!pf->driver || strcmp(pf->driver, "xe")) {
		sriov_pf_clear(pf);
		return -ENOENT;
	}
	return 0;
}

static const struct mdev_vgpu *find_def(const struct mdev_vgpu_list *defs, const char *gpu,
					unsigned vf)
{
	for (size_t i = 0; defs && i < defs->n; i++)
		if (defs->vgpus[i].vf == vf && defs->vgpus[i].framework == MDEV_VGPU_FW_XE_SRIOV &&
		    !strcmp(defs->vgpus[i].gpu, gpu))
			return &defs->vgpus[i];
	return NULL;
}

struct xe_list_ud {
	const struct mdev_vgpu_list *defs;
	struct mdev_vgpu_list *out;
};

static int list_pf(struct mdev_ctx *ctx, struct sriov_pf *pf, void *userdata)
{
	struct xe_list_ud *ud = userdata;
	for (unsigned i = 0; i < pf->total; i++) {
		if (!pf->vfs[i])
			continue;
		const struct mdev_vgpu *d = find_def(ud->defs, pf->addr, i + 1);
		struct mdev_vgpu v = { .framework = MDEV_VGPU_FW_XE_SRIOV, .vf = i + 1,
				       .active = true };
		v.id = strdup(pf->vfs[i]);
		v.gpu = strdup(pf->addr);
		v.type = strdup(MDEV_VGPU_XE_TYPE);
		if (d) {
			v.defined = true;
			v.autostart = d->autostart;
			v.profile = d->profile ? strdup(d->profile) : NULL;
		}
		if (!v.id || !v.gpu || !v.type || vgpu_list_push(ud->out, &v) < 0) {
			vgpu_clear(&v);
			return lib_error(ctx, ENOMEM, "out of memory");
		}
	}
	return 0;
}

int fw_xe_list(struct mdev_ctx *ctx, const char *gpu, const struct mdev_vgpu_list *defs,
	       struct mdev_vgpu_list *out)
{
	struct xe_list_ud ud = { defs, out };
	return sriov_for_each_pf(ctx, gpu, "xe", list_pf, &ud);
}

/* Each enabled VF's vram_quota (what the PF gave it: a quota set, or its share); 0 for a VF
 * whose file does not read as a number */
static int read_vram_quotas(struct mdev_ctx *ctx, const struct sriov_pf *pf,
			    unsigned long long **ret)
{
	unsigned long long *q = calloc(pf->num, sizeof(*q));
	if (!q)
		return -ENOMEM;
	for (unsigned vf = 1; vf <= pf->num; vf++) {
		char sub[48];
		snprintf(sub, sizeof(sub), "vf%u/profile/vram_quota", vf);
		_cleanup_free_ char *rel = admin_rel(pf->addr, sub), *text = NULL;
		if (!rel) {
			free(q);
			return -ENOMEM;
		}
		if (root_read_file(ctx, rel, &text) < 0)
			continue;
		char *v = trim(text), *end;
		unsigned long long n = strtoull(v, &end, 10);
		q[vf - 1] = *v >= '0' && *v <= '9' && !*end ? n : 0;
	}
	*ret = q;
	return 0;
}

static int types_pf(struct mdev_ctx *ctx, struct sriov_pf *pf, void *userdata)
{
	struct mdev_vgpu_gpu_list *out = userdata;
	struct mdev_vgpu_gpu o = { .framework = MDEV_VGPU_FW_XE_SRIOV, .total_vfs = pf->total,
				   .num_vfs = pf->num, .used_vfs = pf->num };
	bool admin = has_admin(ctx, pf->addr);
	o.gpu = strdup(pf->addr);
	o.driver = strdup("xe");
	_cleanup_free_ char *desc = xasprintf(
		"1 to %u VFs, enabled together; N VFs share the GPU fairly (1/N each) unless a profile says otherwise",
		pf->total);
	if (pf->num)
		o.note = xasprintf("%u VFs are enabled; Xe changes the count only from 0 (remove them first)%s",
				   pf->num, admin ? "" : "; no sriov_admin (Linux 6.19+): profiles cannot be set");
	else if (!admin)
		o.note = strdup("no sriov_admin (Linux 6.19+): profiles cannot be set");
	int r = o.gpu && o.driver && desc ? 0 : -ENOMEM;
	o.vram_bytes = xe_vram_total(ctx, pf->addr);
	o.vram_quota = has_vram_quota(ctx, pf->addr);
	if (r >= 0 && o.vram_quota && pf->num)
		r = read_vram_quotas(ctx, pf, &o.vf_vram_quota);
	if (r >= 0)
		r = vgpu_gpu_add_type(&o, MDEV_VGPU_XE_TYPE, 0, pf->num ? 0 : (int)pf->total, desc);
	if (r >= 0)
		r = gpu_list_push(out, &o);
	vgpu_gpu_clear(&o);
	return r < 0 ? lib_error(ctx, ENOMEM, "out of memory") : 0;
}

int fw_xe_types(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_gpu_list *out)
{
	return sriov_for_each_pf(ctx, gpu, "xe", types_pf, out);
}

/* ---- profiles: written to each VF, the old values kept to undo */

struct saved_attr {
	char *rel;
	char *old;
};

struct undo {
	struct saved_attr *v;
	size_t n;
};

static void undo_run(struct mdev_ctx *ctx, struct undo *u)
{
	for (size_t i = u->n; i-- > 0;) {
		if (u->v[i].old)
			root_write_file(ctx, u->v[i].rel, u->v[i].old, strlen(u->v[i].old));
	}
}

static void undo_clear(struct undo *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->v[i].rel);
		free(u->v[i].old);
	}
	free(u->v);
	memset(u, 0, sizeof(*u));
}

static int write_attr(struct mdev_ctx *ctx, const char *gpu, unsigned vf, const char *attr,
		      const char *val, struct undo *u)
{
	char sub[64];
	snprintf(sub, sizeof(sub), "vf%u/profile/%s", vf, attr);
	char *rel = admin_rel(gpu, sub), *old = NULL;
	if (!rel)
		return lib_error(ctx, ENOMEM, "out of memory");
	ssize_t n = root_read_file(ctx, rel, &old);
	if (n >= 0) {
		trim(old);
		if (!strcmp(attr, "sched_priority")) {
			const char *name = xe_prio_name(xe_parse_priority(old));
			free(old);
			old = name ? strdup(name) : NULL;
		}
	}
	int r = root_write_file(ctx, rel, val, strlen(val));
	if (r < 0) {
		free(rel);
		free(old);
		return lib_error(ctx, -r, "GPU %s: the kernel refused %s=%s for VF %u: %s%s", gpu, attr,
				 val, vf, strerror(-r),
				 r == -EPERM ? " (not applicable on this GPU or firmware)" :
				 r == -EIO ? " (the firmware refused it)" :
				 r == -EACCES ? " (read-only: this GPU or driver cannot change it)" : "");
	}
	struct saved_attr *nv = realloc(u->v, (u->n + 1) * sizeof(*nv));
	if (!nv) {
		free(rel);
		free(old);
		return lib_error(ctx, ENOMEM, "out of memory");
	}
	u->v = nv;
	u->v[u->n].rel = rel;
	u->v[u->n].old = old;
	u->n++;
	return 0;
}

static int apply_profile(struct mdev_ctx *ctx, const char *gpu, unsigned vf,
			 const struct xe_profile *p, struct undo *u)
{
	char val[16];
	int r = 0;
	if (p->has_eq) {
		snprintf(val, sizeof(val), "%u", p->eq);
		r = write_attr(ctx, gpu, vf, "exec_quantum_ms", val, u);
	}
	if (r >= 0 && p->has_pt) {
		snprintf(val, sizeof(val), "%u", p->pt);
		r = write_attr(ctx, gpu, vf, "preempt_timeout_us", val, u);
	}
	if (r >= 0 && p->prio)
		r = write_attr(ctx, gpu, vf, "sched_priority", PRIO[p->prio], u);
	if (r >= 0 && p->has_vram) {
		char bytes[24];
		snprintf(bytes, sizeof(bytes), "%llu", p->vram);
		r = write_attr(ctx, gpu, vf, "vram_quota", bytes, u);
	}
	return r;
}

int fw_xe_create(struct mdev_ctx *ctx, const struct mdev_vgpu_create_req *req,
		 struct mdev_vgpu_list *created)
{
	unsigned count = req->count ? req->count : 1;
	if (strcmp(req->type, MDEV_VGPU_XE_TYPE))
		return lib_error(ctx, EINVAL, "GPU %s: no type %s on an Xe GPU; its type is " MDEV_VGPU_XE_TYPE " (--count sets how many VFs share it)",
				 req->gpu, req->type);
	struct xe_profile prof = { 0 };
	_cleanup_free_ char *prof_text = NULL;
	int r = 0;
	if (req->profile) {
		r = xe_parse_profile(ctx, req->profile, &prof);
		if (r < 0)
			return lib_error_wrap(ctx, -r, "GPU %s: bad --profile", req->gpu);
		prof_text = xe_format_profile(&prof);
		if (!prof_text)
			return lib_error(ctx, ENOMEM, "out of memory");
	}
	struct sriov_pf pf;
	r = xe_pf_load(ctx, req->gpu, &pf);
	if (r < 0)
		return r == -ENOENT ? lib_error(ctx, ENODEV, "GPU %s is not bound to xe", req->gpu) : r;
	struct undo u = { 0 };
	bool enabled = false;
	if (count > pf.total) {
		r = lib_error(ctx, EINVAL, "GPU %s: cannot create %u of type " MDEV_VGPU_XE_TYPE ": sriov_totalvfs is %u",
			      req->gpu, count, pf.total);
	} else if (pf.num) {
		r = lib_error(ctx, EBUSY, "GPU %s: cannot create %u of type " MDEV_VGPU_XE_TYPE ": %u VFs are enabled, and Xe changes the count only from 0 (remove them first); creatable now: none",
			      req->gpu, count, pf.num);
	} else if (req->profile) {
		r = xe_check_profile(ctx, req->gpu, &prof, count);
	}
	/* profiles first, so that VFs start with them */
	for (unsigned vf = 1; vf <= count && r >= 0 && req->profile; vf++)
		r = apply_profile(ctx, req->gpu, vf, &prof, &u);
	if (r >= 0)
		r = sriov_set_numvfs(ctx, req->gpu, count);
	if (r >= 0) {
		enabled = true;
		sriov_pf_clear(&pf);
		r = xe_pf_load(ctx, req->gpu, &pf);
		if (r == -ENOENT)
			r = lib_error(ctx, ENODEV, "GPU %s: left xe while enabling VFs", req->gpu);
	}
	for (unsigned vf = 1; vf <= count && r >= 0; vf++) {
		struct mdev_vgpu v = { .framework = MDEV_VGPU_FW_XE_SRIOV, .vf = vf, .active = true,
				       .defined = req->define || req->autostart,
				       .autostart = req->autostart };
		v.id = pf.vfs[vf - 1] ? strdup(pf.vfs[vf - 1]) : vf_slot_id(req->gpu, vf);
		v.gpu = strdup(req->gpu);
		v.type = strdup(MDEV_VGPU_XE_TYPE);
		v.profile = prof_text ? strdup(prof_text) : NULL;
		if (!v.id || !v.gpu || !v.type || (prof_text && !v.profile) ||
		    vgpu_list_push(created, &v) < 0) {
			vgpu_clear(&v);
			r = lib_error(ctx, ENOMEM, "out of memory");
		}
	}
	size_t written = 0;
	for (; written < created->n && r >= 0 && (req->define || req->autostart); written++)
		r = vgpu_def_write(ctx, &created->vgpus[written]);
	if (r < 0) {
		struct saved_error saved = lib_error_save(ctx);
		for (size_t k = 0; k < written; k++)
			vgpu_def_remove(ctx, req->gpu, created->vgpus[k].vf);
		if (enabled)
			sriov_set_numvfs(ctx, req->gpu, 0);
		undo_run(ctx, &u);
		lib_error_restore(ctx, &saved);
	}
	undo_clear(&u);
	sriov_pf_clear(&pf);
	return r;
}

int fw_xe_disable(struct mdev_ctx *ctx, const char *gpu)
{
	return sriov_set_numvfs(ctx, gpu, 0);
}

int fw_xe_start(struct mdev_ctx *ctx, const char *gpu, const struct mdev_vgpu_list *defs)
{
	unsigned want = 0;
	for (size_t i = 0; i < defs->n; i++)
		if (defs->vgpus[i].autostart && defs->vgpus[i].vf > want)
			want = defs->vgpus[i].vf;
	if (!want)
		return 0;
	struct sriov_pf pf;
	int r = xe_pf_load(ctx, gpu, &pf);
	if (r < 0)
		return r == -ENOENT ? lib_error(ctx, ENODEV, "GPU %s is not bound to xe", gpu) : r;
	unsigned num = pf.num, total = pf.total;
	sriov_pf_clear(&pf);
	if (num == want)
		return 0;
	if (num)
		return lib_error(ctx, EBUSY, "GPU %s: %u VFs are enabled, the definitions want %u", gpu,
				 num, want);
	if (want > total)
		return lib_error(ctx, EINVAL, "GPU %s: the definitions want %u VFs, sriov_totalvfs is %u",
				 gpu, want, total);
	struct undo u = { 0 };
	for (size_t i = 0; i < defs->n && r >= 0; i++) {
		const struct mdev_vgpu *d = &defs->vgpus[i];
		struct xe_profile p;
		if (!d->profile || d->vf > want)
			continue;
		r = xe_parse_profile(ctx, d->profile, &p);
		if (r >= 0)
			r = xe_check_profile(ctx, gpu, &p, want);
		if (r >= 0)
			r = apply_profile(ctx, gpu, d->vf, &p, &u);
	}
	if (r >= 0)
		r = sriov_set_numvfs(ctx, gpu, want);
	if (r < 0) {
		struct saved_error saved = lib_error_save(ctx);
		undo_run(ctx, &u);
		lib_error_restore(ctx, &saved);
	}
	undo_clear(&u);
	return r;
}
