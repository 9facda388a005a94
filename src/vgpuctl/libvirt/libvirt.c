/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl libvirt: the <hostdev> that hands a vGPU to a libvirt guest, and a domain patched to
 * use it the way the seed says (display and ramfb on, the emulated video card set to none, a
 * graphics device that can show the vGPU's display: display.c). XML through libxml2. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>
#include "libvirt.h"
#include "vgpuctl.h"
#include "pci_hostdev.h"

struct opts {
	const char *uuid;
	bool display, ramfb;
	bool display_set, ramfb_set; /* given on the command line */
	enum display_mode mode;
	const char *address; /* guest PCI address DDDD:BB:SS.F */
	const char *input, *output;
	bool in_place;
	const struct vf_vgpu *vf; /* an SR-IOV vGPU (pci_hostdev.c) instead of uuid */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vgpuctl libvirt hostdev UUID [--display local|remote|on|off] [--ramfb on|off] [--address DDDD:BB:SS.F]\n"
		"       vgpuctl libvirt attach UUID [DOMAIN.xml|-] [--output FILE | --in-place] [hostdev options]\n\n"
		"hostdev prints the <hostdev> element of the vGPU UUID (which must run or be defined) and\n"
		"says on standard error what else the domain needs for its display.\n"
		"attach reads a domain (a file, or standard input: virsh dumpxml NAME | vgpuctl libvirt\n"
		"attach UUID) and writes it with the vGPU added, the emulated video set to none and a\n"
		"graphics device that can show the vGPU: a GVT-g vGPU's display needs OpenGL, which is\n"
		"a local SPICE display with <gl enable='yes'/> (--display local) or egl-headless beside\n"
		"VNC or a network SPICE display (--display remote); without --display the domain's own\n"
		"graphics decide (none, or SPICE listening on this host only: local; else remote).\n"
		"--display off writes display='off' and ramfb='off' and keeps the video and graphics.\n"
		"Running attach twice changes nothing the second time.\n"
		"For an SR-IOV vGPU give its VF's PCI address (vgpuctl list) instead of UUID: a\n"
		"<hostdev type='pci'> (managed='no' for NVIDIA, 'yes' for Xe); the video is left as it is.\n");
}

static int parse_onoff(const char *v, bool *ret)
{
	if (!strcmp(v, "on") || !strcmp(v, "yes"))
		*ret = true;
	else if (!strcmp(v, "off") || !strcmp(v, "no"))
		*ret = false;
	else
		return -EINVAL;
	return 0;
}

/* --display: on (derive it from the domain), local, remote or off */
static int parse_display(const char *v, struct opts *o)
{
	bool on;
	if (!strcmp(v, "local"))
		o->mode = DISPLAY_LOCAL;
	else if (!strcmp(v, "remote"))
		o->mode = DISPLAY_REMOTE;
	else if (parse_onoff(v, &on) == 0)
		o->mode = on ? DISPLAY_AUTO : DISPLAY_OFF;
	else
		return -EINVAL;
	o->display = o->mode != DISPLAY_OFF;
	o->display_set = true;
	return 0;
}

/* The vGPU as the host knows it: enough to write its hostdev and choose its display. */
struct vgpu {
	char *model;     /* the type's device API: vfio-pci, vfio-ccw, vfio-ap */
	char *parent;    /* NULL if unknown */
	char *type;      /* NULL if unknown */
	char *type_name; /* NULL if the type has none */
};

static void vgpu_clear(struct vgpu *v)
{
	free(v->model);
	free(v->parent);
	free(v->type);
	free(v->type_name);
}

static char *strdup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The vGPU's model, parent and type from the device's state, and a readiness note; -1 if it is
 * unknown here. */
