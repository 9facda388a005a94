/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's file system plumbing, shared by every framework it simulates. A framework (a
 * "backend": the mdev parents of mdev_*.c, the SR-IOV GPUs of sriov.c) says which node a path
 * names, what a directory lists, what a file shows and what a store does; fs.c turns that into
 * FUSE calls under one lock. The mounted tree is the union of the backends' trees: a path is the
 * first backend's that knows it, and a directory lists what every backend puts in it, so one
 * mount shows a host with GVT-g parents and SR-IOV GPUs side by side. */
#ifndef MDEV_SIM_FS_H
#define MDEV_SIM_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "udev_events.h"

enum kind { K_NONE, K_DIR, K_LINK, K_FILE };

struct sim_backend;

/* What a path names. file and dir are the backend's own enums; the other fields are the
 * backend's to fill (-1: not set). */
struct node {
	const struct sim_backend *be;
	enum kind kind;
	int file, dir;
	int parent, type, dev, attr; /* mdev: parent, type, device, attribute or power file */
	int group;                   /* an IOMMU group */
	int pf, vf, fn;              /* SR-IOV: PF, VF (-1: the PF), sriov_admin function */
	unsigned long serial; /* the device whose directory holds it, 0 none: an open file of a
			       * removed device answers ENODEV */
	char target[256];     /* links */
	char prefix[160];     /* a directory on the way to a device's: the path below devices/ */
	char driver[32];      /* a driver's directory */
};

struct lister;

struct sim_backend {
	/* 0 with n filled, -ENOENT when the path is not this backend's, another -errno */
	int (*resolve)(const char *path, struct node *n);
	/* a directory's entries besides "." and "..", each through sim_list_add */
	void (*list)(const struct node *n, struct lister *l);
	/* a file's contents into out: their length or -errno */
	int (*show)(const struct node *n, char *out, size_t sz);
	/* a write of one whole store: 0 or -errno; *ev filled and *notify set when udevd should
	 * hear of it (sent once the lock is released) */
	int (*store)(const struct node *n, const char *buf, size_t size, struct sim_uevent *ev,
		     bool *notify);
	/* a file's permission bits (0444, 0644, 0200: open refuses the other direction with
	 * EACCES, as the kernel does) and size as stat shows them */
	mode_t (*mode)(const struct node *n);
	off_t (*size)(const struct node *n);
};

/* Add a backend to the mounted tree (before sim_fs_main; at most 4). */
void sim_fs_add(const struct sim_backend *be);
/* Mount and serve (fuse_main) until unmounted: the exit status. */
int sim_fs_main(char *argv0, bool fg, bool debug, const char *mnt);

/* The node a path names in the mounted tree (the union), under the lock. */
int sim_fs_resolve(const char *path, struct node *n);
/* List name in the directory being read: once, and only when it can be looked up. */
void sim_list_add(struct lister *l, const char *name);
void sim_list_addf(struct lister *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Helpers for backends' resolvers. */
/* What follows "prefix/" in path: "" for path == prefix, NULL when path is not below it. */
const char *sim_after(const char *path, const char *prefix);
/* The first component of path into name (sz bytes): what follows it, "" when nothing does;
 * NULL when it does not fit */
const char *sim_component(const char *path, char *name, size_t sz);
/* The index of name in names, -1 if none */
int sim_find_name(const char *name, const char *const *names, size_t n);
int sim_dir(struct node *n, int dir);
int sim_file(struct node *n, int file);
/* n becomes a link to fmt... */
int sim_link(struct node *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ... a relative link from sys/devices/<path>[/extra levels] to sys/<fmt...> */
int sim_link_up(struct node *n, const char *path, int extra, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
