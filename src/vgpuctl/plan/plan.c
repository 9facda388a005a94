/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vgpuctl plan: how many vGPUs of which type fit, on this host now, after its autostart
 * definitions, or with another firmware aperture; whether a wanted set of vGPUs fits, and at
 * which aperture. Uses the GVT-g model of gvtg_model.c; other parents show their counts. */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "gvtg_model.h"
#include "vgpuctl.h"
#include "sriov_plan.h"

struct want {
	int count[4];
	char text[256];
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vgpuctl plan [OPTIONS]\n\n"
		"How many GVT-g vGPUs of each type fit, and which resource limits them.\n"
		"Without --aperture: the GPUs of this host (or of MDEVCTL_ENV_ROOT), with the vGPUs\n"
		"that run and those that autostart definitions will start.\n\n"
		"Options:\n"
		"  -a, --aperture SIZE  Plan for this firmware aperture size (e.g. 512, 1024M, 1G)\n"
		"  -w, --want SPEC      Check that these vGPUs fit: NxWIDTHxHEIGHT or NxTYPE, comma\n"
		"                       separated (e.g. 3x1920x1200 or 2x_4,2x_8)\n"
		"  -c, --compare        Compare the aperture sizes firmware offers\n"
		"  -j, --json           Print JSON\n"
		"  -h, --help           Print help\n");
}

/* "1024", "1024M", "1024MB", "1024MiB", "1G", "2GiB" -> MiB */
static int parse_size(const char *s, int *ret)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || errno || v <= 0)
		return -EINVAL;
	if (!*end || !strcasecmp(end, "m") || !strcasecmp(end, "mb") || !strcasecmp(end, "mib"))
		;
	else if (!strcasecmp(end, "g") || !strcasecmp(end, "gb") || !strcasecmp(end, "gib"))
		v *= 1024;
	else
		return -EINVAL;
	if (v <= GVT_HOST_LOW_MB || v >= GVT_TOTAL_MB - GVT_HOST_HIGH_MB)
		return -ERANGE;
	*ret = (int)v;
	return 0;
}

static int parse_want(const char *spec, struct want *w)
{
	memset(w, 0, sizeof(*w));
	snprintf(w->text, sizeof(w->text), "%s", spec);
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *save = NULL, *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *x = strchr(item, 'x');
		char *end;
		long n = x ? strtol(item, &end, 10) : 0;
		if (!x || end != x || n <= 0 || n > 64)
			return -EINVAL;
		const char *what = x + 1;
		int t = -1;
		if (strchr(what, 'x')) { /* a resolution: the type with most room that shows it */
			int wd, ht;
			if (sscanf(what, "%dx%d", &wd, &ht) != 2)
				return -EINVAL;
			for (int i = 3; i >= 0 && t < 0; i--)
				if (gvt_types[i].width >= wd && gvt_types[i].height >= ht)
					t = i;
		} else {
			if (*what == '_')
				what++;
			t = strchr(what, '_') ? gvt_type_index(what) : -1;
			if (t < 0) {
				long div = strtol(what, &end, 10);
				for (int i = 0; i < 4 && !*end; i++)
					if (gvt_types[i].div == div)
						t = i;
			}
		}
		if (t < 0)
			return -EINVAL;
		w->count[t] += (int)n;
	}
	return 0;
}

/* Does want fit in the pool left at aperture after used? Names the first resource short. */
static bool fits(int aperture, const int used[4], const struct want *w, const char **short_of)
{
	int all[4];
	for (int t = 0; t < 4; t++)
		all[t] = used[t] + w->count[t];
	struct gvt_pool p = gvt_pool(aperture, all);
	*short_of = p.low_mb < 0 ? gvt_limit_names[LIMIT_LOW] : p.high_mb < 0 ? gvt_limit_names[LIMIT_HIGH] :
		    p.fences < 0 ? gvt_limit_names[LIMIT_FENCES] : NULL;
	return !*short_of;
}

static char *type_name(int t, const char *gen, char *buf, size_t sz)
{
	snprintf(buf, sz, "i915-GVTg_%s_%d", gen, gvt_types[t].div);
	return buf;
}

