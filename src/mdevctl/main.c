/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdevctl / lsmdev entry point (being written). */
#include "cli.h"
int main(int argc, char **argv)
{
	struct cli_opts o;
	int r = cli_parse(argc, argv, &o);
	return r < 0 ? 1 : r;
}
