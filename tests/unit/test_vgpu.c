/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/fw_nvidia.c, fw_xe.c, vgpu_def.c, sriov.c: each framework's parsing (issue 20), and the
 * neutral view over a small fixture root. */
#include <mdev/mdev.h>
#include "check.h"
#include "fixture.h"
#include "vgpu.h"

static void test_nvidia(void)
{
	struct nv_types t;
	CHECK("nv: header line skipped",
	      nv_parse_types(NULL, "ID    : vGPU Name\n1414 : NVIDIA H200X-1-18C\n1428 : NVIDIA H200X-141C\n", &t) == 0 &&
		      t.n == 2 && t.v[0].id == 1414 && !strcmp(t.v[0].name, "NVIDIA H200X-1-18C") &&
		      t.v[1].id == 1428);
	nv_types_clear(&t);
	CHECK("nv: without header",
	      nv_parse_types(NULL, "1158 : NVIDIA L40S-4Q\n", &t) == 0 && t.n == 1 && t.v[0].id == 1158);
	nv_types_clear(&t);
	CHECK("nv: spaces, tabs and trailing spaces trimmed",
	      nv_parse_types(NULL, "  1414\t:   NVIDIA H200X-1-18C  \n", &t) == 0 && t.n == 1 &&
		      !strcmp(t.v[0].name, "NVIDIA H200X-1-18C"));
	nv_types_clear(&t);
	CHECK("nv: blank lines and CRs skipped",
	      nv_parse_types(NULL, "\n\n1414 : A-1Q\r\n\n1428 : B-2Q\n\n", &t) == 0 && t.n == 2 &&
		      !strcmp(t.v[0].name, "A-1Q"));
	nv_types_clear(&t);
	CHECK("nv: without colon", nv_parse_types(NULL, "1414 NVIDIA H200X-1-18C\n", &t) == 0 &&
					   t.n == 1 && !strcmp(t.v[0].name, "NVIDIA H200X-1-18C"));
	nv_types_clear(&t);
	CHECK("nv: id without name, id 0, id too big, junk ids skipped",
	      nv_parse_types(NULL, "1414 :\n0 : Zero-1Q\n70000 : Big-1Q\n12x : Junk-1Q\n-5 : Neg-1Q\nfoo : bar\n63 : GRID P40-2Q\n", &t) == 0 &&
		      t.n == 1 && t.v[0].id == 63);
	nv_types_clear(&t);
	CHECK("nv: empty file", nv_parse_types(NULL, "", &t) == 0 && t.n == 0);
	nv_types_clear(&t);
	CHECK("nv: a repeated id keeps the first",
	      nv_parse_types(NULL, "1 : A-1Q\n1 : B-1Q\n", &t) == 0 && t.n == 1 && !strcmp(t.v[0].name, "A-1Q"));
	nv_types_clear(&t);
	nv_parse_types(NULL, "1158 : NVIDIA L40S-4Q\n63 : GRID P40-2Q\n1164 : NVIDIA L40S-48Q\n", &t);
	CHECK("nv: find by full name", nv_types_find(&t, "NVIDIA L40S-4Q") && nv_types_find(&t, "NVIDIA L40S-4Q")->id == 1158);
	CHECK("nv: find by short name", nv_types_find(&t, "L40S-48Q") && nv_types_find(&t, "L40S-48Q")->id == 1164);
	CHECK("nv: find GRID short name", nv_types_find(&t, "P40-2Q") && nv_types_find(&t, "P40-2Q")->id == 63);
	CHECK("nv: find by id", nv_types_find(&t, "1164") && !strcmp(nv_types_find(&t, "1164")->name, "NVIDIA L40S-48Q"));
	CHECK("nv: unknown id or name", !nv_types_find(&t, "9999") && !nv_types_find(&t, "L40S-4") &&
						!nv_types_find(&t, "l40s-4q"));
	nv_types_clear(&t);
	CHECK("nv: framebuffer sizes", nv_type_fb_gb("NVIDIA L40S-4Q") == 4 &&
					       nv_type_fb_gb("NVIDIA H200X-1-18C") == 18 &&
					       nv_type_fb_gb("NVIDIA RTX6000-Ada-2Q") == 2 &&
					       nv_type_fb_gb("L40S-48A") == 48 && nv_type_fb_gb("GRID P40-2Q") == 2);
	CHECK("nv: no size in the name", nv_type_fb_gb("NVIDIA L40S") == 0 && nv_type_fb_gb("x-Q") == 0 &&
						 nv_type_fb_gb("x-4") == 0 && nv_type_fb_gb(NULL) == 0);
}

