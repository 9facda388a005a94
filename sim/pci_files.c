/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdev-sim's mdev backend: the files of a parent that is a PCI device (vendor, device, class,
 * resource, config, modalias, uevent, ... and its driver, subsystem and IOMMU group links). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "mdev_fs.h"

int pci_resolve(int pi, const char *r, struct node *n)
{
	const struct sim_parent *p = &mdev_host.parents[pi];
	static const char *const names[] = { "vendor", "device", "class", "resource",
					     "subsystem_vendor", "subsystem_device", "modalias",
					     "numa_node", "config", "uevent" };
	static const enum file_kind kinds[] = { F_VENDOR, F_DEVICE, F_CLASS, F_RESOURCE,
						F_SUBVENDOR, F_SUBDEVICE, F_MODALIAS, F_NUMA,
						F_CONFIG, F_PUEVENT };
	int i = sim_find_name(r, names, sizeof(names) / sizeof(names[0]));
	if (i >= 0)
		return sim_file(n, kinds[i]);
	if (!strcmp(r, "subsystem"))
		return sim_link_up(n, p->path, 0, "bus/pci");
	if (!strcmp(r, "driver") && p->driver[0])
		return sim_link_up(n, p->path, 0, "bus/pci/drivers/%s", p->driver);
	if (!strcmp(r, "iommu_group") && pi < mdev_host.iommu_groups)
		/* with an IOMMU, PCI parent i is alone in host group i */
		return sim_link_up(n, p->path, 0, "kernel/iommu_groups/%d", pi);
	return -ENOENT;
}

/* modalias, and uevent which ends with it */
static int show_modalias(const struct sim_parent *p, bool uevent, char *out, size_t sz)
{
	int len = 0;
	if (uevent) {
		if (p->driver[0])
			len = snprintf(out, sz, "DRIVER=%s\n", p->driver);
		len += snprintf(out + len, sz - (size_t)len,
				"PCI_CLASS=%X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=%04X:%04X\n"
				"PCI_SLOT_NAME=%s\nMODALIAS=", p->pci_class, p->pci_vendor,
				p->pci_device, p->pci_subvendor, p->pci_subdevice, p->name);
	}
	return len + snprintf(out + len, sz - (size_t)len,
			      "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n", p->pci_vendor,
			      p->pci_device, p->pci_subvendor, p->pci_subdevice, p->pci_class >> 16,
			      (p->pci_class >> 8) & 0xff, p->pci_class & 0xff);
}

static unsigned long long aperture(const struct sim_parent *p)
{
	return (unsigned long long)(p->aperture_mb ? p->aperture_mb : 256) << 20;
}

/* a type 0 header: the identity, memory and I/O decoding and bus mastering on, the BARs of
 * resource, no capability list */
static int show_config(const struct sim_parent *p, char *out, size_t sz)
{
	unsigned char c[CONFIG_SIZE] = { 0 };
	const unsigned bars[6] = { 0xf6000004, 0, (unsigned)(0xc0000000ULL & ~(aperture(p) - 1)) | 0xc,
				   0, 0xf001, 0 };
	const unsigned w16[][2] = { { 0x00, p->pci_vendor }, { 0x02, p->pci_device }, { 0x04, 0x0007 },
				    { 0x2c, p->pci_subvendor }, { 0x2e, p->pci_subdevice } };
	for (size_t i = 0; i < sizeof(w16) / sizeof(w16[0]); i++) {
		c[w16[i][0]] = (unsigned char)w16[i][1];
		c[w16[i][0] + 1] = (unsigned char)(w16[i][1] >> 8);
	}
	c[0x09] = (unsigned char)p->pci_class;
	c[0x0a] = (unsigned char)(p->pci_class >> 8);
	c[0x0b] = (unsigned char)(p->pci_class >> 16);
	for (int b = 0; b < 6; b++)
		for (int k = 0; k < 4; k++)
			c[0x10 + 4 * b + k] = (unsigned char)(bars[b] >> (8 * k));
	c[0x3d] = 1; /* INTA */
	if (sz < sizeof(c))
		return -EIO;
	memcpy(out, c, sizeof(c));
	return (int)sizeof(c);
}

/* start, end, flags of each region, as the kernel prints them: BAR0 16 MiB of MMIO, BAR2 the
 * aperture (prefetchable, 64-bit), BAR4 64 I/O ports, the rest unused */
static int show_resource(const struct sim_parent *p, char *out, size_t sz)
{
	const unsigned long long bars[13][3] = {
		[0] = { 0xf6000000ULL, 0xf6ffffffULL, 0x140204 },
		[2] = { 0xc0000000ULL, 0xc0000000ULL + aperture(p) - 1, 0x14220c },
		[4] = { 0xf000, 0xf03f, 0x40101 },
	};
	int len = 0;
	for (int i = 0; i < 13 && len < (int)sz; i++)
		len += snprintf(out + len, sz - (size_t)len, "0x%016llx 0x%016llx 0x%016llx\n",
				bars[i][0], bars[i][1], bars[i][2]);
	return len < (int)sz ? len : -EIO;
}

int pci_show(const struct node *n, char *out, size_t sz)
{
	const struct sim_parent *p = &mdev_host.parents[n->parent];
	switch (n->file) {
	case F_VENDOR:
		return snprintf(out, sz, "0x%04x\n", p->pci_vendor);
	case F_DEVICE:
		return snprintf(out, sz, "0x%04x\n", p->pci_device);
	case F_CLASS:
		return snprintf(out, sz, "0x030000\n"); /* VGA-compatible display controller */
	case F_SUBVENDOR:
		return snprintf(out, sz, "0x%04x\n", p->pci_subvendor);
	case F_SUBDEVICE:
		return snprintf(out, sz, "0x%04x\n", p->pci_subdevice);
	case F_NUMA:
		return snprintf(out, sz, "-1\n");
	case F_MODALIAS:
	case F_PUEVENT:
		return show_modalias(p, n->file == F_PUEVENT, out, sz);
	case F_CONFIG:
		return show_config(p, out, sz);
	case F_RESOURCE:
		return show_resource(p, out, sz);
	default:
		return -ENOENT;
	}
}
