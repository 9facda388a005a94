/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Callout scripts and notifiers (C-56..C-66): sites hook scripts into every operation, as with
 * upstream mdevctl, with the same directories, arguments, stdin, events, version handshake and
 * messages. What we add: a script that runs longer than the context's timeout (default 30 s,
 * MDEVCTL_CALLOUT_TIMEOUT seconds, 0 = none) is killed with its whole process group and counts
 * as failed; at most 1 MiB of a script's stdout and of its stderr is kept (the rest is read
 * and dropped), and mdevctl stops reading once the script has exited, even if a process it
 * left behind holds the pipes open. Scripts run with the working directory "/" and mdevctl's
 * environment. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include "internal.h"

#define OUTPUT_MAX (1 << 20)

static const char *const callout_dirs[] = { "usr/lib/mdevctl/scripts.d/callouts",
					    CONFIG_DIR "/scripts.d/callouts" };
static const char *const notifier_dirs[] = { "usr/lib/mdevctl/scripts.d/notifiers",
					     CONFIG_DIR "/scripts.d/notifiers" };

enum event { EV_PRE, EV_POST, EV_LIVE, EV_NOTIFY, EV_GET, EV_UNKNOWN };
static const char *const event_names[] = { "pre", "post", "live", "notify", "get" };
/* upstream prints the enum variants' names in errors */
static const char *const event_titles[] = { "Pre", "Post", "Live", "Notify", "Get" };
static const char *const action_names[] = { "start", "stop", "define", "undefine", "modify",
					    "attributes", "capabilities" };
static const char *const action_titles[] = { "Start", "Stop", "Define", "Undefine", "Modify",
					     "Attributes", "Capabilities" };
enum state { ST_NONE, ST_SUCCESS, ST_FAILURE };
static const char *const state_names[] = { "none", "success", "failure" };

#define ACTIONS_V1 0x3fu /* all but capabilities */
#define EVENTS_V1 ((1u << EV_PRE) | (1u << EV_POST) | (1u << EV_NOTIFY) | (1u << EV_GET))

/* A script chosen for a device: versioned (from the handshake) or legacy (first claimer). */
struct script {
	char *rel;
	unsigned int actions, events;
};

/* What every script run of one operation shares, made at its first run: list runs a script
 * twice for each running device (C-58, C-62), and a script's own start costs milliseconds
 * while each system call saved here costs a microsecond, but none of these need repeating. */
struct spawn_kit {
	/* the root's absolute path ("" for "/"): scripts run from "/", so by absolute path */
	char *root;
	/* the read end of a pipe whose write end is closed: the stdin of every call without input
	 * (get attributes, notify), which reads EOF at once as a pipe of its own would */
	int empty_in;
	posix_spawnattr_t attr;
	/* the dup2s onto 0, 1, 2 for the last two sets of pipe fds (with input and without: list
	 * alternates between the probe and get attributes): the same numbers come back run after
	 * run, and glibc asks getrlimit() twice for each dup2 it records */
	struct spawn_actions {
		posix_spawn_file_actions_t fa;
		int fds[3];
		bool made;
	} actions[2];
	unsigned next; /* the set to replace */
};

struct cache_entry {
	char *parent, *type;
	struct script script; /* rel NULL: no versioned script */
};

struct callout_cache {
	struct cache_entry *v;
	size_t n;
	/* v's indexes + 1 by parent and type (open addressing, 0 = free): list asks for every
	 * running device, and thousands of them share a few hundred types */
	size_t *slots, n_slots;
	/* the executables of each script directory, listed once per operation */
	char **dirs[ARRAY_SIZE(callout_dirs) + ARRAY_SIZE(notifier_dirs)];
	size_t n_dir[ARRAY_SIZE(callout_dirs) + ARRAY_SIZE(notifier_dirs)];
	bool listed[ARRAY_SIZE(callout_dirs) + ARRAY_SIZE(notifier_dirs)];
	struct spawn_kit *kit;
};

static struct callout_cache *cache(struct mdev_ctx *ctx)
{
	if (!ctx->callouts)
		ctx->callouts = calloc(1, sizeof(*ctx->callouts));
	return ctx->callouts;
}

struct run {
	int status; /* exit status, or -1 */
	bool signaled, timed_out;
	char *out, *err;
	size_t out_len, err_len;
};

