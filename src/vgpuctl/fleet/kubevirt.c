/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl kubevirt: KubeVirt's permittedHostDevices for this host's vGPUs. KubeVirt's own device
 * plugins then advertise them: the mediated device plugin matches mdevNameSelector against each
 * mdev's type name (the type's "name" file, else its id, spaces read as '_'); the PCI host device
 * plugin matches pciVendorSelector against the vendor:device of VFs (NVIDIA's VFs that stay on
 * nvidia with a vGPU type set, other VFs on vfio-pci). docs/fleet.md names the KubeVirt source
 * files each rule comes from. */
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "k8s_names.h"
#include "vgpuctl.h"

static const char KUBEVIRT_USAGE[] =
	"Usage: vgpuctl kubevirt [--json]\n\n"
	"Prints KubeVirt's permittedHostDevices for the vGPUs of this host (running or defined):\n"
	"mediatedDevices for mdev types, pciHostDevices for SR-IOV VFs (NVIDIA, Intel Xe), as YAML\n"
	"to paste into the KubeVirt CR's spec.configuration, or with --json as a merge patch of\n"
	"the CR (kubectl patch kubevirt kubevirt -n kubevirt --type merge -p \"$(vgpuctl kubevirt --json)\").\n\n"
	"Options:\n"
	"  --json      A merge patch of the KubeVirt CR, as JSON\n"
	"  -h, --help  Print help\n";

struct entry {
	char selector[160]; /* mdevNameSelector, or pciVendorSelector "VVVV:DDDD" */
	char key[160];      /* what KubeVirt compares: the selector with spaces as '_', trimmed */
	char resource[128];
	bool pci;
	char **types; /* PCI: the vGPU types its VFs hold (distinct) */
	size_t n_types;
	char **unbound; /* PCI, not NVIDIA: active VFs that are not on vfio-pci */
	size_t n_unbound;
};

struct entries {
	struct entry *e;
	size_t n;
};

static void entries_clear(struct entries *es)
{
	for (size_t i = 0; i < es->n; i++) {
		for (size_t k = 0; k < es->e[i].n_types; k++)
			free(es->e[i].types[k]);
		for (size_t k = 0; k < es->e[i].n_unbound; k++)
			free(es->e[i].unbound[k]);
		free(es->e[i].types);
		free(es->e[i].unbound);
	}
	free(es->e);
}

static unsigned hex_attr(struct mdev_ctx *ctx, const char *fmt, const char *dev, const char *name)
{
	char rel[512], buf[32];
	snprintf(rel, sizeof(rel), fmt, dev, name);
	const char *s = vgpuctl_read_attr(ctx, rel, buf, sizeof(buf));
	return s ? (unsigned)strtoul(s, NULL, 16) : 0;
}

/* The vendor's domain for a resource name: the name Kubernetes' extended resources are usually
 * given (vendor.com/product); vgpuctl.mdevkit for a vendor we do not know. */
static const char *vendor_domain(unsigned vendor)
{
	switch (vendor) {
	case 0x10de:
		return "nvidia.com";
	case 0x8086:
		return "intel.com";
	case 0x1002:
		return "amd.com";
	default:
		return "vgpuctl.mdevkit";
	}
}

static void kubevirt_key(const char *sel, char *buf, size_t sz)
{
	size_t n = 0;
	for (const char *p = sel; *p && n + 1 < sz; p++)
		buf[n++] = *p == ' ' ? '_' : *p;
	buf[n] = '\0';
	while (n > 0 && strchr(" \t\r\n\v\f", buf[n - 1]))
		buf[--n] = '\0';
	size_t lead = strspn(buf, " \t\r\n\v\f");
	memmove(buf, buf + lead, strlen(buf + lead) + 1);
}

static struct entry *find_or_add(struct entries *es, const char *selector, bool pci)
{
	char key[160];
	kubevirt_key(selector, key, sizeof(key));
	for (size_t i = 0; i < es->n; i++)
		if (es->e[i].pci == pci && !strcmp(es->e[i].key, key))
			return &es->e[i];
	struct entry *ne = realloc(es->e, (es->n + 1) * sizeof(*ne));
	if (!ne)
		return NULL;
	es->e = ne;
	struct entry *e = &es->e[es->n++];
	*e = (struct entry){ .pci = pci };
	snprintf(e->selector, sizeof(e->selector), "%s", selector);
	snprintf(e->key, sizeof(e->key), "%s", key);
	return e;
}

static int add_str(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return 0;
	char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -1;
	*v = nv;
	if (!(nv[*n] = strdup(s)))
		return -1;
	++*n;
	return 0;
}

/* The selector of an mdev type: its name, else its id, as KubeVirt's getMdevTypeName reads it */
static const char *mdev_selector(const struct mdev_parent_list *pl, const char *parent, const char *type)
{
	for (size_t i = 0; i < pl->n; i++) {
		if (strcmp(pl->parents[i].name, parent))
			continue;
		for (size_t k = 0; k < pl->parents[i].n_types; k++)
			if (!strcmp(pl->parents[i].types[k].id, type) && pl->parents[i].types[k].name)
				return pl->parents[i].types[k].name;
	}
	return type;
}

