/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* src/vgpuctl/layout/layout_file.c: what a layout file holds once read, and the exact message
 * (file, line, config, entry) for each way a file can be wrong. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"
#include "layout.h"

/* One file that is wrong: its text (lines joined by \n) and the whole message. */
static void rejects(const char *name, const char *text, const char *want)
{
	char err[1024] = "";
	struct layout_file f;
	int r = layout_file_parse("L.yaml", text, strlen(text), &f, err, sizeof(err));
	if (r == 0)
		layout_file_clear(&f);
	CHECK_STR(name, r < 0 ? err : "(accepted)", want);
}

/* The same, for text with NUL bytes or without a terminating NUL. */
static void rejects_n(const char *name, const char *text, size_t len, const char *want)
{
	char err[1024] = "";
	struct layout_file f;
	char *copy = malloc(len);
	memcpy(copy, text, len);
	int r = layout_file_parse("L.yaml", copy, len, &f, err, sizeof(err));
	free(copy);
	if (r == 0)
		layout_file_clear(&f);
	CHECK_STR(name, r < 0 ? err : "(accepted)", want);
}

static int parse(const char *text, struct layout_file *f)
{
	char err[1024] = "";
	int r = layout_file_parse("L.yaml", text, strlen(text), f, err, sizeof(err));
	if (r < 0)
		printf("# %s\n", err);
	return r;
}

#define HEAD "version: v1\nvgpu-configs:\n"

