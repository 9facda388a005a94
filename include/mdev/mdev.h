/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmdev: mediated devices (vfio-mdev) for tools, the public interface.
 *
 * Every call takes a context that owns one root directory (MDEVCTL_ENV_ROOT or "/") and
 * resolves every path below it. Calls return 0 (or a count) on success and a negative errno
 * on failure; the context then holds a message and its causes for a tool to show
 * ("Error: <message>" and "Caused by:"). The library never prints and never exits: messages
 * that are not errors (warnings, debug) go to the log function set on the context.
 */
#ifndef MDEV_MDEV_H
#define MDEV_MDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- context */

struct mdev_ctx;

enum mdev_log_level {
	MDEV_LOG_ERROR = 1,
	MDEV_LOG_WARN,
	MDEV_LOG_INFO,
	MDEV_LOG_DEBUG,
	MDEV_LOG_TRACE,
};

/* Called for each log message; module is upstream's module name ("mdevctl",
 * "mdevctl::environment", "mdevctl::callouts", "mdevctl::mdev"). */
typedef void (*mdev_log_fn)(void *userdata, enum mdev_log_level level, const char *module,
			    const char *msg);

/* Create a context. root NULL means: $MDEVCTL_ENV_ROOT if set (even empty), else "/".
 * The root directory is opened once; it must exist.
 * A context is used by one thread at a time. Long listings (mdev_list_active,
 * mdev_list_defined, mdev_list_types, mdev_start_parent_devices) read files on a helper thread as
 * well, and so may the calls that look a UUID up in every parent's config directory (define,
 * undefine, modify, start) when those directories are long; the helper is joined before they
 * return; callbacks (log, output) and callout scripts always run on the calling thread.
 * $MDEVKIT_THREADS=1 at creation keeps all work on the calling thread. */
int mdev_ctx_new(const char *root, struct mdev_ctx **ret_ctx);
void mdev_ctx_free(struct mdev_ctx *ctx);

/* Messages at or below max_level go to fn (default: none are delivered). */
void mdev_ctx_set_log_fn(struct mdev_ctx *ctx, mdev_log_fn fn, void *userdata,
			 enum mdev_log_level max_level);

/* Where output that upstream writes raw to stderr goes (a callout script's relayed stderr,
 * C-60). Default: nothing is shown. */
typedef void (*mdev_output_fn)(void *userdata, const char *bytes, size_t n);
void mdev_ctx_set_output_fn(struct mdev_ctx *ctx, mdev_output_fn fn, void *userdata);

/* The root as given, used to build paths in messages, and its directory fd. */
const char *mdev_ctx_get_root(const struct mdev_ctx *ctx);
int mdev_ctx_get_root_fd(const struct mdev_ctx *ctx);

/* Milliseconds a callout script may run before it is killed (0: no limit). Default 30000,
 * or $MDEVCTL_CALLOUT_TIMEOUT (seconds) when set. */
void mdev_ctx_set_callout_timeout(struct mdev_ctx *ctx, unsigned int ms);

/* The last error: its message and causes, outermost first. Valid until the next call. */
const char *mdev_ctx_error_message(const struct mdev_ctx *ctx);
size_t mdev_ctx_error_cause_count(const struct mdev_ctx *ctx);
const char *mdev_ctx_error_cause(const struct mdev_ctx *ctx, size_t i);

/* Check the directories a packaged mdevctl needs (etc/mdevctl.d and the two
 * usr/lib/mdevctl/scripts.d directories). -ENOENT with upstream's message if one is missing. */
int mdev_ctx_check_dirs(struct mdev_ctx *ctx);

/* ---------------------------------------------------------------- UUIDs */

#define MDEV_UUID_LEN 36 /* hyphenated, lowercase, without the NUL */

/* Parse any form upstream accepts (hyphenated, 32 hex digits, {braced}, urn:uuid:, any case)
 * into lowercase hyphenated form. -EINVAL if it is none of them. */
int mdev_uuid_parse(const char *s, char ret_uuid[MDEV_UUID_LEN + 1]);
/* The parser's own words for why s is not a UUID (upstream's uuid crate texts). */
const char *mdev_uuid_parse_error(const char *s, char *buf, size_t bufsz);
/* A fresh random (version 4) UUID. */
int mdev_uuid_generate(char ret_uuid[MDEV_UUID_LEN + 1]);

