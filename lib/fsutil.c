/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* File access relative to the context's root directory fd: nothing here builds absolute
 * paths, so a fixture tree or a simulator can stand in for the host. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "internal.h"

int root_stat(struct mdev_ctx *ctx, const char *rel, bool follow, struct stat *st)
{
	if (fstatat(ctx->root_fd, rel, st, follow ? 0 : AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return 0;
}

bool root_exists(struct mdev_ctx *ctx, const char *rel)
{
	struct stat st;
	return root_stat(ctx, rel, true, &st) == 0;
}

bool root_is_dir(struct mdev_ctx *ctx, const char *rel)
{
	struct stat st;
	return root_stat(ctx, rel, true, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Read to the end, refusing more than FILE_MAX bytes (exactly: a file of FILE_MAX bytes is
 * read, one of FILE_MAX + 1 is -EFBIG; the buffer never grows past FILE_MAX + 2). Files under
 * the root are regular or sysfs files, where a short read means the end: that saves a second
 * read() per file, which counts at thousands of files. A file that fits the first read is
 * returned in a buffer of its own size (a listing may hold thousands at once). */
static ssize_t read_all(int fd, char **ret, bool short_is_end)
{
	char first[4096];
	ssize_t r;
	do
		r = read(fd, first, sizeof(first) - 1);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	size_t len = (size_t)r, cap = 2 * sizeof(first);
	bool done = r == 0 || (short_is_end && len + 1 < sizeof(first));
	char *buf = malloc(done ? len + 1 : cap);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, first, len);
	while (!done) {
		if (len + 1 >= cap) {
			/* room for one byte past the limit, to tell "exactly FILE_MAX" from "more" */
			size_t ncap = cap * 2 > FILE_MAX + 2 ? FILE_MAX + 2 : cap * 2;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap = ncap;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int err = errno;
			free(buf);
			return -err;
		}
		len += (size_t)r;
		if (len > FILE_MAX) {
			free(buf);
			return -EFBIG;
		}
		done = r == 0 || (short_is_end && len + 1 < cap);
	}
	buf[len] = '\0';
	*ret = buf;
	return (ssize_t)len;
}

ssize_t fd_read_all(int fd, char **ret)
{
	return read_all(fd, ret, false);
}

ssize_t fd_read_file(int fd, char **ret)
{
	return read_all(fd, ret, true);
}

ssize_t root_read_file(struct mdev_ctx *ctx, const char *rel, char **ret)
{
	_cleanup_close_ int fd = openat(ctx->root_fd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return read_all(fd, ret, true);
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Only for sysfs stores (create, remove, attributes: C-19), files the kernel owns, where no one
 * can plant a link; configs go through root_write_atomic(). */
int root_write_file(struct mdev_ctx *ctx, const char *rel, const char *data, size_t len)
{
	_cleanup_close_ int fd =
		openat(ctx->root_fd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	int r = write_all(fd, data, len);
	if (r < 0)
		return r;
	if (close(fd) < 0) {
		fd = -1;
		return -errno;
	}
	fd = -1;
	return 0;
}

int root_canonical_path(struct mdev_ctx *ctx, const char *rel, char **ret)
{
	_cleanup_close_ int fd = openat(ctx->root_fd, rel, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	char link[64], buf[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	*ret = strdup(buf);
	return *ret ? 0 : -ENOMEM;
}

int root_canonical_basename(struct mdev_ctx *ctx, const char *rel, char **ret)
{
	_cleanup_free_ char *path = NULL;
	int r = root_canonical_path(ctx, rel, &path);
	if (r < 0)
		return r;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (!*base)
		return -EINVAL;
	*ret = strdup(base);
	return *ret ? 0 : -ENOMEM;
}

void root_sync_dir(struct mdev_ctx *ctx, const char *rel)
{
	if (!*rel) {
		fsync(ctx->root_fd);
		return;
	}
	_cleanup_close_ int dfd = openat(ctx->root_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		fsync(dfd);
}

int root_mkdir_p(struct mdev_ctx *ctx, const char *rel, mode_t mode)
{
	_cleanup_free_ char *p = strdup(rel);
	if (!p)
		return -ENOMEM;
	for (char *s = p;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (*p && mkdirat(ctx->root_fd, p, mode) < 0) {
			if (errno != EEXIST)
				return -errno;
		} else if (*p) {
			/* the new directory's own entry must reach the disk too, or the first config
			 * of a new parent could vanish with it after a power cut */
			char *slash = strrchr(p, '/');
			if (slash)
				*slash = '\0';
			root_sync_dir(ctx, slash ? p : "");
			if (slash)
				*slash = '/';
		}
		if (!c)
			break;
		*s = c;
	}
	return root_is_dir(ctx, rel) ? 0 : -ENOTDIR;
}

/* The temp file, created exclusively: a name found there is a crashed writer's file or one
 * planted by someone else (a hard link to a file outside the root, a symlink, a FIFO), and is
 * unlinked, never opened, written or truncated. */
static int create_temp(int tdfd, const char *tmp)
{
	for (int tries = 0;; tries++) {
		int fd = openat(tdfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST || tries == 1)
			return fd < 0 ? -errno : fd;
		if (unlinkat(tdfd, tmp, 0) < 0 && errno != ENOENT)
			return -errno;
	}
}

/* The replaced file's mode and owner go to its successor (upstream writes in place, which
 * keeps them): an admin's 0600 or chown must survive a modify. Owner first: a chown may clear
 * mode bits. A successor that cannot get them (EPERM) is refused rather than widened. */
static int keep_mode_owner(int fd, const struct stat *old)
{
	if (old->st_uid != geteuid() || old->st_gid != getegid())
		if (fchown(fd, old->st_uid, old->st_gid) < 0)
			return -errno;
	return fchmod(fd, old->st_mode & 07777) < 0 ? -errno : 0;
}

/* Write, flush and move into place one temp file in tdfd (which may be dfd); -EXDEV when tdfd
 * and dfd turn out to be different mounts, with nothing left behind. */
static int write_via(int tdfd, int dfd, const char *tmp, const char *name, const char *data,
		     size_t len, const struct stat *old)
{
	int fd = create_temp(tdfd, tmp);
	if (fd < 0)
		return fd;
	int r = write_all(fd, data, len);
	if (r == 0 && old)
		r = keep_mode_owner(fd, old);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(tdfd, tmp, dfd, name) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(tdfd, tmp, 0);
	return r;
}

/* Whether a rename from one directory to the other can work: the same mount (by mount id where
 * the kernel tells it, Linux 5.8+; else the same device). A bind mount of etc/mdevctl.d (a
 * container, a test namespace) is found here, before a file is made in the other mount. */
static bool same_mount(int a, int b)
{
	struct statx sa, sb;
	if (statx(a, "", AT_EMPTY_PATH, STATX_MNT_ID, &sa) < 0 ||
	    statx(b, "", AT_EMPTY_PATH, STATX_MNT_ID, &sb) < 0)
		return false;
	if ((sa.stx_mask & sb.stx_mask & STATX_MNT_ID))
		return sa.stx_mnt_id == sb.stx_mnt_id;
	return sa.stx_dev_major == sb.stx_dev_major && sa.stx_dev_minor == sb.stx_dev_minor;
}

int root_write_atomic(struct mdev_ctx *ctx, const char *tmp_dir, const char *dir,
		      const char *name, const char *data, size_t len)
{
	_cleanup_close_ int dfd = openat(ctx->root_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	/* The caller holds the root's lock, so no other writer uses this name. */
	char tmp[NAME_MAX + 1];
	if (snprintf(tmp, sizeof(tmp), TMP_PREFIX "%s", name) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	struct stat old;
	bool replaces = fstatat(dfd, name, &old, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(old.st_mode);
	/* The temp file is made outside dir when tmp_dir is on the same file system: a watcher of
	 * dir (libvirt's inotify on etc/mdevctl.d/<parent>) then sees one event per write, the
	 * rename's, not the temp file's creation, writes and close as well. */
	_cleanup_close_ int tdfd = tmp_dir ? openat(ctx->root_fd, tmp_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (tdfd >= 0 && !same_mount(dfd, tdfd)) {
		close(tdfd);
		tdfd = -1;
	}
	int r = -EXDEV;
	if (tdfd >= 0)
		r = write_via(tdfd, dfd, tmp, name, data, len, replaces ? &old : NULL);
	if (r == -EXDEV) /* another mount (a bind mount of dir): the temp file goes beside it */
		r = write_via(dfd, dfd, tmp, name, data, len, replaces ? &old : NULL);
	if (r < 0)
		return r;
	/* The new file is complete and in place: a failed directory flush only means the rename
	 * may not survive a power cut yet (some file systems, FUSE ones among them, cannot flush a
	 * directory at all). Report success; the caller's data is never half-written. */
	if (fsync(dfd) < 0 && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		lib_log(ctx, MDEV_LOG_WARN, "mdevctl", "Unable to flush directory %s: %s", dir, strerror(errno));
	return 0;
}

/* A directory of the root to read; NULL with errno set. */
static DIR *root_opendir(struct mdev_ctx *ctx, const char *rel)
{
	int fd = openat(ctx->root_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (!d) {
		int err = errno;
		close(fd);
		errno = err;
	}
	return d;
}

int root_list_dir(struct mdev_ctx *ctx, const char *rel, char ***ret_names,
		  unsigned char **ret_types, size_t *ret_n)
{
	DIR *d = root_opendir(ctx, rel);
	if (!d)
		return -errno;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int r = 0;
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof(*nn));
			if (!nn) {
				r = -ENOMEM;
				break;
			}
			names = nn;
		}
		/* d_type travels after the NUL so one allocation holds both */
		size_t l = strlen(de->d_name);
		names[n] = malloc(l + 2);
		if (!names[n]) {
			r = -ENOMEM;
			break;
		}
		memcpy(names[n], de->d_name, l + 1);
		unsigned char t = de->d_type;
		if (t == DT_UNKNOWN) {
			struct stat st;
			if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
				t = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG :
				    S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
		}
		names[n][l + 1] = (char)t;
		n++;
	}
	closedir(d);
	if (r < 0) {
		strv_free(names, n);
		return r;
	}
	if (sort_strings(names, n) < 0) {
		strv_free(names, n);
		return -ENOMEM;
	}
	if (ret_types) {
		unsigned char *types = malloc(n ? n : 1);
		if (!types) {
			strv_free(names, n);
			return -ENOMEM;
		}
		for (size_t i = 0; i < n; i++)
			types[i] = (unsigned char)names[i][strlen(names[i]) + 1];
		*ret_types = types;
	}
	*ret_names = names;
	*ret_n = n;
	return 0;
}

void dir_listing_read(struct mdev_ctx *ctx, struct dir_listing *l)
{
	l->err = root_list_dir(ctx, l->rel, &l->names, &l->types, &l->n);
	if (l->err < 0)
		l->n = 0;
}

void dir_listing_clear(struct dir_listing *l)
{
	free(l->rel);
	strv_free(l->names, l->n);
	free(l->types);
	*l = (struct dir_listing){ 0 };
}

static int cmp_id(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

static int uuid_set_sort(struct uuid_set *set)
{
	struct sort_ent *v = malloc(set->n * sizeof(*v));
	unsigned char(*ids)[16] = malloc(set->n * sizeof(*ids));
	if (!v || !ids) {
		free(v);
		free(ids);
		return -ENOMEM;
	}
	for (size_t i = 0; i < set->n; i++)
		v[i] = (struct sort_ent){ sort_key_bytes(set->ids[i], 16), set->ids[i] };
	sort_ents(v, set->n, cmp_id);
	for (size_t i = 0; i < set->n; i++)
		memcpy(ids[i], v[i].p, 16);
	free(v);
	free(set->ids);
	set->ids = ids;
	return 0;
}

void uuid_set_load(struct mdev_ctx *ctx, const char *rel, struct uuid_set *set)
{
	*set = (struct uuid_set){ 0 };
	DIR *d = root_opendir(ctx, rel);
	if (!d)
		return;
	size_t cap = 0;
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d))) {
		unsigned char id[16];
		if (!uuid_canonical_bytes(de->d_name, id))
			continue;
		if (set->n == cap) {
			cap = cap ? 2 * cap : 64;
			void *v = realloc(set->ids, cap * sizeof(*set->ids));
			if (!v)
				break;
			set->ids = v;
		}
		memcpy(set->ids[set->n++], id, 16);
	}
	set->valid = de == NULL && errno == 0;
	closedir(d);
	if (!set->valid) {
		uuid_set_clear(set);
		return;
	}
	if (set->n > 1 && uuid_set_sort(set) < 0)
		uuid_set_clear(set); /* no memory: the set answers "maybe" */
}

bool uuid_set_may_contain(const struct uuid_set *set, const char *uuid)
{
	unsigned char id[16];
	if (!set->valid || !uuid_canonical_bytes(uuid, id))
		return true;
	return set->n && bsearch(id, set->ids, set->n, sizeof(*set->ids), cmp_id) != NULL;
}

void uuid_set_clear(struct uuid_set *set)
{
	free(set->ids);
	*set = (struct uuid_set){ 0 };
}

/* An fd for dir, opened once per cache (or the root fd when it cannot be cached). */
static int dircache_dir(struct mdev_ctx *ctx, struct dircache *dc, const char *dir, bool *cached)
{
	*cached = true;
	for (size_t i = 0; dc && i < dc->n; i++)
		if (!strcmp(dc->key[i], dir))
			return dc->fd[i];
	if (dc && dc->n < ARRAY_SIZE(dc->key)) {
		int fd = openat(ctx->root_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		char *key = strdup(dir);
		if (!key) {
			close(fd);
			return -ENOMEM;
		}
		dc->key[dc->n] = key;
		dc->fd[dc->n++] = fd;
		return fd;
	}
	*cached = false;
	return ctx->root_fd;
}

int dircache_at(struct mdev_ctx *ctx, struct dircache *dc, const char *dir, const char *name,
		char *path, size_t sz)
{
	bool cached;
	int dfd = dircache_dir(ctx, dc, dir, &cached);
	if (dfd < 0)
		return dfd;
	int n = cached ? snprintf(path, sz, "%s", name) : snprintf(path, sz, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= sz ? -ENAMETOOLONG : dfd;
}

void dircache_clear(struct dircache *dc)
{
	for (size_t i = 0; i < dc->n; i++) {
		free(dc->key[i]);
		close(dc->fd[i]);
	}
	dc->n = 0;
}

int dircache_openat(struct mdev_ctx *ctx, struct dircache *dc, const char *dir, const char *name,
		    int flags)
{
	char path[PATH_MAX];
	int dfd = dircache_at(ctx, dc, dir, name, path, sizeof(path));
	if (dfd < 0)
		return dfd;
	int fd = openat(dfd, path, flags);
	return fd < 0 ? -errno : fd;
}
