/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl libvirt: the graphics device a vGPU's display needs, and giving it to a domain.
 * A GVT-g vGPU hands QEMU its screen as a DMA-BUF, which QEMU shows only on an OpenGL display:
 * QEMU 7.2 refuses to start the guest otherwise ("vfio-display-dmabuf: opengl not available").
 * Two displays have OpenGL: SPICE with <gl enable='yes'/>, which QEMU allows only without a
 * port ("SPICE GL support is local-only"), so it gets <listen type='none'/> and is viewed with
 * virt-manager or virt-viewer on this host; and egl-headless, which renders the screen for a
 * VNC or network SPICE display beside it. Both need a DRM render node; libvirt picks the first
 * one when none is named, which on a host with two GPUs may not be the one the vGPU lives on,
 * so the parent GPU's own render node is named when its sysfs shows it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libvirt.h"

static const char WHY[] = "display='on' shows the vGPU's screen as a DMA-BUF, which QEMU shows only on an OpenGL display";

bool display_needs_gl(const char *parent_driver, const char *type_id, const char *type_name)
{
	/* NVIDIA's host driver binds the GPU as "nvidia"; its mdev types are "nvidia-N", named
	 * "GRID ..." or "NVIDIA ..." */
	if (parent_driver && !strcmp(parent_driver, "nvidia"))
		return false;
	if (type_id && !strncmp(type_id, "nvidia-", 7))
		return false;
	if (type_name && (!strncmp(type_name, "GRID ", 5) || !strncmp(type_name, "NVIDIA ", 7)))
		return false;
	return true;
}

