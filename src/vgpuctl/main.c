/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl: what no other mdev tool answers (capacity planning, host readiness, libvirt XML).
 * Verbs live in one static table and are matched exactly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "vgpuctl.h"

void vgpuctl_print_json(struct json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
}

int vgpuctl_usage_error(const char *usage, const char *fmt, const char *arg)
{
	fprintf(stderr, "Error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n\n%s", usage);
	return 2;
}

void vgpuctl_log_stderr(void *data, enum mdev_log_level level, const char *module, const char *msg)
{
	(void)data;
	(void)module;
	fprintf(stderr, "%s: %s\n", level <= MDEV_LOG_ERROR ? "Error" : "Warning", msg);
}

int vgpuctl_fail(struct mdev_ctx *ctx)
{
	fprintf(stderr, "Error: %s\n", mdev_ctx_error_message(ctx));
	size_t n = mdev_ctx_error_cause_count(ctx);
	if (n) {
		fprintf(stderr, "\nCaused by:\n");
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "    %s\n", mdev_ctx_error_cause(ctx, i));
	}
	return 1;
}

static const struct verb {
	const char *name;
	int (*run)(struct mdev_ctx *ctx, int argc, char **argv);
	const char *help;
} verbs[] = {
	{ "list", vgpuctl_list, "List vGPUs of any framework (mdev, nvidia-vfio, xe-sriov)" },
	{ "types", vgpuctl_types, "Types creatable now on each GPU, and how many more fit" },
	{ "create", vgpuctl_create, "Create vGPUs of a type on a GPU (optionally defined)" },
	{ "remove", vgpuctl_remove, "Remove vGPUs and their definitions" },
	{ "start-defined", vgpuctl_start_defined, "Boot: create the SR-IOV vGPUs defined --auto" },
	{ "apply", vgpuctl_apply, "Converge this host to a layout file's config (NVIDIA's format)" },
	{ "assert", vgpuctl_assert, "Check this host, or only the file, against a layout's config" },
	{ "plan", vgpuctl_plan, "How many vGPUs of which type fit, now or with another aperture" },
	{ "doctor", vgpuctl_doctor, "Check that this host is ready for GVT-g vGPUs" },
	{ "libvirt", vgpuctl_libvirt, "Generate or patch libvirt domain XML for a vGPU" },
	{ "nfd", vgpuctl_nfd, "Node Feature Discovery feature file: frameworks, free counts, layout" },
	{ "kubevirt", vgpuctl_kubevirt, "KubeVirt permittedHostDevices for this host's vGPUs" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: vgpuctl <COMMAND> [OPTIONS]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(f, "  %-14s %s\n", verbs[i].name, verbs[i].help);
	fprintf(f, "\nOptions:\n  -h, --help     Print help\n  -V, --version  Print version\n"
		   "\nEach command takes --help. MDEVCTL_ENV_ROOT relocates every path, as in mdevctl.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("vgpuctl %s\n", MDEVKIT_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(argv[1], verbs[i].name))
			continue;
		struct mdev_ctx *ctx;
		int r = mdev_ctx_new(NULL, &ctx);
		if (r < 0) {
			fprintf(stderr, "Error: cannot open the root directory: %s\n", strerror(-r));
			return 1;
		}
		r = verbs[i].run(ctx, argc - 1, argv + 1);
		mdev_ctx_free(ctx);
		return r;
	}
	fprintf(stderr, "Error: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
