/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The commands' rules: define, undefine, modify, start, stop and autostart (C-39..C-55).
 * Writers hold the root's lock for the whole check-then-write sequence (C-76). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

static int oom(struct mdev_ctx *ctx)
{
	return lib_error(ctx, ENOMEM, "out of memory");
}

static int set_str(char **dst, const char *src)
{
	char *s = strdup(src);
	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

static int pick_uuid(struct mdev_ctx *ctx, const char *given, char out[MDEV_UUID_LEN + 1])
{
	if (!given)
		return mdev_uuid_generate(out) < 0 ? lib_error(ctx, EIO, "Unable to generate a UUID") : 0;
	if (mdev_uuid_parse(given, out) < 0)
		return lib_error(ctx, EINVAL, "Invalid UUID '%s'", given);
	return 0;
}

/* "Unable to read file <F>" when F cannot be opened (C-39, C-44). */
static int check_openable(struct mdev_ctx *ctx, const char *file)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	int err = errno;
	_cleanup_free_ char *p = path_debug(file);
	return lib_error_os(ctx, err, "Unable to read file %s", p ? p : file);
}

static int validate(struct mdev_ctx *ctx, const struct mdev_device *dev)
{
	int r = check_name(ctx, "parent device name", dev->parent);
	if (r == 0 && dev->type)
		r = check_name(ctx, "mdev type", dev->type);
	for (size_t i = 0; r == 0 && i < dev->n_attrs; i++)
		r = check_name(ctx, "attribute name", dev->attrs[i].name);
	return r;
}

/* ---------------------------------------------------------------- define */

static int define_op(struct mdev_ctx *ctx, struct mdev_device *dev, void *data)
{
	(void)data;
	if (dev->active) {
		/* C-41: a running device's attributes come from its callout */
		int r = callout_get_attributes(ctx, dev);
		if (r < 0)
			return r;
		r = validate(ctx, dev);
		if (r < 0)
			return r;
	}
	return mdev_config_write(ctx, dev);
}

static int define_prepare(struct mdev_ctx *ctx, const struct mdev_define_req *req,
			  struct mdev_device *dev)
{
	int r;
	if (req->jsonfile) {
		_cleanup_free_ char *p = path_debug(req->jsonfile);
		if ((r = check_openable(ctx, req->jsonfile)) < 0)
			return r;
		if (!req->parent)
			return lib_error(ctx, EINVAL, "Parent device required to define device via %s",
					 p ? p : req->jsonfile);
		if ((r = check_name(ctx, "parent device name", req->parent)) < 0)
			return r;
		_cleanup_list_ struct mdev_device_list existing = { 0 };
		r = list_defined_raw(ctx, dev->uuid, req->parent, true, &existing);
		if (r < 0)
			return r;
		if (existing.n)
			return lib_error(ctx, EEXIST,
					 "Cowardly refusing to overwrite existing config for %s/%s",
					 req->parent, dev->uuid);
		if (set_str(&dev->parent, req->parent) < 0)
			return oom(ctx);
		r = device_load_jsonfile(ctx, req->jsonfile, dev);
		return r < 0 ? r : validate(ctx, dev);
	}
	if (req->uuid) {
		r = sysfs_load_device(ctx, dev);
		if (r < 0)
			return r;
		if (!req->parent && (!dev->active || req->type))
			return lib_error(ctx, EINVAL, "No parent specified");
	}
	dev->autostart = req->autostart;
	if ((req->parent && set_str(&dev->parent, req->parent) < 0) ||
	    (req->type && set_str(&dev->type, req->type) < 0))
		return oom(ctx);
	if (!dev->parent)
		return lib_error(ctx, EINVAL, "No parent specified");
	if (!dev->type)
		return lib_error(ctx, EINVAL, "No type specified");
	if ((r = validate(ctx, dev)) < 0)
		return r;
	if (config_exists(ctx, dev->parent, dev->uuid))
		return lib_error(ctx, EEXIST, "Device %s on %s already defined", dev->uuid,
				 dev->parent);
	return 0;
}

int mdev_define(struct mdev_ctx *ctx, const struct mdev_define_req *req,
		char ret_uuid[MDEV_UUID_LEN + 1])
{
	op_begin(ctx);
	_cleanup_device_ struct mdev_device dev = { 0 };
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	int r = pick_uuid(ctx, req->uuid, dev.uuid);
	if (r < 0 || (r = lib_lock(ctx, &locked)) < 0)
		return r;
	r = define_prepare(ctx, req, &dev);
	if (r < 0)
		return r;
	r = callout_invoke(ctx, ACTION_DEFINE, &dev, req->force, define_op, NULL);
	if (r == 0 && ret_uuid)
		memcpy(ret_uuid, dev.uuid, sizeof(dev.uuid));
	return r;
}

