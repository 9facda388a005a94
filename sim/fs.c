/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's FUSE plumbing (fs.h): one lock, the union of the backends' trees, and the FUSE
 * calls a sysfs walker makes (getattr, readlink, readdir, open, read, write). */
#define FUSE_USE_VERSION 35
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fs.h"

#define MAX_BACKENDS 4
/* sysfs hands a store at most a page, and a show fills at most one */
#define PAGE 4096

static const struct sim_backend *backends[MAX_BACKENDS];
static size_t n_backends;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void sim_fs_add(const struct sim_backend *be)
{
	if (n_backends < MAX_BACKENDS)
		backends[n_backends++] = be;
}

const char *sim_after(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(path, prefix, n))
		return NULL;
	if (path[n] == '\0')
		return "";
	return path[n] == '/' ? path + n + 1 : NULL;
}

const char *sim_component(const char *path, char *name, size_t sz)
{
	size_t l = strcspn(path, "/");
	if (l >= sz)
		return NULL;
	memcpy(name, path, l);
	name[l] = '\0';
	return path[l] ? path + l + 1 : "";
}

int sim_find_name(const char *name, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, names[i]))
			return (int)i;
	return -1;
}

int sim_dir(struct node *n, int dir)
{
	n->kind = K_DIR;
	n->dir = dir;
	return 0;
}

int sim_file(struct node *n, int file)
{
	n->kind = K_FILE;
	n->file = file;
	return 0;
}

int sim_link(struct node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	n->kind = K_LINK;
	vsnprintf(n->target, sizeof(n->target), fmt, ap);
	va_end(ap);
	return 0;
}

int sim_link_up(struct node *n, const char *path, int extra, const char *fmt, ...)
{
	int ups = 2 + extra; /* "devices" and the path's last component */
	for (const char *c = path; *c; c++)
		ups += *c == '/';
	size_t o = 0;
	n->kind = K_LINK;
	n->target[0] = '\0';
	for (int i = 0; i < ups && o + 3 < sizeof(n->target); i++, o += 3)
		memcpy(n->target + o, "../", 4);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(n->target + o, sizeof(n->target) - o, fmt, ap);
	va_end(ap);
	return 0;
}

/* What backend be makes of path */
static int resolve_in(const struct sim_backend *be, const char *path, struct node *n)
{
	memset(n, 0, sizeof(*n));
	n->parent = n->type = n->dev = n->attr = n->group = n->pf = n->vf = n->fn = -1;
	n->be = be;
	return be->resolve(path, n);
}

/* The first backend's node for path: each is asked in turn until one knows it */
static int resolve(const char *path, struct node *n)
{
	int r = -ENOENT;
	for (size_t i = 0; i < n_backends && r == -ENOENT; i++)
		r = resolve_in(backends[i], path, n);
	return r;
}

int sim_fs_resolve(const char *path, struct node *n)
{
	pthread_mutex_lock(&lock);
	int r = resolve(path, n);
	pthread_mutex_unlock(&lock);
	return r;
}

static void *fs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	/* devices come and go: the kernel must ask every time, and read past the size */
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->direct_io = 1;
	return NULL;
}

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	struct node n;
	pthread_mutex_lock(&lock);
	int r = resolve(path, &n);
	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_nlink = 1;
	if (r < 0) {
	} else if (n.kind == K_DIR) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
	} else if (n.kind == K_LINK) {
		st->st_mode = S_IFLNK | 0777;
		st->st_size = (off_t)strlen(n.target);
	} else {
		st->st_mode = S_IFREG | n.be->mode(&n);
		st->st_size = n.be->size(&n);
	}
	pthread_mutex_unlock(&lock);
	return r;
}

static int fs_readlink(const char *path, char *buf, size_t size)
{
	struct node n;
	int r = sim_fs_resolve(path, &n);
	if (r < 0)
		return r;
	if (n.kind != K_LINK)
		return -EINVAL;
	snprintf(buf, size, "%s", n.target);
	return 0;
}

struct lister {
	void *buf;
	fuse_fill_dir_t fill;
	const char *path; /* of the directory listed */
	char **seen;      /* what is listed already: several backends list shared directories */
	size_t n_seen;
	int err;
};

/* One entry, with its type as the kernel's readdir gives it (DT_DIR, DT_LNK, DT_REG) */
void sim_list_add(struct lister *l, const char *name)
{
	for (size_t i = 0; i < l->n_seen; i++)
		if (!strcmp(l->seen[i], name))
			return;
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFDIR;
	if (strcmp(name, ".") && strcmp(name, "..")) {
		char child[512];
		struct node c;
		snprintf(child, sizeof(child), "%s/%s", strcmp(l->path, "/") ? l->path : "", name);
		if (resolve(child, &c) < 0)
			return; /* never list what cannot be looked up */
		st.st_mode = c.kind == K_LINK ? S_IFLNK : c.kind == K_FILE ? S_IFREG : S_IFDIR;
	}
	char **seen = realloc(l->seen, (l->n_seen + 1) * sizeof(*seen));
	char *copy = strdup(name);
	if (!seen || !copy) {
		free(copy);
		if (seen)
			l->seen = seen;
		l->err = -ENOMEM;
		return;
	}
	l->seen = seen;
	l->seen[l->n_seen++] = copy;
	l->fill(l->buf, name, &st, 0, 0);
}