static void test_accepts(void)
{
	struct layout_file f;
	CHECK("accepts: NVIDIA's shape (all, a list, quoted type names, comments)",
	      parse("version: v1\n"
		    "vgpu-configs:\n"
		    "  # the default\n"
		    "  T4-1Q:\n"
		    "    - devices: all\n"
		    "      vgpu-devices:\n"
		    "        \"T4-1Q\": 16\n"
		    "  T4-small:\n"
		    "    - devices: [1, 0, 1]\n"
		    "      vgpu-devices:\n"
		    "        T4-1Q: 16\n"
		    "        T4-2Q: 4\n"
		    "    - devices:\n"
		    "        - 3\n"
		    "      vgpu-devices: {}\n",
		    &f) == 0);
	CHECK("accepts: configs in file order, with lines", f.n_configs == 2 && !strcmp(f.configs[0].name, "T4-1Q") &&
							     f.configs[0].line == 4 && !strcmp(f.configs[1].name, "T4-small") &&
							     f.configs[1].line == 8 && f.line == 2 && !strcmp(f.path, "L.yaml"));
	const struct layout_config *c = layout_file_find(&f, "T4-1Q");
	CHECK("accepts: devices all, one count with its line",
	      c && c->n_entries == 1 && c->entries[0].all_devices && c->entries[0].line == 5 &&
		      c->entries[0].n_counts == 1 && !strcmp(c->entries[0].counts[0].type, "T4-1Q") &&
		      c->entries[0].counts[0].count == 16 && c->entries[0].counts[0].line == 7);
	c = layout_file_find(&f, "T4-small");
	CHECK("accepts: devices sorted, duplicates dropped",
	      c && c->n_entries == 2 && !c->entries[0].all_devices && c->entries[0].n_devices == 2 &&
		      c->entries[0].devices[0] == 0 && c->entries[0].devices[1] == 1);
	CHECK("accepts: counts in file order",
	      c && c->entries[0].n_counts == 2 && !strcmp(c->entries[0].counts[1].type, "T4-2Q") &&
		      c->entries[0].counts[1].count == 4 && c->entries[0].counts[1].line == 12);
	CHECK("accepts: a block list of indices; an empty vgpu-devices map",
	      c && c->entries[1].n_devices == 1 && c->entries[1].devices[0] == 3 && c->entries[1].n_counts == 0 &&
		      c->entries[1].line == 13);
	CHECK("accepts: find of a missing name is NULL", !layout_file_find(&f, "T4") && !layout_file_find(&f, ""));
	layout_file_clear(&f);
	CHECK("accepts: clear leaves an empty file", f.n_configs == 0 && !f.configs && !f.path);

	CHECK("accepts: device-filter (one, a list, with subsystem), xe-profile",
	      parse(HEAD "  d:\n"
			 "    - device-filter: \"0x1EB810DE\"\n"
			 "      devices: all\n"
			 "      vgpu-devices: {T4-1Q: 1}\n"
			 "    - device-filter: [\"0x20B010DE\", \"0x20B010DE:0x145F10DE\"]\n"
			 "      devices: [0]\n"
			 "      vgpu-devices:\n"
			 "    - devices: all\n"
			 "      xe-profile: exec_quantum_ms=20,preempt_timeout_us=40000\n"
			 "      vgpu-devices:\n"
			 "        xe-vf: 4\n",
		    &f) == 0);
	c = layout_file_find(&f, "d");
	CHECK("accepts: device-filter split into device and vendor",
	      c && c->entries[0].n_device_filter == 1 && c->entries[0].device_filter[0].device == 0x1eb8 &&
		      c->entries[0].device_filter[0].vendor == 0x10de && !c->entries[0].device_filter[0].has_subsystem);
	CHECK("accepts: device-filter with a subsystem id",
	      c && c->entries[1].n_device_filter == 2 && c->entries[1].device_filter[1].has_subsystem &&
		      c->entries[1].device_filter[1].subsystem_device == 0x145f &&
		      c->entries[1].device_filter[1].subsystem_vendor == 0x10de);
	CHECK("accepts: 'vgpu-devices:' with nothing is no vGPUs (as NVIDIA's reader takes it)",
	      c && c->entries[1].n_counts == 0);
	CHECK("accepts: xe-profile kept with its line",
	      c && c->entries[2].xe_profile && !strcmp(c->entries[2].xe_profile, "exec_quantum_ms=20,preempt_timeout_us=40000") &&
		      c->entries[2].xe_profile_line == 11 && !c->entries[0].xe_profile);
	layout_file_clear(&f);

	CHECK("accepts: flow style throughout, a leading ---, a final ..., CRLF line ends",
	      parse("---\r\n{version: v1, vgpu-configs: {a: [{devices: all, vgpu-devices: {i915-GVTg_V5_4: 2}}]}}\r\n...\r\n", &f) == 0 &&
		      f.n_configs == 1 && f.configs[0].entries[0].counts[0].count == 2);
	layout_file_clear(&f);
	CHECK("accepts: a UTF-8 byte order mark, type names in UTF-8, version quoted",
	      parse("\xef\xbb\xbfversion: \"v1\"\nvgpu-configs:\n  \xc3\xa9t\xc3\xa9:\n    - devices: all\n      vgpu-devices: {GVTg \xe2\x80\x94 4: 1}\n", &f) == 0 &&
		      !strcmp(f.configs[0].name, "\xc3\xa9t\xc3\xa9"));
	layout_file_clear(&f);
	CHECK("accepts: tabs after a value and before a comment; an empty devices list",
	      parse("version: v1\t# the version\nvgpu-configs:\n  a:\n    - devices: []\t\n      vgpu-devices:\t{}\n", &f) == 0 &&
		      f.configs[0].entries[0].n_devices == 0 && !f.configs[0].entries[0].all_devices);
	layout_file_clear(&f);
	CHECK("accepts: limits (count 1024, GPU index 1023)",
	      parse(HEAD "  a:\n    - devices: [1023]\n      vgpu-devices: {x: 1024}\n", &f) == 0);
	layout_file_clear(&f);
}

