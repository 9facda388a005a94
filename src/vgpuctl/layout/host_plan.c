/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A layout config against this host: GPU indices, type names and counts resolved and checked
 * against the capacity model (vgpuctl plan's), then the fewest changes per GPU. Everything is
 * checked here, before apply writes anything. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "host_plan.h"
#include "../plan/gvtg_model.h"

const char *layout_file_name(const struct layout_file *f)
{
	return !f->path || !strcmp(f->path, "-") ? "<stdin>" : f->path;
}

void plan_gpu_name(const struct plan_gpu *g, char *buf, size_t sz)
{
	snprintf(buf, sz, "GPU %u (%s, %s)", g->index, g->g->gpu,
		 mdev_vgpu_framework_name(g->g->framework));
}

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* NVIDIA's configs write type names without the vendor's prefix */
static const char *short_name(const char *name)
{
	if (!strncmp(name, "NVIDIA ", 7))
		return name + 7;
	if (!strncmp(name, "GRID ", 5))
		return name + 5;
	return name;
}

/* The framebuffer (GB) NVIDIA's type name states: "L40S-4Q" 4, "H100-1-10C" 10; 0 unknown */
static unsigned name_fb_gb(const char *name)
{
	const char *dash = strrchr(name, '-');
	if (!dash || dash[1] < '0' || dash[1] > '9')
		return 0;
	char *end;
	unsigned long gb = strtoul(dash + 1, &end, 10);
	return *end >= 'A' && *end <= 'Z' && gb <= 1024 ? (unsigned)gb : 0;
}

/* ---- which entry covers which GPU */

static unsigned read_hex_id(struct mdev_ctx *ctx, const char *gpu, const char *file)
{
	char rel[256], buf[32];
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/%s", gpu, file);
	int fd = openat(mdev_ctx_get_root_fd(ctx), rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0x10000; /* matches no filter */
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0x10000;
	buf[n] = '\0';
	char *end;
	unsigned long v = strtoul(buf, &end, 16);
	return end != buf && v <= 0xffff ? (unsigned)v : 0x10000;
}

static bool filter_matches(struct mdev_ctx *ctx, const struct layout_entry *e, const char *gpu)
{
	if (!e->n_device_filter)
		return true;
	unsigned vendor = read_hex_id(ctx, gpu, "vendor"), device = read_hex_id(ctx, gpu, "device");
	for (size_t i = 0; i < e->n_device_filter; i++) {
		const struct layout_device_id *d = &e->device_filter[i];
		if (d->vendor != vendor || d->device != device)
			continue;
		if (!d->has_subsystem ||
		    (d->subsystem_vendor == read_hex_id(ctx, gpu, "subsystem_vendor") &&
		     d->subsystem_device == read_hex_id(ctx, gpu, "subsystem_device")))
			return true;
	}
	return false;
}

static bool entry_names(const struct layout_entry *e, unsigned index)
{
	if (e->all_devices)
		return true;
	for (size_t i = 0; i < e->n_devices; i++)
		if (e->devices[i] == index)
			return true;
	return false;
}

/* ---- type names */

/* "A, B, C" of the names a GPU knows, for the message about one it does not */
static void known_types(const struct plan_gpu *pg, const struct mdev_parent_list *parents,
			char *buf, size_t sz)
{
	size_t len = 0;
	buf[0] = '\0';
	const struct mdev_vgpu_gpu *g = pg->g;
	for (size_t i = 0; i < g->n_types && len + 1 < sz; i++) {
		const char *n = g->framework == MDEV_VGPU_FW_NVIDIA_VFIO ? short_name(g->types[i].name) :
									   g->types[i].name;
		len += (size_t)snprintf(buf + len, sz - len, "%s%s", i ? ", " : "", n);
	}
	(void)parents;
	if (!g->n_types)
		snprintf(buf, sz, "none known%s",
			 g->framework == MDEV_VGPU_FW_NVIDIA_VFIO ? " (VFs never enabled)" : "");
}

static const struct mdev_parent_info *find_parent(const struct mdev_parent_list *l, const char *gpu)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->parents[i].name, gpu))
			return &l->parents[i];
	return NULL;
}