static int lookup(struct mdev_ctx *ctx, const char *uuid, struct vgpu *ret)
{
	struct mdev_device_list active = { 0 }, defined = { 0 };
	if (mdev_list_active(ctx, uuid, NULL, &active) < 0 || mdev_list_defined(ctx, uuid, NULL, &defined) < 0) {
		fprintf(stderr, "Error: %s\n", mdev_ctx_error_message(ctx));
		mdev_device_list_clear(&active);
		return -1;
	}
	const struct mdev_device *d = active.n ? &active.devices[0] : defined.n ? &defined.devices[0] : NULL;
	int r = 0;
	if (!d) {
		fprintf(stderr, "Error: mediated device %s neither runs nor is defined (see mdevctl list -d)\n", uuid);
		r = -1;
	} else {
		/* the model follows the type's device API */
		struct mdev_parent_list types = { 0 };
		const char *api = "vfio-pci", *name = NULL;
		if (mdev_list_types(ctx, d->parent, &types) == 0)
			for (size_t p = 0; p < types.n; p++)
				for (size_t t = 0; t < types.parents[p].n_types; t++)
					if (!strcmp(types.parents[p].types[t].id, d->type)) {
						api = types.parents[p].types[t].device_api;
						name = types.parents[p].types[t].name;
					}
		ret->model = strdup(api);
		ret->parent = strdup_or_null(d->parent);
		ret->type = strdup_or_null(d->type);
		ret->type_name = strdup_or_null(name);
		mdev_parent_list_clear(&types);
		if (!ret->model || (d->parent && !ret->parent) || (d->type && !ret->type) || (name && !ret->type_name)) {
			fprintf(stderr, "Error: %s\n", strerror(ENOMEM));
			r = -1;
		}
		bool auto_defined = false;
		for (size_t i = 0; i < defined.n; i++)
			auto_defined |= defined.devices[i].autostart;
		if (r < 0)
			;
		else if (!defined.n)
			fprintf(stderr, "Warning: %s is not defined: it will be gone after a reboot and the guest will not start; "
					"keep it with: mdevctl define -u %s --auto\n", uuid, uuid);
		else if (!auto_defined)
			fprintf(stderr, "Warning: %s is defined with start manual: after a reboot it will not exist and the guest "
					"will not start; fix: mdevctl modify -u %s --auto\n", uuid, uuid);
	}
	mdev_device_list_clear(&active);
	mdev_device_list_clear(&defined);
	return r;
}

static xmlNodePtr new_hostdev(const struct opts *o, const char *model)
{
	xmlNodePtr h = xmlNewNode(NULL, BAD_CAST "hostdev");
	xmlNewProp(h, BAD_CAST "mode", BAD_CAST "subsystem");
	xmlNewProp(h, BAD_CAST "type", BAD_CAST "mdev");
	xmlNewProp(h, BAD_CAST "managed", BAD_CAST "no");
	xmlNewProp(h, BAD_CAST "model", BAD_CAST model);
	if (!strcmp(model, "vfio-pci")) {
		xmlNewProp(h, BAD_CAST "display", BAD_CAST(o->display ? "on" : "off"));
		xmlNewProp(h, BAD_CAST "ramfb", BAD_CAST(o->ramfb ? "on" : "off"));
	}
	xmlNodePtr src = xmlNewChild(h, NULL, BAD_CAST "source", NULL);
	xmlNodePtr a = xmlNewChild(src, NULL, BAD_CAST "address", NULL);
	xmlNewProp(a, BAD_CAST "uuid", BAD_CAST o->uuid);
	if (o->address)
		add_pci_address(h, o->address, true);
	return h;
}

xmlNodePtr xml_child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, BAD_CAST name))
			return c;
	return NULL;
}

/* The indentation of n's line (the whitespace text before it), "" if none. */
const char *xml_indent_of(xmlNodePtr n, char *buf, size_t sz)
{
	buf[0] = '\0';
	if (n && n->prev && n->prev->type == XML_TEXT_NODE && n->prev->content) {
		const char *t = (const char *)n->prev->content, *nl = strrchr(t, '\n');
		snprintf(buf, sz, "%s", nl ? nl + 1 : t);
	}
	return buf;
}

/* Insert node as the last element child of parent, indented like its siblings. */
void xml_append_indented(xmlNodePtr parent, xmlNodePtr node, const char *indent)
{
	xmlNodePtr last = parent->last;
	char pre[128];
	snprintf(pre, sizeof(pre), "\n%s", indent);
	if (last && last->type == XML_TEXT_NODE && xmlIsBlankNode(last)) {
		/* keep the closing tag's indentation after the new element */
		xmlNodePtr ws = xmlNewText(last->content);
		xmlNodeSetContent(last, BAD_CAST pre);
		xmlAddChild(parent, node);
		xmlAddChild(parent, ws);
	} else {
		xmlAddChild(parent, xmlNewText(BAD_CAST pre));
		xmlAddChild(parent, node);
	}
}

