/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's model: every profile loads, GVT-g counts follow docs/gvtg.md, and create/
 * remove give the kernel's errnos. Prints PASS/FAIL lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model.h"
#include "../tests/unit/check.h"

static int load(struct sim_model *m, const char *name)
{
	char path[512], err[256];
	snprintf(path, sizeof(path), PROFILES "/%s.conf", name);
	int r = sim_model_load(m, path, err, sizeof(err));
	if (r < 0)
		printf("# %s\n", err);
	return r;
}

static void counts(const char *profile, const int want[4])
{
	struct sim_model m;
	char name[128], got[64] = "", exp[64];
	if (load(&m, profile) < 0) {
		snprintf(name, sizeof(name), "sim profile %s loads", profile);
		CHECK(name, 0);
		return;
	}
	for (size_t t = 0; t < 4; t++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%d ", sim_available(&m, 0, t));
	snprintf(exp, sizeof(exp), "%d %d %d %d ", want[0], want[1], want[2], want[3]);
	snprintf(name, sizeof(name), "sim %s: _1/_2/_4/_8 available %s", profile, exp);
	CHECK(name, !strcmp(got, exp));
	if (strcmp(got, exp))
		printf("# got %s\n", got);
	sim_model_free(&m);
}

/* Issue 17.9: a profile is read with a bound, and a line too long is an error, not two lines. */
static void test_profile_bounds(void)
{
	struct sim_model m;
	char path[] = "/tmp/mdevkit-sim-profile-XXXXXX", err[256] = "";
	int fd = mkstemp(path);
	const char *head = "[parent p]\nmodel = fixed\n";
	bool wrote = fd >= 0 && write(fd, head, strlen(head)) == (ssize_t)strlen(head);
	char comment[100];
	memset(comment, '#', sizeof(comment) - 1);
	comment[sizeof(comment) - 1] = '\n';
	for (size_t n = strlen(head); wrote && n <= SIM_PROFILE_MAX; n += sizeof(comment))
		wrote = write(fd, comment, sizeof(comment)) == (ssize_t)sizeof(comment);
	if (fd >= 0)
		close(fd);
	CHECK("sim profile over 1 MiB refused",
	      wrote && sim_model_load(&m, path, err, sizeof(err)) < 0 && strstr(err, "larger than 1048576 bytes"));
	fd = open(path, O_WRONLY | O_TRUNC);
	char longline[700];
	memset(longline, 'x', sizeof(longline));
	memcpy(longline, "[parent p]\nmodel = fixed\n[type t]\nname = ", 41);
	longline[sizeof(longline) - 1] = '\n';
	wrote = fd >= 0 && write(fd, longline, sizeof(longline)) == (ssize_t)sizeof(longline);
	if (fd >= 0)
		close(fd);
	err[0] = '\0';
	CHECK("sim profile line over 510 bytes refused",
	      wrote && sim_model_load(&m, path, err, sizeof(err)) < 0 && strstr(err, "line longer than 510 bytes"));
	unlink(path);
}

/* kstrtoul(base 0) as lib/kstrtox.c reads what sysfs hands a store */
static void kernel_parsing(void)
{
	static const struct {
		const char *in;
		size_t len;
		int ret;
		unsigned long long v;
	} k[] = {
		{ "1", 1, 0, 1 }, { "1\n", 2, 0, 1 }, { "+1", 2, 0, 1 }, { "0x1f", 4, 0, 31 },
		{ "0X1F", 4, 0, 31 }, { "017", 3, 0, 15 }, { "0", 1, 0, 0 }, { "10", 2, 0, 10 },
		{ "18446744073709551615", 20, 0, ~0ULL }, { "1\0junk", 6, 0, 1 },
		{ " 1", 2, -EINVAL, 0 }, { "-1", 2, -EINVAL, 0 }, { "1 ", 2, -EINVAL, 0 },
		{ "1\n\n", 3, -EINVAL, 0 }, { "", 0, -EINVAL, 0 }, { "\n", 1, -EINVAL, 0 },
		{ "0x", 2, -EINVAL, 0 }, { "08", 2, -EINVAL, 0 }, { "0xg", 3, -EINVAL, 0 },
		{ "y", 1, -EINVAL, 0 }, { "++1", 3, -EINVAL, 0 },
		{ "18446744073709551616", 20, -ERANGE, 0 }, { "0x10000000000000000", 19, -ERANGE, 0 },
	};
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		unsigned long long v = 12345;
		int r = sim_kstrtoul(k[i].in, k[i].len, &v);
		char name[96];
		snprintf(name, sizeof(name), "sim kstrtoul case %zu gives %d", i, k[i].ret);
		CHECK(name, r == k[i].ret && (r < 0 || v == k[i].v));
	}
	static const struct {
		const char *in;
		int ret;
	} u[] = { { "change", 0 }, { "change\n", 0 }, { "add", 0 }, { "unbind\n", 0 },
		  { "change 7686131b-b229-4768-a02c-35d1dbed7c66", 0 }, { "bogus", -EINVAL },
		  { "change\n\n", -EINVAL }, { "\n", -EINVAL }, { "chang", -EINVAL },
		  { "changes", -EINVAL } };
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		char name[96];
		snprintf(name, sizeof(name), "sim uevent action case %zu gives %d", i, u[i].ret);
		CHECK(name, sim_uevent_action(u[i].in, strlen(u[i].in)) == u[i].ret);
	}

	struct sim_model m;
	if (load(&m, "seed-gvtg") < 0)
		return;
	const char *u37 = "7686131b-b229-4768-a02c-35d1dbed7c66x";
	CHECK("sim create takes 37 bytes whatever the last", sim_create(&m, 0, 2, u37, 37) == 0 &&
	      !strcmp(m.devices[0].uuid, "7686131b-b229-4768-a02c-35d1dbed7c66"));
	CHECK("sim create refuses 35 bytes", sim_create(&m, 0, 2, u37, 35) == -EINVAL);
	CHECK("sim create refuses 38 bytes", sim_create(&m, 0, 2, "7686131b-b229-4768-a02c-35d1dbed7c66\n\n", 38) == -EINVAL);
	const char *keep[] = { " 1", "-1", "18446744073709551616", "1 ", "y" };
	for (size_t i = 0; i < 5; i++) {
		char name[96];
		snprintf(name, sizeof(name), "sim remove '%s' is EINVAL and keeps the device", keep[i]);
		CHECK(name, sim_remove(&m, 0, keep[i], strlen(keep[i])) == -EINVAL && m.n_devices == 1);
	}
	CHECK("sim remove 0x1 removes", sim_remove(&m, 0, "0x1", 3) == 0 && m.n_devices == 0);
	sim_create(&m, 0, 2, u37, 36);
	CHECK("sim remove 2 removes", sim_remove(&m, 0, "2\n", 2) == 0 && m.n_devices == 0);
	sim_model_free(&m);
}

