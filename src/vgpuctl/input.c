/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a whole input file (or standard input) with a bound: the domain XML of `libvirt
 * attach`, a layout file. An endless stream must not grow without limit, so the read stops one
 * byte past the bound. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vgpuctl.h"

int vgpuctl_read_input(const char *path, size_t max, char **ret_buf, size_t *ret_len)
{
	bool is_stdin = !strcmp(path, "-");
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int r = 0;
	while (len <= max) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > max + 1)
				cap = max + 1;
			char *nb = realloc(buf, cap + 1);
			if (!nb) {
				r = -ENOMEM;
				break;
			}
			buf = nb;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			r = -errno;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (!is_stdin)
		close(fd);
	if (!r && len > max)
		r = -EFBIG;
	if (!r && !buf && !(buf = malloc(1)))
		r = -ENOMEM;
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}
