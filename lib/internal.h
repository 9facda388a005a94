/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal helpers shared by libmdev's files: errors, logging, cleanup attributes, root-relative
 * file access, JSON. Nothing here is public. */
#ifndef MDEV_INTERNAL_H
#define MDEV_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <json-c/json.h>
#include <mdev/mdev.h>

/* ---- cleanup attributes (systemd style) */
static inline void freep(void *p)
{
	free(*(void **)p);
}
static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
static inline void json_putp(struct json_object **o)
{
	if (*o)
		json_object_put(*o);
}
#define _cleanup_free_ __attribute__((cleanup(freep)))
#define _cleanup_close_ __attribute__((cleanup(closep)))
#define _cleanup_json_ __attribute__((cleanup(json_putp)))
#define _cleanup_device_ __attribute__((cleanup(mdev_device_clear)))
#define _cleanup_list_ __attribute__((cleanup(mdev_device_list_clear)))
#define _printf_(a, b) __attribute__((format(printf, a, b)))

static inline void *take_ptr_(void **p)
{
	void *v = *p;
	*p = NULL;
	return v;
}
#define TAKE_PTR(p) take_ptr_((void **)&(p))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the context */
struct mdev_ctx {
	char *root;  /* as given */
	int root_fd;
	mdev_log_fn log_fn;
	void *log_data;
	enum mdev_log_level log_level;
	mdev_output_fn output_fn;
	void *output_data;
	unsigned int callout_timeout_ms;
	/* last error */
	char *err_msg;
	char **err_causes;
	size_t n_err_causes;
	/* caches */
	struct callout_cache *callouts;
	/* the root's writer lock (lock.c): held while lock_depth > 0 */
	int lock_fd;
	unsigned lock_depth;
	/* threads for listings (parallel.c): 0 decide per listing, 1 never a helper, 2 always
	 * one (MDEVKIT_THREADS, for tests that compare both ways) */
	unsigned threads;
	/* a worker's view of a caller's context (ctx_init_worker) */
	bool worker;
};

/* The start of every call that may run callouts (define, undefine, modify, start, stop,
 * autostart, the listing of running devices): scripts and their answers are read afresh, since
 * a long-lived program may outlast an installed or removed script. */
void op_begin(struct mdev_ctx *ctx);
/* A context for a helper thread of a listing (parallel.c): caller's root, log level and callout
 * timeout, its own error, log lines to log_fn (which keeps them for the caller to replay), one
 * thread, no lock and no output. Only its error needs lib_error_clear(). */
void ctx_init_worker(struct mdev_ctx *w, const struct mdev_ctx *caller, mdev_log_fn log_fn,
		     void *log_data);
/* 0 on the caller's thread; on a worker, -EPERM with an error naming what: callouts and raw
 * output must run on the calling thread, where the caller's output function and the order of
 * what scripts print are. */
int ctx_check_not_worker(struct mdev_ctx *ctx, const char *what);

/* Set the error (discarding the previous one) and return -err. */
int lib_error(struct mdev_ctx *ctx, int err, const char *fmt, ...) _printf_(3, 4);
/* Set the error with one cause "<strerror> (os error N)", as upstream's io errors read. */
int lib_error_os(struct mdev_ctx *ctx, int err, const char *fmt, ...) _printf_(3, 4);
/* The bare OS error as the message (upstream's `?` on an io::Error). */
int lib_error_bare_os(struct mdev_ctx *ctx, int err);
/* Wrap the current error: it becomes the first cause, fmt the message. Returns -err. */
int lib_error_wrap(struct mdev_ctx *ctx, int err, const char *fmt, ...) _printf_(3, 4);
void lib_error_clear(struct mdev_ctx *ctx);
/* Set the current error aside while other work runs (which may fail on its own), then put it
 * back, discarding whatever that work left. */
struct saved_error {
	char *msg;
	char **causes;
	size_t n_causes;
};
struct saved_error lib_error_save(struct mdev_ctx *ctx);
void lib_error_restore(struct mdev_ctx *ctx, struct saved_error *saved);
/* "<strerror> (os error N)" into buf. */
const char *os_error_text(int err, char *buf, size_t sz);

/* Raw bytes for the tool's stderr (relayed callout output). */
void lib_output(struct mdev_ctx *ctx, const char *bytes, size_t n);
void lib_log(struct mdev_ctx *ctx, enum mdev_log_level level, const char *module,
	     const char *fmt, ...) _printf_(4, 5);
