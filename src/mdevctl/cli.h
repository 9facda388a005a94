/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Command line of mdevctl/lsmdev: parses argv the way upstream's clap 4.0 parser does. */
#ifndef MDEVCTL_CLI_H
#define MDEVCTL_CLI_H

#include <stdbool.h>
#include <mdev/mdev.h>

enum cli_command {
	CLI_NONE,
	CLI_DEFINE,
	CLI_UNDEFINE,
	CLI_MODIFY,
	CLI_START,
	CLI_STOP,
	CLI_LIST, /* also lsmdev */
	CLI_TYPES,
	CLI_START_PARENT_MDEVS,
};

struct cli_opts {
	enum cli_command cmd;
	const char *uuid; /* canonical lowercase hyphenated (points into uuid_buf) or NULL */
	char uuid_buf[MDEV_UUID_LEN + 1];
	const char *parent; /* -p, or start-parent-mdevs' positional */
	const char *type;
	const char *jsonfile;
	const char *addattr;
	const char *value;
	bool autostart; /* -a/--auto */
	bool manual;
	bool delattr;
	bool live;
	bool defined; /* list -d, modify -d */
	bool force;
	bool dumpjson;
	bool verbose;
	bool has_index;
	unsigned int index;
};

/* True when argv0 selects lsmdev mode (the whole string ends with "lsmdev"). */
bool cli_is_lsmdev(const char *argv0);

/* Parse argv into opts. Returns -1 when opts->cmd should run; otherwise help, version or a
 * usage error has been printed and the return value is the exit status (0 or 2). */
int cli_parse(int argc, char **argv, struct cli_opts *opts);

#endif
