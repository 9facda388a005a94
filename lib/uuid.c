/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* UUIDs in the forms upstream's parser accepts, always printed lowercase and hyphenated. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include "internal.h"

const unsigned char hex_value_plus_one[256] = {
	['0'] = 1,   ['1'] = 2,   ['2'] = 3,   ['3'] = 4,   ['4'] = 5,   ['5'] = 6,
	['6'] = 7,   ['7'] = 8,   ['8'] = 9,   ['9'] = 10,  ['a'] = 11,  ['b'] = 12,
	['c'] = 13,  ['d'] = 14,  ['e'] = 15,  ['f'] = 16,  ['A'] = 11,  ['B'] = 12,
	['C'] = 13,  ['D'] = 14,  ['E'] = 15,  ['F'] = 16,
};

static void format(const unsigned char b[16], char out[MDEV_UUID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	char *o = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[b[i] >> 4];
		*o++ = hex[b[i] & 15];
	}
	*o = '\0';
}

/* 32 hex digits, hyphenated 8-4-4-4-12 or not at all. upper: set when a digit was uppercase
 * (the canonical form is lowercase). Every listing decodes each name it meets, so the digit
 * positions are a table rather than worked out per character. */
static bool decode(const char *s, size_t len, bool hyphens, unsigned char b[16], bool *upper)
{
	static const unsigned char at_hyphenated[16] = { 0,  2,  4,  6,  9,  11, 14, 16,
							 19, 21, 24, 26, 28, 30, 32, 34 };
	if (len != (hyphens ? 36u : 32u) ||
	    (hyphens && (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')))
		return false;
	/* no branch per digit: a bad digit (-1) sets bad's sign bit */
	int bad = 0;
	bool up = false;
	for (unsigned k = 0; k < 16; k++) {
		unsigned i = hyphens ? at_hyphenated[k] : 2 * k;
		int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);
		bad |= hi | lo;
		up |= ((unsigned)(s[i] - 'A') < 6) | ((unsigned)(s[i + 1] - 'A') < 6);
		b[k] = (unsigned char)((unsigned)hi << 4 | (unsigned)lo);
	}
	if (upper)
		*upper = up;
	return bad >= 0;
}

bool uuid_canonical_bytes(const char *s, unsigned char b[16])
{
	bool upper;
	return strlen(s) == MDEV_UUID_LEN && decode(s, MDEV_UUID_LEN, true, b, &upper) && !upper;
}

int mdev_uuid_parse(const char *s, char ret_uuid[MDEV_UUID_LEN + 1])
{
	unsigned char b[16];
	size_t len = strlen(s);
	bool ok = false;
	if (len == 32)
		ok = decode(s, 32, false, b, NULL);
	else if (len == 36)
		ok = decode(s, 36, true, b, NULL);
	else if (len == 38 && s[0] == '{' && s[37] == '}')
		ok = decode(s + 1, 36, true, b, NULL);
	else if (len == 45 && !strncmp(s, "urn:uuid:", 9))
		ok = decode(s + 9, 36, true, b, NULL);
	if (!ok)
		return -EINVAL;
	format(b, ret_uuid);
	return 0;
}

static bool valid_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (!k || i + k > n)
			return false;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
		i += k;
	}
	return true;
}

/* The uuid crate's (1.2) explanation of a rejected string, reproduced for byte compatibility
 * of clap's "Invalid value" message (C-10). */
const char *mdev_uuid_parse_error(const char *s, char *buf, size_t bufsz)
{
	size_t len = strlen(s);
	if (!valid_utf8((const unsigned char *)s, len)) {
		snprintf(buf, bufsz, "non-UTF8 input");
		return buf;
	}
	const char *u = s;
	size_t off = 0;
	bool simple = false;
	if (len >= 2 && s[0] == '{' && s[len - 1] == '}') {
		u = s + 1;
		off = 1;
	} else if (!strncmp(s, "urn:uuid:", 9)) {
		u = s + 9;
		off = 9;
	} else {
		simple = true;
	}
	size_t ulen = simple ? len : (off == 1 ? len - 2 : len - 9);
	size_t hyphens = 0, bounds[4] = { 0 };
	for (size_t i = 0; i < ulen;) {
		unsigned char c = (unsigned char)u[i];
		if (c >= 0x80) {
			size_t k = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
			snprintf(buf, bufsz,
				 "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-zA-Z], found `%.*s` at %zu",
				 (int)k, u + i, i + off + 1);
			return buf;
		}
		if (c == '-') {
			if (hyphens < 4)
				bounds[hyphens] = i;
			hyphens++;
		} else if (hexval(c) < 0) {
			snprintf(buf, bufsz,
				 "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-zA-Z], found `%c` at %zu",
				 c, i + off + 1);
			return buf;
		}
		i++;
	}
	if (hyphens == 0 && simple) {
		snprintf(buf, bufsz, "invalid length: expected length 32 for simple format, found %zu",
			 len);
		return buf;
	}
	if (hyphens != 4) {
		snprintf(buf, bufsz, "invalid group count: expected 5, found %zu", hyphens + 1);
		return buf;
	}
	static const size_t starts[5] = { 0, 9, 14, 19, 24 };
	static const int expect[5] = { 8, 4, 4, 4, 12 };
	for (int i = 0; i < 4; i++) {
		if (bounds[i] != starts[i + 1] - 1) {
			snprintf(buf, bufsz, "invalid group length in group %d: expected %d, found %zu",
				 i, expect[i], bounds[i] - starts[i]);
			return buf;
		}
	}
	/* quirk kept: the crate measures the last group against the whole input, prefix included */
	snprintf(buf, bufsz, "invalid group length in group 4: expected 12, found %zu",
		 len - starts[4]);
	return buf;
}

int mdev_uuid_generate(char ret_uuid[MDEV_UUID_LEN + 1])
{
	unsigned char b[16];
	size_t got = 0;
	while (got < sizeof(b)) {
		ssize_t r = getrandom(b + got, sizeof(b) - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)r;
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	format(b, ret_uuid);
	return 0;
}
