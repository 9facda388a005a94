/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/ctx.c and the public side of lib/error.c: one root fd per context, the directory check
 * of C-17, log messages delivered to the caller's function by level, errors kept on the
 * context. */
#include <mdev/mdev.h>
#include "check.h"
#include "fixture.h"

struct logged {
	int n;
	enum mdev_log_level level;
	char msg[512];
};

static void on_log(void *userdata, enum mdev_log_level level, const char *module,
		   const char *msg)
{
	struct logged *l = userdata;
	(void)module;
	l->n++;
	l->level = level;
	snprintf(l->msg, sizeof(l->msg), "%s", msg);
}

int main(void)
{
	struct mdev_ctx *ctx = NULL;
	CHECK("a missing root is refused", mdev_ctx_new("/nonexistent/mdevkit-root", &ctx) < 0);

	const char *root = fx_root();
	CHECK("a context opens its root", mdev_ctx_new(root, &ctx) == 0 && ctx);
	CHECK_STR("the root as given", mdev_ctx_get_root(ctx), root);
	CHECK("one directory fd for the root", mdev_ctx_get_root_fd(ctx) >= 0);
	CHECK("C-17 all directories present", mdev_ctx_check_dirs(ctx) == 0);

	/* one bad definition: list -d warns and goes on (our fix of C-70) */
	struct logged l = { 0 };
	mdev_ctx_set_log_fn(ctx, on_log, &l, MDEV_LOG_WARN);
	fx_cfg("0000:00:02.0", "11111111-1111-4111-8111-111111111111", "{not json");
	struct mdev_device_list list = { 0 };
	CHECK("a listing with a torn config succeeds",
	      mdev_list_defined(ctx, NULL, NULL, &list) == 0 && list.n == 0);
	CHECK("the torn config is a warning naming the file",
	      l.n == 1 && l.level == MDEV_LOG_WARN && strstr(l.msg, "Skipping") &&
	      strstr(l.msg, "11111111-1111-4111-8111-111111111111"));
	mdev_device_list_clear(&list);
	l.n = 0;
	mdev_ctx_set_log_fn(ctx, on_log, &l, MDEV_LOG_ERROR);
	mdev_list_defined(ctx, NULL, NULL, &list);
	CHECK("warnings above the chosen level are not delivered", l.n == 0);
	mdev_device_list_clear(&list);

	CHECK("asking for that UUID fails with the parse error",
	      mdev_list_defined(ctx, "11111111-1111-4111-8111-111111111111", NULL, &list) < 0 &&
	      strlen(mdev_ctx_error_message(ctx)) > 0);
	mdev_ctx_free(ctx);

	/* C-17: a packaged mdevctl needs its directories */
	fx_cleanup();
	root = fx_root();
	char path[256];
	snprintf(path, sizeof(path), "%s/etc/mdevctl.d", root);
	rmdir(path);
	CHECK("context on a root without etc/mdevctl.d", mdev_ctx_new(root, &ctx) == 0);
	CHECK("C-17 the missing directory is an error", mdev_ctx_check_dirs(ctx) == -ENOENT &&
	      strlen(mdev_ctx_error_message(ctx)) > 0);
	mdev_ctx_free(ctx);
	fx_cleanup();
	return check_failed;
}
