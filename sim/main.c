/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim: a FUSE file system that shows a simulated host's mdev and SR-IOV sysfs the way the
 * kernel does (sys/class/mdev_bus, sys/bus/mdev, sys/bus/pci, sys/devices/...), so mdevctl, ours
 * or upstream's, vgpuctl and libvirt manage simulated vGPUs as on real hardware. Mount it on the
 * "sys" directory of a root: MDEVCTL_ENV_ROOT=<root> for our tools, a bind mount over /sys for
 * others (inside a private mount namespace). This file: the command line and the profiles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mdev_fs.h"
#include "sriov.h"
#include "udev_events.h"

static const char *find_profile(const char *name, char *buf, size_t sz)
{
	if (strchr(name, '/') || access(name, R_OK) == 0)
		return name;
	const char *dirs[] = { getenv("MDEV_SIM_PROFILES"), MDEV_SIM_SRC_PROFILES, MDEV_SIM_PROFILES };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (!dirs[i])
			continue;
		snprintf(buf, sz, "%s/%s.conf", dirs[i], name);
		if (access(buf, R_OK) == 0)
			return buf;
	}
	return NULL;
}

/* The profile files of one host, in the order read: each --profile, after the profiles it
 * includes ("include = NAME" lines before its first section) */
#define MAX_FILES 8
#define MAX_DEPTH 4
struct profiles {
	char files[MAX_FILES][4096];
	size_t n;
};

static int add_profile(struct profiles *ps, const char *name, int depth)
{
	char buf[4096];
	const char *file = find_profile(name, buf, sizeof(buf));
	if (!file) {
		fprintf(stderr, "Error: no profile named '%s'\n", name);
		return -1;
	}
	if (depth > MAX_DEPTH) {
		fprintf(stderr, "Error: %s: profiles include each other more than %d deep\n", file, MAX_DEPTH);
		return -1;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s", file);
	FILE *f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "Error: %s: cannot open it\n", path);
		return -1;
	}
	char line[512];
	int r = 0;
	while (r == 0 && fgets(line, sizeof(line), f) && line[0] != '[') {
		char inc[256];
		if (sscanf(line, " include = %255s", inc) == 1)
			r = add_profile(ps, inc, depth + 1);
	}
	fclose(f);
	if (r < 0)
		return r;
	if (ps->n == MAX_FILES) {
		fprintf(stderr, "Error: more than %d profiles for one host\n", MAX_FILES);
		return -1;
	}
	snprintf(ps->files[ps->n++], sizeof(ps->files[0]), "%s", path);
	return 0;
}

/* Every PCI address is one device's: a GVT-g parent's, a PF's, or one of a PF's VFs */
static int check_addresses(void)
{
	size_t n = 0;
	char (*seen)[64] = calloc(mdev_host.n_parents + SR_MAX_PFS * (SR_MAX_VFS + 1), sizeof(*seen));
	if (!seen)
		return -1;
	for (size_t i = 0; i < mdev_host.n_parents; i++)
		if (mdev_host.parents[i].pci_vendor)
			snprintf(seen[n++], sizeof(seen[0]), "%s", mdev_host.parents[i].name);
	for (size_t i = 0; i < sriov_host.n_pfs; i++) {
		snprintf(seen[n++], sizeof(seen[0]), "%s", sriov_host.pfs[i].addr);
		for (unsigned v = 0; v < sriov_host.pfs[i].total; v++)
			sriov_vf_addr(&sriov_host.pfs[i], v, seen[n++]);
	}
	int r = 0;
	for (size_t i = 0; i < n && r == 0; i++)
		for (size_t j = 0; j < i && r == 0; j++)
			if (!strcmp(seen[i], seen[j])) {
				fprintf(stderr, "Error: two devices of the profiles at PCI address %s\n", seen[i]);
				r = -1;
			}
	free(seen);
	return r;
}

/* Read every profile into the host: the mdev parents (model.c) and the SR-IOV GPUs
 * (sriov_model.c) of each; a backend for each framework the host has */
static int load_host(const struct profiles *ps)
{
	char err[512];
	sim_model_init(&mdev_host);
	for (size_t i = 0; i < ps->n; i++) {
		if (sim_model_read(&mdev_host, ps->files[i], err, sizeof(err)) < 0 ||
		    sriov_read(&sriov_host, ps->files[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "Error: %s\n", err);
			return -1;
		}
	}
	if (!mdev_host.n_parents && !sriov_host.n_pfs) {
		fprintf(stderr, "Error: %s: no [parent] in the profile\n", ps->files[ps->n - 1]);
		return -1;
	}
	if (check_addresses() < 0)
		return -1;
	sim_model_finish(&mdev_host);
	if (mdev_host.n_parents)
		sim_fs_add(&sim_mdev_backend);
	if (sriov_host.n_pfs)
		sim_fs_add(&sim_sriov_backend);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: mdev-sim [--profile NAME|FILE]... [--udev-events] [-f] [-d] MOUNTPOINT\n"
		   "       mdev-sim -h|--help|-V|--version\n\n"
		   "Mounts a simulated mdev sysfs on MOUNTPOINT (the \"sys\" directory of a root).\n"
		   "Profiles: seed-gvtg (default), gvtg-6.1, gvtg-256, gvtg-512, gvtg-2048, broadwell, nvidia,\n"
		   "ccw, multi, the SR-IOV GPUs l40s, xe and xe-igpu, mixed (GVT-g, L40S and Xe on one host), or a\n"
		   "profile file. Several --profile options make one host of them all.\n"
		   "-f stays in the foreground; -d debugs FUSE.\n"
		   "--udev-events tells libudev clients (libvirt) when a vGPU is created or removed,\n"
		   "as udevd does; only in a private network namespace (unshare -n).\n"
		   "Unmount with: fusermount3 -u MOUNTPOINT (or SIGINT/SIGTERM in the foreground).\n");
}

int main(int argc, char **argv)
{
	const char *mnt = NULL;
	bool fg = false, debug = false, udev_events = false;
	static struct profiles ps;
	for (int i = 1; i < argc; i++) {
		const char *profile = NULL;
		if (!strcmp(argv[i], "--profile") && i + 1 < argc)
			profile = argv[++i];
		else if (!strncmp(argv[i], "--profile=", 10))
			profile = argv[i] + 10;
		else if (!strcmp(argv[i], "-f"))
			fg = true;
		else if (!strcmp(argv[i], "-d"))
			debug = fg = true;
		else if (!strcmp(argv[i], "--udev-events"))
			udev_events = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("mdev-sim %s\n", MDEVKIT_VERSION);
			return 0;
		} else if (argv[i][0] != '-' && !mnt)
			mnt = argv[i];
		else {
			fprintf(stderr, "Error: unexpected argument '%s'\n\n", argv[i]);
			usage(stderr);
			return 2;
		}
		if (profile && add_profile(&ps, profile, 0) < 0)
			return 1;
	}
	if (!mnt) {
		usage(stderr);
		return 2;
	}
	if (!ps.n && add_profile(&ps, "seed-gvtg", 0) < 0)
		return 1;
	char err[512];
	if (load_host(&ps) < 0) {
		sim_model_free(&mdev_host);
		return 1;
	}
	if (udev_events && sim_udev_events_open(err, sizeof(err)) < 0) {
		fprintf(stderr, "Error: %s\n", err);
		sim_model_free(&mdev_host);
		return 1;
	}
	int r = sim_fs_main(argv[0], fg, debug, mnt);
	sim_model_free(&mdev_host);
	return r;
}