/* Resolve written on GPU g into w (type, create, type_id, fb_gb): 0, -1 if g has no such
 * type, -2 out of memory. An NVIDIA GPU whose VFs were never enabled knows no names yet: the name is taken as
 * written, and the driver decides when the VFs come up. */
static int resolve_type(const struct plan_gpu *pg, const struct mdev_parent_list *parents,
			const char *written, struct plan_want *w)
{
	const struct mdev_vgpu_gpu *g = pg->g;
	const char *type = NULL, *create = NULL;
	switch (g->framework) {
	case MDEV_VGPU_FW_MDEV: {
		const struct mdev_parent_info *p = find_parent(parents, g->gpu);
		for (size_t i = 0; p && i < p->n_types && !type; i++) {
			const struct mdev_type_info *t = &p->types[i];
			/* the kernel names a type's directory <driver>-<name> ("i915-GVTg_V5_4") */
			const char *dash = strchr(t->id, '-');
			if (!strcmp(t->id, written) || (dash && !strcmp(dash + 1, written)) ||
			    (t->name && (!strcmp(t->name, written) || !strcmp(short_name(t->name), written))))
				type = create = t->id;
		}
		break;
	}
	case MDEV_VGPU_FW_NVIDIA_VFIO:
		for (size_t i = 0; i < g->n_types && !type; i++) {
			const struct mdev_vgpu_type *t = &g->types[i];
			if (!strcmp(t->name, written) || !strcmp(short_name(t->name), written)) {
				type = create = t->name;
				w->type_id = t->id;
			}
		}
		if (!type && !g->n_types && g->num_vfs == 0)
			create = written;
		w->fb_gb = name_fb_gb(type ? type : written);
		break;
	case MDEV_VGPU_FW_XE_SRIOV:
		if (!strcmp(written, MDEV_VGPU_XE_TYPE))
			type = create = MDEV_VGPU_XE_TYPE;
		break;
	}
	if (!create)
		return -1;
	w->written = written;
	w->type = type ? strdup(type) : NULL;
	w->create = strdup(create);
	return w->create && (!type || w->type) ? 0 : -2;
}

/* ---- capacity: does the whole target fit on an empty GPU (what is not kept is removed)? */

static int check_gvt(struct mdev_ctx *ctx, const struct layout_file *f, const struct plan_gpu *pg,
		     const struct mdev_parent_info *p, const struct mdev_vgpu_list *all, char *err,
		     size_t errlen, bool *done)
{
	*done = false;
	int used[4] = { 0 }, want[4] = { 0 };
	bool gvt = p && p->n_types;
	for (size_t i = 0; gvt && i < p->n_types; i++)
		gvt = gvt_type_index(p->types[i].id) >= 0;
	if (!gvt)
		return 0;
	for (size_t i = 0; i < all->n; i++) {
		const struct mdev_vgpu *v = &all->vgpus[i];
		int t = v->type ? gvt_type_index(v->type) : -1;
		if (v->active && t >= 0 && v->gpu && !strcmp(v->gpu, pg->g->gpu))
			used[t]++;
	}
	bool inferred;
	int ap = gvt_host_aperture(ctx, p, used, &inferred);
	if (!ap)
		return 0; /* unknown aperture: the kernel's counts decide (check_counts) */
	*done = true;
	char name[96];
	plan_gpu_name(pg, name, sizeof(name));
	for (size_t k = 0; k < pg->n_wants; k++) {
		const struct plan_want *w = &pg->wants[k];
		int t = gvt_type_index(w->type);
		want[t] += (int)w->count;
		struct gvt_pool pool = gvt_pool(ap, want);
		if (pool.low_mb >= 0 && pool.high_mb >= 0 && pool.fences >= 0)
			continue;
		int others[4];
		memcpy(others, want, sizeof(others));
		others[t] = 0;
		struct gvt_pool rest = gvt_pool(ap, others);
		int fit = rest.low_mb < 0 || rest.high_mb < 0 || rest.fences < 0 ? 0 : gvt_fit(&rest, (size_t)t, NULL);
		return fail(err, errlen, "%s:%u: %s: needs %d of %s, %d fit at aperture %d MiB%s%s",
			    layout_file_name(f), w->line, name, want[t], w->type, fit, ap,
			    inferred ? " (inferred from the counts)" : "",
			    memcmp(others, (int[4]){ 0 }, sizeof(others)) ? " beside the other types of the entry" : "");
	}
	return 0;
}