void sim_list_addf(struct lister *l, const char *fmt, ...)
{
	char name[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	sim_list_add(l, name);
}

static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
		      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off;
	(void)fi;
	(void)flags;
	struct node n;
	struct lister l = { .buf = buf, .fill = fill, .path = path };
	pthread_mutex_lock(&lock);
	int r = resolve(path, &n);
	if (r == 0 && n.kind != K_DIR)
		r = -ENOTDIR;
	if (r == 0) {
		sim_list_add(&l, ".");
		sim_list_add(&l, "..");
		n.be->list(&n, &l);
		/* the same directory in the trees of the backends after it */
		for (size_t i = 0; i < n_backends; i++) {
			struct node m;
			if (backends[i] != n.be && resolve_in(backends[i], path, &m) == 0 &&
			    m.kind == K_DIR)
				backends[i]->list(&m, &l);
		}
		r = l.err;
	}
	pthread_mutex_unlock(&lock);
	for (size_t i = 0; i < l.n_seen; i++)
		free(l.seen[i]);
	free(l.seen);
	return r;
}

static int fs_open(const char *path, struct fuse_file_info *fi)
{
	struct node n;
	pthread_mutex_lock(&lock);
	int r = resolve(path, &n);
	mode_t mode = r == 0 && n.kind == K_FILE ? n.be->mode(&n) : 0;
	pthread_mutex_unlock(&lock);
	if (r < 0)
		return r;
	if (n.kind == K_DIR)
		return -EISDIR;
	int acc = fi->flags & O_ACCMODE;
	if ((acc != O_WRONLY && !(mode & 0444)) || (acc != O_RDONLY && !(mode & 0200)))
		return -EACCES;
	fi->direct_io = 1;
	fi->fh = n.serial; /* a file of a device stays that device's: ENODEV once it is gone */
	return 0;
}

/* The node an open file was opened on, or ENODEV when what held it was removed */
static int resolve_open(const char *path, struct fuse_file_info *fi, struct node *n)
{
	int r = resolve(path, n);
	if (fi && fi->fh && (r < 0 || n->serial != fi->fh))
		return -ENODEV;
	return r;
}

static int fs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct node n;
	char text[PAGE];
	pthread_mutex_lock(&lock);
	int r = resolve_open(path, fi, &n);
	if (r == 0)
		r = n.kind == K_FILE ? n.be->show(&n, text, sizeof(text)) : -EINVAL;
	pthread_mutex_unlock(&lock);
	if (r < 0)
		return r;
	if (off >= r)
		return 0;
	size_t len = (size_t)r - (size_t)off;
	if (len > size)
		len = size;
	memcpy(buf, text + off, len);
	return (int)len;
}

static int fs_write(const char *path, const char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	(void)off; /* like sysfs, every write is one whole store */
	/* sysfs hands a store at most a page and ignores empty writes */
	if (size > PAGE)
		size = PAGE;
	if (!size)
		return 0;
	struct node n;
	struct sim_uevent ev;
	bool notify = false;
	pthread_mutex_lock(&lock);
	int r = resolve_open(path, fi, &n);
	if (r == 0)
		r = n.kind == K_FILE ? n.be->store(&n, buf, size, &ev, &notify) : -EISDIR;
	pthread_mutex_unlock(&lock);
	/* after the lock: a client reads the new device's files as soon as it hears */
	if (notify && r == 0)
		sim_uevent_send(&ev);
	return r < 0 ? r : (int)size;
}

static int fs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)size;
	(void)fi;
	struct node n;
	int r = sim_fs_resolve(path, &n);
	return r < 0 ? r : 0; /* opening for write truncates; sysfs files have no length */
}

static int fs_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	(void)mode;
	(void)fi;
	struct node n;
	return sim_fs_resolve(path, &n) == 0 ? 0 : -EACCES; /* sysfs has no new files */
}

static const struct fuse_operations ops = {
	.init = fs_init,
	.getattr = fs_getattr,
	.readlink = fs_readlink,
	.readdir = fs_readdir,
	.open = fs_open,
	.read = fs_read,
	.write = fs_write,
	.truncate = fs_truncate,
	.create = fs_create,
};

int sim_fs_main(char *argv0, bool fg, bool debug, const char *mnt)
{
	char *fargs[8];
	int n = 0;
	fargs[n++] = argv0;
	if (fg)
		fargs[n++] = "-f";
	if (debug)
		fargs[n++] = "-d";
	fargs[n++] = "-o";
	/* libfuse 3.14's fuse_main prints "Ignoring invalid max threads value" about its own
	 * default: harmless */
	fargs[n++] = "fsname=mdev-sim,subtype=mdev-sim";
	fargs[n++] = (char *)mnt;
	return fuse_main(n, fargs, &ops, NULL);
}
