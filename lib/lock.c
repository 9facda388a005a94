/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writers of one root are serialised with flock() on the etc/mdevctl.d directory itself: no
 * lock file appears that upstream mdevctl could trip over, and readers never wait. */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include "internal.h"

int lib_lock(struct mdev_ctx *ctx, int *ret_fd)
{
	int fd = openat(ctx->root_fd, CONFIG_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		*ret_fd = -1;
		return 0; /* nothing to protect yet; the self-check reports a missing directory */
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int err = errno;
			close(fd);
			return lib_error_os(ctx, err, "Unable to lock %s", CONFIG_DIR);
		}
	}
	*ret_fd = fd;
	return 0;
}

void lib_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing the last fd releases the lock */
}