/* what a profile's kernel decides */
static void kernel_versions(void)
{
	struct sim_model m;
	CHECK("sim seed imitates a kernel before 5.16", load(&m, "seed-gvtg") == 0 && m.kernel == 515);
	CHECK("sim seed types have no name (as the seed)", !m.parents[0].types[2].name[0]);
	CHECK("sim seed mdevs bind to vfio_mdev", !strcmp(m.parents[0].mdev_driver, "vfio_mdev"));
	CHECK("sim seed GPU is driven by i915", !strcmp(m.parents[0].driver, "i915"));
	sim_model_free(&m);
	CHECK("sim gvtg-6.1 profile loads", load(&m, "gvtg-6.1") == 0 && m.kernel == 601);
	CHECK("sim 6.1 types are named without the driver prefix",
	      !strcmp(m.parents[0].types[2].name, "GVTg_V5_4"));
	CHECK("sim 6.1 GVT-g mdevs bind to kvmgt's intel_vgpu_mdev",
	      !strcmp(m.parents[0].mdev_driver, "intel_vgpu_mdev") &&
	      !strcmp(sim_driver_module(m.parents[0].mdev_driver), "kvmgt"));
	CHECK("sim 6.1 profile has no host IOMMU groups (as the QEMU guest)", m.iommu_groups == 0);
	CHECK("sim 6.1 parent's class and subsystem", m.parents[0].pci_class == 0x030000 &&
	      m.parents[0].pci_subvendor == 0x8086 && m.parents[0].pci_subdevice == 0x2212);
	sim_model_free(&m);
	CHECK("sim nvidia keeps its own names on 6.1 too", load(&m, "nvidia") == 0 &&
	      !strcmp(m.parents[0].types[0].name, "GRID M60-0B"));
	sim_model_free(&m);
	static const char *const bad[][2] = {
		{ "[parent p]\nmodel = fixed\n[host]\nkernel = six\n", "kernel must be MAJOR.MINOR" },
		{ "[parent p]\nmodel = fixed\n[host]\nkernel = 6.1.0\n", "kernel must be MAJOR.MINOR" },
		{ "[parent p]\nmodel = fixed\npci_class = vga\n", "pci_class must be 6 hex digits" },
		{ "[parent p]\nmodel = fixed\npci_subsys = 8086\n", "pci_subsys must be VENDOR:DEVICE" },
		{ "[parent p]\nmodel = fixed\ndriver = a/b\n", "a driver is a name" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[] = "/tmp/mdevkit-sim-profile-XXXXXX", err[256] = "";
		int fd = mkstemp(path);
		if (fd < 0 || write(fd, bad[i][0], strlen(bad[i][0])) < 0)
			return;
		close(fd);
		char name[128];
		snprintf(name, sizeof(name), "sim profile refused: %s", bad[i][1]);
		CHECK(name, sim_model_load(&m, path, err, sizeof(err)) < 0 && strstr(err, bad[i][1]));
		unlink(path);
	}
	/* a 6.1 fixed parent without names: the type's own name after the driver prefix */
	char path[] = "/tmp/mdevkit-sim-profile-XXXXXX";
	const char *text = "[parent p]\nmodel = fixed\n[type mtty-2]\ninstances = 2\n[host]\nkernel = 6.1\n";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		return;
	close(fd);
	char err[256];
	CHECK("sim 6.1 names an unnamed type by its sysfs name",
	      sim_model_load(&m, path, err, sizeof(err)) == 0 && !strcmp(m.parents[0].types[0].name, "2"));
	sim_model_free(&m);
	unlink(path);
}

/* IOMMU groups and vfio numbers: the lowest free, after the host's groups */
static void groups(void)
{
	struct sim_model m;
	if (load(&m, "seed-gvtg") < 0)
		return;
	const char *a = "00000000-0000-4000-8000-00000000000a", *b = "00000000-0000-4000-8000-00000000000b",
		   *c = "00000000-0000-4000-8000-00000000000c";
	sim_create(&m, 0, 3, a, 36);
	sim_create(&m, 0, 3, b, 36);
	CHECK("sim first mdev's group follows the host's 16", m.devices[0].group == 16 && m.devices[0].vfio == 0);
	CHECK("sim second mdev's group", m.devices[1].group == 17 && m.devices[1].vfio == 1);
	CHECK("sim group 17 holds the second", sim_group_device(&m, 17) == 1 && sim_group_device(&m, 3) < 0);
	unsigned long serial = m.devices[0].serial;
	sim_remove(&m, 0, "1", 1);
	sim_create(&m, 0, 3, c, 36);
	CHECK("sim a freed group and vfio number are used again", m.devices[1].group == 16 &&
	      m.devices[1].vfio == 0 && sim_vfio_device(&m, 0) == 1);
	CHECK("sim serials are never reused", m.devices[1].serial != serial && m.devices[1].serial > m.devices[0].serial);
	sim_model_free(&m);
}

int main(void)
{
	counts("seed-gvtg", (const int[]){ 1, 2, 5, 7 });
	counts("gvtg-256", (const int[]){ 0, 0, 1, 2 });
	counts("gvtg-512", (const int[]){ 0, 1, 3, 6 });
	counts("gvtg-2048", (const int[]){ 0, 1, 3, 4 });

	struct sim_model m;
	CHECK("sim seed profile loads", load(&m, "seed-gvtg") == 0);
	CHECK("sim seed types are V5", !strcmp(m.parents[0].types[2].id, "i915-GVTg_V5_4"));
	CHECK("sim seed GPU is a Coffee Lake PCI device", m.parents[0].pci_vendor == 0x8086 &&
	      m.parents[0].pci_device == 0x3e92);
	CHECK("sim seed host has IOMMU groups", m.iommu_groups == 16);
	CHECK("sim seed description", !strcmp(m.parents[0].types[2].description,
		"low_gm_size: 128MB\nhigh_gm_size: 512MB\nfence: 4\nresolution: 1920x1200\nweight: 4"));
	const char *u = "7686131b-b229-4768-a02c-35d1dbed7c66";
	CHECK("sim create malformed UUID is EINVAL", sim_create(&m, 0, 2, "not-a-uuid", 10) == -EINVAL);
	CHECK("sim create without hyphens is EINVAL",
	      sim_create(&m, 0, 2, "7686131bb2294768a02c35d1dbed7c66", 32) == -EINVAL);
	CHECK("sim create", sim_create(&m, 0, 2, u, strlen(u)) == 0 && m.n_devices == 1);
	CHECK("sim create duplicate is EEXIST", sim_create(&m, 0, 3, u, strlen(u)) == -EEXIST);
	CHECK("sim create uppercase duplicate is EEXIST",
	      sim_create(&m, 0, 3, "7686131B-B229-4768-A02C-35D1DBED7C66\n", 37) == -EEXIST);
	int after[4];
	for (int t = 0; t < 4; t++)
		after[t] = sim_available(&m, 0, (size_t)t);
	CHECK("sim after one _4: 1/2/4/5", after[0] == 1 && after[1] == 2 && after[2] == 4 && after[3] == 5);
	char id[40];
	int made = 0;
	for (int i = 0; i < 20; i++) {
		snprintf(id, sizeof(id), "00000000-0000-4000-8000-0000000000%02d", i);
		if (sim_create(&m, 0, 3, id, strlen(id)) == 0)
			made++;
	}
	CHECK("sim the pool runs out: 5 more _8 after one _4", made == 5);
	CHECK("sim no capacity is ENOSPC for GVT-g", sim_create(&m, 0, 3, "00000000-0000-4000-8000-000000000099", 36) == -ENOSPC);
	int d = sim_find(&m, u);
	CHECK("sim remove with 0 does nothing", sim_remove(&m, (size_t)d, "0", 1) == 0 && sim_find(&m, u) == d);
	CHECK("sim remove with a word is EINVAL", sim_remove(&m, (size_t)d, "yes", 3) == -EINVAL);
	m.devices[d].busy = true;
	CHECK("sim remove of a busy device is EBUSY", sim_remove(&m, (size_t)d, "1", 1) == -EBUSY);
	m.devices[d].busy = false;
	CHECK("sim remove", sim_remove(&m, (size_t)d, "1\n", 2) == 0 && sim_find(&m, u) < 0);
	sim_model_free(&m);

	CHECK("sim nvidia profile loads", load(&m, "nvidia") == 0);
	CHECK("sim nvidia fixed counts", sim_available(&m, 0, 2) == 4);
	for (int i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "00000000-0000-4000-8000-0000000001%02d", i);
		sim_create(&m, 0, 2, id, strlen(id));
	}
	CHECK("sim fixed pool full is EUSERS", sim_create(&m, 0, 2, "00000000-0000-4000-8000-000000000999", 36) == -EUSERS);
	CHECK("sim fixed pools are per type", sim_available(&m, 0, 0) == 16);
	sim_model_free(&m);
	const char *all[] = { "broadwell", "ccw", "multi" };
	for (size_t i = 0; i < 3; i++) {
		char name[64];
		snprintf(name, sizeof(name), "sim profile %s loads", all[i]);
		CHECK(name, load(&m, all[i]) == 0);
		sim_model_free(&m);
	}
	CHECK("sim nvidia parent is not shown as a PCI device", load(&m, "nvidia") == 0 &&
	      !m.parents[0].pci_vendor && !m.iommu_groups);
	sim_model_free(&m);
	/* bad profiles are refused with the line named */
	static const char *const bad[][2] = {
		{ "[parent p]\nmodel = fixed\npci_id = intel\n", "pci_id must be VENDOR:DEVICE in hex" },
		{ "[host]\nsomething = 1\n", "unknown key" },
		{ "[host]\niommu_groups = many\n", "iommu_groups must be a number from 0 to 4096" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[] = "/tmp/mdevkit-sim-profile-XXXXXX", err[256] = "";
		int fd = mkstemp(path);
		if (fd < 0 || write(fd, bad[i][0], strlen(bad[i][0])) < 0)
			return 1;
		close(fd);
		char name[96];
		snprintf(name, sizeof(name), "sim profile refused: %s", bad[i][1]);
		CHECK(name, sim_model_load(&m, path, err, sizeof(err)) < 0 && strstr(err, bad[i][1]));
		unlink(path);
	}
	CHECK("sim broadwell types are V4", load(&m, "broadwell") == 0 && !strcmp(m.parents[0].types[0].id, "i915-GVTg_V4_1"));
	sim_model_free(&m);
	kernel_parsing();
	kernel_versions();
	groups();
	test_profile_bounds();
	return check_failed;
}
