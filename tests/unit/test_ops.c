/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/ops.c, lib/config.c and lib/callout.c through the public API: the seed's define, modify
 * --auto, start and stop on a fixture root, what each writes (C-19, C-22, C-40, C-44, C-50,
 * C-54), the checks that refuse bad requests before anything is written, and the callout
 * protocol's arguments and events (C-57, C-61). */
#include <signal.h>
#include <mdev/mdev.h>
#include "check.h"
#include "fixture.h"

#define U "7686131b-b229-4768-a02c-35d1dbed7c66"
#define CFG "etc/mdevctl.d/0000:00:02.0/" U
#define CREATE "sys/devices/" FX_GVT "/mdev_supported_types/i915-GVTg_V5_4/create"

int main(void)
{
	fx_root();
	fx_gvt_parent();
	/* a callout that records how it was called, and declines nothing */
	fx_write("usr/lib/mdevctl/scripts.d/callouts/rec.sh",
		 "#!/bin/sh\ncase \"$*\" in *'-a capabilities'*) exit 2 ;; esac\n"
		 "cat >/dev/null\necho \"$*\" >>\"$0.log\"\nexit 0\n");
	char script[256];
	snprintf(script, sizeof(script), "%s/usr/lib/mdevctl/scripts.d/callouts/rec.sh", fx_dir);
	chmod(script, 0755);
	struct mdev_ctx *ctx;
	if (mdev_ctx_new(fx_dir, &ctx) < 0)
		return 1;

	char uuid[MDEV_UUID_LEN + 1];
	struct mdev_define_req def = { .uuid = U, .parent = "0000:00:02.0", .type = "i915-GVTg_V5_4" };
	CHECK("C-40 define", mdev_define(ctx, &def, uuid) == 0 && !strcmp(uuid, U));
	CHECK_STR("C-22 the config's bytes", fx_read(CFG),
		  "{\n  \"mdev_type\": \"i915-GVTg_V5_4\",\n  \"start\": \"manual\",\n  \"attrs\": []\n}");
	CHECK_STR("C-57 C-61 the callout saw pre and post of define",
		  fx_read("usr/lib/mdevctl/scripts.d/callouts/rec.sh.log"),
		  "-t i915-GVTg_V5_4 -e pre -a define -s none -u " U " -p 0000:00:02.0\n"
		  "-t i915-GVTg_V5_4 -e post -a define -s success -u " U " -p 0000:00:02.0\n");
	CHECK("C-40 defining it again is refused", mdev_define(ctx, &def, uuid) < 0 &&
	      strlen(mdev_ctx_error_message(ctx)) > 0);

	struct mdev_modify_req mod = { .uuid = U, .start = MDEV_START_AUTO };
	CHECK("C-44 modify --auto", mdev_modify(ctx, &mod) == 0);
	CHECK("C-44 start mode written", strstr(fx_read(CFG), "\"start\": \"auto\"") != NULL);
	struct mdev_modify_req add = { .uuid = U, .addattr = "frl", .value = "0" };
	CHECK("C-45 modify --addattr", mdev_modify(ctx, &add) == 0 &&
	      strstr(fx_read(CFG), "\"attrs\": [\n    {\n      \"frl\": \"0\"\n    }\n  ]"));

	/* checked before anything is written */
	struct mdev_define_req evil = { .uuid = "99999999-9999-4999-8999-999999999999",
					.parent = "../..", .type = "i915-GVTg_V5_4" };
	CHECK("C-73 a parent that climbs out is refused", mdev_define(ctx, &evil, uuid) < 0 &&
	      strstr(mdev_ctx_error_message(ctx), "Invalid parent"));
	CHECK("C-73 nothing written outside", !fx_exists("99999999-9999-4999-8999-999999999999"));

	/* the fixture has no kernel: the device does not appear, so its attribute cannot be
	 * written and the start is rolled back by removing what was created (C-52) */
	struct mdev_start_req st = { .uuid = U };
	CHECK("C-52 start fails when the attribute cannot be written",
	      mdev_start(ctx, &st, uuid) < 0 &&
	      !strcmp(mdev_ctx_error_message(ctx), "Error removing device " U));
	CHECK_STR("C-19 the UUID was written to the type's create file", fx_read(CREATE), U);
	struct mdev_modify_req del = { .uuid = U, .delattr = true };
	CHECK("C-46 modify --delattr", mdev_modify(ctx, &del) == 0 &&
	      strstr(fx_read(CFG), "\"attrs\": []"));
	fx_write(CREATE, "");
	CHECK("C-50 start the definition", mdev_start(ctx, &st, uuid) == 0 && !strcmp(uuid, U));
	CHECK_STR("C-19 the UUID written to create", fx_read(CREATE), U);

	/* the kernel would have made the device appear; the fixture does it by hand */
	fx_gvt_dev("i915-GVTg_V5_4", U);
	CHECK("C-54 stop", mdev_stop(ctx, U, false) == 0);
	CHECK_STR("C-54 1 written to remove", fx_read("sys/devices/" FX_GVT "/" U "/remove"), "1");

	CHECK("C-43 undefine", mdev_undefine(ctx, U, NULL, false) == 0 && !fx_exists(CFG));
	CHECK("C-43 undefining it again is an error", mdev_undefine(ctx, U, NULL, false) < 0);

	/* A callout that exits without reading its stdin, given more than a pipe holds: the
	 * library's write gets EPIPE, and must not kill this program (which, unlike mdevctl,
	 * does not ignore SIGPIPE) */
	unlink(script);
	fx_write("usr/lib/mdevctl/scripts.d/callouts/noread.sh",
		 "#!/bin/sh\ncase \"$*\" in *'-a capabilities'*) exit 2 ;; esac\nexit 0\n");
	snprintf(script, sizeof(script), "%s/usr/lib/mdevctl/scripts.d/callouts/noread.sh", fx_dir);
	chmod(script, 0755);
	static char big[200000];
	memset(big, 'x', sizeof(big) - 1);
	char *json = malloc(sizeof(big) + 128);
	snprintf(json, sizeof(big) + 128,
		 "{\"mdev_type\":\"i915-GVTg_V5_4\",\"start\":\"manual\",\"attrs\":[{\"big\":\"%s\"}]}", big);
	fx_write("big.json", json);
	free(json);
	char jpath[256];
	snprintf(jpath, sizeof(jpath), "%s/big.json", fx_dir);
	struct mdev_define_req bigdef = { .uuid = U, .parent = "0000:00:02.0", .jsonfile = jpath };
	CHECK("a callout that leaves 200 kB of stdin unread does not kill the caller (SIGPIPE)",
	      mdev_define(ctx, &bigdef, uuid) == 0 && fx_exists(CFG));
	sigset_t pending;
	sigpending(&pending);
	CHECK("no SIGPIPE left pending", !sigismember(&pending, SIGPIPE));

	/* A callout that writes 300 kB before it reads its 200 kB of stdin: neither side may
	 * block the other (a deadlock would end in the timeout, and the define would fail) */
	unlink(script);
	fx_write("usr/lib/mdevctl/scripts.d/callouts/chatty.sh",
		 "#!/bin/sh\ncase \"$*\" in *'-a capabilities'*) exit 2 ;; esac\n"
		 "head -c 300000 /dev/zero | tr '\\000' a\ncat >/dev/null\nexit 0\n");
	snprintf(script, sizeof(script), "%s/usr/lib/mdevctl/scripts.d/callouts/chatty.sh", fx_dir);
	chmod(script, 0755);
	mdev_ctx_set_callout_timeout(ctx, 10000);
	CHECK("undefine the big one", mdev_undefine(ctx, U, NULL, true) == 0);
	CHECK("a callout that writes before it reads a large stdin does not deadlock",
	      mdev_define(ctx, &bigdef, uuid) == 0 && fx_exists(CFG));

	/* the calling program's blocked signals do not reach the script */
	unlink(script);
	/* (not a shell script: dash clears its signal mask when it starts) */
	fx_write("usr/lib/mdevctl/scripts.d/callouts/mask.py",
		 "#!/usr/bin/python3\nimport sys\nif 'capabilities' in sys.argv: sys.exit(2)\n"
		 "sys.stdin.read()\n"
		 "blk = [l for l in open('/proc/self/status') if l.startswith('SigBlk')]\n"
		 "open(sys.argv[0] + '.log', 'w').write(blk[0])\n");
	snprintf(script, sizeof(script), "%s/usr/lib/mdevctl/scripts.d/callouts/mask.py", fx_dir);
	chmod(script, 0755);
	sigset_t term, before;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &before);
	struct mdev_define_req d2 = { .uuid = "22222222-2222-4222-8222-222222222222",
				      .parent = "0000:00:02.0", .type = "i915-GVTg_V5_8" };
	CHECK("a callout runs with no signal blocked, whatever its caller blocks",
	      mdev_define(ctx, &d2, uuid) == 0 &&
	      strstr(fx_read("usr/lib/mdevctl/scripts.d/callouts/mask.py.log"),
		     "SigBlk:\t0000000000000000"));
	sigprocmask(SIG_SETMASK, &before, NULL);
	mdev_ctx_free(ctx);
	fx_cleanup();
	return check_failed;
}