/* ---------------------------------------------------------------- undefine */

static int undefine_op(struct mdev_ctx *ctx, struct mdev_device *dev, void *data)
{
	(void)data;
	return mdev_config_remove(ctx, dev->parent, dev->uuid);
}

/* A config too large to read (left by an older version or written by hand) has no type to
 * give the callouts: it is removed without them, with a warning. */
static int undefine_one(struct mdev_ctx *ctx, struct mdev_device *d, bool force)
{
	if (d->type)
		return callout_invoke(ctx, ACTION_UNDEFINE, d, force, undefine_op, NULL);
	lib_log(ctx, MDEV_LOG_WARN, "mdevctl",
		"The config of %s on parent %s is larger than %d bytes and cannot be read: removing it without running callouts",
		d->uuid, d->parent, FILE_MAX);
	return mdev_config_remove(ctx, d->parent, d->uuid);
}

int mdev_undefine(struct mdev_ctx *ctx, const char *uuid, const char *parent, bool force)
{
	op_begin(ctx);
	char u[MDEV_UUID_LEN + 1];
	_cleanup_list_ struct mdev_device_list devs = { 0 };
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	int r = pick_uuid(ctx, uuid, u);
	if (r < 0 || (r = lib_lock(ctx, &locked)) < 0)
		return r;
	r = list_defined_removable(ctx, u, parent, &devs);
	if (r < 0)
		return r;
	if (devs.n == 0)
		return lib_error(ctx, ENOENT, "No devices match the specified uuid");
	bool failed = false;
	for (size_t i = 0; i < devs.n; i++) {
		struct mdev_device *d = &devs.devices[i];
		if (undefine_one(ctx, d, force) == 0)
			continue;
		failed = true;
		lib_log(ctx, MDEV_LOG_WARN, "mdevctl", "Undefine of %s on parent %s failed with error: %s",
			d->uuid, d->parent, mdev_ctx_error_message(ctx));
		for (size_t c = 0; c < mdev_ctx_error_cause_count(ctx); c++)
			lib_log(ctx, MDEV_LOG_WARN, "mdevctl",
				"Undefine of %s on parent %s failed with error: %s", d->uuid, d->parent,
				mdev_ctx_error_cause(ctx, c));
	}
	return failed ? lib_error(ctx, EIO, "Undefine failed") : 0;
}

/* ---------------------------------------------------------------- modify */

/* The single definition of uuid (under parent if given), C-44's errors. */
static int get_defined(struct mdev_ctx *ctx, const char *uuid, const char *parent,
		       struct mdev_device *ret)
{
	_cleanup_list_ struct mdev_device_list devs = { 0 };
	int r = list_defined_raw(ctx, uuid, parent, true, &devs);
	if (r < 0)
		return r;
	if (devs.n == 0)
		return parent ? lib_error(ctx, ENOENT, "Mediated device %s/%s is not defined", parent, uuid)
			      : lib_error(ctx, ENOENT, "Mediated device %s is not defined", uuid);
	if (devs.n > 1)
		return parent ? lib_error(ctx, EEXIST, "Multiple definitions found for %s/%s", parent, uuid)
			      : lib_error(ctx, EEXIST,
					  "Multiple definitions found for %s, specify a parent", uuid);
	*ret = devs.devices[0];
	devs.n = 0;
	return 0;
}

static int get_active(struct mdev_ctx *ctx, const char *uuid, const char *parent,
		      struct mdev_device *ret)
{
	_cleanup_list_ struct mdev_device_list devs = { 0 };
	int r = mdev_list_active(ctx, uuid, parent, &devs);
	if (r < 0)
		return r;
	if (devs.n == 0)
		return parent ? lib_error(ctx, ENODEV, "Mediated device %s/%s is not active", parent, uuid)
			      : lib_error(ctx, ENODEV, "Mediated device %s is not active", uuid);
	*ret = devs.devices[0];
	devs.n = 0;
	return 0;
}

static int write_op(struct mdev_ctx *ctx, struct mdev_device *dev, void *data)
{
	(void)data;
	return mdev_config_write(ctx, dev);
}

/* A device from --jsonfile F for parent (C-44, C-48). */
static int from_jsonfile(struct mdev_ctx *ctx, const char *uuid, const char *parent,
			 const char *file, struct mdev_device *dev)
{
	int r = check_openable(ctx, file);
	if (r < 0)
		return r;
	memcpy(dev->uuid, uuid, sizeof(dev->uuid));
	if (set_str(&dev->parent, parent) < 0)
		return oom(ctx);
	r = device_load_jsonfile(ctx, file, dev);
	return r < 0 ? r : validate(ctx, dev);
}

