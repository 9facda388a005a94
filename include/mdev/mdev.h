/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmdev: mediated devices (vfio-mdev) for tools, the public interface.
 *
 * Build with `pkg-config --cflags --libs mdev`. Everything the library exports is declared here
 * (marked MDEV_API); nothing else in libmdev.so may be relied on.
 *
 * Conventions, valid for every function below unless it says otherwise:
 *
 * - Errors. Functions that return int return 0 (or the count or flag they document) on success
 *   and a negative errno on failure. After a negative return from a function that takes a
 *   context, the context holds the error: mdev_ctx_error_message() gives its message and
 *   mdev_ctx_error_cause() its causes, outermost first, as mdevctl prints them ("Error:
 *   <message>", "Caused by:"). The message is meaningful only after such a failure, and only
 *   until the next call on that context; after a success it is unspecified. The errno tells
 *   the kind of failure, the message the details: -EINVAL for input that is refused, -ENOENT
 *   for something that does not exist, -EEXIST for something that already does, -ENOMEM,
 *   and -errno of a failed system call. The library never prints and never exits.
 * - Memory. Strings and arrays the library returns are malloc'd and belong to the caller, who
 *   frees them with the function named beside them (free() for plain strings). Pointers the
 *   caller passes in are only read during the call and never kept, unless the function says so.
 *   Pointer arguments must not be NULL unless the comment says they may be.
 * - Threads. A context is used by one thread at a time; different contexts may be used on
 *   different threads at once (even with the same root: writers of one root take a lock). The
 *   functions without a context are thread-safe. Listings may read files on one helper thread
 *   of their own (below); they join it before they return, and callbacks (log, output) and
 *   callout scripts always run on the calling thread.
 * - Paths. Every path is resolved below the context's root directory, never outside it.
 *
 * ABI. The structs below are part of the ABI of libmdev.so.0: their size and layout do not
 * change while the SONAME stays 0, and a field is added to one only together with a SONAME
 * bump. Initialise the structs you fill (the *_req structs) with designated initialisers so
 * that your source still compiles then. README.md ("The library") says why the structs are open
 * rather than opaque.
 */
#ifndef MDEV_MDEV_H
#define MDEV_MDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks what the shared library exports; everything else in it is hidden (lib/libmdev.sym). */
#ifndef MDEV_API
#define MDEV_API __attribute__((visibility("default")))
#endif

/* ---------------------------------------------------------------- context */

/* The library's state for one root directory: opaque, created by mdev_ctx_new(). */
struct mdev_ctx;

enum mdev_log_level {
	MDEV_LOG_ERROR = 1,
	MDEV_LOG_WARN,
	MDEV_LOG_INFO,
	MDEV_LOG_DEBUG,
	MDEV_LOG_TRACE,
};

/* Called for each log message, on the thread that called the library; module is upstream's
 * module name ("mdevctl", "mdevctl::environment", "mdevctl::callouts", "mdevctl::mdev"). The
 * strings are valid during the call only. */
typedef void (*mdev_log_fn)(void *userdata, enum mdev_log_level level, const char *module,
			    const char *msg);

/* Create a context for the root directory root, or, when root is NULL, $MDEVCTL_ENV_ROOT if that
 * is set (even to ""; "" means the working directory), else "/". The root directory is opened
 * once, now; it must exist. Also read at creation: $MDEVCTL_CALLOUT_TIMEOUT (seconds, see
 * mdev_ctx_set_callout_timeout) and $MDEVKIT_THREADS (1: never a helper thread; 2: always one).
 * Returns 0 and *ret_ctx, to be freed with mdev_ctx_free(); -ENOMEM, or -errno of opening root
 * (-ENOENT, -ENOTDIR, -EACCES...), with *ret_ctx unchanged (there is no context to hold a
 * message). */
MDEV_API int mdev_ctx_new(const char *root, struct mdev_ctx **ret_ctx);
/* Free a context, its cached callout answers and its error; closes the root directory. ctx may
 * be NULL. */
MDEV_API void mdev_ctx_free(struct mdev_ctx *ctx);

/* Messages at or below max_level go to fn with userdata. fn NULL (the default) delivers none.
 * Warnings are how listings report entries they skip; mdevctl shows them at MDEV_LOG_WARN. */
MDEV_API void mdev_ctx_set_log_fn(struct mdev_ctx *ctx, mdev_log_fn fn, void *userdata,
				  enum mdev_log_level max_level);

/* Where output that upstream writes raw to stderr goes: a callout script's relayed stderr,
 * "<script name>: " and its bytes (C-60), called on the calling thread. bytes is valid during the
 * call only and is not NUL-terminated. fn NULL (the default): nothing is shown. */
typedef void (*mdev_output_fn)(void *userdata, const char *bytes, size_t n);
MDEV_API void mdev_ctx_set_output_fn(struct mdev_ctx *ctx, mdev_output_fn fn, void *userdata);

/* The root as given to mdev_ctx_new() (used to build paths in messages; owned by ctx), and the
 * directory fd every path is opened under (owned by ctx: do not close it). */
MDEV_API const char *mdev_ctx_get_root(const struct mdev_ctx *ctx);
MDEV_API int mdev_ctx_get_root_fd(const struct mdev_ctx *ctx);

/* Milliseconds a callout script may run before it and its process group are killed and the call
 * fails with -ETIMEDOUT (0: no limit). Default 30000, or $MDEVCTL_CALLOUT_TIMEOUT seconds when
 * that was set at creation. */
MDEV_API void mdev_ctx_set_callout_timeout(struct mdev_ctx *ctx, unsigned int ms);

/* Milliseconds a writer (define, undefine, modify, start, stop, start-parent-mdevs,
 * mdev_config_write/remove) waits for the root's writer lock, run/mdevctl.lock under the root,
 * before it fails with -ETIMEDOUT and a message naming the holder's pid when it can be known.
 * 0: fail at once if another writer holds it. Default 30000, or $MDEVCTL_LOCK_TIMEOUT (seconds)
 * when set. Readers (listings) never take the lock. */
MDEV_API void mdev_ctx_set_lock_timeout(struct mdev_ctx *ctx, unsigned int ms);

/* Signals. The library installs no signal handler and changes no signal's disposition. Callout
 * scripts run in process groups of their own, so a terminal's Ctrl-C or a SIGTERM sent to the
 * program's group does not reach them; a program that wants them ended when it is interrupted
 * calls mdev_callouts_terminate() from its own handler of SIGINT, SIGTERM and SIGHUP, then exits
 * (mdevctl re-raises the signal with its default action). It is async-signal-safe: every script
 * running in the process, from any context or thread, has its process group sent SIGTERM, then
 * SIGKILL after grace_ms if anything of the group is left; the scripts are reaped, and the calls
 * that ran them see them as killed by a signal. Returns how many scripts were
 * running. While a script is being started, the library blocks SIGINT, SIGTERM and SIGHUP in the
 * calling thread for a moment, so that a handler never misses a script that exists. */
MDEV_API int mdev_callouts_terminate(unsigned int grace_ms);

/* The last error (see "Errors" above): its message ("Unknown error" when there is none), the
 * number of its causes, and cause i (0 is the outermost; NULL when i >= the count). The strings
 * belong to ctx and stay valid until the next call on ctx. */
MDEV_API const char *mdev_ctx_error_message(const struct mdev_ctx *ctx);
MDEV_API size_t mdev_ctx_error_cause_count(const struct mdev_ctx *ctx);
MDEV_API const char *mdev_ctx_error_cause(const struct mdev_ctx *ctx, size_t i);

/* Check that the directories a packaged mdevctl needs exist under the root: etc/mdevctl.d and
 * usr/lib/mdevctl/scripts.d/{callouts,notifiers} (C-17). 0, or -ENOENT with upstream's message
 * naming the first one missing. No other call checks them. */
MDEV_API int mdev_ctx_check_dirs(struct mdev_ctx *ctx);

/* ---------------------------------------------------------------- UUIDs */

#define MDEV_UUID_LEN 36 /* hyphenated, lowercase, without the NUL */

/* Parse any form upstream accepts (hyphenated, 32 hex digits, {braced}, urn:uuid:, any case)
 * into lowercase hyphenated form in ret_uuid. 0, or -EINVAL if s is none of them (ret_uuid is
 * then unspecified). */
MDEV_API int mdev_uuid_parse(const char *s, char ret_uuid[MDEV_UUID_LEN + 1]);
/* Why s is not a UUID, in the words of upstream's parser (the uuid crate), written to buf
 * (bufsz bytes, truncated, NUL-terminated); returns buf. For an s that parses, the text is
 * meaningless. */
MDEV_API const char *mdev_uuid_parse_error(const char *s, char *buf, size_t bufsz);
/* A fresh random (version 4) UUID in lowercase hyphenated form. 0, or -errno of getrandom(). */
MDEV_API int mdev_uuid_generate(char ret_uuid[MDEV_UUID_LEN + 1]);

/* ---------------------------------------------------------------- devices */

/* One attribute of a definition: written, in order, to <device>/<name> when it starts. */
struct mdev_attr {
	char *name;  /* malloc'd */
	char *value; /* malloc'd */
};

/* A mediated device: a definition, a running device, or both. The library fills it; its
 * strings and attrs are malloc'd and freed by mdev_device_clear(). A caller that builds one
 * (for mdev_config_write or mdev_config_format) sets parent and type with malloc'd strings
 * or clears them itself. */
struct mdev_device {
	char uuid[MDEV_UUID_LEN + 1]; /* lowercase hyphenated */
	char *parent;   /* NULL when not known */
	char *type;     /* NULL when not known */
	bool autostart; /* "start": "auto" */
	struct mdev_attr *attrs;
	size_t n_attrs;
	bool active;  /* running under this parent with this type */
	bool defined; /* a config file exists for it */
};

/* A list of devices: devices[0..n), freed with mdev_device_list_clear(). */
struct mdev_device_list {
	struct mdev_device *devices;
	size_t n;
};

/* Free what dev or list holds and leave it empty (all zero), ready for reuse. */
MDEV_API void mdev_device_clear(struct mdev_device *dev);
MDEV_API void mdev_device_list_clear(struct mdev_device_list *list);

/* Insert a copy of name and value as attribute index (index == n_attrs appends). 0, -EINVAL when
 * index > n_attrs, -ENOMEM (dev unchanged then). */
MDEV_API int mdev_device_add_attr(struct mdev_device *dev, size_t index, const char *name,
				  const char *value);
/* Remove attribute index. 0, or -EINVAL when index >= n_attrs. */
MDEV_API int mdev_device_del_attr(struct mdev_device *dev, size_t index);

/* The running devices (sys/bus/mdev/devices), sorted by parent then UUID, into *ret_list, which
 * must be empty ({ 0 }) and is freed with mdev_device_list_clear(). uuid (any form
 * mdev_uuid_parse accepts) and parent filter when not NULL. Each device's attributes are the
 * answer of its callout script's "get attributes" call (C-31, C-62), whose failures are ignored;
 * defined says whether a config file exists. Entries that are not devices, or vanish while
 * listed, are skipped (warnings in the log). 0 (also when nothing runs or there is no mdev bus),
 * -ENOMEM, or another -errno. May read on a helper thread; scripts run on the calling thread. */
MDEV_API int mdev_list_active(struct mdev_ctx *ctx, const char *uuid, const char *parent,
			      struct mdev_device_list *ret_list);
/* The definitions (etc/mdevctl.d/<parent>/<uuid>), sorted like mdev_list_active, into
 * *ret_list (empty before, freed with mdev_device_list_clear()), each with active set when it
 * runs as defined. uuid and parent filter when not NULL. A config that cannot be parsed is
 * skipped with a warning, unless uuid was given: then its parse error is returned (-EINVAL).
 * 0, -ENOENT (no etc/mdevctl.d), -ENOMEM, or another -errno. May read on a helper thread. */
MDEV_API int mdev_list_defined(struct mdev_ctx *ctx, const char *uuid, const char *parent,
			       struct mdev_device_list *ret_list);

/* Whether uuid runs, and under which parent with which type (C-18). Returns 1 if it runs, with
 * *ret_parent and *ret_type set to malloc'd strings the caller frees with free() (either pointer
 * may be NULL when not wanted); 0 if it does not run (nothing set); -EINVAL for a malformed
 * UUID; another -errno when sysfs shows the device but its parent or type cannot be resolved. */
MDEV_API int mdev_device_lookup_active(struct mdev_ctx *ctx, const char *uuid, char **ret_parent,
				       char **ret_type);

/* ---------------------------------------------------------------- configs (JSON) */

/* Parse a config document (as in etc/mdevctl.d/<parent>/<uuid> or a --jsonfile): len bytes of
 * text, which must be followed by a NUL (text[len] == '\0'), into dev's type, autostart and
 * attrs (dev should be empty; uuid and parent are not touched). 0, -EINVAL with upstream's
 * texts (C-24..C-27), -ENOMEM. After a failure dev may hold part of the document: it still
 * needs mdev_device_clear(), as after a success. */
MDEV_API int mdev_config_parse(struct mdev_ctx *ctx, const char *text, size_t len,
			       struct mdev_device *dev);
/* The config document of dev (type, start, attrs): pretty (as written to disk, C-22, no final
 * newline) or compact (as sent to callout scripts, C-23). A malloc'd string to free(), or NULL
 * when out of memory. dev->type NULL is written as "". */
MDEV_API char *mdev_config_format(const struct mdev_device *dev, bool pretty);

/* Write dev's config to etc/mdevctl.d/<parent>/<uuid> atomically (an exclusively created temporary
 * file, fsync, rename into place, directory fsync; missing directories are created), or remove it
 * (and flush the directory). dev->uuid must be lowercase hyphenated, parent a plain name (not
 * empty, ".", "..", no "/" or control character): -EINVAL otherwise. Both hold the root's writer
 * lock while they work: they take it, and wait for it (mdev_ctx_set_lock_timeout()),
 * unless ctx holds it already.
 * 0, -EINVAL, -ENOENT (remove: no such config), -ENOMEM, or -errno of the failed step, with
 * nothing changed. No callout script runs: mdev_define/undefine/modify run them. */
MDEV_API int mdev_config_write(struct mdev_ctx *ctx, const struct mdev_device *dev);
MDEV_API int mdev_config_remove(struct mdev_ctx *ctx, const char *parent, const char *uuid);

/* ---------------------------------------------------------------- types */

/* One mdev type of a parent (sys/class/mdev_bus/<parent>/mdev_supported_types/<id>). */
struct mdev_type_info {
	char *id; /* directory name, e.g. "i915-GVTg_V5_4" */
	int available_instances;
	char *device_api;
	char *name;        /* NULL when absent or empty */
	char *description; /* NULL when absent or empty; newlines folded to ", " */
};

struct mdev_parent_info {
	char *name;
	struct mdev_type_info *types;
	size_t n_types;
};

/* parents[0..n), freed with mdev_parent_list_clear(). */
struct mdev_parent_list {
	struct mdev_parent_info *parents;
	size_t n;
};

/* The parents in sys/class/mdev_bus (all, or only parent when not NULL) with their types, sorted
 * by name, into *ret_list (empty before; freed with mdev_parent_list_clear()). 0 (also when there
 * is no mdev bus); -errno when a parent's types cannot be listed or a type's required file cannot
 * be read (-ENOENT...), -EINVAL or -ERANGE for an available_instances that is no 32-bit number
 * (C-36), -ENOMEM. May read on a helper thread. */
MDEV_API int mdev_list_types(struct mdev_ctx *ctx, const char *parent,
			     struct mdev_parent_list *ret_list);
/* Free what list holds and leave it empty. */
MDEV_API void mdev_parent_list_clear(struct mdev_parent_list *list);

/* ---------------------------------------------------------------- output formats */

/* Upstream's listing formats (C-33..C-38), as malloc'd strings to free() (NULL when out of
 * memory), without the final newline mdevctl 1.3.0 adds when printing. defined selects the
 * " (active)" marker of list -d over the " (defined)" marker of list; verbose adds attributes.
 * ctx is not used (it may be NULL). */
MDEV_API char *mdev_format_list_text(struct mdev_ctx *ctx, const struct mdev_device_list *list,
				     bool defined, bool verbose);
/* single: -u was given, so at most one device is printed bare (C-35). */
MDEV_API char *mdev_format_list_json(const struct mdev_device_list *list, bool single);
MDEV_API char *mdev_format_types_text(const struct mdev_parent_list *list);
MDEV_API char *mdev_format_types_json(const struct mdev_parent_list *list);
/* The "  Attrs:" block of list -v for one device ("" when it has none); free() it. */
MDEV_API char *mdev_format_attrs(const struct mdev_device *dev);
/* The same listings written to out as they are produced (the memory they cost does not grow
 * with the text): 0, -ENOMEM, or -errno of the first failed write (e.g. -EPIPE). */
MDEV_API int mdev_print_list_text(FILE *out, const struct mdev_device_list *list, bool defined,
				  bool verbose);
MDEV_API int mdev_print_list_json(FILE *out, const struct mdev_device_list *list, bool single);
MDEV_API int mdev_print_types_text(FILE *out, const struct mdev_parent_list *list);
MDEV_API int mdev_print_types_json(FILE *out, const struct mdev_parent_list *list);

/* ---------------------------------------------------------------- operations
 *
 * mdevctl's commands. Each runs the callout scripts and notifiers around its work as upstream
 * does (C-61), on the calling thread, reading the scripts afresh; force goes on when a script's
 * "pre" call fails. Each holds the root's writer lock from its first check to its last write.
 * Besides the errnos named, a script's failure is -EIO (-ETIMEDOUT when it was killed, -ENOTSUP
 * when a versioned script does not support the action), and any call may fail with -ENOMEM or
 * -errno of the file system. Names (parent, type, attribute) that are empty, ".", ".." or hold
 * "/" or a control character are refused with -EINVAL before anything is written. */

/* mdevctl define (C-39..C-42). Optional fields are NULL/false when not given. */
struct mdev_define_req {
	const char *uuid;     /* optional: NULL generates one */
	const char *parent;   /* optional when uuid runs now (its parent is used), required with
			       * jsonfile or type */
	const char *type;     /* optional when uuid runs now; not with jsonfile */
	const char *jsonfile; /* optional: type, start and attributes from this file */
	bool autostart;       /* start: auto (not with jsonfile) */
	bool force;
};
/* Define a device. ret_uuid (may be NULL) gets the UUID used. 0; -EINVAL (missing parent or
 * type, a bad UUID or name, a bad jsonfile); -EEXIST (already defined); -EFBIG (jsonfile over
 * 1 MiB). */
MDEV_API int mdev_define(struct mdev_ctx *ctx, const struct mdev_define_req *req,
			 char ret_uuid[MDEV_UUID_LEN + 1]);

/* mdevctl undefine (C-43): remove the definitions of uuid, under every parent or only parent
 * (may be NULL). 0; -ENOENT (none); -EIO when one or more could not be removed (each logged as a
 * warning; the others are still removed). */
MDEV_API int mdev_undefine(struct mdev_ctx *ctx, const char *uuid, const char *parent, bool force);

enum mdev_start_mode { MDEV_START_KEEP, MDEV_START_AUTO, MDEV_START_MANUAL };

/* mdevctl modify (C-44..C-48). Give one of start != KEEP, addattr (with value), delattr,
 * jsonfile; the other fields are optional (NULL, false, KEEP). */
struct mdev_modify_req {
	const char *uuid;           /* required */
	const char *parent;         /* optional; picks one of several definitions; required
				     * with jsonfile */
	const char *type;           /* optional: the new type */
	enum mdev_start_mode start; /* MDEV_START_KEEP: unchanged */
	const char *addattr;        /* optional: add this attribute, with value */
	const char *value;
	bool delattr;               /* remove an attribute: index's, or the last one */
	bool has_index;             /* index is given */
	unsigned int index;
	const char *jsonfile;       /* optional: replace type, start and attributes */
	bool live;                  /* apply jsonfile to the running device (its script) */
	bool defined;               /* with live: store it as well */
	bool force;
};
/* 0; -ENOENT (not defined); -EEXIST (several definitions and no parent); -ENODEV (live: not
 * running); -EINVAL (bad index, type change of a running device, bad input). */
MDEV_API int mdev_modify(struct mdev_ctx *ctx, const struct mdev_modify_req *req);

/* mdevctl start (C-49..C-53). */
struct mdev_start_req {
	const char *uuid;     /* optional: NULL generates one (then parent and type are needed) */
	const char *parent;   /* optional when uuid has one definition */
	const char *type;     /* optional when uuid has a definition (must then match it) */
	const char *jsonfile; /* optional: type and attributes from this file; needs parent */
	bool force;
};
/* Start a device; ret_uuid (may be NULL) gets its UUID. 0; -EINVAL (insufficiently specified,
 * bad input); -EEXIST (already running, several definitions, another type defined); -ENOENT
 * (no such parent or type, or an attribute file missing); -ENODEV (parent not registered for
 * mdev); -ENOSPC (no instance available); -errno of the kernel's refusal to create it. */
MDEV_API int mdev_start(struct mdev_ctx *ctx, const struct mdev_start_req *req,
			char ret_uuid[MDEV_UUID_LEN + 1]);
/* mdevctl stop (C-54): remove the running device uuid. 0; -EINVAL (not running: "Device must
 * have a defined mdev_type"); -errno of the kernel's refusal (e.g. -EBUSY). */
MDEV_API int mdev_stop(struct mdev_ctx *ctx, const char *uuid, bool force);

/* The operations above (define, undefine, modify, start, stop, start-parent-devices) read their
 * input (jsonfile, which may be a pipe) before they take the root's writer lock, hold the lock
 * for their check-then-write sequence and its pre and post callout scripts, and run the
 * notifier scripts after they released it, so a notifier may itself change definitions. */

/* Start every "auto" definition of parent (boot time, udev), in UUID order (C-55). Failures are
 * logged as warnings and do not stop the others; the return is 0 unless the definitions could
 * not be listed at all. */
MDEV_API int mdev_start_parent_devices(struct mdev_ctx *ctx, const char *parent);

/* ---------------------------------------------------------------- vGPUs of any framework */

/* The same calls for every way a GPU splits into vGPUs, so that a caller can list, create and
 * remove vGPUs (and converge a host to a layout) without knowing which one a GPU uses. Each
 * framework's sysfs rules live in a file of their own (lib/fw_*.c); docs/sriov.md says where
 * each rule comes from. SR-IOV definitions are kept in etc/vgpu.d/<GPU>/vf<N> (atomic, under
 * the same writer lock as etc/mdevctl.d); mdev definitions stay mdevctl's. */
enum mdev_vgpu_framework {
	MDEV_VGPU_FW_MDEV = 1,    /* "mdev": parents in sys/class/mdev_bus (GVT-g, NVIDIA <= Ampere) */
	MDEV_VGPU_FW_NVIDIA_VFIO, /* "nvidia-vfio": VFs of an SR-IOV PF bound to nvidia */
	MDEV_VGPU_FW_XE_SRIOV,    /* "xe-sriov": VFs of an SR-IOV PF bound to xe */
};
/* "mdev", "nvidia-vfio", "xe-sriov" ("?" for another value). */
MDEV_API const char *mdev_vgpu_framework_name(enum mdev_vgpu_framework fw);

#define MDEV_VGPU_XE_TYPE "xe-vf" /* the one type of an Xe PF: a VF with a fair share */

struct mdev_vgpu {
	char *id;   /* mdev UUID; a VF's PCI address; "<gpu>/vf<N>" for a defined VF not enabled */
	char *gpu;  /* the mdev parent or the PF's PCI address */
	char *type; /* mdev type id, NVIDIA type name ("NVIDIA L40S-4Q"), MDEV_VGPU_XE_TYPE;
		     * NULL when not known */
	unsigned type_id; /* NVIDIA's numeric type id; 0 otherwise */
	unsigned vf;      /* SR-IOV: the VF's 1-based number (virtfn<vf-1>); 0 for mdev */
	char *profile;    /* Xe: the defined scheduling profile ("key=value,..."); NULL if none */
	enum mdev_vgpu_framework framework;
	bool active;    /* exists now (an mdev running; a VF holding a vGPU / enabled) */
	bool defined;   /* a definition is kept */
	bool autostart; /* the definition says start at boot */
};

struct mdev_vgpu_list {
	struct mdev_vgpu *vgpus;
	size_t n;
};
MDEV_API void mdev_vgpu_list_clear(struct mdev_vgpu_list *list);

/* Every vGPU of every framework, active or defined (gpu NULL: all GPUs), sorted by GPU, then
 * VF number, then id. */
MDEV_API int mdev_vgpu_list(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_list *ret_list);

struct mdev_vgpu_type {
	char *name;        /* as create takes it */
	unsigned id;       /* NVIDIA's numeric id; 0 otherwise */
	unsigned fb_gb;    /* NVIDIA: the framebuffer one vGPU of it takes (from its name); 0 else */
	int available;     /* how many more fit now */
	char *description; /* NULL when none */
};

struct mdev_vgpu_gpu {
	char *gpu;
	enum mdev_vgpu_framework framework;
	char *driver;        /* the PF's driver; NULL for mdev parents */
	unsigned total_vfs;  /* SR-IOV: sriov_totalvfs */
	unsigned num_vfs;    /* SR-IOV: sriov_numvfs */
	unsigned used_vfs;   /* SR-IOV: VFs holding a vGPU */
	unsigned fb_total_gb;  /* NVIDIA: the GPU's framebuffer as its largest type says; 0 unknown */
	unsigned fb_locked_gb; /* NVIDIA: the size the running vGPUs chose (one size at a time); 0 none */
	unsigned long long vram_bytes; /* Xe: a discrete GPU's VRAM (tile<N>/physical_vram_size_bytes);
					* 0 unknown or integrated */
	bool vram_quota;               /* Xe: each VF's VRAM can be set (sriov_admin/vf<N>/profile/
					* vram_quota: Linux 7.0, discrete GPUs) */
	unsigned long long *vf_vram_quota; /* Xe with vram_quota and VFs enabled: [num_vfs], each
					    * VF's quota in bytes as the kernel reads it; else NULL */
	struct mdev_vgpu_type *types; /* creatable now */
	size_t n_types;
	char *note; /* why the list is shorter than the GPU's full one, or NULL */
};

struct mdev_vgpu_gpu_list {
	struct mdev_vgpu_gpu *gpus;
	size_t n;
};
MDEV_API void mdev_vgpu_gpu_list_clear(struct mdev_vgpu_gpu_list *list);

/* GPUs of every framework (gpu NULL: all) and the types creatable on each now, sorted by
 * address. An unknown gpu lists nothing. */
MDEV_API int mdev_vgpu_types(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_gpu_list *ret_list);

struct mdev_vgpu_create_req {
	const char *gpu;
	const char *type;    /* a type name; NVIDIA: also its id or the name without "NVIDIA " */
	unsigned count;      /* 0 counts as 1 */
	bool define;         /* keep a definition too */
	bool autostart;      /* the definition starts at boot (implies define) */
	const char *profile; /* Xe only: "exec_quantum_ms=N,preempt_timeout_us=N,sched_priority=P" */
};
/* Create count vGPUs of a type on a GPU: an mdev parent as mdevctl start (and define); an
 * NVIDIA PF by enabling its VFs when none are and writing the type id to free VFs; an Xe PF by
 * applying the profile to VFs 1..count and enabling them. All or nothing: on an error, what
 * this call changed is undone and the message names the GPU, the type and the kernel's reason
 * (with the types that are creatable instead). ret_created (may be NULL) gets the new vGPUs. */
MDEV_API int mdev_vgpu_create(struct mdev_ctx *ctx, const struct mdev_vgpu_create_req *req,
		     struct mdev_vgpu_list *ret_created);

/* Remove vGPUs by id (as mdev_vgpu_list gives them): stop what runs and drop the definition.
 * Xe VFs are disabled all at once, so every enabled VF of an Xe GPU must be among ids. Ids are
 * checked before anything changes. */
MDEV_API int mdev_vgpu_remove(struct mdev_ctx *ctx, const char *const *ids, size_t n_ids);

/* Which framework gpu uses now: 0 and *ret_fw; -ENODEV (with a message naming what is there)
 * when it is neither an mdev parent nor an SR-IOV PF bound to nvidia or xe, e.g. while its
 * driver has not bound yet at boot; -EINVAL for a name that is not one. */
MDEV_API int mdev_vgpu_gpu_framework(struct mdev_ctx *ctx, const char *gpu,
			    enum mdev_vgpu_framework *ret_fw);

/* Boot: apply every "auto" SR-IOV definition (enable VFs, write types and profiles).
 * Failures are logged as warnings and do not stop the others; returns the number of failed
 * GPUs, or -errno if the definitions could not be read. mdev definitions are started by
 * mdev_start (mdev-autostart, the udev rule's start-parent-mdevs). Applying a definition that
 * runs already changes nothing. */
MDEV_API int mdev_vgpu_start_defined(struct mdev_ctx *ctx);
/* The same for the definitions of one GPU (NULL: all), as mdev-autostart does when each PF's
 * driver has bound. */
MDEV_API int mdev_vgpu_start_defined_gpu(struct mdev_ctx *ctx, const char *gpu);

/* ---------------------------------------------------------------- layouts (issue 21) */

/* Hold the root's writer lock (run/mdevctl.lock) across several calls, so that a sequence of
 * checks and writes (a layout being applied) is never interleaved with another writer's: the
 * calls above that take the lock count once more on this holder instead of waiting for
 * themselves. Waits as mdev_ctx_set_lock_timeout() says, then fails with -ETIMEDOUT naming the
 * holder. Each successful mdev_ctx_lock() is paired with one mdev_ctx_unlock(); notifier scripts
 * queued meanwhile run when the last one releases the lock. */
MDEV_API int mdev_ctx_lock(struct mdev_ctx *ctx);
MDEV_API void mdev_ctx_unlock(struct mdev_ctx *ctx);

/* As mdev_vgpu_types, but every type each GPU is known to offer, also those that do not fit
 * now (available 0): an NVIDIA GPU's learned list (etc/vgpu.d/<GPU>/nvidia-types) or what its
 * VFs list; mdev types with no instance left. An NVIDIA GPU whose VFs were never enabled and
 * whose types were never learned lists none. */
MDEV_API int mdev_vgpu_types_all(struct mdev_ctx *ctx, const char *gpu,
				 struct mdev_vgpu_gpu_list *ret_list);

/* Keep a definition of the existing vGPU id (as mdev_vgpu_list names it), starting at boot when
 * autostart: an mdev is defined (mdevctl define) or its start mode changed (mdevctl modify); an
 * SR-IOV vGPU gets etc/vgpu.d/<GPU>/vf<N>. Nothing is written when it is defined so already.
 * 0; -ENOENT (no such vGPU); -EINVAL (a VF whose type is not known). */
MDEV_API int mdev_vgpu_define(struct mdev_ctx *ctx, const char *id, bool autostart);

/* Whether a process uses the vGPU id: has its VFIO group (/dev/vfio/<group>, the group of the
 * device's iommu_group link) or its VFIO device (/dev/vfio/devices/vfio<N>, from vfio-dev/) open,
 * as found in proc/<pid>/fd under the root; mdev-sim's unlisted sim_busy file stands for such a
 * process. 1 with *ret_pid (may be NULL; 0 when no process is known, as with sim_busy) when in
 * use, 0 when not or when the vGPU does not exist now, or -errno. Processes whose descriptors
 * cannot be read (another user's, without privilege) are not seen. */
MDEV_API int mdev_vgpu_in_use(struct mdev_ctx *ctx, const char *id, int *ret_pid);

/* The layout last applied to this host (vgpuctl apply): etc/vgpu.d/applied-layout, the JSON
 * object {"config": NAME, "file": PATH}, written atomically under the writer lock, and only
 * when it changes. file may be NULL (written as ""). */
MDEV_API int mdev_vgpu_layout_record(struct mdev_ctx *ctx, const char *config, const char *file);
/* Read it: 0 with malloc'd *ret_config and *ret_file (either pointer may be NULL), -ENOENT when
 * no layout was applied, -EINVAL for a file that is not such an object. */
MDEV_API int mdev_vgpu_layout_applied(struct mdev_ctx *ctx, char **ret_config, char **ret_file);

#ifdef __cplusplus
}
#endif

#endif