/* The name of the driver bound to the parent (the last part of its driver link), "" if none. */
static void parent_driver(int rootfd, const char *parent, char *buf, size_t sz)
{
	char rel[PATH_MAX], target[PATH_MAX];
	buf[0] = '\0';
	snprintf(rel, sizeof(rel), "sys/class/mdev_bus/%s/driver", parent);
	ssize_t n = readlinkat(rootfd, rel, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	const char *s = strrchr(target, '/');
	s = s ? s + 1 : target;
	if (strlen(s) < sz)
		memcpy(buf, s, strlen(s) + 1);
}

/* The parent GPU's render node: the lowest renderDN in its sysfs drm directory, or -1. */
static long parent_render_minor(int rootfd, const char *parent)
{
	char rel[PATH_MAX];
	snprintf(rel, sizeof(rel), "sys/class/mdev_bus/%s/drm", parent);
	int fd = openat(rootfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	long best = -1;
	for (struct dirent *e; (e = readdir(d));) {
		const char *num = e->d_name + 7;
		size_t len = strlen(e->d_name) < 7 ? 0 : strlen(num);
		if (strncmp(e->d_name, "renderD", 7) || len == 0 || len > 6 || strspn(num, "0123456789") != len)
			continue;
		long v = strtol(num, NULL, 10);
		if (best < 0 || v < best)
			best = v;
	}
	closedir(d);
	return best;
}

int display_need_lookup(struct mdev_ctx *ctx, const char *parent, const char *type_id,
			const char *type_name, struct display_need *ret)
{
	char drv[256] = "";
	int rootfd = mdev_ctx_get_root_fd(ctx);
	if (parent)
		parent_driver(rootfd, parent, drv, sizeof(drv));
	ret->gl = display_needs_gl(drv[0] ? drv : NULL, type_id, type_name);
	ret->rendernode = NULL;
	long minor = ret->gl && parent ? parent_render_minor(rootfd, parent) : -1;
	if (minor >= 0) {
		char node[64];
		snprintf(node, sizeof(node), "/dev/dri/renderD%ld", minor);
		if (!(ret->rendernode = strdup(node)))
			return -ENOMEM;
	}
	return 0;
}

void display_need_clear(struct display_need *need)
{
	free(need->rendernode);
	need->rendernode = NULL;
}

/* --- reading the domain's graphics */

static bool prop_is(xmlNodePtr n, const char *name, const char *value)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	bool r = v && !xmlStrcmp(v, BAD_CAST value);
	xmlFree(v);
	return r;
}

static bool is_loopback(const char *a)
{
	return !strncmp(a, "127.", 4) || !strcmp(a, "::1") || !strcmp(a, "localhost");
}

/* Whether a SPICE display is reachable from this host only: listen type none or socket, an
 * address on the loopback, or no address at all (libvirt then uses qemu.conf's spice_listen,
 * 127.0.0.1 unless changed). where says what was found, for messages. */
static bool spice_is_local(xmlNodePtr g, char *where, size_t sz)
{
	xmlNodePtr l = xml_child(g, "listen");
	xmlChar *type = l ? xmlGetProp(l, BAD_CAST "type") : NULL;
	xmlChar *addr = l ? xmlGetProp(l, BAD_CAST "address") : xmlGetProp(g, BAD_CAST "listen");
	bool local;
	if (type && (!xmlStrcmp(type, BAD_CAST "none") || !xmlStrcmp(type, BAD_CAST "socket"))) {
		local = true;
		snprintf(where, sz, "listen type %s", (const char *)type);
	} else if (type && !xmlStrcmp(type, BAD_CAST "network")) {
		local = false;
		snprintf(where, sz, "a virtual network's address");
	} else if (addr && addr[0]) {
		local = is_loopback((const char *)addr);
		snprintf(where, sz, "%s", (const char *)addr);
	} else {
		local = true;
		snprintf(where, sz, "libvirt's default address (127.0.0.1 unless qemu.conf's spice_listen says otherwise)");
	}
	xmlFree(type);
	xmlFree(addr);
	return local;
}

static bool gl_enabled(xmlNodePtr g)
{
	xmlNodePtr gl = xml_child(g, "gl");
	return gl && prop_is(gl, "enable", "yes");
}

struct graphics_scan {
	xmlNodePtr first_spice, last; /* last: the last <graphics> element */
	int n;
	bool egl_headless, gl; /* an egl-headless display; a display with <gl enable='yes'/> */
};

static void scan_graphics(xmlNodePtr devices, struct graphics_scan *s)
{
	*s = (struct graphics_scan){ 0 };
	for (xmlNodePtr g = devices->children; g; g = g->next) {
		if (g->type != XML_ELEMENT_NODE || xmlStrcmp(g->name, BAD_CAST "graphics"))
			continue;
		s->n++;
		s->last = g;
		if (prop_is(g, "type", "spice") && !s->first_spice)
			s->first_spice = g;
		if (prop_is(g, "type", "egl-headless"))
			s->egl_headless = true;
		if (gl_enabled(g))
			s->gl = true;
	}
}

/* "VNC", "SPICE", ... for messages */
static void graphics_name(xmlNodePtr g, char *buf, size_t sz)
{
	xmlChar *t = xmlGetProp(g, BAD_CAST "type");
	snprintf(buf, sz, "%s", t ? (const char *)t : "?");
	for (char *p = buf; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	xmlFree(t);
}

/* --- changing it */

/* Append node to parent's children, indented one step deeper than parent. */
static void add_child(xmlNodePtr parent, xmlNodePtr node)
{
	char in[128], ws[160];
	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			xml_append_indented(parent, node, xml_indent_of(c, in, sizeof(in)));
			return;
		}
	/* no element inside yet (<graphics .../>): give it an indented body */
	for (xmlNodePtr c = parent->children, next; c; c = next) {
		next = c->next;
		if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
	xml_indent_of(parent, in, sizeof(in));
	snprintf(ws, sizeof(ws), "\n%s  ", in);
	xmlAddChild(parent, xmlNewText(BAD_CAST ws));
	xmlAddChild(parent, node);
	snprintf(ws, sizeof(ws), "\n%s", in);
	xmlAddChild(parent, xmlNewText(BAD_CAST ws));
}

/* Remove n and the whitespace that indents it. */
static void remove_node(xmlNodePtr n)
{
	if (n->prev && n->prev->type == XML_TEXT_NODE && xmlIsBlankNode(n->prev)) {
		xmlNodePtr ws = n->prev;
		xmlUnlinkNode(ws);
		xmlFreeNode(ws);
	}
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

/* Insert node (built, not yet indented inside) after ref, or at the end of devices. */
static void insert_device(xmlNodePtr devices, xmlNodePtr ref, xmlNodePtr node, const char *indent)
{
	xml_indent_tree(node, indent);
	if (!ref) {
		xml_append_indented(devices, node, indent);
		return;
	}
	char ws[160];
	snprintf(ws, sizeof(ws), "\n%s", indent);
	/* element first: libxml2 merges a text node into an adjacent text node */
	xmlAddNextSibling(ref, node);
	xmlAddPrevSibling(node, xmlNewText(BAD_CAST ws));
}

static void gl_text(const struct display_need *need, char *buf, size_t sz)
{
	if (need->rendernode)
		snprintf(buf, sz, "<gl enable='yes' rendernode='%s'/>", need->rendernode);
	else
		snprintf(buf, sz, "<gl enable='yes'/>");
}

static xmlNodePtr new_graphics(const char *type)
{
	xmlNodePtr g = xmlNewNode(NULL, BAD_CAST "graphics");
	xmlNewProp(g, BAD_CAST "type", BAD_CAST type);
	return g;
}

static void new_gl(xmlNodePtr g, const struct display_need *need, bool enable)
{
	xmlNodePtr gl = xmlNewChild(g, NULL, BAD_CAST "gl", NULL);
	if (enable)
		xmlNewProp(gl, BAD_CAST "enable", BAD_CAST "yes");
	if (need->rendernode)
		xmlNewProp(gl, BAD_CAST "rendernode", BAD_CAST need->rendernode);
}

static xmlNodePtr new_local_spice(const struct display_need *need)
{
	xmlNodePtr g = new_graphics("spice");
	xmlNodePtr l = xmlNewChild(g, NULL, BAD_CAST "listen", NULL);
	xmlNewProp(l, BAD_CAST "type", BAD_CAST "none");
	if (need->gl)
		new_gl(g, need, true);
	return g;
}

/* Make the SPICE display g local with OpenGL; say what changed, if anything. */
static void spice_make_local_gl(xmlNodePtr g, const struct display_need *need, const char *choice)
{
	char where[160], done[512] = "", gl[192];
	bool local = spice_is_local(g, where, sizeof(where));
	xmlNodePtr l = xml_child(g, "listen");
	if (!l || !(prop_is(l, "type", "none") || prop_is(l, "type", "socket"))) {
		/* SPICE with OpenGL takes no port: its address listens go */
		xmlUnsetProp(g, BAD_CAST "listen");
		for (xmlNodePtr c = g->children, next; c; c = next) {
			next = c->next;
			if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, BAD_CAST "listen"))
				remove_node(c);
		}
		l = xmlNewNode(NULL, BAD_CAST "listen");
		xmlNewProp(l, BAD_CAST "type", BAD_CAST "none");
		add_child(g, l);
		if (local)
			snprintf(done, sizeof(done), "<listen type='none'/>");
		else
			snprintf(done, sizeof(done), "<listen type='none'/> (it listened on %s, which the network reaches)", where);
	}
	xmlNodePtr glnode = xml_child(g, "gl");
	if (!glnode || !prop_is(glnode, "enable", "yes")) {
		if (!glnode) {
			glnode = xmlNewNode(NULL, BAD_CAST "gl");
			add_child(g, glnode);
		}
		xmlSetProp(glnode, BAD_CAST "enable", BAD_CAST "yes");
		if (need->rendernode && !xmlHasProp(glnode, BAD_CAST "rendernode"))
			xmlSetProp(glnode, BAD_CAST "rendernode", BAD_CAST need->rendernode);
		xmlChar *rn = xmlGetProp(glnode, BAD_CAST "rendernode");
		if (rn)
			snprintf(gl, sizeof(gl), "<gl enable='yes' rendernode='%s'/>", (const char *)rn);
		else
			snprintf(gl, sizeof(gl), "<gl enable='yes'/>");
		xmlFree(rn);
		size_t n = strlen(done);
		snprintf(done + n, sizeof(done) - n, "%s%s", n ? " and " : "", gl);
	}
	if (!done[0])
		return;
	fprintf(stderr, "Note: %s: the SPICE display now has %s (SPICE with OpenGL is local only: view it with "
			"virt-manager or virt-viewer on this host)\n", WHY, done);
	if (choice)
		fprintf(stderr, "Note: the display was chosen %s\n", choice);
}

/* QEMU has one OpenGL display ("multiple OpenGL displays are not supported by QEMU", says
 * libvirt): the egl-headless displays go when a SPICE display gets OpenGL (keep "egl"), the
 * SPICE displays' <gl enable='yes'/> when egl-headless comes (keep "spice"). */
static void drop_other_gl(xmlNodePtr devices, const char *keep)
{
	for (xmlNodePtr g = devices->children, next; g; g = next) {
		next = g->next;
		if (g->type != XML_ELEMENT_NODE || xmlStrcmp(g->name, BAD_CAST "graphics"))
			continue;
		if (!strcmp(keep, "spice") && prop_is(g, "type", "egl-headless")) {
			remove_node(g);
			fprintf(stderr, "Note: removed <graphics type='egl-headless'/>: QEMU has one OpenGL display, now the SPICE display\n");
		} else if (!strcmp(keep, "egl") && gl_enabled(g)) {
			char name[32];
			graphics_name(g, name, sizeof(name));
			remove_node(xml_child(g, "gl"));
			fprintf(stderr, "Note: removed <gl enable='yes'/> from the %s display: QEMU has one OpenGL display, now egl-headless\n", name);
		}
	}
}

/* egl-headless after ref (the last graphics device), and a VNC display first if there is none. */
static void add_egl_headless(xmlNodePtr devices, xmlNodePtr ref, const char *indent,
			     const struct display_need *need, const char *choice)
{
	char beside[32] = "VNC", gl[192] = "";
	const char *added_vnc = "";
	if (ref) {
		graphics_name(ref, beside, sizeof(beside));
	} else {
		xmlNodePtr vnc = new_graphics("vnc");
		xmlNewProp(vnc, BAD_CAST "port", BAD_CAST "-1");
		xmlNewProp(vnc, BAD_CAST "autoport", BAD_CAST "yes");
		insert_device(devices, NULL, vnc, indent);
		ref = vnc;
		added_vnc = "a VNC display (<graphics type='vnc' port='-1' autoport='yes'/>) and ";
	}
	xmlNodePtr egl = new_graphics("egl-headless");
	if (need->rendernode) {
		new_gl(egl, need, false);
		snprintf(gl, sizeof(gl), " with <gl rendernode='%s'/>", need->rendernode);
	}
	insert_device(devices, ref, egl, indent);
	fprintf(stderr, "Note: %s: added %s<graphics type='egl-headless'/>%s beside the %s display: it renders "
			"the vGPU's screen with OpenGL for it\n", WHY, added_vnc, gl, beside);
	if (choice)
		fprintf(stderr, "Note: the display was chosen %s\n", choice);
}

static void add_local_spice(xmlNodePtr devices, xmlNodePtr ref, const char *indent,
			    const struct display_need *need, const char *choice)
{
	char gl[192];
	gl_text(need, gl, sizeof(gl));
	insert_device(devices, ref, new_local_spice(need), indent);
	fprintf(stderr, "Note: %s: added a local SPICE display with <listen type='none'/> and %s (view it "
			"with virt-manager or virt-viewer on this host)\n", WHY, gl);
	if (choice)
		fprintf(stderr, "Note: the display was chosen %s\n", choice);
}

/* A vGPU whose display needs no OpenGL: libvirt still wants a graphics device for display='on'. */
static void patch_no_gl(xmlNodePtr devices, const char *indent, enum display_mode mode,
			const struct graphics_scan *s)
{
	if (s->n)
		return;
	const char *why = "display='on' needs a graphics device (libvirt refuses the vGPU without one; "
			  "this vGPU's display needs no OpenGL)";
	if (mode == DISPLAY_REMOTE) {
		xmlNodePtr vnc = new_graphics("vnc");
		xmlNewProp(vnc, BAD_CAST "port", BAD_CAST "-1");
		xmlNewProp(vnc, BAD_CAST "autoport", BAD_CAST "yes");
		insert_device(devices, NULL, vnc, indent);
		fprintf(stderr, "Note: %s: added a VNC display\n", why);
		return;
	}
	struct display_need none = { 0 };
	insert_device(devices, NULL, new_local_spice(&none), indent);
	fprintf(stderr, "Note: %s: added a local SPICE display with <listen type='none'/>\n", why);
}

void display_patch(xmlNodePtr devices, const char *indent, enum display_mode mode,
		   const struct display_need *need)
{
	struct graphics_scan s;
	scan_graphics(devices, &s);
	if (!need->gl) {
		patch_no_gl(devices, indent, mode, &s);
		return;
	}
	char where[160] = "", name[32] = "", choice[384];
	switch (mode) {
	case DISPLAY_LOCAL:
		if (s.first_spice)
			spice_make_local_gl(s.first_spice, need, NULL);
		else
			add_local_spice(devices, s.last, indent, need, NULL);
		drop_other_gl(devices, "spice");
		return;
	case DISPLAY_REMOTE:
		if (!s.egl_headless) {
			drop_other_gl(devices, "egl");
			scan_graphics(devices, &s);
			add_egl_headless(devices, s.last, indent, need, NULL);
		}
		return;
	case DISPLAY_OFF:
		return;
	case DISPLAY_AUTO:
		break;
	}
	if (s.egl_headless || s.gl)
		return; /* an OpenGL display is there already */
	if (!s.n) {
		add_local_spice(devices, NULL, indent, need,
				"local, as the domain had no graphics device; --display remote adds VNC with egl-headless instead");
	} else if (s.first_spice && spice_is_local(s.first_spice, where, sizeof(where))) {
		snprintf(choice, sizeof(choice),
			 "local, as the SPICE display listens on %s; --display remote keeps it as it is and adds egl-headless instead",
			 where);
		spice_make_local_gl(s.first_spice, need, choice);
	} else {
		if (s.first_spice) {
			spice_is_local(s.first_spice, where, sizeof(where));
			snprintf(choice, sizeof(choice), "remote, as the SPICE display listens on %s; --display local makes it local with OpenGL instead", where);
		} else {
			graphics_name(s.last, name, sizeof(name));
			snprintf(choice, sizeof(choice), "remote, as the domain's display is %s; --display local adds a local SPICE display with OpenGL instead", name);
		}
		add_egl_headless(devices, s.last, indent, need, choice);
	}
}

void display_hostdev_note(enum display_mode mode, const struct display_need *need)
{
	if (mode == DISPLAY_OFF)
		return;
	if (!need->gl) {
		fprintf(stderr, "Note: with display='on' the domain also needs a graphics device, SPICE or VNC (libvirt "
				"refuses the vGPU without one); this vGPU's display needs no OpenGL\n");
		return;
	}
	char gl[192], local[320], remote[320];
	gl_text(need, gl, sizeof(gl));
	snprintf(local, sizeof(local), "a local SPICE display: <graphics type='spice'> with <listen type='none'/> and %s", gl);
	if (need->rendernode)
		snprintf(remote, sizeof(remote),
			 "<graphics type='egl-headless'><gl rendernode='%s'/></graphics> beside its VNC or network SPICE display",
			 need->rendernode);
	else
		snprintf(remote, sizeof(remote), "<graphics type='egl-headless'/> beside its VNC or network SPICE display");
	fprintf(stderr, "Note: %s: the domain also needs %s%s%s (vgpuctl libvirt attach adds it)\n", WHY,
		mode == DISPLAY_REMOTE ? "" : local, mode == DISPLAY_AUTO ? ", or " : "",
		mode == DISPLAY_LOCAL ? "" : remote);
}
