/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writers of one root are serialised with flock() on the etc/mdevctl.d directory itself: no
 * lock file appears that upstream mdevctl could trip over, and readers never wait. */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include "internal.h"

int lib_lock(struct mdev_ctx *ctx, struct mdev_ctx **ret_locked)
{
	*ret_locked = NULL;
	if (ctx->lock_depth > 0) {
		ctx->lock_depth++;
		*ret_locked = ctx;
		return 0;
	}
	/* a writer creates the directory it locks (a library user need not have called
	 * mdev_ctx_check_dirs()): without it, writers would go ahead unlocked */
	int fd = openat(ctx->root_fd, CONFIG_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		int r = root_mkdir_p(ctx, CONFIG_DIR, 0777);
		if (r < 0)
			return lib_error_os(ctx, -r, "Unable to create %s", CONFIG_DIR);
		fd = openat(ctx->root_fd, CONFIG_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0)
		return lib_error_os(ctx, errno, "Unable to lock %s", CONFIG_DIR);
	while (fd >= 0 && flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int err = errno;
			close(fd);
			return lib_error_os(ctx, err, "Unable to lock %s", CONFIG_DIR);
		}
	}
	ctx->lock_fd = fd;
	ctx->lock_depth = 1;
	*ret_locked = ctx;
	return 0;
}

void lib_unlock(struct mdev_ctx *ctx)
{
	if (ctx->lock_depth == 0 || --ctx->lock_depth > 0)
		return;
	if (ctx->lock_fd >= 0)
		close(ctx->lock_fd); /* closing the last fd releases the lock */
	ctx->lock_fd = -1;
}