static int attr_index_error(struct mdev_ctx *ctx, unsigned int index, const struct mdev_device *dev)
{
	if (!dev->n_attrs)
		return lib_error(ctx, EINVAL, "Attribute index %u is invalid\nDevice %s has no attributes",
				 index, dev->uuid);
	_cleanup_free_ char *hint = mdev_format_attrs(dev);
	return lib_error(ctx, EINVAL, "Attribute index %u is invalid\n%s", index, hint ? hint : "");
}

static int modify_live(struct mdev_ctx *ctx, const struct mdev_modify_req *req, const char *uuid)
{
	if (req->type)
		return lib_error(ctx, EINVAL, "'type' cannot be changed on active mdev");
	if (req->start == MDEV_START_AUTO)
		return lib_error(ctx, EINVAL, "'auto' cannot be changed on active mdev");
	if (req->start == MDEV_START_MANUAL)
		return lib_error(ctx, EINVAL, "'manual' cannot be changed on active mdev");
	_cleanup_device_ struct mdev_device act = { 0 }, dev = { 0 }, def = { 0 };
	int r = get_active(ctx, uuid, req->parent, &act);
	if (r < 0)
		return r;
	if (!req->jsonfile)
		return lib_error(ctx, EINVAL, "'live' option must be used with 'jsonfile' option");
	r = from_jsonfile(ctx, uuid, act.parent, req->jsonfile, &dev);
	if (r < 0)
		return r;
	if (strcmp(dev.type, act.type))
		return lib_error(ctx, EINVAL, "'type' cannot be changed on active mdev");
	dev.active = true;
	if (req->defined) {
		r = get_defined(ctx, uuid, dev.parent, &def);
		if (r < 0)
			return r;
		if (strcmp(def.type, dev.type))
			return lib_error(ctx, EINVAL, "'type' of active and defined mdev does not match");
	}
	r = callout_live(ctx, &dev);
	if (r < 0 || !req->defined)
		return r;
	return callout_invoke(ctx, ACTION_MODIFY, &dev, req->force, write_op, NULL);
}

int mdev_modify(struct mdev_ctx *ctx, const struct mdev_modify_req *req)
{
	op_begin(ctx);
	char uuid[MDEV_UUID_LEN + 1];
	_cleanup_device_ struct mdev_device dev = { 0 };
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	int r = pick_uuid(ctx, req->uuid, uuid);
	if (r < 0 || (r = lib_lock(ctx, &locked)) < 0)
		return r;
	if (req->live)
		return modify_live(ctx, req, uuid);
	if (req->jsonfile) {
		if (!req->parent)
			return lib_error(ctx, EINVAL, "Parent device required to modify device via json file");
		if ((r = check_name(ctx, "parent device name", req->parent)) < 0)
			return r;
		r = from_jsonfile(ctx, uuid, req->parent, req->jsonfile, &dev);
		if (r < 0)
			return r;
	} else {
		r = get_defined(ctx, uuid, req->parent, &dev);
		if (r < 0)
			return r;
		if (req->type) {
			if ((r = check_name(ctx, "mdev type", req->type)) < 0)
				return r;
			if (set_str(&dev.type, req->type) < 0)
				return oom(ctx);
		}
		if (req->start != MDEV_START_KEEP)
			dev.autostart = req->start == MDEV_START_AUTO;
	}
	if (req->addattr) {
		if (!req->value)
			return lib_error(ctx, EINVAL, "No attribute value provided");
		if ((r = check_name(ctx, "attribute name", req->addattr)) < 0)
			return r;
		size_t at = req->has_index ? req->index : dev.n_attrs;
		if (req->has_index && req->index > dev.n_attrs)
			return attr_index_error(ctx, req->index, &dev);
		if (mdev_device_add_attr(&dev, at, req->addattr, req->value) < 0)
			return oom(ctx);
	} else if (req->delattr) {
		if (req->has_index && req->index >= dev.n_attrs)
			return attr_index_error(ctx, req->index, &dev);
		if (dev.n_attrs) /* no index: the last one, if any (C-45) */
			mdev_device_del_attr(&dev, req->has_index ? req->index : dev.n_attrs - 1);
	}
	return callout_invoke(ctx, ACTION_MODIFY, &dev, req->force, write_op, NULL);
}

/* ---------------------------------------------------------------- start / stop */

static int start_op(struct mdev_ctx *ctx, struct mdev_device *dev, void *data)
{
	(void)data;
	return sysfs_create_device(ctx, dev);
}