static void test_document(void)
{
	rejects("empty file", "", "L.yaml:1: the file is empty (expected version: v1 and vgpu-configs:)");
	rejects("only comments", "# nothing\n\n# here\n",
		"L.yaml:1: the file is empty (expected version: v1 and vgpu-configs:)");
	rejects("empty document", "---\n", "L.yaml:1: the document is empty (expected version: v1 and vgpu-configs:)");
	rejects("a list at the top", "- a\n- b\n", "L.yaml:1: expected a map with version: v1 and vgpu-configs:");
	rejects("a string at the top", "hello\n", "L.yaml:1: expected a map with version: v1 and vgpu-configs:");
	rejects("no version", "vgpu-configs:\n  a:\n    - devices: all\n      vgpu-devices: {}\n",
		"L.yaml:1: no version: (write version: v1 first)");
	rejects("no vgpu-configs", "version: v1\n", "L.yaml:1: no vgpu-configs:");
	rejects("version v2", "version: v2\n", "L.yaml:1: version: 'v2' is not supported (only v1 is)");
	rejects("version a number", "version: 1\n", "L.yaml:1: version: '1' is not supported (only v1 is)");
	rejects("version a list", "version: [v1]\n", "L.yaml:1: version: '...' is not supported (only v1 is)");
	rejects("unknown top key", "version: v1\nmig-configs: {}\n",
		"L.yaml:2: unknown key 'mig-configs' (a layout file has version: and vgpu-configs:)");
	rejects("version twice", "version: v1\nversion: v1\n", "L.yaml:2: 'version' is given twice (first at line 1)");
	rejects("two documents", HEAD "  a:\n    - devices: all\n      vgpu-devices: {}\n---\nversion: v1\n",
		"L.yaml:6: a second YAML document; a layout file holds one");
	rejects("vgpu-configs empty", HEAD, "L.yaml:2: vgpu-configs: no configs (at least one is needed)");
	rejects("vgpu-configs {}", "version: v1\nvgpu-configs: {}\n",
		"L.yaml:2: vgpu-configs: no configs (at least one is needed)");
	rejects("vgpu-configs a list", "version: v1\nvgpu-configs:\n  - a\n",
		"L.yaml:3: vgpu-configs: expected a map of config names to entries");
	rejects("a key that is a list", "version: v1\n[a]: 1\n", "L.yaml:2: a key must be a name");
}

static void test_syntax(void)
{
	rejects("a value after a value", "version: v1: x\n",
		"L.yaml:1: not valid YAML: mapping values are not allowed in this context");
	rejects("indentation that ends the entry", HEAD "  a:\n    - devices: all\n   vgpu-devices: {}\n",
		"L.yaml:4: config 'a', entry 1: no vgpu-devices: (a map of type name to count)");
	rejects("unclosed flow list", HEAD "  a:\n    - devices: [0, 1\n",
		"L.yaml:5: config 'a', entry 1: not valid YAML: did not find expected ',' or ']' while parsing a flow sequence (line 4)");
	rejects("a plain scalar running into the next line", HEAD "  a:\n    - devices: [0, 1\n      vgpu-devices: {}\n",
		"L.yaml:4: config 'a', entry 1: devices: GPU index '1 vgpu-devices' is not a number");
	rejects("unclosed quote", "version: \"v1\n",
		"L.yaml:2: not valid YAML: found unexpected end of stream while scanning a quoted scalar (line 1)");
	rejects("tab in the indentation", HEAD "  a:\n\t- devices: all\n",
		"L.yaml:4: a tab in the indentation (YAML indents with spaces)");
	rejects("tab before a comment at the start of a line", "version: v1\n\t# a comment\n",
		"L.yaml:2: a tab in the indentation (YAML indents with spaces)");
	rejects("tab after spaces in the indentation", HEAD "  a:\n    - devices: all\n    \tvgpu-devices: {}\n",
		"L.yaml:5: config 'a', entry 1: a tab in the indentation (YAML indents with spaces)");
	rejects("not UTF-8 (Latin-1)", HEAD "  caf\xe9:\n", "L.yaml:3: not UTF-8 text (byte 0xe9)");
	rejects("not UTF-8 (overlong slash)", "version: v1\n\xc0\xaf\n", "L.yaml:2: not UTF-8 text (byte 0xc0)");
	rejects("not UTF-8 (surrogate)", "\xed\xa0\x80\n", "L.yaml:1: not UTF-8 text (byte 0xed)");
	rejects("not UTF-8 (cut short at the end)", "version: v1\xe2\x80", "L.yaml:1: not UTF-8 text (byte 0xe2)");
	rejects("UTF-16", "\xff\xfev\0", "L.yaml:1: not UTF-8 text (byte 0xff)");
	rejects_n("a NUL byte", "version: v1\nv\0x\n", 15, "L.yaml:2: a control character (0x00)");
	rejects("an escape character", "version: v1\n\x1b[31m\n", "L.yaml:2: a control character (0x1b)");
	rejects_n("text without a final NUL", "version: v1\nvgpu-configs:", 13 + 12,
		  "L.yaml:2: vgpu-configs: no configs (at least one is needed)");
}