static void run_clear(struct run *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

/* ---------------------------------------------------------------- running one script */

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The scripts running now, by pid (each leads its own process group), for
 * mdev_callouts_terminate(), which a program calls from its signal handlers: lock-free atomics
 * are all such a handler may touch. A script leaves the table before it is reaped, so that a
 * handler never signals a pid the system may have given to another process. */
#define TRACKED_MAX 16
static atomic_int tracked[TRACKED_MAX];
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the table is read in signal handlers");

static void track(pid_t pid)
{
	for (size_t i = 0; i < TRACKED_MAX; i++) {
		int free_slot = 0;
		if (atomic_compare_exchange_strong(&tracked[i], &free_slot, (int)pid))
			return;
	}
	/* more scripts at once than threads that use libmdev: this one is ended by its timeout only */
}

/* Forget pid (if a signal handler has not taken it already), then wait for it: its status. */
static int reap(pid_t pid)
{
	for (size_t i = 0; i < TRACKED_MAX; i++) {
		int p = (int)pid;
		if (atomic_compare_exchange_strong(&tracked[i], &p, 0))
			break;
	}
	int wstatus = 0;
	pid_t r;
	while ((r = waitpid(pid, &wstatus, 0)) < 0 && errno == EINTR)
		;
	/* reaped already by mdev_callouts_terminate(): it was killed */
	return r == pid ? wstatus : SIGKILL;
}

static int pidfd_open_(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

int mdev_callouts_terminate(unsigned int grace_ms)
{
	int saved_errno = errno, n = 0;
	pid_t pids[TRACKED_MAX];
	for (size_t i = 0; i < TRACKED_MAX; i++) {
		pids[i] = atomic_exchange(&tracked[i], 0);
		if (pids[i] > 0) {
			kill(-pids[i], SIGTERM);
			n++;
		}
	}
	long long deadline = now_ms() + grace_ms;
	for (bool left = n > 0; left;) {
		left = false;
		for (size_t i = 0; i < TRACKED_MAX; i++) {
			if (pids[i] <= 0)
				continue;
			/* the leader is reaped here, or the group would never look empty */
			waitpid(pids[i], NULL, WNOHANG);
			if (kill(-pids[i], 0) < 0 && errno == ESRCH)
				pids[i] = 0;
			else
				left = true;
		}
		if (!left || now_ms() >= deadline)
			break;
		static const struct timespec tick = { 0, 5 * 1000 * 1000 };
		nanosleep(&tick, NULL);
	}
	for (size_t i = 0; i < TRACKED_MAX; i++) {
		if (pids[i] > 0) {
			kill(-pids[i], SIGKILL);
			waitpid(pids[i], NULL, WNOHANG);
		}
	}
	errno = saved_errno;
	return n;
}

static void append(char **buf, size_t *len, const char *data, size_t n)
{
	if (*len >= OUTPUT_MAX)
		return;
	if (n > OUTPUT_MAX - *len)
		n = OUTPUT_MAX - *len;
	char *nb = realloc(*buf, *len + n + 1);
	if (!nb)
		return;
	memcpy(nb + *len, data, n);
	*len += n;
	nb[*len] = '\0';
	*buf = nb;
}

static void spawn_kit_free(struct spawn_kit *k)
{
	if (!k)
		return;
	free(k->root);
	if (k->empty_in >= 0)
		close(k->empty_in);
	posix_spawnattr_destroy(&k->attr);
	for (size_t i = 0; i < ARRAY_SIZE(k->actions); i++)
		if (k->actions[i].made)
			posix_spawn_file_actions_destroy(&k->actions[i].fa);
	free(k);
}

/* The operation's spawn_kit, made at its first script. The child gets a process group of its
 * own and, as Rust's Command gives upstream's scripts, the default SIGPIPE and no blocked
 * signal, whatever the calling program set. 0 or -errno. */
static int spawn_kit_get(struct mdev_ctx *ctx, struct spawn_kit **ret)
{
	struct callout_cache *c = cache(ctx);
	if (!c)
		return -ENOMEM;
	if (c->kit) {
		*ret = c->kit;
		return 0;
	}
	struct spawn_kit *k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->empty_in = -1;
	int r = posix_spawnattr_init(&k->attr);
	if (r) {
		free(k);
		return -r;
	}
	char *abs = NULL;
	r = root_canonical_path(ctx, ".", &abs);
	if (r == 0) {
		k->root = strcmp(abs, "/") ? abs : strdup("");
		if (k->root != abs)
			free(abs);
		if (!k->root)
			r = -ENOMEM;
	}
	int p[2];
	if (r == 0 && pipe2(p, O_CLOEXEC) < 0)
		r = -errno;
	if (r == 0) {
		close(p[1]);
		k->empty_in = p[0];
	}
	sigset_t none, pipe_set;
	sigemptyset(&none);
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	if (r == 0)
		r = -posix_spawnattr_setflags(&k->attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
								POSIX_SPAWN_SETSIGDEF);
	if (r == 0)
		r = -posix_spawnattr_setpgroup(&k->attr, 0);
	if (r == 0)
		r = -posix_spawnattr_setsigmask(&k->attr, &none);
	if (r == 0)
		r = -posix_spawnattr_setsigdefault(&k->attr, &pipe_set);
	if (r < 0) {
		spawn_kit_free(k);
		return r;
	}
	*ret = c->kit = k;
	return 0;
}

/* The pipes as stdin, stdout and stderr, and "/" as the working directory: one of k's sets of
 * file actions, made anew only for fds that neither set has. NULL with *ret_err an errno value. */
static const posix_spawn_file_actions_t *spawn_actions(struct spawn_kit *k, int in, int out,
							int err, int *ret_err)
{
	for (size_t i = 0; i < ARRAY_SIZE(k->actions); i++) {
		struct spawn_actions *a = &k->actions[i];
		if (a->made && a->fds[0] == in && a->fds[1] == out && a->fds[2] == err)
			return &a->fa;
	}
	struct spawn_actions *a = &k->actions[k->next];
	k->next = (k->next + 1) % ARRAY_SIZE(k->actions);
	if (a->made)
		posix_spawn_file_actions_destroy(&a->fa);
	a->made = false;
	int r = posix_spawn_file_actions_init(&a->fa);
	if (r) {
		*ret_err = r;
		return NULL;
	}
	/* a pipe that landed on 0, 1 or 2 (the caller had them closed) loses FD_CLOEXEC too */
	if (!(r = posix_spawn_file_actions_adddup2(&a->fa, in, 0)) &&
	    !(r = posix_spawn_file_actions_adddup2(&a->fa, out, 1)) &&
	    !(r = posix_spawn_file_actions_adddup2(&a->fa, err, 2)) &&
	    !(r = posix_spawn_file_actions_addchdir_np(&a->fa, "/"))) {
		a->made = true;
		a->fds[0] = in, a->fds[1] = out, a->fds[2] = err;
		return &a->fa;
	}
	posix_spawn_file_actions_destroy(&a->fa);
	*ret_err = r;
	return NULL;
}

/* Start the script with posix_spawn(), which glibc runs as a vfork: no copy of the calling
 * program's page tables for each script, and an exec failure comes back as its return value.
 * 0 or an errno value. */
static int spawn(struct spawn_kit *k, const char *path, char *const argv[], int in, int out,
		 int err, pid_t *ret_pid)
{
	int r = 0;
	const posix_spawn_file_actions_t *fa = spawn_actions(k, in, out, err, &r);
	return fa ? posix_spawn(ret_pid, path, fa, &k->attr, argv, environ) : r;
}

/* write() to the script's stdin without letting SIGPIPE kill the calling program when the
 * script exits without reading it all: the library cannot assume its caller ignores SIGPIPE,
 * as mdevctl does. The signal is blocked in this thread for the write, and one it raised is
 * taken back before the old mask returns. */
static ssize_t write_nosigpipe(int fd, const void *buf, size_t n)
{
	sigset_t pipe_set, old, pending;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	bool was_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	ssize_t w = write(fd, buf, n);
	int e = errno;
	/* the kernel raises it also when part of the buffer went through before the reader left */
	sigpending(&pending);
	if (!was_pending && sigismember(&pending, SIGPIPE)) {
		static const struct timespec now = { 0, 0 };
		while (sigtimedwait(&pipe_set, NULL, &now) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return w;
}

/* Run a script with upstream's arguments; returns -errno when it could not be started. */
static int run_script(struct mdev_ctx *ctx, const char *rel, const struct mdev_device *dev,
		      enum event ev, enum callout_action act, enum state st, const char *input,
		      struct run *res)
{
	memset(res, 0, sizeof(*res));
	struct spawn_kit *kit = NULL;
	int kr = spawn_kit_get(ctx, &kit);
	if (kr < 0)
		return kr;
	/* argv[0] is the path as upstream joins it; the program runs from an absolute path, since
	 * the working directory becomes "/" and an interpreter opens the script by name */
	_cleanup_free_ char *path = root_path(ctx, rel);
	_cleanup_free_ char *exe_path = xasprintf("%s/%s", kit->root, rel);
	if (!path || !exe_path)
		return -ENOMEM;
	char *argv[] = { path, "-t", dev->type, "-e", (char *)event_names[ev], "-a",
			 (char *)action_names[act], "-s", (char *)state_names[st], "-u",
			 (char *)dev->uuid, "-p", dev->parent, NULL };
	/* without input the script's stdin is the kit's empty pipe */
	const char *feed = input ? input : "";
	size_t left = strlen(feed);
	int in[2] = { kit->empty_in, -1 }, out[2], err[2];
	if (left && pipe2(in, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(out, O_CLOEXEC) < 0) {
		if (left)
			close(in[0]), close(in[1]);
		return -errno;
	}
	if (pipe2(err, O_CLOEXEC) < 0) {
		if (left)
			close(in[0]), close(in[1]);
		close(out[0]), close(out[1]);
		return -errno;
	}
	log_debug(ctx, "%s-%s: executing \"%s\"", event_names[ev], action_names[act], path);
	/* the script is tracked for mdev_callouts_terminate() from the moment it exists: the
	 * signals a tool would end it on wait until then */
	sigset_t ends, old;
	sigemptyset(&ends);
	sigaddset(&ends, SIGINT);
	sigaddset(&ends, SIGTERM);
	sigaddset(&ends, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &ends, &old);
	pid_t pid = -1;
	int spawn_err = spawn(kit, exe_path, argv, in[0], out[1], err[1], &pid);
	if (!spawn_err)
		track(pid);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (left)
		close(in[0]);
	close(out[1]);
	close(err[1]);
	if (spawn_err) {
		if (left)
			close(in[1]);
		close(out[0]), close(err[0]);
		return -spawn_err;
	}
	/* a script that writes before it reads must not find us blocked in a write to it */
	if (left)
		fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
	/* the script's exit is seen at once through a pidfd in the same poll as its pipes; without
	 * one (Linux before 5.3) the loop looks every few ms, backing off to 50 */
	_cleanup_close_ int pidfd = pidfd_open_(pid);
	int slice = 1;
	/* feed stdin and drain stdout/stderr together, so no pipe can fill up and block */
	int fds[3] = { left ? in[1] : -1, out[0], err[0] };
	long long deadline = ctx->callout_timeout_ms ? now_ms() + ctx->callout_timeout_ms : 0;
	int wstatus = 0;
	bool exited = false;
	for (;;) {
		int timeout = -1;
		bool just_exited = false;
		if (!exited && pidfd < 0) {
			siginfo_t si = { 0 };
			if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid) {
				wstatus = reap(pid);
				exited = just_exited = true;
			} else {
				timeout = slice;
				slice = slice < 25 ? 2 * slice : 50;
			}
		}
		if (!exited && deadline) {
			long long rem = deadline - now_ms();
			if (rem <= 0) {
				kill(-pid, SIGKILL);
				kill(pid, SIGKILL);
				wstatus = reap(pid);
				exited = true;
				res->timed_out = true;
			} else if (timeout < 0 || rem < timeout) {
				timeout = (int)rem;
			}
		}
		struct pollfd p[4];
		int np = 0;
		for (int i = 0; i < 3; i++)
			if (fds[i] >= 0)
				p[np++] = (struct pollfd){ .fd = fds[i], .events = i ? POLLIN : POLLOUT };
		if (exited && np == 0)
			break;
		if (!exited && pidfd >= 0)
			p[np++] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
		/* once the script is gone, take what is in the pipes and stop: a process it left
		 * behind may hold them open forever */
		int rc = poll(p, (nfds_t)np, exited ? 0 : timeout);
		if (rc < 0 && errno != EINTR)
			break;
		bool any = false;
		for (int k = 0; rc > 0 && k < np; k++) {
			if (!p[k].revents)
				continue;
			if (p[k].fd == pidfd) {
				wstatus = reap(pid);
				exited = just_exited = true;
				continue;
			}
			any = true;
			if (p[k].fd == fds[0]) {
				ssize_t w = write_nosigpipe(fds[0], feed, left);
				if (w > 0) {
					feed += w;
					left -= (size_t)w;
				}
				if (w < 0 && (errno == EAGAIN || errno == EINTR))
					continue; /* the pipe is full: drain the outputs first */
				if (w < 0 || left == 0) {
					/* EPIPE: the script did not read it all, which is fine (C-57) */
					close(fds[0]);
					fds[0] = -1;
				}
				continue;
			}
			char buf[65536];
			ssize_t r = read(p[k].fd, buf, sizeof(buf));
			if (r <= 0) {
				if (r < 0 && errno == EINTR)
					continue;
				close(p[k].fd);
				if (p[k].fd == fds[1])
					fds[1] = -1;
				else
					fds[2] = -1;
				continue;
			}
			if (p[k].fd == fds[1])
				append(&res->out, &res->out_len, buf, (size_t)r);
			else
				append(&res->err, &res->err_len, buf, (size_t)r);
		}
		/* the round that saw the exit goes on once more, to read what the script wrote last */
		if (exited && !any && !just_exited)
			break;
	}
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (!exited)
		wstatus = reap(pid);
	if (res->timed_out || WIFSIGNALED(wstatus)) {
		res->signaled = true;
		res->status = -1;
	} else {
		res->status = WEXITSTATUS(wstatus);
	}
	return 0;
}

/* Upstream relays a script's stderr as "<file name>: <stderr>", once, verbatim (C-60). */
static void relay_stderr(struct mdev_ctx *ctx, const char *rel, const struct run *r)
{
	if (!r->err_len)
		return;
	const char *name = strrchr(rel, '/');
	name = name ? name + 1 : rel;
	_cleanup_free_ char *msg = NULL;
	size_t len = strlen(name) + 2 + r->err_len;
	msg = malloc(len + 1);
	if (!msg)
		return;
	memcpy(msg, name, strlen(name));
	memcpy(msg + strlen(name), ": ", 2);
	memcpy(msg + strlen(name) + 2, r->err, r->err_len);
	lib_output(ctx, msg, len);
}

static int failure(struct mdev_ctx *ctx, const char *rel, const struct run *r)
{
	_cleanup_free_ char *p = root_path_debug(ctx, rel);
	if (r->timed_out)
		return lib_error(ctx, ETIMEDOUT, "Script '%s' timed out after %u s and was killed",
				 p ? p : rel, ctx->callout_timeout_ms / 1000);
	if (r->signaled)
		return lib_error(ctx, EIO, "Script '%s' failed with status 'unknown'", p ? p : rel);
	return lib_error(ctx, EIO, "Script '%s' failed with status '%d'", p ? p : rel, r->status);
}

/* Executable entries of a directory, sorted by name (C-58, C-59); *n = 0 if it is missing. */
static char **list_scripts(struct mdev_ctx *ctx, const char *dir, size_t *n)
{
	char **names = NULL;
	*n = 0;
	if (root_list_dir(ctx, dir, &names, NULL, n) < 0)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		char *rel = xasprintf("%s/%s", dir, names[i]);
		free(names[i]);
		struct stat st;
		if (rel && root_stat(ctx, rel, true, &st) == 0 && S_ISREG(st.st_mode) &&
		    faccessat(ctx->root_fd, rel, X_OK, 0) == 0)
			names[k++] = rel;
		else
			free(rel);
	}
	*n = k;
	return names;
}

/* The same, listed once per operation (each public call drops the cache first): scripts do not
 * come and go during one command, and list asks for every device. The array belongs to the
 * cache. */
static char *const *scripts_in(struct mdev_ctx *ctx, const char *dir, size_t *n)
{
	static const char *const *all[] = { callout_dirs, notifier_dirs };
	struct callout_cache *c = cache(ctx);
	size_t slot = 0, k = 0;
	for (size_t a = 0; a < 2; a++)
		for (size_t i = 0; i < 2; i++, k++)
			if (all[a][i] == dir)
				slot = k;
	if (!c) {
		*n = 0;
		return NULL;
	}
	if (!c->listed[slot]) {
		c->dirs[slot] = list_scripts(ctx, dir, &c->n_dir[slot]);
		c->listed[slot] = true;
	}
	*n = c->n_dir[slot];
	return c->dirs[slot];
}

/* ---------------------------------------------------------------- the version handshake */

static int parse_names(struct json_object *arr, const char *const *names, size_t count,
		       unsigned int *mask, bool *unknown)
{
	if (!json_object_is_type(arr, json_type_array))
		return -EINVAL;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(e, json_type_string))
			return -EINVAL;
		size_t j = 0;
		while (j < count && strcmp(names[j], json_object_get_string(e)))
			j++;
		if (j < count)
			*mask |= 1u << j;
		else
			*unknown = true;
	}
	return 0;
}

/* {"supports":{"version":N,"actions":[...],"events":[...]}} with trailing NULs allowed. */
static bool parse_supports(struct mdev_ctx *ctx, const struct run *r, struct script *s,
			   bool *unknown_action, bool *unknown_event)
{
	if (!r->out)
		return false;
	_cleanup_free_ char *text = strndup(r->out, r->out_len);
	if (!text)
		return false;
	size_t len = strlen(text); /* stops at the first NUL: trailing NULs are dropped */
	if (len != r->out_len) {
		for (size_t i = len; i < r->out_len; i++)
			if (r->out[i] != '\0')
				return false;
	}
	_cleanup_json_ struct json_object *o = NULL;
	if (json_parse_text(ctx, text, len, &o) < 0) {
		lib_error_clear(ctx);
		return false;
	}
	struct json_object *sup, *ver, *acts, *evs;
	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, "supports", &sup) ||
	    !json_object_is_type(sup, json_type_object) ||
	    !json_object_object_get_ex(sup, "version", &ver) || !json_object_is_type(ver, json_type_int) ||
	    json_object_get_int64(ver) < 0 || json_object_get_int64(ver) > 4294967295LL ||
	    !json_object_object_get_ex(sup, "actions", &acts) ||
	    !json_object_object_get_ex(sup, "events", &evs))
		return false;
	s->actions = s->events = 0;
	*unknown_action = *unknown_event = false;
	return parse_names(acts, action_names, ARRAY_SIZE(action_names), &s->actions, unknown_action) == 0 &&
	       parse_names(evs, event_names, ARRAY_SIZE(event_names), &s->events, unknown_event) == 0;
}

