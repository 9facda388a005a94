/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The <hostdev type='pci'> of an SR-IOV vGPU (a VF), for vgpuctl libvirt (issue 20). */
#ifndef VGPUCTL_PCI_HOSTDEV_H
#define VGPUCTL_PCI_HOSTDEV_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <mdev/mdev.h>

struct vf_vgpu {
	char addr[16];  /* the VF's PCI address */
	bool managed;   /* libvirt binds it to vfio-pci (Xe); NVIDIA's VFs stay on nvidia: no */
};

/* id as vgpuctl list shows an SR-IOV vGPU (the VF's PCI address): 0 with *ret filled; 1 when id
 * is no PCI address (an mdev UUID then); -1 after printing an error. */
int vf_vgpu_lookup(struct mdev_ctx *ctx, const char *id, struct vf_vgpu *ret);
/* <hostdev mode='subsystem' type='pci' managed=...><source><address .../></source>[guest
 * address]</hostdev> */
xmlNodePtr new_pci_hostdev(const struct vf_vgpu *vf, const char *guest_address);
/* <address [type='pci'] domain='0x0000' bus='0x00' slot='0x00' function='0x0'/> under parent,
 * for a PCI address "DDDD:BB:SS.F" (a host VF, or the guest slot of any hostdev) */
void add_pci_address(xmlNodePtr parent, const char *addr, bool pci_type);
/* devices already hands this VF to the guest */
bool has_pci_hostdev(xmlNodePtr devices, const char *addr);

#endif
