/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl assert: does this host match one config of a layout file? The changes apply would
 * make, told as differences: exit 0 when there are none, 1 (each printed) otherwise. */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_plan.h"
#include "layout.h"
#include "vgpuctl.h"

struct diffs {
	bool json;
	struct json_object *arr;
	size_t n;
};

static void diff(struct diffs *d, const struct plan_gpu *g, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void diff(struct diffs *d, const struct plan_gpu *g, const char *kind, const char *fmt, ...)
{
	char name[96], msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	plan_gpu_name(g, name, sizeof(name));
	d->n++;
	if (!d->json) {
		printf("%s: %s\n", name, msg);
		return;
	}
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "gpu", json_object_new_string(g->g->gpu));
	json_object_object_add(o, "index", json_object_new_int64(g->index));
	json_object_object_add(o, "kind", json_object_new_string(kind));
	json_object_object_add(o, "message", json_object_new_string(msg));
	json_object_array_add(d->arr, o);
}

static const char *type_of(const struct mdev_vgpu *v)
{
	return v->type ? v->type : "type unknown";
}

/* Xe: the VF count and profile, as a whole */
static void xe_diffs(struct diffs *d, const struct host_plan *p, size_t gi, size_t from, size_t to)
{
	const struct plan_gpu *g = &p->gpus[gi];
	unsigned active = 0, want = 0;
	for (size_t i = 0; i < p->vgpus.n; i++)
		active += p->vgpus.vgpus[i].active && !strcmp(p->vgpus.vgpus[i].gpu, g->g->gpu);
	for (size_t i = from; i < to; i++) {
		const struct plan_change *c = &p->changes[i];
		if (c->action == PLAN_CREATE)
			want = c->count;
		else if (c->action == PLAN_DEFINE)
			diff(d, g, "not-auto", "VF %s (%s) is not defined to start at boot", c->v->id, type_of(c->v));
		else if (!c->v->active)
			diff(d, g, "not-running", "VF %s is defined but not enabled", c->v->id);
	}
	if (want && active != want)
		diff(d, g, "vf-count", "%u VFs are enabled, the layout wants %u", active, want);
	else if (want && g->xe_profile_differs)
		diff(d, g, "profile", "the VFs are not defined with the profile %s", g->xe_profile);
	else if (!g->n_wants && active)
		diff(d, g, "vf-count", "%u VFs are enabled, the layout wants none", active);
}

/* mdev and NVIDIA: an extra vGPU and a missing one of the same GPU are told as a wrong type */
static void typed_diffs(struct diffs *d, const struct host_plan *p, size_t gi, size_t from, size_t to)
{
	const struct plan_gpu *g = &p->gpus[gi];
	size_t n = to - from;
	unsigned *missing = calloc(n + 1, sizeof(unsigned));
	if (!missing)
		return;
	for (size_t i = from; i < to; i++)
		if (p->changes[i].action == PLAN_CREATE)
			missing[i - from] = p->changes[i].count;
	for (size_t i = from; i < to; i++) {
		const struct plan_change *c = &p->changes[i];
		if (c->action == PLAN_DEFINE) {
			if (c->v->defined)
				diff(d, g, "not-auto", "vGPU %s (%s) is defined but not to start at boot",
				     c->v->id, type_of(c->v));
			else
				diff(d, g, "not-defined", "vGPU %s (%s) is not defined (it would not come back after a reboot)",
				     c->v->id, type_of(c->v));
			continue;
		}
		if (c->action != PLAN_REMOVE)
			continue;
		if (!c->v->active) {
			diff(d, g, "not-running", "vGPU %s (%s) is defined but does not run", c->v->id,
			     type_of(c->v));
			continue;
		}
		size_t k;
		for (k = 0; k < n && !missing[k]; k++)
			;
		if (k < n) {
			missing[k]--;
			const struct plan_want *w = p->changes[from + k].want;
			diff(d, g, "wrong-type", "vGPU %s is %s, the layout wants %s", c->v->id,
			     type_of(c->v), w->type ? w->type : w->create);
		} else {
			diff(d, g, "extra", "extra vGPU %s (%s)", c->v->id, type_of(c->v));
		}
	}
	for (size_t k = 0; k < n; k++) {
		if (!missing[k])
			continue;
		const struct plan_want *w = p->changes[from + k].want;
		diff(d, g, "missing", "missing %u of %s", missing[k], w->type ? w->type : w->create);
	}
	free(missing);
}

int layout_assert(struct mdev_ctx *ctx, const struct layout_opts *o, const struct layout_file *f,
		  const struct layout_config *c)
{
	struct host_plan p;
	char err[1024];
	if (host_plan_build(ctx, f, c, &p, err, sizeof(err)) < 0) {
		fprintf(stderr, "Error: %s\n", err);
		return 1;
	}
	struct diffs d = { .json = o->json, .arr = o->json ? json_object_new_array() : NULL };
	for (size_t i = 0; i < p.n_changes;) {
		size_t gi = p.changes[i].gpu, end = i;
		while (end < p.n_changes && p.changes[end].gpu == gi)
			end++;
		if (p.gpus[gi].g->framework == MDEV_VGPU_FW_XE_SRIOV)
			xe_diffs(&d, &p, gi, i, end);
		else
			typed_diffs(&d, &p, gi, i, end);
		i = end;
	}
	if (o->json) {
		struct json_object *out = json_object_new_object();
		json_object_object_add(out, "matches", json_object_new_boolean(d.n == 0));
		json_object_object_add(out, "config", json_object_new_string(c->name));
		json_object_object_add(out, "differences", d.arr);
		vgpuctl_print_json(out);
		json_object_put(out);
	} else if (d.n == 0) {
		printf("Config %s: the host matches it.\n", c->name);
	}
	host_plan_clear(&p);
	return d.n ? 1 : 0;
}
