/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One reader of small files under the root for the subcommands that look at sysfs themselves
 * (doctor's checks, kubevirt's PCI ids): whatever fits in the caller's buffer. */
#include <fcntl.h>
#include <unistd.h>
#include "vgpuctl.h"

char *vgpuctl_read_attr(struct mdev_ctx *ctx, const char *rel, char *buf, size_t sz)
{
	/* O_NONBLOCK: a FIFO planted where an attribute should be must not stall us */
	int fd = openat(mdev_ctx_get_root_fd(ctx), rel, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sz - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return buf;
}