/* ---------------------------------------------------------------- devices */

struct mdev_attr {
	char *name;
	char *value;
};

struct mdev_device {
	char uuid[MDEV_UUID_LEN + 1];
	char *parent;   /* NULL when not known */
	char *type;     /* NULL when not known */
	bool autostart; /* "start": "auto" */
	struct mdev_attr *attrs;
	size_t n_attrs;
	bool active;  /* running under this parent with this type */
	bool defined; /* a config file exists for it */
};

struct mdev_device_list {
	struct mdev_device *devices;
	size_t n;
};

void mdev_device_clear(struct mdev_device *dev);
void mdev_device_list_clear(struct mdev_device_list *list);

/* Insert an attribute at index (index == n_attrs appends). */
int mdev_device_add_attr(struct mdev_device *dev, size_t index, const char *name,
			 const char *value);
int mdev_device_del_attr(struct mdev_device *dev, size_t index);

/* Running devices (sys/bus/mdev/devices), sorted by parent then UUID. uuid and parent filter
 * (NULL: all). Attributes come from the callout's "get attributes" answer. */
int mdev_list_active(struct mdev_ctx *ctx, const char *uuid, const char *parent,
		     struct mdev_device_list *ret_list);
/* Defined devices (etc/mdevctl.d), sorted like mdev_list_active, each with .active set. */
int mdev_list_defined(struct mdev_ctx *ctx, const char *uuid, const char *parent,
		      struct mdev_device_list *ret_list);

/* Fill parent and type of a running device from sysfs. Returns 1 if it runs, 0 if not. */
int mdev_device_lookup_active(struct mdev_ctx *ctx, const char *uuid, char **ret_parent,
			      char **ret_type);

/* ---------------------------------------------------------------- configs (JSON) */

/* Parse a config document (as in etc/mdevctl.d/<parent>/<uuid> or --jsonfile) into dev's
 * type, autostart and attrs. Errors carry upstream's texts; after one, dev may hold part of the
 * document and still needs mdev_device_clear(). */
int mdev_config_parse(struct mdev_ctx *ctx, const char *text, size_t len,
		      struct mdev_device *dev);
/* The config document of dev: pretty (as written to disk, no final newline) or compact (as
 * sent to callouts). Returns a malloc'd string or NULL on ENOMEM. */
char *mdev_config_format(const struct mdev_device *dev, bool pretty);

/* Write dev's config to etc/mdevctl.d/<parent>/<uuid> atomically (temp file, fsync, rename,
 * directory fsync), or remove it (and flush the directory). Both hold the root's writer lock
 * while they work: they take it, and wait for it, unless ctx holds it already. */
int mdev_config_write(struct mdev_ctx *ctx, const struct mdev_device *dev);
int mdev_config_remove(struct mdev_ctx *ctx, const char *parent, const char *uuid);

/* ---------------------------------------------------------------- types */

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

struct mdev_parent_list {
	struct mdev_parent_info *parents;
	size_t n;
};

/* Parents in sys/class/mdev_bus (parent NULL: all) with their types, sorted by name. */
int mdev_list_types(struct mdev_ctx *ctx, const char *parent, struct mdev_parent_list *ret_list);
void mdev_parent_list_clear(struct mdev_parent_list *list);

/* ---------------------------------------------------------------- output formats */

/* Upstream's listing formats, as malloc'd strings (NULL on ENOMEM), without the final newline
 * that mdevctl 1.3.0 adds when printing. defined selects the " (active)" marker of list -d
 * over the " (defined)" marker of list. */
char *mdev_format_list_text(struct mdev_ctx *ctx, const struct mdev_device_list *list,
			    bool defined, bool verbose);
/* single: -u was given, so at most one device is printed bare. */
char *mdev_format_list_json(const struct mdev_device_list *list, bool single);
char *mdev_format_types_text(const struct mdev_parent_list *list);
char *mdev_format_types_json(const struct mdev_parent_list *list);
/* The "  Attrs:" block of list -v for one device ("" when it has none). */
char *mdev_format_attrs(const struct mdev_device *dev);
/* The same listings written to out as they are produced (the memory they cost does not grow
 * with the text): 0, -ENOMEM, or -errno of the first failed write. */