static struct json_object *table_json(int aperture, const int used[4], const char *gen)
{
	struct json_object *arr = json_object_new_array();
	struct gvt_pool p = gvt_pool(aperture, used);
	char name[64];
	for (int t = 0; t < 4; t++) {
		enum gvt_limit l;
		int n = gvt_fit(&p, (size_t)t, &l);
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "type", json_object_new_string(type_name(t, gen, name, sizeof(name))));
		json_object_object_add(o, "low_gm_mb", json_object_new_int(gvt_types[t].low_mb));
		json_object_object_add(o, "high_gm_mb", json_object_new_int(gvt_types[t].high_mb));
		json_object_object_add(o, "fences", json_object_new_int(gvt_types[t].fences));
		json_object_object_add(o, "resolution", json_object_new_string(gvt_types[t].resolution));
		json_object_object_add(o, "fit", json_object_new_int(n));
		json_object_object_add(o, "limited_by", json_object_new_string(gvt_limit_names[l]));
		json_object_array_add(arr, o);
	}
	return arr;
}

static void table_text(int aperture, const int used[4], const char *gen, const int *now,
		       const int *stopped)
{
	struct gvt_pool p = gvt_pool(aperture, used);
	char name[64];
	printf("  %-16s %-24s %-10s %5s  %s\n", "type", "per vGPU (low/high/fence)", "resolution",
	       now ? "free" : "fit", "limited by");
	for (int t = 0; t < 4; t++) {
		enum gvt_limit l;
		int n = gvt_fit(&p, (size_t)t, &l);
		char slice[48];
		snprintf(slice, sizeof(slice), "%d/%d MiB, %d", gvt_types[t].low_mb, gvt_types[t].high_mb,
			 gvt_types[t].fences);
		printf("  %-16s %-24s %-10s %5d  %s", type_name(t, gen, name, sizeof(name)), slice,
		       gvt_types[t].resolution, n, gvt_limit_names[l]);
		if (now && now[t] != n)
			printf("  (sysfs says %d)", now[t]);
		if (stopped && stopped[t])
			printf("  [%d defined, not running]", stopped[t]);
		putchar('\n');
	}
	printf("  left for guests: low GM %d MiB, high GM %d MiB, %d fences\n", p.low_mb, p.high_mb,
	       p.fences);
}

static int compare(bool json, const struct want *w)
{
	static const int none[4] = { 0 };
	if (json) {
		struct json_object *o = json_object_new_object(), *arr = json_object_new_array();
		for (int a = 0; a < 4; a++) {
			struct json_object *e = json_object_new_object();
			json_object_object_add(e, "aperture_mb", json_object_new_int(gvt_apertures[a]));
			json_object_object_add(e, "types", table_json(gvt_apertures[a], none, "V5"));
			if (w) {
				const char *s;
				json_object_object_add(e, "want_fits", json_object_new_boolean(fits(gvt_apertures[a], none, w, &s)));
			}
			json_object_array_add(arr, e);
		}
		json_object_object_add(o, "apertures", arr);
		json_object_object_add(o, "best_aperture_mb", json_object_new_int(gvt_best_aperture(NULL)));
		vgpuctl_print_json(o);
		json_object_put(o);
		return 0;
	}
	printf("vGPUs that fit, by firmware aperture size (GVT-g, no vGPU running):\n\n");
	printf("  %-9s %6s %6s %6s %6s\n", "aperture", "_1", "_2", "_4", "_8");
	for (int a = 0; a < 4; a++) {
		struct gvt_pool p = gvt_pool(gvt_apertures[a], none);
		printf("  %5d MiB", gvt_apertures[a]);
		for (int t = 0; t < 4; t++)
			printf(" %6d", gvt_fit(&p, (size_t)t, NULL));
		putchar('\n');
	}
	int best = gvt_best_aperture(NULL);
	printf("\n%d MiB gives the most vGPUs of every type. A larger aperture gives fewer:\n"
	       "the %d GiB of graphics memory is split into aperture (low) and hidden (high)\n"
	       "memory, and every vGPU needs both, so \"use the highest value\" stops paying\n"
	       "at %d MiB.\n", best, GVT_TOTAL_MB / 1024, best);
	return 0;
}

static void explain_want(const struct want *w, int aperture, const int used[4], bool host)
{
	const char *s;
	char name[64];
	printf("Wanted: %s =", w->text);
	for (int t = 0; t < 4; t++)
		if (w->count[t])
			printf(" %d x %s", w->count[t], type_name(t, "V5", name, sizeof(name)));
	putchar('\n');
	if (fits(aperture, used, w, &s))
		printf("  fits at %d MiB%s\n", aperture, host ? " beside the vGPUs already there" : "");
	else
		printf("  does not fit at %d MiB%s: not enough %s\n", aperture,
		       host ? " beside the vGPUs already there" : "", s);
	printf("  fits (on an idle GPU) at:");
	int found = 0;
	static const int none[4] = { 0 };
	for (int a = 0; a < 4; a++)
		if (fits(gvt_apertures[a], none, w, &s)) {
			printf(" %d MiB", gvt_apertures[a]);
			found++;
		}
	printf("%s\n", found ? "" : " no aperture size");
}

