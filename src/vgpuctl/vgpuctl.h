/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl's subcommands: each takes the context and its own argv (argv[0] = verb name) and
 * returns the process exit status. */
#ifndef VGPUCTL_H
#define VGPUCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <mdev/mdev.h>

int vgpuctl_plan(struct mdev_ctx *ctx, int argc, char **argv);
int vgpuctl_doctor(struct mdev_ctx *ctx, int argc, char **argv);
int vgpuctl_libvirt(struct mdev_ctx *ctx, int argc, char **argv);
/* vgpus/vgpus.c: vGPUs of any framework */
int vgpuctl_list(struct mdev_ctx *ctx, int argc, char **argv);
int vgpuctl_types(struct mdev_ctx *ctx, int argc, char **argv);
int vgpuctl_create(struct mdev_ctx *ctx, int argc, char **argv);
int vgpuctl_remove(struct mdev_ctx *ctx, int argc, char **argv);
int vgpuctl_start_defined(struct mdev_ctx *ctx, int argc, char **argv);
/* fleet/: labels and device plugins of a cluster (docs/fleet.md) */
int vgpuctl_nfd(struct mdev_ctx *ctx, int argc, char **argv);
int vgpuctl_kubevirt(struct mdev_ctx *ctx, int argc, char **argv);

/* layout/layout_cli.c: declarative layouts in NVIDIA vgpu-device-manager's format */
int vgpuctl_apply(struct mdev_ctx *ctx, int argc, char **argv);
int vgpuctl_assert(struct mdev_ctx *ctx, int argc, char **argv);

/* input.c: the whole of path ("-": standard input), NUL-terminated, at most max bytes.
 * Returns 0, -EFBIG when there is more, or another -errno. */
int vgpuctl_read_input(const char *path, size_t max, char **ret_buf, size_t *ret_len);

/* "Error: " fmt (with arg), a blank line and the command's usage on stderr; returns 2, the
 * exit status of a usage error. */
int vgpuctl_usage_error(const char *usage, const char *fmt, const char *arg);
/* read_attr.c: a small file under the root (a sysfs attribute) into buf, trailing newlines and
 * spaces dropped; NULL when it cannot be read. */
char *vgpuctl_read_attr(struct mdev_ctx *ctx, const char *rel, char *buf, size_t sz);
/* A library message as "Warning: ..." or "Error: ..." on stderr (for mdev_ctx_set_log_fn) */
void vgpuctl_log_stderr(void *data, enum mdev_log_level level, const char *module, const char *msg);
/* The context's error as "Error: ..." and its causes on stderr; returns 1, the exit status */
int vgpuctl_fail(struct mdev_ctx *ctx);

struct json_object;
/* A --json answer on stdout: pretty, "/" not escaped (paths stay readable), one newline. */
void vgpuctl_print_json(struct json_object *o);

#endif
