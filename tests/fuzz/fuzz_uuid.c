/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: UUID parsing: accepted strings give a canonical UUID that parses to itself;
 * rejected ones get an explanation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <mdev/mdev.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[MDEV_UUID_LEN + 1], again[MDEV_UUID_LEN + 1], why[256];
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (mdev_uuid_parse(s, out) == 0) {
		if (mdev_uuid_parse(out, again) < 0 || strcmp(out, again))
			abort();
	} else if (!*mdev_uuid_parse_error(s, why, sizeof(why))) {
		abort();
	}
	free(s);
	return 0;
}