static int host(struct mdev_ctx *ctx, bool json, const struct want *w)
{
	struct mdev_parent_list parents = { 0 };
	struct mdev_device_list active = { 0 }, defined = { 0 };
	if (mdev_list_types(ctx, NULL, &parents) < 0 || mdev_list_active(ctx, NULL, NULL, &active) < 0 ||
	    mdev_list_defined(ctx, NULL, NULL, &defined) < 0) {
		fprintf(stderr, "Error: %s\n", mdev_ctx_error_message(ctx));
		mdev_parent_list_clear(&parents);
		mdev_device_list_clear(&active);
		return 1;
	}
	int rc = 0;
	struct json_object *out = json ? json_object_new_array() : NULL;
	if (!json && parents.n == 0)
		printf("No mediated device parent on this host: no GPU offers vGPUs (see vgpuctl doctor).\n");
	for (size_t i = 0; i < parents.n; i++) {
		const struct mdev_parent_info *p = &parents.parents[i];
		int used[4] = { 0 }, stopped[4] = { 0 }, now[4] = { 0 };
		bool gvt = false;
		char gen[3] = "V5";
		for (size_t j = 0; j < p->n_types; j++) {
			int t = gvt_type_index(p->types[j].id);
			if (t < 0)
				continue;
			gvt = true;
			now[t] = p->types[j].available_instances;
			if (strstr(p->types[j].id, "_V4_"))
				memcpy(gen, "V4", 3);
		}
		for (size_t d = 0; d < active.n; d++) {
			int t = gvt_type_index(active.devices[d].type);
			if (!strcmp(active.devices[d].parent, p->name) && t >= 0)
				used[t]++;
		}
		if (!gvt) {
			if (json) {
				struct json_object *o = json_object_new_object(), *ts = json_object_new_array();
				json_object_object_add(o, "parent", json_object_new_string(p->name));
				json_object_object_add(o, "model", json_object_new_string("fixed"));
				for (size_t j = 0; j < p->n_types; j++) {
					struct json_object *t = json_object_new_object();
					json_object_object_add(t, "type", json_object_new_string(p->types[j].id));
					json_object_object_add(t, "available", json_object_new_int(p->types[j].available_instances));
					json_object_array_add(ts, t);
				}
				json_object_object_add(o, "types", ts);
				json_object_array_add(out, o);
			} else {
				printf("%s: not GVT-g; the driver sets each type's count:\n", p->name);
				for (size_t j = 0; j < p->n_types; j++)
					printf("  %-24s %d available\n", p->types[j].id, p->types[j].available_instances);
				putchar('\n');
			}
			continue;
		}
		bool inferred;
		int ap = gvt_host_aperture(ctx, p, used, &inferred);
		/* definitions that will start with their parent but do not run now */
		int after[4];
		memcpy(after, used, sizeof(after));
		struct json_object *warnings = json ? json_object_new_array() : NULL;
		for (size_t d = 0; d < defined.n; d++) {
			const struct mdev_device *dev = &defined.devices[d];
			int t = gvt_type_index(dev->type);
			if (strcmp(dev->parent, p->name) || dev->active || t < 0)
				continue;
			stopped[t]++;
			if (!dev->autostart || !ap)
				continue;
			after[t]++;
			struct gvt_pool pool = gvt_pool(ap, after);
			if (pool.low_mb < 0 || pool.high_mb < 0 || pool.fences < 0) {
				after[t]--;
				char msg[256];
				snprintf(msg, sizeof(msg), "definition %s (%s, auto) will not fit when it autostarts: not enough %s",
					 dev->uuid, dev->type, pool.low_mb < 0 ? "low GM" : pool.high_mb < 0 ? "high GM" : "fences");
				if (json)
					json_object_array_add(warnings, json_object_new_string(msg));
				else
					printf("WARNING: %s\n", msg);
				rc = 1;
			}
		}
		if (json) {
			struct json_object *o = json_object_new_object();
			json_object_object_add(o, "parent", json_object_new_string(p->name));
			json_object_object_add(o, "model", json_object_new_string("gvtg"));
			json_object_object_add(o, "aperture_mb", json_object_new_int(ap));
			json_object_object_add(o, "aperture_inferred", json_object_new_boolean(inferred));
			json_object_object_add(o, "now", table_json(ap, used, gen));
			json_object_object_add(o, "after_autostart", table_json(ap, after, gen));
			json_object_object_add(o, "warnings", warnings);
			if (w) {
				const char *s;
				json_object_object_add(o, "want_fits", json_object_new_boolean(fits(ap, used, w, &s)));
			}
			json_object_array_add(out, o);
			continue;
		}
		if (!ap) {
			printf("%s: Intel GVT-g (%s types); its aperture is unknown (no PCI BAR, and the\n"
			       "counts match no aperture size), so only the kernel's counts are shown:\n",
			       p->name, gen);
			for (size_t j = 0; j < p->n_types; j++)
				printf("  %-24s %d available\n", p->types[j].id, p->types[j].available_instances);
			putchar('\n');
			continue;
		}
		printf("%s: Intel GVT-g (%s types), aperture %d MiB%s\n", p->name, gen, ap,
		       inferred ? " (inferred from the counts)" : "");
		printf("Now (%d running):\n", used[0] + used[1] + used[2] + used[3]);
		table_text(ap, used, gen, now, stopped);
		if (memcmp(after, used, sizeof(after))) {
			printf("After the autostart definitions start:\n");
			table_text(ap, after, gen, NULL, NULL);
		}
		if (w)
			explain_want(w, ap, used, true);
		putchar('\n');
	}
	if (json) {
		vgpuctl_print_json(out);
		json_object_put(out);
	}
	mdev_parent_list_clear(&parents);
	mdev_device_list_clear(&active);
	mdev_device_list_clear(&defined);
	return rc;
}

