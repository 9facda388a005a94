/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-autostart: the boot-time start of persistent mediated devices, run by
 * mdev-autostart.service before libvirt. A GPU's driver (i915 with kvmgt, a vendor module) may
 * register its parent long after the udev coldplug, so this waits, up to a bound, for every
 * parent that has an "auto" definition, starts those definitions as each parent appears, and
 * names the parents that never came. Only when it returns does systemd start libvirt, so a
 * guest that autostarts finds its vGPU. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <mdev/mdev.h>

#define DEFAULT_WAIT_S 30
#define MAX_WAIT_S 3600
/* sysfs and FUSE send no inotify events for entries the kernel adds, so presence is polled;
 * ten looks a second cost nothing next to a boot and add at most 0.1 s to it */
#define POLL_MS 100

struct parent {
	const char *name;   /* points into the definition list */
	size_t first, end;  /* its "auto" definitions are among defs.devices[first .. end) */
	bool done;
};

static void log_stderr(void *userdata, enum mdev_log_level level, const char *module,
		       const char *msg)
{
	(void)userdata;
	(void)module;
	fprintf(stderr, "%s: %s\n", level == MDEV_LOG_ERROR ? "Error" : "Warning", msg);
}

static void print_error(const struct mdev_ctx *ctx, const char *what)
{
	fprintf(stderr, "Error: %s: %s\n", what, mdev_ctx_error_message(ctx));
	for (size_t i = 0; i < mdev_ctx_error_cause_count(ctx); i++)
		fprintf(stderr, "Caused by: %s\n", mdev_ctx_error_cause(ctx, i));
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: mdev-autostart [--wait SECONDS]\n"
		   "       mdev-autostart -h|--help|-V|--version\n\n"
		   "Starts every mediated device defined with start \"auto\", waiting up to SECONDS\n"
		   "(default %d, at most %d) for each parent to register; names the parents that\n"
		   "never came and exits 1 if one did not or a device failed to start.\n"
		   "MDEVCTL_ENV_ROOT relocates every path, as in mdevctl.\n",
		DEFAULT_WAIT_S, MAX_WAIT_S);
}

static int parse_wait(const char *s, unsigned int *ret)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > MAX_WAIT_S)
		return -EINVAL;
	*ret = (unsigned int)v;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A parent counts as registered once the library lists it with its types, as mdevctl types
 * would; a listing error (types still being created) means "not yet". */
static bool parent_present(struct mdev_ctx *ctx, const char *name)
{
	struct mdev_parent_list list = { 0 };
	int r = mdev_list_types(ctx, name, &list);
	bool present = r >= 0 && list.n > 0;
	mdev_parent_list_clear(&list);
	return present;
}

/* Start the "auto" definitions of one parent that do not run yet. The udev rule starts the
 * same devices when the parent registers; when it wins the race, the device runs and that is
 * success, not a warning. Returns the number of devices that failed. */
static size_t start_parent(struct mdev_ctx *ctx, const struct mdev_device_list *defs,
			   const struct parent *p)
{
	size_t failed = 0;
	for (size_t i = p->first; i < p->end; i++) {
		const struct mdev_device *d = &defs->devices[i];
		if (!d->autostart || mdev_device_lookup_active(ctx, d->uuid, NULL, NULL) == 1)
			continue;
		struct mdev_start_req req = { .uuid = d->uuid, .parent = d->parent };
		if (mdev_start(ctx, &req, NULL) == 0) {
			printf("Started %s on %s\n", d->uuid, d->parent);
			continue;
		}
		if (mdev_device_lookup_active(ctx, d->uuid, NULL, NULL) == 1)
			continue;
		char what[128];
		snprintf(what, sizeof(what), "could not start %s on %s", d->uuid, d->parent);
		print_error(ctx, what);
		failed++;
	}
	fflush(stdout);
	return failed;
}

/* The parents that have "auto" definitions. The list is sorted by parent, so each parent's
 * definitions are one run of it (manual ones included, and skipped later). */
static size_t collect_parents(const struct mdev_device_list *defs, struct parent *ret)
{
	size_t n = 0;
	for (size_t i = 0; i < defs->n; i++) {
		const struct mdev_device *d = &defs->devices[i];
		if (!d->autostart || !d->parent)
			continue;
		if (n == 0 || strcmp(ret[n - 1].name, d->parent))
			ret[n++] = (struct parent){ .name = d->parent, .first = i };
		ret[n - 1].end = i + 1;
	}
	return n;
}

static void report_missing(const struct mdev_device_list *defs, const struct parent *p,
			   unsigned int wait_s)
{
	fprintf(stderr, "Error: parent %s did not register within %u s; not started:", p->name,
		wait_s);
	for (size_t i = p->first; i < p->end; i++)
		if (defs->devices[i].autostart)
			fprintf(stderr, " %s", defs->devices[i].uuid);
	fputc('\n', stderr);
}

static int autostart(struct mdev_ctx *ctx, unsigned int wait_s)
{
	struct mdev_device_list defs = { 0 };
	/* the directory check names a missing etc/mdevctl.d, where the listing would say only
	 * "No such file or directory" */
	if (mdev_ctx_check_dirs(ctx) < 0 || mdev_list_defined(ctx, NULL, NULL, &defs) < 0) {
		print_error(ctx, "cannot read the definitions");
		return 1;
	}
	struct parent *parents = calloc(defs.n ? defs.n : 1, sizeof(*parents));
	if (!parents) {
		mdev_device_list_clear(&defs);
		fprintf(stderr, "Error: out of memory\n");
		return 1;
	}
	size_t n = collect_parents(&defs, parents), left = n, failed = 0;
	long long deadline = now_ms() + (long long)wait_s * 1000;
	bool announced = false;
	for (;;) {
		for (size_t i = 0; i < n; i++) {
			if (parents[i].done || !parent_present(ctx, parents[i].name))
				continue;
			failed += start_parent(ctx, &defs, &parents[i]);
			parents[i].done = true;
			left--;
		}
		long long rest = deadline - now_ms();
		if (left == 0 || rest <= 0)
			break;
		if (!announced) {
			printf("Waiting up to %u s for %zu parent(s):", wait_s, left);
			for (size_t i = 0; i < n; i++)
				if (!parents[i].done)
					printf(" %s", parents[i].name);
			printf("\n");
			fflush(stdout);
			announced = true;
		}
		long long ms = rest < POLL_MS ? rest : POLL_MS;
		struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000 };
		nanosleep(&ts, NULL);
	}
	for (size_t i = 0; i < n; i++)
		if (!parents[i].done)
			report_missing(&defs, &parents[i], wait_s);
	free(parents);
	mdev_device_list_clear(&defs);
	return left > 0 || failed > 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	unsigned int wait_s = DEFAULT_WAIT_S;
	int c;
	while ((c = getopt_long(argc, argv, "w:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (parse_wait(optarg, &wait_s) < 0) {
				fprintf(stderr, "Error: --wait takes whole seconds from 0 to %d, not '%s'\n",
					MAX_WAIT_S, optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("mdev-autostart %s\n", MDEVKIT_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Error: unexpected argument '%s'\n\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	struct mdev_ctx *ctx;
	int r = mdev_ctx_new(NULL, &ctx);
	if (r < 0) {
		fprintf(stderr, "Error: cannot open the root directory: %s\n", strerror(-r));
		return 1;
	}
	mdev_ctx_set_log_fn(ctx, log_stderr, NULL, MDEV_LOG_WARN);
	r = autostart(ctx, wait_s);
	mdev_ctx_free(ctx);
	return r;
}
