/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl nfd: this host's vGPU features as a Node Feature Discovery feature file (the "local"
 * feature source reads /etc/kubernetes/node-feature-discovery/features.d/, one name=value per
 * line), so NFD's worker turns them into node labels: the frameworks present, each type's free
 * count and the name of the layout vgpuctl apply made. docs/fleet.md says where each rule of the
 * format comes from. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "k8s_names.h"
#include "vgpuctl.h"

static const char NFD_USAGE[] =
	"Usage: vgpuctl nfd [--output [FILE]]\n\n"
	"Prints this host's vGPU features in Node Feature Discovery's feature file format (one\n"
	"name=value per line): the frameworks present, each type's free count and the applied\n"
	"layout's name (from /etc/vgpu.d/applied-layout). --output writes them to FILE instead\n"
	"(default: /etc/kubernetes/node-feature-discovery/features.d/vgpuctl under the root),\n"
	"atomically, and not at all when the file already holds them.\n\n"
	"Options:\n"
	"  -o, --output [FILE]  Write the feature file instead of printing it\n"
	"  -h, --help           Print help\n";

/* NFD's label namespace that nfd-master never denies (its validate.Label), and our names in it */
#define NFD_PREFIX "feature.node.kubernetes.io/"
#define NFD_FRAMEWORK "vgpu.framework."
#define NFD_FREE "vgpu.free."
#define NFD_LAYOUT "vgpu.layout"
#define NFD_DEFAULT_DIR "etc/kubernetes/node-feature-discovery/features.d"
#define NFD_DEFAULT_NAME "vgpuctl"
/* NFD's local source ignores a feature file larger than this (MaxFeatureFileSize) */
#define NFD_FILE_MAX 65536

struct free_count {
	char *type;
	long free;
	bool clash; /* another type maps to the same label */
	char label[K8S_NAME_MAX + 1];
};

static int cmp_type(const void *a, const void *b)
{
	return strcmp(((const struct free_count *)a)->type, ((const struct free_count *)b)->type);
}

static int cmp_label(const void *a, const void *b)
{
	const struct free_count *x = a, *y = b;
	int c = strcmp(x->label, y->label);
	return c ? c : strcmp(x->type, y->type);
}

/* The free count of every type over all GPUs (a node label is per node), sorted by label. Two
 * types whose names map to the same label both get the hashed form, so neither hides the other. */
static int free_counts(const struct mdev_vgpu_gpu_list *l, struct free_count **ret, size_t *ret_n)
{
	struct free_count *fc = NULL;
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		for (size_t k = 0; k < l->gpus[i].n_types; k++) {
			const struct mdev_vgpu_type *t = &l->gpus[i].types[k];
			size_t j = 0;
			while (j < n && strcmp(fc[j].type, t->name))
				j++;
			if (j == n) {
				struct free_count *nf = realloc(fc, (n + 1) * sizeof(*fc));
				if (!nf)
					goto oom;
				fc = nf;
				fc[n] = (struct free_count){ .type = t->name };
				n++;
			}
			fc[j].free += t->available > 0 ? t->available : 0;
		}
	if (n)
		qsort(fc, n, sizeof(*fc), cmp_type);
	const size_t room = K8S_NAME_MAX - strlen(NFD_FREE);
	for (size_t j = 0; j < n; j++)
		k8s_name_map(fc[j].type, room, false, fc[j].label, sizeof(fc[j].label));
	for (size_t j = 0; j < n; j++)
		for (size_t m = 0; m < n; m++)
			fc[j].clash |= m != j && !strcmp(fc[j].label, fc[m].label);
	for (size_t j = 0; j < n; j++)
		if (fc[j].clash)
			k8s_name_map(fc[j].type, room, true, fc[j].label, sizeof(fc[j].label));
	if (n)
		qsort(fc, n, sizeof(*fc), cmp_label);
	*ret = fc;
	*ret_n = n;
	return 0;
oom:
	free(fc);
	return -ENOMEM;
}