static const char PROVIDES[] =
	"{\"provides\":{\"version\":2,\"actions\":[\"start\",\"stop\",\"define\",\"undefine\",\"modify\","
	"\"attributes\",\"capabilities\"],\"events\":[\"pre\",\"post\",\"notify\",\"get\",\"live\"]}}";

static size_t key_hash(const char *parent, const char *type)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a over "parent\0type" */
	for (const char *p = parent;; p++) {
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		if (!*p)
			break;
	}
	for (const char *p = type; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (size_t)h;
}

static struct cache_entry *cache_find(const struct callout_cache *c, const char *parent,
				      const char *type)
{
	if (!c->n_slots)
		return NULL;
	for (size_t i = key_hash(parent, type) & (c->n_slots - 1);; i = (i + 1) & (c->n_slots - 1)) {
		if (!c->slots[i])
			return NULL;
		struct cache_entry *e = &c->v[c->slots[i] - 1];
		if (!strcmp(e->parent, parent) && !strcmp(e->type, type))
			return e;
	}
}

static void slot_put(size_t *slots, size_t n_slots, const struct cache_entry *v, size_t k)
{
	size_t i = key_hash(v[k].parent, v[k].type) & (n_slots - 1);
	while (slots[i])
		i = (i + 1) & (n_slots - 1);
	slots[i] = k + 1;
}

