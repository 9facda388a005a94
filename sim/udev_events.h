/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's udev events: what systemd-udevd broadcasts when the kernel adds or removes a
 * device, so libudev clients (libvirt's node-device driver) learn that a simulated vGPU
 * started or stopped. Only with --udev-events, and only in a network namespace of its own:
 * the messages go to every libudev listener of the namespace, and on a real host those are
 * systemd and udevd themselves. */
#ifndef MDEV_SIM_UDEV_EVENTS_H
#define MDEV_SIM_UDEV_EVENTS_H

#include <stddef.h>

/* One event: at most this many bytes of NUL-separated KEY=value properties. */
#define SIM_UEVENT_MAX 2048

struct sim_uevent {
	char props[SIM_UEVENT_MAX];
	size_t len;
	char subsystem[32];
};

/* Open the netlink socket; refuses (-EPERM, with a message in err) in a network namespace
 * with an interface other than lo. 0 or -errno. */
int sim_udev_events_open(char *err, size_t errsz);

/* Fill an event: action ("add", "remove"), devpath below /sys ("/devices/..."), subsystem,
 * and extra "KEY=value" properties (NULL-terminated, may be NULL). -ENOSPC if too long. */
int sim_uevent_fill(struct sim_uevent *ev, const char *action, const char *devpath,
		    const char *subsystem, const char *const *extra);

/* Broadcast it to the udev multicast group; a no-op when not opened. 0 or -errno. */
int sim_uevent_send(const struct sim_uevent *ev);

#endif