/* Indent a freshly built element's children (libxml2 writes them on one line otherwise). */
void xml_indent_tree(xmlNodePtr n, const char *indent)
{
	char inner[128];
	snprintf(inner, sizeof(inner), "%s  ", indent);
	xmlNodePtr c = n->children;
	if (!c)
		return;
	while (c) {
		xmlNodePtr next = c->next;
		if (c->type == XML_ELEMENT_NODE) {
			char pre[160];
			snprintf(pre, sizeof(pre), "\n%s", inner);
			xmlAddPrevSibling(c, xmlNewText(BAD_CAST pre));
			xml_indent_tree(c, inner);
		}
		c = next;
	}
	char post[160];
	snprintf(post, sizeof(post), "\n%s", indent);
	xmlAddChild(n, xmlNewText(BAD_CAST post));
}

/* The domain's hostdev of the mdev uuid, NULL if it has none. */
static xmlNodePtr find_mdev(xmlNodePtr devices, const char *uuid)
{
	for (xmlNodePtr h = devices->children; h; h = h->next) {
		if (h->type != XML_ELEMENT_NODE || xmlStrcmp(h->name, BAD_CAST "hostdev"))
			continue;
		xmlNodePtr a = xml_child(xml_child(h, "source"), "address");
		xmlChar *u = a ? xmlGetProp(a, BAD_CAST "uuid") : NULL;
		bool same = u && !strcasecmp((const char *)u, uuid);
		xmlFree(u);
		if (same)
			return h;
	}
	return NULL;
}

