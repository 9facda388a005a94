/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdevctl and lsmdev: one binary, a thin user of libmdev. Output and exit codes follow
 * upstream mdevctl 1.3.0 (the rules C-n of docs/compat.md). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "log.h"

/* Upstream's anyhow report: "Error: msg", then "Caused by:" and the causes (C-11). */
static int report(struct mdev_ctx *ctx)
{
	fprintf(stderr, "Error: %s\n", mdev_ctx_error_message(ctx));
	size_t n = mdev_ctx_error_cause_count(ctx);
	if (n)
		fprintf(stderr, "\nCaused by:\n");
	for (size_t i = 0; i < n; i++) {
		const char *c = mdev_ctx_error_cause(ctx, i);
		if (n == 1)
			fputs("    ", stderr);
		else
			fprintf(stderr, "%5zu: ", i);
		for (; *c; c++) {
			fputc(*c, stderr);
			if (*c == '\n')
				fputs(n == 1 ? "    " : "       ", stderr);
		}
		fputc('\n', stderr);
	}
	return 1;
}

/* A listing, written as it is produced, followed by the newline mdevctl 1.3.0 adds (C-1a); r is
 * what the library's print function returned. A closed stdout is an error, as in upstream's
 * later releases, not a crash. */
static int finish_listing(int r, const char *what)
{
	if (r == -ENOMEM) {
		fprintf(stderr, "Error: out of memory\n");
		return 1;
	}
	int err = -r;
	if (!err && (fputc('\n', stdout) == EOF || fflush(stdout) != 0))
		err = errno ? errno : EIO;
	if (err) {
		fprintf(stderr, "Error: %s\n\nCaused by:\n    %s (os error %d)\n", what,
			strerror(err), err);
		return 1;
	}
	return 0;
}

static int cmd_list(struct mdev_ctx *ctx, const struct cli_opts *o)
{
	struct mdev_device_list list = { 0 };
	int r = o->defined ? mdev_list_defined(ctx, o->uuid, o->parent, &list)
			   : mdev_list_active(ctx, o->uuid, o->parent, &list);
	if (r < 0)
		return report(ctx);
	r = o->dumpjson ? mdev_print_list_json(stdout, &list, o->uuid != NULL)
			: mdev_print_list_text(stdout, &list, o->defined, o->verbose);
	mdev_device_list_clear(&list);
	return finish_listing(r, "Failed to write data");
}

static int cmd_types(struct mdev_ctx *ctx, const struct cli_opts *o)
{
	struct mdev_parent_list list = { 0 };
	if (mdev_list_types(ctx, o->parent, &list) < 0)
		return report(ctx);
	int r = o->dumpjson ? mdev_print_types_json(stdout, &list)
			    : mdev_print_types_text(stdout, &list);
	mdev_parent_list_clear(&list);
	return finish_listing(r, "Unable to write output");
}

static int print_uuid(bool generated, const char *uuid)
{
	if (generated)
		printf("%s\n", uuid);
	return 0;
}

static void to_stderr(void *userdata, const char *bytes, size_t n)
{
	(void)userdata;
	fflush(stderr);
	fwrite(bytes, 1, n, stderr);
	fflush(stderr);
}

static int run(struct mdev_ctx *ctx, const struct cli_opts *o)
{
	char uuid[MDEV_UUID_LEN + 1];
	switch (o->cmd) {
	case CLI_LIST:
		return cmd_list(ctx, o);
	case CLI_TYPES:
		return cmd_types(ctx, o);
	case CLI_DEFINE: {
		struct mdev_define_req req = { .uuid = o->uuid, .parent = o->parent, .type = o->type,
					       .jsonfile = o->jsonfile, .autostart = o->autostart,
					       .force = o->force };
		return mdev_define(ctx, &req, uuid) < 0 ? report(ctx) : print_uuid(!o->uuid, uuid);
	}
	case CLI_UNDEFINE:
		return mdev_undefine(ctx, o->uuid, o->parent, o->force) < 0 ? report(ctx) : 0;
	case CLI_MODIFY: {
		struct mdev_modify_req req = {
			.uuid = o->uuid, .parent = o->parent, .type = o->type,
			.start = o->autostart ? MDEV_START_AUTO : o->manual ? MDEV_START_MANUAL : MDEV_START_KEEP,
			.addattr = o->addattr, .value = o->value, .delattr = o->delattr,
			.has_index = o->has_index, .index = o->index, .jsonfile = o->jsonfile,
			.live = o->live, .defined = o->defined, .force = o->force,
		};
		return mdev_modify(ctx, &req) < 0 ? report(ctx) : 0;
	}
	case CLI_START: {
		struct mdev_start_req req = { .uuid = o->uuid, .parent = o->parent, .type = o->type,
					      .jsonfile = o->jsonfile, .force = o->force };
		return mdev_start(ctx, &req, uuid) < 0 ? report(ctx) : print_uuid(!o->uuid, uuid);
	}
	case CLI_STOP:
		return mdev_stop(ctx, o->uuid, o->force) < 0 ? report(ctx) : 0;
	case CLI_START_PARENT_MDEVS:
		return mdev_start_parent_devices(ctx, o->parent) < 0 ? report(ctx) : 0;
	case CLI_NONE:
		break;
	}
	return 2;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	enum mdev_log_level level = log_setup();
	struct mdev_ctx *ctx;
	int r = mdev_ctx_new(NULL, &ctx);
	if (r < 0) {
		/* the root itself is missing: the self-check's first directory is too */
		const char *root = getenv("MDEVCTL_ENV_ROOT");
		size_t n = root ? strlen(root) : 0;
		fprintf(stderr,
			"Error: Required directory \"%s%setc/mdevctl.d\" doesn't exist. This may indicate a packaging or installation error\n",
			root ? root : "/", n && root[n - 1] != '/' ? "/" : "");
		return 1;
	}
	mdev_ctx_set_log_fn(ctx, log_line, NULL, level);
	mdev_ctx_set_output_fn(ctx, to_stderr, NULL);
	struct cli_opts opts;
	if (mdev_ctx_check_dirs(ctx) < 0)
		r = report(ctx);
	else if ((r = cli_parse(argc, argv, &opts)) < 0)
		r = run(ctx, &opts);
	mdev_ctx_free(ctx);
	if (fflush(stdout) != 0 && r == 0)
		r = 1;
	return r;
}