static void test_yaml_features(void)
{
	rejects("alias", HEAD "  a:\n    - &e\n      devices: all\n      vgpu-devices: {}\n  b:\n    - *e\n",
		"L.yaml:4: config 'a': anchors (&e) are not supported");
	rejects("alias alone", HEAD "  b:\n    - *e\n", "L.yaml:4: config 'b': aliases (*e) are not supported; write the value out");
	rejects("merge key through an alias", HEAD "  a:\n    - devices: all\n      vgpu-devices: {}\n  b:\n    - <<: *x\n",
		"L.yaml:7: config 'b', entry 1: aliases (*x) are not supported; write the value out");
	rejects("anchor on the top map", "&top\nversion: v1\n", "L.yaml:1: anchors (&top) are not supported");
	rejects("tag on a count", HEAD "  a:\n    - devices: all\n      vgpu-devices: {x: !!int 3}\n",
		"L.yaml:5: config 'a', entry 1: tags (tag:yaml.org,2002:int) are not supported");
	rejects("local tag", "!layout\nversion: v1\n", "L.yaml:1: tags (!layout) are not supported");
}

static void test_configs(void)
{
	rejects("config defined twice", HEAD "  a:\n    - devices: all\n      vgpu-devices: {}\n  a:\n    - devices: all\n      vgpu-devices: {}\n",
		"L.yaml:6: vgpu-configs: 'a' is given twice (first at line 3)");
	rejects("config name empty", HEAD "  \"\":\n    - devices: all\n      vgpu-devices: {}\n",
		"L.yaml:3: vgpu-configs: a config name is empty");
	rejects("config without entries", HEAD "  a:\n", "L.yaml:3: config 'a': no entries (at least one is needed)");
	rejects("config with []", HEAD "  a: []\n", "L.yaml:3: config 'a': no entries (at least one is needed)");
	rejects("config a map", HEAD "  a:\n    devices: all\n",
		"L.yaml:4: config 'a': expected a list of entries (- devices: ...)");
	rejects("entry a string", HEAD "  a:\n    - all\n", "L.yaml:4: config 'a', entry 1: expected a map with devices: and vgpu-devices:");
	rejects("entry without devices", HEAD "  a:\n    - vgpu-devices: {x: 1}\n",
		"L.yaml:4: config 'a', entry 1: no devices: (all, or a list of GPU indices)");
	rejects("second entry without vgpu-devices", HEAD "  a:\n    - devices: [0]\n      vgpu-devices: {x: 1}\n    - devices: [1]\n",
		"L.yaml:6: config 'a', entry 2: no vgpu-devices: (a map of type name to count)");
	rejects("unknown entry key", HEAD "  a:\n    - devices: all\n      mig-devices: {}\n",
		"L.yaml:5: config 'a', entry 1: unknown key 'mig-devices' (an entry has devices, vgpu-devices, device-filter, xe-profile)");
	rejects("devices twice", HEAD "  a:\n    - devices: all\n      devices: [0]\n",
		"L.yaml:5: config 'a', entry 1: 'devices' is given twice (first at line 4)");
	rejects("error in the second config names it", HEAD "  a:\n    - devices: all\n      vgpu-devices: {}\n  b:\n    - devices: some\n",
		"L.yaml:7: config 'b', entry 1: devices: 'some' is neither all nor a list of GPU indices");
}

