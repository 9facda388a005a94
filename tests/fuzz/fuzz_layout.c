/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: the layout file reader (src/vgpuctl/layout/layout_file.c). Any input is read or
 * refused with a message; what is read keeps the promises of layout.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_entry(const struct layout_entry *e)
{
	for (size_t i = 0; i < e->n_devices; i++)
		if (e->devices[i] > LAYOUT_INDEX_MAX || (i && e->devices[i - 1] >= e->devices[i]))
			abort();
	for (size_t i = 0; i < e->n_counts; i++)
		if (!e->counts[i].count || e->counts[i].count > LAYOUT_COUNT_MAX || !e->counts[i].type[0] ||
		    !e->counts[i].line)
			abort();
	if (!e->line || (e->all_devices && e->n_devices))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct layout_file f;
	err[0] = '\0';
	if (layout_file_parse("fuzz", (const char *)data, size, &f, err, sizeof(err)) < 0) {
		if (strncmp(err, "fuzz:", 5)) /* every refusal names the file and a line */
			abort();
		return 0;
	}
	if (!f.n_configs)
		abort();
	for (size_t i = 0; i < f.n_configs; i++) {
		const struct layout_config *c = &f.configs[i];
		if (!c->n_entries || !c->name[0] || layout_file_find(&f, c->name) != c)
			abort();
		for (size_t j = 0; j < c->n_entries; j++)
			check_entry(&c->entries[j]);
	}
	layout_file_clear(&f);
	return 0;
}
