/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The GVT-g resource model: the numbers of the kernel's gvt/vgpu.c and aperture_gm.c as
 * documented in docs/gvtg.md. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mdev/mdev.h>
#include "gvtg_model.h"

const struct gvt_type gvt_types[4] = {
	{ 1, 512, 2048, 4, "1920x1200", 1920, 1200, 16 },
	{ 2, 256, 1024, 4, "1920x1200", 1920, 1200, 8 },
	{ 4, 128, 512, 4, "1920x1200", 1920, 1200, 4 },
	{ 8, 64, 384, 4, "1024x768", 1024, 768, 2 },
};
const int gvt_apertures[4] = { 256, 512, 1024, 2048 };
const char *const gvt_limit_names[3] = { "low GM (aperture)", "high GM", "fences" };

struct gvt_pool gvt_pool(int aperture_mb, const int used[4])
{
	struct gvt_pool p = { aperture_mb - GVT_HOST_LOW_MB,
			      GVT_TOTAL_MB - aperture_mb - GVT_HOST_HIGH_MB,
			      GVT_FENCES - GVT_HOST_FENCES };
	for (size_t t = 0; t < 4; t++) {
		p.low_mb -= used[t] * gvt_types[t].low_mb;
		p.high_mb -= used[t] * gvt_types[t].high_mb;
		p.fences -= used[t] * gvt_types[t].fences;
	}
	return p;
}

int gvt_fit(const struct gvt_pool *p, size_t t, enum gvt_limit *limit)
{
	const struct gvt_type *g = &gvt_types[t];
	int n = p->low_mb / g->low_mb;
	enum gvt_limit l = LIMIT_LOW;
	if (p->high_mb / g->high_mb < n) {
		n = p->high_mb / g->high_mb;
		l = LIMIT_HIGH;
	}
	if (p->fences / g->fences < n) {
		n = p->fences / g->fences;
		l = LIMIT_FENCES;
	}
	if (limit)
		*limit = l;
	return n > 0 ? n : 0;
}

int gvt_type_index(const char *id)
{
	const char *p = strstr(id, "GVTg_V");
	if (!p || (p[6] != '4' && p[6] != '5') || p[7] != '_')
		return -1;
	char *end;
	long div = strtol(p + 8, &end, 10);
	if (*end)
		return -1;
	for (size_t t = 0; t < 4; t++)
		if (gvt_types[t].div == div)
			return (int)t;
	return -1;
}

int gvt_best_aperture(int counts[4])
{
	static const int none[4] = { 0 };
	int best = 0, best_sum = -1;
	for (size_t a = 0; a < sizeof(gvt_apertures) / sizeof(gvt_apertures[0]); a++) {
		struct gvt_pool p = gvt_pool(gvt_apertures[a], none);
		int n[4], sum = 0;
		for (size_t t = 0; t < 4; t++)
			sum += n[t] = gvt_fit(&p, t, NULL);
		if (sum > best_sum) {
			best_sum = sum;
			best = gvt_apertures[a];
			if (counts)
				memcpy(counts, n, sizeof(n));
		}
	}
	return best;
}

int gvt_read_aperture(struct mdev_ctx *ctx, const char *pci)
{
	char rel[256];
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/resource", pci);
	int fd = openat(mdev_ctx_get_root_fd(ctx), rel, O_RDONLY | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	/* one line per resource: start, end and flags in hex; BAR 2 is the third */
	unsigned long long start, end, flags;
	int bar = 0, mb = 0;
	while (fscanf(f, "%llx %llx %llx", &start, &end, &flags) == 3)
		if (bar++ == 2 && end > start)
			mb = (int)((end - start + 1) >> 20);
	fclose(f);
	return mb;
}

int gvt_host_aperture(struct mdev_ctx *ctx, const struct mdev_parent_info *p, const int used[4],
		      bool *inferred)
{
	*inferred = false;
	int ap = gvt_read_aperture(ctx, p->name);
	if (ap > GVT_HOST_LOW_MB)
		return ap;
	*inferred = true;
	/* firmware settings first: several apertures can give the same counts */
	for (int i = -4; i < (GVT_TOTAL_MB - GVT_HOST_HIGH_MB) / 64; i++) {
		int ap = i < 0 ? gvt_apertures[i + 4] : i * 64;
		if (ap <= GVT_HOST_LOW_MB)
			continue;
		struct gvt_pool pool = gvt_pool(ap, used);
		bool all = true;
		for (size_t i = 0; i < p->n_types && all; i++) {
			int t = gvt_type_index(p->types[i].id);
			if (t >= 0 && gvt_fit(&pool, (size_t)t, NULL) != p->types[i].available_instances)
				all = false;
		}
		if (all)
			return ap;
	}
	return 0;
}