static int start_prepare(struct mdev_ctx *ctx, const struct mdev_start_req *req,
			 struct mdev_device *dev)
{
	int r;
	if (req->jsonfile) {
		_cleanup_device_ struct mdev_device tmp = { 0 };
		r = device_load_jsonfile(ctx, req->jsonfile, &tmp);
		if (r < 0)
			return r;
		if (!req->parent)
			return lib_error(ctx, EINVAL, "Parent device required to start device via json file");
		dev->type = TAKE_PTR(tmp.type);
		dev->attrs = TAKE_PTR(tmp.attrs);
		dev->n_attrs = tmp.n_attrs;
		tmp.n_attrs = 0;
		if (set_str(&dev->parent, req->parent) < 0)
			return oom(ctx);
		/* the file's start member is required but not used (C-29) */
		dev->autostart = false;
		return validate(ctx, dev);
	}
	if (req->uuid) {
		_cleanup_list_ struct mdev_device_list devs = { 0 };
		r = list_defined_raw(ctx, dev->uuid, req->parent, true, &devs);
		if (r < 0)
			return r;
		if (devs.n > 1)
			return lib_error(ctx, EEXIST,
					 "Multiple definitions found for device %s. Please specify a parent.",
					 dev->uuid);
		if (devs.n == 1) {
			struct mdev_device *d = &devs.devices[0];
			if (req->type && strcmp(req->type, d->type))
				return lib_error(ctx, EEXIST,
						 "Device %s already exists on parent %s with type %s",
						 d->uuid, d->parent, d->type);
			*dev = *d;
			devs.n = 0;
			dev->active = false;
			return validate(ctx, dev);
		}
	}
	if ((req->parent && set_str(&dev->parent, req->parent) < 0) ||
	    (req->type && set_str(&dev->type, req->type) < 0))
		return oom(ctx);
	if (dev->type && !dev->parent)
		return lib_error(ctx, EINVAL, "can't provide type without parent");
	if (!dev->type || !dev->parent)
		return lib_error(ctx, EINVAL, "Device is insufficiently specified");
	return validate(ctx, dev);
}

int mdev_start(struct mdev_ctx *ctx, const struct mdev_start_req *req,
	       char ret_uuid[MDEV_UUID_LEN + 1])
{
	op_begin(ctx);
	_cleanup_device_ struct mdev_device dev = { 0 };
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	char uuid[MDEV_UUID_LEN + 1];
	int r = pick_uuid(ctx, req->uuid, uuid);
	if (r < 0 || (r = lib_lock(ctx, &locked)) < 0)
		return r;
	memcpy(dev.uuid, uuid, sizeof(uuid));
	r = start_prepare(ctx, req, &dev);
	if (r < 0)
		return r;
	memcpy(dev.uuid, uuid, sizeof(uuid));
	r = callout_invoke(ctx, ACTION_START, &dev, req->force, start_op, NULL);
	if (r == 0 && ret_uuid)
		memcpy(ret_uuid, uuid, sizeof(uuid));
	return r;
}

static int stop_op(struct mdev_ctx *ctx, struct mdev_device *dev, void *data)
{
	(void)data;
	int r = sysfs_remove_device(ctx, dev->uuid);
	if (r == 0)
		dev->active = false;
	return r;
}

int mdev_stop(struct mdev_ctx *ctx, const char *uuid, bool force)
{
	op_begin(ctx);
	_cleanup_device_ struct mdev_device dev = { 0 };
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	int r = pick_uuid(ctx, uuid, dev.uuid);
	if (r < 0 || (r = lib_lock(ctx, &locked)) < 0)
		return r;
	r = sysfs_load_device(ctx, &dev);
	if (r < 0)
		return r;
	/* the config is not consulted (C-54); a device that does not run has no type, and the
	 * callout layer refuses it (C-56) */
	return callout_invoke(ctx, ACTION_STOP, &dev, force, stop_op, NULL);
}

int mdev_start_parent_devices(struct mdev_ctx *ctx, const char *parent)
{
	op_begin(ctx);
	_cleanup_list_ struct mdev_device_list devs = { 0 };
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	int r = lib_lock(ctx, &locked);
	if (r < 0)
		return r;
	/* a bad config is skipped with a warning instead of stopping every other (C-70);
	 * devices start in UUID order, not directory order (C-85) */
	r = list_defined_raw(ctx, NULL, parent, false, &devs);
	if (r < 0)
		return r;
	for (size_t i = 0; i < devs.n; i++) {
		struct mdev_device *d = &devs.devices[i];
		if (!d->autostart)
			continue;
		if (validate(ctx, d) == 0 &&
		    callout_invoke(ctx, ACTION_START, d, false, start_op, NULL) == 0)
			continue;
		log_warn(ctx, "%s", mdev_ctx_error_message(ctx));
		for (size_t c = 0; c < mdev_ctx_error_cause_count(ctx); c++)
			log_warn(ctx, "%s", mdev_ctx_error_cause(ctx, c));
		lib_error_clear(ctx);
	}
	return 0;
}