static void test_xe(struct mdev_ctx *ctx)
{
	CHECK("xe: priority in brackets", xe_parse_priority("[low] normal high\n") == XE_PRIO_LOW &&
						  xe_parse_priority("low [normal] high") == XE_PRIO_NORMAL &&
						  xe_parse_priority("low normal [high]\n") == XE_PRIO_HIGH);
	CHECK("xe: a bare word", xe_parse_priority("normal\n") == XE_PRIO_NORMAL);
	CHECK("xe: malformed priorities", xe_parse_priority("low normal high") == XE_PRIO_NONE &&
						  xe_parse_priority("[urgent] low") == XE_PRIO_NONE &&
						  xe_parse_priority("[low") == XE_PRIO_NONE &&
						  xe_parse_priority("") == XE_PRIO_NONE);
	struct xe_profile p;
	CHECK("xe: full profile",
	      xe_parse_profile(ctx, "sched_priority=high,exec_quantum_ms=20,preempt_timeout_us=1000", &p) == 0 &&
		      p.has_eq && p.eq == 20 && p.has_pt && p.pt == 1000 && p.prio == XE_PRIO_HIGH);
	char *s = xe_format_profile(&p);
	CHECK_STR("xe: canonical order", s, "exec_quantum_ms=20,preempt_timeout_us=1000,sched_priority=high");
	free(s);
	CHECK("xe: 0 is unlimited and u32 max is allowed",
	      xe_parse_profile(ctx, "exec_quantum_ms=0,preempt_timeout_us=4294967295", &p) == 0 &&
		      p.eq == 0 && p.pt == 4294967295u && p.prio == XE_PRIO_NONE);
	static const char *const bad[] = {
		"", "exec_quantum_ms", "exec_quantum_ms=", "exec_quantum_ms=-1", "exec_quantum_ms=4294967296",
		"exec_quantum_ms=1x", "preempt_timeout_us= 5", "sched_priority=urgent", "sched_priority=High",
		"vram_quota=", "vram_quota=-1", "vram_quota=4g", "vram_quota=4GB", "vram_quota=4 G",
		"vram_quota=0x100", "vram_quota=2T", "vram_quota=1099511627777", "vram_quota=99999999999999G",
		"vram_quota=4G,vram_quota=4G", "exec_quantum_ms=1,exec_quantum_ms=2",
		"sched_priority=low,sched_priority=low",
	};
	bool all = true;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (xe_parse_profile(ctx, bad[i], &p) != -EINVAL || !*mdev_ctx_error_message(ctx)) {
			printf("# accepted: %s\n", bad[i]);
			all = false;
		}
	}
	CHECK("xe: bad profiles refused with a reason", all);
	/* vram_quota (Linux 7.0): bytes, or a number with a binary unit; kept in the largest unit
	 * that divides it, so that the definition reads back the same */
	static const struct { const char *in, *canon; unsigned long long bytes; } sizes[] = {
		{ "vram_quota=4G", "vram_quota=4G", 4ULL << 30 },
		{ "vram_quota=4GiB", "vram_quota=4G", 4ULL << 30 },
		{ "vram_quota=4096M", "vram_quota=4G", 4ULL << 30 },
		{ "vram_quota=1536MiB", "vram_quota=1536M", 1536ULL << 20 },
		{ "vram_quota=4294967296", "vram_quota=4G", 4ULL << 30 },
		{ "vram_quota=4097", "vram_quota=4097", 4097 },
		{ "vram_quota=2048K", "vram_quota=2M", 2ULL << 20 },
		{ "vram_quota=1T", "vram_quota=1T", 1ULL << 40 },
		{ "vram_quota=0", "vram_quota=0", 0 },
		{ "vram_quota=2G,sched_priority=low", "sched_priority=low,vram_quota=2G", 2ULL << 30 },
	};
	all = true;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *c = NULL;
		if (xe_parse_profile(ctx, sizes[i].in, &p) != 0 || !p.has_vram || p.vram != sizes[i].bytes ||
		    !(c = xe_format_profile(&p)) || strcmp(c, sizes[i].canon)) {
			printf("# %s: %s\n", sizes[i].in, c ? c : mdev_ctx_error_message(ctx));
			all = false;
		}
		free(c);
	}
	CHECK("xe: vram_quota sizes and their canonical text", all);
	CHECK("xe: no vram_quota, none written", xe_parse_profile(ctx, "exec_quantum_ms=1", &p) == 0 &&
							 !p.has_vram);
}