static int check_nvidia(const struct layout_file *f, const struct plan_gpu *pg, char *err,
			size_t errlen)
{
	const struct mdev_vgpu_gpu *g = pg->g;
	char name[96];
	plan_gpu_name(pg, name, sizeof(name));
	unsigned n = 0, fb = 0, size = 0;
	const struct plan_want *first = NULL;
	for (size_t k = 0; k < pg->n_wants; k++) {
		const struct plan_want *w = &pg->wants[k];
		n += w->count;
		fb += w->count * w->fb_gb;
		/* time-sliced vGPUs of one GPU share one framebuffer size (docs/sriov.md) */
		if (w->fb_gb && size && w->fb_gb != size)
			return fail(err, errlen,
				    "%s:%u: %s: %s (%u GB) cannot run beside %s (%u GB): time-sliced vGPUs of one GPU share one framebuffer size",
				    layout_file_name(f), w->line, name, w->written, w->fb_gb, first->written, size);
		if (w->fb_gb && !size) {
			size = w->fb_gb;
			first = w;
		}
		if (g->total_vfs && n > g->total_vfs)
			return fail(err, errlen, "%s:%u: %s: needs %u vGPUs, it has %u VFs (sriov_totalvfs)",
				    layout_file_name(f), w->line, name, n, g->total_vfs);
		if (g->fb_total_gb && w->fb_gb && fb > g->fb_total_gb)
			return fail(err, errlen, "%s:%u: %s: needs %u of %s, %u fit in its %u GB framebuffer",
				    layout_file_name(f), w->line, name, w->count, w->written,
				    (g->fb_total_gb - (fb - w->count * w->fb_gb)) / w->fb_gb, g->fb_total_gb);
	}
	return 0;
}

/* Types whose count the driver sets (mdev parents other than GVT-g, GVT-g of unknown aperture):
 * what is free now plus what runs of the type and stays. */
static int check_counts(const struct layout_file *f, const struct plan_gpu *pg,
			const struct mdev_vgpu_list *all, char *err, size_t errlen)
{
	char name[96];
	plan_gpu_name(pg, name, sizeof(name));
	for (size_t k = 0; k < pg->n_wants; k++) {
		const struct plan_want *w = &pg->wants[k];
		int fit = 0;
		for (size_t i = 0; i < pg->g->n_types; i++)
			if (!strcmp(pg->g->types[i].name, w->type))
				fit = pg->g->types[i].available;
		for (size_t i = 0; i < all->n; i++) {
			const struct mdev_vgpu *v = &all->vgpus[i];
			if (v->active && v->gpu && !strcmp(v->gpu, pg->g->gpu) && v->type &&
			    !strcmp(v->type, w->type))
				fit++;
		}
		if ((int)w->count > fit)
			return fail(err, errlen, "%s:%u: %s: needs %u of %s, %d fit (the driver's count)",
				    layout_file_name(f), w->line, name, w->count, w->type, fit);
	}
	return 0;
}

static int check_xe(const struct layout_file *f, const struct plan_gpu *pg, char *err, size_t errlen)
{
	char name[96];
	plan_gpu_name(pg, name, sizeof(name));
	for (size_t k = 0; k < pg->n_wants; k++)
		if (pg->wants[k].count > pg->g->total_vfs)
			return fail(err, errlen, "%s:%u: %s: needs %u of " MDEV_VGPU_XE_TYPE ", %u fit (sriov_totalvfs)",
				    layout_file_name(f), pg->wants[k].line, name, pg->wants[k].count,
				    pg->g->total_vfs);
	return 0;
}