int mdev_print_list_text(FILE *out, const struct mdev_device_list *list, bool defined,
			 bool verbose);
int mdev_print_list_json(FILE *out, const struct mdev_device_list *list, bool single);
int mdev_print_types_text(FILE *out, const struct mdev_parent_list *list);
int mdev_print_types_json(FILE *out, const struct mdev_parent_list *list);

/* ---------------------------------------------------------------- operations */

struct mdev_define_req {
	const char *uuid; /* NULL: generate one */
	const char *parent;
	const char *type;
	const char *jsonfile;
	bool autostart;
	bool force;
};
/* Define a device (mdevctl define). ret_uuid gets the UUID used. */
int mdev_define(struct mdev_ctx *ctx, const struct mdev_define_req *req,
		char ret_uuid[MDEV_UUID_LEN + 1]);

int mdev_undefine(struct mdev_ctx *ctx, const char *uuid, const char *parent, bool force);

enum mdev_start_mode { MDEV_START_KEEP, MDEV_START_AUTO, MDEV_START_MANUAL };

struct mdev_modify_req {
	const char *uuid;
	const char *parent;
	const char *type;
	enum mdev_start_mode start;
	const char *addattr; /* with value */
	const char *value;
	bool delattr;
	bool has_index;
	unsigned int index;
	const char *jsonfile;
	bool live;
	bool defined;
	bool force;
};
int mdev_modify(struct mdev_ctx *ctx, const struct mdev_modify_req *req);

struct mdev_start_req {
	const char *uuid; /* NULL: generate one */
	const char *parent;
	const char *type;
	const char *jsonfile;
	bool force;
};
int mdev_start(struct mdev_ctx *ctx, const struct mdev_start_req *req,
	       char ret_uuid[MDEV_UUID_LEN + 1]);
int mdev_stop(struct mdev_ctx *ctx, const char *uuid, bool force);

/* Start every "auto" definition of parent (boot time, udev). Failures are logged as
 * warnings and do not stop the others; the return is 0 unless the scan itself failed. */
int mdev_start_parent_devices(struct mdev_ctx *ctx, const char *parent);

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
const char *mdev_vgpu_framework_name(enum mdev_vgpu_framework fw);

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
void mdev_vgpu_list_clear(struct mdev_vgpu_list *list);

/* Every vGPU of every framework, active or defined (gpu NULL: all GPUs), sorted by GPU, then
 * VF number, then id. */
int mdev_vgpu_list(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_list *ret_list);

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
	struct mdev_vgpu_type *types; /* creatable now */
	size_t n_types;
	char *note; /* why the list is shorter than the GPU's full one, or NULL */
};

struct mdev_vgpu_gpu_list {
	struct mdev_vgpu_gpu *gpus;
	size_t n;
};
void mdev_vgpu_gpu_list_clear(struct mdev_vgpu_gpu_list *list);

/* GPUs of every framework (gpu NULL: all) and the types creatable on each now, sorted by
 * address. An unknown gpu lists nothing. */
int mdev_vgpu_types(struct mdev_ctx *ctx, const char *gpu, struct mdev_vgpu_gpu_list *ret_list);

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
int mdev_vgpu_create(struct mdev_ctx *ctx, const struct mdev_vgpu_create_req *req,
		     struct mdev_vgpu_list *ret_created);

/* Remove vGPUs by id (as mdev_vgpu_list gives them): stop what runs and drop the definition.
 * Xe VFs are disabled all at once, so every enabled VF of an Xe GPU must be among ids. Ids are
 * checked before anything changes. */
int mdev_vgpu_remove(struct mdev_ctx *ctx, const char *const *ids, size_t n_ids);

/* Boot: apply every "auto" SR-IOV definition (enable VFs, write types and profiles).
 * Failures are logged as warnings and do not stop the others; returns the number of failed
 * GPUs, or -errno if the definitions could not be read. mdev definitions are started by
 * mdevctl's own unit (start-parent-mdevs). */
int mdev_vgpu_start_defined(struct mdev_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
