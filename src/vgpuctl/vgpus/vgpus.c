/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl list, types, create, remove, start-defined: vGPUs of any framework (mdev,
 * nvidia-vfio, xe-sriov) through libmdev's framework-neutral calls. Usage errors exit 2, any
 * other error prints "Error: ..." and exits 1 having changed nothing (the library undoes). */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vgpuctl.h"


static int usage_error(const char *usage, const char *fmt, const char *arg)
{
	fprintf(stderr, "Error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n\n%s", usage);
	return 2;
}

static void print_json(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* ---- list */

static const char LIST_USAGE[] =
	"Usage: vgpuctl list [--gpu ADDR] [--json]\n\n"
	"Every vGPU on this host, whatever the framework: its id (mdev UUID, or the VF's PCI\n"
	"address; GPU/vfN for a defined VF that is not enabled), GPU, type, framework (mdev,\n"
	"nvidia-vfio, xe-sriov) and state (active, defined, auto).\n";

static void state_text(const struct mdev_vgpu *v, char *buf, size_t sz)
{
	snprintf(buf, sz, "%s%s%s", v->active ? "active" : "defined",
		 v->active && v->defined && !v->autostart ? ", defined" : "",
		 v->autostart ? ", auto" : "");
}

static char *type_text(const struct mdev_vgpu *v)
{
	if (v->type)
		return strdup(v->type);
	char *s = NULL;
	if (v->type_id && asprintf(&s, "(type id %u)", v->type_id) < 0)
		return NULL;
	return s ? s : strdup("-");
}

/* The options list and types share: [--gpu ADDR] [--json] [--help]. -1 to go on, else the
 * exit status (0 after --help, 2 after a usage error). */
static int gpu_json_opts(int argc, char **argv, const char *usage, const char **ret_gpu, bool *ret_json)
{
	static const struct option opts[] = { { "gpu", required_argument, NULL, 'g' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { 0 } };
	opterr = 0;
	for (int c; (c = getopt_long(argc, argv, ":g:jh", opts, NULL)) != -1;) {
		if (c == 'g')
			*ret_gpu = optarg;
		else if (c == 'j')
			*ret_json = true;
		else if (c == 'h')
			return fputs(usage, stdout), 0;
		else
			return usage_error(usage, "unexpected argument '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		return usage_error(usage, "unexpected argument '%s'", argv[optind]);
	return -1;
}

int vgpuctl_list(struct mdev_ctx *ctx, int argc, char **argv)
{
	const char *gpu = NULL;
	bool json = false;
	int rc = gpu_json_opts(argc, argv, LIST_USAGE, &gpu, &json);
	if (rc >= 0)
		return rc;
	mdev_ctx_set_log_fn(ctx, vgpuctl_log_stderr, NULL, MDEV_LOG_WARN);
	struct mdev_vgpu_list l = { 0 };
	if (mdev_vgpu_list(ctx, gpu, &l) < 0)
		return vgpuctl_fail(ctx);
	if (json) {
		struct json_object *arr = json_object_new_array();
		for (size_t i = 0; i < l.n; i++) {
			const struct mdev_vgpu *v = &l.vgpus[i];
			struct json_object *o = json_object_new_object(), *st = json_object_new_array();
			char *t = type_text(v);
			json_object_object_add(o, "id", json_object_new_string(v->id));
			json_object_object_add(o, "gpu", v->gpu ? json_object_new_string(v->gpu) : NULL);
			json_object_object_add(o, "type", v->type ? json_object_new_string(v->type) : NULL);
			if (v->type_id)
				json_object_object_add(o, "type_id", json_object_new_int64(v->type_id));
			if (v->vf)
				json_object_object_add(o, "vf", json_object_new_int64(v->vf));
			json_object_object_add(o, "framework",
					       json_object_new_string(mdev_vgpu_framework_name(v->framework)));
			if (v->active)
				json_object_array_add(st, json_object_new_string("active"));
			if (v->defined)
				json_object_array_add(st, json_object_new_string("defined"));
			if (v->autostart)
				json_object_array_add(st, json_object_new_string("auto"));
			json_object_object_add(o, "state", st);
			if (v->profile)
				json_object_object_add(o, "profile", json_object_new_string(v->profile));
			json_object_array_add(arr, o);
			free(t);
		}
		print_json(arr);
		mdev_vgpu_list_clear(&l);
		return 0;
	}
	int w_id = 2, w_gpu = 3, w_type = 4, w_fw = 9;
	for (size_t i = 0; i < l.n; i++) {
		const struct mdev_vgpu *v = &l.vgpus[i];
		char *t = type_text(v);
		int a = (int)strlen(v->id), b = v->gpu ? (int)strlen(v->gpu) : 1,
		    c = t ? (int)strlen(t) : 1, d = (int)strlen(mdev_vgpu_framework_name(v->framework));
		w_id = a > w_id ? a : w_id;
		w_gpu = b > w_gpu ? b : w_gpu;
		w_type = c > w_type ? c : w_type;
		w_fw = d > w_fw ? d : w_fw;
		free(t);
	}
	if (l.n)
		printf("%-*s  %-*s  %-*s  %-*s  %s\n", w_id, "ID", w_gpu, "GPU", w_type, "TYPE", w_fw,
		       "FRAMEWORK", "STATE");
	for (size_t i = 0; i < l.n; i++) {
		const struct mdev_vgpu *v = &l.vgpus[i];
		char st[64];
		char *t = type_text(v);
		state_text(v, st, sizeof(st));
		printf("%-*s  %-*s  %-*s  %-*s  %s\n", w_id, v->id, w_gpu, v->gpu ? v->gpu : "-",
		       w_type, t ? t : "-", w_fw, mdev_vgpu_framework_name(v->framework), st);
		free(t);
	}
	mdev_vgpu_list_clear(&l);
	return 0;
}

/* ---- types */

/* VRAM for people: GiB with up to two decimals ("16 GiB", "5.33 GiB"), MiB below 1 GiB */
static void human_size(unsigned long long b, char *out, size_t sz)
{
	int shift = b >= (1ULL << 30) ? 30 : 20;
	unsigned long long c = (b * 100 + (1ULL << (shift - 1))) >> shift;
	const char *unit = shift == 30 ? "GiB" : "MiB";
	if (c % 100 == 0)
		snprintf(out, sz, "%llu %s", c / 100, unit);
	else if (c % 10 == 0)
		snprintf(out, sz, "%llu.%llu %s", c / 100, c % 100 / 10, unit);
	else
		snprintf(out, sz, "%llu.%02llu %s", c / 100, c % 100, unit);
}

/* An Xe GPU's VRAM and each VF's share of it: what the kernel gave the enabled VFs, or what
 * N VFs would get (1/N at most: the PF keeps some) */
static void print_xe_vram(const struct mdev_vgpu_gpu *g)
{
	char total[32], each[32];
	if (!g->vram_bytes && !g->vf_vram_quota)
		return;
	human_size(g->vram_bytes, total, sizeof(total));
	printf("  VRAM: %s", g->vram_bytes ? total : "size unknown");
	if (g->vf_vram_quota) {
		bool same = true;
		for (unsigned i = 1; i < g->num_vfs; i++)
			same = same && g->vf_vram_quota[i] == g->vf_vram_quota[0];
		human_size(g->vf_vram_quota[0], each, sizeof(each));
		if (same) {
			printf("; each of the %u VFs has %s (vram_quota)\n", g->num_vfs, each);
			return;
		}
		printf("; the VFs have");
		for (unsigned i = 0; i < g->num_vfs; i++) {
			human_size(g->vf_vram_quota[i], each, sizeof(each));
			printf("%s %s", i ? "," : "", each);
		}
		printf(" (vram_quota)\n");
		return;
	}
	printf("; each of N VFs gets up to 1/N (");
	const unsigned ns[] = { 2, 4, g->total_vfs };
	for (size_t k = 0; k < 3; k++) {
		if (ns[k] > g->total_vfs || (k == 2 && (ns[k] == 2 || ns[k] == 4)))
			continue;
		human_size(g->vram_bytes / ns[k], each, sizeof(each));
		printf("%s%u VFs: %s", k ? ", " : "", ns[k], each);
	}
	printf(")%s\n", g->vram_quota ? "; --profile vram_quota=SIZE sets it" :
					  "; setting it needs Linux 7.0 (vram_quota)");
}

static const char TYPES_USAGE[] =
	"Usage: vgpuctl types [--gpu ADDR] [--json]\n\n"
	"Per GPU, every type that can be created now and how many more fit: mdev types, NVIDIA\n"
	"types with their numeric ids, and for Xe the VF counts that can be enabled and each VF's\n"
	"share of a discrete GPU's VRAM.\n";

int vgpuctl_types(struct mdev_ctx *ctx, int argc, char **argv)
{
	const char *gpu = NULL;
	bool json = false;
	int rc = gpu_json_opts(argc, argv, TYPES_USAGE, &gpu, &json);
	if (rc >= 0)
		return rc;
	mdev_ctx_set_log_fn(ctx, vgpuctl_log_stderr, NULL, MDEV_LOG_WARN);
	struct mdev_vgpu_gpu_list l = { 0 };
	if (mdev_vgpu_types(ctx, gpu, &l) < 0)
		return vgpuctl_fail(ctx);
	if (gpu && l.n == 0) {
		fprintf(stderr, "Error: GPU %s not found: it is neither an mdev parent nor an SR-IOV PF bound to nvidia or xe\n",
			gpu);
		return 1;
	}
	if (json) {
		struct json_object *arr = json_object_new_array();
		for (size_t i = 0; i < l.n; i++) {
			const struct mdev_vgpu_gpu *g = &l.gpus[i];
			struct json_object *o = json_object_new_object(), *ts = json_object_new_array();
			json_object_object_add(o, "gpu", json_object_new_string(g->gpu));
			json_object_object_add(o, "framework",
					       json_object_new_string(mdev_vgpu_framework_name(g->framework)));
			if (g->framework != MDEV_VGPU_FW_MDEV) {
				json_object_object_add(o, "driver", json_object_new_string(g->driver));
				json_object_object_add(o, "total_vfs", json_object_new_int64(g->total_vfs));
				json_object_object_add(o, "enabled_vfs", json_object_new_int64(g->num_vfs));
				json_object_object_add(o, "used_vfs", json_object_new_int64(g->used_vfs));
			}
			if (g->framework == MDEV_VGPU_FW_XE_SRIOV) {
				if (g->vram_bytes)
					json_object_object_add(o, "vram_bytes",
							       json_object_new_uint64(g->vram_bytes));
				json_object_object_add(o, "vram_quota",
						       json_object_new_boolean(g->vram_quota));
			}
			if (g->vf_vram_quota) {
				struct json_object *q = json_object_new_array();
				for (unsigned n = 0; n < g->num_vfs; n++)
					json_object_array_add(q, json_object_new_uint64(g->vf_vram_quota[n]));
				json_object_object_add(o, "vf_vram_quota", q);
			}
			if (g->note)
				json_object_object_add(o, "note", json_object_new_string(g->note));
			for (size_t k = 0; k < g->n_types; k++) {
				const struct mdev_vgpu_type *t = &g->types[k];
				struct json_object *to = json_object_new_object();
				json_object_object_add(to, "type", json_object_new_string(t->name));
				if (t->id)
					json_object_object_add(to, "id", json_object_new_int64(t->id));
				json_object_object_add(to, "available", json_object_new_int64(t->available));
				if (g->framework == MDEV_VGPU_FW_XE_SRIOV) {
					struct json_object *sh = json_object_new_array();
					for (unsigned n = 1; n <= g->total_vfs; n++) {
						char s[32];
						snprintf(s, sizeof(s), "1/%u", n);
						struct json_object *e = json_object_new_object();
						json_object_object_add(e, "vfs", json_object_new_int64(n));
						json_object_object_add(e, "share", json_object_new_string(s));
						if (g->vram_bytes)
							json_object_object_add(e, "vram_bytes",
									       json_object_new_uint64(g->vram_bytes / n));
						json_object_array_add(sh, e);
					}
					json_object_object_add(to, "vf_counts", sh);
				}
				if (t->description)
					json_object_object_add(to, "description",
							       json_object_new_string(t->description));
				json_object_array_add(ts, to);
			}
			json_object_object_add(o, "types", ts);
			json_object_array_add(arr, o);
		}
		print_json(arr);
		mdev_vgpu_gpu_list_clear(&l);
		return 0;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct mdev_vgpu_gpu *g = &l.gpus[i];
		printf("%s%s (%s", i ? "\n" : "", g->gpu, mdev_vgpu_framework_name(g->framework));
		if (g->framework != MDEV_VGPU_FW_MDEV)
			printf(", driver %s, %u of %u VFs enabled, %u in use", g->driver, g->num_vfs,
			       g->total_vfs, g->used_vfs);
		printf(")\n");
		if (g->note)
			printf("  Note: %s\n", g->note);
		if (!g->n_types) {
			printf("  No type can be created now.\n");
			continue;
		}
		int w = 4;
		for (size_t k = 0; k < g->n_types; k++)
			w = (int)strlen(g->types[k].name) > w ? (int)strlen(g->types[k].name) : w;
		for (size_t k = 0; k < g->n_types; k++) {
			const struct mdev_vgpu_type *t = &g->types[k];
			printf("  %-*s", w, t->name);
			if (g->framework == MDEV_VGPU_FW_NVIDIA_VFIO)
				printf("  id %-5u", t->id);
			printf("  %d more", t->available);
			if (g->framework == MDEV_VGPU_FW_XE_SRIOV && g->total_vfs)
				printf(" (VF counts 1..%u, each VF 1/N of the GPU)", g->total_vfs);
			else if (t->description)
				printf("  %s", t->description);
			printf("\n");
		}
		if (g->framework == MDEV_VGPU_FW_XE_SRIOV)
			print_xe_vram(g);
	}
	mdev_vgpu_gpu_list_clear(&l);
	return 0;
}

/* ---- create */

static const char CREATE_USAGE[] =
	"Usage: vgpuctl create --gpu ADDR --type NAME [--count N] [--define] [--auto]\n"
	"                      [--profile exec_quantum_ms=N,preempt_timeout_us=N,sched_priority=P,\n"
	"                                 vram_quota=SIZE]\n\n"
	"Creates N vGPUs (default 1) of a type on a GPU and prints their ids: on an mdev parent as\n"
	"mdevctl start (and define); on an NVIDIA PF by enabling its VFs when none are and setting\n"
	"the type on free VFs (NAME: \"NVIDIA L40S-4Q\", \"L40S-4Q\" or the numeric id); on an Xe PF\n"
	"(type xe-vf) by enabling N VFs with the scheduling profile given, and each VF's VRAM\n"
	"(SIZE: bytes, or with K, M, G, T: Linux 7.0, discrete GPUs). --define keeps a\n"
	"definition, --auto one that starts at boot. On an error nothing is changed.\n";

static int parse_count(const char *s, unsigned *ret)
{
	char *end;
	if (*s < '1' || *s > '9')
		return -1;
	unsigned long v = strtoul(s, &end, 10);
	if (*end || v > 4096)
		return -1;
	*ret = (unsigned)v;
	return 0;
}

int vgpuctl_create(struct mdev_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "gpu", required_argument, NULL, 'g' },
					      { "type", required_argument, NULL, 't' },
					      { "count", required_argument, NULL, 'n' },
					      { "define", no_argument, NULL, 'd' },
					      { "auto", no_argument, NULL, 'a' },
					      { "profile", required_argument, NULL, 'p' },
					      { "help", no_argument, NULL, 'h' },
					      { 0 } };
	struct mdev_vgpu_create_req req = { .count = 1 };
	opterr = 0;
	for (int c; (c = getopt_long(argc, argv, ":g:t:n:dap:h", opts, NULL)) != -1;) {
		switch (c) {
		case 'g':
			req.gpu = optarg;
			break;
		case 't':
			req.type = optarg;
			break;
		case 'n':
			if (parse_count(optarg, &req.count) < 0) {
				fprintf(stderr, "Error: --count %s: must be a number from 1 to 4096\n", optarg);
				return 1;
			}
			break;
		case 'd':
			req.define = true;
			break;
		case 'a':
			req.autostart = true;
			break;
		case 'p':
			req.profile = optarg;
			break;
		case 'h':
			return fputs(CREATE_USAGE, stdout), 0;
		case ':':
			return usage_error(CREATE_USAGE, "'%s' needs a value", argv[optind - 1]);
		default:
			return usage_error(CREATE_USAGE, "unexpected argument '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error(CREATE_USAGE, "unexpected argument '%s'", argv[optind]);
	if (!req.gpu || !req.type)
		return usage_error(CREATE_USAGE, "%s", "--gpu and --type are required");
	mdev_ctx_set_log_fn(ctx, vgpuctl_log_stderr, NULL, MDEV_LOG_WARN);
	struct mdev_vgpu_list created = { 0 };
	if (mdev_vgpu_create(ctx, &req, &created) < 0)
		return vgpuctl_fail(ctx);
	for (size_t i = 0; i < created.n; i++)
		printf("%s\n", created.vgpus[i].id);
	mdev_vgpu_list_clear(&created);
	return 0;
}

/* ---- remove */

static const char REMOVE_USAGE[] =
	"Usage: vgpuctl remove ID...\n\n"
	"Removes vGPUs by id (as vgpuctl list shows them): stops what runs and drops the definition.\n"
	"The VFs of an Xe GPU are disabled together, so all of them must be named.\n";

int vgpuctl_remove(struct mdev_ctx *ctx, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return fputs(REMOVE_USAGE, stdout), 0;
		if (argv[i][0] == '-')
			return usage_error(REMOVE_USAGE, "unexpected argument '%s'", argv[i]);
	}
	if (argc < 2)
		return usage_error(REMOVE_USAGE, "%s", "no vGPU id given");
	mdev_ctx_set_log_fn(ctx, vgpuctl_log_stderr, NULL, MDEV_LOG_WARN);
	if (mdev_vgpu_remove(ctx, (const char *const *)argv + 1, (size_t)argc - 1) < 0)
		return vgpuctl_fail(ctx);
	return 0;
}

/* ---- start-defined */

static const char START_USAGE[] =
	"Usage: vgpuctl start-defined\n\n"
	"Boot: creates every SR-IOV vGPU defined with --auto (etc/vgpu.d): enables the VFs, sets\n"
	"NVIDIA types and Xe profiles. A GPU that fails is reported and the others go on; exit 1\n"
	"if any failed. mdev definitions are started by mdevctl (start-parent-mdevs).\n";

int vgpuctl_start_defined(struct mdev_ctx *ctx, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return fputs(START_USAGE, stdout), 0;
		return usage_error(START_USAGE, "unexpected argument '%s'", argv[i]);
	}
	mdev_ctx_set_log_fn(ctx, vgpuctl_log_stderr, NULL, MDEV_LOG_WARN);
	int r = mdev_vgpu_start_defined(ctx);
	if (r < 0)
		return vgpuctl_fail(ctx);
	return r ? 1 : 0;
}
