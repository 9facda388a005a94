/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* An SR-IOV vGPU goes to a guest as a PCI host device, its VF. NVIDIA's vendor-specific VFIO
 * keeps the VF bound to nvidia, which registers it with VFIO itself, so libvirt must not rebind
 * it: managed='no' (NVIDIA's vGPU user guide; KubeVirt's PCI device plugin does the same). An Xe
 * VF is an ordinary VF for vfio-pci: managed='yes' lets libvirt bind it when the guest starts. */
#include <stdio.h>
#include <string.h>
#include "pci_hostdev.h"

static bool is_pci_addr(const char *s)
{
	unsigned d, b, sl, f;
	char extra;
	return strlen(s) == 12 && sscanf(s, "%4x:%2x:%2x.%1x%c", &d, &b, &sl, &f, &extra) == 4;
}

int vf_vgpu_lookup(struct mdev_ctx *ctx, const char *id, struct vf_vgpu *ret)
{
	if (!is_pci_addr(id))
		return 1;
	struct mdev_vgpu_list l = { 0 };
	if (mdev_vgpu_list(ctx, NULL, &l) < 0) {
		fprintf(stderr, "Error: %s\n", mdev_ctx_error_message(ctx));
		return -1;
	}
	int r = -1;
	bool found = false;
	for (size_t i = 0; i < l.n && !found; i++) {
		const struct mdev_vgpu *v = &l.vgpus[i];
		if (strcasecmp(v->id, id))
			continue;
		found = true;
		if (!v->active) {
			fprintf(stderr, "Error: VF %s of GPU %s holds no vGPU now (vgpuctl create or start-defined first)\n",
				v->id, v->gpu);
			break;
		}
		snprintf(ret->addr, sizeof(ret->addr), "%s", v->id);
		ret->managed = v->framework == MDEV_VGPU_FW_XE_SRIOV;
		if (!v->defined || !v->autostart)
			fprintf(stderr, "Warning: %s is %s: after a reboot it will not exist and the guest will not start; "
					"keep it with: vgpuctl create --gpu %s --type '%s' --auto (after removing it)\n",
				v->id, v->defined ? "defined with start manual" : "not defined", v->gpu,
				v->type ? v->type : "TYPE");
		r = 0;
	}
	if (!found)
		fprintf(stderr, "Error: no vGPU %s (see vgpuctl list)\n", id);
	mdev_vgpu_list_clear(&l);
	return r;
}

void add_pci_address(xmlNodePtr parent, const char *addr, bool pci_type)
{
	unsigned dom = 0, bus = 0, slot = 0, fn = 0;
	sscanf(addr, "%x:%x:%x.%x", &dom, &bus, &slot, &fn);
	char v[16];
	xmlNodePtr a = xmlNewChild(parent, NULL, BAD_CAST "address", NULL);
	if (pci_type)
		xmlNewProp(a, BAD_CAST "type", BAD_CAST "pci");
	snprintf(v, sizeof(v), "0x%04x", dom);
	xmlNewProp(a, BAD_CAST "domain", BAD_CAST v);
	snprintf(v, sizeof(v), "0x%02x", bus);
	xmlNewProp(a, BAD_CAST "bus", BAD_CAST v);
	snprintf(v, sizeof(v), "0x%02x", slot);
	xmlNewProp(a, BAD_CAST "slot", BAD_CAST v);
	snprintf(v, sizeof(v), "0x%x", fn);
	xmlNewProp(a, BAD_CAST "function", BAD_CAST v);
}

xmlNodePtr new_pci_hostdev(const struct vf_vgpu *vf, const char *guest_address)
{
	xmlNodePtr h = xmlNewNode(NULL, BAD_CAST "hostdev");
	xmlNewProp(h, BAD_CAST "mode", BAD_CAST "subsystem");
	xmlNewProp(h, BAD_CAST "type", BAD_CAST "pci");
	xmlNewProp(h, BAD_CAST "managed", BAD_CAST(vf->managed ? "yes" : "no"));
	xmlNodePtr src = xmlNewChild(h, NULL, BAD_CAST "source", NULL);
	add_pci_address(src, vf->addr, false);
	if (guest_address)
		add_pci_address(h, guest_address, true);
	return h;
}

bool has_pci_hostdev(xmlNodePtr devices, const char *addr)
{
	unsigned d0, b0, s0, f0;
	sscanf(addr, "%x:%x:%x.%x", &d0, &b0, &s0, &f0);
	for (xmlNodePtr h = devices->children; h; h = h->next) {
		if (h->type != XML_ELEMENT_NODE || xmlStrcmp(h->name, BAD_CAST "hostdev"))
			continue;
		xmlChar *type = xmlGetProp(h, BAD_CAST "type");
		bool pci = type && !xmlStrcmp(type, BAD_CAST "pci");
		xmlFree(type);
		if (!pci)
			continue;
		for (xmlNodePtr s = h->children; s; s = s->next) {
			if (s->type != XML_ELEMENT_NODE || xmlStrcmp(s->name, BAD_CAST "source"))
				continue;
			for (xmlNodePtr a = s->children; a; a = a->next) {
				if (a->type != XML_ELEMENT_NODE || xmlStrcmp(a->name, BAD_CAST "address"))
					continue;
				unsigned v[4] = { 0 };
				static const char *const k[] = { "domain", "bus", "slot", "function" };
				for (int i = 0; i < 4; i++) {
					xmlChar *p = xmlGetProp(a, BAD_CAST k[i]);
					v[i] = p ? (unsigned)strtoul((const char *)p, NULL, 0) : 0;
					xmlFree(p);
				}
				if (v[0] == d0 && v[1] == b0 && v[2] == s0 && v[3] == f0)
					return true;
			}
		}
	}
	return false;
}
