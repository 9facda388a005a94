/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The context's last error: a message and its causes, shown by tools as upstream's anyhow
 * chains ("Error: …", "Caused by: …"). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

void lib_error_clear(struct mdev_ctx *ctx)
{
	free(ctx->err_msg);
	ctx->err_msg = NULL;
	strv_free(ctx->err_causes, ctx->n_err_causes);
	ctx->err_causes = NULL;
	ctx->n_err_causes = 0;
}

struct saved_error lib_error_save(struct mdev_ctx *ctx)
{
	struct saved_error s = { ctx->err_msg, ctx->err_causes, ctx->n_err_causes };
	ctx->err_msg = NULL;
	ctx->err_causes = NULL;
	ctx->n_err_causes = 0;
	return s;
}

void lib_error_restore(struct mdev_ctx *ctx, struct saved_error *saved)
{
	lib_error_clear(ctx);
	ctx->err_msg = saved->msg;
	ctx->err_causes = saved->causes;
	ctx->n_err_causes = saved->n_causes;
	memset(saved, 0, sizeof(*saved));
}

static int set_msg(struct mdev_ctx *ctx, int err, const char *fmt, va_list ap)
{
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	free(ctx->err_msg);
	ctx->err_msg = msg;
	return err > 0 ? -err : (err ? err : -EIO);
}

static void push_cause(struct mdev_ctx *ctx, char *cause)
{
	if (!cause)
		return;
	char **v = realloc(ctx->err_causes, (ctx->n_err_causes + 1) * sizeof(*v));
	if (!v) {
		free(cause);
		return;
	}
	ctx->err_causes = v;
	v[ctx->n_err_causes++] = cause;
}

int lib_error(struct mdev_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;
	lib_error_clear(ctx);
	va_start(ap, fmt);
	int r = set_msg(ctx, err, fmt, ap);
	va_end(ap);
	return r;
}

const char *os_error_text(int err, char *buf, size_t sz)
{
	snprintf(buf, sz, "%s (os error %d)", strerror(err), err);
	return buf;
}

int lib_error_os(struct mdev_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;
	char buf[256];
	lib_error_clear(ctx);
	va_start(ap, fmt);
	int r = set_msg(ctx, err, fmt, ap);
	va_end(ap);
	push_cause(ctx, strdup(os_error_text(err, buf, sizeof(buf))));
	return r;
}

int lib_error_bare_os(struct mdev_ctx *ctx, int err)
{
	char buf[256];
	return lib_error(ctx, err, "%s", os_error_text(err, buf, sizeof(buf)));
}

int lib_error_wrap(struct mdev_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;
	char *inner = ctx->err_msg;
	ctx->err_msg = NULL;
	/* the old message becomes the first cause, before the old causes */
	char **v = realloc(ctx->err_causes, (ctx->n_err_causes + 1) * sizeof(*v));
	if (v && inner) {
		memmove(v + 1, v, ctx->n_err_causes * sizeof(*v));
		v[0] = inner;
		ctx->err_causes = v;
		ctx->n_err_causes++;
	} else {
		if (v)
			ctx->err_causes = v;
		free(inner);
	}
	va_start(ap, fmt);
	int r = set_msg(ctx, err, fmt, ap);
	va_end(ap);
	return r;
}

const char *mdev_ctx_error_message(const struct mdev_ctx *ctx)
{
	return ctx->err_msg ? ctx->err_msg : "Unknown error";
}

size_t mdev_ctx_error_cause_count(const struct mdev_ctx *ctx)
{
	return ctx->n_err_causes;
}

const char *mdev_ctx_error_cause(const struct mdev_ctx *ctx, size_t i)
{
	return i < ctx->n_err_causes ? ctx->err_causes[i] : NULL;
}