static int add_mdev(struct mdev_ctx *ctx, struct entries *es, const struct mdev_parent_list *pl,
		    const struct mdev_vgpu *v)
{
	const char *sel = mdev_selector(pl, v->gpu, v->type);
	struct entry *e = find_or_add(es, sel, false);
	if (!e)
		return -1;
	if (!e->resource[0]) {
		char name[K8S_NAME_MAX + 1];
		unsigned vendor = hex_attr(ctx, "sys/class/mdev_bus/%s/%s", v->gpu, "vendor");
		snprintf(e->resource, sizeof(e->resource), "%s/%s", vendor_domain(vendor),
			 k8s_name_map(e->key, K8S_NAME_MAX, false, name, sizeof(name)));
	}
	return 0;
}

static int add_vf(struct mdev_ctx *ctx, struct entries *es, const struct mdev_vgpu *v)
{
	/* a VF that is not enabled ("<gpu>/vf<N>") has no files: the PF says what its VFs are */
	unsigned vendor = hex_attr(ctx, "sys/bus/pci/devices/%s/%s", v->id, "vendor");
	unsigned device = hex_attr(ctx, "sys/bus/pci/devices/%s/%s", v->id, "device");
	if (!vendor || !device) {
		vendor = hex_attr(ctx, "sys/bus/pci/devices/%s/%s", v->gpu, "vendor");
		device = hex_attr(ctx, "sys/bus/pci/devices/%s/%s", v->gpu, "sriov_vf_device");
	}
	if (!vendor || !device) {
		fprintf(stderr, "Warning: %s: the VF's PCI vendor and device ids cannot be read; it is left out\n",
			v->id);
		return 0;
	}
	char sel[32];
	snprintf(sel, sizeof(sel), "%04X:%04X", vendor & 0xffff, device & 0xffff);
	struct entry *e = find_or_add(es, sel, true);
	if (!e || add_str(&e->types, &e->n_types, v->type ? v->type : "vgpu") < 0)
		return -1;
	if (v->active && v->framework != MDEV_VGPU_FW_NVIDIA_VFIO) {
		char rel[512], link[512];
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/driver", v->id);
		ssize_t n = readlinkat(mdev_ctx_get_root_fd(ctx), rel, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		const char *drv = strrchr(link, '/');
		if ((n <= 0 || strcmp(drv ? drv + 1 : link, "vfio-pci")) &&
		    add_str(&e->unbound, &e->n_unbound, v->id) < 0)
			return -1;
	}
	return 0;
}

/* A PCI entry's resource name: its one type, or what its types share ("NVIDIA L40S" of
 * "NVIDIA L40S-2Q" and "NVIDIA L40S-4Q"), since KubeVirt tells VFs apart only by vendor:device. */
static void pci_resource(struct entry *e)
{
	char base[160], name[K8S_NAME_MAX + 1];
	unsigned vendor = (unsigned)strtoul(e->selector, NULL, 16);
	snprintf(base, sizeof(base), "%s", e->types[0]);
	if (e->n_types > 1) {
		for (size_t k = 1; k < e->n_types; k++) {
			size_t i = 0;
			while (base[i] && base[i] == e->types[k][i])
				i++;
			base[i] = '\0';
		}
		char *cut = strrchr(base, '-');
		if (cut)
			*cut = '\0';
		if (!base[0])
			snprintf(base, sizeof(base), "vgpu-%.20s", e->selector);
	}
	snprintf(e->resource, sizeof(e->resource), "%s/%s", vendor_domain(vendor),
		 k8s_name_map(base, K8S_NAME_MAX, false, name, sizeof(name)));
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	return x->pci != y->pci ? (int)x->pci - (int)y->pci : strcmp(x->selector, y->selector);
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int collect(struct mdev_ctx *ctx, struct entries *es, size_t *ret_n_vgpus)
{
	struct mdev_vgpu_list l = { 0 };
	struct mdev_parent_list pl = { 0 };
	if (mdev_vgpu_list(ctx, NULL, &l) < 0 || mdev_list_types(ctx, NULL, &pl) < 0) {
		fprintf(stderr, "Error: %s\n", mdev_ctx_error_message(ctx));
		mdev_vgpu_list_clear(&l);
		return -1;
	}
	int r = 0;
	*ret_n_vgpus = l.n;
	for (size_t i = 0; i < l.n && r == 0; i++) {
		const struct mdev_vgpu *v = &l.vgpus[i];
		if (v->framework == MDEV_VGPU_FW_MDEV && !v->type)
			fprintf(stderr, "Warning: %s: its type is not known; it is left out\n", v->id);
		else if (v->framework == MDEV_VGPU_FW_MDEV)
			r = add_mdev(ctx, es, &pl, v);
		else
			r = add_vf(ctx, es, v);
	}
	mdev_vgpu_list_clear(&l);
	mdev_parent_list_clear(&pl);
	if (r < 0) {
		fprintf(stderr, "Error: %s\n", "Cannot allocate memory");
		return -1;
	}
	for (size_t i = 0; i < es->n; i++)
		if (es->e[i].pci) {
			qsort(es->e[i].types, es->e[i].n_types, sizeof(char *), cmp_strp);
			pci_resource(&es->e[i]);
		}
	if (es->n)
		qsort(es->e, es->n, sizeof(*es->e), cmp_entry);
	return 0;
}

/* Said on standard error, so that standard output stays what the CR takes */
static void notes(const struct entries *es, size_t n_vgpus)
{
	if (!n_vgpus)
		fprintf(stderr, "Note: this host has no vGPU (vgpuctl apply or vgpuctl create first)\n");
	for (size_t i = 0; i < es->n; i++) {
		const struct entry *e = &es->e[i];
		if (e->pci && e->n_types > 1) {
			fprintf(stderr, "Warning: VFs %s hold different types (", e->selector);
			for (size_t k = 0; k < e->n_types; k++)
				fprintf(stderr, "%s%s", k ? ", " : "", e->types[k]);
			fprintf(stderr, "); KubeVirt tells VFs apart only by vendor:device, so %s offers all of them\n",
				e->resource);
		}
		if (e->n_unbound) {
			fprintf(stderr, "Note: KubeVirt hands out only VFs bound to vfio-pci; not bound:");
			for (size_t k = 0; k < e->n_unbound; k++)
				fprintf(stderr, " %s", e->unbound[k]);
			fprintf(stderr, " (e.g. driverctl set-override ADDRESS vfio-pci)\n");
		}
	}
}

static void yaml_str(const char *s)
{
	struct json_object *o = json_object_new_string(s);
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_NOSLASHESCAPE), stdout);
	json_object_put(o);
}

