/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl apply: converge this host to one config of a layout file with the fewest changes.
 *
 * The root's writer lock is held from the first look at the host to the record of the applied
 * layout, so two applies (or an apply and a vgpuctl/mdevctl writer) never interleave: the
 * second waits (MDEVCTL_LOCK_TIMEOUT, default 30 s) and then converges from what the first
 * left, or fails naming the holder. Everything is checked (types, counts against the capacity
 * model, GPU indices, vGPUs in use) before the first write. */
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_plan.h"
#include "layout.h"
#include "vgpuctl.h"

static const char *type_of(const struct mdev_vgpu *v)
{
	return v->type ? v->type : "type unknown";
}

/* one change as a line of text (after the GPU's header) and as JSON */
static void print_change(const struct plan_change *c, const struct mdev_vgpu_list *made,
			 bool dry_run)
{
	switch (c->action) {
	case PLAN_REMOVE:
		printf("  remove %s (%s%s)%s\n", c->v->id, type_of(c->v), c->v->active ? "" : ", defined only",
		       c->in_use ? " although in use (--force)" : "");
		break;
	case PLAN_DEFINE:
		printf("  define %s (%s) to start at boot\n", c->v->id, type_of(c->v));
		break;
	case PLAN_CREATE:
		printf("  create %u x %s", c->count, c->want->type ? c->want->type : c->want->create);
		if (!dry_run && made && made->n) {
			printf(":");
			for (size_t i = 0; i < made->n; i++)
				printf(" %s", made->vgpus[i].id);
		}
		printf("\n");
		break;
	}
}

static struct json_object *change_json(const struct host_plan *p, const struct plan_change *c,
				       const struct mdev_vgpu_list *made)
{
	static const char *const names[] = { "remove", "define", "create" };
	const struct plan_gpu *g = &p->gpus[c->gpu];
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "gpu", json_object_new_string(g->g->gpu));
	json_object_object_add(o, "index", json_object_new_int64(g->index));
	json_object_object_add(o, "action", json_object_new_string(names[c->action]));
	if (c->action == PLAN_CREATE) {
		const char *t = c->want->type ? c->want->type : c->want->create;
		json_object_object_add(o, "type", json_object_new_string(t));
		json_object_object_add(o, "count", json_object_new_int64(c->count));
		if (made) {
			struct json_object *ids = json_object_new_array();
			for (size_t i = 0; i < made->n; i++)
				json_object_array_add(ids, json_object_new_string(made->vgpus[i].id));
			json_object_object_add(o, "ids", ids);
		}
	} else {
		json_object_object_add(o, "id", json_object_new_string(c->v->id));
		json_object_object_add(o, "type", c->v->type ? json_object_new_string(c->v->type) : NULL);
		if (c->action == PLAN_REMOVE && c->in_use)
			json_object_object_add(o, "in_use", json_object_new_boolean(true));
	}
	return o;
}

static void print_header(const struct host_plan *p, size_t gi, size_t *last)
{
	if (*last == gi)
		return;
	char name[96];
	plan_gpu_name(&p->gpus[gi], name, sizeof(name));
	printf("%s:\n", name);
	*last = gi;
}

/* Carry out the changes of one GPU, from change *i on; the removals of a GPU go in one call
 * (Xe disables all its VFs at once). Prints each change done. 0 or -1 (error printed). */
static int run_gpu(struct mdev_ctx *ctx, const struct host_plan *p, size_t *i, bool json,
		   struct json_object *changes, size_t *last)
{
	size_t gi = p->changes[*i].gpu, end = *i, n_rm = 0;
	while (end < p->n_changes && p->changes[end].gpu == gi)
		n_rm += p->changes[end++].action == PLAN_REMOVE;
	if (n_rm) {
		const char **ids = calloc(n_rm, sizeof(char *));
		if (!ids) {
			fprintf(stderr, "Error: out of memory\n");
			return -1;
		}
		size_t k = 0;
		for (size_t j = *i; j < end; j++)
			if (p->changes[j].action == PLAN_REMOVE)
				ids[k++] = p->changes[j].v->id;
		int r = mdev_vgpu_remove(ctx, ids, n_rm);
		free(ids);
		if (r < 0)
			return -1;
		for (size_t j = *i; j < end; j++) {
			if (p->changes[j].action != PLAN_REMOVE)
				continue;
			if (json)
				json_object_array_add(changes, change_json(p, &p->changes[j], NULL));
			else
				print_header(p, gi, last), print_change(&p->changes[j], NULL, false);
		}
	}
	for (size_t j = *i; j < end; j++) {
		const struct plan_change *c = &p->changes[j];
		struct mdev_vgpu_list made = { 0 };
		int r = 0;
		if (c->action == PLAN_DEFINE) {
			r = mdev_vgpu_define(ctx, c->v->id, true);
		} else if (c->action == PLAN_CREATE) {
			struct mdev_vgpu_create_req req = { .gpu = p->gpus[gi].g->gpu, .type = c->want->create,
							    .count = c->count, .autostart = true,
							    .profile = p->gpus[gi].xe_profile };
			r = mdev_vgpu_create(ctx, &req, &made);
		} else {
			continue;
		}
		if (r < 0)
			return -1;
		if (json)
			json_object_array_add(changes, change_json(p, c, c->action == PLAN_CREATE ? &made : NULL));
		else
			print_header(p, gi, last), print_change(c, &made, false);
		mdev_vgpu_list_clear(&made);
	}
	*i = end;
	return 0;
}

