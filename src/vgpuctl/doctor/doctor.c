/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl doctor: is this host ready to split its Intel GPU into vGPUs (the seed's workflow),
 * and if not, what exactly to change. Each check reads the host through the context's root
 * (MDEVCTL_ENV_ROOT or /), so fixture trees stand in for hosts in tests. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../plan/gvtg_model.h"
#include "pciids.h"
#include "sriov_checks.h"
#include "vgpuctl.h"

#define IGPU "0000:00:02.0"

enum status { OK, WARN, FAIL, INFO };
static const char *const status_names[] = { "ok", "warn", "fail", "info" };

struct check {
	const char *id;
	enum status status;
	char detail[512];
	char fix[512];
};

struct report {
	struct check checks[64];
	size_t n;
};

static struct check *add(struct report *r, const char *id, enum status st)
{
	struct check *c = &r->checks[r->n++];
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->status = st;
	return c;
}

/* A small file under the root, trimmed; NULL if it cannot be read. */
static bool exists(struct mdev_ctx *ctx, const char *rel)
{
	struct stat st;
	return fstatat(mdev_ctx_get_root_fd(ctx), rel, &st, 0) == 0;
}

static int count_entries(struct mdev_ctx *ctx, const char *rel)
{
	int fd = openat(mdev_ctx_get_root_fd(ctx), rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static bool cmdline_has(const char *cmdline, const char *word)
{
	size_t l = strlen(word);
	for (const char *p = cmdline; p && (p = strstr(p, word)); p += l)
		if ((p == cmdline || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\0'))
			return true;
	return false;
}

static bool module_loaded(struct mdev_ctx *ctx, const char *name)
{
	char rel[128], buf[65536];
	snprintf(rel, sizeof(rel), "sys/module/%s", name);
	if (exists(ctx, rel))
		return true;
	char *mods = vgpuctl_read_attr(ctx, "proc/modules", buf, sizeof(buf));
	size_t l = strlen(name);
	for (char *line = mods; line && *line;) {
		if (!strncmp(line, name, l) && line[l] == ' ')
			return true;
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return false;
}

static void check_iommu(struct mdev_ctx *ctx, struct report *r, const char *cmdline)
{
	int groups = count_entries(ctx, "sys/kernel/iommu_groups");
	struct check *c = add(r, "iommu", groups > 0 ? OK : FAIL);
	if (groups > 0) {
		snprintf(c->detail, sizeof(c->detail), "IOMMU on: %d IOMMU groups", groups);
	} else {
		snprintf(c->detail, sizeof(c->detail), "IOMMU off: no group in /sys/kernel/iommu_groups");
		snprintf(c->fix, sizeof(c->fix),
			 "enable VT-d in the firmware setup, add intel_iommu=on to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub and reboot");
	}
	bool on = cmdline_has(cmdline, "intel_iommu=on");
	c = add(r, "iommu-cmdline", on ? OK : (groups > 0 ? WARN : FAIL));
	snprintf(c->detail, sizeof(c->detail), on ? "kernel command line has intel_iommu=on"
						  : "kernel command line lacks intel_iommu=on");
	if (!on)
		snprintf(c->fix, sizeof(c->fix),
			 "add intel_iommu=on to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub and reboot");
}

static void check_gvt_param(struct mdev_ctx *ctx, struct report *r, const char *cmdline)
{
	char buf[16];
	const char *p = vgpuctl_read_attr(ctx, "sys/module/i915/parameters/enable_gvt", buf, sizeof(buf));
	bool on = (p && (!strcmp(p, "Y") || !strcmp(p, "1"))) || cmdline_has(cmdline, "i915.enable_gvt=1");
	struct check *c = add(r, "enable-gvt", on ? OK : FAIL);
	snprintf(c->detail, sizeof(c->detail), on ? "i915.enable_gvt is on" : "i915.enable_gvt is off");
	if (!on)
		snprintf(c->fix, sizeof(c->fix),
			 "add i915.enable_gvt=1 to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub and reboot");
}

static void check_modules(struct mdev_ctx *ctx, struct report *r)
{
	static const char *const mods[] = { "kvmgt", "vfio_iommu_type1", "vfio_pci" };
	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		bool on = module_loaded(ctx, mods[i]) ||
			  (!strcmp(mods[i], "vfio_pci") && module_loaded(ctx, "vfio")); /* built in */
		struct check *c = add(r, mods[i], on ? OK : FAIL);
		snprintf(c->detail, sizeof(c->detail), "module %s %s", mods[i], on ? "loaded" : "not loaded");
		if (!on)
			snprintf(c->fix, sizeof(c->fix),
				 "modprobe %s, and add it to /etc/modules-load.d/vgpu.conf to load it at boot", mods[i]);
	}
}

/* The iGPU: generation and path from its PCI id; returns the path or -1. */
static int check_gpu(struct mdev_ctx *ctx, struct report *r)
{
	char v[32], d[32];
	const char *vendor = vgpuctl_read_attr(ctx, "sys/bus/pci/devices/" IGPU "/vendor", v, sizeof(v));
	const char *device = vgpuctl_read_attr(ctx, "sys/bus/pci/devices/" IGPU "/device", d, sizeof(d));
	if (!vendor || !device) {
		struct check *c = add(r, "gpu", FAIL);
		snprintf(c->detail, sizeof(c->detail), "no PCI device at " IGPU " (where Intel's integrated GPU sits)");
		snprintf(c->fix, sizeof(c->fix),
			 "GVT-g needs an Intel integrated GPU; a discrete GPU can go to one guest whole (PCI passthrough, <hostdev type='pci'>) or use its vendor's vGPU software");
		return -1;
	}
	unsigned long vid = strtoul(vendor, NULL, 16), did = strtoul(device, NULL, 16);
	if (vid != 0x8086) {
		struct check *c = add(r, "gpu", FAIL);
		snprintf(c->detail, sizeof(c->detail), IGPU " is not an Intel GPU (vendor %04lx)", vid);
		snprintf(c->fix, sizeof(c->fix), "no GVT-g here: give the GPU to one guest whole (PCI passthrough)");
		return -1;
	}
	const struct intel_gpu *g = NULL;
	for (unsigned int i = 0; i < n_intel_gpus && !g; i++)
		if (intel_gpus[i].device == did)
			g = &intel_gpus[i];
	if (!g) {
		struct check *c = add(r, "gpu", WARN);
		snprintf(c->detail, sizeof(c->detail), "Intel GPU %04lx is not in the kernel's id list", did);
		snprintf(c->fix, sizeof(c->fix), "a newer kernel may know it; GVT-g covers Gen 8 to 9.5 only");
		return PATH_PASSTHROUGH;
	}
	static const char *const what[] = {
		[PATH_GVTG_V4] = "GVT-g (i915-GVTg_V4_* vGPUs)",
		[PATH_GVTG_V5] = "GVT-g (i915-GVTg_V5_* vGPUs)",
		[PATH_SRIOV] = "SR-IOV virtual functions, not GVT-g",
		[PATH_NONE] = "no GPU sharing in mainline Linux (Gen 11)",
		[PATH_PASSTHROUGH] = "only PCI passthrough of the whole GPU",
	};
	bool gvt = g->path == PATH_GVTG_V4 || g->path == PATH_GVTG_V5;
	struct check *c = add(r, "gpu", gvt ? OK : FAIL);
	snprintf(c->detail, sizeof(c->detail), "Intel %s (%s%s%sPCI id 8086:%04lx): %s", g->platform,
		 g->gen ? "Gen " : "", g->gen ? g->gen : "", g->gen ? ", " : "", did, what[g->path]);
	if (g->path == PATH_SRIOV)
		snprintf(c->fix, sizeof(c->fix),
			 "use SR-IOV: echo N > /sys/bus/pci/devices/" IGPU "/sriov_numvfs (i915 with SR-IOV support), then give each VF to a guest with <hostdev type='pci'>");
	else if (!gvt)
		snprintf(c->fix, sizeof(c->fix),
			 "give the GPU to one guest whole (PCI passthrough), or use a paravirtual GPU (virtio-gpu)");
	return (int)g->path;
}

static int check_aperture(struct mdev_ctx *ctx, struct report *r)
{
	int mb = gvt_read_aperture(ctx, IGPU);
	if (!mb) {
		struct check *c = add(r, "aperture", WARN);
		snprintf(c->detail, sizeof(c->detail), "aperture size unknown (no BAR 2 in the GPU's resource file)");
		return 0;
	}
	static const int none[4] = { 0 };
	struct gvt_pool p = gvt_pool(mb, none);
	int n[4];
	for (int t = 0; t < 4; t++)
		n[t] = gvt_fit(&p, (size_t)t, NULL);
	int bn[4], best = gvt_best_aperture(bn);
	struct check *c = add(r, "aperture", mb == best ? OK : WARN);
	snprintf(c->detail, sizeof(c->detail), "aperture %d MiB: room for %d/%d/%d/%d vGPUs of types _1/_2/_4/_8",
		 mb, n[0], n[1], n[2], n[3]);
	if (mb < best)
		snprintf(c->fix, sizeof(c->fix),
			 "raise \"Aperture Size\" (or DVMT pre-allocated memory) to %d MiB in the firmware setup: %d/%d/%d/%d vGPUs",
			 best, bn[0], bn[1], bn[2], bn[3]);
	else if (mb > best)
		snprintf(c->fix, sizeof(c->fix),
			 "lower \"Aperture Size\" to %d MiB in the firmware setup: a larger aperture leaves less hidden memory, %d MiB gives %d/%d/%d/%d",
			 best, best, bn[0], bn[1], bn[2], bn[3]);
	return mb;
}

static void check_parent(struct mdev_ctx *ctx, struct report *r)
{
	bool on = exists(ctx, "sys/class/mdev_bus/" IGPU "/mdev_supported_types");
	struct check *c = add(r, "mdev-parent", on ? OK : FAIL);
	snprintf(c->detail, sizeof(c->detail), on ? IGPU " offers mediated device types"
						  : IGPU " is not an mdev parent (no mdev_supported_types)");
	if (!on)
		snprintf(c->fix, sizeof(c->fix),
			 "boot with i915.enable_gvt=1 and load kvmgt (modprobe kvmgt); then check again");
}

static void check_definitions(struct mdev_ctx *ctx, struct report *r)
{
	struct mdev_device_list defs = { 0 };
	struct mdev_parent_list types = { 0 };
	if (mdev_list_defined(ctx, NULL, NULL, &defs) < 0) {
		struct check *c = add(r, "definitions", WARN);
		snprintf(c->detail, sizeof(c->detail), "definitions unreadable: %s", mdev_ctx_error_message(ctx));
		return;
	}
	mdev_list_types(ctx, NULL, &types);
	size_t bad = 0, autos = 0;
	char list[400] = "";
	for (size_t i = 0; i < defs.n; i++) {
		const struct mdev_device *d = &defs.devices[i];
		autos += d->autostart;
		bool found = false;
		for (size_t p = 0; p < types.n && !found; p++)
			if (!strcmp(types.parents[p].name, d->parent))
				for (size_t t = 0; t < types.parents[p].n_types && !found; t++)
					found = !strcmp(types.parents[p].types[t].id, d->type);
		if (found)
			continue;
		bad++;
		size_t l = strlen(list);
		snprintf(list + l, sizeof(list) - l, "%s%s (%s on %s)", l ? ", " : "", d->uuid, d->type, d->parent);
	}
	struct check *c = add(r, "definitions", bad ? FAIL : OK);
	if (bad) {
		snprintf(c->detail, sizeof(c->detail), "%zu definition(s) name a parent or type that does not exist: %s",
			 bad, list);
		snprintf(c->fix, sizeof(c->fix),
			 "mdevctl undefine -u UUID for each, or define them again with a type from mdevctl types");
	} else {
		snprintf(c->detail, sizeof(c->detail), "%zu definition(s), %zu with start auto, all on existing parents and types",
			 defs.n, autos);
	}
	mdev_device_list_clear(&defs);
	mdev_parent_list_clear(&types);
}

static void check_autostart(struct mdev_ctx *ctx, struct report *r)
{
	static const char *const rules[] = { "usr/lib/udev/rules.d/60-mdevctl.rules",
					     "lib/udev/rules.d/60-mdevctl.rules",
					     "etc/udev/rules.d/60-mdevctl.rules" };
	char buf[4096];
	const char *text = NULL, *where = NULL;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]) && !text; i++)
		if ((text = vgpuctl_read_attr(ctx, rules[i], buf, sizeof(buf))))
			where = rules[i];
	struct check *c;
	if (!text) {
		c = add(r, "udev-rule", WARN);
		snprintf(c->detail, sizeof(c->detail), "no 60-mdevctl.rules: definitions do not start when their GPU appears");
		snprintf(c->fix, sizeof(c->fix), "install mdevkit (or mdevctl) with its udev rule");
	} else {
		/* the program the rule runs must exist (Debian's 1.2.0 rule names a missing path) */
		const char *p = strstr(text, "/mdevctl start-parent-mdevs");
		const char *b = p;
		while (b && b > text && b[-1] != ' ' && b[-1] != '{' && b[-1] != '\'' && b[-1] != '"')
			b--;
		char prog[256] = "";
		if (p)
			snprintf(prog, sizeof(prog), "%.*s", (int)(p - b) + 8, b);
		bool ok = prog[0] == '/' && exists(ctx, prog + 1);
		c = add(r, "udev-rule", ok ? OK : FAIL);
		snprintf(c->detail, sizeof(c->detail), "/%s runs %s%s", where, prog[0] ? prog : "no mdevctl",
			 ok ? "" : ", which does not exist: autostart never happens");
		if (!ok)
			snprintf(c->fix, sizeof(c->fix),
				 "install mdevkit, whose rule names the installed mdevctl (Debian's mdevctl 1.2.0 rule runs /usr/sbin/mdevctl but installs /usr/bin/mdevctl)");
	}
	bool unit = exists(ctx, "lib/systemd/system/mdev-autostart.service") ||
		    exists(ctx, "usr/lib/systemd/system/mdev-autostart.service");
	/* enabled = the wants link exists (its absolute target names the real root) */
	struct stat st;
	bool enabled = fstatat(mdev_ctx_get_root_fd(ctx),
			       "etc/systemd/system/multi-user.target.wants/mdev-autostart.service", &st,
			       AT_SYMLINK_NOFOLLOW) == 0;
	c = add(r, "autostart-service", unit && enabled ? OK : WARN);
	snprintf(c->detail, sizeof(c->detail), !unit ? "mdev-autostart.service not installed" :
		 enabled ? "mdev-autostart.service enabled: vGPUs start before libvirt starts guests" :
			   "mdev-autostart.service installed but not enabled");
	if (!unit || !enabled)
		snprintf(c->fix, sizeof(c->fix),
			 "systemctl enable mdev-autostart.service, so guests that autostart find their vGPUs");
}

/* sriov_checks.c reports through this */
static void add_sriov(void *report, const char *id, int status, const char *detail, const char *fix)
{
	struct report *r = report;
	if (r->n == sizeof(r->checks) / sizeof(r->checks[0]))
		return;
	struct check *c = add(r, id, (enum status)status);
	snprintf(c->detail, sizeof(c->detail), "%s", detail);
	snprintf(c->fix, sizeof(c->fix), "%s", fix);
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: vgpuctl doctor [--json]\n\n"
		   "Checks that this host (or MDEVCTL_ENV_ROOT) is ready to split its Intel GPU into\n"
		   "GVT-g vGPUs, and prints the fix for each problem. Exit status 0 when ready, 1 if not.\n");
}

int vgpuctl_doctor(struct mdev_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j")) {
			json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "Error: unexpected argument '%s'\n\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	struct report r = { .n = 0 };
	char cmd[4096];
	const char *cmdline = vgpuctl_read_attr(ctx, "proc/cmdline", cmd, sizeof(cmd));
	if (!cmdline)
		cmdline = "";
	int path = check_gpu(ctx, &r);
	check_iommu(ctx, &r, cmdline);
	if (path == PATH_GVTG_V4 || path == PATH_GVTG_V5) {
		check_gvt_param(ctx, &r, cmdline);
		check_modules(ctx, &r);
		check_aperture(ctx, &r);
		check_parent(ctx, &r);
	}
	/* SR-IOV GPUs (issue 20): when there are some, a missing GVT-g iGPU is no failure */
	if (doctor_sriov(ctx, &r, add_sriov) > 0 && r.checks[0].status == FAIL) {
		r.checks[0].status = INFO;
		snprintf(r.checks[0].fix, sizeof(r.checks[0].fix),
			 "no GVT-g here: the SR-IOV GPUs are checked below");
	}
	check_definitions(ctx, &r);
	check_autostart(ctx, &r);
	bool ready = true;
	for (size_t i = 0; i < r.n; i++)
		ready &= r.checks[i].status != FAIL;
	if (json) {
		struct json_object *o = json_object_new_object(), *arr = json_object_new_array();
		for (size_t i = 0; i < r.n; i++) {
			struct json_object *c = json_object_new_object();
			json_object_object_add(c, "check", json_object_new_string(r.checks[i].id));
			json_object_object_add(c, "status", json_object_new_string(status_names[r.checks[i].status]));
			json_object_object_add(c, "detail", json_object_new_string(r.checks[i].detail));
			if (r.checks[i].fix[0])
				json_object_object_add(c, "fix", json_object_new_string(r.checks[i].fix));
			json_object_array_add(arr, c);
		}
		json_object_object_add(o, "ready", json_object_new_boolean(ready));
		json_object_object_add(o, "checks", arr);
		vgpuctl_print_json(o);
		json_object_put(o);
	} else {
		for (size_t i = 0; i < r.n; i++) {
			printf("[%-4s] %-18s %s\n", status_names[r.checks[i].status], r.checks[i].id, r.checks[i].detail);
			if (r.checks[i].fix[0])
				printf("       %-18s fix: %s\n", "", r.checks[i].fix);
		}
		printf("\n%s\n", ready ? "Ready: this host can run the vGPU walkthrough."
				       : "Not ready: apply the fixes above, then run vgpuctl doctor again.");
	}
	return ready ? 0 : 1;
}
