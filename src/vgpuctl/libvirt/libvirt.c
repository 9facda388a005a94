/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl libvirt: the <hostdev> that hands a vGPU to a libvirt guest, and a domain patched to
 * use it the way the seed says (display and ramfb on, the emulated video card set to none, a
 * graphics device that can show the vGPU's DMA-BUF display). XML through libxml2. */
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
#include "vgpuctl.h"
#include "pci_hostdev.h"

struct opts {
	const char *uuid;
	bool display, ramfb;
	const char *address; /* guest PCI address DDDD:BB:SS.F */
	const char *input, *output;
	bool in_place;
	const struct vf_vgpu *vf; /* an SR-IOV vGPU (pci_hostdev.c) instead of uuid */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vgpuctl libvirt hostdev UUID [--display on|off] [--ramfb on|off] [--address DDDD:BB:SS.F]\n"
		"       vgpuctl libvirt attach UUID [DOMAIN.xml|-] [--output FILE | --in-place] [hostdev options]\n\n"
		"hostdev prints the <hostdev> element of the vGPU UUID (which must run or be defined).\n"
		"attach reads a domain (a file, or standard input: virsh dumpxml NAME | vgpuctl libvirt\n"
		"attach UUID) and writes it with the vGPU added, the emulated video set to none and, if\n"
		"the domain has none, a SPICE display with OpenGL to show the vGPU (display='on' needs\n"
		"one). Running attach twice changes nothing the second time.\n"
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

/* The model and a readiness note from the device's state; -1 if it is unknown here. */
static int lookup(struct mdev_ctx *ctx, const char *uuid, char **ret_model)
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
		const char *api = "vfio-pci";
		if (mdev_list_types(ctx, d->parent, &types) == 0)
			for (size_t p = 0; p < types.n; p++)
				for (size_t t = 0; t < types.parents[p].n_types; t++)
					if (!strcmp(types.parents[p].types[t].id, d->type))
						api = types.parents[p].types[t].device_api;
		*ret_model = strdup(api);
		mdev_parent_list_clear(&types);
		bool auto_defined = false;
		for (size_t i = 0; i < defined.n; i++)
			auto_defined |= defined.devices[i].autostart;
		if (!defined.n)
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
	if (o->address) {
		unsigned dom, bus, slot, fn;
		sscanf(o->address, "%x:%x:%x.%x", &dom, &bus, &slot, &fn);
		char v[16];
		xmlNodePtr g = xmlNewChild(h, NULL, BAD_CAST "address", NULL);
		xmlNewProp(g, BAD_CAST "type", BAD_CAST "pci");
		snprintf(v, sizeof(v), "0x%04x", dom);
		xmlNewProp(g, BAD_CAST "domain", BAD_CAST v);
		snprintf(v, sizeof(v), "0x%02x", bus);
		xmlNewProp(g, BAD_CAST "bus", BAD_CAST v);
		snprintf(v, sizeof(v), "0x%02x", slot);
		xmlNewProp(g, BAD_CAST "slot", BAD_CAST v);
		snprintf(v, sizeof(v), "0x%x", fn);
		xmlNewProp(g, BAD_CAST "function", BAD_CAST v);
	}
	return h;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, BAD_CAST name))
			return c;
	return NULL;
}

/* The indentation of n's line (the whitespace text before it), "" if none. */
static const char *indent_of(xmlNodePtr n, char *buf, size_t sz)
{
	buf[0] = '\0';
	if (n && n->prev && n->prev->type == XML_TEXT_NODE && n->prev->content) {
		const char *t = (const char *)n->prev->content, *nl = strrchr(t, '\n');
		snprintf(buf, sz, "%s", nl ? nl + 1 : t);
	}
	return buf;
}

/* Insert node as the last element child of parent, indented like its siblings. */
static void append_indented(xmlNodePtr parent, xmlNodePtr node, const char *indent)
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
static void indent_tree(xmlNodePtr n, const char *indent)
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
			indent_tree(c, inner);
		}
		c = next;
	}
	char post[160];
	snprintf(post, sizeof(post), "\n%s", indent);
	xmlAddChild(n, xmlNewText(BAD_CAST post));
}

static bool has_mdev(xmlNodePtr devices, const char *uuid)
{
	for (xmlNodePtr h = devices->children; h; h = h->next) {
		if (h->type != XML_ELEMENT_NODE || xmlStrcmp(h->name, BAD_CAST "hostdev"))
			continue;
		xmlNodePtr a = child(child(h, "source"), "address");
		xmlChar *u = a ? xmlGetProp(a, BAD_CAST "uuid") : NULL;
		bool same = u && !strcasecmp((const char *)u, uuid);
		xmlFree(u);
		if (same)
			return true;
	}
	return false;
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
		indent_tree(keep, indent);
		append_indented(devices, keep, indent);
		return;
	}
	xmlNodePtr m = child(keep, "model");
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
	indent_of(keep, in, sizeof(in));
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
	int fd = strcmp(in, "-") ? open(in, O_RDONLY | O_CLOEXEC) : 0;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t r = fd < 0 ? -1 : 1;
	while (r > 0 && len <= VGPUCTL_DOMAIN_MAX) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > VGPUCTL_DOMAIN_MAX + 1)
				cap = VGPUCTL_DOMAIN_MAX + 1;
			char *nb = realloc(buf, cap + 1);
			if (!nb) {
				r = -1;
				break;
			}
			buf = nb;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			r = 1;
		else if (r > 0)
			len += (size_t)r;
	}
	int err = errno;
	if (fd > 0)
		close(fd);
	if (r < 0) {
		fprintf(stderr, "Error: cannot read a domain from %s: %s\n", name, strerror(err));
		free(buf);
		return NULL;
	}
	if (len > VGPUCTL_DOMAIN_MAX) {
		fprintf(stderr, "Error: cannot read a domain from %s: it is larger than %d bytes\n", name,
			VGPUCTL_DOMAIN_MAX);
		free(buf);
		return NULL;
	}
	if (!buf && !(buf = malloc(1))) {
		fprintf(stderr, "Error: cannot read a domain from %s: %s\n", name, strerror(ENOMEM));
		return NULL;
	}
	buf[len] = '\0';
	*ret_len = len;
	return buf;
}

