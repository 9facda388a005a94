/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Log output in env_logger's format and filter syntax, as upstream mdevctl prints it. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "log.h"

#define MAX_DIRECTIVES 16

static struct directive {
	char module[64]; /* "" = every module */
	int level;       /* 0 = off */
} directives[MAX_DIRECTIVES];
static size_t n_directives;
static bool colour;

static int parse_level(const char *s)
{
	static const char *const names[] = { "off", "error", "warn", "info", "debug", "trace" };
	for (int i = 0; i < 6; i++)
		if (!strcasecmp(s, names[i]))
			return i;
	return -1;
}

static void add(const char *module, int level)
{
	if (n_directives == MAX_DIRECTIVES)
		return;
	struct directive *d = &directives[n_directives++];
	snprintf(d->module, sizeof(d->module), "%s", module);
	d->level = level;
}

enum mdev_log_level log_setup(void)
{
	const char *spec = getenv("MDEVCTL_LOG");
	if (!spec)
		spec = "warn";
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", spec);
	char *filter = strchr(buf, '/'); /* a regex filter: not supported, ignored */
	if (filter)
		*filter = '\0';
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		char *eq = strchr(tok, '=');
		if (eq) {
			*eq = '\0';
			int l = parse_level(eq + 1);
			if (l >= 0)
				add(tok, l);
		} else {
			int l = parse_level(tok);
			if (l >= 0)
				add("", l);
			else
				add(tok, 5); /* a bare module name enables everything for it */
		}
	}
	if (n_directives == 0)
		add("", 2);
	const char *style = getenv("MDEVCTL_LOG_STYLE");
	colour = style && !strcmp(style, "always");
	if (!style || !strcmp(style, "auto"))
		colour = isatty(STDERR_FILENO);
	int max = 0;
	for (size_t i = 0; i < n_directives; i++)
		if (directives[i].level > max)
			max = directives[i].level;
	return (enum mdev_log_level)max;
}

/* env_logger: the longest directive whose name prefixes the module decides. */
static bool enabled(int level, const char *module)
{
	const struct directive *best = NULL;
	for (size_t i = 0; i < n_directives; i++) {
		const struct directive *d = &directives[i];
		size_t l = strlen(d->module);
		if (strncmp(module, d->module, l))
			continue;
		if (!best || l >= strlen(best->module))
			best = d;
	}
	return best && level <= best->level;
}

void log_line(void *userdata, enum mdev_log_level level, const char *module, const char *msg)
{
	(void)userdata;
	static const char *const names[] = { "", "ERROR", "WARN", "INFO", "DEBUG", "TRACE" };
	static const char *const colours[] = { "", "\033[31m", "\033[33m", "\033[32m", "\033[34m",
					       "\033[36m" };
	if (level < MDEV_LOG_ERROR || level > MDEV_LOG_TRACE || !enabled((int)level, module))
		return;
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (colour)
		fprintf(stderr, "\033[90m[\033[0m%s %s%-5s\033[0m %s\033[90m]\033[0m %s\n", ts,
			colours[level], names[level], module, msg);
	else
		fprintf(stderr, "[%s %-5s %s] %s\n", ts, names[level], module, msg);
}
