/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/parallel.c: items run on two threads give the messages and the first error of one thread,
 * in item order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include "internal.h"
#include "check.h"

#define N 1000

/* what the caller's log function saw, in order */
static char seen[64 * 1024];
static void keep(void *data, enum mdev_log_level level, const char *module, const char *msg)
{
	(void)data;
	size_t n = strlen(seen);
	snprintf(seen + n, sizeof(seen) - n, "%d %s %s\n", (int)level, module, msg);
}

static int outputs;
static void out_fn(void *data, const char *bytes, size_t n)
{
	(void)data, (void)bytes, (void)n;
	outputs++;
}

struct job {
	size_t fail_at; /* N: none */
	pthread_t tid[N];
	bool ran[N];
};

/* items log one line each (two for every seventh, one a debug line), and one may fail */
static int item(struct mdev_ctx *wctx, struct dircache *dc, void *data, size_t i)
{
	(void)dc;
	struct job *j = data;
	j->tid[i] = pthread_self();
	j->ran[i] = true;
	usleep(10); /* yields: the helper gets items even on one CPU */
	log_warn(wctx, "item %zu", i);
	if (i % 7 == 0)
		log_debug(wctx, "seventh %zu", i);
	if (i == j->fail_at)
		return lib_error(wctx, EINVAL, "item %zu failed", i);
	return 0;
}

static void expected(char *buf, size_t sz, size_t upto, enum mdev_log_level level)
{
	buf[0] = '\0';
	for (size_t i = 0; i <= upto && i < N; i++) {
		size_t n = strlen(buf);
		n += (size_t)snprintf(buf + n, sz - n, "%d mdevctl item %zu\n", MDEV_LOG_WARN, i);
		if (i % 7 == 0 && level >= MDEV_LOG_DEBUG)
			snprintf(buf + n, sz - n, "%d mdevctl seventh %zu\n", MDEV_LOG_DEBUG, i);
	}
}

/* runs the job, replays every item; returns the index that failed (N if none) */
static size_t run(struct mdev_ctx *ctx, struct job *j, unsigned threads)
{
	struct par_run r;
	seen[0] = '\0';
	size_t failed = N;
	if (par_for(ctx, N, threads, item, j, &r) < 0)
		return SIZE_MAX;
	for (size_t i = 0; i < N; i++)
		if (par_replay(ctx, &r, i) < 0) {
			failed = i;
			break;
		}
	par_run_clear(&r);
	return failed;
}

static bool two_threads_ran(const struct job *j)
{
	for (size_t i = 1; i < N; i++)
		if (j->ran[i] && !pthread_equal(j->tid[i], j->tid[0]))
			return true;
	return false;
}

int main(void)
{
	struct mdev_ctx *ctx;
	CHECK("ctx", mdev_ctx_new("/", &ctx) == 0);
	static char want[64 * 1024];

	mdev_ctx_set_log_fn(ctx, keep, NULL, MDEV_LOG_DEBUG);
	static struct job j = { .fail_at = N };
	CHECK("two threads: no failure", run(ctx, &j, 2) == N);
	expected(want, sizeof(want), N, MDEV_LOG_DEBUG);
	CHECK("two threads: every item's lines, in item order", !strcmp(seen, want));
	CHECK("two threads: both threads took items", two_threads_ran(&j));
	CHECK("no error left in the caller's context",
	      !strcmp(mdev_ctx_error_message(ctx), "Unknown error"));

	memset(&j, 0, sizeof(j));
	j.fail_at = 537;
	CHECK("two threads: the failing item is the one reported", run(ctx, &j, 2) == 537);
	CHECK_STR("two threads: its error moves to the caller", mdev_ctx_error_message(ctx),
		  "item 537 failed");
	expected(want, sizeof(want), 537, MDEV_LOG_DEBUG);
	CHECK("two threads: lines up to the failing item only", !strcmp(seen, want));

	memset(&j, 0, sizeof(j));
	j.fail_at = 3;
	CHECK("one thread: the failing item is the one reported", run(ctx, &j, 1) == 3);
	bool later = false;
	for (size_t i = 4; i < N; i++)
		later |= j.ran[i];
	CHECK("one thread: no item runs after the failed one", !later);
	CHECK("one thread: all on the caller's thread", !two_threads_ran(&j));

	/* the caller's level applies to what workers keep */
	mdev_ctx_set_log_fn(ctx, keep, NULL, MDEV_LOG_WARN);
	memset(&j, 0, sizeof(j));
	j.fail_at = N;
	run(ctx, &j, 2);
	expected(want, sizeof(want), N, MDEV_LOG_WARN);
	CHECK("two threads: debug lines filtered at the caller's level", !strcmp(seen, want));

	/* no log function: nothing kept, nothing replayed */
	mdev_ctx_set_log_fn(ctx, NULL, NULL, MDEV_LOG_DEBUG);
	memset(&j, 0, sizeof(j));
	j.fail_at = 10;
	CHECK("no log function: the failure still reported", run(ctx, &j, 2) == 10);
	CHECK("no log function: no lines", seen[0] == '\0');

	struct par_run r;
	CHECK("empty run", par_for(ctx, 0, 2, item, &j, &r) == 0 && r.n == 0);
	par_run_clear(&r);

	/* a worker context refuses what must run on the calling thread */
	mdev_ctx_set_output_fn(ctx, out_fn, NULL);
	struct mdev_ctx w;
	ctx_init_worker(&w, ctx, keep, NULL);
	CHECK("worker: the caller's root", w.root == ctx->root && w.root_fd == ctx->root_fd);
	CHECK("worker: no output function, no lock", !w.output_fn && w.lock_fd == -1 && w.threads == 1);
	struct mdev_device dev = { .uuid = "11111111-2222-3333-4444-555555555555",
				   .parent = (char *)"p", .type = (char *)"t" };
	CHECK("worker: callout_invoke refused", callout_invoke(&w, ACTION_START, &dev, false, NULL, NULL) == -EPERM);
	CHECK_STR("worker: and says why", mdev_ctx_error_message(&w),
		  "internal error: a callout script on a listing's helper thread");
	CHECK("worker: callout_get_attributes refused", callout_get_attributes(&w, &dev) == -EPERM);
	CHECK("worker: callout_live refused", callout_live(&w, &dev) == -EPERM);
	lib_output(&w, "x", 1);
	CHECK("worker: raw output dropped", outputs == 0);
	lib_output(ctx, "x", 1);
	CHECK("caller: raw output delivered", outputs == 1);
	CHECK("caller: no check error", ctx_check_not_worker(ctx, "x") == 0);
	lib_error_clear(&w);
	mdev_ctx_free(ctx);
	return check_failed;
}
