/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test-only fault injection, loaded with LD_PRELOAD: the FAULT_NTH-th call of FAULT_CALL fails
 * with FAULT_ERRNO (a name such as ENOSPC), or, with FAULT_ERRNO=KILL, the process dies of
 * SIGKILL right there (a crash at that point). Calls: open (openat with O_CREAT), write (to a
 * file, not to stdin/stdout/stderr), fsync, rename (rename/renameat), unlink, sysfs (a write to
 * a path under a "sys/" directory). Never built into the tools.
 * FAULT_POLL_LOG=FILE appends each poll() call's "nfds timeout" to FILE, for the test that
 * mdevctl never wakes on a timer while it waits for a callout script (tests/callouts). */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int hit(const char *call)
{
	static int count;
	const char *want = getenv("FAULT_CALL");
	if (!want || strcmp(want, call))
		return 0;
	const char *nth = getenv("FAULT_NTH");
	if (++count != (nth ? atoi(nth) : 1))
		return 0;
	const char *e = getenv("FAULT_ERRNO");
	static const struct {
		const char *name;
		int value;
	} errs[] = { { "ENOSPC", ENOSPC }, { "EIO", EIO }, { "EACCES", EACCES }, { "EROFS", EROFS },
		     { "EDQUOT", EDQUOT } };
	if (e && !strcmp(e, "KILL"))
		raise(SIGKILL);
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		if (e && !strcmp(e, errs[i].name))
			return errs[i].value;
	return EIO;
}

#define REAL(ret, name, ...) \
	static ret (*real_##name)(__VA_ARGS__); \
	if (!real_##name) \
		real_##name = (ret(*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name)

static int is_sys_fd(int fd)
{
	char link[64], path[4096];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return 0;
	path[n] = '\0';
	return strstr(path, "/sys/") != NULL;
}

ssize_t write(int fd, const void *buf, size_t count)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (fd > 2) {
		int e = is_sys_fd(fd) ? hit("sysfs") : hit("write");
		if (e) {
			errno = e;
			return -1;
		}
	}
	return real_write(fd, buf, count);
}

int fsync(int fd)
{
	REAL(int, fsync, int);
	int e = hit("fsync");
	if (e) {
		errno = e;
		return -1;
	}
	return real_fsync(fd);
}

int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	REAL(int, renameat, int, const char *, int, const char *);
	int e = hit("rename");
	if (e) {
		errno = e;
		return -1;
	}
	return real_renameat(olddirfd, oldpath, newdirfd, newpath);
}

int rename(const char *oldpath, const char *newpath)
{
	REAL(int, rename, const char *, const char *);
	int e = hit("rename");
	if (e) {
		errno = e;
		return -1;
	}
	return real_rename(oldpath, newpath);
}

int unlinkat(int dirfd, const char *path, int flags)
{
	REAL(int, unlinkat, int, const char *, int);
	int e = hit("unlink");
	if (e) {
		errno = e;
		return -1;
	}
	return real_unlinkat(dirfd, path, flags);
}

/* An O_CREAT open that should fail: 0, or the errno to fail with. */
static int create_fault(int flags)
{
	return (flags & O_CREAT) ? hit("open") : 0;
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
}

/* glibc's headers turn openat() into openat64() where files are 64-bit: catch both */
int openat64(int dirfd, const char *path, int flags, ...)
{
	REAL(int, openat64, int, const char *, int, ...);
	va_list ap;
	va_start(ap, flags);
	mode_t mode = mode_arg(flags, ap);
	va_end(ap);
	int e = create_fault(flags);
	if (e) {
		errno = e;
		return -1;
	}
	return real_openat64(dirfd, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	REAL(int, openat, int, const char *, int, ...);
	va_list ap;
	va_start(ap, flags);
	mode_t mode = mode_arg(flags, ap);
	va_end(ap);
	int e = create_fault(flags);
	if (e) {
		errno = e;
		return -1;
	}
	return real_openat(dirfd, path, flags, mode);
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	REAL(int, poll, struct pollfd *, nfds_t, int);
	const char *log = getenv("FAULT_POLL_LOG");
	if (log) {
		char line[64];
		int len = snprintf(line, sizeof(line), "%lu %d\n", (unsigned long)n, timeout);
		int fd = (int)syscall(SYS_openat, AT_FDCWD, log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0) {
			syscall(SYS_write, fd, line, (size_t)len);
			close(fd);
		}
	}
	return real_poll(fds, n, timeout);
}
