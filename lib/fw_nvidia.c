/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* NVIDIA's vendor-specific VFIO framework (vGPU 17+, Ada and later, Linux 6.8+): the GPU is an
 * SR-IOV PF bound to nvidia; each VF has nvidia/creatable_vgpu_types ("<id> : <name>" lines,
 * what can be created on that VF now) and nvidia/current_vgpu_type (0 = none; writing a
 * creatable id creates the vGPU, 0 removes it). Sources in docs/sriov.md.
 *
 * The driver lists only what is creatable now, so the names of types in use and the GPU's full
 * list are learned while the GPU is empty and kept in etc/vgpu.d/<PF>/nvidia-types (the same
 * format). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "vgpu.h"

#define NV_NAME_MAX 128
#define NV_TYPES_MAX 512

void nv_types_clear(struct nv_types *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

const struct nv_type *nv_types_find_id(const struct nv_types *t, unsigned id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].id == id)
			return &t->v[i];
	return NULL;
}

const struct nv_type *nv_types_find(const struct nv_types *t, const char *name_or_id)
{
	char *end;
	unsigned long id = strtoul(name_or_id, &end, 10);
	if (*name_or_id >= '0' && *name_or_id <= '9' && !*end && id <= 65535)
		return nv_types_find_id(t, (unsigned)id);
	for (size_t i = 0; i < t->n; i++) {
		const char *n = t->v[i].name;
		/* NVIDIA's own configs name types without the "NVIDIA " prefix */
		if (!strcmp(n, name_or_id) || !strcmp(nv_short_name(n), name_or_id))
			return &t->v[i];
	}
	return NULL;
}

