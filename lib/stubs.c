/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Temporary stubs while the library is written. */
#include <errno.h>
#include <stdlib.h>
#include <mdev/mdev.h>

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_ctx_new(const char *root, struct mdev_ctx **ret_ctx)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
void mdev_ctx_free(struct mdev_ctx *ctx)
{
	
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
void mdev_ctx_set_log_fn(struct mdev_ctx *ctx, mdev_log_fn fn, void *userdata, enum mdev_log_level max_level)
{
	
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_ctx_get_root_fd(const struct mdev_ctx *ctx)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
void mdev_ctx_set_callout_timeout(struct mdev_ctx *ctx, unsigned int ms)
{
	
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
size_t mdev_ctx_error_cause_count(const struct mdev_ctx *ctx)
{
	return 0;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_ctx_check_dirs(struct mdev_ctx *ctx)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_uuid_parse(const char *s, char ret_uuid[MDEV_UUID_LEN + 1])
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_uuid_generate(char ret_uuid[MDEV_UUID_LEN + 1])
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
void mdev_device_clear(struct mdev_device *dev)
{
	
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
void mdev_device_list_clear(struct mdev_device_list *list)
{
	
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_device_add_attr(struct mdev_device *dev, size_t index, const char *name, const char *value)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_device_del_attr(struct mdev_device *dev, size_t index)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_list_active(struct mdev_ctx *ctx, const char *uuid, const char *parent, struct mdev_device_list *ret_list)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_list_defined(struct mdev_ctx *ctx, const char *uuid, const char *parent, struct mdev_device_list *ret_list)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_device_lookup_active(struct mdev_ctx *ctx, const char *uuid, char **ret_parent, char **ret_type)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_config_parse(struct mdev_ctx *ctx, const char *text, size_t len, struct mdev_device *dev)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_config_write(struct mdev_ctx *ctx, const struct mdev_device *dev)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_config_remove(struct mdev_ctx *ctx, const char *parent, const char *uuid)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_list_types(struct mdev_ctx *ctx, const char *parent, struct mdev_parent_list *ret_list)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
void mdev_parent_list_clear(struct mdev_parent_list *list)
{
	
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_define(struct mdev_ctx *ctx, const struct mdev_define_req *req, char ret_uuid[MDEV_UUID_LEN + 1])
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_undefine(struct mdev_ctx *ctx, const char *uuid, const char *parent, bool force)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_modify(struct mdev_ctx *ctx, const struct mdev_modify_req *req)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_start(struct mdev_ctx *ctx, const struct mdev_start_req *req, char ret_uuid[MDEV_UUID_LEN + 1])
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_stop(struct mdev_ctx *ctx, const char *uuid, bool force)
{
	return -ENOSYS;
}

#pragma GCC diagnostic ignored "-Wunused-parameter"
int mdev_start_parent_devices(struct mdev_ctx *ctx, const char *parent)
{
	return -ENOSYS;
}