static void root_path(struct mdev_ctx *ctx, const char *rel, char *buf, size_t sz)
{
	const char *root = mdev_ctx_get_root(ctx);
	size_t l = strlen(root);
	while (l > 0 && root[l - 1] == '/')
		l--;
	snprintf(buf, sz, "%.*s/%s", (int)l, root, rel);
}

/* Read at most max bytes of a regular file at dirfd/name into a NUL-terminated buffer.
 * -EFBIG past max. */
static int read_small(int dirfd, const char *name, size_t max, char **ret, size_t *ret_len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		close(fd);
		return e;
	}
	char *buf = malloc(max + 2);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	size_t len = 0;
	while (len <= max) {
		ssize_t r = read(fd, buf + len, max + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = -errno;
			free(buf);
			close(fd);
			return e;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (len > max) {
		free(buf);
		return -EFBIG;
	}
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 0;
}

/* The applied layout's config name (malloc'd, as vgpuctl apply recorded it), or NULL when there
 * is none or it cannot be used, then with a warning: the label is left out rather than the whole
 * file refused, since the other labels still say what the host offers. */
static char *applied_layout(struct mdev_ctx *ctx)
{
	char *name = NULL;
	int r = mdev_vgpu_layout_applied(ctx, &name, NULL);
	if (r == -ENOENT)
		return NULL;
	if (r < 0) {
		fprintf(stderr, "Warning: %s; the layout label is left out\n", mdev_ctx_error_message(ctx));
		return NULL;
	}
	if (!k8s_label_value_valid(name) || !*name) {
		/* the name is shown only when it is short and printable: it comes from a file */
		bool show = strlen(name) <= 128;
		for (const char *p = name; show && *p; p++)
			show = *p >= 0x20 && *p < 0x7f;
		fprintf(stderr, "Warning: the applied layout's name%s%s%s is no label value (1 to 63 of A-Z a-z 0-9 . _ -, a letter or digit at each end); the layout label is left out\n",
			show ? " \"" : "", show ? name : "", show ? "\"" : "");
		free(name);
		return NULL;
	}
	return name;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The whole feature file, or NULL on an error (printed). */
static char *feature_file(struct mdev_ctx *ctx, size_t *ret_len)
{
	struct mdev_vgpu_gpu_list l = { 0 };
	if (mdev_vgpu_types(ctx, NULL, &l) < 0) {
		fprintf(stderr, "Error: %s\n", mdev_ctx_error_message(ctx));
		return NULL;
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct free_count *fc = NULL;
	size_t n_fc = 0;
	if (!f || free_counts(&l, &fc, &n_fc) < 0) {
		fprintf(stderr, "Error: %s\n", strerror(ENOMEM));
		if (f)
			fclose(f);
		free(buf);
		mdev_vgpu_gpu_list_clear(&l);
		return NULL;
	}
	fprintf(f, "# vgpuctl nfd: this host's vGPUs for Node Feature Discovery (see vgpuctl(8))\n");
	const char *fws[3];
	size_t n_fw = 0;
	for (size_t i = 0; i < l.n; i++) {
		const char *fw = mdev_vgpu_framework_name(l.gpus[i].framework);
		size_t j = 0;
		while (j < n_fw && strcmp(fws[j], fw))
			j++;
		if (j == n_fw && n_fw < 3)
			fws[n_fw++] = fw;
	}
	qsort(fws, n_fw, sizeof(fws[0]), cmp_str);
	for (size_t j = 0; j < n_fw; j++)
		fprintf(f, NFD_PREFIX NFD_FRAMEWORK "%s=true\n", fws[j]);
	for (size_t j = 0; j < n_fc; j++)
		fprintf(f, NFD_PREFIX NFD_FREE "%s=%ld\n", fc[j].label, fc[j].free);
	char *layout = applied_layout(ctx);
	if (layout)
		fprintf(f, NFD_PREFIX NFD_LAYOUT "=%s\n", layout);
	free(layout);
	free(fc);
	mdev_vgpu_gpu_list_clear(&l);
	if (fclose(f) != 0) {
		fprintf(stderr, "Error: %s\n", strerror(ENOMEM));
		free(buf);
		return NULL;
	}
	*ret_len = len;
	return buf;
}

/* Replace dirfd/name by data unless it holds data already: a temporary ".name.XXXXXX" beside it
 * (created exclusively, so nothing planted is written through; NFD skips dot files, so it
 * never reads a half-written one), flushed, renamed over it, the directory flushed.
 * 1 when written, 0 when unchanged, -errno. */
static int write_if_changed(int dirfd, const char *name, const char *data, size_t len)
{
	char *old = NULL;
	size_t old_len = 0;
	if (read_small(dirfd, name, NFD_FILE_MAX, &old, &old_len) == 0) {
		bool same = old_len == len && !memcmp(old, data, len);
		free(old);
		if (same)
			return 0;
	}
	char tmp[NAME_MAX + 1];
	int fd = -1;
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		unsigned char rnd[4];
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return -errno;
		if (snprintf(tmp, sizeof(tmp), ".%s.%02x%02x%02x%02x", name, rnd[0], rnd[1], rnd[2], rnd[3]) >=
		    (int)sizeof(tmp))
			return -ENAMETOOLONG;
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			return -errno;
	}
	if (fd < 0)
		return -EEXIST;
	int r = 0;
	for (size_t off = 0; off < len && r == 0;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno != EINTR)
			r = -errno;
		else if (w > 0)
			off += (size_t)w;
	}
	/* 0644 whatever the umask: NFD's worker and people read it */
	if (r == 0 && fchmod(fd, 0644) < 0)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(dirfd, tmp, 0);
		return r;
	}
	fsync(dirfd);
	return 1;
}

