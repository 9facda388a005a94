/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/sort.c: the radix sort with ties orders names exactly as strcmp does, and UUID sets as
 * memcmp does, whatever the names share or lack. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "check.h"

static unsigned long long rng = 0x5eed;
static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 33) % n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* sort_strings and qsort agree on names[0..n) */
static bool agrees(char **names, size_t n)
{
	char **want = malloc((n ? n : 1) * sizeof(*want));
	memcpy(want, names, n * sizeof(*want));
	qsort(want, n, sizeof(*want), cmp_str);
	bool ok = sort_strings(names, n) == 0;
	for (size_t i = 0; ok && i < n; i++)
		ok = !strcmp(names[i], want[i]);
	free(want);
	return ok;
}

/* n random names of length min..max over alphabet, with prefix in front */
static bool random_case(size_t n, const char *prefix, const char *alphabet, size_t min,
			size_t max)
{
	char **names = malloc(n * sizeof(*names));
	size_t pl = strlen(prefix), al = strlen(alphabet);
	for (size_t i = 0; i < n; i++) {
		size_t l = min + rnd((unsigned)(max - min + 1));
		names[i] = malloc(pl + l + 1);
		memcpy(names[i], prefix, pl);
		for (size_t j = 0; j < l; j++)
			names[i][pl + j] = alphabet[rnd((unsigned)al)];
		names[i][pl + l] = '\0';
	}
	bool ok = agrees(names, n);
	strv_free(names, n);
	return ok;
}

int main(void)
{
	CHECK("UUID-like names", random_case(3000, "", "0123456789abcdef-", 36, 36));
	CHECK("names sharing a long prefix", random_case(500, "nvidia-", "0123456789", 1, 4));
	CHECK("names equal in their first 8 bytes", random_case(800, "", "ab", 9, 12));
	CHECK("names that are prefixes of others", random_case(2000, "x", "ab", 0, 10));
	CHECK("bytes above 0x7f sort after ASCII", random_case(600, "", "a\x7f\x80\xff", 1, 9));
	CHECK("one name", random_case(1, "", "ab", 0, 3));

	char *dup[] = { strdup("b"), strdup("a"), strdup("b"), strdup("") };
	CHECK("duplicates and the empty name", agrees(dup, 4));
	for (size_t i = 0; i < 4; i++)
		free(dup[i]);

	/* a set of 16-byte ids loaded from a directory comes back sorted by memcmp */
	char tmpl[] = "/tmp/mdevkit-sort-XXXXXX";
	CHECK("temporary directory", mkdtemp(tmpl) != NULL);
	static const char *ids[] = {
		"ffffffff-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000002",
		"00000000-0000-0000-0000-000000000001", "80000000-0000-0000-0000-000000000000",
		"00000000-0000-0000-0001-000000000000", "0000000a-0000-0000-0000-000000000000",
	};
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		char p[128];
		snprintf(p, sizeof(p), "%s/%s", tmpl, ids[i]);
		close(open(p, O_CREAT | O_WRONLY, 0600));
	}
	struct mdev_ctx *ctx;
	mdev_ctx_new(tmpl, &ctx);
	struct uuid_set set;
	uuid_set_load(ctx, ".", &set);
	bool sorted = set.valid && set.n == ARRAY_SIZE(ids);
	for (size_t i = 1; sorted && i < set.n; i++)
		sorted = memcmp(set.ids[i - 1], set.ids[i], 16) < 0;
	CHECK("uuid set sorted by bytes", sorted);
	bool all = true;
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
		all &= uuid_set_may_contain(&set, ids[i]);
	CHECK("uuid set finds every entry",
	      all && !uuid_set_may_contain(&set, "00000000-0000-0000-0000-000000000003"));
	uuid_set_clear(&set);
	mdev_ctx_free(ctx);
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		char p[128];
		snprintf(p, sizeof(p), "%s/%s", tmpl, ids[i]);
		unlink(p);
	}
	rmdir(tmpl);
	return check_failed;
}