/* Index the last entry of v; the table stays at most half full (when it grows, every entry
 * goes into the new one). */
static int cache_index_last(struct callout_cache *c)
{
	if (2 * c->n <= c->n_slots) {
		slot_put(c->slots, c->n_slots, c->v, c->n - 1);
		return 0;
	}
	size_t n_slots = c->n_slots ? 2 * c->n_slots : 64;
	size_t *slots = calloc(n_slots, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t k = 0; k < c->n; k++)
		slot_put(slots, n_slots, c->v, k);
	free(c->slots);
	c->slots = slots;
	c->n_slots = n_slots;
	return 0;
}

/* C-58: the device's versioned script, probed once per parent and type. */
static const struct script *versioned_script(struct mdev_ctx *ctx, const struct mdev_device *dev)
{
	struct callout_cache *c = cache(ctx);
	if (!c)
		return NULL;
	const struct cache_entry *hit = cache_find(c, dev->parent, dev->type);
	if (hit)
		return hit->script.rel ? &hit->script : NULL;
	struct cache_entry e = { strdup(dev->parent), strdup(dev->type), { NULL, 0, 0 } };
	for (size_t d = 0; d < ARRAY_SIZE(callout_dirs) && !e.script.rel; d++) {
		size_t n;
		char *const *rels = scripts_in(ctx, callout_dirs[d], &n);
		for (size_t i = 0; i < n && !e.script.rel; i++) {
			struct run r;
			if (run_script(ctx, rels[i], dev, EV_GET, ACTION_CAPABILITIES, ST_NONE, PROVIDES, &r) < 0)
				continue;
			bool ua, ue;
			_cleanup_free_ char *p = root_path_debug(ctx, rels[i]);
			if (r.signaled) {
				lib_log(ctx, MDEV_LOG_WARN, "mdevctl::callouts",
					"callout script %s was terminated by a signal", p ? p : rels[i]);
			} else if (r.status != 2 && parse_supports(ctx, &r, &e.script, &ua, &ue)) {
				relay_stderr(ctx, rels[i], &r);
				if (ua)
					lib_log(ctx, MDEV_LOG_WARN, "mdevctl::callouts",
						"Callout script %s provides unknown Action type", p ? p : rels[i]);
				if (ue)
					lib_log(ctx, MDEV_LOG_WARN, "mdevctl::callouts",
						"Callout script %s provides unknown Event type", p ? p : rels[i]);
				e.script.rel = strdup(rels[i]);
			}
			run_clear(&r);
		}
	}
	struct cache_entry *v = realloc(c->v, (c->n + 1) * sizeof(*v));
	if (!v || !e.parent || !e.type) {
		free(e.parent);
		free(e.type);
		free(e.script.rel);
		return NULL;
	}
	c->v = v;
	v[c->n++] = e;
	/* out of memory for the index: the entry is probed again next time, which is only slower */
	(void)cache_index_last(c);
	return e.script.rel ? &v[c->n - 1].script : NULL;
}

