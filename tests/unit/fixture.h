/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fixture roots for unit tests, laid out like the kernel's mdev sysfs and mdevctl's config
 * directories (the C twin of tests/golden/roots/lib.sh). Symlinks are relative, as the
 * kernel's are. */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fx_dir[64];

static inline void fx_mkdir_p(const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", fx_dir, rel);
	for (char *p = path + strlen(fx_dir) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	mkdir(path, 0755);
}

static inline void fx_write(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", fx_dir, rel);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static inline void fx_symlink(const char *target, const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", fx_dir, rel);
	if (symlink(target, path) < 0)
		perror(path);
}

/* a file's contents ("" when missing; static buffer) */
static inline const char *fx_read(const char *rel)
{
	static char buf[8192];
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", fx_dir, rel);
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (f) {
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

static inline bool fx_exists(const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", fx_dir, rel);
	struct stat st;
	return lstat(path, &st) == 0;
}

/* a new empty root with mdevctl's directories; returns its path */
static inline const char *fx_root(void)
{
	snprintf(fx_dir, sizeof(fx_dir), "/tmp/mdevkit-unit-XXXXXX");
	if (!mkdtemp(fx_dir))
		abort();
	fx_mkdir_p("etc/mdevctl.d");
	fx_mkdir_p("usr/lib/mdevctl/scripts.d/callouts");
	fx_mkdir_p("usr/lib/mdevctl/scripts.d/notifiers");
	fx_mkdir_p("sys/bus/mdev/devices");
	fx_mkdir_p("sys/class/mdev_bus");
	return fx_dir;
}

static inline void fx_cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", fx_dir);
}

#define FX_GVT "pci0000:00/0000:00:02.0"

/* the seed's GVT-g parent 0000:00:02.0 with its four types and counts */
static inline void fx_gvt_parent(void)
{
	static const struct {
		const char *id, *avail, *desc;
	} types[] = {
		{ "i915-GVTg_V5_1", "1\n", "low_gm_size: 512MB\nhigh_gm_size: 2048MB\n" },
		{ "i915-GVTg_V5_2", "2\n", "low_gm_size: 256MB\nhigh_gm_size: 1024MB\n" },
		{ "i915-GVTg_V5_4", "5\n", "low_gm_size: 128MB\nhigh_gm_size: 512MB\n" },
		{ "i915-GVTg_V5_8", "7\n", "low_gm_size: 64MB\nhigh_gm_size: 384MB\n" },
	};
	fx_mkdir_p("sys/devices/" FX_GVT "/mdev_supported_types");
	fx_symlink("../../devices/" FX_GVT, "sys/class/mdev_bus/0000:00:02.0");
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		char rel[256];
		snprintf(rel, sizeof(rel), "sys/devices/" FX_GVT "/mdev_supported_types/%s/devices",
			 types[i].id);
		fx_mkdir_p(rel);
		const char *files[][2] = { { "available_instances", types[i].avail },
					   { "device_api", "vfio-pci\n" },
					   { "description", types[i].desc },
					   { "create", "" } };
		for (size_t j = 0; j < 4; j++) {
			snprintf(rel, sizeof(rel), "sys/devices/" FX_GVT "/mdev_supported_types/%s/%s",
				 types[i].id, files[j][0]);
			fx_write(rel, files[j][1]);
		}
	}
}

/* a running device of the GVT-g parent */
static inline void fx_gvt_dev(const char *type, const char *uuid)
{
	char rel[256], target[256];
	snprintf(rel, sizeof(rel), "sys/devices/" FX_GVT "/%s", uuid);
	fx_mkdir_p(rel);
	snprintf(rel, sizeof(rel), "sys/devices/" FX_GVT "/%s/mdev_type", uuid);
	snprintf(target, sizeof(target), "../mdev_supported_types/%s", type);
	fx_symlink(target, rel);
	snprintf(rel, sizeof(rel), "sys/devices/" FX_GVT "/%s/remove", uuid);
	fx_write(rel, "");
	snprintf(rel, sizeof(rel), "sys/bus/mdev/devices/%s", uuid);
	snprintf(target, sizeof(target), "../../../devices/" FX_GVT "/%s", uuid);
	fx_symlink(target, rel);
}

/* a definition, bytes as given */
static inline void fx_cfg(const char *parent, const char *uuid, const char *json)
{
	char rel[256];
	snprintf(rel, sizeof(rel), "etc/mdevctl.d/%s", parent);
	fx_mkdir_p(rel);
	snprintf(rel, sizeof(rel), "etc/mdevctl.d/%s/%s", parent, uuid);
	fx_write(rel, json);
}

#endif