/* ---- the changes */

static int push_change(struct host_plan *p, struct plan_change c)
{
	struct plan_change *n = realloc(p->changes, (p->n_changes + 1) * sizeof(*n));
	if (!n)
		return -1;
	p->changes = n;
	p->changes[p->n_changes++] = c;
	return 0;
}

static bool same_type(const struct mdev_vgpu *v, const struct plan_want *w)
{
	if (w->type_id && v->type_id)
		return v->type_id == w->type_id;
	return v->type && w->type && !strcmp(v->type, w->type);
}

/* profiles compared as sets of key=value, whatever their order */
static bool same_profile(const char *a, const char *b)
{
	char x[256], y[260];
	snprintf(x, sizeof(x), "%s", a ? a : "");
	snprintf(y, sizeof(y), ",%s,", b ? b : "");
	size_t nx = 0, ny = 0;
	for (char *s = NULL, *t = strtok_r(x, ",", &s); t; t = strtok_r(NULL, ",", &s)) {
		char item[260];
		snprintf(item, sizeof(item), ",%s,", t);
		nx++;
		if (!strstr(y, item))
			return false;
	}
	for (const char *t = y + 1; *t; t++)
		ny += *t == ',';
	return nx == ny - (strlen(y) == 2);
}

static int plan_xe(struct host_plan *p, size_t gi, bool *keep)
{
	struct plan_gpu *pg = &p->gpus[gi];
	unsigned want = pg->n_wants ? pg->wants[0].count : 0, active = 0;
	bool profile_ok = true;
	for (size_t i = 0; i < p->vgpus.n; i++) {
		const struct mdev_vgpu *v = &p->vgpus.vgpus[i];
		if (strcmp(v->gpu, pg->g->gpu) || !v->active)
			continue;
		active++;
		if (pg->xe_profile && !same_profile(v->profile, pg->xe_profile))
			profile_ok = false;
	}
	pg->xe_profile_differs = !profile_ok;
	/* Xe changes its VF count only through 0: the same count stays, another is made anew */
	bool stays = active == want && profile_ok;
	for (size_t i = 0; i < p->vgpus.n; i++) {
		const struct mdev_vgpu *v = &p->vgpus.vgpus[i];
		if (strcmp(v->gpu, pg->g->gpu))
			continue;
		keep[i] = stays && v->active;
		if (keep[i] && !(v->defined && v->autostart) &&
		    push_change(p, (struct plan_change){ .action = PLAN_DEFINE, .gpu = gi, .v = v }) < 0)
			return -1;
	}
	if (!stays && want &&
	    push_change(p, (struct plan_change){ .action = PLAN_CREATE, .gpu = gi, .want = &pg->wants[0],
						 .count = want }) < 0)
		return -1;
	return 0;
}

/* mdev and NVIDIA: per type, keep the vGPUs that run it (defined ones first), make the rest */
static int plan_typed(struct host_plan *p, size_t gi, bool *keep)
{
	struct plan_gpu *pg = &p->gpus[gi];
	for (size_t k = 0; k < pg->n_wants; k++) {
		const struct plan_want *w = &pg->wants[k];
		unsigned kept = 0;
		for (int pass = 0; pass < 3; pass++) {
			for (size_t i = 0; i < p->vgpus.n && kept < w->count; i++) {
				const struct mdev_vgpu *v = &p->vgpus.vgpus[i];
				if (keep[i] || !v->active || strcmp(v->gpu, pg->g->gpu) || !same_type(v, w))
					continue;
				int rank = v->defined && v->autostart ? 0 : v->defined ? 1 : 2;
				if (rank != pass)
					continue;
				keep[i] = true;
				kept++;
				if (rank &&
				    push_change(p, (struct plan_change){ .action = PLAN_DEFINE, .gpu = gi, .v = v }) < 0)
					return -1;
			}
		}
		if (kept < w->count &&
		    push_change(p, (struct plan_change){ .action = PLAN_CREATE, .gpu = gi, .want = w,
							 .count = w->count - kept }) < 0)
			return -1;
	}
	return 0;
}

