/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A program that links libmdev.so and defines functions named like the library's internal ones,
 * each returning something wrong. If the library exported them (or called them through the PLT),
 * its calls would land here and the mdev_* results below would be wrong. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <mdev/mdev.h>
#include "../unit/check.h"

struct mdev_device;

/* The program's own functions with the library's internal names. */
char *trim(char *s);
int lib_error(void *ctx, int err, const char *fmt, ...);
int json_parse_text(void *ctx, const char *text, size_t len, void **ret);
int config_read(void *ctx, void *dc, const char *parent, const char *uuid, void *dev);
int calls;

char *trim(char *s)
{
	calls++;
	(void)s;
	return (char *)"not a number";
}
int lib_error(void *ctx, int err, const char *fmt, ...)
{
	calls++;
	(void)ctx, (void)err, (void)fmt;
	return 0;
}
int json_parse_text(void *ctx, const char *text, size_t len, void **ret)
{
	calls++;
	(void)ctx, (void)text, (void)len, (void)ret;
	return -EIO;
}
int config_read(void *ctx, void *dc, const char *parent, const char *uuid, void *dev)
{
	calls++;
	(void)ctx, (void)dc, (void)parent, (void)uuid, (void)dev;
	return -EIO;
}

static void put(int dfd, const char *path, const char *text)
{
	char dir[256];
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdirat(dfd, dir, 0755);
		*p = '/';
	}
	if (!text) {
		mkdirat(dfd, path, 0755);
		return;
	}
	int fd = openat(dfd, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		perror(path);
	close(fd);
}

#define U1 "11111111-2222-3333-4444-555555555555"
#define U2 "66666666-7777-8888-9999-aaaaaaaaaaaa"
#define TYPES "sys/class/mdev_bus/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4/"

int main(void)
{
	char root[] = "/tmp/mdev-abi-XXXXXX";
	if (!mkdtemp(root))
		return 2;
	int dfd = open(root, O_RDONLY | O_DIRECTORY);
	put(dfd, "usr/lib/mdevctl/scripts.d/callouts", NULL);
	put(dfd, "usr/lib/mdevctl/scripts.d/notifiers", NULL);
	put(dfd, TYPES "available_instances", "  3\n");
	put(dfd, TYPES "device_api", "vfio-pci\n");
	put(dfd, TYPES "name", "GVTg_V5_4\n");
	put(dfd, "etc/mdevctl.d/0000:00:02.0/" U1,
	    "{\n  \"mdev_type\": \"i915-GVTg_V5_4\",\n  \"start\": \"auto\",\n  \"attrs\": []\n}");

	struct mdev_ctx *ctx = NULL;
	CHECK("ctx_new", mdev_ctx_new(root, &ctx) == 0);
	CHECK("check_dirs", mdev_ctx_check_dirs(ctx) == 0);

	struct mdev_parent_list types = { 0 };
	int r = mdev_list_types(ctx, NULL, &types);
	CHECK("list_types returns 0", r == 0);
	if (r < 0)
		printf("# %s\n", mdev_ctx_error_message(ctx));
	CHECK("list_types reads available_instances through its own trim",
	      types.n == 1 && types.parents[0].n_types == 1 &&
	      types.parents[0].types[0].available_instances == 3);
	CHECK_STR("list_types device_api", types.n == 1 && types.parents[0].n_types == 1 ?
		  types.parents[0].types[0].device_api : NULL, "vfio-pci");
	mdev_parent_list_clear(&types);

	struct mdev_device dev = { 0 };
	static const char doc[] = "{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":[{\"k\":\"v\"}]}";
	CHECK("config_parse uses its own JSON parser",
	      mdev_config_parse(ctx, doc, strlen(doc), &dev) == 0 && dev.type &&
	      !strcmp(dev.type, "t") && dev.autostart && dev.n_attrs == 1);
	mdev_device_clear(&dev);
	static const char bad[] = "{bad";
	CHECK("config_parse error is negative", mdev_config_parse(ctx, bad, strlen(bad), &dev) < 0);
	CHECK_STR("config_parse error message set through its own lib_error",
		  mdev_ctx_error_message(ctx), "key must be a string at line 1 column 2");
	mdev_device_clear(&dev);

	struct mdev_device_list list = { 0 };
	CHECK("list_defined reads configs through its own config_read",
	      mdev_list_defined(ctx, NULL, NULL, &list) == 0 && list.n == 1 &&
	      !strcmp(list.devices[0].uuid, U1) && list.devices[0].autostart);
	mdev_device_list_clear(&list);

	char uuid[MDEV_UUID_LEN + 1];
	struct mdev_define_req req = { .uuid = U2, .parent = "0000:00:02.0",
				       .type = "i915-GVTg_V5_4" };
	CHECK("define", mdev_define(ctx, &req, uuid) == 0 && !strcmp(uuid, U2));
	CHECK("define again is refused with a message", mdev_define(ctx, &req, uuid) == -EEXIST &&
	      strstr(mdev_ctx_error_message(ctx), "already defined"));
	CHECK("list_defined sees both",
	      mdev_list_defined(ctx, NULL, NULL, &list) == 0 && list.n == 2);
	mdev_device_list_clear(&list);
	CHECK("undefine", mdev_undefine(ctx, U2, NULL, false) == 0);
	CHECK("uuid_parse", mdev_uuid_parse("{11111111-2222-3333-4444-555555555555}", uuid) == 0 &&
	      !strcmp(uuid, U1));
	CHECK("none of the program's functions was called by the library", calls == 0);
	mdev_ctx_free(ctx);

	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) != 0)
		return 2;
	return check_failed;
}
