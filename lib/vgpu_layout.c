/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* etc/vgpu.d/applied-layout: the layout vgpuctl apply last converged this host to, as
 * {"config": NAME, "file": PATH}, for node labels (vgpuctl nfd) and people. Written like the
 * definitions beside it (atomically, under the writer lock) and only when it changes, so that
 * an apply with nothing to do writes nothing. */
#include <errno.h>
#include <string.h>
#include "vgpu.h"

#define LAYOUT_REL VGPU_DIR "/" VGPU_LAYOUT_NAME
#define LAYOUT_FIELD_MAX 4096

int mdev_vgpu_layout_applied(struct mdev_ctx *ctx, char **ret_config, char **ret_file)
{
	_cleanup_free_ char *text = NULL;
	ssize_t len = root_read_file(ctx, LAYOUT_REL, &text);
	if (len < 0)
		return lib_error(ctx, (int)-len, "cannot read " LAYOUT_REL ": %s", strerror((int)-len));
	_cleanup_json_ struct json_object *o = NULL;
	int r = json_parse_text(ctx, text, (size_t)len, &o);
	if (r < 0)
		return lib_error_wrap(ctx, -r, LAYOUT_REL " is not valid JSON");
	struct json_object *c = NULL, *f = NULL;
	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "config", &c) || !json_object_is_type(c, json_type_string) ||
	    (json_object_object_get_ex(o, "file", &f) && !json_object_is_type(f, json_type_string)))
		return lib_error(ctx, EINVAL, LAYOUT_REL ": expected {\"config\": NAME, \"file\": PATH}");
	char *config = strdup(json_object_get_string(c));
	char *file = strdup(f ? json_object_get_string(f) : "");
	if (!config || !file) {
		free(config);
		free(file);
		return lib_error(ctx, ENOMEM, "out of memory");
	}
	if (ret_config)
		*ret_config = config;
	else
		free(config);
	if (ret_file)
		*ret_file = file;
	else
		free(file);
	return 0;
}

int mdev_vgpu_layout_record(struct mdev_ctx *ctx, const char *config, const char *file)
{
	if (!config || !*config || strlen(config) > LAYOUT_FIELD_MAX ||
	    (file && strlen(file) > LAYOUT_FIELD_MAX))
		return lib_error(ctx, EINVAL, "invalid layout name");
	_cleanup_json_ struct json_object *o = json_object_new_object();
	if (!o)
		return lib_error(ctx, ENOMEM, "out of memory");
	json_object_object_add(o, "config", json_object_new_string(config));
	json_object_object_add(o, "file", json_object_new_string(file ? file : ""));
	_cleanup_free_ char *pretty = json_format(o, true);
	_cleanup_free_ char *text = pretty ? xasprintf("%s\n", pretty) : NULL;
	if (!text)
		return lib_error(ctx, ENOMEM, "out of memory");
	_cleanup_unlock_ struct mdev_ctx *locked = NULL;
	int r = lib_lock(ctx, &locked);
	if (r < 0)
		return r;
	_cleanup_free_ char *old = NULL;
	if (root_read_file(ctx, LAYOUT_REL, &old) >= 0 && !strcmp(old, text))
		return 0;
	r = root_mkdir_p(ctx, VGPU_DIR, 0755);
	if (r >= 0)
		r = root_write_atomic(ctx, NULL, VGPU_DIR, VGPU_LAYOUT_NAME, text, strlen(text));
	if (r < 0)
		return lib_error(ctx, -r, "cannot write " LAYOUT_REL ": %s", strerror(-r));
	return 0;
}