static int plan_changes(struct mdev_ctx *ctx, struct host_plan *p, char *err, size_t errlen)
{
	bool *keep = calloc(p->vgpus.n + 1, sizeof(bool));
	if (!keep)
		return fail(err, errlen, "out of memory");
	for (size_t gi = 0; gi < p->n_gpus; gi++) {
		struct plan_gpu *pg = &p->gpus[gi];
		if (!pg->entry)
			continue;
		/* removals of a GPU come first (they free room), then definitions, then creates */
		size_t at = p->n_changes;
		int r = pg->g->framework == MDEV_VGPU_FW_XE_SRIOV ? plan_xe(p, gi, keep) :
								    plan_typed(p, gi, keep);
		if (r < 0) {
			free(keep);
			return fail(err, errlen, "out of memory");
		}
		size_t n_removes = 0;
		for (size_t i = 0; i < p->vgpus.n; i++) {
			const struct mdev_vgpu *v = &p->vgpus.vgpus[i];
			if (keep[i] || !v->gpu || strcmp(v->gpu, pg->g->gpu))
				continue;
			struct plan_change c = { .action = PLAN_REMOVE, .gpu = gi, .v = v };
			if (v->active) {
				int rr = mdev_vgpu_in_use(ctx, v->id, &c.pid);
				if (rr < 0) {
					free(keep);
					return fail(err, errlen, "%s", mdev_ctx_error_message(ctx));
				}
				c.in_use = rr > 0;
			}
			if (push_change(p, c) < 0) {
				free(keep);
				return fail(err, errlen, "out of memory");
			}
			n_removes++;
		}
		/* move this GPU's removals before its other changes (none: nothing to move, and
		 * p->changes may still be NULL) */
		if (!n_removes)
			continue;
		size_t end = p->n_changes;
		struct plan_change *tmp = malloc((end - at + 1) * sizeof(*tmp));
		if (!tmp) {
			free(keep);
			return fail(err, errlen, "out of memory");
		}
		memcpy(tmp, &p->changes[end - n_removes], n_removes * sizeof(*tmp));
		memcpy(tmp + n_removes, &p->changes[at], (end - at - n_removes) * sizeof(*tmp));
		memcpy(&p->changes[at], tmp, (end - at) * sizeof(*tmp));
		free(tmp);
	}
	free(keep);
	return 0;
}

/* ---- resolve */