static void test_defs(struct mdev_ctx *ctx)
{
	struct mdev_vgpu v = { 0 };
	const char *nv = "{\"framework\":\"nvidia-vfio\",\"type\":\"NVIDIA L40S-4Q\",\"type_id\":1158,\"start\":\"auto\"}";
	CHECK("def: NVIDIA", vgpu_def_parse(ctx, nv, strlen(nv), &v) == 0 &&
				     v.framework == MDEV_VGPU_FW_NVIDIA_VFIO && v.type_id == 1158 && v.autostart &&
				     !strcmp(v.type, "NVIDIA L40S-4Q"));
	v.gpu = strdup("0000:41:00.0");
	v.vf = 3;
	char *text = vgpu_def_format(&v);
	struct mdev_vgpu w = { 0 };
	CHECK("def: format parses back", text && vgpu_def_parse(ctx, text, strlen(text), &w) == 0 &&
						 w.type_id == 1158 && w.autostart);
	free(text);
	vgpu_clear(&v);
	vgpu_clear(&w);
	const char *xe = "{\"framework\":\"xe-sriov\",\"type\":\"xe-vf\",\"start\":\"manual\",\"profile\":\"sched_priority=low,exec_quantum_ms=5\"}";
	CHECK("def: Xe profile made canonical", vgpu_def_parse(ctx, xe, strlen(xe), &v) == 0 &&
							 !v.autostart && v.profile &&
							 !strcmp(v.profile, "exec_quantum_ms=5,sched_priority=low"));
	vgpu_clear(&v);
	static const char *const bad[] = {
		"", "[]", "null", "{\"framework\":\"nvidia-vfio\",\"type\":\"X-1Q\",\"start\":\"auto\"}",
		"{\"framework\":\"nvidia-vfio\",\"type\":\"X-1Q\",\"type_id\":0,\"start\":\"auto\"}",
		"{\"framework\":\"nvidia-vfio\",\"type\":\"X-1Q\",\"type_id\":\"5\",\"start\":\"auto\"}",
		"{\"framework\":\"nvidia-vfio\",\"type\":\"\",\"type_id\":5,\"start\":\"auto\"}",
		"{\"framework\":\"nvidia-vfio\",\"type\":\"X-1Q\",\"type_id\":5,\"start\":\"yes\"}",
		"{\"framework\":\"mdev\",\"type\":\"X-1Q\",\"type_id\":5,\"start\":\"auto\"}",
		"{\"framework\":\"nvidia-vfio\",\"type\":\"X-1Q\",\"type_id\":5,\"start\":\"auto\",\"x\":1}",
		"{\"framework\":\"nvidia-vfio\",\"type\":\"X-1Q\",\"type_id\":5,\"start\":\"auto\",\"profile\":\"\"}",
		"{\"framework\":\"xe-sriov\",\"type\":\"X-1Q\",\"start\":\"auto\"}",
		"{\"framework\":\"xe-sriov\",\"type\":\"xe-vf\",\"type_id\":5,\"start\":\"auto\"}",
		"{\"framework\":\"xe-sriov\",\"type\":\"xe-vf\",\"start\":\"auto\",\"profile\":\"sched_priority=x\"}",
		"{\"framework\":\"xe-sriov\",\"type\":\"xe-vf\",\"start\":\"auto\"",
	};
	bool all = true;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mdev_vgpu b = { 0 };
		if (vgpu_def_parse(ctx, bad[i], strlen(bad[i]), &b) >= 0) {
			printf("# accepted: %s\n", bad[i]);
			all = false;
		}
		vgpu_clear(&b);
	}
	CHECK("def: invalid definitions refused", all);
	char gpu[16];
	unsigned vf = 0;
	CHECK("slot: parsed", parse_vf_slot("0000:41:00.0/vf12", gpu, sizeof(gpu), &vf) == 0 && vf == 12 &&
				      !strcmp(gpu, "0000:41:00.0"));
	CHECK("slot: malformed", parse_vf_slot("0000:41:00.0/vf0", gpu, sizeof(gpu), &vf) < 0 &&
					 parse_vf_slot("0000:41:00.0/vf", gpu, sizeof(gpu), &vf) < 0 &&
					 parse_vf_slot("x/vf1", gpu, sizeof(gpu), &vf) < 0 &&
					 parse_vf_slot("0000:41:00.0/vf1x", gpu, sizeof(gpu), &vf) < 0);
	CHECK("pci addresses", is_pci_address("0000:41:00.0") && is_pci_address("0000:af:1f.7") &&
				       !is_pci_address("0000:41:00") && !is_pci_address("0000:41:00.0/") &&
				       !is_pci_address("../../etc.") && !is_pci_address("0000:4g:00.0"));
}