static void test_devices(void)
{
	rejects("devices: none", HEAD "  a:\n    - devices: none\n",
		"L.yaml:4: config 'a', entry 1: devices: 'none' is neither all nor a list of GPU indices");
	rejects("devices: empty", HEAD "  a:\n    - devices:\n      vgpu-devices: {}\n",
		"L.yaml:4: config 'a', entry 1: devices: '' is neither all nor a list of GPU indices");
	rejects("devices: ALL", HEAD "  a:\n    - devices: ALL\n",
		"L.yaml:4: config 'a', entry 1: devices: 'ALL' is neither all nor a list of GPU indices");
	rejects("devices: a number", HEAD "  a:\n    - devices: 0\n",
		"L.yaml:4: config 'a', entry 1: devices: '0' is neither all nor a list of GPU indices");
	rejects("devices: a map", HEAD "  a:\n    - devices: {0: 1}\n",
		"L.yaml:4: config 'a', entry 1: devices: expected all or a list of GPU indices");
	rejects("devices: negative index", HEAD "  a:\n    - devices: [0, -1]\n",
		"L.yaml:4: config 'a', entry 1: devices: GPU index '-1' is negative");
	rejects("devices: index a word", HEAD "  a:\n    - devices:\n        - 0\n        - one\n",
		"L.yaml:6: config 'a', entry 1: devices: GPU index 'one' is not a number");
	rejects("devices: index quoted", HEAD "  a:\n    - devices: [\"0\"]\n",
		"L.yaml:4: config 'a', entry 1: devices: GPU index '0' is not a number");
	rejects("devices: index octal-looking", HEAD "  a:\n    - devices: [01]\n",
		"L.yaml:4: config 'a', entry 1: devices: GPU index '01' is not a number");
	rejects("devices: index hex", HEAD "  a:\n    - devices: [0x1]\n",
		"L.yaml:4: config 'a', entry 1: devices: GPU index '0x1' is not a number");
	rejects("devices: index too large", HEAD "  a:\n    - devices: [1024]\n",
		"L.yaml:4: config 'a', entry 1: devices: GPU index 1024 is above 1023");
	rejects("devices: index huge", HEAD "  a:\n    - devices: [99999999999999999999999]\n",
		"L.yaml:4: config 'a', entry 1: devices: GPU index 99999999999999999999999 is above 1023");
	rejects("devices: nested list", HEAD "  a:\n    - devices: [[0]]\n",
		"L.yaml:4: config 'a', entry 1: devices: expected GPU indices (0, 1, ...)");
	rejects("device-filter not an id", HEAD "  a:\n    - device-filter: T4\n",
		"L.yaml:4: config 'a', entry 1: device-filter: 'T4' is not a PCI id (0xDDDDVVVV or 0xDDDDVVVV:0xSSSSVVVV)");
	rejects("device-filter too wide", HEAD "  a:\n    - device-filter: \"0x1EB810DE0\"\n",
		"L.yaml:4: config 'a', entry 1: device-filter: '0x1EB810DE0' is not a PCI id (0xDDDDVVVV or 0xDDDDVVVV:0xSSSSVVVV)");
	rejects("device-filter bad subsystem", HEAD "  a:\n    - device-filter: [\"0x1EB810DE:x\"]\n",
		"L.yaml:4: config 'a', entry 1: device-filter: '0x1EB810DE:x' is not a PCI id (0xDDDDVVVV or 0xDDDDVVVV:0xSSSSVVVV)");
	rejects("device-filter a map", HEAD "  a:\n    - device-filter: {a: 1}\n",
		"L.yaml:4: config 'a', entry 1: device-filter: expected a PCI id or a list of them");
	rejects("xe-profile empty", HEAD "  a:\n    - xe-profile:\n      devices: all\n",
		"L.yaml:4: config 'a', entry 1: xe-profile: expected a profile such as exec_quantum_ms=20,preempt_timeout_us=40000");
}

