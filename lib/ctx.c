/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The context: the root directory every path is resolved under, logging, and options. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "internal.h"

#define DEFAULT_CALLOUT_TIMEOUT_MS 30000u

int mdev_ctx_new(const char *root, struct mdev_ctx **ret_ctx)
{
	if (!root) {
		root = getenv("MDEVCTL_ENV_ROOT");
		if (!root)
			root = "/";
	}
	struct mdev_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->root = strdup(root);
	if (!ctx->root) {
		free(ctx);
		return -ENOMEM;
	}
	/* An empty root resolves against the working directory, as upstream's does (C-15). */
	ctx->root_fd = open(*root ? root : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ctx->root_fd < 0) {
		int err = errno;
		free(ctx->root);
		free(ctx);
		return -err;
	}
	ctx->callout_timeout_ms = DEFAULT_CALLOUT_TIMEOUT_MS;
	ctx->lock_fd = -1;
	const char *th = getenv("MDEVKIT_THREADS");
	if (th && (!strcmp(th, "1") || !strcmp(th, "2")))
		ctx->threads = (unsigned)(th[0] - '0');
	const char *t = getenv("MDEVCTL_CALLOUT_TIMEOUT");
	if (t && *t) {
		char *end;
		unsigned long s = strtoul(t, &end, 10);
		if (!*end && s < 86400)
			ctx->callout_timeout_ms = (unsigned int)s * 1000u;
	}
	*ret_ctx = ctx;
	return 0;
}

void mdev_ctx_free(struct mdev_ctx *ctx)
{
	if (!ctx)
		return;
	callout_cache_free(ctx);
	lib_error_clear(ctx);
	if (ctx->lock_depth > 0 && ctx->lock_fd >= 0)
		close(ctx->lock_fd);
	if (ctx->root_fd >= 0)
		close(ctx->root_fd);
	free(ctx->root);
	free(ctx);
}

void mdev_ctx_set_log_fn(struct mdev_ctx *ctx, mdev_log_fn fn, void *userdata,
			 enum mdev_log_level max_level)
{
	ctx->log_fn = fn;
	ctx->log_data = userdata;
	ctx->log_level = max_level;
}

void mdev_ctx_set_output_fn(struct mdev_ctx *ctx, mdev_output_fn fn, void *userdata)
{
	ctx->output_fn = fn;
	ctx->output_data = userdata;
}

void lib_output(struct mdev_ctx *ctx, const char *bytes, size_t n)
{
	/* a worker has no output function: what it would relay could not keep its place */
	if (ctx_check_not_worker(ctx, "raw output") < 0)
		return;
	if (ctx->output_fn && n)
		ctx->output_fn(ctx->output_data, bytes, n);
}

void op_begin(struct mdev_ctx *ctx)
{
	callout_cache_free(ctx);
}

void ctx_init_worker(struct mdev_ctx *w, const struct mdev_ctx *caller, mdev_log_fn log_fn,
		     void *log_data)
{
	*w = (struct mdev_ctx){
		.root = caller->root,
		.root_fd = caller->root_fd,
		.log_fn = caller->log_fn ? log_fn : NULL,
		.log_data = log_data,
		.log_level = caller->log_level,
		.callout_timeout_ms = caller->callout_timeout_ms,
		.lock_fd = -1,
		.threads = 1,
		.worker = true,
	};
}

int ctx_check_not_worker(struct mdev_ctx *ctx, const char *what)
{
	if (!ctx->worker)
		return 0;
	return lib_error(ctx, EPERM, "internal error: %s on a listing's helper thread", what);
}

const char *mdev_ctx_get_root(const struct mdev_ctx *ctx)
{
	return ctx->root;
}

int mdev_ctx_get_root_fd(const struct mdev_ctx *ctx)
{
	return ctx->root_fd;
}

void mdev_ctx_set_callout_timeout(struct mdev_ctx *ctx, unsigned int ms)
{
	ctx->callout_timeout_ms = ms;
}

int mdev_ctx_check_dirs(struct mdev_ctx *ctx)
{
	static const char *const dirs[] = {
		CONFIG_DIR,
		"usr/lib/mdevctl/scripts.d/callouts",
		"usr/lib/mdevctl/scripts.d/notifiers",
	};
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (root_exists(ctx, dirs[i]))
			continue;
		_cleanup_free_ char *p = root_path_debug(ctx, dirs[i]);
		return lib_error(ctx, ENOENT,
				 "Required directory %s doesn't exist. This may indicate a packaging or installation error",
				 p ? p : dirs[i]);
	}
	return 0;
}

void lib_log(struct mdev_ctx *ctx, enum mdev_log_level level, const char *module,
	     const char *fmt, ...)
{
	if (!ctx->log_fn || level > ctx->log_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) >= 0) {
		ctx->log_fn(ctx->log_data, level, module, msg);
		free(msg);
	}
	va_end(ap);
}

/* ---------------------------------------------------------------- strings */

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

char *path_debug(const char *path)
{
	size_t n = strlen(path);
	char *out = malloc(n * 10 + 3), *o = out;
	if (!out)
		return NULL;
	*o++ = '"';
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		switch (*p) {
		case '"': o = stpcpy(o, "\\\""); break;
		case '\\': o = stpcpy(o, "\\\\"); break;
		case '\n': o = stpcpy(o, "\\n"); break;
		case '\r': o = stpcpy(o, "\\r"); break;
		case '\t': o = stpcpy(o, "\\t"); break;
		case '\0': break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				o += sprintf(o, "\\u{%x}", *p);
			else
				*o++ = (char)*p;
		}
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

char *root_path(const struct mdev_ctx *ctx, const char *rel)
{
	size_t n = strlen(ctx->root);
	if (n == 0)
		return strdup(rel);
	return xasprintf("%s%s%s", ctx->root, ctx->root[n - 1] == '/' ? "" : "/", rel);
}

char *root_path_debug(const struct mdev_ctx *ctx, const char *rel)
{
	_cleanup_free_ char *p = root_path(ctx, rel);
	return p ? path_debug(p) : NULL;
}

/* A parent, type or attribute name that can be joined under a directory without escaping it
 * (upstream joins them unchecked, C-73, C-74). */
bool is_safe_name(const char *name)
{
	if (!name || !*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p == '/' || *p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

void strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
