/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A tiny check harness for unit tests: one "PASS name" / "FAIL name" line per check
 * (tests/run's protocol), exit status 1 if any failed. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed;

#define CHECK(name, cond)                                                                     \
	do {                                                                                      \
		if (cond) {                                                                       \
			printf("PASS %s\n", name);                                                \
		} else {                                                                          \
			printf("FAIL %s\n# %s:%d: %s\n", name, __FILE__, __LINE__, #cond);       \
			check_failed = 1;                                                         \
		}                                                                                 \
	} while (0)

#define CHECK_STR(name, got, want)                                                            \
	do {                                                                                      \
		const char *g_ = (got), *w_ = (want);                                             \
		if (g_ && w_ && !strcmp(g_, w_)) {                                                \
			printf("PASS %s\n", name);                                                \
		} else {                                                                          \
			printf("FAIL %s\n# got:  [%s]\n# want: [%s]\n", name, g_ ? g_ : "(null)", \
			       w_ ? w_ : "(null)");                                               \
			check_failed = 1;                                                         \
		}                                                                                 \
	} while (0)

#endif