static int nv_types_add(struct nv_types *t, unsigned id, const char *name)
{
	if (nv_types_find_id(t, id))
		return 0;
	if (t->n >= NV_TYPES_MAX)
		return -E2BIG;
	struct nv_type *n = realloc(t->v, (t->n + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	t->v = n;
	t->v[t->n].id = id;
	t->v[t->n].name = strdup(name);
	if (!t->v[t->n].name)
		return -ENOMEM;
	t->n++;
	return 0;
}

int nv_parse_types(struct mdev_ctx *ctx, const char *text, struct nv_types *ret)
{
	memset(ret, 0, sizeof(*ret));
	_cleanup_free_ char *copy = strdup(text);
	if (!copy)
		return ctx ? lib_error(ctx, ENOMEM, "out of memory") : -ENOMEM;
	/* As lenient as NVIDIA's own reader (vgpu-device-manager pkg/vgpu/vfio): the header line
	 * some drivers print ("ID    : vGPU Name"), any line not starting with a number, and an id
	 * without a name are skipped; the colon may be missing ("1414 NVIDIA H200X-1-18C"). */
	for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *l = trim(line), *end;
		if (*l < '0' || *l > '9')
			continue;
		errno = 0;
		unsigned long v = strtoul(l, &end, 10);
		if (errno || v == 0 || v > 65535 || (*end && *end != ' ' && *end != '\t' && *end != ':'))
			continue;
		end += strspn(end, " \t");
		if (*end == ':')
			end++;
		char *name = trim(end);
		if (!*name || strlen(name) > NV_NAME_MAX)
			continue;
		int r = nv_types_add(ret, (unsigned)v, name);
		if (r < 0) {
			nv_types_clear(ret);
			return ctx ? lib_error(ctx, -r, "%s", strerror(-r)) : r;
		}
	}
	return 0;
}

/* The name without the vendor's prefix, as NVIDIA's configs write it ("L40S-4Q") */
const char *nv_short_name(const char *name)
{
	if (!strncmp(name, "NVIDIA ", 7))
		return name + 7;
	if (!strncmp(name, "GRID ", 5))
		return name + 5;
	return name;
}

unsigned nv_type_fb_gb(const char *name)
{
	const char *dash = name ? strrchr(name, '-') : NULL;
	if (!dash || dash[1] < '0' || dash[1] > '9')
		return 0;
	char *end;
	unsigned long gb = strtoul(dash + 1, &end, 10);
	/* a profile letter follows: Q, B, A, C (and MIG suffixes after it) */
	if (*end < 'A' || *end > 'Z' || gb > 1024)
		return 0;
	return (unsigned)gb;
}

/* ---- one PF and its VFs */

struct nv_vf {
	unsigned current;         /* current_vgpu_type */
	struct nv_types creatable; /* creatable_vgpu_types */
	bool ok;                  /* the VF exists and has the nvidia files */
};

struct nv_gpu {
	struct sriov_pf pf;
	struct nv_vf *vfs; /* [pf.total] */
	struct nv_types known; /* the learned list, then what the VFs list now */
	bool cached;           /* known came from etc/vgpu.d first */
	unsigned used;         /* VFs holding a vGPU */
	unsigned free_vfs;     /* VFs without one */
};

static void nv_gpu_clear(struct nv_gpu *g)
{
	for (unsigned i = 0; g->vfs && i < g->pf.total; i++)
		nv_types_clear(&g->vfs[i].creatable);
	free(g->vfs);
	nv_types_clear(&g->known);
	sriov_pf_clear(&g->pf);
	memset(g, 0, sizeof(*g));
}

static int nv_read_vf_file(struct mdev_ctx *ctx, const char *vf, const char *file, char **text)
{
	_cleanup_free_ char *rel = xasprintf(PCI_DEVICES "/%s/nvidia/%s", vf, file);
	if (!rel)
		return -ENOMEM;
	ssize_t n = root_read_file(ctx, rel, text);
	return n < 0 ? (int)n : 0;
}

/* The VFs' nvidia/ files and the learned type list of the PF in g->pf (loaded, bound to
 * nvidia); on an error g is cleared. */
static int nv_gpu_fill(struct mdev_ctx *ctx, struct nv_gpu *g)
{
	const char *gpu = g->pf.addr;
	int r;
	g->vfs = calloc(g->pf.total ? g->pf.total : 1, sizeof(*g->vfs));
	if (!g->vfs) {
		nv_gpu_clear(g);
		return lib_error(ctx, ENOMEM, "out of memory");
	}
	_cleanup_free_ char *cache_rel = xasprintf(VGPU_DIR "/%s/nvidia-types", gpu), *cache = NULL;
	if (cache_rel && root_read_file(ctx, cache_rel, &cache) >= 0 &&
	    nv_parse_types(NULL, cache, &g->known) == 0)
		g->cached = g->known.n > 0;
	for (unsigned i = 0; i < g->pf.total; i++) {
		const char *vf = g->pf.vfs[i];
		_cleanup_free_ char *cur = NULL, *types = NULL;
		if (!vf || nv_read_vf_file(ctx, vf, "current_vgpu_type", &cur) < 0)
			continue;
		char *c = trim(cur), *end;
		unsigned long id = strtoul(c, &end, 10);
		if (*c < '0' || *c > '9' || *end || id > 65535) {
			/* the message first: gpu and vf point into g */
			r = lib_error(ctx, EINVAL, "GPU %s: VF %s: current_vgpu_type is not a number",
				      gpu, vf);
			nv_gpu_clear(g);
			return r;
		}
		g->vfs[i].current = (unsigned)id;
		r = nv_read_vf_file(ctx, vf, "creatable_vgpu_types", &types);
		if (r == 0)
			r = nv_parse_types(ctx, types, &g->vfs[i].creatable);
		else
			r = lib_error(ctx, -r, "%s", strerror(-r));
		if (r < 0) {
			r = lib_error_wrap(ctx, -r, "GPU %s: VF %s: cannot read creatable_vgpu_types",
					   gpu, vf);
			nv_gpu_clear(g);
			return r;
		}
		g->vfs[i].ok = true;
		if (id)
			g->used++;
		else
			g->free_vfs++;
		for (size_t k = 0; k < g->vfs[i].creatable.n; k++)
			if (nv_types_add(&g->known, g->vfs[i].creatable.v[k].id,
					 g->vfs[i].creatable.v[k].name) == -ENOMEM) {
				nv_gpu_clear(g);
				return lib_error(ctx, ENOMEM, "out of memory");
			}
	}
	return 0;
}

/* -ENOENT (no error set) when gpu is not an SR-IOV PF bound to nvidia */
static int nv_gpu_load(struct mdev_ctx *ctx, const char *gpu, struct nv_gpu *g)
{
	memset(g, 0, sizeof(*g));
	int r = sriov_pf_load(ctx, gpu, &g->pf);
	if (r < 0)
		return r;
	if (!g->pf.driver || strcmp(g->pf.driver, "nvidia")) {
		sriov_pf_clear(&g->pf);
		return -ENOENT;
	}
	return nv_gpu_fill(ctx, g);
}

/* sriov_for_each_pf hands a loaded PF: g takes it over */
static int nv_gpu_take(struct mdev_ctx *ctx, struct sriov_pf *pf, struct nv_gpu *g)
{
	memset(g, 0, sizeof(*g));
	g->pf = *pf;
	memset(pf, 0, sizeof(*pf));
	return nv_gpu_fill(ctx, g);
}

static const char *nv_name(const struct nv_gpu *g, unsigned id)
{
	const struct nv_type *t = nv_types_find_id(&g->known, id);
	return t ? t->name : NULL;
}

/* The GPU's framebuffer as the largest type of the learned list says (GB), 0 if unknown */
static unsigned nv_total_fb(const struct nv_gpu *g)
{
	/* while no VF holds a vGPU, the VFs list every type, the largest being the whole GPU */
	if (!g->cached && (g->used || g->pf.num == 0))
		return 0;
	unsigned max = 0;
	for (size_t i = 0; i < g->known.n; i++) {
		unsigned fb = nv_type_fb_gb(g->known.v[i].name);
		max = fb > max ? fb : max;
	}
	return max;
}

/* The framebuffer in use (GB), and one running type's name for messages */
static unsigned nv_used_fb(const struct nv_gpu *g, unsigned *size, const char **example)
{
	unsigned sum = 0;
	*size = 0;
	*example = NULL;
	for (unsigned i = 0; i < g->pf.total; i++) {
		if (!g->vfs[i].ok || !g->vfs[i].current)
			continue;
		const char *n = nv_name(g, g->vfs[i].current);
		unsigned fb = nv_type_fb_gb(n);
		sum += fb;
		if (fb && !*size) {
			*size = fb;
			*example = n;
		}
	}
	return sum;
}

/* How many more of type id fit now: free VFs that list it, bounded by the framebuffer left when
 * the GPU's size is known. */
static int nv_available(const struct nv_gpu *g, const struct nv_type *t)
{
	int on_vfs = 0;
	for (unsigned i = 0; i < g->pf.total; i++)
		if (g->vfs[i].ok && !g->vfs[i].current && nv_types_find_id(&g->vfs[i].creatable, t->id))
			on_vfs++;
	unsigned total = nv_total_fb(g), size, fb = nv_type_fb_gb(t->name);
	const char *ex;
	unsigned used = nv_used_fb(g, &size, &ex);
	/* time-sliced vGPUs of one GPU share one framebuffer size (NVIDIA's user guide) */
	if (size && fb && fb != size)
		return 0;
	if (total && fb && used <= total) {
		int cap = (int)((total - used) / fb);
		if (g->pf.num == 0) /* VFs not enabled yet: all of them will be */
			on_vfs = (int)g->pf.total;
		return on_vfs < cap ? on_vfs : cap;
	}
	return on_vfs;
}

/* ---- list */

static const struct mdev_vgpu *find_def(const struct mdev_vgpu_list *defs, const char *gpu,
					unsigned vf, enum mdev_vgpu_framework fw)
{
	for (size_t i = 0; defs && i < defs->n; i++)
		if (defs->vgpus[i].vf == vf && defs->vgpus[i].framework == fw &&
		    !strcmp(defs->vgpus[i].gpu, gpu))
			return &defs->vgpus[i];
	return NULL;
}

struct nv_list_ud {
	const struct mdev_vgpu_list *defs;
	struct mdev_vgpu_list *out;
};

static int list_pf(struct mdev_ctx *ctx, struct sriov_pf *pf, void *userdata)
{
	struct nv_list_ud *ud = userdata;
	struct nv_gpu g;
	int r = nv_gpu_take(ctx, pf, &g);
	for (unsigned i = 0; i < g.pf.total && r >= 0; i++) {
		if (!g.vfs[i].ok || !g.vfs[i].current)
			continue;
		const struct mdev_vgpu *d = find_def(ud->defs, g.pf.addr, i + 1,
						     MDEV_VGPU_FW_NVIDIA_VFIO);
		const char *name = nv_name(&g, g.vfs[i].current);
		if (!name && d && d->type_id == g.vfs[i].current)
			name = d->type;
		struct mdev_vgpu v = { .framework = MDEV_VGPU_FW_NVIDIA_VFIO, .vf = i + 1,
				       .type_id = g.vfs[i].current, .active = true };
		v.id = strdup(g.pf.vfs[i]);
		v.gpu = strdup(g.pf.addr);
		v.type = name ? strdup(name) : NULL;
		if (d) {
			v.defined = true;
			v.autostart = d->autostart;
		}
		if (!v.id || !v.gpu || (name && !v.type) || vgpu_list_push(ud->out, &v) < 0) {
			vgpu_clear(&v);
			r = lib_error(ctx, ENOMEM, "out of memory");
		}
	}
	nv_gpu_clear(&g);
	return r;
}

int fw_nvidia_list(struct mdev_ctx *ctx, const char *gpu, const struct mdev_vgpu_list *defs,
		   struct mdev_vgpu_list *out)
{
	struct nv_list_ud ud = { defs, out };
	return sriov_for_each_pf(ctx, gpu, "nvidia", list_pf, &ud);
}

/* ---- types */

static int nv_note(const struct nv_gpu *g, char **note)
{
	*note = NULL;
	if (g->pf.num == 0)
		*note = xasprintf("VFs are not enabled; create enables all %u%s", g->pf.total,
				  g->cached ? "" : " (the types are known after that)");
	else if (g->free_vfs == 0)
		*note = xasprintf("all %u VFs hold a vGPU", g->pf.num);
	else if (g->used) {
		unsigned size;
		const char *ex;
		nv_used_fb(g, &size, &ex);
		if (size)
			*note = xasprintf("framebuffer size chosen: %u GB (%s runs; time-sliced vGPUs of one GPU share one size)",
					  size, ex);
	}
	return 0;
}

struct types_arg {
	struct mdev_vgpu_gpu_list *out;
	bool all; /* also the known types that do not fit now */
};

static int types_pf(struct mdev_ctx *ctx, struct sriov_pf *pf, void *userdata)
{
	const struct types_arg *arg = userdata;
	struct mdev_vgpu_gpu_list *out = arg->out;
	struct nv_gpu g;
	int r = nv_gpu_take(ctx, pf, &g);
	if (r < 0)
		return r;
	struct mdev_vgpu_gpu o = { .framework = MDEV_VGPU_FW_NVIDIA_VFIO, .total_vfs = g.pf.total,
				   .num_vfs = g.pf.num, .used_vfs = g.used };
	const char *ex;
	o.fb_total_gb = nv_total_fb(&g);
	nv_used_fb(&g, &o.fb_locked_gb, &ex);
	o.gpu = strdup(g.pf.addr);
	o.driver = strdup("nvidia");
	r = o.gpu && o.driver ? nv_note(&g, &o.note) : -ENOMEM;
	/* creatable now: what the free VFs list (or, before VFs exist, the learned list);
	 * all: every type known */
	for (size_t k = 0; k < g.known.n && r >= 0; k++) {
		const struct nv_type *t = &g.known.v[k];
		int avail = nv_available(&g, t);
		if (g.pf.num > 0 && avail == 0 && !arg->all)
			continue;
		r = vgpu_gpu_add_type(&o, t->name, t->id, avail, NULL);
		if (r >= 0)
			o.types[o.n_types - 1].fb_gb = nv_type_fb_gb(t->name);
	}
	if (r >= 0)
		r = gpu_list_push(out, &o);
	vgpu_gpu_clear(&o);
	nv_gpu_clear(&g);
	return r < 0 ? lib_error(ctx, ENOMEM, "out of memory") : 0;
}

int fw_nvidia_types(struct mdev_ctx *ctx, const char *gpu, bool all, struct mdev_vgpu_gpu_list *out)
{
	struct types_arg arg = { out, all };
	return sriov_for_each_pf(ctx, gpu, "nvidia", types_pf, &arg);
}

/* ---- create */

/* "A (id 1, 3 more), B (id 2, 1 more)" or "none" */
static char *nv_creatable_text(const struct nv_gpu *g)
{
	char *s = NULL;
	for (size_t k = 0; k < g->known.n; k++) {
		const struct nv_type *t = &g->known.v[k];
		int avail = nv_available(g, t);
		if (avail <= 0)
			continue;
		char *n = xasprintf("%s%s%s (id %u, %d more)", s ? s : "", s ? ", " : "", t->name,
				    t->id, avail);
		free(s);
		if (!n)
			return NULL;
		s = n;
	}
	return s ? s : strdup("none");
}

static int nv_not_creatable(struct mdev_ctx *ctx, const struct nv_gpu *g, const char *type,
			    const struct nv_type *t, unsigned want, int avail)
{
	_cleanup_free_ char *list = nv_creatable_text(g), *why = NULL;
	unsigned size;
	const char *ex;
	nv_used_fb(g, &size, &ex);
	if (g->free_vfs == 0)
		why = xasprintf("all %u VFs hold a vGPU", g->pf.num);
	else if (!t)
		why = xasprintf("it is not a type of this GPU%s", g->cached || !g->used ? "" :
				" (or not known while vGPUs of another size run)");
	else if (size && nv_type_fb_gb(t->name) && nv_type_fb_gb(t->name) != size)
		why = xasprintf("the framebuffer size is already chosen: %s runs with %u GB, and time-sliced vGPUs of one GPU share one size",
				ex, size);
	else if (avail > 0)
		why = xasprintf("only %d more fit", avail);
	else
		why = strdup("the GPU's framebuffer is used up");
	return lib_error(ctx, ENOSPC, "GPU %s: cannot create %u of type %s: %s; creatable now: %s",
			 g->pf.addr, want, type, why ? why : "?", list ? list : "?");
}

static int nv_write_current(struct mdev_ctx *ctx, const char *vf, unsigned id)
{
	_cleanup_free_ char *rel = xasprintf(PCI_DEVICES "/%s/nvidia/current_vgpu_type", vf);
	char val[16];
	int len = snprintf(val, sizeof(val), "%u", id);
	if (!rel)
		return -ENOMEM;
	return root_write_file(ctx, rel, val, (size_t)len);
}

/* the learned type list, written while the GPU is empty (its lists are complete then) */
static void nv_learn(struct mdev_ctx *ctx, const struct nv_gpu *g)
{
	if (g->used || g->pf.num == 0 || !g->known.n)
		return;
	size_t cap = 64 * g->known.n + 1, len = 0;
	_cleanup_free_ char *text = malloc(cap);
	_cleanup_free_ char *dir = xasprintf(VGPU_DIR "/%s", g->pf.addr);
	if (!text || !dir)
		return;
	for (size_t k = 0; k < g->known.n; k++)
		len += (size_t)snprintf(text + len, cap - len, "%u : %s\n", g->known.v[k].id,
					g->known.v[k].name);
	_cleanup_free_ char *old = NULL, *rel = xasprintf("%s/nvidia-types", dir);
	if (rel && root_read_file(ctx, rel, &old) >= 0 && !strcmp(old, text))
		return;
	if (root_mkdir_p(ctx, dir, 0755) < 0 ||
	    root_write_atomic(ctx, NULL, dir, "nvidia-types", text, len) < 0)
		log_warn(ctx, "GPU %s: cannot keep its type names in %s/nvidia-types", g->pf.addr, dir);
}

int fw_nvidia_create(struct mdev_ctx *ctx, const struct mdev_vgpu_create_req *req,
		     struct mdev_vgpu_list *created)
{
	unsigned count = req->count ? req->count : 1;
	_cleanup_free_ char *name = NULL;
	struct nv_gpu g;
	int r = nv_gpu_load(ctx, req->gpu, &g);
	if (r < 0)
		return r == -ENOENT ? lib_error(ctx, ENODEV, "GPU %s is not bound to nvidia", req->gpu) : r;
	bool enabled = false;
	if (g.pf.num == 0) {
		if (count > g.pf.total) {
			r = lib_error(ctx, EINVAL, "GPU %s: %u vGPUs asked, it has %u VFs (sriov_totalvfs)",
				      req->gpu, count, g.pf.total);
			goto out;
		}
		/* what NVIDIA's sriov-manage -e does: all VFs at once */
		r = sriov_set_numvfs(ctx, req->gpu, g.pf.total);
		if (r < 0)
			goto out;
		enabled = true;
		nv_gpu_clear(&g);
		r = nv_gpu_load(ctx, req->gpu, &g);
		if (r < 0) {
			if (r == -ENOENT)
				r = lib_error(ctx, ENODEV, "GPU %s: left nvidia while enabling VFs", req->gpu);
			goto out;
		}
	}
	const struct nv_type *t = nv_types_find(&g.known, req->type);
	int avail = t ? nv_available(&g, t) : 0;
	if (!t || avail < (int)count) {
		r = nv_not_creatable(ctx, &g, req->type, t, count, avail);
		goto out;
	}
	unsigned id = t->id;
	name = strdup(t->name);
	if (!name) {
		r = lib_error(ctx, ENOMEM, "out of memory");
		goto out;
	}
	unsigned done = 0;
	for (unsigned i = 0; i < g.pf.total && done < count && r >= 0; i++) {
		if (!g.vfs[i].ok || g.vfs[i].current || !nv_types_find_id(&g.vfs[i].creatable, id))
			continue;
		r = nv_write_current(ctx, g.pf.vfs[i], id);
		if (r < 0) {
			r = lib_error(ctx, -r, "GPU %s: the kernel refused type %s (id %u) on VF %s: %s",
				      req->gpu, name, id, g.pf.vfs[i], strerror(-r));
			break;
		}
		struct mdev_vgpu v = { .framework = MDEV_VGPU_FW_NVIDIA_VFIO, .vf = i + 1,
				       .type_id = id, .active = true,
				       .defined = req->define || req->autostart,
				       .autostart = req->autostart };
		v.id = strdup(g.pf.vfs[i]);
		v.gpu = strdup(req->gpu);
		v.type = strdup(name);
		if (!v.id || !v.gpu || !v.type || vgpu_list_push(created, &v) < 0) {
			vgpu_clear(&v);
			nv_write_current(ctx, g.pf.vfs[i], 0);
			r = lib_error(ctx, ENOMEM, "out of memory");
			break;
		}
		done++;
	}
	for (size_t k = 0; k < created->n && r >= 0 && (req->define || req->autostart); k++)
		r = vgpu_def_write(ctx, &created->vgpus[k]);
	if (r >= 0) {
		nv_learn(ctx, &g);
		goto out;
	}
	/* all or nothing */
	struct saved_error saved = lib_error_save(ctx);
	for (size_t k = 0; k < created->n; k++) {
		if (req->define || req->autostart)
			vgpu_def_remove(ctx, req->gpu, created->vgpus[k].vf);
		nv_write_current(ctx, created->vgpus[k].id, 0);
	}
	lib_error_restore(ctx, &saved);
out:
	if (r < 0 && enabled) {
		struct saved_error saved = lib_error_save(ctx);
		sriov_set_numvfs(ctx, req->gpu, 0);
		lib_error_restore(ctx, &saved);
	}
	nv_gpu_clear(&g);
	return r;
}

int fw_nvidia_remove(struct mdev_ctx *ctx, const struct mdev_vgpu *v)
{
	if (v->active) {
		int r = nv_write_current(ctx, v->id, 0);
		if (r < 0)
			return lib_error(ctx, -r, "GPU %s: cannot remove the vGPU on VF %s: %s%s", v->gpu,
					 v->id, strerror(-r), r == -EBUSY ? " (a guest uses it)" : "");
	}
	return v->defined ? vgpu_def_remove(ctx, v->gpu, v->vf) : 0;
}

int fw_nvidia_start(struct mdev_ctx *ctx, const char *gpu, const struct mdev_vgpu_list *defs)
{
	bool any = false;
	for (size_t i = 0; i < defs->n; i++)
		any = any || defs->vgpus[i].autostart;
	if (!any)
		return 0;
	struct nv_gpu g;
	int r = nv_gpu_load(ctx, gpu, &g);
	if (r == 0 && g.pf.num == 0) {
		r = sriov_set_numvfs(ctx, gpu, g.pf.total);
		nv_gpu_clear(&g);
		if (r >= 0)
			r = nv_gpu_load(ctx, gpu, &g);
	}
	if (r < 0)
		return r == -ENOENT ? lib_error(ctx, ENODEV, "GPU %s is not bound to nvidia", gpu) : r;
	int first = 0;
	for (size_t i = 0; i < defs->n; i++) {
		const struct mdev_vgpu *d = &defs->vgpus[i];
		if (!d->autostart)
			continue;
		unsigned k = d->vf - 1;
		if (k >= g.pf.total || !g.vfs[k].ok) {
			r = lib_error(ctx, ENODEV, "GPU %s: VF %u does not exist", gpu, d->vf);
		} else if (g.vfs[k].current == d->type_id) {
			continue;
		} else if (g.vfs[k].current) {
			r = lib_error(ctx, EBUSY, "GPU %s: VF %s holds type id %u, not %s (id %u)", gpu,
				      g.pf.vfs[k], g.vfs[k].current, d->type, d->type_id);
		} else {
			r = nv_write_current(ctx, g.pf.vfs[k], d->type_id);
			if (r < 0)
				r = lib_error(ctx, -r, "GPU %s: the kernel refused type %s (id %u) on VF %s: %s",
					      gpu, d->type, d->type_id, g.pf.vfs[k], strerror(-r));
		}
		if (r < 0) {
			log_warn(ctx, "%s", mdev_ctx_error_message(ctx));
			first = first ? first : r;
		}
	}
	nv_gpu_clear(&g);
	return first ? lib_error(ctx, -first, "GPU %s: some definitions did not start", gpu) : 0;
}