static int attach(const struct opts *o, const char *model)
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
	xmlNodePtr devices = child(root, "devices");
	if (!devices) {
		devices = xmlNewNode(NULL, BAD_CAST "devices");
		xmlAddChild(devices, xmlNewText(BAD_CAST "\n  "));
		append_indented(root, devices, "  ");
	}
	indent_of(devices, rin, sizeof(rin));
	snprintf(din, sizeof(din), "%.90s  ", rin);
	/* the indentation of the existing device elements, if any */
	for (xmlNodePtr c = devices->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			indent_of(c, din, sizeof(din));
			break;
		}
	if (o->vf ? !has_pci_hostdev(devices, o->vf->addr) : !has_mdev(devices, o->uuid)) {
		xmlNodePtr h = o->vf ? new_pci_hostdev(o->vf, o->address) : new_hostdev(o, model);
		indent_tree(h, din);
		append_indented(devices, h, din);
	}
	if (!o->vf && !strcmp(model, "vfio-pci")) {
		video_none(devices, din);
		if (o->display && !child(devices, "graphics")) {
			xmlNodePtr g = xmlNewNode(NULL, BAD_CAST "graphics");
			xmlNewProp(g, BAD_CAST "type", BAD_CAST "spice");
			xmlNodePtr l = xmlNewChild(g, NULL, BAD_CAST "listen", NULL);
			xmlNewProp(l, BAD_CAST "type", BAD_CAST "none");
			xmlNodePtr gl = xmlNewChild(g, NULL, BAD_CAST "gl", NULL);
			xmlNewProp(gl, BAD_CAST "enable", BAD_CAST "yes");
			indent_tree(g, din);
			append_indented(devices, g, din);
		}
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

/* hostdev or attach of an SR-IOV vGPU (the --display/--ramfb options are the mdev's) */
static int libvirt_vf(const struct opts *o, bool print)
{
	if (o->in_place && (!o->input || !strcmp(o->input, "-"))) {
		fprintf(stderr, "Error: --in-place needs a domain file, not standard input\n");
		return 1;
	}
	if (o->in_place && o->output) {
		fprintf(stderr, "Error: --in-place and --output exclude each other\n");
		return 1;
	}
	if (!print)
		return attach(o, "vfio-pci");
	xmlNodePtr h = new_pci_hostdev(o->vf, o->address);
	indent_tree(h, "");
	xmlBufferPtr buf = xmlBufferCreate();
	xmlNodeDump(buf, NULL, h, 0, 0);
	printf("%s\n", (const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	xmlFreeNode(h);
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
		case 'r':
			if (parse_onoff(optarg, c == 'd' ? &o.display : &o.ramfb) < 0) {
				fprintf(stderr, "Error: --%s takes on or off, not '%s'\n", c == 'd' ? "display" : "ramfb", optarg);
				return 1;
			}
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
	struct vf_vgpu vf;
	int vr = vf_vgpu_lookup(ctx, pos[0], &vf);
	if (vr < 0)
		return 1;
	if (vr == 0) {
		o.vf = &vf;
		o.input = pos[1];
		return libvirt_vf(&o, !strcmp(verb, "hostdev"));
	}
	char uuid[MDEV_UUID_LEN + 1];
	if (mdev_uuid_parse(pos[0], uuid) < 0) {
		char why[256];
		fprintf(stderr, "Error: '%s' is not a UUID: %s\n", pos[0], mdev_uuid_parse_error(pos[0], why, sizeof(why)));
		return 1;
	}
	o.uuid = uuid;
	o.input = pos[1];
	if (o.in_place && (!o.input || !strcmp(o.input, "-"))) {
		fprintf(stderr, "Error: --in-place needs a domain file, not standard input\n");
		return 1;
	}
	if (o.in_place && o.output) {
		fprintf(stderr, "Error: --in-place and --output exclude each other\n");
		return 1;
	}
	char *model = NULL;
	if (lookup(ctx, uuid, &model) < 0)
		return 1;
	if (strcmp(model, "vfio-pci") && (o.address || !o.display || !o.ramfb)) {
		/* display, ramfb and a PCI address only exist for vfio-pci devices */
		o.address = NULL;
	}
	int rc;
	if (!strcmp(verb, "hostdev")) {
		xmlNodePtr h = new_hostdev(&o, model);
		indent_tree(h, "");
		xmlBufferPtr buf = xmlBufferCreate();
		xmlNodeDump(buf, NULL, h, 0, 0);
		printf("%s\n", (const char *)xmlBufferContent(buf));
		xmlBufferFree(buf);
		xmlFreeNode(h);
		rc = 0;
	} else {
		rc = attach(&o, model);
	}
	free(model);
	return rc;
}