void callout_cache_free(struct mdev_ctx *ctx)
{
	struct callout_cache *c = ctx->callouts;
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].parent);
		free(c->v[i].type);
		free(c->v[i].script.rel);
	}
	free(c->v);
	free(c->slots);
	for (size_t i = 0; i < ARRAY_SIZE(c->dirs); i++)
		strv_free(c->dirs[i], c->n_dir[i]);
	spawn_kit_free(c->kit);
	free(c);
	ctx->callouts = NULL;
}

/* ---------------------------------------------------------------- one event */

struct session {
	struct script script; /* the script this operation uses (rel NULL: search) */
	bool owned;           /* rel was found by the legacy search and is ours to free */
	enum state state;
};

static void session_clear(struct session *s)
{
	if (s->owned)
		free(s->script.rel);
}

static int check_supports(struct mdev_ctx *ctx, const struct script *s, enum event ev,
			  enum callout_action act)
{
	_cleanup_free_ char *p = root_path_debug(ctx, s->rel);
	if (!(s->actions & (1u << act)))
		return lib_error(ctx, ENOTSUP, "Script %s does not support action '%s'", p ? p : s->rel,
				 action_titles[act]);
	if (!(s->events & (1u << ev)))
		return lib_error(ctx, ENOTSUP, "Script %s does not support event '%s'", p ? p : s->rel,
				 event_titles[ev]);
	return 0;
}

