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

static void usage(FILE *f)
{
	fprintf(f, "Usage: mdev-sim [--profile NAME|FILE] [--udev-events] [-f] [-d] MOUNTPOINT\n"
		   "       mdev-sim -h|--help|-V|--version\n\n"
		   "Mounts a simulated mdev sysfs on MOUNTPOINT (the \"sys\" directory of a root).\n"
		   "Profiles: seed-gvtg (default), gvtg-6.1, gvtg-256, gvtg-512, gvtg-2048, broadwell, nvidia,\n"
		   "ccw, multi, the SR-IOV GPUs l40s and xe, or a profile file.\n"
		   "-f stays in the foreground; -d debugs FUSE.\n"
		   "--udev-events tells libudev clients (libvirt) when a vGPU is created or removed,\n"
		   "as udevd does; only in a private network namespace (unshare -n).\n"
		   "Unmount with: fusermount3 -u MOUNTPOINT (or SIGINT/SIGTERM in the foreground).\n");
}

int main(int argc, char **argv)
{
	const char *profile = "seed-gvtg", *mnt = NULL;
	bool fg = false, debug = false, udev_events = false;
	for (int i = 1; i < argc; i++) {
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
	}
	if (!mnt) {
		usage(stderr);
		return 2;
	}
	char path[4096], err[512];
	const char *file = find_profile(profile, path, sizeof(path));
	if (!file) {
		fprintf(stderr, "Error: no profile named '%s'\n", profile);
		return 1;
	}
	if (sriov_is_profile(file)) {
		/* SR-IOV GPUs (issue 20): sriov.c */
		if (sriov_load(&sriov_host, file, err, sizeof(err)) < 0) {
			fprintf(stderr, "Error: %s\n", err);
			return 1;
		}
		sim_fs_add(&sim_sriov_backend);
	} else if (sim_model_load(&mdev_host, file, err, sizeof(err)) < 0) {
		fprintf(stderr, "Error: %s\n", err);
		return 1;
	} else {
		sim_fs_add(&sim_mdev_backend);
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
