/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's udev events (see udev_events.h). The message is the one udevd sends to libudev
 * monitors: a "libudev" header, then the device's properties as NUL-separated KEY=value
 * strings. libudev accepts it from any root sender on the udev multicast group. */
#include <endian.h>
#include <errno.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "udev_events.h"

#define UDEV_GROUP 2 /* the kernel's uevents are group 1, udevd's rebroadcasts group 2 */
#define UDEV_MAGIC 0xfeedcafeU

/* libudev's header, field for field; the magic and the hashes in network byte order */
struct udev_header {
	char prefix[8];
	uint32_t magic;
	uint32_t header_size;
	uint32_t properties_off;
	uint32_t properties_len;
	uint32_t subsystem_hash;
	uint32_t devtype_hash;
	uint32_t tag_bloom_hi;
	uint32_t tag_bloom_lo;
};

static int sock = -1;
static unsigned long long seqnum;

/* MurmurHash2 (32 bits, seed 0) of a string: libudev clients that filter by subsystem match
 * this hash in a socket filter, so it must be the same function udevd uses */
static uint32_t murmur2(const char *s)
{
	const uint32_t m = 0x5bd1e995;
	size_t len = strlen(s);
	uint32_t h = (uint32_t)len;
	const unsigned char *p = (const unsigned char *)s;
	for (; len >= 4; len -= 4, p += 4) {
		uint32_t k;
		memcpy(&k, p, 4);
		k *= m;
		k ^= k >> 24;
		k *= m;
		h = h * m ^ k;
	}
	switch (len) {
	case 3:
		h ^= (uint32_t)p[2] << 16;
		/* fall through */
	case 2:
		h ^= (uint32_t)p[1] << 8;
		/* fall through */
	case 1:
		h ^= p[0];
		h *= m;
	}
	h ^= h >> 13;
	h *= m;
	return h ^ (h >> 15);
}

/* A namespace made for the simulation has no network interface but lo. (PID 1's namespace
 * cannot be compared with ours without ptrace rights over PID 1, which root in a container
 * lacks.) */
static bool private_netns(void)
{
	struct if_nameindex *ifs = if_nameindex();
	if (!ifs)
		return false;
	bool only_lo = true;
	for (struct if_nameindex *i = ifs; i->if_index; i++)
		only_lo = only_lo && !strcmp(i->if_name, "lo");
	if_freenameindex(ifs);
	return only_lo;
}

int sim_udev_events_open(char *err, size_t errsz)
{
	if (!private_netns()) {
		snprintf(err, errsz, "--udev-events would tell this host's systemd and udevd about "
				     "simulated devices: run mdev-sim in a network namespace of its "
				     "own (unshare -n), where lo is the only interface");
		return -EPERM;
	}
	sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (sock < 0) {
		int e = errno;
		snprintf(err, errsz, "--udev-events: netlink socket: %s", strerror(e));
		return -e;
	}
	return 0;
}

static int put(struct sim_uevent *ev, const char *key, const char *value)
{
	int n = snprintf(ev->props + ev->len, sizeof(ev->props) - ev->len, "%s=%s", key, value);
	if (n < 0 || (size_t)n >= sizeof(ev->props) - ev->len)
		return -ENOSPC;
	ev->len += (size_t)n + 1; /* keep the NUL: it separates the properties */
	return 0;
}

int sim_uevent_fill(struct sim_uevent *ev, const char *action, const char *devpath,
		    const char *subsystem, const char *const *extra)
{
	char seq[24];
	ev->len = 0;
	snprintf(ev->subsystem, sizeof(ev->subsystem), "%s", subsystem);
	snprintf(seq, sizeof(seq), "%llu", ++seqnum); /* libudev drops events without one */
	int r = put(ev, "ACTION", action);
	if (!r)
		r = put(ev, "DEVPATH", devpath);
	if (!r)
		r = put(ev, "SUBSYSTEM", subsystem);
	if (!r)
		r = put(ev, "SEQNUM", seq);
	for (size_t i = 0; !r && extra && extra[i]; i++) {
		const char *eq = strchr(extra[i], '=');
		if (!eq)
			return -EINVAL;
		char key[64];
		snprintf(key, sizeof(key), "%.*s", (int)(eq - extra[i]), extra[i]);
		r = put(ev, key, eq + 1);
	}
	return r;
}

int sim_uevent_send(const struct sim_uevent *ev)
{
	if (sock < 0)
		return 0;
	struct udev_header h = {
		.prefix = "libudev",
		.magic = htobe32(UDEV_MAGIC),
		.header_size = sizeof(h),
		.properties_off = sizeof(h),
		.properties_len = (uint32_t)ev->len,
		.subsystem_hash = htobe32(murmur2(ev->subsystem)),
	};
	struct sockaddr_nl to = { .nl_family = AF_NETLINK, .nl_groups = UDEV_GROUP };
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)ev->props, ev->len } };
	struct msghdr msg = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = iov,
			      .msg_iovlen = 2 };
	/* ECONNREFUSED: nobody listens yet, which is not an error for a broadcast */
	if (sendmsg(sock, &msg, 0) < 0 && errno != ECONNREFUSED)
		return -errno;
	return 0;
}
