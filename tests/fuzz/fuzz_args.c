/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: mdevctl's argument parsing. The input is argv, NUL-separated. cli_parse()
 * prints usage errors: under libFuzzer they are silenced with -close_fd_mask=3 (build.sh), which
 * keeps libFuzzer's own statistics and crash reports; replay.c sends the target's stdout away
 * and keeps stderr, where sanitizer reports go. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[64];
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	int argc = 0;
	argv[argc++] = (data[0] & 1) && size ? "lsmdev" : "mdevctl";
	for (char *p = buf; p < buf + size && argc < 63; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	struct cli_opts o;
	int r = cli_parse(argc, argv, &o);
	if (r != -1 && r != 0 && r != 2)
		abort();
	if (r == -1 && o.uuid && strlen(o.uuid) != MDEV_UUID_LEN)
		abort();
	free(buf);
	return 0;
}