static bool has_mdev(const struct entries *es)
{
	for (size_t i = 0; i < es->n; i++)
		if (!es->e[i].pci)
			return true;
	return false;
}

static void print_yaml(const struct entries *es)
{
	printf("# vgpuctl kubevirt: this host's vGPUs, for the KubeVirt CR's spec.configuration\n");
	printf("permittedHostDevices:%s\n", es->n ? "" : " {}");
	bool pci = false, mdev = false;
	for (size_t i = 0; i < es->n; i++) {
		const struct entry *e = &es->e[i];
		if (!e->pci && !mdev)
			printf("  mediatedDevices:\n"), mdev = true;
		if (e->pci && !pci)
			printf("  pciHostDevices:\n"), pci = true;
		printf("  - %s: ", e->pci ? "pciVendorSelector" : "mdevNameSelector");
		yaml_str(e->selector);
		printf("\n    resourceName: ");
		yaml_str(e->resource);
		printf("\n");
	}
	if (has_mdev(es))
		printf("# vgpuctl makes the mdevs; virt-handler must neither make nor remove any\n"
		       "# (before KubeVirt 1.8: the feature gate DisableMDEVConfiguration instead)\n"
		       "mediatedDevicesConfiguration:\n  enabled: false\n");
}

static void print_json(const struct entries *es)
{
	struct json_object *root = json_object_new_object(), *spec = json_object_new_object(),
			   *conf = json_object_new_object(), *phd = json_object_new_object();
	struct json_object *mdevs = NULL, *pcis = NULL;
	for (size_t i = 0; i < es->n; i++) {
		const struct entry *e = &es->e[i];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, e->pci ? "pciVendorSelector" : "mdevNameSelector",
				       json_object_new_string(e->selector));
		json_object_object_add(o, "resourceName", json_object_new_string(e->resource));
		struct json_object **arr = e->pci ? &pcis : &mdevs;
		if (!*arr)
			*arr = json_object_new_array();
		json_object_array_add(*arr, o);
	}
	if (mdevs)
		json_object_object_add(phd, "mediatedDevices", mdevs);
	if (pcis)
		json_object_object_add(phd, "pciHostDevices", pcis);
	json_object_object_add(conf, "permittedHostDevices", phd);
	if (mdevs) {
		struct json_object *mc = json_object_new_object();
		json_object_object_add(mc, "enabled", json_object_new_boolean(false));
		json_object_object_add(conf, "mediatedDevicesConfiguration", mc);
	}
	json_object_object_add(spec, "configuration", conf);
	json_object_object_add(root, "spec", spec);
	vgpuctl_print_json(root);
	json_object_put(root);
}

int vgpuctl_kubevirt(struct mdev_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return fputs(KUBEVIRT_USAGE, stdout), 0;
		if (!strcmp(argv[i], "--json")) {
			json = true;
			continue;
		}
		fprintf(stderr, "Error: unexpected argument '%s'\n\n%s", argv[i], KUBEVIRT_USAGE);
		return 2;
	}
	struct entries es = { 0 };
	size_t n_vgpus = 0;
	if (collect(ctx, &es, &n_vgpus) < 0) {
		entries_clear(&es);
		return 1;
	}
	notes(&es, n_vgpus);
	if (json)
		print_json(&es);
	else
		print_yaml(&es);
	entries_clear(&es);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "Error: cannot write to standard output\n");
		return 1;
	}
	return 0;
}
