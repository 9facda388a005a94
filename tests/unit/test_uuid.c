/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/uuid.c: the accepted forms (C-7) and the uuid crate's rejection texts (C-10). */
#include <mdev/mdev.h>
#include "check.h"

static void accepts(const char *in)
{
	char out[MDEV_UUID_LEN + 1] = "";
	char name[160];
	snprintf(name, sizeof(name), "uuid parses %s", in);
	CHECK_STR(name, mdev_uuid_parse(in, out) == 0 ? out : "(rejected)",
		  "7686131b-b229-4768-a02c-35d1dbed7c66");
}

static void rejects(const char *in, const char *why)
{
	char out[MDEV_UUID_LEN + 1], buf[256], name[160];
	snprintf(name, sizeof(name), "uuid rejects [%s]", in);
	CHECK(name, mdev_uuid_parse(in, out) < 0);
	snprintf(name, sizeof(name), "uuid error text for [%s]", in);
	CHECK_STR(name, mdev_uuid_parse_error(in, buf, sizeof(buf)), why);
}

int main(void)
{
	accepts("7686131b-b229-4768-a02c-35d1dbed7c66");
	accepts("7686131B-B229-4768-A02C-35D1DBED7C66");
	accepts("7686131bb2294768a02c35d1dbed7c66");
	accepts("{7686131b-b229-4768-a02c-35d1dbed7c66}");
	accepts("urn:uuid:7686131b-b229-4768-a02c-35d1dbed7c66");
	rejects("", "invalid length: expected length 32 for simple format, found 0");
	rejects("abc", "invalid length: expected length 32 for simple format, found 3");
	rejects("xyz",
		"invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-zA-Z], found `x` at 1");
	rejects("7686131b-b229-4768-a02c",
		"invalid group count: expected 5, found 4");
	rejects("7686131-bb229-4768-a02c-35d1dbed7c66",
		"invalid group length in group 0: expected 8, found 7");
	rejects("7686131b-b229-4768-a02c-35d1dbed7c6",
		"invalid group length in group 4: expected 12, found 11");
	rejects("{7686131b-b229-4768-a02c-35d1dbed7c6g}",
		"invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-zA-Z], found `g` at 37");
	rejects("7686131b-b229-4768-a02c-35d1dbed7c66-",
		"invalid group count: expected 5, found 6");
	rejects("\xc3\xa9", "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-zA-Z], found `\xc3\xa9` at 1");
	rejects("\xff", "non-UTF8 input");

	char a[MDEV_UUID_LEN + 1], b[MDEV_UUID_LEN + 1];
	CHECK("generate works", mdev_uuid_generate(a) == 0 && mdev_uuid_generate(b) == 0);
	CHECK("generated UUIDs differ", strcmp(a, b) != 0);
	CHECK("generated UUID is version 4, RFC variant", a[14] == '4' && strchr("89ab", a[19]));
	char c[MDEV_UUID_LEN + 1];
	CHECK("generated UUID parses to itself", mdev_uuid_parse(a, c) == 0 && !strcmp(a, c));
	return check_failed;
}
