/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Running a listing's items on the calling thread and one helper thread, with the result the
 * same as one thread's: every item runs under a worker context of its own thread, whose log lines
 * and error are kept per item; the caller then replays them in item order. Reading thousands of
 * config files is mostly kernel work (open, read, close), which two CPUs share well as long as
 * each thread opens from directory fds of its own (with shared ones the second thread won
 * little: bench/results.md). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include "internal.h"

/* below this many items, a thread costs more than it saves */
#define PAR_MIN_ITEMS 64
/* items claimed at a time: small enough to keep both threads busy to the end */
#define PAR_BLOCK 8

struct par_log {
	enum mdev_log_level level;
	char *module;
	char *msg;
};

struct par_note {
	struct par_log *logs;
	size_t n_logs;
	struct saved_error err;
};

struct par_shared {
	struct mdev_ctx *ctx;
	par_item_fn fn;
	void *data;
	struct par_run *run;
	atomic_size_t next;
	size_t block; /* items claimed at a time */
	atomic_size_t first_failed; /* no item after a failed one is needed */
};

struct par_worker {
	struct par_shared *sh;
	size_t cur; /* the item running now, for the log capture */
	bool oom;   /* a log line could not be kept */
};

unsigned par_threads(struct mdev_ctx *ctx, size_t n_items)
{
	return par_threads_for(ctx, n_items, n_items >= PAR_MIN_ITEMS);
}

unsigned par_threads_for(struct mdev_ctx *ctx, size_t n_items, bool long_enough)
{
	if (ctx->threads)
		return ctx->threads > 1 && n_items > 1 ? 2 : 1;
	if (!long_enough || n_items < 2)
		return 1;
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) < 0 || CPU_COUNT(&set) < 2)
		return 1;
	return 2;
}

static struct par_note *note_of(struct par_run *run, size_t i)
{
	if (!run->notes[i])
		run->notes[i] = calloc(1, sizeof(*run->notes[i]));
	return run->notes[i];
}

static void capture_log(void *data, enum mdev_log_level level, const char *module,
			const char *msg)
{
	struct par_worker *w = data;
	struct par_note *note = note_of(w->sh->run, w->cur);
	struct par_log *v = note ? realloc(note->logs, (note->n_logs + 1) * sizeof(*v)) : NULL;
	if (!v) {
		w->oom = true;
		return;
	}
	note->logs = v;
	struct par_log *l = &v[note->n_logs];
	l->level = level;
	l->module = strdup(module);
	l->msg = strdup(msg);
	if (!l->module || !l->msg) {
		free(l->module);
		free(l->msg);
		w->oom = true;
		return;
	}
	note->n_logs++;
}

static void *work(void *arg)
{
	struct par_worker *w = arg;
	struct par_shared *sh = w->sh;
	/* a view of the caller's context whose log lines are kept per item */
	struct mdev_ctx wctx;
	ctx_init_worker(&wctx, sh->ctx, capture_log, w);
	_cleanup_dircache_ struct dircache dc = { 0 };
	for (;;) {
		size_t start = atomic_fetch_add(&sh->next, sh->block);
		if (start >= sh->run->n)
			break;
		size_t end = start + sh->block < sh->run->n ? start + sh->block : sh->run->n;
		for (size_t i = start; i < end; i++) {
			if (i > atomic_load(&sh->first_failed))
				break;
			w->cur = i;
			int r = sh->fn(&wctx, &dc, sh->data, i);
			if (r < 0) {
				struct par_note *note = note_of(sh->run, i);
				if (note)
					note->err = lib_error_save(&wctx);
				else
					r = -ENOMEM;
				size_t f = atomic_load(&sh->first_failed);
				while (i < f && !atomic_compare_exchange_weak(&sh->first_failed, &f, i))
					;
			}
			sh->run->rc[i] = w->oom ? -ENOMEM : r;
			w->oom = false;
			lib_error_clear(&wctx);
		}
	}
	return NULL;
}

/* The helper on a CPU other than the caller's: left to itself, the kernel may queue a new thread
 * behind its busy creator until load balancing moves it, which on a small VM took milliseconds,
 * as long as the work it was meant to share (bench/results.md). */
static void pin_elsewhere(pthread_attr_t *attr)
{
	cpu_set_t allowed, one;
	int me = sched_getcpu();
	if (me < 0 || sched_getaffinity(0, sizeof(allowed), &allowed) < 0)
		return;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (cpu == me || !CPU_ISSET(cpu, &allowed))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		pthread_attr_setaffinity_np(attr, sizeof(one), &one);
		return;
	}
}

int par_for(struct mdev_ctx *ctx, size_t n, unsigned threads, par_item_fn fn, void *data,
	    struct par_run *ret)
{
	*ret = (struct par_run){ .n = n };
	ret->rc = calloc(n ? n : 1, sizeof(*ret->rc));
	ret->notes = calloc(n ? n : 1, sizeof(*ret->notes));
	if (!ret->rc || !ret->notes) {
		par_run_clear(ret);
		return lib_error(ctx, ENOMEM, "out of memory");
	}
	/* a few long items (directories to list) go one at a time */
	struct par_shared sh = { .ctx = ctx, .fn = fn, .data = data, .run = ret,
				 .block = n < PAR_MIN_ITEMS ? 1 : PAR_BLOCK };
	atomic_init(&sh.next, 0);
	atomic_init(&sh.first_failed, SIZE_MAX);
	struct par_worker main_w = { .sh = &sh }, helper_w = { .sh = &sh };
	pthread_t helper;
	bool started = false;
	if (threads > 1) {
		pthread_attr_t attr;
		if (pthread_attr_init(&attr) == 0) {
			pin_elsewhere(&attr);
			/* without a helper thread the caller does it all */
			started = pthread_create(&helper, &attr, work, &helper_w) == 0;
			pthread_attr_destroy(&attr);
		}
	}
	work(&main_w);
	if (started)
		pthread_join(helper, NULL);
	return 0;
}

int par_replay(struct mdev_ctx *ctx, struct par_run *run, size_t i)
{
	struct par_note *note = run->notes[i];
	for (size_t k = 0; note && k < note->n_logs; k++)
		lib_log(ctx, note->logs[k].level, note->logs[k].module, "%s", note->logs[k].msg);
	if (run->rc[i] >= 0)
		return run->rc[i];
	if (!note || !note->err.msg)
		return lib_error_bare_os(ctx, -run->rc[i]);
	lib_error_restore(ctx, &note->err);
	return run->rc[i];
}

void par_run_clear(struct par_run *run)
{
	for (size_t i = 0; run->notes && i < run->n; i++) {
		struct par_note *note = run->notes[i];
		if (!note)
			continue;
		for (size_t k = 0; k < note->n_logs; k++) {
			free(note->logs[k].module);
			free(note->logs[k].msg);
		}
		free(note->logs);
		free(note->err.msg);
		strv_free(note->err.causes, note->err.n_causes);
		free(note);
	}
	free(run->rc);
	free(run->notes);
	*run = (struct par_run){ 0 };
}