/* The vGPUs in use that the layout would remove: an error naming the first, unless --force */
static int check_in_use(const struct host_plan *p, bool force)
{
	for (size_t i = 0; i < p->n_changes; i++) {
		const struct plan_change *c = &p->changes[i];
		if (c->action != PLAN_REMOVE || !c->in_use || force)
			continue;
		char name[96], who[64] = "";
		plan_gpu_name(&p->gpus[c->gpu], name, sizeof(name));
		if (c->pid)
			snprintf(who, sizeof(who), " (process %d has its VFIO device open)", c->pid);
		fprintf(stderr,
			"Error: %s: vGPU %s (%s) is in use%s, and the layout has no place for it; nothing was changed (stop its guest first, or use --force)\n",
			name, c->v->id, type_of(c->v), who);
		return 1;
	}
	return 0;
}

int layout_apply(struct mdev_ctx *ctx, const struct layout_opts *o, const struct layout_file *f,
		 const struct layout_config *c)
{
	mdev_ctx_set_log_fn(ctx, vgpuctl_log_stderr, NULL, MDEV_LOG_WARN);
	/* a dry run only reads, as listings do; a real one holds the lock from its first read */
	if (!o->dry_run && mdev_ctx_lock(ctx) < 0)
		return vgpuctl_fail(ctx);
	struct host_plan p;
	char err[1024];
	int rc = 0;
	if (host_plan_build(ctx, f, c, &p, err, sizeof(err)) < 0) {
		fprintf(stderr, "Error: %s\n", err);
		if (!o->dry_run)
			mdev_ctx_unlock(ctx);
		return 1;
	}
	rc = check_in_use(&p, o->force);
	struct json_object *out = o->json ? json_object_new_object() : NULL;
	struct json_object *changes = o->json ? json_object_new_array() : NULL;
	size_t last = SIZE_MAX;
	if (rc == 0 && o->dry_run) {
		for (size_t i = 0; i < p.n_changes; i++) {
			if (o->json) {
				json_object_array_add(changes, change_json(&p, &p.changes[i], NULL));
				continue;
			}
			print_header(&p, p.changes[i].gpu, &last);
			print_change(&p.changes[i], NULL, true);
		}
		if (!o->json && p.n_changes)
			printf("Dry run: %zu change%s, nothing written.\n", p.n_changes,
			       p.n_changes == 1 ? "" : "s");
		else if (!o->json)
			printf("Config %s: the host matches it, nothing to change.\n", c->name);
	} else if (rc == 0) {
		for (size_t i = 0; i < p.n_changes && rc == 0;)
			if (run_gpu(ctx, &p, &i, o->json, changes, &last) < 0)
				rc = vgpuctl_fail(ctx);
		char path[PATH_MAX];
		const char *file = !strcmp(f->path, "-") ? "-" : realpath(f->path, path) ? path : f->path;
		if (rc == 0 && mdev_vgpu_layout_record(ctx, c->name, file) < 0)
			rc = vgpuctl_fail(ctx);
		if (rc == 0 && !o->json && !p.n_changes)
			printf("Config %s: the host matches it, nothing to change.\n", c->name);
	}
	if (!o->dry_run)
		mdev_ctx_unlock(ctx);
	if (o->json && (rc == 0 || json_object_array_length(changes))) {
		json_object_object_add(out, "changed", json_object_new_boolean(json_object_array_length(changes) > 0));
		json_object_object_add(out, "config", json_object_new_string(c->name));
		json_object_object_add(out, "dry_run", json_object_new_boolean(o->dry_run));
		json_object_object_add(out, "changes", changes);
		vgpuctl_print_json(out);
	} else if (changes) {
		json_object_put(changes);
	}
	if (out)
		json_object_put(out);
	host_plan_clear(&p);
	return rc;
}
