/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writers of one root are serialised with flock() on run/mdevctl.lock under the root.
 *
 * Why this file and not the etc/mdevctl.d directory: flock() works on any descriptor, even a
 * read-only one, so a lock on a directory every user may open lets any local user stop every
 * write. This file is opened for writing, created 0600 and owned by the writer, in a directory
 * only its owner may change (the root's run/, which is root's 0755 /run on a host), so only a
 * user who could write the definitions anyway can hold it. It stays out of etc/mdevctl.d, where
 * upstream mdevctl would see it, and out of every listing. A root without run/ (a chroot being
 * prepared, a test tree) gets one created for the lock, as a host's /run always exists: there is
 * no weaker fallback, since any other lock would be one an unprivileged user might hold.
 *
 * A writer waits at most MDEVCTL_LOCK_TIMEOUT seconds (default 30, 0: do not wait), woken by
 * inotify when a holder closes the file, and fails naming the holder's pid (from /proc/locks).
 * Readers never lock. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/sysmacros.h>
#include "internal.h"

#define LOCK_DIR "run"
#define LOCK_NAME "mdevctl.lock"
#define LOCK_REL LOCK_DIR "/" LOCK_NAME
/* how long a waiter sleeps between tries when it has no inotify watch, or for a holder that
 * unlocks without closing (another program's flock -u) */
#define RETRY_MS 50

static int lock_error(struct mdev_ctx *ctx, int err, const char *what)
{
	_cleanup_free_ char *p = root_path_debug(ctx, LOCK_REL);
	return lib_error_os(ctx, err, "Unable to %s the writer lock %s", what, p ? p : LOCK_REL);
}

/* run/ under the root, created when missing; refused if a user other than the writer (or root)
 * could plant or replace files in it. */
static int open_lock_dir(struct mdev_ctx *ctx)
{
	int fd = openat(ctx->root_fd, LOCK_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (mkdirat(ctx->root_fd, LOCK_DIR, 0755) < 0 && errno != EEXIST)
			return lock_error(ctx, errno, "create the directory of");
		fd = openat(ctx->root_fd, LOCK_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0)
		return lock_error(ctx, errno, "open the directory of");
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int err = errno;
		close(fd);
		return lock_error(ctx, err, "check the directory of");
	}
	if ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022)) {
		close(fd);
		_cleanup_free_ char *p = root_path_debug(ctx, LOCK_DIR);
		return lib_error(ctx, EPERM,
				 "Refusing to lock in %s: other users may write to it (uid %u, mode %04o)",
				 p ? p : LOCK_DIR, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
	}
	return fd;
}

static int open_lock_file(struct mdev_ctx *ctx)
{
	_cleanup_close_ int dir = open_lock_dir(ctx);
	if (dir < 0)
		return dir;
	/* O_NONBLOCK: a FIFO planted here must not block the open */
	int fd = openat(dir, LOCK_NAME, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
			0600);
	if (fd < 0)
		return lock_error(ctx, errno, "open");
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int err = errno;
		close(fd);
		return lock_error(ctx, err, "check");
	}
	/* only a file of the writer's (or root's) own, linked once, so that the lock can be held
	 * only by whoever may write the definitions and a fchmod() changes nothing else */
	bool ours = st.st_uid == geteuid();
	if (!S_ISREG(st.st_mode) || st.st_nlink != 1 || (!ours && st.st_uid != 0) ||
	    ((st.st_mode & 077) && (!ours || fchmod(fd, 0600) < 0))) {
		close(fd);
		_cleanup_free_ char *p = root_path_debug(ctx, LOCK_REL);
		return lib_error(ctx, EPERM,
				 "Refusing to use the writer lock %s: not a private regular file of this user (uid %u, mode %04o, %lu links)",
				 p ? p : LOCK_REL, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777),
				 (unsigned long)st.st_nlink);
	}
	return fd;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The pid holding an flock() on fd's file, from /proc/locks; 0 if it cannot be known. */
static pid_t lock_holder(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return 0;
	FILE *f = fopen("/proc/locks", "re");
	if (!f)
		return 0;
	char line[256];
	pid_t holder = 0;
	while (!holder && fgets(line, sizeof(line), f)) {
		/* "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; waiters have "->" first */
		char kind[16], rw[16];
		int pid;
		unsigned int maj, min;
		unsigned long ino;
		if (strstr(line, "->"))
			continue;
		if (sscanf(line, "%*d: %15s %*s %15s %d %x:%x:%lu", kind, rw, &pid, &maj, &min, &ino) == 6 &&
		    !strcmp(kind, "FLOCK") && pid > 0 && ino == (unsigned long)st.st_ino &&
		    maj == major(st.st_dev) && min == minor(st.st_dev))
			holder = pid;
	}
	fclose(f);
	return holder;
}

