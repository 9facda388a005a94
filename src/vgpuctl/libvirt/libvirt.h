/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl libvirt, shared between its files: the XML helpers that keep a domain indented the way
 * libvirt writes it (libvirt.c), and the choice of the graphics a vGPU's display needs
 * (display.c). */
#ifndef VGPUCTL_LIBVIRT_H
#define VGPUCTL_LIBVIRT_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <mdev/mdev.h>

/* --- XML helpers (libvirt.c) */

/* The first element child of n named name, NULL if none (or n is NULL). */
xmlNodePtr xml_child(xmlNodePtr n, const char *name);
/* The indentation of n's line (the whitespace text before it), "" if none. */
const char *xml_indent_of(xmlNodePtr n, char *buf, size_t sz);
/* Insert node as the last element child of parent, indented like its siblings with indent. */
void xml_append_indented(xmlNodePtr parent, xmlNodePtr node, const char *indent);
/* Indent a freshly built element's children (libxml2 writes them on one line otherwise). */
void xml_indent_tree(xmlNodePtr n, const char *indent);

/* --- the display of a vGPU (display.c) */

/* --display: AUTO derives local or remote from the domain's graphics (display_patch). */
enum display_mode { DISPLAY_AUTO, DISPLAY_LOCAL, DISPLAY_REMOTE, DISPLAY_OFF };

/* What showing a vGPU's display (hostdev display='on') needs from the domain. */
struct display_need {
	bool gl;          /* the vGPU hands QEMU DMA-BUFs (GVT-g): only an OpenGL display shows them */
	char *rendernode; /* /dev/dri/renderDN of the parent GPU, NULL when it is not known */
};

/* Whether a vGPU's display needs OpenGL, from its parent's driver name and its type (id and
 * name; any may be NULL). NVIDIA's vGPUs (mdev types, and their SR-IOV VFs later) show a
 * display region that QEMU copies, with no OpenGL; Intel GVT-g's display is a DMA-BUF, which
 * QEMU refuses to show without OpenGL ("vfio-display-dmabuf: opengl not available"). */
bool display_needs_gl(const char *parent_driver, const char *type_id, const char *type_name);

/* Fill ret for the vGPU with this parent and type from the host (parent's driver link and drm
 * directory under the context's root). Returns 0, or -ENOMEM. */
int display_need_lookup(struct mdev_ctx *ctx, const char *parent, const char *type_id,
			const char *type_name, struct display_need *ret);
void display_need_clear(struct display_need *need);

/* Give the domain's <devices> what the vGPU's display needs (display='on'): a local SPICE
 * display with OpenGL, or egl-headless beside VNC or a remote SPICE display, or (no OpenGL
 * needed) any graphics device. Says on stderr what it changed and why; changes nothing when
 * the domain already has it. indent is the indentation of the device elements. */
void display_patch(xmlNodePtr devices, const char *indent, enum display_mode mode,
		   const struct display_need *need);

/* hostdev: say on stderr what a domain needs besides the element (display='on'). */
void display_hostdev_note(enum display_mode mode, const struct display_need *need);

#endif