/* C-59/C-60: run the event with the session's script, or find the first script claiming the
 * device. 1 with *out filled when a script ran (and succeeded), 0 when none claimed it. */
static int callout_event(struct mdev_ctx *ctx, struct session *s, struct mdev_device *dev,
			 enum event ev, enum callout_action act, const char *input, struct run *out)
{
	memset(out, 0, sizeof(*out));
	if (s->script.rel) {
		int r = check_supports(ctx, &s->script, ev, act);
		if (r < 0)
			return r;
		r = run_script(ctx, s->script.rel, dev, ev, act, s->state, input, out);
		if (r < 0) {
			char buf[256];
			return lib_error(ctx, -r, "%s", os_error_text(-r, buf, sizeof(buf)));
		}
		relay_stderr(ctx, s->script.rel, out);
		/* a versioned script killed by a signal counts as success upstream (C-81) */
		if (out->timed_out || (!out->signaled && out->status != 0)) {
			r = failure(ctx, s->script.rel, out);
			run_clear(out);
			return r;
		}
		return 1;
	}
	for (size_t d = 0; d < ARRAY_SIZE(callout_dirs); d++) {
		size_t n;
		char *const *rels = scripts_in(ctx, callout_dirs[d], &n);
		for (size_t i = 0; i < n; i++) {
			if (run_script(ctx, rels[i], dev, ev, act, s->state, input, out) < 0)
				continue;
			if (out->signaled && !out->timed_out) {
				_cleanup_free_ char *p = root_path_debug(ctx, rels[i]);
				lib_log(ctx, MDEV_LOG_WARN, "mdevctl::callouts",
					"callout script %s was terminated by a signal", p ? p : rels[i]);
				run_clear(out);
				continue;
			}
			if (out->status == 2 && !out->timed_out) {
				run_clear(out);
				continue; /* not this script's device */
			}
			relay_stderr(ctx, rels[i], out);
			int r = 1;
			if (out->status == 0 && !out->timed_out) {
				/* the claimer serves the rest of this operation (version 1 abilities) */
				s->script = (struct script){ strdup(rels[i]), ACTIONS_V1, EVENTS_V1 };
				s->owned = true;
			} else {
				r = failure(ctx, rels[i], out);
				run_clear(out);
			}
			return r;
		}
	}
	return 0;
}