static int timed_out(struct mdev_ctx *ctx, int fd)
{
	_cleanup_free_ char *p = root_path_debug(ctx, LOCK_REL);
	pid_t pid = lock_holder(fd);
	char comm[64] = "";
	if (pid > 0) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
		FILE *f = fopen(path, "re");
		if (f) {
			if (fgets(comm, sizeof(comm), f))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(f);
		}
	}
	unsigned int s = ctx->lock_timeout_ms / 1000, ms = ctx->lock_timeout_ms % 1000;
	char waited[32];
	if (ms)
		snprintf(waited, sizeof(waited), "%u.%03u s", s, ms);
	else
		snprintf(waited, sizeof(waited), "%u s", s);
	if (pid > 0)
		return lib_error(ctx, ETIMEDOUT,
				 "Another writer holds the lock %s: process %d%s%s%s did not release it within %s (MDEVCTL_LOCK_TIMEOUT)",
				 p ? p : LOCK_REL, (int)pid, *comm ? " (" : "", comm, *comm ? ")" : "",
				 waited);
	return lib_error(ctx, ETIMEDOUT,
			 "Another writer holds the lock %s and did not release it within %s (MDEVCTL_LOCK_TIMEOUT)",
			 p ? p : LOCK_REL, waited);
}

/* Wait for the lock until the context's timeout. A holder closes the file to release it, which
 * inotify reports as IN_CLOSE_WRITE: the waiter wakes at once instead of polling. */
static int wait_lock(struct mdev_ctx *ctx, int fd)
{
	long long deadline = now_ms() + ctx->lock_timeout_ms;
	_cleanup_close_ int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (in >= 0) {
		char self[64];
		snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
		if (inotify_add_watch(in, self, IN_CLOSE_WRITE) < 0) {
			close(in);
			in = -1;
		}
	}
	log_debug(ctx, "waiting for the writer lock " LOCK_REL);
	for (;;) {
		/* the watch is set before this try, so a release after it is not missed */
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return lock_error(ctx, errno, "take");
		long long rem = deadline - now_ms();
		if (rem <= 0)
			return timed_out(ctx, fd);
		struct pollfd p = { .fd = in, .events = POLLIN };
		/* without a watch (no /proc, no inotify instance left), and for a holder that
		 * unlocks without closing, try again every RETRY_MS */
		if (poll(&p, in >= 0 ? 1 : 0, rem < RETRY_MS ? (int)rem : RETRY_MS) > 0) {
			char buf[4096];
			while (read(in, buf, sizeof(buf)) > 0)
				;
		}
	}
}

int lib_lock(struct mdev_ctx *ctx, struct mdev_ctx **ret_locked)
{
	*ret_locked = NULL;
	if (ctx->lock_depth > 0) {
		ctx->lock_depth++;
		*ret_locked = ctx;
		return 0;
	}
	int fd = open_lock_file(ctx);
	if (fd < 0)
		return fd;
	int r = 0;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			r = lock_error(ctx, errno, "take");
		else if (ctx->lock_timeout_ms == 0)
			r = timed_out(ctx, fd);
		else
			r = wait_lock(ctx, fd);
	}
	if (r < 0) {
		close(fd);
		return r;
	}
	ctx->lock_fd = fd;
	ctx->lock_depth = 1;
	*ret_locked = ctx;
	return 0;
}

void lib_unlock(struct mdev_ctx *ctx)
{
	if (ctx->lock_depth == 0 || --ctx->lock_depth > 0)
		return;
	if (ctx->lock_fd >= 0)
		close(ctx->lock_fd); /* closing the last fd releases the lock */
	ctx->lock_fd = -1;
	/* notifiers hear about the changes once other writers may proceed (callout.c) */
	callout_run_notifiers(ctx);
}

int mdev_ctx_lock(struct mdev_ctx *ctx)
{
	struct mdev_ctx *locked;
	return lib_lock(ctx, &locked);
}

void mdev_ctx_unlock(struct mdev_ctx *ctx)
{
	lib_unlock(ctx);
}