static void test_counts(void)
{
#define ENTRY(v) HEAD "  a:\n    - devices: all\n      vgpu-devices:\n        L40S-4Q: 2\n        " v "\n"
	rejects("count 0", ENTRY("L40S-8Q: 0"),
		"L.yaml:7: config 'a', entry 1: vgpu-devices: the count of 'L40S-8Q' is 0; it must be at least 1 (leave the type out for none)");
	rejects("count negative", ENTRY("L40S-8Q: -2"),
		"L.yaml:7: config 'a', entry 1: vgpu-devices: the count of 'L40S-8Q' is -2; it must be at least 1 (leave the type out for none)");
	rejects("count -0", ENTRY("L40S-8Q: -0"),
		"L.yaml:7: config 'a', entry 1: vgpu-devices: the count of 'L40S-8Q' is -0; it must be at least 1 (leave the type out for none)");
	rejects("count too large", ENTRY("L40S-8Q: 1025"),
		"L.yaml:7: config 'a', entry 1: vgpu-devices: the count of 'L40S-8Q' is 1025; at most 1024");
	rejects("count past 32 bits", ENTRY("L40S-8Q: 4294967297"),
		"L.yaml:7: config 'a', entry 1: vgpu-devices: the count of 'L40S-8Q' is 4294967297; at most 1024");
	rejects("count quoted", ENTRY("L40S-8Q: \"2\""),
		"L.yaml:7: config 'a', entry 1: vgpu-devices: the count of 'L40S-8Q' is '2', not a number");
	rejects("count a fraction", ENTRY("L40S-8Q: 1.5"),
		"L.yaml:7: config 'a', entry 1: vgpu-devices: the count of 'L40S-8Q' is '1.5', not a number");
	rejects("count empty", ENTRY("L40S-8Q:"),
		"L.yaml:7: config 'a', entry 1: vgpu-devices: the count of 'L40S-8Q' is '', not a number");
	rejects("count a list", ENTRY("L40S-8Q: [1]"),
		"L.yaml:7: config 'a', entry 1: vgpu-devices: the count of 'L40S-8Q' must be a number");
	rejects("type named twice", ENTRY("L40S-4Q: 3"),
		"L.yaml:7: config 'a', entry 1: vgpu-devices: 'L40S-4Q' is given twice (first at line 6)");
	rejects("type name empty", ENTRY("\"\": 3"), "L.yaml:7: config 'a', entry 1: vgpu-devices: a type name is empty");
	rejects("vgpu-devices a list", HEAD "  a:\n    - devices: all\n      vgpu-devices: [L40S-4Q]\n",
		"L.yaml:5: config 'a', entry 1: vgpu-devices: expected a map of type name to count");
	rejects("vgpu-devices a string", HEAD "  a:\n    - devices: all\n      vgpu-devices: L40S-4Q\n",
		"L.yaml:5: config 'a', entry 1: vgpu-devices: expected a map of type name to count");
#undef ENTRY
}

/* layout_file_read(): the bound, standard input, a file that is not there. */
static void test_read(void)
{
	char dir[] = "/tmp/test_layout_file.XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK("read: temporary directory", 0);
		return;
	}
	char path[64], err[1024] = "";
	struct layout_file f;
	snprintf(path, sizeof(path), "%s/big.yaml", dir);
	FILE *o = fopen(path, "w");
	fputs(HEAD "  a:\n    - devices: all\n      vgpu-devices: {x: 1}\n", o);
	for (long n = ftell(o); n < LAYOUT_FILE_MAX; n++) /* padded with spaces up to the bound */
		fputc(n % 64 == 63 ? '\n' : ' ', o);
	fclose(o);
	int r = layout_file_read(path, &f, err, sizeof(err));
	CHECK("read: a file of exactly LAYOUT_FILE_MAX bytes is read", r == 0 && f.n_configs == 1);
	if (r == 0)
		layout_file_clear(&f);
	o = fopen(path, "a");
	fputc('\n', o);
	fclose(o);
	char want[128];
	snprintf(want, sizeof(want), "%s: the file is larger than 1048576 bytes", path);
	r = layout_file_read(path, &f, err, sizeof(err));
	CHECK_STR("read: one byte more is refused", r < 0 ? err : "(accepted)", want);
	unlink(path);
	snprintf(want, sizeof(want), "%s: cannot read it: No such file or directory", path);
	r = layout_file_read(path, &f, err, sizeof(err));
	CHECK_STR("read: a missing file", r < 0 ? err : "(accepted)", want);
	snprintf(want, sizeof(want), "%s: cannot read it: Is a directory", dir);
	r = layout_file_read(dir, &f, err, sizeof(err));
	CHECK_STR("read: a directory", r < 0 ? err : "(accepted)", want);
	/* "-" is standard input, shown as <stdin> */
	snprintf(path, sizeof(path), "%s/in.yaml", dir);
	o = fopen(path, "w");
	fputs("version: v2\n", o);
	fclose(o);
	int saved = dup(0);
	if (freopen(path, "r", stdin)) {
		r = layout_file_read("-", &f, err, sizeof(err));
		CHECK_STR("read: - is standard input, named <stdin>", r < 0 ? err : "(accepted)",
			  "<stdin>:1: version: 'v2' is not supported (only v1 is)");
	}
	dup2(saved, 0);
	close(saved);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	test_accepts();
	test_document();
	test_syntax();
	test_yaml_features();
	test_configs();
	test_devices();
	test_counts();
	test_read();
	return check_failed;
}