static void notify_now(struct mdev_ctx *ctx, struct mdev_device *dev, enum callout_action act,
		       enum state st)
{
	for (size_t d = 0; d < ARRAY_SIZE(notifier_dirs); d++) {
		size_t n;
		/* sorted by name, where upstream follows the directory's order (C-85) */
		char *const *rels = scripts_in(ctx, notifier_dirs[d], &n);
		for (size_t i = 0; i < n; i++) {
			struct run r;
			if (run_script(ctx, rels[i], dev, EV_NOTIFY, act, st, NULL, &r) < 0)
				continue;
			/* upstream ignores a notifier's status (C-64) and has no timeout: one we killed
			 * is said, since what it was to do is left undone */
			if (r.timed_out) {
				_cleanup_free_ char *p = root_path_debug(ctx, rels[i]);
				lib_log(ctx, MDEV_LOG_WARN, "mdevctl::callouts",
					"Notifier script %s timed out after %u s and was killed", p ? p : rels[i],
					ctx->callout_timeout_ms / 1000);
			}
			run_clear(&r);
		}
	}
}

/* A notifier event waiting for the writer lock's release. */
struct pending_notify {
	struct mdev_device dev;
	enum callout_action act;
	enum state st;
};

static void notify(struct mdev_ctx *ctx, const struct session *s, struct mdev_device *dev,
		   enum callout_action act)
{
	if (ctx->lock_depth == 0) {
		notify_now(ctx, dev, act, s->state);
		return;
	}
	struct pending_notify *v = realloc(ctx->notifies, (ctx->n_notifies + 1) * sizeof(*v));
	if (!v)
		return; /* out of memory: this event is not told, as a failed notifier is not */
	ctx->notifies = v;
	struct pending_notify *e = &v[ctx->n_notifies];
	*e = (struct pending_notify){ .act = act, .st = s->state };
	if (device_copy(&e->dev, dev) < 0) {
		mdev_device_clear(&e->dev);
		return;
	}
	ctx->n_notifies++;
}

void callout_notifiers_drop(struct mdev_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_notifies; i++)
		mdev_device_clear(&ctx->notifies[i].dev);
	free(ctx->notifies);
	ctx->notifies = NULL;
	ctx->n_notifies = 0;
}

void callout_run_notifiers(struct mdev_ctx *ctx)
{
	if (!ctx->n_notifies)
		return;
	/* taken off the context first: a notifier run from here queues nothing (no lock is held),
	 * and the operation's error stays what the caller sees */
	struct pending_notify *v = TAKE_PTR(ctx->notifies);
	size_t n = ctx->n_notifies;
	ctx->n_notifies = 0;
	struct saved_error e = lib_error_save(ctx);
	for (size_t i = 0; i < n; i++) {
		notify_now(ctx, &v[i].dev, v[i].act, v[i].st);
		mdev_device_clear(&v[i].dev);
	}
	lib_error_restore(ctx, &e);
	free(v);
}

static struct session start_session(struct mdev_ctx *ctx, const struct mdev_device *dev)
{
	struct session s = { { NULL, 0, 0 }, false, ST_NONE };
	const struct script *v = versioned_script(ctx, dev);
	if (v)
		s.script = *v;
	lib_error_clear(ctx);
	return s;
}

/* ---------------------------------------------------------------- the seam */