#define log_warn(ctx, ...) lib_log(ctx, MDEV_LOG_WARN, "mdevctl", __VA_ARGS__)
#define log_debug(ctx, ...) lib_log(ctx, MDEV_LOG_DEBUG, "mdevctl", __VA_ARGS__)

/* ---- strings */
/* A hex digit's value, -1 for any other byte. A table, not comparisons: listings decode
 * thousands of random UUIDs, whose digits defeat branch prediction. */
extern const unsigned char hex_value_plus_one[256];
static inline int hexval(unsigned char c)
{
	return hex_value_plus_one[c] - 1;
}
char *xasprintf(const char *fmt, ...) _printf_(1, 2);
/* Rust's {:?} of a path: double quotes, with \" \\ and control characters escaped. */
char *path_debug(const char *path);
/* The root joined with rel, as upstream prints paths ("/x" + "etc/..." = "/x/etc/..."). */
char *root_path(const struct mdev_ctx *ctx, const char *rel);
char *root_path_debug(const struct mdev_ctx *ctx, const char *rel);
bool is_safe_name(const char *name);

/* ---- files under the root (fsutil.c); rel never starts with '/' */
int root_stat(struct mdev_ctx *ctx, const char *rel, bool follow, struct stat *st);
bool root_exists(struct mdev_ctx *ctx, const char *rel);
bool root_is_dir(struct mdev_ctx *ctx, const char *rel);
/* Read a whole file (NUL-terminated); returns length or -errno. */
ssize_t root_read_file(struct mdev_ctx *ctx, const char *rel, char **ret);
ssize_t fd_read_all(int fd, char **ret);
/* The same for a regular or sysfs file, where a short read is the end. */
ssize_t fd_read_file(int fd, char **ret);
/* No file we parse may be larger (configs, --jsonfile, sysfs attributes): -EFBIG. Exact: a
 * file of FILE_MAX bytes is read; no config longer than that is ever written. */
#define FILE_MAX (1 << 20)
#define JSONFILE_MAX FILE_MAX
/* Open-for-write with truncate and write bytes (sysfs style, C-19). */
int root_write_file(struct mdev_ctx *ctx, const char *rel, const char *data, size_t len);
/* The fully resolved absolute path (upstream's canonicalize). */
int root_canonical_path(struct mdev_ctx *ctx, const char *rel, char **ret);
/* Basename of the fully resolved path (upstream's canonicalize + file_name). */
int root_canonical_basename(struct mdev_ctx *ctx, const char *rel, char **ret);
/* mkdir -p */
int root_mkdir_p(struct mdev_ctx *ctx, const char *rel, mode_t mode);
/* Write dir/name atomically: a temp file TMP_PREFIX<name> (the caller holds the root's lock),
 * created exclusively in tmp_dir if it is on dir's file system (else, or when tmp_dir is
 * NULL, in dir), given the replaced file's mode and owner, fsync, rename, fsync dir. */
int root_write_atomic(struct mdev_ctx *ctx, const char *tmp_dir, const char *dir,
		      const char *name, const char *data, size_t len);
/* fsync a directory of the root ("": the root itself), best effort: a durability step whose
 * failure does not undo what was already done */
void root_sync_dir(struct mdev_ctx *ctx, const char *rel);
/* Names of a directory's entries, sorted bytewise; d_type in types if not NULL. */
int root_list_dir(struct mdev_ctx *ctx, const char *rel, char ***ret_names,
		  unsigned char **ret_types, size_t *ret_n);
void strv_free(char **v, size_t n);
/* One directory of the root, listed by dir_listing_read() (or, with set, loaded as a UUID set
 * by its caller): rel is freed by dir_listing_clear(). */
struct dir_listing {
	char *rel;
	struct uuid_set *set;
	char **names;
	unsigned char *types;
	size_t n;
	int err; /* root_list_dir's -errno; n is 0 then */
};
void dir_listing_read(struct mdev_ctx *ctx, struct dir_listing *l);
void dir_listing_clear(struct dir_listing *l);
/* s is a UUID in canonical form (lowercase, hyphenated); its 16 bytes go to b (uuid.c) */
bool uuid_canonical_bytes(const char *s, unsigned char b[16]);
/* The UUID-named entries of one directory (canonical form only, 16 bytes each), read with one
 * listing, to answer "is there an entry named X?" without a failing lookup per device
 * (thousands of stopped devices). A set that could not be read answers "maybe", so callers fall
 * back to looking the name up. */
