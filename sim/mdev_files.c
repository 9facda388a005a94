/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's mdev backend: what the mdev files show and what writing them does, with the uevents
 * udevd would pass on (mdev_fs.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "mdev_fs.h"

const struct power_file power_files[] = {
	{ "async", "disabled", 0644 },
	{ "autosuspend_delay_ms", NULL, 0644 },
	{ "control", "auto", 0644 },
	{ "runtime_active_kids", "0", 0444 },
	{ "runtime_active_time", "0", 0444 },
	{ "runtime_enabled", "disabled", 0444 },
	{ "runtime_status", "unsupported", 0444 },
	{ "runtime_suspended_time", "0", 0444 },
	{ "runtime_usage", "0", 0444 },
};
const size_t n_power_files = sizeof(power_files) / sizeof(power_files[0]);

/* Which files show something and which take writes: the kernel refuses the other direction
 * at open() with EACCES, whoever asks */
static bool can_read(const struct node *n)
{
	switch (n->file) {
	case F_CREATE:
	case F_REMOVE:
	case F_PROBE:
	case F_BUS_UEVENT:
	case F_BIND:
	case F_UNBIND:
	case F_NEW_ID:
	case F_REMOVE_ID:
	case F_DRV_UEVENT:
		return false;
	default:
		return true;
	}
}

static bool can_write(const struct node *n)
{
	switch (n->file) {
	case F_AVAIL:
	case F_API:
	case F_NAME:
	case F_DESC:
	case F_VENDOR:
	case F_DEVICE:
	case F_CLASS:
	case F_RESOURCE:
	case F_SUBVENDOR:
	case F_SUBDEVICE:
	case F_MODALIAS:
	case F_GROUP_NAME:
	case F_GROUP_RESV:
		return false;
	case F_POWER:
		return power_files[n->attr].mode & 0200;
	default:
		return true;
	}
}

static mode_t file_mode(const struct node *n)
{
	return (can_read(n) ? 0444 : 0) | (can_write(n) ? 0200 : 0);
}

static off_t file_size(const struct node *n)
{
	return n->file == F_CONFIG ? CONFIG_SIZE : 4096;
}

static int show(const struct node *n, char *out, size_t sz)
{
	const struct sim_parent *p = &mdev_host.parents[n->parent];
	switch (n->file) {
	case F_AVAIL:
		return snprintf(out, sz, "%d\n", sim_available(&mdev_host, (size_t)n->parent, (size_t)n->type));
	case F_API:
		return snprintf(out, sz, "%s\n", p->types[n->type].device_api);
	case F_NAME:
		return snprintf(out, sz, "%s\n", p->types[n->type].name);
	case F_DESC:
		return snprintf(out, sz, "%s\n", p->types[n->type].description);
	case F_UEVENT:
		return snprintf(out, sz, "DRIVER=%s\n", p->mdev_driver);
	case F_VUEVENT:
		return 0;
	case F_POWER:
		if (!power_files[n->attr].value)
			return -EIO;
		return snprintf(out, sz, "%s\n", power_files[n->attr].value);
	case F_GROUP_NAME:
		return snprintf(out, sz, "vfio-noiommu\n"); /* what 6.1 calls emulated groups too */
	case F_GROUP_TYPE:
		return snprintf(out, sz, n->dev >= 0 ? "unknown\n" : "DMA-FQ\n");
	case F_GROUP_RESV:
		/* the interrupt window VT-d reserves in every group; none for an emulated group */
		return n->dev >= 0 ? 0 : snprintf(out, sz, "0x00000000fee00000 0x00000000feefffff msi\n");
	case F_AUTOPROBE:
		return snprintf(out, sz, "%d\n", mdev_host.autoprobe);
	case F_BUSY:
		return snprintf(out, sz, "%d\n", mdev_host.devices[n->dev].busy);
	case F_ATTR:
		return snprintf(out, sz, "%s", mdev_host.devices[n->dev].values[n->attr]);
	default: {
		/* a PCI parent's, or else write-only, as in sysfs (open refuses first) */
		int r = pci_show(n, out, sz);
		return r == -ENOENT ? -EACCES : r;
	}
	}
}

static int store(const struct node *n, const char *buf, size_t size)
{
	switch (n->file) {
	case F_CREATE:
		return sim_create(&mdev_host, (size_t)n->parent, (size_t)n->type, buf, size);
	case F_REMOVE:
		return sim_remove(&mdev_host, (size_t)n->dev, buf, size);
	case F_BUSY:
		mdev_host.devices[n->dev].busy = size > 0 && buf[0] == '1';
		return 0;
	case F_UEVENT:
	case F_VUEVENT:
	case F_PUEVENT:
	case F_BUS_UEVENT:
	case F_DRV_UEVENT:
		/* a synthetic uevent: checked, and sent to no one */
		return sim_uevent_action(buf, size);
	case F_AUTOPROBE:
		mdev_host.autoprobe = buf[0] != '0';
		return 0;
	case F_PROBE: {
		/* every simulated device is bound already: probing one that exists does nothing */
		char name[40];
		size_t l = strnlen(buf, size);
		if (l && buf[l - 1] == '\n')
			l--;
		snprintf(name, sizeof(name), "%.*s", (int)(l < sizeof(name) ? l : 0), buf);
		return sim_find(&mdev_host, name) >= 0 ? 0 : -ENODEV;
	}
	case F_ATTR: {
		char *v = mdev_host.devices[n->dev].values[n->attr];
		size_t cap = sizeof(mdev_host.devices[n->dev].values[0]);
		if (size >= cap)
			return -EINVAL;
		memcpy(v, buf, size);
		v[size] = '\0';
		return 0;
	}
	case F_BIND:
	case F_UNBIND:
	case F_NEW_ID:
	case F_REMOVE_ID:
	case F_POWER:
	case F_GROUP_TYPE:
	case F_NUMA:
	case F_CONFIG:
		/* the kernel would act on these; the simulator keeps every device bound, powered
		 * and configured as it is, and says so rather than pretend */
		return -EOPNOTSUPP;
	default:
		return -EACCES;
	}
}

/* The event udevd would send for a device: its uevent file's properties (u, a uevent node)
 * after ACTION, DEVPATH, SUBSYSTEM and SEQNUM. False when it does not fit (then no event). */
static bool uevent_of(const struct node *u, const char *action, const char *devpath,
		      const char *subsystem, struct sim_uevent *ev)
{
	char text[1024];
	const char *extra[16];
	size_t n = 0;
	int len = show(u, text, sizeof(text));
	if (len < 0 || (size_t)len >= sizeof(text))
		return false;
	text[len] = '\0';
	char *save;
	for (char *line = strtok_r(text, "\n", &save); line && n + 1 < sizeof(extra) / sizeof(extra[0]);
	     line = strtok_r(NULL, "\n", &save))
		if (strchr(line, '='))
			extra[n++] = line;
	extra[n] = NULL;
	return sim_uevent_fill(ev, action, devpath, subsystem, extra) == 0;
}

/* ... of an mdev being added, removed, or given an action through its uevent file */
static bool device_event(const char *action, size_t di, struct sim_uevent *ev)
{
	const struct sim_device *d = &mdev_host.devices[di];
	struct node u = { .kind = K_FILE, .file = F_UEVENT, .parent = (int)d->parent,
			  .type = (int)d->type, .dev = (int)di, .attr = -1, .group = -1 };
	char devpath[256];
	snprintf(devpath, sizeof(devpath), "/devices/%s/%s", mdev_host.parents[d->parent].path, d->uuid);
	return uevent_of(&u, action, devpath, "mdev", ev);
}

/* ... of a PCI parent given an action through its uevent file (udevadm trigger) */
static bool parent_event(const char *action, int pi, struct sim_uevent *ev)
{
	struct node u = { .kind = K_FILE, .file = F_PUEVENT, .parent = pi, .type = -1, .dev = -1,
			  .attr = -1, .group = -1 };
	char devpath[256];
	snprintf(devpath, sizeof(devpath), "/devices/%s", mdev_host.parents[pi].path);
	return uevent_of(&u, action, devpath, "pci", ev);
}

/* A store, and the uevent it makes udevd send: a device added or removed, or one asked for
 * through a uevent file ("change", "add KEY=value"...: the kernel sends it, and udevd passes it
 * on) */
static int store_and_tell(const struct node *n, const char *buf, size_t size,
			  struct sim_uevent *ev, bool *notify)
{
	size_t before = mdev_host.n_devices;
	if (n->file == F_REMOVE)
		*notify = device_event("remove", (size_t)n->dev, ev);
	int r = store(n, buf, size);
	if (r == 0 && n->file == F_CREATE && mdev_host.n_devices > before)
		*notify = device_event("add", mdev_host.n_devices - 1, ev);
	*notify = *notify && r == 0 && mdev_host.n_devices != before;
	if (r == 0 && (n->file == F_UEVENT || n->file == F_PUEVENT)) {
		char action[16];
		size_t a = 0;
		while (a < size && a + 1 < sizeof(action) && buf[a] != ' ' && buf[a] != '\n' && buf[a])
			a++;
		snprintf(action, sizeof(action), "%.*s", (int)a, buf);
		*notify = n->file == F_UEVENT ? n->dev >= 0 && device_event(action, (size_t)n->dev, ev)
					      : parent_event(action, n->parent, ev);
	}
	return r;
}

const struct sim_backend sim_mdev_backend = {
	.resolve = mdev_resolve,
	.list = mdev_list,
	.show = show,
	.store = store_and_tell,
	.mode = file_mode,
	.size = file_size,
};