int vgpuctl_plan(struct mdev_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "aperture", required_argument, NULL, 'a' }, { "want", required_argument, NULL, 'w' },
		{ "compare", no_argument, NULL, 'c' },         { "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },            { 0 }
	};
	int aperture = 0, c;
	bool json = false, cmp = false;
	struct want want, *w = NULL;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "a:w:cjh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': {
			int r = parse_size(optarg, &aperture);
			if (r < 0) {
				fprintf(stderr, r == -ERANGE ? "Error: aperture '%s' is out of range (more than 128 MiB, less than 3712 MiB)\n"
							    : "Error: '%s' is not a size (e.g. 512, 1024M, 1G)\n",
					optarg);
				return 1;
			}
			break;
		}
		case 'w':
			if (parse_want(optarg, &want) < 0) {
				fprintf(stderr, "Error: '%s' is not a list of NxWIDTHxHEIGHT or NxTYPE (e.g. 3x1920x1200 or 2x_4,2x_8)\n",
					optarg);
				return 1;
			}
			w = &want;
			break;
		case 'c':
			cmp = true;
			break;
		case 'j':
			json = true;
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
	if (optind < argc) {
		fprintf(stderr, "Error: unexpected argument '%s'\n\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (cmp)
		return compare(json, w);
	if (!aperture) {
		/* SR-IOV GPUs (issue 20): their plan alone, or after the GVT-g one */
		struct mdev_parent_list pl = { 0 };
		bool mdev = mdev_list_types(ctx, NULL, &pl) == 0 && pl.n > 0;
		mdev_parent_list_clear(&pl);
		int r = w || mdev ? -1 : plan_sriov(ctx, json, true);
		if (r >= 0)
			return r;
		r = host(ctx, json, w);
		if (!w && !json && plan_sriov(ctx, false, false) > 0)
			r = 1;
		return r;
	}
	static const int none[4] = { 0 };
	if (json) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "aperture_mb", json_object_new_int(aperture));
		json_object_object_add(o, "types", table_json(aperture, none, "V5"));
		if (w) {
			const char *s;
			bool ok = fits(aperture, none, w, &s);
			json_object_object_add(o, "want_fits", json_object_new_boolean(ok));
			if (!ok)
				json_object_object_add(o, "short_of", json_object_new_string(s));
		}
		vgpuctl_print_json(o);
		json_object_put(o);
		const char *s;
		return w && !fits(aperture, none, w, &s) ? 1 : 0;
	}
	printf("GVT-g with a %d MiB aperture, no vGPU running:\n", aperture);
	table_text(aperture, none, "V5", NULL, NULL);
	if (w) {
		explain_want(w, aperture, none, false);
		const char *s;
		return fits(aperture, none, w, &s) ? 0 : 1;
	}
	return 0;
}