static int resolve(struct mdev_ctx *ctx, const struct layout_file *f, const struct layout_config *c,
		   struct host_plan *p, const struct mdev_parent_list *parents, char *err, size_t errlen)
{
	/* the entry that decides for each GPU: the last one covering it, as NVIDIA's tool applies
	 * every entry in turn */
	for (size_t e = 0; e < c->n_entries; e++) {
		const struct layout_entry *en = &c->entries[e];
		for (size_t i = 0; i < en->n_devices; i++) {
			if (en->devices[i] < p->n_gpus)
				continue;
			char list[512] = "";
			size_t len = 0;
			for (size_t g = 0; g < p->n_gpus && len + 1 < sizeof(list); g++)
				len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%zu: %s",
							g ? ", " : "", g, p->gpus[g].g->gpu);
			return fail(err, errlen,
				    "%s:%u: devices: there is no GPU %u: this host has %zu GPU%s that can host vGPUs%s%s%s",
				    layout_file_name(f), en->line, en->devices[i], p->n_gpus,
				    p->n_gpus == 1 ? "" : "s", p->n_gpus ? " (" : "", list, p->n_gpus ? ")" : "");
		}
		for (size_t g = 0; g < p->n_gpus; g++)
			if (entry_names(en, (unsigned)g) && filter_matches(ctx, en, p->gpus[g].g->gpu))
				p->gpus[g].entry = en;
	}
	for (size_t g = 0; g < p->n_gpus; g++) {
		struct plan_gpu *pg = &p->gpus[g];
		const struct layout_entry *en = pg->entry;
		if (!en)
			continue;
		char name[96];
		plan_gpu_name(pg, name, sizeof(name));
		pg->wants = calloc(en->n_counts + 1, sizeof(*pg->wants));
		if (!pg->wants)
			return fail(err, errlen, "out of memory");
		if (en->xe_profile && pg->g->framework == MDEV_VGPU_FW_XE_SRIOV)
			pg->xe_profile = en->xe_profile;
		for (size_t k = 0; k < en->n_counts; k++) {
			const struct layout_count *lc = &en->counts[k];
			struct plan_want w = { .count = lc->count, .line = lc->line };
			int rt = resolve_type(pg, parents, lc->type, &w);
			if (rt == -2) {
				free(w.type);
				free(w.create);
				return fail(err, errlen, "out of memory");
			}
			if (rt < 0) {
				char types[512];
				known_types(pg, parents, types, sizeof(types));
				return fail(err, errlen, "%s:%u: %s has no type %s; its types: %s",
					    layout_file_name(f), lc->line, name, lc->type, types);
			}
			/* two spellings of one type ("L40S-4Q", "NVIDIA L40S-4Q") add up */
			size_t j;
			for (j = 0; j < pg->n_wants; j++)
				if (!strcmp(pg->wants[j].create, w.create))
					break;
			if (j < pg->n_wants) {
				pg->wants[j].count += w.count;
				pg->wants[j].line = w.line;
				free(w.type);
				free(w.create);
			} else {
				pg->wants[pg->n_wants++] = w;
			}
		}
		int r;
		bool done = false;
		if (pg->g->framework == MDEV_VGPU_FW_MDEV) {
			r = check_gvt(ctx, f, pg, find_parent(parents, pg->g->gpu), &p->vgpus, err, errlen, &done);
			if (r == 0 && !done)
				r = check_counts(f, pg, &p->vgpus, err, errlen);
		} else if (pg->g->framework == MDEV_VGPU_FW_NVIDIA_VFIO) {
			r = check_nvidia(f, pg, err, errlen);
		} else {
			r = check_xe(f, pg, err, errlen);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

int host_plan_build(struct mdev_ctx *ctx, const struct layout_file *f,
		    const struct layout_config *c, struct host_plan *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	struct mdev_parent_list parents = { 0 };
	if (mdev_vgpu_types_all(ctx, NULL, &p->types) < 0 || mdev_vgpu_list(ctx, NULL, &p->vgpus) < 0 ||
	    mdev_list_types(ctx, NULL, &parents) < 0) {
		fail(err, errlen, "%s", mdev_ctx_error_message(ctx));
		host_plan_clear(p);
		return -1;
	}
	p->n_gpus = p->types.n;
	p->gpus = calloc(p->n_gpus + 1, sizeof(*p->gpus));
	int r = p->gpus ? 0 : fail(err, errlen, "out of memory");
	for (size_t g = 0; g < p->n_gpus && r == 0; g++) {
		p->gpus[g].g = &p->types.gpus[g];
		p->gpus[g].index = (unsigned)g;
	}
	if (r == 0)
		r = resolve(ctx, f, c, p, &parents, err, errlen);
	if (r == 0)
		r = plan_changes(ctx, p, err, errlen);
	mdev_parent_list_clear(&parents);
	if (r < 0)
		host_plan_clear(p);
	return r;
}

void host_plan_clear(struct host_plan *p)
{
	for (size_t g = 0; p->gpus && g < p->n_gpus; g++) {
		for (size_t k = 0; k < p->gpus[g].n_wants; k++) {
			free(p->gpus[g].wants[k].type);
			free(p->gpus[g].wants[k].create);
		}
		free(p->gpus[g].wants);
	}
	free(p->gpus);
	free(p->changes);
	mdev_vgpu_gpu_list_clear(&p->types);
	mdev_vgpu_list_clear(&p->vgpus);
	memset(p, 0, sizeof(*p));
}
