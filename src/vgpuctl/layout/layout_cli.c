/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl apply and assert: the options they share, reading the layout file, and assert
 * --valid-config, which needs no host. The host half (converging, comparing) is
 * layout_apply() and layout_assert(). Option names are NVIDIA vgpu-device-manager's
 * (-f/--config-file, -c/--selected-config, --valid-config), so that its command lines work. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "layout.h"
#include "vgpuctl.h"

static const char APPLY_USAGE[] =
	"Usage: vgpuctl apply -f FILE -c NAME [--dry-run] [--force] [--json]\n\n"
	"Converges this host to config NAME of a layout file (NVIDIA vgpu-device-manager's\n"
	"version: v1 format; FILE - is standard input): vGPUs that match stay, missing ones are\n"
	"created and defined to start at boot, extra ones are removed unless in use. -c may be\n"
	"left out when the file has one config. See docs/layout.md.\n\n"
	"Options:\n"
	"  -f, --config-file FILE      the layout file\n"
	"  -c, --selected-config NAME  the config to apply\n"
	"      --dry-run               print the changes per GPU, change nothing\n"
	"      --force                 remove vGPUs even when in use\n"
	"      --json                  a summary: changed, and the list of changes\n"
	"  -h, --help                  print this help\n";

static const char ASSERT_USAGE[] =
	"Usage: vgpuctl assert -f FILE -c NAME [--valid-config] [--json]\n\n"
	"Exits 0 when this host matches config NAME of a layout file (NVIDIA vgpu-device-manager's\n"
	"version: v1 format; FILE - is standard input) and 1, printing each difference, when it\n"
	"does not. --valid-config checks only that the file is valid and has config NAME. -c may\n"
	"be left out when the file has one config. See docs/layout.md.\n\n"
	"Options:\n"
	"  -f, --config-file FILE      the layout file\n"
	"  -c, --selected-config NAME  the config to compare with\n"
	"      --valid-config          check the file and the name only, not the host\n"
	"      --json                  a summary: matches, and the list of differences\n"
	"  -h, --help                  print this help\n";

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
	fprintf(stderr, "Error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n\n%s", usage);
	return 2;
}

int layout_parse_opts(int argc, char **argv, struct layout_opts *ret)
{
	bool apply = !strcmp(argv[0], "apply");
	const char *usage = apply ? APPLY_USAGE : ASSERT_USAGE;
	static const struct option opts[] = { { "config-file", required_argument, NULL, 'f' },
					      { "selected-config", required_argument, NULL, 'c' },
					      { "dry-run", no_argument, NULL, 'n' },
					      { "force", no_argument, NULL, 'F' },
					      { "valid-config", no_argument, NULL, 'v' },
					      { "json", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { 0 } };
	struct layout_opts o = { 0 };
	opterr = 0;
	for (int c; (c = getopt_long(argc, argv, ":f:c:h", opts, NULL)) != -1;) {
		/* each verb takes only its own options */
		if ((c == 'n' || c == 'F') && !apply)
			c = '?';
		if (c == 'v' && apply)
			c = '?';
		switch (c) {
		case 'f':
			o.file = optarg;
			break;
		case 'c':
			o.config = optarg;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case 'F':
			o.force = true;
			break;
		case 'v':
			o.valid_config = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'h':
			return fputs(usage, stdout), 0;
		case ':':
			return usage_error(usage, "'%s' needs a value", argv[optind - 1]);
		default:
			return usage_error(usage, "unexpected argument '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (!o.file)
		return usage_error(usage, "%s", "-f FILE is required");
	*ret = o;
	return -1;
}

/* "A, B, C" of the file's config names, for the message about a name it lacks; NVIDIA's
 * example file has 711 configs, so past the first 20 only how many more there are. */
#define NAMES_SHOWN 20
static char *config_names(const struct layout_file *f)
{
	size_t len = 64;
	for (size_t i = 0; i < f->n_configs && i < NAMES_SHOWN; i++)
		len += strlen(f->configs[i].name) + 2;
	char *s = malloc(len);
	if (!s)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < f->n_configs && i < NAMES_SHOWN; i++)
		n += (size_t)snprintf(s + n, len - n, "%s%s", i ? ", " : "", f->configs[i].name);
	if (f->n_configs > NAMES_SHOWN)
		snprintf(s + n, len - n, " and %zu more", f->n_configs - NAMES_SHOWN);
	return s;
}

int layout_load(const struct layout_opts *o, struct layout_file *ret_file,
		const struct layout_config **ret_config)
{
	char err[1024];
	struct layout_file f;
	if (layout_file_read(o->file, &f, err, sizeof(err)) < 0) {
		fprintf(stderr, "Error: %s\n", err);
		return 1;
	}
	const struct layout_config *c = NULL;
	if (o->config)
		c = layout_file_find(&f, o->config);
	else if (f.n_configs == 1)
		c = &f.configs[0];
	if (!c) {
		char *names = config_names(&f);
		if (o->config)
			fprintf(stderr, "Error: %s:%u: no config '%s'; the file has: %s\n", f.path, f.line, o->config,
				names ? names : "?");
		else
			fprintf(stderr, "Error: %s:%u: -c NAME is required: the file has %zu configs: %s\n",
				f.path, f.line, f.n_configs, names ? names : "?");
		free(names);
		layout_file_clear(&f);
		return 1;
	}
	*ret_file = f;
	*ret_config = c;
	return 0;
}

static int run(struct mdev_ctx *ctx, int argc, char **argv, bool apply)
{
	struct layout_opts o;
	int rc = layout_parse_opts(argc, argv, &o);
	if (rc >= 0)
		return rc;
	struct layout_file f;
	const struct layout_config *c;
	if (layout_load(&o, &f, &c))
		return 1;
	if (apply)
		rc = layout_apply(ctx, &o, &f, c);
	else if (o.valid_config)
		rc = 0;
	else
		rc = layout_assert(ctx, &o, &f, c);
	layout_file_clear(&f);
	return rc;
}

int vgpuctl_apply(struct mdev_ctx *ctx, int argc, char **argv)
{
	return run(ctx, argc, argv, true);
}

int vgpuctl_assert(struct mdev_ctx *ctx, int argc, char **argv)
{
	return run(ctx, argc, argv, false);
}
