/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library's generic SR-IOV path (lib/sriov.c) on a PF that is not a GPU (issue 20): run in
 * the QEMU guest on a real kernel's NVMe PF and on mdev-sim with a profile shaped like it, and
 * prints one transcript line per operation; the host diffs the two transcripts. Links the
 * library's internal archive: sriov_list_pfs, sriov_pf_load and sriov_set_numvfs are not public.
 *
 * sriov-probe ROOT DRIVER N: the one PF bound to DRIVER under ROOT/sys/bus/pci/devices; enables
 * N VFs (N < sriov_totalvfs), tries the changes the kernel refuses, disables them. DRIVER is
 * printed as "DRV" so that a kernel's nvme and the simulator's xe read alike. Exit 0 when the
 * transcript was written (whether the kernel agreed is for the diff to say), 1 otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <mdev/mdev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vgpu.h"

static const char *drv;

static const char *errname(int e)
{
	switch (e) {
	case 0: return "ok";
	case EBUSY: return "EBUSY";
	case ERANGE: return "ERANGE";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EIO: return "EIO";
	default: return "other";
	}
}

/* s with every occurrence of the driver's name as DRV */
static void put_normalized(const char *s)
{
	size_t n = strlen(drv);
	while (*s) {
		if (!strncmp(s, drv, n)) {
			fputs("DRV", stdout);
			s += n;
		} else {
			putchar(*s++);
		}
	}
}

