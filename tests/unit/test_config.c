/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/config.c, lib/json.c, lib/format.c: config bytes (C-22, C-23), reading rules
 * (C-24..C-27) and the listing formats (C-33..C-38). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <mdev/mdev.h>
#include "check.h"
#include "internal.h"

static struct mdev_ctx *ctx;

/* Parse text; return "ok:<type>:<auto|manual>:<n attrs>" or "err:<message>". */
static const char *parse(const char *text)
{
	static char out[512];
	struct mdev_device dev = { 0 };
	if (mdev_config_parse(ctx, text, strlen(text), &dev) < 0)
		snprintf(out, sizeof(out), "err:%s", mdev_ctx_error_message(ctx));
	else
		snprintf(out, sizeof(out), "ok:%s:%s:%zu", dev.type, dev.autostart ? "auto" : "manual",
			 dev.n_attrs);
	mdev_device_clear(&dev);
	return out;
}

static void test_parse(void)
{
	CHECK_STR("C-25 minimal config", parse("{\"mdev_type\":\"t\",\"start\":\"auto\"}"), "ok:t:auto:0");
	CHECK_STR("C-25 start other than auto is manual", parse("{\"mdev_type\":\"t\",\"start\":\"AUTO\"}"), "ok:t:manual:0");
	CHECK_STR("C-25 start true is manual", parse("{\"mdev_type\":\"t\",\"start\":true}"), "ok:t:manual:0");
	CHECK_STR("C-25 missing start", parse("{\"mdev_type\":\"t\"}"), "err:invalid json");
	CHECK_STR("C-25 null type", parse("{\"mdev_type\":null,\"start\":\"auto\"}"), "err:invalid json");
	CHECK_STR("C-25 not an object", parse("[1]"), "err:invalid json");
	CHECK_STR("C-25 document null", parse("null"), "err:invalid json");
	CHECK_STR("C-25 repeated member keeps the last",
		  parse("{\"mdev_type\":\"a\",\"start\":\"auto\",\"mdev_type\":\"b\"}"), "ok:b:auto:0");
	CHECK_STR("C-25 unknown members ignored",
		  parse("{\"x\":[1,{}],\"mdev_type\":\"a\",\"start\":\"manual\"}"), "ok:a:manual:0");
	CHECK_STR("C-72 non-string type is an error, not a crash",
		  parse("{\"mdev_type\":5,\"start\":\"auto\"}"), "err:invalid json: mdev_type must be a string");
	CHECK_STR("C-26 attrs null", parse("{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":null}"), "ok:t:auto:0");
	CHECK_STR("C-26 attrs not array",
		  parse("{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":{}}"), "err:attributes field is not an array");
	CHECK_STR("C-26 attr not object",
		  parse("{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":[\"a\"]}"),
		  "err:invalid JSON format for attribute: not an object");
	CHECK_STR("C-26 empty attr object",
		  parse("{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":[{}]}"),
		  "err:invalid JSON format for attribute: too many fields");
	CHECK_STR("C-26 two-member attr",
		  parse("{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":[{\"a\":\"1\",\"b\":\"2\"}]}"),
		  "err:invalid JSON format for attribute: too many fields");
	CHECK_STR("C-27 non-string attribute value",
		  parse("{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":[{\"a\":1}]}"),
		  "err:invalid JSON format for attribute {\"a\", 1}: value must be of type str");
	CHECK_STR("C-27 repeated attribute names kept",
		  parse("{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":[{\"a\":\"1\"},{\"a\":\"2\"}]}"), "ok:t:auto:2");
	CHECK_STR("C-24 empty", parse(""), "err:EOF while parsing a value at line 1 column 0");
	CHECK_STR("C-24 BOM", parse("\xef\xbb\xbf{}"), "err:expected value at line 1 column 1");
	CHECK_STR("C-24 key must be a string", parse("{bad"), "err:key must be a string at line 1 column 2");
	CHECK_STR("C-24 not UTF-8", parse("{\"a\xff\":1}"), "err:stream did not contain valid UTF-8");
	CHECK_STR("C-24 line counting", parse("{\n  \"a\": [1,\n  2,]}"), "err:trailing comma at line 3 column 5");
	CHECK_STR("C-24 trailing characters", parse("{} {}"), "err:trailing characters at line 1 column 4");
	CHECK_STR("C-24 unterminated object", parse("{\"a\":\"b\""), "err:EOF while parsing an object at line 1 column 8");
	CHECK_STR("C-24 missing colon", parse("{\"a\" 1}"), "err:expected `:` at line 1 column 6");
	CHECK_STR("C-24 missing comma", parse("[1 2]"), "err:expected `,` or `]` at line 1 column 4");
	CHECK_STR("C-24 control character", parse("\"a\tb\""), "err:control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3");
	CHECK_STR("C-24 bad escape", parse("\"\\x\""), "err:invalid escape at line 1 column 3");
	CHECK_STR("C-24 whitespace around is fine", parse(" \n{\"mdev_type\":\"t\",\"start\":\"auto\"}\n\n"), "ok:t:auto:0");
	char deep[400] = "";
	for (int i = 0; i < 130; i++)
		strcat(deep, "[");
	CHECK_STR("C-24 recursion limit", parse(deep), "err:recursion limit exceeded at line 1 column 128");
}

/* What a parser made of text, in full: every attribute, or the error message. */
static void describe(int r, const struct mdev_device *dev, char *out, size_t size)
{
	if (r < 0) {
		snprintf(out, size, "err:%s", mdev_ctx_error_message(ctx));
		return;
	}
	int k = snprintf(out, size, "ok:%s:%d", dev->type, dev->autostart);
	for (size_t i = 0; i < dev->n_attrs && k > 0 && (size_t)k < size; i++)
		k += snprintf(out + k, size - (size_t)k, ":%s=%s", dev->attrs[i].name,
			      dev->attrs[i].value);
}

/* mdev_config_parse() reads the common shape without json-c; its answer must be the full
 * parser's for that shape and for everything near it. */
static bool same_as_full(const char *text, size_t len)
{
	char a[1024], b[1024];
	struct mdev_device d1 = { 0 }, d2 = { 0 };
	describe(mdev_config_parse(ctx, text, len, &d1), &d1, a, sizeof(a));
	describe(config_parse_full(ctx, text, len, &d2), &d2, b, sizeof(b));
	mdev_device_clear(&d1);
	mdev_device_clear(&d2);
	if (strcmp(a, b))
		fprintf(stderr, "differs on %.*s\n  shortcut: %s\n  full:     %s\n", (int)len, text, a, b);
	return !strcmp(a, b);
}

static void test_shortcut(void)
{
	static const char *seeds[] = {
		"{\n  \"mdev_type\": \"i915-GVTg_V5_4\",\n  \"start\": \"auto\",\n  \"attrs\": []\n}",
		"{\"mdev_type\":\"t\",\"start\":\"manual\",\"attrs\":[{\"a\":\"1\"},{\"b b\":\"x y\"}]}",
		"{\"attrs\":[{\"a\":\"1\"}],\"start\":\"auto\",\"mdev_type\":\"t\"}",
		"{\"mdev_type\":\"t\",\"start\":\"auto\"}",
	};
	/* each byte deleted, and each byte replaced by or preceded by one of these */
	static const char subst[] = " \t\n\r{}[]:,\"\\a0\x01\x7f\xc3";
	size_t cases = 0, differ = 0;
	for (size_t s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		const char *seed = seeds[s];
		size_t n = strlen(seed);
		char buf[256];
		cases++;
		differ += !same_as_full(seed, n);
		for (size_t i = 0; i <= n; i++) {
			if (i < n) {
				memcpy(buf, seed, i);
				memcpy(buf + i, seed + i + 1, n - i - 1);
				cases++;
				differ += !same_as_full(buf, n - 1);
			}
			for (size_t c = 0; c < sizeof(subst) - 1; c++) {
				memcpy(buf, seed, n);
				if (i < n) {
					buf[i] = subst[c];
					cases++;
					differ += !same_as_full(buf, n);
				}
				memcpy(buf, seed, i);
				buf[i] = subst[c];
				memcpy(buf + i + 1, seed + i, n - i);
				cases++;
				differ += !same_as_full(buf, n + 1);
			}
		}
	}
	CHECK("config shortcut and full parser agree on seeds and single-byte edits of them",
	      differ == 0 && cases > 1000);
	/* the shortcut's own limit: past it the full parser reads the file */
	char big[4096] = "{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":[";
	for (int i = 0; i < 40; i++)
		snprintf(big + strlen(big), sizeof(big) - strlen(big), "%s{\"k%d\":\"v\"}", i ? "," : "", i);
	strcat(big, "]}");
	CHECK("40 attributes read in full and in order", same_as_full(big, strlen(big)) &&
	      !strcmp(parse(big), "ok:t:auto:40"));
}

/* json_format's pretty form past the depth its line-break piece covers (32 levels) */
static void test_deep_format(void)
{
	char text[8192];
	const int depth = 45;
	/* each level on a line of its own, two spaces a level deeper */
	size_t k = 0;
	for (int i = 0; i < depth; i++)
		k += (size_t)snprintf(text + k, sizeof(text) - k, "%s%*s[", i ? "\n" : "", 2 * i, "");
	k += (size_t)snprintf(text + k, sizeof(text) - k, "\n%*s\"x\"", 2 * depth, "");
	for (int i = depth - 1; i >= 0; i--)
		k += (size_t)snprintf(text + k, sizeof(text) - k, "\n%*s]", 2 * i, "");
	struct json_object *o = NULL;
	char *out = json_parse_text(ctx, text, k, &o) == 0 ? json_format(o, true) : NULL;
	CHECK("a 45-deep array is printed back exactly (pretty)", out && !strcmp(out, text));
	free(out);
	json_object_put(o);
	/* every kind of value, compact, through the one writer (jw_*) */
	static const char all[] = "{\"a\":[1,-2,true,false,null,{\"b\":[]},{},[[]],1.5,\"x/y\\n\"],\"c\":{\"d\":{}}}";
	o = NULL;
	out = json_parse_text(ctx, all, strlen(all), &o) == 0 ? json_format(o, false) : NULL;
	CHECK_STR("every kind of value printed back exactly (compact)", out, all);
	free(out);
	json_object_put(o);
}

static void test_format(void)
{
	struct mdev_device dev = { 0 };
	strcpy(dev.uuid, "7686131b-b229-4768-a02c-35d1dbed7c66");
	dev.type = strdup("i915-GVTg_V5_4");
	dev.parent = strdup("0000:00:02.0");
	char *s = mdev_config_format(&dev, true);
	CHECK_STR("C-22 config without attrs", s,
		  "{\n  \"mdev_type\": \"i915-GVTg_V5_4\",\n  \"start\": \"manual\",\n  \"attrs\": []\n}");
	free(s);
	dev.autostart = true;
	mdev_device_add_attr(&dev, 0, "b", "2");
	mdev_device_add_attr(&dev, 0, "a", "q\"\\\n\x01/\x7f\xc3\xa9");
	s = mdev_config_format(&dev, true);
	CHECK_STR("C-22/C-23 config with attrs and escapes", s,
		  "{\n  \"mdev_type\": \"i915-GVTg_V5_4\",\n  \"start\": \"auto\",\n  \"attrs\": [\n"
		  "    {\n      \"a\": \"q\\\"\\\\\\n\\u0001/\x7f\xc3\xa9\"\n    },\n"
		  "    {\n      \"b\": \"2\"\n    }\n  ]\n}");
	free(s);
	s = mdev_config_format(&dev, false);
	CHECK_STR("C-23 compact form", s,
		  "{\"mdev_type\":\"i915-GVTg_V5_4\",\"start\":\"auto\",\"attrs\":[{\"a\":\"q\\\"\\\\\\n\\u0001/\x7f\xc3\xa9\"},{\"b\":\"2\"}]}");
	free(s);
	s = mdev_format_attrs(&dev);
	CHECK_STR("C-34 attrs block is raw", s,
		  "  Attrs:\n    @{0}: {\"a\":\"q\"\\\n\x01/\x7f\xc3\xa9\"}\n    @{1}: {\"b\":\"2\"}\n");
	free(s);
	CHECK("del attr out of range refused", mdev_device_del_attr(&dev, 2) < 0);
	CHECK("add attr past the end refused", mdev_device_add_attr(&dev, 3, "x", "y") < 0);
	CHECK("del attr", mdev_device_del_attr(&dev, 0) == 0 && dev.n_attrs == 1 && !strcmp(dev.attrs[0].name, "b"));

	struct mdev_device_list list = { &dev, 1 };
	s = mdev_format_list_json(&list, true);
	CHECK_STR("C-35 single device JSON is the bare config", s,
		  "{\n  \"mdev_type\": \"i915-GVTg_V5_4\",\n  \"start\": \"auto\",\n  \"attrs\": [\n    {\n      \"b\": \"2\"\n    }\n  ]\n}");
	free(s);
	s = mdev_format_list_json(&list, false);
	CHECK_STR("C-35 device tree JSON", s,
		  "[\n  {\n    \"0000:00:02.0\": [\n      {\n        \"7686131b-b229-4768-a02c-35d1dbed7c66\": {\n"
		  "          \"mdev_type\": \"i915-GVTg_V5_4\",\n          \"start\": \"auto\",\n          \"attrs\": [\n"
		  "            {\n              \"b\": \"2\"\n            }\n          ]\n        }\n      }\n    ]\n  }\n]");
	free(s);
	struct mdev_device_list empty = { 0 };
	s = mdev_format_list_json(&empty, false);
	CHECK_STR("C-35 empty JSON", s, "[]");
	free(s);
	s = mdev_format_list_json(&empty, true);
	CHECK_STR("C-35 empty single JSON", s, "[]");
	free(s);
	mdev_device_clear(&dev);

	struct mdev_type_info t[2] = {
		{ .id = "a_1", .available_instances = -3, .device_api = "vfio-pci", .name = "N" },
		{ .id = "b_2", .available_instances = 2, .device_api = "vfio-ccw", .description = "d1, d2" },
	};
	struct mdev_parent_info p = { .name = "0.0.26ab", .types = t, .n_types = 2 };
	struct mdev_parent_list pl = { &p, 1 };
	s = mdev_format_types_text(&pl);
	CHECK_STR("C-37 types text", s,
		  "0.0.26ab\n  a_1\n    Available instances: -3\n    Device API: vfio-pci\n    Name: N\n"
		  "  b_2\n    Available instances: 2\n    Device API: vfio-ccw\n    Description: d1, d2\n");
	free(s);
	s = mdev_format_types_json(&pl);
	CHECK_STR("C-38 types JSON", s,
		  "[\n  {\n    \"0.0.26ab\": [\n      {\n        \"a_1\": {\n          \"available_instances\": -3,\n"
		  "          \"device_api\": \"vfio-pci\",\n          \"name\": \"N\"\n        }\n      },\n"
		  "      {\n        \"b_2\": {\n          \"available_instances\": 2,\n          \"device_api\": \"vfio-ccw\",\n"
		  "          \"description\": \"d1, d2\"\n        }\n      }\n    ]\n  }\n]");
	free(s);
	struct mdev_parent_list none = { 0 };
	s = mdev_format_types_json(&none);
	CHECK_STR("C-38 no parents", s, "[]");
	free(s);
}

/* Issue 19.7: library users that define a device on a root without etc/mdevctl.d, and without
 * calling mdev_ctx_check_dirs(), still exclude each other: 32 processes define the same UUID at
 * once, with a callout that sleeps between the existence check and the write; exactly one may
 * win. */
static void test_writers_without_config_dir(void)
{
	char tmpl[] = "/tmp/mdevkit-writers-XXXXXX";
	char *root = mkdtemp(tmpl);
	char script[256];
	snprintf(script, sizeof(script), "%s/usr/lib/mdevctl/scripts.d/callouts", root ? root : "");
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && printf '#!/bin/sh\\nsleep 0.05\\nexit 2\\n' >%s/slow && chmod 755 %s/slow",
		 script, script, script);
	bool ready = root && system(cmd) == 0;
	enum { WRITERS = 32 };
	pid_t pids[WRITERS];
	for (int i = 0; ready && i < WRITERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct mdev_ctx *c;
			struct mdev_define_req req = { .uuid = "0d0d0d0d-0000-4000-8000-000000000001",
						       .parent = "0000:00:02.0", .type = "i915-GVTg_V5_4" };
			_exit(mdev_ctx_new(root, &c) == 0 && mdev_define(c, &req, NULL) == 0 ? 0 : 1);
		}
	}
	int won = 0, lost = 0;
	for (int i = 0; ready && i < WRITERS; i++) {
		int st;
		if (pids[i] > 0 && waitpid(pids[i], &st, 0) == pids[i] && WIFEXITED(st))
			WEXITSTATUS(st) == 0 ? won++ : lost++;
	}
	char cfg[256];
	snprintf(cfg, sizeof(cfg), "%s/etc/mdevctl.d/0000:00:02.0/0d0d0d0d-0000-4000-8000-000000000001",
		 root ? root : "");
	struct stat st;
	CHECK("32 library writers on a root without etc/mdevctl.d: it is created, one define wins",
	      ready && stat(cfg, &st) == 0 && won == 1 && lost == WRITERS - 1);
	if (won != 1)
		printf("# %d of %d defines of the same UUID succeeded\n", won, WRITERS);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root ? root : "/nonexistent");
	if (root && system(cmd) != 0)
		printf("# could not remove %s\n", root);
}

int main(void)
{
	if (mdev_ctx_new("/", &ctx) < 0)
		return 1;
	test_parse();
	test_shortcut();
	test_deep_format();
	test_format();
	mdev_ctx_free(ctx);
	test_writers_without_config_dir();
	return check_failed;
}