static int output(struct mdev_ctx *ctx, const char *file, const char *data, size_t len)
{
	char shown[4096], dir[4096];
	const char *name;
	int dirfd;
	if (!file) {
		root_path(ctx, NFD_DEFAULT_DIR "/" NFD_DEFAULT_NAME, shown, sizeof(shown));
		name = NFD_DEFAULT_NAME;
		dirfd = openat(mdev_ctx_get_root_fd(ctx), NFD_DEFAULT_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else {
		snprintf(shown, sizeof(shown), "%s", file);
		snprintf(dir, sizeof(dir), "%s", file);
		char *slash = strrchr(dir, '/');
		name = slash ? file + (slash - dir) + 1 : file;
		if (slash)
			*slash = '\0';
		if (!*name) {
			fprintf(stderr, "Error: --output %s: names a directory, not a file\n", file);
			return 1;
		}
		dirfd = open(slash ? (dir[0] ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (dirfd < 0) {
		fprintf(stderr, "Error: cannot write %s: its directory: %s\n", shown, strerror(errno));
		return 1;
	}
	int r = write_if_changed(dirfd, name, data, len);
	close(dirfd);
	if (r < 0) {
		fprintf(stderr, "Error: cannot write %s: %s\n", shown, strerror(-r));
		return 1;
	}
	return 0;
}

int vgpuctl_nfd(struct mdev_ctx *ctx, int argc, char **argv)
{
	bool write = false;
	const char *file = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return fputs(NFD_USAGE, stdout), 0;
		if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (write)
				goto usage;
			write = true;
			/* FILE is optional: the next word is it unless it is an option */
			if (i + 1 < argc && argv[i + 1][0] != '-')
				file = argv[++i];
		} else if (!strncmp(a, "--output=", 9) && !write && a[9]) {
			write = true;
			file = a + 9;
		} else {
			goto usage;
		}
		continue;
usage:
		fprintf(stderr, "Error: unexpected argument '%s'\n\n%s", a, NFD_USAGE);
		return 2;
	}
	size_t len;
	char *data = feature_file(ctx, &len);
	if (!data)
		return 1;
	int rc = 0;
	if (len > NFD_FILE_MAX) {
		fprintf(stderr, "Error: the feature file would be %zu bytes, and NFD ignores one over %d bytes\n",
			len, NFD_FILE_MAX);
		rc = 1;
	} else if (write) {
		rc = output(ctx, file, data, len);
	} else if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
		fprintf(stderr, "Error: cannot write to standard output: %s\n", strerror(errno));
		rc = 1;
	}
	free(data);
	return rc;
}