int callout_invoke(struct mdev_ctx *ctx, enum callout_action action, struct mdev_device *dev,
		   bool force, callout_op_fn op, void *data)
{
	if (ctx_check_not_worker(ctx, "a callout script") < 0)
		return -EPERM;
	if (!dev->type || !dev->parent)
		return lib_error(ctx, EINVAL, "Device must have a defined mdev_type");
	_cleanup_free_ char *payload = mdev_config_format(dev, false);
	if (!payload)
		return lib_error(ctx, ENOMEM, "out of memory");
	struct session s = start_session(ctx, dev);
	struct run out;
	int r = callout_event(ctx, &s, dev, EV_PRE, action, payload, &out);
	if (r > 0)
		run_clear(&out);
	if (r < 0 && force) {
		lib_log(ctx, MDEV_LOG_WARN, "mdevctl::callouts",
			"Forcing operation '%s' despite callout failure. Error was: %s",
			action_names[action], mdev_ctx_error_message(ctx));
		lib_error_clear(ctx);
		r = 0;
	}
	if (r >= 0) {
		r = op(ctx, dev, data);
		s.state = r < 0 ? ST_FAILURE : ST_SUCCESS;
		/* keep the operation's error across the post event, whose failure is only logged */
		struct saved_error e = lib_error_save(ctx);
		if (callout_event(ctx, &s, dev, EV_POST, action, payload, &out) > 0)
			run_clear(&out);
		else
			log_debug(ctx, "Error occurred when executing post callout script");
		lib_error_restore(ctx, &e);
	}
	struct saved_error e = lib_error_save(ctx);
	notify(ctx, &s, dev, action);
	lib_error_restore(ctx, &e);
	session_clear(&s);
	return r < 0 ? r : 0;
}

int callout_get_attributes(struct mdev_ctx *ctx, struct mdev_device *dev)
{
	if (ctx_check_not_worker(ctx, "a callout script") < 0)
		return -EPERM;
	if (!dev->type || !dev->parent)
		return lib_error(ctx, EINVAL, "Device must have a defined mdev_type");
	struct session s = start_session(ctx, dev);
	struct run out;
	int r = callout_event(ctx, &s, dev, EV_GET, ACTION_ATTRIBUTES, NULL, &out);
	if (r <= 0) {
		session_clear(&s);
		return r;
	}
	if (out.signaled) {
		/* killed: upstream relays its stderr a second time, then fails (C-62) */
		relay_stderr(ctx, s.script.rel, &out);
		r = failure(ctx, s.script.rel, &out);
		run_clear(&out);
		session_clear(&s);
		return r;
	}
	session_clear(&s);
	/* lossy UTF-8 does not matter here: invalid bytes fail the parse either way */
	if (!out.out_len) {
		run_clear(&out);
		return 0;
	}
	if (out.out_len == 4 && !memcmp(out.out, "[{}]", 4)) {
		run_clear(&out);
		return 0;
	}
	size_t len = strnlen(out.out, out.out_len);
	for (size_t i = len; i < out.out_len; i++) {
		if (out.out[i]) {
			len = out.out_len; /* a NUL inside: let the parser say so */
			break;
		}
	}
	_cleanup_json_ struct json_object *o = NULL;
	r = json_parse_text(ctx, out.out, len, &o);
	run_clear(&out);
	if (r < 0)
		return lib_error_wrap(ctx, -r, "Invalid JSON received from callout script");
	return device_set_attrs_json(ctx, dev, o);
}

int callout_live(struct mdev_ctx *ctx, struct mdev_device *dev)
{
	if (ctx_check_not_worker(ctx, "a callout script") < 0)
		return -EPERM;
	struct session s = start_session(ctx, dev);
	if (!s.script.rel)
		return lib_error(ctx, ENOTSUP,
				 "No callout script with version support found that supports live modify");
	struct mdev_device now = { 0 };
	memcpy(now.uuid, dev->uuid, sizeof(now.uuid));
	int r = sysfs_load_device(ctx, &now);
	bool active = r == 0 && now.active;
	bool same_parent = active && !strcmp(now.parent, dev->parent);
	bool same_type = active && !strcmp(now.type, dev->type);
	mdev_device_clear(&now);
	lib_error_clear(ctx);
	if (!active)
		return 0;
	if (!same_parent)
		return lib_error(ctx, EINVAL, "Device exists under different parent - cannot run live update");
	if (!same_type)
		return lib_error(ctx, EINVAL, "Device exists with different type - cannot run live update");
	r = check_supports(ctx, &s.script, EV_LIVE, ACTION_MODIFY);
	if (r < 0)
		return r;
	_cleanup_free_ char *payload = mdev_config_format(dev, false);
	if (!payload)
		return lib_error(ctx, ENOMEM, "out of memory");
	struct run out;
	r = callout_event(ctx, &s, dev, EV_LIVE, ACTION_MODIFY, payload, &out);
	if (r > 0)
		run_clear(&out);
	struct saved_error e = lib_error_save(ctx);
	notify(ctx, &s, dev, ACTION_MODIFY);
	lib_error_restore(ctx, &e);
	return r < 0 ? r : 0;
}
