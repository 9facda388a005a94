/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-autostart: the boot-time start of persistent vGPUs, run by mdev-autostart.service
 * before libvirt: mdev definitions (etc/mdevctl.d) and SR-IOV ones (etc/vgpu.d: NVIDIA's
 * vendor-specific VFIO, Intel Xe). A GPU's driver (i915 with kvmgt, nvidia, xe) may register
 * its parent or bind to its PF long after the udev coldplug, so this waits, up to a bound, for
 * every parent or PF that has an "auto" definition, starts those definitions as each one
 * appears, and names the ones that never came. Only when it returns does systemd start
 * libvirt, so a guest that autostarts finds its vGPU. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <mdev/mdev.h>

#define DEFAULT_WAIT_S 30
#define MAX_WAIT_S 3600
/* sysfs and FUSE send no inotify events for entries the kernel adds, so presence is polled;
 * ten looks a second cost nothing next to a boot and add at most 0.1 s to it */
#define POLL_MS 100

/* An mdev parent or an SR-IOV PF with "auto" definitions */
struct gpu {
	const char *name; /* points into the vGPU list */
	enum mdev_vgpu_framework fw;
	size_t first, end; /* its definitions are among vgpus[first .. end) */
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
		   "Starts every vGPU defined with start \"auto\" (mdev devices in /etc/mdevctl.d,\n"
		   "SR-IOV vGPUs in /etc/vgpu.d), waiting up to SECONDS (default %d, at most %d)\n"
		   "for each parent to register and each PF's driver to bind; names the ones that\n"
		   "never came and exits 1 if one did not or a vGPU failed to start.\n"
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

static bool is_auto(const struct mdev_vgpu *v)
{
	return v->defined && v->autostart && v->gpu;
}

/* A parent counts as registered once the library lists it with its types, as mdevctl types
 * would; a listing error (types still being created) means "not yet". A PF counts once it is
 * bound to the driver its definitions are for; before that the library says why not ("not
 * found", "bound to no driver"), which here is only "not yet". */
static bool gpu_present(struct mdev_ctx *ctx, const struct gpu *g)
{
	if (g->fw == MDEV_VGPU_FW_MDEV) {
		struct mdev_parent_list list = { 0 };
		int r = mdev_list_types(ctx, g->name, &list);
		bool present = r >= 0 && list.n > 0;
		mdev_parent_list_clear(&list);
		return present;
	}
	enum mdev_vgpu_framework fw;
	return mdev_vgpu_gpu_framework(ctx, g->name, &fw) == 0 && fw == g->fw;
}

/* Start the "auto" definitions of one parent that do not run yet. The udev rule starts the
 * same devices when the parent registers; when it wins the race, the device runs and that is
 * success, not a warning. Returns the number of devices that failed. */
static size_t start_parent(struct mdev_ctx *ctx, const struct mdev_vgpu_list *vgpus,
			   const struct gpu *p)
{
	size_t failed = 0;
	for (size_t i = p->first; i < p->end; i++) {
		const struct mdev_vgpu *d = &vgpus->vgpus[i];
		if (!is_auto(d) || mdev_device_lookup_active(ctx, d->id, NULL, NULL) == 1)
			continue;
		struct mdev_start_req req = { .uuid = d->id, .parent = d->gpu };
		if (mdev_start(ctx, &req, NULL) == 0) {
			printf("Started %s on %s\n", d->id, d->gpu);
			continue;
		}
		if (mdev_device_lookup_active(ctx, d->id, NULL, NULL) == 1)
			continue;
		char what[128];
		snprintf(what, sizeof(what), "could not start %s on %s", d->id, d->gpu);
		print_error(ctx, what);
		failed++;
	}
	fflush(stdout);
	return failed;
}

/* Apply one PF's "auto" definitions (the library enables the VFs, writes types and profiles,
 * and leaves alone what runs already) and say which vGPUs came up. Failures are logged by the
 * library as warnings with the kernel's reason. Returns 1 if any failed. */
static size_t start_pf(struct mdev_ctx *ctx, const struct mdev_vgpu_list *vgpus,
		       const struct gpu *p)
{
	struct mdev_vgpu_list after = { 0 };
	int r = mdev_vgpu_start_defined_gpu(ctx, p->name);
	if (r < 0) {
		char what[96];
		snprintf(what, sizeof(what), "could not start the vGPUs of GPU %s", p->name);
		print_error(ctx, what);
	} else if (r > 0) {
		fprintf(stderr, "Error: GPU %s: not every \"auto\" definition started (the warnings above say why)\n",
			p->name);
	}
	if (mdev_vgpu_list(ctx, p->name, &after) == 0) {
		for (size_t i = p->first; i < p->end; i++) {
			const struct mdev_vgpu *d = &vgpus->vgpus[i];
			if (d->active || !is_auto(d))
				continue;
			for (size_t k = 0; k < after.n; k++)
				if (after.vgpus[k].vf == d->vf && after.vgpus[k].active &&
				    after.vgpus[k].framework == d->framework)
					printf("Started %s on %s\n", after.vgpus[k].id, p->name);
		}
	}
	mdev_vgpu_list_clear(&after);
	fflush(stdout);
	return r != 0;
}

/* The parents and PFs that have "auto" definitions. The list is sorted by GPU, so each one's
 * definitions are one run of it (manual ones included, and skipped later). */
static size_t collect_gpus(const struct mdev_vgpu_list *vgpus, struct gpu *ret)
{
	size_t n = 0;
	for (size_t i = 0; i < vgpus->n; i++) {
		const struct mdev_vgpu *v = &vgpus->vgpus[i];
		if (!is_auto(v))
			continue;
		if (n == 0 || strcmp(ret[n - 1].name, v->gpu) || ret[n - 1].fw != v->framework)
			ret[n++] = (struct gpu){ .name = v->gpu, .fw = v->framework, .first = i };
		ret[n - 1].end = i + 1;
	}
	return n;
}

static void report_missing(const struct mdev_vgpu_list *vgpus, const struct gpu *g,
			   unsigned int wait_s)
{
	if (g->fw == MDEV_VGPU_FW_MDEV)
		fprintf(stderr, "Error: parent %s did not register within %u s; not started:",
			g->name, wait_s);
	else
		fprintf(stderr, "Error: GPU %s was not bound to %s within %u s; not started:", g->name,
			g->fw == MDEV_VGPU_FW_NVIDIA_VFIO ? "nvidia" : "xe", wait_s);
	for (size_t i = g->first; i < g->end; i++)
		if (is_auto(&vgpus->vgpus[i]))
			fprintf(stderr, " %s", vgpus->vgpus[i].id);
	fputc('\n', stderr);
}

static bool root_has_dir(struct mdev_ctx *ctx, const char *rel)
{
	struct stat st;
	return fstatat(mdev_ctx_get_root_fd(ctx), rel, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

static int autostart(struct mdev_ctx *ctx, unsigned int wait_s)
{
	struct mdev_vgpu_list vgpus = { 0 };
	/* A host with SR-IOV GPUs only has no etc/mdevctl.d. Otherwise the directory check names
	 * a missing etc/mdevctl.d, where the listing would say only "No such file or directory". */
	bool mdev = root_has_dir(ctx, "etc/mdevctl.d") || !root_has_dir(ctx, "etc/vgpu.d");
	if ((mdev && mdev_ctx_check_dirs(ctx) < 0) || mdev_vgpu_list(ctx, NULL, &vgpus) < 0) {
		print_error(ctx, "cannot read the definitions");
		return 1;
	}
	struct gpu *gpus = calloc(vgpus.n ? vgpus.n : 1, sizeof(*gpus));
	if (!gpus) {
		mdev_vgpu_list_clear(&vgpus);
		fprintf(stderr, "Error: out of memory\n");
		return 1;
	}
	size_t n = collect_gpus(&vgpus, gpus), left = n, failed = 0;
	long long deadline = now_ms() + (long long)wait_s * 1000;
	bool announced = false;
	for (;;) {
		for (size_t i = 0; i < n; i++) {
			if (gpus[i].done || !gpu_present(ctx, &gpus[i]))
				continue;
			failed += gpus[i].fw == MDEV_VGPU_FW_MDEV ? start_parent(ctx, &vgpus, &gpus[i]) :
								    start_pf(ctx, &vgpus, &gpus[i]);
			gpus[i].done = true;
			left--;
		}
		long long rest = deadline - now_ms();
		if (left == 0 || rest <= 0)
			break;
		if (!announced) {
			printf("Waiting up to %u s for %zu parent(s):", wait_s, left);
			for (size_t i = 0; i < n; i++)
				if (!gpus[i].done)
					printf(" %s", gpus[i].name);
			printf("\n");
			fflush(stdout);
			announced = true;
		}
		long long ms = rest < POLL_MS ? rest : POLL_MS;
		struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000 };
		nanosleep(&ts, NULL);
	}
	for (size_t i = 0; i < n; i++)
		if (!gpus[i].done)
			report_missing(&vgpus, &gpus[i], wait_s);
	free(gpus);
	mdev_vgpu_list_clear(&vgpus);
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