/* one sysfs entry as kind, mode and content: "file 0644 \"2\\n\"", "link ../x", "absent" */
static void show_entry(struct mdev_ctx *ctx, const char *pci, const char *name)
{
	char rel[160], buf[256];
	int root = mdev_ctx_get_root_fd(ctx);
	struct stat st;
	snprintf(rel, sizeof(rel), PCI_DEVICES "/%s/%s", pci, name);
	printf("%s: ", name);
	if (fstatat(root, rel, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		printf("absent (%s)\n", errname(errno));
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlinkat(root, rel, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		fputs("link ", stdout);
		put_normalized(buf);
		putchar('\n');
		return;
	}
	printf("%s %04o", S_ISREG(st.st_mode) ? "file" : "other", (unsigned)(st.st_mode & 07777));
	if (!(st.st_mode & 0444) || !S_ISREG(st.st_mode)) {
		putchar('\n');
		return;
	}
	int fd = openat(root, rel, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		printf(" unreadable (%s)\n", errname(errno));
		return;
	}
	buf[n] = '\0';
	fputs(" \"", stdout);
	for (ssize_t i = 0; i < n; i++)
		printf(buf[i] == '\n' ? "\\n" : "%c", buf[i]);
	puts("\"");
}

static void show_pf(struct mdev_ctx *ctx, const char *pf)
{
	struct sriov_pf p;
	int r = sriov_pf_load(ctx, pf, &p);
	if (r < 0) {
		printf("sriov_pf_load: %s: %s\n", errname(-r), mdev_ctx_error_message(ctx));
		return;
	}
	printf("sriov_pf_load: total=%u num=%u driver=", p.total, p.num);
	put_normalized(p.driver ? p.driver : "(none)");
	fputs(" vfs=", stdout);
	for (unsigned i = 0; i < p.total; i++)
		printf("%s%s", i ? "," : "", p.vfs[i] ? p.vfs[i] : "-");
	putchar('\n');
	for (unsigned i = 0; i < p.num && i < p.total; i++) {
		if (!p.vfs[i])
			continue;
		printf("VF %u ", i + 1);
		show_entry(ctx, p.vfs[i], "physfn");
		printf("VF %u ", i + 1);
		show_entry(ctx, p.vfs[i], "driver");
	}
	sriov_pf_clear(&p);
}

static void set(struct mdev_ctx *ctx, const char *pf, unsigned n)
{
	int r = sriov_set_numvfs(ctx, pf, n);
	printf("sriov_set_numvfs %u: %s", n, errname(-r));
	if (r < 0) {
		fputs(": ", stdout);
		put_normalized(mdev_ctx_error_message(ctx));
	}
	putchar('\n');
}

/* a store the library never makes, straight to the file: how the kernel parses it */
static void raw_store(struct mdev_ctx *ctx, const char *pf, const char *file, const char *text)
{
	char rel[160];
	snprintf(rel, sizeof(rel), PCI_DEVICES "/%s/%s", pf, file);
	int fd = openat(mdev_ctx_get_root_fd(ctx), rel, O_WRONLY | O_CLOEXEC);
	int e = 0;
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		e = errno;
	if (fd >= 0)
		close(fd);
	printf("write %s \"", file);
	for (const char *c = text; *c; c++)
		printf(*c == '\n' ? "\\n" : "%c", *c);
	printf("\": %s\n", errname(e));
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "Usage: sriov-probe ROOT DRIVER N\n");
		return 1;
	}
	drv = argv[2];
	unsigned n = (unsigned)strtoul(argv[3], NULL, 10);
	if (n < 2) {
		fprintf(stderr, "Error: N must be 2 or more\n");
		return 1;
	}
	struct mdev_ctx *ctx;
	if (mdev_ctx_new(argv[1], &ctx) < 0) {
		fprintf(stderr, "Error: cannot open %s\n", argv[1]);
		return 1;
	}
	char **pfs;
	size_t npfs;
	int r = sriov_list_pfs(ctx, drv, &pfs, &npfs);
	printf("sriov_list_pfs DRV: %s, %zu PF\n", errname(-r), r < 0 ? 0 : npfs);
	if (r < 0 || npfs != 1) {
		mdev_ctx_free(ctx);
		return 1;
	}
	const char *pf = pfs[0];
	printf("PF %s\n", pf);
	static const char *const pf_files[] = { "sriov_totalvfs", "sriov_numvfs", "sriov_offset",
						"sriov_stride", "sriov_vf_device",
						"sriov_drivers_autoprobe", "driver" };
	for (size_t i = 0; i < sizeof(pf_files) / sizeof(pf_files[0]); i++)
		show_entry(ctx, pf, pf_files[i]);
	show_pf(ctx, pf);

	/* the kernel's parsing of sriov_numvfs (kstrtou16, base 0) while no VF is enabled */
	static const char *const texts[] = { "abc", "-1", "65536", "0x0", "+0", "0\n", " 0", "0 ",
					     "0x", "08", "0\n\n", "+", "0X00" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		raw_store(ctx, pf, "sriov_numvfs", texts[i]);
	/* kstrtobool; left at 0: the VFs get no driver (an NVMe VF's controller is offline until
	 * `nvme virt-mgmt` gives it queues: nvme's probe fails, see sriov-guest.sh) */
	static const char *const bools[] = { "2", "x", "", "on", "No", "Y", "off\n" };
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		raw_store(ctx, pf, "sriov_drivers_autoprobe", bools[i]);
		show_entry(ctx, pf, "sriov_drivers_autoprobe");
	}

	set(ctx, pf, n);
	show_entry(ctx, pf, "sriov_numvfs");
	for (unsigned i = 0; i <= n; i++) {
		char name[32];
		snprintf(name, sizeof(name), "virtfn%u", i);
		show_entry(ctx, pf, name);
	}
	show_pf(ctx, pf);
	set(ctx, pf, n - 1);                    /* a non-zero count changes only through 0 */
	set(ctx, pf, 1000);                     /* above sriov_totalvfs */
	set(ctx, pf, n);                        /* the same count again */
	set(ctx, pf, 0);
	show_entry(ctx, pf, "sriov_numvfs");
	show_entry(ctx, pf, "virtfn0");
	show_pf(ctx, pf);
	strv_free(pfs, npfs);
	mdev_ctx_free(ctx);
	return 0;
}