struct uuid_set {
	unsigned char (*ids)[16];
	size_t n;
	bool valid;
};
void uuid_set_load(struct mdev_ctx *ctx, const char *rel, struct uuid_set *set);
/* uuid: canonical form; false only when the directory certainly has no such entry */
bool uuid_set_may_contain(const struct uuid_set *set, const char *uuid);
void uuid_set_clear(struct uuid_set *set);
#define _cleanup_uuid_set_ __attribute__((cleanup(uuid_set_clear)))

/* ---- sorting (sort.c) */
/* An entry to sort: its leading bytes as a big-endian number, so that numeric order is byte
 * order, and what it stands for. */
struct sort_ent {
	uint64_t key;
	void *p;
};
/* Orders two entries' p whose keys are equal. */
typedef int (*sort_tie_fn)(const void *a, const void *b);
/* The key of the first min(len, 8) bytes of s, and of a string's first 8 bytes (zero-padded). */
uint64_t sort_key_bytes(const unsigned char *s, size_t len);
uint64_t sort_key_string(const char *s);
/* v by key, then by tie among equal keys. */
void sort_ents(struct sort_ent *v, size_t n, sort_tie_fn tie);
/* names bytewise (strcmp order); 0 or -ENOMEM (names left as they were). */
int sort_strings(char **names, size_t n);

#define CONFIG_DIR "etc/mdevctl.d"
#define MDEV_BUS_DEVICES "sys/bus/mdev/devices"
#define MDEV_CLASS "sys/class/mdev_bus"
#define TMP_PREFIX ".mdevctl-tmp-"
/* where config writers make their temp files: beside etc/mdevctl.d, outside the tree that
 * libvirt watches and that listings read */
#define CONFIG_TMP_DIR "etc"

/* Directory fds opened once per listing, so that per-device lookups walk one or two path
 * components instead of the whole path from the root (C-79's cost, thousands of devices). A
 * cache lives for one call only: sysfs directories may vanish between calls. */
struct dircache {
	size_t n;
	char *key[16];
	int fd[16];
};
/* The fd and path to reach dir/name: dir's cached fd (opened on first use) and name, or the
 * root fd and "dir/name" when dc is NULL or full. The fd belongs to the cache. */
int dircache_at(struct mdev_ctx *ctx, struct dircache *dc, const char *dir, const char *name,
		char *path, size_t sz);
void dircache_clear(struct dircache *dc);
/* openat(dir/name) through the cache; fd or -errno. */
int dircache_openat(struct mdev_ctx *ctx, struct dircache *dc, const char *dir, const char *name,
		    int flags);
#define _cleanup_dircache_ __attribute__((cleanup(dircache_clear)))

/* ---- locking (lock.c): serialise writers per root */
/* Take the root's writer lock, or count once more if ctx holds it already; *ret_locked is set
 * to ctx, for lib_unlock() (or _cleanup_unlock_) to count down. */
int lib_lock(struct mdev_ctx *ctx, struct mdev_ctx **ret_locked);
void lib_unlock(struct mdev_ctx *ctx);
static inline void unlockp(struct mdev_ctx **ctx)
{
	if (*ctx)
		lib_unlock(*ctx);
}
#define _cleanup_unlock_ __attribute__((cleanup(unlockp)))

/* ---- JSON (json.c) */
/* Parse NUL-terminated text as upstream does (UTF-8 check, serde_json's error texts). *ret is
 * NULL for the document "null". */
int json_parse_text(struct mdev_ctx *ctx, const char *text, size_t len,
		    struct json_object **ret);
/* serde_json's to_string_pretty / to_string of an object tree, malloc'd. */
char *json_format(struct json_object *o, bool pretty);
/* A streaming writer of the same bytes; jw_finish() returns the text (NULL on ENOMEM). */
struct jw;
struct jw *jw_new(bool pretty);
void jw_open(struct jw *w, char c);  /* '{' or '[' */
void jw_close(struct jw *w, char c); /* '}' or ']' */
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *v);
void jw_int(struct jw *w, long long v);
char *jw_finish(struct jw *w);
/* The same, written to out as it goes; jw_end() frees the writer: 0, -ENOMEM or -errno of the
 * first failed write. */
struct jw *jw_new_file(bool pretty, FILE *out);
int jw_end(struct jw *w);
/* A device's config object (mdev_type, start, attrs) into w. */
void jw_device(struct jw *w, const struct mdev_device *dev);

/* ---- configs (config.c) */
int device_from_json(struct mdev_ctx *ctx, struct json_object *o, struct mdev_device *dev);
/* mdev_config_parse() without its shortcut for the common shape (json-c all the way); the
 * unit tests check that both give the same answer. */
int config_parse_full(struct mdev_ctx *ctx, const char *text, size_t len,
		      struct mdev_device *dev);