/* One <video> with <model type='none'/>: the vGPU is the guest's only display. */
static void video_none(xmlNodePtr devices, const char *indent)
{
	xmlNodePtr keep = NULL;
	for (xmlNodePtr v = devices->children, next; v; v = next) {
		next = v->next;
		if (v->type != XML_ELEMENT_NODE || xmlStrcmp(v->name, BAD_CAST "video"))
			continue;
		if (!keep) {
			keep = v;
			continue;
		}
		/* a second video card: drop it and the whitespace before it */
		if (v->prev && v->prev->type == XML_TEXT_NODE && xmlIsBlankNode(v->prev)) {
			xmlNodePtr ws = v->prev;
			xmlUnlinkNode(ws);
			xmlFreeNode(ws);
		}
		xmlUnlinkNode(v);
		xmlFreeNode(v);
	}
	if (!keep) {
		keep = xmlNewNode(NULL, BAD_CAST "video");
		xmlNodePtr m = xmlNewChild(keep, NULL, BAD_CAST "model", NULL);
		xmlNewProp(m, BAD_CAST "type", BAD_CAST "none");
		xml_indent_tree(keep, indent);
		xml_append_indented(devices, keep, indent);
		return;
	}
	xmlNodePtr m = xml_child(keep, "model");
	xmlChar *t = m ? xmlGetProp(m, BAD_CAST "type") : NULL;
	bool none = t && !xmlStrcmp(t, BAD_CAST "none");
	xmlFree(t);
	if (none)
		return;
	/* a video of type none has no other settings, driver or address */
	for (xmlNodePtr c = keep->children, next; c; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	m = xmlNewNode(NULL, BAD_CAST "model");
	xmlNewProp(m, BAD_CAST "type", BAD_CAST "none");
	xmlAddChild(keep, m);
	char in[128];
	xml_indent_of(keep, in, sizeof(in));
	xmlNodePtr first = keep->children;
	char pre[160], post[160];
	snprintf(pre, sizeof(pre), "\n%s  ", in);
	snprintf(post, sizeof(post), "\n%s", in);
	xmlAddPrevSibling(first, xmlNewText(BAD_CAST pre));
	xmlAddChild(keep, xmlNewText(BAD_CAST post));
}

/* the most a domain read by attach may have (see read_domain) */
#define VGPUCTL_DOMAIN_MAX (10 << 20)

/* The mode and owner the written file gets: those of the file it replaces (an admin's 0600
 * domain stays 0600, a domain owned by its user stays theirs), else what a newly created file
 * gets (0666 less the umask). */
static int written_mode(int fd, const char *path)
{
	struct stat old;
	if (stat(path, &old) == 0 && S_ISREG(old.st_mode)) {
		if ((old.st_uid != geteuid() || old.st_gid != getegid()) &&
		    fchown(fd, old.st_uid, old.st_gid) < 0)
			return -errno;
		return fchmod(fd, old.st_mode & 07777) < 0 ? -errno : 0;
	}
	mode_t mask = umask(0);
	umask(mask);
	return fchmod(fd, 0666 & ~mask) < 0 ? -errno : 0;
}

/* Replace path by data: a temp file beside it (mkstemp: created exclusively, nothing planted is
 * written through), flushed, renamed over it. */
static int write_atomic(const char *path, const xmlChar *data, int len)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.vgpuctl-XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	int r = 0;
	for (int off = 0; off < len && r == 0;) {
		ssize_t w = write(fd, data + off, (size_t)(len - off));
		if (w < 0)
			r = -errno;
		else
			off += (int)w;
	}
	if (r == 0)
		r = written_mode(fd, path);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return r;
	}
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	int dfd = open(slash ? (dir[0] ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

/* A domain's XML, read whole with a bound: virsh refuses domain files over 10 MiB
 * (VSH_MAX_XML_FILE), so nothing larger is a domain libvirt would take, and an endless stream
 * ("yes '<x/>'") must not grow without limit. NULL after printing the error. */
static char *read_domain(const char *in, size_t *ret_len)
{
	const char *name = strcmp(in, "-") ? in : "standard input";
	char *buf;
	int r = vgpuctl_read_input(in, VGPUCTL_DOMAIN_MAX, &buf, ret_len);
	if (r == -EFBIG)
		fprintf(stderr, "Error: cannot read a domain from %s: it is larger than %d bytes\n", name,
			VGPUCTL_DOMAIN_MAX);
	else if (r < 0)
		fprintf(stderr, "Error: cannot read a domain from %s: %s\n", name, strerror(-r));
	return r < 0 ? NULL : buf;
}

static const char OFF_NOTE[] = "Note: display='off': QEMU does not show the vGPU's screen, so no OpenGL display is needed; "
				"ramfb='off' too (QEMU refuses ramfb=on without display=on)";

/* The vGPU's hostdev, and for a vfio-pci vGPU with display='on' the video set to none and the
 * graphics its display needs. An existing hostdev keeps its attributes unless --display or
 * --ramfb asked otherwise. */
static void add_vgpu(xmlNodePtr devices, const char *din, const struct opts *o, const char *model,
		     const struct display_need *need)
{
	bool vfio_pci = !strcmp(model, "vfio-pci");
	xmlNodePtr h = find_mdev(devices, o->uuid);
	bool changed = !h;
	if (!h) {
		h = new_hostdev(o, model);
		xml_indent_tree(h, din);
		xml_append_indented(devices, h, din);
	} else if (vfio_pci && (o->display_set || o->ramfb_set)) {
		const char *want[2][2] = { { "display", o->display ? "on" : "off" }, { "ramfb", o->ramfb ? "on" : "off" } };
		for (int i = 0; i < 2; i++) {
			xmlChar *v = xmlGetProp(h, BAD_CAST want[i][0]);
			if (!v || xmlStrcmp(v, BAD_CAST want[i][1])) {
				xmlSetProp(h, BAD_CAST want[i][0], BAD_CAST want[i][1]);
				changed = true;
			}
			xmlFree(v);
		}
	}
	if (!vfio_pci)
		return;
	xmlChar *d = xmlGetProp(h, BAD_CAST "display");
	bool on = d && !xmlStrcmp(d, BAD_CAST "on");
	xmlFree(d);
	if (on) {
		video_none(devices, din);
		display_patch(devices, din, o->mode, need);
		return;
	}
	/* display off: the domain's own video card shows the guest; it is kept */
	xmlNodePtr v = xml_child(devices, "video");
	xmlChar *t = v && xml_child(v, "model") ? xmlGetProp(xml_child(v, "model"), BAD_CAST "type") : NULL;
	bool blind = !v || (t && !xmlStrcmp(t, BAD_CAST "none"));
	xmlFree(t);
	if (changed && !on)
		fprintf(stderr, "%s%s\n", OFF_NOTE, blind ? "" : "; the domain's video card and graphics are kept, to show the guest");
	if (changed && blind)
		fprintf(stderr, "Warning: the vGPU's display is off and the domain has no video card: nothing will show "
				"the guest's screen (give it <video><model type='virtio'/></video>, or use --display local or remote)\n");
}

static int attach(const struct opts *o, const char *model, const struct display_need *need)
{
	const char *in = o->input ? o->input : "-";
	const int flags = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	size_t in_len;
	char *text = read_domain(in, &in_len);
	if (!text)
		return 1;
	xmlDocPtr doc = xmlReadMemory(text, (int)in_len, strcmp(in, "-") ? in : NULL, NULL, flags);
	free(text);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		const char *msg = e && e->message ? e->message : "not well-formed XML";
		fprintf(stderr, "Error: cannot read a domain from %s: line %d: %.*s\n",
			strcmp(in, "-") ? in : "standard input", e ? e->line : 0,
			(int)strcspn(msg, "\n"), msg);
		return 1;
	}
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (!root || xmlStrcmp(root->name, BAD_CAST "domain")) {
		fprintf(stderr, "Error: %s is not a libvirt domain (its root element is not <domain>)\n",
			strcmp(in, "-") ? in : "standard input");
		xmlFreeDoc(doc);
		return 1;
	}
	char rin[96], din[128];
	xmlNodePtr devices = xml_child(root, "devices");
	if (!devices) {
		devices = xmlNewNode(NULL, BAD_CAST "devices");
		xmlAddChild(devices, xmlNewText(BAD_CAST "\n  "));
		xml_append_indented(root, devices, "  ");
	}
	xml_indent_of(devices, rin, sizeof(rin));
	snprintf(din, sizeof(din), "%.90s  ", rin);
	/* the indentation of the existing device elements, if any */
	for (xmlNodePtr c = devices->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			xml_indent_of(c, din, sizeof(din));
			break;
		}
	if (o->vf) {
		/* an SR-IOV VF: a PCI hostdev; its display (if any) needs nothing of the domain */
		if (!has_pci_hostdev(devices, o->vf->addr)) {
			xmlNodePtr h = new_pci_hostdev(o->vf, o->address);
			xml_indent_tree(h, din);
			xml_append_indented(devices, h, din);
		}
	} else {
		add_vgpu(devices, din, o, model, need);
	}
	xmlChar *out = NULL;
	int len = 0;
	xmlDocDumpMemoryEnc(doc, &out, &len, "UTF-8");
	xmlFreeDoc(doc);
	/* libvirt's own files carry no XML declaration; keep the domain as libvirt writes it */
	const char *body = (const char *)out;
	if (!strncmp(body, "<?xml", 5)) {
		const char *e = strstr(body, "?>\n");
		if (e)
			body = e + 3;
	}
	int blen = len - (int)(body - (const char *)out);
	int rc = 0;
	const char *dest = o->in_place ? o->input : o->output;
	if (dest) {
		int r = write_atomic(dest, BAD_CAST body, blen);
		if (r < 0) {
			fprintf(stderr, "Error: cannot write %s: %s\n", dest, strerror(-r));
			rc = 1;
		}
	} else if (fwrite(body, 1, (size_t)blen, stdout) != (size_t)blen || fflush(stdout) != 0) {
		fprintf(stderr, "Error: cannot write the domain: %s\n", strerror(errno));
		rc = 1;
	}
	xmlFree(out);
	return rc;
}

/* Print a hostdev element alone (what `hostdev` shows) and free it. */
static void print_element(xmlNodePtr h)
{
	xml_indent_tree(h, "");
	xmlBufferPtr buf = xmlBufferCreate();
	xmlNodeDump(buf, NULL, h, 0, 0);
	printf("%s\n", (const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	xmlFreeNode(h);
}

/* hostdev or attach of an SR-IOV vGPU (the --display/--ramfb options are the mdev's) */
static int libvirt_vf(const struct opts *o, bool print)
{
	if (!print)
		return attach(o, "vfio-pci", NULL);
	print_element(new_pci_hostdev(o->vf, o->address));
	return 0;
}

int vgpuctl_libvirt(struct mdev_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "display", required_argument, NULL, 'd' }, { "ramfb", required_argument, NULL, 'r' },
		{ "address", required_argument, NULL, 'a' }, { "output", required_argument, NULL, 'o' },
		{ "in-place", no_argument, NULL, 'i' },      { "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *verb = argv[1];
	if (strcmp(verb, "hostdev") && strcmp(verb, "attach")) {
		fprintf(stderr, "Error: unknown libvirt command '%s'\n\n", verb);
		usage(stderr);
		return 2;
	}
	struct opts o = { .display = true, .ramfb = true };
	int c;
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:ih", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (parse_display(optarg, &o) < 0) {
				fprintf(stderr, "Error: --display takes local, remote, on or off, not '%s'\n", optarg);
				return 1;
			}
			break;
		case 'r':
			if (parse_onoff(optarg, &o.ramfb) < 0) {
				fprintf(stderr, "Error: --ramfb takes on or off, not '%s'\n", optarg);
				return 1;
			}
			o.ramfb_set = true;
			break;
		case 'a': {
			unsigned d, b, s, f;
			char extra;
			if (sscanf(optarg, "%x:%x:%x.%x%c", &d, &b, &s, &f, &extra) != 4 || d > 0xffff || b > 0xff ||
			    s > 0x1f || f > 7) {
				fprintf(stderr, "Error: '%s' is not a PCI address DDDD:BB:SS.F (e.g. 0000:09:00.0)\n", optarg);
				return 1;
			}
			o.address = optarg;
			break;
		}
		case 'o':
			o.output = optarg;
			break;
		case 'i':
			o.in_place = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Error: unknown option '%s'\n\n", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	/* GNU getopt moved the positionals to the end: UUID, then (attach) the domain file */
	const char *pos[2] = { NULL, NULL };
	int np = 0;
	for (int i = optind; i < argc; i++) {
		if (np == 2 || (!strcmp(verb, "hostdev") && np == 1)) {
			fprintf(stderr, "Error: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
		pos[np++] = argv[i];
	}
	if (!pos[0]) {
		fprintf(stderr, "Error: the UUID of a mediated device is required\n\n");
		usage(stderr);
		return 2;
	}
	o.input = pos[1];
	if (o.in_place && (!o.input || !strcmp(o.input, "-"))) {
		fprintf(stderr, "Error: --in-place needs a domain file, not standard input\n");
		return 1;
	}
	if (o.in_place && o.output) {
		fprintf(stderr, "Error: --in-place and --output exclude each other\n");
		return 1;
	}
	struct vf_vgpu vf;
	int vr = vf_vgpu_lookup(ctx, pos[0], &vf);
	if (vr < 0)
		return 1;
	if (vr == 0) {
		o.vf = &vf;
		return libvirt_vf(&o, !strcmp(verb, "hostdev"));
	}
	char uuid[MDEV_UUID_LEN + 1];
	if (mdev_uuid_parse(pos[0], uuid) < 0) {
		char why[256];
		fprintf(stderr, "Error: '%s' is not a UUID: %s\n", pos[0], mdev_uuid_parse_error(pos[0], why, sizeof(why)));
		return 1;
	}
	o.uuid = uuid;
	if (!o.display && o.ramfb_set && o.ramfb) {
		fprintf(stderr, "Error: --ramfb on needs the vGPU's display: QEMU refuses ramfb=on with display=off\n");
		return 1;
	}
	if (!o.ramfb_set)
		o.ramfb = o.display; /* ramfb is shown through the vGPU's display */
	struct vgpu v = { 0 };
	if (lookup(ctx, uuid, &v) < 0) {
		vgpu_clear(&v);
		return 1;
	}
	const char *model = v.model;
	if (strcmp(model, "vfio-pci") && (o.address || !o.display || !o.ramfb)) {
		/* display, ramfb and a PCI address only exist for vfio-pci devices */
		o.address = NULL;
	}
	struct display_need need = { 0 };
	if (!strcmp(model, "vfio-pci") && display_need_lookup(ctx, v.parent, v.type, v.type_name, &need) < 0) {
		fprintf(stderr, "Error: %s\n", strerror(ENOMEM));
		vgpu_clear(&v);
		return 1;
	}
	int rc;
	if (!strcmp(verb, "hostdev")) {
		print_element(new_hostdev(&o, model));
		if (!strcmp(model, "vfio-pci") && o.display)
			display_hostdev_note(o.mode, &need);
		else if (!strcmp(model, "vfio-pci"))
			fprintf(stderr, "%s\n", OFF_NOTE);
		rc = 0;
	} else {
		rc = attach(&o, model, &need);
	}
	display_need_clear(&need);
	vgpu_clear(&v);
	return rc;
}