/* a PF bound to nvidia with two VFs, one holding a vGPU */
static void test_view(void)
{
	fx_root();
	fx_mkdir_p("sys/bus/pci/drivers/nvidia");
	fx_mkdir_p("sys/devices/pci0000:40/0000:41:00.0");
	fx_mkdir_p("sys/bus/pci/devices");
	fx_symlink("../../../devices/pci0000:40/0000:41:00.0", "sys/bus/pci/devices/0000:41:00.0");
	fx_symlink("../../../bus/pci/drivers/nvidia", "sys/devices/pci0000:40/0000:41:00.0/driver");
	fx_write("sys/devices/pci0000:40/0000:41:00.0/sriov_totalvfs", "2\n");
	fx_write("sys/devices/pci0000:40/0000:41:00.0/sriov_numvfs", "2\n");
	const char *vfs[] = { "0000:41:00.4", "0000:41:00.5" };
	for (int i = 0; i < 2; i++) {
		char p[256], l[128];
		snprintf(p, sizeof(p), "sys/devices/pci0000:40/%s/nvidia", vfs[i]);
		fx_mkdir_p(p);
		snprintf(p, sizeof(p), "sys/devices/pci0000:40/%s/nvidia/current_vgpu_type", vfs[i]);
		fx_write(p, i ? "0\n" : "1158\n");
		snprintf(p, sizeof(p), "sys/devices/pci0000:40/%s/nvidia/creatable_vgpu_types", vfs[i]);
		fx_write(p, i ? "1158 : NVIDIA L40S-4Q\n" : "");
		snprintf(p, sizeof(p), "sys/devices/pci0000:40/0000:41:00.0/virtfn%d", i);
		snprintf(l, sizeof(l), "../%s", vfs[i]);
		fx_symlink(l, p);
		snprintf(p, sizeof(p), "sys/bus/pci/devices/%s", vfs[i]);
		snprintf(l, sizeof(l), "../../../devices/pci0000:40/%s", vfs[i]);
		fx_symlink(l, p);
	}
	struct mdev_ctx *ctx;
	if (mdev_ctx_new(fx_dir, &ctx) < 0)
		return;
	struct mdev_vgpu_list l = { 0 };
	CHECK("view: the running NVIDIA vGPU, named from a free VF's list",
	      mdev_vgpu_list(ctx, NULL, &l) == 0 && l.n == 1 && !strcmp(l.vgpus[0].id, "0000:41:00.4") &&
		      l.vgpus[0].type && !strcmp(l.vgpus[0].type, "NVIDIA L40S-4Q") && l.vgpus[0].vf == 1 &&
		      l.vgpus[0].framework == MDEV_VGPU_FW_NVIDIA_VFIO && l.vgpus[0].active);
	mdev_vgpu_list_clear(&l);
	struct mdev_vgpu_gpu_list g = { 0 };
	CHECK("view: types of the GPU", mdev_vgpu_types(ctx, NULL, &g) == 0 && g.n == 1 &&
						g.gpus[0].n_types == 1 && g.gpus[0].types[0].available == 1 &&
						g.gpus[0].used_vfs == 1);
	mdev_vgpu_gpu_list_clear(&g);
	struct mdev_vgpu_create_req req = { .gpu = "0000:41:00.0", .type = "L40S-4Q", .count = 2 };
	struct mdev_vgpu_list created = { 0 };
	CHECK("view: two do not fit, the message says why",
	      mdev_vgpu_create(ctx, &req, &created) == -ENOSPC &&
		      strstr(mdev_ctx_error_message(ctx), "only 1 more fit") && created.n == 0);
	req.count = 1;
	req.define = true;
	CHECK("view: one does", mdev_vgpu_create(ctx, &req, &created) == 0 && created.n == 1 &&
					!strcmp(created.vgpus[0].id, "0000:41:00.5") && created.vgpus[0].defined);
	mdev_vgpu_list_clear(&created);
	CHECK("view: listed as defined", mdev_vgpu_list(ctx, "0000:41:00.0", &l) == 0 && l.n == 2 &&
						 l.vgpus[1].defined && l.vgpus[1].vf == 2);
	mdev_vgpu_list_clear(&l);
	const char *ids[] = { "0000:41:00.5" };
	CHECK("view: removed with its definition", mdev_vgpu_remove(ctx, ids, 1) == 0 &&
							   mdev_vgpu_list(ctx, NULL, &l) == 0 && l.n == 1);
	mdev_vgpu_list_clear(&l);
	CHECK("view: an unknown GPU", mdev_vgpu_create(ctx, &(struct mdev_vgpu_create_req){ .gpu = "0000:99:00.0", .type = "x" }, NULL) == -ENODEV);
	CHECK("view: a GPU name that is a path", mdev_vgpu_create(ctx, &(struct mdev_vgpu_create_req){ .gpu = "../x", .type = "x" }, NULL) == -EINVAL);
	mdev_ctx_free(ctx);
	fx_cleanup();
}

int main(void)
{
	struct mdev_ctx *ctx;
	if (mdev_ctx_new("/", &ctx) < 0)
		return 1;
	test_nvidia();
	test_xe(ctx);
	test_defs(ctx);
	mdev_ctx_free(ctx);
	test_view();
	return check_failed;
}