int device_load_jsonfile(struct mdev_ctx *ctx, const char *file, struct mdev_device *dev);
int config_read(struct mdev_ctx *ctx, struct dircache *dc, const char *parent,
		const char *uuid, struct mdev_device *dev);
bool config_exists(struct mdev_ctx *ctx, const char *parent, const char *uuid);
int device_set_attrs_json(struct mdev_ctx *ctx, struct mdev_device *dev,
			  struct json_object *attrs);

/* ---- sysfs (sysfs.c) */
/* C-18: fill dev->parent/type from sysfs, honouring preset values; sets dev->active. */
int sysfs_load_device(struct mdev_ctx *ctx, struct mdev_device *dev);
/* The same, with a listing's directory cache (dc may be NULL). */
int sysfs_load_device_dc(struct mdev_ctx *ctx, struct dircache *dc, struct mdev_device *dev);
int sysfs_create_device(struct mdev_ctx *ctx, struct mdev_device *dev);
int sysfs_remove_device(struct mdev_ctx *ctx, const char *uuid);
/* Rust's str::trim() for ASCII whitespace, in place; returns s. */
char *trim(char *s);
/* Rust's i32 FromStr: 0 or -EINVAL with its message in ctx. */
int parse_i32(struct mdev_ctx *ctx, const char *s, int *ret);
/* Validation of names joined under directories (our fix of C-73/C-74). */
int check_name(struct mdev_ctx *ctx, const char *what, const char *name);

/* ---- a listing's items on two threads (parallel.c) */
/* One item: runs under a worker context (its log lines kept for par_replay) with a directory
 * cache of the worker's own; 0 or -errno with the error in wctx. */
typedef int (*par_item_fn)(struct mdev_ctx *wctx, struct dircache *dc, void *data, size_t i);
struct par_note;
struct par_run {
	size_t n;
	int *rc;                  /* each item's return */
	struct par_note **notes;  /* each item's log lines and error; NULL if it left none */
};
/* How many threads a listing of n_items should run on: 1, or 2 when it is long enough and the
 * process may use two CPUs. */
unsigned par_threads(struct mdev_ctx *ctx, size_t n_items);
/* The same for items whose number says little (a few directories to list): long_enough is the
 * caller's estimate that they are worth a second thread. */
unsigned par_threads_for(struct mdev_ctx *ctx, size_t n_items, bool long_enough);
/* fn for every i in [0, n) (items after a failed one may be left out); 0 or -ENOMEM. */
int par_for(struct mdev_ctx *ctx, size_t n, unsigned threads, par_item_fn fn, void *data,
	    struct par_run *ret);
/* Item i's log lines into ctx, then its return; its error moves into ctx if it failed. */
int par_replay(struct mdev_ctx *ctx, struct par_run *run, size_t i);
void par_run_clear(struct par_run *run);

/* ---- listing (list.c) */
int list_defined_raw(struct mdev_ctx *ctx, const char *uuid, const char *parent,
		     bool strict, struct mdev_device_list *ret);
/* The same, strict, for a removal: a config too large to read (FILE_MAX) is listed too, with no
 * type and no attributes, so that the device can still be undefined. */
int list_defined_removable(struct mdev_ctx *ctx, const char *uuid, const char *parent,
			   struct mdev_device_list *ret);
int device_list_push(struct mdev_device_list *list, struct mdev_device *dev);
void device_list_sort(struct mdev_device_list *list);
int device_copy(struct mdev_device *dst, const struct mdev_device *src);

/* ---- callouts (callout.c): the seam */
enum callout_action {
	ACTION_START,
	ACTION_STOP,
	ACTION_DEFINE,
	ACTION_UNDEFINE,
	ACTION_MODIFY,
	ACTION_ATTRIBUTES,
	ACTION_CAPABILITIES,
};
typedef int (*callout_op_fn)(struct mdev_ctx *ctx, struct mdev_device *dev, void *data);
/* Run op wrapped in the pre/post callouts and notifiers of action (C-61). */
int callout_invoke(struct mdev_ctx *ctx, enum callout_action action, struct mdev_device *dev,
		   bool force, callout_op_fn op, void *data);
/* C-62: attributes reported by the device's callout; fills dev->attrs (appending). */
int callout_get_attributes(struct mdev_ctx *ctx, struct mdev_device *dev);
/* C-63: live update of a running device to dev's definition. */
int callout_live(struct mdev_ctx *ctx, struct mdev_device *dev);
void callout_cache_free(struct mdev_ctx *ctx);

#endif
